"""Cache-sized chunks on every core, the compensated max-shift used by every softmax-family function, and
error-free sums and products (TwoSum, TwoProduct) for the soft-label losses.

Why chunks: a formula such as ``log1p(exp(-|x|)) + x*(H(x) - z)`` written on whole arrays creates one
full-size temporary per operation and streams each through main memory. Running the same ufuncs on
blocks of ~32 Ki elements into preallocated buffers keeps the working set in the CPU cache:
faster, and the extra memory is a few buffers instead of several copies of the input.

Why threads: NumPy's ufuncs use one core, but they release the GIL while they loop. So a large input is
split into one contiguous part per core and each part runs the same chunk loop, with its own buffers,
in its own thread. Every element (or row) goes through exactly the same operations whichever thread
computes it, so results do not depend on the number of threads.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

T = TypeVar("T")

CHUNK = 1 << 15  # float64 elements per buffer: 256 KiB, about a core's L2 cache (measured best of 8-64 Ki here)
PARALLEL_MIN = 1 << 18  # elements per thread below which starting a thread (~0.1 ms) is not worth it
THREADS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def in_parallel(work: Callable[[slice], T], n: int, *, cost_per_item: int = 1) -> list[T]:
    """Call ``work(part)`` on contiguous slices that cover ``range(n)``, one thread per slice.

    ``cost_per_item`` is the number of elements behind one item (the row length when items are rows);
    inputs too small to be worth a thread run in the calling thread. NumPy's error state (``np.errstate``)
    lives in a context variable, so each thread gets a copy of the caller's. Results come back in order.
    """
    n_parts = max(1, min(THREADS, n, n * cost_per_item // PARALLEL_MIN))
    edges = [n * i // n_parts for i in range(n_parts + 1)]
    parts = [slice(edges[i], edges[i + 1]) for i in range(n_parts)]
    if n_parts == 1:
        return [work(parts[0])]
    with ThreadPoolExecutor(max_workers=n_parts - 1) as pool:
        others = [pool.submit(contextvars.copy_context().run, work, part) for part in parts[1:]]
        first = work(parts[0])  # the calling thread does its share too
        return [first] + [future.result() for future in others]


def map_chunks(
    kernel: Callable[..., None], inputs: tuple[np.ndarray, ...], out_dtype: np.dtype, *, n_scratch: int = 1
) -> np.ndarray:
    """Apply an elementwise ``kernel(*inputs_f64, out=f64, scratch=[f64, ...])`` block by block.

    All inputs must have one shape. Each block is converted to float64, the kernel computes in float64,
    and the result is rounded once to ``out_dtype`` when it is stored.
    """
    shape = inputs[0].shape
    flat = [np.ravel(a) for a in inputs]
    out = np.empty(flat[0].size, dtype=out_dtype)

    def run(part: slice) -> None:
        size = max(1, min(CHUNK, part.stop - part.start))
        staging = [None if f.dtype == np.float64 else np.empty(size) for f in flat]
        result = None if out.dtype == np.float64 else np.empty(size)
        scratch = [np.empty(size) for _ in range(n_scratch)]
        for start in range(part.start, part.stop, CHUNK):
            stop = min(start + CHUNK, part.stop)
            m = stop - start
            blocks = []
            for f, buf in zip(flat, staging, strict=True):
                if buf is None:
                    blocks.append(f[start:stop])
                else:
                    np.copyto(buf[:m], f[start:stop])
                    blocks.append(buf[:m])
            res = out[start:stop] if result is None else result[:m]
            kernel(*blocks, out=res, scratch=[s[:m] for s in scratch])
            if result is not None:
                out[start:stop] = res  # the one rounding to float32/float16

    in_parallel(run, out.size)
    return out.reshape(shape)


def to_rows(x: np.ndarray, axis: int) -> tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]:
    """View ``x`` as a 2-D (rows, classes) array with the class axis last.

    Returns the rows and a function that puts a per-element result (same shape as the rows) or a
    per-row result (one value per row) back into ``x``'s layout.
    """
    moved = np.moveaxis(x, axis, -1)
    batch_shape, n_classes = moved.shape[:-1], moved.shape[-1]
    rows = np.ascontiguousarray(moved).reshape(-1, n_classes)

    def restore(result: np.ndarray) -> np.ndarray:
        if result.ndim == 1:
            return result.reshape(batch_shape)
        return np.moveaxis(result.reshape(moved.shape), -1, axis)

    return rows, restore


def rows_per_block(n_classes: int) -> int:
    """How many whole rows make about CHUNK elements (at least one)."""
    return max(1, CHUNK // max(1, n_classes))


def row_blocks(n_rows: int, n_classes: int) -> Iterator[slice]:
    """Slices of whole rows, each about CHUNK elements (at least one row)."""
    step = rows_per_block(n_classes)
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def row_max(block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(argmax, max as float64) of each row. A NaN in a row makes its max NaN (``np.argmax`` picks NaN)."""
    imax = np.argmax(block, axis=1)
    return imax, block[np.arange(block.shape[0]), imax].astype(np.float64)


def shift(block: np.ndarray, m: np.ndarray, d: np.ndarray, dl: np.ndarray | None) -> np.ndarray | None:
    """Write ``block - m`` (m per row) into float64 ``d``, and for float64 input its rounding error into ``dl``.

    Returns ``dl`` (with ``d + dl == block - m`` exactly), or None where it would be all zeros: for
    float32 or float16 input the difference is already exact in float64. The low part is Knuth's
    TwoSum error term: for float64 input ``block - m`` rounds, and ``exp`` would turn that rounding (up
    to |x|·ε/2 absolute) into a relative error of the same size, hundreds of ulps for gaps of ~100.
    """
    with np.errstate(over="ignore"):  # e.g. -1.7e308 - 1.7e308: -inf is the right answer (exp gives 0)
        np.subtract(block, m[:, None], out=d)
    if block.dtype != np.float64:
        return None
    # TwoSum(a, -m): s = a + c; bp = s - a; ap = s - bp; err = (a - ap) + (c - bp), with c = -m
    c = -m[:, None]
    with np.errstate(invalid="ignore"):  # -inf entries give inf - inf here; reset below
        np.subtract(d, block, out=dl)  # bp
        ap = d - dl
        np.subtract(c, dl, out=dl)  # c - bp
        np.subtract(block, ap, out=ap)  # a - ap
        np.add(ap, dl, out=dl)
    dl[~np.isfinite(d)] = 0.0  # -inf entries: d = -inf is already exact
    return dl


def shift_by_max(block: np.ndarray, d: np.ndarray, dl: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Write ``block - max`` into float64 buffers ``d`` and ``dl`` with ``d + dl == block - max`` exactly.

    Returns (argmax per row, max per row, ``dl`` or None where it would be all zeros); see ``shift``.
    """
    imax, m = row_max(block)
    return imax, m, shift(block, m, d, dl)


def exp_sum_without_max(d: np.ndarray, dl: np.ndarray | None, imax: np.ndarray, e: np.ndarray) -> np.ndarray:
    """S = Σ_{k ≠ argmax} exp(d_k + dl_k) per row, so that logsumexp = max + log1p(S).

    Keeping the max term (exactly 1) out of the sum is what lets ``log1p`` return a tiny loss
    accurately instead of ``log(1 + S)`` rounding it to 0. ``e`` receives exp(d + dl); it may be ``d``.
    """
    np.exp(d, out=e)
    if dl is not None:
        e += e * dl  # exp(d + dl) = exp(d)·exp(dl) ≈ exp(d)·(1 + dl), |dl| ≤ ulp(d)/2
    rows = np.arange(e.shape[0])
    e[rows, imax] = 0.0
    s = e.sum(axis=1)
    e[rows, imax] = 1.0  # exp(0): the max term itself
    return s


def row_sum_exact(a: np.ndarray) -> np.ndarray:
    """Σ_j a_ij per row of a float64 (rows, n) array, with the error of every addition recovered.

    A pairwise tree of additions, each followed by Knuth's TwoSum, which gives its rounding error exactly;
    the errors (tiny) are summed separately and added once at the end. The result is within about one
    rounding of the exact sum (plus n·ε² relative), where ``np.sum`` may be a few ulps off for long rows.
    Infinite entries give an infinite sum (rows with both +inf and -inf give NaN, as any sum would).
    """
    a = np.array(a, dtype=np.float64, copy=True)
    err = np.zeros(a.shape[0])
    with np.errstate(invalid="ignore", over="ignore"):
        while a.shape[1] > 1:
            half = a.shape[1] // 2
            x, y = a[:, :half], a[:, half : 2 * half]
            s = x + y
            bp = s - x
            e = (x - (s - bp)) + (y - bp)
            e[~np.isfinite(s)] = 0.0
            err += e.sum(axis=1)
            a = np.concatenate([s, a[:, 2 * half :]], axis=1) if a.shape[1] % 2 else s
        total = a[:, 0] + err
    return np.where(np.isfinite(a[:, 0]), total, a[:, 0])


def split_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(p, e) with p = fl(a·b) and p + e = a·b exactly (Dekker's TwoProduct with Veltkamp splitting).

    Valid where |a|, |b| < 2^996 and the product does not underflow; elsewhere e is set to 0.
    """
    factor = 134217729.0  # 2^27 + 1
    with np.errstate(invalid="ignore", over="ignore"):
        p = a * b
        ca, cb = factor * a, factor * b
        ah = ca - (ca - a)
        bh = cb - (cb - b)
        al, bl = a - ah, b - bh
        e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    e[~np.isfinite(e) | (np.abs(a) > 1e290) | (np.abs(b) > 1e290)] = 0.0
    return p, e

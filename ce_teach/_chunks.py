"""Cache-sized chunking and the compensated max-shift used by every softmax-family function.

Why chunks: a formula such as ``log1p(exp(-|x|)) + x*(H(x) - z)`` written on whole arrays creates one
full-size temporary per operation and streams each through main memory. Running the same ufuncs on
blocks of ~32 Ki elements into preallocated buffers keeps the working set in the CPU cache: about
twice as fast, and the extra memory is a few buffers instead of several copies of the input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

CHUNK = 1 << 15  # float64 elements per buffer: 256 KiB, comfortably inside a core's L2 cache


def map_chunks(
    kernel: Callable[..., None], inputs: tuple[np.ndarray, ...], out_dtype: np.dtype, *, n_scratch: int = 1
) -> np.ndarray:
    """Apply an elementwise ``kernel(*inputs_f64, out=f64, scratch=[f64, ...])`` block by block.

    All inputs must have one shape. Each block is converted to float64, the kernel computes in float64,
    and the result is rounded once to ``out_dtype`` when it is stored.
    """
    shape = inputs[0].shape
    flat = [np.ravel(a) for a in inputs]
    n = flat[0].size
    out = np.empty(n, dtype=out_dtype)
    size = max(1, min(CHUNK, n))
    staging = [None if f.dtype == np.float64 else np.empty(size) for f in flat]
    result = out if out.dtype == np.float64 else np.empty(size)
    scratch = [np.empty(size) for _ in range(n_scratch)]
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        m = stop - start
        blocks = []
        for f, buf in zip(flat, staging):
            if buf is None:
                blocks.append(f[start:stop])
            else:
                np.copyto(buf[:m], f[start:stop])
                blocks.append(buf[:m])
        res = out[start:stop] if result is out else result[:m]
        kernel(*blocks, out=res, scratch=[s[:m] for s in scratch])
        if result is not out:
            out[start:stop] = res
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


def row_blocks(n_rows: int, n_classes: int) -> Iterator[slice]:
    """Slices of whole rows, each about CHUNK elements (at least one row)."""
    step = max(1, CHUNK // max(1, n_classes))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def shift_by_max(block: np.ndarray, d: np.ndarray, dl: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Write ``block - max`` into float64 buffers ``d`` and ``dl`` with ``d + dl == block - max`` exactly.

    Returns (argmax per row, max per row, ``dl`` or None where it would be all zeros). The low part ``dl`` is Knuth's TwoSum error term: for
    float64 input ``block - max`` rounds, and ``exp`` would turn that rounding (up to |x|·ε/2 absolute)
    into a relative error of the same size, hundreds of ulps for gaps of ~100. For float32 or float16
    input the difference is exact in float64 and ``dl`` is zero.
    """
    rows = np.arange(block.shape[0])
    imax = np.argmax(block, axis=1)
    m = block[rows, imax].astype(np.float64)
    np.subtract(block, m[:, None], out=d)
    if block.dtype == np.float64:
        # TwoSum(a, -m): s = a + c; bp = s - a; ap = s - bp; err = (a - ap) + (c - bp), with c = -m
        c = -m[:, None]
        with np.errstate(invalid="ignore"):  # -inf entries give inf - inf here; reset below
            np.subtract(d, block, out=dl)  # bp
            ap = d - dl
            np.subtract(c, dl, out=dl)  # c - bp
            np.subtract(block, ap, out=ap)  # a - ap
            np.add(ap, dl, out=dl)
        dl[~np.isfinite(d)] = 0.0  # -inf entries: d = -inf is already exact
        return imax, m, dl
    return imax, m, None


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

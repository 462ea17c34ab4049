"""Cache-sized blocks on every core: the runner behind the large-input paths of the losses.

Why blocks: a formula such as ``log1p(exp(-|x|)) + x*(H(x) - z)`` written on whole arrays creates one
full-size temporary per operation and streams each through main memory. Running the same ufuncs on
blocks of ``CHUNK`` (~32 Ki) elements into preallocated buffers keeps the working set in the CPU cache:
faster, and the extra memory is a few buffers instead of several copies of the input.

Why threads: NumPy's ufuncs use one core, but they release the GIL while they loop. So a large input is
split into one contiguous part per core and each part runs the same block loop, with its own buffers,
in its own thread. Every element (or row) goes through exactly the same operations whichever thread
computes it, so results do not depend on the number of threads.

The numerics that run inside the blocks (the compensated max-shift of log-sum-exp, error-free sums and
products) are in ``_compensated``.
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

"""Compensated arithmetic for the softmax family: the max-shift of log-sum-exp with its rounding error kept,
and error-free sums and products (TwoSum, TwoProduct) for the soft-label losses.

They work on a block of rows (rows, classes), the unit into which ``_parallel`` cuts a large input to run it
in the CPU cache on every core; the shifted values go into float64 buffers that the caller owns.
"""

from __future__ import annotations

import numpy as np


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

"""Activations: sigmoid, softplus and their logs; softmax, log_softmax and logsumexp.

Every function here is written so that no intermediate overflows or cancels:
``L(x) = log1p(exp(-|x|))`` is the building block of the sigmoid family (its argument -|x| ≤ 0 is
exact, so exp never overflows), and the softmax family subtracts the row maximum and keeps the
maximum's own term (exactly 1) out of the sum, so that ``log1p`` sees only the small rest.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v
from ._compensated import exp_sum_without_max, shift_by_max
from ._parallel import row_blocks, to_rows

__all__ = ["sigmoid", "log_sigmoid", "softplus", "softmax", "log_softmax", "logsumexp"]


def _logits(x, name: str = "x") -> tuple[np.ndarray, np.dtype]:
    x = v.as_real_array(x, name)
    v.check_not_nan(x, name)
    return x.astype(np.float64, copy=False), v.result_dtype(x)


def softplus_tail(x: np.ndarray) -> np.ndarray:
    """L(x) = log(1 + e^{-|x|}), the part of softplus that never overflows (float64 in, float64 out)."""
    return np.log1p(np.exp(-np.abs(x)))


def sigmoid(x: ArrayLike) -> np.ndarray | np.floating:
    """Logistic sigmoid σ(x) = 1 / (1 + e^{-x}), the probability of class 1 for logit x.

    Formula: σ(x) = 1/(1 + e^{-x}) for x ≥ 0, and e^{x}/(1 + e^{x}) for x < 0.

    Shapes: elementwise; the result has the shape of ``x``.

    Stability: the two branches only ever evaluate e^{-|x|} ≤ 1, so nothing overflows and σ(x) for
    very negative x is e^{x}/(1 + e^{x}) rather than 1/huge, which would underflow early.

    See also: ``tf.math.sigmoid``, ``keras.activations.sigmoid``, ``torch.sigmoid``, ``scipy.special.expit``.

    >>> import ce_teach as ct
    >>> ct.sigmoid([0.0, 2.0, -800.0]).tolist()
    [0.5, 0.8807970779778823, 0.0]
    """
    x, dtype = _logits(x)
    e = np.exp(-np.abs(x))
    numerator = np.where(x >= 0, 1.0, e)
    return (numerator / (1.0 + e)).astype(dtype, copy=False)


def softplus(x: ArrayLike) -> np.ndarray | np.floating:
    """Softplus log(1 + e^x), a smooth ReLU; also the binary cross-entropy of label 0: −log(1 − σ(x)).

    Formula: softplus(x) = max(x, 0) + log1p(e^{-|x|}).

    Shapes: elementwise; the result has the shape of ``x``.

    Stability: the naive log(1 + e^x) overflows to inf for x > 709 (float64) and loses everything
    below 1e-16 for x < -37 because 1 + e^x rounds to 1; the max/log1p form does neither.

    See also: ``tf.math.softplus``, ``torch.nn.functional.softplus`` (which returns x itself above
    threshold=20), ``scipy.special.softplus``.

    >>> import ce_teach as ct
    >>> ct.softplus([0.0, 1000.0, -40.0]).tolist()
    [0.6931471805599453, 1000.0, 4.248354255291589e-18]
    """
    x, dtype = _logits(x)
    return (np.maximum(x, 0.0) + softplus_tail(x)).astype(dtype, copy=False)


def log_sigmoid(x: ArrayLike) -> np.ndarray | np.floating:
    """log σ(x), the log-probability of class 1: −log_sigmoid(x) is the loss of label 1.

    Formula: log σ(x) = −softplus(−x) = min(x, 0) − log1p(e^{-|x|}).

    Shapes: elementwise; the result has the shape of ``x``.

    Stability: log(1/(1 + e^{-x})) gives -inf for x < -709 and 0 for x > 37; this form is accurate
    for every finite x.

    See also: ``tf.math.log_sigmoid``, ``torch.nn.functional.logsigmoid``, ``scipy.special.log_expit``.

    >>> import ce_teach as ct
    >>> ct.log_sigmoid([0.0, -1000.0, 40.0]).tolist()
    [-0.6931471805599453, -1000.0, -4.248354255291589e-18]
    """
    x, dtype = _logits(x)
    return (np.minimum(x, 0.0) - softplus_tail(x)).astype(dtype, copy=False)


def _softmax_rows(x, axis: int, name: str = "x", *, allow_empty_rows: bool = False):
    """Shared input handling: validated rows (class axis last) of the logits."""
    v.check_axis(axis)
    x = v.as_real_array(x, name)
    v.check_not_nan(x, name)
    v.check_class_axis(x, name, axis)
    if not allow_empty_rows:
        v.check_no_positive_inf(x, name)
    rows, restore = to_rows(x, axis)
    if not allow_empty_rows:
        dead = np.isneginf(rows).all(axis=1)
        if dead.any():
            raise ValueError(
                f"{name} has a row whose logits are all -inf (row {int(np.argmax(dead))} of the batch); "
                "softmax of such a row is 0/0, undefined"
            )
    return rows, restore, v.result_dtype(x)


def _log_normaliser(rows: np.ndarray) -> np.ndarray:
    """Per row: log_softmax (class axis last) as (d + dl) − log1p(S), computed block by block."""
    out = np.empty(rows.shape)
    d, dl = np.empty(rows.shape), np.empty(rows.shape)
    for b in row_blocks(*rows.shape):
        imax, _, low = shift_by_max(rows[b], d[b], dl[b])
        s = exp_sum_without_max(d[b], low, imax, out[b])
        out[b] = d[b] - np.log1p(s)[:, None]
        if low is not None:
            out[b] += low
    return out


def logsumexp(x: ArrayLike, *, axis: int = -1) -> np.ndarray:
    """log Σ_j e^{x_j} along ``axis``: the log of softmax's normaliser.

    Formula: logsumexp(x) = m + log1p(Σ_{k≠argmax} e^{x_k − m}), with m = max_j x_j.

    Shapes: ``x`` of shape (..., C) → result of shape (...) (the ``axis`` is removed).

    Stability: subtracting m keeps every e^{x_k − m} ≤ 1 (no overflow for [1000, 0]); keeping the
    maximum's own term out of the sum and using log1p keeps the small rest exact. A row that is all
    −inf gives −inf; a row containing +inf gives +inf. When the result is much smaller than the
    largest |x| (it sits near 0 while the logits do not) the problem itself is ill-conditioned and
    the last few digits are lost to the final addition, as in every implementation.

    See also: ``tf.math.reduce_logsumexp``, ``torch.logsumexp``, ``scipy.special.logsumexp``.

    >>> import ce_teach as ct
    >>> float(ct.logsumexp([1000.0, 1000.0]))
    1000.6931471805599
    """
    rows, restore, dtype = _softmax_rows(x, axis, allow_empty_rows=True)
    x64 = rows.astype(np.float64, copy=False)
    m = x64.max(axis=1)
    out = m.copy()
    ok = np.isfinite(m)
    if ok.any():
        finite_rows = rows[ok]
        d, dl = np.empty(finite_rows.shape), np.empty(finite_rows.shape)
        e = np.empty(finite_rows.shape)
        imax, mm, low = shift_by_max(finite_rows, d, dl)
        out[ok] = mm + np.log1p(exp_sum_without_max(d, low, imax, e))
    return restore(out).astype(dtype, copy=False)


def log_softmax(x: ArrayLike, *, axis: int = -1) -> np.ndarray:
    """log S(x)_i = x_i − logsumexp(x): log-probabilities from logits.

    Formula: log_softmax(x)_i = (x_i − m) − log1p(Σ_{k≠argmax} e^{x_k − m}), with m = max_j x_j.

    Shapes: same shape as ``x``; ``axis`` is the class axis.

    Stability: log(softmax(x)) underflows to −inf where a probability is below 1e-308, and the usual
    ``x − m − log(Σ e^{x − m})`` returns exactly 0 for a confident row whose true value is −1e-20;
    here the largest entry is −log1p(S), accurate to the last digit. The subtraction x − m is
    compensated (TwoSum) for float64 input.

    See also: ``tf.nn.log_softmax``, ``torch.nn.functional.log_softmax``, ``scipy.special.log_softmax``.

    >>> import ce_teach as ct
    >>> ct.log_softmax([1000.0, 1.0]).tolist()
    [0.0, -999.0]
    >>> float(ct.log_softmax([50.0, 0.0])[0])
    -1.9287498479639178e-22
    """
    rows, restore, dtype = _softmax_rows(x, axis)
    out = _log_normaliser(rows)
    return restore(out).astype(dtype, copy=False)


def softmax(x: ArrayLike, *, axis: int = -1) -> np.ndarray:
    """Softmax S(x)_i = e^{x_i} / Σ_j e^{x_j}: logits → a probability distribution along ``axis``.

    Formula: S(x)_i = e^{x_i − m} / (1 + Σ_{k≠argmax} e^{x_k − m}), with m = max_j x_j.

    Shapes: same shape as ``x``; ``axis`` is the class axis (default −1, as in the frameworks, not
    scipy's ``axis=None``).

    Stability: softmax is shift invariant, S(x) = S(x − m), and after the shift no exponent is
    positive, so [1000, 0] gives [1, 0] instead of inf/inf = nan.

    See also: ``tf.nn.softmax``, ``keras.activations.softmax``, ``torch.softmax``, ``scipy.special.softmax``.

    >>> import ce_teach as ct
    >>> ct.softmax([3.0, 1.0, -3.0]).round(8).tolist()
    [0.87887824, 0.11894324, 0.00217852]
    """
    rows, restore, dtype = _softmax_rows(x, axis)
    return restore(softmax_of_rows(rows)).astype(dtype, copy=False)


def softmax_of_rows(rows: np.ndarray) -> np.ndarray:
    """Softmax of validated rows (class axis last, from ``_softmax_rows``), in float64."""
    out = np.empty(rows.shape)
    d, dl = np.empty(rows.shape), np.empty(rows.shape)
    for b in row_blocks(*rows.shape):
        imax, _, low = shift_by_max(rows[b], d[b], dl[b])
        s = exp_sum_without_max(d[b], low, imax, out[b])
        out[b] /= (1.0 + s)[:, None]
    return out

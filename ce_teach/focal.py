"""Focal loss: cross-entropy with each example's loss scaled down by how well it is already classified.

Lin et al. 2017 ("Focal Loss for Dense Object Detection") multiply the cross-entropy −log p_t of the
probability given to the true class by the modulating factor (1 − p_t)^γ, and optionally by a class weight
α_t. Easy examples (p_t near 1) then contribute almost nothing and training concentrates on hard ones.

Both losses here are computed in ``np.longdouble`` and rounded once to the input's dtype. On x86-64 Linux
that is the 80-bit extended format (64-bit significand): every intermediate step is then 2,048 times finer
than float64, so the float64 result is within a fraction of an ulp of the exact value (the accuracy tests
check ≤ 4 ulp in float64 and ≤ 1 ulp in float32). Where ``np.longdouble`` is plain float64 (Windows, Apple
silicon) the same formulas give a few ulp. The factor 1 − p_t is never formed by subtracting p_t from 1:
it is the sum of the probabilities of the *other* outcomes, so a confident correct prediction keeps its
tiny loss instead of rounding it to 0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v
from .activations import _softmax_rows

__all__ = [
    "sigmoid_focal_loss",
    "sparse_softmax_focal_loss",
    "sigmoid_focal_loss_grad",
    "sparse_softmax_focal_loss_grad",
]

_LD = np.longdouble


def _check_gamma(gamma) -> float:
    return v.number(gamma, "gamma", 0.0, why=" (the focusing exponent; 0 gives plain cross-entropy)")


def _check_alpha(alpha) -> float:
    return v.number(alpha, "alpha", high=1.0, why=": a class weight in [0, 1], or negative for none (torchvision: -1)")


def _times(coefficient: np.ndarray, value: np.ndarray) -> np.ndarray:
    """coefficient·value with 0·∞ = 0: a zero weight switches a term off even where the loss is infinite."""
    return np.multiply(
        coefficient,
        value,
        out=np.zeros(np.broadcast(coefficient, value).shape, coefficient.dtype),
        where=coefficient != 0,
    )


def _binary_parts(z: np.ndarray, x: np.ndarray, dtype=_LD):
    """(σ(x), σ(−x), softplus(x), softplus(−x)) in ``dtype``, from e^{−|x|} ≤ 1 only (no overflow)."""
    x = x.astype(dtype)
    e = np.exp(-np.abs(x))
    big, small = 1 / (1 + e), e / (1 + e)  # σ(|x|) and σ(−|x|)
    tail = np.log1p(e)
    positive = x >= 0
    sig, sig_neg = np.where(positive, big, small), np.where(positive, small, big)
    return sig, sig_neg, np.maximum(x, 0) + tail, np.maximum(-x, 0) + tail


def sigmoid_focal_loss(labels: ArrayLike, logits: ArrayLike, *, gamma: float = 2.0, alpha: float = 0.25) -> np.ndarray:
    """Binary focal loss from logits, elementwise, as torchvision's ``sigmoid_focal_loss(reduction="none")``.

    Formula: loss = α_t·(1 − p_t)^γ·CE, with CE = −z·log σ(x) − (1 − z)·log(1 − σ(x)),
    p_t = z·σ(x) + (1 − z)·(1 − σ(x)) and α_t = α·z + (1 − α)·(1 − z); no α_t when ``alpha`` < 0.
    γ = 0 and alpha < 0 give plain binary cross-entropy.

    Shapes: ``labels`` z ∈ [0, 1] (hard or soft) and ``logits`` x of the same shape (no broadcasting);
    ``gamma`` ≥ 0 and ``alpha`` ≤ 1 are numbers. Result: one loss per element, same shape, in x's dtype.

    Stability: 1 − p_t is computed as z·σ(−x) + (1 − z)·σ(x), a sum of non-negative terms (torchvision's
    ``1 - p_t`` rounds to 0 once p_t rounds to 1, for |x| > 36.7 in float64, 16.6 in float32, and returns 0
    for a loss that is e.g. 1e-40); σ and softplus are built from e^{−|x|} ≤ 1; everything is computed in
    ``np.longdouble`` and rounded once. Exact at x = ±∞ (0 or ∞, never NaN).

    See also: ``torchvision.ops.sigmoid_focal_loss`` (torchvision/ops/focal_loss.py),
    ``keras.losses.BinaryFocalCrossentropy``, ``ct.sigmoid_cross_entropy_with_logits``.

    >>> import ce_teach as ct
    >>> ct.sigmoid_focal_loss([1.0, 1.0, 0.0], [0.0, 3.0, 3.0], gamma=2.0, alpha=0.25).tolist()
    [0.04332169878499658, 2.7320831124249382e-05, 2.0747103307689465]
    """
    z, x, dtype, _ = v.binary_labels_and_logits(labels, logits)
    g, a = _check_gamma(gamma), _check_alpha(alpha)
    zl = z.astype(_LD)
    sig, sig_neg, sp, sp_neg = _binary_parts(zl, x)
    ce = _times(zl, sp_neg) + _times(1 - zl, sp)
    u = _times(zl, sig_neg) + _times(1 - zl, sig)  # 1 − p_t without cancellation
    loss = _times(np.power(u, _LD(g)), ce)  # u = 0 only where CE = 0 as well
    if a >= 0:
        loss = _times(_LD(a) * zl + (1 - _LD(a)) * (1 - zl), loss)
    return loss.astype(dtype, copy=False)


def sigmoid_focal_loss_grad(
    labels: ArrayLike, logits: ArrayLike, *, gamma: float = 2.0, alpha: float = 0.25
) -> np.ndarray:
    """∂/∂x of ``sigmoid_focal_loss``, elementwise: cross-entropy's σ(x) − z, reweighted.

    Formula: with u = 1 − p_t, CE as in ``sigmoid_focal_loss`` and ∂u/∂x = (1 − 2z)·σ(x)·σ(−x),
        ∂loss/∂x = α_t·(u^γ·(σ(x) − z) + γ·u^γ·(∂u/∂x / u)·CE).
    For a hard label (z ∈ {0, 1}) this is (σ(x) − z)·w with w = u^γ + γ·p_t·u^(γ−1)·CE ≥ 0.

    Shapes: as ``sigmoid_focal_loss``; result the shape of ``logits``, float64 (or the logits' float dtype).

    Stability: u^(γ−1) is never formed (it is infinite at u = 0 for γ < 1); (∂u/∂x)/u stays bounded.

    >>> import ce_teach as ct
    >>> ct.sigmoid_focal_loss_grad([1.0], [0.0], gamma=0.0, alpha=-1.0).tolist()  # γ = 0: σ(x) − z
    [-0.5]
    """
    z, x, dtype, _ = v.binary_labels_and_logits(labels, logits)
    g, a = _check_gamma(gamma), _check_alpha(alpha)
    z64 = z.astype(np.float64)
    sig, sig_neg, sp, sp_neg = _binary_parts(z64, x, np.float64)
    ce = _times(z64, sp_neg) + _times(1 - z64, sp)
    u = _times(z64, sig_neg) + _times(1 - z64, sig)
    mod = np.power(u, g)
    du_over_u = np.divide((1 - 2 * z64) * sig * sig_neg, u, out=np.zeros(u.shape), where=u > 0)
    grad = mod * (sig - z64) + (_times(g * mod * du_over_u, ce) if g > 0 else 0.0)
    if a >= 0:
        grad = (a * z64 + (1 - a) * (1 - z64)) * grad
    return np.asarray(grad).astype(dtype, copy=False)


def _sparse_parts(labels, logits, dtype):
    """Validated rows; per row (u = 1 − p_y, ℓ = −log p_y, probabilities) in ``dtype``."""
    x = v.as_real_array(logits, "logits")
    y = v.as_real_array(labels, "labels")
    rows, restore, out_dtype = _softmax_rows(x, -1, "logits")
    v.check_sparse_labels(y, x.shape)
    y = y.reshape(-1)
    r = np.arange(rows.shape[0])
    d = rows.astype(dtype)
    imax = np.argmax(d, axis=1)
    d -= d[r, imax][:, None]  # ≤ 0, the maximum exactly 0
    e = np.exp(d)
    e_max = e[r, imax].copy()
    e[r, imax] = 0
    s = e.sum(axis=1)  # Σ over the classes other than the argmax
    e[r, imax] = e_max
    e_y = e[r, y].copy()
    e[r, y] = 0
    rest = e.sum(axis=1)  # Σ over the classes other than the label: (1 − p_y)·(1 + s), no cancellation
    e[r, y] = e_y
    u = rest / (1 + s)
    ell = np.log1p(s) - d[r, y]  # two terms ≥ 0
    return x, y, rows.shape, restore, out_dtype, u, ell, e / (1 + s)[:, None]


def sparse_softmax_focal_loss(labels: ArrayLike, logits: ArrayLike, *, gamma: float = 2.0) -> np.ndarray:
    """Softmax focal loss with integer labels, one loss per row: −(1 − p_y)^γ·log p_y, p = S(x).

    Formula: loss = (1 − p_y)^γ·(log1p(s) − (x_y − m)), with m = max_j x_j, s = Σ_{k≠argmax} e^{x_k − m}
    and 1 − p_y = Σ_{k≠y} e^{x_k − m} / (1 + s). γ = 0 gives ``sparse_softmax_cross_entropy_with_logits``.

    Shapes: ``logits`` (..., C); ``labels`` integers of shape (...), each in [0, C). Result: shape (...),
    in the logits' dtype (float64 for integer input).

    Stability: max shift; −log p_y as log1p(s) − (x_y − m), two non-negative terms; 1 − p_y as the sum of
    the other classes' probabilities (never 1 − p_y, which is 0 for a confident correct row); all in
    ``np.longdouble``, rounded once. −inf logits are allowed (probability 0); NaN, +inf or a row of −inf
    raise ``ValueError``.

    See also: ``ct.sigmoid_focal_loss`` (one-vs-rest, torchvision's), ``keras.losses.CategoricalFocalCrossentropy``
    (which has an α as well and takes one-hot labels).

    >>> import ce_teach as ct
    >>> ct.sparse_softmax_focal_loss([0, 1], [[2.0, 0.0], [2.0, 0.0]], gamma=2.0).tolist()
    [0.0018035628352403754, 1.6500781794214088]
    """
    g = _check_gamma(gamma)
    _, _, _, restore, dtype, u, ell, _ = _sparse_parts(labels, logits, _LD)
    loss = _times(np.power(u, _LD(g)), ell)
    return restore(loss).astype(dtype, copy=False)


def sparse_softmax_focal_loss_grad(labels: ArrayLike, logits: ArrayLike, *, gamma: float = 2.0) -> np.ndarray:
    """∂/∂x of ``sparse_softmax_focal_loss``, per row: cross-entropy's S(x) − y times a weight w ≥ 0.

    Formula: ∂loss/∂x = w·(S(x) − y), w = (1 − p_y)^γ + γ·p_y·(1 − p_y)^(γ−1)·(−log p_y),
    y the one-hot row of the label. γ = 0 gives w = 1, cross-entropy's gradient.

    Shapes: ``logits`` (..., C), ``labels`` (...) integers; result (..., C), float64 (or the logits' float dtype).
    Not divided by N: for the gradient of a batch mean, divide by the number of rows.

    Stability: w = u^γ·(1 + γ·p_y·ℓ/u) with u = 1 − p_y and ℓ = −log p_y; ℓ/u → 1 as u → 0, so the
    infinite u^(γ−1) of γ < 1 is never formed.

    >>> import ce_teach as ct
    >>> ct.sparse_softmax_focal_loss_grad([0], [[0.0, 0.0]], gamma=0.0).tolist()
    [[-0.5, 0.5]]
    """
    g = _check_gamma(gamma)
    x, y, shape, restore, dtype, u, ell, probs = _sparse_parts(labels, logits, np.float64)
    ratio = np.divide(ell, u, out=np.ones(u.shape), where=u > 0)
    r = np.arange(shape[0])
    weight = np.power(u, g) * (1 + g * probs[r, y] * ratio) if g > 0 else np.ones(u.shape)
    grad = probs.copy()
    grad[r, y] -= 1
    grad *= weight[:, None]
    return restore(grad).astype(dtype, copy=False)

"""Keras-compatible losses with Keras 3's exact semantics, so learners can reproduce what Keras prints.

What Keras does that the plain formulas do not (``keras/src/backend/tensorflow/nn.py``, ε = 1e-7):

* ``from_logits=False`` takes probabilities and clips them to [ε, 1 − ε] before the log, so no loss
  exceeds −ln(1e-7) ≈ 16.118 and a "perfect" prediction still costs ≈ 1e-7.
* ``categorical_crossentropy`` first divides each probability row by its sum (a row summing to 1.99
  is renormalised), then clips; ``sparse_categorical_crossentropy`` clips, takes the log and applies a
  log-softmax, which renormalises too but after clipping.
* ``binary_crossentropy`` averages over the last axis (one value per example, not per element).
* ``label_smoothing`` s replaces y by y·(1 − s) + s/2 (binary) or y·(1 − s) + s/C (categorical).

The arithmetic is done in float64 and rounded once: a float32 result is Keras' formula, evaluated
exactly on the float32 inputs and correctly rounded. Keras computes every step in float32, so its last
digits can differ by more than its final rounding. Example: ``y_pred = [.9, .05, .05]`` in float32 (the
0.9 is 0.89999998). Keras' float32 row sum rounds to exactly 1, so it prints −ln(0.89999998) =
0.10536055, as the source material shows; the exact row sum is 0.99999998, and the renormalised loss is
0.10536052, which is what this module returns (tests/test_truth_keras.py). Clip bounds are taken in
``y_pred``'s dtype, as Keras does: in float32, 1 − 1e-7 rounds to 0.99999988.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v
from ._parallel import to_rows
from .activations import softplus_tail
from .losses import sigmoid_cross_entropy_with_logits, soft_label_loss, sparse_label_loss

__all__ = ["binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"]

EPSILON = 1e-7  # keras.backend.epsilon()


def _clip_bounds(dtype: np.dtype) -> tuple[float, float]:
    """[ε, 1 − ε] rounded to y_pred's dtype, as Keras' clip_by_value sees them.

    In float16, 1 − 1e-7 rounds to 1 itself and log(1 − p) would be log 0; there the upper bound is the
    largest float16 below 1 (0.99951), so that the documented cap holds in every dtype.
    """
    lo, hi = dtype.type(EPSILON), dtype.type(1.0 - EPSILON)
    if hi >= 1:
        hi = np.nextafter(dtype.type(1), dtype.type(0))
    return float(lo), float(hi)


def _probabilities(y_pred, from_logits) -> np.ndarray:
    v.check_flag(from_logits, "from_logits")
    p = v.as_real_array(y_pred, "y_pred")
    if from_logits:
        v.check_not_nan(p, "y_pred")
    else:
        v.check_in_unit_interval(p, "y_pred")
    return p


def binary_crossentropy(
    y_true: ArrayLike, y_pred: ArrayLike, *, from_logits: bool = False, label_smoothing: float = 0.0
) -> np.ndarray | np.floating:
    """Keras' binary cross-entropy, averaged over the last axis.

    Formula: mean over the last axis of −z·log p − (1 − z)·log(1 − p), with p = clip(y_pred, ε, 1 − ε)
    (``from_logits=False``) or the stable logits form of ``sigmoid_cross_entropy_with_logits``
    (``from_logits=True``); z = y_true·(1 − s) + s/2 with s = ``label_smoothing``.

    Shapes: ``y_true`` ∈ [0, 1] and ``y_pred`` of the same shape (..., K); result of shape (...).
    A 1-D input gives a scalar (0-d array).

    Stability: with probabilities, the clip keeps log away from 0 at the price of a bias: a perfect
    prediction costs −log(1 − 1e-7) ≈ 1e-7 (1.19e-7 in float32), a certain wrong one at most 16.118
    (in float16, where 1 − 1e-7 rounds to 1, the upper bound is 0.99951 and the cap 7.62). Prefer
    ``from_logits=True``, which is exact. With label smoothing both weights z·(1 − s) + s/2 and
    (1 − z)·(1 − s) + s/2 are formed directly, never as 1 minus the other.

    See also: ``keras.losses.binary_crossentropy``, ``keras.losses.BinaryCrossentropy`` (which then
    averages over the batch), ``torch.nn.functional.binary_cross_entropy`` (clamps each log at −100).

    >>> import ce_teach as ct
    >>> float(ct.binary_crossentropy([0, 0, 1, 1, 1], [-1.0, -1.0, 0.0, 1.0, 2.0], from_logits=True))
    0.3519720508315173
    """
    s = v.check_smoothing(label_smoothing)
    z = v.as_real_array(y_true, "y_true")
    p = _probabilities(y_pred, from_logits)
    v.check_same_shape(z, "y_true", p, "y_pred")
    v.check_in_unit_interval(z, "y_true")
    v.check_class_axis(p, "y_pred", -1)
    z64 = z.astype(np.float64)
    # The weights of the two terms, each formed as a sum of non-negative parts: 1 − (smoothed z) would
    # cancel for z near 1 (19-fold error amplification at z = 1, s = 0.1). For s = 0 they are z and 1 − z.
    pos = z64 * (1.0 - s) + 0.5 * s
    neg = (1.0 - z64) * (1.0 - s) + 0.5 * s
    dtype = v.result_dtype(p)
    if from_logits and s == 0:
        loss = sigmoid_cross_entropy_with_logits(z64, p.astype(np.float64))
    elif from_logits:  # L + neg·max(x, 0) + pos·max(−x, 0), as sigmoid_cross_entropy_with_logits
        x = p.astype(np.float64)
        with np.errstate(invalid="ignore"):  # 0·inf at x = ±inf: not possible here, both weights ≥ s/2 > 0
            loss = softplus_tail(x) + neg * np.maximum(x, 0.0) + pos * np.maximum(-x, 0.0)
    else:
        lo, hi = _clip_bounds(dtype)
        p64 = np.clip(p.astype(np.float64), lo, hi)
        loss = -(pos * np.log(p64) + neg * np.log1p(-p64))
    return loss.mean(axis=-1).astype(dtype, copy=False)


def categorical_crossentropy(
    y_true: ArrayLike, y_pred: ArrayLike, *, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> np.ndarray | np.floating:
    """Keras' categorical cross-entropy: one loss per row, labels given as distributions (e.g. one-hot).

    Formula: −Σ_j y_j·log p_j with p = clip(y_pred / Σ_k y_pred_k, ε, 1 − ε) (``from_logits=False``),
    or the stable softmax form of ``softmax_cross_entropy_with_logits`` (``from_logits=True``);
    y = y_true·(1 − s) + s/C with s = ``label_smoothing``.

    Shapes: ``y_true`` and ``y_pred`` of the same shape (..., C), class axis ``axis``; each row of
    ``y_true`` a distribution (sums to 1; an all-zero padding row is an error). Result (...).

    Stability: from probabilities, the renormalisation makes an unnormalised row such as
    [.50, .89, .60] (sum 1.99) count as [.251, .447, .302]; the clip bounds each loss by 16.118.
    From logits nothing is clipped and the result is exact.

    See also: ``keras.losses.categorical_crossentropy``, ``keras.losses.CategoricalCrossentropy``,
    ``tf.nn.softmax_cross_entropy_with_logits``.

    >>> import ce_teach as ct
    >>> ct.categorical_crossentropy([[0, 1, 0]], [[0.50, 0.89, 0.60]]).round(8).tolist()
    [0.80466845]
    """
    v.check_axis(axis)
    s = v.check_smoothing(label_smoothing)
    y = v.as_real_array(y_true, "y_true")
    p = _probabilities(y_pred, from_logits)
    v.check_same_shape(y, "y_true", p, "y_pred")
    v.check_distribution(y, "y_true", axis)
    n_classes = p.shape[axis]
    y64 = y.astype(np.float64) * (1.0 - s) + s / n_classes
    dtype = v.result_dtype(p)
    if from_logits:
        return soft_label_loss(y64, p, axis, "y_true", "y_pred").astype(dtype, copy=False)
    p64 = p.astype(np.float64)
    total = p64.sum(axis=axis, keepdims=True)
    if (total == 0).any():
        raise ValueError(
            "y_pred has a row of all zeros, which cannot be renormalised (Keras returns nan here); "
            "every row needs some probability mass"
        )
    lo, hi = _clip_bounds(dtype)
    q = np.clip(p64 / total, lo, hi)
    return (-(y64 * np.log(q)).sum(axis=axis)).astype(dtype, copy=False)


def sparse_categorical_crossentropy(
    y_true: ArrayLike, y_pred: ArrayLike, *, from_logits: bool = False, axis: int = -1
) -> np.ndarray:
    """Keras' sparse categorical cross-entropy: integer labels, one loss per row.

    Formula: −log S(x)_y with x = y_pred (``from_logits=True``) or x = log(clip(y_pred, ε, 1 − ε))
    (``from_logits=False``; the log-softmax then renormalises the clipped probabilities).

    Shapes: ``y_pred`` (..., C) with the class axis at ``axis``; ``y_true`` integers in [0, C) of the
    shape of ``y_pred`` without that axis. Result: that shape.

    Stability: as ``sparse_softmax_cross_entropy_with_logits``. Labels outside [0, C) raise a clear
    ``ValueError`` (Keras' TF backend raises, its JAX backend silently returns 0, XLA returns NaN).

    See also: ``keras.losses.sparse_categorical_crossentropy``, ``tf.nn.sparse_softmax_cross_entropy_with_logits``,
    ``torch.nn.functional.cross_entropy``.

    >>> import ce_teach as ct
    >>> probabilities = [[.90, .05, .05], [.50, .89, .60], [.05, .01, .94]]
    >>> ct.sparse_categorical_crossentropy([0, 1, 2], probabilities).round(8).tolist()
    [0.10536052, 0.80466845, 0.0618754]
    """
    v.check_axis(axis)
    p = _probabilities(y_pred, from_logits)
    v.check_class_axis(p, "y_pred", axis)
    dtype = v.result_dtype(p)
    x = p.astype(np.float64)
    if not from_logits:
        lo, hi = _clip_bounds(dtype)
        x = np.log(np.clip(x, lo, hi))
    rows, restore = to_rows(x, axis)
    labels = v.as_real_array(y_true, "y_true")
    batch_shape = np.moveaxis(x, axis, -1).shape
    v.check_sparse_labels(labels, batch_shape, "y_true", "y_pred")
    loss = sparse_label_loss(labels.reshape(-1), rows, "y_true", "y_pred")
    return restore(loss).astype(dtype, copy=False)

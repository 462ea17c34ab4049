"""Weights and reductions: per-example weights, class weights, and PyTorch's ``CrossEntropyLoss`` mean.

The frameworks agree on the loss of one example and disagree on how a batch of them is averaged.
With per-example weights w_i and losses ℓ_i:

* Keras ``reduction="sum_over_batch_size"`` (the default): Σ w_i ℓ_i / N. The weights do not enter the
  denominator, so a batch of small weights gives a small loss. ``"mean_with_sample_weight"``: Σ w_i ℓ_i / Σ w_i.
* PyTorch ``CrossEntropyLoss(weight=w)`` and ``NLLLoss(weight=w)``, ``reduction="mean"``: each example is
  weighted by its class, w_{y_i}, and the sum is divided by Σ w_{y_i} over the examples that are not ignored
  (``weighted_mean``, ``class_weighted_sparse_cross_entropy``). ``BCEWithLogitsLoss(weight=w)`` divides by N.
* ``tf.compat.v1.losses.*`` (``SUM_BY_NONZERO_WEIGHTS``): Σ w_i ℓ_i / #{i : w_i ≠ 0}.

Only the normaliser differs: within one batch the gradients point the same way and differ by a constant
factor, but that factor changes from batch to batch with the mix of classes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v
from .activations import _log_normaliser, _softmax_rows
from .losses import sparse_softmax_cross_entropy_with_logits, weighted_neg_log_softmax_sum

__all__ = ["weighted_mean", "balanced_class_weights", "pos_weight_from_labels", "class_weighted_sparse_cross_entropy"]

_REDUCTIONS = ("mean", "sum", "none")


def _check_weights(w: np.ndarray, name: str) -> None:
    """Finite and ≥ 0: a weight says how much an example (or class) counts."""
    v.check_finite(w, name)
    if w.size and w.min() < 0:
        where = v.first_index(w < 0)
        value = (w[where] if w.ndim else w[()]).item()
        raise ValueError(f"{name} must be ≥ 0, got {value!r}" + (f" at index {where}" if w.ndim else ""))


def weighted_mean(losses: ArrayLike, weights: ArrayLike) -> np.floating:
    """Weighted average Σ w_i ℓ_i / Σ w_i: PyTorch's class-weighted ``mean``, Keras' ``mean_with_sample_weight``.

    Formula: weighted_mean(ℓ, w) = Σ_i w_i·ℓ_i / Σ_i w_i.

    Shapes: ``losses`` and ``weights`` of the same shape (no broadcasting); result: a scalar.

    Stability: a term with weight 0 contributes exactly 0, even if its loss is +inf (0·∞ would be NaN).
    ``weights`` must be finite and ≥ 0 with a positive sum: Σ w_i = 0 is a ``ValueError`` (0/0, where PyTorch
    returns NaN).

    See also: ``torch.nn.CrossEntropyLoss(weight=...)`` (weights w_{y_i}), Keras
    ``reduction="mean_with_sample_weight"``; Keras' default ``"sum_over_batch_size"`` is Σ w_i ℓ_i / N instead.

    >>> import ce_teach as ct
    >>> float(ct.weighted_mean([1.0, 2.0, 4.0], [1.0, 1.0, 2.0]))
    2.75
    """
    ell = v.as_real_array(losses, "losses")
    w = v.as_real_array(weights, "weights")
    v.check_same_shape(ell, "losses", w, "weights")
    v.check_not_nan(ell, "losses")
    _check_weights(w, "weights")
    w64, ell64 = w.astype(np.float64), ell.astype(np.float64)
    if not (w64.size and w64.max() > 0):
        raise ValueError("weights sum to 0, so their weighted mean is 0/0, undefined; give some example a weight > 0")
    used = w64 > 0  # a weight of 0 switches its term off, even at an infinite loss
    if np.isposinf(ell64[used]).any() and np.isneginf(ell64[used]).any():
        raise ValueError(
            "losses contains both +inf and -inf with weights > 0: their weighted mean is inf − inf, undefined"
        )
    dtype = v.result_dtype(ell, w)
    finite = np.abs(ell64[used & np.isfinite(ell64)])
    nonzero = finite[finite > 0]
    ordinary = not nonzero.size or (nonzero.max() < 1e150 and nonzero.min() > 1e-150)
    if w64.max() < 1e150 and w64[used].min() > 1e-150 and ordinary:
        terms = np.multiply(w64, ell64, out=np.zeros(w64.shape), where=used)  # 0·inf = 0
        return (terms.sum() / w64.sum()).astype(dtype)
    # Extreme weights or losses: Σ w·ℓ or Σ w may overflow, or a w·ℓ or w / Σw fall into the subnormal range,
    # where it keeps only a few digits. So each number is split into its mantissa and its power of two
    # (w = m·2^e, exact), the sums are taken relative to their largest power of two (the terms far below it
    # are negligible), and the two powers are put back once, at the end: one rounding, even when the
    # result is subnormal.
    if np.isinf(ell64[used]).any():
        return np.asarray(ell64[used][np.isinf(ell64[used])][0]).astype(dtype)  # one sign only: checked above
    m_w, e_w = np.frexp(w64[used])
    m_l, e_l = np.frexp(ell64[used])
    if not m_l.any():
        return np.asarray(0.0).astype(dtype)
    e_terms = e_w + e_l
    top = e_terms[m_l != 0].max()  # a loss of 0 has no power of two to speak of
    numerator = np.sum(np.ldexp(m_w * m_l, e_terms - top))
    denominator = np.sum(np.ldexp(m_w, e_w - e_w.max()))
    return np.asarray(np.ldexp(numerator / denominator, int(top - e_w.max()))).astype(dtype)


def balanced_class_weights(labels: ArrayLike, num_classes: int) -> np.ndarray:
    """Class weights that make every class count as much in total: w_c = N / (C·n_c).

    Formula: w_c = N / (C·n_c), with n_c the number of labels equal to c and N = Σ_c n_c; then
    Σ_{i: y_i = c} w_{y_i} = N / C for every class c.

    Shapes: ``labels`` integer class indices of any shape, each in [0, ``num_classes``); result: (C,).

    Stability: a class with no examples has no finite balancing weight: that is a ``ValueError`` naming the
    class (scikit-learn raises too).

    See also: ``sklearn.utils.class_weight.compute_class_weight("balanced", ...)``, the ``weight`` argument of
    ``torch.nn.CrossEntropyLoss``, Keras ``model.fit(class_weight={c: w_c})``.

    >>> import ce_teach as ct
    >>> ct.balanced_class_weights([0, 0, 0, 1], 2).tolist()
    [0.6666666666666666, 2.0]
    """
    num_classes = v.whole_number(num_classes, "num_classes", minimum=1)
    v.check_size(8.0 * num_classes, "num_classes", f"{num_classes} class weights (float64)")
    y = v.as_real_array(labels, "labels")
    y = y.reshape(-1)
    v.check_sparse_labels(y, (y.size, int(num_classes)))
    counts = np.bincount(y, minlength=int(num_classes))
    if (counts == 0).any():
        missing = int(np.argmax(counts == 0))
        raise ValueError(
            f"class {missing} has no examples in labels, so it has no balancing weight; "
            "pass num_classes = the classes that occur, or choose its weight yourself"
        )
    return y.size / (num_classes * counts.astype(np.float64))


def pos_weight_from_labels(labels: ArrayLike) -> np.ndarray | np.floating:
    """One ``pos_weight`` per column of multi-label targets: negatives / positives.

    Formula: q_c = Σ_i (1 − z_ic) / Σ_i z_ic, the number of negatives over the number of positives of column c
    (soft labels count fractionally). With q_c the positives of column c weigh as much in total as its negatives.

    Shapes: ``labels`` (N, C) or (N,) with entries in [0, 1]; result (C,) or a scalar.

    Stability: a column with no positive has no finite weight: that is a ``ValueError`` naming the column.

    See also: ``torch.nn.BCEWithLogitsLoss(pos_weight=...)``, ``tf.nn.weighted_cross_entropy_with_logits``,
    ``ct.weighted_cross_entropy_with_logits``.

    >>> import ce_teach as ct
    >>> ct.pos_weight_from_labels([[1, 0], [0, 0], [0, 1], [0, 1]]).tolist()
    [3.0, 1.0]
    """
    z = v.as_real_array(labels, "labels")
    if z.ndim not in (1, 2) or z.shape[0] == 0:
        raise ValueError(f"labels must have shape (N,) or (N, C) with N ≥ 1, got {z.shape}")
    v.check_in_unit_interval(z, "labels")
    z64 = z.astype(np.float64)
    positives = z64.sum(axis=0)
    negatives = (1.0 - z64).sum(axis=0)
    if (positives == 0).any():
        column = int(np.argmax(np.atleast_1d(positives) == 0))
        raise ValueError(
            f"column {column} of labels has no positive example, so negatives / positives is infinite; "
            "drop the column or choose its pos_weight yourself"
        )
    return negatives / positives


def class_weighted_sparse_cross_entropy(
    labels: ArrayLike,
    logits: ArrayLike,
    *,
    class_weight: ArrayLike | None = None,
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> np.ndarray | np.floating:
    """Softmax cross-entropy with integer labels, class weights, ignored labels and label smoothing, as PyTorch.

    Reproduces ``torch.nn.CrossEntropyLoss(weight, ignore_index, reduction, label_smoothing)`` with integer
    targets, with the class axis last.

    Formula: with ℓ_ic = −log S(x_i)_c, ε = ``label_smoothing`` and w = ``class_weight`` (all 1 if None),
        loss_i = (1 − ε)·w_{y_i}·ℓ_{i,y_i} + (ε/C)·Σ_c w_c·ℓ_ic, and loss_i = 0 where y_i = ``ignore_index``;
        ``"mean"`` = Σ_i loss_i / Σ_{i not ignored} w_{y_i}; ``"sum"`` = Σ_i loss_i; ``"none"`` = loss_i.
    The mean divides by the weights of the *labels*, not by N, and the smoothing term (which weights every
    class) is divided by the same Σ w_{y_i}.

    Shapes: ``logits`` (..., C); ``labels`` integers of shape ``logits.shape[:-1]``, each in [0, C) or equal to
    ``ignore_index``; ``class_weight`` (C,), finite and ≥ 0. Result: a scalar, or shape ``logits.shape[:-1]``
    for ``reduction="none"``. (PyTorch puts the class axis at dim 1 for inputs of more than 2 dimensions.)

    Stability: −log S from ``log_softmax`` (max shift, log1p), never log of a probability. Where PyTorch returns
    NaN for a mean over nothing (every label ignored, or every label's weight 0), this raises a ``ValueError``.
    ``ignore_index`` defaults to None here (nothing ignored) and to −100 in PyTorch.

    See also: ``torch.nn.CrossEntropyLoss``, ``torch.nn.NLLLoss`` (takes log-probabilities),
    ``keras.losses.SparseCategoricalCrossentropy(ignore_class=...)`` (no class weights; ``class_weight`` in
    ``model.fit`` becomes per-example weights divided by N), ``ct.sparse_softmax_cross_entropy_with_logits``.

    >>> import ce_teach as ct
    >>> logits = [[2.0, 0.0, 0.0], [0.0, 1.0, 0.0], [5.0, 5.0, 5.0]]
    >>> loss = ct.class_weighted_sparse_cross_entropy([0, 1, -100], logits, class_weight=[1.0, 3.0, 1.0],
    ...                                               ignore_index=-100)
    >>> round(float(loss), 12)  # (1·0.239537 + 3·0.551445) / (1 + 3): the third example is ignored
    0.473469727005
    """
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    eps = v.check_smoothing(label_smoothing)
    ignore = v.check_ignore_index(ignore_index, allow_none=True)
    x = v.as_real_array(logits, "logits")
    y = v.as_real_array(labels, "labels")
    v.check_class_axis(x, "logits", -1)
    n_classes = x.shape[-1]
    kept = v.check_sparse_labels(y, x.shape, ignore_index=ignore)  # every label that is not ignored is a class
    if class_weight is None:
        w = np.ones(n_classes)
    else:
        w = v.as_real_array(class_weight, "class_weight")
        if w.shape != (n_classes,):
            raise ValueError(f"class_weight must have shape (C,) = ({n_classes},), one weight per class, got {w.shape}")
        _check_weights(w, "class_weight")
        w = w.astype(np.float64)
    safe_labels = np.where(kept, y, 0).astype(np.int64)
    label_weight = np.where(kept, w[safe_labels], 0.0)
    if eps == 0.0:
        nll = sparse_softmax_cross_entropy_with_logits(safe_labels, x.astype(np.float64))
        smooth = np.zeros(nll.shape)
    else:
        rows, restore, _ = _softmax_rows(x, -1, "logits")
        neg_log_probs = -restore(_log_normaliser(rows))  # (..., C), every entry ≥ 0
        nll = np.take_along_axis(neg_log_probs, safe_labels[..., None], axis=-1)[..., 0]
        # Σ_c w_c·ℓ_c with every product's and every addition's rounding error kept (C terms of one sign)
        smooth = restore(weighted_neg_log_softmax_sum(np.broadcast_to(w, rows.shape).astype(np.float64), rows))
    weighted_nll = np.multiply(label_weight, nll, out=np.zeros(nll.shape), where=label_weight > 0)  # 0·inf = 0
    loss = (1.0 - eps) * weighted_nll + (eps / n_classes) * np.where(kept, smooth, 0.0)
    dtype = v.result_dtype(x)
    if reduction == "none":
        return loss.astype(dtype, copy=False)
    if reduction == "sum":
        return loss.sum().astype(dtype)
    total = label_weight.sum()
    if not total > 0:
        reason = "every label is ignore_index" if not kept.any() else "every label that is not ignored has weight 0"
        raise ValueError(
            f"the mean divides by the sum of the labels' class weights, which is 0 here ({reason}); "
            "PyTorch returns nan. Use reduction='sum', or skip this batch"
        )
    return (loss.sum() / total).astype(dtype)

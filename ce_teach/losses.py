"""Cross-entropy losses from logits, named and ordered as in TensorFlow: ``f(labels, logits)``.

No reduction: one loss per element (sigmoid family) or per row (softmax family); take ``.mean()``
yourself for a batch loss. Every loss is written as a sum of non-negative terms, so no digit is
lost to cancellation:

* binary: ``L + (1 − z)·max(x, 0) + z·max(−x, 0)`` with ``L = log1p(e^{−|x|})``. TensorFlow's
  ``max(x, 0) − x·z + L`` cancels for soft labels near 1 (≈500 ulp at z = 0.999), PyTorch's
  ``(1 − z)·x − log σ(x)`` for labels near 0 (it returns 0 instead of e^x for z = 0, x < −37).
* softmax: ``Σ_j y_j·(log1p(S) − (x_j − m))``, where m is the row maximum and S the sum of the other
  e^{x_k − m}; the frameworks' ``log(1 + S)`` returns 0 for a confident correct row.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v
from ._compensated import exp_sum_without_max, row_max, row_sum_exact, shift, shift_by_max, split_product
from ._parallel import in_parallel, map_chunks, row_blocks, rows_per_block, to_rows
from .activations import _softmax_rows, softplus_tail

__all__ = [
    "sigmoid_cross_entropy_with_logits",
    "weighted_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits",
    "sparse_softmax_cross_entropy_with_logits",
]


def _bce_kernel(z, x, *, out, scratch):
    """out = L(x) + x·(H(x) − z), where H(x) = 1 for x > 0, else 0 (both terms ≥ 0)."""
    (tmp,) = scratch
    np.abs(x, out=tmp)
    np.negative(tmp, out=tmp)
    np.exp(tmp, out=tmp)
    np.log1p(tmp, out=tmp)  # L(x) = log1p(e^{-|x|})
    np.greater(x, 0, out=out, casting="unsafe")  # H(x) as 0.0 / 1.0
    np.subtract(out, z, out=out)
    np.multiply(out, x, out=out)  # (1 − z)·x for x > 0, z·(−x) otherwise
    np.add(out, tmp, out=out)


def _zero_infinite_products(loss, x, coef_pos, coef_neg):
    """At x = ±inf a zero coefficient times inf is 0 here (the limit), not NaN."""
    inf = np.isinf(x)
    zero = np.where(x > 0, coef_pos, coef_neg) == 0
    loss[inf & zero] = 0.0


def sigmoid_cross_entropy_with_logits(labels: ArrayLike, logits: ArrayLike) -> np.ndarray:
    """Binary cross-entropy from logits, elementwise: −z·log σ(x) − (1 − z)·log(1 − σ(x)).

    Formula: loss = log1p(e^{−|x|}) + (1 − z)·max(x, 0) + z·max(−x, 0)
    (equal to TensorFlow's max(x, 0) − x·z + log(1 + e^{−|x|}), rearranged into non-negative terms).

    Shapes: ``labels`` z and ``logits`` x of the same shape (no broadcasting); z ∈ [0, 1] may be
    soft. Result: one loss per element, same shape.

    Stability: never forms σ(x) or log of it, so it neither overflows nor takes log(0); the sum of
    non-negative terms avoids the cancellation of TF's form at z ≈ 1 and of PyTorch's at z ≈ 0.
    Exact at the infinities: loss(+∞, z=1) = 0, loss(−∞, z=0) = 0, loss(+∞, 0) = loss(−∞, 1) = ∞.

    See also: ``tf.nn.sigmoid_cross_entropy_with_logits``, ``keras.losses.BinaryCrossentropy(from_logits=True)``
    (which also averages), ``torch.nn.BCEWithLogitsLoss(reduction='none')``.

    >>> import ce_teach as ct
    >>> loss = ct.sigmoid_cross_entropy_with_logits([0, 0, 1, 1, 1], [-1.0, -1.0, 0.0, 1.0, 2.0])
    >>> float(loss.mean())
    0.3519720508315173
    """
    z, x, dtype, finite = v.binary_labels_and_logits(labels, logits)
    if finite:
        return map_chunks(_bce_kernel, (z, x), dtype)
    z64, x64 = z.astype(np.float64), x.astype(np.float64)
    with np.errstate(invalid="ignore"):
        loss = map_chunks(_bce_kernel, (z64, x64), np.dtype(np.float64))
    _zero_infinite_products(loss, x64, 1.0 - z64, z64)
    return loss.astype(dtype, copy=False)


def weighted_cross_entropy_with_logits(
    labels: ArrayLike, logits: ArrayLike, pos_weight: ArrayLike
) -> np.ndarray | np.floating:
    """Binary cross-entropy with the positive term weighted by ``pos_weight`` q, elementwise.

    Formula: loss = −q·z·log σ(x) − (1 − z)·log(1 − σ(x))
                  = (q·z + 1 − z)·log1p(e^{−|x|}) + (1 − z)·max(x, 0) + q·z·max(−x, 0).

    Shapes: ``labels`` and ``logits`` of the same shape; ``pos_weight`` a positive scalar or an array
    broadcastable to them (typically one weight per class, shape (C,)). Result: same shape as logits.

    Stability: as ``sigmoid_cross_entropy_with_logits``: non-negative terms only. TensorFlow's
    ``(1 − z)·x + (1 + (q − 1)·z)·(L + max(−x, 0))`` and PyTorch's equivalent cancel for z = 0 and
    x < −37 and return 0 instead of e^x there.

    q > 1 raises the cost of missing a positive (use it when positives are rare, q ≈ negatives /
    positives); it is a weight on the *label's* term, unlike a per-example weight, which multiplies
    the whole loss of that example.

    See also: ``tf.nn.weighted_cross_entropy_with_logits``, ``torch.nn.BCEWithLogitsLoss(pos_weight=...)``.

    >>> import ce_teach as ct
    >>> ct.weighted_cross_entropy_with_logits([1.0, 0.0], [0.0, 0.0], pos_weight=3.0).tolist()
    [2.0794415416798357, 0.6931471805599453]
    """
    z, x, dtype, _ = v.binary_labels_and_logits(labels, logits)
    q = v.as_real_array(pos_weight, "pos_weight")
    v.check_positive(q, "pos_weight")
    v.check_finite(q, "pos_weight")
    try:
        q = np.broadcast_to(q, x.shape)
    except ValueError:
        raise ValueError(
            f"pos_weight of shape {q.shape} does not broadcast to logits of shape {x.shape}; "
            "use a scalar or one weight per class, shape (C,)"
        ) from None
    z64, x64 = z.astype(np.float64), x.astype(np.float64)
    qz = q.astype(np.float64) * z64
    with np.errstate(invalid="ignore", over="ignore"):  # 0·inf at x = ±inf, fixed below; inf where it is inf
        loss = (qz + (1.0 - z64)) * softplus_tail(x64) + (1.0 - z64) * np.maximum(x64, 0.0) + qz * np.maximum(-x64, 0.0)
    if not np.isfinite(x64).all():
        _zero_infinite_products(loss, x64, 1.0 - z64, qz)
    # a Python number as pos_weight does not widen float32 logits; an array of weights takes part
    dtype = v.result_dtype(x, q) if isinstance(pos_weight, np.ndarray) else v.result_dtype(x)
    return loss.astype(dtype, copy=False)


def softmax_cross_entropy_with_logits(labels: ArrayLike, logits: ArrayLike, *, axis: int = -1) -> np.ndarray:
    """Softmax cross-entropy from logits with distribution (one-hot or soft) labels, one loss per row.

    Formula: loss = −Σ_j y_j·log S(x)_j = Σ_j y_j·(log1p(S) − (x_j − m)),
    with m = max_j x_j and S = Σ_{k≠argmax} e^{x_k − m}.

    Shapes: ``labels`` y and ``logits`` x of the same shape (..., C) with the class axis at ``axis``;
    each row of y a distribution: entries in [0, 1] summing to 1 up to rounding (a one-hot row, or a
    probability row such as a smoothed label). An all-zero (padding) row is an error naming the row.
    Result: shape (...).

    Stability: the log-sum-exp is taken after subtracting the row max (no overflow), with log1p and a
    compensated subtraction (a confident correct row keeps its ~1e-20 loss instead of returning 0);
    classes with y_j = 0 contribute exactly 0, even if their logit is −inf. The sum over classes keeps
    every rounding error (TwoProduct, pairwise TwoSum), so 10⁴ smoothed classes stay within 2 ulp.

    v1 vs v2: TensorFlow's ``softmax_cross_entropy_with_logits_v2`` also lets gradients flow into the
    labels (∂loss/∂y_j = −log S(x)_j); the forward value, computed here, is the same.

    See also: ``tf.nn.softmax_cross_entropy_with_logits``, ``keras.losses.CategoricalCrossentropy(from_logits=True)``,
    ``torch.nn.functional.cross_entropy`` with probability targets, ``optax.softmax_cross_entropy``.

    >>> import ce_teach as ct
    >>> ct.softmax_cross_entropy_with_logits([[1, 0, 0], [0, 0.8, 0.2]], [[4.0, 2, 1], [0, 5, 1]]).tolist()
    [0.16984601955628567, 0.8247448901388227]
    """
    return soft_label_loss(labels, logits, axis, "labels", "logits")


def soft_label_loss(labels, logits, axis: int, label_name: str, logit_name: str) -> np.ndarray:
    """``softmax_cross_entropy_with_logits`` with the user's argument names in every error message.

    Per row, with D_j = x_j − m ≤ 0 (compensated: d_j + dl_j) and L = log1p(S):
    loss = L·Σ_j y_j + Σ_j y_j·(−D_j), two non-negative parts. The dot product and both sums keep the
    rounding error of every product (TwoProduct) and every addition (pairwise TwoSum), so a row of 10⁴
    smoothed labels is as accurate as a one-hot row: a plain ``(y * −log_softmax).sum()`` reached 5 ulp
    on 1 000 label-smoothed classes.
    """
    v.check_axis(axis)
    y = v.as_real_array(labels, label_name)
    x = v.as_real_array(logits, logit_name)
    v.check_same_shape(y, label_name, x, logit_name)
    v.check_distribution(y, label_name, axis)
    rows, restore, dtype = _softmax_rows(x, axis, logit_name)
    y_rows = np.ascontiguousarray(np.moveaxis(y, axis, -1).reshape(rows.shape), dtype=np.float64)
    return restore(weighted_neg_log_softmax_sum(y_rows, rows)).astype(dtype, copy=False)


def weighted_neg_log_softmax_sum(y_rows: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Σ_j y_j·(−log S(x)_j) per row for validated logit rows and weights y ≥ 0 (float64, same shape).

    The sum is L·Σ_j y_j + Σ_j y_j·(−D_j), see ``soft_label_loss``; +inf where some y_j > 0 meets x_j = −inf.
    """
    out = np.empty(rows.shape[0])
    for b in row_blocks(*rows.shape):
        block, yb = rows[b], y_rows[b]
        d, dl = np.empty(block.shape), np.empty(block.shape)
        imax, _, low = shift_by_max(block, d, dl)
        used = yb > 0
        dead = (used & np.isneginf(d)).any(axis=1)  # label mass on a class of probability 0: the loss is +inf
        neg_d = np.where(used & np.isfinite(d), -d, 0.0)  # a label of 0 switches its term off, even at −inf
        p, e = split_product(yb, neg_d)  # y_j·(−d_j) = p + e exactly
        shifted = row_sum_exact(p) + e.sum(axis=1)
        if low is not None:
            shifted -= (yb * np.where(used, low, 0.0)).sum(axis=1)  # the TwoSum low parts of x_j − m (tiny)
        normaliser = np.log1p(exp_sum_without_max(d, low, imax, d))
        pl, el = split_product(normaliser, row_sum_exact(yb))
        out[b] = np.where(dead, np.inf, pl + (shifted + el))
    return out


def sparse_softmax_cross_entropy_with_logits(labels: ArrayLike, logits: ArrayLike) -> np.ndarray:
    """Softmax cross-entropy from logits with integer class labels, one loss per row.

    Formula: loss = −log S(x)_y = log1p(S) − (x_y − m), with m = max_j x_j and
    S = Σ_{k≠argmax} e^{x_k − m}.

    Shapes: ``logits`` (..., C); ``labels`` integers of shape (...) (= ``logits.shape[:-1]``), each in
    [0, C). Result: shape (...). Same value as the one-hot loss, without building a (..., C) one-hot.

    Stability: max-shift + log1p as in ``softmax_cross_entropy_with_logits``. Computed a few rows at a
    time in cache-sized buffers (on every core for large inputs), so the extra memory is about a MiB,
    not a copy of the logits. float32 logits are computed in float64 and rounded once.
    Out-of-range labels raise a ``ValueError`` naming the label; frameworks disagree here (an error in
    eager TensorFlow and PyTorch, NaN under XLA and on GPUs, a silent 0 in Keras' JAX backend).

    See also: ``tf.nn.sparse_softmax_cross_entropy_with_logits``,
    ``keras.losses.SparseCategoricalCrossentropy(from_logits=True)``,
    ``torch.nn.functional.cross_entropy(reduction='none')``.

    >>> import ce_teach as ct
    >>> ct.sparse_softmax_cross_entropy_with_logits([0, 1], [[2.0, 0.0], [50.0, 0.0]]).tolist()
    [0.1269280110429725, 50.0]
    """
    return sparse_label_loss(labels, logits, "labels", "logits")


def sparse_label_loss(labels, logits, label_name: str, logit_name: str) -> np.ndarray:
    """``sparse_softmax_cross_entropy_with_logits`` with the user's argument names in every error message."""
    x = v.as_real_array(logits, logit_name)
    y = v.as_real_array(labels, label_name)
    v.check_class_axis(x, logit_name, -1)
    v.check_sparse_labels(y, x.shape, label_name, logit_name)
    rows, restore = to_rows(x, -1)
    y_rows = y.reshape(-1)
    out = np.empty(rows.shape[0])
    n_rows, n_classes = rows.shape
    rows_ok = in_parallel(
        lambda part: _sparse_loss_rows(rows[part], y_rows[part], out[part]), n_rows, cost_per_item=n_classes
    )
    if not all(rows_ok):
        # A row maximum that is NaN or ±inf means a NaN, a +inf or an all −inf row somewhere: the
        # softmax input checks find it and raise the same error as every other softmax function.
        _softmax_rows(x, -1, logit_name)
        raise AssertionError("unreachable: a row maximum was not finite but the logits passed the checks")
    return restore(out).astype(v.result_dtype(x), copy=False)


def _sparse_loss_rows(rows: np.ndarray, labels: np.ndarray, out: np.ndarray) -> bool:
    """out[i] = log1p(S_i) − (x_{i, y_i} − m_i) for each row, a few rows at a time in float64 buffers.

    Checks each block's row maxima before using them and returns False at the first one that is not
    finite (the caller then raises the proper error), True when every row was computed.
    """
    n_classes = rows.shape[1]
    step = rows_per_block(n_classes)
    d = np.empty((step, n_classes))
    dl = np.empty((step, n_classes)) if rows.dtype == np.float64 else None  # TwoSum low parts: float64 only
    for start in range(0, rows.shape[0], step):
        block = rows[start : start + step]
        k = block.shape[0]
        imax, m = row_max(block)
        if not np.isfinite(m).all():
            return False
        low = shift(block, m, d[:k], None if dl is None else dl[:k])
        r, y = np.arange(k), labels[start : start + k]
        label_shift = d[r, y]  # x_y − m ≤ 0 (plus its low part, below)
        if low is not None:
            label_shift += low[r, y]
        s = exp_sum_without_max(d[:k], low, imax, d[:k])
        out[start : start + k] = np.log1p(s) - label_shift
    return True

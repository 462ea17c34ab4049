"""Squared error on sigmoid and softmax outputs, and the 0-1 loss: the losses cross-entropy replaced, and why.

For a = σ(x) the squared error ½(a − z)² has the gradient (a − z)·a(1 − a) with respect to the logit
x: the chain rule multiplies the error a − z by the sigmoid's slope a(1 − a), which is tiny where
the sigmoid saturates, even when the prediction is completely wrong. Cross-entropy's gradient is the
error a − z alone. The softmax version is the same story with the Jacobian J = diag(s) − s·sᵀ in
place of a(1 − a). The 0-1 loss (classification error) is flat almost everywhere: its gradient is 0,
so gradient descent cannot minimise it at all.

Numerics: σ(x) − z is computed as (1 − z) − σ(−x) for x ≥ 0, so that a confidently wrong or right
prediction keeps its tiny error (e.g. 1.9e-22 at x = 50, z = 1) instead of rounding 1 − 1.0 to 0;
a(1 − a) is σ(x)·σ(−x), with no subtraction at all.
"""

from __future__ import annotations

import numpy as np

from . import _validate as v
from .activations import _softmax_rows, softmax_of_rows

__all__ = [
    "sigmoid_squared_error",
    "sigmoid_squared_error_grad",
    "softmax_squared_error",
    "softmax_squared_error_grad",
    "zero_one_loss",
]


def _binary_inputs(labels, logits):
    """Validated float64 (z, x) of one shape, and the result dtype."""
    z, x, dtype, _ = v.binary_labels_and_logits(labels, logits)
    return z.astype(np.float64), x.astype(np.float64), dtype


def sigmoid_error_and_slope(z: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(σ(x) − z, σ(x)·(1 − σ(x))) for float64 arrays, without cancellation (internal; no input checks).

    With t = σ(−|x|) ≤ ½ (the smaller of σ(x) and 1 − σ(x)): σ(x) − z = (1 − z) − t for x ≥ 0 and
    t − z for x < 0; the slope is t·(1 − t). Exact for hard labels: z = 1, x = 50 gives −σ(−50).
    """
    e = np.exp(-np.abs(x))
    t = e / (1.0 + e)  # σ(−|x|), the two-branch sigmoid's x < 0 branch
    error = np.where(x >= 0, (1.0 - z) - t, t - z)
    return error, t * (1.0 - t)


def sigmoid_squared_error(labels, logits):
    """Squared error on a sigmoid output, elementwise: ½(σ(x) − z)².

    Formula: loss = ½(a − z)², with a = σ(x).

    Shapes: ``labels`` z ∈ [0, 1] and ``logits`` x of the same shape; result of that shape.

    Stability: σ(x) − z is formed as (1 − z) − σ(−x) for x ≥ 0, so a nearly perfect prediction keeps
    its tiny error instead of rounding to 0. The loss is bounded by ½: a certain mistake costs 0.5,
    where cross-entropy would cost |x|.

    See also: ``keras.losses.MeanSquaredError`` and ``torch.nn.MSELoss`` on ``sigmoid(x)`` (both
    without the ½, and averaged).

    >>> import ce_teach as ct
    >>> ct.sigmoid_squared_error([1.0, 1.0, 0.0], [0.0, -50.0, 0.0]).tolist()
    [0.125, 0.5, 0.125]
    """
    z, x, dtype = _binary_inputs(labels, logits)
    error, _ = sigmoid_error_and_slope(z, x)
    return (0.5 * error**2).astype(dtype, copy=False)


def sigmoid_squared_error_grad(labels, logits):
    """Gradient of ``sigmoid_squared_error`` with respect to the logits, elementwise.

    Formula: ∂/∂x ½(σ(x) − z)² = (a − z)·a(1 − a), with a = σ(x): the error times the sigmoid's slope.
    Compare cross-entropy's a − z: the extra factor a(1 − a) ≤ ¼ vanishes where the sigmoid
    saturates, right or wrong (about e^{−|x|} for large |x|).

    Shapes: ``labels`` z ∈ [0, 1] and ``logits`` x of the same shape; result of that shape.

    Stability: both factors are formed without subtraction of nearly equal numbers (see the module
    docstring), so the gradient keeps its relative accuracy even at x = ±50.

    See also: the backward pass of ``torch.nn.functional.mse_loss(torch.sigmoid(x), z)`` (times 2, for
    its missing ½).

    >>> import ce_teach as ct
    >>> ct.sigmoid_squared_error_grad([1.0, 0.0], [0.0, 0.0]).tolist()
    [-0.125, 0.125]
    >>> float(ct.sigmoid_squared_error_grad(1.0, -10.0))  # badly wrong, yet almost no gradient
    -4.5393746863032435e-05
    """
    z, x, dtype = _binary_inputs(labels, logits)
    error, slope = sigmoid_error_and_slope(z, x)
    return (error * slope).astype(dtype, copy=False)


def _softmax_inputs(labels, logits, axis):
    v.check_axis(axis)
    y = v.as_real_array(labels, "labels")
    x = v.as_real_array(logits, "logits")
    v.check_same_shape(y, "labels", x, "logits")
    v.check_distribution(y, "labels", axis)
    rows, restore, dtype = _softmax_rows(x, axis, "logits")  # NaN, +inf, all −inf rows, class axis
    return y.astype(np.float64), restore(softmax_of_rows(rows)), dtype


def softmax_squared_error(labels, logits, *, axis: int = -1):
    """Squared error on softmax outputs, one loss per row: ½‖S(x) − y‖².

    Formula: loss = ½ Σ_j (S(x)_j − y_j)².

    Shapes: ``labels`` y and ``logits`` x of the same shape (..., C), class axis ``axis``; y_j ∈ [0, 1]
    (one-hot or soft). Result: shape (...).

    Stability: S(x) from the max-shifted softmax (no overflow). Bounded by 1 for one-hot y: a certain
    mistake costs ½(1 + 1) = 1, where cross-entropy would grow with the logit gap.

    See also: ``keras.losses.MeanSquaredError`` or ``torch.nn.MSELoss`` on ``softmax(x)`` (averaged
    over classes instead of halved and summed).

    >>> import ce_teach as ct
    >>> ct.softmax_squared_error([[1.0, 0.0], [0.0, 1.0]], [[0.0, 0.0], [0.0, 0.0]]).tolist()
    [0.25, 0.25]
    """
    y, s, dtype = _softmax_inputs(labels, logits, axis)
    return (0.5 * ((s - y) ** 2).sum(axis=axis)).astype(dtype, copy=False)


def softmax_squared_error_grad(labels, logits, *, axis: int = -1):
    """Gradient of ``softmax_squared_error`` with respect to the logits, per row.

    Formula: ∂/∂x ½‖S(x) − y‖² = Jᵀ(s − y) with J = diag(s) − s·sᵀ (symmetric), which is
    s ⊙ (e − ⟨s, e⟩) for the error e = s − y: no C×C matrix is built. Every component carries a
    factor s_j; for a confident mistake the true class has s_true ≈ 0 and the predicted one
    s_k ≈ 1 with e − ⟨s, e⟩ ≈ 0, so the whole gradient vanishes. Cross-entropy's gradient is e itself.

    Shapes: ``labels`` y and ``logits`` x of the same shape (..., C), class axis ``axis``; result of that shape.

    Stability: built from the stable softmax; ⟨s, e⟩ is a short dot product of numbers in [−1, 1].

    See also: ``ct.softmax_jacobian`` (the same result as ``J @ (s − y)``, one row at a time);
    ``torch.autograd.grad`` of ``mse_loss(softmax(x), y, reduction='sum') / 2``.

    >>> import ce_teach as ct
    >>> ct.softmax_squared_error_grad([1.0, 0.0], [0.0, 0.0]).tolist()
    [-0.25, 0.25]
    """
    y, s, dtype = _softmax_inputs(labels, logits, axis)
    e = s - y
    return (s * (e - (s * e).sum(axis=axis, keepdims=True))).astype(dtype, copy=False)


def zero_one_loss(labels, logits):
    """The 0-1 loss (classification error) of a binary classifier, elementwise: 1 if wrong, 0 if right.

    Formula: loss = 1 if (x > 0) ≠ z else 0; the prediction is class 1 when σ(x) > ½, i.e. x > 0
    (x = 0 exactly counts as class 0). Its mean over a batch is the error rate, 1 − accuracy.

    Shapes: ``labels`` z ∈ {0, 1} and ``logits`` x of the same shape; result of that shape (float).

    Stability: no arithmetic, only a comparison. It is a step function of x: its derivative is 0
    everywhere except at x = 0, where it jumps, so it gives gradient descent nothing to follow.
    That is why classifiers are trained on cross-entropy and only *evaluated* by accuracy.

    See also: ``keras.metrics.BinaryAccuracy`` (threshold 0.5 on probabilities), ``sklearn.metrics.zero_one_loss``.

    >>> import ce_teach as ct
    >>> ct.zero_one_loss([1, 1, 0, 0], [3.0, -0.1, -2.0, 0.5]).tolist()
    [0.0, 1.0, 0.0, 1.0]
    """
    z = v.as_real_array(labels, "labels")
    x = v.as_real_array(logits, "logits")
    v.check_same_shape(z, "labels", x, "logits")
    v.check_not_nan(x, "logits")
    bad = ~np.isin(z, (0, 1))
    if bad.any():
        where = v.first_index(bad)
        value = (z[where] if z.ndim else z[()]).item()
        raise ValueError(
            f"labels must be hard class labels 0 or 1; found {value!r}"
            + (f" at index {where}" if z.ndim else "")
            + " (the 0-1 loss needs a right answer to compare with)"
        )
    return ((x > 0) != (z == 1)).astype(v.result_dtype(x))

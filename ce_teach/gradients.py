"""Gradients of the cross-entropy losses with respect to the logits, and a finite-difference checker.

The two results every learner should remember:
* sigmoid cross-entropy: ∂loss/∂x = σ(x) − z;
* softmax cross-entropy: ∂loss/∂x = S(x) − y (for a one-hot label: S(x)_true − 1 at the true class).
Both are "prediction minus target": the gradient is large exactly when the prediction is wrong.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v
from .activations import _softmax_rows, sigmoid, softmax, softmax_of_rows

__all__ = ["sigmoid_cross_entropy_grad", "softmax_cross_entropy_grad", "softmax_jacobian", "numerical_gradient"]

MAX_ENTRIES = 100_000  # numerical_gradient: at most this many entries (2 calls of f each)


def sigmoid_cross_entropy_grad(labels: ArrayLike, logits: ArrayLike) -> np.ndarray | np.floating:
    """Gradient of ``sigmoid_cross_entropy_with_logits`` with respect to the logits, elementwise.

    Formula: ∂loss/∂x = σ(x) − z.

    Shapes: ``labels`` z ∈ [0, 1] and ``logits`` x of the same shape; result of that shape.

    Stability: σ(x) comes from the overflow-free two-branch sigmoid. Near the optimum σ(x) ≈ z and the
    difference is small, so expect an absolute (not relative) error of a few ε.

    See also: the backward pass of ``tf.nn.sigmoid_cross_entropy_with_logits`` and ``torch.nn.BCEWithLogitsLoss``.

    >>> import ce_teach as ct
    >>> ct.sigmoid_cross_entropy_grad([1.0, 0.0], [0.0, 0.0]).tolist()
    [-0.5, 0.5]
    """
    z, x, dtype, _ = v.binary_labels_and_logits(labels, logits)
    return (sigmoid(x.astype(np.float64)) - z).astype(dtype, copy=False)


def softmax_cross_entropy_grad(labels: ArrayLike, logits: ArrayLike, *, axis: int = -1) -> np.ndarray:
    """Gradient of ``softmax_cross_entropy_with_logits`` with respect to the logits, per row.

    Formula: ∂loss/∂x_i = S(x)_i − y_i, because ∂/∂x_i [logsumexp(x) − Σ_j y_j x_j] = S(x)_i − y_i
    when Σ_j y_j = 1. For a one-hot label it is S(x)_i at the wrong classes and S(x)_true − 1 at the true one.

    Shapes: ``labels`` y and ``logits`` x of the same shape (..., C), class axis ``axis``; result of that
    shape. Each row of y must be a distribution (sum 1, like every soft label here).

    Stability: S(x) from the max-shifted softmax (no overflow).

    See also: the fused gradient of ``tf.nn.softmax_cross_entropy_with_logits`` (its kernel returns
    the loss and S(x) − y together), ``torch.nn.functional.cross_entropy`` backward.

    >>> import ce_teach as ct
    >>> ct.softmax_cross_entropy_grad([0.0, 1.0], [0.0, 0.0]).tolist()
    [0.5, -0.5]
    """
    v.check_axis(axis)
    y = v.as_real_array(labels, "labels")
    x = v.as_real_array(logits, "logits")
    v.check_same_shape(y, "labels", x, "logits")
    v.check_distribution(y, "labels", axis)
    rows, restore, dtype = _softmax_rows(x, axis, "logits")
    return (restore(softmax_of_rows(rows)) - y).astype(dtype, copy=False)


def softmax_jacobian(x: ArrayLike) -> np.ndarray:
    """Jacobian of the softmax along the last axis: J_ij = ∂S_i/∂x_j.

    Formula: J = diag(s) − s·sᵀ, i.e. J_ij = s_i·(δ_ij − s_j), with s = S(x).

    Shapes: ``x`` of shape (..., C) → result of shape (..., C, C). Each J is symmetric, its rows sum
    to 0 (softmax outputs always sum to 1), and its diagonal s_i(1 − s_i) is the sigmoid's σ(1 − σ).

    Stability: built from the stable softmax; no exponentials of its own.

    See also: ``torch.autograd.functional.jacobian(torch.softmax, x)``, ``jax.jacobian(jax.nn.softmax)``.

    >>> import ce_teach as ct
    >>> ct.softmax_jacobian([0.0, 0.0]).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    x = v.as_real_array(x, "x")
    v.check_class_axis(x, "x", -1)
    n_classes = x.shape[-1]
    v.check_size(8.0 * x.size * n_classes, "x", f"the Jacobian of shape {(*x.shape, n_classes)} (float64)")
    s = softmax(x.astype(np.float64), axis=-1)
    jac = -s[..., :, None] * s[..., None, :]
    diagonal = np.einsum("...ii->...i", jac)
    diagonal += s
    return jac.astype(v.result_dtype(x), copy=False)


def numerical_gradient(f: Callable[[np.ndarray], float], x: ArrayLike, *, eps: float = 1e-6) -> np.ndarray:
    """Gradient of a scalar function by central differences, to check a hand-derived gradient.

    Formula: g_i ≈ (f(x + eps·e_i) − f(x − eps·e_i)) / (2·eps), one pair of calls per entry of x.

    Shapes: ``x`` any shape (converted to float64); ``f`` takes an array of that shape and returns a
    scalar (e.g. a mean loss). Result: float64 array of ``x``'s shape.

    Stability: the truncation error is O(eps²) and the rounding error O(ε·|f|/eps); eps = 1e-6 balances
    the two for float64 and functions of moderate size, giving about 9–10 correct digits. Compare
    against it with a tolerance such as 1e-6, never with ==.

    See also: ``torch.autograd.gradcheck``, ``scipy.optimize.approx_fprime`` (one-sided).

    >>> import numpy as np, ce_teach as ct
    >>> g = ct.numerical_gradient(lambda x: float(np.sum(x ** 2)), np.array([1.0, -2.0]))
    >>> np.allclose(g, [2.0, -4.0])
    True
    """
    if not callable(f):
        raise TypeError(f"f must be a function of one array returning a scalar, got {type(f).__name__}")
    eps = v.number(eps, "eps", 0.0, open_low=True, what="step")
    x = v.as_real_array(x, "x").astype(np.float64)  # a copy: f never sees the caller's array change
    v.check_finite(x, "x")
    if x.size > MAX_ENTRIES:
        raise ValueError(
            f"x has {x.size} entries; numerical_gradient calls f twice per entry and allows at most "
            f"{MAX_ENTRIES} entries. Check the gradient on a few entries (a slice of x) instead"
        )
    grad = np.empty_like(x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        original = flat_x[i]
        flat_x[i] = original + eps
        f_plus = _scalar(f(x))
        flat_x[i] = original - eps
        f_minus = _scalar(f(x))
        flat_x[i] = original
        for value, sign in ((f_plus, "+"), (f_minus, "-")):
            if not np.isfinite(value):
                raise ValueError(
                    f"f returned {value!r} at x[{i}] {sign} eps (index {np.unravel_index(i, x.shape)}); "
                    "a finite difference needs finite values of f (NaN or inf has no slope)"
                )
        flat_g[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _scalar(value) -> float:
    try:
        array = v.as_real_array(value, "the value f returned")
    except (TypeError, ValueError):
        raise TypeError(f"f must return a real number (e.g. loss.mean()), got {value!r}") from None
    if array.size != 1:
        raise ValueError(
            f"f must return a scalar (e.g. loss.mean()), got an array of shape {array.shape}; reduce it first"
        )
    return float(array.reshape(()))

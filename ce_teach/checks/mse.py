"""Exercises for notebook 06: the gradient of squared error through a sigmoid and through a softmax."""

from __future__ import annotations

import numpy as np

from .. import mse
from ..activations import sigmoid, softmax
from ._core import Exercise

__all__ = ["sigmoid_mse_grad", "softmax_mse_grad"]

# (labels, logits): moderate and saturated logits, both labels; a naive σ = 1/(1 + e^{−x}) is fine on all of them.
_BINARY = [
    (np.array([1.0, 1.0, 1.0, 0.0, 0.0]), np.array([-8.0, -1.0, 2.0, 0.5, 6.0])),
    (np.array([1.0, 0.0, 1.0]), np.array([0.0, 0.0, -30.0])),
    (np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[3.0, 3.0], [-0.2, -4.0]])),
]
_SOFTMAX = [
    (np.array([1.0, 0.0, 0.0]), np.array([1.0, 2.0, -1.0])),
    (np.array([0.0, 1.0, 0.0, 0.0]), np.array([0.5, -2.0, 3.0, 0.0])),
    (np.array([0.0, 0.0, 1.0]), np.array([8.0, 0.0, -8.0])),
    (np.array([0.2, 0.8]), np.array([0.3, -0.4])),
]


def _flipped(got, expected, args):
    if np.allclose(got, -expected, rtol=1e-9, atol=1e-12) and not np.allclose(expected, 0):
        return "the sign is flipped: the error is prediction minus target, (a − y), not (y − a)."
    return None


def _binary_mistakes(got, expected, args):
    labels, logits = args
    a = sigmoid(logits)
    if np.allclose(got, a - labels, rtol=1e-9, atol=1e-12):
        return ("that is cross-entropy's gradient a − y (or the derivative with respect to a). "
                "For x the chain rule adds the sigmoid's slope: multiply by σ'(x) = a(1 − a).")
    if np.allclose(got, 2 * expected, rtol=1e-9, atol=1e-12):
        return "twice too big: d/da of ½(a − y)² is (a − y); did you differentiate (a − y)² instead?"
    if np.allclose(got, (a - labels) * logits * (1 - logits), rtol=1e-9, atol=1e-12):
        return "σ'(x) = σ(x)(1 − σ(x)) = a(1 − a), written with a = σ(x), not with x itself."
    if np.allclose(got, (a - labels) * a, rtol=1e-9, atol=1e-12):
        return "the slope of the sigmoid is a(1 − a), not a: the factor (1 − a) is missing."
    return None


def _softmax_mistakes(got, expected, args):
    labels, logits = args
    s = softmax(logits)
    if np.allclose(got, s - labels, rtol=1e-9, atol=1e-12):
        return "that is cross-entropy's gradient S − y; for squared error multiply it by the Jacobian: Jᵀ(S − y)."
    if np.allclose(got, s * (s - labels), rtol=1e-9, atol=1e-12):
        return ("you used only the diagonal of the Jacobian, s_j(1 − s_j) → s ⊙ (S − y) is missing the −s·sᵀ part: "
                "use J = diag(s) − s sᵀ (ct.softmax_jacobian).")
    if np.allclose(got, 2 * expected, rtol=1e-9, atol=1e-12):
        return "twice too big: the loss is ½‖S − y‖², whose gradient with respect to S is S − y, not 2(S − y)."
    return None


sigmoid_mse_grad = Exercise(
    "∂/∂x ½(σ(x) − y)²",
    reference=mse.sigmoid_squared_error_grad,
    cases=_BINARY,
    diagnoses=[_binary_mistakes, _flipped],
    hint="chain rule: ∂/∂x ½(a − y)² = (a − y)·∂a/∂x, and ∂a/∂x = a(1 − a) for a = σ(x).",
)

softmax_mse_grad = Exercise(
    "∂/∂x ½‖S(x) − y‖²",
    reference=mse.softmax_squared_error_grad,
    cases=_SOFTMAX,
    diagnoses=[_softmax_mistakes, _flipped],
    hint="chain rule: ∂L/∂x = Jᵀ·∂L/∂S = Jᵀ(S − y), with J = ct.softmax_jacobian(x) (one row of logits).",
)

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
    (np.array([1.0, 0.0, 1.0, 0.0]), np.array([-800.0, 800.0, 800.0, -800.0])),  # past e^x's overflow at 709.8
]
_SOFTMAX = [
    (np.array([1.0, 0.0, 0.0]), np.array([1.0, 2.0, -1.0])),
    (np.array([0.0, 1.0, 0.0, 0.0]), np.array([0.5, -2.0, 3.0, 0.0])),
    (np.array([0.0, 0.0, 1.0]), np.array([8.0, 0.0, -8.0])),
    (np.array([0.2, 0.8]), np.array([0.3, -0.4])),
    (np.array([1.0, 0.0, 0.0]), np.array([-800.0, 800.0, 0.0])),  # a confident mistake past e^x's overflow
]


def _flipped(got, expected, args):
    if np.allclose(got, -expected, rtol=1e-9, atol=1e-12) and not np.allclose(expected, 0):
        return "the sign is flipped: the error is prediction minus target, (a − z) or (S − y), not the other way round."
    return None


def _nan_from_overflow(got, expected, args):
    if got.shape == expected.shape and not np.isfinite(got).all() and np.isfinite(expected).all():
        return ("nan or inf for large |x|: e^{−x} (or e^x) overflows past |x| ≈ 709.8 and inf/inf = nan. "
                "Write the slope through the probabilities, a(1 − a) or s_i(δ_ij − s_j), with a stable σ or softmax.")
    return None


def _reduced(got, expected, args):
    if got.shape != expected.shape and got.size < expected.size:
        return ("you summed or averaged: the gradient has one entry per logit, the same shape as the logits "
                "(no .sum() or .mean()).")
    return None


def _binary_mistakes(got, expected, args):
    labels, logits = args
    a = sigmoid(logits)
    if np.allclose(got, a - labels, rtol=1e-9, atol=1e-12):
        return ("that is cross-entropy's gradient a − z (or the derivative with respect to a). "
                "For x the chain rule adds the sigmoid's slope: multiply by σ'(x) = a(1 − a).")
    if np.allclose(got, 2 * expected, rtol=1e-9, atol=1e-12):
        return "twice too big: d/da of ½(a − z)² is (a − z); did you differentiate (a − z)² instead?"
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
    if np.allclose(got, s * (1 - s) * (s - labels), rtol=1e-9, atol=1e-12):
        return ("you multiplied by s_j(1 − s_j), the sigmoid's slope, i.e. only the diagonal of the Jacobian: "
                "the off-diagonal −s_i s_j terms are missing. Use J = diag(s) − s sᵀ (ct.softmax_jacobian).")
    return None


sigmoid_mse_grad = Exercise(
    "∂/∂x ½(σ(x) − z)²",
    reference=mse.sigmoid_squared_error_grad,
    cases=_BINARY,
    diagnoses=[_reduced, _nan_from_overflow, _binary_mistakes, _flipped],
    hint="chain rule: ∂/∂x ½(a − z)² = (a − z)·∂a/∂x, and ∂a/∂x = a(1 − a) for a = σ(x).",
    package_answers=("sigmoid_squared_error_grad",),
)

softmax_mse_grad = Exercise(
    "∂/∂x ½‖S(x) − y‖²",
    reference=mse.softmax_squared_error_grad,
    cases=_SOFTMAX,
    diagnoses=[_reduced, _nan_from_overflow, _softmax_mistakes, _flipped],
    hint="chain rule: ∂L/∂x = Jᵀ·∂L/∂S = Jᵀ(S − y), with J = ct.softmax_jacobian(x) (one row of logits).",
    package_answers=("softmax_squared_error_grad",),
)

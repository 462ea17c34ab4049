"""Exercises for notebook 06: the gradient of squared error through a sigmoid and through a softmax, and
(transfer) the gradient of a cross-entropy whose probability is clipped to [δ, 1 − δ].

    >>> import ce_teach as ct
    >>> ct.checks.clipped_bce_grad.check(lambda z, x: ct.sigmoid(x) - z).status  # forgets the clip
    'wrong'
"""

from __future__ import annotations

import numpy as np

from .. import squared_error
from ..activations import sigmoid, softmax
from .exercise import Exercise

__all__ = ["clipped_bce_grad", "sigmoid_mse_grad", "softmax_mse_grad"]

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
        return "the sign is flipped: the error is prediction minus target, (q − z) or (S − y), not the other way round."
    return None


def _nan_from_overflow(got, expected, args):
    if got.shape == expected.shape and not np.isfinite(got).all() and np.isfinite(expected).all():
        return (
            "nan or inf for large |x|: e^{−x} (or e^x) overflows past |x| ≈ 709.8 and inf/inf = nan. "
            "Write the slope through the probabilities, q(1 − q) or s_i([i = j] − s_j), with a stable σ "
            "or softmax."
        )
    return None


def _reduced(got, expected, args):
    if got.shape != expected.shape and got.size < expected.size:
        return (
            "you summed or averaged: the gradient has one entry per logit, the same shape as the logits "
            "(no .sum() or .mean())."
        )
    return None


def _binary_mistakes(got, expected, args):
    labels, logits = args
    a = sigmoid(logits)
    if np.allclose(got, a - labels, rtol=1e-9, atol=1e-12):
        return (
            "that is cross-entropy's gradient q − z (or the derivative with respect to q). "
            "For x the chain rule adds the sigmoid's slope: multiply by σ'(x) = q(1 − q)."
        )
    if np.allclose(got, 2 * expected, rtol=1e-9, atol=1e-12):
        return "twice too big: d/da of ½(q − z)² is (q − z); did you differentiate (q − z)² instead?"
    if np.allclose(got, (a - labels) * logits * (1 - logits), rtol=1e-9, atol=1e-12):
        return "σ'(x) = σ(x)(1 − σ(x)) = q(1 − q), written with q = σ(x), not with x itself."
    if np.allclose(got, (a - labels) * a, rtol=1e-9, atol=1e-12):
        return "the slope of the sigmoid is q(1 − q), not q: the factor (1 − q) is missing."
    return None


def _softmax_mistakes(got, expected, args):
    labels, logits = args
    s = softmax(logits)
    if np.allclose(got, s - labels, rtol=1e-9, atol=1e-12):
        return "that is cross-entropy's gradient S − y; for squared error multiply it by the Jacobian: Jᵀ(S − y)."
    if np.allclose(got, s * (s - labels), rtol=1e-9, atol=1e-12):
        return (
            "you used only the diagonal of the Jacobian, s_j(1 − s_j) → s ⊙ (S − y) is missing the −s·sᵀ part: "
            "use J = diag(s) − s sᵀ (ct.softmax_jacobian)."
        )
    if np.allclose(got, 2 * expected, rtol=1e-9, atol=1e-12):
        return "twice too big: the loss is ½‖S − y‖², whose gradient with respect to S is S − y, not 2(S − y)."
    if np.allclose(got, s * (1 - s) * (s - labels), rtol=1e-9, atol=1e-12):
        return (
            "you multiplied by s_j(1 − s_j), the sigmoid's slope, i.e. only the diagonal of the Jacobian: "
            "the off-diagonal −s_i s_j terms are missing. Use J = diag(s) − s sᵀ (ct.softmax_jacobian)."
        )
    return None


sigmoid_mse_grad = Exercise(
    "∂/∂x ½(σ(x) − z)²",
    reference=squared_error.sigmoid_squared_error_grad,
    cases=_BINARY,
    diagnoses=[_reduced, _nan_from_overflow, _binary_mistakes, _flipped],
    hint="chain rule: ∂/∂x ½(q − z)² = (q − z)·∂q/∂x, and ∂q/∂x = q(1 − q) for q = σ(x).",
    package_answers=("sigmoid_squared_error_grad",),
)

softmax_mse_grad = Exercise(
    "∂/∂x ½‖S(x) − y‖²",
    reference=squared_error.softmax_squared_error_grad,
    cases=_SOFTMAX,
    diagnoses=[_reduced, _nan_from_overflow, _softmax_mistakes, _flipped],
    hint="chain rule: ∂L/∂x = Jᵀ·∂L/∂S = Jᵀ(S − y), with J = ct.softmax_jacobian(x) (one row of logits).",
    package_answers=("softmax_squared_error_grad",),
)


# --- transfer: cross-entropy on a clipped probability ---------------------------------------------

CLIP = 1e-7  # δ: the probability is clipped to [δ, 1 − δ] before the log (Keras' epsilon)


def _clipped_bce_grad(labels, logits):
    """∂/∂x of −z ln q̃ − (1 − z) ln(1 − q̃), q̃ = clip(σ(x), δ, 1 − δ): q − z inside the clip, 0 outside."""
    q = sigmoid(logits)
    inside = (q > CLIP) & (q < 1 - CLIP)
    return np.where(inside, q - labels, 0.0)


def _clipped_mistakes(got, expected, args):
    labels, logits = args
    q = sigmoid(logits)
    q_clipped = np.clip(q, CLIP, 1 - CLIP)
    inside = (q > CLIP) & (q < 1 - CLIP)
    candidates = [
        (
            q - labels,
            "that is the unclipped gradient q − z. Where σ(x) is outside [δ, 1 − δ] the clip is flat, so its "
            "derivative, and with it the whole gradient, is 0: a confident mistake stops learning.",
        ),
        (
            q_clipped - labels,
            "outside [δ, 1 − δ] the loss no longer depends on x at all (the clip returns a constant), "
            "so the gradient there is 0, not q̃ − z.",
        ),
        (
            np.where(inside, (q - labels) / (q * (1 - q)), 0.0),
            "that is ∂L/∂q; the chain rule to the logit multiplies by σ'(x) = q(1 − q), which gives q − z inside.",
        ),
        (
            np.where(np.abs(logits) < CLIP, q - labels, 0.0),
            "the clip acts on the probability σ(x), not on the logit: it is active where σ(x) < δ or σ(x) > 1 − δ, "
            "i.e. |x| > ln((1 − δ)/δ) ≈ 16.1.",
        ),
        (np.zeros_like(q), "the gradient is 0 only where the clip is active; inside [δ, 1 − δ] it is q − z."),
    ]
    for candidate, hint in candidates:
        if _same(got, candidate):
            return hint
    return None


def _same(got, candidate) -> bool:
    candidate = np.asarray(candidate, dtype=float)
    return got.shape == candidate.shape and bool(np.allclose(got, candidate, rtol=1e-9, atol=1e-12))


clipped_bce_grad = Exercise(
    "∂/∂x of cross-entropy on clip(σ(x), δ, 1 − δ)",
    reference=_clipped_bce_grad,
    cases=[
        (np.array([1.0, 1.0, 0.0, 0.0, 1.0, 1.0]), np.array([-3.0, 0.5, 2.0, -1.0, 10.0, 0.0])),
        (np.array([1.0, 0.0, 1.0, 0.0]), np.array([-20.0, 20.0, 20.0, -20.0])),  # confident mistakes and successes
        (np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([[-800.0, 800.0], [-16.0, 16.0]])),  # past e^x's overflow
    ],
    diagnoses=[_reduced, _nan_from_overflow, _clipped_mistakes, _flipped],
    hint="inside the clip (δ < σ(x) < 1 − δ) the gradient is q − z, as without it; outside, the clipped loss is "
    "constant in x, so its gradient is 0.",
)

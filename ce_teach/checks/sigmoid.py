"""Exercises for notebook 04: binary cross-entropy from logits, and its gradient.

Each checker calls the learner's ``f(labels, logits)`` (TensorFlow's argument order, as
``ct.sigmoid_cross_entropy_with_logits``) on moderate inputs, on soft labels, and on logits large enough
to break the textbook formulas (±50, ±800), and compares with the package elementwise.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..gradients import sigmoid_cross_entropy_grad
from ..losses import sigmoid_cross_entropy_with_logits
from ._core import Exercise

__all__ = ["bce_with_logits", "bce_gradient"]

_CASES = [
    (np.array([0.0, 0.0, 1.0, 1.0, 1.0, 0.25]), np.array([-1.0, -1.0, 0.0, 1.0, 2.0, 0.5])),
    (np.array([0.0, 1.0, 0.3, 1.0, 0.0]), np.array([50.0, -50.0, 800.0, 800.0, -800.0])),  # naive: inf, nan
    (np.array([1.0, 0.0, 1.0, 0.0]), np.array([40.0, -40.0, 3.0, -3.0])),  # tiny losses: 4.2e-18
    (np.array([0.2, 0.5, 0.9, 0.999]), np.array([-3.0, 0.5, 4.0, 33.0])),  # soft labels
    (np.array([[0.0, 1.0], [0.7, 0.1]]), np.array([[-2.0, 2.0], [1.5, -0.5]])),  # any shape
]


def _same(got, formula) -> bool:
    """Does the learner's result equal this (wrong) formula's, inf and nan included?"""
    with np.errstate(all="ignore"):
        expected = formula()
    return got.shape == np.shape(expected) and bool(np.allclose(got, expected, rtol=1e-9, atol=0.0, equal_nan=True))


def _naive(got, expected, args):
    z, x = args
    if _same(got, lambda: -z * np.log(1 / (1 + np.exp(-x))) - (1 - z) * np.log(1 - 1 / (1 + np.exp(-x)))):
        return (
            "that is the naive formula: σ(x) rounds to exactly 1 for x > 36.7 (or 0 for x < −709) and its log is "
            "−inf, so you get inf and nan (0·∞). Never form σ: use max(x, 0) − x·z + log1p(exp(−|x|))."
        )
    return None


def _positive_branch_only(got, expected, args):
    z, x = args
    if _same(got, lambda: x - x * z + np.log1p(np.exp(-x))) or _same(got, lambda: x - x * z + np.log(1 + np.exp(-x))):
        return (
            "that is the x ≥ 0 form x − x·z + log(1 + e^{−x}) used for every x: e^{−x} overflows for x ≪ 0. "
            "Combine it with the x < 0 form −x·z + log(1 + e^{x}) using max(x, 0) and e^{−|x|}."
        )
    return None


def _not_finite(got, expected, args):
    bad = ~np.isfinite(got) & np.isfinite(expected)
    if not bad.any():
        return None
    _, x = args
    first = float(np.broadcast_to(x, bad.shape)[bad][0])
    return (
        f"inf or nan where the true loss is finite (at x = {first:g}): an exponential overflowed, or σ(x) rounded "
        "to exactly 1 or 0 before a log. Keep every exponent ≤ 0: max(x, 0) − x·z + log1p(exp(−|x|))."
    )


def _negated(got, expected, args):
    if np.allclose(got, -expected, rtol=1e-9) and not np.allclose(expected, 0):
        return "your loss is the negative of the right one: the loss is −log of a probability, so it is ≥ 0."
    return None


def _xz_sign(got, expected, args):
    z, x = args
    with np.errstate(all="ignore"):
        plus = np.maximum(x, 0) + x * z + np.log1p(np.exp(-np.abs(x)))
    if np.allclose(got, plus, rtol=1e-9):
        return "the x·z term has the wrong sign: the stable form is max(x, 0) − x·z + log1p(exp(−|x|))."
    return None


def _labels_flipped(got, expected, args):
    z, x = args
    flipped = sigmoid_cross_entropy_with_logits(1 - z, x)
    if np.allclose(got, flipped, rtol=1e-9) and not np.allclose(expected, flipped):
        return "you swapped z and 1 − z: a label z = 1 pays −log σ(x), i.e. it wants a large positive logit."
    return None


def _log_not_log1p(got, expected, args):
    z, x = args
    if _same(got, lambda: np.maximum(x, 0) - x * z + np.log(1 + np.exp(-np.abs(x)))):
        return (
            "you return 0 where the loss is tiny but positive (e.g. 4.2e-18 at x = 40, z = 1): log(1 + e^{−40}) "
            "rounds 1 + 4.2e-18 to 1 before the log. Use np.log1p(np.exp(-np.abs(x)))."
        )
    return None


def _exponent_sign(got, expected, args):
    z, x = args
    if _same(got, lambda: np.maximum(x, 0) - x * z + np.log1p(np.exp(np.abs(x)))):
        return "the exponent must be −|x| (so that e^{−|x|} ≤ 1 never overflows), not +|x|: log1p(exp(−|x|))."
    return None


def _averaged(got, expected, args):
    if got.ndim < expected.ndim:
        return "return one loss per element, with the shape of the logits: do not take the mean."
    return None


bce_with_logits = Exercise(
    "binary cross-entropy from logits",
    reference=sigmoid_cross_entropy_with_logits,
    cases=_CASES,
    diagnoses=[_averaged, _naive, _log_not_log1p, _positive_branch_only, _exponent_sign, _negated, _xz_sign,
               _labels_flipped, _not_finite],
    rtol=1e-9,
    atol=0.0,
    hint="loss = max(x, 0) − x·z + log1p(exp(−|x|)), elementwise.",
)


def _gradient_negated(got, expected, args):
    if np.allclose(got, -expected, rtol=1e-9, atol=1e-12) and not np.allclose(expected, 0):
        return "your gradient has the wrong sign: it is prediction minus target, σ(x) − z."
    return None


def _no_sigmoid(got, expected, args):
    z, x = args
    if np.allclose(got, x - z, rtol=1e-9):
        return "you used the logit itself: the gradient is σ(x) − z, with the sigmoid applied to x first."
    return None


def _extra_sigmoid_slope(got, expected, args):
    z, x = args
    s = sigmoid(x)
    if np.allclose(got, (s - z) * s * (1 - s), rtol=1e-9, atol=1e-12):
        return (
            "you multiplied by σ'(x) = σ(1 − σ): that is the gradient of squared error (notebook 06). "
            "For cross-entropy, ∂L/∂σ = (σ − z)/(σ(1 − σ)) and the σ(1 − σ) cancels."
        )
    return None


def _nan_gradient(got, expected, args):
    if np.isnan(got).any() and not np.isnan(expected).any():
        return (
            "nan at large |x|: dividing by σ or by 1 − σ (the chain rule through the naive loss) gives 0/0 once σ "
            "rounds to 0 or 1. Simplify on paper first: the result is σ(x) − z."
        )
    return None


bce_gradient = Exercise(
    "∂L/∂x of binary cross-entropy",
    reference=sigmoid_cross_entropy_grad,
    cases=_CASES,
    diagnoses=[_averaged, _nan_gradient, _gradient_negated, _no_sigmoid, _extra_sigmoid_slope],
    rtol=1e-9,
    atol=1e-15,
    hint="∂L/∂x = σ(x) − z, elementwise.",
)

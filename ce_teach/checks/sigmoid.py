"""Exercises for notebook 04: binary cross-entropy from logits, its gradient, and the gradient with pos_weight.

Each checker calls the learner's ``f(labels, logits)`` (TensorFlow's argument order, as
``ct.sigmoid_cross_entropy_with_logits``) on moderate inputs, on soft labels, on logits large enough
to break the textbook formulas (±40, ±50, ±800), on a batch (2-D) and on float32 input, and compares
with the package elementwise: to 1e-9 relative on float64 input, and to a few float32 ulps (1e-6
relative) on float32 input, where a correct float32 computation cannot do better.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid, softplus
from ..gradients import sigmoid_cross_entropy_grad
from ..losses import sigmoid_cross_entropy_with_logits
from .exercise import Exercise

__all__ = ["bce_with_logits", "bce_gradient", "weighted_bce_gradient"]

_CASES = [
    (np.array([0.0, 0.0, 1.0, 1.0, 1.0, 0.25]), np.array([-1.0, -1.0, 0.0, 1.0, 2.0, 0.5])),
    (np.array([0.0, 1.0, 0.3, 1.0, 0.0]), np.array([50.0, -50.0, 800.0, 800.0, -800.0])),  # naive: inf, nan
    (np.array([1.0, 0.0, 1.0, 0.0]), np.array([40.0, -40.0, 3.0, -3.0])),  # tiny losses: 4.2e-18
    (np.array([0.2, 0.5, 0.9, 0.999]), np.array([-3.0, 0.5, 4.0, 33.0])),  # soft labels
    (np.array([[0.0, 1.0], [0.7, 0.1]]), np.array([[-2.0, 2.0], [1.5, -0.5]])),  # a batch: any shape
]
# float32 input past float32's own break points: σ(17) rounds to 1, e^{100} overflows float32
_CASES_32 = [
    (np.float32([0.0, 1.0, 1.0, 0.5, 0.0]), np.float32([20.0, -20.0, 17.0, -3.0, -100.0])),
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


def _pytorch_form(got, expected, args):
    z, x = args
    x64, z64 = np.asarray(x, dtype=float), np.asarray(z, dtype=float)
    torch_form = (1 - z64) * x64 + softplus(-x64)
    if _same(got, lambda: torch_form) and not np.allclose(torch_form, expected, rtol=1e-9, atol=0.0):
        return (
            "that is PyTorch's form (1 − z)·x + softplus(−x), what torch's binary_cross_entropy_with_logits computes: "
            "exact in exact arithmetic, but it adds terms of opposite sign. At z = 0, x = −40 it computes "
            "−40 + 40.000000000000000004; floats near 40 are 7e-15 apart, so the sum is exactly 0 and the whole "
            "loss, 4.2e-18, cancels (torch 2.13.0 returns 0 there too). Add only non-negative terms: "
            "z·softplus(−x) + (1 − z)·softplus(x), or max(x, 0) − x·z + log1p(exp(−|x|))."
        )
    return None


def _clipped(got, expected, args):
    z, x = args
    for delta in (1e-7, 1e-12, 1e-15):
        s = np.clip(1 / (1 + np.exp(-np.asarray(x, dtype=float))), delta, 1 - delta)
        if _same(got, lambda s=s: -z * np.log(s) - (1 - z) * np.log(1 - s)):
            return (
                f"you clipped σ(x) to [{delta:g}, 1 − {delta:g}] before the logs: that removes the nan but caps every "
                f"loss at −ln {delta:g} ≈ {-np.log(delta):.1f} (the true loss at x = 800, z = 0.3 is 560), and its "
                "gradient is 0 exactly where the model is most wrong. Never form σ: use max(x, 0) − x·z + "
                "log1p(exp(−|x|))."
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
    cases=[*_CASES, *_CASES_32],
    diagnoses=[
        _averaged,
        _naive,
        _clipped,
        _log_not_log1p,
        _pytorch_form,
        _positive_branch_only,
        _exponent_sign,
        _negated,
        _xz_sign,
        _labels_flipped,
        _not_finite,
    ],
    rtol=1e-9,
    atol=0.0,
    hint="loss = max(x, 0) − x·z + log1p(exp(−|x|)), elementwise.",
    package_answers=("sigmoid_cross_entropy_with_logits", "binary_crossentropy", "weighted_cross_entropy_with_logits"),
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


def _sigmoid_of_minus_x(got, expected, args):
    z, x = args
    if np.allclose(got, sigmoid(-np.asarray(x, dtype=float)) - z, rtol=1e-9, atol=1e-12):
        return "you used σ(−x) = 1 − σ(x): the gradient is σ(x) − z, the probability of class 1 minus the label."
    return None


def _divided_by_count(got, expected, args):
    if expected.size > 1 and np.allclose(got, expected / expected.size, rtol=1e-9, atol=1e-15):
        return (
            f"you divided by the number of elements ({expected.size}): that is the gradient of the *mean* loss. "
            "Return the gradient of each element's own loss, σ(x) − z."
        )
    return None


bce_gradient = Exercise(
    "∂L/∂x of binary cross-entropy",
    reference=sigmoid_cross_entropy_grad,
    cases=[*_CASES, *_CASES_32],
    diagnoses=[
        _averaged,
        _nan_gradient,
        _gradient_negated,
        _no_sigmoid,
        _sigmoid_of_minus_x,
        _extra_sigmoid_slope,
        _divided_by_count,
    ],
    rtol=1e-9,
    atol=1e-15,
    float32_atol=2.4e-7,  # float32 σ(x) − z near σ = 1 is exact only to the spacing of float32 at 1: 2 ulps of 1
    hint="∂L/∂x = σ(x) − z, elementwise.",
    package_answers=("sigmoid_cross_entropy_grad",),
)


# --- the transfer exercise: the gradient of the pos_weight loss -------------------------------------------


def _weighted_grad(labels, logits, pos_weight):
    """∂/∂x of w₊·z·(−log σ(x)) + (1 − z)·(−log(1 − σ(x))) = (w₊·z + 1 − z)·σ(x) − w₊·z."""
    z, x = np.asarray(labels, dtype=float), np.asarray(logits, dtype=float)
    return (pos_weight * z + 1 - z) * sigmoid(x) - pos_weight * z


_WEIGHTED_CASES = [
    (np.array([1.0, 0.0, 1.0, 0.0, 0.3]), np.array([-1.0, 2.0, 0.5, -0.5, 1.0]), 3.0),
    (np.array([0.0, 1.0, 1.0, 0.0, 0.5]), np.array([800.0, -800.0, 40.0, -40.0, 0.0]), 9.0),  # naive: nan
    (np.array([[1.0, 0.0], [0.2, 1.0]]), np.array([[2.0, -3.0], [0.0, 4.0]]), 0.5),  # a batch; w₊ < 1
]


def _ignores_weight(got, expected, args):
    z, x, w = args
    if not np.isclose(w, 1) and np.allclose(got, sigmoid(x) - z, rtol=1e-9, atol=1e-15):
        return "that is the unweighted gradient σ(x) − z: w₊ multiplies the positive term, so it must appear."
    return None


def _weights_whole_example(got, expected, args):
    z, x, w = args
    if np.allclose(got, w * (sigmoid(x) - z), rtol=1e-9, atol=1e-15):
        return (
            "you multiplied the whole gradient by w₊: that is a per-example weight. pos_weight multiplies only the "
            "positive term w₊·z·(−log σ(x)), whose derivative is w₊·z·(σ(x) − 1); the negative term's is (1 − z)·σ(x)."
        )
    return None


def _weights_negative_term(got, expected, args):
    z, x, w = args
    s = sigmoid(x)
    if np.allclose(got, z * (s - 1) + w * (1 - z) * s, rtol=1e-9, atol=1e-15):
        return "you weighted the negative term: pos_weight multiplies the term of the positive label, z·(−log σ(x))."
    return None


def _weight_missing_in_target(got, expected, args):
    z, x, w = args
    if np.allclose(got, (w * z + 1 - z) * sigmoid(x) - z, rtol=1e-9, atol=1e-15):
        return (
            "the σ(x) factor is right, but the constant is w₊·z, not z: the derivative of w₊·z·(−log σ(x)) is "
            "w₊·z·(σ(x) − 1), and its −w₊·z keeps the weight."
        )
    return None


def _weighted_negated(got, expected, args):
    if np.allclose(got, -expected, rtol=1e-9, atol=1e-15) and not np.allclose(expected, 0):
        return "your gradient has the wrong sign: for z = 1 it is w₊·(σ(x) − 1) < 0, pushing x up."
    return None


def _weighted_nan(got, expected, args):
    if np.isnan(got).any() and not np.isnan(expected).any():
        return (
            "nan at large |x|: the chain rule through log σ and log(1 − σ) divides 0 by 0 once σ rounds to 0 or 1. "
            "Simplify on paper first: the σ(1 − σ) cancels, as it did for σ(x) − z."
        )
    return None


def _weighted_not_elementwise(got, expected, args):
    if got.ndim < expected.ndim:
        return "return one gradient per element, with the shape of the logits: do not sum or average."
    return None


weighted_bce_gradient = Exercise(
    "∂L/∂x with pos_weight w₊",
    reference=_weighted_grad,
    cases=_WEIGHTED_CASES,
    diagnoses=[
        _weighted_not_elementwise,
        _weighted_nan,
        _ignores_weight,
        _weights_whole_example,
        _weights_negative_term,
        _weight_missing_in_target,
        _weighted_negated,
    ],
    rtol=1e-9,
    atol=1e-15,
    hint="differentiate w₊·z·(−log σ(x)) and (1 − z)·(−log(1 − σ(x))) separately, as in section 4, and add.",
)

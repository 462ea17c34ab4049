"""ce_teach.checks.sigmoid: each checker accepts right answers and diagnoses the typical wrong ones."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import bce_gradient, bce_with_logits


def _stub(labels, logits):
    raise NotImplementedError


def _returns_none(labels, logits):
    pass


# --- binary cross-entropy from logits ---------------------------------------------------------------

RIGHT_LOSSES = {
    "package": ct.sigmoid_cross_entropy_with_logits,
    "TensorFlow's form": lambda z, x: np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x))),
    "optax's form": lambda z, x: -z * ct.log_sigmoid(x) - (1 - z) * ct.log_sigmoid(-x),
    "softplus form": lambda z, x: z * ct.softplus(-x) + (1 - z) * ct.softplus(x),
}


@pytest.mark.parametrize("name", RIGHT_LOSSES)
def test_bce_accepts_right_answers(name):
    result = bce_with_logits.check(RIGHT_LOSSES[name])
    assert result.status == "correct", result.message


@pytest.mark.parametrize("candidate", [_stub, _returns_none])
def test_bce_not_attempted(candidate):
    result = bce_with_logits.check(candidate)
    assert result.status == "not attempted"
    assert "not attempted" in result.message


WRONG_LOSSES = {
    "naive σ then log": (ct.naive.sigmoid_cross_entropy, "that is the naive formula"),
    "x ≥ 0 form everywhere": (lambda z, x: x - x * z + np.log1p(np.exp(-x)), "used for every x"),
    "log instead of log1p": (lambda z, x: np.maximum(x, 0) - x * z + np.log(1 + np.exp(-np.abs(x))), "np.log1p"),
    "wrong sign of x·z": (lambda z, x: np.maximum(x, 0) + x * z + np.log1p(np.exp(-np.abs(x))), "wrong sign"),
    "negated": (lambda z, x: -ct.sigmoid_cross_entropy_with_logits(z, x), "negative of the right one"),
    "labels flipped": (lambda z, x: ct.sigmoid_cross_entropy_with_logits(1 - z, x), "swapped z and 1 − z"),
    "exp(+|x|)": (lambda z, x: np.maximum(x, 0) - x * z + np.log1p(np.exp(np.abs(x))), "must be −|x|"),
    "averaged": (lambda z, x: ct.sigmoid_cross_entropy_with_logits(z, x).mean(), "do not take the mean"),
    "overflows some other way": (
        lambda z, x: np.where(np.abs(x) > 700, np.exp(np.abs(x)), ct.sigmoid_cross_entropy_with_logits(z, x)),
        "inf or nan where the true loss is finite (at x = 800)",
    ),
}


@pytest.mark.parametrize("name", WRONG_LOSSES)
def test_bce_rejects_typical_mistakes_with_the_right_hint(name):
    candidate, hint = WRONG_LOSSES[name]
    result = bce_with_logits.check(candidate)
    assert result.status == "wrong"
    assert hint in result.message, result.message


def test_bce_reports_an_exception_and_a_non_number():
    def crashes(labels, logits):
        raise ZeroDivisionError("oops")

    assert "raised ZeroDivisionError" in bce_with_logits.check(crashes).message
    not_a_number = bce_with_logits.check(lambda z, x: {"loss": 1})
    assert not_a_number.status == "wrong" and "not a number or an array" in not_a_number.message


def test_bce_prints_its_verdict(capsys):
    bce_with_logits(ct.sigmoid_cross_entropy_with_logits)
    assert capsys.readouterr().out.startswith("✓ binary cross-entropy from logits: correct")


# --- its gradient -------------------------------------------------------------------------------------

RIGHT_GRADIENTS = {
    "package": ct.sigmoid_cross_entropy_grad,
    "naive sigmoid": lambda z, x: 1 / (1 + np.exp(-x)) - z,
    "sigmoid via tanh": lambda z, x: 0.5 * (1 + np.tanh(x / 2)) - z,
}


@pytest.mark.parametrize("name", RIGHT_GRADIENTS)
def test_gradient_accepts_right_answers(name):
    result = bce_gradient.check(RIGHT_GRADIENTS[name])
    assert result.status == "correct", result.message


@pytest.mark.parametrize("candidate", [_stub, _returns_none])
def test_gradient_not_attempted(candidate):
    assert bce_gradient.check(candidate).status == "not attempted"


def _chain_rule_through_naive(z, x):
    s = 1 / (1 + np.exp(-x))
    return (-z / s + (1 - z) / (1 - s)) * s * (1 - s)


WRONG_GRADIENTS = {
    "wrong sign": (lambda z, x: z - ct.sigmoid(x), "wrong sign"),
    "no sigmoid": (lambda z, x: x - z, "you used the logit itself"),
    "squared-error gradient": (
        lambda z, x: (ct.sigmoid(x) - z) * ct.sigmoid(x) * (1 - ct.sigmoid(x)),
        "gradient of squared error",
    ),
    "chain rule through the naive loss": (_chain_rule_through_naive, "nan at large |x|"),
    "averaged": (lambda z, x: (ct.sigmoid(x) - z).mean(), "do not take the mean"),
}


@pytest.mark.parametrize("name", WRONG_GRADIENTS)
def test_gradient_rejects_typical_mistakes_with_the_right_hint(name):
    candidate, hint = WRONG_GRADIENTS[name]
    result = bce_gradient.check(candidate)
    assert result.status == "wrong"
    assert hint in result.message, result.message


def test_the_cases_really_break_the_naive_formulas():
    """The checker's inputs must include logits where σ rounds to 1 and where e^{-x} overflows."""
    logits = np.concatenate([np.ravel(x) for _, x in bce_with_logits.cases])
    assert logits.max() > 37 and logits.min() < -710
    assert any(0 < z < 1 for zs, _ in bce_with_logits.cases for z in np.ravel(zs))  # soft labels
    assert any(np.ndim(x) == 2 for _, x in bce_with_logits.cases)  # not only 1-D

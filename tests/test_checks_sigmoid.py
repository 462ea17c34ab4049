"""ce_teach.checks.sigmoid: each checker accepts right answers and diagnoses the typical wrong ones."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import bce_gradient, bce_with_logits, weighted_bce_gradient


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
    "two branches with np.where": lambda z, x: np.where(
        x >= 0, x - x * z + np.log1p(np.exp(-np.abs(x))), -x * z + np.log1p(np.exp(-np.abs(x)))
    ),
    "computed in the input's dtype": lambda z, x: (np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))).astype(
        np.result_type(x, z)
    ),
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
    "averaged over axis 0": (lambda z, x: ct.sigmoid_cross_entropy_with_logits(z, x).mean(axis=0), "do not take"),
    "PyTorch's form (1 − z)·x + softplus(−x)": (
        lambda z, x: (1 - z) * x + ct.softplus(-x),
        "cancels (torch 2.13.0 returns 0 there too)",
    ),
    "PyTorch's form via log_sigmoid": (lambda z, x: (1 - z) * x - ct.log_sigmoid(x), "adds terms of opposite sign"),
    "clipped σ (Keras' fix)": (
        lambda z, x: (
            -z * np.log(np.clip(ct.naive.sigmoid(x), 1e-7, 1 - 1e-7))
            - (1 - z) * np.log(1 - np.clip(ct.naive.sigmoid(x), 1e-7, 1 - 1e-7))
        ),
        "caps every loss at −ln 1e-07",
    ),
    "naive formula in float32 only": (
        lambda z, x: (
            ct.naive.sigmoid_cross_entropy(z, x)
            if np.asarray(x).dtype == np.float32
            else ct.sigmoid_cross_entropy_with_logits(z, x)
        ),
        "that is the naive formula",
    ),
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
    "1 − σ(−x) − z": lambda z, x: 1 - ct.sigmoid(-x) - z,
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
    "σ(−x) instead of σ(x)": (lambda z, x: ct.sigmoid(-x) - z, "you used σ(−x)"),
    "divided by the batch size": (lambda z, x: (ct.sigmoid(x) - z) / np.size(x), "gradient of the *mean* loss"),
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


def test_the_cases_include_float32_past_float32_break_points():
    float32_cases = [(z, x) for z, x in bce_with_logits.cases if np.asarray(x).dtype == np.float32]
    assert float32_cases
    x32 = np.concatenate([np.ravel(x) for _, x in float32_cases])
    assert x32.max() > 16.7 and x32.min() < -88.8  # σ rounds to 1; e^{−x} overflows float32


def test_torch_really_returns_zero_where_the_hint_says():
    torch = pytest.importorskip("torch")
    loss = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.tensor([-40.0], dtype=torch.float64), torch.tensor([0.0], dtype=torch.float64), reduction="none"
    )
    assert torch.__version__.startswith("2.13") and loss.item() == 0.0
    assert ct.sigmoid_cross_entropy_with_logits(0.0, -40.0) == pytest.approx(4.248354255291589e-18, rel=1e-15)


def test_pytorch_form_is_within_tolerance_on_moderate_logits_only():
    """Why it is rejected: its error is absolute (≈ ulp of |x|), fine for |x| ≤ 10, not for tiny losses."""
    x = np.linspace(-10, 10, 201)
    for z in (0.0, 0.3, 1.0):
        torch_form = (1 - z) * x + ct.softplus(-x)
        np.testing.assert_allclose(
            torch_form, ct.sigmoid_cross_entropy_with_logits(np.full_like(x, z), x), rtol=1e-9, atol=0
        )
    assert (1 - 0.0) * -40.0 + ct.softplus(40.0) == 0.0


# --- transfer: the gradient with pos_weight ---------------------------------------------------------------

RIGHT_WEIGHTED = {
    "collected form": lambda z, x, w: (w * z + 1 - z) * ct.sigmoid(x) - w * z,
    "term by term": lambda z, x, w: w * z * (ct.sigmoid(x) - 1) + (1 - z) * ct.sigmoid(x),
    "TensorFlow-style": lambda z, x, w: (1 + (w - 1) * z) * ct.sigmoid(x) - w * z,
}


@pytest.mark.parametrize("name", RIGHT_WEIGHTED)
def test_weighted_gradient_accepts_right_answers(name):
    result = weighted_bce_gradient.check(RIGHT_WEIGHTED[name])
    assert result.status == "correct", result.message


def _weighted_chain_rule(z, x, w):
    s = 1 / (1 + np.exp(-x))
    return (-w * z / s + (1 - z) / (1 - s)) * s * (1 - s)


WRONG_WEIGHTED = {
    "weight ignored": (lambda z, x, w: ct.sigmoid(x) - z, "unweighted gradient"),
    "whole example weighted": (lambda z, x, w: w * (ct.sigmoid(x) - z), "per-example weight"),
    "negative term weighted": (
        lambda z, x, w: z * (ct.sigmoid(x) - 1) + w * (1 - z) * ct.sigmoid(x),
        "you weighted the negative term",
    ),
    "weight lost in the constant": (lambda z, x, w: (w * z + 1 - z) * ct.sigmoid(x) - z, "the constant is w₊·z"),
    "wrong sign": (lambda z, x, w: w * z - (w * z + 1 - z) * ct.sigmoid(x), "wrong sign"),
    "chain rule through the naive loss": (_weighted_chain_rule, "nan at large |x|"),
    "summed": (lambda z, x, w: ((w * z + 1 - z) * ct.sigmoid(x) - w * z).sum(), "do not sum or average"),
}


@pytest.mark.parametrize("name", WRONG_WEIGHTED)
def test_weighted_gradient_rejects_typical_mistakes_with_the_right_hint(name):
    candidate, hint = WRONG_WEIGHTED[name]
    result = weighted_bce_gradient.check(candidate)
    assert result.status == "wrong"
    assert hint in result.message, result.message


def test_weighted_gradient_matches_finite_differences_of_the_package_loss():
    for z, x, w in weighted_bce_gradient.cases:
        z, x = np.ravel(z), np.ravel(x)
        moderate = np.abs(x) < 50
        numeric = ct.numerical_gradient(
            lambda v, z=z[moderate], w=w: ct.weighted_cross_entropy_with_logits(z, v, pos_weight=w).sum(), x[moderate]
        )
        np.testing.assert_allclose(
            weighted_bce_gradient.reference(z[moderate], x[moderate], w), numeric, rtol=1e-6, atol=1e-8
        )


def test_weighted_cases_break_the_naive_chain_rule_and_include_a_batch():
    logits = np.concatenate([np.ravel(x) for _, x, _ in weighted_bce_gradient.cases])
    assert logits.max() >= 800 and logits.min() <= -800
    assert any(np.ndim(x) == 2 for _, x, _ in weighted_bce_gradient.cases)
    assert any(w < 1 for *_, w in weighted_bce_gradient.cases) and any(w > 1 for *_, w in weighted_bce_gradient.cases)

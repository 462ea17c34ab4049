"""ce_teach.checks for notebook 06: each checker accepts correct code, says 'not attempted' for a stub,
and rejects the typical wrong answers with the hint that names the mistake."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import clipped_bce_grad, sigmoid_mse_grad, softmax_mse_grad


def stub(*args):
    raise NotImplementedError


def sigma(x):
    return 1 / (1 + np.exp(-x))


# --- ∂/∂x ½(σ(x) − y)² ----------------------------------------------------------------------------


def hand_written_sigmoid_grad(labels, logits):
    a = sigma(logits)
    return (a - labels) * a * (1 - a)


@pytest.mark.parametrize("answer", [ct.sigmoid_squared_error_grad, hand_written_sigmoid_grad])
def test_sigmoid_mse_grad_accepts_correct_answers(answer):
    result = sigmoid_mse_grad.check(answer)
    assert result.status == "correct", result.message


def test_sigmoid_mse_grad_stub_is_not_attempted(capsys):
    assert sigmoid_mse_grad.check(stub).status == "not attempted"
    assert sigmoid_mse_grad.check(lambda labels, logits: None).status == "not attempted"
    sigmoid_mse_grad(stub)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda y, x: sigma(x) - y, "that is cross-entropy's gradient"),
        (lambda y, x: 2 * (sigma(x) - y) * sigma(x) * (1 - sigma(x)), "twice too big"),
        (lambda y, x: (sigma(x) - y) * x * (1 - x), "written with q = σ(x), not with x itself"),
        (lambda y, x: (sigma(x) - y) * sigma(x), "the factor (1 − q) is missing"),
        (lambda y, x: (y - sigma(x)) * sigma(x) * (1 - sigma(x)), "the sign is flipped"),
        (lambda y, x: (sigma(x) - y) ** 2, "chain rule"),  # no specific diagnosis: the general hint
    ],
)
def test_sigmoid_mse_grad_rejects_typical_mistakes(wrong, hint):
    result = sigmoid_mse_grad.check(wrong)
    assert result.status == "wrong"
    assert hint in result.message, result.message


def test_sigmoid_mse_grad_reports_a_crash():
    result = sigmoid_mse_grad.check(lambda y, x: y[5])
    assert result.status == "wrong" and "raised IndexError" in result.message


# --- ∂/∂x ½‖S(x) − y‖² ----------------------------------------------------------------------------


def hand_written_softmax_grad(labels, logits):
    s = ct.softmax(logits)
    return ct.softmax_jacobian(logits).T @ (s - labels)


@pytest.mark.parametrize("answer", [ct.softmax_squared_error_grad, hand_written_softmax_grad])
def test_softmax_mse_grad_accepts_correct_answers(answer):
    result = softmax_mse_grad.check(answer)
    assert result.status == "correct", result.message


def test_softmax_mse_grad_stub_is_not_attempted():
    assert softmax_mse_grad.check(stub).status == "not attempted"


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda y, x: ct.softmax(x) - y, "that is cross-entropy's gradient S − y"),
        (lambda y, x: ct.softmax(x) * (ct.softmax(x) - y), "only the diagonal of the Jacobian"),
        (lambda y, x: 2 * hand_written_softmax_grad(y, x), "twice too big"),
        (lambda y, x: -hand_written_softmax_grad(y, x), "the sign is flipped"),
        (lambda y, x: ct.softmax_jacobian(x) @ y, "Jᵀ(S − y)"),  # the general hint
    ],
)
def test_softmax_mse_grad_rejects_typical_mistakes(wrong, hint):
    result = softmax_mse_grad.check(wrong)
    assert result.status == "wrong"
    assert hint in result.message, result.message


# --- batteries added for the course: ±800, batches, alternative right forms ------------------------


def tanh_form(labels, logits):
    """An alternative correct form: σ(x) = (1 + tanh(x/2)) / 2, slope q(1 − q)."""
    a = 0.5 * (1 + np.tanh(logits / 2))
    return (a - labels) * a * (1 - a)


def naive_slope(labels, logits):
    slope = np.exp(-logits) / (1 + np.exp(-logits)) ** 2  # inf/inf = nan at x = −800
    return (sigma(logits) - labels) * slope


def step_four_form(labels, logits):
    """An alternative correct form: s ⊙ (e − ⟨s, e⟩) with e = S − y (step 4 of notebook 06)."""
    s = ct.softmax(logits)
    e = s - labels
    return s * (e - s @ e)


def naive_softmax_grad(labels, logits):
    s = np.exp(logits) / np.exp(logits).sum()  # inf/inf = nan at x = 800
    return (np.diag(s) - np.outer(s, s)) @ (s - labels)


def test_alternative_right_forms_pass():
    assert sigmoid_mse_grad.check(tanh_form).passed
    assert softmax_mse_grad.check(step_four_form).passed
    assert "package's own answer" in sigmoid_mse_grad.check(lambda z, x: ct.sigmoid_squared_error_grad(z, x)).message


@pytest.mark.parametrize(
    ("checker", "wrong", "hint"),
    [
        (sigmoid_mse_grad, naive_slope, "overflows past |x| ≈ 709.8"),
        (sigmoid_mse_grad, lambda y, x: hand_written_sigmoid_grad(y, x).sum(), "you summed or averaged"),
        (sigmoid_mse_grad, lambda y, x: hand_written_sigmoid_grad(y, x).mean(axis=-1), "you summed or averaged"),
        (softmax_mse_grad, naive_softmax_grad, "overflows past |x| ≈ 709.8"),
        (
            softmax_mse_grad,
            lambda y, x: ct.softmax(x) * (1 - ct.softmax(x)) * (ct.softmax(x) - y),
            "only the diagonal of the Jacobian",
        ),
        (softmax_mse_grad, lambda y, x: hand_written_softmax_grad(y, x).sum(), "you summed or averaged"),
    ],
)
def test_batteries_catch_overflow_reduction_and_the_diagonal(checker, wrong, hint):
    result = checker.check(wrong)
    assert result.status == "wrong"
    assert hint in result.message.partition("Hint: ")[2], result.message


def test_cases_contain_logits_past_the_overflow_point_and_a_batch():
    for checker in (sigmoid_mse_grad, softmax_mse_grad):
        assert any(np.abs(logits).max() >= 800 for _, logits in checker.cases)
    assert any(np.ndim(logits) == 2 for _, logits in sigmoid_mse_grad.cases)


# --- clipped_bce_grad (transfer) ------------------------------------------------------------------


def stable_sigma(x):
    return np.exp(-np.logaddexp(0.0, -x))


def clipped_by_probability(labels, logits):
    q = stable_sigma(logits)
    return np.where((q > 1e-7) & (q < 1 - 1e-7), q - labels, 0.0)


def clipped_by_logit_threshold(labels, logits):
    """An alternative correct form: the clip is active past |x| = ln((1 − δ)/δ)."""
    return np.where(np.abs(logits) < np.log((1 - 1e-7) / 1e-7), ct.sigmoid(logits) - labels, 0.0)


def test_clipped_accepts_correct_answers():
    for answer in (clipped_by_probability, clipped_by_logit_threshold):
        result = clipped_bce_grad.check(answer)
        assert result.status == "correct", result.message
    assert clipped_bce_grad.check(stub).status == "not attempted"


def naive_sigma(x):
    return 1 / (1 + np.exp(-x))


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda z, x: ct.sigmoid(x) - z, "that is the unclipped gradient q − z"),
        (lambda z, x: np.clip(ct.sigmoid(x), 1e-7, 1 - 1e-7) - z, "the loss no longer depends on x at all"),
        (
            lambda z, x: np.where(np.abs(x) < 16.1, (ct.sigmoid(x) - z) / (ct.sigmoid(x) * ct.sigmoid(-x)), 0.0),
            "that is ∂L/∂q",
        ),
        (lambda z, x: np.where(np.abs(x) < 1e-7, ct.sigmoid(x) - z, 0.0), "the clip acts on the probability σ(x)"),
        (lambda z, x: np.zeros_like(x), "the gradient is 0 only where the clip is active"),
        (lambda z, x: -clipped_by_probability(z, x), "the sign is flipped"),
        (lambda z, x: clipped_by_probability(z, x).sum(), "you summed or averaged"),
        (
            lambda z, x: np.where(np.abs(x) < 16.1, naive_sigma(x) - z, 0.0) * np.exp(x) / np.exp(x),
            "overflows past |x| ≈ 709.8",
        ),
    ],
)
def test_clipped_rejects_typical_mistakes_with_the_right_hint(wrong, hint):
    result = clipped_bce_grad.check(wrong)
    assert result.status == "wrong"
    assert hint in result.message.partition("Hint: ")[2], result.message


def test_clipped_cases_contain_confident_mistakes_and_overflow_points():
    logits = np.concatenate([np.ravel(x) for _, x in clipped_bce_grad.cases])
    assert (np.abs(logits) >= 800).any() and ((np.abs(logits) > 16.2) & (np.abs(logits) < 100)).any()

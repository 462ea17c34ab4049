"""ce_teach.checks for notebook 06: each checker accepts correct code, says 'not attempted' for a stub,
and rejects the typical wrong answers with the hint that names the mistake."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import sigmoid_mse_grad, softmax_mse_grad


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
        (lambda y, x: (sigma(x) - y) * x * (1 - x), "written with a = σ(x), not with x itself"),
        (lambda y, x: (sigma(x) - y) * sigma(x), "the factor (1 − a) is missing"),
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

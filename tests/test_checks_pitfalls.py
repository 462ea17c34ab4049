"""ce_teach.checks for notebook 08 (the bug hunt): each checker accepts the fix (the package's function and a
hand-written one), says 'not attempted' for a stub, and rejects the original bug and the typical half-fixes
with the hint that names them."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import checks
from ce_teach.checks.pitfalls import _torch_style_kl_div

EPS = 1e-7


def stub(*args):
    raise NotImplementedError


def gather(values, labels):
    return values[np.arange(len(labels)), labels]


def hand_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def hand_log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def keras_probability_bce(z, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(z * np.log(p) + (1 - z) * np.log(1 - p))


def labels_checked_first(labels, logits):
    n_classes = logits.shape[-1]
    bad = (labels < 0) | (labels >= n_classes)
    if bad.any():
        raise ValueError(f"label {labels[bad][0]} is outside [0, {n_classes})")
    return -gather(hand_log_softmax(logits), labels)


def only_labels_too_large_rejected(labels, logits):
    if (labels >= logits.shape[-1]).any():
        raise ValueError(f"label {labels.max()} is too large")
    return -gather(hand_log_softmax(logits), labels)


CORRECT = {
    "pitfall_softmax_twice": [
        ct.softmax_cross_entropy_with_logits,
        lambda y, x: -(y * hand_log_softmax(x)).sum(axis=-1),
        lambda y, x: ct.categorical_crossentropy(y, x, from_logits=True),
    ],
    "pitfall_logits_as_probabilities": [
        ct.sigmoid_cross_entropy_with_logits,
        lambda z, x: np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x))),
    ],
    "pitfall_batch_max": [ct.softmax, hand_softmax],
    "pitfall_log_of_softmax": [
        ct.sparse_softmax_cross_entropy_with_logits,
        lambda y, x: -gather(ct.log_softmax(x), y),
        lambda y, x: -gather(hand_log_softmax(x), y),
    ],
    "pitfall_epsilon_in_log": [
        ct.softmax_cross_entropy_with_logits,
        lambda y, x: -(y * ct.log_softmax(x)).sum(axis=-1),
    ],
    "pitfall_integer_labels": [
        ct.sparse_softmax_cross_entropy_with_logits,
        lambda z, x: ct.softmax_cross_entropy_with_logits(np.eye(x.shape[-1])[z], x),
    ],
    "pitfall_label_range": [ct.sparse_softmax_cross_entropy_with_logits, labels_checked_first],
    "pitfall_kl_order": [
        ct.kl_divergence,
        lambda p, q: _torch_style_kl_div(np.log(q), p),
        lambda p, q: (p * np.log(p / q)).sum(axis=-1),
    ],
}

WRONG = {
    "pitfall_softmax_twice": [
        (lambda y, x: ct.softmax_cross_entropy_with_logits(y, ct.softmax(x)), "still softmax twice"),
        (lambda y, x: ct.softmax_cross_entropy_with_logits(y, ct.softmax(ct.softmax(x))), "softmax three times"),
        (lambda y, x: ct.softmax_cross_entropy_with_logits(y, x).mean(), "one loss per example"),
    ],
    "pitfall_logits_as_probabilities": [
        (keras_probability_bce, "still treating logits as probabilities"),
        (
            lambda z, x: ct.binary_crossentropy(z[..., None], np.clip(x, EPS, 1 - EPS)[..., None]),
            "still treating logits as probabilities",
        ),
        (lambda z, x: keras_probability_bce(z, ct.sigmoid(x)), "caps a confident mistake at −ln(1e-7) = 16.118"),
        (
            lambda z, x: -(z * np.log(1 / (1 + np.exp(-x))) + (1 - z) * np.log(1 - 1 / (1 + np.exp(-x)))),
            "σ(40) rounds to 1.0",
        ),
    ],
    "pitfall_batch_max": [
        (
            lambda x: np.exp(x - x.max()) / np.exp(x - x.max()).sum(axis=-1, keepdims=True),
            "one maximum for the whole batch",
        ),
        (lambda x: np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True), "no max shift at all"),
        (
            lambda x: (
                np.exp(x - x.min(axis=-1, keepdims=True))
                / np.exp(x - x.min(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True)
            ),
            "row minimum",
        ),
        (lambda x: np.exp(x - x.max(axis=0)) / np.exp(x - x.max(axis=0)).sum(axis=0), "along axis 0"),
    ],
    "pitfall_log_of_softmax": [
        (lambda y, x: -np.log(gather(ct.softmax(x), y)), "still log(softmax(x))"),
        (lambda y, x: -gather(x - np.log(np.exp(x).sum(axis=-1, keepdims=True)), y), "without the max shift"),
        (lambda y, x: -np.log(gather(ct.softmax(x), y) + 1e-12), "caps the loss at −ln ε"),
    ],
    "pitfall_epsilon_in_log": [
        (lambda y, x: -(y * np.log(ct.softmax(x) + 1e-6)).sum(axis=-1), "you still add ε inside the log"),
        (lambda y, x: -(y * np.log(ct.softmax(x) + 1e-12)).sum(axis=-1), "you still add ε inside the log"),
        (lambda y, x: -(y * np.log(np.clip(ct.softmax(x), EPS, 1.0))).sum(axis=-1), "clipping q"),
    ],
    "pitfall_integer_labels": [
        (
            lambda z, x: ct.sigmoid_cross_entropy_with_logits(np.eye(x.shape[-1])[z], x).sum(axis=-1),
            "independent yes/no questions",
        ),
        (lambda z, x: ct.binary_crossentropy(np.eye(x.shape[-1])[z], x, from_logits=True), "the multi-label loss"),
        (
            lambda z, x: (-(z[:, None] * np.log(ct.sigmoid(x)) + (1 - z[:, None]) * np.log(1 - ct.sigmoid(x)))).mean(
                -1
            ),
            "1 − z negative",
        ),
    ],
    "pitfall_label_range": [
        (lambda y, x: -gather(hand_log_softmax(x), y), "Check 0 ≤ label < C yourself"),  # IndexError for 11
        (
            lambda y, x: -np.take(hand_log_softmax(x), y % x.shape[-1] + np.arange(len(y)) * x.shape[-1]),
            "some label is ≥ C",
        ),  # wraps every label silently
        (lambda y, x: -gather(hand_log_softmax(x), np.minimum(y, x.shape[-1] - 1)), "some label is ≥ C"),
        (only_labels_too_large_rejected, "label −1 wrapped around"),
        (lambda y, x: -gather(hand_log_softmax(x), y - 1), "off by one"),
    ],
    "pitfall_kl_order": [
        (lambda p, q: _torch_style_kl_div(p, q), "that is the original bug"),
        (lambda p, q: _torch_style_kl_div(q, p), "kl_div wants log-probabilities"),
        (lambda p, q: _torch_style_kl_div(np.log(p), q), "right form, wrong order"),
        (lambda p, q: (p * np.log(q / p)).sum(axis=-1), "never negative"),
    ],
}


@pytest.mark.parametrize(("name", "answer"), [(n, a) for n, answers in CORRECT.items() for a in answers])
def test_checker_accepts_the_fix(name, answer):
    result = getattr(checks, name).check(answer)
    assert result.status == "correct", result.message


@pytest.mark.parametrize("name", CORRECT)
def test_checker_says_not_attempted_for_a_stub(name, capsys):
    checker = getattr(checks, name)
    assert checker.check(stub).status == "not attempted"
    checker(stub)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "wrong", "hint"), [(n, w, h) for n, pairs in WRONG.items() for w, h in pairs])
def test_checker_rejects_the_bug_and_half_fixes(name, wrong, hint):
    result = getattr(checks, name).check(wrong)
    assert result.status == "wrong"
    assert hint in result.message, result.message


@pytest.mark.parametrize("name", CORRECT)
def test_each_checker_names_at_least_two_mistakes(name):
    assert len({hint for _, hint in WRONG[name]}) >= 2


def test_label_range_wants_the_bad_label_named():
    def vague(labels, logits):
        if ((labels < 0) | (labels >= logits.shape[-1])).any():
            raise ValueError("bad labels")
        return ct.sparse_softmax_cross_entropy_with_logits(labels, logits)

    result = checks.pitfall_label_range.check(vague)
    assert result.status == "wrong" and "does not name the bad value" in result.message


def test_label_range_stub_that_only_validates_is_not_attempted():
    def half_done(labels, logits):
        if ((labels < 0) | (labels >= logits.shape[-1])).any():
            raise ValueError(f"bad label {labels}")
        raise NotImplementedError

    assert checks.pitfall_label_range.check(half_done).status == "not attempted"


def test_torch_style_kl_div_matches_torch():
    torch = pytest.importorskip("torch")
    p = np.array([[0.7, 0.2, 0.1], [0.25, 0.25, 0.5]])
    q = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
    for input_, target in ((np.log(q), p), (p, q), (q, p)):
        expected = torch.nn.functional.kl_div(torch.tensor(input_), torch.tensor(target), reduction="none").sum(-1)
        np.testing.assert_allclose(_torch_style_kl_div(input_, target), expected.numpy(), rtol=1e-14)
    np.testing.assert_allclose(_torch_style_kl_div(np.log(q), p), ct.kl_divergence(p, q), rtol=1e-14)

"""ce_teach.checks for notebook 05: each checker accepts correct code, says 'not attempted' for a stub,
and rejects the typical wrong answers with the hint that names the mistake."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import sparse_cross_entropy, stable_log_softmax


def stub(*args):
    raise NotImplementedError


# --- stable log_softmax -------------------------------------------------------------------------


def max_shift_log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def log_of_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return np.log(e / e.sum(axis=-1, keepdims=True))


def log_of_naive_softmax(x):
    return np.log(np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True))


def no_max_shift(x):
    return x - np.log(np.sum(np.exp(x), axis=-1, keepdims=True))


def batch_max(x):
    shifted = x - np.max(x)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def whole_array(x):
    shifted = x - np.max(x)
    return shifted - np.log(np.sum(np.exp(shifted)))


def no_keepdims(x):
    shifted = x - x.max(axis=-1)
    return shifted - np.log(np.exp(shifted).sum(axis=-1))


def sum_over_batch(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


@pytest.mark.parametrize("answer", [lambda x: ct.log_softmax(x), max_shift_log_softmax])
def test_log_softmax_accepts_correct_answers(answer):
    result = stable_log_softmax.check(answer)
    assert result.status == "correct", result.message


def test_log_softmax_accepts_the_max_shift_form_that_rounds_tiny_values_to_zero():
    """x − m − log Σ e^{x−m} returns 0 instead of −1.9e−22 for [50, 0]: right to 12 decimals, so accepted."""
    assert max_shift_log_softmax(np.array([50.0, 0.0]))[0] == 0.0
    assert stable_log_softmax.check(max_shift_log_softmax).passed


def test_log_softmax_stub_is_not_attempted():
    assert stable_log_softmax.check(stub).status == "not attempted"
    assert stable_log_softmax.check(lambda x: None).status == "not attempted"


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (log_of_softmax, "you took log(softmax(x))"),
        (log_of_naive_softmax, "you took log(softmax(x))"),
        (no_max_shift, "e^x overflows to inf"),
        (batch_max, "one maximum for the whole batch"),
        (whole_array, "run over the whole array"),
        (no_keepdims, "without keepdims=True"),
        (sum_over_batch, "the sum runs over the wrong axis"),
        (lambda x: -max_shift_log_softmax(x), "your result has the wrong sign: log-probabilities are ≤ 0"),
    ],
)
def test_log_softmax_rejects_typical_mistakes_with_the_right_hint(answer, hint):
    result = stable_log_softmax.check(answer)
    assert result.status == "wrong"
    assert hint in result.message.partition("Hint: ")[2], result.message


def test_log_softmax_rejection_shows_the_failing_input():
    message = stable_log_softmax.check(log_of_softmax).message
    assert "[0, -800]" in message and "-inf" in message


# --- sparse cross-entropy -----------------------------------------------------------------------


def sparse_ce(labels, logits):
    return -max_shift_log_softmax(logits)[np.arange(len(labels)), labels]


def one_based(labels, logits):
    return sparse_ce(labels - 1, logits)


def plus_one(labels, logits):
    return sparse_ce(labels + 1, logits)


def column_gather(labels, logits):
    return -max_shift_log_softmax(logits)[:, labels]


def every_class(labels, logits):
    return -max_shift_log_softmax(logits)


def batch_mean(labels, logits):
    return sparse_ce(labels, logits).mean()


def via_probabilities(labels, logits):
    p = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    return -np.log(p[np.arange(len(labels)), labels])


def unshifted(labels, logits):
    return np.log(np.exp(logits).sum(axis=-1)) - logits[np.arange(len(labels)), labels]


def probability_not_loss(labels, logits):
    return np.exp(-sparse_ce(labels, logits))


@pytest.mark.parametrize(
    "answer",
    [
        sparse_ce,
        ct.sparse_softmax_cross_entropy_with_logits,
        lambda labels, logits: ct.logsumexp(logits) - logits[np.arange(len(labels)), labels],
    ],
)
def test_sparse_accepts_correct_answers(answer):
    result = sparse_cross_entropy.check(answer)
    assert result.status == "correct", result.message


def test_sparse_stub_is_not_attempted():
    assert sparse_cross_entropy.check(stub).status == "not attempted"


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (one_based, "labels are used off by one"),
        (plus_one, "labels are used off by one"),
        (column_gather, "logits[:, labels] picks every label's column"),
        (every_class, "you returned −log S(x) for every class"),
        (batch_mean, "you returned the batch mean"),
        (via_probabilities, "−log(softmax(x)) turns a probability"),
        (unshifted, "e^x overflows"),
        (probability_not_loss, "that is the probability S(x)_label"),
        (lambda labels, logits: -sparse_ce(labels, logits), "wrong sign: the loss is −log S(x)_label ≥ 0"),
    ],
)
def test_sparse_rejects_typical_mistakes_with_the_right_hint(answer, hint):
    result = sparse_cross_entropy.check(answer)
    assert result.status == "wrong"
    assert hint in result.message.partition("Hint: ")[2], result.message


def test_sparse_off_by_one_fails_on_the_first_input_not_with_an_index_error():
    message = sparse_cross_entropy.check(plus_one).message
    assert "raised" not in message and "[0, 1]" in message

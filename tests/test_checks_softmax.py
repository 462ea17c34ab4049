"""ce_teach.checks for notebook 05: each checker accepts correct code, says 'not attempted' for a stub,
and rejects the typical wrong answers with the hint that names the mistake."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import initial_loss, sparse_cross_entropy, stable_log_softmax


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


# --- batteries added for the course: float32, ±800, a batch far from its max, the δ "fix" ---------


def per_row_in_python(x):
    """An alternative correct form: plain Python per row, no NumPy reductions."""
    import math

    rows = np.atleast_2d(np.asarray(x, dtype=float))
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        m = max(row)
        out[i] = [v - m - math.log(sum(math.exp(u - m) for u in row)) for v in row]
    return out.reshape(np.shape(x))


def clipped_log_softmax(x):
    return np.log(np.clip(ct.softmax(x), 1e-300, None))


def eps_in_log_softmax(x):
    return np.log(ct.softmax(x) + 1e-7)


def test_log_softmax_accepts_a_plain_python_answer_and_notes_the_package_answer():
    assert stable_log_softmax.check(per_row_in_python).passed
    result = stable_log_softmax.check(lambda x: ct.log_softmax(x))
    assert result.passed and "the package's own answer" in result.message


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (clipped_log_softmax, "δ = 1e-300"),
        (eps_in_log_softmax, "δ = 1e-07"),
    ],
)
def test_log_softmax_rejects_the_delta_fix_that_caps_the_log(answer, hint):
    result = stable_log_softmax.check(answer)
    assert result.status == "wrong"
    assert hint in result.message.partition("Hint: ")[2] and "caps every log-probability" in result.message


def test_log_softmax_cases_contain_the_inputs_that_expose_each_mistake():
    cases = [args[0] for args in stable_log_softmax.cases]
    assert any(x.dtype == np.float32 and x.max() > 88.8 for x in cases), "float32 past its overflow point"
    assert any((x == -800).any() for x in cases) and any((x >= 800).any() for x in cases), "logits of ±800"
    assert sum(x.ndim == 2 for x in cases) >= 2, "batches (axis and keepdims mistakes)"


def test_float32_alone_catches_the_missing_max_shift():
    """In float32, e^100 is already inf: a form without the shift that survives float64 fails there."""
    float32_case = stable_log_softmax.cases[-1][0]
    with np.errstate(all="ignore"):
        assert not np.isfinite(no_max_shift(float32_case)).all()
        assert np.isfinite(no_max_shift(float32_case.astype(np.float64))).all()
    assert np.array_equal(
        max_shift_log_softmax(float32_case), ct.log_softmax(float32_case).astype(np.float32)
    ) or np.allclose(max_shift_log_softmax(float32_case), ct.log_softmax(float32_case), rtol=0, atol=1e-12)


def clipped_sparse(labels, logits):
    p = ct.softmax(logits)
    return -np.log(np.clip(p[np.arange(len(labels)), labels], 1e-7, 1.0))


def test_sparse_rejects_the_clipped_probability_on_a_confident_mistake():
    result = sparse_cross_entropy.check(clipped_sparse)
    assert result.status == "wrong" and "δ = 1e-07" in result.message.partition("Hint: ")[2]


def test_sparse_accepts_float32_max_shift_and_catches_float32_overflow():
    assert sparse_cross_entropy.check(sparse_ce).passed
    labels, logits = sparse_cross_entropy.cases[-1]
    assert logits.dtype == np.float32 and sparse_ce(labels, logits)[0] == 200.0
    with np.errstate(all="ignore"):
        assert np.isinf(unshifted(labels, logits)).all()


# --- initial_loss (transfer) -----------------------------------------------------------------------


def initial_loss_by_frequency(counts, biases):
    b = np.asarray(biases, dtype=float)
    log_q = b - b.max() - np.log(np.exp(b - b.max()).sum())
    return -(np.asarray(counts) / np.sum(counts) * log_q).sum()


def initial_loss_per_example(counts, biases):
    """An alternative correct form: expand the data set into labels and average the per-example losses."""
    labels = np.repeat(np.arange(len(counts)), counts)
    b = np.asarray(biases, dtype=float)
    return float(np.mean([np.log(np.exp(b - b.max()).sum()) + b.max() - b[c] for c in labels]))


def test_initial_loss_accepts_correct_answers():
    for answer in (initial_loss_by_frequency, initial_loss_per_example):
        result = initial_loss.check(answer)
        assert result.status == "correct", result.message
    assert (
        "package's own answer"
        in initial_loss.check(
            lambda counts, b: -(np.asarray(counts) * ct.log_softmax(b)).sum() / np.sum(counts)
        ).message
    )


def test_initial_loss_stub_is_not_attempted():
    assert initial_loss.check(stub).status == "not attempted"


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (lambda counts, b: np.log(len(counts)), "ln C is the loss only when all logits are equal"),
        (lambda counts, b: initial_loss_by_frequency(counts, b) * np.sum(counts), "that is the total"),
        (lambda counts, b: -ct.log_softmax(b).mean(), "as if each were equally frequent"),
        (lambda counts, b: ct.entropy(np.asarray(counts) / np.sum(counts)), "entropy of the class frequencies"),
        (lambda counts, b: initial_loss_by_frequency(counts, b) / np.log(2), "you answered in bits"),
        (lambda counts, b: -initial_loss_by_frequency(counts, b), "the sign is flipped"),
        (
            lambda counts, b: -(np.asarray(counts) * np.log(np.exp(b) / np.exp(b).sum())).sum() / np.sum(counts),
            "overflows or underflows for large biases",
        ),
        (lambda counts, b: -(np.asarray(counts) * ct.log_softmax(b)) / np.sum(counts), "return one number"),
    ],
)
def test_initial_loss_rejects_typical_mistakes_with_the_right_hint(answer, hint):
    result = initial_loss.check(answer)
    assert result.status == "wrong"
    assert hint in result.message.partition("Hint: ")[2], result.message


def test_initial_loss_of_equal_logits_is_ln_c():
    assert initial_loss.reference(np.array([3, 3, 4]), np.zeros(3)) == pytest.approx(np.log(3), rel=1e-15)

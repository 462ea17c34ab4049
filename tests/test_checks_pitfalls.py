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


def keras2_probability_bce(z, p):
    """tf.keras 2.x's keras/backend.py binary_crossentropy: clip, then log(p + ε)."""
    p = np.clip(p, EPS, 1 - EPS)
    return -(z * np.log(p + EPS) + (1 - z) * np.log(1 - p + EPS))


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


def clip_loss(delta):
    return lambda y, x: -(y * np.log(np.clip(ct.softmax(x), delta, 1.0))).sum(axis=-1)


def labels_asserted(labels, logits):
    assert ((labels >= 0) & (labels < logits.shape[-1])).all(), "bad label"
    return -gather(hand_log_softmax(logits), labels)


def labels_vaguely_rejected(labels, logits):
    if ((labels < 0) | (labels >= logits.shape[-1])).any():
        raise ValueError("bad labels")
    return -gather(hand_log_softmax(logits), labels)


def log_softmax_shifted_by(x, m):
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


def row_mean(x):
    return x.mean(axis=-1, keepdims=True)


def labels_checked_no_shift(labels, logits):
    if ((labels < 0) | (labels >= logits.shape[-1])).any():
        raise ValueError(f"label {labels[(labels < 0) | (labels >= logits.shape[-1])][0]} is outside the range")
    return -gather(log_softmax_shifted_by(logits, 0.0), labels)


def where_p_positive(p, q):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, p * np.log(p / q), 0.0).sum(axis=-1)


CORRECT = {
    "pitfall_softmax_twice": [
        ct.softmax_cross_entropy_with_logits,
        lambda y, x: -(y * hand_log_softmax(x)).sum(axis=-1),
        lambda y, x: ct.categorical_crossentropy(y, x, from_logits=True),
        lambda y, x: ct.logsumexp(x) - (y * x).sum(axis=-1),  # rows of y sum to 1
    ],
    "pitfall_logits_as_probabilities": [
        ct.sigmoid_cross_entropy_with_logits,
        lambda z, x: np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x))),
        lambda z, x: np.logaddexp(0, x) - x * z,
        lambda z, x: (1 - z) * x + np.logaddexp(0, -x),  # PyTorch's form with a stable softplus
        # a threshold taken from the input's own dtype: 88.72 for float32, 709.78 for float64
        lambda z, x: np.where(x > np.log(np.finfo(x.dtype).max), x, np.log1p(np.exp(x))) - x * z,
    ],
    "pitfall_batch_max": [ct.softmax, hand_softmax, lambda x: np.exp(hand_log_softmax(x))],
    "pitfall_log_of_softmax": [
        ct.sparse_softmax_cross_entropy_with_logits,
        lambda y, x: -gather(ct.log_softmax(x), y),
        lambda y, x: -gather(hand_log_softmax(x), y),
        lambda y, x: ct.logsumexp(x) - np.take_along_axis(x, y[:, None], axis=-1)[:, 0],
    ],
    "pitfall_epsilon_in_log": [
        ct.softmax_cross_entropy_with_logits,
        lambda y, x: -(y * ct.log_softmax(x)).sum(axis=-1),
        lambda y, x: -(y * hand_log_softmax(x)).sum(axis=-1),
    ],
    "pitfall_integer_labels": [
        ct.sparse_softmax_cross_entropy_with_logits,
        lambda z, x: ct.softmax_cross_entropy_with_logits(np.eye(x.shape[-1])[z], x),
        lambda z, x: -gather(hand_log_softmax(x), z),
    ],
    "pitfall_label_range": [ct.sparse_softmax_cross_entropy_with_logits, labels_checked_first],
    "pitfall_kl_order": [
        ct.kl_divergence,
        lambda p, q: _torch_style_kl_div(np.log(q), p),
        lambda p, q: (p * (np.log(np.where(p > 0, p, 1.0)) - np.log(q))).sum(axis=-1),  # logs, not p/q
    ],
}

FLOAT32_ONLY = {  # wrong answers that pass every float64 case: only the float32 case catches them
    "pitfall_softmax_twice": [
        (lambda y, x: np.log(np.exp(x).sum(axis=-1)) - (y * x).sum(axis=-1), "overflows to inf past x ≈ 88.72"),
        (lambda y, x: -(y * log_softmax_shifted_by(x, 0.0)).sum(axis=-1), "log-sum-exp without the max shift"),
        (lambda y, x: -(y * log_softmax_shifted_by(x, x.max())).sum(axis=-1), "rounds to 0 below x ≈ -103.97"),
        (lambda y, x: -(y * log_softmax_shifted_by(x, row_mean(x))).sum(axis=-1), "shifted by the row mean"),
    ],
    "pitfall_logits_as_probabilities": [
        (lambda z, x: np.where(x > 709.78, x, np.log1p(np.exp(x))) - x * z, "in float32 e^x overflows already"),
    ],
    "pitfall_batch_max": [
        (lambda x: np.exp(x - row_mean(x)) / np.exp(x - row_mean(x)).sum(axis=-1, keepdims=True), "row mean"),
    ],
    "pitfall_log_of_softmax": [
        (lambda y, x: -gather(log_softmax_shifted_by(x, x.max()), y), "one maximum for the whole batch (pitfall 3)"),
    ],
    "pitfall_epsilon_in_log": [
        (lambda y, x: -(y * log_softmax_shifted_by(x, row_mean(x))).sum(axis=-1), "shifted by the row mean"),
    ],
    "pitfall_label_range": [
        (labels_checked_no_shift, "without the max shift"),
    ],
    "pitfall_kl_order": [(where_p_positive, "p/q overflows")],
}

WRONG = {
    "pitfall_softmax_twice": [
        (lambda y, x: ct.softmax_cross_entropy_with_logits(y, ct.softmax(x)), "still softmax twice"),
        (lambda y, x: ct.softmax_cross_entropy_with_logits(y, ct.softmax(ct.softmax(x))), "softmax three times"),
        (lambda y, x: -(y * np.log(ct.softmax(x))).sum(-1), "bringing in pitfall 4"),  # the fix that adds a bug
        (lambda y, x: -(y * np.log(ct.softmax(x) + 1e-12)).sum(-1), "small δ inside the log"),
        (clip_loss(1e-300), "your loss stops at 690.776 nats"),
        (lambda y, x: ct.softmax_cross_entropy_with_logits(y, x).mean(), "their mean over the whole batch"),
        (lambda y, x: -(y * hand_log_softmax(x)).sum(), "their sum over the whole batch"),  # no axis
        (lambda y, x: -(y * hand_log_softmax(x)).sum(axis=0), "summed over axis 0"),
        (lambda y, x: -(y * ct.log_softmax(x, axis=0)).sum(axis=-1), "runs along axis 0"),
        (lambda y, x: (y * hand_log_softmax(x)).sum(axis=-1), "the minus sign"),
    ],
    "pitfall_logits_as_probabilities": [
        (keras_probability_bce, "still treating logits as probabilities"),
        (
            lambda z, x: ct.binary_crossentropy(z[..., None], np.clip(x, EPS, 1 - EPS)[..., None]),
            "still treating logits as probabilities",
        ),
        (lambda z, x: keras_probability_bce(z, ct.sigmoid(x)), "Keras 3's clip caps a confident mistake"),
        (lambda z, x: keras2_probability_bce(z, ct.sigmoid(x)), "−ln(2e-7) = 15.42"),
        (
            lambda z, x: -(z * np.log(1 / (1 + np.exp(-x))) + (1 - z) * np.log(1 - 1 / (1 + np.exp(-x)))),
            "σ(40) rounds to 1.0",
        ),
        (lambda z, x: np.log1p(np.exp(x)) - x * z, "e^x overflows to inf past x ≈ 709.78"),  # passes ±40
        (lambda z, x: (1 - z) * x + np.log1p(np.exp(-x)), "e^{−x} overflows to inf for x below −709.78"),
        (lambda z, x: ct.sigmoid_cross_entropy_with_logits(z, x).mean(), "one loss per example"),
        (lambda z, x: -ct.sigmoid_cross_entropy_with_logits(z, x), "the minus sign"),
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
        (
            lambda x: np.exp(x - x.max(axis=-1)) / np.exp(x - x.max(axis=-1)).sum(axis=-1, keepdims=True),
            "x.max(axis=-1) without keepdims",
        ),
        (
            lambda x: (
                np.exp(x - x.max(axis=-1, keepdims=True)) / np.exp(x - x.max(axis=-1, keepdims=True)).sum(axis=-1)
            ),
            "e.sum(axis=-1) without keepdims",
        ),
        (
            lambda x: np.exp(x - x.max(axis=-1, keepdims=True)) / np.exp(x - x.max(axis=-1, keepdims=True)).sum(),
            "adds up the whole batch",
        ),
    ],
    "pitfall_log_of_softmax": [
        (lambda y, x: -np.log(gather(ct.softmax(x), y)), "still log(softmax(x))"),
        (lambda y, x: -gather(x - np.log(np.exp(x).sum(axis=-1, keepdims=True)), y), "without the max shift"),
        (lambda y, x: -np.log(gather(ct.softmax(x), y) + 1e-12), "caps the loss at −ln δ"),
        (lambda y, x: -np.log(gather(ct.softmax(x), y) + 1e-300), "caps the loss at −ln δ"),
        (lambda y, x: -ct.log_softmax(x)[:, y], "an N × N table"),
        (lambda y, x: -ct.log_softmax(x).max(axis=-1), "the most likely class"),
        (lambda y, x: -gather(ct.log_softmax(x), y).mean(), "their mean over the whole batch"),
        (lambda y, x: gather(ct.log_softmax(x), y), "the minus sign"),
    ],
    "pitfall_epsilon_in_log": [
        (lambda y, x: -(y * np.log(ct.softmax(x) + 1e-6)).sum(axis=-1), "you add a small δ inside the log"),
        (lambda y, x: -(y * np.log(ct.softmax(x) + 1e-12)).sum(axis=-1), "you add a small δ inside the log"),
        (clip_loss(EPS), "16.1 (Keras 3's cap)"),
        (clip_loss(1e-300), "your loss stops at 690.776 nats where the true loss is 1000"),  # the hole of issue 13
        (lambda y, x: -(y * np.log(ct.softmax(x) + 1e-300)).sum(axis=-1), "your loss stops at 690.776"),
        (clip_loss(5e-324), "your loss stops at 744.44"),  # even the smallest float
        (lambda y, x: -(y * np.log(ct.softmax(x))).sum(axis=-1), "no δ, but still the log of a probability"),
        (lambda y, x: -gather(ct.log_softmax(x), y.argmax(axis=-1)), "drops the 0.2"),
        (lambda y, x: -(y * ct.log_softmax(x)).sum(), "their sum over the whole batch"),
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
        (
            lambda z, x: ct.softmax_cross_entropy_with_logits(np.eye(x.shape[-1])[z], ct.softmax(x)),
            "softmax twice (pitfall 1)",
        ),
        (lambda z, x: -np.log(gather(ct.softmax(x), z)), "bringing in pitfall 4"),
        (lambda z, x: -ct.log_softmax(x)[:, z], "an N × N table"),
        (lambda z, x: ct.sparse_softmax_cross_entropy_with_logits(z, x).sum(), "their sum over the whole batch"),
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
        (labels_asserted, "raise ValueError (a bad value)"),
        (labels_vaguely_rejected, "does not name the bad value"),
    ],
    "pitfall_kl_order": [
        (lambda p, q: _torch_style_kl_div(p, q), "that is the original bug"),
        (lambda p, q: _torch_style_kl_div(q, p), "kl_div wants log-probabilities"),
        (lambda p, q: _torch_style_kl_div(np.log(p), q), "right form, wrong order"),
        (lambda p, q: (p * np.log(q / p)).sum(axis=-1), "never negative"),
        (lambda p, q: ct.kl_divergence(q, p), "that is D(q‖p)"),
        (lambda p, q: _torch_style_kl_div(np.log(q), p) / p.shape[-1], "reduction='mean'"),
        (lambda p, q: (p * np.log(p / q)).sum(axis=-1), "nan where p = 0"),  # the naive form, p = 0 allowed
        (lambda p, q: (p * np.log(p / q)).sum(), "their sum over the whole batch"),
        (lambda p, q: (p * np.log2(p / q)).sum(axis=-1), "np.log2"),
    ],
}


for _name, _pairs in FLOAT32_ONLY.items():
    WRONG[_name] = WRONG[_name] + _pairs


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
def test_each_battery_has_six_wrong_and_two_right_answers(name):
    assert len(WRONG[name]) >= 6 and len({hint for _, hint in WRONG[name]}) >= 4
    assert len(CORRECT[name]) >= 2


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


# --- the transfer exercise: a test batch that catches pitfalls 1, 3, 4 and 5 -------------------------

ONE_HOT = np.eye(3)


def good_batch():
    labels = ONE_HOT[[0, 1, 0]]
    logits = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0], [-800.0, 0.0, 0.0]])
    return labels, logits


def good_soft_batch():
    labels = np.array([[0.0, 0.8, 0.2], [1.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
    logits = np.array([[0.0, 5.0, -20.0], [-900.0, 0.0, 10.0], [1000.0, 1001.0, 999.0]])
    return labels, logits


def normal_batch():  # the colleague's test: catches only 1
    rng = np.random.default_rng(0)
    return ONE_HOT[rng.integers(0, 3, size=8)], rng.normal(size=(8, 3))


TEST_BATCH_WRONG = [
    (normal_batch, "3 max of the whole batch, 4 log(softmax(x)), 5 δ = 1e-6 in the log"),
    (lambda: (ONE_HOT[[0, 1]], np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0]])), "a confident mistake"),
    (lambda: (ONE_HOT[[0]], np.array([[-800.0, 0.0, 0.0]])), "two rows of very different scale"),
    (lambda: (ONE_HOT[[0, 1]], np.array([[1.0, 2.0, np.inf], [0.0, 0.0, 0.0]])), "finite number"),
    (lambda: (np.array([[1.0, 1.0, 0.0]]), np.array([[0.0, 0.0, 0.0]])), "probability distribution"),
    (lambda: (np.array([0, 1]), np.zeros((2, 3))), "shape (N, C)"),
    (lambda: np.zeros((2, 3)), "must return a pair"),
    (lambda: (ONE_HOT[[0, 1]], np.zeros((2, 4))), "shape (N, C)"),
]


def test_test_batch_accepts_batches_that_catch_every_bug():
    for make in (good_batch, good_soft_batch):
        result = checks.pitfall_test_batch.check(make)
        assert result.status == "correct", result.message


@pytest.mark.parametrize(("make", "hint"), TEST_BATCH_WRONG)
def test_test_batch_names_what_is_missing(make, hint):
    result = checks.pitfall_test_batch.check(make)
    assert result.status == "wrong" and hint in result.message, result.message


def test_test_batch_stub_and_crash():
    assert checks.pitfall_test_batch.check(stub).status == "not attempted"
    assert checks.pitfall_test_batch.check(lambda: None).status == "not attempted"
    result = checks.pitfall_test_batch.check(lambda: 1 / 0)
    assert result.status == "wrong" and "ZeroDivisionError" in result.message


def test_each_bug_is_needed():
    """Every bug in the list escapes some plausible batch, so none of them is decoration."""
    from ce_teach.checks.pitfalls import TEST_BATCH_BUGS, _caught

    labels, logits = normal_batch()
    reference = ct.softmax_cross_entropy_with_logits(labels, logits)
    escaped = {name for name, (bug, _) in TEST_BATCH_BUGS.items() if not _caught(bug, labels, logits, reference)}
    assert escaped == {"3 max of the whole batch", "4 log(softmax(x))", "5 δ = 1e-6 in the log"}
    labels, logits = ONE_HOT[[1]], np.array([[-50.0, 0.0, 0.0]])  # q of the label is ½: δ = 1e-6 hides in rtol
    reference = ct.softmax_cross_entropy_with_logits(labels, logits)
    assert not _caught(TEST_BATCH_BUGS["5 δ = 1e-6 in the log"][0], labels, logits, reference)
    assert not _caught(
        TEST_BATCH_BUGS["1 softmax twice"][0], ONE_HOT[[0]], np.array([[0.0, 0.0, 0.0]]), np.array([np.log(3.0)])
    )


def test_diagnoses_never_raise_on_odd_answers():
    odd = [lambda *a: "text", lambda *a: [1, 2, 3], lambda *a: np.zeros((7, 7, 7)), lambda *a: {"a": 1}]
    for name in CORRECT:
        for answer in odd:
            assert getattr(checks, name).check(answer).status == "wrong"


# --- float32 inputs (issue 13): judged to float32 precision, and the mistakes only float32 exposes -------


def _is_float32(arg):
    return isinstance(arg, np.ndarray) and arg.dtype == np.float32


@pytest.mark.parametrize("name", CORRECT)
def test_every_pitfall_checker_has_a_float32_case(name):
    assert any(any(_is_float32(a) for a in args) for args in getattr(checks, name).cases)


FLOAT32_RIGHT = {"pitfall_logits_as_probabilities": 4, "pitfall_kl_order": 2}  # index into CORRECT; default 1


@pytest.mark.parametrize("name", CORRECT)
def test_a_hand_written_answer_is_judged_in_float32(name):
    """The hand-written right answer computes in float32 on the float32 case (so the float32 tolerance is what
    lets it pass), and that float32 answer is accepted."""
    exercise = getattr(checks, name)
    answer = CORRECT[name][FLOAT32_RIGHT.get(name, 1)]
    (args,) = [args for args in exercise.cases if any(_is_float32(a) for a in args)]
    with np.errstate(over="ignore"):  # np.where computes both branches
        assert np.asarray(answer(*args)).dtype == np.float32
    assert exercise.check(answer).status == "correct"


@pytest.mark.parametrize(("name", "wrong"), [(n, w) for n, pairs in FLOAT32_ONLY.items() for w, _ in pairs])
def test_float32_only_mistakes_pass_every_float64_case(name, wrong):
    """Each of these gets ✗ above only because of the float32 case: without it, the checker would accept it."""
    exercise = getattr(checks, name)
    float64_only = type(exercise)(
        **{**exercise.__dict__, "cases": [args for args in exercise.cases if not any(_is_float32(a) for a in args)]}
    )
    assert float64_only.check(wrong).status == "correct"

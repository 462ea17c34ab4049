"""The exercise checkers of notebooks 01–03 (ce_teach/checks/information.py).

Each checker must accept the package's own implementation and a hand-written model solution, say
"not attempted" for a stub, and reject typical wrong answers with the hint that names the mistake.
"""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import cross_entropy_nats, entropy_bits, kl_divergence_bits, perplexity

ALL = [entropy_bits, kl_divergence_bits, cross_entropy_nats, perplexity]


# --- hand-written model solutions, as a learner would write them ---------------------------------


def entropy_bits_model(p):  # the model solution shown in 01_entropy
    p = np.asarray(p, dtype=float)
    log_p = np.log2(p, out=np.zeros_like(p), where=p > 0)
    return -np.sum(p * log_p, axis=-1)


def kl_bits_model(p, q):
    ratio = np.divide(p, q, out=np.ones_like(p), where=p > 0)
    return np.sum(p * np.log2(ratio), axis=-1)


def cross_entropy_nats_model(p, q):
    log_q = np.log(q, out=np.zeros_like(q), where=p > 0)
    return -np.sum(p * log_q, axis=-1)


def perplexity_model(p):
    return 2.0 ** entropy_bits_model(p)


def stub(*args):
    raise NotImplementedError  # your code here


def forgot_return(*args):
    pass


# --- every checker: right answers, stubs, machinery ----------------------------------------------


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [
        (entropy_bits, lambda p: ct.entropy(p, base=2)),
        (entropy_bits, entropy_bits_model),
        (kl_divergence_bits, lambda p, q: ct.kl_divergence(p, q, base=2)),
        (kl_divergence_bits, kl_bits_model),
        (cross_entropy_nats, lambda p, q: ct.cross_entropy(p, q)),
        (cross_entropy_nats, cross_entropy_nats_model),
        (perplexity, lambda p: np.exp(ct.entropy(p))),
        (perplexity, perplexity_model),
    ],
)
def test_accepts_a_correct_answer(exercise, answer, capsys):
    result = exercise.check(answer)
    assert result.status == "correct" and result.passed, result.message
    exercise(answer)
    assert capsys.readouterr().out.startswith(f"✓ {exercise.name}: correct on all {len(exercise.cases)}")


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.name)
@pytest.mark.parametrize("candidate", [stub, forgot_return], ids=["raises NotImplementedError", "returns None"])
def test_a_stub_is_not_attempted(exercise, candidate, capsys):
    result = exercise.check(candidate)
    assert result.status == "not attempted" and not result.passed
    exercise(candidate)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.name)
def test_a_crashing_answer_is_reported_not_raised(exercise):
    def crashes(*args):
        return 1 / 0

    result = exercise.check(crashes)
    assert result.status == "wrong" and "ZeroDivisionError" in result.message


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.name)
def test_passing_the_result_instead_of_the_function(exercise):
    result = exercise.check(1.75)
    assert result.status == "wrong" and "pass your function itself" in result.message


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.name)
def test_the_learners_inputs_are_copies(exercise):
    """A learner who modifies p in place must not corrupt the checker's test cases."""

    def vandal(*args):
        for a in args:
            a[...] = 0.0
        return 0.0

    before = [[np.array(a, copy=True) for a in case] for case in exercise.cases]
    exercise.check(vandal)
    for case, saved in zip(exercise.cases, before, strict=True):
        for a, b in zip(case, saved, strict=True):
            np.testing.assert_array_equal(a, b)


# --- typical wrong answers and their hints -------------------------------------------------------


def _wrong(exercise, candidate) -> str:
    result = exercise.check(candidate)
    assert result.status == "wrong", result.message
    assert result.message.startswith(f"✗ {exercise.name}")
    return result.message


ENTROPY_MISTAKES = {
    "natural log": (lambda p: -np.sum(p * np.log(p, out=np.zeros_like(p), where=p > 0), axis=-1), "in nats"),
    "log10": (lambda p: -np.sum(p * np.log10(p, out=np.zeros_like(p), where=p > 0), axis=-1), "np.log10"),
    "no minus sign": (lambda p: np.sum(p * np.log2(p, out=np.zeros_like(p), where=p > 0), axis=-1), "minus sign"),
    "0·log 0 → nan": (lambda p: -np.sum(p * np.log2(p), axis=-1), "0·log 0 = 0"),
    "not summed": (lambda p: -p * np.log2(p, out=np.zeros_like(p), where=p > 0), "sum the terms"),
}


@pytest.mark.parametrize("mistake", ENTROPY_MISTAKES, ids=str)
def test_entropy_bits_names_the_mistake(mistake):
    candidate, hint = ENTROPY_MISTAKES[mistake]
    message = _wrong(entropy_bits, candidate)
    assert "Hint:" in message and hint in message, message


def test_entropy_bits_shows_expected_and_got():
    message = _wrong(entropy_bits, ENTROPY_MISTAKES["natural log"][0])
    assert "expected 1.75" in message and "got      1.21301" in message


KL_MISTAKES = {
    "p and q swapped": (lambda p, q: kl_bits_model(q, p), "swapped"),
    "natural log": (lambda p, q: kl_bits_model(p, q) * np.log(2), "in nats"),
    "no 0·log 0 convention": (lambda p, q: np.sum(p * np.log2(p / q), axis=-1), "0·log 0 = 0"),
    "log(q/p)": (lambda p, q: -kl_bits_model(p, q), "minus sign"),
}


@pytest.mark.parametrize("mistake", KL_MISTAKES, ids=str)
def test_kl_divergence_bits_names_the_mistake(mistake):
    candidate, hint = KL_MISTAKES[mistake]
    message = _wrong(kl_divergence_bits, candidate)
    assert "Hint:" in message and hint in message, message


CROSS_ENTROPY_MISTAKES = {
    "p and q swapped": (lambda p, q: cross_entropy_nats_model(q, p), "swapped"),
    "bits": (lambda p, q: cross_entropy_nats_model(p, q) / np.log(2), "in bits"),
    "no minus sign": (lambda p, q: -cross_entropy_nats_model(p, q), "minus sign"),
    "not summed": (lambda p, q: -p * np.log(q), "sum the terms"),
}


@pytest.mark.parametrize("mistake", CROSS_ENTROPY_MISTAKES, ids=str)
def test_cross_entropy_nats_names_the_mistake(mistake):
    candidate, hint = CROSS_ENTROPY_MISTAKES[mistake]
    message = _wrong(cross_entropy_nats, candidate)
    assert "Hint:" in message and hint in message, message


PERPLEXITY_MISTAKES = {
    "entropy in bits": (entropy_bits_model, "entropy in bits; perplexity is 2"),
    "entropy in nats": (lambda p: entropy_bits_model(p) * np.log(2), "entropy in nats; perplexity is e"),
    "2 ** H_nats": (lambda p: 2.0 ** (entropy_bits_model(p) * np.log(2)), "raised 2 to the entropy in nats"),
    "e ** H_bits": (lambda p: np.exp(entropy_bits_model(p)), "raised e to the entropy in bits"),
    "0·log 0 → nan": (lambda p: 2.0 ** -np.sum(p * np.log2(p), axis=-1), "0·log 0 = 0"),
}


@pytest.mark.parametrize("mistake", PERPLEXITY_MISTAKES, ids=str)
def test_perplexity_names_the_mistake(mistake):
    candidate, hint = PERPLEXITY_MISTAKES[mistake]
    message = _wrong(perplexity, candidate)
    assert "Hint:" in message and hint in message, message


def test_a_mistake_without_a_diagnosis_gets_the_general_hint():
    message = _wrong(entropy_bits, lambda p: np.zeros(np.shape(p)[:-1]) + 1.0)
    assert f"Hint: {entropy_bits.hint}" in message


def test_wrong_shape_is_reported():
    message = _wrong(perplexity, lambda p: np.full(3, 2.0))
    assert "expected shape" in message


def test_every_checker_has_a_case_with_a_zero_probability():
    """Without one, the nan-from-0·log 0 mistake would pass as correct."""
    for exercise in ALL:
        assert any(np.any(np.asarray(a) == 0) for case in exercise.cases for a in case), exercise.name

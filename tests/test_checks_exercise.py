"""The exercise machinery itself (ce_teach/checks/exercise.py): a checker never raises, a near miss shows
the digits that differ, and the package's own answer is accepted with a note."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import CheckResult, Exercise
from ce_teach.checks.exercise import Checker, calls_package, difference


def _entropy_bits(p):
    return ct.entropy(p, base=2)


def same_shape_only(got, expected, args):  # a diagnosis that assumes the shapes agree
    if np.allclose(got * 2, expected):
        return "you halved it"
    return None


def raising_diagnosis(got, expected, args):
    raise RuntimeError("diagnosis bug")


BATCH = (np.array([[0.5, 0.5], [0.25, 0.75], [0.1, 0.9]]),)  # 3 rows: axis 0 gives a wrong shape
EXERCISE = Exercise(
    "entropy in bits",
    _entropy_bits,
    [BATCH],
    diagnoses=[raising_diagnosis, same_shape_only],
    package_answers=("entropy",),
)


@pytest.mark.parametrize(
    "answer",
    [
        lambda p: -np.sum(p * np.log2(p), axis=0),  # the typical batch bug: a shape-(2,) answer, wrong values
        lambda p: -np.sum(p * np.log2(p)),  # no axis at all: a scalar
        lambda p: -np.sum(p * np.log2(p), axis=-1, keepdims=True),  # shape (2, 1)
        lambda p: p[5],  # IndexError in the learner's code
        lambda p: "1 bit",  # not a number
        lambda p: {"h": 1.0},  # not an array
    ],
    ids=["axis-0", "no-axis", "keepdims", "raises", "string", "dict"],
)
def test_a_wrong_answer_gets_a_verdict_never_an_exception(answer, capsys):
    result = EXERCISE.check(answer)
    assert result.status == "wrong" and result.message.startswith("✗")
    EXERCISE(answer)
    assert capsys.readouterr().out.startswith("✗")


def test_a_diagnosis_that_fails_is_skipped_and_the_next_one_still_speaks():
    result = EXERCISE.check(lambda p: ct.entropy(p, base=2) / 2)
    assert "you halved it" in result.message


def test_a_checker_that_fails_itself_still_prints_a_verdict(capsys):
    class Broken(Checker):
        name = "broken"

        def check(self, candidate):
            raise ZeroDivisionError("checker bug")

    Broken()(lambda: 1)
    out = capsys.readouterr().out
    assert out.startswith("✗ broken: your answer could not be checked (ZeroDivisionError")


def test_a_near_miss_shows_the_digits_that_differ_and_the_relative_error():
    text = difference(np.array(1.7500001), np.array(1.75))
    assert "expected 1.75\n" in text and "got      1.7500001" in text
    assert "relative error 5.71e-08" in text
    text = difference(np.array([0.41703, 0.153178 + 1e-9]), np.array([0.41703, 0.153178]))
    assert "0.153178001" in text  # not "[0.41703, 0.153178]" twice
    assert "nan or inf" in difference(np.array([np.nan, 1.0]), np.array([0.5, 1.0]))
    result = Exercise("f", lambda x: x, [(np.array([1.75]),)]).check(lambda x: x * (1 + 1e-7))
    assert "1.7500002" in result.message and "relative error 1.00e-07" in result.message


def test_the_package_answer_is_accepted_with_a_note():
    assert calls_package(lambda p: ct.entropy(p, base=2), ("entropy",)) == "entropy"

    def nested(p):
        return (lambda r: ct.entropy(r, base=2))(p)

    assert calls_package(nested, ("entropy",)) == "entropy"
    note = EXERCISE.check(lambda p: ct.entropy(p, base=2)).message
    assert note.startswith("✓") and "ct.entropy, the package's own answer" in note


def test_a_numpy_answer_gets_no_note():
    def mine(p):
        entropy = -np.sum(p * np.log2(p), axis=-1)  # a local variable named like the package function
        return entropy

    result = EXERCISE.check(mine)
    assert result.passed and "Note" not in result.message
    assert calls_package(mine, ("entropy",)) is None
    assert calls_package(np.log2, ("entropy",)) is None  # no __code__: a ufunc


def test_results_are_plain_data():
    assert CheckResult("correct", "✓").passed and not CheckResult("wrong", "✗").passed


def test_a_float32_input_is_held_to_float32_precision_not_more_and_not_less():
    exercise = Exercise("entropy in bits", _entropy_bits, [(np.array([[0.1, 0.2, 0.7]], dtype=np.float32),)])
    in_float32 = exercise.check(lambda p: -np.sum(p * np.log2(p), axis=-1))  # computed in float32 throughout
    assert in_float32.passed, in_float32.message
    off_by_1e5 = exercise.check(lambda p: -np.sum(p * np.log2(p), axis=-1) * (1 + 1e-5))
    assert not off_by_1e5.passed
    float64 = Exercise("entropy in bits", _entropy_bits, [(np.array([[0.1, 0.2, 0.7]]),)])
    assert not float64.check(lambda p: -np.sum(p * np.log2(p.astype(np.float32)), axis=-1)).passed

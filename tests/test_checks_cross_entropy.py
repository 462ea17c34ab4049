"""ce_teach.checks.cross_entropy_nats: a battery of right and wrong answers (issue 13)."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import cross_entropy_nats


def _masked_log(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    return np.log(q, out=np.zeros_like(q), where=p > 0)


def model_solution(p, q):
    return -np.sum(np.asarray(p, dtype=float) * _masked_log(p, q), axis=-1)


RIGHT = {
    "masked log": model_solution,
    "np.where twice": lambda p, q: -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, q, 1.0)), 0.0), axis=-1),
    "entropy plus KL": lambda p, q: ct.entropy(p) + ct.kl_divergence(p, q),
    "a loop over rows": lambda p, q: np.array(
        [model_solution(row_p, row_q) for row_p, row_q in zip(np.atleast_2d(p), np.atleast_2d(q), strict=True)]
    ).reshape(np.shape(p)[:-1]),
}


@pytest.mark.parametrize("name", RIGHT)
def test_right_answers_pass(name):
    result = cross_entropy_nats.check(RIGHT[name])
    assert result.status == "correct", result.message


WRONG = {
    "naive −Σ p·log q (nan at p = q = 0)": (lambda p, q: -np.sum(p * np.log(q), axis=-1), "0·log 0 = 0"),
    "swapped arguments": (lambda p, q: model_solution(q, p), "H(q, p) = −Σ q·log p"),
    "summed over everything": (lambda p, q: -np.sum(p * _masked_log(p, q)), "summed over the whole batch"),
    "summed over axis 0": (lambda p, q: -np.sum(p * _masked_log(p, q), axis=0), "summed over axis 0"),
    "no minus sign": (lambda p, q: np.sum(p * _masked_log(p, q), axis=-1), "minus sign"),
    "bits": (lambda p, q: model_solution(p, q) / np.log(2), "in bits"),
    "δ inside the log": (lambda p, q: -np.sum(p * np.log(q + 1e-10), axis=-1), "inside the log"),
    "not summed": (lambda p, q: -p * _masked_log(p, q), "sum the terms"),
    "keepdims": (lambda p, q: -np.sum(p * _masked_log(p, q), axis=-1, keepdims=True), "expected shape"),
}


@pytest.mark.parametrize("name", WRONG)
def test_wrong_answers_fail_with_a_hint_that_names_the_mistake(name):
    candidate, hint = WRONG[name]
    result = cross_entropy_nats.check(candidate)
    assert result.status == "wrong", name
    assert hint in result.message, result.message


def test_the_swapped_hint_no_longer_quotes_kl():
    message = cross_entropy_nats.check(lambda p, q: model_solution(q, p)).message
    assert "D(p‖q)" not in message and "log(p/q)" not in message


def test_the_cases_expose_each_mistake():
    cases = cross_entropy_nats.cases
    assert any(np.any((np.asarray(p) == 0) & (np.asarray(q) == 0)) for p, q in cases)  # p = q = 0
    batches = [p for p, _ in cases if np.ndim(p) == 2]
    assert any(p.shape[0] != p.shape[1] for p in batches)  # axis-0 sums change the shape
    assert any(np.asarray(p).dtype == np.float32 for p, _ in cases)
    assert any(np.any((np.asarray(q) < 1e-12) & (np.asarray(p) > 0)) for p, q in cases)  # a confident mistake


def test_passing_the_package_gets_a_note():
    result = cross_entropy_nats.check(lambda p, q: ct.cross_entropy(p, q))
    assert result.status == "correct" and "package's own answer" in result.message

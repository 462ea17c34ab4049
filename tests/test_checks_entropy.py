"""Batteries for the exercise checkers of notebook 01: ``entropy_bits`` and ``perplexity``.

Each typical wrong answer must get ✗ and a hint that names its actual mistake; each right answer ✓.
The batch mistakes (a sum over axis 0, over everything, with keepdims, or none) used to crash the
checker with a raw NumPy broadcast error: they must now be reported, never raised.
"""

import numpy as np
import pytest
from checker_battery import battery, check_verdict

from ce_teach.checks import entropy_bits, perplexity


def _log2(p):
    return np.log2(p, out=np.zeros_like(p), where=p > 0)


def entropy_model(p):
    p = np.asarray(p, dtype=float)
    return -np.sum(p * _log2(p), axis=-1)


def entropy_with_where(p):  # an alternative correct form: mask the terms instead of the log
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(np.where(p > 0, p * np.log2(p), 0.0), axis=-1)


def entropy_as_log_of_reciprocal(p):  # another: Σ p·log2(1/p) with the p = 0 terms dropped
    return np.sum(p * np.log2(np.divide(1.0, p, out=np.ones_like(p), where=p > 0)), axis=-1)


ENTROPY_RIGHT = [entropy_model, entropy_with_where, entropy_as_log_of_reciprocal]

ENTROPY_WRONG = {
    "natural log": (lambda p: -np.sum(p * np.log(p, out=np.zeros_like(p), where=p > 0), axis=-1), "in nats"),
    "log10": (lambda p: -np.sum(p * np.log10(p, out=np.zeros_like(p), where=p > 0), axis=-1), "np.log10"),
    "no minus sign": (lambda p: np.sum(p * _log2(p), axis=-1), "minus sign"),
    "0·log 0 → nan": (lambda p: -np.sum(p * np.log2(p), axis=-1), "0·log 0 = 0"),
    "not summed": (lambda p: -p * _log2(p), "one value per outcome"),
    "summed over axis 0": (lambda p: -np.sum(p * _log2(p), axis=0), "axis 0"),
    "summed over everything": (lambda p: -np.sum(p * _log2(p)), "every entry"),
    "keepdims": (lambda p: -np.sum(p * _log2(p), axis=-1, keepdims=True), "keepdims"),
    "np.mean instead of sum": (lambda p: -np.mean(p * _log2(p), axis=-1), "H(p) = −Σ p·log2(p)"),
}


def test_entropy_cases_expose_the_batch_mistakes():
    """A square batch, where axis 0 gives the right shape, and a non-square one, where it does not."""
    batches = [case[0] for case in entropy_bits.cases if np.ndim(case[0]) == 2]
    assert any(b.shape[0] == b.shape[1] for b in batches) and any(b.shape[0] != b.shape[1] for b in batches)


def perplexity_model(p):
    return 2.0 ** entropy_model(p)


def perplexity_in_nats(p):  # the alternative form e^{H_nats}
    p = np.asarray(p, dtype=float)
    return np.exp(-np.sum(p * np.log(p, out=np.zeros_like(p), where=p > 0), axis=-1))


def perplexity_as_product(p):  # ∏ p_i^(−p_i), with 0^0 = 1
    return np.prod(np.power(p, -p, out=np.ones_like(p), where=p > 0), axis=-1)


PERPLEXITY_RIGHT = [perplexity_model, perplexity_in_nats, perplexity_as_product]

PERPLEXITY_WRONG = {
    "entropy in bits": (entropy_model, "entropy in bits; perplexity is 2"),
    "entropy in nats": (lambda p: entropy_model(p) * np.log(2), "entropy in nats; perplexity is e"),
    "2 ** H_nats": (lambda p: 2.0 ** (entropy_model(p) * np.log(2)), "raised 2 to the entropy in nats"),
    "e ** H_bits": (lambda p: np.exp(entropy_model(p)), "raised e to the entropy in bits"),
    "0·log 0 → nan": (lambda p: 2.0 ** -np.sum(p * np.log2(p), axis=-1), "0·log 0 = 0"),
    "summed over axis 0": (lambda p: 2.0 ** -np.sum(p * _log2(p), axis=0), "axis 0"),
    "summed over everything": (lambda p: 2.0 ** -np.sum(p * _log2(p)), "every entry"),
    "not summed": (lambda p: 2.0 ** (-p * _log2(p)), "one value per outcome"),
}


BATTERY = battery(entropy_bits, ENTROPY_RIGHT, ENTROPY_WRONG) + battery(perplexity, PERPLEXITY_RIGHT, PERPLEXITY_WRONG)


@pytest.mark.parametrize(("checker", "answer", "hint"), BATTERY)
def test_battery(checker, answer, hint):
    check_verdict(checker, answer, hint)

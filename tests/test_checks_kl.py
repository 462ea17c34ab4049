"""Battery for the exercise checker ``kl_divergence_bits`` (notebook 02).

The naive forms must fail where they go wrong: 0·log(0/0) = nan where p = q = 0 at some outcome (an
allowed input), and a q = 0 < p outcome where D = +∞.
"""

import numpy as np
import pytest
from checker_battery import battery, check_verdict

from ce_teach.checks import kl_divergence_bits


def kl_model(p, q):  # the model solution of 02
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    ratio = np.divide(p, q, out=np.ones_like(p), where=p > 0)
    return np.sum(p * np.log2(ratio), axis=-1)


def kl_with_where(p, q):  # an alternative correct form: compute every term, then keep only p > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sum(np.where(p > 0, p * np.log2(p / q), 0.0), axis=-1)


def kl_as_difference_of_logs(p, q):  # Σ p·(log2 p − log2 q), both logs taken only where p > 0
    log_p = np.log2(p, out=np.zeros_like(p), where=p > 0)
    with np.errstate(divide="ignore"):
        log_q = np.log2(q, out=np.zeros_like(q), where=p > 0)
    return np.sum(np.where(p > 0, p * (log_p - log_q), 0.0), axis=-1)


KL_RIGHT = [kl_model, kl_with_where, kl_as_difference_of_logs]


def _masked_log2(x):
    return np.log2(x, out=np.zeros_like(x), where=x > 0)


KL_WRONG = {
    "p and q swapped": (lambda p, q: kl_model(q, p), "swapped"),
    "natural log": (lambda p, q: kl_model(p, q) * np.log(2), "in nats"),
    "log(q/p)": (lambda p, q: -kl_model(p, q), "minus sign"),
    "naive Σ p·log(p/q)": (lambda p, q: np.sum(p * np.log2(p / q), axis=-1), "0·log 0 = 0"),
    # skips p = 0 in log p but not in log q: nan only where p = q = 0
    "p = q = 0 → nan": (lambda p, q: np.sum(p * (_masked_log2(p) - np.log2(q)), axis=-1), "p = q = 0"),
    # skips q = 0 as well: finite where the truth is +∞
    "skips q = 0": (
        lambda p, q: np.sum(np.where((p > 0) & (q > 0), p * np.log2(np.where(q > 0, p / q, 1.0)), 0.0), axis=-1),
        "+∞",
    ),
    "summed over axis 0": (lambda p, q: np.sum(np.where(p > 0, p * np.log2(p / q), 0.0), axis=0), "axis 0"),
    "summed over everything": (lambda p, q: np.sum(np.where(p > 0, p * np.log2(p / q), 0.0)), "every entry"),
    "not summed": (lambda p, q: np.where(p > 0, p * np.log2(p / q), 0.0), "one value per outcome"),
}


def test_kl_cases_hold_the_edge_inputs():
    """p = q = 0 at an outcome, q = 0 < p, and a square batch."""
    cases = [tuple(np.asarray(a) for a in case) for case in kl_divergence_bits.cases]
    assert any(np.any((p == 0) & (q == 0)) for p, q in cases)
    assert any(np.any((q == 0) & (p > 0)) for p, q in cases)
    assert any(p.ndim == 2 and p.shape[0] == p.shape[1] for p, _ in cases)


# --- the transfer exercise of 02: KL between two normals, checked against a numerical integral -----

import math  # noqa: E402

from ce_teach.checks import kl_normals_nats  # noqa: E402
from ce_teach.checks.kl import kl_normals_numerically  # noqa: E402


def normals_closed(mu1, sd1, mu2, sd2):  # the model solution of 02
    return np.log(sd2 / sd1) + (sd1**2 + (mu1 - mu2) ** 2) / (2 * sd2**2) - 0.5


def normals_with_variances(mu1, sd1, mu2, sd2):  # an alternative correct form, in variances
    v1, v2 = sd1**2, sd2**2
    return 0.5 * (v1 / v2 + (mu2 - mu1) ** 2 / v2 - 1 + np.log(v2 / v1))


NORMALS_RIGHT = [normals_closed, normals_with_variances]

NORMALS_WRONG = {
    "D(q‖p)": (lambda m1, s1, m2, s2: normals_closed(m2, s2, m1, s1), "D(q‖p)"),
    "no −½": (lambda m1, s1, m2, s2: normals_closed(m1, s1, m2, s2) + 0.5, "−½ is missing"),
    "ln of variances": (lambda m1, s1, m2, s2: normals_closed(m1, s1, m2, s2) + np.log(s2 / s1), "not ln(sd2²/sd1²)"),
    "ln(sd1/sd2)": (lambda m1, s1, m2, s2: normals_closed(m1, s1, m2, s2) - 2 * np.log(s2 / s1), "model's sd on top"),
    "no 2 in the denominator": (
        lambda m1, s1, m2, s2: np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / s2**2 - 0.5,
        "not by sd2²",
    ),
    "no mean term": (lambda m1, s1, m2, s2: np.log(s2 / s1) + s1**2 / (2 * s2**2) - 0.5, "(μ1 − μ2)² term"),
    "bits": (lambda m1, s1, m2, s2: normals_closed(m1, s1, m2, s2) / np.log(2), "in bits"),
    "math.log on arrays": (
        lambda m1, s1, m2, s2: math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5,
        "np.log",
    ),
}


def test_the_reference_is_the_numerical_integral_and_agrees_with_the_closed_form():
    rng = np.random.default_rng(0)
    mu1, mu2 = rng.normal(0, 3, size=(2, 200))
    sd1, sd2 = rng.uniform(0.1, 5, size=(2, 200))
    np.testing.assert_allclose(
        kl_normals_numerically(mu1, sd1, mu2, sd2), normals_closed(mu1, sd1, mu2, sd2), rtol=1e-12, atol=1e-14
    )
    assert kl_normals_nats.reference is kl_normals_numerically
    with pytest.raises(ValueError, match="positive"):
        kl_normals_numerically(0.0, 0.0, 0.0, 1.0)


def test_kl_normals_cases_hold_an_array_case():
    assert any(isinstance(a, np.ndarray) for case in kl_normals_nats.cases for a in case)


BATTERY = battery(kl_divergence_bits, KL_RIGHT, KL_WRONG) + battery(kl_normals_nats, NORMALS_RIGHT, NORMALS_WRONG)


@pytest.mark.parametrize(("checker", "answer", "hint"), BATTERY)
def test_battery(checker, answer, hint):
    check_verdict(checker, answer, hint)

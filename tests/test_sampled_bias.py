"""ce_teach.sampled_bias: the weight moments against brute force, the series against a Monte-Carlo bias."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.sampled_bias import bias_expansion, weight_moments


def small_problem(seed=0, n=5, v=7):
    rng = np.random.default_rng(seed)
    p = ct.softmax(rng.normal(0, 2, size=(n, v)))
    q = rng.dirichlet(np.ones(v))
    c = rng.integers(0, v, size=n)
    return p, q, c


def test_moments_match_a_direct_enumeration():
    p, q, c = small_problem()
    mu2, mu3 = weight_moments(p, q, c)
    for n in range(p.shape[0]):
        w = np.array([0.0 if s == c[n] else p[n, s] / q[s] for s in range(p.shape[1])])
        mean = (q * w).sum()
        assert mean == pytest.approx(1 - p[n, c[n]], rel=1e-12)
        assert mu2[n] == pytest.approx((q * (w - mean) ** 2).sum(), rel=1e-12)
        assert mu3[n] == pytest.approx((q * (w - mean) ** 3).sum(), rel=1e-12)


def test_series_matches_the_exact_bias_when_k_is_large():
    """Exact E[log Ẑ/Z] for k = 2 by enumerating all V² ordered draws, and a large-k check by Monte Carlo."""
    p, q, c = small_problem(seed=1, n=1, v=6)
    mu2, mu3 = weight_moments(p, q, c)
    w = p[0] / q
    w[c[0]] = 0.0
    pairs = p[0, c[0]] + (w[:, None] + w[None, :]) / 2  # Ẑ/Z for every ordered pair of draws
    exact_k2 = float((q[:, None] * q[None, :] * np.log(pairs)).sum())
    second, third = bias_expansion(mu2, mu3, 2)
    assert exact_k2 < 0  # Jensen
    assert second < exact_k2, "at k = 2 the second-order term overshoots the exact bias (here)"
    rng = np.random.default_rng(2)
    k = 400
    draws = rng.choice(len(q), size=(20_000, k), p=q)
    z_over_z = p[0, c[0]] + w[draws].mean(axis=1)
    measured = np.log(z_over_z).mean()
    error = np.log(z_over_z).std() / np.sqrt(len(z_over_z))
    second, third = bias_expansion(mu2, mu3, k)
    assert abs(measured - third) < 4 * error and abs(measured - second) < 4 * error + abs(third - second)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((np.ones((2, 3)), np.full(3, 1 / 3), np.array([0, 1])), "rows that sum to 1"),
        ((np.full((2, 3), 1 / 3), np.array([0.5, 0.5, 0.0]), np.array([0, 1])), "positive probabilities"),
        ((np.full((2, 3), 1 / 3), np.full(3, 1 / 3), np.array([0, 3])), "integers in \\[0, 3\\)"),
        ((np.full((2, 3), 1 / 3), np.full(3, 1 / 3), np.array([0.0, 1.0])), "integers"),
    ],
)
def test_weight_moments_refuses_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        weight_moments(*args)


@pytest.mark.parametrize(
    ("mu2", "mu3", "k", "match"),
    [
        (np.array([-1.0]), np.array([0.0]), 4, "mu2 ≥ 0"),
        (np.array([1.0]), np.array([np.nan]), 4, "mu3 must be finite"),
        (np.array([1.0]), np.array([0.0]), 0, "counts ≥ 1"),
        (np.array([1.0, 2.0]), np.array([0.0]), 4, "arrays of moments"),
    ],
)
def test_bias_expansion_refuses_bad_input(mu2, mu3, k, match):
    with pytest.raises(ValueError, match=match):
        bias_expansion(mu2, mu3, k)

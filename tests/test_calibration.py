"""ct.expected_calibration_error, ct.reliability_curve, ct.fit_temperature and ct.smooth_labels."""

from __future__ import annotations

import numpy as np
import pytest

import ce_teach as ct


def guo_ece(probs, labels, n_bins=15):
    """Guo et al.'s _ECELoss (gpleiss/temperature_scaling) in NumPy: bins (lower, upper], weighted |acc − conf|."""
    conf, pred = probs.max(axis=1), probs.argmax(axis=1)
    correct = pred == labels
    edges = np.linspace(0, 1, n_bins + 1)
    ece = 0.0
    for lower, upper in zip(edges[:-1], edges[1:], strict=True):
        in_bin = (conf > lower) & (conf <= upper)
        if in_bin.mean() > 0:
            ece += abs(conf[in_bin].mean() - correct[in_bin].mean()) * in_bin.mean()
    return ece


def random_predictions(seed, n=500, c=10, scale=3.0):
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, scale, (n, c))
    labels = np.where(rng.uniform(size=n) < 0.7, logits.argmax(axis=1), rng.integers(0, c, n))
    return logits, labels


@pytest.mark.parametrize("n_bins", [1, 5, 10, 15, 20])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ece_equals_guo_et_al(seed, n_bins):
    logits, labels = random_predictions(seed)
    probs = ct.softmax(logits)
    assert ct.expected_calibration_error(probs, labels, n_bins=n_bins) == pytest.approx(
        guo_ece(probs, labels, n_bins), rel=1e-12, abs=1e-15
    )


def test_confidences_on_bin_edges_go_to_the_bin_they_close():
    """(lower, upper]: 0.5 belongs to the bin (0.25, 0.5] of 4, and 1.0 to the last bin."""
    probs = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0], [0.75, 0.25, 0.0]])
    curve = ct.reliability_curve(probs, [1, 0, 0], n_bins=4)
    assert curve.count.tolist() == [0, 1, 1, 1]
    assert curve.accuracy[1] == 0.0 and curve.accuracy[2] == 1.0 and curve.accuracy[3] == 1.0
    expected = guo_ece(probs, np.array([1, 0, 0]), 4)
    assert ct.expected_calibration_error(probs, [1, 0, 0], n_bins=4) == pytest.approx(expected)


def test_reliability_curve_matches_its_definition():
    logits, labels = random_predictions(5)
    probs = ct.softmax(logits)
    curve = ct.reliability_curve(probs, labels, n_bins=10)
    assert curve.count.sum() == len(labels) and curve.edges.tolist() == np.linspace(0, 1, 11).tolist()
    used = curve.count > 0
    assert np.isnan(curve.accuracy[~used]).all()
    ece = np.sum(curve.count[used] / len(labels) * np.abs(curve.gap[used]))
    assert ece == pytest.approx(ct.expected_calibration_error(probs, labels, n_bins=10), rel=1e-14)


def test_a_calibrated_sample_has_small_ece_and_an_overconfident_one_does_not():
    rng = np.random.default_rng(0)
    n, c = 20000, 4
    probs = rng.dirichlet(np.ones(c), n)
    labels = np.array([rng.choice(c, p=p) for p in probs])  # labels drawn from the predictions: calibrated
    assert ct.expected_calibration_error(probs, labels) < 0.02
    sharp = ct.softmax(4 * np.log(probs))
    assert ct.expected_calibration_error(sharp, labels) > 0.1


@pytest.mark.parametrize(
    ("probs", "labels", "kwargs", "words"),
    [
        ([[0.5, 0.6]], [0], {}, "must sum to 1"),
        ([0.5, 0.5], [0], {}, r"shape \(N, C\)"),
        ([[0.5, 0.5]], [2], {}, "outside the valid range"),
        ([[0.5, 0.5]], [0.0], {}, "integer class indices"),
        ([[0.5, 0.5]], [0], {"n_bins": 0}, "n_bins must be an integer ≥ 1, got 0"),
        ([[1.5, -0.5]], [0], {}, r"must lie in \[0, 1\]"),
    ],
)
def test_bad_input_is_named(probs, labels, kwargs, words):
    with pytest.raises((ValueError, TypeError), match=words):
        ct.expected_calibration_error(probs, labels, **kwargs)


def nll(logits, labels, t):
    return float(np.mean(ct.sparse_softmax_cross_entropy_with_logits(labels, logits / t)))


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_fit_temperature_is_the_minimum(seed):
    logits, labels = random_predictions(seed, scale=3.0 + seed)
    t = ct.fit_temperature(logits, labels)
    assert abs(ct.temperature_nll_derivative(logits, labels, t)) < 1e-13 * max(1.0, np.abs(logits).mean())
    best = nll(logits, labels, t)
    for factor in (1 - 1e-6, 1 + 1e-6, 0.9, 1.1):
        assert nll(logits, labels, t * factor) >= best
    grid = np.linspace(0.5 * t, 2 * t, 301)
    assert abs(grid[np.argmin([nll(logits, labels, g) for g in grid])] - t) <= grid[1] - grid[0]


def test_fit_temperature_scales_with_the_logits_and_keeps_predictions():
    logits, labels = random_predictions(7)
    t = ct.fit_temperature(logits, labels)
    assert ct.fit_temperature(4 * logits, labels) == pytest.approx(4 * t, rel=1e-12)
    assert np.array_equal(np.argmax(logits / t, axis=1), np.argmax(logits, axis=1))


def test_fit_temperature_refuses_problems_without_a_minimum():
    with pytest.raises(ValueError, match="already has the largest logit"):
        ct.fit_temperature([[2.0, 0.0], [0.0, 1.0]], [0, 1])
    with pytest.raises(ValueError, match="no more than the uniform"):
        ct.fit_temperature([[2.0, 0.0], [0.0, 1.0]], [1, 0])
    with pytest.raises(ValueError, match="only finite values"):
        ct.fit_temperature([[np.inf, 0.0]], [1])
    with pytest.raises(ValueError, match="temperature must be a positive finite number, got 0.0"):
        ct.temperature_nll_derivative([[1.0, 0.0]], [1], 0.0)


def test_smooth_labels_and_the_decomposition():
    eps, c = 0.1, 5
    y = ct.smooth_labels([0, 3], c, label_smoothing=eps)
    assert y.sum(axis=1).tolist() == pytest.approx([1.0, 1.0])
    assert y[0].tolist() == pytest.approx([1 - eps + eps / c] + [eps / c] * 4)
    logits = np.random.default_rng(0).normal(0, 2, (2, c))
    one_hot = np.eye(c)[[0, 3]]
    uniform = np.full((2, c), 1 / c)
    lhs = ct.softmax_cross_entropy_with_logits(y, logits)
    ce = ct.softmax_cross_entropy_with_logits
    rhs = (1 - eps) * ce(one_hot, logits) + eps * ce(uniform, logits)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-14)
    torch_semantics = ct.class_weighted_sparse_cross_entropy([0, 3], logits, label_smoothing=eps)
    assert float(torch_semantics) == pytest.approx(float(lhs.mean()), rel=1e-14)
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]"):
        ct.smooth_labels([0], 2, label_smoothing=1.5)

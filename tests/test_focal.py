"""ct.sigmoid_focal_loss and ct.sparse_softmax_focal_loss: accuracy against mpmath (≤ 4 ulp float64, ≤ 1 ulp
float32, on the grids of tests/test_accuracy.py), limits, validation, and the gradients against finite
differences.

The reference is written with the identities of tests/mp_reference.py that do not cancel: 1 − p_t is the sum of
the other outcomes' probabilities, the cross-entropy a sum of non-negative softplus terms.
"""

from __future__ import annotations

import mp_reference as ref
import numpy as np
import pytest
from test_accuracy import DTYPES, check, elementwise_grid, per_element, per_row, row_families

import ce_teach as ct

GAMMAS = [0.5, 2.0, 5.0]


def ref_sigmoid_focal(z: float, x: float, gamma: float, alpha: float):
    """α_t·(z·σ(−x) + (1 − z)·σ(x))^γ·CE, with every 0·∞ taken as 0."""
    zm = ref.mpf(z)
    ce = ref.bce(z, x)
    u = ref._times(zm, ref.sigmoid(-float(x))) + ref._times(1 - zm, ref.sigmoid(float(x)))
    loss = ref.mp.zero if u == 0 else ref.mp.power(u, ref.mpf(gamma)) * ce
    if alpha >= 0:
        loss = ref._times(ref.mpf(alpha) * zm + (1 - ref.mpf(alpha)) * (1 - zm), loss)
    return loss


def ref_softmax_focal(label: int, row, gamma: float):
    """(Σ_{k≠y} S_k)^γ·(−log S_y)."""
    probs = ref.softmax(row)
    u = ref.mp.fsum(p for k, p in enumerate(probs) if k != int(label))
    ce = ref.sparse_softmax_cross_entropy(label, row)
    return ref.mp.zero if u == 0 else ref.mp.power(u, ref.mpf(gamma)) * ce


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("gamma", GAMMAS, ids=lambda g: f"gamma={g}")
def test_sigmoid_focal_loss_accuracy(gamma, dtype):
    x = elementwise_grid(dtype)[::2]  # every other point: ~700 logits from ±1e4 down to ±1e-300
    groups = {}
    for z, alpha in ((1.0, 0.25), (0.0, 0.25), (0.3, -1.0), (0.999, 0.7)):
        labels = np.full_like(x, z)
        loss = ct.sigmoid_focal_loss(labels, x, gamma=gamma, alpha=alpha)
        references = [ref_sigmoid_focal(labels[0], xi, gamma, alpha) for xi in x]  # the label as stored
        groups[f"z={z} alpha={alpha}"] = (loss, references, per_element(x))
    check(f"sigmoid_focal_loss (gamma={gamma})", dtype, groups)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("gamma", GAMMAS, ids=lambda g: f"gamma={g}")
@pytest.mark.parametrize("which", ["argmax", "random"])
def test_sparse_softmax_focal_loss_accuracy(which, gamma, dtype):
    groups = {}
    for family, (x, random_labels, _) in row_families(dtype).items():
        labels = np.argmax(x, axis=1) if which == "argmax" else random_labels
        references = [ref_softmax_focal(k, row, gamma) for k, row in zip(labels, x, strict=True)]
        loss = ct.sparse_softmax_focal_loss(labels, x, gamma=gamma)
        groups[family] = (loss, references, per_row(x, lambda r, labels=labels: f", label {labels[r]}"))
    check(f"sparse_softmax_focal_loss (label = {which}, gamma={gamma})", dtype, groups)


def test_gamma_zero_is_cross_entropy():
    rng = np.random.default_rng(1)
    x, z = rng.normal(0, 5, 200), rng.uniform(0, 1, 200)
    np.testing.assert_allclose(
        ct.sigmoid_focal_loss(z, x, gamma=0.0, alpha=-1.0), ct.sigmoid_cross_entropy_with_logits(z, x), rtol=4e-16
    )
    rows, labels = rng.normal(0, 5, (50, 7)), rng.integers(0, 7, 50)
    np.testing.assert_allclose(
        ct.sparse_softmax_focal_loss(labels, rows, gamma=0.0),
        ct.sparse_softmax_cross_entropy_with_logits(labels, rows),
        rtol=4e-16,
    )


def test_a_confident_correct_prediction_keeps_its_tiny_loss():
    """torchvision's 1 − p_t rounds to 0 at x = 40 (p_t = 1 in float64); the exact loss is e^{-120}·... > 0."""
    loss = float(ct.sigmoid_focal_loss([1.0], [40.0], gamma=2.0, alpha=-1.0)[0])
    exact = ref_sigmoid_focal(1.0, 40.0, 2.0, -1.0)
    assert loss > 0 and ref.ulp_error(loss, exact, np.float64) <= 1
    p = 1 / (1 + np.exp(-40.0))
    assert (1 - p) == 0.0  # the cancellation the package avoids
    row = float(ct.sparse_softmax_focal_loss([0], [[60.0, 0.0, 0.0]], gamma=2.0)[0])
    assert row > 0 and ref.ulp_error(row, ref_softmax_focal(0, [60.0, 0.0, 0.0], 2.0), np.float64) <= 1


def test_infinite_logits_have_exact_limits():
    loss = ct.sigmoid_focal_loss([1.0, 0.0, 1.0, 0.0, 0.5], [np.inf, -np.inf, -np.inf, np.inf, np.inf], gamma=2.0)
    assert loss.tolist() == [0.0, 0.0, np.inf, np.inf, np.inf]
    assert ct.sparse_softmax_focal_loss([0, 1], [[0.0, -np.inf], [0.0, -np.inf]]).tolist() == [0.0, np.inf]


def test_alpha_weights_positives_and_negatives_as_torchvision():
    x = np.array([0.3, 0.3])
    plain = ct.sigmoid_focal_loss([1.0, 0.0], x, gamma=2.0, alpha=-1.0)
    weighted = ct.sigmoid_focal_loss([1.0, 0.0], x, gamma=2.0, alpha=0.25)
    np.testing.assert_allclose(weighted, [0.25 * plain[0], 0.75 * plain[1]], rtol=1e-15)


def test_dtypes_are_kept():
    assert ct.sigmoid_focal_loss(np.float32([1]), np.float32([2])).dtype == np.float32
    assert ct.sparse_softmax_focal_loss([0], np.float32([[2, 1]])).dtype == np.float32
    assert ct.sparse_softmax_focal_loss([0], [[2, 1]]).dtype == np.float64


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 4.0])
def test_gradients_match_finite_differences(gamma):
    rng = np.random.default_rng(3)
    x, labels = rng.normal(0, 3, (6, 5)), rng.integers(0, 5, 6)
    numeric = ct.numerical_gradient(lambda t: ct.sparse_softmax_focal_loss(labels, t, gamma=gamma).sum(), x)
    np.testing.assert_allclose(ct.sparse_softmax_focal_loss_grad(labels, x, gamma=gamma), numeric, atol=1e-8)
    xb, z = rng.normal(0, 3, 12), np.concatenate([np.repeat([0.0, 1.0], 4), rng.uniform(0, 1, 4)])
    for alpha in (0.25, -1.0):
        numeric = ct.numerical_gradient(lambda t, a=alpha: ct.sigmoid_focal_loss(z, t, gamma=gamma, alpha=a).sum(), xb)
        got = ct.sigmoid_focal_loss_grad(z, xb, gamma=gamma, alpha=alpha)
        np.testing.assert_allclose(got, numeric, atol=1e-8)


def test_gradients_are_finite_for_saturated_rows_and_small_gamma():
    g = ct.sparse_softmax_focal_loss_grad([0, 1], [[800.0, 0.0, -800.0], [800.0, 0.0, 0.0]], gamma=0.5)
    assert np.isfinite(g).all() and g[0].tolist() == [0.0, 0.0, 0.0]
    gb = ct.sigmoid_focal_loss_grad([1.0, 0.0], [800.0, -800.0], gamma=0.5, alpha=-1.0)
    assert gb.tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"gamma": -1.0}, ValueError, "gamma must be a finite number ≥ 0"),
        ({"gamma": np.nan}, ValueError, "gamma must be"),
        ({"gamma": "2"}, TypeError, "gamma must be a number"),
        ({"alpha": 1.5}, ValueError, "alpha must be a finite number ≤ 1: a class weight in [0, 1], or negative"),
        ({"alpha": -np.inf}, ValueError, "alpha must be a finite number ≤ 1"),
        ({"alpha": True}, TypeError, "alpha must be a number"),
    ],
)
def test_bad_parameters_are_named(kwargs, error, words):
    with pytest.raises(error, match=words.replace("[", r"\[").replace("]", r"\]")):
        ct.sigmoid_focal_loss([1.0], [0.0], **kwargs)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="labels must lie in"):
        ct.sigmoid_focal_loss([2.0], [0.0])
    with pytest.raises(ValueError, match="same shape"):
        ct.sigmoid_focal_loss([1.0, 0.0], [[0.0, 1.0]])
    with pytest.raises(ValueError, match="outside the valid range"):
        ct.sparse_softmax_focal_loss([3], [[0.0, 1.0]])
    with pytest.raises(ValueError, match="NaN"):
        ct.sparse_softmax_focal_loss([0], [[np.nan, 1.0]])
    with pytest.raises(ValueError, match=r"\+inf"):
        ct.sparse_softmax_focal_loss([0], [[np.inf, 1.0]])

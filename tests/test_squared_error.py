"""ce_teach/squared_error.py: squared error on sigmoid and softmax outputs, and the 0-1 loss.

Values are checked against direct formulas (where those are accurate) and an mpmath reference
(where they are not), gradients against ct.numerical_gradient and, for the softmax, against the
Jacobian product Jᵀ(S − y) built with ct.softmax_jacobian.
"""

import mpmath as mp
import numpy as np
import pytest

import ce_teach as ct

LOGITS = np.array([-30.0, -8.0, -2.5, -0.3, 0.0, 0.7, 3.0, 12.0])


def direct_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def mp_squared_error(z, x):
    """½(σ(x) − z)² with 50 digits to spare (1 − σ(x) ≈ e^{−x} needs about x/2.3 digits), rounded once."""
    with mp.workdps(50 + int(abs(x))):
        a = 1 / (1 + mp.exp(-mp.mpf(x)))
        return float((a - mp.mpf(z)) ** 2 / 2)


def mp_squared_error_grad(z, x):
    """(σ(x) − z)·σ(x)·(1 − σ(x)) with 50 digits to spare, rounded once."""
    with mp.workdps(50 + int(abs(x))):
        a = 1 / (1 + mp.exp(-mp.mpf(x)))
        return float((a - mp.mpf(z)) * a * (1 - a))


# --- sigmoid squared error ----------------------------------------------------------------------


@pytest.mark.parametrize("z", [0.0, 0.3, 1.0])
def test_sigmoid_squared_error_matches_a_high_precision_reference(z):
    """A few ulps everywhere: the direct formula (a − z)·a(1 − a) would lose digits to a − 1 at x = 12, z = 1."""
    labels = np.full_like(LOGITS, z)
    loss = [mp_squared_error(z, x) for x in LOGITS]
    grad = [mp_squared_error_grad(z, x) for x in LOGITS]
    np.testing.assert_allclose(ct.sigmoid_squared_error(labels, LOGITS), loss, rtol=1e-14, atol=0)
    np.testing.assert_allclose(ct.sigmoid_squared_error_grad(labels, LOGITS), grad, rtol=1e-14, atol=0)


@pytest.mark.parametrize("z", [0.0, 0.25, 1.0])
def test_sigmoid_squared_error_grad_matches_finite_differences(z):
    labels = np.full_like(LOGITS, z)
    numeric = ct.numerical_gradient(lambda x: ct.sigmoid_squared_error(labels, x).sum(), LOGITS)
    np.testing.assert_allclose(ct.sigmoid_squared_error_grad(labels, LOGITS), numeric, rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize(("z", "x"), [(1.0, 50.0), (1.0, -50.0), (0.0, 50.0), (0.0, -50.0), (1.0, 300.0), (0.0, -37.5)])
def test_sigmoid_squared_error_grad_keeps_relative_accuracy_when_saturated(z, x):
    """At x = 50, z = 1 the error σ(x) − 1 is −1.9e-22: forming 1.0 − 1.0 would give exactly 0."""
    got = float(ct.sigmoid_squared_error_grad(z, x))
    expected = mp_squared_error_grad(z, x)
    assert expected != 0.0
    assert got == pytest.approx(expected, rel=1e-14)


def test_the_squared_error_gradient_vanishes_on_a_confident_mistake_but_cross_entropy_does_not():
    x = np.array([-5.0, -10.0, -20.0])
    mse_grad = ct.sigmoid_squared_error_grad(np.ones(3), x)
    ce_grad = ct.sigmoid_cross_entropy_grad(np.ones(3), x)
    assert np.all(np.abs(ce_grad) > 0.99)
    assert np.all(np.abs(mse_grad) < 2 * np.exp(x))  # ≈ e^{x}: shrinks by e per unit of logit
    np.testing.assert_allclose(mse_grad / ce_grad, direct_sigmoid(x) * (1 - direct_sigmoid(x)), rtol=1e-12)


def test_sigmoid_squared_error_is_bounded_by_one_half():
    assert float(ct.sigmoid_squared_error(1.0, -1e6)) == 0.5
    assert float(ct.sigmoid_squared_error(0.0, np.inf)) == 0.5
    assert float(ct.sigmoid_squared_error_grad(1.0, -np.inf)) == 0.0


def test_sigmoid_squared_error_keeps_float32():
    out = ct.sigmoid_squared_error_grad(np.ones(3, np.float32), np.array([-1.0, 0.0, 1.0], np.float32))
    assert out.dtype == np.float32


# --- softmax squared error ----------------------------------------------------------------------

ROWS = np.array([[1.0, 2.0, -1.0], [0.5, -2.0, 3.0], [8.0, 0.0, -8.0], [0.0, 0.0, 0.0]])
TARGETS = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.2, 0.3, 0.5]])


def test_softmax_squared_error_matches_the_formula():
    s = ct.softmax(ROWS)
    np.testing.assert_allclose(ct.softmax_squared_error(TARGETS, ROWS), 0.5 * ((s - TARGETS) ** 2).sum(-1), rtol=1e-14)


def test_softmax_squared_error_grad_is_the_jacobian_times_the_error():
    s = ct.softmax(ROWS)
    jacobian_product = np.einsum("nij,ni->nj", ct.softmax_jacobian(ROWS), s - TARGETS)  # Jᵀ(S − y), row by row
    np.testing.assert_allclose(ct.softmax_squared_error_grad(TARGETS, ROWS), jacobian_product, rtol=1e-12, atol=1e-17)


def test_softmax_squared_error_grad_matches_finite_differences():
    numeric = ct.numerical_gradient(lambda x: ct.softmax_squared_error(TARGETS, x).sum(), ROWS)
    # central differences of a sum ≈ 1.3 carry a rounding error of about ε·1.3/1e-6 ≈ 3e-10: atol 1e-9
    np.testing.assert_allclose(ct.softmax_squared_error_grad(TARGETS, ROWS), numeric, rtol=1e-6, atol=1e-9)


def test_softmax_squared_error_grad_respects_axis():
    by_columns = ct.softmax_squared_error_grad(TARGETS.T, ROWS.T, axis=0)
    np.testing.assert_allclose(by_columns.T, ct.softmax_squared_error_grad(TARGETS, ROWS), rtol=1e-15)
    np.testing.assert_allclose(
        ct.softmax_squared_error(TARGETS.T, ROWS.T, axis=0), ct.softmax_squared_error(TARGETS, ROWS), rtol=1e-15
    )


def test_softmax_squared_error_grad_vanishes_for_a_confident_mistake():
    label = np.array([1.0, 0.0, 0.0])
    norms = [np.linalg.norm(ct.softmax_squared_error_grad(label, [0.0, t, 0.0])) for t in (2.0, 10.0, 20.0)]
    assert norms[0] > norms[1] > norms[2] and norms[2] < 1e-8
    ce_norm = np.linalg.norm(ct.softmax_cross_entropy_grad(label, [0.0, 20.0, 0.0]))
    assert ce_norm == pytest.approx(np.sqrt(2.0), rel=1e-8)  # S − y ≈ (−1, 1, 0)


# --- 0-1 loss -------------------------------------------------------------------------------------


def test_zero_one_loss_counts_mistakes():
    labels = np.array([1, 1, 1, 0, 0, 0])
    logits = np.array([2.0, -0.1, 0.0, -3.0, 0.2, 0.0])
    np.testing.assert_array_equal(ct.zero_one_loss(labels, logits), [0.0, 1.0, 1.0, 0.0, 1.0, 0.0])


def test_zero_one_loss_has_zero_gradient_away_from_the_boundary_and_a_jump_at_it():
    for x in (-3.0, -0.5, 0.5, 3.0):
        assert ct.numerical_gradient(lambda v: ct.zero_one_loss(1, v[0]), np.array([x]))[0] == 0.0
    jump = ct.numerical_gradient(lambda v: ct.zero_one_loss(1, v[0]), np.array([0.0]), eps=1e-6)[0]
    assert jump == pytest.approx(-1 / 2e-6)


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [ct.sigmoid_squared_error, ct.sigmoid_squared_error_grad])
def test_sigmoid_squared_error_rejects_bad_input(fn):
    with pytest.raises(ValueError, match=r"labels\(3,\) and logits\(3, 1\)"):
        fn(np.ones(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 1\]; found 3"):
        fn([0.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="logits contains NaN"):
        fn([0.0, 1.0], [1.0, np.nan])
    with pytest.raises(TypeError, match="logits must be real numbers"):
        fn([0.0], ["a"])


@pytest.mark.parametrize("fn", [ct.softmax_squared_error, ct.softmax_squared_error_grad])
def test_softmax_squared_error_rejects_bad_input(fn):
    with pytest.raises(ValueError, match="same shape"):
        fn(TARGETS[:, :2], ROWS)
    with pytest.raises(ValueError, match="contains NaN"):
        fn([1.0, 0.0], [np.nan, 0.0])
    with pytest.raises(ValueError, match="must lie in"):
        fn([2.0, 0.0], [0.0, 0.0])
    with pytest.raises(TypeError, match="axis must be an int"):
        fn([1.0, 0.0], [0.0, 0.0], axis=1.5)


def test_zero_one_loss_rejects_soft_labels():
    with pytest.raises(ValueError, match=r"labels must be hard class labels 0 or 1; found 0.5 at index 1"):
        ct.zero_one_loss([1.0, 0.5], [0.0, 0.0])
    with pytest.raises(ValueError, match=r"found 2\b"):
        ct.zero_one_loss(2, 0.0)
    with pytest.raises(ValueError, match="logits contains NaN"):
        ct.zero_one_loss([1.0], [np.nan])

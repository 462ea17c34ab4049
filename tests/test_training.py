"""ce_teach/training.py: the gradients of one sigmoid neuron, and gradient descent with CE or squared error."""

import numpy as np
import pytest

import ce_teach as ct


@pytest.fixture
def blobs():
    """The notebook's kind of data: 20 negatives around −1, 20 positives around +1, seeded."""
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(-1.0, 0.6, 20), rng.normal(1.0, 0.6, 20)])
    y = np.repeat([0, 1], 20)
    return x, y


def mean_loss(x, y, w, b, loss):
    logits = x @ w + b if x.ndim == 2 else x * w + b
    if loss == "ce":
        return float(ct.sigmoid_cross_entropy_with_logits(y.astype(float), logits).mean())
    return float(ct.sigmoid_squared_error(y.astype(float), logits).mean())


# --- logistic_gradient ----------------------------------------------------------------------------


@pytest.mark.parametrize("loss", ["ce", "mse"])
@pytest.mark.parametrize(("w", "b"), [(0.3, -0.2), (-8.0, 0.0), (2.0, 1.5)])
def test_gradient_of_one_feature_matches_finite_differences(blobs, loss, w, b):
    x, y = blobs
    value, grad_w, grad_b = ct.logistic_gradient(x, y, w, b, loss=loss)
    assert value == pytest.approx(mean_loss(x, y, w, b, loss), rel=1e-14)
    numeric = ct.numerical_gradient(lambda p: mean_loss(x, y, p[0], p[1], loss), np.array([w, b]))
    # finite differences of a loss of size ≤ 8: rounding error ≈ 8·ε/1e-6 ≈ 2e-9
    np.testing.assert_allclose([float(grad_w), grad_b], numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("loss", ["ce", "mse"])
def test_gradient_of_several_features_matches_finite_differences(loss):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(30, 3))
    y = (x @ [1.0, -2.0, 0.5] + rng.normal(size=30) > 0).astype(int)
    w, b = np.array([0.4, 0.1, -0.7]), 0.25
    value, grad_w, grad_b = ct.logistic_gradient(x, y, w, b, loss=loss)
    assert grad_w.shape == (3,)
    numeric = ct.numerical_gradient(lambda p: mean_loss(x, y, p[:3], p[3], loss), np.append(w, b))
    np.testing.assert_allclose(np.append(grad_w, grad_b), numeric, rtol=1e-6, atol=1e-9)


def test_the_two_gradients_differ_by_the_sigmoid_slope():
    """One example: ∂MSE/∂ℓ = (a − y)·a(1 − a) and ∂CE/∂ℓ = a − y, so the ratio is a(1 − a)."""
    x, y = np.array([1.0]), np.array([1])
    _, g_ce, _ = ct.logistic_gradient(x, y, -8.0, 0.0, loss="ce")
    _, g_mse, _ = ct.logistic_gradient(x, y, -8.0, 0.0, loss="mse")
    a = float(ct.sigmoid(-8.0))
    assert float(g_mse) / float(g_ce) == pytest.approx(a * (1 - a), rel=1e-12)


# --- train_logistic -------------------------------------------------------------------------------


def test_history_shapes_and_start(blobs):
    x, y = blobs
    run = ct.train_logistic(x, y, loss="mse", w0=-8.0, b0=0.5, lr=1.0, steps=25)
    assert run.steps == 25 and run.loss == "mse" and run.lr == 1.0
    for series in (run.w, run.b, run.cross_entropy, run.squared_error, run.accuracy):
        assert series.shape == (26,)
    assert run.w[0] == -8.0 and run.b[0] == 0.5
    assert run.objective is run.squared_error
    assert run.squared_error[0] == pytest.approx(mean_loss(x, y, -8.0, 0.5, "mse"), rel=1e-14)
    assert run.cross_entropy[0] == pytest.approx(mean_loss(x, y, -8.0, 0.5, "ce"), rel=1e-14)


@pytest.mark.parametrize("loss", ["ce", "mse"])
def test_each_step_is_one_gradient_descent_update(blobs, loss):
    x, y = blobs
    run = ct.train_logistic(x, y, loss=loss, w0=-3.0, b0=0.2, lr=0.7, steps=5)
    for k in range(5):
        _, grad_w, grad_b = ct.logistic_gradient(x, y, run.w[k], run.b[k], loss=loss)
        assert run.w[k + 1] == pytest.approx(run.w[k] - 0.7 * float(grad_w), rel=1e-14, abs=1e-15)
        assert run.b[k + 1] == pytest.approx(run.b[k] - 0.7 * grad_b, rel=1e-14, abs=1e-15)
        assert run.objective[k] == pytest.approx(mean_loss(x, y, run.w[k], run.b[k], loss), rel=1e-13)


def test_several_features_and_a_scalar_start(blobs):
    x, y = blobs
    x2 = np.stack([x, 0.5 * x], axis=1)
    run = ct.train_logistic(x2, y, loss="ce", w0=-4.0, lr=0.5, steps=10)
    assert run.w.shape == (11, 2)
    np.testing.assert_array_equal(run.w[0], [-4.0, -4.0])


def test_training_is_deterministic(blobs):
    x, y = blobs
    first = ct.train_logistic(x, y, loss="ce", w0=-8.0, lr=1.0, steps=50)
    second = ct.train_logistic(x, y, loss="ce", w0=-8.0, lr=1.0, steps=50)
    np.testing.assert_array_equal(first.w, second.w)
    np.testing.assert_array_equal(first.cross_entropy, second.cross_entropy)


def test_the_race_cross_entropy_escapes_a_bad_start_and_squared_error_does_not(blobs):
    x, y = blobs
    ce = ct.train_logistic(x, y, loss="ce", w0=-8.0, lr=1.0, steps=300)
    mse = ct.train_logistic(x, y, loss="mse", w0=-8.0, lr=1.0, steps=300)
    assert ce.accuracy[0] == mse.accuracy[0] == 0.0  # every example confidently wrong
    assert ce.accuracy[50] == 1.0
    assert mse.accuracy[300] < 0.1
    assert ce.squared_error[-1] < 0.01 < 0.4 < mse.squared_error[-1]  # CE wins even on squared error
    assert np.all(np.diff(ce.cross_entropy) <= 1e-15)  # a small enough step never increases the loss


def test_a_mild_start_lets_both_learn(blobs):
    x, y = blobs
    mse = ct.train_logistic(x, y, loss="mse", w0=-1.0, lr=1.0, steps=300)
    assert mse.accuracy[-1] > 0.9


@pytest.mark.parametrize(("w0", "lr"), [(-50.0, 4.0), (-12.0, 0.05), (4.0, 4.0), (-1e6, 4.0), (0.0, 1e3)])
def test_extreme_settings_stay_finite(blobs, w0, lr):
    x, y = blobs
    for loss in ("ce", "mse"):
        run = ct.train_logistic(x, y, loss=loss, w0=w0, lr=lr, steps=300)
        for series in (run.w, run.b, run.cross_entropy, run.squared_error, run.accuracy):
            assert np.all(np.isfinite(series))


def test_zero_steps_is_just_the_start(blobs):
    x, y = blobs
    run = ct.train_logistic(x, y, w0=1.0, lr=0.1, steps=0)
    assert run.steps == 0 and run.w.tolist() == [1.0]


@pytest.mark.parametrize("features", [1, 3])
@pytest.mark.parametrize(("w0", "lr"), [(-8.0, 1.0), (2.0, 4.0), (-12.0, 0.05)])
def test_runs_stepped_together_are_bit_for_bit_the_single_runs(blobs, features, w0, lr):
    x, y = blobs
    if features > 1:
        x = np.stack([x * k for k in (1.0, -0.5, 2.0)], axis=1)
    runs = ct.train_logistic_runs(x, y, losses=("mse", "ce", "mse"), w0=w0, b0=0.3, lr=lr, steps=120)
    for run, loss in zip(runs, ("mse", "ce", "mse"), strict=True):
        single = ct.train_logistic(x, y, loss=loss, w0=w0, b0=0.3, lr=lr, steps=120)
        assert run.loss == loss and run.lr == lr
        for name in ("w", "b", "cross_entropy", "squared_error", "accuracy"):
            np.testing.assert_array_equal(getattr(run, name), getattr(single, name), err_msg=name)


# --- train_logistic_grid --------------------------------------------------------------------------


def test_the_grid_holds_bit_for_bit_the_one_run_trainers_curves(blobs):
    """The training race's grid (w0 −12…4 by 1, lr 0.05…4 by 0.05): every point checked is ct.train_logistic's."""
    x, y = blobs
    w0 = np.arange(-12.0, 4.5, 1.0)[:, None]
    lr = np.round(np.arange(1, 81) * 0.05, 2)[None, :]
    record = np.arange(0, 301, 4)
    grid = ct.train_logistic_grid(x, y, w0=w0, lr=lr, steps=300, record=record)
    assert grid.accuracy.shape == (17, 80, 2, 76) and grid.losses == ("mse", "ce")
    assert np.array_equal(grid.steps, record)
    rng = np.random.default_rng(3)
    points = [(4, 19), (0, 0), (16, 79), (10, 1)] + [tuple(rng.integers((17, 80))) for _ in range(6)]
    for i, j in points:
        for r, loss in enumerate(("mse", "ce")):
            run = ct.train_logistic(x, y, loss=loss, w0=w0[i, 0], lr=lr[0, j], steps=300)
            for name in ("w", "b", "cross_entropy", "squared_error", "accuracy"):
                np.testing.assert_array_equal(
                    getattr(grid, name)[i, j, r],
                    getattr(run, name)[record],
                    err_msg=f"{name} at w0={w0[i, 0]}, lr={lr[0, j]}, {loss}",
                )


@pytest.mark.parametrize("features", [1, 3])
def test_the_grid_equals_the_runs_for_several_features_and_any_grid_shape(blobs, features):
    x, y = blobs
    if features > 1:
        x = np.stack([x * k for k in (1.0, -0.5, 2.0)], axis=1)
    w0, lr = np.array([-8.0, 0.5, 2.0]), np.array([[0.1], [1.0]])  # grid (2, 3)
    grid = ct.train_logistic_grid(x, y, w0=w0, lr=lr, b0=0.3, steps=60, losses=("ce", "mse", "ce"))
    assert grid.b.shape == (2, 3, 3, 61)
    assert grid.w.shape == ((2, 3, 3, 61) if features == 1 else (2, 3, 3, 61, 3))
    for i in range(2):
        for j in range(3):
            runs = ct.train_logistic_runs(x, y, losses=("ce", "mse", "ce"), w0=w0[j], b0=0.3, lr=lr[i, 0], steps=60)
            for r, run in enumerate(runs):
                for name in ("w", "b", "cross_entropy", "squared_error", "accuracy"):
                    np.testing.assert_array_equal(getattr(grid, name)[i, j, r], getattr(run, name), err_msg=name)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"w0": [1.0, 2.0], "lr": [0.1, 0.2, 0.3]}, ValueError, r"w0 and lr must broadcast to one grid"),
        ({"w0": 0.0, "lr": [0.5, 0.0]}, ValueError, r"lr must be positive and finite, got 0.0"),
        ({"w0": 0.0, "lr": [0.5, np.nan]}, ValueError, r"lr must be positive and finite, got nan"),
        ({"w0": [0.0, np.inf], "lr": 0.5}, ValueError, r"w0"),
        ({"w0": 0.0, "lr": 0.5, "record": [0, 5, 3]}, ValueError, r"record must be increasing whole steps in \[0, 10"),
        ({"w0": 0.0, "lr": 0.5, "record": [0, 11]}, ValueError, r"record must be increasing"),
        ({"w0": 0.0, "lr": 0.5, "record": [0.5]}, ValueError, r"record must be increasing"),
        ({"w0": 0.0, "lr": 0.5, "losses": "ce"}, ValueError, r"losses must be a non-empty sequence"),
        ({"w0": "a", "lr": 0.5}, TypeError, r"w0"),
    ],
)
def test_the_grid_refuses_bad_settings(blobs, kwargs, error, match):
    x, y = blobs
    with pytest.raises(error, match=match):
        ct.train_logistic_grid(x, y, steps=10, **kwargs)


def test_the_grid_says_which_rate_overflowed():
    with pytest.raises(ValueError, match=r"left float64's range at step 1: lr·gradient = 1e\+308"):
        ct.train_logistic_grid([1e10, -1e10], [1, 0], w0=0.0, lr=[0.5, 1e308], steps=3)


def test_runs_reject_a_bad_list_of_losses(blobs):
    x, y = blobs
    for losses in ("ce", (), None):
        with pytest.raises(ValueError, match="losses must be a non-empty sequence of 'ce' and 'mse'"):
            ct.train_logistic_runs(x, y, losses=losses)
    with pytest.raises(ValueError, match="loss must be 'ce'"):
        ct.train_logistic_runs(x, y, losses=("ce", "hinge"))


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"loss": "hinge"}, ValueError, r"loss must be 'ce' .* or 'mse'"),
        ({"lr": 0.0}, ValueError, "lr must be positive and finite, got 0.0"),
        ({"lr": float("nan")}, ValueError, "lr must be positive"),
        ({"lr": "fast"}, TypeError, "lr must be a number"),
        ({"steps": -1}, ValueError, "steps must be an integer ≥ 0"),
        ({"steps": 2.5}, TypeError, "steps must be an integer ≥ 0"),
        ({"steps": True}, TypeError, "steps must be an integer ≥ 0"),
        ({"w0": [1.0, 2.0]}, ValueError, r"w0 must be a single number when x has one feature"),
        ({"w0": float("inf")}, ValueError, "w0 must be a finite number, got inf"),
        ({"b0": float("nan")}, ValueError, "b0 must be a finite number, got nan"),
        ({"b0": [0.0, 1.0]}, ValueError, "b0 must be a single number"),
    ],
)
def test_train_logistic_rejects_bad_settings(blobs, kwargs, error, match):
    x, y = blobs
    with pytest.raises(error, match=match):
        ct.train_logistic(x, y, **kwargs)


def test_train_logistic_rejects_bad_data():
    with pytest.raises(ValueError, match=r"x must have shape \(N,\) or \(N, D\)"):
        ct.train_logistic(np.zeros((2, 2, 2)), [0, 1])
    with pytest.raises(ValueError, match="x contains NaN"):
        ct.train_logistic([0.0, np.nan], [0, 1])
    with pytest.raises(ValueError, match=r"y must have shape \(2,\)"):
        ct.train_logistic([0.0, 1.0], [0, 1, 1])
    with pytest.raises(ValueError, match="y must hold class labels 0 or 1; found 3 at index 1"):
        ct.train_logistic([0.0, 1.0], [0, 3])
    with pytest.raises(ValueError, match=r"w0 must be a number or have shape \(2,\)"):
        ct.train_logistic(np.zeros((3, 2)), [0, 1, 1], w0=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="loss must be"):
        ct.logistic_gradient([0.0, 1.0], [0, 1], 0.0, 0.0, loss="CE")

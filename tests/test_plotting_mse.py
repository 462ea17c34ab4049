"""ce_teach/plotting/mse.py: the figures of notebook 06 draw what they claim; the live ones' states are ce_teach's."""

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

import ce_teach as ct
from ce_teach import plotting
from ce_teach.plotting._common import FIGSIZE


def finite_lines(ax) -> bool:
    return all(np.all(np.isfinite(np.asarray(line.get_xydata(), dtype=float))) for line in ax.lines)


@pytest.mark.parametrize("label", [1.0, 0.0])
def test_gradients_vs_logit_draws_both_losses_and_both_gradients(label):
    plot = plotting.draw_gradients_vs_logit(-6.0, label=label)
    fig = plot.loss_ax.figure
    assert tuple(fig.get_size_inches()) == FIGSIZE and plot.grad_ax.figure is fig
    ce_curve, mse_curve = plot.loss_ax.lines[:2]
    grid = ce_curve.get_xdata()
    labels = np.full_like(grid, label)
    np.testing.assert_allclose(ce_curve.get_ydata(), ct.sigmoid_cross_entropy_with_logits(labels, grid), rtol=1e-15)
    np.testing.assert_allclose(mse_curve.get_ydata(), ct.sigmoid_squared_error(labels, grid), rtol=1e-15)
    ce_grad, mse_grad = plot.grad_ax.lines[:2]
    np.testing.assert_allclose(ce_grad.get_ydata(), ct.sigmoid_cross_entropy_grad(labels, grid), atol=1e-16)
    np.testing.assert_allclose(
        mse_grad.get_ydata(), ct.sigmoid_squared_error_grad(labels, grid), rtol=1e-12, atol=1e-300
    )
    assert finite_lines(plot.grad_ax)
    two = [plot.moving["ce_loss"], plot.moving["ce_off"]]  # the CE marker: a circle, or a triangle when off the top
    assert all(np.all(np.isfinite(line.get_xydata())) for line in plot.loss_ax.lines if line not in two)
    assert sorted(bool(np.isfinite(line.get_ydata()[0])) for line in two) == [False, True]
    fig.canvas.draw()


def test_gradients_vs_logit_reports_the_ratio():
    plot = plotting.draw_gradients_vs_logit(-6.0)
    state = plot.update(x=-8.0)
    a = float(ct.sigmoid(-8.0))
    g_mse, g_ce, ratio = (float(state[k][0]) for k in ("g_mse", "g_ce", "ratio"))
    assert ratio == pytest.approx(a * (1 - a), rel=1e-12) and g_mse / g_ce == pytest.approx(ratio, rel=1e-12)
    assert f"q(1 − q) = <b>{a * (1 - a):#.4g}</b>" in plot.readout_text() and f"{a * (1 - a):#.4g}" == "0.0003352"
    assert plot.moving["mse_grad"].get_xdata()[0] == -8.0 and plot.values == {"x": -8.0}


def test_gradients_vs_logit_state_is_vectorised_and_equal_to_one_point_at_a_time():
    plot = plotting.draw_gradients_vs_logit(0.0)
    xs = np.linspace(-10.0, 10.0, 201)[:, None]
    grid = plot.state(x=xs)
    for i in (0, 37, 100, 163, 200):
        one = plot.state_at(x=float(xs[i, 0]))
        for key, value in one.items():
            np.testing.assert_array_equal(grid[key][i], value.reshape(-1), err_msg=key)


def test_plots_can_share_a_given_figure():
    fig, axs = plt.subplots(2, 2, figsize=FIGSIZE)
    plotting.draw_gradients_vs_logit(axs=axs[0])
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=10), np.repeat([0, 1], 5)
    runs = [ct.train_logistic(x, y, loss=loss, w0=-2.0, lr=0.5, steps=20) for loss in ("mse", "ce")]
    race = plotting.draw_training_race(*runs, axs=axs[1])
    assert race.se_ax is axs[1][0] and len(fig.axes) == 4


def test_the_live_race_shows_the_one_run_trainer_every_fourth_step():
    x, y = ct.race_data()
    plot = plotting.TrainingRacePlot(x, y, w0=-8.0, lr=1.0, steps=300, every=4)
    np.testing.assert_array_equal(plot.moving["se_mse"].get_xdata(), np.arange(0, 301, 4))
    for w0, lr in ((-8.0, 1.0), (-2.0, 0.35), (4.0, 4.0)):
        plot.update(w0=w0, lr=lr)
        mse, ce = ct.train_logistic_runs(x, y, losses=("mse", "ce"), w0=w0, lr=lr, steps=300)
        for run, name in ((mse, "mse"), (ce, "ce")):
            np.testing.assert_array_equal(plot.moving[f"se_{name}"].get_ydata(), run.squared_error[::4])
            np.testing.assert_array_equal(plot.moving[f"acc_{name}"].get_ydata(), run.accuracy[::4])
        text = plot.readout_text()
        assert f"accuracy <b>{mse.accuracy[-1]:.0%}</b> (MSE) vs <b>{ce.accuracy[-1]:.0%}</b> (CE)" in text
        assert f"{mse.squared_error[-1]:.4f} vs {ce.squared_error[-1]:.4f}" in text
    assert plot.se_ax.get_xlim() == (0.0, 300.0) and plot.acc_ax.get_title() == "accuracy (both runs)"


def test_the_live_race_keeps_the_last_step_when_every_does_not_divide_the_steps():
    plot = plotting.TrainingRacePlot(w0=-8.0, lr=1.0, steps=10, every=4)
    np.testing.assert_array_equal(plot.record, [0, 4, 8, 10])
    mse, _ = ct.train_logistic_runs(*ct.race_data(), losses=("mse", "ce"), w0=-8.0, lr=1.0, steps=10)
    assert plot.moving["acc_mse"].get_ydata()[-1] == mse.accuracy[-1]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"x": [1.0, -1.0]}, ValueError, "give both x and y"),
        ({"lr": 0.0}, ValueError, "lr must be positive and finite, got 0.0"),
        ({"lr": "1"}, TypeError, "lr"),
        ({"w0": np.nan}, ValueError, "w0"),
        ({"steps": -1}, ValueError, "steps"),
        ({"every": 0}, ValueError, "every"),
        ({"x": [1.0, -1.0], "y": [1, 2]}, ValueError, "y must hold class labels 0 or 1"),
    ],
)
def test_the_live_race_refuses_nonsense(kwargs, error, words):
    with pytest.raises(error, match=re.escape(words)):
        plotting.TrainingRacePlot(**kwargs)


def test_training_race_plot_draws_the_histories():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(-1.0, 0.6, 20), rng.normal(1.0, 0.6, 20)])
    y = np.repeat([0, 1], 20)
    mse, ce = (ct.train_logistic(x, y, loss=loss, w0=-8.0, lr=1.0, steps=300) for loss in ("mse", "ce"))
    plot = plotting.draw_training_race(mse, ce)
    np.testing.assert_array_equal(plot.se_lines[1].get_ydata(), ce.squared_error)
    np.testing.assert_array_equal(plot.acc_lines[0].get_ydata(), mse.accuracy)
    assert "CE 100%" in plot.acc_ax.get_title()
    assert plot.se_ax.get_xlim() == (0.0, 300.0)
    plot.se_ax.figure.canvas.draw()


def test_zero_one_plot_is_a_step_next_to_a_smooth_curve():
    plot = plotting.draw_zero_one_vs_ce(-1.0)
    ce_curve, left, right = plot.ax.lines[:3]
    assert set(left.get_ydata()) == {1.0} and set(right.get_ydata()) == {0.0}
    assert left.get_xdata().max() <= 0.0 < right.get_xdata().min()
    assert np.all(np.diff(ce_curve.get_ydata()) < 0)  # CE for label 1 decreases everywhere: always a slope
    assert plot.update(0.5) == 0.0 and plot.update(-0.5) == 1.0 and plot.update(0.0) == 1.0
    assert plot.update(-1e-9) == 1.0 and plot.label_text.get_text() == "x = 0.00: 0-1 loss = 1"
    assert plot.update(1e9) == 0.0 and plot.marker.get_xdata()[0] == 4.0  # beyond the axes: at the edge
    plot.ax.figure.canvas.draw()


def test_plots_refuse_nonsense():
    with pytest.raises(ValueError, match="label must be 0 or 1"):
        plotting.draw_gradients_vs_logit(label=2)
    with pytest.raises(ValueError, match=re.escape("x must lie in the plotted range [−limit, limit] = [−10, 10]")):
        plotting.draw_gradients_vs_logit(50.0)
    with pytest.raises(ValueError, match="x must be a finite number"):
        plotting.draw_gradients_vs_logit(np.nan)
    with pytest.raises(TypeError, match="ct.TrainingHistory"):
        plotting.draw_training_race(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="logit must be a finite number, got nan"):
        plotting.draw_zero_one_vs_ce(np.nan)


def test_a_loss_above_the_panel_is_a_triangle_under_the_top_edge_and_its_value_is_in_the_readout():
    """At x = −8 (label 1) cross-entropy is 8.0003 nats, twice the panel's top: it must not be drawn at 4."""
    plot = plotting.draw_gradients_vs_logit(-8.0, loss_ymax=4.0)
    ce = float(ct.sigmoid_cross_entropy_with_logits(1.0, -8.0))
    circle, triangle = plot.moving["ce_loss"], plot.moving["ce_off"]
    assert ce > 8.0 and circle.get_marker() == "o" and triangle.get_marker() == "^"
    assert np.isnan(circle.get_ydata()[0]), "no circle at a false height"
    assert (triangle.get_xdata()[0], triangle.get_ydata()[0]) == (-8.0, 0.97 * 4.0)
    mse = float(ct.sigmoid_squared_error(1.0, -8.0))
    assert f"loss CE = <b>{ce:#.4g}</b> nats, ½(q − z)² = <b>{mse:#.4g}</b>" in plot.readout_text()
    assert (f"{ce:#.4g}", f"{mse:#.4g}") == ("8.000", "0.4997")
    plot.update(x=-1.0)  # back inside: the circle at the true height, no triangle
    assert circle.get_ydata()[0] == float(ct.sigmoid_cross_entropy_with_logits(1.0, -1.0))
    assert np.isnan(triangle.get_ydata()[0])
    plot.loss_ax.figure.canvas.draw()


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"limit": 0}, "limit must be a positive finite number"),
        ({"loss_ymax": -1.0}, "loss_ymax must be a positive finite number"),
    ],
)
def test_gradients_vs_logit_refuses_a_degenerate_range(kwargs, words):
    with pytest.raises(ValueError, match=words):
        plotting.draw_gradients_vs_logit(**kwargs)

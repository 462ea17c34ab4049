"""ce_teach/plotting/mse.py: the static figures of notebook 06 draw what they claim and update in place."""

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
    assert finite_lines(plot.loss_ax) and finite_lines(plot.grad_ax)
    fig.canvas.draw()


def test_gradients_vs_logit_reports_the_ratio():
    plot = plotting.draw_gradients_vs_logit(-6.0)
    g_mse, g_ce, ratio = plot.update(-8.0)
    a = float(ct.sigmoid(-8.0))
    assert ratio == pytest.approx(a * (1 - a), rel=1e-12) and g_mse / g_ce == pytest.approx(ratio, rel=1e-12)
    assert "ratio q(1−q) = 3.35e-04" in plot.label_text.get_text()


def test_plots_can_share_a_given_figure():
    fig, axs = plt.subplots(2, 2, figsize=FIGSIZE)
    plotting.draw_gradients_vs_logit(axs=axs[0])
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=10), np.repeat([0, 1], 5)
    runs = [ct.train_logistic(x, y, loss=loss, w0=-2.0, lr=0.5, steps=20) for loss in ("mse", "ce")]
    race = plotting.draw_training_race(*runs, axs=axs[1])
    assert race.se_ax is axs[1][0] and len(fig.axes) == 4


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
    with pytest.raises(ValueError, match="logit must be a finite number, got nan"):
        plotting.draw_zero_one_vs_ce(np.nan)


def test_a_loss_above_the_panel_is_marked_at_the_top_edge_with_its_value():
    """At x = −8 (label 1) cross-entropy is 8.0003 nats, twice the panel's top: it must not be drawn at 4."""
    plot = plotting.draw_gradients_vs_logit(-8.0, loss_ymax=4.0)
    ce = float(ct.sigmoid_cross_entropy_with_logits(1.0, -8.0))
    assert ce > 8.0 and plot.losses == (ce, float(ct.sigmoid_squared_error(1.0, -8.0)))
    (x,), (y,) = plot.ce_loss_marker.get_data()
    assert (x, y) == (-8.0, 4.0) and plot.ce_loss_marker.get_marker() == "^"
    assert plot.ce_clip_text.get_visible() and "CE = 8 (off the top)" in plot.ce_clip_text.get_text()
    assert "CE = 8, ½(q−z)² = 0.5" in plot.label_text.get_text()
    plot.update(-1.0)  # back inside: an ordinary marker at the true height, no label
    (x,), (y,) = plot.ce_loss_marker.get_data()
    assert y == pytest.approx(float(ct.sigmoid_cross_entropy_with_logits(1.0, -1.0)), rel=1e-15)
    assert plot.ce_loss_marker.get_marker() == "o" and not plot.ce_clip_text.get_visible()
    plot.loss_ax.figure.canvas.draw()


@pytest.mark.parametrize(("kwargs", "words"), [({"limit": 0}, "limit must be a positive finite number"),
                                               ({"loss_ymax": -1.0}, "loss_ymax must be a positive finite number")])
def test_gradients_vs_logit_refuses_a_degenerate_range(kwargs, words):
    with pytest.raises(ValueError, match=words):
        plotting.draw_gradients_vs_logit(**kwargs)

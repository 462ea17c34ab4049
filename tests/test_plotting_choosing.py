"""ce_teach/plotting/choosing.py: the figures of notebook 07 draw what they claim and update in place."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from ce_teach import plotting, sampling
from ce_teach.plotting._common import FIGSIZE

KS = np.array([10, 100, 1000])


def estimates(seed, centre, scale):
    rng = np.random.default_rng(seed)
    return centre[:, None] + scale[:, None] * rng.normal(size=(3, 20))


def test_sampled_bias_plot_draws_mean_and_spread_of_both_estimates():
    corrected = estimates(0, np.array([4.9, 4.99, 4.999]), np.array([0.1, 0.03, 0.01]))
    uncorrected = estimates(1, np.array([3.0, 5.5, 8.0]), np.array([0.5, 0.2, 0.1]))
    plot = plotting.draw_sampled_bias(KS, corrected, uncorrected, 5.0, predicted_bias=[-0.1, -0.01, -0.001])
    fig = plot.bias_ax.figure
    assert tuple(fig.get_size_inches()) == FIGSIZE and plot.scale_ax.figure is fig
    for lines, values in ((plot.corrected, corrected), (plot.uncorrected, uncorrected)):
        mean, low, high = (line.get_ydata() for line in lines)
        bias, std = values.mean(axis=1) - 5.0, values.std(axis=1, ddof=1)
        np.testing.assert_allclose(mean, bias, rtol=1e-14)
        np.testing.assert_allclose(high - low, 2 * std, rtol=1e-12)
    np.testing.assert_allclose(plot.abs_bias.get_ydata(), np.abs(corrected.mean(axis=1) - 5.0), rtol=1e-14)
    np.testing.assert_allclose(plot.predicted.get_ydata(), [0.1, 0.01, 0.001])
    assert plot.predicted.get_label() == "|Var Ẑ/(2Z²)|, large-k law"  # a law for large k, not for every k
    assert plot.bias_ax.get_xscale() == "log" and plot.scale_ax.get_yscale() == "log"
    assert "nats" in plot.bias_ax.get_ylabel() and "nats" in plot.scale_ax.get_ylabel()
    fig.canvas.draw()
    plt.close(fig)


def test_sampled_bias_plot_updates_in_place():
    corrected = estimates(2, np.array([4.9, 4.99, 4.999]), np.array([0.1, 0.03, 0.01]))
    plot = plotting.draw_sampled_bias(KS, corrected, corrected + 1, 5.0)
    assert plot.predicted is None
    line = plot.corrected[0]
    bias, std = plot.update(corrected - 0.5, corrected)
    assert plot.corrected[0] is line
    np.testing.assert_allclose(line.get_ydata(), corrected.mean(axis=1) - 5.5, rtol=1e-14)
    np.testing.assert_allclose(bias, corrected.mean(axis=1) - 5.5, rtol=1e-14)
    np.testing.assert_allclose(std, corrected.std(axis=1, ddof=1), rtol=1e-14)
    plt.close(plot.bias_ax.figure)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(ks=[10]), "at least two increasing"),
        (dict(ks=[100, 10, 1000]), "at least two increasing"),
        (dict(ks=[0, 10, 100]), "at least two increasing"),
        (dict(corrected=np.zeros((2, 5))), r"corrected must have shape \(len\(ks\), repetitions ≥ 2\)"),
        (dict(uncorrected=np.zeros((3, 1))), "uncorrected must have shape"),
        (dict(corrected=np.full((3, 5), np.nan)), "corrected must be finite"),
        (dict(exact=np.inf), "exact must be a finite loss"),
        (dict(predicted_bias=[0.0, 1.0, 1.0]), "predicted_bias must be 3 finite non-zero numbers"),
    ],
)
def test_sampled_bias_plot_rejects_bad_input(kwargs, match):
    args = dict(ks=KS, corrected=np.ones((3, 5)), uncorrected=np.ones((3, 5)), exact=1.0)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        plotting.draw_sampled_bias(**args)
    plt.close("all")


def test_nce_objective_plot_marks_the_minimum_at_the_normalised_model():
    p = np.array([0.5, 0.3, 0.15, 0.05])
    q = sampling.log_uniform_probabilities(4)
    grid = np.linspace(-3.0, 3.0, 61)
    values = np.array([sampling.nce_expected_loss(np.log(p) + c, p, 5, q) for c in grid])
    plot = plotting.draw_nce_objective(grid, values)
    np.testing.assert_array_equal(plot.curve.get_ydata(), values)
    x, y = plot.minimum.get_data()
    assert abs(x[0]) < 1e-12 and y[0] == values.min()
    assert plot.update(values[::-1]) == pytest.approx(0.0, abs=1e-12)  # symmetric grid, reversed curve
    assert tuple(plot.ax.figure.get_size_inches()) == FIGSIZE and "nats" in plot.ax.get_ylabel()
    plot.ax.figure.canvas.draw()
    plt.close(plot.ax.figure)


@pytest.mark.parametrize(
    ("grid", "values", "match"),
    [
        ([0.0], [1.0], "increasing grid of at least two"),
        ([1.0, 0.0], [1.0, 2.0], "increasing grid of at least two"),
        ([0.0, 1.0], [1.0, np.inf], "objective must be 2 finite values"),
        ([0.0, 1.0], [1.0, 2.0, 3.0], "objective must be 2 finite values"),
    ],
)
def test_nce_objective_plot_rejects_bad_input(grid, values, match):
    with pytest.raises(ValueError, match=match):
        plotting.draw_nce_objective(grid, values)
    plt.close("all")

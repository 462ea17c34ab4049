"""ce_teach.plotting.fitting: the forward/reverse KL fits of ce_teach.fitting, drawn (one name in all three layers).

KLFitsPlot is a live plot: its state, over many separations at once, must be exactly what NormalFitter and
normal_on_grid give for each separation alone, and its density axis must hold every curve of the slider.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from ce_teach.fitting import NormalFitter, mixture_on_grid, normal_on_grid
from ce_teach.plotting import KLFitsPlot, draw_kl_fits

GRID = np.linspace(-8.0, 8.0, 400)
STEP = GRID[1] - GRID[0]
FITTER = NormalFitter(GRID)  # the plot's search: the default 20 rounds, as notebook 02's fitter
SEPARATIONS = np.round(np.arange(0.0, 8.05, 0.1), 10)  # the slider's 81 positions


def target(separation, std=0.8, weight=0.6):
    return mixture_on_grid(GRID, [-separation / 2, separation / 2], [std, std], [1 - weight, weight])


def test_draws_densities_of_the_target_and_both_fits():
    plot = draw_kl_fits(6.0)
    assert isinstance(plot, KLFitsPlot) and plot.values == {"separation": 6.0}
    p = target(6.0)
    forward, reverse = FITTER.fit(p, "forward"), FITTER.fit(p, "reverse")
    np.testing.assert_array_equal(plot.target.get_ydata(), p / STEP)
    np.testing.assert_array_equal(plot.forward.get_ydata(), normal_on_grid(GRID, forward.mean, forward.std) / STEP)
    np.testing.assert_array_equal(plot.reverse.get_ydata(), normal_on_grid(GRID, reverse.mean, reverse.std) / STEP)
    assert plot.readout_text() == (
        f"forward fit: μ = <b>{forward.mean:.2f}</b>, sd = <b>{forward.std:.2f}</b>, "
        f"D(p‖q) = {forward.divergence:.3f} nats &nbsp; "
        f"reverse fit: μ = <b>{reverse.mean:.2f}</b>, sd = <b>{reverse.std:.2f}</b>, "
        f"D(q‖p) = {reverse.divergence:.3f} nats"
    )
    assert plot.ax.get_xlabel() == "t (grid point)" and plot.ax.get_ylabel() == "probability density [1/t]"
    assert plot.ax.get_title() == "" and not plot.ax.texts, "no moving text: the numbers are in the readout"


def test_state_over_many_separations_equals_each_fit_alone_bit_for_bit():
    plot = draw_kl_fits(3.0)
    chosen = SEPARATIONS[[0, 1, 30, 44, 45, 46, 60, 80]]
    state = plot.state(separation=chosen[:, None])
    assert state["target.y"].shape == (chosen.size, GRID.size) and state["forward_mean"].shape == (chosen.size, 1)
    for k, s in enumerate(chosen):
        p = target(s)
        np.testing.assert_array_equal(state["target.y"][k], p / STEP)
        for direction in ("forward", "reverse"):
            fit = FITTER.fit(p, direction)
            assert state[f"{direction}_mean"][k, 0] == fit.mean and state[f"{direction}_std"][k, 0] == fit.std
            assert state[f"{direction}_divergence"][k, 0] == fit.divergence
            np.testing.assert_array_equal(state[f"{direction}.y"][k], normal_on_grid(GRID, fit.mean, fit.std) / STEP)


@pytest.mark.parametrize(("std", "weight"), [(0.8, 0.6), (0.5, 0.5), (0.3, 0.9), (2.0, 0.6)])
def test_the_density_axis_is_fixed_and_holds_every_curve_of_the_slider(std, weight):
    """Only the separation moves, so the limits are set once; every curve at every separation fits under the top."""
    plot = draw_kl_fits(3.0, std=std, weight=weight)
    limits = (plot.ax.get_xlim(), plot.ax.get_ylim())
    state = plot.state(separation=SEPARATIONS[:, None])
    tallest = max(float(state[k].max()) for k in ("target.y", "forward.y", "reverse.y"))
    assert 0.8 * limits[1][1] < tallest < limits[1][1], (tallest, limits)
    for s in (0.0, 4.5, 8.0):
        plot.update(separation=s)
        assert (plot.ax.get_xlim(), plot.ax.get_ylim()) == limits


def test_one_bump_gives_two_exact_fits_and_no_minus_zero():
    plot = draw_kl_fits(0.0)
    state = plot.state_at()
    for direction in ("forward", "reverse"):
        assert abs(state[f"{direction}_mean"].item()) < 1e-6 and abs(state[f"{direction}_std"].item() - 0.8) < 1e-6
    text = plot.readout_text()
    assert "−0.00" not in text and "-0.00" not in text and text.count("= 0.000 nats") == 2, text


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"separation": -0.1}, ValueError, "separation must be a finite distance"),
        ({"separation": float("nan")}, ValueError, "separation must be a finite distance"),
        ({"separation": float("inf")}, ValueError, "separation must be a finite distance"),
        ({"separation": "3"}, TypeError, "separation"),
        ({"std": 0.0}, ValueError, "std"),
        ({"weight": 1.5}, ValueError, "weight must lie in"),
        ({"weight": 0.0}, ValueError, "weight must lie in"),
        ({"grid": [0.0, 1.0, 3.0]}, ValueError, "evenly spaced"),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        draw_kl_fits(**kwargs)


def test_pointwise_terms_sum_to_both_divergences():
    import ce_teach as ct
    from ce_teach.plotting import draw_pointwise_kl

    grid = np.linspace(-8.0, 8.0, 400)
    step = grid[1] - grid[0]
    p = ct.fitting.mixture_on_grid(grid, [-3.0, 3.0], [0.8, 0.8], [0.4, 0.6])
    q = ct.fitting.normal_on_grid(grid, 3.0, 0.8)
    plot = draw_pointwise_kl(grid, p, q, name="on the right bump")
    d_pq, d_qp = ct.kl_divergence(p, q), ct.kl_divergence(q, p)
    np.testing.assert_allclose(plot.forward.get_ydata().sum() * step, d_pq, rtol=1e-12)
    np.testing.assert_allclose(plot.reverse.get_ydata().sum() * step, d_qp, rtol=1e-12)
    assert plot.ax.get_title().startswith("on the right bump:") and "nats" in plot.ax.get_ylabel()
    assert plot.forward.get_ydata().max() > 10 * plot.reverse.get_ydata().max(), "the uncovered bump dominates D(p‖q)"
    plot.update(p, p)  # q = p: every term 0
    assert not np.any(plot.forward.get_ydata()) and not np.any(plot.reverse.get_ydata())
    plt.close("all")


def test_pointwise_terms_are_inf_not_nan_where_q_is_zero():
    from ce_teach.plotting import draw_pointwise_kl

    grid = np.linspace(0.0, 1.0, 3)
    plot = draw_pointwise_kl(grid, np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.5, 0.5]))
    assert plot.forward.get_ydata()[0] == np.inf and plot.reverse.get_ydata()[2] == np.inf
    assert not np.isnan(plot.forward.get_ydata()).any() and not np.isnan(plot.reverse.get_ydata()).any()
    with pytest.raises(ValueError, match="grid's shape"):
        plot.update(np.ones(2) / 2, np.ones(2) / 2)
    plt.close("all")

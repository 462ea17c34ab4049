"""ce_teach.plotting.kl: the forward/reverse KL fit figure draws the package's values and updates in place."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from ce_teach.fitting import NormalFitter, mixture_on_grid, normal_on_grid
from ce_teach.plotting import KLFitsPlot, draw_kl_fits

GRID = np.linspace(-8.0, 8.0, 400)
STEP = GRID[1] - GRID[0]
FITTER = NormalFitter(GRID, rounds=10)


def target(separation):
    return mixture_on_grid(GRID, [-separation / 2, separation / 2], [0.8, 0.8], [0.4, 0.6])


def fits(p):
    return FITTER.fit(p, "forward"), FITTER.fit(p, "reverse")


def test_draws_densities_of_the_target_and_both_fits():
    p = target(6.0)
    forward, reverse = fits(p)
    plot = draw_kl_fits(GRID, p, forward, reverse)
    assert isinstance(plot, KLFitsPlot)
    np.testing.assert_array_equal(plot.target.get_ydata(), p / STEP)
    np.testing.assert_array_equal(plot.forward.get_ydata(), normal_on_grid(GRID, forward.mean, forward.std) / STEP)
    np.testing.assert_array_equal(plot.reverse.get_ydata(), normal_on_grid(GRID, reverse.mean, reverse.std) / STEP)
    title = plot.ax.get_title()
    assert f"D(p‖q) = {forward.divergence:.3f} nats" in title and f"D(q‖p) = {reverse.divergence:.3f} nats" in title
    assert plot.ax.get_xlabel() == "t (grid point)" and plot.ax.get_ylabel() == "probability density [1/t]"
    top = plot.ax.get_ylim()[1]
    assert max(line.get_ydata().max() for line in (plot.target, plot.forward, plot.reverse)) < top


def test_update_changes_the_lines_in_place_and_never_shows_minus_zero():
    plot = draw_kl_fits(GRID, target(6.0), *fits(target(6.0)))
    lines = (plot.target, plot.forward, plot.reverse)
    before = [line.get_ydata().copy() for line in lines]
    p = target(0.0)  # one bump: both fits are exact and both divergences are 0 up to rounding
    plot.update(p, *fits(p))
    assert list(plot.ax.lines) == list(lines)
    for old, line in zip(before, lines, strict=True):
        assert not np.array_equal(old, line.get_ydata()) and np.isfinite(line.get_ydata()).all()
    assert "-0.000" not in plot.ax.get_title() and plot.ax.get_title().count("= 0.000 nats") == 2


def test_y_axis_grows_for_a_taller_curve():
    plot = draw_kl_fits(GRID, target(6.0), *fits(target(6.0)))
    narrow = mixture_on_grid(GRID, [-1.0, 1.0], [0.2, 0.2], [0.5, 0.5])
    plot.update(narrow, *fits(narrow))
    assert (narrow / STEP).max() < plot.ax.get_ylim()[1]


def test_mismatched_fits_and_shapes_are_refused():
    p = target(6.0)
    forward, reverse = fits(p)
    plot = draw_kl_fits(GRID, p, forward, reverse)
    with pytest.raises(ValueError, match="forward must be a fit that minimised the forward KL"):
        plot.update(p, reverse, forward)
    with pytest.raises(TypeError, match="reverse must be a ce_teach.fitting.NormalFit"):
        plot.update(p, forward, (3.0, 0.8))
    with pytest.raises(ValueError, match="p must have the grid's shape"):
        plot.update(p[:-1], forward, reverse)


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

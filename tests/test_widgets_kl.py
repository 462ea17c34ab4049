"""ce_teach.widgets.kl_fits: the separation slider over its whole range; lines and readout follow the package.

Warnings are errors (pyproject filterwarnings), so these also prove that no move warns.
"""

import re

import numpy as np
import pytest

from ce_teach.fitting import NormalFitter, mixture_on_grid, normal_on_grid
from ce_teach.widgets import kl_fits

GRID = np.linspace(-8.0, 8.0, 400)
STEP = GRID[1] - GRID[0]
FITTER = NormalFitter(GRID, rounds=10)  # what the widget uses


def lines(widget):
    plot = widget.plot
    return np.array([line.get_ydata() for line in (plot.target, plot.forward, plot.reverse)])


def numbers_in(readout: str) -> np.ndarray:
    return np.array([float(v) for v in re.findall(r"-?\d+\.\d+", readout)])


def assert_consistent(widget, weight=0.6, std=0.8):
    """The lines and the readout show the package's target and fits for the slider's separation."""
    s = widget.separation.value
    p = mixture_on_grid(GRID, [-s / 2, s / 2], [std, std], [1 - weight, weight])
    forward, reverse = FITTER.fit(p, "forward"), FITTER.fit(p, "reverse")
    drawn = lines(widget)
    assert np.isfinite(drawn).all()
    np.testing.assert_array_equal(drawn[0], p / STEP)
    np.testing.assert_array_equal(drawn[1], normal_on_grid(GRID, forward.mean, forward.std) / STEP)
    np.testing.assert_array_equal(drawn[2], normal_on_grid(GRID, reverse.mean, reverse.std) / STEP)
    shown = numbers_in(widget.readout.value)
    np.testing.assert_allclose(shown, [forward.mean, forward.std, reverse.mean, reverse.std], atol=0.005 + 1e-12)
    text = (widget.readout.value + widget.plot.ax.get_title()).lower()
    assert "nan" not in text and "inf" not in text and "-0.00" not in text
    return forward, reverse


def test_starts_consistent_with_one_control():
    widget = kl_fits()
    assert list(widget.controls) == ["separation"]
    assert (widget.separation.min, widget.separation.max, widget.separation.value) == (0.0, 8.0, 5.0)
    assert_consistent(widget)


def test_separation_over_its_whole_range():
    widget = kl_fits(separation=6.0)
    for value in [0.0, 0.1, 1.0, 2.5, 4.0, 4.5, 5.0, 7.3, 8.0, 0.0]:
        before_lines, before_readout = lines(widget), widget.readout.value
        widget.separation.value = value
        forward, reverse = assert_consistent(widget)
        assert not np.array_equal(before_lines[0], lines(widget)[0]), "the target moved"
        assert before_readout != widget.readout.value
        if value == 0.0:  # one bump: both fits are that bump
            assert abs(forward.std - 0.8) < 1e-3 and abs(reverse.std - 0.8) < 1e-3
        if value >= 6.0:  # far apart: reverse sits on the heavier (right) bump, forward spans both
            assert abs(reverse.mean - value / 2) < 0.02 and forward.std > 3.0


def test_slider_moved_beyond_its_range_is_clamped_and_the_figure_follows():
    widget = kl_fits()
    widget.separation.value = 50.0
    assert widget.separation.value == 8.0
    assert_consistent(widget)
    widget.separation.value = -50.0
    assert widget.separation.value == 0.0
    assert_consistent(widget)


@pytest.mark.parametrize(("weight", "std"), [(0.5, 0.8), (0.9, 0.3), (0.6, 2.0)])
def test_other_targets_stay_consistent(weight, std):
    widget = kl_fits(separation=3.0, weight=weight, std=std)
    for value in [0.0, 8.0, 3.0]:
        widget.separation.value = value
        assert_consistent(widget, weight=weight, std=std)


def test_bad_target_is_refused():
    with pytest.raises(ValueError, match="weights must lie in"):
        kl_fits(weight=1.5)
    with pytest.raises(ValueError, match="std must be > 0"):
        kl_fits(std=0.0)


@pytest.mark.parametrize("separation", [100.0, 8.5, -0.1, float("nan")])
def test_a_start_value_off_the_slider_is_refused(separation):
    """kl_fits(separation=100.) used to clamp the slider to 8 but draw and print the fit for 100."""
    with pytest.raises(ValueError, match=r"separation must be in \[0, max_separation\]"):
        kl_fits(separation=separation)


def test_start_values_at_the_ends_match_the_control():
    for separation in (0.0, 8.0):
        widget = kl_fits(separation=separation)
        assert widget.separation.value == separation
        assert_consistent(widget)
    widget = kl_fits(separation=12.0, max_separation=12.0)
    assert widget.separation.max == 12.0
    assert "sd = " in widget.readout.value and "σ" not in widget.readout.value
    with pytest.raises(ValueError, match="max_separation"):
        kl_fits(max_separation=0.0)

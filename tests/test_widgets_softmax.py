"""ce_teach.widgets.softmax_explorer: every control over its whole range, artists and readout follow.

Warnings are errors (pyproject filterwarnings), so these also prove that no move warns.
"""

import re

import numpy as np
import pytest
from widget_checks import artists, assert_clean, count_redraws, draw_for_real

import ce_teach as ct
from ce_teach.widgets import softmax_explorer, temperature_explorer


def state(widget):
    plot = widget.plot
    bars = [[bar.get_height() for bar in group] for group in (plot.target_bars, plot.prob_bars, plot.grad_bars)]
    return np.array(bars), widget.readout.value, plot.title.get_text()


def numbers_in(readout: str) -> np.ndarray:
    return np.array([float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]\d+)?", readout.replace("−", "-"))])


def assert_consistent(widget):
    """Artists and readout show the package's values for the sliders' current logits and class."""
    x = np.array([widget.controls[f"x{i}"].value for i in range(len(widget.plot.names))])
    label = widget.label.value
    bars, readout, title = state(widget)
    assert np.isfinite(bars).all()
    assert "nan" not in readout.lower() and "inf" not in readout.lower() and "nan" not in title.lower()
    np.testing.assert_array_equal(bars[1], ct.softmax(x))
    np.testing.assert_array_equal(bars[0], np.eye(x.size)[label])
    loss = float(ct.sparse_softmax_cross_entropy_with_logits(np.array(label), x))
    assert f"<b>{loss + 0.0:.3g}</b>" in readout
    assert np.isfinite(numbers_in(readout)).all()


def test_starts_consistent_and_has_the_controls():
    widget = softmax_explorer()
    assert [name for name in widget.controls] == ["x0", "x1", "x2", "label"]
    assert widget.label.options == (("0", 0), ("1", 1), ("2", 2))
    assert_consistent(widget)


@pytest.mark.parametrize("name", ["x0", "x1", "x2", "x3"])
def test_each_logit_slider_over_its_whole_range(name):
    widget = softmax_explorer(logits=(1.0, 0.0, -1.0, 0.5), label=1, names=("a", "b", "c", "d"))
    control = widget.controls[name]
    assert (control.min, control.max) == (-20.0, 20.0)
    for value in [control.min, -7.3, 0.0, 3.1, control.max, 0.0]:
        before, old = state(widget), control.value
        control.value = value
        assert_consistent(widget)
        if value != old:  # the logit changed, so the bars and the readout did too
            assert not np.array_equal(before[0][1], state(widget)[0][1])
            assert before[1] != widget.readout.value


def test_slider_beyond_range_is_clamped_not_broken():
    widget = softmax_explorer()
    widget.x0.value = 60.0
    assert widget.x0.value == 20.0
    widget.x1.value = -60.0
    assert widget.x1.value == -20.0
    assert_consistent(widget)


def test_true_class_buttons_cycle_through_every_class():
    widget = softmax_explorer(logits=(3.0, -2.0, 0.5), label=0, names=("cat", "dog", "man"))
    for label in [1, 2, 0, 2]:
        before = state(widget)
        widget.label.value = label
        assert_consistent(widget)
        assert "cat dog man".split()[label] in widget.plot.title.get_text()
        assert before[1] != widget.readout.value
        assert not np.array_equal(before[0][0], state(widget)[0][0])  # target outline moved


def test_extremes_of_every_control_together():
    """Slider corners (±20) with every true class, and wider sliders at ±60 and beyond."""
    for limit in (20.0, 60.0, 1000.0):
        widget = softmax_explorer(logits=(0.0, 0.0, 0.0), limit=limit)
        for corner in [(limit, -limit, -limit), (-limit, limit, -limit), (-limit, -limit, limit), (limit,) * 3]:
            for i, value in enumerate(corner):
                widget.controls[f"x{i}"].value = value
            for label in range(3):
                widget.label.value = label
                assert_consistent(widget)
        widget.x0.value, widget.x1.value, widget.x2.value = limit, -limit, 0.0
        widget.label.value = 1
        loss = float(ct.sparse_softmax_cross_entropy_with_logits(np.array(1), [limit, -limit, 0.0]))
        assert loss == pytest.approx(2 * limit, rel=1e-8)  # ln S(x)_1 = −2·limit − ln(1 + e^−limit + …): no clipping


def test_the_plot_itself_takes_logits_beyond_any_slider():
    widget = softmax_explorer()
    for x in ([60.0, -60.0, 0.0], [-1e4, 0.0, 1e4], [1e-300, 0.0, -1e-300]):
        s, loss, grad = widget.plot.update(x, 0)
        assert np.isfinite([*s, loss, *grad]).all()
        assert loss == pytest.approx(float(ct.sparse_softmax_cross_entropy_with_logits(np.array(0), x)))


def test_figure_is_updated_in_place():
    widget = softmax_explorer()
    figure, bars = widget.figure, list(widget.plot.prob_bars)
    n_artists = len(widget.plot.ax.get_children())
    widget.x2.value = 5.0
    widget.label.value = 2
    assert widget.figure is figure and list(widget.plot.prob_bars) == bars
    assert len(widget.plot.ax.get_children()) == n_artists


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"logits": (1.0,)}, "2 to 6 numbers"),
        ({"logits": (1.0,) * 7}, "2 to 6 numbers"),
        ({"logits": (30.0, 0.0)}, "must lie in"),
        ({"limit": 0.0}, "limit must be"),
        ({"label": 3}, r"label must be in \[0, 3\)"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        softmax_explorer(**kwargs)


# --- temperature_explorer -----------------------------------------------------------------------


def temperature_state(widget):
    bars, curve = widget.plot
    return [bar.get_height() for bar in bars.bars], curve.marker.get_data(), widget.readout.value


def assert_temperature_consistent(widget, logits=(3.0, 1.0, -3.0)):
    t = widget.T.value
    q = ct.softmax(np.asarray(logits) / t)
    heights, (mx, my), readout = temperature_state(widget)
    np.testing.assert_array_equal(heights, q)
    assert mx[0] == t and my[0] == pytest.approx(float(ct.entropy(q)), rel=1e-12, abs=1e-300)
    assert readout.startswith(f"T = <b>{t:.2f}</b>"), "the readout shows the slider's (clamped) value"
    assert f"entropy = <b>{float(ct.entropy(q)) + 0.0:.3f}</b> nats" in readout
    assert_clean(widget)


def test_temperature_slider_over_its_whole_range_and_beyond():
    widget = temperature_explorer()
    assert (widget.T.min, widget.T.max, widget.T.value) == (0.1, 10.0, 1.0)
    redraws, drawn, changes = count_redraws(widget), artists(widget), 0
    for value in [0.1, 0.15, 0.5, 1.0, 2.0, 7.3, 10.0, -5.0, 0.0, 1e9, 1.0]:
        old, before = widget.T.value, temperature_state(widget)
        widget.T.value = value
        changes += widget.T.value != old
        assert_temperature_consistent(widget)
        if widget.T.value != old:
            assert before[0] != temperature_state(widget)[0] and before[2] != widget.readout.value
        if widget.T.value in (0.1, 10.0):
            draw_for_real(widget)
    assert artists(widget) == drawn, "artists are updated in place, never re-created"
    assert len(redraws) == changes, "each change redraws the figure once"


def test_temperature_sharpens_and_flattens():
    widget = temperature_explorer(logits=(2.0, 0.0, -1.0, 0.5), names="abcd")
    widget.T.value = 0.1
    assert max(temperature_state(widget)[0]) > 0.999
    widget.T.value = 10.0
    heights = temperature_state(widget)[0]
    assert max(heights) - min(heights) < 0.2
    assert_temperature_consistent(widget, logits=(2.0, 0.0, -1.0, 0.5))


def test_temperature_started_outside_the_slider_shows_the_clamped_state():
    widget = temperature_explorer(temperature=100.0)
    assert widget.T.value == 10.0
    assert_temperature_consistent(widget)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"logits": (1.0,)}, ValueError, "2 to 6 numbers"),
        ({"temperature": 0.0}, ValueError, "temperature must be a positive finite number"),
        ({"temperature": np.nan}, ValueError, "temperature must be a positive finite number"),
        ({"temperature": "hot"}, TypeError, "temperature must be a number"),
        ({"t_min": 0.0}, ValueError, "need 0 < t_min < t_max"),
        ({"t_min": 5.0, "t_max": 5.0}, ValueError, "need 0 < t_min < t_max"),
        ({"t_min": 1.0, "t_max": 1.05}, ValueError, "at least 0.1 apart"),
        ({"t_max": True}, TypeError, "t_max must be a number"),
    ],
)
def test_temperature_explorer_rejects_degenerate_settings(kwargs, error, words):
    with pytest.raises(error, match=words):
        temperature_explorer(**kwargs)


@pytest.mark.parametrize("limit", [np.int64(5), np.float32(5.0), 5])
def test_softmax_explorer_accepts_numpy_scalars_as_limit(limit):
    widget = softmax_explorer(logits=(2.0, 1.0, -1.0), limit=limit)
    assert (widget.x0.min, widget.x0.max) == (-5.0, 5.0)
    assert_consistent(widget)


@pytest.mark.parametrize(
    ("limit", "error", "words"),
    [(0.0, ValueError, "limit must be between 1 and 10000"), (np.nan, ValueError, "limit must be between"),
     (0.05, ValueError, "limit must be between"), (True, TypeError, "limit must be a positive number"),
     ("20", TypeError, "limit must be a positive number")],
)
def test_softmax_explorer_rejects_degenerate_limits(limit, error, words):
    with pytest.raises(error, match=words):
        softmax_explorer(logits=(0.5, 0.0), limit=limit)

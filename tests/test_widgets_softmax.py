"""ce_teach.widgets.softmax_explorer: every control over its whole range, artists and readout follow.

Warnings are errors (pyproject filterwarnings), so these also prove that no move warns.
"""

import re

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.widgets import softmax_explorer


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

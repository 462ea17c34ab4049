"""ce_teach.widgets.bce_explorer: every control over its whole range, extremes included.

pytest turns warnings into errors, so a callback that warns (overflow, invalid value) fails here.
"""

import re

import numpy as np
import pytest

from ce_teach.widgets import LiveWidget, bce_explorer


def _columns(readout: str) -> tuple[list[str], list[str]]:
    """The naive and the stable column of the readout table, as text."""
    rows = re.findall(r"<tr><td>[^<]*</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>", readout)
    assert len(rows) == 3, readout
    strip = lambda cell: re.sub(r"<[^>]+>", "", cell)  # noqa: E731
    return [strip(naive) for naive, _ in rows], [strip(stable) for _, stable in rows]


def _artists_finite(box: LiveWidget) -> bool:
    plot = box.plot
    lines = [
        plot.loss_line,
        plot.naive_loss_line,
        plot.grad_line,
        plot.naive_grad_line,
        plot.loss_marker,
        plot.naive_loss_marker,
        plot.grad_marker,
        plot.naive_grad_marker,
    ]
    return all(np.isfinite(np.asarray(line.get_xydata(), dtype=float)).all() for line in lines)


def _stable_ok(box: LiveWidget) -> None:
    _, stable = _columns(box.readout.value)
    for text in stable:
        assert np.isfinite(float(text)), (box.x.value, box.z.value, box.float32.value, stable)
    assert _artists_finite(box)


def test_controls_and_ranges():
    box = bce_explorer()
    assert isinstance(box, LiveWidget)
    assert set(box.controls) == {"x", "z", "float32"}
    assert (box.x.min, box.x.max) == (-60.0, 60.0)
    assert (box.z.min, box.z.max, box.z.step) == (0.0, 1.0, 0.01)
    assert box.float32.value is False
    assert box.figure.canvas is box.children[-1]
    assert len(box.figure.axes) == 2


@pytest.mark.parametrize("float32", [False, True])
def test_logit_slider_over_its_whole_range_and_beyond(float32):
    box = bce_explorer(float32=float32)
    for z in (0.0, 0.5, 1.0):
        box.z.value = z
        seen = set()
        for x in [-1e6, -800.0, -100.0, *np.arange(-60.0, 60.01, 5.0), 16.6, 36.7, 100.0, 800.0, 1e6]:
            box.x.value = x
            assert box.x.min <= box.x.value <= box.x.max  # the slider clamps values beyond its range
            _stable_ok(box)
            assert box.plot.loss_marker.get_xdata()[0] == pytest.approx(box.x.value)
            seen.add(box.readout.value)
        assert len(seen) >= 25  # the readout changes with every move inside the range


@pytest.mark.parametrize("float32", [False, True])
def test_label_slider_over_its_whole_range(float32):
    box = bce_explorer(x=3.0, float32=float32)
    curves, readouts = set(), set()
    for z in np.linspace(0.0, 1.0, 21):
        box.z.value = float(z)
        _stable_ok(box)
        curves.add(box.plot.grad_line.get_ydata()[0])
        readouts.add(box.readout.value)
    assert len(curves) == len(readouts) == 21  # the curves are recomputed for every label


def test_float32_switch_makes_the_naive_column_break_earlier():
    box = bce_explorer(x=20.0, z=0.5)
    naive, stable = _columns(box.readout.value)
    assert naive[1] == stable[1] == "10"  # float64: σ(20) < 1, the naive loss is still right
    band64 = box.plot.naive_loss_line.get_xdata().max()
    box.float32.value = True
    naive, stable = _columns(box.readout.value)
    assert naive == ["1.0", "inf", "nan"]  # float32: σ(20) rounds to 1
    assert stable == ["1.0", "10", "0.5"]
    assert "float32" in box.readout.value and "float32" in box.plot.grad_ax.get_title()
    assert box.plot.naive_loss_line.get_xdata().max() < 17 < band64
    box.float32.value = False
    assert _columns(box.readout.value)[0][1] == "10"


@pytest.mark.parametrize(("float32", "x_break"), [(True, 16.7), (False, 36.8)])
def test_naive_column_shows_inf_and_nan_as_text_only_where_expected(float32, x_break):
    box = bce_explorer(float32=float32)
    box.z.value = 1.0
    box.x.value = x_break - 0.5
    naive, _ = _columns(box.readout.value)
    assert "nan" not in naive and "inf" not in naive
    box.x.value = x_break
    naive, _ = _columns(box.readout.value)
    assert naive[1:] == ["nan", "nan"]  # z = 1: 0·log 0 and the chain rule's 0/0
    box.z.value = 0.3
    naive, _ = _columns(box.readout.value)
    assert naive[1:] == ["inf", "nan"]
    _stable_ok(box)


def test_extreme_start_values():
    for x, z in [(-60.0, 0.0), (60.0, 1.0), (60.0, 0.0), (-60.0, 1.0)]:
        box = bce_explorer(x=x, z=z, float32=True)
        _stable_ok(box)

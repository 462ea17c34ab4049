"""Every live figure, swept in Python: what its tables hold at a grid point is exactly what its plot computes.

The browser half (tests/browser/test_live_browser.py) checks that the browser shows these tables; this half
checks the tables themselves, for every shortcut in ``ce_teach.widgets.SHORTCUTS``: at both ends of every
control, at the start, and at random points, each moving artist's data equals ``plot.state_at`` (stored as
float32: the tables' type for positions) and each readout string equals ``plot.readout_text``.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from ce_teach import widgets
from ce_teach.plotting.information import BinaryEntropyPlot
from ce_teach.widgets._figure import new_axes

TYPES = {"f32": np.float32, "u16": np.uint16, "u32": np.uint32}


@functools.cache
def made(name: str):
    return getattr(widgets, name)()


def lookup(widget, entry: dict, index: list[int]) -> np.ndarray:
    """What live.js's ``row`` reads: the table's items at one grid point."""
    data = np.frombuffer(widget.tables, dtype=TYPES[entry["type"]], count=entry["length"], offset=entry["offset"])
    start = sum(stride * i for stride, i in zip(entry["strides"], index, strict=True))
    return data[start : start + entry["items"]]


def shown(widget, index: list[int]) -> tuple[dict, str]:
    """The moving artists' data and the readout the browser shows at ``index``."""
    spec = widget.spec
    parts = {key: lookup(widget, entry, index) for key, entry in spec["parts"].items()}
    text = spec["literals"][0]
    for field, literal in zip(spec["fields"], spec["literals"][1:], strict=True):
        text += field["strings"][int(lookup(widget, field["table"], index)[0])] + literal
    return parts, text


def positions(widget, seed: int = 0, random_points: int = 12) -> list[list[int]]:
    """The start, both ends of every control (the others at their start), and random grid points."""
    start = [c.start for c in widget.controls]
    points = [start]
    for k, control in enumerate(widget.controls):
        for end in (0, len(control.values) - 1):
            points.append(start[:k] + [end] + start[k + 1 :])
    rng = np.random.default_rng(seed)
    points += [[int(rng.integers(len(c.values))) for c in widget.controls] for _ in range(random_points)]
    return points


@pytest.mark.parametrize("name", widgets.SHORTCUTS)
def test_the_tables_hold_exactly_what_the_plot_computes(name):
    widget = made(name)
    for index in positions(widget):
        values = {c.name: c.value(i) for c, i in zip(widget.controls, index, strict=True)}
        state = widget.plot.state_at(**values)
        parts, text = shown(widget, index)
        assert parts.keys() == {k for k in state if "." in k}
        for key, data in parts.items():
            expected = np.broadcast_to(np.asarray(state[key], dtype=np.float32).reshape(-1), data.shape)
            assert np.array_equal(data, expected, equal_nan=True), (name, values, key, data, expected)
        assert text == widget.plot.readout_text(state), (name, values)


@pytest.mark.parametrize("name", widgets.SHORTCUTS)
def test_every_control_changes_the_figure_or_the_readout(name):
    widget = made(name)
    start = [c.start for c in widget.controls]
    before = shown(widget, start)
    for k, control in enumerate(widget.controls):
        for end in (0, len(control.values) - 1):
            if end == start[k]:
                continue
            after = shown(widget, start[:k] + [end] + start[k + 1 :])
            moved = after[1] != before[1] or any(
                not np.array_equal(after[0][key], before[0][key], equal_nan=True) for key in before[0]
            )
            assert moved, f"{name}: moving {control.name} to {control.texts[end]} changes nothing"


@pytest.mark.parametrize("name", widgets.SHORTCUTS)
def test_the_readout_has_no_minus_zero_and_no_unformatted_inf(name):
    widget = made(name)
    for field in widget.spec["fields"]:
        for text in field["strings"]:
            assert text not in ("inf", "-inf", "nan", "−0", "-0"), (name, text)
            assert not text.startswith(("−0.0", "-0.0")) or any(d in text for d in "123456789"), (name, text)


@pytest.mark.parametrize("name", widgets.SHORTCUTS)
def test_the_tables_stay_small(name):
    widget = made(name)
    strings = sum(len(s) for field in widget.spec["fields"] for s in field["strings"])
    size = len(widget.tables) + len(widget.still) + strings
    assert size < 4_000_000, f"{name}: {size:,} bytes"


def test_set_moves_the_controls_and_refuses_what_is_not_a_position():
    widget = widgets.coin_entropy(0.5)
    widget.set(p=0.11)
    assert widget.values == {"p": 0.11}
    assert widget.readout_text() == "H(p) = <b>0.4999</b> bits"
    with pytest.raises(ValueError, match="not a position"):
        widget.set(p=0.115)
    with pytest.raises(ValueError, match="no control named 'q'"):
        widget.set(q=0.5)


@pytest.mark.parametrize(
    ("controls", "error", "match"),
    [
        ({}, ValueError, "at least one control"),
        ({"q": (0.0, 1.0, 0.01)}, ValueError, "no value 'q'"),
        ({"p": (0.0, 1.0)}, TypeError, "three numbers"),
        ({"p": (1.0, 0.0, 0.01)}, ValueError, "low < high"),
        ({"p": (0.0, 1.0, 0.0)}, ValueError, "step > 0"),
        ({"p": (0.0, 1.0, 0.3)}, ValueError, "whole number"),
        ({"p": (0.0, float("nan"), 0.1)}, ValueError, "finite"),
        ({"p": (0.0, 1.0, 0.25)}, ValueError, "not a position"),  # the plot starts at 0.1
        ({"p": 0.5}, TypeError, "tuple or a list"),
        ({"p": [0.1]}, ValueError, "at least two"),
        ({"p": [0.2, 0.3]}, ValueError, "not one of the choices"),
        ({"p": (0.0, 1.0, 1e-7)}, ValueError, "grid points"),
    ],
)
def test_bad_controls_are_refused_with_the_reason(controls, error, match):
    with pytest.raises(error, match=match):
        widgets.live(BinaryEntropyPlot(0.1, ax=new_axes()), **controls)


def test_live_refuses_what_is_not_a_live_plot():
    with pytest.raises(TypeError, match="LivePlot"):
        widgets.live(object(), p=(0.0, 1.0, 0.1))


def test_close_lets_go_of_the_tables():
    widget = widgets.coin_entropy(0.5)
    widget.close()
    assert widget.tables == b"" and widget.still == b"" and widget.plot is None

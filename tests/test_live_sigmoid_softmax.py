"""The live figures of notebooks 04 and 05 (bce_explorer, softmax_explorer, temperature_explorer), beyond the sweep.

tests/test_live.py checks that their tables hold what their plots compute; this file checks what the plots
compute (the vectorised naive path equals the scalar one bit for bit, the readout shows what the lessons
say), where the tables keep what does not move with a control once, and that wrong arguments are refused
with the argument's name.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import naive, widgets
from ce_teach.plotting import naive_bce_grad

DTYPES = {"float32": np.float32, "float64": np.float64}


@functools.cache
def bce():
    return widgets.bce_explorer()


def columns(readout: str) -> tuple[list[str], list[str]]:
    """The naive and the stable column of the BCE readout table, as text (tags removed)."""
    rows = re.findall(r"<tr><td>[^<]*</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>", readout)
    assert len(rows) == 3, readout
    strip = lambda cell: re.sub(r"<[^>]+>", "", cell)  # noqa: E731
    return [strip(n) for n, _ in rows], [strip(s) for _, s in rows]


def readout_at(widget, **values) -> str:
    return widget.plot.readout_text(widget.plot.state_at(**values))


# --- bce_explorer --------------------------------------------------------------------------------------


def scalar_point(x: float, z: float, dtype: str) -> dict:
    """The numbers at one point the way the notebook's prose was first computed: numpy scalars in ``dtype``."""
    t = DTYPES[dtype]
    xs, zs = t(x), t(z)
    return {
        "sigma": float(ct.sigmoid(xs)),
        "loss": float(ct.sigmoid_cross_entropy_with_logits(zs, xs)),
        "grad": float(ct.sigmoid_cross_entropy_grad(zs, xs)),
        "naive_sigma": float(naive.sigmoid(xs)),
        "naive_loss": float(naive.sigmoid_cross_entropy(zs, xs)),
        "naive_grad": float(naive_bce_grad(zs, xs)),
    }


def same_bits(a: float, b: float) -> bool:
    """Equal as floats, including the sign of zero, or both NaN."""
    return (np.isnan(a) and np.isnan(b)) or (a == b and np.signbit(a) == np.signbit(b))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_vectorised_values_equal_the_scalar_path_bit_for_bit(dtype):
    """Every x of the slider at three labels (the whole grid at once, as the tables are built) against the
    scalar computation, one point at a time."""
    widget = bce()
    xs = np.array(widget.controls[0].values)
    zs = np.array([0.0, 0.3, 1.0])
    state = widget.plot.state(x=xs[:, None, None], z=zs[None, :, None], dtype=dtype)
    for key in ("sigma", "loss", "grad", "naive_sigma", "naive_loss", "naive_grad"):
        grid = np.broadcast_to(state[key], (xs.size, zs.size, 1))
        for i, x in enumerate(xs):
            for j, z in enumerate(zs):
                expected = scalar_point(x, z, dtype)[key]
                assert same_bits(grid[i, j, 0], expected), (key, x, z, dtype, grid[i, j, 0], expected)


def test_the_numbers_the_prose_quotes_at_16_5_in_float32():
    point = bce().plot.state_at(x=16.5, z=1.0, dtype="float32")
    assert point["naive_loss"].item() == scalar_point(16.5, 1.0, "float32")["naive_loss"]
    assert f"{point['naive_loss'].item() / point['loss'].item():.2f}" == "1.75"
    naive_col, stable_col = columns(readout_at(bce(), x=16.5, z=1.0, dtype="float32"))
    assert naive_col == ["0.9999999", "1.19209e−07", "−1.19209e−07"]
    assert stable_col == ["0.99999994", "6.8256e−08", "−6.8256e−08"]


def test_x_walks_exactly_through_16_5_and_17_and_past_float64s_failure():
    values = bce().controls[0].values
    assert {16.5, 17.0} <= set(values) and float(np.float32(16.5)) == 16.5 and float(np.float32(17.0)) == 17.0
    assert values[0] == -60.0 and values[-1] == 60.0 and np.allclose(np.diff(values), 0.1)
    assert [c.name for c in bce().controls] == ["x", "z", "dtype"]
    assert bce().controls[2].values == ("float64", "float32")


def test_sigma_has_the_digits_of_its_dtype():
    assert columns(readout_at(bce(), x=16.5, z=1.0, dtype="float64"))[1][0] == str(ct.sigmoid(np.float64(16.5)))
    assert columns(readout_at(bce(), x=16.5, z=1.0, dtype="float32"))[1][0] == "0.99999994"


def test_float32_makes_the_naive_column_break_earlier():
    naive_col, stable_col = columns(readout_at(bce(), x=20.0, z=0.5, dtype="float64"))
    assert naive_col[1] == stable_col[1] == "10"  # float64: σ(20) < 1, the naive loss is still right
    naive_col, stable_col = columns(readout_at(bce(), x=20.0, z=0.5, dtype="float32"))
    assert naive_col == ["1.0", "∞", "nan"]  # float32: σ(20) rounds to 1
    assert stable_col == ["1.0", "10", "0.5"]
    text = readout_at(bce(), x=20.0, z=0.5, dtype="float32")
    assert "<b style='color:#C44E52'>∞</b>" in text and "<b style='color:#C44E52'>nan</b>" in text


@pytest.mark.parametrize(("dtype", "x_break"), [("float32", 16.7), ("float64", 36.8)])
def test_the_naive_column_turns_inf_and_nan_at_the_first_position_where_sigma_is_1(dtype, x_break):
    before = columns(readout_at(bce(), x=round(x_break - 0.1, 1), z=1.0, dtype=dtype))[0]
    assert not {"nan", "∞"} & set(before), before
    assert columns(readout_at(bce(), x=x_break, z=1.0, dtype=dtype))[0][1:] == ["nan", "nan"]  # 0·log 0, 0/0
    assert columns(readout_at(bce(), x=x_break, z=0.3, dtype=dtype))[0][1:] == ["∞", "nan"]


def test_the_stable_column_and_curves_are_finite_everywhere_on_the_grid():
    widget = bce()
    xs, zs = np.array(widget.controls[0].values), np.array(widget.controls[1].values)
    for dtype in ("float32", "float64"):
        state = widget.plot.state(x=xs[:, None, None], z=zs[None, :, None], dtype=dtype)
        for key in ("sigma", "loss", "grad", "loss_marker.y", "grad_marker.y", "loss_curve.y", "grad_curve.y"):
            assert np.isfinite(state[key]).all(), (key, dtype)


def test_what_does_not_move_with_a_control_is_stored_once():
    parts = bce().spec["parts"]
    for curve in ("loss_curve", "naive_loss_curve", "grad_curve", "naive_grad_curve"):
        assert parts[f"{curve}.y"]["strides"][0] == 0  # the curves do not depend on x
        assert parts[f"{curve}.x"]["length"] == 801  # the grid of the curves: once for every z and dtype
    assert parts["loss_marker.x"]["length"] == len(bce().controls[0].values)  # the marker's x: x only
    sigma = bce().spec["fields"][1]["table"]
    assert sigma["strides"][1] == 0  # σ does not depend on z


def test_the_tables_stay_near_a_megabyte():
    widget = bce()
    strings = sum(len(s) for field in widget.spec["fields"] for s in field["strings"])
    assert len(widget.tables) + strings < 1_500_000


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"x": float("nan")}, ValueError, "x must be a position of its slider"),
        ({"x": 16.55}, ValueError, "x must be a position of its slider, -60 to 60 in steps of 0.1"),
        ({"x": 100.0}, ValueError, "x must be a position of its slider"),
        ({"x": "2"}, TypeError, "x must be"),
        ({"z": 1.5}, ValueError, "z must be a position of its slider, 0 to 1"),
        ({"z": 0.05}, ValueError, "z must be a position of its slider"),
        ({"z": True}, TypeError, "z must be"),
        ({"dtype": "float16"}, ValueError, "dtype must be float32 or float64"),
        ({"dtype": "half"}, ValueError, "dtype must be float32 or float64"),
        ({"limit": 5}, ValueError, "limit must be a whole number from 10 to 60"),
        ({"limit": 61}, ValueError, "limit must be a whole number from 10 to 60"),
        ({"limit": 30.5}, ValueError, "limit must be a whole number"),
        ({"limit": "60"}, TypeError, "limit must be"),
        ({"float32": True}, TypeError, "float32"),  # the old switch: now dtype="float32"
    ],
)
def test_bce_explorer_refuses_bad_arguments_with_their_name(kwargs, error, words):
    with pytest.raises(error, match=re.escape(words) if "(" in words else words):
        widgets.bce_explorer(**kwargs)


def test_bce_explorer_accepts_numpy_numbers_and_dtypes():
    widget = widgets.bce_explorer(x=np.float32(16.5), z=np.int64(1), dtype=np.float32, limit=np.int64(40))
    assert widget.values == {"x": 16.5, "z": 1.0, "dtype": "float32"}
    assert widget.controls[0].values[-1] == 40.0


# --- softmax_explorer ----------------------------------------------------------------------------------


@functools.cache
def loss_widget():
    return widgets.softmax_explorer(logits=(2.0, 1.0, -1.0), label=2, names=("cat", "dog", "man"))


def test_the_readout_and_bars_are_the_package_values_at_the_prompts_points():
    widget = loss_widget()
    for logits in ((2.0, 1.0, -1.0), (2.0, 1.0, -8.0), (8.0, 8.0, -8.0), (-8.0, 0.5, 7.5)):
        for k, name in enumerate(("cat", "dog", "man")):
            state = widget.plot.state_at(**{f"x{i}": v for i, v in enumerate(logits)}, label=name)
            y = np.eye(3)[k]
            assert np.array_equal(state["probs.height"], ct.softmax(np.array(logits)))
            assert np.array_equal(state["grad.height"], ct.softmax_cross_entropy_grad(y, np.array(logits)))
            assert np.array_equal(state["target.height"], y)
            assert state["loss"].item() == float(ct.sparse_softmax_cross_entropy_with_logits(np.array(k), logits))
    widget.set(x2=-8.0)
    assert "<b>10.313</b>" in widget.readout_text()
    widget.set(x0=8.0, x1=8.0)
    loss = float(ct.sparse_softmax_cross_entropy_with_logits(np.array(2), [8.0, 8.0, -8.0]))
    assert f"<b>{loss:.3f}</b>" in widget.readout_text() and loss > -np.log(1e-7)  # past Keras' clip at 16.1
    widget.set(x0=2.0, x1=1.0, x2=-1.0)
    assert widget.readout_text().startswith("S(x) = [0.705, 0.259, 0.035]")
    assert widget.readout_text().endswith("[0.705, 0.259, −0.965]")


def test_the_probabilities_are_stored_once_for_every_true_class():
    spec = loss_widget().spec
    label_axis = [c.name for c in loss_widget().controls].index("label")
    assert spec["parts"]["probs.height"]["strides"][label_axis] == 0
    assert spec["parts"]["grad.height"]["strides"][label_axis] != 0
    assert spec["parts"]["target.height"]["length"] == 3 * 3  # one row per class, for no slider
    assert loss_widget().controls[label_axis].values == ("cat", "dog", "man")


def test_the_logit_sliders_reach_16_1_nats_and_stay_in_budget():
    widget = loss_widget()
    assert all(c.values[0] == -8.0 and c.values[-1] == 8.0 and len(c.values) == 33 for c in widget.controls[:3])
    assert len(widget.tables) < 3_000_000


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"logits": (1.0,)}, ValueError, "logits must be 2 or 3 numbers"),
        ({"logits": (1.0, 0.0, 0.0, 0.0)}, ValueError, "logits must be 2 or 3 numbers"),
        ({"logits": (1.0, np.nan)}, ValueError, "logits"),
        ({"logits": (2.3, 0.0)}, ValueError, "logit x0 = 2.3 must be a position of its slider"),
        ({"logits": (9.0, 0.0)}, ValueError, "logit x0 = 9 must be a position of its slider"),
        ({"label": 3}, ValueError, r"label must be in \[0, 3\)"),
        ({"label": "cow", "names": ("cat", "dog", "man")}, ValueError, "label must be one of the class names"),
        ({"names": ("a", "a", "b")}, ValueError, "names must be distinct"),
        ({"names": ("a", "b")}, ValueError, "one label per class"),
        ({"limit": 20.0}, ValueError, "81 positions per logit, 531,441 grid points"),
        ({"limit": 0.0}, ValueError, "limit must be"),
        ({"limit": True}, TypeError, "limit must be"),
        ({"limit": "8"}, TypeError, "limit must be"),
        ({"step": 0.3}, ValueError, "limit must be a whole number of steps"),
        ({"step": -0.5}, ValueError, "step must be"),
    ],
)
def test_softmax_explorer_refuses_bad_arguments_with_their_name(kwargs, error, words):
    with pytest.raises(error, match=words):
        widgets.softmax_explorer(**kwargs)


def test_softmax_explorer_takes_the_true_class_by_index_or_name_and_two_classes():
    assert widgets.softmax_explorer(label="1", limit=np.int64(4)).values["label"] == "1"
    widget = widgets.softmax_explorer(logits=(1.0, -1.0), label=1, names="ab", limit=4.0, step=0.25)
    assert [c.name for c in widget.controls] == ["x0", "x1", "label"] and widget.values["label"] == "b"


# --- temperature_explorer ------------------------------------------------------------------------------


def test_the_temperature_slider_shows_the_lessons_distributions():
    widget = widgets.temperature_explorer(logits=(3.0, 1.0, -3.0), temperature=1.0, t_max=16.0)
    values = widget.controls[0].values
    assert values[0] == 0.1 and values[-1] == 16.0 and {0.25, 1.0, 4.0, 16.0} <= set(values)
    widget.set(T=0.25)
    assert "S(x/T) = [0.9997, 0.0003, 0.0000]" in widget.readout_text()
    widget.set(T=16.0)
    text = widget.readout_text()
    assert "S(x/T) = [0.3891, 0.3434, 0.2674]" in text and "(ln C = ln 3 = 1.099)" in text
    entropy = float(ct.entropy(ct.softmax(np.array([3.0, 1.0, -3.0]) / 16.0)))
    assert f"entropy = <b>{entropy:.3f}</b> nats" in text


def test_the_temperature_bars_and_marker_are_the_package_values():
    widget = widgets.temperature_explorer(logits=(2.0, 0.0, -1.0, 0.5), names="abcd")
    for t in (0.1, 0.55, 1.0, 7.3, 10.0):
        state = widget.plot.state_at(T=t)
        q = ct.softmax(np.array([2.0, 0.0, -1.0, 0.5]) / t)
        assert np.array_equal(state["bars.height"], q)
        assert state["marker.x"].item() == t and state["marker.y"].item() == float(ct.entropy(q))


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"logits": (1.0,)}, ValueError, "2 to 6 numbers"),
        ({"temperature": 0.0}, ValueError, "temperature must be a positive finite number"),
        ({"temperature": np.nan}, ValueError, "temperature must be a positive finite number"),
        ({"temperature": "hot"}, TypeError, "temperature must be"),
        ({"temperature": 100.0}, ValueError, "temperature must be a position of the slider, 0.1 to 10"),
        ({"temperature": 0.33}, ValueError, "temperature must be a position of the slider"),
        ({"t_min": 0.0}, ValueError, "t_min must be a positive finite number"),
        ({"t_min": 5.0, "t_max": 5.0}, ValueError, "need t_min < t_max"),
        ({"t_min": 0.12}, ValueError, "both multiples of 0.05"),
        ({"t_max": 500.0}, ValueError, "at most 100"),
        ({"t_max": True}, TypeError, "t_max must be"),
    ],
)
def test_temperature_explorer_refuses_bad_arguments_with_their_name(kwargs, error, words):
    with pytest.raises(error, match=words):
        widgets.temperature_explorer(**kwargs)

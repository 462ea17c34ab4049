"""ce_teach.plotting.sigmoid: the loss/gradient curves of notebook 04 and the naive autograd gradient."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import ce_teach as ct
from ce_teach import plotting
from ce_teach.plotting import BCECurves, draw_bce_curves, naive_bce_grad
from ce_teach.plotting._common import FIGSIZE

LOGITS = [-1e4, -800.0, -100.0, -60.0, -50.0, -20.0, -1.0, 0.0, 1.0, 16.5, 16.7, 20.0, 36.7, 36.8, 50.0, 60.0, 800.0]
LABELS = [0.0, 0.01, 0.3, 0.5, 0.999, 1.0]


def _lines(plot: BCECurves):
    return [
        plot.loss_line,
        plot.naive_loss_line,
        plot.grad_line,
        plot.naive_grad_line,
        plot.loss_marker,
        plot.naive_loss_marker,
        plot.grad_marker,
        plot.naive_grad_marker,
    ]


def _point(plot: BCECurves, **values) -> dict:
    """The readout's numbers after ``update``: plain floats."""
    state = plot.update(**values)
    return {k: v.item() for k, v in state.items() if "." not in k and not k.endswith("text") and k != "dtype"}


def test_new_figure_has_two_axes_of_the_fixed_size():
    plot = draw_bce_curves()
    fig = plot.figure
    assert plot.loss_ax.figure is fig and plot.grad_ax.figure is fig and len(fig.axes) == 2
    assert tuple(fig.get_size_inches()) == FIGSIZE


def test_draws_on_given_axes():
    fig, axes = plt.subplots(1, 2)
    plot = draw_bce_curves(1.0, 0.5, ax=axes)
    assert plot.loss_ax is axes[0] and plot.grad_ax is axes[1]
    assert plot.values == {"x": 1.0, "z": 0.5, "dtype": "float64"}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_stable_values_and_curves_are_finite_over_the_whole_range(dtype):
    plot = draw_bce_curves(dtype=dtype)
    for z in LABELS:
        for x in LOGITS:
            point = _point(plot, x=x, z=z, dtype=dtype)
            assert np.isfinite([point["loss"], point["grad"], point["sigma"]]).all(), (x, z)
            for line in (plot.loss_line, plot.grad_line, plot.loss_marker, plot.grad_marker):
                assert np.isfinite(np.asarray(line.get_xydata(), dtype=float)).all(), (x, z, dtype)


def test_the_naive_curves_and_markers_hold_nan_exactly_where_the_naive_form_is_not_finite():
    plot = draw_bce_curves(0.0, 0.5, dtype="float32")
    naive = ct.naive.sigmoid_cross_entropy(np.full(plot.grid.size, np.float32(0.5)), plot.grid.astype(np.float32))
    np.testing.assert_array_equal(np.isnan(plot.naive_loss_line.get_ydata()), ~np.isfinite(naive))
    point = _point(plot, x=20.0)
    assert point["naive_loss"] == np.inf and np.isnan(point["naive_grad"])
    assert np.isnan(plot.naive_loss_marker.get_ydata()).all() and np.isnan(plot.naive_grad_marker.get_ydata()).all()


def test_markers_follow_the_stable_values():
    plot = draw_bce_curves(dtype="float64")
    point = _point(plot, x=2.0, z=1.0)
    assert plot.loss_marker.get_xydata().tolist() == [[2.0, point["loss"]]]
    assert plot.grad_marker.get_xydata().tolist() == [[2.0, point["grad"]]]
    assert point["loss"] == pytest.approx(float(ct.sigmoid_cross_entropy_with_logits(1.0, 2.0)), rel=1e-15)
    assert point["grad"] == pytest.approx(float(ct.sigmoid(2.0)) - 1.0, rel=1e-15)
    assert point["naive_loss"] == pytest.approx(point["loss"], rel=1e-12)
    assert plot.naive_loss_marker.get_xydata().tolist() == [[2.0, point["naive_loss"]]]


@pytest.mark.parametrize(("dtype", "threshold"), [("float32", 16.6355), ("float64", 36.7368)])
def test_naive_band_stops_where_sigma_rounds_to_one(dtype, threshold):
    plot = draw_bce_curves(0.0, 0.5, dtype=dtype, limit=60.0)
    x, y = plot.naive_loss_line.get_data()
    finite_x = x[np.isfinite(y)]
    assert finite_x.max() < threshold < finite_x.max() + 0.2  # grid step 0.15
    assert np.isfinite(plot.loss_line.get_ydata()).all() and plot.loss_line.get_xdata().max() == 60.0
    point = _point(plot, x=threshold + 0.1, z=0.5, dtype=dtype)
    assert point["naive_loss"] == np.inf and np.isnan(point["naive_grad"])
    point = _point(plot, x=threshold + 0.1, z=1.0, dtype=dtype)
    assert np.isnan(point["naive_loss"]) and point["loss"] > 0


def test_the_curves_do_not_depend_on_x_and_change_with_the_label_and_the_dtype():
    plot = draw_bce_curves(0.0, 0.5)
    state = plot.state_at()
    assert all(state[f"{name}.y"].shape == (801,) for name in ("loss_curve", "naive_loss_curve", "grad_curve"))
    assert np.array_equal(plot.state_at(x=3.0)["loss_curve.y"], state["loss_curve.y"])
    assert not np.array_equal(plot.state_at(z=0.9)["loss_curve.y"], state["loss_curve.y"])
    finite = np.isfinite(plot.state_at(dtype="float32")["naive_loss_curve.y"])
    assert plot.grid[finite].max() < 17 < plot.grid[np.isfinite(state["naive_loss_curve.y"])].max()


def test_titles_are_fixed_and_the_numbers_go_to_the_readout():
    plot = draw_bce_curves(20.0, 0.5, dtype="float32")
    titles = plot.loss_ax.get_title(), plot.grad_ax.get_title()
    plot.update(x=-3.0, z=0.1, dtype="float64")
    assert (plot.loss_ax.get_title(), plot.grad_ax.get_title()) == titles
    text = plot.readout_text()
    assert "float64" in text and "naive" in text and "stable" in text


@pytest.mark.parametrize(
    ("values", "error", "message"),
    [
        ({"z": 1.5}, ValueError, "z must be a label in"),
        ({"z": -0.1}, ValueError, "z must be a label in"),
        ({"z": float("nan")}, ValueError, "z must be a label in"),
        ({"x": float("nan")}, ValueError, "x must be a finite logit"),
        ({"x": float("inf")}, ValueError, "x must be a finite logit"),
        ({"x": True}, TypeError, "x must be"),
        ({"dtype": "float16"}, ValueError, "dtype must be float32 or float64"),
        ({"dtype": "single precision"}, TypeError, "dtype must be float32 or float64"),
        ({"y": 1.0}, TypeError, "no control named"),
    ],
)
def test_bad_input_is_a_clear_error(values, error, message):
    plot = draw_bce_curves()
    with pytest.raises(error, match=message):
        plot.update(**values)
    with pytest.raises(error, match=message):
        plot.state_at(**values)
    assert plot.values == {"x": 2.0, "z": 1.0, "dtype": "float64"}  # a refused move leaves the plot alone


def test_bad_limit():
    with pytest.raises(ValueError, match="limit must be a positive finite number"):
        draw_bce_curves(limit=0)


def test_naive_grad_equals_sigma_minus_z_where_finite_and_nan_where_sigma_saturates():
    x = np.linspace(-10, 10, 41)
    z = np.linspace(0, 1, 41)
    np.testing.assert_allclose(naive_bce_grad(z, x), ct.sigmoid_cross_entropy_grad(z, x), rtol=1e-9, atol=1e-12)
    for dtype, big in [(np.float32, 17.0), (np.float64, 37.0)]:
        for label in (0.0, 0.5, 1.0):
            assert np.isnan(naive_bce_grad(dtype(label), dtype(big)))
    assert np.isnan(naive_bce_grad(np.float64(0.5), np.float64(-710.0)))  # σ underflows to 0
    assert naive_bce_grad(np.float32([1.0]), np.float32([0.0])).dtype == np.float32


# --- draw_sigmoid ---------------------------------------------------------------------------------------


def test_draw_sigmoid_draws_the_curve_and_marks_the_logits():
    plot = plotting.draw_sigmoid([-2.0, 0.0, 2.0], limit=8.0)
    x, q = plot.curve.get_data()
    assert x[0] == -8.0 and x[-1] == 8.0
    np.testing.assert_allclose(q, 1 / (1 + np.exp(-x)), rtol=1e-15)
    mx, mq = plot.markers.get_data()
    np.testing.assert_array_equal(mx, [-2.0, 0.0, 2.0])
    assert mq[1] == 0.5 and mq[0] + mq[2] == pytest.approx(1.0, rel=1e-15)  # σ(−x) = 1 − σ(x)
    assert "logit x" in plot.ax.get_xlabel() and "probability" in plot.ax.get_ylabel()
    assert plot.update([800.0])[0] == 1.0 and plot.markers.get_data()[0].tolist() == [800.0]
    plt.close(plot.ax.figure)


@pytest.mark.parametrize("bad", [[np.nan], [[1.0, 2.0]], [np.inf]])
def test_draw_sigmoid_rejects_bad_markers(bad):
    with pytest.raises(ValueError, match="marked"):
        plotting.draw_sigmoid(bad)
    plt.close("all")


def test_draw_sigmoid_rejects_a_bad_limit():
    with pytest.raises(ValueError, match="limit"):
        plotting.draw_sigmoid(limit=0)

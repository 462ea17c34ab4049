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


def _all_finite(plot: BCECurves) -> bool:
    return all(np.isfinite(np.asarray(line.get_xydata(), dtype=float)).all() for line in _lines(plot))


def test_new_figure_has_two_axes_of_the_fixed_size():
    plot = draw_bce_curves()
    fig = plot.loss_ax.figure
    assert plot.grad_ax.figure is fig and len(fig.axes) == 2
    assert tuple(fig.get_size_inches()) == FIGSIZE


def test_draws_on_given_axes():
    fig, axes = plt.subplots(1, 2)
    plot = draw_bce_curves(1.0, 0.5, ax=axes)
    assert plot.loss_ax is axes[0] and plot.grad_ax is axes[1]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_no_nan_in_any_artist_over_the_whole_range(dtype):
    plot = draw_bce_curves(dtype=dtype)
    for z in LABELS:
        for x in LOGITS:
            point = plot.update(x, z, dtype=dtype)
            assert np.isfinite([point.loss, point.grad, point.sigma]).all(), (x, z)
            assert _all_finite(plot), (x, z, dtype)


def test_markers_follow_the_stable_values():
    plot = draw_bce_curves(dtype="float64")
    point = plot.update(2.0, 1.0)
    assert plot.loss_marker.get_xydata().tolist() == [[2.0, point.loss]]
    assert plot.grad_marker.get_xydata().tolist() == [[2.0, point.grad]]
    assert point.loss == pytest.approx(float(ct.sigmoid_cross_entropy_with_logits(1.0, 2.0)), rel=1e-15)
    assert point.grad == pytest.approx(float(ct.sigmoid(2.0)) - 1.0, rel=1e-15)
    assert point.naive_loss == pytest.approx(point.loss, rel=1e-12)
    assert plot.naive_loss_marker.get_xydata().tolist() == [[2.0, point.naive_loss]]


@pytest.mark.parametrize(("dtype", "threshold"), [("float32", 16.6355), ("float64", 36.7368)])
def test_naive_band_stops_where_sigma_rounds_to_one(dtype, threshold):
    plot = draw_bce_curves(0.0, 0.5, dtype=dtype, limit=60.0)
    naive_x = plot.naive_loss_line.get_xdata()
    assert naive_x.max() < threshold < naive_x.max() + 0.2  # grid step 0.15
    assert plot.loss_line.get_xdata().max() == 60.0  # the stable curve covers the whole range
    point = plot.update(threshold + 0.1, 0.5, dtype=dtype)
    assert point.naive_loss == np.inf and np.isnan(point.naive_grad)
    assert plot.naive_loss_marker.get_xydata().size == 0  # hidden, not NaN
    point = plot.update(threshold + 0.1, 1.0, dtype=dtype)
    assert np.isnan(point.naive_loss) and point.loss > 0


def test_curves_recomputed_only_when_label_or_dtype_changes():
    plot = draw_bce_curves(0.0, 0.5)
    before = plot.loss_line.get_ydata()
    plot.update(3.0, 0.5)
    assert plot.loss_line.get_ydata() is before  # x moved: curves untouched
    plot.update(3.0, 0.9)
    after_z = plot.loss_line.get_ydata()
    assert after_z is not before and not np.array_equal(after_z, before)
    plot.update(3.0, 0.9, dtype="float32")
    assert plot.naive_loss_line.get_xdata().max() < 17  # float32 band is shorter


def test_titles_show_the_point_and_dtype():
    plot = draw_bce_curves(20.0, 0.5, dtype="float32")
    assert "x = 20.0" in plot.loss_ax.get_title() and "z = 0.50" in plot.loss_ax.get_title()
    assert "float32" in plot.grad_ax.get_title()


@pytest.mark.parametrize(
    ("x", "z", "dtype", "message"),
    [
        (0.0, 1.5, "float64", "z must be a label in"),
        (0.0, -0.1, "float64", "z must be a label in"),
        (0.0, float("nan"), "float64", "z must be a label in"),
        (float("nan"), 0.5, "float64", "x must be a finite logit"),
        (float("inf"), 0.5, "float64", "x must be a finite logit"),
        (0.0, 0.5, "float16", "dtype must be float32 or float64"),
    ],
)
def test_bad_input_is_a_clear_error(x, z, dtype, message):
    plot = draw_bce_curves()
    with pytest.raises(ValueError, match=message):
        plot.update(x, z, dtype=dtype)


def test_bad_limit():
    with pytest.raises(ValueError, match="limit must be a positive number"):
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

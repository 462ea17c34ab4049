"""ce_teach.plotting.softmax: the figures draw what the maths says, update in place, and reject bad input."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import ce_teach as ct
from ce_teach import plotting
from ce_teach.plotting import draw_jacobian, draw_softmax_loss, draw_temperature


def heights(bars):
    return np.array([bar.get_height() for bar in bars])


def logits_of(x) -> dict:
    return {f"x{i}": float(value) for i, value in enumerate(x)}


@pytest.mark.parametrize(
    ("x", "label"),
    [
        ([2.0, 1.0, -1.0], 0),
        ([0.0, 0.0, 0.0, 0.0], 3),
        ([60.0, -60.0, 0.0], 1),
        ([-1000.0, 1000.0], 0),
        ([1e-12, 0.0, -1e-12], 2),
    ],
)
def test_softmax_loss_bars_are_probabilities_target_and_gradient(x, label):
    plot = draw_softmax_loss(x, label)
    state = plot.update(**logits_of(x), label=plot.names[label])
    y = np.eye(len(x))[label]
    np.testing.assert_array_equal(heights(plot.prob_bars), ct.softmax(x))
    np.testing.assert_array_equal(heights(plot.target_bars), y)
    np.testing.assert_array_equal(heights(plot.grad_bars), ct.softmax_cross_entropy_grad(y, x))
    np.testing.assert_allclose(heights(plot.grad_bars), ct.softmax(x) - y, rtol=0, atol=1e-15)
    loss = state["loss"].item()
    assert loss == float(ct.sparse_softmax_cross_entropy_with_logits(np.array(label), x))
    assert np.isfinite([loss, *heights(plot.grad_bars)]).all()
    assert f"<b>{loss:.3f}</b>" in plot.readout_text()


def test_softmax_loss_update_moves_the_artists_in_place_and_the_title_stays():
    plot = draw_softmax_loss([2.0, 1.0, -1.0], 0, names=["cat", "dog", "man"])
    bars_before = list(plot.prob_bars)
    before = heights(plot.prob_bars), heights(plot.grad_bars), plot.ax.get_title(), plot.readout_text()
    plot.update(x0=-3.0, x1=1.0, x2=4.0, label="man")
    assert list(plot.prob_bars) == bars_before  # the same Rectangle objects, not new ones
    assert not np.array_equal(before[0], heights(plot.prob_bars))
    assert not np.array_equal(before[1], heights(plot.grad_bars))
    assert plot.ax.get_title() == before[2] and plot.readout_text() != before[3]
    assert plot.values == {"x0": -3.0, "x1": 1.0, "x2": 4.0, "label": "man"}
    plot.update(label=1)  # an index is a class too, stored as its name
    assert plot.values["label"] == "dog" and heights(plot.target_bars).tolist() == [0.0, 1.0, 0.0]
    assert [t.get_text() for t in plot.ax.get_xticklabels()] == ["cat", "dog", "man"]


def test_softmax_loss_draws_on_given_axes_and_has_labels():
    fig, ax = plt.subplots()
    plot = draw_softmax_loss([1.0, 0.0], 1, ax=ax)
    assert plot.ax is ax and len(fig.axes) == 1
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None


@pytest.mark.parametrize(
    ("x", "label", "error", "match"),
    [
        ([1.0, 0.0, 2.0], 3, ValueError, r"label must be in \[0, 3\)"),
        ([1.0, 0.0, 2.0], -1, ValueError, r"label must be in \[0, 3\)"),
        ([1.0, 0.0, 2.0], 1.0, TypeError, "label must be an integer"),
        ([1.0, 0.0, 2.0], "3", ValueError, "label must be one of the class names"),
        ([1.0, np.nan], 0, ValueError, "x must be finite"),
        ([1.0, np.inf], 0, ValueError, "x must be finite"),
        ([1.0], 0, ValueError, "at least 2 classes"),
        ([[1.0, 2.0]], 0, ValueError, "one row of logits"),
    ],
)
def test_softmax_loss_rejects_bad_input(x, label, error, match):
    with pytest.raises(error, match=match):
        draw_softmax_loss(x, label)


@pytest.mark.parametrize(
    ("values", "error", "match"),
    [
        ({"x3": 1.0}, TypeError, "no control named"),
        ({"x0": np.nan}, ValueError, "x0 must be a finite logit"),
        ({"x1": "big"}, TypeError, "x1 must be"),
        ({"label": "cow"}, ValueError, "one of the class names"),
        ({"label": 5}, ValueError, r"label must be in \[0, 3\)"),
    ],
)
def test_softmax_loss_update_rejects_bad_values_and_leaves_the_plot_alone(values, error, match):
    plot = draw_softmax_loss([1.0, 0.0, 2.0], 0)
    with pytest.raises(error, match=match):
        plot.update(**values)
    assert plot.values == {"x0": 1.0, "x1": 0.0, "x2": 2.0, "label": "0"}


def test_softmax_loss_names_must_fit_and_be_distinct():
    with pytest.raises(ValueError, match="one label per class"):
        draw_softmax_loss([1.0, 0.0], 0, names=["a", "b", "c"])
    with pytest.raises(ValueError, match="names must be distinct"):
        draw_softmax_loss([1.0, 0.0], 0, names=["a", "a"])


@pytest.mark.parametrize("x", [[3.0, 1.0, -3.0], [0.0, 0.0], [60.0, -60.0, 0.0, 1.0], [1000.0, 999.0, -1000.0]])
def test_jacobian_heat_map_shows_the_package_jacobian(x):
    plot = draw_jacobian(x)
    jac = ct.softmax_jacobian(x)
    np.testing.assert_array_equal(plot.image.get_array(), jac)
    shown = np.array([float(t.get_text()) for t in plot.values]).reshape(jac.shape)
    np.testing.assert_allclose(shown, jac, atol=5e-4)
    assert not any(t.get_text().startswith("-0.000") for t in plot.values)
    assert plot.image.get_clim() == (-0.25, 0.25)
    assert plot.colourbar.ax.get_ylabel()
    assert plot.ax.get_xlabel() and plot.ax.get_ylabel()


def test_jacobian_update_in_place_and_rejects_a_different_size():
    plot = draw_jacobian([0.0, 0.0, 0.0])
    image = plot.image
    before = np.array(plot.image.get_array())
    plot.update([5.0, 0.0, -5.0])
    assert plot.image is image and not np.array_equal(before, plot.image.get_array())
    with pytest.raises(ValueError, match="must have 3 logits"):
        plot.update([1.0, 2.0])


def test_temperature_curve_goes_from_zero_to_log_c():
    x = [3.0, 1.0, -3.0]
    plot = draw_temperature(x)
    (curve, marker) = plot.ax.get_lines()[0], plot.marker
    t, h = curve.get_data()
    np.testing.assert_allclose(h, ct.entropy(ct.softmax(np.divide.outer(x, t).T)), rtol=1e-14, atol=1e-300)
    assert h[0] < 1e-15 and np.log(3) - 0.002 < h[-1] < np.log(3)
    assert (np.diff(h) >= 0).all(), "entropy of S(x/T) grows with T"
    assert plot.ax.get_xscale() == "log" and "nats" in plot.ax.get_ylabel()
    h1 = plot.update(T=1.0)["H"].item()
    assert h1 == pytest.approx(float(ct.entropy(ct.softmax(x))), rel=1e-15)
    assert marker.get_data()[0][0] == 1.0
    assert plot.update(T=1e-3)["H"].item() == 0.0 and "−0.000" not in plot.readout_text()
    assert plot.update(T=1e9)["H"].item() == pytest.approx(np.log(3), rel=1e-12)


@pytest.mark.parametrize("temperature", [0.0, -1.0, np.inf, np.nan])
def test_temperature_rejects_bad_temperature(temperature):
    plot = draw_temperature([1.0, 0.0])
    with pytest.raises(ValueError, match="temperature must be a positive finite number"):
        plot.update(T=temperature)


def test_temperature_rejects_bad_range():
    with pytest.raises(ValueError, match="t_min"):
        draw_temperature([1.0, 0.0], t_min=2.0, t_max=1.0)


@pytest.mark.parametrize("temperature", [0.01, 0.25, 1.0, 4.0, 1e6, np.int64(2), np.float32(0.5)])
def test_temperature_bars_show_softmax_of_x_over_t(temperature):
    x = np.array([3.0, 1.0, -3.0])
    plot = plotting.draw_temperature_bars(x, temperature)
    heights = np.array([bar.get_height() for bar in plot.bars])
    np.testing.assert_array_equal(heights, ct.softmax(x / float(temperature)))
    np.testing.assert_array_equal([bar.get_height() for bar in plot.reference], ct.softmax(x))
    assert plot.ax.get_ylabel() == "probability"
    state = plot.update(T=2.0)
    np.testing.assert_array_equal([bar.get_height() for bar in plot.bars], state["bars.height"])
    assert state["H"].item() == pytest.approx(float(ct.entropy(ct.softmax(x / 2.0))), rel=1e-15)
    plot.figure.canvas.draw()


def test_temperature_panels_one_per_temperature_sharpen_then_flatten():
    plots = plotting.draw_temperature_panels([3.0, 1.0, -3.0], (0.25, 1.0, 4.0, 16.0), names=("a", "b", "c"))
    tops = [max(bar.get_height() for bar in plot.bars) for plot in plots]
    assert tops == sorted(tops, reverse=True) and tops[0] > 0.999 and tops[-1] < 0.4
    assert [plot.ax.get_title() for plot in plots] == ["T = 0.25", "T = 1", "T = 4", "T = 16"]
    assert len({plot.ax.figure for plot in plots}) == 1


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: plotting.draw_temperature_bars([1.0, 0.0], 0.0), ValueError, "temperature must be a positive finite"),
        (lambda: plotting.draw_temperature_bars([1.0, 0.0], True), TypeError, "temperature must be a positive number"),
        (lambda: plotting.draw_temperature_bars([1.0], 1.0), ValueError, "at least 2 classes"),
        (lambda: plotting.draw_temperature_panels([1.0, 0.0], ()), ValueError, "temperatures must give 1 to 8"),
        (lambda: plotting.draw_temperature_panels([1.0, 0.0], (1.0, -2.0)), ValueError, "temperature must be"),
    ],
)
def test_temperature_bars_reject_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_temperature_explorer_plot_is_the_bars_and_the_curve_with_one_control():
    plot = plotting.TemperatureExplorerPlot([3.0, 1.0, -3.0], 4.0)
    assert plot.values == {"T": 4.0} and len(plot.figure.axes) == 2
    state = plot.update(T=0.25)
    q = ct.softmax(np.array([3.0, 1.0, -3.0]) / 0.25)
    np.testing.assert_array_equal(state["bars.height"], q)
    assert state["marker.x"].tolist() == [0.25] and state["marker.y"].item() == state["H"].item()
    assert state["H"].item() == float(ct.entropy(q))
    assert plot.readout_text().startswith("T = <b>0.25</b>") and "ln C = ln 3 = 1.099" in plot.readout_text()
    with pytest.raises(ValueError, match="temperature must be a positive finite number"):
        plot.update(T=-1.0)

"""The sliders of notebook 06 (ce_teach/widgets/mse.py), driven over their whole ranges and beyond.

After each move: the readout shows the right numbers (computed here independently with ce_teach), the
drawn artists show the same state, nothing on screen is NaN, "inf" or "-0.0", the same artists were
updated in place (no figure rebuilt) and the figure was redrawn once. pytest turns warnings into errors.
"""

import re

import numpy as np
import pytest
from widget_checks import artists, assert_clean, count_redraws, draw_for_real

import ce_teach as ct
from ce_teach import widgets

BEYOND = [-1e9, -1000.0, -50.0, 50.0, 1000.0, 1e9]  # outside every slider's range: the slider clamps


def readout_numbers(widget) -> list[float]:
    return [float(s.rstrip("%")) for s in re.findall(r"<b>([^<]+)</b>", widget.readout.value)]


def marker_xy(marker) -> tuple[float, float]:
    (x,), (y,) = marker.get_data()
    return float(x), float(y)


# --- gradients_vs_logit ---------------------------------------------------------------------------


def expected_gradients(x: float, z: float):
    g_ce = float(ct.sigmoid_cross_entropy_grad(z, x))
    g_mse = float(ct.sigmoid_squared_error_grad(z, x))
    return g_mse, g_ce, float(ct.sigmoid(x) * ct.sigmoid(-x))  # q(1 − q), with 1 − σ(x) = σ(−x) exactly


def shown(value: float) -> float:
    """The readout's rounding of a gradient size."""
    value = abs(value)
    return float(f"{value:.4f}") if value >= 1e-3 else float(f"{value:.2e}")


@pytest.mark.parametrize("label", [1.0, 0.0])
def test_gradients_vs_logit_over_the_whole_range(label):
    w = widgets.gradients_vs_logit(logit=-4.0, label=label)
    assert (w.x.min, w.x.max) == (-10.0, 10.0)
    redraws, drawn, changes = count_redraws(w), artists(w), 0
    for value in [*np.linspace(-10.0, 10.0, 101), *BEYOND]:
        x = min(max(value, -10.0), 10.0)
        changes += x != w.x.value
        w.x.value = value
        x = w.x.value
        assert abs(x) <= 10.0, "the slider clamps"
        g_mse, g_ce, ratio = expected_gradients(x, label)
        # readout: both losses, |∂CE/∂x|, |∂MSE/∂x|, and their ratio q(1 − q), rounded for display
        ce, mse = float(ct.sigmoid_cross_entropy_with_logits(label, x)), float(ct.sigmoid_squared_error(label, x))
        assert readout_numbers(w) == [float(f"{ce:.3g}"), float(f"{mse:.3g}"), shown(g_ce), shown(g_mse),
                                      shown(ratio)], w.readout.value
        assert w.readout.value.startswith(f"x = {x + 0.0:.1f}:"), "the readout names the slider's clamped value"
        assert marker_xy(w.plot.ce_grad_marker) == pytest.approx((x, g_ce), abs=1e-15)
        assert marker_xy(w.plot.mse_grad_marker) == pytest.approx((x, g_mse), rel=1e-12, abs=1e-300)
        assert marker_xy(w.plot.mse_loss_marker) == pytest.approx(
            (x, float(ct.sigmoid_squared_error(label, x))), rel=1e-12, abs=1e-300
        )
        if ce <= 4.0:
            assert marker_xy(w.plot.ce_loss_marker) == pytest.approx((x, ce), rel=1e-12)
            assert w.plot.ce_loss_marker.get_marker() == "o" and not w.plot.ce_clip_text.get_visible()
        else:  # off the top: a triangle on the top edge, labelled with the loss (never drawn at a false height)
            assert marker_xy(w.plot.ce_loss_marker) == pytest.approx((x, 4.0))
            assert w.plot.ce_loss_marker.get_marker() == "^"
            assert w.plot.ce_clip_text.get_visible() and f"CE = {ce:.3g}" in w.plot.ce_clip_text.get_text()
        assert_clean(w)
        if x in (-10.0, 10.0):
            draw_for_real(w)
    assert artists(w) == drawn, "artists are updated in place, never re-created"
    assert len(redraws) == changes, "each change redraws the figure once"


def test_gradients_vs_logit_changes_what_is_shown():
    w = widgets.gradients_vs_logit(logit=-4.0)
    before = (w.readout.value, w.plot.label_text.get_text(), marker_xy(w.plot.mse_grad_marker))
    w.x.value = -8.0
    after = (w.readout.value, w.plot.label_text.get_text(), marker_xy(w.plot.mse_grad_marker))
    assert all(b != a for b, a in zip(before, after, strict=True))
    loss_ce, loss_mse, ce, mse, ratio = readout_numbers(w)
    assert ce == 0.9997 and mse == 3.35e-04 and ratio == 3.35e-04  # the confident mistake: MSE barely moves
    assert loss_ce == 8.0 and loss_mse == 0.5  # the loss is 8.0003 nats: the readout says so


@pytest.mark.parametrize("label", [1.0, 0.0])
def test_gradient_plot_beyond_the_slider(label):
    """The plot object itself takes any finite logit: markers stay on the axes edge, numbers stay finite."""
    w = widgets.gradients_vs_logit(label=label)
    for x in [-1e9, -1000.0, -50.0, -1e-12, 0.0, 50.0, 1000.0, 1e9]:
        g_mse, g_ce, ratio = w.plot.update(x)
        assert all(np.isfinite([g_mse, g_ce, ratio]))
        assert ratio == pytest.approx(expected_gradients(x, label)[2], rel=1e-12, abs=1e-300)
        if g_ce != 0:
            assert g_mse / g_ce == pytest.approx(ratio, rel=1e-12)
        assert -10.0 <= marker_xy(w.plot.ce_loss_marker)[0] <= 10.0
        assert "-0.0" not in w.plot.label_text.get_text()
        if abs(x) in (1e9, 0.0):
            draw_for_real(w)


def test_gradients_vs_logit_started_beyond_its_range_shows_the_clamped_state():
    w = widgets.gradients_vs_logit(logit=50.0)
    assert w.x.value == 10.0
    assert marker_xy(w.plot.mse_grad_marker)[0] == 10.0
    assert readout_numbers(w)[3] == shown(expected_gradients(10.0, 1.0)[0])
    assert w.readout.value.startswith("x = 10.0:")


def test_gradient_plot_refuses_nonsense():
    w = widgets.gradients_vs_logit()
    for bad in (np.nan, np.inf):
        with pytest.raises(ValueError, match="logit must be a finite number"):
            w.plot.update(bad)
    with pytest.raises(ValueError, match="label must be 0 or 1, got 0.5"):
        widgets.gradients_vs_logit(label=0.5)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"limit": 0}, ValueError, "limit must be a positive finite number, got 0.0"),
        ({"limit": -3.0}, ValueError, "limit must be a positive finite number"),
        ({"limit": np.nan}, ValueError, "limit must be a positive finite number"),
        ({"limit": np.inf}, ValueError, "limit must be a positive finite number"),
        ({"limit": 0.5}, ValueError, "limit must be between 1 and 1000"),
        ({"limit": 1e6}, ValueError, "limit must be between 1 and 1000"),
        ({"limit": True}, TypeError, "limit must be a positive number, got True"),
        ({"limit": "10"}, TypeError, "limit must be a positive number"),
        ({"logit": np.nan}, ValueError, "logit must be a finite number"),
        ({"logit": None}, TypeError, "logit must be a number"),
    ],
)
def test_gradients_vs_logit_rejects_degenerate_settings(kwargs, error, words):
    with pytest.raises(error, match=re.escape(words)):
        widgets.gradients_vs_logit(**kwargs)


@pytest.mark.parametrize("limit", [np.int64(5), np.float32(5.0), 5])
def test_gradients_vs_logit_accepts_numpy_scalars_as_limit(limit):
    w = widgets.gradients_vs_logit(logit=-8.0, limit=limit)
    assert (w.x.min, w.x.max, w.x.value) == (-5.0, 5.0, -5.0)  # the start is clamped to the range
    assert w.readout.value.startswith("x = -5.0:")
    assert readout_numbers(w)[2] == shown(expected_gradients(-5.0, 1.0)[1])


# --- training_race --------------------------------------------------------------------------------


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(-1.0, 0.6, 20), rng.normal(1.0, 0.6, 20)])
    return x, np.repeat([0, 1], 20)


def assert_shows_the_race(w, x, y, steps=300):
    w0, lr = w.w0.value, w.lr.value
    mse = ct.train_logistic(x, y, loss="mse", w0=w0, lr=lr, steps=steps)
    ce = ct.train_logistic(x, y, loss="ce", w0=w0, lr=lr, steps=steps)
    for run, se_line, acc_line in zip((mse, ce), w.plot.se_lines, w.plot.acc_lines, strict=True):
        np.testing.assert_array_equal(se_line.get_xdata(), np.arange(steps + 1))
        np.testing.assert_array_equal(se_line.get_ydata(), run.squared_error)
        np.testing.assert_array_equal(acc_line.get_ydata(), run.accuracy)
    assert readout_numbers(w) == [round(100 * mse.accuracy[-1]), round(100 * ce.accuracy[-1])]
    assert f"{mse.squared_error[-1]:.4f} vs {ce.squared_error[-1]:.4f}" in w.readout.value
    assert f"{mse.cross_entropy[-1]:.3f} vs {ce.cross_entropy[-1]:.3f}" in w.readout.value
    assert_clean(w)


def test_training_race_over_the_whole_range_of_both_sliders(data):
    x, y = data
    w = widgets.training_race(x, y, w0=-8.0, lr=1.0)
    assert (w.w0.min, w.w0.max, w.lr.min, w.lr.max) == (-12.0, 4.0, 0.05, 4.0)
    redraws, drawn, changes = count_redraws(w), artists(w), 0
    moves = [("w0", v) for v in np.arange(-12.0, 4.01, 1.0)] + [("lr", v) for v in (0.05, 0.5, 2.0, 4.0)]
    moves += [("w0", -12.0), ("w0", 4.0), ("lr", 0.05)]  # the corners
    moves += [("w0", v) for v in BEYOND] + [("lr", v) for v in BEYOND]
    for name, value in moves:
        control = w.controls[name]
        target = min(max(value, control.min), control.max)
        changes += target != control.value
        control.value = value
        assert control.value == target
        assert_shows_the_race(w, x, y)
        if (w.w0.value, w.lr.value) in ((-12.0, 0.05), (4.0, 4.0), (-12.0, 4.0)):
            draw_for_real(w)
    assert artists(w) == drawn, "lines are updated in place, never re-created"
    assert len(redraws) == changes, "each change reruns the race and redraws once"


def test_training_race_shows_cross_entropy_winning_from_a_bad_start(data):
    x, y = data
    w = widgets.training_race(x, y, w0=-8.0, lr=1.0)
    mse_acc, ce_acc = readout_numbers(w)
    assert ce_acc == 100 and mse_acc < 10
    before = w.readout.value
    w.w0.value = 0.0  # a harmless start: squared error learns too
    assert w.readout.value != before
    assert readout_numbers(w)[0] > 90


def test_race_plot_follows_a_different_number_of_steps(data):
    x, y = data
    w = widgets.training_race(x, y, steps=40)
    assert w.plot.se_ax.get_xlim() == (0.0, 40.0)
    assert_shows_the_race(w, x, y, steps=40)
    short = [ct.train_logistic(x, y, loss=loss, w0=-8.0, lr=1.0, steps=5) for loss in ("mse", "ce")]
    w.plot.update(*short)
    assert w.plot.se_ax.get_xlim() == (0.0, 5.0)
    assert len(w.plot.se_lines[0].get_xdata()) == 6

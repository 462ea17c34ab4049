"""The sliders of notebooks 01–03 (ce_teach/widgets/information.py), driven over their whole ranges.

Every control of every widget is moved across its range, to its ends and beyond them (the slider clamps),
and after each move: the readout shows the right number (computed here independently with ce_teach),
the drawn artists show the same state, nothing on screen is NaN or "inf" or "-0.000", the same artists
were updated (no figure rebuilt) and the figure was redrawn. pytest turns any warning into an error.
"""

import itertools
import re

import numpy as np
import pytest
from widget_checks import artists, assert_clean, count_redraws, draw_for_real

import ce_teach as ct
from ce_teach import widgets

BEYOND = [-1e9, -50.0, 50.0, 1e9]  # values outside every slider's range


# --- helpers --------------------------------------------------------------------------------------


def readout_numbers(widget) -> list[float]:
    """The bold numbers of the readout, ∞ read as inf."""
    return [float(s.replace("∞", "inf")) for s in re.findall(r"<b>([^<]+)</b>", widget.readout.value)]


def bar_heights(bars) -> np.ndarray:
    return np.array([bar.get_height() for bar in bars])


def set_logits(widget, values) -> int:
    """Move the logit sliders; return how many of them changed (ipywidgets calls back only on a change)."""
    changed = 0
    for control, value in zip(widget.controls.values(), values, strict=True):
        changed += control.value != min(max(value, control.min), control.max)
        control.value = value
    return changed


def logit_sweeps(limit: float):
    """Each logit over its whole range while the others sit at −limit, at 0 or at +limit."""
    grid = np.linspace(-limit, limit, 11)
    for i, others in itertools.product(range(3), (-limit, 0.0, limit)):
        for value in grid:
            x = np.full(3, others)
            x[i] = value
            yield x


def new_corner(x, limit: float, seen: set) -> bool:
    """True the first time the sweep reaches a corner (every logit at ±limit): those get a real draw."""
    key = tuple(x)
    if not np.all(np.abs(x) == limit) or key in seen:
        return False
    seen.add(key)
    return True


CORNERS_BEYOND = [(50.0, -50.0, 1e9), (-1e9, -1e9, -1e9), (1e9, 1e9, 1e9), (1e9, -50.0, -1e9), (-50.0, 1e9, 50.0)]


# --- coin_entropy ---------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [2, None])
def test_coin_entropy_over_the_whole_range(base):
    w = widgets.coin_entropy(p=0.5, base=base)
    assert (w.p.min, w.p.max) == (0.0, 1.0)
    redraws, drawn, changes = count_redraws(w), artists(w), 0
    for value in [*np.linspace(0.0, 1.0, 101), *BEYOND]:
        p = min(max(value, 0.0), 1.0)
        changes += p != w.p.value  # ipywidgets only calls back when the value changes
        w.p.value = value
        assert w.p.value == p, "the slider clamps to [0, 1]"
        h = float(ct.entropy([p, 1 - p], base=base))
        assert abs(readout_numbers(w)[0] - h) <= 5e-5, w.readout.value
        np.testing.assert_allclose(np.asarray(w.plot.marker.get_data(), dtype=float), [[p], [h]], rtol=1e-12)
        assert f"p = {p:.2f}" in w.plot.label.get_text()
        assert ("bits" if base == 2 else "nats") in w.readout.value
        assert_clean(w)
        if p in (0.0, 0.5, 1.0):
            draw_for_real(w)
    assert artists(w) == drawn, "artists are updated in place, never re-created"
    assert len(redraws) == changes, "each change redraws the figure once"


def test_coin_entropy_changes_what_is_shown():
    w = widgets.coin_entropy(p=0.5)
    before = (w.readout.value, w.plot.label.get_text(), tuple(w.plot.marker.get_xydata().ravel()))
    w.p.value = 0.9
    after = (w.readout.value, w.plot.label.get_text(), tuple(w.plot.marker.get_xydata().ravel()))
    assert all(b != a for b, a in zip(before, after, strict=True))
    assert readout_numbers(w) == [0.469]


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_coin_entropy_starts_at_the_extremes(p):
    w = widgets.coin_entropy(p=p)
    assert readout_numbers(w) == [0.0]
    assert_clean(w)


# --- softmax_entropy ------------------------------------------------------------------------------


@pytest.mark.parametrize(("limit", "base"), [(10.0, 2), (10.0, None), (1000.0, 2)])
def test_softmax_entropy_over_the_whole_range(limit, base):
    w = widgets.softmax_entropy(limit=limit, base=base)
    assert list(w.controls) == ["x0", "x1", "x2"]
    assert all((c.min, c.max) == (-limit, limit) for c in w.controls.values())
    redraws, drawn, changes, corners = count_redraws(w), artists(w), 0, set()
    for x in logit_sweeps(limit):
        changes += set_logits(w, x)
        q = ct.softmax(x)
        np.testing.assert_allclose(bar_heights(w.plot.bars), q, rtol=1e-12, atol=0)
        assert abs(readout_numbers(w)[0] - float(ct.entropy(q, base=base))) <= 5e-5
        assert_clean(w)
        if new_corner(x, limit, corners):
            draw_for_real(w)
    assert artists(w) == drawn
    assert len(redraws) == changes, "each moved logit redraws the figure once"


def test_softmax_entropy_clamps_logits_beyond_the_range():
    w = widgets.softmax_entropy(limit=10.0)
    count_redraws(w)
    for values in CORNERS_BEYOND:
        set_logits(w, values)
        x = np.clip(values, -10.0, 10.0)
        assert [c.value for c in w.controls.values()] == list(x)
        np.testing.assert_allclose(bar_heights(w.plot.bars), ct.softmax(x), rtol=1e-12)
        assert_clean(w)
    draw_for_real(w)


def test_softmax_entropy_started_beyond_its_range_shows_the_clamped_state():
    w = widgets.softmax_entropy(logits=(50.0, -50.0, 0.0), limit=10.0)
    x = np.array([10.0, -10.0, 0.0])
    assert [c.value for c in w.controls.values()] == list(x)
    np.testing.assert_allclose(bar_heights(w.plot.bars), ct.softmax(x), rtol=1e-12)
    assert abs(readout_numbers(w)[0] - float(ct.entropy(ct.softmax(x), base=2))) <= 5e-5


def test_softmax_entropy_equal_logits_and_a_dominant_logit():
    w = widgets.softmax_entropy()
    set_logits(w, (3.0, 3.0, 3.0))
    assert readout_numbers(w) == [round(np.log2(3), 4)]
    assert "q = [0.333, 0.333, 0.333]" in w.readout.value
    title = w.plot.ax.get_title()
    set_logits(w, (10.0, -10.0, -10.0))
    assert readout_numbers(w)[0] < 1e-3 and w.plot.ax.get_title() != title


def test_softmax_entropy_with_probabilities_that_underflow_to_zero():
    w = widgets.softmax_entropy(limit=1000.0)
    set_logits(w, (1000.0, -1000.0, 0.0))
    assert bar_heights(w.plot.bars).tolist() == [1.0, 0.0, 0.0]
    assert readout_numbers(w) == [0.0]
    assert_clean(w)


# --- kl_explorer ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("limit", "base"), [(10.0, 2), (10.0, None)])
def test_kl_explorer_over_the_whole_range(limit, base):
    p = np.array([0.6, 0.3, 0.1])
    w = widgets.kl_explorer(p=p, limit=limit, base=base)
    assert all((c.min, c.max) == (-limit, limit) for c in w.controls.values())
    np.testing.assert_array_equal(bar_heights(w.plot.p_bars), p)
    redraws, drawn, changes, corners = count_redraws(w), artists(w), 0, set()
    for x in logit_sweeps(limit):
        changes += set_logits(w, x)
        q = ct.softmax(x)
        np.testing.assert_allclose(bar_heights(w.plot.q_bars), q, rtol=1e-12)
        np.testing.assert_array_equal(bar_heights(w.plot.p_bars), p)  # the target never moves
        forward, reverse = readout_numbers(w)
        assert abs(forward - float(ct.kl_divergence(p, q, base=base))) <= 5e-5
        assert abs(reverse - float(ct.kl_divergence(q, p, base=base))) <= 5e-5
        assert_clean(w)
        if new_corner(x, limit, corners):
            draw_for_real(w)
    assert artists(w) == drawn
    assert len(redraws) == changes


def test_kl_explorer_is_zero_when_q_equals_p():
    p = ct.softmax(np.array([1.0, 0.0, -1.0]))
    w = widgets.kl_explorer(p=p, q_logits=(0.0, 0.0, 0.0))
    assert min(readout_numbers(w)) > 0
    set_logits(w, (1.0, 0.0, -1.0))
    assert readout_numbers(w) == [0.0, 0.0]
    assert_clean(w)


def test_kl_explorer_clamps_logits_beyond_the_range():
    w = widgets.kl_explorer()
    count_redraws(w)
    for values in CORNERS_BEYOND:
        set_logits(w, values)
        np.testing.assert_allclose(bar_heights(w.plot.q_bars), ct.softmax(np.clip(values, -10, 10)), rtol=1e-12)
        assert_clean(w)
    draw_for_real(w)


def test_kl_explorer_shows_an_infinite_divergence_as_infinity():
    """p has an impossible outcome: D(q‖p) is infinite for every q > 0; with a huge range q can hit 0 too."""
    w = widgets.kl_explorer(p=(1.0, 0.0, 0.0), limit=1000.0)
    forward, reverse = readout_numbers(w)
    assert forward == pytest.approx(np.log2(3), rel=1e-4) and reverse == np.inf
    assert "∞" in w.readout.value and "∞" in w.plot.ax.get_title()
    assert_clean(w)
    set_logits(w, (-1000.0, 1000.0, -1000.0))  # q = (0, 1, 0): p's only outcome is impossible under q
    assert readout_numbers(w) == [np.inf, np.inf]
    assert_clean(w)
    set_logits(w, (1000.0, -1000.0, -1000.0))  # q = p exactly
    assert readout_numbers(w) == [0.0, 0.0]
    assert_clean(w)


# --- true_class_loss ------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [None, 2])
def test_true_class_loss_over_the_whole_range(base):
    w = widgets.true_class_loss(q=0.7, base=base)
    assert (w.q.min, w.q.max) == (0.0, 1.0)
    ymax = w.plot.ax.get_ylim()[1]
    redraws, drawn = count_redraws(w), artists(w)
    for value in [*np.linspace(0.0, 1.0, 101), 1e-3, 1e-4, 1e-300, *BEYOND]:
        w.q.value = value
        q = min(max(value, 0.0), 1.0)
        assert w.q.value == q
        with np.errstate(divide="ignore"):
            loss = -np.log(q) / (1.0 if base is None else np.log(base))
        (shown,) = readout_numbers(w)
        assert shown == np.inf if q == 0 else abs(shown - loss) <= 5e-5
        x, y = np.asarray(w.plot.marker.get_data(), dtype=float)
        assert x[0] == q and y[0] == min(loss, ymax), "an infinite loss is drawn at the top edge"
        assert_clean(w)
        if q in (0.0, 1e-300, 1.0):
            draw_for_real(w)
    assert artists(w) == drawn
    assert redraws


def test_true_class_loss_at_the_ends():
    w = widgets.true_class_loss(q=0.0)
    assert readout_numbers(w) == [np.inf] and "<b>∞</b>" in w.readout.value
    assert "loss = ∞" in w.plot.label.get_text()
    assert_clean(w)
    w.q.value = 1.0
    assert "<b>0.0000</b>" in w.readout.value, "−log 1 is 0, not −0"
    assert "loss = 0.000" in w.plot.label.get_text()
    assert_clean(w)


def test_true_class_loss_changes_what_is_shown():
    w = widgets.true_class_loss(q=0.7)
    before = (w.readout.value, w.plot.label.get_text(), tuple(w.plot.marker.get_xydata().ravel()))
    w.q.value = 0.1
    after = (w.readout.value, w.plot.label.get_text(), tuple(w.plot.marker.get_xydata().ravel()))
    assert all(b != a for b, a in zip(before, after, strict=True))
    assert readout_numbers(w) == [2.3026]


# --- all four -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make", [widgets.coin_entropy, widgets.softmax_entropy, widgets.kl_explorer, widgets.true_class_loss]
)
def test_widget_layout(make):
    w = make()
    assert isinstance(w, widgets.LiveWidget)
    assert list(w.children) == [*w.controls.values(), w.readout, w.figure.canvas]
    assert tuple(w.figure.get_size_inches()) == (6.0, 3.2)
    assert all(c.continuous_update for c in w.controls.values())
    assert_clean(w)

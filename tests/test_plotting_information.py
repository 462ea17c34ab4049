"""The figures of notebooks 00–03 (ce_teach/plotting/information.py).

Each draw_* works with ax=None (a new fixed-size figure) and with a given ax (drawing there, making no new
figure) and returns the artists it drew. The live plots (LivePlot) compute their state in numpy, on a whole
grid of control values at once: here that state is held to ce_teach's scalar results, bit for bit, and
``update`` to the artists. The static ones (draw_distribution, draw_pair) return the number they show.
tests/conftest.py selects the Agg backend and closes every figure after each test.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D

import ce_teach as ct
from ce_teach import plotting
from ce_teach.plotting._common import FIGSIZE

DRAWERS = {
    "binary_entropy": lambda ax: plotting.draw_binary_entropy(0.3, ax=ax),
    "distribution": lambda ax: plotting.draw_distribution([0.2, 0.3, 0.5], ax=ax),
    "pair": lambda ax: plotting.draw_pair([0.6, 0.3, 0.1], [0.2, 0.3, 0.5], ax=ax),
    "surprise": lambda ax: plotting.draw_surprise(0.7, ax=ax),
    "surprise_log": lambda ax: plotting.draw_surprise_log(0.7, ax=ax),
    "softmax_entropy": lambda ax: plotting.draw_softmax_entropy((1.0, 0.0, -1.0), ax=ax),
    "kl_pair": lambda ax: plotting.draw_kl_pair((0.6, 0.3, 0.1), (0.0, 0.0, 0.0), ax=ax),
}


@pytest.fixture(autouse=True)
def _no_show(monkeypatch):
    """Plotting functions never call plt.show(): the notebook's cell does."""

    def refuse(*args, **kwargs):
        raise AssertionError("a plotting function called plt.show()")

    monkeypatch.setattr(plt, "show", refuse)


@pytest.mark.parametrize("name", DRAWERS)
def test_ax_none_makes_one_new_figure_of_the_fixed_size(name):
    before = set(plt.get_fignums())
    plot = DRAWERS[name](None)
    new = set(plt.get_fignums()) - before
    assert len(new) == 1
    figure = plt.figure(new.pop())
    assert plot.ax.figure is figure and figure.axes == [plot.ax]
    assert tuple(figure.get_size_inches()) == FIGSIZE


@pytest.mark.parametrize("name", DRAWERS)
def test_a_given_ax_is_drawn_on_and_no_figure_is_made(name):
    figure, (left, right) = plt.subplots(1, 2)
    before = plt.get_fignums()
    plot = DRAWERS[name](right)
    assert plt.get_fignums() == before
    assert plot.ax is right
    assert right.has_data() and not left.has_data()


@pytest.mark.parametrize("name", DRAWERS)
def test_the_figure_renders(name):
    plot = DRAWERS[name](None)
    plot.ax.figure.canvas.draw()


# --- draw_binary_entropy --------------------------------------------------------------------------


def test_binary_entropy_returns_its_artists():
    plot = plotting.draw_binary_entropy(0.3)
    assert isinstance(plot, plotting.BinaryEntropyPlot)
    assert isinstance(plot.marker, Line2D) and plot.marker in plot.ax.lines
    assert plot.moving == {"marker": plot.marker} and not plot.ax.texts, "no text moves: numbers go to the readout"
    (curve,) = [line for line in plot.ax.lines if line is not plot.marker]
    x, y = curve.get_data()
    assert x[0] == 0 and x[-1] == 1 and np.all(np.isfinite(y))
    assert y[0] == y[-1] == 0 and np.max(y) == 1.0  # bits: 0 at the ends, 1 at p = 1/2
    assert plot.ax.get_ylabel() == "entropy H(p) [bits]"


@pytest.mark.parametrize("base", [2, None])
def test_binary_entropy_update_moves_the_marker(base):
    plot = plotting.draw_binary_entropy(0.5, base=base)
    title, limits = plot.ax.get_title(), (plot.ax.get_xlim(), plot.ax.get_ylim())
    for p in [0.0, 0.1, 0.5, 0.9, 1.0]:
        state = plot.update(p=p)
        h = float(ct.entropy([p, 1 - p], base=base))
        assert state["H"].item() == h
        assert plot.marker.get_data() == ([p], [h])
        assert plot.readout_text() == f"H(p) = <b>{h:.4f}</b> {'bits' if base == 2 else 'nats'}"
    assert (plot.ax.get_title(), (plot.ax.get_xlim(), plot.ax.get_ylim())) == (title, limits)


@pytest.mark.parametrize("p", [-0.01, 1.01, np.nan])
def test_binary_entropy_rejects_a_p_that_is_not_a_probability(p):
    with pytest.raises(ValueError, match=r"p must be a probability in \[0, 1\]"):
        plotting.draw_binary_entropy(p)


# --- draw_softmax_entropy (live: the logits move) ------------------------------------------------

LOGITS = np.arange(-6.0, 6.25, 0.25)  # the sliders' positions


def logit_grid(n: int = 3) -> dict[str, np.ndarray]:
    """Every position of n logit sliders, each on its own axis (as the live layer passes them)."""
    return {f"x{i}": LOGITS.reshape([-1 if k == i else 1 for k in range(n)] + [1]) for i in range(n)}


def sample_points(n: int = 3, count: int = 60):
    rng = np.random.default_rng(1)
    corners = [tuple(int(c) for c in corner) for corner in np.ndindex(*(2,) * n)]
    points = [tuple(-1 if c else 0 for c in corner) for corner in corners]
    return points + [tuple(int(i) for i in rng.integers(LOGITS.size, size=n)) for _ in range(count)]


@pytest.mark.parametrize("base", [2, None])
def test_softmax_entropy_state_on_the_grid_equals_the_scalar_computation_bit_for_bit(base):
    plot = plotting.draw_softmax_entropy((1.0, 0.0, -1.0), base=base)
    state = plot.state(**logit_grid())
    assert state["bars.height"].shape == (49, 49, 49, 3) and state["H"].shape == (49, 49, 49, 1)
    for index in sample_points():
        x = LOGITS[list(index)]
        q = ct.softmax(x)
        assert np.array_equal(state["bars.height"][index], q), x
        assert state["H"][index][0] == ct.entropy(q, base=base), x
        assert [state[f"q{i}"][index][0] for i in range(3)] == q.tolist()


def test_softmax_entropy_update_and_readout():
    plot = plotting.draw_softmax_entropy((1.0, 0.0, -1.0), names="abc")
    assert isinstance(plot, plotting.SoftmaxEntropyPlot) and plot.values == {"x0": 1.0, "x1": 0.0, "x2": -1.0}
    assert [t.get_text() for t in plot.ax.get_xticklabels()] == ["a", "b", "c"]
    assert plot.readout_text() == "q = softmax(x) = (0.665, 0.245, 0.090) &nbsp; H(q) = <b>1.2009</b> bits"
    title, limits = plot.ax.get_title(), plot.ax.get_ylim()
    plot.update(x0=3.0, x1=3.0, x2=3.0)
    assert [bar.get_height() for bar in plot.bars] == ct.softmax([3.0, 3.0, 3.0]).tolist()
    assert plot.readout_text() == f"q = softmax(x) = (0.333, 0.333, 0.333) &nbsp; H(q) = <b>{np.log2(3):.4f}</b> bits"
    plot.update(x0=6.0, x1=-6.0, x2=-6.0)
    assert plot.readout_text().endswith("H(q) = <b>0.0002</b> bits")
    assert (plot.ax.get_title(), plot.ax.get_ylim()) == (title, limits) == ("q = softmax(x)", (0.0, 1.0))
    with pytest.raises(TypeError, match="no control named"):
        plot.update(x3=1.0)


def test_softmax_entropy_with_two_logits():
    plot = plotting.draw_softmax_entropy((0.0, 0.0), names=("heads", "tails"), base=None)
    assert plot.readout_text() == f"q = softmax(x) = (0.500, 0.500) &nbsp; H(q) = <b>{np.log(2):.4f}</b> nats"


@pytest.mark.parametrize(
    ("logits", "names", "match"),
    [
        ((1.0,), ("a",), "2 or 3 logits"),
        ((1.0, 0.0, 0.0, 0.0), "abcd", "2 or 3 logits"),
        ([[1.0, 0.0, 0.0]], "abc", "2 or 3 logits"),
        ((np.nan, 0.0, 0.0), "abc", "NaN"),
        ((np.inf, 0.0, 0.0), "abc", "inf"),
        ((1.0, 0.0, 0.0), ("a", "b"), "names"),
    ],
)
def test_softmax_entropy_refuses_bad_logits_and_names(logits, names, match):
    with pytest.raises(ValueError, match=match):
        plotting.draw_softmax_entropy(logits, names=names)


# --- draw_kl_pair (live: q's logits move) ---------------------------------------------------------


@pytest.mark.parametrize("base", [2, None])
def test_kl_pair_state_on_the_grid_equals_the_scalar_computation_bit_for_bit(base):
    p = np.array([0.6, 0.3, 0.1])
    plot = plotting.draw_kl_pair(p, (0.0, 0.0, 0.0), base=base)
    state = plot.state(**logit_grid())
    assert state["q.height"].shape == (49, 49, 49, 3) and set(state) == {"q.height", "forward", "reverse"}
    for index in sample_points():
        q = ct.softmax(LOGITS[list(index)])
        assert np.array_equal(state["q.height"][index], q)
        assert state["forward"][index][0] == ct.kl_divergence(p, q, base=base)
        assert state["reverse"][index][0] == ct.kl_divergence(q, p, base=base)


def test_kl_pair_moves_only_q_and_keeps_p():
    p = np.array([0.6, 0.3, 0.1])
    plot = plotting.draw_kl_pair(p, (0.0, 0.0, 0.0), names="abc")
    assert isinstance(plot, plotting.KLPairPlot) and plot.moving == {"q": plot.q_bars}
    assert [b.get_height() for b in plot.p_bars] == p.tolist()
    assert [b.get_height() for b in plot.q_bars] == ct.softmax(np.zeros(3)).tolist()
    (legend,) = plot.ax.figure.legends  # above the axes, out of the bars' way
    assert [t.get_text() for t in legend.get_texts()] == ["p (target)", "q = softmax(x) (model)"]
    assert plot.readout_text() == "D(p‖q) = <b>0.2895</b> bits &nbsp; D(q‖p) = <b>0.3470</b> bits"
    plot.update(x1=-0.75, x2=-1.75)  # the nearest the sliders get to x = ln p
    assert plot.readout_text() == "D(p‖q) = <b>0.0007</b> bits &nbsp; D(q‖p) = <b>0.0007</b> bits"
    assert [b.get_height() for b in plot.p_bars] == p.tolist() and plot.ax.get_title() == ""


def test_kl_pair_shows_an_infinite_divergence_as_a_red_infinity():
    plot = plotting.draw_kl_pair((1.0, 0.0, 0.0), (0.0, 0.0, 0.0))
    state = plot.state_at()
    assert state["forward"].item() == pytest.approx(np.log2(3), rel=1e-15) and state["reverse"].item() == np.inf
    assert plot.readout_text() == (
        f"D(p‖q) = <b>{np.log2(3):.4f}</b> bits &nbsp; D(q‖p) = <b><b style='color:#C44E52'>∞</b></b> bits"
    )


@pytest.mark.parametrize(
    ("p", "logits", "match"),
    [
        ((0.6, 0.3, 0.2), (0.0, 0.0, 0.0), "sum to 1"),
        ((0.5, 0.5), (0.0, 0.0, 0.0), "one probability per logit"),
        ((0.6, 0.3, 0.1), (0.0, 0.0), "one probability per logit"),
        ((0.6, 0.3, 0.1), (0.0, np.nan, 0.0), "NaN"),
        ((1.2, -0.3, 0.1), (0.0, 0.0, 0.0), "p"),
    ],
)
def test_kl_pair_refuses_a_bad_target_or_logits(p, logits, match):
    with pytest.raises(ValueError, match=match):
        plotting.draw_kl_pair(p, logits)


# --- draw_distribution ----------------------------------------------------------------------------


def test_distribution_returns_its_bars_and_titles_the_entropy():
    plot = plotting.draw_distribution([0.2, 0.3, 0.5], names=["a", "b", "c"], title="q")
    assert isinstance(plot, plotting.DistributionBars)
    assert isinstance(plot.bars, BarContainer) and plot.bars in plot.ax.containers
    assert [bar.get_height() for bar in plot.bars] == [0.2, 0.3, 0.5]
    assert [t.get_text() for t in plot.ax.get_xticklabels()] == ["a", "b", "c"]
    h = float(ct.entropy([0.2, 0.3, 0.5], base=2))
    assert plot.ax.get_title() == f"q:  H = {h:.3f} bits"


def test_distribution_update_changes_the_bars():
    plot = plotting.draw_distribution([0.2, 0.3, 0.5], base=None)
    for q in ([1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], ct.softmax([50.0, -50.0, 0.0])):
        h = plot.update(q)
        assert h == float(ct.entropy(q))
        assert [bar.get_height() for bar in plot.bars] == list(np.asarray(q, dtype=float))
        assert plot.ax.get_title() == f"p:  H = {h:.3f} nats"
    assert plotting.draw_distribution([1.0, 0.0, 0.0]).ax.get_title() == "p:  H = 0.000 bits"


def test_distribution_update_rejects_a_non_distribution():
    plot = plotting.draw_distribution([0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="must sum to 1"):
        plot.update([0.2, 0.3, 0.6])


# --- draw_pair ------------------------------------------------------------------------------------


def test_pair_returns_both_bar_sets_and_titles_both_divergences():
    p, q = np.array([0.6, 0.3, 0.1]), np.array([0.2, 0.3, 0.5])
    plot = plotting.draw_pair(p, q, names=["a", "b", "c"])
    assert isinstance(plot, plotting.PairBars)
    assert plot.p_bars in plot.ax.containers and plot.q_bars in plot.ax.containers
    assert [b.get_height() for b in plot.p_bars] == list(p) and [b.get_height() for b in plot.q_bars] == list(q)
    (legend,) = plot.ax.figure.legends  # above the axes, out of the bars' way
    assert [t.get_text() for t in legend.get_texts()] == ["p (target)", "q (model)"]
    forward, reverse = float(ct.kl_divergence(p, q, base=2)), float(ct.kl_divergence(q, p, base=2))
    assert plot.ax.get_title() == f"D(p‖q) = {forward:.3f} bits    D(q‖p) = {reverse:.3f} bits"


def test_pair_update_moves_only_q():
    p = np.array([0.6, 0.3, 0.1])
    plot = plotting.draw_pair(p, [0.2, 0.3, 0.5])
    title = plot.ax.get_title()
    forward, reverse = plot.update(p)
    assert (forward, reverse) == (0.0, 0.0)
    assert [b.get_height() for b in plot.q_bars] == list(p) and [b.get_height() for b in plot.p_bars] == list(p)
    assert plot.ax.get_title() != title


def test_pair_shows_an_infinite_divergence_as_infinity():
    plot = plotting.draw_pair([1.0, 0.0], [0.5, 0.5])
    assert plot.ax.get_title() == "D(p‖q) = 1.000 bits    D(q‖p) = ∞ bits"
    assert plot.update([0.0, 1.0]) == (np.inf, np.inf)
    assert plot.ax.get_title() == "D(p‖q) = ∞ bits    D(q‖p) = ∞ bits"
    plot.ax.figure.canvas.draw()


# --- draw_surprise (live: q moves) ----------------------------------------------------------------


def test_surprise_returns_its_artists():
    plot = plotting.draw_surprise(0.7, ymax=6.0)
    assert isinstance(plot, plotting.SurprisePlot)
    assert plot.moving == {"marker": plot.marker} and plot.marker in plot.ax.lines and not plot.ax.texts
    assert plot.ax.get_ylim() == (0.0, 6.0)
    assert plot.ax.get_ylabel() == "loss −log q [nats]"


@pytest.mark.parametrize("base", [None, 2])
def test_surprise_state_on_the_grid_equals_the_scalar_loss(base):
    plot = plotting.draw_surprise(0.5, base=base)
    q = np.linspace(0.0, 1.0, 1001)[:, None]
    state = plot.state(q=q)
    with np.errstate(divide="ignore"):
        loss = np.array([-np.log(v) / (np.log(base) if base else 1.0) for v in q[:, 0]])
    np.testing.assert_array_equal(state["loss"][:, 0], loss + 0.0)
    np.testing.assert_array_equal(state["marker.y"][:, 0], np.minimum(loss, 8.0))
    assert not np.signbit(state["loss"]).any(), "−log 1 is +0.0, not −0.0"


@pytest.mark.parametrize("base", [None, 2])
def test_surprise_update_follows_minus_log_q(base):
    plot = plotting.draw_surprise(0.5, base=base)
    unit = "bits" if base == 2 else "nats"
    for q in [0.9, 0.5, 0.1, 1e-3]:
        loss = plot.update(q=q)["loss"].item()
        assert loss == pytest.approx(-np.log(q) / (np.log(base) if base else 1.0), rel=1e-15)
        assert plot.marker.get_data() == ([q], [min(loss, 8.0)])
        assert plot.readout_text() == f"q(true class) = {q:.3f}: loss = −log q = <b>{loss:.4f}</b> {unit}"


def test_surprise_at_the_ends():
    plot = plotting.draw_surprise(0.0)
    assert plot.state_at()["loss"].item() == np.inf
    assert plot.marker.get_data() == ([0.0], [8.0]), "an infinite loss is drawn at the top edge"
    assert plot.readout_text() == "q(true class) = 0.000: loss = −log q = <b><b style='color:#C44E52'>∞</b></b> nats"
    plot.update(q=1.0)
    assert plot.readout_text() == "q(true class) = 1.000: loss = −log q = <b>0.0000</b> nats"


@pytest.mark.parametrize("q", [-1e-9, 1.5, np.nan])
def test_surprise_rejects_a_q_that_is_not_a_probability(q):
    with pytest.raises(ValueError, match=r"q must be a probability in \[0, 1\]"):
        plotting.draw_surprise(q)

"""The figures of notebooks 01–03 (ce_teach/plotting/information.py).

Each draw_* works with ax=None (a new fixed-size figure) and with a given ax (drawing there, making no new
figure), returns the artists it drew, and its update() changes those artists in place and returns the
number it shows. tests/conftest.py selects the Agg backend and closes every figure after each test.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.text import Text

import ce_teach as ct
from ce_teach import plotting
from ce_teach.plotting._common import FIGSIZE

DRAWERS = {
    "binary_entropy": lambda ax: plotting.draw_binary_entropy(0.3, ax=ax),
    "distribution": lambda ax: plotting.draw_distribution([0.2, 0.3, 0.5], ax=ax),
    "pair": lambda ax: plotting.draw_pair([0.6, 0.3, 0.1], [0.2, 0.3, 0.5], ax=ax),
    "surprise": lambda ax: plotting.draw_surprise(0.7, ax=ax),
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
    assert isinstance(plot.label, Text) and plot.label in plot.ax.texts
    (curve,) = [line for line in plot.ax.lines if line is not plot.marker]
    x, y = curve.get_data()
    assert x[0] == 0 and x[-1] == 1 and np.all(np.isfinite(y))
    assert y[0] == y[-1] == 0 and np.max(y) == 1.0  # bits: 0 at the ends, 1 at p = 1/2
    assert plot.ax.get_ylabel() == "entropy H(p) [bits]"


@pytest.mark.parametrize("base", [2, None])
def test_binary_entropy_update_moves_the_marker(base):
    plot = plotting.draw_binary_entropy(0.5, base=base)
    label = plot.label.get_text()
    for p in [0.0, 0.1, 0.5, 0.9, 1.0]:
        h = plot.update(p)
        assert h == float(ct.entropy([p, 1 - p], base=base))
        assert plot.marker.get_data() == ([p], [h])
        assert plot.label.get_text() == f"p = {p:.2f}:  H = {h:.3f} {'bits' if base == 2 else 'nats'}"
    assert plot.label.get_text() != label


@pytest.mark.parametrize("p", [-0.01, 1.01, np.nan])
def test_binary_entropy_rejects_a_p_that_is_not_a_probability(p):
    plot = plotting.draw_binary_entropy(0.5)
    with pytest.raises(ValueError, match=r"p must be a probability in \[0, 1\]"):
        plot.update(p)


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


# --- draw_surprise --------------------------------------------------------------------------------


def test_surprise_returns_its_artists():
    plot = plotting.draw_surprise(0.7, ymax=6.0)
    assert isinstance(plot, plotting.SurprisePlot)
    assert plot.marker in plot.ax.lines and plot.label in plot.ax.texts
    assert plot.ax.get_ylim() == (0.0, 6.0)
    assert plot.ax.get_ylabel() == "loss −log q [nats]"


@pytest.mark.parametrize("base", [None, 2])
def test_surprise_update_follows_minus_log_q(base):
    plot = plotting.draw_surprise(0.5, base=base)
    unit = "bits" if base == 2 else "nats"
    for q in [0.9, 0.5, 0.1, 1e-3]:
        loss = plot.update(q)
        assert loss == pytest.approx(-np.log(q) / (np.log(base) if base else 1.0), rel=1e-15)
        assert plot.marker.get_data() == ([q], [min(loss, 8.0)])
        assert plot.label.get_text() == f"q(true class) = {q:.3f}:  loss = {loss:.3f} {unit}"


def test_surprise_at_the_ends():
    plot = plotting.draw_surprise(0.0)
    assert plot.update(0.0) == np.inf
    assert plot.marker.get_data() == ([0.0], [8.0]), "an infinite loss is drawn at the top edge"
    assert plot.label.get_text() == "q(true class) = 0.000:  loss = ∞ nats"
    loss = plot.update(1.0)
    assert loss == 0.0 and np.copysign(1.0, loss) == 1.0, "−log 1 is +0.0, not −0.0"
    assert plot.label.get_text() == "q(true class) = 1.000:  loss = 0.000 nats"


@pytest.mark.parametrize("q", [-1e-9, 1.5, np.nan])
def test_surprise_rejects_a_q_that_is_not_a_probability(q):
    plot = plotting.draw_surprise(0.5)
    with pytest.raises(ValueError, match=r"q must be a probability in \[0, 1\]"):
        plot.update(q)

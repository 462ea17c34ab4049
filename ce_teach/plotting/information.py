"""Figures for entropy, KL divergence and cross-entropy (notebooks 01–03)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .. import _validate as v
from ..information import cross_entropy, entropy, kl_divergence
from ._common import ACCENT_COLOUR, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above, log, set_title_text, unit
from ._live import LivePlot, stack_last

__all__ = [
    "BinaryEntropyPlot",
    "DistributionBars",
    "PairBars",
    "SurprisePlot",
    "CrossEntropyCurve",
    "SurpriseLogPlot",
    "draw_cross_entropy_vs_q",
    "draw_surprise_log",
    "draw_binary_entropy",
    "draw_distribution",
    "draw_pair",
    "draw_surprise",
]


def _binary_entropy(p: float, base) -> float:
    return float(entropy([p, 1.0 - p], base=base))


def _probability(value, name: str) -> float:
    """A single probability in [0, 1], or a ValueError naming the argument (a marker off the curve is a bug)."""
    value = v.real_number(value, name, "a probability in [0, 1]")
    if not 0.0 <= value <= 1.0:  # also rejects NaN
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")
    return value


def _surprise(q, base) -> tuple[float, float]:
    """(q, −log q) for one probability q of the true class; −log 0 is ∞."""
    q = _probability(q, "q")
    return q, float(-log(q, base)) + 0.0  # + 0.0 turns −log 1 = −0.0 into 0.0, so no "-0.000" is shown


def _bars(values, name: str, n: int | None = None) -> np.ndarray:
    """One row of bar heights (1-D; ``n`` of them if given) as floats, or an error naming ``name``."""
    row = v.as_real_array(values, name)
    if row.ndim != 1 or row.size == 0 or (n is not None and row.size != n):
        size = f"{n} entries" if n is not None else "at least one entry"
        raise ValueError(f"{name} must be a 1-D array with {size}, got shape {row.shape}")
    return row.astype(float)


def _shown(value: float, digits: int = 3) -> str:
    """A number for a figure label: fixed digits, ∞ for an infinite loss (as the widgets' readouts)."""
    return "∞" if value == np.inf else f"{value:.{digits}f}"


class BinaryEntropyPlot(LivePlot):
    """The binary-entropy curve H(p, 1 − p) with a marker at the current p; the readout gives H."""

    labels = {"p": "p = P(heads)"}

    def __init__(self, p: float = 0.5, *, base=2, ax=None):
        self.base = base
        self.values = {"p": _probability(p, "p")}
        self.readout = f"H(p) = <b>{{H:.4f}}</b> {unit(base)}"
        ax = axes(ax)
        grid = np.linspace(0.0, 1.0, 401)
        curve = [_binary_entropy(g, base) for g in grid]
        ax.plot(grid, curve, color=TARGET_COLOUR)
        (marker,) = ax.plot([], [], "o", color=ACCENT_COLOUR, markersize=9)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, max(curve) * 1.12)
        ax.set_xlabel("p = P(heads)")
        ax.set_ylabel(f"entropy H(p) [{unit(base)}]")
        ax.set_title("Entropy of a coin")
        self.ax, self.figure, self.marker = ax, ax.figure, marker
        self.moving = {"marker": marker}
        self.update()

    def state(self, p):
        h = entropy(stack_last(p, 1.0 - p), base=self.base)[..., None]
        return {"marker.x": p, "marker.y": h, "H": h}


def draw_binary_entropy(p: float = 0.5, *, base=2, ax=None) -> BinaryEntropyPlot:
    """Plot H(p) = −p log p − (1 − p) log(1 − p) for a coin with P(heads) = p, marking the given p."""
    return BinaryEntropyPlot(p, base=base, ax=ax)


@dataclass
class DistributionBars:
    """Bars of one distribution, with its entropy in the title."""

    ax: Axes
    bars: BarContainer
    title: str
    base: object = 2

    def update(self, p) -> float:
        p = _bars(p, "p", len(self.bars))
        for bar, height in zip(self.bars, p, strict=True):
            bar.set_height(height)
        h = float(entropy(p, base=self.base))
        set_title_text(self.ax, f"{self.title}:  H = {h:.3f} {unit(self.base)}")
        return h


def draw_distribution(p, *, names=None, title="p", base=2, ax=None) -> DistributionBars:
    """Bar chart of a distribution p over named outcomes, with H(p) in the title."""
    p = _bars(p, "p")
    names = v.check_names(names, p.size) if names is not None else [str(i) for i in range(p.size)]
    ax = axes(ax)
    bars = ax.bar(names, p, color=TARGET_COLOUR)
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    plot = DistributionBars(ax, bars, title, base)
    plot.update(p)
    return plot


@dataclass
class PairBars:
    """Side-by-side bars of a target p and a model q, with D(p‖q) and D(q‖p) in the title."""

    ax: Axes
    p_bars: BarContainer
    q_bars: BarContainer
    p: np.ndarray
    base: object = 2

    def update(self, q) -> tuple[float, float]:
        q = _bars(q, "q", len(self.q_bars))
        for bar, height in zip(self.q_bars, q, strict=True):
            bar.set_height(height)
        forward = float(kl_divergence(self.p, q, base=self.base))
        reverse = float(kl_divergence(q, self.p, base=self.base))
        u = unit(self.base)
        set_title_text(self.ax, f"D(p‖q) = {_shown(forward)} {u}    D(q‖p) = {_shown(reverse)} {u}")
        return forward, reverse


def draw_pair(p, q, *, names=None, base=2, ax=None) -> PairBars:
    """Bars of p (target) and q (model) side by side, titled with both KL divergences."""
    p = _bars(p, "p")
    q = _bars(q, "q (one probability per entry of p)", p.size)
    names = v.check_names(names, p.size) if names is not None else [str(i) for i in range(p.size)]
    ax = axes(ax)
    where = np.arange(p.size)
    p_bars = ax.bar(where - 0.2, p, width=0.4, color=TARGET_COLOUR, label="p (target)")
    q_bars = ax.bar(where + 0.2, q, width=0.4, color=MODEL_COLOUR, label="q (model)")
    ax.set_xticks(where, names)
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    legend_above(ax.figure, [p_bars, q_bars])
    plot = PairBars(ax, p_bars, q_bars, p, base)
    plot.update(q)
    return plot


@dataclass
class SurprisePlot:
    """The loss −log q of the true class against q, with a marker at the current q."""

    ax: Axes
    marker: Line2D
    label: Text
    base: object = None

    def update(self, q: float) -> float:
        q, loss = _surprise(q, self.base)
        shown = min(loss, self.ax.get_ylim()[1])  # an infinite loss is drawn at the top edge
        self.marker.set_data([q], [shown])
        self.label.set_text(f"q(true class) = {q:.3f}:  loss = {_shown(loss)} {unit(self.base)}")
        return loss


def draw_surprise(q: float = 0.7, *, base=None, ymax: float = 8.0, ax=None) -> SurprisePlot:
    """Plot the surprise −log q (the one-hot cross-entropy loss) against the probability q of the truth."""
    ymax = v.positive_number(ymax, "ymax", "the top of the loss axis")
    ax = axes(ax)
    grid = np.linspace(1e-4, 1.0, 500)
    ax.plot(grid, -log(grid, base), color=TARGET_COLOUR)
    (marker,) = ax.plot([], [], "o", color=ACCENT_COLOUR, markersize=9)
    label = ax.text(0.97, 0.9, "", transform=ax.transAxes, ha="right")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, ymax)
    ax.set_xlabel("q = probability the model gives the true class")
    ax.set_ylabel(f"loss −log q [{unit(base)}]")
    plot = SurprisePlot(ax, marker, label, base)
    plot.update(q)
    return plot


# --- notebook 03: cross-entropy against q, and the surprise −log q on a logarithmic q axis ------------------


@dataclass
class CrossEntropyCurve:
    """H(p, q) of a coin against the model's q, its floor H(p), and the minimum at q = p."""

    ax: Axes
    curve: Line2D
    floor: Line2D
    minimum: Line2D
    grid: np.ndarray
    base: object = None

    def update(self, p: float) -> tuple[float, float]:
        """Redraw for the truth p; return (the q where the drawn curve is lowest, H(p))."""
        p = _probability(p, "p")
        target = np.broadcast_to([p, 1.0 - p], (self.grid.size, 2))
        ce = cross_entropy(target, np.stack([self.grid, 1.0 - self.grid], axis=1), base=self.base)
        h = _binary_entropy(p, self.base)
        self.curve.set_data(self.grid, ce)
        self.floor.set_data([0.0, 1.0], [h, h])
        self.minimum.set_data([p], [h])
        return float(self.grid[np.argmin(ce)]), h


def draw_cross_entropy_vs_q(p: float = 0.7, *, base=None, ymax: float = 3.0, ax=None) -> CrossEntropyCurve:
    """Plot a coin's cross-entropy H(p, q) = −p log q − (1 − p) log(1 − q) against the model's q.

    The dashed line is the entropy H(p), the lowest the curve can go; the gap between them at any q is
    D_KL(p‖q). The dot marks the minimum, at q = p. ``ax`` is None (a new fixed-size figure) or the axes.
    """
    ymax = v.positive_number(ymax, "ymax", "the top of the loss axis")
    ax = axes(ax)
    grid = np.linspace(0.001, 0.999, 999)
    (curve,) = ax.plot([], [], color=MODEL_COLOUR, label="H(p, q), the cross-entropy")
    (floor,) = ax.plot([], [], "--", color=TARGET_COLOUR, label="H(p), its floor")
    (minimum,) = ax.plot([], [], "o", color=ACCENT_COLOUR, markersize=8, label="minimum, at q = p")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, ymax)
    ax.set_xlabel("q = the model's probability of heads")
    ax.set_ylabel(f"expected loss per toss [{unit(base)}]")
    legend_above(ax.figure, [curve, floor, minimum])
    plot = CrossEntropyCurve(ax, curve, floor, minimum, grid, base)
    plot.update(p)
    return plot


@dataclass
class SurpriseLogPlot:
    """−log q against q on a logarithmic q axis (a straight line with no ceiling), marker at the current q."""

    ax: Axes
    curve: Line2D
    marker: Line2D
    base: object = None

    def update(self, q: float) -> float:
        """Move the marker to q (q = 0 has no place on a log axis: the marker hides and the loss is ∞)."""
        q, loss = _surprise(q, self.base)
        lo = self.ax.get_xlim()[0]
        self.marker.set_data(([q], [loss]) if q >= lo else ([], []))
        return loss


def draw_surprise_log(q: float = 0.7, *, base=None, qmin: float = 1e-16, ax=None) -> SurpriseLogPlot:
    """Plot the loss −log q of the true class against q on a logarithmic q axis from ``qmin`` to 1.

    On this axis −log q is a straight line: every factor of 10 taken off q adds ln 10 ≈ 2.3 nats, with no
    ceiling, down to q = 0 where the loss is infinite. The dotted guides mark q = 0.5 and q = 0.01.
    """
    if not 0 < v.real_number(qmin, "qmin", "a float in (0, 1e-3)") < 1e-3:
        raise ValueError(f"qmin must be a float in (0, 1e-3), got {qmin!r}")
    ax = axes(ax)
    grid = np.logspace(np.log10(qmin), 0, 400)
    (curve,) = ax.plot(grid, -log(grid, base), color=TARGET_COLOUR)
    for guide in (0.5, 0.01):
        ax.axvline(guide, color="0.85", linewidth=0.8, linestyle=":")
    (marker,) = ax.plot([], [], "o", color=ACCENT_COLOUR, markersize=9)
    ax.set_xscale("log")
    ax.set_xlim(float(qmin), 1.0)
    ax.set_ylim(0, 1.05 * float(-log(qmin, base)))
    ax.set_xlabel("q = probability the model gives the true class (log scale)")
    ax.set_ylabel(f"loss −log q [{unit(base)}]")
    ax.set_title("no ceiling: the loss keeps growing as q → 0 (∞ at q = 0)", fontsize=10)
    plot = SurpriseLogPlot(ax, curve, marker, base)
    plot.update(q)
    return plot

"""Figures for entropy, KL divergence and cross-entropy (notebooks 01–03)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D

from .. import _validate as v
from ..activations import softmax
from ..information import cross_entropy, entropy, kl_divergence
from ._common import ACCENT_COLOUR, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above, log, set_title_text, unit
from ._live import LivePlot, stack_last

__all__ = [
    "BinaryEntropyPlot",
    "SoftmaxEntropyPlot",
    "KLPairPlot",
    "DistributionBars",
    "PairBars",
    "SurprisePlot",
    "CrossEntropyCurve",
    "SurpriseLogPlot",
    "draw_cross_entropy_vs_q",
    "draw_surprise_log",
    "draw_binary_entropy",
    "draw_softmax_entropy",
    "draw_kl_pair",
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


def _probabilities(values: np.ndarray, name: str) -> np.ndarray:
    """A state's array of probabilities, refused (naming the first bad value) if any is outside [0, 1] or NaN."""
    bad = ~((values >= 0.0) & (values <= 1.0))
    if bad.any():
        raise ValueError(f"{name} must be a probability in [0, 1], got {values[bad].flat[0]!r}")
    return values


def _bars(values, name: str, n: int | None = None) -> np.ndarray:
    """One row of bar heights (1-D; ``n`` of them if given) as floats, or an error naming ``name``."""
    row = v.as_real_array(values, name)
    if row.ndim != 1 or row.size == 0 or (n is not None and row.size != n):
        size = f"{n} entries" if n is not None else "at least one entry"
        raise ValueError(f"{name} must be a 1-D array with {size}, got shape {row.shape}")
    return row.astype(float)


def _logit_values(logits, name: str) -> dict[str, float]:
    """Starting logits as the plot's values ``x0, x1, …``: a 1-D row of 2 or 3 finite numbers.

    More than 3 logits would make the sliders' grid too large to tabulate (49 positions each: 49⁴ points).
    """
    row = v.as_real_array(logits, name).astype(float)
    if row.ndim != 1 or not 2 <= row.size <= 3:
        raise ValueError(f"{name} must be one row of 2 or 3 logits, got shape {row.shape}")
    v.check_finite(row, name)
    return {f"x{i}": float(x) for i, x in enumerate(row)}


def _stack_logits(values: dict) -> np.ndarray:
    """The logit controls x0, x1, … (each an array with a trailing axis of length 1) as one array (..., n)."""
    return stack_last(*(values[f"x{i}"] for i in range(len(values))))


class SoftmaxEntropyPlot(LivePlot):
    """Bars of q = softmax(x) for 2 or 3 logits x, with q and its entropy H(q) in the readout (notebooks 00, 01).

    The plot's values are the logits ``x0, x1, x2`` (one slider each); ``state`` computes q with
    ``ce_teach.softmax`` and H with ``ce_teach.entropy``, on every grid point at once.
    """

    def __init__(self, logits=(1.0, 0.0, -1.0), *, names=("a", "b", "c"), base=2, ax=None):
        self.values = _logit_values(logits, "logits")
        n = len(self.values)
        self.names = v.check_names(names, n)
        self.base = base
        self.labels = {f"x{i}": f"logit x{i} ({name})" for i, name in enumerate(self.names)}
        probabilities = ", ".join(f"{{q{i}:.3f}}" for i in range(n))
        self.readout = f"q = softmax(x) = ({probabilities}) &nbsp; H(q) = <b>{{H:.4f}}</b> {unit(base)}"
        ax = axes(ax)
        bars = ax.bar(self.names, np.zeros(n), color=TARGET_COLOUR)
        ax.set_ylim(0, 1)
        ax.set_ylabel("probability q")
        ax.set_title("q = softmax(x)")
        self.ax, self.figure, self.bars = ax, ax.figure, bars
        self.moving = {"bars": bars}
        self.update()

    def state(self, **logits):
        q = softmax(_stack_logits(logits))
        h = entropy(q, base=self.base)[..., None]
        return {"bars.height": q, "H": h, **{f"q{i}": q[..., i : i + 1] for i in range(q.shape[-1])}}


def draw_softmax_entropy(logits=(1.0, 0.0, -1.0), *, names=("a", "b", "c"), base=2, ax=None) -> SoftmaxEntropyPlot:
    """Bars of softmax(logits) over named outcomes; ``readout_text()`` gives q and its entropy."""
    return SoftmaxEntropyPlot(logits, names=names, base=base, ax=ax)


class KLPairPlot(LivePlot):
    """Bars of a fixed target p and a model q = softmax(x) side by side; the readout gives D(p‖q) and D(q‖p).

    The plot's values are q's logits ``x0, x1, x2``; ``state`` computes q with ``ce_teach.softmax`` and both
    divergences with ``ce_teach.kl_divergence`` (notebook 02). A p with a zero makes D(q‖p) infinite.
    """

    def __init__(self, p=(0.6, 0.3, 0.1), q_logits=(0.0, 0.0, 0.0), *, names=("a", "b", "c"), base=2, ax=None):
        self.values = _logit_values(q_logits, "q_logits")
        n = len(self.values)
        p = _bars(p, "p")
        if p.size != n:
            raise ValueError(f"p must give one probability per logit of q_logits ({n}), got {p.size}: {p.tolist()}")
        v.check_distribution(p, "p", -1)
        self.p = p
        self.names = v.check_names(names, n)
        self.base = base
        self.labels = {f"x{i}": f"q logit x{i} ({name})" for i, name in enumerate(self.names)}
        u = unit(base)
        self.readout = f"D(p‖q) = <b>{{forward:.4f}}</b> {u} &nbsp; D(q‖p) = <b>{{reverse:.4f}}</b> {u}"
        ax = axes(ax)
        where = np.arange(n)
        p_bars = ax.bar(where - 0.2, p, width=0.4, color=TARGET_COLOUR, label="p (target)")
        q_bars = ax.bar(where + 0.2, np.zeros(n), width=0.4, color=MODEL_COLOUR, label="q = softmax(x) (model)")
        ax.set_xticks(where, self.names)
        ax.set_ylim(0, 1)
        ax.set_ylabel("probability")
        legend_above(ax.figure, [p_bars, q_bars])
        self.ax, self.figure, self.p_bars, self.q_bars = ax, ax.figure, p_bars, q_bars
        self.moving = {"q": q_bars}
        self.update()

    def state(self, **logits):
        q = softmax(_stack_logits(logits))
        p = np.broadcast_to(self.p, q.shape)
        forward = kl_divergence(p, q, base=self.base)[..., None]
        reverse = kl_divergence(q, p, base=self.base)[..., None]
        return {"q.height": q, "forward": forward, "reverse": reverse}


def draw_kl_pair(p=(0.6, 0.3, 0.1), q_logits=(0.0, 0.0, 0.0), *, names=("a", "b", "c"), base=2, ax=None) -> KLPairPlot:
    """Bars of a target p and a model q = softmax(q_logits); ``readout_text()`` gives both KL divergences."""
    return KLPairPlot(p, q_logits, names=names, base=base, ax=ax)


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
        p = _probabilities(p, "p")
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


class SurprisePlot(LivePlot):
    """The loss −log q of the true class against q, with a marker at the current q; the readout gives the loss.

    An infinite loss (q = 0) is drawn at the top edge of the axes, and shown as ∞ in the readout.
    """

    labels = {"q": "q(true class)"}

    def __init__(self, q: float = 0.7, *, base=None, ymax: float = 8.0, ax=None):
        self.values = {"q": _probability(q, "q")}
        self.base = base
        self.ymax = v.positive_number(ymax, "ymax", "the top of the loss axis")
        self.readout = f"q(true class) = {{q:.3f}}: loss = −log q = <b>{{loss:.4f}}</b> {unit(base)}"
        ax = axes(ax)
        grid = np.linspace(1e-4, 1.0, 500)
        ax.plot(grid, -log(grid, base), color=TARGET_COLOUR)
        (marker,) = ax.plot([], [], "o", color=ACCENT_COLOUR, markersize=9)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, self.ymax)
        ax.set_xlabel("q = probability the model gives the true class")
        ax.set_ylabel(f"loss −log q [{unit(base)}]")
        self.ax, self.figure, self.marker = ax, ax.figure, marker
        self.moving = {"marker": marker}
        self.update()

    def state(self, q):
        q = _probabilities(q, "q")
        loss = -log(q, self.base) + 0.0  # + 0.0 turns −log 1 = −0.0 into 0.0
        return {"marker.x": q, "marker.y": np.minimum(loss, self.ymax), "q": q, "loss": loss}


def draw_surprise(q: float = 0.7, *, base=None, ymax: float = 8.0, ax=None) -> SurprisePlot:
    """Plot the surprise −log q (the one-hot cross-entropy loss) against the probability q of the truth."""
    return SurprisePlot(q, base=base, ymax=ymax, ax=ax)


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


class SurpriseLogPlot(LivePlot):
    """−log q against q on a logarithmic q axis (a straight line with no ceiling), marker at the current q.

    The plot's value is ``log10_q`` (the slider moves the exponent: each step to the left divides q by the
    same factor); ``state`` computes q = 10^log10_q and the loss −log q, in nats and in bits when ``base`` is
    None. A q below the axis (q = 0 has no place on a log axis) hides the marker; its loss is ∞.
    """

    labels = {"log10_q": "log₁₀ q(true class)"}

    def __init__(self, log10_q: float = -0.3, *, base=None, qmin: float = 1e-16, ax=None):
        if not 0 < v.real_number(qmin, "qmin", "a float in (0, 1e-3)") < 1e-3:
            raise ValueError(f"qmin must be a float in (0, 1e-3), got {qmin!r}")
        log10_q = v.real_number(log10_q, "log10_q", "the exponent of q, at most 0 (q ≤ 1)")
        if not log10_q <= 0:  # also rejects NaN; −inf is q = 0
            raise ValueError(f"log10_q must be at most 0 (q = 10^log10_q ≤ 1), got {log10_q!r}")
        self.values = {"log10_q": log10_q}
        self.base, self.qmin = base, float(qmin)
        bits = " = <b>{bits:.4f}</b> bits" if base is None else ""
        self.readout = f"q = {{q:.3g}}: loss = −log q = <b>{{loss:.4f}}</b> {unit(base)}{bits}"
        ax = axes(ax)
        grid = np.logspace(np.log10(qmin), 0, 400)
        (curve,) = ax.plot(grid, -log(grid, base), color=TARGET_COLOUR)
        for guide in (0.5, 0.01):
            ax.axvline(guide, color="0.85", linewidth=0.8, linestyle=":")
        (marker,) = ax.plot([], [], "o", color=ACCENT_COLOUR, markersize=9)
        ax.set_xscale("log")
        ax.set_xlim(self.qmin, 1.0)
        ax.set_ylim(0, 1.05 * float(-log(qmin, base)))
        ax.set_xlabel("q = probability the model gives the true class (log scale)")
        ax.set_ylabel(f"loss −log q [{unit(base)}]")
        ax.set_title("no ceiling: the loss keeps growing as q → 0 (∞ at q = 0)", fontsize=10)
        self.ax, self.figure, self.curve, self.marker = ax, ax.figure, curve, marker
        self.moving = {"marker": marker}
        self.update()

    def state(self, log10_q):
        bad = ~(log10_q <= 0.0)  # also NaN
        if bad.any():
            raise ValueError(f"log10_q must be at most 0 (q = 10^log10_q ≤ 1), got {log10_q[bad].flat[0]!r}")
        q = 10.0**log10_q
        loss = -log(q, self.base) + 0.0
        on_axis = q >= self.qmin * (1 - 1e-12)  # 10^−16 may round a hair below 1e-16
        out = {"marker.x": np.where(on_axis, q, np.nan), "marker.y": np.where(on_axis, loss, np.nan)}
        out.update(q=q, loss=loss)
        if self.base is None:
            out["bits"] = -log(q, 2) + 0.0
        return out


def draw_surprise_log(q: float = 0.7, *, base=None, qmin: float = 1e-16, ax=None) -> SurpriseLogPlot:
    """Plot the loss −log q of the true class against q on a logarithmic q axis from ``qmin`` to 1.

    On this axis −log q is a straight line: every factor of 10 taken off q adds ln 10 ≈ 2.3 nats, with no
    ceiling, down to q = 0 where the loss is infinite. The dotted guides mark q = 0.5 and q = 0.01. The
    marker sits at q (the plot's value is log10 q; ``update(log10_q=…)`` moves it).
    """
    q = _probability(q, "q")
    with np.errstate(divide="ignore"):
        log10_q = float(np.log10(q))
    return SurpriseLogPlot(log10_q, base=base, qmin=qmin, ax=ax)

"""Figures for softmax and categorical cross-entropy (notebook 05).

* ``draw_softmax_loss``: for one row of logits and a true class, the probabilities S(x), the one-hot
  target y (as outlines) and the gradient S(x) − y as bars, with the loss in the title.
* ``draw_jacobian``: the softmax Jacobian diag(s) − s·sᵀ as a heat map with its values written in.
* ``draw_temperature``: the entropy of S(x/T) against the temperature T.
* ``draw_temperature_bars``: the distribution S(x/T) itself at one temperature, as bars, next to S(x).

Every ``draw_*`` takes ``ax=None``, returns a small dataclass of what it drew, and its ``update`` changes
those artists in place (the widgets in ``ce_teach.widgets.softmax`` call it on every slider move).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colorbar import Colorbar
from matplotlib.container import BarContainer
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Text

from ..activations import softmax
from ..gradients import softmax_cross_entropy_grad, softmax_jacobian
from ..information import entropy
from ..losses import sparse_softmax_cross_entropy_with_logits
from ._common import ACCENT_COLOUR, FIGSIZE, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above, set_title_text

__all__ = [
    "JacobianPlot",
    "SoftmaxLossPlot",
    "TemperatureBarsPlot",
    "TemperaturePlot",
    "draw_jacobian",
    "draw_softmax_loss",
    "draw_temperature",
    "draw_temperature_bars",
    "draw_temperature_panels",
]

GRADIENT_COLOUR = "#55A868"  # ∂loss/∂x
JACOBIAN_LIMIT = 0.25  # |J_ij| ≤ 1/4: s(1 − s) ≤ 1/4 on the diagonal, s_i·s_j ≤ 1/4 off it (s_i + s_j ≤ 1)


def _logit_row(x, name: str = "x") -> np.ndarray:
    """One row of finite logits (at least two classes), or a ValueError naming the argument."""
    row = np.asarray(x, dtype=float)
    if row.ndim != 1 or row.size < 2:
        raise ValueError(f"{name} must be one row of logits with at least 2 classes, got shape {row.shape}")
    if not np.isfinite(row).all():
        raise ValueError(f"{name} must be finite numbers, got {row.tolist()}")
    return row


def _class_index(label, n_classes: int) -> int:
    """A class index in [0, n_classes), or a TypeError/ValueError naming ``label``."""
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)):
        raise TypeError(f"label must be an integer class index, got {label!r}")
    if not 0 <= label < n_classes:
        raise ValueError(f"label must be in [0, {n_classes}) for {n_classes} classes, got {label}")
    return int(label)


def _names(names, n: int) -> list[str]:
    if names is None:
        return [str(i) for i in range(n)]
    names = [str(name) for name in names]
    if len(names) != n:
        raise ValueError(f"names must give one name per class ({n}), got {len(names)}")
    return names


@dataclass
class SoftmaxLossPlot:
    """Bars of S(x), the target y and the gradient S(x) − y for one row of logits and its true class."""

    ax: Axes
    target_bars: BarContainer
    prob_bars: BarContainer
    grad_bars: BarContainer
    title: Text
    names: list[str]

    def update(self, x, label: int) -> tuple[np.ndarray, float, np.ndarray]:
        """Redraw for logits ``x`` and true class ``label``; return (S(x), loss in nats, S(x) − y)."""
        x = _logit_row(x)
        if x.size != len(self.names):
            raise ValueError(f"x must have {len(self.names)} logits (one per class), got {x.size}")
        label = _class_index(label, x.size)
        y = np.zeros(x.size)
        y[label] = 1.0
        s = softmax(x)
        loss = float(sparse_softmax_cross_entropy_with_logits(np.array(label), x))
        grad = softmax_cross_entropy_grad(y, x)
        for bars, heights in ((self.target_bars, y), (self.prob_bars, s), (self.grad_bars, grad)):
            for bar, height in zip(bars, heights, strict=True):
                bar.set_height(height)
        self.title.set_text(f"true class {self.names[label]}:  loss = −ln S(x)$_{{true}}$ = {loss:.4g} nats")
        return s, loss, grad


def draw_softmax_loss(x, label: int = 0, *, names=None, ax=None) -> SoftmaxLossPlot:
    """Bars per class: probability S(x)_i, the one-hot target y_i (outline) and the gradient S(x)_i − y_i.

    The gradient bar is the gap between a probability bar and its target outline: at the true class it is
    S(x)_true − 1 ≤ 0 (push that logit up), elsewhere S(x)_i ≥ 0 (push down). The loss −ln S(x)_true is
    in the title. ``update(x, label)`` redraws in place.
    """
    ax = axes(ax)
    x = _logit_row(x)
    names = _names(names, x.size)
    where = np.arange(x.size)
    zeros = np.zeros(x.size)
    target_bars = ax.bar(where - 0.2, zeros, width=0.4, fill=False, edgecolor=TARGET_COLOUR, linewidth=1.5,
                         label="target y")
    prob_bars = ax.bar(where - 0.2, zeros, width=0.4, color=MODEL_COLOUR, alpha=0.85, label="S(x)")
    grad_bars = ax.bar(where + 0.2, zeros, width=0.4, color=GRADIENT_COLOUR, label="∂loss/∂x = S(x) − y")
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xticks(where, names)
    ax.set_xlabel("class")
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("probability / gradient")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8, frameon=False)
    title = ax.set_title("")
    plot = SoftmaxLossPlot(ax, target_bars, prob_bars, grad_bars, title, names)
    plot.update(x, label)
    return plot


@dataclass
class JacobianPlot:
    """Heat map of the softmax Jacobian J_ij = ∂S_i/∂x_j, with each value written in its cell."""

    ax: Axes
    image: AxesImage
    colourbar: Colorbar
    values: list[Text] = field(default_factory=list)

    def update(self, x) -> np.ndarray:
        """Redraw for logits ``x`` (same number of classes); return the Jacobian."""
        x = _logit_row(x)
        jac = softmax_jacobian(x)
        if jac.shape != self.image.get_array().shape:
            raise ValueError(f"x must have {self.image.get_array().shape[0]} logits, got {x.size}")
        self.image.set_data(jac)
        for text, value in zip(self.values, jac.ravel(), strict=True):
            text.set_text(f"{round(float(value), 3) + 0.0:+.3f}")  # round, then + 0.0: "+0.000", never "-0.000"
            text.set_color("white" if abs(value) > 0.6 * JACOBIAN_LIMIT else "black")
        return jac


def draw_jacobian(x, *, names=None, ax=None) -> JacobianPlot:
    """Heat map of J = diag(s) − s·sᵀ for s = S(x): row i is output S_i, column j is logit x_j.

    The colour scale is fixed to ±1/4, the largest any entry can be, so heat maps for different x compare.
    Positive diagonal (raising x_i raises S_i), negative elsewhere (it takes probability from the others),
    rows and columns summing to 0.
    """
    ax = axes(ax)
    x = _logit_row(x)
    names = _names(names, x.size)
    jac = softmax_jacobian(x)
    image = ax.imshow(jac, cmap="RdBu_r", vmin=-JACOBIAN_LIMIT, vmax=JACOBIAN_LIMIT)
    colourbar = ax.figure.colorbar(image, ax=ax, label="∂S$_i$/∂x$_j$")
    where = np.arange(x.size)
    ax.set_xticks(where, [f"x$_{{{n}}}$" for n in names])
    ax.set_yticks(where, [f"S$_{{{n}}}$" for n in names])
    ax.set_xlabel("j: the logit that moves")
    ax.set_ylabel("i: the output that responds")
    ax.set_title("Jacobian of softmax: diag(s) − s sᵀ")
    values = [ax.text(j, i, "", ha="center", va="center", fontsize=9) for i in where for j in where]
    plot = JacobianPlot(ax, image, colourbar, values)
    plot.update(x)
    return plot


@dataclass
class TemperaturePlot:
    """Entropy of S(x/T) against the temperature T (log axis), with a marker at the current T."""

    ax: Axes
    marker: Line2D
    label: Text
    x: np.ndarray

    def update(self, temperature: float) -> float:
        """Move the marker to ``temperature``; return H(S(x/T)) in nats."""
        temperature = float(temperature)
        if not 0.0 < temperature < np.inf:
            raise ValueError(f"temperature must be a positive finite number, got {temperature!r}")
        h = float(entropy(softmax(self.x / temperature))) + 0.0  # + 0.0: no "-0.000"
        self.marker.set_data([temperature], [h])
        if self.label.get_visible():  # a live figure hides it (its readout gives the numbers): leave it untouched
            self.label.set_text(f"T = {temperature:.3g}:  H = {h:.3f} nats")
        return h


def draw_temperature(x, temperature: float = 1.0, *, t_min: float = 0.05, t_max: float = 50.0,
                     ax=None) -> TemperaturePlot:
    """Plot H(S(x/T)) in nats for T from ``t_min`` to ``t_max`` (log scale), marking ``temperature``.

    T → 0 sharpens S(x/T) towards a one-hot on the largest logit (entropy → 0, if that logit is unique);
    T → ∞ flattens it towards uniform (entropy → ln C, a dashed line, marked on the entropy axis).
    """
    ax = axes(ax)
    x = _logit_row(x)
    if not 0.0 < t_min < t_max < np.inf:
        raise ValueError(f"need 0 < t_min < t_max < inf, got t_min={t_min!r}, t_max={t_max!r}")
    grid = np.geomspace(t_min, t_max, 300)
    curve = entropy(softmax(x[None, :] / grid[:, None]))
    ax.plot(grid, curve, color=MODEL_COLOUR)
    ax.axhline(np.log(x.size), color=TARGET_COLOUR, linestyle="--", linewidth=1)
    (marker,) = ax.plot([], [], "o", color=ACCENT_COLOUR, markersize=8)
    label = ax.text(0.97, 0.08, "", transform=ax.transAxes, ha="right")
    ax.set_xscale("log")
    ax.set_xlim(t_min, t_max)
    ax.set_ylim(0, np.log(x.size) * 1.08)
    # ln C is marked on the axis, not written in the plot: text inside the axes would be repainted at every
    # move of the marker in a live figure
    ticks = [t for t in ax.get_yticks() if 0 <= t < np.log(x.size) * 0.85] + [np.log(x.size)]
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks[:-1]] + [f"ln {x.size}"])
    ax.set_xlabel("temperature T (log scale)")
    ax.set_ylabel("entropy H(S(x/T)) [nats]")
    ax.set_title("Temperature: S(x/T) sharpens (T < 1) or flattens (T > 1)")
    plot = TemperaturePlot(ax, marker, label, x)
    plot.update(temperature)
    return plot


def _temperature(value) -> float:
    """A positive finite temperature, or a ValueError naming ``temperature``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"temperature must be a positive number, got {value!r}")
    value = float(value)
    if not 0.0 < value < np.inf:
        raise ValueError(f"temperature must be a positive finite number, got {value!r}")
    return value


@dataclass
class TemperatureBarsPlot:
    """Bars of S(x/T) at one temperature, over outlines of S(x) (T = 1) for comparison."""

    ax: Axes
    bars: BarContainer
    reference: BarContainer
    x: np.ndarray
    t_in_title: bool = True  # a live figure gives T in its readout instead: a changing title is redrawn per move

    def update(self, temperature: float) -> tuple[np.ndarray, float]:
        """Set the bars to S(x/T) for ``temperature``; return (S(x/T), its entropy in nats)."""
        t = _temperature(temperature)
        q = softmax(self.x / t)
        for bar, height in zip(self.bars, q, strict=True):
            bar.set_height(height)
        if self.t_in_title:
            set_title_text(self.ax, f"T = {t:g}")
        return q, float(entropy(q)) + 0.0  # + 0.0: no "-0.000"


def draw_temperature_bars(x, temperature: float = 1.0, *, names=None, ax=None) -> TemperatureBarsPlot:
    """Bars of the probabilities S(x/T) per class at ``temperature``, over outlines of S(x) (T = 1).

    Formula: S(x/T)_i = e^{x_i/T} / Σ_j e^{x_j/T}, computed by the max-shifted ``softmax`` (no overflow).
    Shapes: ``x`` one row of C ≥ 2 finite logits. Dividing by T keeps their order: T < 1 sharpens the bars
    towards the largest logit, T > 1 flattens them towards 1/C (a dotted line). ``update(temperature)``
    redraws in place; a row of these, one per T, is the static figure (``draw_temperature_panels``).

    >>> import matplotlib.pyplot as plt
    >>> plot = draw_temperature_bars([3.0, 1.0, -3.0], 16.0)
    >>> [round(float(bar.get_height()), 2) for bar in plot.bars]
    [0.39, 0.34, 0.27]
    >>> plt.close(plot.ax.figure)
    """
    ax = axes(ax)
    x = _logit_row(x)
    names = _names(names, x.size)
    where = np.arange(x.size)
    reference = ax.bar(where, softmax(x), width=0.7, fill=False, edgecolor=TARGET_COLOUR, linewidth=1.2,
                       linestyle="--", label="S(x), T = 1")
    bars = ax.bar(where, np.zeros(x.size), width=0.5, color=MODEL_COLOUR, alpha=0.85, label="S(x/T)")
    ax.axhline(1 / x.size, color="0.5", linestyle=":", linewidth=1, label="uniform, 1/C")
    ax.set_xticks(where, names)
    ax.set_xlabel("class")
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("probability")
    ax.set_title("")
    plot = TemperatureBarsPlot(ax, bars, reference, x)
    plot.update(temperature)
    return plot


def draw_temperature_panels(x, temperatures=(0.25, 1.0, 4.0, 16.0), *, names=None,
                            axs=None) -> list[TemperatureBarsPlot]:
    """One ``draw_temperature_bars`` panel per temperature, side by side on a shared probability axis.

    >>> import matplotlib.pyplot as plt
    >>> plots = draw_temperature_panels([3.0, 1.0, -3.0], (0.25, 16.0))
    >>> [plot.ax.get_title() for plot in plots]
    ['T = 0.25', 'T = 16']
    >>> plt.close(plots[0].ax.figure)
    """
    temperatures = [_temperature(t) for t in temperatures]
    if not 1 <= len(temperatures) <= 8:
        raise ValueError(f"temperatures must give 1 to 8 values, got {len(temperatures)}")
    if axs is None:
        _, axs = plt.subplots(1, len(temperatures), figsize=FIGSIZE, layout="constrained", sharey=True, squeeze=False)
        axs = axs[0]
    if len(axs) != len(temperatures):
        raise ValueError(f"axs must give one axes per temperature ({len(temperatures)}), got {len(axs)}")
    plots = [draw_temperature_bars(x, t, names=names, ax=ax) for t, ax in zip(temperatures, axs, strict=True)]
    for plot in plots[1:]:
        plot.ax.set_ylabel("")
    legend_above(plots[0].ax.figure, [plots[0].reference, plots[0].bars, plots[0].ax.get_lines()[0]])
    return plots

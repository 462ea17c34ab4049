"""Figures for softmax and categorical cross-entropy (notebook 05).

* ``draw_softmax_loss``: for one row of logits and a true class, the probabilities S(x), the one-hot
  target y (as outlines) and the gradient S(x) − y as bars, with the loss in the title.
* ``draw_jacobian``: the softmax Jacobian diag(s) − s·sᵀ as a heat map with its values written in.
* ``draw_temperature``: the entropy of S(x/T) against the temperature T.
* ``draw_temperature_bars``: the distribution S(x/T) itself at one temperature, as bars, next to S(x).

Every ``draw_*`` takes ``ax=None`` and returns what it drew. The loss bars and the temperature figures are
live plots (``LivePlot``: ``update(**values)``, ``state``, a readout): ``ce_teach.widgets.softmax`` puts sliders
on them (``TemperatureExplorerPlot`` is the bars and the entropy curve side by side, one temperature slider).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colorbar import Colorbar
from matplotlib.image import AxesImage
from matplotlib.text import Text

from .. import _validate as v
from ..activations import softmax
from ..gradients import softmax_cross_entropy_grad, softmax_jacobian
from ..information import entropy
from ..losses import sparse_softmax_cross_entropy_with_logits
from ._common import ACCENT_COLOUR, FIGSIZE, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above
from ._live import LivePlot, stack_last

__all__ = [
    "JacobianPlot",
    "SoftmaxLossPlot",
    "TemperatureBarsPlot",
    "TemperatureExplorerPlot",
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
    row = v.as_real_array(x, name).astype(float)
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
    return v.check_names(names, n)


def _class_name(label, names: list[str]) -> str:
    """The true class as its name: ``label`` is an index into ``names`` or one of the names."""
    if isinstance(label, str):
        if label not in names:
            raise ValueError(f"label must be one of the class names {names}, got {label!r}")
        return label
    return names[_class_index(label, len(names))]


def _distinct(names: list[str]) -> list[str]:
    if len(set(names)) != len(names):
        raise ValueError(f"names must be distinct (the true class is chosen by its name), got {names}")
    return names


def _row(values: np.ndarray, ndim: int) -> np.ndarray:
    """A 1-D row of items with leading axes of length 1: ``ndim`` axes in all, the items last."""
    return values.reshape((1,) * (ndim - 1) + values.shape)


def _list(name: str, n: int, spec: str) -> str:
    """A readout template for a row of n fields, ``name0`` … : "[{name0:.3f}, {name1:.3f}]"."""
    return "[" + ", ".join(f"{{{name}{i}:{spec}}}" for i in range(n)) + "]"


class SoftmaxLossPlot(LivePlot):
    """Bars of S(x), the target y and the gradient S(x) − y for one row of logits and its true class.

    Controls: one per logit, ``x0``, ``x1``, … (numbers), and ``label``, the true class by its name. The
    readout gives S(x), the loss −ln S(x)_true in nats and the gradient. ``update(x0=..., label="dog")``
    moves the figure; ``state_at(...)`` gives the numbers at a point without moving it.
    """

    def __init__(self, x, label=0, *, names=None, ax=None):
        x = _logit_row(x)
        self.names = _distinct(_names(names, x.size))
        self.values = {**{f"x{i}": float(value) for i, value in enumerate(x)}, "label": _class_name(label, self.names)}
        self.labels = {**{f"x{i}": f"logit x{i} ({name})" for i, name in enumerate(self.names)}, "label": "true class"}
        n = x.size
        self.readout = (
            f"S(x) = {_list('s', n, '.3f')} &nbsp; loss = −ln S(x)<sub>true</sub> = <b>{{loss:.3f}}</b>"
            f" nats &nbsp; ∂loss/∂x = S(x) − y = {_list('g', n, '.3f')}"
        )
        ax = axes(ax)
        where = np.arange(n)
        zeros = np.zeros(n)
        self.target_bars = ax.bar(
            where - 0.2, zeros, width=0.4, fill=False, edgecolor=TARGET_COLOUR, linewidth=1.5, label="target y"
        )
        self.prob_bars = ax.bar(where - 0.2, zeros, width=0.4, color=MODEL_COLOUR, alpha=0.85, label="S(x)")
        self.grad_bars = ax.bar(where + 0.2, zeros, width=0.4, color=GRADIENT_COLOUR, label="∂loss/∂x = S(x) − y")
        ax.axhline(0.0, color="black", linewidth=0.8)
        ax.set_xticks(where, self.names)
        ax.set_xlabel("class")
        ax.set_ylim(-1.05, 1.05)
        ax.set_ylabel("probability / gradient")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8, frameon=False)
        ax.set_title("S(x), the one-hot target y and the gradient S(x) − y", fontsize=10)
        self.ax, self.figure = ax, ax.figure
        self.moving = {"target": self.target_bars, "probs": self.prob_bars, "grad": self.grad_bars}
        self.update()

    def state_at(self, **values) -> dict[str, np.ndarray]:
        return super().state_at(**self._checked(values))

    def update(self, **values) -> dict[str, np.ndarray]:
        return super().update(**self._checked(values))

    def _checked(self, values: dict) -> dict:
        """The values checked: finite logits, and the true class as one of this plot's names."""
        checked = {}
        for name, value in values.items():
            if name == "label":
                checked[name] = _class_name(value, self.names)
            elif name in self.values:
                value = v.real_number(value, name, "a finite logit")
                if not np.isfinite(value):
                    raise ValueError(f"{name} must be a finite logit, got {value!r}")
                checked[name] = value
            else:
                checked[name] = value  # LivePlot.state_at names the unknown control
        return checked

    def state(self, label, **logits):
        x = stack_last(*(logits[f"x{i}"] for i in range(len(self.names))))  # (..., C): the classes last
        true = self.names.index(label)
        y = _row(np.eye(len(self.names))[true], x.ndim)  # the target depends on the label only: stored once
        s = softmax(x)  # the probabilities do not depend on the label: stored once for every label
        loss = sparse_softmax_cross_entropy_with_logits(np.full(x.shape[:-1], true), x)[..., None]
        grad = softmax_cross_entropy_grad(np.broadcast_to(y, x.shape), x)
        return {
            "target.height": y,
            "probs.height": s,
            "grad.height": grad,
            "loss": loss,
            **{f"s{i}": s[..., i : i + 1] for i in range(len(self.names))},
            **{f"g{i}": grad[..., i : i + 1] for i in range(len(self.names))},
        }


def draw_softmax_loss(x, label=0, *, names=None, ax=None) -> SoftmaxLossPlot:
    """Bars per class: probability S(x)_i, the one-hot target y_i (outline) and the gradient S(x)_i − y_i.

    The gradient bar is the gap between a probability bar and its target outline: at the true class it is
    S(x)_true − 1 ≤ 0 (push that logit up), elsewhere S(x)_i ≥ 0 (push down). ``label`` is the true class,
    an index or one of ``names``. The loss −ln S(x)_true is in ``readout_text()`` (the live figure's readout).
    """
    return SoftmaxLossPlot(x, label, names=names, ax=ax)


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


def _temperature(value) -> float:
    """A positive finite temperature, or a ValueError naming ``temperature``."""
    return v.positive_number(value, "temperature")


class _TemperaturePlot(LivePlot):
    """A live plot with a temperature control ``T``: a T given to ``state_at`` or ``update`` is checked first."""

    def state_at(self, **values) -> dict[str, np.ndarray]:
        return super().state_at(**_checked_temperature(values))

    def update(self, **values) -> dict[str, np.ndarray]:
        return super().update(**_checked_temperature(values))


def _checked_temperature(values: dict) -> dict:
    return {name: _temperature(t) if name == "T" else t for name, t in values.items()}


class TemperaturePlot(_TemperaturePlot):
    """Entropy of S(x/T) against the temperature T (log axis), with a marker at the current T.

    Control: ``T``. ``update(T=...)`` moves the marker; the readout gives T and the entropy in nats.
    """

    labels = {"T": "temperature T"}
    readout = "T = <b>{T:.2f}</b> &nbsp; entropy H(S(x/T)) = <b>{H:.3f}</b> nats"

    def __init__(self, x, temperature: float = 1.0, *, t_min: float = 0.05, t_max: float = 50.0, ax=None):
        ax = axes(ax)
        self.x = _logit_row(x)
        self.values = {"T": _temperature(temperature)}
        t_min, t_max = v.positive_number(t_min, "t_min"), v.positive_number(t_max, "t_max")
        if not 0.0 < t_min < t_max < np.inf:
            raise ValueError(f"need 0 < t_min < t_max < inf, got t_min={t_min!r}, t_max={t_max!r}")
        n = self.x.size
        grid = np.geomspace(t_min, t_max, 300)
        ax.plot(grid, entropy(softmax(self.x[None, :] / grid[:, None])), color=MODEL_COLOUR)
        ax.axhline(np.log(n), color=TARGET_COLOUR, linestyle="--", linewidth=1)
        (self.marker,) = ax.plot([], [], "o", color=ACCENT_COLOUR, markersize=8)
        ax.set_xscale("log")
        ax.set_xlim(t_min, t_max)
        ax.set_ylim(0, np.log(n) * 1.08)
        # ln C is marked on the axis, not written in the plot
        ticks = [t for t in ax.get_yticks() if 0 <= t < np.log(n) * 0.85] + [np.log(n)]
        ax.set_yticks(ticks, [f"{t:g}" for t in ticks[:-1]] + [f"ln {n}"])
        ax.set_xlabel("temperature T (log scale)")
        ax.set_ylabel("entropy H(S(x/T)) [nats]")
        ax.set_title("Temperature: S(x/T) sharpens (T < 1) or flattens (T > 1)")
        self.ax, self.figure = ax, ax.figure
        self.moving = {"marker": self.marker}
        self.update()

    def state(self, T):
        h = entropy(softmax(_row(self.x, np.ndim(T)) / T))[..., None] + 0.0  # + 0.0: no −0
        return {"marker.x": T, "marker.y": h, "T": T, "H": h}


def draw_temperature(
    x, temperature: float = 1.0, *, t_min: float = 0.05, t_max: float = 50.0, ax=None
) -> TemperaturePlot:
    """Plot H(S(x/T)) in nats for T from ``t_min`` to ``t_max`` (log scale), marking ``temperature``.

    T → 0 sharpens S(x/T) towards a one-hot on the largest logit (entropy → 0, if that logit is unique);
    T → ∞ flattens it towards uniform (entropy → ln C, a dashed line, marked on the entropy axis).
    """
    return TemperaturePlot(x, temperature, t_min=t_min, t_max=t_max, ax=ax)


class TemperatureBarsPlot(_TemperaturePlot):
    """Bars of S(x/T) at one temperature, over outlines of S(x) (T = 1) for comparison.

    Control: ``T``. ``update(T=...)`` sets the bars; the readout gives T, S(x/T) and its entropy in nats.
    """

    labels = {"T": "temperature T"}

    def __init__(self, x, temperature: float = 1.0, *, names=None, ax=None):
        ax = axes(ax)
        self.x = _logit_row(x)
        self.values = {"T": _temperature(temperature)}
        n = self.x.size
        names = _names(names, n)
        self.readout = (
            f"T = <b>{{T:.2f}}</b> &nbsp; S(x/T) = {_list('q', n, '.4f')} &nbsp; entropy = <b>{{H:.3f}}</b> nats"
        )
        where = np.arange(n)
        self.reference = ax.bar(
            where,
            softmax(self.x),
            width=0.7,
            fill=False,
            edgecolor=TARGET_COLOUR,
            linewidth=1.2,
            linestyle="--",
            label="S(x), T = 1",
        )
        self.bars = ax.bar(where, np.zeros(n), width=0.5, color=MODEL_COLOUR, alpha=0.85, label="S(x/T)")
        ax.axhline(1 / n, color="0.5", linestyle=":", linewidth=1, label="uniform, 1/C")
        ax.set_xticks(where, names)
        ax.set_xlabel("class")
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("probability")
        self.ax, self.figure = ax, ax.figure
        self.moving = {"bars": self.bars}
        self.update()

    def state(self, T):
        q = softmax(_row(self.x, np.ndim(T)) / T)
        h = entropy(q)[..., None] + 0.0  # + 0.0: no −0
        return {"bars.height": q, "T": T, "H": h, **{f"q{i}": q[..., i : i + 1] for i in range(self.x.size)}}


def draw_temperature_bars(x, temperature: float = 1.0, *, names=None, ax=None) -> TemperatureBarsPlot:
    """Bars of the probabilities S(x/T) per class at ``temperature``, over outlines of S(x) (T = 1).

    Formula: S(x/T)_i = e^{x_i/T} / Σ_j e^{x_j/T}, computed by the max-shifted ``softmax`` (no overflow).
    Shapes: ``x`` one row of C ≥ 2 finite logits. Dividing by T keeps their order: T < 1 sharpens the bars
    towards the largest logit, T > 1 flattens them towards 1/C (a dotted line). ``update(T=...)``
    redraws in place; a row of these, one per T, is the static figure (``draw_temperature_panels``).

    >>> import matplotlib.pyplot as plt
    >>> plot = draw_temperature_bars([3.0, 1.0, -3.0], 16.0)
    >>> [round(float(bar.get_height()), 2) for bar in plot.bars]
    [0.39, 0.34, 0.27]
    >>> plt.close(plot.figure)
    """
    return TemperatureBarsPlot(x, temperature, names=names, ax=ax)


class TemperatureExplorerPlot(_TemperaturePlot):
    """Left, the bars of S(x/T) over S(x); right, the entropy of S(x/T) against T, with a marker at T.

    Control: ``T``. The readout gives T, S(x/T) and its entropy in nats (and ln C, its limit as T → ∞).
    """

    labels = {"T": "temperature T"}

    def __init__(self, x, temperature: float = 1.0, *, names=None, t_min: float = 0.05, t_max: float = 50.0, ax=None):
        if ax is None:
            _, ax = plt.subplots(1, 2, figsize=FIGSIZE, layout="constrained")
        left, right = ax
        self.bars = TemperatureBarsPlot(x, temperature, names=names, ax=left)
        left.set_title("S(x/T) over S(x)", fontsize="medium")
        legend_above(left.figure, [self.bars.reference, self.bars.bars, left.get_lines()[0]])
        self.curve = TemperaturePlot(x, temperature, t_min=t_min, t_max=t_max, ax=right)
        right.set_title("entropy of S(x/T)", fontsize="medium")
        self.values = {"T": self.bars.values["T"]}
        n = self.bars.x.size
        self.readout = self.bars.readout + f" (ln C = ln {n} = {np.log(n):.3f})"
        self.figure = left.figure
        self.moving = {"bars": self.bars.bars, "marker": self.curve.marker}
        self.update()

    def state(self, T):
        return {**self.curve.state(T), **self.bars.state(T)}


def draw_temperature_panels(
    x, temperatures=(0.25, 1.0, 4.0, 16.0), *, names=None, axs=None
) -> list[TemperatureBarsPlot]:
    """One ``draw_temperature_bars`` panel per temperature, side by side on a shared probability axis.

    >>> import matplotlib.pyplot as plt
    >>> plots = draw_temperature_panels([3.0, 1.0, -3.0], (0.25, 16.0))
    >>> [plot.ax.get_title() for plot in plots]
    ['T = 0.25', 'T = 16']
    >>> plt.close(plots[0].figure)
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
    for plot, t in zip(plots, temperatures, strict=True):
        plot.ax.set_title(f"T = {t:g}")
    for plot in plots[1:]:
        plot.ax.set_ylabel("")
    legend_above(plots[0].ax.figure, [plots[0].reference, plots[0].bars, plots[0].ax.get_lines()[0]])
    return plots

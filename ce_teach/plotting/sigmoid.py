"""Figures for the sigmoid and binary cross-entropy (notebook 04).

``draw_sigmoid`` plots q = σ(x) against the logit x, with a few logits marked.
``draw_bce_curves`` plots the loss L(x; z) and its gradient ∂L/∂x = σ(x) − z against the logit x for one
label z, twice: the stable form (``ce_teach.sigmoid_cross_entropy_with_logits``) as a thin line and the
naive "sigmoid, then log" form as a wide pale band under it, both in a chosen dtype. Where the naive form returns
inf or nan its line simply stops (its data hold NaN there, which matplotlib and the browser leave as a gap).
It is a live plot (``LivePlot``): ``ce_teach.widgets.bce_explorer`` puts sliders on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import _validate as v
from .. import naive
from ..activations import sigmoid
from ..gradients import sigmoid_cross_entropy_grad
from ..losses import sigmoid_cross_entropy_with_logits
from ._common import ACCENT_COLOUR, FIGSIZE, MODEL_COLOUR, TARGET_COLOUR, legend_above
from ._common import axes as _axes
from ._live import LivePlot
from .readout import format_value

__all__ = ["BCECurves", "SigmoidPlot", "draw_bce_curves", "draw_sigmoid", "naive_bce_grad"]

_DTYPES = {"float32": np.float32, "float64": np.float64}


def naive_bce_grad(labels, logits):
    """The gradient that automatic differentiation computes through the naive graph σ → log.

    Formula: ∂L/∂x = ∂L/∂σ · ∂σ/∂x = (−z/σ + (1 − z)/(1 − σ)) · σ(1 − σ), with σ = 1/(1 + e^{−x})
    evaluated in the inputs' dtype (the naive sigmoid of ``ce_teach.naive``).

    Shapes: elementwise; ``labels`` z and ``logits`` x broadcast together.

    Stability: none, on purpose. Algebraically this is σ(x) − z, but once σ rounds to 1 (x ≥ 16.6 in
    float32, 36.7 in float64) the factor (1 − z)/(1 − σ) is ∞ (or 0/0) and ∂σ/∂x is 0, so the product is
    nan; likewise at the other end, once σ underflows to 0. This is how a NaN loss becomes a NaN gradient.

    >>> import numpy as np
    >>> from ce_teach.plotting import naive_bce_grad
    >>> naive_bce_grad(np.float32([1.0, 1.0]), np.float32([0.0, 20.0])).tolist()
    [-0.5, nan]
    """
    z, x = np.asarray(labels), np.asarray(logits)
    with np.errstate(all="ignore"):
        s = naive.sigmoid(x)
        return (-z / s + (1 - z) / (1 - s)) * (s * (1 - s))


def _dtype_name(dtype) -> str:
    try:
        name = np.dtype(dtype).name
    except TypeError:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from None
    if name not in _DTYPES:
        raise ValueError(f"dtype must be float32 or float64, got {name}")
    return name


def _logit(x) -> float:
    x = v.real_number(x, "x", "a finite logit")
    if not np.isfinite(x):
        raise ValueError(f"x must be a finite logit, got {x!r}")
    return x


def _label(z) -> float:
    z = v.real_number(z, "z", "a label in [0, 1]")
    if not 0.0 <= z <= 1.0:  # also rejects NaN
        raise ValueError(f"z must be a label in [0, 1], got {z!r}")
    return z


def _shown(values: np.ndarray) -> np.ndarray:
    """Curve or marker data as float64, with NaN where the value is ±inf or nan: matplotlib and the browser
    leave a gap there (a naive curve simply stops, a naive marker disappears)."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values), values, np.nan)


def _texts(values: np.ndarray, dtype: str) -> np.ndarray:
    """``format_value(value, dtype)`` for every value: the shortest digits of that dtype (σ = 0.99999994 in
    float32 is not mistaken for the 1.0 it becomes one step later). Formatted once per distinct value."""
    distinct, inverse = np.unique(values, return_inverse=True)
    texts = np.array([format_value(value, dtype) for value in distinct])
    return texts[inverse].reshape(values.shape)


def _on_axes(row: np.ndarray, ndim: int) -> np.ndarray:
    """A 1-D row of items with leading axes of length 1: ``ndim`` axes in all, the items last."""
    return row.reshape((1,) * (ndim - 1) + row.shape)


class BCECurves(LivePlot):
    """Loss and gradient against the logit for one label, stable (line) and naive (band), with the current
    point marked; the readout gives σ(x), the loss and ∂L/∂x, naive and stable side by side.

    Controls: ``x`` (the logit), ``z`` (the label, soft or hard) and ``dtype`` ("float32" or "float64": the
    dtype every number is computed in). ``update(x=..., z=..., dtype=...)`` moves the figure;
    ``state_at(...)`` gives the numbers at a point without moving it (arrays of one value: ``.item()``).
    """

    labels = {"x": "logit x", "z": "label z", "dtype": "compute in"}
    readout = (
        "<table><tr><th>{dtype}</th><th>naive: σ, then log</th><th>stable (ct)</th></tr>"
        "<tr><td>σ(x)</td><td style='text-align:right'>{naive_sigma_text}</td>"
        "<td style='text-align:right'>{sigma_text}</td></tr>"
        "<tr><td>loss L</td><td style='text-align:right'>{naive_loss:.6g}</td>"
        "<td style='text-align:right'>{loss:.6g}</td></tr>"
        "<tr><td>∂L/∂x</td><td style='text-align:right'>{naive_grad:.6g}</td>"
        "<td style='text-align:right'>{grad:.6g}</td></tr></table>"
    )

    def __init__(self, x: float = 2.0, z: float = 1.0, *, dtype="float64", limit: float = 60.0, ax=None):
        self.values = {"x": _logit(x), "z": _label(z), "dtype": _dtype_name(dtype)}
        limit = v.positive_number(limit, "limit")
        if ax is None:
            _, ax = plt.subplots(1, 2, figsize=FIGSIZE, layout="constrained")
        loss_ax, grad_ax = ax
        self.grid = np.linspace(-limit, limit, 801)
        # the naive curve is a wide pale band under the stable line: visible exactly where it is finite
        band = {"color": MODEL_COLOUR, "linewidth": 6, "alpha": 0.45, "solid_capstyle": "butt"}
        (naive_loss_line,) = loss_ax.plot([], [], label="naive: σ, then log (the textbook form)", **band)
        (loss_line,) = loss_ax.plot([], [], color=TARGET_COLOUR, label="stable form (ct)")
        (naive_grad_line,) = grad_ax.plot([], [], **band)
        (grad_line,) = grad_ax.plot([], [], color=TARGET_COLOUR)
        loss_marker, naive_loss_marker, grad_marker, naive_grad_marker = (
            a.plot([], [], style, color=ACCENT_COLOUR, markersize=8, markerfacecolor=face)[0]
            for a in (loss_ax, grad_ax)
            for style, face in (("o", ACCENT_COLOUR), ("s", "none"))
        )
        loss_ax.set_xlim(-limit, limit)
        loss_ax.set_ylim(0, 1.05 * limit + 1)
        loss_ax.set_xlabel("logit x")
        loss_ax.set_ylabel("loss [nats]")
        loss_ax.set_title("loss L(x; z)", fontsize=10)
        legend_above(loss_ax.figure, [naive_loss_line, loss_line], fontsize=8)
        grad_ax.set_xlim(-limit, limit)
        grad_ax.set_ylim(-1.1, 1.1)
        grad_ax.axhline(0, color="0.8", linewidth=0.8)
        grad_ax.set_xlabel("logit x")
        grad_ax.set_ylabel("∂L/∂x [nats per unit of x]")
        grad_ax.set_title("gradient ∂L/∂x = σ(x) − z", fontsize=10)
        self.loss_ax, self.grad_ax, self.figure = loss_ax, grad_ax, loss_ax.figure
        self.loss_line, self.naive_loss_line, self.grad_line, self.naive_grad_line = (
            loss_line,
            naive_loss_line,
            grad_line,
            naive_grad_line,
        )
        self.loss_marker, self.naive_loss_marker = loss_marker, naive_loss_marker
        self.grad_marker, self.naive_grad_marker = grad_marker, naive_grad_marker
        self.moving = {
            "loss_curve": loss_line,
            "naive_loss_curve": naive_loss_line,
            "grad_curve": grad_line,
            "naive_grad_curve": naive_grad_line,
            "loss_marker": loss_marker,
            "naive_loss_marker": naive_loss_marker,
            "grad_marker": grad_marker,
            "naive_grad_marker": naive_grad_marker,
        }
        self.update()

    def _checked(self, values: dict) -> dict:
        """The values checked: x a finite logit, z a label in [0, 1], dtype float32 or float64 (by name)."""
        checks = {"x": _logit, "z": _label, "dtype": _dtype_name}
        return {name: checks[name](value) if name in checks else value for name, value in values.items()}

    def state_at(self, **values) -> dict[str, np.ndarray]:
        return super().state_at(**self._checked(values))

    def update(self, **values) -> dict[str, np.ndarray]:
        return super().update(**self._checked(values))

    def state(self, x, z, dtype):
        t = _DTYPES[dtype]
        ndim = max(np.ndim(x), np.ndim(z))  # the slider axes and the items
        # the curves depend on z and the dtype only: length 1 on the x axis, stored once per (z, dtype)
        grid = _on_axes(self.grid.astype(t), ndim)
        curve_z, grid = np.broadcast_arrays(np.asarray(z).astype(t), grid)
        curve_x = _on_axes(self.grid, ndim)
        # the point: x and z in the dtype, as the old scalar code did (t(x), t(z)), now on the whole grid
        xs = np.asarray(x).astype(t)
        point_z, point_x = np.broadcast_arrays(np.asarray(z).astype(t), xs)
        loss = sigmoid_cross_entropy_with_logits(point_z, point_x)
        grad = sigmoid_cross_entropy_grad(point_z, point_x)
        naive_loss = naive.sigmoid_cross_entropy(point_z, point_x)
        naive_grad = naive_bce_grad(point_z, point_x)
        sigma, naive_sigma = sigmoid(xs), naive.sigmoid(xs)  # σ depends on x only: stored once per (x, dtype)
        return {
            "loss_curve.x": curve_x,
            "loss_curve.y": _shown(sigmoid_cross_entropy_with_logits(curve_z, grid)),
            "naive_loss_curve.x": curve_x,
            "naive_loss_curve.y": _shown(naive.sigmoid_cross_entropy(curve_z, grid)),
            "grad_curve.x": curve_x,
            "grad_curve.y": _shown(sigmoid_cross_entropy_grad(curve_z, grid)),
            "naive_grad_curve.x": curve_x,
            "naive_grad_curve.y": _shown(naive_bce_grad(curve_z, grid)),
            "loss_marker.x": x,
            "loss_marker.y": _shown(loss),
            "naive_loss_marker.x": x,
            "naive_loss_marker.y": _shown(naive_loss),
            "grad_marker.x": x,
            "grad_marker.y": _shown(grad),
            "naive_grad_marker.x": x,
            "naive_grad_marker.y": _shown(naive_grad),
            "dtype": np.full((1,) * ndim, dtype),
            "sigma": sigma.astype(float),
            "naive_sigma": naive_sigma.astype(float),
            "sigma_text": _texts(sigma, dtype),
            "naive_sigma_text": _texts(naive_sigma, dtype),
            "loss": loss.astype(float),
            "naive_loss": naive_loss.astype(float),
            "grad": grad.astype(float),
            "naive_grad": naive_grad.astype(float),
        }


def draw_bce_curves(x: float = 2.0, z: float = 1.0, *, dtype="float64", limit: float = 60.0, ax=None) -> BCECurves:
    """Plot binary cross-entropy L(x; z) and ∂L/∂x against the logit x ∈ [−limit, limit], marking x.

    ``ax`` is None (a new fixed-size figure with two axes side by side) or a pair of axes (loss, gradient).
    Thin line: the stable form from ``ce_teach``; wide pale band: the naive σ-then-log form in ``dtype``,
    drawn only where it is finite, so it visibly stops at x ≈ 16.6 in float32 (36.7 in float64). The
    markers: filled, the stable value at x; hollow, the naive one (absent where it is inf or nan).
    """
    return BCECurves(x, z, dtype=dtype, limit=limit, ax=ax)


@dataclass
class SigmoidPlot:
    """The curve q = σ(x) and markers at chosen logits; ``update(marked)`` moves the markers."""

    ax: Axes
    curve: Line2D
    markers: Line2D

    def update(self, marked) -> np.ndarray:
        marked = np.atleast_1d(v.as_real_array(marked, "marked")).astype(float)
        if marked.ndim != 1 or not np.isfinite(marked).all():
            raise ValueError(f"marked must be a 1-D list of finite logits, got {marked!r}")
        q = sigmoid(marked)
        self.markers.set_data(marked, q)
        return q


def draw_sigmoid(marked=(-2.0, 0.0, 2.0), *, limit: float = 8.0, ax=None) -> SigmoidPlot:
    """Plot the probability q = σ(x) = 1/(1 + e^{−x}) against the logit x ∈ [−limit, limit].

    Dashed lines mark q = 0, ½ and 1 (σ approaches 0 and 1 but never reaches them); dots mark the
    logits in ``marked``. ``ax`` is None (a new fixed-size figure) or the axes to draw in.
    """
    limit = v.positive_number(limit, "limit")
    ax = _axes(ax)
    grid = np.linspace(-limit, limit, 401)
    for level in (0.0, 0.5, 1.0):
        ax.axhline(level, color="0.8", linewidth=0.8, linestyle="--")
    ax.axvline(0.0, color="0.8", linewidth=0.8)
    (curve,) = ax.plot(grid, sigmoid(grid), color=MODEL_COLOUR, label="q = σ(x)")
    (markers,) = ax.plot([], [], "o", color=ACCENT_COLOUR, markersize=6)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel("logit x (log-odds, unitless)")
    ax.set_ylabel("q = σ(x), probability of class 1")
    ax.set_title("the sigmoid turns a logit into a probability", fontsize=10)
    plot = SigmoidPlot(ax, curve, markers)
    plot.update(marked)
    return plot

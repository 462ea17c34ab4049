"""Figures for the sigmoid and binary cross-entropy (notebook 04).

``draw_sigmoid`` plots q = σ(x) against the logit x, with a few logits marked.
``draw_bce_curves`` plots the loss L(x; z) and its gradient ∂L/∂x = σ(x) − z against the logit x for one
label z, twice: the stable form (``ce_teach.sigmoid_cross_entropy_with_logits``) as a thin line and the
naive "sigmoid, then log" form as a wide pale band under it, both in a chosen dtype. Where the naive form returns
inf or nan its line simply stops: the drawn data never contain a NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import naive
from ..activations import sigmoid
from ..gradients import sigmoid_cross_entropy_grad
from ..losses import sigmoid_cross_entropy_with_logits
from ._common import ACCENT_COLOUR, FIGSIZE, MODEL_COLOUR, TARGET_COLOUR, legend_above, set_title_text
from ._common import axes as _axes

__all__ = ["BCEPoint", "BCECurves", "SigmoidPlot", "draw_bce_curves", "draw_sigmoid", "naive_bce_grad"]

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


@dataclass
class BCEPoint:
    """The numbers at one (x, z): the stable values and the naive ones (which may be inf or nan)."""

    x: float
    z: float
    dtype: str
    sigma: float  # σ(x) in ``dtype``, from the stable two-branch sigmoid
    loss: float  # ce_teach.sigmoid_cross_entropy_with_logits, always finite for finite x
    grad: float  # ce_teach.sigmoid_cross_entropy_grad = σ(x) − z
    naive_sigma: float  # 1/(1 + e^{−x}) in ``dtype``
    naive_loss: float  # −z·log σ − (1 − z)·log(1 − σ) in ``dtype``: inf or nan once σ rounds to 0 or 1
    naive_grad: float  # naive_bce_grad: nan where the naive loss breaks


def _dtype_name(dtype) -> str:
    name = np.dtype(dtype).name
    if name not in _DTYPES:
        raise ValueError(f"dtype must be float32 or float64, got {name}")
    return name


def _point(x, z, dtype: str) -> BCEPoint:
    x, z = float(x), float(z)
    if not np.isfinite(x):
        raise ValueError(f"x must be a finite logit, got {x!r}")
    if not 0.0 <= z <= 1.0:  # also rejects NaN
        raise ValueError(f"z must be a label in [0, 1], got {z!r}")
    t = _DTYPES[dtype]
    xs, zs = t(x), t(z)
    return BCEPoint(
        x=x,
        z=z,
        dtype=dtype,
        sigma=float(sigmoid(xs)),
        loss=float(sigmoid_cross_entropy_with_logits(zs, xs)),
        grad=float(sigmoid_cross_entropy_grad(zs, xs)),
        naive_sigma=float(naive.sigmoid(xs)),
        naive_loss=float(naive.sigmoid_cross_entropy(zs, xs)),
        naive_grad=float(naive_bce_grad(zs, xs)),
    )


def _finite(grid: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = np.isfinite(values)
    return grid[keep], values[keep]


def _show(marker: Line2D, x: float, y: float) -> None:
    """Put a marker at (x, y), or hide it (empty data, never NaN) when y is not finite."""
    marker.set_data(([x], [y]) if np.isfinite(y) else ([], []))


@dataclass
class BCECurves:
    """Loss and gradient against the logit for one label, stable (line) and naive (band), with the
    current point marked. ``update(x, z, dtype=...)`` moves the markers; the curves are recomputed only
    when z or the dtype changes."""

    loss_ax: Axes
    grad_ax: Axes
    grid: np.ndarray
    loss_line: Line2D
    naive_loss_line: Line2D
    grad_line: Line2D
    naive_grad_line: Line2D
    loss_marker: Line2D
    naive_loss_marker: Line2D
    grad_marker: Line2D
    naive_grad_marker: Line2D
    z: float | None = None
    dtype: str | None = None

    def _curves(self, z: float, dtype: str) -> None:
        t = _DTYPES[dtype]
        grid = self.grid.astype(t)
        labels = np.full_like(grid, z)
        self.loss_line.set_data(self.grid, sigmoid_cross_entropy_with_logits(labels, grid).astype(float))
        self.grad_line.set_data(self.grid, sigmoid_cross_entropy_grad(labels, grid).astype(float))
        self.naive_loss_line.set_data(*_finite(self.grid, naive.sigmoid_cross_entropy(labels, grid).astype(float)))
        self.naive_grad_line.set_data(*_finite(self.grid, naive_bce_grad(labels, grid).astype(float)))
        self.z, self.dtype = z, dtype

    def update(self, x: float, z: float, *, dtype="float64") -> BCEPoint:
        dtype = _dtype_name(dtype)
        point = _point(x, z, dtype)
        if (point.z, dtype) != (self.z, self.dtype):
            self._curves(point.z, dtype)
        _show(self.loss_marker, point.x, point.loss)
        _show(self.naive_loss_marker, point.x, point.naive_loss)
        _show(self.grad_marker, point.x, point.grad)
        _show(self.naive_grad_marker, point.x, point.naive_grad)
        set_title_text(self.loss_ax, f"loss at x = {point.x:.1f}, z = {point.z:.2f}")
        set_title_text(self.grad_ax, f"gradient ∂L/∂x = σ(x) − z ({dtype})")
        return point


def draw_bce_curves(x: float = 2.0, z: float = 1.0, *, dtype="float64", limit: float = 60.0, ax=None) -> BCECurves:
    """Plot binary cross-entropy L(x; z) and ∂L/∂x against the logit x ∈ [−limit, limit], marking x.

    ``ax`` is None (a new fixed-size figure with two axes side by side) or a pair of axes (loss, gradient).
    Thin line: the stable form from ``ce_teach``; wide pale band: the naive σ-then-log form in ``dtype``,
    drawn only where it is finite, so it visibly stops at x ≈ 16.6 in float32 (36.7 in float64).
    """
    if not (isinstance(limit, (int, float)) and 0 < limit < np.inf):
        raise ValueError(f"limit must be a positive number, got {limit!r}")
    if ax is None:
        _, ax = plt.subplots(1, 2, figsize=FIGSIZE, layout="constrained")
    loss_ax, grad_ax = ax
    grid = np.linspace(-limit, limit, 801)
    # the naive curve is a wide pale band under the stable line: visible exactly where it is finite
    band = {"color": MODEL_COLOUR, "linewidth": 6, "alpha": 0.45, "solid_capstyle": "butt"}
    (naive_loss_line,) = loss_ax.plot([], [], label="naive: σ, then log (the textbook form)", **band)
    (loss_line,) = loss_ax.plot([], [], color=TARGET_COLOUR, label="stable form (ct)")
    (naive_grad_line,) = grad_ax.plot([], [], **band)
    (grad_line,) = grad_ax.plot([], [], color=TARGET_COLOUR)
    markers = [
        a.plot([], [], style, color=ACCENT_COLOUR, markersize=8, markerfacecolor=face)[0]
        for a in (loss_ax, grad_ax)
        for style, face in (("o", ACCENT_COLOUR), ("s", "none"))
    ]
    loss_ax.set_xlim(-limit, limit)
    loss_ax.set_ylim(0, 1.05 * limit + 1)
    loss_ax.set_xlabel("logit x")
    loss_ax.set_ylabel("loss [nats]")
    legend_above(loss_ax.figure, [naive_loss_line, loss_line], fontsize=8)
    for a in (loss_ax, grad_ax):
        a.title.set_fontsize(10)
    grad_ax.set_xlim(-limit, limit)
    grad_ax.set_ylim(-1.1, 1.1)
    grad_ax.axhline(0, color="0.8", linewidth=0.8)
    grad_ax.set_xlabel("logit x")
    grad_ax.set_ylabel("∂L/∂x [nats per unit of x]")
    plot = BCECurves(loss_ax, grad_ax, grid, loss_line, naive_loss_line, grad_line, naive_grad_line, *markers)
    plot.update(x, z, dtype=dtype)
    return plot


@dataclass
class SigmoidPlot:
    """The curve q = σ(x) and markers at chosen logits; ``update(marked)`` moves the markers."""

    ax: Axes
    curve: Line2D
    markers: Line2D

    def update(self, marked) -> np.ndarray:
        marked = np.atleast_1d(np.asarray(marked, dtype=float))
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
    if not (isinstance(limit, (int, float)) and 0 < limit < np.inf):
        raise ValueError(f"limit must be a positive number, got {limit!r}")
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

"""Figures for squared error vs cross-entropy (notebook 06): gradients vs the logit, the training race, 0-1 loss."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from ..losses import sigmoid_cross_entropy_with_logits
from ..mse import sigmoid_error_and_slope, sigmoid_squared_error, zero_one_loss
from ..training import TrainingHistory
from ._common import ACCENT_COLOUR, FIGSIZE, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above, set_title_text

__all__ = [
    "GradientRacePlot",
    "TrainingRacePlot",
    "ZeroOnePlot",
    "draw_gradients_vs_logit",
    "draw_training_race",
    "draw_zero_one_vs_ce",
]

CE_COLOUR = TARGET_COLOUR
MSE_COLOUR = MODEL_COLOUR


def _two_axes(axs):
    """The given pair of axes, or a new fixed-size figure with two panels side by side."""
    if axs is None:
        _, axs = plt.subplots(1, 2, figsize=FIGSIZE, layout="constrained")
    left, right = axs
    return left, right


def _logit(value, name: str = "logit") -> float:
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def _label(value) -> float:
    value = float(value)
    if value not in (0.0, 1.0):
        raise ValueError(f"label must be 0 or 1, got {value!r}")
    return value


def magnitude(value: float) -> str:
    """A gradient size for a label: 4 decimals down to 0.001, then scientific (the interesting part is tiny)."""
    value = abs(value)
    return f"{value:.4f}" if value >= 1e-3 else f"{value:.2e}"


def binary_gradients(logit: float, label: float) -> tuple[float, float, float]:
    """(∂MSE/∂x, ∂CE/∂x, ratio q(1 − q)) at one logit: the ratio |∂MSE/∂x| / |∂CE/∂x| without dividing 0 by 0."""
    error, slope = sigmoid_error_and_slope(np.array(label), np.array(logit))
    return float(error * slope), float(error), float(slope)


def _positive(value, name: str) -> float:
    """A positive finite number (numpy scalars included, bool refused), or an error naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a positive number, got {value!r}")
    value = float(value)
    if not 0.0 < value < np.inf:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


@dataclass
class GradientRacePlot:
    """Losses (left) and their gradients (right) against the logit, for one label, with markers at the current logit.

    A loss above the top of the left panel is not drawn at a false height: its marker becomes a triangle
    pinned to the top edge, labelled with the loss's value.
    """

    loss_ax: Axes
    grad_ax: Axes
    ce_loss_marker: Line2D
    mse_loss_marker: Line2D
    ce_grad_marker: Line2D
    mse_grad_marker: Line2D
    label_text: Text
    label: float
    ce_clip_text: Text | None = None
    losses: tuple[float, float] = (float("nan"), float("nan"))  # (CE, ½(q − z)²) at the last update

    def update(self, logit: float) -> tuple[float, float, float]:
        """Move the markers to ``logit``; return (∂MSE/∂x, ∂CE/∂x, q(1 − q)). ``losses`` holds (CE, MSE)."""
        x = _logit(logit)
        z = self.label
        g_mse, g_ce, ratio = binary_gradients(x, z)
        ce = float(sigmoid_cross_entropy_with_logits(z, x))
        mse = float(sigmoid_squared_error(z, x))
        self.losses = (ce, mse)
        lo, hi = self.loss_ax.get_xlim()
        shown_x = min(max(x, lo), hi)  # a logit beyond the plotted range sits at the edge; the text gives its value
        top = self.loss_ax.get_ylim()[1]
        clipped = ce > top
        self.ce_loss_marker.set_data([shown_x], [top if clipped else ce])
        self.ce_loss_marker.set_marker("^" if clipped else "o")
        if self.ce_clip_text is not None:
            self.ce_clip_text.set_visible(clipped)
            if clipped:
                self.ce_clip_text.set_position((shown_x + 0.04 * (hi - lo) * (1 if shown_x < (lo + hi) / 2 else -1),
                                                top * 0.97))
                self.ce_clip_text.set_horizontalalignment("left" if shown_x < (lo + hi) / 2 else "right")
                self.ce_clip_text.set_text(f"CE = {ce:.3g} (off the top)")
        self.mse_loss_marker.set_data([shown_x], [mse])
        self.ce_grad_marker.set_data([shown_x], [g_ce])
        self.mse_grad_marker.set_data([shown_x], [g_mse])
        self.label_text.set_text(
            f"x = {round(x, 1) + 0.0:.1f}\nCE = {ce:.3g}, ½(q−z)² = {mse:.3g}\n|∂CE/∂x| = {magnitude(g_ce)}\n"
            f"|∂MSE/∂x| = {magnitude(g_mse)}\nratio q(1−q) = {magnitude(ratio)}"
        )
        return g_mse, g_ce, ratio


def draw_gradients_vs_logit(logit: float = -4.0, *, label: float = 1.0, limit: float = 10.0, loss_ymax: float = 4.0,
                            axs=None) -> GradientRacePlot:
    """Plot CE and ½(σ(x) − z)² in nats (left) and their gradients ∂/∂x (right) against the logit x, marking ``logit``.

    ``limit`` sets the logit range [−limit, limit]; ``loss_ymax`` the top of the loss panel (a loss above
    it is marked at the top edge with its value).
    """
    z = _label(label)
    limit = _positive(limit, "limit")
    loss_ymax = _positive(loss_ymax, "loss_ymax")
    loss_ax, grad_ax = _two_axes(axs)
    grid = np.linspace(-limit, limit, 401)
    labels = np.full_like(grid, z)
    error, slope = sigmoid_error_and_slope(labels, grid)
    curves = (loss_ax.plot(grid, sigmoid_cross_entropy_with_logits(labels, grid), color=CE_COLOUR,
                           label="cross-entropy; gradient q − z")[0],
              loss_ax.plot(grid, sigmoid_squared_error(labels, grid), color=MSE_COLOUR,
                           label="½(q − z)²; gradient (q − z)·q(1 − q)")[0])
    grad_ax.plot(grid, error, color=CE_COLOUR)
    grad_ax.plot(grid, error * slope, color=MSE_COLOUR)
    markers = [ax.plot([], [], "o", color=colour, markersize=7, clip_on=False)[0]
               for ax in (loss_ax, grad_ax) for colour in (CE_COLOUR, MSE_COLOUR)]
    loss_ax.set_xlim(-limit, limit)
    loss_ax.set_ylim(0, loss_ymax)
    loss_ax.set_xlabel("logit x")
    loss_ax.set_ylabel("loss (CE in nats)")
    loss_ax.set_title(f"losses, label z = {z:.0f}")
    grad_ax.set_xlim(-limit, limit)
    if z == 1:
        grad_ax.set_ylim(-1.05, 0.05)  # for label 1 every gradient is ≤ 0: raising x lowers the loss
    else:
        grad_ax.set_ylim(-0.05, 1.05)
    grad_ax.axhline(0.0, color="0.6", linewidth=0.8)
    grad_ax.set_xlabel("logit x")
    grad_ax.set_ylabel("∂loss/∂x (CE: nats per unit of x)")
    grad_ax.set_title("gradients")
    legend_above(loss_ax.figure, list(curves))
    text = grad_ax.text(0.03, 0.5 if z == 1 else 0.45, "", transform=grad_ax.transAxes, fontsize="x-small",
                        va="center", color=ACCENT_COLOUR)
    clip_text = loss_ax.text(0.0, loss_ymax, "", va="top", fontsize="x-small", color=CE_COLOUR, visible=False,
                             bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.0})
    plot = GradientRacePlot(loss_ax, grad_ax, *markers, text, z, clip_text)
    plot.update(logit)
    return plot


@dataclass
class TrainingRacePlot:
    """Learning curves of two runs (squared error left, accuracy right), the MSE-trained and the CE-trained one."""

    se_ax: Axes
    acc_ax: Axes
    se_lines: tuple[Line2D, Line2D]
    acc_lines: tuple[Line2D, Line2D]
    finals_in_title: bool = True  # the accuracy panel's title gives both final accuracies

    def update(self, mse_run: TrainingHistory, ce_run: TrainingHistory) -> tuple[float, float]:
        """Replace the curves' data in place; return the final accuracies (MSE run, CE run)."""
        for run, se_line, acc_line in zip((mse_run, ce_run), self.se_lines, self.acc_lines, strict=True):
            steps = np.arange(run.steps + 1)
            se_line.set_data(steps, run.squared_error)
            acc_line.set_data(steps, run.accuracy)
        last = max(mse_run.steps, ce_run.steps, 1)
        for ax in (self.se_ax, self.acc_ax):
            if ax.get_xlim() != (0, last):  # unchanged limits leave the axis as drawn (live figures blit)
                ax.set_xlim(0, last)
        final = float(mse_run.accuracy[-1]), float(ce_run.accuracy[-1])
        if self.finals_in_title:
            set_title_text(self.acc_ax, f"accuracy (final: MSE {final[0]:.0%}, CE {final[1]:.0%})")
        return final


def draw_training_race(mse_run: TrainingHistory, ce_run: TrainingHistory, *, axs=None) -> TrainingRacePlot:
    """Side-by-side learning curves of a squared-error run and a cross-entropy run of ``train_logistic``."""
    se_ax, acc_ax = _two_axes(axs)
    se_lines = (se_ax.plot([], [], color=MSE_COLOUR, label="trained on MSE")[0],
                se_ax.plot([], [], color=CE_COLOUR, label="trained on CE")[0])
    acc_lines = (acc_ax.plot([], [], color=MSE_COLOUR)[0], acc_ax.plot([], [], color=CE_COLOUR)[0])
    se_ax.set_ylim(0, 0.52)
    se_ax.set_xlabel("gradient-descent step")
    se_ax.set_ylabel("mean ½(q − z)²")
    se_ax.set_title("squared error (both runs)", fontsize="medium")
    acc_ax.title.set_fontsize("medium")
    legend_above(se_ax.figure, list(se_lines))
    acc_ax.set_ylim(-0.03, 1.03)
    acc_ax.set_xlabel("gradient-descent step")
    acc_ax.set_ylabel("accuracy")
    plot = TrainingRacePlot(se_ax, acc_ax, se_lines, acc_lines)
    plot.update(mse_run, ce_run)
    return plot


@dataclass
class ZeroOnePlot:
    """The 0-1 loss and cross-entropy against the logit (label 1), with a marker on the 0-1 loss."""

    ax: Axes
    marker: Line2D
    label_text: Text

    def update(self, logit: float) -> float:
        """Move the marker to ``logit``; return the 0-1 loss there."""
        x = _logit(logit)
        loss = float(zero_one_loss(1, x))
        lo, hi = self.ax.get_xlim()
        self.marker.set_data([min(max(x, lo), hi)], [loss])
        self.label_text.set_text(f"x = {round(x, 2) + 0.0:.2f}: 0-1 loss = {loss:.0f}")
        return loss


def draw_zero_one_vs_ce(logit: float = -1.0, *, limit: float = 4.0, ax=None) -> ZeroOnePlot:
    """Plot the 0-1 loss (a step: flat, then a jump at x = 0) next to cross-entropy (smooth), for label 1."""
    ax = axes(ax)
    grid = np.linspace(-limit, limit, 801)
    ones = np.ones_like(grid)
    ax.plot(grid, sigmoid_cross_entropy_with_logits(ones, grid), color=CE_COLOUR, label="cross-entropy")
    left, right = grid[grid <= 0], grid[grid > 0]  # drawn as two flat pieces: no line pretends to join the jump
    ax.plot(left, zero_one_loss(np.ones_like(left), left), color=MSE_COLOUR, linewidth=2.5, label="0-1 loss")
    ax.plot(right, zero_one_loss(np.ones_like(right), right), color=MSE_COLOUR, linewidth=2.5)
    (marker,) = ax.plot([], [], "o", color=ACCENT_COLOUR, markersize=8)
    text = ax.text(0.97, 0.6, "", transform=ax.transAxes, ha="right", fontsize="small")
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-0.1, limit + 0.5)
    ax.set_xlabel("logit x (label z = 1)")
    ax.set_ylabel("loss (CE in nats; 0-1: mistakes)")
    ax.set_title("0-1 loss is flat except for one jump; cross-entropy has a slope everywhere", fontsize="medium")
    ax.legend(loc="upper right", fontsize="small")
    plot = ZeroOnePlot(ax, marker, text)
    plot.update(logit)
    return plot

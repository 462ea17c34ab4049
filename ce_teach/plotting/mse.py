"""Figures for squared error vs cross-entropy (notebook 06): gradients vs the logit, the training race, 0-1 loss."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .. import _validate as v
from ..gradients import sigmoid_cross_entropy_grad
from ..losses import sigmoid_cross_entropy_with_logits
from ..squared_error import (
    sigmoid_error_and_slope,
    sigmoid_squared_error,
    sigmoid_squared_error_grad,
    zero_one_loss,
)
from ..training import TrainingHistory, race_data, train_logistic_grid
from ._common import ACCENT_COLOUR, FIGSIZE, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above
from ._live import LivePlot

__all__ = [
    "GradientRacePlot",
    "TrainingRacePlot",
    "RaceCurves",
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
    value = v.real_number(value, name, "a finite number")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def _label(value) -> float:
    value = v.real_number(value, "label", "0 or 1")
    if value not in (0.0, 1.0):
        raise ValueError(f"label must be 0 or 1, got {value!r}")
    return value


_positive = v.positive_number  # a positive finite number (numpy scalars included, bool refused)

OFF_THE_TOP = 0.97  # a loss above the loss panel is a triangle at this fraction of its height


class GradientRacePlot(LivePlot):
    """Losses (left) and their gradients (right) against the logit, for one label, with markers at the logit ``x``.

    A cross-entropy above the top of the left panel is not drawn at a false height: its circle gives way to a
    triangle just under the top edge (two markers, one of them empty), and the readout gives the loss.
    """

    labels = {"x": "logit x"}

    def __init__(self, x: float = -4.0, *, label: float = 1.0, limit: float = 10.0, loss_ymax: float = 4.0, axs=None):
        self.label = z = _label(label)
        self.limit = limit = _positive(limit, "limit")
        self.loss_ymax = loss_ymax = _positive(loss_ymax, "loss_ymax")
        x = _logit(x, "x")
        if abs(x) > limit:
            raise ValueError(f"x must lie in the plotted range [−limit, limit] = [−{limit:g}, {limit:g}], got {x!r}")
        self.values = {"x": x}
        self.readout = (
            "loss CE = <b>{ce:#.4g}</b> nats, ½(q − z)² = <b>{mse:#.4g}</b> &nbsp; |∂CE/∂x| = <b>{g_ce:#.4g}</b> "
            "&nbsp; |∂MSE/∂x| = <b>{g_mse:#.4g}</b> &nbsp; ratio |∂MSE/∂x| / |∂CE/∂x| = q(1 − q) = "
            "<b>{ratio:#.4g}</b>"
        )
        loss_ax, grad_ax = _two_axes(axs)
        grid = np.linspace(-limit, limit, 401)
        labels = np.full_like(grid, z)
        error, slope = sigmoid_error_and_slope(labels, grid)
        curves = (
            loss_ax.plot(
                grid,
                sigmoid_cross_entropy_with_logits(labels, grid),
                color=CE_COLOUR,
                label="cross-entropy; gradient q − z",
            )[0],
            loss_ax.plot(
                grid,
                sigmoid_squared_error(labels, grid),
                color=MSE_COLOUR,
                label="½(q − z)²; gradient (q − z)·q(1 − q)",
            )[0],
        )
        grad_ax.plot(grid, error, color=CE_COLOUR)
        grad_ax.plot(grid, error * slope, color=MSE_COLOUR)
        self.moving = {}
        for name, ax, colour, shape in (
            ("ce_loss", loss_ax, CE_COLOUR, "o"),
            ("ce_off", loss_ax, CE_COLOUR, "^"),
            ("mse_loss", loss_ax, MSE_COLOUR, "o"),
            ("ce_grad", grad_ax, CE_COLOUR, "o"),
            ("mse_grad", grad_ax, MSE_COLOUR, "o"),
        ):
            (self.moving[name],) = ax.plot([np.nan], [np.nan], shape, color=colour, markersize=7)
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
        self.loss_ax, self.grad_ax, self.figure = loss_ax, grad_ax, loss_ax.figure
        self.update()

    def state(self, x):
        z = np.full_like(x, self.label)
        ce = sigmoid_cross_entropy_with_logits(z, x)
        mse = sigmoid_squared_error(z, x)
        g_ce = sigmoid_cross_entropy_grad(z, x)
        g_mse = sigmoid_squared_error_grad(z, x)
        _, slope = sigmoid_error_and_slope(z, x)  # q(1 − q) = |∂MSE/∂x| / |∂CE/∂x|, with no 0/0
        off = ce > self.loss_ymax
        return {
            "ce_loss.x": x,
            "ce_loss.y": np.where(off, np.nan, ce),
            "ce_off.x": x,
            "ce_off.y": np.where(off, OFF_THE_TOP * self.loss_ymax, np.nan),
            "mse_loss.x": x,
            "mse_loss.y": mse,
            "ce_grad.x": x,
            "ce_grad.y": g_ce,
            "mse_grad.x": x,
            "mse_grad.y": g_mse,
            "ce": ce,
            "mse": mse,
            "g_ce": np.abs(g_ce),
            "g_mse": np.abs(g_mse),
            "ratio": slope,
        }


def draw_gradients_vs_logit(
    logit: float = -4.0, *, label: float = 1.0, limit: float = 10.0, loss_ymax: float = 4.0, axs=None
) -> GradientRacePlot:
    """Plot CE and ½(σ(x) − z)² in nats (left) and their gradients ∂/∂x (right) against the logit x, marking ``logit``.

    ``limit`` sets the logit range [−limit, limit] (``logit`` must lie in it); ``loss_ymax`` the top of the
    loss panel (a loss above it is a triangle under the top edge). ``plot.readout_text()`` gives the numbers.
    """
    return GradientRacePlot(logit, label=label, limit=limit, loss_ymax=loss_ymax, axs=axs)


def _race_axes(se_ax: Axes, acc_ax: Axes) -> tuple[tuple[Line2D, Line2D], tuple[Line2D, Line2D]]:
    """The two panels of the training race, with empty lines: squared error (left) and accuracy (right)."""
    se_lines = (
        se_ax.plot([], [], color=MSE_COLOUR, label="trained on MSE")[0],
        se_ax.plot([], [], color=CE_COLOUR, label="trained on CE")[0],
    )
    acc_lines = (acc_ax.plot([], [], color=MSE_COLOUR)[0], acc_ax.plot([], [], color=CE_COLOUR)[0])
    se_ax.set_ylim(0, 0.52)
    se_ax.set_xlabel("gradient-descent step")
    se_ax.set_ylabel("mean ½(q − z)²")
    se_ax.set_title("squared error (both runs)", fontsize="medium")
    legend_above(se_ax.figure, list(se_lines))
    acc_ax.set_ylim(-0.03, 1.03)
    acc_ax.set_xlabel("gradient-descent step")
    acc_ax.set_ylabel("accuracy")
    acc_ax.set_title("accuracy (both runs)", fontsize="medium")
    return se_lines, acc_lines


class TrainingRacePlot(LivePlot):
    """The training race: two sigmoid neurons from the same start ``w0`` with the same learning rate ``lr``, one
    trained on squared error and one on cross-entropy; their squared error (left) and accuracy (right) by step.

    Both runs are trained by ``ct.train_logistic_grid`` (bit for bit ``ct.train_logistic``); the curves keep
    every ``every``-th step (and the last). ``x`` and ``y`` default to notebook 06's data, ``ct.race_data()``.
    """

    labels = {"w0": "starting weight w₀", "lr": "learning rate"}

    def __init__(
        self,
        x=None,
        y=None,
        *,
        w0: float = -8.0,
        lr: float = 1.0,
        steps: int = 300,
        b0: float = 0.0,
        every: int = 1,
        axs=None,
    ):
        if (x is None) != (y is None):
            raise ValueError("give both x and y (the data), or neither for notebook 06's data set")
        self.x, self.y = race_data() if x is None else (x, y)
        self.b0 = b0
        every = v.whole_number(every, "every", minimum=1)
        w0, lr = v.real_number(w0, "w0"), v.real_number(lr, "lr")
        train_logistic_grid(self.x, self.y, w0=w0, lr=lr, b0=b0, steps=steps, record=[0])  # checks every setting
        self.steps = steps = int(steps)
        record = np.arange(0, steps + 1, every)
        self.record = record if record[-1] == steps else np.append(record, steps)
        self.values = {"w0": w0, "lr": lr}
        self.readout = (
            f"after {steps} steps: accuracy <b>{{acc_mse:.0%}}</b> (MSE) vs <b>{{acc_ce:.0%}}</b> (CE); "
            "½(q − z)² = {se_mse:.4f} vs {se_ce:.4f}; CE = {ce_mse:.3f} vs {ce_ce:.3f}"
        )
        se_ax, acc_ax = _two_axes(axs)
        se_lines, acc_lines = _race_axes(se_ax, acc_ax)
        for line in (*se_lines, *acc_lines):
            line.set_xdata(self.record)
        for ax in (se_ax, acc_ax):
            ax.set_xlim(0, max(steps, 1))
        self.se_ax, self.acc_ax, self.figure = se_ax, acc_ax, se_ax.figure
        self.se_lines, self.acc_lines = se_lines, acc_lines
        self.moving = {"se_mse": se_lines[0], "se_ce": se_lines[1], "acc_mse": acc_lines[0], "acc_ce": acc_lines[1]}
        self.update()

    def state(self, w0, lr):
        runs = train_logistic_grid(
            self.x, self.y, w0=w0, lr=lr, b0=self.b0, steps=self.steps, losses=("mse", "ce"), record=self.record
        )
        # arrays (*grid, 1, losses, records): the grid of the sliders, their items axis, MSE and CE rows
        state = {}
        for r, name in enumerate(("mse", "ce")):
            se, acc, ce = (a[..., 0, r, :] for a in (runs.squared_error, runs.accuracy, runs.cross_entropy))
            state |= {
                f"se_{name}.y": se,
                f"acc_{name}.y": acc,
                f"acc_{name}": acc[..., -1:],
                f"se_{name}": se[..., -1:],
                f"ce_{name}": ce[..., -1:],
            }
        return state


@dataclass
class RaceCurves:
    """The training race drawn from two finished runs (a static figure; ``TrainingRacePlot`` is the live one)."""

    se_ax: Axes
    acc_ax: Axes
    se_lines: tuple[Line2D, Line2D]
    acc_lines: tuple[Line2D, Line2D]


def draw_training_race(mse_run: TrainingHistory, ce_run: TrainingHistory, *, axs=None) -> RaceCurves:
    """Side-by-side learning curves of a squared-error run and a cross-entropy run of ``train_logistic``.

    The accuracy panel's title gives both final accuracies.
    """
    for run, name in ((mse_run, "mse_run"), (ce_run, "ce_run")):
        if not isinstance(run, TrainingHistory):
            raise TypeError(f"{name} must be a ct.TrainingHistory (from ct.train_logistic), got {type(run).__name__}")
    se_ax, acc_ax = _two_axes(axs)
    se_lines, acc_lines = _race_axes(se_ax, acc_ax)
    for run, se_line, acc_line in zip((mse_run, ce_run), se_lines, acc_lines, strict=True):
        steps = np.arange(run.steps + 1)
        se_line.set_data(steps, run.squared_error)
        acc_line.set_data(steps, run.accuracy)
    for ax in (se_ax, acc_ax):
        ax.set_xlim(0, max(mse_run.steps, ce_run.steps, 1))
    final = float(mse_run.accuracy[-1]), float(ce_run.accuracy[-1])
    acc_ax.set_title(f"accuracy (final: MSE {final[0]:.0%}, CE {final[1]:.0%})", fontsize="medium")
    return RaceCurves(se_ax, acc_ax, se_lines, acc_lines)


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
    limit = _positive(limit, "limit")
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

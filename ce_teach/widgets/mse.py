"""Sliders for squared error vs cross-entropy (notebook 06): gradients against the logit, and the training race."""

from __future__ import annotations

from .. import _validate as v
from ..plotting.mse import GradientRacePlot, TrainingRacePlot
from ._figure import new_axes
from ._widget import LiveFigure, live

__all__ = ["gradients_vs_logit", "training_race"]
SHORTCUTS = ("gradients_vs_logit", "training_race")  # the shortcuts on the tables (ce_teach.widgets.SHORTCUTS)

LOGIT_STEP = 0.1
RACE_EVERY = 4  # the race's curves keep every 4th step: 76 points of 300 steps, 1.7 MB of tables


def _on_grid(value, name: str, step: float, low: float, high: float) -> float:
    """A slider's start: a finite number in [low, high] that is a whole number of steps from low."""
    value = v.real_number(value, name)
    if not low <= value <= high:  # also refuses NaN
        raise ValueError(f"{name} must be in [{low:g}, {high:g}] (the slider's range), got {value!r}")
    steps = (value - low) / step
    if abs(steps - round(steps)) > 1e-9 * max(1.0, abs(steps)):
        raise ValueError(
            f"{name} must be a position of its slider ({low:g} to {high:g} in steps of {step:g}), got {value!r}"
        )
    return round(low + round(steps) * step, 12) + 0.0  # the position itself (+ 0.0: no −0.0)


def gradients_vs_logit(logit: float = -4.0, *, label: float = 1.0, limit: float = 10.0) -> LiveFigure:
    """Slider ``x``, the logit, over [−limit, limit] in steps of 0.1: markers move on the losses and gradients; the
    readout gives both losses, both gradient sizes and their ratio q(1 − q).

    ``limit`` must be a multiple of 0.1 in [1, 1000]; ``logit`` a slider position (a multiple of 0.1 in range).
    """
    limit = v.positive_number(limit, "limit")
    if not 1.0 <= limit <= 1000.0 or abs(limit * 10 - round(limit * 10)) > 1e-9 * limit:
        raise ValueError(
            f"limit must be a multiple of 0.1 between 1 and 1000 (the slider moves in steps of 0.1), got {limit!r}"
        )
    limit = round(limit * 10) / 10
    start = _on_grid(logit, "logit", LOGIT_STEP, -limit, limit)
    plot = GradientRacePlot(start, label=label, limit=limit, axs=new_axes(ncols=2))
    return live(plot, x=(-limit, limit, LOGIT_STEP))


def training_race(
    x=None, y=None, *, w0: float = -8.0, lr: float = 1.0, steps: int = 300, b0: float = 0.0
) -> LiveFigure:
    """Sliders for the starting weight ``w0`` (−12 to 4, steps of 1) and the learning rate ``lr`` (0.05 to 4.0,
    steps of 0.05): the two runs (MSE and CE) at every setting, trained once when the figure is made.

    ``x`` and ``y`` default to notebook 06's data set (``ct.race_data()``); give both or neither. All 17 × 80
    settings are trained at once by ``ct.train_logistic_grid`` (about half a second for 300 steps on 40 examples).
    """
    w0 = _on_grid(w0, "w0", 1.0, -12.0, 4.0)
    lr = _on_grid(lr, "lr", 0.05, 0.05, 4.0)
    plot = TrainingRacePlot(x, y, w0=w0, lr=lr, steps=steps, b0=b0, every=RACE_EVERY, axs=new_axes(ncols=2))
    return live(plot, w0=(-12.0, 4.0, 1.0), lr=(0.05, 4.0, 0.05))

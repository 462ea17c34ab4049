"""Sliders for squared error vs cross-entropy (notebook 06): gradients against the logit, and the training race."""

from __future__ import annotations

import numpy as np

from ..plotting.mse import _positive, draw_gradients_vs_logit, draw_training_race, magnitude
from ..training import train_logistic_runs
from ._live import LiveWidget, live_figure, slider

__all__ = ["gradients_vs_logit", "training_race"]


def gradients_vs_logit(logit: float = -4.0, *, label: float = 1.0, limit: float = 10.0) -> LiveWidget:
    """Slider ``x``, the logit, over [−limit, limit]: markers move on the losses and gradients; the readout
    gives both losses, both gradient sizes and their ratio, for the slider's (clamped) value.

    ``limit`` must lie in [1, 1000] (the slider moves in steps of 0.1); numpy scalars are accepted.
    """
    limit = _positive(limit, "limit")
    if not 1.0 <= limit <= 1000.0:
        raise ValueError(f"limit must be between 1 and 1000 (the slider moves in steps of 0.1), got {limit!r}")
    if isinstance(logit, bool) or not isinstance(logit, (int, float, np.integer, np.floating)):
        raise TypeError(f"logit must be a number, got {logit!r}")
    if not np.isfinite(logit):
        raise ValueError(f"logit must be a finite number, got {logit!r}")
    fig = live_figure()
    left, right = fig.subplots(1, 2)
    start = float(np.clip(logit, -limit, limit))
    plot = draw_gradients_vs_logit(start, label=label, limit=limit, axs=(left, right))
    # The readout above the figure gives the same numbers; drawn in the axes, those lines of text
    # would be painted again at every move (text is the slowest thing to draw).
    plot.label_text.set_visible(False)
    box = LiveWidget({"x": slider(start, -limit, limit, 0.1, "logit x", readout_format=".1f")}, fig, plot)

    def update(_=None):
        g_mse, g_ce, ratio = plot.update(box.x.value)
        ce, mse = plot.losses
        box.show(
            f"x = {box.x.value + 0.0:.1f}: loss CE = <b>{ce:.3g}</b> nats, ½(q − z)² = <b>{mse:.3g}</b> &nbsp; "
            f"|∂CE/∂x| = <b>{magnitude(g_ce)}</b> &nbsp; |∂MSE/∂x| = <b>{magnitude(g_mse)}</b> &nbsp; "
            f"ratio |∂MSE/∂x| / |∂CE/∂x| = q(1 − q) = <b>{magnitude(ratio)}</b>"
        )

    box.x.observe(update, names="value")
    update()
    return box


def training_race(x, y, *, w0: float = -8.0, lr: float = 1.0, steps: int = 300, b0: float = 0.0) -> LiveWidget:
    """Sliders for the starting weight ``w0`` and the learning rate ``lr``: both runs are retrained and redrawn.

    Each move retrains both runs (MSE and CE, ``steps`` full-batch steps on the given data, stepped
    together by ``train_logistic_runs``: about 15 ms for 300 steps on 40 examples) and replaces the
    line data of the existing curves.
    """
    fig = live_figure()
    left, right = fig.subplots(1, 2)

    def race(start: float, rate: float):
        return train_logistic_runs(x, y, losses=("mse", "ce"), w0=start, b0=b0, lr=rate, steps=steps)

    plot = draw_training_race(*race(w0, lr), axs=(left, right))
    plot.finals_in_title = False  # the readout gives them; a changing title is drawn again at every move
    right.set_title("accuracy (both runs)", fontsize="medium")
    controls = {
        "w0": slider(w0, -12.0, 4.0, 0.5, "starting weight w₀", readout_format=".1f"),
        "lr": slider(lr, 0.05, 4.0, 0.05, "learning rate", readout_format=".2f"),
    }
    box = LiveWidget(controls, fig, plot)

    def update(_=None):
        mse_run, ce_run = race(box.w0.value, box.lr.value)
        final_mse, final_ce = plot.update(mse_run, ce_run)
        box.show(
            f"after {steps} steps: accuracy <b>{final_mse:.0%}</b> (MSE) vs <b>{final_ce:.0%}</b> (CE); "
            f"½(q − z)² = {float(mse_run.squared_error[-1]):.4f} vs {float(ce_run.squared_error[-1]):.4f}; "
            f"CE = {float(mse_run.cross_entropy[-1]):.3f} vs {float(ce_run.cross_entropy[-1]):.3f}"
        )

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return box

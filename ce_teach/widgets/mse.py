"""Sliders for squared error vs cross-entropy (notebook 06): gradients against the logit, and the training race."""

from __future__ import annotations

from ..plotting.mse import draw_gradients_vs_logit, draw_training_race, magnitude
from ..training import train_logistic_runs
from ._live import LiveWidget, live_figure, slider

__all__ = ["gradients_vs_logit", "training_race"]


def gradients_vs_logit(logit: float = -4.0, *, label: float = 1.0, limit: float = 10.0) -> LiveWidget:
    """Slider ``x``, the logit: markers move on the losses and gradients; both gradient sizes and their ratio, live."""
    fig = live_figure()
    left, right = fig.subplots(1, 2)
    plot = draw_gradients_vs_logit(logit, label=label, limit=limit, axs=(left, right))
    # The readout above the figure gives the same numbers; drawn in the axes, those four lines of text
    # would be painted again at every move (text is the slowest thing to draw).
    plot.label_text.set_visible(False)
    box = LiveWidget({"x": slider(logit, -limit, limit, 0.1, "logit x", readout_format=".1f")}, fig, plot)

    def update(_=None):
        g_mse, g_ce, ratio = plot.update(box.x.value)
        box.show(
            f"|∂CE/∂x| = <b>{magnitude(g_ce)}</b> &nbsp; |∂MSE/∂x| = <b>{magnitude(g_mse)}</b> &nbsp; "
            f"ratio |∂MSE/∂x| / |∂CE/∂x| = a(1 − a) = <b>{magnitude(ratio)}</b>"
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
            f"½(a − y)² = {float(mse_run.squared_error[-1]):.4f} vs {float(ce_run.squared_error[-1]):.4f}; "
            f"CE = {float(mse_run.cross_entropy[-1]):.3f} vs {float(ce_run.cross_entropy[-1]):.3f}"
        )

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return box

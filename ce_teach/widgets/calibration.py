"""The temperature and the trained network of notebook 10: the reliability diagram of the test digits, live.

The nine networks (plain cross-entropy, label smoothing ε = 0.05 … 0.2, focal loss γ = 1 … 4) are trained the
first time the figure is made (nine runs of ``ct.classifier.digits_run``, a few seconds) and kept for the
session; the figure then holds, for each network and each temperature, the diagram and the readout.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import _validate as v
from ..classifier import digits_run
from ..plotting.calibration import CalibrationPlot
from ._figure import new_axes
from ._widget import LiveFigure, live

__all__ = ["calibration_explorer", "trained_logits", "MODELS"]
SHORTCUTS = ("calibration_explorer",)  # the shortcuts on the tables (ce_teach.widgets.SHORTCUTS)

# The networks to choose from, as (button text, (label smoothing ε, focal γ)): one change to plain CE each.
MODELS = (
    ("plain CE", (0.0, 0.0)),
    *((f"ε = {eps:g}", (eps, 0.0)) for eps in (0.05, 0.1, 0.15, 0.2)),
    *((f"γ = {gamma:g}", (0.0, gamma)) for gamma in (1.0, 2.0, 3.0, 4.0)),
)


@functools.cache
def trained_logits(label_smoothing: float = 0.0, gamma: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(test logits (797, 10), test labels) of notebook 09's network trained with ε or γ; cached."""
    run = digits_run(hidden=64, label_smoothing=label_smoothing, gamma=gamma, every=300)
    x, y = run.test
    logits = run.net.logits(x)
    logits.setflags(write=False)
    return logits, y


def calibration_explorer(temperature: float = 1.0, label_smoothing: float = 0.0, gamma: float = 0.0) -> LiveFigure:
    """Slider for T (0.2 to 3.0, steps of 0.05) and a choice of network: plain CE, label smoothing ε (0.05 to 0.2)
    or focal loss γ (1 to 4). The reliability diagram of the test digits follows; the readout gives accuracy,
    mean confidence, NLL and ECE. T divides the logits (it changes no prediction).

    ``label_smoothing`` and ``gamma`` choose the starting network (at most one of them off 0: the networks were
    trained with one change each).
    """
    temperature = v.positive_number(temperature, "temperature")
    steps = (temperature - 0.2) / 0.05
    if not 0.2 <= temperature <= 3.0 or abs(steps - round(steps)) > 1e-9:
        raise ValueError(
            f"temperature must be a position of its slider (0.2 to 3 in steps of 0.05), got {temperature!r}"
        )
    label_smoothing = v.real_number(label_smoothing, "label_smoothing")
    gamma = v.real_number(gamma, "gamma")
    if label_smoothing != 0 and gamma != 0:
        raise ValueError(
            f"label_smoothing = {label_smoothing!r} and gamma = {gamma!r}: the networks were trained "
            "with one of them at a time; set the other to 0"
        )
    start = (label_smoothing + 0.0, gamma + 0.0)
    choices = [value for _, value in MODELS]
    if start not in choices:
        raise ValueError(
            f"(label_smoothing, gamma) = {start} is not one of the trained networks: ε in "
            "0, 0.05, 0.1, 0.15, 0.2 or γ in 0, 1, 2, 3, 4"
        )
    models = {value: trained_logits(*value) for value in choices}
    plot = CalibrationPlot(
        models, model=start, temperature=round(0.2 + round(steps) * 0.05, 12), ax=new_axes((5.2, 3.8))
    )
    return live(plot, temperature=(0.2, 3.0, 0.05), model=list(MODELS))

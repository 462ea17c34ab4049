"""Live figures for the notebooks: the only part of ce_teach that imports ipywidgets and anywidget.

``live(plot, **controls)`` turns any ``LivePlot`` (``ce_teach.plotting``) into sliders whose every
position was computed here, in numpy, so the browser only looks it up and draws it: with a kernel in
JupyterLab, and without one on the static site and in the slides (``embed``). Each function below is a
shortcut: one plot, its controls and their ranges, as a notebook uses them. Every one works with no
arguments. ``w.set(p=0.9)`` moves a control from Python; ``w.values``, ``w.state()`` and
``w.readout_text()`` are what the browser shows.
"""

from . import calibration, fitting, information, mse, sigmoid, softmax
from ._widget import LiveFigure, live
from .calibration import calibration_explorer
from .fitting import kl_fits
from .information import coin_entropy, kl_explorer, softmax_entropy, true_class_loss, true_class_loss_log
from .mse import gradients_vs_logit, training_race
from .sigmoid import bce_explorer
from .softmax import softmax_explorer, temperature_explorer

__all__ = [
    "LiveFigure",
    "live",
    "coin_entropy",
    "softmax_entropy",
    "kl_explorer",
    "true_class_loss",
    "true_class_loss_log",  # 03
    "kl_fits",  # 02
    "gradients_vs_logit",
    "training_race",  # 06
    "bce_explorer",  # 04
    "softmax_explorer",  # 05
    "temperature_explorer",  # 05
    "calibration_explorer",  # 10
]

# Every shortcut on the tables (each works with no arguments; tests/test_live.py sweeps them all).
# Each module lists its own in SHORTCUTS.
_MODULES = (information, fitting, sigmoid, softmax, mse, calibration)
SHORTCUTS = tuple(name for module in _MODULES for name in getattr(module, "SHORTCUTS", ()))

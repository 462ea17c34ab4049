"""Live widgets for the notebooks: the only part of ce_teach that imports ipywidgets and ipympl.

Each function returns a ``LiveWidget`` (a VBox) whose controls are attributes, so a test can write
``w = coin_entropy(); w.p.value = 0.9`` and then look at ``w.plot`` and ``w.readout.value``.
"""

from ._live import LiveWidget, live_figure
from .calibration import calibration_explorer
from .information import coin_entropy, kl_explorer, softmax_entropy, true_class_loss, true_class_loss_log
from .kl import kl_fits
from .mse import gradients_vs_logit, training_race
from .sigmoid import bce_explorer
from .softmax import softmax_explorer, temperature_explorer

__all__ = [
    "LiveWidget", "live_figure", "coin_entropy", "softmax_entropy", "kl_explorer", "true_class_loss",
    "true_class_loss_log",  # 03
    "kl_fits",  # 02
    "gradients_vs_logit", "training_race",  # 06
    "bce_explorer",  # 04
    "softmax_explorer",  # 05
    "temperature_explorer",  # 05
    "calibration_explorer",  # 10
]

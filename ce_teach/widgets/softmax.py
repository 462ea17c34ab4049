"""Slider for softmax cross-entropy (notebook 05): logits and a true class → probabilities, loss, gradient."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..plotting.softmax import draw_softmax_loss
from ._live import LiveWidget, live_figure, slider

__all__ = ["softmax_explorer"]


def _short(value: float) -> str:
    """A readout number with 3 significant digits; + 0.0 turns −0 into 0."""
    return f"{value + 0.0:.3g}"


def softmax_explorer(logits=(2.0, 1.0, -1.0), label: int = 0, *, names=None, limit: float = 20.0) -> LiveWidget:
    """One slider per logit (2–6 classes, range ±``limit``) and ToggleButtons for the true class.

    The figure shows S(x), the one-hot target and the gradient S(x) − y as bars; the readout gives
    S(x), the loss −ln S(x)_true in nats and the gradient. Controls: ``x0``, ``x1``, … and ``label``.
    """
    start = np.asarray(logits, dtype=float)
    if start.ndim != 1 or not 2 <= start.size <= 6:
        raise ValueError(f"logits must be 2 to 6 numbers (one per class), got shape {start.shape}")
    if not (isinstance(limit, (int, float)) and 0 < limit < np.inf):
        raise ValueError(f"limit must be a positive finite number, got {limit!r}")
    if not (np.abs(start) <= limit).all():
        raise ValueError(f"every starting logit must lie in [-{limit}, {limit}], got {start.tolist()}")
    fig = live_figure()
    plot = draw_softmax_loss(start, label, names=names, ax=fig.add_subplot())
    controls = {
        f"x{i}": slider(float(value), -limit, limit, 0.1, f"logit x{i} ({name})")
        for i, (value, name) in enumerate(zip(start, plot.names, strict=True))
    }
    controls["label"] = w.ToggleButtons(
        options=[(name, i) for i, name in enumerate(plot.names)],
        value=label,
        description="true class",
        style={"button_width": "60px", "description_width": "initial"},
    )
    box = LiveWidget(controls, fig, plot)
    logit_sliders = [controls[f"x{i}"] for i in range(start.size)]

    def update(_=None):
        x = np.array([s.value for s in logit_sliders])
        s, loss, grad = plot.update(x, box.label.value)
        probs = ", ".join(_short(v) for v in s)
        grads = ", ".join(_short(v) for v in grad)
        box.show(
            f"S(x) = [{probs}] &nbsp; loss = −ln S(x)<sub>true</sub> = <b>{_short(loss)}</b> nats"
            f" &nbsp; ∂loss/∂x = S(x) − y = [{grads}]"
        )

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return box

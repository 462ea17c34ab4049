"""Slider for the sigmoid and binary cross-entropy (notebook 04)."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from .. import _validate as v
from ..plotting.sigmoid import BCEPoint, draw_bce_curves
from ._live import LiveWidget, live_figure, slider

__all__ = ["bce_explorer"]


def _value(v: float, dtype: str | None = None) -> str:
    """A readout number. inf and nan are spelled out and set in bold: only the naive column can show them.

    With ``dtype`` the number is shown with all the digits that dtype holds (so σ = 0.99999994 in float32
    is not mistaken for the 1.0 it becomes one step later); otherwise with 6 significant digits.
    """
    if not np.isfinite(v):
        return f"<b style='color:#C44E52'>{v}</b>"
    return str(np.dtype(dtype).type(v)) if dtype else f"{v:.6g}"


def bce_readout(point: BCEPoint) -> str:
    """The readout table: naive (σ, then log) and stable (ce_teach) side by side."""
    rows = [
        ("σ(x)", point.naive_sigma, point.sigma, point.dtype),
        ("loss L", point.naive_loss, point.loss, None),
        ("∂L/∂x", point.naive_grad, point.grad, None),
    ]
    cells = "".join(
        f"<tr><td>{name}</td><td style='text-align:right'>{_value(naive, digits)}</td>"
        f"<td style='text-align:right'>{_value(stable, digits)}</td></tr>"
        for name, naive, stable, digits in rows
    )
    return (
        f"<table><tr><th>{point.dtype}</th><th>naive: σ, then log</th><th>stable (ct)</th></tr>{cells}</table>"
    )


def bce_explorer(x: float = 2.0, z: float = 1.0, *, float32: bool = False, limit: float = 60.0) -> LiveWidget:
    """Sliders for the logit x and the (soft) label z, and a float32 switch: loss and gradient curves.

    The readout shows σ(x), the loss and its gradient twice: computed the naive way (σ first, then log,
    then automatic differentiation through that graph) and the stable way (``ce_teach``). With float32
    on, the naive column turns to inf/nan for x ≥ 16.6; in float64 for x ≥ 36.7. The stable column never does.
    """
    float32 = v.check_flag(float32, "float32")
    fig = live_figure()
    plot = draw_bce_curves(x, z, dtype="float32" if float32 else "float64", limit=limit, ax=fig.subplots(1, 2))
    controls = {
        "x": slider(x, -limit, limit, 0.1, "logit x", readout_format=".1f"),
        "z": slider(z, 0.0, 1.0, 0.01, "label z"),
        "float32": w.Checkbox(value=float32, description="compute in float32", indent=False),
    }
    box = LiveWidget(controls, fig, plot)

    def update(_=None):
        point = plot.update(box.x.value, box.z.value, dtype="float32" if box.float32.value else "float64")
        box.show(bce_readout(point))

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return box

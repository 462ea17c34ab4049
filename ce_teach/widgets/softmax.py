"""Sliders for notebook 05: logits and a true class → probabilities, loss, gradient; a temperature → S(x/T)."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from ..plotting._common import legend_above
from ..plotting.softmax import draw_softmax_loss, draw_temperature, draw_temperature_bars
from ._live import LiveWidget, live_figure, slider

__all__ = ["softmax_explorer", "temperature_explorer"]


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
    if isinstance(limit, bool) or not isinstance(limit, (int, float, np.integer, np.floating)):
        raise TypeError(f"limit must be a positive number, got {limit!r}")
    if not 1.0 <= limit <= 1e4:
        raise ValueError(f"limit must be between 1 and 10000 (the sliders move in steps of 0.1), got {limit!r}")
    limit = float(limit)
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


def temperature_explorer(logits=(3.0, 1.0, -3.0), temperature: float = 1.0, *, names=None,
                         t_min: float = 0.1, t_max: float = 10.0) -> LiveWidget:
    """Slider ``T`` from ``t_min`` to ``t_max``: left, the bars of S(x/T) over S(x); right, the entropy of
    S(x/T) against T with a marker at the current T. The readout gives T, S(x/T) and the entropy in nats.

    A ``temperature`` outside the slider's range is clamped by the slider; the figure and the readout
    always show the slider's value.

    >>> widget = temperature_explorer(temperature=100.0)
    >>> widget.T.value, widget.readout.value.startswith("T = <b>10.00</b>")
    (10.0, True)
    """
    start = np.asarray(logits, dtype=float)
    if start.ndim != 1 or not 2 <= start.size <= 6:
        raise ValueError(f"logits must be 2 to 6 numbers (one per class), got shape {start.shape}")
    for name, value in (("t_min", t_min), ("t_max", t_max), ("temperature", temperature)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name} must be a number, got {value!r}")
    if not 0.0 < t_min < t_max < np.inf or t_max - t_min < 0.1:
        raise ValueError(f"need 0 < t_min < t_max < inf, at least 0.1 apart; got t_min={t_min!r}, t_max={t_max!r}")
    if not 0.0 < temperature < np.inf:
        raise ValueError(f"temperature must be a positive finite number, got {temperature!r}")
    fig = live_figure()
    left, right = fig.subplots(1, 2)
    t_start = float(np.clip(temperature, t_min, t_max))
    bars = draw_temperature_bars(start, t_start, names=names, ax=left)
    bars.t_in_title = False  # the readout gives T; a title that changes is drawn again at every move
    left.set_title("S(x/T) over S(x)", fontsize="medium")
    legend_above(fig, [bars.reference, bars.bars, left.get_lines()[0]])  # the dashed, filled and dotted marks
    curve = draw_temperature(start, t_start, t_min=min(0.05, t_min), t_max=max(50.0, t_max), ax=right)
    curve.label.set_visible(False)  # the readout gives the entropy
    right.set_title("entropy of S(x/T)", fontsize="medium")
    controls = {"T": slider(t_start, float(t_min), float(t_max), 0.05, "temperature T", readout_format=".2f")}
    box = LiveWidget(controls, fig, (bars, curve))

    def update(_=None):
        t = box.T.value
        q, h = bars.update(t)
        curve.update(t)
        probs = ", ".join(_short(v) for v in q)
        box.show(f"T = <b>{t:.2f}</b> &nbsp; S(x/T) = [{probs}] &nbsp; entropy = <b>{h:.3f}</b> nats"
                 f" (ln C = {np.log(start.size):.3f})")

    box.T.observe(update, names="value")
    update()
    return box

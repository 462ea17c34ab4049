"""Sliders for temperature, label smoothing and focal loss on the digits classifier (notebook 10).

The ε and γ sliders pick a network trained with that label smoothing or focal exponent; the models are
trained once, the first time the widget is made (nine runs of ``ct.classifier.digits_run``, a few
seconds), and kept for the session, so a slider move only divides stored logits by T and redraws the
reliability diagram. Label smoothing and focal loss are not combined: moving one of them off 0 puts the
other back to 0.
"""

from __future__ import annotations

import functools

import numpy as np

from ..activations import softmax
from ..calibration import nll
from ..classifier import digits_run
from ..plotting.calibration import draw_reliability
from ._live import LiveWidget, live_figure, slider

__all__ = ["calibration_explorer", "trained_logits"]

SMOOTHING = (0.0, 0.05, 0.1, 0.15, 0.2)
GAMMAS = (0.0, 1.0, 2.0, 3.0, 4.0)


@functools.cache
def trained_logits(label_smoothing: float = 0.0, gamma: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(test logits (797, 10), test labels) of notebook 09's network trained with ε or γ; cached."""
    run = digits_run(hidden=64, label_smoothing=label_smoothing, gamma=gamma, every=300)
    x, y = run.test
    logits = run.net.logits(x)
    logits.setflags(write=False)
    return logits, y


def _nearest(value: float, grid: tuple) -> float:
    return grid[int(np.argmin([abs(value - g) for g in grid]))]


def calibration_readout(eps: float, gamma: float, t: float, logits: np.ndarray, labels, ece: float) -> str:
    q = softmax(logits / t)
    cells = [
        ("trained with", f"ε = {eps:.2f}, γ = {gamma:.0f}"),
        ("accuracy", f"{np.mean(q.argmax(axis=1) == labels):.4f}"),
        ("mean confidence", f"{q.max(axis=1).mean():.4f}"),
        ("NLL [nats]", f"{nll(logits, labels, t):.4f}"),
        ("ECE", f"{ece:.4f}"),
    ]
    return (
        "<table style='border-spacing:12px 2px'><tr>"
        + "".join(f"<th>{k}</th>" for k, _ in cells)
        + "</tr><tr>"
        + "".join(f"<td style='text-align:right'>{v}</td>" for _, v in cells)
        + "</tr></table>"
    )


def calibration_explorer(temperature: float = 1.0, label_smoothing: float = 0.0, gamma: float = 0.0) -> LiveWidget:
    """Sliders for T, ε and γ; the reliability diagram of the test digits follows, with ECE, NLL and accuracy.

    T divides the logits of the chosen network (it changes no prediction); ε (0 to 0.2) and γ (0 to 4) choose
    the network: trained with label smoothing ε, or with the softmax focal loss of exponent γ.
    """
    fig = live_figure(figsize=(5.2, 3.8))
    eps0, g0 = _nearest(label_smoothing, SMOOTHING), _nearest(gamma, GAMMAS)
    for e in SMOOTHING:
        trained_logits(e, 0.0)
    for g in GAMMAS:
        trained_logits(0.0, g)
    logits, labels = trained_logits(eps0, 0.0 if eps0 else g0)
    plot = draw_reliability(softmax(logits / temperature), labels, ax=fig.subplots())
    controls = {
        "temperature": slider(temperature, 0.2, 3.0, 0.05, "temperature T"),
        "label_smoothing": slider(eps0, 0.0, 0.2, 0.05, "label smoothing ε"),
        "gamma": slider(0.0 if eps0 else g0, 0.0, 4.0, 1.0, "focal γ", readout_format=".0f"),
    }
    box = LiveWidget(controls, fig, plot)

    def update(change=None):
        if change is not None and change["new"] != 0:  # ε and γ are not combined: the other goes back to 0
            other = box.gamma if change["owner"] is box.label_smoothing else box.label_smoothing
            if change["owner"] is not box.temperature and other.value != 0:
                other.value = 0.0  # fires update again, which draws
                return
        eps, g = _nearest(box.label_smoothing.value, SMOOTHING), _nearest(box.gamma.value, GAMMAS)
        logits, labels = trained_logits(eps, 0.0 if eps else g)
        t = box.temperature.value
        _, ece = plot.update(softmax(logits / t), labels)
        box.show(calibration_readout(eps, 0.0 if eps else g, t, logits, labels, ece))

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return box

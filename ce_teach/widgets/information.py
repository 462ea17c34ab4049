"""Sliders for entropy, KL divergence and cross-entropy (notebooks 01–03)."""

from __future__ import annotations

import numpy as np

from .. import _validate as v
from ..activations import softmax
from ..plotting import BinaryEntropyPlot, draw_distribution, draw_pair, draw_surprise, draw_surprise_log
from ..plotting._common import unit
from ._figure import new_axes
from ._live import LiveWidget, live_figure, number, slider
from ._widget import LiveFigure, live

__all__ = ["coin_entropy", "softmax_entropy", "kl_explorer", "true_class_loss"]
__all__ += ["true_class_loss_log"]  # notebook 03
SHORTCUTS = ("coin_entropy",)  # the shortcuts on the tables (ce_teach.widgets.SHORTCUTS)


def _logits(logits, name: str, limit) -> tuple[np.ndarray, float]:
    """Starting logits (a 1-D row of finite numbers) and the sliders' range ``limit`` (≥ 0.1, one step)."""
    start = v.as_real_array(logits, name).astype(float)
    if start.ndim != 1 or start.size < 2:
        raise ValueError(f"{name} must be one row of at least 2 logits, got shape {start.shape}")
    v.check_finite(start, name)
    limit = v.positive_number(limit, "limit", "the sliders' range ±limit")
    if limit < 0.1:
        raise ValueError(f"limit must be at least 0.1 (one step of the sliders), got {limit!r}")
    return start, limit


def coin_entropy(p: float = 0.5, *, base=2) -> LiveFigure:
    """Slider ``p`` for a coin's P(heads); a marker moves along the binary-entropy curve (notebook 01)."""
    return live(BinaryEntropyPlot(p, base=base, ax=new_axes()), p=(0.0, 1.0, 0.01))


def softmax_entropy(logits=(1.0, 0.0, -1.0), *, names=("a", "b", "c"), base=2, limit: float = 10.0) -> LiveWidget:
    """Three logit sliders → softmax probabilities as bars, and their entropy, live."""
    start, limit = _logits(logits, "logits", limit)
    names = v.check_names(names, start.size)
    fig = live_figure()
    plot = draw_distribution(softmax(start), names=names, title="softmax(x)", base=base, ax=fig.add_subplot())
    controls = {f"x{i}": slider(float(v), -limit, limit, 0.1, f"logit x{i} ({n})") for i, (v, n) in
                enumerate(zip(start, names, strict=True))}
    box = LiveWidget(controls, fig, plot)

    def update(_=None):
        x = np.array([c.value for c in controls.values()])
        q = softmax(x)
        h = plot.update(q)
        probs = ", ".join(f"{v:.3f}" for v in q)
        box.show(f"q = [{probs}] &nbsp; H = <b>{number(h)}</b> {unit(base)}")

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return box


def kl_explorer(p=(0.6, 0.3, 0.1), q_logits=(0.0, 0.0, 0.0), *, names=("a", "b", "c"), base=2,
                limit: float = 10.0) -> LiveWidget:
    """Move q's logits: bars of p and q = softmax(logits), with D(p‖q) and D(q‖p) live."""
    p = v.as_real_array(p, "p").astype(float)
    start, limit = _logits(q_logits, "q_logits", limit)
    if p.shape != start.shape:
        raise ValueError(f"p and q_logits must have one entry per class each, got shapes {p.shape} and {start.shape}")
    names = v.check_names(names, start.size)
    fig = live_figure()
    plot = draw_pair(p, softmax(start), names=names, base=base, ax=fig.add_subplot())
    controls = {f"x{i}": slider(float(v), -limit, limit, 0.1, f"q logit x{i} ({n})") for i, (v, n) in
                enumerate(zip(start, names, strict=True))}
    box = LiveWidget(controls, fig, plot)

    def update(_=None):
        q = softmax(np.array([c.value for c in controls.values()]))
        forward, reverse = plot.update(q)
        u = unit(base)
        box.show(f"D(p‖q) = <b>{number(forward)}</b> {u} &nbsp; D(q‖p) = <b>{number(reverse)}</b> {u}")

    for control in controls.values():
        control.observe(update, names="value")
    update()
    return box


def true_class_loss(q: float = 0.7, *, base=None) -> LiveWidget:
    """Slider for the probability of the true class; the loss −log q follows and explodes near 0."""
    fig = live_figure()
    plot = draw_surprise(q, base=base, ax=fig.add_subplot())
    box = LiveWidget({"q": slider(q, 0.0, 1.0, 0.001, "q(true class)", readout_format=".3f")}, fig, plot)

    def update(_=None):
        loss = plot.update(box.q.value)
        box.show(f"loss = −log q = <b>{number(loss)}</b> {unit(base)}")

    box.q.observe(update, names="value")
    update()
    return box




def true_class_loss_log(q: float = 0.7, *, base=None) -> LiveWidget:
    """A slider for log10 of the probability q of the true class, from −16 (q = 1e-16) to 0 (q = 1); the loss
    −log q follows on a log q axis, where it is a straight line with no ceiling (notebook 03)."""
    if not 1e-16 <= v.real_number(q, "q", "a probability in [1e-16, 1]") <= 1:
        raise ValueError(f"q must be in [1e-16, 1] (the slider's range), got {q!r}")
    fig = live_figure()
    plot = draw_surprise_log(q, base=base, ax=fig.add_subplot())
    box = LiveWidget({"log10_q": slider(float(np.log10(q)), -16.0, 0.0, 0.01, "log₁₀ q(true class)")}, fig, plot)

    def update(_=None):
        q_now = 10.0 ** box.log10_q.value
        loss = plot.update(q_now)
        in_bits = f" = <b>{number(loss / np.log(2))}</b> bits" if base is None else ""
        box.show(f"q = {q_now:.3g}: loss = −log q = <b>{number(loss)}</b> {unit(base)}{in_bits}")

    box.log10_q.observe(update, names="value")
    update()
    return box

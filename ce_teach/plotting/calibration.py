"""Figures for training a classifier and for calibration (notebooks 09 and 10).

``draw_reliability`` is the reliability diagram: per confidence bin, the accuracy (bar) next to the mean
confidence (the far end of the shaded gap box), with the diagonal of perfect calibration. ``CalibrationPlot``
is the same diagram for a choice of trained networks and a temperature T: the live figure of notebook 10.
``draw_training_curves`` plots loss and accuracy against the step for the training and the validation set;
``draw_digits`` shows 8×8 images.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba

from .. import _validate as v
from ..activations import softmax
from ..calibration import ReliabilityCurve, _check_n_bins, expected_calibration_error, nll, reliability_curve
from ._common import ACCENT_COLOUR, FIGSIZE, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above, set_title_text
from ._live import LivePlot

__all__ = [
    "ReliabilityPlot",
    "CalibrationPlot",
    "draw_reliability",
    "TrainingCurves",
    "draw_training_curves",
    "draw_digits",
    "draw_loss_curves",
]


def _reliability_axes(ax: Axes, n_bins: int):
    """Empty accuracy bars and gap boxes, one per bin, the diagonal, labels and legend: (bars, gaps)."""
    width = 1.0 / n_bins
    left = np.arange(n_bins) * width
    bars = ax.bar(
        left,
        np.zeros(n_bins),
        width=width,
        align="edge",
        color=TARGET_COLOUR,
        edgecolor="white",
        label="accuracy in bin",
    )
    gaps = ax.bar(
        left,
        np.zeros(n_bins),
        width=width,
        align="edge",
        facecolor=to_rgba(ACCENT_COLOUR, 0.25),
        edgecolor=ACCENT_COLOUR,
        label="gap to mean confidence",
    )
    (diagonal,) = ax.plot([0, 1], [0, 1], "--", color="0.5", linewidth=1, label="calibrated")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(r"confidence $\max_j q_j$ (probability)")
    ax.set_ylabel("accuracy (fraction right)")
    ax.title.set_fontsize(10)
    legend_above(ax.figure, [bars, gaps, diagonal], fontsize=8)
    return bars, gaps


def _bin_boxes(curve: ReliabilityCurve) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bar heights, gap bottoms, gap heights) of one curve: an empty bin draws nothing (all 0)."""
    used = curve.count > 0
    accuracy = np.where(used, np.nan_to_num(curve.accuracy), 0.0)
    confidence = np.where(used, np.nan_to_num(curve.confidence), 0.0)
    return accuracy, np.minimum(accuracy, confidence), np.abs(confidence - accuracy)


@dataclass
class ReliabilityPlot:
    """A static reliability diagram: accuracy bars and gap boxes per bin, ECE in the title; ``update(probs, labels)``
    redraws it for other probabilities."""

    ax: Axes
    n_bins: int
    bars: list
    gaps: list
    title: str = ""

    def update(self, probs, labels) -> tuple[ReliabilityCurve, float]:
        curve = reliability_curve(probs, labels, n_bins=self.n_bins)
        ece = expected_calibration_error(probs, labels, n_bins=self.n_bins)
        heights, bottoms, gap_heights = _bin_boxes(curve)
        for bar, gap, h, bottom, g in zip(self.bars, self.gaps, heights, bottoms, gap_heights, strict=True):
            bar.set_height(h)
            gap.set_y(bottom)
            gap.set_height(g)
        set_title_text(self.ax, f"{self.title}ECE = {ece:.4f} ({self.n_bins} bins)")
        return curve, ece


def draw_reliability(probs, labels, *, n_bins: int = 15, title: str = "", ax=None) -> ReliabilityPlot:
    """Reliability diagram of top-label confidence: bars = accuracy per bin, boxes = the gap to confidence.

    Bins are equal-width on [0, 1] and closed on the right, as in ``ct.expected_calibration_error``. A bar
    below the diagonal is an overconfident bin (accuracy < confidence); an empty bin draws nothing. The title
    gives the ECE.
    """
    n_bins = _check_n_bins(n_bins)
    ax = axes(ax, figsize=(4.2, 3.6))
    bars, gaps = _reliability_axes(ax, n_bins)
    plot = ReliabilityPlot(ax, n_bins, list(bars), list(gaps), f"{title}: " if title else "")
    plot.update(probs, labels)
    return plot


class CalibrationPlot(LivePlot):
    """The reliability diagram of one of several trained networks, its logits divided by a temperature T.

    ``models`` maps each choice (any value) to (logits (N, C), labels (N,)) of that network on the same test
    set; ``model`` picks one, ``temperature`` divides its logits. The readout gives accuracy, mean confidence,
    NLL and ECE; the title is fixed.
    """

    labels = {"temperature": "temperature T", "model": "trained with"}

    def __init__(self, models, *, model=None, temperature: float = 1.0, n_bins: int = 15, ax=None):
        if not isinstance(models, Mapping) or not models:
            raise TypeError(f"models must be a non-empty dict: choice → (logits, labels), got {type(models).__name__}")
        self.models = {}
        for key, pair in models.items():
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise TypeError(f"models[{key!r}] must be a pair (logits, labels)")
            logits, labels = np.asarray(pair[0], dtype=np.float64), np.asarray(pair[1])
            expected_calibration_error(softmax(logits), labels)  # checks shapes and labels, names the problem
            self.models[key] = (logits, labels)
        model = next(iter(self.models)) if model is None else model
        if model not in self.models:
            raise ValueError(f"model must be one of {list(self.models)}, got {model!r}")
        self.n_bins = _check_n_bins(n_bins)
        self.values = {"temperature": v.positive_number(temperature, "temperature"), "model": model}
        self.readout = (
            "accuracy <b>{accuracy:.4f}</b> &nbsp; mean confidence <b>{confidence:.4f}</b> &nbsp; "
            f"NLL <b>{{nll:.4f}}</b> nats &nbsp; ECE <b>{{ece:.4f}}</b> ({self.n_bins} bins)"
        )
        ax = axes(ax, figsize=(5.2, 3.8))
        bars, gaps = _reliability_axes(ax, self.n_bins)
        sizes = sorted({len(labels) for _, labels in self.models.values()})
        ax.set_title(f"reliability on the {' / '.join(map(str, sizes))} test images")
        self.ax, self.figure = ax, ax.figure
        self.moving = {"bars": bars, "gaps": gaps}
        self.update()

    def state(self, temperature, model):
        logits, labels = self.models[model]
        lead = temperature.shape[:-1]
        t = temperature.reshape(-1)
        q = softmax(logits / t[:, None, None])  # every T at once: (T values, N, C)
        out = {name: np.empty((t.size, self.n_bins)) for name in ("bars.height", "gaps.bottom", "gaps.height")}
        out |= {name: np.empty((t.size, 1)) for name in ("accuracy", "confidence", "nll", "ece")}
        for i, (q_t, t_i) in enumerate(zip(q, t, strict=True)):  # the binning is ce_teach's, one T at a time
            curve = reliability_curve(q_t, labels, n_bins=self.n_bins)
            out["bars.height"][i], out["gaps.bottom"][i], out["gaps.height"][i] = _bin_boxes(curve)
            out["ece"][i] = expected_calibration_error(q_t, labels, n_bins=self.n_bins)
            out["nll"][i] = nll(logits, labels, t_i)
            out["accuracy"][i] = np.mean(q_t.argmax(axis=-1) == labels)
            out["confidence"][i] = q_t.max(axis=-1).mean()
        return {name: a.reshape(*lead, a.shape[-1]) for name, a in out.items()}


@dataclass
class TrainingCurves:
    """Loss and accuracy against the step, training (dashed) and validation (solid)."""

    loss_ax: Axes
    accuracy_ax: Axes
    lines: dict


def draw_training_curves(history, *, mark_best: bool = True, loss_max: float = 0.6, ax=None) -> TrainingCurves:
    """Two panels: mean cross-entropy [nats] and accuracy against the training step, for both sets.

    ``history`` is a ``ct.classifier.History``. With ``mark_best`` a vertical line marks the step of the
    lowest validation loss. The loss axis is linear from 0 to ``loss_max``, so a small rise of the validation
    loss is visible (the first steps, near ln 10, are off the top).
    """
    loss_max = v.positive_number(loss_max, "loss_max", "the top of the loss axis")
    mark_best = v.check_flag(mark_best, "mark_best")
    if ax is None:
        _, ax = plt.subplots(1, 2, figsize=FIGSIZE, layout="constrained")
    loss_ax, acc_ax = ax
    h = history.arrays()
    lines = {}
    for key, a, colour, style, label in [
        ("train_loss", loss_ax, MODEL_COLOUR, "--", "training"),
        ("val_loss", loss_ax, TARGET_COLOUR, "-", "validation"),
        ("train_accuracy", acc_ax, MODEL_COLOUR, "--", None),
        ("val_accuracy", acc_ax, TARGET_COLOUR, "-", None),
    ]:
        (lines[key],) = a.plot(h["step"], h[key], style, color=colour, label=label)
    if mark_best:
        best = h["step"][int(np.argmin(h["val_loss"]))]
        for a in (loss_ax, acc_ax):
            a.axvline(best, color=ACCENT_COLOUR, linewidth=0.8)
    loss_ax.set_ylim(0, loss_max)
    loss_ax.set_xlabel("step")
    loss_ax.set_ylabel("cross-entropy [nats]")
    acc_ax.set_xlabel("step")
    acc_ax.set_ylabel("accuracy")
    acc_ax.set_ylim(0.8, 1.005)
    legend_above(loss_ax.figure, [lines["train_loss"], lines["val_loss"]], fontsize=8)
    return TrainingCurves(loss_ax, acc_ax, lines)


def draw_loss_curves(histories: dict, *, key: str = "train_loss", ax=None):
    """One line per named ``History``: ``key`` (default the training loss) against the step, log scale."""
    keys = ("train_loss", "val_loss", "objective", "train_accuracy", "val_accuracy")
    if key not in keys:
        raise ValueError(f"key must be one of {keys}, got {key!r}")
    ax = axes(ax)
    colours = [TARGET_COLOUR, MODEL_COLOUR, ACCENT_COLOUR, "0.4"]
    for (name, history), colour in zip(histories.items(), colours, strict=False):
        h = history.arrays()
        ax.plot(h["step"], h[key], color=colour, label=name)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy [nats]")
    ax.legend(fontsize=8)
    return ax


def draw_digits(images, titles, *, columns: int = 8, fig=None):
    """A grid of 8×8 images (pixel counts 0..16) in grey, each with its title (e.g. 'says 9 (0.99), is 4')."""
    images = v.as_real_array(images, "images")
    columns = v.whole_number(columns, "columns", minimum=1)
    if images.ndim != 3 or images.shape[1:] != (8, 8):
        raise ValueError(f"images must have shape (n, 8, 8), got {images.shape}")
    if len(titles) != len(images):
        raise ValueError(f"need one title per image: {len(images)} images, {len(titles)} titles")
    rows = max(1, -(-len(images) // columns))
    if fig is None:
        fig = plt.figure(figsize=(1.0 * columns, 1.25 * rows), layout="constrained")
    grid = fig.subplots(rows, columns, squeeze=False)
    for a in grid.ravel():
        a.set_axis_off()
    for a, image, title in zip(grid.ravel(), images, titles, strict=False):
        a.imshow(image, cmap="gray_r", vmin=0, vmax=16)
        a.set_title(title, fontsize=7)
    return fig

"""Figures for training a classifier and for calibration (notebooks 09 and 10).

``draw_reliability`` is the reliability diagram: per confidence bin, the accuracy (bar) next to the mean
confidence (the top of the outlined gap box), with the diagonal of perfect calibration; its ``update`` sets
the bars in place, so the slider of notebook 10 moves the same artists. ``draw_training_curves`` plots loss
and accuracy against the step for the training and the validation set; ``draw_digits`` shows 8×8 images.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..calibration import ReliabilityCurve, expected_calibration_error, reliability_curve
from ._common import ACCENT_COLOUR, FIGSIZE, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above, set_title_text

__all__ = [
    "ReliabilityPlot",
    "draw_reliability",
    "TrainingCurves",
    "draw_training_curves",
    "draw_digits",
    "draw_loss_curves",
]


@dataclass
class ReliabilityPlot:
    """Accuracy bars and gap boxes (from accuracy to mean confidence) per bin; ``update(probs, labels)``."""

    ax: Axes
    n_bins: int
    bars: list
    gaps: list
    title: str = ""

    def update(self, probs, labels) -> tuple[ReliabilityCurve, float]:
        curve = reliability_curve(probs, labels, n_bins=self.n_bins)
        ece = expected_calibration_error(probs, labels, n_bins=self.n_bins)
        used = curve.count > 0
        accuracy = np.where(used, np.nan_to_num(curve.accuracy), 0.0)
        confidence = np.where(used, np.nan_to_num(curve.confidence), 0.0)
        for bar, gap, acc, conf, ok in zip(self.bars, self.gaps, accuracy, confidence, used, strict=True):
            bar.set_height(acc)
            gap.set_y(min(acc, conf))
            gap.set_height(abs(conf - acc) if ok else 0.0)
        set_title_text(self.ax, f"{self.title}ECE = {ece:.4f} ({self.n_bins} bins)")
        return curve, ece


def draw_reliability(probs, labels, *, n_bins: int = 15, title: str = "", ax=None) -> ReliabilityPlot:
    """Reliability diagram of top-label confidence: bars = accuracy per bin, boxes = the gap to confidence.

    Bins are equal-width on [0, 1] and closed on the right, as in ``ct.expected_calibration_error``. A bar
    below the diagonal is an overconfident bin (accuracy < confidence); an empty bin draws nothing.
    """
    ax = axes(ax, figsize=(4.2, 3.6))
    width = 1.0 / n_bins
    left = np.arange(n_bins) * width
    bar_container = ax.bar(
        left,
        np.zeros(n_bins),
        width=width,
        align="edge",
        color=TARGET_COLOUR,
        edgecolor="white",
        label="accuracy in bin",
    )
    gap_container = ax.bar(
        left,
        np.zeros(n_bins),
        width=width,
        align="edge",
        facecolor="none",
        edgecolor=ACCENT_COLOUR,
        hatch="//",
        label="gap to mean confidence",
    )
    bars, gaps = list(bar_container), list(gap_container)
    (diagonal,) = ax.plot([0, 1], [0, 1], "--", color="0.5", linewidth=1, label="calibrated")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(r"confidence $\max_j q_j$ (probability)")
    ax.set_ylabel("accuracy (fraction right)")
    ax.title.set_fontsize(10)
    legend_above(ax.figure, [bar_container, gap_container, diagonal], fontsize=8)
    plot = ReliabilityPlot(ax, n_bins, bars, gaps, f"{title}: " if title else "")
    plot.update(probs, labels)
    return plot


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
    images = np.asarray(images)
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

"""Figures for huge class counts (notebook 07): the sampled-softmax estimate against k, and the NCE objective.

``draw_sampled_bias`` shows repeated sampled estimates of a batch's mean loss minus the exact full-softmax
loss, against the number of sampled classes k: with and without the log-Q correction (left), and for the
corrected estimate its bias and spread on log-log axes (right), with the second-order prediction Var(Ẑ)/(2Z²) ∝ 1/k
labelled as what it is, the large-k law (at small k the measured bias is smaller; see ``ce_teach.sampled_bias``).
``draw_nce_objective`` shows the expected NCE loss of a model whose logits are all shifted by the same amount,
against the log of the shifted model's normaliser: the minimum sits at 0, the normalised model.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ._common import ACCENT_COLOUR, FIGSIZE, MODEL_COLOUR, TARGET_COLOUR, axes

__all__ = ["SampledBiasPlot", "NCEObjectivePlot", "draw_sampled_bias", "draw_nce_objective"]

CORRECTED_COLOUR = TARGET_COLOUR
UNCORRECTED_COLOUR = MODEL_COLOUR


def _sample_counts(ks) -> np.ndarray:
    ks = np.asarray(ks, dtype=float)
    if ks.ndim != 1 or ks.size < 2 or not np.all(np.isfinite(ks)) or ks.min() < 1 or np.any(np.diff(ks) <= 0):
        raise ValueError(f"ks must be at least two increasing sample counts ≥ 1, got {ks!r}")
    return ks


def _estimates(values, ks: np.ndarray, name: str) -> np.ndarray:
    """(len(ks), repetitions) finite estimates with at least 2 repetitions (a spread needs two)."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[0] != ks.size or values.shape[1] < 2:
        raise ValueError(f"{name} must have shape (len(ks), repetitions ≥ 2) = ({ks.size}, R), got {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be finite")
    return values


@dataclass
class SampledBiasPlot:
    """Left: mean ± one standard deviation of estimate − exact, corrected and uncorrected. Right: |bias|, spread."""

    bias_ax: Axes
    scale_ax: Axes
    ks: np.ndarray
    exact: float
    corrected: tuple[Line2D, Line2D, Line2D]  # mean, mean − std, mean + std
    uncorrected: tuple[Line2D, Line2D, Line2D]
    abs_bias: Line2D
    spread: Line2D
    predicted: Line2D | None

    def update(self, corrected, uncorrected) -> tuple[np.ndarray, np.ndarray]:
        """Redraw for new estimates (arrays of shape (len(ks), repetitions)); return the corrected (bias, std)."""
        corrected = _estimates(corrected, self.ks, "corrected")
        uncorrected = _estimates(uncorrected, self.ks, "uncorrected")
        for lines, values in ((self.uncorrected, uncorrected), (self.corrected, corrected)):
            bias, std = values.mean(axis=1) - self.exact, values.std(axis=1, ddof=1)
            for line, y in zip(lines, (bias, bias - std, bias + std), strict=True):
                line.set_ydata(y)
        # bias and std now belong to the corrected estimates, the last pair drawn
        self.abs_bias.set_ydata(np.abs(bias))
        self.spread.set_ydata(std)
        self.bias_ax.relim()
        self.bias_ax.autoscale_view()
        self.scale_ax.relim()
        self.scale_ax.autoscale_view()
        return bias, std


def draw_sampled_bias(ks, corrected, uncorrected, exact: float, *, predicted_bias=None, axs=None) -> SampledBiasPlot:
    """Sampled estimates of one batch's mean loss against the number of sampled classes k.

    ``corrected`` and ``uncorrected`` hold, for each k, the estimates of repeated draws (shape (len(ks), R));
    ``exact`` is the full-softmax loss they estimate; ``predicted_bias`` (optional, shape (len(ks),)) a
    predicted bias of the corrected estimate, drawn as |predicted| on the right panel.
    """
    ks = _sample_counts(ks)
    exact = float(exact)
    if not np.isfinite(exact):
        raise ValueError(f"exact must be a finite loss, got {exact!r}")
    corrected = _estimates(corrected, ks, "corrected")
    uncorrected = _estimates(uncorrected, ks, "uncorrected")
    if axs is None:
        _, axs = plt.subplots(1, 2, figsize=FIGSIZE, layout="constrained")
    left, right = axs
    left.axhline(0.0, color="0.6", lw=0.8)
    groups = []
    for name, colour in (("log-Q corrected", CORRECTED_COLOUR), ("not corrected", UNCORRECTED_COLOUR)):
        (mean,) = left.plot(ks, np.zeros(ks.size), "o-", color=colour, ms=3, lw=1.2, label=name)
        (low,) = left.plot(ks, np.zeros(ks.size), "--", color=colour, lw=0.8)
        (high,) = left.plot(ks, np.zeros(ks.size), "--", color=colour, lw=0.8)
        groups.append((mean, low, high))
    left.set_xscale("log")
    left.set_xlabel("k, sampled classes")
    left.set_ylabel("estimate − exact loss [nats]")
    left.set_title("mean ± 1 std over draws", fontsize=9)
    left.legend(fontsize=7, frameon=False)
    (abs_bias,) = right.plot(ks, np.ones(ks.size), "o-", color=CORRECTED_COLOUR, ms=3, lw=1.2, label="|bias|")
    (spread,) = right.plot(ks, np.ones(ks.size), "s-", color=ACCENT_COLOUR, ms=3, lw=1.2, label="std")
    predicted = None
    if predicted_bias is not None:
        predicted_bias = np.asarray(predicted_bias, dtype=float)
        if predicted_bias.shape != ks.shape or not np.all(np.isfinite(predicted_bias)) or np.any(predicted_bias == 0):
            raise ValueError(f"predicted_bias must be {ks.size} finite non-zero numbers, got {predicted_bias!r}")
        label = "|Var Ẑ/(2Z²)|, large-k law"
        (predicted,) = right.plot(ks, np.abs(predicted_bias), ":", color="0.3", lw=1.2, label=label)
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("k, sampled classes")
    right.set_ylabel("nats")
    right.set_title("corrected estimate", fontsize=9)
    right.legend(fontsize=7, frameon=False)
    plot = SampledBiasPlot(left, right, ks, exact, groups[0], groups[1], abs_bias, spread, predicted)
    plot.update(corrected, uncorrected)
    return plot


@dataclass
class NCEObjectivePlot:
    """The expected NCE loss against log Z of the shifted model, with the minimum marked."""

    ax: Axes
    log_normaliser: np.ndarray
    curve: Line2D
    minimum: Line2D

    def update(self, objective) -> float:
        """Redraw for new objective values (one per grid point); return log Z at the smallest one."""
        objective = np.asarray(objective, dtype=float)
        if objective.shape != self.log_normaliser.shape or not np.all(np.isfinite(objective)):
            raise ValueError(f"objective must be {self.log_normaliser.size} finite values, got shape {objective.shape}")
        self.curve.set_ydata(objective)
        best = int(np.argmin(objective))
        self.minimum.set_data([self.log_normaliser[best]], [objective[best]])
        self.ax.relim()
        self.ax.autoscale_view()
        return float(self.log_normaliser[best])


def draw_nce_objective(log_normaliser, objective, *, ax=None) -> NCEObjectivePlot:
    """Expected NCE loss against log Σ_c e^{s_c} of the model s = x + shift (0 where the model is normalised)."""
    grid = np.asarray(log_normaliser, dtype=float)
    if grid.ndim != 1 or grid.size < 2 or not np.all(np.isfinite(grid)) or np.any(np.diff(grid) <= 0):
        raise ValueError("log_normaliser must be an increasing grid of at least two finite values")
    ax = axes(ax)
    ax.axvline(0.0, color="0.6", lw=0.8)
    ax.text(0.02, 0.95, "normalised model: log Z = 0", transform=ax.transAxes, fontsize=8, va="top")
    (curve,) = ax.plot(grid, np.zeros(grid.size), color=TARGET_COLOUR, lw=1.5, label="expected NCE loss")
    (minimum,) = ax.plot([], [], "o", color=ACCENT_COLOUR, ms=6, label="smallest on the grid")
    ax.set_xlabel("log Σ exp(model logits) [nats]")
    ax.set_ylabel("expected NCE loss [nats]")
    ax.legend(fontsize=8, frameon=False, loc="upper center")
    plot = NCEObjectivePlot(ax, grid, curve, minimum)
    plot.update(objective)
    return plot

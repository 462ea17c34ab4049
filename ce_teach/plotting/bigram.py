"""Figures for the character bigram model of notebook 03: the count table, and held-out loss against k.

``draw_bigram_counts`` shows the V × V table count(a, b) (how often b followed a) as a heat map on a
logarithmic colour scale, with the pairs never seen in training left white: those are the ones an
unsmoothed model calls impossible. ``draw_loss_vs_k`` fits the unigram and bigram models for a range of
add-k values and plots their bits per character on the training and the held-out text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D

from .. import bigram
from ._common import ACCENT_COLOUR, MODEL_COLOUR, TARGET_COLOUR, axes

__all__ = ["BigramCountsPlot", "LossVsKPlot", "draw_bigram_counts", "draw_loss_vs_k"]


def _label(ch: str) -> str:
    return "␣" if ch == " " else ch


@dataclass
class BigramCountsPlot:
    """The count table as an image; ``update(counts)`` shows another table of the same shape."""

    ax: Axes
    image: AxesImage

    def update(self, counts) -> int:
        """Show ``counts``; return how many pairs are unseen (count 0, drawn white)."""
        counts = np.asarray(counts, dtype=float)
        if counts.shape != self.image.get_array().shape:
            raise ValueError(f"counts must have shape {self.image.get_array().shape}, got {counts.shape}")
        if not (np.isfinite(counts).all() and (counts >= 0).all()):
            raise ValueError("counts must be finite and non-negative")
        self.image.set_data(np.ma.masked_equal(counts, 0))
        return int((counts == 0).sum())


def draw_bigram_counts(counts, alphabet: str = bigram.ALPHABET, *, ax=None) -> BigramCountsPlot:
    """Heat map of the pair counts count(a, b): row a is the previous character, column b the next one.

    Colour is on a log scale (a few pairs occur dozens of times, most once or never); unseen pairs are white.
    ``counts`` is a (V, V) array of non-negative counts for the V characters of ``alphabet``.
    """
    counts = np.asarray(counts, dtype=float)
    if counts.ndim != 2 or counts.shape != (len(alphabet), len(alphabet)):
        raise ValueError(f"counts must be a (V, V) table for the {len(alphabet)} characters, got {counts.shape}")
    ax = axes(ax, figsize=(6.0, 5.4))
    image = ax.imshow(np.ma.masked_equal(counts, 0), cmap="viridis", norm=LogNorm(vmin=1, vmax=max(counts.max(), 2)))
    ticks = np.arange(len(alphabet))
    ax.set_xticks(ticks, [_label(c) for c in alphabet], fontsize=7)
    ax.set_yticks(ticks, [_label(c) for c in alphabet], fontsize=7)
    ax.set_xlabel("next character b")
    ax.set_ylabel("previous character a")
    ax.figure.colorbar(image, ax=ax, label="count(a, b) in the training text (log scale; white = 0)")
    plot = BigramCountsPlot(ax, image)
    plot.update(counts)
    return plot


@dataclass
class LossVsKPlot:
    """Bits per character against k; ``best_k`` is the k with the lowest held-out bigram loss."""

    ax: Axes
    lines: dict[str, Line2D]
    ks: np.ndarray
    held_out_bigram: np.ndarray
    best_k: float


def draw_loss_vs_k(train: str, held_out: str, *, ks=None, ax=None) -> LossVsKPlot:
    """Fit unigram and bigram models with add-k smoothing for each k in ``ks`` (log-spaced, k > 0) and plot
    their bits per character on the training text (dashed) and the held-out text (solid), with the uniform
    guess log2 V as a dotted line and the best held-out k marked. At k = 0 the held-out bigram loss is ∞,
    which a log k axis leaves out."""
    ks = np.logspace(-3, 1.5, 46) if ks is None else np.asarray(ks, dtype=float)
    if ks.ndim != 1 or ks.size < 2 or not (np.isfinite(ks).all() and (ks > 0).all()):
        raise ValueError("ks must be a 1-D array of at least two positive, finite values")
    ax = axes(ax)
    curves = {}
    for order, name, colour in ((1, "unigram", TARGET_COLOUR), (2, "bigram", MODEL_COLOUR)):
        models = [bigram.fit(train, order=order, k=float(k)) for k in ks]
        curves[f"{name}, held out"] = ax.plot(
            ks, [m.bits_per_char(held_out) for m in models], color=colour, label=f"{name}, held-out text"
        )[0]
        curves[f"{name}, train"] = ax.plot(
            ks, [m.bits_per_char(train) for m in models], "--", color=colour, label=f"{name}, training text"
        )[0]
    uniform = np.log2(len(bigram.ALPHABET))
    curves["uniform"] = ax.axhline(
        uniform, color="0.5", linestyle=":", label=f"uniform guess, log2 {len(bigram.ALPHABET)}"
    )
    held = np.asarray(curves["bigram, held out"].get_ydata(), dtype=float)
    best = float(ks[np.argmin(held)])
    marker = ax.plot([best], [held.min()], "o", color=ACCENT_COLOUR, markersize=7, label="best held-out bigram k")[0]
    ax.set_xscale("log")
    ax.set_xlabel("add-k smoothing constant k (log scale)")
    ax.set_ylabel("loss [bits per character]")
    ax.figure.legend(handles=[*curves.values(), marker], loc="outside upper center", ncols=3, fontsize=7)
    return LossVsKPlot(ax, curves, ks, held, best)

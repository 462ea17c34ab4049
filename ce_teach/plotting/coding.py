"""Figures for prefix codes (notebook 01): the code tree, and block coding approaching the entropy.

``draw_code_tree`` draws a prefix code as a binary tree: from the root, bit 0 goes left and bit 1 right,
and each symbol sits on a leaf at the end of its codeword. Each node is placed at the middle of its
share of all bit strings (a codeword of length ℓ owns a 2^−ℓ share), so the strip under the tree shows
Kraft's sum Σ 2^−ℓ as the part of [0, 1] the leaves own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.text import Text

from ..coding import block_code_rate, code_lengths, is_prefix_free, kraft_sum
from ..information import entropy
from ._common import ACCENT_COLOUR, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above

__all__ = ["BlockRatePlot", "CodeTreePlot", "draw_block_rates", "draw_code_tree"]


def _start(prefix: str) -> float:
    """Where the share of the bit strings that start with ``prefix`` begins, in [0, 1)."""
    return sum(int(bit) * 2.0 ** -(j + 1) for j, bit in enumerate(prefix))


def _middle(prefix: str) -> float:
    return _start(prefix) + 2.0 ** -(len(prefix) + 1)


@dataclass
class CodeTreePlot:
    """A drawn code tree: its edges, the leaf labels and the Kraft strip (a static figure, no update)."""

    ax: Axes
    edges: list[Line2D]
    leaves: list[Text]
    strip: BarContainer


def draw_code_tree(codewords, *, names=None, p=None, ax=None) -> CodeTreePlot:
    """Draw a prefix code as a binary tree (0 left, 1 right), with each symbol's share 2^−ℓ below it.

    ``codewords`` is a list of strings of 0s and 1s forming a prefix code; ``names`` labels the symbols
    (default 0, 1, …); ``p``, if given, adds each symbol's probability to its leaf.
    """
    code_lengths(codewords)  # validates: non-empty strings of 0s and 1s
    if not is_prefix_free(codewords):
        raise ValueError(f"codewords must form a prefix code, got {list(codewords)}")
    names = [str(i) for i in range(len(codewords))] if names is None else [str(n) for n in names]
    if len(names) != len(codewords):
        raise ValueError(f"names has {len(names)} entries but there are {len(codewords)} codewords")
    if p is not None and np.shape(p) != (len(codewords),):
        raise ValueError(f"p must have one probability per codeword, shape ({len(codewords)},)")
    ax = axes(ax, figsize=(6.0, 3.8))
    depth = max(len(word) for word in codewords)
    inner = sorted({word[:d] for word in codewords for d in range(len(word))}, key=len)
    edges = []
    for node in inner:
        for bit in "01":
            child = node + bit
            if child in inner or child in codewords:
                (line,) = ax.plot([_middle(node), _middle(child)], [-len(node), -len(child)], color="0.45")
                edges.append(line)
                ax.text(
                    (_middle(node) + _middle(child)) / 2,
                    -len(node) - 0.5,
                    bit,
                    ha="center",
                    va="center",
                    fontsize=9,
                    color=ACCENT_COLOUR,
                    backgroundcolor="white",
                )
    ax.plot([_middle(n) for n in inner], [-len(n) for n in inner], "o", color="0.45", markersize=5)
    leaves = []
    for i, word in enumerate(codewords):
        label = f"{names[i]}\n{word}" + ("" if p is None else f"\np = {float(p[i]):g}")
        leaves.append(
            ax.text(
                _middle(word),
                -len(word),
                label,
                ha="center",
                va="top",
                fontsize=9,
                bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": TARGET_COLOUR},
            )
        )
    starts = [_start(word) for word in codewords]
    widths = [2.0 ** -len(word) for word in codewords]
    strip = ax.barh(-depth - 1.7, widths, left=starts, height=0.4, color=TARGET_COLOUR, edgecolor="white")
    for name, start, width in zip(names, starts, widths, strict=True):
        ax.text(start + width / 2, -depth - 1.7, name, ha="center", va="center", fontsize=8, color="white")
    ax.set_xlim(0, 1)
    ax.set_ylim(-depth - 2.0, 0.4)
    ax.set_yticks([])
    ax.set_xlabel(r"share of all bit strings: a codeword of length $\ell$ owns $2^{-\ell}$")
    ax.set_title(
        rf"A prefix code as a tree (0 = left, 1 = right);  Kraft sum $\sum 2^{{-\ell}}$ = {kraft_sum(codewords):g}",
        fontsize=10,
    )
    return CodeTreePlot(ax, edges, leaves, strip)


@dataclass
class BlockRatePlot:
    """Bits per symbol of Huffman codes for blocks of k symbols, against k, with H and H + 1/k."""

    ax: Axes
    ks: np.ndarray
    rates: Line2D
    bound: Line2D
    floor: Line2D

    def update(self, p) -> np.ndarray:
        """Redraw for a new distribution ``p``; return the bits per symbol for each k."""
        h = float(entropy(p, base=2))
        rates = np.array([block_code_rate(p, int(k)) for k in self.ks])
        self.rates.set_ydata(rates)
        self.bound.set_ydata(h + 1.0 / self.ks)
        self.floor.set_ydata(np.full(self.ks.shape, h))
        return rates


def draw_block_rates(p, ks=range(1, 9), *, ax=None) -> BlockRatePlot:
    """Plot L_k / k, the bits per symbol of a Huffman code for blocks of k symbols, for each k in ``ks``.

    The entropy H(p) is drawn as the floor and H(p) + 1/k as the ceiling: H ≤ L_k / k < H + 1/k.
    """
    ks = np.array(list(ks), dtype=np.int64)
    if ks.ndim != 1 or ks.size == 0 or np.any(ks < 1):
        raise ValueError(f"ks must be block lengths ≥ 1, got {ks.tolist()}")
    ax = axes(ax)
    nan = np.full(ks.shape, np.nan)
    (bound,) = ax.plot(ks, nan, "--", color="0.5", label="H + 1/k (ceiling)")
    (floor,) = ax.plot(ks, nan, color=TARGET_COLOUR, label="H(p) (floor)")
    (rates,) = ax.plot(ks, nan, "o-", color=MODEL_COLOUR, label="Huffman code for k-blocks: L_k / k")
    plot = BlockRatePlot(ax, ks, rates, bound, floor)
    values = plot.update(p)
    h = float(entropy(p, base=2))
    ax.set_ylim(h - 0.05, max(float(values.max()), h + 1.0 / ks.min()) + 0.05)
    ax.set_xticks(ks)
    ax.set_xlabel("k = symbols coded together in one block")
    ax.set_ylabel("bits per symbol [bits]")
    legend_above(ax.figure, [rates, floor, bound], fontsize=8)
    return plot

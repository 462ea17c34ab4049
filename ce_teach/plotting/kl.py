"""Figures for forward vs reverse KL (notebook 02): one normal bump fitted to a two-bump target.

``draw_kl_fits`` draws the target p and the two fitted normals of ``ce_teach.fitting`` as densities over the
grid points u (probability per grid point divided by the grid step): the forward fit, argmin D(p‖q),
spreads over both bumps; the reverse fit, argmin D(q‖p), sits on one of them. (The grid point is u, not x:
x means logits everywhere in this collection.)

``draw_pointwise_kl`` shows where each divergence comes from: the terms p_i·ln(p_i/q_i) of D(p‖q) and
q_i·ln(q_i/p_i) of D(q‖p), point by point, whose sums are the two divergences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ..fitting import NormalFit, normal_on_grid
from ..information import kl_divergence
from ._common import ACCENT_COLOUR, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above, set_title_text

__all__ = ["KLFitsPlot", "PointwiseKLPlot", "draw_kl_fits", "draw_pointwise_kl"]


def _check_fits(forward: NormalFit, reverse: NormalFit) -> None:
    for name, fit in (("forward", forward), ("reverse", reverse)):
        if not isinstance(fit, NormalFit):
            raise TypeError(f"{name} must be a ce_teach.fitting.NormalFit, got {type(fit).__name__}")
        if fit.direction != name:
            raise ValueError(f"{name} must be a fit that minimised the {name} KL, got a {fit.direction!r} fit")


@dataclass
class KLFitsPlot:
    """The target density and the two fitted normal densities, with both divergences in the title."""

    ax: Axes
    grid: np.ndarray
    target: Line2D
    forward: Line2D
    reverse: Line2D

    @property
    def step(self) -> float:
        return float(self.grid[1] - self.grid[0])

    def update(self, p, forward: NormalFit, reverse: NormalFit) -> None:
        """Redraw for a new target ``p`` (probabilities on the grid) and its two fits."""
        _check_fits(forward, reverse)
        p = np.asarray(p, dtype=float)
        if p.shape != self.grid.shape:
            raise ValueError(f"p must have the grid's shape {self.grid.shape}, got {p.shape}")
        curves = [p, *(normal_on_grid(self.grid, f.mean, f.std) for f in (forward, reverse))]
        for line, probabilities in zip((self.target, self.forward, self.reverse), curves, strict=True):
            line.set_ydata(probabilities / self.step)
        top = max(float(c.max()) for c in curves) / self.step
        if top > 0.9 * self.ax.get_ylim()[1]:  # grow (never shrink) so the axes do not jump under a slider
            self.ax.set_ylim(0, 1.15 * top)
        # max(·, 0): a perfect fit can leave a rounding residue of −1e-17, which would print as "-0.000"
        set_title_text(
            self.ax,
            f"forward fit: D(p‖q) = {max(forward.divergence, 0.0):.3f} nats    "
            f"reverse fit: D(q‖p) = {max(reverse.divergence, 0.0):.3f} nats",
        )


def draw_kl_fits(grid, p, forward: NormalFit, reverse: NormalFit, *, ax=None) -> KLFitsPlot:
    """Plot a target p and its forward-KL and reverse-KL normal fits as densities against x.

    ``grid`` is the evenly spaced grid of ``ce_teach.fitting``, ``p`` the target's probabilities on it,
    ``forward`` and ``reverse`` the ``NormalFit`` results of ``NormalFitter.fit(p, 'forward'/'reverse')``.
    """
    ax = axes(ax)
    grid = np.asarray(grid, dtype=float)
    zeros = np.zeros_like(grid)
    (target,) = ax.plot(grid, zeros, color=TARGET_COLOUR, linewidth=2.5, label="target p (two bumps)")
    (fwd,) = ax.plot(grid, zeros, color=MODEL_COLOUR, label="forward fit (mass-covering)")
    (rev,) = ax.plot(grid, zeros, "--", color=ACCENT_COLOUR, label="reverse fit (mode-seeking)")
    ax.set_xlim(grid[0], grid[-1])
    ax.set_ylim(0, 1e-12)  # update() sets the real top
    ax.set_xlabel("t (grid point)")
    ax.set_ylabel("probability density [1/t]")
    ax.title.set_fontsize(10)
    legend_above(ax.figure, [target, fwd, rev], fontsize=8)
    plot = KLFitsPlot(ax, grid, target, fwd, rev)
    plot.update(p, forward, reverse)
    return plot


def _terms(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a_i·ln(a_i/b_i), 0 where a_i = 0 and +inf where a_i > 0 = b_i (never nan, never a warning)."""
    with np.errstate(divide="ignore"):
        ratio = np.divide(a, b, out=np.ones_like(a), where=a > 0)
        return a * np.log(ratio)


@dataclass
class PointwiseKLPlot:
    """The pointwise terms of D(p‖q) and D(q‖p) on a grid, per unit of u, with both sums in the title."""

    ax: Axes
    grid: np.ndarray
    forward: Line2D
    reverse: Line2D
    name: str = ""

    def update(self, p, q) -> tuple[float, float]:
        """Redraw for a target ``p`` and a model ``q`` (probabilities on the grid); return D(p‖q), D(q‖p)."""
        p, q = (np.asarray(a, dtype=float) for a in (p, q))
        for name, a in (("p", p), ("q", q)):
            if a.shape != self.grid.shape:
                raise ValueError(f"{name} must have the grid's shape {self.grid.shape}, got {a.shape}")
        step = float(self.grid[1] - self.grid[0])
        self.forward.set_ydata(_terms(p, q) / step)
        self.reverse.set_ydata(_terms(q, p) / step)
        d_pq, d_qp = float(kl_divergence(p, q)), float(kl_divergence(q, p))
        prefix = f"{self.name}:  " if self.name else ""
        set_title_text(self.ax, f"{prefix}D(p‖q) = {d_pq:.3f} nats    D(q‖p) = {d_qp:.3f} nats")
        return d_pq, d_qp


def draw_pointwise_kl(grid, p, q, *, name: str = "", ylim=None, legend: bool = True, ax=None) -> PointwiseKLPlot:
    """Plot the terms p·ln(p/q) (forward KL) and q·ln(q/p) (reverse KL) against the grid point u.

    Each term is divided by the grid step, so the area under a curve is its divergence in nats. A term
    is negative where the weighting distribution is below the other one; the sums are never negative.
    ``ylim`` defaults to the range of the first drawing (infinite terms are drawn off the top);
    ``legend=False`` leaves the legend to another panel of the same figure; ``name`` starts the title.
    """
    ax = axes(ax)
    grid = np.asarray(grid, dtype=float)
    zeros = np.zeros_like(grid)
    ax.axhline(0.0, color="0.7", linewidth=0.8)
    (forward,) = ax.plot(grid, zeros, color=TARGET_COLOUR, label="p·ln(p/q): terms of D(p‖q)")
    (reverse,) = ax.plot(grid, zeros, "--", color=MODEL_COLOUR, label="q·ln(q/p): terms of D(q‖p)")
    ax.set_xlim(grid[0], grid[-1])
    ax.set_xlabel("t (grid point)")
    ax.set_ylabel("term per unit of t [nats/t]")
    ax.title.set_fontsize(10)
    if legend:
        legend_above(ax.figure, [forward, reverse], fontsize=8)
    plot = PointwiseKLPlot(ax, grid, forward, reverse, name)
    plot.update(p, q)
    if ylim is None:
        drawn = np.concatenate([forward.get_ydata(), reverse.get_ydata()])
        finite = drawn[np.isfinite(drawn)]
        low, high = min(float(finite.min()), 0.0), max(float(finite.max()), 0.0)
        ylim = (low - 0.08 * (high - low), high + 0.08 * (high - low) + 1e-12)
    ax.set_ylim(*ylim)
    return plot

"""Figures for forward vs reverse KL (notebook 02): one normal bump fitted to a two-bump target.

``draw_kl_fits`` draws the target p and the two fitted normals of ``ce_teach.fitting`` as densities over x
(probability per grid point divided by the grid step): the forward fit, argmin D(p‖q), spreads over both
bumps; the reverse fit, argmin D(q‖p), sits on one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ..fitting import NormalFit, normal_on_grid
from ._common import ACCENT_COLOUR, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above, set_title_text

__all__ = ["KLFitsPlot", "draw_kl_fits"]


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
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.title.set_fontsize(10)
    legend_above(ax.figure, [target, fwd, rev], fontsize=8)
    plot = KLFitsPlot(ax, grid, target, fwd, rev)
    plot.update(p, forward, reverse)
    return plot

"""Figures for fitting one normal bump to a two-bump target by forward or reverse KL (notebook 02).

The figures of ``ce_teach.fitting`` (whose slider is ``ce_teach.widgets.fitting``): one name in all three layers.

``KLFitsPlot`` (``draw_kl_fits``) draws the target p, a mixture of two normal bumps a given separation apart,
and its two fitted normals as densities over the grid points t (probability per grid point divided by the
grid step): the forward fit, argmin D(p‖q), spreads over both bumps; the reverse fit, argmin D(q‖p), sits
on one of them. (The grid point is t, not x: x means logits everywhere in this collection.)

``draw_pointwise_kl`` shows where each divergence comes from: the terms p_i·ln(p_i/q_i) of D(p‖q) and
q_i·ln(q_i/p_i) of D(q‖p), point by point, whose sums are the two divergences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import _validate as v
from ..fitting import NormalFitter, mixture_on_grid, normal_on_grid
from ..information import kl_divergence
from ._common import ACCENT_COLOUR, MODEL_COLOUR, TARGET_COLOUR, axes, legend_above, set_title_text
from ._live import LivePlot

__all__ = ["KLFitsPlot", "PointwiseKLPlot", "draw_kl_fits", "draw_pointwise_kl"]

DEFAULT_GRID = (-8.0, 8.0, 400)  # np.linspace's arguments: the grid of notebook 02
HEADROOM = 1.15  # the top of the density axis, relative to the peak density of one bump


def _weight(weight) -> float:
    weight = v.real_number(weight, "weight", "the heavier bump's weight, in (0, 1)")
    if not 0.0 < weight < 1.0:  # also rejects NaN
        raise ValueError(f"weight must lie in (0, 1) (the right bump's share of the mass), got {weight!r}")
    return weight


def _separation(separation) -> float:
    separation = v.real_number(separation, "separation", "the distance between the bumps, ≥ 0")
    if not 0.0 <= separation < float("inf"):  # also rejects NaN
        raise ValueError(f"separation must be a finite distance ≥ 0 between the bumps, got {separation!r}")
    return separation


class KLFitsPlot(LivePlot):
    """A two-bump target and its forward-KL and reverse-KL normal fits, as densities; the readout gives both fits.

    The target is (1 − weight)·N(−separation/2, std²) + weight·N(separation/2, std²) on ``grid`` (default
    400 points on [−8, 8]). The plot's value is ``separation``; ``state`` builds the target with
    ``ce_teach.fitting.mixture_on_grid`` and fits both normals with ``NormalFitter.fit`` (a grid search,
    one fit per separation: it does not vectorise, so ``state`` loops over the separations it is given).

    The density axis is fixed at ``HEADROOM`` times the peak density of one bump, 1/(std·√(2π)), for every
    separation: a mixture of two bumps of the same sd is never taller than one bump, the forward fit (which
    matches the target's variance) is at least as wide as a bump, and so is the reverse fit (the curvature
    of log p is nowhere steeper than one bump's). tests/test_plotting_fitting.py checks it over the slider.
    """

    labels = {"separation": "separation of the bumps"}

    def __init__(
        self, separation: float = 6.0, *, std: float = 0.8, weight: float = 0.6, grid=None, rounds: int = 20, ax=None
    ):
        self.values = {"separation": _separation(separation)}
        self.std = v.positive_number(std, "std", "the bumps' standard deviation")
        self.weight = _weight(weight)
        self.fitter = NormalFitter(np.linspace(*DEFAULT_GRID) if grid is None else grid, rounds=rounds)
        self.grid = self.fitter.grid
        self.step = float(self.grid[1] - self.grid[0])
        self.readout = (
            "forward fit: μ = <b>{forward_mean:.2f}</b>, sd = <b>{forward_std:.2f}</b>, "
            "D(p‖q) = {forward_divergence:.3f} nats &nbsp; "
            "reverse fit: μ = <b>{reverse_mean:.2f}</b>, sd = <b>{reverse_std:.2f}</b>, "
            "D(q‖p) = {reverse_divergence:.3f} nats"
        )
        ax = axes(ax)
        zeros = np.zeros_like(self.grid)
        (target,) = ax.plot(self.grid, zeros, color=TARGET_COLOUR, linewidth=2.5, label="target p (two bumps)")
        (forward,) = ax.plot(self.grid, zeros, color=MODEL_COLOUR, label="forward fit (mass-covering)")
        (reverse,) = ax.plot(self.grid, zeros, "--", color=ACCENT_COLOUR, label="reverse fit (mode-seeking)")
        ax.set_xlim(self.grid[0], self.grid[-1])
        ax.set_ylim(0, HEADROOM / (self.std * np.sqrt(2 * np.pi)))
        ax.set_xlabel("t (grid point)")
        ax.set_ylabel("probability density [1/t]")
        legend_above(ax.figure, [target, forward, reverse], fontsize=8)
        self.ax, self.figure = ax, ax.figure
        self.target, self.forward, self.reverse = target, forward, reverse
        self.moving = {"target": target, "forward": forward, "reverse": reverse}
        self.update()

    def mixture(self, separation: float) -> np.ndarray:
        """The target's probabilities on the grid for one separation."""
        s = _separation(separation)
        return mixture_on_grid(self.grid, [-s / 2, s / 2], [self.std, self.std], [1.0 - self.weight, self.weight])

    def state(self, separation):
        shape = np.shape(separation)
        targets, fits = [], []
        for s in np.asarray(separation, dtype=float).reshape(-1):
            p = self.mixture(s)
            targets.append(p)
            both = (self.fitter.fit(p, "forward"), self.fitter.fit(p, "reverse"))
            fits.append([(f.mean, f.std, f.divergence) for f in both])
        fits = np.array(fits).reshape(*shape[:-1], 2, 3)  # (..., direction, [mean, std, divergence])
        targets = np.array(targets).reshape(*shape[:-1], self.grid.size)
        curves = normal_on_grid(self.grid, fits[..., 0], fits[..., 1])  # (..., direction, n)
        out = {
            "target.y": targets / self.step,
            "forward.y": curves[..., 0, :] / self.step,
            "reverse.y": curves[..., 1, :] / self.step,
        }
        for k, direction in enumerate(("forward", "reverse")):
            for j, name in enumerate(("mean", "std", "divergence")):
                out[f"{direction}_{name}"] = fits[..., k, j, None]
        return out


def draw_kl_fits(separation: float = 6.0, *, std: float = 0.8, weight: float = 0.6, grid=None, ax=None) -> KLFitsPlot:
    """Plot a two-bump target and its forward-KL and reverse-KL normal fits as densities against t.

    The target is (1 − weight)·N(−separation/2, std²) + weight·N(separation/2, std²) on ``grid`` (default
    400 points on [−8, 8]); the fits are ``ce_teach.fitting.NormalFitter(grid).fit(p, 'forward'/'reverse')``.
    ``readout_text()`` gives both fits' μ, sd and divergence.
    """
    return KLFitsPlot(separation, std=std, weight=weight, grid=grid, ax=ax)


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
        p, q = (v.as_real_array(a, name).astype(float) for a, name in ((p, "p"), (q, "q")))
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
    grid = v.as_real_array(grid, "grid").astype(float)
    v.check_finite(grid, "grid")
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

"""Fitting one normal bump to a target on a 1-D grid, by forward or by reverse KL (notebook 02, "Beyond").

Everything lives on an evenly spaced grid x_1 < … < x_n: a "distribution" is a probability vector over the
grid points (sum 1), and the model family is the normal N(μ, σ²) discretised on the grid, q_i ∝ exp(−(x_i −
μ)²/(2σ²)). Fitting q to a target p means choosing (μ, σ) to minimise

* the **forward** KL D(p‖q) = Σ p log(p/q), which is infinite unless q covers every point where p has mass
  (mass-covering: q spreads over all the modes of p), or
* the **reverse** KL D(q‖p) = Σ q log(q/p), which punishes q for putting mass where p has little
  (mode-seeking: q settles on one mode of p).

The fit is a deterministic grid search: every (μ, σ) of a coarse table over the whole grid, then rounds of
a finer 5 × 5 table around the best so far. No random starts, no learning rate.

Its figure is ``ce_teach.plotting.fitting`` (``draw_kl_fits``) and its slider ``ce_teach.widgets.fitting``
(``kl_fits``): one name, ``fitting``, in all three layers.

    >>> import numpy as np, ce_teach as ct
    >>> grid = np.linspace(-8, 8, 400)
    >>> p = ct.fitting.mixture_on_grid(grid, means=[-3, 3], stds=[0.8, 0.8], weights=[0.4, 0.6])
    >>> fitter = ct.fitting.NormalFitter(grid)
    >>> forward, reverse = fitter.fit(p, "forward"), fitter.fit(p, "reverse")
    >>> print(f"forward: σ = {forward.std:.2f} (both bumps);  reverse: μ = {reverse.mean:.2f}, σ = {reverse.std:.2f}")
    forward: σ = 3.20 (both bumps);  reverse: μ = 3.00, σ = 0.80
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v
from .information import kl_divergence

__all__ = ["NormalFit", "NormalFitter", "fit_normal", "mixture_on_grid", "normal_on_grid"]

DIRECTIONS = ("forward", "reverse")
MAX_ROUNDS = 60


def _rows_dot(rows: np.ndarray, x: np.ndarray) -> np.ndarray:
    """rows @ x, one dot product per row, in numpy's own loop rather than a threaded BLAS.

    The coarse table is 2145 × 400: too small to gain from threads, and a threaded BLAS on a busy or
    CPU-limited machine (Binder, a shared runner) made the 81 positions of the KL-fits slider 6 times slower.
    """
    return np.einsum("kn,n->k", rows, x)


def _grid(grid) -> np.ndarray:
    grid = v.as_real_array(grid, "grid")
    if grid.ndim != 1 or grid.size < 3:
        raise ValueError(f"grid must be a 1-D array of at least 3 points, got shape {grid.shape}")
    v.check_finite(grid, "grid")
    grid = grid.astype(np.float64)
    step = np.diff(grid)
    if not step.min() > 0 or not np.allclose(step, step[0], rtol=1e-9, atol=0.0):
        raise ValueError("grid must be evenly spaced and increasing, such as np.linspace(-8, 8, 400)")
    return grid


def _log_normal(grid: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """log q_i for normals with the given (broadcast) means and stds: shape (..., n), normalised on the grid."""
    shifted = _exponent_from_nearest(grid, mean, std)  # ≤ 0, and exactly 0 at the grid point nearest the mean
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _exponent_from_nearest(grid: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """−((x_i − μ)² − (x_t − μ)²)/(2σ²), x_t the grid point nearest μ: the exponent shifted so its top is 0.

    Written as −½·((x_i − x_t)/σ)·(((x_i − μ) + (x_t − μ))/σ): no difference of two large squares (which
    cancels for a mean far from the grid, μ = 4.5e15 made two points tie at probability 1 each), and no
    square that overflows (σ = 1e-200 on a grid of step 0.04 made every point NaN). An infinite factor only
    meets a finite non-zero one, giving −inf: q_i = 0.
    """
    right = np.clip(np.searchsorted(grid, mean), 1, grid.size - 1)  # the grid is increasing
    left = right - 1
    nearest = np.where(mean - grid[left] <= grid[right] - mean, grid[left], grid[right])[..., None]
    mean, std = mean[..., None], std[..., None]
    with np.errstate(over="ignore", invalid="ignore"):
        gap = (grid - nearest) / std
        reach = ((grid - mean) + (nearest - mean)) / std
        exponent = -0.5 * gap * reach
    exponent[(gap == 0) | (reach == 0)] = 0.0  # the nearest point itself, and an exact tie with it
    return exponent


def _parameters(mean, std) -> tuple[np.ndarray, np.ndarray]:
    mean = v.as_real_array(mean, "mean").astype(np.float64)
    std = v.as_real_array(std, "std").astype(np.float64)
    v.check_finite(np.atleast_1d(mean), "mean")  # atleast_1d: check_finite indexes its argument
    v.check_finite(np.atleast_1d(std), "std")
    v.check_positive(std, "std")
    try:
        return np.broadcast_arrays(mean, std)
    except ValueError:
        raise ValueError(f"mean{mean.shape} and std{std.shape} do not broadcast together") from None


def normal_on_grid(grid, mean, std) -> np.ndarray:
    """A normal N(mean, std²) discretised on an evenly spaced grid: probabilities q_i summing to 1.

    Formula: q_i = exp(−(x_i − μ)²/(2σ²)) / Σ_j exp(−(x_j − μ)²/(2σ²)); divide by the grid step to get a density.

    Shapes: ``grid`` (n,), evenly spaced; ``mean`` and ``std`` (> 0) broadcast together to shape (...);
    result (..., n). The normal is cut off at the ends of the grid and renormalised, so a wide one is a
    truncated normal.

    Stability: normalised by log-sum-exp, the exponent taken relative to the grid point nearest the mean
    as a product of differences (no cancelling squares, no overflow), so a narrow bump whose unnormalised
    density underflows at every grid point, or a mean far outside the grid, still comes out as a
    distribution, not 0/0.

    >>> import numpy as np, ce_teach as ct
    >>> q = ct.fitting.normal_on_grid(np.linspace(-8, 8, 400), 0.0, 1.0)
    >>> print(f"{q.sum():.12f}  {q.argmax()}")
    1.000000000000  199
    """
    grid = _grid(grid)
    mean, std = _parameters(mean, std)
    return np.exp(_log_normal(grid, mean, std))


def mixture_on_grid(grid, means, stds, weights) -> np.ndarray:
    """A mixture of K normals, each discretised on the grid: p = Σ_k w_k·q_k, probabilities summing to 1.

    Formula: p_i = Σ_k w_k·q_k,i with q_k = ``normal_on_grid(grid, means[k], stds[k])``.

    Shapes: ``grid`` (n,); ``means``, ``stds`` (> 0) and ``weights`` (≥ 0, summing to 1) of shape (K,);
    result (n,).

    Stability: each component is normalised on the grid before mixing (see ``normal_on_grid``), so the result
    sums to 1 however far apart or narrow the bumps are.

    >>> import numpy as np, ce_teach as ct
    >>> p = ct.fitting.mixture_on_grid(np.linspace(-8, 8, 401), [-3, 3], [1, 1], [0.5, 0.5])
    >>> print(f"{p.sum():.12f}  {p[200] / p.max():.4f}")
    1.000000000000  0.0222
    """
    grid = _grid(grid)
    mean, std = _parameters(means, stds)
    weights = v.as_real_array(weights, "weights").astype(np.float64)
    if mean.ndim != 1 or weights.shape != mean.shape:
        raise ValueError(
            f"means, stds and weights must be 1-D arrays of the same length, got {mean.shape} and {weights.shape}"
        )
    v.check_distribution(weights, "weights", -1)
    return weights @ np.exp(_log_normal(grid, mean, std))


@dataclass(frozen=True)
class NormalFit:
    """The best normal found: its parameters, which divergence it minimised and that divergence's value (nats)."""

    mean: float
    std: float
    direction: str  # 'forward': minimised D(p‖q); 'reverse': minimised D(q‖p)
    divergence: float  # the minimised divergence at (mean, std), in nats, by ce_teach.kl_divergence


class NormalFitter:
    """Fit a discretised normal to targets on one grid, minimising the forward or the reverse KL.

    Formula: forward: argmin_{μ,σ} D(p‖q_{μ,σ}) = Σ_i p_i log p_i − Σ_i p_i log q_i;
    reverse: argmin_{μ,σ} D(q_{μ,σ}‖p) = Σ_i q_i log q_i − Σ_i q_i log p_i.

    Search: first every (μ, σ) of a coarse table, ``n_means`` means evenly over the grid and ``n_stds``
    standard deviations geometrically from two grid steps to the grid's width; then ``rounds`` rounds of a
    5 × 5 table spanning one step of the previous table either side of the best so far, so each round
    halves the step (20 rounds: 2^-20 of the coarse step, about 2e-7 in μ on a grid of width 16, and
    2e-7 in σ relative). The coarse table (log q and q for every candidate) does not depend on the
    target, so it is computed once here and each fit costs one matrix–vector product plus the small
    refinement tables; that keeps a slider fast. Near a tie between two bumps the coarse table may rank
    their basins wrongly, so the (at most 3) lowest local minima of the coarse table are each refined and
    the best result is returned.

    Shapes: ``grid`` (n,) evenly spaced; a target ``p`` (n,), a distribution over the grid points.

    Stability: log q is computed in closed form (``normal_on_grid``'s log-sum-exp), never as the log of a
    probability that may have underflowed, so every candidate's forward divergence is finite, and its
    reverse divergence is +inf only where q > 0 meets p = 0. If that happens for every candidate (p has
    zeros inside the reach of every normal), ``fit(p, 'reverse')`` raises a ValueError.

    >>> import numpy as np, ce_teach as ct
    >>> grid = np.linspace(-8, 8, 400)
    >>> fit = ct.fitting.NormalFitter(grid).fit(ct.fitting.normal_on_grid(grid, 1.25, 0.5), "reverse")
    >>> print(f"{fit.mean:.6f} {fit.std:.6f} {fit.divergence < 1e-12}")
    1.250000 0.500000 True
    """

    def __init__(self, grid, *, n_means: int = 65, n_stds: int = 33, rounds: int = 20):
        self.grid = _grid(grid)
        n_means = v.whole_number(n_means, "n_means", minimum=3)
        n_stds = v.whole_number(n_stds, "n_stds", minimum=3)
        rounds = v.whole_number(
            rounds,
            "rounds",
            minimum=0,
            maximum=MAX_ROUNDS,
            why=" (each round halves the step; after 60 it is below float64's resolution)",
        )
        v.check_size(
            8.0 * n_means * n_stds * self.grid.size,
            "n_means",
            f"the coarse table of {n_means}·{n_stds} normals on {self.grid.size} points (float64)",
        )
        step = self.grid[1] - self.grid[0]
        width = self.grid[-1] - self.grid[0]
        self.means = np.linspace(self.grid[0], self.grid[-1], n_means)
        self.stds = np.geomspace(2 * step, width, n_stds)
        self.rounds = int(rounds)
        mean, std = (a.ravel() for a in np.meshgrid(self.means, self.stds, indexing="ij"))
        self._table = (mean, std)
        self._log_q = _log_normal(self.grid, mean, std)  # (K, n), K = n_means·n_stds
        self._q = np.exp(self._log_q)
        self._q_log_q = np.sum(self._q * self._log_q, axis=1)  # Σ q log q = −H(q), for the reverse KL

    def _target(self, p, direction: str) -> tuple[np.ndarray, np.ndarray]:
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be 'forward' (D(p‖q)) or 'reverse' (D(q‖p)), got {direction!r}")
        p = v.as_real_array(p, "p")
        if p.shape != self.grid.shape:
            raise ValueError(f"p must have the grid's shape {self.grid.shape}, got {p.shape}")
        v.check_distribution(p, "p", -1)
        p = p.astype(np.float64)
        with np.errstate(divide="ignore"):  # log 0 = −inf: D(q‖p) = +inf for a q with mass there
            log_p = np.log(p)
        return p, log_p

    def _divergences(self, p, log_p, direction, log_q) -> np.ndarray:
        """The divergence of each candidate (rows of log_q) from the target."""
        if direction == "forward":  # p = 0 contributes 0, even where q underflowed to 0 (log q = −inf)
            cross = _rows_dot(log_q if v.all_finite(log_q) else np.where(p > 0, log_q, 0.0), p)
            return np.sum(p * np.where(p > 0, log_p, 0.0)) - cross
        q = np.exp(log_q)
        with np.errstate(invalid="ignore"):  # q = 0 (underflow) where p = 0: 0·(+inf) is 0 here, not nan
            terms = np.where(q > 0, q * (log_q - log_p), 0.0)
        return terms.sum(axis=1)

    def divergence(self, p, mean, std, direction: str = "forward") -> np.ndarray:
        """D(p‖q) (forward) or D(q‖p) (reverse) in nats for the normal(s) q = N(mean, std²) on the grid."""
        p, log_p = self._target(p, direction)
        mean, std = _parameters(mean, std)
        return self._divergences(p, log_p, direction, _log_normal(self.grid, mean.ravel(), std.ravel())).reshape(
            mean.shape
        )

    def fit(self, p, direction: str = "forward") -> NormalFit:
        """The normal on the grid that minimises D(p‖q) ('forward') or D(q‖p) ('reverse')."""
        p, log_p = self._target(p, direction)
        if direction == "forward":
            coarse = self._divergences(p, log_p, direction, self._log_q)
        else:  # Σ q log q − Σ q log p with the stored table, as one matrix–vector product
            zero = p == 0
            coarse = self._q_log_q - _rows_dot(self._q, np.where(zero, 0.0, log_p))
            coarse[(self._q[:, zero] > 0).any(axis=1)] = np.inf  # q > 0 where p = 0: D(q‖p) = +inf
        if not np.isfinite(coarse.min()):
            raise ValueError(
                "D(q‖p) is infinite for every normal q in the search: p is 0 at grid points where each of them "
                "has mass (a normal is positive everywhere until its tails underflow). Reverse KL needs p > 0 "
                "wherever q > 0; use a target without zeros"
            )
        # Two bumps give two basins whose minima can be nearly equal; the coarse table alone may rank them
        # wrongly, so the best few local minima of the table are each refined, and the best result wins.
        results = [self._refine(p, log_p, direction, start, coarse[start]) for start in self._starts(coarse)]
        mean, std = min(results)[1:]
        q = normal_on_grid(self.grid, mean, std)
        value = kl_divergence(p, q) if direction == "forward" else kl_divergence(q, p)
        return NormalFit(mean, std, direction, float(value))

    def _starts(self, coarse: np.ndarray, most: int = 3) -> list[int]:
        """Indices of the (at most ``most``) lowest local minima of the coarse table, best first."""
        table = coarse.reshape(self.means.size, self.stds.size)
        padded = np.pad(table, 1, constant_values=np.inf)
        rows, cols = table.shape
        neighbours = [
            padded[1 + di : 1 + di + rows, 1 + dj : 1 + dj + cols]
            for di in (-1, 0, 1)
            for dj in (-1, 0, 1)
            if (di, dj) != (0, 0)
        ]
        local = np.isfinite(table) & np.all([table <= n for n in neighbours], axis=0)
        candidates = np.flatnonzero(local)
        return [int(i) for i in candidates[np.argsort(coarse[candidates], kind="stable")][:most]]

    def _refine(self, p, log_p, direction: str, start: int, value: float) -> tuple[float, float, float]:
        """(divergence, mean, std) after ``rounds`` halvings of a 5 × 5 table around coarse candidate ``start``."""
        mean, std = float(self._table[0][start]), float(self._table[1][start])
        mean_step = self.means[1] - self.means[0]
        log_std_step = np.log(self.stds[1] / self.stds[0])
        offsets = np.linspace(-1.0, 1.0, 5)
        value = float(value)
        for _ in range(self.rounds):
            m, s = (
                a.ravel()
                for a in np.meshgrid(mean + mean_step * offsets, std * np.exp(log_std_step * offsets), indexing="ij")
            )
            values = self._divergences(p, log_p, direction, _log_normal(self.grid, m, s))
            best = int(np.argmin(values))
            value, mean, std = float(values[best]), float(m[best]), float(s[best])
            mean_step, log_std_step = mean_step / 2, log_std_step / 2
        return value, mean, std


def fit_normal(p, grid, direction: str = "forward") -> NormalFit:
    """The discretised normal that minimises D(p‖q) ('forward') or D(q‖p) ('reverse'); see ``NormalFitter``.

    Formula: argmin over (μ, σ) of D(p‖q_{μ,σ}) or D(q_{μ,σ}‖p), q_{μ,σ} = ``normal_on_grid(grid, μ, σ)``.

    Shapes: ``p`` (n,) a distribution over the points of ``grid`` (n,). For several targets on one grid,
    make one ``NormalFitter(grid)`` and call its ``fit``: the coarse table is then computed once.

    Stability: as ``NormalFitter``.

    >>> import numpy as np, ce_teach as ct
    >>> grid = np.linspace(-8, 8, 400)
    >>> fit = ct.fitting.fit_normal(ct.fitting.normal_on_grid(grid, -2.0, 1.5), grid, "forward")
    >>> print(f"{fit.mean:.6f} {fit.std:.6f}")
    -2.000000 1.500000
    """
    return NormalFitter(grid).fit(p, direction)

"""Slider for forward vs reverse KL (notebook 02): move two bumps apart and watch both normal fits."""

from __future__ import annotations

import numpy as np

from ..fitting import NormalFitter, mixture_on_grid
from ..plotting.kl import draw_kl_fits
from ._live import LiveWidget, live_figure, slider

__all__ = ["kl_fits"]


def kl_fits(
    separation: float = 5.0, *, std: float = 0.8, weight: float = 0.6, max_separation: float = 8.0, grid=None
) -> LiveWidget:
    """Slider ``separation`` for the distance between two bumps; the forward and reverse KL fits follow live.

    The target is (1 − weight)·N(−separation/2, sd²) + weight·N(separation/2, sd²) on ``grid``
    (default: 400 points on [−8, 8]), with sd = ``std``. Each move refits both normals; the coarse table of
    the search is computed once, here, and the search stops after 10 halvings (precision about 2e-4 in μ),
    so a move costs a few milliseconds. ``separation`` must lie on the slider, in [0, ``max_separation``]:
    a value the slider cannot show is an error, so the figure and readout always match the control.
    """
    if not np.isfinite(max_separation) or max_separation <= 0:
        raise ValueError(f"max_separation must be a positive number, got {max_separation!r}")
    if not 0.0 <= float(separation) <= max_separation:  # also rejects NaN
        raise ValueError(
            f"separation must be in [0, max_separation] = [0, {max_separation:g}] (the slider's range), "
            f"got {separation!r}; pass a larger max_separation to go further"
        )
    grid = np.linspace(-8.0, 8.0, 400) if grid is None else grid
    fitter = NormalFitter(grid, rounds=10)
    grid = fitter.grid

    def target(s: float) -> np.ndarray:
        return mixture_on_grid(grid, [-s / 2, s / 2], [std, std], [1.0 - weight, weight])

    def fits(p):
        return fitter.fit(p, "forward"), fitter.fit(p, "reverse")

    fig = live_figure()
    p = target(separation)
    forward, reverse = fits(p)
    plot = draw_kl_fits(grid, p, forward, reverse, ax=fig.add_subplot())
    control = slider(separation, 0.0, max_separation, 0.1, "separation of the bumps")
    box = LiveWidget({"separation": control}, fig, plot)

    def readout(forward, reverse) -> str:
        return (
            f"forward fit: μ = <b>{_shown(forward.mean)}</b>, sd = <b>{_shown(forward.std)}</b> &nbsp; "
            f"reverse fit: μ = <b>{_shown(reverse.mean)}</b>, sd = <b>{_shown(reverse.std)}</b>"
        )

    def update(_=None):
        p = target(box.separation.value)
        forward, reverse = fits(p)
        plot.update(p, forward, reverse)
        box.show(readout(forward, reverse))

    box.separation.observe(update, names="value")
    box.readout.value = readout(forward, reverse)
    return box


def _shown(value: float) -> str:
    """Two decimals; round first, then + 0.0, so that −0.001 is shown as 0.00 and not as −0.00."""
    return f"{round(value, 2) + 0.0:.2f}"

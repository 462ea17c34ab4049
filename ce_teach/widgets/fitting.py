"""Slider for the forward and reverse KL fits of ``ce_teach.fitting`` (notebook 02): move two bumps apart.

The plot is ``ce_teach.plotting.fitting.KLFitsPlot`` (one name, ``fitting``, in all three layers).
"""

from __future__ import annotations

from .. import _validate as v
from ..plotting.fitting import KLFitsPlot
from ._figure import new_axes
from ._widget import LiveFigure, live

__all__ = ["kl_fits"]
SHORTCUTS = ("kl_fits",)  # the shortcuts on the tables (ce_teach.widgets.SHORTCUTS)

SEPARATION_STEP = 0.1


def kl_fits(
    separation: float = 5.0, *, std: float = 0.8, weight: float = 0.6, max_separation: float = 8.0, grid=None
) -> LiveFigure:
    """Slider ``separation`` (0 to ``max_separation`` in steps of 0.1) for the distance between two bumps;
    the forward and reverse KL fits follow.

    The target is (1 − weight)·N(−separation/2, sd²) + weight·N(separation/2, sd²) on ``grid`` (default:
    400 points on [−8, 8]), with sd = ``std``. Both normals are fitted at every position of the slider when
    the figure is built (81 positions: under a second), so a move is a lookup. ``separation`` must be a
    position of the slider: a value it cannot show is an error, so the figure and readout match the control.
    """
    max_separation = v.positive_number(max_separation, "max_separation")
    count = max_separation / SEPARATION_STEP
    if abs(count - round(count)) > 1e-9 * count or count > 1000:
        raise ValueError(
            f"max_separation must be a multiple of {SEPARATION_STEP} up to 100 (the slider's step; each position "
            f"costs two fits), got {max_separation!r}"
        )
    separation = v.real_number(separation, "separation")
    steps = separation / SEPARATION_STEP
    if not (0.0 <= separation <= max_separation and abs(steps - round(steps)) <= 1e-9 * max(1.0, steps)):
        raise ValueError(
            f"separation must be in [0, max_separation] = [0, {max_separation:g}] in steps of {SEPARATION_STEP} "
            f"(the slider's positions), got {separation!r}; pass a larger max_separation to go further"
        )
    plot = KLFitsPlot(separation, std=std, weight=weight, grid=grid, ax=new_axes())
    return live(plot, separation=(0.0, float(max_separation), SEPARATION_STEP))

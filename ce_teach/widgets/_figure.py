"""A figure for a live plot: fixed size, 100 pixels per inch (one pixel per CSS pixel), and no pyplot.

A figure made by pyplot in a notebook cell would also be shown by the inline backend, under the widget;
this one is shown only by the widget.
"""

from matplotlib.figure import Figure

from ..plotting._common import FIGSIZE

__all__ = ["new_axes", "new_figure"]


def new_figure(figsize=FIGSIZE) -> Figure:
    return Figure(figsize=figsize, dpi=100, layout="constrained")


def new_axes(figsize=FIGSIZE, *, ncols: int = 1):
    """One axes, or a row of ``ncols`` axes, on a new live figure."""
    return new_figure(figsize).subplots(1, ncols) if ncols > 1 else new_figure(figsize).add_subplot()

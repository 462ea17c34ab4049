"""Small shared pieces of the plotting modules: axes creation, unit names, colours."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

FIGSIZE = (6.0, 3.2)  # inches; every figure has a fixed size so stored outputs stay the same
TARGET_COLOUR = "#4C72B0"  # p, the truth
MODEL_COLOUR = "#DD8452"  # q, the model
ACCENT_COLOUR = "#C44E52"  # a marker, the current point


def axes(ax=None, figsize=FIGSIZE):
    """The given axes, or new axes on a new figure of a fixed size."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def unit(base) -> str:
    """'bits' for base 2, 'nats' for the natural log, 'log base b units' otherwise."""
    if base is None:
        return "nats"
    if base == 2:
        return "bits"
    return f"log-base-{base:g} units"


def log(x, base):
    """Logarithm in the given base (None = natural), elementwise, with log(0) = -inf and no warning."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore"):
        out = np.log(x)
    return out if base is None else out / np.log(base)


def set_title_text(ax, text: str) -> None:
    """Change an axes' title to ``text``, keeping its font, and only if it differs.

    ``Axes.set_title`` re-applies the title's font at every call, which marks the title as changed even
    when it is not; a live figure then draws that title again at every slider move.
    """
    if ax.title.get_text() != text:
        ax.title.set_text(text)


def legend_above(figure, handles, *, fontsize="small"):
    """One legend for the whole figure, above the axes, its entries side by side.

    Live figures keep legends out of the data area: a legend over moving curves has to be drawn again
    at every slider move, and text is the slowest thing matplotlib draws.
    """
    return figure.legend(handles=handles, loc="outside upper center", ncols=len(handles), fontsize=fontsize)

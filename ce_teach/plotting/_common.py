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

"""Figures for the notebooks: plain matplotlib functions, the same code for the static and the live figure.

Each ``draw_*`` function takes ``ax=None`` (a new fixed-size figure is made when it is None), draws,
and returns a small object holding what it drew, with an ``update(...)`` method that changes those
artists in place. A notebook's static figure is ``draw_*(...)``; its slider calls ``update`` on the
same object. Nothing here calls ``plt.show()`` or changes global style.
"""

from .information import (
    BinaryEntropyPlot,
    DistributionBars,
    PairBars,
    SurprisePlot,
    draw_binary_entropy,
    draw_distribution,
    draw_pair,
    draw_surprise,
)

__all__ = [
    "BinaryEntropyPlot",
    "DistributionBars",
    "PairBars",
    "SurprisePlot",
    "draw_binary_entropy",
    "draw_distribution",
    "draw_pair",
    "draw_surprise",
]

"""The two pieces every widget is built from: a live figure and a box that exposes its controls.

A live figure is an ordinary matplotlib ``Figure`` drawn by ipympl's canvas, which is itself a widget:
a callback changes artists in place and calls ``LiveWidget.redraw``, which paints only what changed
(``_blit``); only the changed pixels travel to the browser. Nothing is re-created per slider move.
"""

from __future__ import annotations

import warnings

import ipywidgets as w
from matplotlib.figure import Figure

from ..plotting._common import FIGSIZE
from ._blit import Blitter


def live_figure(figsize=FIGSIZE) -> Figure:
    """A fixed-size Figure on an ipympl canvas (``LiveCanvas``), leaving the notebook's matplotlib backend alone."""
    from ._canvas import FigureManager, LiveCanvas  # imports ipympl: only when a live figure is made

    fig = Figure(figsize=figsize, layout="constrained")
    canvas = LiveCanvas(fig)
    with warnings.catch_warnings():  # ipympl's Toolbar passes an argument traitlets deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        FigureManager(canvas, 0)
    canvas.header_visible = False
    canvas.toolbar_visible = False
    canvas.footer_visible = False
    canvas.resizable = False
    # The canvas's size in the browser, known before it is shown (ipympl sets it only when a canvas is
    # displayed on its own, not inside a box). Left at (0, 0), it changes when the browser's view says
    # "initialized", and ipympl 0.10's browser code then draws a not-yet-loaded image, throws, and leaves
    # the canvas 0 pixels high.
    canvas._size = (fig.bbox.width / canvas.device_pixel_ratio, fig.bbox.height / canvas.device_pixel_ratio)
    return fig


class LiveWidget(w.VBox):
    """Controls above a live figure. Controls, readouts and drawn artists are attributes, for tests.

    ``controls`` maps names to the control widgets (also set as attributes: ``widget.p`` is the slider
    named ``p``); ``readout`` is an HTML line of numbers; ``figure`` and ``plot`` are what is drawn.
    """

    def __init__(self, controls: dict, figure: Figure, plot, readout: w.HTML | None = None):
        self.controls = controls
        self.figure = figure
        self.plot = plot
        self.readout = readout if readout is not None else w.HTML()
        for name, control in controls.items():
            setattr(self, name, control)
        super().__init__([*controls.values(), self.readout, figure.canvas])
        self._blitter = Blitter(figure)

    def redraw(self) -> None:
        """Put the changed figure on screen (see ``Blitter``)."""
        self._blitter.redraw()

    def show(self, readout: str) -> None:
        """Put the changed figure on screen, then the new readout (HTML): the picture is sent first, so the
        browser is already decoding it while it lays out the text."""
        self.redraw()
        self.readout.value = readout


def slider(value, lo, hi, step, description, *, width="420px", readout_format=".2f") -> w.FloatSlider:
    """A float slider with the collection's look; continuous_update so the figure follows the drag."""
    return w.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        readout_format=readout_format,
        continuous_update=True,
        layout=w.Layout(width=width),
        style={"description_width": "initial"},
    )


def number(value: float, digits: int = 4) -> str:
    """A readout number: fixed digits, and ∞ rather than 'inf' for an infinite loss."""
    if value == float("inf"):
        return "∞"
    return f"{value:.{digits}f}"

"""The two pieces every widget is built from: a live figure and a box that exposes its controls.

A live figure is an ordinary matplotlib ``Figure`` drawn by ipympl's canvas, which is itself a widget:
a callback changes artists in place and calls ``fig.canvas.draw()``; only the changed image travels
to the browser. Nothing is re-created per slider move.
"""

from __future__ import annotations

import warnings

import ipywidgets as w
import matplotlib
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.spines import Spine

from ..plotting._common import FIGSIZE


def live_figure(figsize=FIGSIZE) -> Figure:
    """A fixed-size Figure on an ipympl canvas, without switching the notebook's matplotlib backend.

    Importing ipympl switches matplotlib's global backend to ipympl's (``ipympl/__init__.py`` calls
    ``matplotlib.use``), which would turn every later static figure into a widget; the previous backend
    is put back, so static figures stay inline PNGs.
    """
    previous = matplotlib.get_backend()
    from ipympl.backend_nbagg import Canvas, FigureManager

    if matplotlib.get_backend() != previous:
        matplotlib.use(previous)
    fig = Figure(figsize=figsize, layout="constrained")
    canvas = Canvas(fig)
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


class Blitter:
    """Redraw a figure by drawing only what changed over a saved background ("blitting").

    Axes, ticks, tick labels and spines cost most of a draw (text layout), and a slider rarely changes
    them. So: the first draw lays the figure out (constrained layout) and then freezes that layout. At
    each later redraw, the artists an update changed are the ones matplotlib marked *stale*. The figure
    without them is drawn once and saved as the background; each redraw then restores the background,
    draws those artists on it and sends the picture. Anything else (axis limits, the set of artists, the
    figure's size, a stale axis or spine) takes a plain full draw, and a new background at the next
    move. An ordinary ``canvas.draw()`` or
    ``savefig`` still draws everything: artists are left out only while the background is drawn.
    """

    def __init__(self, figure: Figure):
        self.figure = figure
        self.background = None
        self.changing: list = []  # the artists updates change
        self.drawn_over: list = []  # what each redraw draws over the background: foreground(), kept
        self.frame = None

    @staticmethod
    def leaves_of(parent) -> list:
        """A figure's or an axes' own artists, without axes, axis, spines and background patch."""
        return [a for a in parent.get_children()
                if a is not parent.patch and not isinstance(a, (Axes, Axis, Spine))]

    def leaves(self) -> list:
        """What an update may change."""
        return [a for parent in [self.figure, *self.figure.axes] for a in self.leaves_of(parent)]

    def frame_state(self, leaves: list) -> tuple:
        """Everything that, if changed, needs a new background."""
        axes_state = tuple(
            (tuple(ax.viewLim.bounds), any(a.stale for a in [ax.xaxis, ax.yaxis, *ax.spines.values()]))
            for ax in self.figure.axes
        )
        return tuple(self.figure.bbox.bounds), axes_state, tuple(map(id, leaves))

    def foreground(self) -> list:
        """What is drawn over the background: the changing artists, and whatever a full draw would put
        over them (in each axes, every artist at or above the lowest zorder that changes), in draw order."""
        fig, out = self.figure, []
        for ax in fig.axes:
            changing = [a for a in self.changing if a.axes is ax]
            if changing:
                lowest = min(a.get_zorder() for a in changing)
                above = [a for a in self.leaves_of(ax) + [ax.xaxis, ax.yaxis, *ax.spines.values()]
                         if a.get_zorder() >= lowest]
                out += sorted(above, key=lambda a: a.get_zorder())
        return out + sorted((a for a in self.changing if a.axes is None), key=lambda a: a.get_zorder())

    def redraw(self) -> None:
        fig, canvas = self.figure, self.figure.canvas
        if self.frame is None:  # the first draw: lay out, then keep that layout
            for ax in fig.axes:
                ax.set_axisbelow(True)  # ticks under the data, so moving bars need not redraw the ticks
            canvas.draw()
            if fig.get_layout_engine() is not None:
                fig.set_layout_engine("none")
            self.frame = self.frame_state(self.leaves())
            return
        leaves = self.leaves()
        stale = [a for a in leaves if a.stale]
        frame = self.frame_state(leaves)
        if frame != self.frame:  # new limits or artists: a plain full draw; blit once the frame holds still
            canvas.draw()
            self.frame, self.background, self.changing, self.drawn_over = self.frame_state(leaves), None, [], []
            return
        if self.background is None or any(a not in self.changing for a in stale):
            self.changing = [a for a in leaves if a.stale or a in self.changing]
            self.drawn_over = self.foreground()
            for artist in self.drawn_over:
                artist.set_animated(True)  # left out of the background
            try:
                FigureCanvasAgg.draw(canvas)  # drawn, not sent to the browser
            finally:
                for artist in self.drawn_over:
                    artist.set_animated(False)
            self.background = canvas.copy_from_bbox(fig.bbox)
        else:
            canvas.restore_region(self.background)
        for artist in self.drawn_over:  # the same artists as long as the frame holds
            fig.draw_artist(artist)
        canvas.blit(fig.bbox)


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

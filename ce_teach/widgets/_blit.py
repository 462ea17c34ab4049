"""Blitting: redraw a figure by drawing only what changed over a saved background.

Axes, ticks, tick labels, titles and legends cost most of a draw (text is slow to render), and a
slider rarely changes them. The artists an update changed are the ones matplotlib marked *stale*. The
figure without them, and without whatever a full draw would paint over them, is drawn once and saved
as the background; each redraw restores it, paints those artists in the full draw's order, and sends
the picture. The result is pixel for pixel a full draw (``tests/test_blit.py`` and
``tests/test_widgets_live.py`` check that).

What a full draw paints over a changing artist: everything later in the painting order whose box
overlaps it, and, in turn, whatever overlaps those. A changing artist is given room to move: the
clip box it is confined to (an axes' data area), or for an unclipped one (a title) its box at the
time plus a margin; if it outgrows that, the background is made again.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.spines import Spine
from matplotlib.text import Text
from matplotlib.transforms import Bbox

EDGE_PX = 1.5  # how far past its geometry (and half its stroke) an edge may colour pixels: antialiasing, snapping
ROOM_PX = 12.0  # how much wider an unclipped changing artist (a title) may grow before a new background


def zorder(artist) -> float:
    return artist.get_zorder()


def painting_order(parent) -> list:
    """The artists a full draw paints, in order (axes expanded in place, each axes' patch first)."""
    out = [parent.patch] if isinstance(parent, Axes) else []
    for artist in sorted((a for a in parent.get_children() if a is not parent.patch), key=zorder):
        out += painting_order(artist) if isinstance(artist, Axes) else [artist]
    return out


def clip_box(artist) -> Bbox | None:
    """The box ``artist`` is clipped to, with its antialiased edge; None if it is not clipped to a box.

    Only the simple artists clip what they paint to their clip box; an axis or a legend paints tick
    labels or a frame outside it."""
    simple = isinstance(artist, (Line2D, Patch, Collection, Text))
    clip = artist.get_clip_box() if simple and artist.get_clip_on() else None
    return None if clip is None else clip.padded(EDGE_PX)


def stroke_points(artist) -> float:
    """The widest stroke ``artist`` draws, in points: its window extent covers the geometry, not the stroke."""
    widths = [getattr(artist, "get_linewidth", lambda: 0.0)()]
    if isinstance(artist, Line2D):
        widths.append(artist.get_markeredgewidth())
    return float(max(np.max(w, initial=0.0) for w in widths))


def all_axes(parent) -> list:
    """Every axes in a figure or axes, insets included (``figure.axes`` leaves insets out)."""
    children = [a for a in parent.get_children() if isinstance(a, Axes)]
    return children + [inner for ax in children for inner in all_axes(ax)]


def opaque(patch) -> bool:
    return patch.get_facecolor()[3] == 1.0 and patch.get_alpha() in (None, 1.0)


def leaves_of(parent) -> list:
    """A figure's or an axes' own artists, without axes, axis, spines and background patch."""
    return [a for a in parent.get_children() if a is not parent.patch and not isinstance(a, (Axes, Axis, Spine))]


class Blitter:
    """Redraw ``figure`` on its canvas, blitting when only some artists changed (see the module docstring).

    The first redraw lays the figure out (constrained layout) and then freezes that layout. A change
    of axis limits, of the set of artists, of the figure's size, or of an axis or spine takes a plain
    full draw, and a new background at the next move. An ordinary ``canvas.draw()`` or ``savefig``
    still draws everything: artists are left out only while the background is drawn.
    """

    def __init__(self, figure: Figure):
        self.figure = figure
        self.background = None
        self.changing: list = []  # the artists updates change
        self.drawn_over: list | None = []  # painted over the background at each redraw; None: cannot blit
        self.room: dict = {}  # id of an unclipped changing artist -> the box it may occupy (None: nothing)
        self.frame = None

    def leaves(self) -> list:
        """What an update may change."""
        return [a for parent in [self.figure, *all_axes(self.figure)] for a in leaves_of(parent)]

    def frame_state(self, leaves: list) -> tuple:
        """Everything that, if changed, needs a new background."""
        axes_state = tuple(
            (tuple(ax.viewLim.bounds), tuple(ax.get_position().bounds),
             any(a.stale for a in [ax.xaxis, ax.yaxis, *ax.spines.values()]))
            for ax in all_axes(self.figure)
        )
        return tuple(self.figure.bbox.bounds), axes_state, tuple(map(id, leaves))

    def box(self, artist, renderer) -> Bbox | None:
        """The pixels ``artist`` may colour (a little more is fine, less is not); None if it paints nothing."""
        if not artist.get_visible() or (isinstance(artist, Text) and not artist.get_text()):
            return None
        try:
            if isinstance(artist, Axis):
                bbox = artist.get_tightbbox(renderer)
            else:
                bbox = artist.get_window_extent(renderer)
                if isinstance(artist, Text) and artist.get_bbox_patch() is not None:  # a framed text
                    bbox = Bbox.union([bbox, artist.get_bbox_patch().get_window_extent(renderer)])
        except Exception:  # an artist that cannot say where it is: assume everywhere
            bbox = None
        if bbox is None or not np.all(np.isfinite(bbox.extents)) or (bbox.width == 0 and bbox.height == 0):
            bbox = self.figure.bbox  # unknown extent (an artist that does not say answers an empty box)
        bbox = bbox.padded(stroke_points(artist) / 2 * self.figure.dpi / 72 + EDGE_PX)
        clip = clip_box(artist)
        return bbox if clip is None else Bbox.intersection(bbox, clip)

    def room_of(self, artist, renderer) -> Bbox | None:
        """Where an unclipped changing artist (a title) may be while this background lasts: its box now,
        with room to grow sideways; None while it paints nothing."""
        box = self.box(artist, renderer)
        return None if box is None else Bbox.from_extents(box.x0 - ROOM_PX, box.y0, box.x1 + ROOM_PX, box.y1)

    def outgrown(self) -> bool:
        """Has an unclipped changing artist (a title whose text changes) left the room it was given?"""
        renderer = self.figure.canvas.get_renderer()
        for artist in self.changing:
            if id(artist) not in self.room:  # clipped: it cannot leave its clip box
                continue
            room, box = self.room[id(artist)], self.box(artist, renderer)
            if box is not None and (room is None or not (room.x0 <= box.x0 and room.y0 <= box.y0
                                                          and box.x1 <= room.x1 and box.y1 <= room.y1)):
                return True  # grown, or painting for the first time (an empty title given a text)
        return False

    def foreground(self) -> list | None:
        """What is painted over the background, in painting order: the changing artists and whatever a full
        draw paints over them. None if that includes what a background cannot leave out and cannot paint
        twice (an image; a see-through axes background): then there is nothing to blit.

        An axes' background patch is always in the background (matplotlib draws it even when marked
        animated); painting an opaque one again, over the background, gives the same pixels."""
        renderer = self.figure.canvas.get_renderer()
        axes_patches = [ax.patch for ax in all_axes(self.figure)]
        self.room, covered, out = {}, [], []
        for artist in painting_order(self.figure):
            if artist in self.changing:  # it may be anywhere in its clip box, or in the room it is given
                box = clip_box(artist)
                if box is None:
                    box = self.room[id(artist)] = self.room_of(artist, renderer)
            else:
                if not covered:  # painted before anything that changes: it stays in the background
                    continue
                box = self.box(artist, renderer)
                if box is None or not any(box.overlaps(c) for c in covered):
                    continue
            if isinstance(artist, AxesImage) or (any(artist is p for p in axes_patches) and not opaque(artist)):
                return None
            out.append(artist)
            if box is not None:
                covered.append(box)
        return out

    def redraw(self) -> None:
        fig, canvas = self.figure, self.figure.canvas
        if self.frame is None:  # the first draw: lay out, then keep that layout
            for ax in all_axes(fig):
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
            self.frame, self.background, self.changing, self.drawn_over = frame, None, [], []
            return
        if self.background is None or any(a not in self.changing for a in stale) or self.outgrown():
            self.changing = [a for a in leaves if a.stale or a in self.changing]
            self.drawn_over = self.foreground()
            if self.drawn_over is None:
                canvas.draw()
                self.background = None
                return
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

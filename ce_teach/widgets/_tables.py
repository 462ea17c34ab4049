"""Everything a live figure can show, computed once: the tables the browser looks up.

``build_tables(plot, controls)`` gives each control its finite list of positions, calls ``plot.state`` on
the whole grid of positions at once (one call per combination of choices), and packs the moving artists'
data and the readout's strings into one byte string plus a JSON description of where each table starts.
``describe_figure`` renders the still part of the figure once and says how to draw the moving artists
over it: each axes' box and data-to-pixel transform, and each artist's style.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from io import BytesIO

import matplotlib
import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle

from ..plotting._live import LivePlot
from ..plotting.readout import format_value, readout_fields

__all__ = ["Control", "make_controls", "build_tables", "describe_figure", "MAX_POINTS", "STILL_SCALE"]

MAX_POINTS = 2_000_000  # grid points of one figure: beyond this the tables grow past a few MB
STILL_SCALE = 2  # the still image has 2 pixels per CSS pixel, sharp on high-density screens


@dataclass(frozen=True)
class Control:
    """One control: a slider over ``values`` (kind "range") or one button per value (kind "choice")."""

    name: str
    label: str
    kind: str
    values: tuple
    texts: tuple[str, ...]
    start: int

    def value(self, index: int):
        return self.values[index]


def _decimals(step: float) -> int:
    """How many decimals a slider of this step shows: 0.01 → 2, 0.25 → 2, 0.5 → 1, 2 → 0."""
    for digits in range(13):
        if abs(round(step, digits) - step) <= 1e-12 * max(1.0, abs(step)):
            return digits
    return 12


def _range_control(name: str, label: str, spec, start) -> Control:
    if len(spec) != 3 or not all(isinstance(s, int | float) and not isinstance(s, bool) for s in spec):
        raise TypeError(f"slider {name!r} must be (low, high, step), three numbers; got {spec!r}")
    lo, hi, step = (float(s) for s in spec)
    if not (math.isfinite(lo) and math.isfinite(hi) and step > 0 and hi > lo):
        raise ValueError(f"slider {name!r} needs finite low < high and a step > 0; got {spec!r}")
    count = (hi - lo) / step
    if abs(count - round(count)) > 1e-9 * max(1.0, count):
        raise ValueError(f"slider {name!r}: (high − low) / step = {count:g} must be a whole number; got {spec!r}")
    if round(count) + 1 > MAX_POINTS:
        raise ValueError(f"slider {name!r} has {round(count) + 1:,} positions: more grid points than {MAX_POINTS:,}")
    digits = _decimals(step)
    values = tuple(round(lo + i * step, digits + 6) for i in range(round(count) + 1))
    if isinstance(start, bool) or not isinstance(start, int | float | np.integer | np.floating):
        raise TypeError(f"the plot's value of {name!r} must be a number to be a slider, got {start!r}")
    index = int(np.argmin(np.abs(np.array(values) - float(start))))
    if abs(values[index] - float(start)) > 1e-9 * max(1.0, abs(float(start))):
        raise ValueError(
            f"the plot's {name} = {start!r} is not a position of its slider {spec!r}: start the plot on the grid"
        )
    return Control(name, label, "range", values, tuple(f"{v:.{digits}f}" for v in values), index)


def _choice_control(name: str, label: str, spec, start) -> Control:
    pairs = [item if isinstance(item, tuple) else (str(item), item) for item in spec]
    if len(pairs) < 2 or not all(len(p) == 2 for p in pairs):
        raise ValueError(f"choice {name!r} needs at least two values, or (text, value) pairs; got {spec!r}")
    values = tuple(value for _, value in pairs)
    if start not in values:
        raise ValueError(f"the plot's {name} = {start!r} is not one of the choices {list(values)}")
    return Control(name, label, "choice", values, tuple(text for text, _ in pairs), values.index(start))


def make_controls(plot: LivePlot, specs: dict) -> list[Control]:
    """The controls for ``plot``: ``(low, high, step)`` is a slider, a list is a set of choices."""
    if not specs:
        raise ValueError(f"a live figure needs at least one control; {type(plot).__name__} has {list(plot.values)}")
    controls = []
    for name, spec in specs.items():
        if name not in plot.values:
            raise ValueError(f"{type(plot).__name__} has no value {name!r} to control; it has {list(plot.values)}")
        label = plot.labels.get(name, name)
        make = _range_control if isinstance(spec, tuple) else _choice_control if isinstance(spec, list) else None
        if make is None:
            raise TypeError(f"control {name!r} must be a (low, high, step) tuple or a list of choices; got {spec!r}")
        controls.append(make(name, label, spec, plot.values[name]))
    points = math.prod(len(c.values) for c in controls)
    if points > MAX_POINTS:
        sizes = " × ".join(f"{c.name}: {len(c.values)}" for c in controls)
        raise ValueError(f"{points:,} grid points ({sizes}) is more than {MAX_POINTS:,}: use coarser steps")
    return controls


def _grid_states(plot: LivePlot, controls: list[Control]) -> dict[str, np.ndarray]:
    """``plot.state`` over every grid point: arrays with one axis per control, in order, then the items."""
    ranges = [c for c in controls if c.kind == "range"]
    choices = [c for c in controls if c.kind == "choice"]
    axes = {}
    for k, c in enumerate(ranges):
        shape = [1] * (len(ranges) + 1)
        shape[k] = len(c.values)
        axes[c.name] = np.array(c.values, dtype=float).reshape(shape)
    fixed = {name: value for name, value in plot.values.items() if name not in {c.name for c in controls}}
    fixed = {name: plot.as_input(name, value) for name, value in fixed.items()}
    combos = list(itertools.product(*(c.values for c in choices)))
    states = [
        plot.state(**fixed, **axes, **dict(zip([c.name for c in choices], combo, strict=True))) for combo in combos
    ]
    order = choices + ranges  # the axes of the stacked arrays, before they are put in the controls' order
    result = {}
    for key in states[0]:
        parts = [np.asarray(s[key]) for s in states]
        shape = np.broadcast_shapes(*(p.shape for p in parts))
        if len(shape) != len(ranges) + 1:
            raise ValueError(f"state[{key!r}] has shape {shape}: expected {len(ranges)} slider axes and the items")
        stacked = np.stack([np.broadcast_to(p, shape) for p in parts])
        stacked = stacked.reshape([len(c.values) for c in choices] + list(shape))
        nan = all(p.dtype.kind in "fc" for p in parts)  # equal_nan only for numbers: a readout may hold strings
        if len(combos) > 1 and all(np.array_equal(parts[0], p, equal_nan=nan) for p in parts[1:]):
            stacked = stacked[(slice(0, 1),) * len(choices)]  # the same for every choice: stored once
        source = [order.index(c) for c in controls]
        result[key] = np.moveaxis(stacked, source + [len(order)], list(range(len(order) + 1)))
    return result


class _Packer:
    """Arrays into one byte string, each at an offset divisible by 8, described for the browser."""

    def __init__(self):
        self.chunks, self.size = [], 0

    def add(self, array: np.ndarray, kind: str) -> dict:
        array = np.ascontiguousarray(array, dtype={"f32": np.float32, "u16": np.uint16, "u32": np.uint32}[kind])
        strides = [
            0 if n == 1 else s // array.itemsize for n, s in zip(array.shape[:-1], array.strides[:-1], strict=True)
        ]
        entry = {"offset": self.size, "length": array.size, "type": kind, "strides": strides, "items": array.shape[-1]}
        data = array.tobytes()
        self.chunks.append(data + bytes(-len(data) % 8))
        self.size += len(self.chunks[-1])
        return entry

    def bytes(self) -> bytes:
        return b"".join(self.chunks)


def _field_table(values: np.ndarray, spec: str) -> tuple[list[str], np.ndarray]:
    """The distinct strings a readout field shows, and for each grid point the index of its string."""
    flat = values.reshape(-1)
    distinct, inverse = np.unique(flat, return_inverse=True)
    texts = np.array([format_value(v, spec) for v in distinct], dtype=object)
    strings, which = np.unique(texts.astype(str), return_inverse=True)  # two numbers may print the same
    return strings.tolist(), which[inverse].reshape(values.shape)


def build_tables(plot: LivePlot, controls: list[Control]) -> tuple[dict, bytes]:
    """The tables of every moving artist part and readout field: (their description, the packed bytes)."""
    states = _grid_states(plot, controls)
    literals, fields = readout_fields(plot.readout)
    packer = _Packer()
    parts = {}
    for key, data in states.items():
        if "." in key:
            parts[key] = packer.add(data, "f32")
    readout = []
    for name, spec in fields:
        if name not in states:
            raise KeyError(f"the readout of {type(plot).__name__} needs {name!r}, which its state does not give")
        strings, index = _field_table(states[name], spec)
        if index.shape[-1] != 1:
            raise ValueError(f"readout field {name!r} must be one value per grid point, got shape {index.shape}")
        readout.append({"strings": strings, "table": packer.add(index, "u16" if len(strings) < 65536 else "u32")})
    return {"parts": parts, "literals": literals, "fields": readout}, packer.bytes()


def _transform(axis, pixels: np.ndarray, lo: float, hi: float) -> dict:
    """A data → pixel map along one axis: pixel = a · f(value) + b, with f the identity or log10.

    On a log axis, matplotlib's own transform says what a value ≤ 0 becomes: a finite stand-in (its default,
    nonpositive="clip": far outside the axes, so a bar from 0 reaches past the bottom) or nan (not drawn).
    """
    scale = axis.get_scale()
    if scale not in ("linear", "log"):
        raise ValueError(f"a live figure's axes must be linear or log, not {scale!r}")
    f = np.log10 if scale == "log" else float
    a = (pixels[1] - pixels[0]) / (f(hi) - f(lo))
    out = {"scale": scale, "a": float(a), "b": float(pixels[0] - a * f(lo))}
    if scale == "log":
        transform = axis.get_transform()
        base = float(transform.base)
        if base != 10:
            raise ValueError(f"a live figure's log axes must be base 10, not {base:g}")
        with np.errstate(divide="ignore", invalid="ignore"):
            zero = float(transform.transform_non_affine(np.array([0.0]))[0])
        out["nonpositive"] = zero if math.isfinite(zero) else None
    return out


def _axes_geometry(ax, height: float) -> dict:
    """An axes' box (CSS pixels from the top left) and its two transforms, from its public transData."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    corners = ax.transData.transform([[x0, y0], [x1, y1]])
    box = ax.bbox
    return {
        "box": [box.x0, height - box.y1, box.width, box.height],
        "x": _transform(ax.xaxis, corners[:, 0], x0, x1),
        "y": _transform(ax.yaxis, height - corners[:, 1], y0, y1),
    }


def _colour(value) -> list[float]:
    return [round(c, 6) for c in to_rgba(value)]


_CAPS = {"butt": "butt", "round": "round", "projecting": "square"}  # matplotlib's names → the canvas's
_JOINS = {"miter": "miter", "round": "round", "bevel": "bevel"}


def _dashes(style: str, width: float, points_to_px: float) -> list[float]:
    """matplotlib's dash pattern (rcParams, in points, scaled by the line width) in CSS pixels."""
    if style not in ("--", ":"):
        return []
    pattern = matplotlib.rcParams["lines.dashed_pattern" if style == "--" else "lines.dotted_pattern"]
    scale = width if matplotlib.rcParams["lines.scale_dashes"] else 1.0
    return [d * scale * points_to_px for d in pattern]


def _threshold(value) -> float | None:
    """A marker's snap threshold in pixels, for JSON: None stays None, ∞ (never snapped) becomes 1e300."""
    return None if value is None else min(float(value), 1e300)


def _marker_corners(line: Line2D, shape: MarkerStyle, dpi: float) -> list[list[float]] | None:
    """The corners of a polygon marker as Agg draws it at ``dpi``: device pixels (y down) from the pixel the
    marker's point rounds to, computed with the same float operations as Agg's ``draw_markers`` (the marker's
    matrix scaled by its size, flipped, applied as ``x·sx + y·shx + tx``, then snapped or moved by half a
    pixel). A corner that lands exactly half-way between two pixels rounds the way Agg rounds it only if it is
    computed this way: rotating a triangle by 180° leaves 1e-16 errors that decide it."""
    if line.get_marker() not in ("s", "D", "^", "v"):
        return None
    width = line.get_markersize() * dpi / 72.0  # RendererAgg.points_to_pixels
    (sx, shx, tx), (shy, sy, ty), _ = shape.get_transform().scale(width).get_matrix()
    shy, sy, ty = -shy, -sy, -ty  # marker_trans *= scaling(1, -1)
    path = shape.get_path()
    codes = path.codes if path.codes is not None else np.full(len(path.vertices), 2)
    points = [(float(x), float(y)) for (x, y), code in zip(path.vertices, codes, strict=True) if code != 79]
    threshold = shape.get_snap_threshold()
    corners = [(x * sx + y * shx + tx, x * shy + y * sy + ty) for x, y in points]
    if threshold is None:
        closed = [*corners, corners[0]]
        snap = all(abs(a[0] - b[0]) < 1e-4 or abs(a[1] - b[1]) < 1e-4 for a, b in zip(closed, closed[1:], strict=False))
    else:
        snap = width >= threshold
    if not snap:  # marker_trans *= translation(0.5, 0.5), then the same product
        return [[x * sx + y * shx + (tx + 0.5), x * shy + y * sy + (ty + 0.5)] for x, y in points]
    edge = line.get_markeredgewidth() * dpi / 72.0
    offset = 0.5 if math.floor(edge + 0.5) % 2 == 1 else 0.0
    return [[math.floor(x + 0.5) + offset, math.floor(y + 0.5) + offset] for x, y in corners]


def _line_style(line: Line2D, points_to_px: float) -> dict:
    style = line.get_linestyle()
    if style not in ("-", "--", ":", "None"):
        raise ValueError(f"a moving line's style must be '-', '--', ':' or 'None', not {style!r}")
    marker = line.get_marker()
    if marker not in ("o", "None", "", None, "v", "^", "s", "D"):
        raise ValueError(f"a moving line's marker must be one of o v ^ s D, not {marker!r}")
    if line.get_fillstyle() != "full":
        raise ValueError(f"a moving line's markers must be filled in full, not {line.get_fillstyle()!r}")
    shape = MarkerStyle(marker)  # the marker's own cap and join (a circle: round; a square: miter), as Line2D uses
    return {
        "kind": "line",
        "colour": _colour(line.get_color()),
        "alpha": line.get_alpha(),
        "width": line.get_linewidth() * points_to_px,
        "style": style,
        "dashes": _dashes(style, line.get_linewidth(), points_to_px),
        "cap": _CAPS[line.get_solid_capstyle() if style == "-" else line.get_dash_capstyle()],
        "join": _JOINS[line.get_solid_joinstyle() if style == "-" else line.get_dash_joinstyle()],
        "marker": marker if marker not in ("None", "", None) else None,
        "size": line.get_markersize() * points_to_px,
        "face": _colour(line.get_markerfacecolor()),
        "edge": _colour(line.get_markeredgecolor()),
        "edgewidth": line.get_markeredgewidth() * points_to_px,
        "snap": line.get_snap(),  # None: Agg snaps the line if it is rectilinear
        # a marker at least this many pixels wide is snapped to the pixel grid (None: if rectilinear)
        "markersnap": _threshold(shape.get_snap_threshold()),
        # at the still image's scale, the marker's corners exactly as Agg computes them (other scales: live.js)
        "corners": _marker_corners(line, shape, 72.0 * points_to_px * STILL_SCALE),
        "cornerscale": STILL_SCALE,
        "markercap": _CAPS[shape.get_capstyle()],
        "markerjoin": _JOINS[shape.get_joinstyle()],
        "x": _finite_or_none(line.get_xdata()),
        "y": _finite_or_none(line.get_ydata()),
    }


def _finite_or_none(data) -> list[float | None]:
    """Line data for JSON: a gap (NaN, ±inf) is null, which JSON can carry and the browser skips as NaN."""
    return [float(v) if math.isfinite(v) else None for v in np.asarray(data, dtype=float)]


def _bars_style(bars: BarContainer, points_to_px: float) -> dict:
    first = bars.patches[0]
    return {
        "kind": "bars",
        "colour": _colour(first.get_facecolor()),
        "edge": _colour(first.get_edgecolor()),
        "edgewidth": first.get_linewidth() * points_to_px if first.get_edgecolor()[3] > 0 else 0.0,
        "x": [float(p.get_x()) for p in bars.patches],
        "width": [float(p.get_width()) for p in bars.patches],
        "bottom": [float(p.get_y()) for p in bars.patches],
        "height": [float(p.get_height()) for p in bars.patches],
    }


def _parts(artist) -> list:
    """The artists matplotlib draws for one moving artist: a line, or each bar of a BarContainer."""
    return [artist] if isinstance(artist, Line2D) else list(artist.patches)


def _layers(plot: LivePlot) -> tuple[dict[str, int], list[list]]:
    """Which canvas each moving artist is drawn on, and the still artists drawn over each canvas.

    matplotlib draws an axes' children in order of zorder (ties in the order they were added), so a still
    artist can cover a moving one (a spine over a marker at the axes' edge). The browser keeps that order
    with layers: still image 0, canvas 0, still image 1, canvas 1, … where still image k > 0 holds the
    still artists drawn after the moving artists of canvas k − 1 and before those of canvas k.
    """
    owner = {id(part): name for name, artist in plot.moving.items() for part in _parts(artist)}
    raw, over = {}, {}  # moving name → how many moving artists come before it; still layer → its artists
    for ax in plot.figure.axes:
        children = sorted((c for c in ax.get_children() if c is not ax.patch), key=lambda c: c.get_zorder())
        before = 0
        for child in children:
            name = owner.get(id(child))
            if name is None:
                if before and child.get_visible():
                    over.setdefault(before, []).append(child)
            elif name not in raw:
                raw[name] = before
                before += 1
    cuts = sorted(over)  # the still layers that are not empty: each starts a new canvas
    canvas = {name: sum(cut <= k for cut in cuts) for name, k in raw.items()}
    return canvas, [over[cut] for cut in cuts]


def _render(figure, scale: float, transparent: bool = False) -> bytes:
    with BytesIO() as png:
        figure.savefig(png, format="png", dpi=figure.dpi * scale, transparent=transparent)
        return png.getvalue()


def describe_figure(plot: LivePlot) -> tuple[dict, bytes]:
    """The still picture (PNGs, moving artists hidden) and how to draw the moving artists over it.

    The layout is computed once and then frozen, so the still image at ``STILL_SCALE`` times the figure's
    pixels and the transforms at its own pixels describe the same positions. The bytes are the still
    images one after the other (``figure["stills"]`` gives each one's offset and length): the first is
    everything drawn below the moving artists, each further one (transparent) the still artists that
    matplotlib draws over the moving artists of the canvas before it (see ``_layers``).
    """
    figure = plot.figure
    figure.draw_without_rendering()
    figure.set_layout_engine("none")
    width, height = figure.bbox.width, figure.bbox.height
    points_to_px = figure.dpi / 72.0
    axes = list(figure.axes)
    canvas, over = _layers(plot)
    artists = []
    for name, artist in plot.moving.items():
        ax = artist.axes if isinstance(artist, Line2D) else artist.patches[0].axes
        style = _line_style(artist, points_to_px) if isinstance(artist, Line2D) else _bars_style(artist, points_to_px)
        first = artist if isinstance(artist, Line2D) else artist.patches[0]
        added = ax.get_children().index(first)  # matplotlib draws equal zorders in the order they were added
        artists.append(
            {"name": name, "axes": axes.index(ax), "zorder": first.get_zorder(), "layer": canvas[name], **style}
        )
        artists[-1]["order"] = (canvas[name], axes.index(ax), first.get_zorder(), added)
    artists.sort(key=lambda a: a.pop("order"))
    hidden = [part for artist in plot.moving.values() for part in _parts(artist)]
    above = [a for layer in over for a in layer]
    visible = {id(a): a.get_visible() for a in [*hidden, *above]}
    try:
        for artist in [*hidden, *above]:
            artist.set_visible(False)
        stills = [_render(figure, STILL_SCALE)]
        if over:
            # each layer above: only its own artists, on a transparent figure
            others = [c for c in figure.get_children() if c is not figure.patch]
            others += [c for ax in axes for c in ax.get_children() if c is not ax.patch]
            mine = {id(a) for a in above} | {id(a) for a in hidden} | {id(ax) for ax in axes}
            rest = [c for c in others if id(c) not in mine and c.get_visible()]
            for artist in rest:
                artist.set_visible(False)
            try:
                for layer in over:
                    for artist in layer:
                        artist.set_visible(True)
                    stills.append(_render(figure, STILL_SCALE, transparent=True))
                    for artist in layer:
                        artist.set_visible(False)
            finally:
                for artist in rest:
                    artist.set_visible(True)
    finally:
        for artist in [*hidden, *above]:
            artist.set_visible(visible[id(artist)])
    offsets = np.cumsum([0] + [len(png) for png in stills]).tolist()
    geometry = {
        "size": [width, height],
        "stills": [[offsets[k], len(png)] for k, png in enumerate(stills)],
        "axes": [_axes_geometry(ax, height) for ax in axes],
        "artists": artists,
    }
    return geometry, b"".join(stills)

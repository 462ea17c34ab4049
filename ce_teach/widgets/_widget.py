"""``live(plot, **controls)``: a plot with sliders that move in the browser, with or without a kernel.

The tables (``_tables``) go to the browser once, as one binary buffer; ``live.js`` draws the still image,
then the moving artists of the current grid point over it, and fills in the readout's strings. Moving a
slider is a lookup and a redraw of a few artists on a canvas: no message to the kernel is waited for.
The kernel hears of every move (``index``), so ``widget.values`` and ``widget.readout_text()`` follow.
"""

from __future__ import annotations

import base64
import ctypes
import gc
import sys
from io import BytesIO
from pathlib import Path

import anywidget
import traitlets as t
from IPython import get_ipython

from ..plotting._live import LivePlot
from ._tables import Control, build_tables, describe_figure, make_controls

__all__ = ["LiveFigure", "live"]

_ESM = (Path(__file__).with_name("live.js")).read_text(encoding="utf-8")
_CSS = (Path(__file__).with_name("live.css")).read_text(encoding="utf-8")
_BY_CELL: dict[str, LiveFigure] = {}  # the live figure each notebook cell made last: re-running the cell closes it


class LiveFigure(anywidget.AnyWidget):
    """Sliders, a readout and a figure whose moving parts are looked up in precomputed tables.

    ``values`` are the controls' current values and ``set(**values)`` moves them (the browser follows);
    ``plot`` is the matplotlib drawing, ``readout_text()`` the readout the browser shows, as HTML.
    """

    _esm = _ESM
    _css = _CSS
    spec = t.Dict().tag(sync=True)
    tables = t.Bytes().tag(sync=True)
    still = t.Bytes().tag(sync=True)
    index = t.List(t.Int()).tag(sync=True)

    def __init__(self, plot: LivePlot, controls: list[Control]):
        self.plot = plot
        self.controls = controls
        start = [c.start for c in controls]
        self._start_png = _png(plot)
        tables_spec, tables = build_tables(plot, controls)
        geometry, still = describe_figure(plot)
        spec = {
            "controls": [{"name": c.name, "label": c.label, "kind": c.kind, "texts": list(c.texts)} for c in controls],
            "figure": geometry,
            **tables_spec,
        }
        super().__init__(spec=spec, tables=tables, still=still, index=start)
        _replace_in_cell(self)

    @property
    def values(self) -> dict:
        return {c.name: c.value(i) for c, i in zip(self.controls, self.index, strict=True)}

    def set(self, **values) -> None:
        """Move controls to the given values (each must be one of its positions)."""
        index = list(self.index)
        names = [c.name for c in self.controls]
        for name, value in values.items():
            if name not in names:
                raise ValueError(f"no control named {name!r}; the controls are {names}")
            k = names.index(name)
            control = self.controls[k]
            matches = [i for i, v in enumerate(control.values) if v == value or _close(v, value)]
            if not matches:
                raise ValueError(
                    f"{name} = {value!r} is not a position of its control: {control.texts[0]} … "
                    f"{control.texts[-1]} in {len(control.values)} positions"
                )
            index[k] = matches[0]
        self.index = index

    def state(self) -> dict:
        """The plot's state at the current values (as ``plot.state_at``): what the browser shows."""
        return self.plot.state_at(**self.values)

    def readout_text(self) -> str:
        return self.plot.readout_text(self.state())

    def start_png(self) -> bytes:
        """The figure matplotlib draws at the start values: the notebook's static picture."""
        return self._start_png

    def close(self) -> None:
        """Close the widget and let go of its tables, so a closed live figure holds almost no memory."""
        super().close()
        self.plot = None
        self.tables = b""
        self.still = b""
        self.spec = {}

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["image/png"] = base64.b64encode(self._start_png).decode()
        names = ", ".join(c.name for c in self.controls)
        data["text/plain"] = f"<live figure: {type(self.plot).__name__}, controls {names}>"
        return bundle

    def __repr__(self) -> str:
        names = ", ".join(c.name for c in self.controls)
        plot = type(self.plot).__name__ if self.plot is not None else "closed"
        return f"<live figure: {plot}, controls {names}>"


def _close(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    except (TypeError, ValueError):
        return False


def _png(plot: LivePlot) -> bytes:
    with BytesIO() as png:
        plot.figure.savefig(png, format="png")
        return png.getvalue()


def _replace_in_cell(widget: LiveFigure) -> None:
    """Close the live figure that the same notebook cell made before (JupyterLab names the cell running)."""
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return
    cell = kernel.get_parent().get("metadata", {}).get("cellId")
    if not cell:
        return
    old = _BY_CELL.get(cell)
    _BY_CELL[cell] = widget
    if old is not None and old is not widget:
        old.close()
        _give_back_memory()


def _give_back_memory() -> None:
    """Free the closed figure now (matplotlib's figures are reference cycles) and hand the freed pages back.

    glibc keeps the freed buffers of a figure (its tables, the still images' pixels) in its arenas, so
    without this a kernel's resident memory grows by about 3 MB per re-run of a widget cell although
    nothing is alive (measured: tests/test_live_memory.py); ``malloc_trim`` returns them to the system.
    """
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            pass


def live(plot: LivePlot, **controls) -> LiveFigure:
    """A live figure: ``plot`` with one control per keyword.

    A ``(low, high, step)`` tuple is a slider, a list is a set of buttons (values, or (text, value) pairs).
    The plot's current values are the start; each must be a position of its control.

    >>> from ce_teach.plotting import BinaryEntropyPlot
    >>> widget = live(BinaryEntropyPlot(p=0.5), p=(0.0, 1.0, 0.01))
    >>> widget.set(p=0.11); widget.readout_text()
    'H(p) = <b>0.4999</b> bits'
    """
    if not isinstance(plot, LivePlot):
        raise TypeError(f"live() needs a LivePlot (from ce_teach.plotting), got {type(plot).__name__}")
    return LiveFigure(plot, make_controls(plot, controls))

"""What a live figure is: a drawing whose moving parts are a function of a few named values.

A subclass draws its figure once, in ``__init__``, registers the artists that move in ``self.moving``, and
writes ``state``: numpy code that says, for given control values, what each moving artist holds and what
the readout's numbers are. ``update`` puts one such state into the artists, so the figure a notebook shows
is ``state`` drawn by matplotlib. The sliders (``ce_teach.widgets.live``) call the same ``state`` on every
grid point at once and send the results to the browser, which only looks them up: it does no maths.

``state`` is given each slider's values as an array with a trailing axis of length 1 (a whole grid of
values, on an axis of its own, or one value) and each choice's value (a dtype, a class) as a plain Python
value. It returns a dict whose arrays broadcast over those axes, with one trailing axis for the items:

- ``"name.x"`` / ``"name.y"``: the data of the ``Line2D`` ``moving["name"]`` (points on the last axis);
- ``"name.height"`` / ``"name.bottom"``: the bars of the ``BarContainer`` ``moving["name"]``;
- a name with no dot: a number (or string) for the readout, a template such as ``"H = <b>{H:.4f}</b> bits"``.

An array that does not depend on a slider keeps length 1 on that slider's axis, and is stored only once.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.artist import Artist
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .readout import fill_readout

__all__ = ["LivePlot", "stack_last"]


def stack_last(*arrays) -> np.ndarray:
    """Arrays with a trailing axis of length 1, broadcast together and joined along that axis.

    >>> stack_last(np.zeros((2, 1)), np.ones((1, 1))).shape
    (2, 2)
    """
    arrays = np.broadcast_arrays(*arrays)
    return np.concatenate(arrays, axis=-1)


class LivePlot:
    """A figure with moving artists, a ``state`` function and a readout template (see the module's text).

    Subclasses set ``figure``, ``moving``, ``readout`` and ``values`` (the start values, one per control)
    in ``__init__`` and end it with ``self.update()``. ``labels`` names the controls for the sliders.
    """

    figure: Figure
    moving: dict[str, Artist]
    readout: str = ""
    labels: Mapping[str, str] = {}
    values: dict[str, object]

    def state(self, **values) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def state_at(self, **values) -> dict[str, np.ndarray]:
        """The state at one point: the plot's current values, changed by ``values``; arrays of one point."""
        unknown = set(values) - set(self.values)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no control named {sorted(unknown)}; it has {list(self.values)}")
        merged = {**self.values, **values}
        return self.state(**{name: self.as_input(name, value) for name, value in merged.items()})

    def as_input(self, name: str, value):
        """One value as ``state`` takes it: a number (a slider's) as an array of one, anything else as it is."""
        if isinstance(self.values[name], int | float) and not isinstance(self.values[name], bool):
            return np.array([float(value)])
        return value

    def update(self, **values) -> dict[str, np.ndarray]:
        """Move the figure to ``values`` (the others stay); return the state drawn."""
        state = self.state_at(**values)
        for key, data in state.items():
            if "." in key:
                name, part = key.split(".")
                set_artist(self.moving[name], part, data)
        self.values = {**self.values, **values}
        return state

    def readout_text(self, state: Mapping[str, np.ndarray] | None = None) -> str:
        """The readout (HTML) for one state, by default the current one: the text the slider shows."""
        state = self.state_at() if state is None else state
        return fill_readout(self.readout, {k: np.asarray(v).reshape(-1)[0] for k, v in state.items() if "." not in k})


def set_artist(artist: Artist, part: str, data) -> None:
    """Put one part of a state (``x``, ``y``, ``height`` or ``bottom``) into its artist."""
    data = np.asarray(data).reshape(-1)
    if isinstance(artist, Line2D) and part in ("x", "y"):
        (artist.set_xdata if part == "x" else artist.set_ydata)(data)
    elif isinstance(artist, BarContainer) and part in ("height", "bottom"):
        for bar, value in zip(artist.patches, np.broadcast_to(data, len(artist.patches)), strict=True):
            (bar.set_height if part == "height" else bar.set_y)(value)
    else:
        raise TypeError(f"a moving {type(artist).__name__} has no part {part!r}")

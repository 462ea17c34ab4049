"""Checks shared by the widget tests: what is on screen is finite and clean, and redraws can be counted."""

import re

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle


def screen_text(widget) -> str:
    """Everything written on the widget: readout, axes titles, labels and text artists."""
    parts = [widget.readout.value]
    for ax in widget.figure.axes:
        parts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
    return "\n".join(parts)

def assert_clean(widget) -> None:
    """No NaN, 'inf' or negative zero on screen; every drawn coordinate finite."""
    text = screen_text(widget)
    assert "nan" not in text.lower(), text
    assert "inf" not in text.lower(), f"an infinite value should be shown as ∞:\n{text}"
    assert not re.search(r"-0\.0+(?!\d*[1-9])", text), f"negative zero on screen:\n{text}"
    for ax in widget.figure.axes:
        for artist in ax.get_children():
            if isinstance(artist, Line2D):
                assert np.all(np.isfinite(np.asarray(artist.get_xydata(), dtype=float))), artist
            elif isinstance(artist, Rectangle) and artist is not ax.patch:
                assert np.isfinite(artist.get_height()) and np.isfinite(artist.get_x()), artist

def count_redraws(widget) -> list:
    """Record each call of widget.redraw instead of drawing (a draw takes ~0.1 s; sweeps make hundreds).

    The real drawing is exercised by ``draw_for_real`` at the extremes, and by every widget's construction.
    """
    calls = []
    widget.redraw = lambda: calls.append(1)
    return calls

def draw_for_real(widget) -> None:
    """Render the figure as the live canvas does, so drawing errors (e.g. non-finite data) surface."""
    widget.figure.canvas.draw()
    assert_clean(widget)

def artists(widget) -> list:
    return [id(a) for ax in widget.figure.axes for a in ax.get_children()]

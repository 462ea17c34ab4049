"""The live-figure building block, seen from the browser's side of ipympl's messages."""

import matplotlib.pyplot as plt

from ce_teach import widgets
from ce_teach.widgets._live import live_figure


def test_the_browser_saying_initialized_does_not_resize_the_canvas():
    """ipympl answers the browser's "initialized" with the figure's size; if that changes ``_size``, its
    browser code draws an image that has not loaded yet, throws, and the canvas stays 0 pixels high."""
    widget = widgets.coin_entropy(p=0.9)
    canvas = widget.figure.canvas
    changes = []
    canvas.observe(changes.append, names="_size")
    canvas.send = lambda *args, **kwargs: None  # no browser here: drop the outgoing messages
    canvas._handle_message(canvas, {"type": "initialized"}, [])
    assert changes == []
    width, height = widget.figure.get_size_inches() * widget.figure.dpi
    assert tuple(canvas._size) == (width, height)


def test_live_figures_leave_the_notebook_backend_alone():
    backend = plt.get_backend()
    live_figure()
    assert plt.get_backend() == backend

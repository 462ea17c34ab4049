"""The live-figure building block, seen from the browser's side of ipympl's messages."""

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

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


def notebook_widgets():
    """Each widget as a notebook calls it."""
    rng = np.random.default_rng(0)
    features = np.concatenate([rng.normal(-1.0, 0.6, 20), rng.normal(1.0, 0.6, 20)])
    return {
        "coin_entropy": lambda: widgets.coin_entropy(p=0.9),
        "softmax_entropy": lambda: widgets.softmax_entropy(logits=(1.0, 0.0, -1.0)),
        "kl_explorer": lambda: widgets.kl_explorer(p=(0.5, 0.3, 0.2), q_logits=(0.0, 0.0, 0.0), names="abc"),
        "kl_fits": lambda: widgets.kl_fits(separation=3.0),
        "true_class_loss": lambda: widgets.true_class_loss(q=0.7),
        "true_class_loss_log": lambda: widgets.true_class_loss_log(q=0.7),
        "bce_explorer": lambda: widgets.bce_explorer(x=2.0, z=1.0),
        "softmax_explorer": lambda: widgets.softmax_explorer(logits=(2.0, 1.0, -1.0), label=2),
        "temperature_explorer": lambda: widgets.temperature_explorer(logits=(3.0, 1.0, -3.0), temperature=1.0),
        "gradients_vs_logit": lambda: widgets.gradients_vs_logit(logit=-8.0),
        "training_race": lambda: widgets.training_race(features, np.repeat([0, 1], 20), steps=30),
        "calibration_explorer": lambda: widgets.calibration_explorer(),
    }


def full_draw(fig: Figure) -> np.ndarray:
    FigureCanvasAgg.draw(fig.canvas)
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("make", notebook_widgets().values(), ids=notebook_widgets().keys())
def test_blitted_redraws_show_exactly_what_a_full_draw_shows(make):
    """Every slider, over several values and back: after each redraw the picture sent equals a full draw."""
    widget = make()
    canvas = widget.figure.canvas
    for control in widget.controls.values():
        if not isinstance(control, (w.FloatSlider, w.IntSlider)):
            continue
        start = control.value
        for fraction in (0.1, 0.5, 0.9, 0.0, 1.0):
            control.value = control.min + fraction * (control.max - control.min)
            sent = np.asarray(canvas.buffer_rgba()).copy()
            assert np.array_equal(sent, full_draw(widget.figure)), f"{control.description} = {control.value}"
        control.value = start
    assert widget._blitter.background is not None, "never blitted: the test would prove nothing"


@pytest.mark.parametrize("mode", ["full", "diff"])
def test_the_live_canvas_sends_the_pixels_matplotlib_would(mode):
    """``LiveCanvas.get_diff_image`` only encodes its PNG faster: decoded, it is matplotlib's picture."""
    from io import BytesIO

    from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore
    from PIL import Image

    widget = widgets.bce_explorer(x=2.0, z=1.0)
    canvas = widget.figure.canvas
    canvas.send = lambda *args, **kwargs: None  # no browser here: drop the outgoing messages
    shown = canvas._last_buff.copy()  # what the browser shows now
    widget.x.value = 5.0  # redrawn and sent; send the change again, both ways
    state = shown, mode == "full", True
    canvas._last_buff, canvas._force_full, canvas._png_is_old = state
    theirs = FigureCanvasWebAggCore.get_diff_image(canvas)
    their_mode = canvas._current_image_mode
    canvas._last_buff, canvas._force_full, canvas._png_is_old = state
    ours = canvas.get_diff_image()
    assert canvas._current_image_mode == their_mode == mode
    decoded = [np.asarray(Image.open(BytesIO(png))) for png in (theirs, ours)]
    assert np.array_equal(*decoded) and decoded[0].any()
    assert len(ours) <= 1.5 * len(theirs)


@pytest.mark.parametrize("make", notebook_widgets().values(), ids=notebook_widgets().keys())
def test_a_slider_move_redraws_no_legend_and_no_text_that_stayed_the_same(make):
    """Text is the slowest thing matplotlib draws: a move must not paint a legend or an unchanged title
    again (legends go above the axes; titles change through ``set_title_text``)."""
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    widget = make()
    for control in widget.controls.values():
        if isinstance(control, (w.FloatSlider, w.IntSlider)):
            for fraction in (0.3, 0.4):
                control.value = control.min + fraction * (control.max - control.min)
    blitter = widget._blitter
    assert blitter.background is not None
    assert not [a for a in blitter.drawn_over if isinstance(a, Legend)]
    static_texts = [a.get_text() for a in blitter.drawn_over
                    if isinstance(a, Text) and a.get_text() and a not in blitter.changing]
    assert static_texts == []

"""Blitting (``ce_teach.widgets._blit``) on figures built to trap it: whatever it leaves out of a redraw
must be exactly what did not change on screen."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ce_teach.widgets._blit import Blitter
from ce_teach.widgets._live import live_figure

X = np.linspace(0.0, 1.0, 50)


def full_draw(fig) -> np.ndarray:
    FigureCanvasAgg.draw(fig.canvas)
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def assert_blits_like_full_draws(fig, change, values, blitter=None) -> Blitter:
    """Redraw after each ``change(value)``; the picture sent must equal a full draw every time."""
    if blitter is None:
        blitter = Blitter(fig)
        blitter.redraw()
    for value in values:
        change(value)
        blitter.redraw()
        sent = np.asarray(fig.canvas.buffer_rgba()).copy()
        assert np.array_equal(sent, full_draw(fig)), f"value {value}"
    return blitter


def moving_line(ax):
    (line,) = ax.plot(X, X, linewidth=3)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    return lambda value: line.set_ydata((X * 7 * value) % 1)


def test_a_static_title_outside_the_data_area_stays_in_the_background():
    fig = live_figure()
    ax = fig.subplots()
    title = ax.set_title("a title that costs a text render")
    blitter = assert_blits_like_full_draws(fig, moving_line(ax), [0.1, 0.2, 0.3])
    assert blitter.background is not None and title not in blitter.drawn_over


def legend_over(fig, ax):
    ax.plot(X, 1 - X, label="static", linewidth=4)
    return ax.legend(loc="center")


def figure_text_over(fig, ax):
    return fig.text(0.5, 0.5, "FIGURE TEXT", fontsize=30, ha="center", color="red")


def twin_axes_line_over(fig, ax):
    return ax.twinx().plot(X, 1 - X, linewidth=6, color="black")[0]


@pytest.mark.parametrize("cover", [legend_over, figure_text_over, twin_axes_line_over])
def test_what_a_full_draw_paints_over_the_moving_line_is_painted_again(cover):
    fig = live_figure()
    ax = fig.subplots()
    change = moving_line(ax)
    over = cover(fig, ax)
    blitter = assert_blits_like_full_draws(fig, change, [0.1, 0.2, 0.3])
    assert over in blitter.drawn_over


def title_and_text_on_its_line(text: str, *, x: float, ha: str):
    """A figure with a title and, on the title's line, a figure text (painted after the title)."""
    fig = live_figure()
    title = fig.subplots().set_title(text, fontsize=20)
    fig.canvas.draw()
    y = title.get_window_extent().y0 / fig.bbox.height
    return fig, title, fig.text(x, y, "TEXT", ha=ha, va="bottom", fontsize=20, color="red")


def test_a_title_that_grows_gets_a_new_background():
    """The short title leaves the figure text alone; the long one runs under it, so that text must be
    painted again: the room the short title was given does not hold the long one."""
    fig, title, note = title_and_text_on_its_line("short", x=0.95, ha="right")
    words = ["short", "Short", "a much, much longer title than before, overlapping", "short"]
    change = lambda k: title.set_text(words[int(k)])  # noqa: E731
    blitter = assert_blits_like_full_draws(fig, change, [0, 1])
    assert blitter.background is not None and note not in blitter.drawn_over
    assert_blits_like_full_draws(fig, change, [2, 3, 2], blitter)


def test_an_empty_title_given_a_text_gets_a_new_background():
    """An emptied title paints nothing and is given no room; once it has a text again, the figure text
    over its place must be painted again after it."""
    fig, title, note = title_and_text_on_its_line("TITLE", x=0.5, ha="center")
    words = ["", "", "TITLE", "TITLE"]
    blitter = assert_blits_like_full_draws(fig, lambda k: title.set_text(words[int(k)]), [0, 1, 2, 3])
    assert note in blitter.drawn_over


def test_a_line_moving_inside_an_inset_axes_is_seen():
    fig = live_figure()
    ax = fig.subplots()
    moving_line(ax)
    change = moving_line(ax.inset_axes([0.55, 0.55, 0.4, 0.4]))
    assert_blits_like_full_draws(fig, change, [0.1, 0.2, 0.3])


def test_an_inset_axes_over_the_moving_line_is_painted_again_patch_and_all():
    fig = live_figure()
    ax = fig.subplots()
    change = moving_line(ax)
    inset = ax.inset_axes([0.3, 0.3, 0.4, 0.4])
    inset.plot(X, X)
    blitter = assert_blits_like_full_draws(fig, change, [0.1, 0.2, 0.3])
    assert inset.patch in blitter.drawn_over and inset.lines[0] in blitter.drawn_over


@pytest.mark.parametrize("blocker", ["see-through inset axes", "image"])
def test_what_a_background_cannot_leave_out_means_a_full_draw(blocker):
    fig = live_figure()
    ax = fig.subplots()
    change = moving_line(ax)
    if blocker == "see-through inset axes":  # its patch is always in the background; twice is darker
        inset = ax.inset_axes([0.3, 0.3, 0.4, 0.4])
        inset.patch.set_alpha(0.5)
    else:  # matplotlib draws images even when they are marked animated
        image = ax.imshow(np.eye(3), extent=(0, 1, 0, 1), alpha=0.5, zorder=5)
        change_line = change

        def change(value):
            change_line(value)
            image.set_data(np.eye(3) * value)
    blitter = assert_blits_like_full_draws(fig, change, [0.1, 0.2, 0.3])
    assert blitter.drawn_over is None and blitter.background is None

"""Every live figure in the browser, on a static page (``embed.preview_page``, no kernel): the same picture as
matplotlib, exactly ce_teach's numbers, and every control moved by the keyboard.

- **Same picture.** At several positions of every control, the figure the browser shows (still images and
  canvases, a screenshot of ``.ce-live-figure`` at ``device_scale_factor = STILL_SCALE``) is compared with
  matplotlib's full draw of the same plot at the same values (``plot.update``; ``savefig`` at
  ``STILL_SCALE`` times the figure's dpi: the same pixels). They must agree except for anti-aliasing, and
  this is the tolerance: pixel for pixel, with no shift, at most ``MAX_PIXELS`` pixels differ by more than
  ``THRESHOLD`` (of 255) in some channel. Why these numbers: live.js puts every edge where Agg puts it
  (the same pixel snapping of markers, bars and rectilinear lines, the same rounded clip box, the same
  marker corners), so what is left is two rasterisers' (Skia's, Agg's) partial coverage of the same
  edges: measured at most 39 of 255 on every pixel of both figures below, so 64 leaves a margin, and the
  few pixels allowed are for an isolated anti-aliasing outlier on a figure not yet seen. A visible fault
  makes dozens to thousands of pixels differ by far more: a marker one device pixel wider, the still layer
  over the canvas left out (``test_the_comparison_fails_a_visible_fault``). On failure the difference
  image (browser | matplotlib | difference) is saved and its path is in the message. (``SHIFT`` allows a
  shift of whole pixels when set above 0; it is 0: none is needed.)
- **Exactness.** At the start, both ends of every control and random positions, what the browser shows
  (``el.ceLive.current()``: every moving artist's data and every readout string) equals ``plot.state_at``
  (positions as float32, the tables' type) and ``plot.readout_text``, exactly.
- **Keyboard.** A range moves with the arrows, Home, End, PageUp and PageDown; choices with the arrows in
  their radio group; every move redraws the figure and the readout.

The sweep covers every name in ``ce_teach.widgets.SHORTCUTS``, plus ``StylesPlot`` below: a figure that
uses every style a moving artist may have (lines -, --, :, markers o v ^ s D, bars, a log axis, a still
line over a moving one), so the drawing code is checked for all of them even before a notebook uses one.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image

from ce_teach import widgets
from ce_teach.plotting._live import LivePlot, stack_last
from ce_teach.widgets import embed
from ce_teach.widgets._figure import new_axes
from ce_teach.widgets._tables import STILL_SCALE

from .static_live import largest_shift

THRESHOLD = 64  # of 255: a pixel "differs" when some channel is further than this from matplotlib's
MAX_PIXELS = 8  # at most this many differing pixels per figure
SHIFT = 0  # whole pixels a pixel may move (each direction) to find its match: none

FIGURE = ".ce-live-figure"


class StylesPlot(LivePlot):
    """Every moving style at once: two axes, lines and markers on the left, bars on a log axis on the right."""

    labels = {"t": "t", "kind": "kind"}

    def __init__(self, t: float = 0.5, kind: str = "a"):
        self.values = {"t": t, "kind": kind}
        self.readout = "t = <b>{t:.2f}</b>, shift {shift:.1f}"
        left, right = new_axes(ncols=2)
        grid = np.linspace(0, 1, 101)
        left.plot(grid, grid**2, color="0.6")
        (solid,) = left.plot([], [], "-", color="C0", lw=2)
        (dashed,) = left.plot([], [], "--", color="C1", lw=1.5)
        (dotted,) = left.plot([], [], ":", color="C2", lw=2.5)
        (level,) = left.plot([], [], "-", color="C3", lw=1)  # horizontal: snapped to the pixel grid
        markers = {m: left.plot([], [], m, color=f"C{k + 4}", markersize=8 + k)[0] for k, m in enumerate("ov^sD")}
        left.plot([0, 1], [0.5, 0.5], color="k", lw=3, zorder=2.2)  # a still line over the moving ones
        left.set_xlim(0, 1)
        left.set_ylim(-0.1, 1.1)
        bars = right.bar(["a", "b", "c"], [1, 1, 1], color="C0", edgecolor="k", linewidth=1)
        right.set_yscale("log")
        right.set_ylim(1e-3, 10)
        self.figure = left.figure
        self.moving = {
            "solid": solid,
            "dashed": dashed,
            "dotted": dotted,
            "level": level,
            "bars": bars,
            **{f"m{k}": line for k, line in enumerate(markers.values())},
        }
        self.update()

    def state(self, t, kind):
        shift = {"a": 0.0, "b": 0.1}[kind]
        x = np.linspace(0, 1, 9)[None, :]
        state = {
            "solid.x": x,
            "solid.y": t * x + shift,
            "dashed.x": x,
            "dashed.y": 1 - t * x,
            "dotted.x": stack_last(t, t),
            "dotted.y": np.array([[-0.2, 1.2]]),  # clipped by the axes
            "level.x": np.array([[0.05, 0.95]]),
            "level.y": stack_last(t, t) * 0.8 + 0.05,
            "bars.height": stack_last(10.0 ** (-3 * t), 10.0 ** (t - 1), 0.5 + 0 * t),
            "t": t,
            "shift": np.array([[shift]]),
        }
        for k in range(5):
            state[f"m{k}.x"] = np.array([[0.1 + 0.2 * k]]) + 0 * t
            state[f"m{k}.y"] = t * (0.2 + 0.15 * k) + shift
        return state


def styles_widget():
    return widgets.live(StylesPlot(), t=(0.0, 1.0, 0.01), kind=["a", "b"])


FIGURES = [*widgets.SHORTCUTS, "StylesPlot"]


def make(name: str):
    return styles_widget() if name == "StylesPlot" else getattr(widgets, name)()


def positions(widget, seed: int, random_points: int) -> list[list[int]]:
    """The start, both ends of every control (the others at their start), and random grid points."""
    start = [c.start for c in widget.controls]
    points = [start]
    for k, control in enumerate(widget.controls):
        for end in (0, len(control.values) - 1):
            points.append(start[:k] + [end] + start[k + 1 :])
    rng = np.random.default_rng(seed)
    points += [[int(rng.integers(len(c.values))) for c in widget.controls] for _ in range(random_points)]
    return points


@pytest.fixture
def page_of(browser, tmp_path):
    """A function: the static page of one widget, open in chromium at the still image's scale."""
    pages = []

    def open_page(widget):
        path = tmp_path / "figure.html"
        path.write_text(embed.preview_page([widget]), encoding="utf-8")
        page = browser.new_page(device_scale_factor=STILL_SCALE, viewport={"width": 1300, "height": 900})
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function(
            "() => document.querySelector('.ce-live') && document.querySelector('.ce-live').ceLive"
            " && [...document.querySelectorAll('.ce-live-figure img')].every(i => i.complete && i.naturalWidth)"
        )
        page.errors = errors
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.close()


def go_to(page, widget, index: list[int]) -> None:
    """Move the controls to ``index`` as a learner's input would (an input event; a radio's click)."""
    for k, control in enumerate(widget.controls):
        page.evaluate(
            """([k, kind, i]) => {
                const box = document.querySelectorAll('.ce-live .ce-live-control')[k];
                if (kind === 'range') {
                    const input = box.querySelector('input[type=range]');
                    if (Number(input.value) !== i) { input.value = i; input.dispatchEvent(new Event('input')); }
                } else {
                    const radio = box.querySelectorAll('input[type=radio]')[i];
                    if (!radio.checked) radio.click();
                }
            }""",
            [k, control.kind, index[k]],
        )
    shown = page.evaluate("() => document.querySelector('.ce-live').ceLive.current().index")
    assert shown == index, f"the browser is at {shown}, not {index}"


# --- same picture ------------------------------------------------------------------------------------------


def screenshot(page, size: tuple[int, int]) -> np.ndarray:
    """The figure's pixels, found in a screenshot of its box and one CSS pixel around it (Chromium draws
    images at whole CSS pixels, so the box at a fractional position is drawn up to one pixel lower)."""
    box = page.locator(FIGURE).bounding_box()
    x0, y0 = math.floor(box["x"]) - 1, math.floor(box["y"]) - 1
    clip = {
        "x": x0,
        "y": y0,
        "width": math.ceil(box["x"] + box["width"]) + 1 - x0,
        "height": math.ceil(box["y"] + box["height"]) + 1 - y0,
    }
    raw = page.screenshot(clip=clip)
    return np.asarray(Image.open(io.BytesIO(raw)).convert("RGB"), dtype=np.int16)


def matplotlib_frame(widget, values: dict) -> np.ndarray:
    """matplotlib's full draw of the plot at ``values``, at the still image's scale."""
    widget.plot.update(**values)
    with io.BytesIO() as png:
        widget.plot.figure.savefig(png, format="png", dpi=widget.plot.figure.dpi * STILL_SCALE)
        png.seek(0)
        return np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)


def unmatched(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pixels of ``a`` further than THRESHOLD from every pixel of ``b`` within SHIFT pixels."""
    h, w = a.shape[:2]
    padded = np.pad(b, ((SHIFT, SHIFT), (SHIFT, SHIFT), (0, 0)), mode="edge")
    best = np.full((h, w), 255, dtype=np.int16)
    for dy in range(2 * SHIFT + 1):
        for dx in range(2 * SHIFT + 1):
            best = np.minimum(best, np.abs(a - padded[dy : dy + h, dx : dx + w]).max(axis=-1))
    return best > THRESHOLD


def compare(shot: np.ndarray, reference: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The browser's figure placed on matplotlib's (the best of the offsets the screenshot allows) and the
    mask of pixels that differ (either way round)."""
    h, w = reference.shape[:2]
    if shot.shape[0] < h or shot.shape[1] < w:
        raise AssertionError(f"the browser's figure is {shot.shape[1]}×{shot.shape[0]} px, matplotlib's {w}×{h}")
    candidates = []
    for dy in range(shot.shape[0] - h + 1):
        for dx in range(shot.shape[1] - w + 1):
            part = shot[dy : dy + h, dx : dx + w]
            candidates.append((int((np.abs(part - reference).max(axis=-1) > THRESHOLD).sum()), dy, dx))
    _, dy, dx = min(candidates)
    part = shot[dy : dy + h, dx : dx + w]
    return part, unmatched(part, reference) | unmatched(reference, part)


def difference_image(part: np.ndarray, reference: np.ndarray, bad: np.ndarray, path) -> str:
    """Browser | matplotlib | difference (grey: the pixel's largest channel difference ×3; red: beyond the
    tolerance), cropped to the differing region and enlarged; returns a summary."""
    ys, xs = np.nonzero(bad)
    y0, y1 = max(ys.min() - 12, 0), min(ys.max() + 13, bad.shape[0])
    x0, x1 = max(xs.min() - 12, 0), min(xs.max() + 13, bad.shape[1])
    grey = np.clip(np.abs(part - reference).max(axis=-1) * 3, 0, 255)
    diff = np.repeat(grey[..., None], 3, axis=-1)
    diff[bad] = [255, 0, 0]
    crop = [a[y0:y1, x0:x1] for a in (part, reference, diff)]
    gap = np.full((y1 - y0, 4, 3), 128)
    image = np.concatenate([crop[0], gap, crop[1], gap, crop[2]], axis=1).astype(np.uint8)
    zoom = max(1, min(4, 1600 // image.shape[1]))
    Image.fromarray(image).resize((image.shape[1] * zoom, image.shape[0] * zoom), Image.NEAREST).save(path)
    return f"{int(bad.sum())} pixels differ, in x {x0}..{x1}, y {y0}..{y1} (device pixels)"


@pytest.mark.parametrize("name", FIGURES)
def test_the_browser_draws_the_picture_matplotlib_draws(page_of, name, tmp_path):
    widget = make(name)
    page = page_of(widget)
    failures = []
    for n, index in enumerate(positions(widget, seed=1, random_points=4)):
        go_to(page, widget, index)
        values = {c.name: c.value(i) for c, i in zip(widget.controls, index, strict=True)}
        reference = matplotlib_frame(widget, values)
        part, bad = compare(screenshot(page, reference.shape[:2]), reference)
        if bad.sum() > MAX_PIXELS:
            path = tmp_path / f"{name}-{n}-difference.png"
            summary = difference_image(part, reference, bad, path)
            failures.append(
                f"at {values}: {summary} (more than {MAX_PIXELS}); browser | matplotlib | difference: {path}"
            )
    assert not failures, f"{name}: the browser's frame is not matplotlib's:\n" + "\n".join(failures)
    assert not page.errors, page.errors


def _bigger_marker(figure: dict) -> dict:
    return {**figure, "artists": [{**a, "size": a["size"] + 1 / STILL_SCALE} for a in figure["artists"]]}


def _nothing_over(figure: dict) -> dict:
    return {**figure, "stills": figure["stills"][:1], "artists": [{**a, "layer": 0} for a in figure["artists"]]}


@pytest.mark.parametrize(("fault", "p"), [(_bigger_marker, 0.5), (_nothing_over, 0.0)])
def test_the_comparison_fails_a_visible_fault(page_of, fault, p):
    """The tolerance is tight enough to see a fault: coin_entropy's marker one device pixel wider (half a
    pixel on each side) than matplotlib's, or the still layer over the canvas (the spines, which cover the
    marker at p = 0) left out."""
    widget = widgets.coin_entropy(p)
    reference = matplotlib_frame(widget, widget.values)
    part, bad = compare(screenshot(page_of(widget), reference.shape[:2]), reference)
    assert bad.sum() <= MAX_PIXELS, int(bad.sum())  # as drawn: the same picture
    widget.spec = {**widget.spec, "figure": fault(widget.spec["figure"])}
    part, bad = compare(screenshot(page_of(widget), reference.shape[:2]), reference)
    assert bad.sum() > MAX_PIXELS, f"{fault.__name__} passes: {int(bad.sum())} pixels differ"


# --- exactness --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIGURES)
def test_the_browser_shows_exactly_what_ce_teach_computes(page_of, name):
    widget = make(name)
    page = page_of(widget)
    for index in positions(widget, seed=2, random_points=10):
        go_to(page, widget, index)
        shown = page.evaluate(
            """() => { const now = document.querySelector('.ce-live').ceLive.current();
                       return {...now, html: document.querySelector('.ce-live-readout').innerHTML}; }"""
        )
        values = {c.name: c.value(i) for c, i in zip(widget.controls, index, strict=True)}
        state = widget.plot.state_at(**values)
        assert shown["parts"].keys() == {k for k in state if "." in k}, (name, values)
        for key, data in shown["parts"].items():
            sent = np.array([np.nan if v is None else v for v in data], dtype=np.float64)  # a gap: NaN or null
            got = sent.astype(np.float32)  # float32 values, sent as doubles: converted back exactly
            assert np.array_equal(got.astype(np.float64), sent, equal_nan=True), (name, key, "not float32 values")
            want = np.broadcast_to(np.asarray(state[key], dtype=np.float32).reshape(-1), got.shape)
            assert np.array_equal(got, want, equal_nan=True), (name, values, key, got, want)
        text = widget.plot.readout_text(state)
        literals = widget.spec["literals"]
        assert literals[0] + "".join(f + lit for f, lit in zip(shown["fields"], literals[1:], strict=True)) == text
        as_html = page.evaluate(
            "(t) => { const d = document.createElement('div'); d.innerHTML = t; return d.innerHTML; }", text
        )
        assert shown["html"] == as_html, (name, values, shown["html"], text)
    assert not page.errors, page.errors


# --- keyboard ---------------------------------------------------------------------------------------------


def figure_pixels(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('.ce-live-figure canvas')].map(c => c.toDataURL())")


def readout(page) -> str:
    return page.evaluate("() => document.querySelector('.ce-live-readout').innerHTML")


def screen(page) -> tuple:
    """What the figure shows now: its tables' row, its canvases' pixels, its readout."""
    state = page.evaluate("() => document.querySelector('.ce-live').ceLive.current()")
    return state, figure_pixels(page), readout(page)


def assert_the_screen_followed(page, before: tuple, what) -> None:
    """A move that changed a shown number changed the readout; one that moved an artist by a pixel or more
    changed the canvas (below a pixel, with every shown digit the same, the screen may rightly stay)."""
    state, pixels, text = screen(page)
    spec = page.evaluate("() => document.querySelector('.ce-live').ceLive.spec")
    if state["fields"] != before[0]["fields"]:
        assert text != before[2], (*what, "the readout's numbers changed but the page did not")
    if largest_shift(spec, before[0]["parts"], state["parts"]) >= 1.0:
        assert pixels != before[1], (*what, "an artist moved by a pixel or more but the canvas did not")


@pytest.mark.parametrize("name", FIGURES)
def test_every_control_moves_with_the_keyboard(page_of, name):
    widget = make(name)
    page = page_of(widget)
    boxes = page.locator(".ce-live .ce-live-control")
    for k, control in enumerate(widget.controls):
        last = len(control.values) - 1

        def at(k=k) -> int:
            return page.evaluate("() => document.querySelector('.ce-live').ceLive.current().index")[k]

        if control.kind == "range":
            slider = boxes.nth(k).locator("input[type=range]")
            slider.focus()
            page_step = max(1, round(last / 10))  # Chromium's PageUp/PageDown on a range: a tenth of it
            for key, expected in [
                ("Home", 0),
                ("ArrowRight", 1),
                ("ArrowUp", 2),
                ("ArrowLeft", 1),
                ("ArrowDown", 0),
                ("PageUp", min(page_step, last)),
                ("PageDown", 0),
                ("End", last),
                ("ArrowRight", last),
                ("Home", 0),
            ]:
                before = screen(page)
                page.keyboard.press(key)
                assert at() == expected, f"{name}: {key} on {control.name} went to {at()}, not {expected}"
                assert_the_screen_followed(page, before, (name, control.name, key))
            assert slider.get_attribute("aria-valuetext") == control.texts[0]
        else:
            radios = boxes.nth(k).locator("input[type=radio]")
            radios.nth(at()).focus()
            for step in range(len(control.values)):
                before = screen(page)
                page.keyboard.press("ArrowRight")
                expected = (before[0]["index"][k] + 1) % len(control.values)
                assert at() == expected, f"{name}: ArrowRight on {control.name} went to {at()}, not {expected}"
                assert_the_screen_followed(page, before, (name, control.name, step))
            before = at()
            page.keyboard.press("ArrowLeft")
            assert at() == (before - 1) % len(control.values), f"{name}: ArrowLeft on {control.name}"
        # back to the start, so the next control moves from there
        go_to(page, widget, [c.start for c in widget.controls])
    assert not page.errors, page.errors

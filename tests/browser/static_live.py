"""Live figures on a static page (the site, a slide deck), in a real browser: offline, and every control moved.

``offline(page)`` lets the page load only files (a request to anything else is aborted and recorded) and
records console errors and uncaught exceptions. ``move_every_control(page, figure)`` moves every control of
one ``.ce-live`` figure with the keyboard (a slider: End, Home, ArrowRight, each on its focused range input)
or the mouse (a choice: a click on each radio button), and checks after each move what the figure shows
(``el.ceLive.current()``, live.js) against what the page draws: the grid position is the one the key or click
chose, the position changed what the figure shows, a change of the moving parts changed the canvas's
pixels, and a change of the readout's numbers changed the readout on the page.
"""

from __future__ import annotations

import json
from urllib.parse import urlparse

import numpy as np

LOCAL_SCHEMES = {"file", "data", "blob", "about"}

# What one figure shows now: its grid position and state (live.js), the readout on the page, and a hash of the
# canvas's pixels (FNV-1a over the RGBA bytes: it changes when one pixel does).
SNAPSHOT = """(el) => {
    const state = el.ceLive.current();
    const canvas = el.querySelector('.ce-live-figure canvas');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 2166136261, ink = 0;
    for (let i = 0; i < data.length; i++) { hash = Math.imul(hash ^ data[i], 16777619); }
    for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) ink++; }
    return {
        index: state.index, parts: JSON.stringify(state.parts), fields: JSON.stringify(state.fields),
        readout: el.querySelector('.ce-live-readout').innerHTML,
        pixels: hash >>> 0, ink,
    };
}"""

OPEN = """(el) => {  // open every <details> around the figure (a prediction's answer is folded) and show it
    for (let d = el.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) d.open = true;
    el.scrollIntoView({block: 'center'});
}"""


def offline(page) -> tuple[list[str], list[str]]:
    """Abort every request that is not for a local file; return the lists the page fills in: the requests
    that were refused, and the console errors and uncaught exceptions."""
    refused: list[str] = []
    errors: list[str] = []

    def route(r):
        if urlparse(r.request.url).scheme in LOCAL_SCHEMES:
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"exception: {e}"))
    return refused, errors


def largest_shift(spec: dict, before: dict, after: dict) -> float:
    """How far, in CSS pixels, the farthest-moving point of any moving artist went between two states
    (``parts`` of ``ceLive.current()``), through the axes' own data → pixel maps. Below a pixel, the canvas
    may rightly look the same."""
    artists = {a["name"]: a for a in spec["figure"]["artists"]}
    shift = 0.0
    for key in before:
        name, part = key.split(".")
        axes = spec["figure"]["axes"][artists[name]["axes"]]
        axis = axes["x"] if part == "x" else axes["y"]
        ends = [np.array([np.nan if v is None else v for v in p[key]], dtype=float) for p in (before, after)]
        if axis["scale"] == "log":
            ends = [np.log10(np.where(e > 0, e, np.nan)) for e in ends]
        if part == "height":  # a bar's top is its bottom plus its height; the bottom did not move
            ends = [e + np.array(artists[name]["bottom"]) for e in ends]
        moved = np.abs(axis["a"]) * np.abs(ends[1] - ends[0])
        gaps = np.isnan(ends[0]) != np.isnan(ends[1])  # a point appeared or vanished
        shift = max(shift, float(np.nanmax(moved, initial=0.0)), np.inf if gaps.any() else 0.0)
    return shift


def snapshot(figure) -> dict:
    return figure.evaluate(SNAPSHOT)


def check_move(before: dict, after: dict, k: int, expected: int, what: str, spec: dict) -> tuple[bool, bool]:
    """Checks one move of control ``k`` to position ``expected``; returns (canvas changed, readout changed)."""
    index = list(before["index"])
    index[k] = expected
    assert after["index"] == index, f"{what}: the figure is at {after['index']}, expected {index}"
    moved_parts, moved_fields = after["parts"] != before["parts"], after["fields"] != before["fields"]
    assert moved_parts or moved_fields, f"{what}: the move changed nothing the figure shows"
    canvas, readout = after["pixels"] != before["pixels"], after["readout"] != before["readout"]
    shift = largest_shift(spec, json.loads(before["parts"]), json.loads(after["parts"])) if moved_parts else 0.0
    if shift >= 1.0:
        assert canvas, f"{what}: the moving parts moved by {shift:.1f} pixels but the canvas did not change"
    if moved_fields:
        assert readout, f"{what}: the readout's numbers changed but the readout on the page did not"
    assert after["ink"] > 0, f"{what}: nothing is drawn on the canvas"
    return canvas, readout


def move_every_control(page, figure, name: str) -> int:
    """Move every control of ``figure`` (a ``.ce-live`` element) and check each move; return the moves made."""
    figure.evaluate(OPEN)
    controls = figure.locator(".ce-live-control")
    assert controls.count() > 0, f"{name}: a live figure with no control"
    spec = figure.evaluate("el => el.ceLive.spec")
    moves, canvas_moved, readout_moved = 0, False, False
    for k in range(controls.count()):
        control = controls.nth(k)
        slider = control.locator("input[type='range']")
        if slider.count():
            last = int(slider.get_attribute("max"))
            assert last > 0, f"{name}: control {k} has one position"
            start = snapshot(figure)["index"][k]
            steps = [("End", last), ("Home", 0), ("ArrowRight", 1)]
            if start == last:
                steps = [("Home", 0), ("ArrowRight", 1), ("End", last)]
            slider.focus()
            for key, expected in steps:
                before = snapshot(figure)
                page.keyboard.press(key)
                after = snapshot(figure)
                what = f"{name}: control {k} ({control.inner_text().strip()[:40]!r}), key {key}"
                canvas, readout = check_move(before, after, k, expected, what, spec)
                canvas_moved |= canvas
                readout_moved |= readout
                moves += 1
        else:
            radios = control.locator("input[type='radio']")
            assert radios.count() > 1, f"{name}: control {k} is neither a slider nor a choice of two or more"
            start = snapshot(figure)["index"][k]
            order = [i for i in range(radios.count()) if i != start] + [start]
            for i in order:
                before = snapshot(figure)
                radios.nth(i).click()
                after = snapshot(figure)
                what = f"{name}: control {k}, choice {i}"
                canvas, readout = check_move(before, after, k, i, what, spec)
                assert radios.nth(i).is_checked(), f"{what}: the clicked choice is not checked"
                canvas_moved |= canvas
                readout_moved |= readout
                moves += 1
    assert canvas_moved, f"{name}: no move of any control changed the figure's canvas"
    assert readout_moved, f"{name}: no move of any control changed the readout"
    return moves

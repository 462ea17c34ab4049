"""Every notebook in real JupyterLab in a real browser: run all cells, then move every slider by keyboard
and see the figure and the readout change on screen, with no unexpected error output and no console error.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from .conftest import ROOT

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
IDLE = ".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']"


def expected_errors(name: str) -> int:
    """Cells tagged raises-exception show their error on purpose."""
    nb = json.loads((ROOT / "notebooks" / name).read_text())
    return sum("raises-exception" in c.get("metadata", {}).get("tags", []) for c in nb["cells"])


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def open_and_run(page, base: str, name: str) -> None:
    page.goto(f"{base}/lab/tree/{name}?reset", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started !== undefined", timeout=90_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=90_000)
    # fire and forget: the command's promise would keep page.evaluate waiting
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    # finished when every code cell shows an execution number and the kernel is idle, five polls in a row
    # every code cell of the notebook model has an execution count (the DOM lazily renders off-screen cells)
    done = """() => {
        const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
        for (let i = 0; i < cells.length; i++) {
            const cell = cells.get(i);
            if (cell.type === 'code' && !(cell.executionCount > 0)) return false;
        }
        return true;
    }"""
    stable = {"n": 0}

    def finished():
        ok = page.evaluate(done) and page.locator(IDLE).count() > 0
        stable["n"] = stable["n"] + 1 if ok else 0
        return stable["n"] >= 5

    wait_until(finished, 180, f"{name} to finish running")


def move(page, slider) -> None:
    """Move a slider a few steps with the keyboard (back the other way if it sits at its maximum)."""
    readout = slider.locator(".widget-readout").first
    before = readout.inner_text()
    slider.locator(".noUi-handle").first.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    if readout.inner_text() == before:
        for _ in range(5):
            page.keyboard.press("ArrowLeft")
    wait_until(lambda: readout.inner_text() != before, 10, "the slider's own readout to change")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_every_slider_moves_its_figure(browser, lab_server, name):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    console_errors = []
    # offline, external images (the Binder badge) cannot resolve their host: not an error of ours
    page.on("console", lambda m: m.type == "error" and "ERR_NAME_NOT_RESOLVED" not in m.text
            and console_errors.append(m.text))
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    try:
        open_and_run(page, lab_server, name)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == expected_errors(name), "unexpected error output:\n" + "\n---\n".join(
            errors.nth(i).inner_text()[:800] for i in range(errors.count())
        )
        boxes = page.locator(".jp-OutputArea-output .widget-vbox:has(.jupyter-matplotlib-canvas-div)")
        moved = 0
        for b in range(boxes.count()):
            box = boxes.nth(b)
            box.scroll_into_view_if_needed()
            canvas = box.locator(".jupyter-matplotlib-canvas-div").first
            readouts = box.locator(".widget-html")
            sliders = box.locator(".widget-slider")
            wait_until(lambda c=canvas: c.bounding_box() and c.bounding_box()["height"] > 20, 30, "the live figure")
            for s in range(sliders.count()):
                image = canvas.screenshot()
                texts = [readouts.nth(i).inner_text() for i in range(readouts.count())]
                move(page, sliders.nth(s))
                wait_until(
                    lambda c=canvas, img=image: c.screenshot() != img,
                    10,
                    f"the figure of widget {b} to change after moving slider {s}",
                )
                if texts:
                    wait_until(
                        lambda t=texts, r=readouts: [r.nth(i).inner_text() for i in range(r.count())] != t,
                        10,
                        f"a readout of widget {b} to change after moving slider {s}",
                    )
                moved += 1
        sliders_in_notebook = page.locator(".jp-OutputArea-output .widget-slider").count()
        assert moved == sliders_in_notebook, f"moved {moved} of {sliders_in_notebook} sliders"
        on_screen = page.locator(".jp-OutputArea-output").all_inner_texts()
        assert not any("nan" in t.split() for t in on_screen), "NaN shown on screen"
        assert not console_errors, "browser console errors:\n" + "\n".join(console_errors[:10])
    finally:
        page.close()


def test_static_site_pages_render(browser, tmp_path):
    """The static site: every page loads its own assets, shows its figures and renders its math."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts" / "build_site.py")
    build_site = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_site)
    pages = build_site.build(tmp_path / "site")
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda r: r.url.startswith("file:") and failed.append(r.url))
    try:
        page.goto((tmp_path / "site" / "index.html").as_uri())
        links = page.locator("ol li a")
        assert links.count() == len(pages)
        for path in pages:
            page.goto((tmp_path / "site" / f"{path.stem}.html").as_uri())
            page.wait_for_function(
                "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 "
                "&& document.querySelectorAll('.MathJax, .mjx-chtml').length > 0",
                timeout=60_000,
            )
            stored = sum("image/png" in out.get("data", {}) for cell in json.loads(path.read_text())["cells"]
                         for out in cell.get("outputs", []))
            images = page.locator("img[src^='data:image/png']")
            assert images.count() == stored, f"{path.stem}: {images.count()} figures shown, {stored} stored"
            broken = page.evaluate(
                "() => [...document.images].filter(i => i.src.startsWith('data:') "
                "&& !(i.complete && i.naturalWidth > 0)).length"
            )
            assert broken == 0, f"{path.stem}: {broken} figures did not load"
            assert page.locator("nav.ce-nav a[href='index.html']").count() == 1
            math_errors = page.locator(".MathJax_Error, .merror, .noError")
            unrendered = math_errors.all_inner_texts()[:3]
            assert math_errors.count() == 0, f"{path.stem}: math that did not render: {unrendered}"
        assert not failed, f"missing assets: {failed[:5]}"
    finally:
        page.close()
    assert Path(tmp_path / "site" / "mathjax" / "MathJax.js").exists()

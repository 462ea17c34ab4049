"""Every notebook in real JupyterLab in a real browser: run all cells, then move every slider by keyboard
and see the figure and the readout change on screen, with no unexpected error output and no console error.
"""

from __future__ import annotations

import json

import pytest

from .lab import ROOT, kernel_idle, live_boxes, open_and_run, wait_until

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def expected_errors(name: str) -> int:
    """Cells tagged raises-exception show their error on purpose."""
    nb = json.loads((ROOT / "notebooks" / name).read_text())
    return sum("raises-exception" in c.get("metadata", {}).get("tags", []) for c in nb["cells"])


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


def to_both_ends(page, slider) -> None:
    """End then Home: the slider visits its maximum and its minimum (the figure must survive both)."""
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    for key, end in (("End", "aria-valuemax"), ("Home", "aria-valuemin")):
        page.keyboard.press(key)
        wait_until(lambda e=end: handle.get_attribute("aria-valuenow") == handle.get_attribute(e), 10,
                   f"the slider to reach its {end[11:]}imum with {key}")


def kernel_log(page) -> str:
    """What the kernel printed outside any cell (a widget callback's traceback lands here): the log
    console's text, or "" when its status-bar counter shows no message."""
    counter = page.locator(".jp-LogConsoleStatusItem").inner_text().strip()
    if counter in ("", "0"):
        return ""
    page.evaluate("() => window.jupyterapp.commands.execute('logconsole:open')")
    panel = page.locator(".jp-LogConsolePanel")
    panel.wait_for(timeout=10_000)
    return f"{counter} message(s):\n" + panel.inner_text()[:3000]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_every_slider_moves_its_figure(browser, lab_server, name, tmp_path):
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
        boxes = live_boxes(page, name)
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
            # then every slider to its ends, in turn (last, because sliders at their ends can leave a figure
            # where one more move changes nothing visible)
            for s in range(sliders.count()):
                to_both_ends(page, sliders.nth(s))
        sliders_in_notebook = page.locator(".jp-OutputArea-output .widget-slider").count()
        assert moved == sliders_in_notebook, f"moved {moved} of {sliders_in_notebook} sliders"
        wait_until(lambda: kernel_idle(page), 30, "the kernel to finish the last redraw")
        # the widgets' own text after all the moves (printed outputs may show a naive formula's nan on purpose)
        on_screen = page.locator(".jp-OutputArea-output .widget-vbox").all_inner_texts()
        assert not any("nan" in t.lower().split() for t in on_screen), "NaN shown by a widget"
        log = kernel_log(page)
        assert not log, f"the kernel logged outside the cells (a widget callback failed?): {log}"
        assert not console_errors, "browser console errors:\n" + "\n".join(console_errors[:10])
    except Exception:
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        print(f"screenshot of the failure: {tmp_path / name}.png")
        raise
    finally:
        page.close()

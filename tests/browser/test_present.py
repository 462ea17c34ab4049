"""Presenting live, as a lecturer would: a notebook shown as slides inside JupyterLab (jupyterlab-slideshow)
with a slider moved on the slide; and a reveal.js deck of scripts/build_slides.py, opened from files with no
kernel and no network, with every control of every live figure moved on its slide."""

from __future__ import annotations

import nbformat

from .lab import LIVE_BOXES, ROOT, load_script, open_and_run, wait_until, widget_cells
from .static_live import move_every_control, offline

NAME = "04_sigmoid_bce.ipynb"
# a widget cell's output in JupyterLab: a live figure (live.js), or an older kernel-driven widget
WIDGET_BOXES = f".jp-OutputArea-output .ce-live, {LIVE_BOXES}"


def test_present_a_notebook_live_and_move_a_slider_on_a_slide(browser, lab_server, tmp_path):
    screenshot = tmp_path / "slide.png"
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        open_and_run(page, lab_server, NAME)
        commands = page.evaluate("() => window.jupyterapp.commands.listCommands()")
        assert "deck:start" in commands, "jupyterlab-slideshow is not installed (pip install -r requirements.txt)"
        target = widget_cells(NAME)[0]
        # the lecturer selects the widget's cell and starts the slideshow there
        page.evaluate(f"""() => {{
            const panel = window.jupyterapp.shell.currentWidget;
            panel.content.activeCellIndex = {target};
            return window.jupyterapp.commands.execute('deck:start');
        }}""")
        title = page.locator(".jp-Notebook .jp-Cell").first
        box = page.locator(WIDGET_BOXES).first
        wait_until(lambda: box.is_visible() and not title.is_visible(), 30, "the widget's slide, without the title")
        box.scroll_into_view_if_needed()  # a slide taller than the screen scrolls, as the lecturer would
        viewport, where = page.viewport_size, box.bounding_box()
        assert where and -1 <= where["y"] and where["y"] + where["height"] <= viewport["height"] + 1, (
            f"the widget does not fit on the screen: {where}"
        )
        page.screenshot(path=str(screenshot))

        if "ce-live" in (box.get_attribute("class") or "").split():
            canvas = box.locator(".ce-live-figure canvas").first
            readout = box.locator(".ce-live-readout").first
            handle = box.locator("input[type='range']").first
        else:
            canvas = box.locator(".jupyter-matplotlib-canvas-div canvas").first
            readout = box.locator(".widget-html").first
            handle = box.locator(".widget-slider .noUi-handle").first
        wait_until(lambda: canvas.bounding_box() and canvas.bounding_box()["height"] > 20, 30, "the live figure")
        before_text, before_image = readout.inner_text(), canvas.screenshot()
        handle.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        wait_until(lambda: readout.inner_text() != before_text, 15, "the readout to follow the slider")
        wait_until(lambda: canvas.screenshot() != before_image, 15, "the figure to follow the slider")
        assert not title.is_visible(), "moving the slider left the slide"
        assert not errors, f"page errors while presenting: {errors[:3]}"
    finally:
        page.evaluate(  # only where the slideshow started (an error above must not be hidden by this one)
            "() => window.jupyterapp && window.jupyterapp.commands.hasCommand('deck:stop')"
            " && window.jupyterapp.commands.execute('deck:stop')"
        )
        page.close()


SLIDE_OF = """(el) => {  // the reveal.js address of the slide that holds the element: #/h or #/h/v
    const top = [...document.querySelectorAll('.reveal .slides > section')];
    const h = top.findIndex((s) => s.contains(el));
    const stack = [...top[h].querySelectorAll(':scope > section')];
    return stack.length ? `#/${h}/${stack.findIndex((s) => s.contains(el))}` : `#/${h}`;
}"""


def test_every_live_figure_moves_on_its_slide_in_a_deck_offline(browser, tmp_path):
    """The first deck with live figures: go to each figure's slide and move every one of its controls, with
    nothing but files loaded, no console error, and the deck staying on that slide (the keys move the slider)."""
    build_slides = load_script("build_slides")
    build_site = build_slides.build_site
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    made = {
        p: sum(build_site.shortcut_of(c) in build_site.SHORTCUTS for c in nbformat.read(p, as_version=4).cells)
        for p in notebooks
    }
    path = next(p for p in notebooks if made[p])
    out = tmp_path / "slides"
    build_slides.build(out, [path.stem])
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    refused, errors = offline(page)
    try:
        page.goto((out / f"{path.stem}.html").as_uri(), wait_until="load")
        page.wait_for_selector(".reveal.ready", timeout=60_000)
        figures = page.locator(".ce-live")
        assert figures.count() == made[path], f"{path.stem}: {figures.count()} live figures, {made[path]} made"
        for i in range(figures.count()):
            figure = figures.nth(i)
            slide = figure.evaluate(SLIDE_OF)
            page.evaluate("(hash) => { location.hash = hash; }", slide)
            wait_until(
                lambda f=figure: f.evaluate("(el) => !!el.closest('section.present')"),
                15,
                f"{path.stem}: the slide {slide} of figure {i}",
            )
            here = page.evaluate("() => location.hash")  # as reveal.js writes it (#/7 for #/7/0)
            move_every_control(page, figure, f"{path.stem} deck, figure {i}")
            assert page.evaluate("() => location.hash") == here, f"{path.stem}: a key meant for a slider left the slide"
            assert figure.evaluate("(el) => !!el.closest('section.present')"), f"{path.stem}: the figure's slide left"
        assert not errors, f"{path.stem} deck: {errors[:3]}"
        assert not refused, f"{path.stem} deck: requests outside the files: {refused[:5]}"
    finally:
        page.close()

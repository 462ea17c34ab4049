"""Presenting live: a notebook shown as slides inside JupyterLab (jupyterlab-slideshow), with a slider moved on
the slide, as a lecturer would."""

from __future__ import annotations

from .lab import LIVE_BOXES, open_and_run, wait_until, widget_cells

NAME = "04_sigmoid_bce.ipynb"


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
        box = page.locator(LIVE_BOXES).first
        wait_until(lambda: box.is_visible() and not title.is_visible(), 30, "the widget's slide, without the title")
        box.scroll_into_view_if_needed()  # a slide taller than the screen scrolls, as the lecturer would
        viewport, where = page.viewport_size, box.bounding_box()
        assert where and -1 <= where["y"] and where["y"] + where["height"] <= viewport["height"] + 1, (
            f"the widget does not fit on the screen: {where}"
        )
        page.screenshot(path=str(screenshot))

        canvas = box.locator(".jupyter-matplotlib-canvas-div canvas").first
        readout = box.locator(".widget-html").first
        slider = box.locator(".widget-slider").first
        wait_until(lambda: canvas.bounding_box() and canvas.bounding_box()["height"] > 20, 30, "the live figure")
        before_text, before_image = readout.inner_text(), canvas.screenshot()
        slider.locator(".noUi-handle").first.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        wait_until(lambda: readout.inner_text() != before_text, 15, "the readout to follow the slider")
        wait_until(lambda: canvas.screenshot() != before_image, 15, "the figure to follow the slider")
        assert not title.is_visible(), "moving the slider left the slide"
        assert not errors, f"page errors while presenting: {errors[:3]}"
    finally:
        page.evaluate("() => window.jupyterapp && window.jupyterapp.commands.execute('deck:stop')")
        page.close()

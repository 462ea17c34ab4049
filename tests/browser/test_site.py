"""The static site (scripts/build_site.py) in a real browser: every page renders its figures and math, with
no missing assets, and every live figure on every page moves with its controls, offline, from files."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

from .lab import load_script
from .static_live import move_every_control, offline

build_site = load_script("build_site")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, list[Path]]:
    """The site, built once for this module (the live figures' tables come from the cache when it is warm)."""
    out = tmp_path_factory.mktemp("site") / "site"
    start = time.perf_counter()
    pages = build_site.build(out)
    print(f"built the site in {time.perf_counter() - start:.1f} s")
    return out, pages


def live_cells(cells) -> int:
    """How many widget cells call a shortcut that makes a live figure (each shows one on the page)."""
    return sum(build_site.shortcut_of(cell) in build_site.SHORTCUTS for cell in cells)


def test_static_site_pages_render(browser, site):
    """The static site: every page loads its own assets, shows its figures and renders its math."""
    out, pages = site
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda r: r.url.startswith("file:") and failed.append(r.url))
    try:
        page.goto((out / "index.html").as_uri())
        links = page.locator("ol li a")
        assert links.count() == len(pages)
        all_widget_cells = 0
        for path in pages:
            page.goto((out / f"{path.stem}.html").as_uri())
            page.wait_for_function(
                "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 "
                "&& document.querySelectorAll('.MathJax, .mjx-chtml').length > 0",
                timeout=60_000,
            )
            cells = nbformat.read(path, as_version=4).cells
            live = live_cells(cells)
            figures = page.locator(".ce-live")
            assert figures.count() == live, f"{path.stem}: {figures.count()} live figures shown, {live} made"
            assert page.locator(".ce-live-fallback").count() == 0, f"{path.stem}: a live figure did not start"
            stored = sum("image/png" in out.get("data", {}) for cell in cells for out in cell.get("outputs", []))
            images = page.locator("img[src^='data:image/png']")
            # a live figure's stored picture is its fallback, replaced by the figure once the script runs
            assert images.count() == stored - live, f"{path.stem}: {images.count()} pictures, {stored} stored"
            broken = page.evaluate(
                "() => [...document.images].filter(i => (i.src.startsWith('data:') || i.src.startsWith('blob:'))"
                " && !(i.complete && i.naturalWidth > 0)).length"
            )
            assert broken == 0, f"{path.stem}: {broken} figures did not load"
            assert page.locator("nav.ce-nav a[href='index.html']").count() == 1
            hidden = sum(
                bool(c.get("outputs")) and c.metadata.get("jupyter", {}).get("outputs_hidden", False) for c in cells
            )
            folded = page.locator("details.ce-reveal")
            assert folded.count() == hidden, f"{path.stem}: {folded.count()} folded outputs, {hidden} hidden ones"
            answers = page.locator("details:not([open]) img, details:not([open]) pre, details:not([open]) .ce-live")
            on_screen = [i for i in range(answers.count()) if answers.nth(i).is_visible()]
            assert not on_screen, f"{path.stem}: an answer inside a closed <details> is on screen"
            assert page.locator(".ce-live-note").count() == 0, f"{path.stem}: the old 'sliders in JupyterLab' note"
            all_widget_cells += sum(map(build_site.is_widget_cell, cells))
            math_errors = page.locator(".MathJax_Error, .merror, .noError")
            unrendered = math_errors.all_inner_texts()[:3]
            assert math_errors.count() == 0, f"{path.stem}: math that did not render: {unrendered}"
        assert all_widget_cells >= 10, f"only {all_widget_cells} widget cells found: is_widget_cell is broken"
        assert not failed, f"missing assets: {failed[:5]}"
    finally:
        page.close()
    assert Path(out / "mathjax" / "MathJax.js").exists()


def test_every_live_figure_moves_on_every_page_offline(browser, site):
    """Every control of every live figure on every page, moved from the keyboard (sliders) or the mouse
    (choices), with nothing but files loaded: each move changes what the figure shows and draws, and no
    console error or exception happens."""
    out, pages = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused, errors = offline(page)
    figures_moved = moves = 0
    try:
        for path in pages:
            if not live_cells(nbformat.read(path, as_version=4).cells):
                continue  # a page with no live figure (test_static_site_pages_render checks that it shows none)
            page.goto((out / f"{path.stem}.html").as_uri(), wait_until="load")
            figures = page.locator(".ce-live")
            for i in range(figures.count()):
                moves += move_every_control(page, figures.nth(i), f"{path.stem} figure {i}")
                figures_moved += 1
            assert not errors, f"{path.stem}: {errors[:3]}"
            assert not refused, f"{path.stem}: requests outside the files: {refused[:5]}"
    finally:
        page.close()
    made = sum(live_cells(nbformat.read(path, as_version=4).cells) for path in pages)
    assert figures_moved == made >= 1, f"{figures_moved} live figures moved, {made} made"
    print(f"{figures_moved} live figures, {moves} moves")


def test_a_live_figure_shows_its_start_picture_where_scripts_do_not_run(browser, site):
    out, pages = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        shown = 0
        for path in pages:
            live = live_cells(nbformat.read(path, as_version=4).cells)
            if not live:
                continue
            page.goto((out / f"{path.stem}.html").as_uri(), wait_until="load")
            pictures = page.locator(".ce-live-embed > .ce-live-fallback > img[src^='data:image/png']")
            assert pictures.count() == live, f"{path.stem}: {pictures.count()} start pictures for {live} figures"
            loaded = page.evaluate(
                "() => [...document.querySelectorAll('.ce-live-fallback img')].every(i => i.complete && i.naturalWidth)"
            )
            assert loaded, f"{path.stem}: a start picture did not load"
            shown += live
        assert shown >= 1
    finally:
        context.close()

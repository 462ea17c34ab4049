"""The static site (scripts/build_site.py) in a real browser: every page renders its figures and math,
with no missing assets."""

from __future__ import annotations

from pathlib import Path

import nbformat

from .lab import load_script


def test_static_site_pages_render(browser, tmp_path):
    """The static site: every page loads its own assets, shows its figures and renders its math."""
    build_site = load_script("build_site")
    pages = build_site.build(tmp_path / "site")
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda r: r.url.startswith("file:") and failed.append(r.url))
    try:
        page.goto((tmp_path / "site" / "index.html").as_uri())
        links = page.locator("ol li a")
        assert links.count() == len(pages)
        all_widget_cells = 0
        for path in pages:
            page.goto((tmp_path / "site" / f"{path.stem}.html").as_uri())
            page.wait_for_function(
                "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 "
                "&& document.querySelectorAll('.MathJax, .mjx-chtml').length > 0",
                timeout=60_000,
            )
            cells = nbformat.read(path, as_version=4).cells
            stored = sum("image/png" in out.get("data", {}) for cell in cells for out in cell.get("outputs", []))
            images = page.locator("img[src^='data:image/png']")
            assert images.count() == stored, f"{path.stem}: {images.count()} figures shown, {stored} stored"
            broken = page.evaluate(
                "() => [...document.images].filter(i => i.src.startsWith('data:') "
                "&& !(i.complete && i.naturalWidth > 0)).length"
            )
            assert broken == 0, f"{path.stem}: {broken} figures did not load"
            assert page.locator("nav.ce-nav a[href='index.html']").count() == 1
            hidden = sum(bool(c.get("outputs")) and c.metadata.get("jupyter", {}).get("outputs_hidden", False)
                         for c in cells)
            folded = page.locator("details.ce-reveal")
            assert folded.count() == hidden, f"{path.stem}: {folded.count()} folded outputs, {hidden} hidden ones"
            answers = page.locator("details:not([open]) img, details:not([open]) pre")
            on_screen = [i for i in range(answers.count()) if answers.nth(i).is_visible()]
            assert not on_screen, f"{path.stem}: an answer inside a closed <details> is on screen"
            widget_cells = sum(map(build_site.is_widget_cell, cells))
            assert page.locator(".ce-live-note").count() == widget_cells, f"{path.stem}: a widget cell left bare"
            all_widget_cells += widget_cells
            math_errors = page.locator(".MathJax_Error, .merror, .noError")
            unrendered = math_errors.all_inner_texts()[:3]
            assert math_errors.count() == 0, f"{path.stem}: math that did not render: {unrendered}"
        assert all_widget_cells >= 10, f"only {all_widget_cells} widget cells found: is_widget_cell is broken"
        assert not failed, f"missing assets: {failed[:5]}"
    finally:
        page.close()
    assert Path(tmp_path / "site" / "mathjax" / "MathJax.js").exists()

"""Nothing loads from the network: every notebook opened in JupyterLab, every page of the static site and every
slide deck. The browser records each request; any that leaves 127.0.0.1 or the file system fails the test.
The decks are also navigated slide by slide, with their math rendered, and JupyterLab shows no first-run
notice (the settings that requirements.txt installs turn it off)."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

from .lab import ROOT, load_script, serve_lab, wait_until

LOCAL_SCHEMES = {"file", "data", "blob", "about"}
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MATH_DONE = (
    "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 "
    "&& document.querySelectorAll('.MathJax, .MathJax_Display').length > 0"
)


def is_local(url: str) -> bool:
    parts = urlparse(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.scheme in ("http", "https", "ws") and parts.hostname == "127.0.0.1")


def recording(page) -> list[str]:
    """Every URL the page requests that is not local (filled in as the page loads)."""
    external: list[str] = []
    page.on("request", lambda r: is_local(r.url) or external.append(r.url))
    page.on("websocket", lambda ws: is_local(ws.url) or external.append(ws.url))
    return external


def test_is_local_tells_local_from_external():
    assert is_local("http://127.0.0.1:8888/lab") and is_local("file:///srv/a.html") and is_local("data:image/png,")
    assert not is_local("https://mybinder.org/badge_logo.svg") and not is_local("http://127.0.0.1.example.com/")


def test_notebooks_open_in_jupyterlab_with_no_external_request_and_no_notice(browser, tmp_path):
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "ce-teach.json"
    assert overrides.exists(), f"{overrides} is missing: pip install -r requirements.txt installs it"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    external = recording(page)
    try:
        with serve_lab(tmp_path, settings={}) as base:  # JupyterLab's defaults plus what the project installs
            for name in NOTEBOOKS:
                page.goto(base.page(f"lab/tree/{name}?reset"), wait_until="domcontentloaded")
                page.wait_for_function(
                    "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                    " && window.jupyterapp.shell.currentWidget.context"
                    " && window.jupyterapp.shell.currentWidget.context.isReady",
                    timeout=90_000,
                )
                # every cell rendered (JupyterLab's default windowing renders cells as they scroll into view)
                page.evaluate("""async () => {
                    const notebook = window.jupyterapp.shell.currentWidget.content;
                    for (let i = 0; i < notebook.widgets.length; i++) await notebook.scrollToItem(i, 'start');
                }""")
                page.wait_for_timeout(1500)  # the news question, when asked, appears within a second of start-up
                notice = page.get_by_text("notified about official Jupyter news")
                assert notice.count() == 0, f"{name}: JupyterLab asks about Jupyter news over the notebook"
                assert not external, f"{name}: requests leaving this machine: {external[:5]}"
    finally:
        page.close()


def test_site_pages_make_no_external_request(browser, tmp_path):
    pages = load_script("build_site").build(tmp_path / "site")
    page = browser.new_page()
    external = recording(page)
    try:
        for stem in ["index", *(p.stem for p in pages)]:
            page.goto((tmp_path / "site" / f"{stem}.html").as_uri(), wait_until="load")
            if stem != "index":
                page.wait_for_function(MATH_DONE, timeout=60_000)
            assert not external, f"{stem}.html: requests leaving this machine: {external[:5]}"
    finally:
        page.close()


def test_slide_decks_navigate_offline_with_math_rendered(browser, tmp_path):
    out = tmp_path / "slides"
    decks = load_script("build_slides").build(out)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    external = recording(page)
    missing = []
    page.on("requestfailed", lambda r: is_local(r.url) and missing.append(r.url))
    try:
        for path in decks:
            page.goto((out / f"{path.stem}.html").as_uri(), wait_until="load")
            page.wait_for_selector(".reveal.ready", timeout=60_000)
            page.wait_for_function(MATH_DONE, timeout=60_000)
            total = page.locator(".reveal .slides > section").count()
            assert total >= 3, f"{path.stem}: {total} slides"
            seen = []
            for _ in range(3 * total):  # next (Space walks sub-slides too), until the last slide
                seen.append(page.evaluate("() => location.hash"))
                if page.locator(".reveal .slides > section").last.get_attribute("class").find("present") >= 0:
                    break
                page.keyboard.press("Space")
                here = seen[-1]
                wait_until(lambda h=here: page.evaluate("() => location.hash") != h, 10, f"{path.stem}: next slide")
            else:
                raise AssertionError(f"{path.stem}: the last slide was not reached in {3 * total} steps")
            assert len(set(seen)) == len(seen) >= total - 1, f"{path.stem}: slides visited {seen}"
            page.wait_for_function(MATH_DONE, timeout=30_000)
            errors = page.locator(".MathJax_Error, .merror, .noError")
            assert errors.count() == 0, f"{path.stem}: math that did not render: {errors.all_inner_texts()[:3]}"
            assert not external, f"{path.stem}: requests leaving this machine: {external[:5]}"
            assert not missing, f"{path.stem}: missing files: {missing[:5]}"
    finally:
        page.close()

"""Slider latency in a real browser: key press to the new frame on screen. A benchmark, not a timed test.

    python -m benchmarks.bench_sliders                # every live figure, the README table
    python -m benchmarks.bench_sliders --presses 4    # a quick look

Needs what the browser tests need: Debian's chromium and Python Playwright (requirements-dev.txt).

For every live figure (every shortcut in ``ce_teach.widgets.SHORTCUTS`` that a notebook cell shows), the
benchmark presses ArrowRight / ArrowLeft on its slider and times, in the page, from the ``keydown`` event's
``timeStamp`` to the first animation frame after live.js's ``ce-live-drawn`` event (the figure was drawn in
that task, so that frame shows it). Two places:

- **JupyterLab** (its default settings, as a learner's): the notebook is run, then its figures are timed;
- **static page**: ``ce_teach.widgets.embed.preview_page`` with the same figure, opened from a file (what
  the site and the slides embed), no kernel.

The **baseline** is measured in the same JupyterLab run, on one figure: ``ipywidgets.interact`` with the
same slider, whose callback moves the same plot (``plot.update``) and shows it inline (``display(figure)``:
a PNG from the kernel); its time runs to the first frame after that ``<img>`` has loaded.

Each press waits until the previous one is shown and the kernel is idle. Reported per figure and place:
median and 95th percentile in ms; the targets are a median of at most 16 ms and a p95 of at most 33 ms.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from ce_teach import widgets
from ce_teach.widgets import embed
from tests.browser import lab

ROOT = Path(__file__).resolve().parents[1]
TARGET_MEDIAN, TARGET_P95 = 16.0, 33.0

# In the page before anything loads: key presses, live figures drawn, baseline images loaded.
PROBES = """
window.__ce = {key: null, shown: []};
document.addEventListener('keydown', (e) => { window.__ce.key = e.timeStamp; window.__ce.shown = []; }, true);
document.addEventListener('ce-live-drawn', () => {
    requestAnimationFrame(() => window.__ce.shown.push(performance.now()));
}, true);
document.addEventListener('load', (event) => {
    if (event.target.tagName === 'IMG' && event.target.closest('.ce-baseline'))
        requestAnimationFrame(() => window.__ce.shown.push(performance.now()));
}, true);
"""

BASELINE_CELL = """
%matplotlib inline
import ipywidgets as _w
from IPython.display import display as _display
from ce_teach.plotting import BinaryEntropyPlot as _Plot
_plot = _Plot(0.5)
def _show(p):
    _plot.update(p=p)
    _display(_plot.figure)
_box = _w.interact(_show, p=_w.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.01))
_ = _box.widget.add_class("ce-baseline")
"""


def live_cells() -> dict[str, list[tuple[int, str]]]:
    """Notebook → its cells that show a ported live figure (index, shortcut)."""
    widget_shortcut = lab.load_script("build_notebooks").widget_shortcut
    found = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            name = widget_shortcut(cell)
            if name is not None:
                if name in widgets.SHORTCUTS:
                    found.setdefault(path.name, []).append((i, name))
    return found


def press(page, target, key: str, kernel: bool) -> float:
    """ms from the key press to the first frame after the figure was drawn."""
    if kernel:
        lab.wait_until(lambda: lab.kernel_idle(page), 30, "the kernel to go idle")
    page.wait_for_timeout(50)
    target.press(key)
    page.wait_for_function("() => window.__ce.shown.length > 0", timeout=20_000, polling=5)
    return page.evaluate("() => Math.min(...window.__ce.shown) - window.__ce.key")


def time_slider(page, slider, presses: int, kernel: bool) -> list[float]:
    """``presses`` arrow keys on one slider, turning back at either end (a press at an end draws nothing)."""
    slider.focus()
    where = """(s) => [s.value ?? s.getAttribute('aria-valuenow'), s.min ?? s.getAttribute('aria-valuemin'),
                       s.max ?? s.getAttribute('aria-valuemax')].map(Number)"""
    times, key = [], "ArrowRight"
    for _ in range(presses):
        value, low, high = slider.evaluate(where)
        key = "ArrowLeft" if value >= high else "ArrowRight" if value <= low else key
        times.append(press(page, slider, key, kernel))
    return times


def time_figure(page, figure, presses: int, kernel: bool) -> list[float]:
    figure.scroll_into_view_if_needed()
    times = []
    sliders = figure.locator("input[type=range]")
    for s in range(sliders.count()):
        times += time_slider(page, sliders.nth(s), presses, kernel)
    return times


def run_cell(page, source: str) -> None:
    page.evaluate(
        """(source) => {
        const app = window.jupyterapp, panel = app.shell.currentWidget;
        const cells = panel.content.model.sharedModel;
        cells.insertCell(cells.cells.length, {cell_type: 'code', source});
        panel.content.activeCellIndex = cells.cells.length - 1;
        app.commands.execute('notebook:run-cell');
    }""",
        source,
    )


def measure(browser, presses: int, baseline: bool) -> dict[tuple[str, str], list[float]]:
    results = {}
    cells = live_cells()
    with tempfile.TemporaryDirectory() as scratch:
        # static pages: each figure alone on a page from a file, no kernel
        for name in sorted({n for found in cells.values() for _, n in found}):
            path = Path(scratch) / f"{name}.html"
            path.write_text(embed.preview_page([getattr(widgets, name)()]), encoding="utf-8")
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.add_init_script(PROBES)
            page.goto(path.as_uri())
            page.wait_for_function("() => document.querySelector('.ce-live')?.ceLive")
            results[(name, "static page")] = time_figure(page, page.locator(".ce-live").first, presses, False)
            page.close()
        # JupyterLab, default settings
        with lab.serve_lab(Path(scratch) / "lab", lab.QUIET_SETTINGS) as base:
            for notebook, found in cells.items():
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.add_init_script(PROBES)
                lab.open_and_run(page, base, notebook)
                page.evaluate("() => window.jupyterapp.commands.execute('notebook:show-all-cell-outputs')")
                for index, name in found:
                    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
                    cell.scroll_into_view_if_needed()
                    figure = cell.locator(".ce-live")
                    lab.wait_until(lambda f=figure: f.count() == 1, 30, f"the live figure {name}")
                    results[(name, "JupyterLab")] = time_figure(page, figure, presses, True)
                if baseline:
                    baseline = False  # one figure is enough for the baseline
                    run_cell(page, BASELINE_CELL)
                    box = page.locator(".ce-baseline").first
                    lab.wait_until(
                        lambda box=box, page=page: (
                            box.count() > 0 and box.locator("img").count() > 0 and lab.kernel_idle(page)
                        ),
                        60,
                        "the baseline",
                    )
                    box.scroll_into_view_if_needed()
                    handle = box.locator(".noUi-handle, .slider-container [role=slider], .widget-slider input").first
                    results[("coin_entropy: interact + inline", "JupyterLab")] = time_slider(
                        page, handle, presses, True
                    )
                page.close()
    return results


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def table(results: dict) -> str:
    rows = ["| figure | place | presses | median | p95 | target met |", "|---|---|---:|---:|---:|---|"]
    for (name, place), times in results.items():
        med, high = statistics.median(times), p95(times)
        met = "yes" if med <= TARGET_MEDIAN and high <= TARGET_P95 else "no"
        rows.append(f"| {name} | {place} | {len(times)} | {med:.1f} ms | {high:.1f} ms | {met} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20, help="key presses per slider and place (default 20)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the interact + inline baseline")
    args = parser.parse_args(argv)
    if args.presses < 2:
        parser.error("--presses must be at least 2")
    if lab.missing():
        parser.exit(2, f"cannot run the browser: {lab.missing()}\n")
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with sync_playwright() as p:
        browser = lab.launch_chromium(p)
        results = measure(browser, args.presses, not args.no_baseline)
        version = browser.version
        browser.close()
    print(
        f"chromium {version}, {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d', time.gmtime())}, {time.monotonic() - started:.0f} s\n"
    )
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

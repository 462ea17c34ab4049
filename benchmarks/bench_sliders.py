"""Slider latency in a real browser: key press to updated figure on screen. A benchmark, not a timed test.

    python benchmarks/bench_sliders.py                       # every notebook, the README table
    python benchmarks/bench_sliders.py --presses 2 00_start_here.ipynb   # a quick look at one notebook

Needs what the browser tests need: Debian's chromium and Python Playwright (requirements-dev.txt).

For every slider of every live widget, in real JupyterLab in headless chromium, the benchmark presses an
arrow key on the slider and times from the key press (a ``keydown`` listener in the page) to the first
animation frame after the new figure was put on screen:

- **in place** (what the notebooks use): the figure's ipympl canvas gets its new image, i.e. the widget's
  visible ``<canvas>`` is drawn (a wrapper around ``CanvasRenderingContext2D.drawImage`` notes it);
- **baseline** (the naive way, measured in the same run on the same figure): ``ipywidgets.interactive``
  with copies of the same sliders, whose callback sets the values and re-renders the figure inline
  (``display(figure)``: a new PNG in an Output widget); the time is that ``<img>``'s ``load`` event.
  The baseline reuses the widget's figure rather than building it anew, so it is a little faster than a
  truly naive callback would be: the comparison favours the baseline.

JupyterLab runs with its default settings, as a learner's does (``--windowing none`` renders every cell
instead, as the browser tests do, which slows both methods down).

Each slider gets ``--presses`` presses, half one way and half back, one at a time: the next press waits
until the kernel is idle and the last frame is shown. Reported per notebook and overall: median and 95th
percentile in ms, and the baseline's median divided by ours. The browser, JupyterLab and the kernel all
share this machine's cores, as they do on a learner's laptop.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import lab  # noqa: E402

GOAL_MS = 100.0

# In the page, before JupyterLab loads: note key presses, figure draws on live canvases, baseline images.
PROBES = """
window.__ce = {key: 0, events: []};
document.addEventListener('keydown', () => { window.__ce.key = performance.now(); }, true);
const shown = (kind, el) => {
    const t = performance.now();
    requestAnimationFrame(() => window.__ce.events.push({kind, el, t, shown: performance.now()}));
};
const drawImage = CanvasRenderingContext2D.prototype.drawImage;
CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const result = drawImage.apply(this, args);
    const div = this.canvas.isConnected && this.canvas.closest('.jupyter-matplotlib-canvas-div');
    if (div) shown('in place', div.dataset.ceId || '');
    return result;
};
document.addEventListener('load', (event) => {
    const img = event.target;
    const box = img.tagName === 'IMG' && img.closest('.ce-baseline');
    if (box) shown('baseline', box.dataset.ceId || '');
}, true);
"""

# Run in the notebook's kernel after all its cells: one interactive baseline per live widget, in order.
BASELINE_CELL = """
import ipywidgets as _w
from IPython.display import display as _display
from ce_teach.widgets._live import LiveWidget as _LiveWidget

def _baseline(widget):
    widget.redraw = lambda: None  # the live canvas stays as it is; the figure is shown inline instead
    sliders = {name: type(c)(value=c.value, min=c.min, max=c.max, step=c.step, description=c.description,
                             readout_format=c.readout_format, continuous_update=True)
               for name, c in widget.controls.items() if isinstance(c, (_w.FloatSlider, _w.IntSlider))}

    def show(**values):
        for name, value in values.items():
            widget.controls[name].value = value
        _display(widget.figure)

    box = _w.interactive(show, **sliders)
    box.add_class("ce-baseline")
    return box

for _live in [v for v in list(_w.widgets.widget._instances.values()) if isinstance(v, _LiveWidget)]:
    _display(_baseline(_live))
"""

def run_baseline_cell(page) -> None:
    """Append the baseline cell to the open notebook and run it (fired, not awaited: see open_and_run)."""
    page.evaluate(
        """(source) => {
            const app = window.jupyterapp, panel = app.shell.currentWidget;
            const cells = panel.content.model.sharedModel;
            cells.insertCell(cells.cells.length, {cell_type: 'code', source});
            panel.content.activeCellIndex = cells.cells.length - 1;
            app.commands.execute('notebook:run-cell');
        }""",
        BASELINE_CELL,
    )
    lab.wait_until(lambda: page.locator(".ce-baseline").count() > 0 and lab.kernel_idle(page), 60,
                   "the baseline widgets")


def settle(page) -> None:
    """Wait until the kernel is idle and no frame has been shown for 150 ms."""
    lab.wait_until(lambda: lab.kernel_idle(page), 30, "the kernel to go idle")
    quiet = """() => { const e = window.__ce.events;
                       return !e.length || performance.now() - e[e.length - 1].shown > 150; }"""
    page.wait_for_function(quiet, timeout=30_000, polling=50)


def press_and_time(page, handle, key: str, kind: str, tag: str) -> float:
    """ms from the key press to the first frame showing this widget's new figure."""
    settle(page)
    page.evaluate("() => { window.__ce.events = []; }")
    handle.press(key)
    seen = f"""() => window.__ce.events.some(e => e.kind === '{kind}' && e.el === '{tag}'
                                                && e.t >= window.__ce.key)"""
    page.wait_for_function(seen, timeout=20_000, polling=10)
    return page.evaluate(
        f"""() => Math.min(...window.__ce.events.filter(e => e.kind === '{kind}' && e.el === '{tag}'
                                                          && e.t >= window.__ce.key).map(e => e.shown))
                  - window.__ce.key"""
    )


def time_sliders(page, box, kind: str, tag: str, presses: int) -> list[float]:
    """Press arrow keys on every slider of one widget; the figure element is tagged so draws are told apart."""
    box.scroll_into_view_if_needed()
    target = box.locator(".jupyter-matplotlib-canvas-div").first if kind == "in place" else box
    target.evaluate("(el, tag) => { el.dataset.ceId = tag; }", tag)
    times = []
    sliders = box.locator(".widget-slider")
    for s in range(sliders.count()):
        handle = sliders.nth(s).locator(".noUi-handle").first
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        keys = ["ArrowLeft", "ArrowRight"] if at_max else ["ArrowRight", "ArrowLeft"]
        for i in range(presses):
            times.append(press_and_time(page, handle, keys[i * 2 // presses], kind, tag))
    return times


def measure_notebook(page, base: str, name: str, presses: int) -> dict[str, list[float]]:
    lab.open_and_run(page, base, name)
    live = lab.live_boxes(page, name)
    n_live = live.count()
    result = {"in place": [], "baseline": [], "sliders": 0}
    if n_live == 0:
        return result
    for b in range(n_live):
        result["sliders"] += live.nth(b).locator(".widget-slider").count()
        result["in place"] += time_sliders(page, live.nth(b), "in place", f"live{b}", presses)
    run_baseline_cell(page)  # after: it turns the live canvases off
    baseline = page.locator(".ce-baseline")
    if baseline.count() != n_live:
        raise RuntimeError(f"{name}: {n_live} live widgets but {baseline.count()} baselines")
    for b in range(n_live):
        result["baseline"] += time_sliders(page, baseline.nth(b), "baseline", f"base{b}", presses)
    return result


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def table(results: dict[str, dict]) -> str:
    rows = [
        "| notebook | sliders | presses | in place: median | p95 | baseline: median | p95 | baseline / in place |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    everything = {"in place": [], "baseline": [], "sliders": 0}
    for name, r in [*results.items(), ("**all**", everything)]:
        if name != "**all**":
            for key in everything:
                everything[key] += r[key]
        if not r["in place"]:
            continue
        ours, base = r["in place"], r["baseline"]
        rows.append(
            f"| {name.removesuffix('.ipynb')} | {r['sliders']} | {len(ours)} | {statistics.median(ours):.0f} ms "
            f"| {p95(ours):.0f} ms | {statistics.median(base):.0f} ms | {p95(base):.0f} ms "
            f"| {statistics.median(base) / statistics.median(ours):.2f}× |"
        )
    return "\n".join(rows)


def verdict(results: dict[str, dict]) -> list[str]:
    """Where the goal (median ≤ 100 ms and faster than the baseline, per notebook) is missed."""
    missed = []
    for name, r in results.items():
        if not r["in place"]:
            continue
        ours, base = statistics.median(r["in place"]), statistics.median(r["baseline"])
        if ours > GOAL_MS:
            missed.append(f"{name}: median {ours:.0f} ms > {GOAL_MS:.0f} ms")
        if ours >= base:
            missed.append(f"{name}: in place {ours:.0f} ms is not faster than the baseline's {base:.0f} ms")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook file names (default: all)")
    parser.add_argument("--presses", type=int, default=10, help="key presses per slider and method (default 10)")
    parser.add_argument("--windowing", choices=["default", "none"], default="default",
                        help="JupyterLab's notebook windowing: its default (content-visibility: only what is in "
                             "view is rendered), or none (every cell rendered, as in the browser tests)")
    args = parser.parse_args(argv)
    if args.presses < 1:
        parser.error("--presses must be at least 1")
    if lab.missing():
        parser.exit(2, f"cannot run the browser: {lab.missing()}\n")
    names = args.notebooks or sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    unknown = [n for n in names if not (ROOT / "notebooks" / n).exists()]
    if unknown:
        parser.error(f"no such notebook in notebooks/: {', '.join(unknown)}")

    from playwright.sync_api import sync_playwright

    results = {}
    started = time.monotonic()
    settings = lab.QUIET_SETTINGS if args.windowing == "default" else lab.LAB_SETTINGS
    with (tempfile.TemporaryDirectory() as scratch, lab.serve_lab(Path(scratch), settings) as base,
          sync_playwright() as p):
        browser = lab.launch_chromium(p)
        for name in names:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.add_init_script(PROBES)
            try:
                results[name] = measure_notebook(page, base, name, args.presses)
            finally:
                page.close()
            r = results[name]
            print(f"[{time.monotonic() - started:5.0f} s] {name}: {r['sliders']} sliders, "
                  f"{len(r['in place'])} + {len(r['baseline'])} presses timed", file=sys.stderr, flush=True)
        version = browser.version
        browser.close()
    print(f"\nchromium {version}, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, JupyterLab windowing: {args.windowing}\n")
    print(table(results))
    missed = verdict(results)
    print("\ngoal (median ≤ 100 ms and faster than the baseline, every notebook): "
          + ("met" if not missed else "NOT met:\n  " + "\n  ".join(missed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

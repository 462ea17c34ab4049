"""Every live figure of the notebooks in real JupyterLab in a real browser: one sweep, one test per figure.

A figure is a cell whose source starts with ``widgets.`` (``build_notebooks.is_widget_cell``). Its notebook
is run once in JupyterLab (``lab.serve_lab``, every cell; its outputs expanded), and then each of its
figures is moved: every control to both ends and to random positions, and by the keyboard (a range:
Home, End, ArrowRight, ArrowLeft, PageUp, PageDown; choices: a click, then the arrow keys in the radio
group). After every move the browser must show the new position, and the figure's canvas pixels and
the readout must change wherever the figure's tables (``el.ceLive.current()``, checked against ce_teach
in test_live_browser.py) say the moving artists or the readout changed; every control must change the
figure or the readout. No console error, no unexpected error output, nothing in the kernel's log.

A figure still drawn by the old ipywidgets machinery (its shortcut not in ``ce_teach.widgets.SHORTCUTS``)
is skipped with that reason: it is not on the tables yet.
"""

from __future__ import annotations

import json

import nbformat
import numpy as np
import pytest

from ce_teach import widgets

from .lab import ROOT, kernel_idle, load_script, open_and_run, wait_until
from .static_live import largest_shift

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
RANDOM_MOVES = 4


def figures() -> list:
    widget_shortcut = load_script("build_notebooks").widget_shortcut
    params = []
    for name in NOTEBOOKS:
        cells = nbformat.read(ROOT / "notebooks" / name, as_version=4).cells
        for i, cell in enumerate(cells):
            shortcut = widget_shortcut(cell)
            if shortcut is None:
                continue
            marks = (
                []
                if shortcut in widgets.SHORTCUTS
                else [pytest.mark.skip(reason=f"{shortcut} is not on the tables yet (old ipywidgets widget)")]
            )
            params.append(pytest.param(name, i, id=f"{name.removesuffix('.ipynb')}-cell{i}-{shortcut}", marks=marks))
    return params


def expected_errors(name: str) -> int:
    """Cells tagged raises-exception show their error on purpose."""
    nb = json.loads((ROOT / "notebooks" / name).read_text())
    return sum("raises-exception" in c.get("metadata", {}).get("tags", []) for c in nb["cells"])


def kernel_log(page) -> str:
    """What the kernel printed outside any cell: the log console's text, or "" when its counter shows none."""
    counter = page.locator(".jp-LogConsoleStatusItem").inner_text().strip()
    if counter in ("", "0"):
        return ""
    page.evaluate("() => window.jupyterapp.commands.execute('logconsole:open')")
    panel = page.locator(".jp-LogConsolePanel")
    panel.wait_for(timeout=10_000)
    return f"{counter} message(s):\n" + panel.inner_text()[:3000]


class Notebooks:
    """One notebook open and run at a time (the figures of a notebook are tested one after another)."""

    def __init__(self, browser, server):
        self.browser, self.server, self.name, self.page, self.errors = browser, server, None, None, []

    def open(self, name: str):
        if self.name == name:
            return self.page
        self.close()
        self.errors = []
        page = self.browser.new_page(viewport={"width": 1400, "height": 1000})
        # offline, external images (the Binder badge) cannot resolve their host: not an error of ours
        page.on(
            "console",
            lambda m: m.type == "error" and "ERR_NAME_NOT_RESOLVED" not in m.text and self.errors.append(m.text),
        )
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.name, self.page = name, page
        open_and_run(page, self.server, name)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:show-all-cell-outputs')")
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == expected_errors(name), "unexpected error output:\n" + "\n---\n".join(
            errors.nth(i).inner_text()[:800] for i in range(errors.count())
        )
        return page

    def close(self):
        if self.page is not None:
            self.page.close()
        self.name = self.page = None


@pytest.fixture(scope="module")
def notebooks(browser, lab_server):
    opened = Notebooks(browser, lab_server)
    yield opened
    opened.close()


def snapshot(figure) -> dict:
    """What the figure shows now: its tables' row (index, parts, fields), its canvases' pixels, its readout."""
    return figure.evaluate("""(el) => ({
        ...el.ceLive.current(),
        pixels: [...el.querySelectorAll('.ce-live-figure canvas')].map(c => c.toDataURL()),
        html: el.querySelector('.ce-live-readout').innerHTML,
    })""")


def check_move(before: dict, after: dict, what: str, spec: dict) -> tuple[bool, bool]:
    """The page followed the tables: the readout changed where its numbers did, and the canvas where an
    artist moved by a pixel or more (a move can shift a bar by less than a pixel, 7.5e-5 → 9.6e-5 on a 0–1
    axis, and leave every shown digit as it was). Returns (canvas changed, readout changed)."""
    parts_moved = any(
        not np.array_equal(
            np.array(before["parts"][k], dtype=float), np.array(after["parts"][k], dtype=float), equal_nan=True
        )
        for k in before["parts"]
    )
    fields_moved = before["fields"] != after["fields"]
    pixels_moved = after["pixels"] != before["pixels"]
    if fields_moved:
        assert after["html"] != before["html"], f"{what}: the readout's numbers changed but the page did not"
    shift = largest_shift(spec, before["parts"], after["parts"]) if parts_moved else 0.0
    if shift >= 1.0:
        assert pixels_moved, f"{what}: the moving artists moved by {shift:.1f} pixels but the canvas did not change"
    assert parts_moved or fields_moved or not pixels_moved, f"{what}: the canvas changed with nothing to show"
    return pixels_moved, fields_moved


@pytest.mark.parametrize(("name", "cell"), figures())
def test_every_live_figure_moves_in_jupyterlab(notebooks, name, cell):
    page = notebooks.open(name)
    cell_box = page.locator(".jp-Notebook .jp-Cell").nth(cell)
    cell_box.scroll_into_view_if_needed()
    figure = cell_box.locator(".ce-live")
    wait_until(
        lambda: figure.count() == 1 and figure.evaluate("el => !!el.ceLive"), 30, f"the live figure of cell {cell}"
    )
    figure.scroll_into_view_if_needed()
    controls = figure.locator(".ce-live-control")
    spec = figure.evaluate("el => el.ceLive.spec")
    start = snapshot(figure)["index"]
    assert controls.count() == len(start)
    rng = np.random.default_rng(cell)
    for k in range(controls.count()):
        box = controls.nth(k)
        slider = box.locator("input[type=range]")
        changed = [False, False]

        def move(action, expected, what, k=k, changed=changed):
            before = snapshot(figure)
            action()
            wait_until(lambda: snapshot(figure)["index"][k] == expected, 10, f"{what} to reach position {expected}")
            moved = check_move(before, snapshot(figure), f"cell {cell}, control {k}, {what}", spec)
            changed[0] |= moved[0]
            changed[1] |= moved[1]

        if slider.count():
            last = int(slider.get_attribute("max"))
            slider.focus()
            page_step = max(1, round(last / 10))  # Chromium: PageUp moves a range by a tenth of it
            for key, expected in [
                ("End", last),
                ("Home", 0),
                ("ArrowRight", 1),
                ("ArrowLeft", 0),
                ("PageUp", page_step),
                ("PageDown", 0),
            ]:
                move(lambda key=key: page.keyboard.press(key), expected, key)
            for _ in range(RANDOM_MOVES):
                i = int(rng.integers(last + 1))
                current = snapshot(figure)["index"][k]
                if i == current:
                    continue
                move(
                    lambda i=i, slider=slider: slider.evaluate(
                        "(s, i) => { s.value = i; s.dispatchEvent(new Event('input')); }", i
                    ),
                    i,
                    f"the slider set to {i}",
                )
        else:
            radios = box.locator("input[type=radio]")
            n = radios.count()
            current = snapshot(figure)["index"][k]
            nxt = (current + 1) % n
            radio = radios.nth(nxt)
            move(radio.click, nxt, "a click on the next choice")
            for _ in range(n):
                now = snapshot(figure)["index"][k]
                move(lambda: page.keyboard.press("ArrowRight"), (now + 1) % n, "ArrowRight in the radio group")
        assert changed[0] or changed[1], f"cell {cell}: control {k} changes neither the figure nor the readout"
    wait_until(lambda: kernel_idle(page), 30, "the kernel to take in the moves")
    log = kernel_log(page)
    assert not log, f"the kernel logged outside the cells: {log}"
    assert not notebooks.errors, "browser console errors:\n" + "\n".join(notebooks.errors[:10])


def test_rerunning_a_live_figure_cell_in_jupyterlab_does_not_grow_the_kernel(notebooks):
    """The memory check of tests/test_live_memory.py, in JupyterLab itself (which names the running cell in
    the execute_request's metadata): 50 re-runs of a live figure's cell grow the kernel by at most 20 MB."""
    import psutil

    ported = [p.values for p in figures() if not p.marks]
    assert ported, "no live figure on the tables in any notebook"
    name, cell = ported[0]
    page = notebooks.open(name)
    kernel_id = page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.id")
    # the kernel's process: its command line names its connection file, kernel-<id>.json
    (kernel,) = [p for p in psutil.Process().children(recursive=True) if kernel_id in " ".join(p.cmdline())]

    def rerun(times: int) -> float:
        for _ in range(times):
            page.evaluate(
                """(cell) => { const app = window.jupyterapp, panel = app.shell.currentWidget;
                               panel.content.activeCellIndex = cell;
                               return app.commands.execute('notebook:run-cell'); }""",
                cell,
            )
            wait_until(lambda: kernel_idle(page), 60, "the cell to run")
        return kernel.memory_info().rss / 2**20

    before = rerun(5)  # warm-up
    after = rerun(50)
    assert after - before <= 20, f"{name} cell {cell}: 50 runs grew the kernel from {before:.1f} to {after:.1f} MB"

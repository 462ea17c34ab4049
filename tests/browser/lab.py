"""Real JupyterLab in Debian's chromium, shared by the browser tests and the slider latency benchmark.

``serve_lab`` runs JupyterLab (JupyterLab's Galata test configuration, with a random token, the XSRF
check on and no terminals) on 127.0.0.1 over a scratch copy of the notebooks; ``launch_chromium`` starts
/usr/bin/chromium headless through Python Playwright (Playwright's own browser download is never used);
``open_and_run`` opens a notebook and runs all cells.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CE_TEACH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
    "--no-first-run",
    "--disable-default-apps",
    "--mute-audio",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
# No "get Jupyter news?" toast over the notebook.
QUIET_SETTINGS = {"apputils-extension/notification": '{"fetchNews": "false", "checkForUpdates": false}'}
# For the tests, every cell also stays in the page (no windowing), so a widget scrolled out of view keeps
# its elements. (The benchmark keeps JupyterLab's default, what learners have.)
LAB_SETTINGS = {**QUIET_SETTINGS, "notebook-extension/tracker": '{"windowingMode": "none"}'}


def missing() -> str | None:
    """Why the browser cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)"
    return None


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


class LabServer(str):
    """The base URL of a running ``serve_lab``, carrying its token (the server's only credential). A str, so
    ``f"{base}/api/..."`` still works; the token travels with it even where this module is loaded twice (the
    benchmark imports it as ``tests.browser.lab``, pytest as ``browser.lab``)."""

    token: str

    def __new__(cls, url: str, token: str):
        server = super().__new__(cls, url)
        server.token = token
        return server

    def page(self, path: str) -> str:
        """The URL of ``path`` that logs the page in: the token sets a cookie, JupyterLab then sends XSRF itself."""
        return f"{self}/{path}{'&' if '?' in path else '?'}token={self.token}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_lab(scratch: Path, settings: dict[str, str] = LAB_SETTINGS):
    """JupyterLab serving a copy of notebooks/ in ``scratch`` (so nothing it autosaves touches the
    repository), with the given user settings; yields its base URL."""
    root, home = scratch / "notebooks", scratch / "home"
    root.mkdir(parents=True)
    home.mkdir(parents=True, exist_ok=True)
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy2(notebook, root / notebook.name)
    for name, value in settings.items():
        path = home / "settings" / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(value)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
    }
    token = secrets.token_hex(32)  # the server's only credential, passed through the environment (not argv)
    env["CE_TEACH_LAB_TOKEN"] = token
    port = free_port()
    log_path = home / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                f"--config={Path(__file__).parent / 'jupyter_server_config.py'}",
                f"--ServerApp.port={port}",
                f"--ServerApp.root_dir={root}",
                "--no-browser",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                try:
                    status = urllib.request.Request(f"{base}/api/status", headers={"Authorization": f"token {token}"})
                    urllib.request.urlopen(status, timeout=2)
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"JupyterLab did not start:\n{log_path.read_text()[-3000:]}") from None
                    time.sleep(0.5)
            yield LabServer(base, token)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def open_and_run(page, base: str, name: str) -> None:
    """Open the notebook, clear its stored outputs and run all cells; return when every code cell has run."""
    page.goto(base.page(f"lab/tree/{name}?reset"), wait_until="domcontentloaded")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext",
        timeout=90_000,
    )
    # Cleared first, so a stored execution count cannot pass for a fresh one. run-all is fired, not awaited:
    # its promise settles late (after widget comms), which would keep page.evaluate waiting.
    page.evaluate("""async () => {
        const app = window.jupyterapp, panel = app.shell.currentWidget;
        await panel.context.ready;
        await panel.sessionContext.ready;
        app.shell.activateById(panel.id);
        await app.commands.execute('notebook:clear-all-cell-outputs');
        app.commands.execute('notebook:run-all-cells');
    }""")
    # the notebook model, not the DOM: every code cell has an execution count and the kernel is idle
    finished = """() => {
        const panel = window.jupyterapp.shell.currentWidget, cells = panel.content.model.cells;
        for (let i = 0; i < cells.length; i++) {
            const cell = cells.get(i);
            if (cell.type === 'code' && !(cell.executionCount > 0)) return false;
        }
        return panel.sessionContext.session.kernel.status === 'idle';
    }"""
    page.wait_for_function(finished, timeout=180_000, polling=200)


def kernel_idle(page) -> bool:
    return page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status") == "idle"


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


LIVE_BOXES = ".jp-OutputArea-output .widget-vbox:has(.jupyter-matplotlib-canvas-div)"


def load_script(name: str):
    """A module of scripts/ (not a package), e.g. ``load_script("build_site")``."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def widget_cells(name: str) -> list[int]:
    """Indices of the cells of notebook ``name`` that show a live widget."""
    is_widget_cell = load_script("build_notebooks").is_widget_cell
    cells = nbformat.read(ROOT / "notebooks" / name, as_version=4).cells
    return [i for i, cell in enumerate(cells) if is_widget_cell(cell)]


def live_boxes(page, name: str):
    """The live widgets of the open notebook, each scrolled into view once so it renders (JupyterLab's
    default windowing may leave a cell's output unrendered until it is seen); checks that every widget
    cell of the notebook shows one."""
    expected = widget_cells(name)
    for index in expected:
        page.locator(".jp-Notebook .jp-Cell").nth(index).scroll_into_view_if_needed()
    boxes = page.locator(LIVE_BOXES)
    wait_until(
        lambda: boxes.count() == len(expected),
        30,
        f"{len(expected)} live widgets in {name} (cells {expected}); {boxes.count()} shown",
    )
    return boxes

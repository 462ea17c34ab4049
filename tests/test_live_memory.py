"""Re-running a live figure's cell does not make the kernel grow: 50 runs add at most 20 MB.

A real IPython kernel (jupyter_client) gets the cell as JupyterLab sends it: an ``execute_request`` whose
metadata names the cell (``cellId``). ``ce_teach.widgets._widget`` closes the figure that the same cell
made before, and ``close()`` drops its tables, still image and plot, so the 50 figures that IPython's
output history (``Out``, ``_``) still holds keep almost nothing. The kernel's resident memory is read from
outside (``/proc/<pid>/status``, VmRSS) after a warm-up and after the 50 runs, each after ``gc.collect()``.
"""

from __future__ import annotations

import os
import queue
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUNS = 50
LIMIT_MB = 20.0
CELLS = {name: f"widgets.{name}()" for name in ("coin_entropy",)}


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/<pid>/status")


def execute(
    client, code: str, cell_id: str | None = None, expressions: dict | None = None, timeout: float = 120
) -> dict:
    """Run ``code`` as JupyterLab's cell ``cell_id`` would; return the execute_reply's content."""
    message = client.session.msg(
        "execute_request",
        {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": expressions or {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        metadata={"cellId": cell_id} if cell_id else {},
    )
    client.shell_channel.send(message)
    deadline = time.monotonic() + timeout
    while True:
        reply = client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == message["header"]["msg_id"]:
            break
    while True:  # drain the outputs
        try:
            client.get_iopub_msg(timeout=0.05)
        except queue.Empty:
            break
    assert reply["content"]["status"] == "ok", reply["content"]
    return reply["content"]


@pytest.fixture(scope="module")
def kernel():
    if not sys.platform.startswith("linux"):
        pytest.skip("reads the kernel's memory from /proc")
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    manager, client = start_new_kernel(kernel_name="python3", env=env, cwd=str(ROOT))
    try:
        reply = execute(client, "import gc, os\nfrom ce_teach import widgets")
        assert reply["status"] == "ok"
        yield manager, client, manager.provisioner.pid
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.parametrize("name", CELLS)
def test_rerunning_a_live_figure_cell_50_times_grows_the_kernel_by_at_most_20_mb(kernel, name):
    _, client, pid = kernel
    cell = str(uuid.uuid4())
    for _ in range(5):  # warm-up: imports, matplotlib's caches, the first figure's fonts
        execute(client, CELLS[name], cell)
    execute(client, "gc.collect()")
    before = rss_mb(pid)
    for _ in range(RUNS):
        execute(client, CELLS[name], cell)
    execute(client, "gc.collect()")
    after = rss_mb(pid)
    assert after - before <= LIMIT_MB, f"{name}: {RUNS} runs grew the kernel by {after - before:.1f} MB"
    # and the figures the history keeps are closed: only the last one still has its tables
    alive = "sum(1 for v in Out.values() if getattr(v, 'tables', b''))"
    shown = "sum(1 for v in Out.values() if type(v).__name__ == 'LiveFigure')"
    reply = execute(client, "", expressions={"alive": alive, "shown": shown})
    counts = {k: int(v["data"]["text/plain"]) for k, v in reply["user_expressions"].items()}
    assert counts["shown"] >= RUNS and counts["alive"] == 1, counts
    print(f"{name}: {RUNS} runs: {before:.1f} MB → {after:.1f} MB ({after - before:+.1f} MB); {counts}")

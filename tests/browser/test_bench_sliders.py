"""The slider latency benchmark still measures what it says (no timing is asserted: it is a benchmark)."""

from __future__ import annotations

import importlib.util
import math

from .lab import ROOT

spec = importlib.util.spec_from_file_location("bench_sliders", ROOT / "benchmarks" / "bench_sliders.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_every_press_is_timed_for_both_methods(browser, lab_server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.add_init_script(bench.PROBES)
    try:
        result = bench.measure_notebook(page, lab_server, "00_start_here.ipynb", presses=2)
    finally:
        page.close()
    assert result["sliders"] == 3
    for method in ("in place", "baseline"):
        assert len(result[method]) == 2 * result["sliders"], method
        assert all(math.isfinite(t) and 0 < t < 20_000 for t in result[method]), result[method]
    rows = bench.table({"00_start_here.ipynb": result}).splitlines()
    assert rows[2].startswith("| 00_start_here | 3 | 6 |") and rows[3].startswith("| **all** | 3 | 6 |")

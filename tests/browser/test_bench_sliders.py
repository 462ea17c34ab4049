"""The slider latency benchmark still measures what it says (no timing is asserted: it is a benchmark)."""

from __future__ import annotations

import importlib.util
import math

from .lab import ROOT

spec = importlib.util.spec_from_file_location("bench_sliders", ROOT / "benchmarks" / "bench_sliders.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_every_press_is_timed_in_both_places_and_for_the_baseline(browser):
    results = bench.measure(browser, presses=2, baseline=True)
    figures = {name for _, found in bench.live_cells().items() for _, name in found}
    expected = {(n, place) for n in figures for place in ("static page", "JupyterLab")}
    expected.add(("coin_entropy: interact + inline", "JupyterLab"))
    assert set(results) == expected
    for key, times in results.items():
        assert len(times) >= 2 and all(math.isfinite(t) and 0 <= t < 20_000 for t in times), (key, times)
    rows = bench.table(results).splitlines()
    assert len(rows) == 2 + len(expected) and rows[2].startswith("| ")

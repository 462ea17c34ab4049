"""benchmarks/bench_linear_ce.py keeps working: a smoke run at a tiny size (no timing assertions)."""

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch", reason="the benchmark compares against PyTorch: install torch==2.13.0")

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_linear_ce.py"


def load_script():
    spec = importlib.util.spec_from_file_location("bench_linear_ce", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_smoke_run_reports_both_paths():
    bench = load_script()
    text = bench.main(["--n", "64", "--d", "8", "--vocab", "4096", "--repeats", "1"])
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[1].startswith("| `ct.linear_cross_entropy_grad` |")
    assert rows[2].startswith("| torch: `F.cross_entropy(h @ W.T, y)` + backward |")
    assert "target ≤ 2.0" in rows[3] and "target ≤ 0.05" in rows[3]
    ours_peak, torch_peak = (float(r.split("|")[4]) for r in rows[1:3])
    assert ours_peak >= 0 and torch_peak > 0


def test_memory_child_sees_the_logits():
    """The RSS high-water mark catches torch's (N, V) logits: 64 × 32768 × 4 B = 8 MiB, at least twice."""
    bench = load_script()
    torch_peak = bench.measure_in_fresh_process("torch", 64, 8, 32768)["rss_peak_extra"]
    ours = bench.measure_in_fresh_process("ours", 64, 8, 32768)
    assert torch_peak >= 2 * 64 * 32768 * 4
    assert ours["tracemalloc_peak"] < 64 * 32768 * 4

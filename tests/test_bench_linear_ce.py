"""benchmarks/bench_linear_ce.py keeps working: a smoke run at a tiny size (no timing assertions)."""

import types

import pytest

pytest.importorskip("torch", reason="the benchmark compares against PyTorch: install torch==2.13.0")

from benchmarks import bench_linear_ce as bench  # noqa: E402  (as `python -m benchmarks.bench_linear_ce` does)


def test_smoke_run_reports_both_paths():
    text = bench.main(["--n", "64", "--d", "8", "--vocab", "4096", "--repeats", "1"])
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[1].startswith("| `ct.linear_cross_entropy_grad` |")
    assert rows[2].startswith("| torch: `F.cross_entropy(h @ W.T, y)` + backward |")
    assert "target ≤ 2.0" in rows[3] and "target ≤ 0.05" in rows[3]
    ours_peak, torch_peak = (float(r.split("|")[4]) for r in rows[1:3])
    assert ours_peak >= 0 and torch_peak > 0


def test_memory_child_sees_the_logits():
    """The RSS high-water mark catches torch's (N, V) logits: 64 × 32768 × 4 B = 8 MiB, at least twice."""
    torch_peak = bench.measure_in_fresh_process("torch", 64, 8, 32768)["rss_peak_extra"]
    ours = bench.measure_in_fresh_process("ours", 64, 8, 32768)
    assert torch_peak >= 2 * 64 * 32768 * 4
    assert ours["tracemalloc_peak"] < 64 * 32768 * 4


def test_memory_child_measures_the_same_ce_teach(monkeypatch, tmp_path):
    """A child that imports another ce_teach than this process (another checkout's) is an error, not a number."""
    elsewhere = tmp_path / "ce_teach" / "__init__.py"
    monkeypatch.setattr(bench, "ct", types.SimpleNamespace(__file__=str(elsewhere)))
    with pytest.raises(RuntimeError, match=f"memory child imported ce_teach from .*, this process from {elsewhere}:"):
        bench.measure_in_fresh_process("ours", 4, 2, 64)

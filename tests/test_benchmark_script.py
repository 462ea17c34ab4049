"""benchmarks/bench_losses.py keeps working: its functions run on tiny inputs (no timing assertions).

Memory is deterministic enough to assert, time is not: the sparse loss must not allocate a full-size
temporary, and the sigmoid loss nothing beyond its output and a few chunk buffers per thread.
"""

import numpy as np
import pytest

from benchmarks import bench_losses as bench  # as `python -m benchmarks.bench_losses` imports it


def test_cases_compute_the_losses():
    rng = np.random.default_rng(0)
    sparse = bench.sparse_case(rng, 4, 10)
    sigmoid = bench.sigmoid_case(rng, 100)
    assert sparse.theirs is None and sigmoid.theirs is None  # torch not passed: ours only
    assert sparse.ours().shape == (4,) and sparse.ours().dtype == np.float32
    assert sigmoid.ours().shape == (100,) and sigmoid.ours().dtype == np.float32
    assert sparse.memory_target_mb == bench.SPARSE_MEMORY_MB


def test_cases_agree_with_torch():
    torch = pytest.importorskip("torch", reason="install torch==2.13.0 to compare against PyTorch")
    rng = np.random.default_rng(0)
    for case in (bench.sparse_case(rng, 4, 10, torch), bench.sigmoid_case(rng, 100, torch)):
        ours, theirs = case.ours(), case.theirs().numpy()
        assert ours.dtype == theirs.dtype == np.float32
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_measure_and_table():
    rng = np.random.default_rng(0)
    case = bench.sparse_case(rng, 4, 10)
    case.theirs = case.ours  # a stand-in baseline, so this runs without torch
    result = bench.measure(case, reps=3, warmup=1)
    assert result.ours_ms > 0 and result.theirs_ms > 0 and result.extra_mb >= 0
    table = bench.markdown_table([result]).splitlines()
    assert table[0].startswith("| case | ours median ms | torch median ms | ratio ours/torch | our extra MB |")
    assert len(table) == 3 and table[2].startswith(f"| {case.name} |")
    assert table[2].endswith("| yes |") == result.met


def test_quick_run_end_to_end(capsys):
    pytest.importorskip("torch", reason="install torch==2.13.0 to run the benchmark")
    results = bench.main(["--quick", "--reps", "1"])
    assert len(results) == 2
    printed = capsys.readouterr().out
    assert "| sparse softmax CE" in printed and "| sigmoid CE" in printed and "threads: torch" in printed


def test_sparse_loss_allocates_no_full_size_temporary():
    case = bench.sparse_case(np.random.default_rng(0), 64, 50_000)
    logits_mb = 64 * 50_000 * 4 / 1e6  # 12.8 MB of float32 logits
    extra = bench.extra_peak_mb(case.ours)
    assert extra <= bench.SPARSE_MEMORY_MB
    assert extra < logits_mb / 4, f"{extra:.1f} MB extra for {logits_mb:.1f} MB of logits: a full-size temporary?"


def test_sigmoid_loss_allocates_its_output_and_chunk_buffers_only():
    n = 10**6
    case = bench.sigmoid_case(np.random.default_rng(0), n)
    output_mb = n * 4 / 1e6
    extra = bench.extra_peak_mb(case.ours)
    assert output_mb <= extra <= output_mb + 4.0, f"{extra:.1f} MB extra for a {output_mb:.0f} MB result"

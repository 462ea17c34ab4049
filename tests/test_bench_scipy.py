"""The benchmark's SciPy baseline computes the same losses as ce_teach (benchmarks/bench_losses.py)."""

import numpy as np
import pytest

from benchmarks import bench_losses as bench


@pytest.mark.parametrize("make", ["sparse", "sigmoid"])
def test_scipy_baseline_agrees_with_ours(make):
    special = pytest.importorskip("scipy.special", reason="pip install scipy to compare against SciPy")
    rng = np.random.default_rng(1)
    case = (
        bench.sparse_case(rng, 4, 10, special=special)
        if make == "sparse"
        else bench.sigmoid_case(rng, 100, special=special)
    )
    ours, theirs = case.ours(), case.scipy()
    assert theirs.dtype == np.float32 and theirs.shape == ours.shape
    np.testing.assert_allclose(theirs, ours, rtol=2e-7, atol=0)


def test_results_report_the_ratio_to_scipy():
    case = bench.sparse_case(np.random.default_rng(0), 4, 10)
    case.theirs = case.scipy = case.ours  # stand-ins, so this runs without torch or SciPy
    result = bench.measure(case, reps=3, warmup=1)
    assert result.scipy_ms > 0 and result.scipy_ratio == result.ours_ms / result.scipy_ms
    row = bench.markdown_table([result]).splitlines()[2]
    assert f"| {result.scipy_ms:.1f} | {result.scipy_ratio:.2f}× |" in row
    case.scipy = None
    assert "| n/a | n/a |" in bench.markdown_table([bench.measure(case, reps=1, warmup=0)])

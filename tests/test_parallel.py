"""The parallel block runner (ce_teach/_parallel.py): parts cover the input once, threads change only the speed."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import _parallel


@pytest.fixture
def many_threads(monkeypatch):
    """Split even tiny inputs across 3 threads, so the parallel path is the one under test."""
    monkeypatch.setattr(_parallel, "THREADS", 3)
    monkeypatch.setattr(_parallel, "PARALLEL_MIN", 1)
    monkeypatch.setattr(_parallel, "CHUNK", 16)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 100])
def test_in_parallel_covers_the_range_once_in_order(many_threads, n):
    parts = _parallel.in_parallel(lambda part: list(range(n))[part], n)
    assert len(parts) == max(1, min(3, n))
    assert [i for part in parts for i in part] == list(range(n))


def test_in_parallel_small_inputs_stay_in_one_thread(monkeypatch):
    monkeypatch.setattr(_parallel, "THREADS", 4)
    assert len(_parallel.in_parallel(lambda part: part, 100, cost_per_item=10)) == 1
    assert len(_parallel.in_parallel(lambda part: part, 100, cost_per_item=_parallel.PARALLEL_MIN)) == 4


def test_worker_threads_see_the_callers_errstate(many_threads):
    def work(part):
        return np.log(-np.ones(part.stop - part.start))  # 'invalid' is an error under the test settings

    with np.errstate(invalid="ignore"):
        parts = _parallel.in_parallel(work, 9)
    assert all(np.isnan(p).all() for p in parts)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_results_do_not_depend_on_threads_or_chunks(monkeypatch, dtype):
    rng = np.random.default_rng(0)
    x = rng.normal(0.0, 5.0, size=(50, 37)).astype(dtype)
    labels = rng.integers(0, 37, size=50)
    z = rng.random(x.shape)
    one_thread = (ct.sparse_softmax_cross_entropy_with_logits(labels, x), ct.sigmoid_cross_entropy_with_logits(z, x))
    monkeypatch.setattr(_parallel, "THREADS", 3)
    monkeypatch.setattr(_parallel, "PARALLEL_MIN", 1)
    monkeypatch.setattr(_parallel, "CHUNK", 64)
    three_threads = (ct.sparse_softmax_cross_entropy_with_logits(labels, x), ct.sigmoid_cross_entropy_with_logits(z, x))
    for a, b in zip(one_thread, three_threads, strict=True):
        assert a.dtype == b.dtype == dtype
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ([0.0, np.nan, 1.0], r"logits contains NaN \(first at index \(40, 1\)\)"),
        ([0.0, np.inf, 1.0], r"logits contains \+inf \(first at index \(40, 1\)\)"),
        ([-np.inf, -np.inf, -np.inf], r"all -inf \(row 40 of the batch\)"),
    ],
)
def test_bad_row_in_a_later_thread_gives_the_usual_error(many_threads, row, message):
    x = np.zeros((50, 3))
    x[40] = row
    with pytest.raises(ValueError, match=message):
        ct.sparse_softmax_cross_entropy_with_logits(np.zeros(50, dtype=int), x)


def test_sigmoid_loss_infinite_logits_in_parallel(many_threads):
    x = np.array([np.inf, -np.inf, np.inf, -np.inf, 0.0] * 10)
    z = np.array([1.0, 0.0, 0.0, 1.0, 0.5] * 10)
    expected = np.array([0.0, 0.0, np.inf, np.inf, np.log(2)] * 10)
    np.testing.assert_array_equal(ct.sigmoid_cross_entropy_with_logits(z, x), expected)

"""ce_teach.coding: Huffman codes, Kraft sums, encoding and decoding, block coding."""

import heapq
import itertools

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import coding


def brute_force_best_length(p, max_length=6):
    """The smallest Σ p·ℓ over all whole-number lengths with Kraft sum ≤ 1 (small n only)."""
    best = np.inf
    for lengths in itertools.product(range(1, max_length + 1), repeat=len(p)):
        if sum(2.0 ** -np.array(lengths)) <= 1:
            best = min(best, float(np.dot(p, lengths)))
    return best


@pytest.mark.parametrize("seed", range(20))
def test_huffman_is_optimal_and_within_one_bit_of_the_entropy(seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(int(rng.integers(2, 6))))
    code = coding.huffman_code(p)
    length = coding.expected_length(p, code)
    h = float(ct.entropy(p, base=2))
    assert coding.is_prefix_free(code) and coding.kraft_sum(code) <= 1
    assert h <= length < h + 1
    assert length == pytest.approx(brute_force_best_length(p), abs=1e-12)


def test_dyadic_distribution_gets_the_ideal_lengths():
    p = [1 / 2, 1 / 4, 1 / 8, 1 / 8]
    assert coding.huffman_code(p) == ["0", "10", "110", "111"]
    assert coding.expected_length(p, coding.huffman_code(p)) == 1.75 == float(ct.entropy(p, base=2))


def test_canonical_code_has_the_lengths_and_is_prefix_free():
    for lengths in ([1, 2, 3, 3], [2, 2, 2, 3, 3], [3, 1, 3, 2]):
        code = coding.canonical_code(lengths)
        assert coding.code_lengths(code).tolist() == lengths and coding.is_prefix_free(code)
    with pytest.raises(ValueError, match="Kraft"):
        coding.canonical_code([1, 1, 2])


def test_encode_decode_round_trip():
    rng = np.random.default_rng(1)
    p = np.array([0.5, 0.3, 0.2])
    code = coding.huffman_code(p)
    message = rng.choice(3, size=500, p=p)
    assert np.array_equal(coding.decode(coding.encode(message, code), code), message)


def test_single_symbol_and_zero_probability():
    assert coding.huffman_code([1.0]) == ["0"]
    code = coding.huffman_code([0.5, 0.5, 0.0])
    assert coding.is_prefix_free(code) and coding.expected_length([0.5, 0.5, 0.0], code) == 1.5


def test_block_coding_approaches_the_entropy():
    p = [0.8, 0.2]
    h = float(ct.entropy(p, base=2))
    rates = [coding.block_code_rate(p, k) for k in range(1, 9)]
    for k, rate in enumerate(rates, start=1):
        assert h <= rate < h + 1 / k
    assert rates[0] == 1.0 and rates[-1] - h < 0.015
    assert ct.entropy(coding.block_distribution(p, 3), base=2) == pytest.approx(3 * h, rel=1e-14)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: coding.huffman_code([0.5, 0.6]), "sum to 1"),
        (lambda: coding.huffman_code([[0.5, 0.5]]), "1-D"),
        (lambda: coding.huffman_code([-0.5, 1.5]), "p"),
        (lambda: coding.expected_length([0.5, 0.5], [1, 2, 3]), "3 codewords"),
        (lambda: coding.expected_length([0.5, 0.5], [1, 1.5]), "whole numbers"),
        (lambda: coding.kraft_sum("0101"), "codewords"),
        (lambda: coding.is_prefix_free(["0", "2"]), "0s and 1s"),
        (lambda: coding.encode([0, 3], ["0", "1"]), "symbol 3"),
        (lambda: coding.decode("011", ["0", "01"]), "prefix code"),
        (lambda: coding.decode("1", ["0", "10"]), "left over"),
        (lambda: coding.block_distribution([0.5, 0.5], 0), "k must be"),
        (lambda: coding.block_distribution(np.full(10, 0.1), 7), "too many"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_heapq_solution_agrees():
    """A learner-style Huffman (lengths only) gives the same expected length as the package."""
    rng = np.random.default_rng(2)
    for _ in range(20):
        p = rng.dirichlet(np.ones(6))
        heap = [(pi, i, [i]) for i, pi in enumerate(p)]
        heapq.heapify(heap)
        lengths = np.zeros(6, dtype=int)
        counter = 6
        while len(heap) > 1:
            a, _, ga = heapq.heappop(heap)
            b, _, gb = heapq.heappop(heap)
            lengths[ga + gb] += 1
            heapq.heappush(heap, (a + b, counter, ga + gb))
            counter += 1
        assert np.dot(p, lengths) == pytest.approx(coding.expected_length(p, coding.huffman_code(p)), abs=1e-12)

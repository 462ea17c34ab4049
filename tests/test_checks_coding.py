"""Battery for the Huffman exercise of notebook 01 (``ct.checks.huffman_lengths``)."""

import heapq

import numpy as np
import pytest
from checker_battery import battery, check_verdict

from ce_teach import coding
from ce_teach.checks import huffman_lengths


def huffman_model(p):  # the model solution of 01: merge the two least likely groups
    heap = [(pi, i, [i]) for i, pi in enumerate(p)]
    heapq.heapify(heap)
    lengths = np.zeros(len(p), dtype=int)
    while len(heap) > 1:
        a, i, group_a = heapq.heappop(heap)
        b, j, group_b = heapq.heappop(heap)
        lengths[group_a + group_b] += 1
        heapq.heappush(heap, (a + b, min(i, j), group_a + group_b))
    return lengths


def huffman_codewords(p):  # an alternative form: the codewords themselves
    return coding.huffman_code(p)


def other_tie_break(p):  # the largest-index-first tie break: a different, equally optimal code
    heap = [(pi, -i, [i]) for i, pi in enumerate(p)]
    heapq.heapify(heap)
    lengths = np.zeros(len(p), dtype=int)
    while len(heap) > 1:
        a, i, group_a = heapq.heappop(heap)
        b, j, group_b = heapq.heappop(heap)
        lengths[group_a + group_b] += 1
        heapq.heappush(heap, (a + b, min(i, j), group_a + group_b))
    return lengths


def notebook_solution(p):  # the solution shown in 01_entropy, with a list sorted at every step
    lengths = np.zeros(len(p), dtype=int)
    groups = [(pi, [i]) for i, pi in enumerate(p)]
    while len(groups) > 1:
        groups.sort(key=lambda group: group[0])
        (p0, s0), (p1, s1) = groups[0], groups[1]
        lengths[s0 + s1] += 1
        groups = [(p0 + p1, s0 + s1), *groups[2:]]
    return lengths


RIGHT = [huffman_model, huffman_codewords, other_tie_break, notebook_solution]


def test_the_notebook_solutions_numbers():
    """01's solution text: p = (0.4, 0.3, 0.2, 0.1) gives lengths 1, 2, 3, 3, L = 1.9 and H = 1.846 bits."""
    import ce_teach as ct

    p = np.array([0.4, 0.3, 0.2, 0.1])
    assert notebook_solution(p).tolist() == [1, 2, 3, 3]
    assert np.dot(p, notebook_solution(p)) == pytest.approx(1.9, abs=1e-15)
    assert round(float(ct.entropy(p, base=2)), 3) == 1.846


def merge_largest(p):
    heap = [(-pi, i, [i]) for i, pi in enumerate(p)]
    heapq.heapify(heap)
    lengths = np.zeros(len(p), dtype=int)
    while len(heap) > 1:
        a, i, group_a = heapq.heappop(heap)
        b, j, group_b = heapq.heappop(heap)
        lengths[group_a + group_b] += 1
        heapq.heappush(heap, (a + b, min(i, j), group_a + group_b))
    return lengths


WRONG = {
    "ideal lengths log2(1/p)": (lambda p: np.log2(1 / p), "whole number of bits"),
    "Shannon lengths ⌈log2(1/p)⌉": (lambda p: np.ceil(np.log2(1 / p)), "Shannon"),
    "floor: violates Kraft": (lambda p: np.maximum(np.floor(np.log2(1 / p)), 1), "Kraft"),
    "fixed length": (lambda p: np.full(len(p), int(np.ceil(np.log2(len(p))))), "fixed-length"),
    "sorted, wrong symbols": (lambda p: np.sort(huffman_model(p)), "wrong symbols"),
    "counts the root": (lambda p: huffman_model(p) + 1, "1 too long"),
    "merges the most likely": (merge_largest, "least"),
    "returns the expected length": (lambda p: float(np.dot(p, huffman_model(p))), "one number"),
    "not a prefix code": (lambda p: ["0", "01"] + ["1" * (k + 1) for k in range(1, len(p) - 1)], "prefix"),
}


def test_the_tie_case_admits_two_different_optimal_codes():
    """(0.4, 0.2, 0.2, 0.1, 0.1): both tie breaks are accepted although their lengths differ."""
    p = np.array([0.4, 0.2, 0.2, 0.1, 0.1])
    assert any(np.array_equal(case[0], p) for case in huffman_lengths.cases)
    assert not np.array_equal(huffman_model(p), other_tie_break(p))


def test_stub_crash_and_non_function():
    def stub(p):
        raise NotImplementedError

    assert huffman_lengths.check(stub).status == "not attempted"
    assert huffman_lengths.check(lambda p: None).status == "not attempted"
    assert "ZeroDivisionError" in huffman_lengths.check(lambda p: 1 / 0).message
    assert "pass your function" in huffman_lengths.check([1, 2]).message
    assert huffman_lengths.check(lambda p: object()).status == "wrong"  # never raises


def test_the_package_answer_gets_a_note():
    import ce_teach as ct

    result = huffman_lengths.check(lambda p: ct.coding.huffman_code(p))
    assert result.status == "correct" and "package's own answer" in result.message
    assert "Note" not in huffman_lengths.check(huffman_model).message


@pytest.mark.parametrize(("checker", "answer", "hint"), battery(huffman_lengths, RIGHT, WRONG))
def test_battery(checker, answer, hint):
    check_verdict(checker, answer, hint)

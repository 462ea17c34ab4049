"""Exercise for notebook 01: the codeword lengths of a Huffman code.

Several codes can be optimal for the same distribution (ties), so the checker does not compare lengths
with one answer. It accepts any whole-number lengths that a prefix code can have (Kraft: Σ 2^−ℓ ≤ 1)
and whose expected length Σ p·ℓ equals Huffman's, the smallest possible.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import coding
from .exercise import Checker, CheckResult, _short, calls_package

__all__ = ["huffman_lengths", "HuffmanLengths"]

_CASES = [
    np.array([0.4, 0.3, 0.2, 0.1]),
    np.array([0.7, 0.2, 0.1]),
    np.array([0.05, 0.4, 0.15, 0.3, 0.1]),  # not sorted: each length belongs to its own symbol
    np.array([0.25, 0.25, 0.25, 0.25]),
    np.array([0.4, 0.2, 0.2, 0.1, 0.1]),  # ties: lengths (1, 2, 3, 4, 4) and (2, 2, 2, 3, 3) are both optimal
    np.array([0.9, 0.05, 0.03, 0.02]),
    np.array([0.5, 0.5]),
]


class HuffmanLengths(Checker):
    """``checker(f)``: f(p) must return one whole-number codeword length per symbol of an optimal prefix code."""

    def __init__(self, name: str = "Huffman code lengths", cases=None):
        self.name = name
        self.cases = [(p,) for p in (_CASES if cases is None else cases)]

    def check(self, candidate: Callable) -> CheckResult:
        if not callable(candidate):
            return CheckResult("wrong", f"✗ {self.name}: pass your function itself, not {type(candidate).__name__}")
        for (p,) in self.cases:
            try:
                got = candidate(np.array(p, copy=True))
            except NotImplementedError:
                return self._not_attempted()
            except Exception as error:  # a learner's bug: report it, never raise
                return CheckResult("wrong", f"✗ {self.name}({_short(p)}) raised {type(error).__name__}: {error}")
            if got is None:
                return self._not_attempted()
            try:
                verdict = self._judge(p, got)
            except Exception as error:  # a diagnosis must not crash the notebook either
                verdict = f"could not read your result ({type(error).__name__}: {error})"
            if verdict:
                return CheckResult("wrong", f"✗ {self.name}({_short(p)}):\n    got {_shown(got)}\n  Hint: {verdict}")
        message = f"✓ {self.name}: an optimal prefix code on all {len(self.cases)} test inputs."
        used = calls_package(candidate, ("huffman_code", "canonical_code"))
        if used:
            message += (
                f"\n  Note: your function calls ct.coding.{used}, the package's own answer. That proves the "
                "checker works, not that you can write it: try it with plain Python."
            )
        return CheckResult("correct", message)

    @staticmethod
    def _judge(p: np.ndarray, got) -> str | None:
        """None if ``got`` is an optimal code for ``p``, else what is wrong with it."""
        if isinstance(got, list | tuple) and got and all(isinstance(w, str) for w in got):
            if not all(w and set(w) <= {"0", "1"} for w in got):
                return "codewords must be non-empty strings of 0s and 1s."
            if not coding.is_prefix_free(list(got)):
                return "your codewords are not a prefix code: one codeword is the start of another."
            got = [len(w) for w in got]
        lengths = np.asarray(got, dtype=float)
        if lengths.shape != p.shape:
            if lengths.ndim == 0:
                return (
                    f"you returned one number; return one codeword length per symbol (shape {p.shape}), "
                    "e.g. [1, 2, 3, 3]."
                )
            return f"return one codeword length per symbol: expected shape {p.shape}, got shape {lengths.shape}."
        ideal = np.log2(1 / p)
        if not np.all(np.isfinite(lengths)) or np.any(lengths != np.round(lengths)) or np.any(lengths < 1):
            if np.allclose(lengths, ideal):
                return (
                    "these are the ideal lengths log2(1/p); a codeword has a whole number of bits, "
                    "so they must be rounded, and the best rounding is what Huffman's merging finds."
                )
            return "codeword lengths must be whole numbers ≥ 1."
        kraft = float(np.sum(np.ldexp(1.0, -lengths.astype(int))))
        if kraft > 1:
            return (
                f"no prefix code has these lengths: Kraft's sum Σ 2^−ℓ = {kraft:g} is above 1 "
                "(the codewords would need more bit strings than there are)."
            )
        best = coding.expected_length(p, coding.huffman_code(p))
        mine = float(np.sum(p * lengths))
        if abs(mine - best) <= 1e-9:
            return None
        optimal = np.sort(coding.code_lengths(coding.huffman_code(p)))
        gap = f"expected length Σ p·ℓ = {mine:.6g} bits, but the best prefix code needs only {best:.6g}"
        merge_least = (
            "Merge the two *least* likely groups (not the most likely), and add one bit to every symbol in both."
        )
        if np.array_equal(np.sort(lengths), optimal) and lengths[np.argmax(p)] == lengths.max():
            return f"{gap}. The most likely symbol got the longest codeword. {merge_least}"
        if np.array_equal(np.sort(lengths), optimal):
            return (
                f"{gap}. The right lengths, given to the wrong symbols: length i belongs to symbol i, "
                "and the most likely symbols need the shortest codewords."
            )
        if np.array_equal(lengths, np.ceil(ideal)):
            return (
                f"{gap}. These are Shannon's lengths ⌈log2(1/p)⌉: a valid prefix code, but not the "
                "shortest. Huffman merges the two least likely groups, again and again."
            )
        if np.all(lengths >= 2) and abs(float(np.sum(p * (lengths - 1))) - best) <= 1e-9:
            return f"{gap}. Every length is 1 too long: do not count the root of the tree as a bit."
        if np.all(lengths == lengths[0]):
            return (
                f"{gap}. A fixed-length code gives every symbol the same length; give likely symbols shorter codewords."
            )
        return f"{gap}. {merge_least}"


def _shown(got) -> str:
    try:
        return _short(np.asarray(got))
    except Exception:  # noqa: BLE001 - only for display
        return repr(got)


huffman_lengths = HuffmanLengths()

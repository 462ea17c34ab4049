"""The machinery behind the check cells and the exercises.

``compare`` prints one Karpathy-style row, ``label | exact | close | max diff``, and raises if the two
arrays are not close, so a derivation that goes wrong stops the notebook instead of scrolling by.

An ``Exercise`` runs a learner's function on a few inputs against the package's own implementation,
and prints one of: ✓ correct; ✗ the first input that failed, expected vs got, and a hint from the
diagnoses (the typical mistakes: wrong log base, missing minus sign, nan from 0·log 0, …); or
"not attempted yet" for a stub that still raises NotImplementedError or returns None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np


def compare(label: str, got, expected, *, rtol: float = 1e-12, atol: float = 0.0) -> None:
    """Print ``label | exact | close | max diff`` for two arrays; raise AssertionError if not close."""
    got = np.asarray(got, dtype=float)
    expected = np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        raise AssertionError(f"{label}: shapes differ, got {got.shape} but expected {expected.shape}")
    exact = bool(np.array_equal(got, expected))
    close = bool(np.allclose(got, expected, rtol=rtol, atol=atol, equal_nan=False))
    with np.errstate(invalid="ignore"):
        both_inf = np.isinf(got) & (got == expected)
        diff = np.where(both_inf, 0.0, np.abs(got - expected))
    max_diff = float(np.max(diff)) if diff.size else 0.0
    print(f"{label:<44} | exact: {exact!s:<5} | close: {close!s:<5} | max diff: {max_diff:.1e}")
    if not close:
        raise AssertionError(f"{label}: not close (rtol={rtol}, atol={atol}); max diff {max_diff:.3e}")


@dataclass
class CheckResult:
    """What a checker found: ``status`` is 'correct', 'wrong' or 'not attempted'."""

    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "correct"


Diagnosis = Callable[[np.ndarray, np.ndarray, tuple], "str | None"]


class Checker:
    """What every checker shares: ``checker(f)`` prints the verdict of ``checker.check(f)``."""

    name: str

    def check(self, candidate: Callable) -> CheckResult:
        raise NotImplementedError

    def __call__(self, candidate: Callable) -> None:
        print(self.check(candidate).message)

    def _not_attempted(self) -> CheckResult:
        return CheckResult(
            "not attempted",
            f"… {self.name}: not attempted yet. Replace `raise NotImplementedError` with your code, "
            "then run this cell again.",
        )


@dataclass
class Exercise(Checker):
    """A checkable exercise: ``exercise(my_function)`` prints a verdict; ``exercise.check(f)`` returns it."""

    name: str
    reference: Callable
    cases: Sequence[tuple]
    diagnoses: Sequence[Diagnosis] = field(default_factory=tuple)
    rtol: float = 1e-9
    atol: float = 1e-12
    hint: str = ""

    def check(self, candidate: Callable) -> CheckResult:
        if not callable(candidate):
            return CheckResult("wrong", f"✗ {self.name}: pass your function itself, not {type(candidate).__name__}")
        for args in self.cases:
            shown = ", ".join(_short(a) for a in args)
            try:
                with np.errstate(all="ignore"):
                    got = candidate(*[np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args])
            except NotImplementedError:
                return self._not_attempted()
            except Exception as error:  # a learner's bug: report it, do not crash the notebook
                return CheckResult("wrong", f"✗ {self.name}({shown}) raised {type(error).__name__}: {error}")
            if got is None:
                return self._not_attempted()
            expected = np.asarray(self.reference(*args), dtype=float)
            try:
                got = np.asarray(got, dtype=float)
            except (TypeError, ValueError):
                return CheckResult("wrong", f"✗ {self.name}({shown}) returned {got!r}, not a number or an array")
            if got.shape != expected.shape:
                return CheckResult(
                    "wrong",
                    f"✗ {self.name}({shown}): expected shape {expected.shape}, got shape {got.shape}"
                    + self._hint(got, expected, args),
                )
            if not np.allclose(got, expected, rtol=self.rtol, atol=self.atol):
                return CheckResult(
                    "wrong",
                    f"✗ {self.name}({shown}):\n    expected {_short(expected)}\n    got      {_short(got)}"
                    + self._hint(got, expected, args),
                )
        return CheckResult("correct", f"✓ {self.name}: correct on all {len(self.cases)} test inputs.")

    def _hint(self, got, expected, args) -> str:
        for diagnose in self.diagnoses:
            with np.errstate(all="ignore"):
                message = diagnose(got, expected, args)
            if message:
                return f"\n  Hint: {message}"
        return f"\n  Hint: {self.hint}" if self.hint else ""


def _short(value) -> str:
    array = np.asarray(value)
    if array.dtype.kind in "fc":
        return np.array2string(array, separator=", ", formatter={"float_kind": lambda v: f"{v:.6g}"})
    return repr(value) if not isinstance(value, np.ndarray) else np.array2string(array, separator=", ")


# --- diagnoses shared by several exercises ------------------------------------------------------


def wrong_sign(got, expected, args):
    if np.allclose(got, -expected, rtol=1e-9) and not np.allclose(expected, 0):
        return "your result is the negative of the right one: did you forget the minus sign in −Σ p log p?"
    return None


def wrong_base(got, expected, args):
    if np.allclose(expected, 0):
        return None
    ratio = got / expected
    if np.allclose(ratio, np.log(2)):
        return "you answered in nats (np.log) but bits were asked for: use np.log2, or divide by np.log(2)."
    if np.allclose(ratio, 1 / np.log(2)):
        return "you answered in bits (np.log2) but nats were asked for: use the natural log np.log."
    if np.allclose(ratio, np.log(10) / np.log(2)) or np.allclose(ratio, np.log(2) / np.log(10)) or np.allclose(
        ratio, 1 / np.log(10)
    ):
        return "that looks like np.log10: use np.log2 for bits or np.log for nats."
    return None


def nan_from_zero_probability(got, expected, args):
    if np.isnan(got).any() and any(np.any(np.asarray(a) == 0) for a in args if isinstance(a, np.ndarray)):
        return "nan appears where a probability is 0: 0·log 0 is nan in NumPy, but the convention is 0·log 0 = 0."
    return None


def not_reduced(got, expected, args):
    if got.ndim == expected.ndim + 1:
        return "you returned one value per outcome: sum the terms along the last axis (axis=-1)."
    return None

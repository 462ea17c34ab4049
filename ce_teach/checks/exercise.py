"""The machinery behind the check cells and the exercises.

``compare`` prints one Karpathy-style row, ``label | exact | close | max diff``, and raises if the two
arrays are not close, so a derivation that goes wrong stops the notebook instead of scrolling by.

An ``Exercise`` runs a learner's function on a few inputs against the package's own implementation,
and prints one of: ✓ correct; ✗ the first input that failed, expected vs got (with as many digits as it
takes to see them differ, and the relative error), and a hint from the diagnoses (the typical mistakes:
wrong log base, missing minus sign, nan from 0·log 0, …); or "not attempted yet" for a stub that still
raises NotImplementedError or returns None. A checker never raises: whatever goes wrong, in the
learner's code or in the checker's own diagnoses, ends as a verdict.
"""

from __future__ import annotations

import types
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


FLOAT32_RTOL = 1e-6  # a correct float32 computation is this close to the exact answer; float64 is held to rtol

Diagnosis = Callable[[np.ndarray, np.ndarray, tuple], "str | None"]


class Checker:
    """What every checker shares: ``checker(f)`` prints the verdict of ``checker.check(f)``."""

    name: str

    def check(self, candidate: Callable) -> CheckResult:
        raise NotImplementedError

    def __call__(self, candidate: Callable) -> None:
        try:
            result = self.check(candidate)
        except Exception as error:  # the checker's own failure is still a verdict, never a traceback
            result = CheckResult(
                "wrong",
                f"✗ {self.name}: your answer could not be checked ({type(error).__name__}: "
                f"{error}). Does it return one number or array for the inputs shown?",
            )
        print(result.message)

    def _not_attempted(self) -> CheckResult:
        return CheckResult(
            "not attempted",
            f"… {self.name}: not attempted yet. Replace `raise NotImplementedError` with your code, "
            "then run this cell again.",
        )


@dataclass
class Exercise(Checker):
    """A checkable exercise: ``exercise(my_function)`` prints a verdict; ``exercise.check(f)`` returns it.

    ``package_answers`` names the ``ct`` functions that answer the exercise outright: a correct answer
    that calls one of them still gets ✓, with a note that it is the package's answer, not the learner's.
    """

    name: str
    reference: Callable
    cases: Sequence[tuple]
    diagnoses: Sequence[Diagnosis] = field(default_factory=tuple)
    rtol: float = 1e-9
    atol: float = 1e-12
    hint: str = ""
    package_answers: Sequence[str] = ()
    float32_atol: float | None = None

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
                return CheckResult(
                    "wrong", f"✗ {self.name}({shown}) raised {type(error).__name__}: {error}" + self._generic_hint()
                )
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
            rtol, atol = self.tolerance(args)
            if not np.allclose(got, expected, rtol=rtol, atol=atol):
                return CheckResult(
                    "wrong", f"✗ {self.name}({shown}):\n{difference(got, expected)}" + self._hint(got, expected, args)
                )
        message = f"✓ {self.name}: correct on all {len(self.cases)} test inputs."
        used = calls_package(candidate, self.package_answers)
        if used:
            message += (
                f"\n  Note: your function calls ct.{used}, the package's own answer. That proves the checker "
                "works, not that you can write it: try it with NumPy alone."
            )
        return CheckResult("correct", message)

    def tolerance(self, args) -> tuple[float, float]:
        """(rtol, atol) for one test input. A float32 input is answered in float32 by a correct NumPy
        solution, so its answer is held to float32's precision: a relative 1e-6 (about eight float32
        rounding steps) and ``float32_atol`` where the answer can be near 0 (default: ``atol``)."""
        if any(isinstance(a, np.ndarray) and a.dtype.kind == "f" and a.dtype.itemsize < 8 for a in args):
            return max(self.rtol, FLOAT32_RTOL), self.atol if self.float32_atol is None else self.float32_atol
        return self.rtol, self.atol

    def _hint(self, got, expected, args) -> str:
        """The first diagnosis that recognises the mistake. Diagnoses may assume matching shapes: one that
        fails is passed over, never raised."""
        for diagnose in self.diagnoses:
            try:
                with np.errstate(all="ignore"):
                    message = diagnose(got, expected, args)
            except Exception:  # a diagnosis written for another shape of mistake
                continue
            if message:
                return f"\n  Hint: {message}"
        return self._generic_hint()

    def _generic_hint(self) -> str:
        return f"\n  Hint: {self.hint}" if self.hint else ""


def difference(got: np.ndarray, expected: np.ndarray) -> str:
    """Expected and got, printed with as many digits as it takes to see them differ, and the largest
    relative error (``got`` and ``expected`` have the same shape)."""
    for digits in range(6, 18):

        def fmt(v, d=digits):
            return f"{v:.{d}g}"

        a, b = (np.array2string(np.asarray(v), separator=", ", formatter={"float_kind": fmt}) for v in (expected, got))
        if a != b:
            break
    with np.errstate(all="ignore"):
        error = np.abs(got - expected) / np.where(expected == 0, 1.0, np.abs(expected))
    finite = error[np.isfinite(error)]
    if (~np.isfinite(got) & np.isfinite(expected)).any():
        worst = "you returned nan or inf where the answer is finite"
    else:
        worst = f"largest relative error {np.max(finite):.2e}" if finite.size else ""
    lines = f"    expected {a}\n    got      {b}"
    return lines + (f"\n    ({worst})" if worst else "")


def calls_package(candidate: Callable, names: Sequence[str]) -> str | None:
    """The first of ``names`` that ``candidate`` reaches as ``ct.<name>`` (or a ce_teach function bound to that
    name), looking into nested functions and lambdas too; None if it calls none of them."""
    code = getattr(candidate, "__code__", None)
    if code is None or not names:
        return None
    used: set[str] = set()
    stack = [code]
    while stack:
        current = stack.pop()
        used.update(current.co_names)
        stack.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
    namespace = getattr(candidate, "__globals__", {})
    modules = [v for v in namespace.values() if isinstance(v, types.ModuleType)]
    from_package = any(module.__name__.startswith("ce_teach") for module in modules)
    for name in names:
        bound = namespace.get(name)
        if name in used and (from_package or getattr(bound, "__module__", "").startswith("ce_teach")):
            return name
    return None


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
    if (
        np.allclose(ratio, np.log(10) / np.log(2))
        or np.allclose(ratio, np.log(2) / np.log(10))
        or np.allclose(ratio, 1 / np.log(10))
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

"""One checker made of several Exercises: float64 cases at a tight tolerance, float32 cases at a float32 one.

A float32 input computed in float32 is right to about 1e-7 relative, and a float64 computation of it
differs from the package's float32 result by as much: one tolerance cannot serve both. ``Batteries``
runs its parts in turn and answers with the first verdict that is not ✓.
"""

from __future__ import annotations

from dataclasses import replace

from ._core import Checker, CheckResult, Exercise


class Batteries(Checker):
    """Several Exercises run in turn; the first verdict that is not ✓ is the answer.

    >>> import numpy as np
    >>> from ce_teach.checks._core import Exercise
    >>> double = Exercise("double", reference=lambda a: 2 * a, cases=[(np.array([1.0]),)])
    >>> both = Batteries("double", [double, float32_part(double, [(np.float32([0.1]),)])])
    >>> both.check(lambda a: a + a).message
    '✓ double: correct on all 2 test inputs.'
    """

    def __init__(self, name: str, parts: list[Exercise]):
        if not parts or not all(isinstance(part, Exercise) for part in parts):
            raise TypeError("parts must be a non-empty list of Exercise objects")
        self.name, self.parts = name, parts

    @property
    def cases(self) -> list[tuple]:
        return [case for part in self.parts for case in part.cases]

    def check(self, candidate) -> CheckResult:
        results = [part.check(candidate) for part in self.parts]
        for result in results:
            if not result.passed:
                return result
        shown = f"all {len(self.parts[0].cases)} test inputs"
        return CheckResult("correct", results[0].message.replace(shown, f"all {len(self.cases)} test inputs", 1))


def float32_part(exercise: Exercise, cases, *, atol: float = 1e-12) -> Exercise:
    """The same exercise on float32 ``cases``, to 1e-6 relative (a few float32 ulps) and ``atol`` absolute."""
    return replace(exercise, cases=list(cases), rtol=1e-6, atol=atol)

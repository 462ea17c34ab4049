"""Plumbing for notebook 08's bug hunt: run a buggy function and report NumPy's warnings as text.

A buggy snippet's symptom often includes a NumPy warning ("overflow encountered in exp"). Printed
as part of the symptom it is a lesson; let through as a Python warning it would make the notebook's
output depend on warning filters. ``call_showing_warnings`` turns the warnings into printed lines.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

__all__ = ["call_showing_warnings", "format_row"]


def call_showing_warnings(function: Callable, *args):
    """Call ``function(*args)``, print each warning it raised as one line, and return its result.

    Formula: none; ``result = function(*args)``, and each warning ``w`` is printed as
    ``NumPy says: <category>: <message>``.

    Shapes: whatever ``function`` takes and returns.

    Stability: not a numerical function; it only catches the warnings (all of them, every time, in
    the order raised) so that none leaks into the notebook's output as a Python warning.

    >>> import numpy as np
    >>> call_showing_warnings(np.log, np.array([0.0]))
    NumPy says: RuntimeWarning: divide by zero encountered in log
    array([-inf])
    """
    if not callable(function):
        raise TypeError(f"function must be callable, got {type(function).__name__}: {function!r}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args)
    for warning in caught:
        print(f"NumPy says: {warning.category.__name__}: {warning.message}")
    return result


def format_row(values, fmt: str = "9.4f") -> str:
    """A row of numbers as ``[v1, v2, ...]``, each formatted with ``fmt`` (a format spec such as ``".4g"``).

    Formula: ``"[" + ", ".join(format(v, fmt) for v in ravel(values)) + "]"``.

    Shapes: any array-like; it is flattened.

    Stability: not a numerical function; ``inf`` and ``nan`` print as ``inf`` and ``nan``.

    >>> format_row([1.0, float("inf"), 0.5], ".3g")
    '[1, inf, 0.5]'
    """
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a format spec string such as '.4g', got {type(fmt).__name__}: {fmt!r}")
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"values must be real numbers, got an array of dtype {array.dtype}")
    try:
        format(0.0, fmt)
    except ValueError as error:
        raise ValueError(f"fmt {fmt!r} is not a valid format spec for a number: {error}") from None
    return "[" + ", ".join(format(float(v), fmt) for v in array.ravel()) + "]"

"""Sliders for the sigmoid and binary cross-entropy (notebook 04): a shortcut over ``BCECurves``."""

from __future__ import annotations

from .. import _validate as v
from ..plotting.sigmoid import BCECurves
from ._figure import new_axes
from ._widget import LiveFigure, live

__all__ = ["bce_explorer"]
SHORTCUTS = ("bce_explorer",)  # the shortcuts on the tables (ce_teach.widgets.SHORTCUTS)

X_STEP = 0.1  # the logit slider's step: x walks through 16.5 and 17 exactly (both are float32 numbers)
Z_STEP = 0.1  # the label slider's step: 11 labels keep the readout's tables near 1 MB (tests/test_live.py)
LIMIT_STEPS = (10, 60)  # the logit range ±limit, in whole numbers: 60 shows float64's naive failure at 36.7


def _on_grid(value, name: str, step: float, lo: float, hi: float) -> float:
    """A start value that is a position of its slider (lo … hi in steps of ``step``), or a clear error."""
    value = v.real_number(value, name)
    positions = round((value - lo) / step) if lo <= value <= hi else None  # also refuses NaN
    if positions is None or abs(lo + positions * step - value) > 1e-9 * max(1.0, abs(value)):
        raise ValueError(
            f"{name} must be a position of its slider, {lo:g} to {hi:g} in steps of {step:g}; got {value!r}"
        )
    return round(lo + positions * step, 6)


def bce_explorer(x: float = 2.0, z: float = 1.0, *, dtype: str = "float64", limit: float = 60.0) -> LiveFigure:
    """Sliders for the logit x (±``limit``, steps of 0.1) and the (soft) label z (0 to 1, steps of 0.1), and a
    choice of dtype (float64, float32): loss and gradient curves, the point marked.

    The readout shows σ(x), the loss and its gradient twice: computed the naive way (σ first, then log, then
    automatic differentiation through that graph) and the stable way (``ce_teach``). The naive column turns
    to inf/nan where σ rounds to 1: above x ≈ 16.64 in float32 (from the slider's 16.7 on), above 36.74 in
    float64 (from 36.8 on). The stable column never does. σ is shown with the shortest digits of the dtype,
    so float32's 0.99999994 is not mistaken for 1; the loss and gradient with 6 significant digits.
    """
    limit = v.real_number(limit, "limit", "the logit range ±limit, a whole number from 10 to 60")
    if limit != int(limit) or not LIMIT_STEPS[0] <= limit <= LIMIT_STEPS[1]:
        raise ValueError(
            f"limit must be a whole number from {LIMIT_STEPS[0]} to {LIMIT_STEPS[1]} (the logit "
            f"slider's range ±limit), got {limit!r}"
        )
    limit = float(limit)
    x = _on_grid(x, "x", X_STEP, -limit, limit)
    z = _on_grid(z, "z", Z_STEP, 0.0, 1.0)
    plot = BCECurves(x, z, dtype=dtype, limit=limit, ax=new_axes(ncols=2))
    return live(plot, x=(-limit, limit, X_STEP), z=(0.0, 1.0, Z_STEP), dtype=["float64", "float32"])

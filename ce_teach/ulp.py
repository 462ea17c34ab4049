"""Measuring floating-point error in units in the last place (ulp): the tools of 04's "Going deeper".

- ``exact_bce(x, z)``: binary cross-entropy of two floats to 60 significant digits (``decimal``);
- ``ulp_error(computed, exact)``: (computed − exact) in ulps of the computed value's dtype;
- ``first_float(predicate, lo, hi, dtype)``: the first float where a monotone predicate turns true,
  found by bisection over the bit patterns;
- ``float32_stepwise_bce(labels, logits)``: TensorFlow's formula max(x, 0) − x·z + log1p(e^{−|x|})
  simulated one correctly rounded float32 operation at a time, and its float32 mean.

None of this is needed to use the losses; it is how the notebook proves its claims about digits.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from . import _validate as v

__all__ = ["exact_bce", "ulp_error", "first_float", "float32_stepwise_bce"]

_INT_OF = {np.dtype(np.float32): np.int32, np.dtype(np.float64): np.int64}


def exact_bce(x: float, z: float, *, digits: int = 60) -> Decimal:
    """Binary cross-entropy of the floats x (logit) and z (label) to ``digits`` significant digits.

    Formula: L = z·ln(1 + e^{−x}) + (1 − z)·ln(1 + e^{x}), evaluated in ``decimal`` arithmetic on the
    exact binary values of the two floats.

    Shapes: scalars only (one Decimal per call).

    Stability: both terms are non-negative for 0 ≤ z ≤ 1, so nothing cancels, and ``decimal`` has no
    overflow at the exponents a float can hold; 60 digits leave every float64 digit exact.

    >>> f"{exact_bce(0.0, 1.0):.12f}"
    '0.693147180560'
    """
    x, z = v.number(x, "x", what="logit"), v.number(z, "z", 0.0, 1.0, what="label")
    digits = v.whole_number(digits, "digits", minimum=20, maximum=1000)
    with localcontext() as ctx:
        ctx.prec = digits
        dx, dz = Decimal(x), Decimal(z)  # the exact values of the two floats
        return dz * (1 + (-dx).exp()).ln() + (1 - dz) * (1 + dx.exp()).ln()


def ulp_error(computed: np.floating, exact: Decimal | float) -> float:
    """(computed − exact) in units of the spacing of ``computed``'s dtype at the exact value.

    Formula: (computed − exact) / spacing(dtype(exact)), with the difference taken exactly.

    Shapes: ``computed`` is a NumPy float scalar (float16, float32 or float64: its dtype sets the
    spacing); ``exact`` a Decimal or a number.

    Stability: the subtraction is done in ``decimal``, so nothing is lost; a correctly rounded result
    has |error| ≤ 0.5.

    >>> import numpy as np
    >>> from decimal import Decimal
    >>> round(ulp_error(np.float32(0.1), Decimal("0.1")), 4)  # float32 stores 0.1 a fifth of an ulp high
    0.2
    """
    if not isinstance(computed, np.floating):
        raise TypeError(
            f"computed must be a NumPy float scalar (its dtype sets the ulp), got {type(computed).__name__}"
        )
    if not np.isfinite(computed):
        raise ValueError(f"computed must be finite, got {computed!r}")
    exact = Decimal(exact) if not isinstance(exact, Decimal) else exact
    if not exact.is_finite():
        raise ValueError(f"exact must be finite, got {exact!r}")
    spacing = np.spacing(computed.dtype.type(float(exact)))
    with localcontext() as ctx:
        ctx.prec = 60
        return float((Decimal(float(computed)) - exact) / Decimal(float(abs(spacing))))


def first_float(
    predicate: Callable[[np.floating], bool], lo: float, hi: float, dtype: DTypeLike = np.float64
) -> np.floating:
    """The smallest float t of ``dtype`` in (lo, hi] with ``predicate(t)`` true.

    Formula: bisection over the integers that the bit patterns of positive floats spell: those
    integers are ordered like the floats, so about 30 (float32) or 60 (float64) halvings find the
    exact float, with no step size to choose.

    Shapes: scalars. Requires 0 ≤ lo < hi, predicate(lo) false and predicate(hi) true, and a predicate
    that stays true once it turns true.

    >>> import numpy as np
    >>> float(first_float(lambda t: t >= 1.5, 1.0, 2.0))
    1.5
    """
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from None
    if dtype not in _INT_OF:
        raise ValueError(f"dtype must be float32 or float64, got {dtype.name}")
    lo, hi = v.number(lo, "lo", 0.0), v.number(hi, "hi")
    if not lo < hi:
        raise ValueError(f"need 0 ≤ lo < hi, got lo = {lo!r}, hi = {hi!r}")
    as_int = _INT_OF[dtype]
    a, b = int(np.array(lo, dtype).view(as_int)), int(np.array(hi, dtype).view(as_int))

    def at(i: int) -> np.floating:
        return np.array(i, as_int).view(dtype)[()]

    if predicate(at(a)) or not predicate(at(b)):
        raise ValueError("the predicate must be false at lo and true at hi")
    while b - a > 1:
        mid = (a + b) // 2
        if predicate(at(mid)):
            b = mid
        else:
            a = mid
    return at(b)


def _f32(value) -> np.ndarray:
    """Round to float32: one float32 operation, correctly rounded."""
    return np.asarray(value, dtype=np.float64).astype(np.float32)


def float32_stepwise_bce(labels: ArrayLike, logits: ArrayLike) -> tuple[np.ndarray, np.float32]:
    """TensorFlow's formula in float32, one correctly rounded operation at a time; and the float32 mean.

    Formula: L = max(x, 0) − x·z + log1p(exp(−|x|)), each operation rounded to float32 (exp and log1p
    are evaluated in float64 and rounded once, as a correctly rounding float32 library would); then
    the mean as a float32 running sum, one addition at a time, divided by N in float32.

    Shapes: ``labels`` z and ``logits`` x of the same shape (N,) with N ≥ 1, finite, 0 ≤ z ≤ 1; returns
    the N float32 losses and their float32 mean.

    Stability: the formula's exponent is never positive; the point is to see every rounding step.

    >>> import numpy as np
    >>> losses, mean = float32_stepwise_bce([0.0, 1.0], [0.0, 0.0])
    >>> str(mean)
    '0.6931472'
    """
    z = v.as_real_array(labels, "labels").astype(np.float64)
    x = v.as_real_array(logits, "logits").astype(np.float64)
    if z.shape != x.shape or z.ndim != 1 or z.size == 0:
        raise ValueError(f"labels and logits must be 1-D of the same non-zero length, got {z.shape} and {x.shape}")
    if not (np.isfinite(x).all() and np.isfinite(z).all()):
        raise ValueError("labels and logits must be finite")
    if ((z < 0) | (z > 1)).any():
        raise ValueError(f"labels must lie in [0, 1], got {z.tolist()}")
    x32, z32 = x.astype(np.float32), z.astype(np.float32)
    losses = _f32(_f32(np.maximum(x32, 0)) - _f32(x32 * z32))  # max(x, 0) − x·z: float32 ops, rounded
    exp32 = _f32(np.exp(-np.abs(x32).astype(np.float64)))  # exp(−|x|), rounded to float32
    losses = _f32(losses + _f32(np.log1p(exp32.astype(np.float64))))  # + log1p(exp), rounded; the sum, rounded
    total = np.float32(0)
    for value in losses:  # the sum, one float32 addition at a time
        total = np.float32(total + value)
    return losses, np.float32(total / np.float32(losses.size))

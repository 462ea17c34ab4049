"""Arbitrary-precision references (mpmath) for the accuracy tests, and an error measure in ulps.

Why not simply evaluate the textbook formulas with 50 digits? Because 50 digits are not enough for
them: log(e^0 + e^-100) keeps the e^-100 part with only ~7 correct digits, and for gaps above ~115 it
is lost completely, so a correct implementation would look wrong by 10^10 ulps. Every reference below
is therefore written with an identity that does not cancel (a sum of terms of one sign, or log1p of a
small number), and then 50 digits are far more than needed.

Inputs are converted exactly: ``mpf(float(v))`` represents a float16/32/64 value without rounding, so
the reference is the exact function of the exact input, and input rounding is never charged to the
implementation.

    >>> float(softplus(-40.0))
    4.248354255291589e-18
    >>> ulp_error(0.1, mpf(1) / 10, np.float64)
    0.4
"""

from __future__ import annotations

import functools

import mpmath
import numpy as np

# Our own context, so that the precision cannot be changed by (or change) anybody else's mpmath code.
mp = mpmath.MPContext()
mp.dps = 50

INF = mp.inf


def mpf(v) -> mpmath.mpf:
    """The exact value of a float (any NumPy float dtype or Python float) as an mpmath number."""
    return mp.mpf(float(v))


def _times(coefficient, value):
    """coefficient·value with 0·∞ = 0: a label of 0 switches its term off, even at an infinite logit."""
    return mp.zero if coefficient == 0 else coefficient * value


# --- elementwise: the sigmoid family -------------------------------------------------------------


@functools.cache
def softplus(v: float) -> mpmath.mpf:
    """log(1 + e^v) = v + log1p(e^-v) for v > 0 (both terms positive), else log1p(e^v) (tiny argument)."""
    v = mpf(v)
    if v == INF:
        return INF
    if v > 0:
        return v + mp.log1p(mp.exp(-v))
    return mp.log1p(mp.exp(v))  # e^-inf = 0 gives exactly 0


def sigmoid(v: float) -> mpmath.mpf:
    """σ(v) = 1 / (1 + e^-v); no cancellation anywhere (1 + e^-v > 1)."""
    return 1 / (1 + mp.exp(-mpf(v)))


def log_sigmoid(v: float) -> mpmath.mpf:
    """log σ(v) = −softplus(−v)."""
    return -softplus(-float(v))


def bce(z: float, x: float) -> mpmath.mpf:
    """Binary cross-entropy from a logit: z·softplus(−x) + (1 − z)·softplus(x), two non-negative terms."""
    z = mpf(z)
    return _times(z, softplus(-float(x))) + _times(1 - z, softplus(float(x)))


def weighted_bce(z: float, x: float, q: float) -> mpmath.mpf:
    """Positive-weighted binary cross-entropy: q·z·softplus(−x) + (1 − z)·softplus(x)."""
    z, q = mpf(z), mpf(q)
    return _times(q * z, softplus(-float(x))) + _times(1 - z, softplus(float(x)))


# --- rows: the softmax family --------------------------------------------------------------------


@functools.cache
def _row(row: tuple[float, ...]):
    """(m, [x_j − m], log1p(S)) for one row, with m = max and S = Σ_{k≠argmax} e^{x_k − m}.

    The maximum's own term e^0 = 1 is kept out of S, so log1p(S) is accurate however small S is.
    Entries of −inf contribute e^-inf = 0. Requires a finite maximum.
    """
    x = [mpf(v) for v in row]
    i = max(range(len(x)), key=lambda k: x[k])  # first argmax
    m = x[i]
    shifts = [xk - m for xk in x]  # ≤ 0; −inf stays −inf
    s = mp.fsum(mp.exp(d) for k, d in enumerate(shifts) if k != i and d != -INF)
    return m, shifts, mp.log1p(s)


def _key(row) -> tuple[float, ...]:
    return tuple(float(v) for v in row)


def logsumexp(row) -> mpmath.mpf:
    """log Σ_j e^{x_j} = m + log1p(S); −inf for a row that is all −inf."""
    row = _key(row)
    if max(row) == -np.inf:
        return -INF
    m, _, log1p_s = _row(row)
    return m + log1p_s


def log_softmax(row) -> list:
    """log S(x)_j = (x_j − m) − log1p(S): two non-positive terms, so nothing cancels."""
    _, shifts, log1p_s = _row(_key(row))
    return [d - log1p_s for d in shifts]


def softmax(row) -> list:
    """S(x)_j = exp(log S(x)_j)."""
    return [mp.exp(v) for v in log_softmax(row)]


def softmax_cross_entropy(labels, row) -> mpmath.mpf:
    """Σ_j y_j·(−log S(x)_j): non-negative terms; a label of 0 contributes 0 even where log S = −inf."""
    return mp.fsum(_times(mpf(y), -v) for y, v in zip(labels, log_softmax(row), strict=True))


def sparse_softmax_cross_entropy(label: int, row) -> mpmath.mpf:
    """−log S(x)_label."""
    return -log_softmax(row)[int(label)]


def logsumexp_condition(row) -> float:
    """Relative condition number of logsumexp: |Σ_k S(x)_k·x_k| / |logsumexp(x)|.

    A relative change δ in every x_k changes the result by about δ·Σ_k S_k·x_k, so when the result sits
    near 0 while the logits do not (e.g. max −0.69 and lse ≈ 1e-10) no float algorithm can keep all its
    digits: the final m + log1p(S) cancels. Large values mean "ill-conditioned, expect lost digits".
    """
    lse = logsumexp(row)
    weighted = mp.fsum(p * mpf(x) for p, x in zip(softmax(row), row, strict=True) if p != 0)
    return float(abs(weighted) / abs(lse)) if lse != 0 else float("inf")


# --- information theory -------------------------------------------------------------------------


def kl_divergence(p, q) -> mpmath.mpf:
    """D_KL(p‖q) = Σ_i p_i·log(p_i/q_i), with 0·log(0/q) = 0 and +inf where q_i = 0 < p_i."""
    total = mp.zero
    for pi, qi in zip(p, q, strict=True):
        pi, qi = mpf(pi), mpf(qi)
        if pi > 0:
            total += INF if qi == 0 else pi * mp.log(pi / qi)
    return total


# --- comparing a float result with a reference ----------------------------------------------------


def nearest(reference, dtype) -> np.floating:
    """The reference correctly rounded to ``dtype`` (float16/32/64; normal range).

    Rounding to float64 first and then to float32 can round twice; rounding the mpf to the dtype's
    precision directly cannot.
    """
    dtype = np.dtype(dtype)
    bits = np.finfo(dtype).nmant + 1  # 53, 24 or 11 significant bits
    with mp.workprec(bits):
        return dtype.type(float(+reference))  # unary + rounds to the working precision


def ulp_error(computed, reference, dtype) -> float:
    """|computed − reference| in units in the last place of ``dtype`` at the reference.

    The ulp is ``np.spacing`` of |reference| rounded to ``dtype``, so 0.5 is the best any ``dtype``
    result can do and "≤ 1 ulp" means one of the two neighbouring ``dtype`` numbers. The difference is
    taken in mpmath, so the measure itself adds no rounding error. Special cases:

    * an infinite reference must be matched exactly (else ``inf``);
    * a reference of exactly 0 must come back as ±0 (else ``inf``);
    * NaN, or an infinity where the reference is finite, is a failure (``inf``).
    """
    dtype = np.dtype(dtype)
    c = float(computed)
    if mp.isinf(reference):
        return 0.0 if c == float(reference) else float("inf")
    if np.isnan(c) or np.isinf(c):
        return float("inf")
    if reference == 0:
        return 0.0 if c == 0 else float("inf")
    rounded = abs(nearest(reference, dtype))
    if np.isinf(rounded):  # the true value is beyond the dtype's range: the only right answer is ±inf
        return float("inf")
    ulp = mpf(np.spacing(rounded))
    return float(abs(mpf(c) - reference) / ulp)


def ulp_errors(computed, references, dtype) -> np.ndarray:
    """``ulp_error`` for each pair of an array of results and a same-length list of references."""
    computed = np.asarray(computed).ravel()
    return np.array([ulp_error(c, r, dtype) for c, r in zip(computed, references, strict=True)])

"""How biased is the sampled-softmax estimate? The moments of its importance weights, and the series they give.

The log-Q corrected sampled softmax (``ce_teach.sampling``) estimates the normaliser of example n as
Ẑ = e^{x_c} + (1/k) Σ_j [s_j ≠ c] e^{x_{s_j}} / Q(s_j) with s_j ~ Q. Divided by Z this is
Ẑ/Z = p_c + (1/k) Σ_j w_j, a mean of k independent importance weights w = [s ≠ c] p_s / Q(s), whose mean is
1 − p_c. With u = Ẑ/Z − 1 (mean 0), the bias of the loss estimate log Ẑ − x_c is E[log(1 + u)], and Taylor's
series log(1 + u) = u − u²/2 + u³/3 − … gives, term by term,

    bias ≈ −μ₂/(2k) + μ₃/(3k²) − …,

where μ₂ and μ₃ are the central moments of one weight (E[u²] = μ₂/k and E[u³] = μ₃/k² for a mean of k
independent draws). The series is only asymptotic: it describes the bias once k is large compared with the
weights' spread and skewness, and at small k its later terms can be larger than its first.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v

__all__ = ["weight_moments", "bias_expansion"]


def weight_moments(probabilities: ArrayLike, proposal: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Central moments μ₂, μ₃ of one importance weight w = [s ≠ c]·p_s/Q(s), s ~ Q, for every example.

    Formula: m = 1 − p_c;  μ_r = Σ_s Q(s)·(w_s − m)^r  for r = 2, 3.

    Shapes: ``probabilities`` (N, V) rows of the model's softmax; ``proposal`` (V,) the sampling distribution Q
    (positive, summing to 1); ``labels`` (N,) integer classes c in [0, V). Returns two arrays of shape (N,).

    Stability: exact sums of non-negative probabilities, Q > 0 is required (the weights divide by Q).

    >>> import numpy as np
    >>> p = np.array([[0.5, 0.25, 0.25]])
    >>> mu2, mu3 = weight_moments(p, np.full(3, 1 / 3), np.array([0]))
    >>> round(float(mu2[0]), 12), round(float(mu3[0]), 12)
    (0.125, -0.03125)
    """
    p = v.as_real_array(probabilities, "probabilities").astype(float)
    q = v.as_real_array(proposal, "proposal").astype(float)
    c = v.as_real_array(labels, "labels")
    if p.ndim != 2 or not np.all(np.isfinite(p)) or np.any(p < 0) or not np.allclose(p.sum(axis=1), 1, atol=1e-9):
        raise ValueError(f"probabilities must be an (N, V) array of rows that sum to 1, got shape {p.shape}")
    if q.shape != (p.shape[1],) or not np.all(q > 0) or not np.isclose(q.sum(), 1, atol=1e-9):
        raise ValueError(f"proposal must hold {p.shape[1]} positive probabilities that sum to 1, got shape {q.shape}")
    if c.shape != (p.shape[0],) or c.dtype.kind not in "iu" or np.any(c < 0) or np.any(c >= p.shape[1]):
        raise ValueError(f"labels must be {p.shape[0]} integers in [0, {p.shape[1]}), got {c!r}")
    rows = np.arange(p.shape[0])
    w = p / q
    w[rows, c] = 0.0  # the label is never a sampled candidate: accidental hits are removed
    centred = w - (1.0 - p[rows, c])[:, None]
    return (q * centred**2).sum(axis=1), (q * centred**3).sum(axis=1)


def bias_expansion(mu2: ArrayLike, mu3: ArrayLike, k: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The first two terms of the sampled-softmax bias series, averaged over examples, for each k.

    Formula: second = −mean(μ₂)/(2k);  third = second + mean(μ₃)/(3k²).

    Shapes: ``mu2``, ``mu3`` (N,) from ``weight_moments``; ``k`` a count or an array of counts ≥ 1. Returns
    (second-order, third-order) predictions with the shape of ``k``.

    Stability: plain arithmetic; no cancellation beyond the sum of the two terms.

    >>> second, third = bias_expansion(np.array([8.0]), np.array([30.0]), np.array([16, 1024]))
    >>> second.tolist(), [round(v, 6) for v in third.tolist()]
    ([-0.25, -0.00390625], [-0.210938, -0.003897])
    """
    mu2, mu3 = v.as_real_array(mu2, "mu2").astype(float), v.as_real_array(mu3, "mu3").astype(float)
    k = v.as_real_array(k, "k").astype(float)
    if mu2.ndim != 1 or mu2.shape != mu3.shape or not np.all(np.isfinite(mu2)) or np.any(mu2 < 0):
        raise ValueError(
            f"mu2 and mu3 must be finite (N,) arrays of moments with mu2 ≥ 0, got {mu2.shape}, {mu3.shape}"
        )
    if not np.all(np.isfinite(mu3)):
        raise ValueError("mu3 must be finite")
    if not np.all(np.isfinite(k)) or np.any(k < 1):
        raise ValueError(f"k must be counts ≥ 1, got {k!r}")
    second = -mu2.mean() / (2 * k)
    return second, second + mu3.mean() / (3 * k**2)

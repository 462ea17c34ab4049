"""Exercises for notebooks 01–03: entropy, KL divergence, cross-entropy, perplexity."""

from __future__ import annotations

import numpy as np

from .. import information as info
from .exercise import Exercise, nan_from_zero_probability, not_reduced, wrong_base, wrong_sign

__all__ = ["entropy_bits", "kl_divergence_bits", "cross_entropy_nats", "perplexity"]

_P = [
    np.array([0.5, 0.25, 0.125, 0.125]),
    np.array([0.1, 0.2, 0.3, 0.4]),
    np.array([1.0, 0.0, 0.0]),
    np.array([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]]),
    # a square batch: summing over axis 0 gives the right shape but the wrong numbers
    np.array([[0.7, 0.2, 0.1], [0.25, 0.25, 0.5], [0.0, 0.9, 0.1]]),
]
# D_KL in bits: the first cases are also cross_entropy_nats'; the rest add p = q = 0 at one outcome
# (0·log(0/0) must count 0), q = 0 < p (D = +∞), and batches (one of them square)
_PQ_KL = [
    (np.array([0.5, 0.5]), np.array([0.9, 0.1])),
    (np.array([0.1, 0.6, 0.3]), np.array([0.3, 0.3, 0.4])),
    (np.array([0.0, 0.4, 0.6]), np.array([0.2, 0.4, 0.4])),
    (np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.75, 0.0])),
    (np.array([0.5, 0.5]), np.array([1.0, 0.0])),
    (np.array([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]]), np.array([[0.4, 0.6, 0.0], [0.3, 0.3, 0.4]])),
    (
        np.array([[0.7, 0.2, 0.1], [0.25, 0.25, 0.5], [0.0, 0.9, 0.1]]),
        np.array([[0.5, 0.3, 0.2], [0.2, 0.4, 0.4], [0.1, 0.8, 0.1]]),
    ),
]
_PQ = [
    (np.array([0.5, 0.5]), np.array([0.9, 0.1])),
    (np.array([0.1, 0.6, 0.3]), np.array([0.3, 0.3, 0.4])),
    (np.array([0.0, 0.4, 0.6]), np.array([0.2, 0.4, 0.4])),
]


def _swapped(reference):
    def diagnose(got, expected, args):
        p, q = args
        if np.allclose(got, reference(q, p)) and not np.allclose(expected, reference(q, p)):
            return "you computed it with p and q swapped: the target p comes first, D(p‖q) = Σ p log(p/q)."
        return None

    return diagnose


def _shape_safe(diagnose):
    """A diagnosis that only looks at results of the expected shape (a mismatch has its own hints)."""

    def safe(got, expected, args):
        if np.shape(got) != np.shape(expected):
            return None
        return diagnose(got, expected, args)

    return safe


def _entropy_terms(p, *_):
    p = np.asarray(p, dtype=float)
    return -p * np.log2(p, out=np.zeros_like(p), where=p > 0)


def _kl_terms(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    with np.errstate(divide="ignore"):
        ratio = np.divide(p, q, out=np.ones_like(p), where=p > 0)
        return p * np.log2(ratio)


def _batch_mistakes(terms, finish=lambda h: h):
    """Hints for a sum over the wrong axis, over everything, kept dimensions, or no sum at all.

    ``terms(*args)`` are the per-outcome terms whose sum over the last axis is the answer before ``finish``.
    """

    def diagnose(got, expected, args):
        t = terms(*args)
        with np.errstate(all="ignore"):
            wrong = {
                "you kept the summed axis (keepdims=True): return one value per distribution, shape "
                f"{expected.shape}.": finish(t.sum(axis=-1, keepdims=True)),
                "you returned one value per outcome: sum the terms along the last axis (axis=-1).": finish(t),
            }
            if t.ndim >= 2:
                wrong[
                    "you summed over axis 0, down the batch: each row is one distribution, so sum along "
                    "the last axis (axis=-1)."
                ] = finish(t.sum(axis=0))
                wrong[
                    "you summed over every entry of the batch: with no axis, np.sum adds all rows "
                    "together. Sum along the last axis (axis=-1) to get one value per row."
                ] = finish(t.sum())
        for hint, value in wrong.items():
            if got.shape == np.shape(value) and np.allclose(got, value, equal_nan=True):
                return hint
        return None

    return diagnose


def _kl_zero_zero(got, expected, args):
    p, q = (np.asarray(a) for a in args)
    if np.isnan(got).any() and np.any((p == 0) & (q == 0)):
        return (
            "nan where p = q = 0: that outcome's term 0·log(0/0) must count 0. Skip every outcome with "
            "p = 0 before taking any log (np.log2(q) alone is −inf there, and 0·∞ is nan)."
        )
    return None


def _kl_infinite(got, expected, args):
    if np.shape(got) == np.shape(expected) and np.any(np.isinf(expected) & np.isfinite(got)):
        return (
            "where q = 0 but p > 0 the divergence is +∞ (q's code has no codeword for an outcome that "
            "happens): skip only outcomes with p = 0, never those with q = 0."
        )
    return None


def _kl_bits(p, q):
    return info.kl_divergence(p, q, base=2)


def _ce_nats(p, q):
    return info.cross_entropy(p, q)


def _perplexity(p):
    return 2.0 ** info.entropy(p, base=2)


entropy_bits = Exercise(
    "entropy in bits",
    reference=lambda p: info.entropy(p, base=2),
    cases=[(p,) for p in _P],
    diagnoses=[
        _batch_mistakes(_entropy_terms),
        *(_shape_safe(d) for d in (wrong_sign, wrong_base, nan_from_zero_probability)),
        not_reduced,
    ],
    hint="H(p) = −Σ p·log2(p), summed over the last axis, with 0·log 0 = 0.",
    package_answers=("entropy",),
)

kl_divergence_bits = Exercise(
    "D_KL(p‖q) in bits",
    reference=_kl_bits,
    cases=_PQ_KL,
    diagnoses=[
        _batch_mistakes(_kl_terms),
        _kl_zero_zero,
        _kl_infinite,
        *(_shape_safe(d) for d in (_swapped(_kl_bits), wrong_sign, wrong_base, nan_from_zero_probability)),
        not_reduced,
    ],
    hint="D_KL(p‖q) = Σ p·log2(p/q), skipping outcomes with p = 0.",
    package_answers=("kl_divergence", "cross_entropy", "entropy"),
)

# cross-entropy: the allowed inputs include an outcome with p = q = 0 (0·log 0 must count as 0), a batch with
# fewer rows than outcomes (so summing over the wrong axis changes the shape), and a q tiny where p > 0
_CE_CASES = [
    *_PQ,
    (np.array([0.0, 0.5, 0.5]), np.array([0.0, 0.25, 0.75])),  # p = q = 0: the naive −Σ p·log q gives nan
    (np.array([0.5, 0.5]), np.array([1 - 1e-15, 1e-15])),  # a confident mistake: ln(1e-15 + δ) ≠ ln 1e-15
    (
        np.array([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]]),  # a batch: 2 rows of 3 outcomes
        np.array([[0.7, 0.2, 0.1], [0.0, 0.5, 0.5]]),  # (row 1 gives q = 0 to an outcome p allows: loss ∞)
    ),
]
_CE_CASES_32 = [(np.float32([[0.0, 1.0], [0.25, 0.75]]), np.float32([[0.0, 1.0], [0.5, 0.5]]))]  # p = q = 0 again


def _ce_swapped(got, expected, args):
    p, q = args
    with np.errstate(all="ignore"):
        swapped = _ce_nats(q, p)
    if got.shape == swapped.shape and np.allclose(got, swapped) and not np.allclose(expected, swapped):
        return (
            "you computed H(q, p) = −Σ q·log p: p and q are swapped. The target p weights the model's "
            "log-probabilities: H(p, q) = −Σ p·log q. Cross-entropy is not symmetric."
        )
    return None


def _ce_summed_everything(got, expected, args):
    if got.ndim == 0 and expected.ndim >= 1 and np.isclose(got, np.sum(expected)):
        return "you summed over the whole batch: sum over the outcomes only (axis=-1), one H(p, q) per row."
    return None


def _ce_wrong_axis(got, expected, args):
    p = np.asarray(args[0])
    if p.ndim == 2 and got.shape == (p.shape[1],) != expected.shape:
        return "you summed over axis 0, down the batch: each row is one distribution, so sum over axis=-1."
    return None


def _ce_delta_in_log(got, expected, args):
    p, q = (np.asarray(a, dtype=float) for a in args)
    for delta in (1e-7, 1e-8, 1e-9, 1e-10, 1e-12):
        with np.errstate(all="ignore"):
            shifted = -np.sum(p * np.log(q + delta), axis=-1)
        if got.shape == shifted.shape and np.allclose(got, shifted, rtol=1e-9):
            return (
                f"you added {delta:g} inside the log: ln(q + {delta:g}) is not ln q when q is tiny (q = 1e-15 costs "
                "34.5 nats, not 20). Skip the outcomes with p = 0 instead: np.log(q, where=p > 0, out=...)."
            )
    return None


cross_entropy_nats = Exercise(
    "H(p, q) in nats",
    reference=_ce_nats,
    cases=[*_CE_CASES, *_CE_CASES_32],
    diagnoses=[
        _ce_summed_everything,
        _ce_wrong_axis,
        _ce_swapped,
        wrong_sign,
        wrong_base,
        nan_from_zero_probability,
        _ce_delta_in_log,
        not_reduced,
    ],
    hint="H(p, q) = −Σ p·ln q over the last axis, skipping outcomes with p = 0 (0·ln 0 counts as 0).",
    package_answers=("cross_entropy", "categorical_crossentropy", "softmax_cross_entropy_with_logits"),
)


def _perplexity_as_entropy(got, expected, args):
    if np.allclose(got, np.log2(expected)):
        return "that is the entropy in bits; perplexity is 2 to the power of it."
    if np.allclose(got, np.log(expected)):
        return "that is the entropy in nats; perplexity is e to the power of it (or 2 to the power of bits)."
    return None


def _perplexity_mixed_bases(got, expected, args):
    h_bits = info.entropy(args[0], base=2)
    if np.allclose(expected, 1):  # H = 0: every base gives perplexity 1, nothing to tell apart
        return None
    same_base = "the base of the power must match the log: 2 ** H_bits or e ** H_nats."
    if np.allclose(got, 2.0 ** (h_bits * np.log(2))):
        return f"you raised 2 to the entropy in nats: {same_base}"
    if np.allclose(got, np.exp(h_bits)):
        return f"you raised e to the entropy in bits: {same_base}"
    return None


perplexity = Exercise(
    "perplexity",
    reference=_perplexity,
    cases=[(p,) for p in _P],
    diagnoses=[
        _batch_mistakes(_entropy_terms, finish=lambda h: 2.0**h),
        *(_shape_safe(d) for d in (_perplexity_as_entropy, _perplexity_mixed_bases, nan_from_zero_probability)),
        not_reduced,
    ],
    hint="perplexity = 2 ** H_bits(p) = e ** H_nats(p).",
    package_answers=("entropy",),
)

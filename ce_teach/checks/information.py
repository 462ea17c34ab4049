"""Exercises for notebooks 01–03: entropy, KL divergence, cross-entropy, perplexity."""

from __future__ import annotations

import numpy as np

from .. import information as info
from ._core import Exercise, nan_from_zero_probability, not_reduced, wrong_base, wrong_sign

__all__ = ["entropy_bits", "kl_divergence_bits", "cross_entropy_nats", "perplexity"]

_P = [
    np.array([0.5, 0.25, 0.125, 0.125]),
    np.array([0.1, 0.2, 0.3, 0.4]),
    np.array([1.0, 0.0, 0.0]),
    np.array([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]]),
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
    diagnoses=[wrong_sign, wrong_base, nan_from_zero_probability, not_reduced],
    hint="H(p) = −Σ p·log2(p), summed over the last axis, with 0·log 0 = 0.",
)

kl_divergence_bits = Exercise(
    "D_KL(p‖q) in bits",
    reference=_kl_bits,
    cases=_PQ,
    diagnoses=[_swapped(_kl_bits), wrong_sign, wrong_base, nan_from_zero_probability, not_reduced],
    hint="D_KL(p‖q) = Σ p·log2(p/q), skipping outcomes with p = 0.",
)

cross_entropy_nats = Exercise(
    "H(p, q) in nats",
    reference=_ce_nats,
    cases=_PQ,
    diagnoses=[_swapped(_ce_nats), wrong_sign, wrong_base, nan_from_zero_probability, not_reduced],
    hint="H(p, q) = −Σ p·ln q, skipping outcomes with p = 0.",
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
    diagnoses=[_perplexity_as_entropy, _perplexity_mixed_bases, nan_from_zero_probability, not_reduced],
    hint="perplexity = 2 ** H_bits(p) = e ** H_nats(p).",
)

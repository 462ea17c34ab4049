"""Exercise for notebook 03: the bits per character of a bigram model on an encoded text.

The learner gets a table ``probs`` (V, V) with probs[a, b] = q(b | a) and a text as integer indices
``ids`` (n,), and returns the mean of −log2 probs[ids[t − 1], ids[t]] over the n − 1 predicted
characters. Each diagnosis recomputes one typical wrong answer and names the mistake.
"""

from __future__ import annotations

import numpy as np

from .. import bigram
from .exercise import Exercise, wrong_base, wrong_sign

__all__ = ["bits_per_char"]


def _losses(probs, ids):
    probs, ids = np.asarray(probs, dtype=float), np.asarray(ids)
    with np.errstate(divide="ignore"):  # q = 0 costs −log2 0 = ∞ bits: the honest answer, no warning
        return -np.log2(probs[ids[:-1], ids[1:]])


def _bits_per_char(probs, ids):
    return float(np.mean(_losses(probs, ids)))


def _close(got, value) -> bool:
    return got.shape == np.shape(value) and bool(np.allclose(got, value, rtol=1e-9, atol=1e-12))


def _summed(got, expected, args):
    if _close(got, np.sum(_losses(*args))):
        return "you summed the losses: bits *per character* is their mean, the sum divided by n − 1."
    return None


def _divided_by_n(got, expected, args):
    n = len(args[1])
    if _close(got, expected * (n - 1) / n):
        return (
            f"you divided by n = {n}, but only n − 1 = {n - 1} characters are predicted: the first one has "
            "no character before it."
        )
    return None


def _transposed(got, expected, args):
    probs, ids = args
    if _close(got, float(np.mean(-np.log2(np.asarray(probs)[ids[1:], ids[:-1]])))):
        return (
            "you looked up probs[next, previous]: row a of the table is the distribution of what "
            "follows a, so q(b | a) is probs[a, b]."
        )
    return None


def _not_averaged(got, expected, args):
    if got.ndim == 1 and got.size == len(args[1]) - 1:
        return "you returned one loss per predicted character: bits per character is their mean."
    return None


def _perplexity_instead(got, expected, args):
    if _close(got, 2.0**expected):
        return "that is the perplexity, 2 ** (bits per character); return the bits per character themselves."
    return None


def _skipped_impossible(got, expected, args):
    losses = _losses(*args)
    if np.isinf(expected) and got.ndim == 0 and np.isfinite(got):
        finite = losses[np.isfinite(losses)]
        if finite.size and (_close(got, np.mean(finite)) or _close(got, np.sum(finite) / losses.size)):
            return (
                "you skipped the pairs the model calls impossible (q = 0). One of them makes the loss infinite, and "
                "that is the honest answer: the model would need infinitely many bits for that character."
            )
    return None


def _delta_in_log(got, expected, args):
    if np.isinf(expected) and got.ndim == 0 and np.isfinite(got):
        return (
            "your answer is finite, but this text has a pair with q = 0, so −log2 0 = ∞ and the mean is ∞. Adding a "
            "small δ inside the log or clipping q hides that; smoothing the model (add-k) is the honest fix."
        )
    return None


def _cases():
    table_2 = np.array([[0.5, 0.5], [0.25, 0.75]])
    table_3 = np.array([[0.1, 0.6, 0.3], [0.7, 0.2, 0.1], [0.25, 0.25, 0.5]])
    model = bigram.fit("abracadabra", k=0.5, alphabet="abcdr")  # small, so a failure message stays short
    text = "cadabrabarda"
    return [
        (table_2, np.array([0, 1, 1, 0])),
        (table_3, np.array([0, 1, 0, 2, 2, 1, 2])),
        (model.probs, bigram.encode(text, "abcdr")),
        (np.array([[0.0, 1.0], [0.5, 0.5]]), np.array([1, 0, 1, 1, 0, 0])),  # 0 → 0 has q = 0: the loss is ∞
    ]


# a float32 table: computed in float32 the answer is right to a few float32 ulps, not to 1e-9
_CASES_32 = [(np.float32([[0.1, 0.6, 0.3], [0.7, 0.2, 0.1], [0.25, 0.25, 0.5]]), np.array([2, 2, 0, 1, 0, 2, 1]))]

bits_per_char = Exercise(
    "bits per character",
    reference=_bits_per_char,
    cases=[*_cases(), *_CASES_32],
    diagnoses=[
        _perplexity_instead,
        wrong_sign,
        wrong_base,
        _transposed,
        _summed,
        _divided_by_n,
        _not_averaged,
        _skipped_impossible,
        _delta_in_log,
    ],
    hint="the mean over t = 1 … n − 1 of −log2 probs[ids[t − 1], ids[t]].",
    package_answers=("bits_per_char", "perplexity", "losses"),
)

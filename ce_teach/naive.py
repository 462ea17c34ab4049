"""The textbook formulas exactly as people first write them, kept to show what goes wrong.

Nothing else in ``ce_teach`` uses this module. Each function is the direct transcription of a
formula, with no input checks and no stability tricks; NumPy's overflow/divide warnings are
silenced so that the *results* (inf, nan, a wrong 0) are what a learner sees. Compare each one with
its stable counterpart in the package.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "sigmoid",
    "sigmoid_cross_entropy",
    "softmax",
    "log_softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_eps",
    "entropy",
]


def sigmoid(x: ArrayLike) -> np.ndarray | np.floating:
    """σ(x) = 1 / (1 + e^{-x}): e^{-x} overflows for x < −709 (float64) or −88 (float32)."""
    x = np.asarray(x)
    with np.errstate(all="ignore"):
        return 1 / (1 + np.exp(-x))


def sigmoid_cross_entropy(labels: ArrayLike, logits: ArrayLike) -> np.ndarray | np.floating:
    """−z·log σ(x) − (1 − z)·log(1 − σ(x)): σ rounds to 1 for x > 37 (float64) or 17 (float32), then log(0)."""
    z, x = np.asarray(labels), np.asarray(logits)
    with np.errstate(all="ignore"):
        s = sigmoid(x)
        return -z * np.log(s) - (1 - z) * np.log(1 - s)


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """e^{x_i} / Σ_j e^{x_j} without the max shift: [1000, 0] gives inf/inf = nan."""
    x = np.asarray(x)
    with np.errstate(all="ignore"):
        e = np.exp(x)
        return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """log(softmax(x)): a probability that underflows to 0 becomes −inf."""
    with np.errstate(all="ignore"):
        return np.log(softmax(x, axis=axis))


def softmax_cross_entropy(labels: ArrayLike, logits: ArrayLike, axis: int = -1) -> np.ndarray | np.floating:
    """−Σ y·log(softmax(x)): nan or inf as soon as softmax overflows or underflows."""
    y = np.asarray(labels)
    with np.errstate(all="ignore"):
        return -(y * log_softmax(logits, axis=axis)).sum(axis=axis)


def softmax_cross_entropy_eps(
    labels: ArrayLike, logits: ArrayLike, eps: float = 1e-6, axis: int = -1
) -> np.ndarray | np.floating:
    """−Σ y·log(softmax(x) + ε): never inf, but biased by about −ε·Σ_j y_j / q_j."""
    y = np.asarray(labels)
    with np.errstate(all="ignore"):
        return -(y * np.log(softmax(logits, axis=axis) + eps)).sum(axis=axis)


def entropy(p: ArrayLike, axis: int = -1) -> np.ndarray | np.floating:
    """−Σ p·log p without the 0·log 0 = 0 convention: any zero probability gives nan."""
    p = np.asarray(p, dtype=float)
    with np.errstate(all="ignore"):
        return -(p * np.log(p)).sum(axis=axis)

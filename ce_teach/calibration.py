"""Calibration: does a model's confidence match how often it is right? And temperature scaling to fix it.

A classifier is calibrated when, among the examples it predicts with confidence 0.8, 80 % are right.
``reliability_curve`` groups the predictions by their top-label confidence max_j q_j into equal-width bins
and returns each bin's mean confidence, accuracy and count (what a reliability diagram plots);
``expected_calibration_error`` is the count-weighted mean gap |accuracy − confidence| (Guo et al. 2017,
"On Calibration of Modern Neural Networks", after Naeini et al. 2015). ``fit_temperature`` finds the one
number T that minimises the validation NLL of S(x / T); dividing every logit by T > 0 changes no argmax.

Binning: the edges are ``np.linspace(0, 1, n_bins + 1)`` and bin b holds the confidences in
(edge_b, edge_{b+1}], closed on the right, as in Guo et al.'s code (gpleiss/temperature_scaling,
``_ECELoss``: ``confidences.gt(bin_lower) * confidences.le(bin_upper)``). A confidence of exactly 1.0 falls
in the last bin; one of exactly 0 (impossible for a top label) would go to the first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v
from .activations import _softmax_rows, softmax
from .losses import sparse_softmax_cross_entropy_with_logits

__all__ = [
    "ReliabilityCurve",
    "reliability_curve",
    "expected_calibration_error",
    "fit_temperature",
    "temperature_nll_derivative",
    "smooth_labels",
    "nll",
]


def _check_n_bins(n_bins) -> int:
    return v.whole_number(n_bins, "n_bins", minimum=1)


def _probs_and_labels(probs, labels):
    q = v.as_real_array(probs, "probs")
    if q.ndim != 2 or q.shape[0] == 0:
        raise ValueError(f"probs must have shape (N, C) with N ≥ 1: one probability row per example, got {q.shape}")
    v.check_distribution(q, "probs", -1)
    y = v.as_real_array(labels, "labels")
    v.check_sparse_labels(y, q.shape)
    return q.astype(np.float64), y


@dataclass(frozen=True)
class ReliabilityCurve:
    """Per bin: ``edges`` (n_bins + 1,), ``confidence`` and ``accuracy`` (n_bins,), NaN where the bin is empty,
    and ``count`` (n_bins,) ints. ``gap`` = accuracy − confidence (negative: overconfident)."""

    edges: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray
    count: np.ndarray

    @property
    def gap(self) -> np.ndarray:
        return self.accuracy - self.confidence


def reliability_curve(probs: ArrayLike, labels: ArrayLike, *, n_bins: int = 15) -> ReliabilityCurve:
    """Mean top-label confidence, accuracy and count in each of ``n_bins`` equal-width confidence bins.

    Formula: conf_n = max_j q_nj, correct_n = [argmax_j q_nj = c_n]; bin b = {n : conf_n ∈ (b/B, (b+1)/B]};
    confidence_b = mean of conf_n over bin b, accuracy_b = mean of correct_n, count_b = |bin b|.

    Shapes: ``probs`` (N, C) rows that sum to 1; ``labels`` (N,) integers in [0, C). Result: a
    ``ReliabilityCurve`` of (n_bins,) arrays (and (n_bins + 1,) edges).

    Stability: the bin of each confidence is found by ``np.searchsorted`` on the stored edges, so a
    confidence equal to an edge goes to the bin it closes, exactly as the comparison conf ≤ upper would put it
    (no floor(conf·B), whose rounding can disagree at the edges). Ties in argmax go to the first class.

    >>> import ce_teach as ct
    >>> curve = ct.reliability_curve([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], n_bins=2)
    >>> curve.count.tolist(), curve.accuracy.tolist()
    ([0, 3], [nan, 0.6666666666666666])
    """
    b = _check_n_bins(n_bins)
    q, y = _probs_and_labels(probs, labels)
    confidence = q.max(axis=1)
    correct = (np.argmax(q, axis=1) == y).astype(np.float64)
    edges = np.linspace(0.0, 1.0, b + 1)
    index = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, b - 1)  # (lo, hi]
    count = np.bincount(index, minlength=b)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(index, weights=confidence, minlength=b) / count
        accuracy = np.bincount(index, weights=correct, minlength=b) / count
    return ReliabilityCurve(edges, mean_conf, accuracy, count)


def expected_calibration_error(probs: ArrayLike, labels: ArrayLike, *, n_bins: int = 15) -> float:
    """Top-label expected calibration error with equal-width bins (Guo et al. 2017), in [0, 1].

    Formula: ECE = Σ_b (count_b / N)·|accuracy_b − confidence_b| over the non-empty bins of
    ``reliability_curve`` (bins (b/B, (b+1)/B], B = ``n_bins``; Guo et al. use B = 15).

    Shapes: ``probs`` (N, C), rows summing to 1; ``labels`` (N,) integers in [0, C). Result: a Python float.

    Stability: an empty bin has no accuracy and contributes nothing (it is skipped, not counted as a gap
    of 0 or NaN). ECE depends on B: report it with its bins. With N examples it cannot go below the
    sampling noise of about √(1/N) per bin, so compare ECEs on the same data only.

    >>> import ce_teach as ct
    >>> round(ct.expected_calibration_error([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]], [0, 1, 1], n_bins=2), 12)
    0.066666666667
    """
    curve = reliability_curve(probs, labels, n_bins=n_bins)
    used = curve.count > 0
    weights = curve.count[used] / curve.count.sum()
    return float(np.sum(weights * np.abs(curve.accuracy[used] - curve.confidence[used])))


def _logits_and_labels(logits, labels):
    x = v.as_real_array(logits, "logits")
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"logits must have shape (N, C) with N ≥ 1, got {x.shape}")
    v.check_finite(x, "logits")
    rows, _, _ = _softmax_rows(x, -1, "logits")
    y = v.as_real_array(labels, "labels")
    v.check_sparse_labels(y, x.shape)
    return rows.astype(np.float64), y


def _derivatives(beta: float, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """d/dβ and d²/dβ² of mean_n NLL(S(β·x_n), c_n): mean Σ_k S_k (x_k − x_c) and mean variance of x under S."""
    s = softmax(beta * x)
    centred = x - x[np.arange(len(y)), y][:, None]  # x_k − x_c: the derivative is a mean of Σ_k S_k·(x_k − x_c)
    first = np.sum(s * centred, axis=1)
    second = np.sum(s * centred**2, axis=1) - first**2
    return float(first.mean()), float(np.maximum(second, 0).mean())


def temperature_nll_derivative(logits: ArrayLike, labels: ArrayLike, temperature: float) -> float:
    """d/dT of the mean NLL of S(x / T): zero at the temperature ``fit_temperature`` returns.

    Formula: with β = 1/T, dNLL/dT = −(1/T²)·dNLL/dβ and dNLL/dβ = mean_n Σ_k S(βx_n)_k·(x_nk − x_nc).

    Shapes: ``logits`` (N, C) finite, ``labels`` (N,) integers; ``temperature`` > 0. Result: a float.

    Stability: Σ_k S_k·(x_k − x_c) is measured from the true class's logit, so no large x cancels.

    >>> import ce_teach as ct
    >>> ct.temperature_nll_derivative([[1.0, 0.0]], [0], 1.0) > 0  # T = 1 is too hot for one right example
    True
    """
    x, y = _logits_and_labels(logits, labels)
    t = _check_temperature(temperature)
    return -_derivatives(1.0 / t, x, y)[0] / t**2


def _check_temperature(temperature) -> float:
    return v.positive_number(temperature, "temperature")


def fit_temperature(logits: ArrayLike, labels: ArrayLike) -> float:
    """The temperature T > 0 that minimises the mean NLL of S(x / T) (temperature scaling, Guo et al. 2017).

    Formula: T* = 1/β*, β* = argmin_β mean_n [logsumexp(β·x_n) − β·x_nc]. The objective is convex in β
    (its second derivative is the mean variance of x under S(β·x)), so β* is the one zero of
    g(β) = mean_n Σ_k S(β·x_n)_k·(x_nk − x_nc).

    Shapes: ``logits`` (N, C) finite (validation logits of a trained model), ``labels`` (N,) integers. Result: float.

    Stability: safeguarded Newton on g inside a bracket [lo, hi] with g(lo) < 0 < g(hi): a Newton step that
    leaves the bracket is replaced by bisection; it stops when the bracket or the step is a few ulps wide, so
    T is as precise as g can be evaluated, not the result of a fixed number of gradient steps. No minimiser
    exists when every label is already a top logit (the NLL falls towards 0 as T → 0) or when the logits are
    no better than uniform on average (g(0) ≥ 0, T → ∞): both raise ``ValueError``.

    >>> import ce_teach as ct
    >>> t = ct.fit_temperature([[3.0, 0.0], [0.0, 3.0], [2.0, 0.0]], [0, 1, 1])
    >>> round(t, 10), abs(ct.temperature_nll_derivative([[3.0, 0.0], [0.0, 3.0], [2.0, 0.0]], [0, 1, 1], t)) < 1e-12
    (2.4863414492, True)
    """
    x, y = _logits_and_labels(logits, labels)
    at_top = x[np.arange(len(y)), y] >= x.max(axis=1)
    if at_top.all():
        raise ValueError(
            "every label already has the largest logit of its row, so the NLL keeps falling as T → 0 and no "
            "temperature minimises it; fit T on data the model gets wrong sometimes (a validation set)"
        )
    if _derivatives(0.0, x, y)[0] >= 0:
        raise ValueError(
            "the logits give the labels no more than the uniform distribution does on average (the NLL "
            "falls as T → ∞), so no finite temperature minimises it; is this a trained model's logits?"
        )
    lo, hi = 0.0, 1.0
    while _derivatives(hi, x, y)[0] < 0:
        lo, hi = hi, 2 * hi
        if not np.isfinite(hi * np.abs(x).max()):  # x / T would overflow before the NLL stops falling
            raise ValueError(
                "the NLL keeps falling as T → 0 until x / T overflows: the labels that are not the top logit lose "
                "by margins too small to matter, so no temperature minimises it"
            )
    beta = 0.5 * (lo + hi) if lo > 0 else 1.0
    for _ in range(200):
        g, h = _derivatives(beta, x, y)
        if g == 0:
            break
        lo, hi = (beta, hi) if g < 0 else (lo, beta)
        step = g / h if h > 0 else np.inf
        new = beta - step
        if not lo < new < hi:
            new = 0.5 * (lo + hi)
        if abs(new - beta) <= 4 * np.spacing(beta) or hi - lo <= 4 * np.spacing(hi):
            beta = new
            break
        beta = new
    return float(1.0 / beta)


def smooth_labels(labels: ArrayLike, num_classes: int, *, label_smoothing: float) -> np.ndarray:
    """Smoothed one-hot targets (1 − ε)·y + ε/C, as PyTorch's and Keras' categorical label smoothing.

    Formula: y_ε = (1 − ε)·onehot(c) + ε/C, ε = ``label_smoothing``: the true class gets 1 − ε + ε/C, every
    other class ε/C. Cross-entropy against y_ε equals (1 − ε)·CE(y, q) + ε·CE(u, q), u uniform.

    Shapes: ``labels`` integers of any shape (...) in [0, C); result (..., C) float64.

    Stability: exact arithmetic on small numbers; each row sums to 1 up to rounding.

    >>> import ce_teach as ct
    >>> ct.smooth_labels([1], 4, label_smoothing=0.1).tolist()
    [[0.025, 0.925, 0.025, 0.025]]
    """
    num_classes = v.whole_number(num_classes, "num_classes", minimum=1)
    eps = v.check_smoothing(label_smoothing)
    y = v.as_real_array(labels, "labels")
    v.check_size(8.0 * y.size * num_classes, "num_classes", f"{y.size} smoothed rows of {num_classes} classes")
    v.check_sparse_labels(y, (*y.shape, num_classes))
    out = np.full((*y.shape, num_classes), eps / num_classes)
    np.put_along_axis(out, y[..., None].astype(np.int64), 1.0 - eps + eps / num_classes, axis=-1)
    return out


def nll(logits: ArrayLike, labels: ArrayLike, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood of S(x / T): the held-out cross-entropy that temperature scaling minimises.

    Formula: NLL(T) = (1/N)·Σ_n −log S(x_n / T)_{c_n}.

    Shapes: ``logits`` (N, C), ``labels`` (N,) integers in [0, C); ``temperature`` a number > 0. Result: a float.

    Stability: ``sparse_softmax_cross_entropy_with_logits`` (max shift and log1p) on x / T, so a large logit or a
    small T never overflows.

    >>> import ce_teach as ct
    >>> round(ct.calibration.nll([[2.0, 0.0], [0.0, 2.0]], [0, 0], temperature=2.0), 12)
    0.813261687518
    """
    t = _check_temperature(temperature)
    x = v.as_real_array(logits, "logits")
    return float(np.mean(sparse_softmax_cross_entropy_with_logits(labels, x.astype(np.float64) / t)))

"""Exercises for notebooks 09 (training a classifier) and 10 (calibration, label smoothing, focal loss)."""

from __future__ import annotations

import numpy as np

from ..activations import log_softmax, softmax
from ..calibration import expected_calibration_error
from ..classifier import Network, loss_and_gradients
from ..focal import sparse_softmax_focal_loss_grad
from .exercise import Exercise

__all__ = ["softmax_regression_grad", "prior_loss", "ece", "focal_grad", "smoothing_logit_gap"]


def _close(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))


def _one_hot(labels, n_classes) -> np.ndarray:
    return np.eye(n_classes)[np.asarray(labels)]


# --- 09: ∂L/∂W of softmax regression ---------------------------------------------------------------


def _regression_grad(features, labels, weights):
    w = np.asarray(weights, dtype=float)
    net = Network(((w, np.zeros(w.shape[1])),))
    return loss_and_gradients(net, features, labels)[1][0][0]


_RNG = np.random.default_rng(9)
_REGRESSION = [
    (
        np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [1.0, 1.0, 0.0], [0.2, 0.1, 0.9]]),
        np.array([0, 1, 2, 1]),
        np.array([[0.5, -0.2, 0.1], [0.0, 0.3, -0.4], [0.2, 0.2, 0.2]]),
    ),
    (_RNG.uniform(0, 1, (6, 4)), np.array([3, 0, 1, 2, 3, 0]), _RNG.normal(0, 1, (4, 4))),
    (np.array([[1.0, 1.0], [1.0, 0.0]]), np.array([1, 0]), np.array([[400.0, -400.0], [400.0, 0.0]])),  # logits ±800
]


def _regression_mistakes(got, expected, args):
    x, labels, w = args
    n, c = len(labels), w.shape[1]
    s = softmax(x @ w)
    y = _one_hot(labels, c)
    if np.isnan(got).any() and not np.isnan(expected).any():
        return "nan for large logits: subtract each row's maximum before np.exp (the softmax of 05)."
    if got.shape == (n, c) and got.shape != expected.shape:
        return (
            "that is ∂L/∂x, the gradient with respect to the logits (shape N×C). The weights need one more "
            "chain-rule step: ∂L/∂W = Xᵀ·(S − Y)/N, shape D×C."
        )
    if np.isnan(got).any() and not np.isnan(expected).any():
        return "nan for large logits: subtract each row's maximum before np.exp (the softmax of 05)."
    if _close(got, n * expected):
        return "N times too big: the loss is the batch *mean*, so divide by N."
    if _close(got, -expected):
        return "the sign is flipped: the gradient is Xᵀ·(S − Y)/N (prediction minus target)."
    if _close(got, expected / c):
        return "C times too small: np.mean over the whole N×C array divides by N·C; divide by N only."
    if _close(got, x.T @ (s - labels[:, None]) / n):
        return "labels are class indices: build the one-hot Y = np.eye(C)[labels] before subtracting."
    e = np.exp(x @ w - (x @ w).max(axis=0))
    if _close(got, x.T @ (e / e.sum(axis=0) - y) / n):
        return "the softmax normalises each row (axis=1, one example), not each column (axis=0)."
    return None


softmax_regression_grad = Exercise(
    "∂L/∂W of softmax regression",
    reference=_regression_grad,
    cases=_REGRESSION,
    diagnoses=[_regression_mistakes],
    hint="logits x = X·W, S = softmax per row, Y one-hot: ∂L/∂W = Xᵀ·(S − Y)/N.",
    package_answers=("classifier",),
)


# --- 09 (transfer): the loss of the best constant prediction ---------------------------------------


def _prior_loss(counts):
    f = np.asarray(counts, dtype=float) / np.sum(counts)
    return -np.sum(np.where(f > 0, f * np.log(np.where(f > 0, f, 1.0)), 0.0))


_COUNTS = [
    (np.array([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]),),
    (np.array([90, 10]),),
    (np.array([5, 0, 5, 10]),),
    (np.array([7]),),
]


def _prior_mistakes(got, expected, args):
    (counts,) = args
    f = counts / counts.sum()
    if np.isnan(got).any():
        return "nan from a class with count 0: its term 0·log 0 counts as 0 (use np.where, or drop zero counts)."
    if np.isclose(got, np.log(len(counts))) and not np.isclose(expected, np.log(len(counts))):
        return (
            "that is ln C, the loss of the uniform prediction. The best constant prediction is the class "
            "frequencies f = counts / N, and its loss is the entropy −Σ f·ln f."
        )
    if np.isclose(got, expected / np.log(2)):
        return "that is in bits (log2); the loss is in nats: use np.log."
    if np.isclose(got, -expected) and expected != 0:
        return "the sign is flipped: −Σ f·ln f ≥ 0."
    if np.isclose(got, -np.log(f.max())):
        return "that is −ln of the largest frequency; the loss averages −ln f_c over all examples: −Σ f·ln f."
    nz = counts[counts > 0].astype(float)
    unnormalised = (-np.sum(nz * np.log(nz)), -np.sum(nz * np.log(nz / nz.sum())), counts.sum() * expected)
    if any(np.isclose(got, value) for value in unnormalised):
        return "normalise the counts to frequencies f = counts / counts.sum() first (and average over examples)."
    return None


prior_loss = Exercise(
    "loss of the best constant prediction",
    reference=_prior_loss,
    cases=_COUNTS,
    diagnoses=[_prior_mistakes],
    hint="predict q = f, the class frequencies, for every example: the mean of −ln f_c is −Σ_c f_c·ln f_c.",
    package_answers=("entropy",),
)


# --- 10: expected calibration error ----------------------------------------------------------------


def _ece_reference(probs, labels, n_bins):
    return expected_calibration_error(probs, labels, n_bins=n_bins)


def _random_probs(seed, n, c):
    rng = np.random.default_rng(seed)
    return softmax(rng.normal(0, 3, (n, c))), rng.integers(0, c, n)


_P1, _Y1 = _random_probs(1, 60, 5)
_EDGES = np.array(
    [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0], [0.75, 0.25, 0.0], [0.25, 0.75, 0.0], [0.5, 0.25, 0.25], [0.6, 0.4, 0.0]]
)
_ECE_CASES = [
    (_P1, _Y1, 15),
    (_EDGES, np.array([1, 1, 0, 0, 0, 0]), 4),  # confidences on the edges 0.5, 0.75 and a wrong 1.0
    (np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]), np.array([0, 1, 1, 1]), 10),
    (_P1.astype(np.float32), _Y1, 7),  # float32 probabilities
]


def _gaps(probs, labels, n_bins, *, confidence=None, right_closed=True):
    conf = probs.max(axis=1) if confidence is None else confidence
    correct = probs.argmax(axis=1) == labels
    edges = np.linspace(0, 1, n_bins + 1)
    out = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (conf > lo) & (conf <= hi) if right_closed else (conf >= lo) & (conf < hi)
        if inside.any():
            out.append((inside.mean(), correct[inside].mean() - conf[inside].mean()))
    return np.array(out)


def _ece_mistakes(got, expected, args):
    probs, labels, n_bins = args
    if np.isnan(got).any():
        return "nan: an empty bin has no mean; skip empty bins (they contribute nothing)."
    g = _gaps(probs, labels, n_bins)
    if _close(got, np.sum(g[:, 0] * g[:, 1])) or _close(got, abs(np.sum(g[:, 0] * g[:, 1]))):
        return "take |accuracy − confidence| in each bin before adding: over- and underconfident bins must not cancel."
    if _close(got, np.mean(np.abs(g[:, 1]))):
        return "weight each bin by its share of the examples, n_m / N, instead of averaging the bins equally."
    if _close(got, np.sum(np.abs(g[:, 1])) / n_bins):
        return "dividing by the number of bins counts empty bins too: weight each bin by n_m / N."
    if _close(got, np.sum(g[:, 0] * g[:, 1] ** 2)) or _close(got, np.sqrt(np.sum(g[:, 0] * g[:, 1] ** 2))):
        return "ECE uses the absolute gap |accuracy − confidence|, not its square."
    left = _gaps(probs, labels, n_bins, right_closed=False)  # [lower, upper): a confidence of 1.0 is in no bin
    candidates = [np.sum(left[:, 0] * np.abs(left[:, 1])), np.sum(left[:, 0] * np.abs(left[:, 1])) / left[:, 0].sum()]
    if any(_close(got, value) for value in candidates):
        return (
            "check the bin edges: bins are (lower, upper], closed on the right, so 0.5 belongs to (0.25, 0.5] "
            "and a confidence of 1.0 to the last bin."
        )
    true_class = _gaps(probs, labels, n_bins, confidence=probs[np.arange(len(labels)), labels])
    if _close(got, np.sum(true_class[:, 0] * np.abs(true_class[:, 1]))):
        return "the confidence is that of the predicted class, max_j q_j, not the probability of the true class."
    return None


ece = Exercise(
    "expected calibration error",
    reference=_ece_reference,
    cases=_ECE_CASES,
    diagnoses=[_ece_mistakes],
    hint="conf = max_j q_j, correct = argmax == label; bins (m/M, (m+1)/M]; ECE = Σ_m (n_m/N)·|acc_m − conf_m|.",
    package_answers=("expected_calibration_error", "reliability_curve"),
    float32_atol=1e-6,
)


# --- 10: the gradient of the softmax focal loss ----------------------------------------------------


def _focal_reference(labels, logits, gamma):
    return sparse_softmax_focal_loss_grad(labels, logits, gamma=gamma)


_FOCAL_CASES = [
    (np.array([0, 2, 1]), np.array([[2.0, 0.5, -1.0], [0.0, 1.0, 3.0], [1.0, -2.0, 0.5]]), 2.0),
    (np.array([1, 0]), np.array([[0.3, -0.4, 2.0, 0.0], [1.5, 1.0, 0.0, -3.0]]), 0.5),
    (np.array([0, 1]), np.array([[800.0, 0.0, -800.0], [2.0, 0.0, 1.0]]), 0.5),  # a certain, correct row
    (np.array([2]), np.array([[1.0, 2.0, 0.0]]), 0.0),
    (np.array([1, 2]), np.float32([[0.5, 3.0, -1.0], [4.0, 0.0, 1.0]]), 2.0),  # float32 logits
]


def _focal_mistakes(got, expected, args):
    labels, logits, gamma = args
    if np.isnan(got).any() and not np.isnan(expected).any():
        return (
            "nan on a row the model gets right with certainty: q_c = 1 makes (1 − q_c)^(γ−1) infinite for γ < 1 "
            "and −log q_c = 0. Write φ = (1 − q_c)^γ + γ·q_c·(1 − q_c)^(γ−1)·(−log q_c) so that 0·∞ never "
            "happens (φ = 0 when 1 − q_c = 0), and take log q_c from log_softmax."
        )
    r = np.arange(len(labels))
    s = softmax(logits)
    y = _one_hot(labels, logits.shape[1])
    p = s[r, labels]
    u = 1 - p
    if _close(got, s - y) and gamma > 0:
        return "that is cross-entropy's gradient S − y: γ > 0 scales each row by a factor φ that depends on q_c."
    with np.errstate(all="ignore"):
        if _close(got, (u**gamma)[:, None] * (s - y)):
            return (
                "you scaled S − y by (1 − q_c)^γ, but that factor depends on x too: the product rule adds "
                "γ·q_c·(1 − q_c)^(γ−1)·(−log q_c) to the factor φ."
            )
        ell = -log_softmax(logits)[r, labels]
        if _close(got, (u**gamma + gamma * u ** (gamma - 1) * ell)[:, None] * (s - y)):
            return "the derivative of (1 − q_c)^γ brings ∂q_c/∂x = q_c·(y − S): the second term of φ needs q_c."
        top = s.max(axis=1)
        if _close(got, ((1 - top) ** gamma + gamma * top * (1 - top) ** (gamma - 1) * -np.log(top))[:, None] * (s - y)):
            return "q_c is the probability of the true class c (labels), not of the predicted class."
    if _close(got, -expected):
        return "the sign is flipped: like cross-entropy's, the gradient is φ·(S − y)."
    if _close(got, expected / len(labels)):
        return "one gradient per row, not the batch mean: do not divide by N here."
    return None


focal_grad = Exercise(
    "∂/∂x of the softmax focal loss",
    reference=_focal_reference,
    cases=_FOCAL_CASES,
    diagnoses=[_focal_mistakes],
    hint="∂/∂x [−(1 − q_c)^γ·log q_c] = φ·(S − y) with φ = (1 − q_c)^γ + γ·q_c·(1 − q_c)^(γ−1)·(−log q_c).",
    package_answers=("sparse_softmax_focal_loss_grad",),
    float32_atol=1e-7,
)


# --- 10 (transfer): the logit gap that label smoothing asks for -------------------------------------


def _gap_reference(label_smoothing, num_classes):
    return np.log1p(num_classes * (1 - label_smoothing) / label_smoothing)


_GAP_CASES = [(0.1, 10), (0.2, 2), (0.05, 1000), (1.0, 4), (0.3, 3)]


def _gap_mistakes(got, expected, args):
    eps, c = args
    with np.errstate(all="ignore"):
        if np.isinf(got).any():
            return "with ε > 0 the smoothed target is a distribution with no zeros, so the best logits are finite."
        if _close(got, np.log((1 - eps) / eps)):
            return "the true class's target is 1 − ε + ε/C (it gets its share of ε too), the others' ε/C."
        if _close(got, np.log((1 - eps) / (eps / c))):
            return "the true class also receives ε/C: its target is 1 − ε + ε/C, not 1 − ε."
        if _close(got, np.log((1 - eps / 2) / (eps / 2))):
            return "that is binary smoothing toward ½ (Keras' binary_crossentropy); categorical smoothing gives ε/C."
        if _close(got, -expected):
            return "the sign is flipped: the true class's logit is the larger one."
        if _close(got, expected / np.log(2)) or _close(got, expected / np.log(10)):
            return "logits are natural logs of odds: use np.log."
    return None


smoothing_logit_gap = Exercise(
    "logit gap that label smoothing asks for",
    reference=_gap_reference,
    cases=_GAP_CASES,
    diagnoses=[_gap_mistakes],
    hint="CE is minimised at q = the smoothed target; q_c / q_j = e^(x_c − x_j) for softmax.",
)

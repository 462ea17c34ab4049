"""Exercises for notebook 08, the bug hunt: one checker per pitfall, each recognising the bug it is about.

Every checker compares the learner's fixed function with the package on a few inputs chosen so that
the bug shows (rows of different scale, confident mistakes, a probability that underflows, logits
past the overflow point of e^x at 709.78, ...). When the answer is wrong, each diagnosis recomputes
one known wrong answer (the original bug, a typical half-fix, or a fix that brings in another
pitfall) on the same input; the first that matches names the mistake.

``pitfall_test_batch`` is the transfer exercise: the learner designs a test batch, and the checker
runs the buggy versions of pitfalls 1, 3, 4 and 5 on it to see which of them the batch catches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..activations import log_softmax, sigmoid, softmax
from ..information import kl_divergence
from ..keras import EPSILON
from ..losses import (
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
)
from .exercise import Checker, CheckResult, Exercise, _short, wrong_base

__all__ = [
    "pitfall_softmax_twice",
    "pitfall_logits_as_probabilities",
    "pitfall_batch_max",
    "pitfall_log_of_softmax",
    "pitfall_epsilon_in_log",
    "pitfall_integer_labels",
    "pitfall_label_range",
    "pitfall_kl_order",
    "pitfall_test_batch",
]

SMALLEST_CAP = float(-np.log(np.nextafter(0.0, 1.0)))  # −ln 5e-324 = 744.44: no float δ > 0 caps lower
# float32's range for e^x: it overflows to inf past ln(3.4e38) = 88.72 (float64: 709.78) and rounds to 0 below
# ln(2^-150) = −103.97, half the smallest subnormal (float64: −745.13). Logits a float64 test never notices break it.
F32_EXP_OVERFLOW = float(np.log(np.finfo(np.float32).max))
F32_EXP_UNDERFLOW = float(np.log(np.finfo(np.float32).smallest_subnormal) - np.log(2.0))
# A float32 batch (what a network outputs): row 0 has a spread of 220 (x_max − mean = 140), row 1 lies 200 below
# row 0's largest logit, row 2 overflows e^x (e^100) although its mean shift is harmless. Each row's label has a
# loss that is not small next to its logits, so float32 can answer it to float32 precision.
_X32 = np.array([[200.0, 0.0, -20.0], [-10.0, -9.0, -8.0], [100.0, 99.0, 0.0]], dtype=np.float32)


def _same(got: np.ndarray, wrong) -> bool:
    """``got`` equals a known wrong answer (same shape; infinities and NaNs in the same places)."""
    try:
        with np.errstate(all="ignore"):
            wrong = np.asarray(wrong, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == wrong.shape and bool(np.allclose(got, wrong, rtol=1e-9, atol=1e-12, equal_nan=True))


def _mistakes(pairs: Sequence[tuple[Callable, str]]):
    """A diagnosis: the hint of the first known wrong answer that ``got`` equals."""

    def diagnose(got, expected, args):
        for wrong_answer, hint in pairs:
            try:
                with np.errstate(all="ignore"):
                    wrong = wrong_answer(*args)
            except Exception:  # this wrong answer cannot even be formed for these inputs
                continue
            if _same(got, wrong):
                return hint
        return None

    return diagnose


def _one_loss_per_row(got, expected, args):
    """The per-row losses were reduced to one number (a sum or a mean over the batch)."""
    if got.ndim == 0 and expected.ndim >= 1:
        with np.errstate(all="ignore"):
            what = (
                "their sum"
                if np.isclose(got, expected.sum(), rtol=1e-9)
                else "their mean"
                if np.isclose(got, expected.mean(), rtol=1e-9)
                else "one number"
            )
        return (
            f"you returned {what} over the whole batch; return one loss per example (shape {expected.shape}): "
            "sum over the class axis only, .sum(axis=-1), and leave the reduction to the caller."
        )
    return None


def _wrong_sign(got, expected, args):
    if (
        got.shape == expected.shape
        and np.all(np.isfinite(got))
        and not np.allclose(expected, 0)
        and np.allclose(got, -expected, rtol=1e-9, atol=1e-12)
    ):
        return "your loss is the negative of the right one: a cross-entropy is −Σ y·log q (mind the minus sign)."
    return None


def _capped(got, expected, args):
    """A loss that stops below the true loss of a confident mistake: any clip or δ in a log does this."""
    if got.shape != expected.shape:
        return None
    big = expected > SMALLEST_CAP
    with np.errstate(all="ignore"):
        short = big & np.isfinite(got) & (got < expected - 1)
    if not short.any():
        return None
    i = np.flatnonzero(short)[0]
    return (
        f"your loss stops at {got.ravel()[i]:.6g} nats where the true loss is {expected.ravel()[i]:.6g}: a clip "
        "or a δ added inside the log caps the loss at −ln δ. No δ > 0 is small enough: even the smallest float, "
        f"5e-324, caps it at {SMALLEST_CAP:.1f}. Compute from the logits: −Σ y·log_softmax(x)."
    )


def _gather(values, labels):
    labels = np.asarray(labels)
    return np.take_along_axis(values, labels[..., None], axis=-1)[..., 0]


def _one_hot(labels, n_classes):
    return np.eye(n_classes)[np.asarray(labels)]


_LOG_OF_SOFTMAX_HINT = (
    "log(softmax(x)) underflows: S(x) of a logit 800 below the largest is e^{−800}, stored as 0, and −log 0 = inf "
    "although the true loss is 800. That fixes pitfall 1 by bringing in pitfall 4: use log_softmax(x) "
    "(x − logsumexp(x)), never log of a probability."
)
_NO_SHIFT_F32_HINT = (
    f"log-sum-exp without the max shift: e^x overflows to inf past x ≈ {F32_EXP_OVERFLOW:.2f} in float32 (709.78 in "
    "float64), so the float32 logit 200 gives inf. Subtract each row's maximum first: "
    "x − logsumexp(x) = log_softmax(x)."
)
_BATCH_MAX_F32_HINT = (
    "one maximum for the whole batch (pitfall 3), in log space: row 1 of the float32 case lies 200 below the "
    f"batch's largest logit, and e^x rounds to 0 below x ≈ {F32_EXP_UNDERFLOW:.2f} in float32 (−745.13 in "
    "float64), so its log-sum-exp is log 0 = −inf. Use each row's maximum: x.max(axis=-1, keepdims=True)."
)
_MEAN_SHIFT_F32_HINT = (
    "you shifted by the row mean, not the maximum: the largest exponent is then x_max − mean > 0, and e^x overflows "
    f"past x ≈ {F32_EXP_OVERFLOW:.2f} in float32 (709.78 in float64: the float64 cases never get there). "
    "Subtract the row's maximum."
)


def _log_softmax_shifted_by(x, m):
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


def _row_mean(x):
    return x.mean(axis=-1, keepdims=True)


_EPS_HINT = (
    "you add a small δ inside the log. −Σ y·log(q + δ) is biased by about −δ·Σ y/q, and for q ≪ δ it stops "
    "growing at −ln δ (13.8 for 1e-6) while the true loss here is larger. Compute from the logits: log_softmax."
)


# --- 1. softmax applied twice ----------------------------------------------------------------------

_TWICE_CASES = [
    (np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), np.array([[20.0, 0.0, 0.0], [1.0, 2.0, -1.0]])),
    (np.array([[0.0, 0.0, 1.0, 0.0]]), np.array([[2.0, -3.0, 0.5, 8.0]])),
    (np.array([[1.0, 0.0, 0.0]]), np.array([[-800.0, 0.0, 0.0]])),  # a confident mistake: the loss is 800
    (np.eye(3, dtype=np.float32)[[2, 0, 2]], _X32),  # float32: no shift, or one max per batch, breaks here only
]

pitfall_softmax_twice = Exercise(
    "pitfall 1: softmax applied twice",
    reference=softmax_cross_entropy_with_logits,
    cases=_TWICE_CASES,
    diagnoses=[
        _mistakes(
            [
                (
                    lambda y, x: softmax_cross_entropy_with_logits(y, softmax(x)),
                    "still softmax twice: the loss function applies softmax itself, so give it the logits, not "
                    "softmax(x).",
                ),
                (
                    lambda y, x: softmax_cross_entropy_with_logits(y, softmax(softmax(x))),
                    "that is softmax three times: pass the raw logits to the loss.",
                ),
                (
                    lambda y, x: -(y * log_softmax(x)).sum(axis=0),
                    "you summed over axis 0 (the batch); the sum of cross-entropy runs over the classes, axis=-1.",
                ),
                (
                    lambda y, x: -(y * log_softmax(x, axis=0)).sum(axis=-1),
                    "your log_softmax runs along axis 0 (over the batch); softmax normalises each row: axis=-1.",
                ),
            ]
            + [
                (lambda y, x, d=d: -(y * np.log(softmax(x) + d)).sum(axis=-1), _EPS_HINT)
                for d in (1e-7, 1e-8, 1e-10, 1e-12, 1e-15)
            ]
            # after the δ forms: on moderate logits log(softmax(x)) and log(softmax(x) + δ) look alike
            + [(lambda y, x: -(y * np.log(softmax(x))).sum(axis=-1), _LOG_OF_SOFTMAX_HINT)]
            + [
                (lambda y, x: np.log(np.exp(x).sum(axis=-1)) - (y * x).sum(axis=-1), _NO_SHIFT_F32_HINT),
                (lambda y, x: -(y * _log_softmax_shifted_by(x, 0.0)).sum(axis=-1), _NO_SHIFT_F32_HINT),
                (lambda y, x: -(y * _log_softmax_shifted_by(x, x.max())).sum(axis=-1), _BATCH_MAX_F32_HINT),
                (lambda y, x: -(y * _log_softmax_shifted_by(x, _row_mean(x))).sum(axis=-1), _MEAN_SHIFT_F32_HINT),
            ]
        ),
        _capped,
        _one_loss_per_row,
        _wrong_sign,
    ],
    hint="loss = ct.softmax_cross_entropy_with_logits(labels, logits): the logits go in untouched.",
)


# --- 2. logits passed as probabilities -------------------------------------------------------------


def _keras3_probability_bce(z, p):
    """Keras 3's from_logits=False path (keras/src/backend/tensorflow/nn.py, binary_crossentropy), elementwise:
    clip to [ε, 1 − ε], then the textbook formula. Largest loss −ln 1e-7 = 16.118."""
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return -(z * np.log(p) + (1 - z) * np.log(1 - p))


def _tf_keras2_probability_bce(z, p):
    """tf.keras 2.x's path (keras/backend.py, binary_crossentropy): clip, then log(p + ε) and log(1 − p + ε).
    Largest loss −ln 2e-7 = 15.42."""
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return -(z * np.log(p + EPSILON) + (1 - z) * np.log(1 - p + EPSILON))


_LOGIT_CASES = [
    (np.array([1.0, 1.0, 0.0, 0.0]), np.array([3.0, -2.0, 0.4, -0.3])),
    (np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[20.0, -40.0], [0.0, 5.0]])),
    (np.array([1.0, 0.0, 1.0, 0.0]), np.array([800.0, -800.0, -800.0, 800.0])),  # past e^x's overflow at 709.78
    # float32, past its overflow point 88.72 but far below float64's
    (np.array([1.0, 0.0, 1.0, 0.0], dtype=np.float32), np.array([100.0, -100.0, -95.0, 95.0], dtype=np.float32)),
]

pitfall_logits_as_probabilities = Exercise(
    "pitfall 2: logits passed as probabilities",
    reference=sigmoid_cross_entropy_with_logits,
    cases=_LOGIT_CASES,
    diagnoses=[
        _mistakes(
            [
                # first: on the float64 cases it equals the right answer, so only the float32 case reaches it
                (
                    lambda z, x: np.where(x > 709.78, x, np.log1p(np.exp(x))) - x * z,
                    f"switching to x past 709.78 is float64's overflow point of e^x; in float32 e^x overflows "
                    f"already past x ≈ {F32_EXP_OVERFLOW:.2f} (the float32 case has x = 95 and 100). Use a form with "
                    "no threshold: max(x, 0) − x·z + log1p(e^{−|x|}), or np.logaddexp(0, x) − x·z.",
                ),
                (
                    _keras3_probability_bce,
                    "still treating logits as probabilities: the clip turns every logit above 1 into "
                    "1 − 1e-7 and every "
                    "negative one into 1e-7. Use the logits form (from_logits=True).",
                ),
                (
                    lambda z, x: _keras3_probability_bce(z, sigmoid(x)),
                    "sigmoid first, then the probability loss: right for moderate logits, but Keras 3's clip caps a "
                    "confident mistake at −ln(1e-7) = 16.118 (the true loss of logit 20 with label 0 is 20). Use the "
                    "logits form.",
                ),
                (
                    lambda z, x: _tf_keras2_probability_bce(z, sigmoid(x)),
                    "sigmoid first, then tf.keras 2.x's probability loss (clip, then log(p + 1e-7)): "
                    "it caps a confident "
                    "mistake at −ln(2e-7) = 15.42. Use the logits form.",
                ),
                (
                    lambda z, x: -(z * np.log(1 / (1 + np.exp(-x))) + (1 - z) * np.log(1 - 1 / (1 + np.exp(-x)))),
                    "the textbook formula on σ(x): σ(40) rounds to 1.0 and log(1 − 1.0) = −inf. Use the stable logits "
                    "form max(x, 0) − x·z + log(1 + e^{−|x|}).",
                ),
                (
                    lambda z, x: np.log1p(np.exp(x)) - x * z,
                    "log(1 + e^x) − x·z is the right formula, but e^x overflows to inf past x ≈ "
                    "709.78 (the cases include "
                    "x = 800). Write it as max(x, 0) − x·z + log1p(e^{−|x|}), or np.logaddexp(0, x) − x·z.",
                ),
                (
                    lambda z, x: (1 - z) * x + np.log1p(np.exp(-x)),
                    "(1 − z)·x + log(1 + e^{−x}) is PyTorch's formula, but e^{−x} overflows to inf for x below −709.78 "
                    "(the cases include x = −800). Use a stable softplus: np.logaddexp(0, −x).",
                ),
            ]
        ),
        _one_loss_per_row,
        _wrong_sign,
    ],
    hint="loss = ct.sigmoid_cross_entropy_with_logits(labels, logits), elementwise (Keras: from_logits=True).",
)


# --- 3. max over the whole batch -------------------------------------------------------------------


def _softmax_shifted_by(x, m):
    e = np.exp(x - m)
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_over_batch(x):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


_BATCH_CASES = [
    # square first: a max or a sum without keepdims broadcasts along the wrong axis here instead of raising
    (np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]]),),
    (np.array([[1.0, 2.0, 3.0], [0.5, 0.0, -0.5]]),),
    (np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0]]),),
    (np.array([1000.0, 0.0]),),
    (np.array([[-800.0, -801.0], [3.0, 0.0], [0.0, 0.0]]),),
    (_X32,),  # float32: a shift by the row mean overflows here (x_max − mean = 133 > 88.72), not in float64
]

pitfall_batch_max = Exercise(
    "pitfall 3: one max for the whole batch",
    reference=softmax,
    cases=_BATCH_CASES,
    diagnoses=[
        _mistakes(
            [
                (
                    lambda x: _softmax_shifted_by(x, x.max()),
                    "still one maximum for the whole batch: x.max() is the largest logit of *all* rows, and a row far "
                    "below it underflows to 0/0 = nan. Use x.max(axis=-1, keepdims=True).",
                ),
                (
                    lambda x: _softmax_shifted_by(x, x.min(axis=-1, keepdims=True)),
                    "you subtracted the row minimum: then the largest exponent is positive and can overflow. "
                    "Subtract the maximum.",
                ),
                (lambda x: _softmax_shifted_by(x, _row_mean(x)), _MEAN_SHIFT_F32_HINT),
                (
                    lambda x: _softmax_shifted_by(x, 0.0),
                    "no max shift at all: e^1000 overflows to inf and inf/inf = nan. Subtract each "
                    "row's maximum first.",
                ),
                (
                    _softmax_over_batch,
                    "you normalised along axis 0 (over the batch); softmax runs along the class axis, axis=-1.",
                ),
                (
                    lambda x: _softmax_shifted_by(x, x.max(axis=-1)),
                    "x.max(axis=-1) without keepdims has shape (N,), and broadcasting lines it up "
                    "with the columns, not "
                    "the rows: row i is shifted by the maxima of all rows. Use x.max(axis=-1, keepdims=True).",
                ),
                (
                    lambda x: (
                        np.exp(x - x.max(axis=-1, keepdims=True))
                        / np.exp(x - x.max(axis=-1, keepdims=True)).sum(axis=-1)
                    ),
                    "e.sum(axis=-1) without keepdims has shape (N,), and broadcasting divides the "
                    "columns by it, not the "
                    "rows. Use e.sum(axis=-1, keepdims=True).",
                ),
                (
                    lambda x: (
                        np.exp(x - x.max(axis=-1, keepdims=True)) / np.exp(x - x.max(axis=-1, keepdims=True)).sum()
                    ),
                    "e.sum() adds up the whole batch: each row must be divided by its own sum, e.sum(axis=-1, "
                    "keepdims=True).",
                ),
            ]
        ),
    ],
    hint="e = np.exp(x - x.max(axis=-1, keepdims=True)); return e / e.sum(axis=-1, keepdims=True)",
)


# --- 4. log(softmax(x)) underflowing to −inf -------------------------------------------------------

_LOG_CASES = [
    (np.array([0, 0]), np.array([[2.0, 1.0, 0.1], [-400.0, 400.0, 0.0]])),
    (np.array([1, 2, 0]), np.array([[3.0, -3.0, 3.0], [0.0, 0.0, 0.0], [5.0, 1.0, -1.0]])),
    (np.array([1]), np.array([[800.0, 799.0]])),
    (np.array([1]), np.array([[1000.0, 0.0]])),
    (np.array([2, 0, 2]), _X32),  # float32: one max for the whole batch underflows here, not in float64
]

pitfall_log_of_softmax = Exercise(
    "pitfall 4: log(softmax(x)) underflows",
    reference=sparse_softmax_cross_entropy_with_logits,
    cases=_LOG_CASES,
    diagnoses=[
        _mistakes(
            [
                (
                    lambda y, x: -np.log(_gather(softmax(x), y)),
                    "still log(softmax(x)): S(x)_y = e^{−800} is stored as 0, and −log 0 = inf although the loss is "
                    "800. Stay in log space: −log S(x)_y = logsumexp(x) − x_y (ct.log_softmax).",
                ),
                (
                    lambda y, x: -_gather(x - np.log(np.exp(x).sum(axis=-1, keepdims=True)), y),
                    "log space, but without the max shift: e^1000 = inf. Subtract the row maximum inside the "
                    "log-sum-exp.",
                ),
                (
                    lambda y, x: -log_softmax(x)[:, np.asarray(y)],
                    "log_softmax(x)[:, labels] picks the labels' columns for *every* row: an N × N table. Pair each "
                    "row with its own label: log_softmax(x)[np.arange(len(labels)), labels].",
                ),
                (lambda y, x: -_gather(_log_softmax_shifted_by(x, x.max()), y), _BATCH_MAX_F32_HINT),
                (
                    lambda y, x: -log_softmax(x).max(axis=-1),
                    "that is the loss of the most likely class in each row, not of the label: index with the labels.",
                ),
            ]
            + [
                (
                    lambda y, x, d=d: -np.log(_gather(softmax(x), y) + d),
                    "adding a small δ before the log hides the inf but caps the loss at −ln δ and "
                    "biases it (pitfall 5). "
                    "Use log_softmax.",
                )
                for d in (1e-7, 1e-8, 1e-10, 1e-12, 1e-15, 1e-300)
            ]
        ),
        _one_loss_per_row,
        _wrong_sign,
    ],
    hint="return -ct.log_softmax(logits)[np.arange(len(labels)), labels] "
    "(or ct.sparse_softmax_cross_entropy_with_logits).",
)


# --- 5. δ inside the log ---------------------------------------------------------------------------


def _delta_loss(delta):
    return lambda y, x: -(y * np.log(softmax(x) + delta)).sum(axis=-1)


_EPS_CASES = [
    (np.array([[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]]), np.array([[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]])),
    (np.array([[1.0, 0.0]]), np.array([[0.0, 30.0]])),
    # a confident mistake whose true loss, 1000, is above −ln δ for every float δ > 0: any clip shows
    (np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]]), np.array([[0.0, 1000.0, 0.0], [0.0, 2.0, -2.0]])),
    # float32 soft labels and logits: a shift by the row mean overflows here (x_max − mean = 140), not in float64
    (np.array([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0], [0.0, 0.5, 0.5]], dtype=np.float32), _X32),
]

pitfall_epsilon_in_log = Exercise(
    "pitfall 5: δ inside the log",
    reference=softmax_cross_entropy_with_logits,
    cases=_EPS_CASES,
    diagnoses=[
        _mistakes(
            [(_delta_loss(d), _EPS_HINT) for d in (1e-6, 1e-7, 1e-8, 1e-10, 1e-12, 1e-15)]
            + [
                (
                    lambda y, x: -(y * np.log(np.clip(softmax(x), EPSILON, 1.0))).sum(axis=-1),
                    "clipping q to [1e-7, 1] is the same trick as δ: the loss of a confident mistake is capped at "
                    "16.1 (Keras 3's cap) instead of 30. Compute from the logits.",
                ),
                (
                    lambda y, x: -(y * np.log(softmax(x))).sum(axis=-1),
                    "no δ, but still the log of a probability: S(x) = e^{−1000} is stored as 0, and 0·log 0 = nan, "
                    "1·log 0 = −inf (pitfall 4). Compute from the logits: log_softmax.",
                ),
                (lambda y, x: -(y * _log_softmax_shifted_by(x, _row_mean(x))).sum(axis=-1), _MEAN_SHIFT_F32_HINT),
                (
                    lambda y, x: -_gather(log_softmax(x), np.argmax(y, axis=-1)),
                    "labels.argmax(axis=-1) turns the soft label (0, 0.8, 0.2) into class 1 and drops the 0.2: "
                    "weight every class's −log q by its label, −Σ y·log_softmax(x).",
                ),
            ]
        ),
        _capped,
        _one_loss_per_row,
        _wrong_sign,
    ],
    hint="loss = ct.softmax_cross_entropy_with_logits(labels, logits), or -(labels * ct.log_softmax(logits)).sum(-1).",
)


# --- 6. sigmoid loss fed integer class labels ------------------------------------------------------


def _binary_on_classes(z, x):
    """The textbook binary formula with z = a class index, x = one logit per example (the bug)."""
    a = 1 / (1 + np.exp(-x))
    return -(z * np.log(a) + (1 - z) * np.log(1 - a))


_CLASS_CASES = [
    (
        np.array([0, 3, 1, 4, 2]),
        np.array(
            [
                [2.0, 0.5, -1.0, 0.0, 0.3],
                [0.1, 0.2, 0.3, 3.0, -2.0],
                [-1.0, 4.0, 0.0, 0.0, 1.0],
                [0.0, 0.0, 0.0, 0.0, 0.0],
                [1.0, 1.0, 6.0, -3.0, 2.0],
            ]
        ),
    ),
    (np.array([2, 0]), np.array([[0.0, 1.0, 2.0], [5.0, -5.0, 0.0]])),
    (np.array([1, 0]), np.array([[800.0, -800.0, 0.0], [0.0, 1.0, -1.0]])),  # a confident mistake: loss 1600
    (np.array([2, 0, 2]), _X32),  # float32 logits, as a network outputs them
]

pitfall_integer_labels = Exercise(
    "pitfall 6: class labels in a sigmoid loss",
    reference=sparse_softmax_cross_entropy_with_logits,
    cases=_CLASS_CASES,
    diagnoses=[
        _mistakes(
            [
                (
                    lambda z, x: sigmoid_cross_entropy_with_logits(_one_hot(z, x.shape[-1]), x).sum(axis=-1),
                    "one-hot labels with the sigmoid loss treat the classes as independent yes/no "
                    "questions (multi-label). "
                    "For exactly one class per example use the softmax loss: sparse softmax cross-entropy.",
                ),
                (
                    lambda z, x: sigmoid_cross_entropy_with_logits(_one_hot(z, x.shape[-1]), x).mean(axis=-1),
                    "one-hot labels with the sigmoid loss (averaged, as Keras does) is the multi-label loss; "
                    "for exactly one class per example use sparse softmax cross-entropy.",
                ),
                (
                    lambda z, x: _binary_on_classes(z[:, None], x).mean(axis=-1),
                    "class indices 2, 3, 4 in the binary formula make 1 − z negative: the loss goes negative. "
                    "Use the softmax loss with integer labels.",
                ),
                (
                    lambda z, x: softmax_cross_entropy_with_logits(_one_hot(z, x.shape[-1]), softmax(x)),
                    "softmax twice (pitfall 1): the softmax loss applies softmax itself; give it the logits.",
                ),
                (lambda z, x: -np.log(_gather(softmax(x), z)), _LOG_OF_SOFTMAX_HINT),
                (
                    lambda z, x: -log_softmax(x)[:, np.asarray(z)],
                    "log_softmax(x)[:, labels] picks the labels' columns for *every* row: an N × N table. Use "
                    "log_softmax(x)[np.arange(len(labels)), labels].",
                ),
            ]
        ),
        _one_loss_per_row,
        _wrong_sign,
    ],
    hint="loss = ct.sparse_softmax_cross_entropy_with_logits(labels, logits): integer labels, one row of "
    "C logits per example.",
)


# --- 7. out-of-range sparse labels -----------------------------------------------------------------


@dataclass
class RejectsBadInput(Exercise):
    """An exercise whose function must also *refuse* some inputs with a ValueError naming the bad value.

    ``bad_cases`` are (args, bad_value) pairs: the candidate must raise ``ValueError`` and mention
    ``bad_value`` in the message. A wrong outcome is explained by ``bad_hint(args, outcome)``, where
    the outcome is what the candidate returned or the exception it raised.
    """

    bad_cases: Sequence[tuple[tuple, object]] = ()
    bad_hint: Callable[[tuple, object], str] | None = None

    def check(self, candidate: Callable) -> CheckResult:
        result = super().check(candidate)
        if result.status != "correct":
            return result
        for args, bad_value in self.bad_cases:
            shown = ", ".join(_short(a) for a in args)
            try:
                with np.errstate(all="ignore"):
                    outcome = candidate(*[np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args])
            except NotImplementedError:
                return self._not_attempted()
            except ValueError as error:
                if str(bad_value) not in str(error):
                    return CheckResult(
                        "wrong",
                        f"✗ {self.name}({shown}) raised ValueError, but its message does "
                        f"not name the bad value {bad_value}: {error}",
                    )
                continue
            except Exception as error:
                outcome = error
            hint = self.bad_hint(args, outcome) if self.bad_hint else ""
            what = (
                f"raised {type(outcome).__name__}: {outcome}"
                if isinstance(outcome, Exception)
                else f"returned {_short(outcome)}"
            )
            return CheckResult(
                "wrong",
                f"✗ {self.name}({shown}) {what}\n    expected a ValueError naming "
                f"{bad_value}" + (f"\n  Hint: {hint}" if hint else ""),
            )
        return CheckResult(
            "correct",
            f"✓ {self.name}: correct on all {len(self.cases)} good inputs, "
            f"and refuses all {len(self.bad_cases)} bad ones.",
        )


def _label_range_hint(args, outcome) -> str:
    labels, logits = args
    if isinstance(outcome, IndexError):
        return (
            "NumPy's own IndexError catches labels ≥ C, but not −1, which silently picks the last class. "
            "Check 0 ≤ label < C yourself and raise ValueError naming the label and the range."
        )
    if isinstance(outcome, Exception):
        return "raise ValueError (a bad value), naming the label and the valid range [0, C)."
    if np.min(labels) < 0:
        return (
            "label −1 wrapped around: NumPy indexing counts from the end, so it silently became class C − 1. "
            "Check 0 ≤ label < C before indexing."
        )
    return "some label is ≥ C (the number of logits per row); check 0 ≤ label < C before computing anything."


_RANGE_GOOD = [
    (np.array([0, 2, 1]), np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0], [-1.0, 4.0, 0.0]])),
    (np.array([8, 0]), np.linspace(-2.0, 2.0, 18).reshape(2, 9)),
    (np.array([2, 0, 2]), _X32),  # float32: e^200 overflows (past 88.72), so log-sum-exp needs its max shift
]
_RANGE_BAD = [
    ((np.array([0, 11, 3]), np.zeros((3, 9))), 11),
    ((np.array([0, -1]), np.zeros((2, 9))), -1),
    ((np.array([3, 9]), np.ones((2, 9))), 9),
]

pitfall_label_range = RejectsBadInput(
    "pitfall 7: labels outside [0, C)",
    reference=sparse_softmax_cross_entropy_with_logits,
    cases=_RANGE_GOOD,
    diagnoses=[
        _mistakes(
            [
                (lambda y, x: -_gather(_log_softmax_shifted_by(x, 0.0), y), _NO_SHIFT_F32_HINT),
                (
                    lambda y, x: -_gather(log_softmax(x), y - 1),
                    "off by one: labels are already 0-based indices into the C logits of a row (y − 1 turned label 0 "
                    "into −1, the last class).",
                ),
            ]
        ),
        _one_loss_per_row,
    ],
    hint="the loss of row i is −log_softmax(logits)[i, labels[i]].",
    bad_cases=_RANGE_BAD,
    bad_hint=_label_range_hint,
)


# --- 8. KL argument order (PyTorch's kl_div) --------------------------------------------------------


def _torch_style_kl_div(input, target):
    """PyTorch's ``kl_div(input, target, reduction="sum")`` per row: Σ target·(log target − input).

    ``input`` is meant to hold log-probabilities log q and ``target`` probabilities p; then this is
    D_KL(p‖q), the other way round from the argument order. A term with target 0 counts 0, as in
    PyTorch (which computes target·log target with ``xlogy``). (The same function as in notebook 08.)
    """
    target = np.asarray(target, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        target_log_target = np.where(target > 0, target * np.log(np.where(target > 0, target, 1.0)), 0.0)
    return (target_log_target - target * np.asarray(input, dtype=float)).sum(axis=-1)


def _negative_kl(got, expected, args):
    if np.any(got < 0):
        return "a KL divergence is never negative (Gibbs' inequality): check the sign and which argument is logged."
    return None


def _nan_from_zero(got, expected, args):
    if np.isnan(got).any() and any(np.any(np.asarray(a) == 0) for a in args):
        return (
            "nan where p = 0: 0·log(0/q) is 0·(−inf) = nan in NumPy, but a class the target never gives "
            "contributes 0. Skip those terms (np.where(p > 0, …, 0)), or use torch_style_kl_div(np.log(q), p)."
        )
    return None


_KL_CASES = [
    (np.array([0.7, 0.2, 0.1]), np.array([0.2, 0.5, 0.3])),
    (np.array([[0.5, 0.5], [0.9, 0.1]]), np.array([[0.9, 0.1], [0.5, 0.5]])),
    (np.array([0.25, 0.25, 0.25, 0.25]), np.array([0.1, 0.2, 0.3, 0.4])),
    (np.array([0.5, 0.5, 0.0]), np.array([0.25, 0.25, 0.5])),  # p = 0 for a class: its term is 0
    # float32, a confident model: q = 1e-40 is subnormal, and p/q = 5e39 is past float32's largest, 3.4e38
    (np.array([0.5, 0.5, 0.0], dtype=np.float32), np.array([1e-40, 0.5, 0.5], dtype=np.float32)),
]

pitfall_kl_order = Exercise(
    "pitfall 8: KL argument order",
    reference=kl_divergence,
    cases=_KL_CASES,
    diagnoses=[
        _mistakes(
            [
                # first: on the float64 cases it equals the right answer, so only the float32 case reaches it
                (
                    lambda p, q: np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / q), 0.0).sum(axis=-1),
                    "p/q overflows: in the float32 case q = 1e-40, and p/q = 5e39 is past float32's largest number, "
                    "3.4e38, so log(p/q) = inf. Subtract logs instead of dividing: p·(log p − log q), which is "
                    "torch_style_kl_div(np.log(q), p).",
                ),
                (
                    lambda p, q: _torch_style_kl_div(q, p),
                    "probabilities given as input: kl_div wants log-probabilities as its first argument: "
                    "torch_style_kl_div(np.log(q), p).",
                ),
                (
                    lambda p, q: _torch_style_kl_div(p, q),
                    "that is the original bug: kl_div(p, q) with probabilities, in maths order. kl_div(input, target) "
                    "computes D(target‖input) from log-probabilities: call torch_style_kl_div(np.log(q), p).",
                ),
                (
                    lambda p, q: _torch_style_kl_div(np.log(p), q),
                    "right form, wrong order: that is D(q‖p). The target p goes second: "
                    "torch_style_kl_div(np.log(q), p).",
                ),
                (lambda p, q: kl_divergence(q, p), "that is D(q‖p); KL is not symmetric. D(p‖q) = Σ p·log(p/q)."),
                (
                    lambda p, q: _torch_style_kl_div(np.log(q), p) / np.shape(p)[-1],
                    "you divided by the number of classes: that is PyTorch's reduction='mean', which "
                    "averages over every "
                    "element. D(p‖q) is the sum over the classes (reduction='sum' per row, 'batchmean' for a batch).",
                ),
            ]
        ),
        _nan_from_zero,
        _one_loss_per_row,
        wrong_base,
        _negative_kl,
    ],
    hint="D(p‖q) = torch_style_kl_div(np.log(q), p) = ct.kl_divergence(p, q) = Σ p·log(p/q).",
)


# --- transfer: a test batch that catches the bugs ------------------------------------------------


def _bug_twice(y, x):
    return softmax_cross_entropy_with_logits(y, softmax(x))


def _bug_batch_max(y, x):
    shifted = x - x.max()  # the bug; in log space, so that nothing else can go wrong
    return -(y * (shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True)))).sum(axis=-1)


def _bug_log_of_softmax(y, x):
    return -(y * np.log(softmax(x))).sum(axis=-1)


def _bug_delta(y, x):
    return -(y * np.log(softmax(x) + 1e-6)).sum(axis=-1)


TEST_BATCH_BUGS = {  # name → (the buggy loss, what a batch needs to expose it)
    "1 softmax twice": (_bug_twice, "any row whose loss is not ln(1 + (C − 1)/e)-ish: ordinary logits do it"),
    "3 max of the whole batch": (
        _bug_batch_max,
        "two rows of very different scale, e.g. logits near 0 in one row and near 1000 in another",
    ),
    "4 log(softmax(x))": (
        _bug_log_of_softmax,
        "a confident mistake: a row where the label's logit is ~800 below the row's largest",
    ),
    "5 δ = 1e-6 in the log": (
        _bug_delta,
        "a label on a class the model thinks unlikely (q below 1e-3), so that the bias δ/q shows",
    ),
}


TEST_RTOL = 1e-4  # a tolerance a test of float32 code might use


def _caught(bug, labels, logits, reference) -> bool:
    with np.errstate(all="ignore"):
        got = np.asarray(bug(labels, logits), dtype=float)
    return bool(not np.all(np.isfinite(got)) or not np.allclose(got, reference, rtol=TEST_RTOL, atol=0.0))


@dataclass
class TestBatchExercise(Checker):
    """Transfer exercise: ``make_batch()`` returns (labels, logits) that catch every bug in ``TEST_BATCH_BUGS``.

    Labels are rows of probabilities (one-hot or soft) of shape (N, C), logits finite floats of the same
    shape. A bug is caught when its loss is not finite or differs from the exact loss by more than
    rtol = 1e-4 on some row: the test a careful colleague would write.
    """

    name: str = "transfer: a test batch that catches pitfalls 1, 3, 4 and 5"

    def check(self, candidate: Callable) -> CheckResult:
        if not callable(candidate):
            return CheckResult("wrong", f"✗ {self.name}: pass your function itself, not {type(candidate).__name__}")
        try:
            batch = candidate()
        except NotImplementedError:
            return self._not_attempted()
        except Exception as error:
            return CheckResult("wrong", f"✗ {self.name}: make_batch() raised {type(error).__name__}: {error}")
        if batch is None:
            return self._not_attempted()
        problem = _batch_problem(batch)
        if problem:
            return CheckResult("wrong", f"✗ {self.name}: {problem}")
        labels, logits = (np.asarray(a, dtype=float) for a in batch)
        reference = softmax_cross_entropy_with_logits(labels, logits)
        missed = [name for name, (bug, _) in TEST_BATCH_BUGS.items() if not _caught(bug, labels, logits, reference)]
        if missed:
            needs = "; ".join(f"{name}: add {TEST_BATCH_BUGS[name][1]}" for name in missed)
            return CheckResult(
                "wrong",
                f"✗ {self.name}: your batch lets {len(missed)} bug(s) pass: {', '.join(missed)}.\n  Hint: {needs}.",
            )
        return CheckResult(
            "correct", f"✓ {self.name}: your batch of {len(labels)} rows catches all {len(TEST_BATCH_BUGS)} bugs."
        )


def _batch_problem(batch) -> str | None:
    """What is wrong with the *form* of a learner's batch, or None."""
    if not isinstance(batch, tuple) or len(batch) != 2:
        return f"make_batch() must return a pair (labels, logits), not {_short(batch)}"
    try:
        labels, logits = (np.asarray(a, dtype=float) for a in batch)
    except (TypeError, ValueError) as error:
        return f"labels and logits must be arrays of numbers ({error})"
    if labels.ndim != 2 or labels.shape != logits.shape:
        return (
            f"labels and logits must both have shape (N, C), one row per example; got {labels.shape} and {logits.shape}"
        )
    if not np.all(np.isfinite(logits)):
        return "every logit must be a finite number (a network never outputs inf or nan logits)"
    if np.any(labels < 0) or not np.allclose(labels.sum(axis=-1), 1.0, rtol=0, atol=1e-9):
        return "each row of labels must be a probability distribution: entries ≥ 0 that sum to 1 (one-hot or soft)"
    return None


pitfall_test_batch = TestBatchExercise()

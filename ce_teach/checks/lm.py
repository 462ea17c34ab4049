"""Exercises for notebook 11: the mean over kept tokens (``ignore_index``), and distillation's T² factor.

``kept_token_mean`` calls the learner's ``f(losses, labels, ignore_index)`` on per-token losses (any shape)
and expects PyTorch's ``reduction="mean"`` with ``ignore_index``: the sum of the kept tokens' losses over
their number. The loss at an ignored position may be anything, even inf (PyTorch never reads it).

``distillation_t2`` calls ``f(student_logits, teacher_logits, T)`` and expects one loss per row,
T²·KL(softmax(t/T) ‖ softmax(s/T)) (``ct.distillation_loss``).
"""

from __future__ import annotations

import numpy as np

from ..activations import log_softmax
from ..lm import distillation_loss
from .exercise import Exercise

__all__ = ["kept_token_mean", "distillation_t2"]


def _close(got, value) -> bool:
    value = np.asarray(value, dtype=float)
    return got.shape == value.shape and bool(np.allclose(got, value, rtol=1e-6, atol=1e-9))


# --- the mean over kept tokens ------------------------------------------------------------------


def _reference_mean(losses, labels, ignore_index):
    losses, labels = np.asarray(losses, dtype=float), np.asarray(labels)
    return losses[labels != ignore_index].mean()


def _masked_mean(losses, mask):
    return losses[mask].mean() if mask.any() else np.nan


def _mean_of_sequence_means(losses, labels, ignore_index):
    kept = labels != ignore_index
    with np.errstate(all="ignore"):
        per_row = np.where(kept, losses, 0.0).sum(axis=-1) / kept.sum(axis=-1)
    return per_row.mean()


def _diagnose_mean(got, expected, args):
    losses, labels, ignore = np.asarray(args[0], dtype=float), np.asarray(args[1]), args[2]
    kept = labels != ignore
    finite_masked = np.where(kept, losses, 0.0)
    if np.isnan(got).any() and not np.isfinite(losses[~kept]).all():
        return (
            "nan: the loss at a padded position is inf here, and multiplying by a 0/1 mask gives 0·inf = nan. "
            "Select the kept tokens (losses[kept]) or use np.where(kept, losses, 0) instead of losses * kept."
        )
    if labels.ndim == 2 and _close(got, _mean_of_sequence_means(losses, labels, ignore)):
        return (
            "you averaged each sequence, then the sequences: a token of a short sequence then weighs more than one "
            "of a long sequence. PyTorch divides the sum over all kept tokens by their number."
        )
    if ignore != -100 and _close(got, _masked_mean(losses, labels != -100)):
        return "you compared with -100, PyTorch's default, instead of the ignore_index argument."
    if _close(got, np.mean(losses)):
        return "you averaged over every position, padding included: leave out the tokens whose label is ignore_index."
    if _close(got, finite_masked.sum() / losses.size):
        return (
            "the denominator counts the padding: you divided by every position, not by the number of kept tokens "
            "(that is Keras 2's sum_over_batch_size with a 0/1 sample weight)."
        )
    if _close(got, finite_masked.sum()):
        return "you returned the sum of the kept losses; divide it by the number of kept tokens."
    for mask in (labels != 0, labels > 0, (labels != 0) & kept, labels >= 0):
        if not np.array_equal(mask, kept) and _close(got, _masked_mean(losses, mask)):
            return (
                "your mask is not labels != ignore_index: padding is marked by the value ignore_index, and 0 is "
                "a real token id (unless ignore_index is 0). Compare the labels with the ignore_index argument."
            )
    if got.ndim > 0:
        return "the mean over kept tokens is one number for the whole batch, not one per sequence or position."
    return None


_LOSSES_1D = np.array([2.0, 1.0, 0.5, 3.0, 0.25])
_LOSSES_2D = np.array([[1.0, 2.0, 0.5, 4.0, 3.0], [0.1, 0.3, 7.0, 9.0, 8.0]])
_LABELS_2D = np.array([[17, 0, 4, 3, 9], [5, 0, -100, -100, -100]])  # the second sequence is shorter
_WITH_INF = np.array([0.7, np.inf, 1.3, 0.2])

kept_token_mean = Exercise(
    name="kept_token_mean",
    reference=_reference_mean,
    cases=[
        (_LOSSES_1D, np.array([5, -100, 0, 2, 0]), -100),
        (_LOSSES_2D, _LABELS_2D, -100),
        (_WITH_INF, np.array([3, -100, 0, 1]), -100),  # the padded position's loss is inf
        (_LOSSES_1D.astype(np.float32), np.array([0, 3, 0, 7, 2]), 0),  # this tokenizer pads with id 0
        (_LOSSES_1D, np.array([-1, 4, -100, 6, -1]), -1),
    ],
    diagnoses=[_diagnose_mean],
    rtol=1e-6,
    hint="the mean over kept tokens is (sum of the losses where labels != ignore_index) / (how many such tokens).",
    package_answers=("weighted_mean", "class_weighted_sparse_cross_entropy", "linear_cross_entropy"),
)


# --- distillation: T²·KL, teacher first ----------------------------------------------------------


def _kl_rows(log_p, log_q):
    p = np.exp(log_p)
    return np.multiply(p, log_p - log_q, out=np.zeros(p.shape), where=p > 0).sum(axis=-1)


def _variants(s, t, temp):
    """What the typical mistakes compute, by name."""
    s, t = np.asarray(s, dtype=float), np.asarray(t, dtype=float)
    lp, lq = log_softmax(t / temp), log_softmax(s / temp)
    kl = _kl_rows(lp, lq)
    return {
        "no T²": kl,
        "T": temp * kl,
        "reversed": temp**2 * _kl_rows(lq, lp),
        "not softened": temp**2 * _kl_rows(log_softmax(t), log_softmax(s)),
        "teacher not softened": temp**2 * _kl_rows(log_softmax(t), lq),
        "cross-entropy": temp**2 * (kl - (np.exp(lp) * np.where(np.exp(lp) > 0, lp, 0.0)).sum(axis=-1)),
        "batch mean": np.asarray(temp**2 * kl.mean()),
    }


_DISTILLATION_HINTS = {
    "no T²": "the T² factor is missing: without it the loss and its gradient shrink like 1/T² as T grows.",
    "T": "you multiplied by T; the factor is T², because the gradient of the softened KL is (q − p)/T and q − p is "
    "itself O(1/T).",
    "reversed": "KL in the wrong order: the teacher's softened distribution comes first, KL(p_teacher ‖ q_student).",
    "not softened": "the logits must be divided by T before the softmax (both teacher and student); the T² alone "
    "only rescales.",
    "teacher not softened": "divide the teacher's logits by T too: both distributions are softened.",
    "cross-entropy": "that is the cross-entropy H(p, q); the KL subtracts the teacher's entropy H(p). Same gradient "
    "for the student, but a different number (it is not 0 when the student equals the teacher).",
    "batch mean": "one loss per row is asked for: sum over the classes only (axis=-1), not over the batch.",
}


def _diagnose_distillation(got, expected, args):
    if not np.all(np.isfinite(got)) and np.all(np.isfinite(expected)):
        return (
            "nan or inf: a softmax of large logits overflowed (e^800) or a probability underflowed to 0 before "
            "the log. Work with log-probabilities: ct.log_softmax(x / T), or subtract each row's max first."
        )
    for name, value in _variants(*args).items():
        if _close(got, value):
            return _DISTILLATION_HINTS[name]
    return None


_S = np.array([[1.0, -0.5, 2.0, 0.0], [0.3, 0.2, -1.0, 1.5], [-2.0, 0.0, 0.5, 0.5]])
_T = np.array([[2.5, -1.0, 1.0, 0.0], [0.0, 1.0, -2.0, 3.0], [-1.0, -1.0, 2.0, 0.0]])

distillation_t2 = Exercise(
    name="distillation_t2",
    reference=lambda s, t, temp: distillation_loss(s, t, temperature=temp),
    cases=[
        (_S, _T, 2.0),
        (_S, _T, 1.0),
        (_S[:2], _T[:2], 5.0),
        (np.array([[790.0, -800.0, 5.0]]), np.array([[800.0, -800.0, 0.0]]), 1.0),  # logits of ±800
        (_S.astype(np.float32), _T.astype(np.float32), 3.0),
    ],
    diagnoses=[_diagnose_distillation],
    rtol=1e-6,
    atol=1e-9,
    hint="per row: T²·Σ_j p_j (log p_j − log q_j), p = softmax(teacher/T), q = softmax(student/T).",
    package_answers=("distillation_loss", "kl_divergence"),
)

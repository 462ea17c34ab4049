"""ce_teach.checks.lm: the kept-token mean and distillation checkers accept right answers and name each mistake."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import distillation_t2, kept_token_mean


def _stub(*args):
    raise NotImplementedError


def _returns_none(*args):
    pass


@pytest.mark.parametrize("checker", [kept_token_mean, distillation_t2])
@pytest.mark.parametrize("candidate", [_stub, _returns_none])
def test_not_attempted(checker, candidate):
    result = checker.check(candidate)
    assert result.status == "not attempted" and "not attempted" in result.message


# --- the mean over kept tokens ------------------------------------------------------------------


def _by_selection(losses, labels, ignore_index):
    return losses[labels != ignore_index].mean()


def _by_where(losses, labels, ignore_index):
    kept = labels != ignore_index
    return np.where(kept, losses, 0.0).sum() / np.count_nonzero(kept)


def _by_weighted_mean(losses, labels, ignore_index):
    kept = labels != ignore_index
    return ct.weighted_mean(np.where(kept, losses, 0.0), kept.astype(np.float64))


@pytest.mark.parametrize("candidate", [_by_selection, _by_where, _by_weighted_mean])
def test_kept_token_mean_accepts_right_answers(candidate):
    result = kept_token_mean.check(candidate)
    assert result.status == "correct", result.message


def _sequence_means(losses, labels, ignore_index):
    kept = labels != ignore_index
    return (np.where(kept, losses, 0.0).sum(axis=-1) / kept.sum(axis=-1)).mean()


WRONG_MEANS = {
    "mean over every position": (lambda x, y, i: x.mean(), "padding included"),
    "denominator N": (lambda x, y, i: np.where(y != i, x, 0.0).sum() / x.size, "the denominator counts the padding"),
    "sum, not mean": (lambda x, y, i: np.where(y != i, x, 0.0).sum(), "you returned the sum"),
    "mean of sequence means": (_sequence_means, "averaged each sequence, then the sequences"),
    "multiply by the mask": (lambda x, y, i: (x * (y != i)).sum() / (y != i).sum(), "0·inf = nan"),
    "label 0 as padding": (lambda x, y, i: x[y != 0].mean(), "0 is a real token id"),
    "positive labels only": (lambda x, y, i: x[y > 0].mean(), "0 is a real token id"),
    "hard-coded -100": (lambda x, y, i: x[y != -100].mean(), "instead of the ignore_index argument"),
    "one value per sequence": (
        lambda x, y, i: np.where(y != i, x, 0.0).sum(axis=-1) / (y != i).sum(axis=-1),
        "one number for the whole batch",
    ),
}


@pytest.mark.parametrize("name", WRONG_MEANS)
def test_kept_token_mean_names_each_mistake(name):
    candidate, words = WRONG_MEANS[name]
    result = kept_token_mean.check(candidate)
    assert result.status == "wrong"
    assert words in result.message, result.message


# --- distillation -------------------------------------------------------------------------------


def _with_log_softmax(s, t, temp):
    log_p, log_q = ct.log_softmax(t / temp), ct.log_softmax(s / temp)
    return temp**2 * (np.exp(log_p) * (log_p - log_q)).sum(axis=-1)


def _with_kl_divergence(s, t, temp):
    return temp**2 * ct.kl_divergence(ct.softmax(t / temp), ct.softmax(s / temp))


def _package(s, t, temp):
    return ct.distillation_loss(s, t, temperature=temp)


@pytest.mark.parametrize("candidate", [_with_log_softmax, _with_kl_divergence, _package])
def test_distillation_accepts_right_answers(candidate):
    result = distillation_t2.check(candidate)
    assert result.status == "correct", result.message


def _kl(log_p, log_q):
    return (np.exp(log_p) * (log_p - log_q)).sum(axis=-1)


def _naive_softmax(x):
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


LS = ct.log_softmax
WRONG_DISTILLATION = {
    "no T²": (lambda s, t, T: _kl(LS(t / T), LS(s / T)), "the T² factor is missing"),
    "T instead of T²": (lambda s, t, T: T * _kl(LS(t / T), LS(s / T)), "you multiplied by T"),
    "reversed KL": (lambda s, t, T: T**2 * _kl(LS(s / T), LS(t / T)), "KL in the wrong order"),
    "not softened": (lambda s, t, T: T**2 * _kl(LS(t), LS(s)), "divided by T before the softmax"),
    "teacher not softened": (lambda s, t, T: T**2 * _kl(LS(t), LS(s / T)), "divide the teacher's logits by T too"),
    "cross-entropy": (lambda s, t, T: -(T**2) * (np.exp(LS(t / T)) * LS(s / T)).sum(axis=-1), "cross-entropy H(p, q)"),
    "batch mean": (lambda s, t, T: T**2 * _kl(LS(t / T), LS(s / T)).mean(), "one loss per row"),
    "naive softmax": (
        lambda s, t, T: T**2 * (_naive_softmax(t / T) * np.log(_naive_softmax(t / T) / _naive_softmax(s / T))).sum(-1),
        "overflowed",
    ),
}


@pytest.mark.parametrize("name", WRONG_DISTILLATION)
def test_distillation_names_each_mistake(name):
    candidate, words = WRONG_DISTILLATION[name]
    result = distillation_t2.check(candidate)
    assert result.status == "wrong"
    assert words in result.message, result.message


def test_a_crash_is_a_verdict():
    result = distillation_t2.check(lambda s, t, T: 1 / 0)
    assert result.status == "wrong" and "ZeroDivisionError" in result.message

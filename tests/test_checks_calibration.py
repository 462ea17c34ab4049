"""ce_teach.checks for notebooks 09 and 10: each checker accepts correct answers (one of them not the package's
own), says 'not attempted' for a stub, and rejects the typical wrong answers with the hint that names the mistake."""

from __future__ import annotations

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import ece, focal_grad, prior_loss, smoothing_logit_gap, softmax_regression_grad


def stub(*args):
    raise NotImplementedError


def stable_softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def naive_softmax(x):
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("checker", [softmax_regression_grad, prior_loss, ece, focal_grad, smoothing_logit_gap])
def test_a_stub_is_not_attempted(checker, capsys):
    assert checker.check(stub).status == "not attempted"
    checker(stub)
    assert "not attempted yet" in capsys.readouterr().out


# --- ∂L/∂W of softmax regression ---------------------------------------------------------------------


def grad_w(x, labels, w, softmax=stable_softmax):
    y = np.eye(w.shape[1])[labels]
    return x.T @ (softmax(x @ w) - y) / len(labels)


def grad_w_via_logits(x, labels, w):
    dlogits = ct.softmax(x @ w)
    dlogits[np.arange(len(labels)), labels] -= 1
    return np.einsum("nd,nc->dc", x, dlogits) / len(labels)


@pytest.mark.parametrize("answer", [grad_w, grad_w_via_logits])
def test_regression_grad_accepts_correct_answers(answer):
    result = softmax_regression_grad.check(answer)
    assert result.status == "correct", result.message


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda x, c, w: grad_w(x, c, w) * len(c), "divide by N"),
        (lambda x, c, w: -grad_w(x, c, w), "sign is flipped"),
        (lambda x, c, w: (stable_softmax(x @ w) - np.eye(w.shape[1])[c]) / len(c), "with respect to the logits"),
        (lambda x, c, w: grad_w(x, c, w, naive_softmax), "subtract each row's maximum"),
        (lambda x, c, w: x.T @ (stable_softmax(x @ w) - c[:, None]) / len(c), "build the one-hot"),
        (lambda x, c, w: grad_w(x, c, w) / w.shape[1], "divides by N·C"),
        (
            lambda x, c, w: (
                x.T
                @ (
                    np.exp(x @ w - (x @ w).max(axis=0)) / np.exp(x @ w - (x @ w).max(axis=0)).sum(axis=0)
                    - np.eye(w.shape[1])[c]
                )
                / len(c)
            ),
            "not each column",
        ),
    ],
)
def test_regression_grad_rejects_typical_mistakes(wrong, hint):
    result = softmax_regression_grad.check(wrong)
    assert result.status == "wrong" and hint in result.message, result.message


# --- the loss of the best constant prediction (transfer) ----------------------------------------------


def entropy_of_counts(counts):
    f = counts / counts.sum()
    f = f[f > 0]
    return -np.sum(f * np.log(f))


def from_counts_directly(counts):
    n = counts.sum()
    nz = counts[counts > 0]
    return np.log(n) - np.sum(nz * np.log(nz)) / n


@pytest.mark.parametrize("answer", [entropy_of_counts, from_counts_directly, lambda c: ct.entropy(c / c.sum())])
def test_prior_loss_accepts_correct_answers(answer):
    result = prior_loss.check(answer)
    assert result.status == "correct", result.message


def test_prior_loss_notes_the_package_answer():
    assert "package's own answer" in prior_loss.check(lambda c: ct.entropy(c / c.sum())).message


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda c: np.log(len(c)), "ln C"),
        (lambda c: -np.sum((c / c.sum()) * np.log2(c / c.sum() + (c == 0))), "bits"),
        (lambda c: -np.sum((c / c.sum()) * np.log(c / c.sum())), "0·log 0"),
        (lambda c: np.sum((c / c.sum()) * np.log(c / c.sum() + (c == 0))), "sign is flipped"),
        (lambda c: -np.log((c / c.sum()).max()), "largest frequency"),
        (lambda c: -np.sum(c * np.log(c + (c == 0))), "normalise the counts"),
    ],
)
def test_prior_loss_rejects_typical_mistakes(wrong, hint):
    result = prior_loss.check(wrong)
    assert result.status == "wrong" and hint in result.message, result.message


# --- expected calibration error -------------------------------------------------------------------------


def guo_loop(probs, labels, n_bins):
    conf, correct = probs.max(axis=1), probs.argmax(axis=1) == labels
    edges = np.linspace(0, 1, n_bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - conf[inside].mean())
    return total


def with_bincount(probs, labels, n_bins):
    conf, correct = probs.max(axis=1), (probs.argmax(axis=1) == labels).astype(float)
    index = np.clip(np.ceil(conf * n_bins).astype(int) - 1, 0, n_bins - 1)
    n = np.bincount(index, minlength=n_bins)
    gap = np.abs(np.bincount(index, correct, n_bins) - np.bincount(index, conf, n_bins))
    return gap.sum() / n.sum()


def variant(probs, labels, n_bins, *, conf=None, closed_right=True, combine="ece"):
    conf = probs.max(axis=1) if conf is None else conf
    correct = probs.argmax(axis=1) == labels
    edges = np.linspace(0, 1, n_bins + 1)
    parts = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (conf > lo) & (conf <= hi) if closed_right else (conf >= lo) & (conf < hi)
        with np.errstate(invalid="ignore"):
            parts.append((inside.mean(), np.mean(correct[inside]) - np.mean(conf[inside]) if inside.any() else np.nan))
    w, g = np.array(parts).T
    used = ~np.isnan(g)
    return {
        "ece": np.sum(w[used] * np.abs(g[used])),
        "signed": np.sum(w[used] * g[used]),
        "unweighted": np.mean(np.abs(g[used])),
        "per_bin": np.sum(np.abs(g[used])) / n_bins,
        "squared": np.sum(w[used] * g[used] ** 2),
        "nan": np.sum(w * np.abs(g)),
    }[combine]


@pytest.mark.parametrize("answer", [guo_loop, with_bincount])
def test_ece_accepts_correct_answers(answer):
    result = ece.check(answer)
    assert result.status == "correct", result.message


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda p, y, b: variant(p, y, b, conf=p[np.arange(len(y)), y]), "not the probability of the true class"),
        (lambda p, y, b: variant(p, y, b, combine="unweighted"), "share of the examples"),
        (lambda p, y, b: variant(p, y, b, combine="per_bin"), "counts empty bins too"),
        (lambda p, y, b: variant(p, y, b, combine="signed"), "must not cancel"),
        (lambda p, y, b: variant(p, y, b, combine="squared"), "not its square"),
        (lambda p, y, b: variant(p, y, b, combine="nan"), "skip empty bins"),
        (lambda p, y, b: variant(p, y, b, closed_right=False), "closed on the right"),
    ],
)
def test_ece_rejects_typical_mistakes(wrong, hint):
    result = ece.check(wrong)
    assert result.status == "wrong" and hint in result.message, result.message


# --- the focal-loss gradient ----------------------------------------------------------------------------


def focal_grad_by_hand(labels, logits, gamma):
    r = np.arange(len(labels))
    s = stable_softmax(logits)
    log_p = (logits - logits.max(axis=1, keepdims=True)) - np.log(
        np.exp(logits - logits.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True)
    )
    p, ell = s[r, labels], -log_p[r, labels]
    u = np.delete(s, labels, axis=1).sum(axis=1) if len(set(labels)) == 1 else 1 - p
    u = np.where(p == 1.0, 0.0, u)
    ratio = np.where(u > 0, ell / np.where(u > 0, u, 1.0), 1.0)
    w = u**gamma * (1 + gamma * p * ratio) if gamma > 0 else np.ones_like(p)
    y = np.eye(logits.shape[1])[labels]
    return w[:, None] * (s - y)


def focal_grad_with_log_softmax(labels, logits, gamma):
    r = np.arange(len(labels))
    log_p = ct.log_softmax(logits)
    s = np.exp(log_p)
    u = -np.expm1(log_p[r, labels])  # 1 − q_c without rounding q_c first
    w = np.where(
        u > 0,
        u**gamma + gamma * s[r, labels] * np.where(u > 0, u, 1.0) ** (gamma - 1) * -log_p[r, labels],
        0.0 if gamma > 0 else 1.0,
    )
    return w[:, None] * (s - np.eye(logits.shape[1])[labels])


@pytest.mark.parametrize("answer", [focal_grad_by_hand, focal_grad_with_log_softmax])
def test_focal_grad_accepts_correct_answers(answer):
    result = focal_grad.check(answer)
    assert result.status == "correct", result.message


def weighted(weight):
    def answer(labels, logits, gamma):
        r = np.arange(len(labels))
        s = stable_softmax(logits)
        p = s[r, labels]
        with np.errstate(all="ignore"):
            w = weight(p, 1 - p, -np.log(p), gamma, s.max(axis=1))
        return w[:, None] * (s - np.eye(logits.shape[1])[labels])

    return answer


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (weighted(lambda p, u, ell, g, top: np.ones_like(p)), "cross-entropy's gradient"),
        (weighted(lambda p, u, ell, g, top: u**g), "product rule"),
        (weighted(lambda p, u, ell, g, top: -(u**g + g * p * u ** (g - 1) * ell)), "sign is flipped"),
        (weighted(lambda p, u, ell, g, top: (u**g + g * p * u ** (g - 1) * ell) / len(p)), "not the batch mean"),
        (
            weighted(lambda p, u, ell, g, top: (1 - top) ** g + g * top * (1 - top) ** (g - 1) * -np.log(top)),
            "not of the predicted class",
        ),
        (weighted(lambda p, u, ell, g, top: u**g + g * p * u ** (g - 1) * ell), "nan on a row"),
        (weighted(lambda p, u, ell, g, top: np.where(u > 0, u**g + g * u ** (g - 1) * ell, 0.0)), "needs q_c"),
    ],
)
def test_focal_grad_rejects_typical_mistakes(wrong, hint):
    result = focal_grad.check(wrong)
    assert result.status == "wrong" and hint in result.message, result.message


# --- the logit gap of label smoothing (transfer) -----------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [lambda e, c: np.log((1 - e + e / c) / (e / c)), lambda e, c: np.log1p(c * (1 - e) / e)],
)
def test_logit_gap_accepts_correct_answers(answer):
    result = smoothing_logit_gap.check(answer)
    assert result.status == "correct", result.message


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda e, c: np.log((1 - e) / e), "gets its share of ε too"),
        (lambda e, c: np.log((1 - e) / (e / c)), "not 1 − ε"),
        (lambda e, c: np.log((1 - e / 2) / (e / 2)), "binary smoothing toward ½"),
        (lambda e, c: -np.log((1 - e + e / c) / (e / c)), "sign is flipped"),
        (lambda e, c: np.log2((1 - e + e / c) / (e / c)), "natural logs"),
        (lambda e, c: np.inf, "finite"),
    ],
)
def test_logit_gap_rejects_typical_mistakes(wrong, hint):
    result = smoothing_logit_gap.check(wrong)
    assert result.status == "wrong" and hint in result.message, result.message

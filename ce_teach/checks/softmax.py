"""Exercises for notebook 05: a stable log-softmax, a sparse softmax cross-entropy, and (transfer) the
loss of a model at initialisation.

Each diagnosis recomputes one typical wrong answer on the failing input and compares it with what the
learner returned, so the hint names the actual mistake (log of the softmax, no max shift, one max for
the whole batch, labels off by one, the wrong gather, ...).

    >>> import numpy as np, ce_teach as ct
    >>> ct.checks.initial_loss.check(lambda counts, biases: np.log(len(counts))).status
    'wrong'
"""

from __future__ import annotations

import numpy as np

from ..activations import log_softmax
from ..losses import sparse_softmax_cross_entropy_with_logits
from .exercise import Exercise

__all__ = ["initial_loss", "sparse_cross_entropy", "stable_log_softmax"]


def _same(got: np.ndarray, candidate: np.ndarray) -> bool:
    """``got`` equals a known wrong answer (shapes equal, infinities and NaNs in the same places)."""
    candidate = np.asarray(candidate, dtype=float)
    return got.shape == candidate.shape and bool(np.allclose(got, candidate, rtol=1e-9, atol=1e-12, equal_nan=True))


# --- the wrong answers people write, each with the hint that names its mistake ---------------------


def _shifted_log_softmax(x, *, row_max=True, keepdims=True, sum_axis=-1):
    """x − m − log Σ e^{x − m} with a chosen (possibly wrong) max and sum; the keyword defaults are right."""
    m = x.max(axis=-1, keepdims=keepdims) if row_max else x.max()
    shifted = x - m
    return shifted - np.log(np.exp(shifted).sum(axis=sum_axis, keepdims=keepdims))


def _log_of_softmax(x):
    """np.log(softmax(x)), max shift included: a probability that underflows to 0 gives −inf."""
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return np.log(e / e.sum(axis=-1, keepdims=True))


def _log_of_naive_softmax(x):
    """np.log(e^x / Σ e^x): overflows (inf/inf = nan) for large logits, underflows for small ones."""
    e = np.exp(x)
    return np.log(e / e.sum(axis=-1, keepdims=True))


def _no_max_shift(x):
    """x − log Σ e^x: the log-sum-exp without subtracting the max first; e^1000 = inf."""
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


_UNDERFLOW = (
    "you took log(softmax(x)): a probability below ~1e-308 is stored as 0 and log 0 = −inf, although "
    "log S(x)_i = x_i − m − log Σ_j e^{x_j − m} is an ordinary number (here −800). "
    "Never form the probability; subtract the log-sum-exp instead."
)
_OVERFLOW = (
    "e^x overflows to inf for x > 709, so log Σ e^x is inf. Subtract the row maximum m first: "
    "log Σ_j e^{x_j} = m + log Σ_j e^{x_j − m}, and every exponent is then ≤ 0."
)
_DELTAS = (1e-300, 1e-100, 1e-45, 1e-30, 1e-20, 1e-15, 1e-12, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3)


def _probabilities(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _capped_log(x):
    """(δ, log of the probabilities with δ clipped in or added) for each usual δ: the 'fix' for log 0."""
    p = _probabilities(x)
    for delta in _DELTAS:
        yield delta, np.log(np.clip(p, delta, None))
        yield delta, np.log(p + delta)


def _capped_hint(delta: float) -> str:
    return (
        f"you kept the probability away from 0 with δ = {delta:g} (clipped, or added inside the log): that "
        f"avoids −inf but caps every log-probability at ln δ = {np.log(delta):.4g}, so a confident mistake "
        "costs too little. Compute x − m − log Σ e^{x − m} directly and no δ is needed."
    )


_LOG_SOFTMAX_MISTAKES = [
    (_log_of_softmax, _UNDERFLOW),
    (_log_of_naive_softmax, _UNDERFLOW),
    (_no_max_shift, _OVERFLOW),
    (
        lambda x: _shifted_log_softmax(x, row_max=False, keepdims=False, sum_axis=None),
        "right for one row, but for a batch x.max() and np.sum(...) run over the whole array: take both per row, "
        "with axis=-1 and keepdims=True.",
    ),
    (
        lambda x: _shifted_log_softmax(x, row_max=False),
        "you subtracted one maximum for the whole batch (x.max()); each row needs its own, "
        "m = x.max(axis=-1, keepdims=True). A row far below the batch max underflows to all zeros.",
    ),
    (
        lambda x: _shifted_log_softmax(x, keepdims=False),
        "without keepdims=True the row maxima (shape (N,)) line up with the columns, not the rows: "
        "x - x.max(axis=-1) subtracts row i's max from column i. Use keepdims=True for the max and the sum.",
    ),
    (
        lambda x: _shifted_log_softmax(x, sum_axis=0),
        "the sum runs over the wrong axis: sum over the classes, axis=-1 (with keepdims=True), not axis=0.",
    ),
]


def _log_softmax_mistakes(got, expected, args):
    (x,) = args
    for mistake, hint in _LOG_SOFTMAX_MISTAKES:
        try:
            candidate = mistake(x)
        except ValueError:  # this mistake cannot even run on this input (e.g. a shape error)
            continue
        if _same(got, candidate):
            return hint
    for delta, candidate in _capped_log(x):
        if _same(got, candidate):
            return _capped_hint(delta)
    return None


def _sign(message: str):
    """A wrong-sign diagnosis with an exercise's own explanation (only when the shapes agree)."""

    def diagnose(got, expected, args):
        if got.shape == expected.shape and not np.allclose(expected, 0) and _same(got, -expected):
            return message
        return None

    return diagnose


stable_log_softmax = Exercise(
    "stable log_softmax",
    reference=lambda x: log_softmax(x, axis=-1),
    cases=[
        (np.array([3.0, 1.0, -3.0]),),
        (np.array([0.0, -800.0]),),
        (np.array([1000.0, 0.0, -1.0]),),
        (np.array([[1.0, 2.0, 3.0], [1000.0, 999.0, 0.0], [-5.0, -5.0, -5.0]]),),
        (np.array([[-800.0, 0.0, 800.0], [0.0, 0.0, 0.0]]),),  # a batch with a row far from the batch max
        (np.array([[0.0, -800.0], [100.0, 0.0]], dtype=np.float32),),  # float32: e^x overflows past x = 88.7
    ],
    diagnoses=[
        _log_softmax_mistakes,
        _sign("your result has the wrong sign: log-probabilities are ≤ 0, log S(x)_i = x_i − logsumexp(x)."),
    ],
    hint="log S(x)_i = (x_i − m) − log Σ_j e^{x_j − m} with m = max_j x_j, per row (axis=-1, keepdims=True).",
    package_answers=("log_softmax", "logsumexp"),
)


# --- sparse cross-entropy -----------------------------------------------------------------------


def _gathered(logits, labels):
    """The reference's −log S(x) at arbitrary (possibly wrong) class indices, per row."""
    return -log_softmax(logits, axis=-1)[np.arange(logits.shape[0]), labels]


def _sparse_mistakes(got, expected, args):
    labels, logits = args
    n, n_classes = logits.shape
    rows = np.arange(n)
    if got.shape == (n, n):
        return (
            "logits[:, labels] picks every label's column for every row, an (N, N) matrix; pick one entry per "
            "row with logits[np.arange(N), labels]."
        )
    if got.shape == (n, n_classes):
        return "you returned −log S(x) for every class; the loss of row i is only the entry at its label, labels[i]."
    if got.shape == () and np.allclose(got, expected.mean()):
        return "you returned the batch mean; return one loss per row (take .mean() later, outside)."
    off_by_one = "labels are used off by one: class indices start at 0, so row i's class is column labels[i]."
    candidates = [
        (lambda: _gathered(logits, labels - 1), off_by_one),
        (lambda: _gathered(logits, labels + 1), off_by_one),
        (lambda: -_log_of_softmax(logits)[rows, labels], _UNDERFLOW_LOSS),
        (lambda: -_log_of_naive_softmax(logits)[rows, labels], _UNDERFLOW_LOSS),
        (lambda: -_no_max_shift(logits)[rows, labels], _OVERFLOW),
        (lambda: np.exp(-expected), "that is the probability S(x)_label, not the loss −log S(x)_label."),
        *((lambda c=c: -c[rows, labels], _capped_hint(delta)) for delta, c in _capped_log(logits)),
    ]
    for candidate, hint in candidates:
        try:
            wrong = candidate()
        except IndexError:  # labels + 1 == C: this mistake would have raised, not returned
            continue
        if _same(got, wrong):
            return hint
    return None


_UNDERFLOW_LOSS = (
    "−log(softmax(x)) turns a probability that underflows to 0 into inf (and e^1000 into nan): compute "
    "log Σ_j e^{x_j − m} + m − x_label directly, never the probability."
)


sparse_cross_entropy = Exercise(
    "sparse softmax cross-entropy",
    reference=sparse_softmax_cross_entropy_with_logits,
    cases=[
        (np.array([0, 1]), np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]])),
        (np.array([2, 0, 1]), np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-2.0, 4.0, 1.0]])),
        (np.array([1, 0]), np.array([[1000.0, 0.0, -5.0], [-800.0, 0.0, 3.0]])),  # confident mistakes
        (np.array([2]), np.array([[100.0, 0.0, -100.0]], dtype=np.float32)),  # float32: loss 200, e^100 overflows
    ],
    diagnoses=[
        _sparse_mistakes,
        _sign("your result has the wrong sign: the loss is −log S(x)_label ≥ 0, not log S(x)_label."),
    ],
    hint="loss_i = log Σ_j e^{x_ij} − x_{i, label_i}, computed stably: m + log Σ e^{x − m} per row.",
    package_answers=(
        "sparse_softmax_cross_entropy_with_logits",
        "log_softmax",
        "logsumexp",
        "sparse_categorical_crossentropy",
    ),
)


# --- transfer: the loss of a model at initialisation ---------------------------------------------


def _initial_loss(counts, biases):
    """Mean cross-entropy over a data set with ``counts[i]`` examples of class i, when every logit row is
    ``biases`` (a freshly initialised model whose weights have not yet learned anything)."""
    counts = np.asarray(counts, dtype=float)
    return float(-(counts * log_softmax(np.asarray(biases, dtype=float))).sum() / counts.sum())


def _initial_mistakes(got, expected, args):
    counts, biases = (np.asarray(a, dtype=float) for a in args)
    if got.shape != ():
        return "return one number, the mean loss over the whole data set (not one value per class or example)."
    log_q = log_softmax(biases)
    frequencies = counts / counts.sum()
    with np.errstate(all="ignore"):
        naive = np.log(np.exp(biases) / np.exp(biases).sum())
    candidates = [
        (
            np.log(counts.size),
            "ln C is the loss only when all logits are equal; here the biases differ: "
            "use the probabilities S(b) they give.",
        ),
        (-(counts * log_q).sum(), "that is the total over the data set; the loss is the mean: divide by N = Σ counts."),
        (
            -log_q.mean(),
            "you averaged over the classes as if each were equally frequent; weight each class's "
            "−ln S(b)_i by its share counts_i / N of the examples.",
        ),
        (
            -(frequencies * np.log(frequencies, where=frequencies > 0, out=np.zeros_like(frequencies))).sum(),
            "that is the entropy of the class frequencies: the loss only when S(b) equals them. Use S(b) itself.",
        ),
        (-(counts * log_q).sum() / counts.sum() / np.log(2), "you answered in bits; the loss is in nats (np.log)."),
        ((counts * log_q).sum() / counts.sum(), "the sign is flipped: the loss is −mean ln S(b)_c ≥ 0."),
        (
            -(counts * naive).sum() / counts.sum(),
            "np.log(np.exp(b) / ...) overflows or underflows for large "
            "biases (e^800 = inf): use the max-shifted log-softmax.",
        ),
    ]
    for candidate, hint in candidates:
        if _same(got, candidate):
            return hint
    return None


initial_loss = Exercise(
    "loss at initialisation",
    reference=_initial_loss,
    cases=[
        (np.array([25, 25, 25, 25]), np.zeros(4)),
        (np.array([10, 30, 60]), np.zeros(3)),
        (np.array([10, 30, 60]), np.log(np.array([0.1, 0.3, 0.6]))),
        (np.array([5, 0, 3, 2]), np.array([0.5, -1.0, 2.0, 0.0])),
        (np.array([1, 2, 3]), np.array([800.0, 0.0, -800.0])),
    ],
    diagnoses=[_initial_mistakes],
    hint="every example gets the same probabilities S(b); class i costs −ln S(b)_i, and a fraction counts_i / N "
    "of the examples are class i: loss = −Σ_i (counts_i / N) ln S(b)_i.",
    package_answers=(
        "log_softmax",
        "logsumexp",
        "softmax_cross_entropy_with_logits",
        "sparse_softmax_cross_entropy_with_logits",
        "cross_entropy",
    ),
)

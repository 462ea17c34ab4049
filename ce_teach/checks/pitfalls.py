"""Exercises for notebook 08, the bug hunt: one checker per pitfall, each recognising the bug it is about.

Every checker compares the learner's fixed function with the package on a few inputs chosen so that
the bug shows (rows of different scale, confident mistakes, a probability that underflows, ...). When
the answer is wrong, each diagnosis recomputes one known wrong answer (the original bug, or a typical
half-fix) on the same input; the first that matches names the mistake.
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
from ._core import CheckResult, Exercise, _short

__all__ = [
    "pitfall_softmax_twice",
    "pitfall_logits_as_probabilities",
    "pitfall_batch_max",
    "pitfall_log_of_softmax",
    "pitfall_epsilon_in_log",
    "pitfall_integer_labels",
    "pitfall_label_range",
    "pitfall_kl_order",
]


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
    if got.ndim == 0 and expected.ndim >= 1:
        return "return one loss per example (row), not their mean: leave the reduction to the caller."
    return None


def _one_hot(labels, n_classes):
    return np.eye(n_classes)[np.asarray(labels)]


# --- 1. softmax applied twice ----------------------------------------------------------------------

_TWICE_CASES = [
    (np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), np.array([[20.0, 0.0, 0.0], [1.0, 2.0, -1.0]])),
    (np.array([[0.0, 0.0, 1.0, 0.0]]), np.array([[2.0, -3.0, 0.5, 8.0]])),
]

pitfall_softmax_twice = Exercise(
    "pitfall 1: softmax applied twice",
    reference=softmax_cross_entropy_with_logits,
    cases=_TWICE_CASES,
    diagnoses=[
        _mistakes([
            (lambda y, x: softmax_cross_entropy_with_logits(y, softmax(x)),
             "still softmax twice: the loss function applies softmax itself, so give it the logits, not softmax(x)."),
            (lambda y, x: softmax_cross_entropy_with_logits(y, softmax(softmax(x))),
             "that is softmax three times: pass the raw logits to the loss."),
        ]),
        _one_loss_per_row,
    ],
    hint="loss = ct.softmax_cross_entropy_with_logits(labels, logits): the logits go in untouched.",
)


# --- 2. logits passed as probabilities -------------------------------------------------------------


def _keras_probability_bce(z, p):
    """Keras' from_logits=False path, elementwise: clip to [ε, 1 − ε], then the textbook formula."""
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return -(z * np.log(p) + (1 - z) * np.log(1 - p))


_LOGIT_CASES = [
    (np.array([1.0, 1.0, 0.0, 0.0]), np.array([3.0, -2.0, 0.4, -0.3])),
    (np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[20.0, -40.0], [0.0, 5.0]])),
]

pitfall_logits_as_probabilities = Exercise(
    "pitfall 2: logits passed as probabilities",
    reference=sigmoid_cross_entropy_with_logits,
    cases=_LOGIT_CASES,
    diagnoses=[
        _mistakes([
            (_keras_probability_bce,
             "still treating logits as probabilities: the clip turns every logit above 1 into 1 − 1e-7 and every "
             "negative one into 1e-7. Use the logits form (from_logits=True)."),
            (lambda z, x: _keras_probability_bce(z, sigmoid(x)),
             "sigmoid first, then the probability loss: right for moderate logits, but the clip caps a confident "
             "mistake at −ln(1e-7) = 16.118 (the true loss of logit 20 with label 0 is 20). Use the logits form."),
            (lambda z, x: -(z * np.log(1 / (1 + np.exp(-x))) + (1 - z) * np.log(1 - 1 / (1 + np.exp(-x)))),
             "the textbook formula on σ(x): σ(40) rounds to 1.0 and log(1 − 1.0) = −inf. Use the stable logits form "
             "max(x, 0) − x·z + log(1 + e^{−|x|})."),
        ]),
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
    (np.array([[1.0, 2.0, 3.0], [0.5, 0.0, -0.5]]),),
    (np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0]]),),
    (np.array([1000.0, 0.0]),),
    (np.array([[-800.0, -801.0], [3.0, 0.0], [0.0, 0.0]]),),
]

pitfall_batch_max = Exercise(
    "pitfall 3: one max for the whole batch",
    reference=softmax,
    cases=_BATCH_CASES,
    diagnoses=[
        _mistakes([
            (lambda x: _softmax_shifted_by(x, x.max()),
             "still one maximum for the whole batch: x.max() is the largest logit of *all* rows, and a row far "
             "below it underflows to 0/0 = nan. Use x.max(axis=-1, keepdims=True)."),
            (lambda x: _softmax_shifted_by(x, x.min(axis=-1, keepdims=True)),
             "you subtracted the row minimum: then the largest exponent is positive and can overflow. "
             "Subtract the maximum."),
            (lambda x: _softmax_shifted_by(x, 0.0),
             "no max shift at all: e^1000 overflows to inf and inf/inf = nan. Subtract each row's maximum first."),
            (_softmax_over_batch,
             "you normalised along axis 0 (over the batch); softmax runs along the class axis, axis=-1."),
        ]),
    ],
    hint="e = np.exp(x - x.max(axis=-1, keepdims=True)); return e / e.sum(axis=-1, keepdims=True)",
)


# --- 4. log(softmax(x)) underflowing to −inf -------------------------------------------------------


def _gather(values, labels):
    labels = np.asarray(labels)
    return np.take_along_axis(values, labels[..., None], axis=-1)[..., 0]


_LOG_CASES = [
    (np.array([0, 0]), np.array([[2.0, 1.0, 0.1], [-400.0, 400.0, 0.0]])),
    (np.array([1, 2, 0]), np.array([[3.0, -3.0, 3.0], [0.0, 0.0, 0.0], [5.0, 1.0, -1.0]])),
    (np.array([1]), np.array([[800.0, 799.0]])),
    (np.array([1]), np.array([[1000.0, 0.0]])),
]

pitfall_log_of_softmax = Exercise(
    "pitfall 4: log(softmax(x)) underflows",
    reference=sparse_softmax_cross_entropy_with_logits,
    cases=_LOG_CASES,
    diagnoses=[
        _mistakes([
            (lambda y, x: -np.log(_gather(softmax(x), y)),
             "still log(softmax(x)): S(x)_y = e^{−800} is stored as 0, and −log 0 = inf although the loss is 800. "
             "Stay in log space: −log S(x)_y = logsumexp(x) − x_y (ct.log_softmax)."),
            (lambda y, x: -_gather(x - np.log(np.exp(x).sum(axis=-1, keepdims=True)), y),
             "log space, but without the max shift: e^1000 = inf. Subtract the row maximum inside the log-sum-exp."),
            (lambda y, x: -np.log(_gather(softmax(x), y) + 1e-12),
             "adding a small ε before the log hides the inf but caps the loss at −ln ε and biases it "
             "(pitfall 5). Use log_softmax."),
        ]),
        _one_loss_per_row,
    ],
    hint="return -ct.log_softmax(logits)[np.arange(len(labels)), labels] "
    "(or ct.sparse_softmax_cross_entropy_with_logits).",
)


# --- 5. ε inside the log ---------------------------------------------------------------------------


def _eps_loss(eps):
    return lambda y, x: -(y * np.log(softmax(x) + eps)).sum(axis=-1)


_EPS_CASES = [
    (np.array([[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]]), np.array([[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]])),
    (np.array([[1.0, 0.0]]), np.array([[0.0, 30.0]])),
]
_EPS_HINT = (
    "you still add ε inside the log. −Σ y·log(q + ε) is biased by about −ε·Σ y/q, and for q ≪ ε it stops "
    "growing at −ln ε (13.8 for 1e-6) while the true loss here is 30. Compute from the logits instead."
)

pitfall_epsilon_in_log = Exercise(
    "pitfall 5: ε inside the log",
    reference=softmax_cross_entropy_with_logits,
    cases=_EPS_CASES,
    diagnoses=[
        _mistakes([(_eps_loss(eps), _EPS_HINT) for eps in (1e-6, 1e-7, 1e-8, 1e-10, 1e-12, 1e-15)]
                  + [(lambda y, x: -(y * np.log(np.clip(softmax(x), EPSILON, 1.0))).sum(axis=-1),
                      "clipping q to [1e-7, 1] is the same trick as ε: the loss of a confident mistake is capped at "
                      "16.1 instead of 30. Compute from the logits.")]),
        _one_loss_per_row,
    ],
    hint="loss = ct.softmax_cross_entropy_with_logits(labels, logits), or -(labels * ct.log_softmax(logits)).sum(-1).",
)


# --- 6. sigmoid loss fed integer class labels ------------------------------------------------------


def _binary_on_classes(z, x):
    """The textbook binary formula with z = a class index, x = one logit per example (the bug)."""
    a = 1 / (1 + np.exp(-x))
    return -(z * np.log(a) + (1 - z) * np.log(1 - a))


_CLASS_CASES = [
    (np.array([0, 3, 1, 4, 2]), np.array([
        [2.0, 0.5, -1.0, 0.0, 0.3],
        [0.1, 0.2, 0.3, 3.0, -2.0],
        [-1.0, 4.0, 0.0, 0.0, 1.0],
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [1.0, 1.0, 6.0, -3.0, 2.0],
    ])),
    (np.array([2, 0]), np.array([[0.0, 1.0, 2.0], [5.0, -5.0, 0.0]])),
]

pitfall_integer_labels = Exercise(
    "pitfall 6: class labels in a sigmoid loss",
    reference=sparse_softmax_cross_entropy_with_logits,
    cases=_CLASS_CASES,
    diagnoses=[
        _mistakes([
            (lambda z, x: sigmoid_cross_entropy_with_logits(_one_hot(z, x.shape[-1]), x).sum(axis=-1),
             "one-hot labels with the sigmoid loss treat the classes as independent yes/no questions (multi-label). "
             "For exactly one class per example use the softmax loss: sparse softmax cross-entropy."),
            (lambda z, x: sigmoid_cross_entropy_with_logits(_one_hot(z, x.shape[-1]), x).mean(axis=-1),
             "one-hot labels with the sigmoid loss (averaged, as Keras does) is the multi-label loss; "
             "for exactly one class per example use sparse softmax cross-entropy."),
            (lambda z, x: _binary_on_classes(z[:, None], x).mean(axis=-1),
             "class indices 2, 3, 4 in the binary formula make 1 − z negative: the loss goes negative. "
             "Use the softmax loss with integer labels."),
        ]),
        _one_loss_per_row,
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
                    return CheckResult("wrong", f"✗ {self.name}({shown}) raised ValueError, but its message does "
                                                f"not name the bad value {bad_value}: {error}")
                continue
            except Exception as error:
                outcome = error
            hint = self.bad_hint(args, outcome) if self.bad_hint else ""
            what = (f"raised {type(outcome).__name__}: {outcome}" if isinstance(outcome, Exception)
                    else f"returned {_short(outcome)}")
            return CheckResult("wrong", f"✗ {self.name}({shown}) {what}\n    expected a ValueError naming "
                                        f"{bad_value}" + (f"\n  Hint: {hint}" if hint else ""))
        return CheckResult("correct", f"✓ {self.name}: correct on all {len(self.cases)} good inputs, "
                                      f"and refuses all {len(self.bad_cases)} bad ones.")


def _label_range_hint(args, outcome) -> str:
    labels, logits = args
    if isinstance(outcome, IndexError):
        return ("NumPy's own IndexError catches labels ≥ C, but not −1, which silently picks the last class. "
                "Check 0 ≤ label < C yourself and raise ValueError naming the label and the range.")
    if isinstance(outcome, Exception):
        return "raise ValueError (a bad value), naming the label and the valid range [0, C)."
    if np.min(labels) < 0:
        return ("label −1 wrapped around: NumPy indexing counts from the end, so it silently became class C − 1. "
                "Check 0 ≤ label < C before indexing.")
    return "some label is ≥ C (the number of logits per row); check 0 ≤ label < C before computing anything."


_RANGE_GOOD = [
    (np.array([0, 2, 1]), np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0], [-1.0, 4.0, 0.0]])),
    (np.array([8, 0]), np.linspace(-2.0, 2.0, 18).reshape(2, 9)),
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
        _mistakes([
            (lambda y, x: -_gather(log_softmax(x), y - 1),
             "off by one: labels are already 0-based indices into the C logits of a row (y − 1 turned label 0 "
             "into −1, the last class)."),
        ]),
        _one_loss_per_row,
    ],
    hint="the loss of row i is −log_softmax(logits)[i, labels[i]].",
    bad_cases=_RANGE_BAD,
    bad_hint=_label_range_hint,
)


# --- 8. KL argument order (PyTorch's kl_div) --------------------------------------------------------


def _torch_style_kl_div(input, target):
    """PyTorch's documented ``kl_div(input, target)`` pointwise formula, target·(log target − input), summed per row.

    ``input`` is meant to hold log-probabilities log q and ``target`` probabilities p; then this is
    D_KL(p‖q), the other way round from the argument order. (The same function as in notebook 08.)
    """
    return (target * (np.log(target) - input)).sum(axis=-1)


def _negative_kl(got, expected, args):
    if np.any(got < 0):
        return "a KL divergence is never negative (Gibbs' inequality): check the sign and which argument is logged."
    return None


_KL_CASES = [
    (np.array([0.7, 0.2, 0.1]), np.array([0.2, 0.5, 0.3])),
    (np.array([[0.5, 0.5], [0.9, 0.1]]), np.array([[0.9, 0.1], [0.5, 0.5]])),
    (np.array([0.25, 0.25, 0.25, 0.25]), np.array([0.1, 0.2, 0.3, 0.4])),
]

pitfall_kl_order = Exercise(
    "pitfall 8: KL argument order",
    reference=kl_divergence,
    cases=_KL_CASES,
    diagnoses=[
        _mistakes([
            (lambda p, q: _torch_style_kl_div(q, p),
             "probabilities given as input: kl_div wants log-probabilities as its first argument: "
             "torch_style_kl_div(np.log(q), p)."),
            (lambda p, q: _torch_style_kl_div(p, q),
             "that is the original bug: kl_div(p, q) with probabilities, in maths order. kl_div(input, target) "
             "computes D(target‖input) from log-probabilities: call torch_style_kl_div(np.log(q), p)."),
            (lambda p, q: _torch_style_kl_div(np.log(p), q),
             "right form, wrong order: that is D(q‖p). The target p goes second: torch_style_kl_div(np.log(q), p)."),
            (lambda p, q: kl_divergence(q, p),
             "that is D(q‖p); KL is not symmetric. D(p‖q) = Σ p·log(p/q)."),
        ]),
        _negative_kl,
    ],
    hint="D(p‖q) = torch_style_kl_div(np.log(q), p) = ct.kl_divergence(p, q) = Σ p·log(p/q).",
)

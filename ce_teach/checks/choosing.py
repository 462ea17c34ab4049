"""Exercises for notebook 07: pick the loss for a task, and compute ``pos_weight`` from multi-label targets.

``loss_choice`` calls the learner's ``f(task)`` on a few ``Task`` descriptions and expects the *name* of the
``ce_teach`` function the decision table of notebook 07 gives (``"sparse_softmax_cross_entropy_with_logits"``,
with or without a ``ct.`` prefix). Framework names are accepted where they compute the same loss
(``"CrossEntropyLoss"``, ``"BCEWithLogitsLoss(pos_weight=w)"``, ``"SparseCategoricalCrossentropy(from_logits=True)"``,
see ``framework_equivalent``). ``pos_weight`` calls ``f(labels)`` on (N, C) 0/1 targets and expects one
weight per column, negatives / positives (``ct.pos_weight_from_labels``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..weighting import pos_weight_from_labels
from .exercise import Checker, CheckResult, Exercise

__all__ = [
    "Task",
    "recommended_loss",
    "acceptable_losses",
    "framework_equivalent",
    "LossChoiceExercise",
    "loss_choice",
    "pos_weight",
]

LABEL_FORMATS = ("index", "one-hot", "soft", "0/1")

SIGMOID = ("sigmoid_cross_entropy_with_logits", "weighted_cross_entropy_with_logits")
SOFTMAX = (
    "softmax_cross_entropy_with_logits",
    "sparse_softmax_cross_entropy_with_logits",
    "class_weighted_sparse_cross_entropy",
)
PROBABILITY_LOSSES = ("binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy")
LOSSES = SIGMOID + SOFTMAX + PROBABILITY_LOSSES


@dataclass(frozen=True)
class Task:
    """A classification task, as far as the choice of loss is concerned. The model always outputs logits.

    ``exclusive``: exactly one class is right for each example (True), or each output is its own yes/no
    question, so several or none can be right (False). ``labels``: how the targets are stored: ``"index"``
    (one integer class per example), ``"one-hot"`` or ``"soft"`` (a row of probabilities per example) for
    exclusive tasks, ``"0/1"`` (one 0 or 1 per output) for yes/no tasks. ``rare_positives``: the yes answers are
    rare and should weigh more (yes/no tasks). ``padding``: some positions are padding whose label must not
    count (index labels).
    """

    description: str
    exclusive: bool
    labels: str
    rare_positives: bool = False
    padding: bool = False

    def __post_init__(self):
        if self.labels not in LABEL_FORMATS:
            raise ValueError(f"labels must be one of {LABEL_FORMATS}, got {self.labels!r}")
        if self.exclusive == (self.labels == "0/1"):
            raise ValueError("exclusive tasks have 'index', 'one-hot' or 'soft' labels; yes/no tasks have '0/1' labels")
        if self.rare_positives and self.exclusive:
            raise ValueError("rare_positives is about yes/no outputs; for exclusive tasks use class weights")
        if self.padding and self.labels != "index":
            raise ValueError("padding is marked with an ignored label value, which needs index labels")


def recommended_loss(task: Task) -> str:
    """The decision table of notebook 07, as code: the name of the ``ce_teach`` loss for ``task``."""
    if not task.exclusive:
        return "weighted_cross_entropy_with_logits" if task.rare_positives else "sigmoid_cross_entropy_with_logits"
    if task.labels == "index":
        return "class_weighted_sparse_cross_entropy" if task.padding else "sparse_softmax_cross_entropy_with_logits"
    return "softmax_cross_entropy_with_logits"


def acceptable_losses(task: Task) -> tuple[str, ...]:
    """Every name accepted for ``task``: the recommended one, and for plain index labels also the
    PyTorch-style ``class_weighted_sparse_cross_entropy`` (without weights it is the mean sparse loss)."""
    best = recommended_loss(task)
    if best == "sparse_softmax_cross_entropy_with_logits":
        return (best, "class_weighted_sparse_cross_entropy")
    return (best,)


TASKS = (
    Task("spam or not, one logit per e-mail", exclusive=False, labels="0/1"),
    Task("which of 10 digits, labels 0…9", exclusive=True, labels="index"),
    Task("photo tags: cat? dog? man? (any number)", exclusive=False, labels="0/1"),
    Task("which of 3 classes, one-hot rows", exclusive=True, labels="one-hot"),
    Task("fraud or not, 1 in 500 is fraud", exclusive=False, labels="0/1", rare_positives=True),
    Task("next word of padded sentences, pad = -100", exclusive=True, labels="index", padding=True),
    Task("teacher's probabilities (distillation)", exclusive=True, labels="soft"),
)


def _normalise(answer: str) -> str:
    name = answer.strip()
    for prefix in ("ce_teach.", "ct."):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name.removesuffix("()")


_FRAMEWORK_PREFIXES = (
    "torch.nn.functional.",
    "torch.nn.",
    "nn.functional.",
    "nn.",
    "F.",
    "tf.compat.v1.nn.",
    "tf.nn.",
    "tf.keras.losses.",
    "keras.losses.",
    "losses.",
)
NO_SUCH_FUNCTION = (
    "sparse_softmax_cross_entropy_with_logits_v2 does not exist in TensorFlow's API: only the non-sparse "
    "softmax_cross_entropy_with_logits has a _v2 (tensorflow/python/ops/nn_ops.py exports a Python function of that "
    "name as tf.nn.sparse_softmax_cross_entropy_with_logits). Use tf.nn.sparse_softmax_cross_entropy_with_logits, "
    "here sparse_softmax_cross_entropy_with_logits."
)


def framework_equivalent(answer: str, task: Task) -> tuple[str | None, str | None]:
    """A TensorFlow, Keras or PyTorch loss name (with its arguments, e.g. ``"BCEWithLogitsLoss(pos_weight=w)"``)
    as the ``ce_teach`` loss it computes for ``task``: ``(name, None)``, or ``(None, hint)`` when it has no
    equivalent here, or ``(None, None)`` when ``answer`` is not a framework name this checker knows."""
    text = answer.strip()
    for prefix in _FRAMEWORK_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    base, _, arguments = text.partition("(")
    arguments = arguments.replace(" ", "")
    logits = "from_logits=True" in arguments
    if base == "sparse_softmax_cross_entropy_with_logits_v2":
        return None, NO_SUCH_FUNCTION
    if base in LOSSES:  # tf.nn.* and the Keras functions share the names used here
        return base, None
    if base == "softmax_cross_entropy_with_logits_v2":
        return "softmax_cross_entropy_with_logits", None
    if base in ("BCEWithLogitsLoss", "binary_cross_entropy_with_logits"):
        weighted = "pos_weight" in arguments
        return ("weighted_cross_entropy_with_logits" if weighted else "sigmoid_cross_entropy_with_logits"), None
    if base in ("CrossEntropyLoss", "cross_entropy"):
        # logits, with class-index targets (ignore_index=-100 by default) or probability targets of the logits' shape
        if not task.exclusive:
            return "softmax_cross_entropy_with_logits", None
        return recommended_loss(task), None
    if base in ("NLLLoss", "nll_loss"):
        return None, (
            "NLLLoss takes log-probabilities, not logits: it needs log_softmax in front "
            "(CrossEntropyLoss = NLLLoss ∘ log_softmax). The model outputs logits: use CrossEntropyLoss, "
            "here sparse_softmax_cross_entropy_with_logits."
        )
    if base in ("BCELoss", "binary_cross_entropy"):
        return "binary_crossentropy", None
    keras = {
        "BinaryCrossentropy": ("sigmoid_cross_entropy_with_logits", "binary_crossentropy"),
        "CategoricalCrossentropy": ("softmax_cross_entropy_with_logits", "categorical_crossentropy"),
        "SparseCategoricalCrossentropy": (
            "sparse_softmax_cross_entropy_with_logits",
            "sparse_categorical_crossentropy",
        ),
    }
    if base in keras:
        fused, probabilities = keras[base]
        if logits and base == "SparseCategoricalCrossentropy" and "ignore_class" in arguments:
            return "class_weighted_sparse_cross_entropy", None
        return (fused if logits else probabilities), None
    return None, None


def _hint(task: Task, got: str, expected: str) -> str:
    if got in PROBABILITY_LOSSES:
        return (
            f"{got} is the Keras-style loss for *probabilities* (from_logits=False by default): it clips and "
            "loses the answer for confident predictions. The model outputs logits: use a *_with_logits loss."
        )
    if got not in LOSSES:
        return (
            f"{got!r} is neither a ce_teach loss ({', '.join(SIGMOID + SOFTMAX)}) nor a TensorFlow, Keras or "
            "PyTorch loss this checker knows (e.g. 'CrossEntropyLoss', 'BCEWithLogitsLoss(pos_weight=w)', "
            "'SparseCategoricalCrossentropy(from_logits=True)')."
        )
    if not task.exclusive and got in SOFTMAX:
        return (
            "each output is its own yes/no question (one logit for yes/no, or tags of which several or none can "
            "be true), but softmax makes the classes compete for one unit of probability: use the sigmoid family."
        )
    if task.exclusive and got in SIGMOID:
        return (
            "exactly one class is right, so the classes compete for one unit of probability: use the softmax "
            "family, not independent sigmoids."
        )
    if task.exclusive and task.labels != "index" and got != expected:
        return (
            "the labels are rows of probabilities (one-hot or soft), not integer indices: use the non-sparse "
            "softmax loss."
        )
    if task.padding:
        return (
            "padded positions must not count: a plain sparse loss would train on the pad label. Use the loss with "
            "ignore_index (PyTorch's CrossEntropyLoss semantics)."
        )
    if task.exclusive:
        return "the labels are integer class indices: use the sparse variant (same loss, no one-hot matrix)."
    if task.rare_positives:
        return "positives are rare: give them more weight with pos_weight ≈ negatives / positives."
    return "no positive is rare here: the plain sigmoid loss is the one; pos_weight is for imbalanced yes/no data."


@dataclass
class LossChoiceExercise(Checker):
    """Checks a function ``f(task) -> str`` against ``acceptable_losses`` on a few tasks."""

    name: str
    reference: Callable[[Task], tuple[str, ...]]  # the accepted names for a task
    tasks: tuple[Task, ...]

    def check(self, candidate: Callable) -> CheckResult:
        if not callable(candidate):
            return CheckResult("wrong", f"✗ {self.name}: pass your function itself, not {type(candidate).__name__}")
        for task in self.tasks:
            try:
                got = candidate(task)
            except NotImplementedError:
                return self._not_attempted()
            except Exception as error:  # a learner's bug: report it, do not crash the notebook
                message = f"✗ {self.name}({task.description!r}) raised {type(error).__name__}: {error}"
                return CheckResult("wrong", message)
            if got is None:
                return self._not_attempted()
            if not isinstance(got, str):
                return CheckResult(
                    "wrong",
                    f"✗ {self.name}({task.description!r}) returned {got!r}: return the function's name as a string, "
                    "e.g. 'sigmoid_cross_entropy_with_logits'",
                )
            accepted = self.reference(task)
            chosen = _normalise(got)
            if chosen not in LOSSES:
                mapped, hint = framework_equivalent(got, task)
                if hint:
                    return CheckResult(
                        "wrong", f"✗ {self.name}: for the task {task.description!r} you chose {got!r}.\n  Hint: {hint}"
                    )
                if mapped is not None:
                    chosen = mapped
            if chosen not in accepted:
                return CheckResult(
                    "wrong",
                    f"✗ {self.name}: for the task {task.description!r} you chose {chosen!r}.\n  Hint: "
                    + _hint(task, chosen, accepted[0]),
                )
        return CheckResult("correct", f"✓ {self.name}: correct on all {len(self.tasks)} tasks.")


loss_choice = LossChoiceExercise("loss choice", acceptable_losses, TASKS)


# --- pos_weight from multi-label targets ------------------------------------------------------------

_rng = np.random.default_rng(7)
_CASES = [
    (np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0], [0.0, 1.0]]),),
    (np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),),
    ((_rng.random((200, 4)) < np.array([0.5, 0.2, 0.05, 0.9])).astype(float),),
    # float32 labels, as a data pipeline stores them: a count of 0/1 entries in float32 is exact below 2^24 rows
    ((_rng.random((300, 3)) < np.array([0.3, 0.02, 0.6])).astype(np.float32),),
]
del _rng


def _inverted(got, expected, args):
    if got.shape == expected.shape and np.allclose(got, 1 / expected, rtol=1e-9) and not np.allclose(expected, 1):
        return "upside down: positives / negatives. The rare positives must weigh *more*: negatives / positives."
    return None


def _all_examples(got, expected, args):
    (z,) = args
    if got.shape == expected.shape and np.allclose(got, z.shape[0] / z.sum(axis=0), rtol=1e-9):
        return "you divided all examples by the positives: count only the negatives, N − P, over P."
    return None


def _fraction(got, expected, args):
    (z,) = args
    if got.shape == expected.shape and np.allclose(got, (1 - z).mean(axis=0), rtol=1e-9):
        return "that is the fraction of negatives; pos_weight is a ratio of counts: negatives / positives."
    return None


def _positive_rate(got, expected, args):
    (z,) = args
    if got.shape == expected.shape and np.allclose(got, z.mean(axis=0), rtol=1e-9):
        return "that is the fraction of positives; pos_weight is negatives / positives, large for rare positives."
    return None


def _wrong_axis(got, expected, args):
    (z,) = args
    if got.shape == (1, z.shape[1]):
        return "keepdims=True left a (1, C) row: return one weight per column, shape (C,)."
    if got.shape == (z.shape[0],):
        return "one weight per column (per tag), so count down each column: sum over axis=0, not axis=1."
    if got.ndim == 0 and expected.ndim == 1:
        return "return one pos_weight per column (per tag), not one number for the whole matrix."
    return None


pos_weight = Exercise(
    "pos_weight from labels",
    reference=pos_weight_from_labels,
    cases=_CASES,
    diagnoses=[_wrong_axis, _inverted, _all_examples, _fraction, _positive_rate],
    rtol=1e-12,
    atol=0.0,
    hint="per column: (number of 0s) / (number of 1s).",
    package_answers=("pos_weight_from_labels",),
)

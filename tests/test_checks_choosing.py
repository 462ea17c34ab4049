"""ce_teach.checks.choosing: the loss-choice and pos_weight checkers accept right answers and diagnose wrong ones."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.checks import loss_choice, pos_weight
from ce_teach.checks.choosing import TASKS, Task, acceptable_losses, recommended_loss


def _stub(*args):
    raise NotImplementedError


def _returns_none(*args):
    pass


# --- loss choice --------------------------------------------------------------------------------


def test_the_tasks_need_every_recommended_loss():
    assert {recommended_loss(t) for t in TASKS} == {
        "sigmoid_cross_entropy_with_logits",
        "weighted_cross_entropy_with_logits",
        "softmax_cross_entropy_with_logits",
        "sparse_softmax_cross_entropy_with_logits",
        "class_weighted_sparse_cross_entropy",
    }
    assert all(callable(getattr(ct, recommended_loss(t))) for t in TASKS), "every answer is a ct function"


RIGHT_CHOICES = {
    "package": recommended_loss,
    "with the ct. prefix and ()": lambda task: f"ct.{recommended_loss(task)}()",
    "class-weighted loss for every index task": lambda task: acceptable_losses(task)[-1],
    "with surrounding spaces": lambda task: f"  ce_teach.{recommended_loss(task)} ",
}


@pytest.mark.parametrize("name", RIGHT_CHOICES)
def test_loss_choice_accepts_right_answers(name):
    result = loss_choice.check(RIGHT_CHOICES[name])
    assert result.status == "correct", result.message


@pytest.mark.parametrize("candidate", [_stub, _returns_none])
def test_loss_choice_not_attempted(candidate):
    result = loss_choice.check(candidate)
    assert result.status == "not attempted" and "not attempted" in result.message


def _except(condition, answer):
    """A learner who is right except when ``condition(task)``, and then answers ``answer``."""
    return lambda task: answer if condition(task) else recommended_loss(task)


WRONG_CHOICES = {
    "always softmax": (lambda task: "softmax_cross_entropy_with_logits", "softmax makes the classes compete"),
    "always sigmoid": (lambda task: "sigmoid_cross_entropy_with_logits", "exactly one class is right"),
    "sparse for one-hot": (
        _except(lambda t: t.labels in ("one-hot", "soft"), "sparse_softmax_cross_entropy_with_logits"),
        "rows of probabilities",
    ),
    "one-hot loss for index labels": (
        _except(lambda t: t.labels == "index" and not t.padding, "softmax_cross_entropy_with_logits"),
        "use the sparse variant",
    ),
    "padding not handled": (
        _except(lambda t: t.padding, "sparse_softmax_cross_entropy_with_logits"),
        "padded positions must not count",
    ),
    "rare positives not weighted": (
        _except(lambda t: t.rare_positives, "sigmoid_cross_entropy_with_logits"),
        "positives are rare",
    ),
    "pos_weight where nothing is rare": (
        _except(lambda t: not t.exclusive and not t.rare_positives, "weighted_cross_entropy_with_logits"),
        "no positive is rare here",
    ),
    "Keras probability loss": (
        _except(lambda t: not t.exclusive, "binary_crossentropy"),
        "the Keras-style loss for *probabilities*",
    ),
    "not a loss at all": (lambda task: "cross_entropy_loss_please", "is neither a ce_teach loss"),
    "not a string": (lambda task: ct.sigmoid_cross_entropy_with_logits, "return the function's name as a string"),
    "crashes": (lambda task: task.no_such_field, "raised AttributeError"),
}


@pytest.mark.parametrize("name", WRONG_CHOICES)
def test_loss_choice_rejects_typical_mistakes_with_the_right_hint(name):
    candidate, hint = WRONG_CHOICES[name]
    result = loss_choice.check(candidate)
    assert result.status == "wrong" and hint in result.message, result.message


def test_loss_choice_prints_its_verdict(capsys):
    loss_choice(recommended_loss)
    assert capsys.readouterr().out.startswith("✓ loss choice: correct on all 7 tasks")
    loss_choice("sigmoid_cross_entropy_with_logits")
    assert "pass your function itself" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(exclusive=True, labels="0/1"), "exclusive tasks have"),
        (dict(exclusive=False, labels="index"), "exclusive tasks have"),
        (dict(exclusive=True, labels="one-hot", rare_positives=True), "rare_positives is about yes/no outputs"),
        (dict(exclusive=True, labels="soft", padding=True), "padding is marked with an ignored label"),
        (dict(exclusive=True, labels="integer"), "labels must be one of"),
    ],
)
def test_tasks_must_make_sense(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Task("a task", **kwargs)


# --- pos_weight ---------------------------------------------------------------------------------

RIGHT_WEIGHTS = {
    "package": ct.pos_weight_from_labels,
    "by counting": lambda z: (z.shape[0] - z.sum(axis=0)) / z.sum(axis=0),
    "by comparison": lambda z: np.sum(z == 0, axis=0) / np.sum(z == 1, axis=0),
    "from the positive rate": lambda z: 1 / z.mean(axis=0) - 1,  # in float32 on the float32 case
}


@pytest.mark.parametrize("name", RIGHT_WEIGHTS)
def test_pos_weight_accepts_right_answers(name):
    result = pos_weight.check(RIGHT_WEIGHTS[name])
    assert result.status == "correct", result.message


@pytest.mark.parametrize("candidate", [_stub, _returns_none])
def test_pos_weight_not_attempted(candidate):
    assert pos_weight.check(candidate).status == "not attempted"


WRONG_WEIGHTS = {
    "upside down": (lambda z: z.sum(axis=0) / (1 - z).sum(axis=0), "upside down"),
    "all examples over positives": (lambda z: z.shape[0] / z.sum(axis=0), "count only the negatives"),
    "fraction of negatives": (lambda z: (1 - z).mean(axis=0), "fraction of negatives"),
    "wrong axis": (lambda z: (1 - z).sum(axis=1) / np.maximum(z.sum(axis=1), 1), "count down each column"),
    "one number": (lambda z: (1 - z).sum() / z.sum(), "one pos_weight per column"),
}


@pytest.mark.parametrize("name", WRONG_WEIGHTS)
def test_pos_weight_rejects_typical_mistakes_with_the_right_hint(name):
    candidate, hint = WRONG_WEIGHTS[name]
    result = pos_weight.check(candidate)
    assert result.status == "wrong" and hint in result.message, result.message


# --- framework names (issue 13: "CrossEntropyLoss" was rejected with no mapping hint) ----------------


def _pytorch_learner(task):
    if not task.exclusive:
        return "nn.BCEWithLogitsLoss(pos_weight=w)" if task.rare_positives else "torch.nn.BCEWithLogitsLoss()"
    return "CrossEntropyLoss"  # index targets (ignore_index=-100 by default) or probability targets


def _keras_learner(task):
    if not task.exclusive:
        return (
            "tf.nn.weighted_cross_entropy_with_logits"
            if task.rare_positives
            else "BinaryCrossentropy(from_logits=True)"
        )
    if task.labels == "index":
        if task.padding:
            return "SparseCategoricalCrossentropy(from_logits=True, ignore_class=-100)"
        return "tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)"
    return "tf.nn.softmax_cross_entropy_with_logits_v2"


@pytest.mark.parametrize("learner", [_pytorch_learner, _keras_learner])
def test_loss_choice_accepts_framework_names_that_compute_the_same_loss(learner):
    result = loss_choice.check(learner)
    assert result.status == "correct", result.message


FRAMEWORK_WRONG = {
    "CrossEntropyLoss for yes/no": (lambda task: "CrossEntropyLoss", "softmax makes the classes compete"),
    "Keras without from_logits": (
        _except(lambda t: not t.exclusive, "BinaryCrossentropy()"),
        "the Keras-style loss for *probabilities*",
    ),
    "NLLLoss on logits": (_except(lambda t: t.labels == "index", "NLLLoss"), "NLLLoss takes log-probabilities"),
    "the v2 that does not exist": (
        _except(lambda t: t.labels == "index", "tf.nn.sparse_softmax_cross_entropy_with_logits_v2"),
        "does not exist in TensorFlow's API",
    ),
    "BCEWithLogitsLoss without pos_weight for rare positives": (
        _except(lambda t: t.rare_positives, "BCEWithLogitsLoss()"),
        "positives are rare",
    ),
    "BCELoss on logits": (_except(lambda t: not t.exclusive, "nn.BCELoss()"), "for *probabilities*"),
    "an unknown name": (lambda task: "HingeLoss", "nor a TensorFlow, Keras or PyTorch loss"),
}


@pytest.mark.parametrize("name", FRAMEWORK_WRONG)
def test_loss_choice_framework_mistakes_get_their_hint(name):
    candidate, hint = FRAMEWORK_WRONG[name]
    result = loss_choice.check(candidate)
    assert result.status == "wrong" and hint in result.message, result.message


def test_pos_weight_more_mistakes():
    cases = {
        "fraction of positives": (lambda z: z.mean(axis=0), "fraction of positives"),
        "keepdims": (lambda z: (1 - z).sum(axis=0, keepdims=True) / z.sum(axis=0, keepdims=True), "(1, C) row"),
    }
    for candidate, hint in cases.values():
        result = pos_weight.check(candidate)
        assert result.status == "wrong" and hint in result.message, result.message
    assert pos_weight.check(lambda z: z.shape[0] / z.sum(axis=0) - 1).status == "correct"  # N/P − 1 = (N − P)/P


def test_batteries_are_big_enough():
    assert len(WRONG_CHOICES) + len(FRAMEWORK_WRONG) >= 6 and len(RIGHT_CHOICES) >= 2
    assert len(WRONG_WEIGHTS) + 2 >= 6 and len(RIGHT_WEIGHTS) >= 2


def test_pos_weight_has_a_float32_case_answered_in_float32():
    """Labels stored as float32: a right answer computes in float32, is judged to float32 precision and passes;
    the same answer's float32 result is not exact, so without that tolerance it would fail."""
    (labels,) = [args[0] for args in pos_weight.cases if args[0].dtype == np.float32]
    answer = RIGHT_WEIGHTS["from the positive rate"]
    got = answer(labels)
    assert got.dtype == np.float32
    assert not np.allclose(got, ct.pos_weight_from_labels(labels), rtol=1e-12, atol=0.0)
    assert pos_weight.check(answer).status == "correct"

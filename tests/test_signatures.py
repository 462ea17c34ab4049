"""The public signatures of the maths modules: ``ArrayLike`` in, and the return annotation is what comes out.

The annotations are claims, so they are tested: every parameter and every result of a public function is
annotated, no input is narrowed to ``np.ndarray`` (a list or a number works everywhere), and each function,
called on a scalar, a 1-D, a 2-D and a float32 input where it takes them, returns an instance of its
annotation (``np.ndarray | np.floating`` where NumPy gives a scalar for a scalar or a fully reduced input).
"""

import inspect
import types
import typing
from decimal import Decimal

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import (
    activations,
    bigram,
    calibration,
    coding,
    focal,
    gradients,
    information,
    keras,
    lm,
    losses,
    naive,
    sampled_bias,
    sampling,
    ulp,
    weighting,
)

MODULES = [
    activations,
    bigram,
    calibration,
    coding,
    focal,
    gradients,
    information,
    keras,
    lm,
    losses,
    naive,
    sampled_bias,
    sampling,
    ulp,
    weighting,
]
PUBLIC = {
    f"{module.__name__.split('.')[-1]}.{name}": getattr(module, name)
    for module in MODULES
    for name in getattr(module, "__all__", [n for n in vars(module) if not n.startswith("_")])
    if inspect.isfunction(getattr(module, name)) and getattr(module, name).__module__ == module.__name__
}


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_parameter_and_result_is_annotated(name):
    function = PUBLIC[name]
    hints = typing.get_type_hints(function)
    parameters = inspect.signature(function).parameters
    missing = [p for p in parameters if p not in hints]
    assert not missing, f"{name}: parameters without a type: {missing}"
    assert "return" in hints, f"{name}: no return type"
    narrowed = [p for p in parameters if hints[p] is np.ndarray]
    assert not narrowed, f"{name}: {narrowed} annotated np.ndarray; inputs are ArrayLike (lists and numbers work)"


F32 = np.float32
X2 = [[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]]
P2 = [[0.5, 0.25, 0.25], [0.1, 0.2, 0.7]]
Y2 = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
CALLS = {
    "losses.sigmoid_cross_entropy_with_logits": [lambda: ct.sigmoid_cross_entropy_with_logits(1.0, 0.5)],
    "losses.weighted_cross_entropy_with_logits": [lambda: ct.weighted_cross_entropy_with_logits(1.0, 0.5, 2.0)],
    "losses.softmax_cross_entropy_with_logits": [
        lambda: ct.softmax_cross_entropy_with_logits([1.0, 0.0], [1.0, 2.0]),
        lambda: ct.softmax_cross_entropy_with_logits(np.float32(Y2), np.float32(X2)),
    ],
    "losses.sparse_softmax_cross_entropy_with_logits": [
        lambda: ct.sparse_softmax_cross_entropy_with_logits(0, [1.0, 2.0]),
        lambda: ct.sparse_softmax_cross_entropy_with_logits([0, 2], np.float32(X2)),
    ],
    "information.entropy": [lambda: ct.entropy([0.5, 0.5]), lambda: ct.entropy(np.float32(P2), base=2)],
    "information.cross_entropy": [lambda: ct.cross_entropy([0.5, 0.5], [0.25, 0.75]), lambda: ct.cross_entropy(P2, P2)],
    "information.kl_divergence": [lambda: ct.kl_divergence([0.5, 0.5], [0.25, 0.75]), lambda: ct.kl_divergence(P2, P2)],
    "activations.sigmoid": [lambda: ct.sigmoid(0.5), lambda: ct.sigmoid(np.float32(X2))],
    "activations.softplus": [lambda: ct.softplus(0.5), lambda: ct.softplus(X2)],
    "activations.log_sigmoid": [lambda: ct.log_sigmoid(0.5), lambda: ct.log_sigmoid(X2)],
    "activations.logsumexp": [lambda: ct.logsumexp([1.0, 2.0]), lambda: ct.logsumexp(np.float32(X2))],
    "activations.log_softmax": [lambda: ct.log_softmax([1.0, 2.0]), lambda: ct.log_softmax(X2, axis=0)],
    "activations.softmax": [lambda: ct.softmax([1.0, 2.0]), lambda: ct.softmax(np.float32(X2))],
    "gradients.sigmoid_cross_entropy_grad": [lambda: ct.sigmoid_cross_entropy_grad(1.0, 0.5)],
    "gradients.softmax_cross_entropy_grad": [lambda: ct.softmax_cross_entropy_grad(Y2, X2)],
    "gradients.softmax_jacobian": [lambda: ct.softmax_jacobian([1.0, 2.0])],
    "gradients.numerical_gradient": [lambda: ct.numerical_gradient(lambda x: float(np.sum(x**2)), [1.0, 2.0])],
    "calibration.reliability_curve": [lambda: ct.reliability_curve(P2, [0, 2], n_bins=3)],
    "calibration.expected_calibration_error": [lambda: ct.expected_calibration_error(P2, [0, 2])],
    "calibration.temperature_nll_derivative": [lambda: ct.temperature_nll_derivative(X2, [0, 1], 2.0)],
    "calibration.fit_temperature": [lambda: ct.fit_temperature(X2, [0, 1])],
    "calibration.smooth_labels": [lambda: ct.smooth_labels([0, 2], 3, label_smoothing=0.1)],
    "calibration.nll": [lambda: calibration.nll(X2, [0, 1])],
    "focal.sigmoid_focal_loss": [lambda: ct.sigmoid_focal_loss(1.0, 0.5), lambda: ct.sigmoid_focal_loss(Y2, X2)],
    "focal.sigmoid_focal_loss_grad": [lambda: ct.sigmoid_focal_loss_grad(1.0, 0.5)],
    "focal.sparse_softmax_focal_loss": [lambda: ct.sparse_softmax_focal_loss([0, 1], np.float32(X2))],
    "focal.sparse_softmax_focal_loss_grad": [lambda: ct.sparse_softmax_focal_loss_grad([0, 1], X2)],
    "weighting.weighted_mean": [
        lambda: ct.weighted_mean([1.0, 2.0], [1.0, 3.0]),
        lambda: ct.weighted_mean(np.float32([1.0]), [1.0]),
    ],
    "weighting.balanced_class_weights": [lambda: ct.balanced_class_weights([0, 1, 1], 2)],
    "weighting.pos_weight_from_labels": [
        lambda: ct.pos_weight_from_labels([1, 0, 0]),
        lambda: ct.pos_weight_from_labels([[1, 0], [0, 1]]),
    ],
    "weighting.class_weighted_sparse_cross_entropy": [
        lambda: ct.class_weighted_sparse_cross_entropy([0, 1], X2),
        lambda: ct.class_weighted_sparse_cross_entropy([0, 1], X2, reduction="none", label_smoothing=0.1),
    ],
    "sampling.log_uniform_probabilities": [lambda: sampling.log_uniform_probabilities(5)],
    "sampling.sample_candidates": [lambda: sampling.sample_candidates(np.random.default_rng(0), 2, 5)],
    "sampling.sampled_softmax_cross_entropy": [
        lambda: sampling.sampled_softmax_cross_entropy([0], [1.0], [1, 2], [[0.0, 0.5]]),
    ],
    "sampling.nce_loss": [
        lambda: sampling.nce_loss([0], [1.0], [1, 2], [[0.0, 0.5]], true_log_q=[-1.0], sampled_log_q=[-1.0, -2.0]),
    ],
    "sampling.nce_expected_loss": [
        lambda: sampling.nce_expected_loss([1.0, 2.0], [0.5, 0.5], 2, [0.5, 0.5]),
        lambda: sampling.nce_expected_loss([[1.0, 2.0]], [[0.5, 0.5]], 2, [0.5, 0.5]),
    ],
    "lm.linear_cross_entropy": [lambda: ct.linear_cross_entropy(np.eye(2, dtype=F32), np.eye(2, dtype=F32), [0, 1])],
    "lm.linear_cross_entropy_grad": [lambda: ct.linear_cross_entropy_grad(np.eye(2), np.eye(2), [0, 1])],
    "lm.distillation_loss": [
        lambda: ct.distillation_loss([1.0, 2.0], [2.0, 1.0], temperature=2.0),
        lambda: ct.distillation_loss(X2, X2, temperature=2.0),
    ],
    "lm.info_nce": [lambda: ct.info_nce(np.eye(2, dtype=F32), np.eye(2, dtype=F32), temperature=0.1)],
    "lm.z_loss": [lambda: ct.z_loss([1.0, 2.0]), lambda: ct.z_loss(X2)],
    "lm.softcap": [lambda: ct.softcap(1.0, 30.0), lambda: ct.softcap(X2, 30.0)],
    "lm.round_to_bfloat16": [lambda: ct.round_to_bfloat16(F32(1.1)), lambda: ct.round_to_bfloat16(np.float32(X2))],
    "bigram.encode": [lambda: bigram.encode("ab ")],
    "bigram.count": [lambda: bigram.count("abab", alphabet="ab")],
    "bigram.add_k": [lambda: bigram.add_k([[1, 2], [0, 1]], k=1)],
    "bigram.fit": [lambda: bigram.fit("abab", alphabet="ab")],
    "bigram.split": [lambda: bigram.split("one two three four five", held_out=0.3)],
    "bigram.sample": [lambda: bigram.sample(bigram.fit("abab", alphabet="ab"), 3, rng=np.random.default_rng(0))],
    "coding.huffman_code": [lambda: coding.huffman_code([0.5, 0.25, 0.25])],
    "coding.canonical_code": [lambda: coding.canonical_code([1, 2, 2])],
    "coding.code_lengths": [lambda: coding.code_lengths(["0", "10", "11"])],
    "coding.expected_length": [lambda: coding.expected_length([0.5, 0.5], ["0", "1"])],
    "coding.kraft_sum": [lambda: coding.kraft_sum(["0", "1"]), lambda: coding.kraft_sum([1, 2, 2])],
    "coding.is_prefix_free": [lambda: coding.is_prefix_free(["0", "10"])],
    "coding.encode": [lambda: coding.encode([0, 1], ["0", "1"])],
    "coding.decode": [lambda: coding.decode("01", ["0", "1"])],
    "coding.block_distribution": [lambda: coding.block_distribution([0.5, 0.5], 2)],
    "coding.block_code_rate": [lambda: coding.block_code_rate([0.9, 0.1], 2)],
    "keras.binary_crossentropy": [
        lambda: ct.binary_crossentropy([1.0, 0.0], [0.9, 0.2]),
        lambda: ct.binary_crossentropy(Y2, np.float32(P2)),
    ],
    "keras.categorical_crossentropy": [
        lambda: ct.categorical_crossentropy([1.0, 0.0], [0.5, 0.5]),
        lambda: ct.categorical_crossentropy(Y2, X2, from_logits=True),
    ],
    "keras.sparse_categorical_crossentropy": [lambda: ct.sparse_categorical_crossentropy(0, [0.5, 0.5])],
    "naive.sigmoid": [lambda: naive.sigmoid(0.5), lambda: naive.sigmoid(X2)],
    "naive.sigmoid_cross_entropy": [lambda: naive.sigmoid_cross_entropy(1.0, 0.5)],
    "naive.softmax": [lambda: naive.softmax([1.0, 2.0])],
    "naive.log_softmax": [lambda: naive.log_softmax(X2)],
    "naive.softmax_cross_entropy": [
        lambda: naive.softmax_cross_entropy([1.0, 0.0], [1.0, 2.0]),
        lambda: naive.softmax_cross_entropy(Y2, X2),
    ],
    "naive.softmax_cross_entropy_eps": [lambda: naive.softmax_cross_entropy_eps([1.0, 0.0], [1.0, 2.0])],
    "naive.entropy": [lambda: naive.entropy([0.5, 0.5]), lambda: naive.entropy(P2)],
    "ulp.exact_bce": [lambda: ulp.exact_bce(0.0, 1.0)],
    "ulp.ulp_error": [lambda: ulp.ulp_error(np.float32(0.1), Decimal("0.1"))],
    "ulp.first_float": [lambda: ulp.first_float(lambda t: t >= 1.5, 1.0, 2.0, np.float32)],
    "ulp.float32_stepwise_bce": [lambda: ulp.float32_stepwise_bce([0.0, 1.0], [0.0, 0.0])],
    "sampled_bias.weight_moments": [lambda: sampled_bias.weight_moments([[0.5, 0.5]], [0.5, 0.5], [0])],
    "sampled_bias.bias_expansion": [lambda: sampled_bias.bias_expansion([1.0], [0.5], [4])],
}


def test_every_public_function_is_called_here():
    assert set(CALLS) == set(PUBLIC)


def _conforms(value, hint) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_conforms(value, arm) for arm in typing.get_args(hint))
    if origin is tuple:
        arms = typing.get_args(hint)
        if len(arms) == 2 and arms[1] is Ellipsis:
            return isinstance(value, tuple) and all(_conforms(item, arms[0]) for item in value)
        return isinstance(value, tuple) and len(value) == len(arms) and all(map(_conforms, value, arms))
    if origin is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(_conforms(v, item) for v in value)
    return isinstance(value, origin or hint)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_results_are_what_the_annotation_says(name):
    hint = typing.get_type_hints(PUBLIC[name])["return"]
    for call in CALLS[name]:
        result = call()
        assert _conforms(result, hint), f"{name} returned {type(result).__name__}, annotated {hint}"

"""Self-checks: ``compare`` for derivation check cells, and one checker per exercise.

>>> import numpy as np, ce_teach as ct
>>> ct.checks.compare("1 + 1", np.array([2.0]), np.array([2.0]))
1 + 1                                        | exact: True  | close: True  | max diff: 0.0e+00
>>> def my_entropy(p):
...     raise NotImplementedError
>>> ct.checks.entropy_bits.check(my_entropy).status
'not attempted'
"""

from .bigram import bits_per_char
from .calibration import ece, focal_grad, prior_loss, smoothing_logit_gap, softmax_regression_grad
from .choosing import loss_choice, pos_weight
from .coding import huffman_lengths
from .exercise import CheckResult, Exercise, compare
from .information import cross_entropy_nats, entropy_bits, kl_divergence_bits, perplexity
from .kl import kl_normals_nats
from .lm import distillation_t2, kept_token_mean
from .mse import clipped_bce_grad, sigmoid_mse_grad, softmax_mse_grad
from .pitfalls import (
    pitfall_batch_max,
    pitfall_epsilon_in_log,
    pitfall_integer_labels,
    pitfall_kl_order,
    pitfall_label_range,
    pitfall_log_of_softmax,
    pitfall_logits_as_probabilities,
    pitfall_softmax_twice,
    pitfall_test_batch,
)
from .scoring import best_report
from .sigmoid import bce_gradient, bce_with_logits, weighted_bce_gradient
from .softmax import initial_loss, sparse_cross_entropy, stable_log_softmax

__all__ = [
    "CheckResult",
    "Exercise",
    "compare",
    # 01–03
    "entropy_bits",
    "kl_divergence_bits",
    "cross_entropy_nats",
    "perplexity",
    "huffman_lengths",
    "kl_normals_nats",
    "bits_per_char",
    "best_report",
    # 04
    "bce_with_logits",
    "bce_gradient",
    "weighted_bce_gradient",
    # 05
    "stable_log_softmax",
    "sparse_cross_entropy",
    "initial_loss",
    # 06
    "sigmoid_mse_grad",
    "softmax_mse_grad",
    "clipped_bce_grad",
    # 07
    "loss_choice",
    "pos_weight",
    # 11
    "kept_token_mean",
    "distillation_t2",
    # 08 (the bug hunt)
    "pitfall_softmax_twice",
    "pitfall_logits_as_probabilities",
    "pitfall_batch_max",
    "pitfall_log_of_softmax",
    "pitfall_epsilon_in_log",
    "pitfall_integer_labels",
    "pitfall_label_range",
    "pitfall_kl_order",
    "pitfall_test_batch",
    # 09
    "softmax_regression_grad",
    "prior_loss",
    # 10
    "ece",
    "focal_grad",
    "smoothing_logit_gap",
]

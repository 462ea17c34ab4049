"""ce_teach: an exact, readable reference implementation of cross-entropy and its relatives.

Every loss takes logits (or probabilities, in the Keras-style functions), returns NumPy arrays, and
is written so that it neither overflows nor cancels. ``ce_teach.naive`` keeps the textbook versions
that do, for demonstrations.

    >>> import ce_teach as ct
    >>> float(ct.entropy([0.5, 0.5], base=2))
    1.0
"""

from . import checks, naive
from .activations import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax, softplus
from .gradients import numerical_gradient, sigmoid_cross_entropy_grad, softmax_cross_entropy_grad, softmax_jacobian
from .information import cross_entropy, entropy, kl_divergence
from .keras import binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy
from .losses import (
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
    weighted_cross_entropy_with_logits,
)

__version__ = "0.1.0"

__all__ = [
    # information theory
    "entropy",
    "cross_entropy",
    "kl_divergence",
    # activations
    "sigmoid",
    "log_sigmoid",
    "softplus",
    "softmax",
    "log_softmax",
    "logsumexp",
    # losses, TensorFlow names and argument order (labels, logits)
    "sigmoid_cross_entropy_with_logits",
    "weighted_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits",
    "sparse_softmax_cross_entropy_with_logits",
    # losses, Keras semantics
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    # gradients
    "sigmoid_cross_entropy_grad",
    "softmax_cross_entropy_grad",
    "softmax_jacobian",
    "numerical_gradient",
    # the textbook formulas, for demonstrations only
    "naive",
    # self-checks for the notebooks (plotting and widgets are imported explicitly: ce_teach.plotting, ce_teach.widgets)
    "checks",
]

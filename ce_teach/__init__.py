"""ce_teach: an exact, readable reference implementation of cross-entropy and its relatives.

Every loss takes logits (or probabilities, in the Keras-style functions), returns NumPy arrays, and
is written so that it neither overflows nor cancels. ``ce_teach.naive`` keeps the textbook versions
that do, for demonstrations.

    >>> import ce_teach as ct
    >>> float(ct.entropy([0.5, 0.5], base=2))
    1.0
"""

from . import bigram, checks, classifier, coding, datasets, fitting, naive, sampling, ulp
from .activations import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax, softplus
from .calibration import (
    ReliabilityCurve,
    expected_calibration_error,
    fit_temperature,
    reliability_curve,
    smooth_labels,
    temperature_nll_derivative,
)
from .focal import (
    sigmoid_focal_loss,
    sigmoid_focal_loss_grad,
    sparse_softmax_focal_loss,
    sparse_softmax_focal_loss_grad,
)
from .gradients import numerical_gradient, sigmoid_cross_entropy_grad, softmax_cross_entropy_grad, softmax_jacobian
from .information import cross_entropy, entropy, kl_divergence
from .keras import binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy
from .lm import (
    distillation_loss,
    info_nce,
    linear_cross_entropy,
    linear_cross_entropy_grad,
    round_to_bfloat16,
    softcap,
    z_loss,
)
from .losses import (
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
    weighted_cross_entropy_with_logits,
)
from .overview import package_map
from .squared_error import (
    sigmoid_squared_error,
    sigmoid_squared_error_grad,
    softmax_squared_error,
    softmax_squared_error_grad,
    zero_one_loss,
)
from .training import (
    TrainingGrid,
    TrainingHistory,
    logistic_gradient,
    race_data,
    train_logistic,
    train_logistic_grid,
    train_logistic_runs,
)
from .weighting import (
    balanced_class_weights,
    class_weighted_sparse_cross_entropy,
    pos_weight_from_labels,
    weighted_mean,
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
    # squared error and 0-1 loss on sigmoid/softmax outputs: what cross-entropy replaced (notebook 06)
    "sigmoid_squared_error",
    "sigmoid_squared_error_grad",
    "softmax_squared_error",
    "softmax_squared_error_grad",
    "zero_one_loss",
    # gradient descent on one sigmoid neuron (notebook 06)
    "TrainingHistory",
    "logistic_gradient",
    "train_logistic",
    "train_logistic_runs",
    "train_logistic_grid",
    "TrainingGrid",
    "race_data",
    # a tiny character language model: bits per character, perplexity, add-k smoothing (notebook 03)
    "bigram",
    # one normal bump fitted to a target by forward or reverse KL on a 1-D grid (notebook 02)
    "fitting",
    # exact losses and errors in ulps: the tools of 04's "Going deeper"
    "ulp",
    # prefix codes: Huffman codes, Kraft sums, block coding (notebook 01)
    "coding",
    # a one-line-per-module map of the package (notebook 00)
    "package_map",
    # weights and reductions: class weights, ignored labels, label smoothing as PyTorch does them (notebook 07)
    "weighted_mean",
    "balanced_class_weights",
    "pos_weight_from_labels",
    "class_weighted_sparse_cross_entropy",
    # huge class counts: log-uniform candidate sampling, sampled softmax and NCE (notebook 07)
    "sampling",
    # language-model scale: the loss from hidden states without the logits, distillation, InfoNCE (notebook 11)
    "linear_cross_entropy",
    "linear_cross_entropy_grad",
    "distillation_loss",
    "info_nce",
    "z_loss",
    "softcap",
    "round_to_bfloat16",
    # calibration and temperature scaling, label smoothing (notebook 10)
    "ReliabilityCurve",
    "reliability_curve",
    "expected_calibration_error",
    "fit_temperature",
    "temperature_nll_derivative",
    "smooth_labels",
    # focal loss (notebook 10)
    "sigmoid_focal_loss",
    "sigmoid_focal_loss_grad",
    "sparse_softmax_focal_loss",
    "sparse_softmax_focal_loss_grad",
    # the 8×8 digits, and softmax regression / one hidden layer trained in NumPy (notebooks 09 and 10)
    "datasets",
    "classifier",
    # the textbook formulas, for demonstrations only
    "naive",
    # self-checks for the notebooks (plotting and widgets are imported explicitly: ce_teach.plotting, ce_teach.widgets)
    "checks",
]

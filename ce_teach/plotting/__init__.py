"""Figures for the notebooks: plain matplotlib functions, the same code for the static and the live figure.

Each ``draw_*`` function takes ``ax=None`` (a new fixed-size figure is made when it is None), draws,
and returns a small object holding what it drew, with an ``update(...)`` method that changes those
artists in place. A notebook's static figure is ``draw_*(...)``; its slider calls ``update`` on the
same object. Nothing here calls ``plt.show()`` or changes global style.
"""

from .bigram import BigramCountsPlot, LossVsKPlot, draw_bigram_counts, draw_loss_vs_k
from .calibration import (
    CalibrationPlot,
    ReliabilityPlot,
    TrainingCurves,
    draw_digits,
    draw_loss_curves,
    draw_reliability,
    draw_training_curves,
)
from .choosing import NCEObjectivePlot, SampledBiasPlot, draw_nce_objective, draw_sampled_bias
from .coding import BlockRatePlot, CodeTreePlot, draw_block_rates, draw_code_tree
from .fitting import KLFitsPlot, PointwiseKLPlot, draw_kl_fits, draw_pointwise_kl
from .information import (
    BinaryEntropyPlot,
    CrossEntropyCurve,
    DistributionBars,
    KLPairPlot,
    PairBars,
    SoftmaxEntropyPlot,
    SurpriseLogPlot,
    SurprisePlot,
    draw_binary_entropy,
    draw_cross_entropy_vs_q,
    draw_distribution,
    draw_kl_pair,
    draw_pair,
    draw_softmax_entropy,
    draw_surprise,
    draw_surprise_log,
)
from .mse import (
    GradientRacePlot,
    RaceCurves,
    TrainingRacePlot,
    ZeroOnePlot,
    draw_gradients_vs_logit,
    draw_training_race,
    draw_zero_one_vs_ce,
)
from .sigmoid import BCECurves, SigmoidPlot, draw_bce_curves, draw_sigmoid, naive_bce_grad
from .softmax import (
    JacobianPlot,
    SoftmaxLossPlot,
    TemperatureBarsPlot,
    TemperatureExplorerPlot,
    TemperaturePlot,
    draw_jacobian,
    draw_softmax_loss,
    draw_temperature,
    draw_temperature_bars,
    draw_temperature_panels,
)

__all__ = [
    "BigramCountsPlot",
    "LossVsKPlot",
    "draw_bigram_counts",
    "draw_loss_vs_k",
    "CrossEntropyCurve",
    "SurpriseLogPlot",
    "draw_cross_entropy_vs_q",
    "draw_surprise_log",
    "BinaryEntropyPlot",
    "DistributionBars",
    "PairBars",
    "SurprisePlot",
    "draw_binary_entropy",
    "SoftmaxEntropyPlot",
    "draw_softmax_entropy",
    "KLPairPlot",
    "draw_kl_pair",
    "draw_distribution",
    "draw_pair",
    "draw_surprise",
    # 01 prefix codes
    "BlockRatePlot",
    "CodeTreePlot",
    "draw_block_rates",
    "draw_code_tree",
    # 02 forward vs reverse KL
    "KLFitsPlot",
    "draw_kl_fits",
    "PointwiseKLPlot",
    "draw_pointwise_kl",
    # 06 MSE vs cross-entropy
    "GradientRacePlot",
    "TrainingRacePlot",
    "RaceCurves",
    "ZeroOnePlot",
    "draw_gradients_vs_logit",
    "draw_training_race",
    "draw_zero_one_vs_ce",
    # 04 sigmoid and binary cross-entropy
    "BCECurves",
    "SigmoidPlot",
    "draw_bce_curves",
    "draw_sigmoid",
    "naive_bce_grad",
    # 05 softmax and categorical cross-entropy
    "JacobianPlot",
    "SoftmaxLossPlot",
    "TemperaturePlot",
    "draw_jacobian",
    "draw_softmax_loss",
    "draw_temperature",
    "TemperatureBarsPlot",
    "TemperatureExplorerPlot",
    "draw_temperature_bars",
    "draw_temperature_panels",
    # 07 choosing a loss: sampled softmax and NCE
    "SampledBiasPlot",
    "NCEObjectivePlot",
    "draw_sampled_bias",
    "draw_nce_objective",
    # 09 and 10: training curves, digits, reliability diagrams
    "ReliabilityPlot",
    "CalibrationPlot",
    "TrainingCurves",
    "draw_digits",
    "draw_loss_curves",
    "draw_reliability",
    "draw_training_curves",
]

"""Sliders for entropy, KL divergence and cross-entropy (notebooks 00–03): shortcuts on the tables.

Each shortcut is one plot of ``ce_teach.plotting.information`` and its controls; the plot does the maths.
"""

from __future__ import annotations

from .. import _validate as v
from ..plotting import BinaryEntropyPlot, KLPairPlot, SoftmaxEntropyPlot, SurpriseLogPlot, SurprisePlot
from ._figure import new_axes
from ._widget import LiveFigure, live

__all__ = ["coin_entropy", "softmax_entropy", "kl_explorer", "true_class_loss"]
__all__ += ["true_class_loss_log"]  # notebook 03
# the shortcuts on the tables (ce_teach.widgets.SHORTCUTS)
SHORTCUTS = ("coin_entropy", "softmax_entropy", "kl_explorer", "true_class_loss", "true_class_loss_log")

LOGIT_STEP = 0.25  # three logits move together: 49 positions each on ±6, 117 649 grid points
LOGIT_LIMIT = 6.0  # the largest range: ±6 (the tables of three logits stay under 4 MB)
LOG10_Q_STEP = 0.01


def _on_grid(value: float, step: float) -> bool:
    return abs(value / step - round(value / step)) <= 1e-9 * max(1.0, abs(value / step))


def _logit_sliders(logits, name: str, limit) -> dict[str, tuple[float, float, float]]:
    """One slider (−limit, limit, 0.25) per logit, after checking ``limit`` and that every logit is a position."""
    limit = v.real_number(limit, "limit", f"the sliders' range ±limit, a multiple of {LOGIT_STEP} to {LOGIT_LIMIT:g}")
    if not (LOGIT_STEP <= limit <= LOGIT_LIMIT and _on_grid(limit, LOGIT_STEP)):  # also rejects NaN
        raise ValueError(
            f"limit must be a multiple of {LOGIT_STEP} between {LOGIT_STEP} and {LOGIT_LIMIT:g} (the logit sliders "
            f"move in steps of {LOGIT_STEP}; a wider range would make the figure's tables too large), got {limit!r}"
        )
    row = v.as_real_array(logits, name).astype(float).reshape(-1)
    for i, x in enumerate(row):
        if not (abs(x) <= limit and _on_grid(x, LOGIT_STEP)):  # also rejects NaN and inf
            raise ValueError(
                f"{name}[{i}] = {x!r} is not a position of its slider: the logits move in steps of {LOGIT_STEP} "
                f"from {-limit:g} to {limit:g}"
            )
    return {f"x{i}": (-float(limit), float(limit), LOGIT_STEP) for i in range(row.size)}


def coin_entropy(p: float = 0.5, *, base=2) -> LiveFigure:
    """Slider ``p`` for a coin's P(heads); a marker moves along the binary-entropy curve (notebook 01)."""
    return live(BinaryEntropyPlot(p, base=base, ax=new_axes()), p=(0.0, 1.0, 0.01))


def softmax_entropy(
    logits=(1.0, 0.0, -1.0), *, names=("a", "b", "c"), base=2, limit: float = LOGIT_LIMIT
) -> LiveFigure:
    """Two or three logit sliders (steps of 0.25 on ±``limit``) → bars of softmax(x); q and H(q) in the readout."""
    plot = SoftmaxEntropyPlot(logits, names=names, base=base, ax=new_axes())
    return live(plot, **_logit_sliders(logits, "logits", limit))


def kl_explorer(
    p=(0.6, 0.3, 0.1), q_logits=(0.0, 0.0, 0.0), *, names=("a", "b", "c"), base=2, limit: float = LOGIT_LIMIT
) -> LiveFigure:
    """Move q's logits (steps of 0.25 on ±``limit``): bars of p and q = softmax(x); D(p‖q) and D(q‖p) in the readout."""
    plot = KLPairPlot(p, q_logits, names=names, base=base, ax=new_axes())
    return live(plot, **_logit_sliders(q_logits, "q_logits", limit))


def true_class_loss(q: float = 0.7, *, base=None) -> LiveFigure:
    """Slider for the probability q of the true class (steps of 0.001); the loss −log q follows and explodes near 0."""
    return live(SurprisePlot(q, base=base, ax=new_axes()), q=(0.0, 1.0, 0.001))


def true_class_loss_log(log10_q: float = -0.3, *, base=None) -> LiveFigure:
    """A slider for log10 of the probability q of the true class, from −16 (q = 1e-16) to 0 (q = 1) in steps of
    0.01; the loss −log q follows on a log q axis, where it is a straight line with no ceiling (notebook 03)."""
    start = v.real_number(log10_q, "log10_q", "the exponent of q, in [−16, 0]")
    if not (-16.0 <= start <= 0.0 and _on_grid(start, LOG10_Q_STEP)):  # also rejects NaN
        raise ValueError(
            f"log10_q must be in [−16, 0] in steps of {LOG10_Q_STEP} (the slider's positions: q from 1e-16 to 1), "
            f"got {log10_q!r}"
        )
    return live(SurpriseLogPlot(start, base=base, ax=new_axes()), log10_q=(-16.0, 0.0, LOG10_Q_STEP))

"""Sliders for notebook 05: shortcuts over ``SoftmaxLossPlot`` (logits and a true class → probabilities, loss,
gradient) and ``TemperatureExplorerPlot`` (a temperature → S(x/T) and its entropy)."""

from __future__ import annotations

from .. import _validate as v
from ..plotting.softmax import SoftmaxLossPlot, TemperatureExplorerPlot
from ._figure import new_axes
from ._widget import LiveFigure, live

__all__ = ["softmax_explorer", "temperature_explorer"]
SHORTCUTS = ("softmax_explorer", "temperature_explorer")  # the shortcuts on the tables (ce_teach.widgets.SHORTCUTS)

MAX_LOGIT_POINTS = 40_000  # grid points of softmax_explorer: 33 positions per logit for three logits, ≈ 3 MB
T_STEP = 0.05  # the temperature slider's step


def _positions(lo: float, hi: float, step: float) -> int:
    return round((hi - lo) / step) + 1


def _on_grid(value: float, lo: float, step: float) -> bool:
    k = round((value - lo) / step)
    return abs(lo + k * step - value) <= 1e-9 * max(1.0, abs(value))


def softmax_explorer(
    logits=(2.0, 1.0, -1.0), label=0, *, names=None, limit: float = 8.0, step: float = 0.5
) -> LiveFigure:
    """One slider per logit (2 or 3 classes, −``limit`` to ``limit`` in steps of ``step``) and a choice of the
    true class (by name; ``label`` is its index or its name).

    The figure shows S(x), the one-hot target and the gradient S(x) − y as bars; the readout gives S(x),
    the loss −ln S(x)_true in nats and the gradient. Every grid point is computed when the cell runs, so the
    grid is bounded: (2·limit/step + 1)^C ≤ 40,000 points (the default: 33 positions per logit, C = 3).
    """
    start = v.as_real_array(logits, "logits").astype(float)
    if start.ndim != 1 or not 2 <= start.size <= 3:
        raise ValueError(
            f"logits must be 2 or 3 numbers (one per class; every combination of slider positions "
            f"is computed, so more logits would not fit), got shape {start.shape}"
        )
    v.check_finite(start, "logits")
    limit = v.positive_number(limit, "limit", "the sliders' range ±limit")
    step = v.positive_number(step, "step", "the sliders' step")
    if not _on_grid(2 * limit, 0.0, step):
        raise ValueError(f"limit must be a whole number of steps ({step:g}), got limit={limit!r}")
    per_logit = _positions(-limit, limit, step)
    points = per_logit**start.size
    if points > MAX_LOGIT_POINTS:
        raise ValueError(
            f"limit={limit:g} and step={step:g} give {per_logit} positions per logit, "
            f"{points:,} grid points for {start.size} logits: more than {MAX_LOGIT_POINTS:,}; use a "
            f"smaller limit or a larger step"
        )
    for i, value in enumerate(start):
        if not (-limit <= value <= limit and _on_grid(value, -limit, step)):
            raise ValueError(
                f"logit x{i} = {value:g} must be a position of its slider: −{limit:g} to {limit:g} in steps of {step:g}"
            )
    plot = SoftmaxLossPlot(start, label, names=names, ax=new_axes())
    controls = {f"x{i}": (-limit, limit, step) for i in range(start.size)}
    return live(plot, **controls, label=list(plot.names))


def temperature_explorer(
    logits=(3.0, 1.0, -3.0), temperature: float = 1.0, *, names=None, t_min: float = 0.1, t_max: float = 10.0
) -> LiveFigure:
    """Slider ``T`` from ``t_min`` to ``t_max`` in steps of 0.05: left, the bars of S(x/T) over S(x); right,
    the entropy of S(x/T) against T with a marker at the current T. The readout gives T, S(x/T) and the
    entropy in nats.

    >>> widget = temperature_explorer(temperature=4.0)
    >>> widget.values
    {'T': 4.0}
    """
    start = v.as_real_array(logits, "logits").astype(float)
    if start.ndim != 1 or not 2 <= start.size <= 6:
        raise ValueError(f"logits must be 2 to 6 numbers (one per class), got shape {start.shape}")
    t_min = v.positive_number(t_min, "t_min", "the slider's lowest temperature")
    t_max = v.positive_number(t_max, "t_max", "the slider's highest temperature")
    temperature = v.positive_number(temperature, "temperature", "the starting temperature")
    if not t_min < t_max or not _on_grid(t_min, 0.0, T_STEP) or not _on_grid(t_max, 0.0, T_STEP):
        raise ValueError(
            f"need t_min < t_max, both multiples of {T_STEP:g} (the slider's step); "
            f"got t_min={t_min!r}, t_max={t_max!r}"
        )
    if _positions(t_min, t_max, T_STEP) > 2001:
        raise ValueError(
            f"t_max − t_min must be at most 100 (2001 positions of {T_STEP:g}); got t_min={t_min!r}, t_max={t_max!r}"
        )
    if not (t_min <= temperature <= t_max and _on_grid(temperature, t_min, T_STEP)):
        raise ValueError(
            f"temperature must be a position of the slider, {t_min:g} to {t_max:g} in steps of "
            f"{T_STEP:g}; got {temperature!r}"
        )
    temperature = round(t_min + round((temperature - t_min) / T_STEP) * T_STEP, 6)
    plot = TemperatureExplorerPlot(
        start, temperature, names=names, t_min=min(0.05, t_min), t_max=max(50.0, t_max), ax=new_axes(ncols=2)
    )
    return live(plot, T=(t_min, t_max, T_STEP))

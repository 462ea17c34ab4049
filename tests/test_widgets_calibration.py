"""ce_teach.widgets.calibration_explorer: every slider over its whole range; the diagram and the readout follow,
with no exception, NaN or warning; T changes no prediction; ε and γ are never combined."""

from __future__ import annotations

import re

import numpy as np

from ce_teach.widgets import LiveWidget, calibration_explorer


def readout_numbers(box) -> dict:
    cells = re.findall(r"<td[^>]*>(.*?)</td>", box.readout.value)
    names = re.findall(r"<th>(.*?)</th>", box.readout.value)
    return dict(zip(names, cells, strict=True))


def heights(box) -> np.ndarray:
    return np.array([bar.get_height() for bar in box.plot.bars] + [gap.get_height() for gap in box.plot.gaps])


def test_controls_and_ranges():
    box = calibration_explorer()
    assert isinstance(box, LiveWidget)
    assert set(box.controls) == {"temperature", "label_smoothing", "gamma"}
    assert (box.temperature.min, box.temperature.max) == (0.2, 3.0)
    assert (box.label_smoothing.min, box.label_smoothing.max, box.label_smoothing.step) == (0.0, 0.2, 0.05)
    assert (box.gamma.min, box.gamma.max, box.gamma.step) == (0.0, 4.0, 1.0)
    assert box.figure.canvas is box.children[-1]


def test_temperature_moves_the_diagram_but_not_the_accuracy():
    box = calibration_explorer()
    seen_heights, seen_ece, accuracy = [], set(), set()
    for t in np.linspace(0.2, 3.0, 15):
        box.temperature.value = float(t)
        numbers = readout_numbers(box)
        assert all(np.isfinite(float(v)) for k, v in numbers.items() if k != "trained with")
        h = heights(box)
        assert np.isfinite(h).all() and (h >= 0).all() and (h <= 1).all()
        seen_heights.append(h)
        seen_ece.add(numbers["ECE"])
        accuracy.add(numbers["accuracy"])
    assert len(accuracy) == 1  # dividing by T > 0 changes no argmax
    assert len(seen_ece) > 10 and not np.array_equal(seen_heights[0], seen_heights[-1])


def test_smoothing_and_gamma_pick_their_models_and_exclude_each_other():
    box = calibration_explorer()
    box.temperature.value = 1.0
    trained = set()
    for eps in (0.05, 0.1, 0.15, 0.2, 0.0):
        box.label_smoothing.value = eps
        trained.add(readout_numbers(box)["trained with"])
        assert np.isfinite(heights(box)).all()
    for gamma in (1.0, 2.0, 3.0, 4.0):
        box.gamma.value = gamma
        assert box.label_smoothing.value == 0.0
        trained.add(readout_numbers(box)["trained with"])
    box.label_smoothing.value = 0.1
    assert box.gamma.value == 0.0
    assert readout_numbers(box)["trained with"] == "ε = 0.10, γ = 0"
    assert len(trained) == 9
    confidence = {}
    for eps in (0.0, 0.2):
        box.label_smoothing.value = eps
        confidence[eps] = float(readout_numbers(box)["mean confidence"])
    assert confidence[0.2] < confidence[0.0] - 0.2  # smoothing caps the confidence


def test_the_same_model_gives_the_same_picture_after_a_round_trip():
    box = calibration_explorer()
    before, text = heights(box), box.readout.value
    box.gamma.value = 2.0
    box.temperature.value = 2.5
    box.gamma.value = 0.0
    box.temperature.value = 1.0
    assert np.array_equal(heights(box), before) and box.readout.value == text

"""The live figures of notebooks 06 and 10 (ce_teach/widgets/mse.py, calibration.py), beyond the sweep of
tests/test_live.py: their controls and ranges, what their readouts say at the notebooks' settings, and a clear
error for every wrong argument a learner may give."""

from __future__ import annotations

import re

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import widgets
from ce_teach.plotting.readout import format_value
from ce_teach.widgets.calibration import MODELS, trained_logits


def shown(value: float) -> str:
    """A number as the readouts print it: the one formatter, four significant digits."""
    return format_value(value, "#.4g")


def ranges(widget) -> dict:
    return {c.name: (c.kind, c.values[0], c.values[-1], len(c.values)) for c in widget.controls}


# --- gradients_vs_logit ---------------------------------------------------------------------------


def test_gradients_vs_logit_slider_and_its_readout():
    w = widgets.gradients_vs_logit(logit=-8.0)
    assert ranges(w) == {"x": ("range", -10.0, 10.0, 201)} and w.values == {"x": -8.0}
    for x in (-10.0, -0.7, 0.0, 3.3, 10.0):
        w.set(x=x)
        q = float(ct.sigmoid(x))
        g_ce, g_mse = float(ct.sigmoid_cross_entropy_grad(1.0, x)), float(ct.sigmoid_squared_error_grad(1.0, x))
        text = w.readout_text()
        assert f"|∂CE/∂x| = <b>{shown(abs(g_ce))}</b>" in text and f"|∂MSE/∂x| = <b>{shown(abs(g_mse))}</b>" in text
        assert f"q(1 − q) = <b>{shown(q * (1 - q))}</b>" in text
        assert "−0.000" not in text and "nan" not in text


@pytest.mark.parametrize("limit", [np.int64(5), np.float32(5.0), 5, 2.5])
def test_gradients_vs_logit_accepts_numpy_scalars_as_limit(limit):
    w = widgets.gradients_vs_logit(logit=-2.0, limit=limit)
    assert ranges(w)["x"][1:3] == (-float(limit), float(limit)) and w.values == {"x": -2.0}


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"limit": 0}, ValueError, "limit must be a positive finite number, got 0.0"),
        ({"limit": -3.0}, ValueError, "limit must be a positive finite number"),
        ({"limit": np.nan}, ValueError, "limit must be a positive finite number"),
        ({"limit": np.inf}, ValueError, "limit must be a positive finite number"),
        ({"limit": 0.5}, ValueError, "limit must be a multiple of 0.1 between 1 and 1000"),
        ({"limit": 1e6}, ValueError, "limit must be a multiple of 0.1 between 1 and 1000"),
        ({"limit": 2.55}, ValueError, "limit must be a multiple of 0.1 between 1 and 1000"),
        ({"limit": True}, TypeError, "limit must be a positive number, got True"),
        ({"limit": "10"}, TypeError, "limit must be a positive number"),
        ({"logit": np.nan}, ValueError, "logit must be in [-10, 10] (the slider's range), got nan"),
        ({"logit": 50.0}, ValueError, "logit must be in [-10, 10] (the slider's range), got 50.0"),
        ({"logit": -4.05}, ValueError, "logit must be a position of its slider (-10 to 10 in steps of 0.1)"),
        ({"logit": None}, TypeError, "logit"),
        ({"logit": "1"}, TypeError, "logit"),
        ({"label": 0.5}, ValueError, "label must be 0 or 1, got 0.5"),
    ],
)
def test_gradients_vs_logit_rejects_wrong_settings(kwargs, error, words):
    with pytest.raises(error, match=re.escape(words)):
        widgets.gradients_vs_logit(**kwargs)


# --- training_race --------------------------------------------------------------------------------


def test_race_data_is_notebook_06s_data():
    rng = np.random.default_rng(0)  # as notebook 06 draws it, first thing
    features = np.concatenate([rng.normal(-1.0, 0.6, 20), rng.normal(1.0, 0.6, 20)])
    x, y = ct.race_data()
    assert np.array_equal(x, features) and np.array_equal(y, np.repeat([0, 1], 20))


def test_training_race_controls_and_the_answers_of_06():
    w = widgets.training_race()
    assert ranges(w) == {"w0": ("range", -12.0, 4.0, 17), "lr": ("range", 0.05, 4.0, 80)}
    assert w.values == {"w0": -8.0, "lr": 1.0}
    assert "accuracy <b>2%</b> (MSE) vs <b>100%</b> (CE)" in w.readout_text()
    w.set(w0=-2.0)  # a mild start: both learn
    assert "accuracy <b>100%</b> (MSE) vs <b>100%</b> (CE)" in w.readout_text()
    w.set(w0=-8.0, lr=4.0)  # the slider's largest rate: the MSE run ends with half the examples right
    assert "accuracy <b>50%</b> (MSE)" in w.readout_text()


def test_training_race_on_other_data_and_steps():
    x, y = np.array([-1.0, -0.5, 0.5, 1.0]), np.array([0, 0, 1, 1])
    w = widgets.training_race(x, y, steps=40)
    w.set(w0=-3.0, lr=0.5)
    mse, ce = ct.train_logistic_runs(x, y, losses=("mse", "ce"), w0=-3.0, lr=0.5, steps=40)
    assert w.plot.se_ax.get_xlim() == (0.0, 40.0)
    np.testing.assert_array_equal(
        w.state()["se_ce.y"].reshape(-1), ce.squared_error[[0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40]]
    )
    assert f"after 40 steps: accuracy <b>{mse.accuracy[-1]:.0%}</b>" in w.readout_text()


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        ((), {"lr": 0.0}, ValueError, "lr must be in [0.05, 4] (the slider's range), got 0.0"),
        ((), {"lr": 0.07}, ValueError, "lr must be a position of its slider (0.05 to 4 in steps of 0.05)"),
        ((), {"w0": -20.0}, ValueError, "w0 must be in [-12, 4] (the slider's range), got -20.0"),
        ((), {"w0": -7.5}, ValueError, "w0 must be a position of its slider (-12 to 4 in steps of 1)"),
        ((), {"w0": np.nan}, ValueError, "w0 must be in [-12, 4]"),
        ((), {"w0": "-8"}, TypeError, "w0"),
        ((), {"steps": -1}, ValueError, "steps"),
        ((), {"steps": 2.5}, TypeError, "steps"),
        ((), {"steps": 10**9}, ValueError, "at most 1000000 (the updates run one at a time), got 1000000000"),
        (([1.0, -1.0],), {}, ValueError, "give both x and y"),
        (([1.0, -1.0], [1, 2]), {}, ValueError, "y must hold class labels 0 or 1; found 2"),
        (([1.0, np.nan], [1, 0]), {}, ValueError, "x"),
        (([1.0, -1.0], [1, 0, 1]), {}, ValueError, "y must have shape (2,)"),
    ],
)
def test_training_race_rejects_wrong_settings(args, kwargs, error, words):
    with pytest.raises(error, match=re.escape(words)):
        widgets.training_race(*args, **kwargs)


# --- calibration_explorer -------------------------------------------------------------------------


def test_calibration_explorer_has_one_slider_and_one_choice_of_nine_networks():
    w = widgets.calibration_explorer()
    assert ranges(w)["temperature"] == ("range", 0.2, 3.0, 57)
    model = w.controls[1]
    assert model.kind == "choice" and len(model.values) == 9 == len(set(model.values))
    assert list(model.texts) == [
        "plain CE",
        "ε = 0.05",
        "ε = 0.1",
        "ε = 0.15",
        "ε = 0.2",
        "γ = 1",
        "γ = 2",
        "γ = 3",
        "γ = 4",
    ]
    assert all(eps == 0 or gamma == 0 for eps, gamma in model.values), "one change to plain CE per network"


def test_calibration_explorer_readout_is_ce_teachs_numbers():
    w = widgets.calibration_explorer(temperature=1.0, label_smoothing=0.2)
    logits, labels = trained_logits(0.2, 0.0)
    for t in (0.4, 1.0, 2.5):
        w.set(temperature=t)
        q = ct.softmax(logits / t)
        text = w.readout_text()
        assert f"ECE <b>{ct.expected_calibration_error(q, labels):.4f}</b>" in text
        assert f"NLL <b>{ct.calibration.nll(logits, labels, t):.4f}</b>" in text
        assert f"accuracy <b>{np.mean(q.argmax(axis=1) == labels):.4f}</b>" in text
    w.set(temperature=0.4)
    assert "ECE <b>0.0062</b>" in w.readout_text()  # 10 §6's answer: about 0.006 at T ≈ 0.4 for ε = 0.2


def test_temperature_changes_no_prediction_and_every_network_differs():
    w = widgets.calibration_explorer()
    accuracy = {text: set() for text in w.controls[1].texts}
    heights = {}
    for text, value in zip(w.controls[1].texts, w.controls[1].values, strict=True):
        for t in (0.2, 1.0, 3.0):
            w.set(model=value, temperature=t)
            accuracy[text].add(re.search(r"accuracy <b>([^<]+)</b>", w.readout_text()).group(1))
        heights[text] = w.state()["bars.height"].tobytes()
    assert all(len(seen) == 1 for seen in accuracy.values()), "dividing by T > 0 changes no argmax"
    assert len(set(heights.values())) == 9


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"temperature": np.nan}, ValueError, "temperature"),
        ({"temperature": 0.0}, ValueError, "temperature"),
        ({"temperature": 5.0}, ValueError, "temperature must be a position of its slider (0.2 to 3 in steps of 0.05)"),
        ({"temperature": 1.01}, ValueError, "temperature must be a position of its slider"),
        ({"gamma": "2"}, TypeError, "gamma"),
        ({"label_smoothing": 0.1, "gamma": 2.0}, ValueError, "trained with one of them at a time"),
        ({"label_smoothing": 0.3}, ValueError, "is not one of the trained networks"),
        ({"gamma": 2.5}, ValueError, "is not one of the trained networks"),
    ],
)
def test_calibration_explorer_rejects_wrong_settings(kwargs, error, words):
    with pytest.raises(error, match=re.escape(words)):
        widgets.calibration_explorer(**kwargs)


def test_the_choice_lists_nine_networks_with_one_change_each():
    assert [value for _, value in MODELS] == [
        (0.0, 0.0),
        (0.05, 0.0),
        (0.1, 0.0),
        (0.15, 0.0),
        (0.2, 0.0),
        (0.0, 1.0),
        (0.0, 2.0),
        (0.0, 3.0),
        (0.0, 4.0),
    ]


# --- what every figure sends, and the plot classes' own checks ---------------------------------------


@pytest.mark.parametrize("name", ["gradients_vs_logit", "training_race", "calibration_explorer"])
def test_the_figure_description_is_strict_json(name):
    """The spec goes to the browser as JSON: an empty marker (NaN data) must arrive as null, not as NaN."""
    import json

    widget = getattr(widgets, name)()
    json.dumps(widget.spec, allow_nan=False)


def test_the_empty_cross_entropy_marker_is_null_in_the_spec():
    widget = widgets.gradients_vs_logit(logit=-8.0)  # CE = 8 is above the panel: the circle is empty
    circle = next(a for a in widget.spec["figure"]["artists"] if a["name"] == "ce_loss")
    assert circle["y"] == [None]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        (([1, 2],), {}, TypeError, "models must be a non-empty dict"),
        (({},), {}, TypeError, "models must be a non-empty dict"),
        (({"a": np.zeros((3, 2))},), {}, TypeError, "models['a'] must be a pair (logits, labels)"),
        (({"a": (np.zeros((3, 2)), [0, 1])},), {}, ValueError, "labels"),
        (({"a": (np.zeros((3, 2)), [0, 1, 5])},), {}, ValueError, "labels"),
        (({"a": (np.zeros((3, 2)), [0, 1, 1])},), {"model": "b"}, ValueError, "model must be one of ['a'], got 'b'"),
        (({"a": (np.zeros((3, 2)), [0, 1, 1])},), {"temperature": -1.0}, ValueError, "temperature"),
        (({"a": (np.zeros((3, 2)), [0, 1, 1])},), {"n_bins": 0}, ValueError, "n_bins"),
    ],
)
def test_calibration_plot_refuses_nonsense(args, kwargs, error, words):
    from ce_teach.plotting import CalibrationPlot

    with pytest.raises(error, match=re.escape(words)):
        CalibrationPlot(*args, **kwargs)


def test_calibration_plot_state_at_one_temperature_is_ce_teachs_curve():
    from ce_teach.plotting import CalibrationPlot

    logits, labels = trained_logits(0.0, 0.0)
    plot = CalibrationPlot({"plain": (logits, labels)}, temperature=1.5)
    curve = ct.reliability_curve(ct.softmax(logits / 1.5), labels)
    used = curve.count > 0
    np.testing.assert_array_equal(plot.moving["bars"].patches[3].get_height(), np.where(used, curve.accuracy, 0)[3])
    heights = [bar.get_height() for bar in plot.moving["bars"]]
    np.testing.assert_array_equal(heights, np.where(used, curve.accuracy, 0.0))
    gaps = [(gap.get_y(), gap.get_height()) for gap in plot.moving["gaps"]]
    conf = np.where(used, curve.confidence, 0.0)
    np.testing.assert_array_equal(gaps, np.stack([np.minimum(heights, conf), np.abs(conf - heights)], axis=1))


def test_the_answer_of_10_section_6_on_the_figures_own_grid():
    """10 §6: with ε = 0.2 the lowest ECE on the slider is below T = 1 (at 0.4); with plain CE it is above 1."""
    w = widgets.calibration_explorer()
    grid = np.array(w.controls[0].values)
    best = {}
    for model in ((0.2, 0.0), (0.0, 0.0)):
        ece = w.plot.state(temperature=grid[:, None], model=model)["ece"][:, 0]
        best[model] = grid[int(np.argmin(ece))]
    assert best[(0.2, 0.0)] == 0.4 and best[(0.0, 0.0)] > 1.0

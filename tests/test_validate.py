"""The one check of a single number argument (``_validate.number``) and the one check of ``label_smoothing``."""

import math

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import _validate as v
from ce_teach import classifier

# --- number: accepted values come back as plain Python numbers ----------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0.0), (1, 1.0), (0.25, 0.25), (np.float32(0.5), 0.5), (np.int64(1), 1.0), (np.array(0.75), 0.75)],
)
def test_number_accepts_python_and_numpy_numbers_in_range(value, expected):
    got = v.number(value, "p", 0, 1)
    assert type(got) is float and got == expected


@pytest.mark.parametrize("value", [3, np.int64(3), np.uint8(3), np.array(3)])
def test_integer_accepts_python_and_numpy_integers(value):
    got = v.number(value, "n", 1, 12, integer=True)
    assert type(got) is int and got == 3


# --- number: wrong inputs get an error that names the argument, the value and the range ---------------


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        (1.5, dict(low=0, high=1), "p must be in [0, 1], got 1.5"),
        (-0.0001, dict(low=0, high=1), "p must be in [0, 1], got -0.0001"),
        (math.nan, dict(low=0, high=1), "p must be in [0, 1], got nan"),
        (np.float64(2.5), dict(low=0, high=1), "p must be in [0, 1], got 2.5"),  # the value, not np.float64(2.5)
        (0.0, dict(low=0, high=1, open_low=True, open_high=True, what="fraction"), "p must be a fraction in (0, 1)"),
        (1.0, dict(low=0, high=1, open_low=True, open_high=True, what="fraction"), "p must be a fraction in (0, 1)"),
        (math.inf, {}, "p must be a finite number, got inf"),
        (-math.inf, {}, "p must be a finite number, got -inf"),
        (0.0, dict(low=0, open_low=True), "p must be a positive finite number, got 0.0"),
        (math.inf, dict(low=0, open_low=True), "p must be a positive finite number, got inf"),
        (-1, dict(low=0), "p must be a finite number ≥ 0, got -1.0"),
        (math.inf, dict(low=0), "p must be a finite number ≥ 0, got inf"),
        (2.0, dict(high=1), "p must be a finite number ≤ 1, got 2.0"),
        (1e-17, dict(low=1e-16, high=1), "p must be in [1e-16, 1], got 1e-17"),
        (
            -1.0,
            dict(low=0, why=" (the focusing exponent)"),
            "p must be a finite number ≥ 0 (the focusing exponent), got",
        ),
        (0, dict(low=1, integer=True), "p must be an integer ≥ 1, got 0"),
        (13, dict(low=1, high=12, integer=True), "p must be an integer ≥ 1 and at most 12, got 13"),
        (np.int64(-1), dict(low=0, integer=True), "p must be an integer ≥ 0, got -1"),
        (10**400, dict(low=0), "p must be a number ≥ 0, got an integer beyond float64's ±1.8e308"),
    ],
)
def test_number_out_of_range_is_a_value_error(value, kwargs, message):
    with pytest.raises(ValueError) as raised:
        v.number(value, "p", **kwargs)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        (True, dict(low=0, high=1), "p must be a number in [0, 1], got True"),
        (np.bool_(False), dict(low=0, high=1), "p must be a number in [0, 1], got np.False_"),
        ("0.5", dict(low=0, high=1), "p must be a number in [0, 1], got '0.5'"),
        (None, dict(low=0, open_low=True), "p must be a positive number, got None"),
        ([0.5], dict(low=0), "p must be a number ≥ 0, got [0.5]"),
        (np.array([0.5]), {}, "p must be a number, got array([0.5])"),
        (np.ma.masked_array(0.5), {}, "p must be a number, got"),
        (1 + 0j, {}, "p must be a number, got (1+0j)"),
        (2.0, dict(low=1, integer=True), "p must be an integer ≥ 1, got 2.0"),
        (True, dict(low=0, integer=True), "p must be an integer ≥ 0, got True"),
        (np.array(2.0), dict(low=1, integer=True), "p must be an integer ≥ 1, got array(2.)"),
    ],
)
def test_number_of_the_wrong_type_is_a_type_error(value, kwargs, message):
    with pytest.raises(TypeError) as raised:
        v.number(value, "p", **kwargs)
    assert message in str(raised.value)


def test_range_ends_are_included_unless_open():
    assert v.number(0, "p", 0, 1) == 0.0 and v.number(1, "p", 0, 1) == 1.0
    for value, kwargs in [(0, dict(open_low=True)), (1, dict(open_high=True))]:
        with pytest.raises(ValueError):
            v.number(value, "p", 0, 1, **kwargs)


# --- label_smoothing: one check, the same answer from every function that takes it --------------------

X = [[2.0, 0.0, 1.0]]
NET = classifier.init_network(2, 3, output_scale=0.0)
TAKES_LABEL_SMOOTHING = {
    "smooth_labels": lambda s: ct.smooth_labels([0], 3, label_smoothing=s),
    "categorical_crossentropy": lambda s: ct.categorical_crossentropy(
        [[1.0, 0.0, 0.0]], X, from_logits=True, label_smoothing=s
    ),
    "binary_crossentropy": lambda s: ct.binary_crossentropy([1.0, 0.0], [0.9, 0.2], label_smoothing=s),
    "class_weighted_sparse_cross_entropy": lambda s: ct.class_weighted_sparse_cross_entropy([0], X, label_smoothing=s),
    "classifier.loss_and_gradients": lambda s: classifier.loss_and_gradients(NET, [[1.0, 0.0]], [2], label_smoothing=s)[
        0
    ],
    "classifier.train": lambda s: classifier.train(
        NET, [[1.0, 0.0]], [2], [[1.0, 0.0]], [2], steps=1, label_smoothing=s
    ),
}
WRONG_SMOOTHING = [
    (-0.1, ValueError, "label_smoothing must be in [0, 1], got -0.1"),
    (1.5, ValueError, "label_smoothing must be in [0, 1], got 1.5"),
    (np.float64(1.5), ValueError, "label_smoothing must be in [0, 1], got 1.5"),
    (math.nan, ValueError, "label_smoothing must be in [0, 1], got nan"),
    (math.inf, ValueError, "label_smoothing must be in [0, 1], got inf"),
    (True, TypeError, "label_smoothing must be a number in [0, 1], got True"),
    ("0.1", TypeError, "label_smoothing must be a number in [0, 1], got '0.1'"),
    (None, TypeError, "label_smoothing must be a number in [0, 1], got None"),
    (np.array([0.1]), TypeError, "label_smoothing must be a number in [0, 1], got array([0.1])"),
]


@pytest.mark.parametrize("function", TAKES_LABEL_SMOOTHING, ids=str)
@pytest.mark.parametrize(("value", "error", "message"), WRONG_SMOOTHING, ids=[repr(w[0]) for w in WRONG_SMOOTHING])
def test_every_label_smoothing_gets_the_same_clear_error(function, value, error, message):
    with pytest.raises(error) as raised:
        TAKES_LABEL_SMOOTHING[function](value)
    assert str(raised.value) == message


@pytest.mark.parametrize("function", TAKES_LABEL_SMOOTHING, ids=str)
@pytest.mark.parametrize("value", [0, 0.0, 0.1, np.float32(0.5), np.array(0.2), 1, 1.0])
def test_every_label_smoothing_accepts_zero_to_one_inclusive(function, value):
    result = TAKES_LABEL_SMOOTHING[function](value)  # ε = 1 (a uniform target) is allowed, as in PyTorch and Keras
    if function == "classifier.train":
        result = result[1].objective
    assert np.all(np.isfinite(result))


def test_label_smoothing_one_is_the_uniform_target():
    np.testing.assert_array_equal(ct.smooth_labels([0, 2], 4, label_smoothing=1.0), np.full((2, 4), 0.25))

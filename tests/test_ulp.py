"""ce_teach.ulp: exact losses, ulp errors, bisection over bit patterns, the float32 step-by-step formula."""

from decimal import Decimal

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.ulp import exact_bce, first_float, float32_stepwise_bce, ulp_error


def test_exact_bce_agrees_with_the_package_within_an_ulp():
    for x, z in [(-1.0, 0.0), (0.0, 1.0), (2.0, 1.0), (33.0, 0.999), (-40.0, 0.0), (700.0, 0.3)]:
        computed = ct.sigmoid_cross_entropy_with_logits(np.float64(z), np.float64(x))[()]
        assert abs(ulp_error(computed, exact_bce(x, z))) < 1.5, (x, z)  # (1 − z)·x: two roundings
    assert float(exact_bce(0.0, 1.0)) == np.log(2.0)


def test_exact_bce_of_tiny_losses_keeps_them():
    assert float(exact_bce(-40.0, 0.0)) == pytest.approx(np.exp(-40.0), rel=1e-15)


@pytest.mark.parametrize(
    "args, error",
    [((np.nan, 0.0), ValueError), ((1.0, 1.5), ValueError), (("1", 0.0), TypeError), ((1.0, True), TypeError)],
)
def test_exact_bce_rejects_bad_input(args, error):
    with pytest.raises(error):
        exact_bce(*args)


def test_ulp_error_of_correctly_rounded_values_is_at_most_half():
    for value in ("0.1", "0.7", "1e-30", "3.14159"):
        for t in (np.float32, np.float64, np.float16):
            assert abs(ulp_error(t(float(Decimal(value))), Decimal(value))) <= 0.5
    one_up = np.nextafter(np.float32(0.1), np.float32(1))
    assert ulp_error(one_up, Decimal("0.1")) == pytest.approx(1.2, abs=1e-6)


def test_ulp_error_rejects_bad_input():
    with pytest.raises(TypeError, match="NumPy float scalar"):
        ulp_error(0.1, 0.1)
    with pytest.raises(ValueError, match="finite"):
        ulp_error(np.float64(np.inf), 1.0)
    with pytest.raises(ValueError, match="finite"):
        ulp_error(np.float64(1.0), Decimal("NaN"))


@pytest.mark.parametrize("dtype, bits", [(np.float32, 24), (np.float64, 53)])
def test_first_float_finds_where_the_naive_sigmoid_rounds_to_one(dtype, bits):
    t = first_float(lambda v: ct.naive.sigmoid(v) == 1, 1.0, 100.0, dtype)
    assert t.dtype == dtype and ct.naive.sigmoid(t) == 1
    assert ct.naive.sigmoid(np.nextafter(t, dtype(0))) < 1
    assert abs(float(t) - bits * np.log(2)) < 1e-5


def test_first_float_rejects_bad_input():
    with pytest.raises(ValueError, match="float32 or float64"):
        first_float(lambda v: True, 0.0, 1.0, np.float16)
    with pytest.raises(ValueError, match="lo < hi"):
        first_float(lambda v: v > 0.5, 1.0, 0.0)
    with pytest.raises(ValueError, match="false at lo"):
        first_float(lambda v: True, 0.0, 1.0)


def test_float32_stepwise_matches_the_package_on_the_reproduce_batch():
    x, z = [-1.0, -1.0, 0.0, 1.0, 2.0], [0.0, 0.0, 1.0, 1.0, 1.0]
    losses, mean = float32_stepwise_bce(z, x)
    assert losses.dtype == np.float32 and mean.dtype == np.float32
    assert np.array_equal(losses, ct.sigmoid_cross_entropy_with_logits(np.float32(z), np.float32(x)))
    assert str(mean) == "0.35197204"


def test_float32_stepwise_rounds_each_step():
    """At z = 0.999, x = 33 the float32 product x·z is rounded before the subtraction: visible in the result."""
    losses, _ = float32_stepwise_bce([0.999], [33.0])
    x32, z32 = np.float32(33.0), np.float32(0.999)
    assert losses[0] == np.float32(np.float32(x32 - np.float32(x32 * z32)) + np.float32(np.log1p(np.exp(-33.0))))


@pytest.mark.parametrize(
    "labels, logits",
    [([0.0], [0.0, 1.0]), ([], []), ([[0.0]], [[1.0]]), ([0.5], [np.inf]), ([1.5], [0.0])],
)
def test_float32_stepwise_rejects_bad_input(labels, logits):
    with pytest.raises(ValueError):
        float32_stepwise_bce(labels, logits)

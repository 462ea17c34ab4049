"""What ce_teach/keras.py says about Keras' float32 output is true (issue 13: it claimed agreement that
does not hold for the source material's 0.9 given as float32)."""

import mpmath
import numpy as np

import ce_teach as ct

Y_PRED = np.float32([[0.9, 0.05, 0.05]])
Y_TRUE = np.float32([[1.0, 0.0, 0.0]])


def test_keras_float32_row_sum_is_exactly_one_and_gives_the_source_materials_digits():
    row_sum = np.float32(Y_PRED[0, 0] + Y_PRED[0, 1]) + Y_PRED[0, 2]  # Keras adds in float32
    assert row_sum == np.float32(1.0)
    keras_like = np.float32(-np.log(Y_PRED[0, 0] / row_sum))
    assert f"{keras_like:.8g}" == "0.10536055"  # what the source material printed


def test_ct_returns_the_exact_renormalised_loss_correctly_rounded():
    mpmath.mp.dps = 40
    p = [mpmath.mpf(float(v)) for v in Y_PRED[0]]
    exact = -mpmath.log(p[0] / sum(p))
    got = ct.categorical_crossentropy(Y_TRUE, Y_PRED)
    assert got.dtype == np.float32 and got[0] == np.float32(float(exact))
    assert f"{got[0]:.8g}" == "0.10536052"

"""The curriculum's numbers (curriculum.md, "Reproduce"), recomputed with ce_teach.

Expectations come from three places only, each marked: the curriculum's printed figures, exact values
computed here with mpmath (tests/mp_reference.py), and values other frameworks printed, recorded as
constants with where they come from (research/numerics.md §2). None is an output of ce_teach itself.

"Reproduce" means agreement to the digits shown. Several quoted figures are float32 values as
TensorFlow, Keras or PyTorch printed them; our float32 results are the correctly rounded float32 of the
exact value, and where a framework's float32 kernel rounded differently the test says so and by how much.
"""

from __future__ import annotations

from decimal import Decimal

import mp_reference as ref
import numpy as np
import pytest

import ce_teach as ct

mp = ref.mp

# The 3×10 logits of the sparse example, exactly as printed in curriculum.md.
LOGITS_3x10 = np.array(
    [
        [-3.27133679, -22.6687183, -4.15501118, -5.14916372, -5.94609261,
         -6.93373299, -5.72364092, -9.75725174, -3.15748906, -4.84012318],
        [-11.7642536, -45.3370094, -3.17252636, 4.34527206, -17.7164974,
         -0.595088899, -17.6322937, -2.36941719, -6.82157373, -3.47369862],
        [-4.55468369, -1.07379043, -3.73261762, -7.08982277, -0.0288562477,
         -5.46847963, -0.979336262, -3.03667569, -3.29502845, -2.25880361],
    ]
)  # fmt: skip
LABELS_3x10 = np.array([2, 3, 4])

# Keras' probability example: row 1 sums to 1.99 and is renormalised before the log.
KERAS_PROBABILITIES = np.array([[0.90, 0.05, 0.05], [0.50, 0.89, 0.60], [0.05, 0.01, 0.94]])


def agrees_to_digits_shown(value, shown: str) -> bool:
    """True if ``value`` (a float or an mpmath number) rounds to the decimal ``shown`` at its last digit."""
    last_digit = Decimal(shown).as_tuple().exponent  # −7 for '0.8990229'
    exact = Decimal(mp.nstr(value, 40)) if hasattr(value, "_mpf_") else Decimal(float(value))
    return abs(exact - Decimal(shown)) <= Decimal(5) * Decimal(10) ** (last_digit - 1)


def same_float32(value, shown: str) -> bool:
    """True if ``value`` is the float32 number a framework printed as ``shown`` (its shortest repr)."""
    return np.float32(value) == np.float32(shown) and np.asarray(value).dtype == np.float32


def is_correctly_rounded(computed, exact, dtype) -> bool:
    """``computed`` is the ``dtype`` number nearest to the mpmath value ``exact``, in ``dtype``."""
    return computed.dtype == np.dtype(dtype) and computed == ref.nearest(exact, dtype)


# --- 03 Cross-entropy: cat/dog/man -------------------------------------------------------------------

MINUS_LN_0_7 = "0.35667494393873238"  # curriculum: −ln 0.7 for the exact decimal 0.7
KERAS_F64_CAT = 0.3566749439387323  # Keras' float64 path (normalise, clip, log), numerics.md §2f


def test_cat_dog_man():
    assert mp.nstr(-mp.log(mp.mpf("0.7")), 17) == MINUS_LN_0_7
    one_hot, prediction = [1.0, 0.0, 0.0], [0.7, 0.2, 0.1]
    # 0.7 is not a float64: the input is 0.69999999999999995559…, and −ln of *that* is 0.3566749439387324(4).
    # The exact function of the float64 input, correctly rounded:
    exact = -mp.log(ref.mpf(0.7))
    loss = ct.cross_entropy(one_hot, prediction)
    assert ref.ulp_error(loss, exact, np.float64) <= 0.5
    assert float(loss) == pytest.approx(float(MINUS_LN_0_7), rel=4e-16)  # the input rounding, 1.1e-16 relative

    # Keras semantics: 0.7 + 0.2 + 0.1 sums to 0.9999999999999999 and is renormalised first, as Keras does.
    keras = ct.categorical_crossentropy([one_hot], [prediction])[0]
    assert keras == pytest.approx(KERAS_F64_CAT, rel=2.3e-16)
    assert keras == pytest.approx(float(MINUS_LN_0_7), rel=4e-16)

    # The same loss from logits: log-probabilities are logits whose softmax gives the probabilities back.
    logits = np.log(prediction)
    from_logits = ct.softmax_cross_entropy_with_logits(one_hot, logits)
    assert ref.ulp_error(from_logits, ref.softmax_cross_entropy(one_hot, logits), np.float64) <= 4
    assert float(from_logits) == pytest.approx(float(MINUS_LN_0_7), rel=1e-15)

    # float32: Keras printed 0.35667497 (its float32 renormalise/clip/log steps, 0.85 ulp off);
    # ce_teach computes in float64 and rounds once.
    loss32 = ct.categorical_crossentropy(np.float32([one_hot]), np.float32([prediction]))[0]
    exact32 = -mp.log(ref.mpf(np.float32(0.7)) / mp.fsum(ref.mpf(p) for p in np.float32(prediction)))
    assert is_correctly_rounded(loss32, exact32, np.float32)
    assert same_float32(loss32, "0.35667494")


# --- 01 Entropy: the code-length example ----------------------------------------------------------


def test_entropy_of_the_code_length_example_is_1_75_bits():
    p = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
    code_lengths = np.array([1, 2, 3, 3])  # an optimal prefix code: 0, 10, 110, 111
    assert np.array_equal(-np.log2(p), code_lengths)
    h = ct.entropy(p, base=2)
    assert float(h) == pytest.approx(1.75, rel=2 * np.finfo(float).eps)
    assert float(ct.entropy(p)) == pytest.approx(1.75 * np.log(2), rel=2 * np.finfo(float).eps)  # in nats


# --- 05 Softmax --------------------------------------------------------------------------------------

SOFTMAX_3_1_MINUS_3 = [0.87887824, 0.11894324, 0.00217852]  # curriculum, 8 decimals


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_of_3_1_minus_3(dtype):
    x = np.array([3.0, 1.0, -3.0], dtype=dtype)
    s = ct.softmax(x)
    assert s.astype(np.float64).round(8).tolist() == pytest.approx(SOFTMAX_3_1_MINUS_3, abs=1e-12)
    exact = ref.softmax(x)
    assert all(ref.ulp_error(c, e, dtype) <= (4 if dtype is np.float64 else 1) for c, e in zip(s, exact, strict=True))


# --- 04 Binary cross-entropy ---------------------------------------------------------------------

BCE_X = [-1.0, -1.0, 0.0, 1.0, 2.0]
BCE_Z = [0.0, 0.0, 1.0, 1.0, 1.0]
BCE_MEAN_F64 = "0.35197205083151726"  # curriculum, the exact mean to 17 digits
# TensorFlow's float32 mean of tf.nn.sigmoid_cross_entropy_with_logits, and Keras' BinaryCrossentropy(from_logits=True),
# printed 0.35197204 (numerics.md §2a). That *is* the correctly rounded float32 of the exact mean (0.245 ulp away),
# although not every TF per-element value is (softplus(−2): TF 0.12692800, exact 0.1269280110, 1.5 ulp).
# A plain float32 NumPy transcription of TF's formula gives 0.351972, one ulp below.
TF_BCE_MEAN_F32 = np.float32(0.35197204)
NUMPY_F32_BCE_MEAN = np.float32(0.351972)


def test_binary_cross_entropy_mean():
    exact = mp.fsum(ref.bce(z, x) for z, x in zip(BCE_Z, BCE_X, strict=True)) / 5
    assert mp.nstr(exact, 17) == BCE_MEAN_F64

    loss = ct.sigmoid_cross_entropy_with_logits(BCE_Z, BCE_X)
    assert loss.mean() == float(BCE_MEAN_F64)  # the float64 nearest to the 17 digits …
    assert is_correctly_rounded(loss.mean(), exact, np.float64)  # … which is the correctly rounded exact mean

    x32, z32 = np.float32(BCE_X), np.float32(BCE_Z)
    mean32 = ct.binary_crossentropy(z32, x32, from_logits=True)  # Keras semantics: the mean over the last axis
    assert is_correctly_rounded(mean32, exact, np.float32)
    assert mean32 == TF_BCE_MEAN_F32 and same_float32(mean32, "0.35197204")
    assert NUMPY_F32_BCE_MEAN == np.nextafter(mean32, np.float32(0))
    # Per element, every float32 loss is the correctly rounded exact loss.
    per_element = ct.sigmoid_cross_entropy_with_logits(z32, x32)
    assert all(
        is_correctly_rounded(c, ref.bce(z, x), np.float32) for c, z, x in zip(per_element, z32, x32, strict=True)
    )


def test_binary_cross_entropy_three_ways():
    """Naive probabilities, the stable formula written out, and the package agree on the example."""
    x, z = np.array(BCE_X), np.array(BCE_Z)
    naive = ct.naive.sigmoid_cross_entropy(z, x).mean()
    stable = (np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))).mean()
    package = ct.sigmoid_cross_entropy_with_logits(z, x).mean()
    for value in (naive, stable, package):
        assert value == pytest.approx(float(BCE_MEAN_F64), rel=1e-15)
        assert same_float32(np.float32(value), "0.35197204")


# --- 05 Sparse softmax cross-entropy, the 3×10 example ----------------------------------------------

SPARSE_3x10_F64 = ["2.0077196111839031", "0.0092813729779797", "0.6800677551464486"]  # curriculum (mpmath)
# TensorFlow's float32 tf.nn.sparse_softmax_cross_entropy_with_logits as printed (curriculum; numerics.md §2b has
# row 1 to more digits, 0.009281346). Its row 1 is the confident correct row, loss = log(1 + S) with S ≈ 0.0093:
# TF rounds 1 + S to float32 before the log and lands 29 ulps below the exact value.
TF_SPARSE_3x10_F32 = ["2.0077195", "0.00928135", "0.6800677"]
TF_SPARSE_3x10_ROW1_F32 = np.float32(0.009281346)
TF_SPARSE_3x10_MEAN_F32 = "0.8990229"


def test_sparse_softmax_cross_entropy_3x10_float64():
    loss = ct.sparse_softmax_cross_entropy_with_logits(LABELS_3x10, LOGITS_3x10)
    exact = [ref.sparse_softmax_cross_entropy(k, row) for k, row in zip(LABELS_3x10, LOGITS_3x10, strict=True)]
    assert all(agrees_to_digits_shown(e, s) for e, s in zip(exact, SPARSE_3x10_F64, strict=True))
    assert loss.tolist() == pytest.approx([float(s) for s in SPARSE_3x10_F64], rel=1e-15)
    assert all(ref.ulp_error(c, e, np.float64) <= 4 for c, e in zip(loss, exact, strict=True))


def test_sparse_softmax_cross_entropy_3x10_float32():
    logits = LOGITS_3x10.astype(np.float32)
    loss = ct.sparse_softmax_cross_entropy_with_logits(LABELS_3x10, logits)
    exact = [ref.sparse_softmax_cross_entropy(k, row) for k, row in zip(LABELS_3x10, logits, strict=True)]
    assert all(is_correctly_rounded(c, e, np.float32) for c, e in zip(loss, exact, strict=True))

    tf = np.float32([float(s) for s in TF_SPARSE_3x10_F32])
    # row 0: the same float32 number as TensorFlow's.
    assert same_float32(loss[0], TF_SPARSE_3x10_F32[0])
    # row 1: ours 0.009281373 (exact 0.00928137294); TensorFlow's 0.009281346 is 29 float32 ulps low.
    assert agrees_to_digits_shown(loss[1], "0.00928137")
    assert 25 < ref.ulp_error(TF_SPARSE_3x10_ROW1_F32, exact[1], np.float32) < 35
    # row 2: exact 0.68006775527; ours is the nearest float32 (0.68006778), TensorFlow's the neighbour below.
    assert tf[2] == np.nextafter(loss[2], np.float32(0))
    assert agrees_to_digits_shown(exact[2], "0.6800678")
    # the mean agrees to the digits shown
    assert agrees_to_digits_shown(loss.mean(), TF_SPARSE_3x10_MEAN_F32)
    assert agrees_to_digits_shown(mp.fsum(exact) / 3, TF_SPARSE_3x10_MEAN_F32)


def test_one_hot_soft_and_sparse_labels_agree_on_3x10():
    one_hot = np.eye(10)[LABELS_3x10]
    expected = [float(s) for s in SPARSE_3x10_F64]
    assert ct.softmax_cross_entropy_with_logits(one_hot, LOGITS_3x10).tolist() == pytest.approx(expected, rel=1e-15)
    keras = ct.categorical_crossentropy(one_hot, LOGITS_3x10, from_logits=True)
    assert keras.tolist() == pytest.approx(expected, rel=1e-15)
    keras_sparse = ct.sparse_categorical_crossentropy(LABELS_3x10, LOGITS_3x10, from_logits=True)
    assert keras_sparse.tolist() == pytest.approx(expected, rel=1e-15)


# torch.nn.functional.cross_entropy(label_smoothing=0.1) and Keras CategoricalCrossentropy(label_smoothing=0.1) on the
# 3×10 example, float32, as printed (numerics.md §2, "Additional torch/TF facts").
SMOOTHED_3x10_F32 = ["2.3082441", "1.4891794", "0.9923631"]


def test_label_smoothing_on_3x10():
    one_hot = np.eye(10)[LABELS_3x10]
    for dtype in (np.float64, np.float32):
        logits = LOGITS_3x10.astype(dtype)
        loss = ct.categorical_crossentropy(one_hot, logits, from_logits=True, label_smoothing=0.1)
        # smoothed labels y·(1 − 0.1) + 0.1/10, exactly
        smoothed = [[mp.mpf("0.9") * y + mp.mpf("0.01") for y in row] for row in one_hot]
        exact = [ref.softmax_cross_entropy(y, row) for y, row in zip(smoothed, logits, strict=True)]
        assert all(agrees_to_digits_shown(e, s) for e, s in zip(exact, SMOOTHED_3x10_F32, strict=True))
        if dtype is np.float64:
            assert all(ref.ulp_error(c, e, dtype) <= 4 for c, e in zip(loss, exact, strict=True))
        else:
            assert all(is_correctly_rounded(c, e, dtype) for c, e in zip(loss, exact, strict=True))
            # within one float32 ulp of the printed digits (1.4891794 vs ours 1.4891795: exact 1.48917944840)
            shown = np.float32([float(s) for s in SMOOTHED_3x10_F32])
            assert np.all(np.abs(loss - shown) <= np.spacing(shown))


# --- 05 Soft labels: exact vs the ε-in-the-log bias ------------------------------------------------

SOFT_Y = np.array([[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]])
SOFT_LOGITS = np.array([[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]])
SOFT_EXACT = ["0.16984601955628565", "0.82474489013882270"]  # curriculum
SOFT_NAIVE_EPS = [0.16984483, 0.82473288]  # curriculum: −Σ y·log(softmax + 1e-6)
SOFT_BIAS_PREDICTED = ["-1.185e-6", "-1.201e-5"]  # curriculum: −1e-6·Σ_j y_j / q_j


def test_soft_labels_exact():
    loss = ct.softmax_cross_entropy_with_logits(SOFT_Y, SOFT_LOGITS)
    exact = [ref.softmax_cross_entropy(y, x) for y, x in zip(SOFT_Y, SOFT_LOGITS, strict=True)]
    assert all(agrees_to_digits_shown(e, s) for e, s in zip(exact, SOFT_EXACT, strict=True))
    assert all(ref.ulp_error(c, e, np.float64) <= 4 for c, e in zip(loss, exact, strict=True))


def test_soft_labels_epsilon_bias():
    exact = np.array([float(s) for s in SOFT_EXACT])
    naive = ct.naive.softmax_cross_entropy_eps(SOFT_Y, SOFT_LOGITS, eps=1e-6)
    assert naive.round(8).tolist() == pytest.approx(SOFT_NAIVE_EPS, abs=1e-12)
    # First order: −Σ y log(q + ε) = −Σ y log q − Σ y log(1 + ε/q) ≈ CE − ε·Σ y_j / q_j.
    q = np.array([[float(v) for v in ref.softmax(x)] for x in SOFT_LOGITS])
    predicted = -1e-6 * (SOFT_Y / q).sum(axis=1)
    assert [f"{p:.3e}" for p in predicted] == [f"{float(s):.3e}" for s in SOFT_BIAS_PREDICTED]
    observed = naive - exact
    assert observed == pytest.approx(predicted, rel=0.01)  # the bias explains the difference, not rounding


# --- 05 Keras: probabilities instead of logits --------------------------------------------------------

KERAS_CCE = [0.10536052, 0.80466845, 0.06187540]  # curriculum, 8 decimals


def test_keras_categorical_crossentropy_from_probabilities():
    loss = ct.categorical_crossentropy(np.eye(3), KERAS_PROBABILITIES)
    assert loss.round(8).tolist() == pytest.approx(KERAS_CCE, abs=1e-12)
    # exact: −ln .9, −ln(.89 / 1.99), −ln .94 (renormalised rows; the clip does not bite)
    rows = [ref.mpf(p[k]) / mp.fsum(ref.mpf(v) for v in p) for k, p in enumerate(KERAS_PROBABILITIES)]
    assert loss.tolist() == pytest.approx([float(-mp.log(r)) for r in rows], rel=1e-15)
    # Without the renormalisation (e.g. torch's nll_loss(log p)), row 1 would be −ln .89:
    assert round(float(-np.log(KERAS_PROBABILITIES[1, 1])), 5) == 0.11653
    assert round(float(loss[1]), 5) != 0.11653


def test_keras_sparse_categorical_crossentropy_from_probabilities():
    loss = ct.sparse_categorical_crossentropy([0, 1, 2], KERAS_PROBABILITIES)
    assert loss.round(8).tolist() == pytest.approx(KERAS_CCE, abs=1e-12)


# Keras' binary cross-entropy on probabilities clips to [1e-7, 1 − 1e-7] in y_pred's dtype (numerics.md §1.2).
# Keras/TF float32 print 1.1920929e-07 = 2^-23 for −ln(float32(1 − 1e-7)) = −ln(1 − 2^-24·2): the exact value is
# 2^-23 + 2^-47 + …, just above the midpoint between 2^-23 and the next float32 up (2^-23 + 2^-46 = 1.192093e-07),
# so the correctly rounded float32 is one ulp above Keras' (whose float32 log drops the 2^-47).
KERAS_PERFECT_F32 = "1.1920929e-07"
KERAS_PERFECT_F64 = 1.0000000494736474e-07  # −ln(float64(1 − 1e-7))
KERAS_MAX_LOSS = "16.118095"  # −ln(1e-7) = 16.118095…, quoted truncated


def test_keras_binary_crossentropy_clip():
    perfect32 = ct.binary_crossentropy(np.float32([[1.0]]), np.float32([[1.0]]))[0]
    exact32 = -mp.log(ref.mpf(np.float32(1 - 1e-7)))
    assert is_correctly_rounded(perfect32, exact32, np.float32)
    assert perfect32 == np.nextafter(np.float32(KERAS_PERFECT_F32), np.float32(1))
    assert agrees_to_digits_shown(exact32, "1.1920930e-07") and agrees_to_digits_shown(perfect32, "1.1920930e-07")
    perfect64 = ct.binary_crossentropy([[1.0]], [[1.0]])[0]
    assert perfect64 == KERAS_PERFECT_F64
    assert ref.ulp_error(perfect64, -mp.log(ref.mpf(1 - 1e-7)), np.float64) <= 4
    for dtype in (np.float64, np.float32):
        worst = ct.binary_crossentropy(np.ones((1, 1), dtype), np.zeros((1, 1), dtype))[0]
        assert f"{worst:.12f}".startswith(KERAS_MAX_LOSS)
    assert mp.nstr(-mp.log(mp.mpf("1e-7")), 12).startswith(KERAS_MAX_LOSS)

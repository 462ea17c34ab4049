"""Bad input gives a clear error naming the argument, the value and what is allowed; good edge cases do not raise."""

import numpy as np
import pytest

import ce_teach as ct

LOGITS_3x4 = np.array([[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0], [-1.0, 5.0, 2.0, 0.5]])
ONE_HOT_3x4 = np.eye(4)[[3, 0, 1]]


# --- shape mismatches: never broadcast silently -------------------------------------------------

BINARY = [ct.sigmoid_cross_entropy_with_logits, ct.sigmoid_cross_entropy_grad]


@pytest.mark.parametrize("fn", BINARY)
def test_binary_losses_refuse_n_vs_n1(fn):
    with pytest.raises(ValueError, match=r"labels\(4,\) and logits\(4, 1\)"):
        fn(np.ones(4), np.zeros((4, 1)))


def test_weighted_refuses_shape_mismatch():
    with pytest.raises(ValueError, match="same shape"):
        ct.weighted_cross_entropy_with_logits(np.ones(4), np.zeros((4, 1)), pos_weight=2.0)


def test_pos_weight_must_broadcast():
    with pytest.raises(ValueError, match=r"pos_weight of shape \(3,\) does not broadcast"):
        ct.weighted_cross_entropy_with_logits(np.ones((2, 4)), np.zeros((2, 4)), pos_weight=np.ones(3))


@pytest.mark.parametrize("fn", [ct.softmax_cross_entropy_with_logits, ct.softmax_cross_entropy_grad])
def test_softmax_losses_refuse_shape_mismatch(fn):
    with pytest.raises(ValueError, match="same shape"):
        fn(ONE_HOT_3x4[:, :3], LOGITS_3x4)


@pytest.mark.parametrize("fn", [ct.cross_entropy, ct.kl_divergence])
def test_information_functions_refuse_shape_mismatch(fn):
    with pytest.raises(ValueError, match="same shape"):
        fn([0.5, 0.5], [[0.5, 0.5]])


def test_keras_losses_refuse_shape_mismatch():
    with pytest.raises(ValueError, match="y_true and y_pred must have the same shape"):
        ct.binary_crossentropy(np.ones(4), np.full((4, 1), 0.5))
    with pytest.raises(ValueError, match="same shape"):
        ct.categorical_crossentropy(ONE_HOT_3x4, np.full((3, 3), 1 / 3))


# --- sparse labels ------------------------------------------------------------------------------

SPARSE = [
    lambda labels, logits: ct.sparse_softmax_cross_entropy_with_logits(labels, logits),
    lambda labels, logits: ct.sparse_categorical_crossentropy(labels, logits, from_logits=True),
]


@pytest.mark.parametrize("fn", SPARSE)
def test_sparse_labels_out_of_range_name_the_label(fn):
    # The language-model-shaped batch of the curriculum: vocabulary of 9, labels 0..11.
    logits = np.zeros((12, 9))
    with pytest.raises(ValueError, match=r"contains 9 at index 9, outside the valid range \[0, 9\) for 9 classes"):
        fn(np.arange(12), logits)


@pytest.mark.parametrize("fn", SPARSE)
def test_sparse_labels_negative(fn):
    with pytest.raises(ValueError, match=r"contains -1 at index 1, outside the valid range \[0, 4\)"):
        fn(np.array([0, -1, 2]), LOGITS_3x4)


@pytest.mark.parametrize("fn", SPARSE)
def test_sparse_labels_not_integers(fn):
    with pytest.raises(TypeError, match="must be integer class indices, got dtype float64"):
        fn(np.array([3.0, 0.0, 1.0]), LOGITS_3x4)


@pytest.mark.parametrize("fn", SPARSE)
def test_sparse_labels_wrong_shape(fn):
    with pytest.raises(ValueError, match=r"must have shape (logits|y_pred)\.shape\[:-1\] = \(3,\), got \(3, 1\)"):
        fn(np.array([[3], [0], [1]]), LOGITS_3x4)


# --- probabilities and labels outside their range -----------------------------------------------


@pytest.mark.parametrize("bad", [-0.1, 1.5, np.nan])
def test_sigmoid_labels_outside_unit_interval(bad):
    labels = np.array([0.0, bad, 1.0])
    with pytest.raises(ValueError, match="labels"):
        ct.sigmoid_cross_entropy_with_logits(labels, np.zeros(3))


def test_sigmoid_labels_message_gives_value_and_range():
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 1\]; found 2\.0 at index 1"):
        ct.sigmoid_cross_entropy_with_logits(np.array([0.0, 2.0, 1.0]), np.zeros(3))


def test_integer_class_labels_in_a_sigmoid_loss_are_refused():
    # Classes 0..4 fed to a binary loss: 1 - z would go negative. The error says so.
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 1\]; found 2"):
        ct.sigmoid_cross_entropy_with_logits(np.array([0, 2, 4]), np.zeros(3))


@pytest.mark.parametrize("bad", [-0.2, 1.2, np.nan])
@pytest.mark.parametrize("fn", [ct.entropy, lambda p: ct.cross_entropy(p, [0.25] * 4)])
def test_probabilities_outside_unit_interval(fn, bad):
    with pytest.raises(ValueError, match=r"p (must lie in \[0, 1\]|contains NaN)"):
        fn([0.6, bad, 0.2, 0.4 - (0 if np.isnan(bad) else bad)])


@pytest.mark.parametrize("bad", [-0.2, 1.2, np.nan])
def test_keras_probabilities_outside_unit_interval(bad):
    with pytest.raises(ValueError, match="y_pred"):
        ct.categorical_crossentropy([[1, 0]], [[0.5, bad]])
    with pytest.raises(ValueError, match="y_pred"):
        ct.binary_crossentropy([1.0, 0.0], [0.5, bad])
    with pytest.raises(ValueError, match="y_pred"):
        ct.sparse_categorical_crossentropy([1], [[0.5, bad]])


def test_distribution_not_summing_to_one_says_how_far_and_how_to_fix():
    with pytest.raises(ValueError, match=r"sums to 0\.9 \(off by -0\.1\)\. Normalise it first: p = p / p\.sum"):
        ct.entropy([0.5, 0.4])
    with pytest.raises(ValueError, match=r"q must sum to 1 .* batch index 1 sums to 1\.2"):
        ct.kl_divergence([[0.5, 0.5], [0.5, 0.5]], [[0.5, 0.5], [0.6, 0.6]])


def test_distribution_tolerance_follows_dtype():
    # float32 probabilities that are a correct distribution up to float32 rounding are accepted.
    p32 = (np.ones(10, np.float32) / np.float32(10)).astype(np.float32)
    assert np.isclose(ct.entropy(p32), np.log(10), rtol=1e-6)
    # ...but an error of 1e-3 is not.
    with pytest.raises(ValueError, match="must sum to 1"):
        ct.entropy(np.array([0.5, 0.501]))


def test_keras_all_zero_probability_row():
    with pytest.raises(ValueError, match="row of all zeros"):
        ct.categorical_crossentropy([[1, 0, 0]], [[0.0, 0.0, 0.0]])


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan])
def test_pos_weight_must_be_positive(bad):
    with pytest.raises(ValueError, match="pos_weight must be > 0" if not np.isnan(bad) else "pos_weight contains NaN"):
        ct.weighted_cross_entropy_with_logits(np.ones(3), np.zeros(3), pos_weight=bad)


def test_per_class_pos_weight_error_names_the_index():
    with pytest.raises(ValueError, match=r"pos_weight must be > 0, got -2\.0 at index 1"):
        ct.weighted_cross_entropy_with_logits(np.ones((2, 3)), np.zeros((2, 3)), pos_weight=[1.0, -2.0, 3.0])


# --- NaN logits, empty class axis, bad types ----------------------------------------------------

NAN_LOGIT_CALLS = [
    lambda x: ct.sigmoid(x),
    lambda x: ct.log_sigmoid(x),
    lambda x: ct.softplus(x),
    lambda x: ct.softmax(x),
    lambda x: ct.log_softmax(x),
    lambda x: ct.logsumexp(x),
    lambda x: ct.sigmoid_cross_entropy_with_logits(np.zeros(3), x),
    lambda x: ct.weighted_cross_entropy_with_logits(np.zeros(3), x, pos_weight=2.0),
    lambda x: ct.softmax_cross_entropy_with_logits(np.eye(3)[0], x),
    lambda x: ct.sparse_softmax_cross_entropy_with_logits(np.array(0), x),
    lambda x: ct.sigmoid_cross_entropy_grad(np.zeros(3), x),
    lambda x: ct.softmax_cross_entropy_grad(np.eye(3)[0], x),
    lambda x: ct.binary_crossentropy(np.zeros(3), x, from_logits=True),
    lambda x: ct.categorical_crossentropy(np.eye(3)[0], x, from_logits=True),
    lambda x: ct.sparse_categorical_crossentropy(np.array(0), x, from_logits=True),
]


@pytest.mark.parametrize("call", NAN_LOGIT_CALLS)
def test_nan_logits_are_refused(call):
    with pytest.raises(ValueError, match=r"contains NaN \(first at index 1\)"):
        call(np.array([0.0, np.nan, 1.0]))


EMPTY_AXIS_CALLS = [
    lambda x: ct.softmax(x),
    lambda x: ct.log_softmax(x),
    lambda x: ct.logsumexp(x),
    lambda x: ct.softmax_cross_entropy_with_logits(x, x),
    lambda x: ct.sparse_softmax_cross_entropy_with_logits(np.zeros(2, int), x),
    lambda x: ct.categorical_crossentropy(x, x),
    lambda x: ct.entropy(x),
]


@pytest.mark.parametrize("call", EMPTY_AXIS_CALLS)
def test_empty_class_axis(call):
    with pytest.raises(ValueError, match="empty class axis"):
        call(np.zeros((2, 0)))


@pytest.mark.parametrize("call", [lambda x: ct.softmax(x), lambda x: ct.entropy(x), lambda x: ct.logsumexp(x)])
def test_scalar_has_no_class_axis(call):
    with pytest.raises(ValueError, match="must have a class axis"):
        call(1.0)


@pytest.mark.parametrize("bad", [["a", "b"], np.array([1 + 2j]), np.array([None, 1.0])])
def test_non_numeric_input_is_a_type_error(bad):
    with pytest.raises(TypeError, match="x must be real numbers"):
        ct.sigmoid(bad)


def test_axis_out_of_range():
    with pytest.raises(ValueError, match="axis=2 is out of range"):
        ct.softmax(np.zeros((2, 3)), axis=2)


@pytest.mark.parametrize("base", [1, 0, -2, np.inf])
def test_bad_base(base):
    with pytest.raises(ValueError, match=rf"base must be a positive finite number other than 1, .*, got {float(base)}"):
        ct.entropy([0.5, 0.5], base=base)


def test_base_must_be_a_number():
    with pytest.raises(TypeError, match=r"base must be a positive number other than 1,.* or None \(nats\), got 'bits'"):
        ct.entropy([0.5, 0.5], base="bits")


def test_positive_infinite_logit_in_softmax_is_refused():
    with pytest.raises(ValueError, match=r"contains \+inf .* -inf is allowed"):
        ct.softmax([np.inf, 0.0])


def test_all_minus_infinity_row_has_no_softmax():
    with pytest.raises(ValueError, match="all -inf"):
        ct.log_softmax([[0.0, 1.0], [-np.inf, -np.inf]])


def test_numerical_gradient_input_checks():
    with pytest.raises(TypeError, match="f must be a function"):
        ct.numerical_gradient(3.0, np.zeros(2))
    with pytest.raises(ValueError, match="eps must be a positive finite step"):
        ct.numerical_gradient(np.sum, np.zeros(2), eps=0.0)
    with pytest.raises(ValueError, match=r"f must return a scalar .* shape \(2,\)"):
        ct.numerical_gradient(lambda x: x * 2, np.zeros(2))
    with pytest.raises(ValueError, match="x contains inf"):
        ct.numerical_gradient(np.sum, np.array([1.0, np.inf]))


@pytest.mark.parametrize("smoothing", [-0.1, 1.5])
def test_label_smoothing_range(smoothing):
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]"):
        ct.categorical_crossentropy([[1, 0]], [[0.5, 0.5]], label_smoothing=smoothing)


# --- good edge cases must not raise -------------------------------------------------------------


def test_labels_exactly_zero_and_one():
    loss = ct.sigmoid_cross_entropy_with_logits(np.array([0.0, 1.0]), np.array([0.0, 0.0]))
    np.testing.assert_allclose(loss, [np.log(2), np.log(2)], rtol=1e-15)


def test_zeros_in_p_follow_zero_log_zero():
    assert ct.entropy([1.0, 0.0, 0.0]) == 0.0
    assert ct.cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert ct.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2), rel=1e-15)


def test_q_zero_where_p_positive_is_infinite_not_nan():
    assert ct.cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert ct.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf


def test_huge_logits_are_fine():
    x = np.array([-1e4, -800.0, 800.0, 1e4])
    z = np.array([1.0, 0.0, 0.0, 1.0])
    np.testing.assert_array_equal(ct.sigmoid_cross_entropy_with_logits(z, x), [1e4, 0.0, 800.0, 0.0])
    np.testing.assert_array_equal(ct.softmax([1e4, 0.0]), [1.0, 0.0])
    np.testing.assert_array_equal(ct.log_softmax([1e4, 0.0]), [0.0, -1e4])
    assert ct.sparse_softmax_cross_entropy_with_logits(np.array(1), np.array([1e4, 0.0])) == 1e4


def test_single_class():
    assert ct.softmax([[3.0]]).tolist() == [[1.0]]
    assert ct.log_softmax([5.0]).tolist() == [0.0]
    assert ct.sparse_softmax_cross_entropy_with_logits(np.array([0]), np.array([[7.0]])).tolist() == [0.0]
    assert ct.entropy([1.0]) == 0.0


def test_extra_batch_dimensions():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 5))
    labels = rng.integers(0, 5, size=(2, 3))
    sparse = ct.sparse_softmax_cross_entropy_with_logits(labels, x)
    dense = ct.softmax_cross_entropy_with_logits(np.eye(5)[labels], x)
    assert sparse.shape == (2, 3)
    np.testing.assert_allclose(sparse, dense, rtol=1e-14)
    # the class axis can be elsewhere for the dense functions
    moved = ct.softmax_cross_entropy_with_logits(np.moveaxis(np.eye(5)[labels], -1, 1), np.moveaxis(x, -1, 1), axis=1)
    np.testing.assert_allclose(moved, dense, rtol=1e-14)
    assert ct.softmax(x, axis=0).shape == x.shape
    np.testing.assert_allclose(ct.softmax(x, axis=0).sum(axis=0), 1.0, rtol=1e-15)


def test_minus_infinity_logit_is_probability_zero():
    np.testing.assert_array_equal(ct.softmax([-np.inf, 0.0]), [0.0, 1.0])
    np.testing.assert_array_equal(ct.log_softmax([-np.inf, 0.0]), [-np.inf, 0.0])
    # label mass on the impossible class costs inf; no mass there costs nothing
    assert ct.softmax_cross_entropy_with_logits([1.0, 0.0], [-np.inf, 0.0]) == np.inf
    assert ct.softmax_cross_entropy_with_logits([0.0, 1.0], [-np.inf, 0.0]) == 0.0


def test_dtype_rules():
    x32 = np.array([0.5, -1.0], np.float32)
    assert ct.sigmoid(x32).dtype == np.float32
    assert ct.sigmoid([1, 2]).dtype == np.float64
    assert ct.sigmoid(np.array([True, False])).dtype == np.float64
    assert ct.sigmoid_cross_entropy_with_logits(np.array([1, 0]), x32).dtype == np.float32
    assert ct.softmax(np.zeros(3, np.float16)).dtype == np.float16
    assert ct.entropy(np.array([0.5, 0.5], np.float32)).dtype == np.float32
    assert ct.sparse_softmax_cross_entropy_with_logits(np.array([1]), np.zeros((1, 3), np.float32)).dtype == np.float32


def test_inputs_are_not_modified():
    x = np.array([[1.0, 2.0, 3.0]])
    before = x.copy()
    ct.softmax(x)
    ct.sparse_softmax_cross_entropy_with_logits(np.array([0]), x)
    ct.numerical_gradient(lambda t: float(ct.logsumexp(t)[0]), x)
    np.testing.assert_array_equal(x, before)


def test_names_helper_for_plots_and_widgets():
    """_validate.check_names: one label per item, or an error naming the argument (never matplotlib's)."""
    from ce_teach import _validate

    assert _validate.check_names(("a", "b"), 2) == ["a", "b"]
    with pytest.raises(ValueError, match=r"names must give one label per class \(3\), got 1"):
        _validate.check_names(["a"], 3)
    assert _validate.check_names("ab", 2) == ["a", "b"]  # one label per character, as list("ab")
    with pytest.raises(TypeError, match="names must be a list of 2 labels"):
        _validate.check_names(5, 2)

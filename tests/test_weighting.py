"""ce_teach/weighting.py: weighted means, class weights, pos_weight, and PyTorch's CrossEntropyLoss semantics."""

import numpy as np
import pytest

import ce_teach as ct

RNG_SEEDS = [0, 1, 2]


def by_hand(labels, logits, weight, ignore, eps):
    """The three lines of notebook 07, section 4, written out: per-example losses and the mean's denominator."""
    n_classes = logits.shape[-1]
    w = np.ones(n_classes) if weight is None else np.asarray(weight, dtype=float)
    neg_log_q = -ct.log_softmax(logits)
    kept = np.ones(labels.shape, bool) if ignore is None else labels != ignore
    ids = np.where(kept, labels, 0)
    nll = np.take_along_axis(neg_log_q, ids[..., None], axis=-1)[..., 0]
    loss = np.where(kept, (1 - eps) * w[ids] * nll + eps / n_classes * (neg_log_q * w).sum(axis=-1), 0.0)
    return loss, w[ids][kept].sum()


# --- weighted_mean ----------------------------------------------------------------------------


def test_weighted_mean_is_sum_of_weighted_losses_over_sum_of_weights():
    rng = np.random.default_rng(0)
    losses, weights = rng.random(50) * 5, rng.random(50)
    expected = np.sum(weights * losses) / weights.sum()
    assert float(ct.weighted_mean(losses, weights)) == pytest.approx(expected, rel=1e-14)
    assert float(ct.weighted_mean(losses, np.ones(50))) == pytest.approx(losses.mean(), rel=1e-14)


def test_weighted_mean_ignores_an_infinite_loss_of_weight_zero():
    assert float(ct.weighted_mean([1.0, np.inf, 3.0], [1.0, 0.0, 1.0])) == 2.0
    assert float(ct.weighted_mean([1.0, np.inf], [1.0, 1.0])) == np.inf


def test_weighted_mean_keeps_float32():
    out = ct.weighted_mean(np.array([1.0, 2.0], np.float32), np.array([1.0, 3.0], np.float32))
    assert out.dtype == np.float32 and float(out) == 1.75


@pytest.mark.parametrize(
    ("losses", "weights", "error", "match"),
    [
        ([1.0, 2.0], [1.0], ValueError, "same shape"),
        ([1.0, 2.0], [1.0, -1.0], ValueError, "weights must be ≥ 0, got -1.0 at index 1"),
        ([1.0, 2.0], [1.0, np.nan], ValueError, "weights contains NaN"),
        ([1.0, 2.0], [1.0, np.inf], ValueError, "only finite values"),
        ([1.0, 2.0], [0.0, 0.0], ValueError, "weights sum to 0"),
        ([1.0, np.nan], [1.0, 1.0], ValueError, "losses contains NaN"),
        (["a", "b"], [1.0, 1.0], TypeError, "losses must be real numbers"),
    ],
)
def test_weighted_mean_rejects_bad_input(losses, weights, error, match):
    with pytest.raises(error, match=match):
        ct.weighted_mean(losses, weights)


# --- balanced_class_weights, pos_weight_from_labels ----------------------------------------------


def test_balanced_class_weights_give_every_class_the_same_total():
    rng = np.random.default_rng(3)
    labels = rng.choice(4, size=(20, 15), p=[0.7, 0.2, 0.07, 0.03])
    w = ct.balanced_class_weights(labels, 4)
    totals = np.array([w[c] * np.sum(labels == c) for c in range(4)])
    np.testing.assert_allclose(totals, np.full(4, labels.size / 4), rtol=1e-14)
    np.testing.assert_allclose(w[labels].sum(), labels.size, rtol=1e-13)


@pytest.mark.parametrize(
    ("labels", "num_classes", "error", "match"),
    [
        ([0, 0, 2], 3, ValueError, "class 1 has no examples"),
        ([0, 3], 3, ValueError, "contains 3 at index 1, outside the valid range"),
        ([0.0, 1.0], 2, TypeError, "integer class indices"),
        ([0, 1], 0, ValueError, "num_classes must be an integer ≥ 1"),
        ([0, 1], True, TypeError, "num_classes must be an integer ≥ 1"),
    ],
)
def test_balanced_class_weights_rejects_bad_input(labels, num_classes, error, match):
    with pytest.raises(error, match=match):
        ct.balanced_class_weights(labels, num_classes)


def test_pos_weight_is_negatives_over_positives_per_column():
    rng = np.random.default_rng(4)
    z = (rng.random((400, 3)) < [0.5, 0.1, 0.02]).astype(float)
    q = ct.pos_weight_from_labels(z)
    np.testing.assert_allclose(q, (z == 0).sum(axis=0) / z.sum(axis=0), rtol=1e-15)
    assert float(ct.pos_weight_from_labels([1.0, 0.0, 0.0, 0.0])) == 3.0  # one column: a scalar
    np.testing.assert_allclose(ct.pos_weight_from_labels([[0.9, 0.5], [0.1, 0.5]]), [1.0, 1.0])  # soft labels


def test_pos_weight_balances_the_push_of_positives_and_negatives_at_zero_logits():
    rng = np.random.default_rng(5)
    z = (rng.random((300, 4)) < [0.6, 0.3, 0.05, 0.01]).astype(float)
    q = ct.pos_weight_from_labels(z)
    grad = (q * z + 1 - z) * ct.sigmoid(np.zeros_like(z)) - q * z  # ∂L_q/∂x at x = 0
    np.testing.assert_allclose(np.abs(grad * z).sum(axis=0), np.abs(grad * (1 - z)).sum(axis=0), rtol=1e-13)


@pytest.mark.parametrize(
    ("labels", "error", "match"),
    [
        ([[1.0, 0.0], [1.0, 0.0]], ValueError, "column 1 of labels has no positive"),
        ([[1.0, 2.0]], ValueError, r"labels must lie in \[0, 1\]"),
        (np.zeros((2, 2, 2)), ValueError, r"shape \(N,\) or \(N, C\)"),
        (np.zeros((0, 2)), ValueError, r"shape \(N,\) or \(N, C\)"),
    ],
)
def test_pos_weight_rejects_bad_input(labels, error, match):
    with pytest.raises(error, match=match):
        ct.pos_weight_from_labels(labels)


# --- class_weighted_sparse_cross_entropy ----------------------------------------------------------


def test_without_options_it_is_the_mean_sparse_loss():
    rng = np.random.default_rng(0)
    x, y = rng.normal(0, 3, (40, 7)), rng.integers(0, 7, 40)
    expected = ct.sparse_softmax_cross_entropy_with_logits(y, x)
    assert float(ct.class_weighted_sparse_cross_entropy(y, x)) == pytest.approx(expected.mean(), rel=1e-14)
    np.testing.assert_array_equal(ct.class_weighted_sparse_cross_entropy(y, x, reduction="none"), expected)
    total = ct.class_weighted_sparse_cross_entropy(y, x, reduction="sum")
    assert float(total) == pytest.approx(expected.sum(), rel=1e-14)


@pytest.mark.parametrize("seed", RNG_SEEDS)
@pytest.mark.parametrize("eps", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("ignore", [None, -100, 2])
def test_matches_the_formula_written_out(seed, eps, ignore):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 3, (3, 8, 5))  # any batch shape, classes last
    y = rng.integers(0, 5, (3, 8))
    if ignore == -100:
        y[rng.random((3, 8)) < 0.3] = -100
    w = rng.random(5) * 3
    loss, denominator = by_hand(y, x, w, ignore, eps)
    kwargs = dict(class_weight=w, ignore_index=ignore, label_smoothing=eps)
    per_example = ct.class_weighted_sparse_cross_entropy(y, x, reduction="none", **kwargs)
    np.testing.assert_allclose(per_example, loss, rtol=1e-14)
    assert float(ct.class_weighted_sparse_cross_entropy(y, x, reduction="sum", **kwargs)) == pytest.approx(
        loss.sum(), rel=1e-14
    )
    assert float(ct.class_weighted_sparse_cross_entropy(y, x, **kwargs)) == pytest.approx(
        loss.sum() / denominator, rel=1e-14
    )


def test_an_ignore_index_inside_the_classes_ignores_that_class():
    x = np.array([[2.0, 0.0, 0.0], [0.0, 3.0, 0.0], [1.0, 1.0, 0.0]])
    y = np.array([0, 1, 0])
    loss = ct.class_weighted_sparse_cross_entropy(y, x, ignore_index=0, reduction="none")
    assert loss[0] == 0.0 and loss[2] == 0.0 and loss[1] > 0
    assert float(ct.class_weighted_sparse_cross_entropy(y, x, ignore_index=0)) == loss[1]


def test_everything_ignored_raises_for_the_mean_and_sums_to_zero():
    x, y = np.zeros((4, 3)), np.full(4, -100)
    with pytest.raises(ValueError, match=r"every label is ignore_index\); PyTorch returns nan"):
        ct.class_weighted_sparse_cross_entropy(y, x, ignore_index=-100)
    assert float(ct.class_weighted_sparse_cross_entropy(y, x, ignore_index=-100, reduction="sum")) == 0.0
    np.testing.assert_array_equal(
        ct.class_weighted_sparse_cross_entropy(y, x, ignore_index=-100, reduction="none"), np.zeros(4)
    )
    with pytest.raises(ValueError, match="every label that is not ignored has weight 0"):
        ct.class_weighted_sparse_cross_entropy([0, 0], np.zeros((2, 3)), class_weight=[0.0, 1.0, 1.0])


def test_minus_infinity_logits_count_only_where_they_are_weighted():
    x = np.array([[0.0, -np.inf, 1.0]])
    weight_zero = ct.class_weighted_sparse_cross_entropy([0], x, class_weight=[1.0, 0.0, 1.0], label_smoothing=0.1)
    assert np.isfinite(weight_zero)
    assert ct.class_weighted_sparse_cross_entropy([0], x, label_smoothing=0.1) == np.inf  # class 1 is weighted 1
    assert np.isfinite(ct.class_weighted_sparse_cross_entropy([0], x))  # no smoothing: only the label's term


def test_float32_logits_give_float32():
    x = np.random.default_rng(1).normal(size=(5, 4)).astype(np.float32)
    out = ct.class_weighted_sparse_cross_entropy(np.arange(5) % 4, x, label_smoothing=0.1)
    assert out.dtype == np.float32


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(labels=[0.0, 1.0]), TypeError, "labels must be integer class indices"),
        (dict(labels=[0, 5]), ValueError, r"contains 5 at index 1, outside the valid range \[0, 3\)"),
        (dict(labels=[0, -100]), ValueError, "contains -100 at index 1"),  # not ignored unless asked
        (dict(class_weight=[1.0, 2.0]), ValueError, r"class_weight must have shape \(C,\) = \(3,\)"),
        (dict(class_weight=[1.0, -2.0, 1.0]), ValueError, "class_weight must be ≥ 0"),
        (dict(class_weight=[1.0, np.nan, 1.0]), ValueError, "class_weight contains NaN"),
        (dict(reduction="batchmean"), ValueError, "reduction must be one of"),
        (dict(label_smoothing=1.5), ValueError, r"label_smoothing must be in \[0, 1\]"),
        (dict(label_smoothing=True), TypeError, "label_smoothing must be a number"),
        (dict(ignore_index=-100.0), TypeError, "ignore_index must be None or an integer"),
        (dict(ignore_index=True), TypeError, "ignore_index must be None or an integer"),
        (dict(logits=np.zeros(3)), ValueError, r"labels must have shape logits.shape\[:-1\]"),
        (dict(logits=[[0.0, np.nan, 0.0], [0.0, 0.0, 0.0]]), ValueError, "logits contains NaN"),
    ],
)
def test_class_weighted_rejects_bad_input(kwargs, error, match):
    args = dict(labels=[0, 1], logits=np.zeros((2, 3)))
    args.update(kwargs)
    with pytest.raises(error, match=match):
        ct.class_weighted_sparse_cross_entropy(**args)


# --- PyTorch as the oracle -----------------------------------------------------------------------


def _torch():
    return pytest.importorskip(
        "torch", reason="PyTorch is the reference for CrossEntropyLoss semantics: install torch==2.13.0"
    )


@pytest.mark.parametrize("seed", RNG_SEEDS)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("eps", [0.0, 0.25])
def test_matches_torch_cross_entropy_loss(seed, reduction, weighted, eps):
    torch = _torch()
    rng = np.random.default_rng(seed)
    x = np.clip(rng.normal(0, 5, (4, 9, 6)), -20, 20)  # (N, T, C): torch wants the classes at dim 1
    y = rng.integers(0, 6, (4, 9))
    y[rng.random((4, 9)) < 0.25] = -100
    w = rng.random(6) * 2 + 0.1 if weighted else None
    ours = ct.class_weighted_sparse_cross_entropy(
        y, x, class_weight=w, ignore_index=-100, label_smoothing=eps, reduction=reduction
    )
    loss = torch.nn.CrossEntropyLoss(
        weight=None if w is None else torch.from_numpy(w), ignore_index=-100, reduction=reduction, label_smoothing=eps
    )
    theirs = loss(torch.from_numpy(x).permute(0, 2, 1), torch.from_numpy(y)).numpy()
    scale = 8 * np.finfo(float).eps * 20  # torch's log_softmax is x − m − log Σ: absolute error of a few ε·|x|
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=scale * (1 if reduction != "sum" else y.size))


def test_weighted_mean_matches_torch_class_weights():
    torch = _torch()
    rng = np.random.default_rng(9)
    x, y, w = rng.normal(0, 2, (30, 4)), rng.integers(0, 4, 30), rng.random(4) + 0.5
    theirs = torch.nn.CrossEntropyLoss(weight=torch.from_numpy(w))(torch.from_numpy(x), torch.from_numpy(y)).item()
    ours = ct.weighted_mean(ct.sparse_softmax_cross_entropy_with_logits(y, x), w[y])
    assert float(ours) == pytest.approx(theirs, rel=1e-13)

"""Parity with PyTorch: every loss, activation and gradient of ce_teach against torch, in float64, on seeded inputs.

PyTorch is the oracle here, but an inexact one, so the inputs stay where torch itself is accurate
(research/numerics.md §3): logits drawn from N(0, 5²) and clipped to |x| ≤ 20. Inside that range torch
still computes some quantities as a difference of terms of size |x| (BCE as (1 − z)·x − log σ(x),
log-softmax as (x − m) − log Σ e^{x − m}), which leaves it an *absolute* error of a few ε·|x| when the
result is small (a confident correct prediction, a negative with z ≈ 0). So every comparison is

    |ours − torch| ≤ rtol·|torch| + 8·ε·scale,   rtol = 1e-12 (float64), 1e-6 (float32),

where ``scale`` is the size of the terms torch adds up (|x| elementwise, the largest |x| of the row for
the softmax family, 1 for probabilities and gradients). For results that are not small the relative
term decides, and it is 1e-12.
"""

import numpy as np
import pytest

import ce_teach as ct

torch = pytest.importorskip(
    "torch", reason="PyTorch is the reference implementation here: install torch==2.13.0 for the parity tests"
)
F = torch.nn.functional

SEEDS = [0, 1, 2]
RTOL = {np.float64: 1e-12, np.float32: 1e-6}


def assert_matches(ours, theirs, *, scale=1.0, rtol=None):
    """|ours − torch| ≤ rtol·|torch| + 8·ε·scale elementwise, and ours keeps torch's dtype and shape."""
    ours = np.asarray(ours)
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    eps = np.finfo(ours.dtype).eps
    rtol = RTOL[ours.dtype.type] if rtol is None else rtol
    allowed = rtol * np.abs(theirs) + 8 * eps * np.asarray(scale, dtype=np.float64)
    excess = np.abs(ours.astype(np.float64) - theirs.astype(np.float64)) - allowed
    worst = np.unravel_index(np.argmax(excess), excess.shape) if excess.ndim else ()
    assert np.all(excess <= 0), f"ours {ours[worst]!r} vs torch {theirs[worst]!r} at {worst}"


def tt(a, requires_grad=False):
    """A torch tensor sharing memory with the NumPy array (float64 stays float64)."""
    tensor = torch.from_numpy(np.ascontiguousarray(a))
    return tensor.requires_grad_() if requires_grad else tensor


def logits(rng, shape, dtype=np.float64):
    """N(0, 5²) clipped to [−20, 20]: the range where torch is accurate (see the module docstring)."""
    return np.clip(rng.normal(0.0, 5.0, size=shape), -20.0, 20.0).astype(dtype)


def distributions(rng, shape):
    """Rows that are probability distributions along the last axis (soft labels, smoothed targets)."""
    return rng.dirichlet(np.full(shape[-1], 0.5), size=shape[:-1])


def row_scale(x, axis=-1):
    """The largest |x| of each row, the size of the terms a softmax-family result is built from."""
    return np.maximum(1.0, np.abs(x).max(axis=axis))


# --- sigmoid family ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("labels", ["hard", "soft"])
def test_sigmoid_cross_entropy_with_logits(seed, labels):
    rng = np.random.default_rng(seed)
    x = logits(rng, (64, 5))
    z = rng.integers(0, 2, size=x.shape).astype(np.float64) if labels == "hard" else rng.random(x.shape)
    theirs = F.binary_cross_entropy_with_logits(tt(x), tt(z), reduction="none")
    assert_matches(ct.sigmoid_cross_entropy_with_logits(z, x), theirs, scale=np.abs(x))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("pos_weight", ["scalar", "per class"])
def test_weighted_cross_entropy_with_logits(seed, pos_weight):
    rng = np.random.default_rng(seed)
    x = logits(rng, (64, 5))
    z = rng.random(x.shape)
    q = np.float64(3.0) if pos_weight == "scalar" else rng.uniform(0.2, 10.0, size=5)
    theirs = F.binary_cross_entropy_with_logits(tt(x), tt(z), pos_weight=tt(np.asarray(q)), reduction="none")
    assert_matches(ct.weighted_cross_entropy_with_logits(z, x, pos_weight=q), theirs, scale=np.max(q) * np.abs(x))


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_log_sigmoid(seed):
    x = logits(np.random.default_rng(seed), 1000)
    assert_matches(ct.sigmoid(x), torch.sigmoid(tt(x)))
    assert_matches(ct.log_sigmoid(x), F.logsigmoid(tt(x)), scale=np.abs(x))


@pytest.mark.parametrize("seed", SEEDS)
def test_softplus_below_torch_threshold(seed):
    # F.softplus(x, threshold=20) returns x itself for x > 20, so the exact comparison stops at |x| < 20 ...
    x = logits(np.random.default_rng(seed), 1000)
    x = x[np.abs(x) < 20]
    assert_matches(ct.softplus(x), F.softplus(tt(x)), scale=np.abs(x))


def test_softplus_above_torch_threshold():
    # ... above it torch's answer is off by log1p(e^{-x}) ≈ e^{-x} (6e-11 relative at x = 20.5), ours is not;
    # with the threshold moved out of the way torch agrees with us again.
    x = np.array([20.5, 25.0, 30.0, 40.0])
    ours = ct.softplus(x)
    np.testing.assert_array_equal(F.softplus(tt(x)).numpy(), x)  # torch: softplus(x) := x above the threshold
    assert ours[0] - x[0] == pytest.approx(np.exp(-20.5), rel=1e-6)  # the 1.25e-9 torch drops at x = 20.5
    np.testing.assert_allclose(ours, x + np.exp(-x), rtol=1e-15)
    assert_matches(ours, F.softplus(tt(x), threshold=1000.0), scale=x)


# --- softmax family ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_log_softmax_logsumexp(seed):
    x = logits(np.random.default_rng(seed), (32, 10))
    assert_matches(ct.softmax(x), torch.softmax(tt(x), dim=-1))
    assert_matches(ct.log_softmax(x), F.log_softmax(tt(x), dim=-1), scale=row_scale(x)[:, None])
    assert_matches(ct.logsumexp(x), torch.logsumexp(tt(x), dim=-1), scale=row_scale(x))


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_family_on_another_axis(seed):
    x = logits(np.random.default_rng(seed), (4, 7, 3))
    assert_matches(ct.softmax(x, axis=1), torch.softmax(tt(x), dim=1))
    assert_matches(ct.log_softmax(x, axis=1), F.log_softmax(tt(x), dim=1), scale=row_scale(x, axis=1)[:, None])
    assert_matches(ct.logsumexp(x, axis=1), torch.logsumexp(tt(x), dim=1), scale=row_scale(x, axis=1))


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_cross_entropy_with_probability_targets(seed):
    rng = np.random.default_rng(seed)
    x = logits(rng, (32, 10))
    y = distributions(rng, x.shape)
    theirs = F.cross_entropy(tt(x), tt(y), reduction="none")
    assert_matches(ct.softmax_cross_entropy_with_logits(y, x), theirs, scale=row_scale(x))


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_cross_entropy_axis_1_is_torch_class_dim(seed):
    # torch's class dimension is always 1: input (N, C, d), target (N, C, d), loss (N, d).
    rng = np.random.default_rng(seed)
    x = logits(rng, (4, 6, 5))
    y = np.moveaxis(distributions(rng, (4, 5, 6)), -1, 1)
    theirs = F.cross_entropy(tt(x), tt(y), reduction="none")
    assert_matches(ct.softmax_cross_entropy_with_logits(y, x, axis=1), theirs, scale=row_scale(x, axis=1))


@pytest.mark.parametrize("seed", SEEDS)
def test_sparse_softmax_cross_entropy(seed):
    rng = np.random.default_rng(seed)
    x = logits(rng, (64, 10))
    labels = rng.integers(0, 10, size=64)
    theirs = F.cross_entropy(tt(x), tt(labels), reduction="none")
    assert_matches(ct.sparse_softmax_cross_entropy_with_logits(labels, x), theirs, scale=row_scale(x))


@pytest.mark.parametrize("seed", SEEDS)
def test_sparse_softmax_cross_entropy_extra_batch_dims(seed):
    # ours: logits (N, d1, d2, C) and labels (N, d1, d2); torch wants the classes at dim 1: (N, C, d1, d2).
    rng = np.random.default_rng(seed)
    x = logits(rng, (3, 4, 5, 8))
    labels = rng.integers(0, 8, size=(3, 4, 5))
    theirs = F.cross_entropy(tt(np.moveaxis(x, -1, 1)), tt(labels), reduction="none")
    assert_matches(ct.sparse_softmax_cross_entropy_with_logits(labels, x), theirs, scale=row_scale(x))


# --- gradients --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_cross_entropy_grad_is_autograd(seed):
    rng = np.random.default_rng(seed)
    x, z = logits(rng, (32, 5)), rng.random((32, 5))
    tx = tt(x, requires_grad=True)
    F.binary_cross_entropy_with_logits(tx, tt(z), reduction="sum").backward()
    assert_matches(ct.sigmoid_cross_entropy_grad(z, x), tx.grad)


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_cross_entropy_grad_is_autograd(seed):
    rng = np.random.default_rng(seed)
    x = logits(rng, (32, 10))
    y = distributions(rng, x.shape)
    tx = tt(x, requires_grad=True)
    F.cross_entropy(tx, tt(y), reduction="sum").backward()
    assert_matches(ct.softmax_cross_entropy_grad(y, x), tx.grad)


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_jacobian_is_autograd(seed):
    x = logits(np.random.default_rng(seed), 6)
    theirs = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, dim=-1), tt(x))
    assert_matches(ct.softmax_jacobian(x), theirs)
    # and one Jacobian per row of a batch: torch's batch Jacobian is block diagonal, we return the blocks
    batch = logits(np.random.default_rng(seed + 100), (3, 4))
    full = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, dim=-1), tt(batch))
    assert_matches(ct.softmax_jacobian(batch), torch.stack([full[i, :, i, :] for i in range(3)]))


# --- Keras-style functions, where torch has the same loss --------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_keras_binary_crossentropy_from_logits_is_mean_of_bce(seed):
    rng = np.random.default_rng(seed)
    x, z = logits(rng, (16, 7)), rng.random((16, 7))
    theirs = F.binary_cross_entropy_with_logits(tt(x), tt(z), reduction="none").mean(dim=-1)
    assert_matches(ct.binary_crossentropy(z, x, from_logits=True), theirs, scale=np.abs(x).mean(axis=-1))


@pytest.mark.parametrize("seed", SEEDS)
def test_keras_categorical_crossentropy_label_smoothing(seed):
    rng = np.random.default_rng(seed)
    x = logits(rng, (16, 10))
    labels = rng.integers(0, 10, size=16)
    ours = ct.categorical_crossentropy(np.eye(10)[labels], x, from_logits=True, label_smoothing=0.1)
    with_indices = F.cross_entropy(tt(x), tt(labels), label_smoothing=0.1, reduction="none")
    with_one_hot = F.cross_entropy(tt(x), tt(np.eye(10)[labels]), label_smoothing=0.1, reduction="none")
    assert_matches(ours, with_indices, scale=row_scale(x))
    assert_matches(ours, with_one_hot, scale=row_scale(x))


@pytest.mark.parametrize("seed", SEEDS)
def test_keras_sparse_categorical_crossentropy_from_logits(seed):
    rng = np.random.default_rng(seed)
    x = logits(rng, (16, 10))
    labels = rng.integers(0, 10, size=16)
    theirs = F.cross_entropy(tt(x), tt(labels), reduction="none")
    assert_matches(ct.sparse_categorical_crossentropy(labels, x, from_logits=True), theirs, scale=row_scale(x))


# --- information theory: torch's kl_div has the arguments the other way round -------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_kl_divergence_is_kl_div_with_reversed_arguments(seed):
    rng = np.random.default_rng(seed)
    p, q = distributions(rng, (16, 6)), distributions(rng, (16, 6))
    p[0, 0], p[0] = 0.0, p[0] / p[0].sum()  # a zero in p: 0·log 0 = 0 on both sides
    ours = ct.kl_divergence(p, q)
    # D_KL(p‖q) = kl_div(input=log q, target=p): the model's log-probabilities first, the target second.
    assert_matches(ours, F.kl_div(tt(np.log(q)), tt(p), reduction="none").sum(dim=-1))
    # Passing them in maths order computes D_KL(q‖p) instead: a different number.
    swapped = F.kl_div(tt(np.log(p[1:])), tt(q[1:]), reduction="none").sum(dim=-1).numpy()
    assert not np.allclose(ours[1:], swapped, rtol=1e-3)
    np.testing.assert_allclose(swapped, ct.kl_divergence(q[1:], p[1:]), rtol=1e-12)


def test_cross_entropy_of_probabilities_is_torch_cross_entropy_of_their_logs():
    rng = np.random.default_rng(0)
    p, q = distributions(rng, (16, 6)), distributions(rng, (16, 6))
    # log q are logits whose softmax is q, so torch's logits-based loss gives H(p, q)
    theirs = F.cross_entropy(tt(np.log(q)), tt(p), reduction="none")
    assert_matches(ct.cross_entropy(p, q), theirs, scale=row_scale(np.log(q)))


# --- float32: dtype kept, and within float32 rounding of torch's float32 ----------------------


def _float32_cases(rng):
    x = logits(rng, (32, 10), np.float32)
    z = rng.random(x.shape).astype(np.float32)
    labels = rng.integers(0, 10, size=32)
    y = distributions(rng, x.shape).astype(np.float32)
    q = np.float32(3.0)
    s = row_scale(x)
    return {
        "sigmoid_cross_entropy_with_logits": (
            ct.sigmoid_cross_entropy_with_logits(z, x),
            F.binary_cross_entropy_with_logits(tt(x), tt(z), reduction="none"),
            np.abs(x),
        ),
        "weighted_cross_entropy_with_logits": (
            ct.weighted_cross_entropy_with_logits(z, x, pos_weight=q),
            F.binary_cross_entropy_with_logits(tt(x), tt(z), pos_weight=torch.tensor(q), reduction="none"),
            3 * np.abs(x),
        ),
        "softmax_cross_entropy_with_logits": (
            ct.softmax_cross_entropy_with_logits(y, x),
            F.cross_entropy(tt(x), tt(y), reduction="none"),
            s,
        ),
        "sparse_softmax_cross_entropy_with_logits": (
            ct.sparse_softmax_cross_entropy_with_logits(labels, x),
            F.cross_entropy(tt(x), tt(labels), reduction="none"),
            s,
        ),
        "log_softmax": (ct.log_softmax(x), F.log_softmax(tt(x), dim=-1), s[:, None]),
        "softmax": (ct.softmax(x), torch.softmax(tt(x), dim=-1), 1.0),
        "logsumexp": (ct.logsumexp(x), torch.logsumexp(tt(x), dim=-1), s),
        "sigmoid": (ct.sigmoid(x), torch.sigmoid(tt(x)), 1.0),
        "log_sigmoid": (ct.log_sigmoid(x), F.logsigmoid(tt(x)), np.abs(x)),
        "softplus": (ct.softplus(x), F.softplus(tt(x)), np.abs(x)),  # |x| ≤ 20: torch's threshold is not hit
    }


FLOAT32_NAMES = [
    "sigmoid_cross_entropy_with_logits",
    "weighted_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits",
    "sparse_softmax_cross_entropy_with_logits",
    "log_softmax",
    "softmax",
    "logsumexp",
    "sigmoid",
    "log_sigmoid",
    "softplus",
]


def test_float32_cases_cover_the_list():
    assert sorted(_float32_cases(np.random.default_rng(0))) == sorted(FLOAT32_NAMES)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", FLOAT32_NAMES)
def test_float32_in_float32_out(name, seed):
    ours, theirs, scale = _float32_cases(np.random.default_rng(seed))[name]
    assert ours.dtype == np.float32
    assert_matches(ours, theirs, scale=scale)

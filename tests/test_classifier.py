"""ce_teach.classifier: the hand-written gradients against finite differences, determinism, and the
behaviour notebook 09 relies on (initial loss ≈ ln 10, the chunked products equal the plain ones)."""

from __future__ import annotations

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import classifier as cl


def small_problem(seed=0, n=12, d=5, c=4):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1, (n, d)), rng.integers(0, c, n)


@pytest.mark.parametrize("hidden", [0, 6])
@pytest.mark.parametrize(("eps", "gamma"), [(0.0, 0.0), (0.1, 0.0), (0.0, 2.0), (0.0, 0.5)])
def test_gradients_match_finite_differences(hidden, eps, gamma):
    x, y = small_problem()
    net = cl.init_network(5, 4, hidden=hidden, output_scale=1.0, seed=1)
    _, grads = cl.loss_and_gradients(net, x, y, label_smoothing=eps, gamma=gamma)
    for i, (w, b) in enumerate(net.layers):
        for j, param in enumerate((w, b)):

            def loss_of(value, i=i, j=j):
                layers = [list(layer) for layer in net.layers]
                layers[i][j] = value
                return cl.loss_and_gradients(
                    cl.Network(tuple(map(tuple, layers))), x, y, label_smoothing=eps, gamma=gamma
                )[0]

            np.testing.assert_allclose(grads[i][j], ct.numerical_gradient(loss_of, param), atol=1e-8)


def test_the_training_loop_uses_the_same_gradient():
    """_logit_gradient (the loop's unchecked copy) equals loss_and_gradients' ∂L/∂x, for CE, smoothing and focal."""
    x, y = small_problem(2)
    logits = np.random.default_rng(0).normal(0, 4, (12, 4))
    for eps, gamma in ((0.0, 0.0), (0.2, 0.0), (0.0, 3.0)):
        target = ct.smooth_labels(y, 4, label_smoothing=eps)
        if gamma:
            expected = ct.sparse_softmax_focal_loss_grad(y, logits, gamma=gamma) / 12
        else:
            expected = (ct.softmax(logits) - target) / 12
        np.testing.assert_allclose(cl._logit_gradient(logits, y, target, gamma), expected, rtol=1e-12, atol=1e-17)


def test_chunked_products_equal_plain_ones():
    rng = np.random.default_rng(0)
    for shape_a, shape_b in (((1200, 64), (64, 64)), ((64, 900), (900, 40)), ((3, 4), (4, 5))):
        a, b = rng.normal(size=shape_a), rng.normal(size=shape_b)
        np.testing.assert_allclose(cl._dot(a, b), a @ b, rtol=1e-12, atol=1e-12)


def test_training_is_deterministic_and_does_not_touch_its_input():
    first, second = cl.digits_run(steps=20, every=10), cl.digits_run(steps=20, every=10)
    for (w1, b1), (w2, b2) in zip(first.net.layers, second.net.layers, strict=True):
        assert np.array_equal(w1, w2) and np.array_equal(b1, b2)
    assert first.history.val_loss == second.history.val_loss
    net = cl.init_network(64, 10, hidden=8, seed=3)
    before = [w.copy() for layer in net.layers for w in layer]
    x, y = first.train
    cl.train(net, x, y, x, y, steps=3)
    assert all(np.array_equal(a, b) for a, b in zip(before, [w for layer in net.layers for w in layer], strict=True))


def test_initial_loss_is_ln_10():
    zero = cl.digits_run(hidden=0, steps=0, output_scale=0.0)
    assert zero.history.train_loss[0] == pytest.approx(np.log(10), rel=1e-15)
    small = cl.digits_run(hidden=64, steps=0)
    assert abs(small.history.val_loss[0] - np.log(10)) < 0.01
    big = cl.digits_run(hidden=0, steps=0, output_scale=30.0)
    assert big.history.train_loss[0] > 10 * np.log(10)


def test_training_learns_and_then_overfits():
    run = cl.digits_run(hidden=64)
    h = run.history.arrays()
    best = int(np.argmin(h["val_loss"]))
    assert h["train_accuracy"][-1] == 1.0
    assert h["val_loss"][-1] > h["val_loss"][best] + 0.01  # the validation loss rises ...
    assert h["val_accuracy"][-1] >= h["val_accuracy"][best]  # ... while the accuracy holds


def test_train_binary_matches_its_losses():
    """At the returned weights the gradient of the chosen loss is small: it was minimised."""
    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, (200, 3))
    z = (x[:, 0] + 0.5 * rng.normal(size=200) > 1.0).astype(float)
    xb = np.hstack([x, np.ones((200, 1))])
    for kwargs in ({}, {"pos_weight": 4.0}, {"gamma": 2.0, "alpha": 0.25}):
        wb = cl.train_binary(x, z, steps=3000, learning_rate=0.5, **kwargs)
        if "gamma" in kwargs:
            dx = ct.sigmoid_focal_loss_grad(z, xb @ wb, **kwargs)
        else:
            q = kwargs.get("pos_weight", 1.0)
            dx = ct.numerical_gradient(lambda t, q=q: ct.weighted_cross_entropy_with_logits(z, t, q).sum(), xb @ wb)
        assert np.abs(xb.T @ dx / 200).max() < 1e-6, kwargs


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: cl.init_network(64, 1), "n_classes must be ≥ 2"),
        (lambda: cl.init_network(64, 10, hidden=-1), "hidden must be ≥ 0"),
        (lambda: cl.init_network(64, 10, output_scale=-1.0), "output_scale must be in"),
        (lambda: cl.forward(cl.init_network(3, 2), [[1.0, 2.0]]), r"features must have shape \(N, 3\)"),
        (lambda: cl.loss_and_gradients(cl.init_network(2, 2), [[1.0, 2.0]], [2]), "outside the valid range"),
        (
            lambda: cl.loss_and_gradients(cl.init_network(2, 2), [[1.0, 2.0]], [1], label_smoothing=0.1, gamma=1.0),
            "not both",
        ),
        (
            lambda: cl.train(cl.init_network(2, 2), [[1.0, 2.0]], [1], [[1.0, 2.0]], [1], learning_rate=0.0),
            "learning_rate must be in",
        ),
        (lambda: cl.train_binary([[1.0]], [2.0]), "labels must be 0/1"),
    ],
)
def test_bad_input_is_named(call, words):
    with pytest.raises((ValueError, TypeError), match=words):
        call()

"""Softmax regression and a one-hidden-layer network in NumPy, trained by full-batch gradient descent.

The smallest honest end-to-end classifier (notebooks 09 and 10): logits x = h·W + b, the loss is the mean
softmax cross-entropy (optionally against smoothed labels, or the focal loss), and the gradient is written
by hand: ∂L/∂x = (S(x) − y)/N for the batch mean, then the chain rule through the layers. With a hidden
layer, h = tanh(X·W₁ + b₁) (smooth, so finite differences check the gradient cleanly everywhere).

Everything is seeded: ``init_network(seed=...)`` draws from ``np.random.default_rng(seed)`` and training
uses no randomness, so the same call gives the same numbers on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _validate as v
from .activations import sigmoid
from .calibration import smooth_labels
from .datasets import digits_split, load_digits
from .focal import (
    _check_alpha,
    _check_gamma,
    sigmoid_focal_loss_grad,
    sparse_softmax_focal_loss,
    sparse_softmax_focal_loss_grad,
)
from .losses import softmax_cross_entropy_with_logits, sparse_softmax_cross_entropy_with_logits

__all__ = [
    "Network",
    "History",
    "init_network",
    "forward",
    "loss_and_gradients",
    "train",
    "accuracy",
    "DigitsRun",
    "digits_run",
    "train_binary",
]


@dataclass(frozen=True)
class Network:
    """Weights: ``layers`` is ((W₁, b₁),) for softmax regression or ((W₁, b₁), (W₂, b₂)) with a tanh between."""

    layers: tuple

    @property
    def hidden(self) -> int:
        """Width of the hidden layer (0 for softmax regression)."""
        return self.layers[0][0].shape[1] if len(self.layers) == 2 else 0

    def logits(self, features) -> np.ndarray:
        """The logits (N, C) for features (N, D)."""
        return forward(self, features)[0]


@dataclass
class History:
    """What training recorded every ``every`` steps: step numbers, and plain NLL (mean cross-entropy, nats)
    and accuracy on the training and the validation set. ``objective`` is the loss actually minimised."""

    step: list = field(default_factory=list)
    objective: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)

    def arrays(self) -> dict:
        return {name: np.asarray(values) for name, values in vars(self).items()}


MAX_STEPS = 100_000  # training steps run one at a time in Python (about a millisecond each on the digits)


def _steps(steps) -> int:
    return v.whole_number(steps, "steps", minimum=0, maximum=MAX_STEPS, why=" (the steps run one at a time)")


def _number(value, name: str, lo: float, hi: float = np.inf, *, open_low: bool = False) -> float:
    value = v.real_number(value, name)
    ok = (lo < value if open_low else lo <= value) and value <= hi and np.isfinite(value)
    if not ok:
        bracket = "(" if open_low else "["
        raise ValueError(f"{name} must be in {bracket}{lo}, {hi}], got {value!r}")
    return float(value)


def init_network(
    n_inputs: int, n_classes: int, *, hidden: int = 0, output_scale: float = 0.01, seed: int = 0
) -> Network:
    """Random initial weights: N(0, 1/fan_in) for the hidden layer, ``output_scale``·N(0, 1/fan_in) for the output.

    Formula: W₁ ~ N(0, 1/D), b₁ = 0; W_out ~ output_scale·N(0, 1/fan_in), b_out = 0. Small output weights give
    logits near 0, so every class starts near probability 1/C and the loss near ln C.

    Shapes: result layers (D, H), (H,), (H, C), (C,) with ``hidden`` = H > 0, else (D, C), (C,).

    Stability: seeded (``np.random.default_rng(seed)``), so the same call gives the same weights.

    >>> import ce_teach as ct
    >>> net = ct.classifier.init_network(64, 10, hidden=32, seed=0)
    >>> [w.shape for layer in net.layers for w in layer]
    [(64, 32), (32,), (32, 10), (10,)]
    """
    d, c = v.whole_number(n_inputs, "n_inputs", minimum=1), v.whole_number(n_classes, "n_classes", minimum=2)
    h = v.whole_number(hidden, "hidden", minimum=0)
    v.check_size(8.0 * ((d + 1) * h + ((h or d) + 1) * c), "n_inputs, hidden and n_classes", "the weights")
    scale = _number(output_scale, "output_scale", 0.0)
    rng = np.random.default_rng(v.whole_number(seed, "seed", minimum=0))
    if h == 0:
        return Network(((scale * rng.standard_normal((d, c)) / np.sqrt(d), np.zeros(c)),))
    w1 = rng.standard_normal((d, h)) / np.sqrt(d)
    w2 = scale * rng.standard_normal((h, c)) / np.sqrt(h)
    return Network(((w1, np.zeros(h)), (w2, np.zeros(c))))


_SMALL = 200_000  # OpenBLAS runs a product of m·n·k ≤ 262,144 multiply-adds on one core


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b in pieces small enough for one core (along the rows of a, or along k for a tall k).

    These products are tiny; splitting them keeps OpenBLAS from starting threads, which on a busy machine
    cost far more than the multiplication itself (10× here). The pieces are fixed by the shapes, so the
    result is the same on every run.
    """
    m, k = a.shape
    n = b.shape[1]
    if m * k * n <= _SMALL:
        return a @ b
    if m >= k:
        rows = max(1, _SMALL // (k * n))
        return np.concatenate([a[i : i + rows] @ b for i in range(0, m, rows)])
    depth = max(1, _SMALL // (m * n))
    out = a[:, :depth] @ b[:depth]
    for i in range(depth, k, depth):
        out += a[:, i : i + depth] @ b[i : i + depth]
    return out


def _features(features, n_inputs: int) -> np.ndarray:
    x = v.as_real_array(features, "features")
    if x.ndim != 2 or x.shape[1] != n_inputs:
        raise ValueError(f"features must have shape (N, {n_inputs}), got {x.shape}")
    v.check_finite(x, "features")
    return x.astype(np.float64, copy=False)


def forward(net: Network, features) -> tuple[np.ndarray, np.ndarray]:
    """(logits (N, C), hidden activations h (N, H), or the features themselves without a hidden layer).

    Formula: h = tanh(X·W₁ + b₁), logits = h·W₂ + b₂ (or logits = X·W₁ + b₁).

    Shapes: ``features`` (N, D) finite. Stability: tanh never overflows.

    >>> import ce_teach as ct
    >>> ct.classifier.forward(ct.classifier.init_network(3, 2, output_scale=0.0), [[1.0, 2.0, 3.0]])[0].tolist()
    [[0.0, 0.0]]
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a ce_teach.classifier.Network, got {type(net).__name__}")
    x = _features(features, net.layers[0][0].shape[0])
    if len(net.layers) == 1:
        w, b = net.layers[0]
        return _dot(x, w) + b, x
    (w1, b1), (w2, b2) = net.layers
    h = np.tanh(_dot(x, w1) + b1)
    return _dot(h, w2) + b2, h


def _labels(labels, n: int, n_classes: int) -> np.ndarray:
    y = v.as_real_array(labels, "labels")
    v.check_sparse_labels(y, (n, n_classes))
    return y


def loss_and_gradients(net: Network, features, labels, *, label_smoothing: float = 0.0, gamma: float = 0.0):
    """The mean training loss and its gradient with respect to every weight, by hand.

    Formula: L = (1/N)·Σ_n CE(y_n, S(x_n)), y_n one-hot or smoothed to (1 − ε)·y_n + ε/C; ∂L/∂x = (S(x) − y)/N.
    With ``gamma`` = γ > 0 the loss is the focal loss (1/N)·Σ_n −(1 − p_c)^γ·log p_c instead, and ∂L/∂x_n =
    w_n·(S(x_n) − y_n)/N. Then ∂L/∂W = hᵀ·∂L/∂x, ∂L/∂b = Σ_n ∂L/∂x_n, ∂L/∂h = ∂L/∂x·Wᵀ, and through tanh
    ∂L/∂(pre-activation) = ∂L/∂h·(1 − h²).

    Shapes: ``features`` (N, D), ``labels`` (N,) integers in [0, C). Result: (float, gradients with the
    structure of ``net.layers``).

    Stability: the loss is ``ct.softmax_cross_entropy_with_logits`` (or the focal loss), S(x) comes from the
    max-shifted softmax; ε and γ are not used together (ValueError).

    >>> import ce_teach as ct
    >>> net = ct.classifier.init_network(2, 3, output_scale=0.0)
    >>> loss, grads = ct.classifier.loss_and_gradients(net, [[1.0, 0.0]], [2])
    >>> round(loss, 12), grads[0][1].round(6).tolist()  # ln 3, and (S − y) = (1/3, 1/3, −2/3)
    (1.098612288668, [0.333333, 0.333333, -0.666667])
    """
    eps = v.check_smoothing(label_smoothing)
    g = _number(gamma, "gamma", 0.0)
    if eps > 0 and g > 0:
        raise ValueError("use label_smoothing or gamma (focal loss), not both at once")
    logits, h = forward(net, features)
    n, c = logits.shape
    y = _labels(labels, n, c)
    if g > 0:
        loss = float(np.mean(sparse_softmax_focal_loss(y, logits, gamma=g)))
        dx = sparse_softmax_focal_loss_grad(y, logits, gamma=g) / n
    else:
        target = smooth_labels(y, c, label_smoothing=eps)
        loss = float(np.mean(softmax_cross_entropy_with_logits(target, logits)))
        dx = (_softmax(logits) - target) / n
    return loss, _backward(net, features, h, dx)


def _softmax(logits: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _backward(net: Network, features, h: np.ndarray, dx: np.ndarray) -> tuple:
    x = np.asarray(features, dtype=np.float64)
    if len(net.layers) == 1:
        return ((_dot(x.T, dx), dx.sum(axis=0)),)
    (_, _), (w2, _) = net.layers
    dpre = _dot(dx, w2.T) * (1 - h**2)
    return ((_dot(x.T, dpre), dpre.sum(axis=0)), (_dot(h.T, dx), dx.sum(axis=0)))


def accuracy(net: Network, features, labels) -> float:
    """Fraction of examples whose largest logit is the label's.

    Formula: (1/N)·Σ_n [argmax_j x_nj = c_n], ties going to the first class (``np.argmax``).

    Shapes: ``features`` (N, D) finite, ``labels`` (N,) integers in [0, C). Result: a float in [0, 1].

    Stability: no probabilities are formed; the argmax of the logits is the argmax of the softmax.

    >>> import ce_teach as ct
    >>> ct.classifier.accuracy(ct.classifier.init_network(2, 2, output_scale=0.0), [[1.0, 0.0]], [0])
    1.0
    """
    logits = net.logits(features)
    return float(np.mean(np.argmax(logits, axis=1) == _labels(labels, *logits.shape)))


def _record(history: History, step: int, objective: float, net: Network, data: tuple) -> None:
    x, y, xv, yv = data
    for which, (feats, labs) in (("train", (x, y)), ("val", (xv, yv))):
        logits = net.logits(feats)
        getattr(history, f"{which}_loss").append(float(np.mean(sparse_softmax_cross_entropy_with_logits(labs, logits))))
        getattr(history, f"{which}_accuracy").append(float(np.mean(np.argmax(logits, axis=1) == labs)))
    history.step.append(step)
    history.objective.append(objective)


def train(
    net: Network,
    features,
    labels,
    validation_features,
    validation_labels,
    *,
    steps: int = 300,
    learning_rate: float = 0.5,
    momentum: float = 0.9,
    label_smoothing: float = 0.0,
    gamma: float = 0.0,
    every: int = 10,
) -> tuple[Network, History]:
    """Full-batch gradient descent with momentum from ``net``; returns (trained network, history).

    Formula: velocity ← momentum·velocity − learning_rate·∇L; weights ← weights + velocity, ``steps`` times,
    with ∇L from ``loss_and_gradients`` (cross-entropy, smoothed with ``label_smoothing``, or focal with ``gamma``).

    Shapes: ``features`` (N, D), ``labels`` (N,); the validation pair (M, D), (M,). The history holds the
    plain NLL and accuracy on both sets at step 0 and every ``every`` steps (and at the last step).

    Stability: deterministic (no sampling: the whole training set every step); ``net`` is not modified.

    >>> import ce_teach as ct
    >>> x, y = [[0.0, 1.0], [1.0, 0.0]], [0, 1]
    >>> net, hist = ct.classifier.train(ct.classifier.init_network(2, 2), x, y, x, y, steps=20, every=10)
    >>> hist.step, hist.train_accuracy[-1]
    ([0, 10, 20], 1.0)
    """
    n_steps, every = _steps(steps), v.whole_number(every, "every", minimum=1)
    lr = _number(learning_rate, "learning_rate", 0.0, open_low=True)
    mu = _number(momentum, "momentum", 0.0, 1.0)
    eps = v.check_smoothing(label_smoothing)
    g = _number(gamma, "gamma", 0.0)
    if eps > 0 and g > 0:
        raise ValueError("use label_smoothing or gamma (focal loss), not both at once")
    d, c = net.layers[0][0].shape[0], net.layers[-1][0].shape[1]
    x, xv = _features(features, d), _features(validation_features, d)
    y, yv = _labels(labels, len(x), c), _labels(validation_labels, len(xv), c)
    params = [[w.copy(), b.copy()] for w, b in net.layers]
    velocity = [[np.zeros_like(w), np.zeros_like(b)] for w, b in net.layers]
    target = smooth_labels(y, c, label_smoothing=eps)
    history = History()
    for step in range(n_steps + 1):
        current = Network(tuple((w, b) for w, b in params))
        logits, h = forward(current, x)
        if step % every == 0 or step == n_steps:
            objective = _objective(logits, y, target, g)
            _record(history, step, objective, current, (x, y, xv, yv))
        if step == n_steps:
            break
        grads = _backward(current, x, h, _logit_gradient(logits, y, target, g))
        for p, vel, grad in zip(params, velocity, grads, strict=True):
            for i in range(2):
                vel[i] *= mu
                vel[i] -= lr * grad[i]
                p[i] += vel[i]
    return Network(tuple((w.copy(), b.copy()) for w, b in params)), history


def _objective(logits: np.ndarray, y: np.ndarray, target: np.ndarray, gamma: float) -> float:
    """The training loss at these logits (focal, or cross-entropy against the possibly smoothed target)."""
    if gamma > 0:
        return float(np.mean(sparse_softmax_focal_loss(y, logits, gamma=gamma)))
    return float(np.mean(softmax_cross_entropy_with_logits(target, logits)))


def _logit_gradient(logits: np.ndarray, y: np.ndarray, target: np.ndarray, gamma: float) -> np.ndarray:
    """∂L/∂x of the batch mean, without the input checks (the training loop's inputs are already checked)."""
    n = len(y)
    s = _softmax(logits)
    if gamma == 0:
        return (s - target) / n
    r = np.arange(n)
    shifted = logits - logits.max(axis=1, keepdims=True)
    ell = np.log(np.exp(shifted).sum(axis=1)) - shifted[r, y]  # −log p_c
    rest = s.copy()
    rest[r, y] = 0
    u = rest.sum(axis=1)  # 1 − p_c as the sum of the other probabilities
    ratio = np.divide(ell, u, out=np.ones(n), where=u > 0)
    weight = u**gamma * (1 + gamma * s[r, y] * ratio)
    return weight[:, None] * (s - target) / n


@dataclass(frozen=True)
class DigitsRun:
    """A network trained on the digits: ``net``, its ``history``, and (features, labels) of each split."""

    net: Network
    history: History
    train: tuple
    validation: tuple
    test: tuple


def digits_run(
    *,
    hidden: int = 32,
    steps: int = 300,
    learning_rate: float = 0.5,
    output_scale: float = 0.01,
    label_smoothing: float = 0.0,
    gamma: float = 0.0,
    every: int = 5,
    seed: int = 0,
) -> DigitsRun:
    """Notebook 09's classifier in one call: load the digits, split them, initialise and train.

    Formula: features = pixels / 16; ``digits_split(seed=seed)``; ``init_network(64, 10, hidden, output_scale,
    seed)``; ``train(..., steps, learning_rate, momentum=0.9, label_smoothing, gamma, every)`` on the training
    split, recording the validation split.

    Shapes: ``train``, ``validation``, ``test`` are (features (n, 64), labels (n,)) with n = 500, 500, 797.

    Stability: deterministic; the same arguments give the same network, bit for bit.

    >>> import ce_teach as ct
    >>> run = ct.classifier.digits_run(hidden=0, steps=0, output_scale=0.0)
    >>> round(run.history.val_loss[0], 6)  # zero logits: ln 10
    2.302585
    """
    digits = load_digits()
    parts = tuple((digits.features[i], np.asarray(digits.labels[i])) for i in digits_split(seed=seed))
    net = init_network(64, 10, hidden=hidden, output_scale=output_scale, seed=seed)
    (x, y), (xv, yv), _ = parts
    net, history = train(
        net,
        x,
        y,
        xv,
        yv,
        steps=steps,
        learning_rate=learning_rate,
        label_smoothing=label_smoothing,
        gamma=gamma,
        every=every,
    )
    return DigitsRun(net, history, *parts)


def train_binary(
    features,
    labels,
    *,
    pos_weight: float = 1.0,
    gamma: float = 0.0,
    alpha: float = -1.0,
    steps: int = 300,
    learning_rate: float = 0.5,
    momentum: float = 0.9,
) -> np.ndarray:
    """Logistic regression x = X·w + b by full-batch gradient descent; returns w and b as one (D + 1,) array.

    Formula: the loss is the mean of −w₊·z·log σ(x) − (1 − z)·log(1 − σ(x)) (``pos_weight`` w₊, TensorFlow's
    ``weighted_cross_entropy_with_logits``), or with ``gamma`` > 0 or ``alpha`` ≥ 0 the focal loss
    ``ct.sigmoid_focal_loss(gamma, alpha)``; gradients ∂/∂x = σ(x)·(w₊·z + 1 − z) − w₊·z, or
    ``ct.sigmoid_focal_loss_grad``; ∂/∂w = Xᵀ·∂/∂x / N.

    Shapes: ``features`` (N, D) finite, ``labels`` (N,) in {0, 1}. Result: (D + 1,), the bias last.

    Stability: σ from ``ct.sigmoid`` (two branches, no overflow). Weights start at 0: deterministic.

    >>> import ce_teach as ct
    >>> wb = ct.classifier.train_binary([[0.0], [1.0]], [0.0, 1.0], steps=50)
    >>> bool(wb[0] > 0)
    True
    """
    x = v.as_real_array(features, "features")
    if x.ndim != 2:
        raise ValueError(f"features must have shape (N, D), got {x.shape}")
    v.check_finite(x, "features")
    z = v.as_real_array(labels, "labels").astype(np.float64)
    if z.shape != (len(x),) or not np.isin(z, (0.0, 1.0)).all():
        raise ValueError(f"labels must be 0/1 of shape ({len(x)},), got shape {z.shape}")
    q = _number(pos_weight, "pos_weight", 0.0, open_low=True)
    focal = _check_gamma(gamma) != 0 or _check_alpha(alpha) >= 0
    if focal and q != 1.0:
        raise ValueError("use pos_weight or the focal loss (gamma, alpha), not both at once")
    n_steps, lr = _steps(steps), _number(learning_rate, "learning_rate", 0.0, open_low=True)
    mu = _number(momentum, "momentum", 0.0, 1.0)
    xb = np.hstack([x.astype(np.float64), np.ones((len(x), 1))])
    wb, vel = np.zeros(xb.shape[1]), np.zeros(xb.shape[1])
    for _ in range(n_steps):
        logits = _dot(xb, wb[:, None])[:, 0]
        if focal:
            dx = sigmoid_focal_loss_grad(z, logits, gamma=gamma, alpha=alpha)
        else:
            dx = sigmoid(logits) * (q * z + 1 - z) - q * z
        vel = mu * vel - lr * _dot(xb.T, dx[:, None])[:, 0] / len(x)
        wb = wb + vel
    return wb

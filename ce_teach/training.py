"""Gradient descent on one sigmoid neuron (logistic regression), with cross-entropy or with squared error.

The model is a = σ(x·w + b). Both losses share the chain rule through the logit ℓ = x·w + b:
∂L/∂w = Σ_i (∂L/∂ℓ_i)·x_i and ∂L/∂b = Σ_i ∂L/∂ℓ_i; they differ only in ∂L/∂ℓ_i:

* cross-entropy: (a_i − y_i)/N;
* squared error ½(a − y)²: (a_i − y_i)·a_i(1 − a_i)/N, which is almost 0 for a confident mistake.

So from a badly wrong start cross-entropy moves at full speed while squared error crawls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v
from ._validate import all_finite
from .activations import softplus_tail
from .squared_error import sigmoid_error_and_slope

__all__ = [
    "TrainingHistory",
    "TrainingGrid",
    "logistic_gradient",
    "train_logistic",
    "train_logistic_runs",
    "train_logistic_grid",
    "race_data",
]

LOSSES = ("ce", "mse")


@dataclass(frozen=True)
class TrainingHistory:
    """One run of ``train_logistic``: one entry per step, index 0 being the start (before any update).

    ``w`` has shape (steps + 1,) for a single feature, (steps + 1, D) for D features; ``b``,
    ``cross_entropy`` (mean binary cross-entropy), ``squared_error`` (mean ½(a − y)²) and ``accuracy``
    have shape (steps + 1,). Both losses are recorded for both runs, so runs can be compared on
    either yardstick; ``objective`` is the one this run minimised.
    """

    loss: str
    lr: float
    w: np.ndarray
    b: np.ndarray
    cross_entropy: np.ndarray
    squared_error: np.ndarray
    accuracy: np.ndarray

    @property
    def steps(self) -> int:
        return self.b.size - 1

    @property
    def objective(self) -> np.ndarray:
        return self.cross_entropy if self.loss == "ce" else self.squared_error


def _features(x) -> np.ndarray:
    x = v.as_real_array(x, "x")
    if x.ndim not in (1, 2) or x.shape[0] == 0:
        raise ValueError(f"x must have shape (N,) or (N, D) with N ≥ 1 examples, got shape {x.shape}")
    v.check_finite(x, "x")
    return x.astype(np.float64)


def _binary_labels(y, n: int) -> np.ndarray:
    y = v.as_real_array(y, "y")
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},), one label per example of x, got shape {y.shape}")
    bad = ~np.isin(y, (0, 1))
    if bad.any():
        where = v.first_index(bad)
        raise ValueError(f"y must hold class labels 0 or 1; found {y[where].item()!r} at index {where}")
    return y.astype(np.float64)


def _loss_name(loss) -> str:
    if loss not in LOSSES:
        raise ValueError(f"loss must be 'ce' (cross-entropy) or 'mse' (squared error ½(a − y)²), got {loss!r}")
    return loss


def _finite(a: np.ndarray, name: str) -> None:
    if a.ndim == 0:  # a single number: say so, without an index
        if not np.isfinite(a):
            raise ValueError(f"{name} must be a finite number, got {a.item()!r}")
        return
    v.check_finite(a, name)


def _weights(w, x: np.ndarray, name: str) -> np.ndarray:
    """w as float64: a scalar for x of shape (N,), a scalar (broadcast) or shape (D,) for x of shape (N, D)."""
    w = v.as_real_array(w, name)
    _finite(w, name)
    if x.ndim == 1:
        if w.ndim != 0:
            raise ValueError(f"{name} must be a single number when x has one feature (shape (N,)), got shape {w.shape}")
        return w.astype(np.float64)
    n_features = x.shape[1]
    if w.ndim == 0:
        return np.full(n_features, float(w))
    if w.shape != (n_features,):
        raise ValueError(
            f"{name} must be a number or have shape ({n_features},), one weight per feature, got shape {w.shape}"
        )
    return w.astype(np.float64)


def _bias(b, name: str) -> float:
    b = v.as_real_array(b, name)
    if b.ndim != 0:
        raise ValueError(f"{name} must be a single number, got shape {b.shape}")
    _finite(b, name)
    return float(b)


MAX_STEPS = 1_000_000  # the update loop runs in Python, a few microseconds per step


def _positive_number(value, name: str) -> float:
    number = v.real_number(value, name)
    if not 0 < number < np.inf:
        raise ValueError(f"{name} must be positive and finite, got {value!r}")
    return number


def _step_count(steps) -> int:
    return v.whole_number(steps, "steps", minimum=0, maximum=MAX_STEPS, why=" (the updates run one at a time)")


def _logits(inputs: np.ndarray, theta: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """ℓ = θ·(x, 1) for each run (θ of shape (runs, D + 1), inputs (N, D + 1)), without NaN from overflow.

    Where a product or the sum overflows, the logits are recomputed from inputs scaled by 2^-600 and
    scaled back: ±inf with the right sign where the true logit is beyond float64's range, instead of
    inf − inf = NaN. Everywhere else the result is the plain one, bit for bit.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if inputs.shape[1] == 2:  # x·w + b: one product and one sum per example
            logits = np.multiply(theta[:, :1], inputs[:, 0], out=out)
            logits += theta[:, 1:]
        else:
            logits = np.einsum("rd,nd->rn", theta, inputs, out=out)
        if not all_finite(logits):
            scaled = np.einsum("rd,nd->rn", theta, np.ldexp(inputs, -600))
            bad = ~np.isfinite(logits)
            logits[bad] = np.ldexp(scaled[bad], 600)
    return logits


def _check_finite_weights(theta: np.ndarray, step: int, lr: np.ndarray) -> None:
    if not all_finite(theta):
        bad = float(np.broadcast_to(lr, theta.shape)[~np.isfinite(theta)][0])
        raise ValueError(
            f"the weights left float64's range at step {step}: lr·gradient = {bad!r}·(up to max |x|) overflowed. "
            "Use a smaller lr (or rescale x)"
        )


def _logit_gradient(error: np.ndarray, slope: np.ndarray, loss: str) -> np.ndarray:
    """∂(mean loss)/∂ℓ_i: (a − y)/N for cross-entropy, (a − y)·a(1 − a)/N for squared error."""
    g = error if loss == "ce" else error * slope
    return g / error.size


def _mean_losses(logits: np.ndarray, y: np.ndarray, error: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean cross-entropy, mean ½(a − y)²) over the last axis; cross-entropy as max(ℓ, 0) − ℓ·y + log1p(e^{−|ℓ|})."""
    # max(ℓ, 0) − ℓ·y is max(−ℓ, 0) for y = 1 and max(ℓ, 0) for y = 0, exactly; written so, ℓ = ±inf gives
    # 0 or inf (the limits) instead of inf − inf.
    ce = np.where(y == 1, np.maximum(-logits, 0.0), np.maximum(logits, 0.0)) + softplus_tail(logits)
    with np.errstate(over="ignore"):  # the mean of losses beyond float64's range is inf
        return ce.mean(axis=-1), 0.5 * np.mean(error**2, axis=-1)


def logistic_gradient(x, y, w, b, *, loss: str = "ce") -> tuple[float, np.ndarray, float]:
    """Mean loss of a sigmoid neuron a = σ(x·w + b) and its gradient with respect to w and b.

    Formula: with ℓ = x·w + b and a = σ(ℓ), the mean loss L is (1/N)·Σ CE(y_i, ℓ_i) for ``loss='ce'``
    or (1/N)·Σ ½(a_i − y_i)² for ``loss='mse'``; ∂L/∂w = Σ_i g_i·x_i and ∂L/∂b = Σ_i g_i with
    g_i = (a_i − y_i)/N (cross-entropy) or g_i = (a_i − y_i)·a_i(1 − a_i)/N (squared error).

    Shapes: ``x`` (N,) with a scalar ``w``, or (N, D) with ``w`` a scalar or (D,); ``y`` (N,) labels
    0 or 1; ``b`` a scalar. Returns (L, ∂L/∂w of ``w``'s shape, ∂L/∂b).

    Stability: cross-entropy from the logit (never log σ); a − y and a(1 − a) without cancellation. Where
    x·w + b overflows, the logit is ±inf with the right sign, so the gradient stays finite.

    >>> import numpy as np, ce_teach as ct
    >>> value, grad_w, grad_b = ct.logistic_gradient(np.array([1.0, -1.0]), np.array([1, 0]), 0.0, 0.0)
    >>> round(value, 6), float(grad_w), float(grad_b)
    (0.693147, -0.5, 0.0)
    """
    x = _features(x)
    y = _binary_labels(y, x.shape[0])
    loss = _loss_name(loss)
    w = _weights(w, x, "w")
    b = _bias(b, "b")
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is handled just below
        logits = x @ w + b if x.ndim == 2 else x * w + b
    if not all_finite(logits):
        inputs = np.column_stack([x.reshape(x.shape[0], -1), np.ones(x.shape[0])])
        logits = _logits(inputs, np.append(w, b)[None, :])[0]
    error, slope = sigmoid_error_and_slope(y, logits)
    ce, se = _mean_losses(logits, y, error)
    g = _logit_gradient(error, slope, loss)
    grad_w = x.T @ g if x.ndim == 2 else np.asarray(x @ g)
    return float(ce if loss == "ce" else se), grad_w, float(g.sum())


def train_logistic(x, y, *, loss: str = "ce", w0=0.0, b0: float = 0.0, lr: float = 0.5, steps: int = 300):
    """Train one sigmoid neuron a = σ(x·w + b) by plain gradient descent; return its ``TrainingHistory``.

    Formula: w ← w − lr·∂L/∂w, b ← b − lr·∂L/∂b, ``steps`` times, from (w0, b0); L is the mean
    cross-entropy (``loss='ce'``) or the mean squared error ½(a − y)² (``loss='mse'``), with the
    gradients of ``logistic_gradient``: (a − y) versus (a − y)·a(1 − a) per example.

    Shapes: ``x`` (N,) (one feature, scalar ``w0``) or (N, D) (``w0`` a scalar or (D,)); ``y`` (N,)
    labels 0 or 1. Full batch, deterministic: the same inputs give the same history. Vectorised, a
    few microseconds per step for small N, so hundreds of steps run in milliseconds.

    Stability: every quantity is computed from the logits without cancellation; a logit beyond float64's
    range is ±inf with the right sign (never NaN), and its loss the exact limit. A huge ``lr`` may
    oscillate; each step moves w by at most lr·max|x|, and if that takes the weights beyond float64's
    range a ``ValueError`` says so. ``steps`` is at most 1 000 000.

    >>> import numpy as np, ce_teach as ct
    >>> x, y = np.array([-1.0, -0.5, 0.5, 1.0]), np.array([0, 0, 1, 1])
    >>> ce = ct.train_logistic(x, y, loss="ce", w0=-8.0, lr=1.0, steps=100)
    >>> mse = ct.train_logistic(x, y, loss="mse", w0=-8.0, lr=1.0, steps=100)
    >>> float(ce.accuracy[-1]), float(mse.accuracy[-1])  # same start, same steps
    (1.0, 0.0)
    """
    return train_logistic_runs(x, y, losses=(loss,), w0=w0, b0=b0, lr=lr, steps=steps)[0]


def train_logistic_runs(
    x, y, *, losses=("mse", "ce"), w0=0.0, b0: float = 0.0, lr: float = 0.5, steps: int = 300
) -> tuple[TrainingHistory, ...]:
    """``train_logistic`` once per loss in ``losses``, all from the same start, stepped together in one loop.

    Each history is exactly (bit for bit) what ``train_logistic`` returns for that loss. The runs
    share every array operation, so two runs take about the time of one. The loop is the one
    ``train_logistic_grid`` runs for a whole grid of starts and learning rates.

    Shapes: as ``train_logistic``; ``losses`` is a sequence of 'ce' and 'mse' (repeats allowed).

    >>> import numpy as np, ce_teach as ct
    >>> x, y = np.array([-1.0, -0.5, 0.5, 1.0]), np.array([0, 0, 1, 1])
    >>> mse, ce = ct.train_logistic_runs(x, y, losses=("mse", "ce"), w0=-8.0, lr=1.0, steps=100)
    >>> float(mse.accuracy[-1]), float(ce.accuracy[-1])
    (0.0, 1.0)
    """
    x = _features(x)
    y = _binary_labels(y, x.shape[0])
    losses = _loss_names(losses)
    w = _weights(w0, x, "w0")
    b = _bias(b0, "b0")
    lr = _positive_number(lr, "lr")
    steps = _step_count(steps)
    n, d = x.shape[0], (1 if x.ndim == 1 else x.shape[1])
    runs = len(losses)
    v.check_size(8.0 * (steps + 1) * runs * (n + d + 1), "steps", f"the history of {steps} steps of {runs} run(s)")
    start = np.tile(np.append(w.reshape(-1), b), (runs, 1))  # (runs, D + 1): θ = (w, b) for each run
    rates = np.full((runs, 1), lr)
    thetas, ces, ses, accs = _descend(x.reshape(n, d), y, start, rates, losses, steps, np.arange(steps + 1))
    shape = (steps + 1, *w.shape)  # (steps + 1,) for one feature, (steps + 1, D) for D
    return tuple(
        TrainingHistory(
            loss,
            lr,
            thetas[:, r, :d].reshape(shape),
            thetas[:, r, d].copy(),
            ces[:, r].copy(),
            ses[:, r].copy(),
            accs[:, r].copy(),
        )
        for r, loss in enumerate(losses)
    )


@dataclass(frozen=True)
class TrainingGrid:
    """``train_logistic_grid``'s runs: one per grid point (a start w0 and a learning rate) and loss.

    ``w``, ``b``, ``cross_entropy``, ``squared_error`` and ``accuracy`` have shape (*grid, losses, records):
    the grid's shape (``w0`` and ``lr`` broadcast together), one row per entry of ``losses``, one entry per
    recorded step, ``steps`` (0 is the start). For D > 1 features ``w`` has a last axis of D more.
    """

    losses: tuple[str, ...]
    steps: np.ndarray
    w: np.ndarray
    b: np.ndarray
    cross_entropy: np.ndarray
    squared_error: np.ndarray
    accuracy: np.ndarray


def train_logistic_grid(
    x, y, *, w0, lr, b0: float = 0.0, steps: int = 300, losses=("mse", "ce"), record=None
) -> TrainingGrid:
    """``train_logistic_runs`` at every point of a grid of starting weights and learning rates, all at once.

    Formula: as ``train_logistic``, for every (w0, lr) of ``np.broadcast(w0, lr)`` and every loss in
    ``losses``; with D > 1 features every weight starts at that grid point's w0. Each run is bit for bit
    the run ``train_logistic`` makes with the same settings: the grid only adds rows to the same loop.

    Shapes: ``x`` (N,) or (N, D), ``y`` (N,) labels 0 or 1; ``w0`` and ``lr`` arrays that broadcast to the
    grid's shape. ``record`` (default every step) are the steps to keep, increasing, in [0, steps]: the
    records of a large grid are what takes memory, the training itself holds one step at a time.

    Stability: as ``train_logistic``.

    >>> import numpy as np, ce_teach as ct
    >>> x, y = np.array([-1.0, -0.5, 0.5, 1.0]), np.array([0, 0, 1, 1])
    >>> grid = ct.train_logistic_grid(x, y, w0=np.array([[-8.0], [-2.0]]), lr=np.array([0.5, 1.0]), steps=100,
    ...                               record=[0, 100])
    >>> grid.accuracy.shape  # (w0, lr, losses, records)
    (2, 2, 2, 2)
    >>> grid.accuracy[0, 1, :, -1].tolist()  # w0 = −8, lr = 1: MSE, CE after 100 steps
    [0.0, 1.0]
    """
    x = _features(x)
    y = _binary_labels(y, x.shape[0])
    losses = _loss_names(losses)
    starts = v.as_real_array(w0, "w0").astype(np.float64)
    _finite(starts, "w0")
    rates = v.as_real_array(lr, "lr").astype(np.float64)
    if not np.all((rates > 0) & (rates < np.inf)):  # also refuses NaN
        bad = rates[~((rates > 0) & (rates < np.inf))].reshape(-1)[0]
        raise ValueError(f"lr must be positive and finite, got {bad.item()!r}")
    b = _bias(b0, "b0")
    steps = _step_count(steps)
    record = np.arange(steps + 1) if record is None else v.as_real_array(record, "record")
    if (
        record.ndim != 1
        or record.size == 0
        or np.any(record != np.round(record))
        or np.any(np.diff(record) <= 0)
        or record[0] < 0
        or record[-1] > steps
    ):
        raise ValueError(f"record must be increasing whole steps in [0, {steps}], got {record!r}")
    record = record.astype(np.int64)
    try:
        grid = np.broadcast_shapes(starts.shape, rates.shape)
    except ValueError:
        raise ValueError(f"w0 and lr must broadcast to one grid, got shapes {starts.shape} and {rates.shape}") from None
    n, d = x.shape[0], (1 if x.ndim == 1 else x.shape[1])
    points, runs = int(np.prod(grid)), len(losses)
    v.check_size(
        8.0 * points * runs * (n + d + 4 + 4 * record.size),
        "the grid (w0, lr)",
        f"{points} grid points × {runs} runs with {record.size} recorded steps",
    )
    start = np.empty((points, runs, d + 1))
    start[..., :d] = np.broadcast_to(starts, grid).reshape(points, 1, 1)
    start[..., d] = b
    rate = np.broadcast_to(np.broadcast_to(rates, grid).reshape(points, 1, 1), (points, runs, 1))
    thetas, ces, ses, accs = _descend(
        x.reshape(n, d),
        y,
        start.reshape(points * runs, d + 1),
        rate.reshape(points * runs, 1),
        losses * points,
        steps,
        record,
    )

    def shaped(a, *items):  # (records, points·runs, *items) → (*grid, runs, records, *items)
        return np.moveaxis(a.reshape(record.size, *grid, runs, *items), 0, len(grid) + 1)

    w = shaped(thetas[..., :d], d)
    return TrainingGrid(
        losses, record, w[..., 0] if x.ndim == 1 else w, shaped(thetas[..., d]), shaped(ces), shaped(ses), shaped(accs)
    )


def _loss_names(losses) -> tuple[str, ...]:
    if isinstance(losses, str) or not hasattr(losses, "__len__") or len(losses) == 0:
        raise ValueError(f"losses must be a non-empty sequence of 'ce' and 'mse', got {losses!r}")
    return tuple(_loss_name(loss) for loss in losses)


def _descend(
    x: np.ndarray,
    y: np.ndarray,
    start: np.ndarray,
    lr: np.ndarray,
    losses: tuple[str, ...],
    steps: int,
    record: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Gradient descent for R runs at once: θ (R, D + 1) from ``start``, each with its rate ``lr`` (R, 1) and loss.

    Returns θ, mean cross-entropy, mean ½(a − y)² and accuracy at the steps ``record``: shapes
    (records, R, D + 1) and (records, R). Every operation is elementwise or a sum over one run's own
    examples, so a run's numbers do not depend on which other runs share the loop (tests check it).
    """
    n = x.shape[0]
    inputs = np.column_stack([x, np.ones(n)])  # the bias is the weight of an input that is always 1
    runs = start.shape[0]
    cross_entropy_rows = np.array([loss == "ce" for loss in losses])
    thetas = np.empty((record.size, runs, start.shape[1]))
    ces, ses, accs = (np.empty((record.size, runs)) for _ in range(3))
    theta = start.copy()
    logits = np.empty((runs, n))
    slot = 0
    for k in range(steps + 1):
        _logits(inputs, theta, out=logits)
        error, slope = sigmoid_error_and_slope(y, logits)
        if slot < record.size and record[slot] == k:
            thetas[slot] = theta
            ces[slot], ses[slot] = _mean_losses(logits, y, error)
            accs[slot] = np.mean((logits > 0) == (y == 1), axis=-1)
            slot += 1
        if k == steps:
            break
        slope[cross_entropy_rows] = 1.0  # cross-entropy's ∂L/∂ℓ is the error alone
        g = error * slope / n  # ∂(mean loss)/∂ℓ_i, one row per run
        # einsum's own loop adds each run's terms in the same order however many runs there are.
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            theta = theta - lr * np.einsum("rn,nd->rd", g, inputs)
        _check_finite_weights(theta, k + 1, lr)
    return thetas, ces, ses, accs


def race_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The data of notebook 06's training race: (features (40,), labels (40,)), 20 negatives then 20 positives.

    The features are drawn from ``np.random.default_rng(seed)``: 20 from a normal around −1, then 20 around
    +1, both with spread 0.6; the labels are 0 for the first 20 and 1 for the rest. Notebook 06 draws the
    same numbers in its own code, as the first draws of its seeded generator.

    >>> import ce_teach as ct
    >>> features, labels = ct.race_data()
    >>> features.shape, int(labels.sum())
    ((40,), 20)
    """
    seed = v.whole_number(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(-1.0, 0.6, 20), rng.normal(1.0, 0.6, 20)]), np.repeat([0, 1], 20)

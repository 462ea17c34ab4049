"""Huge class counts: sampled softmax and NCE, training-time stand-ins for the full softmax loss.

With V classes (a vocabulary of 50 000 words) the full loss needs all V logits of every example, so B·V dot
products per batch. Both methods below look at the true class and k classes drawn from a proposal
distribution Q instead, B·(1 + k) logits, and correct for the sampling by subtracting log Q:

* **sampled softmax**: a softmax over the candidates {true class} ∪ {k samples}. With ``true_log_q`` = 0 and
  ``sampled_log_q`` = log(expected count) its value is log Ẑ − x_y, where Ẑ = e^{x_y} + Σ_j e^{x_{s_j}}/E[count]
  is an unbiased importance-sampling estimate of the normaliser Σ_c e^{x_c} (once accidental hits are removed):
  an estimate of the full loss, low by Jensen's inequality (log is concave) and consistent as k grows.
  TensorFlow's ``tf.nn.sampled_softmax_loss`` also subtracts log E[count] from the true logit: the softmax
  then models *which candidate is the true one*, whose optimum is (approximately) still x = log p + a constant
  per example, but whose value is no longer an estimate of the cross-entropy.
* **NCE** (noise-contrastive estimation): logistic regression, data vs noise, on s(x) − log(k·Q): a different
  objective whose optimum is the normalised model s = log p, and whose value is not the cross-entropy.

Neither value is the loss you report: evaluation computes the full softmax
(``sparse_softmax_cross_entropy_with_logits``).
The proposal here is TensorFlow's log-uniform (Zipfian) one, for classes numbered by decreasing frequency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v
from .activations import softplus
from .losses import sparse_softmax_cross_entropy_with_logits

__all__ = [
    "log_uniform_probabilities",
    "Candidates",
    "sample_candidates",
    "sampled_softmax_cross_entropy",
    "nce_loss",
    "nce_expected_loss",
]


MAX_TRIES = 10_000_000  # sample_candidates(unique=True) gives up after this many draws


def _check_count(value, name: str, *, minimum: int = 1) -> int:
    return v.whole_number(value, name, minimum=minimum)


def log_uniform_probabilities(num_classes: int) -> np.ndarray:
    """The log-uniform (Zipfian) proposal Q over classes 0 … V−1, most frequent first.

    Formula: Q(c) = log((c + 2)/(c + 1)) / log(V + 1) = log1p(1/(c + 1)) / log1p(V).

    Shapes: result (V,), summing to 1 (the sum telescopes to log(V + 1)/log(V + 1)).

    Stability: log1p(1/(c + 1)) keeps the digits of the rare classes, where (c + 2)/(c + 1) is within
    a few ulps of 1.

    See also: ``tf.random.log_uniform_candidate_sampler`` (TF 1: ``tf.nn.log_uniform_candidate_sampler``).

    >>> import ce_teach as ct
    >>> ct.sampling.log_uniform_probabilities(3).round(6).tolist()
    [0.5, 0.292481, 0.207519]
    """
    n = _check_count(num_classes, "num_classes")
    v.check_size(16.0 * n, "num_classes", f"the {n} probabilities (float64, and one temporary)")
    return np.log1p(1.0 / np.arange(1, n + 1)) / np.log1p(n)


@dataclass(frozen=True)
class Candidates:
    """k class ids drawn from the log-uniform proposal, and what is needed to correct for them."""

    ids: np.ndarray  # (k,) int64, in the order drawn
    num_tries: int  # draws it took; = k when sampling with replacement
    num_classes: int
    unique: bool

    def expected_count(self, classes: ArrayLike) -> np.ndarray:
        """How often each class in ``classes`` is expected in such a sample (TensorFlow's estimate).

        Formula: k·Q(c) if ``num_tries`` = k (always so with replacement), else 1 − (1 − Q(c))^num_tries,
        computed as −expm1(num_tries·log1p(−Q(c))). The second is an inclusion probability; it is
        approximate, because it treats the number of tries as fixed although it depends on the draws.
        """
        c = v.as_real_array(classes, "classes")
        v.check_sparse_labels(c, (*c.shape, self.num_classes), "classes")
        q = np.log1p(1.0 / (c.astype(np.float64) + 1.0)) / np.log1p(self.num_classes)
        k = self.ids.size
        if self.num_tries == k:
            return k * q
        return -np.expm1(self.num_tries * np.log1p(-q))


def _draw_log_uniform(rng: np.random.Generator, n: int, num_classes: int) -> np.ndarray:
    """n independent draws: ⌊e^{u·log(V + 1)}⌋ − 1 with u uniform in [0, 1) has exactly the probabilities Q."""
    ids = np.floor(np.exp(rng.random(n) * np.log1p(num_classes))).astype(np.int64) - 1
    return np.minimum(ids, num_classes - 1)  # e^{u·log(V+1)} can round up to V + 1 for u just below 1


def sample_candidates(
    rng: np.random.Generator, num_sampled: int, num_classes: int, *, unique: bool = True
) -> Candidates:
    """Draw ``num_sampled`` class ids from the log-uniform proposal, with or without repeats.

    Formula: each draw is c with probability Q(c) = log1p(1/(c + 1))/log1p(V). With ``unique=True``
    (TensorFlow's default) draws are repeated until k distinct ids have appeared; ``num_tries`` counts them.

    Shapes: ``ids`` (k,). With ``unique=True``, k ≤ V.

    Stability: every random number comes from ``rng`` (a ``numpy.random.Generator``), so a seed fixes the result.

    See also: ``tf.random.log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max)``.

    >>> import numpy as np, ce_teach as ct
    >>> cand = ct.sampling.sample_candidates(np.random.default_rng(0), 5, 1000)
    >>> cand.ids.size, bool(np.unique(cand.ids).size == 5), cand.num_tries >= 5
    (5, True, True)
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {type(rng).__name__}")
    k = _check_count(num_sampled, "num_sampled")
    n = _check_count(num_classes, "num_classes")
    unique = v.check_flag(unique, "unique")
    if not unique:
        v.check_size(16.0 * k, "num_sampled", f"{k} draws (a float64 and an int64 each)")
        return Candidates(_draw_log_uniform(rng, k, n), k, n, False)
    if k > n:
        raise ValueError(
            f"num_sampled = {k} distinct classes cannot be drawn out of num_classes = {n}; "
            f"use unique=False or num_sampled ≤ {n}"
        )
    if k > MAX_TRIES:
        raise ValueError(f"num_sampled = {k} distinct classes: at most {MAX_TRIES} draws are made; use unique=False")
    draws = np.empty(0, dtype=np.int64)
    chunk = max(2 * k, 64)
    while draws.size < MAX_TRIES:
        draws = np.concatenate([draws, _draw_log_uniform(rng, min(chunk, MAX_TRIES - draws.size), n)])
        _, first = np.unique(draws, return_index=True)
        if first.size >= k:
            positions = np.sort(first)[:k]  # where each of the first k distinct ids appeared
            return Candidates(draws[positions], int(positions[-1]) + 1, n, True)
        chunk *= 2
    raise ValueError(
        f"num_sampled = {k} distinct classes out of num_classes = {n}: {MAX_TRIES} log-uniform draws gave only "
        f"{first.size} distinct ones (the rare classes have probability about {1 / (n * np.log1p(n)):.2g} each). "
        "Use unique=False, or a smaller num_sampled"
    )


def _candidate_inputs(labels, true_logits, sampled, sampled_logits, true_log_q, sampled_log_q):
    """Validated (y, t, s_ids, s, a, b) as float64/int arrays: t (B,), s (B, k), a (B,), b broadcast to (B, k)."""
    y = v.as_real_array(labels, "labels")
    ids = v.as_real_array(sampled, "sampled")
    for arr, name in ((y, "labels"), (ids, "sampled")):
        if arr.dtype.kind not in "iu":
            raise TypeError(f"{name} must be integer class ids, got dtype {arr.dtype}")
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got shape {arr.shape}")
        if arr.size and arr.min() < 0:
            raise ValueError(f"{name} must be class ids ≥ 0, got {int(arr.min())}")
    t = v.as_real_array(true_logits, "true_logits")
    s = v.as_real_array(sampled_logits, "sampled_logits")
    if t.shape != y.shape:
        raise ValueError(f"true_logits must have the shape of labels, (B,) = {y.shape}, got {t.shape}")
    if s.shape != (y.size, ids.size):
        raise ValueError(
            f"sampled_logits must have shape (B, k) = {(y.size, ids.size)}: one row per example, one column per "
            f"sampled class; got {s.shape}"
        )
    v.check_finite(t, "true_logits")
    v.check_finite(s, "sampled_logits")
    corrections = []
    for value, name, shape in ((true_log_q, "true_log_q", t.shape), (sampled_log_q, "sampled_log_q", s.shape)):
        if value is None:
            corrections.append(np.zeros(shape))
            continue
        c = v.as_real_array(value, name)
        v.check_finite(c, name)
        try:
            corrections.append(np.broadcast_to(c.astype(np.float64), shape))
        except ValueError:
            raise ValueError(f"{name} of shape {c.shape} does not broadcast to {shape}") from None
    a, b = corrections
    return y, t.astype(np.float64), ids, s.astype(np.float64), a, b


def sampled_softmax_cross_entropy(
    labels: ArrayLike,
    true_logits: ArrayLike,
    sampled: ArrayLike,
    sampled_logits: ArrayLike,
    *,
    true_log_q: ArrayLike | None = None,
    sampled_log_q: ArrayLike | None = None,
    remove_accidental_hits: bool = True,
) -> np.ndarray:
    """Softmax cross-entropy over the candidates {true class} ∪ {sampled classes}, one loss per example.

    Formula: with a = ``true_log_q`` and b = ``sampled_log_q`` (0 where None),
        loss_i = log(e^{t_i − a_i} + Σ_{j: s_j ≠ y_i} e^{u_ij − b_j}) − (t_i − a_i),
    t_i the logit of example i's label y_i, u_ij its logit for sampled class s_j; the sum skips the
    *accidental hits* s_j = y_i when ``remove_accidental_hits`` (else it keeps them).
    * a = 0, b = log(expected count of s_j) (``Candidates.expected_count``): log Ẑ − t_i, with Ẑ an
      unbiased estimate of Σ_c e^{x_c} for sampling with replacement: an estimate of the full loss.
    * a = log(expected count of y_i) as well: TensorFlow's ``sampled_softmax_loss``. Not an estimate of the
      full loss: where the loss is large it is off by about log(expected count of y_i), lower for rare labels
      and higher for frequent ones.
    * a = b = 0: the softmax over k + 1 classes, ignoring how they were chosen: biased.

    Shapes: ``labels`` (B,) ints; ``true_logits`` (B,); ``sampled`` (k,) ints, shared by the batch as in
    TensorFlow; ``sampled_logits`` (B, k); ``true_log_q`` broadcastable to (B,), ``sampled_log_q`` to (B, k).
    Result: (B,).

    Stability: the candidate row goes through ``sparse_softmax_cross_entropy_with_logits`` (max shift, log1p);
    an accidental hit gets the logit −inf, so it contributes exactly 0 (TensorFlow adds −FLT_MAX).

    See also: ``tf.nn.sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes,
    remove_accidental_hits=True)``, ``ct.sparse_softmax_cross_entropy_with_logits`` (the full loss).

    >>> import numpy as np, ce_teach as ct
    >>> # 2 examples, labels 0 and 3; sampled classes 3 and 5; no correction: a softmax over 3 candidates
    >>> loss = ct.sampling.sampled_softmax_cross_entropy([0, 3], [2.0, 1.0], [3, 5], [[0.0, 0.0], [1.0, 0.0]])
    >>> loss.round(6).tolist()  # row 2: class 3 is its own label, an accidental hit, removed
    [0.239545, 0.313262]
    """
    remove_accidental_hits = v.check_flag(remove_accidental_hits, "remove_accidental_hits")
    y, t, ids, s, a, b = _candidate_inputs(labels, true_logits, sampled, sampled_logits, true_log_q, sampled_log_q)
    with np.errstate(over="ignore"):
        candidates = np.concatenate([(t - a)[:, None], s - b], axis=1)  # the true class first
    if not np.isfinite(candidates).all():
        where = v.first_index(~np.isfinite(candidates))
        names = ("true_logits", "true_log_q") if where[1] == 0 else ("sampled_logits", "sampled_log_q")
        raise ValueError(
            f"{names[0]} − {names[1]} overflows float64 for example {where[0]}"
            f"{'' if where[1] == 0 else f', sampled column {where[1] - 1}'}: the corrected logits must stay "
            "within ±1.8e308"
        )
    if remove_accidental_hits:
        candidates[:, 1:][ids[None, :] == y[:, None]] = -np.inf
    return sparse_softmax_cross_entropy_with_logits(np.zeros(y.size, dtype=np.int64), candidates)


def nce_loss(
    labels: ArrayLike,
    true_logits: ArrayLike,
    sampled: ArrayLike,
    sampled_logits: ArrayLike,
    *,
    true_log_q: ArrayLike,
    sampled_log_q: ArrayLike,
    remove_accidental_hits: bool = False,
) -> np.ndarray:
    """Noise-contrastive estimation: tell the true class (data) from k sampled classes (noise), one loss per example.

    Formula: with Δ = s − log(k·Q) the model's log-odds of "data" against "noise",
        loss_i = −log σ(t_i − a_i) − Σ_j log(1 − σ(u_ij − b_j)) = softplus(a_i − t_i) + Σ_j softplus(u_ij − b_j),
    where a = ``true_log_q`` and b = ``sampled_log_q`` are the logs of the expected counts k·Q (required:
    without them it is not NCE). With ``remove_accidental_hits`` the terms with s_j = y_i are dropped.

    The logits are used as *unnormalised* log-probabilities: the objective is minimised (in expectation, for
    a flexible enough model) at s = log p, the normalised model, so NCE learns the normaliser too. Its value
    is a sum of k + 1 logistic losses, not a cross-entropy.

    Shapes: as ``sampled_softmax_cross_entropy``. Result: (B,).

    Stability: softplus as max(z, 0) + log1p(e^{−|z|}); nothing overflows.

    See also: ``tf.nn.nce_loss(weights, biases, labels, inputs, num_sampled, num_classes,
    remove_accidental_hits=False)`` (which sums ``sigmoid_cross_entropy_with_logits`` over the k + 1 columns).

    >>> import numpy as np, ce_teach as ct
    >>> float(ct.sampling.nce_loss([0], [0.0], [1], [[0.0]], true_log_q=0.0, sampled_log_q=0.0)[0])  # 2·log 2
    1.3862943611198906
    """
    remove_accidental_hits = v.check_flag(remove_accidental_hits, "remove_accidental_hits")
    if true_log_q is None or sampled_log_q is None:
        raise ValueError("nce_loss needs true_log_q and sampled_log_q, the logs of the expected counts k·Q")
    y, t, ids, s, a, b = _candidate_inputs(labels, true_logits, sampled, sampled_logits, true_log_q, sampled_log_q)
    with np.errstate(over="ignore"):  # a logit gap beyond float64's range: its softplus is that gap, +inf
        noise_terms = softplus(s - b)  # −log(1 − σ(u − b)): "this sample is noise"
        if remove_accidental_hits:
            noise_terms[ids[None, :] == y[:, None]] = 0.0
        return softplus(a - t) + noise_terms.sum(axis=1)  # −log σ(t − a): "the label is data"


def nce_expected_loss(
    logits: ArrayLike, data_probs: ArrayLike, num_sampled: int, proposal: ArrayLike
) -> np.ndarray | np.floating:
    """The NCE objective averaged over its randomness: labels from ``data_probs``, k noise samples from Q.

    Formula: J = Σ_c p_c·softplus(log(k·Q_c) − x_c) + k·Σ_c Q_c·softplus(x_c − log(k·Q_c)), one value per row:
    the expectation of ``nce_loss`` (sampling with replacement, accidental hits kept) when the label is drawn
    from p and the k noise classes from Q. Setting ∂J/∂x_c = −p_c·σ(log(kQ_c) − x_c) + kQ_c·σ(x_c − log(kQ_c))
    to 0 gives e^{x_c} = p_c: the minimum is at the normalised model x = log p, for every k and Q > 0.

    Shapes: ``logits`` and ``data_probs`` of the same shape (..., V), each row of ``data_probs`` a distribution;
    ``proposal`` (V,), positive, summing to 1. Result: shape (...).

    Stability: softplus never overflows; log(k·Q) is formed once.

    >>> import numpy as np, ce_teach as ct
    >>> p = np.array([0.5, 0.25, 0.25])
    >>> float(ct.sampling.nce_expected_loss(np.log(p), p, 1, p))  # 2·log 2 when Q = p and k = 1
    1.3862943611198906
    """
    k = _check_count(num_sampled, "num_sampled")
    x = v.as_real_array(logits, "logits")
    p = v.as_real_array(data_probs, "data_probs")
    q = v.as_real_array(proposal, "proposal")
    v.check_same_shape(x, "logits", p, "data_probs")
    v.check_class_axis(x, "logits", -1)
    v.check_finite(x, "logits")
    v.check_distribution(p, "data_probs", -1)
    if q.shape != x.shape[-1:]:
        raise ValueError(f"proposal must have shape (V,) = {x.shape[-1:]}, got {q.shape}")
    v.check_positive(q, "proposal")
    v.check_distribution(q, "proposal", -1)
    log_kq = np.log(k * q.astype(np.float64))
    x64 = x.astype(np.float64)
    data_term = (p * softplus(log_kq - x64)).sum(axis=-1)
    noise_term = k * (q * softplus(x64 - log_kq)).sum(axis=-1)
    return data_term + noise_term

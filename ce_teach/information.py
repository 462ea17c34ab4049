"""Information theory: entropy H(p), cross-entropy H(p, q) and KL divergence D_KL(p‖q).

Arguments come in maths order, targets first: ``cross_entropy(p, q)`` is H(p, q) and
``kl_divergence(p, q)`` is D_KL(p‖q). ``base=None`` measures in nats (natural log), ``base=2`` in bits.
The convention 0·log 0 = 0 is built in: an outcome with p = 0 contributes nothing, whatever q says.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v

__all__ = ["entropy", "cross_entropy", "kl_divergence"]


def _distribution(p, name: str, axis: int) -> np.ndarray:
    p = v.as_real_array(p, name)
    v.check_distribution(p, name, axis)
    return p


def _pair(p, q, axis: int):
    v.check_axis(axis)
    p = _distribution(p, "p", axis)
    q = _distribution(q, "q", axis)
    v.check_same_shape(p, "p", q, "q")
    return p, q


def _finish(total: np.ndarray, base, dtype) -> np.ndarray:
    if base is not None:
        total = total / math.log(float(base))  # in float64 even for a NumPy float32 base
    return np.asarray(total).astype(dtype, copy=False)


def entropy(p: ArrayLike, *, base: float | None = None, axis: int = -1) -> np.ndarray:
    """Entropy H(p) = −Σ_i p_i·log p_i: the average surprise of an outcome drawn from p.

    Formula: H(p) = Σ_i p_i·log(1/p_i), with 0·log 0 = 0; in bits for ``base=2``, nats for ``base=None``.

    Shapes: ``p`` of shape (..., n), a distribution along ``axis`` (entries in [0, 1] summing to 1).
    Result: shape (...). 0 for a certain outcome, log n for the uniform distribution.

    Stability: every term p·log(1/p) is ≥ 0, so the sum cannot cancel; p = 0 is skipped instead of
    evaluating 0·(−inf) = nan.

    See also: ``scipy.stats.entropy(p, base=...)`` (which normalises p silently; this raises instead),
    ``torch.distributions.Categorical(probs=p).entropy()``.

    >>> import ce_teach as ct
    >>> float(ct.entropy([0.5, 0.25, 0.125, 0.125], base=2))
    1.75
    """
    v.check_axis(axis)
    v.check_base(base)
    p = _distribution(p, "p", axis)
    p64 = p.astype(np.float64)
    log_p = np.log(p64, out=np.zeros_like(p64), where=p64 > 0)  # 0·log 0 = 0: skip p = 0
    terms = -p64 * log_p
    return _finish(terms.sum(axis=axis), base, v.result_dtype(p))


def cross_entropy(p: ArrayLike, q: ArrayLike, *, base: float | None = None, axis: int = -1) -> np.ndarray:
    """Cross-entropy H(p, q) = −Σ_i p_i·log q_i: the average code length when data from p is coded for q.

    Formula: H(p, q) = Σ_i p_i·log(1/q_i) = H(p) + D_KL(p‖q), with 0·log(anything) = 0.

    Shapes: ``p`` (targets) and ``q`` (model) of the same shape (..., n), each a distribution along
    ``axis``. Result: shape (...). Infinite where some q_i = 0 while p_i > 0.

    Stability: every term is ≥ 0, so the sum cannot cancel. This takes probabilities; from logits use
    ``softmax_cross_entropy_with_logits``, which never forms log(q) and is exact for tiny q.

    See also: ``keras.losses.categorical_crossentropy(y_true, y_pred)`` (clips q to [1e-7, 1 − 1e-7]),
    ``torch.nn.functional.cross_entropy`` with probability targets (takes logits).

    >>> import ce_teach as ct
    >>> float(ct.cross_entropy([1.0, 0.0, 0.0], [0.7, 0.2, 0.1]))
    0.35667494393873245
    """
    v.check_base(base)
    p, q = _pair(p, q, axis)
    p64, q64 = p.astype(np.float64), q.astype(np.float64)
    with np.errstate(divide="ignore"):  # q = 0 where p > 0: the cross-entropy is +inf
        log_q = np.log(q64, out=np.zeros_like(q64), where=p64 > 0)
    terms = -p64 * log_q
    return _finish(terms.sum(axis=axis), base, v.result_dtype(p, q))


def kl_divergence(p: ArrayLike, q: ArrayLike, *, base: float | None = None, axis: int = -1) -> np.ndarray:
    """Kullback–Leibler divergence D_KL(p‖q) = Σ_i p_i·log(p_i / q_i): the extra cost of coding p with q's code.

    Formula: D_KL(p‖q) = Σ_i p_i·log(p_i/q_i) = H(p, q) − H(p); ≥ 0, and 0 exactly when p = q. A negative
    sum, possible only when p or q sums to 1 just within the rounding tolerance, is returned as 0.
    Not symmetric: D_KL(p‖q) ≠ D_KL(q‖p) in general. Infinite where q_i = 0 while p_i > 0.

    Shapes: ``p`` and ``q`` of the same shape (..., n), each a distribution along ``axis``. Result: (...).

    Stability: where q/2 ≤ p ≤ 2q, log(p/q) is computed as log1p((p − q)/q) (p − q is then exact), so a
    tiny divergence between nearby distributions is not lost to log(1.0000001) rounding; elsewhere as
    log p − log q, because for p ≪ q the quotient (p − q)/q rounds to −1 and log1p(−1) = −inf.

    Argument order: PyTorch's ``torch.nn.functional.kl_div(input, target)`` computes D_KL(target‖input)
    — the other way round — and wants ``input`` as log-probabilities. ``kl_divergence(p, q)`` here is
    ``kl_div(q.log(), p, reduction='sum')`` there. See also ``scipy.stats.entropy(p, q)``,
    ``keras.losses.KLDivergence()(p, q)``.

    >>> import ce_teach as ct
    >>> round(float(ct.kl_divergence([0.5, 0.5], [0.9, 0.1], base=2)), 6)
    0.736966
    """
    v.check_base(base)
    p, q = _pair(p, q, axis)
    p64, q64 = p.astype(np.float64), q.astype(np.float64)
    used = p64 > 0  # 0·log(0/q) = 0
    near = used & (p64 <= 2 * q64) & (q64 <= 2 * p64)  # q/2 ≤ p ≤ 2q, without halving a subnormal to 0
    ratio_minus_one = np.divide(p64 - q64, q64, out=np.zeros_like(p64), where=near)
    log_ratio = np.log1p(ratio_minus_one, out=np.zeros_like(p64), where=near)
    far = used & ~near
    with np.errstate(divide="ignore"):  # q = 0 where p > 0: log q = -inf, the divergence is +inf
        log_ratio[far] = np.log(p64[far]) - np.log(q64[far])
    terms = p64 * log_ratio
    total = terms.sum(axis=axis)
    # D_KL ≥ 0 for distributions. A q that sums to 1 only up to the rounding tolerance (e.g. 1 + 1e-8) can
    # make the sum slightly negative; the divergence it stands for is then 0 to within that tolerance.
    total = np.where(total < 0, 0.0, total)
    return _finish(total, base, v.result_dtype(p, q))

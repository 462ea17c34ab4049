"""Cross-entropy at language-model scale: the loss from hidden states without the logits, and its relatives.

A language model's last layer turns N hidden states h_n (width d) into N rows of V logits, x = h·Wᵀ, and
the loss is the mean cross-entropy of those rows over the tokens that are not padding. The (N, V) logits
are the largest tensor of the training step (8 Ki tokens × 128 Ki vocabulary × 4 bytes = 4 GiB), so
``linear_cross_entropy`` and ``linear_cross_entropy_grad`` never build them: they compute a tile of
logits at a time and keep, per token, only an online log-sum-exp (running maximum and running sum).

Also here: the other losses an LLM engineer meets (``distillation_loss``, ``info_nce``), the two
penalties against logit drift (``z_loss``, ``softcap``) and ``round_to_bfloat16``, an exact NumPy
emulation of bfloat16 rounding (NumPy has no bfloat16 type).

Input checks are the shared ones of ``_validate``; ``_check_matrix`` and ``_check_labels`` only combine them
for this module's (N, d) and (V, d) arguments.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v
from ._compensated import row_max, shift
from ._parallel import CHUNK
from .activations import log_softmax, logsumexp
from .losses import sparse_softmax_cross_entropy_with_logits

__all__ = [
    "linear_cross_entropy",
    "linear_cross_entropy_grad",
    "distillation_loss",
    "info_nce",
    "z_loss",
    "softcap",
    "round_to_bfloat16",
]

TOKENS_PER_TILE = 256  # rows of a tile of logits
VOCAB_PER_TILE = 4096  # its columns: a float32 tile is 4 MiB, large enough for the product to run near full speed
# the float64 work on a tile (shift, exp, sums) runs on blocks of about CHUNK logits (256 KiB, cache-sized)

# --- input checks -------------------------------------------------------------------------------


def _check_matrix(value, name: str, layout: str) -> np.ndarray:
    """A finite float-like 2-D array with at least one row and one column."""
    a = v.as_real_array(value, name)
    if a.ndim != 2 or 0 in a.shape:
        raise ValueError(f"{name} must be a 2-D array of shape {layout} with both sizes ≥ 1, got shape {a.shape}")
    v.check_finite(a, name)
    return a


def _check_labels(labels, n_tokens: int, n_vocab: int, ignore_index: int) -> np.ndarray:
    """Integer labels of shape (N,), each in [0, V) or equal to ignore_index, not all ignored. Returns kept."""
    y = v.as_real_array(labels, "labels")
    kept = v.check_sparse_labels(y, (n_tokens, n_vocab), "labels", "hidden", ignore_index=ignore_index)
    if not kept.any():
        raise ValueError(
            f"every label equals ignore_index = {ignore_index}, so the mean over kept tokens is 0/0, undefined "
            "(PyTorch returns nan); skip this batch"
        )
    return kept


def _linear_inputs(hidden, weight, labels, ignore_index):
    """Validated (h, w, y, kept, compute dtype) for the two linear cross-entropy functions."""
    h = _check_matrix(hidden, "hidden", "(N, d)")
    w = _check_matrix(weight, "weight", "(V, d)")
    if h.shape[1] != w.shape[1]:
        raise ValueError(
            f"hidden (N, d) and weight (V, d) must share d, the hidden width: got hidden{h.shape} and "
            f"weight{w.shape} (weight is laid out as torch.nn.Linear's, one row per token of the vocabulary)"
        )
    kept = _check_labels(labels, h.shape[0], w.shape[0], v.check_ignore_index(ignore_index))
    dtype = v.result_dtype(h, w)
    dtype = np.dtype(np.float32) if dtype == np.float16 else dtype  # float16 products are done in float32
    return h, w, np.asarray(labels), kept, dtype


# --- the online log-sum-exp over tiles of logits ------------------------------------------------


def _two_diff(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(s, e) with s = fl(a − b) and s + e = a − b exactly (Knuth's TwoSum with −b)."""
    s = a - b
    bb = s - a
    e = (a - (s - bb)) + (-b - bb)
    return s, e


def _tile_shape(n_tokens: int, n_vocab: int) -> tuple[int, int, int]:
    """(rows, columns) of a tile of logits, and the rows of one float64 working block inside it."""
    cols = min(n_vocab, VOCAB_PER_TILE)
    return min(n_tokens, TOKENS_PER_TILE), cols, max(1, CHUNK // cols)


def _accumulate(block: np.ndarray, m: np.ndarray, s: np.ndarray, d: np.ndarray, dl: np.ndarray | None) -> None:
    """Fold a block of logits into each row's running maximum m and S = Σ_{k≠argmax} e^{x_k − m}, in place."""
    imax, m_block = row_max(block)
    grows = m_block > m
    if grows.any():
        old = grows & (m > -np.inf)
        if old.any():
            a, e = _two_diff(m[old], m_block[old])
            s[old] = (s[old] + 1.0) * (np.exp(a) * (1.0 + e))  # rescale to the new maximum: e^{m_old − m_new}
        m[grows] = m_block[grows]
    low = shift(block, m, d, dl)
    np.exp(d, out=d)
    if low is not None:
        d += d * low  # e^{d + dl} ≈ e^d·(1 + dl)
    new_rows = np.flatnonzero(grows)
    d[new_rows, imax[new_rows]] = 0.0  # the new maximum's own term (exactly 1) stays out of S
    s += d.sum(axis=1)


def _row_statistics(h: np.ndarray, w: np.ndarray, y: np.ndarray, dtype: np.dtype):
    """Per row n: the maximum m_n of its logits, S_n = Σ_{k≠argmax} e^{x_nk − m_n} and x_{n,y_n}, all float64.

    Logits are made one (rows × vocabulary) tile at a time with a product in ``dtype``; a running maximum
    and a running sum (rescaled by e^{m_old − m_new} when the maximum grows) replace the full rows.
    """
    n, n_vocab = h.shape[0], w.shape[0]
    rows, cols, sub = _tile_shape(n, n_vocab)
    x = np.empty((rows, cols), dtype=dtype)
    d = np.empty((sub, cols))
    dl = np.empty((sub, cols)) if dtype == np.float64 else None  # TwoSum low parts: float64 only
    m_all, s_all, xy_all = np.full(n, -np.inf), np.zeros(n), np.empty(n)
    for r0 in range(0, n, rows):
        r1 = min(r0 + rows, n)
        yk = y[r0:r1]
        for c0 in range(0, n_vocab, cols):
            c1 = min(c0 + cols, n_vocab)
            tile = np.matmul(h[r0:r1], w[c0:c1].T, out=x[: r1 - r0, : c1 - c0])
            for b0 in range(0, r1 - r0, sub):
                b1 = min(b0 + sub, r1 - r0)
                low = None if dl is None else dl[: b1 - b0, : c1 - c0]
                _accumulate(
                    tile[b0:b1], m_all[r0 + b0 : r0 + b1], s_all[r0 + b0 : r0 + b1], d[: b1 - b0, : c1 - c0], low
                )
            here = np.flatnonzero((yk >= c0) & (yk < c1))
            xy_all[r0 + here] = tile[here, yk[here] - c0]
    return m_all, s_all, xy_all


def _row_losses(h, w, y, dtype) -> tuple[np.ndarray, np.ndarray]:
    """(loss per row, log-sum-exp per row) in float64: loss = log1p(S) − (x_y − m), lse = m + log1p(S)."""
    m, s, xy = _row_statistics(h, w, y, dtype)
    diff, low = _two_diff(xy, m)  # x_y − m ≤ 0, exactly diff + low
    log1p_s = np.log1p(s)
    return (log1p_s - diff) - low, m + log1p_s


def _kept_rows(h: np.ndarray, y: np.ndarray, kept: np.ndarray):
    """The rows that count: views when nothing is ignored, copies of the kept rows otherwise."""
    if kept.all():
        return h, y
    return h[kept], y[kept]


def linear_cross_entropy(
    hidden: ArrayLike, weight: ArrayLike, labels: ArrayLike, *, ignore_index: int = -100
) -> np.floating:
    """Mean softmax cross-entropy of the logits hidden @ weight.T over the kept tokens, without building them.

    Formula: loss = (1/|K|)·Σ_{n∈K} (logsumexp_j(h_n·w_j) − h_n·w_{y_n}), K = {n : y_n ≠ ignore_index};
    per row, logsumexp = m + log1p(Σ_{j≠argmax} e^{x_j − m}) with m the row's maximum.

    Shapes: ``hidden`` (N, d); ``weight`` (V, d), torch.nn.Linear's layout (one row per vocabulary entry);
    ``labels`` (N,) integers in [0, V) or equal to ``ignore_index``. Result: a scalar. Extra memory: one
    tile of 256 × 4096 logits (4 MiB in float32) and a few numbers per token, never the (N, V) logits.

    Stability: logits are made a tile (256 tokens × 4096 vocabulary entries) at a time; each row keeps an
    online log-sum-exp, a running maximum m and the sum S of e^{x − m} without the maximum's own term,
    rescaled by e^{m_old − m_new} when a later tile holds a larger logit. The shifts are compensated
    (TwoSum) for float64, and the maximum's term stays out of S so that log1p keeps tiny losses.

    Precision: float64 inputs give the loss of ``sparse_softmax_cross_entropy_with_logits(labels,
    hidden @ weight.T)`` to within a few ulp (≤ 4 per token in the tests, where the products are exact; a
    tile's product may round a logit differently from one big product, by an ulp of that logit).
    float32 inputs do the products h·w in float32, as torch does (so the logits carry float32 rounding,
    ≤ d·ε₃₂·Σ|h_i w_i| each); everything after the products (max, sums, log1p, mean) is float64, so
    the result is the cross-entropy of *those* float32 logits rounded once to float32: no error beyond
    the logits' own. float16 inputs are multiplied in float32.

    Errors: a label outside [0, V) that is not ``ignore_index``, an all-ignored batch (0/0, where PyTorch
    returns nan), non-finite inputs and mismatched shapes raise a ``ValueError``, a wrong dtype a
    ``TypeError``, each naming the argument. The matrix products use BLAS's threads; the float64 work on a
    tile runs in the calling thread (splitting it between threads cost more CPU time than it saved here).

    See also: ``torch.nn.functional.cross_entropy(hidden @ weight.T, labels, ignore_index=-100)``,
    Liger-Kernel's ``LigerFusedLinearCrossEntropyLoss``, Apple's Cut Cross-Entropy (Wijmans et al., 2024),
    ``linear_cross_entropy_grad`` for the gradients.

    >>> import numpy as np, ce_teach as ct
    >>> h, W = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0]]), np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    >>> float(ct.linear_cross_entropy(h, W, [0, 1, -100]))  # the third token is padding
    0.39549474007696783
    >>> float(ct.sparse_softmax_cross_entropy_with_logits([0, 1], (h @ W.T)[:2]).mean())
    0.39549474007696783
    """
    h, w, y, kept, dtype = _linear_inputs(hidden, weight, labels, ignore_index)
    hk, yk = _kept_rows(h.astype(dtype, copy=False), y, kept)
    losses, _ = _row_losses(hk, w.astype(dtype, copy=False), yk, dtype)
    return np.asarray(losses.mean(), dtype=dtype)[()]


def linear_cross_entropy_grad(
    hidden: ArrayLike, weight: ArrayLike, labels: ArrayLike, *, ignore_index: int = -100
) -> tuple[np.floating, np.ndarray, np.ndarray]:
    """(loss, ∂loss/∂hidden, ∂loss/∂weight) of ``linear_cross_entropy``, without building the logits.

    Formula: with P = softmax(h·Wᵀ) row by row, Y the one-hot labels and K the kept tokens,
    G = (P − Y)/|K| on kept rows and 0 on ignored ones; ∂loss/∂hidden = G·W, ∂loss/∂weight = Gᵀ·h.

    Shapes: as ``linear_cross_entropy``; returns a scalar, (N, d) and (V, d) (the shapes of hidden and
    weight). Ignored tokens get a zero row in ∂loss/∂hidden.

    Stability: a first pass over tiles finds each row's log-sum-exp ℓ_n online (see
    ``linear_cross_entropy``); a second pass recomputes each tile of logits x, forms G = (e^{x − ℓ} − Y)/|K|
    in float64 and adds its two products into the gradients. Extra memory: a tile, the (V-tile, d) slice of
    ∂loss/∂weight being summed in float64, and ∂loss/∂hidden in float64 (N × d), never (N, V).

    Precision: as ``linear_cross_entropy``. For float32 inputs the tile of G is rounded to float32 and the
    products G·W and Gᵀ·h are done in float32, as torch does; the partial products are summed in float64.

    See also: ``torch.autograd`` on ``F.cross_entropy(hidden @ weight.T, labels)``, ``softmax_cross_entropy_grad``.

    >>> import numpy as np, ce_teach as ct
    >>> loss, d_hidden, d_weight = ct.linear_cross_entropy_grad(np.array([[1.0, 0.0]]), np.eye(2), [0])
    >>> float(loss), d_hidden.tolist(), d_weight.round(6).tolist()
    (0.31326168751822286, [[-0.2689414213699951, 0.2689414213699951]], [[-0.268941, 0.0], [0.268941, 0.0]])
    """
    h, w, y, kept, dtype = _linear_inputs(hidden, weight, labels, ignore_index)
    hk, yk = _kept_rows(h.astype(dtype, copy=False), y, kept)
    wc = w.astype(dtype, copy=False)
    losses, lse = _row_losses(hk, wc, yk, dtype)
    (n, dim), n_vocab = hk.shape, w.shape[0]
    rows, cols, sub = _tile_shape(n, n_vocab)
    x = np.empty((rows, cols), dtype=dtype)
    g = np.empty((sub, cols))
    d_hidden = np.zeros((n, dim))  # float64 sums of the tiles' products
    d_weight = np.empty(w.shape, dtype=dtype)
    slab = np.empty((cols, dim))
    part_h, part_w = np.empty((rows, dim), dtype=dtype), np.empty((cols, dim), dtype=dtype)
    inv_n = 1.0 / n
    for c0 in range(0, n_vocab, cols):
        c1 = min(c0 + cols, n_vocab)
        slab[: c1 - c0] = 0.0
        for r0 in range(0, n, rows):
            r1 = min(r0 + rows, n)
            tile = np.matmul(hk[r0:r1], wc[c0:c1].T, out=x[: r1 - r0, : c1 - c0])
            for b0 in range(0, r1 - r0, sub):
                b1 = min(b0 + sub, r1 - r0)
                gb = g[: b1 - b0, : c1 - c0]
                np.subtract(tile[b0:b1], lse[r0 + b0 : r0 + b1, None], out=gb)
                np.exp(gb, out=gb)  # softmax probabilities
                yb = yk[r0 + b0 : r0 + b1]
                here = np.flatnonzero((yb >= c0) & (yb < c1))
                gb[here, yb[here] - c0] -= 1.0
                gb *= inv_n
                tile[b0:b1] = gb  # G, rounded once to the product dtype, in place of the logits
            d_hidden[r0:r1] += np.matmul(tile, wc[c0:c1], out=part_h[: r1 - r0])
            slab[: c1 - c0] += np.matmul(tile.T, hk[r0:r1], out=part_w[: c1 - c0])
        d_weight[c0:c1] = slab[: c1 - c0]
    if kept.all():
        d_h = d_hidden.astype(dtype, copy=False)
    else:
        d_h = np.zeros(h.shape, dtype=dtype)
        d_h[kept] = d_hidden
    return np.asarray(losses.mean(), dtype=dtype)[()], d_h, d_weight


# --- distillation and contrastive losses --------------------------------------------------------


def _same_shape_logits(a, a_name: str, b, b_name: str) -> tuple[np.ndarray, np.ndarray]:
    x = v.as_real_array(a, a_name)
    z = v.as_real_array(b, b_name)
    v.check_same_shape(x, a_name, z, b_name)
    v.check_class_axis(x, a_name, -1)
    return x, z


def distillation_loss(
    student_logits: ArrayLike, teacher_logits: ArrayLike, *, temperature: float
) -> np.ndarray | np.floating:
    """Knowledge distillation per row: T²·KL(softmax(t/T) ‖ softmax(s/T)), teacher first.

    Formula: loss = T²·Σ_j p_j·(log p_j − log q_j), with p = S(t/T) the softened teacher and q = S(s/T)
    the softened student. The gradient with respect to the student's logits is T·(q − p); without the T²
    it would be (q − p)/T, which shrinks like 1/T² at high temperature (q − p itself is O(1/T)), so T²
    keeps the distillation term on the scale of the ordinary loss whatever T is (Hinton et al., 2015).

    Shapes: ``student_logits`` s and ``teacher_logits`` t of the same shape (..., C); result (...).

    Stability: both log-probabilities come from ``log_softmax`` (max shift, log1p), never log of a
    probability; a class the teacher gives probability 0 contributes exactly 0. Rounding can leave a
    sum of −1e-17 when the student equals the teacher; KL ≥ 0, so the result is clamped at 0.

    See also: ``torch.nn.KLDivLoss(reduction='batchmean')(F.log_softmax(s/T, -1), F.softmax(t/T, -1))·T²``
    (PyTorch's order is (input = student log-probabilities, target = teacher probabilities), and
    ``'batchmean'`` is the mean of these rows), ``keras.losses.KLDivergence`` on the softened probabilities.

    >>> import ce_teach as ct
    >>> ct.distillation_loss([[0.0, 0.0]], [[2.0, 0.0]], temperature=2.0).round(9).tolist()
    [0.443776287]
    """
    s, t = _same_shape_logits(student_logits, "student_logits", teacher_logits, "teacher_logits")
    temp = v.positive_number(temperature, "temperature", "the softening temperature T; 1 is no softening")
    v.check_not_nan(s, "student_logits")
    v.check_not_nan(t, "teacher_logits")
    log_q = log_softmax(s.astype(np.float64) / temp)
    log_p = log_softmax(t.astype(np.float64) / temp)
    p = np.exp(log_p)
    with np.errstate(invalid="ignore"):  # −inf − (−inf) where p = 0: masked out below
        terms = np.multiply(p, log_p - log_q, out=np.zeros(p.shape), where=p > 0)
    kl = np.maximum(terms.sum(axis=-1), 0.0)
    return (temp * temp * kl).astype(v.result_dtype(s, t), copy=False)


def info_nce(a: ArrayLike, b: ArrayLike, *, temperature: float) -> np.floating:
    """CLIP's symmetric InfoNCE loss for paired rows: cross-entropy over the batch's similarity matrix.

    Formula: with â_n = a_n/‖a_n‖, b̂_n = b_n/‖b_n‖ and X = â·b̂ᵀ/T (N × N), row n's true "class" is n:
    loss = ½·[(1/N)·Σ_n CE(X_{n,:}, n) + (1/N)·Σ_n CE(X_{:,n}, n)]. Every other row of the batch is a
    negative (in-batch negatives): an N-way softmax instead of one over all possible pairs.

    Shapes: ``a`` and ``b`` (N, D) with N ≥ 1 pairs; result: a scalar. With random, unrelated rows the
    loss is ≈ ln N (chance among N candidates), the batch's analogue of ln V.

    Stability: the cross-entropies are ``sparse_softmax_cross_entropy_with_logits`` (max shift, log1p);
    the norms are computed in float64. A row of zeros has no direction and raises a ``ValueError``.

    See also: CLIP (Radford et al., 2021): ``(F.cross_entropy(X, arange(N)) + F.cross_entropy(X.T,
    arange(N))) / 2`` with X = logit_scale·â·b̂ᵀ; ``ct.sampling`` for sampled softmax (notebook 07).

    >>> import numpy as np, ce_teach as ct
    >>> round(float(ct.info_nce(np.eye(3), np.eye(3), temperature=1.0)), 12)  # ln(e + 2) − 1
    0.551444713932
    """
    x = _check_matrix(a, "a", "(N, D)")
    z = _check_matrix(b, "b", "(N, D)")
    v.check_same_shape(x, "a", z, "b")
    temp = v.positive_number(temperature, "temperature", "CLIP learns 1/T, starting at T = 0.07")
    normed = []
    for arr, name in ((x, "a"), (z, "b")):
        arr64 = arr.astype(np.float64)
        norms = np.linalg.norm(arr64, axis=1)
        if not (norms > 0).all():
            raise ValueError(
                f"{name} has a row of zeros (row {int(np.argmin(norms > 0))}): it has no direction to normalise"
            )
        normed.append(arr64 / norms[:, None])
    sim = normed[0] @ normed[1].T / temp
    target = np.arange(sim.shape[0])
    rows = sparse_softmax_cross_entropy_with_logits(target, sim).mean()
    cols = sparse_softmax_cross_entropy_with_logits(target, sim.T).mean()
    return np.asarray(0.5 * (rows + cols), dtype=v.result_dtype(x, z))[()]


# --- logit drift: z-loss and soft-capping ----------------------------------------------------------


def z_loss(logits: ArrayLike) -> np.ndarray | np.floating:
    """The z-loss of each row: (log Z)², Z = Σ_j e^{x_j}, the penalty PaLM adds as λ·(log Z)² (λ = 10⁻⁴).

    Formula: z_loss(x) = logsumexp(x)², one value per row.

    Softmax ignores a shift of all logits, so the loss alone leaves log Z free to drift; the penalty pulls
    it to 0, where the logits are log-probabilities themselves and stay small (bfloat16 keeps about 3
    significant digits, so a logit of 300 is stored to ±1). Its gradient is 2·log Z·S(x).

    Shapes: ``logits`` (..., C), class axis last; result (...).

    Stability: log Z from ``logsumexp`` (max shift, log1p), so logits of 10⁴ give 10⁸, not inf.

    See also: PaLM (Chowdhery et al., 2022, "z_loss"), ST-MoE's router z-loss, ``optax`` and T5X's
    ``z_loss`` argument of their cross-entropy.

    >>> import ce_teach as ct
    >>> ct.z_loss([[0.0, 0.0], [1000.0, 1000.0]]).tolist()
    [0.4804530139182014, 1001386.7748141336]
    """
    x = v.as_real_array(logits, "logits")
    v.check_class_axis(x, "logits", -1)
    v.check_finite(x, "logits")
    lz = logsumexp(x.astype(np.float64))
    return (lz * lz).astype(v.result_dtype(x), copy=False)


def softcap(logits: ArrayLike, cap: float) -> np.ndarray | np.floating:
    """Logit soft-capping: κ·tanh(x/κ), a smooth clip of every logit into (−κ, κ).

    Formula: softcap(x, κ) = κ·tanh(x/κ) ≈ x − x³/(3κ²) for |x| ≪ κ.

    Gemma 2 caps its final logits at κ = 30 (and attention logits at 50): the loss of one token can then
    never exceed 2κ + ln V, and a logit far past κ no longer grows (its gradient factor 1 − tanh² → 0).

    Shapes: any; result: the same shape and dtype. ``cap`` κ: a finite number > 0.

    Stability: tanh saturates instead of overflowing; ±inf logits give ±κ. Computed in float64 and
    rounded once.

    See also: Gemma 2 (``final_logit_softcapping``), Grok-1's attention capping.

    >>> import ce_teach as ct
    >>> ct.softcap([-1000.0, 0.0, 3.0, 1000.0], 30.0).round(6).tolist()
    [-30.0, 0.0, 2.99004, 30.0]
    """
    x = v.as_real_array(logits, "logits")
    kappa = v.positive_number(cap, "cap", "the soft cap κ; Gemma 2 uses 30")
    v.check_not_nan(x, "logits")
    out = kappa * np.tanh(x.astype(np.float64) / kappa)
    return out.astype(v.result_dtype(x), copy=False)


# --- bfloat16 ---------------------------------------------------------------------------------------


def round_to_bfloat16(x: ArrayLike) -> np.ndarray:
    """Round float32 (or float16) values to the nearest bfloat16, ties to even; returned as float32.

    Formula: keep the upper 16 bits of the float32 bit pattern u after adding 0x7FFF + (bit 16 of u):
    round to nearest, ties to even, on the 7-bit fraction that bfloat16 keeps (8 exponent bits, as float32).

    Shapes: any; result float32 of the same shape, every value exactly representable in bfloat16
    (torch's ``x.to(torch.bfloat16)`` rounds the same way). Values beyond the largest bfloat16 (≈ 3.39e38)
    round to ±inf, as in any IEEE rounding; NaN stays NaN.

    Stability: integer arithmetic on the bit pattern, no floating-point operation at all. Only float32
    and float16 inputs are accepted: rounding float64 first to float32 and then to bfloat16 could round
    twice (a different result from a single rounding), so a float64 input is a ``TypeError``.

    >>> import numpy as np, ce_teach as ct
    >>> ct.round_to_bfloat16(np.array([1.0, 1 + 2**-8, 1 + 3 * 2**-8, 3.14159], dtype=np.float32)).tolist()
    [1.0, 1.0, 1.015625, 3.140625]
    """
    a = v.as_real_array(x, "x")
    if a.dtype not in (np.float32, np.float16):
        raise TypeError(
            f"x must be a float32 or float16 array, got dtype {a.dtype}; convert it with x.astype(np.float32) "
            "first if a rounding to float32 on the way is acceptable"
        )
    f = np.ascontiguousarray(a, dtype=np.float32)
    u = f.view(np.uint32).astype(np.uint64)  # room for the carry of 0xFFFF…
    u += 0x7FFF + ((u >> 16) & 1)
    out = (u & 0xFFFF0000).astype(np.uint32).view(np.float32)
    nan = np.isnan(f)
    if nan.any():
        out[nan] = np.nan
    return out.reshape(a.shape)

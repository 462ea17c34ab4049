"""ce_teach.lm: the linear cross-entropy without logits, and distillation, InfoNCE, z-loss, soft-capping, bfloat16."""

import tracemalloc

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import lm


@pytest.fixture
def small_tiles(monkeypatch):
    """Tiles of 3 tokens × 5 vocabulary entries and working blocks of 2 rows: every loop runs many times."""
    monkeypatch.setattr(lm, "TOKENS_PER_TILE", 3)
    monkeypatch.setattr(lm, "VOCAB_PER_TILE", 5)
    monkeypatch.setattr(lm, "CHUNK", 10)


def problem(rng, n, d, n_vocab, dtype=np.float64, scale=1.0):
    h = rng.normal(size=(n, d)).astype(dtype)
    w = (scale * rng.normal(size=(n_vocab, d))).astype(dtype)
    y = rng.integers(0, n_vocab, size=n)
    return h, w, y


def reference_rows(h, w, y):
    """The per-token loss from the full (N, V) logits, computed in float64."""
    return ct.sparse_softmax_cross_entropy_with_logits(y, h.astype(np.float64) @ w.astype(np.float64).T)


def ulps(a, b):
    return np.abs(np.asarray(a, dtype=np.float64) - b) / np.spacing(np.abs(b))


# --- float64: the loss of the full logits, to a few ulp ------------------------------------------


def exact_problem(rng, n, d, n_vocab):
    """Entries that are multiples of 1/8 below 4: every product and sum is exact in float64, in any order,
    so the tiles' logits equal the full product's bit for bit and only the log-sum-exp is compared."""
    h = rng.integers(-32, 32, size=(n, d)) / 8.0
    w = rng.integers(-32, 32, size=(n_vocab, d)) / 8.0
    return h, w, rng.integers(0, n_vocab, size=n)


@pytest.mark.parametrize("tiles", ["default", "small"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_float64_rows_and_mean_match_the_full_logits(request, tiles, seed):
    if tiles == "small":
        request.getfixturevalue("small_tiles")
    rng = np.random.default_rng(seed)
    h, w, y = exact_problem(rng, 37, 6, 23)
    rows, _ = lm._row_losses(h, w, y, np.dtype(np.float64))
    expected = reference_rows(h, w, y)
    assert ulps(rows, expected).max() <= 4
    assert ulps(ct.linear_cross_entropy(h, w, y), expected.mean()) <= 4


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_float64_with_rounded_products(small_tiles, seed):
    """Real-valued inputs: the tiles' products may round differently from the full one, by ≤ an ulp of a
    logit, and the loss moves by at most that much more."""
    rng = np.random.default_rng(seed)
    h, w, y = problem(rng, 37, 6, 23, scale=2.0)
    logits = h @ w.T
    rows, _ = lm._row_losses(h, w, y, np.dtype(np.float64))
    expected = reference_rows(h, w, y)
    allowed = 4 * np.spacing(expected) + 4 * np.spacing(np.abs(logits).max(axis=1))
    assert np.all(np.abs(rows - expected) <= allowed)


def test_float64_across_vocabulary_tiles_with_growing_maxima():
    """V > one tile, and later tiles hold larger logits, so every row's running maximum is rescaled."""
    rng = np.random.default_rng(3)
    n_vocab = 2 * lm.VOCAB_PER_TILE + 123
    h = rng.integers(1, 8, size=(20, 4)) / 8.0
    w = rng.integers(0, 8, size=(n_vocab, 4)) * np.repeat([0.25, 0.5, 1.0], [4096, 4096, 123])[:, None]  # grows
    y = rng.integers(0, n_vocab, size=20)
    rows, _ = lm._row_losses(h, w, y, np.dtype(np.float64))
    assert ulps(rows, reference_rows(h, w, y)).max() <= 4


def test_float64_confident_rows_keep_their_tiny_loss(small_tiles):
    """A label whose logit leads by 40 has a loss of ~V·e^{−40}: log1p and the excluded maximum keep it."""
    rng = np.random.default_rng(4)
    h = np.eye(8)
    w = np.vstack([rng.integers(-16, 16, size=(11, 8)) / 8.0, 40.0 * np.eye(8)])  # exact logits
    y = 11 + np.arange(8)  # token 11 + n has logit 40 for row n, the others at most 2
    rows, _ = lm._row_losses(h, w, y, np.dtype(np.float64))
    expected = reference_rows(h, w, y)
    assert expected.max() < 1e-10
    assert ulps(rows, expected).max() <= 4


def test_float32_is_the_loss_of_the_float32_logits_rounded_once():
    rng = np.random.default_rng(5)
    h, w, y = problem(rng, 64, 16, 300, dtype=np.float32)
    loss = ct.linear_cross_entropy(h, w, y)
    assert loss.dtype == np.float32
    logits32 = (h @ w.T).astype(np.float64)  # float32 products, as torch computes them
    exact_of_those = ct.sparse_softmax_cross_entropy_with_logits(y, logits32).mean()
    # the tiles' products may round differently from one big product: ≤ a few float32 ulp of a logit each
    assert abs(float(loss) - exact_of_those) <= 4 * np.spacing(np.float32(exact_of_those))
    assert abs(float(loss) - reference_rows(h, w, y).mean()) < 1e-5  # and close to the float64 truth


# --- gradients ----------------------------------------------------------------------------------


def test_gradients_match_finite_differences(small_tiles):
    rng = np.random.default_rng(6)
    h, w, y = problem(rng, 7, 3, 9)
    y[2] = -100
    loss, d_h, d_w = ct.linear_cross_entropy_grad(h, w, y)
    assert float(loss) == float(ct.linear_cross_entropy(h, w, y))
    num_h = ct.numerical_gradient(lambda a: float(ct.linear_cross_entropy(a, w, y)), h)
    num_w = ct.numerical_gradient(lambda a: float(ct.linear_cross_entropy(h, a, y)), w)
    np.testing.assert_allclose(d_h, num_h, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(d_w, num_w, rtol=1e-6, atol=1e-9)
    assert np.all(d_h[2] == 0.0), "an ignored token gets no gradient"


@pytest.mark.parametrize("tiles", ["default", "small"])
def test_gradients_match_the_formula_on_the_full_logits(request, tiles):
    if tiles == "small":
        request.getfixturevalue("small_tiles")
    rng = np.random.default_rng(7)
    h, w, y = problem(rng, 30, 5, 17)
    y[[0, 9]] = -100
    _, d_h, d_w = ct.linear_cross_entropy_grad(h, w, y)
    kept = y != -100
    g = ct.softmax(h @ w.T)
    g[np.flatnonzero(kept), y[kept]] -= 1.0
    g[~kept] = 0.0
    g /= kept.sum()
    np.testing.assert_allclose(d_h, g @ w, rtol=1e-12, atol=1e-17)
    np.testing.assert_allclose(d_w, g.T @ h, rtol=1e-12, atol=1e-17)


def test_gradient_dtypes_and_shapes():
    rng = np.random.default_rng(8)
    h, w, y = problem(rng, 5, 4, 6, dtype=np.float32)
    loss, d_h, d_w = ct.linear_cross_entropy_grad(h, w, y)
    assert (loss.dtype, d_h.dtype, d_w.dtype) == (np.float32,) * 3
    assert d_h.shape == h.shape and d_w.shape == w.shape


# --- ignore_index -------------------------------------------------------------------------------


def test_ignored_tokens_leave_the_sum_and_the_denominator():
    rng = np.random.default_rng(9)
    h, w, y = problem(rng, 10, 3, 8)
    y[[1, 4, 5]] = -100
    kept = y != -100
    assert float(ct.linear_cross_entropy(h, w, y)) == float(ct.linear_cross_entropy(h[kept], w, y[kept]))
    assert abs(float(ct.linear_cross_entropy(h, w, y)) - reference_rows(h[kept], w, y[kept]).sum() / 7) < 1e-14


@pytest.mark.parametrize("ignore_index", [0, 8, -1])
def test_any_integer_can_be_the_ignored_value(ignore_index):
    rng = np.random.default_rng(10)
    h, w, y = problem(rng, 12, 3, 8)
    y[[0, 3]] = ignore_index
    kept = y != ignore_index
    got = ct.linear_cross_entropy(h, w, y, ignore_index=ignore_index)
    assert float(got) == float(ct.linear_cross_entropy(h[kept], w, y[kept], ignore_index=ignore_index))


def test_all_ignored_is_an_error_not_nan():
    h, w = np.ones((3, 2)), np.ones((4, 2))
    for f in (ct.linear_cross_entropy, ct.linear_cross_entropy_grad):
        with pytest.raises(ValueError, match="every label equals ignore_index = -100"):
            f(h, w, [-100, -100, -100])


# --- bad input: every message names the argument --------------------------------------------------

H, W, Y = np.ones((3, 2)), np.ones((4, 2)), np.array([0, 1, 3])
BAD_LINEAR = [
    (dict(hidden=np.ones(3)), ValueError, "hidden must be a 2-D array of shape \\(N, d\\)"),
    (dict(hidden=np.ones((0, 2)), labels=np.array([], dtype=int)), ValueError, "hidden must be a 2-D"),
    (dict(weight=np.ones((4, 2, 1))), ValueError, "weight must be a 2-D array of shape \\(V, d\\)"),
    (dict(weight=np.ones((4, 3))), ValueError, "hidden \\(N, d\\) and weight \\(V, d\\) must share d"),
    (dict(hidden=np.array([["a", "b"]] * 3)), TypeError, "hidden must be real numbers"),
    (dict(hidden=np.array([[1.0, np.nan]] * 3)), ValueError, "hidden contains NaN"),
    (dict(weight=np.array([[1.0, np.inf]] * 4)), ValueError, "weight contains inf"),
    (dict(labels=np.array([0.0, 1.0, 3.0])), TypeError, "labels must be integer token ids"),
    (dict(labels=np.array([[0, 1, 3]])), ValueError, "labels must have shape \\(N,\\) = \\(3,\\)"),
    (dict(labels=np.array([0, 4, 1])), ValueError, "labels contains 4 at index 1, outside the valid range \\[0, 4\\)"),
    (dict(labels=np.array([0, -1, 1])), ValueError, "labels contains -1 at index 1.*ignore_index = -100"),
    (dict(ignore_index=-100.0), TypeError, "ignore_index must be an integer"),
    (dict(ignore_index=True), TypeError, "ignore_index must be an integer"),
]


@pytest.mark.parametrize("kwargs, error, message", BAD_LINEAR)
@pytest.mark.parametrize("f", [ct.linear_cross_entropy, ct.linear_cross_entropy_grad])
def test_linear_bad_input(f, kwargs, error, message):
    args = dict(hidden=H, weight=W, labels=Y) | kwargs
    ignore = args.pop("ignore_index", -100)
    with pytest.raises(error, match=message):
        f(args["hidden"], args["weight"], args["labels"], ignore_index=ignore)


BAD_OTHERS = [
    (
        lambda: ct.distillation_loss([[1.0, 2.0]], [[1.0, 2.0]], temperature=0.0),
        ValueError,
        "temperature must be a finite number > 0",
    ),
    (lambda: ct.distillation_loss([[1.0, 2.0]], [[1.0, 2.0]], temperature=-1), ValueError, "temperature"),
    (
        lambda: ct.distillation_loss([[1.0, 2.0]], [[1.0, 2.0]], temperature=True),
        TypeError,
        "temperature must be a number",
    ),
    (
        lambda: ct.distillation_loss([[1.0, 2.0]], [[1.0, 2.0, 3.0]], temperature=1),
        ValueError,
        "student_logits and teacher_logits must have the same shape",
    ),
    (
        lambda: ct.distillation_loss([[1.0, np.nan]], [[1.0, 2.0]], temperature=1),
        ValueError,
        "student_logits contains NaN",
    ),
    (lambda: ct.distillation_loss(1.0, 2.0, temperature=1), ValueError, "student_logits must have a class axis"),
    (
        lambda: ct.info_nce(np.ones((2, 3)), np.ones((3, 3)), temperature=0.1),
        ValueError,
        "a and b must have the same shape",
    ),
    (
        lambda: ct.info_nce(np.array([[1.0, 0.0], [0.0, 0.0]]), np.eye(2), temperature=0.1),
        ValueError,
        "a has a row of zeros \\(row 1\\)",
    ),
    (
        lambda: ct.info_nce(np.eye(2), np.eye(2), temperature=np.nan),
        ValueError,
        "temperature must be a finite number > 0",
    ),
    (lambda: ct.info_nce(np.ones(3), np.ones(3), temperature=1.0), ValueError, "a must be a 2-D array"),
    (lambda: ct.z_loss([[1.0, np.inf]]), ValueError, "logits contains inf"),
    (lambda: ct.z_loss(3.0), ValueError, "logits must have a class axis"),
    (lambda: ct.softcap([1.0], 0.0), ValueError, "cap must be a finite number > 0"),
    (lambda: ct.softcap([1.0], np.inf), ValueError, "cap must be a finite number > 0"),
    (lambda: ct.softcap([1.0], "30"), TypeError, "cap must be a number"),
    (lambda: ct.softcap([np.nan], 30.0), ValueError, "logits contains NaN"),
    (lambda: ct.round_to_bfloat16(np.ones(2)), TypeError, "x must be a float32 or float16 array, got dtype float64"),
    (lambda: ct.round_to_bfloat16(np.ones(2, dtype=int)), TypeError, "x must be a float32 or float16 array"),
]


@pytest.mark.parametrize("call, error, message", BAD_OTHERS)
def test_other_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- memory: never the (N, V) logits ------------------------------------------------------------


def peak_bytes(f, *args):
    tracemalloc.start()
    try:
        f(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_is_far_below_the_logits():
    rng = np.random.default_rng(11)
    n, d, n_vocab = 1024, 16, 32768
    h, w, y = problem(rng, n, d, n_vocab, dtype=np.float32, scale=0.1)
    logits_bytes = n * n_vocab * 4  # 128 MiB
    forward = peak_bytes(ct.linear_cross_entropy, h, w, y)
    backward = peak_bytes(ct.linear_cross_entropy_grad, h, w, y)
    assert forward < 0.05 * logits_bytes, f"forward peak {forward / 2**20:.1f} MiB"
    assert backward < 0.08 * logits_bytes, f"gradient peak {backward / 2**20:.1f} MiB (its outputs are 2 MiB)"
    naive = peak_bytes(lambda: ct.sparse_softmax_cross_entropy_with_logits(y, h @ w.T).mean())
    assert naive >= logits_bytes, "the naive path does build the logits: the measurement can see them"


# --- distillation, InfoNCE, z-loss, soft-capping ---------------------------------------------------


def test_distillation_at_t1_is_the_kl_of_the_softmaxes():
    rng = np.random.default_rng(12)
    s, t = rng.normal(size=(5, 7)), rng.normal(size=(5, 7))
    np.testing.assert_allclose(
        ct.distillation_loss(s, t, temperature=1.0), ct.kl_divergence(ct.softmax(t), ct.softmax(s)), rtol=1e-12
    )


def test_distillation_is_t_squared_times_the_kl_of_softened_rows():
    rng = np.random.default_rng(13)
    s, t = rng.normal(size=(4, 6)), 3 * rng.normal(size=(4, 6))
    for temp in (0.5, 2.0, 7.0):
        kl = ct.kl_divergence(ct.softmax(t / temp), ct.softmax(s / temp))
        np.testing.assert_allclose(ct.distillation_loss(s, t, temperature=temp), temp**2 * kl, rtol=1e-12)


def test_distillation_gradient_is_t_times_q_minus_p():
    rng = np.random.default_rng(14)
    s, t = rng.normal(size=(1, 5)), rng.normal(size=(1, 5))
    temp = 3.0
    num = ct.numerical_gradient(lambda a: float(ct.distillation_loss(a, t, temperature=temp)[0]), s)
    np.testing.assert_allclose(num, temp * (ct.softmax(s / temp) - ct.softmax(t / temp)), rtol=1e-6, atol=1e-10)


def test_distillation_edge_cases():
    assert ct.distillation_loss([[3.0, -1.0, 0.5]], [[3.0, -1.0, 0.5]], temperature=2.0).tolist() == [0.0]
    # a class the teacher rules out adds nothing, even where the student is also -inf
    got = ct.distillation_loss([[0.0, 0.0, -np.inf]], [[0.0, 0.0, -np.inf]], temperature=1.0)
    assert got.tolist() == [0.0]
    assert ct.distillation_loss([[0.0, -np.inf]], [[0.0, 0.0]], temperature=1.0).tolist() == [np.inf]
    rng = np.random.default_rng(15)
    assert (ct.distillation_loss(rng.normal(size=(50, 4)), rng.normal(size=(50, 4)), temperature=5.0) >= 0).all()
    assert (
        ct.distillation_loss(np.zeros((2, 3), np.float32), np.ones((2, 3), np.float32), temperature=2).dtype
        == np.float32
    )


def test_info_nce_is_the_mean_of_row_and_column_cross_entropies():
    rng = np.random.default_rng(16)
    a, b = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    an = a / np.linalg.norm(a, axis=1, keepdims=True)
    bn = b / np.linalg.norm(b, axis=1, keepdims=True)
    x = an @ bn.T / 0.1
    rows = -np.diag(ct.log_softmax(x, axis=1)).mean()
    cols = -np.diag(ct.log_softmax(x, axis=0)).mean()
    assert abs(float(ct.info_nce(a, b, temperature=0.1)) - (rows + cols) / 2) < 1e-13
    assert float(ct.info_nce(a, b, temperature=0.1)) == float(ct.info_nce(b, a, temperature=0.1))
    assert float(ct.info_nce(5 * a, 0.1 * b, temperature=0.1)) == pytest.approx(
        float(ct.info_nce(a, b, temperature=0.1)), rel=1e-13
    )


def test_info_nce_at_chance_is_ln_n_and_aligned_pairs_give_zero():
    rng = np.random.default_rng(17)
    n = 256
    a, b = rng.normal(size=(n, 512)), rng.normal(size=(n, 512))
    assert abs(float(ct.info_nce(a, b, temperature=1.0)) - np.log(n)) < 0.01
    assert float(ct.info_nce(a, a, temperature=0.01)) < 1e-30


def test_z_loss_and_softcap():
    rng = np.random.default_rng(18)
    x = rng.normal(size=(3, 5))
    np.testing.assert_allclose(ct.z_loss(x), ct.logsumexp(x) ** 2, rtol=1e-15)
    assert ct.z_loss(np.float32([[1e4, 0.0]])).dtype == np.float32
    capped = ct.softcap(np.array([-np.inf, -1e6, -0.01, 0.0, 0.01, 1e6, np.inf]), 30.0)
    assert capped.tolist()[:2] == [-30.0, -30.0] and capped.tolist()[-2:] == [30.0, 30.0]
    small = np.linspace(-0.3, 0.3, 7)
    series = small - small**3 / (3 * 30.0**2) + 2 * small**5 / (15 * 30.0**4)  # tanh(u) = u − u³/3 + 2u⁵/15 − …
    np.testing.assert_allclose(ct.softcap(small, 30.0), series, rtol=1e-13)
    assert ct.softcap(np.float16([5.0]), 30.0).dtype == np.float16


# --- bfloat16 -----------------------------------------------------------------------------------


def test_bfloat16_rounding_ties_to_even_and_keeps_specials():
    one = np.float32(1.0)
    step = np.float32(2.0**-7)  # bfloat16's ulp at 1
    x = np.array([one + step / 2, one + 3 * step / 2, one + step / 2 + 2.0**-20, -(one + step / 2)], dtype=np.float32)
    assert ct.round_to_bfloat16(x).tolist() == [1.0, 1.0 + 2 * step, 1.0 + step, -1.0]
    specials = np.array([np.inf, -np.inf, 0.0, -0.0, np.finfo(np.float32).max], dtype=np.float32)
    got = ct.round_to_bfloat16(specials)
    assert got[:4].tolist() == [np.inf, -np.inf, 0.0, 0.0] and np.signbit(got[3])
    assert got[4] == np.inf, "above bfloat16's largest value, round to nearest gives inf"
    assert np.isnan(ct.round_to_bfloat16(np.array([np.nan, -np.nan], dtype=np.float32))).all()


def test_bfloat16_rounding_is_the_nearest_of_its_two_neighbours():
    rng = np.random.default_rng(19)
    x = rng.normal(scale=100.0, size=10_000).astype(np.float32)
    r = ct.round_to_bfloat16(x)
    assert np.all(r.view(np.uint32) & 0xFFFF == 0), "the low 16 bits are zero: r is a bfloat16"
    down = (x.view(np.uint32) & 0xFFFF0000).view(np.float32)  # truncation toward zero
    up = ((x.view(np.uint32) & 0xFFFF0000) + 0x10000).view(np.float32)
    err = np.abs(r.astype(np.float64) - x)
    assert np.all(err <= np.minimum(np.abs(down.astype(np.float64) - x), np.abs(up.astype(np.float64) - x)))
    assert np.array_equal(ct.round_to_bfloat16(r), r), "rounding twice changes nothing"
    assert ct.round_to_bfloat16(np.float16([1.5])).dtype == np.float32

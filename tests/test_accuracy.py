"""Accuracy against an arbitrary-precision reference (mpmath, see tests/mp_reference.py).

The contract: over grids with |x| up to 1e4, labels z ∈ [0, 1] (including 0.001 and 0.999),
pos_weight > 0, soft labels, rows with large gaps and sparse labels at the argmax, every result in the
normal range is within 4 ulp (float64) or 1 ulp (float32) of the exact value.

* "Exact value" is the exact function of the exact input: a float32 test feeds float32 numbers and
  compares with the true result for those very numbers (input rounding is not the function's fault).
* "Normal range": |reference| ≥ np.finfo(dtype).tiny. Smaller (subnormal or zero) references are left
  out of the ulp statistic; the result must then be finite, of the right sign and within ``tiny`` of
  the truth.
* logsumexp is held to the ulp bound only where the problem is well-conditioned (condition number ≤ 2,
  see ``mp_reference.logsumexp_condition``); near a result of 0 with logits that are not near 0 the last
  digits are lost in every implementation, as its docstring says, and a looser absolute bound applies.

The grids follow numerics.md §3.1, scaled down to keep the file fast. Each test prints its maximum ulp
per input family: ``pytest -rP tests/test_accuracy.py`` shows them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import mp_reference as ref
import numpy as np
import pytest

import ce_teach as ct

DTYPES = [pytest.param(np.float64, id="float64"), pytest.param(np.float32, id="float32")]
MAX_ULP = {np.dtype(np.float64): 4.0, np.dtype(np.float32): 1.0}

LABELS = [0.0, 1.0, 0.5, 0.1, 0.999, 0.001]
WEIGHTED = [(q, z) for q in (3.0, 0.2) for z in (1.0, 0.0, 0.001, 0.999)]
GAPS = [0.5, 16.0, 36.0, 37.0, 100.0, 700.0, 1e4]


# --- the grids ------------------------------------------------------------------------------------


@functools.cache
def elementwise_grid(dtype) -> np.ndarray:
    """About 1 400 logits: 0, ±logspace(−300, 4), dense [−50, 50], coarse [−800, 800], random [−40, 40],
    ±1e4, and 11-point clusters around the places where naive formulas break (exp over/underflow in
    float64 and float32, 1 + e^-x rounding to 1, torch's softplus threshold 20)."""
    rng = np.random.default_rng(2024)
    parts = [
        [0.0, 1e4, -1e4, 9999.5, -9999.5],
        np.logspace(-300, 4, 120),
        -np.logspace(-300, 4, 120),
        np.linspace(-50, 50, 401),
        np.linspace(-800, 800, 161),
        rng.uniform(-40, 40, 300),
    ]
    for centre in (709.78, 745.1, 36.7, 37.0, 18.0, 19.0, 20.0, 33.3, 16.6, 87.3, 88.7, 103.9, 1e-8):
        half_width = min(0.5, centre / 2)
        cluster = np.linspace(centre - half_width, centre + half_width, 11)
        parts += [cluster, -cluster]
    return np.unique(np.concatenate(parts).astype(dtype))


@functools.cache
def row_families(dtype) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Families of logit rows, each as (logits (rows, C), random integer labels, soft labels)."""
    rng = np.random.default_rng(7)
    logits = {
        "N(0,1) n=10": rng.normal(0, 1, (60, 10)),
        "N(0,30) n=10": rng.normal(0, 30, (60, 10)),
    }
    for n in (2, 10, 1000):  # one dominant logit, the runner-up exactly `gap` below it
        rows = []
        for gap in GAPS:
            for top in (0.0, 5.3, -71.2, 1234.5):
                row = top - gap - rng.uniform(0, 2, n)
                first, second = rng.choice(n, 2, replace=False)
                row[first], row[second] = top, top - gap
                rows.append(row)
        logits[f"gap n={n}"] = np.array(rows)
    near = []
    for centre in (0.0, 1.0, 1e4, -1e4):
        for step in (1e-12, 1e-6, 0.0):  # step 0: exact ties
            near.append(centre + step * rng.permutation(10))
    logits["near-equal n=10"] = np.array(near)
    logits["uniform(±1e4) n=10"] = rng.uniform(-1e4, 1e4, (30, 10))
    logits["vocab N(0,3) n=1000"] = rng.normal(0, 3, (10, 1000))
    with_inf = rng.normal(0, 5, (20, 10))
    for i, row in enumerate(with_inf):
        row[rng.choice(10, 1 + i % 9, replace=False)] = -np.inf  # 1 to 9 of the 10 entries
    logits["with -inf n=10"] = with_inf
    for n in (2, 3, 10):  # logsumexp ≈ 0 while the logits are not: ill-conditioned for logsumexp only
        logits[f"log-probabilities n={n}"] = np.log(rng.dirichlet(np.ones(n), 10))

    families = {}
    for name, x in logits.items():
        x = x.astype(dtype)
        n_rows, n = x.shape
        labels = rng.integers(0, n, n_rows)
        soft = np.empty(x.shape)
        for i in range(n_rows):
            if i % 3 == 0:  # one-hot
                soft[i] = np.eye(n)[rng.integers(n)]
            elif i % 3 == 1:  # smoothed one-hot at the argmax, label_smoothing = 0.1
                soft[i] = 0.9 * np.eye(n)[np.argmax(x[i])] + 0.1 / n
            else:
                soft[i] = rng.dirichlet(np.full(n, 0.5))
            dead = np.isneginf(x[i])
            if dead.any():  # no label mass on a class of probability 0 (that loss is +inf, tested below)
                soft[i, dead] = 0.0
                soft[i] = soft[i] / soft[i].sum() if soft[i].sum() > 0 else np.eye(n)[np.argmax(x[i])]
        families[name] = (x, labels, soft.astype(dtype))
    return families


# --- scoring --------------------------------------------------------------------------------------


def show_row(row: np.ndarray) -> str:
    return np.array2string(np.asarray(row, dtype=np.float64), precision=17, threshold=12, max_line_width=200)


def check(name: str, dtype, groups: dict[str, tuple[np.ndarray, list, Callable[[int], str]]]) -> None:
    """Assert the accuracy contract for several groups of results and print the max ulp of each.

    ``groups`` maps a family name to (computed results, their mpmath references, describe(i) naming the
    input of result i). References of magnitude ≥ tiny (and infinite ones) are scored in ulps; smaller
    ones must be matched by a finite result of the same sign within ``tiny``.
    """
    dtype = np.dtype(dtype)
    tiny, limit = np.finfo(dtype).tiny, MAX_ULP[dtype]
    lines, failures = [], []
    for family, (computed, refs, describe) in groups.items():
        assert computed.dtype == dtype, f"{name}: {dtype} input gave a {computed.dtype} result"
        computed = computed.ravel()
        assert computed.size == len(refs)
        errors = ref.ulp_errors(computed, refs, dtype)
        scored = np.array([ref.mp.isinf(r) or abs(r) >= tiny for r in refs])
        worst = int(np.argmax(np.where(scored, errors, -1.0))) if scored.any() else None
        if worst is not None:
            lines.append(f"  {family:<28} max {errors[worst]:6.3f} ulp  ({scored.sum()} scored)  at {describe(worst)}")
            if errors[worst] > limit:
                bad = np.flatnonzero(scored & (errors > limit))
                failures.append(
                    f"{family}: {bad.size} results above {limit} ulp, worst {errors[worst]:.3g} ulp at "
                    f"{describe(worst)}: got {computed[worst]!r}, exact {ref.mp.nstr(refs[worst], 20)}"
                )
        for i in np.flatnonzero(~scored):  # subnormal or zero reference
            c, r = float(computed[i]), refs[i]
            if not (np.isfinite(c) and c * r >= 0 and abs(ref.mpf(c) - r) <= tiny):
                failures.append(
                    f"{family}: below the normal range at {describe(i)}: got {c!r}, exact {ref.mp.nstr(r, 20)}"
                )
    print(f"{name} [{dtype}], limit {limit} ulp:\n" + "\n".join(lines))
    assert not failures, f"{name} [{dtype}] is less accurate than {limit} ulp:\n" + "\n".join(failures[:10])


def per_element(x: np.ndarray) -> Callable[[int], str]:
    return lambda i: f"x={float(x.flat[i])!r}"


def per_row(x: np.ndarray, extra: Callable[[int], str] = lambda r: "") -> Callable[[int], str]:
    return lambda r: f"row {r} {show_row(x[r])}{extra(r)}"


def per_row_element(x: np.ndarray) -> Callable[[int], str]:
    n = x.shape[1]
    return lambda i: f"row {i // n} {show_row(x[i // n])}, j={i % n}"


# --- elementwise: the sigmoid family --------------------------------------------------------------

ELEMENTWISE = {
    "sigmoid": (ct.sigmoid, ref.sigmoid),
    "log_sigmoid": (ct.log_sigmoid, ref.log_sigmoid),
    "softplus": (ct.softplus, ref.softplus),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_activation(name, dtype):
    function, reference = ELEMENTWISE[name]
    x = elementwise_grid(dtype)
    check(name, dtype, {"grid": (function(x), [reference(v) for v in x], per_element(x))})


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("z", LABELS, ids=lambda z: f"z={z}")
def test_sigmoid_cross_entropy_with_logits(z, dtype):
    x = elementwise_grid(dtype)
    labels = np.full(x.shape, z, dtype=dtype)
    loss = ct.sigmoid_cross_entropy_with_logits(labels, x)
    references = [ref.bce(zi, xi) for zi, xi in zip(labels, x, strict=True)]
    check(f"sigmoid_cross_entropy_with_logits z={z}", dtype, {"grid": (loss, references, per_element(x))})


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("q", "z"), WEIGHTED, ids=[f"q={q}-z={z}" for q, z in WEIGHTED])
def test_weighted_cross_entropy_with_logits(q, z, dtype):
    x = elementwise_grid(dtype)
    labels = np.full(x.shape, z, dtype=dtype)
    weight = dtype(q)  # q in the logits' dtype: the result stays float32 and the reference sees the same rounded q
    loss = ct.weighted_cross_entropy_with_logits(labels, x, pos_weight=weight)
    references = [ref.weighted_bce(zi, xi, weight) for zi, xi in zip(labels, x, strict=True)]
    check(f"weighted_cross_entropy_with_logits q={q} z={z}", dtype, {"grid": (loss, references, per_element(x))})


# --- rows: the softmax family ---------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_logsumexp(dtype):
    groups, conditioning = {}, {}
    for family, (x, _, _) in row_families(dtype).items():
        computed = ct.logsumexp(x)
        references = [ref.logsumexp(row) for row in x]
        # Condition number |Σ S_k x_k| / |lse|: a relative change δ of the logits moves the result by about
        # cond·δ relatively. Rows with cond > 2 (e.g. log-probabilities, whose lse is ≈ 0) cannot keep every
        # digit in floating point; they are checked below against an absolute bound instead.
        cond = np.array([ref.logsumexp_condition(row) if np.isfinite(row).any() else 0.0 for row in x])
        good = cond <= 2
        if good.any():
            rows = np.flatnonzero(good)
            groups[family] = (
                computed[good],
                [references[r] for r in rows],
                lambda i, x=x, rows=rows: show_row(x[rows[i]]),
            )
        for r in np.flatnonzero(~good):
            conditioning[(family, r)] = (x[r], computed[r], references[r])
    check("logsumexp (condition number ≤ 2)", dtype, groups)

    assert conditioning, "the grid should contain ill-conditioned rows"
    limit = MAX_ULP[np.dtype(dtype)]
    for (family, r), (row, computed, reference) in conditioning.items():
        # Digits may be lost only in the final addition m + log1p(S) (m = the row max): the error must stay
        # within the ulp limit of |m| plus that of the result, even when that is many ulps of a result near 0.
        m = np.max(row)
        unit = ref.mpf(np.spacing(np.abs(m))) + ref.mpf(np.spacing(np.abs(ref.nearest(reference, dtype))))
        error = abs(ref.mpf(computed) - reference) / unit
        assert error <= limit, (
            f"logsumexp of {family} row {r} {show_row(row)}: error {ref.mp.nstr(error, 3)} × (ulp(max) + ulp(result)), "
            f"limit {limit}: got {computed!r}, exact {ref.mp.nstr(reference, 20)}"
        )


@pytest.mark.parametrize("dtype", DTYPES)
def test_log_softmax(dtype):
    groups = {}
    for family, (x, _, _) in row_families(dtype).items():
        references = [v for row in x for v in ref.log_softmax(row)]
        groups[family] = (ct.log_softmax(x), references, per_row_element(x))
    check("log_softmax", dtype, groups)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax(dtype):
    groups = {}
    for family, (x, _, _) in row_families(dtype).items():
        references = [v for row in x for v in ref.softmax(row)]
        groups[family] = (ct.softmax(x), references, per_row_element(x))
    check("softmax", dtype, groups)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_cross_entropy_with_logits(dtype):
    groups = {}
    for family, (x, _, y) in row_families(dtype).items():
        references = [ref.softmax_cross_entropy(labels, row) for labels, row in zip(y, x, strict=True)]
        loss = ct.softmax_cross_entropy_with_logits(y, x)
        groups[family] = (loss, references, per_row(x, lambda r, y=y: f", y={show_row(y[r])}"))
    check("softmax_cross_entropy_with_logits (soft labels)", dtype, groups)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("which", ["argmax", "random"])
def test_sparse_softmax_cross_entropy_with_logits(which, dtype):
    """At the argmax is the confident-correct regime of late training: the loss is log1p(S), often tiny."""
    groups = {}
    for family, (x, random_labels, _) in row_families(dtype).items():
        labels = np.argmax(x, axis=1) if which == "argmax" else random_labels
        references = [ref.sparse_softmax_cross_entropy(k, row) for k, row in zip(labels, x, strict=True)]
        loss = ct.sparse_softmax_cross_entropy_with_logits(labels, x)
        groups[family] = (loss, references, per_row(x, lambda r, labels=labels: f", label {labels[r]}"))
    check(f"sparse_softmax_cross_entropy_with_logits (label = {which})", dtype, groups)


# --- information theory: KL divergence where p and q are far apart ---------------------------------

KL_CASES = [  # (p, q): log(p/q) must not go through (p − q)/q, which rounds to −1 for p ≪ q and overflows for q ≪ p
    ([1.0, 1e-20], [0.5, 0.5]),
    ([0.5, 0.5], [1.0, 5e-324]),
    ([0.9, 0.1], [0.1, 0.9]),
    ([1.0, 0.0], [0.0, 1.0]),
]


@pytest.mark.parametrize(("p", "q"), KL_CASES)
def test_kl_divergence(p, q):
    kl = ct.kl_divergence(p, q)
    assert ref.ulp_error(kl, ref.kl_divergence(p, q), np.float64) <= 4, f"D_KL({p}‖{q}) = {float(kl)!r}"


# --- special values: exact answers, no NaN, no warnings -------------------------------------------
# pytest runs with filterwarnings = error, so any RuntimeWarning (overflow, invalid) fails these tests.


def assert_exact(computed, expected, dtype, what):
    expected = np.asarray(expected, dtype=dtype)
    assert computed.dtype == np.dtype(dtype), f"{what}: {computed.dtype} result for {np.dtype(dtype)} input"
    assert np.array_equal(computed, expected), f"{what}: got {computed.tolist()}, exact {expected.tolist()}"


@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_losses_at_infinite_logits(dtype):
    x = np.array([np.inf, -np.inf, np.inf, -np.inf, np.inf, -np.inf, np.inf, -np.inf], dtype=dtype)
    z = np.array([1.0, 0.0, 0.0, 1.0, 0.5, 0.5, 0.001, 0.999], dtype=dtype)
    exact = [0.0, 0.0, np.inf, np.inf, np.inf, np.inf, np.inf, np.inf]  # loss(+∞, 1) = loss(−∞, 0) = 0
    assert [float(ref.bce(zi, xi)) for zi, xi in zip(z, x, strict=True)] == exact
    assert_exact(ct.sigmoid_cross_entropy_with_logits(z, x), exact, dtype, "sigmoid_cross_entropy_with_logits")
    for q in (3.0, 0.2):
        assert [float(ref.weighted_bce(zi, xi, q)) for zi, xi in zip(z, x, strict=True)] == exact
        loss = ct.weighted_cross_entropy_with_logits(z, x, pos_weight=dtype(q))
        assert_exact(loss, exact, dtype, f"weighted_cross_entropy_with_logits q={q}")


@pytest.mark.parametrize("dtype", DTYPES)
def test_activations_at_infinity(dtype):
    x = np.array([np.inf, -np.inf], dtype=dtype)
    assert_exact(ct.sigmoid(x), [1.0, 0.0], dtype, "sigmoid")
    assert_exact(ct.log_sigmoid(x), [0.0, -np.inf], dtype, "log_sigmoid")
    assert_exact(ct.softplus(x), [np.inf, 0.0], dtype, "softplus")


@pytest.mark.parametrize("dtype", DTYPES)
def test_rows_with_minus_inf(dtype):
    inf = np.inf
    assert_exact(
        ct.logsumexp(np.array([[-inf, -inf], [-inf, 0.0], [2.0, -inf]], dtype=dtype)),
        [-inf, 0.0, 2.0],
        dtype,
        "logsumexp",
    )
    x = np.array([[-inf, 0.0], [3.0, -inf]], dtype=dtype)
    assert_exact(ct.log_softmax(x), [[-inf, 0.0], [0.0, -inf]], dtype, "log_softmax")
    assert_exact(ct.softmax(x), [[0.0, 1.0], [1.0, 0.0]], dtype, "softmax")
    assert_exact(ct.sparse_softmax_cross_entropy_with_logits([1, 1], x), [0.0, inf], dtype, "sparse CE")
    y = np.array([[0.0, 1.0], [0.5, 0.5]], dtype=dtype)  # no mass on -inf / some mass on -inf
    assert_exact(ct.softmax_cross_entropy_with_logits(y, x), [0.0, inf], dtype, "softmax CE")


EXTREME = {  # logits of the largest magnitudes whose losses (≤ (1 + q)·|x|) are still finite in the dtype
    np.float64: [1e300, -1e300, 1.7e308, -1.7e308, 5e-324, -5e-324, 2.2250738585072014e-308],
    np.float32: [1e38, -1e38, 3.4e38, -3.4e38, 1e-45, -1e-45, 1.1754944e-38],
}


@pytest.mark.parametrize("dtype", DTYPES)
def test_no_nan_or_warning_for_extreme_finite_logits(dtype):
    """Finite logits and valid labels give finite, non-negative, accurate losses and no RuntimeWarning."""
    x = np.array(EXTREME[dtype], dtype=dtype)
    for z in (0.0, 0.001, 0.5, 0.999, 1.0):
        labels = np.full(x.shape, z, dtype=dtype)
        references = [ref.bce(zi, xi) for zi, xi in zip(labels, x, strict=True)]
        check(
            f"sigmoid_cross_entropy_with_logits z={z}",
            dtype,
            {"extremes": (ct.sigmoid_cross_entropy_with_logits(labels, x), references, per_element(x))},
        )
        moderate = np.abs(x) <= np.finfo(dtype).max / 4  # (q·z + 1 − z)·|x| must stay finite too
        for q in (3.0, 0.2):
            loss = ct.weighted_cross_entropy_with_logits(labels[moderate], x[moderate], pos_weight=dtype(q))
            references = [ref.weighted_bce(zi, xi, q) for zi, xi in zip(labels[moderate], x[moderate], strict=True)]
            check(
                f"weighted_cross_entropy_with_logits q={q} z={z}",
                dtype,
                {"extremes": (loss, references, per_element(x[moderate]))},
            )
    for name, (function, reference) in ELEMENTWISE.items():
        check(name, dtype, {"extremes": (function(x), [reference(v) for v in x], per_element(x))})


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_no_warning_for_rows_of_extreme_finite_logits(dtype):
    """Softmax [1, 0] and logsumexp = max are representable even when x − max overflows to −inf."""
    big = np.finfo(dtype).max
    x = np.array([[big, -big], [-big, big]], dtype=dtype)
    assert_exact(ct.softmax(x), [[1.0, 0.0], [0.0, 1.0]], dtype, "softmax")
    assert_exact(ct.logsumexp(x), [big, big], dtype, "logsumexp")


# --- wide soft labels: label smoothing and near-uniform targets, up to 10⁴ classes -------------------------
# Every class carries label mass here, so the loss is a sum of C terms of one sign: a plain sum of
# y_j·(−log S_j) drifted to 5 ulp on 1 000 label-smoothed classes. Every soft-label path is held to the contract:
# the TensorFlow-named loss, Keras' categorical (label_smoothing s: y·(1 − s) + s/C) and binary (y·(1 − s) + s/2)
# cross-entropies, and PyTorch-style class weights with label smoothing.

WIDE_SIZES = {100: 6, 1000: 3, 10_000: 1}  # classes: logit rows per scale
WIDE_SCALES = (1.0, 3.0, 30.0)
SMOOTHING = (0.1, 0.5)


@functools.cache
def wide_rows(dtype) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """name → (logits (rows, C), soft labels (rows, C)): each logit row once with each kind of target."""
    rng = np.random.default_rng(14)
    families = {}
    for n, count in WIDE_SIZES.items():
        x = np.concatenate([rng.normal(0, scale, (count, n)) for scale in WIDE_SCALES]).astype(dtype)
        rows, labels = [], []
        for row in x:
            targets = {
                "smoothed 0.1 at argmax": 0.9 * np.eye(n)[np.argmax(row)] + 0.1 / n,
                "smoothed 0.1 at random": 0.9 * np.eye(n)[rng.integers(n)] + 0.1 / n,
                "smoothed 0.5 at random": 0.5 * np.eye(n)[rng.integers(n)] + 0.5 / n,
                "uniform": np.full(n, 1.0 / n),
                "Dirichlet(100)": rng.dirichlet(np.full(n, 100.0)),
                "Dirichlet(0.5)": rng.dirichlet(np.full(n, 0.5)),
            }
            for target in targets.values():
                rows.append(row)
                labels.append(target)
        families[f"n={n}"] = (np.array(rows), np.array(labels).astype(dtype))
    for n in (1000, 4000):  # structured rows, where the plain sum's rounding errors pile up: 5.8 ulp before
        x, y = [], []
        for row in (np.zeros(n), 5.0 * np.eye(n)[0], 30.0 * np.eye(n)[3]):
            for eps, at in ((0.1, 0), (0.3, n // 2), (0.1, n // 2)):
                x.append(row)
                y.append((1 - eps) * np.eye(n)[at] + eps / n)
        families[f"structured n={n}"] = (np.array(x).astype(dtype), np.array(y).astype(dtype))
    return families


def distinct_rows(x: np.ndarray) -> np.ndarray:
    """Each logit row of a wide family once (a family repeats each row with several targets)."""
    return x[np.r_[True, np.any(x[1:] != x[:-1], axis=1)]]


def _describe(x, y):
    return lambda r: f"row {r} (C={x.shape[1]}, max |x| {float(np.abs(x[r]).max()):.3g}), labels {show_row(y[r])}"


@pytest.mark.parametrize("dtype", DTYPES)
def test_wide_soft_label_cross_entropy(dtype):
    groups = {}
    for family, (x, y) in wide_rows(dtype).items():
        references = [ref.softmax_cross_entropy(labels, row) for labels, row in zip(y, x, strict=True)]
        groups[family] = (ct.softmax_cross_entropy_with_logits(y, x), references, _describe(x, y))
    check("softmax_cross_entropy_with_logits (wide soft labels)", dtype, groups)


@pytest.mark.parametrize("dtype", DTYPES)
def test_wide_rows_log_softmax_and_logsumexp(dtype):
    log_softmax, lse = {}, {}
    for family, (x, _) in wide_rows(dtype).items():
        x = distinct_rows(x)
        log_softmax[family] = (ct.log_softmax(x), [v for row in x for v in ref.log_softmax(row)], per_row_element(x))
        lse[family] = (ct.logsumexp(x), [ref.logsumexp(row) for row in x], per_row(x))
    check("log_softmax (wide rows)", dtype, log_softmax)
    check("logsumexp (wide rows)", dtype, lse)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("s", SMOOTHING, ids=lambda s: f"s={s}")
def test_keras_categorical_crossentropy_label_smoothing(s, dtype):
    """Keras smooths the one-hot y_true to y·(1 − s) + s/C; the reference uses that exact target."""
    groups = {}
    for family, (x, _) in wide_rows(dtype).items():
        x = distinct_rows(x)
        rng = np.random.default_rng(len(family))
        one_hot = np.eye(x.shape[1], dtype=dtype)[rng.integers(0, x.shape[1], x.shape[0])]
        loss = ct.categorical_crossentropy(one_hot, x, from_logits=True, label_smoothing=s)
        s_exact = ref.mpf(s)
        references = [
            ref.softmax_cross_entropy([ref.mpf(v) * (1 - s_exact) + s_exact / x.shape[1] for v in labels], row)
            for labels, row in zip(one_hot, x, strict=True)
        ]
        groups[family] = (loss, references, per_row(x))
    check(f"categorical_crossentropy(from_logits=True, label_smoothing={s})", dtype, groups)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("s", SMOOTHING, ids=lambda s: f"s={s}")
def test_class_weighted_cross_entropy_label_smoothing(s, dtype):
    """PyTorch's CrossEntropyLoss(weight, label_smoothing): (1 − s)·w_y·ℓ_y + (s/C)·Σ_c w_c·ℓ_c per example."""
    groups = {}
    for family, (x, _) in wide_rows(dtype).items():
        x = distinct_rows(x)
        n = x.shape[1]
        rng = np.random.default_rng(n)
        weights = rng.uniform(0.1, 3.0, n)
        labels = rng.integers(0, n, x.shape[0])
        loss = ct.class_weighted_sparse_cross_entropy(
            labels, x, class_weight=weights, label_smoothing=s, reduction="none"
        )
        s_exact = ref.mpf(s)
        references = []
        for label, row in zip(labels, x, strict=True):
            neg_log = [-v for v in ref.log_softmax(row)]
            smooth = ref.mp.fsum(ref.mpf(w) * v for w, v in zip(weights, neg_log, strict=True))
            references.append((1 - s_exact) * ref.mpf(weights[label]) * neg_log[label] + s_exact / n * smooth)
        groups[family] = (loss, references, per_row(x))
    check(f"class_weighted_sparse_cross_entropy(label_smoothing={s})", dtype, groups)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("from_logits", [True, False], ids=["logits", "probabilities"])
@pytest.mark.parametrize("s", (0.0, 0.1), ids=lambda s: f"s={s}")
def test_keras_binary_crossentropy_label_smoothing(s, from_logits, dtype):
    """Mean over the last axis of the binary loss with z·(1 − s) + s/2; probabilities are clipped to [ε, 1 − ε]."""
    x = elementwise_grid(dtype)
    x = x[: x.size // 4 * 4].reshape(-1, 4)
    rng = np.random.default_rng(3)
    z = rng.choice(np.array(LABELS, dtype=dtype), x.shape)
    s_exact = ref.mpf(s)
    if from_logits:
        y_pred = x
        per_element = lambda zi, xi: _bce_smoothed(zi, xi, s_exact)  # noqa: E731
    else:
        y_pred = ct.sigmoid(x)  # probabilities of the dtype (exact inputs for the reference)
        lo, hi = (float(v) for v in _keras_clip(np.dtype(dtype)))
        per_element = lambda zi, pi: _bce_probability(zi, min(max(float(pi), lo), hi), s_exact)  # noqa: E731
    loss = ct.binary_crossentropy(z, y_pred, from_logits=from_logits, label_smoothing=s)
    references = [
        ref.mp.fsum(per_element(zi, pi) for zi, pi in zip(zr, pr, strict=True)) / 4
        for zr, pr in zip(z, y_pred, strict=True)
    ]
    check(
        f"binary_crossentropy(from_logits={from_logits}, label_smoothing={s})",
        dtype,
        {"grid": (loss, references, per_row(np.asarray(y_pred, dtype=np.float64)))},
    )


def _keras_clip(dtype):
    from ce_teach import keras

    return keras._clip_bounds(dtype)


def _bce_smoothed(z, x, s):
    zs = ref.mpf(z) * (1 - s) + s / 2
    return ref._times(zs, ref.softplus(-float(x))) + ref._times(1 - zs, ref.softplus(float(x)))


def _bce_probability(z, p, s):
    zs = ref.mpf(z) * (1 - s) + s / 2
    p = ref.mpf(p)
    return -(ref._times(zs, ref.mp.log(p)) + ref._times(1 - zs, ref.mp.log1p(-p)))

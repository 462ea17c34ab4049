"""ce_teach/sampling.py: the log-uniform proposal, candidate sampling, sampled softmax and NCE.

The statistical tests use seeded generators and compare a Monte Carlo mean with its target within 4 standard
errors of that mean: wide enough to be robust to the seed, narrow enough that a missing correction (or an
accidental hit counted twice) fails by many standard errors.
"""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import sampling

# --- the proposal and the sampler -----------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 7, 1000, 50_000])
def test_log_uniform_probabilities_are_a_decreasing_distribution(n):
    q = sampling.log_uniform_probabilities(n)
    c = np.arange(n)
    np.testing.assert_allclose(q, np.log((c + 2) / (c + 1)) / np.log(n + 1), rtol=1e-10)  # the naive form, ≈
    assert q.sum() == pytest.approx(1.0, rel=1e-13) and np.all(np.diff(q) < 0)


def test_log_uniform_probabilities_keep_the_digits_of_rare_classes():
    mpmath = pytest.importorskip("mpmath", reason="mpmath is the high-precision reference")
    n = 50_000
    q = sampling.log_uniform_probabilities(n)
    with mpmath.workdps(40):
        for c in (0, 1, 999, 49_999):
            exact = mpmath.log(mpmath.mpf(c + 2) / (c + 1)) / mpmath.log(n + 1)
            assert abs(q[c] - float(exact)) <= 2 * np.spacing(q[c])


@pytest.mark.parametrize("n", [0, -3, 2.5, True, "10"])
def test_log_uniform_probabilities_reject_bad_sizes(n):
    error = ValueError if isinstance(n, int) and not isinstance(n, bool) else TypeError
    with pytest.raises(error, match="num_classes must be an integer ≥ 1"):
        sampling.log_uniform_probabilities(n)


def test_draws_follow_the_log_uniform_probabilities():
    n, draws = 20, 200_000
    cand = sampling.sample_candidates(np.random.default_rng(0), draws, n, unique=False)
    frequency = np.bincount(cand.ids, minlength=n) / draws
    q = sampling.log_uniform_probabilities(n)
    assert np.all(np.abs(frequency - q) < 4 * np.sqrt(q * (1 - q) / draws))
    assert cand.num_tries == draws and cand.ids.min() >= 0 and cand.ids.max() < n


def test_unique_sampling_is_draw_until_k_distinct():
    """The same stream of uniforms, consumed one at a time by the textbook loop, gives the same sample."""
    n, k = 1000, 40
    cand = sampling.sample_candidates(np.random.default_rng(3), k, n)
    rng = np.random.default_rng(3)
    seen, tries = [], 0
    while len(seen) < k:
        c = min(int(np.floor(np.exp(rng.random() * np.log1p(n)))) - 1, n - 1)
        tries += 1
        if c not in seen:
            seen.append(c)
    np.testing.assert_array_equal(cand.ids, seen)
    assert cand.num_tries == tries > k and cand.unique


def test_unique_sampling_can_take_every_class():
    cand = sampling.sample_candidates(np.random.default_rng(1), 30, 30)
    np.testing.assert_array_equal(np.sort(cand.ids), np.arange(30))


def test_expected_counts_are_tensorflows():
    rng = np.random.default_rng(2)
    n, k = 500, 25
    q = sampling.log_uniform_probabilities(n)
    with_replacement = sampling.sample_candidates(rng, k, n, unique=False)
    np.testing.assert_allclose(with_replacement.expected_count([0, 7, 499]), k * q[[0, 7, 499]], rtol=1e-14)
    unique = sampling.sample_candidates(rng, k, n)
    assert unique.num_tries > k
    np.testing.assert_allclose(
        unique.expected_count(unique.ids), 1 - (1 - q[unique.ids]) ** unique.num_tries, rtol=1e-12
    )
    assert np.all(unique.expected_count(np.arange(n)) < 1)  # an inclusion probability


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((None, 3, 10), {}, TypeError, "rng must be a numpy.random.Generator"),
        ((0, 3, 10), {}, TypeError, "rng must be a numpy.random.Generator"),
        (("rng", 0, 10), {}, ValueError, "num_sampled must be an integer ≥ 1"),
        (("rng", 3, 0), {}, ValueError, "num_classes must be an integer ≥ 1"),
        (("rng", 11, 10), {}, ValueError, "num_sampled = 11 distinct classes cannot be drawn out of num_classes = 10"),
        (("rng", 3, 10), {"unique": 1}, TypeError, "unique must be True or False"),
    ],
)
def test_sample_candidates_rejects_bad_input(args, kwargs, error, match):
    args = tuple(np.random.default_rng(0) if a == "rng" else a for a in args)
    with pytest.raises(error, match=match):
        sampling.sample_candidates(*args, **kwargs)


def test_expected_count_rejects_classes_out_of_range():
    cand = sampling.sample_candidates(np.random.default_rng(0), 3, 10)
    with pytest.raises(ValueError, match="classes contains 10"):
        cand.expected_count([0, 10])


# --- a small model to sample from ---------------------------------------------------------------


def small_model(seed=0, n=200, batch=8):
    """Logits of a batch over n Zipf-ish classes, and labels drawn from the model's own softmax."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 1.0, (batch, n)) - np.log(np.arange(1, n + 1))
    labels = np.argmax(logits + rng.gumbel(size=logits.shape), axis=1)
    return logits, labels


def estimate(logits, labels, cand, **kwargs):
    return sampling.sampled_softmax_cross_entropy(
        labels, logits[np.arange(labels.size), labels], cand.ids, logits[:, cand.ids], **kwargs
    )


def test_sampled_softmax_is_the_candidate_formula():
    rng = np.random.default_rng(5)
    logits, labels = small_model(5)
    cand = sampling.sample_candidates(rng, 30, logits.shape[1], unique=False)
    t, s = logits[np.arange(8), labels], logits[:, cand.ids]
    a, b = rng.normal(size=8), rng.normal(size=30)
    hit = cand.ids[None, :] == labels[:, None]
    assert hit.any(), "the test needs an accidental hit"
    for remove in (True, False):
        kept = np.where(hit & remove, 0.0, np.exp(s - b))
        expected = np.log(np.exp(t - a) + kept.sum(axis=1)) - (t - a)
        got = estimate(logits, labels, cand, true_log_q=a, sampled_log_q=b, remove_accidental_hits=remove)
        np.testing.assert_allclose(got, expected, rtol=1e-13)


def test_every_class_sampled_without_correction_is_the_exact_loss():
    logits, labels = small_model(1, n=60)
    cand = sampling.sample_candidates(np.random.default_rng(1), 60, 60)  # all 60 classes
    exact = ct.sparse_softmax_cross_entropy_with_logits(labels, logits)
    np.testing.assert_allclose(estimate(logits, labels, cand), exact, rtol=1e-13)


def test_with_k_towards_v_and_the_log_q_correction_the_estimate_tends_to_the_exact_loss():
    """Unique sampling of all V classes: Ẑ − Z = Σ_{c≠y} e^{x_c}(1/π_c − 1), so 0 ≤ estimate − exact ≤ log(1/min π)."""
    logits, labels = small_model(2, n=60)
    exact = ct.sparse_softmax_cross_entropy_with_logits(labels, logits)
    errors = []
    for k in (15, 30, 60):
        cand = sampling.sample_candidates(np.random.default_rng(k), k, 60)
        got = estimate(logits, labels, cand, sampled_log_q=np.log(cand.expected_count(cand.ids)))
        errors.append(np.abs(got - exact).mean())
        if k == 60:
            inclusion = cand.expected_count(np.arange(60))
            assert np.all(got - exact >= -1e-13) and np.all(got - exact <= np.log(1 / inclusion.min()))
    assert errors[2] < errors[1] < errors[0] and errors[2] < 1e-2


def normaliser_estimates(logits, labels, k, reps, seed, **kwargs):
    """Ẑ/Z for every example and draw: exp(estimate + x_y − log Z), shape (reps, B)."""
    rng = np.random.default_rng(seed)
    t = logits[np.arange(labels.size), labels]
    log_z = ct.logsumexp(logits)
    out = []
    for _ in range(reps):
        cand = sampling.sample_candidates(rng, k, logits.shape[1], unique=False)
        est = estimate(logits, labels, cand, sampled_log_q=np.log(cand.expected_count(cand.ids)), **kwargs)
        out.append(np.exp(est + t - log_z))
    return np.array(out)


def test_corrected_normaliser_estimate_is_unbiased():
    logits, labels = small_model(3)
    ratio = normaliser_estimates(logits, labels, k=20, reps=3000, seed=3)  # E[Ẑ/Z] = 1
    mean, se = ratio.mean(axis=0), ratio.std(axis=0, ddof=1) / np.sqrt(ratio.shape[0])
    assert np.all(np.abs(mean - 1) < 4 * se)


def test_accidental_hits_kept_count_the_label_twice():
    logits, labels = small_model(4)
    p_label = ct.softmax(logits)[np.arange(8), labels]
    ratio = normaliser_estimates(logits, labels, k=20, reps=3000, seed=4, remove_accidental_hits=False)
    mean, se = ratio.mean(axis=0), ratio.std(axis=0, ddof=1) / np.sqrt(ratio.shape[0])
    assert np.all(np.abs(mean - (1 + p_label)) < 4 * se)  # E[Ẑ] = Z + e^{x_y}
    assert np.any(np.abs(mean - 1) > 10 * se)


def test_corrected_loss_estimate_is_low_by_about_var_over_2z2():
    """Jensen: E[log Ẑ] < log Z, by Var(Ẑ)/(2Z²) to second order (large k)."""
    logits, labels = small_model(6)
    p = ct.softmax(logits)
    q = sampling.log_uniform_probabilities(200)
    k, reps = 50, 3000
    p_y = p[np.arange(8), labels]
    predicted = -((p**2 / q).sum(axis=1) - p_y**2 / q[labels] - (1 - p_y) ** 2) / (2 * k)
    errors = np.log(normaliser_estimates(logits, labels, k=k, reps=reps, seed=6)).mean(axis=1)  # batch mean, per draw
    mean, se = errors.mean(), errors.std(ddof=1) / np.sqrt(reps)
    assert predicted.mean() < -8 * se, "the bias must be large enough to be seen"
    assert abs(mean - predicted.mean()) < 4 * se + 0.15 * abs(predicted.mean())  # a second-order prediction


def test_without_correction_the_estimate_drifts_with_k():
    logits, labels = small_model(7)
    exact = ct.sparse_softmax_cross_entropy_with_logits(labels, logits).mean()
    rng = np.random.default_rng(7)
    means = []
    for k in (5, 50, 2000):
        values = [
            estimate(logits, labels, sampling.sample_candidates(rng, k, 200, unique=False)).mean() for _ in range(50)
        ]
        means.append(np.mean(values) - exact)
    assert means[0] < -0.5 and means[2] > 0.5 and means[0] < means[1] < means[2]


def test_a_row_whose_samples_are_all_hits_costs_zero():
    loss = sampling.sampled_softmax_cross_entropy([3, 1], [0.5, 0.5], [3, 3], [[9.0, 9.0], [9.0, 9.0]])
    assert loss[0] == 0.0 and loss[1] == pytest.approx(np.log1p(2 * np.exp(8.5)), rel=1e-14)


def test_sampled_softmax_ignores_a_shift_of_every_logit():
    logits, labels = small_model(8)
    cand = sampling.sample_candidates(np.random.default_rng(8), 40, 200)
    lq = np.log(cand.expected_count(cand.ids))
    np.testing.assert_allclose(
        estimate(logits + 7.0, labels, cand, sampled_log_q=lq),
        estimate(logits, labels, cand, sampled_log_q=lq),
        rtol=1e-13,
    )


# --- NCE ------------------------------------------------------------------------------------------


def test_nce_is_tensorflows_sum_of_sigmoid_losses():
    rng = np.random.default_rng(9)
    logits, labels = small_model(9)
    cand = sampling.sample_candidates(rng, 25, 200, unique=False)
    a, b = np.log(cand.expected_count(labels)), np.log(cand.expected_count(cand.ids))
    t, s = logits[np.arange(8), labels], logits[:, cand.ids]
    columns = np.concatenate([(t - a)[:, None], s - b], axis=1)
    targets = np.concatenate([np.ones((8, 1)), np.zeros((8, 25))], axis=1)
    expected = ct.sigmoid_cross_entropy_with_logits(targets, columns).sum(axis=1)
    got = sampling.nce_loss(labels, t, cand.ids, s, true_log_q=a, sampled_log_q=b)
    np.testing.assert_allclose(got, expected, rtol=1e-13)
    naive = -np.log(ct.sigmoid(t - a)) - np.log(1 - ct.sigmoid(s - b)).sum(axis=1)
    np.testing.assert_allclose(got, naive, rtol=1e-10)


def test_nce_drops_accidental_hits_when_asked_and_never_overflows():
    kw = dict(true_log_q=0.0, sampled_log_q=0.0)
    kept = sampling.nce_loss([2], [0.0], [2, 5], [[0.0, 800.0]], **kw)
    dropped = sampling.nce_loss([2], [0.0], [2, 5], [[0.0, 800.0]], remove_accidental_hits=True, **kw)
    assert kept[0] == pytest.approx(2 * np.log(2) + 800.0, rel=1e-15) and dropped[0] == pytest.approx(np.log(2) + 800)
    assert np.isfinite(sampling.nce_loss([0], [-800.0], [1], [[800.0]], **kw)).all()


def test_the_nce_loss_averages_to_its_expectation():
    logits, _ = small_model(10, n=50, batch=1)
    p = ct.softmax(logits)[0]
    q = sampling.log_uniform_probabilities(50)
    x, k, reps = logits[0] - 0.7, 5, 8_000
    rng = np.random.default_rng(10)
    labels = rng.choice(50, size=reps, p=p)
    values = np.empty(reps)
    for r in range(reps):
        cand = sampling.sample_candidates(rng, k, 50, unique=False)
        values[r] = sampling.nce_loss(
            labels[r : r + 1],
            x[labels[r : r + 1]],
            cand.ids,
            x[None, cand.ids],
            true_log_q=np.log(k * q[labels[r]]),
            sampled_log_q=np.log(k * q[cand.ids]),
        )[0]
    expected = float(sampling.nce_expected_loss(x, p, k, q))
    assert abs(values.mean() - expected) < 4 * values.std(ddof=1) / np.sqrt(reps)


@pytest.mark.parametrize("k", [1, 10, 100])
def test_the_expected_nce_loss_is_smallest_at_the_normalised_model(k):
    logits, _ = small_model(11, n=100, batch=1)
    p = ct.softmax(logits[0])
    q = sampling.log_uniform_probabilities(100)
    log_p = np.log(p)
    slope = ct.numerical_gradient(lambda c: float(sampling.nce_expected_loss(log_p + c[0], p, k, q)), np.zeros(1))
    assert abs(slope[0]) < 1e-8
    at_optimum = float(sampling.nce_expected_loss(log_p, p, k, q))
    for c in (-1.0, -0.01, 0.01, 1.0):
        assert float(sampling.nce_expected_loss(log_p + c, p, k, q)) > at_optimum
    # every logit free, not only a shift: the gradient vanishes at log p
    grad = ct.numerical_gradient(lambda x: float(sampling.nce_expected_loss(x, p, k, q)), log_p)
    np.testing.assert_allclose(grad, 0.0, atol=1e-8)


# --- input validation ---------------------------------------------------------------------------


GOOD = dict(labels=[0, 1], true_logits=[0.0, 1.0], sampled=[2, 3, 4], sampled_logits=np.zeros((2, 3)))


@pytest.mark.parametrize("function", [sampling.sampled_softmax_cross_entropy, sampling.nce_loss])
@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        (dict(labels=[0.0, 1.0]), TypeError, "labels must be integer class ids"),
        (dict(sampled=[2.0, 3.0, 4.0]), TypeError, "sampled must be integer class ids"),
        (dict(labels=[[0, 1]]), ValueError, "labels must be 1-D"),
        (dict(sampled=[-1, 3, 4]), ValueError, "sampled must be class ids ≥ 0"),
        (dict(true_logits=[0.0]), ValueError, r"true_logits must have the shape of labels"),
        (dict(sampled_logits=np.zeros((3, 2))), ValueError, r"sampled_logits must have shape \(B, k\) = \(2, 3\)"),
        (dict(true_logits=[0.0, np.nan]), ValueError, "true_logits contains NaN"),
        (dict(sampled_logits=np.full((2, 3), np.inf)), ValueError, "sampled_logits contains inf"),
        (dict(sampled_log_q=np.zeros(4)), ValueError, r"sampled_log_q of shape \(4,\) does not broadcast"),
        (dict(true_log_q=[0.0, -np.inf]), ValueError, "true_log_q contains -inf"),
        (dict(remove_accidental_hits=0), TypeError, "remove_accidental_hits must be True or False"),
    ],
)
def test_candidate_losses_reject_bad_input(function, change, error, match):
    args = dict(GOOD, true_log_q=np.zeros(2), sampled_log_q=np.zeros(3))
    args.update(change)
    with pytest.raises(error, match=match):
        function(**args)


def test_nce_needs_the_corrections():
    with pytest.raises(ValueError, match="nce_loss needs true_log_q and sampled_log_q"):
        sampling.nce_loss(**GOOD, true_log_q=None, sampled_log_q=np.zeros(3))


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        (dict(num_sampled=0), ValueError, "num_sampled must be an integer ≥ 1"),
        (dict(data_probs=[0.5, 0.6, 0.0]), ValueError, "data_probs must sum to 1"),
        (dict(proposal=[0.5, 0.5]), ValueError, r"proposal must have shape \(V,\) = \(3,\)"),
        (dict(proposal=[1.0, 0.0, 0.0]), ValueError, "proposal must be > 0"),
        (dict(proposal=[0.5, 0.25, 0.5]), ValueError, "proposal must sum to 1"),
        (dict(logits=[0.0, np.inf, 0.0]), ValueError, "logits contains inf"),
        (dict(logits=[0.0, 0.0]), ValueError, "same shape"),
    ],
)
def test_nce_expected_loss_rejects_bad_input(change, error, match):
    args = dict(logits=[0.0, 0.0, 0.0], data_probs=[0.5, 0.5, 0.0], num_sampled=2, proposal=[0.5, 0.25, 0.25])
    args.update(change)
    with pytest.raises(error, match=match):
        sampling.nce_expected_loss(**args)

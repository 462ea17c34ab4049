"""ce_teach.fitting: discretised normals and mixtures, and the forward/reverse KL fit of one normal."""

import numpy as np
import pytest

import ce_teach as ct
from ce_teach.fitting import NormalFit, NormalFitter, fit_normal, mixture_on_grid, normal_on_grid

GRID = np.linspace(-8.0, 8.0, 400)
STEP = GRID[1] - GRID[0]


@pytest.fixture(scope="module")
def fitter():
    return NormalFitter(GRID)


def moments(p):
    mean = np.sum(p * GRID)
    return mean, np.sqrt(np.sum(p * (GRID - mean) ** 2))


# --- normal_on_grid and mixture_on_grid -----------------------------------------------------------


def test_normal_is_the_density_times_the_step_well_inside_the_grid():
    density = np.exp(-0.5 * ((GRID - 1.3) / 0.9) ** 2) / (0.9 * np.sqrt(2 * np.pi))
    np.testing.assert_allclose(normal_on_grid(GRID, 1.3, 0.9) / STEP, density, rtol=1e-12, atol=0)


def test_normal_sums_to_one_and_has_the_right_moments():
    q = normal_on_grid(GRID, -0.5, 1.0)
    assert abs(q.sum() - 1) < 1e-15
    # the grid cuts the tails 7.5σ and 8.5σ out, mass about 3e-14: the moments shift by about that much
    np.testing.assert_allclose(moments(q), [-0.5, 1.0], rtol=1e-11)


def test_narrow_normal_off_the_grid_is_still_a_distribution():
    # exp(−(x − μ)²/(2σ²)) underflows to 0 at every grid point: normalising naively would give 0/0
    q = normal_on_grid(GRID, 20.0, 0.05)
    assert np.isfinite(q).all() and abs(q.sum() - 1) < 1e-15 and q[-1] == 1.0


def test_normal_broadcasts_mean_and_std():
    q = normal_on_grid(GRID, np.array([[-1.0], [0.0], [2.0]]), np.array([0.5, 1.0]))
    assert q.shape == (3, 2, GRID.size)
    np.testing.assert_array_equal(q[2, 1], normal_on_grid(GRID, 2.0, 1.0))


def test_mixture_is_the_weighted_sum_of_its_components():
    p = mixture_on_grid(GRID, [-3.0, 3.0], [0.8, 1.2], [0.4, 0.6])
    expected = 0.4 * normal_on_grid(GRID, -3.0, 0.8) + 0.6 * normal_on_grid(GRID, 3.0, 1.2)
    np.testing.assert_allclose(p, expected, rtol=1e-15, atol=0)
    assert abs(p.sum() - 1) < 1e-15


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        (np.array([0.0, 1.0, 3.0]), "evenly spaced"),
        (np.linspace(1, -1, 5), "evenly spaced and increasing"),
        (np.zeros((2, 3)), "1-D array of at least 3 points"),
        (np.array([0.0, 1.0]), "at least 3 points"),
        (np.array([0.0, np.nan, 2.0]), "NaN"),
    ],
)
def test_bad_grid_is_refused(grid, match):
    with pytest.raises(ValueError, match=match):
        normal_on_grid(grid, 0.0, 1.0)


@pytest.mark.parametrize(
    ("mean", "std", "match"),
    [
        (0.0, 0.0, "std must be > 0"),
        (0.0, -1.0, "std must be > 0"),
        (np.nan, 1.0, "mean contains NaN"),
        (0.0, np.inf, "std contains"),
    ],
)
def test_bad_parameters_are_refused(mean, std, match):
    with pytest.raises(ValueError, match=match):
        normal_on_grid(GRID, mean, std)


def test_parameters_that_do_not_broadcast_are_refused():
    with pytest.raises(ValueError, match=r"mean\(2,\) and std\(3,\) do not broadcast"):
        normal_on_grid(GRID, [0.0, 1.0], [1.0, 2.0, 3.0])


def test_bad_mixture_is_refused():
    with pytest.raises(ValueError, match="weights must sum to 1"):
        mixture_on_grid(GRID, [-1.0, 1.0], [1.0, 1.0], [0.5, 0.6])
    with pytest.raises(ValueError, match="same length"):
        mixture_on_grid(GRID, [-1.0, 1.0], [1.0, 1.0], [1.0])


# --- the fits -------------------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_a_normal_target_is_recovered_in_both_directions(fitter, direction):
    rng = np.random.default_rng(1)
    for mean, std in zip(rng.uniform(-4, 4, 5), rng.uniform(0.2, 2.0, 5), strict=True):
        fit = fitter.fit(normal_on_grid(GRID, mean, std), direction)
        assert abs(fit.mean - mean) < 1e-6 and abs(fit.std - std) < 1e-6 * std
        assert 0 <= fit.divergence < 1e-12 or abs(fit.divergence) < 1e-15


def test_forward_fit_matches_the_targets_moments(fitter):
    rng = np.random.default_rng(2)
    for _ in range(5):
        means, stds = rng.uniform(-3, 3, 3), rng.uniform(0.3, 1.5, 3)
        p = mixture_on_grid(GRID, means, stds, rng.dirichlet(np.ones(3)))
        fit = fitter.fit(p, "forward")
        np.testing.assert_allclose(moments(normal_on_grid(GRID, fit.mean, fit.std)), moments(p), rtol=1e-6)


def test_reverse_fit_seeks_the_heavier_mode_and_forward_covers_both(fitter):
    p = mixture_on_grid(GRID, [-3.0, 3.0], [0.8, 0.8], [0.4, 0.6])
    forward, reverse = fitter.fit(p, "forward"), fitter.fit(p, "reverse")
    assert abs(reverse.mean - 3.0) < 0.01 and abs(reverse.std - 0.8) < 0.01
    assert forward.std > 3.0 and -3.0 < forward.mean < 3.0
    # q = the right bump gives D(q‖p) ≤ −ln 0.6 because p ≥ 0.6·q there; the minimum is at most that
    assert reverse.divergence <= fitter.divergence(p, 3.0, 0.8, "reverse") <= -np.log(0.6)
    mirrored = fitter.fit(p[::-1], "reverse")  # weights swapped: the heavier bump is now on the left
    assert abs(mirrored.mean + 3.0) < 0.01


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_fit_is_no_worse_than_any_candidate_of_the_coarse_table(fitter, direction):
    p = mixture_on_grid(GRID, [-2.0, 1.0, 4.0], [0.5, 1.0, 0.7], [0.3, 0.3, 0.4])
    fit = fitter.fit(p, direction)
    table = fitter.divergence(p, fitter.means[:, None], fitter.stds[None, :], direction)
    assert table.shape == (fitter.means.size, fitter.stds.size)
    assert fit.divergence <= table.min()
    nudged = fitter.divergence(
        p, fit.mean + np.array([-1e-4, 1e-4, 0, 0]), fit.std + np.array([0, 0, -1e-4, 1e-4]), direction
    )
    assert np.all(nudged > fit.divergence)


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_divergence_agrees_with_kl_divergence(fitter, direction):
    p = mixture_on_grid(GRID, [-2.0, 2.0], [1.0, 0.5], [0.5, 0.5])
    q = normal_on_grid(GRID, 0.7, 1.9)
    expected = ct.kl_divergence(p, q) if direction == "forward" else ct.kl_divergence(q, p)
    np.testing.assert_allclose(fitter.divergence(p, 0.7, 1.9, direction), expected, rtol=1e-12)


def test_fit_returns_a_normal_fit_and_fit_normal_agrees(fitter):
    p = mixture_on_grid(GRID, [-1.0, 2.0], [1.0, 1.0], [0.5, 0.5])
    fit = fitter.fit(p, "reverse")
    assert isinstance(fit, NormalFit) and fit.direction == "reverse"
    assert fit_normal(p, GRID, "reverse") == fit


def test_target_with_zeros(fitter):
    """Where p = 0, D(q‖p) = ∞ for any q with mass there; only q whose tails underflow to 0 stay finite."""
    box = np.where(np.abs(GRID) < 2, 1.0, 0.0)
    box /= box.sum()
    assert np.isfinite(fitter.fit(box, "forward").divergence)
    assert fitter.divergence(box, 0.0, 3.0, "reverse") == np.inf
    with pytest.raises(ValueError, match="D\\(q‖p\\) is infinite for every normal q in the search"):
        fitter.fit(box, "reverse")  # every normal of the coarse table has mass beyond ±2
    wide = np.where(np.abs(GRID) < 6, normal_on_grid(GRID, 0.0, 1.0), 0.0)
    wide /= wide.sum()
    forward, reverse = fitter.fit(wide, "forward"), fitter.fit(wide, "reverse")
    assert np.isfinite(forward.divergence) and np.isfinite(reverse.divergence)
    assert reverse.std < 0.2 < 0.9 < forward.std  # only a narrow q is 0 (underflowed) beyond ±6


def test_bad_fit_input_is_refused(fitter):
    p = normal_on_grid(GRID, 0.0, 1.0)
    with pytest.raises(ValueError, match="direction must be 'forward'"):
        fitter.fit(p, "backward")
    with pytest.raises(ValueError, match=r"p must have the grid's shape \(400,\)"):
        fitter.fit(p[:-1], "forward")
    with pytest.raises(ValueError, match="p must sum to 1"):
        fitter.fit(2 * p, "forward")
    with pytest.raises(ValueError, match="n_means must be an integer ≥ 3"):
        NormalFitter(GRID, n_means=2)
    with pytest.raises(TypeError, match="rounds must be an integer ≥ 0"):
        NormalFitter(GRID, rounds=1.5)


def test_nearly_tied_basins_are_both_refined(fitter):
    """Weights 0.45/0.55 at separation 4.25: a wide q in the middle and a narrow q on the right bump have
    nearly the same D(q‖p). Refining only the coarse table's best entry picked the worse basin (by 0.003
    nats); refining each of its lowest local minima agrees with a search on a 4× finer table."""
    p = mixture_on_grid(GRID, [-2.125, 2.125], [0.8, 0.8], [0.45, 0.55])
    fine = NormalFitter(GRID, n_means=129, n_stds=65).fit(p, "reverse")
    fit = fitter.fit(p, "reverse")
    assert abs(fit.mean - fine.mean) < 1e-5 and abs(fit.std - fine.std) < 1e-5
    assert fit.divergence <= fine.divergence + 1e-12

"""Sentences of notebook 02 that were corrected (issues 12 and 13), each held to a computation.

- Exercise 4's answer once said the reverse KL against a test text "would not notice" a zero, as if it
  were usable; it is +∞ as soon as the model gives mass to any word absent from the test text.
- The separation-8 forward fit (μ = 1.58, sd = 5.65 against the target's mean 0.8 and sd 4.0) was
  explained as a parameter "a little larger" than the grid sd; the cause is the grid's cut-off.
- σ meant a standard deviation and x a grid point in the forward/reverse part; σ is the sigmoid and x
  the logits everywhere else (and δ, the small constant inside a log, is not the float example's step).
- The floating-point small print after Gibbs' inequality sat in the main path.
"""

import math
from pathlib import Path

import numpy as np

import ce_teach as ct

SOURCE = (Path(__file__).resolve().parents[1] / "notebooks" / "src" / "02_kl_divergence.py").read_text()
MAIN, DEEPER = SOURCE.split("# ## Going deeper", 1)
GRID = np.linspace(-8.0, 8.0, 400)


def test_reverse_kl_against_a_test_text_is_infinite_for_a_model_that_covers_every_word():
    p_test = np.array([3, 1, 1, 1, 1, 0]) / 7  # one word of the vocabulary is absent from the test text
    q = np.array([4, 2, 1, 1, 1, 1]) / 10  # a model that gives every word some probability
    assert np.isfinite(ct.kl_divergence(p_test, q))
    assert ct.kl_divergence(q, p_test) == np.inf
    assert "would not\n# notice" not in SOURCE and "would not notice" not in SOURCE
    assert "is no\n# better" in MAIN or "is no better" in MAIN


def normal_cdf(u, mean, sd):
    return 0.5 * (1 + math.erf((u - mean) / (sd * math.sqrt(2))))


def test_the_separation_8_fit_matches_the_moments_of_the_target_on_the_grid():
    target = ct.fitting.mixture_on_grid(GRID, [-4.0, 4.0], [0.8, 0.8], [0.4, 0.6])
    fit = ct.fitting.NormalFitter(GRID).fit(target, "forward")
    assert np.round([fit.mean, fit.std], 2).tolist() == [1.58, 5.65]
    q = ct.fitting.normal_on_grid(GRID, fit.mean, fit.std)
    mean_q = np.sum(q * GRID)
    sd_q = np.sqrt(np.sum(q * (GRID - mean_q) ** 2))
    np.testing.assert_allclose([mean_q, sd_q], [0.8, 4.0], atol=1e-5)
    # untruncated, the same parameters would have mean 1.58 and sd 5.65: the grid's cut-off is the cause
    below, above = normal_cdf(-8.0, fit.mean, fit.std), 1 - normal_cdf(8.0, fit.mean, fit.std)
    assert round(below, 3) == 0.045 and round(above, 3) == 0.128 and above > below
    assert "a little larger" not in SOURCE


def test_sigma_and_x_keep_their_one_meaning_in_02():
    assert "σ" not in SOURCE and "\\sigma" not in SOURCE, "σ is the sigmoid; write a standard deviation as sd"
    assert "x_i" not in DEEPER.split("### Why")[1] and "t_i" in DEEPER, "the grid point is t, not x"
    assert "\\delta" not in SOURCE, "δ is the small constant inside a log; the float example's step is η"


def test_the_small_print_and_the_pytorch_detour_are_in_going_deeper():
    for heading in ("### Small print", "### A tiny divergence", "### PyTorch", "### Why:"):
        assert heading in DEEPER and heading not in MAIN


def test_the_pointwise_terms_are_drawn_for_both_directions_in_the_main_path():
    assert "plotting.draw_pointwise_kl(" in MAIN

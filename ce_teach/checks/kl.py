"""Exercise for notebook 02: the KL divergence between two normal distributions, in closed form.

The learner derives D(N(μ1, sd1²) ‖ N(μ2, sd2²)) by hand and writes it as a function. The checker does
not use the closed form: its reference is the integral ∫ p(u)·ln(p(u)/q(u)) du computed numerically, so
the exercise is checked against the definition itself.
"""

from __future__ import annotations

import numpy as np

from .exercise import Exercise

__all__ = ["kl_normals_nats", "kl_normals_numerically"]


def kl_normals_numerically(mu1, sd1, mu2, sd2, *, points: int = 20_001, width: float = 40.0) -> np.ndarray:
    """D(N(mu1, sd1²) ‖ N(mu2, sd2²)) in nats by the trapezoid rule on mu1 ± width·sd1 (elementwise).

    Formula: ∫ p(u)·(ln p(u) − ln q(u)) du with ln p − ln q = ln(sd2/sd1) − (u−mu1)²/(2sd1²) + (u−mu2)²/(2sd2²).
    Shapes: the four arguments broadcast together; the result has their broadcast shape.
    Stability: the log-ratio is written out (no log of a density that underflows to 0), and the
    integrand decays like a normal density, so the trapezoid rule converges faster than any power of
    the step; 20 001 points over ±40 sd1 give about 13 correct digits.

    >>> round(float(kl_normals_numerically(0.0, 1.0, 1.0, 1.0)), 12)
    0.5
    """
    mu1, sd1, mu2, sd2 = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (mu1, sd1, mu2, sd2)))
    if np.any(~np.isfinite(sd1)) or np.any(sd1 <= 0) or np.any(~np.isfinite(sd2)) or np.any(sd2 <= 0):
        raise ValueError("sd1 and sd2 must be positive, finite standard deviations")
    t = np.linspace(-width, width, points)  # u = mu1 + t·sd1
    u = mu1[..., None] + t * sd1[..., None]
    density = np.exp(-0.5 * t**2) / (np.sqrt(2 * np.pi) * sd1[..., None])
    log_ratio = np.log(sd2 / sd1)[..., None] - 0.5 * t**2 + 0.5 * ((u - mu2[..., None]) / sd2[..., None]) ** 2
    return np.trapezoid(density * log_ratio, u, axis=-1)


def _closed(mu1, sd1, mu2, sd2, *, log_term=1.0, half=0.5, denominator=2.0, mean_term=True):
    """Variants of the closed form, for recognising typical slips."""
    mean = (mu1 - mu2) ** 2 if mean_term else 0.0
    return log_term * np.log(sd2 / sd1) + (sd1**2 + mean) / (denominator * sd2**2) - half


def _slip(got, expected, args):
    mu1, sd1, mu2, sd2 = (np.asarray(a, dtype=float) for a in args)
    variants = {
        "you computed D(q‖p): the first normal (mu1, sd1) is the target p, the distribution the average "
        "is taken over. Swap the roles back.": _closed(mu2, sd2, mu1, sd1),
        "the constant −½ is missing: it comes from E_p[(u − μ1)²]/(2·sd1²) = ½.": _closed(mu1, sd1, mu2, sd2, half=0.0),
        "the log term is ln(sd2/sd1), not ln(sd2²/sd1²): the normalising constants hold sd, not the variance.": _closed(
            mu1, sd1, mu2, sd2, log_term=2.0
        ),
        "the log term is ln(sd2/sd1), with the model's sd on top: ln q's normaliser −ln sd2 enters with a minus "
        "sign in ln p − ln q.": _closed(mu1, sd1, mu2, sd2, log_term=-1.0),
        "divide (sd1² + (μ1 − μ2)²) by 2·sd2², not by sd2²: the factor ½ of the exponent is missing.": _closed(
            mu1, sd1, mu2, sd2, denominator=1.0
        ),
        "the (μ1 − μ2)² term is missing: E_p[(u − μ2)²] = sd1² + (μ1 − μ2)², the variance plus the squared "
        "shift of the mean.": _closed(mu1, sd1, mu2, sd2, mean_term=False),
        "your answer is in bits; the exercise asks for nats (natural log).": _closed(mu1, sd1, mu2, sd2) / np.log(2),
    }
    for hint, value in variants.items():
        if (
            np.shape(got) == np.shape(value)
            and np.allclose(got, value, rtol=1e-9, atol=1e-12)
            and not np.allclose(expected, value, rtol=1e-9, atol=1e-12)
        ):
            return hint
    return None


kl_normals_nats = Exercise(
    "D_KL(N(μ1, sd1²) ‖ N(μ2, sd2²)) in nats",
    reference=kl_normals_numerically,
    cases=[  # the first case tells every slip in _slip apart; then special cases and an array case
        (1.0, 0.5, -1.0, 2.0),
        (2.0, 3.0, 0.0, 1.0),
        (0.0, 1.0, 1.0, 1.0),
        (0.0, 1.0, 0.0, 2.0),
        (0.0, 1.0, 0.0, 1.0),
        (np.array([0.0, -1.5, 4.0]), np.array([1.0, 0.2, 2.5]), np.array([0.5, 0.0, 4.0]), np.array([1.0, 0.3, 0.5])),
    ],
    diagnoses=[_slip],
    rtol=1e-9,
    hint=(
        "D = E_p[ln p(u) − ln q(u)] with ln p(u) = −ln(sd1·√(2π)) − (u − μ1)²/(2·sd1²): take the expectation "
        "term by term, using E_p[(u − μ1)²] = sd1² and E_p[(u − μ2)²] = sd1² + (μ1 − μ2)². Use np.log so the "
        "function also works on arrays."
    ),
)

"""Transfer exercise for notebook 03: why the log score rewards honesty.

A forecaster believes the chance of rain is ``p`` and may report any of the probabilities in ``reports``.
She is scored by the log loss of her report: −ln q if it rains, −ln(1 − q) if not. The learner writes
``best_report(p, reports)``: the report with the lowest *expected* loss under her belief,
−p·ln q − (1 − p)·ln(1 − q) = H((p, 1 − p), (q, 1 − q)). Honesty wins: the expected loss is
H(p) + D_KL(p‖q), smallest at q = p, and among the allowed reports at the one closest to p *in KL*,
which is not always the closest in |q − p|.
"""

from __future__ import annotations

import numpy as np

from .exercise import Exercise

__all__ = ["best_report"]


def _expected_losses(p, reports):
    """−p·ln q − (1 − p)·ln(1 − q) for every report q, with 0·ln 0 = 0."""
    p, q = float(p), np.asarray(reports, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):  # the 0·ln 0 terms are replaced by 0
        rain = np.where(p > 0, -p * np.log(q), 0.0)
        dry = np.where(p < 1, -(1 - p) * np.log1p(-q), 0.0)
    return rain + dry


def _best_report(p, reports):
    return float(np.asarray(reports, dtype=float)[np.argmin(_expected_losses(p, reports))])


_CASES = [
    (0.3, np.linspace(0.0, 1.0, 11)),  # the belief is on the grid: report it
    (0.1, np.array([0.02, 0.2, 0.9])),  # nearest in |q − p| is 0.02; lowest expected loss is 0.2
    (0.0, np.array([0.5, 0.1, 0.0, 1.0])),  # sure it stays dry: report 0 (0·ln 0 = 0, not nan)
    (1.0, np.array([0.5, 0.9, 1.0])),  # sure it rains: report 1
    (0.62, np.array([0.05, 0.35, 0.55, 0.75, 0.95])),
]


def _reports(args):
    return np.asarray(args[1], dtype=float)


def _is(got, value) -> bool:
    return got.ndim == 0 and bool(np.isclose(got, value, rtol=0, atol=1e-12))


def _loss_not_report(got, expected, args):
    p, reports = args
    if _is(got, _expected_losses(p, reports).min()) and not _is(got, expected):
        return "you returned the smallest expected loss; return the report q that achieves it."
    return None


def _worst_report(got, expected, args):
    p, reports = args
    if _is(got, _reports(args)[np.argmax(_expected_losses(p, reports))]) and not _is(got, expected):
        return "that report has the largest expected loss: use argmin, not argmax."
    return None


def _rain_term_only(got, expected, args):
    p, reports = args
    with np.errstate(divide="ignore", invalid="ignore"):
        rain_only = -p * np.log(_reports(args))
    if _is(got, _reports(args)[np.nanargmin(rain_only)]) and not _is(got, expected):
        return (
            "you scored only the rain term −p·ln q, which always prefers the largest q: a dishonest forecaster's "
            "choice. If it stays dry (probability 1 − p) the loss is −ln(1 − q): add (1 − p)·(−ln(1 − q))."
        )
    return None


def _nearest(got, expected, args):
    p, _ = args
    reports = _reports(args)
    if _is(got, reports[np.argmin(np.abs(reports - p))]) and not _is(got, expected):
        return (
            "you picked the report nearest to p in |q − p|. The log score is not symmetric: reporting too small a "
            "probability costs more than too large. Compare the expected losses −p·ln q − (1 − p)·ln(1 − q)."
        )
    return None


def _nan_at_certainty(got, expected, args):
    p, _ = args
    if (p in (0.0, 1.0)) and not _is(got, expected):
        return (
            "at p = 0 or p = 1 the honest report's expected loss has a term 0·ln 0, which NumPy makes nan; "
            "skipping the nan (nanargmin) throws away the best report. "
            "Count 0·ln 0 as 0: reporting q = p then costs exactly 0."
        )
    return None


def _not_a_report(got, expected, args):
    if got.ndim == 0 and not np.any(np.isclose(_reports(args), got, rtol=0, atol=1e-12)):
        return "return one of the allowed reports (an element of `reports`), the one with the lowest expected loss."
    return None


best_report = Exercise(
    "the best report under the log score",
    reference=_best_report,
    cases=_CASES,
    diagnoses=[_loss_not_report, _worst_report, _nan_at_certainty, _rain_term_only, _nearest, _not_a_report],
    rtol=0.0,
    atol=1e-12,
    hint="expected loss of reporting q: −p·ln q − (1 − p)·ln(1 − q), with 0·ln 0 = 0; return the q with the smallest.",
)

"""ce_teach.checks.best_report: the transfer exercise of notebook 03 (the log score rewards honesty)."""

import numpy as np
import pytest

from ce_teach.checks import best_report


def _expected(p, q):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(-p * np.log(q)) + np.nan_to_num(-(1 - p) * np.log(1 - q))


def right_vectorised(p, reports):
    q = np.asarray(reports, dtype=float)
    rain = -p * np.log(q, out=np.zeros_like(q), where=p > 0)
    dry = -(1 - p) * np.log(1 - q, out=np.zeros_like(q), where=p < 1)
    return q[np.argmin(rain + dry)]


def right_loop(p, reports):
    best, best_loss = None, np.inf
    for q in reports:
        loss = (-p * np.log(q) if p > 0 else 0.0) + (-(1 - p) * np.log(1 - q) if p < 1 else 0.0)
        if loss < best_loss:
            best, best_loss = q, loss
    return best


def right_via_kl_in_bits(p, reports):  # H(p) does not depend on q: minimising KL in any base is the same
    q = np.asarray(reports, dtype=float)
    terms = [np.where(w > 0, w * (np.log2(w) - np.log2(np.where(w > 0, x, 1))), 0) for w, x in ((p, q), (1 - p, 1 - q))]
    with np.errstate(divide="ignore"):
        return q[np.argmin(np.nan_to_num(terms[0], nan=np.inf) + np.nan_to_num(terms[1], nan=np.inf))]


@pytest.mark.parametrize("answer", [right_vectorised, right_loop, right_via_kl_in_bits])
def test_right_answers_pass(answer):
    with np.errstate(divide="ignore", invalid="ignore"):
        result = best_report.check(answer)
    assert result.status == "correct", result.message


WRONG = {
    "nearest in |q − p|": (lambda p, r: r[np.argmin(np.abs(r - p))], "nearest to p in |q − p|"),
    "rain term only": (lambda p, r: r[np.nanargmin(-p * np.log(r))], "only the rain term"),
    "argmax": (lambda p, r: r[np.argmax(_expected(p, r))], "use argmin, not argmax"),
    "returns the loss": (lambda p, r: np.min(_expected(p, r)), "return the report q"),
    "nanargmin to dodge 0·ln 0": (
        lambda p, r: r[np.nanargmin(-p * np.log(r) - (1 - p) * np.log(1 - r))],
        "0·ln 0",
    ),
    "reports p itself": (lambda p, r: p, "return one of the allowed reports"),
    "squared error instead of log loss": (
        lambda p, r: r[np.argmin(p * (1 - r) ** 2 + (1 - p) * r**2)],
        "nearest to p in |q − p|",
    ),
}


@pytest.mark.parametrize("name", WRONG)
def test_wrong_answers_fail_with_a_hint_that_names_the_mistake(name):
    candidate, hint = WRONG[name]
    result = best_report.check(candidate)
    assert result.status == "wrong", name
    assert hint in result.message, result.message


def test_the_naive_formula_with_argmin_is_right_because_argmin_picks_the_nan():
    """Why 'naive 0·ln 0' is not in WRONG: np.argmin returns the first nan, which is the honest report."""
    naive = lambda p, r: r[np.argmin(-p * np.log(r) - (1 - p) * np.log(1 - r))]  # noqa: E731
    assert best_report.check(naive).status == "correct"


def test_the_cases_separate_kl_from_distance_and_include_certainty():
    cases = best_report.cases
    assert any(p in (0.0, 1.0) for p, _ in cases)
    assert any(best_report.reference(p, r) != r[np.argmin(np.abs(r - p))] for p, r in cases), (
        "some case must prefer the report that is not the nearest"
    )
    for p, r in cases:  # honesty: when p is allowed, reporting p is best
        if np.any(np.isclose(r, p)):
            assert best_report.reference(p, r) == pytest.approx(p)

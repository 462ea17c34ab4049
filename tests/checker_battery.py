"""The battery every exercise checker has (notebooks/AUTHORING.md): each right answer gets ✓, each wrong one ✗
with a hint that names its mistake, and there are at least six wrong and two right answers.

    BATTERY = battery(entropy_bits, RIGHT, WRONG)

    @pytest.mark.parametrize(("checker", "answer", "hint"), BATTERY)
    def test_battery(checker, answer, hint):
        check_verdict(checker, answer, hint)
"""

import pytest


def battery(checker, right, wrong) -> list:
    """pytest parameters for one checker: ``right`` is a list of answers (✓ expected); ``wrong`` maps a short
    description to ``(answer, words the hint must contain)`` (✗ expected)."""
    assert len(wrong) >= 6 and len(right) >= 2, f"{checker.name}: a battery needs ≥ 6 wrong and ≥ 2 right answers"
    accepted = [pytest.param(checker, answer, None, id=f"{checker.name}: {answer.__name__}") for answer in right]
    rejected = [pytest.param(checker, a, words, id=f"{checker.name}: {why}") for why, (a, words) in wrong.items()]
    return accepted + rejected


def check_verdict(checker, answer, hint) -> None:
    """✓ for a right answer (``hint`` None); ✗ with ``hint`` in the hint for a wrong one."""
    result = checker.check(answer)
    if hint is None:
        assert result.status == "correct", result.message
    else:
        assert result.status == "wrong", result.message
        assert "Hint:" in result.message and hint in result.message, result.message

"""Sentences of notebook 00 held to a computation."""

from pathlib import Path

import numpy as np

import ce_teach as ct

SOURCE = (Path(__file__).resolve().parents[1] / "notebooks" / "src" / "00_start_here.py").read_text()


def test_exercise_3_exact_is_true_for_integer_logits_and_false_for_tenths():
    """The answer says: exact True for (1, 0, −1), False for (0.1, 0.2, −0.3), close both times, ~2e-15."""
    whole, tenths = np.array([1.0, 0.0, -1.0]), np.array([0.1, 0.2, -0.3])
    assert np.array_equal(ct.softmax(whole + 100), ct.softmax(whole))
    difference = np.max(np.abs(ct.softmax(tenths + 100) - ct.softmax(tenths)))
    assert 0 < difference < 1e-14 and round(difference, 15) == 2e-15
    np.testing.assert_allclose(ct.softmax(tenths + 100), ct.softmax(tenths), rtol=1e-12)


def test_the_demo_answer():
    """'Outcome a … ≈ 0.665, above ½'; equal logits give 1/3 each."""
    q = ct.softmax([1.0, 0.0, -1.0])
    assert np.argmax(q) == 0 and round(float(q[0]), 3) == 0.665
    assert "\\approx 0.665$" in SOURCE


def test_the_python_version_claimed_is_the_one_the_pins_need():
    """numpy~=2.4.6 has no wheel or release for Python 3.10 (pip download --python-version 3.10 finds
    none, checked 2026-12-05), so 00 claims 3.11 or newer."""
    assert "Python 3.11 or newer" in SOURCE and "3.10" not in SOURCE


def test_no_badge_image_and_no_package_answer_shown_as_a_solution():
    assert "badge_logo.svg" not in SOURCE
    assert "package's own function is accepted, with a note" in SOURCE

"""Sentences of notebooks 09 and 10 corrected in the learner read-through, checked against the computation."""

from __future__ import annotations

import numpy as np

import ce_teach as ct
from ce_teach.widgets.calibration import trained_logits


def test_overconfident_start_logits_have_sd_about_18_and_pass_50():
    # 09 §4: "the first logits have a standard deviation of about 18 (some beyond ±50)" (it said "about ±15")
    run = ct.classifier.digits_run(hidden=0, steps=0, output_scale=30.0, every=1)
    logits = run.net.logits(run.validation[0])
    assert 17 < logits.std() < 19
    assert np.abs(logits).max() > 50


def test_reliability_answer_two_bins_above_the_diagonal_hold_1_and_7_images():
    # 10 §1: "Of the other bins, all but two sit below the diagonal ...; the two above it hold 1 and 7 images"
    # (it said every bin from 0.5 to 0.95 was far below)
    run = ct.classifier.digits_run(hidden=64, steps=300)
    x, c = run.test
    curve = ct.reliability_curve(ct.softmax(run.net.logits(x)), c)
    full = curve.count > 0
    above = full & (curve.accuracy > curve.confidence)
    assert sorted(curve.count[above].tolist()) == [1, 7]
    assert curve.count[-1] == 733 and not above[-1]
    assert round(curve.accuracy[12], 2) == 0.50 and round(curve.confidence[12], 2) == 0.83


def test_temperature_leaves_mean_confidence_just_below_accuracy():
    # 10 §3 answer: the fitted T brings the mean confidence from above the accuracy to slightly below it
    run = ct.classifier.digits_run(hidden=64, steps=300)
    (xv, cv), (xt, ct_) = run.validation, run.test
    T = ct.fit_temperature(run.net.logits(xv), cv)
    lt = run.net.logits(xt)
    accuracy = np.mean(lt.argmax(axis=1) == ct_)
    before, after = ct.softmax(lt).max(axis=1).mean(), ct.softmax(lt / T).max(axis=1).mean()
    assert before > accuracy > after
    assert (f"{after:.3f}", f"{accuracy:.3f}") == ("0.945", "0.956")


def test_slider_answer_best_temperature_for_eps_02_is_about_0_4():
    # 10 §6 answer: with ε = 0.2 the lowest ECE on the slider's grid is at T ≈ 0.4 (0.006), against 0.232 at T = 1
    logits, labels = trained_logits(0.2, 0.0)
    grid = np.round(np.arange(0.2, 3.0001, 0.05), 2)
    ece = [ct.expected_calibration_error(ct.softmax(logits / t), labels) for t in grid]
    assert grid[int(np.argmin(ece))] == 0.4
    assert f"{min(ece):.3f}" == "0.006" and f"{ece[int(np.where(grid == 1.0)[0][0])]:.3f}" == "0.232"

"""Notebook 06's corrected sentences and seed items, each checked against a computation.

- Notation: the sigmoid part uses z (the 0/1 label) and q = σ(x); the softmax part uses y (the label vector).
- The cross-entropy marker is never drawn at a false height (it was drawn at y = 4 for a loss of 8): above the
  panel it becomes a triangle under the top edge, and the readout gives the loss.
- Seed 000: classification error is too coarse to train on: it cannot tell a barely right prediction from a
  confident one (a computed example), besides being flat.
- The misconception "lower loss means higher accuracy", shown false by two models.
"""

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import ce_teach as ct
from ce_teach import plotting, widgets

ROOT = Path(__file__).resolve().parents[1]
SOURCE = (ROOT / "notebooks" / "src" / "06_mse_vs_ce.py").read_text(encoding="utf-8")
NOTEBOOK = nbformat.read(ROOT / "notebooks" / "06_mse_vs_ce.ipynb", as_version=4)


def outputs() -> str:
    return "\n".join(o.get("text", "") for c in NOTEBOOK.cells if c.cell_type == "code" for o in c.get("outputs", []))


def section(number: int) -> str:
    """The source text of section ``number`` (from its heading to the next ``## `` heading)."""
    match = re.search(rf"^# ## {number} · .*?(?=^# ## )", SOURCE, flags=re.M | re.S)
    assert match, f"no section {number}"
    return match.group(0)


@pytest.mark.parametrize("number", [1, 2, 3, 5])
def test_the_sigmoid_sections_use_z_for_the_label_and_q_for_sigma(number):
    text = section(number)
    for wrong in ("a − y", "q − y", "σ(x) − y", "(a - y)", "y = 1", "label y", "a = σ(x)", "a(1 − a)"):
        assert wrong not in text, (number, wrong)
    assert "z" in text


def test_the_softmax_section_uses_y_for_the_label_vector():
    text = section(4)
    maths = " ".join(text.split("$")[1::2])  # the LaTeX between $ signs
    assert "S - y" in maths and "y_i" in maths and not re.search(r"\bz\b", maths)


def test_the_package_strings_of_06_use_z_and_q():
    text = "\n".join(
        (ROOT / "ce_teach" / f).read_text(encoding="utf-8")
        for f in ("plotting/mse.py", "widgets/mse.py", "checks/mse.py")
    )
    for wrong in ("a − y", "(a − z)", "a(1 − a)", "½(a − y)²"):
        assert wrong not in text, wrong


def test_a_loss_above_the_panel_is_not_drawn_at_a_false_height_and_the_readout_states_it():
    ce = float(ct.sigmoid_cross_entropy_with_logits(1.0, -8.0))
    plot = plotting.draw_gradients_vs_logit(-8.0, loss_ymax=4.0)
    circle, triangle = plot.moving["ce_loss"], plot.moving["ce_off"]
    assert ce > 8 and np.isnan(circle.get_ydata()[0]), "no circle at a false height"
    assert triangle.get_marker() == "^" and 0.9 * 4.0 < triangle.get_ydata()[0] < 4.0, "a triangle under the top edge"
    widget = widgets.gradients_vs_logit(logit=-8.0)
    assert f"loss CE = <b>{ce:#.4g}</b> nats" in widget.readout_text()


def test_the_section_2_prompt_does_not_ask_for_what_the_readout_prints():
    prompt = next(c.source for c in NOTEBOOK.cells if c.cell_type == "markdown" and "push hardest" in c.source)
    question = prompt.partition("**Predict first:**")[2]
    assert question and "factor" not in question and "ratio" not in question and "-8" not in question


def test_seed_000_classification_error_is_too_coarse():
    z = np.array([1.0, 1.0, 0.0, 0.0])
    losses = []
    for q_true in (0.51, 0.99):
        q = np.where(z == 1, q_true, 1 - q_true)
        x = np.log(q) - np.log1p(-q)
        assert ct.zero_one_loss(z, x).mean() == 0.0, "both models make no mistake"
        losses.append(ct.sigmoid_cross_entropy_with_logits(z, x).mean())
    assert losses[0] > 60 * losses[1], "the loss tells them apart"
    text = outputs()
    assert "model A, barely right : error rate 0%, mean cross-entropy 0.6733 nats" in text
    assert "model B, confident    : error rate 0%, mean cross-entropy 0.0101 nats" in text
    assert "It is coarse." in SOURCE and "barely right prediction from a confident one" in SOURCE


def test_lower_loss_does_not_mean_higher_accuracy():
    z = np.ones(4)
    q_c, q_d = np.full(4, 0.45), np.array([0.99, 0.99, 0.99, 0.001])
    accuracy = [1 - ct.zero_one_loss(z, np.log(q) - np.log1p(-q)).mean() for q in (q_c, q_d)]
    loss = [ct.sigmoid_cross_entropy_with_logits(z, np.log(q) - np.log1p(-q)).mean() for q in (q_c, q_d)]
    assert loss[0] < loss[1] and accuracy[0] < accuracy[1]
    assert "model C: accuracy 0%, mean cross-entropy 0.7985 nats" in outputs()
    assert "model D: accuracy 75%, mean cross-entropy 1.7345 nats" in outputs()


def test_06_has_a_transfer_exercise_checked_by_its_checker():
    assert "**Exercise 3 (transfer).**" in SOURCE and "ct.checks.clipped_bce_grad(my_clipped_grad)" in SOURCE


def test_every_static_figure_is_stored_as_a_png():
    """Every static figure is stored as a PNG, also those after a live figure (tests/test_inline_figures.py)."""
    cells = [c for c in NOTEBOOK.cells if c.cell_type == "code" and "plt.show()" in c.source]
    assert cells and all(any("image/png" in o.get("data", {}) for o in c.outputs) for c in cells)

"""Notebook 04: the corrected sentences stay true and the restructure stays in place (issues 12 and 13)."""

import ast
import re
from decimal import Decimal, localcontext
from pathlib import Path

import nbformat
import numpy as np

import ce_teach as ct
from ce_teach import widgets

SOURCE_PATH = Path(__file__).resolve().parents[1] / "notebooks" / "src" / "04_sigmoid_bce.py"
SOURCE = SOURCE_PATH.read_text()
MAIN, DEEPER = SOURCE.split("# ## Going deeper", 1)


def _call_kwargs(name: str) -> dict:
    """The keyword arguments of the one call to ``name`` (e.g. 'widgets.bce_explorer') in the notebook."""
    calls = [
        node for node in ast.walk(ast.parse(SOURCE)) if isinstance(node, ast.Call) and ast.unparse(node.func) == name
    ]
    assert len(calls) == 1, f"{name} is called {len(calls)} times"
    return {k.arg: ast.literal_eval(k.value) for k in calls[0].keywords}


def test_the_static_figure_is_the_widgets_start_picture():
    """No separate static cell: the widget cell's stored output is the live figure's start picture (a PNG)."""
    assert "plotting.draw_bce_curves(" not in SOURCE
    assert _call_kwargs("widgets.bce_explorer") == {"x": 2.0, "z": 1.0}
    notebook = nbformat.read(SOURCE_PATH.parents[1] / "04_sigmoid_bce.ipynb", as_version=4)
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and "widgets.bce_explorer(" in c.source]
    assert cell.metadata.get("jupyter", {}).get("outputs_hidden") is True  # between a prompt and its reveal
    assert [o for o in cell.outputs if "image/png" in o.get("data", {})]


def test_the_naive_loss_at_16_5_is_1_75_times_too_high_not_twice():
    point = widgets.bce_explorer().plot.state_at(x=16.5, z=1.0, dtype="float32")
    assert round(point["naive_loss"].item() / point["loss"].item(), 2) == 1.75
    assert "factor of two" not in SOURCE and "1.75 times" in MAIN


def test_form_8s_error_is_the_rounding_of_x_z_times_the_condition_number():
    """'Backward stable, a conditioning effect': the rounding of x·z alone predicts the measured error."""
    for x in np.linspace(30, 36, 13):
        exact = ct.ulp.exact_bce(x, 0.999)
        computed = np.maximum(x, 0) - x * 0.999 + np.log1p(np.exp(-abs(x)))
        measured = ct.ulp.ulp_error(np.float64(computed), exact)
        with localcontext(prec=60):
            predicted = -float((Decimal(x * 0.999) - Decimal(x) * Decimal(0.999)) / Decimal(np.spacing(float(exact))))
        cond = x * 0.999 / float(exact)
        assert abs(measured - predicted) < 1 and abs(measured) <= cond
    assert "backward stable" in DEEPER and "conditioning" in DEEPER and "504 ulp worse" not in SOURCE


def test_the_subnormal_float32_value_is_explained():
    tiny = ct.sigmoid_cross_entropy_with_logits(np.float32(0.0), np.float32(-100.0))
    assert tiny < np.finfo(np.float32).tiny and float(tiny) == 27 * 2.0**-149
    section_3 = MAIN.split("## 3.", 1)[1].split("## 4.", 1)[0]
    assert "subnormal" in section_3 and "27 \\cdot 2^{-149}" in section_3


def test_deep_dives_are_in_going_deeper_and_the_subtlety_comes_after_the_failure():
    for deep in ("first_float", "tf_elements", "ulp_error", "cond_z"):
        assert deep not in MAIN, deep
        assert deep in DEEPER, deep
    assert "def first_float" not in SOURCE and "def exact_bce" not in SOURCE  # plumbing lives in ct.ulp


def test_notation_pos_weight_is_w_plus_and_q_is_sigma():
    assert "`pos_weight` $q$" not in SOURCE and "**`pos_weight`** $w_+$" in MAIN
    assert "$q = \\sigma(x)$" in MAIN
    assert not re.search(r"\$p = 24\$|\$p\$ bits of precision", SOURCE)  # precision is b, not p


def test_there_is_a_plot_of_the_sigmoid_before_the_derivation():
    section_1 = MAIN.split("## 1.", 1)[1].split("## 2.", 1)[0]
    assert "plotting.draw_sigmoid(" in section_1


def test_the_slider_prompt_asks_for_nothing_printed_before():
    prompt = MAIN.split("## 9.", 1)[1].split("widgets.bce_explorer", 1)[0]
    assert "**Predict first:**" in prompt
    assert "At which logit does the naive loss stop being a number" not in prompt
    assert "16.5" in prompt and "1.75" not in MAIN.split("## 9.", 1)[0]


def test_the_reproduce_three_ways():
    x = np.array([-1.0, -1.0, 0.0, 1.0, 2.0])
    z = np.array([0.0, 0.0, 1.0, 1.0, 1.0])
    exact = sum(ct.ulp.exact_bce(a, b) for a, b in zip(x, z, strict=True)) / 5
    assert f"{exact:.17g}" == "0.35197205083151726"
    for loss in (ct.naive.sigmoid_cross_entropy(z, x), ct.sigmoid_cross_entropy_with_logits(z, x)):
        assert loss.mean() == 0.35197205083151726 == float(exact)
        assert str(np.float32(loss.mean())) == "0.35197204"
    assert str(ct.ulp.float32_stepwise_bce(z, x)[1]) == "0.35197204"

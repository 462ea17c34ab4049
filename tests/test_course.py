"""The course rules of notebooks/AUTHORING.md: predict first for real, answers folded away one by one,
a main path a learner can finish (budget), a transfer exercise, nothing loaded from the network.

The rules live in scripts/build_notebooks.py (``course_problems``); the first tests here prove that each
rule catches what it is meant to catch, on small made-up notebooks; the last one applies them to every
notebook in ``COURSE``.
"""

import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("build_notebooks", ROOT / "scripts" / "build_notebooks.py")
build_notebooks = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(build_notebooks)

# The notebooks rewritten to the course rules. Every notebook belongs here once it passes.
COURSE: set[str] = {
    "00_start_here",
    "01_entropy",
    "02_kl_divergence",
    "03_cross_entropy",
    "04_sigmoid_bce",
    "05_softmax_ce",
    "06_mse_vs_ce",
    "07_choosing_a_loss",
    "08_pitfalls",
}
COURSE |= {"09_training_a_classifier", "10_calibration"}
COURSE |= {"11_language_model_scale"}

PROMPT = new_markdown_cell("**Predict first:** where is the entropy of a coin largest?")
REVEAL = new_markdown_cell("<details><summary>Answer</summary>\n\nAt p = 1/2.\n\n</details>")
WIDGET = new_code_cell("widgets.coin_entropy(p=0.5)")


def figure(hidden: bool):
    cell = new_code_cell("draw()", outputs=[new_output("display_data", data={"image/png": "iVBOR"})])
    if hidden:
        cell.metadata["jupyter"] = {"outputs_hidden": True}
    return cell


def printed(text: str):
    return new_code_cell("print(h)", outputs=[new_output("stream", name="stdout", text=text)])


def problems_of(*cells):
    return build_notebooks.predict_first_problems(list(cells))


def collapsed(cell):
    cell.metadata["jupyter"] = {"outputs_hidden": True}
    return cell


def test_what_jupyterlab_shows_of_a_collapsed_output_must_not_answer():
    """JupyterLab 4 shows the first line of a collapsed output; a figure's is its repr, without the answer."""
    figure_repr = new_code_cell(
        "plt.show()",
        outputs=[new_output("display_data", data={"text/plain": "<Figure size 600x320 with 1 Axes>", "image/png": ""})],
    )
    number = new_code_cell("print(h)", outputs=[new_output("stream", name="stdout", text="\nH(0.9) = 0.4690 bits\n")])
    header = new_code_cell("print(t)", outputs=[new_output("stream", name="stdout", text="the table:\n1 | 2\n")])
    assert build_notebooks.collapsed_preview(number) == "H(0.9) = 0.4690 bits"
    assert problems_of(PROMPT, collapsed(figure_repr), collapsed(header), REVEAL) == []
    found = problems_of(PROMPT, collapsed(figure_repr), collapsed(number), REVEAL)
    assert any("shows 'H(0.9) = 0.4690 bits'" in p for p in found), found
    check = new_code_cell('assert h < 0.5, "just under ½ bit"')
    assert any("check cell before the reveal" in p for p in problems_of(PROMPT, check, REVEAL))
    assert problems_of(PROMPT, REVEAL, check) == []  # after the reveal a check is welcome


def test_a_prompt_with_its_answer_folded_away_passes():
    assert problems_of(PROMPT, WIDGET, figure(hidden=True), REVEAL, figure(hidden=False)) == []
    assert problems_of(PROMPT, figure(hidden=True), printed("1.0").copy(), REVEAL) != []  # printed is visible
    assert problems_of(PROMPT, collapsed(printed("Entropy of the coin:\n1.0")), REVEAL) == []


@pytest.mark.parametrize(
    ("cells", "words"),
    [
        ((PROMPT, WIDGET, figure(hidden=False), REVEAL), "on screen before the reveal"),
        ((PROMPT, printed("H = 0.469 bits"), REVEAL), "on screen before the reveal"),
        ((PROMPT, new_markdown_cell("The curve peaks at 1/2."), REVEAL), "markdown between"),
        ((PROMPT, WIDGET), "without a <details> reveal"),
        ((PROMPT, figure(hidden=True), PROMPT, REVEAL), "without a <details> reveal before"),
        ((WIDGET, REVEAL), "no prediction prompt"),
        ((PROMPT, REVEAL, WIDGET), "no prediction prompt"),
        ((new_markdown_cell("**Predict first:** which?\n<details><summary>Answer</summary>x</details>"),), "separate"),
    ],
    ids=[
        "visible-figure",
        "visible-print",
        "answer-in-prose",
        "no-reveal",
        "two-prompts",
        "widget-no-prompt",
        "widget-after-reveal",
        "same-cell",
    ],
)
def test_answers_on_screen_before_the_commitment_are_caught(cells, words):
    found = problems_of(*cells)
    assert any(words in problem for problem in found), found


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        ("<details><summary>Answer 1</summary>a</details>\n<details><summary>Answer 2</summary>b", "</details>"),
        ("<details><summary>Answers</summary>1. a\n<summary>x</summary>2. b</details>", "one per answer"),
        ("**Solution:**\n```python\ndef f(p): return p\n```", "outside a <details> block"),
        ("### Answer\nIt is 1 bit.", "outside a <details> block"),
    ],
    ids=["unclosed", "two-summaries", "solution-in-the-open", "answer-heading"],
)
def test_answers_must_each_be_folded_away(markdown, words):
    found = build_notebooks.answer_problems([new_markdown_cell(markdown)])
    assert any(words in problem for problem in found), found


def test_one_answer_per_block_passes():
    markdown = "1. Why?\n\n<details><summary>Answer</summary>\n\nBecause.\n\n</details>"
    assert build_notebooks.answer_problems([new_markdown_cell(markdown)]) == []


def test_the_budget_counts_main_path_prose_and_the_longest_code_cell():
    prose = new_markdown_cell("one two three $x^2 + y^2$ four [five](01_entropy.ipynb) <b>six</b>")
    deeper = [new_markdown_cell("## Going deeper\n\n" + "word " * 5000), new_code_cell("\n".join(["x = 1"] * 20))]
    nb = new_notebook(cells=[prose, new_code_cell("a = 1\n\n# comment\nb = 2"), *deeper])
    assert build_notebooks.prose_words(prose.source) == 6
    assert build_notebooks.budget(nb) == (6, 20)  # long cells count in going deeper too
    nb.cells = nb.cells[:-1]
    assert build_notebooks.budget(nb) == (6, 2)


def test_going_deeper_cells_are_left_out_of_the_slides():
    nb = new_notebook(cells=[new_markdown_cell("## Main"), new_markdown_cell("## Going deeper"), new_code_cell("x")])
    build_notebooks.normalise(nb)
    assert [c.metadata.get("slideshow") for c in nb.cells] == [None, {"slide_type": "skip"}, {"slide_type": "skip"}]


def test_a_notebook_over_budget_or_without_a_transfer_exercise_fails():
    nb = new_notebook(cells=[PROMPT, REVEAL, new_markdown_cell("word " * 2001 + "[![b](https://x/badge_logo.svg)](u)")])
    found = build_notebooks.course_problems(nb)
    assert any("words of prose (at most 2000)" in p for p in found), found
    assert any("(transfer)" in p for p in found)
    assert any("badge" in p for p in found)


SOURCES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_course_names_real_notebooks():
    assert COURSE <= {path.stem for path in SOURCES}


@pytest.mark.parametrize("path", [p for p in SOURCES if p.stem in COURSE], ids=lambda p: p.stem)
def test_notebook_follows_the_course_rules(path):
    assert build_notebooks.course_problems(nbformat.read(path, as_version=4)) == []


@pytest.mark.parametrize(
    ("source", "shortcut"),
    [
        ("widgets.coin_entropy(p=0.9)", "coin_entropy"),
        ("explorer = widgets.bce_explorer(x=2.0, z=1.0)\nexplorer", "bce_explorer"),
        ("w = widgets.coin_entropy()", None),  # shows nothing
        ("explorer = widgets.bce_explorer()\nother", None),
        ("widgets.coin_entropy()\nprint(1)", None),  # more than the figure
        ("x = 1\nwidgets.coin_entropy()", None),
        ("widgets.coin_entropy", None),
        ("a.b = widgets.coin_entropy()\na.b", None),
    ],
)
def test_a_live_figures_cell_is_the_call_alone_or_named_and_shown(source, shortcut):
    assert build_notebooks.widget_shortcut(new_code_cell(source)) == shortcut
    assert build_notebooks.widget_shortcut(new_markdown_cell(source)) is None

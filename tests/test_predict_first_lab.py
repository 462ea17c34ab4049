"""Predict first, as JupyterLab really shows a notebook: between a prediction prompt and its reveal, what is
on screen must not answer the prompt.

JupyterLab 4 draws a collapsed output (``outputs_hidden``) as one line: the first non-empty line of the cell's
first output, then "•••". A figure's line is its repr, ``<Figure size 600x320 with 1 Axes>``; a printed number
would be on screen. The code of every cell is on screen too, so a check cell (an assert or
``ct.checks.compare`` whose message states the answer) belongs after the reveal.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ["00_start_here", "01_entropy", "02_kl_divergence"]
FIGURE = re.compile(r"<Figure size \d+x\d+ with \d+ Axes>")


def placeholder_text(cell) -> str:
    """The line JupyterLab shows for a collapsed output (cells/src/widget.ts, getOutputPlaceholderText)."""
    first = cell.outputs[0]
    text = first.get("text") if first.output_type == "stream" else first.get("data", {}).get("text/plain", "")
    return next((line for line in (text or "").split("\n") if line), "")


def cells_before_reveals(cells):
    """Each code cell that stands between a prediction prompt and its reveal, with the prompt's index."""
    prompt = None
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown":
            if "**Predict first:**" in cell.source:
                prompt = index
            elif cell.source.lstrip().startswith("<details>"):
                prompt = None
        elif prompt is not None:
            yield prompt, cell


def problems(cells) -> list[str]:
    found = []
    for prompt, cell in cells_before_reveals(cells):
        if cell.get("outputs") and cell.metadata.get("jupyter", {}).get("outputs_hidden"):
            shown = placeholder_text(cell)
            if re.search(r"\d", FIGURE.sub("", shown)):
                found.append(f"prompt in cell {prompt}: the collapsed output shows {shown!r}")
        if re.search(r"^\s*assert |checks\.compare\(", cell.source, flags=re.MULTILINE):
            found.append(
                f"prompt in cell {prompt}: a check cell before the reveal shows its code: {cell.source[:60]!r}"
            )
    return found


def test_the_rule_catches_a_printed_answer_and_a_check_before_the_reveal():
    prompt = nbformat.v4.new_markdown_cell("**Predict first:** how many bits?")
    reveal = nbformat.v4.new_markdown_cell("<details><summary>Answer</summary>\n\n1 bit.\n\n</details>")
    figure = nbformat.v4.new_code_cell(
        "plt.show()",
        outputs=[
            nbformat.v4.new_output(
                "display_data", data={"text/plain": "<Figure size 600x320 with 1 Axes>", "image/png": "iVBOR"}
            )
        ],
    )
    printed = nbformat.v4.new_code_cell(
        "print(h)", outputs=[nbformat.v4.new_output("stream", name="stdout", text="\nH(0.9) = 0.4690 bits\nmore\n")]
    )
    check = nbformat.v4.new_code_cell('assert h < 0.5, "just under ½ bit"')
    for cell in (figure, printed):
        cell.metadata["jupyter"] = {"outputs_hidden": True}
    assert problems([prompt, figure, reveal, printed, check]) == []
    assert placeholder_text(printed) == "H(0.9) = 0.4690 bits"
    assert "shows 'H(0.9) = 0.4690 bits'" in problems([prompt, figure, printed, reveal])[0]
    assert "a check cell before the reveal" in problems([prompt, check, reveal])[0]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_nothing_on_screen_in_jupyterlab_answers_a_prompt(name):
    cells = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells
    assert problems(cells) == []

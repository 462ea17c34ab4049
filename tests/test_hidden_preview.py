"""A collapsed output in JupyterLab is not blank: its placeholder shows the first non-empty line of the cell's first
output (JupyterLab 4, ``CodeCell.getOutputPlaceholderText``), and the cell's source stays on screen. So a hidden
output between a prediction prompt and its reveal must open with a line that restates the question, not its answer,
and the cell must not assert the answer in its source: the checks come after the reveal.

Notebooks 07 and 08 follow this; the others are listed in ``PREVIEW_CHECKED`` when they do.
"""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PREVIEW_CHECKED = ["07_choosing_a_loss", "08_pitfalls"]
# JupyterLab's order of preference for the placeholder's text
MIME_ORDER = ["text/html", "image/svg+xml", "application/pdf", "text/markdown", "text/plain"]
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def placeholder_text(output) -> str | None:
    """The line JupyterLab shows for a collapsed output (None if it shows none)."""
    if output.get("output_type") == "stream":
        text = output.get("text", "")
    else:
        data = output.get("data", {})
        mime = next((m for m in MIME_ORDER if isinstance(data.get(m), str | list)), None)
        if mime is None:
            return None
        text = data[mime]
    text = "".join(text) if isinstance(text, list) else text
    return next((line for line in text.split("\n") if line != ""), None)


def hidden_main_path_cells(name):
    cells = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4).cells
    for cell in cells:
        if cell.cell_type == "markdown" and cell.source.splitlines()[:1] == ["## Going deeper"]:
            return
        if cell.cell_type == "code" and cell.metadata.get("jupyter", {}).get("outputs_hidden"):
            yield cell


@pytest.mark.parametrize("name", PREVIEW_CHECKED)
def test_a_collapsed_output_previews_the_question_not_the_answer(name):
    cells = list(hidden_main_path_cells(name))
    assert cells, f"{name} has no hidden output"
    for cell in cells:
        assert not re.search(r"^\s*assert\b|checks\.compare\(", cell.source, re.M), (
            f"{name}: a hidden cell states its answer in its source:\n{cell.source}"
        )
        first = placeholder_text(cell.outputs[0])
        assert first is not None and first.rstrip().endswith(":"), f"{name}: the preview line is {first!r}"
        rest = "".join("".join(o.get("text", "")) for o in cell.outputs).split(first, 1)[1]
        shared = set(NUMBER.findall(first)) & set(NUMBER.findall(rest))
        assert not shared, f"{name}: the preview line {first!r} shows numbers of the answer: {shared}"


def test_placeholder_text_is_the_first_non_empty_line():
    stream = nbformat.v4.new_output("stream", name="stdout", text="\nbuggy loss [0.5514]\ntrue loss [4e-09]\n")
    assert placeholder_text(stream) == "buggy loss [0.5514]"
    figure = nbformat.v4.new_output("display_data", data={"image/png": "...", "text/plain": "<Figure size 640x480>"})
    assert placeholder_text(figure) == "<Figure size 640x480>"

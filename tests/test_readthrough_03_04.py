"""Notebooks 03 and 04 after a learner's read-through: no answer in view before its reveal, one meaning per symbol."""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _prompt_spans(name: str):
    """For each prediction prompt: its text, the cells after it up to (not including) its reveal, and the reveal."""
    cells = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4).cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown" and "**Predict first:**" in cell.source:
            j = next(k for k in range(i + 1, len(cells)) if cells[k].source.startswith("<details><summary>Answer"))
            yield cell.source, cells[i + 1 : j], cells[j].source


def _first_text_line(cell) -> str:
    for output in cell.get("outputs", []):
        text = output.get("text") or output.get("data", {}).get("text/plain", "")
        if text:
            return text.splitlines()[0]
    return ""


@pytest.mark.parametrize("name", ["03_cross_entropy", "04_sigmoid_bce"])
def test_a_collapsed_output_does_not_preview_the_answer(name):
    """JupyterLab shows the first line of a collapsed output next to its '•••': every decimal number in it must
    come from the prompt itself (the inputs it names), never a computed answer."""
    for prompt, between, _reveal in _prompt_spans(name):
        for cell in between:
            for number in re.findall(r"\d+\.\d+", _first_text_line(cell)):
                assert number in prompt, (name, _first_text_line(cell))


def test_04_code_before_a_reveal_does_not_state_the_answer():
    spans = list(_prompt_spans("04_sigmoid_bce"))
    sigmoid_code = "".join(c.source for c in spans[0][1] if c.cell_type == "code")
    explorer_code = "".join(c.source for c in spans[1][1] if c.cell_type == "code")
    assert "4.6" not in sigmoid_code and "4.6" in spans[0][2]
    assert "1.75" not in explorer_code and "too high" not in explorer_code and "1.75" in spans[1][2]


def test_one_meaning_per_symbol():
    src = NOTEBOOKS / "src"
    ce = (src / "03_cross_entropy.py").read_text()
    bce = (src / "04_sigmoid_bce.py").read_text()
    assert "q_c" not in ce and "z_c" not in ce and "c(a, b)" not in ce  # c is the true class's index
    assert "$b$ bits of precision" not in bce and "2^{-b}" not in bce  # b is 03's next character
    assert "$P$ positives" not in bce and "N_+" in bce  # N is the batch size
    assert "\\delta" not in bce.split("# ## Going deeper", 1)[1]  # δ is the constant inside a log

"""The notation table and the bilingual glossary of notebook 00.

- 00's notation table is exactly the one in notebooks/AUTHORING.md ("one meaning per symbol").
- Every symbol of that table has an entry in the glossary (English ↔ 中文), and so do the terms the
  collection's Chinese-reading learners look for first.
"""

import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = jupytext.read(ROOT / "notebooks" / "src" / "00_start_here.py")
MARKDOWN = [cell.source for cell in NOTEBOOK.cells if cell.cell_type == "markdown"]


def table_after(heading: str, text: str) -> list[list[str]]:
    """The rows (lists of cells) of the first markdown table after ``heading`` in ``text``."""
    rest = text[text.index(heading) :]
    rows = []
    for line in rest.splitlines()[1:]:
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if not all(set(c) <= set("-: ") for c in cells):
                rows.append(cells)
        elif rows:
            break
    return rows[1:]  # without the header row


def symbols(cell: str) -> list[str]:
    return re.findall(r"\$([^$]+)\$", cell)


def cell_with(heading: str) -> str:
    return next(source for source in MARKDOWN if heading in source)


NOTATION = table_after("## Notation", cell_with("## Notation"))
GLOSSARY = table_after("## Glossary", cell_with("## Glossary"))


def missing_symbols(notation, glossary) -> list[str]:
    listed = {s for row in glossary for s in symbols(row[2])}
    return [s for row in notation for s in symbols(row[0]) if s not in listed]


def test_the_notation_table_is_authorings():
    authoring = (ROOT / "notebooks" / "AUTHORING.md").read_text(encoding="utf-8")
    assert NOTATION == table_after("## Notation", authoring)
    assert len(NOTATION) >= 20


def test_every_symbol_of_the_notation_table_has_a_glossary_entry():
    assert missing_symbols(NOTATION, GLOSSARY) == []


def test_the_check_finds_a_missing_entry():
    without_sigma = [row for row in GLOSSARY if "$\\sigma$" not in row[2]]
    assert missing_symbols(NOTATION, without_sigma) == ["\\sigma"]


def test_every_row_has_english_and_chinese():
    for english, chinese, symbol in GLOSSARY:
        assert re.search(r"[A-Za-z]", english), english
        assert re.search(r"[\u4e00-\u9fff]", chinese), f"no Chinese for {english!r}"
        assert symbol, english


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("entropy", "熵"),
        ("cross-entropy", "交叉熵"),
        ("Kullback–Leibler divergence", "KL 散度"),
        ("logits", "对数几率"),
        ("one-hot", "独热编码"),
        ("label smoothing", "标签平滑"),
        ("perplexity", "困惑度"),
        ("likelihood", "似然"),
        ("negative log-likelihood", "负对数似然"),
        ("softmax", "softmax"),
        ("sigmoid", "sigmoid"),
        ("gradient", "梯度"),
        ("temperature", "温度"),
        ("calibration", "校准"),
        ("focal loss", "focal loss"),
        ("batch", "批量"),
        ("Huffman code", "霍夫曼编码"),
        ("prefix code", "前缀码"),
    ],
)
def test_a_term_learners_look_for_is_in_the_glossary(english, chinese):
    assert any(english in row[0] and chinese in row[1] for row in GLOSSARY), (english, chinese)

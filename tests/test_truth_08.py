"""Notebook 08 stays true: its model solutions pass their checkers, each sits in its own collapsed block, and the
sentences corrected for issue 13 (what Keras 3 does with probabilities passed as logits; whose cap 16.118 is) stay
corrected."""

import re
from pathlib import Path

import jupytext
import numpy as np
import pytest

import ce_teach as ct

SOURCE = Path(__file__).resolve().parents[1] / "notebooks" / "src" / "08_pitfalls.py"


def cells():
    return jupytext.read(SOURCE).cells


def main_path_markdown():
    text = []
    for cell in cells():
        if cell.cell_type == "markdown" and cell.source.startswith("## Going deeper"):
            break
        if cell.cell_type == "markdown":
            text.append(cell.source)
    return "\n".join(text)


def stubs():
    """{function name: checker name} from the exercise cells."""
    found = {}
    for cell in cells():
        if cell.cell_type == "code" and "raise NotImplementedError" in cell.source:
            (function, checker), *_ = [(f, c) for c, f in re.findall(r"ct\.checks\.(\w+)\((\w+)\)", cell.source)]
            found[function] = checker
    return found


def solutions():
    """The code of every Solution block, with the markdown cell it came from."""
    found = []
    for cell in cells():
        if cell.cell_type == "markdown" and "<summary>Solution</summary>" in cell.source:
            for code in re.findall(r"```python\n(.*?)```", cell.source, flags=re.S):
                found.append((code, cell.source))
    return found


def notebook_namespace():
    """What a solution may use: np, ct and the notebook's torch_style_kl_div."""
    namespace = {"np": np, "ct": ct}
    for cell in cells():
        if cell.cell_type == "code" and "def torch_style_kl_div" in cell.source:
            exec(cell.source.split("\n\np = ")[0], namespace)
    assert "torch_style_kl_div" in namespace
    return namespace


def test_every_exercise_has_one_solution_that_passes_its_checker():
    by_function = stubs()
    assert len(by_function) == 9  # eight pitfalls and the transfer exercise
    solved = set()
    for code, _ in solutions():
        namespace = notebook_namespace()
        exec(code, namespace)
        (name,) = [n for n in by_function if n in namespace]
        result = getattr(ct.checks, by_function[name]).check(namespace[name])
        assert result.status == "correct", result.message
        solved.add(name)
    assert solved == set(by_function)


def test_each_solution_and_answer_is_in_its_own_closed_block():
    for cell in cells():
        if cell.cell_type == "markdown" and "<summary>" in cell.source:
            assert cell.source.startswith("<details><summary>")
            assert cell.source.count("<summary>") == 1 and cell.source.count("</details>") == 1
            assert "</details>" in cell.source.strip().splitlines()[-1] or "</details>\n" in cell.source


def test_no_solution_code_outside_a_details_block():
    for cell in cells():
        if cell.cell_type == "code":
            assert not re.search(r"def \w+_solution\(", cell.source), cell.source[:80]


def test_pitfall_1_says_keras_3_can_tell():
    text = main_path_markdown()
    assert "none can tell" not in text and "no framework" not in text.lower()
    assert "Keras 3's TensorFlow backend can" in text
    assert "produced by a Softmax activation" in text and "PyTorch is silent" in text
    summary = next(line for line in text.splitlines() if line.startswith("# | 1 |") or line.startswith("| 1 |"))
    assert "Keras 3 (TensorFlow backend)" in summary and "not PyTorch" in summary


@pytest.mark.parametrize("stem", ["07_choosing_a_loss", "08_pitfalls"])
def test_every_16_118_names_keras_3(stem):
    source = SOURCE.parent / f"{stem}.py"
    for cell in jupytext.read(source).cells:
        if cell.cell_type != "markdown":
            continue
        for match in re.finditer(r"16\.1(18|1)", cell.source):
            around = cell.source[max(0, match.start() - 300) : match.end() + 200]
            assert "Keras 3" in around, f"{stem}: '16.118' without 'Keras 3' near it: {around!r}"


def test_the_two_keras_caps():
    assert f"{-np.log(1e-7):.3f}" == "16.118"  # Keras 3: clip only
    clipped = np.clip(0.0, 1e-7, 1 - 1e-7)
    assert f"{-np.log(clipped + 1e-7):.2f}" == "15.42"  # tf.keras 2.x: clip, then log(p + ε)
    text = "\n".join(c.source for c in cells() if c.cell_type == "markdown")
    assert "tf.keras 2.x" in text and "15.42" in text


def test_the_prediction_prompts_have_hidden_answers():
    sequence = cells()
    prompts = [i for i, c in enumerate(sequence) if c.cell_type == "markdown" and "**Predict first:**" in c.source]
    assert len(prompts) == 2
    for i in prompts:
        j = i + 1
        while sequence[j].cell_type == "code":
            assert sequence[j].metadata.get("jupyter", {}).get("outputs_hidden") is True
            j += 1
        assert sequence[j].source.startswith("<details><summary>Answer</summary>")


def test_pitfall_5_exact_values_in_50_digits():
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 50
    labels = [[1, 0, 0], [0, mp.mpf("0.8"), mp.mpf("0.2")]]
    logits = [[4, 2, 1], [0, 5, 1]]
    exact = []
    for y, x in zip(labels, logits, strict=True):
        log_z = mp.log(mp.fsum(mp.e**v for v in x))
        exact.append(mp.fsum(-yi * (xi - log_z) for yi, xi in zip(y, x, strict=True)))
    assert [mp.nstr(v, 17) for v in exact] == ["0.16984601955628565", "0.82474489013882265"]
    text = "\n".join(c.source for c in cells() if c.cell_type == "markdown")
    assert "0.16984601955628565" in text and "0.82474489013882265" in text

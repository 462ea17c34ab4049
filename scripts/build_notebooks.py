"""Build the notebooks from their sources, run them, and store their outputs: the one way outputs are made.

    python scripts/build_notebooks.py                 # every notebook
    python scripts/build_notebooks.py 01_entropy      # some notebooks
    python scripts/build_notebooks.py --check         # change nothing; fail if any notebook is stale
    python scripts/build_notebooks.py --budget        # main-path words and longest code cell per notebook

Each ``notebooks/src/NN_name.py`` (jupytext percent format: reviewable diffs) becomes
``notebooks/NN_name.ipynb``: converted, executed top to bottom in a fresh kernel in ``notebooks/``, then
normalised. Normalising removes what changes on every run and what GitHub cannot render: the widget view
of a live figure's output (its model id is new on every run; the output keeps the figure's start picture,
a PNG, and its text, so GitHub shows the picture and nbval compares the text) and the ``metadata.widgets``
block. It also joins consecutive prints into one output, since how the kernel splits them depends on
timing. Static figures (PNG) and printed numbers stay, for readers on GitHub.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def has_widget_output(cell) -> bool:
    return any(WIDGET_MIME in out.get("data", {}) for out in cell.get("outputs", []))


def merged_streams(outputs: list) -> list:
    """Consecutive prints to the same stream as one output: how a print is split depends on timing."""
    merged = []
    for out in outputs:
        previous = merged[-1] if merged else None
        if (
            out.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous["name"] == out["name"]
        ):
            previous["text"] = "".join(previous["text"]) + "".join(out["text"])
        else:
            merged.append(out)
    return merged


def normalise(nb) -> None:
    """Drop widget views (a live figure keeps its PNG), widget state and volatile metadata."""
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    deeper_start = len(main_path(nb.cells))
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cell.pop("id", None)
        if i >= deeper_start:  # "Going deeper" stays out of the lecture deck
            cell.metadata["slideshow"] = {"slide_type": "skip"}
        if cell.cell_type == "code" and has_widget_output(cell):
            for out in cell.outputs:
                out.get("data", {}).pop(WIDGET_MIME, None)
            cell.outputs = [out for out in cell.outputs if out.get("data", True)]
        if cell.cell_type == "code":
            cell.outputs = merged_streams(cell.outputs)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                # the error itself, without a traceback full of this machine's file paths
                out["traceback"] = [f"{out['ename']}: {out['evalue']}"]
    nb.nbformat_minor = 4


def from_source(source: Path):
    nb = jupytext.read(source, fmt="py:percent")
    normalise(nb)
    return nb


def build(source: Path, *, timeout: int = 300) -> float:
    nb = from_source(source)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}, allow_errors=False
    ).execute()
    elapsed = time.perf_counter() - start
    normalise(nb)
    nbformat.validate(nb)
    nbformat.write(nb, NOTEBOOKS / f"{source.stem}.ipynb")
    return elapsed


def stale(source: Path) -> list[str]:
    """Reasons the stored notebook does not match its source or is not normalised (empty if fine)."""
    target = NOTEBOOKS / f"{source.stem}.ipynb"
    if not target.exists():
        return [f"{target.name} does not exist: run python scripts/build_notebooks.py {source.stem}"]
    stored = nbformat.read(target, as_version=4)
    expected = from_source(source)
    problems = []
    if [(c.cell_type, c.source) for c in stored.cells] != [(c.cell_type, c.source) for c in expected.cells]:
        problems.append(f"{target.name}: cells differ from {source.relative_to(ROOT)} (edit the source, then rebuild)")
    if [c.metadata for c in stored.cells] != [c.metadata for c in expected.cells]:
        problems.append(f"{target.name}: cell metadata (tags, slides) differs from the source")
    if "widgets" in stored.metadata:
        problems.append(f"{target.name}: still carries metadata.widgets")
    for i, cell in enumerate(stored.cells):
        if cell.cell_type != "code":
            continue
        if has_widget_output(cell) or (cell.execution_count is None and cell.outputs):
            problems.append(f"{target.name}: cell {i} keeps widget output (not normalised)")
    if any(len(out.get("traceback", [])) > 1 for c in stored.cells for out in c.get("outputs", [])):
        problems.append(f"{target.name}: an error output keeps its full traceback (machine paths)")
    counts = [c.execution_count for c in stored.cells if c.cell_type == "code" and c.execution_count is not None]
    if counts != sorted(counts) or len(set(counts)) != len(counts):
        problems.append(f"{target.name}: execution counts {counts} are not one clean top-to-bottom run")
    unrun = [i for i, c in enumerate(stored.cells) if c.cell_type == "code" and c.execution_count is None]
    if unrun:
        problems.append(f"{target.name}: code cells {unrun} were never run")
    return problems


WIDGET_CALL = re.compile(r"widgets\.(\w+)\([^\n]*\)")


def widget_shortcut(cell) -> str | None:
    """The shortcut a live figure's cell calls, or None for any other cell.

    A live figure's cell holds only the call, ``widgets.coin_entropy(p=0.9)``, or names the figure and
    shows it, ``explorer = widgets.bce_explorer()`` then ``explorer`` (notebooks/AUTHORING.md). Its stored
    output is the figure's start picture.
    """
    lines = cell.source.strip().split("\n") if cell.cell_type == "code" else []
    if len(lines) == 2:  # explorer = widgets.bce_explorer(…), then explorer
        name, _, call = lines[0].partition(" = ")
        lines = [call] if name.isidentifier() and lines[1] == name else []
    match = WIDGET_CALL.fullmatch(lines[0]) if len(lines) == 1 else None
    return match[1] if match else None


def is_widget_cell(cell) -> bool:
    return widget_shortcut(cell) is not None


# --- the course rules (notebooks/AUTHORING.md; tests/test_course.py) ---------------------------------

GOING_DEEPER = "## Going deeper"
PROMPT = "**Predict first:**"
REVEAL = re.compile(r"^\s*<details>\s*<summary>")
MAX_WORDS = 2000
MAX_CODE_LINES = 15


def main_path(cells) -> list:
    """The cells before the one whose first line is ``## Going deeper`` (all cells if there is none)."""
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith(GOING_DEEPER):
            return list(cells[:i])
    return list(cells)


def prose_words(markdown: str) -> int:
    """Words a learner reads: markdown without LaTeX math, HTML tags, link targets and code blocks."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]*\$", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return len(re.findall(r"[^\W_][\w'’-]*", text))


def code_lines(cell) -> int:
    """Non-blank lines that are not comments."""
    return sum(1 for line in cell.source.splitlines() if line.strip() and not line.strip().startswith("#"))


def budget(nb) -> tuple[int, int]:
    """(main-path prose words, lines of the longest code cell anywhere in the notebook)."""
    words = sum(prose_words(c.source) for c in main_path(nb.cells) if c.cell_type == "markdown")
    longest = max((code_lines(c) for c in nb.cells if c.cell_type == "code"), default=0)
    return words, longest


def is_prompt(cell) -> bool:
    return cell.cell_type == "markdown" and PROMPT in cell.source


def is_reveal(cell) -> bool:
    return cell.cell_type == "markdown" and bool(REVEAL.match(cell.source))


FIGURE_REPR = re.compile(r"<Figure size \d+x\d+ with \d+ Axes>|<live figure: [^<>]*>")  # a picture, no answer
CHECK_CODE = re.compile(r"^\s*assert |checks\.compare\(", flags=re.MULTILINE)


def collapsed_preview(cell) -> str:
    """What JupyterLab 4 still shows of a collapsed output: the first non-empty line of the first output
    (@jupyterlab/cells, getOutputPlaceholderText), followed by "•••"."""
    first = cell.outputs[0]
    text = first.get("text") if first.output_type == "stream" else first.get("data", {}).get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else (text or "")
    return next((line for line in text.split("\n") if line), "")


def shows_output(cell) -> bool:
    """A code cell whose stored output is on screen when the notebook is opened."""
    hidden = cell.metadata.get("jupyter", {}).get("outputs_hidden", False)
    return cell.cell_type == "code" and bool(cell.get("outputs")) and not hidden


def predict_first_problems(cells) -> list[str]:
    """Where an answer is on screen before the learner commits to a prediction (AUTHORING.md, step 5)."""
    problems = []
    open_prompt = None  # index of the prompt waiting for its reveal
    for i, cell in enumerate(cells):
        if is_prompt(cell):
            if open_prompt is not None:
                problems.append(f"cell {open_prompt}: prediction prompt without a <details> reveal before cell {i}")
            open_prompt = i
            if "<details" in cell.source:
                problems.append(f"cell {i}: the prompt and its reveal must be separate cells")
        elif open_prompt is not None:
            if is_reveal(cell):
                open_prompt = None
            elif cell.cell_type == "markdown":
                problems.append(f"cell {i}: markdown between the prompt in cell {open_prompt} and its reveal")
            elif shows_output(cell):
                problems.append(
                    f"cell {i}: its output is on screen before the reveal of the prompt in cell "
                    f'{open_prompt} (add jupyter={{"outputs_hidden": true}})'
                )
            elif cell.cell_type == "code" and cell.get("outputs"):
                preview = collapsed_preview(cell)
                if re.search(r"\d", FIGURE_REPR.sub("", preview)):
                    problems.append(
                        f"cell {i}: JupyterLab shows {preview!r} of its collapsed output before the "
                        f"reveal of the prompt in cell {open_prompt} (print a plain header line first)"
                    )
            if cell.cell_type == "code" and CHECK_CODE.search(cell.source):
                problems.append(
                    f"cell {i}: a check cell before the reveal of the prompt in cell {open_prompt} shows "
                    "the answer in its code (move it after the reveal)"
                )
        if is_widget_cell(cell) and open_prompt is None:
            problems.append(f"cell {i}: a live widget with no prediction prompt before it")
    if open_prompt is not None:
        problems.append(f"cell {open_prompt}: prediction prompt without a <details> reveal")
    return problems


def answer_problems(cells) -> list[str]:
    """Each answer in its own closed <details> block with one <summary>; every solution inside one."""
    problems = []
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        opened, closed = cell.source.count("<details"), cell.source.count("</details>")
        if opened != closed:
            problems.append(f"cell {i}: {opened} <details> but {closed} </details>")
        for block in re.findall(r"<details.*?</details>", cell.source, flags=re.S):
            if block.count("<summary") != 1:
                summaries = block.count("<summary")
                problems.append(f"cell {i}: a <details> block with {summaries} <summary> (one per answer)")
        outside = re.sub(r"<details.*?</details>", "", cell.source, flags=re.S)
        if re.search(r"\*\*(Solution|Answer)s?\b|^#+\s*(Solution|Answer)", outside, flags=re.M):
            problems.append(f"cell {i}: a solution or answer outside a <details> block")
    return problems


def course_problems(nb) -> list[str]:
    """Every way ``nb`` breaks the course rules of notebooks/AUTHORING.md."""
    problems = predict_first_problems(nb.cells) + answer_problems(nb.cells)
    words, longest = budget(nb)
    if words > MAX_WORDS:
        problems.append(f"main path has {words} words of prose (at most {MAX_WORDS})")
    if longest > MAX_CODE_LINES:
        problems.append(f"a code cell has {longest} lines (at most {MAX_CODE_LINES})")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    if "(transfer)" not in text:
        problems.append("no exercise is marked (transfer)")
    if "badge_logo.svg" in text:
        problems.append("the Binder badge image loads from the network: use a plain link")
    if not any(is_prompt(c) for c in nb.cells):
        problems.append("no prediction prompt")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="notebook names without extension (default: all)")
    parser.add_argument("--check", action="store_true", help="only check that notebooks are built and normalised")
    parser.add_argument("--budget", action="store_true", help="print main-path words and the longest code cell")
    args = parser.parse_args(argv)
    sources = sorted(SOURCES.glob("*.py"))
    if args.names:
        sources = [s for s in sources if s.stem in args.names]
        missing = set(args.names) - {s.stem for s in sources}
        if missing:
            parser.error(f"no source notebooks/src/NAME.py for: {', '.join(sorted(missing))}")
    if args.budget:
        for source in sources:
            words, longest = budget(from_source(source))
            print(
                f"{source.stem:<28} main path {words:>5} words (≤ {MAX_WORDS})   "
                f"longest code cell {longest:>3} lines (≤ {MAX_CODE_LINES})"
            )
        return 0
    if args.check:
        problems = [p for s in sources for p in stale(s)]
        print("\n".join(problems) or f"{len(sources)} notebooks are built from their sources and normalised.")
        return 1 if problems else 0
    for i, source in enumerate(sources, 1):
        print(f"[{i}/{len(sources)}] {source.stem} ...", end=" ", flush=True)
        print(f"ran in {build(source):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

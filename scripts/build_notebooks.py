"""Build the notebooks from their sources, run them, and store their outputs: the one way outputs are made.

    python scripts/build_notebooks.py                 # every notebook
    python scripts/build_notebooks.py 01_entropy      # some notebooks
    python scripts/build_notebooks.py --check         # change nothing; fail if any notebook is stale

Each ``notebooks/src/NN_name.py`` (jupytext percent format: reviewable diffs) becomes
``notebooks/NN_name.ipynb``: converted, executed top to bottom in a fresh kernel in ``notebooks/``, then
normalised. Normalising removes what changes on every run and what GitHub cannot render: the outputs
of cells that display widgets (their cell is left unexecuted, so nbval runs it without comparing) and
the ``metadata.widgets`` block. It also joins consecutive prints into one output, since how the kernel
splits them depends on timing. Static figures (PNG) and printed numbers stay, for readers on GitHub.
"""

from __future__ import annotations

import argparse
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
        if (out.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous["name"] == out["name"]):
            previous["text"] = "".join(previous["text"]) + "".join(out["text"])
        else:
            merged.append(out)
    return merged


def normalise(nb) -> None:
    """Clear widget outputs (and their execution count), drop widget state and volatile metadata."""
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.pop("id", None)
        if cell.cell_type == "code" and has_widget_output(cell):
            cell.outputs = []
            cell.execution_count = None
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
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}},
                   allow_errors=False).execute()
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
    unrun = [i for i, c in enumerate(stored.cells) if c.cell_type == "code" and c.execution_count is None
             and not is_widget_cell(c)]
    if unrun:
        problems.append(f"{target.name}: code cells {unrun} were never run")
    return problems


def is_widget_cell(cell) -> bool:
    """A cleared widget cell: a code cell stored without outputs that holds only the widget call
    (``widgets.…``; notebooks/AUTHORING.md)."""
    return cell.cell_type == "code" and not cell.outputs and cell.source.strip().startswith("widgets.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="notebook names without extension (default: all)")
    parser.add_argument("--check", action="store_true", help="only check that notebooks are built and normalised")
    args = parser.parse_args(argv)
    sources = sorted(SOURCES.glob("*.py"))
    if args.names:
        sources = [s for s in sources if s.stem in args.names]
        missing = set(args.names) - {s.stem for s in sources}
        if missing:
            parser.error(f"no source notebooks/src/NAME.py for: {', '.join(sorted(missing))}")
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

"""Every notebook is built from its source by scripts/build_notebooks.py and normalised.

nbval (configured in pyproject.toml) then re-runs each notebook and compares the outputs, which
catches stale outputs; this test catches a notebook edited without rebuilding, widget state left in
the file, and cells that were never run.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("build_notebooks", ROOT / "scripts" / "build_notebooks.py")
build_notebooks = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(build_notebooks)

SOURCES = sorted((ROOT / "notebooks" / "src").glob("*.py"))


def test_every_notebook_has_a_source():
    notebooks = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert notebooks == {s.stem for s in SOURCES}, "each notebooks/NN_name.ipynb needs notebooks/src/NN_name.py"
    assert SOURCES, "no notebooks yet"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_is_built_and_normalised(source):
    assert build_notebooks.stale(source) == []


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_follows_the_skeleton(source):
    text = source.read_text(encoding="utf-8")
    stem = source.stem
    assert f"# # {stem[:2]} · " in text, "title cell '# NN · Title' missing"
    assert f"urlpath=lab/tree/notebooks/{stem}.ipynb" in text, "Binder badge for this notebook missing"
    assert "import ce_teach as ct" in text
    assert "sys.path" not in text, "no sys.path hacks: ce_teach is installed by requirements.txt"
    assert "np.random.seed" not in text, "use an explicit generator: rng = np.random.default_rng(0)"

"""Every notebook exports to a reveal.js slide deck, one slide per section its source marks as a slide."""

from pathlib import Path

import nbformat
import pytest
from nbconvert import SlidesExporter

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_exports_to_slides(path):
    nb = nbformat.read(path, as_version=4)
    marked = sum(c.metadata.get("slideshow", {}).get("slide_type") == "slide" for c in nb.cells)
    assert marked >= 3, f"{path.stem}: only {marked} cells open a slide; mark each main section"
    html, _ = SlidesExporter().from_notebook_node(nb)
    assert "reveal" in html
    # the title slide plus one top-level <section> per marked slide
    assert html.count("<section") >= marked + 1

"""A static figure stays an inline PNG after a live figure has been made, in a real kernel.

A live figure draws on its own ``Figure`` (no pyplot, no backend switch). If making one ever lost the
inline backend's hook that sends figures after each cell (as importing ipympl once did), every later
``plt.show()`` would be stored as the text ``<Figure ...>`` only, and readers on GitHub would see no figure.
"""

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

CELLS = [
    "import matplotlib.pyplot as plt\nfrom ce_teach import widgets",
    "w = widgets.coin_entropy(p=0.3)",  # the first live figure, before any static one has been shown
    "fig, ax = plt.subplots(figsize=(2, 2))\nax.plot([0, 1], [0, 1])\nplt.show()",
    "fig, ax = plt.subplots(figsize=(2, 2))\nax.plot([0, 1], [1, 0])\nplt.show()",
]


def test_static_figures_after_a_live_one_are_stored_as_png():
    nb = new_notebook(cells=[new_code_cell(source) for source in CELLS])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    for cell in nb.cells[2:]:
        kinds = [set(out.get("data", {})) for out in cell.outputs]
        assert any("image/png" in k for k in kinds), f"{cell.source!r} stored no PNG: {cell.outputs}"

"""Predict first, in real JupyterLab: a notebook opened with its stored outputs shows no answer before its
reveal. Every cell stored with ``outputs_hidden`` (the static figure or number that answers a prediction
prompt) opens collapsed, and the cells without it do show their outputs."""

from __future__ import annotations

import json

import pytest

from .lab import ROOT

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def hidden_cells(name: str) -> list[int]:
    cells = json.loads((ROOT / "notebooks" / name).read_text())["cells"]
    hidden = [c.get("outputs") and c["metadata"].get("jupyter", {}).get("outputs_hidden") for c in cells]
    return [i for i, h in enumerate(hidden) if h]


@pytest.mark.parametrize("name", [n for n in NOTEBOOKS if hidden_cells(n)])
def test_stored_answers_open_collapsed(browser, lab_server, name):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(lab_server.page(f"lab/tree/{name}?reset"), wait_until="domcontentloaded")
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
            " && window.jupyterapp.shell.currentWidget.content"
            " && window.jupyterapp.shell.currentWidget.content.widgets.length > 0",
            timeout=90_000,
        )
        page.evaluate("() => window.jupyterapp.shell.currentWidget.context.ready")
        state = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets.map(cell => {
            const area = cell.node.querySelector('.jp-OutputArea');
            const shown = !!area && [...area.querySelectorAll('.jp-OutputArea-output')]
                .some(o => o.getBoundingClientRect().height > 0);
            return {hidden: cell.model.type === 'code' && !!cell.outputHidden, shown: shown};
        })""")
        expected = hidden_cells(name)
        assert [i for i, s in enumerate(state) if s["hidden"]] == expected
        assert not [i for i in expected if state[i]["shown"]], "an answer is on screen before its reveal"
        assert any(s["shown"] for s in state), "no output shown at all: the check would pass on an empty page"
    finally:
        page.close()

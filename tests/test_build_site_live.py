"""scripts/build_site.py's live figures: which notebooks are run for them, the cache of their tables, and
how a page shows them (no browser needed: tests/browser/test_site.py moves them in one)."""

import base64
import importlib.util
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from ce_teach import widgets
from ce_teach.widgets import embed

ROOT = Path(__file__).resolve().parents[1]
PNG = base64.b64encode(b"\x89PNG stand-in").decode()


def load_build_site():
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


site = load_build_site()
PORTED = widgets.SHORTCUTS[0]


def picture(text: str = "<live figure>") -> nbformat.NotebookNode:
    return nbformat.v4.new_output("execute_result", data={"image/png": PNG, "text/plain": text}, execution_count=1)


def notebook(tmp_path, *cells) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    path = tmp_path / "99_demo.ipynb"
    nbformat.write(nb, path)
    return path


FAKE = {"spec": {"controls": [], "note": "</script><!-- x"}, "index": [0], "tables": "AAAA", "still": "AAAA"}


def test_a_figure_takes_the_place_of_its_stored_picture_which_stays_as_its_fallback():
    cell = nbformat.v4.new_code_cell(f"widgets.{PORTED}()", outputs=[picture()])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), cell])
    assert site.show_live_figures(nb, {1: [FAKE]}) == 1
    (output,) = nb.cells[1].outputs
    page = output["data"]["text/html"]
    assert page.startswith('<div class="ce-live-embed tex2jax_ignore"><div class="ce-live-fallback"><img')
    assert f"data:image/png;base64,{PNG}" in page
    data = re.search(r'<script type="application/json">(.*?)</script>', page).group(1)
    assert "<" not in data and json.loads(data) == FAKE  # "</script>" and "<!--" in a string cannot end it


def test_an_old_widget_cell_keeps_only_its_pictures_and_no_note():
    text_only = nbformat.v4.new_code_cell(
        "widgets.old_widget()",
        outputs=[
            nbformat.v4.new_output(
                "execute_result", data={"text/plain": "LiveWidget(children=(...))"}, execution_count=1
            )
        ],
    )
    with_png = nbformat.v4.new_code_cell("widgets.older_widget()", outputs=[picture("VBox(...)")])
    nb = nbformat.v4.new_notebook(cells=[text_only, with_png])
    assert site.show_live_figures(nb, {}) == 0
    assert nb.cells[0].outputs == [] and nb.cells[1].outputs == [picture("VBox(...)")]


def test_a_stored_notebook_that_no_longer_matches_its_run_is_an_error():
    cell = nbformat.v4.new_code_cell(f"widgets.{PORTED}()", outputs=[picture()])
    nb = nbformat.v4.new_notebook(cells=[cell])
    with pytest.raises(SystemExit, match="cell 0 stores 1 pictures but shows 2 live figures.*out of date"):
        site.show_live_figures(nb, {0: [FAKE, FAKE]}, "99_demo")


def test_the_script_and_style_go_in_once():
    page = "<html><head><title>t</title></head><body><p>x</p></body></html>"
    out = site.with_live_script(page)
    assert out.count("<script>") == 1 and out.count("<style>") == 1
    assert out.index("<style>") < out.index("</head>") < out.index("<p>x</p>") < out.index("<script>")
    assert out.rstrip().endswith("</script>\n</body></html>")
    assert "ce_live_module" in out and ".ce-live-figure" in out


def test_the_shortcut_of_a_widget_cell():
    assert site.shortcut_of(nbformat.v4.new_code_cell("widgets.coin_entropy(p=0.9)")) == "coin_entropy"
    assert site.shortcut_of(nbformat.v4.new_code_cell("widgets .x()")) is None
    assert site.shortcut_of(nbformat.v4.new_code_cell("w = widgets.coin_entropy()")) is None
    assert site.shortcut_of(nbformat.v4.new_markdown_cell("widgets.coin_entropy()")) is None


def test_a_notebook_with_no_live_figure_is_not_run(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(site, "executed_figures", lambda path: pytest.fail(f"{path.name} was run"))
    old = notebook(tmp_path, nbformat.v4.new_code_cell("widgets.not_a_live_figure_shortcut()"))
    assert site.live_figures(old) == {}
    assert not (tmp_path / "cache").exists()


def test_live_figures_are_run_once_then_read_from_the_cache_until_the_notebook_changes(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runs = []
    monkeypatch.setattr(site, "executed_figures", lambda path: runs.append(path) or {0: [FAKE]})
    path = notebook(tmp_path, nbformat.v4.new_code_cell(f"widgets.{PORTED}()"))
    assert site.live_figures(path) == {0: [FAKE]} and len(runs) == 1
    assert re.search(r"executing 99_demo for its live figures \.\.\. \d+\.\d s", capsys.readouterr().out)
    (cached,) = (tmp_path / "cache" / "ce-teach" / "widget-state").iterdir()
    assert cached.name == f"99_demo.{site.state_key(path)}.json"
    assert site.live_figures(path) == {0: [FAKE]} and len(runs) == 1  # from the cache
    cached.write_text("{not json")
    assert site.live_figures(path) == {0: [FAKE]} and len(runs) == 2  # an unreadable cache: run again
    notebook(tmp_path, nbformat.v4.new_code_cell(f"widgets.{PORTED}(p=0.5)"))
    assert site.live_figures(path) == {0: [FAKE]} and len(runs) == 3  # the notebook changed
    (newer,) = (tmp_path / "cache" / "ce-teach" / "widget-state").iterdir()  # the older file is gone
    assert newer.name == f"99_demo.{site.state_key(path)}.json" != cached.name


def test_a_shortcut_cell_that_shows_no_live_figure_when_run_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(site, "executed_figures", lambda path: {})
    path = notebook(tmp_path, nbformat.v4.new_code_cell("1 + 1"), nbformat.v4.new_code_cell(f"widgets.{PORTED}()"))
    with pytest.raises(SystemExit, match=f"99_demo: cell 1 calls widgets.{PORTED} but shows no live figure"):
        site.live_figures(path)
    assert not (tmp_path / "cache" / "ce-teach" / "widget-state").exists() or not any(
        (tmp_path / "cache" / "ce-teach" / "widget-state").iterdir()
    )


def test_a_closed_or_foreign_widget_model_is_not_embedded():
    model = {"model_module": "anywidget", "state": {"spec": {}, "index": [0]}, "buffers": []}
    with pytest.raises(ValueError, match="closed"):
        embed.widget_state(model)
    with pytest.raises(ValueError, match="not a ce_teach live figure"):
        embed.widget_state({"model_module": "@jupyter-widgets/controls", "state": {"value": 1}})


def test_the_cache_key_follows_the_package_sources_and_the_page_script(tmp_path, monkeypatch):
    package = tmp_path / "ce_teach"
    (package / "widgets").mkdir(parents=True)
    files = {"__init__.py": "", "widgets/_tables.py": "A = 1\n", "widgets/live.js": "// js", "widgets/live.css": "/**/"}
    for name, text in files.items():
        (package / name).write_text(text)
    monkeypatch.setattr(site, "PACKAGE", package)
    path = notebook(tmp_path, nbformat.v4.new_code_cell(f"widgets.{PORTED}()"))
    keys = {site.state_key(path)}
    for name in ["widgets/_tables.py", "widgets/live.js", "widgets/live.css"]:
        (package / name).write_text(files[name] + " ")
        keys.add(site.state_key(path))
    shutil.move(package / "widgets" / "_tables.py", package / "widgets" / "_tables2.py")  # a renamed file
    keys.add(site.state_key(path))
    assert len(keys) == 5
    assert site.state_key(path) == site.state_key(path)


def test_a_run_notebook_gives_the_same_figure_as_the_shortcut_made_here():
    """The stored widget state (nbclient), decoded by embed.widget_state, is the figure the shortcut makes:
    the same spec, start position, tables and still picture, byte for byte; only cells of live figures are given one."""
    path = ROOT / "notebooks" / "01_entropy.ipynb"
    cells = nbformat.read(path, as_version=4).cells
    figures = site.live_figures(path)
    ported = {i for i, cell in enumerate(cells) if site.shortcut_of(cell) in widgets.SHORTCUTS}
    assert set(figures) == ported and ported, f"cells with live figures: {sorted(figures)}, expected {ported}"
    for i in ported:
        (state,) = figures[i]
        made = embed.state_of(eval(cells[i].source, {"widgets": widgets}))  # noqa: S307 (the notebook's own cell)
        assert state["spec"] == made["spec"] and state["index"] == made["index"]
        assert base64.b64decode(state["tables"]) == base64.b64decode(made["tables"]), f"cell {i}: tables differ"
        assert state["still"] == made["still"], f"cell {i}: the still picture differs"


def test_no_script_changes_sys_path():
    """scripts/ load their siblings from their own folder (``sibling``), without inserting into sys.path."""
    changes = re.compile(r"sys\.path\s*(\.\w+\(|\[|\+?=)")  # .insert(, .append(, [0:0] =, = , +=
    offenders = [p.name for p in sorted((ROOT / "scripts").glob("*.py")) if changes.search(p.read_text())]
    assert not offenders, f"sys.path changed in {offenders}"
    assert site.build_notebooks.is_widget_cell is site.is_widget_cell

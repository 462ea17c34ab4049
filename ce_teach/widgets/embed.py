"""Live figures in a static page (the site, the slides): no kernel, no widget manager, no network.

A live figure needs nothing from the kernel once its tables are sent, so a page can hold them itself:
``embed_html`` writes one figure's state into the page, and ``page_script`` is ``live.js`` with a
stand-in for the widget model, run from a plain ``<script>`` (a module script would not load from a
``file://`` page). ``widget_state`` takes a figure's state as Jupyter stores it (nbclient's
``store_widget_state``), so a page can show the figures of an executed notebook.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

__all__ = ["embed_html", "page_script", "page_style", "widget_state", "MODEL_MODULE"]

MODEL_MODULE = "anywidget"
_HERE = Path(__file__).parent

_SHIM = """
(function () {
  const live = ce_live_module.default;
  function bytes(text) {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return new DataView(out.buffer);
  }
  function model(state) {
    const values = { spec: state.spec, index: state.index, tables: bytes(state.tables), still: bytes(state.still) };
    return { get: (k) => values[k], set: (k, v) => { values[k] = v; }, save_changes() {}, on() {}, off() {} };
  }
  function start() {
    for (const el of document.querySelectorAll("div.ce-live-embed:not([data-rendered])")) {
      const state = JSON.parse(el.querySelector("script[type='application/json']").textContent);
      const target = document.createElement("div");
      el.appendChild(target);
      el.querySelector(".ce-live-fallback")?.remove();
      live.render({ model: model(state), el: target });
      el.dataset.rendered = "true";
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
"""


def page_script() -> str:
    """The JavaScript a page with live figures needs, once, in a plain ``<script>`` element."""
    source = (_HERE / "live.js").read_text(encoding="utf-8")
    body, export, value = source.rpartition("export default ")
    if not export or "export " in body or re.search(r"^\s*import\s", body, flags=re.M):
        raise RuntimeError("live.js must import nothing and end with its one `export default { render };`")
    module = (
        f"const ce_live_module = (function () {{\n{body}return {{ default: {value.strip().rstrip(';')} }};\n}})();\n"
    )
    return module + _SHIM


# A page's own rules for images (nbconvert's reveal.js template: a margin and at most 95% of the box) would
# move or shrink the still picture under the canvas, so the marker would miss its curve: undone here, with a
# selector more specific than theirs.
_PAGE_RESET = """
.ce-live-embed .ce-live .ce-live-figure > img, .ce-live-embed .ce-live .ce-live-figure > canvas {
  margin: 0; padding: 0; border: 0; max-width: none; max-height: none; box-shadow: none; background: none; }
"""


def page_style() -> str:
    """The style a page with live figures needs, once, in a ``<style>`` element: live.css, and the reset of
    the page's own image rules inside a figure."""
    return (_HERE / "live.css").read_text(encoding="utf-8") + _PAGE_RESET


def widget_state(model: dict) -> dict:
    """The spec, index and base64 tables and still image of one stored live-figure model.

    ``model`` is one entry of a notebook's ``metadata.widgets['application/vnd.jupyter.widget-state+json']
    ['state']``: ``{"model_module": …, "state": {…}, "buffers": [{"path": [name], "data": base64}, …]}``.
    """
    if model.get("model_module") != MODEL_MODULE or "spec" not in model.get("state", {}):
        raise ValueError("not a ce_teach live figure")
    if not model["state"]["spec"]:
        raise ValueError("a closed live figure (its tables were let go): nothing to show")
    state = dict(model["state"])
    for buffer in model.get("buffers", []):
        state[buffer["path"][0]] = buffer["data"]
    return {"spec": state["spec"], "index": state["index"], "tables": state["tables"], "still": state["still"]}


def embed_html(state: dict, fallback_html: str = "") -> str:
    """One live figure in a page: its state as JSON, and what to show where scripts do not run.

    The figure is marked ``tex2jax_ignore``: MathJax, on a page that has it, leaves the controls and the
    readout alone (it would typeset them once, and the readout changes with every move)."""
    # every "<" escaped (only strings hold one): no "</script>" or "<!--" can end or change the script element
    data = json.dumps(state, separators=(",", ":")).replace("<", "\\u003c")
    fallback = f'<div class="ce-live-fallback">{fallback_html}</div>' if fallback_html else ""
    return f'<div class="ce-live-embed tex2jax_ignore">{fallback}<script type="application/json">{data}</script></div>'


def state_of(widget) -> dict:
    """The embeddable state of a live figure made in this process (for tests and previews)."""
    return {
        "spec": widget.spec,
        "index": list(widget.index),
        "tables": base64.b64encode(widget.tables).decode(),
        "still": base64.b64encode(widget.still).decode(),
    }


def preview_page(widgets, title: str = "live figures") -> str:
    """A whole HTML page showing the given live figures, with no kernel."""
    body = "".join(embed_html(state_of(w)) for w in widgets)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{page_style()}</style></head><body>{body}<script>{page_script()}</script></body></html>"
    )

"""Build a static HTML site of the executed notebooks: executable documentation that needs no kernel.

    python scripts/build_site.py            # writes _site/index.html and one page per notebook

The pages are the notebooks as stored, with their outputs, and with live figures whose sliders work in
the page, with no kernel: every position a live figure can show was computed in Python (ce_teach's
tables, ce_teach/widgets/_tables.py), so the page only looks it up and draws it (live.js, inline). The
stored notebooks keep only each live figure's start picture, so a notebook with live figures is executed
once to get their tables (nbclient's stored widget state); the result is cached in
~/.cache/ce-teach/widget-state (one file per notebook, named by the sha256 of the notebook and of the
ce_teach sources, the notebook's older files deleted), so the slides
(scripts/build_slides.py) and later builds reuse it. Where scripts do not run, a live figure shows its
start picture. Math is rendered by a local copy of MathJax 2.7.9, the version nbconvert's templates are
written for, so the site works offline; every page has previous / contents / next links.

MathJax comes from the npm registry (its tarball, checked against the registry's sha512; no node needed)
and is cached in ~/.cache/ce-teach, so only the first build needs the network.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import io
import json
import os
import re
import shutil
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from ce_teach.widgets import SHORTCUTS, embed


def sibling(name: str):
    """The module ``scripts/<name>.py`` beside this file (scripts/ is not a package): loaded from its path,
    so this works however this file was started or loaded, and nothing is added to ``sys.path``."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_notebooks = sibling("build_notebooks")
is_widget_cell = build_notebooks.is_widget_cell  # one definition of a widget cell
widget_shortcut = build_notebooks.widget_shortcut
WIDGET_VIEW = build_notebooks.WIDGET_MIME
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PACKAGE = ROOT / "ce_teach"
MATHJAX_TARBALL = "https://registry.npmjs.org/mathjax/-/mathjax-2.7.9.tgz"
MATHJAX_SHA512 = "NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ=="
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
# What the pages use, out of the 73 MB package: TeX input, HTML-CSS output with the TeX fonts, MathML fallback.
MATHJAX_PARTS = [
    "LICENSE",
    "MathJax.js",
    "config/TeX-AMS-MML_HTMLorMML-full.js",
    "config/Safe.js",
    "extensions",
    "jax/input/TeX",
    "jax/element",
    "jax/output/NativeMML",
    "jax/output/HTML-CSS/jax.js",
    "jax/output/HTML-CSS/config.js",
    "jax/output/HTML-CSS/imageFonts.js",
    "jax/output/HTML-CSS/autoload",
    "jax/output/HTML-CSS/fonts/TeX",
    "fonts/HTML-CSS/TeX/woff",
    "fonts/HTML-CSS/TeX/otf",
]


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ce-teach"


def sha512_of(data: bytes) -> str:
    return base64.b64encode(hashlib.sha512(data).digest()).decode()


def mathjax_tarball() -> bytes:
    """The MathJax tarball's bytes, verified against the registry's sha512 on every use.

    The cached copy is checked each time it is read (a corrupted or replaced file is deleted and downloaded
    again), and the bytes that passed the check are the ones extracted: the file is not reopened after it.
    """
    path = cache_dir() / MATHJAX_TARBALL.rsplit("/", 1)[1]
    if path.exists():
        data = path.read_bytes()
        if sha512_of(data) == MATHJAX_SHA512:
            return data
        print(f"{path}: sha512 does not match the registry's; deleting it and downloading again", file=sys.stderr)
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"downloading {MATHJAX_TARBALL} (21 MB, once) ...", file=sys.stderr)
    try:
        with urllib.request.urlopen(MATHJAX_TARBALL, timeout=120) as response:
            data = response.read()
    except OSError as error:
        raise SystemExit(f"could not download MathJax from {MATHJAX_TARBALL}: {error}") from error
    digest = sha512_of(data)
    if digest != MATHJAX_SHA512:
        raise SystemExit(f"{MATHJAX_TARBALL}: sha512 {digest} is not the expected {MATHJAX_SHA512}")
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(path)
    return data


def copy_mathjax(out: Path) -> None:
    extract_parts(mathjax_tarball(), out)


def extract_parts(tarball: bytes, out: Path) -> None:
    """Write the MATHJAX_PARTS files of the tarball under ``out``; refuse any member that could escape it.

    Every member is checked before anything is written: an absolute name, a ``..`` component, or a link
    (symbolic or hard) is an error naming the member, and each file's target must resolve inside ``out``.
    """
    root = out.resolve()
    with tarfile.open(fileobj=io.BytesIO(tarball)) as tar:
        members = tar.getmembers()
        for member in members:
            name = member.name
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in re.split(r"[/\\]", name):
                raise SystemExit(f"refusing MathJax archive member {name!r}: its path would leave the output folder")
            if member.issym() or member.islnk():
                raise SystemExit(f"refusing MathJax archive member {name!r}: links are not extracted")
        for member in members:
            name = member.name.removeprefix("package/")
            if member.isfile() and any(name == part or name.startswith(part + "/") for part in MATHJAX_PARTS):
                target = out / name
                if not target.resolve().is_relative_to(root):
                    raise SystemExit(f"refusing MathJax archive member {member.name!r}: it resolves outside {out}")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tar.extractfile(member).read())


NAV_STYLE = """
<style>
  .ce-nav { font-family: system-ui, sans-serif; display: flex; justify-content: space-between; max-width: 1100px;
            margin: 0.5em auto; padding: 0.5em 1em; border-bottom: 1px solid #ddd; }
  .ce-nav a { text-decoration: none; color: #2a5db0; }
  .ce-nav span { color: #999; }
</style>
"""


def title_and_subtitle(nb) -> tuple[str, str]:
    """The notebook's H1 title and the line after it, from its first markdown cell."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
            title = next((line[2:] for line in lines if line.startswith("# ")), "")
            rest = [line for line in lines if not line.startswith("#") and not line.startswith("[![")]
            return title, (rest[0] if rest else "")
    return "", ""


# --- live figures: their tables from an executed copy of the notebook, cached ------------------------

STATE_FORMAT = "1"  # bump when what the cache holds changes


def shortcut_of(cell) -> str | None:
    """The shortcut a widget cell calls (``widgets.coin_entropy(p=0.9)`` → ``coin_entropy``), or None."""
    return widget_shortcut(cell)


def has_live_figures(nb) -> bool:
    """Whether a widget cell of ``nb`` calls a shortcut that makes a live figure (``widgets.SHORTCUTS``).
    Cells that still make an old kernel-driven widget do not count: running the notebook would not give
    them anything a page can show."""
    return any(shortcut_of(cell) in SHORTCUTS for cell in nb.cells)


def state_key(path: Path) -> str:
    """What a notebook's live figures depend on: the notebook file and every file of the ce_teach package
    that can change a table, a picture or the page's script (all ``*.py``, live.js, live.css)."""
    digest = hashlib.sha256(f"ce-teach widget state {STATE_FORMAT}\n".encode())
    digest.update(path.read_bytes())
    sources = sorted([*PACKAGE.rglob("*.py"), PACKAGE / "widgets" / "live.js", PACKAGE / "widgets" / "live.css"])
    for source in sources:
        digest.update(f"\n{source.relative_to(PACKAGE).as_posix()}\n".encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def executed_figures(path: Path, *, timeout: int = 600) -> dict[int, list[dict]]:
    """Run the notebook (a fresh kernel in notebooks/, as scripts/build_notebooks.py does) and return, for
    each cell that shows live figures, their embeddable states in output order (``embed.widget_state``)."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        store_widget_state=True,
    ).execute()
    models = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    figures: dict[int, list[dict]] = {}
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if not view or view.get("model_id") not in models:
                continue
            try:
                state = embed.widget_state(models[view["model_id"]])
            except ValueError:  # an old kernel-driven widget: nothing to embed
                continue
            figures.setdefault(i, []).append(state)
    return figures


def live_figures(path: Path) -> dict[int, list[dict]]:
    """The live figures of a notebook by cell index: from the cache, or by executing the notebook once.

    Empty, with nothing run, for a notebook whose widget cells make no live figure."""
    if not has_live_figures(nbformat.read(path, as_version=4)):
        return {}
    cached = cache_dir() / "widget-state" / f"{path.stem}.{state_key(path)}.json"
    if cached.is_file():
        try:
            return {int(i): states for i, states in json.loads(cached.read_text(encoding="utf-8")).items()}
        except (ValueError, AttributeError):
            print(f"{cached}: unreadable; executing the notebook again", file=sys.stderr)
    print(f"executing {path.stem} for its live figures ...", end=" ", flush=True)
    start = time.perf_counter()
    figures = executed_figures(path)
    print(f"{time.perf_counter() - start:.1f} s", flush=True)
    for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if shortcut_of(cell) in SHORTCUTS and i not in figures:
            raise SystemExit(
                f"{path.stem}: cell {i} calls widgets.{shortcut_of(cell)} but shows no live figure when run"
            )
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.part")  # its own file: builds running at once do not mix
    partial.write_text(json.dumps({str(i): states for i, states in figures.items()}), encoding="utf-8")
    partial.replace(cached)
    for stale in cached.parent.glob(f"{path.stem}.*.json"):  # this notebook's older entries: never read again
        if stale != cached:
            stale.unlink(missing_ok=True)
    return figures


def show_live_figures(nb, figures: dict[int, list[dict]], name: str = "notebook") -> int:
    """Put each live figure in place of its stored picture; return how many were put.

    A cell with live figures shows them (each with its stored start picture as the fallback where scripts
    do not run). A widget cell with none (an old kernel-driven widget) keeps only its pictures, if any:
    its text is the widget's repr, nothing for a reader."""
    placed = 0
    for i, cell in enumerate(nb.cells):
        states = figures.get(i, [])
        if states:
            pictures = [k for k, output in enumerate(cell.outputs) if "image/png" in output.get("data", {})]
            if len(pictures) != len(states):
                raise SystemExit(
                    f"{name}: cell {i} stores {len(pictures)} pictures but shows {len(states)} live figures when "
                    "run: the stored notebook is out of date (python scripts/build_notebooks.py)"
                )
            outputs = list(cell.outputs)
            for k, state in zip(pictures, states, strict=True):
                live = embed.embed_html(state, output_html(outputs[k]))
                outputs[k] = nbformat.v4.new_output("display_data", data={"text/html": live})
            cell.outputs = outputs
            placed += len(states)
        elif is_widget_cell(cell):
            cell.outputs = [output for output in cell.outputs if "image/png" in output.get("data", {})]
    return placed


def with_live_script(page: str) -> str:
    """The page with the live figures' style (in <head>) and script (at the end of <body>), once."""
    script = embed.page_script()
    if "</script" in script.lower():
        raise RuntimeError("the live figures' script contains '</script': it cannot be inlined in a page")
    head, body = page.rindex("</head>"), page.rindex("</body>")
    return (
        page[:head]
        + f"<style>{embed.page_style()}</style>\n"
        + page[head:body]
        + f"<script>{script}</script>\n"
        + page[body:]
    )


def output_html(output) -> str:
    """One stored output as HTML: a figure, or text in a <pre> block."""
    data = output.get("data", {})
    if "image/png" in data:
        return f'<img alt="figure" src="data:image/png;base64,{data["image/png"].strip()}">'
    if "text/html" in data:
        return data["text/html"]
    text = output.get("text") or data.get("text/plain") or "\n".join(output.get("traceback", []))
    return f"<pre>{html.escape(text)}</pre>"


def fold_hidden_outputs(nb) -> None:
    """A cell whose outputs are hidden in JupyterLab (the answer to a prediction prompt) shows them here
    in a closed <details> block, so the answer is not on screen until the reader opens it."""
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.outputs and cell.metadata.get("jupyter", {}).get("outputs_hidden"):
            inner = "\n".join(output_html(output) for output in cell.outputs)
            summary = "<summary>Show the output (after you have predicted)</summary>"
            folded = f'<details class="ce-reveal">{summary}{inner}</details>'
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": folded})]


def local_page(body: str, pages: list[Path]) -> str:
    """No external scripts (require.js is only for widget state, which the notebooks do not store), and
    links between notebooks point to their pages."""
    body = re.sub(r'<script src="https://cdnjs\.cloudflare\.com/ajax/libs/require\.js/[^"]*"></script>\s*', "", body)
    for page in pages:
        body = body.replace(f'href="{page.name}', f'href="{page.stem}.html')
    return body


def nav_bar(pages: list[Path], i: int) -> str:
    def link(j: int, label: str) -> str:
        if 0 <= j < len(pages):
            return f'<a href="{pages[j].stem}.html">{label}</a>'
        return f"<span>{label}</span>"

    return (
        f'{NAV_STYLE}<nav class="ce-nav">{link(i - 1, "← previous")}'
        f'<a href="index.html">contents</a>{link(i + 1, "next →")}</nav>'
    )


MARKER = ".ce-teach-site"  # written into every output folder this script makes; only such folders are deleted


def prepare_output(out: Path) -> None:
    """Make ``out`` empty: a folder built here before (it has the marker) is replaced; any other is refused."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise SystemExit(f"refusing to use {out}: it is not a folder")
    if out.exists():
        if (out / MARKER).is_file():
            shutil.rmtree(out)
        elif any(out.iterdir()):
            raise SystemExit(
                f"refusing to delete {out}: it is not empty and was not made by build_site.py (no {MARKER} file). "
                "Give an output folder that does not exist yet"
            )
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by scripts/build_site.py; the folder is deleted and rebuilt by it\n")


def build(out: Path) -> list[Path]:
    prepare_output(out)
    copy_mathjax(out / "mathjax")
    exporter = HTMLExporter(template_name="lab", mathjax_url=MATHJAX_URL)
    pages = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    entries = []
    for i, path in enumerate(pages):
        nb = nbformat.read(path, as_version=4)
        live = show_live_figures(nb, live_figures(path), path.stem)
        fold_hidden_outputs(nb)
        body, _ = exporter.from_notebook_node(nb)
        body = local_page(body, pages)
        if live:
            body = with_live_script(body)
        start = body.index(">", body.index("<body")) + 1
        body = body[:start] + nav_bar(pages, i) + body[start:]
        (out / f"{path.stem}.html").write_text(body, encoding="utf-8")
        entries.append((path.stem, *title_and_subtitle(nb)))
    items = "\n".join(
        f'<li><a href="{stem}.html">{html.escape(title)}</a><br><small>{html.escape(subtitle)}</small></li>'
        for stem, title, subtitle in entries
    )
    index = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ce-teach: cross-entropy from the ground up</title>
<style>body {{ font-family: system-ui, sans-serif; max-width: 780px; margin: 2em auto; line-height: 1.5; }}
li {{ margin: 0.6em 0; }}</style></head>
<body><h1>ce-teach: cross-entropy from the ground up</h1>
<p>The notebooks in reading order, with their outputs. The sliders of the live figures work on these pages,
with no kernel and no network: every position they can show was computed in Python when the site was built.</p>
<ol>
{items}
</ol></body></html>
"""
    (out / "index.html").write_text(index, encoding="utf-8")
    (out / "pages.json").write_text(json.dumps([stem for stem, *_ in entries]), encoding="utf-8")
    return pages


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0]) if argv else ROOT / "_site"
    pages = build(out)
    print(f"wrote {len(pages)} pages and index.html to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

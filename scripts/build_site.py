"""Build a static HTML site of the executed notebooks: executable documentation that needs no kernel.

    python scripts/build_site.py            # writes _site/index.html and one page per notebook

The pages are the notebooks as stored (outputs included, nothing is re-run): static figures stand where
the widgets would be. Math is rendered by a local copy of MathJax 2.7.9, the version nbconvert's templates
are written for, so the site works offline; every page has previous / contents / next links.

MathJax comes from the npm registry (its tarball, checked against the registry's sha512; no node needed)
and is cached in ~/.cache/ce-teach, so only the first build needs the network.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import re
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling, also when loaded by file path
from build_notebooks import is_widget_cell  # noqa: E402  (one definition of a widget cell)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
MATHJAX_TARBALL = "https://registry.npmjs.org/mathjax/-/mathjax-2.7.9.tgz"
MATHJAX_SHA512 = "NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ=="
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
# What the pages use, out of the 73 MB package: TeX input, HTML-CSS output with the TeX fonts, MathML fallback.
MATHJAX_PARTS = [
    "LICENSE", "MathJax.js", "config/TeX-AMS-MML_HTMLorMML-full.js", "config/Safe.js", "extensions",
    "jax/input/TeX", "jax/element", "jax/output/NativeMML",
    "jax/output/HTML-CSS/jax.js", "jax/output/HTML-CSS/config.js", "jax/output/HTML-CSS/imageFonts.js",
    "jax/output/HTML-CSS/autoload", "jax/output/HTML-CSS/fonts/TeX",
    "fonts/HTML-CSS/TeX/woff", "fonts/HTML-CSS/TeX/otf",
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


LIVE_NOTE = (
    '<p class="ce-live-note"><em>A live widget: in JupyterLab (locally or on Binder) its sliders move the '
    "figure. The static figure next to this cell shows its starting state (folded away where it answers a "
    "prediction).</em></p>"
)


def note_live_widgets(nb) -> None:
    """Where a slider would be, say so, instead of leaving an empty output."""
    for cell in nb.cells:
        if is_widget_cell(cell):
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": LIVE_NOTE})]


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

    return (f'{NAV_STYLE}<nav class="ce-nav">{link(i - 1, "← previous")}'
            f'<a href="index.html">contents</a>{link(i + 1, "next →")}</nav>')


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
        note_live_widgets(nb)
        fold_hidden_outputs(nb)
        body, _ = exporter.from_notebook_node(nb)
        body = local_page(body, pages)
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
<p>The notebooks in reading order, with their stored outputs. Sliders need a running kernel: open the
notebooks in JupyterLab (locally or on Binder) to move them; here each one is shown as its static figure.</p>
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

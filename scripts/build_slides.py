"""Build reveal.js slide decks of the executed notebooks that work offline, in a lecture hall with no Wi-Fi.

    python scripts/build_slides.py                  # every notebook: _slides/NN_name.html and _slides/index.html
    python scripts/build_slides.py 04_sigmoid_bce   # one deck
    python scripts/build_slides.py --out DIR ...    # somewhere else than _slides/ (git ignores _slides/)

Each main section (a markdown cell marked ``slide_type: slide``) opens a slide; "Going deeper" cells are marked
``skip`` by scripts/build_notebooks.py and stay out of the deck. A deck shows the stored outputs, its live
figures with sliders that work on the slide with no kernel, and a prediction's answer folded in a closed
block, as on the static site (scripts/build_site.py, whose functions this script uses; the live figures'
tables come from its cache, ~/.cache/ce-teach/widget-state, or from running the notebook once).

Everything a deck loads sits beside it: reveal.js 4.0.2 (the version nbconvert's template is written for),
require.js and jQuery (which that template uses) and MathJax 2.7.9 (the static site's copy). Each comes from
its npm registry tarball, checked against the registry's sha512 every time it is used, and cached in
~/.cache/ce-teach, so only the first build needs the network.
"""

import argparse
import base64
import hashlib
import importlib.util
import shutil
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import jinja2
import nbformat
from nbconvert import SlidesExporter


def sibling(name: str):
    """The module ``scripts/<name>.py`` beside this file (scripts/ is not a package), loaded from its path."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_site = sibling("build_site")  # MathJax, live figures, the site's treatment of answers and links

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


@dataclass(frozen=True)
class Asset:
    """Files taken from one npm tarball: ``parts`` (paths inside its package/ folder) go to ``dest``."""

    tarball: str
    sha512: str  # the registry's dist.integrity, base64
    parts: tuple[str, ...]
    dest: str


ASSETS = (
    Asset(
        "https://registry.npmjs.org/reveal.js/-/reveal.js-4.0.2.tgz",
        "LWZSUenufF1gpD7npxJ7KfoQQFKgc1D6XrLTFgKlwWNP1BQ74hT48KONFWMAw+8R/QUeaScCLCLrBVHDfFIEiw==",
        ("LICENSE", "dist", "plugin/notes"),
        "reveal.js",
    ),
    Asset(
        "https://registry.npmjs.org/requirejs/-/requirejs-2.3.7.tgz",
        "DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
        ("require.js",),
        "vendor",
    ),
    Asset(
        "https://registry.npmjs.org/jquery/-/jquery-3.7.1.tgz",
        "m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        ("LICENSE.txt", "dist/jquery.min.js"),
        "vendor/jquery",
    ),
)

# nbconvert's reveal template, without its mermaid.js import (a module from a CDN; no notebook draws a diagram)
TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def verified(asset: Asset) -> Path:
    """The asset's tarball, downloaded once, and checked against the registry's sha512 on every use."""
    path = build_site.cache_dir() / asset.tarball.rsplit("/", 1)[1]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"downloading {asset.tarball} (once) ...", file=sys.stderr)
        try:
            with urllib.request.urlopen(asset.tarball, timeout=120) as response:
                data = response.read()
        except OSError as error:
            raise SystemExit(f"could not download {asset.tarball}: {error}\n(or place the file at {path})") from error
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)
    digest = base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()
    if digest != asset.sha512:
        raise SystemExit(
            f"{path}: sha512 {digest} is not the registry's {asset.sha512}; delete the file to download it again"
        )
    return path


def extract(asset: Asset, out: Path) -> int:
    """Copy the asset's parts into ``out / asset.dest``; refuses any member whose path would leave it."""
    dest = out / asset.dest
    copied = 0
    with tarfile.open(verified(asset)) as tar:
        for member in tar.getmembers():
            name = PurePosixPath(member.name)
            if name.is_absolute() or ".." in name.parts:
                raise SystemExit(f"{asset.tarball}: refusing the member {member.name!r}, a path outside the package")
            relative = PurePosixPath(*name.parts[1:])  # below the tarball's package/ folder
            if member.isfile() and any(
                relative == PurePosixPath(p) or PurePosixPath(p) in relative.parents for p in asset.parts
            ):
                target = dest / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(tar.extractfile(member).read())
                copied += 1
    if not copied:
        raise SystemExit(f"{asset.tarball}: none of {asset.parts} found in the tarball")
    return copied


def exporter() -> SlidesExporter:
    return SlidesExporter(
        extra_loaders=[jinja2.DictLoader({"ce_slides.html.j2": TEMPLATE})],
        template_file="ce_slides.html.j2",
        reveal_url_prefix="reveal.js",
        reveal_theme="white",  # its fonts ship with reveal.js ("simple" loads Google Fonts)
        reveal_scroll=True,  # a slide taller than the screen scrolls
        reveal_number="c/t",
        require_js_url="vendor/require.js",
        jquery_url="vendor/jquery/dist/jquery.min.js",
        mathjax_url=build_site.MATHJAX_URL,
    )


def deck(path: Path, pages: list[Path], slides: SlidesExporter) -> str:
    """The reveal.js deck of one stored notebook, with its live figures, as HTML that loads only files beside
    it."""
    nb = nbformat.read(path, as_version=4)
    live = build_site.show_live_figures(nb, build_site.live_figures(path), path.stem)
    build_site.fold_hidden_outputs(nb)
    body, _ = slides.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
    body = build_site.local_page(body, pages)
    return build_site.with_live_script(body) if live else body


def build(out: Path, names: list[str] | None = None) -> list[Path]:
    """Write the decks (all notebooks, or those named) and their assets to ``out``; return the notebooks."""
    pages = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    chosen = pages if not names else [NOTEBOOKS / f"{name.removesuffix('.ipynb')}.ipynb" for name in names]
    unknown = [p.name for p in chosen if p not in pages]
    if unknown:
        raise SystemExit(f"no such notebook: {', '.join(unknown)} (choose from {', '.join(p.stem for p in pages)})")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for asset in ASSETS:
        extract(asset, out)
    build_site.copy_mathjax(out / "mathjax")
    slides = exporter()
    for path in chosen:
        (out / f"{path.stem}.html").write_text(deck(path, pages, slides), encoding="utf-8")
    items = "\n".join(f'<li><a href="{p.stem}.html">{p.stem}</a></li>' for p in chosen)
    (out / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>ce-teach slides</title></head>\n'
        f"<body><h1>ce-teach: slide decks</h1>\n<p>Arrow keys move between slides; Esc shows them all.</p>\n"
        f"<ol>\n{items}\n</ol></body></html>\n",
        encoding="utf-8",
    )
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook names (default: all), e.g. 04_sigmoid_bce")
    parser.add_argument("--out", type=Path, default=ROOT / "_slides", help="output folder (default: _slides/)")
    args = parser.parse_args(argv)
    decks = build(args.out, args.names)
    print(f"wrote {len(decks)} deck(s) and index.html to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

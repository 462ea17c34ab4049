"""Every notebook exports to a reveal.js slide deck, one slide per section its source marks as a slide, and
scripts/build_slides.py makes decks that load nothing from the network, from verified npm tarballs, with
their live figures (their sliders are moved in a browser by tests/browser/test_present.py)."""

import base64
import hashlib
import importlib.util
import io
import re
import tarfile
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


# scripts/build_slides.py: offline decks


def load_build_slides():
    spec = importlib.util.spec_from_file_location("build_slides", ROOT / "scripts" / "build_slides.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_slides = load_build_slides()


def external_assets(html: str) -> list[str]:
    """URLs of scripts, style sheets and images that a browser would fetch from the network."""
    pattern = (
        r'<(?:script|img)[^>]*\ssrc="(https?:[^"]*)"|<link[^>]*\shref="(https?:[^"]*)"|import [^;]*\'(https?:[^\']*)\''
    )
    return [next(g for g in groups if g) for groups in re.findall(pattern, html)]


def test_external_assets_finds_what_a_browser_would_fetch():
    html = '<script src="https://cdn.example/r.js"></script><a href="https://mybinder.org/v2">Binder</a>'
    assert external_assets(html) == ["https://cdn.example/r.js"]
    assert external_assets("<img alt='b' src=\"https://mybinder.org/badge_logo.svg\">") == [
        "https://mybinder.org/badge_logo.svg"
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_deck_loads_nothing_from_the_network(path):
    html = build_slides.deck(path, NOTEBOOKS, build_slides.exporter())
    assert not external_assets(html), f"{path.stem}: the deck would fetch {external_assets(html)[:5]}"
    assert 'src="vendor/require.js"' in html and 'href="reveal.js/dist/reveal.css"' in html
    assert "mathjax/MathJax.js" in html


def test_a_deck_shows_its_live_figures_and_their_script_once():
    site = build_slides.build_site
    made = {
        p: sum(site.shortcut_of(c) in site.SHORTCUTS for c in nbformat.read(p, as_version=4).cells) for p in NOTEBOOKS
    }
    with_figures = next(p for p in NOTEBOOKS if made[p])
    html = build_slides.deck(with_figures, NOTEBOOKS, build_slides.exporter())
    assert html.count('<div class="ce-live-embed') == made[with_figures]
    assert html.count("const ce_live_module") == 1 and html.count(".ce-live-figure {") == 1
    assert "ce-live-note" not in html
    without = next((p for p in NOTEBOOKS if not made[p]), None)
    if without is not None:  # every notebook may have a live figure one day
        html = build_slides.deck(without, NOTEBOOKS, build_slides.exporter())
        assert "ce-live-embed" not in html and "ce_live_module" not in html


def test_going_deeper_cells_stay_out_of_the_deck(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title", metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_markdown_cell("## Main idea, on the deck", metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_markdown_cell("## Going deeper: left out", metadata={"slideshow": {"slide_type": "skip"}}),
    ]
    path = tmp_path / "99_demo.ipynb"
    nbformat.write(nb, path)
    html = build_slides.deck(path, [path], build_slides.exporter())
    assert "Main idea, on the deck" in html and "Going deeper: left out" not in html


def fake_tarball(tmp_path, monkeypatch, members: dict[str, bytes]):
    """A tarball in a scratch cache, and the Asset that names it with its true sha512."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "cache" / "ce-teach" / "demo-1.0.0.tgz"
    path.parent.mkdir(parents=True)
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    digest = base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()
    asset = build_slides.Asset(f"https://registry.npmjs.org/demo/-/{path.name}", digest, ("dist",), "demo")
    return path, asset


def test_assets_are_extracted_from_their_verified_tarball(tmp_path, monkeypatch):
    _, asset = fake_tarball(tmp_path, monkeypatch, {"package/dist/a.js": b"a", "package/src/b.js": b"b"})
    assert build_slides.extract(asset, tmp_path / "out") == 1
    assert (tmp_path / "out" / "demo" / "dist" / "a.js").read_bytes() == b"a"
    assert not (tmp_path / "out" / "demo" / "src").exists()


def test_a_cached_tarball_that_changed_is_refused(tmp_path, monkeypatch):
    path, asset = fake_tarball(tmp_path, monkeypatch, {"package/dist/a.js": b"a"})
    path.write_bytes(path.read_bytes() + b"tampered")
    with pytest.raises(SystemExit, match="sha512"):
        build_slides.extract(asset, tmp_path / "out")


@pytest.mark.parametrize("name", ["package/../../evil.js", "/etc/evil.js"])
def test_a_member_outside_the_package_is_refused(tmp_path, monkeypatch, name):
    _, asset = fake_tarball(tmp_path, monkeypatch, {name: b"x", "package/dist/a.js": b"a"})
    with pytest.raises(SystemExit, match="refusing"):
        build_slides.extract(asset, tmp_path / "out")
    assert not (tmp_path / "evil.js").exists()


def test_every_vendored_asset_names_a_registry_tarball_and_its_sha512():
    for asset in build_slides.ASSETS:
        assert asset.tarball.startswith("https://registry.npmjs.org/") and asset.tarball.endswith(".tgz")
        assert len(base64.b64decode(asset.sha512)) == 64, asset.tarball

"""scripts/build_site.py handles its cache, its archive and its output folder safely (no network needed)."""

import importlib.util
import io
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def site():
    spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tarball(*members: tuple[str, bytes | None, bytes]) -> bytes:
    """A .tgz with (name, content or None, type) members; type tarfile.REGTYPE/SYMTYPE/LNKTYPE."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content, kind in members:
            info = tarfile.TarInfo(name)
            info.type = kind
            if kind == tarfile.REGTYPE:
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
            else:
                info.linkname = "/etc/passwd"
                tar.addfile(info)
    return buffer.getvalue()


GOOD = ("package/MathJax.js", b"// mathjax", tarfile.REGTYPE)


@pytest.mark.parametrize(
    "bad",
    [
        ("package/extensions/../../../escaped.txt", b"x", tarfile.REGTYPE),
        ("/srv/ce-teach-absolute.txt", b"x", tarfile.REGTYPE),
        ("package/extensions/link.js", None, tarfile.SYMTYPE),
        ("package/extensions/hard.js", None, tarfile.LNKTYPE),
    ],
    ids=["dot-dot", "absolute", "symlink", "hardlink"],
)
def test_archive_members_that_escape_are_refused(site, tmp_path, bad):
    out = tmp_path / "site" / "mathjax"
    with pytest.raises(SystemExit, match="refusing MathJax archive member"):
        site.extract_parts(tarball(GOOD, bad), out)
    assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "site" / "escaped.txt").exists()
    assert not out.exists(), "nothing is written when any member is refused"


def test_a_clean_archive_is_extracted(site, tmp_path):
    site.extract_parts(tarball(GOOD, ("package/README.md", b"not a part", tarfile.REGTYPE)), tmp_path)
    assert (tmp_path / "MathJax.js").read_bytes() == b"// mathjax"
    assert not (tmp_path / "README.md").exists()


def test_the_cache_is_verified_on_every_use(site, tmp_path, monkeypatch):
    good = tarball(GOOD)
    monkeypatch.setattr(site, "MATHJAX_SHA512", site.sha512_of(good))
    monkeypatch.setattr(site, "cache_dir", lambda: tmp_path)
    downloads = []

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def urlopen(url, timeout):
        downloads.append(url)
        return Response(good)

    monkeypatch.setattr(site.urllib.request, "urlopen", urlopen)
    cached = tmp_path / site.MATHJAX_TARBALL.rsplit("/", 1)[1]
    assert site.mathjax_tarball() == good and len(downloads) == 1
    assert site.mathjax_tarball() == good and len(downloads) == 1  # a good cache is used
    cached.write_bytes(tarball(("package/MathJax.js", b"// tampered", tarfile.REGTYPE)))
    assert site.mathjax_tarball() == good and len(downloads) == 2  # a tampered cache is replaced, not used
    assert cached.read_bytes() == good


def test_a_failed_download_does_not_invite_placing_a_file_by_hand(site, tmp_path, monkeypatch):
    monkeypatch.setattr(site, "cache_dir", lambda: tmp_path)

    def urlopen(url, timeout):
        raise OSError("no network")

    monkeypatch.setattr(site.urllib.request, "urlopen", urlopen)
    with pytest.raises(SystemExit) as raised:
        site.mathjax_tarball()
    assert "could not download" in str(raised.value) and "yourself" not in str(raised.value)


def test_only_a_folder_it_made_is_deleted(site, tmp_path):
    mine = tmp_path / "mine"
    (mine / "keep").mkdir(parents=True)
    (mine / "keep" / "thesis.tex").write_text("precious")
    with pytest.raises(SystemExit, match="refusing to delete"):
        site.prepare_output(mine)
    assert (mine / "keep" / "thesis.tex").read_text() == "precious"

    out = tmp_path / "site"
    site.prepare_output(out)  # a new folder: made and marked
    (out / "old.html").write_text("stale")
    site.prepare_output(out)  # marked: emptied and marked again
    assert sorted(p.name for p in out.iterdir()) == [site.MARKER]
    empty = tmp_path / "empty"
    empty.mkdir()
    site.prepare_output(empty)  # an empty folder holds nothing to lose
    assert (empty / site.MARKER).is_file()


def test_a_symlink_or_file_as_output_is_refused(site, tmp_path):
    target = tmp_path / "real"
    target.mkdir()
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(SystemExit, match="not a folder"):
        site.prepare_output(tmp_path / "link")
    (tmp_path / "file").write_text("x")
    with pytest.raises(SystemExit, match="not a folder"):
        site.prepare_output(tmp_path / "file")

"""The Python versions the README claims are the ones the pins install on, and requires-python agrees.

For every claimed version, pip resolves requirements.txt and requirements-dev.txt against PyPI as that
Python would (``pip install --dry-run --python-version X --only-binary=:all:``; nothing is installed), and the
version just below the claim must fail, so the claim is not wider or narrower than the truth. Needs PyPI:
marked ``network`` and skipped, with the reason, where PyPI cannot be reached.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import tomllib
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLAIM = re.compile(r"Python (3\.\d+) to (3\.\d+)")


def claimed_versions() -> list[str]:
    """The README's "Python 3.A to 3.B", as the list of minor versions it names."""
    match = CLAIM.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match, 'the README names no Python range ("Python 3.A to 3.B")'
    low, high = (int(v.split(".")[1]) for v in match.groups())
    return [f"3.{minor}" for minor in range(low, high + 1)]


def third_party_pins() -> list[str]:
    """The pinned requirements of both files (not the local packages, not the -r / -e lines)."""
    pins = []
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith(("-", ".")):
                pins.append(line)
    return pins


@cache
def pypi_unreachable() -> str | None:
    try:
        urllib.request.urlopen("https://pypi.org/simple/numpy/", timeout=15).close()
    except OSError as error:
        return f"PyPI cannot be reached ({error}): the Python-version checks need it"
    return None


def resolve(version: str, tmp_path: Path) -> subprocess.CompletedProcess:
    # pip 23 accepts --python-version only with --target (nothing is written: --dry-run)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--quiet",
        "--disable-pip-version-check",
        "--target",
        str(tmp_path / "target"),
        "--python-version",
        version,
        "--only-binary=:all:",
        *third_party_pins(),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def version_below_the_claim() -> str:
    return f"3.{int(claimed_versions()[0].split('.')[1]) - 1}"


@cache
def resolutions() -> dict[str, subprocess.CompletedProcess]:
    """Every version's resolve, all run at once: each spends most of its time waiting for PyPI."""
    versions = [*claimed_versions(), version_below_the_claim()]
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(len(versions)) as pool:
        running = {v: pool.submit(resolve, v, Path(tmp) / v) for v in versions}
        return {v: job.result() for v, job in running.items()}


def test_requires_python_starts_where_the_readme_claim_starts():
    lowest = claimed_versions()[0]
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == f">={lowest}", f"requires-python is {requires!r}, the README claims Python {lowest} and up"
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")
    assert runtime in claimed_versions(), f"Binder runs Python {runtime}, outside the README's claim"


@pytest.mark.network
@pytest.mark.parametrize("version", claimed_versions())
def test_the_pins_install_on_every_claimed_python(version):
    if pypi_unreachable():
        pytest.skip(pypi_unreachable())
    result = resolutions()[version]
    assert result.returncode == 0, f"the pins do not install on Python {version}:\n{result.stderr[-2000:]}"


@pytest.mark.network
def test_the_pins_do_not_install_below_the_claim():
    if pypi_unreachable():
        pytest.skip(pypi_unreachable())
    below = version_below_the_claim()
    result = resolutions()[below]
    assert result.returncode != 0, f"the pins install on Python {below}: the README could claim it"
    assert "No matching distribution" in result.stderr, result.stderr[-2000:]

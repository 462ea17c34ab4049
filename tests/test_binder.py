"""The Binder environment, tested without Docker: a fresh virtual environment built exactly as binder/ says.

repo2docker, given a binder/ folder, ignores the root pyproject.toml and requirements.txt: it installs
binder/requirements.txt, then runs binder/postBuild from the repository root. This test does the same in
a fresh venv on a clean copy of the repository, then runs every notebook under strict nbval there.
"""

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _pins(path: Path) -> list[str]:
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return sorted(line for line in lines if line and not line.startswith("-"))


def test_binder_pins_equal_the_learner_requirements():
    assert _pins(ROOT / "binder" / "requirements.txt") == _pins(ROOT / "requirements.txt")
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == f"python-{sys.version_info.major}.11"


def test_binder_postbuild_installs_the_package():
    post_build = ROOT / "binder" / "postBuild"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable"
    text = post_build.read_text()
    assert text.startswith("#!/bin/bash") and "set -euo pipefail" in text and "pip install --no-deps ." in text


def _copy_repository(dest: Path) -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="binder/runtime.txt pins Python 3.11")
def test_notebooks_run_in_a_fresh_binder_environment(tmp_path):
    repo, env = tmp_path / "repo", tmp_path / "env"
    _copy_repository(repo)
    venv.create(env, with_pip=True)
    bin_dir = env / "bin"
    run_env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(env)}
    run_env.pop("PYTHONPATH", None)

    def run(*cmd):
        result = subprocess.run(cmd, cwd=repo, env=run_env, capture_output=True, text=True)
        assert result.returncode == 0, f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        return result.stdout + result.stderr

    # repo2docker: pip install -r binder/requirements.txt (its base image adds jupyterlab, already pinned here)
    run(str(bin_dir / "pip"), "install", "--quiet", "--disable-pip-version-check", "-r", "binder/requirements.txt")
    run("bash", "binder/postBuild")
    assert "site-packages" in run(str(bin_dir / "python"), "-I", "-c", "import ce_teach; print(ce_teach.__file__)")
    extensions = run(str(bin_dir / "jupyter"), "labextension", "list")  # prebuilt, shipped inside the wheels
    assert "anywidget" in extensions and "@jupyter-widgets/jupyterlab-manager" in extensions, extensions
    # the test tools only, then every notebook under strict nbval against this environment
    run(str(bin_dir / "pip"), "install", "--quiet", "--disable-pip-version-check", "nbval~=0.11.0", "pytest~=9.2.0")
    notebooks = sorted(str(p.relative_to(repo)) for p in (repo / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks to run"
    out = run(
        str(bin_dir / "python"),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        "tests/nbval_sanitize.cfg",
        *notebooks,
    )
    assert " passed" in out and "failed" not in out

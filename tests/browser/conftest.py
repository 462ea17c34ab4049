"""Real-browser fixtures: Debian's chromium driven by Python Playwright, JupyterLab on 127.0.0.1.

Skipped, with the reason, where chromium or playwright is missing (CI installs both: see .ci/run).
"""

from __future__ import annotations

import pytest

from . import lab

# JupyterLab's config file for the test server, not a module to import (--doctest-modules would)
collect_ignore = ["jupyter_server_config.py"]

# every test here is marked with this (see pytest_collection_modifyitems), so it is reported as skipped
NOT_HERE = pytest.mark.skipif(lab.missing() is not None, reason=f"browser tests: {lab.missing()}")


def pytest_collection_modifyitems(config, items):
    here = lab.ROOT / "tests" / "browser"
    for item in items:
        if here in item.path.parents:
            item.add_marker(NOT_HERE)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = lab.launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    with lab.serve_lab(tmp_path_factory.mktemp("lab")) as base:
        yield base

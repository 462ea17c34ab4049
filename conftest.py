"""The fast loop: ``python -m pytest -m fast`` runs the package's own tests and doctests and one notebook under
strict nbval, in under a minute (README, "Run the tests"). The full suite adds the rest: every notebook, the
accuracy grids, property tests, widgets, slides, the parity tests, lint, the Binder environment and the
browser tests."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
FAST_NOTEBOOK = ROOT / "notebooks" / "01_entropy.ipynb"
# test files left out of the fast loop: slow (a fresh environment, a browser, mpmath grids, hypothesis, PyTorch,
# network), or about figures, widgets and the notebooks' text rather than the package's maths
SLOW = (
    "test_binder",
    "test_python_versions",
    "test_accuracy",
    "test_properties",
    "test_parity_torch",
    "test_slides",
    "test_lint",
    "test_live",
    "test_plotting_",
    "test_benchmark_script",
    "test_bench_scipy",
    "test_course",
    "test_notebooks_built",
    "test_truth_",
    "test_inline_figures",
    "test_predict_first",
)


def is_fast(path: Path) -> bool:
    if path == FAST_NOTEBOOK or ROOT / "ce_teach" in path.parents:
        return True
    return path.parent == ROOT / "tests" and path.suffix == ".py" and not path.stem.startswith(SLOW)


def pytest_ignore_collect(collection_path, config):
    """With ``-m fast``, files outside the loop are not even imported (saves their collection time)."""
    if config.option.markexpr != "fast" or collection_path.is_dir():
        return None
    if collection_path.suffix in (".py", ".ipynb") and collection_path.name != "conftest.py":
        return True if not is_fast(collection_path) else None
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if is_fast(item.path):
            item.add_marker(pytest.mark.fast)

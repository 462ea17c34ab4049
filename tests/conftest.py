"""Shared test setup: figures render off-screen (Agg) and are closed after every test."""

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# Property tests (hypothesis) try the same examples on every run, so a run of the suite is repeatable: CI
# cannot pass once and fail the next time on the same code. To explore new examples while developing:
#     python -m pytest tests/test_properties.py --hypothesis-profile=explore --hypothesis-seed=7
from hypothesis import settings  # noqa: E402

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")

"""ce_teach.bughunt: warnings become printed lines (never Python warnings), rows print with a fixed format."""

import numpy as np
import pytest

from ce_teach import bughunt


def test_warnings_are_printed_not_raised(capsys):
    result = bughunt.call_showing_warnings(np.exp, np.array([1000.0, 0.0]))
    assert result.tolist() == [np.inf, 1.0]
    assert capsys.readouterr().out == "NumPy says: RuntimeWarning: overflow encountered in exp\n"


def test_no_warning_prints_nothing(capsys):
    assert bughunt.call_showing_warnings(np.add, 1.0, 2.0) == 3.0
    assert capsys.readouterr().out == ""


def test_every_warning_is_printed_in_order(capsys):
    def two(x):
        return np.log(x), np.exp(1000.0 * np.ones_like(x))

    bughunt.call_showing_warnings(two, np.array([0.0]))
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "NumPy says: RuntimeWarning: divide by zero encountered in log",
        "NumPy says: RuntimeWarning: overflow encountered in exp",
    ]


def test_not_callable_is_refused():
    with pytest.raises(TypeError, match="function must be callable, got int"):
        bughunt.call_showing_warnings(3, 1.0)


def test_format_row():
    assert bughunt.format_row(np.array([[1.0, 2.5], [np.nan, -np.inf]]), ".2f") == "[1.00, 2.50, nan, -inf]"
    assert bughunt.format_row([3, 4]) == "[   3.0000,    4.0000]"


@pytest.mark.parametrize(
    ("values", "fmt", "error", "words"),
    [
        (["a"], ".2f", TypeError, "real numbers"),
        ([1.0], 4, TypeError, "format spec string"),
        ([1.0], ".2q", ValueError, "not a valid format spec"),
    ],
)
def test_format_row_refuses_bad_input(values, fmt, error, words):
    with pytest.raises(error, match=words):
        bughunt.format_row(values, fmt)

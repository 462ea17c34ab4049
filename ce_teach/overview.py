"""A map of the package for notebook 00: one line per public module, read from the package itself.

``package_map()`` lists every public module of ``ce_teach`` (and the three subpackages the notebooks use
as a platform: ``plotting``, ``widgets``, ``checks``) with the first line of its docstring, read from the
source, so the map cannot go out of date. It never imports ipywidgets or anywidget.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from pathlib import Path

from . import _validate as v

__all__ = ["package_map"]

_PLATFORM = ("plotting", "widgets", "checks")


def _summary_of_file(path: Path) -> str:
    """The first line of a module's docstring, read without importing the module."""
    doc = (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "").strip().splitlines()
    return doc[0] if doc else ""


def package_map(*, width: int = 100) -> str:
    """One line per public module of ``ce_teach``: where a function lives and what the module is for.

    Formula: for each module ``m`` not starting with ``_``: ``ct.m  <first line of its docstring>``;
    maths modules first, then the notebooks' platform (plotting, widgets, checks).
    Shapes: returns one string, one line per module, each shortened to ``width`` characters (at least 40) at a word.
    Stability: reads the modules' source files, so it imports nothing heavy (no ipywidgets, no anywidget).

    >>> print(package_map().splitlines()[0])  # doctest: +ELLIPSIS
    ct.activations ...
    """
    width = v.whole_number(width, "width", minimum=40, why=" (characters per line)")
    package = importlib.import_module("ce_teach")
    root = Path(inspect.getfile(package)).parent
    maths, platform = [], []
    modules = [
        i
        for i in sorted(pkgutil.iter_modules([str(root)]), key=lambda i: i.name)
        if not i.name.startswith("_") and i.name != "overview"
    ]
    column = max(len(info.name) for info in modules) + 1  # the longest name, then a space
    for info in modules:
        path = root / info.name / "__init__.py" if info.ispkg else root / f"{info.name}.py"
        prefix = f"ct.{info.name:<{column}}"
        summary = _summary_of_file(path)
        summary = textwrap.shorten(summary.replace("``", ""), width - len(prefix), placeholder=" …")
        (platform if info.name in _PLATFORM else maths).append(prefix + summary)
    return "\n".join([*maths, *platform])

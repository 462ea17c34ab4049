"""ce_teach.overview.package_map: the map of the package shown in notebook 00."""

import pkgutil
from pathlib import Path

import pytest

import ce_teach as ct


def test_every_public_module_has_one_line_with_its_summary():
    root = Path(ct.__file__).parent
    public = {i.name for i in pkgutil.iter_modules([str(root)]) if not i.name.startswith("_")} - {"overview"}
    lines = ct.package_map().splitlines()
    assert len(lines) == len(public)
    for line in lines:
        name = line.split()[0].removeprefix("ct.")
        assert name in public and len(line.split(maxsplit=1)[1]) > 10, line
        assert len(line) <= 100
    assert [line.split()[0] for line in lines[-3:]] == ["ct.checks", "ct.plotting", "ct.widgets"]


def test_the_summary_is_the_docstring_line():
    line = next(row for row in ct.package_map(width=200).splitlines() if row.startswith("ct.information"))
    assert line.split(maxsplit=1)[1] == ct.information.__doc__.strip().splitlines()[0]


def test_it_imports_no_widget_library():
    import subprocess
    import sys

    code = (
        "import ce_teach, sys; ce_teach.package_map(); print('ipywidgets' in sys.modules, 'anywidget' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


@pytest.mark.parametrize(("width", "error"), [(10, ValueError), (39, ValueError), (50.0, TypeError), (True, TypeError)])
def test_bad_width_is_refused(width, error):
    with pytest.raises(error, match=rf"width must be an integer ≥ 40 \(characters per line\), got {width!r}"):
        ct.package_map(width=width)

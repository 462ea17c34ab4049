"""One formatter for every number a live figure's readout shows, and its templates.

A readout is a template with fields in Python's format syntax: ``"H = <b>{H:.4f}</b> bits"``. The fields
are filled by ``format_value``, here, in Python, for every slider position: the browser only pastes the
strings in, so what a learner reads is exactly what this function printed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from string import Formatter

import numpy as np

__all__ = ["format_value", "fill_readout", "readout_fields"]

NOT_FINITE = "<b style='color:#C44E52'>{}</b>"  # inf and nan stand out: only a naive formula shows them
_NEGATIVE_ZERO = re.compile(r"^-(?=[0.]*(%|e[+-]?\d+)?$)")  # "-0.00", "-0", "-0.0%" (a tiny negative, rounded)


def format_value(value, spec: str = "") -> str:
    """A readout number or word, as HTML.

    ``spec`` is a format spec (``.4f``, ``.3g``, ``.0%``), or ``float32`` / ``float64`` for the shortest
    digits that give that number back in that dtype. ∞ and nan are spelled as symbols in red; a negative
    number that rounds to zero loses its sign.

    >>> format_value(0.125, ".2f"), format_value(-1e-9, ".3f"), format_value(np.inf, ".3f")
    ('0.12', '0.000', "<b style='color:#C44E52'>∞</b>")
    >>> format_value(np.float32(1) - np.float32(2**-24), "float32")
    '0.99999994'
    """
    if isinstance(value, str | np.str_):
        return html.escape(str(value))
    if isinstance(value, bool | np.bool_):
        raise TypeError(f"a readout field must be a number or a string, got the boolean {value!r}")
    number = float(value)
    if np.isnan(number):
        return NOT_FINITE.format("nan")
    if np.isinf(number):
        return NOT_FINITE.format("∞" if number > 0 else "−∞")
    if spec in ("float32", "float64"):
        text = str(np.dtype(spec).type(value))
    else:
        text = format(number, spec)
    return _NEGATIVE_ZERO.sub("", text).replace("-", "−")


def readout_fields(template: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The literal pieces of a template and its fields (name, spec): n + 1 pieces around n fields.

    >>> readout_fields("H = <b>{H:.4f}</b> bits")
    (['H = <b>', '</b> bits'], [('H', '.4f')])
    """
    literals, fields = [""], []
    for literal, name, spec, conversion in Formatter().parse(template):
        literals[-1] += literal
        if name is None:
            continue
        if not name.isidentifier() or conversion:
            raise ValueError(f"readout field {{{name}}} must be a plain name with an optional spec, in {template!r}")
        fields.append((name, spec or ""))
        literals.append("")
    return literals, fields


def fill_readout(template: str, values: Mapping[str, object]) -> str:
    """The template with every field formatted by ``format_value``."""
    literals, fields = readout_fields(template)
    missing = [name for name, _ in fields if name not in values]
    if missing:
        raise KeyError(f"the readout needs {missing}, which the state does not give")
    parts = [literals[0]]
    for (name, spec), literal in zip(fields, literals[1:], strict=True):
        parts += [format_value(values[name], spec), literal]
    return "".join(parts)

"""Input checks shared by every public function.

Each check raises a ``ValueError`` or ``TypeError`` whose message names the argument,
the offending value (and where it is) and what would have been allowed. The rest of the
package can then assume clean input and never has to produce a silent NaN.

Dtype rule of the package: float16/float32/float64 arrays keep their dtype in the result
(the arithmetic is done in float64 and rounded once); ints, bools and Python lists give
float64. When several float arrays meet, their dtypes are promoted as NumPy does.
"""

from __future__ import annotations

import numpy as np

_FLOATS = (np.float16, np.float32, np.float64)


MAX_BYTES = 2 << 30  # the most memory one array whose size comes from a size argument may need: 2 GiB


def as_real_array(value, name: str) -> np.ndarray:
    """Return ``value`` as a real NumPy array (floats kept, ints/bools/lists left for later).

    Masked arrays are refused: every function here would otherwise compute with the hidden entries
    (NumPy's ``asarray`` drops the mask), a silent wrong answer. Lists of rows of different lengths get
    a message naming the argument instead of NumPy's "inhomogeneous shape".
    """
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array; ce_teach does not honour masks (NumPy would silently use the masked "
            f"entries). Pass only the entries that count, e.g. {name}[~{name}.mask] or np.ma.compressed({name}), "
            "or, for a mean over a padded batch, give the padding weight 0 in ct.weighted_mean"
        )
    try:
        array = np.asarray(value)
    except ValueError:
        raise ValueError(
            f"{name} must be a rectangular array of numbers; it has rows of different lengths (a ragged "
            f"list such as [[0.5, 0.5], [1.0]]). Pad or split the rows so that every row has the same length"
        ) from None
    if array.dtype.type in _FLOATS or array.dtype.kind in "biu":
        return array
    raise TypeError(f"{name} must be real numbers (float, int or bool), got an array of dtype {array.dtype}")


def real_number(value, name: str, what: str = "a number") -> float:
    """A Python or NumPy real number (or a 0-d array of one) as a float; bools and everything else are refused.

    Only the type: ``number`` checks the range too.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0 and not isinstance(value, np.ma.MaskedArray):
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be {what}, got {value!r}")
    try:
        return float(value)
    except OverflowError:  # a Python int beyond float64's range, e.g. 10**400
        raise ValueError(f"{name} must be {what}, got an integer beyond float64's ±1.8e308") from None


def _bound(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _describe(low, high, open_low: bool, open_high: bool, integer: bool, what: str) -> tuple[str, str]:
    """(what the value must be, the same with "finite" where that matters), e.g. ("a number ≥ 0", "a finite
    number ≥ 0"), ("a positive number", "a positive finite number"), ("an integer ≥ 1 and at most 12", same)."""
    article = "an" if what[0] in "aeiou" else "a"
    lo, hi = _bound(low), _bound(high)
    if integer:
        text = f"{article} {what}" + (f" ≥ {lo}" if low > -np.inf else "")
        return (text + f" and at most {hi}", text + f" and at most {hi}") if high < np.inf else (text, text)
    if low > -np.inf and high < np.inf:  # a bounded interval: [0, 1], (0, 1), ...
        interval = f"{'(' if open_low else '['}{lo}, {hi}{')' if open_high else ']'}"
        text = f"in {interval}" if what == "number" else f"{article} {what} in {interval}"
        return f"{article} {what} in {interval}", text
    if low == 0 and open_low and high == np.inf:
        return f"a positive {what}", f"a positive finite {what}"
    condition = (f" {'>' if open_low else '≥'} {lo}" if low > -np.inf else "") + (
        f" {'<' if open_high else '≤'} {hi}" if high < np.inf else ""
    )
    return f"{article} {what}{condition}", f"a finite {what}{condition}"


def number(
    value,
    name: str,
    low: float = -np.inf,
    high: float = np.inf,
    *,
    open_low: bool = False,
    open_high: bool = False,
    integer: bool = False,
    what: str = "",
    why: str = "",
) -> float | int:
    """``value`` as a float (an int with ``integer=True``) if it is a number from ``low`` to ``high``, or a clear error.

    The one check of a single number argument. Python and NumPy numbers and 0-d arrays of one are accepted;
    bools, strings, None and arrays are a ``TypeError``, a number outside the range (NaN and ±inf included:
    infinite ends are never part of the range) a ``ValueError``. Both messages name the argument, the value
    and the range; ``what`` is the noun ("number", "integer", "fraction", "label", ...), ``why`` is appended
    to the range, e.g. `` (0 gives plain cross-entropy)``. With ``integer=True`` only integers are accepted
    (2.0 is refused, as in ``range``).

    >>> number(0.5, "label_smoothing", 0, 1)
    0.5
    >>> number(-1.0, "gamma", 0, why=" (0 gives plain cross-entropy)")
    Traceback (most recent call last):
    ValueError: gamma must be a finite number ≥ 0 (0 gives plain cross-entropy), got -1.0
    >>> number(13, "k", 1, 12, integer=True)
    Traceback (most recent call last):
    ValueError: k must be an integer ≥ 1 and at most 12, got 13
    >>> number(True, "temperature", 0, open_low=True)
    Traceback (most recent call last):
    TypeError: temperature must be a positive number, got True
    """
    what = what or ("integer" if integer else "number")
    as_type, as_value = _describe(low, high, open_low, open_high, integer, what)
    if integer:
        if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iu":
            value = value[()]
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name} must be {as_type}{why}, got {value!r}")
        x = int(value)
    else:
        x = real_number(value, name, as_type + why)
    above = low < x if open_low else low <= x  # False for NaN
    below = x < high if open_high else x <= high
    if not (above and below and -np.inf < x < np.inf):
        raise ValueError(f"{name} must be {as_value}{why}, got {x!r}")
    return x


def positive_number(value, name: str, what: str = "") -> float:
    """A Python or NumPy real number in (0, ∞) as a float (temperatures, caps, plot limits), or a clear error."""
    return number(value, name, 0.0, open_low=True, why=f" ({what})" if what else "")


def whole_number(value, name: str, *, minimum: int, maximum: int | None = None, why: str = "") -> int:
    """A Python or NumPy integer in [minimum, maximum], or a clear error naming ``name``."""
    return number(value, name, minimum, np.inf if maximum is None else maximum, integer=True, why=why)


def check_smoothing(label_smoothing) -> float:
    """``label_smoothing`` ε as a float in [0, 1] (Python or NumPy number): the one check of it in the package.

    ε = 1 is allowed, as in PyTorch and Keras (the target is then uniform).
    """
    return number(label_smoothing, "label_smoothing", 0.0, 1.0)


def check_names(names, n: int, name: str = "names", what: str = "class") -> list[str]:
    """One label per item: ``names`` as a list of ``n`` strings, or a clear error (for plots and widgets).

    A wrong length would otherwise reach matplotlib ("shape mismatch: objects cannot be broadcast"). A string
    gives one label per character (``"abc"`` is a, b, c), as ``list`` would.
    """
    if isinstance(names, str):
        names = list(names)
    if not hasattr(names, "__len__"):
        raise TypeError(f"{name} must be a list of {n} labels, one per {what}, got {names!r}")
    if len(names) != n:
        raise ValueError(f"{name} must give one label per {what} ({n}), got {len(names)}: {list(names)!r}")
    return [str(label) for label in names]


def check_flag(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_size(n_bytes: float, name: str, what: str) -> None:
    """Refuse up front an array that would need more than ``MAX_BYTES``, saying how much it would need."""
    if n_bytes > MAX_BYTES:
        raise ValueError(
            f"{name} is too large: {what} would need {n_bytes / 2**30:.3g} GiB of memory, more than the "
            f"{MAX_BYTES / 2**30:.3g} GiB ce_teach allows for one array"
        )


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """The dtype a result is returned in: promoted float inputs, else float64."""
    floats = [a.dtype for a in arrays if a.dtype.type in _FLOATS]
    return np.result_type(*floats) if floats else np.dtype(np.float64)


def first_index(mask: np.ndarray) -> tuple[int, ...] | int:
    """Position of the first True entry, for error messages."""
    if mask.ndim == 0:
        return ()  # x[()] reads a 0-d array
    flat = int(np.argmax(mask.ravel()))
    if mask.ndim == 1:
        return flat
    return tuple(int(i) for i in np.unravel_index(flat, mask.shape))


def at(where, prefix: str = "") -> str:
    """' (first at index (1, 2))' for error messages; nothing for a single number."""
    if where == ():
        return ""
    return f" ({prefix}at index {where})" if prefix else f" at index {where}"


def all_finite(x: np.ndarray) -> bool:
    """True if ``x`` has no NaN and no ±inf. Two reductions and no temporaries: a NaN anywhere makes the
    minimum NaN, and an infinity shows up as the minimum or the maximum."""
    if x.dtype.kind != "f" or x.size == 0:
        return True
    return bool(np.isfinite(x.min()) and np.isfinite(x.max()))


def check_not_nan(x: np.ndarray, name: str) -> None:
    if x.dtype.kind == "f" and x.size and np.isnan(x.min()):  # np.min propagates NaN: no full-size mask unless needed
        bad = np.isnan(x)
        raise ValueError(f"{name} contains NaN{at(first_index(bad), 'first ')}; NaN has no loss")


def check_finite(x: np.ndarray, name: str) -> None:
    check_not_nan(x, name)
    if not all_finite(x):
        bad = np.isinf(x)
        where = first_index(bad)
        raise ValueError(f"{name} contains {x[where].item()}{at(where)}; only finite values are allowed here")


def check_no_positive_inf(x: np.ndarray, name: str) -> None:
    """Softmax is undefined (inf/inf) for +inf logits; -inf is fine (that class gets probability 0)."""
    if x.dtype.kind == "f" and x.size and not x.max() < np.inf:  # +inf (or NaN) as the maximum: look closer
        bad = np.isposinf(x)
        if bad.any():
            raise ValueError(
                f"{name} contains +inf (first at index {first_index(bad)}); softmax of +inf is undefined. "
                "-inf is allowed and means 'probability 0'"
            )


def check_in_unit_interval(x: np.ndarray, name: str) -> None:
    """Probabilities and binary labels: every entry in [0, 1], no NaN."""
    if x.size == 0 or (x.min() >= 0 and x.max() <= 1):  # fast path: a NaN fails both comparisons
        return
    check_not_nan(x, name)
    bad = (x < 0) | (x > 1)
    if bad.any():
        where = first_index(bad)
        raise ValueError(f"{name} must lie in [0, 1]; found {x[where].item()!r}{at(where)}")


def check_distribution(p: np.ndarray, name: str, axis: int) -> None:
    """Entries in [0, 1] that sum to 1 along ``axis`` (up to the rounding of p's dtype)."""
    check_in_unit_interval(p, name)
    check_class_axis(p, name, axis)
    total = np.sum(p, axis=axis, dtype=np.float64)
    eps = np.finfo(p.dtype if p.dtype.kind == "f" else np.float64).eps
    tolerance = max(np.sqrt(eps), p.shape[axis] * eps)
    bad = np.abs(total - 1) > tolerance
    if bad.any():
        where = first_index(bad)
        value = float(total[where]) if total.ndim else float(total)
        if value == 0:
            row = f"row {where} along axis {axis} of {name}" if total.ndim else name
            raise ValueError(
                f"{row} is all zeros (a padding row?), which is not a distribution: it must sum to 1. "
                f"Drop such rows before the loss, e.g. keep = {name}.sum(axis={axis}) > 0"
            )
        raise ValueError(
            f"{name} must sum to 1 along axis {axis}; the distribution at batch index {where} sums to "
            f"{value:.10g} (off by {value - 1:+.3g}). Normalise it first: "
            f"{name} = {name} / {name}.sum(axis={axis}, keepdims=True)"
        )


def check_class_axis(x: np.ndarray, name: str, axis: int) -> None:
    if x.ndim == 0:
        raise ValueError(f"{name} must have a class axis (at least 1 dimension), got a scalar")
    try:
        size = x.shape[axis]
    except IndexError:
        raise ValueError(f"axis={axis} is out of range for {name} with shape {x.shape}") from None
    if size == 0:
        raise ValueError(f"{name} has an empty class axis (shape {x.shape}, axis {axis}); need at least 1 class")


def check_same_shape(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """No silent broadcasting: (N,) labels against (N, 1) logits is the classic bug."""
    if a.shape != b.shape:
        raise ValueError(
            f"{a_name} and {b_name} must have the same shape, got {a_name}{a.shape} and {b_name}{b.shape}; "
            "reshape one of them explicitly (broadcasting here would silently compute the wrong loss)"
        )


def check_ignore_index(ignore_index, *, allow_none: bool = False) -> int | None:
    """PyTorch's ``ignore_index``: an integer label value (None too, where nothing ignored is allowed)."""
    if ignore_index is None and allow_none:
        return None
    if isinstance(ignore_index, (bool, np.bool_)) or not isinstance(ignore_index, (int, np.integer)):
        none = "None or " if allow_none else ""
        raise TypeError(f"ignore_index must be {none}an integer label (PyTorch uses -100), got {ignore_index!r}")
    return int(ignore_index)


def check_sparse_labels(
    labels: np.ndarray,
    logits_shape: tuple[int, ...],
    name: str = "labels",
    logit_name: str = "logits",
    *,
    ignore_index: int | None = None,
) -> np.ndarray:
    """Integer class indices of shape ``logits_shape[:-1]``, each in [0, C) or equal to ``ignore_index``.

    Returns the mask of the labels that are kept (not ``ignore_index``)."""
    if labels.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must be integer class indices, got dtype {labels.dtype}; for one-hot or probability "
            "labels use the non-sparse loss, or convert with labels.astype(int) if they are whole numbers"
        )
    if labels.shape != logits_shape[:-1]:
        raise ValueError(f"{name} must have shape {logit_name}.shape[:-1] = {logits_shape[:-1]}, got {labels.shape}")
    n_classes = logits_shape[-1]
    kept = np.ones(labels.shape, dtype=bool) if ignore_index is None else labels != ignore_index
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        bad = kept & ((labels < 0) | (labels >= n_classes))
        if bad.any():
            where = first_index(bad)
            ignored = "" if ignore_index is None else f", and not equal to ignore_index = {ignore_index}"
            raise ValueError(
                f"{name} contains {int(labels[where])} at index {where}, outside the valid range [0, {n_classes}) "
                f"for {n_classes} classes{ignored}"
            )
    return kept


def check_positive(x: np.ndarray, name: str) -> None:
    check_not_nan(x, name)
    if x.size and not x.min() > 0:
        bad = ~(x > 0)
        where = first_index(bad)
        value = (x[where] if x.ndim else x[()]).item()
        raise ValueError(f"{name} must be > 0, got {value!r}" + (f" at index {where}" if x.ndim else ""))


def check_base(base) -> None:
    """``base`` of a logarithm: None (nats), or a number in (0, ∞) other than 1, such as 2 (bits)."""
    if base is None:
        return
    why = " other than 1, such as 2 (bits), or None (nats)"
    value = number(base, "base", 0.0, open_low=True, why=why)
    if value == 1:
        raise ValueError(f"base must be a positive finite number{why}, got {value!r}")


def check_axis(axis) -> None:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an int, got {axis!r}")


def binary_labels_and_logits(labels, logits):
    """Validated (z, x, result dtype, all x finite) for every sigmoid-family loss and gradient.

    Labels in [0, 1], the same shape as the logits (no broadcasting), no NaN logits; ±inf logits are
    allowed (the losses have exact limits there) and reported through the last value.
    """
    z = as_real_array(labels, "labels")
    x = as_real_array(logits, "logits")
    check_same_shape(z, "labels", x, "logits")
    check_in_unit_interval(z, "labels")
    finite = all_finite(x)
    if not finite:
        check_not_nan(x, "logits")
    return z, x, result_dtype(x), finite

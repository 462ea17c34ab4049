"""Small data sets stored in the package, so that the notebooks need no download and no extra dependency.

``load_digits()``: the 8×8 handwritten digits (UCI "optdigits", CC BY 4.0; see ``data/DIGITS_LICENSE.md``),
1,797 images in 10 classes, extracted once from scikit-learn by ``scripts/extract_digits.py``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import _validate as v

__all__ = ["Digits", "load_digits", "train_validation_split", "digits_split", "DIGITS_SHA256", "DIGITS_PATH"]

DIGITS_PATH = Path(__file__).parent / "data" / "digits.npz"
DIGITS_SHA256 = "b2dab7b501728c22e9119ad76740b2e17c77a231e42d1e592380d90886f1a05e"


@dataclass(frozen=True)
class Digits:
    """The digits: ``images`` uint8 (N, 8, 8) with pixel counts 0..16, ``labels`` int64 (N,) digits 0..9.

    ``features`` is the flat float64 (N, 64) view scaled to [0, 1] (pixel / 16), the input of a model.
    """

    images: np.ndarray
    labels: np.ndarray

    @property
    def features(self) -> np.ndarray:
        return self.images.reshape(len(self.images), 64) / 16.0


def load_digits(*, verify: bool = True) -> Digits:
    """The 1,797 8×8 digits stored in the package (Alpaydin and Kaynak 1998, UCI; CC BY 4.0).

    Formula: none; images[n] is an 8×8 array of counts 0..16, labels[n] ∈ {0, …, 9}.

    Shapes: images (1797, 8, 8) uint8, labels (1797,) int64.

    Stability: the file is checked against its recorded sha256 (``verify=True``), so a damaged or edited
    copy raises a ``ValueError`` instead of silently changing every number in notebooks 09 and 10.

    >>> import ce_teach as ct
    >>> d = ct.datasets.load_digits()
    >>> d.images.shape, d.labels.shape, int(d.labels[0])
    ((1797, 8, 8), (1797,), 0)
    """
    if not isinstance(verify, bool):
        raise TypeError(f"verify must be True or False, got {verify!r}")
    raw = DIGITS_PATH.read_bytes()
    if verify and hashlib.sha256(raw).hexdigest() != DIGITS_SHA256:
        raise ValueError(f"{DIGITS_PATH} does not match its recorded sha256; reinstall ce_teach or re-extract it")
    with np.load(DIGITS_PATH) as archive:
        images, labels = archive["images"], archive["labels"].astype(np.int64)
    images.setflags(write=False)
    labels.setflags(write=False)
    return Digits(images, labels)


def train_validation_split(n: int, n_validation: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, validation) of a seeded random split of ``range(n)``, each sorted.

    Formula: a permutation from ``np.random.default_rng(seed)``; its first ``n_validation`` entries are the
    validation set.

    Shapes: ``n`` ≥ 2 examples, 1 ≤ ``n_validation`` < n; results (n − n_validation,) and (n_validation,).

    Stability: the same seed gives the same split on every machine (NumPy's PCG64 is portable).

    >>> import ce_teach as ct
    >>> train, val = ct.datasets.train_validation_split(5, 2, seed=0)
    >>> len(train), len(val), sorted([*train, *val]) == [0, 1, 2, 3, 4]
    (3, 2, True)
    """
    n = v.whole_number(n, "n", minimum=2, why=" (something to train on and to validate on)")
    n_validation = v.whole_number(n_validation, "n_validation", minimum=1, maximum=n - 1, why=f" for n = {n}")
    seed = v.whole_number(seed, "seed", minimum=0)
    v.check_size(8.0 * n, "n", f"a permutation of {n} indices")
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[n_validation:]), np.sort(order[:n_validation])


def digits_split(*, n_train: int = 500, n_validation: int = 500, seed: int = 0) -> tuple[np.ndarray, ...]:
    """Indices (train, validation, test) of the 1,797 digits: a seeded split used by notebooks 09 and 10.

    Formula: one permutation from ``np.random.default_rng(seed)``: the first ``n_train`` indices train, the
    next ``n_validation`` validate (early stopping, temperature fitting), the rest (797 by default) test.

    Shapes: three sorted int arrays whose sizes add up to 1,797.

    Stability: deterministic for a given seed. The training set is kept small (500) on purpose: a network
    then overfits within a few hundred steps, which is what notebook 09 shows.

    >>> import ce_teach as ct
    >>> [len(part) for part in ct.datasets.digits_split()]
    [500, 500, 797]
    """
    n_train = v.whole_number(n_train, "n_train", minimum=1, maximum=1795, why=" (of the 1,797 digits)")
    leave = f" for n_train = {n_train} (to leave at least one test example of the 1,797 digits)"
    n_validation = v.whole_number(n_validation, "n_validation", minimum=1, maximum=1796 - n_train, why=leave)
    seed = v.whole_number(seed, "seed", minimum=0)
    order = np.random.default_rng(seed).permutation(1797)
    cut = n_train + n_validation
    return np.sort(order[:n_train]), np.sort(order[n_train:cut]), np.sort(order[cut:])

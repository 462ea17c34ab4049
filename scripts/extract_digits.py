"""Extract the 8×8 handwritten digits from a scikit-learn wheel into ce_teach/data/digits.npz (run once).

The digits are the test set of the UCI "Optical Recognition of Handwritten Digits" data (E. Alpaydin and
C. Kaynak, 1998; CC BY 4.0), which scikit-learn ships as ``sklearn/datasets/data/digits.csv.gz``: 1,797
rows of 64 pixel counts (0..16, an 8×8 image read row by row) followed by the digit. We store them as one
compressed ``.npz`` (``images`` uint8 (1797, 8, 8), ``labels`` uint8 (1797,)) so that a learner's install
needs no scikit-learn. The wheel is only read, never installed:

    pip download scikit-learn --no-deps -d wheels
    python scripts/extract_digits.py wheels/scikit_learn-*.whl

It prints the sha256 of the written file; ``ce_teach/datasets.py`` records it (``DIGITS_SHA256``) and
``tests/test_datasets.py`` checks the stored file against it. The output is byte-for-byte reproducible:
``np.savez_compressed`` writes fixed zip timestamps. Not run by the tests.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np

MEMBER = "sklearn/datasets/data/digits.csv.gz"
OUT = Path(__file__).resolve().parents[1] / "ce_teach" / "data" / "digits.npz"


def read_digits(wheel: Path) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (N, 8, 8), labels uint8 (N,)) from the CSV inside a scikit-learn wheel."""
    with zipfile.ZipFile(wheel) as archive:
        text = gzip.decompress(archive.read(MEMBER)).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64)
    if table.shape[1] != 65 or table[:, :64].min() < 0 or table[:, :64].max() > 16:
        raise ValueError(f"unexpected digits table: shape {table.shape}, pixel range {table[:, :64].min()}..")
    return table[:, :64].reshape(-1, 8, 8).astype(np.uint8), table[:, 64].astype(np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("wheel", type=Path, help="a scikit-learn wheel (pip download scikit-learn --no-deps)")
    images, labels = read_digits(parser.parse_args().wheel)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, images=images, labels=labels)
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes), images {images.shape}, labels {np.bincount(labels).tolist()}")
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()

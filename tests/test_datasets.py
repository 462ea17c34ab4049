"""The stored digits: the file is the one recorded (sha256), with the shapes, dtypes and label counts of
scikit-learn's copy of UCI optdigits (test set, 1,797 images), and it ships with the package."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

import ce_teach as ct
from ce_teach import datasets


def test_file_matches_its_recorded_hash():
    assert hashlib.sha256(datasets.DIGITS_PATH.read_bytes()).hexdigest() == datasets.DIGITS_SHA256


def test_shapes_dtypes_and_label_counts():
    d = ct.datasets.load_digits()
    assert d.images.shape == (1797, 8, 8) and d.images.dtype == np.uint8
    assert d.labels.shape == (1797,) and d.labels.dtype == np.int64
    assert d.images.min() == 0 and d.images.max() == 16
    assert np.bincount(d.labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert d.labels[:10].tolist() == list(range(10))
    assert d.features.shape == (1797, 64) and d.features.max() == 1.0
    assert not d.images.flags.writeable


def test_licence_and_attribution_ship_next_to_the_data():
    text = (datasets.DIGITS_PATH.parent / "DIGITS_LICENSE.md").read_text()
    assert "CC BY 4.0" in text and "Alpaydin" in text and "10.24432/C50P49" in text


def test_a_damaged_file_is_refused(tmp_path, monkeypatch):
    damaged = tmp_path / "digits.npz"
    data = bytearray(datasets.DIGITS_PATH.read_bytes())
    data[-100] ^= 1
    damaged.write_bytes(bytes(data))
    monkeypatch.setattr(datasets, "DIGITS_PATH", damaged)
    with pytest.raises(ValueError, match="does not match its recorded sha256"):
        datasets.load_digits()


def test_splits_are_seeded_disjoint_and_complete():
    train, val, test = ct.datasets.digits_split()
    assert (len(train), len(val), len(test)) == (500, 500, 797)
    assert np.array_equal(np.sort(np.concatenate([train, val, test])), np.arange(1797))
    again = ct.datasets.digits_split()
    assert all(np.array_equal(a, b) for a, b in zip((train, val, test), again, strict=True))
    assert not np.array_equal(ct.datasets.digits_split(seed=1)[0], train)
    leave = r"n_validation must be an integer ≥ 1 and at most 796 for n_train = 1000 \(to leave at least one test"
    with pytest.raises(ValueError, match=leave):
        ct.datasets.digits_split(n_train=1000, n_validation=797)
    with pytest.raises(ValueError, match=r"n_train must be an integer ≥ 1 and at most 1795 .*, got 1796"):
        ct.datasets.digits_split(n_train=1796)
    with pytest.raises(TypeError, match=r"seed must be an integer ≥ 0, got 1\.5"):
        ct.datasets.train_validation_split(10, 3, seed=1.5)
    with pytest.raises(ValueError, match=r"seed must be an integer ≥ 0, got -1"):
        ct.datasets.digits_split(seed=-1)
    tr, va = ct.datasets.train_validation_split(10, 3, seed=0)
    assert len(tr) == 7 and len(va) == 3 and not set(tr) & set(va)

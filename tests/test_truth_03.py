"""Notebook 03: the likelihood thread, the misconceptions and the corrected sentences stay true (issues 12, 13)."""

import json
from pathlib import Path

import numpy as np

import ce_teach as ct
from ce_teach.checks import cross_entropy_nats

ROOT = Path(__file__).resolve().parents[1]
SOURCE = (ROOT / "notebooks" / "src" / "03_cross_entropy.py").read_text()
MAIN, DEEPER = SOURCE.split("# ## Going deeper", 1)


def test_the_batch_likelihood_reproduce():
    q_true = np.array([0.7, 0.8, 0.4, 0.6])
    likelihood = np.prod(q_true)
    loss = -np.log(likelihood) / 4
    assert f"{likelihood:.4f}" == "0.1344" and f"{loss:.7f}" == "0.5017337"
    assert loss == np.mean(-np.log(q_true)) or abs(loss - np.mean(-np.log(q_true))) < 1e-15
    assert "likelihood" in MAIN.split("## Check yourself")[0] and "0.5017337" in MAIN


def test_a_coins_maximum_likelihood_estimate_minimises_cross_entropy():
    h, n = 37, 50
    q = np.linspace(0.0001, 0.9999, 9999)
    ce = ct.cross_entropy(np.broadcast_to([h / n, 1 - h / n], (q.size, 2)), np.stack([q, 1 - q], axis=1))
    assert abs(q[np.argmin(ce)] - h / n) < 1e-4


def test_the_minus_ln_07_reproduce_stays():
    assert (
        "0.35667494393873238" in MAIN
        and "0.35667494393873238" in (ROOT / "notebooks" / "03_cross_entropy.ipynb").read_text()
    )


def test_no_forward_references_in_the_main_path():
    for later in ("derived in 05", "learning rate", "softmax_cross_entropy_grad", "ct.softmax("):
        assert later not in MAIN, later


def test_the_surprise_curve_uses_a_log_axis_and_its_answer_is_hidden():
    assert "widgets.true_class_loss_log(" in MAIN and "plotting.draw_surprise(" not in SOURCE
    cells = json.loads((ROOT / "notebooks" / "03_cross_entropy.ipynb").read_text())["cells"]
    prompt = next(i for i, c in enumerate(cells) if "What is it at $q = 0.25$" in "".join(c["source"]))
    reveal = next(i for i in range(prompt + 1, len(cells)) if "".join(cells[i]["source"]).startswith("<details>"))
    for cell in cells[prompt + 1 : reveal]:
        assert cell["cell_type"] == "code"
        assert not cell.get("outputs") or cell["metadata"].get("jupyter", {}).get("outputs_hidden"), cell["source"]


def test_the_missing_visuals_are_in_the_main_path():
    for figure in ("draw_cross_entropy_vs_q(", "draw_bigram_counts(", "draw_loss_vs_k("):
        assert f"plotting.{figure}" in MAIN, figure


def test_cross_entropy_is_not_symmetric():
    p, q = np.array([0.5, 0.25, 0.125, 0.125]), np.full(4, 0.25)
    assert abs(ct.cross_entropy(p, q, base=2) - 2.0) < 1e-15 and abs(ct.cross_entropy(q, p, base=2) - 2.25) < 1e-15
    assert "**Is it symmetric?**" in MAIN


def test_perplexity_can_exceed_the_vocabulary_size():
    train, held_out = ct.bigram.split(ct.bigram.TEXT, held_out=0.2)
    probs = ct.bigram.fit(train, order=2, k=0.3).probs
    cubed = probs**3 / (probs**3).sum(axis=1, keepdims=True)
    ids = ct.bigram.encode(held_out)
    assert 2 ** np.mean(-np.log2(cubed[ids[:-1], ids[1:]])) > len(ct.bigram.ALPHABET)
    assert "**Can perplexity exceed the vocabulary size?**" in MAIN


def _masked(p, q):
    return np.log(q, out=np.zeros_like(q, dtype=float), where=np.asarray(p) > 0)


def test_what_the_answer_text_says_the_checker_catches_it_does():
    claims = {
        "swapped arguments": lambda p, q: -np.sum(q * _masked(q, p), axis=-1),
        "a missing minus sign": lambda p, q: np.sum(p * _masked(p, q), axis=-1),
        "$\\log_2$ instead of $\\ln$": lambda p, q: -np.sum(p * _masked(p, q), axis=-1) / np.log(2),
        "the `nan` of\n# the plain `-np.sum(p * np.log(q), axis=-1)`": lambda p, q: -np.sum(p * np.log(q), axis=-1),
        "a forgotten sum": lambda p, q: -p * _masked(p, q),
        "a sum over the wrong axis": lambda p, q: -np.sum(p * _masked(p, q), axis=0),
        "over everything": lambda p, q: -np.sum(p * _masked(p, q)),
        "a small constant added inside the log": lambda p, q: -np.sum(p * np.log(q + 1e-9), axis=-1),
    }
    for claim, wrong in claims.items():
        assert claim in MAIN, claim
        assert cross_entropy_nats.check(wrong).status == "wrong", claim

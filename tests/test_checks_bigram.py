"""The bits-per-character exercise of notebook 03 (ce_teach/checks/bigram.py).

It must accept the package's own implementation and a hand-written model solution, say "not attempted"
for a stub, and reject each typical wrong answer with the hint that names the mistake.
"""

import numpy as np
import pytest

from ce_teach import bigram
from ce_teach.checks import bits_per_char


def package_answer(probs, ids):
    """The package's own model, driven through its public API: decode ids, score with CharModel."""
    alphabet = "".join(chr(0x4E00 + i) for i in range(len(probs)))  # any V distinct characters
    model = bigram.CharModel(alphabet, 2, 0.0, np.zeros_like(probs), probs)
    return model.bits_per_char("".join(alphabet[i] for i in ids))


def model_solution(probs, ids):  # the model solution shown in 03_cross_entropy
    q = probs[ids[:-1], ids[1:]]
    return np.mean(-np.log2(q))


def loop_solution(probs, ids):
    total = 0.0
    for a, b in zip(ids[:-1], ids[1:], strict=True):
        total += -np.log2(probs[a, b])
    return total / (len(ids) - 1)


def stub(probs, ids):
    raise NotImplementedError  # your code here


def float32_solution(probs, ids):  # computed in the table's own dtype
    return np.mean(-np.log2(np.asarray(probs)[ids[:-1], ids[1:]]))


def sum_of_logs_solution(probs, ids):  # log of the likelihood, per predicted character
    with np.errstate(divide="ignore"):
        return -np.sum(np.log2(probs[ids[:-1], ids[1:]])) / (len(ids) - 1)


@pytest.mark.parametrize(
    "answer", [package_answer, model_solution, loop_solution, float32_solution, sum_of_logs_solution]
)
def test_accepts_right_answers(answer):
    result = bits_per_char.check(answer)
    assert result.status == "correct", result.message
    assert result.message.startswith("✓ bits per character")


def test_stub_is_not_attempted():
    assert bits_per_char.check(stub).status == "not attempted"
    assert bits_per_char.check(lambda probs, ids: None).status == "not attempted"


def test_prints_verdict(capsys):
    bits_per_char(stub)
    assert "not attempted yet" in capsys.readouterr().out


WRONG = [
    ("nats", lambda probs, ids: np.mean(-np.log(probs[ids[:-1], ids[1:]])), "you answered in nats"),
    ("sign", lambda probs, ids: np.mean(np.log2(probs[ids[:-1], ids[1:]])), "forget the minus sign"),
    ("transposed", lambda probs, ids: np.mean(-np.log2(probs[ids[1:], ids[:-1]])), "probs[next, previous]"),
    ("summed", lambda probs, ids: np.sum(-np.log2(probs[ids[:-1], ids[1:]])), "you summed the losses"),
    ("divided by n", lambda probs, ids: np.sum(-np.log2(probs[ids[:-1], ids[1:]])) / len(ids), "you divided by n"),
    ("not averaged", lambda probs, ids: -np.log2(probs[ids[:-1], ids[1:]]), "one loss per predicted character"),
    ("perplexity", lambda probs, ids: 2 ** np.mean(-np.log2(probs[ids[:-1], ids[1:]])), "that is the perplexity"),
    (
        "impossible pairs skipped",
        lambda probs, ids: np.mean(
            np.nan_to_num(-np.log2(probs[ids[:-1], ids[1:]]), posinf=np.nan)[
                np.isfinite(-np.log2(probs[ids[:-1], ids[1:]]))
            ]
        ),
        "you skipped the pairs the model calls impossible",
    ),
    (
        "δ inside the log",
        lambda probs, ids: np.mean(-np.log2(probs[ids[:-1], ids[1:]] + 1e-12)),
        "small δ inside the log",
    ),
    (
        "likelihood instead of its log",
        lambda probs, ids: np.prod(probs[ids[:-1], ids[1:]]),
        "the mean over t = 1 … n − 1",
    ),
]


@pytest.mark.parametrize(("name", "answer", "hint"), WRONG, ids=[w[0] for w in WRONG])
def test_rejects_typical_mistakes_with_the_right_hint(name, answer, hint):
    result = bits_per_char.check(answer)
    assert result.status == "wrong", name
    assert "Hint: " in result.message and hint in result.message, result.message


def test_a_crash_is_reported_not_raised():
    result = bits_per_char.check(lambda probs, ids: probs[ids])  # wrong shape of lookup
    assert result.status == "wrong"
    result = bits_per_char.check(lambda probs, ids: 1 / 0)
    assert result.status == "wrong" and "ZeroDivisionError" in result.message


def test_cases_have_an_unseen_pair_a_float32_table_and_need_the_table_order():
    # One case has a pair with q = 0 (answer ∞), one a float32 table; one tells probs[a, b] from probs[b, a].
    with np.errstate(divide="ignore"):
        answers = [model_solution(probs, ids) for probs, ids in bits_per_char.cases]
    assert sum(np.isinf(a) for a in answers) == 1
    assert any(np.asarray(probs).dtype == np.float32 for probs, _ in bits_per_char.cases)
    assert any(
        not np.isclose(model_solution(probs, ids), np.mean(-np.log2(probs[ids[1:], ids[:-1]])))
        for probs, ids in bits_per_char.cases
    )

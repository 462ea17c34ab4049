"""What the learner's read-through of notebooks 05 and 06 corrected, each checked so that it would fail again.

- 05 §11 states the exact soft-label loss to 17 digits: 0.82474489013882265 (50-digit arithmetic), not the
  curriculum's 0.82474489013882270, which is a float64 printed to 17 digits.
- 06 §3's answer on the learning rate states what the widget's range really shows (measured, below).
"""

from pathlib import Path

import mpmath as mp

ROOT = Path(__file__).resolve().parents[1]


def test_05_states_the_exact_soft_label_loss_to_17_digits():
    mp.mp.dps = 50
    exact = []
    for labels, logits in (((1, 0, 0), (4, 2, 1)), ((0, mp.mpf("0.8"), mp.mpf("0.2")), (0, 5, 1))):
        lse = mp.log(sum(mp.e**v for v in logits))
        exact.append(-sum(y * (v - lse) for y, v in zip(labels, logits, strict=True)))
    assert [mp.nstr(v, 17) for v in exact] == ["0.16984601955628565", "0.82474489013882265"]
    source = (ROOT / "notebooks" / "src" / "05_softmax_ce.py").read_text(encoding="utf-8")
    assert "0.82474489013882265" in source and "0.82474489013882270" not in source


def test_06_race_answer_learning_rate_claims():
    """06 §3's answer: from w0 = −2 both runs learn; from w0 = −8 a learning rate of 4 (the slider's largest) leaves
    the squared-error run at half right after 300 steps, and it takes about 14 to get every example right."""
    import numpy as np

    import ce_teach as ct

    rng = np.random.default_rng(0)  # the notebook draws its features first thing from this generator
    features = np.concatenate([rng.normal(-1.0, 0.6, 20), rng.normal(1.0, 0.6, 20)])
    labels = np.repeat([0, 1], 20)

    def final_accuracy(loss, w0, lr):
        return ct.train_logistic(features, labels, loss=loss, w0=w0, b0=0.0, lr=lr, steps=300).accuracy[-1]

    assert final_accuracy("mse", -2.0, 1.0) == 1.0 and final_accuracy("ce", -2.0, 1.0) == 1.0
    assert final_accuracy("mse", -8.0, 4.0) == 0.5
    assert final_accuracy("mse", -8.0, 12.0) < 1.0 and final_accuracy("mse", -8.0, 14.0) == 1.0
    source = (ROOT / "notebooks" / "src" / "06_mse_vs_ce.py").read_text(encoding="utf-8")
    assert "only half the examples right (it needs about 14)" in source
    assert "4.0, 0.05" in (ROOT / "ce_teach" / "widgets" / "mse.py").read_text(encoding="utf-8"), "slider max is 4"

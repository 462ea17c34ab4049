"""ce_teach.bigram: counts, add-k smoothing, bits per character and input checks, on hand-computed cases."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ce_teach as ct
from ce_teach import bigram

# --- counting -----------------------------------------------------------------------------------


def test_encode_maps_characters_to_alphabet_positions():
    assert bigram.encode("cab", "abc").tolist() == [2, 0, 1]
    assert bigram.encode("", "abc").tolist() == []


def test_bigram_counts_by_hand():
    # "abca" has the pairs ab, bc, ca: one each.
    assert bigram.count("abca", alphabet="abc").tolist() == [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    # "aaab": aa twice, ab once.
    assert bigram.count("aaab", alphabet="ab").tolist() == [[2, 1], [0, 0]]


def test_unigram_counts_by_hand():
    assert bigram.count("aaab", order=1, alphabet="abc").tolist() == [3, 1, 0]


def test_counts_of_the_shipped_text_add_up():
    n = len(bigram.TEXT)
    pairs = bigram.count(bigram.TEXT)
    singles = bigram.count(bigram.TEXT, order=1)
    assert pairs.sum() == n - 1 and singles.sum() == n
    # every character but the last starts a pair, every character but the first ends one
    first, last = bigram.encode(bigram.TEXT[0]), bigram.encode(bigram.TEXT[-1])
    assert np.array_equal(pairs.sum(axis=1) + np.bincount(last, minlength=len(bigram.ALPHABET)), singles)
    assert np.array_equal(pairs.sum(axis=0) + np.bincount(first, minlength=len(bigram.ALPHABET)), singles)


def test_shipped_text_fits_the_alphabet():
    assert set(bigram.TEXT) <= set(bigram.ALPHABET)
    assert len(set(bigram.ALPHABET)) == len(bigram.ALPHABET) == 31
    assert len(bigram.TEXT) > 500


# --- add-k smoothing ----------------------------------------------------------------------------


def test_add_k_by_hand():
    assert bigram.add_k([3, 1, 0], k=0).tolist() == [0.75, 0.25, 0.0]
    # (c + 1/2) / (4 + 3/2)
    np.testing.assert_allclose(bigram.add_k([3, 1, 0], k=0.5), [3.5 / 5.5, 1.5 / 5.5, 0.5 / 5.5], rtol=1e-15)
    # row a of "abca" with k = 1/2: (0 + .5, 1 + .5, 0 + .5) / (1 + 1.5)
    model = bigram.fit("abca", k=0.5, alphabet="abc")
    np.testing.assert_allclose(model.probs[0], [0.2, 0.6, 0.2], rtol=1e-15)


@pytest.mark.parametrize("k", [0, 0.01, 0.1, 1, 10, 1e6])
def test_every_row_sums_to_one(k):
    for order in (1, 2):
        probs = bigram.fit(bigram.TEXT, order=order, k=k).probs
        np.testing.assert_allclose(probs.sum(axis=-1), 1.0, rtol=0, atol=1e-14)
        assert probs.min() >= 0


@given(st.text(alphabet="abc", min_size=2, max_size=40), st.floats(min_value=1e-9, max_value=1e6))
def test_smoothing_gives_every_pair_probability(text, k):
    probs = bigram.fit(text, k=k, alphabet="abc").probs
    assert probs.min() > 0
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=0, atol=1e-14)


def test_unseen_context_is_uniform_at_every_k():
    # 'c' never starts a pair in "abab": its row is 1/3 everywhere, the k → 0 limit of (0 + k) / (0 + 3k).
    for k in (0, 1e-9, 1, 100):
        assert bigram.fit("abab", k=k, alphabet="abc").probs[2].tolist() == [1 / 3, 1 / 3, 1 / 3]


def test_large_k_tends_to_uniform():
    probs = bigram.fit(bigram.TEXT, k=1e12).probs
    np.testing.assert_allclose(probs, 1 / len(bigram.ALPHABET), rtol=1e-8)


def test_add_k_keeps_shape_and_takes_integer_counts():
    counts = np.arange(12).reshape(2, 2, 3)
    probs = bigram.add_k(counts, k=1)
    assert probs.shape == (2, 2, 3) and probs.dtype == np.float64
    np.testing.assert_allclose(probs[1, 1], np.array([10, 11, 12]) / 33, rtol=1e-15)


# --- losses, bits per character, perplexity -----------------------------------------------------


def test_bits_per_char_by_hand():
    model = bigram.fit("abca", k=0.5, alphabet="abc")
    # "abc" predicts b after a and c after b, each with probability 0.6
    np.testing.assert_allclose(model.losses("abc"), [-math.log2(0.6)] * 2, rtol=1e-15)
    assert model.bits_per_char("abc") == pytest.approx(-math.log2(0.6), rel=1e-15)
    assert model.perplexity("abc") == pytest.approx(1 / 0.6, rel=1e-14)
    # "aa": a after a has probability 0.2
    assert model.bits_per_char("aa") == pytest.approx(-math.log2(0.2), rel=1e-15)


def test_unigram_losses_by_hand():
    model = bigram.fit("aaab", order=1, k=0, alphabet="ab")
    np.testing.assert_allclose(model.losses("ab"), [-math.log2(0.75), 2.0], rtol=1e-15)
    assert model.losses("ab", base=None)[1] == pytest.approx(math.log(4), rel=1e-15)


def test_unseen_pair_with_k0_is_infinite():
    model = bigram.fit("abca", k=0, alphabet="abc")
    losses = model.losses("abcac")  # ab, bc, ca seen; ac never seen
    assert losses.tolist() == [0.0, 0.0, 0.0, math.inf]
    assert model.bits_per_char("abcac") == math.inf
    assert model.perplexity("abcac") == math.inf
    assert np.isfinite(bigram.fit("abca", k=0.01, alphabet="abc").bits_per_char("abcac"))


def test_certain_prediction_costs_zero_not_minus_zero():
    losses = bigram.fit("abab", k=0, alphabet="ab").losses("abab")
    assert losses.tolist() == [0.0, 0.0, 0.0]
    assert not np.signbit(losses).any()


def test_training_loss_at_k0_is_the_entropy_of_the_counts():
    train, _ = bigram.split(bigram.TEXT)
    unigram = bigram.fit(train, order=1)
    p = unigram.counts / unigram.counts.sum()
    assert unigram.bits_per_char(train) == pytest.approx(float(ct.entropy(p, base=2)), rel=1e-13)
    # bigram: the conditional entropy H(next | previous) = Σ_a p(a)·H(q(·|a))
    model = bigram.fit(train)
    context = model.counts.sum(axis=1)
    seen = context > 0
    conditional = np.sum(context[seen] / context.sum() * ct.entropy(model.probs[seen], base=2))
    assert model.bits_per_char(train) == pytest.approx(float(conditional), rel=1e-13)


def test_bits_per_char_is_a_cross_entropy_with_the_held_out_counts():
    train, held_out = bigram.split(bigram.TEXT)
    model = bigram.fit(train, k=0.1)
    pairs = bigram.count(held_out)
    context = pairs.sum(axis=1)
    seen = context > 0
    p_next = pairs[seen] / context[seen, None]
    expected = np.sum(context[seen] / context.sum() * ct.cross_entropy(p_next, model.probs[seen], base=2))
    assert model.bits_per_char(held_out) == pytest.approx(float(expected), rel=1e-13)
    assert model.perplexity(held_out) == pytest.approx(float(np.exp(np.mean(model.losses(held_out, base=None)))))


def test_the_notebook_split_has_an_unseen_pair():
    train, held_out = bigram.split(bigram.TEXT)
    assert train + held_out == bigram.TEXT and train.endswith(" ") and not held_out.startswith(" ")
    assert bigram.fit(train).bits_per_char(held_out) == math.inf
    assert np.isfinite(bigram.fit(train, order=1).bits_per_char(held_out))


def test_sample_only_uses_seen_pairs_and_is_reproducible():
    model = bigram.fit(bigram.TEXT)
    text = bigram.sample(model, 200, rng=np.random.default_rng(1), start="t")
    assert len(text) == 200 and text[0] == "t"
    assert np.isfinite(model.bits_per_char(text))  # k = 0: every sampled pair was seen in training
    assert text == bigram.sample(model, 200, rng=np.random.default_rng(1), start="t")
    unigram_text = bigram.sample(bigram.fit(bigram.TEXT, order=1), 50, rng=np.random.default_rng(1))
    assert len(unigram_text) == 50 and set(unigram_text) <= set(bigram.TEXT)


def test_split_by_hand():
    assert bigram.split("one two three four five", held_out=0.3) == ("one two three four ", "five")


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("k", [-1, -1e-12, math.nan, math.inf])
def test_k_must_be_finite_and_non_negative(k):
    with pytest.raises(ValueError, match=r"k must be a finite number ≥ 0"):
        bigram.fit("abab", k=k, alphabet="ab")
    with pytest.raises(ValueError, match=r"k must be a finite number ≥ 0"):
        bigram.add_k([1, 2], k=k)


@pytest.mark.parametrize("k", [True, "0.1", None, [0.1]])
def test_k_must_be_a_number(k):
    with pytest.raises(TypeError, match="k must be a number"):
        bigram.fit("abab", k=k, alphabet="ab")


@pytest.mark.parametrize("order", [0, 3, True, 2.5, "2"])
def test_order_is_1_or_2(order):
    with pytest.raises(ValueError, match="order must be 1 .unigram. or 2 .bigram."):
        bigram.fit("abab", order=order, alphabet="ab")


def test_text_must_be_a_non_empty_string():
    with pytest.raises(ValueError, match="text is empty"):
        bigram.fit("", alphabet="ab")
    with pytest.raises(ValueError, match="text is only 1 character long; need at least 2"):
        bigram.fit("a", alphabet="ab")
    with pytest.raises(TypeError, match="text must be a str, got list"):
        bigram.fit(["a", "b"], alphabet="ab")
    model = bigram.fit("abab", alphabet="ab")
    with pytest.raises(ValueError, match="text is only 1 character long"):
        model.bits_per_char("a")
    with pytest.raises(ValueError, match="text is empty"):
        bigram.fit("abab", order=1, alphabet="ab").losses("")


def test_unknown_character_is_named_with_its_position():
    model = bigram.fit("abab", alphabet="ab")
    with pytest.raises(ValueError, match=r"text contains 'c' at index 2, which is not in the alphabet 'ab'"):
        model.losses("abcab")
    with pytest.raises(ValueError, match=r"text contains 'A' at index 0"):
        bigram.fit("A message", alphabet=bigram.ALPHABET)


def test_alphabet_checks():
    with pytest.raises(ValueError, match=r"alphabet contains 'a' twice \(again at index 2\)"):
        bigram.fit("abab", alphabet="aba")
    with pytest.raises(ValueError, match="alphabet is empty"):
        bigram.encode("a", "")
    with pytest.raises(TypeError, match="alphabet must be a str"):
        bigram.encode("a", ["a"])


def test_counts_checks():
    with pytest.raises(ValueError, match=r"counts must be ≥ 0; found -1 at index 1"):
        bigram.add_k([2, -1])
    with pytest.raises(ValueError, match="counts contains NaN"):
        bigram.add_k([2.0, math.nan])
    with pytest.raises(ValueError, match="counts contains inf"):
        bigram.add_k([2.0, math.inf])
    with pytest.raises(ValueError, match="counts must have a class axis"):
        bigram.add_k(3.0)
    with pytest.raises(TypeError, match="counts must be real numbers"):
        bigram.add_k(["a", "b"])


def test_base_is_checked():
    with pytest.raises(ValueError, match="base must be a positive finite number other than 1"):
        bigram.fit("abab", alphabet="ab").losses("ab", base=1)


@pytest.mark.parametrize("held_out", [0, 1, -0.2, 1.5])
def test_split_fraction_checked(held_out):
    with pytest.raises(ValueError, match=r"held_out must be a fraction in \(0, 1\)"):
        bigram.split(bigram.TEXT, held_out=held_out)


def test_split_needs_a_space():
    with pytest.raises(ValueError, match="no space after the first 80%"):
        bigram.split("abcdefghij")


def test_sample_checks():
    model = bigram.fit("abab", alphabet="ab")
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="length must be an integer ≥ 1"):
        bigram.sample(model, 0, rng=rng)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        bigram.sample(model, 3, rng=0)
    with pytest.raises(ValueError, match="start must be a single character"):
        bigram.sample(model, 3, rng=rng, start="ab")
    with pytest.raises(ValueError, match="text contains 'z' at index 0"):
        bigram.sample(model, 3, rng=rng, start="z")
    with pytest.raises(TypeError, match="model must be a CharModel"):
        bigram.sample(model.probs, 3, rng=rng)

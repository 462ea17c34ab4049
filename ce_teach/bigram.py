"""A tiny character language model: unigram and bigram counts, add-k smoothing, bits per character.

A language model gives a probability to the next character (or token) given what came before. Its loss
on a text is the cross-entropy between the text and the model, measured per character:

    bits per character = (1/N)·Σ_t −log2 q(c_t | c_{t−1}),      perplexity = 2^{bits per character}.

The **bigram** model looks one character back: q(b | a) is estimated from how often b followed a in
the training text. The **unigram** model looks at nothing: q(b) is how often b occurred. Estimated from
raw counts (k = 0), a pair never seen in training gets probability 0, and one such pair in new text
makes the loss infinite; **add-k smoothing** adds k to every count first, so nothing is impossible.

``TEXT`` is a short original paragraph (lower case, CC BY 4.0 like the rest of the prose) shipped as a
string, so nothing is downloaded; ``ALPHABET`` lists every character a model may meet.

    >>> import ce_teach as ct
    >>> model = ct.bigram.fit("abab", k=0, alphabet="ab")
    >>> model.probs.tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    >>> float(model.bits_per_char("abab")), float(model.bits_per_char("abba"))
    (0.0, inf)
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v

__all__ = ["ALPHABET", "TEXT", "CharModel", "add_k", "count", "encode", "fit", "sample", "split"]

ALPHABET = " ,.:;" + string.ascii_lowercase  # 31 characters: space, punctuation, a–z

TEXT = (
    "a message is one choice among many possible messages, and information measures how free that choice "
    "was. when a friend tells you something you already knew, you learn nothing; when she tells you "
    "something you could not have guessed, you learn a lot. to send a message down a wire we turn it into "
    "a string of bits, and a good code gives short strings to common messages and long strings to rare "
    "ones. the best code spends about log two of one over p bits on a message of probability p, so the "
    "average length of a coded message is the entropy of its source. a model of the source is a guess "
    "about those probabilities. if the guess is good, the code built from it is short; if the guess is "
    "poor, every message costs more bits than it had to, and the extra cost is the price of being wrong. "
    "this is how we can judge a model of language: by the number of bits it needs, on average, to write "
    "down text it has never seen. a model that has learned that a space follows a full stop, that q is "
    "followed by u, and that the letters e and t are common will need fewer bits per letter than a model "
    "that treats every letter as equally likely. counting pairs of letters in a short text is the "
    "simplest such model. it is crude, but it already beats guessing, and it shows plainly what goes "
    "wrong when the model meets a pair of letters it has never counted."
)


# --- input checks -------------------------------------------------------------------------------


def _check_text(text, name: str = "text", *, min_length: int = 1) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {type(text).__name__}")
    if len(text) < min_length:
        what = "empty" if not text else f"only {len(text)} character long"
        raise ValueError(f"{name} is {what}; need at least {min_length} character(s)")
    return text


def _check_alphabet(alphabet) -> str:
    _check_text(alphabet, "alphabet")
    seen = set()
    for i, ch in enumerate(alphabet):
        if ch in seen:
            raise ValueError(f"alphabet contains {ch!r} twice (again at index {i}); each character once")
        seen.add(ch)
    return alphabet


MAX_SAMPLE_LENGTH = 1_000_000  # sample() draws one character at a time in Python: about 20 s for this many


def _check_k(k) -> float:
    return v.number(k, "k", 0.0, why=" (the count added to every pair)")


def _check_order(order) -> int:
    if isinstance(order, (bool, np.bool_)) or not isinstance(order, (int, np.integer)) or order not in (1, 2):
        raise ValueError(f"order must be 1 (unigram) or 2 (bigram), got {order!r}")
    return int(order)


# --- the model ----------------------------------------------------------------------------------


def encode(text: str, alphabet: str = ALPHABET) -> np.ndarray:
    """The text as integer indices into the alphabet, shape (len(text),).

    Formula: ids[t] = alphabet.index(text[t]).

    A character outside the alphabet raises a ``ValueError`` naming it and its position: the model has
    no probability for it at all (not even a smoothed one), so it cannot be scored.

    >>> encode("cab", "abc").tolist()
    [2, 0, 1]
    """
    _check_alphabet(alphabet)
    _check_text(text, min_length=0)
    index = {ch: i for i, ch in enumerate(alphabet)}
    ids = np.empty(len(text), dtype=np.intp)
    for t, ch in enumerate(text):
        if ch not in index:
            raise ValueError(
                f"text contains {ch!r} at index {t}, which is not in the alphabet {alphabet!r}; "
                "add it to the alphabet or remove it from the text"
            )
        ids[t] = index[ch]
    return ids


def count(text: str, *, order: int = 2, alphabet: str = ALPHABET) -> np.ndarray:
    """How often each character (order 1) or each pair of neighbouring characters (order 2) occurs.

    Formula: order 1: counts[b] = #{t : c_t = b};  order 2: counts[a, b] = #{t ≥ 1 : c_{t−1} = a, c_t = b}.

    Shapes: (V,) for order 1, (V, V) for order 2 (row = first character, column = the one after it),
    V = len(alphabet). A text of n characters has n characters and n − 1 pairs.

    >>> count("abab", alphabet="ab").tolist()
    [[0, 2], [1, 0]]
    >>> count("abab", order=1, alphabet="ab").tolist()
    [2, 2]
    """
    order = _check_order(order)
    _check_text(text, min_length=order)
    _check_alphabet(alphabet)
    n = len(alphabet)
    v.check_size(8.0 * n**order, "alphabet", f"the counts of {n}**{order} = {n**order} pairs (int64)")
    ids = encode(text, alphabet)
    if order == 1:
        return np.bincount(ids, minlength=n)
    return np.bincount(ids[:-1] * n + ids[1:], minlength=n * n).reshape(n, n)


def add_k(counts: ArrayLike, *, k: float = 0.0) -> np.ndarray:
    """Add-k smoothed probabilities along the last axis: (count + k) / (row total + k·V).

    Formula: q(b | a) = (count(a, b) + k) / (Σ_b' count(a, b') + k·V); k = 0 is the maximum-likelihood estimate
    (the observed frequencies), k = 1 is Laplace's add-one rule, and k → ∞ tends to uniform 1/V.

    Shapes: ``counts`` (..., V) of non-negative numbers; result of the same shape, each row summing to 1.

    A row with no counts at all (a context never seen in training) is 1/V everywhere for every k > 0,
    so at k = 0 it is given that limit, 1/V, instead of 0/0: every row is a distribution.

    >>> add_k([3, 1, 0], k=0).tolist()
    [0.75, 0.25, 0.0]
    >>> add_k([3, 1, 0], k=1).tolist()
    [0.5714285714285714, 0.2857142857142857, 0.14285714285714285]
    """
    k = _check_k(k)
    c = v.as_real_array(counts, "counts")
    v.check_class_axis(c, "counts", -1)
    v.check_finite(c, "counts")
    if c.size and c.min() < 0:
        bad = c < 0
        where = v.first_index(bad)
        raise ValueError(f"counts must be ≥ 0; found {c[where].item()!r} at index {where}")
    c = c.astype(np.float64)
    with np.errstate(over="ignore"):
        shifted = c + k
        total = shifted.sum(axis=-1, keepdims=True)
    if not np.isfinite(total).all():
        # Counts or k near the float64 maximum: the row total overflows. Scale each row by its largest
        # number (max count or k) first; the ratio (c + k) / (Σc + k·V) does not change.
        scale = np.maximum(c.max(axis=-1, keepdims=True), k)
        scale[scale == 0] = 1.0
        shifted = c / scale + k / scale
        total = shifted.sum(axis=-1, keepdims=True)
    empty = total == 0
    return np.divide(shifted, total, out=np.full_like(shifted, 1.0 / c.shape[-1]), where=~empty)


@dataclass(frozen=True)
class CharModel:
    """A fitted unigram (order 1) or bigram (order 2) character model.

    ``counts`` are the training counts from ``count``, ``probs = add_k(counts, k=k)``: shape (V,) with
    probs[b] = q(b) for order 1, shape (V, V) with probs[a, b] = q(b | a) for order 2.
    """

    alphabet: str
    order: int
    k: float
    counts: np.ndarray
    probs: np.ndarray

    def losses(self, text: str, *, base: float | None = 2) -> np.ndarray:
        """The loss of each predicted character, −log q(c_t | c_{t−1}) (order 2) or −log q(c_t) (order 1).

        Formula: order 2: loss_t = −log q(c_t | c_{t−1}) for t = 1, …, n − 1 (the first character has
        nothing before it and is not predicted); order 1: loss_t = −log q(c_t) for t = 0, …, n − 1.
        In bits for ``base=2`` (the default), in nats for ``base=None``.

        Shapes: n − 1 losses for order 2, n for order 1, for a text of n characters. +inf where the
        model gave the character probability 0 (an unseen pair with k = 0), without a warning.

        >>> fit("abab", k=0, alphabet="ab").losses("abba").tolist()
        [0.0, inf, 0.0]
        """
        v.check_base(base)
        ids = encode(_check_text(text, min_length=self.order), self.alphabet)
        q = self.probs[ids[:-1], ids[1:]] if self.order == 2 else self.probs[ids]
        with np.errstate(divide="ignore"):  # q = 0: the loss is +inf
            nats = -np.log(q)
        return nats + 0.0 if base is None else nats / math.log(float(base)) + 0.0  # + 0.0: −log 1 is 0, not −0

    def bits_per_char(self, text: str) -> float:
        """Cross-entropy of the model on ``text``, in bits per predicted character: the mean of ``losses``.

        Formula: bits per character = (1/N)·Σ_t −log2 q(c_t | c_{t−1}), over the N predicted characters.

        >>> float(fit("abab", order=1, k=0, alphabet="ab").bits_per_char("abab"))
        1.0
        """
        return float(np.mean(self.losses(text, base=2)))

    def perplexity(self, text: str) -> float:
        """2 ** bits per character: the effective number of equally likely next characters.

        Formula: perplexity = 2^{bits per character} = e^{nats per character}.

        >>> float(fit("abab", order=1, k=0, alphabet="ab").perplexity("abab"))
        2.0
        """
        return float(2.0 ** self.bits_per_char(text))


def fit(text: str, *, order: int = 2, k: float = 0.0, alphabet: str = ALPHABET) -> CharModel:
    """Count the training text and smooth: a unigram (order 1) or bigram (order 2) ``CharModel``.

    Formula: probs = add_k(count(text, order=order), k=k), i.e. q(b | a) = (count(a, b) + k) / (count(a) + k·V).

    The alphabet, not the training text, fixes which characters exist: a character of the alphabet that
    never occurs in training has count 0 (probability 0 at k = 0); one outside it cannot be scored.

    >>> fit("aab", order=1, alphabet="ab").probs.tolist()
    [0.6666666666666666, 0.3333333333333333]
    """
    order = _check_order(order)
    k = _check_k(k)
    _check_alphabet(alphabet)
    counts = count(text, order=order, alphabet=alphabet)
    return CharModel(alphabet, order, k, counts, add_k(counts, k=k))


def split(text: str, *, held_out: float = 0.2) -> tuple[str, str]:
    """Split a text into (train, held-out) at the first space after the first (1 − held_out) of it.

    Formula: cut = first space at or after round((1 − held_out)·len(text)); train = text[:cut + 1]
    (ending with that space), held-out = text[cut + 1:] (starting with a whole word).

    >>> split("one two three four five", held_out=0.3)
    ('one two three four ', 'five')
    """
    _check_text(text)
    held_out = v.number(held_out, "held_out", 0.0, 1.0, open_low=True, open_high=True, what="fraction")
    cut = text.find(" ", round((1 - held_out) * len(text)))
    if cut == -1 or cut == len(text) - 1:
        raise ValueError(f"no space after the first {1 - held_out:.0%} of the text to split at; use a smaller held_out")
    return text[: cut + 1], text[cut + 1 :]


def sample(model: CharModel, length: int, *, rng: np.random.Generator, start: str | None = None) -> str:
    """Random text from the model: each character drawn from q(· | previous character) (or q(·)).

    Formula: c_t ~ q(· | c_{t−1}) for a bigram model, c_t ~ q(·) for a unigram model (``start`` is ignored).

    ``start`` is the first character for a bigram model (default: the alphabet's first character); the
    result has ``length`` characters, including it. ``rng`` is a NumPy Generator, passed explicitly.

    >>> sample(fit("abab", alphabet="ab"), 5, rng=np.random.default_rng(0), start="a")
    'ababa'
    """
    if not isinstance(model, CharModel):
        raise TypeError(f"model must be a CharModel from ce_teach.bigram.fit, got {type(model).__name__}")
    length = v.whole_number(
        length, "length", minimum=1, maximum=MAX_SAMPLE_LENGTH, why=" (characters are drawn one at a time)"
    )
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    size = len(model.alphabet)
    if model.order == 1:
        return "".join(model.alphabet[i] for i in rng.choice(size, size=length, p=model.probs))
    start = model.alphabet[0] if start is None else start
    if not isinstance(start, str) or len(start) != 1:
        raise ValueError(f"start must be a single character, got {start!r}")
    ids = [int(encode(start, model.alphabet)[0])]
    for _ in range(length - 1):
        ids.append(int(rng.choice(size, p=model.probs[ids[-1]])))
    return "".join(model.alphabet[i] for i in ids)

"""Prefix codes (notebook 01): Huffman codes, Kraft sums, encoding, decoding and block coding.

A prefix code gives each symbol a codeword of bits, no codeword the start of another, so a stream of
bits decodes without separators. Huffman's algorithm builds the prefix code of smallest expected length
L = Σ p_i·len_i, and H(p) ≤ L < H(p) + 1 (in bits). Coding blocks of k symbols at once brings the cost
per symbol within 1/k bit of H(p).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as v

__all__ = [
    "huffman_code",
    "canonical_code",
    "code_lengths",
    "expected_length",
    "kraft_sum",
    "is_prefix_free",
    "encode",
    "decode",
    "block_distribution",
    "block_code_rate",
]


MAX_CODE_BITS = 10**7  # canonical_code writes out every codeword: at most this many bits in all


def _probabilities(p, name: str = "p") -> np.ndarray:
    """One distribution as a 1-D float64 array, or a ValueError naming what is wrong."""
    p = v.as_real_array(p, name)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"{name} must be one distribution: a non-empty 1-D array, got shape {p.shape}")
    v.check_distribution(p, name, -1)
    return p.astype(np.float64)


def _codewords(codewords, name: str = "codewords") -> list[str]:
    if isinstance(codewords, str) or not isinstance(codewords, Sequence) or len(codewords) == 0:
        raise TypeError(f"{name} must be a non-empty list of strings of 0s and 1s, got {codewords!r}")
    for i, word in enumerate(codewords):
        if not isinstance(word, str) or word == "" or set(word) - {"0", "1"}:
            raise ValueError(f"{name}[{i}] must be a non-empty string of 0s and 1s, got {word!r}")
    return list(codewords)


def huffman_code(p: ArrayLike) -> list[str]:
    """A Huffman code for the distribution ``p``: a prefix code of the smallest expected length.

    Formula: repeatedly merge the two least likely groups into one (probability: their sum); every
    merge adds one bit to the codeword of each symbol inside. Ties are broken by order of creation, so
    the lengths are deterministic; the codewords are the ``canonical_code`` with those lengths.

    Shapes: ``p`` of shape (n,), a distribution. Result: a list of n codewords, ``result[i]`` the
    codeword of symbol i. A single symbol gets the codeword ``"0"`` (one bit, so it can be sent at all).

    Stability: only comparisons and sums of probabilities; a symbol with p = 0 gets a codeword too
    (the longest), which costs nothing on average.

    >>> huffman_code([0.5, 0.25, 0.125, 0.125])
    ['0', '10', '110', '111']
    """
    p = _probabilities(p)
    if p.size == 1:
        return ["0"]
    order = itertools.count()
    heap = [(float(pi), next(order), [i]) for i, pi in enumerate(p)]
    heapq.heapify(heap)
    lengths = [0] * p.size
    while len(heap) > 1:
        p0, _, group0 = heapq.heappop(heap)
        p1, _, group1 = heapq.heappop(heap)
        for i in group0 + group1:
            lengths[i] += 1  # one more bit in front of every codeword of the merged groups
        heapq.heappush(heap, (p0 + p1, next(order), group0 + group1))
    return canonical_code(lengths)


def canonical_code(lengths: ArrayLike) -> list[str]:
    """The canonical prefix code with the given codeword lengths (which must satisfy Kraft: Σ 2^−len ≤ 1).

    Formula: take the symbols by (length, index); each codeword is the previous one plus 1 in binary,
    shifted left (zeros appended) when the length grows. The first codeword is all zeros.

    Shapes: n lengths → n codewords, ``result[i]`` of length ``lengths[i]``.
    Stability: integers only.

    >>> canonical_code([1, 2, 3, 3])
    ['0', '10', '110', '111']
    """
    lengths = _lengths(lengths, "lengths")
    if lengths.sum() > MAX_CODE_BITS:
        raise ValueError(
            f"lengths asks for {int(lengths.sum())} bits of codewords in all (largest length {int(lengths.max())}); "
            f"canonical_code builds at most {MAX_CODE_BITS} bits"
        )
    if kraft_sum(lengths) > 1:
        raise ValueError(f"no prefix code has the lengths {lengths.tolist()}: Kraft's sum Σ 2^−len is above 1")
    codewords = [""] * lengths.size
    value, previous = 0, 0
    for i in sorted(range(lengths.size), key=lambda i: (lengths[i], i)):
        value <<= int(lengths[i]) - previous
        codewords[i] = format(value, f"0{lengths[i]}b")
        value, previous = value + 1, int(lengths[i])
    return codewords


def code_lengths(codewords: Sequence[str]) -> np.ndarray:
    """The length of each codeword, as an integer array.

    Formula: len_i = number of bits of codeword i. Shapes: n codewords → shape (n,).
    Stability: integers only.

    >>> code_lengths(["0", "10", "11"]).tolist()
    [1, 2, 2]
    """
    return np.array([len(word) for word in _codewords(codewords)], dtype=np.int64)


def _lengths(code, name: str = "code") -> np.ndarray:
    """Codewords or their lengths → lengths (positive integers)."""
    if isinstance(code, Sequence) and not isinstance(code, str) and code and isinstance(code[0], str):
        return code_lengths(code)
    if isinstance(code, str):
        raise ValueError(f"{name} must be codewords or a 1-D array of code lengths, got {code!r}")
    lengths = v.as_real_array(code, name)
    if lengths.ndim != 1 or lengths.size == 0 or lengths.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be codewords or a 1-D array of code lengths, got {code!r}")
    if not np.all(np.isfinite(lengths)) or np.any(lengths < 1) or np.any(lengths != np.round(lengths)):
        raise ValueError(f"{name}: code lengths must be whole numbers ≥ 1, got {lengths.tolist()}")
    return lengths.astype(np.int64)


def expected_length(p: ArrayLike, code: Sequence[str] | ArrayLike) -> float:
    """The expected codeword length L = Σ_i p_i·len_i, in bits per symbol.

    Formula: L = Σ_i p_i·len_i. ``code`` is a list of codewords or an array of their lengths.
    Shapes: ``p`` (n,), ``code`` n codewords or lengths. Result: a float.
    Stability: a sum of non-negative terms, no cancellation.

    >>> expected_length([0.5, 0.25, 0.125, 0.125], ["0", "10", "110", "111"])
    1.75
    """
    p = _probabilities(p)
    lengths = _lengths(code)
    if lengths.size != p.size:
        raise ValueError(f"code has {lengths.size} codewords but p has {p.size} symbols")
    return float(np.sum(p * lengths))


def kraft_sum(code: Sequence[str] | ArrayLike) -> float:
    """Kraft's sum Σ_i 2^(−len_i): at most 1 for every prefix code, and any lengths with sum ≤ 1 have one.

    Formula: K = Σ_i 2^(−len_i). A codeword of length ℓ uses up a 2^(−ℓ) share of all bit strings.
    Shapes: n codewords or lengths → a float. Stability: powers of 2 are exact in float64 (lengths ≤ 1074).

    >>> kraft_sum(["0", "10", "11"])
    1.0
    """
    return float(np.sum(np.ldexp(1.0, -_lengths(code))))


def is_prefix_free(codewords: Sequence[str]) -> bool:
    """True if no codeword is the start of another (and no two are equal).

    Formula: for all i ≠ j, codeword j does not start with codeword i.
    Shapes: n codewords → a bool. Stability: string comparisons only.

    >>> is_prefix_free(["0", "10", "11"]), is_prefix_free(["0", "01"])
    (True, False)
    """
    words = sorted(_codewords(codewords))
    return all(not b.startswith(a) for a, b in itertools.pairwise(words))


def encode(message: ArrayLike, codewords: Sequence[str]) -> str:
    """Write a message (symbol indices) with a code: the concatenation of the symbols' codewords.

    Formula: bits = codeword[m_0] + codeword[m_1] + …
    Shapes: ``message`` (m,) integers in [0, n); n codewords → a string of bits.
    Stability: no arithmetic.

    >>> encode([0, 2, 1], ["0", "10", "11"])
    '01110'
    """
    words = _codewords(codewords)
    message = v.as_real_array(message, "message")
    if message.ndim != 1 or (message.size and message.dtype.kind not in "iu"):
        raise ValueError(f"message must be a 1-D array of symbol indices, got shape {message.shape}")
    bad = (message < 0) | (message >= len(words))
    if np.any(bad):
        raise ValueError(f"message holds symbol {message[bad][0]}; symbols are 0…{len(words) - 1}")
    return "".join(words[i] for i in message)


def decode(bits: str, codewords: Sequence[str]) -> np.ndarray:
    """Read a string of bits back into symbol indices with a prefix code.

    Formula: read bits until they spell a codeword, output its symbol, start again.
    Shapes: a string of bits; n codewords → an integer array of symbol indices.
    Stability: no arithmetic. Raises if the code is not a prefix code or bits are left over.

    >>> decode("01110", ["0", "10", "11"]).tolist()
    [0, 2, 1]
    """
    words = _codewords(codewords)
    if not is_prefix_free(words):
        raise ValueError("codewords must form a prefix code (no codeword the start of another) to decode")
    if not isinstance(bits, str) or set(bits) - {"0", "1"}:
        raise ValueError("bits must be a string of 0s and 1s")
    symbol_of = {word: i for i, word in enumerate(words)}
    decoded, word = [], ""
    for bit in bits:
        word += bit
        if word in symbol_of:
            decoded.append(symbol_of[word])
            word = ""
    if word:
        raise ValueError(f"the bits end in the middle of a codeword: {word!r} is left over")
    return np.array(decoded, dtype=np.int64)


def block_distribution(p: ArrayLike, k: int) -> np.ndarray:
    """The distribution of blocks of ``k`` independent symbols from ``p``, blocks in dictionary order.

    Formula: P(i_1 … i_k) = p_{i_1} · … · p_{i_k}.
    Shapes: ``p`` (n,) → (n**k,). ``k`` at most 12 and n**k at most 10**6, to keep it small.
    Stability: products of probabilities; H(blocks) = k·H(p) up to rounding.

    >>> block_distribution([0.5, 0.5], 2).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    p = _probabilities(p)
    k = v.number(k, "k", 1, 12, integer=True, why=" (symbols per block)")
    if p.size**k > 10**6:
        raise ValueError(f"{p.size}**{k} = {p.size**k} blocks is too many (at most 10**6)")
    blocks = np.ones(1)
    for _ in range(k):
        blocks = np.outer(blocks, p).ravel()
    return blocks


def block_code_rate(p: ArrayLike, k: int) -> float:
    """Bits per symbol of a Huffman code built for blocks of ``k`` symbols: L_k / k.

    Formula: L_k / k with L_k the expected length of the Huffman code of ``block_distribution(p, k)``;
    H(p) ≤ L_k / k < H(p) + 1/k, so it approaches the entropy as k grows.
    Shapes: ``p`` (n,) → a float. Stability: as ``huffman_code``.

    >>> round(block_code_rate([0.9, 0.1], 1), 6), round(block_code_rate([0.9, 0.1], 2), 6)
    (1.0, 0.645)
    """
    blocks = block_distribution(p, k)
    return expected_length(blocks, huffman_code(blocks)) / k

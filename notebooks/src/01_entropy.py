# %% [markdown]
# # 01 · Entropy
# How surprised you should expect to be: the average surprise of a distribution, in bits or nats.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/01_entropy.ipynb)

# %% [markdown]
# **In this notebook you will**
# - measure the surprise of one outcome, $-\log p$, and the entropy $H(p)$ of a distribution as its average surprise;
# - convert between bits and nats, and see why $0 \cdot \log 0$ counts as 0;
# - read entropy as the length of the best code: a prefix-code tree, Huffman's code, $H \le L < H + 1$, and
#   coding blocks of symbols to get as close to $H$ as you like;
# - find where entropy is largest and smallest, and turn it into a perplexity: a number of equally likely choices.
#
# **Prerequisites:** [00 · Start here](00_start_here.ipynb) (notation, sliders, self-checks); logarithms.

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Surprise
#
# An outcome you expected tells you little when it happens; a rare one tells you a lot. We want a number
# $s(p)$, the **surprise** of an outcome of probability $p$: 0 for a certain outcome ($p = 1$), growing as
# $p$ shrinks, and *adding up* over independent outcomes. The logarithm does exactly this:
#
# $$s(p) = -\log p = \log \frac{1}{p}.$$
#
# Why it adds up, for independent events with probabilities $p_1$ and $p_2$:
#
# | step | because |
# |---|---|
# | $s(p_1 p_2) = -\log(p_1 p_2)$ | independent events: the joint probability is the product |
# | $\phantom{s(p_1 p_2)} = -(\log p_1 + \log p_2)$ | the log of a product is the sum of the logs |
# | $\phantom{s(p_1 p_2)} = s(p_1) + s(p_2)$ | definition of $s$, twice |
#
# With $\log_2$ surprise is measured in **bits**: a fair coin flip ($p = 1/2$) is 1 bit, and $k$ fair flips
# ($p = 2^{-k}$) are $k$ bits. With $\ln$ it is measured in **nats**.

# %%
probabilities = np.array([1.0, 1 / 2, 1 / 4, 1 / 8, 1 / 100, 1e-6])
surprise_bits = np.log2(1 / probabilities)  # log(1/p) rather than −log p: −log 1 would print as −0
surprise_nats = np.log(1 / probabilities)
print("      p    surprise [bits]   surprise [nats]")
for p, b, n in zip(probabilities, surprise_bits, surprise_nats, strict=True):
    print(f"{p:>9.6g}   {b:>12.4f}      {n:>12.4f}")

# %%
p1, p2 = rng.uniform(0.01, 0.99, size=(2, 1000))
ct.checks.compare("s(p1·p2) vs s(p1) + s(p2)", -np.log2(p1 * p2), -np.log2(p1) - np.log2(p2))
ct.checks.compare("k fair coin flips carry k bits", -np.log2(0.5 ** np.arange(11)), np.arange(11.0))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Entropy: the average surprise
#
# Before an outcome is drawn from a distribution $p$, how surprised do you expect to be? Outcome $i$
# happens with probability $p_i$ and then surprises you by $-\log p_i$, so the expected surprise is
#
# $$H(p) = \sum_i p_i \cdot (-\log p_i) = -\sum_i p_i \log p_i .$$
#
# This is the **entropy** of $p$. Take tomorrow's weather, sun / cloud / rain with $p = (0.7, 0.2, 0.1)$:
# we compute $H$ by hand, with the package, and as the average surprise over 10 000 simulated days.

# %%
weather = np.array([0.7, 0.2, 0.1])
h_by_hand = -np.sum(weather * np.log2(weather))
h_package = ct.entropy(weather, base=2)
print(f"H(weather) by hand:      {h_by_hand:.6f} bits")
print(f"H(weather) ct.entropy:   {float(h_package):.6f} bits")

# %%
ct.checks.compare("H(weather): by hand vs ct.entropy", h_by_hand, h_package)

# %% [markdown]
# The average surprise of simulated days approaches $H$, within a few standard errors (the spread of one
# day's surprise divided by the square root of the number of days):

# %%
n_days = 10_000
days = rng.choice(weather.size, size=n_days, p=weather)
average_surprise = np.mean(-np.log2(weather[days]))
standard_error = np.sqrt(np.sum(weather * (-np.log2(weather) - h_package) ** 2) / n_days)
print(f"average surprise over {n_days} simulated days: {average_surprise:.4f} bits")
print(f"H(weather):                                  {float(h_package):.4f} bits")
print(f"difference: {(average_surprise - h_package) / standard_error:+.2f} standard errors")
assert abs(average_surprise - h_package) < 4 * standard_error

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### An impossible outcome counts 0: $0 \cdot \log 0 = 0$
#
# An outcome with $p = 0$ would be infinitely surprising, but it never happens, so it should add nothing to
# the average. The limit agrees:
#
# | step | because |
# |---|---|
# | $p \ln p = \dfrac{\ln p}{1/p}$ | rewrite the product as a quotient, of the form $-\infty/\infty$ as $p \to 0^+$ |
# | $\lim_{p\to 0^+} \dfrac{\ln p}{1/p} = \lim_{p\to 0^+} \dfrac{1/p}{-1/p^2}$ | L'Hôpital's rule: differentiate numerator and denominator |
# | $\phantom{\lim_{p\to 0^+} \dfrac{\ln p}{1/p}} = \lim_{p\to 0^+} (-p) = 0$ | simplify |
#
# So entropy uses the convention $0 \cdot \log 0 = 0$. Numerically, $p \ln p$ does go to 0:

# %%
tiny = np.array([1e-1, 1e-5, 1e-20, 1e-300])
p_log_p = tiny * np.log(tiny)
for p, term in zip(tiny, p_log_p, strict=True):
    print(f"p = {p:7.0e}:  p·ln p = {term:.3e}")
assert np.all(np.diff(np.abs(p_log_p)) < 0) and abs(p_log_p[-1]) < 1e-296

# %% [markdown]
# NumPy does not know the convention: `np.log(0)` is $-\infty$ and $0 \cdot (-\infty)$ is `nan`.
# `ct.naive.entropy` is the formula typed as written; `ct.entropy` skips $p = 0$ (it takes the log only
# `where=p > 0`). *Going deeper* shows the warnings NumPy prints on the way.

# %%
p_with_zero = np.array([0.5, 0.5, 0.0])
print(f"ct.naive.entropy(p):    {float(ct.naive.entropy(p_with_zero))}")
print(f"ct.entropy(p, base=2):  {float(ct.entropy(p_with_zero, base=2))}")
assert np.isnan(ct.naive.entropy(p_with_zero))
ct.checks.compare("an impossible outcome adds nothing", ct.entropy(p_with_zero), ct.entropy([0.5, 0.5]))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Bits and nats
#
# Bits and nats measure the same quantity with different logarithms, like metres and feet:
#
# | step | because |
# |---|---|
# | $H_\text{bits} = -\sum_i p_i \log_2 p_i$ | entropy with base-2 logs |
# | $\phantom{H_\text{bits}} = -\sum_i p_i \dfrac{\ln p_i}{\ln 2}$ | change of base: $\log_2 a = \ln a / \ln 2$ |
# | $\phantom{H_\text{bits}} = \dfrac{H_\text{nats}}{\ln 2}$ | $1/\ln 2$ is a constant factor of every term |
#
# So 1 nat is $1/\ln 2 \approx 1.4427$ bits. Machine-learning libraries use nats (`np.log`); information
# theory often uses bits. `ct.entropy` takes `base=2` for bits; its default is nats.

# %%
many = rng.dirichlet(np.ones(5), size=1000)  # 1000 random distributions over 5 outcomes
h_bits_direct = -np.sum(many * np.log2(many), axis=-1)
h_nats = ct.entropy(many)
print(f"1 nat = 1/ln 2 = {1 / np.log(2):.6f} bits")
print(f"first distribution: H = {h_nats[0]:.6f} nats = {h_bits_direct[0]:.6f} bits")

# %%
ct.checks.compare("H_bits (log2) vs H_nats / ln 2", h_bits_direct, h_nats / np.log(2))
ct.checks.compare("H_bits (log2) vs ct.entropy(base=2)", h_bits_direct, ct.entropy(many, base=2))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Entropy is the length of the best code
#
# To send outcomes over a wire you encode each one as a string of bits: common outcomes should get short
# codewords, rare ones long ones. Shannon showed that no code that can be decoded averages fewer than
# $H(p)$ bits per outcome, and that an outcome of probability $p$ ideally costs $\log_2(1/p)$ bits, its
# surprise. Take four symbols A, B, C, D with $p = (1/2, 1/4, 1/8, 1/8)$:

# %%
symbols = ["A", "B", "C", "D"]
p = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
h = float(ct.entropy(p, base=2))
ideal_lengths = np.log2(1 / p)
print(f"H(p) = {h} bits")
print("ideal code lengths log2(1/p):", ", ".join(f"{s}: {n:g}" for s, n in zip(symbols, ideal_lengths, strict=True)))
assert h == 1.75 and np.array_equal(ideal_lengths, [1, 2, 3, 3])

# %% [markdown]
# A code with exactly these lengths: A → `0`, B → `10`, C → `110`, D → `111`. Draw it as a tree: from the
# top, bit 0 goes left and 1 goes right, and each symbol sits on a leaf at the end of its codeword. Because
# symbols sit only on leaves, no codeword is the start of another (a **prefix code**), and a stream of bits
# decodes without separators: follow the bits down the tree to a leaf, output its symbol, start again at
# the top. The strip under the tree shows **Kraft's inequality**: a codeword of length $\ell$ owns a
# $2^{-\ell}$ share of all bit strings, so every prefix code has $\sum_i 2^{-\ell_i} \le 1$. This one
# uses the whole strip: no codeword could be made shorter.

# %%
codewords = ["0", "10", "110", "111"]
tree = plotting.draw_code_tree(codewords, names=symbols, p=p)
plt.show()

# %%
expected_length = ct.coding.expected_length(p, codewords)  # Σ p·len
print(f"expected length Σ p·len = {expected_length} bits per symbol")
assert np.array_equal(ct.coding.code_lengths(codewords), ideal_lengths), "the lengths are log2(1/p)"
assert ct.coding.is_prefix_free(codewords) and ct.coding.kraft_sum(codewords) == 1.0
assert expected_length == h == 1.75, "the average cost of the code is the entropy, exactly"

# %% [markdown]
# Now encode a long message: 10 000 symbols drawn from $p$, written with the code, then decoded again.

# %%
n_symbols = 10_000
message = rng.choice(len(symbols), size=n_symbols, p=p)
bits = ct.coding.encode(message, codewords)
print("first symbols:", "".join(symbols[i] for i in message[:12]), "→", bits[:24], "…")
print(f"{len(bits)} bits for {n_symbols} symbols: {len(bits) / n_symbols:.4f} bits per symbol (H = {h} bits)")
print(f"a fixed-length code (2 bits each) would need {2 * n_symbols} bits")
assert np.array_equal(ct.coding.decode(bits, codewords), message), "decoding must give the message back"
length_sd = np.sqrt(np.sum(p * (ct.coding.code_lengths(codewords) - h) ** 2))  # spread of one codeword's length
assert abs(len(bits) / n_symbols - h) < 4 * length_sd / np.sqrt(n_symbols)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Huffman's code: when the probabilities are not powers of ½
#
# For the weather, $p = (0.7, 0.2, 0.1)$, the ideal lengths $\log_2(1/p)$ are not whole numbers, and a
# codeword has a whole number of bits. **Huffman's algorithm** finds the best whole-number code: take the
# two least likely symbols, merge them into one group whose probability is their sum, and repeat until one
# group is left. Each merge is a node of the tree: it adds one bit to the codeword of every symbol inside.
# Rain (0.1) and cloud (0.2) merge into 0.3, which merges with sun (0.7).

# %%
names = ["sun", "cloud", "rain"]
huffman = ct.coding.huffman_code(weather)
length = ct.coding.expected_length(weather, huffman)
h_weather = float(ct.entropy(weather, base=2))
for name, pi, word in zip(names, weather, huffman, strict=True):
    print(f"{name:>5}: p = {pi}  ideal log2(1/p) = {np.log2(1 / pi):.3f}  Huffman codeword {word}")
print(f"H = {h_weather:.4f} bits  ≤  L = Σ p·len = {length:.4f} bits  <  H + 1")

# %% [markdown]
# No prefix code has a smaller expected length $L$ than Huffman's, and every distribution has
# $H(p) \le L < H(p) + 1$. The floor is Shannon's bound. The ceiling holds because the rounded-up lengths
# $\lceil \log_2(1/p_i) \rceil$ still satisfy Kraft's inequality, so a prefix code with them exists, and each
# costs less than one bit more than $\log_2(1/p_i)$ (proof in *Going deeper*). A check on 800 random
# distributions:

# %%
for n in (2, 3, 5, 8):
    for q in rng.dirichlet(np.ones(n), size=200):
        h_q = float(ct.entropy(q, base=2))
        l_q = ct.coding.expected_length(q, ct.coding.huffman_code(q))
        rounded_up = np.ceil(np.log2(1 / q))  # Shannon's lengths: a valid code, not always the best
        assert h_q <= l_q < h_q + 1 and ct.coding.kraft_sum(rounded_up) <= 1
        assert l_q <= np.dot(q, rounded_up) + 1e-12, "Huffman is never worse than the rounded-up lengths"
print("800 random distributions: H ≤ L(Huffman) ≤ L(rounded-up lengths) < H + 1")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Coding blocks of symbols
#
# A coin that lands heads 80% of the time has $H = 0.722$ bits per flip (printed below), but the best code
# for one flip needs 1 whole bit: `0` for heads, `1` for tails.
#
# **Predict first:** can any code send long sequences of these flips with fewer than 1 bit per flip on
# average? If so, how would it work, and how close to 0.722 could it get?

# %% jupyter={"outputs_hidden": true}
coin8 = np.array([0.8, 0.2])
rates = plotting.draw_block_rates(coin8, range(1, 9))
plt.show()

# %% jupyter={"outputs_hidden": true}
ks = rates.ks
print("Huffman codes for blocks of k flips:")
for k, rate in zip(ks, rates.rates.get_ydata(), strict=True):
    print(f"k = {k}: {rate:.4f} bits per flip")
print(f"H = {float(ct.entropy(coin8, base=2)):.4f} bits per flip")

# %% [markdown]
# <details><summary>Answer</summary>
#
# Yes: code **blocks** of flips. Two flips have four outcomes with probabilities 0.64, 0.16, 0.16 and 0.04;
# their Huffman code has lengths 1, 2, 3, 3, or 1.56 bits per pair: 0.78 bits per flip. A block of $k$
# independent flips has entropy $kH$, so its Huffman code has $kH \le L_k < kH + 1$, and per flip
# $H \le L_k / k < H + 1/k$. The wasted fraction of a bit is shared by $k$ flips: as $k$ grows, the cost
# per flip is squeezed towards $H$ (0.732 at $k = 8$), though not always downhill ($k = 3$ beats $k = 4$). This is what
# "entropy is the length of the best code" means in general.
#
# </details>

# %%
for k, rate in zip(ks, rates.rates.get_ydata(), strict=True):
    assert rate == ct.coding.block_code_rate(coin8, int(k))
    assert ct.entropy(coin8, base=2) <= rate < ct.entropy(coin8, base=2) + 1 / k, f"bound fails at k = {k}"
ct.checks.compare("bits per flip for k = 1, 2, 8", np.round(rates.rates.get_ydata()[[0, 1, 7]], 3), [1.0, 0.78, 0.732])
assert rates.rates.get_ydata()[2] < rates.rates.get_ydata()[3], "k = 3 beats k = 4"

# %% [markdown]
# If the code had been built for a *different* distribution, the message would cost more bits per symbol.
# How many more is the KL divergence, the subject of [02 · KL divergence](02_kl_divergence.ipynb).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Most and least uncertain
#
# Over $C$ outcomes the entropy lies between 0 and $\log C$.
#
# - **Largest:** $H(p) \le \log C$, with equality only for the **uniform** distribution. (The proof is
#   one line of Jensen's inequality: *Going deeper*.)
# - **Smallest:** every term $p_i \log(1/p_i)$ is $\ge 0$ because $p_i \le 1$, and it is 0 only for
#   $p_i \in \{0, 1\}$. So $H(p) \ge 0$, with $H = 0$ exactly for a **certain** outcome: nothing to be
#   surprised by.

# %%
for C in (2, 4, 8, 10):
    print(f"uniform over {C:2d}: H = {float(ct.entropy(np.full(C, 1 / C), base=2)):.6f} bits,  log2 C = {np.log2(C):.6f}")

# %%
sizes = np.arange(1, 11)
ct.checks.compare("H(uniform over C) vs ln C", [ct.entropy(np.full(C, 1 / C)) for C in sizes], np.log(sizes))
for C in (2, 3, 5, 10):
    h_random = ct.entropy(rng.dirichlet(np.full(C, 0.5), size=10_000))
    assert np.all(h_random < np.log(C)), f"a random distribution over {C} outcomes beat the uniform one"
    print(f"C = {C:2d}: ln C − (largest H of 10 000 random distributions) = {np.log(C) - h_random.max():.1e} nats")
certain = np.eye(5)  # row k: outcome k is certain
assert np.all(ct.entropy(certain) == 0.0), "a certain outcome has entropy exactly 0"
print("every certain outcome: H = 0")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Perplexity: the effective number of choices
#
# A uniform distribution over $k$ outcomes has entropy $\log k$. Turning this around, a distribution with
# entropy $H$ is *as uncertain as* a uniform choice among $2^{H_\text{bits}}$ outcomes. That number is the
# **perplexity**:
#
# | step | because |
# |---|---|
# | $\text{perplexity} = 2^{H_\text{bits}}$ | definition |
# | $\phantom{\text{perplexity}} = 2^{H_\text{nats}/\ln 2}$ | bits vs nats |
# | $\phantom{\text{perplexity}} = e^{\ln 2 \cdot H_\text{nats}/\ln 2} = e^{H_\text{nats}}$ | $2 = e^{\ln 2}$ |
#
# Whatever the base, perplexity is the same number. Language models report it: a perplexity of 20 means
# the model is, on average, as unsure of the next word as a fair 20-sided die.

# %%
uniform8 = np.full(8, 1 / 8)
examples = {"uniform over 8": uniform8, "A, B, C, D": p, "weather": weather}
for name, dist in examples.items():
    h_bits = float(ct.entropy(dist, base=2))
    print(f"{name:<15} H = {h_bits:.4f} bits   perplexity = 2^H = {2.0**h_bits:.4f}")

# %%
ct.checks.compare("perplexity of uniform over 8 is 8", 2.0 ** ct.entropy(uniform8, base=2), 8.0)
ct.checks.compare("2^H_bits vs e^H_nats (1000 random p)", 2.0 ** ct.entropy(many, base=2), np.exp(ct.entropy(many)))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Slider: a coin
#
# A coin lands heads with probability $p$. Its entropy is the **binary entropy**
# $H(p) = -p \log_2 p - (1 - p) \log_2 (1 - p)$. You know two of its points already: $H(0.5) = 1$ bit
# (uniform over 2) and $H(0.8) \approx 0.72$ bits (the blocks above).
#
# **Predict first:** sketch the whole curve before you run the cells. Is it made of straight lines (a tent)
# or rounded (a dome)? Is $H(0.9)$ nearer 0 bits or 1 bit? Which other $p$ has the same entropy as $p = 0.9$?

# %% jupyter={"outputs_hidden": true}
widgets.coin_entropy(p=0.9)

# %% [markdown]
# <details><summary>Answer</summary>
#
# A dome, symmetric about $p = 0.5$: swapping heads and tails changes nothing, so $H(p) = H(1 - p)$, and
# $p = 0.1$ has the same entropy as $p = 0.9$. The curve is steepest at the ends, where its slope
# $\log_2\frac{1-p}{p}$ is infinite: the first bit of doubt about a certain coin is worth a lot.
# $H(0.9) = 0.469$ bits, just nearer 0 than 1: a coin that is right nine times in ten still carries almost
# half a bit per flip.
#
# </details>

# %%
grid = np.linspace(0.0, 1.0, 101)
h_coin = np.array([ct.entropy([t, 1 - t], base=2) for t in grid])
print(f"H(0.9) = {float(ct.entropy([0.9, 0.1], base=2)):.4f} bits;  H(0.1) = {float(ct.entropy([0.1, 0.9], base=2)):.4f} bits")
ct.checks.compare("H(p) = H(1 − p)", h_coin, h_coin[::-1])
assert h_coin[0] == h_coin[-1] == 0.0 and h_coin.max() == 1.0 and grid[np.argmax(h_coin)] == 0.5
assert np.all(np.diff(h_coin, 2) < 0), "a dome: the slope falls everywhere (concave)"
assert 0.45 < ct.entropy([0.9, 0.1], base=2) < 0.5, "H(0.9) is just under ½ bit"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Slider: three outcomes from logits
#
# A classifier (a model that sorts an input into one of several classes) does not output probabilities
# directly but **logits** $x$, any real numbers, which the
# softmax $S(x)_i = e^{x_i} / \sum_j e^{x_j}$ turns into a distribution ([05](05_softmax_ce.ipynb) takes it
# apart). Below, three logit sliders (steps of 0.25, from −6 to 6) drive a distribution over a, b, c; the
# readout under them shows the probabilities and their entropy.
#
# **Predict first:** with all three logits equal, what is $H$ in bits? If you drag one logit far above the
# other two, where does $H$ go? If you add the same amount to all three logits, what changes?

# %% jupyter={"outputs_hidden": true}
widgets.softmax_entropy(logits=(2.0, 0.0, 0.0))

# %% [markdown]
# <details><summary>Answer</summary>
#
# Equal logits give the uniform distribution, so $H = \log_2 3 \approx 1.585$ bits, the largest possible over
# three outcomes. Dragging one logit far above the others makes that outcome nearly certain, and $H$ falls
# towards 0: logits (6, −6, −6), as far apart as the sliders go, give 0.0002 bits. Adding the same amount to
# every logit changes nothing: it multiplies every $e^{x_i}$ by the same factor, which the division by
# $\sum_j e^{x_j}$ cancels.
#
# </details>

# %%
x = np.array([2.0, 0.0, 0.0])
ct.checks.compare("equal logits: H = log2 3", ct.entropy(ct.softmax(np.zeros(3)), base=2), np.log2(3))
ct.checks.compare("adding 5 to every logit leaves H", ct.entropy(ct.softmax(x + 5.0)), ct.entropy(ct.softmax(x)))
h_far = float(ct.entropy(ct.softmax([6.0, -6.0, -6.0]), base=2))
print(f"logits (2, 0, 0) → H = {float(ct.entropy(ct.softmax(x), base=2)):.4f} bits;  (6, −6, −6) → H = {h_far:.4f} bits")
assert round(h_far, 4) == 0.0002

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Exercise 1.** Write the entropy in bits. `p` may be one distribution (shape `(C,)` for $C$ outcomes) or a
# batch (shape `(N, C)`, one distribution per row), and may contain zeros.

# %%
def my_entropy(p):
    raise NotImplementedError  # your code here


ct.checks.entropy_bits(my_entropy)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_entropy(p):
#     p = np.asarray(p, dtype=float)
#     log_p = np.log2(p, out=np.zeros_like(p), where=p > 0)  # 0·log 0 = 0
#     return -np.sum(p * log_p, axis=-1)
# ```
#
# The checker also catches the batch mistakes: a sum over axis 0 (down the batch), over everything, or none.
#
# </details>

# %% [markdown]
# **Exercise 2.** Write the perplexity of a distribution (same shapes as above).

# %%
def my_perplexity(p):
    raise NotImplementedError  # your code here


ct.checks.perplexity(my_perplexity)

# %% [markdown]
# <details><summary>Solution</summary>
#
# `return 2.0 ** my_entropy(p)` (bits with base 2), or equivalently `np.exp` of the entropy in nats.
# Mixing them, $2^{H_\text{nats}}$ or $e^{H_\text{bits}}$, is wrong.
#
# </details>

# %% [markdown]
# **Exercise 3.** A distribution over 4 outcomes: can its entropy be 2.5 bits? What are the smallest and
# largest possible values, and which distributions reach them?
#
# <details><summary>Answer</summary>
#
# No: the largest entropy over 4 outcomes is $\log_2 4 = 2$ bits, reached only by the uniform distribution
# $(1/4, 1/4, 1/4, 1/4)$. The smallest is 0 bits, reached by each of the 4 certain distributions such as
# $(1, 0, 0, 0)$.
#
# </details>

# %% [markdown]
# **Exercise 4.** A distribution has perplexity 1. What does it look like? And one with perplexity 6: must
# it be uniform over 6 outcomes?
#
# <details><summary>Answer</summary>
#
# Perplexity 1 means $H = 0$: one outcome is certain. Perplexity 6 means $H = \log_2 6$ bits, as uncertain
# as a fair die, but it need not be a die: any distribution with that entropy qualifies, for example one
# spread unevenly over 8 outcomes. Only among distributions over exactly 6 outcomes is the uniform one the
# only choice (it is the only one that reaches the maximum $\log_2 6$).
#
# </details>

# %% [markdown]
# **Exercise 5 (transfer).** Write `my_huffman_lengths(p)`: the codeword length of each symbol of a Huffman
# code for `p`, in the order of `p`. Keep a list of groups (a probability, the symbols inside) and merge the
# two least likely until one is left. Ties may be broken either way.

# %%
def my_huffman_lengths(p):
    raise NotImplementedError  # your code here


ct.checks.huffman_lengths(my_huffman_lengths)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_huffman_lengths(p):
#     lengths = np.zeros(len(p), dtype=int)
#     groups = [(pi, [i]) for i, pi in enumerate(p)]  # (probability, symbols inside)
#     while len(groups) > 1:
#         groups.sort(key=lambda group: group[0])
#         (p0, s0), (p1, s1) = groups[0], groups[1]  # the two least likely
#         lengths[s0 + s1] += 1  # one more bit for every symbol in both
#         groups = [(p0 + p1, s0 + s1), *groups[2:]]
#     return lengths
# ```
#
# For $p = (0.4, 0.3, 0.2, 0.1)$ this gives lengths 1, 2, 3, 3: $L = 1.9$ bits, against $H = 1.846$ bits.
#
# </details>

# %% [markdown]
# ## Takeaways
# - The surprise of an outcome is $-\log p$; entropy $H(p) = -\sum_i p_i \log p_i$ is the average surprise,
#   with $0 \cdot \log 0 = 0$.
# - Bits and nats differ by a constant: $H_\text{bits} = H_\text{nats} / \ln 2$.
# - $H(p)$ in bits is the length of the best code: $p = (1/2, 1/4, 1/8, 1/8)$ needs exactly 1.75 bits per
#   symbol (`0`, `10`, `110`, `111`); in general Huffman's code has $H \le L < H + 1$, and coding blocks of
#   $k$ symbols brings the cost per symbol within $1/k$ of $H$.
# - $0 \le H(p) \le \log C$ over $C$ outcomes: 0 for a certain outcome, $\log C$ only for the uniform distribution.
# - Perplexity $2^{H_\text{bits}} = e^{H_\text{nats}}$ is the effective number of equally likely choices.
#
# **Next:** [02 · KL divergence](02_kl_divergence.ipynb): what it costs to use the wrong code.

# %% [markdown]
# ## Going deeper
#
# ### What NumPy says about $0 \cdot \log 0$
#
# Typed as written, the entropy of a distribution with a zero goes through $\log 0 = -\infty$ and
# $0 \cdot (-\infty) = $ `nan`, and NumPy warns at each step:

# %%
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    terms = p_with_zero * np.log2(p_with_zero)
print("NumPy, p·log2 p:       ", np.array2string(terms))
for warning in caught:
    print("  NumPy warned:", warning.message)
assert np.isnan(terms[2]) and len(caught) == 2

# %% [markdown]
# ### Why $H \le L < H + 1$
#
# **Ceiling.** Take the rounded-up lengths $\ell_i = \lceil \log_2(1/p_i) \rceil$ (for $p_i > 0$).
#
# | step | because |
# |---|---|
# | $\ell_i \ge \log_2(1/p_i)$, so $2^{-\ell_i} \le p_i$ | rounding up; $2^{-t}$ falls as $t$ grows |
# | $\sum_i 2^{-\ell_i} \le \sum_i p_i = 1$ | sum over $i$ |
# | a prefix code with lengths $\ell_i$ exists | Kraft: lengths with $\sum 2^{-\ell} \le 1$ fit in the tree (`ct.coding.canonical_code` builds it) |
# | $\sum_i p_i \ell_i < \sum_i p_i (\log_2(1/p_i) + 1) = H + 1$ | $\lceil t \rceil < t + 1$ |
# | $L_\text{Huffman} \le \sum_i p_i \ell_i < H + 1$ | Huffman's code is the shortest prefix code |
#
# **Floor.** For any prefix code, let $K = \sum_i 2^{-\ell_i} \le 1$ and $r_i = 2^{-\ell_i}/K$, a distribution.
# Then $L - H = \sum_i p_i \log_2 \frac{p_i}{2^{-\ell_i}} = \sum_i p_i \log_2 \frac{p_i}{r_i} - \log_2 K \ge 0$:
# the first sum is the KL divergence of [02](02_kl_divergence.ipynb), never negative, and $-\log_2 K \ge 0$.
#
# A check of the ceiling's first steps, and of the code Kraft promises:

# %%
for q in rng.dirichlet(np.ones(6), size=200):
    ceil_lengths = np.ceil(np.log2(1 / q))
    assert np.all(2.0**-ceil_lengths <= q) and ct.coding.kraft_sum(ceil_lengths) <= 1
    code = ct.coding.canonical_code(ceil_lengths)
    assert ct.coding.is_prefix_free(code) and np.array_equal(ct.coding.code_lengths(code), ceil_lengths)
print("200 random distributions: the rounded-up lengths satisfy Kraft, and a prefix code with them exists")

# %% [markdown]
# ### Why the uniform distribution has the largest entropy
#
# | step | because |
# |---|---|
# | $H(p) = \sum_{i:\,p_i>0} p_i \log \dfrac{1}{p_i}$ | definition; outcomes with $p_i = 0$ add nothing |
# | $\phantom{H(p)} \le \log \sum_{i:\,p_i>0} p_i \cdot \dfrac{1}{p_i}$ | Jensen: $\log$ is concave, so an average of logs is at most the log of the average |
# | $\phantom{H(p)} = \log \#\{i : p_i > 0\} \le \log C$ | each term $p_i \cdot \frac{1}{p_i}$ is 1; at most $C$ of them |
#
# Jensen's inequality is an equality only when all the $1/p_i$ are equal: the **uniform** distribution,
# with $H = \log C$.

# %% [markdown]
# ### Decoding, step by step
#
# `ct.coding.decode` walks down the tree one bit at a time. The same loop, written out, on the A–D message:

# %%
decoder = {word: i for i, word in enumerate(codewords)}
decoded, word = [], ""
for bit in bits:
    word += bit  # one step down the tree
    if word in decoder:  # a leaf: output its symbol, back to the top
        decoded.append(decoder[word])
        word = ""
assert word == "" and np.array_equal(decoded, message)
print(f"decoded {len(decoded)} symbols from {len(bits)} bits, no separators needed")

# %% [markdown]
# # 02 · KL divergence
# What it costs to use the wrong code: the gap between cross-entropy and entropy.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/02_kl_divergence.ipynb)

# %% [markdown]
# **In this notebook you will**
# - compute the Kullback–Leibler divergence $D_\text{KL}(p\|q) = \sum_i p_i \log(p_i/q_i)$ and read it as the
#   extra bits paid for coding data from $p$ with a code built for $q$, or as the information gained;
# - prove that it is never negative (Gibbs' inequality), see that it is 0 only for $p = q$, not symmetric,
#   and infinite where $q$ rules out something $p$ allows;
# - connect it to cross-entropy, $D_\text{KL}(p\|q) = H(p, q) - H(p)$;
# - watch the two directions, $D(p\|q)$ and $D(q\|p)$, pull a model to very different answers, term by term.
#
# **Prerequisites:** [01 · Entropy](01_entropy.ipynb) (surprise, entropy, optimal code lengths).

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The price of the wrong code
#
# In [01](01_entropy.ipynb) the best code for a distribution $p$ gave an outcome of probability $p_i$ a
# codeword of $\log_2(1/p_i)$ bits, and cost $H(p)$ bits per symbol on average. Now suppose the code was
# built for a *different* distribution $q$ (a model of the data, a guess, last year's statistics): outcome
# $i$ gets $\log_2(1/q_i)$ bits. The data still come from $p$, so the average length is the
# **cross-entropy** $H(p, q) = \sum_i p_i \log_2(1/q_i)$. What does the wrong code cost *extra*?
#
# | step | because |
# |---|---|
# | extra $= H(p, q) - H(p)$ | average length with $q$'s code minus average length with $p$'s (the best) code |
# | $\phantom{\text{extra}} = \sum_i p_i \log_2 \dfrac{1}{q_i} - \sum_i p_i \log_2 \dfrac{1}{p_i}$ | both averages are over the data, drawn from $p$ |
# | $\phantom{\text{extra}} = \sum_i p_i \left(\log_2 \dfrac{1}{q_i} - \log_2 \dfrac{1}{p_i}\right)$ | one sum over the same outcomes |
# | $\phantom{\text{extra}} = \sum_i p_i \log_2 \dfrac{p_i}{q_i} \;=:\; D_\text{KL}(p\|q)$ | $\log a - \log b = \log(a/b)$ |
#
# This is the **Kullback–Leibler divergence** (or relative entropy). Terms with $p_i = 0$ count 0, as in the
# entropy. With $\ln$ instead of $\log_2$ it is measured in nats. `ct.kl_divergence(p, q)` takes the
# arguments in this order: target first.
#
# Take the four symbols of [01](01_entropy.ipynb), $p = (1/2, 1/4, 1/8, 1/8)$, and a code built for the
# uniform $q = (1/4, 1/4, 1/4, 1/4)$: 2 bits for every symbol.

# %%
symbols = ["A", "B", "C", "D"]
p = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
uniform = np.full(4, 1 / 4)
best_lengths = np.log2(1 / p)  # the code built for p: 1, 2, 3, 3 bits
uniform_lengths = np.log2(1 / uniform)  # the code built for q: 2 bits each
h_p = float(np.sum(p * best_lengths))  # H(p): average length of p's code on data from p
h_pq = float(np.sum(p * uniform_lengths))  # H(p, q): average length of q's code on data from p
print("symbol   p      q     length for p   length for q")
for s, pi, qi, lp, lq in zip(symbols, p, uniform, best_lengths, uniform_lengths, strict=True):
    print(f"  {s}    {pi:.3f}  {qi:.3f}      {lp:g}              {lq:g}")
print(f"average length with p's code: H(p)    = {h_p} bits")
print(f"average length with q's code: H(p, q) = {h_pq} bits")
print(f"extra: H(p, q) − H(p) = {h_pq - h_p} bits;  ct.kl_divergence(p, q, base=2) = "
      f"{float(ct.kl_divergence(p, uniform, base=2)):.6f} bits")

# %%
assert np.array_equal(best_lengths, [1, 2, 3, 3]) and np.array_equal(uniform_lengths, [2, 2, 2, 2])
ct.checks.compare("H(p, q) − H(p) vs ct.kl_divergence(p, q)", h_pq - h_p, ct.kl_divergence(p, uniform, base=2))
ct.checks.compare("Σ p log2(p/q) vs ct.kl_divergence(p, q)", np.sum(p * np.log2(p / uniform)),
                  ct.kl_divergence(p, uniform, base=2))
ct.checks.compare("H(p, q) vs ct.cross_entropy(p, q)", h_pq, ct.cross_entropy(p, uniform, base=2))

# %% [markdown]
# A worse code: one built for $q' = (1/8, 1/8, 1/4, 1/2)$, the same probabilities assigned the wrong way
# round, so the common A gets the longest codeword: A → `111`, B → `110`, C → `10`, D → `0`. Encode 10 000
# symbols drawn from $p$ with it and count the bits.

# %%
q_wrong = np.array([1 / 8, 1 / 8, 1 / 4, 1 / 2])
wrong_code = ["111", "110", "10", "0"]
n_symbols = 10_000
message = rng.choice(len(symbols), size=n_symbols, p=p)
bits = "".join(wrong_code[i] for i in message)
per_symbol = len(bits) / n_symbols
d_wrong = float(ct.kl_divergence(p, q_wrong, base=2))
print(f"{len(bits)} bits for {n_symbols} symbols: {per_symbol:.4f} bits per symbol")
print(f"H(p, q') = {float(ct.cross_entropy(p, q_wrong, base=2)):.6f} bits;  H(p) = {h_p} bits;  "
      f"D(p‖q') = {d_wrong:.6f} bits")
print(f"extra measured: {per_symbol - h_p:.4f} bits per symbol")

# %%
lengths = np.array([len(word) for word in wrong_code])
assert np.array_equal(lengths, np.log2(1 / q_wrong)), "the code lengths are log2(1/q')"
ct.checks.compare("Σ p·len(q' code) − H(p) vs D(p‖q')", np.sum(p * lengths) - h_p, d_wrong)
length_sd = np.sqrt(np.sum(p * (lengths - np.sum(p * lengths)) ** 2))  # spread of one codeword's length
assert abs(per_symbol - h_p - d_wrong) < 4 * length_sd / np.sqrt(n_symbols)
print("measured extra bits per symbol within 4 standard errors of D(p‖q')")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Information gain
#
# Read the same number the other way round: if you *were* using $q$ and switch to $p$, you save
# $D_\text{KL}(p\|q)$ bits per symbol. In Bayesian terms, when a belief $q$ (the prior) is updated to
# $p$ (the posterior), $D_\text{KL}(p\|q)$ is the **information gained**: how much $p$ tells you beyond $q$.
#
# Example: an 8-sided die, prior $q$ uniform. You learn "it is 1 or 2", so the posterior $p$ is uniform on
# those two faces. Each of the 6 ruled-out faces has $p_i = 0$ and adds nothing; each of the two left adds
# $\frac12 \log_2 \frac{1/2}{1/8} = 1$ bit. The message carried $\log_2(8/2) = 2$ bits.

# %%
prior = np.full(8, 1 / 8)
posterior = np.array([1 / 2, 1 / 2, 0, 0, 0, 0, 0, 0])
gain = float(ct.kl_divergence(posterior, prior, base=2))
print(f"information gained by 'it is 1 or 2': D(posterior‖prior) = {gain:.6f} bits;  log2(8/2) = {np.log2(8 / 2)}")

# %%
ct.checks.compare("information gain vs log2(8/2) = 2 bits", gain, 2.0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Never negative: Gibbs' inequality
#
# A wrong code can never beat the right one, so $D_\text{KL}(p\|q) \ge 0$. The proof needs one fact about
# the logarithm:
#
# **Lemma.** $\ln t \le t - 1$ for every $t > 0$, with equality only at $t = 1$.
#
# | step | because |
# |---|---|
# | let $f(t) = t - 1 - \ln t$ for $t > 0$ | the gap we claim is $\ge 0$ |
# | $f'(t) = 1 - 1/t$: negative for $t < 1$, positive for $t > 1$ | derivative of $t - 1 - \ln t$ |
# | so $f$ has its only minimum at $t = 1$, where $f(1) = 0$ | $f$ falls, then rises |
# | hence $f(t) > 0$ for $t \ne 1$, i.e. $\ln t < t - 1$ | every other value lies above the minimum |

# %%
t = np.geomspace(1e-6, 1e6, 100_001)
gap = t - 1 - np.log(t)
print(f"smallest t − 1 − ln t on 100 001 points in [1e-6, 1e6]: {gap.min():.3e} at t = {t[np.argmin(gap)]:.6f}")
assert np.all(gap >= 0) and t[np.argmin(gap)] == 1.0

# %% [markdown]
# **Theorem (Gibbs).** $D_\text{KL}(p\|q) \ge 0$, with equality if and only if $p = q$.
#
# If some $q_i = 0$ where $p_i > 0$, then $D_\text{KL}(p\|q) = +\infty$ (below) and there is nothing to
# prove. Otherwise let $P = \{i : p_i > 0\}$; the outcomes outside $P$ contribute 0.
#
# | step | because |
# |---|---|
# | $-D_\text{KL}(p\|q) = \sum_{i \in P} p_i \ln \dfrac{q_i}{p_i}$ | definition, with $-\ln\frac{p_i}{q_i} = \ln\frac{q_i}{p_i}$ |
# | $\phantom{-D_\text{KL}(p\|q)} \le \sum_{i \in P} p_i \left(\dfrac{q_i}{p_i} - 1\right)$ | the lemma with $t = q_i/p_i > 0$, and $p_i > 0$ |
# | $\phantom{-D_\text{KL}(p\|q)} = \sum_{i \in P} q_i - \sum_{i \in P} p_i$ | multiply out: $p_i \cdot \frac{q_i}{p_i} = q_i$ |
# | $\phantom{-D_\text{KL}(p\|q)} = \sum_{i \in P} q_i - 1$ | $p$ sums to 1, all of it on $P$ |
# | $\phantom{-D_\text{KL}(p\|q)} \le 0$ | $q_i \ge 0$ and $q$ sums to 1, so a part of its sum is at most 1 |
#
# So $D_\text{KL}(p\|q) \ge 0$ in nats, and in bits too: $\log_2 = \ln / \ln 2$ only rescales by a positive
# factor. **Equality** needs both $\le$ to be $=$: the lemma is an equality only for $t = 1$, so
# $q_i = p_i$ for every $i \in P$; and $\sum_{i\in P} q_i = 1$ leaves nothing for $q$ outside $P$, where $p$
# is 0 too. So $D_\text{KL}(p\|q) = 0$ exactly when $q = p$.
#
# A numerical check on 90 000 random pairs, from distributions concentrated on a few outcomes
# (Dirichlet parameter 0.2) to nearly uniform ones (5.0):

# %%
smallest = np.inf
for n in (2, 5, 20):
    for concentration in (0.2, 1.0, 5.0):
        pairs = rng.dirichlet(np.full(n, concentration), size=(2, 10_000))
        d = ct.kl_divergence(pairs[0], pairs[1])
        assert np.all(d >= 0), f"negative divergence for n = {n}"
        assert np.all(ct.kl_divergence(pairs[0], pairs[0]) == 0), "D(p‖p) must be exactly 0"
        smallest = min(smallest, float(d.min()))
print(f"smallest D(p‖q) over 90 000 random pairs: {smallest:.3e} nats (≥ 0);  D(p‖p) = 0 for every p")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Not symmetric
#
# $D_\text{KL}(p\|q)$ is a *divergence*, not a distance: nothing says that swapping the arguments keeps the
# value. Take a biased coin $p = (0.9, 0.1)$ and a fair coin $q = (0.5, 0.5)$.
#
# **Predict first:** which costs more extra bits per flip: coding the biased coin with the fair coin's code,
# $D(p\|q)$, or coding the fair coin with the biased coin's code, $D(q\|p)$? Think about what each code
# does with tails.

# %% [markdown]
# <details><summary>Answer</summary>
#
# Coding the fair coin with the biased code costs more: $D(q\|p) = 0.737$ bits against $D(p\|q) = 0.531$.
# The fair code spends 1 bit per flip where the biased coin needs only $H(p) \approx 0.47$ bits. The biased
# code gives tails a $\log_2 10 \approx 3.3$-bit codeword, and under the fair coin tails come up half the time.
#
# </details>

# %%
coin = np.array([0.9, 0.1])
fair = np.array([0.5, 0.5])
forward = float(ct.kl_divergence(coin, fair, base=2))
reverse = float(ct.kl_divergence(fair, coin, base=2))
print(f"D(p‖q) = D(biased‖fair) = {forward:.6f} bits")
print(f"D(q‖p) = D(fair‖biased) = {reverse:.6f} bits")

# %%
ct.checks.compare("D(biased‖fair) by hand", np.sum(coin * np.log2(coin / fair)), forward)
ct.checks.compare("D(fair‖biased) by hand", np.sum(fair * np.log2(fair / coin)), reverse)
ct.checks.compare("the two directions, rounded", np.round([forward, reverse], 3), [0.531, 0.737])

# %% [markdown]
# One pair that happens to agree proves nothing: for the A–D example and the uniform code both directions
# are 0.25 bits, yet for the coins they are not.

# %%
both_ways = [ct.kl_divergence(p, uniform, base=2), ct.kl_divergence(uniform, p, base=2)]
print(f"D(p‖uniform) = {both_ways[0]:.6f} bits,  D(uniform‖p) = {both_ways[1]:.6f} bits")
ct.checks.compare("D(p‖uniform) and D(uniform‖p) vs 0.25", both_ways, [0.25, 0.25])

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Infinite where $q$ rules out what $p$ allows
#
# If $q_i = 0$ but $p_i > 0$, the code built for $q$ has no codeword for outcome $i$ (its length
# $\log_2(1/0)$ is infinite), yet the data produce it: $D_\text{KL}(p\|q) = +\infty$. The other way round
# is harmless: where $p_i = 0$ the outcome never occurs, and its term $0 \cdot \log(0/q_i)$ counts 0, whatever
# $q_i$ is. The formula typed naively into NumPy gets the second case wrong, with `nan` from $0 \cdot (-\infty)$.

# %%
certain = np.array([1.0, 0.0])
with np.errstate(divide="ignore", invalid="ignore"):  # show NumPy's results, without its warnings
    naive_pq = np.sum(fair * np.log2(fair / certain))
    naive_qp = np.sum(certain * np.log2(certain / fair))
d_pq = float(ct.kl_divergence(fair, certain, base=2))
d_qp = float(ct.kl_divergence(certain, fair, base=2))
print(f"D(fair‖certain) = {d_pq:.6f} bits    (naive NumPy: {naive_pq})")
print(f"D(certain‖fair) = {d_qp:.6f} bits    (naive NumPy: {naive_qp})")

# %%
assert d_pq == np.inf, "q = 0 where p > 0: infinite"
ct.checks.compare("p = 0 where q > 0 counts 0: D = log2(1/0.5)", d_qp, 1.0)
assert np.isnan(naive_qp), "0·log 0 is nan in NumPy"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## KL divergence is cross-entropy minus entropy
#
# The derivation at the top, in any base: $D_\text{KL}(p\|q) = H(p, q) - H(p)$, or
# $H(p, q) = H(p) + D_\text{KL}(p\|q)$. [03 · Cross-entropy](03_cross_entropy.ipynb) builds on this: $H(p)$
# is fixed by the data, so a model $q$ that lowers the cross-entropy lowers the KL divergence by exactly
# as much. The package's three functions agree on 10 000 random pairs:

# %%
pairs = rng.dirichlet(np.ones(5), size=(2, 10_000))
kl = ct.kl_divergence(pairs[0], pairs[1])
ce_minus_h = ct.cross_entropy(pairs[0], pairs[1]) - ct.entropy(pairs[0])
print(f"first pair: D = {kl[0]:.6f},  H(p, q) − H(p) = {ce_minus_h[0]:.6f} nats")

# %%
ct.checks.compare("H(p, q) − H(p) vs D_KL(p‖q), 10 000 pairs", ce_minus_h, kl)
ct.checks.compare("same in bits", ct.cross_entropy(*pairs, base=2) - ct.entropy(pairs[0], base=2),
                  ct.kl_divergence(*pairs, base=2))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Slider: move $q$, watch both divergences
#
# The target is $p = (0.6, 0.3, 0.1)$ over outcomes a, b, c. The model $q = S(x)$ is the softmax of three
# logits you control (logits and softmax as in [01](01_entropy.ipynb): any real numbers, turned into
# probabilities by $S(x)_i = e^{x_i} / \sum_j e^{x_j}$). The sliders move in steps of 0.25 from −6 to 6; the
# readout shows $D(p\|q)$ and $D(q\|p)$ in bits.
#
# **Predict first:** which logits make both divergences 0? Starting from equal logits, push the logit of c
# down, step by step, as far as its slider goes (−6). Both divergences first fall, then rise: why? Once c is
# squeezed out, which of the two keeps growing, and which levels off? Why?

# %%
names = ("a", "b", "c")
target = np.array([0.6, 0.3, 0.1])

# %% jupyter={"outputs_hidden": true}
widgets.kl_explorer(p=target, q_logits=(0.0, 0.0, 0.0), names=names)

# %% [markdown]
# <details><summary>Answer</summary>
#
# With $x = \ln p$ (or $\ln p$ plus any constant) the model is the target and both divergences vanish, up to
# rounding: softmax gives back $p$ only to within $10^{-16}$. On the sliders the nearest is
# $(0, -0.75, -1.75)$, or any shift of it by a multiple of 0.25: both divergences 0.0007 bits. Both first
# fall because $q_c = 1/3$ starts above $p_c = 0.1$; they are smallest at $x_c = -1.5$, where
# $q = (0.45, 0.45, 0.10)$. With c squeezed out, $D(p\|q)$ keeps growing: $p$ still produces c one time in
# ten, and $q$ has almost no code for it ($\log_2(1/q_c) \approx 9.7$ bits at $-6$, and every further unit
# down adds about $0.1 \log_2 e \approx 0.14$ bits to $D(p\|q)$, without limit).
# $D(q\|p)$ only asks whether $q$'s own outcomes are likely under $p$, and a and b are: it levels off, 0.227
# bits at $-6$, never above 0.237 bits (its value for $q = (\tfrac12, \tfrac12, 0)$) however far you push.
#
# </details>

# %%
matched = ct.softmax(np.log(target))  # logits x = ln p give q = p (softmax undoes the log, up to rounding)
tiny = [ct.kl_divergence(target, matched, base=2), ct.kl_divergence(matched, target, base=2)]
print(f"logits ln p:         q = {np.array2string(matched, precision=4)}:  |D(p‖q)| and |D(q‖p)| "
      f"{'< 1e-15' if max(map(abs, tiny)) < 1e-15 else '≥ 1e-15'} bits")
divergences = {}
for logits in [(0.0, -0.75, -1.75), (1.25, 0.5, -0.5), (0.0, 0.0, -6.0), (0.0, 0.0, -10.0)]:
    q = ct.softmax(np.array(logits))
    divergences[logits] = [float(ct.kl_divergence(target, q, base=2)), float(ct.kl_divergence(q, target, base=2))]
    print(f"logits {str(logits):<18} q = {np.array2string(q, precision=4)}:  D(p‖q) = {divergences[logits][0]:.4f} bits,"
          f"  D(q‖p) = {divergences[logits][1]:.4f} bits")

# %%
ct.checks.compare("softmax(ln p) = p", matched, target, rtol=1e-15)
assert max(map(abs, tiny)) < 1e-15
assert np.round(divergences[(0.0, -0.75, -1.75)], 4).tolist() == [0.0007, 0.0007]
assert np.round(divergences[(1.25, 0.5, -0.5)], 4).tolist() == [0.0007, 0.0007]
forward_gain, reverse_gain = np.subtract(divergences[(0.0, 0.0, -10.0)], divergences[(0.0, 0.0, -6.0)])
assert forward_gain > 0.5 and abs(reverse_gain) < 0.02, "from −6 to −10 D(p‖q) keeps growing, D(q‖p) levels off"
assert round(forward_gain / 4, 2) == 0.14, "each unit down adds 0.1·log2(e) ≈ 0.14 bits to D(p‖q)"
ceiling = float(ct.kl_divergence([0.5, 0.5, 0.0], target, base=2))  # q = (½, ½, 0): c squeezed out entirely
assert round(divergences[(0.0, 0.0, -6.0)][1], 3) == 0.227 and round(ceiling, 3) == 0.237
assert divergences[(0.0, 0.0, -6.0)][1] < divergences[(0.0, 0.0, -10.0)][1] < ceiling
assert round(-np.log2(ct.softmax(np.array([0.0, 0.0, -6.0]))[2]), 1) == 9.7

# %%
x_c = np.arange(-6.0, 0.25, 0.25)  # the positions of c's slider, the other two logits at 0
q_c = ct.softmax(np.stack([np.zeros_like(x_c), np.zeros_like(x_c), x_c], axis=1))
along = np.stack([ct.kl_divergence(np.broadcast_to(target, q_c.shape), q_c, base=2),
                  ct.kl_divergence(q_c, np.broadcast_to(target, q_c.shape), base=2)])
assert x_c[np.argmin(along[0])] == x_c[np.argmin(along[1])] == -1.5, "both smallest at x_c = −1.5"
assert np.round(along[:, x_c == -1.5].ravel(), 4).tolist() == [0.0735, 0.0764]
assert np.round(q_c[x_c == -1.5].ravel(), 2).tolist() == [0.45, 0.45, 0.1]

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Beyond: forward vs reverse KL
#
# Asymmetry matters when the model *cannot* equal the target. Take a target $p$ with two bumps, a mixture of
# two normal densities with weights 0.4 and 0.6, and a model $q$ that is a single normal bump with a mean
# $\mu$ and a standard deviation (sd) to choose. Both live on a grid of 400 points $t_i$ on $[-8, 8]$ (a
# distribution over the grid points, shown as a density). Which single bump is "closest" to $p$?
#
# - **Forward KL**, minimise $D(p\|q) = \sum_i p_i \log(p_i/q_i)$: wherever $p_i$ is large and $q_i$ tiny the
#   term explodes, so $q$ must put mass **everywhere $p$ has mass**. It spreads over both bumps
#   (*mass-covering*), even over the valley between them where $p$ has almost nothing.
# - **Reverse KL**, minimise $D(q\|p) = \sum_i q_i \log(q_i/p_i)$: now the term explodes wherever $q_i$ is
#   large and $p_i$ tiny, so $q$ must **avoid where $p$ is small**, such as the valley. It sits on one bump
#   and ignores the other (*mode-seeking*).
#
# `ct.fitting` builds the discretised normals and finds each minimum by a deterministic search over
# ($\mu$, sd): a coarse table over the whole grid, then 20 rounds of ever finer tables around the table's
# best few local minima (see `ce_teach/fitting.py`).

# %%
grid = np.linspace(-8.0, 8.0, 400)  # the grid points t_i
bumps = dict(means=[-3.0, 3.0], stds=[0.8, 0.8], weights=[0.4, 0.6])
two_bumps = ct.fitting.mixture_on_grid(grid, **bumps)
fitter = ct.fitting.NormalFitter(grid)
fit_forward = fitter.fit(two_bumps, "forward")
fit_reverse = fitter.fit(two_bumps, "reverse")
for fit in (fit_forward, fit_reverse):
    print(f"{fit.direction:>7} fit: μ = {fit.mean:.4f}, sd = {fit.std:.4f}, minimised divergence {fit.divergence:.4f} nats")

# %%
fits = plotting.draw_kl_fits(separation=6.0)  # bumps at ±3, 6 apart; it fits both normals again, as above
plt.show()

# %% [markdown]
# Each fit wins its own criterion and loses the other:

# %%
q_forward = ct.fitting.normal_on_grid(grid, fit_forward.mean, fit_forward.std)
q_reverse = ct.fitting.normal_on_grid(grid, fit_reverse.mean, fit_reverse.std)
table = np.array([[ct.kl_divergence(two_bumps, q), ct.kl_divergence(q, two_bumps)] for q in (q_forward, q_reverse)])
print("                 D(p‖q)    D(q‖p)   [nats]")
for name, row in zip(("forward fit", "reverse fit"), table, strict=True):
    print(f"{name:<14} {row[0]:8.4f}  {row[1]:8.4f}")
assert table[0, 0] < table[1, 0] and table[1, 1] < table[0, 1], "each fit wins its own column"
ct.checks.compare("the fits' own divergences", [table[0, 0], table[1, 1]],
                  [fit_forward.divergence, fit_reverse.divergence])

# %% [markdown]
# **Where each divergence comes from.** Plot the terms point by point: $p_i \ln(p_i/q_i)$, whose sum is
# $D(p\|q)$, and $q_i \ln(q_i/p_i)$, whose sum is $D(q\|p)$ (each divided by the grid step, so the area
# under a curve is its divergence). A term is negative where the weighting distribution lies below the
# other; the sums never are.

# %%
fig, panels = plt.subplots(1, 2, figsize=(9.0, 3.4), layout="constrained", sharey=True)
for ax, q, name in zip(panels, (q_forward, q_reverse), ("forward fit", "reverse fit"), strict=True):
    plotting.draw_pointwise_kl(grid, two_bumps, q, name=name, legend=ax is panels[0], ax=ax)
plt.show()

# %% [markdown]
# For the reverse fit (right), the forward terms tower over the left bump, which $q$ leaves uncovered: that
# is where its large $D(p\|q)$ comes from, while its reverse terms stay small everywhere. For the forward
# fit (left), the reverse terms peak in the valley at $t = 0$, where $q$ puts mass and $p$ has almost none.

# %%
step = grid[1] - grid[0]
forward_terms = two_bumps * np.log(two_bumps / q_reverse)  # terms of D(p‖q) for the reverse fit
reverse_terms = q_forward * np.log(q_forward / two_bumps)  # terms of D(q‖p) for the forward fit
ct.checks.compare("the terms sum to the divergences", [forward_terms.sum(), reverse_terms.sum()],
                  [table[1, 0], table[0, 1]], rtol=1e-12)
assert grid[np.argmax(forward_terms)] < -2 and abs(grid[np.argmax(reverse_terms)]) < 0.1
print(f"largest forward term of the reverse fit at t = {grid[np.argmax(forward_terms)]:.2f} (the left bump); "
      f"largest reverse term of the forward fit at t = {grid[np.argmax(reverse_terms)]:.2f} (the valley)")

# %% [markdown]
# The forward fit has exactly the target's mean and sd on the grid (**moment matching**), and the reverse
# fit sits on the heavier right bump; *Going deeper* proves both.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Slider: pull the bumps apart
#
# The slider sets the distance between the two bumps (weights 0.4 and 0.6, sd 0.8 each), from 0 to 8 in
# steps of 0.1; both fits were computed for every position when the cell ran, and the readout gives their
# $\mu$, sd and divergence. It starts with the bumps 3 apart.
#
# **Predict first:** at separation 0 the target is a single bump: what are the two fits? As you pull the
# bumps apart, which fit changes smoothly and which one jumps, and roughly where?

# %% jupyter={"outputs_hidden": true}
widgets.kl_fits(separation=3.0)

# %% jupyter={"outputs_hidden": true}
def shown(value):
    return f"{round(value, 2) + 0.0:5.2f}"  # + 0.0 after rounding: no "-0.00" for a mean of −1e-12


print("separation   forward μ, sd     reverse μ, sd")
scan = []
for separation in np.arange(0.0, 8.5, 1.0):
    p_s = ct.fitting.mixture_on_grid(grid, [-separation / 2, separation / 2], [0.8, 0.8], [0.4, 0.6])
    f_s, r_s = fitter.fit(p_s, "forward"), fitter.fit(p_s, "reverse")
    scan.append((f_s.mean, f_s.std, r_s.mean, r_s.std))
    print(f"{separation:6.1f}      {shown(f_s.mean)}, {shown(f_s.std)}      {shown(r_s.mean)}, {shown(r_s.std)}")
scan = np.array(scan)

# %% [markdown]
# <details><summary>Answer</summary>
#
# At separation 0 both fits are the single bump itself ($\mu = 0$, sd 0.8). As the bumps move apart the
# forward fit widens smoothly, always covering both. The reverse fit first stays in the middle too (at 3
# apart, where the slider starts, both fits still sit there), then between separations 4 and 5 it jumps onto
# the heavier right bump, and follows it.
#
# </details>

# %%
assert np.allclose(scan[0, [1, 3]], 0.8, rtol=1e-6, atol=0), "separation 0: both fits have sd = 0.8"
assert np.all(np.abs(scan[0, [0, 2]]) < 1e-6), "separation 0: both fits centred on the single bump"
assert np.all(np.diff(scan[:, 1]) > 0), "the forward fit widens smoothly as the bumps move apart"
jump = int(np.argmax(np.abs(np.diff(scan[:, 3]))))
print(f"the reverse fit jumps onto the right bump between separations {jump:.1f} and {jump + 1:.1f}: "
      f"sd {scan[jump, 3]:.2f} → {scan[jump + 1, 3]:.2f}")
assert jump == 4 and scan[jump, 3] - scan[jump + 1, 3] > 0.5 and abs(scan[jump + 1, 2] - (jump + 1) / 2) < 0.1

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Exercise 1.** Write $D_\text{KL}(p\|q)$ in bits. `p` and `q` are distributions of the same shape, one
# distribution or a batch of rows; `p` may contain zeros, and then $q$ may too, at the same places.

# %%
def my_kl_bits(p, q):
    raise NotImplementedError  # your code here


ct.checks.kl_divergence_bits(my_kl_bits)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_kl_bits(p, q):
#     p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
#     ratio = np.divide(p, q, out=np.ones_like(p), where=p > 0)  # terms with p = 0 count 0
#     return np.sum(p * np.log2(ratio), axis=-1)
# ```
#
# Skipping only the $\log p$ of outcomes with $p = 0$ is not enough: where $p = q = 0$, `np.log2(q)` is
# $-\infty$ and $0 \cdot \infty$ is `nan`. The checker has such a case, one with $q = 0 < p$ (answer
# $+\infty$), and batches.
#
# </details>

# %% [markdown]
# **Exercise 2 (transfer).** Derive the KL divergence between two normal distributions,
# $D\big(\mathcal N(\mu_1, \text{sd}_1^2)\,\|\,\mathcal N(\mu_2, \text{sd}_2^2)\big)$ in nats, in closed form, and
# write it as `my_kl_normals(mu1, sd1, mu2, sd2)` (with `np.log`, so it also works on arrays). The checker
# compares it with the definition, in which the sum over outcomes becomes an integral over densities,
# $\int p(t) \ln\frac{p(t)}{q(t)}\,du$, computed numerically. Start from
# $\ln p(t) = -\ln(\text{sd}_1\sqrt{2\pi}) - \frac{(t - \mu_1)^2}{2\,\text{sd}_1^2}$, and the same for $q$.

# %%
def my_kl_normals(mu1, sd1, mu2, sd2):
    raise NotImplementedError  # your code here


ct.checks.kl_normals_nats(my_kl_normals)

# %% [markdown]
# <details><summary>Solution</summary>
#
# | step | because |
# |---|---|
# | $\ln\frac{p(t)}{q(t)} = \ln\frac{\text{sd}_2}{\text{sd}_1} - \frac{(t-\mu_1)^2}{2\,\text{sd}_1^2} + \frac{(t-\mu_2)^2}{2\,\text{sd}_2^2}$ | the $\sqrt{2\pi}$ cancel |
# | $\mathbb E_p[(t-\mu_1)^2] = \text{sd}_1^2$ | the variance of $p$ ($\mathbb E_p$: the average under $p$) |
# | $\mathbb E_p[(t-\mu_2)^2] = \text{sd}_1^2 + (\mu_1-\mu_2)^2$ | write $t - \mu_2 = (t - \mu_1) + (\mu_1 - \mu_2)$; the cross term averages to 0 |
# | $D = \ln\frac{\text{sd}_2}{\text{sd}_1} + \frac{\text{sd}_1^2 + (\mu_1-\mu_2)^2}{2\,\text{sd}_2^2} - \frac12$ | average the first line over $p$ |
#
# ```python
# def my_kl_normals(mu1, sd1, mu2, sd2):
#     return np.log(sd2 / sd1) + (sd1**2 + (mu1 - mu2) ** 2) / (2 * sd2**2) - 0.5
# ```
#
# It is 0 only for equal normals and not symmetric: swapping the two sds changes it.
#
# </details>

# %% [markdown]
# **Exercise 3.** Training a model $q$ means adjusting it to make the average cross-entropy
# $-\frac1N \sum_n \log q_{c_n}$ small, where $c_n$ is the outcome seen in example $n$ of $N$. Which KL
# divergence does that minimise, $D(p_\text{data}\|q)$ or $D(q\|p_\text{data})$, and what does the answer
# predict about a model too simple to fit the data: mass-covering or mode-seeking?
#
# <details><summary>Answer</summary>
#
# The forward one, $D(p_\text{data}\|q)$. Group the $N$ terms by outcome: outcome $i$ occurs in a share
# $p_{\text{data},i}$ of the examples, so
# $-\frac1N \sum_n \log q_{c_n} = H(p_\text{data}, q) = H(p_\text{data}) + D(p_\text{data}\|q)$,
# and $H(p_\text{data})$ does not depend on the model. So a model that cannot fit the data spreads its
# probability to cover everything that occurs (mass-covering), rather than nailing one mode.
#
# </details>

# %% [markdown]
# **Exercise 4.** A language model (a distribution $q$ over words) gives probability exactly 0 to a word
# that appears in the test text.
# What are $D(p_\text{test}\|q)$ and the model's cross-entropy on that text? Would the other direction,
# $D(q\|p_\text{test})$, be a better measure of the model?
#
# <details><summary>Answer</summary>
#
# Both are $+\infty$: the word has $p > 0$ and $q = 0$, and one occurrence costs $-\log 0 = \infty$
# ([03](03_cross_entropy.ipynb) shows this and the smoothing that prevents it). $D(q\|p_\text{test})$ is no
# better. It weighs by $q$, so it does not see that word, but it is $+\infty$ as soon as $q$ gives any
# probability to a word *absent* from the test text ($p_\text{test} = 0$ there). A useful model gives some
# probability to every word, and a test text holds only some of them, so this direction is infinite for
# almost every model (checked in *Going deeper*).
#
# </details>

# %% [markdown]
# ## Takeaways
# - $D_\text{KL}(p\|q) = \sum_i p_i \log(p_i/q_i)$ is the extra cost, per symbol, of coding data from $p$ with
#   a code built for $q$: $p = (1/2, 1/4, 1/8, 1/8)$ with a 2-bit code pays 0.25 bits extra.
# - It is $\ge 0$ (Gibbs: $\ln t \le t - 1$) and 0 only for $p = q$; it is not symmetric, and it is infinite
#   where $q = 0 < p$.
# - $D_\text{KL}(p\|q) = H(p, q) - H(p)$: minimising cross-entropy over $q$ minimises the forward KL.
# - Fitting a model that is too simple: forward KL covers all the mass (moment matching), reverse KL
#   seeks one mode; the pointwise terms show where each divergence comes from.
#
# **Next:** [03 · Cross-entropy](03_cross_entropy.ipynb): the loss itself.

# %% [markdown]
# ## Going deeper
#
# ### Small print: Gibbs' inequality with floats
#
# The proof used that both $p$ and $q$ sum to exactly 1. Floats often miss 1 by about $10^{-16}$, and then
# the proof's fourth line gives only $\sum_i p_i \ln(p_i/q_i) \ge \sum_i p_i - \sum_i q_i$, a number of that
# size which can be negative. So for two *nearly equal* float distributions the sum itself, computed
# exactly, can be about $-10^{-16}$. The divergence it stands for is 0: within that rounding the inputs are
# the same distribution, and a divergence is never negative. `ct.kl_divergence` therefore reports 0 there
# rather than a negative number. An example built from numbers that floats store exactly: $p = (1/2, 1/2)$
# and $q = (1/2 + \eta,\ 1/2 - \eta + 2^{-53})$ with $\eta = 2^{-30}$, so $\sum_i q_i = 1 + 2^{-53}$, which even
# `np.sum` rounds to 1. (`math.fsum` adds floats exactly, then rounds once.)
# %%
import math

eta = 2.0**-30
even = np.array([0.5, 0.5])
q_over = np.array([0.5 + eta, 0.5 - eta + 2.0**-53])  # both entries exact in float64
bound = math.fsum([*even, *(-q_over)])  # Σp − Σq, exactly: −2^-53
# Σ p·ln(p/q) for the stored numbers, to full accuracy: q − p and (q − p)/p are exact here, ln via log1p
raw_sum = math.fsum(-even * np.log1p((q_over - even) / even))
print(f"np.sum(q) = {np.sum(q_over)},  but Σp − Σq = {bound:.4e} exactly")
print(f"Σ p·ln(p/q) = {raw_sum:.4e}: negative, and above the bound Σp − Σq")
print(f"ct.kl_divergence(p, q) = {float(ct.kl_divergence(even, q_over))}")

# %%
assert np.sum(q_over) == 1.0 and bound == -(2.0**-53)
assert bound <= raw_sum < 0, "Gibbs for unnormalised inputs: Σ p·ln(p/q) ≥ Σp − Σq, which is negative here"
assert ct.kl_divergence(even, q_over) == 0.0, "a divergence is never negative"
near_p = rng.dirichlet(np.ones(5), size=1000)  # the same on 1000 random nearly equal pairs
near_q = near_p * (1 + 1e-9 * rng.standard_normal(near_p.shape))
near_q /= near_q.sum(axis=-1, keepdims=True)  # normalised, but only to within about 1e-16
bounds = np.array([math.fsum([*a, *(-b)]) for a, b in zip(near_p, near_q, strict=True)])
assert np.all(ct.kl_divergence(near_p, near_q) >= np.maximum(bounds, 0.0))
print("1000 random nearly equal pairs: every D(p‖q) ≥ 0 and ≥ Σp − Σq")

# %% [markdown]
# ### A tiny divergence: compute it directly, not as a difference
#
# To *compute* a small divergence, use $\sum p \log(p/q)$ directly, not the difference: $H(p, q)$ and
# $H(p)$ are both about $\ln 2$ below, and subtracting them loses every digit of a divergence under $10^{-16}$
# (the spacing of floats near $\ln 2$). With $\eta = 2^{-30}$ as above, $p = (1/2, 1/2)$ and $q = (1/2 + \eta, 1/2 - \eta)$ (both exact in floats),
# the exact value is $D = -\tfrac12 \ln(1 - 4\eta^2)$.

# %%
close_q = np.array([0.5 + eta, 0.5 - eta])
exact = -0.5 * np.log1p(-4 * eta**2)
difference = float(ct.cross_entropy(fair, close_q) - ct.entropy(fair))
print(f"exact:            {exact:.6e} nats")
print(f"ct.kl_divergence: {float(ct.kl_divergence(fair, close_q)):.6e} nats")
print(f"H(p, q) − H(p):   {difference:.6e} nats")

# %%
ct.checks.compare("ct.kl_divergence vs exact, tiny D", ct.kl_divergence(fair, close_q), exact)
assert abs(difference - exact) > 0.5 * exact, "the difference of the two entropies has no correct digit"


# %% [markdown]
# ### PyTorch's `kl_div` has the arguments the other way round
#
# `torch.nn.functional.kl_div(input, target)` computes $D_\text{KL}(\text{target}\|\text{input})$ (the target
# second) and wants `input` as **log**-probabilities. Its documentation gives the pointwise loss
# $\text{target} \cdot (\log \text{target} - \text{input})$, so
#
# `ct.kl_divergence(p, q) == F.kl_div(q.log(), p, reduction='sum')`.
#
# Below is that documented formula in NumPy (the same mapping is checked against PyTorch itself in
# `tests/test_parity_torch.py`; [08 · Pitfalls](08_pitfalls.ipynb) hunts this bug). Passing the arguments in
# maths order computes the *other* divergence; forgetting the log computes neither. For the coins above
# ($p$ biased, $q$ fair):

# %%
def kl_div_like_torch(input, target):
    """Σ target·(log target − input), with 0 where target = 0: F.kl_div(input, target, reduction='sum')."""
    log_target = np.log(target, out=np.zeros_like(target), where=target > 0)
    return np.sum(np.where(target > 0, target * (log_target - input), 0.0))


print(f"ct.kl_divergence(p, q)         = {float(ct.kl_divergence(coin, fair)):.6f} nats   D(p‖q)")
print(f"kl_div(log q, p)               = {kl_div_like_torch(np.log(fair), coin):.6f} nats   the same: right")
print(f"kl_div(log p, q), maths order  = {kl_div_like_torch(np.log(coin), fair):.6f} nats   D(q‖p): wrong")
print(f"kl_div(q, p), log forgotten    = {kl_div_like_torch(fair, coin):.6f} nats   neither: wrong")

# %%
ct.checks.compare("kl_div(log q, p) vs D(p‖q)", kl_div_like_torch(np.log(fair), coin), ct.kl_divergence(coin, fair))
ct.checks.compare("kl_div(log p, q) vs D(q‖p)", kl_div_like_torch(np.log(coin), fair), ct.kl_divergence(fair, coin))

# %% [markdown]
# ### Why: forward KL matches moments, reverse KL hides in a mode
#
# **Forward.** On the grid the model is $q_i = e^{\theta_1 t_i + \theta_2 t_i^2} / Z(\theta_1, \theta_2)$ with $\theta_1 = \mu/\text{sd}^2$,
# $\theta_2 = -1/(2\,\text{sd}^2)$ and $Z$ the sum that normalises it.
#
# | step | because |
# |---|---|
# | $D(p\|q) = \sum_i p_i \ln p_i - \sum_i p_i (\theta_1 t_i + \theta_2 t_i^2) + \ln Z(\theta_1, \theta_2)$ | $\ln q_i = \theta_1 t_i + \theta_2 t_i^2 - \ln Z$, and $\sum_i p_i = 1$ |
# | $\partial D / \partial \theta_1 = -\mathbb{E}_p[t] + \partial \ln Z/\partial \theta_1$ | only the last two terms depend on $\theta_1$ |
# | $\partial \ln Z / \partial \theta_1 = \sum_i t_i e^{\theta_1 t_i + \theta_2 t_i^2} / Z = \mathbb{E}_q[t]$ | differentiate $Z = \sum_i e^{\theta_1 t_i + \theta_2 t_i^2}$ |
# | at the minimum: $\mathbb{E}_q[t] = \mathbb{E}_p[t]$, and likewise $\mathbb{E}_q[t^2] = \mathbb{E}_p[t^2]$ | gradient 0; the same steps with $\theta_2$ |
#
# So the forward fit has the target's mean and variance (**moment matching**): with bumps at $\pm 3$ the
# variance is large, and $q$ must be wide. The moments are those *on the grid*: the fit's parameters can be
# larger than its mean and sd on the grid, as the separation-8 fit below shows.
#
# **Reverse.** If $q$ is exactly the right bump $q_R$, then $p \ge 0.6\, q_R$ at every point (the left
# bump only adds), so $\ln(q_R/p) \le -\ln 0.6$ and $D(q_R\|p) \le -\ln 0.6 \approx 0.51$ nats. A wide $q$
# pays for the valley and cannot get that low. Sitting on the lighter left bump gives about
# $-\ln 0.4 \approx 0.92$ nats: a *local* minimum, where a gradient method started on the left would stay.

# %%
mean_p = np.sum(two_bumps * grid)
std_p = np.sqrt(np.sum(two_bumps * (grid - mean_p) ** 2))
mean_f = np.sum(q_forward * grid)
std_f = np.sqrt(np.sum(q_forward * (grid - mean_f) ** 2))
print(f"target p:     mean {mean_p:.6f}, sd {std_p:.6f}")
print(f"forward fit:  mean {mean_f:.6f}, sd {std_f:.6f} on the grid  (parameters μ = {fit_forward.mean:.4f}, "
      f"sd = {fit_forward.std:.4f})")
on_right = float(fitter.divergence(two_bumps, 3.0, 0.8, "reverse"))
on_left = float(fitter.divergence(two_bumps, -3.0, 0.8, "reverse"))
print(f"D(q‖p) for q = the right bump: {on_right:.4f} nats  (−ln 0.6 = {-np.log(0.6):.4f})")
print(f"D(q‖p) for q = the left bump:  {on_left:.4f} nats  (−ln 0.4 = {-np.log(0.4):.4f})")
print(f"D(q‖p) for the reverse fit:    {fit_reverse.divergence:.4f} nats")

# %%
# The search stops at 2^-20 of its coarse step (about 2e-7 in μ), so the moments agree to about 1e-7;
# the exact difference depends on the last bits of the search, so it is asserted, not printed.
assert np.allclose([mean_f, std_f], [mean_p, std_p], rtol=1e-6, atol=0), "forward fit: moments differ"
print("forward fit: its mean and sd on the grid equal p's to within 1e-6 (relative)")
assert fit_reverse.divergence <= on_right <= -np.log(0.6) < on_left <= -np.log(0.4)
assert abs(fit_reverse.mean - 3.0) < 0.01 and abs(fit_reverse.std - 0.8) < 0.01, "reverse fit sits on the right bump"
print("reverse fit: within 0.01 of the right (heavier) bump's μ and sd")
for fit in (fit_forward, fit_reverse):  # no nearby normal does better: the search found a minimum
    nudged = fitter.divergence(two_bumps, fit.mean + np.array([-1e-3, 1e-3, 0, 0]),
                               fit.std + np.array([0, 0, -1e-3, 1e-3]), fit.direction)
    assert np.all(nudged > fit.divergence), f"{fit.direction} fit is not a minimum"
print("both fits are minima: nudging μ or sd by ±0.001 increases their divergence")


# %% [markdown]
# **The forward fit at separation 8** has $\mu = 1.58$ and sd $= 5.65$, yet the target's mean is 0.8 and its
# sd 4.0. Moment matching is not broken: the model is a normal *on the grid*, and the grid ends at $\pm 8$.
# A normal with these parameters would put 4.5% of its mass below −8 and 12.8% above 8; cut off and
# renormalised on the grid, it loses more of its right tail than its left, so its mean moves left to 0.80,
# and its spread shrinks to 4.00. The fit chose larger parameters so that the truncated bump has the
# target's moments:

# %%
def normal_cdf(t, mean, sd):
    return 0.5 * (1 + math.erf((t - mean) / (sd * math.sqrt(2))))


wide = fitter.fit(ct.fitting.mixture_on_grid(grid, [-4.0, 4.0], [0.8, 0.8], [0.4, 0.6]), "forward")
q_wide = ct.fitting.normal_on_grid(grid, wide.mean, wide.std)
mean_q = np.sum(q_wide * grid)
sd_q = np.sqrt(np.sum(q_wide * (grid - mean_q) ** 2))
cut = [normal_cdf(-8.0, wide.mean, wide.std), 1 - normal_cdf(8.0, wide.mean, wide.std)]
print(f"parameters: μ = {wide.mean:.2f}, sd = {wide.std:.2f};  mass beyond the grid: {cut[0]:.1%} below, {cut[1]:.1%} above")
print(f"the same normal on the grid: mean {mean_q:.2f}, sd {sd_q:.2f}  (target: mean 0.8, sd 4.0)")
ct.checks.compare("truncated fit's mean and sd vs 0.8 and 4.0", [mean_q, sd_q], [0.8, 4.0], rtol=1e-6, atol=1e-6)
assert np.round([wide.mean, wide.std], 2).tolist() == [1.58, 5.65] and np.round(cut, 3).tolist() == [0.045, 0.128]


# %% [markdown]
# ### Exercise 4, checked: either direction of KL against a test text
#
# A model $q$ estimated from training counts gives every word of a small vocabulary some probability; the
# test text happens not to contain "dog". Then $D(p_\text{test}\|q)$ is finite, $D(q\|p_\text{test})$ is
# infinite; and a model with $q = 0$ for a word of the test text makes $D(p_\text{test}\|q)$ infinite too.

# %%
vocabulary = ["the", "cat", "sat", "on", "mat", "dog"]
p_test = np.array([3, 1, 1, 1, 1, 0]) / 7  # word frequencies of the test text: no "dog"
q_model = np.array([4, 2, 1, 1, 1, 1]) / 10  # a model from training counts: every word has some probability
q_no_cat = np.array([5, 0, 1, 1, 2, 1]) / 10  # a model that rules out "cat"
for name, q in (("q_model", q_model), ("q_no_cat", q_no_cat)):
    forward_t, reverse_t = float(ct.kl_divergence(p_test, q)), float(ct.kl_divergence(q, p_test))
    print(f"{name:<9} D(p_test‖q) = {forward_t:.4f} nats   D(q‖p_test) = {reverse_t:.4f} nats")
assert np.isfinite(ct.kl_divergence(p_test, q_model)) and ct.kl_divergence(q_model, p_test) == np.inf
assert ct.kl_divergence(p_test, q_no_cat) == np.inf == ct.kl_divergence(q_no_cat, p_test)

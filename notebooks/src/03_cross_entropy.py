# %% [markdown]
# # 03 · Cross-entropy
# The cost of describing the truth with the model's code: the loss behind classifiers and language models.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/03_cross_entropy.ipynb)

# %% [markdown]
# **In this notebook you will**
# - split the cross-entropy $H(p, q)$ into the entropy $H(p)$ and the divergence $D_\text{KL}(p\|q)$, and see that
#   the best model is $q = p$;
# - derive cross-entropy as the average negative log-likelihood of the data, the reason it is *the* loss;
# - compute it for one label, a batch and independent yes/no labels, down to the last digit;
# - score a tiny character language model in bits per character and perplexity, and repair its infinite loss
#   with add-$k$ smoothing.
#
# **Prerequisites:** [01 · Entropy](01_entropy.ipynb) (surprise, entropy, bits vs nats, perplexity) and
# [02 · KL divergence](02_kl_divergence.ipynb) ($D_\text{KL}(p\|q) \ge 0$, zero only for $q = p$).

# %%
from decimal import Decimal, localcontext

import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Cross-entropy is entropy plus divergence
#
# Data comes from a distribution $p$ (the truth, the labels); a model offers its own distribution $q$. The
# **cross-entropy** is the average surprise of the data *as measured by the model*:
#
# $$H(p, q) = -\sum_i p_i \log q_i .$$
#
# In coding terms ([01](01_entropy.ipynb)): a code built for $q$ spends $\log_2(1/q_i)$ bits on outcome $i$, and
# outcomes arrive with the frequencies $p_i$, so $H(p, q)$ is the average length of a message in the model's code.
#
# | step | because |
# |---|---|
# | $H(p, q) = -\sum_i p_i \log q_i$ | definition (outcomes with $p_i = 0$ add nothing) |
# | $\phantom{H(p, q)} = -\sum_i p_i \log \left(p_i \cdot \dfrac{q_i}{p_i}\right)$ | multiply and divide by $p_i$, for every $i$ with $p_i > 0$ |
# | $\phantom{H(p, q)} = -\sum_i p_i \log p_i + \sum_i p_i \log \dfrac{p_i}{q_i}$ | log of a product is a sum of logs |
# | $\phantom{H(p, q)} = H(p) + D_\text{KL}(p\|q)$ | definitions of entropy and KL divergence |
#
# The best code costs $H(p)$; the model's code costs $D_\text{KL}(p\|q)$ more. 01's code for
# $p = (1/2, 1/4, 1/8, 1/8)$ costs 1.75 bits per symbol; a code built for a uniform $q$ spends 2 bits on every symbol:

# %%
p_code = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
q_uniform = np.full(4, 1 / 4)
h_p = float(ct.entropy(p_code, base=2))
d_pq = float(ct.kl_divergence(p_code, q_uniform, base=2))
h_pq = float(ct.cross_entropy(p_code, q_uniform, base=2))
print(f"H(p) = {h_p:.6f} bits,  D_KL(p‖q) = {d_pq:.6f} bits,  H(p, q) = {h_pq:.6f} bits")
assert h_p == 1.75 and h_pq == 2.0, "1.75 bits with the best code, 2 bits with the uniform one"
ct.checks.compare("D_KL(p‖uniform) = 2 − 1.75 bits", d_pq, 0.25)
p_many = rng.dirichlet(np.ones(5), size=1000)  # 1000 random pairs of distributions over 5 outcomes
q_many = rng.dirichlet(np.ones(5), size=1000)
ct.checks.compare("H(p, q) vs H(p) + D_KL(p‖q)", ct.cross_entropy(p_many, q_many),
                  ct.entropy(p_many) + ct.kl_divergence(p_many, q_many))

# %% [markdown]
# **Is it symmetric?** A common belief is that $H(p, q) = H(q, p)$. Swap the two: now the symbols arrive uniformly
# and are coded with the code built for $p$, whose 3-bit codewords are used a quarter of the time each.

# %%
h_qp = float(ct.cross_entropy(q_uniform, p_code, base=2))
print(f"H(p, q) = {h_pq:.4f} bits,  H(q, p) = {h_qp:.4f} bits")
certain = np.array([1.0, 0.0, 0.0, 0.0])
one_way, other_way = float(ct.cross_entropy(certain, q_uniform, base=2)), float(ct.cross_entropy(q_uniform, certain, base=2))
print(f"H((1, 0, 0, 0), uniform) = {one_way:.4g} bits,  H(uniform, (1, 0, 0, 0)) = {other_way:.4g} bits")
ct.checks.compare("H(q, p) = 2.25 bits ≠ H(p, q) = 2 bits", h_qp, 2.25)
assert one_way == 2.0 and other_way == np.inf, "cross-entropy is not symmetric"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The best model is the truth
#
# When we train, $p$ is fixed by the data and only $q$ moves. Take a coin that lands heads with $p = 0.7$ and a model
# that says heads with probability $q$: $H(p, q) = -0.7 \ln q - 0.3 \ln(1 - q)$ nats per toss.
#
# **Predict first:** sketch $H(p, q)$ against $q$. Where is its lowest point, how high is it there, and what happens
# as $q \to 0$ or $q \to 1$?

# %% jupyter={"outputs_hidden": true}
ce_curve = plotting.draw_cross_entropy_vs_q(0.7)
plt.show()

# %% [markdown]
# <details><summary>Answer</summary>
#
# The lowest point is at $q = p = 0.7$, and its height is $H(p) = 0.611$ nats, not 0: a fair description of a
# random coin still leaves surprise. Towards $q = 0$ or $q = 1$ one of the terms grows without bound. The reason is
# section 1: $H(p, q) = H(p) + D_\text{KL}(p\|q)$, and $H(p)$ does not depend on $q$. So minimising cross-entropy
# over $q$ minimises the KL divergence (the gap between the curve and the dashed line), which is 0 only at $q = p$.
# </details>

# %%
q_best, floor = ce_curve.update(0.7)
q_grid, ce_values = ce_curve.curve.get_data()
kl_values = ct.kl_divergence(np.broadcast_to([0.7, 0.3], (q_grid.size, 2)), np.stack([q_grid, 1 - q_grid], axis=1))
ct.checks.compare("H(p, q) − D_KL(p‖q) = H(p) for every q", ce_values - kl_values, np.full(q_grid.size, floor))
print(f"lowest point of the curve: q = {q_best:.3f}, H = {ce_values.min():.6f} nats = H(p)")
assert abs(q_best - 0.7) < 1e-12
ct.checks.compare("lowest H(p, q) on the grid vs H(p)", ce_values.min(), floor, rtol=1e-14)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Why it works as a loss
#
# A loss should be 0 for a perfect answer and grow as the answer gets worse. Cross-entropy does both:
#
# - **never negative:** $0 \le q_i \le 1$, so $\log q_i \le 0$ and every term $-p_i \log q_i \ge 0$;
# - **zero only for a perfect, certain prediction:** a sum of non-negative terms is 0 only if every term is, so
#   $q_i = 1$ wherever $p_i > 0$. (For a *soft* target the smallest loss is $H(p) > 0$, as in section 2.)
# - **unbounded:** with a one-hot target (1 on the true class, 0 elsewhere) only the true class counts, and
#   $-\log q_\text{true} \to \infty$ as $q_\text{true} \to 0$. A confident wrong answer costs without limit.
#
# The slider moves $q$, the probability the model gives the true class, on a logarithmic axis: it sets $\log_{10} q$,
# from −16 to 0 in steps of 0.01, so moving it 1 to the left divides $q$ by 10. It starts at −0.30, $q = 0.501$; the
# readout gives the loss in nats and in bits.
#
# **Predict first:** at $q = 0.5$ the loss is $\ln 2 \approx 0.69$ nats. What is it at $q = 0.25$? At $q = 0.01$, and
# at $q = 0$? Which costs more: dropping $q$ from 1 to 0.5, or from 0.02 to 0.01?

# %% jupyter={"outputs_hidden": true}
widgets.true_class_loss_log(log10_q=-0.3)

# %% jupyter={"outputs_hidden": true}
qs = [1, 0.5, 0.25, 0.02, 0.01, 1e-16, 0]
print("The loss −ln q at the probabilities of the prompt, in nats:")
with np.errstate(divide="ignore"):
    print("q:     " + "  ".join(f"{q:>7g}" for q in qs))
    print("−ln q: " + "  ".join(f"{-np.log(q) + 0.0:>7.4f}" for q in qs))

# %% [markdown]
# <details><summary>Answer</summary>
#
# $-\ln 0.25 = 2 \ln 2 \approx 1.39$: halving $q$ always adds $\ln 2$ nats, one bit. So the two drops cost the *same*:
# 1 → 0.5 and 0.02 → 0.01 are both halvings. At $q = 0.01$ the loss is $\ln 100 \approx 4.61$; at $q = 10^{-16}$ it is
# still only 36.8, but at $q = 0$ it is $\infty$: no ceiling.
# </details>

# %%
ct.checks.compare("halving q always adds ln 2 = 1 bit", -np.log(q_grid / 2) - (-np.log(q_grid)),
                  np.full(q_grid.size, np.log(2)))
assert np.all(ct.cross_entropy(p_many, q_many) >= 0), "never negative"
assert np.all(ct.cross_entropy(p_many, q_many) >= ct.entropy(p_many)), "never below H(p) (Gibbs)"
assert ct.cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0 and ct.cross_entropy([1.0, 0.0], [0.0, 1.0]) == np.inf

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. One-hot labels: the loss is $-\log q_\text{true}$
#
# A classifier sees a photo and outputs probabilities for **cat, dog, man**: $q = (0.7, 0.2, 0.1)$. The photo shows a
# cat, so the label is the one-hot vector $p = (1, 0, 0)$, and the sum collapses:
#
# | step | because |
# |---|---|
# | $H(p, q) = -1 \cdot \log q_\text{cat} - 0 \cdot \log q_\text{dog} - 0 \cdot \log q_\text{man}$ | the label is 1 at the true class, 0 elsewhere |
# | $\phantom{H(p, q)} = -\log q_\text{true}$ | only the true class's term survives |
#
# The loss is $-\ln 0.7$ nats, the model's surprise at the truth. Python's `decimal` module gives the exact value
# to 40 digits:

# %%
classes = ["cat", "dog", "man"]
label, prediction = np.array([1.0, 0.0, 0.0]), np.array([0.7, 0.2, 0.1])
loss_sum = -np.sum(label * np.log(prediction))  # the full sum, every class
loss_true = -np.log(prediction[classes.index("cat")])  # only the true class
with localcontext(prec=40):
    exact = -Decimal("0.7").ln()  # −ln of the real number 0.7
print(f"−Σ p·ln q = {loss_sum:.17g},  −ln q(cat) = {loss_true:.17g},  ct: {float(ct.cross_entropy(label, prediction)):.17g}")
print(f"exact −ln 0.7 = {exact:.17g}")
assert f"{exact:.17g}" == "0.35667494393873238" and loss_sum == loss_true == ct.cross_entropy(label, prediction)
assert np.nextafter(loss_true, 0) == float(exact), "float64 ends one unit in the last place above"

# %% [markdown]
# The last two digits differ (…238 exact, …245 in float64), not because `np.log` erred but because the stored 0.7
# is not exactly 0.7: "Going deeper" measures it.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Cross-entropy is the average negative log-likelihood
#
# Why this loss and not another? Because it measures how probable the model found the data. The **likelihood** of a
# batch of $N$ independent examples is the product of the probabilities the model gave to what actually happened:
# $\prod_n q_n[c_n]$, where $c_n$ is example $n$'s true class and $q_n[c_n]$ the probability the model gave it. A
# better model makes the data more probable, so training *maximises* it. Products of many small numbers are awkward,
# so take $-\log$ and divide by $N$:
#
# | step | because |
# |---|---|
# | $-\frac1N \log \prod_n q_n[c_n] = -\frac1N \sum_n \log q_n[c_n]$ | the log of a product is the sum of the logs |
# | $\phantom{-\frac1N \log \prod_n q_n[c_n]} = \frac1N \sum_n \ell_n$ | $\ell_n = -\log q_n[c_n]$ is example $n$'s one-hot cross-entropy (section 4) |
#
# Maximising the likelihood is minimising this: the **mean cross-entropy over the batch**. Four photos whose true
# classes got 0.7, 0.8, 0.4 and 0.6:

# %%
true_class = np.array([0, 1, 2, 1])  # cat, dog, man, dog
predictions = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.2, 0.6, 0.2]])
q_true = predictions[np.arange(4), true_class]  # the probability each example gave to what happened
likelihood = np.prod(q_true)
batch_loss = -np.log(likelihood) / q_true.size
print(f"q of the true classes {q_true};  likelihood = {likelihood:.4f};  −ln(likelihood) / 4 = {batch_loss:.7f} nats")
one_hot = np.eye(3)[true_class]
ct.checks.compare("−ln(likelihood)/N vs mean ct.cross_entropy", batch_loss, ct.cross_entropy(one_hot, predictions).mean())
ct.checks.compare("vs Keras-style categorical, averaged", batch_loss, ct.categorical_crossentropy(one_hot, predictions).mean())
assert f"{likelihood:.4f}" == "0.1344" and f"{batch_loss:.7f}" == "0.5017337"

# %% [markdown]
# The mean, not the sum, so the loss does not depend on the batch size; and the sum of logs, not the product: the
# likelihood of 10 000 examples at $q = 0.5$ each is $2^{-10\,000}$, which underflows to 0 in float64.

# %%
print(f"product of 10 000 halves: {np.prod(np.full(10_000, 0.5))};  mean of −ln: {np.mean(-np.log(np.full(10_000, 0.5))):.6f}")

# %% [markdown]
# **A coin's maximum-likelihood estimate.** Toss a coin $N$ times and see $N_\text{H}$ heads. The likelihood of $q$ is
# $q^{N_\text{H}} (1 - q)^{N - N_\text{H}}$, and its negative log over $N$ is $-\frac{N_\text{H}}{N} \ln q - \frac{N-N_\text{H}}{N}\ln(1 - q) = H(\hat p, q)$,
# the cross-entropy against the observed frequencies $\hat p = (N_\text{H}/N, 1 - N_\text{H}/N)$. By section 2 it is smallest at
# $q = \hat p$: the maximum-likelihood estimate is $N_\text{H}/N$. It describes the tosses we saw, not the coin: 50 tosses of a
# coin made with 0.6 can give quite another $N_\text{H}/N$. Checked numerically:

# %%
tosses = rng.random(50) < 0.6  # 50 tosses of a coin with a 60 % chance of heads
heads, n_tosses = int(tosses.sum()), tosses.size
q_scan = np.linspace(0.0001, 0.9999, 9999)
nll = -(heads * np.log(q_scan) + (n_tosses - heads) * np.log(1 - q_scan)) / n_tosses  # −ln(likelihood) / N
p_hat = np.broadcast_to([heads / n_tosses, 1 - heads / n_tosses], (q_scan.size, 2))
ct.checks.compare("−ln(likelihood)/N vs H(p̂, q)", nll, ct.cross_entropy(p_hat, np.stack([q_scan, 1 - q_scan], axis=1)))
print(f"{heads} heads in {n_tosses}: N_H/N = {heads / n_tosses};  the q with the highest likelihood: {q_scan[np.argmin(nll)]:.4f}")
assert abs(q_scan[np.argmin(nll)] - heads / n_tosses) < 1e-4

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Several yes/no labels (multi-label)
#
# Now each photo gets independent tags: is there a cat? a dog? a man? A photo may have several tags or none, so the
# model outputs one probability $q_i$ per tag $i$, and they need not sum to 1. Each tag is its own two-outcome problem
# with label $z_i \in \{0, 1\}$, and its cross-entropy is the **binary cross-entropy**
#
# $$\ell_i = -z_i \log q_i - (1 - z_i) \log(1 - q_i),$$
#
# $H(p, q)$ with $p = (z_i, 1 - z_i)$ and $q = (q_i, 1 - q_i)$ (often written $-y\log\hat y - (1-y)\log(1-\hat y)$).
# [04](04_sigmoid_bce.ipynb) computes it stably from the logits $\ln\frac{q_i}{1 - q_i}$ (the log-odds), as the check below does.

# %%
tags = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])  # photo 0: cat and man; photo 1: a dog
q_tags = np.array([[0.9, 0.2, 0.6], [0.3, 0.8, 0.1]])  # independent probabilities: rows need not sum to 1
per_tag = -tags * np.log(q_tags) - (1 - tags) * np.log(1 - q_tags)
print("per tag (cat, dog, man):", np.array2string(per_tag, precision=6, floatmode="fixed", separator=", "))
pairs_p, pairs_q = np.stack([tags, 1 - tags], axis=-1), np.stack([q_tags, 1 - q_tags], axis=-1)
ct.checks.compare("per tag vs H(p, q) of (yes, no)", per_tag, ct.cross_entropy(pairs_p, pairs_q))
ct.checks.compare("per tag vs sigmoid CE from logits", per_tag,
                  ct.sigmoid_cross_entropy_with_logits(tags, np.log(q_tags / (1 - q_tags))))
ct.checks.compare("mean per photo vs ct.binary_crossentropy", per_tag.mean(axis=1), ct.binary_crossentropy(tags, q_tags))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Language models: bits per character
#
# A language model gives, at every position of a text, a distribution $q(\cdot \mid \text{context})$ over the next
# token; the text then shows which token came, a one-hot label. So its loss on a text of $N$ predicted tokens is the
# mean one-hot cross-entropy, $\frac1N \sum_t -\log_2 q(c_t \mid \text{context}_t)$ **bits per token**, and its
# exponential $2^{\text{bits}}$ is the **perplexity**: the model is as unsure as if it picked among that many equally
# likely tokens ([01](01_entropy.ipynb)).
#
# Our tokens are characters, and our models are as small as they get (`ct.bigram`): the **unigram** model
# $q(b)$ = how often $b$ occurred; the **bigram** model $q(b \mid a) = \text{count}(a, b) / \text{count}(a)$, where
# $\text{count}(a, b)$ is how often $b$ followed $a$ (here $a$, $b$ stand for characters). We train on the first 80 % of a short paragraph shipped with the package and keep the rest
# **held out**: text the model has never seen.

# %%
train, held_out = ct.bigram.split(ct.bigram.TEXT, held_out=0.2)
alphabet = ct.bigram.ALPHABET
print(f"{len(train)} characters to train on, {len(held_out)} held out; alphabet of {len(alphabet)}: {alphabet!r}")
pair_counts = ct.bigram.count(train)  # pair_counts[a, b]: how often b followed a
counts_plot = plotting.draw_bigram_counts(pair_counts)
print(f"{int((pair_counts == 0).sum())} of the {len(alphabet) ** 2} possible pairs never occur in the training text")
plt.show()

# %% [markdown]
# Counting is all the training there is. Most of the 961 possible pairs never occur in the training text (the white
# cells). Fit both models with the plain frequencies and score them; the baseline is a
# uniform guess, $\log_2 31$ bits per character.

# %%
unigram_model = ct.bigram.fit(train, order=1, k=0)
bigram_model = ct.bigram.fit(train, order=2, k=0)
print(f"uniform guess:  {np.log2(len(alphabet)):.4f} bits per character (perplexity {len(alphabet)})")
print("                train [bits/char]   held out [bits/char]   held-out perplexity")
for name, model in [("unigram", unigram_model), ("bigram", bigram_model)]:
    print(f"{name:<9}       {model.bits_per_char(train):>10.4f}          {model.bits_per_char(held_out):>10.4f}"
          f"            {model.perplexity(held_out):>8.4f}")

# %% [markdown]
# Looking one character back cuts the training loss by more than a bit per character, but on the held-out text the
# bigram model's loss is **infinite**:

# %%
char_losses = bigram_model.losses(held_out)  # char_losses[t − 1] = −log2 q(held_out[t] | held_out[t − 1])
unseen = np.flatnonzero(np.isinf(char_losses))
t = unseen[0] + 1  # the first character the model called impossible
a, b = held_out[t - 1], held_out[t]
index = {ch: i for i, ch in enumerate(alphabet)}
print(f"first infinite loss at held-out character {t}: {held_out[t - 8 : t + 6]!r}, the pair {a + b!r}, "
      f"never seen in training: q({b!r} | {a!r}) = {bigram_model.probs[index[a], index[b]]}")
print(f"{unseen.size} of the {char_losses.size} held-out pairs were never seen in training")
assert unigram_model.bits_per_char(train) - bigram_model.bits_per_char(train) > 1
assert char_losses[unseen[0]] == np.inf and bigram_model.probs[index[a], index[b]] == 0.0
assert held_out[t - 1 : t + 6] == "equally", "the prose below names the word"
assert bigram_model.bits_per_char(held_out) == np.inf and np.isfinite(np.delete(char_losses, unseen)).all()

# %% [markdown]
# One impossible event is enough: a mean that contains $+\infty$ is $+\infty$, and so is $D_\text{KL}$ as soon as $q$
# is 0 where $p$ is not ([02](02_kl_divergence.ipynb)). (The pair is "eq", in *equally*.)
#
# **Add-$k$ smoothing** pretends every pair was seen $k$ more times: $q_k(b \mid a) = \frac{\text{count}(a, b) + k}{\text{count}(a) + kV}$,
# with $V = 31$ characters, so every row is still a distribution. $k = 0$ is the plain frequency (the
# maximum-likelihood estimate, section 5); as $k \to \infty$ every row tends to the uniform $1/V$.

# %%
loss_vs_k = plotting.draw_loss_vs_k(train, held_out)
plt.show()
ks = [0, 0.01, 0.1, 0.3, 1, 3]
table = np.array([[m.bits_per_char(text) for m in (ct.bigram.fit(train, order=o, k=k) for o in (1, 2))
                   for text in (train, held_out)] for k in ks])  # columns: uni train, uni held, bi train, bi held
print("    k   unigram train / held out   bigram train / held out   bigram held-out perplexity")
for k, row in zip(ks, table, strict=True):
    print(f"{k:>5g}      {row[0]:.4f} / {row[1]:.4f}        {row[2]:.4f} / {row[3]:>6.4f}        {2 ** row[3]:>7.3f}")

# %% [markdown]
# The bigram model's training loss is smallest at $k = 0$ and rises with $k$: smoothing takes probability from seen
# pairs. Its held-out loss is $\infty$ at $k = 0$, falls to its best near $k = 0.3$, and rises again as the model
# drifts towards the uniform guess. That gap between training and held-out loss is **overfitting**: 961 pair
# probabilities from about a thousand characters. (Choosing $k$ on the held-out column uses that text up: a real
# experiment picks $k$ on a *validation* text and reports a separate *test* text.)

# %%
assert np.all(np.diff(table[:, 2]) > 0), "bigram training loss grows with k: k = 0 fits the training text best"
assert table[0, 3] == np.inf and np.isfinite(table[1:, 3]).all() and np.argmin(table[:, 3]) == ks.index(0.3)
assert table[ks.index(0.3), 3] < table[:, 1].min() < np.log2(len(alphabet)), "smoothed bigram < unigram < uniform"
assert 0.2 < loss_vs_k.best_k < 0.5

# %% [markdown]
# **Can perplexity exceed the vocabulary size?** Many think not, since a uniform guess scores exactly $V$. But nothing
# stops a model from being worse than a guess. Make the smoothed bigram model overconfident: cube its probabilities
# and renormalise each row. It ranks the next characters exactly as before, yet:

# %%
smoothed = ct.bigram.fit(train, order=2, k=0.3)
cubed = smoothed.probs**3 / (smoothed.probs**3).sum(axis=1, keepdims=True)  # same ranking, more confident
ids = ct.bigram.encode(held_out)
bits_cubed = np.mean(-np.log2(cubed[ids[:-1], ids[1:]]))
print(f"held-out perplexity: smoothed {smoothed.perplexity(held_out):.2f}, overconfident {2 ** bits_cubed:.2f},"
      f" vocabulary V = {len(alphabet)}")
assert 2**bits_cubed > len(alphabet) > smoothed.perplexity(held_out)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Exercise 1.** Write the cross-entropy $H(p, q)$ in nats. `p` and `q` may be single distributions or batches (one
# per row), and `p` may contain zeros (then $0 \cdot \log q = 0$, whatever $q$ is, even $q = 0$).

# %%
def my_cross_entropy(p, q):
    raise NotImplementedError  # your code here


ct.checks.cross_entropy_nats(my_cross_entropy)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_cross_entropy(p, q):
#     log_q = np.log(q, out=np.zeros_like(q), where=p > 0)  # 0·log q = 0 where p = 0
#     return -np.sum(p * log_q, axis=-1)
# ```
#
# The checker catches swapped arguments ($H(q, p)$), a missing minus sign, $\log_2$ instead of $\ln$, the `nan` of
# the plain `-np.sum(p * np.log(q), axis=-1)` at $p = q = 0$, a forgotten sum, a sum over the wrong axis of a batch or
# over everything, and a small constant added inside the log.
# </details>

# %% [markdown]
# **Exercise 2.** Write the bits per character of a bigram model. `probs` is a $V \times V$ table with
# `probs[a, b]` $= q(b \mid a)$ (for example `ct.bigram.fit(train, k=0.3).probs`), and `ids` is a text as integer
# indices into the alphabet (`ct.bigram.encode(held_out)`). Return the mean over the predicted characters of
# $-\log_2 q(\text{ids}[t] \mid \text{ids}[t-1])$.

# %%
def my_bits_per_char(probs, ids):
    raise NotImplementedError  # your code here


ct.checks.bits_per_char(my_bits_per_char)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_bits_per_char(probs, ids):
#     q = probs[ids[:-1], ids[1:]]  # q(ids[t] | ids[t-1]) for t = 1 … n − 1
#     return np.mean(-np.log2(q))
# ```
#
# A pair with $q = 0$ makes the answer $\infty$, and that is right.
# </details>

# %% [markdown]
# **Exercise 3 (transfer).** A forecaster believes the chance of rain is $p$ and may report any probability from a
# list `reports`. She is paid by the log score: her loss is $-\ln q$ if it rains and $-\ln(1 - q)$ if not. Which
# report has the lowest *expected* loss? Write `my_best_report(p, reports)`; is it ever worth lying?

# %%
def my_best_report(p, reports):
    raise NotImplementedError  # your code here


ct.checks.best_report(my_best_report)

# %% [markdown]
# <details><summary>Solution</summary>
#
# The expected loss of reporting $q$ is $-p\ln q - (1 - p)\ln(1 - q) = H(p, q) = H(p) + D_\text{KL}(p\|q)$, smallest
# at $q = p$: honesty pays, which is why the log score (and cross-entropy as a training loss) is called *proper*.
# Among the allowed reports the best is the one closest to $p$ in KL, not always the nearest in $|q - p|$.
#
# ```python
# def my_best_report(p, reports):
#     q = np.asarray(reports, dtype=float)
#     rain = -p * np.log(q, out=np.zeros_like(q), where=p > 0)
#     dry = -(1 - p) * np.log(1 - q, out=np.zeros_like(q), where=p < 1)
#     return q[np.argmin(rain + dry)]
# ```
# </details>

# %% [markdown]
# **Question 4.** A character model scores 1.2 bits per character on a text. What is its perplexity, and its loss in
# nats per character? Another model scores perplexity 4: which is better?

# %% [markdown]
# <details><summary>Answer</summary>
#
# Perplexity $2^{1.2} \approx 2.30$; in nats $1.2 \cdot \ln 2 \approx 0.83$ per character. Perplexity 4 means 2 bits
# per character, so the first model is better (lower is better).
# </details>

# %% [markdown]
# **Question 5.** Why not choose the smoothing $k$ that minimises the *training* loss?

# %% [markdown]
# <details><summary>Answer</summary>
#
# $k = 0$ always minimises the training loss: the plain frequencies are the maximum-likelihood estimate. Smoothing is
# for the text the model has *not* seen, so $k$ must be chosen on held-out (validation) text.
# </details>

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Takeaways
# - $H(p, q) = H(p) + D_\text{KL}(p\|q)$: with $p$ fixed by the data, minimising cross-entropy minimises KL, and the
#   minimum is $H(p)$ at $q = p$. It is not symmetric.
# - Cross-entropy is the average negative log-likelihood: maximising the probability of the data is minimising the
#   mean of $-\log q_\text{true}$, and a coin's maximum-likelihood $N_\text{H}/N$ is the cross-entropy minimiser.
# - As a loss it is $\ge 0$, 0 only for a certain, correct prediction, and unbounded as $q_\text{true} \to 0$.
# - A language model's cross-entropy is its bits per token and $2^{\text{bits}}$ its perplexity, which can exceed
#   the vocabulary size; add-$k$ smoothing trades a little training loss for a finite, lower held-out loss.
#
# **Next:** [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb).

# %% [markdown]
# ## Going deeper
#
# ### The last digits of $-\ln 0.7$
#
# The exact $-\ln 0.7$ is 0.35667494393873238…, float64 prints 0.356674943938732**45**. Two numbers matter:
# $-\ln$ of the real number 0.7, and $-\ln$ of the number a float64 stores when we write `0.7`, which is not 0.7:
# 0.7 has no finite binary expansion.

# %%
with localcontext(prec=40):
    stored = Decimal(0.7)  # the float64 nearest to 0.7, every digit of it
    exact_for_stored = -stored.ln()  # −ln of what the computer was given
    predicted_shift = (Decimal("0.7") - stored) / Decimal("0.7")  # d(−ln x) = −dx / x
loss_package = float(ct.cross_entropy(label, prediction))
print(f"0.7 as a float64 stores       {stored}")
print(f"−ln(stored 0.7) (exact)       {exact_for_stored:.17g};  float64 loss {loss_package:.17g}")
print(f"shift from the input, exact:  {float(exact_for_stored - exact):.4e};  first-order {float(predicted_shift):.4e}")
print(f"1 ulp at this size:           {np.spacing(loss_package):.4e}")
assert f"{loss_package:.17g}" == "0.35667494393873245", "what float64 gives"
assert loss_package == float(exact_for_stored), "correctly rounded −ln of the stored input: np.log made no error"
ct.checks.compare("shift: exact vs first-order prediction", float(exact_for_stored - exact), float(predicted_shift),
                  rtol=1e-9)

# %% [markdown]
# `np.log` returned the correctly rounded $-\ln$ of its input. The input itself was off: float64 stores
# $0.7 - 4.4 \cdot 10^{-17}$, and a change $dx$ moves $-\ln x$ by $-dx/x$, here $+6.3 \cdot 10^{-17}$, a little more
# than one unit in the last place (ulp, $5.6 \cdot 10^{-17}$ at this size). [04](04_sigmoid_bce.ipynb) meets the
# same effect as hundreds of ulps: a small rounding of an input, amplified by the problem's sensitivity.
#
# float32 tells the same story at a coarser grain: it stores 0.7 as $0.699999988\ldots$, so its loss is 0.35667497,
# not the 0.35667494 you get by rounding the exact value. And Keras-style `categorical_crossentropy` first divides the
# row by its sum, which in float64 is $0.7 + 0.2 + 0.1 = 0.9999999999999999$: one more ulp of input rounding.

# %%
loss32 = ct.cross_entropy(label.astype(np.float32), prediction.astype(np.float32))
with localcontext(prec=40):
    exact32 = -Decimal(float(np.float32(0.7))).ln()  # −ln of the stored float32 0.7
print(f"float32 stores 0.7 as {Decimal(float(np.float32(0.7)))}")
print(f"float32 loss {loss32!s};  the exact −ln 0.7 rounded to float32: {np.float32(float(exact))!s}")
print(f"Keras-style, float64: row sum {float(prediction.sum())!r}, loss {float(ct.categorical_crossentropy(label, prediction))!r}")
assert loss32.dtype == np.float32 and loss32 == np.float32(float(exact32)) and str(loss32) == "0.35667497"
assert prediction.sum() < 1 and float(ct.categorical_crossentropy(label, prediction)) == -np.log(0.7 / prediction.sum())

# %% [markdown]
# ### Counting by hand, and bits per character as a cross-entropy
#
# The package's counts agree with Python's `Counter`. Grouping the held-out pairs by their first character $a$, the
# average loss is $\sum_a \hat p(a)\, H(\hat p(\cdot \mid a), q(\cdot \mid a))$, with the text's own next-character
# distributions $\hat p$; for the unigram model it is simply $H(\hat p, q)$. On its own training text at $k = 0$, each
# model's loss is an entropy: the unigram's $H(\hat p)$, the bigram's the conditional entropy.

# %%
from collections import Counter

by_hand = Counter(train[t - 1 : t + 1] for t in range(1, len(train)))
from_counter = np.zeros_like(pair_counts)
for pair, n in by_hand.items():
    from_counter[index[pair[0]], index[pair[1]]] = n
assert np.array_equal(pair_counts, from_counter) and pair_counts.sum() == len(train) - 1
print("most frequent pairs:", ",  ".join(f"{pair!r} × {n}" for pair, n in by_hand.most_common(6)))

# %%
smoothed_uni = ct.bigram.fit(train, order=1, k=0.3)
held_pairs = ct.bigram.count(held_out)
starts = held_pairs.sum(axis=1)
seen = starts > 0
ce_rows = ct.cross_entropy(held_pairs[seen] / starts[seen, None], smoothed.probs[seen], base=2)
ct.checks.compare("bigram held-out vs weighted H(text, q) rows", smoothed.bits_per_char(held_out),
                  np.sum(starts[seen] / starts.sum() * ce_rows))
held_chars = ct.bigram.count(held_out, order=1)
ct.checks.compare("unigram held-out vs H(text, q)", smoothed_uni.bits_per_char(held_out),
                  ct.cross_entropy(held_chars / held_chars.sum(), smoothed_uni.probs, base=2))

# %%
ct.checks.compare("unigram train loss, k = 0, vs H(text)", unigram_model.bits_per_char(train),
                  ct.entropy(unigram_model.counts / unigram_model.counts.sum(), base=2))
train_starts = bigram_model.counts.sum(axis=1)
ct.checks.compare("bigram train loss, k = 0, vs H(next | prev)", bigram_model.bits_per_char(train),
                  np.sum(train_starts[train_starts > 0] / train_starts.sum()
                         * ct.entropy(bigram_model.probs[train_starts > 0], base=2)))

# %%
ct.checks.compare("perplexity: 2^bits vs e^nats", smoothed.perplexity(held_out),
                  np.exp(np.mean(smoothed.losses(held_out, base=None))))
ct.checks.compare("exercise 2's formula vs the package", np.mean(-np.log2(smoothed.probs[ids[:-1], ids[1:]])),
                  smoothed.bits_per_char(held_out))

# %% [markdown]
# ### What the models write
#
# Each character drawn from $q(\cdot)$ (unigram) or from $q(\cdot \mid \text{previous character})$ (bigram, $k = 0$, so
# it only ever writes pairs it has seen):

# %%
print("unigram:", repr(ct.bigram.sample(unigram_model, 70, rng=rng)))
print("bigram: ", repr(ct.bigram.sample(bigram_model, 70, rng=rng, start="t")))

# %% [markdown]
# # 03 · Cross-entropy
# The cost of describing the truth with the model's code: the loss behind classifiers and language models.
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/03_cross_entropy.ipynb)

# %% [markdown]
# **In this notebook you will**
# - split the cross-entropy $H(p, q)$ into the entropy $H(p)$ and the divergence $D_\text{KL}(p\|q)$, and see
#   why minimising one over $q$ minimises the other;
# - see why $-\log q_\text{true}$ makes a good loss, and compute it for one label, a batch, and several
#   independent yes/no labels, down to the last digit of a float64;
# - score a tiny character language model in bits per character and perplexity, watch one unseen pair of
#   letters make its loss infinite, and repair it with add-$k$ smoothing.
#
# **Prerequisites:** [01 · Entropy](01_entropy.ipynb) (surprise, entropy, bits vs nats, perplexity) and
# [02 · KL divergence](02_kl_divergence.ipynb) ($D_\text{KL}(p\|q) \ge 0$, zero only for $q = p$).

# %%
from collections import Counter
from decimal import Decimal, localcontext

import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Cross-entropy is entropy plus divergence
#
# Data comes from a distribution $p$ (the truth, the labels); a model offers its own distribution $q$. The
# **cross-entropy** is the average surprise of the data *as measured by the model*:
#
# $$H(p, q) = -\sum_i p_i \log q_i .$$
#
# In coding terms ([01](01_entropy.ipynb)): a code built for $q$ spends $\log_2(1/q_i)$ bits on outcome $i$,
# and outcomes arrive with the frequencies $p_i$, so $H(p, q)$ is the average length of a message coded with
# the model's code. It splits into two parts:
#
# | step | because |
# |---|---|
# | $H(p, q) = -\sum_i p_i \log q_i$ | definition (outcomes with $p_i = 0$ add nothing) |
# | $\phantom{H(p, q)} = -\sum_i p_i \log \left(p_i \cdot \dfrac{q_i}{p_i}\right)$ | multiply and divide by $p_i$, for every $i$ with $p_i > 0$ |
# | $\phantom{H(p, q)} = -\sum_i p_i \log p_i + \sum_i p_i \log \dfrac{p_i}{q_i}$ | log of a product is a sum of logs; $-\log(q/p) = \log(p/q)$ |
# | $\phantom{H(p, q)} = H(p) + D_\text{KL}(p\|q)$ | definitions of entropy and KL divergence |
#
# The best possible code costs $H(p)$; coding with the model's code costs $D_\text{KL}(p\|q)$ more.
# The code of [01](01_entropy.ipynb) for $p = (1/2, 1/4, 1/8, 1/8)$ costs 1.75 bits per symbol; a code built
# for a uniform $q$ spends 2 bits on every symbol:

# %%
p_code = np.array([1 / 2, 1 / 4, 1 / 8, 1 / 8])
q_uniform = np.full(4, 1 / 4)
h_p = float(ct.entropy(p_code, base=2))
d_pq = float(ct.kl_divergence(p_code, q_uniform, base=2))
h_pq = float(ct.cross_entropy(p_code, q_uniform, base=2))
print(f"H(p) = {h_p:.6f} bits,  D_KL(p‖q) = {d_pq:.6f} bits,  H(p, q) = {h_pq:.6f} bits")

# %%
assert h_p == 1.75 and h_pq == 2.0, "1.75 bits with the best code, 2 bits with the uniform one"
ct.checks.compare("D_KL(p‖uniform) = 2 − 1.75 bits", d_pq, 0.25)
p_many = rng.dirichlet(np.ones(5), size=1000)  # 1000 random pairs of distributions over 5 outcomes
q_many = rng.dirichlet(np.ones(5), size=1000)
ct.checks.compare("H(p, q) vs H(p) + D_KL(p‖q)", ct.cross_entropy(p_many, q_many),
                  ct.entropy(p_many) + ct.kl_divergence(p_many, q_many))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Minimising cross-entropy minimises KL
#
# When we train a model, $p$ is fixed by the data and only $q$ moves. So $H(p)$ is a constant, and
# $H(p, q) = H(p) + D_\text{KL}(p\|q)$ goes down exactly when $D_\text{KL}(p\|q)$ goes down, by the same
# amount. Both are smallest where $D_\text{KL}(p\|q) = 0$, that is at $q = p$, where $H(p, q) = H(p)$.
#
# Below, a model $q = S(x)$ (softmax of three logits $x$, the subject of [05](05_softmax_ce.ipynb)) learns the
# weather distribution $p = (0.7, 0.2, 0.1)$ by gradient descent on the cross-entropy. The gradient with
# respect to the logits is $S(x) - p$ (derived in 05; `ct.softmax_cross_entropy_grad`). Watch the last
# column: it never moves.

# %%
weather = np.array([0.7, 0.2, 0.1])
x = np.zeros(3)
history = []
for step in range(101):
    q = ct.softmax(x)
    history.append((step, q, float(ct.cross_entropy(weather, q)), float(ct.kl_divergence(weather, q))))
    x = x - 1.0 * ct.softmax_cross_entropy_grad(weather, x)  # learning rate 1
print("step   q                          H(p, q)    D_KL(p‖q)   H(p, q) − D_KL   [nats]")
for step, q, ce, kl in history:
    if step in (0, 1, 5, 20, 50, 100):
        print(f"{step:4d}   {np.array2string(q, precision=4, floatmode='fixed')}   {ce:.6f}   {kl:.3e}   {ce - kl:.6f}")

# %%
ce_path = np.array([ce for _, _, ce, _ in history])
kl_path = np.array([kl for _, _, _, kl in history])
ct.checks.compare("H(p, q) − D_KL(p‖q) = H(p) at every step", ce_path - kl_path, np.full(101, ct.entropy(weather)))
assert np.all(np.diff(ce_path) < 0) and np.all(np.diff(kl_path) < 0), "both fall at every step"
ct.checks.compare("q after 100 steps vs p", history[-1][1], weather, rtol=1e-6)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Why it works as a loss
#
# A loss should be 0 for a perfect answer and grow as the answer gets worse. Cross-entropy does both:
#
# - **never negative:** $0 \le q_i \le 1$, so $\log q_i \le 0$ and every term $-p_i \log q_i \ge 0$;
# - **zero only for a perfect, certain prediction:** a sum of non-negative terms is 0 only if every term
#   is, so $q_i = 1$ wherever $p_i > 0$. Then $p$ and $q$ both put all their mass on the same single class.
#   (For a *soft* target such as $p = (0.5, 0.5)$ the smallest loss is $H(p) > 0$, reached at $q = p$;
#   the loss still measures how far $q$ is from the best it could be, through $D_\text{KL}$.)
# - **unbounded:** with a one-hot target only the true class counts (next section), and
#   $-\log q_\text{true} \to \infty$ as $q_\text{true} \to 0$. A confident wrong answer costs without limit.

# %%
q_true = np.array([1.0, 0.9, 0.7, 0.5, 0.1, 1e-2, 1e-4, 1e-8, 1e-16, 1e-300, 0.0])
target = np.array([1.0, 0.0])  # a one-hot label over two classes: the first is true
losses = ct.cross_entropy(np.broadcast_to(target, (q_true.size, 2)), np.stack([q_true, 1 - q_true], axis=1))
print("q(true class)    loss [nats]   loss [bits]")
for q, loss in zip(q_true, losses, strict=True):
    print(f"{q:>13.3g}    {loss:>11.4f}   {loss / np.log(2):>11.4f}")

# %%
assert losses[0] == 0.0 and np.all(losses[1:] > 0), "0 only for the certain, correct prediction"
assert np.all(np.diff(losses) > 0) and losses[-1] == np.inf, "grows as q(true) falls, ∞ at q(true) = 0"
assert np.all(ct.cross_entropy(p_many, q_many) >= 0), "never negative"
assert np.all(ct.cross_entropy(p_many, q_many) >= ct.entropy(p_many)), "never below H(p) (Gibbs)"
print(f"soft target p = (0.5, 0.5): the smallest loss is H(p) = {float(ct.cross_entropy([0.5, 0.5], [0.5, 0.5])):.6f} nats = ln 2")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## One-hot labels: the loss is $-\log q_\text{true}$
#
# A classifier sees a photo and outputs probabilities for **cat, dog, man**: $q = (0.7, 0.2, 0.1)$. The photo
# shows a cat, so the label is the one-hot vector $p = (1, 0, 0)$. With a one-hot label the sum collapses:
#
# | step | because |
# |---|---|
# | $H(p, q) = -\sum_i p_i \log q_i$ | definition |
# | $\phantom{H(p, q)} = -1 \cdot \log q_\text{cat} - 0 \cdot \log q_\text{dog} - 0 \cdot \log q_\text{man}$ | the label is 1 at the true class, 0 elsewhere |
# | $\phantom{H(p, q)} = -\log q_\text{true}$ | only the true class's term survives |
#
# so the loss is $-\ln 0.7$ nats: the model's surprise at the truth. What the model said about dog and man
# does not enter, except through the fact that their probabilities took mass away from cat.

# %%
classes = ["cat", "dog", "man"]
label = np.array([1.0, 0.0, 0.0])
prediction = np.array([0.7, 0.2, 0.1])
loss_sum = -np.sum(label * np.log(prediction))  # the full sum, every class
loss_true = -np.log(prediction[classes.index("cat")])  # only the true class
loss_package = float(ct.cross_entropy(label, prediction))
print(f"−Σ p·ln q            = {loss_sum:.17g}")
print(f"−ln q(cat)           = {loss_true:.17g}")
print(f"ct.cross_entropy     = {loss_package:.17g}")

# %% [markdown]
# The curriculum quotes $-\ln 0.7 = 0.35667494393873238$, but float64 prints 0.356674943938732**45**. Which
# digits are right? Python's `decimal` module computes logarithms to any precision we ask for (40 digits
# here; mpmath gives the same digits). Two numbers matter: $-\ln$ of the real number 0.7, and $-\ln$ of the
# number a float64 actually stores when we write `0.7`, which is not 0.7: 0.7 has no finite binary expansion.

# %%
with localcontext(prec=40):
    exact = -Decimal("0.7").ln()  # −ln 0.7, of the real number 0.7
    stored = Decimal(0.7)  # the float64 nearest to 0.7, every digit of it
    exact_for_stored = -stored.ln()  # −ln of what the computer was given
    input_error = Decimal("0.7") - stored
    predicted_shift = input_error / Decimal("0.7")  # d(−ln x) = −dx / x
print(f"0.7 as a float64 stores       {stored}")
print(f"−ln 0.7 (exact)               {exact:.17g}")
print(f"−ln(stored 0.7) (exact)       {exact_for_stored:.17g}")
print(f"float64 loss                  {loss_package:.17g}")
print(f"shift from the input, exact:  {float(exact_for_stored - exact):.4e}")
print(f"first-order prediction:       {float(predicted_shift):.4e}   (0.7 − stored) / 0.7")
print(f"1 ulp at this size:           {np.spacing(loss_package):.4e}")

# %%
assert f"{exact:.17g}" == "0.35667494393873238", "the curriculum's −ln 0.7, to 17 significant digits"
assert f"{loss_package:.17g}" == "0.35667494393873245", "what float64 gives"
assert loss_package == loss_sum == loss_true
assert loss_package == float(exact_for_stored), "correctly rounded −ln of the stored input: np.log made no error"
assert float(exact) == np.nextafter(loss_package, 0), "exact −ln 0.7 rounds to the double one ulp below ours"
ct.checks.compare("shift: exact vs first-order prediction", float(exact_for_stored - exact), float(predicted_shift),
                  rtol=1e-9)

# %% [markdown]
# So the first 15 significant digits, 0.356674943938732, are shared, and the difference in the last two is
# not an error of the logarithm: `np.log` returned the correctly rounded $-\ln$ of its input. The input
# itself was off: float64 stores $0.7 - 4.4 \cdot 10^{-17}$, and a change $dx$ in the input moves $-\ln x$ by
# $-dx/x$, here $+6.3 \cdot 10^{-17}$, a little more than one unit in the last place (ulp, $5.6 \cdot 10^{-17}$
# at this size). The double nearest to the exact $-\ln 0.7$ is one ulp below ours.
#
# float32 tells the same story at a coarser grain: it stores 0.7 as $0.699999988\ldots$, so its loss is
# 0.35667497, not the 0.35667494 you get by rounding the exact value (that is also what TensorFlow and Keras
# print in float32). And Keras-style `categorical_crossentropy` first divides the row by its sum, which in
# float64 is $0.7 + 0.2 + 0.1 = 0.9999999999999999$, so it scores $0.7000000000000001$: one more ulp of input
# rounding.

# %%
loss32 = ct.cross_entropy(label.astype(np.float32), prediction.astype(np.float32))
with localcontext(prec=40):
    exact32 = -Decimal(float(np.float32(0.7))).ln()  # −ln of the stored float32 0.7
print(f"float32 stores 0.7 as {Decimal(float(np.float32(0.7)))}")
print(f"float32 loss {loss32!s};  the exact −ln 0.7 rounded to float32: {np.float32(float(exact))!s}")
print(f"Keras-style, float64: row sum {float(prediction.sum())!r}, loss {float(ct.categorical_crossentropy(label, prediction))!r}")

# %%
assert loss32.dtype == np.float32 and loss32 == np.float32(float(exact32)) and str(loss32) == "0.35667497"
assert prediction.sum() < 1 and float(ct.categorical_crossentropy(label, prediction)) == -np.log(0.7 / prediction.sum())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A batch, and several yes/no labels
#
# **A batch.** Training looks at many examples at once. Each example $n$ has its own loss
# $\ell_n = -\log q_n[\text{true}_n]$; the batch loss is their **mean** $\frac1N \sum_n \ell_n$. The mean, not
# the sum, so the loss (and the size of a gradient step) does not depend on how many examples a batch holds;
# averaged over the whole data set it is the cross-entropy between the data and the model.

# %%
true_class = np.array([0, 1, 2, 1])  # cat, dog, man, dog
predictions = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.6, 0.3, 0.1]])
one_hot = np.eye(3)[true_class]
per_example = -np.log(predictions[np.arange(4), true_class])
batch_loss = per_example.mean()
for n in range(4):
    print(f"example {n}: true {classes[true_class[n]]:<3}  q = {predictions[n]}  loss {per_example[n]:.4f}")
print(f"batch loss (mean) = {batch_loss:.6f} nats")

# %%
ct.checks.compare("per-example −ln q_true vs ct.cross_entropy", per_example, ct.cross_entropy(one_hot, predictions))
ct.checks.compare("batch mean vs Keras-style categorical", batch_loss, ct.categorical_crossentropy(one_hot, predictions).mean())

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Several yes/no labels (multi-label).** Now each photo gets independent tags: is there a cat? a dog? a man?
# A photo may have several tags or none, so the outputs $\hat y_c$ are separate probabilities, one per tag,
# that need not sum to 1. Each tag is its own two-outcome problem, "yes" with probability $\hat y_c$ and
# "no" with $1 - \hat y_c$, and its cross-entropy with the label $y_c \in \{0, 1\}$ is
#
# $$\ell_c = -y_c \log \hat y_c - (1 - y_c) \log(1 - \hat y_c),$$
#
# the **binary cross-entropy**: $H(p, q)$ with $p = (y_c, 1 - y_c)$ and $q = (\hat y_c, 1 - \hat y_c)$. One term
# is always 0: for $y_c = 1$ the loss is $-\log \hat y_c$, for $y_c = 0$ it is $-\log(1 - \hat y_c)$. Keras
# averages over the tags of an example. Models usually output logits $x_c$ with $\hat y_c = \sigma(x_c)$;
# [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb) derives the stable form from logits.

# %%
tags = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])  # photo 0: cat and man; photo 1: a dog
y_hat = np.array([[0.9, 0.2, 0.6], [0.3, 0.8, 0.1]])  # independent probabilities: rows need not sum to 1
per_tag = -tags * np.log(y_hat) - (1 - tags) * np.log(1 - y_hat)
print("per tag (cat, dog, man):")
print(np.array2string(per_tag, precision=6, floatmode="fixed"))
print("mean per photo:         ", np.array2string(per_tag.mean(axis=1), precision=6, floatmode="fixed"))

# %%
pairs_p = np.stack([tags, 1 - tags], axis=-1)  # each tag as a two-outcome distribution
pairs_q = np.stack([y_hat, 1 - y_hat], axis=-1)
ct.checks.compare("per tag vs H(p, q) of (yes, no)", per_tag, ct.cross_entropy(pairs_p, pairs_q))
ct.checks.compare("per tag vs sigmoid CE from logits", per_tag,
                  ct.sigmoid_cross_entropy_with_logits(tags, np.log(y_hat / (1 - y_hat))))
ct.checks.compare("mean per photo vs ct.binary_crossentropy", per_tag.mean(axis=1), ct.binary_crossentropy(tags, y_hat))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Language models: bits per character
#
# A language model reads text and, at every position, gives a distribution $q(\cdot \mid \text{context})$
# over the next token. The text then shows which token actually came: a one-hot label, exactly as for the
# photo classifier. So the model's loss on a text of $N$ predicted tokens is the mean one-hot cross-entropy
#
# $$\frac1N \sum_{t} -\log_2 q(c_t \mid \text{context}_t) \quad \text{bits per token},$$
#
# the average number of bits the model's code would need per token of this text. Its exponential is the
# **perplexity** $2^{\text{bits per token}} = e^{\text{nats per token}}$: the model is as unsure as if it
# picked among that many equally likely tokens ([01](01_entropy.ipynb)).
#
# Our tokens are characters and our models are as small as they get (`ce_teach/bigram.py`):
# - the **unigram** model ignores the context: $q(b)$ is how often $b$ occurred in the training text;
# - the **bigram** model looks one character back: $q(b \mid a) = c(a, b) / c(a)$, where $c(a, b)$ counts
#   how often $b$ followed $a$ and $c(a) = \sum_b c(a, b)$.
#
# The text is a short paragraph shipped with the package (`ct.bigram.TEXT`, no download). We train on the
# first 80 % and keep the rest **held out**: text the model has never seen, like the text it will meet in use.

# %%
train, held_out = ct.bigram.split(ct.bigram.TEXT, held_out=0.2)
alphabet = ct.bigram.ALPHABET
print(f"{len(ct.bigram.TEXT)} characters: {len(train)} to train on, {len(held_out)} held out; alphabet of {len(alphabet)}: {alphabet!r}")
print(f"train:    {train[:72]!r}…")
print(f"held out: {held_out[:72]!r}…")

# %% [markdown]
# Counting is all the training there is. The most frequent pairs, counted by the package and again by hand:

# %%
pair_counts = ct.bigram.count(train)  # pair_counts[a, b]: how often b followed a
by_hand = Counter(train[t - 1 : t + 1] for t in range(1, len(train)))
top = by_hand.most_common(6)
print("most frequent pairs:", ",  ".join(f"{pair!r} × {n}" for pair, n in top))
print(f"{len(by_hand)} of the {len(alphabet) ** 2} possible pairs occur in the training text")

# %%
index = {ch: i for i, ch in enumerate(alphabet)}
from_counter = np.zeros_like(pair_counts)
for pair, n in by_hand.items():
    from_counter[index[pair[0]], index[pair[1]]] = n
assert np.array_equal(pair_counts, from_counter) and pair_counts.sum() == len(train) - 1

# %% [markdown]
# Now fit both models with the plain frequencies ($k = 0$, explained below) and score them on the training
# text and on the held-out text. The unigram model predicts every character; the bigram model every
# character after the first (the first has nothing before it). The baseline is a uniform guess among the
# 31 characters, $\log_2 31$ bits per character.

# %%
unigram_model = ct.bigram.fit(train, order=1, k=0)
bigram_model = ct.bigram.fit(train, order=2, k=0)
print(f"uniform guess:  {np.log2(len(alphabet)):.4f} bits per character (perplexity {len(alphabet)})")
print("                train [bits/char]   held out [bits/char]   held-out perplexity")
for name, model in [("unigram", unigram_model), ("bigram", bigram_model)]:
    print(f"{name:<9}       {model.bits_per_char(train):>10.4f}          {model.bits_per_char(held_out):>10.4f}"
          f"            {model.perplexity(held_out):>8.4f}")

# %% [markdown]
# Looking one character back cuts the training loss by more than a bit per character. But on
# the held-out text the bigram model's loss is **infinite**. The per-character losses show why:

# %%
char_losses = bigram_model.losses(held_out)  # char_losses[t − 1] = −log2 q(held_out[t] | held_out[t − 1])
unseen = np.flatnonzero(np.isinf(char_losses))
t = unseen[0] + 1  # the first character the model called impossible
a, b = held_out[t - 1], held_out[t]
print(f"first infinite loss at held-out character {t}: {held_out[t - 8 : t + 6]!r}, the pair {a + b!r}")
print(f"in training, {a!r} was followed {pair_counts[index[a]].sum()} times, by {b!r} {pair_counts[index[a], index[b]]} times, "
      f"so q({b!r} | {a!r}) = {bigram_model.probs[index[a], index[b]]}")
print(f"−log2 0 = {char_losses[unseen[0]]}; {unseen.size} of the {char_losses.size} held-out pairs were never seen in training")

# %%
assert unigram_model.bits_per_char(train) - bigram_model.bits_per_char(train) > 1
assert char_losses[unseen[0]] == np.inf and bigram_model.probs[index[a], index[b]] == 0.0
assert held_out[t - 1 : t + 6] == "equally", "the prose below names the word"
assert bigram_model.bits_per_char(held_out) == np.inf and np.isfinite(np.delete(char_losses, unseen)).all()
assert float(ct.cross_entropy([0.5, 0.5], [1.0, 0.0])) == np.inf, "the same in ct.cross_entropy: q = 0 where p > 0"

# %% [markdown]
# One impossible event is enough: a mean that contains $+\infty$ is $+\infty$. In the language of
# [02](02_kl_divergence.ipynb), $D_\text{KL}(p\|q) = \infty$ as soon as $q$ is 0 where $p$ is not. A model
# that calls anything impossible will eventually be infinitely wrong. (The pair is in *equally*; the
# training text does say that q is followed by u, but as a letter in a sentence, followed by a space.)
#
# ### Add-$k$ smoothing
#
# Pretend every pair was seen $k$ more times than it was:
#
# $$q_k(b \mid a) = \frac{c(a, b) + k}{c(a) + kV}, \qquad V = 31 \text{ characters}.$$
#
# The $kV$ in the denominator keeps each row a distribution ($\sum_b (c(a,b) + k) = c(a) + kV$). $k = 0$ is
# the plain frequency (the maximum-likelihood estimate, the $q$ with the smallest *training* loss); $k = 1$
# is Laplace's add-one rule; as $k \to \infty$ every row tends to the uniform $1/V$. A context never seen in
# training gets $1/V$ for every $k > 0$, and the package keeps that at $k = 0$. Every pair now has a
# probability above 0, so every loss is finite:

# %%
ks = [0, 0.01, 0.1, 0.3, 1, 3]
table = []
for k in ks:
    uni, bi = ct.bigram.fit(train, order=1, k=k), ct.bigram.fit(train, order=2, k=k)
    table.append([uni.bits_per_char(train), uni.bits_per_char(held_out), bi.bits_per_char(train), bi.bits_per_char(held_out)])
table = np.array(table)
print("           unigram [bits/char]     bigram [bits/char]     bigram held-out")
print("   k        train   held out       train   held out        perplexity")
for k, row in zip(ks, table, strict=True):
    print(f"{k:>5g}      {row[0]:.4f}    {row[1]:.4f}       {row[2]:.4f}    {row[3]:>6.4f}        {2 ** row[3]:>7.3f}")

# %% [markdown]
# Read the table column by column:
# - **bigram, train:** smallest at $k = 0$ and rising with $k$: smoothing takes probability from pairs that
#   were seen and gives it to pairs that were not, so the training text gets less of it.
# - **bigram, held out:** $\infty$ at $k = 0$, then finite and falling, best near $k = 0.3$, then rising
#   again as the model drifts towards the uniform guess. The gap between training and held-out loss is
#   **overfitting**: 961 pair probabilities estimated from about a thousand characters.
# - **unigram:** only 31 numbers to estimate, so smoothing barely matters and the gap is small; but with a
#   good $k$ the bigram model beats it on held-out text too.
#
# (Choosing $k$ by looking at the held-out column uses up that text: a real experiment picks $k$ on a
# *validation* text and reports the loss on a separate *test* text.)

# %%
assert np.all(np.diff(table[:, 2]) > 0), "bigram training loss grows with k: k = 0 fits the training text best"
assert table[0, 3] == np.inf and np.isfinite(table[1:, 3]).all() and np.argmin(table[:, 3]) == ks.index(0.3)
assert table[ks.index(0.3), 3] < table[:, 1].min() < np.log2(len(alphabet)), "smoothed bigram < unigram < uniform"

# %% [markdown]
# **Check: bits per character is a cross-entropy.** Group the held-out pairs by their first character $a$:
# the text's own next-character distribution after $a$ is $\hat p(b \mid a) = \hat c(a, b)/\hat c(a)$ (held-out
# counts), and the average loss is $\sum_a \hat p(a)\, H(\hat p(\cdot \mid a), q(\cdot \mid a))$, weighted by how
# often $a$ starts a pair. For the unigram model it is simply $H(\hat p, q)$. And on its own training text at
# $k = 0$, each model's loss is an entropy: the unigram's is $H(\hat p)$, the bigram's the conditional entropy
# $\sum_a \hat p(a)\, H(\hat p(\cdot \mid a))$. (The printed losses above are per predicted character, which is
# the same thing.)

# %%
smoothed_uni, smoothed_bi = ct.bigram.fit(train, order=1, k=0.3), ct.bigram.fit(train, order=2, k=0.3)
held_pairs = ct.bigram.count(held_out)
starts = held_pairs.sum(axis=1)
seen = starts > 0
p_next = held_pairs[seen] / starts[seen, None]
ce_bigram = np.sum(starts[seen] / starts.sum() * ct.cross_entropy(p_next, smoothed_bi.probs[seen], base=2))
held_chars = ct.bigram.count(held_out, order=1)
ct.checks.compare("bigram held-out vs weighted H(text, q) rows", smoothed_bi.bits_per_char(held_out), ce_bigram)
ct.checks.compare("unigram held-out vs H(text, q)", smoothed_uni.bits_per_char(held_out),
                  ct.cross_entropy(held_chars / held_chars.sum(), smoothed_uni.probs, base=2))
train_chars, train_starts = unigram_model.counts, bigram_model.counts.sum(axis=1)
ct.checks.compare("unigram train loss, k = 0, vs H(text)", unigram_model.bits_per_char(train),
                  ct.entropy(train_chars / train_chars.sum(), base=2))
ct.checks.compare("bigram train loss, k = 0, vs H(next | prev)", bigram_model.bits_per_char(train),
                  np.sum(train_starts[train_starts > 0] / train_starts.sum()
                         * ct.entropy(bigram_model.probs[train_starts > 0], base=2)))
ct.checks.compare("perplexity: 2^bits vs e^nats", smoothed_bi.perplexity(held_out),
                  np.exp(np.mean(smoothed_bi.losses(held_out, base=None))))

# %% [markdown]
# What have the models learned? Let them write. Each character is drawn from $q(\cdot)$ (unigram) or from
# $q(\cdot \mid \text{previous character})$ (bigram, $k = 0$, so it only ever writes pairs it has seen).

# %%
print("unigram:", repr(ct.bigram.sample(unigram_model, 70, rng=rng)))
print("bigram: ", repr(ct.bigram.sample(bigram_model, 70, rng=rng, start="t")))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Slider: the loss of the true class
#
# The one-hot loss is $-\log q$, where $q$ is the probability the model gives the true class.
#
# **Predict first:** at $q = 0.5$ the loss is $\ln 2 \approx 0.69$ nats. What is it at $q = 0.25$? At
# $q = 0.01$, and at $q = 0$? Which costs more: dropping $q$ from 1 to 0.5, or from 0.02 to 0.01?

# %%
surprise = plotting.draw_surprise(0.7)
plt.show()

# %%
widgets.true_class_loss(q=0.7)

# %%
q_grid = np.linspace(0.001, 1.0, 1000)
print("q:     " + "  ".join(f"{q:>7g}" for q in (1, 0.5, 0.25, 0.02, 0.01, 1e-3)))
print("−ln q: " + "  ".join(f"{-np.log(q) + 0.0:>7.4f}" for q in (1, 0.5, 0.25, 0.02, 0.01, 1e-3)))
ct.checks.compare("halving q always adds ln 2 = 1 bit", -np.log(q_grid / 2) - (-np.log(q_grid)), np.full(1000, np.log(2)))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **1.** Write the cross-entropy $H(p, q)$ in nats. `p` and `q` may be single distributions or batches (one
# per row), and `p` may contain zeros (then $0 \cdot \log q = 0$, whatever $q$ is).

# %%
def my_cross_entropy(p, q):
    raise NotImplementedError  # your code here


ct.checks.cross_entropy_nats(my_cross_entropy)

# %% [markdown]
# **2.** Write the bits per character of a bigram model. `probs` is a $V \times V$ table with
# `probs[a, b]` $= q(b \mid a)$ (for example `ct.bigram.fit(train, k=0.3).probs`), and `ids` is a text as
# integer indices into the alphabet (`ct.bigram.encode(held_out)`). Return the mean over the predicted
# characters of $-\log_2 q(\text{ids}[t] \mid \text{ids}[t-1])$.

# %%
def my_bits_per_char(probs, ids):
    raise NotImplementedError  # your code here


ct.checks.bits_per_char(my_bits_per_char)

# %% [markdown]
# **3.** A character model scores 1.2 bits per character on a text. What is its perplexity, and what is its
# loss in nats per character? Another model scores perplexity 4: which is better?
#
# **4.** Your classifier is right on 9 999 of 10 000 test photos with $q_\text{true} = 0.99$, and on the last
# one gives the true class probability exactly 0. What is the mean cross-entropy? What would Keras report
# with probabilities as input (it clips them to $[10^{-7}, 1 - 10^{-7}]$)?
#
# **5.** Why not choose the smoothing $k$ that minimises the *training* loss?
#
# <details><summary>Answer</summary>
#
# **1.** A model solution:
#
# ```python
# def my_cross_entropy(p, q):
#     log_q = np.log(q, out=np.zeros_like(q), where=p > 0)  # 0·log q = 0 where p = 0
#     return -np.sum(p * log_q, axis=-1)
# ```
#
# The checker catches swapped arguments ($H(q, p)$), a missing minus sign, $\log_2$ instead of $\ln$,
# `nan` from $0 \cdot \log 0$, and a forgotten sum.
#
# **2.** A model solution:
#
# ```python
# def my_bits_per_char(probs, ids):
#     q = probs[ids[:-1], ids[1:]]  # q(ids[t] | ids[t-1]) for t = 1 … n − 1
#     return np.mean(-np.log2(q))
# ```
#
# Typical mistakes: the table read the wrong way round (`probs[next, previous]`), dividing by $n$ instead
# of the $n - 1$ predicted characters, summing instead of averaging, nats instead of bits, and returning the
# perplexity.
#
# **3.** Perplexity $2^{1.2} \approx 2.30$; in nats $1.2 \cdot \ln 2 \approx 0.83$ nats per character. Perplexity
# 4 means 2 bits per character, so the first model is better (lower is better).
#
# **4.** Infinite: one term is $-\ln 0 = \infty$, and so is the mean. With Keras' clipping that example
# costs $-\ln 10^{-7} \approx 16.12$ instead, and the mean is
# $(9999 \cdot (-\ln 0.99) + 16.12)/10\,000 \approx 0.0117$ nats, of which 0.0016 comes from the one photo.
# The clip hides the infinity, not the mistake.
#
# **5.** $k = 0$ always minimises the training loss: the plain frequencies are the distribution closest to the
# training text ($D_\text{KL} = 0$ from it). The point of smoothing is the text the model has *not* seen,
# so $k$ must be chosen on held-out (validation) text.
#
# </details>

# %% [markdown]
# ## Takeaways
# - $H(p, q) = H(p) + D_\text{KL}(p\|q)$; with $p$ fixed by the data, minimising cross-entropy over $q$
#   minimises the KL divergence, and the minimum is $H(p)$ at $q = p$.
# - As a loss it is $\ge 0$, 0 only for a certain, correct prediction, and unbounded as $q_\text{true} \to 0$;
#   with one-hot labels it is $-\log q_\text{true}$: $-\ln 0.7 = 0.35667494393873238$, which float64, given
#   the stored 0.7, correctly rounds to 0.35667494393873245.
# - A batch loss is the mean over examples; independent yes/no labels use the binary cross-entropy
#   $-y \log \hat y - (1 - y) \log(1 - \hat y)$ per label.
# - A language model's cross-entropy is its bits per token, and $2^{\text{bits}}$ its perplexity; one event
#   it calls impossible makes the loss infinite, and add-$k$ smoothing trades a little training loss for a
#   finite, lower held-out loss.
#
# **Next:** [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb): the binary loss from logits,
# derived step by step into a form that never overflows.

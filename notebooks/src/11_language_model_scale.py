# %% [markdown]
# # 11 · Cross-entropy at language-model scale
# The loss that trains every language model, at the sizes where the textbook picture breaks.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/11_language_model_scale.ipynb)

# %% [markdown]
# **In this notebook you will**
# - report a language model's loss in bits per byte, which no tokenizer can flatter, and check the loss at
#   initialisation against $\ln V$;
# - average over the tokens that count (padding, `ignore_index`) as PyTorch and Keras do, and see where they differ;
# - see what bfloat16 logits, logit drift, z-loss and soft-capping do to the loss;
# - derive why distillation multiplies by $T^2$, write CLIP's loss as a cross-entropy, and compute the loss and
#   its gradients without ever building the $N \times V$ logits.
#
# **Prerequisites:** [03 · Cross-entropy](03_cross_entropy.ipynb) (bits per character, the bigram model),
# [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb) and [07 · Choosing a loss](07_choosing_a_loss.ipynb)
# (`ignore_index`, sampled softmax).
#
# | symbol | meaning |
# |---|---|
# | $V$ | vocabulary size (the number of classes of a language model) |
# | $d$ | hidden width: the size of the vector $h_n$ the last layer turns into logits |
# | $N$ | the number of tokens in a batch |
# | $c$ | the index of the true class (the next token) |
# | $T$ | temperature |
# | $\lambda$ | the z-loss coefficient |
# | $\kappa$ | the soft-cap value in $\kappa\tanh(x/\kappa)$ |

# %%
import tracemalloc

import numpy as np

import ce_teach as ct

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Tokens, characters and bytes
#
# A language model is scored by its loss per **token**, but tokenizers differ: one cuts "the cat" into 7
# characters, another into 2 words. A model that predicts 2-character tokens has to be right about two
# characters at once, so its loss per token is larger, whatever its quality. The fair measure divides the total
# by something every tokenizer agrees on, the **bytes** of the text:
#
# $$\text{bits per byte} = \frac{\sum_\text{tokens} -\log_2 q(\text{token} \mid \text{context})}{\text{number of bytes}}.$$
#
# Take 03's bigram model of characters. Read the same predictions as 2-character tokens: the model gives the pair
# $ab$ the probability $q(a \mid \text{before})\, q(b \mid a)$, so the pair's loss is the sum of two character
# losses. Same model, same text, two tokenizers.
#
# **Predict first:** going from 1 to 2 characters per token, what happens to the bits per token, the perplexity
# per token ($2^{\text{bits per token}}$) and the bits per byte?

# %% jupyter={"outputs_hidden": true}
train, held_out = ct.bigram.split(ct.bigram.TEXT, held_out=0.3)
model = ct.bigram.fit(train, k=0.5)
bits = model.losses(held_out)  # bits for each predicted character
bits = bits[: len(bits) // 2 * 2]  # an even number of them, to pair up
n_bytes = len(held_out[1 : 1 + len(bits)].encode("utf-8"))  # the characters predicted, in bytes
tokenizers = {"1 character per token": bits, "2 characters per token": bits.reshape(-1, 2).sum(axis=1)}
print("The same model on the same text, read with two tokenizers:")
for name, per_token in tokenizers.items():
    print(f"{name}: {per_token.mean():.4f} bits/token, perplexity/token {2 ** per_token.mean():6.2f}, "
          f"{per_token.sum() / n_bytes:.4f} bits/byte")

# %% [markdown]
# <details><summary>Answer</summary>
#
# The bits per token double and the perplexity per token is squared: the model did not change, the unit did.
# The bits per byte do not move. That is why bits per byte is the number to compare across tokenizers (and
# across models with different vocabularies). A text with accents or emoji has more bytes than characters in
# UTF-8 ("é" is 2 bytes), so bytes, not characters, are the common ground.
#
# </details>

# %%
char_bits, pair_bits = tokenizers.values()
ct.checks.compare("bits per byte: same for both tokenizers", pair_bits.sum() / n_bytes, char_bits.sum() / n_bytes)
ct.checks.compare("bits per 2-char token = 2 × per character", pair_bits.mean(), 2 * char_bits.mean())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The loss at initialisation
#
# A language model's last layer turns the hidden state $h_n$ (width $d$) of each token into $V$ logits,
# $x_n = W h_n$, with $W$ of shape $(V, d)$. Freshly initialised, $W$ is small and random.
#
# **Predict first:** with $V = 32\,768$ and weights of standard deviation 0.01, what is the loss at the first
# step? And with weights of standard deviation 1?

# %% jupyter={"outputs_hidden": true}
V, d, N = 32_768, 64, 256
hidden = rng.normal(size=(N, d))
tokens = rng.integers(0, V, size=N)
w_small = rng.normal(scale=0.01, size=(V, d))
loss_small = ct.linear_cross_entropy(hidden, w_small, tokens)
loss_large = ct.linear_cross_entropy(hidden, 100 * w_small, tokens)
print("The loss at the first step, before any training:")
print(f"ln V = {np.log(V):.4f} nats")
print(f"weights sd 0.01: loss {loss_small:.4f} nats, perplexity {np.exp(loss_small):9,.0f}")
print(f"weights sd 1   : loss {loss_large:.4f} nats, perplexity {np.exp(loss_large):9.3g}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# About $\ln V = 10.397$ nats: small logits make the softmax nearly uniform, $q = 1/V$ for every token, and the
# perplexity is about $V$. A loss far from $\ln V$ at step 0 is a bug or a bad initialisation. With weights of
# sd 1 the logits have sd 8, the model is confidently wrong, and the perplexity is far *above* $V$: a perplexity
# is not bounded by the vocabulary size.
#
# </details>

# %%
assert abs(loss_small - np.log(V)) < 0.01
assert np.exp(loss_large) > V

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Padding: which tokens count
#
# Sequences of different lengths are padded to one length, and the padded positions get a label that means
# "no token here": PyTorch's `ignore_index` (default $-100$), Keras' `ignore_class`. Two sequences, of 6 and 2
# tokens:

# %%
pad, C = -100, 16
labels = np.array([[12, 7, 3, 3, 9, 1], [4, 11, pad, pad, pad, pad]])
h2, w2 = rng.normal(size=(12, 8)), rng.normal(size=(C, 8))  # 2 × 6 positions, hidden width 8
per_token = ct.sparse_softmax_cross_entropy_with_logits(np.where(labels == pad, 0, labels), (h2 @ w2.T).reshape(2, 6, C))
kept = labels != pad
means = {
    "PyTorch, reduction='mean': sum over kept / #kept": per_token[kept].sum() / kept.sum(),
    "Keras 3 ignore_class: sum over kept / (#kept + 1e-7)": np.where(kept, per_token, 0).sum() / (kept.sum() + 1e-7),
    "mean of the per-sequence means": (np.where(kept, per_token, 0).sum(axis=1) / kept.sum(axis=1)).mean(),
    "mean over every position, padding included": per_token.mean(),
}
for name, value in means.items():
    print(f"{name:<54} {value:.6f}")

# %% [markdown]
# PyTorch's mean divides by the number of kept tokens. Keras 3 does the same up to an $\varepsilon$: its
# `sparse_categorical_crossentropy` sets the loss of an ignored position to 0 and marks it masked
# (`keras/src/losses/losses.py`), and the loss reduction turns the mask into weights $\text{total}/(\text{valid}
# + 10^{-7})$ before the "sum over batch size" (`apply_mask` in `keras/src/losses/loss.py`, Keras 3 source, read
# for this notebook). The mean of per-sequence means is *not* the same: it gives each of the 2 tokens of the short
# sequence three times the weight of a token of the long one. `ct.linear_cross_entropy` follows PyTorch:

# %%
ct.checks.compare("ct.linear_cross_entropy, ignore_index=-100",
                  ct.linear_cross_entropy(h2, w2, labels.ravel()), means["PyTorch, reduction='mean': sum over kept / #kept"])
ct.checks.compare("Keras 3 vs PyTorch: relative gap 1e-7/#kept", means["Keras 3 ignore_class: sum over kept / (#kept + 1e-7)"],
                  means["PyTorch, reduction='mean': sum over kept / #kept"], rtol=1e-7 / kept.sum() * 1.01)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Weights and ignore together
#
# With weights the two frameworks part ways. PyTorch's class weights $w$ enter the denominator:
# $\sum_{n \text{ kept}} w_{c_n}\ell_n \,/\, \sum_{n \text{ kept}} w_{c_n}$ (07, section 4). Keras' per-token
# `sample_weight` $s_n$ does not: $\sum_{n \text{ kept}} s_n\ell_n \,/\, (\#\text{kept} + 10^{-7})$. Give token 3 a
# weight of 5, through either:

# %%
class_weight = np.ones(C)
class_weight[3] = 5.0
torch_weighted = ct.class_weighted_sparse_cross_entropy(labels, (h2 @ w2.T).reshape(2, 6, C), class_weight=class_weight,
                                                        ignore_index=pad)
s = np.where(kept, class_weight[np.where(kept, labels, 0)], 0.0)  # the same weights, per token
keras_weighted = (s * np.where(kept, per_token, 0)).sum() / (kept.sum() + 1e-7)
print(f"PyTorch weight=w:      {torch_weighted:.6f}   (÷ Σ w = {s.sum():.0f})")
print(f"Keras sample_weight=s: {keras_weighted:.6f}   (÷ #kept = {kept.sum()})")
ct.checks.compare("they differ by the factor Σ w / #kept", keras_weighted / torch_weighted, s.sum() / kept.sum(), rtol=1e-6)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Low precision: bfloat16 logits
#
# Large models run in **bfloat16**: float32's exponent with only 8 significant bits, so the spacing of
# representable numbers is $2^{-7} \approx 0.008$ at 1 and $0.125$ at 16. NumPy has no bfloat16, but
# `ct.round_to_bfloat16` rounds float32 to it exactly (round to nearest, ties to even, as `torch.bfloat16` does).
# The logits come out of the model in bfloat16; the question is where the loss is computed. Below, the same
# bfloat16 logits go through the loss twice: converted to float32 first, and with every intermediate result
# stored in the low precision, as a bfloat16 (or float16) kernel would. A tenth of the tokens are predicted
# confidently and correctly.
#
# **Predict first:** computing the loss in bfloat16, which tokens lose more of their *relative* accuracy: the
# confident correct ones (loss near 0) or the others?

# %%
def loss_rounded_each_step(r, x, y):
    """Cross-entropy with every intermediate rounded by r (the sums themselves accumulate in float32)."""
    m = x.max(axis=1)
    e = r(np.exp(r(x - m[:, None])))
    lse = r(m + r(np.log(r(e.sum(axis=1, dtype=np.float32)))))
    return r(lse - x[np.arange(len(y)), y])


to_bf16 = ct.round_to_bfloat16
to_f16 = lambda a: np.asarray(a, np.float32).astype(np.float16).astype(np.float32)  # noqa: E731

# %% jupyter={"outputs_hidden": true}
x3 = rng.normal(0.0, 3.0, size=(2000, 1000)).astype(np.float32)
y3 = rng.integers(0, 1000, size=2000)
x3[:200][np.arange(200), y3[:200]] += 25.0  # 200 confident, correct predictions
confident, errors = np.arange(2000) < 200, {}
print("Low-precision logits, and their loss computed two ways:")
print(f"confident tokens' loss: median {np.median(ct.sparse_softmax_cross_entropy_with_logits(y3, x3)[:200]):.0e}")
for name, r in {"bfloat16": to_bf16, "float16": to_f16}.items():
    logits = r(x3)  # what the model outputs
    exact = ct.sparse_softmax_cross_entropy_with_logits(y3, logits.astype(np.float64))  # the loss of these logits
    for where, loss in {"float32": ct.sparse_softmax_cross_entropy_with_logits(y3, logits),
                        name: loss_rounded_each_step(r, logits, y3)}.items():
        rel = np.abs(loss - exact) / exact
        errors[name, where] = rel[confident].max(), rel[~confident].max()
        print(f"{name} logits, loss in {where:<8}: mean loss off by {abs(loss.mean() - exact.mean()):.1e}; worst "
              f"relative error: confident {rel[confident].max():.1e}, others {rel[~confident].max():.1e}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# The confident ones. Their loss (printed: tiny) is the difference $\log Z - x_c$ of two numbers near 25, each
# stored to $\pm 0.06$ in bfloat16: the difference comes out as exactly 0 or as a multiple of that spacing, a
# relative error of 100 % or more. The other tokens are off by up to about 1 %, because $\log Z$ itself is stored
# to about $\pm 0.03$. Computed in float32 (here: `ct` converts to float64 and rounds the result once), the loss of
# the same bfloat16 logits is exact to float32's last digit. Frameworks therefore upcast the logits before the cross-entropy: the logits may be bfloat16, the
# log-sum-exp and the loss should not be.
#
# </details>

# %%
assert max(errors["bfloat16", "float32"] + errors["float16", "float32"]) < 1e-7  # float32's last digit
assert errors["bfloat16", "bfloat16"][0] >= 0.5 and errors["bfloat16", "bfloat16"][1] < 0.02

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Logit drift: z-loss and soft-capping
#
# Softmax ignores a shift: $S(x + a) = S(x)$, so the loss says nothing about the level of the logits, and during
# long training runs $\log Z = \log\sum_j e^{x_j}$ can drift far from 0. The loss does not notice; bfloat16 does,
# since a logit of 300 is stored to $\pm 1$:

# %%
x4 = rng.normal(0.0, 2.0, size=(500, 1000)).astype(np.float32)
y4 = rng.integers(0, 1000, size=500)
true4 = ct.sparse_softmax_cross_entropy_with_logits(y4, x4.astype(np.float64)).mean()
drift = {}
print("shift   (log Z)²   loss of the bfloat16 logits − true loss")
for a in (0.0, 30.0, 300.0):
    shifted = x4 + np.float32(a)
    drift[a] = ct.sparse_softmax_cross_entropy_with_logits(y4, to_bf16(shifted)).mean() - true4
    print(f"{a:5.0f} {ct.z_loss(shifted).mean():10.1f}   {drift[a]:+.2e}")
assert abs(drift[0.0]) < 1e-3 and abs(drift[300.0]) > 0.05

# %% [markdown]
# **z-loss** (PaLM) adds $\lambda(\log Z)^2$ per token, $\lambda = 10^{-4}$: it pulls $\log Z$ to 0, where the logits
# are log-probabilities and stay small. Its gradient is $2\lambda \log Z \cdot S(x)$: every logit moves down in
# proportion to its probability.

# %%
lam, x_row = 1e-4, x4[:1].astype(np.float64) + 30.0
ct.checks.compare("∂ λ(log Z)² / ∂x = 2λ log Z · S(x)",
                  ct.numerical_gradient(lambda z: lam * float(ct.z_loss(z)[0]), x_row),
                  2 * lam * ct.logsumexp(x_row)[:, None] * ct.softmax(x_row), rtol=1e-6, atol=1e-9)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Soft-capping** (Gemma 2, $\kappa = 30$) replaces each logit by $\kappa\tanh(x/\kappa)$: unchanged near 0, never
# beyond $\pm\kappa$. One runaway logit of 200 on the wrong token:

# %%
kappa, row = 30.0, np.zeros((1, V))
row[0, 0] = 200.0  # the model is sure of token 0; the truth is token 1
raw = ct.sparse_softmax_cross_entropy_with_logits([1], row)[0]
capped = ct.sparse_softmax_cross_entropy_with_logits([1], ct.softcap(row, kappa))[0]
print(f"loss {raw:.2f} nats uncapped, {capped:.2f} capped; bound 2κ + ln V = {2 * kappa + np.log(V):.2f}")
print(f"gradient factor of the runaway logit, 1 − tanh²(200/κ) = {1 - np.tanh(200 / kappa) ** 2:.1e}")
assert capped <= 2 * kappa + np.log(V)

# %% [markdown]
# One token can no longer cost more than $2\kappa + \ln V$ nats, so a single outlier cannot dominate a batch's
# gradient; the price is that a capped logit barely learns (its gradient is multiplied by $1 - \tanh^2$).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Distillation: temperature and the $T^2$ factor
#
# A small student learns from a large teacher's logits $t$. Both are softened by a temperature $T > 1$, which
# reveals the teacher's opinion of the wrong classes, and the student minimises
# $T^2 \cdot D_{KL}\big(S(t/T)\,\|\,S(s/T)\big)$, teacher first (`ct.distillation_loss`). The gradient, with
# $p = S(t/T)$ and $q = S(s/T)$:
#
# $\partial D_{KL}/\partial s = (q - p)/T$ (05's $S - y$, then the chain rule through $s/T$);
#
# $q - p \approx \big((s - \bar s) - (t - \bar t)\big)/(C\,T)$ for large $T$ (first order: $S(z) \approx (1 + z - \bar z)/C$).
#
# **Predict first:** without the $T^2$, by what factor does the gradient shrink from $T = 1$ to $T = 10$?

# %% jupyter={"outputs_hidden": true}
s5, t5 = rng.normal(0.0, 3.0, size=(1, 10)), rng.normal(0.0, 3.0, size=(1, 10))
grad_kl = lambda T: (ct.softmax(s5 / T) - ct.softmax(t5 / T)) / T  # noqa: E731
print("   T   |∂KL/∂s|   |∂(T²·KL)/∂s|")
for T in (1, 2, 5, 10, 100):
    print(f"{T:4d}  {np.linalg.norm(grad_kl(T)):9.2e}   {np.linalg.norm(T**2 * grad_kl(T)):9.3f}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# By about $T^2$: 100 at $T = 10$ (the table shows the exact norms). The $1/T$ of the chain rule times the $1/T$ of
# $q - p$ makes the soft term's gradient $O(1/T^2)$; multiplied by $T^2$ it tends to a constant, so you can change
# $T$ without retuning the weight of the distillation term against the ordinary loss (Hinton et al., 2015).
#
# </details>

# %%
T = 5.0
ct.checks.compare("∂(T²·KL)/∂s = T·(q − p), finite differences",
                  ct.numerical_gradient(lambda z: float(ct.distillation_loss(z, t5, temperature=T)[0]), s5),
                  T**2 * grad_kl(T), rtol=1e-6, atol=1e-10)
centred = (s5 - s5.mean()) - (t5 - t5.mean())
ct.checks.compare("T = 1000: T²·∂KL/∂s ≈ centred (s − t)/C", 1000**2 * grad_kl(1000), centred / 10, rtol=0, atol=0.01)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. InfoNCE: in-batch negatives
#
# CLIP learns image and text embeddings $a_n, b_n$ from $N$ matching pairs. After L2-normalisation, the similarity
# matrix $X = \hat a \hat b^\top / T$ is $N \times N$ with the true pairs on the diagonal. Each row is a
# classification problem: which of the $N$ captions belongs to image $n$? The answer is class $n$, and the
# loss is the cross-entropy of the row. The columns ask the reverse question. CLIP averages the two:

# %%
N6, T6 = 64, 0.1
images = rng.normal(size=(N6, 32))
captions = images + rng.normal(0.0, 0.8, size=(N6, 32))  # noisy partners
unit = lambda z: z / np.linalg.norm(z, axis=1, keepdims=True)  # noqa: E731
X = unit(images) @ unit(captions).T / T6
by_rows = ct.sparse_softmax_cross_entropy_with_logits(np.arange(N6), X).mean()  # image → which caption?
by_cols = ct.sparse_softmax_cross_entropy_with_logits(np.arange(N6), X.T).mean()  # caption → which image?
ct.checks.compare("(rows + columns)/2 = ct.info_nce", (by_rows + by_cols) / 2, ct.info_nce(images, captions, temperature=T6))
unrelated = ct.info_nce(images, rng.normal(size=(N6, 32)), temperature=1.0)
print(f"unrelated pairs: {unrelated:.4f} nats, ln N = {np.log(N6):.4f}")
assert abs(unrelated - np.log(N6)) < 0.05

# %% [markdown]
# This is 07's sampled softmax with the batch as the sample: the "vocabulary" of a row is the $N$ captions at
# hand, the other $N - 1$ are the negatives, and the loss at chance is $\ln N$, not $\ln V$. The negatives are
# drawn from the data, so frequent items are negatives more often than rare ones; without 07's $\log Q$
# correction that bias stays in the loss (recommender systems subtract $\log Q$ for this reason). A larger batch
# is a larger sample, which is why CLIP trains with $N = 32\,768$.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. The memory of the logits
#
# The logits are the largest tensor of a training step: $N \times V$ floats. For 8 Ki tokens and a vocabulary of
# 128 Ki, in float32:

# %%
print(f"{8 * 1024} × {128 * 1024} × 4 bytes = {8 * 1024 * 128 * 1024 * 4 / 2**30:.0f} GiB")

# %% [markdown]
# The loss needs, per token, only the log-sum-exp of its row and its true logit, so the logits can be made a
# tile at a time and thrown away. The **online log-sum-exp** keeps a running maximum $m$ and a running sum
# $S = \sum e^{x - m}$; a tile with a larger maximum $m'$ rescales what was summed so far:
#
# $S \leftarrow S\, e^{m - m'} + \sum_{\text{tile}} e^{x - m'}$, $\quad m \leftarrow m'$ (the same sum, now relative to $m'$);
#
# $\ell_n = m + \log S - x_{c}$ at the end of the row.
#
# The gradient needs $S(x) - y$, which needs the finished $\log Z$: a second pass rebuilds each tile and adds its
# contribution to $\partial L/\partial h = (S - Y)W/N$ and $\partial L/\partial W = (S - Y)^\top h/N$.
# `ct.linear_cross_entropy` and `ct.linear_cross_entropy_grad` do this (Liger-Kernel and Apple's Cut Cross-Entropy
# do it on GPUs).
#
# **Predict first:** for $N = 1024$ tokens, $V = 32\,768$ and float32, how much memory does the loss take beyond
# its inputs, built from the logits and built without them?

# %% jupyter={"outputs_hidden": true}
def peak_mib(f):
    tracemalloc.start()
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


h7 = rng.normal(size=(1024, 32)).astype(np.float32)
w7 = rng.normal(0.0, 0.1, size=(V, 32)).astype(np.float32)
y7 = rng.integers(0, V, size=1024)
logits_mib = 1024 * V * 4 / 2**20
print("Extra memory of the loss, beyond its inputs:")
naive_mib = peak_mib(lambda: ct.sparse_softmax_cross_entropy_with_logits(y7, h7 @ w7.T).mean())
tiled_mib = peak_mib(lambda: ct.linear_cross_entropy(h7, w7, y7))
print(f"the logits: {logits_mib:.0f} MiB; from the logits: {naive_mib / logits_mib:.1f} × that; "
      f"without them: {int(tiled_mib)} MiB and a fraction")  # the fraction: a working block, 3 numbers per token

# %% [markdown]
# <details><summary>Answer</summary>
#
# Built from the logits, the loss needs at least the logits themselves, 128 MiB here (4 GiB at the sizes above).
# Without them it needs one tile of 256 × 4096 logits (4 MiB in float32, whatever $V$) and three numbers per token. `benchmarks/bench_linear_ce.py` measures the gradient too, against PyTorch's
# `F.cross_entropy(h @ W.T, y)` with backward (see `benchmarks/README.md`).
#
# </details>

# %%
assert naive_mib >= logits_mib and tiled_mib < 0.05 * logits_mib
h8, w8, y8 = rng.normal(size=(7, 3)), rng.normal(size=(11, 3)), np.array([1, 5, -100, 10, 0, 3, 3])
ct.checks.compare("tiles = full logits, float64", ct.linear_cross_entropy(h8, w8, y8),
                  ct.class_weighted_sparse_cross_entropy(y8, h8 @ w8.T, ignore_index=-100), rtol=1e-15)
loss8, d_h8, d_w8 = ct.linear_cross_entropy_grad(h8, w8, y8)
ct.checks.compare("∂L/∂h vs finite differences", d_h8,
                  ct.numerical_gradient(lambda z: float(ct.linear_cross_entropy(z, w8, y8)), h8), rtol=1e-6, atol=1e-9)
ct.checks.compare("∂L/∂W vs finite differences", d_w8,
                  ct.numerical_gradient(lambda z: float(ct.linear_cross_entropy(h8, z, y8)), w8), rtol=1e-6, atol=1e-9)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Exercise 1.** Write `my_kept_mean(losses, labels, ignore_index)`: the mean of the per-token `losses` over the
# tokens whose label is not `ignore_index`, as PyTorch's `reduction="mean"` computes it. `losses` and `labels`
# have the same shape (a batch of sequences, say), and the loss at an ignored position may be anything, even inf.

# %%
def my_kept_mean(losses, labels, ignore_index):
    raise NotImplementedError  # your code here


ct.checks.kept_token_mean(my_kept_mean)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_kept_mean(losses, labels, ignore_index):
#     kept = labels != ignore_index
#     return losses[kept].sum() / kept.sum()
# ```
# Select the kept tokens rather than multiplying by a 0/1 mask (0 · inf is nan), and divide by their number,
# over the whole batch at once.
#
# </details>

# %% [markdown]
# **Exercise 2.** Write `my_distillation(student_logits, teacher_logits, T)`: one loss per row,
# $T^2 \cdot D_{KL}(S(t/T) \| S(s/T))$. It must survive logits of $\pm 800$.

# %%
def my_distillation(student_logits, teacher_logits, T):
    raise NotImplementedError  # your code here


ct.checks.distillation_t2(my_distillation)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_distillation(student_logits, teacher_logits, T):
#     log_p = ct.log_softmax(teacher_logits / T)
#     log_q = ct.log_softmax(student_logits / T)
#     return T**2 * (np.exp(log_p) * (log_p - log_q)).sum(axis=-1)
# ```
# Log-probabilities from `log_softmax` never overflow; the teacher comes first in the KL; $T^2$, not $T$.
#
# </details>

# %% [markdown]
# **Exercise 3 (transfer).** A training loop accumulates gradients over two micro-batches before each update.
# The first has 1,000 kept tokens with a mean loss of 2.0, the second 10 kept tokens with a mean loss of 5.0, and
# the loop averages the two means. What is the loss of the whole batch, what does the loop report, and how
# should it combine the micro-batches instead?

# %% [markdown]
# <details><summary>Answer</summary>
#
# The whole batch: $(1000 \cdot 2.0 + 10 \cdot 5.0)/1010 = 2.0297$. The loop reports $(2.0 + 5.0)/2 = 3.5$, and
# its gradient gives each of the 10 tokens of the small micro-batch 100 times the weight of the others. Sum the
# micro-batches' *summed* losses and divide once by the total number of kept tokens (or weight each mean by its
# share of the kept tokens). The denominator is a property of the whole batch, not of a micro-batch.
#
# </details>

# %% [markdown]
# ## Takeaways
# - Compare language models in bits per byte; at step 0 the loss should be $\approx \ln V$.
# - The mean runs over kept tokens: PyTorch divides by their number (by $\sum w$ with class weights), Keras 3 by
#   their number plus $10^{-7}$, and never by the padding.
# - Keep logits in bfloat16 if you must, but compute the log-sum-exp and the loss in float32; z-loss keeps
#   $\log Z$ near 0, soft-capping bounds each logit.
# - Distillation is $T^2 \cdot$ KL because the softened gradient shrinks like $1/T^2$; CLIP's InfoNCE is a
#   cross-entropy over the batch's similarity matrix.
# - The $N \times V$ logits need never exist: tiles and an online log-sum-exp give the same loss and gradients.
#
# Back to the start: [00 · Start here](00_start_here.ipynb).

# %% [markdown]
# ## Going deeper
#
# ### An all-padding batch
# A batch in which every label is ignored has no mean. PyTorch returns nan (0/0); Keras 3 returns 0, because of the
# $10^{-7}$ in its denominator; `ct` refuses:

# %%
all_pad = np.full(6, pad)
print(f"Keras 3 form: {np.zeros(6).sum() / (0 + 1e-7)}")
try:
    ct.linear_cross_entropy(h2[:6], w2, all_pad)
except ValueError as error:
    print(f"ct: ValueError: {error}")

# %% [markdown]
# ### What "computed in float32" guarantees here
# For float32 inputs `ct.linear_cross_entropy` does the products $h \cdot w$ in float32, as PyTorch does, so each
# logit carries float32 rounding; everything after (maxima, sums, `log1p`, the mean) is float64, so the result is
# the exact cross-entropy of those float32 logits, rounded once. Against the float64 truth, the error is the
# logits' own:

# %%
h9 = rng.normal(size=(512, 64)).astype(np.float32)
w9 = rng.normal(0.0, 0.2, size=(5000, 64)).astype(np.float32)
y9 = rng.integers(0, 5000, size=512)
truth = ct.sparse_softmax_cross_entropy_with_logits(y9, h9.astype(np.float64) @ w9.T.astype(np.float64)).mean()
of_f32_logits = ct.sparse_softmax_cross_entropy_with_logits(y9, (h9 @ w9.T).astype(np.float64)).mean()
ours32 = ct.linear_cross_entropy(h9, w9, y9)
ulp32 = np.spacing(np.float32(truth))
print(f"float32 result vs float64 truth: {abs(float(ours32) - truth) / ulp32:.2f} float32 ulp; "
      f"vs the loss of the float32 logits: {abs(float(ours32) - of_f32_logits) / ulp32:.2f} ulp")
assert abs(float(ours32) - of_f32_logits) <= 2 * ulp32

# %% [markdown]
# ### Where the $T^2$ comes from, once more
# For large $T$, $S(z/T)_j \approx \big(1 + (z_j - \bar z)/T\big)/C$, so $q - p \approx \big((s - \bar s) - (t -
# \bar t)\big)/(CT)$ and $T^2 \cdot (q - p)/T \to \big((s - \bar s) - (t - \bar t)\big)/C$: the gradient of matching
# the centred logits with a squared error, scaled by $1/C$. In the high-temperature limit distillation *is* logit
# matching (Hinton et al., 2015, section 2.1), and the $T^2$ makes that limit finite.

# %% [markdown]
# # 07 · Choosing a loss
# One loss, two activations, many names: which cross-entropy to call, how to weight it, and what to do with 50 000 classes.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/07_choosing_a_loss.ipynb)

# %% [markdown]
# **In this notebook you will**
# - pick the activation, the loss and the label format for a task, with the activation *inside* the loss;
# - translate between the names of TensorFlow, Keras, PyTorch and `ce_teach`;
# - weight examples, classes or positives, and see what each does to the gradient;
# - estimate a loss over 50 000 classes from a few sampled ones, and see why evaluation still uses them all.
#
# **Prerequisites:** [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb) (the stable sigmoid loss,
# `pos_weight`) and [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb) (softmax, sparse labels,
# `from_logits`). Notation as in [00 · Start here](00_start_here.ipynb): $x$ logits, $y$ one-hot or soft labels, $c$
# the index of the true class, $z$ a 0/1 label, $\sigma$ the sigmoid, $S(x)$ the softmax, $w_+$ `pos_weight`, $k$ the
# number of sampled classes, $\ln$ natural log (nats).

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. One loss, two activations
#
# Every classifier here minimises the same thing, the cross-entropy $-\log q(\text{truth})$. What differs is how the
# logits $x$ become the probabilities $q$:
#
# - **exactly one of $C$ classes is right** (a digit, the next word): **softmax**, $q = S(x)$. The probabilities sum
#   to 1, so the classes compete. Loss: $-\log S(x)_c$.
# - **independent yes/no questions** (spam or not; which of 10 tags fit a photo): a **sigmoid** per output,
#   $q_i = \sigma(x_i)$, each its own two-outcome problem. Loss: $-z_i\log\sigma(x_i) - (1 - z_i)\log(1 - \sigma(x_i))$
#   per output.
#
# The same three logits for a photo, read both ways:

# %%
tags = ["cat", "dog", "man"]
x_photo = np.array([2.0, -1.0, 1.5])
q_softmax, q_sigmoid = ct.softmax(x_photo), ct.sigmoid(x_photo)
print("           " + "".join(f"{t:>8}" for t in tags) + "     sum")
print("softmax    " + "".join(f"{q:8.4f}" for q in q_softmax) + f"  {q_softmax.sum():6.4f}   one answer: which?")
print("sigmoid    " + "".join(f"{q:8.4f}" for q in q_sigmoid) + f"  {q_sigmoid.sum():6.4f}   three answers: yes or no?")

# %% [markdown]
# **Predict first:** the photo shows a cat *and* a man, tags $z = (1, 0, 1)$. Make the logits as confident as you
# like. How low can the sigmoid loss go? And softmax, whose best target is $(\tfrac12, 0, \tfrac12)$?

# %% jupyter={"outputs_hidden": true}
z_photo = np.array([1.0, 0.0, 1.0])
confident = np.array([20.0, -20.0, 20.0])
sigmoid_best = float(ct.sigmoid_cross_entropy_with_logits(z_photo, confident).sum())
softmax_best = float(ct.softmax_cross_entropy_with_logits(z_photo / z_photo.sum(), confident))
print("the photo, with confident logits:")  # a collapsed output shows its first line: no answer in it
print(f"  sigmoid loss  {sigmoid_best:.3e} nats")
print(f"  softmax loss  {softmax_best:.6f} nats")

# %% [markdown]
# <details><summary>Answer</summary>
#
# The sigmoid loss goes to 0: each tag is its own question, and "yes, no, yes" can be said with certainty. Softmax can
# at best say "cat *or* man", $q = (\tfrac12, 0, \tfrac12)$, at a loss of $H(\tfrac12, \tfrac12) = \ln 2$. Which reading
# is right is a property of the **data**, not of the model.
# </details>
#
# **Two classes: both are right.** $\sigma(x) = e^x/(e^x + e^0) = S([x, 0])_0$, so the sigmoid loss of logit $x$ and
# label $z$ is the softmax loss of logits $(x, 0)$ and label row $(z, 1 - z)$, even for soft labels:

# %%
x_grid = np.linspace(-30.0, 30.0, 121)
z_grid = rng.random(121)
as_sigmoid = ct.sigmoid_cross_entropy_with_logits(z_grid, x_grid)
as_softmax = ct.softmax_cross_entropy_with_logits(np.stack([z_grid, 1 - z_grid], axis=1),
                                                  np.stack([x_grid, np.zeros(121)], axis=1))
ct.checks.compare("sigmoid(x) loss vs softmax([x, 0]) loss", as_sigmoid, as_softmax, rtol=1e-13)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Sparse variants: the same loss, another label format
#
# A softmax label is a one-hot (or soft) row, or the index $c$ of the true class. The loss is the same number; the
# sparse form never builds the one-hot matrix, which matters when $C$ is large. Old TensorFlow code turns one-hot
# labels `y_` into indices with `tf.argmax(y_, 1)`, the maximum along axis 1:

# %%
x_cls = rng.normal(0.0, 3.0, size=(6, 5))
y_cls = rng.integers(0, 5, size=6)
one_hot = np.eye(5)[y_cls]
sparse = ct.sparse_softmax_cross_entropy_with_logits(y_cls, x_cls)
print("class indices:", y_cls, "  argmax(one_hot, 1):", np.argmax(one_hot, 1))
print("sparse loss:  ", np.array2string(sparse, precision=6, floatmode="fixed"))
assert np.array_equal(np.argmax(one_hot, 1), y_cls), "argmax(y_, 1) recovers the indices"
ct.checks.compare("sparse == one-hot loss", ct.softmax_cross_entropy_with_logits(one_hot, x_cls), sparse, rtol=1e-15)
ct.checks.compare("sparse == sparse of argmax(one-hot)", ct.sparse_softmax_cross_entropy_with_logits(
    np.argmax(one_hot, 1), x_cls), sparse, rtol=0)
tokens, vocabulary = 64 * 512, 50_000  # a batch of 64 sequences of 512 tokens
print(f"one-hot labels, float32: {tokens * vocabulary * 4 / 1e9:.2f} GB;  integer labels, int64: {tokens * 8 / 1e3:.0f} kB")

# %% [markdown]
# `argmax` is only safe for one-hot rows: for a soft label it keeps the largest class and drops the rest.
#
# ### Fuse the activation into the loss
#
# You could apply the sigmoid yourself and hand the probabilities to a loss. Don't: $\sigma(40)$ rounds to exactly 1,
# and a probability loss must clip before the log (Keras 3 clips to $[\delta, 1 - \delta]$ with $\delta = 10^{-7}$, which
# Keras calls `epsilon`; PyTorch's `BCELoss` clamps each log at $-100$). The fused functions (`*_with_logits`,
# `from_logits=True`, `BCEWithLogitsLoss`, `CrossEntropyLoss`) work on the logits with the stable formulas of
# [04](04_sigmoid_bce.ipynb). Four saturated examples with Keras 3 semantics (`ct.binary_crossentropy`):

# %%
x_sat = np.array([25.0, 40.0, -20.0, 20.0])
z_sat = np.array([0.0, 0.0, 1.0, 1.0])  # three confident mistakes, one confident right answer


def unfused(x):
    return ct.binary_crossentropy(z_sat[:, None], ct.sigmoid(x)[:, None])  # probabilities → clip → log


def fused(x):
    return ct.binary_crossentropy(z_sat[:, None], x[:, None], from_logits=True)  # logits all the way


# finite differences of the summed loss minus its value at x_sat, so a tiny loss is not drowned by the large ones
grad_unfused = ct.numerical_gradient(lambda x: (unfused(x) - unfused(x_sat)).sum(), x_sat)
grad_fused = ct.numerical_gradient(lambda x: (fused(x) - fused(x_sat)).sum(), x_sat)
print(" logit  label   loss, unfused    loss, fused     ∂/∂x unfused  ∂/∂x fused")
for i in range(4):
    print(f"{x_sat[i]:6.0f}  {z_sat[i]:5.0f}   {unfused(x_sat)[i]:13.6e}  {fused(x_sat)[i]:13.6e}"
          f"   {grad_unfused[i]:11.3g}  {grad_fused[i]:10.3g}")

# %%
ceiling = -np.log(1e-7)  # Keras 3's largest loss for a clipped probability
ct.checks.compare("unfused: confident mistakes all cost −ln 1e-7", unfused(x_sat)[:3], np.full(3, ceiling), rtol=1e-6)
ct.checks.compare("fused: the true losses, softplus(±x)", fused(x_sat), ct.softplus(np.where(z_sat == 1, -x_sat, x_sat)),
                  rtol=1e-15)
assert np.all(grad_unfused == 0.0), "behind the clip the gradient is exactly 0: no learning from these examples"
ct.checks.compare("fused gradient vs σ(x) − z", grad_fused, ct.sigmoid(x_sat) - z_sat, rtol=1e-6)
assert sigmoid_best < 1e-8, "the photo: the sigmoid loss goes to 0"  # the first prediction, checked screens later
ct.checks.compare("the photo: softmax's floor is H(½, ½) = ln 2", softmax_best, np.log(2), rtol=1e-12)

# %% [markdown]
# The unfused path charges the same 16.118 nats (Keras 3's cap, $-\ln\delta$; tf.keras 2.x capped at 15.42, see
# [08](08_pitfalls.ipynb)) to a mistake at logit 25 and one at logit 40, and its gradient is **exactly 0** on all four:
# the model stops learning from its most confident mistakes. The fused gradient is $\sigma(x) - z$.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. A decision table
#
# | task | labels, per example | activation | `ce_teach` function |
# |---|---|---|---|
# | yes/no (spam?) | one 0 or 1 | sigmoid | `ct.sigmoid_cross_entropy_with_logits` |
# | yes/no, rare positives | one 0 or 1 | sigmoid | `ct.weighted_cross_entropy_with_logits(..., pos_weight)` |
# | multi-label (tags) | a 0 or 1 per tag | sigmoid per tag | `ct.sigmoid_cross_entropy_with_logits` |
# | one of $C$, one-hot or soft | a probability row | softmax | `ct.softmax_cross_entropy_with_logits` |
# | one of $C$, class index | one integer in $[0, C)$ | softmax | `ct.sparse_softmax_cross_entropy_with_logits` |
# | one of $C$, class weights or padding | one integer | softmax | `ct.class_weighted_sparse_cross_entropy` |
# | one of $C$, $C$ huge (training only) | one integer | softmax | `ct.sampling.sampled_softmax_cross_entropy` |
#
# The table is executable: each row's function on a label of its format, then two labels in the wrong format, which
# the package refuses with a message that says what was expected.

# %%
rows = {
    "yes/no": lambda: ct.sigmoid_cross_entropy_with_logits([1.0, 0.0], [2.0, -1.0]),
    "yes/no, rare positives": lambda: ct.weighted_cross_entropy_with_logits([1.0, 0.0], [2.0, -1.0], pos_weight=9.0),
    "multi-label": lambda: ct.sigmoid_cross_entropy_with_logits([[1.0, 0.0, 1.0]], [[2.0, -1.0, 1.5]]),
    "one of C, one-hot": lambda: ct.softmax_cross_entropy_with_logits([[1.0, 0.0, 0.0]], [[2.0, -1.0, 1.5]]),
    "one of C, index": lambda: ct.sparse_softmax_cross_entropy_with_logits([0], [[2.0, -1.0, 1.5]]),
    "one of C, weights + padding": lambda: ct.class_weighted_sparse_cross_entropy(
        [0, -100], [[2.0, -1.0, 1.5], [0.0, 0.0, 0.0]], class_weight=[1.0, 2.0, 2.0], ignore_index=-100),
}
for task, call in rows.items():
    print(f"{task:<28} loss {np.array2string(np.asarray(call()), precision=4, floatmode='fixed')}")

# %%
wrong_formats = {
    "sigmoid loss, class indices 0…4": lambda: ct.sigmoid_cross_entropy_with_logits([[0, 3]], [[2.0, -1.0]]),
    "sparse loss, one-hot rows": lambda: ct.sparse_softmax_cross_entropy_with_logits([[1.0, 0.0, 0.0]], [[2.0, -1.0, 1.5]]),
}
for task, call in wrong_formats.items():
    try:
        call()
    except (TypeError, ValueError) as error:
        print(f"{task}:\n    {type(error).__name__}: {error}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. The same loss under other names
#
# What differs: the **argument order** (TensorFlow and `ce_teach`: labels first; PyTorch: input first; `tf.contrib`:
# logits first), whether the activation is **fused**, and how a batch is **reduced** (a `ce_teach` loss returns one
# loss per example, except `ct.class_weighted_sparse_cross_entropy`).
#
# Framework words in the tables: a **reduction** turns a batch's per-example losses into one number (a mean, a sum,
# or a weighted mean); **`sample_weight`** is a weight per example, passed with the batch; **`class_weight`**, given
# to Keras' training loop `fit`, weights each example by its class; **`tf.contrib`** was TensorFlow 1's package of
# contributed, experimental code.
#
# | TensorFlow | notes | `ce_teach` |
# |---|---|---|
# | `tf.nn.sigmoid_cross_entropy_with_logits(labels=, logits=)` | elementwise | `ct.sigmoid_cross_entropy_with_logits` |
# | `tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight)` | scales the positive term | `ct.weighted_cross_entropy_with_logits` |
# | `tf.nn.softmax_cross_entropy_with_logits(labels=, logits=)` | TF 1 called this `..._v2` | `ct.softmax_cross_entropy_with_logits` |
# | `tf.nn.sparse_softmax_cross_entropy_with_logits(labels=, logits=)` | out-of-range labels: error on CPU, `nan` on GPU | `ct.sparse_softmax_cross_entropy_with_logits` |
# | `tf.nn.sparse_softmax_cross_entropy_with_logits_v2` | **does not exist**: only the non-sparse op has a `_v2` | — |
# | `tf.compat.v1.losses.*` (TF 1's `tf.losses.*`) | `weights=`, `label_smoothing=`; divide by the number of non-zero weights | the same, then reduce |
# | `tf.contrib.losses.*` | deprecated in 2016, gone in TF 2; **logits first** | as above |
#
# TF 1's `tf.nn.softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, ...)` starts with a
# dummy `_sentinel`: a positional call fills it and raises "Only call ... with named arguments (labels=...,
# logits=..., ...)": it forces keyword arguments, "to avoid confusion" says its docstring (source in Going deeper).
#
# | Keras 3 (`keras.losses`) | notes | `ce_teach` |
# |---|---|---|
# | `BinaryCrossentropy(from_logits=False)` | clips probabilities to $[10^{-7}, 1 - 10^{-7}]$ | `ct.binary_crossentropy` |
# | `CategoricalCrossentropy(from_logits=False)` | one-hot or soft rows | `ct.categorical_crossentropy` |
# | `SparseCategoricalCrossentropy(from_logits=False, ignore_class=None)` | integer labels | `ct.sparse_categorical_crossentropy` |
# | `from_logits=True` | the fused, stable path | the `*_with_logits` functions |
# | `reduction="sum_over_batch_size"` (default) | $\sum_n w_n \ell_n / N$: the weights are not in the denominator | `ct.weighted_mean` differs: $\div \sum_n w_n$ |
# | `sample_weight=w`; `fit(class_weight={c: w_c})` | per-example weights; `class_weight` gives $w_n = w_{c_n}$ | multiply, then reduce |
#
# | PyTorch (`loss(input, target)`) | notes | `ce_teach` |
# |---|---|---|
# | `BCEWithLogitsLoss(weight=None, pos_weight=None)` | fused; `pos_weight` per class | `ct.weighted_cross_entropy_with_logits` |
# | `CrossEntropyLoss(weight=None, ignore_index=-100, label_smoothing=0.0)` | logits; index or probability targets; with `weight`, the mean is $\sum_n w_{c_n}\ell_n / \sum_n w_{c_n}$ | `ct.class_weighted_sparse_cross_entropy` |
# | `NLLLoss(weight=None)` | takes **log-probabilities**: `CrossEntropyLoss` = `NLLLoss` ∘ `log_softmax` | the same, on logits |
#
# Going deeper checks every PyTorch row against `ce_teach`, number for number.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Weighting: examples, classes, positives
#
# | weight | multiplies | typical use |
# |---|---|---|
# | per-example $w_n$ | the whole loss $\ell_n$ | doubtful labels, importance weights |
# | class weight $w_c$ | the loss of every example of class $c$: $w_n = w_{c_n}$ | rare classes, softmax |
# | `pos_weight` $w_+$ | only the positive term $-z\log\sigma(x)$ of an output | rare positives, sigmoid |
#
# A class weight is a per-example weight chosen by the label; `pos_weight` weighs a *term*, since in a multi-label task
# one example is positive for some tags and negative for others. An imbalanced problem, 85 % / 12 % / 3 %:

# %%
rates = np.array([0.85, 0.12, 0.03])
names = ["common", "uncommon", "rare"]
y_imb = rng.choice(3, size=300, p=rates)
counts = np.bincount(y_imb, minlength=3)
x_imb = np.log(rates) + 1.5 * np.eye(3)[y_imb] + rng.normal(0.0, 1.0, size=(300, 3))  # base rates + a little
losses_imb = ct.sparse_softmax_cross_entropy_with_logits(y_imb, x_imb)
balanced = ct.balanced_class_weights(y_imb, 3)  # w_c = N / (C·n_c)
print("class       examples   balanced weight w_c   n_c·w_c")
for c in range(3):
    print(f"{names[c]:<10} {counts[c]:9d}   {balanced[c]:19.4f}   {counts[c] * balanced[c]:7.1f}")

# %% [markdown]
# **What a weight does to the gradient.** Example $n$ pushes on its logits with $w_n\,(S(x_n) - y_n)$
# ([05](05_softmax_ce.ipynb)). Unweighted, the many common examples take a large share of the total push; balanced
# weights give every class the same total weight $N/C = 100$, and the rare class, which the model gets wrong most,
# takes the lead:

# %%
gradients = ct.softmax(x_imb) - np.eye(3)[y_imb]  # ∂ℓ_n/∂x_n, one row per example
push = np.abs(gradients).sum(axis=1)  # size of each example's push (L1 norm)
share = {}
for label, w in (("unweighted", np.ones(3)), ("class-weighted", balanced)):
    per_class = np.array([np.sum(w[c] * push[y_imb == c]) for c in range(3)])
    share[label] = per_class / per_class.sum()
print("share of the total push     " + "".join(f"{n:>10}" for n in names))
for label, s in share.items():
    print(f"{label:<26}  " + "".join(f"{v:10.1%}" for v in s))
assert share["class-weighted"][2] > 0.5 > share["unweighted"][2] and share["class-weighted"][0] < share["unweighted"][0]

# %% [markdown]
# The price: a class-weighted model's probabilities drift towards the rare classes and no longer match the base rates
# (Going deeper finds the best constant prediction, uniform with balanced weights).
#
# **The same weights, two different numbers.** PyTorch's `CrossEntropyLoss(weight=w)` reports
# $\sum_n w_{c_n}\ell_n / \sum_n w_{c_n}$; Keras 3 with `class_weight` and its default reduction reports
# $\sum_n w_{c_n}\ell_n / N$. Over the whole data set balanced weights make $\sum_n w_{c_n} = N$ and the two agree; on a
# mini-batch the ratio $\sum_n w_{c_n}/N$ changes with the batch's mix of classes:

# %%
w_imb = balanced[y_imb]
batch_stats = []
print("batch   rare in batch   PyTorch-style   Keras-style   ratio Σw/N")
for b in range(5):
    batch = slice(30 * b, 30 * b + 30)
    torch_style = float(ct.weighted_mean(losses_imb[batch], w_imb[batch]))
    keras_style = float(np.mean(w_imb[batch] * losses_imb[batch]))  # Keras 3 keras/src/losses/loss.py, reduce_values
    batch_stats.append((torch_style, keras_style, w_imb[batch].sum() / 30))
    print(f"{b:5d}   {np.sum(y_imb[batch] == 2):13d}   {torch_style:13.6f}   {keras_style:11.6f}   {w_imb[batch].sum() / 30:10.4f}")
stats = np.array(batch_stats)
ct.checks.compare("per batch: Keras / PyTorch = Σw / N", stats[:, 1] / stats[:, 0], stats[:, 2], rtol=1e-12)
ct.checks.compare("whole set: PyTorch-style = Keras-style", ct.weighted_mean(losses_imb, w_imb),
                  np.mean(w_imb * losses_imb), rtol=1e-12)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### `pos_weight` for multi-label data
#
# Three tags with positive rates 50 %, 10 % and 2 %. For tag $i$ with $n^+_i$ positives and $n^-_i$ negatives,
# $w_+ = n^-_i/n^+_i$ (`ct.pos_weight_from_labels`). At the start ($x = 0$, $\sigma = \tfrac12$) a positive pushes with
# $w_+(\sigma - 1) = -w_+/2$ and a negative with $\sigma = \tfrac12$, so the positives' share of the push on tag $i$ is
# $w_+ n^+_i/(w_+ n^+_i + n^-_i)$: exactly one half with $w_+ = n^-_i/n^+_i$, whatever the imbalance.

# %%
tag_rates = np.array([0.5, 0.1, 0.02])
z_tags = (rng.random((300, 3)) < tag_rates).astype(float)
w_tags = ct.pos_weight_from_labels(z_tags)
x0 = np.zeros((300, 3))


def pos_weight_grad(w_plus, x):
    """∂L/∂x = (w₊·z + 1 − z)·σ(x) − w₊·z, elementwise (04, section 7)."""
    return (w_plus * z_tags + 1 - z_tags) * ct.sigmoid(x) - w_plus * z_tags


shares = {}
for label, w_plus in (("plain", np.ones(3)), ("pos_weight", w_tags)):
    grad = pos_weight_grad(w_plus, x0)
    shares[label] = np.abs(grad * z_tags).sum(axis=0) / np.abs(grad).sum(axis=0)
print("tag   positives   pos_weight n⁻/n⁺   positives' share: plain   with pos_weight")
for i in range(3):
    print(f"{i:3d}   {int(z_tags[:, i].sum()):9d}   {w_tags[i]:14.3f}   {shares['plain'][i]:23.3f}   {shares['pos_weight'][i]:15.3f}")

# %%
few = z_tags[:5]  # the gradient formula against finite differences on the first 5 examples
fd = ct.numerical_gradient(lambda x: float((ct.weighted_cross_entropy_with_logits(few, x, w_tags)
                                            - ct.weighted_cross_entropy_with_logits(few, x0[:5], w_tags)).sum()), x0[:5])
ct.checks.compare("pos_weight gradient vs finite differences", pos_weight_grad(w_tags, x0)[:5], fd, rtol=1e-6)
ct.checks.compare("plain: share = n⁺ / N", shares["plain"], z_tags.sum(axis=0) / 300)
ct.checks.compare("pos_weight n⁻/n⁺: share = ½ for every tag", shares["pos_weight"], np.full(3, 0.5))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Huge class counts: a sampled estimate
#
# A language model with $V = 50\,000$ words computes, for each position, the logits $x_j = h\cdot W_j + b_j$ of
# **every** word ($h$: the network's last hidden layer, its summary of the text so far; $W_j$, $b_j$: word $j$'s
# weights). The loss is $\ell = \log Z - x_c$ with $Z = \sum_j e^{x_j}$, and only $Z$ needs all $V$ logits.
# Our stand-in: 32 hidden units, seeded random weights, biases $b_j = -\ln(j + 1)$ (word $j$ about $1/(j + 1)$ as
# frequent as word 0, as Zipf's law says of real text), a batch of 64 positions with labels drawn from the model's
# own softmax.

# %%
V, d, B = 50_000, 32, 64
W = rng.normal(0.0, 1.5 / np.sqrt(d), size=(V, d))  # output embeddings, one row per word
b = -np.log(np.arange(1, V + 1))  # Zipf-like: frequent words first
h = rng.normal(0.0, 1.0, size=(B, d))  # hidden states of the batch
logits = h @ W.T + b  # (B, V): the expensive part
labels = np.argmax(logits + rng.gumbel(size=logits.shape), axis=1)  # Gumbel-max: labels ~ softmax(logits)
exact = ct.sparse_softmax_cross_entropy_with_logits(labels, logits)  # the full softmax loss
exact_mean = float(exact.mean())
true_logits = logits[np.arange(B), labels]
print(f"exact mean loss of the batch: {exact_mean:.6f} nats (perplexity {np.exp(exact_mean):.0f})")

# %% [markdown]
# **Sampled softmax** estimates $Z$ from $k$ classes $s_j$ drawn from a cheap proposal $Q$ that roughly follows word
# frequency (TensorFlow's log-uniform, $Q(j) = \ln\frac{j + 2}{j + 1} / \ln(V + 1)$):
# $\hat Z = e^{x_c} + \frac1k\sum_j [s_j \ne c]\,e^{x_{s_j}}/Q(s_j)$. Dividing by $Q$ is the **log-Q correction**;
# $[s_j \ne c]$ (1 if $s_j \ne c$, else 0) drops accidental hits, draws that happen to be the label. The estimate needs $B(1 + k)$
# logits instead of $BV$ (`ct.sampling.sampled_softmax_cross_entropy`; derivation in Going deeper).
#
# **Predict first:** $\hat Z$ is right on average, $\mathbb{E}[\hat Z] = Z$. Is the estimated *loss*
# $\log\hat Z - x_c$, averaged over many draws, above the exact loss, below it, or equal?

# %% jupyter={"outputs_hidden": true}
Q = ct.sampling.log_uniform_probabilities(V)
k, draws = 64, 40
estimates = np.empty(draws)
for r in range(draws):
    cand = ct.sampling.sample_candidates(rng, k, V, unique=False)
    estimates[r] = ct.sampling.sampled_softmax_cross_entropy(
        labels, true_logits, cand.ids, h @ W[cand.ids].T + b[cand.ids],
        sampled_log_q=np.log(cand.expected_count(cand.ids))).mean()
error = estimates.std(ddof=1) / np.sqrt(draws)
print("the sampled estimates against the exact loss:")  # a collapsed output shows its first line: no answer in it
print(f"  {draws} draws of k = {k}, {V / (1 + k):.0f}× fewer logits; exact loss {exact_mean:.4f} nats")
print(f"  mean of the estimates {estimates.mean():.4f} ± {error:.4f} (standard error), spread per draw "
      f"{estimates.std(ddof=1):.4f};  mean − exact = {estimates.mean() - exact_mean:+.4f}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# Below: $\log$ is concave, so $\mathbb{E}[\log\hat Z] \le \log\mathbb{E}[\hat Z] = \log Z$ (Jensen's inequality). The
# bias is a few hundredths of a nat at $k = 64$ and shrinks as $k$ grows; each draw also scatters. Good enough to
# *train* on, where the next mini-batches average the noise away.
# </details>
#
# **Why evaluation uses the full softmax.** A reported loss or perplexity must be comparable across models and
# papers, so it must be the exact $-\log S(x)_c$: a sampled value is biased, random, and depends on $k$ and $Q$
# (TensorFlow's `sampled_softmax_loss` is several nats off, Going deeper). And it is affordable: evaluation runs the
# forward pass once per test example, with no gradients.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Exercise 1.** Write the decision table as code. `task` has the fields `task.exclusive` (True: exactly one class is
# right), `task.labels` (`"index"`, `"one-hot"`, `"soft"` or `"0/1"`), `task.rare_positives`, `task.padding` and
# `task.description`. Return the **name** of the loss, e.g. `"sigmoid_cross_entropy_with_logits"`; TensorFlow, Keras
# and PyTorch names are accepted where they compute the same loss (`ct.checks.choosing.TASKS` lists the tasks).

# %%
def my_loss_for(task):
    raise NotImplementedError  # your code here


ct.checks.loss_choice(my_loss_for)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_loss_for(task):
#     if not task.exclusive:  # independent yes/no outputs: sigmoid
#         return "weighted_cross_entropy_with_logits" if task.rare_positives else "sigmoid_cross_entropy_with_logits"
#     if task.labels == "index":  # one integer class per example: sparse softmax
#         return "class_weighted_sparse_cross_entropy" if task.padding else "sparse_softmax_cross_entropy_with_logits"
#     return "softmax_cross_entropy_with_logits"  # one-hot or soft probability rows
# ```
# </details>
#
# **Exercise 2.** Compute `pos_weight` for multi-label targets `labels` of shape $(N, C)$ with entries 0 or 1: one
# weight per column, negatives over positives.

# %%
def my_pos_weight(labels):
    raise NotImplementedError  # your code here


ct.checks.pos_weight(my_pos_weight)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_pos_weight(labels):
#     positives = labels.sum(axis=0)
#     return (labels.shape[0] - positives) / positives
# ```
# </details>
#
# **Exercise 3 (transfer).** The same model, batch and balanced class weights go through PyTorch's
# `CrossEntropyLoss(weight=w)` and through Keras 3 with `class_weight` (default reduction). PyTorch reports 0.80,
# Keras 1.20. Which one is wrong? What is $\sum_n w_{c_n}$ for this batch of 32, and what does it say about the batch?
#
# <details><summary>Answer</summary>
#
# Neither: both divide $\sum_n w_{c_n}\ell_n$, PyTorch by $\sum_n w_{c_n}$ and Keras by $N = 32$. So
# $\sum_n w_{c_n}\ell_n = 1.20 \cdot 32 = 38.4$ and $\sum_n w_{c_n} = 38.4 / 0.80 = 48$: the batch holds more than its
# share of rare, heavily weighted examples.
# </details>

# %%
assert estimates.mean() < exact_mean - 3 * error, "section 5: biased low, by more than 3 standard errors"

# %% [markdown]
# ## Takeaways
# - One loss, cross-entropy; two activations: softmax when exactly one class is right, a sigmoid per output for
#   independent yes/no questions. Sparse variants are the same loss with integer labels.
# - Give every loss logits: the probability path clips, caps a confident mistake (16.118 nats in Keras 3), and its
#   gradient there is exactly 0.
# - Per-example weights scale examples, class weights the examples of a class, `pos_weight` the positive term. PyTorch
#   divides by $\sum_n w_{c_n}$, Keras by $N$.
# - For huge $C$, sampled softmax estimates the loss from $B(1 + k)$ logits instead of $BV$, biased low and noisy: for
#   training only; evaluation computes the full softmax.
#
# **Next:** [08 · Pitfalls](08_pitfalls.ipynb): a bug hunt through the mistakes this collection has warned about.

# %% [markdown]
# ## Going deeper
#
# ### TensorFlow's `_sentinel` and the `_v2` names, in its source
#
# In `tensorflow/python/ops/nn_ops.py`, TF 1's `softmax_cross_entropy_with_logits(_sentinel=None, labels=None,
# logits=None, dim=-1, name=None, axis=None)` and `sparse_softmax_cross_entropy_with_logits(_sentinel=None,
# labels=None, logits=None, name=None)` both call `_ensure_xent_args(name, sentinel, labels, logits)`, which raises
# `ValueError("Only call `%s` with named arguments (labels=..., logits=..., ...)")` when `_sentinel` is not None; the
# docstring calls it "Used to prevent positional parameters. Internal, do not use." The file also defines a Python
# function `sparse_softmax_cross_entropy_with_logits_v2`, but exports it under `@tf_export("nn.sparse_softmax_cross_entropy_with_logits", v1=[])`:
# the public name `tf.nn.sparse_softmax_cross_entropy_with_logits_v2` exists in neither API, while
# `tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2` does (`@tf_export(v1=["nn.softmax_cross_entropy_with_logits_v2"])`).
# The same guard in a few lines of Python:

# %%
def tf1_style_loss(_sentinel=None, labels=None, logits=None):
    """TF 1's calling convention: keyword arguments only, enforced by a dummy first parameter."""
    if _sentinel is not None:
        raise ValueError("Only call `tf1_style_loss` with named arguments (labels=..., logits=..., ...)")
    return ct.softmax_cross_entropy_with_logits(labels, logits)


print(f"keywords: {float(tf1_style_loss(labels=one_hot[0], logits=x_cls[0])):.6f}")
try:
    tf1_style_loss(x_cls[0], one_hot[0])  # logits first, as tf.contrib had it: the guard catches it
except ValueError as error:
    print(f"positional: ValueError: {error}")
    assert "named arguments" in str(error)
else:
    raise AssertionError("the guard did not fire")

# %% [markdown]
# ### The PyTorch rows, checked
#
# Each PyTorch row on small seeded inputs, next to the `ce_teach` expression for the same number. The PyTorch values
# were computed once, in float64, with torch 2.13.0 on this project's CPU, and are stored; where PyTorch is installed
# the cell recomputes them and asserts that they have not changed.

# %%
parity_rng = np.random.default_rng(7)  # its own generator: these inputs do not depend on the cells above
xb = parity_rng.normal(0.0, 2.0, size=(6, 3))  # 6 examples × 3 yes/no outputs: logits
zb = (parity_rng.random((6, 3)) < 0.4).astype(float)  # their 0/1 labels
w_out = np.array([1.5, 3.0, 0.5])  # pos_weight per output
w_rows = np.array([1.0, 0.5, 2.0, 1.0, 0.0, 3.0])  # a weight per example
xc = parity_rng.normal(0.0, 2.0, size=(6, 4))  # 6 examples × 4 classes: logits
yc = parity_rng.integers(0, 4, size=6)  # class labels
yc_pad = np.where(np.isin(np.arange(6), [1, 4]), -100, yc)  # two of them padding
w_cls = np.array([0.5, 2.0, 1.0, 3.0])  # class weights
p_soft = parity_rng.dirichlet(np.ones(4), size=6)  # probability targets

# %%
ce_rows = {  # PyTorch call → the ce_teach expression for the same number
    "BCEWithLogitsLoss()": lambda: ct.sigmoid_cross_entropy_with_logits(zb, xb).mean(),
    "BCEWithLogitsLoss(pos_weight=w₊)": lambda: ct.weighted_cross_entropy_with_logits(zb, xb, w_out).mean(),
    "BCEWithLogitsLoss(weight=w[:, None])": lambda: (w_rows[:, None] * ct.sigmoid_cross_entropy_with_logits(zb, xb)).mean(),
    "BCELoss() on sigmoid(x)": lambda: ct.binary_crossentropy(zb, ct.sigmoid(xb)).mean(),
    "CrossEntropyLoss()": lambda: ct.sparse_softmax_cross_entropy_with_logits(yc, xc).mean(),
    "CrossEntropyLoss(weight=w)": lambda: ct.weighted_mean(ct.sparse_softmax_cross_entropy_with_logits(yc, xc), w_cls[yc]),
    "CrossEntropyLoss(w, ignore, smoothing 0.1)": lambda: ct.class_weighted_sparse_cross_entropy(
        yc_pad, xc, class_weight=w_cls, ignore_index=-100, label_smoothing=0.1),
    "CrossEntropyLoss(reduction='sum'), ignore": lambda: ct.class_weighted_sparse_cross_entropy(
        yc_pad, xc, ignore_index=-100, reduction="sum"),
    "CrossEntropyLoss(), probability targets": lambda: ct.softmax_cross_entropy_with_logits(p_soft, xc).mean(),
    "NLLLoss(weight=w) on log_softmax(x)": lambda: ct.class_weighted_sparse_cross_entropy(yc, xc, class_weight=w_cls),
    "F.kl_div(log_softmax(x), p, 'batchmean')": lambda: ct.kl_divergence(p_soft, ct.softmax(xc)).mean(),
}

# %%
def torch_rows(torch):
    """The same rows computed by PyTorch (float64 tensors)."""
    nn, t = torch.nn, torch.from_numpy
    return {
        "BCEWithLogitsLoss()": nn.BCEWithLogitsLoss()(t(xb), t(zb)),
        "BCEWithLogitsLoss(pos_weight=w₊)": nn.BCEWithLogitsLoss(pos_weight=t(w_out))(t(xb), t(zb)),
        "BCEWithLogitsLoss(weight=w[:, None])": nn.BCEWithLogitsLoss(weight=t(w_rows[:, None]))(t(xb), t(zb)),
        "BCELoss() on sigmoid(x)": nn.BCELoss()(torch.sigmoid(t(xb)), t(zb)),
    } | torch_ce_rows(torch)


# %%
def torch_ce_rows(torch):
    """The softmax rows computed by PyTorch (float64 tensors)."""
    nn, F, t = torch.nn, torch.nn.functional, torch.from_numpy
    return {
        "CrossEntropyLoss()": nn.CrossEntropyLoss()(t(xc), t(yc)),
        "CrossEntropyLoss(weight=w)": nn.CrossEntropyLoss(weight=t(w_cls))(t(xc), t(yc)),
        "CrossEntropyLoss(w, ignore, smoothing 0.1)": nn.CrossEntropyLoss(weight=t(w_cls), label_smoothing=0.1)(
            t(xc), t(yc_pad)),
        "CrossEntropyLoss(reduction='sum'), ignore": nn.CrossEntropyLoss(reduction="sum")(t(xc), t(yc_pad)),
        "CrossEntropyLoss(), probability targets": nn.CrossEntropyLoss()(t(xc), t(p_soft)),
        "NLLLoss(weight=w) on log_softmax(x)": nn.NLLLoss(weight=t(w_cls))(F.log_softmax(t(xc), dim=1), t(yc)),
        "F.kl_div(log_softmax(x), p, 'batchmean')": F.kl_div(F.log_softmax(t(xc), dim=1), t(p_soft), reduction="batchmean"),
    }


# %%
# Produced once with torch 2.13.0+cpu: torch_rows(torch) on the inputs above, each value printed with
# repr(float(value)). ce_teach must agree to 1e-12 (relative); a live torch to 4 ulps (its vectorised kernels
# may round the last bit differently on another CPU).
RECORDED_TORCH = {
    "BCEWithLogitsLoss()": 1.031027741090525,
    "BCEWithLogitsLoss(pos_weight=w₊)": 1.1900404109604739,
    "BCEWithLogitsLoss(weight=w[:, None])": 1.0895243802912629,
    "BCELoss() on sigmoid(x)": 1.031027741090525,
    "CrossEntropyLoss()": 1.000397201524662,
    "CrossEntropyLoss(weight=w)": 1.0533859161538306,
    "CrossEntropyLoss(w, ignore, smoothing 0.1)": 1.2820880741932072,
    "CrossEntropyLoss(reduction='sum'), ignore": 4.468319190042816,
    "CrossEntropyLoss(), probability targets": 2.158071603568266,
    "NLLLoss(weight=w) on log_softmax(x)": 1.0533859161538306,
    "F.kl_div(log_softmax(x), p, 'batchmean')": 1.0596208682317276,
}

# %%
import importlib.util
import warnings

print(f"{'PyTorch':<44} {'value':>16}")
for name, expression in ce_rows.items():
    ours = float(expression())
    assert abs(ours - RECORDED_TORCH[name]) <= 1e-12 * abs(RECORDED_TORCH[name]), name
    print(f"{name:<44} {ours:16.12f}")
if importlib.util.find_spec("torch") is not None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # whatever torch says on import is not part of this notebook
        import torch
    for name, value in torch_rows(torch).items():
        assert abs(float(value) - RECORDED_TORCH[name]) <= 4 * np.spacing(RECORDED_TORCH[name]), f"{name}: {float(value)!r}"

# %% [markdown]
# ### PyTorch's `CrossEntropyLoss`: class weights, padding and label smoothing together
#
# Language models pad sentences and mark the padding with a label to ignore (PyTorch's default `ignore_index` is
# $-100$); many also smooth the labels, $(1 - \varepsilon)\,y + \varepsilon/C$. With class weights $w$ and
# $\ell_{nj} = -\log S(x_n)_j$, PyTorch computes:
#
# | step | because |
# |---|---|
# | $\text{loss}_n = (1 - \varepsilon)\,w_{c_n}\,\ell_{n c_n} + \dfrac{\varepsilon}{C}\sum_j w_j\,\ell_{nj}$ | the smoothed target, each class's term weighted by that class's weight |
# | $\text{loss}_n = 0$ where $c_n$ = `ignore_index` | padding does not count ... |
# | $\text{mean} = \sum_n \text{loss}_n \,\big/ \sum_{n \text{ not ignored}} w_{c_n}$ | ... not even in the denominator |
#
# `ct.class_weighted_sparse_cross_entropy` against the three lines in NumPy, on two padded sentences over 5 words:

# %%
vocab, pad, smoothing = 5, -100, 0.1
x_lm = rng.normal(0.0, 2.0, size=(2, 6, vocab))  # 2 sentences × 6 positions × 5 token logits
y_lm = np.array([[3, 1, 4, 1, pad, pad], [2, 0, 4, pad, pad, pad]])
w_vocab = np.array([0.5, 1.0, 2.0, 1.0, 1.5])
neg_log_q = -ct.log_softmax(x_lm)
kept = y_lm != pad
label_ids = np.where(kept, y_lm, 0)
nll = np.take_along_axis(neg_log_q, label_ids[..., None], axis=-1)[..., 0]
by_hand = np.where(kept, (1 - smoothing) * w_vocab[label_ids] * nll
                   + smoothing / vocab * (neg_log_q * w_vocab).sum(axis=-1), 0.0)
mean_by_hand = by_hand.sum() / w_vocab[label_ids][kept].sum()
package = ct.class_weighted_sparse_cross_entropy(y_lm, x_lm, class_weight=w_vocab, ignore_index=pad,
                                                 label_smoothing=smoothing)
print(f"{kept.sum()} real tokens of {kept.size};  mean loss {float(package):.10f}")
ct.checks.compare("CrossEntropyLoss semantics: package vs by hand", package, mean_by_hand, rtol=1e-14)

# %% [markdown]
# A batch that is *all* padding has nothing to average: PyTorch returns `nan` (0/0). The package says what happened:

# %% tags=["raises-exception"]
ct.class_weighted_sparse_cross_entropy(np.full((2, 6), pad), x_lm, ignore_index=pad)

# %% [markdown]
# ### The best constant model under class weights
#
# Take the laziest model, the same logits for every example, $q = S(\text{logits})$. The weighted loss
# $\sum_n w_{c_n}(-\log q_{c_n})$ has gradient $q\sum_j n_j w_j - (n_j w_j)_j$, which is 0 at
# $q^\ast_j = n_j w_j / \sum_{j'} n_{j'} w_{j'}$: the base rates without weights, the uniform distribution with
# balanced weights.

# %%
for label, w in (("unweighted", np.ones(3)), ("class-weighted", balanced)):
    q_star = counts * w / np.sum(counts * w)
    grad = np.sum(w[y_imb][:, None] * (ct.softmax(np.broadcast_to(np.log(q_star), (300, 3))) - np.eye(3)[y_imb]), axis=0)
    print(f"{label:<15} best constant q* = {np.array2string(q_star, precision=4, floatmode='fixed')}")
    ct.checks.compare(f"{label}: weighted gradient at q* is 0", grad, np.zeros(3), atol=1e-12)

# %% [markdown]
# ### Sampled softmax, derived
#
# | step | because |
# |---|---|
# | $Z = e^{x_c} + \sum_{j \ne c} e^{x_j}$ | keep the true class's term, it is computed anyway |
# | $\sum_{j \ne c} e^{x_j} = \mathbb{E}_{s \sim Q}\!\left[[s \ne c]\,e^{x_s}/Q(s)\right]$ | multiply and divide by $Q(j) > 0$: importance sampling |
# | $\approx \sum_{j:\, s_j \ne c} e^{\,x_{s_j} - \log(k\,Q(s_j))}$ | average $k$ draws; $k\,Q(s)$ is the expected count of $s$ |
# | $\hat\ell = \log\!\Big(e^{x_c} + \sum_{j:\, s_j \ne c} e^{\,x_{s_j} - \log(k Q(s_j))}\Big) - x_c$ | $\ell = \log Z - x_c$ with $Z$ replaced by $\hat Z$ |
#
# The last line is a softmax cross-entropy over the $1 + k$ candidates, label first, after subtracting
# $\log(k\,Q(s_j))$ (the log-Q correction) and dropping accidental hits $s_j = c$. One draw, five variants: without
# the correction; keeping the hits; TensorFlow's `sampled_softmax_loss`, which subtracts $\log(k\,Q(c))$ from the
# label's logit as well; and 64 *distinct* classes, TensorFlow's default (`unique=True`), whose expected counts are
# inclusion probabilities $1 - (1 - Q(s))^\text{tries}$.

# %%
cand = ct.sampling.sample_candidates(rng, k, V, unique=False)  # with replacement: expected counts exactly k·Q
sampled_logits = h @ W[cand.ids].T + b[cand.ids]  # B·k dot products
log_kq, label_log_kq = np.log(cand.expected_count(cand.ids)), np.log(cand.expected_count(labels))
variants = {
    "log-Q corrected, hits removed": dict(sampled_log_q=log_kq),
    "log-Q corrected, hits kept": dict(sampled_log_q=log_kq, remove_accidental_hits=False),
    "no correction": dict(),
    "TensorFlow's sampled_softmax_loss": dict(sampled_log_q=log_kq, true_log_q=label_log_kq),
}
sampled = {name: ct.sampling.sampled_softmax_cross_entropy(labels, true_logits, cand.ids, sampled_logits, **kw)
           for name, kw in variants.items()}
distinct = ct.sampling.sample_candidates(rng, k, V)  # unique=True, TensorFlow's default
sampled["log-Q corrected, 64 distinct classes"] = ct.sampling.sampled_softmax_cross_entropy(
    labels, true_logits, distinct.ids, h @ W[distinct.ids].T + b[distinct.ids],
    sampled_log_q=np.log(distinct.expected_count(distinct.ids)))

# %%
print(f"{'exact (full softmax)':<36} {exact_mean:9.4f} nats")
for name, loss in sampled.items():
    print(f"{name:<36} {loss.mean():9.4f} nats   ({loss.mean() - exact_mean:+.4f})")
assert np.allclose(sampled_logits, logits[:, cand.ids], rtol=1e-13, atol=1e-13)
hits = cand.ids[None, :] == labels[:, None]
z_hat = np.exp(true_logits) + np.where(hits, 0.0, np.exp(sampled_logits) / (k * Q[cand.ids])).sum(axis=1)
ct.checks.compare("corrected estimate = log Ẑ − x_c", sampled["log-Q corrected, hits removed"],
                  np.log(z_hat) - true_logits, rtol=1e-12)
tf_minus_estimate = sampled["TensorFlow's sampled_softmax_loss"] - sampled["log-Q corrected, hits removed"]
print(f"TensorFlow's value − the estimate: mean {tf_minus_estimate.mean():+.4f};  mean log(k·Q(label)): "
      f"{label_log_kq.mean():+.4f}")
assert abs(tf_minus_estimate.mean() - label_log_kq.mean()) < 0.25, "off by about log k·Q(label)"

# %% [markdown]
# TensorFlow's version answers a different question, *which of the candidates is the true one*; its optimum is,
# approximately, still $x = \log p$ plus a constant per example, so it trains the same model (Jean et al., 2015), but
# its value is off by about $\log(k\,Q(c))$.
#
# ### How large is the bias, and how does it shrink with $k$?
#
# Repeat the draw 200 times for each $k$ (30 times for the other variants). The textbook answer is a Taylor
# expansion of $\log$ at $Z$: with
# $u = \hat Z/Z - 1$, $\mathbb{E}\log(1 + u) \approx -\mathbb{E}[u^2]/2 = -\operatorname{Var}(\hat Z)/(2Z^2)$,
# which is $\propto 1/k$. The cell also computes the next term of the series, $+\mathbb{E}[u^3]/3$
# (`ce_teach.sampled_bias`).

# %%
ks, repetitions, few = np.array([16, 64, 256, 1024]), 200, 30  # the two other variants: 30 draws are enough
corrected, hits_kept, uncorrected = np.empty((ks.size, repetitions)), np.empty((ks.size, few)), np.empty((ks.size, few))
for i, k_i in enumerate(ks):
    for r in range(repetitions):
        draw = ct.sampling.sample_candidates(rng, int(k_i), V, unique=False)
        args = (labels, true_logits, draw.ids, logits[:, draw.ids])  # the logits a model would compute for them
        log_q = np.log(draw.expected_count(draw.ids))
        corrected[i, r] = ct.sampling.sampled_softmax_cross_entropy(*args, sampled_log_q=log_q).mean()
        if r < few:
            hits_kept[i, r] = ct.sampling.sampled_softmax_cross_entropy(
                *args, sampled_log_q=log_q, remove_accidental_hits=False).mean()
            uncorrected[i, r] = ct.sampling.sampled_softmax_cross_entropy(*args).mean()
bias, spread = corrected.mean(axis=1) - exact_mean, corrected.std(axis=1, ddof=1)
standard_error = spread / np.sqrt(repetitions)

# %%
from ce_teach.sampled_bias import bias_expansion, weight_moments

p_model = ct.softmax(logits)
mu2, mu3 = weight_moments(p_model, Q, labels)  # moments of one importance weight p/Q, per example
second, third = bias_expansion(mu2, mu3, ks)
skewness = np.median(mu3 / mu2**1.5)
print(f"one weight: relative variance μ₂ ≈ {np.median(mu2):.1f}, skewness ≈ {skewness:.0f} (medians over the batch)")
print("     k   measured bias ± s.e.   2nd order   + 3rd order   std per draw   k·bias")
for i, k_i in enumerate(ks):
    print(f"{k_i:6d}   {bias[i]:+.4f} ± {standard_error[i]:.4f}      {second[i]:+.4f}      {third[i]:+.4f}"
          f"       {spread[i]:.4f}   {k_i * bias[i]:+6.2f}")

# %%
assert np.all(bias < 0), "biased low at every k (Jensen)"
assert bias[0] > second[0] + 5 * standard_error[0] and second[0] / bias[0] > 1.5, "k = 16: 2nd order overshoots"
assert abs(third[0]) > abs(second[0]) and skewness > 5, "... because the series has not started to converge"
assert np.all(np.abs(bias[2:] - third[2:]) < 3 * standard_error[2:] + 1e-4), "k ≥ 256: the series describes it"
assert np.all(np.diff(spread) < 0) and 4 < spread[0] / spread[-1] < 12, "spread shrinks, roughly as 1/√k (÷8)"
kept_bias = hits_kept.mean(axis=1) - exact_mean
double_count = np.mean(np.log1p(p_model[np.arange(B), labels]))  # hits kept: E[Ẑ] = Z + e^{x_c}
assert abs(kept_bias[-1] - double_count - bias[-1]) < 3 * hits_kept[-1].std(ddof=1) / np.sqrt(few) + 1e-3

# %% [markdown]
# **What the numbers support.** The bias is negative at every $k$ and shrinks as $k$ grows. The second-order formula
# $-\operatorname{Var}(\hat Z)/(2Z^2)$ is only the first term of an *asymptotic* series: it describes the bias once
# $k$ is large compared with the spread and skewness of the importance weights $p/Q$, which are large here (a rare
# word the model likes has a tiny $Q$). At $k = 16$ the next term is larger than the first, and the formula
# overestimates the measured bias by more than half; from $k = 256$ on, the first two terms agree with the measurement within its
# standard error, and $k \cdot$ bias creeps towards the large-$k$ constant $-\overline{\mu_2}/2$. So "bias
# $\propto 1/k$" is the large-$k$ law, not a description of small $k$. (With weights this skewed, a few hundred draws
# can miss the rare large weights; `tests/test_truth_07.py` repeats the comparison with 1 500 draws at $k = 2048$.) The
# spread shrinks roughly like $1/\sqrt k$. Keeping accidental hits adds $\log(1 + p_c)$ on average, a bias no $k$ removes. Without the
# log-Q correction the estimate is not even consistent (left panel): it grows with $k$ instead of settling.

# %%
sampled_plot = plotting.draw_sampled_bias(ks, corrected, uncorrected, exact_mean, predicted_bias=second)
plt.show()

# %% [markdown]
# ### NCE: a different objective with the same optimum
#
# **Noise-contrastive estimation** turns the $V$-way problem into binary ones: is this class the data's label, or one
# of $k$ noise samples from $Q$? The model's logit $s_j$ is an *unnormalised* log-probability, and the log-odds of
# "data" against "noise" is $s_j - \log(k\,Q(j))$:
#
# $$\ell_\text{NCE} = -\log\sigma\big(s_c - \log kQ(c)\big) - \sum_{j=1}^{k} \log\Big(1 - \sigma\big(s_{s_j} - \log kQ(s_j)\big)\Big)$$
#
# (`ct.sampling.nce_loss`; TensorFlow's `tf.nn.nce_loss`). Averaged over labels and noise, its derivative with respect
# to $s_j$ is 0 exactly at $e^{s_j} = p_j$: the **normalised** model, for any $k$ and any $Q > 0$. NCE learns the
# normaliser; softmax losses cannot see it. Below, every logit of one example is shifted by the same amount:

# %%
k = 64
log_z = ct.logsumexp(logits)  # log Z of each example
offsets = np.linspace(-4.0, 4.0, 161)  # log Σ exp(shifted logits), 0 = normalised
nce_curve = np.array([ct.sampling.nce_expected_loss(logits[0] - log_z[0] + o, p_model[0], k, Q) for o in offsets])
nce_plot = plotting.draw_nce_objective(offsets, nce_curve)
plt.show()

# %%
normalised = logits - log_z[:, None]  # log p for every example


def nce_slope(log_scale):
    """d/dc of the expected NCE loss of every example when all its logits are shifted by c, at the given log Z."""
    u = normalised + log_scale - np.log(k * Q)
    return -(p_model * ct.sigmoid(-u)).sum(axis=1) + k * (Q * ct.sigmoid(u)).sum(axis=1)


numerical = ct.numerical_gradient(lambda c: float(ct.sampling.nce_expected_loss(normalised[0] + c[0], p_model[0], k, Q)),
                                  np.zeros(1))
print(f"slope at log Z = 0, all 64 examples: max |slope| = {np.abs(nce_slope(0.0)).max():.1e}")
assert np.abs(nce_slope(0.0)).max() < 1e-12 and np.all(nce_slope(-0.1) < 0) and np.all(nce_slope(0.1) > 0)
ct.checks.compare("slope, example 0: formula vs finite differences", nce_slope(0.0)[0], numerical[0], atol=1e-9)
assert abs(offsets[np.argmin(nce_curve)]) < 0.05 + 1e-12, "the smallest grid point is the normalised model"

# %% [markdown]
# At its optimum the NCE loss is not the cross-entropy, and it changes when every logit is shifted, while the
# cross-entropy and the sampled softmax do not notice:

# %%
true_normalised, sampled_normalised = true_logits - log_z, sampled_logits - log_z[:, None]
nce_sampled, nce_shifted = (ct.sampling.nce_loss(labels, true_normalised + c, cand.ids, sampled_normalised + c,
                                                 true_log_q=label_log_kq, sampled_log_q=log_kq) for c in (0.0, 2.0))
exact_shifted = ct.sparse_softmax_cross_entropy_with_logits(labels, normalised + 2.0)
sampled_shifted = ct.sampling.sampled_softmax_cross_entropy(labels, true_normalised + 2.0, cand.ids,
                                                            sampled_normalised + 2.0, sampled_log_q=log_kq)
print(f"NCE loss of the batch, one draw: {nce_sampled.mean():.4f} normalised, {nce_shifted.mean():.4f} with every "
      f"logit + 2;  exact cross-entropy {exact_mean:.4f}")
ct.checks.compare("softmax CE ignores a shift of every logit", exact_shifted, exact, rtol=1e-12)
ct.checks.compare("so does the sampled softmax", sampled_shifted, sampled["log-Q corrected, hits removed"], rtol=1e-12)
assert abs(nce_shifted.mean() - nce_sampled.mean()) > 1.0, "NCE does not: it sees the normaliser"

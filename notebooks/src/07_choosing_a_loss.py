# %% [markdown]
# # 07 · Choosing a loss
# One loss, two activations, many names: which cross-entropy to call, how to weight it, and what to do with 50 000 classes.
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/07_choosing_a_loss.ipynb)

# %% [markdown]
# **In this notebook you will**
# - pick the activation (sigmoid or softmax), the loss function and the label format for a task, and see why the
#   activation belongs *inside* the loss;
# - translate between the names, argument orders and reductions of TensorFlow, Keras, PyTorch and `ce_teach`, and
#   check the PyTorch ones numerically;
# - weight examples, classes or positives, and see what each does to the loss and to the balance of the gradient;
# - estimate a softmax loss over 50 000 classes from a few dozen sampled ones (sampled softmax, NCE), measure the
#   bias and the spread of the estimate, and see why evaluation still computes the full softmax.
#
# **Prerequisites:** [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb) (the stable sigmoid loss,
# `pos_weight`) and [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb) (softmax, sparse labels,
# Keras' `from_logits`). Notation as in [00 · Start here](00_start_here.ipynb): $x$ logits, $y$ or $z$ labels,
# $\sigma$ the sigmoid, $S(x)$ the softmax, $\ln$ natural log (nats).

# %%
import importlib.util
import warnings

import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. One loss, two activations
#
# Every classifier in this collection minimises the same thing: the cross-entropy $-\log q(\text{truth})$, the
# model's surprise at the right answer. What differs between tasks is only how the logits $x$ become the
# probabilities $q$:
#
# - **exactly one of $C$ classes is right** (a digit, the next word): **softmax**, $q = S(x)$. The $C$ probabilities
#   sum to 1, so the classes compete: raising one lowers the others. Loss: $-\log S(x)_y$.
# - **independent yes/no questions** (spam or not; which of 10 tags fit a photo, any number of them): a **sigmoid** per
#   output, $q_c = \sigma(x_c)$. Each output is its own two-outcome problem and nothing ties the outputs together.
#   Loss: the binary cross-entropy $-z_c\log\sigma(x_c) - (1 - z_c)\log(1 - \sigma(x_c))$ of each output.
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
# Softmax says "most likely a cat, possibly a man" (one answer). The sigmoids say "a cat: yes (88 %); a man: yes
# (82 %); a dog: no" (three answers). Which reading is right is a property of the **data**, not of the model: if the
# photo can show a cat *and* a man, only the sigmoids can say so with confidence. With the tags $z = (1, 0, 1)$ as
# targets, the sigmoid loss goes to 0 as the logits go to $(+\infty, -\infty, +\infty)$; softmax, given the
# normalised target $(\tfrac12, 0, \tfrac12)$, can do no better than $q = (\tfrac12, 0, \tfrac12)$, "cat *or* man",
# at a loss of $H(\tfrac12, \tfrac12) = \ln 2$:

# %%
z_photo = np.array([1.0, 0.0, 1.0])
confident = np.array([20.0, -20.0, 20.0])
sigmoid_best = float(ct.sigmoid_cross_entropy_with_logits(z_photo, confident).sum())
softmax_best = float(ct.softmax_cross_entropy_with_logits(z_photo / z_photo.sum(), confident))
print(f"sigmoid loss at logits ±20:  {sigmoid_best:.3e} nats (→ 0)")
print(f"softmax loss at logits ±20:  {softmax_best:.6f} nats (→ ln 2 = {np.log(2):.6f}, and no lower)")

# %%
assert sigmoid_best < 1e-8
ct.checks.compare("softmax, target (½, 0, ½): floor is H = ln 2", softmax_best, np.log(2), rtol=1e-12)

# %% [markdown]
# **Two classes: both are right.** A binary problem can use one logit and a sigmoid, or two logits and a softmax:
# $\sigma(x) = e^x/(e^x + e^0) = S([x, 0])_0$ ([04](04_sigmoid_bce.ipynb), section 8). So the sigmoid loss of logit
# $x$ and label $z$ equals the softmax loss of logits $(x, 0)$ and label row $(z, 1 - z)$, even for soft labels:

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
# For softmax, a label can be stored as a one-hot row (or any probability row) or as the index of the true class.
# The loss is the same number; only the encoding differs ([05](05_softmax_ce.ipynb), section 8). The sparse form
# never builds the one-hot matrix, which matters when $C$ is large:

# %%
x_cls = rng.normal(0.0, 3.0, size=(6, 5))
y_cls = rng.integers(0, 5, size=6)
one_hot = np.eye(5)[y_cls]
sparse_ways = {
    "ct.sparse_softmax_cross_entropy_with_logits": ct.sparse_softmax_cross_entropy_with_logits(y_cls, x_cls),
    "ct.softmax_cross_entropy_with_logits": ct.softmax_cross_entropy_with_logits(one_hot, x_cls),
    "ct.sparse_categorical_crossentropy": ct.sparse_categorical_crossentropy(y_cls, x_cls, from_logits=True),
    "ct.categorical_crossentropy": ct.categorical_crossentropy(one_hot, x_cls, from_logits=True),
}
for name, loss in sparse_ways.items():
    print(f"{name:<44} {np.array2string(loss, precision=6, floatmode='fixed')}")

# %%
reference = sparse_ways["ct.sparse_softmax_cross_entropy_with_logits"]
for name, loss in list(sparse_ways.items())[1:]:
    ct.checks.compare(f"sparse == {name.removeprefix('ct.')}", loss, reference, rtol=1e-15)
tokens, vocabulary = 64 * 512, 50_000  # a batch of 64 sequences of 512 tokens
print(f"one-hot labels, float32: {tokens * vocabulary * 4 / 1e9:.2f} GB;  integer labels, int64: {tokens * 8 / 1e3:.0f} kB")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Fuse the activation into the loss
#
# You could apply the sigmoid (or softmax) yourself and hand the probabilities to a loss. Don't: a probability close
# to 1 has lost the information the loss needs. $\sigma(25) = 1 - 1.4\cdot10^{-11}$ is representable, but
# $\sigma(40)$ rounds to exactly 1, and a loss that takes probabilities must clip them away from 0 and 1 before the
# log (Keras clips to $[10^{-7}, 1 - 10^{-7}]$, PyTorch's `BCELoss` clamps each log at $-100$). The fused functions
# (`*_with_logits` in TensorFlow, `from_logits=True` in Keras, `BCEWithLogitsLoss` and `CrossEntropyLoss` in PyTorch,
# every `ct.*_with_logits`) work on the logits with the stable formulas of [04](04_sigmoid_bce.ipynb) and
# [05](05_softmax_ce.ipynb). Four saturated examples, Keras semantics (`ct.binary_crossentropy`), unfused and fused:

# %%
x_sat = np.array([25.0, 40.0, -20.0, 20.0])
z_sat = np.array([0.0, 0.0, 1.0, 1.0])  # two confident mistakes, one confident mistake the other way, one right


def unfused(x):
    return ct.binary_crossentropy(z_sat[:, None], ct.sigmoid(x)[:, None])  # probabilities → clip → log


def fused(x):
    return ct.binary_crossentropy(z_sat[:, None], x[:, None], from_logits=True)  # logits all the way


# finite differences of the summed loss; subtracting the losses at x_sat makes the other examples add exactly 0,
# so a tiny loss is not drowned by the rounding of the large ones
grad_unfused = ct.numerical_gradient(lambda x: (unfused(x) - unfused(x_sat)).sum(), x_sat)
grad_fused = ct.numerical_gradient(lambda x: (fused(x) - fused(x_sat)).sum(), x_sat)
print(" logit  label   loss, unfused    loss, fused     ∂/∂x unfused  ∂/∂x fused")
for i in range(4):
    print(f"{x_sat[i]:6.0f}  {z_sat[i]:5.0f}   {unfused(x_sat)[i]:13.6e}  {fused(x_sat)[i]:13.6e}"
          f"   {grad_unfused[i]:11.3g}  {grad_fused[i]:10.3g}")

# %%
ceiling = -np.log(1e-7)  # the largest loss a clipped probability can give
ct.checks.compare("unfused: confident mistakes all cost −ln 1e-7", unfused(x_sat)[:3], np.full(3, ceiling), rtol=1e-6)
ct.checks.compare("fused: the true losses, softplus(±x)", fused(x_sat), ct.softplus(np.where(z_sat == 1, -x_sat, x_sat)),
                  rtol=1e-15)
assert np.all(grad_unfused == 0.0), "behind the clip the gradient is exactly 0: no learning from these examples"
ct.checks.compare("fused gradient vs σ(x) − z", grad_fused, ct.sigmoid(x_sat) - z_sat, rtol=1e-6)

# %% [markdown]
# The unfused path gives the same loss, 16.118, to a mistake at logit 25 and one at logit 40, and to a correct
# prediction it charges $10^{-7}$ instead of $2\cdot10^{-9}$. Worse, its gradient is **exactly 0** on every one of
# these examples, so the model stops learning from its most confident mistakes; the fused gradient is
# $\sigma(x) - z$, 1 for a confident mistake. (Keras quietly takes the fused path when `y_pred` comes straight from
# its own `sigmoid`/`softmax` activation, which it tags; probabilities arriving any other way are clipped.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. A decision table
#
# | task | labels, per example | activation | `ce_teach` function | label format |
# |---|---|---|---|---|
# | yes/no (spam?) | one 0 or 1 | sigmoid | `ct.sigmoid_cross_entropy_with_logits(labels, logits)` | floats in $[0, 1]$, the logits' shape |
# | yes/no, rare positives | one 0 or 1 | sigmoid | `ct.weighted_cross_entropy_with_logits(labels, logits, pos_weight)` | as above, `pos_weight` ≈ negatives / positives |
# | multi-label (tags) | a 0 or 1 per tag, any number of 1s | sigmoid per tag | `ct.sigmoid_cross_entropy_with_logits` | $(N, C)$ floats |
# | one of $C$, one-hot or soft | a probability row | softmax | `ct.softmax_cross_entropy_with_logits(labels, logits)` | $(N, C)$ floats, rows sum to 1 |
# | one of $C$, class index | one integer | softmax | `ct.sparse_softmax_cross_entropy_with_logits(labels, logits)` | $(N,)$ integers in $[0, C)$ |
# | one of $C$, with class weights, padding, smoothing | one integer | softmax | `ct.class_weighted_sparse_cross_entropy` (section 4) | $(N,)$ integers, `ignore_index` allowed |
# | one of $C$, $C$ huge (training only) | one integer | softmax | `ct.sampling.sampled_softmax_cross_entropy`, `ct.sampling.nce_loss` (section 6) | $(N,)$ integers |
# | the model outputs probabilities | as above | already applied | `ct.binary_crossentropy`, `ct.categorical_crossentropy`, `ct.sparse_categorical_crossentropy` (Keras semantics) | avoid: pass logits with `from_logits=True` |
#
# The table is executable: each row's function on a label of the stated format, then two labels in the wrong
# format, which the package refuses with a message that says what was expected.

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
# Four libraries, one loss. What differs: the **argument order** (TensorFlow and `ce_teach`: labels first; PyTorch:
# input first; TensorFlow 1's `tf.contrib`: logits first), whether the activation is **fused**, and how a batch is
# **reduced** to one number. A `ce_teach` loss never reduces (take `.mean()`), except the two functions of section 4
# that reproduce PyTorch's weighted mean.
#
# **TensorFlow** (`tf.nn` ops return one loss per element or row; `tf.compat.v1.losses` reduce)
#
# | TensorFlow | notes | `ce_teach` |
# |---|---|---|
# | `tf.nn.sigmoid_cross_entropy_with_logits(labels, logits)` | elementwise, labels in $[0, 1]$ | `ct.sigmoid_cross_entropy_with_logits` |
# | `tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight)` | `pos_weight` scales the positive term | `ct.weighted_cross_entropy_with_logits` |
# | `tf.nn.softmax_cross_entropy_with_logits(labels, logits, axis=-1)` | this is v2: gradients also flow into the labels | `ct.softmax_cross_entropy_with_logits` |
# | `tf.compat.v1.nn.softmax_cross_entropy_with_logits` (v1) | deprecated: no gradient into the labels; same value | `ct.softmax_cross_entropy_with_logits` |
# | `tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2` | TensorFlow 1's name for v2 (its `dim` argument is deprecated for `axis`) | `ct.softmax_cross_entropy_with_logits` |
# | `tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)` | integer labels in $[0, C)$; out of range: error on CPU, NaN on GPU | `ct.sparse_softmax_cross_entropy_with_logits` |
# | `tf.compat.v1.losses.sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0)` | TF 1's `tf.losses.*`; smooths towards ½; reduces by `SUM_BY_NONZERO_WEIGHTS`: $\sum_i w_i \ell_i / \#\{i : w_i \ne 0\}$ | `ct.sigmoid_cross_entropy_with_logits`, then reduce |
# | `tf.compat.v1.losses.softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0)` | smooths towards $1/C$; same reduction | `ct.softmax_cross_entropy_with_logits`, then reduce |
# | `tf.compat.v1.losses.sparse_softmax_cross_entropy(labels, logits, weights=1.0)` | same reduction | `ct.sparse_softmax_cross_entropy_with_logits`, then reduce |
# | `tf.contrib.losses.softmax_cross_entropy(logits, onehot_labels, ...)`, `tf.contrib.losses.sparse_softmax_cross_entropy(logits, labels, ...)`, … | deprecated in 2016 for `tf.losses.*`, gone with `tf.contrib` in TF 2; **logits first** | as above |
# | `tf.nn.sampled_softmax_loss`, `tf.nn.nce_loss`, `tf.random.log_uniform_candidate_sampler` | training-time estimates for huge $C$ | `ct.sampling` (section 6) |
#
# **Keras** (`keras.losses`; a loss object is called as `loss(y_true, y_pred, sample_weight=None)`)
#
# | Keras | notes | `ce_teach` |
# |---|---|---|
# | `BinaryCrossentropy(from_logits=False, label_smoothing=0.0)` | averages over the last axis; smooths towards ½; probabilities clipped to $[10^{-7}, 1 - 10^{-7}]$ | `ct.binary_crossentropy` |
# | `CategoricalCrossentropy(from_logits=False, label_smoothing=0.0)` | one-hot or soft rows; probabilities renormalised, then clipped | `ct.categorical_crossentropy` |
# | `SparseCategoricalCrossentropy(from_logits=False, ignore_class=None)` | integer labels; `ignore_class` masks a label value | `ct.sparse_categorical_crossentropy` |
# | `from_logits=True` | the fused, stable path: always use it with logits | the `*_with_logits` functions |
# | `reduction="sum_over_batch_size"` (default) | $\sum_i w_i \ell_i / N$: the weights do **not** enter the denominator; `"mean_with_sample_weight"` divides by $\sum_i w_i$; `"sum"`; `None` | `.mean()` of weighted losses; `ct.weighted_mean` |
# | `sample_weight=w` (call) and `model.fit(class_weight={c: w_c})` | per-example weights; `class_weight` becomes $w_i = w_{y_i}$ | multiply, then reduce |
#
# **PyTorch** (`torch.nn` modules are called as `loss(input, target)`: **input first**; `reduction='mean'` by default)
#
# | PyTorch | notes | `ce_teach` |
# |---|---|---|
# | `BCEWithLogitsLoss(weight=None, pos_weight=None)` | fused; `pos_weight` per class scales the positive term; `weight` rescales elements; `'mean'` divides by the number of elements, not by the weights | `ct.weighted_cross_entropy_with_logits`, `ct.sigmoid_cross_entropy_with_logits` |
# | `BCELoss(weight=None)` | takes probabilities; clamps each log at $-100$ | `ct.binary_crossentropy` (clips differently, at $10^{-7}$) |
# | `CrossEntropyLoss(weight=None, ignore_index=-100, label_smoothing=0.0)` | logits; class-index targets (or probability targets of the input's shape); with class weights `'mean'` is $\sum_i w_{y_i}\ell_i / \sum_i w_{y_i}$ over non-ignored targets (with probability targets it divides by $N$) | `ct.class_weighted_sparse_cross_entropy`, `ct.softmax_cross_entropy_with_logits` |
# | `NLLLoss(weight=None, ignore_index=-100)` | takes **log-probabilities**: `CrossEntropyLoss` = `NLLLoss` ∘ `log_softmax` | `ct.class_weighted_sparse_cross_entropy` on logits |
# | `F.kl_div(input, target, reduction='mean', log_target=False)` | $D_\text{KL}(\text{target}\,\|\,\text{input})$ with `input` = $\log q$; `'mean'` divides by every element, `'batchmean'` by the batch | `ct.kl_divergence(p, q)` ([02](02_kl_divergence.ipynb)) |
#
# Section 5 checks every PyTorch row against `ce_teach`, number for number.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Weighting: examples, classes, positives
#
# Three different knobs, often confused:
#
# | weight | multiplies | typical use | where |
# |---|---|---|---|
# | per-example $w_i$ | the whole loss $\ell_i$ of example $i$ | doubtful labels, importance weights | Keras `sample_weight`, TF 1 `weights=`, PyTorch `reduction='none'` then your own mean |
# | class weight $w_c$ | the loss of every example whose label is $c$: $w_i = w_{y_i}$ | rare classes in a softmax task | PyTorch `CrossEntropyLoss(weight=)`, Keras `fit(class_weight=)` |
# | `pos_weight` $q_c$ | only the positive term $-z\log\sigma(x)$ of output $c$ | rare positives in a sigmoid task | TF `weighted_cross_entropy_with_logits`, PyTorch `BCEWithLogitsLoss(pos_weight=)` |
#
# A class weight is a per-example weight chosen by the label. `pos_weight` is different: it weighs a *term*, not an
# example, and in a multi-label task one example is positive for some tags and negative for others, so no single
# example weight can balance all its tags. [04](04_sigmoid_bce.ipynb) (section 7) compares `pos_weight` with
# per-example weights for one yes/no output. Here: an imbalanced three-class problem, 300 examples, 85 % / 12 % / 3 %.

# %%
rates = np.array([0.85, 0.12, 0.03])
names = ["common", "uncommon", "rare"]
y_imb = rng.choice(3, size=300, p=rates)
counts = np.bincount(y_imb, minlength=3)
# a weak model: it knows the base rates, and a little about each example
x_imb = np.log(rates) + 1.5 * np.eye(3)[y_imb] + rng.normal(0.0, 1.0, size=(300, 3))
losses_imb = ct.sparse_softmax_cross_entropy_with_logits(y_imb, x_imb)
balanced = ct.balanced_class_weights(y_imb, 3)  # w_c = N / (C·n_c)
print("class       examples   balanced weight w_c   n_c·w_c")
for c in range(3):
    print(f"{names[c]:<10} {counts[c]:9d}   {balanced[c]:19.4f}   {counts[c] * balanced[c]:7.1f}")

# %% [markdown]
# **What a weight does to the gradient.** Example $i$ pushes on the logits with the gradient $w_i\,(S(x_i) - e_{y_i})$
# ([05](05_softmax_ce.ipynb)). Summing the size of that push over the examples of each class shows who drives
# training. Unweighted, a class's share is its number of examples times how wrong the model is about them: the many
# common examples, which the model mostly gets right, still take a large share. Balanced class weights give every
# class the same total weight $\sum_{i: y_i = c} w_{y_i} = N/C = 100$, so the push of each class depends only on how
# wrong the model still is about it, and the rare class, the one the model gets wrong most, takes the lead.

# %%
gradients = ct.softmax(x_imb) - np.eye(3)[y_imb]  # ∂ℓ_i/∂x_i, one row per example
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
# And where does the weighted loss want the model to go? Take the laziest model, the same logits $b$ for every
# example, $q = S(b)$. The weighted loss $\sum_i w_{y_i}(-\log q_{y_i})$ has gradient
# $\sum_i w_{y_i}(q - e_{y_i}) = q\sum_c n_c w_c - (n_c w_c)_c$, which is 0 at
#
# $$q^\ast_c = \frac{n_c w_c}{\sum_{c'} n_{c'} w_{c'}} :$$
#
# the base rates without weights, and the uniform distribution with balanced weights. Class weights buy attention to
# the rare class by shifting every prediction towards it: a weighted model's probabilities are no longer calibrated
# to the base rates.

# %%
for label, w in (("unweighted", np.ones(3)), ("class-weighted", balanced)):
    q_star = counts * w / np.sum(counts * w)
    b_star = np.log(q_star)  # logits of that constant model
    grad = np.sum(w[y_imb][:, None] * (ct.softmax(np.broadcast_to(b_star, (300, 3))) - np.eye(3)[y_imb]), axis=0)
    print(f"{label:<15} best constant q* = {np.array2string(q_star, precision=4, floatmode='fixed')}")
    ct.checks.compare(f"{label}: weighted gradient at q* is 0", grad, np.zeros(3), atol=1e-12)

# %% [markdown]
# **The same weights, two different numbers.** PyTorch's `CrossEntropyLoss(weight=w)` reports
# $\sum_i w_{y_i}\ell_i / \sum_i w_{y_i}$; Keras with `class_weight` (or `sample_weight` $w_{y_i}$) and its default
# `sum_over_batch_size` reports $\sum_i w_{y_i}\ell_i / N$. Over the whole data set balanced weights make
# $\sum_i w_{y_i} = N$, so the two agree; on a mini-batch they do not, and the ratio $\sum_i w_{y_i}/N$ changes from
# batch to batch with its mix of classes: in Keras that ratio scales the gradient step, in PyTorch it is divided out.

# %%
w_imb = balanced[y_imb]
print(f"whole data set: PyTorch mean {float(ct.weighted_mean(losses_imb, w_imb)):.6f},  "
      f"Keras mean {np.mean(w_imb * losses_imb):.6f},  unweighted {losses_imb.mean():.6f}")
print("batch   rare in batch   PyTorch-style   Keras-style   ratio Σw/N")
batch_stats = []
for b in range(5):
    batch = slice(30 * b, 30 * b + 30)
    torch_style = float(ct.weighted_mean(losses_imb[batch], w_imb[batch]))
    keras_style = float(np.mean(w_imb[batch] * losses_imb[batch]))
    batch_stats.append((torch_style, keras_style, w_imb[batch].sum() / 30))
    print(f"{b:5d}   {np.sum(y_imb[batch] == 2):13d}   {torch_style:13.6f}   {keras_style:11.6f}   {w_imb[batch].sum() / 30:10.4f}")

# %%
assert np.isclose(w_imb.sum(), 300, rtol=1e-12), "balanced weights sum to N over the whole data set"
ct.checks.compare("whole set: PyTorch-style = Keras-style", ct.weighted_mean(losses_imb, w_imb),
                  np.mean(w_imb * losses_imb), rtol=1e-12)
stats = np.array(batch_stats)
ct.checks.compare("per batch: Keras / PyTorch = Σw / N", stats[:, 1] / stats[:, 0], stats[:, 2], rtol=1e-12)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### `pos_weight` for multi-label data
#
# Three tags with positive rates 50 %, 10 % and 2 %. For tag $c$ with $P_c$ positives and $N_c$ negatives,
# `pos_weight` $q_c = N_c/P_c$ (`ct.pos_weight_from_labels`). At the start of training ($x = 0$, $\sigma = \tfrac12$)
# a positive pushes with $q_c(\sigma - 1) = -q_c/2$ and a negative with $\sigma = \tfrac12$, so the positives' share of
# the push on tag $c$ is $q_c P_c/(q_c P_c + N_c)$: exactly one half with $q_c = N_c/P_c$, whatever the imbalance.

# %%
tag_rates = np.array([0.5, 0.1, 0.02])
z_tags = (rng.random((300, 3)) < tag_rates).astype(float)
q_tags = ct.pos_weight_from_labels(z_tags)
x0 = np.zeros((300, 3))


def pos_weight_grad(q, x):
    """∂L_q/∂x = (q·z + 1 − z)·σ(x) − q·z, elementwise (04, section 7)."""
    return (q * z_tags + 1 - z_tags) * ct.sigmoid(x) - q * z_tags


shares = {}
for label, q in (("plain", np.ones(3)), ("pos_weight", q_tags)):
    grad = pos_weight_grad(q, x0)
    shares[label] = np.abs(grad * z_tags).sum(axis=0) / np.abs(grad).sum(axis=0)
print("positives' share of the push at x = 0")
print("tag   positives   pos_weight N/P    plain   with pos_weight")
for c in range(3):
    print(f"{c:3d}   {int(z_tags[:, c].sum()):9d}   {q_tags[c]:14.3f}   {shares['plain'][c]:6.3f}"
          f"   {shares['pos_weight'][c]:15.3f}")

# %%
few = z_tags[:5]  # the gradient formula against finite differences on the first 5 examples
fd = ct.numerical_gradient(lambda x: float((ct.weighted_cross_entropy_with_logits(few, x, q_tags)
                                            - ct.weighted_cross_entropy_with_logits(few, x0[:5], q_tags)).sum()), x0[:5])
ct.checks.compare("pos_weight gradient vs finite differences", pos_weight_grad(q_tags, x0)[:5], fd, rtol=1e-6)
positives = z_tags.sum(axis=0)
ct.checks.compare("plain: share = P / N_total", shares["plain"], positives / 300)
ct.checks.compare("pos_weight N/P: share = ½ for every tag", shares["pos_weight"], np.full(3, 0.5))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### PyTorch's `CrossEntropyLoss`: class weights, padding and label smoothing together
#
# Language models pad sentences to a common length and mark the padding with a label to ignore (PyTorch's default
# `ignore_index` is $-100$); many also smooth the labels, mixing the one-hot target with the uniform distribution,
# $(1 - \varepsilon)\,e_y + \varepsilon/C$. With class weights $w$ and $\ell_{ic} = -\log S(x_i)_c$, PyTorch computes:
#
# | step | because |
# |---|---|
# | $\text{loss}_i = (1 - \varepsilon)\,w_{y_i}\,\ell_{i y_i} + \dfrac{\varepsilon}{C}\sum_c w_c\,\ell_{ic}$ | the smoothed target, each class's term weighted by that class's weight |
# | $\text{loss}_i = 0$ where $y_i$ = `ignore_index` | padding does not count ... |
# | $\text{mean} = \sum_i \text{loss}_i \,\big/ \sum_{i \text{ not ignored}} w_{y_i}$ | ... not even in the denominator, which holds the weights of the labels, and is shared by the smoothing term |
#
# `ct.class_weighted_sparse_cross_entropy` implements exactly this; here it is against the three lines above,
# written out in NumPy, on two padded sentences over a vocabulary of 5:

# %%
vocab, pad = 5, -100
x_lm = rng.normal(0.0, 2.0, size=(2, 6, vocab))  # 2 sentences × 6 positions × 5 token logits
y_lm = np.array([[3, 1, 4, 1, pad, pad], [2, 0, 4, pad, pad, pad]])
w_vocab = np.array([0.5, 1.0, 2.0, 1.0, 1.5])
eps = 0.1
neg_log_q = -ct.log_softmax(x_lm)
kept = y_lm != pad
label_ids = np.where(kept, y_lm, 0)
nll = np.take_along_axis(neg_log_q, label_ids[..., None], axis=-1)[..., 0]
by_hand = np.where(kept, (1 - eps) * w_vocab[label_ids] * nll + eps / vocab * (neg_log_q * w_vocab).sum(axis=-1), 0.0)
mean_by_hand = by_hand.sum() / w_vocab[label_ids][kept].sum()
package = ct.class_weighted_sparse_cross_entropy(y_lm, x_lm, class_weight=w_vocab, ignore_index=pad, label_smoothing=eps)
print(f"{kept.sum()} real tokens of {kept.size};  Σ w(label) = {w_vocab[label_ids][kept].sum():.1f};  mean loss {float(package):.10f}")

# %%
ct.checks.compare("CrossEntropyLoss semantics: package vs by hand", package, mean_by_hand, rtol=1e-14)
ct.checks.compare("reduction='none': padding costs 0", ct.class_weighted_sparse_cross_entropy(
    y_lm, x_lm, class_weight=w_vocab, ignore_index=pad, label_smoothing=eps, reduction="none"), by_hand, rtol=1e-14)
ct.checks.compare("no weights, no smoothing: the mean sparse loss", ct.class_weighted_sparse_cross_entropy(
    label_ids[kept], x_lm[kept]), ct.sparse_softmax_cross_entropy_with_logits(label_ids[kept], x_lm[kept]).mean())

# %% [markdown]
# A batch that is *all* padding has nothing to average: PyTorch returns `nan` (0/0) and a training loop carries on
# with a NaN loss. The package says what happened instead:

# %% tags=["raises-exception"]
ct.class_weighted_sparse_cross_entropy(np.full((2, 6), pad), x_lm, ignore_index=pad)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. The PyTorch rows, checked
#
# Each PyTorch row of the name map, on small seeded inputs, next to the `ce_teach` expression that should give the
# same number. The PyTorch values were computed once, in float64, with torch 2.13.0, and are stored below, so the
# check runs without PyTorch; where PyTorch is installed the cell also recomputes them live and asserts that they
# have not changed. The cell prints the same thing either way.

# %%
parity_rng = np.random.default_rng(7)  # its own generator: these inputs do not depend on the cells above
xb = parity_rng.normal(0.0, 2.0, size=(6, 3))  # 6 examples × 3 yes/no outputs: logits
zb = (parity_rng.random((6, 3)) < 0.4).astype(float)  # their 0/1 labels
q_out = np.array([1.5, 3.0, 0.5])  # pos_weight per output
w_rows = np.array([1.0, 0.5, 2.0, 1.0, 0.0, 3.0])  # a weight per example
xc = parity_rng.normal(0.0, 2.0, size=(6, 4))  # 6 examples × 4 classes: logits
yc = parity_rng.integers(0, 4, size=6)  # class labels
yc_pad = np.where(np.isin(np.arange(6), [1, 4]), -100, yc)  # two of them padding
w_cls = np.array([0.5, 2.0, 1.0, 3.0])  # class weights
p_soft = parity_rng.dirichlet(np.ones(4), size=6)  # probability targets

ce_rows = {  # PyTorch call → the ce_teach expression for the same number
    "BCEWithLogitsLoss()": lambda: ct.sigmoid_cross_entropy_with_logits(zb, xb).mean(),
    "BCEWithLogitsLoss(pos_weight=q)": lambda: ct.weighted_cross_entropy_with_logits(zb, xb, q_out).mean(),
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


def torch_rows(torch):
    """The same rows computed by PyTorch (float64 tensors)."""
    nn, F, t = torch.nn, torch.nn.functional, torch.from_numpy
    return {
        "BCEWithLogitsLoss()": nn.BCEWithLogitsLoss()(t(xb), t(zb)),
        "BCEWithLogitsLoss(pos_weight=q)": nn.BCEWithLogitsLoss(pos_weight=t(q_out))(t(xb), t(zb)),
        "BCEWithLogitsLoss(weight=w[:, None])": nn.BCEWithLogitsLoss(weight=t(w_rows[:, None]))(t(xb), t(zb)),
        "BCELoss() on sigmoid(x)": nn.BCELoss()(torch.sigmoid(t(xb)), t(zb)),
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
    "BCEWithLogitsLoss(pos_weight=q)": 1.1900404109604739,
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
print("PyTorch rows: checked against ce_teach (live where torch is installed, recorded values otherwise)")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Huge class counts: sampled softmax and NCE
#
# A language model with a vocabulary of $V = 50\,000$ words computes, for every position, a hidden vector $h$ and the
# logits $x_c = h\cdot W_c + b_c$ of **every** word, then the softmax over all of them. Most of that work goes into the
# normaliser: the loss is
#
# $$\ell = -\log S(x)_y = \log Z - x_y, \qquad Z = \sum_{c=1}^{V} e^{x_c},$$
#
# and only $Z$ needs all $V$ logits. Our stand-in model: $d = 32$ hidden units, seeded random weights, and biases
# $b_c = -\ln(c + 1)$ that make word $c$ (numbered from the most frequent) about as frequent as Zipf's law says,
# roughly $\propto 1/(c + 1)$. A batch of 64 positions; each label is drawn from the model's own softmax, so the model
# is right about the data and the loss is a realistic one.

# %%
V, d, B = 50_000, 32, 64
W = rng.normal(0.0, 1.5 / np.sqrt(d), size=(V, d))  # output embeddings, one row per word
b = -np.log(np.arange(1, V + 1))  # Zipf-like: frequent words first
h = rng.normal(0.0, 1.0, size=(B, d))  # hidden states of the batch
logits = h @ W.T + b  # (B, V): the expensive part
labels = np.argmax(logits + rng.gumbel(size=logits.shape), axis=1)  # Gumbel-max: labels ~ softmax(logits)
exact = ct.sparse_softmax_cross_entropy_with_logits(labels, logits)  # the full softmax loss
exact_mean = float(exact.mean())
print(f"exact mean loss of the batch: {exact_mean:.6f} nats (perplexity {np.exp(exact_mean):.0f})")
print(f"label ranks: median {int(np.median(labels))}, 10 % below {int(np.percentile(labels, 10))}, "
      f"10 % above {int(np.percentile(labels, 90))}")

# %% [markdown]
# ### Estimating $Z$ from $k$ samples
#
# Draw $k$ classes $s_1, \dots, s_k$ from a proposal distribution $Q$ that is cheap to sample and roughly follows
# the word frequencies: TensorFlow's **log-uniform** (Zipfian) proposal $Q(c) = \log\frac{c + 2}{c + 1} / \log(V + 1)$
# for $c = 0, \dots, V - 1$. Then:
#
# | step | because |
# |---|---|
# | $Z = e^{x_y} + \sum_{c \ne y} e^{x_c}$ | keep the true class's term, it is computed anyway |
# | $\sum_{c \ne y} e^{x_c} = \sum_{c} Q(c)\,\dfrac{[c \ne y]\,e^{x_c}}{Q(c)} = \mathbb{E}_{s \sim Q}\!\left[\dfrac{[s \ne y]\,e^{x_s}}{Q(s)}\right]$ | multiply and divide by $Q(c) > 0$: importance sampling |
# | $\approx \dfrac1k\sum_{j=1}^{k} \dfrac{[s_j \ne y]\,e^{x_{s_j}}}{Q(s_j)} = \sum_{j:\, s_j \ne y} e^{\,x_{s_j} - \log(k\,Q(s_j))}$ | average $k$ draws; $k\,Q(s)$ is the expected count of $s$ in the sample |
# | $\hat\ell = \log\!\Big(e^{x_y} + \sum_{j:\, s_j \ne y} e^{\,x_{s_j} - \log(k Q(s_j))}\Big) - x_y$ | $\ell = \log Z - x_y$ with $Z$ replaced by its estimate $\hat Z$ |
#
# The last line is a softmax cross-entropy over the $1 + k$ **candidates** $\{y, s_1, \dots, s_k\}$ with the label
# in first place, after two repairs to the sampled logits: subtract $\log(k\,Q(s_j))$, the **log-Q correction**, and
# drop the **accidental hits** $s_j = y$ (the true class is already counted; counting it again overestimates $Z$ by
# $e^{x_y}$). That is `ct.sampling.sampled_softmax_cross_entropy(..., sampled_log_q=log(k·Q))`. It needs the logits of
# the $B$ labels and of the $k$ sampled classes, shared by the batch: $B(1 + k)$ dot products instead of $BV$.
#
# $\mathbb{E}[\hat Z] = Z$ exactly, but $\log$ is concave, so $\mathbb{E}[\log\hat Z] \le \log Z$ (Jensen): the estimate
# is biased low, by about $\operatorname{Var}(\hat Z)/(2Z^2)$ (a second-order Taylor expansion of $\log$ at $Z$), which
# shrinks like $1/k$.
#
# TensorFlow's sampler draws *distinct* candidates by default (`unique=True`, drawing until $k$ different classes
# have come up). The expected count of $s$ is then its probability of being in the sample, approximately
# $1 - (1 - Q(s))^\text{tries}$ (`Candidates.expected_count`), and the same correction applies.

# %%
Q = ct.sampling.log_uniform_probabilities(V)
k = 64
cand = ct.sampling.sample_candidates(rng, k, V, unique=False)  # with replacement: expected counts exactly k·Q
true_logits = np.einsum("bd,bd->b", h, W[labels]) + b[labels]  # B dot products
sampled_logits = h @ W[cand.ids].T + b[cand.ids]  # B·k dot products
log_kq = np.log(cand.expected_count(cand.ids))
label_log_kq = np.log(cand.expected_count(labels))
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
print(f"k = {k} draws with replacement: {np.unique(cand.ids).size} distinct classes, "
      f"{int(np.sum(cand.ids[None, :] == labels[:, None]))} accidental hits in the batch; "
      f"distinct sampling took {distinct.num_tries} tries")
print(f"{'exact (full softmax)':<36} {exact_mean:9.4f} nats")
for name, loss in sampled.items():
    print(f"{name:<36} {loss.mean():9.4f} nats   ({loss.mean() - exact_mean:+.4f})")
print(f"logits computed: full softmax B·V = {B * V:,}; sampled B·(1 + k) = {B * (1 + k):,}; "
      f"{B * V / (B * (1 + k)):.0f} times fewer")

# %%
assert np.allclose(true_logits, logits[np.arange(B), labels], rtol=1e-13, atol=1e-13)
assert np.allclose(sampled_logits, logits[:, cand.ids], rtol=1e-13, atol=1e-13)
ct.checks.compare("expected counts: k·Q", cand.expected_count(cand.ids), k * Q[cand.ids], rtol=1e-13)
hits = cand.ids[None, :] == labels[:, None]
z_hat = np.exp(true_logits) + np.where(hits, 0.0, np.exp(sampled_logits) / (k * Q[cand.ids])).sum(axis=1)
ct.checks.compare("corrected estimate = log Ẑ − x_y", sampled["log-Q corrected, hits removed"],
                  np.log(z_hat) - true_logits, rtol=1e-12)
tf_minus_estimate = sampled["TensorFlow's sampled_softmax_loss"] - sampled["log-Q corrected, hits removed"]
print(f"TensorFlow's value − the estimate: mean {tf_minus_estimate.mean():+.4f} nats;  "
      f"mean log(k·Q(label)): {label_log_kq.mean():+.4f}")
assert abs(tf_minus_estimate.mean() - label_log_kq.mean()) < 0.25, "off by about log k·Q(label)"

# %% [markdown]
# One draw is one number; how good is the estimator? Repeat the draw 30 times for each $k$ and look at the mean
# (its bias) and the spread (its standard deviation), with and without the log-Q correction.
#
# **Predict first:** without the correction, does the estimate approach the exact loss as $k$ grows? With it, by
# what factor do the bias and the spread shrink each time $k$ grows fourfold?

# %%
ks = np.array([16, 64, 256, 1024, 4096])
repetitions = 30
corrected, hits_kept, uncorrected = (np.empty((ks.size, repetitions)) for _ in range(3))
for i, k_i in enumerate(ks):
    for r in range(repetitions):
        draw = ct.sampling.sample_candidates(rng, int(k_i), V, unique=False)
        s_logits = h @ W[draw.ids].T + b[draw.ids]  # the labels' logits, true_logits, do not change
        args = (labels, true_logits, draw.ids, s_logits)
        log_q = np.log(draw.expected_count(draw.ids))
        corrected[i, r] = ct.sampling.sampled_softmax_cross_entropy(*args, sampled_log_q=log_q).mean()
        hits_kept[i, r] = ct.sampling.sampled_softmax_cross_entropy(
            *args, sampled_log_q=log_q, remove_accidental_hits=False).mean()
        uncorrected[i, r] = ct.sampling.sampled_softmax_cross_entropy(*args).mean()
p_model = ct.softmax(logits)
p_label = p_model[np.arange(B), labels]
# Var(Ẑ)/Z² for one draw: Σ_{c≠y} p_c²/Q_c − (1 − p_y)², divided by k for k draws
relative_variance = (p_model**2 / Q).sum(axis=1) - p_label**2 / Q[labels] - (1 - p_label) ** 2
predicted_bias = np.array([-np.mean(relative_variance / (2 * k_i)) for k_i in ks])
bias = corrected.mean(axis=1) - exact_mean
spread = corrected.std(axis=1, ddof=1)
kept_bias = hits_kept.mean(axis=1) - exact_mean
double_count = np.mean(np.log1p(p_label))  # hits kept: E[Ẑ] = Z + e^{x_y}, so the loss → ℓ + log(1 + p_y)
print("         log-Q corrected, hits removed          hits kept   not corrected")
print("     k   bias ± s.e.        predicted   std      bias        bias       std")
for i, k_i in enumerate(ks):
    print(f"{k_i:6d}   {bias[i]:+.4f} ± {spread[i] / np.sqrt(repetitions):.4f}   {predicted_bias[i]:+.4f}   "
          f"{spread[i]:.4f}   {kept_bias[i]:+.4f}   {uncorrected[i].mean() - exact_mean:+9.4f}   "
          f"{uncorrected[i].std(ddof=1):.4f}")
print(f"hits kept count the label twice: they tend to + mean log(1 + p_label) = {double_count:+.4f} nats")

# %%
sampled_plot = plotting.draw_sampled_bias(ks, corrected, uncorrected, exact_mean, predicted_bias=predicted_bias)
plt.show()

# %%
standard_error = spread / np.sqrt(repetitions)
assert np.all(np.abs(bias[2:] - predicted_bias[2:]) < 3 * standard_error[2:]), "k ≥ 256: bias as predicted"
assert np.all(bias[:2] < -3 * standard_error[:2]), "biased low (Jensen), clearly so for small k"
kept_error = hits_kept.std(axis=1, ddof=1) / np.sqrt(repetitions)
assert abs(kept_bias[-1] - double_count - predicted_bias[-1]) < 3 * kept_error[-1], "hits kept: biased high for good"
assert np.all(np.diff(spread) < 0) and spread[-1] < spread[0] / 8, "spread shrinks, about as 1/√k"
drift = uncorrected.mean(axis=1) - exact_mean
assert np.all(np.abs(drift) > 10 * np.abs(bias)), "without the correction the error is 10× larger or more"
assert drift[0] < -1 and drift[-1] > 1 and np.all(np.diff(drift) > 0), "... and it drifts with k instead of vanishing"
assert 0.01 < -bias[1] < 0.1 and 0.01 < spread[1] < 0.1, "k = 64: bias and spread of a few hundredths of a nat"

# %% [markdown]
# Left: without the correction the estimate is not even consistent. $\sum_j e^{x_{s_j}}$ adds $k$ terms, so it
# grows with $k$ instead of settling: too low for small $k$, too high for large $k$, right only by accident near
# one $k$ that depends on the batch. With the correction the estimate sits on the exact loss. Right: its bias is
# tiny, negative, and follows the prediction $-\operatorname{Var}(\hat Z)/(2Z^2) \propto 1/k$ (a factor 4 per
# fourfold $k$); its spread from draw to draw shrinks like $1/\sqrt k$ (a factor 2). At $k = 64$ bias and spread
# are a few hundredths of a nat each (table above): good enough to *train* on, where the next mini-batches average
# the noise away, while computing hundreds of times fewer logits. Keeping the accidental hits counts the label's term
# twice on average, so that estimate tends to $\ell + \log(1 + p_y)$ instead of $\ell$: a bias no $k$ removes (the
# "hits kept" column). At small $k$ it happens to cancel part of the downward Jensen bias, which is why it looked
# better in the single draw above.
#
# **TensorFlow's `sampled_softmax_loss` is not this estimator.** It subtracts $\log(\text{expected count})$ from the
# true class's logit as well (and draws unique candidates by default). Its softmax then answers a different
# question, *which of the candidates is the true one*, whose best answer is, approximately, still $x = \log p + $ a constant per
# example, so it trains the same model (Jean et al., 2015; TensorFlow's candidate-sampling notes); but its value
# is off by about the log of the label's expected count, $\log(k\,Q(y))$ (lower for rare labels, higher for
# frequent ones), as printed above: several nats below the exact loss here. Either way, a sampled loss is a
# training-time quantity.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### NCE: a different objective with the same optimum
#
# **Noise-contrastive estimation** turns the $V$-way problem into binary ones: is this class the data's label, or one
# of $k$ noise samples from $Q$? The model's logit $s_c$ is used as an *unnormalised* log-probability, and the log-odds
# of "data" against "noise" is $s_c - \log(k\,Q(c))$. The loss of an example is the logistic loss of its label (as
# data) plus those of the $k$ samples (as noise):
#
# $$\ell_\text{NCE} = -\log\sigma\big(s_y - \log kQ(y)\big) - \sum_{j=1}^{k} \log\Big(1 - \sigma\big(s_{s_j} - \log kQ(s_j)\big)\Big)$$
#
# (`ct.sampling.nce_loss`; TensorFlow's `tf.nn.nce_loss` sums `sigmoid_cross_entropy_with_logits` over the $1 + k$
# columns). Averaged over labels $y \sim p$ and noise, its derivative with respect to $s_c$ is
# $-p_c\,\sigma(\log kQ(c) - s_c) + kQ(c)\,\sigma(s_c - \log kQ(c))$, and this is 0 exactly when
# $p_c\,kQ(c) = kQ(c)\,e^{s_c}$, i.e. at $e^{s_c} = p_c$: the **normalised** model, for any $k$ and any $Q > 0$. NCE
# learns the normaliser; softmax-based losses cannot even see it, because adding a constant to every logit changes
# nothing. Below, every logit of one example is shifted by the same amount, and the expected NCE loss
# (`ct.sampling.nce_expected_loss`) is drawn against the log of the shifted model's normaliser:

# %%
log_z = ct.logsumexp(logits)  # log Z of each example
offsets = np.linspace(-4.0, 4.0, 161)  # log Σ exp(shifted logits), 0 = normalised
row = 0
nce_curve = np.array([ct.sampling.nce_expected_loss(logits[row] - log_z[row] + o, p_model[row], k, Q) for o in offsets])
nce_plot = plotting.draw_nce_objective(offsets, nce_curve)
plt.show()

# %%
normalised = logits - log_z[:, None]  # log p for every example


def nce_slope(log_scale):
    """d/dc of the expected NCE loss of every example when all its logits are shifted by c, at the given log Z."""
    u = normalised + log_scale - np.log(k * Q)
    return -(p_model * ct.sigmoid(-u)).sum(axis=1) + k * (Q * ct.sigmoid(u)).sum(axis=1)


slope_here, slope_left, slope_right = nce_slope(0.0), nce_slope(-0.1), nce_slope(0.1)
numerical = ct.numerical_gradient(lambda c: float(ct.sampling.nce_expected_loss(normalised[row] + c[0], p_model[row], k, Q)),
                                  np.zeros(1))
print(f"slope at log Z = 0, all 64 examples: max |slope| = {np.abs(slope_here).max():.1e}"
      f" (at ±0.1: {slope_left.max():.3f} … {slope_right.min():.3f})")
assert np.abs(slope_here).max() < 1e-12 and np.all(slope_left < 0) and np.all(slope_right > 0)
ct.checks.compare("slope, example 0: formula vs finite differences", slope_here[row], numerical[0], atol=1e-9)
assert abs(offsets[np.argmin(nce_curve)]) < 0.05 + 1e-12, "the smallest grid point is the normalised model"

# %% [markdown]
# At its optimum the NCE loss is not the cross-entropy: it is a sum of $1 + k$ logistic losses, a different number.
# Sampled on our batch (the same draw of 64 classes, with the logits of the normalised model) it estimates that
# expectation; shift every logit by 2 and it changes, while the cross-entropy and the sampled softmax do not notice:

# %%
nce_at_optimum = ct.sampling.nce_expected_loss(normalised, p_model, k, Q)
true_normalised = true_logits - log_z  # the normalised model's logits, for the labels and the sampled classes
sampled_normalised = sampled_logits - log_z[:, None]
shift = 2.0
nce_sampled, nce_shifted = (
    ct.sampling.nce_loss(labels, true_normalised + c, cand.ids, sampled_normalised + c,
                         true_log_q=label_log_kq, sampled_log_q=log_kq) for c in (0.0, shift))
exact_shifted = ct.sparse_softmax_cross_entropy_with_logits(labels, normalised + shift)
sampled_shifted = ct.sampling.sampled_softmax_cross_entropy(labels, true_normalised + shift, cand.ids,
                                                            sampled_normalised + shift, sampled_log_q=log_kq)
print(f"expected NCE loss at its optimum (k = {k}): {nce_at_optimum.mean():.4f} nats;  "
      f"cross-entropy there, H(p): {ct.entropy(p_model).mean():.4f} nats")
print(f"{'':34}normalised   every logit + {shift:g}")
print(f"{'NCE loss of the batch, one draw':<34}{nce_sampled.mean():10.4f}   {nce_shifted.mean():16.4f}")
print(f"{'exact cross-entropy of the batch':<34}{exact_mean:10.4f}   {exact_shifted.mean():16.4f}")
print(f"{'sampled softmax estimate':<34}{sampled['log-Q corrected, hits removed'].mean():10.4f}   "
      f"{sampled_shifted.mean():16.4f}")

# %%
ct.checks.compare("softmax CE ignores a shift of every logit", exact_shifted, exact, rtol=1e-12)
ct.checks.compare("so does the sampled softmax", sampled_shifted, sampled["log-Q corrected, hits removed"], rtol=1e-12)
assert abs(nce_shifted.mean() - nce_sampled.mean()) > 1.0, "NCE does not: it sees the normaliser"
assert abs(nce_at_optimum.mean() - ct.entropy(p_model).mean()) > 1.0, "NCE's value is not the cross-entropy"

# %% [markdown]
# ### Why evaluation uses the full softmax
#
# What the training-time numbers of this section say about our batch, whose exact loss is known:

# %%
k64 = list(ks).index(64)
print(f"exact loss (full softmax):                 {exact_mean:.4f} nats, perplexity {np.exp(exact_mean):.1f}")
print(f"sampled softmax, k = 64: bias {bias[k64]:+.4f} nats, spread per draw {spread[k64]:.4f} nats "
      f"→ perplexity e^loss off by about {np.expm1(-bias[k64]):.1%}")
tf_error = sampled["TensorFlow's sampled_softmax_loss"].mean() - exact_mean
print(f"TensorFlow's sampled_softmax_loss, one draw: {tf_error:+.4f} nats")
print(f"NCE, one draw (normalised model):          {nce_sampled.mean():.4f} nats, not a cross-entropy at all")

# %% [markdown]
# - **The numbers are not the loss.** The corrected sampled estimate is biased and random; TensorFlow's sampled softmax
#   and NCE give values nats away, which change with $k$ and $Q$. A reported loss or perplexity ($e^\text{loss}$, so
#   a bias of $\delta$ nats is a relative perplexity error of about $\delta$) must be comparable across models,
#   samplers and papers: it must be the exact $-\log S(x)_y$.
# - **The models may not be normalised.** A sampled-softmax model is only trained up to a constant per example; an
#   NCE model is normalised only as well as it was trained. The full softmax normalises exactly, whatever the model.
# - **It is affordable.** Training pays for $V$ logits *and* their gradients for every example of every step;
#   evaluation pays for the forward pass once per test example, and needs every logit anyway for rankings and
#   accuracy.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **1.** Write the decision table as code. `task` has the fields `task.exclusive` (True: exactly one class is right;
# False: each output is its own yes/no question), `task.labels` (`"index"`, `"one-hot"`, `"soft"` or `"0/1"`),
# `task.rare_positives` and `task.padding` (both True or False), and `task.description`. Return the **name** of the
# `ce_teach` loss to use, e.g. `"sigmoid_cross_entropy_with_logits"`. (Try `ct.checks.choosing.TASKS` to see the tasks.)

# %%
def my_loss_for(task):
    raise NotImplementedError  # your code here


ct.checks.loss_choice(my_loss_for)

# %% [markdown]
# **2.** Compute `pos_weight` for multi-label targets `labels` of shape $(N, C)$ with entries 0 or 1: one weight per
# column, the number of negatives over the number of positives.

# %%
def my_pos_weight(labels):
    raise NotImplementedError  # your code here


ct.checks.pos_weight(my_pos_weight)

# %% [markdown]
# **3.** The same model, batch and balanced class weights go through PyTorch's `CrossEntropyLoss(weight=w)` and
# through Keras with `class_weight` (default reduction). PyTorch reports 0.80, Keras 1.20. Which one is wrong? What
# is $\sum_i w_{y_i}$ for this batch of 32?
#
# **4.** A colleague trains with `tf.nn.sampled_softmax_loss` ($k = 64$) and reports its training loss next to the
# validation loss of a full-softmax model. Why is the comparison meaningless, and what should be reported?
#
# **5.** You fit a tagger with 1000 tags, most of them rare, using softmax cross-entropy over the tags with each
# example's tags normalised to sum to 1. What can the model never predict, and what should you use instead?
#
# <details><summary>Answer</summary>
#
# **1.** A model solution:
#
# ```python
# def my_loss_for(task):
#     if not task.exclusive:  # independent yes/no outputs: sigmoid
#         return "weighted_cross_entropy_with_logits" if task.rare_positives else "sigmoid_cross_entropy_with_logits"
#     if task.labels == "index":  # one integer class per example: sparse softmax
#         return "class_weighted_sparse_cross_entropy" if task.padding else "sparse_softmax_cross_entropy_with_logits"
#     return "softmax_cross_entropy_with_logits"  # one-hot or soft probability rows
# ```
#
# The checker's hints catch softmax for yes/no outputs, sigmoid for exclusive classes, sparse vs one-hot mix-ups,
# unhandled padding, a missing `pos_weight`, and Keras' probability losses.
#
# **2.** A model solution:
#
# ```python
# def my_pos_weight(labels):
#     positives = labels.sum(axis=0)
#     return (labels.shape[0] - positives) / positives
# ```
#
# Typical mistakes: positives / negatives (upside down), $N/P$ instead of $(N - P)/P$, the fraction of negatives,
# and counting along the wrong axis.
#
# **3.** Neither: they divide the same weighted sum $\sum_i w_{y_i}\ell_i$ by different numbers, PyTorch by
# $\sum_i w_{y_i}$ and Keras by $N = 32$. So $\sum_i w_{y_i}\ell_i = 1.20 \cdot 32 = 38.4$ and
# $\sum_i w_{y_i} = 38.4 / 0.80 = 48$: this batch holds more than its share of rare (heavily weighted) examples.
#
# **4.** The sampled softmax value is not an estimate of the cross-entropy: TensorFlow's version is several nats off
# (it also corrects the true class's logit), and any sampled value depends on $k$, $Q$ and the draw. Report the
# full-softmax cross-entropy (and perplexity) of both models on the same validation data.
#
# **5.** Softmax makes the tags compete for one unit of probability, so an image with two tags can at best get
# $q = (\tfrac12, \tfrac12)$ for them ("this tag *or* that"), and the loss floor is the entropy of the normalised
# target, not 0. Use a sigmoid per tag (`ct.sigmoid_cross_entropy_with_logits`), with `pos_weight` for the rare
# tags.
#
# </details>

# %% [markdown]
# ## Takeaways
# - One loss, cross-entropy; two activations: softmax when exactly one class is right, a sigmoid per output for
#   independent yes/no questions (binary and multi-label). Sparse variants are the same loss with integer labels.
# - Give every loss logits (`*_with_logits`, `from_logits=True`, `BCEWithLogitsLoss`, `CrossEntropyLoss`): the
#   probability path clips, caps a confident mistake at 16.1 nats, and its gradient there is exactly 0.
# - Per-example weights scale examples, class weights scale the examples of a class, `pos_weight` scales the
#   positive term of a sigmoid output. The same weights give different numbers in PyTorch ($\div\sum w_{y_i}$) and
#   Keras ($\div N$).
# - For huge $C$, sampled softmax with the log-Q correction estimates the loss from $B(1 + k)$ logits instead of
#   $BV$, with a bias $\propto 1/k$ and a spread $\propto 1/\sqrt k$; NCE optimises a different objective whose optimum
#   is the normalised model. Both are for training; evaluation computes the full softmax.
#
# **Next:** [08 · Pitfalls](08_pitfalls.ipynb): a bug hunt through the mistakes this collection has warned about.

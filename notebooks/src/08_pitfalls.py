# %% [markdown]
# # 08 · Pitfalls (bug hunt)
# Eight mistakes people make with cross-entropy: see the symptom, find the bug, fix it, check the fix.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/08_pitfalls.ipynb)

# %% [markdown]
# **In this notebook you will**
# - recognise eight classic cross-entropy bugs by their symptoms (`nan`, `inf`, a loss pinned at 16.118 in Keras 3,
#   a negative loss, ...);
# - fix each one yourself, with a checker that recognises the bug if it is still there;
# - design a test batch that catches bugs a test on random numbers lets through.
#
# **Prerequisites:** [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb),
# [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb), and [02 · KL divergence](02_kl_divergence.ipynb)
# for the last pitfall. Notation as in [00 · Start here](00_start_here.ipynb): $x$ logits, $y$ one-hot or soft labels,
# $z$ a 0/1 label, $S(x)$ the softmax, $\sigma$ the sigmoid, $\delta$ a small constant added inside a log or used to
# clip (Keras calls it `epsilon`).
#
# **How to use it.** Each pitfall has a **broken snippet**, its **symptom**, an **exercise** (fix the stub; the
# checker knows the bug and its usual half-fixes), a collapsed **solution**, and a **check** cell.

# %%
import numpy as np

import ce_teach as ct
from ce_teach.bughunt import call_showing_warnings, format_row

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1 · Softmax applied twice
#
# The network already ends with a softmax layer (a Keras layer `Dense(3, activation="softmax")`, or `nn.Softmax` at
# the end of a PyTorch model), and its output goes into a loss that applies softmax itself
# (`softmax_cross_entropy_with_logits`, `CategoricalCrossentropy(from_logits=True)`, PyTorch's `CrossEntropyLoss`).

# %%
def model_output(logits):
    return ct.softmax(logits)  # the network's last layer is a softmax


def buggy_loss(labels, logits):
    outputs = model_output(logits)
    return ct.softmax_cross_entropy_with_logits(labels, outputs)


labels3 = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
logits3 = np.array([[20.0, 0.0, 0.0], [1.0, 2.0, -1.0]])  # row 0: confident and right

# %% [markdown]
# **Predict first:** row 0 is confident and right: the true class has logit 20, the others 0, so its true loss is
# about $4 \cdot 10^{-9}$. What loss does `buggy_loss` report for it: about the same, or something else?

# %% jupyter={"outputs_hidden": true}
print("the loss of each row:")  # a collapsed output shows its first line: no answer in it
print("buggy loss  ", format_row(buggy_loss(labels3, logits3), ".4g"))
print("true loss   ", format_row(ct.softmax_cross_entropy_with_logits(labels3, logits3), ".4g"))

# %% [markdown]
# <details><summary>Answer</summary>
#
# Something else: 0.5514. **Symptom:** the loss never gets near 0, even for a perfect prediction, and training is
# slow. The first softmax's outputs lie in $[0, 1]$, so as "logits" they differ by at most 1: the second softmax gives
# the true class at most $e/(e + C - 1)$, and the loss never falls below $\ln\bigl(1 + (C-1)/e\bigr)$, 0.5514 for
# three classes. The gradients are damped too (below).
# </details>

# %% jupyter={"outputs_hidden": true}
floor = np.log(1 + 2 / np.e)  # right under the closed Answer: its output stays folded too
random_logits = 10 * rng.normal(size=(1000, 3))
one_hot = np.eye(3)[rng.integers(0, 3, size=1000)]
print("the floor of the buggy loss, and the gradients of row 1:")  # a collapsed output shows its first line
print(f"floor ln(1 + 2/e) = {floor:.4f}; smallest buggy loss of 1000 random predictions: "
      f"{buggy_loss(one_hot, random_logits).min():.4f}")
print("gradient, buggy:", format_row(ct.numerical_gradient(lambda v: buggy_loss(labels3[1], v), logits3[1])))
print("gradient, true: ", format_row(ct.softmax_cross_entropy_grad(labels3[1], logits3[1])))
assert buggy_loss(one_hot, random_logits).min() >= floor - 1e-15

# %% [markdown]
# **Can the framework notice?** Keras 3's TensorFlow backend can: its softmax tags its output with the logits, and a
# loss with `from_logits=True` warns ("the `output` argument was produced by a Softmax activation") and uses the
# logits underneath. PyTorch is silent, and so is Keras after a hand-written `tf.nn.softmax` in eager mode
# (TensorFlow 2's default, which runs each operation at once instead of building a graph first); `ct`
# cannot tell either, since probabilities are valid logits (Going deeper).
#
# **Exercise 1.** Fix the loss: it receives the logits and one-hot (or soft) labels, and returns one loss per row.

# %%
def fixed_loss(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_softmax_twice(fixed_loss)

# %% [markdown]
# <details><summary>Solution</summary>
#
# Apply softmax exactly once, inside the loss, from the logits, in log space:
#
# ```python
# def fixed_loss(labels, logits):
#     return -(labels * ct.log_softmax(logits)).sum(axis=-1)
# ```
#
# That is `ct.softmax_cross_entropy_with_logits`; drop the softmax layer or use it only for predictions.
# `np.log(ct.softmax(logits))` would bring in pitfall 4: the checker has a confident mistake for it.
# </details>

# %%
fixed1 = ct.softmax_cross_entropy_with_logits(labels3, logits3)
ct.checks.compare("fixed loss vs −Σ y·log_softmax(x)", fixed1, -(labels3 * ct.log_softmax(logits3)).sum(axis=-1),
                  rtol=1e-15)
assert fixed1[0] < 1e-8 < floor, "the confident, right row now costs almost nothing"
assert f"{buggy_loss(labels3, logits3)[0]:.4f}" == f"{floor:.4f}" == "0.5514", "the answer to the first prediction"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2 · Logits passed as probabilities
#
# The mirror image: the network outputs raw logits (no activation), but the loss expects probabilities, as Keras'
# `BinaryCrossentropy()` does by default (`from_logits=False`). For probabilities Keras 3 clips to
# $[\delta, 1 - \delta]$ with $\delta = 10^{-7}$, then takes logs. That path in NumPy, checked on real probabilities:

# %%
DELTA = 1e-7  # keras.backend.epsilon()


def keras3_bce_from_probabilities(labels, outputs):
    """Keras 3, keras/src/backend/tensorflow/nn.py, binary_crossentropy(from_logits=False), elementwise:
    clip to [δ, 1 − δ], then the textbook formula."""
    p = np.clip(outputs, DELTA, 1 - DELTA)
    return -(labels * np.log(p) + (1 - labels) * np.log(1 - p))


z = np.array([1.0, 1.0, 0.0, 0.0])
probabilities = np.array([0.9, 0.3, 0.2, 1.0])
ct.checks.compare("Keras 3 path vs ct.binary_crossentropy", keras3_bce_from_probabilities(z, probabilities).mean(),
                  ct.binary_crossentropy(z, probabilities), rtol=1e-15)

# %% [markdown]
# Now feed it logits, as the buggy model does:

# %%
x = np.array([3.0, -2.0, 0.4, -0.3])  # logits from a Dense layer without activation
buggy = keras3_bce_from_probabilities(z, x)
true = ct.sigmoid_cross_entropy_with_logits(z, x)
grad = ct.numerical_gradient(lambda v: keras3_bce_from_probabilities(z, v).sum(), x)
print(f"{'logit':>6} {'label':>6} {'loss (logits as p)':>19} {'true loss':>10} {'gradient (logits as p)':>23}")
for values in zip(x, z, buggy, true, grad, strict=True):
    print(f"{values[0]:6.1f} {values[1]:6.0f} {values[2]:19.4g} {values[3]:10.4f} {values[4]:23.4g}")
assert np.isclose(buggy.max(), -np.log(DELTA)) and np.flatnonzero(grad).tolist() == [2], "only 0.4 passes the clip"
assert np.allclose(buggy[[0, 3]], -np.log1p(-DELTA)), "a certainty that matches the label: ≈ 1e-7"
assert f"{-np.log(DELTA):.3f}" == "16.118"

# %% [markdown]
# **Symptom:** the clip reads any logit above 1 as a certain "yes" and any negative logit as a certain "no", so the
# loss is pinned at $-\ln(1 - 10^{-7}) \approx 10^{-7}$ when that certainty matches the label and at
# $-\ln 10^{-7} = 16.118$ when it does not (Keras 3's cap; tf.keras 2.x also added $\delta$ inside the log and capped
# at 15.42, see Going deeper). Only a logit between 0 and 1, like 0.4, passes through; for the other three the gradient
# through the clip is exactly 0: they stop learning. `ct` refuses the mix-up instead:

# %% tags=["raises-exception"]
ct.binary_crossentropy(z, x)  # from_logits=False, the default, as in Keras

# %% [markdown]
# **Exercise 2.** Fix it: the elementwise binary cross-entropy of labels `z` and **logits** `x`. The checker uses
# logits up to $\pm 800$, past the point where $e^{x}$ overflows (709.78).

# %%
def fixed_bce(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_logits_as_probabilities(fixed_bce)

# %% [markdown]
# <details><summary>Solution</summary>
#
# Tell the loss that it gets logits, and use the stable form of [04](04_sigmoid_bce.ipynb):
#
# ```python
# def fixed_bce(labels, logits):
#     return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))
# ```
#
# Keras `BinaryCrossentropy(from_logits=True)`, PyTorch `BCEWithLogitsLoss`, `ct.sigmoid_cross_entropy_with_logits`.
# `log1p(exp(x)) − x·z` overflows at $x = 800$.
# </details>

# %%
fixed2 = ct.sigmoid_cross_entropy_with_logits(z, x)
ct.checks.compare("fixed vs max(x,0) − xz + log1p(e^−|x|)", fixed2,
                  np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x))), rtol=1e-15)
ct.checks.compare("fixed, mean vs binary_crossentropy(logits)", fixed2.mean(),
                  ct.binary_crossentropy(z, x, from_logits=True), rtol=1e-15)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3 · The maximum of the whole batch
#
# The stability shift of softmax, $S(x) = S(x - m)$, is written with the maximum of the whole array instead of each
# row's:

# %%
def softmax_batch_max(x):
    e = np.exp(x - x.max())  # shift by the max, "for stability"
    return e / e.sum(axis=-1, keepdims=True)


small = rng.normal(size=(4, 5))
ct.checks.compare("batch-max softmax, small logits vs ct", softmax_batch_max(small), ct.softmax(small), rtol=1e-14)

# %% [markdown]
# It passes a quick test on small random logits. **Symptom:** as soon as the rows of a batch differ in scale (one row
# of logits around 0, one around 1000), the small row is shifted by $-1002$, every $e^{x - 1002}$ underflows to 0, and
# the row becomes $0/0$ = `nan`:

# %%
batch = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0]])
result = call_showing_warnings(softmax_batch_max, batch)
print("row 0:", result[0], "  row 1:", format_row(result[1]))
assert np.isnan(result[0]).all()

# %% [markdown]
# **Exercise 3.** Write a softmax over the last axis that works for every row of a batch (and for a single 1-D row).

# %%
def my_softmax(x):
    raise NotImplementedError  # your code here


ct.checks.pitfall_batch_max(my_softmax)

# %% [markdown]
# <details><summary>Solution</summary>
#
# One maximum per row, kept as a column (`keepdims=True`) so that it broadcasts along the row:
#
# ```python
# def my_softmax(x):
#     e = np.exp(x - x.max(axis=-1, keepdims=True))
#     return e / e.sum(axis=-1, keepdims=True)
# ```
# </details>

# %%
ct.checks.compare("per-row max: the mixed batch vs S of each row alone", ct.softmax(batch),
                  np.stack([ct.softmax(batch[0]), ct.softmax(batch[1])]), rtol=1e-15)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4 · `log(softmax(x))` underflows to −∞
#
# The softmax is stable, and then its log is taken:

# %%
def loss_via_log_of_softmax(labels, logits):
    probs = ct.softmax(logits)  # even the stable softmax cannot store e^{-800}
    return -np.log(probs[np.arange(len(labels)), labels])


logits4 = np.array([[2.0, 1.0, 0.1], [-400.0, 400.0, 0.0]])
labels4 = np.array([0, 0])  # row 1 is a confident mistake
losses = call_showing_warnings(loss_via_log_of_softmax, labels4, logits4)
print("losses:", format_row(losses), "  mean:", losses.mean())
assert np.isinf(losses[1])

# %% [markdown]
# **Symptom:** the loss is `inf` (and the batch mean with it), and the gradient is `nan` (Going deeper shows why).
# The true probability of class 0 in row 1 is $e^{-800}$, below the smallest float64 ($5 \cdot 10^{-324}$), so it is
# stored as 0 and $-\log 0 = \infty$.
#
# **Exercise 4.** Fix it: the loss $-\log S(x)_c$ per row, for integer labels $c$, without ever forming a probability
# that can underflow.

# %%
def fixed_sparse_loss(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_log_of_softmax(fixed_sparse_loss)

# %% [markdown]
# <details><summary>Solution</summary>
#
# Stay in log space: $\log S(x)_c = x_c - \operatorname{logsumexp}(x)$ is an ordinary number ($-800$ here).
#
# ```python
# def fixed_sparse_loss(labels, logits):
#     return -ct.log_softmax(logits)[np.arange(len(labels)), labels]
# ```
#
# Or the fused `ct.sparse_softmax_cross_entropy_with_logits`, whose gradient $S(x) - y$ divides by no probability.
# </details>

# %%
rows = np.arange(len(labels4))
fixed4 = ct.sparse_softmax_cross_entropy_with_logits(labels4, logits4)
print("losses:", format_row(fixed4))
ct.checks.compare("fixed vs logsumexp(x) − x_c", fixed4, ct.logsumexp(logits4) - logits4[rows, labels4], rtol=1e-15)
gradient = ct.softmax_cross_entropy_grad(np.eye(3)[labels4], logits4)
numeric = ct.numerical_gradient(lambda v: ct.sparse_softmax_cross_entropy_with_logits(labels4, v).sum(), logits4)
# central differences of a loss of 800: rounding error ≈ 800·2.2e-16/1e-6 ≈ 2e-7, hence atol 1e-6
ct.checks.compare("gradient S − y vs finite differences", gradient, numeric, rtol=1e-6, atol=1e-6)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5 · The δ in the log
#
# The usual "fix" for pitfall 4 is a small $\delta$ inside the log, so that the log never sees 0:

# %%
def loss_with_delta(labels, logits, delta=1e-6):
    return -(labels * np.log(ct.softmax(logits) + delta)).sum(axis=-1)  # "+ δ to avoid log(0)"


soft_labels = np.array([[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]])
logits5 = np.array([[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]])
with_delta = loss_with_delta(soft_labels, logits5)
exact = ct.softmax_cross_entropy_with_logits(soft_labels, logits5)
print("with δ = 1e-6:", np.array2string(with_delta, precision=8, floatmode="fixed", separator=", "))
print("from logits:  ", format_row(exact, ".17g"))
print("difference:   ", format_row(with_delta - exact, ".5e"))
assert np.array_equal(np.round(with_delta, 8), [0.16984483, 0.82473288]), "the δ loss is not reproduced"

# %% [markdown]
# **Symptom 1:** the loss is a little too small, and not by rounding: the exact values are 0.16984601955628565 and
# 0.82474489013882265 (50-digit arithmetic; the float64 line "from logits" is within one unit of its last digit). The bias is about $-\delta\sum_j y_j/q_j$ (Going deeper).
# **Symptom 2:** a confident mistake is capped: when $q \ll \delta$, $-\log(q + \delta) \approx -\ln\delta = 13.8$,
# however wrong the model is, and the gradient vanishes.

# %%
y_wrong, x_wrong = np.array([1.0, 0.0]), np.array([0.0, 30.0])  # true class 0, model sure of class 1
print(f"with δ: loss {loss_with_delta(y_wrong, x_wrong):.4f} (−ln δ = {-np.log(1e-6):.4f}), gradient "
      f"{format_row(ct.numerical_gradient(lambda v: loss_with_delta(y_wrong, v), x_wrong), '.2e')}")
print(f"exact:  loss {float(ct.softmax_cross_entropy_with_logits(y_wrong, x_wrong)):.4f}, "
      f"gradient {format_row(ct.softmax_cross_entropy_grad(y_wrong, x_wrong), '.2e')}")

# %% [markdown]
# **Exercise 5.** Fix it: the cross-entropy of (possibly soft) labels and logits, one loss per row, with no $\delta$
# and no `inf`. (A smaller $\delta$, or a clip at $10^{-300}$, will not pass: the checker has a confident mistake
# whose true loss, 1000, is above $-\ln\delta$ for every float $\delta > 0$.)

# %%
def fixed_soft_loss(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_epsilon_in_log(fixed_soft_loss)

# %% [markdown]
# <details><summary>Solution</summary>
#
# The same as for pitfall 4: compute in log space from the logits, never from the probabilities.
#
# ```python
# def fixed_soft_loss(labels, logits):
#     return -(labels * ct.log_softmax(logits)).sum(axis=-1)
# ```
#
# No $\delta$ and no clip, however small, is right: the loss must be exact for every value a float can hold.
# </details>

# %%
fixed5 = -(soft_labels * ct.log_softmax(logits5)).sum(axis=-1)
ct.checks.compare("fixed vs the exact values", fixed5, [0.16984601955628565, 0.82474489013882265], rtol=1e-15)
ct.checks.compare("confident mistake vs 30 + ln(1+e^−30)", ct.softmax_cross_entropy_with_logits(y_wrong, x_wrong),
                  30.0 + np.log1p(np.exp(-30.0)), rtol=1e-15)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6 · Integer class labels in a sigmoid loss
#
# Five classes, labels given as class indices 0…4, and a model with one sigmoid output per example, trained with the
# binary formula $-z\log\sigma(x) - (1 - z)\log(1 - \sigma(x))$:

# %%
class_labels = np.array([0, 3, 1, 4, 2])  # class indices of 5 classes, one per example
logits6 = np.array([-1.0, 2.0, 0.5, 3.0, 1.0])  # one sigmoid output per example
a6 = ct.sigmoid(logits6)
loss6 = -(class_labels * np.log(a6) + (1 - class_labels) * np.log(1 - a6))
print("losses:", format_row(loss6), f"  mean: {loss6.mean():.4f}")
for x6 in (2.0, 10.0, 50.0):  # −log σ(x) = softplus(−x), −log(1 − σ(x)) = softplus(x)
    print(f"z = 3, x = {x6:4.0f}: 'loss' = {3 * float(ct.softplus(-x6)) - 2 * float(ct.softplus(x6)):9.4f}")
assert (loss6 < 0).sum() == 3

# %% [markdown]
# **Symptom:** negative losses. For $z = 3$ the weight $1 - z = -2$ turns the second term into a reward, and the
# "loss" falls without bound as the logit grows. `ct`'s binary losses accept labels in $[0, 1]$ only:

# %% tags=["raises-exception"]
ct.sigmoid_cross_entropy_with_logits(class_labels, logits6)

# %% [markdown]
# **Exercise 6.** Fix the model and the loss: give each example one logit **per class** (shape (N, 5)), and return
# one loss per example for the integer labels.

# %%
def fixed_class_loss(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_integer_labels(fixed_class_loss)

# %% [markdown]
# <details><summary>Solution</summary>
#
# Exactly one class out of $C$ is the softmax's job: $C$ logits per example and softmax cross-entropy, with the
# integer labels as they are (sparse) or one-hot encoded.
#
# ```python
# def fixed_class_loss(labels, logits):
#     return -ct.log_softmax(logits)[np.arange(len(labels)), labels]
# ```
# </details>

# %%
logits6_fixed = rng.normal(size=(5, 5))  # one row of 5 logits per example
fixed6 = ct.sparse_softmax_cross_entropy_with_logits(class_labels, logits6_fixed)
print("losses:", format_row(fixed6))
ct.checks.compare("sparse labels vs one-hot labels", fixed6,
                  ct.softmax_cross_entropy_with_logits(np.eye(5)[class_labels], logits6_fixed), rtol=1e-15)
assert (fixed6 >= 0).all()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7 · Labels outside $[0, C)$
#
# A character-level language model predicts the next character. The text has 12 symbols; the output layer was sized
# for an older vocabulary of 9.

# %%
text = "the quick fox"
vocab = sorted(set(text))
ids = np.array([vocab.index(ch) for ch in text])
lm_labels = ids[1:]  # predict each next character
N_CLASSES = 9  # BUG: hard-coded from an older vocabulary
lm_logits = rng.normal(size=(len(lm_labels), N_CLASSES))
print(f"vocabulary: {len(vocab)} symbols; labels {lm_labels.tolist()}; logits of shape {lm_logits.shape}")


def sparse_ce_by_indexing(labels, logits):
    return -ct.log_softmax(logits)[np.arange(len(labels)), labels]


# %% tags=["raises-exception"]
sparse_ce_by_indexing(lm_labels, lm_logits)

# %% [markdown]
# **Symptom:** here an `IndexError`, the lucky case: some frameworks return `nan` or 0 instead (Going deeper). And
# NumPy indexing never objects to a *negative* label, for example a padding label −1: it counts from the end and
# silently uses the last class.

# %%
padded = np.array([2, -1])
print("loss for label −1:", format_row(sparse_ce_by_indexing(padded, lm_logits[:2])[1:]),
      " = loss for label 8:", format_row(sparse_ce_by_indexing(np.array([2, 8]), lm_logits[:2])[1:]))
assert sparse_ce_by_indexing(padded, lm_logits[:2])[1] == sparse_ce_by_indexing(np.array([2, 8]), lm_logits[:2])[1]

# %% [markdown]
# `ct` checks every label and names the first bad one:

# %% tags=["raises-exception"]
ct.sparse_softmax_cross_entropy_with_logits(lm_labels, lm_logits)

# %% [markdown]
# **Exercise 7.** Write a sparse cross-entropy that returns the loss per row for good labels and raises a `ValueError`
# naming the bad label for any label outside $[0, C)$, including −1.

# %%
def checked_sparse_ce(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_label_range(checked_sparse_ce)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def checked_sparse_ce(labels, logits):
#     n_classes = logits.shape[-1]
#     bad = (labels < 0) | (labels >= n_classes)
#     if bad.any():
#         raise ValueError(f"label {labels[bad][0]} is outside the valid range [0, {n_classes})")
#     return -ct.log_softmax(logits)[np.arange(len(labels)), labels]
# ```
#
# And size the output layer from the data, `C = len(vocab)`; mask padding explicitly (PyTorch's `ignore_index`).
# </details>

# %%
lm_logits_fixed = rng.normal(size=(len(lm_labels), len(vocab)))  # C = len(vocab) = 12
fixed7 = ct.sparse_softmax_cross_entropy_with_logits(lm_labels, lm_logits_fixed)
print(f"{len(vocab)} classes, mean loss {fixed7.mean():.4f} nats (uniform guessing: ln 12 = {np.log(12):.4f})")
ct.checks.compare("ct's loss vs indexing log_softmax", fixed7, sparse_ce_by_indexing(lm_labels, lm_logits_fixed),
                  rtol=1e-15)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8 · KL argument order
#
# In maths the target comes first: $D_\text{KL}(p\|q) = \sum_i p_i \log(p_i/q_i)$, and `ct.kl_divergence(p, q)`
# follows it. PyTorch's `torch.nn.functional.kl_div(input, target)` is the other way round *and* wants `input` as
# log-probabilities. Its documented pointwise loss is `target * (log(target) - input)`; here it is in NumPy (Going
# deeper checks it against PyTorch):

# %%
def torch_style_kl_div(input, target):
    """torch.nn.functional.kl_div(input, target, reduction="sum") per row, in NumPy: Σ target·(log target − input).
    input is meant to hold log-probabilities; a target of 0 adds 0, as in PyTorch (which uses xlogy)."""
    safe = np.where(target > 0, target, 1.0)  # log 1 = 0 where the target is 0
    return (target * np.log(safe) - target * input).sum(axis=-1)


p = np.array([0.7, 0.2, 0.1])  # the target
q = np.array([0.2, 0.5, 0.3])  # the model
print(f"kl_div(p, q)     = {torch_style_kl_div(p, q):8.4f}   (maths order, probabilities)")
print(f"kl_div(log p, q) = {torch_style_kl_div(np.log(p), q):8.4f}   (maths order, log-probabilities)")
print(f"D(p‖q) = kl_divergence(p, q) = {float(ct.kl_divergence(p, q)):.4f};  D(q‖p) = {float(ct.kl_divergence(q, p)):.4f}")

# %% [markdown]
# **Symptom:** with probabilities in maths order the "divergence" is **negative**, which a KL divergence never is
# (Gibbs' inequality). Worse, with log-probabilities but the maths order the result is a plausible positive number,
# $D(q\|p)$ instead of $D(p\|q)$, and nothing warns you. `ct.kl_divergence` refuses log-probabilities:

# %% tags=["raises-exception"]
ct.kl_divergence(np.log(q), p)

# %% [markdown]
# **Exercise 8.** Compute $D_\text{KL}(p\|q)$ **with** `torch_style_kl_div` (as you would with PyTorch's `kl_div`).

# %%
def fixed_kl(p, q):
    raise NotImplementedError  # your code here


ct.checks.pitfall_kl_order(fixed_kl)

# %% [markdown]
# <details><summary>Solution</summary>
#
# The model's log-probabilities first, the target second: $\sum p\,(\log p - \log q) = D_\text{KL}(p\|q)$.
#
# ```python
# def fixed_kl(p, q):
#     return torch_style_kl_div(np.log(q), p)
# ```
# </details>

# %%
ct.checks.compare("kl_div(log q, p) vs ct.kl_divergence(p, q)", torch_style_kl_div(np.log(q), p),
                  ct.kl_divergence(p, q), rtol=1e-15)
assert torch_style_kl_div(p, q) < 0 < torch_style_kl_div(np.log(p), q), "the two symptoms"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# | # | pitfall | symptom | fix | who notices |
# |---|---|---|---|---|
# | 1 | softmax twice | loss ≥ $\ln(1 + (C-1)/e)$ | logits into the loss | Keras 3 (TensorFlow backend) after its own softmax; not PyTorch, not `ct` |
# | 2 | logits as probabilities | loss pinned at $10^{-7}$ or 16.118 (Keras 3) | `from_logits=True` | `ct.binary_crossentropy` raises |
# | 3 | max of the whole batch | `nan` rows | per-row max | `ct.softmax` |
# | 4 | `log(softmax(x))` | `inf` loss, `nan` gradient | `log_softmax` | fused losses |
# | 5 | $\delta$ in the log | too small; capped at $-\ln\delta$ | `log_softmax` | fused losses |
# | 6 | class indices in a sigmoid loss | negative loss | softmax loss | `ct` raises |
# | 7 | labels outside $[0, C)$ | `IndexError`, or silent | size from the data | `ct` names the label |
# | 8 | KL argument order | negative, or $D(q\|p)$ | `kl_div(log q, p)` | `ct` refuses log-probabilities |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Predict first:** a colleague tests a softmax cross-entropy against `ct.softmax_cross_entropy_with_logits` on
# `rng.normal(size=(8, 10))` logits with one-hot labels and `rtol=1e-4`. Which of the buggy versions from pitfalls 1,
# 3, 4 and 5 pass that test?

# %% jupyter={"outputs_hidden": true}
test_logits, test_classes = rng.normal(size=(8, 10)), rng.integers(0, 10, size=8)
test_labels = np.eye(10)[test_classes]
reference = ct.softmax_cross_entropy_with_logits(test_labels, test_logits)
candidates = {
    "1 softmax twice": buggy_loss(test_labels, test_logits),
    "3 max of the whole batch": -(test_labels * np.log(softmax_batch_max(test_logits))).sum(axis=-1),
    "4 log(softmax(x))": loss_via_log_of_softmax(test_classes, test_logits),
    "5 δ in the log": loss_with_delta(test_labels, test_logits),
}
caught = {name for name, got in candidates.items() if not np.allclose(got, reference, rtol=1e-4, atol=0)}
print("each buggy version against the reference:")  # a collapsed output shows its first line: no answer in it
for name, got in candidates.items():
    largest = np.max(np.abs(got - reference) / reference)
    print(f"  {name:26} largest relative difference {largest:8.1e}: {'caught' if name in caught else 'PASSES'}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# Three of the four pass; only softmax twice, far off, is caught. The $\delta$ is off by about $\delta/q$ relative,
# below $10^{-4}$ for these moderate probabilities. The batch max and `log(softmax(x))` are exactly right on small
# logits: they fail only on rows of very different scale or on confident mistakes, which `rng.normal` never produces.
# </details>
#
# **Exercise 9 (transfer).** Write the test the colleague should have written: `make_batch()` returns
# `(labels, logits)` of shape (N, C), labels rows of probabilities, logits finite, such that all four buggy
# versions differ from the exact loss by more than `rtol=1e-4` (or return `inf`/`nan`) on some row.

# %%
def make_batch():
    raise NotImplementedError  # your code here


ct.checks.pitfall_test_batch(make_batch)

# %% [markdown]
# <details><summary>Solution</summary>
#
# One row per bug's trigger: a row near 0 beside a row near 1000 (pitfall 3), a confident mistake whose label has
# logit 800 below the largest (pitfalls 4 and 5: $q = e^{-800}$):
#
# ```python
# def make_batch():
#     labels = np.eye(3)[[0, 1, 0]]
#     logits = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0], [-800.0, 0.0, 0.0]])
#     return labels, logits
# ```
#
# The lesson: test with the inputs that break things (rows of different scale, logits of $\pm 1000$, confident
# mistakes, soft labels), not with `rng.normal`.
# </details>

# %%
assert caught == {"1 softmax twice"}, "the colleague's test catches only softmax twice (the prediction above)"

# %% [markdown]
# ## Takeaways
#
# - Give every loss what its name says: `*_with_logits` and `from_logits=True` take raw logits; apply softmax or
#   sigmoid once, in the loss.
# - Stay in log space: `log_softmax` and logsumexp with a per-row max, never `log(softmax(x))`, never $\log(q + \delta)$.
# - Labels must match the loss: $[0, 1]$ for sigmoid losses, integers in $[0, C)$ for sparse softmax losses. A clear
#   error at the first step beats `nan` (or a silent 0) hours later.
# - Argument order is a convention: $D_\text{KL}(p\|q)$ puts the target first; PyTorch's `kl_div` puts it second and
#   wants log-probabilities.
#
# **Next:** back to [00 · Start here](00_start_here.ipynb) for the map of the collection, or
# [07 · Choosing a loss](07_choosing_a_loss.ipynb) if you came here first.

# %% [markdown]
# ## Going deeper
#
# ### Pitfall 1: what Keras 3 does with a tagged softmax, and what PyTorch does
#
# In Keras 3, `keras/src/backend/tensorflow/nn.py`, `softmax(x)` and `sigmoid(x)` set `output._keras_logits = x` on
# their result. `categorical_crossentropy`, `sparse_categorical_crossentropy` and `binary_crossentropy` call
# `_get_logits(output, from_logits, "Softmax", ...)`: if `output` has `_keras_logits` (or, in graph mode, was
# produced by a `Softmax` op) the loss takes the logits underneath and the fused path, and if `from_logits=True` was
# also passed it warns: "`categorical_crossentropy` received `from_logits=True`, but the `output` argument was
# produced by a Softmax activation and thus does not represent logits. Was this intended?". tf.keras 2.x had the
# same `_get_logits` in `keras/backend.py`. A hand-written `tf.nn.softmax` has no tag, so eager code is not caught.
# PyTorch has no such check: this cell (it prints nothing, so its output is the same with or without PyTorch) runs
# the bug in torch 2.13.0 and asserts that it gives the buggy value without a warning.

# %%
import importlib.util
import warnings

if importlib.util.find_spec("torch") is not None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # whatever torch says on import is not part of this notebook
        import torch
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        outputs = torch.softmax(torch.from_numpy(logits3), dim=-1)  # the model's softmax layer
        torch_loss = torch.nn.functional.cross_entropy(outputs, torch.from_numpy(labels3), reduction="none")
    assert not said, "PyTorch is silent about softmax applied twice"
    assert np.allclose(torch_loss.numpy(), buggy_loss(labels3, logits3), rtol=1e-12)

# %% [markdown]
# ### Pitfall 2: Keras 3 caps at 16.118, tf.keras 2.x at 15.42
#
# tf.keras 2.x (`keras/backend.py`, `binary_crossentropy`), the Keras of the TensorFlow 2 era, clipped to
# $[\delta, 1-\delta]$ *and* then computed `log(output + epsilon())` and `log(1 - output + epsilon())`, so the
# largest loss was $-\ln(2\delta) = 15.42$. Keras 3 (`keras/src/backend/tensorflow/nn.py`,
# `binary_crossentropy`) dropped the second $\delta$, and its cap is $-\ln\delta = 16.118$. Both in float64 (Keras
# computes in float32, which changes the last digits):

# %%
def tf_keras2_bce_from_probabilities(labels, outputs):
    """tf.keras 2.x, keras/backend.py, binary_crossentropy(from_logits=False): clip, then log(p + δ)."""
    p = np.clip(outputs, DELTA, 1 - DELTA)
    return -(labels * np.log(p + DELTA) + (1 - labels) * np.log(1 - p + DELTA))


cap3 = float(keras3_bce_from_probabilities(1.0, -2.0))  # logit −2 read as a probability: clipped to δ
cap2 = float(tf_keras2_bce_from_probabilities(1.0, -2.0))
print(f"Keras 3: {cap3:.6f} = −ln δ;   tf.keras 2.x: {cap2:.6f} = −ln 2δ")
ct.checks.compare("Keras 3 cap vs −ln 1e-7", cap3, -np.log(1e-7), rtol=1e-15)
ct.checks.compare("tf.keras 2.x cap vs −ln 2e-7", cap2, -np.log(2e-7), rtol=1e-15)
assert (f"{cap3:.3f}", f"{cap2:.2f}") == ("16.118", "15.42")

# %% [markdown]
# ### Pitfall 4: why the gradient is `nan`
#
# Backpropagating through `log(softmax(x))` is what autograd does: $\partial(-\log s_c)/\partial s_c = -1/s_c =
# -\infty$, multiplied by the softmax Jacobian, whose entries for that class are all 0: $0 \cdot \infty$ = `nan`.

# %%
probs = ct.softmax(logits4)
with np.errstate(divide="ignore", invalid="ignore"):  # the results below show what went wrong
    d_probs = np.zeros_like(probs)
    d_probs[rows, labels4] = -1.0 / probs[rows, labels4]  # ∂(−log s_c)/∂s
    d_logits = np.einsum("nij,ni->nj", ct.softmax_jacobian(logits4), d_probs)  # chain rule: Jᵀ·∂L/∂s
print("gradient row 0:", format_row(d_logits[0]), "  row 1:", d_logits[1])
assert np.isnan(d_logits[1]).all() and np.isfinite(d_logits[0]).all()

# %% [markdown]
# ### Pitfall 5: the bias of the δ, to first order
#
# | step | identity | because |
# |---|---|---|
# | 1 | $-\log(q + \delta) = -\log q - \log(1 + \delta/q)$ | $q + \delta = q\,(1 + \delta/q)$ and $\log(ab) = \log a + \log b$ |
# | 2 | $\log(1 + u) \approx u$ for small $u$ | first term of the Taylor series; the next is $-u^2/2$ |
# | 3 | $-\sum_j y_j \log(q_j + \delta) \approx H(y, q) - \delta \sum_j y_j / q_j$ | steps 1 and 2, summed with the weights $y_j$ |
#
# In row 1 of pitfall 5, the 0.2 on a class with $q = 0.018$ makes most of the bias.

# %%
q5 = ct.softmax(logits5)
predicted = -1e-6 * (soft_labels / q5).sum(axis=-1)  # step 3
print("predicted bias −δ·Σ y/q:", format_row(predicted, ".4g"))
ct.checks.compare("bias vs −δ·Σ y/q (to first order)", with_delta - exact, predicted, rtol=1e-3)
assert [f"{v:.4g}" for v in predicted] == ["-1.185e-06", "-1.201e-05"]
ct.checks.compare("our snippet vs ct.naive's δ version", with_delta,
                  ct.naive.softmax_cross_entropy_eps(soft_labels, logits5, eps=1e-6), rtol=1e-15)

# %% [markdown]
# ### Pitfall 7: what the frameworks do with labels ≥ C
#
# TensorFlow's `sparse_softmax_cross_entropy_with_logits` (`tensorflow/python/ops/nn_ops.py`) documents it: a label
# outside $[0, C)$ raises an exception on a CPU and returns `nan` for that row's loss and gradient on a GPU. Keras 3's
# JAX backend (`keras/src/backend/jax/nn.py`, `sparse_categorical_crossentropy`) one-hot encodes the label with
# `jax.nn.one_hot`, which gives a row of zeros for an out-of-range index, so the loss of that row is silently 0.
# PyTorch 2.13.0 raises on a CPU (checked below when it is installed; the cell prints nothing).

# %%
if importlib.util.find_spec("torch") is not None:
    try:
        torch.nn.functional.cross_entropy(torch.from_numpy(lm_logits), torch.from_numpy(lm_labels))
    except IndexError as error:
        assert "out of bounds" in str(error), error
    else:
        raise AssertionError("PyTorch accepted a label ≥ C")

# %% [markdown]
# ### Pitfall 8: the NumPy `kl_div` against PyTorch
#
# This cell checks `torch_style_kl_div` against PyTorch itself when it is installed (torch 2.13.0 on the project's
# CI), including a target with a 0, where both give 0 for that term. It prints nothing.

# %%
if importlib.util.find_spec("torch") is not None:
    p0 = np.array([0.5, 0.5, 0.0])
    for input_, target in ((p, q), (np.log(p), q), (np.log(q), p), (np.log(q), p0)):
        expected = torch.nn.functional.kl_div(torch.tensor(input_), torch.tensor(target), reduction="sum").item()
        assert abs(torch_style_kl_div(input_, target) - expected) <= 1e-15 * abs(expected) + 1e-15

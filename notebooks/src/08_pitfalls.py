# %% [markdown]
# # 08 · Pitfalls (bug hunt)
# Eight mistakes people make with cross-entropy: see the symptom, find the bug, fix it, check the fix.
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/08_pitfalls.ipynb)

# %% [markdown]
# **In this notebook you will**
# - recognise eight classic cross-entropy bugs by their symptoms: a loss that cannot go down, a loss pinned at
#   16.118, `nan`, `inf`, a loss slightly too small, a negative loss, an `IndexError` (or silence), a negative
#   "divergence";
# - find and fix each one yourself, with a checker that recognises the bug if it is still there;
# - know which `ce_teach` function (and which framework setting) guards against each.
#
# **Prerequisites:** [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb) and
# [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb); [02 · KL divergence](02_kl_divergence.ipynb) for
# the last pitfall. Notation as in [00 · Start here](00_start_here.ipynb): $x$ logits, $y$ or $z$ labels, $S(x)$ the
# softmax, $\sigma$ the sigmoid, $D_\text{KL}(p\|q)$ with the target $p$ first.
#
# **How to use it.** Each pitfall has four parts: a **broken snippet** and its **symptom** (printed, as you would
# see it in a training log); an **exercise**: fix the snippet in the stub, and the checker tells you whether the
# bug is gone (try it before reading on); the **fix**; and a **check** cell that fails loudly if the fix is wrong.

# %%
import warnings

import numpy as np

import ce_teach as ct

rng = np.random.default_rng(0)

# %% [markdown]
# Two small helpers for the printouts: NumPy's warnings are caught and printed as part of the symptom, and arrays
# are printed with a fixed format.

# %%
def show_warnings(f, *args):
    """Call f(*args) and print the NumPy warnings it raised (instead of letting them into the output)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = f(*args)
    for warning in caught:
        print(f"NumPy says: {warning.category.__name__}: {warning.message}")
    return result


def row(values, fmt="9.4f"):
    return "[" + ", ".join(f"{v:{fmt}}" for v in np.ravel(values)) + "]"


# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1 · Softmax applied twice
#
# The network already ends with a softmax layer (Keras `Dense(3, activation="softmax")`, or `nn.Softmax` at the
# end of a PyTorch model), and its output goes into a loss that applies softmax itself
# (`softmax_cross_entropy_with_logits`, `CategoricalCrossentropy(from_logits=True)`, PyTorch's `CrossEntropyLoss`).

# %%
def model_output(logits):
    return ct.softmax(logits)  # the network's last layer is a softmax


def buggy_loss(labels, logits):
    outputs = model_output(logits)
    return ct.softmax_cross_entropy_with_logits(labels, outputs)


labels3 = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
logits3 = np.array([[20.0, 0.0, 0.0], [1.0, 2.0, -1.0]])  # row 0: confident and right
print("buggy loss  ", row(buggy_loss(labels3, logits3), ".4g"))
print("true loss   ", row(ct.softmax_cross_entropy_with_logits(labels3, logits3), ".4g"))

# %% [markdown]
# **Symptom:** the loss never gets near 0, even for a perfect prediction, and training is slow. The outputs of the
# first softmax lie in $[0, 1]$, so as "logits" they differ by at most 1: the second softmax can give the true class at
# most $e/(e + C - 1)$, and the loss can never fall below $\ln\bigl(1 + (C-1)/e\bigr)$: 0.551 for three classes. Its
# gradients are damped too.

# %%
floor = np.log(1 + 2 / np.e)
random_logits = 10 * rng.normal(size=(1000, 3))
one_hot = np.eye(3)[rng.integers(0, 3, size=1000)]
print(f"loss floor ln(1 + 2/e) = {floor:.4f}; smallest buggy loss over 1000 random predictions: "
      f"{buggy_loss(one_hot, random_logits).min():.4f}")
print("gradient, buggy:", row(ct.numerical_gradient(lambda v: buggy_loss(labels3[1], v), logits3[1])))
print("gradient, true: ", row(ct.softmax_cross_entropy_grad(labels3[1], logits3[1])))
assert buggy_loss(one_hot, random_logits).min() >= floor - 1e-15

# %% [markdown]
# **Exercise.** Fix the loss: it receives the logits (the raw scores before any softmax) and one-hot labels, and
# returns one loss per row.

# %%
def fixed_loss(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_softmax_twice(fixed_loss)

# %% [markdown]
# **The fix:** apply softmax exactly once. Either pass the **logits** to the loss that applies softmax itself (and drop
# the softmax layer, or use it only for predictions), or keep the softmax layer and use a loss that takes
# probabilities (Keras `from_logits=False`). The logits route is the stable one.

# %%
def fixed_loss_solution(labels, logits):
    return ct.softmax_cross_entropy_with_logits(labels, logits)


# %%
ct.checks.compare("fixed loss vs −Σ y·log_softmax(x)", fixed_loss_solution(labels3, logits3),
                  -(labels3 * ct.log_softmax(logits3)).sum(axis=-1), rtol=1e-15)
ct.checks.pitfall_softmax_twice(fixed_loss_solution)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2 · Logits passed as probabilities
#
# The mirror image: the network outputs raw logits (no activation), but the loss expects probabilities. Keras'
# `BinaryCrossentropy()` does by default (`from_logits=False`). For probabilities Keras clips to
# $[\varepsilon, 1 - \varepsilon]$ with $\varepsilon = 10^{-7}$ and then takes logs
# (`keras/src/backend/tensorflow/nn.py`). Here is that path in NumPy, first checked on real probabilities:

# %%
EPS = 1e-7  # keras.backend.epsilon()


def keras_bce_from_probabilities(labels, outputs):
    """Keras' binary_crossentropy with from_logits=False, elementwise: clip, then the textbook formula."""
    p = np.clip(outputs, EPS, 1 - EPS)
    return -(labels * np.log(p) + (1 - labels) * np.log(1 - p))


z = np.array([1.0, 1.0, 0.0, 0.0])
probabilities = np.array([0.9, 0.3, 0.2, 1.0])
ct.checks.compare("Keras path vs ct.binary_crossentropy", keras_bce_from_probabilities(z, probabilities).mean(),
                  ct.binary_crossentropy(z, probabilities), rtol=1e-15)

# %% [markdown]
# Now feed it logits, as the buggy model does:

# %%
x = np.array([3.0, -2.0, 0.4, -0.3])  # logits from a Dense layer without activation
buggy = keras_bce_from_probabilities(z, x)
true = ct.sigmoid_cross_entropy_with_logits(z, x)
grad = ct.numerical_gradient(lambda v: keras_bce_from_probabilities(z, v).sum(), x)
print(f"{'logit':>6} {'label':>6} {'loss (logits as p)':>19} {'true loss':>10} {'gradient (logits as p)':>23}")
for values in zip(x, z, buggy, true, grad, strict=True):
    print(f"{values[0]:6.1f} {values[1]:6.0f} {values[2]:19.4g} {values[3]:10.4f} {values[4]:23.4g}")
assert np.isclose(buggy.max(), -np.log(EPS)) and np.sum(grad == 0) == 3

# %% [markdown]
# **Symptom:** losses pinned at $-\ln(1 - 10^{-7}) \approx 10^{-7}$ (any logit above 1 looks like a perfect "yes")
# or at $-\ln 10^{-7} = 16.118$ (any negative logit looks like a certain "no"), and the gradient through the clip is
# exactly 0 for three of the four examples: they stop learning. `ct` refuses the mix-up instead:

# %% tags=["raises-exception"]
ct.binary_crossentropy(z, x)  # from_logits=False, the default, as in Keras

# %% [markdown]
# **Exercise.** Fix it: the elementwise binary cross-entropy of labels `z` and **logits** `x`. The checker includes
# logits of $\pm 20$ and $\pm 40$, so "sigmoid first, then the probability loss" will not pass.

# %%
def fixed_bce(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_logits_as_probabilities(fixed_bce)

# %% [markdown]
# **The fix:** tell the loss that it gets logits: Keras `BinaryCrossentropy(from_logits=True)`, TensorFlow
# `sigmoid_cross_entropy_with_logits`, PyTorch `BCEWithLogitsLoss`, here `ct.sigmoid_cross_entropy_with_logits`
# (or `ct.binary_crossentropy(..., from_logits=True)`, which also averages over the last axis, as Keras does).

# %%
def fixed_bce_solution(labels, logits):
    return ct.sigmoid_cross_entropy_with_logits(labels, logits)


# %%
ct.checks.compare("fixed vs max(x,0) − xz + log1p(e^−|x|)", fixed_bce_solution(z, x),
                  np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x))), rtol=1e-15)
ct.checks.compare("fixed, mean vs binary_crossentropy(logits)", fixed_bce_solution(z, x).mean(),
                  ct.binary_crossentropy(z, x, from_logits=True), rtol=1e-15)
ct.checks.pitfall_logits_as_probabilities(fixed_bce_solution)

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
# It passes a quick test on small random logits. **Symptom:** as soon as the rows of a batch differ in scale (one
# row of logits around 0, one around 1000), the small row is shifted by $-1002$, every $e^{x - 1002}$ underflows to 0,
# and the row becomes $0/0$ = `nan`:

# %%
batch = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0]])
result = show_warnings(softmax_batch_max, batch)
print("row 0:", result[0], "  row 1:", row(result[1]))
assert np.isnan(result[0]).all()

# %% [markdown]
# **Exercise.** Write a softmax over the last axis that works for every row of a batch (and for a single 1-D row).

# %%
def my_softmax(x):
    raise NotImplementedError  # your code here


ct.checks.pitfall_batch_max(my_softmax)

# %% [markdown]
# **The fix:** one maximum per row, kept as a column so that it broadcasts along the row:
# `x.max(axis=-1, keepdims=True)`. `ct.softmax` (and `ct.log_softmax`, `ct.logsumexp`) do this.

# %%
def my_softmax_solution(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# %%
ct.checks.compare("per-row max, the mixed batch vs ct.softmax", my_softmax_solution(batch), ct.softmax(batch),
                  rtol=1e-15)
ct.checks.compare("row 0 = S([1, 2, 3]) on its own", my_softmax_solution(batch)[0], ct.softmax(batch[0]), rtol=1e-15)
ct.checks.pitfall_batch_max(my_softmax_solution)

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
losses = show_warnings(loss_via_log_of_softmax, labels4, logits4)
print("losses:", row(losses), "  mean:", losses.mean())

# %% [markdown]
# **Symptom:** the loss is `inf` (and the batch mean with it), and the gradient is `nan`. The true probability of
# class 0 in row 1 is $e^{-800}$, below the smallest float64 ($5 \cdot 10^{-324}$), so it is stored as 0 and
# $-\log 0 = \infty$. Backpropagating through this path is what autograd would do: $\partial(-\log s_y)/\partial s_y
# = -1/s_y = -\infty$, multiplied by the softmax Jacobian, whose entries for that class are all 0: $0 \cdot \infty$ =
# `nan`.

# %%
probs = ct.softmax(logits4)
rows = np.arange(len(labels4))
with np.errstate(divide="ignore", invalid="ignore"):  # the results below show what went wrong
    d_probs = np.zeros_like(probs)
    d_probs[rows, labels4] = -1.0 / probs[rows, labels4]  # ∂(−log s_y)/∂s
    d_logits = np.einsum("nij,ni->nj", ct.softmax_jacobian(logits4), d_probs)  # chain rule: Jᵀ·∂L/∂s
print("gradient row 0:", row(d_logits[0]), "  row 1:", d_logits[1])
assert np.isinf(losses[1]) and np.isnan(d_logits[1]).all()

# %% [markdown]
# **Exercise.** Fix it: the loss $-\log S(x)_y$ per row, for integer labels $y$, without ever forming a probability
# that can underflow.

# %%
def fixed_sparse_loss(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_log_of_softmax(fixed_sparse_loss)

# %% [markdown]
# **The fix:** stay in log space. $\log S(x)_y = x_y - \operatorname{logsumexp}(x)$ is an ordinary number ($-800$
# here): `ct.log_softmax`, or the fused `ct.sparse_softmax_cross_entropy_with_logits` (TensorFlow
# `sparse_softmax_cross_entropy_with_logits`, PyTorch `cross_entropy`, which takes logits). Its gradient is
# $S(x) - y$: no division by a probability anywhere.

# %%
def fixed_sparse_loss_solution(labels, logits):
    return -ct.log_softmax(logits)[np.arange(len(labels)), labels]


# %%
fixed_losses = fixed_sparse_loss_solution(labels4, logits4)
print("losses:", row(fixed_losses))
ct.checks.compare("fixed vs logsumexp(x) − x_y", fixed_losses, ct.logsumexp(logits4) - logits4[rows, labels4],
                  rtol=1e-15)
ct.checks.compare("fixed vs sparse_softmax_cross_entropy", fixed_losses,
                  ct.sparse_softmax_cross_entropy_with_logits(labels4, logits4), rtol=1e-15)
gradient = ct.softmax_cross_entropy_grad(np.eye(3)[labels4], logits4)
numeric = ct.numerical_gradient(lambda v: fixed_sparse_loss_solution(labels4, v).sum(), logits4)
# central differences of a loss of 800: rounding error ≈ 800·ε/1e-6 ≈ 2e-7, hence atol 1e-6
ct.checks.compare("gradient S − y vs finite differences", gradient, numeric, rtol=1e-6, atol=1e-6)
ct.checks.pitfall_log_of_softmax(fixed_sparse_loss_solution)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5 · The ε in the log
#
# The usual "fix" for pitfall 4 is an $\varepsilon$ inside the log, so that the log never sees 0:

# %%
def loss_with_epsilon(labels, logits, eps=1e-6):
    return -(labels * np.log(ct.softmax(logits) + eps)).sum(axis=-1)  # "+ eps to avoid log(0)"


soft_labels = np.array([[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]])
logits5 = np.array([[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]])
with_eps = loss_with_epsilon(soft_labels, logits5)
exact = ct.softmax_cross_entropy_with_logits(soft_labels, logits5)
print("with ε = 1e-6:", np.array2string(with_eps, precision=8, floatmode="fixed", separator=", "))
print("from logits:  ", row(exact, ".17g"))
print("difference:   ", row(with_eps - exact, ".5e"))

# %% [markdown]
# **Symptom 1:** the loss is a little too small, and not by rounding: the exact values are 0.16984601955628565 and
# 0.82474489013882270 (50-digit arithmetic), which the float64 loss from the logits matches to the last digit or
# two (checked below). One step per line:
#
# | step | identity | because |
# |---|---|---|
# | 1 | $-\log(q + \varepsilon) = -\log q - \log(1 + \varepsilon/q)$ | $q + \varepsilon = q\,(1 + \varepsilon/q)$ and $\log(ab) = \log a + \log b$ |
# | 2 | $\log(1 + u) \approx u$ for small $u$ | first term of the Taylor series; the next is $-u^2/2$ |
# | 3 | $-\sum_j y_j \log(q_j + \varepsilon) \approx H(y, q) - \varepsilon \sum_j y_j / q_j$ | steps 1 and 2, summed with the weights $y_j$ |
#
# The bias is largest where label mass sits on a class the model thinks unlikely: in row 1, the 0.2 on a class with
# $q = 0.018$ makes most of it.

# %%
q5 = ct.softmax(logits5)
predicted = -1e-6 * (soft_labels / q5).sum(axis=-1)  # step 3
print("predicted bias −ε·Σ y/q:", row(predicted, ".4g"))
assert np.array_equal(np.round(with_eps, 8), [0.16984483, 0.82473288]), "the ε loss is not reproduced"
ct.checks.compare("loss from logits vs the exact values", exact, [0.16984601955628565, 0.82474489013882270],
                  rtol=1e-15)
ct.checks.compare("bias vs −ε·Σ y/q (to first order)", with_eps - exact, predicted, rtol=1e-3)
assert [f"{v:.4g}" for v in predicted] == ["-1.185e-06", "-1.201e-05"]
ct.checks.compare("our snippet vs ct.naive's ε version", with_eps,
                  ct.naive.softmax_cross_entropy_eps(soft_labels, logits5, eps=1e-6), rtol=1e-15)

# %% [markdown]
# **Symptom 2:** a confident mistake is capped. When $q \ll \varepsilon$, $-\log(q + \varepsilon) \approx -\ln
# \varepsilon = 13.8$, however wrong the model is, and the gradient vanishes there: exactly the examples that
# most need correcting stop being corrected.

# %%
y_wrong, x_wrong = np.array([1.0, 0.0]), np.array([0.0, 30.0])  # true class 0, model sure of class 1
print(f"with ε: loss {loss_with_epsilon(y_wrong, x_wrong):.4f} (−ln ε = {-np.log(1e-6):.4f}), "
      f"gradient {row(ct.numerical_gradient(lambda v: loss_with_epsilon(y_wrong, v), x_wrong), '.2e')}")
print(f"exact:  loss {float(ct.softmax_cross_entropy_with_logits(y_wrong, x_wrong)):.4f}, "
      f"gradient {row(ct.softmax_cross_entropy_grad(y_wrong, x_wrong), '.2e')}")

# %% [markdown]
# **Exercise.** Fix it: the cross-entropy of (possibly soft) labels and logits, one loss per row, with no ε and no
# `inf`.

# %%
def fixed_soft_loss(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_epsilon_in_log(fixed_soft_loss)

# %% [markdown]
# **The fix:** the same as for pitfall 4: compute in log space from the logits, never from the probabilities.
# `ct.softmax_cross_entropy_with_logits`, or $-\sum_j y_j \cdot$ `log_softmax(x)`$_j$.

# %%
def fixed_soft_loss_solution(labels, logits):
    return -(labels * ct.log_softmax(logits)).sum(axis=-1)


# %%
ct.checks.compare("fixed vs the exact values", fixed_soft_loss_solution(soft_labels, logits5),
                  [0.16984601955628565, 0.82474489013882270], rtol=1e-15)
ct.checks.compare("fixed, confident mistake vs 30 + ln(1+e^−30)", fixed_soft_loss_solution(y_wrong, x_wrong),
                  30.0 + np.log1p(np.exp(-30.0)), rtol=1e-15)
ct.checks.pitfall_epsilon_in_log(fixed_soft_loss_solution)

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
print("losses:", row(loss6), f"  mean: {loss6.mean():.4f}")

# %% [markdown]
# **Symptom:** negative losses. For $z = 3$, the weight $1 - z = -2$ turns the second term into a reward, and the
# "loss" falls without bound as the logit grows (written with $-\log\sigma(x) = \operatorname{softplus}(-x)$ and
# $-\log(1 - \sigma(x)) = \operatorname{softplus}(x)$, which do not overflow): gradient descent happily drives it
# to $-\infty$.

# %%
for x6 in (2.0, 10.0, 50.0):
    print(f"z = 3, x = {x6:4.0f}: 'loss' = {3 * float(ct.softplus(-x6)) - 2 * float(ct.softplus(x6)):9.4f}")
assert (loss6 < 0).sum() == 3

# %% [markdown]
# `ct`'s binary losses accept labels in $[0, 1]$ only (hard or soft), and say so:

# %% tags=["raises-exception"]
ct.sigmoid_cross_entropy_with_logits(class_labels, logits6)

# %% [markdown]
# **Exercise.** Fix the model and the loss: give each example one logit **per class** (an array of shape (N, 5)), and
# return one loss per example for the integer labels.

# %%
def fixed_class_loss(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_integer_labels(fixed_class_loss)

# %% [markdown]
# **The fix:** exactly one class out of $C$ is the softmax's job: $C$ logits per example and softmax cross-entropy,
# with the integer labels as they are (sparse) or one-hot encoded. (One-hot labels with the *sigmoid* loss would
# train $C$ independent yes/no questions instead: that is multi-label classification, a different model.)

# %%
def fixed_class_loss_solution(labels, logits):
    return ct.sparse_softmax_cross_entropy_with_logits(labels, logits)


# %%
logits6_fixed = rng.normal(size=(5, 5))  # one row of 5 logits per example
fixed6 = fixed_class_loss_solution(class_labels, logits6_fixed)
print("losses:", row(fixed6))
ct.checks.compare("sparse labels vs one-hot labels", fixed6,
                  ct.softmax_cross_entropy_with_logits(np.eye(5)[class_labels], logits6_fixed), rtol=1e-15)
assert (fixed6 >= 0).all()
ct.checks.pitfall_integer_labels(fixed_class_loss_solution)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7 · Labels outside $[0, C)$
#
# A character-level language model: the next character is the label. The vocabulary of the text has 12 symbols, but
# the output layer was sized from an older vocabulary with 9.

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
# **Symptom:** here an `IndexError`, which is the lucky case. Frameworks disagree on labels $\ge C$: eager
# TensorFlow and PyTorch raise, TensorFlow under XLA compilation (the default for Keras on a GPU) silently returns
# `nan`, and Keras' JAX backend silently returns a loss of 0 for them. And NumPy indexing never objects to a
# *negative* label, for example a padding label −1: it counts from the end and silently uses the last class.

# %%
padded = np.array([2, -1])
print("loss for label −1:", row(sparse_ce_by_indexing(padded, lm_logits[:2])[1:]),
      " = loss for label 8:", row(sparse_ce_by_indexing(np.array([2, 8]), lm_logits[:2])[1:]))
assert sparse_ce_by_indexing(padded, lm_logits[:2])[1] == sparse_ce_by_indexing(np.array([2, 8]), lm_logits[:2])[1]

# %% [markdown]
# `ct` checks every label and names the first bad one:

# %% tags=["raises-exception"]
ct.sparse_softmax_cross_entropy_with_logits(lm_labels, lm_logits)

# %% [markdown]
# **Exercise.** Write a sparse cross-entropy that computes the loss per row for good labels and raises a `ValueError`
# naming the bad label for any label outside $[0, C)$, including −1.

# %%
def checked_sparse_ce(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.pitfall_label_range(checked_sparse_ce)

# %% [markdown]
# **The fix** has two parts. Make the bug impossible: size the output layer from the data, `C = len(vocab)`
# (and, if padding labels are wanted, mask them out of the loss explicitly, like PyTorch's `ignore_index`). And let
# the loss check its labels, so the next mismatch is an error at the first step rather than `nan` (or 0) later.

# %%
def checked_sparse_ce_solution(labels, logits):
    n_classes = logits.shape[-1]
    bad = (labels < 0) | (labels >= n_classes)
    if bad.any():
        raise ValueError(f"label {labels[bad][0]} is outside the valid range [0, {n_classes})")
    return -ct.log_softmax(logits)[np.arange(len(labels)), labels]


# %%
lm_logits_fixed = rng.normal(size=(len(lm_labels), len(vocab)))  # C = len(vocab) = 12
fixed7 = checked_sparse_ce_solution(lm_labels, lm_logits_fixed)
print(f"{len(vocab)} classes, mean loss {fixed7.mean():.4f} nats (uniform guessing: ln 12 = {np.log(12):.4f})")
ct.checks.compare("checked loss vs ct's sparse softmax CE", fixed7,
                  ct.sparse_softmax_cross_entropy_with_logits(lm_labels, lm_logits_fixed), rtol=1e-15)
ct.checks.pitfall_label_range(checked_sparse_ce_solution)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8 · KL argument order
#
# In maths, the target comes first: $D_\text{KL}(p\|q) = \sum_i p_i \log(p_i/q_i)$, and `ct.kl_divergence(p, q)`
# follows it. PyTorch's `torch.nn.functional.kl_div(input, target)` is the other way round *and* wants `input` as
# log-probabilities: its documentation gives the pointwise loss `target * (log(target) - input)`. PyTorch is an
# optional extra here, so this notebook uses that documented formula in NumPy:

# %%
def torch_style_kl_div(input, target):
    """torch.nn.functional.kl_div(input, target, reduction="sum"), per row, in NumPy. Its documentation
    (https://pytorch.org/docs/stable/generated/torch.nn.functional.kl_div.html) gives the pointwise loss
    target * (log(target) - input), with input expected to be log-probabilities."""
    return (target * (np.log(target) - input)).sum(axis=-1)


p = np.array([0.7, 0.2, 0.1])  # the target
q = np.array([0.2, 0.5, 0.3])  # the model
print(f"kl_div(p, q)         = {torch_style_kl_div(p, q):8.4f}   (maths order, probabilities)")
print(f"kl_div(log p, q)     = {torch_style_kl_div(np.log(p), q):8.4f}   (maths order, log-probabilities)")
print(f"D(p‖q) = kl_divergence(p, q) = {float(ct.kl_divergence(p, q)):.4f};  D(q‖p) = {float(ct.kl_divergence(q, p)):.4f}")

# %% [markdown]
# This cell checks the NumPy version against PyTorch itself, when PyTorch is installed (it is on the project's CI;
# learners do not need it). It prints nothing, so its output is the same with or without PyTorch.

# %%
import importlib.util

if importlib.util.find_spec("torch") is not None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # whatever torch says on import is not part of this notebook
        import torch
    for input_, target in ((p, q), (np.log(p), q), (np.log(q), p)):
        expected = torch.nn.functional.kl_div(torch.tensor(input_), torch.tensor(target), reduction="sum").item()
        assert abs(torch_style_kl_div(input_, target) - expected) <= 1e-15 * abs(expected) + 1e-15

# %% [markdown]
# **Symptom:** with probabilities in maths order, the "divergence" is **negative**, which a KL divergence never is
# (Gibbs' inequality). Worse, with log-probabilities but the maths order the result is a perfectly plausible
# positive number, $D(q\|p)$ instead of $D(p\|q)$, and nothing warns you. `ct.kl_divergence` takes probabilities
# that sum to 1 and refuses log-probabilities:

# %% tags=["raises-exception"]
ct.kl_divergence(np.log(q), p)

# %% [markdown]
# **Exercise.** Compute $D_\text{KL}(p\|q)$ **with** `torch_style_kl_div` (as you would with PyTorch's `kl_div`).

# %%
def fixed_kl(p, q):
    raise NotImplementedError  # your code here


ct.checks.pitfall_kl_order(fixed_kl)

# %% [markdown]
# **The fix:** `kl_div(input=log q, target=p)` computes $\sum p\,(\log p - \log q) = D_\text{KL}(p\|q)$: the model's
# log-probabilities first, the target second. (With a batch, also pass `reduction="batchmean"`: PyTorch's default
# `"mean"` divides by the number of *elements*, not examples.)

# %%
def fixed_kl_solution(p, q):
    return torch_style_kl_div(np.log(q), p)


# %%
ct.checks.compare("kl_div(log q, p) vs ct.kl_divergence(p, q)", fixed_kl_solution(p, q), ct.kl_divergence(p, q),
                  rtol=1e-15)
ct.checks.compare("… vs Σ p·log(p/q) by hand", fixed_kl_solution(p, q), (p * np.log(p / q)).sum(), rtol=1e-15)
ct.checks.pitfall_kl_order(fixed_kl_solution)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# | # | pitfall | symptom | fix | guard in `ce_teach` |
# |---|---|---|---|---|
# | 1 | softmax applied twice | loss never below $\ln(1 + (C-1)/e)$ (0.551 for 3 classes), damped gradients | apply softmax once: logits into the `*_with_logits` loss | none can tell: probabilities are valid logits. The names `softmax_cross_entropy_with_logits`, `from_logits=True` say what goes in |
# | 2 | logits passed as probabilities | losses pinned at $10^{-7}$ or 16.118, zero gradients | `from_logits=True` / `sigmoid_cross_entropy_with_logits` | `ct.binary_crossentropy`, `ct.categorical_crossentropy` raise for probabilities outside $[0, 1]$ |
# | 3 | max of the whole batch | `nan` rows once rows differ in scale; small tests pass | `x.max(axis=-1, keepdims=True)` | `ct.softmax`, `ct.log_softmax`, `ct.logsumexp` shift per row |
# | 4 | `log(softmax(x))` | `inf` loss, `nan` gradient for a confident mistake | log space: $x_y - \operatorname{logsumexp}(x)$ | `ct.log_softmax`, `ct.sparse_softmax_cross_entropy_with_logits` |
# | 5 | ε in the log | loss too small by $\approx \varepsilon \sum y/q$; capped at $-\ln\varepsilon$ with a vanishing gradient | log space from the logits, no ε | `ct.softmax_cross_entropy_with_logits` (`ct.naive.softmax_cross_entropy_eps` keeps the bug for demonstrations) |
# | 6 | integer class labels in a sigmoid loss | negative loss that falls without bound | $C$ logits per example, softmax cross-entropy (sparse or one-hot) | `ct.sigmoid_cross_entropy_with_logits` raises for labels outside $[0, 1]$ |
# | 7 | labels outside $[0, C)$ | `IndexError`, or silently: −1 wraps to the last class, `nan` (XLA), 0 (JAX backend) | size the output from the vocabulary; mask padding explicitly | `ct.sparse_softmax_cross_entropy_with_logits` raises naming the label and the range |
# | 8 | KL argument order | negative "divergence", or silently $D(q\|p)$ | `kl_div(log q, p)`; or maths order with `ct.kl_divergence(p, q)` | `ct.kl_divergence(p, q)` is in maths order and refuses log-probabilities |
#
# ## Check yourself
#
# **Question.** A colleague tests a softmax cross-entropy against `ct.softmax_cross_entropy_with_logits` on
# `rng.normal(size=(8, 10))` logits with one-hot labels and `rtol=1e-6`. Which of the buggy versions from
# pitfalls 1, 3, 4 and 5 would pass that test? Decide, then run the next cell.

# %%
test_logits = rng.normal(size=(8, 10))
test_classes = rng.integers(0, 10, size=8)
test_labels = np.eye(10)[test_classes]
reference = ct.softmax_cross_entropy_with_logits(test_labels, test_logits)
candidates = {
    "1 softmax twice": buggy_loss(test_labels, test_logits),
    "3 max of the whole batch": -(test_labels * np.log(softmax_batch_max(test_logits))).sum(axis=-1),
    "4 log(softmax(x))": loss_via_log_of_softmax(test_classes, test_logits),
    "5 ε in the log": loss_with_epsilon(test_labels, test_logits),
}
caught = {name for name, got in candidates.items() if not np.allclose(got, reference, rtol=1e-6, atol=0)}
for name, got in candidates.items():
    largest = np.max(np.abs(got - reference) / reference)
    print(f"{name:26} largest relative difference {largest:8.1e}: {'caught' if name in caught else 'PASSES'}")
assert caught == {"1 softmax twice", "5 ε in the log"}
assert np.allclose(candidates["5 ε in the log"], reference, rtol=1e-4, atol=0), "the ε bias is below 1e-4 relative"

# %% [markdown]
# <details><summary>Answer</summary>
#
# Only the bugs that change the value for ordinary inputs are caught: softmax twice (far off) and the ε (off by
# about $\varepsilon/q_\text{true}$, just above the tolerance here; with `rtol=1e-4` it would pass too). The batch max
# and `log(softmax(x))` are exactly right on small logits: they fail only on rows of very different scale or on
# confident mistakes, which a test on `rng.normal` never produces. Test with the inputs that break things: rows of very
# different scale, logits of ±1000, confident mistakes, soft labels, and bad labels that must raise.
# </details>
#
# ## Takeaways
#
# - Give every loss what its name says: `*_with_logits` and `from_logits=True` take raw logits; apply softmax or
#   sigmoid once, in the loss, not also in the model.
# - Stay in log space: `log_softmax` and logsumexp with a per-row max, never `log(softmax(x))`, never
#   `log(q + ε)`.
# - Labels must match the loss: $[0, 1]$ for sigmoid losses, integers in $[0, C)$ for sparse softmax losses. A clear
#   error at the first step beats `nan` (or a silent 0) hours later.
# - Argument order is a convention, not a law: $D_\text{KL}(p\|q)$ puts the target first; PyTorch's `kl_div` puts it
#   second and wants log-probabilities.
#
# **Next:** back to [00 · Start here](00_start_here.ipynb) for the map of the collection, or
# [06 · MSE vs cross-entropy](06_mse_vs_ce.ipynb) and [07 · Choosing a loss](07_choosing_a_loss.ipynb) if you came
# here first.

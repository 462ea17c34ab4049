# %% [markdown]
# # 05 · Softmax and categorical cross-entropy
# From logits to probabilities for C classes, the loss that goes with them, and the numbers the frameworks print.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/05_softmax_ce.ipynb)

# %% [markdown]
# **In this notebook you will**
# - compute the softmax $S(x)$ stably: shift invariance, the overflow of the textbook form, the log-sum-exp trick
#   and `log_softmax`;
# - derive the softmax Jacobian and the cross-entropy gradient $S(x) - y$, and check both by finite differences;
# - see that softmax cross-entropy is the negative log-likelihood of the labels, and what the loss is before training;
# - use one-hot, soft and sparse labels, and reproduce what TensorFlow and Keras print.
#
# **Prerequisites:** [03 · Cross-entropy](03_cross_entropy.ipynb) ($H(p, q) = -\sum p \ln q$, the average negative
# log-likelihood) and [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb) (logits, the max/log1p tricks).
# Notation as in [00 · Start here](00_start_here.ipynb): $x$ logits, $y$ the label vector (one-hot or soft), $c$ the
# index of the true class, $C$ the number of classes, $S(x)$ the softmax, $\ln$ the natural log (nats).

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1 · Softmax: logits to probabilities
#
# A classifier's last layer gives one real number per class, the logits $x_1, \dots, x_C$. To read them as
# probabilities, make each positive with $e^{x_i}$ and divide by the total:
#
# $$S(x)_i = \frac{e^{x_i}}{\sum_{j=1}^{C} e^{x_j}}, \qquad S(x)_i > 0, \qquad \sum_i S(x)_i = 1.$$
#
# A logit 1 larger gets $e \approx 2.72$ times the share. **Reproduce:** $S([3, 1, -3]) = [0.87887824, 0.11894324,
# 0.00217852]$.

# %%
x = np.array([3.0, 1.0, -3.0])
by_hand = np.exp(x) / np.exp(x).sum()
s = ct.softmax(x)
print("S([3, 1, -3]) =", np.array2string(s, precision=8, floatmode="fixed", separator=", "), f"  sum = {s.sum():.17g}")

# %%
ct.checks.compare("softmax: by hand vs ct.softmax", by_hand, s, rtol=1e-15)
assert np.array_equal(np.round(s, 8), [0.87887824, 0.11894324, 0.00217852]), "S([3, 1, -3]) is not reproduced"
print("S([3, 1, -3]) reproduces the curriculum's 8 decimals")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2 · Shift invariance
#
# Adding the same constant $\Delta$ to every logit changes nothing:
#
# $$
# \begin{aligned}
# S(x + \Delta)_i &= \frac{e^{x_i + \Delta}}{\sum_j e^{x_j + \Delta}} && \text{the definition, with } x_j + \Delta \text{ for } x_j \\
#   &= \frac{e^{\Delta}\, e^{x_i}}{e^{\Delta} \sum_j e^{x_j}} && \text{because } e^{a + b} = e^{a} e^{b} \text{, and } e^{\Delta}
#      \text{ does not depend on } j \\
#   &= S(x)_i && \text{because } e^{\Delta} > 0 \text{ cancels.}
# \end{aligned}
# $$
#
# Only the *differences* between logits matter. This is the whole trick behind every stable softmax: pick
# $\Delta = -\max_j x_j$.

# %%
for shift in [-5.0, 0.5, 100.0, -np.max(x)]:
    shifted = np.exp(x + shift) / np.exp(x + shift).sum()
    ct.checks.compare(f"S(x + Δ) vs S(x), Δ = {shift:g}", shifted, by_hand, rtol=1e-14)

# %% [markdown]
# (Not bit for bit: $e^{x_i + \Delta}$ and $e^{\Delta} e^{x_i}$ round differently, hence `rtol=1e-14`.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3 · The textbook form overflows
#
# In float64, $e^{x}$ is `inf` for $x > 709.78$ (in float32 for $x > 88.72$). For $[1000, 0]$ the textbook formula
# (`ct.naive.softmax`) computes $\infty / \infty$ = `nan`, although the answer is an ordinary $[1, e^{-1000}]$.

# %%
import warnings

big = np.array([1000.0, 0.0])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    e = np.exp(big)
print(f"np.exp([1000, 0]) = {e}   NumPy said: {caught[0].message}")
print(f"ct.naive.softmax([1000, 0])            = {ct.naive.softmax(big)}")
print(f"ct.naive.softmax([100, 0] as float32)  = {ct.naive.softmax(np.array([100.0, 0.0], dtype=np.float32))}")
print(f"ct.softmax([1000, 0])                  = {ct.softmax(big)}   (uses S(x) = S(x - max x))")

# %%
assert np.isnan(ct.naive.softmax(big)[0]) and np.isnan(ct.naive.softmax(np.float32([100.0, 0.0]))[0])
ct.checks.compare("ct.softmax([1000, 0]) vs [1, 0]", ct.softmax(big), [1.0, 0.0], rtol=0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4 · The log-sum-exp trick
#
# The loss needs $\ln \sum_j e^{x_j}$, the log of softmax's denominator. The same shift makes it safe. With
# $m = \max_j x_j$:
#
# $$
# \begin{aligned}
# \ln \sum_j e^{x_j} &= \ln \Big( e^{m} \sum_j e^{x_j - m} \Big) && \text{because } e^{x_j} = e^{m} e^{x_j - m} \\
#   &= m + \ln \sum_j e^{x_j - m} && \text{because } \ln(ab) = \ln a + \ln b \text{ and } \ln e^{m} = m.
# \end{aligned}
# $$
#
# Every exponent $x_j - m \le 0$, so nothing overflows; the largest term is $e^{0} = 1$, so the log never sees 0.

# %%
def logsumexp_by_hand(x):
    m = x.max(axis=-1, keepdims=True)
    return (m + np.log(np.exp(x - m).sum(axis=-1, keepdims=True)))[..., 0]


rows = np.array([[3.0, 1.0, -3.0], [1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
with np.errstate(over="ignore", divide="ignore"):
    textbook = np.log(np.exp(rows).sum(axis=-1))
print("textbook ln Σ e^x :", textbook)
print("shifted by the max:", logsumexp_by_hand(rows))

# %%
ct.checks.compare("log-sum-exp by hand vs ct.logsumexp", logsumexp_by_hand(rows), ct.logsumexp(rows), rtol=1e-15)
ct.checks.compare("row 3 is -1000 + ln 3", logsumexp_by_hand(rows)[2], -1000.0 + np.log(3.0), rtol=1e-15)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5 · `log_softmax`, and why `log(softmax(x))` is not it
#
# Cross-entropy needs log-probabilities. Taking logs of the definition:
#
# $$
# \begin{aligned}
# \ln S(x)_i &= x_i - \ln \sum_j e^{x_j} && \text{because } \ln(a/b) = \ln a - \ln b \text{ and } \ln e^{x_i} = x_i \\
#   &= (x_i - m) - \ln \sum_j e^{x_j - m} && \text{the log-sum-exp trick of section 4.}
# \end{aligned}
# $$
#
# Computing $S(x)$ first and then its log **underflows**: for $x = [0, -800]$, $S(x)_1 \approx e^{-800} \approx
# 10^{-348}$ is below the smallest float64 ($4.9 \times 10^{-324}$), so it is stored as 0 and $\ln 0 = -\infty$,
# although $\ln S(x)_1 \approx -800$ is an ordinary number. (A last-digit subtlety of confident rows: *Going
# deeper*, part C.)

# %%
def max_shift_log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


row = np.array([0.0, -800.0])
print(f"log(softmax([0, -800])) = {ct.naive.log_softmax(row)}")
print(f"max-shift log_softmax   = {max_shift_log_softmax(row)}")
print(f"ct.log_softmax          = {ct.log_softmax(row)}")

# %%
assert ct.naive.log_softmax([0.0, -800.0])[1] == -np.inf
ct.checks.compare("ct.log_softmax([0, -800])", ct.log_softmax([0.0, -800.0]), [0.0, -800.0], rtol=1e-15)
x_random = 3 * rng.normal(size=(4, 6))
ct.checks.compare("ct.log_softmax vs the max-shift formula", ct.log_softmax(x_random),
                  max_shift_log_softmax(x_random), rtol=1e-13)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6 · The Jacobian of softmax
#
# Raising $x_j$ raises $S_j$ and takes probability from all the others. With $Z = \sum_k e^{x_k}$, so that
# $S_i = e^{x_i}/Z$ and $\partial Z/\partial x_j = e^{x_j}$, and $[i = j]$ meaning 1 if $i = j$ and 0 otherwise:
#
# $$
# \begin{aligned}
# \frac{\partial S_i}{\partial x_j} &= \frac{[i = j]\, e^{x_i} \cdot Z - e^{x_i} \cdot e^{x_j}}{Z^2}
#   && \text{quotient rule } (f/g)' = (f'g - fg')/g^2 \\
#   &= [i = j]\, S_i - S_i S_j && \text{split the fraction; } S_i = e^{x_i}/Z.
# \end{aligned}
# $$
#
# As a matrix, with $s = S(x)$: $J = \operatorname{diag}(s) - s s^\top$. It is symmetric and its rows sum to 0 (the
# probabilities always sum to 1, so their changes sum to 0). Every entry lies in $[-\tfrac14, \tfrac14]$: a product
# of two probabilities that sum to at most 1, $S_i(1 - S_i)$ or $S_i S_j$.

# %%
x_jac = np.array([2.0, 1.0, 0.2, -1.0])
jac_plot = plotting.draw_jacobian(x_jac)
plt.show()

# %%
s_jac = ct.softmax(x_jac)
numerical = np.array([ct.numerical_gradient(lambda v, i=i: ct.softmax(v)[i], x_jac) for i in range(x_jac.size)])
ct.checks.compare("diag(s) - s sᵀ vs ct.softmax_jacobian", np.diag(s_jac) - np.outer(s_jac, s_jac),
                  ct.softmax_jacobian(x_jac), rtol=1e-15)
ct.checks.compare("finite differences vs ct.softmax_jacobian", numerical, ct.softmax_jacobian(x_jac),
                  rtol=1e-6, atol=1e-9)
ct.checks.compare("rows of J sum to 0", ct.softmax_jacobian(x_jac).sum(axis=1), np.zeros(4), atol=1e-16)

# %% [markdown]
# Central differences are accurate to about $10^{-10}$ here, hence `atol=1e-9` for the entries near 0.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7 · The cross-entropy gradient: $S(x) - y$
#
# The loss for a label vector $y$ (one-hot or soft, $\sum_j y_j = 1$) is $L = -\sum_j y_j \ln S_j$. The chain rule
# through the Jacobian:
#
# $$
# \begin{aligned}
# \frac{\partial L}{\partial x_i} &= -\sum_j y_j \frac{1}{S_j} \frac{\partial S_j}{\partial x_i}
#   && \text{chain rule, with } \tfrac{d}{du} \ln u = \tfrac{1}{u} \\
#   &= -\sum_j y_j \big([j = i] - S_i\big) && \text{section 6 with } i, j \text{ swapped: } \tfrac{\partial S_j}{\partial x_i} = S_j([j = i] - S_i) \text{; } S_j \text{ cancels} \\
#   &= -y_i + S_i \textstyle\sum_j y_j = S_i - y_i && \text{because } \textstyle\sum_j y_j = 1.
# \end{aligned}
# $$
#
# Prediction minus target, as for the sigmoid. For a one-hot label it is $S_c - 1 \le 0$ at the true class $c$
# (raise that logit) and $S_i \ge 0$ at every other class (lower them).

# %%
x_g = np.array([1.0, -0.5, 2.0, 0.3])
labels_g = {"one-hot, true class 1": np.array([0.0, 1.0, 0.0, 0.0]), "soft": np.array([0.1, 0.6, 0.2, 0.1])}
for name, y_g in labels_g.items():
    numerical = ct.numerical_gradient(lambda v, y_g=y_g: ct.softmax_cross_entropy_with_logits(y_g, v), x_g)
    chain_rule = ct.softmax_jacobian(x_g).T @ (-y_g / ct.softmax(x_g))  # Jᵀ · ∂L/∂S
    ct.checks.compare(f"{name}: S(x) - y vs finite differences", ct.softmax(x_g) - y_g, numerical, rtol=1e-6,
                      atol=1e-9)
    ct.checks.compare(f"{name}: Jᵀ(-y/S) vs S(x) - y", chain_rule, ct.softmax(x_g) - y_g, rtol=1e-12, atol=1e-15)
    ct.checks.compare(f"{name}: vs ct.softmax_cross_entropy_grad", ct.softmax_cross_entropy_grad(y_g, x_g),
                      ct.softmax(x_g) - y_g, rtol=1e-15)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8 · The same loss as a negative log-likelihood
#
# Notebook 03 showed that cross-entropy is the average negative log-likelihood: a batch's **likelihood** is the
# product of the probabilities the model gave to what actually happened, $\prod_n S(x_n)_{c_n}$, and
#
# $$L = -\frac1N \ln \prod_{n=1}^{N} S(x_n)_{c_n} = \frac1N \sum_{n=1}^{N} -\ln S(x_n)_{c_n}.$$
#
# So softmax cross-entropy is two steps: `log_softmax` turns logits into log-probabilities, and the **negative
# log-likelihood** (NLL) picks $-\ln S(x_n)_{c_n}$ from each row and averages. PyTorch names both:
# `CrossEntropyLoss(x, c)` is `NLLLoss(log_softmax(x), c)`.
#
# The gradient of the **batch mean** with respect to row $n$'s logits: only the loss of example $n$,
# $\ell_n = -\ln S(x_n)_{c_n}$, depends on $x_n$, so $\partial L / \partial x_n = \frac1N (S(x_n) - y_n)$, with $y_n$
# the one-hot row of $c_n$. With a summed loss instead, the gradient, and so each training step, is $N$ times larger.

# %%
x_batch = 2 * rng.normal(size=(4, 5))
c_batch = np.array([1, 0, 4, 2])
log_q = ct.log_softmax(x_batch)
nll = -log_q[np.arange(4), c_batch].mean()  # NLLLoss: minus the log-probability of each true class, averaged
likelihood = np.prod(ct.softmax(x_batch)[np.arange(4), c_batch])
print(f"likelihood {likelihood:.6g};  -ln(likelihood)/N = {-np.log(likelihood) / 4:.10f};  NLL = {nll:.10f}")

# %%
ce_mean = ct.sparse_softmax_cross_entropy_with_logits(c_batch, x_batch).mean()
ct.checks.compare("NLL of log_softmax vs softmax cross-entropy", nll, ce_mean, rtol=1e-15)
ct.checks.compare("-ln(likelihood)/N vs NLL", -np.log(likelihood) / 4, nll, rtol=1e-13)
numerical = ct.numerical_gradient(lambda v: ct.sparse_softmax_cross_entropy_with_logits(c_batch, v).mean(), x_batch)
y_batch = np.eye(5)[c_batch]  # one-hot rows
ct.checks.compare("∂(batch mean)/∂x vs (S(x) - y)/N", numerical, (ct.softmax(x_batch) - y_batch) / 4,
                  rtol=1e-6, atol=1e-10)

# %% [markdown]
# **Predict first:** a freshly initialised classifier for $C = 10$ classes has small random weights, so its logits
# are all close to 0. Before any training, on a batch of 1,000 examples, is its loss near 0? Near 1? Something else
# (which number)?

# %% jupyter={"outputs_hidden": true}
C = 10
x_init = 0.01 * rng.normal(size=(1000, C))  # an untrained model: logits near 0
c_init = rng.integers(0, C, size=1000)
loss_init = ct.sparse_softmax_cross_entropy_with_logits(c_init, x_init).mean()
print("An untrained model, before any training:")
print(f"loss before training: {loss_init:.4f} nats;  ln C = ln {C} = {np.log(C):.4f}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# Neither 0 nor 1: about $\ln C = \ln 10 = 2.303$ nats. Logits near 0 make $S(x) \approx$ uniform, $1/C$ for every
# class, and $-\ln(1/C) = \ln C$. A loss of 0 would mean the untrained model is certain of every right answer. In
# practice this is a free sanity check: if the first loss of a $C$-class model is far from $\ln C$, the
# initialisation or the loss is wrong.
#
# </details>

# %%
assert abs(loss_init - np.log(C)) < 0.01, "the loss at initialisation is ln C"
print(f"|loss - ln C| = {abs(loss_init - np.log(C)):.2e}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 9 · One-hot, soft and sparse labels
#
# The same label can be written three ways:
#
# | label | example for class 2 of 4 | loss function |
# |---|---|---|
# | one-hot $y$ | `[0, 0, 1, 0]` | `ct.softmax_cross_entropy_with_logits(labels, logits)` |
# | soft $y$ (a probability row) | `[0.05, 0.05, 0.85, 0.05]` | same function |
# | sparse $c$ (integer index) | `2` | `ct.sparse_softmax_cross_entropy_with_logits(labels, logits)` |
#
# Where they mean the same thing, they give the same loss. A soft label's loss is the $y$-weighted average of the
# one-hot losses, $-\sum_j y_j \ln S_j$.

# %%
logits_b = 2 * rng.normal(size=(5, 4))
labels_b = np.array([2, 0, 3, 1, 2])
one_hot_b = np.eye(4)[labels_b]
sparse_loss = ct.sparse_softmax_cross_entropy_with_logits(labels_b, logits_b)
ct.checks.compare("one-hot vs sparse", ct.softmax_cross_entropy_with_logits(one_hot_b, logits_b), sparse_loss)
ct.checks.compare("Keras CCE vs SCCE (from_logits)", ct.categorical_crossentropy(one_hot_b, logits_b, from_logits=True),
                  ct.sparse_categorical_crossentropy(labels_b, logits_b, from_logits=True))
soft_b = rng.dirichlet(np.ones(4), size=5)
per_class = np.stack([ct.sparse_softmax_cross_entropy_with_logits(np.full(5, k), logits_b) for k in range(4)], axis=1)
ct.checks.compare("soft = y-weighted one-hot losses", ct.softmax_cross_entropy_with_logits(soft_b, logits_b),
                  (soft_b * per_class).sum(axis=1))

# %% [markdown]
# **Why sparse labels exist: memory.** A one-hot label is as large as the logits. For a language model with a
# 50 000-token vocabulary and a batch of 512 positions:

# %%
batch, n_classes = 512, 50_000
one_hot_bytes = batch * n_classes * np.dtype(np.float32).itemsize  # what np.zeros((512, 50_000), np.float32) would hold
sparse_labels = np.zeros(batch, dtype=np.int64)
print(f"one-hot float32 labels: {one_hot_bytes:>11,} bytes ({one_hot_bytes / 2**20:.1f} MiB)")
print(f"int64 class indices:    {sparse_labels.nbytes:>11,} bytes ({sparse_labels.nbytes / 2**10:.1f} KiB)")
print(f"ratio: {one_hot_bytes / sparse_labels.nbytes:,.0f}×  (= {n_classes:,} classes × 4 bytes / 8 bytes)")

# %% [markdown]
# The sparse loss reads one logit per row, $-\ln S(x)_c = \operatorname{logsumexp}(x) - x_c$.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 10 · Reproducing TensorFlow's numbers
#
# **Reproduce:** these 3×10 logits with labels $[2, 3, 4]$ give the per-example loss
# $[2.0077195, 0.00928135, 0.6800677]$, mean $0.8990229$ (float32, as TensorFlow prints it); in float64
# $[2.0077196111839031, 0.0092813729779797, 0.6800677551464486]$.

# %%
logits_tf = np.array([
    [-3.27133679, -22.6687183, -4.15501118, -5.14916372, -5.94609261,
     -6.93373299, -5.72364092, -9.75725174, -3.15748906, -4.84012318],
    [-11.7642536, -45.3370094, -3.17252636, 4.34527206, -17.7164974,
     -0.595088899, -17.6322937, -2.36941719, -6.82157373, -3.47369862],
    [-4.55468369, -1.07379043, -3.73261762, -7.08982277, -0.0288562477,
     -5.46847963, -0.979336262, -3.03667569, -3.29502845, -2.25880361],
])
labels_tf = np.array([2, 3, 4])
loss64 = ct.sparse_softmax_cross_entropy_with_logits(labels_tf, logits_tf)
print("float64 per example:", ", ".join(f"{v:.17g}" for v in loss64), f"  mean {loss64.mean():.17g}")

# %%
CURRICULUM_FLOAT64 = np.array([2.0077196111839031, 0.0092813729779797, 0.6800677551464486])
# Relative 1e-15 (a few float64 ulps), plus half a unit of the 16th decimal, the last digit the curriculum gives
ct.checks.compare("float64 loss vs the curriculum's", loss64, CURRICULUM_FLOAT64, rtol=1e-15, atol=5e-17)

# %% [markdown]
# TensorFlow computes in float32 on float32 inputs. `ct` also returns float32, but computes in float64 and rounds
# once: the **correctly rounded** result, the float32 nearest to the exact value. TensorFlow's printed values are
# recorded (TensorFlow 2.21 CPU, `research/numerics.md` §2b), not computed here.

# %%
logits32 = logits_tf.astype(np.float32)
loss32 = ct.sparse_softmax_cross_entropy_with_logits(labels_tf, logits32)
exact32 = ct.sparse_softmax_cross_entropy_with_logits(labels_tf, logits32.astype(np.float64))  # exact to ~1e-16
TF_PRINTED = ["2.0077195", "0.00928135", "0.6800677"]  # recorded: the curriculum's TensorFlow float32 output
TF_MEAN_PRINTED = "0.8990229"
ours = [f"{v:.{len(p.split('.')[1])}f}" for v, p in zip(loss32, TF_PRINTED, strict=True)]
agree = [a == b for a, b in zip(ours, TF_PRINTED, strict=True)]
mean_ours = f"{loss32.mean():.7f}"
print(f"ct float32: {ours}, mean {mean_ours}")
print(f"TF printed: {TF_PRINTED}, mean {TF_MEAN_PRINTED}")
print(f"same digits: {agree}, mean {mean_ours == TF_MEAN_PRINTED}")

# %%
assert loss32.dtype == np.float32 and np.array_equal(loss32, exact32.astype(np.float32)), "not correctly rounded"
assert agree == [True, False, False] and mean_ours == TF_MEAN_PRINTED
print("row 0 and the mean agree with TensorFlow to the digits shown; rows 1 and 2 differ in the last digit")

# %% [markdown]
# Rows 1 and 2 differ because TensorFlow rounds after every float32 step; *Going deeper* takes them apart, with
# PyTorch measured here.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 11 · Soft labels, and the bias of a $\delta$ in the log
#
# **Reproduce:** soft labels $y = [[1, 0, 0], [0, 0.8, 0.2]]$, logits $[[4, 2, 1], [0, 5, 1]]$ → exact loss
# $[0.16984601955628565, 0.82474489013882265]$ (17 digits). A common hand-written loss, $-\sum y \ln(\text{softmax} + 10^{-6})$
# ("the $10^{-6}$ avoids $\ln 0$"), gives $[0.16984483, 0.82473288]$ instead.

# %%
y_soft = np.array([[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]])
logits_soft = np.array([[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]])
exact_soft = ct.softmax_cross_entropy_with_logits(y_soft, logits_soft)
with_eps = ct.naive.softmax_cross_entropy_eps(y_soft, logits_soft, eps=1e-6)
print("ct, float64     :", ", ".join(repr(float(v)) for v in exact_soft))
print("with + 1e-6     :", ", ".join(f"{v:.8f}" for v in with_eps))
print("difference      :", ", ".join(f"{v:.4e}" for v in with_eps - exact_soft))

# %%
ct.checks.compare("soft-label loss vs the exact values", exact_soft, [0.16984601955628565, 0.82474489013882265],
                  rtol=1e-15)
assert np.array_equal(np.round(with_eps, 8), [0.16984483, 0.82473288]), "the + 1e-6 values are not reproduced"

# %% [markdown]
# The difference is $10^{-6}$ to $10^{-5}$, ten orders of magnitude above float64 rounding. It is not rounding: the
# added $\delta = 10^{-6}$ changes the function. With $q = S(x)$ and $\ln(1 + u) \approx u$ for small $u$:
#
# $$-\sum_j y_j \ln(q_j + \delta) = -\sum_j y_j \ln q_j - \sum_j y_j \ln(1 + \delta/q_j) \approx H(y, q) -
# \delta \sum_j \frac{y_j}{q_j}.$$

# %%
q_soft = ct.softmax(logits_soft)
predicted = -1e-6 * (y_soft / q_soft).sum(axis=1)
print("predicted −δ Σ y/q :", ", ".join(f"{v:.4g}" for v in predicted))
print("observed difference:", ", ".join(f"{v:.4g}" for v in with_eps - exact_soft))
print(f"row 1: the 0.2 on class 2 (q = {q_soft[1, 2]:.4f}) makes "
      f"{0.2 / q_soft[1, 2] / (y_soft[1] / q_soft[1]).sum():.0%} of the bias")

# %%
# The next term, +δ²/2·Σ y/q², is a relative δ/(2q) ≈ 3e-5 of the first: 1e-3 is a tolerance, not a fudge.
ct.checks.compare("δ bias: observed vs predicted", with_eps - exact_soft, predicted, rtol=1e-3)
assert [f"{v:.4g}" for v in predicted] == ["-1.185e-06", "-1.201e-05"], "the predicted biases are not reproduced"

# %% [markdown]
# The bias grows like $\delta / q$ as $q$ shrinks. The fix is not a smaller $\delta$: use logits and `log_softmax`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 12 · Probabilities instead of logits: Keras `from_logits=False`
#
# **Reproduce:** predictions $[[.90, .05, .05], [.50, .89, .60], [.05, .01, .94]]$ with one-hot labels for classes
# 0, 1, 2 → $[0.10536052, 0.80466845, 0.06187540]$. Keras' probability path divides each row by its sum, then clips
# to $[10^{-7}, 1 - 10^{-7}]$, then takes $-\sum y \ln q$, as `ct.categorical_crossentropy` does.

# %%
preds = np.array([[0.90, 0.05, 0.05], [0.50, 0.89, 0.60], [0.05, 0.01, 0.94]])
y_keras = np.eye(3)
keras_loss = ct.categorical_crossentropy(y_keras, preds)
print("ct.categorical_crossentropy:", np.array2string(keras_loss, precision=8, floatmode="fixed", separator=", "))
print("row sums:", ", ".join(f"{v:g}" for v in preds.sum(axis=1)))

# %%
assert np.array_equal(np.round(keras_loss, 8), [0.10536052, 0.80466845, 0.06187540]), "Keras values not reproduced"
renormalised = preds / preds.sum(axis=1, keepdims=True)
by_hand_keras = -(y_keras * np.log(np.clip(renormalised, 1e-7, 1 - 1e-7))).sum(axis=1)
ct.checks.compare("normalise → clip → log by hand", by_hand_keras, keras_loss)

# %% [markdown]
# The second row sums to 1.99, so Keras reads it as $[0.251, 0.447, 0.302]$ and the true class gets 0.447, not 0.89.
# Without the renormalisation (as PyTorch's `nll_loss(log p)` would do) the same row costs much less:

# %%
no_renorm = -np.log(preds[np.arange(3), [0, 1, 2]])
print("without renormalisation:", np.array2string(no_renorm, precision=5, floatmode="fixed", separator=", "),
      f"  row 1: -ln 0.89 = {-np.log(0.89):.5f} vs -ln(0.89/1.99) = {keras_loss[1]:.5f}")

# %% [markdown]
# **The clip.** A probability of exactly 0 for the true class would cost $-\ln 0 = \infty$. Keras 3 clips it to
# $10^{-7}$ first, so the loss tops out at $-\ln 10^{-7} = 16.118$; a perfect prediction of 1 costs
# $-\ln(1 - 10^{-7}) \approx 10^{-7}$, not 0.

# %%
zero_true = ct.categorical_crossentropy([[1, 0, 0]], [[0.0, 0.5, 0.5]])[0]
perfect = ct.categorical_crossentropy([[1, 0, 0]], [[1.0, 0.0, 0.0]])[0]
print(f"true class given 0: Keras {zero_true:.3f} = -ln 1e-7 = {-np.log(1e-7):.3f};"
      f"  unclipped H(y, q) = {ct.cross_entropy([1, 0, 0], [0.0, 0.5, 0.5])}")
print(f"true class given 1: Keras {perfect:.9g} = -ln(1 - 1e-7) = {-np.log1p(-1e-7):.9g}")
ct.checks.compare("clip: loss of a 0 prediction is -ln 1e-7", zero_true, -np.log(1e-7))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 13 · Labels outside $[0, C)$
#
# A language model predicts the next token out of a vocabulary of $C$ tokens. A data pipeline that produces a token
# id $\ge C$ (an off-by-one in the tokenizer, say) asks for a class that does not exist. A small batch of that
# shape: 12 positions, a vocabulary of 9, and the labels $0, 1, \dots, 11$.

# %%
vocab = 9
lm_logits = rng.normal(size=(12, vocab))
next_tokens = np.arange(12)  # 9, 10 and 11 are not in the vocabulary
print(f"logits {lm_logits.shape}, labels {next_tokens.tolist()}, valid range [0, {vocab})")

# %% tags=["raises-exception"]
ct.sparse_softmax_cross_entropy_with_logits(next_tokens, lm_logits)

# %% [markdown]
# `ct` names the first bad label and the valid range. The frameworks disagree. These are **recorded facts**
# (CPU rows: TensorFlow 2.21, Keras 3.15, PyTorch 2.13, JAX 0.10, from `research/numerics.md` §2g; the GPU row from
# TensorFlow's source), not computed in this notebook:
#
# | library / mode | what happens |
# |---|---|
# | TensorFlow eager on CPU, `tf.nn.sparse_softmax_cross_entropy_with_logits` | error: `InvalidArgumentError: Received a label value of 11 which is outside the valid range of [0, 9)` |
# | the same op **on a GPU** | **silent NaN** for that row's loss and gradient: only the CPU kernel checks the labels first (`CheckInvalidLabelIndex` in `sparse_xent_op.cc`); the shared kernel returns `quiet_NaN` for a label out of bounds (`sparse_xent_op.h`); the likely origin of the `nan` in the source material |
# | the same under XLA, `tf.function(jit_compile=True)` | **silent NaN**: `[2.1972246, nan, nan]` on a 3-row example (its valid row is $\ln 9$: uniform over 9 classes) |
# | Keras 3, TensorFlow backend, `compile(jit_compile=True)` (XLA, the default on a GPU) | training loss `nan` |
# | PyTorch `F.cross_entropy` | error: `IndexError: Target 9 is out of bounds.` |
# | Keras 3, JAX backend | **silent 0**: every out-of-range label contributes loss 0, and training continues |
# | `ct` (this package) | `ValueError` naming the label, its index and the range |
#
# The silent 0 we *can* compute: the JAX backend builds one-hot rows with `one_hot(label, 9)`, which is all zeros
# for 9, 10 or 11, so $-\sum_j y_j \ln S_j = 0$.

# %%
one_hot_lm = (next_tokens[:, None] == np.arange(vocab)).astype(float)  # what one_hot(label, 9) gives
silent = -(one_hot_lm * ct.log_softmax(lm_logits)).sum(axis=1) + 0.0  # + 0.0: -0.0 prints as 0.0
print("via one_hot:", np.array2string(silent, precision=3, floatmode="fixed", separator=", ", max_line_width=120))
valid = next_tokens < vocab
ct.checks.compare("valid rows: one_hot vs ct", silent[valid],
                  ct.sparse_softmax_cross_entropy_with_logits(next_tokens[valid], lm_logits[valid]))
assert np.all(silent[~valid] == 0.0)
assert f"{np.float32(np.log(9)):.7f}" == "2.1972246", "the recorded XLA row 0 is ln 9, the loss of uniform logits"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 14 · Temperature
#
# Dividing the logits by a temperature $T > 0$ before the softmax, $S(x / T)$, rescales their differences. Language
# models sample with $T < 1$ to be more conservative; distillation (training a small model to copy a large
# *teacher* model) uses $T > 1$ to expose the teacher's small probabilities.
#
# **Predict first:** for the logits $[3, 1, -3]$ (at $T = 1$: $[0.879, 0.119, 0.002]$), sketch $S(x/T)$ at
# $T = 0.25$ and at $T = 16$. Which one looks like a one-hot vector, which like a uniform one? Can a change of $T$
# ever change which class is most probable? Then move the slider.

# %% jupyter={"outputs_hidden": true}
x_t = np.array([3.0, 1.0, -3.0])
temperature_plots = plotting.draw_temperature_panels(x_t, (0.25, 1.0, 4.0, 16.0))
plt.show()

# %% jupyter={"outputs_hidden": true}
widgets.temperature_explorer(logits=(3.0, 1.0, -3.0), temperature=1.0, t_max=16.0)

# %% jupyter={"outputs_hidden": true}
temperatures = np.array([0.25, 0.5, 1.0, 2.0, 4.0, 16.0])
entropies = [float(ct.entropy(ct.softmax(x_t / t))) for t in temperatures]
print("S(x/T) and its entropy, temperature by temperature:")
for t, h in zip(temperatures, entropies, strict=True):
    print(f"T = {t:>5g}: S(x/T) = [{', '.join(f'{v:.4f}' for v in ct.softmax(x_t / t))}], entropy {h:.4f} nats")

# %% [markdown]
# <details><summary>Answer</summary>
#
# $T = 0.25$ multiplies the logit gaps by 4: $[0.9997, 0.0003, 0.0000]$, nearly one-hot on the largest logit.
# $T = 16$ divides them by 16: $[0.39, 0.34, 0.27]$, close to uniform. The order of the classes never changes,
# because $x_i / T > x_j / T$ exactly when $x_i > x_j$. As $T \to 0$ the entropy goes to 0 (a one-hot, if the largest
# logit is unique); as $T \to \infty$ it grows to $\ln C$ (uniform), the dashed line of the slider's right panel.
#
# </details>

# %%
assert np.all(np.diff(entropies) > 0), "entropy grows with T"
ct.checks.compare("T → ∞: uniform", ct.softmax(x_t / 1e8), np.full(3, 1 / 3), rtol=1e-7)
ct.checks.compare("T → 0: one-hot on the largest logit", ct.softmax(x_t / 1e-3), [1.0, 0.0, 0.0], rtol=0, atol=1e-300)
assert all(np.argmax(ct.softmax(x_t / t)) == 0 for t in temperatures), "T never changes the most probable class"
assert [f"{v:.4f}" for v in ct.softmax(x_t / 0.25)] == ["0.9997", "0.0003", "0.0000"]
assert [f"{v:.2f}" for v in ct.softmax(x_t / 16)] == ["0.39", "0.34", "0.27"]

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 15 · Slider: probabilities, loss and gradient
#
# **Predict first:** the classes are cat, dog, man with logits $(2, 1, -1)$, and the true class is *man*. Which
# gradient bars $S_i - y_i$ point up, which point down, and which is longest? Then drag the *man* logit down to
# $-8$, and the *cat* and *dog* logits up to 8: does the loss level off, as Keras' clipped loss does at 16.1, or keep
# growing, and how fast?

# %% jupyter={"outputs_hidden": true}
widgets.softmax_explorer(logits=(2.0, 1.0, -1.0), label=2, names=("cat", "dog", "man"))

# %% [markdown]
# <details><summary>Answer</summary>
#
# $S(x) = [0.705, 0.259, 0.035]$. The bars of *cat* and *dog* point up ($S_i - 0 > 0$: lower those logits), the bar
# of *man* points down and is the longest ($0.035 - 1 = -0.965$: raise it); they sum to 0. The loss does not level
# off: $\ln(e^2 + e^1 + e^{-8}) + 8 \approx 10.3$ nats, and with *cat* and *dog* at 8,
# $\ln(2e^8 + e^{-8}) + 8 \approx 16.7$, past Keras' 16.1: one nat per unit of logit. Its gradient stays near $-1$,
# so training can recover from a confident mistake (notebook 06).
#
# </details>

# %%
s_man = ct.softmax([2.0, 1.0, -1.0])
print("S(x) =", np.array2string(s_man, precision=3, separator=", "), " gradient =",
      np.array2string(s_man - [0, 0, 1], precision=3, separator=", "))
loss_man_8 = float(ct.sparse_softmax_cross_entropy_with_logits(np.array(2), [2.0, 1.0, -8.0]))
loss_far = float(ct.sparse_softmax_cross_entropy_with_logits(np.array(2), [8.0, 8.0, -8.0]))
ct.checks.compare("loss at man = -8", loss_man_8, np.log(np.exp(2) + np.exp(1) + np.exp(-8)) + 8, rtol=1e-15)
ct.checks.compare("loss at (8, 8, -8)", loss_far, np.log(2 * np.exp(8) + np.exp(-8)) + 8, rtol=1e-15)
assert f"{loss_man_8:.1f}" == "10.3" and f"{loss_far:.1f}" == "16.7" and loss_far > -np.log(1e-7)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Exercise 1.** Write `my_log_softmax(x)` for a 1-D row or a 2-D batch (classes on the last axis) that survives
# $[0, -800]$, $[1000, 0, -1]$ and float32 input. The checker recognises the usual mistakes and names yours.

# %%
def my_log_softmax(x):
    raise NotImplementedError  # your code here


ct.checks.stable_log_softmax(my_log_softmax)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_log_softmax(x):
#     shifted = x - x.max(axis=-1, keepdims=True)
#     return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
# ```
#
# </details>

# %% [markdown]
# **Exercise 2.** Write `my_sparse_ce(labels, logits)`: `labels` are class indices $c_n$ of shape `(N,)`, `logits`
# have shape `(N, C)`; return one loss per row, stably (one row has a logit of 1000).

# %%
def my_sparse_ce(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.sparse_cross_entropy(my_sparse_ce)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_sparse_ce(labels, logits):
#     return -my_log_softmax(logits)[np.arange(len(labels)), labels]
# ```
#
# </details>

# %% [markdown]
# **Exercise 3 (transfer).** A model's weights start near 0, so at initialisation every example gets the same
# logits: the output layer's biases $b$. The data set has `counts[i]` examples of class $i$. Write
# `my_initial_loss(counts, biases)`, the mean cross-entropy over the whole data set before training. (With $b = 0$ it
# must give $\ln C$; what does it give when $b$ is the log of the class frequencies?)

# %%
def my_initial_loss(counts, biases):
    raise NotImplementedError  # your code here


ct.checks.initial_loss(my_initial_loss)

# %% [markdown]
# <details><summary>Solution</summary>
#
# Every example gets $S(b)$; with $k_i$ = `counts[i]` and $N = \sum_i k_i$, a fraction $k_i / N$ of them are class
# $i$, each costing $-\ln S(b)_i$. With $b_i = \ln(k_i / N)$, $S(b)$ equals the class frequencies and the loss is
# their entropy, at most $\ln C$ (equal for balanced classes).
#
# ```python
# def my_initial_loss(counts, biases):
#     counts = np.asarray(counts, dtype=float)
#     return -(counts / counts.sum() * my_log_softmax(np.asarray(biases, dtype=float))).sum()
# ```
#
# </details>

# %% [markdown]
# **Question 4.** The logits are $[10, 0, 0]$ and the true class is 0. Without a computer: roughly what is the loss,
# and the gradient at each class?

# %% [markdown]
# <details><summary>Answer</summary>
#
# $S_0 = 1/(1 + 2e^{-10}) \approx 1 - 9.1 \times 10^{-5}$, so the loss is $\ln(1 + 2e^{-10}) \approx 9.1 \times
# 10^{-5}$ nats; the gradient $S - y \approx [-9.1 \times 10^{-5}, 4.5 \times 10^{-5}, 4.5 \times 10^{-5}]$: tiny,
# because the prediction is already right.
#
# </details>

# %% [markdown]
# **Question 5.** You add $+100$ to every logit of a batch. What happens to the loss and to its gradient?

# %% [markdown]
# <details><summary>Answer</summary>
#
# Nothing, for both: the loss depends only on differences of logits (section 2), and so does $S(x) - y$.
#
# </details>

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Takeaways
#
# - Softmax depends only on differences of logits; subtracting the row maximum makes $S(x)$, log-sum-exp and
#   `log_softmax` safe. Never take `log(softmax(x))`: compute log-probabilities directly.
# - The Jacobian is $\operatorname{diag}(s) - s s^\top$; through it, the cross-entropy gradient collapses to
#   $S(x) - y$, and to $(S(x) - y)/N$ for the mean of a batch.
# - Softmax cross-entropy is `log_softmax` followed by the negative log-likelihood; before training it is about
#   $\ln C$, not 0.
# - One-hot, soft and sparse labels are the same loss in different encodings. Labels outside $[0, C)$ should be an
#   error, and in some frameworks and devices are silently NaN or 0.
# - A $\delta$ added in the log, a clip or a renormalisation changes the loss far more than float32 rounding does.
#
# **Next:** [06 · MSE vs cross-entropy](06_mse_vs_ce.ipynb): why squared error's gradient vanishes on a confident
# mistake while $S(x) - y$ does not.

# %% [markdown]
# ## Going deeper
#
# Four optional parts; the main path above never depends on them. **A** takes apart the last digits of section 10
# across TensorFlow, PyTorch and NumPy. **B** reproduces the source material's hand-computed softmax path. **C** is a
# last-digit subtlety of `log_softmax`. **D** is TensorFlow's v1/v2 difference: gradients into the labels.

# %% [markdown]
# ### A · Float32 forensics: where row 1 loses its digits
#
# For each row: the exact value for the float32 inputs, `ct`'s correctly rounded float32, and TensorFlow's recorded
# float32 (all digits, `research/numerics.md` §2b), with their errors in float32 ulps (an **ulp** is the gap between
# adjacent float32 numbers at that size).

# %%
TF_FLOAT32 = np.array([2.0077195, 0.009281346, 0.6800677], dtype=np.float32)  # recorded, all digits (numerics.md §2b)
assert [f"{v:.{len(p.split('.')[1])}f}" for v, p in zip(TF_FLOAT32, TF_PRINTED, strict=True)] == TF_PRINTED
ulp = np.spacing(loss32).astype(np.float64)
print(f"{'row':>3} | {'exact (f32 inputs)':>23} | {'ct float32':>11} | {'TF float32':>11} | ct, TF error [ulp]")
for i in range(3):
    errors = (loss32[i] - exact32[i]) / ulp[i], (TF_FLOAT32[i] - exact32[i]) / ulp[i]
    print(f"{i:>3} | {exact32[i]:>23.17g} | {loss32[i]!s:>11} | {TF_FLOAT32[i]!s:>11} | "
          f"{errors[0]:+6.2f}, {errors[1]:+7.2f}")

# %%
assert np.all(np.abs(loss32 - exact32) <= ulp / 2), "ct's float32 is correctly rounded: within half an ulp"
assert TF_FLOAT32[2] == np.nextafter(loss32[2], np.float32(0)), "row 2: TF's value is the float32 just below ours"
assert TF_FLOAT32[0] == loss32[0]
print("row 0: the same float32; row 2: adjacent float32s; row 1: far apart")

# %% [markdown]
# **Row 2** is a choice between neighbours: the exact value lies 0.38 ulp below one float32 and 0.62 ulp above the
# next lower one. Correct rounding picks the nearer (ours); TensorFlow's kernel, which rounds after every float32
# step, lands on the other.
#
# **Row 1** is off by 29 ulps. Its label, class 3, is the row's largest logit, so $x_3 - m = 0$ and the loss is
# $\ln(1 + S)$ with $S = \sum_{k \ne 3} e^{x_k - m} \approx 0.0093$. The max-shift formula first forms $1 + S$ in
# float32, where numbers near 1.0093 are $2^{-23} \approx 1.19 \times 10^{-7}$ apart; their logs are 127 loss-ulps
# apart (the loss's ulp is $2^{-30} \approx 9.3 \times 10^{-10}$). Which float32 $1 + S$ a library lands on depends
# on how it sums. NumPy in float32, step by step:

# %%
row32 = logits32[1]
m32 = row32.max()
shifted32 = row32 - m32  # float32; 0 at the label
total32 = np.exp(shifted32).sum()  # 1 + S, rounded to float32 (NumPy's pairwise float32 sum)
numpy_loss = np.log(total32) - shifted32[3]
one_plus_s = np.exp(row32.astype(np.float64) - float(m32)).sum()  # 1 + S in float64: exact to ~1e-16
print(f"m = {m32!s}, 1 + S in float32 = {total32!s}, loss = ln(1 + S) = {numpy_loss!s}")
print(f"exact 1 + S = {one_plus_s:.17g}; exact loss = {exact32[1]:.17g}; ulp = {ulp[1]:.3g}")

# %% [markdown]
# PyTorch was **measured here**: `torch==2.13.0+cpu` on an "AMD EPYC" CPU (`lscpu` model name), calling
# `F.cross_entropy` on these float32 logits (the test `tests/test_truth_05.py` re-measures it). PyTorch picks a kernel
# for the CPU it finds: with its AVX-512 kernels (the default on this machine) row 1 is **0.009281464**; forced to
# AVX2 or to its plain kernels (`ATEN_CPU_CAPABILITY=avx2` or `default`) it is **0.009281346**, TensorFlow's value.
# The same version on the same machine gives two answers, so how a framework rounds $1 + S$ depends on the machine,
# the build and the version (notebook 07 makes the same point). Every one of them is the log of a float32 $1 + S$:

# %%
TORCH_2_13_AVX512 = np.float32(0.009281464)  # measured here: torch 2.13.0+cpu, AMD EPYC, ATEN_CPU_CAPABILITY=avx512
TORCH_2_13_AVX2 = np.float32(0.009281346)  # measured here: the same with ATEN_CPU_CAPABILITY=avx2 (and =default)
first = np.float32(one_plus_s)  # the float32 nearest to 1 + S
candidates = [first, np.nextafter(first, np.float32(2)), np.nextafter(np.nextafter(first, np.float32(2)), np.float32(2))]
who = [f"TensorFlow (recorded) = PyTorch AVX2 {TORCH_2_13_AVX2!s}", "PyTorch AVX-512 (measured)", "NumPy (above)"]
returned = [TF_FLOAT32[1], TORCH_2_13_AVX512, numpy_loss]
print(f"{'1 + S in float32':>19} | {'ln of it, float32':>17} | {'error [ulp]':>11} | returned by")
for v, name, value in zip(candidates, who, returned, strict=True):
    log_v = np.float32(np.log(np.float64(v)))  # the correctly rounded float32 log
    print(f"{v!s:>19} | {log_v!s:>17} | {(log_v - exact32[1]) / ulp[1]:+11.1f} | {name}")
    assert log_v == value and (name.startswith("PyTorch AVX-512") or value != TORCH_2_13_AVX512), name
assert TORCH_2_13_AVX2 == TF_FLOAT32[1]
print(f"{'(ct never forms it)':>19} | {loss32[1]!s:>17} | {(loss32[1] - exact32[1]) / ulp[1]:+11.1f} | ct: log1p(S)")

# %% [markdown]
# So they all did the same thing and differ only in how they rounded the sum $1 + S$: TensorFlow's float32 sum (and
# PyTorch's AVX2 sum) is the one nearest to the exact $1 + S$ and still costs 29 ulps, because even the best float32
# $1 + S$ is $0.23 \times 2^{-23}$ off; PyTorch's AVX-512 sum is one step higher, NumPy's pairwise sum two steps
# higher. `ct` never forms $1 + S$: it computes $\operatorname{log1p}(S)$ in float64 and rounds once. Rows 0 and 2
# have labels that are not the largest logit, so their loss is not a small number next to 1.

# %% [markdown]
# ### B · The source material's softmax path, by hand
#
# The source material also computed the loss "by hand", softmax first and then $-\ln$ of the true class, and printed
# `[2.0077198, 0.00928142]` for rows 0 and 1, with the sums over the three rows `2.697068691` (TensorFlow's fused loss)
# and `2.697068930` (the hand-computed path). TensorFlow's softmax kernel subtracts the row maximum, exponentiates,
# and **multiplies** by the reciprocal of the row sum (`softmax * sum.inverse()` in
# `tensorflow/core/kernels/softmax_op_functor.h`). In float32, the path that reproduces every printed digit is:
# correctly rounded $e^{x - m}$ and row sum $Z$, the reciprocal $1/Z$ **one float32 step below** its correctly rounded
# value, the products, then the log.

# %%
shifted = logits32 - logits32.max(axis=1, keepdims=True)  # float32
e32 = np.exp(shifted.astype(np.float64)).astype(np.float32)  # correctly rounded float32 e^{x - m}
z32 = e32.astype(np.float64).sum(axis=1).astype(np.float32)  # the float32 nearest to each row sum
reciprocal = (1 / z32.astype(np.float64)).astype(np.float32)  # the float32 nearest to 1/Z
probs_low = e32 * np.nextafter(reciprocal, np.float32(0))[:, None]  # one float32 step below 1/Z, then multiplied
probs_nearest = e32 * reciprocal[:, None]
seed_path = -np.log(probs_low[np.arange(3), labels_tf].astype(np.float64)).astype(np.float32)
nearest_path = -np.log(probs_nearest[np.arange(3), labels_tf].astype(np.float64)).astype(np.float32)
print("reciprocal one step low :", np.array2string(seed_path[:2]), f" sum of 3 rows {seed_path.sum():.9f}")
print("reciprocal nearest      :", np.array2string(nearest_path[:2]), f" sum of 3 rows {nearest_path.sum():.9f}")
print("TF fused (recorded)     :", np.array2string(TF_FLOAT32[:2]), f" sum of 3 rows {TF_FLOAT32.sum():.9f}")

# %%
assert np.array2string(seed_path[:2]) == "[2.0077198  0.00928142]", "the source's hand-computed rows"
assert f"{seed_path.sum():.9f}" == "2.697068930" and f"{TF_FLOAT32.sum():.9f}" == "2.697068691", "the two sums"
assert np.array2string(nearest_path[:2]) != "[2.0077198  0.00928142]", "correct rounding alone does not give them"
errors = (seed_path.astype(np.float64) - exact32) / np.spacing(seed_path).astype(np.float64)
print("hand path error vs exact [ulp]:", np.array2string(errors, precision=1, separator=", "))
p1 = probs_low[1, 3]
step = float(np.spacing(p1)) / float(p1) / ulp[1]  # one float32 step in S(x)_c, in loss-ulps of -ln S(x)_c
print(f"row 1: S(x)_c = {p1!s}; one float32 step there moves the loss by {step:.1f} loss-ulps")
assert round(errors[1]) == 52 and round(step) == 65

# %% [markdown]
# Why one step low: a fast reciprocal (an approximation refined by a Newton step, $r' = r(2 - Zr)$)
# approaches $1/Z$ from below, since $1/Z - r' = Z (1/Z - r)^2 \ge 0$. We could not run the seed's TensorFlow build,
# so this is a model that matches every printed digit, not a measurement of its kernel; the correctly rounded
# reciprocal gives `0.00928136` instead. Either way the lesson is part A's: row 1's probability is about 0.9908, and
# one float32 step there moves $-\ln S(x)_c$ by about 65 loss-ulps (printed above). The hand path's row 1 is 52 ulps
# from the exact value, the fused loss's 29 (part A): forming the probability first costs digits that `log_softmax`
# keeps.

# %% [markdown]
# ### C · The last digits of a confident row
#
# For $x = [50, 0]$, the true $\ln S(x)_0 = -\ln(1 + e^{-50}) \approx -1.93 \times 10^{-22}$. The usual max-shift
# formula (SciPy, PyTorch, TensorFlow, JAX) computes $\ln(1 + 1.9 \times 10^{-22})$, but $1 + 1.9 \times 10^{-22}$
# rounds to 1 and the result is 0. `ct.log_softmax` keeps the maximum's term (exactly 1) out of the sum and uses
# $\ln(1 + S) = \operatorname{log1p}(S)$, which is accurate for tiny $S$. It is part A's row 1 in float64.

# %%
def show(values):
    return "[" + ", ".join(f"{v:.17g}" for v in values) + "]"


confident = np.array([50.0, 0.0])
print(f"usual max-shift = {show(max_shift_log_softmax(confident))}")
print(f"ct.log_softmax  = {show(ct.log_softmax(confident))}")
assert max_shift_log_softmax(confident)[0] == 0.0
ct.checks.compare("ct.log_softmax([50, 0])[0] vs -log1p(e^-50)", ct.log_softmax(confident)[0],
                  -np.log1p(np.exp(-50.0)), rtol=1e-15)

# %% [markdown]
# ### D · `softmax_cross_entropy_with_logits` v1 vs v2: gradients into the labels
#
# TensorFlow has two versions of the dense loss. They compute the same value; they differ in the backward pass.
# v1 (deprecated) wraps the labels in `stop_gradient` ("Backpropagation will happen only into `logits`", says its
# docstring); v2 also differentiates with respect to the labels. The loss is linear in $y$, so
#
# $$\frac{\partial L}{\partial y_i} = \frac{\partial}{\partial y_i} \Big( -\sum_j y_j \ln S(x)_j \Big) = -\ln S(x)_i.$$
#
# This matters when the labels are themselves produced by a model: in distillation the targets are a teacher's
# softmax. With v2, a gradient flows into the teacher unless you wrap its output in `tf.stop_gradient`.

# %%
x_v2 = np.array([1.0, -0.5, 2.0])
y_v2 = np.array([0.2, 0.5, 0.3])  # e.g. a teacher's softmax
# a finite-difference step moves y off the simplex, where ct's loss refuses it: differentiate the formula itself
numerical_y = ct.numerical_gradient(lambda y: -np.sum(y * ct.log_softmax(x_v2)), y_v2)
print("∂L/∂y by finite differences:", np.array2string(numerical_y, precision=6, separator=", "))
ct.checks.compare("∂L/∂y vs -log_softmax(x)", numerical_y, -ct.log_softmax(x_v2), rtol=1e-8)

# %% [markdown]
# # 05 · Softmax and categorical cross-entropy
# From logits to probabilities for C classes, the loss that goes with them, and the numbers the frameworks print.
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/05_softmax_ce.ipynb)

# %% [markdown]
# **In this notebook you will**
# - compute the softmax $S(x)$ stably: shift invariance, the overflow of the textbook form, the log-sum-exp trick
#   and `log_softmax`;
# - derive the softmax Jacobian $\operatorname{diag}(s) - s s^\top$ and the cross-entropy gradient $S(x) - y$, and
#   check both by finite differences;
# - use one-hot, soft and sparse labels, and know what Keras and TensorFlow do with probabilities, with an
#   $\varepsilon$ in the log and with labels outside $[0, C)$;
# - reproduce the numbers TensorFlow and Keras print, and explain their last digits.
#
# **Prerequisites:** [03 · Cross-entropy](03_cross_entropy.ipynb) ($H(p, q) = -\sum p \ln q$, one-hot labels) and
# [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb) (logits, the max/log1p tricks). Notation as in
# [00 · Start here](00_start_here.ipynb): $x$ logits, $y$ labels, $S(x)$ softmax, $\ln$ natural log (nats).

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1 · Softmax: logits to probabilities
#
# A classifier's last dense layer gives one real number per class, the logits $x_1, \dots, x_C$. To read them as
# probabilities, make each positive with $e^{x_i}$ and divide by the total:
#
# $$S(x)_i = \frac{e^{x_i}}{\sum_{j=1}^{C} e^{x_j}}, \qquad S(x)_i > 0, \qquad \sum_i S(x)_i = 1.$$
#
# A larger logit gets a larger share, and a logit 1 larger gets $e \approx 2.72$ times the share.
# **Reproduce:** $S([3, 1, -3]) = [0.87887824, 0.11894324, 0.00217852]$.

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
# Adding the same constant $c$ to every logit changes nothing:
#
# $$
# \begin{aligned}
# S(x + c)_i &= \frac{e^{x_i + c}}{\sum_j e^{x_j + c}} && \text{the definition, with } x_j + c \text{ for } x_j \\
#   &= \frac{e^{c}\, e^{x_i}}{\sum_j e^{c}\, e^{x_j}} && \text{because } e^{a + b} = e^{a} e^{b} \\
#   &= \frac{e^{c}\, e^{x_i}}{e^{c} \sum_j e^{x_j}} && \text{because } e^{c} \text{ does not depend on } j \\
#   &= \frac{e^{x_i}}{\sum_j e^{x_j}} = S(x)_i && \text{because } e^{c} > 0 \text{ cancels.}
# \end{aligned}
# $$
#
# Only the *differences* between logits matter. This is the whole trick behind every stable softmax: pick
# $c = -\max_j x_j$.

# %%
for c in [-5.0, 0.5, 100.0, -np.max(x)]:
    shifted = np.exp(x + c) / np.exp(x + c).sum()
    ct.checks.compare(f"S(x + c) vs S(x), c = {c:g}", shifted, by_hand, rtol=1e-14)

# %% [markdown]
# (Not bit for bit: $e^{x_i + c}$ and $e^{c} e^{x_i}$ round differently, so the two agree to a few units in the
# last place, hence `rtol=1e-14`.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3 · The textbook form overflows
#
# In float64, $e^{x}$ is `inf` for $x > 709.78$ (in float32 already for $x > 88.72$). For the logits $[1000, 0]$ the
# textbook formula computes $\infty / \infty$ = `nan`, although the answer, $[1, e^{-1000}] \approx [1, 0]$, is
# perfectly ordinary. `ct.naive.softmax` is that textbook formula.

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
# \ln \sum_j e^{x_j} &= \ln \sum_j e^{m}\, e^{x_j - m} && \text{because } x_j = m + (x_j - m) \\
#   &= \ln \Big( e^{m} \sum_j e^{x_j - m} \Big) && \text{because } e^{m} \text{ does not depend on } j \\
#   &= m + \ln \sum_j e^{x_j - m} && \text{because } \ln(ab) = \ln a + \ln b \text{ and } \ln e^{m} = m.
# \end{aligned}
# $$
#
# Now every exponent $x_j - m \le 0$, so nothing overflows, and the largest term is $e^{0} = 1$, so the sum is
# at least 1 and its log cannot be $\ln 0 = -\infty$ either.

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
# \ln S(x)_i &= \ln e^{x_i} - \ln \sum_j e^{x_j} && \text{because } \ln(a/b) = \ln a - \ln b \\
#   &= x_i - \operatorname{logsumexp}(x) && \text{because } \ln e^{x_i} = x_i \\
#   &= (x_i - m) - \ln \sum_j e^{x_j - m} && \text{the log-sum-exp trick of section 4.}
# \end{aligned}
# $$
#
# Computing $S(x)$ first and then its log fails in two ways:
#
# 1. **Underflow to $-\infty$.** For $x = [0, -800]$, $S(x)_1 = e^{-800}/(1 + e^{-800}) \approx 10^{-348}$, below the
#    smallest float64 ($4.9 \times 10^{-324}$). It is stored as 0 and $\ln 0 = -\infty$, although
#    $\ln S(x)_1 \approx -800$ is an ordinary number.
# 2. **A confident row rounds to exactly 0.** For $x = [50, 0]$, the true $\ln S(x)_0 = -\ln(1 + e^{-50}) \approx
#    -1.93 \times 10^{-22}$. The usual max-shift formula $x - m - \ln \sum e^{x - m}$ (SciPy, PyTorch, TensorFlow,
#    JAX) computes $\ln(1 + 1.9 \times 10^{-22})$, but $1 + 1.9 \times 10^{-22}$ rounds to 1 and the result is 0.
#    `ct.log_softmax` keeps the maximum's term (exactly 1) out of the sum and uses
#    $\ln(1 + S) = \operatorname{log1p}(S)$, which is accurate for tiny $S$.

# %%
def max_shift_log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def show(values):
    return "[" + ", ".join(f"{v:.17g}" for v in values) + "]"


for row in (np.array([0.0, -800.0]), np.array([50.0, 0.0])):
    print(f"x = {show(row)}")
    print(f"   log(softmax(x))  = {show(ct.naive.log_softmax(row))}")
    print(f"   usual max-shift  = {show(max_shift_log_softmax(row))}")
    print(f"   ct.log_softmax   = {show(ct.log_softmax(row))}")

# %%
assert ct.naive.log_softmax([0.0, -800.0])[1] == -np.inf and max_shift_log_softmax(np.array([50.0, 0.0]))[0] == 0.0
ct.checks.compare("ct.log_softmax([0, -800])", ct.log_softmax([0.0, -800.0]), [0.0, -800.0], rtol=1e-15)
ct.checks.compare("ct.log_softmax([50, 0])[0] vs -log1p(e^-50)", ct.log_softmax([50.0, 0.0])[0],
                  -np.log1p(np.exp(-50.0)), rtol=1e-15)
x_random = 3 * rng.normal(size=(4, 6))
ct.checks.compare("ct.log_softmax vs the max-shift formula", ct.log_softmax(x_random),
                  max_shift_log_softmax(x_random), rtol=1e-13)

# %% [markdown]
# The loss of a confident, correct prediction is $-\ln S(x)_\text{true}$: $1.93 \times 10^{-22}$ for $[50, 0]$, not 0.
# Nobody trains differently because of it, but a reference implementation should get it right, and the same
# effect costs digits in float32 at much less extreme logits (section 9).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6 · The Jacobian of softmax
#
# Every output depends on every logit: raising $x_j$ raises $S_j$ and takes probability from all the others. With
# $Z = \sum_k e^{x_k}$, so that $S_i = e^{x_i}/Z$ and $\partial Z/\partial x_j = e^{x_j}$:
#
# $$
# \begin{aligned}
# \frac{\partial S_i}{\partial x_j} &= \frac{\delta_{ij} e^{x_i} \cdot Z - e^{x_i} \cdot e^{x_j}}{Z^2}
#   && \text{quotient rule } (f/g)' = (f'g - fg')/g^2, \text{ with } \partial e^{x_i}/\partial x_j = \delta_{ij} e^{x_i} \\
#   &= \delta_{ij} \frac{e^{x_i}}{Z} - \frac{e^{x_i}}{Z} \cdot \frac{e^{x_j}}{Z} && \text{split the fraction} \\
#   &= \delta_{ij} S_i - S_i S_j && \text{because } S_i = e^{x_i}/Z \\
#   &= S_i (\delta_{ij} - S_j) && \text{factor out } S_i.
# \end{aligned}
# $$
#
# As a matrix, with $s = S(x)$: $J = \operatorname{diag}(s) - s s^\top$. It is symmetric, its diagonal
# $s_i(1 - s_i)$ is the sigmoid's $\sigma(1 - \sigma)$, and its rows sum to 0 (the probabilities always sum to 1,
# so their changes sum to 0). Every entry lies in $[-\tfrac14, \tfrac14]$, the heat map's colour range.

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
# Central differences are accurate to about $10^{-10}$ here (truncation $\sim h^2$, rounding $\sim \epsilon/h$ with
# $h = 10^{-6}$), hence `atol=1e-9` for the entries near 0.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7 · The cross-entropy gradient: $S(x) - y$
#
# The loss for a label distribution $y$ (one-hot or soft, $\sum_j y_j = 1$) is $L = -\sum_j y_j \ln S_j$. The chain
# rule through the Jacobian:
#
# $$
# \begin{aligned}
# \frac{\partial L}{\partial x_i} &= -\sum_j y_j \frac{1}{S_j} \frac{\partial S_j}{\partial x_i}
#   && \text{chain rule, with } \tfrac{d}{du} \ln u = \tfrac{1}{u} \\
#   &= -\sum_j y_j \frac{1}{S_j} S_j (\delta_{ji} - S_i) && \text{the Jacobian of section 6} \\
#   &= -\sum_j y_j \delta_{ji} + S_i \sum_j y_j && \text{cancel } S_j \text{, multiply out} \\
#   &= -y_i + S_i && \text{because } \delta_{ji} \text{ keeps only } j = i \text{, and } \textstyle\sum_j y_j = 1 \\
#   &= S_i - y_i.
# \end{aligned}
# $$
#
# Prediction minus target, as for the sigmoid. For a one-hot label it is $S_\text{true} - 1 \le 0$ at the true class
# (raise that logit) and $S_i \ge 0$ at every other class (lower them), and it is large exactly when the prediction
# is wrong.

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
grad = ct.softmax_cross_entropy_grad(labels_g["one-hot, true class 1"], x_g)
print(f"one-hot gradient: {np.array2string(grad, precision=4, separator=', ')};"
      f"  at the true class S_1 - 1 = {ct.softmax(x_g)[1] - 1:.4f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8 · One-hot, soft and sparse labels
#
# The same label can be written three ways:
#
# | label | example for class 2 of 4 | loss function |
# |---|---|---|
# | one-hot | `[0, 0, 1, 0]` | `ct.softmax_cross_entropy_with_logits(labels, logits)` |
# | soft (a probability row) | `[0, 0, 1, 0]`, or `[0.05, 0.05, 0.85, 0.05]` when it *means* something else | same function |
# | sparse (integer index) | `2` | `ct.sparse_softmax_cross_entropy_with_logits(labels, logits)` |
#
# Where they mean the same thing, they give the same loss. A soft label is a mixture: its loss is the
# $y$-weighted average of the one-hot losses, $-\sum_j y_j \ln S_j$.

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
# The sparse loss reads one logit per row, $-\ln S(x)_y = \operatorname{logsumexp}(x) - x_y$, and never builds the
# one-hot matrix (`ct.sparse_softmax_cross_entropy_with_logits` works through the rows a few at a time).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 9 · Reproducing TensorFlow's numbers, to the last digit
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
# TensorFlow computes in float32 on float32 inputs. So do we: `ct` takes the float32 logits, computes in float64
# and rounds once, which gives the **correctly rounded** float32 result (the float32 nearest to the exact value).
# The exact value for the float32-rounded inputs differs slightly from the float64 one above (the inputs moved);
# `ct` in float64 on those inputs gives it to about $10^{-16}$, far below a float32 ulp. TensorFlow's printed
# values are recorded constants (TensorFlow 2.21 CPU, `research/numerics.md` §2b), not computed here.

# %%
logits32 = logits_tf.astype(np.float32)
loss32 = ct.sparse_softmax_cross_entropy_with_logits(labels_tf, logits32)
exact32 = ct.sparse_softmax_cross_entropy_with_logits(labels_tf, logits32.astype(np.float64))
assert loss32.dtype == np.float32 and np.array_equal(loss32, exact32.astype(np.float32)), "not correctly rounded"

TF_PRINTED = ["2.0077195", "0.00928135", "0.6800677"]  # recorded: the curriculum's TensorFlow float32 output
TF_MEAN_PRINTED = "0.8990229"
TF_FLOAT32 = np.array([2.0077195, 0.009281346, 0.6800677], dtype=np.float32)  # recorded, all digits (numerics.md §2b)
assert [f"{v:.{len(p.split('.')[1])}f}" for v, p in zip(TF_FLOAT32, TF_PRINTED, strict=True)] == TF_PRINTED

ulp = np.spacing(loss32).astype(np.float64)
agree = []
print(f"{'row':>3} | {'exact (f32 inputs)':>23} | {'ct float32':>11} | {'TF printed':>10} | same digits | ct, TF error [ulp]")
for i, printed in enumerate(TF_PRINTED):
    ours = f"{loss32[i]:.{len(printed.split('.')[1])}f}"
    agree.append(ours == printed)
    errors = (loss32[i] - exact32[i]) / ulp[i], (TF_FLOAT32[i] - exact32[i]) / ulp[i]
    print(f"{i:>3} | {exact32[i]:>23.17g} | {ours:>11} | {printed:>10} | {agree[-1]!s:>11} | "
          f"{errors[0]:+6.2f}, {errors[1]:+7.2f}")
mean_ours = f"{loss32.mean():.7f}"
print(f"mean: ct float32 {mean_ours}, TF printed {TF_MEAN_PRINTED}, same digits: {mean_ours == TF_MEAN_PRINTED}")

# %%
assert agree == [True, False, False] and mean_ours == TF_MEAN_PRINTED
assert np.all(np.abs(loss32 - exact32) <= ulp / 2), "ct's float32 is correctly rounded: within half an ulp"
assert TF_FLOAT32[2] == np.nextafter(loss32[2], np.float32(0)), "row 2: TF's value is the float32 just below ours"
print("row 0 and the mean agree with TensorFlow to the digits shown; rows 1 and 2 do not (explained below)")

# %% [markdown]
# **Row 2** is a choice between neighbours: the exact value lies between two adjacent float32 numbers, 0.38 ulp
# below the upper one and 0.62 ulp above the lower one (the last column of the table). Correct rounding picks the
# nearer, upper one (ours); TensorFlow's kernel, which rounds after every float32 step (exp, sum, log, subtract),
# lands on the lower one. Both are within one ulp of the exact value; printed with 7 decimals they differ in the
# last digit.
#
# **Row 1** is off by 29 ulps, and that is the interesting one. Its label, class 3, is the row's largest logit, so
# $x_3 - m = 0$ and the loss is $\ln(1 + S)$ with $S = \sum_{k \ne 3} e^{x_k - m} \approx 0.0093$. The max-shift
# formula first forms the sum $1 + S$ in float32, where numbers near 1.0093 are $2^{-23} \approx 1.19 \times 10^{-7}$
# apart. Whatever happens next, the result is the log of one of those numbers, and their logs are 127 loss-ulps
# apart (the loss's ulp is $2^{-30} \approx 9.3 \times 10^{-10}$). Here is the max-shift formula in NumPy float32,
# step by step:

# %%
row32 = logits32[1]
m32 = row32.max()
shifted32 = row32 - m32  # float32; 0 at the label
e32 = np.exp(shifted32)  # float32
total32 = e32.sum()  # 1 + S, rounded to float32
numpy_loss = np.log(total32) - shifted32[3]
print(f"m = {m32!s}, 1 + S in float32 = {total32!s}, loss = ln(1 + S) = {numpy_loss!s}")

one_plus_s = np.exp(row32.astype(np.float64) - float(m32)).sum()  # 1 + S in float64: exact to ~1e-16
first = np.float32(one_plus_s)  # the float32 nearest to 1 + S
candidates = [first, np.nextafter(first, np.float32(2)), np.nextafter(np.nextafter(first, np.float32(2)), np.float32(2))]
who = ["TensorFlow (recorded)", "PyTorch (recorded)", "NumPy max-shift (above)"]
RECORDED = {"TensorFlow (recorded)": TF_FLOAT32[1], "PyTorch (recorded)": np.float32(0.009281464)}  # numerics.md §2b
print(f"exact 1 + S = {one_plus_s:.17g}; exact loss = {exact32[1]:.17g}; ulp = {ulp[1]:.3g}")
print(f"{'1 + S in float32':>19} | {'ln of it, float32':>17} | {'error [ulp]':>11} | returned by")
for v, name in zip(candidates, who, strict=True):
    log_v = np.float32(np.log(np.float64(v)))  # the correctly rounded float32 log
    print(f"{v!s:>19} | {log_v!s:>17} | {(log_v - exact32[1]) / ulp[1]:+11.1f} | {name}")
    assert log_v == RECORDED.get(name, numpy_loss), name
print(f"{'(ct never forms it)':>19} | {loss32[1]!s:>17} | {(loss32[1] - exact32[1]) / ulp[1]:+11.1f} | ct: log1p(S) in float64")

# %% [markdown]
# So the three frameworks did the same thing and differ only in how they rounded the sum $1 + S$: TensorFlow's
# float32 sum is the one nearest to the exact $1 + S$ (and still costs 29 ulps, because even the best float32
# $1 + S$ is $0.23 \times 2^{-23}$ off), PyTorch's is one step higher, NumPy's pairwise float32 sum two steps
# higher (numerics.md §2b lists the same three errors, truncated: −29, +98, +223). `ct` never forms $1 + S$: it
# computes $\operatorname{log1p}(S)$ in float64 and rounds once. Rows 0 and 2 have labels that are not the
# largest logit, so their loss is not a small number next to 1, and float32 loses nothing to speak of.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 10 · Soft labels, and the bias of $\varepsilon$ in the log
#
# **Reproduce:** soft labels $y = [[1, 0, 0], [0, 0.8, 0.2]]$, logits $[[4, 2, 1], [0, 5, 1]]$ → exact loss
# $[0.16984601955628565, 0.82474489013882270]$. A common hand-written loss, $-\sum y \ln(\text{softmax} + 10^{-6})$
# ("the $\varepsilon$ avoids $\ln 0$"), gives $[0.16984483, 0.82473288]$ instead.

# %%
y_soft = np.array([[1.0, 0.0, 0.0], [0.0, 0.8, 0.2]])
logits_soft = np.array([[4.0, 2.0, 1.0], [0.0, 5.0, 1.0]])
exact_soft = ct.softmax_cross_entropy_with_logits(y_soft, logits_soft)
with_eps = ct.naive.softmax_cross_entropy_eps(y_soft, logits_soft, eps=1e-6)
print("exact           :", ", ".join(f"{v:.17g}" for v in exact_soft))
print("with + 1e-6     :", ", ".join(f"{v:.8f}" for v in with_eps))
print("difference      :", ", ".join(f"{v:.4e}" for v in with_eps - exact_soft))

# %%
ct.checks.compare("soft-label loss vs the curriculum's", exact_soft, [0.16984601955628565, 0.82474489013882270],
                  rtol=1e-15)
assert np.array_equal(np.round(with_eps, 8), [0.16984483, 0.82473288]), "the + 1e-6 values are not reproduced"

# %% [markdown]
# The difference is $10^{-6}$ to $10^{-5}$, ten orders of magnitude above float64 rounding ($\sim 10^{-16}$). It is
# not rounding: the $\varepsilon$ changes the function. With $q = S(x)$:
#
# $$
# \begin{aligned}
# -\sum_j y_j \ln(q_j + \varepsilon) &= -\sum_j y_j \ln\big(q_j (1 + \varepsilon/q_j)\big) && \text{factor out } q_j \\
#   &= -\sum_j y_j \ln q_j - \sum_j y_j \ln(1 + \varepsilon/q_j) && \text{because } \ln(ab) = \ln a + \ln b \\
#   &\approx H(y, q) - \varepsilon \sum_j \frac{y_j}{q_j} && \text{because } \ln(1 + u) = u - u^2/2 + \dots
# \end{aligned}
# $$
#
# **Predict** the bias from that last line before looking at the difference:

# %%
q_soft = ct.softmax(logits_soft)
predicted = -1e-6 * (y_soft / q_soft).sum(axis=1)
print("predicted −ε Σ y/q :", ", ".join(f"{v:.4g}" for v in predicted))
print("observed difference:", ", ".join(f"{v:.4g}" for v in with_eps - exact_soft))
print(f"row 1: the 0.2 on class 2 (q = {q_soft[1, 2]:.4f}) makes "
      f"{0.2 / q_soft[1, 2] / (y_soft[1] / q_soft[1]).sum():.0%} of the bias")

# %%
# The next term, +ε²/2·Σ y/q², is a relative ε/(2q) ≈ 3e-5 of the first: 1e-3 is a tolerance, not a fudge.
ct.checks.compare("ε bias: observed vs predicted", with_eps - exact_soft, predicted, rtol=1e-3)

# %% [markdown]
# The bias grows like $\varepsilon / q$ as the probability of a labelled class shrinks, until $q \lesssim \varepsilon$,
# where the loss is stuck at $-\ln \varepsilon = 13.8$ whatever the logits do. The fix is not a smaller $\varepsilon$:
# work with logits and `log_softmax`, which never need one.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 11 · Probabilities instead of logits: Keras `from_logits=False`
#
# **Reproduce:** predictions $[[.90, .05, .05], [.50, .89, .60], [.05, .01, .94]]$ with one-hot labels for classes
# 0, 1, 2 → $[0.10536052, 0.80466845, 0.06187540]$. Keras' probability path does two things the formula
# $-\sum y \ln q$ does not: it divides each row by its sum, then clips to $[10^{-7}, 1 - 10^{-7}]$.
# `ct.categorical_crossentropy` does exactly that.

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
# **The clip.** A probability of exactly 0 for the true class would cost $-\ln 0 = \infty$. Keras clips it to
# $10^{-7}$ first, so the loss tops out at $-\ln 10^{-7} = 16.118$; and a perfect prediction of 1 costs
# $-\ln(1 - 10^{-7}) \approx 10^{-7}$, not 0.

# %%
zero_true = ct.categorical_crossentropy([[1, 0, 0]], [[0.0, 0.5, 0.5]])[0]
perfect = ct.categorical_crossentropy([[1, 0, 0]], [[1.0, 0.0, 0.0]])[0]
print(f"true class given 0: Keras {zero_true:.3f} = -ln 1e-7 = {-np.log(1e-7):.3f};"
      f"  unclipped H(y, q) = {ct.cross_entropy([1, 0, 0], [0.0, 0.5, 0.5])}")
print(f"true class given 1: Keras {perfect:.9g} = -ln(1 - 1e-7) = {-np.log1p(-1e-7):.9g}")
ct.checks.compare("clip: loss of a 0 prediction is -ln 1e-7", zero_true, -np.log(1e-7))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 12 · Labels outside $[0, C)$
#
# A language model predicts the next token out of a vocabulary of $C$ tokens. If the data pipeline produces a
# token id $\ge C$ (a vocabulary built from a different corpus, an off-by-one in the tokenizer), the sparse loss
# is asked for a class that does not exist. A small batch of that shape: 12 positions, a vocabulary of 9, and the
# labels $0, 1, \dots, 11$.

# %%
vocab = 9
lm_logits = rng.normal(size=(12, vocab))
next_tokens = np.arange(12)  # 9, 10 and 11 are not in the vocabulary
print(f"logits {lm_logits.shape}, labels {next_tokens.tolist()}, valid range [0, {vocab})")

# %% tags=["raises-exception"]
ct.sparse_softmax_cross_entropy_with_logits(next_tokens, lm_logits)

# %% [markdown]
# `ct` stops and names the first bad label and the valid range. The frameworks disagree with each other. The
# following are **recorded facts** (CPU; TensorFlow 2.21, Keras 3.15, PyTorch 2.13, JAX 0.10; from the project's
# `research/numerics.md` §2g), not computed in this notebook:
#
# | library / mode | what happens |
# |---|---|
# | TensorFlow eager, `tf.nn.sparse_softmax_cross_entropy_with_logits` | error: `InvalidArgumentError: Received a label value of 11 which is outside the valid range of [0, 9)` |
# | the same under XLA, `tf.function(jit_compile=True)` | **silent NaN**: `[2.1972246, nan, nan]` on a 3-row example (its valid row, 2.1972246, is $\ln 9$: a uniform prediction over 9 classes) |
# | Keras 3, TensorFlow backend, `compile(jit_compile=True)` (the default on a GPU) | training loss `nan` |
# | PyTorch `F.cross_entropy` | error: `IndexError: Target 9 is out of bounds.` |
# | Keras 3, JAX backend | **silent 0**: every out-of-range label contributes loss 0, and training continues |
# | `ct` (this package) | `ValueError` naming the label, its index and the range |
#
# The silent 0 has a simple mechanism that we *can* compute: the JAX backend builds the one-hot row with
# `one_hot(label, 9)`, and the one-hot of 9, 10 or 11 is a row of zeros, so $-\sum_j y_j \ln S_j = 0$.

# %%
one_hot_lm = (next_tokens[:, None] == np.arange(vocab)).astype(float)  # what one_hot(label, 9) gives
silent = -(one_hot_lm * ct.log_softmax(lm_logits)).sum(axis=1) + 0.0  # + 0.0: -0.0 prints as 0.0
print("via one_hot:", np.array2string(silent, precision=3, floatmode="fixed", separator=", ", max_line_width=120))
valid = next_tokens < vocab
ct.checks.compare("valid rows: one_hot vs ct", silent[valid],
                  ct.sparse_softmax_cross_entropy_with_logits(next_tokens[valid], lm_logits[valid]))
assert np.all(silent[~valid] == 0.0)
assert f"{np.float32(np.log(9)):.7f}" == "2.1972246", "the recorded XLA row 0 is ln 9, the loss of uniform logits"

# %% [markdown]
# The mean loss of that batch would look fine (just a little low). An error is the kinder answer.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 13 · `softmax_cross_entropy_with_logits` v1 vs v2: gradients into the labels
#
# TensorFlow has two versions of the dense loss. They compute the same value; they differ in the backward pass.
# v1 (deprecated) wraps the labels in `stop_gradient` ("Backpropagation will happen only into `logits`", says its
# docstring); v2 also differentiates with respect to the labels. The loss is linear in $y$, so that derivative is simple:
#
# $$
# \begin{aligned}
# \frac{\partial L}{\partial y_i} &= \frac{\partial}{\partial y_i} \Big( -\sum_j y_j \ln S(x)_j \Big) && \text{the loss} \\
#   &= -\sum_j \delta_{ij} \ln S(x)_j && \text{because } \ln S(x)_j \text{ does not depend on } y \\
#   &= -\ln S(x)_i. && \text{}
# \end{aligned}
# $$
#
# This matters when the labels are themselves produced by a model: in distillation the targets are a teacher's
# softmax, in some semi-supervised methods they are the model's own predictions. With v2, a gradient flows into
# the teacher unless you wrap its output in `tf.stop_gradient`; with v1 it never could.

# %%
x_v2 = np.array([1.0, -0.5, 2.0])
y_v2 = np.array([0.2, 0.5, 0.3])  # e.g. a teacher's softmax
numerical_y = ct.numerical_gradient(lambda y: ct.softmax_cross_entropy_with_logits(y, x_v2), y_v2)
print("∂L/∂y by finite differences:", np.array2string(numerical_y, precision=6, separator=", "))
ct.checks.compare("∂L/∂y vs -log_softmax(x)", numerical_y, -ct.log_softmax(x_v2), rtol=1e-8)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 14 · Temperature
#
# Dividing the logits by a temperature $T > 0$ before the softmax, $S(x / T)$, keeps their order but rescales their
# differences. $T > 1$ shrinks the differences and **flattens** the distribution (towards uniform, entropy
# $\ln C$ as $T \to \infty$); $T < 1$ stretches them and **sharpens** it (towards a one-hot on the largest logit,
# entropy 0 as $T \to 0$). Distillation uses $T > 1$ to expose a teacher's small probabilities; sampling from a
# language model uses $T < 1$ to be more conservative.

# %%
x_t = np.array([3.0, 1.0, -3.0])
temperatures = np.array([0.25, 0.5, 1.0, 2.0, 4.0, 16.0])
print(f"{'T':>5} | {'S(x/T)':>26} | H [nats]")
entropies = []
for t in temperatures:
    q_t = ct.softmax(x_t / t)
    entropies.append(float(ct.entropy(q_t)))
    print(f"{t:>5g} | {', '.join(f'{v:.4f}' for v in q_t):>26} | {entropies[-1]:.4f}")

# %%
assert np.all(np.diff(entropies) > 0), "entropy grows with T"
ct.checks.compare("T → ∞: uniform", ct.softmax(x_t / 1e8), np.full(3, 1 / 3), rtol=1e-7)
ct.checks.compare("T → 0: one-hot on the largest logit", ct.softmax(x_t / 1e-3), [1.0, 0.0, 0.0], rtol=0, atol=1e-300)

# %%
temperature_plot = plotting.draw_temperature(x_t, temperature=1.0)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 15 · Slider: probabilities, loss and gradient
#
# **Predict first:** the classes are cat, dog, man with logits $(2, 1, -1)$, and the true class is *man*. Which
# gradient bars point up and which down? Now drag the *man* logit down to −20: does the loss level off, as Keras'
# clipped probability loss does at 16.1, or keep growing, and how fast? Then drag it up to +20.

# %%
loss_plot = plotting.draw_softmax_loss([2.0, 1.0, -1.0], 2, names=("cat", "dog", "man"))
plt.show()

# %%
widgets.softmax_explorer(logits=(2.0, 1.0, -1.0), label=2, names=("cat", "dog", "man"))

# %% [markdown]
# The gradient bar of a class is the gap between its probability (orange) and its target (outline): $S_i - y_i$.
# The true class's bar is $S_\text{true} - 1$, never positive; all others are $S_i$, never negative; they sum to 0.
# From logits the loss is never clipped: with the *man* logit at −20 it is $\ln(e^2 + e^1 + e^{-20}) + 20 \approx
# 22.3$ nats, growing by one nat per unit of logit, and its gradient stays near −1 instead of vanishing, which is why training can recover
# from a confident mistake (notebook 06).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **1. A stable `log_softmax`.** Write `my_log_softmax(x)` for a 1-D row or a 2-D batch (classes on the last axis)
# that survives $[0, -800]$ and $[1000, 0, -1]$. The checker recognises the usual mistakes and says which one you made.

# %%
def my_log_softmax(x):
    raise NotImplementedError  # your code here


ct.checks.stable_log_softmax(my_log_softmax)

# %% [markdown]
# **2. Sparse cross-entropy.** Write `my_sparse_ce(labels, logits)`: `labels` are integer class indices of shape
# `(N,)`, `logits` have shape `(N, C)`; return one loss per row, stably (one row has a logit of 1000).

# %%
def my_sparse_ce(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.sparse_cross_entropy(my_sparse_ce)

# %% [markdown]
# **3. Questions.** (a) The logits are $[10, 0, 0]$ and the true class is 0. Without a computer: roughly what is
# the loss, and the gradient at each class? (b) Why can the softmax Jacobian never be inverted? (c) You add
# $+100$ to every logit of a batch. What happens to the loss and to its gradient?
#
# <details><summary>Answer</summary>
#
# (a) $S_0 = 1/(1 + 2e^{-10}) \approx 1 - 9.1 \times 10^{-5}$, so the loss is $\ln(1 + 2e^{-10}) \approx 2e^{-10}
# \approx 9.1 \times 10^{-5}$ nats; the gradient is $S - y \approx [-9.1 \times 10^{-5}, 4.5 \times 10^{-5},
# 4.5 \times 10^{-5}]$: tiny, because the prediction is already right.
#
# (b) Its rows sum to 0, so $J \mathbf{1} = 0$: the direction "all logits up by the same amount" is mapped to 0.
# That is shift invariance again: that direction does not change the softmax, so no inverse can recover it.
#
# (c) Nothing, for both: the loss depends only on differences of logits (section 2), and so does $S(x) - y$.
#
# One model solution for the two exercises:
#
# ```python
# def my_log_softmax(x):
#     shifted = x - x.max(axis=-1, keepdims=True)
#     return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
#
#
# def my_sparse_ce(labels, logits):
#     return -my_log_softmax(logits)[np.arange(len(labels)), labels]
# ```
# </details>

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Takeaways
#
# - Softmax depends only on differences of logits; subtracting the row maximum makes $S(x)$, log-sum-exp and
#   `log_softmax` safe. Never take `log(softmax(x))`: compute log-probabilities directly (and with `log1p` for the
#   last digits of a confident row).
# - The Jacobian is $\operatorname{diag}(s) - s s^\top$; through it, the cross-entropy gradient collapses to
#   $S(x) - y$, prediction minus target.
# - One-hot, soft and sparse labels are the same loss in different encodings; sparse labels save a $N \times C$
#   array. Labels outside $[0, C)$ should be an error, and in some frameworks are silently NaN or 0.
# - Frameworks' numbers differ in the last digits because of *where* they round ($1 + S$ in float32), and from
#   the exact value by much more when an $\varepsilon$ is added in the log or probabilities are clipped and
#   renormalised.
#
# **Next:** [06 · MSE vs cross-entropy](06_mse_vs_ce.ipynb): why squared error's gradient vanishes on a confident
# mistake while $S(x) - y$ does not.

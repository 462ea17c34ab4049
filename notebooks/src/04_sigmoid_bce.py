# %% [markdown]
# # 04 · Sigmoid and binary cross-entropy
# From the textbook formula to the form that never overflows, one checked step at a time.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/04_sigmoid_bce.ipynb)

# %% [markdown]
# **In this notebook you will**
# - turn a logit into a probability with the sigmoid, and see its graph;
# - derive the stable loss $\max(x, 0) - x z + \log(1 + e^{-|x|})$ from the textbook formula, checking every step;
# - watch the textbook formula return `inf` and `nan` while the stable one does not, and check the gradient
#   $\sigma(x) - z$ against finite differences;
# - use the loss for multi-label data and for rare positives (`pos_weight`).
#
# **Prerequisites:** [03 · Cross-entropy](03_cross_entropy.ipynb), where binary cross-entropy appears for one yes/no
# question. Notation as in [00 · Start here](00_start_here.ipynb): $x$ logits, $z$ labels, $q$ the model's
# probability, $\sigma$ the sigmoid.

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Logits and probabilities
#
# A binary classifier, a model that answers yes/no questions, outputs one real number per question, the **logit**
# $x \in (-\infty, \infty)$. The **sigmoid** turns it into the model's probability of "yes" (class 1):
#
# $$q = \sigma(x) = \frac{1}{1 + e^{-x}}.$$
#
# The logit is the **log-odds** (the odds of "yes" are $q/(1-q)$, 3 for "3 to 1"): solving $q = \sigma(x)$ for $x$
# gives $x = \ln\frac{q}{1-q}$.
#
# **Predict first:** what is $\sigma(0)$? How is $\sigma(-x)$ related to $\sigma(x)$? Roughly how large must $x$ be
# for $q$ to pass 0.99?

# %% jupyter={"outputs_hidden": true}
q_marks = np.array([0.01, 0.5, 0.99])  # mark the logits where q is 1 %, 50 % and 99 %
sigmoid_plot = plotting.draw_sigmoid(np.log(q_marks / (1 - q_marks)))
plt.show()

# %% [markdown]
# <details><summary>Answer</summary>
#
# $\sigma(0) = 1/(1 + 1) = 1/2$: a logit of 0 means "50 %". The curve is symmetric about that point:
# $\sigma(-x) = \frac{e^{x}}{e^{x} + 1} = 1 - \sigma(x)$. And $q > 0.99$ means odds $q/(1-q) > 99$, so
# $x > \ln 99 \approx 4.6$ (the marked points). $\sigma$ approaches 0 and 1 but never reaches them.
# </details>

# %%
x = np.array([-6.0, -4.6, 0.0, 4.6, 6.0])
q = ct.sigmoid(x)
print("logit x     ", np.array2string(x, formatter={"float_kind": lambda v: f"{v:9.1f}"}))
print("q = σ(x)    ", np.array2string(q, formatter={"float_kind": lambda v: f"{v:9.5f}"}))
ct.checks.compare("log-odds ln(q / (1 − q)) gives back x", np.log(q / (1 - q)), x, rtol=1e-12, atol=1e-15)
ct.checks.compare("σ(−x) = 1 − σ(x)", ct.sigmoid(-x), 1 - q, rtol=1e-12, atol=1e-16)
ct.checks.compare("σ(ln 99) = 0.99", ct.sigmoid(np.log(99)), 0.99, rtol=1e-15)
assert ct.sigmoid(0.0) == 0.5

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. From the textbook formula to the stable form
#
# For a label $z \in [0, 1]$ (1 = yes, 0 = no, anything between for a soft label), binary cross-entropy is the
# cross-entropy of the two-outcome distributions $(z, 1-z)$ and $(q, 1-q)$ with $q = \sigma(x)$:
#
# $$L = z \cdot \bigl(-\log\sigma(x)\bigr) + (1 - z) \cdot \bigl(-\log(1 - \sigma(x))\bigr). \qquad\text{(0)}$$
#
# TensorFlow's docstring of `sigmoid_cross_entropy_with_logits` rewrites this in five lines. The same lines, each with
# its reason:
#
# | step | identity | because |
# |---|---|---|
# | 1 | $-\log\sigma(x) = \log(1 + e^{-x})$ | $\sigma(x) = \frac{1}{1+e^{-x}}$ and $-\log\frac{1}{a} = \log a$ |
# | 2 | $1 - \sigma(x) = \dfrac{e^{-x}}{1 + e^{-x}}$ | write $1 = \frac{1+e^{-x}}{1+e^{-x}}$ and subtract $\frac{1}{1+e^{-x}}$ |
# | 3 | $-\log(1 - \sigma(x)) = x + \log(1 + e^{-x})$ | step 2, $-\log\frac{a}{b} = -\log a + \log b$, and $-\log e^{-x} = x$ |
# | 4 | $L = z\log(1+e^{-x}) + (1-z)\bigl(x + \log(1+e^{-x})\bigr)$ | substitute steps 1 and 3 into (0) |
# | 5 | $L = x - x z + \log(1 + e^{-x})$ | expand $(1-z)x = x - xz$; the log appears $z + (1 - z) = 1$ times |
#
# Form 5 is fine for $x \ge 0$, where $e^{-x} \le 1$. For $x \ll 0$, $e^{-x}$ overflows ($e^{800}$ is `inf`), so
# there is a variant for negative logits, and the two combine into one expression whose exponent is never positive:
#
# | step | identity | because |
# |---|---|---|
# | 6 | $\log(1 + e^{-x}) = -x + \log(1 + e^{x})$ | factor out: $1 + e^{-x} = e^{-x}(e^{x} + 1)$, and $\log e^{-x} = -x$ |
# | 7 | $L = -x z + \log(1 + e^{x})$ | substitute step 6 into form 5: $x - x = 0$ |
# | 8 | $L = \max(x, 0) - x z + \log(1 + e^{-\lvert x\rvert})$ | $x \ge 0$: this is form 5; $x < 0$: $\max(x, 0) = 0$ and $-\lvert x\rvert = x$, form 7 |
#
# In code, $\log(1 + u)$ is `np.log1p(u)`: for a tiny $u$ such as $e^{-40} \approx 4\cdot10^{-18}$, `1 + u` rounds to
# exactly 1 and `np.log(1 + u)` returns 0, while `np.log1p(u)` returns $u$. Every form is the same function: check each
# against the one before it on a grid of moderate logits and labels, hard and soft.

# %%
sigmoid_naive = ct.naive.sigmoid  # 1 / (1 + e^{-x}), exactly as written
forms = {
    "0 textbook": lambda x, z: z * -np.log(sigmoid_naive(x)) + (1 - z) * -np.log(1 - sigmoid_naive(x)),
    "1 −log σ = log(1 + e^−x)": lambda x, z: z * np.log(1 + np.exp(-x)) + (1 - z) * -np.log(1 - sigmoid_naive(x)),
    "2 1 − σ = e^−x / (1 + e^−x)": lambda x, z: (
        z * np.log(1 + np.exp(-x)) + (1 - z) * -np.log(np.exp(-x) / (1 + np.exp(-x)))
    ),
    "4 −log(1 − σ) = x + log(1 + e^−x)": lambda x, z: (  # steps 3 and 4
        z * np.log(1 + np.exp(-x)) + (1 - z) * (x + np.log(1 + np.exp(-x)))
    ),
    "5 x − xz + log(1 + e^−x)": lambda x, z: x - x * z + np.log(1 + np.exp(-x)),
    "7 −xz + log(1 + e^x)": lambda x, z: -x * z + np.log(1 + np.exp(x)),
}

# %%
def form_8(z, x):
    """max(x, 0) − x·z + log1p(e^{−|x|}): TensorFlow's formula, in the dtype of x."""
    return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))


forms["8 max(x,0) − xz + log1p(e^−|x|)"] = lambda x, z: form_8(z, x)
x_grid, z_grid = np.meshgrid(np.linspace(-5, 5, 101), np.linspace(0, 1, 11))  # 1111 (x, z) pairs
values = {name: form(x_grid, z_grid) for name, form in forms.items()}
names = list(forms)
for before, after in zip(names[:-1], names[1:], strict=True):  # each form against the one before it
    ct.checks.compare(f"step {after} vs {before.split()[0]}", values[after], values[before], rtol=1e-12)
ct.checks.compare("ct.sigmoid_cross_entropy_with_logits vs 8", ct.sigmoid_cross_entropy_with_logits(z_grid, x_grid),
                  values[names[-1]], rtol=1e-12)

# %% [markdown]
# Twelve digits, not sixteen: some forms lose digits by subtraction ($1 - \sigma(x)$ when $\sigma(x) \approx 1$).
# The package rearranges form 8 once more into non-negative terms ("Going deeper" shows why).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Where the textbook formula breaks
#
# The textbook form (0) computes $\sigma(x)$ first, and a float cannot hold $\sigma(40) = 1 - 4.2\cdot10^{-18}$: the
# float64 number just below 1 is $1 - 1.1\cdot10^{-16}$, so $\sigma(40)$ rounds to exactly 1 and $\log(1 - \sigma)$ is
# $\log 0 = -\infty$. With $z = 1$ that $-\infty$ is multiplied by $1 - z = 0$, and $0 \cdot \infty$ is `nan`.
# At the other end $e^{-x}$ overflows, $\sigma(x) = 1/\infty = 0$, and $\log\sigma(x) = -\infty$. The same logits in
# both precisions, naive (`ct.naive.sigmoid_cross_entropy`) vs stable (`ct.sigmoid_cross_entropy_with_logits`):

# %%
logits = np.array([-800.0, -100.0, -20.0, 20.0, 40.0, 800.0])
print(f"{'x':>7} {'z':>3} | {'float32 naive':>13} {'float32 ct':>11} | {'float64 naive':>13} {'float64 ct':>11}")
for x in logits:
    for z in (0.0, 1.0):
        row = []
        for dtype in (np.float32, np.float64):
            zs, xs = dtype(z), dtype(x)
            row += [ct.naive.sigmoid_cross_entropy(zs, xs), ct.sigmoid_cross_entropy_with_logits(zs, xs)]
        assert np.isfinite(row[1]) and np.isfinite(row[3]), "the stable form must stay finite"
        print(f"{x:7.0f} {z:3.0f} | {row[0]:13.4g} {row[1]:11.4g} | {row[2]:13.4g} {row[3]:11.4g}")

# %% [markdown]
# Besides `inf` and `nan` there are silent failures: at $x = -20$, $z = 0$ the float32 naive loss is 0 instead of
# $2\cdot10^{-9}$, because $1 - \sigma(-20)$ rounds to 1.
#
# One stable value needs a word: at $x = -100$, $z = 0$ the true loss is $\log(1 + e^{-100}) \approx e^{-100} =
# 3.72\cdot10^{-44}$, yet float32 shows $3.784\cdot10^{-44}$. The smallest *normal* float32 is $1.18\cdot10^{-38}$;
# below it come the **subnormal** numbers, evenly spaced $2^{-149} \approx 1.4\cdot10^{-45}$ apart, so they carry
# fewer and fewer significant digits. The nearest one to $3.72\cdot10^{-44}$ is $27 \cdot 2^{-149}$: right to two digits.

# %%
tiny32 = ct.sigmoid_cross_entropy_with_logits(np.float32(0.0), np.float32(-100.0))
print(f"float32 loss {tiny32:.4g} = {float(tiny32) / 2.0**-149:.0f} · 2^−149;  smallest normal float32"
      f" {np.finfo(np.float32).tiny:.3g};  true loss {np.exp(-100.0):.4g}")
assert tiny32 < np.finfo(np.float32).tiny and float(tiny32) == 27 * 2.0**-149
assert tiny32 == np.float32(np.exp(-100.0)), "the float32 nearest to the true loss"

# %% [markdown]
# **Where, roughly.** float32 keeps 24 significant bits, so its next number after 1 is $1 + 2^{-23}$, and
# $1 + e^{-x}$ rounds to 1, and $\sigma(x)$ to 1, once $e^{-x}$ is at most half that gap, $2^{-24}$: for
# $x \ge 24 \ln 2 =$ **16.6** (float32 is the precision most models train in, and a confident network reaches such
# logits easily). float64 keeps 53 bits: $53 \ln 2 =$ **36.7**. A scan over float32 logits finds the same point
# ("Going deeper" finds the exact float):

# %%
scan = np.arange(15.0, 18.0, 0.001, dtype=np.float32)
first_one = scan[np.argmax(sigmoid_naive(scan) == 1)]
print(f"float32: σ(x) first rounds to 1 at x ≈ {first_one:.3f};  24·ln 2 = {24 * np.log(2):.3f}")
assert abs(first_one - 24 * np.log(2)) < 2e-3

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. The gradient: $\partial L / \partial x = \sigma(x) - z$
#
# Training nudges each logit against the **gradient**, the derivative of the loss with respect to the logit.
# Differentiate form 5, $L = x - xz + \log(1 + e^{-x})$ (form 7 is the same function, so the result holds for every $x$):
#
# | step | identity | because |
# |---|---|---|
# | 1 | $\frac{d}{dx}(x - xz) = 1 - z$ | $z$ is a constant label |
# | 2 | $\frac{d}{dx}\log(1 + e^{-x}) = \dfrac{-e^{-x}}{1 + e^{-x}}$ | chain rule, $(\log u)' = u'/u$ with $u = 1 + e^{-x}$, $u' = -e^{-x}$ |
# | 3 | $\dfrac{-e^{-x}}{1 + e^{-x}} = -(1 - \sigma(x))$ | step 2 of section 2 |
# | 4 | $\dfrac{\partial L}{\partial x} = 1 - z - 1 + \sigma(x) = \sigma(x) - z$ | add steps 1 and 3 |
#
# Prediction minus target: large when the model is confidently wrong, zero when $\sigma(x) = z$. Check it against
# central finite differences, $\bigl(L(x + 10^{-6}) - L(x - 10^{-6})\bigr) / (2 \cdot 10^{-6})$ (`ct.numerical_gradient`),
# and against the package's gradient:

# %%
x = np.linspace(-6, 6, 25)
z = rng.random(25)  # soft labels in [0, 1)
by_hand = ct.sigmoid(x) - z
finite_differences = ct.numerical_gradient(lambda v: ct.sigmoid_cross_entropy_with_logits(z, v).sum(), x)
ct.checks.compare("σ(x) − z vs finite differences", by_hand, finite_differences, rtol=1e-6, atol=1e-8)
ct.checks.compare("σ(x) − z vs ct.sigmoid_cross_entropy_grad", by_hand, ct.sigmoid_cross_entropy_grad(z, x),
                  rtol=1e-15)

# %% [markdown]
# (The absolute tolerance `atol`: a central difference with step $10^{-6}$ carries a rounding error of about
# $5\cdot10^{-9}$.)
#
# **Automatic differentiation** (what PyTorch and TensorFlow do: the chain rule applied to each operation as written)
# through the textbook formula computes the same thing,
# $\frac{\partial L}{\partial \sigma}\cdot\frac{\partial \sigma}{\partial x} = \bigl(-\frac{z}{\sigma} + \frac{1-z}{1-\sigma}\bigr)\cdot\sigma(1-\sigma)$,
# which is algebraically $\sigma - z$. Numerically, once $\sigma$ has rounded to 1 the first factor is $\infty$ and the
# second is 0:

# %%
x, z = np.array([2.0, 40.0]), np.array([0.5, 0.5])
chain_rule = plotting.naive_bce_grad(z, x)  # (−z/σ + (1 − z)/(1 − σ)) · σ(1 − σ), with the naive σ
for i in range(2):
    print(f"x = {x[i]:4.0f}:  chain rule through σ and the logs = {chain_rule[i]:<8.4g}"
          f" σ(x) − z = {ct.sigmoid_cross_entropy_grad(z[i], x[i]):.4g}")
assert np.isnan(chain_rule[1]) and ct.sigmoid_cross_entropy_grad(z[1], x[1]) == 0.5

# %% [markdown]
# A `nan` loss comes with a `nan` gradient, and one `nan` in a weight update spreads to every weight. The frameworks'
# losses from logits differentiate a stable form instead.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. A worked example: five logits, three ways
#
# Logits $[-1, -1, 0, 1, 2]$ with labels $[0, 0, 1, 1, 1]$. The mean loss, from probabilities (the textbook form),
# with form 8, and with the package, against the exact value (60 digits, `ct.ulp.exact_bce`):

# %%
x = np.array([-1.0, -1.0, 0.0, 1.0, 2.0])
z = np.array([0.0, 0.0, 1.0, 1.0, 1.0])
three_ways = {
    "naive, from probabilities": ct.naive.sigmoid_cross_entropy(z, x),
    "stable form 8": form_8(z, x),
    "ct.sigmoid_cross_entropy_with_logits": ct.sigmoid_cross_entropy_with_logits(z, x),
}
exact_mean = sum(ct.ulp.exact_bce(a, b) for a, b in zip(x, z, strict=True)) / 5
for name, loss in three_ways.items():
    print(f"{name:38} mean {float(loss.mean())!r}")
    ct.checks.compare(f"{name} vs exact", loss.mean(), float(exact_mean), rtol=1e-14)
print(f"{'exact (decimal), 17 significant digits':38} mean {exact_mean:.17g}  (the float64 nearest to it)")
assert f"{exact_mean:.17g}" == "0.35197205083151726"
assert three_ways["ct.sigmoid_cross_entropy_with_logits"].mean() == 0.35197205083151726 == float(exact_mean)

# %% [markdown]
# Usual sources quote **0.35197204**: the float32 result (TensorFlow's `sigmoid_cross_entropy_with_logits` followed by
# `reduce_mean`). Each of the three means, rounded to float32, gives it; so does form 8 evaluated in float32, one
# correctly rounded operation at a time as a float32 kernel would (`ct.ulp.float32_stepwise_bce`):

# %%
means32 = {name: np.float32(loss.mean()) for name, loss in three_ways.items()}
means32["form 8, float32 step by step"] = ct.ulp.float32_stepwise_bce(z, x)[1]
for name, value in means32.items():
    print(f"{name:38} {value!s}  (this float32 is exactly {float(value):.17f})")
    assert value.dtype == np.float32 and str(value) == "0.35197204"
ours32 = ct.binary_crossentropy(z.astype(np.float32), x.astype(np.float32), from_logits=True)  # float32 in and out
assert ours32 == means32["ct.sigmoid_cross_entropy_with_logits"] == np.float32(float(exact_mean))

# %% [markdown]
# 0.35197204 and 0.35197205083… differ in the 8th digit only because float32 has no number in between: floats
# near 0.35 are $3\cdot10^{-8}$ apart, and 0.35197204 is the shortest decimal that names the float32 nearest to the
# exact mean. "Going deeper" follows TensorFlow's float32 kernel one rounding at a time.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Multi-label classification
#
# Sigmoid cross-entropy treats every output as its own yes/no question, so it fits data where each example may have
# any number of labels: photos tagged with the animals they show. 100 images, 10 tags, labels of shape `[100, 10]`;
# a row may have several 1s, or none.

# %%
tags = ["cat", "dog", "bird", "horse", "sheep", "cow", "fish", "frog", "bee", "owl"]
prevalence = rng.uniform(0.05, 0.4, size=len(tags))  # how common each animal is
labels = (rng.random((100, len(tags))) < prevalence).astype(float)
logits = 3.0 * (labels - 0.5) + rng.normal(0.0, 1.5, size=labels.shape)  # a fairly good model's outputs
loss = ct.sigmoid_cross_entropy_with_logits(labels, logits)  # one loss per (image, tag): shape [100, 10]
counts = np.bincount(labels.sum(axis=1).astype(int))
print(f"labels {labels.shape}, loss {loss.shape};  images with 0, 1, 2, ... tags: {counts.tolist()}")
for row in range(3):
    shown = [tag for tag, on in zip(tags, labels[row], strict=True) if on] or ["(none)"]
    print(f"image {row}: tags {', '.join(shown):24} Σ σ(x) over the 10 tags = {ct.sigmoid(logits[row]).sum():.2f}")
print(f"mean loss overall: {loss.mean():.6f}")
ct.checks.compare("mean of per-image Keras BCE vs overall mean",
                  ct.binary_crossentropy(labels, logits, from_logits=True).mean(), loss.mean(), rtol=1e-14)

# %% [markdown]
# The ten probabilities of an image do not sum to 1, and need not: "cat" and "dog" are separate questions.
#
# **Integer class labels do not fit.** If each image had exactly one of 5 classes, labelled $0 \dots 4$, passing those
# integers as $z$ breaks the loss: the factor $1 - z$ becomes negative for $z \ge 2$, the loss goes negative, and it
# decreases without bound as the logit grows. Form 8 applied to $z = 4$ is, for $x \ge 0$, $x - 4x + \log(1 + e^{-|x|})$:

# %%
classes = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
for x_value in (2.0, 10.0, 30.0):
    nonsense = form_8(classes, np.full(5, x_value))
    print(f"x = {x_value:4.0f}: 1 − z = {(1 - classes).tolist()}, 'loss' = {np.array2string(nonsense, precision=3)}")

# %% [markdown]
# Training, which moves each logit a small step against its gradient (gradient descent), would push the logits of
# every example labelled 2 or more to $+\infty$. The package refuses such labels:

# %% tags=["raises-exception"]
ct.sigmoid_cross_entropy_with_logits(classes, np.full(5, 2.0))

# %% [markdown]
# What to do instead: one-hot encode the classes (row $n$ gets a single 1, in column $c_n$) and use the **softmax**
# family, which models "exactly one of $C$" (notebook [05](05_softmax_ce.ipynb)). The sparse variant takes the
# integers directly and gives the same loss without building the one-hot matrix:

# %%
one_hot = np.eye(5)[classes.astype(int)]
class_logits = rng.normal(size=(5, 5))
ct.checks.compare("softmax CE one-hot vs sparse integer labels",
                  ct.softmax_cross_entropy_with_logits(one_hot, class_logits),
                  ct.sparse_softmax_cross_entropy_with_logits(classes.astype(int), class_logits), rtol=1e-14)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Class imbalance: `pos_weight` and per-example weights
#
# When positives are rare (2 in 20), a model can score a low loss by always saying "no". Two ways to push back:
#
# - **`pos_weight`** $w_+$ multiplies only the positive-label term:
#   $L_{w_+} = w_+\,z\,(-\log\sigma(x)) + (1 - z)(-\log(1 - \sigma(x)))$. TensorFlow:
#   `tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight)`; PyTorch:
#   `BCEWithLogitsLoss(pos_weight=...)`, one weight per class. A common choice is $w_+$ = negatives / positives.
# - **Per-example weights** $w_n$ multiply the whole loss of example $n$: $w_n \ell_n$ (Keras `sample_weight`,
#   PyTorch `BCEWithLogitsLoss(weight=...)`).
#
# The stable form of $L_{w_+}$ comes from the same steps, with $L_0 = \log(1 + e^{-|x|})$: $-\log\sigma(x) =
# \max(-x, 0) + L_0$ (step 1, then step 6 for $x < 0$) and $-\log(1 - \sigma(x)) = \max(x, 0) + L_0$ (step 3, then
# step 6), so
#
# $$L_{w_+} = (w_+ z + 1 - z)\,L_0 + (1 - z)\max(x, 0) + w_+ z\max(-x, 0),$$
#
# again with no positive exponent, and $w_+ = 1$ gives back the plain loss:

# %%
w_plus = 3.0
textbook = w_plus * z_grid * -np.log(sigmoid_naive(x_grid)) + (1 - z_grid) * -np.log(1 - sigmoid_naive(x_grid))
L0 = np.log1p(np.exp(-np.abs(x_grid)))
stable = (w_plus * z_grid + 1 - z_grid) * L0 + (1 - z_grid) * np.maximum(x_grid, 0)
stable += w_plus * z_grid * np.maximum(-x_grid, 0)
ct.checks.compare("pos_weight 3: stable vs textbook", stable, textbook, rtol=1e-12)
ct.checks.compare("pos_weight 3: ct vs stable", ct.weighted_cross_entropy_with_logits(z_grid, x_grid, w_plus), stable,
                  rtol=1e-14)
ct.checks.compare("pos_weight 1 vs unweighted", ct.weighted_cross_entropy_with_logits(z_grid, x_grid, pos_weight=1.0),
                  ct.sigmoid_cross_entropy_with_logits(z_grid, x_grid), rtol=1e-15)

# %% [markdown]
# **What the weights do, on 2 positives and 18 negatives.** Take the laziest model: one shared logit for every
# example. Scan the shared logit and keep the one with the lowest mean loss:

# %%
z_hard = np.array([1.0] * 2 + [0.0] * 18)
w_plus = (1 - z_hard).sum() / z_hard.sum()  # negatives / positives = 9
w_n = np.where(z_hard == 1, w_plus, 1.0)  # per-example weights: w₊ on the positives
shared = np.linspace(-6, 6, 12001)[:, None]  # candidate shared logits (rows), step 0.001
Z = np.broadcast_to(z_hard, (shared.size, z_hard.size))
X = np.broadcast_to(shared, Z.shape)
mean_losses = {
    "plain": ct.sigmoid_cross_entropy_with_logits(Z, X).mean(axis=1),
    f"pos_weight = {w_plus:g}": ct.weighted_cross_entropy_with_logits(Z, X, pos_weight=w_plus).mean(axis=1),
    "weights 9 / 1": (w_n * ct.sigmoid_cross_entropy_with_logits(Z, X)).mean(axis=1),
}
best = {name: float(ct.sigmoid(shared[np.argmin(m), 0])) for name, m in mean_losses.items()}
print("best shared σ(x) with " + ";  ".join(f"{name}: {value:.3f}" for name, value in best.items()))
assert abs(best["plain"] - 0.1) < 1e-3 and abs(best["pos_weight = 9"] - 0.5) < 1e-3 and abs(best["weights 9 / 1"] - 0.5) < 1e-3

# %% [markdown]
# Without weights the best shared probability is the base rate 2/20; with $w_+ = 9$ it is 1/2: positives and
# negatives now count equally (Exercise 3 derives this). With hard labels the two kinds of weights do exactly the same.
# **Where they differ:** `pos_weight` scales the positive *term* of every example, a per-example weight the whole
# *example*. With soft labels (say 0.95 / 0.05) every negative example carries a small positive term, which `pos_weight`
# multiplies by 9 and per-example weights leave alone.

# %%
model_logits = np.linspace(-3.0, 1.0, 20)  # some model's outputs for the 20 examples
print(f"{'mean loss':16} {'hard labels':>12} {'soft (0.95 / 0.05)':>19}")
results = {}
for name in ("pos_weight = 9", "weights 9 / 1"):
    hard_soft = (z_hard, 0.05 + 0.9 * z_hard)
    if name.startswith("pos_weight"):
        results[name] = [ct.weighted_cross_entropy_with_logits(zs, model_logits, w_plus).mean() for zs in hard_soft]
    else:
        results[name] = [(w_n * ct.sigmoid_cross_entropy_with_logits(zs, model_logits)).mean() for zs in hard_soft]
    print(f"{name:16} {results[name][0]:12.6f} {results[name][1]:19.6f}")
ct.checks.compare("hard labels: pos_weight = per-example weights", results["pos_weight = 9"][0],
                  results["weights 9 / 1"][0], rtol=1e-14)
assert results["pos_weight = 9"][1] > results["weights 9 / 1"][1]

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. The sigmoid is a two-class softmax
#
# Give a softmax ($S(x)_i = e^{x_i} / \sum_j e^{x_j}$, the subject of the next notebook) two logits, $x$ and $0$:
#
# | step | identity | because |
# |---|---|---|
# | 1 | $S([x, 0])_0 = \dfrac{e^{x}}{e^{x} + e^{0}}$ | definition of the softmax |
# | 2 | $= \dfrac{1}{1 + e^{-x}} = \sigma(x)$ | divide numerator and denominator by $e^{x}$ |
#
# So a sigmoid output is a softmax over "yes" (logit $x$) and "no" (logit 0), and binary cross-entropy with label $z$
# is softmax cross-entropy with the label row $[z, 1 - z]$.

# %%
x = np.concatenate([np.linspace(-10, 10, 81), [-800.0, -50.0, 50.0, 800.0]])
z = np.linspace(0, 1, x.size)
two_logits = np.stack([x, np.zeros_like(x)], axis=-1)
ct.checks.compare("softmax([x, 0])[0] vs σ(x)", ct.softmax(two_logits)[:, 0], ct.sigmoid(x), rtol=1e-15)
ct.checks.compare("softmax CE [z, 1 − z] vs sigmoid CE",
                  ct.softmax_cross_entropy_with_logits(np.stack([z, 1 - z], axis=-1), two_logits),
                  ct.sigmoid_cross_entropy_with_logits(z, x), rtol=1e-14)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 9. Explore: loss and gradient against the logit
#
# The left panel is the loss against the logit $x$ for one label $z$, the right panel its gradient $\sigma(x) - z$.
# The thin line is the stable form, the wide pale band under it the textbook form, drawn only where it is finite;
# the round marker is the stable value at $x$, the square one the naive value.
# The readout shows $\sigma(x)$, the loss and the gradient both ways; the naive gradient is what automatic
# differentiation gets through $\sigma$ and the logs.
#
# **Predict first:** set $z = 1$, choose *float32*, and walk $x$ up towards 16.6, where section 3 found that $\sigma(x)$
# rounds to 1. (a) Just before that, at $x = 16.5$, is the naive loss still right? If not: too high or too low, and by
# roughly what factor? (b) From which logit on is the naive *gradient* more than 10 % off: well before 16.6, or only
# there?

# %% jupyter={"outputs_hidden": true}
explorer = widgets.bce_explorer(x=2.0, z=1.0)
explorer

# %% jupyter={"outputs_hidden": true}
at = explorer.plot.state_at(x=16.5, z=1.0, dtype="float32")  # the readout's numbers there; the figure stays
naive_loss, true_loss = at["naive_loss"].item(), at["loss"].item()
print("What the readout shows at the point of the prompt:")
print(f"x = 16.5: naive loss {naive_loss:.4g}, true loss {true_loss:.4g}, naive / true = {naive_loss / true_loss:.2f}")
grid32 = np.arange(10.0, 16.6, 0.01, dtype=np.float32)
ones = np.ones_like(grid32)
off = np.abs(plotting.naive_bce_grad(ones, grid32) / ct.sigmoid_cross_entropy_grad(ones, grid32) - 1)
first_off = grid32[np.argmax(off > 0.1)]  # the first logit where the naive gradient is more than 10 % off
print(f"the naive gradient is first more than 10 % off at x = {first_off:.2f}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# (a) Wrong, and too high: 1.75 times the true loss (the hidden output above prints it). The true loss is
# $-\log\sigma(16.5) \approx e^{-16.5} = 6.8\cdot10^{-8}$, but float32 cannot hold $1 + e^{-16.5}$: its numbers just
# above 1 are $1.19\cdot10^{-7}$ apart, so the sum rounds up to $1 + 1.19\cdot10^{-7}$, and the loss comes out as
# $1.19\cdot10^{-7}$. (b) Well before: the naive gradient $-(1 - \sigma)$ is built from the same rounded sum, so it is
# more than 10 % off from about $x = 14.4$ on, where $e^{-x}$ is only a few of those gaps. Rounding error grows long
# before anything turns `nan`. Move $z$ between 0 and 1: the minimum of the loss sits at $x = \ln\frac{z}{1-z}$,
# where the gradient crosses zero.
# </details>

# %%
assert f"{naive_loss / true_loss:.2f}" == "1.75" and 14 < first_off < 15 and naive_loss > true_loss

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Exercise 1.** Write binary cross-entropy from logits, elementwise, in TensorFlow's argument order. The checker
# tries hard and soft labels, a batch, float32 input and logits up to ±800, so the textbook formula will not pass.

# %%
def my_bce_with_logits(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.bce_with_logits(my_bce_with_logits)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_bce_with_logits(labels, logits):
#     z, x = np.asarray(labels), np.asarray(logits)
#     return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))
# ```
#
# PyTorch's form $(1 - z)x + \mathrm{softplus}(-x)$ is right in exact arithmetic but is rejected: at $z = 0$,
# $x = -40$ it computes $-40 + 40.000\ldots004$, and the true loss $4.2\cdot10^{-18}$ cancels to 0.
# </details>

# %% [markdown]
# **Exercise 2.** Write its gradient with respect to the logits.

# %%
def my_bce_gradient(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.bce_gradient(my_bce_gradient)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_bce_gradient(labels, logits):
#     return ct.sigmoid(logits) - labels
# ```
# </details>

# %% [markdown]
# **Exercise 3 (transfer).** Derive the gradient of the `pos_weight` loss $L_{w_+}$ of section 7 with respect to the
# logit, and write it. Then use it to explain the scan of section 7: for one shared logit, $N_+$ positives and $N_-$
# negatives, which $\sigma(x)$ makes the summed gradient zero?

# %%
def my_weighted_gradient(labels, logits, pos_weight):
    raise NotImplementedError  # your code here


ct.checks.weighted_bce_gradient(my_weighted_gradient)

# %% [markdown]
# <details><summary>Solution</summary>
#
# Section 4's steps give $\partial(-\log\sigma)/\partial x = \sigma - 1$ and $\partial(-\log(1-\sigma))/\partial x = \sigma$,
# so $\partial L_{w_+}/\partial x = w_+ z(\sigma - 1) + (1 - z)\sigma = (w_+ z + 1 - z)\,\sigma - w_+ z$:
#
# ```python
# def my_weighted_gradient(labels, logits, pos_weight):
#     z = np.asarray(labels)
#     return (pos_weight * z + 1 - z) * ct.sigmoid(logits) - pos_weight * z
# ```
#
# Summed over $N_+$ positives ($z = 1$) and $N_-$ negatives ($z = 0$): $N_+(w_+\sigma - w_+) + N_-\sigma = 0$, so
# $\sigma = w_+N_+ / (w_+N_+ + N_-)$. With $w_+ = N_-/N_+ = 9$ that is $1/2$; with $w_+ = 1$, the base rate
# $N_+/(N_+ + N_-) = 0.1$.
# </details>

# %% [markdown]
# **Question.** A float32 model's loss turns `nan` once its logits pass about 17. A colleague fixes it by clipping the
# probabilities, `q = np.clip(sigmoid(x), 1e-7, 1 - 1e-7)`, before the textbook formula (this is what Keras does for
# `from_logits=False`). What does that fix cost? What is the better fix?

# %% [markdown]
# <details><summary>Answer</summary>
#
# The clip removes the `nan` but caps every loss at $-\ln 10^{-7} \approx 16.1$: a confident wrong prediction
# ($x = 40$, $z = 0$, true loss 40) is reported as 16.1, and the gradient through a clipped value is 0, so exactly the
# worst mistakes stop being corrected. The better fix is to never form $\sigma(x)$: pass the logits to
# `ct.sigmoid_cross_entropy_with_logits` (Keras `BinaryCrossentropy(from_logits=True)`, PyTorch `BCEWithLogitsLoss`).
# </details>

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Takeaways
#
# - A logit is a log-odds; $q = \sigma(x)$ turns it into a probability. Compute the loss from the logit, never from
#   $\sigma(x)$.
# - $\max(x, 0) - xz + \log(1 + e^{-|x|})$ follows from the textbook formula in eight checked steps and never overflows.
# - The textbook formula returns `inf` or `nan` once $\sigma(x)$ rounds to 1, from $x \approx 16.6$ in float32 and
#   $36.7$ in float64, and is already wrong before that; its autograd gradient turns `nan` with it. The gradient itself
#   is simply $\sigma(x) - z$.
# - Sigmoid cross-entropy answers independent yes/no questions (multi-label); for exactly one of $C$ classes use the
#   softmax. `pos_weight` scales the positive term, per-example weights scale whole examples.
#
# **Next:** [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb).

# %% [markdown]
# ## Going deeper
#
# Four deep dives into the last digits. Nothing above depends on them.
#
# ### The package's form: only non-negative terms
#
# Form 8 still subtracts: $\max(x, 0) - xz$. `ct.sigmoid_cross_entropy_with_logits` rearranges it once more. Write
# $L_0 = \log(1 + e^{-|x|})$:
#
# | step | identity | because |
# |---|---|---|
# | 9 | for $x > 0$: $\max(x, 0) - xz = (1 - z)\max(x, 0) + z\max(-x, 0)$ | the left side is $(1-z)x$, and $\max(-x, 0) = 0$ |
# | 10 | for $x \le 0$: $\max(x, 0) - xz = (1 - z)\max(x, 0) + z\max(-x, 0)$ | the left side is $z \cdot (-x)$, and $\max(x, 0) = 0$ |
# | 11 | $L = L_0 + (1 - z)\max(x, 0) + z\max(-x, 0)$ | steps 9 and 10 in form 8 |
#
# With $0 \le z \le 1$ every term of form 11 is $\ge 0$: nothing is subtracted, so nothing can cancel.

# %%
L0 = np.log1p(np.exp(-np.abs(x_grid)))
form_11 = L0 + (1 - z_grid) * np.maximum(x_grid, 0) + z_grid * np.maximum(-x_grid, 0)
ct.checks.compare("step 11 (non-negative terms) vs 8", form_11, values[names[-1]], rtol=1e-12)
ct.checks.compare("ct.sigmoid_cross_entropy_with_logits vs 11", ct.sigmoid_cross_entropy_with_logits(z_grid, x_grid),
                  form_11, rtol=1e-15)

# %% [markdown]
# ### Hundreds of ulps, and why that is not a bad formula
#
# Take a soft label $z = 0.999$ and $x = 33$: form 8 computes $33 - 32.967 + \ldots = 0.033$. How many units in the last
# place (ulps: the spacing of floats at the result) is it off? The exact loss comes from `ct.ulp.exact_bce`
# (60 digits with Python's `decimal`, summing only positive terms), and `ct.ulp.ulp_error` divides the difference by
# the spacing.

# %%
print("z = 0.999, 61 logits x in [30, 36]: largest error in ulps")
print(f"{'':24} {'float64':>9} {'float32':>9}")
worst = {}
for name, loss in [("form 8 (TensorFlow)", form_8), ("form 11 (ct)", ct.sigmoid_cross_entropy_with_logits)]:
    for dtype in (np.float64, np.float32):
        xs, z = np.linspace(30, 36, 61).astype(dtype), dtype(0.999)
        worst[name, dtype] = max(abs(ct.ulp.ulp_error(loss(z, v)[()], ct.ulp.exact_bce(v, z))) for v in xs)
    print(f"{name:24} {worst[name, np.float64]:9.1f} {worst[name, np.float32]:9.1f}")
assert min(worst["form 8 (TensorFlow)", t] for t in (np.float64, np.float32)) > 100
assert max(worst["form 11 (ct)", t] for t in (np.float64, np.float32)) <= 1.0

# %% [markdown]
# 504 ulps sounds like a bad formula. It is not. Form 8 makes one rounding that matters, in the product $x \cdot z$:
# the computed product is $x z (1 + r)$ with a relative rounding error $|r| \le 2^{-53}$, which is the exact product for
# the label $z(1 + r)$. So form 8 returns (almost exactly) the true loss of a label that differs from 0.999 in its 16th
# digit: it is **backward stable**. The large error is the problem's **conditioning**: here the loss reacts to a
# relative change of $z$ about a thousand times more strongly, $\operatorname{cond}_z = \left|\frac{z\,\partial L/\partial z}{L}\right|
# = \left|\frac{x z}{L}\right| \approx 1000$ (from form 8, $\partial L/\partial z = -x$). Half an ulp in $x z$ becomes
# up to $\operatorname{cond}_z \cdot \tfrac12 \approx 500$ ulps in $L$. The check: the rounding error of $x z$ alone, computed
# exactly, predicts each measured error.

# %%
from decimal import Decimal, localcontext

rows = []
for v in np.linspace(30, 36, 61):
    exact = ct.ulp.exact_bce(v, 0.999)
    measured = ct.ulp.ulp_error(form_8(0.999, v), exact)
    with localcontext(prec=60):  # fl(x·z) − x·z, exactly, in ulps of L; it enters L with a minus sign
        predicted = -float((Decimal(v * 0.999) - Decimal(v) * Decimal(0.999)) / Decimal(np.spacing(float(exact))))
    rows.append((measured, predicted, v * 0.999 / float(exact)))
measured, predicted, cond = np.array(rows).T
print(f"largest |error| {np.abs(measured).max():.1f} ulp;  cond_z = {cond.mean():.1f} on the whole range")
print(f"measured − predicted from the rounding of x·z alone: at most {np.abs(measured - predicted).max():.2f} ulp")
assert np.abs(measured - predicted).max() < 1 and np.all(np.abs(measured) <= cond)

# %% [markdown]
# (In general the bound is $\operatorname{cond}_z$ ulps, since one ulp of $L$ is at least $2^{-53} L$; here $L \approx 0.033$ sits
# just above the power of two $2^{-5}$, where an ulp is nearly $2^{-52} L$, so the error is about half that.) This is the lesson of 03's $-\ln 0.7$ again: there `np.log` was correctly
# rounded, yet the float64 result was an ulp away from the exact $-\ln 0.7$, because the *input* 0.7 was already rounded
# when stored, and $-\ln$ amplifies a relative change of its input by $\operatorname{cond} = 1/|\ln 0.7| \approx 2.8$. An error
# measured against the exact answer is (rounding of what went in) × (condition number), and only the first factor is
# the formula's fault. Form 11 removes even that: $1 - z$ is computed exactly (0.999 and 1 are within a factor 2 of
# each other) and its one rounding, of $(1 - z) \cdot x$, is relative to the small result.

# %%
cond_ln = 1 / abs(np.log(0.7))
with localcontext(prec=40):
    delta = float((Decimal(0.7) - Decimal("0.7")) / Decimal("0.7"))  # relative rounding of the stored 0.7
shift_ulps = cond_ln * abs(delta) * -np.log(0.7) / np.spacing(-np.log(0.7))
print(f"03's −ln 0.7: cond = {cond_ln:.2f}, input rounded by {delta:.2e} relative → {shift_ulps:.2f} ulp in the loss")
assert 1 < shift_ulps < 1.2 and np.nextafter(-np.log(0.7), 0) == float(-Decimal("0.7").ln())

# %% [markdown]
# PyTorch's formula $(1 - z)x + \mathrm{softplus}(-x)$ has the mirror problem: for labels near 0 and negative
# logits it adds two terms of opposite sign, and at $z = 0$, $x = -40$ its float64 result is 0 (measured with
# torch 2.13.0 on CPU in `tests/test_checks_sigmoid.py`) where the loss is $4.2\cdot10^{-18}$:

# %%
torch_form = (1 - 0.0) * -40.0 + ct.softplus(40.0)
print(f"(1 − z)·x + softplus(−x) at z = 0, x = −40: {float(torch_form)!r};  form 11: "
      f"{float(ct.sigmoid_cross_entropy_with_logits(0.0, -40.0)):.6g}")
assert torch_form == 0.0 and ct.sigmoid_cross_entropy_with_logits(0.0, -40.0) > 4e-18

# %% [markdown]
# ### Exactly where the textbook formula breaks
#
# Section 3 scanned a grid. To find the exact float, use that positive floats are ordered like their bit patterns read
# as integers: bisection over those integers (`ct.ulp.first_float`) finds the first float where $\sigma(x)$ rounds to
# 1, and the first where $e^{-x}$ overflows so that $\sigma(-x)$ is 0.

# %%
for dtype in (np.float32, np.float64):
    info = np.finfo(dtype)
    bits = info.nmant + 1  # precision b, counting the implicit leading bit
    t_one = ct.ulp.first_float(lambda v: sigmoid_naive(v) == 1, 1.0, 100.0, dtype)
    t_zero = ct.ulp.first_float(lambda v: sigmoid_naive(-v) == 0, 1.0, 1000.0, dtype)
    below = np.nextafter(t_one, dtype(0))
    print(f"{dtype.__name__}: σ(x) = 1 from x = {t_one:.6f} (one float lower: σ = {sigmoid_naive(below)});"
          f" {bits}·ln 2 = {bits * np.log(2):.6f}")
    print(f"{'':9}σ(x) = 0 from x = −{t_zero:.6f} (e^−x overflows);  ln(largest float) = {np.log(info.max):.6f}")
    assert sigmoid_naive(below) < 1 and sigmoid_naive(-np.nextafter(t_zero, dtype(0))) > 0
    assert abs(t_one - bits * np.log(2)) < 1e-5 and abs(t_zero - np.log(info.max)) < 1e-4

# %% [markdown]
# ### float32 forensics of the reproduce
#
# TensorFlow's float32 kernel rounds at every step (max, $x \cdot z$, subtract, $|x|$, exp, log1p, add, then sum and
# divide). Below: the exact loss of each element, the package's float32 value and TensorFlow's printed float32 values
# (quoted from TensorFlow 2.21), each with its error in float32 ulps; then the same formula simulated one float32 step
# at a time, each step correctly rounded (`ct.ulp.float32_stepwise_bce`).

# %%
x, z = np.array([-1.0, -1.0, 0.0, 1.0, 2.0]), np.array([0.0, 0.0, 1.0, 1.0, 1.0])
tf_elements = np.array([0.31326169, 0.31326169, 0.69314718, 0.31326169, 0.12692800], np.float32)  # quoted
ours = ct.sigmoid_cross_entropy_with_logits(z.astype(np.float32), x.astype(np.float32))
stepwise, stepwise_mean = ct.ulp.float32_stepwise_bce(z, x)
print(f"{'x':>3} {'z':>2} {'exact':>20} {'ct float32 (ulp)':>19} {'TF float32 (ulp)':>19} {'stepwise f32':>13}")
for i in range(5):
    exact = ct.ulp.exact_bce(x[i], z[i])
    errors = ct.ulp.ulp_error(ours[i], exact), ct.ulp.ulp_error(tf_elements[i], exact)
    print(f"{x[i]:3.0f} {z[i]:2.0f} {exact:20.17f} {ours[i]:>11.8f} ({errors[0]:+5.2f})"
          f" {tf_elements[i]:>11.8f} ({errors[1]:+5.2f}) {stepwise[i]:>13.8f}")
    assert abs(errors[0]) <= 0.5 and abs(errors[1]) < 1  # ct: correctly rounded; TF: within one ulp
tf_mean = np.float32(tf_elements.sum(dtype=np.float32) / np.float32(5))
print(f"mean of TF's elements in float32: {tf_mean!s};  stepwise float32 mean: {stepwise_mean!s}")
assert tf_mean == stepwise_mean == np.float32("0.35197204") and np.array_equal(stepwise, ours)

# %% [markdown]
# All errors are below one ulp, and the package's are at most half an ulp (correctly rounded). TensorFlow's last
# element is the float32 *below* the correctly rounded one: its float32 `exp` and `log1p` are fast approximations
# accurate to about an ulp. Here that error is too small to move the mean. It was not guaranteed: the exact mean lies
# a fraction of an ulp above the float32 0.35197204, and rounding errors adding up the other way would have printed
# the next float32. The margin:

# %%
mean32 = np.float32(float(exact_mean))
offset = ct.ulp.ulp_error(mean32, exact_mean)  # float32 result − exact, in float32 ulps
print(f"exact mean {exact_mean:.17f};  float32 {mean32!s} = {float(mean32):.17f} ({offset:+.3f} ulp)")
print(f"a computed mean lands on another float32 if its error exceeds {0.5 + offset:+.3f} or {-0.5 + offset:+.3f} ulp")
assert -0.5 <= offset <= 0.5 and str(mean32) == "0.35197204"

# %% [markdown]
# This is the general rule for comparing float32 numbers across frameworks: agreement to within an ulp or two, not
# digit for digit.

# %% [markdown]
# # 04 · Sigmoid and binary cross-entropy
# From the textbook formula to the form that never overflows, one checked step at a time.
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/04_sigmoid_bce.ipynb)

# %% [markdown]
# **In this notebook you will**
# - derive the stable loss $\max(x, 0) - x z + \log(1 + e^{-|x|})$ from $-z\log\sigma(x) - (1-z)\log(1-\sigma(x))$,
#   one line per step, and check every step numerically;
# - find the exact logit where the textbook formula breaks in float32 and float64, and see why the stable one does not;
# - derive the gradient $\sigma(x) - z$ and check it against finite differences;
# - use the loss for multi-label data and imbalanced classes (`pos_weight` vs per-example weights).
#
# **Prerequisites:** [03 · Cross-entropy](03_cross_entropy.ipynb), where binary cross-entropy
# $-y\log\hat y - (1-y)\log(1-\hat y)$ appears for one yes/no question. Notation as in
# [00 · Start here](00_start_here.ipynb): $x$ logits, $z$ labels, $\sigma$ the sigmoid.

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Logits and probabilities
#
# A binary classifier's last layer outputs one real number per question, the **logit** $x \in (-\infty, \infty)$.
# The **sigmoid** turns it into the probability of "yes" (class 1):
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}} \in (0, 1).$$
#
# $x = 0$ means 50 %, large positive $x$ means "almost surely yes", large negative $x$ "almost surely no".
# The logit is the **log-odds**: solving $p = \sigma(x)$ for $x$ gives $x = \ln\frac{p}{1-p}$. A loss that starts from
# the logit sees the model's raw output; a loss that starts from $p$ sees it only after the sigmoid has rounded it.

# %%
x = np.array([-6.0, -2.0, 0.0, 2.0, 6.0])
p = ct.sigmoid(x)
print("logit x      ", np.array2string(x, formatter={"float_kind": lambda v: f"{v:9.1f}"}))
print("σ(x)         ", np.array2string(p, formatter={"float_kind": lambda v: f"{v:9.5f}"}))

# %%
ct.checks.compare("log-odds ln(p / (1 − p)) gives back x", np.log(p / (1 - p)), x, rtol=1e-12, atol=1e-15)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. From the textbook formula to the stable form
#
# For a label $z \in [0, 1]$ (1 = yes, 0 = no, or anything between for a soft label) and a predicted probability
# $\sigma(x)$, binary cross-entropy is the cross-entropy of the two-outcome distributions $(z, 1-z)$ and
# $(\sigma(x), 1-\sigma(x))$:
#
# $$L = z \cdot \bigl(-\log\sigma(x)\bigr) + (1 - z) \cdot \bigl(-\log(1 - \sigma(x))\bigr). \qquad\text{(0)}$$
#
# TensorFlow's docstring of `sigmoid_cross_entropy_with_logits` rewrites this in five lines. Here are the same
# lines, each with its reason:
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
# there is a variant for negative logits:
#
# | step | identity | because |
# |---|---|---|
# | 6 | $\log(1 + e^{-x}) = -x + \log(1 + e^{x})$ | factor out: $1 + e^{-x} = e^{-x}(e^{x} + 1)$, and $\log e^{-x} = -x$ |
# | 7 | $L = -x z + \log(1 + e^{x})$ | substitute step 6 into form 5: $x - x = 0$ |
#
# and the two combine into one expression whose exponent is never positive:
#
# | step | identity | because |
# |---|---|---|
# | 8 | $L = \max(x, 0) - x z + \log(1 + e^{-\lvert x\rvert})$ | for $x \ge 0$: $\max(x, 0) = x$ and $-\lvert x\rvert = -x$, which is form 5; for $x < 0$: $\max(x, 0) = 0$ and $-\lvert x\rvert = x$, which is form 7 |
#
# In code, $\log(1 + u)$ is written `np.log1p(u)`: for a tiny $u$ (say $e^{-40} \approx 4\cdot10^{-18}$),
# `1 + u` rounds to exactly 1 and `np.log(1 + u)` returns 0, while `np.log1p(u)` returns $u$.
#
# Every form is the same function. The check: evaluate each one on a grid of moderate logits and labels (hard and
# soft), and compare it with the form before it.

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
    "8 max(x,0) − xz + log1p(e^−|x|)": lambda x, z: np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x))),
}
x_grid, z_grid = np.meshgrid(np.linspace(-5, 5, 101), np.linspace(0, 1, 11))  # 1111 (x, z) pairs
values = {name: form(x_grid, z_grid) for name, form in forms.items()}
names = list(forms)
for before, after in zip(names[:-1], names[1:], strict=True):  # each form against the one before it
    ct.checks.compare(f"step {after} vs {before.split()[0]}", values[after], values[before], rtol=1e-12)

# %% [markdown]
# Twelve digits, not sixteen: the forms round differently, and some lose digits by subtraction, such as
# $1 - \sigma(x)$ in the textbook form when $\sigma(x) \approx 1$, or $x + \log(1 + e^{-x})$ in form 5 when $x < 0$
# (at $x = -5$ it is $-5 + 5.0067$). On this grid of $|x| \le 5$ that costs at most a few digits; section 3 shows what
# happens at larger $|x|$.

# %% [markdown] slideshow={"slide_type": "subslide"}
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
# **Why bother, if form 8 never overflows?** Because of soft labels near 1. Take $z = 0.999$ and $x = 33$: form 8
# computes $33 - 32.967 = 0.033$. The product $x z$ was rounded to the spacing of floats near 33
# ($7\cdot10^{-15}$ in float64), and that rounding error survives the subtraction while the result is 1000 times
# smaller than $x$: it becomes hundreds of units in the last place (ulp) of the result.
#
# To measure it we need the exact loss. Python's `decimal` module computes `ln` and `exp` to any number of digits,
# and form (0) rewritten as $z\log(1+e^{-x}) + (1-z)\log(1+e^{x})$ (steps 1 and 3, i.e. form 4) is a sum of
# positive terms, so 60 digits leave nothing to cancel. The error is then $|\text{computed} - \text{exact}|$
# divided by the spacing of floats at the exact value.

# %%
from decimal import Decimal, localcontext


def exact_bce(x, z):
    """Binary cross-entropy of the floats x and z, to 60 significant digits (as a Decimal)."""
    with localcontext() as ctx:
        ctx.prec = 60
        x, z = Decimal(float(x)), Decimal(float(z))  # the exact values of the two floats
        return z * (1 + (-x).exp()).ln() + (1 - z) * (1 + x.exp()).ln()


def ulp_error(computed, exact) -> float:
    """(computed − exact) in units of the spacing of computed's dtype at the exact value (its ulp)."""
    spacing = np.spacing(computed.dtype.type(exact))
    return float((Decimal(float(computed)) - exact) / Decimal(float(spacing)))


def tf_form(z, x):
    """Form 8, TensorFlow's formula, evaluated in the dtype of x."""
    return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))


print("z = 0.999, 61 logits x in [30, 36]: largest error in ulps")
print(f"{'':30} {'float64':>9} {'float32':>9}")
worst = {}
for name, loss in [("form 8 (TensorFlow)", tf_form), ("form 11 (ct)", ct.sigmoid_cross_entropy_with_logits)]:
    for dtype in (np.float64, np.float32):
        xs, z = np.linspace(30, 36, 61).astype(dtype), dtype(0.999)
        worst[name, dtype] = max(abs(ulp_error(loss(z, v), exact_bce(v, z))) for v in xs)
    print(f"{name:30} {worst[name, np.float64]:9.1f} {worst[name, np.float32]:9.1f}")
assert min(worst["form 8 (TensorFlow)", t] for t in (np.float64, np.float32)) > 100
assert max(worst["form 11 (ct)", t] for t in (np.float64, np.float32)) <= 1.0

# %% [markdown]
# Hundreds of ulps is a relative error of about $10^{-13}$ in float64: harmless for training, but a reference
# implementation should not have it, and form 11 costs exactly the same operations (one `exp`, one `log1p`).
# (PyTorch's formula $(1 - z)x - \log\sigma(x)$ has the mirror problem for labels near 0 and negative logits.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Where the textbook formula breaks
#
# The textbook form (0) computes $\sigma(x)$ first, and a float cannot hold $\sigma(40) = 1 - 4.2\cdot10^{-18}$: the
# float64 number just below 1 is $1 - 1.1\cdot10^{-16}$, so $\sigma(40)$ rounds to exactly 1 and $\log(1 - \sigma)$ is
# $\log 0 = -\infty$. With $z = 1$ that $-\infty$ is multiplied by $1 - z = 0$, and $0 \cdot \infty$ is `nan`.
# At the other end $e^{-x}$ overflows, $\sigma(x) = 1/\infty = 0$, and $\log\sigma(x) = -\infty$.
# The same logits, in both precisions, naive (`ct.naive.sigmoid_cross_entropy`) vs stable
# (`ct.sigmoid_cross_entropy_with_logits`):

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
# **Exactly where.** A float format with $p$ bits of precision ($p = 24$ for float32, $53$ for float64) has
# $1 + 2^{1-p}$ as its next number after 1, so $1 + e^{-x}$ rounds to 1, and $\sigma(x)$ to 1, once
# $e^{-x} \le 2^{-p}$, i.e. for $x \ge p\ln 2$. At the negative end $e^{-x}$ overflows once $-x$ exceeds the log of
# the largest float. Rather than trust this, search for the first float where it happens. Positive floats are
# ordered like their bit patterns read as integers, so bisection over those integers finds the exact float.

# %%
def first_float(predicate, lo, hi, dtype):
    """The smallest float t of `dtype` in (lo, hi] with predicate(t) true, for a predicate that turns true once."""
    as_int = np.int32 if dtype == np.float32 else np.int64
    a, b = int(np.array(lo, dtype).view(as_int)), int(np.array(hi, dtype).view(as_int))
    assert not predicate(np.array(a, as_int).view(dtype)) and predicate(np.array(b, as_int).view(dtype))
    while b - a > 1:
        mid = (a + b) // 2
        if predicate(np.array(mid, as_int).view(dtype)):
            b = mid
        else:
            a = mid
    return np.array(b, as_int).view(dtype)[()]


for dtype in (np.float32, np.float64):
    info = np.finfo(dtype)
    bits = info.nmant + 1  # precision p, counting the implicit leading bit
    t_one = first_float(lambda v: sigmoid_naive(v) == 1, 1.0, 100.0, dtype)
    just_below = np.nextafter(t_one, dtype(0))
    assert sigmoid_naive(t_one) == 1 and sigmoid_naive(just_below) < 1
    t_zero = first_float(lambda v: sigmoid_naive(-v) == 0, 1.0, 1000.0, dtype)
    assert sigmoid_naive(-t_zero) == 0 and sigmoid_naive(-np.nextafter(t_zero, dtype(0))) > 0
    print(f"{dtype.__name__}: σ(x) rounds to 1 from x = {t_one:.6f} on (one float lower: σ = {sigmoid_naive(just_below)});"
          f"  {bits}·ln 2 = {bits * np.log(2):.6f}")
    print(f"{'':9}σ(x) is 0 from x = −{t_zero:.6f} on (e^−x overflows);  ln(largest float) = {np.log(info.max):.6f}")
    assert abs(t_one - bits * np.log(2)) < 1e-5 and abs(t_zero - np.log(info.max)) < 1e-4

# %% [markdown]
# So in float32, the precision most models train in, the textbook formula breaks for logits above **16.6**, which a
# confident network reaches easily; in float64 above **36.7**. The stable forms never compute $\sigma(x)$ at all,
# so there is nothing to round to 1.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. The gradient: $\partial L / \partial x = \sigma(x) - z$
#
# Differentiate form 5, $L = x - xz + \log(1 + e^{-x})$ (form 7 is the same function, so the result holds for
# every $x$):
#
# | step | identity | because |
# |---|---|---|
# | 1 | $\frac{d}{dx}(x - xz) = 1 - z$ | $z$ is a constant label |
# | 2 | $\frac{d}{dx}\log(1 + e^{-x}) = \dfrac{-e^{-x}}{1 + e^{-x}}$ | chain rule, $(\log u)' = u'/u$ with $u = 1 + e^{-x}$, $u' = -e^{-x}$ |
# | 3 | $\dfrac{-e^{-x}}{1 + e^{-x}} = -(1 - \sigma(x))$ | step 2 of section 2 |
# | 4 | $\dfrac{\partial L}{\partial x} = 1 - z - 1 + \sigma(x) = \sigma(x) - z$ | add steps 1 and 3 |
#
# Prediction minus target: large when the model is confidently wrong, zero when $\sigma(x) = z$. Check it against
# central finite differences of the package's loss (`ct.numerical_gradient`), and against the package's gradient:

# %%
x = np.linspace(-6, 6, 25)
z = rng.random(25)  # soft labels in [0, 1)
by_hand = ct.sigmoid(x) - z
finite_differences = ct.numerical_gradient(lambda v: ct.sigmoid_cross_entropy_with_logits(z, v).sum(), x)
ct.checks.compare("σ(x) − z vs finite differences", by_hand, finite_differences, rtol=1e-6, atol=1e-8)
ct.checks.compare("σ(x) − z vs ct.sigmoid_cross_entropy_grad", by_hand, ct.sigmoid_cross_entropy_grad(z, x),
                  rtol=1e-15)

# %% [markdown]
# (The `atol`: a central difference with step $10^{-6}$ on a sum of 25 losses of size ~1 carries a rounding error of
# about $\varepsilon \cdot 25 / 10^{-6} \approx 5\cdot10^{-9}$, absolute.)
#
# Automatic differentiation through the textbook formula computes the same thing by the chain rule,
# $\frac{\partial L}{\partial \sigma}\cdot\frac{\partial \sigma}{\partial x} = \bigl(-\frac{z}{\sigma} + \frac{1-z}{1-\sigma}\bigr)\cdot\sigma(1-\sigma)$,
# which is algebraically $\sigma - z$. Numerically, once $\sigma$ has rounded to 1 the first factor is $\infty$ and the
# second is 0:

# %%
x, z = np.array([2.0, 40.0]), np.array([0.5, 0.5])
s = sigmoid_naive(x)
with np.errstate(all="ignore"):  # the inf and nan below are the point
    dL_ds = -z / s + (1 - z) / (1 - s)
    ds_dx = s * (1 - s)
    chain_rule = dL_ds * ds_dx
for i in range(2):
    print(f"x = {x[i]:4.0f}:  ∂L/∂σ = {dL_ds[i]:<8.4g} ∂σ/∂x = {ds_dx[i]:<8.4g} product = {chain_rule[i]:<8.4g}"
          f" σ(x) − z = {ct.sigmoid_cross_entropy_grad(z[i], x[i]):.4g}")
assert np.isnan(chain_rule[1]) and ct.sigmoid_cross_entropy_grad(z[1], x[1]) == 0.5

# %% [markdown]
# A `nan` loss therefore comes with a `nan` gradient, and one `nan` in a weight update spreads to every weight. The
# frameworks' losses from logits (TensorFlow's `sigmoid_cross_entropy_with_logits`, PyTorch's `BCEWithLogitsLoss`)
# differentiate the stable form instead (PyTorch's backward pass is literally $\sigma(x) - z$), so their gradients stay
# finite.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Reproduce: five logits, three ways
#
# Logits $[-1, -1, 0, 1, 2]$ with labels $[0, 0, 1, 1, 1]$. The mean loss, computed from probabilities (the textbook
# form), with the stable form 8, and with the package:

# %%
x = np.array([-1.0, -1.0, 0.0, 1.0, 2.0])
z = np.array([0.0, 0.0, 1.0, 1.0, 1.0])
three_ways = {
    "naive, from probabilities": ct.naive.sigmoid_cross_entropy(z, x),
    "stable form 8": tf_form(z, x),
    "ct.sigmoid_cross_entropy_with_logits": ct.sigmoid_cross_entropy_with_logits(z, x),
}
for name, loss in three_ways.items():
    print(f"{name:38} {np.array2string(loss, precision=8, separator=', ')}  mean {loss.mean():.12f}")
package = three_ways["ct.sigmoid_cross_entropy_with_logits"]
for name, loss in three_ways.items():
    ct.checks.compare(f"{name} vs package", loss, package, rtol=1e-14)
exact_mean = sum(exact_bce(a, b) for a, b in zip(x, z, strict=True)) / 5
print(f"exact mean (decimal, 20 digits)        {exact_mean:.20f}")
print(f"float64 mean, to 17 significant digits {exact_mean:.17g} (the package: {float(package.mean())!r})")
assert package.mean() == 0.35197205083151726 == float(exact_mean)  # correctly rounded

# %% [markdown]
# **float32, and what TensorFlow printed.** The usual source quotes **0.35197204**, the float32 result of TensorFlow's
# `tf.nn.sigmoid_cross_entropy_with_logits` followed by `tf.reduce_mean`. The package computes float32 input in
# float64 internally and rounds once, so it returns the float32 nearest to the exact mean:

# %%
x32, z32 = x.astype(np.float32), z.astype(np.float32)
ours32 = ct.binary_crossentropy(z32, x32, from_logits=True)  # the mean over the last axis, as Keras does
tf_printed = np.float32("0.35197204")  # TensorFlow's printed float32 mean (quoted, not computed here)
below, above = np.nextafter(ours32, np.float32(0)), np.nextafter(ours32, np.float32(1))
offset = ulp_error(ours32, exact_mean)  # float32 result − exact, in float32 ulps
print(f"ct float32 mean        {ours32!s}  (this float32 is exactly {float(ours32):.17f})")
print(f"its float32 neighbours {float(below):.17f} and {float(above):.17f}")
print(f"exact mean             {exact_mean:.17f}  (ct float32 − exact = {offset:+.3f} ulp)")
print(f"TensorFlow printed     {tf_printed!s}")
print(f"a computed mean lands on another float32 if its error exceeds {0.5 + offset:+.3f} or {-0.5 + offset:+.3f} ulp")
assert ours32.dtype == np.float32 and ours32 == np.float32(package.mean()) == np.float32(float(exact_mean))
assert ours32 == tf_printed
for name, loss in three_ways.items():  # all three ways round to the same float32
    assert np.float32(loss.mean()) == ours32, name

# %% [markdown]
# So TensorFlow's 0.35197204 *is* the correctly rounded float32 of the exact mean, the same float32 the package
# returns: 0.35197204 and 0.35197205083… differ in the 8th digit only because float32 has no number in between
# (floats near 0.35 are $3\cdot10^{-8}$ apart, and 0.35197204 is the shortest decimal that names the nearest one).
#
# TensorFlow's float32 kernel does round at every step (max, $x \cdot z$, subtract, $|x|$, exp, log1p, add, then sum
# and divide), and its per-element values show it. Below: the exact loss of each element, the package's float32 value
# and TensorFlow's printed float32 values (quoted from TensorFlow 2.21), each with its error in float32 ulps; then the
# same formula simulated one float32 step at a time, each step correctly rounded (exp and log1p evaluated in float64
# and rounded to float32, as a correctly rounding float32 library would).

# %%
tf_elements = np.array([0.31326169, 0.31326169, 0.69314718, 0.31326169, 0.12692800], np.float32)  # quoted
ours_elements = ct.sigmoid_cross_entropy_with_logits(z32, x32)


def f32(value):
    """Round to float32: one float32 operation, correctly rounded."""
    return np.asarray(value, dtype=np.float64).astype(np.float32)


stepwise = f32(f32(np.maximum(x32, 0)) - f32(x32 * z32))  # max(x, 0) − x·z: float32 ops, IEEE rounded
exp32 = f32(np.exp(-np.abs(x32).astype(np.float64)))  # exp(−|x|), rounded to float32
stepwise = f32(stepwise + f32(np.log1p(exp32.astype(np.float64))))  # + log1p(exp), rounded; the sum, rounded
total = np.float32(0)
for value in stepwise:  # the sum, one float32 addition at a time, then the division
    total = np.float32(total + value)
stepwise_mean = np.float32(total / np.float32(5))

print(f"{'x':>3} {'z':>2} {'exact':>20} {'ct float32 (ulp)':>19} {'TF float32 (ulp)':>19} {'stepwise f32':>13}")
for i in range(5):
    exact = exact_bce(x[i], z[i])
    errors = ulp_error(ours_elements[i], exact), ulp_error(tf_elements[i], exact)
    print(f"{x[i]:3.0f} {z[i]:2.0f} {exact:20.17f} {ours_elements[i]:>11.8f} ({errors[0]:+5.2f})"
          f" {tf_elements[i]:>11.8f} ({errors[1]:+5.2f}) {stepwise[i]:>13.8f}")
    assert abs(errors[0]) <= 0.5 and abs(errors[1]) < 1  # ct: correctly rounded; TF: within one ulp
tf_mean = np.float32(np.float32(tf_elements.sum(dtype=np.float32)) / np.float32(5))
print(f"mean of TF's elements in float32: {tf_mean!s};  stepwise float32 mean: {stepwise_mean!s};  ct: {ours32!s}")
assert tf_mean == stepwise_mean == ours32 == tf_printed
assert np.array_equal(stepwise, ours_elements)

# %% [markdown]
# All errors are below one ulp, and the package's are at most half an ulp (correctly rounded). TensorFlow's last element is the float32
# *below* the correctly rounded one: its float32 `exp` and `log1p` are fast approximations accurate to about an ulp,
# not correctly rounded. Here that error is too small to move the mean, so every route ends on the same float32,
# 0.35197204. It was not guaranteed: the exact mean lies a quarter ulp above that float32, so rounding errors adding up
# to another quarter ulp upwards (see the margin printed above) would have printed the next float32, 0.35197207. This
# is the general rule for comparing float32 numbers across frameworks: agreement to within an ulp or two, not digit
# for digit.

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
print(f"mean loss per tag: {np.array2string(loss.mean(axis=0), precision=3, separator=', ')}")
print(f"mean loss overall: {loss.mean():.6f}")

# %%
ct.checks.compare("mean of per-image Keras BCE vs overall mean",
                  ct.binary_crossentropy(labels, logits, from_logits=True).mean(), loss.mean(), rtol=1e-14)

# %% [markdown]
# The ten probabilities of an image do not sum to 1, and need not: "cat" and "dog" are separate questions.
#
# **Integer class labels do not fit.** If each image had exactly one of 5 classes, labelled $0 \dots 4$, passing those
# integers as $z$ breaks the loss: the factor $1 - z$ becomes negative for $z \ge 2$, the loss goes negative, and it
# decreases without bound as the logit grows. Form 8 applied to $z = 4$ is $x - 4x + L_0 = -3x + L_0$:

# %%
classes = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
for x_value in (2.0, 10.0, 30.0):
    nonsense = tf_form(classes, np.full(5, x_value))
    print(f"x = {x_value:4.0f}: 1 − z = {(1 - classes).tolist()}, 'loss' = {np.array2string(nonsense, precision=3)}")

# %% [markdown]
# A gradient-descent step would push the logits of every class-4 example to $+\infty$. The package refuses such labels:

# %% tags=["raises-exception"]
ct.sigmoid_cross_entropy_with_logits(classes, np.full(5, 2.0))

# %% [markdown]
# What to do instead: one-hot encode the classes (row $i$ gets a single 1, in column $z_i$) and use the **softmax**
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
# - **`pos_weight` $q$** multiplies only the positive-label term:
#   $L_q = q\,z\,(-\log\sigma(x)) + (1 - z)(-\log(1 - \sigma(x)))$. TensorFlow:
#   `tf.nn.weighted_cross_entropy_with_logits(labels, logits, pos_weight)`; PyTorch:
#   `BCEWithLogitsLoss(pos_weight=...)`, one weight per class. A common choice is $q$ = negatives / positives.
# - **Per-example weights** $w_i$ multiply the whole loss of example $i$: $w_i L_i$ (Keras `sample_weight`,
#   PyTorch `BCEWithLogitsLoss(weight=...)`).
#
# The stable form of $L_q$, with $L_0 = \log(1 + e^{-|x|})$ as before:
#
# | step | identity | because |
# |---|---|---|
# | 1 | $-\log\sigma(x) = \max(-x, 0) + L_0$ | step 1 of section 2 gives $\log(1 + e^{-x})$: that is $L_0$ for $x \ge 0$, and $-x + \log(1 + e^{x})$ (step 6) for $x < 0$ |
# | 2 | $-\log(1 - \sigma(x)) = \max(x, 0) + L_0$ | step 3 gives $x + \log(1 + e^{-x})$: that is $x + L_0$ for $x \ge 0$, and $\log(1 + e^{x}) = L_0$ (step 6) for $x < 0$ |
# | 3 | $L_q = qz\,(\max(-x, 0) + L_0) + (1 - z)(\max(x, 0) + L_0)$ | substitute 1 and 2 |
# | 4 | $L_q = (qz + 1 - z)\,L_0 + (1 - z)\max(x, 0) + qz\max(-x, 0)$ | collect the $L_0$ terms |
#
# Again all terms are $\ge 0$, and $q = 1$ gives back form 11.

# %%
q = 3.0
weighted_forms = {
    "textbook": lambda x, z: q * z * -np.log(sigmoid_naive(x)) + (1 - z) * -np.log(1 - sigmoid_naive(x)),
    "step 3": lambda x, z: q * z * (np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x))))
    + (1 - z) * (np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))),
    "step 4": lambda x, z: (q * z + 1 - z) * np.log1p(np.exp(-np.abs(x))) + (1 - z) * np.maximum(x, 0)
    + q * z * np.maximum(-x, 0),
    "TF's formula": lambda x, z: (1 - z) * x + (1 + (q - 1) * z) * (np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)),
    "ct.weighted_cross_entropy_with_logits": lambda x, z: ct.weighted_cross_entropy_with_logits(z, x, pos_weight=q),
}
weighted = {name: form(x_grid, z_grid) for name, form in weighted_forms.items()}
wnames = list(weighted)
for before, after in zip(wnames[:-1], wnames[1:], strict=True):
    ct.checks.compare(f"pos_weight {q:g}: {after} vs {before}", weighted[after], weighted[before], rtol=1e-12)
ct.checks.compare("pos_weight 1 vs unweighted", ct.weighted_cross_entropy_with_logits(z_grid, x_grid, pos_weight=1.0),
                  ct.sigmoid_cross_entropy_with_logits(z_grid, x_grid), rtol=1e-15)

# %% [markdown]
# **What the weights do, on 2 positives and 18 negatives.** Take the laziest model: one shared logit for every
# example. Without weights the best shared logit predicts the base rate, $\sigma = 2/20$. The gradient of $L_q$ is
# $qz(\sigma - 1) + (1 - z)\sigma = (qz + 1 - z)\,\sigma - qz$ (section 4: $\partial(-\log\sigma)/\partial x = \sigma - 1$
# and $\partial(-\log(1-\sigma))/\partial x = \sigma$). Setting the summed gradient
# $\sum_i (q z_i + 1 - z_i)\,\sigma - q z_i$ to zero gives $\sigma = qP / (qP + N)$ for $P$ positives and $N$
# negatives, so $q = N/P = 9$ moves it to $\sigma = 1/2$: positives and negatives now count equally. Per-example
# weights of 9 on the positives and 1 on the negatives do exactly the same, for hard labels:

# %%
z_hard = np.array([1.0] * 2 + [0.0] * 18)
n_pos, n_neg = int(z_hard.sum()), int((1 - z_hard).sum())
q = n_neg / n_pos
w = np.where(z_hard == 1, q, 1.0)  # per-example weights: q on the positives
shared = np.linspace(-6, 6, 12001)  # candidate shared logits, step 0.001
X = np.broadcast_to(shared[:, None], (shared.size, z_hard.size))  # row k: every example gets logit shared[k]
Z = np.broadcast_to(z_hard, X.shape)
mean_losses = {
    "plain": ct.sigmoid_cross_entropy_with_logits(Z, X).mean(axis=1),
    f"pos_weight = {q:g}": ct.weighted_cross_entropy_with_logits(Z, X, pos_weight=q).mean(axis=1),
    "weights 9 / 1": (w * ct.sigmoid_cross_entropy_with_logits(Z, X)).mean(axis=1),
}
predicted = {name: float(ct.sigmoid(shared[np.argmin(m)])) for name, m in mean_losses.items()}
for name, value in predicted.items():
    print(f"{name:16} best shared σ(x) = {value:.3f}")
assert abs(predicted["plain"] - n_pos / (n_pos + n_neg)) < 1e-3
assert abs(predicted[f"pos_weight = {q:g}"] - 0.5) < 1e-3 and abs(predicted["weights 9 / 1"] - 0.5) < 1e-3

# %% [markdown]
# **Where they differ.** `pos_weight` scales the positive *term* of every example; a per-example weight scales the
# whole *example*. With hard labels the positive term lives only in positive examples, so the two coincide. With soft
# labels (say smoothed to 0.95 / 0.05) every negative example carries a small positive term, which `pos_weight`
# multiplies by 9 and per-example weights leave alone; and per-example weights can single out individual examples
# (a doubtful label, an important customer), which `pos_weight` cannot.

# %%
model_logits = np.linspace(-3.0, 1.0, 20)  # some model's outputs for the 20 examples
print(f"{'mean loss':22} {'hard labels':>12} {'soft (0.95 / 0.05)':>19}")
results = {}
for name in ("pos_weight = 9", "weights 9 / 1"):
    row = []
    for labels_used in (z_hard, 0.05 + 0.9 * z_hard):
        if name.startswith("pos_weight"):
            row.append(ct.weighted_cross_entropy_with_logits(labels_used, model_logits, pos_weight=q).mean())
        else:
            row.append((w * ct.sigmoid_cross_entropy_with_logits(labels_used, model_logits)).mean())
    results[name] = row
    print(f"{name:22} {row[0]:12.6f} {row[1]:19.6f}")
ct.checks.compare("hard labels: pos_weight = per-example weights", results["pos_weight = 9"][0],
                  results["weights 9 / 1"][0], rtol=1e-14)
assert results["pos_weight = 9"][1] > results["weights 9 / 1"][1]

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. The sigmoid is a two-class softmax
#
# Give a softmax two logits, $x$ and $0$:
#
# | step | identity | because |
# |---|---|---|
# | 1 | $S([x, 0])_0 = \dfrac{e^{x}}{e^{x} + e^{0}}$ | definition of the softmax |
# | 2 | $= \dfrac{1}{1 + e^{-x}} = \sigma(x)$ | divide numerator and denominator by $e^{x}$ |
#
# So a sigmoid output is a softmax over "yes" (logit $x$) and "no" (logit 0), and binary cross-entropy with label $z$
# is softmax cross-entropy with the label row $[z, 1 - z]$. The softmax is the subject of the next notebook.

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
# The thin line is the stable form, the wide pale band under it the textbook form, drawn only where it is finite.
# The readout under the sliders shows $\sigma(x)$, the loss and the gradient both ways; the naive gradient is what
# automatic differentiation gets through $\sigma$ and the logs.
#
# **Predict first:** set $z = 1$ and tick *float32*. At which logit does the naive loss stop being a number, and will it
# be `inf` or `nan`? And for $z = 0.5$? What does the stable column show at $x = 60$? Before it breaks, is the naive
# loss at $x = 16.5$ still right?

# %%
curves = plotting.draw_bce_curves(x=20.0, z=0.5, dtype="float32")
plt.show()

# %%
widgets.bce_explorer(x=2.0, z=1.0)

# %% [markdown]
# Things to try: with float32 on, walk $x$ from 15 to 17 at $z = 1$ and watch the naive loss go wrong (by a factor
# of two at 16.5) before it becomes `nan`; switch to float64 and find the new break near 36.7. Move $z$ between 0 and 1:
# the minimum of the loss sits at $x = \ln\frac{z}{1-z}$, where the gradient crosses zero.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Exercise 1.** Write binary cross-entropy from logits, elementwise, in TensorFlow's argument order. The checker
# tries hard and soft labels and logits up to ±800, so the textbook formula will not pass.

# %%
def my_bce_with_logits(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.bce_with_logits(my_bce_with_logits)

# %% [markdown]
# **Exercise 2.** Write its gradient with respect to the logits.

# %%
def my_bce_gradient(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.bce_gradient(my_bce_gradient)

# %% [markdown]
# **Question.** A float32 model's loss turns `nan` once its logits pass about 17. A colleague fixes it by clipping the
# probabilities, `p = np.clip(sigmoid(x), 1e-7, 1 - 1e-7)`, before the textbook formula (this is what Keras does for
# `from_logits=False`). What does that fix cost? What is the better fix?
#
# <details><summary>Answer</summary>
#
# The clip caps every loss at $-\ln 10^{-7} \approx 16.1$ and removes the `nan`, but:
# the loss of a confident wrong prediction (say $x = 40$ with $z = 0$, true loss 40) is reported as 16.1; the gradient
# through a clipped value is 0, so exactly the worst mistakes stop being corrected; a perfect prediction still costs
# about $10^{-7}$; and in float32, $1 - 10^{-7}$ rounds to $0.99999988$, so the cap is not even where it was meant to be.
# The better fix is to never form $\sigma(x)$ for the loss: pass the logits to
# `ct.sigmoid_cross_entropy_with_logits` (TensorFlow `sigmoid_cross_entropy_with_logits`, Keras
# `BinaryCrossentropy(from_logits=True)`, PyTorch `BCEWithLogitsLoss`), whose gradient is $\sigma(x) - z$ everywhere.
#
# Model solutions for the exercises:
#
# ```python
# def my_bce_with_logits(labels, logits):
#     z, x = np.asarray(labels, dtype=float), np.asarray(logits, dtype=float)
#     return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))
#
#
# def my_bce_gradient(labels, logits):
#     return ct.sigmoid(logits) - labels
# ```
# </details>

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Takeaways
#
# - A logit is a log-odds; $\sigma(x)$ turns it into a probability. Compute the loss from the logit, never from
#   $\sigma(x)$.
# - $\max(x, 0) - xz + \log(1 + e^{-|x|})$ follows from the textbook formula in eight checked steps and never overflows;
#   the package's rearrangement into non-negative terms, $L_0 + (1 - z)\max(x, 0) + z\max(-x, 0)$, never cancels either.
# - The textbook formula returns `inf` or `nan` once $\sigma(x)$ rounds to 1, from $x = 24\ln 2 \approx 16.6$ in float32
#   and $53\ln 2 \approx 36.7$ in float64, and its autograd gradient turns `nan` with it. The gradient itself is simply
#   $\sigma(x) - z$.
# - Sigmoid cross-entropy answers independent yes/no questions (multi-label); for exactly one of $C$ classes use the
#   softmax. `pos_weight` scales the positive term, per-example weights scale whole examples: the same for hard labels,
#   different for soft ones.
#
# **Next:** [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb).

# %% [markdown]
# # 06 · MSE vs cross-entropy gradients
# Why squared error learns almost nothing from a confident mistake, and cross-entropy learns the most.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/06_mse_vs_ce.ipynb)

# %% [markdown]
# **In this notebook you will**
# - derive the gradient of the squared error $\tfrac12(\sigma(x) - z)^2$ with respect to the logit, and compare it with
#   cross-entropy's $\sigma(x) - z$; check both against finite differences;
# - see the extra factor $q(1 - q)$ vanish where the sigmoid saturates (flattens out near 0 or 1), on a plot and
#   on a slider;
# - race two identical neurons from a badly wrong start, one trained on squared error and one on cross-entropy;
# - repeat the comparison for softmax outputs, and see why accuracy cannot be used as a loss at all.
#
# **Prerequisites:** [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb) (logits, $\sigma$, the gradient
# $\sigma(x) - z$) and [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb) (the Jacobian
# $\operatorname{diag}(s) - s s^\top$). Notation as in [00 · Start here](00_start_here.ipynb): $x$ a logit,
# $q = \sigma(x)$ the predicted probability of class 1, $z$ the 0/1 label of the sigmoid family; for softmax outputs,
# $S(x)$ the probabilities and $y$ the one-hot label vector.

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1 · Two losses for one sigmoid output
#
# A binary classifier outputs a logit $x$ and the probability $q = \sigma(x)$ that the label is $z = 1$. Two losses
# look equally reasonable at first sight:
#
# - **squared error** (MSE, the habit from regression): $L_\text{MSE} = \tfrac12 (q - z)^2$, at most $\tfrac12$;
# - **cross-entropy**: $L_\text{CE} = -z \ln q - (1 - z) \ln(1 - q)$, unbounded for a certain mistake.
#
# Gradient descent does not see the losses, only their **gradients with respect to the logit**, because the logit is
# what the weights move. So derive both.
#
# **Squared error:**
#
# | step | identity | because |
# |---|---|---|
# | 1 | $\dfrac{\partial L_\text{MSE}}{\partial x} = \dfrac{\partial L_\text{MSE}}{\partial q} \cdot \dfrac{\partial q}{\partial x}$ | chain rule: $L$ depends on $x$ only through $q = \sigma(x)$ |
# | 2 | $\dfrac{\partial L_\text{MSE}}{\partial q} = q - z$ | $\frac{d}{dq}\tfrac12 (q - z)^2 = \tfrac12 \cdot 2(q - z)$ |
# | 3 | $\dfrac{\partial q}{\partial x} = \dfrac{e^{-x}}{(1 + e^{-x})^2} = q(1 - q)$ | $q = (1 + e^{-x})^{-1}$; split the fraction, $1 - \sigma(x) = \frac{e^{-x}}{1 + e^{-x}}$ (notebook 04) |
# | 4 | $\dfrac{\partial L_\text{MSE}}{\partial x} = (q - z) \cdot q(1 - q)$ | steps 2 and 3 in step 1 |
#
# **Cross-entropy:**
#
# | step | identity | because |
# |---|---|---|
# | 5 | $\dfrac{\partial L_\text{CE}}{\partial q} = -\dfrac{z}{q} + \dfrac{1 - z}{1 - q} = \dfrac{q - z}{q(1 - q)}$ | $\frac{d}{dq}\ln q = \frac1q$; common denominator, $-z + zq + q - zq = q - z$ |
# | 6 | $\dfrac{\partial L_\text{CE}}{\partial x} = \dfrac{q - z}{q(1 - q)} \cdot q(1 - q) = q - z$ | chain rule with step 3: the sigmoid's slope cancels |
#
# The two gradients differ by exactly the sigmoid's slope, $q(1 - q) \le \tfrac14$: $\tfrac14$ at $x = 0$ and about
# $e^{-|x|}$ for large $|x|$. Where the sigmoid saturates, squared error's gradient vanishes, **whether the prediction
# is right or completely wrong**. Cross-entropy's $1/q$ in step 5 grows exactly as fast as the slope shrinks.
#
# The check: each formula (steps 4 and 6) and each package function against central finite differences of its loss,
# for both labels.

# %%
def finite_differences(loss, labels, logits):
    """∂loss/∂x for each logit separately, by ct.numerical_gradient (central differences, eps = 1e-6)."""
    return np.array([ct.numerical_gradient(lambda v, z=z: loss(z, v[0]), np.array([x]))[0]
                     for z, x in zip(labels, logits, strict=True)])


# %%
grid = np.linspace(-8.0, 8.0, 33)
for label in (1.0, 0.0):
    z = np.full_like(grid, label)
    q = ct.sigmoid(grid)
    numeric_mse = finite_differences(ct.sigmoid_squared_error, z, grid)
    numeric_ce = finite_differences(ct.sigmoid_cross_entropy_with_logits, z, grid)
    ct.checks.compare(f"z={label:.0f} step 4 (q − z)·q(1 − q) vs finite diff", (q - z) * q * (1 - q), numeric_mse,
                      rtol=1e-6, atol=1e-10)
    ct.checks.compare(f"z={label:.0f} ct.sigmoid_squared_error_grad vs finite", ct.sigmoid_squared_error_grad(z, grid),
                      numeric_mse, rtol=1e-6, atol=1e-10)
    ct.checks.compare(f"z={label:.0f} step 6 q − z vs finite diff", q - z, numeric_ce, rtol=1e-6, atol=1e-10)
    ct.checks.compare(f"z={label:.0f} ct.sigmoid_cross_entropy_grad vs finite", ct.sigmoid_cross_entropy_grad(z, grid),
                      numeric_ce, rtol=1e-6, atol=1e-10)

# %% [markdown]
# **Predict first:** the true class is $z = 1$ and the model becomes more and more certain of the wrong answer: its
# logit goes $-2, -5, -10, -20$. What happens to each loss? Does the *size* of each gradient grow or shrink?

# %% jupyter={"outputs_hidden": true}
wrong = np.array([-2.0, -5.0, -10.0, -20.0])
ones = np.ones_like(wrong)
mse_sizes, ce_sizes = np.abs(ct.sigmoid_squared_error_grad(ones, wrong)), np.abs(ct.sigmoid_cross_entropy_grad(ones, wrong))
print("A more and more confident mistake:")
print(f"{'logit':>6} {'q = P(z=1)':>11} {'MSE loss':>9} {'|∂MSE/∂x|':>10} {'CE loss':>8} {'|∂CE/∂x|':>9}")
for x, q, l_mse, g_mse, l_ce, g_ce in zip(wrong, ct.sigmoid(wrong), ct.sigmoid_squared_error(ones, wrong), mse_sizes,
                                          ct.sigmoid_cross_entropy_with_logits(ones, wrong), ce_sizes, strict=True):
    print(f"{x:6.0f} {q:11.3e} {l_mse:9.6f} {g_mse:10.3e} {l_ce:8.4f} {g_ce:9.6f}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# Squared error's loss creeps up to its ceiling ½ and its gradient **shrinks** (from 0.09 to $2 \times 10^{-9}$):
# the more wrong the model, the less squared error corrects it. Cross-entropy's loss grows without bound (about
# $-x$ nats) and its gradient approaches $-1$, the largest it can be.
#
# </details>

# %%
assert np.all(np.diff(mse_sizes) < 0), "the squared-error gradient should shrink as the mistake grows"
assert np.all(np.diff(ce_sizes) > 0) and ce_sizes[-1] > 0.999999, "the CE gradient should grow towards 1"
assert f"{mse_sizes[0]:.2f}" == "0.09" and f"{mse_sizes[-1]:.0e}" == "2e-09"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2 · Both gradients against the logit
#
# The two losses (left) and their gradients (right) for the label $z = 1$, over a range of logits. The readout gives
# both losses, both gradient sizes and their ratio $q(1 - q)$. Where cross-entropy is above the left panel, its marker
# is a triangle under the top edge; the readout gives its value.
#
# **Predict first:** for $z = 1$, where along the logit axis does squared error push hardest (largest
# $|\partial L_\text{MSE}/\partial x|$): at a confident mistake ($x \ll 0$), at the decision boundary $x = 0$, or
# somewhere else? Predict, then move the slider to find it.

# %% jupyter={"outputs_hidden": true}
widgets.gradients_vs_logit(logit=-8.0)

# %% [markdown]
# <details><summary>Answer</summary>
#
# Neither at the mistake nor at the boundary: a little to the wrong side of it, at $q = \tfrac13$, i.e.
# $x = -\ln 2 \approx -0.69$, where $(1 - q) \cdot q(1 - q)$ peaks (set its derivative $(1 - q)(1 - 3q)$ to 0).
# Past that point, the *more* wrong the model is, the *less* squared error corrects it; at $x = -8$ the ratio
# $q(1 - q)$ is $3.4 \times 10^{-4}$. Cross-entropy's gradient keeps growing towards $-1$.
#
# </details>

# %%
fine = np.linspace(-3.0, 3.0, 60001)  # steps of 1e-4
x_peak = float(fine[np.argmin(ct.sigmoid_squared_error_grad(np.ones_like(fine), fine))])
print(f"largest |∂MSE/∂x| for z = 1 at x = {x_peak:.4f} (−ln 2 = {-np.log(2):.4f}), q = {float(ct.sigmoid(x_peak)):.4f}")
assert abs(x_peak + np.log(2)) <= 1e-4
q8 = float(ct.sigmoid(-8.0))
assert f"{q8 * (1 - q8):.1e}" == "3.4e-04"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3 · The training race
#
# One sigmoid neuron (the smallest model: a weight $w$, a bias $b$ and a sigmoid), $q = \sigma(w X + b)$ for an input
# feature $X$, on a small synthetic data set: 20 negatives around $X = -1$ and 20 positives around $X = +1$ (drawn
# with the seeded `rng`). The start is **badly wrong**: $w_0 = -8$, $b_0 = 0$, so a typical positive gets the logit
# $-8$ and a typical negative $+8$.
#
# Two copies of this neuron are trained by plain gradient descent from the same start with the same **learning
# rate** (each step subtracts the learning rate times $\partial L/\partial w$ from $w$, and the same for $b$), one on
# the mean squared error and one on the mean cross-entropy (`ct.train_logistic`: full batch, deterministic).
# Per example the gradients with respect to the logit are steps 4 and 6; the chain rule through $x = w X + b$ adds
# $\partial x/\partial w = X$ and $\partial x/\partial b = 1$:
#
# $$\frac{\partial L}{\partial w} = \frac1N \sum_n g_n\, X_n, \qquad \frac{\partial L}{\partial b} = \frac1N \sum_n g_n,
# \qquad g_n = \begin{cases} q_n - z_n & \text{cross-entropy} \\ (q_n - z_n)\, q_n (1 - q_n) & \text{squared error.}\end{cases}$$

# %%
features = np.concatenate([rng.normal(-1.0, 0.6, 20), rng.normal(1.0, 0.6, 20)])
labels = np.repeat([0, 1], 20)
W0, B0, LR, STEPS = -8.0, 0.0, 1.0, 300

start_logits = W0 * features + B0
print(f"start: accuracy {np.mean((start_logits > 0) == labels):.0%}, "
      f"mean probability given to the true class {np.mean(np.where(labels == 1, ct.sigmoid(start_logits), ct.sigmoid(-start_logits))):.4f}")

# %% [markdown]
# The check: the gradient `ct.logistic_gradient` uses, against finite differences of the mean loss over $(w, b)$, at
# the bad start and at a harmless point; and the first step of each run, redone by hand from the formula above.

# %%
def mean_loss(loss, w, b):
    x = w * features + b
    if loss == "ce":
        return ct.sigmoid_cross_entropy_with_logits(labels.astype(float), x).mean()
    return ct.sigmoid_squared_error(labels.astype(float), x).mean()


for loss in ("mse", "ce"):
    for w, b in ((W0, B0), (0.5, -0.2)):
        _, grad_w, grad_b = ct.logistic_gradient(features, labels, w, b, loss=loss)
        numeric = ct.numerical_gradient(lambda p, loss=loss: mean_loss(loss, p[0], p[1]), np.array([w, b]))
        ct.checks.compare(f"{loss} ∂L/∂(w, b) at w={w:g} vs finite diff", [float(grad_w), grad_b], numeric,
                          rtol=1e-6, atol=1e-9)

# %%
mse_run = ct.train_logistic(features, labels, loss="mse", w0=W0, b0=B0, lr=LR, steps=STEPS)
ce_run = ct.train_logistic(features, labels, loss="ce", w0=W0, b0=B0, lr=LR, steps=STEPS)

q0 = ct.sigmoid(start_logits)
for run, g in ((mse_run, (q0 - labels) * q0 * (1 - q0)), (ce_run, q0 - labels)):
    by_hand = (W0 - LR * np.mean(g * features), B0 - LR * np.mean(g))
    ct.checks.compare(f"{run.loss} run: first step (w1, b1) by hand", [run.w[1], run.b[1]], by_hand, rtol=1e-14,
                      atol=1e-16)

# %%
print(f"{'step':>5} | {'accuracy':^17} | {'mean ½(q − z)²':^17} | {'mean cross-entropy':^19}")
print(f"{'':>5} | {'MSE run':>8} {'CE run':>8} | {'MSE run':>8} {'CE run':>8} | {'MSE run':>9} {'CE run':>9}")
for k in (0, 1, 10, 50, 100, 300):
    print(f"{k:5d} | {mse_run.accuracy[k]:8.0%} {ce_run.accuracy[k]:8.0%} | {mse_run.squared_error[k]:8.4f} "
          f"{ce_run.squared_error[k]:8.4f} | {mse_run.cross_entropy[k]:9.4f} {ce_run.cross_entropy[k]:9.4f}")
first_perfect = int(np.argmax(ce_run.accuracy == 1.0))
print(f"the CE run classifies every example correctly from step {first_perfect} on; "
      f"after {STEPS} steps the MSE run's weight has moved from {W0:g} to {mse_run.w[-1]:.3f}")
assert ce_run.accuracy[first_perfect:].min() == 1.0 and first_perfect <= 10
assert mse_run.accuracy[-1] < 0.1 and mse_run.squared_error[-1] > 0.4
assert ce_run.squared_error[-1] < mse_run.squared_error[-1], "CE wins even on squared error, MSE's own yardstick"

# %% [markdown]
# Both curves side by side, for the same start and learning rate. The left panel measures both runs by **squared
# error**, the very quantity the MSE run minimises, and the cross-entropy run still wins it by a mile: it is the
# gradient that matters, not the yardstick. The figure trained both runs for every setting of its two sliders when it
# was made (`ct.train_logistic_grid`, all 17 × 80 settings at once, each run bit for bit `ct.train_logistic`'s); its
# curves show every 4th step.
#
# **Predict first:** move the starting weight to $w_0 = -2$ (a milder mistake). Does the squared-error run catch up,
# and why? What does a larger learning rate do for it from $w_0 = -8$?

# %% jupyter={"outputs_hidden": true}
widgets.training_race(features, labels, w0=W0, lr=LR, steps=STEPS)

# %% [markdown]
# <details><summary>Answer</summary>
#
# From a mild start both learn: the slope $q(1 - q)$ is not tiny there. From a bad start the squared-error run sits on
# a plateau, every example saturated, its loss almost flat at ½, until enough tiny steps bring some examples back to
# the steep part of the sigmoid. A larger learning rate shortens the plateau but does not remove it: at the slider's
# largest, 4, the squared-error run still ends its 300 steps with only half the examples right (it needs about 14).
# Cross-entropy needs none of that: its step is proportional to the error itself.
#
# </details>

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4 · The same comparison for softmax outputs
#
# With $C$ classes, logits $x$, probabilities $s = S(x)$ and a one-hot (or soft) label vector $y$, squared error is
# $L = \tfrac12 \lVert S(x) - y \rVert^2 = \tfrac12 \sum_i (S_i - y_i)^2$. Its gradient goes through the softmax Jacobian
# $J_{ij} = \partial S_i / \partial x_j = s_i([i = j] - s_j)$ (notebook 05):
#
# | step | identity | because |
# |---|---|---|
# | 1 | $\dfrac{\partial L}{\partial x_j} = \sum_i \dfrac{\partial L}{\partial S_i} \dfrac{\partial S_i}{\partial x_j}$ | chain rule: every output $S_i$ depends on every logit $x_j$ |
# | 2 | $\dfrac{\partial L}{\partial S_i} = S_i - y_i$ | as step 2 of section 1 |
# | 3 | $\nabla_x L = J^\top (S - y)$ | steps 1 and 2 in matrix form; $\nabla_x L$ is the vector of all $\partial L/\partial x_j$ |
# | 4 | $J^\top (S - y) = s \odot \bigl(e - \langle s, e\rangle\bigr)$, with $e = S - y$ | $J$ is symmetric and $(J e)_j = s_j e_j - s_j \sum_i s_i e_i$; $\odot$ multiplies entry by entry, $\langle s, e\rangle = \sum_i s_i e_i$ |
#
# Cross-entropy's gradient is just $S(x) - y$ (notebook 05). Step 4 shows why squared error's vanishes for a confident
# mistake: every component carries a factor $s_j$. The true class has $s_\text{true} \approx 0$; the wrongly predicted
# class has $s_k \approx 1$, but its bracket $e_k - \langle s, e\rangle \approx 1 - 1 = 0$.

# %%
y3 = np.array([1.0, 0.0, 0.0])  # the true class is class 0
for t in (0.0, 3.0, 10.0):
    x3 = np.array([0.0, t, -1.0])
    s3 = ct.softmax(x3)
    via_jacobian = ct.softmax_jacobian(x3).T @ (s3 - y3)  # step 3
    numeric = ct.numerical_gradient(lambda v: ct.softmax_squared_error(y3, v), x3)
    ct.checks.compare(f"t={t:<2g} Jᵀ(S − y) vs softmax_squared_error_grad", via_jacobian,
                      ct.softmax_squared_error_grad(y3, x3), rtol=1e-12, atol=1e-17)
    ct.checks.compare(f"t={t:<2g} Jᵀ(S − y) vs finite differences", via_jacobian, numeric, rtol=1e-6, atol=1e-10)
    numeric_ce = ct.numerical_gradient(lambda v: ct.softmax_cross_entropy_with_logits(y3, v), x3)
    ct.checks.compare(f"t={t:<2g} S − y vs finite differences", s3 - y3, numeric_ce, rtol=1e-6, atol=1e-9)

# %% [markdown]
# Now let the model become confidently wrong: the logits are $[0, t, -1]$ with the truth in class 0, and $t$ grows.

# %%
print(f"{'t':>4} {'S(x)_true':>10} {'‖∇ MSE‖':>10} {'‖∇ CE‖':>8}")
norms = []
for t in (0.0, 2.0, 5.0, 10.0, 20.0):
    x3 = np.array([0.0, t, -1.0])
    mse_norm = np.linalg.norm(ct.softmax_squared_error_grad(y3, x3))
    ce_norm = np.linalg.norm(ct.softmax_cross_entropy_grad(y3, x3))
    norms.append((mse_norm, ce_norm))
    print(f"{t:4.0f} {float(ct.softmax(x3)[0]):10.3e} {mse_norm:10.3e} {ce_norm:8.4f}")
mse_norms, ce_norms = np.array(norms).T
assert np.all(np.diff(mse_norms[1:]) < 0) and mse_norms[-1] < 1e-8, "MSE's gradient should vanish"
assert ce_norms[-1] > 1.41, "CE's gradient should tend to ‖(−1, 1, 0)‖ = √2"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5 · Why accuracy cannot be the loss
#
# What we finally care about is usually the **classification error**: the fraction of examples on the wrong side of
# the decision boundary (1 − accuracy). Per example this is the **0-1 loss**: 1 if the prediction ($x > 0$ means
# class 1) is wrong, 0 if it is right. As a function of the logit it is a step: flat, a jump at $x = 0$, flat again.

# %%
plotting.draw_zero_one_vs_ce(-1.0)
plt.show()

# %% [markdown]
# **It is flat.** A flat function has derivative 0, so gradient descent gets no direction from it.
# `ct.numerical_gradient` on the 0-1 loss (label 1) returns exactly 0 away from the boundary; at the boundary it
# returns $-1/(2\,\text{eps})$, which grows without limit as the step eps shrinks: a jump, not a slope.

# %%
def zero_one_of(x):
    return ct.zero_one_loss(1, x[0])  # one example with label 1


for x in (-3.0, -0.5, 0.5, 3.0):
    g = ct.numerical_gradient(zero_one_of, np.array([x]))[0]
    print(f"x = {x:5.1f}: 0-1 loss {float(zero_one_of([x])):.0f}, finite-difference gradient {g:g}")
    assert g == 0.0
for eps in (1e-3, 1e-6):
    g = ct.numerical_gradient(zero_one_of, np.array([0.0]), eps=eps)[0]
    print(f"x =   0.0, eps = {eps:g}: finite-difference 'gradient' {g:g}")
    assert g == -1 / (2 * eps)

# %% [markdown]
# The same on the race's data set: at the bad start the error rate is 100 %, yet its gradient with respect to
# $(w, b)$ is zero, so a gradient step would not move at all. Cross-entropy's gradient at the same point is large.

# %%
def error_rate(p):
    return ct.zero_one_loss(labels, p[0] * features + p[1]).mean()


start = np.array([W0, B0])
g_01 = ct.numerical_gradient(error_rate, start)
g_ce = ct.numerical_gradient(lambda p: mean_loss("ce", p[0], p[1]), start)
print(f"at w = {W0:g}, b = {B0:g}: error rate {error_rate(start):.0%}")
print(f"  gradient of the error rate  = [{g_01[0]:g}, {g_01[1]:g}]")
print(f"  gradient of cross-entropy   = [{g_ce[0]:.4f}, {g_ce[1]:.4f}]")
assert np.all(g_01 == 0.0) and abs(g_ce[0]) > 0.5

# %% [markdown]
# **It is coarse.** Classification error only asks *which side* of the boundary each prediction is on, so it cannot
# tell a barely right prediction from a confident one. Two models on the same four examples ($z = 1, 1, 0, 0$): A
# gives the true class 0.51 every time, B gives it 0.99. Both make no mistakes; only the loss sees the difference,
# and only the loss rewards moving from A towards B.

# %%
z4 = np.array([1.0, 1.0, 0.0, 0.0])
for name, q_true in (("A, barely right", 0.51), ("B, confident", 0.99)):
    q4 = np.where(z4 == 1, q_true, 1 - q_true)  # the probability of class 1
    x4 = np.log(q4) - np.log1p(-q4)  # the logits that give it
    error, ce = ct.zero_one_loss(z4, x4).mean(), ct.sigmoid_cross_entropy_with_logits(z4, x4).mean()
    print(f"model {name:<16}: error rate {error:.0%}, mean cross-entropy {ce:.4f} nats")
    assert error == 0.0 and abs(ce + np.log(q_true)) < 1e-12

# %% [markdown]
# **Predict first:** the misconception runs the other way too: "lower loss means higher accuracy". Four examples,
# all of class 1. Model C gives each of them $q = 0.45$. Model D gives three of them $0.99$ and the fourth $0.001$.
# Which model has the lower mean cross-entropy, and which the higher accuracy?

# %% jupyter={"outputs_hidden": true}
z_c = np.ones(4)
models = {"C": np.full(4, 0.45), "D": np.array([0.99, 0.99, 0.99, 0.001])}
results = {}
print("Models C and D on the same four examples:")
for name, q_model in models.items():
    x_model = np.log(q_model) - np.log1p(-q_model)
    results[name] = (1 - ct.zero_one_loss(z_c, x_model).mean(), ct.sigmoid_cross_entropy_with_logits(z_c, x_model).mean())
    print(f"model {name}: accuracy {results[name][0]:.0%}, mean cross-entropy {results[name][1]:.4f} nats")

# %% [markdown]
# <details><summary>Answer</summary>
#
# C has the **lower** loss ($-\ln 0.45 = 0.80$ nats) and the **lower** accuracy (0 %: every $q$ is below ½). D is right
# three times out of four (75 %) but its one confident mistake costs $-\ln 0.001 = 6.9$ nats, so its mean loss is
# 1.73. Loss and accuracy measure different things: the loss punishes confident mistakes, accuracy only counts them.
#
# </details>

# %%
(acc_c, loss_c), (acc_d, loss_d) = results["C"], results["D"]
assert loss_c < loss_d and acc_c < acc_d, "C: lower loss and lower accuracy"
assert f"{loss_c:.2f}" == "0.80" and f"{loss_d:.2f}" == "1.73" and (acc_c, acc_d) == (0.0, 0.75)
print("lower loss, lower accuracy: the misconception is false")

# %% [markdown]
# So classifiers are **trained** on a smooth surrogate, cross-entropy, whose gradient is largest exactly where the
# model is most wrong and which still rewards a right answer given with more confidence, and **evaluated** by accuracy.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Exercise 1.** Write the gradient of $\tfrac12(\sigma(x) - z)^2$ with respect to the logit, elementwise (labels
# first, as in TensorFlow). The checker tries logits of $\pm 800$ too.

# %%
def my_mse_grad(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.sigmoid_mse_grad(my_mse_grad)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_mse_grad(labels, logits):
#     q = ct.sigmoid(logits)
#     return (q - labels) * q * (1 - q)
# ```
#
# </details>

# %% [markdown]
# **Exercise 2.** Write the gradient of $\tfrac12\lVert S(x) - y\rVert^2$ with respect to one row of logits `x`
# (a 1-D array; `ct.softmax_jacobian` may help).

# %%
def my_softmax_mse_grad(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.softmax_mse_grad(my_softmax_mse_grad)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_softmax_mse_grad(labels, logits):
#     s = ct.softmax(logits)
#     return ct.softmax_jacobian(logits).T @ (s - labels)
# ```
#
# </details>

# %% [markdown]
# **Exercise 3 (transfer).** Notebook 05 showed Keras clipping probabilities to $[\delta, 1 - \delta]$ with
# $\delta = 10^{-7}$ before the log. Take the binary cross-entropy on a clipped probability,
# $L = -z \ln \tilde q - (1 - z) \ln(1 - \tilde q)$ with $\tilde q = \operatorname{clip}(\sigma(x), \delta, 1 - \delta)$,
# and write its gradient with respect to the logit, elementwise. What does the clip do to a confident mistake?

# %%
def my_clipped_grad(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.clipped_bce_grad(my_clipped_grad)

# %% [markdown]
# <details><summary>Solution</summary>
#
# Inside the clip, $\tilde q = q$ and the gradient is $q - z$ as before. Outside ($|x| > \ln((1 - \delta)/\delta)
# \approx 16.1$) the clip returns a constant, so the loss does not depend on $x$ and its gradient is 0. A confident
# mistake beyond 16.1 therefore gets **no** correction at all: the clip turns cross-entropy's best property into
# squared error's worst. Working with logits (`from_logits=True`) avoids it.
#
# ```python
# def my_clipped_grad(labels, logits):
#     q = ct.sigmoid(logits)
#     return np.where((q > 1e-7) & (q < 1 - 1e-7), q - labels, 0.0)
# ```
#
# </details>

# %% [markdown]
# **Question 4.** Cross-entropy's gradient $q - z$ is also tiny for a *confidently correct* prediction (say $x = 10$,
# $z = 1$). Why is that fine, while squared error's tiny gradient at $x = -10$, $z = 1$ is a problem?

# %% [markdown]
# <details><summary>Answer</summary>
#
# A small gradient should mean "nothing left to learn". For cross-entropy it does: $|q - z|$ is the size of the error,
# so it is small only when the prediction is right. Squared error's gradient $(q - z)\,q(1 - q)$ is small whenever
# the sigmoid saturates: at $x = 10$ (right) *and* at $x = -10$ (as wrong as it gets). It cannot tell the two apart,
# so a network that starts confidently wrong stalls on a plateau.
#
# </details>

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Takeaways
#
# - Through a sigmoid, squared error's gradient is $(q - z)\,q(1 - q)$ and cross-entropy's is $q - z$: they differ by
#   the sigmoid's slope $q(1 - q) \le \tfrac14$, which is about $e^{-|x|}$ once the sigmoid saturates.
# - So squared error barely corrects a confident mistake; cross-entropy corrects it hardest. From a badly wrong start
#   the cross-entropy neuron is perfect within ten steps while the squared-error neuron sits on a plateau.
# - The softmax version is the same: $J^\top(S - y)$ vanishes for a confident mistake, $S - y$ does not.
# - Accuracy (the 0-1 loss) is flat with a jump and too coarse to tell barely right from confident: train on
#   cross-entropy, report accuracy, and do not expect the two to move in lock step.
#
# **Next:** [07 · Choosing a loss](07_choosing_a_loss.ipynb): one loss, two activations, and their names across
# TensorFlow, Keras and PyTorch.

# %% [markdown]
# # 06 · MSE vs cross-entropy gradients
# Why squared error learns almost nothing from a confident mistake, and cross-entropy learns the most.
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/06_mse_vs_ce.ipynb)

# %% [markdown]
# **In this notebook you will**
# - derive the gradient of the squared error $\tfrac12(\sigma(x) - y)^2$ with respect to the logit, one step per
#   line, and compare it with cross-entropy's $\sigma(x) - y$; check both against finite differences;
# - see the extra factor $a(1 - a)$ vanish where the sigmoid saturates, on a plot and on a slider;
# - race two identical neurons from a badly wrong start, one trained on squared error and one on cross-entropy;
# - repeat the comparison for softmax outputs, and see why accuracy cannot be used as a loss at all.
#
# **Prerequisites:** [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb) (logits, $\sigma$, the gradient
# $\sigma(x) - z$) and [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb) (the Jacobian
# $\operatorname{diag}(s) - s s^\top$). Notation as in [00 · Start here](00_start_here.ipynb): $x$ logits, $y$ labels,
# $\sigma$ the sigmoid, $S(x)$ the softmax; here $a = \sigma(x)$ is the predicted probability of class 1.

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1 · Two losses for one sigmoid output
#
# A binary classifier outputs a logit $x$ and the probability $a = \sigma(x)$ that the label is $y = 1$. Two losses
# look equally reasonable at first sight:
#
# - **squared error** (MSE, the habit from regression): $L_\text{MSE} = \tfrac12 (a - y)^2$, the squared distance
#   between prediction and label, at most $\tfrac12$;
# - **cross-entropy**: $L_\text{CE} = -y \ln a - (1 - y) \ln(1 - a)$, unbounded for a certain mistake.
#
# Gradient descent does not see the losses, only their **gradients with respect to the logit**, because the logit is
# what the weights move. So derive both.
#
# **Squared error:**
#
# | step | identity | because |
# |---|---|---|
# | 1 | $\dfrac{\partial L_\text{MSE}}{\partial x} = \dfrac{\partial L_\text{MSE}}{\partial a} \cdot \dfrac{\partial a}{\partial x}$ | chain rule: $L$ depends on $x$ only through $a = \sigma(x)$ |
# | 2 | $\dfrac{\partial L_\text{MSE}}{\partial a} = a - y$ | $\frac{d}{da}\tfrac12 (a - y)^2 = \tfrac12 \cdot 2(a - y)$: the ½ cancels the 2 |
# | 3 | $\dfrac{\partial a}{\partial x} = \dfrac{e^{-x}}{(1 + e^{-x})^2}$ | $a = (1 + e^{-x})^{-1}$; power rule and $\frac{d}{dx} e^{-x} = -e^{-x}$ |
# | 4 | $\dfrac{e^{-x}}{(1 + e^{-x})^2} = \dfrac{1}{1 + e^{-x}} \cdot \dfrac{e^{-x}}{1 + e^{-x}} = a(1 - a)$ | split the fraction; $1 - \sigma(x) = \frac{e^{-x}}{1 + e^{-x}}$ (notebook 04, step 2) |
# | 5 | $\dfrac{\partial L_\text{MSE}}{\partial x} = (a - y) \cdot a(1 - a)$ | steps 2 and 4 in step 1 |
#
# **Cross-entropy:**
#
# | step | identity | because |
# |---|---|---|
# | 6 | $\dfrac{\partial L_\text{CE}}{\partial a} = -\dfrac{y}{a} + \dfrac{1 - y}{1 - a}$ | $\frac{d}{da}\ln a = \frac1a$ and $\frac{d}{da}\ln(1 - a) = -\frac{1}{1 - a}$ |
# | 7 | $-\dfrac{y}{a} + \dfrac{1 - y}{1 - a} = \dfrac{-y(1 - a) + (1 - y)a}{a(1 - a)} = \dfrac{a - y}{a(1 - a)}$ | common denominator; $-y + ya + a - ya = a - y$ |
# | 8 | $\dfrac{\partial L_\text{CE}}{\partial x} = \dfrac{a - y}{a(1 - a)} \cdot a(1 - a) = a - y$ | chain rule with step 4: the sigmoid's slope cancels |
#
# The two gradients differ by exactly the sigmoid's slope:
#
# $$\frac{\partial L_\text{MSE}/\partial x}{\partial L_\text{CE}/\partial x} = a(1 - a) \le \tfrac14 .$$
#
# That slope is $\tfrac14$ at $x = 0$ and about $e^{-|x|}$ for large $|x|$. Where the sigmoid saturates, squared
# error's gradient vanishes, **whether the prediction is right or completely wrong**. Cross-entropy's 1/a in step 6
# grows exactly as fast as the slope shrinks, so its gradient is simply "prediction minus target".

# %%
logits = np.array([-10.0, -8.0, -4.0, -1.0, 0.0, 1.0, 4.0, 8.0])
y = np.ones_like(logits)  # the true class is 1 for every row
a = ct.sigmoid(logits)
grad_mse = ct.sigmoid_squared_error_grad(y, logits)  # (a − y)·a(1 − a)
grad_ce = ct.sigmoid_cross_entropy_grad(y, logits)  # a − y
print(f"{'logit x':>8} {'a = σ(x)':>10} {'∂MSE/∂x':>11} {'∂CE/∂x':>11} {'ratio':>10}")
for row in zip(logits, a, grad_mse, grad_ce, grad_mse / grad_ce, strict=True):
    print(f"{row[0]:8.1f} {row[1]:10.6f} {row[2]:11.3e} {row[3]:11.3e} {row[4]:10.3e}")

# %% [markdown]
# Each hand-derived formula (steps 5 and 8) and each package function against central finite differences of its
# loss, for both labels. The losses are elementwise, so each logit's derivative is taken on its own.

# %%
def finite_differences(loss, labels, logits):
    """∂loss/∂x for each logit separately, by ct.numerical_gradient (central differences, eps = 1e-6)."""
    return np.array([ct.numerical_gradient(lambda v, z=z: loss(z, v[0]), np.array([x]))[0]
                     for z, x in zip(labels, logits, strict=True)])


grid = np.linspace(-8.0, 8.0, 33)
for label in (1.0, 0.0):
    z = np.full_like(grid, label)
    a = ct.sigmoid(grid)
    numeric_mse = finite_differences(ct.sigmoid_squared_error, z, grid)
    numeric_ce = finite_differences(ct.sigmoid_cross_entropy_with_logits, z, grid)
    ct.checks.compare(f"y={label:.0f} step 5 (a − y)·a(1 − a) vs finite diff", (a - z) * a * (1 - a), numeric_mse,
                      rtol=1e-6, atol=1e-10)
    ct.checks.compare(f"y={label:.0f} ct.sigmoid_squared_error_grad vs finite", ct.sigmoid_squared_error_grad(z, grid),
                      numeric_mse, rtol=1e-6, atol=1e-10)
    ct.checks.compare(f"y={label:.0f} step 8 a − y vs finite diff", a - z, numeric_ce, rtol=1e-6, atol=1e-10)
    ct.checks.compare(f"y={label:.0f} ct.sigmoid_cross_entropy_grad vs finite", ct.sigmoid_cross_entropy_grad(z, grid),
                      numeric_ce, rtol=1e-6, atol=1e-10)

# %% [markdown]
# Now make the prediction worse and worse: the true class is 1 and the logit goes to $-20$. The model is more and
# more certain of the wrong answer. Squared error's loss creeps up to its ceiling ½ and its gradient **shrinks**;
# cross-entropy's loss grows without bound and its gradient approaches $-1$, the largest it can be.

# %%
wrong = np.array([-2.0, -5.0, -10.0, -20.0])
ones = np.ones_like(wrong)
print(f"{'logit':>6} {'P(true class)':>14} {'MSE loss':>9} {'|∂MSE/∂x|':>10} {'CE loss':>8} {'|∂CE/∂x|':>9}")
mse_sizes, ce_sizes = np.abs(ct.sigmoid_squared_error_grad(ones, wrong)), np.abs(ct.sigmoid_cross_entropy_grad(ones, wrong))
for x, p, l_mse, g_mse, l_ce, g_ce in zip(wrong, ct.sigmoid(wrong), ct.sigmoid_squared_error(ones, wrong), mse_sizes,
                                          ct.sigmoid_cross_entropy_with_logits(ones, wrong), ce_sizes, strict=True):
    print(f"{x:6.0f} {p:14.3e} {l_mse:9.6f} {g_mse:10.3e} {l_ce:8.4f} {g_ce:9.6f}")
assert np.all(np.diff(mse_sizes) < 0), "the squared-error gradient should shrink as the mistake grows"
assert np.all(np.diff(ce_sizes) > 0) and ce_sizes[-1] > 0.999999, "the CE gradient should grow towards 1"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2 · Both gradients against the logit
#
# The same two losses and their gradients for the label $y = 1$, over a range of logits. Left: the losses
# (cross-entropy leaves the top of the plot on the left, squared error flattens at ½). Right: the gradients.
#
# **Predict first:** at $x = -8$ the model gives the true class a probability of 0.03 %. Which loss pushes the logit
# harder, and by roughly what factor? Where along the axis does squared error push hardest?

# %%
plotting.draw_gradients_vs_logit(-8.0)
plt.show()

# %% [markdown]
# Move the logit. The readout shows both gradient sizes and their ratio $a(1 - a)$: at most ¼ (at $x = 0$), and
# below one in a thousand beyond $|x| \approx 7$, on the wrong side as on the right side.

# %%
widgets.gradients_vs_logit(logit=-8.0)

# %% [markdown]
# Squared error pushes hardest at $\sigma(x) = \tfrac13$, i.e. $x = -\ln 2$: where $(1 - a) \cdot a(1 - a)$ peaks.
# Past that point, the *more* wrong the model is, the *less* squared error corrects it.

# %%
fine = np.linspace(-3.0, 3.0, 60001)  # steps of 1e-4
x_peak = float(fine[np.argmin(ct.sigmoid_squared_error_grad(np.ones_like(fine), fine))])
print(f"largest |∂MSE/∂x| for y = 1 at x = {x_peak:.4f} (−ln 2 = {-np.log(2):.4f}), a = {float(ct.sigmoid(x_peak)):.4f}")
assert abs(x_peak + np.log(2)) <= 1e-4

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3 · The training race
#
# One sigmoid neuron, $a = \sigma(w x + b)$, on a small synthetic data set: 20 negatives around $x = -1$ and
# 20 positives around $x = +1$ (drawn with the seeded `rng`). The start is **badly wrong**: $w_0 = -8$, $b_0 = 0$,
# so a typical positive gets the logit $-8$ and a typical negative $+8$. Every example is confidently misclassified.
#
# Two copies of this neuron are trained by plain gradient descent from the same start with the same learning rate,
# one on the mean squared error and one on the mean cross-entropy. `ct.train_logistic` does it: full batch,
# vectorised NumPy, deterministic. Per example the two gradients with respect to the logit are steps 5 and 8; the
# chain rule through $\ell = w x + b$ adds $\partial \ell/\partial w = x$ and $\partial \ell/\partial b = 1$:
#
# $$\frac{\partial L}{\partial w} = \frac1N \sum_i g_i\, x_i, \qquad \frac{\partial L}{\partial b} = \frac1N \sum_i g_i,
# \qquad g_i = \begin{cases} a_i - y_i & \text{cross-entropy} \\ (a_i - y_i)\, a_i (1 - a_i) & \text{squared error.}\end{cases}$$

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
    ell = w * features + b
    if loss == "ce":
        return ct.sigmoid_cross_entropy_with_logits(labels.astype(float), ell).mean()
    return ct.sigmoid_squared_error(labels.astype(float), ell).mean()


for loss in ("mse", "ce"):
    for w, b in ((W0, B0), (0.5, -0.2)):
        _, grad_w, grad_b = ct.logistic_gradient(features, labels, w, b, loss=loss)
        numeric = ct.numerical_gradient(lambda p, loss=loss: mean_loss(loss, p[0], p[1]), np.array([w, b]))
        ct.checks.compare(f"{loss} ∂L/∂(w, b) at w={w:g} vs finite diff", [float(grad_w), grad_b], numeric,
                          rtol=1e-6, atol=1e-9)

# %%
mse_run = ct.train_logistic(features, labels, loss="mse", w0=W0, b0=B0, lr=LR, steps=STEPS)
ce_run = ct.train_logistic(features, labels, loss="ce", w0=W0, b0=B0, lr=LR, steps=STEPS)

a0 = ct.sigmoid(start_logits)
for run, g in ((mse_run, (a0 - labels) * a0 * (1 - a0)), (ce_run, a0 - labels)):
    by_hand = (W0 - LR * np.mean(g * features), B0 - LR * np.mean(g))
    ct.checks.compare(f"{run.loss} run: first step (w1, b1) by hand", [run.w[1], run.b[1]], by_hand, rtol=1e-14,
                      atol=1e-16)

# %%
print(f"{'step':>5} | {'accuracy':^17} | {'mean ½(a − y)²':^17} | {'mean cross-entropy':^19}")
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
# Both curves side by side. The left panel measures both runs by **squared error**, the very quantity the MSE run
# minimises, and the cross-entropy run still wins it by a mile: it is the gradient that matters, not the yardstick.

# %%
plotting.draw_training_race(mse_run, ce_run)
plt.show()

# %% [markdown]
# **Predict first:** move the starting weight to $w_0 = -2$ (a milder mistake). Does the squared-error run catch up,
# and why? What does a larger learning rate do for it from $w_0 = -8$? Each move reruns both trainings (300 steps
# each, a few milliseconds).

# %%
widgets.training_race(features, labels, w0=W0, lr=LR, steps=STEPS)

# %% [markdown]
# From a mild start both learn: the slope $a(1 - a)$ is not tiny there. From a bad start the squared-error run sits
# on a plateau, every example saturated, its loss almost flat at ½, until enough tiny steps bring some examples back
# to the steep part of the sigmoid. A larger learning rate shortens the plateau only by taking steps that would be far
# too large near the decision boundary, where $a(1 - a)$ is up to ¼ (against $3.4 \cdot 10^{-4}$ at the start, see
# the table in section 1). Cross-entropy needs none of that: its step is proportional to the error itself.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4 · The same comparison for softmax outputs
#
# With $C$ classes, logits $x$, probabilities $s = S(x)$ and a one-hot (or soft) label $y$, squared error is
# $L = \tfrac12 \lVert S(x) - y \rVert^2$. Its gradient goes through the softmax Jacobian
# $J_{ij} = \partial S_i / \partial x_j = s_i(\delta_{ij} - s_j)$ (notebook 05):
#
# | step | identity | because |
# |---|---|---|
# | 1 | $\dfrac{\partial L}{\partial x_j} = \sum_i \dfrac{\partial L}{\partial S_i} \dfrac{\partial S_i}{\partial x_j}$ | chain rule: every output $S_i$ depends on every logit $x_j$ |
# | 2 | $\dfrac{\partial L}{\partial S_i} = S_i - y_i$ | $\frac{\partial}{\partial S_i} \tfrac12 \sum_k (S_k - y_k)^2$, as in step 2 of section 1 |
# | 3 | $\nabla_x L = J^\top (S - y)$ | steps 1 and 2 with $J_{ij} = \partial S_i / \partial x_j$, in matrix form |
# | 4 | $J^\top (S - y) = s \odot \bigl(e - \langle s, e\rangle\bigr)$, with $e = S - y$ | $J$ is symmetric and $(J e)_j = s_j e_j - s_j \sum_i s_i e_i$ |
#
# Cross-entropy's gradient is just $S(x) - y$ (notebook 05): its $\partial L / \partial S_i = -y_i / s_i$ cancels the
# Jacobian as $1/a$ cancelled the slope above. Step 4 shows why squared error's vanishes for a confident mistake:
# every component carries a factor $s_j$. The true class has $s_\text{true} \approx 0$; the wrongly predicted class
# has $s_k \approx 1$, but its bracket $e_k - \langle s, e\rangle \approx 1 - 1 = 0$.

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
# A flat function has derivative 0, so gradient descent gets no direction from it. `ct.numerical_gradient` on the
# 0-1 loss (label 1) returns exactly 0 away from the boundary; at the boundary it returns $-1/(2\,\text{eps})$, which
# grows without limit as the step eps shrinks: a jump, not a slope.

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
# So classifiers are **trained** on a smooth surrogate, cross-entropy, whose gradient is largest exactly where the
# model is most wrong, and **evaluated** by accuracy.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Exercise 1.** Write the gradient of $\tfrac12(\sigma(x) - y)^2$ with respect to the logit, elementwise
# (labels first, as in TensorFlow).

# %%
def my_mse_grad(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.sigmoid_mse_grad(my_mse_grad)

# %% [markdown]
# **Exercise 2.** Write the gradient of $\tfrac12\lVert S(x) - y\rVert^2$ with respect to one row of logits `x`
# (a 1-D array; `ct.softmax_jacobian` may help).

# %%
def my_softmax_mse_grad(labels, logits):
    raise NotImplementedError  # your code here


ct.checks.softmax_mse_grad(my_softmax_mse_grad)

# %% [markdown]
# **Question.** Cross-entropy's gradient $a - y$ is also tiny for a *confidently correct* prediction (say $x = 10$,
# $y = 1$). Why is that fine, while squared error's tiny gradient at $x = -10$, $y = 1$ is a problem?
#
# <details><summary>Answer</summary>
#
# A small gradient should mean "nothing left to learn". For cross-entropy it does: $|a - y|$ is the size of the error,
# so it is small only when the prediction is right. Squared error's gradient $(a - y)\,a(1 - a)$ is small whenever
# the sigmoid saturates: at $x = 10$ (right, nothing to learn) *and* at $x = -10$ (as wrong as it gets). It cannot
# tell the two apart, so a network that starts confidently wrong, or becomes so, stalls on a plateau.
#
# Model solutions for the exercises:
#
# ```python
# def my_mse_grad(labels, logits):
#     a = ct.sigmoid(logits)
#     return (a - labels) * a * (1 - a)
#
#
# def my_softmax_mse_grad(labels, logits):
#     s = ct.softmax(logits)
#     return ct.softmax_jacobian(logits).T @ (s - labels)
# ```
# </details>
#
# ## Takeaways
#
# - Through a sigmoid, squared error's gradient is $(a - y)\,a(1 - a)$ and cross-entropy's is $a - y$: they differ by
#   the sigmoid's slope $a(1 - a) \le \tfrac14$, which is about $e^{-|x|}$ once the sigmoid saturates.
# - So squared error barely corrects a confident mistake; cross-entropy corrects it hardest. From a badly wrong start
#   the cross-entropy neuron is perfect within ten steps while the squared-error neuron sits on a plateau, and
#   cross-entropy wins even when both are judged by squared error.
# - The softmax version is the same: $J^\top(S - y)$ vanishes for a confident mistake, $S - y$ does not.
# - Accuracy (the 0-1 loss) is flat with a jump, its gradient is 0 almost everywhere: train on cross-entropy,
#   report accuracy.
#
# **Next:** [07 · Choosing a loss](07_choosing_a_loss.ipynb): one loss, two activations, and their names across
# TensorFlow, Keras and PyTorch.

# %% [markdown]
# # 10 · Calibration and shaping the loss
# When a model says 95 %, is it right 95 % of the time? Measuring that, and three ways to change it: temperature,
# label smoothing and focal loss.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/10_calibration.ipynb)

# %% [markdown]
# **In this notebook you will**
# - draw a reliability diagram (accuracy against confidence) and compute the expected calibration error (ECE), with
#   its bins in view;
# - fit one temperature $T$ on the validation NLL (negative log-likelihood: the mean cross-entropy on held-out
#   images, notebook 03) and see it change every confidence and no prediction;
# - train with label smoothing and with focal loss, derive both from cross-entropy, and measure what they do to
#   logits, confidence and calibration; compare focal loss with `pos_weight` on an imbalanced problem;
# - move $T$ on a slider, switch between networks trained with $\varepsilon$ or $\gamma$, and watch the diagram follow.
#
# **Prerequisites:** [09 · Training a classifier](09_training_a_classifier.ipynb) (the digits network and its
# overconfidence), [05 · Softmax](05_softmax_ce.ipynb) (temperature). Notation as in
# [00 · Start here](00_start_here.ipynb): $x$ logits, $y$ the label vector, $c$ the true class, $C = 10$, $S(x)$ the
# softmax, $q$ the model's probabilities, $T$ temperature, $\varepsilon$ label smoothing, $\gamma$ and $\alpha$ the
# focal exponent and class weight, $w_+$ `pos_weight`. New here: $u$ the uniform distribution (section 4); $q_t$,
# $\bar q_c = 1 - q_c$ and $\phi$ (section 5).

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1 · The model from 09, and its reliability diagram
#
# `ct.classifier.digits_run` repeats notebook 09's training in one call (same seed, same 300 steps, bit for bit). We
# keep its validation set for fitting things and its 797 test images, never seen so far, for measuring them.

# %%
run = ct.classifier.digits_run(hidden=64, steps=300)
(x_val, c_val), (x_test, c_test) = run.validation, run.test
logits_val, logits_test = run.net.logits(x_val), run.net.logits(x_test)
q = ct.softmax(logits_test)
accuracy, confidence = np.mean(q.argmax(axis=1) == c_test), q.max(axis=1)
print(f"test accuracy {accuracy:.4f}, mean confidence {confidence.mean():.4f}, "
      f"NLL {ct.calibration.nll(logits_test, c_test):.4f} nats")
print(f"{np.mean(confidence > 0.99):.0%} of the test images get a confidence above 0.99")

# %% [markdown]
# A model is **calibrated** when its confidence matches its accuracy: of all the images it labels with confidence
# near 0.8, about 80 % are right. A **reliability diagram** checks this. It sorts the predictions into bins by their
# confidence $\max_j q_j$ (the probability of the class the model predicts) and draws each bin's accuracy as a bar.
# A calibrated model's bars touch the diagonal.
#
# **Predict first:** the model is right on 95.6 % of the test images but mostly says "above 99 %". Where will the
# bars of the confident bins sit: on the diagonal, above it (underconfident) or below it (overconfident)?

# %% jupyter={"outputs_hidden": true}
plotting.draw_reliability(q, c_test, title="after 300 steps")
plt.show()

# %% [markdown]
# <details><summary>Answer</summary>
#
# **Below**: overconfident. The last bin holds 733 of the 797 images with mean confidence 0.997 and accuracy 0.986.
# Of the other bins, all but two sit below the diagonal (in the 0.8–0.87 bin, accuracy 0.50 at confidence 0.83);
# the two above it hold 1 and 7 images. The shaded boxes are the gaps between each bar and its bin's mean
# confidence. Their mean, weighted by how many images each bin holds, is the expected calibration error, below.
# </details>

# %% [markdown]
# **ECE** (Guo et al. 2017, "On Calibration of Modern Neural Networks") is the mean gap, weighted by how many
# predictions fall in each bin: $\text{ECE} = \sum_m \frac{n_m}{N}\,\lvert \text{acc}_m - \text{conf}_m \rvert$,
# with $n_m$ the number of predictions in bin $m$, $\text{acc}_m$ the fraction of them that are right and
# $\text{conf}_m$ their mean confidence. It depends on a choice that papers rarely print, so we print it: $M = 15$
# equal-width bins, each closed on the right, $(m/M, (m+1)/M]$, as in Guo et al.'s code; a confidence of exactly
# 1.0 goes to the last bin, empty bins count for nothing. Recompute it by hand, then see how it moves with $M$:

# %%
edges = np.linspace(0, 1, 16)
bin_of = np.searchsorted(edges, confidence, side="left") - 1  # (lower, upper]
correct = q.argmax(axis=1) == c_test
by_hand = sum(np.mean(bin_of == m) * abs(correct[bin_of == m].mean() - confidence[bin_of == m].mean())
              for m in range(15) if np.any(bin_of == m))
ece_before = ct.expected_calibration_error(q, c_test, n_bins=15)
ct.checks.compare("ECE by hand vs ct.expected_calibration_error", by_hand, ece_before, rtol=1e-12)
print("images per bin:", ct.reliability_curve(q, c_test).count.tolist())
for n_bins in (5, 10, 15, 20, 30):
    print(f"  {n_bins:2d} bins: ECE = {ct.expected_calibration_error(q, c_test, n_bins=n_bins):.4f}")
assert 0.02 < ece_before < 0.03

# %% [markdown]
# From 0.0199 (5 bins) to 0.0270 (30 bins): compare ECEs only with the same bins on the same data.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2 · NLL and accuracy are different measures
#
# Accuracy only asks which class is on top; the NLL (the mean cross-entropy on held-out data) also charges for how
# sure the model was. They can rank two models in opposite orders. The validation history of 09 has two such models:

# %%
hist = run.history.arrays()
best = int(np.argmin(hist["val_loss"]))
for name, i in (("step 25 (lowest NLL)", best), ("step 300", -1)):
    print(f"{name:>21}: validation accuracy {hist['val_accuracy'][i]:.3f}, NLL {hist['val_loss'][i]:.4f} nats")
assert hist["val_accuracy"][-1] > hist["val_accuracy"][best] and hist["val_loss"][-1] > hist["val_loss"][best]

# %% [markdown]
# The model at step 300 is more accurate *and* has the worse NLL. ECE is a third view: NLL mixes calibration and
# accuracy into one number; ECE looks at calibration alone, and accuracy ignores confidence entirely.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3 · Temperature scaling
#
# Divide every logit by one number $T > 0$: $q = S(x / T)$. Because dividing by a positive number keeps the order of
# the logits, the top class, and with it every prediction, stays the same; only the confidences move ($T > 1$
# flattens, $T < 1$ sharpens, notebook 05). `ct.fit_temperature` finds the $T$ that minimises the validation NLL.
# As a function of $1/T$ that NLL is convex (a single valley, no false minimum), so Newton's method (steps that
# use the curvature as well as the slope) solves it to full precision in a handful of steps.
#
# **Predict first:** will the fitted $T$ be above or below 1? And will the mean test confidence, now 0.976, end up
# above or below the test accuracy, 0.956?

# %% jupyter={"outputs_hidden": true}
print("Temperature fitted on the validation images, applied to the test images:")
T = ct.fit_temperature(logits_val, c_val)
q_T = ct.softmax(logits_test / T)
ece_after = ct.expected_calibration_error(q_T, c_test)
print(f"T = {T:.4f};  |dNLL/dT| at T below 1e-12: {abs(ct.temperature_nll_derivative(logits_val, c_val, T)) < 1e-12}")
print(f"predictions changed: {np.sum(q_T.argmax(axis=1) != q.argmax(axis=1))}")
print(f"test NLL {ct.calibration.nll(logits_test, c_test):.4f} → {ct.calibration.nll(logits_test, c_test, T):.4f};"
      f"  ECE {ece_before:.4f} → {ece_after:.4f};  mean confidence {q.max(axis=1).mean():.4f} → "
      f"{q_T.max(axis=1).mean():.4f} (accuracy {accuracy:.4f})")

# %% [markdown]
# <details><summary>Answer</summary>
#
# **T = 1.8736**, above 1: the network is overconfident, so its logits are divided by almost 2. The mean confidence
# falls to 0.945, slightly **below** the accuracy, 0.956: close, not equal, because $T$ minimises the NLL on the
# validation images, not the gap on the test images. No prediction changes. The test NLL falls from 0.1513 to
# 0.1319 nats and ECE from 0.0253 to 0.0150. The derivative of the validation NLL at the fitted $T$ is zero to
# rounding: that is what "fitted to full precision" means. One number, fitted after training, is often the cheapest
# calibration fix there is.
# </details>

# %%
assert T > 1 and np.array_equal(q_T.argmax(axis=1), q.argmax(axis=1)) and ece_after < ece_before
assert q.max(axis=1).mean() > accuracy > q_T.max(axis=1).mean()  # above the accuracy before, below after
assert abs(ct.temperature_nll_derivative(logits_val, c_val, T)) < 1e-12
assert [f"{v:.4f}" for v in (T, ece_before, ece_after)] == ["1.8736", "0.0253", "0.0150"]  # as the answer says
plotting.draw_reliability(q_T, c_test, title=f"T = {T:.2f}")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4 · Label smoothing
#
# Instead of the one-hot $y$, train against $y_\varepsilon = (1 - \varepsilon)\,y + \varepsilon/C$: the true class
# gets $1 - \varepsilon + \varepsilon/C$, every other class $\varepsilon/C$. Its cross-entropy splits in two:
#
# | step | identity | because |
# |---|---|---|
# | 1 | $H(y_\varepsilon, q) = -\sum_j \big((1-\varepsilon) y_j + \tfrac{\varepsilon}{C}\big) \ln q_j$ | definition, $y_\varepsilon$ in place of $y$ |
# | 2 | $= (1-\varepsilon)\big(-\sum_j y_j \ln q_j\big) + \varepsilon\big(-\sum_j \tfrac1C \ln q_j\big)$ | split the sum |
# | 3 | $= (1-\varepsilon)\,H(y, q) + \varepsilon\,H(u, q)$ | the two sums are cross-entropies; $u$ is the uniform distribution, $u_j = 1/C$ |
#
# The second term punishes any class whose probability goes to 0, so the model can no longer win by pushing logits
# apart without limit. PyTorch's `CrossEntropyLoss(label_smoothing=ε)` is this (our `class_weighted_sparse_cross_entropy`
# reproduces it). Keras' `categorical_crossentropy` smooths the same way, but its `binary_crossentropy` smooths each
# output toward ½: $z(1 - \varepsilon) + \varepsilon/2$ (Keras 3.16.0, `keras/src/losses/losses.py`). With 10
# one-vs-rest outputs (one sigmoid per class, each a yes/no question) that gives the negatives 0.05, not 0.01.

# %%
eps, c_b, x_b = 0.1, c_val[:50], logits_val[:50]
y, y_eps, u = np.eye(10)[c_b], ct.smooth_labels(c_b, 10, label_smoothing=eps), np.full((50, 10), 0.1)
ce = ct.softmax_cross_entropy_with_logits
ct.checks.compare("H(y_ε, q) = (1 − ε)H(y, q) + εH(u, q)", ce(y_eps, x_b), (1 - eps) * ce(y, x_b) + eps * ce(u, x_b))
ct.checks.compare("mean H(y_ε, q) vs PyTorch semantics", ce(y_eps, x_b).mean(),
                  ct.class_weighted_sparse_cross_entropy(c_b, x_b, label_smoothing=eps))
print("categorical, ε/C:", np.round(y_eps[0], 3).tolist())
print("Keras binary, ε/2:", np.round(y[0] * (1 - eps) + eps / 2, 3).tolist())

# %% [markdown]
# Now train the same network with $\varepsilon = 0.1$ and compare the size of its logits with the original: the
# mean length $\lVert x \rVert$ of the logit vector, and the gap between the two largest logits.
#
# **Predict first:** on a model that is already 95.6 % accurate and overconfident, will label smoothing lower its
# ECE, or raise it?

# %% jupyter={"outputs_hidden": true}
print("Size of the logits, accuracy, confidence and ECE on the test images:")
smooth = ct.classifier.digits_run(hidden=64, steps=300, label_smoothing=0.1, every=300)
logits_s = smooth.net.logits(x_test)
q_s = ct.softmax(logits_s)
for name, lg, qq in (("plain", logits_test, q), ("ε = 0.1", logits_s, q_s)):
    top2 = np.sort(lg, axis=1)[:, -2:]
    print(f"{name:>8}: mean ‖x‖ {np.linalg.norm(lg, axis=1).mean():5.2f}, top-2 logit gap {np.mean(top2[:, 1] - top2[:, 0]):5.2f}, "
          f"accuracy {np.mean(qq.argmax(axis=1) == c_test):.4f}, mean confidence {qq.max(axis=1).mean():.4f}, "
          f"ECE {ct.expected_calibration_error(qq, c_test):.4f}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# **Raise it**, a lot: ECE 0.0253 → 0.1413. The logits shrink (mean norm 26.24 → 4.61), as intended, but now the
# model is *underconfident*: mean confidence 0.831 at accuracy 0.972. The smoothed target caps how confident
# training can make it, far below what a 97 % accurate model deserves. Label smoothing is a regulariser (a brake on
# how closely the model fits its training labels; here it even
# raised the accuracy), not a calibration method; a temperature fitted afterwards repairs the confidences.
# </details>

# %%
assert ct.expected_calibration_error(q_s, c_test) > 3 * ece_before
assert f"{ct.expected_calibration_error(q_s, c_test):.4f}" == "0.1413"  # as the answer says
T_s = ct.fit_temperature(smooth.net.logits(x_val), c_val)
ece_s = ct.expected_calibration_error(ct.softmax(logits_s / T_s), c_test)
print(f"smoothed model: T = {T_s:.4f}, ECE → {ece_s:.4f}, NLL → {ct.calibration.nll(logits_s, c_test, T_s):.4f}")
assert T_s < 1 and ece_s < 0.02

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5 · Focal loss
#
# Cross-entropy charges $-\ln q_t$, where $q_t$ is the probability the model gives the true label: $q_t = q_c$ for
# the softmax, $\sigma(x)$ for a positive and $1 - \sigma(x)$ for a negative. (Lin et al. call it $p_t$; here $p$ is
# the target, so it is $q_t$.) Lin et al. (2017) multiply it by a factor that fades as the example gets easy:
# $\text{FL} = -\alpha_t (1 - q_t)^\gamma \ln q_t$, where $\alpha_t$ is $\alpha$ for a positive and $1 - \alpha$
# for a negative. With $\gamma = 0$ and no $\alpha$ it is cross-entropy. Its gradient with respect to the logits,
# for the softmax, with $\bar q_c = 1 - q_c$ and $\ell = -\ln q_c$:
#
# | step | identity | because |
# |---|---|---|
# | 1 | $\dfrac{\partial \ell}{\partial x} = S(x) - y$, $\dfrac{\partial \bar q_c}{\partial x} = -q_c\,(y - S(x))$ | notebook 05; $\partial q_c/\partial x_j = q_c(y_j - q_j)$ |
# | 2 | $\dfrac{\partial (\bar q_c^\gamma \ell)}{\partial x} = \bar q_c^\gamma (S - y) + \gamma \bar q_c^{\gamma-1} \ell\, q_c (S - y)$ | product rule, step 1 |
# | 3 | $= \phi\,(S(x) - y)$, $\phi = \bar q_c^\gamma + \gamma\, q_c\, \bar q_c^{\gamma-1}\,\ell \ge 0$ | factor out $S - y$ |
#
# So the focal gradient is cross-entropy's gradient, scaled per example by $\phi$. Check it, then look at $\phi$:

# %%
x5, c5 = logits_val[:6] / 4, c_val[:6]
numeric = ct.numerical_gradient(lambda x: ct.sparse_softmax_focal_loss(c5, x, gamma=2.0).sum(), x5)
s5, y5 = ct.softmax(x5), np.eye(10)[c5]
qc5, l5 = s5[np.arange(6), c5], -ct.log_softmax(x5)[np.arange(6), c5]
phi5 = (1 - qc5) ** 2 + 2 * qc5 * (1 - qc5) * l5
ct.checks.compare("φ·(S − y) vs finite differences", phi5[:, None] * (s5 - y5), numeric, rtol=1e-6, atol=1e-8)

# %% [markdown]
# **Predict first:** with $\gamma = 2$, by what factor is the gradient of an easy example ($q_t = 0.9$) scaled
# compared with cross-entropy? And a hard one ($q_t = 0.1$)?

# %% jupyter={"outputs_hidden": true}
q_t = np.array([0.1, 0.5, 0.9, 0.99])
print("The focal factor φ for a few values of q_t (cross-entropy's factor is one):")
print("        q_t:" + "".join(f"{v:>9}" for v in q_t))
for gamma in (0.0, 1.0, 2.0, 5.0):
    phi = (1 - q_t) ** gamma + gamma * q_t * (1 - q_t) ** (gamma - 1) * -np.log(q_t) if gamma else np.ones(4)
    print(f"  γ = {gamma:.0f}: φ =" + "".join(f"{v:9.2e}" for v in phi))
phi2 = (1 - q_t) ** 2 + 2 * q_t * (1 - q_t) * -np.log(q_t)

# %% [markdown]
# <details><summary>Answer</summary>
#
# The easy example's gradient is scaled by **0.029** (34 times smaller), the hard one's by **1.22**: slightly *more*
# than cross-entropy, because the second term of $\phi$ grows with $-\ln q_t$. At $q_t = 0.99$ the factor is
# $3.0 \times 10^{-4}$. Training with focal loss spends its steps on the hard examples. On the digits with
# $\gamma = 2$, that also tempers the confidence:
# </details>

# %%
assert phi2[0] > 1.2 and phi2[2] < 0.03 and phi2[3] < 3e-4
assert [f"{v:.3g}" for v in phi2] == ["1.22", "0.597", "0.029", "0.000299"]  # as the answer says
focal = ct.classifier.digits_run(hidden=64, steps=300, gamma=2.0, every=300)
q_f = ct.softmax(focal.net.logits(x_test))
print(f"focal γ = 2: accuracy {np.mean(q_f.argmax(axis=1) == c_test):.4f}, mean confidence "
      f"{q_f.max(axis=1).mean():.4f}, ECE {ct.expected_calibration_error(q_f, c_test):.4f}, NLL "
      f"{ct.calibration.nll(focal.net.logits(x_test), c_test):.4f} (plain: ECE {ece_before:.4f})")

# %% [markdown]
# Focal loss was invented for **imbalance**: in object detection most candidate boxes are easy background. Compare it
# with `pos_weight` (notebook 07) on a one-vs-rest problem: "is this digit an 8?"
# (about 10 % positives). The model is logistic regression, one sigmoid output linear in the 64 pixels (notebook 04),
# trained with plain BCE, with BCE and $w_+ = 9$ (negatives per positive), and with torchvision's defaults
# $\gamma = 2$, $\alpha = 0.25$ (`ct.sigmoid_focal_loss`). An image is flagged as an 8 when $\sigma(x) > 0.5$.
# **Recall** is the fraction of the real 8s that get flagged; **precision** the fraction of flagged images that are 8s.
#
# **Predict first:** which of the three finds the most 8s (highest recall)? Which makes the fewest false alarms
# (highest precision)?

# %% jupyter={"outputs_hidden": true}
digits = ct.datasets.load_digits()
X, is8 = digits.features, (digits.labels == 8).astype(float)
tr, _, te = ct.datasets.digits_split()
print("Is it an eight? Recall and precision on the test images, for each loss:")
found = {}
for name, kw in (("BCE", {}), ("pos_weight 9", {"pos_weight": 9.0}), ("focal γ=2 α=.25", {"gamma": 2.0, "alpha": 0.25})):
    wb = ct.classifier.train_binary(X[tr], is8[tr], steps=300, **kw)
    said = ct.sigmoid(X[te] @ wb[:-1] + wb[-1]) > 0.5
    recall, precision = said[is8[te] == 1].mean(), is8[te][said].mean()
    print(f"{name:>16}: recall {recall:.3f}  precision {precision:.3f}  ({said.sum()} flagged, {int(is8[te].sum())} are 8s)")
    found[name] = f"{recall:.3f} {precision:.3f}"

# %% [markdown]
# <details><summary>Answer</summary>
#
# `pos_weight` has the highest recall (0.849) and the lowest precision (0.579): it makes each positive count 9
# times, which moves every probability up and flags more. Focal loss with torchvision's defaults has the
# *lowest* recall (0.603) and the highest precision (0.830). Its $\alpha = 0.25$ weights the positives down, not up
# (Lin et al.'s detector, RetinaNet, chose it because $\gamma$ already silences the many easy negatives), and $\gamma$ here mutes the
# easy positives as well. Focal loss reweights easy against hard; `pos_weight` reweights one class against the
# other. For a rare class with hard negatives, `pos_weight` (or a threshold chosen on validation data) is the tool.
# </details>

# %%
assert found == {"BCE": "0.740 0.761", "pos_weight 9": "0.849 0.579", "focal γ=2 α=.25": "0.603 0.830"}  # as the answer says

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6 · A slider for $T$, a choice of network
#
# The figure shows the test reliability diagram of one of nine networks, each trained with one change to plain
# cross-entropy: label smoothing $\varepsilon = 0.05, 0.1, 0.15, 0.2$ or focal loss $\gamma = 1, 2, 3, 4$ (it trains
# the nine once, a few seconds). Pick the network with its buttons; the slider divides its logits by $T$. The readout
# gives accuracy, mean confidence, NLL and ECE.
#
# **Predict first:** choose $\varepsilon = 0.2$. Which temperature gives the lowest ECE: above 1, or below? Then find
# it with the slider.

# %% jupyter={"outputs_hidden": true}
widgets.calibration_explorer(temperature=1.0, label_smoothing=0.0, gamma=0.0)

# %% [markdown]
# <details><summary>Answer</summary>
#
# **Below 1**, around $T \approx 0.4$ (ECE 0.006 there, against 0.232 at $T = 1$): the smoothed network is
# underconfident, so its logits need sharpening, as $T = 0.554$ did for $\varepsilon = 0.1$ in section 4. At $\varepsilon = 0$ the best $T$ is above 1 (the
# overconfident network of section 3). Temperature moves every bar at once; the buttons change the network.
# </details>

# %% [markdown]
# ## Check yourself
#
# **Exercise 1.** Write the top-label ECE: `probs` (N, C) rows of probabilities, integer `labels` (N,), `n_bins`
# equal-width bins closed on the right. The checker puts confidences exactly on bin edges.

# %%
def my_ece(probs, labels, n_bins):
    raise NotImplementedError  # your code here


ct.checks.ece(my_ece)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_ece(probs, labels, n_bins):
#     conf = probs.max(axis=1)
#     correct = probs.argmax(axis=1) == labels
#     edges = np.linspace(0, 1, n_bins + 1)
#     total = 0.0
#     for lo, hi in zip(edges[:-1], edges[1:]):
#         inside = (conf > lo) & (conf <= hi)            # (lo, hi]
#         if inside.any():                               # empty bins count for nothing
#             total += inside.mean() * abs(correct[inside].mean() - conf[inside].mean())
#     return total
# ```
# </details>

# %% [markdown]
# **Exercise 2.** Write the gradient of the softmax focal loss $-(1 - q_c)^\gamma \ln q_c$ with respect to the logits,
# one row per example (no $1/N$): `labels` (N,), `logits` (N, C), `gamma` ≥ 0. The checker includes a row the model
# gets right with certainty (logits of ±800) and $\gamma = 0.5$.

# %%
def my_focal_grad(labels, logits, gamma):
    raise NotImplementedError  # your code here


ct.checks.focal_grad(my_focal_grad)

# %% [markdown]
# <details><summary>Solution</summary>
#
# Step 3 of section 5, written so that $0 \cdot \infty$ never happens:
# $\bar q_c^{\gamma - 1}\ell = \bar q_c^\gamma\,(\ell/\bar q_c)$, and $\ell/\bar q_c \to 1$ as $\bar q_c \to 0$.
#
# ```python
# def my_focal_grad(labels, logits, gamma):
#     rows = np.arange(len(labels))
#     log_q = ct.log_softmax(logits)
#     q = np.exp(log_q)
#     q_c, ell = q[rows, labels], -log_q[rows, labels]
#     qbar = 1 - q_c
#     ratio = np.divide(ell, qbar, out=np.ones_like(qbar), where=qbar > 0)
#     phi = qbar**gamma * (1 + gamma * q_c * ratio)
#     return phi[:, None] * (q - np.eye(logits.shape[1])[labels])
# ```
# </details>

# %% [markdown]
# **Exercise 3 (transfer).** Label smoothing changes where the loss is lowest. With $C$ classes and smoothing
# $\varepsilon$, how far above every other logit does the training loss want the true class's logit to sit? Return
# that gap $x_c - x_j$ in nats. (It explains the shrinking logits of section 4.)

# %%
def my_logit_gap(label_smoothing, num_classes):
    raise NotImplementedError  # your code here


ct.checks.smoothing_logit_gap(my_logit_gap)

# %% [markdown]
# <details><summary>Solution</summary>
#
# Cross-entropy against a target is lowest when $q$ equals the target (notebook 02). So the best $q$ gives the true
# class $1 - \varepsilon + \varepsilon/C$ and every other class $\varepsilon/C$, and for the softmax
# $q_c/q_j = e^{x_c - x_j}$:
# $x_c - x_j = \ln\frac{1 - \varepsilon + \varepsilon/C}{\varepsilon/C} = \ln\big(1 + \frac{C(1-\varepsilon)}{\varepsilon}\big)$.
# For $C = 10$, $\varepsilon = 0.1$: $\ln 91 = 4.51$. Without smoothing the gap wants to be infinite.
#
# ```python
# def my_logit_gap(label_smoothing, num_classes):
#     return np.log1p(num_classes * (1 - label_smoothing) / label_smoothing)
# ```
# </details>

# %% [markdown]
# ## Takeaways
# - Calibration asks whether confidence matches accuracy: a reliability diagram shows it, ECE sums it up, and its
#   bins must be stated.
# - Accuracy ignores confidence; NLL charges for it; a model can gain accuracy while its NLL gets worse.
# - Temperature scaling fits one $T$ on validation NLL: no prediction changes, the confidences do.
# - Label smoothing bounds the logits; on an accurate model it overshoots into underconfidence. Focal loss scales
#   each example's gradient by $\phi(q_t)$ and mutes easy examples; it is not a substitute for `pos_weight`.
#
# Next: [11 · Cross-entropy at language-model scale](11_language_model_scale.ipynb). Back to the map:
# [00 · Start here](00_start_here.ipynb).

# %% [markdown]
# ## Going deeper
#
# ### Why the package computes $1 - q_t$ without subtracting
# torchvision forms $p = \sigma(x)$ and then $1 - q_t$. In float32, $\sigma(x)$ rounds to 1 from $x \approx 16.6$,
# so $1 - q_t$ becomes 0 and with it the loss of a confident correct prediction. `ct.sigmoid_focal_loss` writes
# $1 - q_t$ as $\sigma(-x)$ for a positive, which never rounds to 0:

# %%
x32 = np.float32([5.0, 17.0, 30.0])
p32 = 1 / (1 + np.exp(-x32))
bce32 = ct.sigmoid_cross_entropy_with_logits(np.ones(3, np.float32), x32)
print("torchvision's way:", ((1 - p32) ** 2 * bce32).tolist())
print("ct:               ", ct.sigmoid_focal_loss(np.ones(3, np.float32), x32, gamma=2.0, alpha=-1.0).tolist())

# %% [markdown]
# ### ECE has a noise floor
# Even a perfectly calibrated model has ECE > 0 on a finite test set. Draw labels *from* the model's own test
# probabilities (so it is calibrated by construction) and measure:

# %%
draws = (rng.uniform(size=(20, len(q_T), 1)) > np.cumsum(q_T, axis=1)).sum(axis=2)  # 20 label sets drawn from q_T
floor = [ct.expected_calibration_error(q_T, np.minimum(labels, 9)) for labels in draws]
print(f"ECE of a calibrated model on 797 images: mean {np.mean(floor):.4f}, max {np.max(floor):.4f}")

# %% [markdown]
# That floor is about as large as the ECE changes in this notebook, so on 797 images the NLL, which is not binned, is
# the steadier of the two measures.

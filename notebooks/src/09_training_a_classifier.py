# %% [markdown]
# # 09 · Training a classifier end to end
# Cross-entropy doing its job on real data: 1,797 handwritten digits, a model in NumPy, a gradient by hand.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/09_training_a_classifier.ipynb)

# %% [markdown]
# **In this notebook you will**
# - check that a fresh 10-class model starts at a loss of $\ln 10$, and see what a model that starts overconfident
#   spends its first steps on;
# - write the gradient of the batch loss, $(S(x) - y)/N$, and the weights' gradients by hand, and check them
#   against finite differences;
# - train softmax regression (logits linear in the pixels), then a network with one hidden layer, and find the step
#   where the loss on images held out from training rises while the accuracy on them holds;
# - look at the model's most confident mistakes.
#
# **Prerequisites:** [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb) (the gradient $S(x) - y$) and
# [06 · MSE vs cross-entropy](06_mse_vs_ce.ipynb) (gradient descent on one neuron). Notation as in
# [00 · Start here](00_start_here.ipynb): $x$ logits, $y$ the one-hot label vector, $c$ the true class, $C = 10$
# classes, $N$ the batch size, $S(x)$ the softmax. New here: $X$ the inputs (one row of 64 pixels per image),
# $W$ and $b$ a layer's weights and biases, $h$ the hidden activations (section 5).

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting

rng = np.random.default_rng(0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1 · The data
#
# The 8×8 digits (Alpaydin and Kaynak, UCI, CC BY 4.0) ship inside `ce_teach`: 1,797 images of the digits 0–9,
# each pixel a count from 0 to 16. We scale the pixels to [0, 1] and split the images once, with a fixed seed, into
# 500 for training, 500 for validation and 797 held back for notebook 10. The model learns only from the training
# images; the **validation set** is never trained on and shows how the model does on images it has not seen. The
# training set is small on purpose: the network below then **overfits** (fits its training images ever more
# closely while getting no better on new ones) within a few hundred steps, which is what we want to watch.

# %%
digits = ct.datasets.load_digits()
train, val, test = ct.datasets.digits_split(seed=0)
X, labels = digits.features, digits.labels
print(f"{len(labels)} images of {digits.images.shape[1]}×{digits.images.shape[2]} pixels, "
      f"{X.shape[1]} features each; split {len(train)} / {len(val)} / {len(test)}")
print("examples per class:", np.bincount(labels).tolist())
assert (len(labels), len(train), len(val), len(test)) == (1797, 500, 500, 797)
plotting.draw_digits(digits.images[:16], [f"label {c}" for c in labels[:16]])
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2 · Softmax regression, and the loss before training
#
# The simplest classifier, **softmax regression**: ten logits that are linear in the 64 pixels, $x = X W + b$, with
# $X$ the inputs (one row per image), $W$ a 64×10 matrix of weights and $b$ ten biases (one per class). Then the
# softmax and the mean cross-entropy over the batch,
# $L = \frac1N \sum_n -\ln S(x_n)_{c_n}$.
#
# **Predict first:** we start with every weight and bias at 0. What is the loss on the validation set, in nats,
# before the first step? (Why would it not be 0?)

# %% jupyter={"outputs_hidden": true}
print("The all-zero model on the validation images:")
zero_init = ct.classifier.init_network(64, 10, output_scale=0.0)
loss0 = np.mean(ct.sparse_softmax_cross_entropy_with_logits(labels[val], zero_init.logits(X[val])))
print(f"loss at initialisation = {loss0:.6f} nats;  ln 10 = {np.log(10):.6f}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# **ln 10 = 2.302585 nats.** All logits are 0, so the softmax gives every class $1/10$, and every example costs
# $-\ln\frac{1}{10} = \ln 10$ whatever its label. A loss near 0 would mean the untrained model is already sure of
# the right answers. This is the first check to run on any classifier: a fresh model with $C$ classes should start
# near $\ln C$. If it starts far above, the initial logits are too large: the model is confidently guessing.
# </details>

# %%
assert abs(loss0 - 2.302585) < 5e-7 and abs(loss0 - np.log(10)) < 1e-15  # the mean of 500 copies of ln 10

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3 · The gradient by hand
#
# | step | identity | because |
# |---|---|---|
# | 1 | $\dfrac{\partial}{\partial x_n}\big(-\ln S(x_n)_{c_n}\big) = S(x_n) - y_n$ | notebook 05: one example, $y_n$ its one-hot label |
# | 2 | $\dfrac{\partial L}{\partial x_n} = \dfrac{S(x_n) - y_n}{N}$ | $L$ is the *mean* of $N$ such terms, and only term $n$ depends on $x_n$ |
# | 3 | $\dfrac{\partial L}{\partial W} = X^\top \dfrac{S(X W + b) - Y}{N}$ | $x_{nj} = \sum_i X_{ni} W_{ij} + b_j$: $W_{ij}$ reaches $L$ through $x_{nj}$ for every $n$, with slope $X_{ni}$ |
# | 4 | $\dfrac{\partial L}{\partial b} = \sum_n \dfrac{S(x_n) - y_n}{N}$ | the same with slope 1 |
#
# In step 3, $Y$ stacks the one-hot rows $y_n$ and $S(XW + b)$ the rows $S(x_n)$: both are $N \times 10$.
# Forgetting the $1/N$ of step 2 is a classic bug: the gradient then grows with the batch size, and so does the
# step. Check each step against finite differences on 20 validation images, with random weights:

# %%
net = ct.classifier.init_network(64, 10, output_scale=1.0, seed=1)
Xb, cb = X[val[:20]], labels[val[:20]]
logits = net.logits(Xb)
by_hand = (ct.softmax(logits) - np.eye(10)[cb]) / len(cb)  # step 2
numeric = ct.numerical_gradient(lambda x: np.mean(ct.sparse_softmax_cross_entropy_with_logits(cb, x)), logits)
ct.checks.compare("∂L/∂x = (S(x) − y)/N vs finite differences", by_hand, numeric, rtol=1e-6, atol=1e-10)
(W, b), = net.layers
_, ((dW, db),) = ct.classifier.loss_and_gradients(net, Xb, cb)
ct.checks.compare("step 3: Xᵀ(S − Y)/N vs loss_and_gradients", Xb.T @ by_hand, dW, rtol=1e-12)


def loss_at(W_new):
    return ct.classifier.loss_and_gradients(ct.classifier.Network(((W_new, b),)), Xb, cb)[0]


ct.checks.compare("step 3 vs finite differences", dW, ct.numerical_gradient(loss_at, W), rtol=1e-6, atol=1e-8)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4 · Training, from a good start and from an overconfident one
#
# Gradient descent (notebook 06) with **momentum**: each step keeps 0.9 of the previous step and adds the new
# gradient times the learning rate 0.5, so steps build up speed along a direction that keeps pointing the same way.
# `ct.classifier.train` repeats "velocity ← 0.9·velocity − 0.5·gradient; weights ← weights + velocity", on all 500
# training images at every step. We train twice: once from zero weights, once from random weights 30 times larger
# than a careful initialisation (standard deviation $1/\sqrt{64}$ per weight) would use, so the first logits have a
# standard deviation of about 18 (some beyond ±50).
#
# **Predict first:** sketch the training loss of both runs over 200 steps. Where does the overconfident run start,
# what does it do in its first 20 steps, and has it caught up by step 200?

# %% jupyter={"outputs_hidden": true}
runs = {
    "zero start": ct.classifier.digits_run(hidden=0, steps=200, output_scale=0.0, every=1),
    "overconfident start": ct.classifier.digits_run(hidden=0, steps=200, output_scale=30.0, every=1),
}
plotting.draw_loss_curves({name: run.history for name, run in runs.items()})
plt.show()

# %% jupyter={"outputs_hidden": true}
print("Training loss at three steps; validation loss and accuracy at the end:")
for name, run in runs.items():
    hist = run.history.arrays()
    print(f"{name:>20}: loss at step 0 {hist['train_loss'][0]:7.3f}, step 20 {hist['train_loss'][20]:.3f}, "
          f"step 200 {hist['train_loss'][-1]:.3f};  validation loss {hist['val_loss'][-1]:.3f}, "
          f"accuracy {hist['val_accuracy'][-1]:.3f}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# (The loss axis is logarithmic: each tick is ten times the one below.) The overconfident run starts at
# **31.1 nats** instead of 2.303: its large random logits are confidently wrong for
# almost every image, and a confident mistake costs many nats. Its first ~20 steps are spent shrinking those logits
# (the steep left end of the curve, the "hockey stick"), while the zero start is already learning digits. By step
# 200 it has **not** caught up: validation loss 0.599 against 0.186, accuracy 0.886 against 0.942. The fix costs
# nothing: start the output layer small, and check that the first loss is near $\ln C$.
# </details>

# %%
good, bad = (run.history.arrays() for run in runs.values())
assert bad["train_loss"][0] > 10 * np.log(10) and bad["train_loss"][20] > 10 * good["train_loss"][20]
assert bad["val_loss"][-1] > 2 * good["val_loss"][-1] and bad["val_accuracy"][-1] < good["val_accuracy"][-1]
quoted = [bad["train_loss"][0], bad["val_loss"][-1], good["val_loss"][-1], bad["val_accuracy"][-1], good["val_accuracy"][-1]]
assert [f"{v:.3f}" for v in quoted] == ["31.064", "0.599", "0.186", "0.886", "0.942"]  # as the answer says

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5 · One hidden layer, and the point where loss and accuracy disagree
#
# A **hidden layer** is an intermediate vector the model computes from the pixels and then reads its logits from.
# Here it has 64 **units** (entries): $h = \tanh(X W_1 + b_1)$, then $x = h W_2 + b_2$; $\tanh$ is an S-shaped
# function from −1 to 1, applied to each entry, so the model is no longer linear in the pixels. (A network of such
# layers is a multilayer perceptron, MLP.) The chain rule extends step 3:
# $\partial L/\partial W_2 = h^\top \frac{S(x) - Y}{N}$, $\partial L/\partial h = \frac{S(x) - Y}{N} W_2^\top$,
# and through $\tanh' = 1 - h^2$: $\partial L/\partial W_1 = X^\top\big(\partial L/\partial h \odot (1 - h^2)\big)$,
# where $\odot$ multiplies entry by entry. `ct.classifier.loss_and_gradients` is exactly these lines; check all four
# of its gradients (on a narrow network), and the loss at the start, which should again be near $\ln 10$ (the output
# weights start at 0.01 times the careful scale, so the first logits are near 0):

# %%
mlp = ct.classifier.init_network(64, 10, hidden=64, seed=0)  # the network we train next
loss_start, _ = ct.classifier.loss_and_gradients(mlp, X[train], labels[train])
print(f"initial training loss {loss_start:.6f} nats (ln 10 = {np.log(10):.6f})")
assert abs(loss_start - np.log(10)) < 0.01
check_net = ct.classifier.init_network(64, 10, hidden=8, output_scale=1.0, seed=2)  # narrow: fewer weights to nudge
_, grads = ct.classifier.loss_and_gradients(check_net, Xb, cb)
for (i, j), name in zip([(0, 0), (0, 1), (1, 0), (1, 1)], ["W1", "b1", "W2", "b2"], strict=True):
    def loss_of(p, i=i, j=j):
        layers = [list(layer) for layer in check_net.layers]
        layers[i][j] = p
        logits = ct.classifier.Network(tuple(map(tuple, layers))).logits(Xb)
        return np.mean(ct.sparse_softmax_cross_entropy_with_logits(cb, logits))
    numeric = ct.numerical_gradient(loss_of, check_net.layers[i][j])
    ct.checks.compare(f"∂L/∂{name} by hand vs finite differences", grads[i][j], numeric, rtol=1e-6, atol=1e-8)

# %% [markdown]
# Now train it for 300 steps (under a second), recording the loss and accuracy on both sets every 5 steps. The
# training loss will fall towards 0: 64 hidden units can memorise 500 images.
#
# **Predict first:** the validation loss reaches its lowest value early and then rises again. What does the
# validation *accuracy* do after that point: fall with it, stay, or rise?

# %% jupyter={"outputs_hidden": true}
run = ct.classifier.digits_run(hidden=64, steps=300)
plotting.draw_training_curves(run.history)
plt.show()

# %% jupyter={"outputs_hidden": true}
hist = run.history.arrays()
best = int(np.argmin(hist["val_loss"]))
print("Validation loss and accuracy at two steps:")
for where, i in (("lowest validation loss", best), ("end of training", -1)):
    print(f"{where:>22}: step {hist['step'][i]:3d}  validation loss {hist['val_loss'][i]:.4f}  "
          f"accuracy {hist['val_accuracy'][i]:.3f}  (training loss {hist['train_loss'][i]:.4f})")

# %% [markdown]
# <details><summary>Answer</summary>
#
# It **rises**. The thin red line marks step 25, where the validation loss is lowest (0.2200 nats, accuracy
# 0.932); from there the loss climbs to 0.2419 by step 300, while the accuracy *improves* to 0.954. Lower loss does not mean higher accuracy: accuracy counts only which
# class is on top, cross-entropy also charges for confidence. After step 25 the network keeps pushing its training
# logits apart, so on new images it becomes more confident everywhere: the right answers gain little (their loss was
# already small), the wrong ones cost more and more nats. A model whose loss rises while its accuracy holds is
# becoming **overconfident**; notebook 10 measures that and fixes it.
# </details>

# %%
assert hist["val_loss"][-1] > hist["val_loss"][best] + 0.015 and hist["val_accuracy"][-1] >= hist["val_accuracy"][best]
assert (hist["step"][best], f"{hist['val_loss'][best]:.4f}", f"{hist['val_loss'][-1]:.4f}") == (25, "0.2200", "0.2419")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6 · The most confident mistakes
#
# Which validation images does the trained network get wrong while being sure of itself? Sorting the mistakes by
# the probability given to the (wrong) top class:

# %%
q = ct.softmax(run.net.logits(X[val]))
said = q.argmax(axis=1)
wrong = np.flatnonzero(said != labels[val])
worst = wrong[np.argsort(-q[wrong].max(axis=1), kind="stable")][:8]
titles = [f"says {said[i]} ({q[i].max():.3f})\nis {labels[val][i]} ({q[i, labels[val][i]]:.1e})" for i in worst]
print(f"{len(wrong)} mistakes out of {len(val)}; the 8 most confident:")
print("  ".join(f"{said[i]}≠{labels[val][i]}: {q[i].max():.4f}" for i in worst))
assert q[worst[0]].max() > 0.99
plotting.draw_digits(digits.images[val][worst], titles, columns=8)
plt.show()

# %% [markdown]
# Each title reads "says (the predicted class and its probability), is (the true class $c$ and its probability
# $q_c$)". Some of these are hard even for a person (an 8×8 grid of counts blurs a lot); others are plain mistakes
# made with up to 99.98 % confidence, and each of those costs the cross-entropy $-\ln q_c$ of the tiny probability
# given to the true class. They are the examples that make the validation loss rise in section 5.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Check yourself
#
# **Exercise 1.** Write the gradient $\partial L/\partial W$ of softmax regression without a bias: `features` $X$
# (N×D: $N$ examples of $D$ features), integer `labels` (N,), `weights` $W$ (D×C); $L$ is the mean cross-entropy of $S(X W)$. The checker also
# tries logits of ±800.

# %%
def my_regression_grad(features, labels, weights):
    raise NotImplementedError  # your code here


ct.checks.softmax_regression_grad(my_regression_grad)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_regression_grad(features, labels, weights):
#     x = features @ weights
#     e = np.exp(x - x.max(axis=1, keepdims=True))     # shift each row: no overflow at ±800
#     s = e / e.sum(axis=1, keepdims=True)
#     y = np.eye(weights.shape[1])[labels]              # one-hot
#     return features.T @ (s - y) / len(labels)         # steps 2 and 3
# ```
# </details>

# %% [markdown]
# **Exercise 2 (transfer).** Real data sets are rarely balanced. A model with no input at all can still learn the
# class frequencies $f_c = n_c / N$. What is the lowest mean cross-entropy such a constant prediction can reach,
# given the counts $n_c$? (That number, not $\ln C$, is the loss a well-initialised model should start near when its
# output biases are set to $\ln f_c$.) Write it in nats; some counts may be 0.

# %%
def my_prior_loss(class_counts):
    raise NotImplementedError  # your code here


ct.checks.prior_loss(my_prior_loss)

# %% [markdown]
# <details><summary>Solution</summary>
#
# The best constant prediction is $q = f$ itself (notebook 02: cross-entropy $H(f, q) \ge H(f)$, equal only at
# $q = f$), so the answer is the entropy of the class frequencies, $-\sum_c f_c \ln f_c$, with $0 \ln 0 = 0$:
#
# ```python
# def my_prior_loss(class_counts):
#     f = class_counts / class_counts.sum()
#     f = f[f > 0]
#     return -np.sum(f * np.log(f))
# ```
# For the digits (almost balanced) it is 2.302 nats, barely below $\ln 10$; for counts (90, 10) it is 0.325 nats,
# far below $\ln 2 = 0.693$.
# </details>

# %% [markdown]
# ## Takeaways
# - A fresh $C$-class model should start near $\ln C$ (here 2.302585): check it before training. A much higher start
#   means overconfident initial logits, and the first steps are wasted undoing them.
# - The gradient of the mean loss with respect to the logits is $(S(x) - y)/N$; the weights' gradients follow by the
#   chain rule, and finite differences check every one of them.
# - Validation loss and validation accuracy can disagree: the loss rises (overconfidence) while accuracy holds.
# - The most confident mistakes cost the most nats; look at them.
#
# Next: [10 · Calibration and shaping the loss](10_calibration.ipynb) measures overconfidence and fixes it.

# %% [markdown]
# ## Going deeper
#
# ### An overconfident start can diverge
# With a hidden layer, large output weights do worse than waste steps: at the same learning rate the training loss
# of a network started with output weights 10 times a careful scale climbs instead of falling.

# %%
wild = ct.classifier.digits_run(hidden=64, steps=40, output_scale=10.0, every=10)
print("training loss at steps 0, 10, …, 40:", np.round(wild.history.train_loss, 2).tolist())
assert wild.history.train_loss[-1] > wild.history.train_loss[0]

# %% [markdown]
# ### Where the rising validation loss comes from
# Split the validation loss of section 5 into the examples the network gets right and those it gets wrong, at the step
# of lowest validation loss (retraining for 25 steps gives exactly that network: training is deterministic) and at
# the end.

# %%
early = ct.classifier.digits_run(hidden=64, steps=int(hist["step"][best]))
for name, model in (("step 25", early.net), ("step 300", run.net)):
    lg = model.logits(X[val])
    loss = ct.sparse_softmax_cross_entropy_with_logits(labels[val], lg)
    right = lg.argmax(axis=1) == labels[val]
    print(f"{name:>8}: mean loss {loss.mean():.4f} = right {loss[right].sum() / len(val):.4f} "
          f"+ wrong {loss[~right].sum() / len(val):.4f}  ({(~right).sum()} wrong)")

# %% [markdown]
# # 00 · Start here
# How this collection works: what to read, how to run it, how the sliders and self-checks behave.
#
# [Open this notebook on Binder](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb)

# %% [markdown]
# **In this notebook you will**
# - see what the collection covers and in which order to read it;
# - launch it locally or on Binder, and check that your environment works;
# - try one slider and one self-check, so later notebooks hold no surprises;
# - learn the notation, the terms in English and Chinese, and where each helper lives in `ce_teach`.
#
# **Prerequisites:** Python and NumPy at the level of `np.log(p).sum()`. No machine learning is assumed.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What this is
#
# Jupyter notebooks that teach cross-entropy from the ground up: surprise and entropy, KL divergence,
# cross-entropy itself, then the two losses every classifier uses (sigmoid with binary cross-entropy,
# softmax with categorical cross-entropy) down to their numerically stable forms, and why cross-entropy
# trains better than squared error. Every formula comes with a cell that checks it numerically. The code
# the notebooks call is a small NumPy package, `ce_teach`, readable in one sitting.
#
# Each notebook has a **main path**, about 25 minutes of reading, and may end with a **Going deeper** part
# (floating-point details, proofs, variants) that the main path never needs: skip it on a first reading.
#
# ## Reading order
#
# 0. [00 · Start here](00_start_here.ipynb): this page.
# 1. [01 · Entropy](01_entropy.ipynb): surprise, entropy as average surprise, bits vs nats, code lengths, perplexity.
# 2. [02 · KL divergence](02_kl_divergence.ipynb): the extra cost of coding with the wrong code; Gibbs' inequality; asymmetry.
# 3. [03 · Cross-entropy](03_cross_entropy.ipynb): H(p, q) = H(p) + KL; the loss as a negative log-likelihood; bits per token of a tiny language model.
# 4. [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb): from the textbook formula to `max(x, 0) − x·z + log(1 + e^{−|x|})`.
# 5. [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb): log-sum-exp, the gradient `S(x) − y`, sparse and soft labels.
# 6. [06 · MSE vs cross-entropy](06_mse_vs_ce.ipynb): why squared error's gradient vanishes on confident mistakes.
# 7. [07 · Choosing a loss](07_choosing_a_loss.ipynb): one loss, two activations; names across TensorFlow, Keras and PyTorch.
# 8. [08 · Pitfalls](08_pitfalls.ipynb): a bug hunt through the mistakes people make.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Launch it
#
# - **In the browser, nothing to install:** follow the "Open this notebook on Binder" link at the top of any
#   notebook. Binder builds the environment (the first start can take a few minutes) and opens JupyterLab.
# - **Locally** (Python 3.11 or newer: the pinned NumPy needs it), from a clone of the repository, as in
#   the README:
#
#   ```bash
#   python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/jupyter lab notebooks/
#   ```
#
# Then run the notebook from the top (*Run → Run All Cells*). Every notebook starts with a setup cell like
# this one (the later ones also import `matplotlib.pyplot as plt` and `ce_teach.plotting` for their figures):

# %%
import numpy as np

import ce_teach as ct
from ce_teach import widgets

rng = np.random.default_rng(0)

# %% [markdown]
# A quick check that the environment is right: every library the notebooks use can be found, and
# `ce_teach` computes. (It prints `ok` rather than version numbers, so that its output is the same on
# every correct install.)

# %%
import importlib.util

needed = ["numpy", "matplotlib", "ipywidgets", "anywidget", "ce_teach"]
missing = [name for name in needed if importlib.util.find_spec(name) is None]
assert not missing, f"not installed: {missing}; run  pip install -r requirements.txt"
assert float(ct.entropy([0.5, 0.5], base=2)) == 1.0, "ce_teach is installed but computes the wrong entropy"
print("ok")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Notation
#
# The same letters mean the same things in every notebook.
#
# | symbol | meaning |
# |---|---|
# | $x$ | logits (raw scores before any activation); $x_i$ the logit of class $i$ |
# | $X$ | the inputs of a batch, one row per example (09: 64 pixels per image) |
# | $h$ | hidden activations, $h = \tanh(X W_1 + b_1)$ (09) |
# | $W$, $b$ | a layer's weight matrix and bias vector ($W_1, b_1$ hidden, $W_2, b_2$ output; 09) |
# | $z$ | the label of the sigmoid family: 0/1 or a probability in [0, 1] (TensorFlow's name) |
# | $y$ | the label vector of the softmax family, one-hot or soft; $y_i$ its entries |
# | $c$ | the index of the true class (a sparse label) |
# | $i, j$ | class indices; $C$ the number of classes |
# | $n$, $N$ | example index and batch size; $V$ vocabulary size, $d$ hidden width (notebook 11) |
# | $N_+$, $N_-$ | the numbers of positive and negative examples (04) |
# | $N_\text{H}$, $\hat p$ | a coin's number of heads in $N$ tosses, and observed frequencies such as $\hat p = (N_\text{H}/N, 1 - N_\text{H}/N)$ (03) |
# | $\text{count}(a, b)$ | how often character $b$ followed character $a$ in a text (03's bigram model) |
# | $p$ | the true distribution (targets) |
# | $q$ | the model's distribution; in the sigmoid family $q = \sigma(x)$, the probability of class 1 |
# | $q_t$ | the probability the model gives the true label: $q_c$, or $\sigma(x)$ for a positive and $1 - \sigma(x)$ for a negative (Lin et al.'s $p_t$, renamed because $p$ is the target; 10) |
# | $\bar q_c$ | $1 - q_c$, the probability left for the wrong classes (10) |
# | $u$ | the uniform distribution, $u_i = 1/C$ (10) |
# | $f_c$ | the frequency of class $c$ in a data set, $n_c / N$ (09) |
# | $\sigma$ | the sigmoid, and nothing else (write a standard deviation as "sd") |
# | $S(x)$ | the softmax |
# | $H(p)$, $H(p, q)$, $D_{KL}(p\|q)$ | entropy, cross-entropy, KL: targets first |
# | $L$ | a loss; $\ell_n$ the loss of example $n$ |
# | $L_0$ | $\log(1 + e^{-\lvert x\rvert})$, the shared term of the stable sigmoid losses (04) |
# | $\operatorname{cond}$ | a condition number: relative change of a result per relative change of an input (04) |
# | $w$ | weights; $w_+$ is `pos_weight` |
# | $T$ | temperature |
# | $\delta$ | a small constant added inside a log or used to clip (Keras calls it `epsilon`) |
# | $\varepsilon$ | the label-smoothing amount |
# | $\gamma$, $\alpha$ | focal loss: focusing exponent and class weight |
# | $\phi$ | the focal-loss gradient factor: $\partial\,\text{FL}/\partial x = \phi\,(S(x) - y)$ (10) |
# | $\lambda$ | a penalty coefficient (z-loss) |
# | $\kappa$ | the soft-capping value in $\kappa \tanh(x/\kappa)$ |
# | $k$ | a count: add-$k$ smoothing, $k$ sampled classes |
# | $t$ | a real variable: the point of a grid or of a density, $p(t)$ (01, 02) |
# | $\theta_1$, $\theta_2$ | the natural parameters of a normal on a grid, $\theta_1 = \mu/\text{sd}^2$, $\theta_2 = -1/(2\,\text{sd}^2)$ (02) |
# | $\Delta$ | a shift added to every logit (05) |
# | $[i = j]$ | 1 if $i = j$, else 0 (the Iverson bracket) |
# | $m$, $M$ | a calibration bin and the number of bins, as in Guo et al. (ECE, 10); $n_m$ the predictions in bin $m$ |
#
# Logarithms: $\ln$ is the natural log and measures information in **nats**; $\log_2$ measures it in
# **bits**. `ce_teach` keeps the maths order too: `ct.cross_entropy(p, q)` is $H(p, q)$ and
# `ct.kl_divergence(p, q)` is $D_{KL}(p\|q)$. The framework-named losses keep their framework's order,
# e.g. `ct.softmax_cross_entropy_with_logits(labels, logits)` as in TensorFlow. The glossary at the end
# gives every term in English and Chinese.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## How the sliders work
#
# A slider changes a number and the figure under it redraws in place: drag the handle, or click it and
# press the arrow keys. A slider's cell is stored with its figure at the sliders' starting values, a
# picture (what GitHub shows); run the cell to get the **live figure**. Running it computes, in Python, what
# the figure shows at every position of every slider, so a move is only a look-up in the browser. The
# numbers under the sliders (the **readout**) are `ce_teach`'s values at that position, and the figure is
# drawn by a class from `ce_teach.plotting`.
#
# Before each slider there is a question. Answer it *before* you look: the figure is **collapsed**
# (in JupyterLab it shows as `<live figure: …> •••`: click that to open it; on the static site, click "Show
# the output"), the answer is folded away under "Answer", and the cells that check it come after. A
# prediction that turns out wrong is where the learning happens.
#
# Try it. A model's raw scores for three outcomes a, b, c are **logits** $x$: any real numbers, higher
# meaning more likely. The **softmax** $S(x)_i = e^{x_i} / \sum_j e^{x_j}$ turns them into probabilities
# ([05](05_softmax_ce.ipynb) takes it apart).
#
# **Predict first:** with logits $x = (1, 0, -1)$, which outcome gets the largest probability, and is it
# above or below ½? If you set all three logits equal, what are the probabilities?

# %% jupyter={"outputs_hidden": true}
widgets.softmax_entropy(logits=(1.0, 0.0, -1.0))

# %% [markdown]
# <details><summary>Answer</summary>
#
# Outcome a, with the largest logit: $e^1 / (e^1 + e^0 + e^{-1}) \approx 0.665$, above ½. Equal logits give
# equal probabilities, $1/3$ each, whatever the common value. The readout also shows the distribution's
# entropy $H(q)$, the subject of [01 · Entropy](01_entropy.ipynb).
#
# </details>

# %%
q_demo = ct.softmax([1.0, 0.0, -1.0])
print("softmax(1, 0, −1) =", np.array2string(q_demo, precision=4))
ct.checks.compare("equal logits give 1/3 each", ct.softmax([2.0, 2.0, 2.0]), np.full(3, 1 / 3), rtol=1e-15)
assert np.argmax(q_demo) == 0 and q_demo[0] > 0.5

# %% [markdown] slideshow={"slide_type": "slide"}
# ## How the self-checks work
#
# **Check cells.** Each derivation ends with a cell that compares two ways of computing the same thing and
# prints one row: `label | exact | close | max diff`. *exact* says whether the two agree bit for bit,
# *close* whether they agree to the stated relative tolerance. If they are not close, the cell raises an
# `AssertionError` and the notebook stops there, so a broken formula cannot scroll past unnoticed.

# %%
x = np.array([1.0, 0.0, -1.0])
by_hand = np.exp(x) / np.exp(x).sum()
ct.checks.compare("softmax: by hand vs ct.softmax", by_hand, ct.softmax(x))

# %% [markdown]
# Here is what failing looks like: a wrong "softmax" that forgets to normalise.

# %%
try:
    ct.checks.compare("softmax without the division", np.exp(x), ct.softmax(x))
except AssertionError as error:
    print(f"AssertionError: {error}")

# %% [markdown]
# **Exercises.** A code exercise is a function for you to write. Its cell calls a checker from `ct.checks`,
# which runs your function on a few inputs, including awkward ones (zeros, batches), and compares the
# results with the package's own. Until you replace `raise NotImplementedError`, the checker says so:

# %%
def my_entropy(p):
    raise NotImplementedError  # your code here


ct.checks.entropy_bits(my_entropy)

# %% [markdown]
# A wrong answer gets the first input that failed, the digits where it differs, and a hint that names the
# mistake. This attempt uses the natural log although bits were asked for:

# %%
def my_entropy(p):
    return -np.sum(p * np.log(p), axis=-1)


ct.checks.entropy_bits(my_entropy)

# %% [markdown]
# And calling the package's own function is accepted, with a note: it proves the checker works, not that you
# can write the formula. In [01 · Entropy](01_entropy.ipynb) you write it yourself.

# %%
def my_entropy(p):
    return ct.entropy(p, base=2)


ct.checks.entropy_bits(my_entropy)

# %% [markdown]
# Questions that are not code have their answer folded away, one block per question, like this one; open
# it after you have answered.
#
# <details><summary>Answer</summary>
#
# Like this.
#
# </details>

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A map of `ce_teach`
#
# The maths modules are pure NumPy and never import matplotlib; `plotting`, `widgets` and `checks` are the
# notebooks' platform. Most functions are also available directly as `ct.<name>`: `ct.entropy` is
# `ct.information.entropy`. The map below is read from the package itself, so it cannot go out of date;
# `help(ct.entropy)` shows any function's formula, shapes and example.

# %%
print(ct.package_map())

# %% [markdown]
# ## Check yourself
#
# **Exercise 1.** In `ct.kl_divergence(p, q)`, which argument is the model's distribution?
#
# <details><summary>Answer</summary>
#
# `q`, the second one: maths order, targets first, so `ct.kl_divergence(p, q)` is $D_{KL}(p\|q)$.
#
# </details>

# %% [markdown]
# **Exercise 2.** You open a notebook on GitHub and a slider cell shows a figure but no sliders. Is the
# notebook broken?
#
# <details><summary>Answer</summary>
#
# No. GitHub shows stored outputs and has no Python kernel. The figure stored in the slider cell is the
# plot at the sliders' starting values; the sliders appear when the cell runs. Open the notebook on Binder
# (the link at the top), run the cell, and move them.
#
# </details>

# %% [markdown]
# **Exercise 3 (transfer).** Write a check cell of your own: does adding 100 to every logit change the
# softmax? Compare `ct.softmax(x + 100)` with `ct.softmax(x)` using `ct.checks.compare`, for
# `x = np.array([1.0, 0.0, -1.0])` and then for `x = np.array([0.1, 0.2, -0.3])`. Before you run it,
# predict what `exact` and `close` will print each time.

# %%
# your check cell here

# %% [markdown]
# <details><summary>Answer</summary>
#
# ```python
# for x in (np.array([1.0, 0.0, -1.0]), np.array([0.1, 0.2, -0.3])):
#     ct.checks.compare("softmax(x + 100) vs softmax(x)", ct.softmax(x + 100), ct.softmax(x))
# ```
#
# `close: True` both times: the softmax depends only on differences of logits, since
# $e^{x_i + 100} = e^{100} e^{x_i}$ and $e^{100}$ cancels between the top and the sum below. `exact` is
# `True` for the first $x$ and `False` for the second. `ct.softmax` first subtracts the largest logit, and
# $(101, 100, 99) - 101$ is exactly $(0, -1, -2)$, as is $(1, 0, -1) - 1$; but $0.1 + 100$ is rounded to
# the nearest float, so the second pair differs in the last bits (about $2 \cdot 10^{-15}$). The same
# mathematics, two floating-point results: that is why check cells test
# *close*, and print *exact* only for information.
#
# </details>

# %% [markdown]
# ## Takeaways
# - Read the notebooks in order; each one starts with objectives, has a main path of about 25 minutes, and
#   ends with a self-check (and sometimes a Going deeper part you may skip).
# - Predict before you look: answers are collapsed or folded until you open them.
# - A slider cell stores its figure at the starting values, for reading anywhere; run the cell (JupyterLab
#   or Binder) to move the sliders.
# - A check cell prints `label | exact | close | max diff` and stops the notebook if a formula is wrong;
#   a checker from `ct.checks` says "not attempted yet", ✗ with a hint, or ✓.
# - Targets first: $H(p, q)$, $D_{KL}(p\|q)$, and `ct.cross_entropy(p, q)`.
#
# **Next:** [01 · Entropy](01_entropy.ipynb).

# %% [markdown]
# ## Going deeper
#
# Reference material for the whole collection: the terms in English and Chinese.

# %% [markdown]
# ### Glossary · 术语表 (English ↔ 中文)
#
# Every term the collection uses, with the usual Chinese term and its symbol or code name here. Chinese
# texts often keep *softmax*, *sigmoid*, *logits* and *focal loss* in English.
#
# | English | 中文 | symbol / code here |
# |---|---|---|
# | logits (raw scores) | 对数几率（logits，未归一化的得分） | $x$ |
# | label (sigmoid family, 0/1 or soft) | 标签 | $z$ |
# | label vector; one-hot encoding | 标签向量；独热编码 | $y$ |
# | soft label | 软标签 | $y$ |
# | sparse label (class index) | 稀疏标签（类别索引） | $c$ |
# | class; number of classes | 类别；类别数 | $i, j$; $C$ |
# | example (sample); batch, batch size | 样本；批量（批次），批量大小 | $n$, $N$ |
# | vocabulary size | 词表大小 | $V$ |
# | hidden width (hidden size) | 隐藏层宽度 | $d$ |
# | true (target) distribution | 真实分布（目标分布） | $p$ |
# | model distribution, prediction | 模型分布，预测 | $q$ |
# | sigmoid (logistic function) | sigmoid 函数（S 型函数，逻辑函数） | $\sigma$ |
# | softmax | softmax 函数（归一化指数函数） | $S(x)$ |
# | entropy | 熵 | $H(p)$ |
# | cross-entropy | 交叉熵 | $H(p, q)$ |
# | Kullback–Leibler divergence, relative entropy | KL 散度，相对熵 | $D_{KL}(p\|q)$ |
# | loss; per-example loss | 损失；单个样本的损失 | $L$; $\ell_n$ |
# | loss function | 损失函数 | `ct.losses` |
# | weight; positive-class weight | 权重；正类权重 | $w$; $w_+$ (`pos_weight`) |
# | temperature | 温度 | $T$ |
# | small constant in a log, clipping value | 小常数（数值稳定项），截断值 | $\delta$ (Keras `epsilon`) |
# | label smoothing | 标签平滑 | $\varepsilon$ |
# | focal loss: focusing exponent, class weight | focal loss（焦点损失）：聚焦参数，类别权重 | $\gamma$, $\alpha$ |
# | penalty coefficient (z-loss) | 惩罚系数（z 损失） | $\lambda$ |
# | logit soft-capping | logit 软截断（软上限） | $\kappa$ |
# | count: add-$k$ smoothing, sampled classes | 计数：加 $k$ 平滑，采样类别数 | $k$ |
# | surprise, self-information | 惊奇度，自信息 | $-\log p$ |
# | bit; nat | 比特；奈特 | $\log_2$; $\ln$ |
# | natural logarithm | 自然对数 | $\ln$ |
# | probability distribution | 概率分布 | `ct.entropy` |
# | perplexity | 困惑度 | $2^{H_\text{bits}}$ |
# | inputs (features) of a model, one row per example | 输入（特征） | $X$ |
# | hidden activations; hidden layer | 隐藏层激活值；隐藏层 | $h$ |
# | weight matrix; bias | 权重矩阵；偏置 | $W$, $b$ |
# | numbers of positive and negative examples | 正样本数；负样本数 | $N_+$, $N_-$ |
# | number of heads; observed frequencies | 正面朝上次数；观测频率 | $N_\text{H}$, $\hat p$ |
# | bigram count | 二元组计数 | $\text{count}(a, b)$ |
# | probability given to the true label (focal loss) | 真实标签的预测概率 | $q_t$ |
# | probability left for the wrong classes | 分给错误类别的概率 | $\bar q_c$ |
# | uniform distribution | 均匀分布 | $u$ |
# | class frequency | 类别频率 | $f_c$ |
# | shared term of the stable sigmoid losses | 稳定形式的公共项 | $L_0$ |
# | condition number | 条件数 | $\operatorname{cond}$ |
# | focal-loss gradient factor | focal loss 梯度因子 | $\phi$ |
# | calibration bin; number of bins | 校准分箱；分箱数 | $m$, $M$ |
# | real variable (a grid point, the variable of a density) | 实变量（网格点，密度的自变量） | $t$ |
# | natural parameters of a normal | 正态分布的自然参数 | $\theta_1$, $\theta_2$ |
# | shift added to every logit | 加到每个 logit 上的平移量 | $\Delta$ |
# | Iverson bracket | 艾弗森括号 | $[i = j]$ |
# | prefix code; Huffman code; Kraft's inequality | 前缀码；霍夫曼编码；克拉夫特不等式 | `ct.coding` |
# | code length, expected code length | 码长，平均码长 | $L$ in 01 |
# | Gibbs' inequality; Jensen's inequality | 吉布斯不等式；琴生（Jensen）不等式 | 02, 01 |
# | forward KL, reverse KL | 前向 KL，反向 KL | $D(p\|q)$, $D(q\|p)$ |
# | mass-covering, mode-seeking | 质量覆盖，模式寻求 | 02 |
# | information gain | 信息增益 | 02 |
# | likelihood; log-likelihood | 似然；对数似然 | 03 |
# | negative log-likelihood (NLL) | 负对数似然 | `NLLLoss` |
# | maximum likelihood estimation | 最大似然估计 | 03 |
# | binary cross-entropy | 二元交叉熵 | `sigmoid_cross_entropy_with_logits` |
# | categorical cross-entropy | 分类交叉熵（多类交叉熵） | `softmax_cross_entropy_with_logits` |
# | sparse categorical cross-entropy | 稀疏分类交叉熵 | `sparse_softmax_cross_entropy_with_logits` |
# | multi-label classification | 多标签分类 | 04 |
# | multi-class classification | 多类分类 | 05 |
# | class imbalance | 类别不平衡 | 04, 07 |
# | gradient | 梯度 | $\partial L / \partial x$ |
# | gradient descent; learning rate | 梯度下降；学习率 | 06 |
# | Jacobian matrix | 雅可比矩阵 | 05 |
# | finite differences | 有限差分 | `ct.numerical_gradient` |
# | mean squared error (MSE) | 均方误差 | 06 |
# | accuracy; classification error (0-1 loss) | 准确率；分类错误率（0-1 损失） | 06 |
# | numerical stability | 数值稳定性 | 04, 05 |
# | overflow; underflow | 上溢；下溢 | 04, 05 |
# | log-sum-exp trick | log-sum-exp 技巧 | `ct.logsumexp` |
# | floating point: float32, float64 | 浮点数：单精度，双精度 | 04 |
# | unit in the last place (ulp) | 最后一位的单位（ulp） | 04 |
# | reduction (mean, sum) | 归约（求平均，求和） | `reduction` |
# | sampled softmax; noise-contrastive estimation | 采样 softmax；噪声对比估计（NCE） | 07 |
# | token; language model | 词元（token）；语言模型 | 03 |
# | bigram; smoothing | 二元语法（bigram）；平滑 | 03 |
# | calibration; expected calibration error | 校准；期望校准误差（ECE） | 10 |
# | reliability diagram | 可靠性图 | 10 |
# | temperature scaling | 温度缩放 | 10 |
# | knowledge distillation | 知识蒸馏 | 11 |
# | contrastive loss (InfoNCE) | 对比损失（InfoNCE） | 11 |

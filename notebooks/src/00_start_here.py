# %% [markdown]
# # 00 · Start here
# How this collection works: what to read, how to run it, how the sliders and self-checks behave.
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/ce-teach/ce-teach/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb)

# %% [markdown]
# **In this notebook you will**
# - see what the collection covers and in which order to read it;
# - launch it locally or on Binder, and check that your environment works;
# - try one slider and one self-check, so later notebooks hold no surprises;
# - learn the notation, and where each helper lives in the `ce_teach` package.
#
# **Prerequisites:** Python and NumPy at the level of `np.log(p).sum()`. No machine learning is assumed.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What this is
#
# A set of Jupyter notebooks that teach cross-entropy from the ground up: surprise and entropy, KL
# divergence, cross-entropy itself, then the two losses every classifier uses (sigmoid with binary
# cross-entropy, softmax with categorical cross-entropy) derived down to their numerically stable forms,
# and why cross-entropy trains better than squared error. Every formula comes with a cell that checks it
# numerically and stops loudly if it is wrong; every slider has a static twin so the notebook also reads
# well on GitHub. The code the notebooks call lives in a small NumPy package, `ce_teach`, which you can
# read in one sitting and use as a reference implementation.
#
# ## Reading order
#
# 0. [00 · Start here](00_start_here.ipynb): this page.
# 1. [01 · Entropy](01_entropy.ipynb): surprise, entropy as average surprise, bits vs nats, code lengths, perplexity.
# 2. [02 · KL divergence](02_kl_divergence.ipynb): the extra cost of coding with the wrong code; Gibbs' inequality; asymmetry.
# 3. [03 · Cross-entropy](03_cross_entropy.ipynb): H(p, q) = H(p) + KL; one-hot labels; bits per token of a tiny language model.
# 4. [04 · Sigmoid and binary cross-entropy](04_sigmoid_bce.ipynb): from the textbook formula to `max(x, 0) − x·z + log(1 + e^{−|x|})`.
# 5. [05 · Softmax and categorical cross-entropy](05_softmax_ce.ipynb): log-sum-exp, the gradient `S(x) − y`, sparse and soft labels.
# 6. [06 · MSE vs cross-entropy](06_mse_vs_ce.ipynb): why squared error's gradient vanishes on confident mistakes.
# 7. [07 · Choosing a loss](07_choosing_a_loss.ipynb): one loss, two activations; names across TensorFlow, Keras and PyTorch.
# 8. [08 · Pitfalls](08_pitfalls.ipynb): a bug hunt through the mistakes people make.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Launch it
#
# - **In the browser, nothing to install:** click the Binder badge at the top of any notebook. Binder
#   builds the environment (the first start can take a few minutes) and opens JupyterLab.
# - **Locally** (Python 3.10+), from a clone of the repository, as in the README:
#
#   ```bash
#   python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/jupyter lab notebooks/
#   ```
#
# Then run the notebook from the top (*Run → Run All Cells*). Every notebook starts with the same setup cell:

# %%
import matplotlib.pyplot as plt
import numpy as np

import ce_teach as ct
from ce_teach import plotting, widgets

rng = np.random.default_rng(0)

# %% [markdown]
# A quick check that the environment is right: every library the notebooks use can be found, and
# `ce_teach` computes. (It prints `ok` rather than version numbers, so that its output is the same on
# every correct install.)

# %%
import importlib.util

needed = ["numpy", "matplotlib", "ipywidgets", "ipympl", "ce_teach"]
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
# | $x$ | logits: raw scores, the output of a dense layer, before any activation |
# | $z$ or $y$ | labels (the truth) |
# | $p$ | the true distribution (targets) |
# | $q$ | the model's distribution (predictions) |
# | $\ln$ | natural log; information measured in **nats** |
# | $\log_2$ | log base 2; information measured in **bits** |
# | $\sigma$ | the sigmoid, $\sigma(x) = 1/(1 + e^{-x})$ |
# | $S(x)$ | the softmax, $S(x)_i = e^{x_i} / \sum_j e^{x_j}$ |
# | $H(p, q)$, $D_{KL}(p\|q)$ | maths order: **targets first**, model second |
#
# `ce_teach` keeps the maths order too: `ct.cross_entropy(p, q)` is $H(p, q)$ and `ct.kl_divergence(p, q)`
# is $D_{KL}(p\|q)$. The framework-named losses keep their framework's order, e.g.
# `ct.softmax_cross_entropy_with_logits(labels, logits)` as in TensorFlow.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## How the sliders work
#
# A slider changes a number and the figure under it redraws in place. Drag the handle, or click the handle
# and press the arrow keys to move it one step at a time. Every slider comes in two parts:
#
# 1. a **static figure**, drawn by an ordinary cell. It is stored in the notebook, so this is what GitHub
#    and nbviewer show;
# 2. the **live figure** with its sliders. It needs a running Python kernel (JupyterLab or Binder); on
#    GitHub the cell shows nothing. Run the cell to get it.
#
# Both are drawn by the same function from `ce_teach.plotting`; the live one only updates what it drew.
#
# Before each slider there is a question. Answer it *before* you touch the slider: a prediction that turns
# out wrong is where the learning happens.
#
# **Predict first:** three outcomes a, b, c get the logits $x = (1, 0, -1)$; the softmax turns them into
# probabilities. Which outcome gets the largest probability? If you set all three logits equal, what are
# the probabilities?

# %%
demo = plotting.draw_distribution(ct.softmax([1.0, 0.0, -1.0]), names=("a", "b", "c"), title="softmax(x)")
plt.show()

# %%
widgets.softmax_entropy(logits=(1.0, 0.0, -1.0))

# %% [markdown]
# The title shows the distribution's entropy, the subject of [01 · Entropy](01_entropy.ipynb).

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
# which runs your function on a few inputs and compares the results with the package's own. Until you
# replace `raise NotImplementedError`, the checker says so:

# %%
def my_entropy(p):
    raise NotImplementedError  # your code here


ct.checks.entropy_bits(my_entropy)

# %% [markdown]
# A wrong answer gets the first input that failed and, for typical mistakes, a hint. This attempt uses the
# natural log although bits were asked for:

# %%
def my_entropy(p):
    return -np.sum(p * np.log(p), axis=-1)


ct.checks.entropy_bits(my_entropy)

# %% [markdown]
# And a correct answer is accepted. Here it is the package's own function, so this proves only that the
# checker works; in [01 · Entropy](01_entropy.ipynb) you write it yourself.

# %%
def my_entropy(p):
    return ct.entropy(p, base=2)


ct.checks.entropy_bits(my_entropy)

# %% [markdown]
# Questions that are not code have their answer folded away in a block like this one; open it after you
# have answered.
#
# <details><summary>Answer</summary>
#
# Like this.
#
# </details>

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A map of `ce_teach`
#
# The maths modules (`information`, `activations`, `losses`, `keras`, `gradients`, `naive`) are pure NumPy
# and never import matplotlib; `plotting`, `widgets` and `checks` are the notebooks' platform. Modules whose
# names start with `_` are internals (input validation, chunked summation). The table below is generated
# from the package's export lists, so it cannot go out of date; `help(ct.entropy)` shows any function's
# formula, shapes and example.

# %%
import inspect
import pkgutil
import textwrap


def home(package, name):
    """The module that defines `package.name`: the submodule that exports this very object, else Python's answer."""
    obj = getattr(package, name)
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if name in getattr(module, "__all__", ()) and getattr(module, name) is obj:
            return module
    return obj if inspect.ismodule(obj) else importlib.import_module(obj.__module__)


packages = {"ct": ct, "ct.checks": ct.checks, "plotting": plotting, "widgets": widgets}
for call_as, package in packages.items():
    print(f"{call_as}.<name>  ({package.__name__})")
    modules = {}
    for name in package.__all__:
        if getattr(package, name) is ct.checks:
            continue  # ct.checks has its own section
        module, obj = home(package, name), getattr(package, name)
        shown = [f"{name}.{member}" for member in obj.__all__] if inspect.ismodule(obj) else [name]
        modules.setdefault(module, []).extend(shown)
    for module, names in modules.items():
        print(f"  {module.__name__.removeprefix(package.__name__ + '.')}: {inspect.getdoc(module).splitlines()[0]}")
        print(textwrap.fill(", ".join(names), width=100, initial_indent=" " * 6, subsequent_indent=" " * 6))

# %% [markdown]
# ## Check yourself
#
# 1. In `ct.kl_divergence(p, q)`, which argument is the model's distribution?
# 2. You open a notebook on GitHub and a slider cell shows nothing. Is the notebook broken?
#
# <details><summary>Answer</summary>
#
# 1. `q`, the second one: maths order, targets first, so `ct.kl_divergence(p, q)` is $D_{KL}(p\|q)$.
# 2. No. GitHub shows stored outputs and has no Python kernel; live figures need one. The static figure
#    just above the slider cell is the same plot, stored in the notebook. Open the notebook on Binder
#    (the badge at the top) to move the slider.
#
# </details>

# %% [markdown]
# ## Takeaways
# - Read the notebooks in order; each one starts with objectives and ends with a self-check.
# - Static figures are for reading anywhere; sliders need a kernel (JupyterLab or Binder).
# - A check cell prints `label | exact | close | max diff` and stops the notebook if a formula is wrong;
#   a checker from `ct.checks` says "not attempted yet", ✗ with a hint, or ✓.
# - Targets first: $H(p, q)$, $D_{KL}(p\|q)$, and `ct.cross_entropy(p, q)`.
#
# **Next:** [01 · Entropy](01_entropy.ipynb).

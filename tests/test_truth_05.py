"""Notebook 05's corrected sentences and seed items, each checked against a computation or a measurement.

- PyTorch's float32 row-1 loss of the 3×10 example is measured here, not recorded: the notebook stores the value
  torch 2.13.0 gives with its AVX-512 kernels and with its AVX2 kernels, and says that it depends on the machine.
- The TensorFlow-on-GPU NaN row of the labels-out-of-range table, consistent with notebook 07.
- Seed 002: the source material's hand-computed softmax path [2.0077198, 0.00928142], sums 2.697068930 (by hand)
  and 2.697068691 (TensorFlow's fused loss), reproduced by a float32 model of TensorFlow's softmax kernel.
- The likelihood thread: log_softmax followed by NLL is softmax cross-entropy (PyTorch's NLLLoss and
  CrossEntropyLoss agree), and the gradient of the batch mean is (S(x) − y)/N.
- The misconception "the loss at initialisation should be near 0": it is ln C.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

import ce_teach as ct

ROOT = Path(__file__).resolve().parents[1]
SOURCE = (ROOT / "notebooks" / "src" / "05_softmax_ce.py").read_text(encoding="utf-8")
PROSE = re.sub(r"\n# ?", " ", SOURCE)  # the markdown with its line breaks joined, for phrases split over lines
NOTEBOOK = nbformat.read(ROOT / "notebooks" / "05_softmax_ce.ipynb", as_version=4)

LOGITS = np.array(
    [
        [
            -3.27133679,
            -22.6687183,
            -4.15501118,
            -5.14916372,
            -5.94609261,
            -6.93373299,
            -5.72364092,
            -9.75725174,
            -3.15748906,
            -4.84012318,
        ],
        [
            -11.7642536,
            -45.3370094,
            -3.17252636,
            4.34527206,
            -17.7164974,
            -0.595088899,
            -17.6322937,
            -2.36941719,
            -6.82157373,
            -3.47369862,
        ],
        [
            -4.55468369,
            -1.07379043,
            -3.73261762,
            -7.08982277,
            -0.0288562477,
            -5.46847963,
            -0.979336262,
            -3.03667569,
            -3.29502845,
            -2.25880361,
        ],
    ],
    dtype=np.float32,
)
LABELS = np.array([2, 3, 4])
TF_FLOAT32 = np.array([2.0077195, 0.009281346, 0.6800677], dtype=np.float32)  # recorded (research/numerics.md §2b)


def stored(name: str) -> np.float32:
    """A float32 constant as the notebook's source stores it: ``NAME = np.float32(value)``."""
    match = re.search(rf"^{name} = np\.float32\(([0-9.e-]+)\)", SOURCE, flags=re.M)
    assert match, f"notebook 05 no longer stores {name}"
    return np.float32(float(match.group(1)))


def outputs() -> str:
    return "\n".join(o.get("text", "") for c in NOTEBOOK.cells if c.cell_type == "code" for o in c.get("outputs", []))


def one_plus_s_logs() -> list[np.float32]:
    """ln of the three float32 numbers nearest above the exact 1 + S of row 1: what any max-shift kernel returns."""
    row = LOGITS[1].astype(np.float64)
    first = np.float32(np.exp(row - row.max()).sum())
    values = [first, np.nextafter(first, np.float32(2))]
    values.append(np.nextafter(values[-1], np.float32(2)))
    return [np.float32(np.log(np.float64(v))) for v in values]


# --- PyTorch, measured ------------------------------------------------------------------------------


TORCH_ROW_1 = """
import numpy as np, torch
logits = np.array({logits}, dtype=np.float32)
loss = torch.nn.functional.cross_entropy(torch.from_numpy(logits), torch.tensor([2, 3, 4]), reduction="none")
print(torch.__version__, torch.backends.cpu.get_cpu_capability(), repr(float(loss[1])))
"""


def measure_torch(capability: str | None) -> tuple[str, str, np.float32]:
    env = dict(os.environ)
    env.pop("ATEN_CPU_CAPABILITY", None)
    if capability:
        env["ATEN_CPU_CAPABILITY"] = capability
    code = TORCH_ROW_1.format(logits=LOGITS.tolist())
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    version, found, value = done.stdout.split()
    return version, found, np.float32(float(value))


def test_torch_row_1_is_the_log_of_a_float32_one_plus_s_on_every_kernel():
    """Machine-independent: whatever PyTorch returns for row 1 is ln of a float32 1 + S (the notebook's story)."""
    pytest.importorskip("torch")
    candidates = one_plus_s_logs()
    for capability in (None, "default"):
        _, _, value = measure_torch(capability)
        assert value in candidates, (capability, value, candidates)


def test_the_stored_torch_values_are_what_torch_2_13_gives_on_its_kernels():
    """The notebook's two stored values, re-measured where the measurement applies (torch 2.13.0, the kernel)."""
    torch = pytest.importorskip("torch")
    if not torch.__version__.startswith("2.13.0"):
        pytest.skip(f"the stored values are torch 2.13.0's, this is {torch.__version__}")
    version, found, value = measure_torch("avx2")
    if found == "AVX2":
        assert value == stored("TORCH_2_13_AVX2") == TF_FLOAT32[1]
    version, found, value = measure_torch("avx512")
    if found == "AVX512":
        assert value == stored("TORCH_2_13_AVX512")
    assert stored("TORCH_2_13_AVX512") == one_plus_s_logs()[1], "one float32 step above the nearest 1 + S"


def test_the_notebook_names_version_and_cpu_and_says_it_depends_on_the_machine():
    assert "torch==2.13.0+cpu" in PROSE and '"AMD EPYC" CPU (`lscpu` model name)' in PROSE
    assert "depends on the machine, the build and the version" in PROSE
    assert '"PyTorch (recorded)"' not in SOURCE, "the old, unmeasured PyTorch value"
    assert "PyTorch AVX-512 (measured)" in outputs() and "0.009281464" in outputs()


# --- TensorFlow on a GPU: NaN (consistent with notebook 07) -----------------------------------------


def test_labels_out_of_range_table_has_the_gpu_nan_row_like_07():
    notebook_07 = (ROOT / "notebooks" / "src" / "07_choosing_a_loss.py").read_text(encoding="utf-8")
    rows_07 = [line.lower() for line in notebook_07.splitlines() if "sparse_softmax_cross_entropy_with_logits" in line]
    assert any("error on cpu" in row and "nan" in row and "gpu" in row for row in rows_07), "07: CPU error, GPU NaN"
    row = next(line for line in SOURCE.splitlines() if "the same op **on a GPU**" in line)
    assert "**silent NaN**" in row and "sparse_xent_op.h" in row and "CheckInvalidLabelIndex" in row


# --- seed 002: the hand-computed softmax path ---------------------------------------------------------


def hand_path(reciprocal_steps_down: int) -> np.ndarray:
    """TensorFlow's softmax kernel in float32 (shift, exp, sum, multiply by the reciprocal), then −ln S(x)_c."""
    shifted = LOGITS - LOGITS.max(axis=1, keepdims=True)
    e = np.exp(shifted.astype(np.float64)).astype(np.float32)
    z = e.astype(np.float64).sum(axis=1).astype(np.float32)
    reciprocal = (1 / z.astype(np.float64)).astype(np.float32)
    for _ in range(reciprocal_steps_down):
        reciprocal = np.nextafter(reciprocal, np.float32(0))
    probs = e * reciprocal[:, None]
    return -np.log(probs[np.arange(3), LABELS].astype(np.float64)).astype(np.float32)


def test_seed_002_hand_path_digits_and_sums_are_reproduced():
    seed = hand_path(1)
    assert np.array2string(seed[:2]) == "[2.0077198  0.00928142]"
    assert f"{seed.sum():.9f}" == "2.697068930" and f"{TF_FLOAT32.sum():.9f}" == "2.697068691"
    assert np.array2string(hand_path(0)[:2]) != "[2.0077198  0.00928142]", "the model needs the low reciprocal"
    text = outputs()
    assert "[2.0077198  0.00928142]  sum of 3 rows 2.697068930" in text
    assert "sum of 3 rows 2.697068691" in text
    assert 'assert np.array2string(seed_path[:2]) == "[2.0077198  0.00928142]"' in SOURCE


# --- the likelihood thread -------------------------------------------------------------------------


def test_log_softmax_then_nll_is_softmax_cross_entropy_in_torch_too():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    x, c = 3 * rng.normal(size=(6, 5)), np.array([0, 4, 2, 2, 1, 3])
    ours = -ct.log_softmax(x)[np.arange(6), c].mean()
    xt, ct_ = torch.tensor(x, requires_grad=True), torch.tensor(c)
    nll = torch.nn.NLLLoss()(torch.log_softmax(xt, dim=1), ct_)
    ce = torch.nn.CrossEntropyLoss()(xt, ct_)
    assert float(nll.detach()) == pytest.approx(float(ce.detach()), rel=1e-15)
    assert float(ce.detach()) == pytest.approx(ours, rel=1e-14)
    assert ours == pytest.approx(float(ct.sparse_softmax_cross_entropy_with_logits(c, x).mean()), rel=1e-15)
    ce.backward()
    np.testing.assert_allclose(xt.grad.numpy(), (ct.softmax(x) - np.eye(5)[c]) / 6, rtol=1e-12, atol=1e-16)


def test_the_notebook_checks_the_batch_mean_gradient_and_nll():
    text = outputs()
    assert "NLL of log_softmax vs softmax cross-entropy" in text
    assert "∂(batch mean)/∂x vs (S(x) - y)/N" in text and "NLLLoss" in SOURCE


# --- misconception: the loss at initialisation is ln C, not 0 ------------------------------------------


def test_initial_loss_is_ln_c():
    rng = np.random.default_rng(0)
    for n_classes in (2, 10, 1000):
        x = 0.01 * rng.normal(size=(2000, n_classes))
        c = rng.integers(0, n_classes, size=2000)
        assert ct.sparse_softmax_cross_entropy_with_logits(c, x).mean() == pytest.approx(np.log(n_classes), abs=0.01)
    assert "loss before training: 2.3026 nats;  ln C = ln 10 = 2.3026" in outputs()


def test_temperature_section_has_distributions_and_a_slider():
    assert "widgets.temperature_explorer(" in SOURCE and "plotting.draw_temperature_panels(" in SOURCE


@pytest.mark.parametrize("shortcut", ["temperature_explorer", "softmax_explorer"])
def test_the_live_figures_between_a_prompt_and_its_reveal_keep_their_start_picture_folded(shortcut):
    (cell,) = [c for c in NOTEBOOK.cells if c.cell_type == "code" and f"widgets.{shortcut}(" in c.source]
    assert cell.metadata.get("jupyter", {}).get("outputs_hidden") is True
    assert [o for o in cell.outputs if "image/png" in o.get("data", {})]
    assert "plotting.draw_softmax_loss(" not in SOURCE  # the widget's own picture replaced the static copy


def test_the_loss_slider_reaches_the_prompts_logits_and_the_readout_shows_the_answers_numbers():
    from ce_teach import widgets

    widget = widgets.softmax_explorer(logits=(2.0, 1.0, -1.0), label=2, names=("cat", "dog", "man"))
    assert "drag the *man* logit down to $-8$, and the *cat* and *dog* logits up to 8" in PROSE
    widget.set(x2=-8.0)
    assert "<b>10.313</b> nats" in widget.readout_text() and "\\approx 10.3$ nats" in PROSE
    widget.set(x0=8.0, x1=8.0)
    assert "<b>16.693</b> nats" in widget.readout_text() and "\\approx 16.7$, past Keras' 16.1" in PROSE


def test_every_static_figure_is_stored_as_a_png():
    """Every static figure is stored as a PNG, also those after a live figure (tests/test_inline_figures.py)."""
    cells = [c for c in NOTEBOOK.cells if c.cell_type == "code" and "plt.show()" in c.source]
    assert cells and all(any("image/png" in o.get("data", {}) for o in c.outputs) for c in cells)

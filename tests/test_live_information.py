"""The live figures of notebooks 00–03 (ce_teach/widgets/information.py and fitting.py), seen as a learner uses them.

tests/test_live.py sweeps every shortcut's tables against its plot; this file checks what that sweep does not:
each shortcut's controls (their ranges and steps), the readout at the positions the notebooks' prose talks
about, and that a learner's wrong arguments are refused with an error that names the argument, its value and
the range it must lie in.
"""

import numpy as np
import pytest
from numpy import ma

import ce_teach as ct
from ce_teach import widgets

LOGITS = tuple(np.round(np.arange(-6.0, 6.25, 0.25), 2).tolist())


def positions(widget) -> dict[str, tuple]:
    return {c.name: c.values for c in widget.controls}


# --- softmax_entropy (00, 01) ---------------------------------------------------------------------


def test_softmax_entropy_has_three_logit_sliders_in_steps_of_a_quarter():
    widget = widgets.softmax_entropy()
    assert positions(widget) == {"x0": LOGITS, "x1": LOGITS, "x2": LOGITS}
    assert [c.label for c in widget.controls] == ["logit x0 (a)", "logit x1 (b)", "logit x2 (c)"]
    assert widget.values == {"x0": 1.0, "x1": 0.0, "x2": -1.0}


def test_softmax_entropy_readout_at_the_positions_of_the_prose():
    widget = widgets.softmax_entropy(logits=(1.0, 0.0, -1.0))  # 00: "≈ 0.665, above ½"
    assert widget.readout_text() == "q = softmax(x) = (0.665, 0.245, 0.090) &nbsp; H(q) = <b>1.2009</b> bits"
    widget = widgets.softmax_entropy(logits=(2.0, 0.0, 0.0))  # 01 starts here
    h_start = f"H(q) = <b>{float(ct.entropy(ct.softmax([2.0, 0, 0]), base=2)):.4f}</b> bits"
    assert widget.readout_text().endswith(h_start) and h_start == "H(q) = <b>0.9602</b> bits"
    widget.set(x0=2.5, x1=2.5, x2=2.5)  # equal logits: log2 3
    assert widget.readout_text() == "q = softmax(x) = (0.333, 0.333, 0.333) &nbsp; H(q) = <b>1.5850</b> bits"
    widget.set(x0=6.0, x1=-6.0, x2=-6.0)  # 01: "as far apart as the sliders go, give 0.0002 bits"
    assert widget.readout_text().endswith("H(q) = <b>0.0002</b> bits")
    widget.set(x0=5.0, x1=3.0, x2=3.0)  # 01: adding the same amount to every logit changes nothing
    assert widget.readout_text().endswith(h_start)


def test_softmax_entropy_in_nats_with_two_logits_and_a_narrower_range():
    widget = widgets.softmax_entropy(logits=(0.5, -0.5), names=("heads", "tails"), base=None, limit=2)
    assert positions(widget) == {"x0": tuple(LOGITS[16:33]), "x1": tuple(LOGITS[16:33])}
    assert widget.readout_text().endswith(f"<b>{float(ct.entropy(ct.softmax([0.5, -0.5]))):.4f}</b> nats")


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"logits": (1.1, 0.0, 0.0)}, ValueError, ["logits[0]", "1.1", "steps of 0.25"]),
        ({"logits": (0.0, 0.0, 6.25)}, ValueError, ["logits[2]", "6.25", "from -6 to 6"]),
        ({"logits": (0.0, 0.0, 3.0), "limit": 2.0}, ValueError, ["logits[2]", "3.0", "from -2 to 2"]),
        ({"logits": (np.nan, 0.0, 0.0)}, ValueError, ["logits", "NaN"]),
        ({"logits": (1.0, 0.0, 0.0, 0.0), "names": "abcd"}, ValueError, ["logits", "2 or 3 logits"]),
        ({"logits": (1.0,), "names": "a"}, ValueError, ["logits", "2 or 3 logits"]),
        ({"logits": ma.array([1.0, 0.0, 0.0], mask=[0, 1, 0])}, TypeError, ["logits", "masked"]),
        ({"logits": "abc"}, TypeError, ["logits"]),
        ({"names": ("a", "b")}, ValueError, ["names", "(3)", "got 2"]),
        ({"limit": 10}, ValueError, ["limit", "10", "6"]),
        ({"limit": 0}, ValueError, ["limit", "0"]),
        ({"limit": 2.1}, ValueError, ["limit", "2.1", "multiple of 0.25"]),
        ({"limit": np.nan}, ValueError, ["limit", "nan"]),
        ({"limit": "6"}, TypeError, ["limit"]),
    ],
)
def test_softmax_entropy_refuses_wrong_arguments_with_the_reason(kwargs, error, words):
    with pytest.raises(error) as caught:
        widgets.softmax_entropy(**kwargs)
    assert all(word in str(caught.value) for word in words), str(caught.value)


# --- kl_explorer (02) -----------------------------------------------------------------------------


def test_kl_explorer_readout_at_the_positions_of_the_prose():
    widget = widgets.kl_explorer(p=(0.6, 0.3, 0.1), q_logits=(0.0, 0.0, 0.0), names="abc")
    assert positions(widget) == {"x0": LOGITS, "x1": LOGITS, "x2": LOGITS}
    assert [c.label for c in widget.controls] == ["q logit x0 (a)", "q logit x1 (b)", "q logit x2 (c)"]
    assert widget.readout_text() == "D(p‖q) = <b>0.2895</b> bits &nbsp; D(q‖p) = <b>0.3470</b> bits"
    for logits in [(0.0, -0.75, -1.75), (1.25, 0.5, -0.5)]:  # the nearest the sliders get to ln p
        widget.set(**{f"x{i}": x for i, x in enumerate(logits)})
        assert widget.readout_text() == "D(p‖q) = <b>0.0007</b> bits &nbsp; D(q‖p) = <b>0.0007</b> bits"
    widget.set(x0=0.0, x1=0.0, x2=-6.0)  # c squeezed out as far as the slider goes
    assert widget.readout_text() == "D(p‖q) = <b>0.5719</b> bits &nbsp; D(q‖p) = <b>0.2270</b> bits"


def test_kl_explorer_with_an_impossible_outcome_shows_infinity_in_red():
    widget = widgets.kl_explorer(p=(1.0, 0.0, 0.0))
    assert "D(q‖p) = <b><b style='color:#C44E52'>∞</b></b> bits" in widget.readout_text()


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"p": (0.6, 0.3, 0.2)}, ValueError, ["p", "sum to 1"]),
        ({"p": (0.5, 0.5)}, ValueError, ["p", "one probability per logit"]),
        ({"p": [[0.5, 0.5], [1.0]]}, ValueError, ["p", "rows of different lengths"]),
        ({"p": ma.array([0.6, 0.3, 0.1], mask=[0, 1, 0])}, TypeError, ["p", "masked", "p[~p.mask]"]),
        ({"p": (np.nan, 0.5, 0.5)}, ValueError, ["p", "NaN"]),
        ({"p": (1.2, -0.3, 0.1)}, ValueError, ["p"]),
        ({"q_logits": (0.0, 0.0)}, ValueError, ["p", "one probability per logit of q_logits (2)", "got 3"]),
        ({"q_logits": (0.0, 0.1, 0.0)}, ValueError, ["q_logits[1]", "0.1", "steps of 0.25"]),
        ({"q_logits": (0.0, 0.0, -10.0)}, ValueError, ["q_logits[2]", "-10.0", "from -6 to 6"]),
        ({"names": ("a", "b")}, ValueError, ["names", "got 2"]),
        ({"limit": 8}, ValueError, ["limit", "8"]),
    ],
)
def test_kl_explorer_refuses_wrong_arguments_with_the_reason(kwargs, error, words):
    with pytest.raises(error) as caught:
        widgets.kl_explorer(**kwargs)
    assert all(word in str(caught.value) for word in words), str(caught.value)


# --- true_class_loss and true_class_loss_log (03) -------------------------------------------------


def test_true_class_loss_runs_over_q_in_thousandths_and_shows_infinity_at_zero():
    widget = widgets.true_class_loss()
    (control,) = widget.controls
    assert control.values[:3] == (0.0, 0.001, 0.002) and control.values[-1] == 1.0 and len(control.values) == 1001
    assert widget.readout_text() == f"q(true class) = 0.700: loss = −log q = <b>{-np.log(0.7):.4f}</b> nats"
    widget.set(q=0.0)
    assert widget.readout_text() == "q(true class) = 0.000: loss = −log q = <b><b style='color:#C44E52'>∞</b></b> nats"
    widget.set(q=1.0)
    assert widget.readout_text().endswith("<b>0.0000</b> nats"), "−log 1 is 0, not −0"


def test_true_class_loss_log_runs_over_log10_q_in_hundredths():
    widget = widgets.true_class_loss_log()
    (control,) = widget.controls
    assert (control.name, control.values[0], control.values[-1], len(control.values)) == ("log10_q", -16.0, 0.0, 1601)
    q = 10.0**-0.3  # 03: "It starts at −0.30, q = 0.501"; "at q = 0.5 the loss is ln 2 ≈ 0.69 nats"
    assert widget.readout_text() == (
        f"q = 0.501: loss = −log q = <b>{-np.log(q):.4f}</b> nats = <b>{-np.log(q) / np.log(2):.4f}</b> bits"
    )
    assert f"{-np.log(q):.2f}" == "0.69"
    widget.set(log10_q=-2.0)  # 03: "At q = 0.01 the loss is ln 100 ≈ 4.61"
    assert widget.readout_text().startswith("q = 0.01: loss = −log q = <b>4.6052</b> nats")
    widgets.true_class_loss_log(log10_q=-16.0)  # both ends are positions
    assert widgets.true_class_loss_log(log10_q=0, base=2).readout_text() == "q = 1: loss = −log q = <b>0.0000</b> bits"


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: widgets.true_class_loss(1.5), ValueError, ["q", "[0, 1]", "1.5"]),
        (lambda: widgets.true_class_loss(np.nan), ValueError, ["q", "[0, 1]"]),
        (lambda: widgets.true_class_loss(True), TypeError, ["q"]),
        (lambda: widgets.true_class_loss(0.0005), ValueError, ["q", "0.0005", "not a position"]),
        (lambda: widgets.true_class_loss_log(0.5), ValueError, ["log10_q", "[−16, 0]", "0.5"]),
        (lambda: widgets.true_class_loss_log(-17.0), ValueError, ["log10_q", "[−16, 0]", "-17.0"]),
        (lambda: widgets.true_class_loss_log(-0.155), ValueError, ["log10_q", "steps of 0.01", "-0.155"]),
        (lambda: widgets.true_class_loss_log(np.nan), ValueError, ["log10_q", "nan"]),
        (lambda: widgets.true_class_loss_log("-0.5"), TypeError, ["log10_q"]),
        (lambda: widgets.true_class_loss_log(q=0.7), TypeError, ["q"]),
    ],
)
def test_the_loss_sliders_refuse_wrong_arguments_with_the_reason(make, error, words):
    with pytest.raises(error) as caught:
        make()
    assert all(word in str(caught.value) for word in words), str(caught.value)


# --- kl_fits (02) ---------------------------------------------------------------------------------


def test_kl_fits_has_81_separations_and_the_fits_of_the_notebook():
    widget = widgets.kl_fits(separation=3.0)
    (control,) = widget.controls
    assert control.values == tuple(np.round(np.arange(0.0, 8.05, 0.1), 1).tolist())
    grid = np.linspace(-8.0, 8.0, 400)
    fitter = ct.fitting.NormalFitter(grid)  # notebook 02's search
    for separation in (0.0, 3.0, 4.5, 8.0):
        widget.set(separation=separation)
        p = ct.fitting.mixture_on_grid(grid, [-separation / 2, separation / 2], [0.8, 0.8], [0.4, 0.6])
        forward, reverse = fitter.fit(p, "forward"), fitter.fit(p, "reverse")
        state = widget.state()
        assert (state["forward_mean"].item(), state["forward_std"].item()) == (forward.mean, forward.std)
        assert (state["reverse_mean"].item(), state["reverse_std"].item()) == (reverse.mean, reverse.std)
        text = widget.readout_text()
        assert f"sd = <b>{reverse.std:.2f}</b>" in text and "−0.00" not in text and "-0.00" not in text


def test_kl_fits_reverse_fit_jumps_between_separations_4_and_5():
    """02's answer: 'between separations 4 and 5 it jumps onto the heavier right bump' (the slider shows where)."""
    widget = widgets.kl_fits()
    means = []
    for separation in widget.controls[0].values:
        widget.set(separation=separation)
        means.append(widget.state()["reverse_mean"].item())
    jump = int(np.argmax(np.abs(np.diff(means))))
    assert 4.0 <= widget.controls[0].values[jump] < 5.0 and means[jump + 1] - means[jump] > 1.0


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"separation": 3.05}, ValueError, ["separation", "3.05", "steps of 0.1"]),
        ({"separation": 8.5}, ValueError, ["separation", "8.5", "[0, 8]", "max_separation"]),
        ({"separation": -0.1}, ValueError, ["separation", "-0.1"]),
        ({"separation": np.nan}, ValueError, ["separation", "nan"]),
        ({"separation": True}, TypeError, ["separation"]),
        ({"max_separation": "8"}, TypeError, ["max_separation"]),
        ({"max_separation": 0.0}, ValueError, ["max_separation"]),
        ({"max_separation": 8.05}, ValueError, ["max_separation", "8.05", "multiple of 0.1"]),
        ({"max_separation": 1000.0}, ValueError, ["max_separation", "1000.0", "up to 100"]),
        ({"weight": 1.5}, ValueError, ["weight", "1.5", "(0, 1)"]),
        ({"std": 0.0}, ValueError, ["std", "0.0"]),
        ({"grid": [0.0, 1.0, 3.0]}, ValueError, ["grid", "evenly spaced"]),
    ],
)
def test_kl_fits_refuses_wrong_arguments_with_the_reason(kwargs, error, words):
    with pytest.raises(error) as caught:
        widgets.kl_fits(**kwargs)
    assert all(word in str(caught.value) for word in words), str(caught.value)


def test_kl_fits_with_a_wider_range():
    widget = widgets.kl_fits(separation=12.0, max_separation=12.0)
    assert widget.controls[0].values[-1] == 12.0 and widget.values == {"separation": 12.0}

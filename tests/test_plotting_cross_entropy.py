"""The new figures of notebook 03: H(p, q) against q, −log q on a log axis, the bigram counts, loss against k."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import ce_teach as ct
from ce_teach import plotting


def test_cross_entropy_curve_has_its_minimum_h_p_at_q_equal_p():
    plot = plotting.draw_cross_entropy_vs_q(0.7)
    q_best, h = plot.update(0.7)
    assert q_best == pytest.approx(0.7, abs=1e-3) and h == pytest.approx(float(ct.entropy([0.7, 0.3])))
    q, ce = plot.curve.get_data()
    gap = ce - h
    np.testing.assert_allclose(
        gap,
        ct.kl_divergence(np.broadcast_to([0.7, 0.3], (q.size, 2)), np.stack([q, 1 - q], axis=1)),
        rtol=1e-9,
        atol=1e-12,
    )
    assert gap.min() >= -1e-15 and "nats" in plot.ax.get_ylabel()
    assert plot.update(0.2)[0] == pytest.approx(0.2, abs=1e-3)
    with pytest.raises(ValueError, match="p must be a probability"):
        plot.update(1.5)
    plt.close("all")


def test_surprise_on_a_log_axis_is_a_straight_line_without_a_ceiling():
    plot = plotting.draw_surprise_log(0.7)
    q, loss = plot.curve.get_data()
    assert plot.ax.get_xscale() == "log" and q[0] == pytest.approx(1e-16)
    slopes = np.diff(loss) / np.diff(np.log(q))
    np.testing.assert_allclose(slopes, -1.0, rtol=1e-9)  # straight on a log axis
    assert plot.ax.get_ylim()[1] > -np.log(1e-16)  # the whole line is visible: no cap at 8 nats
    assert isinstance(plot, plotting.SurpriseLogPlot) and plot.values == {"log10_q": np.log10(0.7)}
    assert plot.update(log10_q=-np.inf)["loss"].item() == np.inf, "q = 0: an infinite loss"
    assert np.isnan(plot.marker.get_xdata()).all(), "q = 0 has no place on a log axis: the marker hides"
    state = plot.update(log10_q=0.0)
    assert state["loss"].item() == 0.0 and not np.signbit(state["loss"]).any()
    assert plot.marker.get_data() == ([1.0], [0.0])
    assert plot.readout_text() == "q = 1: loss = −log q = <b>0.0000</b> nats = <b>0.0000</b> bits"
    plot.update(log10_q=-16.0)
    assert plot.marker.get_xdata()[0] == 1e-16, "the left end of the slider is on the axis"
    assert plot.readout_text() == (
        f"q = 1e−16: loss = −log q = <b>{-np.log(1e-16):.4f}</b> nats = <b>{-np.log2(1e-16):.4f}</b> bits"
    )
    with pytest.raises(ValueError):
        plotting.draw_surprise_log(qmin=0.5)
    with pytest.raises(ValueError, match="log10_q must be at most 0"):
        plot.update(log10_q=0.5)
    with pytest.raises(ValueError, match=r"q must be a probability in \[0, 1\]"):
        plotting.draw_surprise_log(1.5)
    plt.close("all")


def test_surprise_log_state_on_the_slider_equals_the_scalar_loss_bit_for_bit():
    plot = plotting.draw_surprise_log(0.5, base=None)
    exponents = np.round(np.arange(-16.0, 0.005, 0.01), 2)
    state = plot.state(log10_q=exponents[:, None])
    for k in range(0, exponents.size, 37):
        # numpy's power, one value at a time (Python's float ** differs from it in the last bit at some exponents)
        q = (10.0 ** np.array([exponents[k]]))[0]
        assert state["q"][k, 0] == q and state["marker.x"][k, 0] == q
        assert state["loss"][k, 0] == -np.log(q) + 0.0 and state["bits"][k, 0] == -np.log(q) / np.log(2) + 0.0
        one = plot.state_at(log10_q=exponents[k])
        assert all(np.array_equal(one[key], state[key][k]) for key in state), exponents[k]
    assert np.isfinite(state["marker.x"]).all(), "every position of the slider is on the axis"


def test_bigram_counts_heat_map_leaves_unseen_pairs_white():
    train, _ = ct.bigram.split(ct.bigram.TEXT, held_out=0.2)
    counts = ct.bigram.count(train)
    plot = plotting.draw_bigram_counts(counts)
    shown = plot.image.get_array()
    assert shown.shape == (31, 31) and int(np.ma.count_masked(shown)) == int((counts == 0).sum())
    assert plot.update(counts) == int((counts == 0).sum())
    assert "next character" in plot.ax.get_xlabel() and "previous character" in plot.ax.get_ylabel()
    with pytest.raises(ValueError):
        plotting.draw_bigram_counts(counts[:5])
    with pytest.raises(ValueError):
        plot.update(-counts)
    plt.close("all")


def test_loss_vs_k_finds_the_best_held_out_k():
    train, held_out = ct.bigram.split(ct.bigram.TEXT, held_out=0.2)
    ks = np.array([0.01, 0.1, 0.3, 1.0, 3.0])
    plot = plotting.draw_loss_vs_k(train, held_out, ks=ks)
    assert plot.best_k == 0.3
    expected = [ct.bigram.fit(train, order=2, k=k).bits_per_char(held_out) for k in ks]
    np.testing.assert_allclose(plot.held_out_bigram, expected, rtol=1e-12)
    assert "bits per character" in plot.ax.get_ylabel() and plot.ax.get_xscale() == "log"
    with pytest.raises(ValueError):
        plotting.draw_loss_vs_k(train, held_out, ks=[0.0, 1.0])
    plt.close("all")

"""ce_teach.plotting.coding: the code tree and the block-coding figure."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import ce_teach as ct  # noqa: E402
from ce_teach import plotting  # noqa: E402


def test_code_tree_places_leaves_on_their_shares():
    tree = plotting.draw_code_tree(["0", "10", "110", "111"], names="ABCD", p=[0.5, 0.25, 0.125, 0.125])
    assert len(tree.leaves) == 4 and len(tree.edges) == 6
    widths = [bar.get_width() for bar in tree.strip]
    assert widths == [0.5, 0.25, 0.125, 0.125]
    assert [leaf.get_position()[0] for leaf in tree.leaves] == [0.25, 0.625, 0.8125, 0.9375]
    assert "Kraft" in tree.ax.get_title() and tree.ax.get_xlabel()
    plt.close("all")


def test_code_tree_rejects_a_non_prefix_code():
    with pytest.raises(ValueError, match="prefix code"):
        plotting.draw_code_tree(["0", "01"])
    with pytest.raises(ValueError, match="names"):
        plotting.draw_code_tree(["0", "1"], names="ABC")


def test_block_rates_lie_between_the_bounds_and_update():
    p = np.array([0.8, 0.2])
    plot = plotting.draw_block_rates(p, range(1, 6))
    h = float(ct.entropy(p, base=2))
    rates = plot.rates.get_ydata()
    assert np.all(rates >= h) and np.all(rates < h + 1 / np.arange(1, 6))
    assert "bits" in plot.ax.get_ylabel()
    new = plot.update([0.9, 0.1])
    assert np.array_equal(plot.rates.get_ydata(), new) and not np.array_equal(new, rates)
    with pytest.raises(ValueError, match="ks"):
        plotting.draw_block_rates(p, [0, 1])
    plt.close("all")

"""The log-axis slider of notebook 03 (widgets.true_class_loss_log), driven over its whole range and beyond."""

import re

import numpy as np
import pytest
from widget_checks import artists, assert_clean, count_redraws, draw_for_real

from ce_teach import widgets


def _bold(widget) -> list[float]:
    return [float(s.replace("∞", "inf")) for s in re.findall(r"<b>([^<]+)</b>", widget.readout.value)]


def test_every_position_shows_the_loss_in_nats_and_bits():
    widget = widgets.true_class_loss_log(q=0.7)
    before, redraws = artists(widget), count_redraws(widget)
    for exponent in [*np.linspace(-16, 0, 33), -1e9, 1e9]:  # beyond the ends: the slider clamps
        widget.log10_q.value = exponent
        q = 10.0**widget.log10_q.value
        nats, bits = _bold(widget)
        assert nats == pytest.approx(-np.log(q), abs=1e-4) and bits == pytest.approx(-np.log2(q), abs=1e-4)
        x, y = widget.plot.marker.get_data()
        assert x[0] == pytest.approx(q) and y[0] == pytest.approx(-np.log(q))
        assert_clean(widget)
    assert artists(widget) == before and len(redraws) >= 30
    assert widget.log10_q.min == -16.0 and widget.log10_q.max == 0.0


@pytest.mark.parametrize("exponent", [-16.0, 0.0])
def test_the_ends_draw_cleanly(exponent):
    widget = widgets.true_class_loss_log(q=0.7)
    widget.log10_q.value = exponent
    draw_for_real(widget)
    assert "-0.0" not in widget.readout.value


def test_a_q_outside_the_slider_is_refused():
    with pytest.raises(ValueError, match="q must be in"):
        widgets.true_class_loss_log(q=0.0)

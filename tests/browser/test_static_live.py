"""A static page of live figures (ce_teach.widgets.embed, what the site and the decks use), opened from a file
with nothing but files loaded: a slider and a choice both move their figure, and two figures on one page
are independent. The notebooks' figures are moved on the site and in a deck (test_site.py, test_present.py);
this page also has a choice control, which no ported notebook figure may have yet."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ce_teach import entropy
from ce_teach.plotting._live import LivePlot, stack_last
from ce_teach.widgets import embed, live

from .static_live import move_every_control, offline, snapshot


class CoinInUnits(LivePlot):
    """A coin's entropy in bits or nats: a marker on fixed axes and a readout; one slider, one choice."""

    labels = {"p": "p = P(heads)", "unit": "unit"}

    def __init__(self, p: float = 0.5, unit: str = "bits"):
        self.values = {"p": p, "unit": unit}
        self.readout = "H = <b>{H:.4f}</b>"
        self.figure = Figure(figsize=(4, 3))
        ax = self.figure.add_subplot()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.1)
        (marker,) = ax.plot([], [], "o", markersize=8)
        self.moving = {"marker": marker}
        self.update()

    def state(self, p, unit):
        h = entropy(stack_last(p, 1.0 - p), base=2 if unit == "bits" else None)[..., None]
        return {"marker.x": p, "marker.y": h, "H": h}


def test_a_slider_and_a_choice_move_their_own_figure_on_a_page_opened_from_a_file(browser, tmp_path):
    first = live(CoinInUnits(), p=(0.0, 1.0, 0.05), unit=[("bits", "bits"), ("nats", "nats")])
    second = live(CoinInUnits(p=0.25), p=(0.0, 1.0, 0.25))
    page_file = tmp_path / "page.html"
    page_file.write_text(embed.preview_page([first, second]), encoding="utf-8")
    page = browser.new_page()
    refused, errors = offline(page)
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        figures = page.locator(".ce-live")
        assert figures.count() == 2
        other = snapshot(figures.nth(1))
        assert move_every_control(page, figures.nth(0), "first figure") == 3 + 2  # End, Home, →; two clicks
        assert snapshot(figures.nth(1)) == other, "moving one figure changed the other"
        assert move_every_control(page, figures.nth(1), "second figure") == 3
        # where the first figure ended: p = 0.05 (→ from 0), in bits (the start choice, clicked back last)
        state = figures.nth(0).evaluate("(el) => el.ceLive.current()")
        expected = first.plot.state_at(p=0.05, unit="bits")
        assert state["index"] == [1, 0]
        assert np.float32(state["parts"]["marker.y"][0]) == np.float32(expected["marker.y"][0])
        assert state["readout"] == first.plot.readout_text(expected)
        assert not errors, errors[:3]
        assert not refused, refused[:5]
    finally:
        page.close()
        first.close()
        second.close()

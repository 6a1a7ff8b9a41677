"""The Feeds page of a demo home: its outlets are registered disabled, and the page says why (AppTest)."""
from __future__ import annotations

from pipeline.dashboard.routes import ROUTES
from tests.dashboard.conftest import open_page

FEEDS = next(route for route in ROUTES if route.name == "feeds")


def test_the_feeds_page_says_why_the_demo_feeds_are_disabled(monkeypatch, demo_home):
    app = open_page(monkeypatch, demo_home.home, FEEDS)
    assert set(app.dataframe[0].value["health"]) == {"disabled"}
    # no feed polled: six zero cards beside this one read as none working
    assert {m.label: int(m.value) for m in app.metric} == {"Disabled": 20}
    assert any(c.value.startswith("20 disabled feed(s) are not polled") for c in app.caption), \
        [c.value for c in app.caption]

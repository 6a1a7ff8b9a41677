"""OutletDays: window sums of a series' articles per outlet, as the source gate reads them."""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from pipeline.signals.sources import OutletDays, Sources
from pipeline.store.indicators import Window

FIRST = date(2026, 3, 1)
KEY = ("CHN", "USA", "trade")


def day(n: int) -> date:
    return FIRST + timedelta(days=n)


def outlet_days(rows, keys=(KEY,)) -> OutletDays:
    """rows: (day number, outlet, articles) of KEY, or (key, day number, outlet, articles) with `keys`."""
    rows = sorted((0, *row) if len(row) == 3 else (keys.index(row[0]), *row[1:]) for row in rows)
    names = ("series", "day", "outlet", "articles")
    columns = {name: np.array([row[i] for row in rows]) for i, name in enumerate(names)}
    return OutletDays(list(keys), columns, FIRST)


def test_window_sums_count_only_the_windows_days():
    counts = outlet_days([(0, "b", 5), (3, "a", 2), (4, "b", 1), (5, "a", 4), (9, "c", 7)])
    assert counts.sources(Window(*KEY, day(3), day(5))) == Sources(7, 2, "a", 6)
    assert counts.sources(Window(*KEY, day(0), day(9))) == Sources(19, 3, "c", 7)
    assert counts.per_outlet(KEY, day(0), day(9)).tolist() == [6, 6, 7]


def test_ties_go_to_the_alphabetically_first_outlet():
    counts = outlet_days([(1, "zeta", 3), (1, "alpha", 3), (2, "mid", 1)])
    assert counts.sources(Window(*KEY, day(0), day(2))).top_outlet == "alpha"


def test_days_outside_the_span_and_unknown_series_count_nothing():
    counts = outlet_days([(0, "a", 2), (29, "a", 3)])
    assert counts.per_outlet(KEY, day(-10), day(40)).tolist() == [5]
    assert counts.per_outlet(KEY, day(-10), day(-1)).tolist() == [0]
    assert counts.per_outlet(KEY, day(31), day(40)).tolist() == [0]
    assert counts.sources(Window("IND", "USA", "trade", day(0), day(29))) == Sources(0, 0, None, 0)


def test_usual_share_of_an_outlet():
    counts = outlet_days([(n, "a", 1) for n in range(10)] + [(n, "b", 3) for n in range(10)])
    assert np.isclose(counts.share(KEY, "a", day(0), day(9)), 0.25)
    assert counts.share(KEY, "nobody", day(0), day(9)) == 0.0
    assert counts.share(KEY, "a", day(20), day(25)) == 0.0  # no articles then


def test_pair_level_series_have_no_topic():
    counts = outlet_days([(("CHN", "USA", None), 2, "a", 4)], keys=(KEY, ("CHN", "USA", None)))
    assert counts.sources(Window("CHN", "USA", None, day(0), day(6))) == Sources(4, 1, "a", 4)
    assert counts.sources(Window(*KEY, day(0), day(6))) == Sources(0, 0, None, 0)

"""Who published a series' articles, day by day: the source-diversity gate's input, summed per window."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from ..store import indicators
from ..store.indicators import Window

SeriesKey = tuple[str, str, str | None]  # iso_a, iso_b, topic (None: the whole pair)


@dataclass(frozen=True)
class Sources:
    """Who published a window's articles."""
    articles: int
    outlets: int
    top_outlet: str | None
    top_outlet_articles: int


class OutletDays:
    """Articles per series, day and outlet from `first_day` on, kept sparse (a series may have many outlets):
    a window is a slice of its series' rows, found by binary search on the day."""

    def __init__(self, keys: list[SeriesKey], columns: dict[str, np.ndarray], first_day: date):
        self.first_day = first_day
        self.outlets, self.codes = np.unique(np.asarray(columns["outlet"], dtype=object), return_inverse=True)
        self.days, self.articles = np.asarray(columns["day"]), np.asarray(columns["articles"], dtype=float)
        bounds = np.searchsorted(np.asarray(columns["series"]), np.arange(len(keys) + 1))
        self.rows = {key: (int(bounds[i]), int(bounds[i + 1])) for i, key in enumerate(keys)}

    def per_outlet(self, key: SeriesKey, first: date, last: date) -> np.ndarray:
        """The series' articles per outlet (in self.outlets order) over [first, last]."""
        start, stop = self.rows.get(key, (0, 0))
        days = self.days[start:stop]
        begin, end = start + np.searchsorted(days, [(first - self.first_day).days, (last - self.first_day).days + 1])
        return np.bincount(self.codes[begin:end], weights=self.articles[begin:end], minlength=len(self.outlets))

    def sources(self, window: Window) -> Sources:
        counts = self.per_outlet((window.iso_a, window.iso_b, window.topic), window.first_day, window.last_day)
        if not counts.any():
            return Sources(0, 0, None, 0)
        top = int(np.argmax(counts))  # outlets are sorted: a tie goes to the alphabetically first
        return Sources(int(counts.sum()), int(np.count_nonzero(counts)), str(self.outlets[top]), int(counts[top]))

    def share(self, key: SeriesKey, outlet: str | None, first: date, last: date) -> float:
        """The share of the series' articles over [first, last] that `outlet` published (0.0 without any)."""
        counts = self.per_outlet(key, first, last)
        total = counts.sum()
        found = np.flatnonzero(self.outlets == outlet)
        return float(counts[found[0]] / total) if total and found.size else 0.0


def fetch_outlet_days(con, windows: list[Window], days_before: int = 0) -> OutletDays:
    """OutletDays for the series of `windows`, from `days_before` days before the earliest one to the last."""
    keys = sorted({(window.iso_a, window.iso_b, window.topic) for window in windows}, key=str)
    if not keys:
        return OutletDays([], {"series": [], "day": [], "outlet": [], "articles": []}, date.min)
    first = min(window.first_day for window in windows) - timedelta(days=days_before)
    last = max(window.last_day for window in windows)
    return OutletDays(keys, indicators.series_outlet_days(con, keys, first, last), first)

"""How many baseline articles each stream gets on each day of the window (weekday rhythm, events, noise)."""
from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from pipeline.demo.scenario import Scenario

WINDOW_MONTHS = 24
DRAW_CHUNK = 65_536  # articles assigned per rng.choices call: keeps memory flat at 1M articles
EVENT_TEXT_FLOOR = 0.5  # event headlines only while the event at least adds half the usual coverage


@dataclass(frozen=True)
class Window:
    """The days [first_day, end) covered by the corpus: the 24 months before `end`, or from `covers_from`."""
    first_day: date
    end: date

    @classmethod
    def ending(cls, end: date, covers_from: date | None = None) -> Window:
        first = _months_before(end, WINDOW_MONTHS)
        return cls(min(first, covers_from) if covers_from and covers_from < end else first, end)

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range((self.end - self.first_day).days)]

    def index(self, day: date) -> int | None:
        offset = (day - self.first_day).days
        return offset if 0 <= offset < (self.end - self.first_day).days else None


def _months_before(day: date, months: int) -> date:
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class EventText:
    """On a day, a stream's articles tell an event's story with `probability`; which event by weight."""
    probability: float
    events: tuple[tuple[int, tuple[str, str]], ...]  # (event index, pair as the event lists it)
    cum_weights: tuple[float, ...]


@dataclass(frozen=True)
class BaselinePlan:
    window: Window
    expected: list[list[float]]  # [day][stream] expected articles (no noise)
    counts: list[list[int]]  # [day][stream] articles to write
    event_text: dict[tuple[int, int], EventText]  # (day, stream) -> event story share


def plan_baseline(scenario: Scenario, window: Window, articles: int, rng: random.Random) -> BaselinePlan:
    """Spread exactly `articles` over days x streams: a multinomial draw over noisy event-shaped rates."""
    days = window.days
    transient, lasting, event_text = _event_surpluses(scenario, days)
    smooth = [
        [stream.weekly / 7 * scenario.settings.weekday_factors[day.weekday()] * (1 + transient[d][s] + lasting[d][s])
         for s, stream in enumerate(scenario.streams)]
        for d, day in enumerate(days)
    ]
    total = sum(map(sum, smooth))
    expected = [[articles * rate / total for rate in row] for row in smooth]
    noisy = _with_noise(smooth, scenario, rng)
    return BaselinePlan(window, expected, _multinomial(noisy, articles, rng), event_text)


def _event_surpluses(scenario: Scenario, days: list[date]):
    width = len(scenario.streams)
    transient = [[0.0] * width for _ in days]
    lasting = [[0.0] * width for _ in days]
    stories: dict[tuple[int, int], list[tuple[float, int, tuple[str, str]]]] = {}
    for e, event in enumerate(scenario.events):
        for pair in event.pairs:
            for topic in event.topics:
                s = scenario.stream_index(pair, topic)
                for d, day in enumerate(days):
                    passing, staying = event.surplus(day, scenario.settings.lead_share)
                    transient[d][s] += passing
                    lasting[d][s] += staying
                    if passing > EVENT_TEXT_FLOOR and day >= event.day:  # the build-up is not yet news
                        stories.setdefault((d, s), []).append((passing, e, pair))
    event_text = {
        (d, s): EventText(
            probability=sum(weight for weight, _, _ in story) / (1 + transient[d][s] + lasting[d][s]),
            events=tuple((e, pair) for _, e, pair in story),
            cum_weights=tuple(accumulate(weight for weight, _, _ in story)),
        )
        for (d, s), story in stories.items()
    }
    return transient, lasting, event_text


def _with_noise(smooth: list[list[float]], scenario: Scenario, rng: random.Random) -> list[list[float]]:
    settings = scenario.settings
    noisy = []
    for row in smooth:
        day_factor = rng.lognormvariate(0.0, settings.day_noise_sigma)
        noisy.append([rate * day_factor * rng.lognormvariate(0.0, settings.stream_noise_sigma) for rate in row])
    return noisy


def _multinomial(weights: list[list[float]], articles: int, rng: random.Random) -> list[list[int]]:
    width = len(weights[0])
    cum_weights = list(accumulate(rate for row in weights for rate in row))
    flat = [0] * len(cum_weights)
    cells = range(len(cum_weights))
    for drawn in range(0, articles, DRAW_CHUNK):
        for cell in rng.choices(cells, cum_weights=cum_weights, k=min(DRAW_CHUNK, articles - drawn)):
            flat[cell] += 1
    return [flat[start:start + width] for start in range(0, len(flat), width)]

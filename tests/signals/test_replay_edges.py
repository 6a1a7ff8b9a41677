"""The replay's edges in a real warehouse (written through the store's write path, tests/dashboard/factory.py): a rise
that fires for longer than the cool-down, and the day the screening starts from."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from pipeline.signals import screen_alerts
from pipeline.store.reader import open_snapshot
from tests.dashboard.factory import Story
from tests.signals.test_quiet_pair import LAST, OUTLETS, QUIET_FROM, quiet_pair_warehouse

STEP = date(2025, 12, 1)  # CHN-RUS trade triples from here on, and stays there


def stepped_trade_stories() -> list[Story]:
    """A steady weekday rhythm from three outlets in turn, tripled from STEP: burst_weekday fires on most days of the
    two weeks after it, longer than the 7-day cool-down."""
    stories, day = [], QUIET_FROM
    while day <= LAST:
        count = (8 if day.weekday() < 5 else 4) * (3 if day >= STEP else 1)
        stories += [Story(f"b{day:%Y%m%d}{n}", day, (OUTLETS[n % 3],), f"Trade {n}", "China and Russia expand trade.",
                          ("trade",)) for n in range(count)]
        day += timedelta(days=1)
    return stories


@pytest.fixture(scope="module")
def stepped_home(tmp_path_factory):
    return quiet_pair_warehouse(tmp_path_factory, "stepped", stepped_trade_stories())


def alert_days(screening) -> list[tuple[str, str, date]]:
    return [(alert.rule, alert.series, alert.day) for alert in screening.alerts]


def test_a_long_rise_alerts_on_the_same_days_whatever_day_the_screening_starts(stepped_home):
    """The replay began cooldown_days before --since: a series firing on its first days raised an alert there that
    an earlier one had muted, which moved every later alert. --since 2025-12-10 listed 12-10 and 12-17 where the full
    replay says 12-16, and each daily run (lookback 7) posted the long rise again, dated a day later than the last."""
    with open_snapshot(stepped_home) as con:
        full = screen_alerts(con, date(2025, 1, 1))
        assert len(full.alerts) >= 2  # the rise alerts more than once: the cool-down chains
        for offset in range(21):
            since = STEP + timedelta(days=offset)
            assert alert_days(screen_alerts(con, since)) == [a for a in alert_days(full) if a[2] >= since], since


# Before migration 0009 a date before 1900 (.NET's 0001-01-01 "no date") was filed as given; stored articles keep it.
LEGACY = Story("legacy", date(1, 1, 1), ("wire",), "Old", "Iran and Japan discuss military ties.", ("military",))


def test_a_legacy_article_filed_before_1900_is_not_where_the_data_starts(stepped_home, tmp_path_factory):
    """The engine took 0001-01-01 for the data's first day: no warm-up, and the months before the real data counted as
    healthy days without articles, so the steady background (8 articles a weekday throughout) alerted 11 times, a
    "first co-mention" on the data's first day and surge_52w "x4.8" all autumn; --since 0001-01-01 ended in an
    OverflowError. The same stories without the legacy article are the stepped home's."""
    legacy = quiet_pair_warehouse(tmp_path_factory, "legacy", stepped_trade_stories() + [LEGACY])
    with open_snapshot(stepped_home) as con:
        expected = alert_days(screen_alerts(con, date(2025, 1, 1)))
    with open_snapshot(legacy) as con:
        assert alert_days(screen_alerts(con, date(2025, 1, 1))) == expected
        assert alert_days(screen_alerts(con, date(1, 1, 1))) == expected

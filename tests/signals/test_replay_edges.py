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


def alert_days(screening) -> list[tuple[str, str, date, date | None]]:
    return [(alert.rule, alert.series, alert.day, alert.continues) for alert in screening.alerts]


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


def test_a_long_rises_later_alerts_say_they_continue_its_first(stepped_home):
    """One story alerting again once the cool-down ended read as a fresh rise ("x10.1" on the demo's CHN-USA diplomacy,
    its baseline leaving out the first burst): each alert within the cool-down plus its window of the pair's previous
    one names the day of the episode's first alert, in its line and its JSON; the first alert names none."""
    with open_snapshot(stepped_home) as con:
        alerts = sorted(screen_alerts(con, date(2025, 1, 1)).alerts, key=lambda alert: alert.day)
    first = alerts[0]
    assert first.day >= STEP and first.continues is None and first.to_dict()["continues"] is None
    assert [alert.continues for alert in alerts[1:]] == [first.day] * (len(alerts) - 1)
    assert all(alert.day - before.day <= timedelta(days=7 + alert_rule_window(alert))
               for before, alert in zip(alerts, alerts[1:]))
    assert alerts[1].to_dict()["continues"] == first.day.isoformat()
    assert alerts[1].summary.endswith(f", continuing the pair's alerts from {first.day}")


def alert_rule_window(alert) -> int:
    from pipeline.signals import load_alert_config

    return next(rule.window_days for rule in load_alert_config().rules if rule.id == alert.rule)


SPIKES = (date(2025, 12, 3), date(2025, 12, 14))  # one-day spikes 11 days apart: the cool-down (7) + a 4-day window


@pytest.fixture(scope="module")
def two_spikes_home(tmp_path_factory):
    stories, day = [], QUIET_FROM
    while day <= LAST:
        count = (8 if day.weekday() < 5 else 4) + (40 if day in SPIKES else 0)
        stories += [Story(f"b{day:%Y%m%d}{n}", day, (OUTLETS[n % 3],), f"Trade {n}", "China and Russia expand trade.",
                          ("trade",)) for n in range(count)]
        day += timedelta(days=1)
    return quiet_pair_warehouse(tmp_path_factory, "two_spikes", stories)


def test_an_alert_continues_one_raised_before_the_days_replayed_for_the_cool_down(two_spikes_home):
    """The replay started a cool-down before --since: an alert 11 days before the first day asked for, its last firing
    8 days before, was not replayed, and the second spike read as a fresh rise when asked for alone."""
    with open_snapshot(two_spikes_home) as con:
        full = [alert for alert in screen_alerts(con, date(2025, 1, 1)).alerts if alert.day >= SPIKES[0]]
        assert [(alert.day, alert.continues) for alert in sorted(full, key=lambda alert: alert.day)] == [
            (SPIKES[0], None), (SPIKES[1], SPIKES[0])]
        assert alert_days(screen_alerts(con, SPIKES[1])) == alert_days(screen_alerts(con, SPIKES[0]))[:1]

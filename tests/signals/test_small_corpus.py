"""A small warehouse (8 articles a day from three outlets), in which two alerts came out wrong (review S, findings 1
and 2; built through the store's write path, tests/dashboard/factory.py):

- a 10-day total outage was no coverage gap, since 0 articles against a median of 8 is under 3 normal deviations,
  so its silent days entered the baselines as quiet news and the week after it alerted (CHN-RUS trade, "x2.9");
- a quiet pair (IRN-JPN: one co-mention in June) ran 21 articles in a week in November, under surge_pair's floor of
  0.5 expected articles on its last day, then alerted two days after it ended against a baseline made of its own
  first days ("15 vs 0.6 expected"), and never as a new pair."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from pipeline.home import Home
from pipeline.signals import screen_alerts
from pipeline.store.reader import open_snapshot
from tests.dashboard.factory import Story
from tests.signals.test_quiet_pair import OUTLETS, bundled_without, quiet_pair_warehouse

FIRST, LAST = date(2026, 6, 1), date(2026, 11, 30)
OUTAGE = (date(2026, 9, 10), date(2026, 9, 19))
AFTER = (date(2026, 9, 20), date(2026, 9, 26))  # CHN-RUS trade at 7 a day instead of 3, all other days as usual
ONCE = date(2026, 6, 10)  # IRN-JPN's one co-mention before its burst
BURST = (date(2026, 11, 10), date(2026, 11, 16))  # IRN-JPN: 3 a day


def during(day: date, span: tuple[date, date]) -> bool:
    return span[0] <= day <= span[1]


def day_stories(day: date) -> list[Story]:
    trade = 7 if during(day, AFTER) else 3
    stories = [Story(f"t{day:%Y%m%d}{n}", day, (OUTLETS[n % 3],), f"Trade {n}", "China and Russia expand trade.",
                     ("trade",)) for n in range(trade)]
    stories += [Story(f"r{day:%Y%m%d}{n}", day, (OUTLETS[(n + 1) % 3],), f"Briefing {n}", "Russia holds a briefing.")
                for n in range(5)]
    pair = 3 if during(day, BURST) else int(day == ONCE)
    return stories + [Story(f"p{day:%Y%m%d}{n}", day, (OUTLETS[n % 3],), f"Iran and Japan {n}",
                            "Iran and Japan discuss diplomacy.", ("diplomacy",)) for n in range(pair)]


@pytest.fixture(scope="module")
def small_home(tmp_path_factory) -> Home:
    stories, day = [], FIRST
    while day <= LAST:
        stories += [] if during(day, OUTAGE) else day_stories(day)
        day += timedelta(days=1)
    return quiet_pair_warehouse(tmp_path_factory, "small", stories)


def screen(home: Home, since: date, until: date):
    with open_snapshot(home) as con:
        return screen_alerts(con, since, until=until)


def test_a_small_corpus_outage_is_a_gap_and_raises_no_alert_after_it(small_home):
    """The week after the outage holds 7 CHN-RUS trade articles a day against 3 before it: x2.3, z 3.4 for
    burst_weekday's 4 days once the outage is left out of its level; with it in, "x2.9, z=4.1" alerted."""
    screening = screen(small_home, AFTER[0], AFTER[1] + timedelta(days=7))
    assert not [alert for alert in screening.alerts if alert.pair == "CHN-RUS"], screening.alerts


def test_windows_touching_a_small_corpus_outage_are_held_back(small_home):
    """The outage is a gap: its days and the windows touching them are named as such, not tested as news."""
    screening = screen(small_home, OUTAGE[0], AFTER[1])
    assert not screening.alerts
    assert not [held for held in screening.held if held.gate != "coverage"]


def test_a_quiet_pairs_burst_alerts_on_its_second_day_as_a_new_pair_and_not_late_against_itself(small_home):
    screening = screen(small_home, BURST[0], BURST[1] + timedelta(days=10))
    pair = [(alert.rule, alert.day, alert.baseline) for alert in screening.alerts if alert.pair == "IRN-JPN"]
    assert pair == [("new_pair", BURST[0] + timedelta(days=1), 1.0)]  # 6 articles, 3 outlets, one co-mention before
    [alert] = [alert for alert in screening.alerts if alert.pair == "IRN-JPN"]
    assert "1 article(s) connecting the pair in the 365 days before (3 outlets)" in alert.summary


def test_a_burst_below_surge_pairs_floor_is_no_baseline_for_it(small_home, alerts_file):
    """Without new_pair, the burst is kept out, on its biggest day, and never alerts against its own first days."""
    from pipeline.signals import load_alert_config

    config = load_alert_config(alerts_file(bundled_without("new_pair")))
    with open_snapshot(small_home) as con:
        screening = screen_alerts(con, BURST[0], config, until=BURST[1] + timedelta(days=10))
    assert not [alert for alert in screening.alerts if alert.pair == "IRN-JPN"], screening.alerts
    [kept] = [kept for kept in screening.kept_out if kept.pair == "IRN-JPN" and kept.topic is None]
    assert (kept.rule, kept.day, kept.current, kept.baseline) == ("surge_pair", BURST[1], 21, 0.0)

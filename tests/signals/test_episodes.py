"""One pair rising on several topics at once is one episode (signals/episodes.py: a pure function over alerts)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from pipeline.signals.episodes import episodes, with_episodes
from tests.signals.test_model import ALERT

DAY = date(2026, 11, 12)


def alert(topic: str | None, current: int, baseline: float = 3.0, day: date = DAY, pair=("CHN", "USA"), days=4):
    return replace(ALERT, iso_a=pair[0], iso_b=pair[1], topic=topic, current=current, baseline=baseline, day=day,
                   window_start=day - timedelta(days=days - 1), level="pair_topic" if topic else "pair")


def test_a_summit_tagged_three_topics_is_one_episode_its_strongest_topic_first():
    summit = [alert("diplomacy", 20), alert("military", 12, day=DAY - timedelta(days=2)), alert("trade", 40, 10.0),
              alert(None, 30, 2.0, days=7)]
    [episode] = episodes(summit)
    assert [a.topic for a in episode.alerts] == ["trade", None, "diplomacy", "military"]  # 30, 28, 17, 9 above
    assert episode.topics == ["trade", "all topics", "diplomacy", "military"]
    assert episode.id == "CHN-USA.2026-11-06" and (episode.first_day, episode.day) == (date(2026, 11, 6), DAY)
    assert episode.summary == ("CHN-USA 2026-11-06..2026-11-12: one episode, 4 alerts on trade, all topics, "
                               "diplomacy, military (strongest first)")


def test_windows_apart_or_other_pairs_are_other_episodes():
    later = alert("military", 12, day=DAY + timedelta(days=7))  # the cool-down's next alert: its window starts after
    other = alert("military", 15, pair=("PRK", "RUS"))
    found = episodes([alert("military", 10), later, other])
    assert [(e.id, len(e.alerts)) for e in found] == [
        ("CHN-USA.2026-11-16", 1), ("PRK-RUS.2026-11-09", 1), ("CHN-USA.2026-11-09", 1)]  # newest first


def test_windows_overlapping_through_a_third_alert_are_one_episode():
    chain = [alert("trade", 10, day=DAY - timedelta(days=6)), alert(None, 25, days=7),
             alert("energy", 9, day=DAY + timedelta(days=3))]  # trade's and energy's windows do not meet
    assert [len(e.alerts) for e in episodes(chain)] == [3]


def test_each_alert_keeps_its_place_and_gets_its_episodes_id():
    summit = [alert("diplomacy", 20), alert("trade", 40), alert("military", 15, pair=("PRK", "RUS"))]
    marked = with_episodes(summit)
    assert [a.key for a in marked] == [a.key for a in summit]
    assert [a.episode for a in marked] == ["CHN-USA.2026-11-09", "CHN-USA.2026-11-09", "PRK-RUS.2026-11-09"]
    assert marked[0].to_dict()["episode"] == "CHN-USA.2026-11-09"

"""One pair's alerts whose windows overlap are one episode: a summit story tagged military, diplomacy and trade rises on
each of its topics at once, and three alert lines read as three events where an analyst should read one."""
from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import groupby
from typing import Sequence

from .model import Alert


@dataclass(frozen=True)
class Episode:
    """Alerts of one pair with overlapping windows (directly, or through another of them), the strongest first: the
    most articles above expected."""
    alerts: tuple[Alert, ...]

    @property
    def id(self) -> str:
        """The pair and its earliest window's first day, "CHN-USA.2026-10-25": what `Alert.episode` says."""
        return f"{self.alerts[0].pair}.{self.first_day.isoformat()}"

    @property
    def first_day(self):
        return min(alert.window_start for alert in self.alerts)

    @property
    def day(self):
        return max(alert.day for alert in self.alerts)

    @property
    def topics(self) -> list[str]:
        """Its alerts' topics, strongest first ("all topics" for an alert on the whole pair), each once."""
        return list(dict.fromkeys(alert.topic or "all topics" for alert in self.alerts))

    @property
    def summary(self) -> str:
        return (f"{self.alerts[0].pair} {self.first_day.isoformat()}..{self.day.isoformat()}: one episode, "
                f"{len(self.alerts)} alerts on {', '.join(self.topics)} (strongest first)")


def episodes(alerts: Sequence[Alert]) -> list[Episode]:
    """`alerts` grouped into episodes, newest first (by their latest day, then their strongest alert's articles)."""
    found = []
    for _, of_pair in groupby(sorted(alerts, key=lambda alert: (alert.pair, alert.window_start)),
                              key=lambda alert: alert.pair):
        group: list[Alert] = []
        for alert in of_pair:
            if group and alert.window_start > max(other.day for other in group):
                found.append(_episode(group))
                group = []
            group.append(alert)
        found.append(_episode(group))
    return sorted(found, key=lambda episode: (episode.day, episode.alerts[0].current), reverse=True)


def with_episodes(alerts: Sequence[Alert]) -> list[Alert]:
    """`alerts`, in their order, each with the id of its episode."""
    ids = {alert.key: episode.id for episode in episodes(alerts) for alert in episode.alerts}
    return [replace(alert, episode=ids[alert.key]) for alert in alerts]


def _episode(alerts: list[Alert]) -> Episode:
    return Episode(tuple(sorted(alerts, key=_strength, reverse=True)))


def _strength(alert: Alert) -> tuple[float, float]:
    """Articles above expected, then z (none, against nothing expected, after any)."""
    return alert.current - alert.baseline, alert.z if alert.z is not None else float("-inf")

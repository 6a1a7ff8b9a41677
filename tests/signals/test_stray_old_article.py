"""One archive item dated years before the rest (an outside audit: an import of a flat month with one 2020 article;
the captured feeds' replays start on one item of 2011 or 2024, the bulk much later). The warm-up ran from that item,
so it was long over, and the years without an article read as years of zero news: the steady pairs all alerted as
surges, and as new pairs on the month's first day. Fewer days of articles than the warm-up, then a longer silence, are
no start of the data; a silence after a longer start is an outage, and the history before it stays (a review of the
first cut, which restarted the data after any such silence: a burst after a month's outage raised nothing)."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.home import Home
from pipeline.signals import screen_alerts
from pipeline.store.indicators import day_range
from pipeline.store.reader import open_snapshot

FIRST, DAYS = date(2026, 10, 1), 30
PAIRS = [("China", "the United States"), ("France", "Germany"), ("Japan", "South Korea"), ("Brazil", "Argentina")]
OUTLETS = ("Alpha", "Bravo", "Charlie", "Delta")
STRAY = {"id": "old", "title": "Nepal passes its budget", "text": "Nepal passed a budget.",
         "published": "2020-01-01T10:00:00Z", "source": "Alpha"}


def flat_month(start: date = FIRST, days: int = DAYS) -> list[dict]:
    """Each outlet's six articles a day, each pair named as often every day: nothing rises."""
    rows = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        for outlet in OUTLETS:
            for n in range(6):
                first, second = PAIRS[(n + offset) % len(PAIRS)]
                rows.append({"id": f"{outlet}-{day}-{n}", "title": f"{first} and {second} hold talks on {day}, {n}",
                             "text": f"{first} and {second} held talks on {day}, officials said.",
                             "published": f"{day}T10:00:00Z", "source": outlet})
    return rows


def imported(tmp_path_factory, name: str, rows: list[dict]) -> Home:
    archive = tmp_path_factory.mktemp(name) / "archive.jsonl"
    archive.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    root = archive.parent / "home"
    done = CliRunner().invoke(cli, ["--home", str(root), "import", str(archive)])
    assert done.exit_code == 0, done.output
    return Home.resolve(root)


START, OUTAGE_DAYS = date(2026, 1, 1), 35
RESUMED = START + timedelta(days=120 + OUTAGE_DAYS)
BURST = RESUMED + timedelta(days=40)


def iran_and_russia(day: date, count: int) -> list[dict]:
    return [{"id": f"ir-{day}-{n}", "title": f"Iran and Russia sign deal {n} on {day}",
             "text": f"Iran and Russia signed agreement number {n} of {day} on {('oil', 'grain', 'rail')[n % 3]}.",
             "published": f"{day}T11:00:00Z", "source": OUTLETS[n % len(OUTLETS)]} for n in range(count)]


def outage_home_rows() -> list[dict]:
    """120 steady days, a month and more without any article, 60 steady days; Iran and Russia every other day, then
    eight times a day for three days."""
    rows = [*flat_month(START, 120), *flat_month(RESUMED, 60)]
    for offset in range(0, 180, 2):
        day = START + timedelta(days=offset if offset < 120 else offset + OUTAGE_DAYS - 120)
        rows += iran_and_russia(day, 1)
    return rows + [row for offset in range(3) for row in iran_and_russia(BURST + timedelta(days=offset), 8)]


@pytest.fixture(scope="module")
def homes(tmp_path_factory) -> dict[str, Home]:
    return {"clean": imported(tmp_path_factory, "clean", flat_month()),
            "stray": imported(tmp_path_factory, "stray", [*flat_month(), STRAY]),
            "outage": imported(tmp_path_factory, "outage", outage_home_rows())}


def test_a_stray_old_article_changes_no_alert(homes):
    screened = {}
    for name, home in ((name, homes[name]) for name in ("clean", "stray")):
        with open_snapshot(home) as con:
            screened[name] = screen_alerts(con, FIRST, until=FIRST + timedelta(days=DAYS - 1))
    assert screened["stray"].alerts == screened["clean"].alerts == []


def test_the_data_starts_after_its_last_long_silence(homes):
    with open_snapshot(homes["stray"]) as con:
        assert day_range(con) == (date(2020, 1, 1), FIRST + timedelta(days=DAYS - 1))
        assert day_range(con, 28) == (FIRST, FIRST + timedelta(days=DAYS - 1))
        assert day_range(con, 10_000)[0] == date(2020, 1, 1)  # no silence that long
    with open_snapshot(homes["outage"]) as con:
        assert day_range(con, 28)[0] == START  # 120 days before the outage: its history, not a stray


def test_a_burst_after_an_outage_alerts_against_the_history_before_it(homes):
    with open_snapshot(homes["outage"]) as con:
        screening = screen_alerts(con, BURST, until=BURST + timedelta(days=7))
    assert {(alert.pair, alert.kind) for alert in screening.alerts} >= {("IRN-RUS", "surge")}

"""Copies of one wire story in an alert's window: its line and JSON say how many stories its articles are, and the
copies gate holds back a rise they make (review J: "36 articles ... 12 outlets", where 24 were copies of two stories
run by twelve outlets each)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.home import Home
from pipeline.signals import screen_alerts
from pipeline.signals.config import DEFAULT_ALERTS_FILE, load_alert_config
from pipeline.signals.copies import NONE_USUAL, TITLE_SHOWN, _days_before, copies_block, copy_gate, copy_rise_share
from pipeline.signals.rules import DiversityGate
from pipeline.store.indicators import Window, WindowStories
from pipeline.store.reader import open_snapshot

BACKGROUND = (("Canada", "Brazil"), ("France", "Germany"), ("Japan", "Spain"), ("Mexico", "Italy"),
              ("Chile", "Kenya"), ("Norway", "Peru"), ("Egypt", "Greece"), ("Poland", "Vietnam"))
OUTLETS = 12
HISTORY_DAYS = 120


def _item(key: str, title: str, text: str, outlet: int, day: date, minute: int) -> dict:
    return {"id": key, "title": title, "text": text, "url": f"https://outlet{outlet}.example/{key}",
            "published": f"{day.isoformat()}T10:{minute:02d}:00Z", "source": f"outlet{outlet}"}


def _background(day: date, n: int) -> list[dict]:
    """Unrelated news every day, and three ordinary Iran-Russia banking stories from rotating outlets."""
    items = [_item(f"bg{n}-{k}", f"{a} and {b} discuss weather cooperation {n}-{k}",
                   f"Officials from {a} met counterparts from {b} on {day} to talk about rainfall statistics and school "
                   f"calendars, item {n}-{k}.", (n + k) % OUTLETS, day, k) for k, (a, b) in enumerate(BACKGROUND)]
    return items + [_item(f"ir{n}-{k}", f"Iranian and Russian bankers meet on payments, round {n}-{k}",
                          f"Iranian and Russian central bank officials discussed payment settlement and banking links "
                          f"in round {n}-{k} of technical talks on {day}.", (n + k) % OUTLETS, day, 20 + k)
                    for k in range(3)]


WIRE_TITLE = "Iran, Russia link banking systems, wire story {n}"


def _wire_story(day: date, n: int, outlets: int, title: str = WIRE_TITLE) -> list[dict]:
    """One AP story, run by `outlets` outlets each under its own address (`title` of the story's number `n`)."""
    return [_item(f"ap{n}-{o}", title.format(n=n),
                  f"TEHRAN (AP) — Iran and Russia have connected their interbank payment systems, wire story number {n} "
                  "said, a step for banks settling trade.", o, day, 30 + o) for o in range(outlets)]


def _own_stories(day: date, n: int, count: int) -> list[dict]:
    return [_item(f"own{n}-{k}", f"Iran and Russia expand bank ties, report {n}-{k}",
                  f"Russian and Iranian lenders opened correspondent accounts and a payment channel for trade, "
                  f"report {n}-{k} of the banking desk said on {day}.", (n + k + 5) % OUTLETS, day, 45 + k)
            for k in range(count)]


def wire_home(tmp_path, copies: int = OUTLETS, own: int = 0, usual_copies: int = 0, title: str = WIRE_TITLE) -> tuple:
    """J's syndication test, smaller: HISTORY_DAYS of background, then on the last three days (up to yesterday) one
    wire story a day run by `copies` outlets, titled `title`, and `own` stories of the outlets' own a day on the same
    pair. Before them, a wire story a day run by `usual_copies` outlets, if any."""
    last = datetime.now(UTC).date() - timedelta(days=1)
    records = []
    for n, ago in enumerate(range(HISTORY_DAYS, -1, -1)):
        day = last - timedelta(days=ago)
        records += _background(day, n)
        if ago < 3:
            records += _wire_story(day, n, copies, title) + _own_stories(day, n, own)
        elif usual_copies:
            records += _wire_story(day, n, usual_copies)
    archive = tmp_path / "arch.jsonl"
    archive.write_text("\n".join(json.dumps(record) for record in records) + "\n")
    home = tmp_path / "home"
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(archive)])
    assert result.exit_code == 0, result.output
    return home, last


def alerts_of(home, last: date, *options: str) -> str:
    result = CliRunner().invoke(cli, ["--home", str(home), "alerts", "--since", (last - timedelta(days=3)).isoformat(),
                                      *options])
    assert result.exit_code == 0, result.output
    return result.output


def finance_alert(home, last: date) -> dict:
    """The alert on IRN-RUS finance, the series the banking stories rise on."""
    return next(alert for alert in json.loads(alerts_of(home, last, "--json"))
                if (alert["pair"], alert["topic"]) == ("IRN-RUS", "finance"))


def test_an_alert_says_how_many_stories_its_articles_are(tmp_path):
    """A rise of the outlets' own stories, with a wire story's four copies a day among them: the line says how many
    stories beside its outlets, the JSON counts them (a field added: `stories`)."""
    home, last = wire_home(tmp_path, copies=4, own=8)
    alert = finance_alert(home, last)
    assert (alert["current"], alert["stories"], alert["outlets"]) == (36, 30, 12)  # two days of 3 copies too many
    assert "(x3.0, z=4.7, 12 outlets, 30 stories) [burst_weekday]" in alert["summary"]
    assert "12 outlets, 30 stories" in alerts_of(home, last)


def test_a_line_without_copies_says_nothing_of_stories(tmp_path):
    home, last = wire_home(tmp_path, copies=1, own=8)
    alert = finance_alert(home, last)
    assert alert["stories"] == alert["current"] == 39 and "stories" not in alert["summary"]


def test_a_rise_made_of_one_wire_storys_copies_is_held_back_naming_the_story(tmp_path):
    """J's alert: 36 articles vs 12.0 expected from 12 outlets, 24 of them copies of two AP stories. The outlet gates
    passed it (every copy has another outlet); the copies gate holds it back and names the story."""
    home, last = wire_home(tmp_path)
    printed = alerts_of(home, last)
    assert "IRN-RUS finance:" not in printed
    [held] = [line.strip() for line in printed.splitlines() if line.strip().startswith("IRN-RUS finance ")]
    assert ("held back by the copies gate: copies supply 92% of the rise > 50%: its 48 articles are 15 stories, the "
            "most copied \u201cIran, Russia link banking systems, wire story ") in held
    assert held.endswith("(12 articles, 12 outlets)")
    assert not [alert for alert in json.loads(alerts_of(home, last, "--json"))
                if (alert["pair"], alert["topic"]) == ("IRN-RUS", "finance")]


def test_copies_beyond_the_series_usual_share_are_what_a_gate_counts():
    """A rise with a few copies among its own stories passes; so does a wire-heavy series rising at its usual share
    of copies, and not one whose rise is one more wire story's copies."""
    gate = DiversityGate(max_copy_rise_share=0.5)
    # 36 articles, 12 expected: 6 copies of a rise of 24
    assert copies_block(gate, 36, 12.0, WindowStories(36, 30, "A story", 4, 4), WindowStories(0, 0)) is None
    # 22 copies of a rise of 24: held back
    assert copies_block(gate, 36, 12.0, WindowStories(36, 14, "A story", 12, 12), WindowStories(0, 0)).startswith(
        "copies supply 92% of the rise > 50%: its 36 articles are 14 stories, the most copied \u201cA story\u201d")
    # a series whose articles are half copies as a rule (each story run twice): doubled at that share, its stories
    # doubled too; one wire story run by twelve outlets on top of its usual 12 articles brings one story of the six a
    # rise of 12 articles would
    assert copy_rise_share(24, 12.0, 12, 0.5) == 0.0
    assert copies_block(gate, 24, 12.0, WindowStories(24, 12), WindowStories(90, 45)) is None
    assert copy_rise_share(24, 12.0, 6 + 11, 0.5) == pytest.approx(5 / 6)
    assert copies_block(gate, 24, 12.0, WindowStories(24, 7, "Wire", 12, 12), WindowStories(90, 45)).startswith(
        "copies supply 83% of the rise > 50%: its 24 articles are 7 stories")
    assert copy_rise_share(10, 12.0, 5, 0.0) == 0.0  # no rise


def test_a_long_title_is_cut_in_the_reason():
    reason = copies_block(DiversityGate(max_copy_rise_share=0.5), 36, 12.0, WindowStories(36, 14, "x" * 300, 12, 12),
                          WindowStories(0, 0))
    assert f"\u201c{'x' * (TITLE_SHOWN - 1)}…\u201d" in reason



def test_a_rise_at_the_series_usual_share_of_copies_is_not_held_back(tmp_path):
    """A series where a wire story run by two outlets is a daily thing (a fifth of its articles copies): a rise with
    six copies a day is too many copies against none usual, and within what the series usually has."""
    home, last = wire_home(tmp_path, copies=7, own=5, usual_copies=2)
    printed = alerts_of(home, last)
    assert "IRN-RUS finance:" in printed and "held back by the copies gate" not in printed


def test_the_gate_holds_back_only_a_share_past_its_limit():
    """`max_copy_rise_share` is the most copies may supply: 12 copies of a rise of 24 is half, and passes at 0.5."""
    found = WindowStories(36, 24, "A story", 12, 12)
    assert copies_block(DiversityGate(max_copy_rise_share=0.5), 36, 12.0, found, NONE_USUAL) is None
    assert copies_block(DiversityGate(max_copy_rise_share=0.49), 36, 12.0, found, NONE_USUAL) is not None


def test_no_rise_is_no_share_of_copies():
    """A window at its expected count (a rule with its thresholds off) has nothing copies made, and must not divide
    by its rise of zero."""
    assert copy_rise_share(12, 12.0, 5, 0.0) == 0.0


@pytest.mark.parametrize("title, shown", [("x" * TITLE_SHOWN, "x" * TITLE_SHOWN), (None, "")])
def test_a_title_as_long_as_shown_is_whole_and_a_missing_one_empty(title, shown):
    reason = copies_block(DiversityGate(max_copy_rise_share=0.5), 36, 12.0, WindowStories(36, 14, title, 12, 12),
                          NONE_USUAL)
    assert f"the most copied \u201c{shown}\u201d (12 articles" in reason


def test_the_reason_gives_the_most_copied_storys_articles_and_outlets_apart():
    """A story some outlets ran twice is more articles than outlets: the reason says each."""
    found = WindowStories(36, 14, "A story", 12, 9)
    reason = copies_block(DiversityGate(max_copy_rise_share=0.5), 36, 12.0, found, NONE_USUAL)
    assert reason.endswith("(12 articles, 9 outlets)")


@dataclass(frozen=True)
class Firing:
    """What the copies gate reads of a rule's firing: its window's article count and the count expected."""
    current: int
    baseline: float


def wire_days_home(tmp_path, days: list[date]):
    """A warehouse holding only one wire story a day on `days`, each run by all OUTLETS outlets."""
    records = [record for n, day in enumerate(days) for record in _wire_story(day, n, OUTLETS)]
    archive = tmp_path / "wire.jsonl"
    archive.write_text("\n".join(json.dumps(record) for record in records) + "\n")
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "import", str(archive)])
    assert result.exit_code == 0, result.output
    return Home.resolve(tmp_path / "home")


def test_the_gate_reads_each_windows_own_stories_and_usual_days(tmp_path):
    """Three windows judged at once: one without articles; J's, three days of a story run by every outlet; and the day
    `usual_days` before J's, which had such a story too. That day is the first of J's usual days, so J's copies are as
    many as its series usually has and it passes; the day itself has no copies before it and is held back."""
    first, usual_days = date(2026, 3, 10), 7
    copied_day = first - timedelta(days=usual_days)
    home = wire_days_home(tmp_path, [copied_day] + [first + timedelta(days=n) for n in range(3)])
    series = ("IRN", "RUS", "finance")
    windows = [Window(*series, first - timedelta(days=60), first - timedelta(days=58)),
               Window(*series, first, first + timedelta(days=2)), Window(*series, copied_day, copied_day)]
    judged = [Firing(0, 0.0), Firing(3 * OUTLETS, OUTLETS), Firing(OUTLETS, 1.0)]
    # J's usual share of copies is (OUTLETS - 1) / OUTLETS: of its 3 * OUTLETS articles, 3 * (OUTLETS - 1) copies
    # are usual, all it has. The copied day's OUTLETS - 1 copies are all of its rise of OUTLETS - 1.
    with open_snapshot(home) as con:
        kept, held = copy_gate(con, judged, windows, DiversityGate(max_copy_rise_share=0.5, usual_days=usual_days))
    assert kept == judged[:2] and [item for item, _, _ in held] == judged[2:]


def test_the_usual_days_end_the_day_before_the_window():
    """The window's own copies are not its usual; `usual_days` days, no more, no fewer."""
    window = Window("IRN", "RUS", "finance", date(2026, 3, 10), date(2026, 3, 12))
    assert _days_before(window, 84) == Window("IRN", "RUS", "finance", date(2025, 12, 16), date(2026, 3, 9))


SURGE_3D = """
[[rule]]
id = "surge_3d"
kind = "surge"
level = "pair_topic"
window_days = 3
baseline_weeks = 8
min_baseline = 3.0
min_current = 12
min_ratio = 3.0
min_z = 4.0
overdispersion = 0.25
"""


def test_a_rule_added_at_the_end_of_alerts_toml_changes_no_held_back_line(tmp_path):
    """The first rule listed wins when several fire on a series and day (alerts.toml's header), held back too: a
    contributor's rule appended to the file named the held-back line with its own window and numbers (review C)."""
    home, last = wire_home(tmp_path)
    extended = tmp_path / "alerts.toml"
    extended.write_text(DEFAULT_ALERTS_FILE.read_text(encoding="utf-8") + SURGE_3D, encoding="utf-8")
    with open_snapshot(Home.resolve(home)) as con:
        held = [{h.series: h for h in screen_alerts(con, last - timedelta(days=3), config=load_alert_config(path)).held}
                for path in (DEFAULT_ALERTS_FILE, extended)]
    bundled, added = held[0]["IRN-RUS finance"], held[1]["IRN-RUS finance"]
    assert added.firings > bundled.firings, "the added rule fires on the series too: else this tests nothing"
    assert (added.rule, added.day, added.reason) == (bundled.rule, bundled.day, bundled.reason)

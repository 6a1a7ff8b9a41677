"""generate -> ingest -> `pactwatch alerts`: the injected spike is found with its evidence, the outage and
the flooding outlet raise nothing, and webhook delivery works (or fails without losing the alerts)."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import notify
from pipeline.cli import cli, main
from pipeline.home import EXIT_LOCKED, Home
from pipeline.notify import post_alerts, webhook_id
from pipeline.signals import alert_evidence, current_alerts, load_alert_config, screen_alerts
from pipeline.signals.rules import Rule
from pipeline.store.indicators import Window, day_range
from pipeline.store.reader import open_snapshot

from tests.conftest import PROJECT_ROOT, snapshot_without_pair_sentence_column
from tests.httpserver import SHUTDOWN_POLL_S, QuietHTTPServer

from .conftest import END, FLOOD, OUTAGE, SPIKE, DemoHome

SINCE = END - timedelta(days=90)


def run_alerts(demo_home, *args: str):
    return CliRunner().invoke(cli, ["--home", str(demo_home.root), "alerts", "--since", SINCE.isoformat(), *args],
                              obj={}, catch_exceptions=False)


def copied_home(demo_home, root: Path) -> DemoHome:
    """The demo home without its demo files, lock, outbox and delivery records: those of the test's own runs."""
    shutil.copytree(demo_home.root, root, symlinks=True,
                    ignore=shutil.ignore_patterns("demo", "ingest.lock", "outbox", "notify"))
    return DemoHome(Home.resolve(root), demo_home.manifest)


def overlaps(alert: dict, first: date, days: int) -> bool:
    last = first + timedelta(days=days - 1)
    return alert["window_start"] <= last.isoformat() and alert["day"] >= first.isoformat()


def test_alerts_json_finds_the_injected_spike_with_evidence(demo_home):
    result = run_alerts(demo_home, "--json")
    assert result.exit_code == 0, result.output
    alerts = json.loads(result.output)
    spike = [a for a in alerts
             if a["pair"] == "-".join(SPIKE.pair) and a["topic"] == SPIKE.topic and overlaps(a, SPIKE.start, SPIKE.days)]
    assert len(spike) == 1, [a["summary"] for a in alerts]
    alert = spike[0]
    assert alert["current"] > 2 * alert["baseline"] and alert["outlets"] >= 2
    assert alert["rule"] in {"surge_4w", "surge_52w", "burst_weekday"} and alert["summary"].startswith("CHN-USA trade")
    assert alert["articles"] and all({"title", "url", "outlet", "day"} <= set(a) for a in alert["articles"])
    assert all(alert["window_start"] <= a["day"] <= alert["day"] for a in alert["articles"])
    assert len({a["outlet"] for a in alert["articles"]}) > 1, "evidence shows several outlets first"
    assert alert["sentences"] and all({"sentence", "cue", "outlet", "day", "url"} <= set(s) for s in alert["sentences"])
    assert all(alert["window_start"] <= s["day"] <= alert["day"] for s in alert["sentences"])


def test_evidence_shows_the_first_and_the_last_day_of_its_window(demo_home):
    """The five articles and sentences of a four-day alert were all of its last day, so none showed how the rise
    began; taken from the first day on, a seven-day window's never reached the day it fired. Each sample now holds
    the first and the last day with evidence, and as many days as it has items for."""
    alerts = json.loads(run_alerts(demo_home, "--json", "--since", demo_home.manifest.first_day).output)  # all
    assert any(alert["rule"].startswith("surge") for alert in alerts) and any(
        alert["rule"] == "burst_weekday" for alert in alerts)  # 7-day and 4-day windows
    with open_snapshot(demo_home.home) as con:
        for alert in alerts:
            iso_a, iso_b = alert["pair"].split("-")
            params = [iso_a, iso_b, alert["window_start"], alert["day"], alert["topic"], alert["topic"]]
            days = {table: [day.isoformat() for (day,) in con.execute(
                f"SELECT DISTINCT day FROM {table} WHERE iso_a = ? AND iso_b = ? AND day BETWEEN ? AND ? "
                "AND (?::VARCHAR IS NULL OR list_contains(topics, ?)) ORDER BY day", params).fetchall()]
                for table in ("pair_sentences", "article_pairs")}
            shown = sorted({sentence["day"] for sentence in alert["sentences"]})
            assert len(shown) == min(len(alert["sentences"]), len(days["pair_sentences"])), alert["summary"]
            assert {shown[0], shown[-1]} == {days["pair_sentences"][0], days["pair_sentences"][-1]}, alert["summary"]
            articles = {article["day"] for article in alert["articles"]}
            assert {days["article_pairs"][0], days["article_pairs"][-1]} <= articles, alert["summary"]


def test_outage_and_flooding_outlet_raise_nothing(demo_home):
    alerts = json.loads(run_alerts(demo_home, "--json").output)
    assert not [a for a in alerts if overlaps(a, OUTAGE.start, OUTAGE.days + 7)]
    assert not [a for a in alerts if a["pair"] == "-".join(FLOOD.pair)]


def test_the_flood_is_blocked_by_the_source_gate_not_missed(demo_home):
    config = load_alert_config()
    open_gate = replace(config, gate=replace(config.gate, min_outlets=1, max_outlet_share=1.0,
                                             max_rise_share=float("inf")))
    with open_snapshot(demo_home.home) as con:
        flooded = [a for a in current_alerts(con, SINCE, open_gate) if a.pair == "-".join(FLOOD.pair)]
    # new_pair on the flood's first day, and only then: once the cool-down ended, surge_pair fired on the window still
    # holding the flood's 2nd and 3rd days, "16 vs 0.7 expected", the 0.7 being the flood's own first day. The flood's
    # windows rose past surge_pair's ratio and z under its floor of 0.5 expected, so they are no baseline now.
    assert [(a.rule, a.top_outlet, a.outlets) for a in flooded] == [("new_pair", "Demo Wire", 1)]


def test_the_firings_a_gate_held_back_are_reported_with_the_gate_and_its_reason(demo_home):
    """A corpus of one outlet (real captured WSJ feeds) got "no alerts" and the page's "no series crossed a rule"
    while the source gate had held back a new pair's firings: an analyst could not tell that from a quiet week."""
    with open_snapshot(demo_home.home) as con:
        screening = screen_alerts(con, SINCE)
    flood = [held for held in screening.held if held.pair == "-".join(FLOOD.pair)]
    # the latest firing held back: new_pair's, on the flood's days (surge_pair no longer fires against the flood's own
    # first day a week later)
    assert [(h.rule, h.gate, h.reason) for h in flood] == [("new_pair", "sources", "1 outlet(s) < 2")]
    assert flood[0].firings >= 2 and FLOOD.start <= flood[0].day
    assert "-".join(FLOOD.pair) not in {alert.pair for alert in screening.alerts}
    result = run_alerts(demo_home)
    assert f"{'-'.join(FLOOD.pair)} {flood[0].day} [new_pair" in result.output
    assert "held back by the sources gate" in result.output


def test_each_alert_says_how_much_of_its_rise_its_top_outlet_supplied(demo_home):
    config = load_alert_config()
    with open_snapshot(demo_home.home) as con:
        alerts = [a for a in current_alerts(con, SINCE, config) if a.kind != "new_pair"]
        assert alerts
        for alert in alerts:
            per_outlet = dict(con.execute(
                """SELECT a.outlet, count(*) FROM article_pairs p JOIN articles a USING (article_id)
                WHERE p.iso_a = ? AND p.iso_b = ? AND list_contains(p.topics, ?) AND p.day BETWEEN ? AND ?
                GROUP BY 1""", [alert.iso_a, alert.iso_b, alert.topic, alert.window_start, alert.day]).fetchall())
            assert (alert.current, alert.outlets) == (sum(per_outlet.values()), len(per_outlet))
            assert alert.top_outlet_share == max(per_outlet.values()) / alert.current
            usual = con.execute(
                """SELECT count(*) FILTER (WHERE a.outlet = ?) / count(*) FROM article_pairs p
                JOIN articles a USING (article_id) WHERE p.iso_a = ? AND p.iso_b = ? AND list_contains(p.topics, ?)
                AND p.day BETWEEN ? AND ?""",
                [alert.top_outlet, alert.iso_a, alert.iso_b, alert.topic,
                 alert.window_start - timedelta(days=config.gate.usual_days),
                 alert.window_start - timedelta(days=1)]).fetchone()[0] or 0.0
            top = round(alert.top_outlet_share * alert.current)
            expected = (top - alert.baseline * usual) / (alert.current - alert.baseline)
            assert alert.top_outlet_rise_share == pytest.approx(expected, abs=1e-6)
        biggest = max(alerts, key=lambda a: a.top_outlet_rise_share)
        stricter = replace(config, gate=replace(config.gate, max_rise_share=biggest.top_outlet_rise_share - 1e-6))
        assert biggest.summary not in [a.summary for a in current_alerts(con, SINCE, stricter)]


def test_evidence_can_be_left_for_the_one_alert_a_reader_opens(demo_home):
    with open_snapshot(demo_home.home) as con:
        full = current_alerts(con, SINCE)
        bare = screen_alerts(con, SINCE).alerts
        assert full and all(alert.articles and alert.sentences for alert in full)
        assert bare == [replace(alert, articles=(), sentences=()) for alert in full]
        for alert in full:
            window = Window(alert.iso_a, alert.iso_b, alert.topic, alert.window_start, alert.day)
            assert alert_evidence(con, window) == (list(alert.articles), list(alert.sentences))


def test_evidence_sentences_carry_the_spans_of_both_countries(demo_home):
    """The spans mark the mentions the tagger stored for the pair, and no other country's."""
    with open_snapshot(demo_home.home) as con:
        for alert in current_alerts(con, SINCE):
            for item in alert.sentences:
                surfaces = dict(con.execute(
                    "SELECT m.surface, m.iso3 FROM mentions m JOIN articles a USING (article_id) "
                    "WHERE a.url = ? AND m.iso3 IN (?, ?)", [item["url"], alert.iso_a, alert.iso_b]).fetchall())
                marked = {item["sentence"][start:end] for start, end in item["spans"]}
                assert marked <= set(surfaces) and {surfaces[s] for s in marked} == {alert.iso_a, alert.iso_b}


def stored_cue_words(con, alert, item: dict) -> list[str] | None:
    """The cue words pair_sentences keeps for an evidence sentence of `alert` (None: tagged before migration 0042)."""
    found = [words for (words,) in con.execute(
        "SELECT s.cue_words FROM pair_sentences s JOIN articles a USING (article_id) "
        "WHERE a.url = ? AND s.iso_a = ? AND s.iso_b = ? AND s.sentence = ?",
        [item["url"], alert.iso_a, alert.iso_b, item["sentence"]]).fetchall()]
    assert found and found.count(found[0]) == len(found)  # the sentence repeated in its article: tagged alike
    return found[0]


def test_evidence_sentences_carry_the_words_that_decided_their_cue(demo_home):
    """An alert "RUS–USA cooperation" did not say that its cue came from "helped … evade sanctions": each evidence
    sentence carries the cue words its pair sentence keeps, as written in it, and none without a cue."""
    with open_snapshot(demo_home.home) as con:
        evidence = [(alert, item) for alert in current_alerts(con, SINCE) for item in alert.sentences]
        assert all(item["cue_words"] == stored_cue_words(con, alert, item) for alert, item in evidence)
    cued = [item for _, item in evidence if item["cue"]]
    assert cued and all(item["cue_words"] and all(word in item["sentence"] for word in item["cue_words"])
                        for item in cued)
    assert all(item["cue_words"] == [] for _, item in evidence if not item["cue"])


def test_alert_evidence_from_a_snapshot_before_cue_words_is_the_same_without_them(demo_home, tmp_path):
    """A snapshot published before migration 0042 has no pair_sentences.cue_words: its alerts' evidence is the same
    sentences, each with no cue words, not an error."""
    with open_snapshot(demo_home.home) as con:
        alert = next(alert for alert in current_alerts(con, SINCE) if any(item["cue"] for item in alert.sentences))
    old = snapshot_without_pair_sentence_column(demo_home.home, tmp_path, "cue_words")
    _, sentences = alert_evidence(old, Window(alert.iso_a, alert.iso_b, alert.topic, alert.window_start, alert.day))
    old.close()
    assert sentences == [{**item, "cue_words": []} for item in alert.sentences]


def test_alerts_json_and_the_webhook_carry_each_evidence_sentence_s_cue_words(demo_home, receiver):
    with open_snapshot(demo_home.home) as con:
        expected = {alert.key: [item["cue_words"] for item in alert.sentences] for alert in current_alerts(con, SINCE)}
    result = run_alerts(demo_home, "--json", "--notify-webhook", receiver.url)
    assert result.exit_code == 0, result.output
    [body] = receiver.bodies
    for listed in (json.loads(result.stdout), body["alerts"]):
        assert {alert["key"]: [item["cue_words"] for item in alert["sentences"]] for alert in listed} == expected
    assert any(words for found in expected.values() for words in found)


def test_alerts_json_names_each_evidence_sentence_s_article(demo_home):
    """Review J: `alerts --json` gave its evidence articles an `article_id` and its sentences none: joining a quoted
    sentence back to its article took its URL. Each sentence's id is its article's, whose pair sentence it is."""
    result = run_alerts(demo_home, "--json")
    assert result.exit_code == 0, result.output
    sentences = [item for alert in json.loads(result.stdout) for item in alert["sentences"]]
    assert sentences
    with open_snapshot(demo_home.home) as con:
        for item in sentences:
            assert con.execute("SELECT count(*) FROM pair_sentences s JOIN articles a USING (article_id, day) "
                               "WHERE s.article_id = ? AND a.url IS NOT DISTINCT FROM ? AND s.sentence = ?",
                               [item["article_id"], item["url"], item["sentence"]]).fetchone()[0]


def test_a_rule_watching_pairs_and_topics_raises_what_it_would_on_their_series_alone(demo_home):
    """A watch (`pairs`, `topics` of a [[rule]]): a reviewer's CHN-USA rule was refused as unknown fields, and the
    same rule over every series fired on other pairs and topics too. Each series is judged on its own, so the watch
    raises exactly the alerts the unscoped rule raises on its series."""
    config = load_alert_config()
    everything = Rule(id="every", kind="surge", level="pair_topic", min_ratio=1.5, min_z=1.0, min_baseline=1.0,
                      min_current=3)
    watch = replace(everything, id="watch", pairs=("CHN-USA",), topics=("trade", "(none)"))
    with open_snapshot(demo_home.home) as con:
        unscoped = current_alerts(con, SINCE, replace(config, rules=(everything,)))
        watched = current_alerts(con, SINCE, replace(config, rules=(watch,)))
    in_scope = [(alert.key.replace(".every", ""), alert.current) for alert in unscoped
                if alert.pair == "CHN-USA" and alert.topic in watch.topics]
    assert in_scope and len(in_scope) < len(unscoped), "the rule fires on the watched series and on others"
    assert [(alert.key.replace(".watch", ""), alert.current) for alert in watched] == in_scope


def test_outage_days_are_flagged_and_marked_when_configured(demo_home):
    config = load_alert_config()
    # An alert each firing day (cooldown_days 1): with every threshold off every series fires on the replay's first
    # days too, and under the week's cool-down the replay reached back, doubling, to the warm-up: 8 replays, not 1.
    lenient = replace(config, coverage=replace(config.coverage, on_gap="mark"),
                      settings=replace(config.settings, cooldown_days=1),
                      rules=tuple(replace(rule, min_z=-1e9, min_ratio=0.0, min_baseline=0.0, min_current=1)
                                  for rule in config.rules if rule.kind != "new_pair"))
    with open_snapshot(demo_home.home) as con:
        over_outage = [a.to_dict() for a in current_alerts(con, SINCE, lenient)
                       if a.window_start <= OUTAGE.start + timedelta(days=OUTAGE.days - 1) and a.day >= OUTAGE.start]
    assert over_outage, "with every threshold off, some windows cover the outage"
    assert {a["coverage"] for a in over_outage} == {"gap"}


def test_human_output_names_rule_numbers_and_evidence(demo_home):
    result = run_alerts(demo_home)
    assert result.exit_code == 0
    assert "CHN-USA trade" in result.output and "expected" in result.output and "http" in result.output


def test_current_alerts_defaults_to_the_latest_week(demo_home):
    """This home's alerts all fall two to three weeks before its last day, so its default week holds none and the
    check on `latest` alone passed whatever day the window started on. Lookbacks reaching exactly back to the
    newest alert's day, and one day short of it, pin the window's first day: the last day minus lookback - 1."""
    config = load_alert_config()

    def looking_back(days: int) -> list[tuple]:
        settings = replace(config.settings, lookback_days=days)
        return raised(current_alerts(con, config=replace(config, settings=settings)))

    def raised(alerts: list) -> list[tuple]:  # which ones: a baseline summed over another span differs in a last digit
        return [(alert.rule, alert.iso_a, alert.iso_b, alert.topic, alert.window_start, alert.day) for alert in alerts]

    with open_snapshot(demo_home.home) as con:
        latest = current_alerts(con)
        everything = current_alerts(con, SINCE)
        last_day = day_range(con)[1]
        newest = max(alert.day for alert in everything)
        reaching = (last_day - newest).days + 1
        short_of_it, reaching_it = looking_back(reaching - 1), looking_back(reaching)
    assert all(alert.day >= END - timedelta(days=7) for alert in latest)
    assert raised(latest) == raised([alert for alert in everything
                                     if (last_day - alert.day).days < config.settings.lookback_days])
    assert reaching_it and reaching_it == raised([alert for alert in everything if alert.day == newest])
    assert short_of_it == [], "a window starting a day later holds no alert"


class Receiver:
    """A real HTTP server on 127.0.0.1 that records POSTed bodies."""

    def __init__(self) -> None:
        bodies = self.bodies = []
        self.status = 204  # what it answers: 500 for a receiver that is failing
        self.answering = threading.Event()  # cleared: a slow receiver, whose answers wait for it to be set again
        self.answering.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(receiver.status)
                while not receiver.answering.wait(1.0):  # a header a second: within the sender's read timeout
                    self.send_header("X-Still-Working", "1")
                    self.flush_headers()
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = QuietHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, args=(SHUTDOWN_POLL_S,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver():
    server = Receiver()
    yield server
    server.close()


def test_webhook_receives_the_alerts_as_json(demo_home, receiver):
    result = run_alerts(demo_home, "--json", "--notify-webhook", receiver.url)
    assert result.exit_code == 0, result.output
    body, = receiver.bodies
    assert body["source"] == "pactwatch" and body["count"] == len(body["alerts"]) >= 1
    assert body["alerts"] == json.loads(result.stdout)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"  # nothing listens there any more


def test_webhook_down_keeps_the_alerts_and_says_so(demo_home):
    result = run_alerts(demo_home, "--json", "--notify-webhook", closed_port_url())
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed, "the alerts are printed before delivery is tried"
    assert "webhook" in result.stderr and "failed" in result.stderr and "ConnectError" in result.stderr
    kept, = (demo_home.root / "outbox").glob("alerts-*.json")
    saved = json.loads(kept.read_text(encoding="utf-8"))
    assert saved["alerts"] == printed and "ConnectError" in saved["delivery_error"]
    kept.unlink()


def test_a_webhook_urls_credentials_stay_out_of_the_log_and_the_outbox(demo_home):
    hook = closed_port_url().replace("http://", "http://bot:pw-s3cret@") + "s/p4th-s3cret?token=t0k-s3cret"
    result = run_alerts(demo_home, "--json", "--notify-webhook", hook)  # a self-hosted ".../hooks/<token>" URL
    assert result.exit_code == 1 and "webhook http://bot:***@127.0.0.1:" in result.stderr
    assert "/hooks/***?token=***" in result.stderr
    kept, = (demo_home.root / "outbox").glob("alerts-*.json")
    text = kept.read_text(encoding="utf-8")
    kept.unlink()
    assert "s3cret" not in result.stderr and "s3cret" not in text


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can write a home another user owns")
def test_root_gives_the_alerts_it_kept_and_the_lock_it_made_back_to_the_homes_owner(demo_home, tmp_path):
    """A root `alerts --notify-webhook` left <home>/outbox root's, and a root read on a home without a lock file made
    one root's: the owner's own later alerts could not keep theirs, nor its ingest take the lock."""
    home = copied_home(demo_home, tmp_path / "home").root
    for path in [home, *home.rglob("*")]:
        os.lchown(path, 65534, 65534)
    result = CliRunner().invoke(cli, ["--home", str(home), "alerts", "--since", SINCE.isoformat(),
                                      "--notify-webhook", closed_port_url()], catch_exceptions=False)
    assert result.exit_code == 1 and "alerts kept at" in result.stderr
    assert CliRunner().invoke(cli, ["--home", str(home), "status"]).exit_code == 0  # reads the writer file's state
    made = {path.relative_to(home).parts[0] for path in home.rglob("*")} - {"snapshots", "pactwatch.duckdb",
                                                                            "warehouse.duckdb"}
    assert made == {"outbox", "notify", "ingest.lock"}  # notify/ holds the webhook's lock
    assert {(path.lstat().st_uid, path.lstat().st_gid) for path in home.rglob("*")} == {(65534, 65534)}


@pytest.mark.parametrize(("url", "error"), [
    ("http://[::1/hook", "InvalidURL"),  # refused up front by the CLI; the library keeps the payload all the same
    ("http://" + "a" * 64 + ".example/hook", "UnicodeError"),  # a DNS label longer than 63: only sending finds it
])
def test_a_malformed_webhook_url_keeps_the_alerts(demo_home, tmp_path, url, error):
    with open_snapshot(demo_home.home) as con:
        found = current_alerts(con, SINCE)
    delivery = post_alerts(url, [alert.to_dict() for alert in found], tmp_path / "outbox")
    assert not delivery.ok and error in delivery.error
    saved = json.loads(delivery.kept_at.read_text(encoding="utf-8"))
    assert saved["count"] == len(found) >= 1 and error in saved["delivery_error"]


def test_a_receiver_that_trickles_its_answer_cannot_hold_the_run_past_its_deadline(demo_home, tmp_path, receiver):
    """A header every second stays within the per-read timeout: a receiver answering so, forever, held the run (and
    its webhook's lock) while cron started the next one. The whole POST has a deadline; the alerts are kept."""
    with open_snapshot(demo_home.home) as con:
        found = current_alerts(con, SINCE)
    receiver.answering.clear()
    threading.Timer(12.0, receiver.answering.set).start()  # the old code waited for this, then delivered
    started = time.monotonic()
    delivery = post_alerts(receiver.url, [alert.to_dict() for alert in found], tmp_path / "outbox", deadline=3.0)
    assert not delivery.ok and time.monotonic() - started < 10.0
    assert "no answer within 3 s" in delivery.error and delivery.kept_at.exists()


def test_a_payload_that_cannot_be_kept_says_both_failures(demo_home, tmp_path):
    """With the outbox unwritable the command printed only "[Errno 111] Connection refused": neither that the
    webhook failed nor that the payload was not kept."""
    with open_snapshot(demo_home.home) as con:
        found = current_alerts(con, SINCE)
    blocked = tmp_path / "outbox"
    blocked.write_text("a file where the folder belongs")
    delivery = post_alerts(closed_port_url(), [alert.to_dict() for alert in found], blocked)
    assert not delivery.ok and delivery.kept_at is None
    assert "ConnectError" in delivery.error and "the payload could not be kept either" in delivery.error


def test_a_webhook_url_that_only_sending_refuses_exits_1_with_the_alerts_kept(demo_home):
    result = run_alerts(demo_home, "--json", "--notify-webhook", "http://" + "a" * 64 + ".example/hook")
    assert result.exit_code == 1 and "UnicodeError" in result.stderr
    kept, = (demo_home.root / "outbox").glob("alerts-*.json")
    assert json.loads(kept.read_text(encoding="utf-8"))["alerts"] == json.loads(result.stdout)
    kept.unlink()


# --- a scheduled `alerts --notify-webhook`: each alert once, a failed delivery sent again --------------------------
@pytest.fixture()
def own_home(demo_home, tmp_path) -> DemoHome:
    return copied_home(demo_home, tmp_path / "home")


def run_all(own_home, *args: str):
    """`alerts` from the first demo day: several alerts (from SINCE on, run_alerts finds one)."""
    return run_alerts(own_home, "--since", own_home.manifest.first_day, *args)


def keys(body: dict) -> list[str]:
    return [alert["key"] for alert in body["alerts"]]


def test_a_daily_run_posts_each_alert_once(own_home, receiver):
    """Run from cron, `alerts --notify-webhook` posted the same alerts every day for as long as they stayed in the
    days it screens."""
    first, second = (run_all(own_home, "--json", "--notify-webhook", receiver.url) for _ in range(2))
    assert first.exit_code == second.exit_code == 0, second.output
    printed = [alert["key"] for alert in json.loads(first.stdout)]
    assert [alert["key"] for alert in json.loads(second.stdout)] == printed, "every alert is printed, posted or not"
    body, = receiver.bodies
    found = len(printed)
    assert keys(body) == printed and found >= 2
    assert f"new={found} skipped=0 retried=0" in first.stderr
    assert f"new=0 skipped={found} retried=0" in second.stderr


def lock_of(own_home, url: str) -> Path:
    return own_home.root / "notify" / f"delivered-{webhook_id(url)}.lock"


def holds_open(process: subprocess.Popen, path: Path) -> bool:
    """Whether `process` has `path` open (Linux's /proc): a run waiting for a lock, as the run holding it."""
    try:
        return any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{process.pid}/fd").iterdir())
    except FileNotFoundError:  # a descriptor closed while listed, or the process gone
        return False


def test_two_runs_at_once_post_each_alert_once(own_home, receiver, tmp_path):
    """Two cron jobs overlapping both read the record before either had saved it, and both posted every alert. The
    receiver answers the first POST only once both runs are delivering: the second posted too, or waits for the
    webhook's lock."""
    receiver.answering.clear()
    lock = lock_of(own_home, receiver.url)
    command = [sys.executable, "-m", "pipeline", "--home", str(own_home.root), "alerts", "--since",
               own_home.manifest.first_day, "--json", "--notify-webhook", receiver.url]
    printed, runs = [tmp_path / f"run-{index}.json" for index in range(2)], []
    for path in printed:
        with path.open("w") as out:  # a file: a full pipe would stop a run before its delivery
            runs.append(subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.PIPE, text=True))

    def delivering() -> bool:  # the second run posted too, or waits for the lock the first holds
        return len(receiver.bodies) == 2 or all(holds_open(run, lock) for run in runs)

    deadline = time.monotonic() + 300
    while not delivering() and time.monotonic() < deadline and all(run.poll() is None for run in runs):
        time.sleep(0.1)
    receiver.answering.set()
    stderrs = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], stderrs
    body, = receiver.bodies
    found = len(keys(body))
    assert found >= 2 and keys(body) == [alert["key"] for alert in json.loads(printed[0].read_text())]
    said = sorted(line.split(" new=")[1] for stderr in stderrs for line in stderr.splitlines() if "event=notify" in line)
    assert said == [f"0 skipped={found} retried=0", f"{found} skipped=0 retried=0"]  # lines lead with their second


def test_a_run_that_cannot_get_the_webhooks_lock_in_time_exits_75_and_posts_nothing(own_home, receiver, monkeypatch,
                                                                                     capsys):
    monkeypatch.setattr(notify, "LOCK_WAIT", 0.0)
    monkeypatch.setattr(sys, "argv", ["pactwatch", "--home", str(own_home.root), "alerts", "--notify-webhook",
                                      receiver.url])
    lock = lock_of(own_home, receiver.url)
    lock.parent.mkdir()
    with open(lock, "w") as held, pytest.raises(SystemExit) as exited:
        fcntl.flock(held, fcntl.LOCK_EX)  # another run delivering to this webhook
        main()
    assert exited.value.code == EXIT_LOCKED and f"holds {lock}; try again" in capsys.readouterr().err
    assert receiver.bodies == []


def test_a_run_removes_the_unfinished_records_a_killed_run_left_for_its_webhook(own_home, receiver):
    """A run killed between writing the new record and renaming it left its temp file in notify/ for good."""
    folder = own_home.root / "notify"
    folder.mkdir()
    mine, theirs = (folder / f".delivered-{webhook_id(url)}.jsonl.k1ll3d" for url in (receiver.url, "http://a.example/"))
    for temp in (mine, theirs):
        temp.write_text('{"key": "cut sh')
    assert run_alerts(own_home, "--notify-webhook", receiver.url).exit_code == 0
    assert not mine.exists() and theirs.exists()  # another webhook's: a run to it may be writing it now


def test_a_failed_delivery_is_sent_by_the_next_run_and_leaves_the_outbox(own_home, receiver):
    """A payload kept in the outbox stayed there until someone noticed it and sent it by hand. The next run to that
    webhook sends it, also when its alerts are no longer in the days that run screens, and removes it."""
    receiver.status = 500
    failed = run_all(own_home, "--json", "--notify-webhook", receiver.url)
    assert failed.exit_code == 1 and "HTTP 500" in failed.stderr
    kept, = (own_home.root / "outbox").glob("alerts-*.json")
    receiver.status = 204
    fewer_days = run_alerts(own_home, "--json", "--notify-webhook", receiver.url)
    assert fewer_days.exit_code == 0, fewer_days.output
    refused, retried = receiver.bodies
    shown = {alert["key"] for alert in json.loads(fewer_days.stdout)}
    assert keys(retried) == keys(refused) and shown < set(keys(refused))  # the older ones came from the outbox
    assert f"new=0 skipped=0 retried={len(keys(refused))}" in fewer_days.stderr
    assert not kept.exists()
    assert run_all(own_home, "--notify-webhook", receiver.url).exit_code == 0 and len(receiver.bodies) == 2


def limited_file_size() -> None:
    """In the child: a write past 4 KiB fails (EFBIG), as one on a full disk does, instead of killing it (SIGXFSZ)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_payload_the_disk_takes_only_part_of_leaves_no_part_in_the_outbox(own_home, receiver):
    """Written in place, a payload cut short by a full disk stayed in the outbox, and every later run warned that it
    could not be read (as it would after a run killed while writing it). It is written whole, then renamed."""
    receiver.status = 500
    failed = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(own_home.root), "alerts", "--since",
                             own_home.manifest.first_day, "--notify-webhook", receiver.url], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=300, preexec_fn=limited_file_size)
    assert failed.returncode == 1 and "the payload could not be kept either" in failed.stderr, failed.stderr
    assert list((own_home.root / "outbox").iterdir()) == []
    receiver.status = 204
    again = run_all(own_home, "--notify-webhook", receiver.url)
    assert again.exit_code == 0 and "warning" not in again.stderr, again.stderr


def test_a_failure_again_keeps_one_payload_with_the_kept_and_the_new_alerts(own_home, receiver):
    receiver.status = 500
    assert run_alerts(own_home, "--notify-webhook", receiver.url).exit_code == 1
    wider = run_all(own_home, "--json", "--notify-webhook", receiver.url)
    assert wider.exit_code == 1 and "retried=" not in wider.stderr
    kept, = (own_home.root / "outbox").glob("alerts-*.json")
    assert sorted(keys(json.loads(kept.read_text(encoding="utf-8")))) == sorted(
        alert["key"] for alert in json.loads(wider.stdout))


def test_resend_posts_the_alerts_a_webhook_received_before(own_home, receiver):
    run_all(own_home, "--notify-webhook", receiver.url)
    again = run_all(own_home, "--notify-webhook", receiver.url, "--resend")
    assert again.exit_code == 0, again.output
    first, second = receiver.bodies
    assert keys(second) == keys(first) and f"new={len(keys(first))} skipped=0" in again.stderr


def test_a_damaged_record_does_not_stop_delivery(own_home, receiver):
    """A record cut short or edited by hand loses the alerts of its bad lines (posted again), not the delivery."""
    run_all(own_home, "--notify-webhook", receiver.url)
    record, = (own_home.root / "notify").glob("delivered-*.jsonl")
    lines = record.read_bytes().splitlines(keepends=True)
    damaged = [json.loads(lines[0])["key"], json.loads(lines[-1])["key"]]
    record.write_bytes(b"\xff{not json\n" + b"".join(lines[1:-1]) + lines[-1][:len(lines[-1]) // 2])
    again = run_all(own_home, "--notify-webhook", receiver.url)
    assert again.exit_code == 0, again.output
    assert "warning: skipped 2 unreadable line(s)" in again.stderr
    assert sorted(keys(receiver.bodies[1])) == sorted(damaged)
    assert f"new=2 skipped={len(lines) - 2}" in again.stderr
    assert run_all(own_home, "--notify-webhook", receiver.url).stderr.count("warning") == 0  # written whole again
    assert len(receiver.bodies) == 2


def test_a_record_keeps_ninety_days_of_alerts_and_every_alert_its_run_found(own_home, receiver):
    record = own_home.root / "notify" / f"delivered-{webhook_id(receiver.url)}.jsonl"
    record.parent.mkdir()
    record.write_text(json.dumps({"key": "CHN-USA.all.2020-01-01.new_pair", "day": "2020-01-01"}) + "\n")
    assert run_all(own_home, "--json", "--notify-webhook", receiver.url).exit_code == 0
    kept = [json.loads(line)["key"] for line in record.read_text(encoding="utf-8").splitlines()]
    assert sorted(kept) == sorted(keys(receiver.bodies[0]))  # found over 18 months: all kept, the 2020 one dropped


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can write a home another user owns")
def test_root_gives_the_delivery_record_it_wrote_back_to_the_homes_owner(own_home, receiver):
    for path in [own_home.root, *own_home.root.rglob("*")]:
        os.lchown(path, 65534, 65534)
    assert run_all(own_home, "--notify-webhook", receiver.url).exit_code == 0 and receiver.bodies
    assert (own_home.root / "notify").is_dir()
    assert {(path.lstat().st_uid, path.lstat().st_gid) for path in own_home.root.rglob("*")} == {(65534, 65534)}


def test_a_delivery_that_cannot_be_recorded_exits_1_and_says_it_will_be_posted_again(own_home, receiver):
    (own_home.root / "notify").write_text("a file where the folder belongs")
    result = run_alerts(own_home, "--notify-webhook", receiver.url)
    assert result.exit_code == 1 and receiver.bodies
    assert "delivered but could not be recorded" in result.stderr and "next run posts them again" in result.stderr


def test_two_webhooks_keep_records_of_their_own(own_home, receiver):
    other = Receiver()
    try:
        for url in (receiver.url, other.url, receiver.url):
            assert run_alerts(own_home, "--notify-webhook", url).exit_code == 0
    finally:
        other.close()
    assert len(receiver.bodies) == len(other.bodies) == 1 and keys(other.bodies[0]) == keys(receiver.bodies[0])
    assert len(list((own_home.root / "notify").glob("delivered-*.jsonl"))) == 2


def port_of(receiver) -> int:
    return receiver.server.server_address[1]


def test_one_webhook_written_two_ways_keeps_one_record_and_gets_each_alert_once(own_home, receiver):
    """"HTTP://LocalHost:…/hook" and "http://localhost:…/hook" are one webhook, but each had a record named by a hash
    of the URL as written: a cron job whose URL was written anew posted every alert again."""
    port = port_of(receiver)
    first, again = (run_all(own_home, "--notify-webhook", url)
                    for url in (f"http://localhost:{port}/hook", f"HTTP://LocalHost:{port}/hook"))
    assert first.exit_code == again.exit_code == 0, again.output
    body, = receiver.bodies
    assert f"new=0 skipped={len(keys(body))} retried=0" in again.stderr
    assert len(list((own_home.root / "notify").glob("delivered-*.jsonl"))) == 1


def named_as_before(url: str) -> str:
    """The id versions before gave a webhook in the names of its files: a hash of its URL as written."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def test_a_record_kept_under_the_url_as_written_is_read_and_taken_over_by_the_next_delivery(own_home, receiver):
    """Versions before named a webhook's record by a hash of its URL as written: "HTTP://LocalHost:…" would no longer
    find its record, and would post again every alert it received. The record a version before kept for it (here one
    a run to the URL as written today wrote, renamed) is read, and the next delivery writes it under the webhook's
    name and removes it."""
    port = port_of(receiver)
    written = f"HTTP://bot:pw-s3cret@LocalHost:{port}/hook"
    assert run_alerts(own_home, "--notify-webhook", f"http://bot:pw-s3cret@localhost:{port}/hook").exit_code == 0
    folder = own_home.root / "notify"
    record, = folder.glob("delivered-*.jsonl")
    record.rename(folder / f"delivered-{named_as_before(written)}.jsonl")
    first, again = (run_all(own_home, "--notify-webhook", written) for _ in range(2))
    assert first.exit_code == again.exit_code == 0, first.output
    received, older = map(keys, receiver.bodies)  # the latest alerts, then the older ones run_all finds too
    assert received and older and set(received).isdisjoint(older)
    assert f"new={len(older)} skipped={len(received)} retried=0" in first.stderr
    assert f"new=0 skipped={len(received) + len(older)} retried=0" in again.stderr
    assert sorted(path.name for path in folder.glob("delivered-*.jsonl")) == [record.name]
    assert not [path for path in folder.iterdir() if "s3cret" in path.name or "localhost" in path.name.lower()]


def test_a_payload_kept_under_the_url_as_written_is_sent_to_that_webhook(own_home, receiver):
    written = f"http://LOCALHOST:{port_of(receiver)}/hook"
    receiver.status = 500
    assert run_all(own_home, "--notify-webhook", written).exit_code == 1
    kept, = (own_home.root / "outbox").glob("alerts-*.json")
    payload = json.loads(kept.read_text(encoding="utf-8"))
    assert payload["webhook"] == webhook_id(written) != named_as_before(written)
    kept.write_text(json.dumps({**payload, "webhook": named_as_before(written)}))  # as a version before kept it
    receiver.status = 204
    retried = run_alerts(own_home, "--notify-webhook", written)
    assert retried.exit_code == 0, retried.output
    refused, sent = receiver.bodies
    assert keys(sent) == keys(refused) and f"retried={len(keys(refused))}" in retried.stderr and not kept.exists()


def test_the_record_and_the_outbox_never_hold_the_webhooks_url(own_home, receiver):
    hook = receiver.url.replace("http://", "http://bot:pw-s3cret@") + "s/p4th-s3cret?token=t0k-s3cret"
    receiver.status = 500
    assert run_alerts(own_home, "--notify-webhook", hook).exit_code == 1
    receiver.status = 204
    assert run_alerts(own_home, "--notify-webhook", hook).exit_code == 0
    receiver.status = 500
    assert run_alerts(own_home, "--notify-webhook", hook, "--resend").exit_code == 1
    written = [*(own_home.root / "notify").iterdir(), *(own_home.root / "outbox").iterdir()]
    assert {path.parent.name for path in written} == {"notify", "outbox"}
    address = receiver.url.split("/")[2]  # 127.0.0.1:port
    texts = [path.name + path.read_text(encoding="utf-8") for path in written]
    assert len(texts) == 3 and not [text for text in texts if "s3cret" in text or address in text]  # and the lock


def test_a_payload_kept_before_payloads_named_their_webhook_is_left_with_a_warning(own_home, receiver):
    """Such a payload may have been for another webhook: sent on by guess it could reach the wrong receiver."""
    outbox = own_home.root / "outbox"
    outbox.mkdir()
    legacy = outbox / "alerts-20260101T000000000000Z.json"
    legacy.write_text(json.dumps({"source": "pactwatch", "count": 0, "alerts": [], "delivery_error": "HTTP 500"}))
    result = run_alerts(own_home, "--notify-webhook", receiver.url)
    assert result.exit_code == 0 and legacy.exists()
    assert "1 payload(s)" in result.stderr and "name no webhook" in result.stderr and "retried=0" in result.stderr


@pytest.mark.parametrize("day", ["2025-01-01T00:00:00+00:00", None])
def test_a_kept_alert_the_record_cannot_keep_is_left_with_a_warning_and_nothing_posted_twice(own_home, receiver, day):
    """A kept alert whose day another version wrote otherwise (or not at all) was posted, its payload removed, and the
    run stopped with a traceback before saving the record: the next run posted every alert it found once more."""
    outbox = own_home.root / "outbox"
    outbox.mkdir()
    kept = outbox / "alerts-20260101T000000000000Z.json"
    alert = {"key": "CHN-USA.all.2025-01-01.surge_4w", **({"day": day} if day else {})}
    kept.write_text(json.dumps({"source": "pactwatch", "count": 1, "alerts": [alert],
                                "webhook": webhook_id(receiver.url), "delivery_error": "HTTP 500"}))
    first, second = (run_alerts(own_home, "--notify-webhook", receiver.url) for _ in range(2))
    assert first.exit_code == second.exit_code == 0, first.output
    assert f"{kept} could not be read (an alert without its key or its day" in first.stderr and kept.exists()
    body, = receiver.bodies
    assert alert["key"] not in keys(body) and "new=0 skipped=" in second.stderr


def test_alerts_until_a_day_lists_the_week_up_to_it(demo_home):
    """An auditor asking which alerts fired in June had `--since` and no end: the list ran to the last day of data,
    and without --since it was the latest week, whatever the question."""
    every = json.loads(run_alerts(demo_home, "--json", "--since", demo_home.manifest.first_day).output)
    until = SPIKE.start + timedelta(days=SPIKE.days)
    lookback = load_alert_config().settings.lookback_days
    week = CliRunner().invoke(cli, ["--home", str(demo_home.root), "alerts", "--until", until.isoformat(), "--json"],
                              obj={}, catch_exceptions=False)
    expected = {(a["pair"], a["topic"], a["day"], a["rule"]) for a in every
                if until - timedelta(days=lookback) < date.fromisoformat(a["day"]) <= until}
    assert expected and {(a["pair"], a["topic"], a["day"], a["rule"]) for a in json.loads(week.output)} == expected
    assert any(a["pair"] == "-".join(SPIKE.pair) for a in json.loads(week.output))  # the spike's week
    backwards = CliRunner().invoke(cli, ["--home", str(demo_home.root), "alerts", "--since", until.isoformat(),
                                         "--until", SPIKE.start.isoformat()], obj={})
    assert backwards.exit_code == 2 and "is after --until" in backwards.output

"""The demo corpus generator: determinism, counts, valid RSS, injected ground truth, bounded memory."""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import psutil
import pycountry
import pytest

from pipeline.demo import (
    DemoManifest, Flood, ManifestError, Outage, ScenarioError, Spike, default_spikes, iter_demo_snapshots,
    load_scenario, write_demo_corpus,
)
from pipeline.demo.series import in_series
from pipeline.paths import SEEDS, SEEDS_ENV
from pipeline.seeds import load_tagger

END = date(2026, 11, 28)
ITEM = re.compile(
    r"<item>\n<title>(?P<title>.*?)</title>.*?<description>(?P<summary>.*?)</description>\n"
    r"<pubDate>(?P<published>.*?)</pubDate>\n"
    r'<category domain="urn:pactwatch-demo:countries">(?P<countries>.*?)</category>\n'
    r'<category domain="urn:pactwatch-demo:topic">(?P<topic>.*?)</category>\n'
    r'<category domain="urn:pactwatch-demo:source">(?P<source>.*?)</category>', re.S)


def _items(manifest: DemoManifest):
    """Every item of the corpus as a dict (plus its outlet and UTC day), via the generator's own markup."""
    for outlet_id, path in iter_demo_snapshots(manifest):
        for match in ITEM.finditer(path.read_text(encoding="utf-8")):
            item = match.groupdict()
            item["outlet"] = outlet_id
            item["day"] = parsedate_to_datetime(item["published"]).date()
            yield item


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> DemoManifest:
    return write_demo_corpus(tmp_path_factory.mktemp("demo") / "corpus", articles=6000, end_date=END,
                             items_per_file=200)


def test_same_arguments_give_byte_identical_files(tmp_path):
    args = dict(articles=3000, seed=11, end_date=END, spikes=default_spikes(END), items_per_file=300,
                outage=Outage(END - timedelta(days=30), days=2), flood=Flood("maple-wire", ("BRA", "NOR"), "trade",
                                                                          END - timedelta(days=60), 2, 5))
    first = write_demo_corpus(tmp_path / "one", **args)
    second = write_demo_corpus(tmp_path / "two", **args)
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    for name in files:
        if name.name != "feeds.toml":  # holds absolute folder paths
            assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert first == second == DemoManifest.load(tmp_path / "two")
    rerun = write_demo_corpus(tmp_path / "one", **args)  # regenerating in place leaves no stale files
    assert sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file()) == files
    assert rerun == first


def test_writing_again_removes_what_a_killed_run_left_unfinished(tmp_path):
    """The temp files of the snapshots, feed list and manifest a run killed while writing them left behind."""
    write_demo_corpus(tmp_path, articles=100, end_date=END)
    unfinished = [tmp_path / ".manifest.json.k1ll3d", tmp_path / ".feeds.toml.k1ll3d",
                  tmp_path / "demo-wire" / ".00000.xml.k1ll3d"]
    for path in unfinished:
        path.write_text("cut sh")
    write_demo_corpus(tmp_path, articles=100, end_date=END)
    assert [path for path in unfinished if path.exists()] == []


def test_a_corpus_written_again_that_fails_leaves_no_manifest_of_the_files_before(tmp_path):
    """Writing the corpus again rewrites the snapshots the manifest names: one stopped on the way (here an outlet's
    folder that is a file) leaves no manifest, not the earlier one, whose files are gone."""
    write_demo_corpus(tmp_path, articles=100, end_date=END)
    last_outlet = tmp_path / load_scenario().outlets[-1].id
    for snapshot in last_outlet.iterdir():
        snapshot.unlink()
    last_outlet.rmdir()
    last_outlet.write_text("in the way")
    with pytest.raises(OSError):
        write_demo_corpus(tmp_path, articles=100, end_date=END)
    assert not (tmp_path / "manifest.json").exists()
    with pytest.raises(ManifestError):
        DemoManifest.load(tmp_path)

def test_a_manifest_cut_short_or_missing_is_named_with_what_to_do(corpus, tmp_path):
    """Versions before wrote manifest.json in place, so a run killed on the way left it cut short: reading it says
    which file and what to do, not how JSON failed to decode."""
    whole = (corpus.root / "manifest.json").read_text(encoding="utf-8")
    (tmp_path / "manifest.json").write_text(whole[:len(whole) // 2], encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest\.json is no whole demo manifest .*write the corpus again"):
        DemoManifest.load(tmp_path)
    (tmp_path / "manifest.json").unlink()
    with pytest.raises(ManifestError, match=r"manifest\.json is no whole demo manifest \(\[Errno 2\]"):
        list(iter_demo_snapshots(tmp_path))


def test_article_count_matches_request_and_files(corpus):
    assert corpus.total_articles == corpus.baseline_written == corpus.articles == 6000
    assert len(corpus.outlets) == 20 and len({o.id for o in corpus.outlets}) == 20
    assert sum(o.articles for o in corpus.outlets) == 6000
    assert sum(1 for _ in _items(corpus)) == 6000
    for outlet in corpus.outlets:
        assert outlet.files and all(f.items == 200 for f in outlet.files[:-1]) and 0 < outlet.files[-1].items <= 200


def test_every_file_is_valid_rss_with_dates_inside_the_window(corpus):
    first_day, end = date.fromisoformat(corpus.first_day), date.fromisoformat(corpus.end_date)
    assert first_day == date(2024, 5, 1) and end == END, "24 months, reaching back to the 2024 summit story"
    guids = set()
    for outlet_id, path in iter_demo_snapshots(corpus):
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert len(feed.entries) == next(f.items for o in corpus.outlets if o.id == outlet_id
                                         for f in o.files if corpus.root / f.path == path)
        for entry in feed.entries:
            published = parsedate_to_datetime(entry.published)
            assert published.tzinfo is not None and published.utcoffset() == timedelta(0)
            assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == published
            assert first_day <= published.date() < end
            assert entry.link.startswith(f"https://demo.pactwatch.invalid/{outlet_id}/")
            assert entry.title and 2 <= entry.summary.count(". ") + 1 <= 4
            guids.add(entry.id)
    assert len(guids) == corpus.total_articles


def test_snapshots_are_chronological_and_replayed_round_robin(corpus):
    replay = list(iter_demo_snapshots(corpus.root))  # from the directory's manifest.json
    assert len(replay) == sum(len(o.files) for o in corpus.outlets)
    assert [path.name for _, path in replay[:20]] == ["00000.xml"] * 20
    for outlet in corpus.outlets:
        stamps = [(parsedate_to_datetime(f.first_published), parsedate_to_datetime(f.last_published))
                  for f in outlet.files]
        assert all(a <= b for a, b in stamps) and all(b <= c for (_, b), (c, _) in zip(stamps, stamps[1:]))


def test_feeds_toml_describes_every_outlet(corpus):
    feeds = tomllib.loads((corpus.root / "feeds.toml").read_text())["feed"]
    assert [f["id"] for f in feeds] == [o.id for o in corpus.outlets]
    for feed in feeds:
        assert feed["url"].startswith("file:///") and Path(feed["url"][7:]).is_dir()
        assert (feed["tier"], feed["tags"], feed["enabled"], feed["language"]) == (3, ["demo"], False, "en")
        assert len(feed["outlet_country"]) == 3 and feed["name"] == feed["outlet"]


def test_pair_articles_mention_both_countries_and_leaders_only_in_office(corpus):
    forms = {iso3: [f for form in (*c.names, *c.demonyms, *c.metonyms, *(leader.short for leader in c.leaders))
                    for f in (form, form[:1].upper() + form[1:])]
             for iso3, c in load_scenario().countries.items()}
    for item in _items(corpus):
        text = item["title"] + " " + item["summary"]
        assert "{" not in text and "}" not in text
        for iso3 in item["countries"].split("-"):
            assert any(form in text for form in forms[iso3]), (iso3, text)
        assert ("Trump" not in text or item["day"] >= date(2025, 1, 20)), text
        assert ("Biden" not in text or item["day"] < date(2025, 1, 20)), text


def test_one_country_articles_are_tagged_with_the_topic_they_were_written_for(corpus):
    # "US exports fall for third straight month" scored 3 of trade's 8 and left solo trade articles topicless
    tagger = load_tagger()
    untagged = Counter(item["topic"] for item in _items(corpus) if "-" not in item["countries"]
                       and item["topic"] not in tagger.tag(html.unescape(item["title"]), html.unescape(item["summary"]),
                                                           published=item["day"]).topic_ids)
    assert not untagged

def test_weekends_are_quieter(corpus):
    per_weekday = Counter(item["day"].weekday() for item in _items(corpus))
    assert max(per_weekday[5], per_weekday[6]) < 0.7 * min(per_weekday[d] for d in range(5))


def test_events_appear_only_inside_the_window(tmp_path):
    summit = "first visit in 24 years"
    around_summit = write_demo_corpus(tmp_path / "2024", articles=10_000, end_date=date(2024, 12, 31))
    before = write_demo_corpus(tmp_path / "before", articles=2000, end_date=date(2024, 6, 1))
    now = write_demo_corpus(tmp_path / "2026", articles=4000, end_date=END)
    hits = [item for item in _items(around_summit) if summit in item["title"]]
    assert hits and all(date(2024, 6, 15) <= item["day"] <= date(2024, 7, 31) for item in hits)
    assert not any(summit in item["title"] for item in _items(before))
    assert any(summit in item["title"] for item in _items(now)), "today's demo still shows the summit"
    prk_rus = Counter(item["day"].isocalendar()[:2] for item in _items(around_summit)
                      if item["countries"] == "PRK-RUS")
    quiet_weeks = [prk_rus[(2024, week)] for week in range(2, 21)]
    assert prk_rus[(2024, 25)] > 3 * sum(quiet_weeks) / len(quiet_weeks)  # the summit week vs early 2024


def _series_counts(manifest: DemoManifest, series: tuple[tuple[str, str], str], days: set[date]) -> Counter:
    """Per day, the articles ingest would store in the tagged pair x topic series (only the pair's items can be)."""
    tagger, countries = load_tagger(), "-".join(series[0])
    return Counter(item["day"] for item in _items(manifest) if item["day"] in days and item["countries"] == countries
                   and in_series(tagger, series, html.unescape(item["title"]), html.unescape(item["summary"]),
                                 item["day"]))


def test_spike_multiplies_the_tagged_pair_topic_series_from_several_outlets(tmp_path):
    # PRK-RUS military articles are tagged diplomacy too (arms deals, pledges, meetings): the diplomacy series is
    # more than twice its stream
    spike = Spike(("RUS", "PRK"), "diplomacy", start=END - timedelta(days=30), days=5, multiplier=4.0)
    window = {spike.start + timedelta(days=i) for i in range(spike.days)}
    plain = write_demo_corpus(tmp_path / "plain", articles=40_000, end_date=END)
    spiked = write_demo_corpus(tmp_path / "spiked", articles=40_000, end_date=END, spikes=[spike])
    truth = spiked.injections[0]
    assert (truth.kind, truth.pair, truth.topic, truth.first_day) == ("spike", ["PRK", "RUS"], "diplomacy",
                                                                       spike.start.isoformat())
    before, after = Counter(i["day"] for i in _items(plain)), Counter(i["day"] for i in _items(spiked))
    assert truth.expected_extra == truth.written == sum(after.values()) - sum(before.values()) > 0
    assert {day for day in after if after[day] != before[day]} == window  # baseline elsewhere untouched
    assert truth.series_shares["diplomacy"] > 0.9 and 0.2 < truth.series_shares["military"] < 0.75
    series = sum(entry["baseline"] for entry in truth.daily.values())
    assert series > 1.5 * sum(entry["stream"] for entry in truth.daily.values())
    assert truth.expected_extra == pytest.approx(3.0 * series / truth.spike_share, abs=1)
    tagged = (spike.pair, spike.topic)
    observed = sum(_series_counts(spiked, tagged, window).values()) / sum(_series_counts(plain, tagged, window).values())
    assert 0.7 * spike.multiplier <= observed <= 1.4 * spike.multiplier
    spike_outlets = {item["outlet"] for item in _items(spiked) if item["source"] == "spike-0"}
    assert len(spike_outlets) >= 2 and spike_outlets == set(truth.outlets)
    assert spiked.total_articles == 40_000 + truth.written


def test_a_ramp_rises_day_by_day_to_its_multiplier(tmp_path):
    """Spike.ramp: day i of n adds (multiplier - 1) x i / n of the day's series, so the extra articles grow across the
    weeks (the Overview's rising pairs) instead of standing at once (a spike's)."""
    ramp = Spike(("RUS", "PRK"), "diplomacy", start=END - timedelta(days=60), days=60, multiplier=3.0, ramp=True)
    truth = write_demo_corpus(tmp_path / "c", articles=40_000, end_date=END, spikes=[ramp]).injections[0]
    assert truth.ramp and DemoManifest.load(tmp_path / "c").injections[0].ramp
    days = list(truth.daily.values())
    wanted = [(ramp.multiplier_on(i) - 1) * day["baseline"] / truth.spike_share for i, day in enumerate(days, 1)]
    assert truth.expected_extra == round(sum(wanted))
    assert ramp.multiplier_on(1) == pytest.approx(1 + 2 / 60) and ramp.multiplier_on(60) == 3.0
    extra = [day["extra"] for day in days]
    assert sum(extra[:20]) * 3 < sum(extra[-20:])  # expected 1 : 5 (day 10 against day 50)


def test_outage_silences_outlets_and_flood_repeats_one_pair(tmp_path):
    outage = Outage(END - timedelta(days=40), days=14)  # long enough that the one surviving outlet publishes in it
    flood = Flood("savanna-times", ("KEN", "PRT"), "trade", END - timedelta(days=20), days=4, per_day=15)
    manifest = write_demo_corpus(tmp_path / "c", articles=8000, end_date=END, outage=outage, flood=flood)
    flood_truth, outage_truth = manifest.injections
    down = {outage.start + timedelta(days=i) for i in range(outage.days)}
    survivor = manifest.outlets[0].id
    assert outage_truth.outlets == sorted(o.id for o in manifest.outlets[1:]) and outage_truth.removed > 0
    items = list(_items(manifest))
    assert not [i for i in items if i["day"] in down and i["outlet"] != survivor]
    assert [i for i in items if i["day"] in down and i["outlet"] == survivor]
    flooded = Counter(i["day"] for i in items if i["source"] == "flood-0")
    assert set(flooded.values()) == {15} and len(flooded) == 4
    assert {i["outlet"] for i in items if i["source"] == "flood-0"} == {"savanna-times"}
    assert flood_truth.written == flood_truth.expected_extra == 60
    assert manifest.total_articles == len(items) == 8000 - outage_truth.removed + 60


def test_injections_are_checked(tmp_path):
    with pytest.raises(ScenarioError, match="not a scenario stream"):
        write_demo_corpus(tmp_path, articles=10, end_date=END, spikes=[Spike(("FIN", "VNM"), "military", END, 2, 3.0)])
    with pytest.raises(ScenarioError, match="unknown demo outlet"):
        write_demo_corpus(tmp_path, articles=10, end_date=END, outage=Outage(END, 2, outlets=("no-such-outlet",)))
    with pytest.raises(ValueError, match="multiplier"):
        Spike(("CHN", "USA"), "trade", END, days=2, multiplier=0.5)
    with pytest.raises(ValueError, match="per_day"):
        Flood("demo-wire", ("CHN", "USA"), "trade", END, days=2, per_day=0)


@pytest.mark.parametrize(("edit", "said"), [
    # a TOML slip: tomllib's traceback, from `make run` too
    (lambda text: text + "\nx = = 1\n", r"templates.toml:\d+:5: Invalid value$"),
    # a table left out: a KeyError's traceback
    (lambda text: text.replace("[settings]", "[setting]", 1), r"demo: the demo's files lack or misshape what the "
                                                               r"scenario reads \(KeyError: 'settings'\)$"),
], ids=["toml_syntax", "table_left_out"])
def test_a_broken_demo_seed_file_is_named_in_one_line(tmp_path, edit, said):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    broken = seeds / "demo" / ("templates.toml" if "templates" in said else "scenario.toml")
    broken.write_text(edit(broken.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ScenarioError, match=said):
        load_scenario(seeds / "demo")
    result = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(tmp_path / "home"), "demo"],
                            capture_output=True, text=True, env={**os.environ, SEEDS_ENV: str(seeds)}, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert re.search(said, result.stderr.splitlines()[-1]), result.stderr


def test_default_spikes_fall_inside_the_window_on_scenario_streams():
    scenario = load_scenario()
    for spike in default_spikes(END):
        assert END - timedelta(days=365) < spike.start < END and spike.multiplier >= (2 if spike.ramp else 3)
        assert scenario.stream_index(spike.pair, spike.topic) is not None


# pycountry's names plus the short forms news uses
NEWS_SHORT_NAMES = {"US", "United States", "Russia", "North Korea", "South Korea", "Iran", "Vietnam"}


def test_templates_name_countries_only_through_placeholders():
    scenario = load_scenario()
    real_names = {name for c in pycountry.countries
                  for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)) if name}
    for iso3, country in scenario.countries.items():
        assert pycountry.countries.get(alpha_3=iso3) is not None, iso3
        for name in country.names:
            assert name.removeprefix("the ") in real_names | NEWS_SHORT_NAMES, name
    literal = {name for name in real_names | NEWS_SHORT_NAMES if len(name) > 3}
    literal |= {form for c in scenario.countries.values() for form in (*c.names, *c.metonyms)}
    literal |= {leader.short for c in scenario.countries.values() for leader in c.leaders}
    literal -= {"Kursk"}  # a Russian region, not a country
    for template in scenario.all_templates():
        found = [name for name in literal if re.search(rf"\b{re.escape(name)}\b", template)]
        assert not found, (template, found)


def test_memory_stays_bounded_for_200k_articles(tmp_path):
    process = psutil.Process()
    start = process.memory_info().rss
    peak = start
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, process.memory_info().rss)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        manifest = write_demo_corpus(tmp_path / "big", articles=200_000, end_date=END, items_per_file=1000)
    finally:
        done.set()
        sampler.join()
    assert manifest.total_articles == 200_000
    assert peak - start < 150 * 2**20, f"RSS grew by {(peak - start) / 2**20:.0f} MB"


def test_a_demo_stopped_right_after_its_first_commit_publishes_that_run(tmp_path, monkeypatch):
    from pipeline import ingest
    from pipeline.home import Home
    from pipeline.store.reader import open_snapshot
    from pipeline.store.warehouse import Warehouse

    real_ingest = ingest.ingest_documents

    def ctrl_c_after_the_commit(*args, **kwargs):
        real_ingest(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "ingest_documents", ctrl_c_after_the_commit)
    home = Home.resolve(tmp_path / "home").ensure()
    with Warehouse(home.writer_db) as warehouse, pytest.raises(KeyboardInterrupt):
        ingest.build_demo(home, warehouse, load_tagger(), articles=300, seed=1, end_date=END)
    with Warehouse(home.writer_db) as warehouse:
        committed = warehouse.article_count()
    with open_snapshot(home) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == committed > 0


def test_a_demo_whose_last_run_was_published_on_the_way_publishes_its_end_too(tmp_path, monkeypatch):
    """Its end is no run: a snapshot published right after the last run (BULK_PUBLISH_SECONDS gone by) did not make
    the final one needless, or the demo would stay started for every reader."""
    from pipeline import ingest
    from pipeline.home import Home
    from pipeline.store.queries import demo_state
    from pipeline.store.reader import open_snapshot
    from pipeline.store.warehouse import Warehouse

    monkeypatch.setattr(ingest, "BULK_PUBLISH_SECONDS", 0)
    home = Home.resolve(tmp_path / "home").ensure()
    with Warehouse(home.writer_db) as warehouse:
        ingest.build_demo(home, warehouse, load_tagger(), articles=300, seed=1, end_date=END)
    with open_snapshot(home) as con:
        assert demo_state(con) == "finished"


def test_a_demo_stopped_while_publishing_its_end_is_published_by_demo_unless_done_not_built_again(tmp_path,
                                                                                                 monkeypatch):
    """The end is committed before the final snapshot is written: a stop in between leaves the writer finished and the
    snapshot of the last run (which a long demo publishes on the way) saying started. `make run` publishes it."""
    from click.testing import CliRunner

    from pipeline import ingest
    from pipeline.cli import cli
    from pipeline.home import Home
    from pipeline.store.queries import demo_state
    from pipeline.store.reader import open_snapshot
    from pipeline.store.warehouse import Warehouse

    def stopped(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "BULK_PUBLISH_SECONDS", 0)  # a snapshot after each run, as on the way of a long demo
    monkeypatch.setattr(ingest, "publish_compacted", stopped)  # the final publish
    home = Home.resolve(tmp_path / "home").ensure()
    with Warehouse(home.writer_db) as warehouse, pytest.raises(KeyboardInterrupt):
        ingest.build_demo(home, warehouse, load_tagger(), articles=300, seed=1, end_date=END)
    monkeypatch.undo()
    with open_snapshot(home) as con:
        assert demo_state(con) == "started"
    corpus = (home.demo_dir / "manifest.json").stat().st_mtime_ns

    result = CliRunner().invoke(cli, ["--home", str(home.root), "demo", "--unless-done", "--articles", "300",
                                      "--seed", "1", "--end-date", END.isoformat()])
    assert result.exit_code == 0 and "event=demo found=finished-demo then=published" in result.output, result.output
    with open_snapshot(home) as con:
        assert demo_state(con) == "finished"
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1, "published, not built again"
    assert (home.demo_dir / "manifest.json").stat().st_mtime_ns == corpus


def stored_articles(home) -> set[tuple]:
    from pipeline.store.reader import open_snapshot

    with open_snapshot(home) as con:
        return set(con.execute("SELECT article_key, title, published_at FROM articles").fetchall())


def test_demo_on_a_later_day_starts_over_a_demo_holding_the_home_alone(tmp_path):
    """Its end date defaults to today, and its GUIDs (outlet and sequence number) do not name it: continued in place, a
    demo of another day would add to the first corpus the articles it does not share GUIDs with."""
    from click.testing import CliRunner

    from pipeline.cli import cli
    from pipeline.home import Home
    from pipeline.store.queries import demo_state
    from pipeline.store.reader import open_snapshot

    def demo(home: Home, end: date) -> str:
        result = CliRunner().invoke(cli, ["--home", str(home.root), "demo", "--articles", "300", "--seed", "1",
                                          "--end-date", end.isoformat()])
        assert result.exit_code == 0, result.output
        return result.output

    fresh, home = Home.resolve(tmp_path / "fresh"), Home.resolve(tmp_path / "home")
    demo(fresh, END)
    assert "then=" not in demo(home, END - timedelta(days=60))
    first = stored_articles(home)
    assert "event=demo found=finished-demo then=built-again" in demo(home, END)

    assert stored_articles(home) == stored_articles(fresh) != first
    with open_snapshot(home) as con:
        assert demo_state(con) == "finished"
        assert con.execute("SELECT count(*) FROM runs").fetchone() == (1,), "the first demo's run went with it"


def test_a_run_that_reads_several_captures_of_one_feed_counts_each_captures_new_articles(tmp_path):
    """A fetch's new_articles was its feed's total for the run, written on each of the feed's fetches: summed over
    a demo run's fetches it came to more than the run stored."""
    from pipeline.feeds.feedlist import load_feed_list
    from pipeline.home import Home
    from pipeline.ingest import ingest_local_files, register_feed_specs
    from pipeline.store.warehouse import Warehouse

    home = Home.resolve(tmp_path / "home").ensure()
    manifest = write_demo_corpus(home.demo_dir, articles=1500, end_date=END, items_per_file=100)
    snapshots = list(iter_demo_snapshots(manifest))
    first_feed = snapshots[0][0]
    captures = [s for s in snapshots if s[0] == first_feed][:2] + [s for s in snapshots if s[0] != first_feed][:1]
    with Warehouse(home.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(home.demo_dir / "feeds.toml"))
        [summary] = ingest_local_files(home, warehouse, load_tagger(), captures)
        fetched = warehouse.con.execute("SELECT feed_id, entries, new_articles FROM fetches ORDER BY feed_id").fetchall()
    assert [feed for feed, *_ in fetched].count(first_feed) == 2
    assert sum(new for *_, new in fetched) == summary.new_articles > 0
    assert all(0 < new <= entries for _, entries, new in fetched)


# --- the demo warehouse gives every dashboard control something to change ---------------------------------------------
@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory):
    """`pactwatch demo`'s home, built smaller (3,000 articles)."""
    from pipeline.ingest import build_demo
    from pipeline.home import Home
    from pipeline.store.warehouse import Warehouse

    home = Home.resolve(tmp_path_factory.mktemp("demo_warehouse") / "home").ensure()
    with Warehouse(home.writer_db) as warehouse:
        build_demo(home, warehouse, load_tagger(), articles=3000, seed=7, end_date=END)
    return home


def demo_counts(home, sql: str, **params: str) -> tuple:
    from pipeline.store.reader import open_snapshot

    with open_snapshot(home) as con:
        return con.execute(sql, params).fetchone()


def test_demo_articles_pair_countries_apart_in_lists_and_among_three_or_more(demo_warehouse):
    """Every demo article named one or two countries, and both in one sentence, none in a list: the dashboard's
    sentence / article switches, `named_both` and its filter of listing sentences changed nothing on the demo.
    Most pairs are still put together in a sentence, as the story arcs' news does."""
    pairs, apart = demo_counts(demo_warehouse,
                               "SELECT count(*), count(*) FILTER (WHERE sentences = 0) FROM article_pairs")
    sentences, listed = demo_counts(demo_warehouse,
                                    "SELECT count(*), count(*) FILTER (WHERE listed) FROM pair_sentences")
    articles, three = demo_counts(demo_warehouse, """
        SELECT count(*), count(*) FILTER (WHERE named >= 3)
        FROM (SELECT count(*) AS named FROM article_countries GROUP BY article_id)""")
    # pairs of countries an article names without pairing them, in a sentence or as two it is about
    named_only, = demo_counts(demo_warehouse, """
        SELECT count(*) FROM article_countries a
        JOIN article_countries b ON a.article_id = b.article_id AND a.iso3 < b.iso3
        ANTI JOIN article_pairs p ON p.article_id = a.article_id AND p.iso_a = a.iso3 AND p.iso_b = b.iso3""")
    assert 0.03 < apart / pairs < 0.2
    assert 0.03 < listed / sentences < 0.25
    assert 0.03 < three / articles < 0.25
    assert named_only > 0


def test_the_demos_pair_explorer_changes_with_its_articles_switch_and_its_list_filter(monkeypatch, demo_warehouse):
    from pipeline.dashboard.routes import PAIR
    from tests.dashboard.conftest import open_page

    dates = {"from": "2024-05-01", "to": (END - timedelta(days=1)).isoformat(), "pair": "PRK-RUS"}
    sentences, listed, together, about_both = demo_counts(demo_warehouse, """
        SELECT (SELECT count(*) FROM pair_sentences WHERE iso_a = $a AND iso_b = $b),
               (SELECT count(*) FROM pair_sentences WHERE iso_a = $a AND iso_b = $b AND listed),
               count(*) FILTER (WHERE sentences > 0), count(*)
        FROM article_pairs WHERE iso_a = $a AND iso_b = $b""", a="PRK", b="RUS")
    assert 0 < listed < sentences and 0 < together < about_both

    def captions(**params: str) -> str:
        return "".join(f" {c.value}" for c in open_page(monkeypatch, demo_warehouse, PAIR, dates | params).caption)

    shown = captions(level="article", lists="on")
    assert f" {sentences - listed:,} sentences" in shown and f", {listed:,} listing the two among" in shown
    assert f" {about_both:,} article(s) with these filters" in shown and "`sentences` 0: about both" in shown
    shown = captions(level="sentence", lists="off")
    assert f" {sentences:,} sentences" in shown and "listing the two among" not in shown
    assert f" {together:,} article(s) with these filters" in shown and "`sentences` 0" not in shown


def test_the_demos_cooccurrence_counts_more_pairs_together_in_an_article_than_in_a_sentence(monkeypatch,
                                                                                          demo_warehouse):
    from pipeline.dashboard.routes import ROUTES
    from tests.dashboard.conftest import open_page

    cooccurrence = next(route for route in ROUTES if route.name == "cooccurrence")
    dates = {"from": "2024-05-01", "to": (END - timedelta(days=1)).isoformat()}
    tables = {level: open_page(monkeypatch, demo_warehouse, cooccurrence, dates | {"level": level}).dataframe[0].value
              .set_index("pair") for level in ("sentence", "article")}
    sentence, article = tables["sentence"]["together"], tables["article"]["together"]
    assert (article["PRK–RUS"], sentence["PRK–RUS"]) == demo_counts(demo_warehouse, """
        SELECT count(*), count(*) FILTER (WHERE sentences > 0) FROM article_pairs
        WHERE iso_a = $a AND iso_b = $b""", a="PRK", b="RUS")
    assert article["PRK–RUS"] > sentence["PRK–RUS"]
    assert (tables["article"]["named_both"] > article).any()

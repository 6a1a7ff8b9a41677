"""`pactwatch ingest` end to end: real HTTP server, real DuckDB files, the published snapshot checked."""
from __future__ import annotations

import csv
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.feeds.dates import filing_date
from pipeline.feeds.feedlist import load_feed_list
from pipeline.home import EXIT_LOCKED, Home
from pipeline import revisions
from pipeline.ingest import RUN_ERRORS_LISTED, poll_feeds, register_feed_specs
from pipeline.revisions import REVISIONS_KEPT
from pipeline.seeds import load_tagger, seed_hash
from pipeline.store.reader import NoSnapshot, open_snapshot
from pipeline.store.warehouse import Warehouse
from pipeline.tagging import CODE_VERSION
from tests.httpserver import Response
from tests.rss import Item, feed_list_toml, rss
from tests.test_credentials import API_KEY
from tests.logfmt import logged_at, without_ts

SUMMIT = datetime(2024, 6, 19, 10, 0, tzinfo=timezone.utc)
TREATY = Item("Putin and Kim sign defence pact in Pyongyang",
              "Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a mutual defence treaty. "
              "Washington condemned the deal and threatened new sanctions on Moscow.",
              link="https://news.example.org/treaty?utm_source=rss", guid="https://news.example.org/treaty",
              published=SUMMIT)
TARIFFS = Item("China and US resume tariff talks", "Beijing and Washington resumed trade talks on tariffs.",
               link="https://news.example.org/tariffs", published=SUMMIT + timedelta(days=1))


def run_ingest(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), "ingest", "--interval", "0s", *args],
                                catch_exceptions=False)
    return result


def query(home, sql, params=()):
    with open_snapshot(Home.resolve(home)) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.fixture()
def feeds_file(tmp_path):
    def write(feeds: dict[str, str], outlet: str | None = None, languages: dict[str, str] | None = None):
        path = tmp_path / "feeds.toml"
        path.write_text(feed_list_toml(feeds, outlet, languages))
        return str(path)
    return write


def test_ingest_stores_articles_tags_and_every_fetch(home, http_server, feeds_file):
    http_server.routes["/world.xml"] = Response(200, rss([TREATY, TARIFFS]))
    listing = feeds_file({"world": http_server.url("/world.xml"), "broken": http_server.url("/missing.xml")})
    result = run_ingest(home, "--feeds", listing)
    assert result.exit_code == 0, result.output
    assert query(home, "SELECT url FROM articles ORDER BY url") == [
        ("https://news.example.org/tariffs",), ("https://news.example.org/treaty",)]
    assert query(home, "SELECT feed_id, outcome, status_code, error FROM fetches ORDER BY feed_id") == [
        ("broken", "soft_fail", 404, "HTTP 404 Not Found"), ("world", "ok", 200, None)]
    pairs = {row[0] for row in query(home, "SELECT iso_a || '-' || iso_b FROM pair_sentences")}
    assert {"PRK-RUS", "CHN-USA"} <= pairs
    assert query(home, "SELECT cue, cue_words FROM pair_sentences WHERE iso_a = 'RUS' AND iso_b = 'USA'") == [
        ("confrontation", ["condemned", "threatened", "sanctions"])]
    assert query(home, "SELECT health FROM v_feed_health WHERE feed_id = 'broken'") == [("degraded",)]
    assert query(home, "SELECT feeds_polled, failures, new_articles FROM runs") == [(2, 1, 2)]



def test_an_article_in_several_feeds_of_one_run_takes_the_first_feed_by_id(home, http_server, feeds_file):
    """Two captures of one feed in one run hold the same story, the later with an updated headline. Feeds finish in
    any order, and the one that finished first gave the stored text: the same run could store either. Now the feed
    that sorts first does, however late it answers."""

    def slowly(body: bytes):
        def respond(_request):
            time.sleep(0.5)
            return Response(200, body)
        return respond

    first, updated = replace(TREATY, title="Putin and Kim sign pact"), replace(TREATY, title="Putin and Kim sign pact, "
                                                                                              "Seoul protests")
    http_server.routes["/capture-1.xml"] = slowly(rss([first]))
    http_server.routes["/capture-2.xml"] = Response(200, rss([updated]))
    listing = feeds_file({"capture-2": http_server.url("/capture-2.xml"),
                          "capture-1": http_server.url("/capture-1.xml")}, outlet="Wire")
    result = run_ingest(home, "--feeds", listing)
    assert result.exit_code == 0, result.output
    assert query(home, "SELECT title FROM articles") == [(first.title,)]
    assert query(home, "SELECT feed_id FROM article_feeds ORDER BY feed_id") == [("capture-1",), ("capture-2",)]
    assert query(home, "SELECT new_articles, duplicates FROM runs") == [(1, 1)]


PACT = Item("Russia and North Korea sign military pact",
            "Russia and North Korea signed a military pact in Pyongyang on Wednesday.",
            link="https://news.example.org/pact", guid="wire-2024-0613-pact", published=SUMMIT)
CORRECTED = replace(PACT, title="CORRECTED: Russia and Iran sign military pact",
                    description="Correction: an earlier version of this story misidentified the partner country. "
                                "Russia and Iran signed a military pact in Tehran on Wednesday.")


def run_line(result) -> str:
    [line] = [line for line in without_ts(result.stderr) if line.startswith("event=run ")]
    return line


def test_a_corrected_entry_is_kept_beside_the_article_its_first_capture_stored(home, http_server, feeds_file):
    """A feed corrected an entry under the same GUID ("CORRECTED: Russia and Iran ..."): the run counted it as a
    duplicate and nothing else, so no table, page or export showed that the stored article was later changed. Now the
    corrected version is kept in article_revisions, once however often it is polled again; the article and its tags
    stay those of the first capture."""
    http_server.routes["/wire.xml"] = Response(200, rss([PACT]))
    listing = feeds_file({"wire": http_server.url("/wire.xml")})
    assert " revised=0 " in run_line(run_ingest(home, "--feeds", listing))
    http_server.routes["/wire.xml"] = Response(200, rss([CORRECTED]))
    assert " new=0 undated=0 duplicates=1 revised=1 " in run_line(run_ingest(home))
    # polled again with the same correction (another entry beside it, so the document is not unchanged)
    http_server.routes["/wire.xml"] = Response(200, rss([CORRECTED, TARIFFS]))
    assert " new=1 undated=0 duplicates=1 revised=0 " in run_line(run_ingest(home))
    [(article_id, title, text, day)] = query(home, "SELECT article_id, title, text, day FROM articles "
                                                  "WHERE url = 'https://news.example.org/pact'")
    assert (title, text) == (PACT.title, PACT.description)
    assert query(home, "SELECT article_id, day, run_id, feed_id, title, text, url FROM article_revisions") == [
        (article_id, day, 2, "wire", CORRECTED.title, CORRECTED.description, "https://news.example.org/pact")]
    assert query(home, "SELECT iso_a || '-' || iso_b FROM article_pairs WHERE article_id = ?", [article_id]) == [
        ("PRK-RUS",)]
    exported = CliRunner().invoke(cli, ["--home", str(home), "export", "--table", "article_revisions", "--output", "-"])
    assert exported.exit_code == 0, exported.output
    assert [row["title"] for row in csv.DictReader(exported.stdout.splitlines())] == [CORRECTED.title]


BRIEFING = Item("World briefing", "Russia moves troops to the border China warns Taiwan over its drills Markets "
                                   "Gold rose. Oil fell.", link="https://news.example.org/briefing", guid="wire-briefing-1", published=SUMMIT)


def test_a_feeds_paragraphs_are_kept_and_an_article_stored_on_one_line_is_no_version_of_its_own(
        home, http_server, feeds_file):
    """Feed HTML's paragraphs, list items and headings were joined on one line: the two headlines of a list below were
    one sentence, and Russia a false partner of China and Taiwan. Text now keeps them apart with a blank line, which
    ends a sentence; the content hash reads text on one line, so the entry an earlier version stored on one line (as
    the feed's first capture writes it here) is the same version when the feed gives it in paragraphs."""
    http_server.routes["/wire.xml"] = Response(200, rss([BRIEFING]))
    run_ingest(home, "--feeds", feeds_file({"wire": http_server.url("/wire.xml")}))
    listed = ("<ul><li>Russia moves troops to the border</li><li>China warns Taiwan over its drills</li></ul>"
              "<h3>Markets</h3><p>Gold rose.<br>Oil fell.</p>")
    later = replace(BRIEFING, title="Evening briefing", description=listed, guid="wire-briefing-2",
                    link="https://news.example.org/briefing-2")
    http_server.routes["/wire.xml"] = Response(200, rss([replace(BRIEFING, description=listed), later]))
    assert " new=1 undated=0 duplicates=1 revised=0 " in run_line(run_ingest(home))
    assert query(home, "SELECT title, text FROM articles ORDER BY title") == [
        ("Evening briefing", "Russia moves troops to the border\n\nChina warns Taiwan over its drills\n\nMarkets\n\n"
                             "Gold rose.\n\nOil fell."),
        ("World briefing", BRIEFING.description)]
    assert query(home, "SELECT title, list(iso_a || '-' || iso_b ORDER BY iso_a, iso_b) FROM pair_sentences "
                       "JOIN articles USING (article_id) GROUP BY title ORDER BY title") == [
        ("Evening briefing", ["CHN-TWN"]), ("World briefing", ["CHN-RUS", "CHN-TWN", "RUS-TWN"])]


def test_an_articles_versions_survive_retag_compact_backup_restore_and_a_masked_snapshot(home, http_server,
                                                                                          feeds_file, tmp_path):
    """article_revisions is a raw table beside articles: retag rebuilds the derived tables only, compaction and
    backups copy every table, and a feed URL with a key in it makes each snapshot a logical copy, table by table."""
    http_server.routes[f"/wire.xml?apikey={API_KEY}"] = Response(200, rss([PACT]))
    listing = feeds_file({"wire": http_server.url(f"/wire.xml?apikey={API_KEY}")})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    http_server.routes[f"/wire.xml?apikey={API_KEY}"] = Response(200, rss([CORRECTED]))
    assert " revised=1 " in run_line(run_ingest(home))
    versions = "SELECT article_id, title, text, content_hash FROM article_revisions"
    kept = query(home, versions)
    assert len(kept) == 1 and query(home, "SELECT url FROM feeds")[0][0].endswith("apikey=***")
    backup = tmp_path / "backup.duckdb"
    for command in (["retag"], ["compact"], ["backup", str(backup)]):
        result = CliRunner().invoke(cli, ["--home", str(home), *command], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert query(home, versions) == kept, command
    restored = tmp_path / "restored"
    assert CliRunner().invoke(cli, ["--home", str(restored), "restore", str(backup)]).exit_code == 0
    assert query(restored, versions) == kept


def test_an_entry_its_feed_rewrites_at_every_poll_keeps_only_the_first_versions(home, http_server, feeds_file,
                                                                               monkeypatch):
    """Feed text is hostile: a feed changing an entry at every poll would add a version per poll. The first
    REVISIONS_KEPT different versions are kept, and the table's comment says how many."""
    monkeypatch.setattr(revisions, "REVISIONS_KEPT", 2)
    http_server.routes["/wire.xml"] = Response(200, rss([PACT]))
    listing = feeds_file({"wire": http_server.url("/wire.xml")})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    said = []
    for version in (1, 2, 3, 1):
        http_server.routes["/wire.xml"] = Response(200, rss([replace(CORRECTED, title=f"{CORRECTED.title} ({version})")]))
        said.append(run_line(run_ingest(home)).split(" revised=")[1].split()[0])
    assert said == ["1", "1", "0", "0"]
    assert query(home, "SELECT title FROM article_revisions ORDER BY seen_at") == [(f"{CORRECTED.title} (1)",),
                                                                                (f"{CORRECTED.title} (2)",)]
    [(comment,)] = query(home, "SELECT comment FROM duckdb_tables() WHERE table_name = 'article_revisions'")
    assert f"At most {REVISIONS_KEPT} per article" in comment


def test_another_feeds_own_title_for_a_stored_page_is_no_revision(home, http_server, feeds_file):
    """A URL-keyed article is one page whichever feed links to it: an aggregator's title for it ("… - Wire") is that
    feed's wording, not the outlet correcting its story, and the panel would say "its feed later changed it"."""
    http_server.routes["/wire.xml"] = Response(200, rss([TREATY]))
    assert run_ingest(home, "--feeds", feeds_file({"wire": http_server.url("/wire.xml")})).exit_code == 0
    http_server.routes["/digest.xml"] = Response(200, rss([replace(TREATY, title=f"{TREATY.title} - Wire")]))
    listing = feeds_file({"wire": http_server.url("/wire.xml"), "digest": http_server.url("/digest.xml")})
    assert " duplicates=1 revised=0 " in run_line(run_ingest(home, "--feeds", listing))
    assert query(home, "SELECT count(*) FROM article_revisions") == [(0,)]
    assert query(home, "SELECT feed_id FROM article_feeds ORDER BY 1") == [("digest",), ("wire",)]


def test_a_feed_list_refreshed_while_no_feed_is_due_is_published(home, http_server, feeds_file):
    """`ingest --feeds` refreshed the feed list, but with no feed due nothing was published: readers (the Feeds
    page, `feeds list`) kept the old list until the next run that polled."""
    http_server.routes["/world.xml"] = Response(200, rss([TREATY]))
    listing = feeds_file({"world": http_server.url("/world.xml")})
    assert run_ingest(home, "--feeds", listing, "--interval", "1h").exit_code == 0
    renamed = feeds_file({"world": http_server.url("/world.xml")}, outlet="Renamed Wire")
    result = run_ingest(home, "--feeds", renamed, "--interval", "1h")
    assert result.exit_code == 0 and "event=idle" in result.output, result.output
    assert query(home, "SELECT outlet FROM feeds") == [("Renamed Wire",)]


def test_a_run_committed_but_never_published_is_published_by_the_next_ingest_with_no_feed_due(home, http_server,
                                                                                              feeds_file):
    """A run's publish that failed (disk full) or was killed after its commit left the snapshot a run behind, and the
    next cron ingest, with no feed due, published nothing: readers missed the run until a feed was due again."""
    http_server.routes["/world.xml"] = Response(200, rss([TREATY]))
    listing = feeds_file({"world": http_server.url("/world.xml")})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    resolved = Home.resolve(home)
    first_copy = resolved.published_db.resolve()
    held = first_copy.with_name("held.duckdb")
    held.write_bytes(first_copy.read_bytes())  # the snapshot as it was before the next run
    http_server.routes["/world.xml"] = Response(200, rss([TREATY, TARIFFS]))
    assert run_ingest(home).exit_code == 0
    with Warehouse(resolved.writer_db) as warehouse:  # polled again next week: the next cron run finds none due
        warehouse.con.execute("UPDATE feeds SET next_check_at = now() + INTERVAL 7 DAY")
    resolved.published_db.unlink()
    resolved.published_db.symlink_to(held)  # the second run's publish stopped before its link was swapped
    assert query(home, "SELECT count(*) FROM articles") == [(1,)]
    result = run_ingest(home)
    # and says so: "event=idle" alone hid that it published the run
    assert result.exit_code == 0 and 'event=idle reason="no feed due" published=snapshot last_run=2 ' in result.output
    assert query(home, "SELECT count(*) FROM articles") == [(2,)]
    published = resolved.published_db.resolve()
    again = run_ingest(home)
    assert again.exit_code == 0 and "event=idle" in again.output and "published=" not in again.output, again.output
    assert resolved.published_db.resolve() == published, "an idle ingest with nothing unpublished publishes nothing"
    # nor does one given the same feed list again (`ingest --every 15m --feeds X` published at every idle tick)
    same_list = run_ingest(home, "--feeds", listing)
    assert "event=idle" in same_list.output and "published=" not in same_list.output, same_list.output
    assert resolved.published_db.resolve() == published


def test_placeholder_dates_are_stored_without_crashing_or_moving_the_latest_day(home, http_server, feeds_file):
    """Year 1 (.NET's "no date") and 9999 (exports' "no date") once crashed every run on date arithmetic. Now
    year 1 is unreadable, 9999 is kept but flagged future, and both are filed under the day they were seen; so is a
    date less than a day ahead (a zone a few hours off), which is read as it is but not filed on tomorrow."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    midnight = now.replace(hour=0, minute=0, second=0)
    # tomorrow (UTC) but less than a day ahead, at any hour: now + 23 h fell on today between 00:00 and 00:59
    tonight = midnight + timedelta(days=1) + min(timedelta(hours=1), (now - midnight) / 2)
    placeholders = [Item("Russia and China in year one", link="https://news.example.org/y1",
                         published=datetime(1, 1, 1, tzinfo=timezone.utc)),
                    Item("Russia and China in 9999", link="https://news.example.org/y9999",
                         published=datetime(9999, 12, 31, 23, tzinfo=timezone.utc)),
                    Item("Russia and China tonight", link="https://news.example.org/z-ahead",
                         published=tonight)]
    http_server.routes["/odd.xml"] = Response(200, rss(placeholders))
    http_server.routes["/world.xml"] = Response(200, rss([TREATY]))
    listing = feeds_file({"odd": http_server.url("/odd.xml"), "world": http_server.url("/world.xml")})
    result = run_ingest(home, "--feeds", listing)
    assert result.exit_code == 0, result.output
    seen_day = query(home, "SELECT CAST(first_seen_at AS DATE) FROM articles LIMIT 1")[0][0]
    assert query(home, "SELECT url, date_quality, year(published_at), day FROM articles ORDER BY url") == [
        ("https://news.example.org/treaty", "ok", 2024, SUMMIT.date()),
        ("https://news.example.org/y1", "unparseable", None, seen_day),
        ("https://news.example.org/y9999", "future", 9999, seen_day),
        ("https://news.example.org/z-ahead", "ok", tonight.year, seen_day)]


def test_the_run_line_counts_the_new_articles_without_a_usable_date(home, http_server, feeds_file):
    """`pactwatch import` printed undated=, an ingest run not: a new feed's backlog of undated items, every one filed
    under today, went unsaid in the cron log until the dashboard's bar stood out."""
    undated = [Item("Russia and China, no date", link="https://news.example.org/none"),
               Item("Russia and China in year one", link="https://news.example.org/y1",
                    published=datetime(1, 1, 1, tzinfo=timezone.utc)),
               Item("Russia and China in 9999", link="https://news.example.org/y9999",
                    published=datetime(9999, 12, 31, 23, tzinfo=timezone.utc))]
    http_server.routes["/odd.xml"] = Response(200, rss(undated + [TREATY]))
    listing = feeds_file({"odd": http_server.url("/odd.xml")})
    [run] = [line for line in without_ts(run_ingest(home, "--feeds", listing).stderr) if line.startswith("event=run ")]
    assert " new=4 undated=3 " in run, run
    http_server.routes["/odd.xml"] = Response(200, rss(undated + [TREATY, TARIFFS]))  # the undated ones stored already
    [run] = [line for line in without_ts(run_ingest(home, "--feeds", listing).stderr) if line.startswith("event=run ")]
    assert " new=1 undated=0 " in run, run


def test_each_articles_date_is_stored_as_its_feed_wrote_it(home, http_server, feeds_file):
    """published_at is only our reading of an entry's date: the text read is kept beside it (and in v_articles, which
    `export` writes), so an analyst sees why a date is unreadable, and a better reader can read it again."""
    written = [Item("Russia and China, day first", link="https://news.example.org/a", published="19/06/2024"),
               Item("Russia and China in Seoul", link="https://news.example.org/b",
                    published="Wed, 19 Jun 2024 08:30:00 KST"),
               Item("Russia and China, no date", link="https://news.example.org/c")]
    http_server.routes["/world.xml"] = Response(200, rss(written))
    assert run_ingest(home, "--feeds", feeds_file({"world": http_server.url("/world.xml")})).exit_code == 0
    assert query(home, "SELECT url, date_quality, published_at, published_as_written FROM v_articles ORDER BY url") == [
        ("https://news.example.org/a", "unparseable", None, "19/06/2024"),
        ("https://news.example.org/b", "ok", datetime(2024, 6, 18, 23, 30, tzinfo=timezone.utc),
         "Wed, 19 Jun 2024 08:30:00 KST"),
        ("https://news.example.org/c", "missing", None, None)]


@pytest.mark.parametrize(("published", "quality", "filed"), [
    (datetime(2026, 12, 1, 23, 59, tzinfo=timezone.utc), "ok", "2026-12-01"),  # earlier today
    (datetime(2026, 12, 2, 4, 30, tzinfo=timezone.utc), "ok", "2026-12-01"),  # 23:30 -0500, 13 hours ahead
    (datetime(2026, 11, 30, 22, tzinfo=timezone.utc), "ok", "2026-11-30"),
    (datetime(2026, 12, 5, tzinfo=timezone.utc), "future", "2026-12-01"),
    (None, "missing", "2026-12-01"),
])
def test_an_article_is_filed_on_its_day_but_never_after_the_day_it_was_seen(published, quality, filed):
    assert filing_date(published, quality, datetime(2026, 12, 1, 15, 28, tzinfo=timezone.utc)).isoformat() == filed


def test_a_feed_in_another_language_gets_countries_but_no_topics(home, http_server, feeds_file):
    """The lexicons are English: in German "war" is "was", not a war; the German country words are German
    ("Vereinigten Staaten"), and Japanese ones are found without spaces. The feed list's language wins over
    the one the feed declares (the "world" feed claims German), and a feed listed without one (`feeds add`
    with no --language) is taken at its word. A retag keeps the rule."""
    german = Item("Putin war in Moskau, Kim in Pyongyang",
                  "Der Gipfel war kurz; Sanktionen und Raketen. Die Vereinigten Staaten schweigen.",
                  link="https://news.example.de/gipfel", published=SUMMIT)
    http_server.routes["/de.xml"] = Response(200, rss([german], language="de-DE"))
    http_server.routes["/world.xml"] = Response(200, rss([TREATY], language="de"))
    japanese = Item("プーチン大統領 北朝鮮を訪問", "ロシアのプーチン大統領が平壌に到着しました。",
                    link="https://news.example.jp/houmon", published=SUMMIT)
    http_server.routes["/ja.xml"] = Response(200, rss([japanese], language="ja"))
    result = run_ingest(home, "--feeds", feeds_file({"de": http_server.url("/de.xml"), "ja": http_server.url("/ja.xml"),
                                                     "world": http_server.url("/world.xml")},
                                                    languages={"de": None, "ja": None}))
    assert result.exit_code == 0, result.output
    sql = ("SELECT a.language, a.outlet_country, list(DISTINCT c.iso3 ORDER BY c.iso3), "
           "list(DISTINCT t.topic ORDER BY t.topic) FILTER (WHERE t.topic IS NOT NULL) FROM articles a "
           "JOIN article_countries c USING (article_id) LEFT JOIN article_topics t USING (article_id) "
           "GROUP BY ALL ORDER BY 1")
    # in English the German item would be `military` ("war"); the feed list's outlet country and language
    # reach the articles of a live poll (TREATY is short: its one "sanctions" makes it a sanctions article)
    expected = [("de-DE", "GBR", ["PRK", "RUS", "USA"], None),
                ("en", "GBR", ["PRK", "RUS", "USA"], ["diplomacy", "military", "sanctions"]),
                ("ja", "GBR", ["PRK", "RUS"], None)]
    assert query(home, sql) == expected
    assert CliRunner().invoke(cli, ["--home", str(home), "retag"]).exit_code == 0
    assert query(home, sql) == expected


def test_a_feed_that_declares_no_language_is_read_in_the_language_of_its_words(home, http_server, feeds_file):
    """heise's feeds declare no language: their German read as English made "Was war" military and missed
    "Frankreich". The language read is derived, so it is stored apart from the article and survives a retag."""
    german = Item("Was war. Was wird.", "Über die Woche: Russland und Frankreich streiten, der Krieg geht weiter.",
                  link="https://news.example.de/woche", published=SUMMIT)
    english = Item("Putin and Kim sign a pact in Pyongyang", "The café owners of Pyongyang watched troops and missiles parade.",
                   link="https://news.example.org/pact", published=SUMMIT)
    http_server.routes["/mixed.xml"] = Response(200, rss([german, english]))  # no <language>
    result = run_ingest(home, "--feeds", feeds_file({"mixed": http_server.url("/mixed.xml")}, languages={"mixed": None}))
    assert result.exit_code == 0, result.output
    sql = ("SELECT a.url, a.language, l.language, list(DISTINCT c.iso3 ORDER BY c.iso3), "
           "list(DISTINCT t.topic ORDER BY t.topic) FILTER (WHERE t.topic IS NOT NULL) FROM articles a "
           "LEFT JOIN article_languages l USING (article_id) JOIN article_countries c USING (article_id) "
           "LEFT JOIN article_topics t USING (article_id) GROUP BY ALL ORDER BY 1")
    expected = [("https://news.example.de/woche", None, "de", ["FRA", "RUS"], None),
                ("https://news.example.org/pact", None, None, ["PRK", "RUS"], ["military"])]
    assert query(home, sql) == expected
    assert CliRunner().invoke(cli, ["--home", str(home), "retag"]).exit_code == 0
    assert query(home, sql) == expected


def test_conditional_get_and_304_store_nothing_twice(home, http_server, feeds_file):
    body = rss([TREATY])
    http_server.routes["/f.xml"] = lambda request: (
        Response(304) if request.headers.get("If-None-Match") == '"v1"' else Response(200, body, {"ETag": '"v1"'}))
    listing = feeds_file({"f": http_server.url("/f.xml")})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert run_ingest(home).exit_code == 0
    assert query(home, "SELECT run_id, outcome, error FROM fetches ORDER BY run_id") == [
        (1, "ok", None), (2, "not_modified", None)]
    assert query(home, "SELECT count(*) FROM articles") == [(1,)]
    assert query(home, "SELECT not_modified FROM runs WHERE run_id = 2") == [(1,)]


def test_a_feed_list_registered_at_every_run_keeps_a_permanent_redirect_and_its_validators(home, http_server,
                                                                                           feeds_file):
    """`ingest --feeds FILE` from cron: the list still names the URL a 301 moved, and each run took it for a new URL:
    it put the old URL back and forgot the ETag, so every run followed the redirect and fetched the whole feed again.
    A list naming another URL still gives the feed that URL, polled at once without the old one's validators."""
    body = rss([TREATY])
    http_server.routes["/old.xml"] = Response(301, headers={"Location": http_server.url("/new.xml")})
    http_server.routes["/new.xml"] = lambda request: (
        Response(304) if request.headers.get("If-None-Match") == '"v1"' else Response(200, body, {"ETag": '"v1"'}))
    http_server.routes["/other.xml"] = Response(200, body)
    listing = feeds_file({"f": http_server.url("/old.xml")})
    for _ in range(2):
        assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert [path for path, _ in http_server.requests] == ["/old.xml", "/new.xml", "/new.xml"]
    assert query(home, "SELECT run_id, outcome FROM fetches ORDER BY run_id") == [(1, "ok"), (2, "not_modified")]
    assert query(home, "SELECT url, listed_url, etag FROM feeds") == [
        (http_server.url("/new.xml"), http_server.url("/old.xml"), '"v1"')]
    assert run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/other.xml")})).exit_code == 0
    assert http_server.requests[-1] == ("/other.xml", http_server.requests[-1][1])
    assert "If-None-Match" not in http_server.requests[-1][1]
    assert query(home, "SELECT url, listed_url FROM feeds") == [(http_server.url("/other.xml"),) * 2]


def test_a_feed_list_registered_again_unchanged_writes_nothing(home, feeds_file):
    """`ingest --feeds FILE` from cron registered the whole list at every run, an update of every feed: on a full disk
    DuckDB 1.5.5 cannot take that update back, and the process aborted (SIGABRT, a C++ trace) at every run where a
    plain `ingest` exits 1 (stop 75's audit). An unchanged list leaves the writer file's log empty."""
    listing = load_feed_list(feeds_file({"a": "https://a.example/rss", "b": "https://b.example/rss"}))
    pw_home = Home.resolve(home).ensure()
    log = Path(f"{pw_home.writer_db}.wal")
    with Warehouse(pw_home.writer_db) as warehouse:
        register_feed_specs(warehouse, listing)
        warehouse.con.execute("CHECKPOINT")
        assert register_feed_specs(warehouse, listing) == {"a", "b"}, "both known: refreshed, as before"
        assert not log.exists() or log.stat().st_size == 0
        register_feed_specs(warehouse, [replace(listing[0], name="A News", stated=listing[0].stated | {"name"})])
        assert log.stat().st_size > 0
        assert warehouse.con.execute("SELECT feed_id, name FROM feeds ORDER BY 1").fetchall() == [("a", "A News"),
                                                                                                   ("b", "b")]


def test_same_story_from_two_feeds_is_stored_once_and_linked_to_both(home, http_server, feeds_file):
    http_server.routes["/a.xml"] = Response(200, rss([TREATY]))
    http_server.routes["/b.xml"] = Response(200, rss([TREATY, TARIFFS]))
    listing = feeds_file({"a": http_server.url("/a.xml"), "b": http_server.url("/b.xml")})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT count(*) FROM articles") == [(2,)]
    assert query(home, "SELECT count(*) FROM article_feeds af JOIN articles a USING (article_id) "
                       "WHERE a.url = 'https://news.example.org/treaty'") == [(2,)]



def test_one_url_is_one_article_whether_a_feed_gives_it_as_guid_or_as_link(home, http_server, feeds_file):
    link_only = replace(TREATY, link="https://news.example.org/treaty?utm_medium=feed", guid=None)
    http_server.routes["/a.xml"] = Response(200, rss([TREATY]))  # its GUID is the URL
    http_server.routes["/b.xml"] = Response(200, rss([link_only]))
    listing = feeds_file({"a": http_server.url("/a.xml"), "b": http_server.url("/b.xml")})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT article_key FROM articles") == [("url:https://news.example.org/treaty",)]
    assert query(home, "SELECT feed_id FROM article_feeds ORDER BY feed_id") == [("a",), ("b",)]


def test_articles_stored_under_a_url_guid_as_it_came_are_found_in_either_form(home, http_server, feeds_file):
    """Before migration 0016 a URL GUID was the key as it came ("guid:<URL>"): such an article is neither stored
    again by its own feed nor by a feed linking the URL, nor do its GUIDs look unstable."""
    story = Item("Story", "Text.", link="https://news.example.org/s", guid="https://news.example.org/s?utm_source=rss",
                 published=SUMMIT)
    bodies = iter([rss([TREATY, story]), rss([TREATY, story, TARIFFS])])
    http_server.routes["/a.xml"] = lambda request: Response(200, next(bodies))
    http_server.routes["/b.xml"] = Response(200, rss([replace(TREATY, guid=None), replace(story, guid=None)]))
    assert run_ingest(home, "--feeds", feeds_file({"a": http_server.url("/a.xml")})).exit_code == 0
    earlier = [(f"url:{item.link.split('?')[0]}", f"guid:{item.guid}") for item in (TREATY, story)]
    with Warehouse(Home.resolve(home).writer_db) as warehouse:  # the keys as an earlier version formed them
        for key, old in earlier:
            for table in ("articles", "article_feeds"):
                warehouse.con.execute(f"UPDATE {table} SET article_id = sha1(?) WHERE article_id = sha1(?)", [old, key])
            warehouse.con.execute("UPDATE articles SET article_key = ? WHERE article_key = ?", [old, key])
    listing = feeds_file({"a": http_server.url("/a.xml"), "b": http_server.url("/b.xml")})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT a.article_key, list(af.feed_id ORDER BY af.feed_id) FROM articles a "
                       "JOIN article_feeds af USING (article_id) GROUP BY ALL ORDER BY 1") == [
        ("guid:https://news.example.org/s?utm_source=rss", ["a", "b"]),  # raw: found by its canonical link
        ("guid:https://news.example.org/treaty", ["a", "b"]),
        ("url:https://news.example.org/tariffs", ["a"])]
    assert query(home, "SELECT key_mode FROM feeds WHERE feed_id = 'a'") == [("guid",)]


# A story linked with a click tag, `xtor`, that seeds/tracking.toml added after the first keys were stored: by its
# link, and by a URL GUID.
XTOR_LINKED = Item("Paris and Berlin agree new sanctions on Moscow",
                   "France and Germany agreed new sanctions on Russia.",
                   link="https://lemonde.example/international/a_1.html?xtor=RSS-3208", published=SUMMIT)
XTOR_GUID = Item("Rome backs the sanctions", "Italy backed the new sanctions on Russia.",
                 link="https://lemonde.example/international/b_2.html?xtor=RSS-3208",
                 guid="https://lemonde.example/international/b_2.html?xtor=RSS-3208", published=SUMMIT)


def keyed_as_before_xtor_was_dropped(home, items) -> list[tuple[str, str, str]]:
    """Rewrite the stored `items` with the keys and links an earlier version formed, `xtor` and all: (key now, key
    then, link then) of each."""
    earlier = [(f"url:{item.link.split('?')[0]}", f"url:{item.link}", item.link) for item in items]
    with Warehouse(Home.resolve(home).writer_db) as warehouse:
        for key, old, link in earlier:
            for table in ("articles", "article_feeds"):
                warehouse.con.execute(f"UPDATE {table} SET article_id = sha1(?) WHERE article_id = sha1(?)", [old, key])
            warehouse.con.execute("UPDATE articles SET article_key = ?, url = ? WHERE article_key = ?", [old, link, key])
    return earlier


def test_an_article_stored_before_a_tracking_parameter_was_added_is_not_stored_again(home, http_server, feeds_file):
    """Versions before kept `xtor`, so an article's key and link carry it ("url:…?xtor=RSS-3208"). With the parameter
    dropped, the entry comes under another key: back with a revised summary (no longer the same story by its words),
    it was stored a second time. It is found under the key its link or GUID had then, and keeps that key."""
    http_server.routes["/lm.xml"] = Response(200, rss([XTOR_LINKED, XTOR_GUID]))
    listing = feeds_file({"lm": http_server.url("/lm.xml")}, outlet="Le Monde")
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    earlier = keyed_as_before_xtor_was_dropped(home, [XTOR_LINKED, XTOR_GUID])
    revised = " Rome, Madrid and Warsaw are expected to follow within the week, officials in Brussels said."
    http_server.routes["/lm.xml"] = Response(200, rss([replace(item, description=item.description + revised)
                                                       for item in (XTOR_LINKED, XTOR_GUID)]))
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT a.article_key, a.url, list(af.feed_id) FROM articles a JOIN article_feeds af "
                       "USING (article_id) GROUP BY ALL ORDER BY 1") == [(old, link, ["lm"]) for _, old, link in earlier]
    assert query(home, "SELECT run_id, new_articles FROM runs ORDER BY run_id") == [(1, 2), (2, 0)]


def test_a_story_stored_with_xtor_met_in_one_run_through_another_feed_first_is_not_stored_again(home, http_server,
                                                                                                 feeds_file):
    """In one run a feed whose id sorts first brings the story by its plain link under another title, and the feed
    that stored it brings it with `xtor` again: the first feed's candidate replaced the second's, and with it the
    earlier key it would be found under, so the story was stored a second time."""
    http_server.routes["/b.xml"] = Response(200, rss([XTOR_LINKED]))
    assert run_ingest(home, "--feeds", feeds_file({"lm-b": http_server.url("/b.xml")}, outlet="Le Monde")).exit_code == 0
    [(_, old, link)] = keyed_as_before_xtor_was_dropped(home, [XTOR_LINKED])
    http_server.routes["/a.xml"] = Response(200, rss([replace(XTOR_LINKED, title="Paris, Berlin tighten the screws",
                                                              link=link.split("?")[0], description="In brief.")]))
    http_server.routes["/b.xml"] = Response(200, rss([replace(XTOR_LINKED, description="Revised: " + AGREED)]))
    both = feeds_file({"lm-a": http_server.url("/a.xml"), "lm-b": http_server.url("/b.xml")}, outlet="Le Monde")
    assert run_ingest(home, "--feeds", both).exit_code == 0
    assert query(home, "SELECT a.article_key, list(af.feed_id ORDER BY af.feed_id) FROM articles a "
                       "JOIN article_feeds af USING (article_id) GROUP BY ALL") == [(old, ["lm-a", "lm-b"])]
    assert query(home, "SELECT run_id, new_articles FROM runs ORDER BY run_id") == [(1, 1), (2, 0)]


# A story a feed links through FeedBurner's proxy, without a GUID: versions before stored it keyed by the proxy's link,
# which no longer opens; the item carries the publisher's address too (feedburner:origLink).
PROXIED = Item("Seoul and Tokyo agree student exchange", "South Korea and Japan agreed on a student exchange.",
               link="http://feeds.example.org/~r/World/~3/xROvFa03AOc/exchange", published=SUMMIT)
# its summary revised: no longer the same story by its words, so only its key can tell
REVISED = f"{PROXIED.description} Tokyo will fund half of the places, officials said."


def test_an_article_stored_at_its_proxy_link_is_not_stored_again_at_the_publishers_address(home, http_server,
                                                                                            feeds_file):
    """Stored by the proxy's link (as versions before read every such item, or as the feed gave it before it carried
    its origLink), the story comes back read at the publisher's address, with a revised summary (no longer the same
    story by its words): it is found under the key its proxy link gave it, and keeps that key and link."""
    http_server.routes["/world.xml"] = Response(200, rss([PROXIED]))
    listing = feeds_file({"world": http_server.url("/world.xml")}, outlet="Wire")
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    revised = replace(PROXIED, description=REVISED,
                      original_link="https://news.example.org/world/exchange?feedType=RSS&feedName=worldNews")
    http_server.routes["/world.xml"] = Response(200, rss([revised]))
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT article_key, url FROM articles") == [(f"url:{PROXIED.link}", PROXIED.link)]
    assert query(home, "SELECT run_id, new_articles FROM runs ORDER BY run_id") == [(1, 1), (2, 0)]
    assert query(home, "SELECT url FROM article_revisions") == [("https://news.example.org/world/exchange",)]


def test_a_story_first_met_at_the_publishers_address_is_stored_there(home, http_server, feeds_file):
    http_server.routes["/world.xml"] = Response(200, rss([replace(
        PROXIED, original_link="https://news.example.org/world/exchange?feedType=RSS&feedName=worldNews")]))
    assert run_ingest(home, "--feeds", feeds_file({"world": http_server.url("/world.xml")})).exit_code == 0
    assert query(home, "SELECT article_key, url FROM articles") == [
        ("url:https://news.example.org/world/exchange", "https://news.example.org/world/exchange")]


def test_a_replayed_entry_whose_relative_link_was_lost_is_not_stored_again(home, tmp_path, feeds_file):
    """A saved document replayed from a file: an entry without a GUID whose link was relative was stored without a
    link, keyed by its title and date. Read again, it is linked at its site (the channel's <link>) and found under
    the key it had."""
    capture = tmp_path / "world.xml"
    capture.write_bytes(rss([replace(PROXIED, link=None)]))
    listing = feeds_file({"world": capture.as_uri()}, outlet="Wire")
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT article_key LIKE 'Wire:hash:%', url FROM articles") == [(True, None)]
    revised = replace(PROXIED, link="/world/exchange", description=REVISED)
    capture.write_bytes(rss([revised]))
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT count(*), any_value(url) FROM articles") == [(1, None)]
    assert query(home, "SELECT url FROM article_revisions") == [("https://example.org/world/exchange",)]


def test_a_redirector_link_kept_as_given_is_recorded_with_its_fetch(home, http_server, feeds_file):
    link = "https://www.google.com/url?rct=j&url=http://127.0.0.1:8080/admin&usg=AFQj"
    http_server.routes["/alerts.xml"] = Response(200, rss([replace(PROXIED, link=link, guid="alert-1")]))
    assert run_ingest(home, "--feeds", feeds_file({"alerts": http_server.url("/alerts.xml")})).exit_code == 0
    assert query(home, "SELECT url FROM articles") == [("https://www.google.com/url?rct=j&url=http%3A%2F%2F127.0.0.1"
                                                        "%3A8080%2Fadmin&usg=AFQj",)]
    assert query(home, "SELECT outcome, error FROM fetches") == [("ok", "1 entry link(s) kept as the feed gave them, "
                                                                  "the address carried refused: not a public host "
                                                                  "(127.0.0.1)")]


def test_one_story_through_two_section_feeds_with_their_own_xtor_is_one_article(home, http_server, feeds_file):
    """An outlet's section feeds tag the same link with their own campaign ("xtor=RSS-3208", "xtor=RSS-3214"), one
    with the summary, one without (so no same-story rule could tell): one article, linked to both feeds."""
    http_server.routes["/world.xml"] = Response(200, rss([XTOR_LINKED]))
    http_server.routes["/europe.xml"] = Response(200, rss([replace(
        XTOR_LINKED, link=XTOR_LINKED.link.replace("RSS-3208", "RSS-3214"), description="")]))
    listing = feeds_file({"world": http_server.url("/world.xml"), "europe": http_server.url("/europe.xml")},
                         outlet="Le Monde")
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT a.article_key, a.url, list(af.feed_id ORDER BY af.feed_id) FROM articles a "
                       "JOIN article_feeds af USING (article_id) GROUP BY ALL") == [
        ("url:https://lemonde.example/international/a_1.html", "https://lemonde.example/international/a_1.html",
         ["europe", "world"])]


def test_a_guid_with_a_fragment_and_its_link_elsewhere_are_one_article(home, http_server, feeds_file):
    """BBC gives every item a GUID ending in "#0", kept as its own key (live blogs tell entries apart by
    fragments): the same story linked by another outlet was a second article."""
    bbc = Item("Seoul and Tokyo agree student exchange", AGREED, guid="https://bbc.example/news/1#0",
               link="https://bbc.example/news/1?at_medium=RSS", published=SUMMIT)
    http_server.routes["/bbc.xml"] = Response(200, rss([bbc]))
    http_server.routes["/digest.xml"] = Response(200, rss([Item("Students to cross the Korea Strait", "A digest.",
                                                                link="https://bbc.example/news/1",
                                                                published=SUMMIT + timedelta(days=1))]))
    assert run_ingest(home, "--feeds", feeds_file({"bbc": http_server.url("/bbc.xml")}, outlet="BBC")).exit_code == 0
    listing = feeds_file({"bbc": http_server.url("/bbc.xml"), "digest": http_server.url("/digest.xml")})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT a.article_key, list(af.feed_id ORDER BY af.feed_id), list(af.day) FROM articles a "
                       "JOIN article_feeds af USING (article_id) GROUP BY ALL") == [
        ("guid:https://bbc.example/news/1#0", ["bbc", "digest"], [SUMMIT.date(), SUMMIT.date()])]


def test_an_outlets_opaque_guid_is_one_story_across_its_feeds(home, http_server, feeds_file):
    """An opaque GUID is scoped by outlet (a live poll used to scope it by feed: the feed list's outlet was
    not read), so the outlet's world and politics feeds carrying the same item store it once."""
    item = Item("Seoul and Tokyo sign accord", "South Korea and Japan signed an accord.", guid="wire-20240619-001",
                link="https://wire.example.org/s?id=1", published=SUMMIT)
    http_server.routes["/world.xml"] = Response(200, rss([item]))
    http_server.routes["/politics.xml"] = Response(200, rss([item]))
    listing = feeds_file({"world": http_server.url("/world.xml"), "politics": http_server.url("/politics.xml")},
                         outlet="Wire")
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT outlet, count(*) FROM articles GROUP BY outlet") == [("Wire", 1)]
    assert query(home, "SELECT count(*) FROM article_feeds") == [(2,)]

@pytest.mark.parametrize("together", [True, False], ids=["one run", "added later"])
def test_an_outlets_feeds_numbering_their_items_alike_keep_both_stories(home, http_server, feeds_file, together):
    """Two feeds of one outlet each gave its item the GUID "1": the second story, under another title and link, was
    stored nowhere (a duplicate of the first, linked to it). It is stored under its link, once, however often it is
    polled; the first keeps its GUID, and the same story under one GUID in both feeds is still one article."""
    first = Item("Russia and China sign energy deal", "Russia and China signed an energy deal.", guid="1",
                 link="https://example.org/energy", published=SUMMIT)
    second = Item("Iran and Israel exchange strikes", "Iran and Israel exchanged strikes.", guid="1",
                  link="https://example.org/strikes", published=SUMMIT)
    shared = Item("Seoul and Tokyo sign accord", "South Korea and Japan signed an accord.", guid="7",
                  link="https://example.org/accord", published=SUMMIT)
    http_server.routes["/a.xml"] = Response(200, rss([first, shared]))
    http_server.routes["/b.xml"] = Response(200, rss([second, shared]))
    urls = {"a": http_server.url("/a.xml"), "b": http_server.url("/b.xml")}
    for listed in ([urls] if together else [{"a": urls["a"]}, urls]):
        assert run_ingest(home, "--feeds", feeds_file(listed, outlet="Example News")).exit_code == 0
    assert run_ingest(home, "--now").exit_code == 0  # polled again: nothing new
    assert query(home, "SELECT a.article_key, a.title, list(af.feed_id ORDER BY af.feed_id) FROM articles a "
                       "JOIN article_feeds af USING (article_id) GROUP BY ALL ORDER BY 1") == [
        ("Example News:guid:1", first.title, ["a"]), ("Example News:guid:7", shared.title, ["a", "b"]),
        ("url:https://example.org/strikes", second.title, ["b"])]
    assert query(home, "SELECT count(*) FROM article_revisions") == [(0,)]


@pytest.mark.parametrize("guid", ["1", "1234"])
def test_a_feed_giving_each_new_story_the_same_guid_stores_every_story(home, http_server, feeds_file, guid):
    """A feed kept the GUID "1" for each new story (another headline, link and words at every poll): every story after
    the first became a later version of it, untagged, and past ten versions nothing at all (an outside audit). Each is
    stored under its link, once however often polled; the same feed's edit over the same words stays a version. A
    position has up to four digits (README): a feed numbering a thousand items and more reuses "1234" as it does "1"."""
    stories = [Item(f"Russia and China talk, round {n}", f"Round {n}: {topic} between Russia and China.", guid=guid,
                    link=f"https://example.org/story-{n}", published=SUMMIT + timedelta(hours=n))
               for n, topic in enumerate(("energy deliveries", "grain tariffs", "naval drills"))]
    listing = feeds_file({"f": http_server.url("/f.xml")}, outlet="Example News")
    for polled, story in enumerate([*stories, stories[-1]]):
        http_server.routes["/f.xml"] = Response(200, rss([story]))
        assert run_ingest(home, *(("--feeds", listing) if polled == 0 else ("--now",))).exit_code == 0
    edited = replace(stories[0], title="Russia and China talk, first round", link="https://example.org/story-0-edit")
    http_server.routes["/f.xml"] = Response(200, rss([edited]))
    assert " new=0 " in run_line(run_ingest(home, "--now"))
    assert query(home, "SELECT article_key, title FROM articles ORDER BY published_at") == [
        (f"Example News:guid:{guid}", stories[0].title), *((f"url:{story.link}", story.title) for story in stories[1:])]
    assert query(home, "SELECT title FROM article_revisions") == [(edited.title,)]


def test_a_story_its_feed_rewrites_under_its_own_id_stays_one_article(home, http_server, feeds_file):
    """Numbered items aside (above), a feed's own GUID that is an id keeps its story through a new headline, slug and
    summary: a developing story rewritten, one article with a later version, not two (a review of the rule above)."""
    first = Item("Saudi Arabia weighs alcohol rules", "Officials in Riyadh are said to weigh a change.",
                 guid="WP-WIRE-0003218210", link="https://example.org/world/alcohol-rules-weighed", published=SUMMIT)
    rewritten = replace(first, title="Riyadh eases liquor restrictions for foreigners",
                        description="The kingdom will let some residents buy wine and spirits.",
                        link="https://example.org/world/liquor-restrictions-eased")
    listing = feeds_file({"f": http_server.url("/f.xml")}, outlet="Example News")
    for polled, item in enumerate((first, rewritten)):
        http_server.routes["/f.xml"] = Response(200, rss([item]))
        assert run_ingest(home, *(("--feeds", listing) if polled == 0 else ("--now",))).exit_code == 0
    assert query(home, "SELECT article_key, title FROM articles") == [("Example News:guid:WP-WIRE-0003218210",
                                                                      first.title)]
    assert query(home, "SELECT title FROM article_revisions") == [(rewritten.title,)]


@pytest.mark.parametrize("moved", [False, True], ids=["same words", "another section"])
def test_a_sibling_feeds_copy_of_an_edited_headline_and_slug_stays_the_article(home, http_server, feeds_file, moved):
    """The reused-GUID rule (above) read a headline and slug edited over the same words, served by a feed of the
    outlet that had not carried the article, as another story: stored again under its link (review of stop 73); and
    so a rewritten headline and summary of the page filed under another section by its name (an outside audit: one
    story counted twice in a replay of an outlet's weekly and daily feeds)."""
    first = Item("Ministers meet in Paris", "France and Germany's ministers met in Paris on trade.", guid="1",
                 link="https://example.org/news/ministers-meet", published=SUMMIT)
    edited = replace(first, title="Ministers agree trade pact in Paris", link="https://example.org/news/ministers-agree")
    if moved:
        edited = replace(first, title="A Franco-German pact on tariffs", link="https://example.org/trade/ministers-meet",
                         description="The governments of France and Germany settled their tariff dispute.")
    http_server.routes["/a.xml"] = Response(200, rss([first]))
    http_server.routes["/b.xml"] = Response(200, rss([edited]))
    assert run_ingest(home, "--feeds", feeds_file({"a": http_server.url("/a.xml")}, outlet="Example News")).exit_code == 0
    listing = feeds_file({"a": http_server.url("/a.xml"), "b": http_server.url("/b.xml")}, outlet="Example News")
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT a.title, list(af.feed_id ORDER BY af.feed_id) FROM articles a "
                       "JOIN article_feeds af USING (article_id) GROUP BY ALL") == [(first.title, ["a", "b"])]


def test_renaming_a_feeds_outlet_keeps_its_articles_keys(home, http_server, feeds_file):
    """Opaque GUIDs are scoped by the outlet the feed was added with: a rename neither stores the feed's
    articles again nor makes its GUIDs look unstable (which would switch it to link keys)."""
    items = [Item(f"Seoul and Tokyo talk, round {n}", "South Korea and Japan.", guid=f"wire-{n}",
                  link=f"https://wire.example.org/{n}", published=SUMMIT + timedelta(hours=n)) for n in range(3)]
    bodies = iter([rss(items[:2]), rss(items)])
    http_server.routes["/f.xml"] = lambda request: Response(200, next(bodies))
    assert run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/f.xml")}, outlet="Wire")).exit_code == 0
    renamed = CliRunner().invoke(cli, ["--home", str(home), "feeds", "add", http_server.url("/f.xml"), "--id", "f",
                                       "--outlet", "Wire Service"])
    assert renamed.exit_code == 0, renamed.output
    assert run_ingest(home).exit_code == 0
    assert query(home, "SELECT article_key, outlet FROM articles ORDER BY article_key") == [
        ("Wire:guid:wire-0", "Wire"), ("Wire:guid:wire-1", "Wire"), ("Wire:guid:wire-2", "Wire Service")]
    assert query(home, "SELECT outlet, key_mode FROM feeds") == [("Wire Service", "guid")]
    # a feed added later under the new name shares the outlet's scope: the items both carry are stored once
    http_server.routes["/g.xml"] = Response(200, rss(items))
    added = CliRunner().invoke(cli, ["--home", str(home), "feeds", "add", http_server.url("/g.xml"), "--id", "g",
                                     "--outlet", "Wire Service"])
    assert added.exit_code == 0, added.output
    assert run_ingest(home).exit_code == 0
    assert query(home, "SELECT count(*) FROM articles") == [(3,)]
    assert query(home, "SELECT feed_id, key_scope FROM feeds ORDER BY 1") == [("f", "Wire"), ("g", "Wire")]
    # a reissue under a new GUID after the rename meets the articles stored under the old name
    reissue = replace(items[0], guid="wire-0-reissued", link="https://wire.example.org/0-again")
    http_server.routes["/g.xml"] = Response(200, rss([*items, reissue]))
    assert run_ingest(home).exit_code == 0
    assert query(home, "SELECT count(*) FROM articles") == [(3,)]


def invoke_cli(home, *args) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output


def add_feed(home, url: str, feed_id: str, outlet: str) -> None:
    invoke_cli(home, "feeds", "add", url, "--id", feed_id, "--outlet", outlet)


@pytest.mark.parametrize("together", [True, False], ids=["one run", "added later"])
def test_a_feed_added_again_under_another_outlet_name_stores_its_stories_once(home, http_server, together):
    """Opaque GUIDs are keyed in their outlet's scope: the same feed added as "WSJ" and as "Wall Street Journal"
    stored each story twice, and every count doubled. An entry with a stored article's link, title and text is
    that article; a press office's items that share a link and a title over other texts stay apart."""
    items = [Item(f"Seoul and Tokyo talk, round {n}", f"South Korea and Japan discuss item {n} of the accord.",
                  guid=f"WP-WSJ-{n}", link=f"https://wire.example.org/{n}", published=SUMMIT + timedelta(hours=n))
             for n in range(3)]
    statements = [Item("Statement", f"The ministry of Japan comments on subject {word}.", guid=f"st-{word}",
                       link="https://ministry.example.org/press", published=SUMMIT + timedelta(hours=5))
                  for word in ("alpha fisheries quota", "bravo rail tender")]
    http_server.routes["/a.xml"] = http_server.routes["/b.xml"] = Response(200, rss([*items, *statements]))
    add_feed(home, http_server.url("/a.xml"), "wsj", "WSJ")
    if not together:
        assert run_ingest(home).exit_code == 0
    add_feed(home, http_server.url("/b.xml"), "wsj-again", "Wall Street Journal")
    assert run_ingest(home).exit_code == 0
    assert query(home, "SELECT title, count(*) FROM articles GROUP BY 1 ORDER BY 1") == [
        *((f"Seoul and Tokyo talk, round {n}", 1) for n in range(3)), ("Statement", 2)]
    assert query(home, "SELECT count(*), count(DISTINCT article_id) FROM article_feeds") == [(10, 5)]
    assert query(home, "SELECT sum(new_articles), sum(duplicates) FROM runs") == [(5, 5)]
    # the first feed by id keeps them all, as one run keeps the text of an article two feeds carry
    assert query(home, "SELECT DISTINCT outlet FROM articles") == [("WSJ",)]
    # polled again with one more story: the copy's stored keys are the other outlet's, which does not make its
    # GUIDs look unstable (keyed by link, its next statement under the shared link would join an old one)
    more = Item("Seoul and Tokyo talk, round 3", "South Korea and Japan discuss item 3 of the accord.",
                guid="WP-WSJ-3", link="https://wire.example.org/3", published=SUMMIT + timedelta(hours=3))
    http_server.routes["/a.xml"] = http_server.routes["/b.xml"] = Response(200, rss([*items, more, *statements]))
    assert run_ingest(home).exit_code == 0
    assert query(home, "SELECT feed_id, key_mode FROM feeds ORDER BY 1") == [("wsj", "guid"), ("wsj-again", "guid")]
    invoke_cli(home, "feeds", "disable", "wsj")
    statement = replace(statements[0], description="The ministry of Japan comments on the charlie port levy.",
                        guid="st-charlie")
    http_server.routes["/b.xml"] = Response(200, rss([*items, more, *statements, statement]))
    assert run_ingest(home).exit_code == 0
    assert query(home, "SELECT count(*) FROM articles WHERE title = 'Statement'") == [(3,)]


def test_a_page_keyed_by_its_guid_meets_the_same_page_keyed_by_its_link_in_one_run(home, http_server):
    """Two runs stored it once, in either order; one run twice: the link-keyed article was not among the pages."""
    page = Item("Seoul and Tokyo talk", "South Korea and Japan discuss the accord.",
                link="https://wire.example.org/talks", published=SUMMIT)
    http_server.routes["/a.xml"] = Response(200, rss([page]))
    http_server.routes["/b.xml"] = Response(200, rss([replace(page, guid="WP-WSJ-1")]))
    add_feed(home, http_server.url("/a.xml"), "linked", "Wire")
    add_feed(home, http_server.url("/b.xml"), "guided", "WSJ")
    assert run_ingest(home).exit_code == 0
    assert query(home, "SELECT article_key FROM articles") == [("url:https://wire.example.org/talks",)]
    assert query(home, "SELECT feed_id FROM article_feeds ORDER BY 1") == [("guided",), ("linked",)]


# Wire A keys its items by opaque GUIDs; Paper B by URL GUIDs, its first item a syndicated copy of Wire A's first at
# Wire A's link, under its own title and a shorter text (too few words shared to be the same page).
PACT_WORDS = "Russia and North Korea signed a mutual defence treaty on Wednesday."
WIRE_A = [Item("Russia and North Korea sign military pact",
               f"{PACT_WORDS} Russian and North Korean troops will hold joint military drills, officials said.",
               guid="a-1", link="https://news.example/a/1", published=SUMMIT),
          *(Item(f"Wire A story {n}", f"Wire A's own story number {n}.", guid=f"a-{n}",
                 link=f"https://news.example/a/{n}", published=SUMMIT + timedelta(hours=n)) for n in (2, 3))]
PAPER_B = [Item("Russia, North Korea sign military pact (syndicated)", f"Syndicated copy. {PACT_WORDS}",
                guid="https://news.example/a/1", link="https://news.example/a/1", published=SUMMIT + timedelta(hours=3)),
           Item("Paper B's own story", "Paper B's own reporting.", guid="https://paper-b.example/b/2",
                link="https://paper-b.example/b/2", published=SUMMIT + timedelta(hours=4))]


def poll_in_order(home, http_server, feeds: dict[str, tuple[str, list[Item]]], order: list[list[str]]) -> None:
    """Serve each feed (id -> (outlet, items)) and poll them in `order`: a run per group, each feed added before the
    first run that polls it."""
    for feed_id, (_, items) in feeds.items():
        http_server.routes[f"/{feed_id}.xml"] = Response(200, rss(items))
    for group in order:
        for feed_id in group:
            add_feed(home, http_server.url(f"/{feed_id}.xml"), feed_id, feeds[feed_id][0])
        assert run_ingest(home).exit_code == 0


def stored_stories(home) -> list[tuple]:
    """(url, outlets whose feeds link it) of every article, in URL order."""
    return query(home, "SELECT a.url, list(DISTINCT f.outlet ORDER BY f.outlet) FROM articles a "
                       "JOIN article_feeds af USING (article_id) JOIN feeds f USING (feed_id) "
                       "GROUP BY a.article_id, a.url ORDER BY 1, 2")


ORDERS = {"one run": [["wire-a", "paper-b"]], "A before B": [["wire-a"], ["paper-b"]],
          "B before A": [["paper-b"], ["wire-a"]]}


def test_a_syndicated_copy_at_the_originals_link_is_one_article_whatever_order_the_feeds_come_in(tmp_path,
                                                                                                  http_server):
    """Both feeds in one run stored the page twice, as did Paper B polled before Wire A; Wire A before Paper B
    stored it once: a rebuilt warehouse, another `feeds add` order or a cron run catching both changed the counts."""
    feeds = {"wire-a": ("Wire A", WIRE_A), "paper-b": ("Paper B", PAPER_B)}
    seen = {}
    for name, order in ORDERS.items():
        home = tmp_path / name.replace(" ", "-")
        home.mkdir()
        poll_in_order(home, http_server, feeds, order)
        # polled again, each feed with a story more: nothing stored twice
        more = {feed_id: (outlet, [*items, replace(items[-1], title=f"{items[-1].title}, part two",
                                                   guid=f"{items[-1].guid}-2", link=f"{items[-1].link}-2")])
                for feed_id, (outlet, items) in feeds.items()}
        poll_in_order(home, http_server, more, [[]])
        seen[name] = (stored_stories(home), query(home, "SELECT sum(duplicates) FROM runs"),
                      query(home, "SELECT title, text FROM articles WHERE url = 'https://news.example/a/1'"))
    stories, duplicates, _ = seen["one run"]
    assert ("https://news.example/a/1", ["Paper B", "Wire A"]) in stories and len(stories) == 6
    assert duplicates == [(1 + 5,)]  # the copy once; every entry polled again
    assert {name: result[:2] for name, result in seen.items()} == dict.fromkeys(ORDERS, (stories, duplicates))
    # the text kept is the copy stored first; of two met in one run, the URL-keyed one
    syndicated, original = [(item.title, item.description) for item in (PAPER_B[0], WIRE_A[0])]
    assert {name: result[2] for name, result in seen.items()} == {
        "one run": [syndicated], "A before B": [original], "B before A": [syndicated]}


# A press office gives each statement its own opaque GUID and links them all to its section page.
PRESS = [Item(f"Statement {n}", f"The ministry of Japan comments on the {subject}.", guid=f"st-{n}",
              link="https://ministry.example.org/press", published=SUMMIT + timedelta(hours=n))
         for n, subject in enumerate(("fisheries quota", "rail tender", "port levy"), start=1)]


@pytest.mark.parametrize("words", ["its own", "a statement's"])
def test_a_press_offices_statements_sharing_its_section_link_stay_apart_whatever_order_a_link_to_it_comes_in(
        tmp_path, http_server, words):
    """A digest links the section page under its own words, or under one statement's: polled after the press office,
    the digest's entry was taken for the first statement stored at that link, whatever its words."""
    digest = Item("Tokyo's ministry on trade", "A digest of the week's statements.", link=PRESS[0].link,
                  published=SUMMIT + timedelta(hours=5))
    if words == "a statement's":
        digest = replace(PRESS[1], guid=None)
    feeds = {"press": ("Ministry", PRESS), "digest": ("Digest", [digest])}
    seen = {}
    for name, order in {"one run": [["press", "digest"]], "press first": [["press"], ["digest"]],
                        "digest first": [["digest"], ["press"]]}.items():
        home = tmp_path / name.replace(" ", "-")
        home.mkdir()
        poll_in_order(home, http_server, feeds, order)
        seen[name] = query(home, "SELECT a.title, list(DISTINCT f.outlet ORDER BY f.outlet) FROM articles a "
                                 "JOIN article_feeds af USING (article_id) JOIN feeds f USING (feed_id) "
                                 "GROUP BY a.article_id, a.title ORDER BY 1")
    statements = [(item.title, ["Ministry"]) for item in PRESS]
    expected = sorted([*statements, (digest.title, ["Digest"])] if words == "its own" else
                      [statements[0], (PRESS[1].title, ["Digest", "Ministry"]), statements[2]])
    assert seen == dict.fromkeys(seen, expected)


def test_an_article_served_again_by_the_same_feed_keeps_one_row_and_one_link(home, http_server, feeds_file):
    bodies = iter([rss([TREATY]), rss([TREATY, TARIFFS])])
    http_server.routes["/f.xml"] = lambda request: Response(200, next(bodies))
    assert run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/f.xml")})).exit_code == 0
    assert run_ingest(home).exit_code == 0
    assert query(home, "SELECT count(*), count(DISTINCT article_id) FROM articles") == [(2, 2)]
    assert query(home, "SELECT count(*), count(DISTINCT (article_id, feed_id)) FROM article_feeds") == [(2, 2)]
    assert query(home, "SELECT run_id, new_articles, duplicates FROM runs ORDER BY run_id") == [(1, 1, 0), (2, 1, 1)]


AGREED = "South Korea and Japan agreed on a student exchange for 2,000 students a year."


def test_reissued_title_from_one_outlet_within_7_days_counts_once(home, http_server, feeds_file):
    first = Item("Seoul and Tokyo agree student exchange", AGREED, guid="x-1", published=SUMMIT)
    reissue = Item("SEOUL AND TOKYO AGREE STUDENT EXCHANGE!", f"{AGREED} Updated.", guid="x-2",
                   published=SUMMIT + timedelta(days=2))
    later = Item("Seoul and Tokyo agree student exchange", "A new round.", guid="x-3", published=SUMMIT + timedelta(days=30))
    http_server.routes["/f.xml"] = Response(200, rss([first, reissue, later]))
    assert run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/f.xml")})).exit_code == 0
    assert query(home, "SELECT text FROM articles ORDER BY published_at") == [(AGREED,), ("A new round.",)]
    assert query(home, "SELECT duplicates FROM runs") == [(1,)]


@pytest.mark.parametrize(("days", "articles"), [(7, 1), (8, 2)], ids=["7 days apart", "8 days apart"])
def test_an_outlets_same_title_and_text_are_one_story_within_7_days_and_no_more(home, http_server, feeds_file, days,
                                                                                  articles):
    """README ("An article is one story at one address"): an outlet's reissue within 7 days is the story stored before
    it, so re-run a week later it is not counted twice; 8 days later it is an article again, which a longer window
    would drop as a duplicate."""
    first = Item("Seoul and Tokyo agree student exchange", AGREED, guid="x-1", published=SUMMIT)
    again = replace(first, guid="x-2", published=SUMMIT + timedelta(days=days))
    http_server.routes["/f.xml"] = Response(200, rss([first, again]))
    assert run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/f.xml")})).exit_code == 0
    assert query(home, "SELECT count(*) FROM articles") == [(articles,)]
    assert query(home, "SELECT duplicates FROM runs") == [(2 - articles,)]


def test_a_same_story_under_another_link_links_its_feed_to_the_kept_article(home, http_server, feeds_file):
    """An outlet's feeds carry one story at http and https (or another URL) under one title and text: stored once,
    but the feeds of the dropped copies had no link to it, and v_feed_health counted no article for them."""
    story = Item("Seoul and Tokyo agree student exchange", AGREED, link="http://news.example.org/story-1",
                 published=SUMMIT)
    http_server.routes["/a.xml"] = Response(200, rss([story]))
    http_server.routes["/b.xml"] = Response(200, rss([replace(story, link="https://news.example.org/story-1?utm_source=x",
                                                              published=SUMMIT + timedelta(hours=1))]))
    http_server.routes["/c.xml"] = Response(200, rss([replace(story, link="https://news.example.org/amp/story-1")]))
    both = {"a": http_server.url("/a.xml"), "b": http_server.url("/b.xml")}
    assert run_ingest(home, "--feeds", feeds_file(both, outlet="News")).exit_code == 0
    listing = feeds_file({**both, "c": http_server.url("/c.xml")}, outlet="News")  # a stored article's later copy
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT url, day FROM articles") == [(story.link, SUMMIT.date())]
    assert query(home, "SELECT feed_id, day FROM article_feeds ORDER BY feed_id") == [
        ("a", SUMMIT.date()), ("b", SUMMIT.date()), ("c", SUMMIT.date())]
    assert query(home, "SELECT feed_id, articles FROM v_feed_health ORDER BY feed_id") == [("a", 1), ("b", 1), ("c", 1)]
    assert query(home, "SELECT duplicates FROM runs ORDER BY run_id") == [(1,), (1,)]  # a and b: unchanged


def test_a_feed_that_redates_a_stored_article_links_it_on_the_articles_day(home, http_server, feeds_file):
    """A later capture gave the entry another pubDate: its link counted the article on a day it is not filed under."""
    redated = replace(TREATY, published=SUMMIT + timedelta(days=68))
    http_server.routes["/a.xml"] = Response(200, rss([TREATY]))
    http_server.routes["/b.xml"] = Response(200, rss([redated]))
    assert run_ingest(home, "--feeds", feeds_file({"a": http_server.url("/a.xml")})).exit_code == 0
    listing = feeds_file({"a": http_server.url("/a.xml"), "b": http_server.url("/b.xml")})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT af.feed_id, af.day, a.day FROM article_feeds af JOIN articles a USING (article_id) "
                       "ORDER BY 1") == [("a", SUMMIT.date(), SUMMIT.date()), ("b", SUMMIT.date(), SUMMIT.date())]


def test_feeds_of_one_run_that_date_an_entry_apart_link_it_on_the_articles_day(home, http_server, feeds_file):
    """Two feeds carried one entry under pubDates a day apart in the same run: each link kept its own feed's day,
    so the feed that gave no text counted the article on a day it is not filed under."""
    http_server.routes["/a.xml"] = Response(200, rss([TREATY]))
    http_server.routes["/b.xml"] = Response(200, rss([replace(TREATY, published=SUMMIT + timedelta(days=1))]))
    listing = feeds_file({name: http_server.url(f"/{name}.xml") for name in "ab"})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT af.feed_id, af.day, a.day FROM article_feeds af JOIN articles a USING (article_id) "
                       "ORDER BY 1") == [("a", SUMMIT.date(), SUMMIT.date()), ("b", SUMMIT.date(), SUMMIT.date())]


def test_the_words_behind_each_topic_are_stored_where_they_stand(home, http_server, feeds_file):
    item = Item("Seoul widens sanctions on Pyongyang", "South Korea froze the assets of North Korean banks and "
                "imposed sanctions on shipping firms. The measures follow a missile test.", guid="s1")
    http_server.routes["/f.xml"] = Response(200, rss([item]))
    assert run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/f.xml")})).exit_code == 0
    hits = query(home, "SELECT h.topic, h.surface, substring(CASE h.field WHEN 'title' THEN a.title ELSE a.text END, "
                       "h.start_offset + 1, h.end_offset - h.start_offset) FROM topic_hits h JOIN articles a "
                       "USING (article_id) ORDER BY h.field DESC, h.start_offset")
    assert hits and all(surface == written for _, surface, written in hits)
    assert hits[0][:2] == ("sanctions", "sanctions")  # the title's word comes first
    assert {topic for topic, _, _ in hits} == {topic for (topic,) in query(home, "SELECT topic FROM article_topics")}


def test_a_topic_a_pair_sentence_gives_is_stored_as_raised_with_its_words(home, http_server, feeds_file):
    item = Item("Canada and Mexico ease tensions over the deal", "Officials spoke on Friday.", guid="d1")
    http_server.routes["/f.xml"] = Response(200, rss([item]))
    assert run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/f.xml")})).exit_code == 0
    assert query(home, "SELECT topic, raised FROM article_topics") == [("diplomacy", True)]
    assert query(home, "SELECT surface FROM topic_hits ORDER BY start_offset") == [("tensions",), ("deal",)]


def test_a_recurring_title_over_another_story_is_another_article(home, http_server, feeds_file):
    """Reuters' "PROPOSED OFFERINGS RECENTLY FILED WITH THE SEC" (251 of 12,000 imported stories) and a daily
    "Morning briefing" were dropped as reissues: same title within a week, but other words."""
    briefings = [Item("Morning briefing", text, guid=f"b-{day}", published=SUMMIT + timedelta(days=day))
                 for day, text in enumerate(["Russia and North Korea sign a defence pact in Pyongyang.",
                                             "China and the United States resume tariff talks in Geneva.",
                                             "Iran and Saudi Arabia reopen their embassies."])]
    http_server.routes["/f.xml"] = Response(200, rss(briefings))
    assert run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/f.xml")})).exit_code == 0
    assert query(home, "SELECT count(*) FROM articles") == [(3,)]
    assert query(home, "SELECT duplicates FROM runs") == [(0,)]


def test_two_items_without_text_under_one_title_are_two_articles(home, http_server, feeds_file):
    """A captured NYT feed: "What to know about the report." led the jobs report, then the inflation report four
    days later, both without a description; the second was dropped as a reissue of the first."""
    reports = [Item("What to know about the report.", "", link=f"https://news.example.org/{name}",
                    published=SUMMIT + timedelta(days=day)) for day, name in ((0, "jobs"), (4, "inflation"))]
    http_server.routes["/f.xml"] = Response(200, rss(reports))
    assert run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/f.xml")})).exit_code == 0
    assert query(home, "SELECT url FROM articles ORDER BY url") == [("https://news.example.org/inflation",),
                                                                   ("https://news.example.org/jobs",)]


def test_a_reissue_carried_by_two_feeds_of_the_outlet_leaves_no_link_behind(home, http_server, feeds_file):
    first = Item("Seoul and Tokyo agree student exchange", AGREED, link="https://wire.example.org/a", published=SUMMIT)
    reissue = Item("Seoul and Tokyo agree student exchange", f"{AGREED} Updated.", link="https://wire.example.org/b",
                   published=SUMMIT + timedelta(days=1))
    http_server.routes["/world.xml"] = Response(200, rss([first, reissue]))
    http_server.routes["/politics.xml"] = Response(200, rss([reissue]))
    listing = feeds_file({"world": http_server.url("/world.xml"), "politics": http_server.url("/politics.xml")},
                         outlet="Wire")
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT url FROM articles") == [("https://wire.example.org/a",)]
    # politics carried the story too: its link goes to the article kept, none to the reissue never stored
    assert query(home, "SELECT af.feed_id FROM article_feeds af JOIN articles a USING (article_id) "
                       "ORDER BY 1") == [("politics",), ("world",)]
    assert query(home, "SELECT count(*) FROM article_feeds") == [(2,)]


def test_feed_whose_guids_change_while_links_stay_switches_to_link_keys(home, http_server, feeds_file):
    def items(generation: int):
        return [Item(f"Story {n}", "Text.", link=f"https://news.example.org/{n}", guid=f"gen{generation}-{n}",
                     published=SUMMIT) for n in range(4)]
    generation = iter(range(10))
    http_server.routes["/f.xml"] = lambda request: Response(200, rss(items(next(generation))))
    listing = feeds_file({"f": http_server.url("/f.xml")})
    for _ in range(3):
        assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT key_mode FROM feeds") == [("link",)]
    assert query(home, "SELECT count(*) FROM articles") == [(4,)]


def _capture(folder: Path, name: str, generation: int, stories: int) -> Path:
    """A capture of a feed whose GUIDs are regenerated at each `generation`, its links the same."""
    path = folder / name
    path.write_bytes(rss([Item(f"Story {n}", "Text.", link=f"https://news.example.org/{n}", guid=f"gen{generation}-{n}",
                               published=SUMMIT) for n in range(stories)]))
    return path


def test_a_switch_to_link_keys_holds_when_the_feed_sends_another_document_in_the_run(home, tmp_path):
    """Captures of one feed replayed in one run (ingest_local_files): the capture whose GUIDs changed switched the
    feed to link keys, and the next capture's state, which still said GUID keys, undid the switch at the commit."""
    from pipeline.ingest import ingest_local_files

    first, regenerated, short = (_capture(tmp_path, name, generation, stories)
                                 for name, generation, stories in (("a.xml", 0, 4), ("b.xml", 1, 4), ("c.xml", 1, 1)))
    listing = tmp_path / "feeds.toml"
    listing.write_text(feed_list_toml({"f": first.as_uri()}))
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(listing))
        ingest_local_files(h, warehouse, load_tagger(), [("f", first)])
        ingest_local_files(h, warehouse, load_tagger(), [("f", regenerated), ("f", short)])
        assert warehouse.con.execute("SELECT key_mode FROM feeds").fetchall() == [("link",)]
        assert warehouse.con.execute("SELECT count(*) FROM articles").fetchone() == (4,)


def test_a_switch_to_link_keys_holds_in_the_runs_after_it_of_one_replay(home, tmp_path):
    """A replay of captures read its feeds once: each run after the one that switched a feed to link keys stored the
    feed's state as first read, GUID keys, and undid the switch (a review of stop 73)."""
    from pipeline.ingest import ingest_local_files

    captures = [_capture(tmp_path, name, generation, stories)
                for name, generation, stories in (("a.xml", 0, 4), ("b.xml", 1, 4), ("c.xml", 1, 1))]
    listing = tmp_path / "feeds.toml"
    listing.write_text(feed_list_toml({"f": captures[0].as_uri()}))
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(listing))
        summaries = ingest_local_files(h, warehouse, load_tagger(), [("f", path) for path in captures], files_per_run=1)
        assert len(summaries) == 3
        assert warehouse.con.execute("SELECT key_mode FROM feeds").fetchall() == [("link",)]


def test_a_run_a_minute_before_its_period_polls_every_feed_again(home, http_server, feeds_file):
    """The README's systemd timer fires a random minute into each period: a run that came a minute earlier than the
    one before left the feeds whose phase (up to a tenth of the interval) was shorter for the next period."""
    feeds = {f"f{n}": http_server.url(f"/f{n}.xml") for n in range(12)}
    for path in feeds.values():
        http_server.routes[path.removeprefix(http_server.base_url)] = Response(200, rss([TREATY]))
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file(feeds))))
        for at in (timedelta(seconds=50), timedelta(minutes=15, seconds=-10)):  # 60 s earlier into its period
            poll_feeds(h, warehouse, load_tagger(), now=SUMMIT + at, base_interval=timedelta(minutes=15))
    assert query(home, "SELECT run_id, count(*) FROM fetches GROUP BY ALL ORDER BY ALL") == [(1, 12), (2, 12)]


def test_a_run_under_a_clock_hours_ahead_leaves_no_schedule_once_the_clock_is_fixed(home, http_server, feeds_file):
    """A VM booted 5 h ahead ran one ingest: every feed's next check lay 5 h on, and each run after the clock was
    fixed was idle ("no feed due") until that time came again, with `status --check` green."""
    http_server.routes["/a.xml"] = Response(200, rss([TREATY]))
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file({"a": http_server.url("/a.xml")}))))
        for now in (SUMMIT + timedelta(hours=5), SUMMIT, SUMMIT + timedelta(minutes=1)):
            poll_feeds(h, warehouse, load_tagger(), now=now, base_interval=timedelta(minutes=15))
    # the run at SUMMIT polls the feed and schedules it from there: the one a minute later finds nothing due
    assert query(home, "SELECT run_id, feed_id FROM fetches ORDER BY ALL") == [(1, "a"), (2, "a")]
    [(next_check,)] = query(home, "SELECT next_check_at FROM feeds")
    assert SUMMIT < next_check <= SUMMIT + timedelta(minutes=15)


def test_a_host_pause_longer_than_any_server_may_ask_is_a_clock_gone_back(home, http_server, feeds_file):
    """A host asked for an hour's pause in a run 30 h ahead: once the clock is back, the pause would hold its other
    feeds 31 h, longer than the 24 h any Retry-After is held to. A pause within 24 h holds as it was asked."""
    http_server.routes["/limited.xml"] = Response(429, headers={"Retry-After": "3600"})
    http_server.routes["/good.xml"] = Response(200, rss([TREATY]))
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file({"limited": http_server.url("/limited.xml")}))))
        poll_feeds(h, warehouse, load_tagger(), now=SUMMIT + timedelta(hours=30), base_interval=timedelta(minutes=15))
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file(
            {"limited": http_server.url("/limited.xml"), "good": http_server.url("/good.xml")}))))
        poll_feeds(h, warehouse, load_tagger(), now=SUMMIT, base_interval=timedelta(minutes=15))
        poll_feeds(h, warehouse, load_tagger(), now=SUMMIT + timedelta(minutes=30),
                   base_interval=timedelta(minutes=15))
    assert query(home, "SELECT run_id, feed_id, outcome FROM fetches ORDER BY ALL") == [
        (1, "limited", "rate_limited"), (2, "good", "ok"), (2, "limited", "rate_limited"),
        (3, "good", "rate_limited")]  # the pause asked at SUMMIT holds for its hour


@pytest.mark.parametrize(("headers", "outcome"), [({}, "soft_fail"), ({"Retry-After": "2"}, "rate_limited")],
                         ids=["bare 503", "Retry-After 2"])
def test_a_503_on_one_feed_holds_the_other_feeds_of_its_host_no_longer_than_its_server_asked(
        home, http_server, feeds_file, headers, outcome):
    """A bare 503 asks for no pause: only the failing feed backs off (up to 24 h). "503 Retry-After: 2" paused every
    feed of its host for the refused feed's backoff (30 min at the default interval, doubling at each refusal up to
    24 h), said to be what the server asked. The server asked for 2 s: the next run past them polls the host's other
    feed, and the refused feed alone keeps backing off."""
    http_server.routes["/good.xml"] = Response(200, rss([TREATY]))
    http_server.routes["/busy.xml"] = Response(503, b"busy", headers=headers)
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file(
            {"good": http_server.url("/good.xml"), "busy": http_server.url("/busy.xml")}))))
        for minutes in (0, 20):  # at +20 min "good" is due again, "busy" still backs off (~30 min)
            poll_feeds(h, warehouse, load_tagger(), now=SUMMIT + timedelta(minutes=minutes),
                       base_interval=timedelta(minutes=15))
    assert query(home, "SELECT run_id, feed_id, outcome FROM fetches ORDER BY run_id, feed_id") == [
        (1, "busy", outcome), (1, "good", "ok"), (2, "good", "unchanged")]
    assert query(home, "SELECT failures FROM runs ORDER BY run_id") == [(1,), (0,)]
    [(until, next_check)] = query(home, "SELECT pause_until, next_check_at FROM feeds WHERE feed_id = 'busy'")
    if headers:
        assert SUMMIT + timedelta(seconds=2) <= until < SUMMIT + timedelta(minutes=1)
    else:
        assert until is None
    assert next_check > SUMMIT + timedelta(minutes=20)
    assert query(home, "SELECT feed_id, health FROM v_feed_health ORDER BY feed_id") == [
        ("busy", "degraded"), ("good", "healthy")]


def test_a_feed_refused_after_a_redirect_pauses_the_host_that_refused_it_in_later_runs(home, http_server, feeds_file):
    """localhost and 127.0.0.1 are two sites on one server. "moved" is listed at localhost and sent on (302) to
    127.0.0.1, which answers 429 for an hour: of the feeds added after that run, 127.0.0.1's waits for that hour and
    localhost's is asked (localhost only passed the feed on, as a feed service would)."""
    http_server.routes["/moved.xml"] = Response(302, headers={"Location": http_server.url("/limited.xml")})
    http_server.routes["/limited.xml"] = Response(429, headers={"Retry-After": "3600"})
    http_server.routes["/good.xml"] = Response(200, rss([TREATY]))
    on_localhost = http_server.url("/good.xml").replace("127.0.0.1", "localhost")
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        listed = {"moved": http_server.url("/moved.xml").replace("127.0.0.1", "localhost")}
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file(listed))))
        poll_feeds(h, warehouse, load_tagger(), now=SUMMIT, base_interval=timedelta(minutes=15))
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file(
            {**listed, "beside-moved": on_localhost, "beside-limited": http_server.url("/good.xml")}))))
        poll_feeds(h, warehouse, load_tagger(), now=SUMMIT + timedelta(minutes=20), base_interval=timedelta(minutes=15))
    [(until,)] = query(home, "SELECT next_check_at FROM feeds WHERE feed_id = 'moved'")
    assert until >= SUMMIT + timedelta(hours=1)  # the hour counts from the answer, a moment into the run
    assert query(home, "SELECT feed_id, outcome, error FROM fetches WHERE run_id = 2 ORDER BY feed_id") == [
        ("beside-limited", "rate_limited",
         f"deferred: {http_server.base_url.removeprefix('http://')} asked for a pause until "  # host and port
         f"{until.isoformat(timespec='seconds')}"),
        ("beside-moved", "ok", None)]
    assert query(home, "SELECT fetched_url FROM feeds WHERE feed_id = 'moved'") == [(http_server.url("/limited.xml"),)]
    assert [path for path, _ in http_server.requests] == ["/moved.xml", "/limited.xml", "/good.xml"]


def test_a_retry_after_counts_from_when_the_answer_arrived_not_from_the_runs_start(home, http_server, feeds_file):
    """A host answering a second into the run with "Retry-After: 3600" was stored as paused until an hour after the
    run began: the later into a run the answer came (a long run spends up to ten minutes fetching), the shorter the
    pause the host got."""
    def refuse_after_a_second(_request):
        time.sleep(1)
        return Response(429, headers={"Retry-After": "3600"})
    http_server.routes["/limited.xml"] = refuse_after_a_second
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file({"limited": http_server.url("/limited.xml")}))))
        poll_feeds(h, warehouse, load_tagger(), now=SUMMIT, base_interval=timedelta(minutes=15))
    [(until,)] = query(home, "SELECT next_check_at FROM feeds")
    assert until >= SUMMIT + timedelta(hours=1, seconds=1)


def test_feeds_a_paused_host_kept_back_are_deferred_not_failures_of_the_run(home, http_server, feeds_file):
    """A feed's 429 with Retry-After pauses its host: in the next run the host's other feeds are not asked (no request,
    no status, "deferred: … asked for a pause"), yet the run counted each as a feed polled and a failure and listed it
    in runs.error, ahead of the real failures, where v_feed_daily counts them deferred, not sent, not failed."""
    http_server.routes["/limited.xml"] = Response(429, headers={"Retry-After": "3600"})
    http_server.routes["/good.xml"] = Response(200, rss([TREATY]))
    limited = {"limited": http_server.url("/limited.xml")}
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file(limited))))
        poll_feeds(h, warehouse, load_tagger(), now=SUMMIT, base_interval=timedelta(minutes=15))
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file({
            **limited, "beside-1": http_server.url("/good.xml?n=1"), "beside-2": http_server.url("/good.xml?n=2"),
            "missing": http_server.url("/missing.xml").replace("127.0.0.1", "localhost")}))))
        summary = poll_feeds(h, warehouse, load_tagger(), now=SUMMIT + timedelta(minutes=20),
                             base_interval=timedelta(minutes=15))
    assert [path for path, _ in http_server.requests] == ["/limited.xml", "/missing.xml"]  # beside-* were not asked
    assert query(home, "SELECT feed_id, outcome FROM fetches WHERE run_id = 2 ORDER BY feed_id") == [
        ("beside-1", "rate_limited"), ("beside-2", "rate_limited"), ("missing", "soft_fail")]
    assert query(home, "SELECT feeds_polled, failures, error FROM runs WHERE run_id = 2") == [
        (1, 1, "missing: HTTP 404 Not Found")]
    assert (summary.feeds_polled, summary.failures, summary.deferred) == (1, 1, 2)
    assert query(home, "SELECT sum(fetches), sum(failures), sum(deferred) FROM v_feed_daily") == [(2, 2, 2)]


def test_a_run_starts_no_fetch_past_its_budget_and_the_feeds_left_come_next_run(home, http_server, feeds_file):
    """A slow host's backlog held the run (and the home) until every feed had had its 60 s: the feeds still waiting
    when the budget runs out are deferred, stay due and keep their health, count as no failure, and the next run
    fetches them first (in feed-id order, the same early feeds spent every run's budget)."""
    def slow(handler):  # past the budget by far: a start-up slowed by a busy box must not defer a first feed too
        time.sleep(3)
        return Response(200, rss([TREATY]))
    for path in ("/a.xml", "/b.xml", "/c.xml"):
        http_server.routes[path] = slow
    listing = feeds_file({name: http_server.url(f"/{name}.xml") for name in "abc"})
    result = run_ingest(home, "--feeds", listing, "--fetch-budget", "2s")
    assert result.exit_code == 0, result.output
    first = dict(query(home, "SELECT outcome, count(*) FROM fetches GROUP BY ALL"))
    assert first == {"ok": 2, "deferred": 1}  # two connections per host for three feeds: the third waited
    [(deferred, health)] = query(home, "SELECT feed_id, health FROM v_feed_health WHERE last_status = 'deferred'")
    assert health == "never polled" and query(home, "SELECT count(*) FROM articles") == [(1,)]
    assert query(home, "SELECT failures, error FROM runs") == [(0, None)] and "deferred=1" in result.output
    assert query(home, "SELECT feeds_polled FROM runs") == [(2,)]  # the deferred feed was never asked
    assert query(home, "SELECT bytes, ms FROM fetches WHERE outcome = 'deferred'") == [(None, None)]
    # --interval 0s: the two fetched are due again at once, and the budget again lets two of the three start
    assert run_ingest(home, "--fetch-budget", "2s").exit_code == 0
    assert query(home, "SELECT outcome FROM fetches WHERE run_id = 2 AND feed_id = ?", [deferred]) == [("ok",)]


def test_the_run_error_lists_the_first_failures_and_counts_the_rest(home, http_server, feeds_file):
    """It listed the first 20 alone: 22 failing feeds read as 20."""
    listing = feeds_file({f"f{n:02}": http_server.url(f"/missing-{n}.xml") for n in range(RUN_ERRORS_LISTED + 2)})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    [(failures, error)] = query(home, "SELECT failures, error FROM runs")
    *listed, more = error.split("; ")
    assert (failures, len(listed), more) == (22, RUN_ERRORS_LISTED, "and 2 more")
    assert all(line.endswith(": HTTP 404 Not Found") for line in listed)


def test_a_feed_in_the_charset_its_server_names_is_stored_as_written(home, http_server, feeds_file):
    """A KOI8-R feed without an XML declaration, served with "charset=koi8-r": its titles were stored as mojibake."""
    body = rss([Item("Санкции против России", "Москва и Пекин.", guid="k1")]).split(b"?>", 1)[1].decode().encode("koi8-r")
    http_server.routes["/k.xml"] = Response(200, body, {"Content-Type": "application/rss+xml; charset=koi8-r"})
    assert run_ingest(home, "--feeds", feeds_file({"k": http_server.url("/k.xml")})).exit_code == 0
    assert query(home, "SELECT title, text FROM articles") == [("Санкции против России", "Москва и Пекин.")]


def test_a_utf8_feed_under_a_wrong_legacy_charset_is_stored_as_written(home, http_server, feeds_file):
    """A UTF-8 feed declaring windows-1251 (its server agreeing) was stored as "РњРѕСЃРєРІР°" and tagged with no
    country; one with no declaration whose server says windows-1251 was, and stays, read as UTF-8."""
    story = ("Санкции против России", "Москва и Пекин.")
    windows_1251 = {"Content-Type": "application/rss+xml; charset=windows-1251"}
    declared = rss([Item(*story, guid="d1")]).replace(b'encoding="utf-8"', b'encoding="windows-1251"')
    http_server.routes["/declared.xml"] = Response(200, declared, windows_1251)
    http_server.routes["/undeclared.xml"] = Response(200, rss([Item(*story, guid="u1")]).split(b"?>", 1)[1],
                                                     windows_1251)
    feeds = {name: http_server.url(f"/{name}.xml") for name in ("declared", "undeclared")}
    assert run_ingest(home, "--feeds", feeds_file(feeds, languages=dict.fromkeys(feeds, "ru"))).exit_code == 0
    assert query(home, "SELECT feed_id, outcome, error FROM fetches ORDER BY feed_id") == [
        ("declared", "ok", None), ("undeclared", "ok", None)]
    assert query(home, "SELECT outlet, title, text FROM articles ORDER BY outlet") == [
        ("declared", *story), ("undeclared", *story)]
    assert query(home, "SELECT a.outlet, list(c.iso3 ORDER BY c.iso3) FROM articles a JOIN article_countries c "
                       "USING (article_id) GROUP BY a.outlet ORDER BY a.outlet") == [
        ("declared", ["CHN", "RUS"]), ("undeclared", ["CHN", "RUS"])]


# Of each kind of key one beyond ASCII: a URL GUID, an opaque GUID (both with links in ASCII), a link, a title hash.
KEYED_BEYOND_ASCII = [
    Item("Санкции против России", "Москва и Пекин.", link="https://news.example.org/a",
         guid="https://news.example.org/санкции"),
    Item("Москва и Пекин", "Москва и Пекин подписали договор.", link="https://news.example.org/b", guid="мск-2"),
    Item("Пекин отвечает", "Пекин ответил Москве.", link="https://news.example.org/пекин"),
    Item("Только заголовок: Москва", published=SUMMIT)]


def test_an_article_stored_from_utf8_misread_by_its_declared_charset_is_not_stored_again(home, http_server,
                                                                                          feeds_file):
    """Versions before read a UTF-8 feed declaring windows-1251 by its declaration and stored its articles under keys in
    mojibake ("guid:РјСЃРє-2"). Read as UTF-8, each came back under another key, with another title, and was stored a
    second time (and its GUIDs, new beside the same links, made the feed link-keyed for good). The article stored is
    found under the key it had then, and every feed carrying it links to it."""
    utf8_declared_1251 = rss(KEYED_BEYOND_ASCII).replace(b'encoding="utf-8"', b'encoding="windows-1251"')
    # what versions before read: the text as windows-1251 decodes it, here in UTF-8, which is read as it is
    as_read_before = utf8_declared_1251.decode("windows-1251").replace("windows-1251", "utf-8").encode()
    http_server.routes["/wire.xml"] = Response(200, as_read_before)
    wire = {"wire": http_server.url("/wire.xml")}
    assert run_ingest(home, "--feeds", feeds_file(wire, outlet="Wire")).exit_code == 0
    stored = query(home, "SELECT article_id, title FROM articles ORDER BY article_id")
    assert len(stored) == 4 and "Санкции против России" not in {title for _, title in stored}
    http_server.routes["/wire.xml"] = http_server.routes["/world.xml"] = Response(200, utf8_declared_1251)
    both = feeds_file({**wire, "world": http_server.url("/world.xml")}, outlet="Wire")
    result = run_ingest(home, "--feeds", both)
    assert result.exit_code == 0, result.output
    assert query(home, "SELECT article_id, title FROM articles ORDER BY article_id") == stored
    assert query(home, "SELECT run_id, new_articles, duplicates FROM runs ORDER BY run_id") == [(1, 4, 0), (2, 0, 8)]
    assert query(home, "SELECT feed_id, count(*), count(DISTINCT article_id) FROM article_feeds GROUP BY feed_id "
                       "ORDER BY feed_id") == [("wire", 4, 4), ("world", 4, 4)]
    assert query(home, "SELECT DISTINCT key_mode FROM feeds") == [("guid",)]


def test_a_rejected_body_is_the_feeds_last_status(home, http_server, feeds_file):
    http_server.routes["/f.xml"] = Response(200, b"<html><body>Not a feed</body></html>")
    assert run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/f.xml")})).exit_code == 0
    assert query(home, "SELECT outcome, error FROM fetches") == [("rejected", "not a recognisable RSS/Atom feed")]
    assert query(home, "SELECT last_status, last_http_status, last_error FROM feeds") == [
        ("rejected", 200, "not a recognisable RSS/Atom feed")]  # worded as the fetch log words it: one error, one text


def test_a_rejected_body_is_logged_as_rejected(home, http_server, feeds_file):
    """The log line came from the HTTP result before the parse: "outcome=ok" for a body stored as rejected, so a
    cron log hid every feed that had turned into an error page."""
    http_server.routes["/f.xml"] = Response(200, b"hello")
    result = run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/f.xml")}))
    [line] = [line for line in without_ts(result.stderr) if line.startswith("event=fetch")]
    assert "outcome=rejected" in line and "not a recognisable RSS/Atom feed" in line


def test_every_log_line_of_an_ingest_says_when_it_was_written(home, http_server, feeds_file):
    """The README's cron job appends these lines to one file for months: none carried a time, so a failure it logged
    could not be dated nor matched to the `status --check` mail about it."""
    http_server.routes["/a.xml"] = Response(200, rss([TREATY]))
    http_server.routes["/b.xml"] = Response(500, b"down")
    started = datetime.now(timezone.utc).replace(microsecond=0)  # the stamps are to the second
    result = run_ingest(home, "--feeds", feeds_file({"a": http_server.url("/a.xml"), "b": http_server.url("/b.xml")}))
    ended = datetime.now(timezone.utc)
    lines = result.stderr.splitlines()
    assert [line.split()[1] for line in lines] == ["event=fetch", "event=fetch", "event=run"], lines
    stamps = [logged_at(line) for line in lines]
    assert None not in stamps and all(started <= at <= ended for at in stamps), lines


def test_a_feed_read_despite_a_parser_complaint_logs_a_warning_not_an_error(home, http_server, feeds_file):
    """`error=` on an `outcome=ok` line made a grep of the cron log for errors flag a working feed."""
    http_server.routes["/f.xml"] = Response(200, b"\n  " + rss([TREATY]))  # a declaration not at the start
    result = run_ingest(home, "--feeds", feeds_file({"f": http_server.url("/f.xml")}))
    [line] = [line for line in without_ts(result.stderr) if line.startswith("event=fetch")]
    assert "outcome=ok" in line and " warning=" in line and " error=" not in line, line
    assert query(home, "SELECT count(*) FROM articles") == [(1,)]


def test_a_feed_cut_short_is_a_failure_and_is_fetched_whole_again(home, http_server, feeds_file):
    """XML that does not close (a dropped connection upstream) parsed as a healthy feed with no entries, and its body
    hash made the next poll "unchanged": the feed looked fine while nothing came in."""
    http_server.routes["/f.xml"] = Response(200, rss([TREATY])[:120])
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file({"f": http_server.url("/f.xml")}))))
        for hours in (0, 6):
            poll_feeds(h, warehouse, load_tagger(), now=SUMMIT + timedelta(hours=hours))
    assert query(home, "SELECT run_id, outcome, entries, starts_with(error, 'XML cut short') FROM fetches "
                       "ORDER BY run_id") == [(1, "rejected", 0, True), (2, "rejected", 0, True)]
    assert query(home, "SELECT health, consecutive_failures, starts_with(last_error, 'XML cut short') "
                       "FROM v_feed_health") == [("degraded", 2, True)]


def test_a_feed_cut_short_after_entries_stores_none_until_it_comes_whole(home, http_server, feeds_file):
    """A body cut inside its last item was stored as it came: that item undated (filed under the poll's day), and the
    whole feed, next poll, stored its story a second time under its GUID."""
    whole = rss([TARIFFS, replace(TREATY, guid="treaty-1")])
    http_server.routes["/f.xml"] = Response(200, whole[:whole.rindex(b"<guid")])
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(Path(feeds_file({"f": http_server.url("/f.xml")}))))
        poll_feeds(h, warehouse, load_tagger(), now=SUMMIT + timedelta(days=2))
        http_server.routes["/f.xml"] = Response(200, whole)
        poll_feeds(h, warehouse, load_tagger(), now=SUMMIT + timedelta(days=2, hours=6))
    assert query(home, "SELECT run_id, outcome, entries, starts_with(error, 'XML cut short inside an entry, after 2 entries') "
                       "FROM fetches ORDER BY run_id") == [(1, "rejected", 0, True), (2, "ok", 2, None)]
    assert query(home, "SELECT run_id, title, day FROM articles ORDER BY title") == [
        (2, TARIFFS.title, TARIFFS.published.date()), (2, TREATY.title, SUMMIT.date())]
    assert query(home, "SELECT duplicates FROM runs ORDER BY run_id") == [(0,), (0,)]


@contextmanager
def warehouse_opened_elsewhere(home):
    """An analyst's duckdb.connect(<home>/warehouse.duckdb, read_only=True) in another process: DuckDB's lock on the
    file, not the home's ingest.lock."""
    h = Home.resolve(home).ensure()
    Warehouse(h.writer_db).close()
    script = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1], read_only=True); print('open', flush=True); " \
             "time.sleep(300)"
    holder = subprocess.Popen([sys.executable, "-c", script, str(h.writer_db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        yield
    finally:
        holder.kill()
        holder.wait()


HOLDERS = {"pactwatch": lambda home: Home.resolve(home).writer_lock(), "duckdb": warehouse_opened_elsewhere}


@pytest.mark.parametrize("holder", HOLDERS)
def test_a_second_writer_exits_with_the_documented_code(home, http_server, feeds_file, holder, capsys):
    """Also when the holder is another process's DuckDB connection to the writer file: that exited 1, and with
    DuckDB's advice to open the writer file read-only, which locks writers out as well."""
    from pipeline.cli import main

    listing = feeds_file({"f": http_server.url("/f.xml")})
    with HOLDERS[holder](home):
        with pytest.raises(SystemExit) as exited:
            sys.argv = ["pactwatch", "--home", str(home), "ingest", "--feeds", listing]
            main()
    assert exited.value.code == EXIT_LOCKED
    message = capsys.readouterr().err
    assert "read-only mode" not in message
    assert holder == "pactwatch" or "readers open the published pactwatch.duckdb" in message


def test_every_loops_until_sigterm_then_exits_with_it(home, http_server, feeds_file):
    import signal

    http_server.routes["/f.xml"] = Response(200, rss([TREATY]))
    listing = feeds_file({"f": http_server.url("/f.xml")})
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "ingest", "--every", "0.5s",
                                "--interval", "0s", "--feeds", listing], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(http_server.requests) < 2:
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert stderr.rstrip().endswith("event=stopped signal=SIGTERM"), stderr
    assert stderr.count("event=run ") >= 2
    assert query(home, "SELECT count(*) FROM articles") == [(1,)]


def test_every_takes_an_edited_seed_file_at_its_next_period_and_keeps_the_last_that_loads(home, http_server,
                                                                                            feeds_file, tmp_path):
    """A poller kept the seeds it started with: after an analyst's edit and `retag`, every later period stamped its
    articles with the old version, undoing the retag (review R1 of stop 53). Seeds that stop loading keep it on the
    last that did, and say so each period."""
    import shutil
    import signal
    import threading

    seeds = tmp_path / "seeds"
    shutil.copytree(load_tagger.__globals__["DEFAULT_SEEDS_DIR"], seeds)
    http_server.routes["/f.xml"] = Response(200, rss([TREATY]))
    listing = feeds_file({"f": http_server.url("/f.xml")})
    with_these_seeds = (f"import pathlib, pipeline.seeds; pipeline.seeds.DEFAULT_SEEDS_DIR = pathlib.Path({str(seeds)!r}); "
                        "from pipeline.cli import main; main()")
    process = subprocess.Popen([sys.executable, "-c", with_these_seeds, "--home", str(home), "ingest", "--every", "0.3s",
                                "--interval", "0s", "--feeds", listing], stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()

    def version_of(title: str) -> str | None:  # the tagger version of an article's countries, once published
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                found = query(home, "SELECT DISTINCT c.tagger_version FROM articles a JOIN article_countries c "
                                    "USING (article_id) WHERE a.title = ?", [title])
            except NoSnapshot:
                found = []
            if found:
                return found[0][0]
            time.sleep(0.1)
        return None

    def said_by_the_next_period(words: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None and not _said(words, lines):
            time.sleep(0.1)

    try:
        first = version_of(TREATY.title)
        rules = seeds / "gazetteer" / "rules.toml"
        # a value: a comment no longer changes the seeds' version (their hash reads what they say)
        venues = rules.read_text(encoding="utf-8").replace('always = ["Davos"]', 'always = ["Davos", "Geneva"]')
        rules.write_text(venues, encoding="utf-8")
        said_by_the_next_period("event=seeds_changed")  # a period that read the seeds before the edit is over
        http_server.routes["/f.xml"] = Response(200, rss([TREATY, TARIFFS]))
        edited, expected = version_of(TARIFFS.title), f"{CODE_VERSION}+{seed_hash(seeds)}"
        rules.write_text(rules.read_text(encoding="utf-8") + "[unclosed\n", encoding="utf-8")
        said_by_the_next_period("event=seeds_unreadable")
        later = Item("Japan and India hold talks", "Tokyo and New Delhi held talks.", link="https://news.example.org/jp")
        http_server.routes["/f.xml"] = Response(200, rss([TREATY, TARIFFS, later]))
        kept = version_of(later.title)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        reader.join(timeout=60)
    stderr = "".join(lines)
    assert process.returncode == 143, stderr
    assert first == load_tagger().version and edited == kept == expected != first, stderr
    assert _said(f"event=seeds_changed tagger_version={edited} was={first}", lines)
    assert _said(f"event=seeds_unreadable detail=\"{rules}", lines) and _said(f"kept={edited}", lines)


def published_articles(home) -> int:
    try:
        return query(home, "SELECT count(*) FROM articles")[0][0]
    except NoSnapshot:
        return 0


@pytest.mark.parametrize("holder", HOLDERS)
def test_every_waits_out_a_held_lock_instead_of_exiting(home, http_server, feeds_file, holder):
    """A retag, an import or `compact` holding the home, or another process the writer file (that one stopped the
    poller with exit 1)."""
    import threading

    http_server.routes["/f.xml"] = Response(200, rss([TREATY]))
    listing = feeds_file({"f": http_server.url("/f.xml")})
    lock = HOLDERS[holder](home)
    lock.__enter__()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "ingest", "--every", "0.3s",
                                "--interval", "0s", "--feeds", listing], stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()
    try:
        # until it has met the lock (a fixed sleep lost the race to the interpreter's start on a loaded box)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None and not _said("reason=locked", lines):
            time.sleep(0.1)
        assert process.poll() is None, "the poller exited while the home was locked"
        assert _said("event=skipped reason=locked", lines)
        assert not http_server.requests
    finally:
        lock.__exit__(None, None, None)
    deadline = time.monotonic() + 60  # until the first run is published: a SIGTERM mid-run would discard it
    while time.monotonic() < deadline and not published_articles(home):
        time.sleep(0.1)
    assert_stopped_by_sigterm_after_a_run(process, reader, lines)
    assert query(home, "SELECT count(*) FROM articles") == [(1,)]


def _said(words: str, lines: list[str]) -> bool:
    return any(words in line for line in lines)


def assert_stopped_by_sigterm_after_a_run(process: subprocess.Popen, reader, lines: list[str]) -> None:
    """SIGTERM stops a poller between runs with exit 143 (128 + SIGTERM), after it logged a completed run."""
    import signal

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    reader.join(timeout=60)
    stderr = "".join(lines)
    assert process.returncode == 143, stderr
    assert "event=run " in stderr


def test_every_logs_a_run_a_full_disk_failed_and_publishes_it_once_space_is_back(home, http_server, feeds_file):
    """A full disk ended the poller for good (exit 1 at its first run that could not publish). Simulated as
    tests/warehouse/test_disk_full.py does, by a file size limit, here a soft one the test lifts (prlimit) while the
    loop runs, as an operator frees space."""
    import resource
    import signal
    import threading

    http_server.routes["/f.xml"] = Response(200, rss([TREATY]))
    listing = feeds_file({"f": http_server.url("/f.xml")})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    full_at = (home / "warehouse.duckdb").stat().st_size

    def full_disk() -> None:  # the writer file cannot grow (EFBIG, no SIGXFSZ kill); the hard limit lets it be lifted
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (full_at, resource.RLIM_INFINITY))

    http_server.routes["/f.xml"] = Response(200, rss([TREATY, TARIFFS]))
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "ingest", "--every", "0.3s",
                                "--interval", "0s"], stderr=subprocess.PIPE, text=True, preexec_fn=full_disk)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60  # until a second period has failed too: the loop went on after the first
        while time.monotonic() < deadline and process.poll() is None and not _said("in_a_row=2", lines):
            time.sleep(0.1)
        assert process.poll() is None, "the poller exited on a full disk: " + "".join(lines)
        assert _said("event=failed reason=storage", lines) and not _said("Traceback", lines)
        assert published_articles(home) == 1
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and published_articles(home) < 2:
            time.sleep(0.1)
    finally:
        assert_stopped_by_sigterm_after_a_run(process, reader, lines)
    assert query(home, "SELECT count(*), count(DISTINCT url) FROM articles") == [(2, 2)]


def ingest_every_15m(home, *args):
    """A plain run with the default schedule, where run_ingest's 0s interval leaves no backoff to wait out."""
    return CliRunner().invoke(cli, ["--home", str(home), "ingest", "--interval", "15m", *args], catch_exceptions=False)


def test_ingest_now_polls_a_feed_its_failures_put_off(home, http_server, feeds_file):
    """After an outage (here the feed's: 500s) the feed backs off, and a run soon after polls nothing; --now polls it."""
    http_server.routes["/f.xml"] = Response(500, b"down")
    listing = feeds_file({"f": http_server.url("/f.xml")})
    for _ in range(2):
        run_ingest(home, "--feeds", listing)  # two failures in a row: backoff from 0s is none, so each run asks
    assert ingest_every_15m(home).exit_code == 0  # the third failure puts it off ~2 h (15 min × 2³)
    http_server.routes["/f.xml"] = Response(200, rss([TREATY]))
    assert "event=idle" in ingest_every_15m(home).output
    assert len(http_server.requests) == 3
    result = ingest_every_15m(home, "--now")
    assert result.exit_code == 0 and "event=run " in result.output, result.output
    assert len(http_server.requests) == 4
    assert query(home, "SELECT count(*) FROM articles") == [(1,)]
    assert query(home, "SELECT consecutive_failures FROM feeds") == [(0,)]


def test_ingest_now_still_waits_for_the_pause_a_host_asked_for(home, http_server, feeds_file):
    http_server.routes["/f.xml"] = Response(429, headers={"Retry-After": "3600"})
    listing = feeds_file({"f": http_server.url("/f.xml")})
    assert run_ingest(home, "--feeds", listing).exit_code == 0
    http_server.routes["/f.xml"] = Response(200, rss([TREATY]))
    result = ingest_every_15m(home, "--now")
    assert result.exit_code == 0, result.output
    assert len(http_server.requests) == 1, "asked again within the hour the host asked for"
    assert query(home, "SELECT outcome FROM fetches ORDER BY run_id") == [("rate_limited",), ("rate_limited",)]


def test_a_feed_ingest_now_left_to_its_fetch_budget_is_polled_by_the_next_run(home, http_server, feeds_file):
    """--now polls every feed "whatever its schedule", but a feed its fetch budget deferred kept the backoff --now was
    run to override: the runs after it (an --every loop's, a cron's) left it unasked for up to 24 h. Now it is due at
    the next run, as a feed deferred in a plain run is."""
    http_server.routes.update({f"/{name}.xml": Response(500, b"down") for name in "abc"})
    listing = feeds_file({name: http_server.url(f"/{name}.xml") for name in "abc"})
    assert ingest_every_15m(home, "--feeds", listing).exit_code == 0  # each put off ~30 min

    def slow(handler):  # past the budget by far, as in the budget's own test
        time.sleep(3)
        return Response(200, rss([TREATY]))
    http_server.routes.update({f"/{name}.xml": slow for name in "abc"})
    result = ingest_every_15m(home, "--now", "--fetch-budget", "2s")
    assert result.exit_code == 0 and "deferred=1" in result.output, result.output  # two connections, three feeds
    [(deferred,)] = query(home, "SELECT feed_id FROM feeds WHERE last_status = 'deferred'")
    result = ingest_every_15m(home)
    assert result.exit_code == 0 and "event=run " in result.output, result.output
    assert query(home, "SELECT feed_id, outcome FROM fetches WHERE run_id = 3") == [(deferred, "ok")]


def test_every_with_now_polls_every_feed_in_its_first_run_only(home, http_server, feeds_file):
    """The later runs keep the schedule: --now in a service's command line must not poll every feed every period."""
    import signal
    import threading

    http_server.routes["/f.xml"] = Response(500, b"down")
    listing = feeds_file({"f": http_server.url("/f.xml")})
    assert ingest_every_15m(home, "--feeds", listing).exit_code == 0  # put off ~30 min
    http_server.routes["/f.xml"] = Response(200, rss([TREATY]))
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "ingest", "--every", "0.3s",
                                "--now"], stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60  # until two periods after the first run
    while time.monotonic() < deadline and process.poll() is None and sum("event=" in line for line in lines) < 4:
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    reader.join(timeout=60)
    events = [line.split()[0] for line in without_ts("".join(lines)) if line.startswith("event=")]
    assert process.returncode == 143 and events[:4] == ["event=fetch", "event=run", "event=idle", "event=idle"], lines
    assert len(http_server.requests) == 2


def test_every_with_now_drops_now_once_a_run_is_stored_though_its_publish_failed(home, http_server, feeds_file):
    """A run whose publish failed (a full disk) after its commit kept --now on, so every later period that failed so
    polled every feed again, whatever the schedule the run had stored: here the feed, asked at each period. Only the
    snapshot is behind; the first period with space back publishes it. (The full disk as in the test above.)"""
    import resource
    import signal
    import threading

    http_server.routes["/f.xml"] = Response(500, b"down")
    listing = feeds_file({"f": http_server.url("/f.xml")})
    assert ingest_every_15m(home, "--feeds", listing).exit_code == 0  # put off ~30 min
    full_at = (home / "warehouse.duckdb").stat().st_size

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (full_at, resource.RLIM_INFINITY))

    http_server.routes["/f.xml"] = Response(200, rss([TREATY]))
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "ingest", "--every", "0.3s",
                                "--now"], stderr=subprocess.PIPE, text=True, preexec_fn=full_disk)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60  # until three periods have failed: the run's, then two after it
        while time.monotonic() < deadline and process.poll() is None and not _said("in_a_row=3", lines):
            time.sleep(0.1)
        assert _said("in_a_row=3", lines) and published_articles(home) == 0, "".join(lines)
        assert len(http_server.requests) == 2, "the feed was polled again by a period after the stored run"
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and published_articles(home) < 1:
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        reader.join(timeout=60)
    assert process.returncode == 143 and _said('event=idle reason="no feed due"', lines), lines  # published, not polled
    assert len(http_server.requests) == 2 and published_articles(home) == 1


def test_stable_guids_of_items_sharing_a_link_do_not_look_unstable(home, http_server, feeds_file):
    """Items with their own stable GUIDs that link to one of a few section pages (a press office's feed): a link
    with several stored keys is not a changed GUID. Taken for one, the feed switched to link keys for good and
    every later item linking a section page already stored was dropped as a duplicate."""
    def items(count: int):
        return [Item(f"Seoul and Tokyo statement {n}", f"South Korea and Japan statement number {n} word{n}.",
                     link=f"https://gov.example.org/press/{'seoul' if n % 2 else 'tokyo'}", guid=f"press-{n}",
                     published=SUMMIT + timedelta(hours=n)) for n in range(count)]
    counts = iter([4, 6, 8, 10])
    http_server.routes["/f.xml"] = lambda request: Response(200, rss(items(next(counts))))
    listing = feeds_file({"f": http_server.url("/f.xml")})
    for _ in range(4):
        assert run_ingest(home, "--feeds", listing).exit_code == 0
    assert query(home, "SELECT count(*) FROM articles") == [(10,)]
    assert query(home, "SELECT key_mode FROM feeds") == [("guid",)]


def test_a_feed_answering_without_entries_logs_entries_0(home, http_server, feeds_file):
    """The cron log told an empty channel from a working feed by nothing: both read `outcome=ok`."""
    http_server.routes["/empty.xml"] = Response(200, rss([]))
    http_server.routes["/world.xml"] = Response(200, rss([TREATY, TARIFFS]))
    listing = feeds_file({"empty": http_server.url("/empty.xml"), "world": http_server.url("/world.xml")})
    result = run_ingest(home, "--feeds", listing)
    logged = {line.split()[1]: line for line in without_ts(result.stderr) if line.startswith("event=fetch")}
    assert " entries=0" in logged["feed=empty"] and " entries=2" in logged["feed=world"], logged
    result = run_ingest(home)  # the same bodies: "unchanged", nothing parsed, so no count to give
    assert not [line for line in without_ts(result.stderr) if line.startswith("event=fetch") and "entries=" in line]

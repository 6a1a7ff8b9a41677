"""`pactwatch ingest` over the real captured corpora in ../shared/data/feeds, served over loopback HTTP."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import cli

from tests.feeds.test_corpus import PEAK_RSS_BYTES, PeakRss, corpus_files
from tests.httpserver import Response
from tests.rss import feed_list_toml

pytestmark = pytest.mark.corpus


def ingest(home: Path, *args: str) -> tuple[subprocess.CompletedProcess, int]:
    """The run and its peak RSS (the ingest process and its parser/tagger pool, not this test's worker)."""
    command = [sys.executable, "-m", "pipeline", "--home", str(home), "ingest", "--interval", "0s", *args]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process, \
            PeakRss(process.pid) as memory:
        stdout, stderr = process.communicate(timeout=600)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr), memory.peak


def published(home: Path, sql: str, params: list | None = None):
    with duckdb.connect(str(home / "pactwatch.duckdb"), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def serve(http_server, files: list[Path], root: Path) -> dict[str, str]:
    feeds = {}
    for number, path in enumerate(files):
        route = "/" + re.sub(r"[^A-Za-z0-9._/-]", "_", str(path.relative_to(root)))
        http_server.routes[route] = Response(200, path.read_bytes(), {"Content-Type": "application/xml"})
        feeds[f"edge-{number:04d}"] = http_server.url(route)
    return feeds


@pytest.mark.slow
def test_every_hostile_feed_in_one_run(shared_data, http_server, home, tmp_path):
    root = shared_data / "feeds" / "edge-cases"
    feeds = serve(http_server, corpus_files(root), root)
    listing = tmp_path / "feeds.toml"
    listing.write_text(feed_list_toml(feeds))
    result, peak = ingest(home, "--feeds", str(listing))
    assert result.returncode == 0, result.stderr[-2000:]
    assert 0 < peak < PEAK_RSS_BYTES, f"peak RSS {peak / 2**20:.0f} MiB"  # it once measured the pytest worker too
    recorded = dict(published(home, "SELECT feed_id, last_status FROM feeds"))
    assert len(recorded) == len(feeds) and None not in recorded.values(), "every feed has a recorded status"
    assert published(home, "SELECT count(*) FROM fetches") == [(len(feeds),)]
    outcomes = dict(published(home, "SELECT outcome, count(*) FROM fetches GROUP BY 1"))
    assert outcomes.get("ok", 0) > len(feeds) // 2 and outcomes.get("rejected", 0) > 0
    bombs = published(home, "SELECT f.outcome, f.ms, f.error FROM fetches f JOIN feeds USING (feed_id) "
                            "WHERE feeds.url LIKE '%defusedxml-xmlbombs%'")
    assert bombs and all(outcome == "rejected" for outcome, _, _ in bombs)
    assert published(home, "SELECT count(*) = count(DISTINCT article_id) FROM articles") == [(True,)]
    assert_one_row_per_documented_key(home)


# The key each article table's comment names (migrations 0050, 0051): a notebook joins on it, and no constraint enforces it
ROW_KEYS = {"articles": "article_id", "article_feeds": "article_id, feed_id",
            "mentions": "article_id, field, start_offset", "article_countries": "article_id, iso3",
            "article_topics": "article_id, topic", "article_pairs": "article_id, iso_a, iso_b",
            "pair_sentences": "article_id, iso_a, iso_b, field, sentence_index", "article_languages": "article_id",
            "topic_hits": "article_id, topic, field, start_offset, end_offset",
            "article_revisions": "article_id, content_hash"}


def assert_one_row_per_documented_key(home: Path) -> None:
    for table, key in ROW_KEYS.items():
        [(comment,)] = published(home, "SELECT comment FROM duckdb_tables() WHERE table_name = ?", [table])
        assert f"One row per ({key})" in comment, table
        [(rows, keys)] = published(home, f"SELECT count(*), count(DISTINCT ({key})) FROM {table}")
        assert rows == keys, f"{table}: {rows - keys} rows share a key ({key})"
    assert published(home, "SELECT count(*) FROM pair_sentences WHERE iso_a >= iso_b") == [(0,)]


@pytest.mark.slow
def test_wsj_weekly_snapshots_one_per_run_store_each_guid_once(shared_data, http_server, home, tmp_path):
    snapshots = sorted((shared_data / "feeds" / "real" / "orx365-rss-arch" / "wsj_world_weekly").glob("*.xml"))
    if not snapshots:
        pytest.skip("wsj_world_weekly snapshots not found")
    listing = tmp_path / "feeds.toml"
    listing.write_text(feed_list_toml({"wsj-world": http_server.url("/wsj.xml")}, outlet="WSJ"))
    guids: set[str] = set()
    for number, snapshot in enumerate(snapshots):
        body = snapshot.read_bytes()
        guids |= set(re.findall(rb"<guid[^>]*>\s*([^<\s]+)\s*</guid>", body))
        http_server.routes["/wsj.xml"] = Response(200, body)
        listed = [] if number else ["--feeds", str(listing)]  # registered by the first run, polled by the rest (cron)
        result = CliRunner().invoke(cli, ["--home", str(home), "ingest", "--interval", "0s", *listed])
        assert result.exit_code == 0, result.output
    stored = published(home, "SELECT count(*), count(DISTINCT url), count(DISTINCT article_key) FROM articles")
    assert stored == [(len(guids), len(guids), len(guids))]

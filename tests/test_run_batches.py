"""A run's tags larger than a transaction holds are stored chunk by chunk, yet the run commits whole or not at all."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pipeline.feeds.feedlist import load_feed_list
from pipeline.home import Home
from pipeline.ingest import poll_feeds, register_feed_specs
from pipeline.seeds import load_tagger
from pipeline.store.reader import open_snapshot
from pipeline.store.warehouse import DERIVED_TABLES, STAGING_SUFFIX, Warehouse
from pipeline.tag_pool import WORKER_BATCH, derive
from pipeline.tag_rows import DERIVED_COLUMNS
from tests.httpserver import Response
from tests.rss import Item, feed_list_toml, rss

NOW = datetime(2024, 6, 20, 12, 0, tzinfo=timezone.utc)
ITEMS = 2 * WORKER_BATCH + 7  # three batches, the last a short one
SENTENCES = ("Russia and North Korea signed a defence pact in Pyongyang.", "Seoul and Tokyo condemned the deal.",
             "Beijing and Washington resumed tariff talks.", "Iran sold drones to Moscow, Kyiv said.")


class CountingTagger:
    """The bundled tagger, counting the articles it tags and, when asked, failing on one of them."""

    def __init__(self, fail_on: int | None = None):
        self.inner, self.fail_on, self.tagged = load_tagger(), fail_on, 0
        self.version = self.inner.version
        self.staged_when_tagging: list[int] = []  # article rows in the staging tables as each article is tagged
        self.warehouse: Warehouse | None = None

    def tag(self, *args, **kwargs):
        if self.fail_on is not None and self.tagged == self.fail_on:
            raise RuntimeError("tagger broke mid-run")
        if self.warehouse is not None:
            self.staged_when_tagging.append(_staged_articles(self.warehouse))
        self.tagged += 1
        return self.inner.tag(*args, **kwargs)


def _staged_articles(warehouse: Warehouse) -> int | None:
    """The articles in the staging tables, None when there are none (a run of one batch stages nothing)."""
    cursor = warehouse.con.cursor()
    if not cursor.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                          [f"article_countries{STAGING_SUFFIX}"]).fetchone()[0]:
        return None
    return cursor.execute(f"SELECT count(DISTINCT article_id) FROM article_countries{STAGING_SUFFIX}").fetchone()[0]


def _items(count: int) -> list[Item]:
    return [Item(f"Story {n}", " ".join(SENTENCES[n % len(SENTENCES):] + SENTENCES[:n % len(SENTENCES)]),
                 link=f"https://news.example.org/{n}", published=NOW - timedelta(hours=n % 48)) for n in range(count)]


@pytest.fixture()
def dense_feed(home, http_server, tmp_path) -> Home:
    http_server.routes["/dense.xml"] = Response(200, rss(_items(ITEMS)))
    listing = tmp_path / "feeds.toml"
    listing.write_text(feed_list_toml({"dense": http_server.url("/dense.xml")}))
    h = Home.resolve(home).ensure()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(Path(listing)))
    return h


def _table_rows(con, table: str) -> list[tuple]:
    listed = ", ".join(DERIVED_COLUMNS[table])
    return sorted(con.execute(f"SELECT {listed} FROM {table}").fetchall(), key=repr)


def _small_transactions(warehouse: Warehouse) -> Warehouse:
    """`warehouse` taking the tags of one WORKER_BATCH of the dense feed as more than a transaction holds."""
    warehouse.tag_bytes_a_transaction = 1
    return warehouse


def test_a_run_stages_each_chunk_before_it_tags_the_next(dense_feed):
    """Before, a run tagged every new article, then wrote every tag in one transaction: one feed dense with country
    names (15 MB, 5,000 items) took 1.4 GB. Now, once a second chunk shows the run's tags are more than a transaction
    holds, each chunk (here each batch of WORKER_BATCH articles) is stored before the next is tagged."""
    tagger = CountingTagger()
    with _small_transactions(Warehouse(dense_feed.writer_db)) as warehouse:
        tagger.warehouse = warehouse
        summary = poll_feeds(dense_feed, warehouse, tagger, now=NOW)
    assert summary.new_articles == ITEMS
    staged = tagger.staged_when_tagging
    assert staged[0] is None and staged[2 * WORKER_BATCH] == 2 * WORKER_BATCH and staged[-1] == 2 * WORKER_BATCH


def test_a_run_of_several_batches_whose_tags_fit_a_transaction_stages_nothing(dense_feed):
    """Staging every WORKER_BATCH articles cost the 1M import a commit and a staging table made and dropped ten
    times per 5,000-record batch, half its wall time: tags that fit one transaction go in with the run."""
    tagger = CountingTagger()
    with Warehouse(dense_feed.writer_db) as warehouse:
        tagger.warehouse = warehouse
        assert poll_feeds(dense_feed, warehouse, tagger, now=NOW).new_articles == ITEMS
        assert warehouse.scalar("SELECT count(DISTINCT article_id) FROM article_countries") == ITEMS
    assert tagger.tagged == ITEMS and set(tagger.staged_when_tagging) == {None}


def test_a_run_of_one_batch_stages_nothing(home, http_server, tmp_path):
    """Staging leaves its blocks free in the writer file, which every snapshot copies: a review measured a dense run
    leaving a third of the file free. Most runs are one batch, which goes in with the run."""
    http_server.routes["/few.xml"] = Response(200, rss(_items(WORKER_BATCH)))
    listing = tmp_path / "few.toml"
    listing.write_text(feed_list_toml({"few": http_server.url("/few.xml")}))
    h, tagger = Home.resolve(home).ensure(), CountingTagger()
    with Warehouse(h.writer_db) as warehouse:
        register_feed_specs(warehouse, load_feed_list(listing))
        tagger.warehouse = warehouse
        assert poll_feeds(h, warehouse, tagger, now=NOW).new_articles == WORKER_BATCH
        assert warehouse.scalar("SELECT count(DISTINCT article_id) FROM article_countries") == WORKER_BATCH
    assert set(tagger.staged_when_tagging) == {None}


@pytest.mark.parametrize("staged", [True, False], ids=["staged", "one transaction"])
def test_a_run_in_batches_stores_the_tags_of_tagging_each_article_once(dense_feed, staged):
    with Warehouse(dense_feed.writer_db) as warehouse:
        if staged:
            _small_transactions(warehouse)
        poll_feeds(dense_feed, warehouse, load_tagger(), now=NOW)
        tables = list(DERIVED_TABLES)
        staging_left = warehouse.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE ?",
                                        [f"%{STAGING_SUFFIX}"])
    assert staging_left == 0
    with open_snapshot(dense_feed) as con:
        articles = con.execute("SELECT article_id, day, title, text, language FROM articles").fetchall()
        stored = {table: _table_rows(con, table) for table in tables}
        seconds, new = con.execute("SELECT seconds, new_articles FROM runs").fetchone()
    assert len(articles) == new == ITEMS and seconds > 0
    expected = derive(articles, load_tagger()).tables
    for table in tables:
        rows = sorted(zip(*(expected[table][column] for column in DERIVED_COLUMNS[table])), key=repr)
        assert [tuple(_jsonable(v) for v in row) for row in stored[table]] == [
            tuple(_jsonable(v) for v in row) for row in rows], table
    assert stored["pair_sentences"], "the sentences name pairs: the comparison must not be of empty tables"


def _jsonable(value):
    return list(value) if isinstance(value, (list, tuple)) else value


def test_a_tagger_failing_in_a_later_batch_stores_nothing_of_the_run(dense_feed):
    """The first batches were committed to staging tables already: none of their rows may reach the real tables,
    and the next run stores the whole feed."""
    with _small_transactions(Warehouse(dense_feed.writer_db)) as warehouse:
        with pytest.raises(RuntimeError, match="tagger broke mid-run"):
            poll_feeds(dense_feed, warehouse, CountingTagger(fail_on=WORKER_BATCH + 3), now=NOW)
        counts = {table: warehouse.scalar(f"SELECT count(*) FROM {table}") for table in (*DERIVED_TABLES, "articles",
                                                                                          "runs", "fetches")}
        assert set(counts.values()) == {0}, counts
        assert warehouse.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE ?",
                                [f"%{STAGING_SUFFIX}"]) == 0
        summary = poll_feeds(dense_feed, warehouse, load_tagger(), now=NOW)
    assert summary.new_articles == ITEMS

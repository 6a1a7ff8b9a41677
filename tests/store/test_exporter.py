"""`export` written a month at a time (store/exporter.py) against the same rows queried whole, on real warehouses."""
from __future__ import annotations

import csv
import io
import os
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pytest

from pipeline.home import Home
from pipeline.ingest import build_demo
from pipeline.seeds import load_tagger
from pipeline.store.exporter import ExportFilters, _csv_batch, export_table, in_months
from pipeline.store.queries import read_language
from pipeline.store.reader import open_snapshot
from pipeline.store.snapshot import publish
from pipeline.store.warehouse import Warehouse

from ..dashboard.factory import CURRENT, STORIES, Story, build_home, write_revisions
from .conftest import article_row, run_row

DEMO_END = date(2025, 6, 30)
# stored on these days without a usable date: filed under the day first stored, which ends a month and starts the next
UNDATED_DAYS = (date(2024, 10, 31), date(2024, 11, 1), DEMO_END)
# The rows as a plain query of each relation gives them all at once, in the export's order: day, article_id, then
# the rest of the row key (each table's comment names it). The pair tables end with their article's language and
# the columns a sentence is cited by.
WHOLE = {
    "articles": ("SELECT * FROM v_articles r", "r.day, r.article_id"),
    "pair_sentences": ("SELECT r.*, {language} AS language, a.published_at, a.outlet, a.url, a.published_as_written, "
                       "CAST(0 AS BIGINT) AS revisions, CAST(NULL AS TIMESTAMPTZ) AS last_revision_seen_at "
                       "FROM pair_sentences r JOIN articles a ON a.article_id = r.article_id AND a.day = r.day {join}",
                       "r.day, r.article_id, r.iso_a, r.iso_b, r.field, r.sentence_index"),
}


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory) -> Home:
    """The demo, two years of articles over 24 months, and articles without a date filed under their stored day."""
    home = Home.resolve(tmp_path_factory.mktemp("export") / "home").ensure()
    with Warehouse(home.writer_db) as warehouse:
        build_demo(home, warehouse, load_tagger(), articles=600, seed=7, end_date=DEMO_END)
        run_id = warehouse.next_run_id()
        warehouse.write_run(run_row(run_id, len(UNDATED_DAYS)), articles=[
            _article(f"undated{n}", run_id, day, date_quality="missing", published_at=None)
            for n, day in enumerate(UNDATED_DAYS)])
        publish(warehouse.con, home)
    return home


def _article(article_id: str, run_id: int, day: date, **columns) -> dict:
    seen = datetime.combine(day, time(12), UTC)
    return {**article_row(article_id, run_id), "day": day, "published_at": seen, "first_seen_at": seen, **columns}


def _whole(con: duckdb.DuckDBPyConnection, table: str, where: str = "", params: list | None = None) -> pa.Table:
    join, language = read_language(con)
    select, order = WHOLE[table]
    return con.execute(f"{select.format(join=join, language=language)} {where} ORDER BY {order}", params).to_arrow_table()


@pytest.mark.parametrize("table", list(WHOLE))
def test_an_export_written_a_month_at_a_time_holds_the_rows_of_the_whole_query_in_its_order(demo_home, tmp_path,
                                                                                            table):
    with open_snapshot(demo_home) as con:
        expected = _whole(con, table)
        assert len(set(expected.column("day").to_pylist())) > 300  # many months, and days
        output = tmp_path / f"{table}.parquet"
        assert export_table(con, table, output, "parquet") == expected.num_rows
        written = con.execute("SELECT * FROM read_parquet(?)", [str(output)]).to_arrow_table()
        assert written.schema.names == expected.schema.names and written.to_pylist() == expected.to_pylist()
        csv = io.BytesIO()
        assert export_table(con, table, csv, "csv") == expected.num_rows
    as_csv = io.BytesIO()
    pa_csv.write_csv(pa.Table.from_batches([_csv_batch(batch) for batch in expected.to_batches()]), as_csv)
    assert csv.getvalue() == as_csv.getvalue()


def test_a_day_range_is_written_a_month_at_a_time_from_its_first_day_to_its_last(demo_home, tmp_path):
    """--since and --until in the middle of months: the first and last months are cut there."""
    first, last = date(2024, 3, 17), date(2024, 11, 1)
    with open_snapshot(demo_home) as con:
        expected = _whole(con, "pair_sentences", "WHERE r.day BETWEEN ? AND ?", [first, last])
        output = tmp_path / "range.parquet"
        filters = ExportFilters(start=first, end=last)
        assert export_table(con, "pair_sentences", output, "parquet", filters) == expected.num_rows > 0
        assert con.execute("SELECT * FROM read_parquet(?)", [str(output)]).to_arrow_table().to_pylist() == expected.to_pylist()


def test_an_export_queries_only_the_months_that_hold_rows(tmp_path):
    """One article dated 1900 beside this year's: three months to query, not the 1,524 between (six times as slow)."""
    home = Home.resolve(tmp_path / "home").ensure()
    days = (date(1900, 1, 1), date(2026, 11, 15), date(2026, 12, 2), date(2026, 12, 3))
    with Warehouse(home.writer_db) as warehouse:
        run_id = warehouse.next_run_id()
        warehouse.write_run(run_row(run_id, len(days)), articles=[_article(f"a{n}", run_id, day)
                                                                  for n, day in enumerate(days)])
        publish(warehouse.con, home)
    with open_snapshot(home) as con:
        months = [(month.start, month.end) for month in in_months(con, "articles", ExportFilters())]
        assert months == [(date(1900, 1, 1), date(1900, 1, 31)), (date(2026, 11, 1), date(2026, 11, 30)),
                          (date(2026, 12, 1), date(2026, 12, 3))]
        assert export_table(con, "articles", tmp_path / "articles.parquet", "parquet") == len(days)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_an_export_of_no_rows_still_has_the_columns(demo_home, tmp_path, fmt):
    output = tmp_path / f"none.{fmt}"
    with open_snapshot(demo_home) as con:
        assert export_table(con, "pair_sentences", output, fmt, ExportFilters(start=date(2099, 1, 1))) == 0
        columns = _whole(con, "pair_sentences").schema.names
        written = con.execute(f"SELECT * FROM read_{fmt}(?)", [str(output)])
        assert [column[0] for column in written.description] == columns and written.fetchall() == []


def test_an_exports_file_is_on_disk_before_its_name_then_its_name_too(demo_home, tmp_path, monkeypatch):
    """The temp file was renamed over the target unsynced: after a power cut the name could hold an empty file."""
    done = []
    sync, rename = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (done.append(("sync", os.readlink(f"/proc/self/fd/{fd}"))), sync(fd)))
    monkeypatch.setattr(os, "replace", lambda old, new: (done.append(("rename", str(old), str(new))), rename(old, new)))
    output = tmp_path / "articles.csv"
    with open_snapshot(demo_home) as con:
        export_table(con, "articles", output, "csv", ExportFilters(start=DEMO_END))
    (_, written), renamed, folder = done
    assert renamed == ("rename", written, str(output)) and folder == ("sync", str(tmp_path)), done


def test_an_export_larger_than_the_memory_limit_is_written_a_month_at_a_time(tmp_path):
    """The scale review: under a DuckDB memory limit, `export --table articles` failed ("failed to pin block"):
    it sorted every article before writing the first. 4,000 articles of 12,000 characters, 48 MB of text over
    12 months, under a limit of 24 MB: the query of them all, sorted, fails; the export writes every one."""
    home = Home.resolve(tmp_path / "home").ensure()
    with Warehouse(home.writer_db) as warehouse:
        run_id = warehouse.next_run_id()
        warehouse.write_run(run_row(run_id, 4000), articles=[
            _article(f"a{n}", run_id, date(2024, 1, 1) + timedelta(days=n % 365), text=os.urandom(6000).hex())
            for n in range(4000)])
        publish(warehouse.con, home)
    with open_snapshot(home) as con:
        con.execute("SET memory_limit = '24MB'")
        con.execute("SET threads = 1")  # the same memory whatever the machine
        with pytest.raises(duckdb.OutOfMemoryException):
            _whole(con, "articles")
        output = tmp_path / "articles.parquet"
        assert export_table(con, "articles", output, "parquet") == 4000
        assert con.execute("SELECT count(DISTINCT article_id) FROM read_parquet(?)", [str(output)]).fetchone() == \
            (4000,)


# --topic sanctions --topic finance, with and without --all-topics: each table kind keeps its own rows or articles
TWO_TOPICS = ("sanctions", "finance")
TOPIC_STORIES = [
    Story("both", date(2025, 3, 1), ("wire",), "Banks", "North Korea and Russia move finance around sanctions.",
          ("finance", "sanctions")),
    Story("sanctioned", date(2025, 3, 2), ("wire",), "Sanctions", "Russia and North Korea face sanctions.",
          ("sanctions",)),
    Story("financed", date(2025, 3, 3), ("daily",), "Loans", "China and Russia discuss finance.", ("finance",)),
    Story("alone", date(2025, 3, 9), ("daily",), "Rules", "Russia: sanctions, finance and military drills.",
          ("finance", "military", "sanctions")),
]
ARTICLES_WITH_BOTH = ["both", "alone"]


@pytest.fixture(scope="module")
def topics_home(tmp_path_factory) -> Home:
    return build_home(tmp_path_factory.mktemp("topics") / "home", stories=TOPIC_STORIES)


def _exported(con: duckdb.DuckDBPyConnection, table: str, filters: ExportFilters, *columns: str) -> list[tuple]:
    output = io.BytesIO()
    export_table(con, table, output, "csv", filters)
    return [tuple(row[column] for column in ("article_id", *columns))
            for row in csv.DictReader(io.StringIO(output.getvalue().decode()))]


@pytest.mark.parametrize("table, columns, with_any, with_all", [
    ("pair_sentences", ("topics",), [("both", "finance;sanctions"), ("sanctioned", "sanctions"),
                                     ("financed", "finance")], [("both", "finance;sanctions")]),
    ("article_pairs", ("topics",), [("both", "finance;sanctions"), ("sanctioned", "sanctions"),
                                    ("financed", "finance")], [("both", "finance;sanctions")]),
    # one topic a row: the chosen topics' rows, of the articles that have both (not alone's military)
    ("article_topics", ("topic",), [("both", "finance"), ("both", "sanctions"), ("sanctioned", "sanctions"),
                                    ("financed", "finance"), ("alone", "finance"), ("alone", "sanctions")],
     [("both", "finance"), ("both", "sanctions"), ("alone", "finance"), ("alone", "sanctions")]),
    ("topic_hits", ("topic",), [("both", "finance"), ("both", "sanctions"), ("sanctioned", "sanctions"),
                                ("financed", "finance"), ("alone", "finance"), ("alone", "sanctions")],
     [("both", "finance"), ("both", "sanctions"), ("alone", "finance"), ("alone", "sanctions")]),
    ("articles", (), [("both",), ("sanctioned",), ("financed",), ("alone",)], [("both",), ("alone",)]),
    ("mentions", ("iso3",), [("both", "PRK"), ("both", "RUS"), ("sanctioned", "RUS"), ("sanctioned", "PRK"),
                             ("financed", "CHN"), ("financed", "RUS"), ("alone", "RUS")],
     [("both", "PRK"), ("both", "RUS"), ("alone", "RUS")]),
])
def test_all_topics_keeps_the_rows_or_articles_with_every_topic_where_topic_keeps_those_with_any(
        topics_home, table, columns, with_any, with_all):
    """A sanctions-evasion analyst wanted the pair sentences on both sanctions and finance: --topic twice gave those
    on either, and the dashboard's "Only articles with all of these topics" had no export."""
    with open_snapshot(topics_home) as con:
        assert _exported(con, table, ExportFilters(topics=TWO_TOPICS), *columns) == with_any
        assert _exported(con, table, ExportFilters(topics=TWO_TOPICS, all_topics=True), *columns) == with_all
        one = ExportFilters(topics=("sanctions",))  # all of one topic is that topic
        assert _exported(con, table, replace(one, all_topics=True), *columns) == _exported(con, table, one, *columns)


def test_all_topics_with_a_pair_keeps_the_articles_whose_pair_carries_every_topic(topics_home):
    pair = ExportFilters(pairs=(("PRK", "RUS"),), topics=TWO_TOPICS)
    with open_snapshot(topics_home) as con:
        assert _exported(con, "articles", pair) == [("both",), ("sanctioned",)]
        assert _exported(con, "articles", replace(pair, all_topics=True)) == [("both",)]


def _revised_home(root) -> Home:
    """The dashboard's factory home, whose article c2 (North Korea and Russia evade sanctions) its feed served twice
    more, corrected."""
    home = build_home(root)
    day = next(story.day for story in STORIES if story.key == "c2")
    with Warehouse(home.writer_db) as warehouse:
        for n, seen in enumerate((CURRENT[1] - timedelta(days=2), CURRENT[1])):
            write_revisions(warehouse, home, [{"article_id": "c2", "day": day, "feed_id": "wire", "title": f"v{n}",
                                               "text": "Corrected.", "url": None, "content_hash": f"h{n}"}], seen)
    return home


CITED_COLUMNS = ["language", "published_at", "outlet", "url", "published_as_written", "revisions",
                 "last_revision_seen_at"]


@pytest.mark.parametrize("table", ["pair_sentences", "article_pairs"])
def test_an_evidence_export_says_how_its_feed_wrote_the_date_and_whether_it_later_changed_the_article(tmp_path, table):
    """Review J: `export --table pair_sentences` ended with published_at, outlet and url: a quote of a headline the
    outlet later corrected ("…Kills at Least 21", then 39) read as final, and the date as written took a join."""
    home = _revised_home(tmp_path / "home")
    with open_snapshot(home) as con:
        output = tmp_path / f"{table}.parquet"
        export_table(con, table, output, "parquet", ExportFilters(pairs=(("PRK", "RUS"),)))
        written = con.execute("SELECT * FROM read_parquet(?)", [str(output)]).to_arrow_table()
    assert written.schema.names[-len(CITED_COLUMNS):] == CITED_COLUMNS  # added after the columns read before
    rows = {row["article_id"]: row for row in written.to_pylist()}
    assert rows["c2"]["revisions"] == 2 and rows["c2"]["last_revision_seen_at"] == datetime.combine(
        CURRENT[1], time(9), UTC)
    assert {row["revisions"] for key, row in rows.items() if key != "c2"} == {0}
    assert {row["last_revision_seen_at"] for key, row in rows.items() if key != "c2"} == {None}
    assert rows["c1"]["published_as_written"] == "2025-03-08T08:00:00+00:00"
    if table == "pair_sentences":  # a headline's sentence or the body's
        assert {row["field"] for row in rows.values()} == {"text"}


def test_an_evidence_export_of_a_snapshot_before_versions_were_kept_says_their_count_is_unknown(tmp_path):
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:  # as a snapshot published before migration 0057 has it
        warehouse.con.execute("DROP TABLE article_revisions")
        publish(warehouse.con, home)
    with open_snapshot(home) as con:
        rows = _exported(con, "pair_sentences", ExportFilters(pairs=(("PRK", "RUS"),)), "revisions",
                         "last_revision_seen_at")
    assert rows and {row[1:] for row in rows} == {("", "")}

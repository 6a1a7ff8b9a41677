"""Migrations and the data dictionary, on real DuckDB files."""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.feeds.models import DATE_QUALITIES, OUTCOMES
from pipeline.store.aggregates import rebuild_daily_aggregates
from pipeline.store.baseline import read_baseline, write_baseline
from pipeline.store.catalog import data_dictionary
from pipeline.store.migrate import NewerSchema, available_migrations, migrate, schema_version
from pipeline.store.warehouse import Warehouse
from pipeline.tagging.text import is_english

HASHES = Path(__file__).with_name("migration_hashes.txt")


def at_version(tmp_path, version: int) -> tuple:
    """A warehouse file migrated up to `version` (and its open connection), as an older release left it."""
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=version)
    return path, con


def migrated(tmp_path, version: int, rows_then: list[str], sql_now: str) -> list[tuple]:
    """Run the statements `rows_then` on a file at `version`, open it as today's warehouse and read `sql_now`."""
    path, con = at_version(tmp_path, version)
    for statement in rows_then:
        con.execute(statement)
    con.close()
    with Warehouse(path) as warehouse:
        return warehouse.con.execute(sql_now).fetchall()


def test_migrates_an_empty_file_to_the_latest_version(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert schema_version(con) == 0
    assert migrate(con) == available_migrations()[-1][0]
    assert migrate(con) == available_migrations()[-1][0], "a second migrate is a no-op"


def test_the_baseline_script_is_what_the_migrations_make_now(tmp_path):
    """A new warehouse runs baseline.sql, not the migrations one by one: a migration added without writing the
    script again (or a DuckDB that prints a table or a view another way) would give new homes another schema."""
    written = tmp_path / "baseline.sql"
    assert write_baseline(written) == available_migrations()[-1][0]
    assert written.read_text(encoding="utf-8") == read_baseline()[1], "run `python -m pipeline.store.baseline`"


def catalog(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every table, view, column (type, default, nullability, comment), constraint and recorded migration. DuckDB
    prints a view's query again as it stores it, quoting names it did not quote the first time ("DOUBLE") and
    writing `true` as CAST('t' AS BOOLEAN): a view's text is compared without those two differences."""
    unprinted = ("replace(replace(replace(sql, '\"', ''), 'CAST(''t'' AS BOOLEAN)', 'true'), "
                 "'CAST(''f'' AS BOOLEAN)', 'false')")
    queries = {
        "tables": "SELECT table_name, sql, comment FROM duckdb_tables()",
        "views": f"SELECT view_name, {unprinted}, comment FROM duckdb_views() WHERE NOT internal",
        "columns": "SELECT table_name, column_name, column_index, data_type, column_default, is_nullable, comment "
                   "FROM duckdb_columns()",
        "constraints": "SELECT table_name, constraint_type, constraint_text FROM duckdb_constraints()",
        "migrations": "SELECT version, name FROM schema_migrations",
    }
    return {name: sorted(con.execute(sql).fetchall()) for name, sql in queries.items()}


def test_a_new_warehouse_made_from_the_baseline_is_the_one_the_migrations_make(tmp_path):
    """...in one transaction (one time of application for all), which a file migrated to any older version never
    takes: the tests above reach every version one migration at a time."""
    made = {}
    for use_baseline in (False, True):
        with duckdb.connect(str(tmp_path / f"{use_baseline}.duckdb")) as con:
            assert migrate(con, use_baseline=use_baseline) == available_migrations()[-1][0]
            made[use_baseline] = catalog(con)
    assert made[True] == made[False]
    with Warehouse(tmp_path / "new.duckdb") as warehouse:
        assert warehouse.con.execute("SELECT count(DISTINCT applied_at) FROM schema_migrations").fetchone()[0] == 1


def test_migrates_from_every_previous_version(tmp_path):
    """Each migration is applied to a file reopened at the version before it (a copy of one file taken a version
    further each time). Today's Warehouse opens a copy at every tenth version and at each of the last ten, migrating
    the rest in one session: opened at every version, the chain of 69 ran ~2,300 migrations (38 s of the suite), and
    all of them in one session, from empty, is the test above."""
    versions = [version for version, _, _ in available_migrations()]
    latest = versions[-1]
    older = tmp_path / "older.duckdb"
    for previous in versions[:-1]:
        with duckdb.connect(str(older)) as con:  # closing checkpoints: the copy holds all of it
            migrate(con, target=previous)
            assert schema_version(con) == previous
        if previous % 10 == 0 or previous >= latest - 10:
            path = tmp_path / f"from-{previous}.duckdb"
            shutil.copyfile(older, path)
            with Warehouse(path) as warehouse:
                assert schema_version(warehouse.con) == latest


def test_rebuilding_the_article_tables_keeps_their_rows_and_comments(tmp_path):
    path, con = at_version(tmp_path, 4)
    con.execute("INSERT INTO articles (article_id, article_key, title, text, first_seen_at, day, date_quality, "
                "content_hash, run_id) VALUES ('a1', 'k1', 'T', 'X', now(), DATE '2024-06-19', 'ok', 'h', 1)")
    con.execute("INSERT INTO article_feeds VALUES ('a1', 'f1', DATE '2024-06-19', now(), 1)")
    before = data_dictionary(con)
    migrate(con, target=5)  # the rebuild; later migrations add objects and reword comments on purpose
    assert con.execute("SELECT count(*) FROM articles JOIN article_feeds USING (article_id)").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name IN "
                       "('articles', 'article_feeds') AND constraint_type = 'PRIMARY KEY'").fetchone()[0] == 0
    after = {obj["name"]: obj for obj in data_dictionary(con)}
    assert [after[obj["name"]] for obj in before] == before
    con.close()


def test_a_migrated_warehouse_gets_its_daily_aggregates_from_existing_tags(tmp_path):
    path, con = at_version(tmp_path, 5)
    con.execute("INSERT INTO article_countries (article_id, day, iso3, mentions, salience, is_focus, tagger_version) "
                "SELECT article_id, DATE '2024-06-19', iso3, 1, 0.5, TRUE, 't' FROM (VALUES ('a1', 'RUS'), "
                "('a1', 'PRK'), ('a1', 'CHN'), ('a2', 'RUS'), ('a2', 'PRK'), ('a3', 'RUS')) t(article_id, iso3)")
    con.close()
    with Warehouse(path) as warehouse:
        rebuild_daily_aggregates(warehouse.con)  # what publish() does before every snapshot
        countries = warehouse.con.execute("SELECT iso3, articles FROM country_daily ORDER BY iso3").fetchall()
        pairs = warehouse.con.execute("SELECT iso_a, iso_b, articles FROM comention_daily ORDER BY ALL").fetchall()
    assert countries == [("CHN", 1), ("PRK", 2), ("RUS", 3)]
    assert pairs == [("CHN", "PRK", 1), ("CHN", "RUS", 1), ("PRK", "RUS", 2)]


def test_articles_a_live_poll_stamped_with_its_feed_id_get_the_feeds_outlet(tmp_path):
    path, con = at_version(tmp_path, 7)
    con.execute("INSERT INTO feeds (feed_id, url, outlet, outlet_country, language, added_at) VALUES "
                "('wire-world', 'https://w/1', 'Wire', 'GBR', 'en', now()), "
                "('zeit', 'https://z/1', 'Die Zeit', 'DEU', 'de', now()), "
                "('import-desk', 'https://i/1', 'Desk', NULL, NULL, now())")
    articles = [  # (id, outlet, country, language, title_key, feed): as a live poll, a demo and an import wrote them
        ("polled", "wire-world", None, None, "wire-world|putin visits", "wire-world"),
        ("polled-de", "zeit", None, None, None, "zeit"),
        ("demo", "Wire", "GBR", "en", "Wire|kim visits", "wire-world"),
        ("imported", "Desk", None, None, "Desk|old story", "import-desk"),
    ]
    for article_id, outlet, country, language, title_key, feed_id in articles:
        con.execute("INSERT INTO articles (article_id, article_key, title, text, first_seen_at, day, date_quality, "
                    "outlet, outlet_country, language, content_hash, title_key, run_id) "
                    "VALUES (?, ?, 'T', 'X', now(), DATE '2024-06-19', 'ok', ?, ?, ?, 'h', ?, 1)",
                    [article_id, article_id, outlet, country, language, title_key])
        con.execute("INSERT INTO article_feeds VALUES (?, ?, DATE '2024-06-19', now(), 1)", [article_id, feed_id])
    con.close()
    with Warehouse(path) as warehouse:
        rows = warehouse.con.execute("SELECT article_id, outlet, outlet_country, language, title_key FROM articles "
                                     "ORDER BY article_id").fetchall()
    assert rows == [("demo", "Wire", "GBR", "en", "Wire|kim visits"),
                    ("imported", "Desk", None, None, "Desk|old story"),
                    ("polled", "Wire", "GBR", "en", "Wire|putin visits"), ("polled-de", "Die Zeit", "DEU", "de", None)]


def test_known_feeds_keep_the_key_scope_their_articles_were_stored_under(tmp_path):
    rows = migrated(tmp_path, 9, ["INSERT INTO feeds (feed_id, url, outlet, added_at) VALUES "
                                  "('wire-world', 'https://w/1', 'Wire', now()), ('bare', 'https://b/1', NULL, now())"],
                    "SELECT feed_id, key_scope FROM feeds ORDER BY feed_id")
    assert rows == [("bare", "bare"), ("wire-world", "Wire")]


def test_a_feed_renamed_before_the_upgrade_keeps_the_scope_its_articles_carry(tmp_path):
    """0013 took the outlet's name at upgrade time: a feed renamed before it stored its items again."""
    feeds = ("INSERT INTO feeds (feed_id, url, outlet, added_at) VALUES ('op', 'https://o/1', 'New', now()), "
             "('quiet', 'https://q/1', 'Quiet', now())")
    article = ("INSERT INTO articles (article_id, article_key, title, text, first_seen_at, day, date_quality, "
               "content_hash, run_id) VALUES ('a1', 'Old:guid:OPQ-1', 'T', 'X', now(), DATE '2024-06-19', 'ok', 'h', 1)")
    link = "INSERT INTO article_feeds VALUES ('a1', 'op', DATE '2024-06-19', now(), 1)"
    rows = migrated(tmp_path, 9, [feeds, article, link], "SELECT feed_id, key_scope FROM feeds ORDER BY 1")
    assert rows == [("op", "Old"), ("quiet", "Quiet")]


def test_a_feed_whose_body_was_rejected_is_no_longer_reported_ok(tmp_path):
    feeds = ("INSERT INTO feeds (feed_id, url, added_at, last_status, last_error) VALUES "
             "('html', 'https://h/1', now(), 'ok', 'parse: not a recognisable RSS/Atom feed'), "
             "('fine', 'https://f/1', now(), 'ok', NULL), ('down', 'https://d/1', now(), 'soft_fail', 'HTTP 503')")
    rows = migrated(tmp_path, 9, [feeds], "SELECT feed_id, last_status FROM feeds ORDER BY feed_id")
    assert rows == [("down", "soft_fail"), ("fine", "ok"), ("html", "rejected")]


ONE_ARTICLE = ("INSERT INTO articles (article_id, article_key, title, text, first_seen_at, day, date_quality, "
               "content_hash, run_id) VALUES ('a1', 'k1', 'T', 'X', now(), DATE '2024-06-19', 'ok', 'h', 1)")


def test_links_to_articles_never_stored_are_dropped(tmp_path):
    links = ("INSERT INTO article_feeds VALUES ('a1', 'world', DATE '2024-06-19', now(), 1), "
             "('a1', 'politics', DATE '2024-06-19', now(), 1), ('dropped', 'politics', DATE '2024-06-20', now(), 1)")
    rows = migrated(tmp_path, 14, [ONE_ARTICLE, links], "SELECT article_id, feed_id FROM article_feeds ORDER BY ALL")
    assert rows == [("a1", "politics"), ("a1", "world")]


def test_links_take_the_day_of_the_article_they_point_at(tmp_path):
    links = ("INSERT INTO article_feeds VALUES ('a1', 'world', DATE '2024-06-19', now(), 1), "
             "('a1', 'redated', DATE '2024-08-26', now(), 2)")
    rows = migrated(tmp_path, 16, [ONE_ARTICLE, links], "SELECT feed_id, day FROM article_feeds ORDER BY ALL")
    assert [(feed, str(day)) for feed, day in rows] == [("redated", "2024-06-19"), ("world", "2024-06-19")]


def test_every_table_view_and_column_is_commented(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        dictionary = data_dictionary(warehouse.con)
    names = {obj["name"] for obj in dictionary}
    assert {"articles", "feeds", "runs", "fetches", "article_feeds", "mentions", "article_countries",
            "article_topics", "pair_sentences", "article_pairs", "country_daily", "comention_daily", "v_articles",
            "v_pair_daily", "v_country_daily", "v_topic_daily", "v_feed_health"} <= names
    uncommented = [obj["name"] for obj in dictionary if not obj["comment"]]
    uncommented += [f"{obj['name']}.{c['name']}" for obj in dictionary for c in obj["columns"] if not c["comment"]]
    assert uncommented == []


def test_no_column_of_a_table_or_view_is_a_128_bit_integer(tmp_path):
    """DuckDB types a sum of INTEGER or BIGINT HUGEINT, which a notebook's .df() reads as float64 and Arrow as
    decimal128: ten counts of the daily views were, beside BIGINT counts, until migration 0049 cast them. A view
    added with an uncast sum fails here."""
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        dictionary = data_dictionary(warehouse.con)
    assert len([column for obj in dictionary if obj["kind"] == "view" for column in obj["columns"]]) > 50
    assert [f"{obj['name']}.{column['name']} {column['type']}" for obj in dictionary for column in obj["columns"]
            if column["type"] in ("HUGEINT", "UHUGEINT")] == []


def test_every_column_counting_cues_says_how_often_a_cue_is_right(tmp_path):
    """An analyst querying the views reads their comments, not docs/accuracy.md: a view rebuilt by a later migration
    restates its comments, and must not lose this."""
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        dictionary = data_dictionary(warehouse.con)
    cue_columns = {f"{obj['name']}.{c['name']}": c["comment"] for obj in dictionary for c in obj["columns"]
                   if c["name"] in ("cue", "cooperation", "confrontation", "balance")}
    assert len(cue_columns) >= 6
    assert [name for name, comment in cue_columns.items() if not re.search(r"half the time|six times in ten", comment)] \
        == []


@pytest.mark.parametrize("column, values", [("fetches.outcome", OUTCOMES), ("feeds.last_status", OUTCOMES),
                                           ("articles.date_quality", DATE_QUALITIES),
                                           ("v_articles.date_quality", DATE_QUALITIES)])
def test_the_dictionary_names_every_value_a_column_can_hold(tmp_path, column, values):
    table, name = column.split(".")
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        comment = next(c["comment"] for obj in data_dictionary(warehouse.con) if obj["name"] == table
                       for c in obj["columns"] if c["name"] == name)
    assert [value for value in sorted(values) if not re.search(rf"\b{value}\b", comment)] == []


def test_v_articles_gives_the_language_an_article_was_read_in(tmp_path):
    """v_articles (and `pactwatch export --table articles`, which exports it) had only the declared language, whose
    comment said NULL is read as English: 269 captured articles without one were read as German or French."""
    path, con = at_version(tmp_path, 24)
    con.execute("INSERT INTO articles (article_id, article_key, title, text, first_seen_at, day, date_quality, "
                "outlet, language, content_hash, run_id) VALUES "
                "('heise', 'k1', 'Neue Sanktionen', 'Die Regierung', now(), DATE '2026-04-23', 'ok', 'heise', NULL, "
                "'h1', 1), "
                "('wsj', 'k2', 'New sanctions', 'The government', now(), DATE '2026-04-23', 'ok', 'WSJ', 'en-us', "
                "'h2', 1), "
                "('bare', 'k3', 'New sanctions', 'The government', now(), DATE '2026-04-23', 'ok', 'X', NULL, 'h3', 1)")
    con.execute("INSERT INTO article_languages VALUES ('heise', DATE '2026-04-23', 'de', '1.14')")
    con.close()
    with Warehouse(path) as warehouse:
        read = dict(warehouse.con.execute("SELECT article_id, read_language FROM v_articles").fetchall())
        dictionary = {obj["name"]: obj for obj in data_dictionary(warehouse.con)}
    assert read == {"heise": "de", "wsj": "en-us", "bare": None}
    comments = {c["name"]: c["comment"] for c in dictionary["v_articles"]["columns"]}
    assert "NULL is read as English" not in comments["language"] and "article_languages" in comments["read_language"]


@pytest.mark.parametrize("tag", ["en", "EN-us", "en_GB", " en ", "eng", "eng-US", "english", "de", "fr-CA", "de_AT",
                                 "zh-Hans-CN", "", None])
def test_the_english_articles_of_read_languages_comment_are_those_the_tagger_reads_as_english(tmp_path, tag):
    """The comment gave split_part(read_language, '-', 1) = 'en': a feed's en_US or eng, which the tagger reads as
    English, fell out of a share of English articles counted from it (migration 0068)."""
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        comment = next(c["comment"] for obj in data_dictionary(warehouse.con) if obj["name"] == "v_articles"
                       for c in obj["columns"] if c["name"] == "read_language")
        rule = re.search(r"English articles, as the tagger reads them: (.+?)\. Only", comment)[1]
        [(english,)] = warehouse.con.execute(f"SELECT {rule} FROM (SELECT CAST(? AS VARCHAR) AS read_language)",
                                             [tag]).fetchall()
    assert english == (tag is None or is_english(tag))


def test_articles_stored_before_0056_have_no_date_as_written_and_v_articles_gives_it(tmp_path):
    """The date text a feed wrote was thrown away before migration 0056: an article stored then has none (NULL, not a
    text made up from published_at), and v_articles, which `export` writes, sets it beside published_at."""
    rows = migrated(tmp_path, 55, [
        "INSERT INTO articles (article_id, article_key, title, text, published_at, first_seen_at, day, date_quality, "
        "content_hash, run_id) VALUES ('a1', 'k1', 'T', 'X', TIMESTAMPTZ '2024-06-19 08:30:00+00', now(), "
        "DATE '2024-06-19', 'ok', 'h', 1)"],
        "SELECT article_id, published_as_written FROM v_articles")
    assert rows == [("a1", None)]
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        [view] = [obj for obj in data_dictionary(warehouse.con) if obj["name"] == "v_articles"]
    columns = [column["name"] for column in view["columns"]]
    assert columns[columns.index("published_at") + 1] == "published_as_written"


def test_topics_stored_before_1_17_were_given_by_their_score(tmp_path):
    """Taggers before 1.17 raised no topic, so their rows are false; 1.17 rows written before migration 0028 are
    unknown (NULL) until retag."""
    rows = migrated(tmp_path, 27, [
        "INSERT INTO article_topics (article_id, day, topic, score, hits, tagger_version) VALUES "
        "('a1', DATE '2025-01-02', 'trade', 9.0, 3, '1.16+abc'), ('a2', DATE '2025-01-02', 'diplomacy', 0.0, 0, "
        "'1.17+abc')"], "SELECT article_id, raised FROM article_topics ORDER BY article_id")
    assert rows == [("a1", False), ("a2", None)]


def test_a_failed_migration_leaves_the_file_at_the_one_before_it(tmp_path, monkeypatch):
    path, con = at_version(tmp_path, 1)
    latest = available_migrations()[-1][0]
    broken = available_migrations() + [(999, "0999_broken.sql", "CREATE TABLE x (a INT); SELECT nonsense;")]
    monkeypatch.setattr("pipeline.store.migrate.available_migrations", lambda: broken)
    with pytest.raises(duckdb.Error, match="nonsense"):  # the failure reaches the caller (it was swallowed here)
        migrate(con)
    assert schema_version(con) == latest
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'x'").fetchone()[0] == 0
    monkeypatch.undo()
    assert migrate(con) == latest, "the next open starts from there"


def test_the_dictionary_says_a_pair_sentence_can_carry_a_topic_its_article_lacks(tmp_path):
    """On the captured real feeds an analyst met RUS-USA sentences tagged education_culture (from the weak word
    "team") in articles without that topic, and looked in topic_hits for the word: it holds only the words of the
    article's own topics. No comment said either; `pactwatch schema` is where the analyst reads them."""
    from pipeline.seeds import load_tagger

    tags = load_tagger().tag("Ministers meet again", "A team from France will hold talks with Germany on the treaty.")
    [sentence] = tags.pair_sentences
    article_topics = {topic.topic for topic in tags.topics}
    assert "education_culture" in sentence.topics and "education_culture" not in article_topics
    assert {hit.topic for hit in tags.topic_hits} <= article_topics
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        dictionary = {obj["name"]: obj for obj in data_dictionary(warehouse.con)}
    column = {c["name"]: c["comment"] for c in dictionary["pair_sentences"]["columns"]}["topics"]
    assert "a sentence can carry a topic its article lacks" in column and "topic_hits" in column
    assert "a pair can carry a topic its article lacks" in {
        c["name"]: c["comment"] for c in dictionary["article_pairs"]["columns"]}["topics"]
    assert "Only the article's own topics" in dictionary["topic_hits"]["comment"]


def test_every_migration_file_keeps_the_hash_it_was_committed_with():
    """0027, 0029 and 0032 were edited after warehouses had applied them, which kept their first texts (0033 repairs
    that): a change to a committed migration goes into a new one. A new migration records its hash here."""
    recorded = dict(line.split()[::-1] for line in HASHES.read_text().splitlines() if not line.startswith("#"))
    files = {name: hashlib.sha256(sql.encode("utf-8")).hexdigest() for _, name, sql in available_migrations()}
    assert set(files) == set(recorded), f"record each migration's hash in {HASHES.name}, and drop none"
    edited = sorted(name for name, digest in files.items() if digest != recorded[name])
    assert not edited, f"committed migrations edited: {edited}; put the change in a new migration"


def test_a_warehouse_that_applied_an_earlier_text_of_0032_gets_its_final_view_and_comments(tmp_path):
    """v_coverage_daily's first text ended at the last article day, and its comments said so: the upgrade audit
    found warehouses that kept it after 0032 was edited."""
    path, con = at_version(tmp_path, 32)
    con.execute("CREATE OR REPLACE VIEW v_coverage_daily AS SELECT day, count(*) AS articles, 0 AS outlets, "
                "0 AS feeds FROM articles GROUP BY day")
    con.execute("COMMENT ON COLUMN fetches.bytes IS 'Body bytes received.'")
    con.close()
    fresh = duckdb.connect(":memory:")
    migrate(fresh, use_baseline=False)  # the text of the view as 0032 wrote it: the baseline's is DuckDB's print of it
    view_sql = "SELECT sql FROM duckdb_views() WHERE view_name = 'v_coverage_daily'"
    with Warehouse(path) as warehouse:
        assert warehouse.con.execute(view_sql).fetchall() == fresh.execute(view_sql).fetchall()
        assert data_dictionary(warehouse.con) == data_dictionary(fresh)


def test_an_older_pactwatch_refuses_a_warehouse_a_newer_one_migrated(tmp_path):
    """Rolled back after an upgrade, older code wrote the newer warehouse as it knew it (feeds without their key
    scope, stale tags in tables it did not know) and no later migration repaired it."""
    home = tmp_path / "home"
    home.mkdir()
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    migrate(con)
    con.execute("INSERT INTO schema_migrations VALUES (9999, '9999_from_the_future.sql', now())")
    con.close()
    with pytest.raises(NewerSchema, match="schema version 9999, written by a newer PactWatch"):
        Warehouse(home / "warehouse.duckdb")
    result = subprocess.run([sys.executable, "-m", "pipeline", "--home", str(home), "retag"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1 and "written by a newer PactWatch" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr

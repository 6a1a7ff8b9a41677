"""Bad values are usage errors (exit 2, one line), and commands do what their arguments say."""
from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
from datetime import UTC, datetime, timedelta, timezone
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import SHARED_DATA, seeds_that_do_not_load
from tests.httpserver import Response
from tests.rss import Item, feed_list_toml, rss
from tests.logfmt import logged_at, without_ts


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def invoke(home, *args) -> str:
    result = run(home, *args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("args", [
    ("ingest", "--interval", ""), ("ingest", "--interval", "-5m"), ("ingest", "--every", "0s"),
    ("ingest", "--every", "-1m"), ("ingest", "--every", "soon"), ("demo", "--articles", "-5"), ("demo", "--articles", "0"),
    ("sql", "--max-rows", "-1", "SELECT 1"), ("sql", "--timeout", "0", "SELECT 1"), ("sql", "--json", "--csv", "SELECT 1"),
    ("sql", "--timeout", "3601", "SELECT 1"),  # the README's "up to an hour": it was refused only after the option parsing
    ("sql", "--timeout", "61m", "SELECT 1"), ("sql", "--timeout", "0s", "SELECT 1"), ("sql", "--timeout", "soon", "SELECT 1"),
    ("sql", "-p", "a", "1", "-p", "a", "2", "SELECT $a"),  # which value was meant is not ours to guess
    ("import", "--batch-size", "0", __file__),
    ("export", "--topic", "nosuchtopic", "--output", "x.csv"),  # no seed file defines it: it would export nothing
    ("export", "--since", "2026-11-01", "--until", "2026-10-01", "--output", "x.csv"),
    ("export", "--pair", "RUS", "--output", "x.csv"), ("export", "--country", "Russia", "--output", "x.csv"),
    ("export", "--country", "XXX", "--output", "x.csv"),  # no tag carries it: it exported nothing, with exit 0
    ("export", "--pair", "RUS-XYZ", "--output", "x.csv"),
    ("feeds", "add", "https://a.example/rss", "--id", "a", "--country", "XYZ"),  # stored, it labelled every article
    ("alerts", "--notify-webhook", "http://[::1/hook"), ("alerts", "--notify-webhook", "hooks.example.org/pactwatch"),
    ("alerts", "--notify-webhook", "http://xn--a.com/"),  # punycode that decodes to nothing valid
    ("alerts", "--resend"),  # resending to no webhook would print the alerts as if they had been posted
    # numbers and dates past what the code can hold were tracebacks (OverflowError), some after a whole run
    ("sql", "--max-rows", "9223372036854775807", "SELECT 1"), ("ingest", "--interval", "1e12"),
    ("ingest", "--every", "1e12"), ("demo", "--end-date", "0001-01-01"), ("demo", "--end-date", "9999-12-31"),
    ("demo", "--force", "--unless-done"),  # one writes into a home with data of its own, the other leaves it alone
], ids=lambda args: " ".join(args).replace(__file__, "FILE"))
def test_bad_values_are_usage_errors(home, args):
    result = run(home, *args)
    assert result.exit_code == 2 and "Error:" in result.output and result.exception is not None, result.output
    assert not isinstance(result.exception, (TypeError, ValueError)), result.exception
    assert not (home / "warehouse.duckdb").exists()


@pytest.mark.parametrize("args", [("feeds", "enable", "a"), ("feeds", "disable", "a"), ("feeds", "list"), ("status",),
                                  ("retag",), ("compact",), ("backup", "{tmp}/copy.duckdb")], ids=" ".join)
def test_a_command_over_stored_data_refuses_a_home_that_does_not_exist(tmp_path, args):
    """A mistyped --home: retag and compact made an empty home there (retag recorded and published a run in it),
    status and feeds list reported an empty one with exit 0. The README lists backup among these too: a nightly
    backup of a mistyped home must fail, not copy an empty warehouse."""
    result = run(tmp_path / "typo", *(arg.format(tmp=tmp_path) for arg in args))
    assert result.exit_code == 1 and result.output.startswith(f"Error: no warehouse in {tmp_path / 'typo'}: "), \
        result.output
    assert not (tmp_path / "typo").exists() and not (tmp_path / "copy.duckdb").exists()
    invoke(tmp_path / "typo", "feeds", "add", "https://a.example/rss", "--id", "a")  # a command that makes a home
    assert (tmp_path / "typo" / "warehouse.duckdb").exists()


def test_the_sql_time_limit_and_row_cap_options_stop_where_the_sandbox_does():
    """The dashboard's SQL page gives the sandbox's row cap in its command for a whole result: the CLI must take it."""
    from pipeline.cli import SQL_MAX_ROWS, SQL_MAX_TIMEOUT
    from pipeline.store.sandbox import MAX_ROWS, MAX_TIMEOUT_SECONDS

    assert SQL_MAX_TIMEOUT == MAX_TIMEOUT_SECONDS and SQL_MAX_ROWS == MAX_ROWS


def test_the_export_options_offer_what_the_exporter_writes():
    from pipeline.cli import EXPORT_FORMATS, EXPORT_TABLES
    from pipeline.store.exporter import EXPORTABLE, FORMATS

    assert EXPORT_TABLES == tuple(EXPORTABLE) and set(EXPORT_FORMATS.values()) == set(FORMATS)


def test_all_topics_without_a_topic_is_a_usage_error(home):
    """All of no topic: every row would be exported, as if the flag were not there."""
    result = run(home, "export", "--all-topics", "--output", "x.csv")
    assert result.exit_code == 2 and "--all-topics needs --topic" in result.output, result.output
    assert not (home / "warehouse.duckdb").exists()


def test_export_takes_its_format_from_the_output_extension_and_refuses_a_contradiction(home, tmp_path):
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    invoke(home, "export", "--output", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").read_bytes().startswith(b"PAR1"), "CSV, not Parquet"
    invoke(home, "export", "--output", str(tmp_path / "x.parquet"))
    assert (tmp_path / "x.parquet").read_bytes().startswith(b"PAR1")
    result = run(home, "export", "--format", "parquet", "--output", str(tmp_path / "y.csv"))
    assert result.exit_code == 2 and "contradicts" in result.output and not (tmp_path / "y.csv").exists()
    unnamed = run(home, "export", "--output", str(tmp_path / "a.json"))  # it wrote Parquet into a.json
    assert unnamed.exit_code == 2 and "name the output .parquet or .csv, or pass --format" in unnamed.output
    assert not (tmp_path / "a.json").exists()
    invoke(home, "export", "--format", "csv", "--output", str(tmp_path / "a.txt"))
    assert not (tmp_path / "a.txt").read_bytes().startswith(b"PAR1")


@pytest.mark.parametrize("older, asked, said, remedy", [
    ("DROP TABLE topic_hits", ["--table", "topic_hits"], "topic_hits is not in this snapshot", "`pactwatch retag`"),
    ("ALTER TABLE pair_sentences DROP COLUMN listed", ["--unlisted-only"], "marked as lists (migration 0025)",
     "`pactwatch retag`"),
    ("DROP TABLE article_revisions", ["--table", "article_revisions"], "article_revisions is not in this snapshot",
     "the next `pactwatch ingest` publishes it")])
def test_exporting_what_a_snapshot_published_before_it_was_kept_lacks_says_so(home, tmp_path, older, asked, said,
                                                                              remedy):
    """A snapshot from before migration 0021 has no topic_hits, one from before 0025 no pair_sentences.listed, one
    from before 0057 no article_revisions: the export ended in a DuckDB traceback."""
    from pipeline.home import Home
    from pipeline.store.snapshot import publish
    from pipeline.store.warehouse import Warehouse

    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    with Warehouse(Home.resolve(home).writer_db) as warehouse:
        warehouse.con.execute(older)  # as a snapshot of the code before that migration has it
        publish(warehouse.con, Home.resolve(home))
    result = run(home, "export", *asked, "--output", str(tmp_path / "rows.csv"))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert said in result.output and remedy in result.output
    assert not (tmp_path / "rows.csv").exists()


def test_schema_describes_the_warehouse_the_home_publishes(home):
    """An analyst queries the published snapshot, which lags this code's schema until the next write after an
    upgrade: `schema` printed this code's tables whatever the home held."""
    import duckdb

    from pipeline.home import Home
    from pipeline.store.migrate import available_migrations

    fresh = CliRunner().invoke(cli, ["--home", str(home), "schema", "--json"])
    assert fresh.exit_code == 0 and f"no warehouse in {home}" in fresh.stderr
    assert "topic_hits" in {obj["name"] for obj in json.loads(fresh.stdout)}
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    with duckdb.connect(str(Home.resolve(home).published_db.resolve())) as snapshot:  # as published before 0021
        snapshot.execute("DROP TABLE topic_hits; DELETE FROM schema_migrations WHERE version >= 21")
    published = CliRunner().invoke(cli, ["--home", str(home), "schema", "--json"])
    assert published.exit_code == 0, published.output
    assert "topic_hits" not in {obj["name"] for obj in json.loads(published.stdout)}
    latest = available_migrations()[-1][0]
    assert f"schema version 20; the next writing command migrates it to {latest}" in published.stderr


def test_an_export_whose_outlet_matches_nothing_says_outlets_match_exactly(home, tmp_path, http_server):
    http_server.routes["/a.xml"] = Response(200, rss([Item("Seoul and Tokyo talk", "South Korea and Japan.")]))
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a", "--outlet", "Seine Review")
    invoke(home, "ingest")
    found = run(home, "export", "--outlet", "Seine Review", "--output", str(tmp_path / "found.csv"))
    missed = run(home, "export", "--outlet", "seine review", "--output", str(tmp_path / "missed.csv"))
    assert found.exit_code == missed.exit_code == 0
    assert "wrote 1 row to" in found.stderr and "No row matched" not in found.stderr
    assert "wrote 0 rows" in missed.stderr and "outlets match exactly as `pactwatch feeds list`" in missed.stderr


def test_an_export_by_topic_says_how_many_rows_in_other_languages_it_could_not_judge(home, tmp_path, http_server):
    """`export --pair PRK-RUS --topic military` wrote the 2 English sentences of a pair with 29, and said nothing of
    the 27 in Russian, Korean, Chinese, ...: no topic is read in them, so --topic cannot keep one."""
    feeds = {"en": ([Item("Allies", "North Korea and Russia expand military drills with joint troops.")], None),
             "de": ([Item("Gespräche", "Nordkorea und Russland vereinbaren Militärübungen."),
                     Item("Handel", "Russland und Nordkorea sprechen über Handel.")], "de"),
             "ru": ([Item("Договор", "КНДР и Россия подписали военный договор.")], "ru")}
    for feed_id, (items, language) in feeds.items():
        http_server.routes[f"/{feed_id}.xml"] = Response(200, rss(items, language=language))
        invoke(home, "feeds", "add", http_server.url(f"/{feed_id}.xml"), "--id", feed_id)
    invoke(home, "ingest")
    every = run(home, "export", "--table", "pair_sentences", "--pair", "PRK-RUS", "--output", "-")
    assert every.exit_code == 0 and "wrote 4 rows" in every.stderr and "note: " not in every.stderr
    rows = list(csv.DictReader(io.StringIO(every.stdout)))
    # each row says why it has no topic or cue: the article's language, as the dashboard's evidence names it
    assert sorted((row["language"], row["cue"]) for row in rows) == [("de", ""), ("de", ""), ("en", "cooperation"),
                                                                       ("ru", "")]
    # and the columns a sentence is cited by, which took a join back to `articles`, with the date as written and the
    # versions its feed served later
    assert list(rows[0])[-7:] == ["language", "published_at", "outlet", "url", "published_as_written", "revisions",
                                  "last_revision_seen_at"]
    military = run(home, "export", "--table", "pair_sentences", "--pair", "PRK-RUS", "--topic", "military",
                   "--output", "-")
    assert military.exit_code == 0 and "wrote 1 row " in military.stderr
    assert ("note: 3 pair sentences in languages whose topics are not read (de 2, ru 1) are not in this export: "
            "--topic matches English articles only") in military.stderr
    topics = run(home, "export", "--table", "article_topics", "--topic", "military", "--output", "-")
    assert "note: 3 articles in languages whose topics are not read (de 2, ru 1)" in topics.stderr


def test_a_parquet_export_says_what_it_was_cut_from(home, tmp_path, http_server):
    """An export cited in a brief held no filters, time, run or tagger version: an auditor could not tell what it was
    cut from. Parquet carries them in its key-value metadata, which DuckDB reads with parquet_kv_metadata."""
    import duckdb

    from pipeline.seeds import tagger_version

    drills = Item("Allies", "North Korea and Russia hold military drills.", "https://news.example/drills",
                  published=datetime(2024, 6, 19, 8, 30, tzinfo=UTC))
    http_server.routes["/cut.xml"] = Response(200, rss([drills]))
    invoke(home, "feeds", "add", http_server.url("/cut.xml"), "--id", "cut")
    invoke(home, "ingest")
    output = tmp_path / "cut.parquet"
    result = run(home, "export", "--table", "pair_sentences", "--pair", "RUS-PRK", "--topic", "military", "--since",
                 "2000-01-01", "--dated-only", "--all-topics", "--output", str(output))
    assert result.exit_code == 0, result.output
    said = dict(duckdb.sql(f"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{output}') "
                           "WHERE decode(key) LIKE 'pactwatch.%'").fetchall())
    status = json.loads(invoke(home, "status", "--json"))
    assert json.loads(said.pop("pactwatch.filters")) == {
        "start": "2000-01-01", "end": None, "countries": [], "pairs": ["PRK-RUS"], "topics": ["military"],
        "all_topics": True, "outlets": [], "dated_only": True, "unlisted_only": False, "as_of": None}
    exported_at = datetime.fromisoformat(said.pop("pactwatch.exported_at"))
    assert abs(datetime.now(UTC) - exported_at) < timedelta(minutes=5)
    assert said == {"pactwatch.table": "pair_sentences", "pactwatch.last_run_id": str(status["last_run"]["run_id"]),
                    "pactwatch.last_run_finished_at": said["pactwatch.last_run_finished_at"],
                    "pactwatch.stored_tagger_versions": tagger_version(), "pactwatch.tagger_version": tagger_version(),
                    "pactwatch.version": version("pactwatch")}
    assert said["pactwatch.last_run_finished_at"] == status["last_run"]["finished_at"]
    # each sentence carries its article's time, outlet and link, cited without a join back to `articles`
    stored = json.loads(invoke(home, "sql", "--json", "SELECT outlet, url, published_at FROM articles"))
    exported = duckdb.sql(f"SELECT outlet, url, strftime(published_at, '%Y-%m-%dT%H:%M:%S') AS published_at "
                          f"FROM '{output}'").fetchall()
    assert [tuple(row.values()) for row in stored] == [(outlet, url, f"{published}+00:00")
                                                       for outlet, url, published in exported]


def test_queries_exports_and_alerts_note_tags_from_another_tagger_version(home, tmp_path, http_server, monkeypatch):
    """`status` and the dashboard said so; `sql`, `export` and `alerts`, whose counts mix the two rule sets, did not.
    Beside seed files that do not load, the note said to run a retag that would fail."""
    from pipeline.home import Home
    from pipeline.store.snapshot import publish
    from pipeline.store.warehouse import Warehouse

    http_server.routes["/two.xml"] = Response(200, rss([Item("Seoul and Tokyo talk", "South Korea and Japan."),
                                                        Item("Paris and Rome talk", "France and Italy.")]))
    invoke(home, "feeds", "add", http_server.url("/two.xml"), "--id", "a")
    invoke(home, "ingest")
    commands = [("sql", "SELECT count(*) FROM article_pairs"), ("alerts",),
                ("export", "--table", "article_pairs", "--output", str(tmp_path / "pairs.csv"))]
    assert [run(home, *command).stderr.count("note: some stored tags") for command in commands] == [0, 0, 0]
    with Warehouse(Home.resolve(home).writer_db) as warehouse:
        warehouse.con.execute("UPDATE article_countries SET tagger_version = '1.0+00000000' "
                              "WHERE article_id = (SELECT min(article_id) FROM article_countries)")
        publish(warehouse.con, Home.resolve(home))
    for command in commands:
        result = run(home, *command)
        assert result.exit_code == 0 and "note: some stored tags come from tagger version 1.0+00000000" in \
            result.stderr and "counts mix rule sets until `pactwatch retag`" in result.stderr, (command, result.output)
    with Warehouse(Home.resolve(home).writer_db) as warehouse:  # every tag from the one older version: no mix
        for table in ("article_countries", "article_topics"):
            warehouse.con.execute(f"UPDATE {table} SET tagger_version = '1.0+00000000'")
        publish(warehouse.con, Home.resolve(home))
    result = run(home, "sql", "SELECT count(*) FROM article_pairs")
    assert "note: the stored tags come from tagger version 1.0+00000000, not this code's" in result.stderr
    assert "counts follow the older rules until `pactwatch retag`" in result.stderr, result.stderr
    rules = seeds_that_do_not_load(tmp_path, monkeypatch)
    result = run(home, "sql", "SELECT count(*) FROM article_pairs")
    assert (f"until `pactwatch retag` rebuilds them, which it cannot while the seed files do not load ({rules}:"
            in result.stderr and "): fix them first\n" in result.stderr), result.stderr


def test_refreshing_a_disabled_feed_says_it_stays_unpolled(home):
    """`feeds add` said a refreshed feed is polled by the next ingest, which then found no feed due."""
    assert invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a", "--country", "gbr", "--outlet",
                  "A News") == "added a\n"
    invoke(home, "feeds", "disable", "a")
    assert invoke(home, "feeds", "add", "https://a.example/v2", "--id", "a") == \
        "refreshed a (disabled: `pactwatch feeds enable a` to poll it)\n"
    listed = json.loads(invoke(home, "feeds", "list", "--json"))
    assert [(feed["url"], feed["outlet_country"], feed["enabled"]) for feed in listed] == \
        [("https://a.example/v2", "GBR", False)]


def test_an_idle_ingest_says_whether_a_feed_is_due_later_or_every_feed_is_disabled(home, http_server):
    """A home whose feeds were all disabled logged `reason="no feed due"` at every run, read as a wait."""
    idle_reasons = lambda: [line for line in without_ts(run(home, "ingest").stderr) if "event=idle" in line]
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks", "South Korea and Japan talk.")]))
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    assert idle_reasons() == []  # polled
    assert idle_reasons() == ['event=idle reason="no feed due"']
    invoke(home, "feeds", "disable", "a")
    assert idle_reasons() == ['event=idle reason="every feed disabled"']


def test_no_alerts_names_the_days_it_screened(home, http_server):
    """A bare "no alerts" on the demo, whose alerts lie before its last week, read as "nothing ever rose"."""
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    assert invoke(home, "alerts") == "no alerts: no articles\n"
    http_server.routes["/a.xml"] = Response(200, rss([Item("Seoul and Tokyo talk", "South Korea and Japan.",
                                                           published=datetime(2025, 3, 14, 9, tzinfo=timezone.utc))]))
    invoke(home, "ingest")
    assert invoke(home, "alerts").startswith("no alerts from 2025-03-08 to 2025-03-14 (--since DATE screens from an "
                                             "earlier day)")
    assert invoke(home, "alerts", "--since", "2025-04-01").startswith(
        "no alerts: the last article day is 2025-03-14, before 2025-04-01")


@pytest.mark.parametrize("args, expected", [
    (["ingest", "--home", "/srv/pw"], ["--home", "/srv/pw", "ingest"]),
    (["feeds", "list", "--home=/srv/pw", "--json"], ["--home=/srv/pw", "feeds", "list", "--json"]),
    (["--home", "a", "sql", "SELECT 1"], ["--home", "a", "sql", "SELECT 1"]),
    (["sql", "--", "--home"], ["sql", "--", "--home"]),  # after `--`, an argument, not the option
    (["status", "--home"], ["status", "--home"]),  # no value: click says so
])
def test_home_may_follow_the_command(args, expected):
    """`pactwatch ingest --home X` got "No such option '--home'. Did you mean '--help'?"."""
    from pipeline.cli import home_first

    assert home_first(args) == expected


def test_the_entry_point_reads_home_after_the_command(tmp_path, monkeypatch, capsys):
    from pipeline.cli import main

    monkeypatch.setattr("sys.argv", ["pactwatch", "status", "--home", str(tmp_path / "typo")])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 1 and f"no warehouse in {tmp_path / 'typo'}" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can write a home another user owns")
def test_root_gives_a_home_it_wrote_back_to_its_owner(tmp_path):
    """A root `compact` on the service user's home left warehouse.duckdb and the snapshots root's: every cron ingest
    after it failed with "Permission denied" until someone ran chown."""
    home = tmp_path / "home"
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    os.chown(home, 65534, 65534)
    invoke(home, "compact")  # rewrites the writer file and publishes a new snapshot
    assert {path.name: (path.lstat().st_uid, path.lstat().st_gid) for path in home.rglob("*")
            if path.lstat().st_uid != 65534 or path.lstat().st_gid != 65534} == {}


def test_eval_without_the_corpora_says_where_it_looked(home, tmp_path):
    result = run(home, "eval", "--data", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {tmp_path}: no labelled corpora here (reuters21578/, geoparsing_news/, "
                                     "re3d_defence/, feeds/real/): pass --data")


def test_eval_without_check_exits_0_when_a_target_is_missed(home, tmp_path):
    """`--check` is what makes a missed target an exit 3: two stand missed today, so a plain `pactwatch eval` (or one
    piped to jq, as its help shows) would fail every time, and a script running it could not tell a broken eval. A
    corpus of one story each, and no captured feeds, misses targets in a few seconds."""
    data = tmp_path / "data"
    for corpus, row in [("reuters21578", {"title": "JAPAN AND FRANCE SIGN PACT", "dateline": "", "date": "1987-03-02",
                                          "body": "Japan and France agreed.", "places": ["japan", "france"],
                                          "topics": [], "topics_attr": "YES"}),
                        ("geoparsing_news", {"text": "Japan and France met.", "countries_explicit": ["JPN", "FRA"]}),
                        ("re3d_defence", {"title": "Talks", "text": "The ministers met."})]:
        (data / corpus).mkdir(parents=True)
        (data / corpus / "dev.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    (data / "reuters21578" / "places_to_iso3.csv").write_text("place_code,iso3\njapan,JPN\nfrance,FRA\n")
    result = run(home, "eval", "--data", str(data), "--json")
    assert [row["measure"] for row in json.loads(result.stdout) if row["met"] is False], "a target is missed"
    assert result.exit_code == 0, result.output
    assert run(home, "eval", "--data", str(data), "--json", "--check").exit_code == 3


def test_tag_refuses_to_write_over_its_input(tmp_path):
    archive = tmp_path / "a.jsonl"
    archive.write_text('{"id": "1", "title": "Seoul", "text": "Korea and Japan met."}\n')
    result = CliRunner().invoke(cli, ["tag", "--input", str(archive), "--output", str(archive)])
    assert result.exit_code == 2 and "must not be the --input" in result.output
    assert archive.read_text().startswith('{"id": "1"')


@pytest.mark.parametrize("command", ["export", "tag"])
@pytest.mark.parametrize("target", ["warehouse.duckdb", "pactwatch.duckdb", "ingest.lock", "snapshots/x.parquet"])
def test_an_output_into_the_homes_own_files_is_refused(home, tmp_path, command, target):
    """`export --output <home>/warehouse.duckdb --format csv` wrote 2,009 rows over the writer file, and exit 0; every
    later command found no valid DuckDB file there."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    archive = tmp_path / "a.jsonl"
    archive.write_text('{"id": "1", "title": "Seoul", "text": "Korea and Japan met."}\n')
    before = {path: path.read_bytes() for path in home.rglob("*") if path.is_file()}
    arguments = {"export": ["export", "--format", "csv"], "tag": ["tag", "--input", str(archive)]}[command]
    result = run(home, *arguments, "--output", str(home / target))
    assert result.exit_code == 2 and "is part of the home" in result.output
    assert {path: path.read_bytes() for path in home.rglob("*") if path.is_file()} == before
    assert "wrote" in invoke(home, "export", "--format", "csv", "--output", str(tmp_path / "out.csv"))


def test_status_says_a_damaged_writer_file_cannot_be_read_not_that_a_writer_holds_it(home):
    """A truncated warehouse.duckdb was reported as "A writing command holds the home", exit 0, while every writing
    command failed on it."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    with (home / "warehouse.duckdb").open("r+b") as writer:
        writer.truncate(100_000)
    report = json.loads(invoke(home, "status", "--json"))
    assert not report["writer_busy"] and "cannot be read, and writing commands will fail" in report["writer_unreadable"]


@pytest.mark.parametrize("args", [("sql", "select '\udcff'"), ("feeds", "add", "https://a.example/", "--name", "b\udcffd"),
                                  ("--home", "h\udcffome", "demo")])
def test_an_argument_that_is_not_utf8_is_refused_in_one_line(home, monkeypatch, capsys, args):
    """Bytes that are no UTF-8 (here as Python passes them, lone surrogates) gave tracebacks: a TypeError from the SQL
    parser, a RuntimeError storing a name, a UnicodeEncodeError after the home's folder was made."""
    from pipeline.cli import main

    monkeypatch.chdir(home.parent)
    monkeypatch.setattr("sys.argv", ["pactwatch", *args])
    with pytest.raises(SystemExit) as stopped:
        main()
    [said] = without_ts(capsys.readouterr().err)
    assert stopped.value.code == 2 and said.startswith("pactwatch: arguments must be UTF-8 text")
    assert not (home.parent / "h\udcffome").exists()


@pytest.mark.parametrize("days", [("--since", "0001-01-01"), ("--until", "0001-01-03")])
def test_alerts_long_before_the_data_are_none(home, days):
    """--since 0001-01-01 less the cool-down was no date, and so was the week before --until 0001-01-03: an
    OverflowError traceback. No hint to screen from an earlier day: the data starts later."""
    invoke(home, "demo", "--articles", "300")
    result = run(home, "alerts", *days)
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "--since DATE" not in result.output


def test_feed_countries_are_accepted_in_any_case_like_export_filters(home):
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a", "--country", "gbr")
    assert json.loads(invoke(home, "feeds", "list", "--json"))[0]["outlet_country"] == "GBR"


def test_an_ingest_with_no_feed_due_records_and_publishes_nothing(home, http_server):
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    invoke(home, "ingest", "--interval", "1h")
    published = (home / "pactwatch.duckdb").resolve()
    assert "event=idle" in invoke(home, "ingest", "--interval", "1h")
    assert (home / "pactwatch.duckdb").resolve() == published
    assert json.loads(invoke(home, "sql", "--json", "SELECT count(*) AS runs FROM runs")) == [{"runs": 1}]


def test_demo_feeds_are_not_polled_and_demo_refuses_a_real_home(tmp_path, http_server):
    demo_home = tmp_path / "demo"
    invoke(demo_home, "demo", "--articles", "200", "--end-date", "2026-01-31")
    assert {row["health"] for row in json.loads(invoke(demo_home, "feeds", "list", "--json"))} == {"disabled"}
    assert "event=idle" in invoke(demo_home, "ingest")
    rebuilt = invoke(demo_home, "demo", "--articles", "200", "--end-date", "2026-01-31")  # from the start, not added to
    written = json.loads((demo_home / "demo" / "manifest.json").read_text(encoding="utf-8"))["total_articles"]
    assert written >= 200  # and what the default spikes add
    assert "found=finished-demo then=built-again" in rebuilt and f"new={written} duplicates=0" in rebuilt, rebuilt
    # real articles would be labelled synthetic with the demo's: neither an import nor polled feeds go in
    archive = tmp_path / "archive.jsonl"
    archive.write_text(json.dumps({"id": "r1", "title": "Seoul talks", "text": "Korea and Japan met.",
                                   "url": "https://news.example/r1", "source": "wire"}) + "\n")
    http_server.routes["/b.xml"] = Response(200, rss([Item("Talks in Tokyo", "Japan and Korea met.", guid="g2")]))
    listing = tmp_path / "b.toml"
    listing.write_text(feed_list_toml({"b": http_server.url("/b.xml")}))
    for refused in (("import", str(archive)), ("ingest", "--feeds", str(listing))):
        result = run(demo_home, *refused)
        assert result.exit_code == 1 and "holds the demo's synthetic articles" in result.output, result.output
    assert "event=import" in invoke(demo_home, "import", "--force", str(archive))

    real_home = tmp_path / "real"
    http_server.routes["/a.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    invoke(real_home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    result = run(real_home, "demo", "--articles", "200")  # not polled yet: the next ingest would label it demo
    assert result.exit_code == 1 and "holds 1 enabled feeds" in result.output, result.output
    assert json.loads(invoke(real_home, "status", "--json"))["is_demo"] is False
    invoke(real_home, "ingest")
    result = run(real_home, "demo", "--articles", "200")
    assert result.exit_code == 1 and "holds 1 real articles" in result.output
    status = json.loads(invoke(real_home, "status", "--json"))
    assert (status["articles"], status["is_demo"]) == (1, False)


def test_a_demo_home_takes_no_feed_and_says_the_way_out(tmp_path, http_server):
    """`make run` before the first ingest builds the demo in the home meant for real feeds: `feeds add` and `feeds
    import-opml` then said "added", and every ingest after failed, with no word of how to get out."""
    demo_home = tmp_path / "meant-for-real-feeds"
    invoke(demo_home, "demo", "--unless-done", "--articles", "200")  # what `make run` runs
    http_server.routes["/b.xml"] = Response(200, rss([Item("Talks in Tokyo", "Japan and Korea met.", guid="g2")]))
    listing = tmp_path / "b.toml"
    listing.write_text(feed_list_toml({"b": http_server.url("/b.xml")}))
    published = (demo_home / "pactwatch.duckdb").resolve()
    for refused in (("feeds", "add", http_server.url("/b.xml"), "--id", "b"), ("feeds", "import-opml", str(listing)),
                    ("ingest", "--feeds", str(listing))):
        result = run(demo_home, *refused)
        assert result.exit_code == 1, result.output
        assert "holds the demo's synthetic articles: the articles of " in result.output, result.output
        assert f"use another --home, or delete the folder {demo_home} " in result.output, result.output
        assert "`pactwatch feeds export-opml > feeds.opml` first keeps" in result.output, "feeds of a --force demo"
    assert "b" not in {row["id"] for row in json.loads(invoke(demo_home, "feeds", "list", "--json"))}
    assert (demo_home / "pactwatch.duckdb").resolve() == published and not http_server.requests
    # the way out the message gives: the folder deleted, the command again makes a new home there
    shutil.rmtree(demo_home)
    assert invoke(demo_home, "feeds", "add", http_server.url("/b.xml"), "--id", "b", "--outlet", "B News") == "added b\n"
    invoke(demo_home, "ingest")
    status = json.loads(invoke(demo_home, "status", "--json"))
    assert (status["articles"], status["is_demo"]) == (1, False)


def test_sql_outputs_follow_the_formats_rules(home):
    """--csv wrote feed text a spreadsheet runs as a formula (export defuses it) and lists as Python reprs; --json
    wrote NaN, which strict JSON parsers reject; EXPLAIN's plan came out as one line of \\n escapes."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    query = "SELECT '=HYPERLINK(\"http://evil.example\")' AS title, ['diplomacy', 'trade'] AS topics, 'nan'::DOUBLE AS x"
    assert invoke(home, "sql", "--csv", query) == (
        "title,topics,x\n\"'=HYPERLINK(\"\"http://evil.example\"\")\",diplomacy;trade,nan\n")  # lines end as export's
    assert json.loads(invoke(home, "sql", "--json", query)) == [
        {"title": '=HYPERLINK("http://evil.example")', "topics": ["diplomacy", "trade"], "x": None}]
    plan = invoke(home, "sql", "EXPLAIN SELECT count(*) FROM feeds")
    assert "\\n" not in plan and len(plan.splitlines()) > 3 and "┌" in plan


def test_sql_shows_intervals_blobs_and_decimals_as_duckdb_does(home):
    """Python's timedelta made "1 year 2 months" 425 days, a blob came out as b'...', a decimal as a JSON string."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    query = ("SELECT INTERVAL 14 MONTH + INTERVAL 3 HOUR AS span, '\\x00\\xFF'::BLOB AS raw, 1.50::DECIMAL(5, 2) AS share, "
             "2::DECIMAL(18, 0) AS n, range AS r FROM range(2) ORDER BY r DESC")
    assert json.loads(invoke(home, "sql", "--json", query)) == [
        {"span": "1 year 2 months 03:00:00", "raw": "\\x00\\xFF", "share": 1.5, "n": 2, "r": r} for r in (1, 0)]
    assert invoke(home, "sql", "--csv", query).splitlines()[1] == "1 year 2 months 03:00:00,\\x00\\xFF,1.50,2,1"
    plan = invoke(home, "sql", "EXPLAIN ANALYZE SELECT INTERVAL 1 DAY AS span")  # run once, its plan unchanged
    assert "CAST" not in plan and "┌" in plan


def test_sql_leaves_a_struct_whose_field_is_named_like_a_lossy_type_a_struct(home):
    """The INTERVAL/BLOB test read the type's text: a field named BLOB (or an ENUM label INTERVAL) made the whole
    struct one string in --json."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    query = "SELECT {'BLOB': 1, 'INTERVAL': 'x'} AS s, {'span': INTERVAL 1 DAY} AS t"
    assert json.loads(invoke(home, "sql", "--json", query)) == [{"s": {"BLOB": 1, "INTERVAL": "x"},
                                                                 "t": "{'span': 1 day}"}]


def test_text_outputs_stay_readable(home, tmp_path):
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    out = invoke(home, "sql", "SELECT 'a' || chr(9) || 'b' || chr(10) || 'c\\d' AS v, 1 AS n")
    assert out.splitlines() == ["v\tn", "a\\tb\\nc\\\\d\t1"], "one row per line, one tab per column"
    status = invoke(home, "status")
    assert "{" not in status and "tag_versions: none" in status
    bad = tmp_path / "bad.toml"
    bad.write_text("x\n")
    result = run(home, "ingest", "--feeds", str(bad))
    assert result.exit_code == 1 and result.output.count(str(bad)) == 1, result.output


def test_sql_text_drives_no_terminal(home):
    """ESC, BEL, NUL, DEL and the C1 CSI (U+009B) came out raw in the table, the plan and the error: a value could
    clear the screen, retitle the window or hide what followed. They show as escapes; JSON escapes them too."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    value = "chr(27) || '[2J' || chr(7) || chr(0) || chr(127) || chr(155) || '31m'"
    assert invoke(home, "sql", f"SELECT {value} AS v").splitlines() == ["v", "\\x1b[2J\\x07\\x00\\x7f\\x9b31m"]
    as_json = invoke(home, "sql", "--json", f"SELECT {value} AS v")
    assert json.loads(as_json) == [{"v": "\x1b[2J\x07\x00\x7f\x9b31m"}]
    assert not any(char in as_json for char in "\x1b\x07\x00\x7f\x9b")
    plan = invoke(home, "sql", f"EXPLAIN SELECT i FROM range(3) t(i) WHERE i::VARCHAR <> {value}")
    assert "┌" in plan and "\\x9b31m" in plan and not any(char in plan for char in "\x1b\x07\x00\x7f\x9b")
    refused = run(home, "sql", f"SELECT CAST({value} AS INTEGER)")
    assert refused.exit_code == 1 and "\\x1b[2J" in refused.output
    assert not any(char in refused.output for char in "\x1b\x07\x00\x7f\x9b")


def test_sql_shows_a_bidi_override_as_an_escape(home):
    """U+202E came out raw in the table and in JSON: "\u202etxt.exe" showed as "exe.txt" in the terminal."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    assert invoke(home, "sql", "SELECT chr(8238) || 'txt.exe' AS v").splitlines() == ["v", "\\u202etxt.exe"]
    as_json = invoke(home, "sql", "--json", "SELECT chr(8238) || 'txt.exe' AS v")
    assert "\u202e" not in as_json and json.loads(as_json) == [{"v": "\u202etxt.exe"}]


def test_a_first_ingest_of_a_list_with_a_mistake_creates_no_home(tmp_path):
    """It created the home and its writer file, then refused the list: a home without a snapshot was left, which
    `status` reported as an empty one."""
    bad, home = tmp_path / "bad.toml", tmp_path / "new-home"
    bad.write_text('[[feed]]\nid = "x"\nurl = "javascript:alert(1)"\n')
    result = run(home, "ingest", "--feeds", str(bad))
    assert result.exit_code == 1 and "url must be an absolute http(s) or file URL" in result.output
    assert not home.exists()


def test_a_query_that_opens_with_an_sql_comment_is_the_query_not_an_option(home):
    """Every example in the README opens with an SQL comment; pasted into `pactwatch sql "…"` it was refused with
    "No such option '-- Pairs are stored …'" (exit 2). A typo in an option stays a usage error."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    query = "-- the feeds, newest first\nSELECT feed_id FROM feeds"
    assert invoke(home, "sql", query).splitlines() == ["feed_id", "a"]
    assert json.loads(invoke(home, "sql", query, "--json")) == [{"feed_id": "a"}]
    assert json.loads(invoke(home, "sql", "--json", "--", query)) == [{"feed_id": "a"}]
    typo = run(home, "sql", "--jsn", "SELECT 1")
    assert typo.exit_code == 2 and "No such option" in typo.output


def test_a_query_read_from_standard_input_runs_as_one_given_as_an_argument(home):
    """A README example kept in a file had to be pasted into a shell-quoted argument, its own quotes escaped."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    query = "-- the feed's id, quoted as SQL quotes it\nSELECT feed_id, 'it''s' AS said FROM feeds\n"
    given = CliRunner().invoke(cli, ["--home", str(home), "sql", "--csv", "-"], input=query)
    assert given.exit_code == 0 and given.output == invoke(home, "sql", "--csv", query) == "feed_id,said\na,it's\n"
    empty = CliRunner().invoke(cli, ["--home", str(home), "sql", "-"], input="")
    assert empty.exit_code == 1 and "the query is empty" in empty.output, empty.output


@pytest.mark.parametrize(("failure", "hinted"), [
    (OSError(errno.EROFS, "Read-only file system", "/mnt/home/ingest.lock"), True),
    (OSError(errno.EACCES, "Permission denied", "/srv/home/warehouse.duckdb"), True),
    (OSError(errno.ENOSPC, "No space left on device", "/srv/home/warehouse.duckdb"), False),
])
def test_a_home_this_user_cannot_write_says_what_still_works(failure, hinted, capsys):
    """A read-only mount gave writing commands only "[Errno 30] Read-only file system: '…/ingest.lock'"."""
    from pipeline.cli import _exit_for

    with pytest.raises(SystemExit) as stopped:
        _exit_for(failure)
    [said] = without_ts(capsys.readouterr().err)
    assert stopped.value.code == 1 and said.startswith(f"pactwatch: {failure}")
    assert ("while status, feeds list, sql, schema, export, alerts, backup and the dashboard only read it" in said) \
        is hinted



@pytest.mark.parametrize(("args", "code", "said"), [
    (("ingest",), 75, "another PactWatch run holds"),  # the writer lock, held below
    (("ingest", "--intervall", "1h"), 2, "No such option '--intervall'"),  # click's usage error
    (("--home", "typo", "status"), 1, "no warehouse in "),  # a command's ClickException
    (("sql", "select '\udcff'"), 2, "arguments must be UTF-8 text"),
], ids=["locked", "bad-option", "no-warehouse", "not-utf8"])
def test_the_line_saying_why_a_command_failed_is_dated_as_the_log_lines_are(home, monkeypatch, capsys, args, code,
                                                                            said):
    """cron appends stderr to the ingest's log: the logfmt lines started with `ts=`, while "pactwatch: another
    PactWatch run holds …" (exit 75) and click's "Error: …" came undated, matching no run or check."""
    from pipeline.cli import main
    from pipeline.home import Home

    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    monkeypatch.chdir(home.parent)
    monkeypatch.setattr("sys.argv", ["pactwatch", *(args if args[0] == "--home" else ("--home", str(home), *args))])
    with Home.resolve(home).writer_lock(), pytest.raises(SystemExit) as stopped:
        main()
    last = capsys.readouterr().err.splitlines()[-1]
    assert stopped.value.code == code and logged_at(last) is not None, last
    assert without_ts(last)[0].startswith(f"pactwatch: {'' if code == 75 else said}") and said in last


def test_a_group_without_its_command_shows_its_help_once_not_as_a_failure(home, monkeypatch, capsys):
    """A review of the dated failure lines found `pactwatch feeds` printing its usage twice, then its whole help as a
    `ts=… pactwatch: Usage: …` line (click's NoArgsIsHelpError is a usage error whose message is the help)."""
    from pipeline.cli import main

    monkeypatch.setattr("sys.argv", ["pactwatch", "--home", str(home), "feeds"])
    with pytest.raises(SystemExit) as stopped:
        main()
    said = capsys.readouterr().err
    assert stopped.value.code == 2 and said.count("feeds [OPTIONS] COMMAND") == 1 and "Commands:" in said
    assert "pactwatch: " not in said and logged_at(said.splitlines()[0]) is None


def test_a_log_line_quotes_a_value_holding_a_control_character():
    """The logfmt lines quoted a value only when it held a space: an exception's text or a path holding an escape
    sequence reached the terminal reading the log as it was, and one holding "=" read as two fields."""
    from pipeline.terminal import logfmt

    line = logfmt("skipped", detail="locked\x1b]0;owned\x07", home="/srv/a=b", empty="", count=3, plain="Zürich")
    [fields] = without_ts(line)
    assert fields == r'event=skipped detail="locked\u001b]0;owned\u0007" home="/srv/a=b" empty="" count=3 plain=Zürich'


def test_status_says_which_days_the_articles_cover_and_how_many_runs_of_each_kind(tmp_path, http_server):
    """An analyst opening a home asks first how far back it reaches and how it was filled: the last run alone (one
    of three demo runs, say) told neither."""
    home = tmp_path / "home"
    http_server.routes["/a.xml"] = Response(200, rss([
        Item("Talks in Seoul", "Korea and Japan met.", guid="g1", published=datetime(2026, 3, 2, 9, tzinfo=timezone.utc)),
        Item("Talks in Tokyo", "Japan and Korea met.", guid="g2", published=datetime(2026, 5, 7, 9, tzinfo=timezone.utc)),
    ]))
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    invoke(home, "ingest")
    archive = tmp_path / "archive.jsonl"
    archive.write_text(json.dumps({"id": "old", "title": "Talks in Paris", "text": "France and Japan met.",
                                   "url": "https://b.example/old", "published": "2025-11-20T08:00:00Z"}) + "\n")
    invoke(home, "import", str(archive))
    status = json.loads(invoke(home, "status", "--json"))
    assert (status["first_day"], status["last_day"], status["last_dated_day"]) == ("2025-11-20", "2026-05-07",
                                                                                   "2026-05-07")
    assert status["runs"] == {"import": 1, "ingest": 1}
    assert "runs: import=1, ingest=1" in invoke(home, "status")


@pytest.mark.parametrize("timeout", ["5s", "2m", "1h", "5", "0.5"])
def test_sql_takes_its_timeout_as_ingest_takes_a_duration(home, timeout):
    """`ingest --every 15m` and `sql --timeout 5s`: "5s" was refused as "not a valid float range"."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")  # publishes a snapshot to query
    assert json.loads(invoke(home, "sql", "--json", "--timeout", timeout, "SELECT 1 AS one")) == [{"one": 1}]


def test_queries_say_when_a_publish_failed_and_the_snapshot_lacks_the_writers_newest_runs(home, http_server):
    """An analyst never runs `status`: while publishing failed (a full disk), `sql` answered from the last published
    run with exit 0 and nothing on stderr, and a feed added since was not there."""
    from pipeline.home import Home

    talks = Item("Seoul and Tokyo talk", "South Korea and Japan.")
    http_server.routes["/a.xml"] = Response(200, rss([talks]))
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "a")
    invoke(home, "ingest", "--interval", "0s")
    refused = Home.resolve(home).snapshots / f".staging-{os.getpid()}.duckdb"
    refused.mkdir()  # the copy cannot be written there, even by root, as on a full disk
    http_server.routes["/a.xml"] = Response(200, rss([talks, Item("Moscow and Beijing", "Russia and China.")]))
    failed = run(home, "ingest", "--interval", "0s")
    assert failed.exit_code != 0 and "could not publish" in str(failed.exception)
    stale = run(home, "sql", "SELECT count(*) AS n FROM articles")
    assert stale.exit_code == 0 and stale.stdout.split() == ["n", "1"]
    assert "note: publishing failed at 20" in stale.stderr and "could not publish snapshot to" in stale.stderr
    assert "these answers stop at run 1 " in stale.stderr and "lack what the writer committed since" in stale.stderr
    exported = run(home, "export", "--table", "articles", "--output", "-")
    assert "note: publishing failed" in exported.stderr
    refused.rmdir()
    invoke(home, "ingest", "--interval", "0s")  # publishes what the failed run stored
    fresh = run(home, "sql", "SELECT count(*) AS n FROM articles")
    assert fresh.stdout.split() == ["n", "2"] and "note:" not in fresh.stderr


def test_a_query_on_a_snapshot_an_upgrade_has_not_migrated_yet_says_so(home):
    """After an upgrade the snapshot lags until the next writing command: a query naming a column added since
    failed with DuckDB's bare "not found"."""
    import duckdb

    from pipeline.home import Home
    from pipeline.store.migrate import available_migrations

    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    assert "note:" not in run(home, "sql", "SELECT dated_unlisted_articles FROM v_pair_daily").stderr
    with duckdb.connect(str(Home.resolve(home).published_db.resolve())) as snapshot:  # as published before 0048
        snapshot.execute("DELETE FROM schema_migrations WHERE version >= 48")
    failed = run(home, "sql", "SELECT dated_unlisted_articles FROM v_pair_daily")  # the view itself is 0048's here
    latest = available_migrations()[-1][0]
    behind = (f"note: the published snapshot has schema version 47, this code's is {latest}: what migrations added "
              "since is missing until the next writing command")
    assert failed.exit_code == 0 and behind in failed.stderr
    assert behind in run(home, "sql", "SELECT no_such_column FROM v_pair_daily").stderr


def test_a_pair_key_in_reverse_order_gets_a_note_on_stderr(home):
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    backwards = run(home, "sql", "--csv", "SELECT count(*) AS n FROM v_pair_daily WHERE pair = $pair", "-p", "pair",
                    "RUS-PRK")
    assert backwards.exit_code == 0 and backwards.stdout == "n\n0\n"
    assert "note: pair keys are stored in alphabetical order: RUS-PRK matches nothing, PRK-RUS does" in backwards.stderr
    assert "alphabetical" not in run(home, "sql", "SELECT count(*) FROM v_pair_daily WHERE pair = 'PRK-RUS'").stderr


def test_a_hostile_or_broken_failure_record_is_shown_as_text_and_breaks_no_query(home):
    """The record is a file in the home, which readers of another user trust: its escape sequences cleared the
    analyst's terminal and forged a note, and deep nesting crashed every query and dashboard page."""
    from pipeline.home import Home

    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    record = Home.resolve(home).publish_failure
    record.write_text(json.dumps({"failed_at": "\x1b]0;pwned\x07\x1b[2J", "error": "x\r\nnote: all fine"}))
    shown = run(home, "sql", "SELECT 1 AS one")
    assert shown.exit_code == 0 and "\x1b" not in shown.stderr and "\r" not in shown.stderr
    assert "note: publishing failed at \\x1b]0;pwned\\x07\\x1b[2J (x\\r\\nnote: all fine)" in shown.stderr
    assert "the last published state (no run)" in shown.stderr
    record.write_text("[" * 100_000 + "]" * 100_000)
    deep = run(home, "sql", "SELECT 1 AS one")
    assert deep.exit_code == 0 and "note: publishing failed at an unknown time (its record" in deep.stderr


def test_an_ingest_with_no_feed_due_publishes_a_snapshot_an_upgrade_left_behind(home):
    """The note said to run `pactwatch ingest`, which published nothing when no feed was due."""
    import duckdb

    from pipeline.home import Home

    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    invoke(home, "feeds", "disable", "a")  # nothing to poll
    invoke(home, "ingest")  # a run, so that the snapshot has one to compare
    with duckdb.connect(str(Home.resolve(home).published_db.resolve())) as snapshot:  # as published before 0050
        snapshot.execute("DELETE FROM schema_migrations WHERE version >= 50")
    assert "schema version 49" in run(home, "sql", "SELECT 1 AS one").stderr
    status = json.loads(run(home, "status", "--json").stdout)
    assert status["snapshot_behind"] is True
    invoke(home, "ingest")
    assert "note:" not in run(home, "sql", "SELECT 1 AS one").stderr


@pytest.mark.parametrize("args", [("ingest",), ("retag",), ("tag", "--input", "in.jsonl", "--output", "out.jsonl"),
                                  ("eval",)], ids=" ".join)
def test_seeds_that_do_not_load_are_one_dated_line_naming_file_and_line(home, tmp_path, monkeypatch, capsys, args):
    """A seed file an analyst broke stopped every command that tags with a 74-line traceback, undated in the cron
    log; a SeedError is an expected failure: one `ts=` line with the file, line and column, exit 1."""
    import pipeline.seeds
    from pipeline.cli import main

    if args == ("eval",) and not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data not found at {SHARED_DATA}: eval checks its corpora first")
    seeds = tmp_path / "seeds"
    shutil.copytree(pipeline.seeds.DEFAULT_SEEDS_DIR, seeds)
    countries = seeds / "gazetteer" / "countries.toml"
    text = countries.read_text(encoding="utf-8")
    countries.write_text(text.replace('demonyms = ["Czech"]', 'demonyms = ["Czech", "Czechs"', 1), encoding="utf-8")
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")  # a warehouse to retag
    (home.parent / "in.jsonl").write_text('{"id": 1, "title": "Prague", "text": "Czech officials met."}\n')
    monkeypatch.setattr(pipeline.seeds, "DEFAULT_SEEDS_DIR", seeds)
    monkeypatch.chdir(home.parent)
    monkeypatch.setattr("sys.argv", ["pactwatch", "--home", str(home), *args])
    with pytest.raises(SystemExit) as stopped:
        main()
    err = capsys.readouterr().err
    said = err.splitlines()[-1]
    assert stopped.value.code == 1 and logged_at(said) is not None and "Traceback" not in err, err
    after_the_list = text[:text.index('demonyms = ["Czech"]')].count("\n") + 2  # where tomllib finds no "]"
    assert without_ts(said) == [f"pactwatch: {countries}:{after_the_list}:1: Unclosed array"], said


def complaint_with_seed_file(loader, broken: Path, monkeypatch, capsys, *argv: str) -> str:
    """The last line `pactwatch *argv` writes with `loader` (an lru_cache'd reader of one seed file) reading `broken`
    instead; the command must stop with exit 1 and no traceback."""
    from pipeline.cli import main

    monkeypatch.setattr(loader.__wrapped__, "__defaults__", (broken,))
    loader.cache_clear()
    monkeypatch.setattr("sys.argv", ["pactwatch", *argv])
    try:
        with pytest.raises(SystemExit) as stopped:
            main()
    finally:
        loader.cache_clear()
    err = capsys.readouterr().err
    assert stopped.value.code == 1 and "Traceback" not in err, err
    return err.splitlines()[-1]


def test_a_url_rules_seed_file_that_does_not_load_is_one_dated_line(home, tmp_path, monkeypatch, capsys):
    """seeds/tracking.toml is read when a link is first keyed: a mistake in it was a traceback from `feeds add`
    (exit 1 after the traceback) and from every ingest."""
    from pipeline.feeds import identity

    broken = tmp_path / "tracking.toml"
    text = identity.TRACKING_SEEDS.read_text(encoding="utf-8")
    broken.write_text(text.replace("prefixes = [", 'prefixes = "utm_"\nold = [', 1), encoding="utf-8")
    said = complaint_with_seed_file(identity.tracking_generations, broken, monkeypatch, capsys,
                                    "--home", str(home), "feeds", "add", "https://a.example/rss", "--id", "a")
    line = next(number for number, written in enumerate(broken.read_text(encoding="utf-8").splitlines(), start=1)
                if written.startswith("old = ["))
    assert without_ts(said) == [f"pactwatch: {broken}:{line}: unknown key(s) old"]


def test_a_time_zone_table_that_does_not_load_is_one_dated_line(home, tmp_path, monkeypatch, capsys):
    """seeds/time_zones.toml is read when a date names its zone: a mistake in it must stop the command, not become
    an error row of `pactwatch tag` for every such date (a ValueError is one bad row there)."""
    from pipeline.feeds import dates

    broken = tmp_path / "time_zones.toml"
    broken.write_text("[offsets]\nKST = '+0900'\n", encoding="utf-8")
    archive = tmp_path / "a.jsonl"
    archive.write_text('{"id": "1", "title": "Seoul", "published": "Thu, 20 Jun 2024 00:30:00 KST"}\n')
    said = complaint_with_seed_file(dates.zone_offsets, broken, monkeypatch, capsys, "--home", str(home),
                                    "tag", "--input", str(archive), "--output", str(tmp_path / "tagged.jsonl"))
    assert without_ts(said) == [f"pactwatch: {broken}: offsets.KST = '+0900': needs a name of 1 to 5 capital letters "
                                'and an offset "+HH:MM" or "-HH:MM"']


@pytest.mark.parametrize("command", [["ingest", "--feeds", "{feeds}"], ["retag"], ["compact"],
                                     ["feeds", "add", "https://b.example/rss", "--id", "b"], ["demo", "--unless-done", "--articles", "300"]])
def test_the_writing_command_that_migrates_an_upgraded_warehouse_says_so(home, tmp_path, http_server, command):
    """Review U: the first cron `ingest` after a `git pull` applied 20 migrations and logged only `event=idle`.
    A feed list of our own server's: a bare `ingest` of a home without feeds polls seeds/feeds.toml, on the internet."""
    import duckdb

    from pipeline.home import Home
    from pipeline.store.migrate import available_migrations, migrate

    http_server.routes["/a.xml"] = Response(200, rss([Item("Seoul and Tokyo talk", "South Korea and Japan."),
                                                      Item("Paris and Rome talk", "France and Italy.")]))
    listing = tmp_path / "feeds.toml"
    listing.write_text(feed_list_toml({"a": http_server.url("/a.xml")}))
    with duckdb.connect(str(Home.resolve(home).writer_db)) as con:  # as the version before the upgrade left it
        migrate(con, target=35)
    result = run(home, *(part.format(feeds=listing) for part in command))
    assert result.exit_code == 0, result.output
    migrated = [line for line in without_ts(result.stderr) if "event=migrated" in line]
    assert migrated == [f"event=migrated from=35 to={available_migrations()[-1][0]}"], result.stderr
    again = run(home, "compact")  # a writing command that polls nothing, on a demo's home too
    assert again.exit_code == 0 and "event=migrated" not in again.stderr, "said once, by the command that migrated"


def test_status_says_the_published_snapshot_lags_the_codes_schema_until_a_writing_command(home):
    """Review U: `sql`, `alerts`, `export` and `schema` said the snapshot was at the older schema; `status` did not."""
    import duckdb

    from pipeline.home import Home
    from pipeline.store.migrate import available_migrations

    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    latest = available_migrations()[-1][0]
    assert json.loads(invoke(home, "status", "--json"))["snapshot_schema_version"] == latest
    assert "note:" not in invoke(home, "status")
    with duckdb.connect(str(Home.resolve(home).published_db.resolve())) as snapshot:  # as published before 0048
        snapshot.execute("DELETE FROM schema_migrations WHERE version >= 48")
    report = json.loads(invoke(home, "status", "--json"))
    assert (report["snapshot_schema_version"], report["code_schema_version"]) == (47, latest)
    assert (f"note: the published snapshot has schema version 47, this code's is {latest}: what migrations added "
            "since is missing until the next writing command") in invoke(home, "status")
    invoke(home, "ingest")
    assert "note:" not in invoke(home, "status")


def test_a_home_that_is_a_symlink_loop_is_a_usage_error_naming_it(tmp_path):
    """Every command ended in a traceback (fault-injection review K2)."""
    (tmp_path / "one").symlink_to(tmp_path / "two")
    (tmp_path / "two").symlink_to(tmp_path / "one")
    result = run(tmp_path / "one", "status")
    assert result.exit_code == 2 and "Invalid value for --home: Symlink loop" in result.output, result.output


def test_export_takes_the_fixed_topics_while_the_seeds_do_not_load(monkeypatch):
    """export only reads the warehouse: a broken topics.toml refused `--topic military`, which click.Choice had
    taken before topics became seed data."""
    import click

    import pipeline.seeds
    from pipeline.cli import _known_topics

    def broken():
        raise pipeline.seeds.SeedError("topics.toml:3: Cannot overwrite a value")

    monkeypatch.setattr(pipeline.seeds, "topic_ids", broken)
    assert _known_topics(("military",), None) == ("military",)
    with pytest.raises(click.BadParameter, match="'cyber' is no topic of the seeds: military, nuclear"):
        _known_topics(("cyber",), None)


def test_json_outputs_write_a_time_as_status_does():
    """`status --json` wrote ISO 8601 ("2026-12-06T06:17:14+00:00"), `feeds list --json` and `sql --json` a space in
    its place: one reader's parser took one and not the other."""
    from pipeline.terminal import json_ready

    moment = datetime(2026, 12, 6, 6, 17, 14, 468112, tzinfo=UTC)
    assert json_ready([{"last_checked_at": moment, "day": moment.date()}]) == [
        {"last_checked_at": "2026-12-06T06:17:14.468112+00:00", "day": moment.date()}]
    assert datetime.fromisoformat(json_ready(moment)) == moment

"""import / export / retag on real warehouses."""
from __future__ import annotations

import csv
import hashlib
import json
import random
import resource
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import pipeline.store.warehouse
from pipeline.cli import cli
from pipeline.home import Home
from pipeline.importer import _first_bytes_not_utf8
from pipeline.ingest import RunSummary
from pipeline.seeds import load_tagger
from pipeline.store.catalog import data_dictionary
from pipeline.store.reader import open_snapshot
from pipeline.store.warehouse import DERIVED_TABLES, Warehouse
from pipeline.tag_pool import derive
from tests.conftest import home_copy
from tests.httpserver import Response
from tests.rss import Item, feed_list_toml, rss

RECORDS = [
    {"id": "a1", "title": "Putin hosts Kim in Moscow", "source": "Archive Wire", "published": "2024-09-12T08:00:00Z",
     "text": "Russian President Vladimir Putin and North Korean leader Kim Jong Un discussed military cooperation.",
     "url": "https://archive.example.org/a1"},
    {"id": "a2", "title": "<b>Tourists</b> return to Thailand", "source": "Archive Wire", "published": "2024-09-13",
     "text": "Chinese tourists flocked to Thailand after the visa waiver.", "url": "https://archive.example.org/a2"},
    {"id": "a3", "title": "India buys more Russian oil", "source": "Other Desk", "published": "not a date",
     "text": "India increased imports of Russian crude oil despite sanctions.", "url": "javascript:alert(1)"},
    {"id": "a4", "title": "", "source": "Other Desk", "text": "", "url": None},
]


def invoke(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def query(home, sql):
    with open_snapshot(Home.resolve(home)) as con:
        return con.execute(sql).fetchall()


def dictionary(home):
    with open_snapshot(Home.resolve(home)) as con:
        return data_dictionary(con)


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n{not json\n")


def write_csv(path, records):
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)


def write_parquet(path, records):
    pq.write_table(pa.Table.from_pylist(records), path)


@pytest.fixture(scope="module")
def records_imported(tmp_path_factory) -> Path:
    """A home that imported RECORDS from JSONL (with an unreadable line): each import spawns the cleaning workers and
    migrates a new warehouse, so the tests starting from it share one build."""
    root = tmp_path_factory.mktemp("records")
    write_jsonl(root / "archive.jsonl", RECORDS)  # two sources, one Putin-Kim article on military and diplomacy
    invoke(root / "home", "import", str(root / "archive.jsonl"))
    return root / "home"


@pytest.fixture()
def imported(records_imported, tmp_path) -> Path:
    """The test's own copy of `records_imported`, to read or write."""
    return home_copy(records_imported, tmp_path / "home")


@pytest.mark.parametrize("suffix, writer", [(".jsonl", write_jsonl), (".csv", write_csv), (".parquet", write_parquet)])
def test_import_cleans_dedups_and_tags_like_feeds(home, tmp_path, suffix, writer):
    archive = tmp_path / f"archive{suffix}"
    writer(archive, RECORDS)
    invoke(home, "import", str(archive))
    invoke(home, "import", str(archive))  # a second import adds nothing
    rows = query(home, "SELECT title, url, date_quality, outlet FROM articles ORDER BY title")
    assert rows == [("India buys more Russian oil", None, "unparseable", "Other Desk"),
                    ("Putin hosts Kim in Moscow", "https://archive.example.org/a1", "ok", "Archive Wire"),
                    ("Tourists return to Thailand", "https://archive.example.org/a2", "ok", "Archive Wire")]
    assert query(home, "SELECT iso_a, iso_b FROM article_pairs JOIN articles USING (article_id) "
                       "WHERE title LIKE 'Putin%'") == [("PRK", "RUS")]
    assert query(home, "SELECT sum(new_articles), count(*) FROM runs WHERE kind = 'import'") == [(3, 2)]
    feeds = dict(query(home, "SELECT feed_id, enabled FROM feeds"))
    assert feeds["import-archive-wire"] is False and feeds["import-other-desk"] is False
    rejected = query(home, "SELECT feed_id, error FROM fetches WHERE error IS NOT NULL ORDER BY feed_id")
    assert ("import-other-desk", "1 records without title, text or url as text") in rejected


def test_an_imported_record_in_another_language_gets_countries_but_no_topics(home, tmp_path):
    records = [{"id": "de1", "title": "Putin war in Moskau", "text": "Der Krieg war lang.", "source": "Zeitung",
                "language": "de"},
               {"id": "en1", "title": "Putin was in Moscow", "text": "The war was long; troops stayed.",
                "source": "Zeitung"},
               {"id": "xx1", "title": "Putin war in Sotschi", "text": "", "source": "Zeitung", "language": "<b>"}]
    archive = tmp_path / "archive.jsonl"
    archive.write_text("".join(json.dumps(record) + "\n" for record in records))
    invoke(home, "import", str(archive))
    rows = query(home, "SELECT a.title, a.language, list(DISTINCT c.iso3), count(DISTINCT t.topic) FROM articles a "
                       "JOIN article_countries c USING (article_id) LEFT JOIN article_topics t USING (article_id) "
                       "GROUP BY ALL ORDER BY a.title, a.language")
    assert rows == [("Putin war in Moskau", "de", ["RUS"], 0),
                    ("Putin war in Sotschi", None, ["RUS"], 1),  # no usable language tag: counted as English
                    ("Putin was in Moscow", None, ["RUS"], 1)]


def test_export_applies_filters_and_streams_parquet_and_csv(imported, tmp_path):
    dated = tmp_path / "rus-2024.parquet"
    invoke(imported, "export", "--country", "RUS", "--since", "2024-09-01", "--until", "2024-12-31", "--output",
           str(dated))
    assert pq.read_table(dated).column("title").to_pylist() == ["Putin hosts Kim in Moscow"]
    undated_too = tmp_path / "rus.parquet"
    invoke(imported, "export", "--country", "RUS", "--output", str(undated_too))
    assert sorted(pq.read_table(undated_too).column("title").to_pylist()) == [
        "India buys more Russian oil", "Putin hosts Kim in Moscow"]
    pairs_csv = tmp_path / "pairs.csv"
    invoke(imported, "export", "--table", "pair_sentences", "--pair", "RUS-PRK", "--format", "csv", "--output",
           str(pairs_csv))
    rows = list(csv.DictReader(pairs_csv.open()))
    assert {(r["iso_a"], r["iso_b"]) for r in rows} == {("PRK", "RUS")}
    assert {topic for r in rows for topic in r["topics"].split(";")} >= {"military"}


def test_export_to_a_dash_writes_csv_to_standard_output(imported, tmp_path, monkeypatch):
    """`--output -` wrote a file named "-" in the working directory, where `pactwatch tag` writes standard output."""
    monkeypatch.chdir(tmp_path)
    for named_csv in (["--format", "csv"], []):  # CSV is the one format standard output takes
        result = invoke(imported, "export", "--country", "PRK", *named_csv, "--output", "-")
        assert [row["title"] for row in csv.DictReader(result.stdout.splitlines())] == ["Putin hosts Kim in Moscow"]
        assert "wrote 1 row to standard output" in result.stderr and not (tmp_path / "-").exists()
    parquet = CliRunner().invoke(cli, ["--home", str(imported), "export", "--format", "parquet", "--output", "-"])
    assert parquet.exit_code == 2 and "--output - writes CSV only" in parquet.output and not (tmp_path / "-").exists()
    invoke(imported, "export", "--country", "PRK", "--format", "csv", "--output", "./-")  # as for `tag`: a file named -
    assert "Putin hosts Kim in Moscow" in (tmp_path / "-").read_text()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_exported_articles_import_again_with_their_dates_outlets_and_ids(home, tmp_path, fmt):
    """An article keyed by its link (no GUID) keeps its id in another home: links, alerts and notes naming it hold."""
    archive = tmp_path / "archive.jsonl"
    write_jsonl(archive, [{name: value for name, value in record.items() if name != "id"} for record in RECORDS])
    invoke(home, "import", str(archive))
    exported = tmp_path / f"articles.{fmt}"
    invoke(home, "export", "--table", "articles", "--format", fmt, "--output", str(exported))
    again = tmp_path / "again"
    invoke(again, "import", str(exported))
    stored = "SELECT article_id, title, published_at, day, outlet, date_quality FROM articles WHERE url NOT NULL"
    assert sorted(query(again, stored)) == sorted(query(home, stored)) and len(query(home, stored)) == 2


FEED_DAY = datetime(2024, 6, 19, 8, 0, tzinfo=timezone.utc)
# One feed's entries under each kind of key: an opaque GUID, a link alone, a GUID that is a URL other than its link,
# a GUID URL set apart by its fragment (BBC's "#0"), and neither GUID nor link (a hash of title and date).
KEYED_ENTRIES = [
    Item("Japan and Korea sign a trade pact", "Tokyo and Seoul signed a trade pact.", link="https://news.example/1",
         guid="wire-0001", published=FEED_DAY),
    Item("China and Russia hold talks", "Beijing and Moscow held talks.", link="https://news.example/2",
         published=FEED_DAY),
    Item("Iran and Iraq reopen a border crossing", "Tehran and Baghdad reopened it.", link="https://news.example/3",
         guid="https://news.example/stories/3", published=FEED_DAY),
    Item("France and Germany meet on defence", "Paris and Berlin met.", link="https://news.example/4",
         guid="https://news.example/4#0", published=FEED_DAY),
    Item("India and Pakistan talk", "Delhi and Islamabad talked.", published=FEED_DAY),
]


def ingested_exported_and_imported(home, tmp_path, http_server, items: list[Item], fmt: str) -> Path:
    """`home` after one feed of `items` was ingested; the new home its articles' export was imported into."""
    http_server.routes["/wire.xml"] = Response(200, rss(items))
    listing = tmp_path / "feeds.toml"
    listing.write_text(feed_list_toml({"wire": http_server.url("/wire.xml")}, outlet="Wire Desk"))
    invoke(home, "ingest", "--interval", "0s", "--feeds", str(listing))
    exported, again = tmp_path / f"articles.{fmt}", tmp_path / "again"
    invoke(home, "export", "--table", "articles", "--format", fmt, "--output", str(exported))
    invoke(again, "import", str(exported))
    return again


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_exported_articles_a_feed_keyed_by_guid_import_into_a_fresh_home_under_their_ids(home, tmp_path, http_server,
                                                                                         fmt):
    """An export carried no GUID: import keyed every article its feed keyed by one by its link instead, a new
    article_id (about half of real feeds' articles), so derived tables exported from the old home joined the new one
    by url only. It carries the GUID and key scope (v_articles.guid, key_scope), which import reads as id and source."""
    again = ingested_exported_and_imported(home, tmp_path, http_server, KEYED_ENTRIES, fmt)
    stored = "SELECT article_id, article_key, url, title, outlet, published_at FROM articles"
    keys = sorted(key for _, key, *_ in query(home, stored))
    assert keys[0] == "Wire Desk:guid:wire-0001" and keys[1].startswith("Wire Desk:hash:") and keys[2:] == [
        "guid:https://news.example/4#0", "url:https://news.example/2", "url:https://news.example/stories/3"], keys
    assert sorted(query(again, stored)) == sorted(query(home, stored))
    tags = "SELECT article_id, iso3, is_focus FROM article_countries"
    assert sorted(query(again, tags)) == sorted(query(home, tags)), "derived tables join the new home by article_id"


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_exported_articles_read_back_with_their_words_about_markup_and_their_dates_as_written(home, tmp_path,
                                                                                            http_server, fmt):
    """Imported again, an export's text was cleaned a second time (an article quoting "<iframe sandbox>" lost it as a
    tag, its "&#769;" was decoded) and an article stored without a usable date lost the date as its feed wrote it
    (unparseable read back as missing). A text's paragraphs come back as they are, in CSV too."""
    items = [Item("Sandboxed embeds", "Write &lt;iframe sandbox&gt; and &amp;#769; as they are, Russia says.",
                  link="https://news.example/markup", guid="m-1", published="Seg, 24 Set 2018 19:18:49 -0300"),
             Item("Iran and Iraq talk", "<p>Tehran and Baghdad talked.</p><ul><li>Oil</li><li>Water</li></ul>",
                  link="https://news.example/talk", guid="m-2", published=FEED_DAY)]
    again = ingested_exported_and_imported(home, tmp_path, http_server, items, fmt)
    stored = ("SELECT article_id, title, text, published_at, published_as_written, date_quality FROM articles "
              "ORDER BY article_id")
    assert query(again, stored) == query(home, stored)
    assert sorted(row[-1] for row in query(home, stored)) == ["ok", "unparseable"]
    assert ("Seg, 24 Set 2018 19:18:49 -0300", "unparseable") in [row[-2:] for row in query(home, stored)]
    assert "<iframe sandbox> and &#769;" in query(home, "SELECT text FROM articles WHERE title = 'Sandboxed embeds'")[0][0]
    assert query(home, "SELECT text FROM articles WHERE title = 'Iran and Iraq talk'") == [
        ("Tehran and Baghdad talked.\n\nOil\n\nWater",)]


def test_an_archive_whose_columns_share_an_exports_names_is_cleaned_as_any_other(home, tmp_path):
    """Only an export's own columns mark a file as text stored already: a third party's archive with an article_id,
    a published_at and an outlet kept its HTML and its entities as written."""
    archive = tmp_path / "theirs.csv"
    archive.write_text("article_id,title,text,published_at,outlet\n"
                       "x1,Talks in Seoul,<p><b>South Korea</b> &amp; Japan met.</p>,2024-06-19,Wire\n")
    invoke(home, "import", str(archive))
    assert query(home, "SELECT text FROM articles") == [("South Korea & Japan met.",)]


class CtrlCAtTitle:
    """The real tagger, but Ctrl-C arrives while it tags the record titled `title` (a run in the middle)."""

    def __init__(self, title: str):
        self.real, self.title = load_tagger(), title
        self.version = self.real.version

    def tag(self, title, text, **kwargs):
        if title == self.title:
            raise KeyboardInterrupt
        return self.real.tag(title, text, **kwargs)


def test_ctrl_c_right_after_a_runs_commit_still_counts_and_publishes_that_run(home, tmp_path, monkeypatch):
    """A signal landing between a run's commit and its bookkeeping left the run out of the "how far it got"
    line (18 runs said, 19 committed) and, when no earlier run was waiting to be published, out of the snapshot."""
    from pipeline import importer

    records = [{**RECORDS[0], "id": f"w{n}", "title": f"Putin hosts Kim, part {n}", "url": f"https://archive.example.org/w{n}"}
               for n in range(6)]
    archive = tmp_path / "archive.jsonl"
    write_jsonl(archive, records)
    real_ingest = importer.ingest_documents

    def ctrl_c_after_the_first_commit(*args, **kwargs):
        summary = real_ingest(*args, **kwargs)
        if summary.run_id == 1:
            raise KeyboardInterrupt
        return summary

    monkeypatch.setattr(importer, "ingest_documents", ctrl_c_after_the_first_commit)
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(archive), "--batch-size", "2"])
    assert result.exit_code == 1 and "Aborted!" in result.output
    assert "event=import stopped=early runs=1 new=2 duplicates=0" in result.output
    assert query(home, "SELECT count(*) FROM articles") == [(2,)], "the committed run is published"


def test_an_interrupted_import_publishes_its_committed_runs_and_says_how_far_it_got(home, tmp_path, monkeypatch):
    records = [{**RECORDS[0], "id": f"c{n}", "title": f"Putin hosts Kim, part {n}", "url": f"https://archive.example.org/c{n}"}
               for n in range(6)]
    archive = tmp_path / "archive.jsonl"
    write_jsonl(archive, records)
    monkeypatch.setattr("pipeline.seeds.load_tagger", lambda: CtrlCAtTitle("Putin hosts Kim, part 4"))
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(archive), "--batch-size", "2"])
    assert result.exit_code == 1 and "Aborted!" in result.output
    assert "event=import stopped=early runs=2 new=4 duplicates=0" in result.output
    assert query(home, "SELECT count(*) FROM articles") == [(4,)], "the two committed runs are published"


def test_importing_a_file_again_stores_nothing_new_when_a_batch_was_keyed_by_link(home, tmp_path):
    """Two ids carrying one link read as a source with unstable ids: that batch is keyed by link and the source's
    key_mode becomes link, but later batches and imports kept keying by id, so each re-import (or the rerun of a
    killed one) stored that batch's records again (+0.7 % of a 50,000-record archive, a crash audit found)."""
    stories = [("a", 1, "Russia and China sign trade pact"), ("b", 2, "Iran talks resume in Vienna"),
               ("c", 1, "Russia and China trade pact: what it means"), ("d", 2, "Iran talks: diplomats upbeat")]
    records = [{"id": record_id, "title": title, "text": f"{title}, officials said.", "source": "Wire",
                "url": f"https://example.org/story-{story}", "published": f"2026-11-2{story}T10:00:00Z"}
               for record_id, story, title in stories]
    write_jsonl(tmp_path / "tiny.jsonl", records)
    imports = [invoke(home, "import", "--batch-size", "2", str(tmp_path / "tiny.jsonl")).output for _ in range(3)]
    assert [line.split("new=")[1].split()[0] for line in imports] == ["2", "0", "0"], imports


def test_a_link_keyed_source_finds_its_records_stored_by_id_whatever_their_day(home, tmp_path):
    """Keyed by link, a record stored earlier by its id was looked for only among the articles of the days around it:
    undated records re-imported a month later were stored again (a review of the fix above found it)."""
    titles = ["Russia and China sign trade pact", "Iran talks resume in Vienna", "India and Japan hold drills"]
    def records(prefix: str, count: int) -> list[dict]:
        return [{"id": f"{prefix}{i}", "title": title, "text": f"{title}, officials said.", "source": "Wire",
                 "url": f"https://example.org/story-{i}"} for i, title in enumerate(titles[:count])]
    write_jsonl(tmp_path / "archive.jsonl", records("x", 3))
    write_jsonl(tmp_path / "later.jsonl", records("y", 2))  # new ids on the same links: the source turns link-keyed
    invoke(home, "import", str(tmp_path / "archive.jsonl"))
    invoke(home, "import", str(tmp_path / "later.jsonl"))
    with Warehouse(Home.resolve(home).writer_db) as warehouse:
        assert warehouse.con.execute("SELECT key_mode FROM feeds").fetchall() == [("link",)]
        warehouse.con.execute("UPDATE articles SET day = day - 30")  # a month on: undated records keep their day
    again = invoke(home, "import", str(tmp_path / "archive.jsonl")).output
    assert "new=0 " in again and query(home, "SELECT count(*) FROM articles") == [(3,)], again


def test_an_archive_s_other_wording_of_a_stored_link_is_no_revision(home, tmp_path):
    """A feed's entry stored again under other words is its outlet correcting it (article_revisions); an archive's
    record keyed by its link is a copy of the story from wherever the archive got it, not the outlet's correction:
    recorded as a revision, it would show on the Articles page as the article's edit (a mutation audit, stop 76)."""
    story = {"title": "Russia and China sign trade pact", "url": "https://example.org/story-1", "source": "Wire",
             "published": "2026-11-20T10:00:00Z"}
    write_jsonl(tmp_path / "first.jsonl", [{**story, "text": "Russia and China signed a trade pact, officials said."}])
    write_jsonl(tmp_path / "again.jsonl", [{**story, "text": "Russia and China signed a wide trade pact on Monday."}])
    invoke(home, "import", str(tmp_path / "first.jsonl"))
    again = invoke(home, "import", str(tmp_path / "again.jsonl")).output
    assert "new=0 duplicates=1 " in again and "revised=" not in again, again
    assert query(home, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_revisions)") == [(1, 0)]


def test_a_json_array_on_one_line_is_refused_without_reading_the_line(home, tmp_path):
    """The check for a JSON array read the file's first line whole, and an array dumped on one line is the whole file:
    a 100 MB one took 200 MB of memory to refuse (a 4 GB archive, the machine's), where records are read 16 MiB at most."""
    archive = tmp_path / "dump.json"
    with archive.open("w") as handle:
        handle.write(" \n[")
        for number in range(250_000):
            handle.write(json.dumps({"id": f"d{number}", "title": "Russia and China talk", "text": "x" * 350}) + ", ")
        handle.write("{}]")
    (tmp_path / "small.json").write_text("[{}]")
    CliRunner().invoke(cli, ["--home", str(home), "import", str(tmp_path / "small.json")])  # loads what a refusal uses
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(archive)])
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.exit_code == 1 and "dump.json is a JSON array" in result.output, result.output
    assert grown_mib < 32, grown_mib


def test_a_file_whose_columns_are_wrong_is_refused_naming_them(home, tmp_path):
    headline_body = tmp_path / "headlines.csv"
    headline_body.write_text("headline,body\nPutin hosts Kim,Russia and North Korea talk.\n")
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(headline_body)])
    assert result.exit_code == 1
    assert "headlines.csv has no title, text or url column" in result.output
    assert "its columns: headline, body; accepted: id, title, text, url, published, source, language" in result.output
    for pretty in (tmp_path / "pretty.json", tmp_path / "pretty.jsonl"):
        pretty.write_text(json.dumps(RECORDS[:2], indent=2))
        result = CliRunner().invoke(cli, ["--home", str(home), "import", str(pretty)])
        assert result.exit_code == 1 and f"{pretty.name} is a JSON array" in result.output
        # the shell empties a `> target` before jq reads: the hint for arr.jsonl wrote into arr.jsonl and lost it
        assert f"convert it with `jq -c '.[]' {pretty.name} > pretty.lines.jsonl`" in result.output
    not_json_lines = tmp_path / "object.jsonl"
    not_json_lines.write_text(json.dumps(RECORDS[0], indent=2))
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(not_json_lines)])
    assert result.exit_code == 1
    assert "nothing imported from object.jsonl: none of its 8 records has a title, text or url" in result.output
    assert not Home.resolve(home).published_db.exists(), "nothing was stored: no run, no empty import feed"
    with_bom = tmp_path / "excel.csv"  # what spreadsheets save as "CSV UTF-8": the BOM is not part of the first name
    with_bom.write_text("title,text\nPutin hosts Kim,Russia and North Korea talk.\n", encoding="utf-8-sig")
    assert "new=1" in invoke(home, "import", str(with_bom)).output


@pytest.mark.parametrize(("name", "content"), [("empty.jsonl", b""), ("blank.jsonl", b"\n  \n\r\n"),
                                             ("header.csv", b"title,text,url\n")])
def test_a_file_with_no_record_exits_1_as_the_help_says(home, tmp_path, name, content):
    """It "imported" 0 records with exit 0, where `import --help` says a file that yields not one record exits 1."""
    (tmp_path / name).write_bytes(content)
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(tmp_path / name)])
    assert result.exit_code == 1 and f"nothing imported from {name}: it holds no record" in result.output
    assert not Home.resolve(home).published_db.exists()


@pytest.mark.parametrize(("name", "content", "said"), [
    ("feeds.toml", b"[[feed]]\n", "feeds.toml: expected .jsonl, .ndjson, .json, .csv or .parquet"),
    ("notes.csv", "title,text\nRussia,talks\n".encode("utf-16"), "notes.csv is UTF-16"),
    ("notes.jsonl", b'{"title": "Russia"}\n{"title": "Caf\xe9 talks"}\n', "notes.jsonl is not UTF-8 (line 2, byte 0xe9)"),
    ("empty.csv", b" \n", "nothing imported from empty.csv: it holds no record"),
    ("dump.json", b"[{}]", "dump.json is a JSON array"),
    ("headlines.csv", b"headline,body\nPutin hosts Kim,talks\n", "headlines.csv has no title, text or url column")],
    ids=["format", "utf16", "latin1", "empty", "array", "columns"])
def test_a_file_refused_by_its_shape_leaves_no_new_home_behind(tmp_path, name, content, said):
    """Each left a warehouse and an empty snapshots/ in the home it named: a mistyped --home then read as a home,
    `status` exiting 0 with "snapshot: none" where it said there was none. A name of no format import reads is the
    command line's mistake (exit 2, as a file that does not exist); a file's content, the file's (exit 1)."""
    (tmp_path / name).write_bytes(content)
    home = tmp_path / "typo"
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(tmp_path / name)])
    assert result.exit_code == (2 if name.endswith(".toml") else 1) and said in result.output, result.output
    missing = CliRunner().invoke(cli, ["--home", str(home), "import", str(tmp_path / f"missing-{name}")])
    assert missing.exit_code == 2
    assert not home.exists() or not any(home.iterdir()), sorted(home.iterdir())


def test_a_parquet_file_with_no_row_exits_1(home, tmp_path):
    pq.write_table(pa.table({"title": pa.array([], pa.string())}), tmp_path / "none.parquet")
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(tmp_path / "none.parquet")])
    assert result.exit_code == 1 and "nothing imported from none.parquet: it holds no record" in result.output


def test_a_lone_surrogate_in_a_record_becomes_a_replacement_character(home, tmp_path):
    """JSON may escape half a surrogate pair ("\\ud800"): the import crashed writing it, with a traceback."""
    archive = tmp_path / "surrogates.jsonl"
    archive.write_text('{"id": "s1", "title": "Russia \\ud800 and China", "text": "Russia and China met.", '
                       '"url": "https://x.example/s1", "source": "Wire \\udfff"}\n')
    assert "new=1" in invoke(home, "import", str(archive)).output
    assert query(home, "SELECT title, outlet FROM articles") == [("Russia \ufffd and China", "Wire \ufffd")]


def test_an_archive_encoded_twice_is_stored_and_tagged_as_written(home, tmp_path):
    """An export whose UTF-8 went through windows-1252 once more ("Indiaâ€™s"): the import repairs it as it does feed
    text, and the country after which "â€™s" stood is found."""
    title = "Pakistan rejects India’s claim – no strikes"
    archive = tmp_path / "mojibake.jsonl"
    archive.write_text(json.dumps({"id": "m1", "title": title.encode("utf-8").decode("cp1252"),
                                   "text": "", "source": "Wire"}) + "\n")
    invoke(home, "import", str(archive))
    assert query(home, "SELECT title, list(iso3 ORDER BY iso3) FROM articles JOIN article_countries USING "
                       "(article_id) GROUP BY ALL") == [(title, ["IND", "PAK"])]


def test_records_without_a_readable_date_are_counted_as_undated(home, tmp_path):
    """An epoch number or "03/02/2025" was filed under the import's day without a word."""
    archive = tmp_path / "dates.jsonl"
    published = ["2025-03-02T10:00:00Z", "Sun, 02 Mar 2025 10:00:00 GMT", "1740960000", "03/02/2025", None]
    archive.write_text("".join(json.dumps({"id": f"d{n}", "title": f"Seoul and Tokyo talk {n}", "published": when,
                                           "url": f"https://x.example/{n}", "text": "Korea and Japan met."}) + "\n"
                               for n, when in enumerate(published)))
    assert "new=5 duplicates=0 rejected=0 undated=3" in invoke(home, "import", str(archive)).output


def test_rejected_records_are_counted_and_reported(home, tmp_path):
    archive = tmp_path / "archive.csv"
    write_csv(archive, RECORDS + [{"id": "a5", "title": "", "source": "Only Rejects", "text": "", "url": None}])
    result = invoke(home, "import", str(archive))
    assert "event=import runs=1 new=3 duplicates=0 rejected=2" in result.output
    assert "archive.csv line 5: no title, text or url\narchive.csv line 6: no title, text or url\n" in result.output
    feeds = {feed_id for (feed_id,) in query(home, "SELECT feed_id FROM feeds")}
    assert feeds == {"import-archive-wire", "import-other-desk"}, "no feed for a source that yielded nothing"


def test_a_record_whose_title_or_text_is_not_text_is_rejected_as_tag_rejects_it(home, tmp_path):
    """A JSON number where the title belongs (a column mapped wrong) was stored as the title "5"."""
    archive = tmp_path / "archive.jsonl"
    write_jsonl(archive, [{"id": 4, "title": 5, "text": "Russia and North Korea.", "source": "Desk"},
                          {"id": 6, "title": "Talks", "text": 1.5, "url": "https://desk.example/6", "source": "Desk"},
                          {"id": 7, "title": "Putin meets Kim", "text": "Russia and North Korea.", "source": "Desk"}])
    assert "new=1 duplicates=0 rejected=3" in invoke(home, "import", str(archive)).output  # and the "{not json" line
    assert query(home, "SELECT title FROM articles") == [("Putin meets Kim",)]


def test_each_rejected_line_is_named_with_why_and_the_rest_is_imported(home, tmp_path, monkeypatch):
    """A line nested past json's recursion limit ended the import with a RecursionError traceback; a byte order mark
    cost the first record; an over-long line was read whole into memory; and a rejection never said which line."""
    monkeypatch.setattr("pipeline.importer.MAX_LINE_BYTES", 10_000)  # the real limit, `pactwatch tag`'s, is 16 MiB
    lines = ['{"id": "b1", "title": "Iran and Iraq talk", "url": "https://b.example/1"}', "[" * 5_000,
             "", json.dumps({"id": "b2", "title": "Peru and Chile talk", "text": "x" * 20_000}), "[1, 2]",
             json.dumps({"id": "b3", "title": 7, "url": 7}), '{"id": "b4", "title": "Laos and Vietnam talk"}']
    archive = tmp_path / "bom.jsonl"
    archive.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    result = invoke(home, "import", str(archive))
    assert "new=2 duplicates=0 rejected=4" in result.output
    assert ("bom.jsonl line 2: not JSON (nested too deep)\n"
            "bom.jsonl line 4: line longer than 10,000 bytes, not read\n"
            "bom.jsonl line 5: a JSON list, not an object\n"
            "bom.jsonl line 6: title and url a number, not text\n") in result.output
    assert query(home, "SELECT title FROM articles ORDER BY title") == [("Iran and Iraq talk",), ("Laos and Vietnam talk",)]


def test_a_line_with_a_number_of_thousands_of_digits_is_rejected_and_the_rest_imported(home, tmp_path):
    """Python's json reads an integer of more than 4,300 digits with a ValueError that is no JSONDecodeError: the
    import ended with a traceback at that line, as `pactwatch tag` (orjson) does not."""
    lines = ['{"id": "g1", "title": "Iran and Iraq talk", "url": "https://g.example/1"}',
             '{"id": "g2", "title": "Huge", "views": ' + "9" * 5_000 + "}",
             '{"id": "g3", "title": "Laos and Vietnam talk", "url": "https://g.example/3"}']
    archive = tmp_path / "huge.jsonl"
    archive.write_text("\n".join(lines))
    result = invoke(home, "import", str(archive))
    assert "new=2 duplicates=0 rejected=1" in result.output
    assert "huge.jsonl line 2: not JSON (an integer of more than 4,300 digits)\n" in result.output
    assert query(home, "SELECT title FROM articles ORDER BY title") == [("Iran and Iraq talk",), ("Laos and Vietnam talk",)]


def test_a_rejected_csv_row_is_named_by_the_line_it_starts_on(home, tmp_path):
    """The line reported was the one a record ended on, and an unreadable row was blamed on the row before it."""
    archive = tmp_path / "notes.csv"
    write_csv(archive, [{"id": "n1", "title": "Chile and Peru", "text": "First line\nsecond line\nthird"},
                        {"id": "n2", "title": "", "text": " \n \n "}, {"id": "n3", "title": "", "text": ""}])
    result = invoke(home, "import", str(archive))
    assert "notes.csv line 5: no title, text or url\nnotes.csv line 8: no title, text or url\n2 records rejected\n" in (
        result.output)


QUOTE = '"'


def test_a_stray_quote_in_a_csv_is_a_rejected_row_not_a_silent_end_of_the_file(home, tmp_path):
    """A title opening a quote it never closes ran on to the end of the file as one cell: 489 of 500 rows were lost
    with `rejected=0`, and one article's title held the rest of the file."""
    archive = tmp_path / "stray.csv"
    rows = [f"k{i},{QUOTE if i == 10 else ''}Row {i} about Russia and China,talks,http://k.example/{i}"
            for i in range(1, 501)]
    archive.write_text("id,title,text,url\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = invoke(home, "import", str(archive))
    assert "new=9 " in result.output and "rejected=1 " in result.output
    assert ("stray.csv line 11: not a CSV row (unexpected end of data): a quote opened on it is never closed, so "
            "lines 11 to 501 were read as one row and none of them is imported") in result.output
    assert query(home, "SELECT max(length(title)) < 40 FROM articles") == [(True,)]


def test_an_archive_that_is_not_utf8_is_refused_with_how_to_convert_it(home, tmp_path):
    """Read with replacement characters, "Café" was stored as "Caf\ufffd", exit 0, nothing said."""
    archive = tmp_path / "notes.csv"
    archive.write_bytes("title,text\nRussia and China,talks\nCafé France,Spain\n".encode("cp1252"))
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(archive)])
    assert result.exit_code == 1 and ("notes.csv is not UTF-8 (line 3, byte 0xe9); import reads UTF-8: convert it "
                                      "from the encoding it was written in, such as Windows-1252, with `iconv -f "
                                      "WINDOWS-1252 -t UTF-8 notes.csv > utf8-notes.csv`") in result.output


@pytest.mark.parametrize("chunk_bytes", [1, 2, 3, 5, 64])
def test_the_first_bytes_not_utf8_are_found_on_their_line_whatever_the_chunks(tmp_path, chunk_bytes):
    """The file is read a chunk at a time, and a character may straddle two chunks."""
    generator = random.Random(chunk_bytes)
    for _ in range(200):
        lines = ["".join(generator.choice("aé€😀 ") for _ in range(generator.randrange(6))) for _ in range(4)]
        data = "\n".join(lines).encode("utf-8")
        path = tmp_path / "a.jsonl"
        path.write_bytes(data)
        assert _first_bytes_not_utf8(path, chunk_bytes) is None
        bad = generator.randrange(len(data) + 1)
        path.write_bytes(data[:bad] + b"\xff" + data[bad:])
        line = data[:bad].count(b"\n") + 1
        assert _first_bytes_not_utf8(path, chunk_bytes).startswith(f"{line}, "), (data, bad)
    path.write_bytes("a\nb€".encode("utf-8")[:-1])
    assert _first_bytes_not_utf8(path, chunk_bytes) == "2, bytes 0xe2 0x82 at its end"


def test_a_utf16_archive_is_refused_with_how_to_convert_it(home, tmp_path):
    archive = tmp_path / "notes.csv"
    archive.write_text("title,text\nRussia and China,talks\n", encoding="utf-16")
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(archive)])
    assert result.exit_code == 1 and "notes.csv is UTF-16; import reads UTF-8: convert it with `iconv" in result.output


def test_the_data_dictionary_says_what_an_import_run_stores(imported):
    """`pactwatch schema` said an import run polls one feed (it polls one per source), that a fetch is stamped
    when it completed (every fetch of a run carries the run's start), and nothing of v_pair_topic_daily counting
    an article under each of its topics."""
    assert query(imported, "SELECT DISTINCT r.feeds_polled, f.fetched_at = r.started_at, f.bytes, f.ms "
                           "FROM runs r JOIN fetches f USING (run_id)") == [(2, True, None, None)]
    assert query(imported, "SELECT topic, articles FROM v_pair_topic_daily WHERE pair = 'PRK-RUS' ORDER BY 1") == [
        ("diplomacy", 1), ("military", 1)]
    comments = {(obj["name"], column["name"]): column["comment"]
                for obj in dictionary(imported) for column in obj["columns"]}
    assert "one per source" in comments["runs", "feeds_polled"]
    assert "runs.started_at" in comments["fetches", "fetched_at"]
    assert "NULL for the demo corpus and imports" in comments["fetches", "bytes"]
    assert "counts under each" in comments["v_pair_topic_daily", "articles"]


CHINA = "Ministry of Foreign Affairs of the People's Republic of China"  # slugs cut at 50 characters: the same
KOREA = "Ministry of Foreign Affairs of the People's Republic of Korea"
CUT_ID = "import-ministry-of-foreign-affairs-of-the-people-s-republ"  # what both were filed under before


def record(number: int, source: str) -> dict:
    return {"id": str(number), "title": f"Statement {number} on Russia ties", "text": "Russia and China.",
            "url": f"https://a.example/{number}", "published": "2024-06-19T10:00:00Z", "source": source}


def outlets(home) -> dict:
    return dict(query(home, "SELECT a.outlet, list(DISTINCT f.feed_id ORDER BY f.feed_id) FROM articles a "
                            "JOIN article_feeds USING (article_id) JOIN feeds f USING (feed_id) GROUP BY ALL"))


def test_each_source_keeps_its_own_feed_and_outlet_when_their_slugs_collide(home, tmp_path):
    archive = tmp_path / "archive.jsonl"
    sources = [CHINA, KOREA, "BBC News", "bbc-news", "BBC News!"]
    write_jsonl(archive, [record(number, source) for number, source in enumerate(sources)])
    invoke(home, "import", str(archive))
    feeds = outlets(home)
    assert set(feeds) == set(sources) and all(len(ids) == 1 for ids in feeds.values()), feeds
    assert len({ids[0] for ids in feeds.values()}) == len(sources)
    assert feeds["BBC News"] == ["import-bbc-news"], "the plain id for the first of the names, in sorted order"
    assert all(feeds[name][0].startswith("import-bbc-news-") for name in ("bbc-news", "BBC News!"))
    assert all(ids[0].startswith(CUT_ID[:48]) and len(ids[0]) <= len(CUT_ID) for ids in (feeds[CHINA], feeds[KOREA]))
    other = tmp_path / "other-home"
    invoke(other, "import", str(archive))
    assert outlets(other) == feeds, "ids follow from the names, not from the run"
    assert "new=0" in invoke(home, "import", str(archive)).output and outlets(home) == feeds


def test_a_source_name_is_stored_on_one_line(home, tmp_path):
    """A source becomes a feed's name and outlet, which `feeds add` and feed lists keep free of control characters:
    a line break in one split the lines `alerts` prints for its evidence ("day  outlet: title")."""
    archive = tmp_path / "archive.jsonl"
    write_jsonl(archive, [record(1, "Wire\nimport-forged  file:///etc/passwd"), record(2, "Tab\tbed\x01 name"),
                          record(3, "\x07"), record(4, "C1\x9b2J \u202eWire")])  # CSI and bidi: kept as written
    invoke(home, "import", str(archive))
    assert set(outlets(home)) == {"Wire import-forged file:///etc/passwd", "Tab bed name", "archive", "C1 2J Wire"}
    assert {name for (name,) in query(home, "SELECT name FROM feeds")} == {
        "Wire import-forged file:///etc/passwd (imported)", "Tab bed name (imported)", "archive (imported)",
        "C1 2J Wire (imported)"}


def test_a_source_imported_before_keeps_the_feed_it_has(home, tmp_path):
    from pipeline.feeds.models import FeedSpec
    from pipeline.ingest import register_feed_specs

    with Warehouse(Home.resolve(home).ensure().writer_db) as warehouse:  # filed by an earlier version: cut slug
        register_feed_specs(warehouse, [FeedSpec(CUT_ID, "file:///old.jsonl", f"{KOREA} (imported)", KOREA, None,
                                                 None, 3, ("import",), False)])
    archive = tmp_path / "archive.jsonl"
    write_jsonl(archive, [record(1, CHINA), record(2, KOREA)])
    invoke(home, "import", str(archive))
    feeds = outlets(home)
    assert feeds[KOREA] == [CUT_ID] and feeds[CHINA] != [CUT_ID]


def test_a_broken_file_or_row_is_an_error_message_not_a_traceback(home, tmp_path, monkeypatch):
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1garbagegarbage")
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(corrupt)])
    assert result.exit_code == 1 and "corrupt.parquet is not a readable Parquet file" in result.output
    monkeypatch.setattr("pipeline.importer.CSV_FIELD_LIMIT", 1000)  # the real limit is 64 MiB
    oversized = tmp_path / "oversized.csv"
    write_csv(oversized, [RECORDS[0], {**RECORDS[1], "text": "x" * 2000}, RECORDS[2]])
    result = invoke(home, "import", str(oversized))
    assert "new=2 duplicates=0 rejected=1" in result.output
    assert "oversized.csv line 3: not a CSV row (field larger than field limit (1000))" in result.output


def test_nested_parquet_values_are_no_text_and_bytes_are_decoded(home, tmp_path):
    archive = tmp_path / "typed.parquet"
    pq.write_table(pa.table({"id": [1, 2], "title": [b"Russia and China talk", b"Iran and Iraq talk"],
                             "text": pa.array([{"a": "Russia"}, {"a": "Japan"}])}), archive)
    invoke(home, "import", str(archive))
    assert sorted(query(home, "SELECT title, text FROM articles")) == [
        ("Iran and Iraq talk", ""), ("Russia and China talk", "")]


THREE_PAIRS = {"id": "t1", "title": "Military drills and a trade deal", "source": "Archive Wire",
               "published": "2024-09-14",
               "text": "Iran and Russia held joint military drills with warships and troops in the Caspian Sea. China and "
                       "Russia signed a trade deal on soybean exports and tariffs. China and Iran discussed oil payments.",
               "url": "https://archive.example.org/t1"}


def export_csv(home, path, *args):
    invoke(home, "export", *args, "--format", "csv", "--output", str(path))
    return list(csv.DictReader(path.open()))


def test_csv_export_defuses_formulas_and_parquet_keeps_the_text(home, tmp_path):
    archive = tmp_path / "formulas.jsonl"
    write_jsonl(archive, [{**RECORDS[0], "title": '=HYPERLINK("https://evil.example","Russia")'}])
    invoke(home, "import", str(archive))
    rows = export_csv(home, tmp_path / "articles.csv", "--table", "articles")
    assert [row["title"] for row in rows] == ['\'=HYPERLINK("https://evil.example","Russia")']
    invoke(home, "export", "--table", "articles", "--output", str(tmp_path / "articles.parquet"))
    assert pq.read_table(tmp_path / "articles.parquet")["title"].to_pylist() == [
        '=HYPERLINK("https://evil.example","Russia")']


def test_export_pair_and_topic_keep_matching_rows_of_tables_that_have_them(home, tmp_path):
    archive = tmp_path / "archive.jsonl"
    write_jsonl(archive, [THREE_PAIRS])
    invoke(home, "import", str(archive))
    out = tmp_path / "out.csv"
    sentences = export_csv(home, out, "--table", "pair_sentences", "--pair", "RUS-IRN")
    assert {(r["iso_a"], r["iso_b"]) for r in sentences} == {("IRN", "RUS")}
    assert export_csv(home, out, "--table", "pair_sentences", "--pair", "irn–rus") == sentences  # as the dashboard shows it
    assert export_csv(home, out, "--table", "pair_sentences", "--pair", "CHN-RUS", "--topic", "military") == []
    assert {(r["iso_a"], r["iso_b"]) for r in export_csv(home, out, "--table", "pair_sentences", "--topic", "trade")} \
        == {("CHN", "RUS")}
    assert [(r["iso_a"], r["iso_b"]) for r in export_csv(home, out, "--table", "article_pairs", "--pair", "IRN-RUS")] \
        == [("IRN", "RUS")]
    assert [r["topic"] for r in export_csv(home, out, "--table", "article_topics", "--topic", "trade")] == ["trade"]
    # Tables without pair or topic columns keep whole articles.
    assert {r["iso3"] for r in export_csv(home, out, "--table", "article_countries", "--pair", "IRN-RUS")} == {
        "CHN", "IRN", "RUS"}
    assert len(export_csv(home, out, "--table", "mentions", "--topic", "military")) >= 6
    # With both, whole articles whose pair carries the topic (article_pairs.topics), as the Co-occurrence page counts
    # a pair on a topic: an analyst's CHN-USA trade articles export held 58 articles against the 103 behind the
    # sentences, because it asked each article's own topics instead.
    [article] = export_csv(home, out, "--table", "articles")
    assert {"military", "trade"} <= set(article["topics"].split(";"))
    pair_topics = {(r["iso_a"], r["iso_b"]): r["topics"] for r in export_csv(home, out, "--table", "article_pairs")}
    assert "trade" in pair_topics[("CHN", "RUS")] and pair_topics[("IRN", "RUS")] == "military"
    for pair, topic, kept in (("CHN-RUS", "trade", 1), ("IRN-RUS", "trade", 0), ("IRN-RUS", "military", 1),
                              ("CHN-RUS", "military", 0)):
        assert len(export_csv(home, out, "--table", "articles", "--pair", pair, "--topic", topic)) == kept, (pair, topic)
    assert len(export_csv(home, out, "--table", "articles", "--pair", "IRN-RUS", "--pair", "CHN-RUS",
                          "--topic", "trade")) == 1


def test_retag_reproduces_the_ingest_tags(imported):
    tables = ["mentions", "article_countries", "article_topics", "pair_sentences", "article_pairs"]
    before = {t: sorted(query(imported, f"SELECT * FROM {t}"), key=repr) for t in tables}
    schema = dictionary(imported)
    compaction = json.loads(invoke(imported, "retag").stdout)["compaction"]
    after = {t: sorted(query(imported, f"SELECT * FROM {t}"), key=repr) for t in tables}
    assert compaction["compacted"] and compaction["free_share_after"] == 0.0, "the old tags' blocks are dropped"
    assert after == before and sum(map(len, after.values())) > 0
    assert query(imported, "SELECT kind FROM runs ORDER BY run_id DESC LIMIT 1") == [("retag",)]
    assert dictionary(imported) == schema, "the swapped-in tables keep their comments; no staging table is left"


def test_retag_prints_the_seconds_its_run_records_and_apart_its_total(imported):
    """`runs.seconds` is written with the swap, before the compaction and publish: the printed `seconds` included
    them (10.4 against the run's 5.9), so the two could not be compared."""
    result = json.loads(invoke(imported, "retag").stdout)
    assert dict(query(imported, "SELECT run_id, seconds FROM runs WHERE kind = 'retag'")) == {
        result["run_id"]: result["seconds"]}
    assert result["total_seconds"] >= result["seconds"]


RETAG_DETAILS = ("replaced", "articles_changed", "sentences_changed", "country_articles_changed",
                 "pair_articles_changed", "topic_articles_changed", "pair_topic_articles_changed",
                 "pair_topic_sentences_changed", "pair_cue_sentences_changed")


def _retag_with_seeds_edited(home, tmp_path, records: list[dict], seed_file: str, old: str, new: str) -> dict:
    """`records` imported with the bundled seeds, then retagged with a copy of them in which `seed_file` reads `new`
    for `old`: an analyst's seed edit. Returns the retag's result, after checking that its run keeps the same in
    `details` (the swap leaves no old tags to explain a moved count by)."""
    import shutil

    from pipeline.retag import retag

    write_jsonl(tmp_path / "archive.jsonl", records)
    invoke(home, "import", str(tmp_path / "archive.jsonl"))
    seeds = tmp_path / "seeds"
    shutil.copytree(load_tagger.__globals__["DEFAULT_SEEDS_DIR"], seeds)
    edited_file = seeds / seed_file
    text = edited_file.read_text(encoding="utf-8")
    assert old in text
    edited_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    edited = load_tagger(seeds)
    pw_home = Home.resolve(home)
    with pw_home.writer_lock(), Warehouse(pw_home.writer_db) as warehouse:
        result = retag(pw_home, warehouse, edited)
    assert result["replaced"] == {load_tagger().version: len(records)} and result["tagger_version"] == edited.version
    assert load_tagger() is not edited
    [(details,)] = query(home, f"SELECT details FROM runs WHERE run_id = {result['run_id']}")
    assert json.loads(details) == {key: result[key] for key in RETAG_DETAILS}
    return result


@pytest.mark.parametrize("articles_a_query", [100_000, 1 / 16])
def test_retag_says_what_a_seed_edit_changed(home, tmp_path, monkeypatch, articles_a_query):
    """An analyst's seed edit, then `retag`: it said how many articles and which version, nothing of what changed,
    and the swap leaves nothing to compare with (review R1 of stop 53). Also when it compares a share of the articles
    at a time (a 1M warehouse at once ran out of memory): CZE-RUS, lost by one article and gained by another, nets
    out across shares (1 / 16: 64 shares of 4 articles, which put articles 1 and 2 apart)."""
    monkeypatch.setattr(pipeline.store.warehouse, "RETAG_ARTICLES_A_QUERY", articles_a_query)
    result = _retag_with_seeds_edited(home, tmp_path, [
        {"id": "1", "title": "Brno and Moscow sign a trade deal", "text": "Officials met in Brno.", "source": "wire"},
        {"id": "2", "title": "Gotham hosts Russian and Chinese envoys", "text": "Talks on trade.", "source": "wire"},
        {"id": "3", "title": "Japan and India talk", "text": "Tokyo and New Delhi held talks.", "source": "wire"},
        {"id": "4", "title": "Gotham and Paris twin their schools", "text": "A cultural exchange.", "source": "wire"}],
        "gazetteer/countries.toml", 'cities = ["Brno"]', 'cities = ["Gotham"]')
    # article 1 loses Czechia and its pair with Russia, 2 and 4 gain it and its pairs; article 3 is as it was
    assert result["articles_changed"] == {"countries": 3, "focus": 3, "pairs": 3, "topics": 0, "pair_topics": 3}
    assert result["country_articles_changed"] == {"CZE": 1}, "Czechia: one article lost, two gained"
    # 2 and 4 gain CZE-CHN and CZE-FRA; CZE-RUS moves from article 1 to 2, no change in its count
    assert result["pair_articles_changed"] == {"CHN-CZE": 1, "CZE-FRA": 1} and result["topic_articles_changed"] == {}


def test_retag_says_which_pair_topics_a_seed_edit_moved(home, tmp_path):
    """A fact-checker took "struck" out of military's pair words: IRN-USA military went from 46 articles to 40 on the
    Pair explorer and in v_pair_topic_daily, and the retag's record said nothing changed (review J, finding 2): it
    compared the articles' own topics, which the edit left as they were."""
    result = _retag_with_seeds_edited(home, tmp_path, [
        {"id": "1", "title": "Israel struck Iran overnight", "source": "wire",
         "text": "Soldiers and the military were on alert. The army said troops had moved."},
        {"id": "2", "title": "Japan and India talk", "text": "Tokyo and New Delhi held talks.", "source": "wire"}],
        "topics/topics.toml", '"struck", ', "")
    assert result["articles_changed"] == {"countries": 0, "focus": 0, "pairs": 0, "topics": 0, "pair_topics": 1}
    assert result["sentences_changed"] == {"topics": 1, "cues": 0}
    # the pair keeps its article and its sentence: without a topic, v_pair_topic_daily counts it under (none)
    moved = {"IRN-ISR (none)": 1, "IRN-ISR military": -1}
    assert result["pair_topic_articles_changed"] == moved and result["pair_topic_sentences_changed"] == moved
    assert result["pair_articles_changed"] == result["topic_articles_changed"] == {}
    assert result["pair_cue_sentences_changed"] == {}
    assert sorted(query(home, "SELECT pair, topic, articles FROM v_pair_topic_daily")) == [
        ("IND-JPN", "diplomacy", 1), ("IRN-ISR", "(none)", 1)]


def test_retag_says_which_pair_cues_a_seed_edit_moved(home, tmp_path):
    """Taking "pledg*" out of the cooperation cues moved PRK-RUS cooperation sentences on the demo (2787 to 2781),
    and the retag's record said nothing changed (review J, finding 2)."""
    result = _retag_with_seeds_edited(home, tmp_path, [
        {"id": "1", "title": "Russia pledged grain to North Korea", "text": "It arrives in spring.", "source": "wire"},
        {"id": "2", "title": "Japan and India talk", "text": "Tokyo and New Delhi held talks.", "source": "wire"}],
        "topics/cues.toml", '"pledg*", ', "")
    assert result["articles_changed"] == {"countries": 0, "focus": 0, "pairs": 0, "topics": 0, "pair_topics": 0}
    assert result["sentences_changed"] == {"topics": 0, "cues": 1}
    assert result["pair_cue_sentences_changed"] == {"PRK-RUS cooperation": -1}
    assert result["pair_topic_articles_changed"] == result["pair_topic_sentences_changed"] == {}
    assert query(home, "SELECT cue FROM pair_sentences WHERE iso_b = 'RUS'") == [(None,)]


def test_a_topic_added_to_the_seeds_is_tagged_counted_and_exported_after_a_retag(home, tmp_path):
    """A home adds a topic with a table of topics.toml, no code: a reviewer's [cyber] was refused as differing from
    the fixed topics, and `export --topic` offered only those."""
    result = _retag_with_seeds_edited(home, tmp_path, [
        {"id": "1", "title": "North Korean hackers behind ransomware aimed at Seoul", "source": "wire",
         "text": "South Korea said North Korea's hackers used ransomware against its hospitals."},
        {"id": "2", "title": "Japan and India talk", "text": "Tokyo and New Delhi held talks.", "source": "wire"}],
        "topics/topics.toml", "[defaults]\n", '[cyber]\nthreshold = 2.0\nstrong = ["ransomware", "hacker*"]\n\n[defaults]\n')
    assert result["topic_articles_changed"] == {"cyber": 1}
    assert result["pair_topic_articles_changed"].get("KOR-PRK cyber") == 1
    assert query(home, "SELECT topic, articles FROM v_topic_daily WHERE topic = 'cyber'") == [("cyber", 1)]


def test_a_pair_sentence_a_new_break_shortened_is_the_same_sentence_to_a_retag(home, tmp_path):
    """Tagger 1.41 ends a sentence after "the U.S." before "That": on the real feeds five pair sentences ended
    earlier with their cue kept, and the retag counted ten cue changes (each sentence lost, and found again)."""
    write_jsonl(tmp_path / "archive.jsonl", [
        {"id": "1", "title": "Russia pledged grain to North Korea", "text": "It arrives in spring.", "source": "wire"}])
    invoke(home, "import", str(tmp_path / "archive.jsonl"))
    with Warehouse(Home.resolve(home).writer_db) as warehouse:
        def shortened():
            for rows in warehouse.iter_articles_for_tagging():
                tables = derive(rows, load_tagger()).tables
                sentences = tables["pair_sentences"]
                sentences["end_offset"] = [end - 1 for end in sentences["end_offset"]]
                yield tables

        now = datetime.now(timezone.utc)
        run = RunSummary(warehouse.next_run_id(), "retag", seconds=0.0).as_row(now, now, load_tagger().version)
        changes = warehouse.replace_derived(shortened(), finish_run=lambda: run)
    assert changes["sentences_changed"] == {"topics": 0, "cues": 0}
    assert changes["pair_topic_sentences_changed"] == changes["pair_cue_sentences_changed"] == {}


def test_a_retag_that_fails_midway_keeps_the_old_tags(imported):
    with Warehouse(Home.resolve(imported).writer_db) as warehouse:
        def derived_tables():
            return {t: sorted(warehouse.con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in DERIVED_TABLES}

        def batches():
            for rows in warehouse.iter_articles_for_tagging(batch_size=1):
                yield derive(rows, load_tagger()).tables
                raise RuntimeError("the tagger crashed")

        before, schema = derived_tables(), data_dictionary(warehouse.con)
        with pytest.raises(RuntimeError, match="tagger crashed"):
            warehouse.replace_derived(batches(), finish_run=dict)
        assert derived_tables() == before
        assert data_dictionary(warehouse.con) == schema


def _exit_worker() -> None:
    import os

    os._exit(1)


def test_import_completes_on_this_core_when_the_worker_pool_is_broken(home, tmp_path, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.pool import make_process_pool

    broken = make_process_pool(max_workers=1)
    with pytest.raises(BrokenProcessPool):
        broken.submit(_exit_worker).result()
    monkeypatch.setattr("pipeline.importer.make_process_pool", lambda: broken)
    records = [{**RECORDS[0], "id": f"b{n}", "title": f"Putin hosts Kim, part {n}", "url": f"https://archive.example.org/b{n}"}
               for n in range(1200)]  # enough for the tagging pool to be used too
    archive = tmp_path / "archive.jsonl"
    write_jsonl(archive, records)
    invoke(home, "import", str(archive))
    assert query(home, "SELECT count(*), count(DISTINCT article_id) FROM articles") == [(1200, 1200)]
    assert query(home, "SELECT count(DISTINCT article_id) FROM article_pairs WHERE iso_a = 'PRK'") == [(1200,)]



def test_a_file_of_one_cleaning_chunk_is_imported_without_starting_the_worker_pool(home, tmp_path, monkeypatch):
    """Each spawned worker imports the package before it cleans a record: a file of four records waited 2.4 s of its
    2.75 s for two workers to start (the test-suite review of stop 59, ~80 such imports in this file alone)."""
    from concurrent.futures import ThreadPoolExecutor

    class RefusingPool(ThreadPoolExecutor):
        def submit(self, *args, **kwargs):
            raise AssertionError("a file of one chunk started the worker pool")

    monkeypatch.setattr("pipeline.importer.make_process_pool", RefusingPool)
    write_jsonl(tmp_path / "archive.jsonl", RECORDS)
    invoke(home, "import", str(tmp_path / "archive.jsonl"))
    assert query(home, "SELECT count(*) FROM articles") == [(len(RECORDS) - 1,)]


def test_a_bulk_import_ends_with_a_compacted_writer(home, tmp_path):
    from pipeline.store.compact import space_use
    from pipeline.store.snapshot import COMPACT_FROM_FREE_SHARE

    words = "Russia China Japan India sanctions talks military trade oil visit summit missile bank tariff".split()
    for batch in range(2):  # the second load's checkpoint rewrites the first one's table tails: a third freed
        archive = tmp_path / f"archive-{batch}.jsonl"
        write_jsonl(archive, [{**RECORDS[0], "id": f"{batch}-{i}", "title": f"Putin hosts Kim, day {batch}-{i}",
                               "text": " ".join(words[(i * 7 + j * j) % len(words)] for j in range(300))}
                              for i in range(500)])
        invoke(home, "import", str(archive))
    with Warehouse(Home.resolve(home).writer_db) as warehouse:
        assert space_use(warehouse.con).free_share < COMPACT_FROM_FREE_SHARE
    assert query(home, "SELECT count(*) FROM articles") == [(1000,)]


def test_status_flags_articles_stored_before_topic_words_were_kept_until_a_retag(imported):
    """A home from before migration 0021 has this code's tagger version on every tag but no topic_hits: status said
    retag_needed: False, and the Topics page's evidence and topic_hits exports stayed empty."""
    from pipeline.store.snapshot import publish

    with_topics = query(imported, "SELECT count(DISTINCT article_id) FROM article_topics")[0][0]
    assert with_topics and not json.loads(invoke(imported, "status", "--json").stdout)["retag_needed"]
    pw_home = Home.resolve(imported)
    migration = (Path(__file__).parents[1] / "pipeline/store/migrations/0021_topic_hits.sql").read_text()
    with Warehouse(pw_home.writer_db) as warehouse:  # a snapshot published by the code before migration 0021
        warehouse.con.execute("DROP TABLE topic_hits")
        publish(warehouse.con, pw_home)
        report = json.loads(invoke(imported, "status", "--json").stdout)
        assert report["articles_without_topic_words"] == with_topics and report["retag_needed"]
        warehouse.con.execute(migration)  # what migration 0021 leaves of a home tagged before it: an empty table
        publish(warehouse.con, pw_home)
    report = json.loads(invoke(imported, "status", "--json").stdout)
    assert report["articles_without_topic_words"] == with_topics and report["retag_needed"]
    assert "run `pactwatch retag`" in invoke(imported, "status").stdout
    invoke(imported, "retag")
    report = json.loads(invoke(imported, "status", "--json").stdout)
    assert report["articles_without_topic_words"] == 0 and not report["retag_needed"]


def test_status_counts_the_articles_without_tags_beside_the_tag_versions(home, tmp_path):
    """tag_versions counted articles with country tags: 3,347 of 4,240 on the captured feeds read as 893 untagged,
    though many had topics. An article with a topic and no country is tagged; one with neither is counted apart."""
    archive = tmp_path / "archive.jsonl"
    topic_only = {"id": "n1", "title": "Central bank raises interest rates", "source": "Archive Wire",
                  "published": "2024-09-14", "text": "The central bank raised interest rates to curb inflation."}
    untagged = {"id": "n2", "title": "Markets rally on Tuesday", "source": "Archive Wire",
                "published": "2024-09-14", "text": "Shares rose in quiet trade."}
    write_jsonl(archive, RECORDS[:3] + [topic_only, untagged])
    invoke(home, "import", str(archive))
    report = json.loads(invoke(home, "status", "--json").stdout)
    assert report["articles"] == 5 and sum(report["tag_versions"].values()) == 4
    assert report["articles_without_tags"] == 1
    assert "articles_without_tags: 1" in invoke(home, "status").stdout


def test_status_flags_tags_from_another_tagger_version_until_a_retag(imported):
    from pipeline.seeds import tagger_version
    from pipeline.store.snapshot import publish

    current = tagger_version()
    report = json.loads(invoke(imported, "status", "--json").stdout)
    assert report["tag_versions"] == {current: 3} and report["tagger_version"] == current
    assert not report["retag_needed"]
    pw_home = Home.resolve(imported)
    with Warehouse(pw_home.writer_db) as warehouse:  # one article's tags as an older tagger left them
        for table in ("article_countries", "article_topics"):
            warehouse.con.execute(f"UPDATE {table} SET tagger_version = '0.9+old' WHERE article_id = "
                                  "(SELECT min(article_id) FROM article_countries)")
        publish(warehouse.con, pw_home)
    report = json.loads(invoke(imported, "status", "--json").stdout)
    assert report["tag_versions"] == {current: 2, "0.9+old": 1} and report["retag_needed"]
    assert "run `pactwatch retag`" in invoke(imported, "status").stdout
    invoke(imported, "retag")
    report = json.loads(invoke(imported, "status", "--json").stdout)
    assert report["tag_versions"] == {current: 3} and not report["retag_needed"]


def test_a_csv_export_imports_again_with_the_text_it_was_exported_from(home, tmp_path):
    """The export's "'" before a would-be formula is its own, not the article's: an import of its file drops it (a
    title stored as "'-5% slump" read "'" in every chart); a "'" the article holds stays, as does a third party's."""
    texts = ['=HYPERLINK("https://evil.example","Russia")', "+3% for Russian oil", "-5% slump in Moscow",
             "@kremlin says Russia will respond", "\tTab before Iran", "\rReturn to Beijing", "'Tis Russia's hour"]
    records = [{"source": "Archive Wire", "url": f"https://archive.example.org/f{number}", "title": text, "text": text}
               for number, text in enumerate(texts)]  # no id: keyed by its link, an article keeps its id
    write_jsonl(tmp_path / "formulas.jsonl", records)
    invoke(home, "import", str(tmp_path / "formulas.jsonl"))
    stored = "SELECT article_id, title, text FROM articles"
    for fmt in ("csv", "parquet"):
        again = tmp_path / f"again-{fmt}"
        invoke(home, "export", "--table", "articles", "--format", fmt, "--output", str(tmp_path / f"articles.{fmt}"))
        invoke(again, "import", str(tmp_path / f"articles.{fmt}"))
        assert sorted(query(again, stored)) == sorted(query(home, stored)), fmt
    assert {title[0] for _, title, _ in query(home, stored)} >= {"=", "+", "-", "@", "'"}
    third_party = tmp_path / "third-party.csv"
    write_csv(third_party, [{"title": "'=1+1 is no formula", "text": "Russia", "url": "https://other.example.org/1"}])
    invoke(tmp_path / "third", "import", str(third_party))
    assert query(tmp_path / "third", "SELECT title FROM articles") == [("'=1+1 is no formula",)]


LISTED_AND_RELATED = {"id": "l1", "title": "Summit in Beijing", "source": "Archive Wire", "published": "2024-09-15",
                      "text": "Leaders of Russia, China, Iran and North Korea met in Beijing on Monday. China and "
                              "Russia signed a trade deal.", "url": "https://archive.example.org/l1"}
LISTED_ONLY = {"id": "l2", "title": "A bloc of four", "source": "Other Desk", "published": "2024-09-16",
               "text": "Analysts say Russia, China, Iran and North Korea are drawing closer.",
               "url": "https://archive.example.org/l2"}


def test_export_leaves_out_undated_articles_and_list_only_pairs_as_the_dashboard_switches_do(home, tmp_path):
    """The dashboard's "Leave out undated articles" and "Leave out list-only pairs" had no export: what an analyst saw
    could not be exported as seen."""
    archive = tmp_path / "archive.jsonl"
    write_jsonl(archive, [*RECORDS, LISTED_AND_RELATED, LISTED_ONLY])
    invoke(home, "import", str(archive))
    out = tmp_path / "out.csv"
    assert sorted(r["title"] for r in export_csv(home, out, "--country", "RUS")) == [
        "A bloc of four", "India buys more Russian oil", "Putin hosts Kim in Moscow", "Summit in Beijing"]
    assert sorted(r["title"] for r in export_csv(home, out, "--country", "RUS", "--dated-only")) == [
        "A bloc of four", "Putin hosts Kim in Moscow", "Summit in Beijing"]  # "not a date" is undated
    sentences = export_csv(home, out, "--table", "pair_sentences", "--country", "IRN")
    assert [r["listed"] for r in sentences].count("true") == 12 and len(sentences) == 13  # six pairs in each list
    [related] = export_csv(home, out, "--table", "pair_sentences", "--country", "IRN", "--unlisted-only")
    assert (related["iso_a"], related["iso_b"], related["listed"]) == ("CHN", "RUS", "false")
    article_pairs = export_csv(home, out, "--table", "article_pairs", "--country", "IRN")
    unlisted = export_csv(home, out, "--table", "article_pairs", "--country", "IRN", "--unlisted-only")
    assert {(r["iso_a"], r["iso_b"]) for r in article_pairs} >= {("CHN", "RUS"), ("IRN", "PRK")}
    assert {(r["iso_a"], r["iso_b"]) for r in unlisted} == {("CHN", "RUS")} and len(unlisted) == 1  # of l1
    for pair, listed_too, unlisted_only in (("IRN-PRK", 2, 0), ("CHN-RUS", 2, 1)):
        assert len(export_csv(home, out, "--pair", pair)) == listed_too, pair
        assert len(export_csv(home, out, "--pair", pair, "--unlisted-only")) == unlisted_only, pair
    assert [r["title"] for r in export_csv(home, out, "--pair", "CHN-RUS", "--topic", "trade",
                                           "--unlisted-only")] == ["Summit in Beijing"]


HOSTILE = "\nts=2026-12-06T00:00:00Z event=import new=999\x1b[2J\x9b31m\u202e"  # a forged log line, escapes


def test_a_hostile_column_name_is_shown_on_one_line(home, tmp_path):
    """A quoted CSV header is the archive's text: its line break forged a logfmt line in the cron log, its escapes
    reached the terminal (color=True: click strips only ESC sequences from a pipe, and not C1 ones)."""
    headers = tmp_path / "headers.csv"
    headers.write_text(f'"head{HOSTILE}",body\nPutin hosts Kim,Russia and North Korea talk.\n')
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(headers)], color=True)
    assert result.exit_code == 1 and "its columns: head ts=2026-12-06T00:00:00Z event=import new=999" in result.output
    assert len(result.output.splitlines()) == 1 and not any(char in result.output for char in "\x1b\x9b\u202e")


def test_an_id_reused_for_another_story_is_named_not_counted_as_a_duplicate(home, tmp_path):
    """Ids reissued per year (or met twice in one file) dropped the second story as a "duplicate", silently."""
    def archive(name, stories):
        path = tmp_path / name
        rows = [{"id": story_id, "title": title, "text": f"{title}.", "source": "wire"} for story_id, title in stories]
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
        return path

    y2023 = archive("y2023.jsonl", [(1, "Russia and China sign an energy deal"), ("2", "India and Pakistan talk")])
    y2024 = archive("y2024.jsonl", [("1", "France and Germany plan defence"), ("x", "Brazil and Argentina trade"),
                                    ("x", "Chile and Peru meet")])
    assert "new=2 duplicates=0 rejected=0 undated=2 id_reused=0" in invoke(home, "import", str(y2023)).output
    result = invoke(home, "import", str(y2024))
    assert "new=1 duplicates=0 rejected=0 undated=1 id_reused=2" in result.output
    assert ("y2024.jsonl line 1: id 1 of source wire was already stored under another title: skipped\n"
            "y2024.jsonl line 3: id x of source wire was already met on line 2 under another title: skipped\n"
            "2 records skipped: their id was already another story's") in result.output
    again = invoke(home, "import", str(y2023)).output
    assert "new=0 duplicates=2 rejected=0 undated=2 id_reused=0" in again, "a re-import is no reused id"
    assert "skipped" not in again


def test_a_hostile_reused_id_is_named_on_one_line(home, tmp_path):
    """The id is the archive's, stored as it came: named raw, its line break forged a logfmt line (`event=import`) in
    the log and its escapes reached the terminal."""
    archive = tmp_path / "hostile.jsonl"
    archive.write_text("".join(json.dumps({"id": f"x{HOSTILE}", "title": title, "text": f"{title}.", "source": "wire"})
                               + "\n" for title in ("Russia and China sign an energy deal", "Chile and Peru meet")))
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(archive)], color=True)
    assert result.exit_code == 0, result.output
    assert not [line for line in result.output.splitlines() if line.startswith("ts=2026-12-06T00:00:00Z")]
    assert "hostile.jsonl line 2: id x ts=2026-12-06T00:00:00Z event=import new=999" in result.output
    assert not any(char in result.output for char in "\x1b\x9b\u202e")


def test_a_reimport_of_what_an_older_version_stored_without_its_tickers_is_a_duplicate(home, tmp_path):
    """Before migration 0055 every "<…>" was read as a tag: a Reuters record was stored as the first archive below
    says. Read again, it kept its "<SRD>" and was reported as an id already another story's (review U of stop 53:
    1,119 of 2,431 records of a re-import). A story of its own under the same id still is."""
    def archive(name, title, text, *more):
        path = tmp_path / name
        rows = [{"id": "reu-2", "title": title, "text": text, "source": "Reuters Archive"}, *more]
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
        return path

    as_stored = archive("then.jsonl", "STANDARD OIL TO SET UP A FINANCE UNIT", "Standard Oil Co said it will form a unit.")
    as_written = archive("now.jsonl", "STANDARD OIL <SRD> TO SET UP A FINANCE UNIT",
                         "Standard Oil Co <SRD> said it will form a unit.")
    another = archive("other.jsonl", "STANDARD OIL <SRD> TO SELL ITS UNIT", "Standard Oil Co <SRD> will sell a unit.",
                      {"id": "reu-3", "title": "JAPAN AND CHINA TALK", "source": "Reuters Archive"})
    assert "new=1 duplicates=0" in invoke(home, "import", str(as_stored)).output
    again = invoke(home, "import", str(as_written)).output
    assert "new=0 duplicates=1 rejected=0 undated=1 id_reused=0" in again and "skipped" not in again
    assert "id_reused=1" in invoke(home, "import", str(another)).output


def test_plain_text_records_keep_what_they_write_between_angle_brackets(home, tmp_path):
    """Reuters names companies in angle brackets: import read every record as HTML and deleted them, and the countries
    named inside them ("<Hong Kong Electric Holdings Ltd>" lost HKG)."""
    archive = tmp_path / "reuters.jsonl"
    rows = [{"id": "r1", "title": "if a<b then Brazil", "source": "wire",
             "text": "Canada's Nova sold one mln shares to <Hong Kong Electric Holdings Ltd> of Hong Kong."},
            {"id": "r2", "title": "<b>Seoul</b> and Tokyo", "text": "<p>Hello</p>", "source": "wire"}]
    archive.write_text("".join(json.dumps(row) + "\n" for row in rows))
    invoke(home, "import", str(archive))
    assert query(home, "SELECT title, text, list(iso3 ORDER BY iso3) FROM articles JOIN article_countries "
                       "USING (article_id) GROUP BY ALL ORDER BY title") == [
        ("Seoul and Tokyo", "Hello", ["JPN", "KOR"]),
        ("if a<b then Brazil", rows[0]["text"], ["BRA", "CAN", "HKG"])]


def test_records_dated_ahead_are_counted_as_undated_as_an_ingest_run_counts_them(home, tmp_path):
    """A date more than a day ahead files a record under the import's day as a missing one does; the ingest run line
    counted it in undated=, the import line left it out."""
    archive = tmp_path / "dates.jsonl"
    published = ["2025-03-02T10:00:00Z", "2100-01-01T00:00:00Z", None]
    archive.write_text("".join(json.dumps({"id": f"d{n}", "title": f"Seoul and Tokyo talk {n}", "published": when,
                                           "text": "Korea and Japan met.", "source": "wire"}) + "\n"
                               for n, when in enumerate(published)))
    assert "new=3 duplicates=0 rejected=0 undated=2" in invoke(home, "import", str(archive)).output


def test_an_imported_record_keeps_its_date_as_written(home, tmp_path):
    """Whatever `published` held, as text: a date import cannot read is kept to be read again by a better reader."""
    archive = tmp_path / "dates.jsonl"
    published = ["19/06/2024", 1718753400, "2024-06-19T08:30:00+09:00", None]
    archive.write_text("".join(json.dumps({"id": f"d{n}", "title": f"Seoul and Tokyo talk {n}", "published": when,
                                           "text": "Korea and Japan met.", "source": "wire"}) + "\n"
                               for n, when in enumerate(published)))
    invoke(home, "import", str(archive))
    assert query(home, "SELECT date_quality, published_as_written FROM v_articles ORDER BY title") == [
        ("unparseable", "19/06/2024"), ("unparseable", "1718753400"), ("ok", "2024-06-19T08:30:00+09:00"),
        ("missing", None)]
    exported = tmp_path / "articles.csv"
    invoke(home, "export", "--table", "articles", "--output", str(exported))
    with exported.open(newline="") as handle:
        assert sorted(row["published_as_written"] for row in csv.DictReader(handle)) == [
            "", "1718753400", "19/06/2024", "2024-06-19T08:30:00+09:00"]


def test_dates_archives_write_are_read_and_the_unreadable_ones_are_named(home, tmp_path):
    """Reuters-21578's own "26-FEB-1987 15:01:01.79" and "May 1, 2024" were filed under the import's day, named only
    by a count."""
    archive = tmp_path / "dates.jsonl"
    published = ["26-FEB-1987 15:01:01.79", "May 1, 2024", "1 May 2024", "01 May 2024", "2024-05-01T09:18:02 UTC",
                 "01/05/2024", None]
    archive.write_text("".join(json.dumps({"id": f"d{n}", "title": f"Seoul and Tokyo talk {n}", "published": when,
                                           "text": "Korea and Japan met.", "source": "wire"}) + "\n"
                               for n, when in enumerate(published)))
    result = invoke(home, "import", str(archive))
    assert "new=7 duplicates=0 rejected=0 undated=2" in result.output
    assert "dates.jsonl line 6: published '01/05/2024' is no date import reads: filed under " in result.output
    assert "1 records with a published date import cannot read (counted as undated)" in result.output
    assert query(home, "SELECT list(day::VARCHAR ORDER BY article_key) FILTER (date_quality = 'ok') FROM articles") == [
        (["1987-02-26", "2024-05-01", "2024-05-01", "2024-05-01", "2024-05-01"],)]


def test_a_published_value_that_is_a_list_an_object_or_a_boolean_is_unreadable_and_named(home, tmp_path):
    """A JSON list or object as `published` was stored as missing, named nowhere; a boolean was named in Python's
    spelling ('True') (an outside audit)."""
    archive = tmp_path / "nested.jsonl"
    published = [["2024-06-19"], {"date": "2024-06-19"}, True]
    archive.write_text("".join(json.dumps({"id": f"n{n}", "title": f"Chile and Peru meet, {n}", "published": when,
                                           "text": f"Chile and Peru met on point {n}.", "source": "wire"}) + "\n"
                               for n, when in enumerate(published)))
    result = invoke(home, "import", str(archive))
    assert "new=3 duplicates=0 rejected=0 undated=3" in result.output
    for line, written in enumerate(('["2024-06-19"]', '{"date": "2024-06-19"}', "true"), start=1):
        assert f"nested.jsonl line {line}: published {written!r} is no date import reads" in result.output
    assert query(home, "SELECT date_quality, published_as_written FROM v_articles ORDER BY title") == [
        ("unparseable", '["2024-06-19"]'), ("unparseable", '{"date": "2024-06-19"}'), ("unparseable", "true")]


def test_tag_and_import_read_published_alike_and_so_credit_the_same_leaders(home, tmp_path):
    """`tag` read only ISO dates: "26-FEB-1987 ..." or an RFC 822 date was no day there, so "Donald Trump" counted
    for the United States in 1987, while import, which reads them, did not count him."""
    archive, tagged = tmp_path / "leaders.jsonl", tmp_path / "leaders.out.jsonl"
    published = ["26-FEB-1987 15:01:01.79", "Thu, 26 Feb 1987 10:00:00 GMT", "1987-02-26", "2019-02-26T23:30:00-05:00"]
    archive.write_text("".join(json.dumps({"id": f"t{n}", "title": "", "text": "Donald Trump met Russia.",
                                           "published": when, "source": "wire"}) + "\n"
                               for n, when in enumerate(published)))
    invoke(home, "import", str(archive))
    invoke(home, "tag", "--input", str(archive), "--output", str(tagged))
    from_tag = {row["id"]: row["countries"] for row in map(json.loads, tagged.read_text().splitlines())}
    stored = dict(query(home, "SELECT replace(article_key, 'wire:guid:', ''), list(iso3 ORDER BY iso3) FROM articles "
                              "JOIN article_countries USING (article_id) GROUP BY ALL"))
    assert from_tag == stored == {"t0": ["RUS"], "t1": ["RUS"], "t2": ["RUS"], "t3": ["RUS", "USA"]}


def test_the_readme_joins_an_imported_id_back_by_article_key(home, tmp_path):
    """README's import section says how an id maps to article_key and article_id; its query must run and answer."""
    archive = tmp_path / "ids.jsonl"
    archive.write_text(json.dumps({"id": "2024-1", "title": "Japan and Korea meet", "source": "wire"}) + "\n")
    invoke(home, "import", str(archive))
    readme = Path(__file__).resolve().parents[1].joinpath("README.md").read_text(encoding="utf-8")
    documented = readme.split('to join tags back to your archive\'s own ids:\n  `pactwatch sql "')[1].split('"`')[0]
    assert query(home, documented.replace("\n  ", " ") + " ORDER BY iso3") == [("2024-1", "JPN", True),
                                                                              ("2024-1", "KOR", True)]
    [(article_id, key)] = query(home, "SELECT article_id, article_key FROM articles")
    assert key == "wire:guid:2024-1" and article_id == hashlib.sha1(key.encode()).hexdigest()


def test_each_committed_run_of_an_import_prints_a_progress_line(home, tmp_path):
    """A 100k-record import said nothing until its end, 40 s later."""
    archive = tmp_path / "archive.jsonl"
    archive.write_text("".join(json.dumps({"id": f"p{n}", "title": f"Japan and Korea meet {n}", "source": "wire"}) + "\n"
                               for n in range(5)))
    result = invoke(home, "import", str(archive), "--batch-size", "2")
    progress = [line.split(" ", 1)[1] for line in result.output.splitlines() if "event=import_progress" in line]
    assert progress == [
        f"event=import_progress runs={runs} records={records} new={records} duplicates=0 rejected=0 undated={records} "
        f"id_reused=0" for runs, records in ((1, 2), (2, 4), (3, 5))]
    assert result.output.splitlines()[-1].split(" ", 1)[1].startswith("event=import runs=3 new=5")


def test_an_imported_syndicated_copy_at_the_originals_link_is_one_article_whatever_batch_holds_it(home, tmp_path):
    """A record keyed by its URL and another source's record under an opaque id with that link: one batch, or the
    URL-keyed one in the batch before, stored them as two articles; the opaque one in the batch before, as one."""
    original = {"id": "a-1", "source": "Wire A", "title": "Russia and North Korea sign military pact",
                "text": "Russia and North Korea signed a mutual defence treaty. Their troops will hold joint drills.",
                "url": "https://news.example/a/1", "published": "2024-06-19T10:00:00Z"}
    copy = {**original, "id": original["url"], "source": "Paper B", "title": f"{original['title']} (syndicated)",
            "text": "Syndicated copy. Russia and North Korea signed a mutual defence treaty."}
    stored = {}
    for name, records, batch_size in (("one batch", [original, copy], 2), ("original first", [original, copy], 1),
                                      ("copy first", [copy, original], 1)):
        archive = tmp_path / f"{name.replace(' ', '-')}.jsonl"
        write_jsonl(archive, records)
        into = tmp_path / name.replace(" ", "-")
        into.mkdir()
        invoke(into, "import", "--batch-size", str(batch_size), str(archive))
        stored[name] = query(into, "SELECT a.url, list(f.outlet ORDER BY f.outlet) FROM articles a JOIN article_feeds "
                                   "af USING (article_id) JOIN feeds f USING (feed_id) GROUP BY a.article_id, a.url")
    assert stored == dict.fromkeys(stored, [(original["url"], ["Paper B", "Wire A"])])

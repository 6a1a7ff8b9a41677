"""A feed URL carrying credentials: polled with them, shown and published without them."""
from __future__ import annotations

import base64
import json
import re
import sys

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import cli, main
from pipeline.home import EXIT_LOCKED, Home
from pipeline.store import snapshot
from pipeline.store.reader import open_snapshot
from pipeline.store.snapshot import _credential_substitutes, publish
from pipeline.store.warehouse import Warehouse
from tests.httpserver import Response
from tests.rss import Item, feed_list_toml, rss

PASSWORD, API_KEY, TOKEN, PATH_TOKEN = "hunter2-pw", "k3y-abc123", "t0k-xyz789", "p4th-t0k-456"
SECRETS = (PASSWORD, API_KEY, TOKEN, PATH_TOKEN)


def credentialed(http_server, path: str, query: str) -> str:
    return http_server.url(f"{path}?{query}").replace("http://", f"http://reader:{PASSWORD}@")


def ingest_credentialed_feeds(home, tmp_path, http_server):
    """One feed that answers, with a password and an API key in its URL; one whose redirect loops back to a URL with
    a token in it, so that its error names that URL; one with a token in its path (a self-hosted "/hooks/<token>",
    which seeds/credentials.toml masks on any host), whose redirect loops too."""
    http_server.routes[f"/ok.xml?apikey={API_KEY}"] = Response(200, rss([Item("Seoul talks", "Korea met Japan.",
                                                                              guid="g1")]))
    loop = f"/loop.xml?token={TOKEN}"
    http_server.routes[loop] = Response(302, headers={"Location": http_server.url(loop)})
    hook = f"/hooks/{PATH_TOKEN}/feed.xml"
    http_server.routes[hook] = Response(302, headers={"Location": http_server.url(hook)})
    feeds = {"ok": credentialed(http_server, "/ok.xml", f"apikey={API_KEY}"),
             "loop": credentialed(http_server, "/loop.xml", f"token={TOKEN}"), "hook": http_server.url(hook)}
    listing = tmp_path / "feeds.toml"
    listing.write_text(feed_list_toml(feeds))
    result = CliRunner().invoke(cli, ["--home", str(home), "ingest", "--interval", "0s", "--feeds", str(listing)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return feeds, result


def test_the_poller_uses_the_credentials_and_nothing_a_reader_sees_holds_one(home, tmp_path, http_server):
    feeds, result = ingest_credentialed_feeds(home, tmp_path, http_server)
    headers = next(headers for path, headers in http_server.requests if path == f"/ok.xml?apikey={API_KEY}")
    assert headers["Authorization"] == "Basic " + base64.b64encode(f"reader:{PASSWORD}".encode()).decode()
    with duckdb.connect(str(Home.resolve(home).writer_db), read_only=True) as writer:
        assert dict(writer.execute("SELECT feed_id, url FROM feeds").fetchall()) == feeds, "the poller's, as given"
        history = str(writer.execute("SELECT url, error FROM fetches").fetchall())
    assert not [secret for secret in SECRETS if secret in history], "fetch URLs and errors are stored masked"
    published = Home.resolve(home).published_db.resolve()
    assert not [secret for secret in SECRETS if secret.encode() in published.read_bytes()], \
        "not in any block of the snapshot, free ones included"
    with open_snapshot(Home.resolve(home)) as con:
        ok_url, = con.execute("SELECT url FROM feeds WHERE feed_id = 'ok'").fetchone()
        error, = con.execute("SELECT error FROM fetches WHERE feed_id = 'loop'").fetchone()
        hook_url, hook_error = con.execute("SELECT f.url, x.error FROM feeds f JOIN fetches x USING (feed_id) "
                                           "WHERE feed_id = 'hook'").fetchone()
    assert ok_url.startswith("http://reader:***@127.0.0.1:") and ok_url.endswith("/ok.xml?apikey=***")
    assert error.startswith("redirect loop at http://") and error.endswith("/loop.xml?token=***")
    assert hook_url.endswith("/hooks/***") and hook_error.endswith("/hooks/***")
    listing = CliRunner().invoke(cli, ["--home", str(home), "feeds", "list"]).output
    as_json = CliRunner().invoke(cli, ["--home", str(home), "feeds", "list", "--json"]).output
    seen = {"ingest log": result.stderr, "feeds list": listing, "feeds list --json": as_json}
    assert {where: [s for s in SECRETS if s in text] for where, text in seen.items()} == dict.fromkeys(seen, [])
    assert "token=***" in result.stderr and "apikey=***" in listing and {row["url"] for row in json.loads(as_json)} >= {ok_url}


def test_the_run_log_says_how_long_publishing_took_and_that_a_credential_made_it_a_masked_copy(home, tmp_path,
                                                                                              http_server):
    """`seconds=` ends at the commit: a masked copy, whose cost grows with the warehouse, was in no log line."""
    http_server.routes["/plain.xml"] = Response(200, rss([Item("Seoul talks", "Korea met Japan.", guid="p1")]))
    listing = tmp_path / "plain.toml"
    listing.write_text(feed_list_toml({"plain": http_server.url("/plain.xml")}))
    plain = CliRunner().invoke(cli, ["--home", str(home), "ingest", "--interval", "0s", "--feeds", str(listing)],
                               catch_exceptions=False)
    _, credentialed = ingest_credentialed_feeds(home, tmp_path, http_server)
    assert re.search(r"event=run .* publish_seconds=\d+\.?\d* publish_copy=bytes$", plain.stderr, re.M), plain.stderr
    assert re.search(r"event=run .* publish_copy=masked$", credentialed.stderr, re.M), credentialed.stderr


def test_a_masked_copy_rewrites_only_the_columns_holding_a_credential(home, tmp_path, http_server):
    """A key in `feeds.url` made each publish look every fetch's URL and error up among the masked values: a year of
    300 feeds' fetches (10.5M rows) took a 10-article ingest from 1.6 s to 7.5 s. Fetches are stored masked."""
    ingest_credentialed_feeds(home, tmp_path, http_server)
    with duckdb.connect(str(Home.resolve(home).writer_db), read_only=True) as writer:
        substitutes = _credential_substitutes(writer)
    assert "url" in substitutes.columns["feeds"] and not {"fetches", "runs"} & set(substitutes.columns)


def test_credentials_stored_before_they_were_masked_are_masked_in_the_snapshot(home):
    """Fetch URLs and errors written by an older version hold them in the writer: the snapshot masks them too."""
    home = Home.resolve(home).ensure()
    url = f"https://reader:{PASSWORD}@feeds.example/rss?key={API_KEY}"
    with Warehouse(home.writer_db) as warehouse:
        warehouse.con.execute("INSERT INTO runs (run_id, kind, started_at, status, error) "
                              "VALUES (1, 'ingest', now(), 'completed', ?)", [f"old: timeout at {url}"])
        warehouse.con.execute("INSERT INTO fetches (run_id, feed_id, fetched_at, url, outcome, error) "
                              "VALUES (1, 'old', now(), ?, 'error', ?)", [url, f"redirect loop at {url}"])
        publish(warehouse.con, home)
    assert not [secret for secret in SECRETS if secret.encode() in home.published_db.resolve().read_bytes()]
    with open_snapshot(home) as con:
        assert con.execute("SELECT f.url, f.error, r.error FROM fetches f, runs r").fetchone() == (
            "https://reader:***@feeds.example/rss?key=***", "redirect loop at https://reader:***@feeds.example/rss?key=***",
            "old: timeout at https://reader:***@feeds.example/rss?key=***")


def test_export_opml_keeps_the_credentials_for_the_owner_and_says_so(home, tmp_path, http_server):
    feeds, _ = ingest_credentialed_feeds(home, tmp_path, http_server)
    result = CliRunner().invoke(cli, ["--home", str(home), "feeds", "export-opml"])
    assert result.exit_code == 0, result.output
    opml = tmp_path / "feeds.opml"
    opml.write_text(result.stdout)
    assert "3 feed URL(s) carry credentials" in result.stderr
    other = tmp_path / "other"
    assert CliRunner().invoke(cli, ["--home", str(other), "feeds", "import-opml", str(opml)]).exit_code == 0
    with duckdb.connect(str(Home.resolve(other).writer_db), read_only=True) as writer:
        assert {url for url, in writer.execute("SELECT url FROM feeds").fetchall()} == set(feeds.values())


def test_export_opml_exits_75_while_a_writer_holds_the_home(home, tmp_path, http_server, capsys, monkeypatch):
    """It reads the writer file: while a writing command holds the home it exits 75, as they do, rather than
    exporting the masked URLs of the snapshot."""
    ingest_credentialed_feeds(home, tmp_path, http_server)
    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["pactwatch", "--home", str(home), "feeds", "export-opml"])
    with Home.resolve(home).writer_lock(), pytest.raises(SystemExit) as exited:
        main()
    printed = capsys.readouterr()
    assert exited.value.code == EXIT_LOCKED and "try again" in printed.err and not printed.out


def test_a_replaced_credential_never_reaches_a_snapshot_from_the_writers_free_blocks(home, monkeypatch):
    """Once the credentialed URL was replaced, publish went back to a byte copy of the writer, whose free blocks still
    held the old key: every later snapshot (mode 0444) carried it. A compaction ends that. A grace of a minute keeps
    the three snapshots to read: the session's 1 s let a loaded machine collect one between publishes."""
    monkeypatch.setattr(snapshot, "GRACE_SECONDS", 60)
    invoke = lambda *args: CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)  # noqa: E731
    invoke("feeds", "add", f"https://feeds.example/rss?apikey={API_KEY}", "--id", "paid")
    invoke("feeds", "add", "https://feeds.example/rss", "--id", "paid")  # the key rotated out of the URL
    invoke("feeds", "disable", "paid")  # one more publish, with no credential left in any live row
    snapshots = sorted(Home.resolve(home).snapshots.glob("pactwatch-*.duckdb"))
    assert len(snapshots) >= 3
    assert not [path.name for path in snapshots if API_KEY.encode() in path.read_bytes()]
    assert invoke("compact").exit_code == 0
    invoke("feeds", "enable", "paid")  # after the compaction: a byte copy again, and nothing left to carry
    latest, writer = Home.resolve(home).published_db.resolve(), Home.resolve(home).writer_db
    assert API_KEY.encode() not in latest.read_bytes() and API_KEY.encode() not in writer.read_bytes()


def test_a_refused_feed_or_webhook_url_is_named_without_its_credentials(home, tmp_path):
    """A feed list with a mistake named the entry's URL as written, password and API key included, in the error that
    cron mails and journald keeps (`ingest --feeds`), as `feeds add`, `import-opml` and a refused webhook did."""
    bad = f"gopher://reader:{PASSWORD}@feeds.example/rss?apikey={API_KEY}"
    good = f"https://reader:{PASSWORD}@feeds.example/rss?apikey={API_KEY}"
    listing = tmp_path / "feeds.toml"
    listing.write_text(f'[[feed]]\nid = "a"\nurl = "{bad}"\n[[feed]]\nid = "b"\nurl = "{good}"\n'
                       f'[[feed]]\nid = "c"\nurl = "{good}"\n')
    masked = "reader:***@feeds.example/rss?apikey=***"
    runs = {("ingest", "--feeds", str(listing)): masked, ("feeds", "import-opml", str(listing)): masked,
            ("feeds", "add", bad, "--id", "a"): masked,
            ("alerts", "--notify-webhook", f"ftp://hooks.example/x?token={TOKEN}"): "hooks.example/x?token=***"}
    for args, shown in runs.items():
        result = CliRunner().invoke(cli, ["--home", str(home), *args])
        assert result.exit_code in (1, 2) and shown in result.output, result.output
        assert not any(secret in result.output for secret in SECRETS), result.output


def test_retag_and_import_say_how_long_their_last_publish_took_and_how_its_copy_was_written(home, tmp_path,
                                                                                             http_server):
    """Their last publish compacts first (snapshot.publish_compacted), and only an ingest run's line said how long
    publishing took and whether a credential made it a masked copy."""
    def import_and_retag(record_id: str) -> tuple[str, dict]:
        archive = tmp_path / f"archive-{record_id}.jsonl"
        archive.write_text(json.dumps({"id": record_id, "title": "Japan and Korea talk", "text": "Tokyo met Seoul.",
                                       "source": "wire"}) + "\n")
        imported = CliRunner().invoke(cli, ["--home", str(home), "import", str(archive)], catch_exceptions=False)
        retagged = CliRunner().invoke(cli, ["--home", str(home), "retag"], catch_exceptions=False)
        assert imported.exit_code == retagged.exit_code == 0, imported.output + retagged.output
        return imported.stderr, json.loads(retagged.stdout)

    for record_id, copy in (("1", "bytes"), ("2", "masked")):
        if copy == "masked":
            ingest_credentialed_feeds(home, tmp_path, http_server)
        import_log, retag = import_and_retag(record_id)
        assert re.search(rf"event=import runs=1 .* publish_seconds=\d+\.?\d* publish_copy={copy}$", import_log,
                         re.M), import_log
        assert retag["publish_copy"] == copy and 0 <= retag["publish_seconds"] <= retag["total_seconds"], retag

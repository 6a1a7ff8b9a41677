"""`pactwatch feeds …`: the feed list as an operator manages it, on a real warehouse."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.feeds.feedlist import SEED_FEEDS
from pipeline.feeds.models import SPEC_FIELDS, FeedSpec
from pipeline.home import Home
from pipeline.store.reader import open_snapshot
from pipeline.store.snapshot import publish
from pipeline.store.warehouse import FEED_SPEC_COLUMNS, FEED_STATE_COLUMNS, RUN_COLUMNS, Warehouse
from tests.httpserver import Response
from tests.rss import Item, rss
from tests.logfmt import without_ts

HEALTH_FIELDS = {"id", "url", "last_status", "last_error", "consecutive_failures", "last_success_at",
                 "next_check_at", "gone"}


def invoke(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def listed(home) -> dict[str, dict]:
    return {row["id"]: row for row in json.loads(invoke(home, "feeds", "list", "--json"))}


def test_add_poll_disable_and_list_health(home, http_server):
    http_server.routes["/ok.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    http_server.routes["/gone.xml"] = Response(410)
    invoke(home, "feeds", "add", http_server.url("/ok.xml"), "--id", "ok", "--country", "KOR")
    invoke(home, "feeds", "add", http_server.url("/gone.xml"), "--id", "old")
    invoke(home, "ingest", "--interval", "0s")
    feeds = listed(home)
    assert HEALTH_FIELDS <= set(feeds["ok"]) and feeds["ok"]["last_status"] == "ok"
    assert feeds["old"]["gone"] is True and feeds["old"]["health"] == "gone"
    table = [line.split("\t") for line in invoke(home, "feeds", "list").splitlines()]
    assert table[0][-1] == "last_error" and "410" in {row[0]: row[-1] for row in table[1:]}["old"]
    invoke(home, "feeds", "disable", "ok")
    assert listed(home)["ok"]["enabled"] is False
    invoke(home, "ingest", "--interval", "0s")
    assert len(http_server.requests) == 2, "neither the disabled nor the gone feed is polled again"


def test_opml_round_trip_between_homes(home, tmp_path, http_server):
    invoke(home, "feeds", "add", http_server.url("/a.xml"), "--id", "alpha", "--outlet", "Alpha News")
    invoke(home, "feeds", "add", http_server.url("/b.xml"), "--id", "beta")
    opml = tmp_path / "feeds.opml"
    opml.write_text(invoke(home, "feeds", "export-opml"))
    other = tmp_path / "other"
    invoke(other, "feeds", "import-opml", str(opml))
    assert {row["url"] for row in listed(other).values()} == {http_server.url("/a.xml"), http_server.url("/b.xml")}


def test_disabling_an_unknown_feed_is_an_error_and_publishes_nothing(home):
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "a")
    published = (home / "pactwatch.duckdb").resolve()
    result = CliRunner().invoke(cli, ["--home", str(home), "feeds", "disable", "nope"])
    assert result.exit_code == 1 and "no feed with id 'nope'" in result.output
    assert (home / "pactwatch.duckdb").resolve() == published


def test_a_feed_added_without_a_language_is_taken_at_its_word(home, http_server):
    """`feeds add` without --language leaves it to the feed's own <language>; with it, the flag wins."""
    http_server.routes["/de.xml"] = Response(200, rss([Item("Putin war in Moskau", "Der Gipfel war kurz.",
                                                             guid="d1")], language="de"))
    http_server.routes["/pt.xml"] = Response(200, rss([Item("Putin em Moscou", "Cimeira curta.", guid="p1")],
                                                      language="en"))
    invoke(home, "feeds", "add", http_server.url("/de.xml"), "--id", "de")
    invoke(home, "feeds", "add", http_server.url("/pt.xml"), "--id", "pt", "--language", "pt-BR")
    invoke(home, "ingest", "--interval", "0s")
    rows = json.loads(invoke(home, "sql", "--json", "SELECT a.outlet, a.language, count(t.topic) AS topics "
                                                    "FROM articles a LEFT JOIN article_topics t USING (article_id) "
                                                    "GROUP BY ALL ORDER BY 1"))
    assert rows == [{"outlet": "de", "language": "de", "topics": 0}, {"outlet": "pt", "language": "pt-BR", "topics": 0}]


def test_opml_round_trip_keeps_language_tier_tags_and_enabled(home, tmp_path):
    invoke(home, "feeds", "import-opml", str(SEED_FEEDS))
    invoke(home, "feeds", "disable", "bbc-world")
    opml = tmp_path / "feeds.opml"
    opml.write_text(invoke(home, "feeds", "export-opml"))
    other = tmp_path / "other"
    invoke(other, "feeds", "import-opml", str(opml))
    described = ("url", "name", "outlet", "outlet_country", "language", "tier", "tags", "enabled")
    original, copied = listed(home), listed(other)
    assert (original["bbc-arabic"]["language"], original["bbc-arabic"]["tier"], original["bbc-arabic"]["tags"]) == (
        "ar", 1, ["broadcaster", "middle-east"])
    assert {i: [f[k] for k in described] for i, f in copied.items()} == {
        i: [f[k] for k in described] for i, f in original.items()}


def test_export_opml_before_anything_was_stored_says_so(home):
    result = CliRunner().invoke(cli, ["--home", str(home), "feeds", "export-opml"])
    assert result.exit_code == 1 and "no warehouse in" in result.output


def test_re_adding_a_feed_takes_the_new_url_and_keeps_what_was_not_given(home, http_server):
    http_server.routes["/old.xml"] = Response(410)
    http_server.routes["/new.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    invoke(home, "feeds", "add", http_server.url("/old.xml"), "--id", "nk", "--outlet", "NK News", "--country", "KOR",
           "--language", "en")
    invoke(home, "ingest", "--interval", "0s")
    assert listed(home)["nk"]["health"] == "gone"
    said = invoke(home, "feeds", "add", http_server.url("/new.xml"), "--id", "nk", "--name", "NK News – All")
    assert said.strip() == "refreshed nk", "it said 'added nk' of a feed it refreshed"
    feed = listed(home)["nk"]
    assert (feed["url"], feed["name"], feed["outlet"], feed["outlet_country"], feed["language"], feed["gone"]) == (
        http_server.url("/new.xml"), "NK News – All", "NK News", "KOR", "en", False)
    invoke(home, "ingest", "--interval", "0s")
    assert [path for path, _ in http_server.requests] == ["/old.xml", "/new.xml"], "the new URL is polled at once"
    assert listed(home)["nk"]["health"] == "healthy"


def test_adding_a_file_feed_that_is_not_there_yet_warns_and_keeps_it(home, tmp_path):
    """A replay's capture may be written later, so the feed is kept; but a typo'd path was accepted in silence and
    every poll then recorded FileNotFoundError."""
    capture = tmp_path / "captures" / "wsj.xml"
    said = invoke(home, "feeds", "add", capture.as_uri(), "--id", "wsj", "--outlet", "WSJ")
    assert "added wsj" in said and f"warning: {capture} is not a file" in said
    capture.parent.mkdir()
    capture.write_bytes(rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    said = invoke(home, "feeds", "add", capture.as_uri(), "--id", "wsj")  # the outlet stays
    assert said.strip() == "refreshed wsj"
    invoke(home, "ingest", "--interval", "0s")
    assert listed(home)["wsj"]["health"] == "healthy"


def test_a_missing_file_feed_is_named_escaped(home, tmp_path):
    """The path is decoded from the URL, which may come from a shared document: its %0A forged a log line, its %1B or
    %E2%80%AE drove or reordered the terminal (color=True: click strips ESC sequences only, and from a pipe only)."""
    url = f"{tmp_path.as_uri()}/%1B%5B2J%E2%80%AE%0Ats=2026-12-06T00:00:00Z%20event=run%20failures=0.xml"
    said = CliRunner().invoke(cli, ["--home", str(home), "feeds", "add", url, "--id", "wsj", "--outlet", "WSJ"],
                              color=True).output
    escaped = "\\x1b[2J\\u202e\\nts=2026-12-06T00:00:00Z event=run failures=0.xml"
    assert f"warning: {tmp_path}/{escaped} is not a file" in said
    assert not [line for line in said.splitlines() if line.startswith("ts=")]
    assert not any(char in said for char in "\x1b\u202e")


def test_a_second_id_for_a_stored_url_is_named_until_one_is_disabled(home, tmp_path):
    """Each poll fetched the document twice, in silence: a renamed id in a TOML list, or `feeds add` of a URL under
    a new id, left the old feed polling the same URL."""
    said = invoke(home, "feeds", "add", "https://www.nknews.org/feed/", "--id", "nknews", "--outlet", "NK News")
    assert "warning" not in said
    said = invoke(home, "feeds", "add", "https://WWW.nknews.org/feed/?utm_source=x", "--id", "nk-news", "--outlet",
                  "NK News")
    assert "warning: feeds nk-news, nknews poll the same URL" in said
    invoke(home, "feeds", "disable", "nknews")
    toml = tmp_path / "feeds.toml"
    toml.write_text('[[feed]]\nid = "nk-news"\nurl = "https://www.nknews.org/feed/"\n', encoding="utf-8")
    assert "warning" not in invoke(home, "feeds", "import-opml", str(toml))
    invoke(home, "feeds", "enable", "nknews")
    assert "warning: feeds nk-news, nknews poll the same URL" in invoke(home, "feeds", "import-opml", str(toml))


def test_a_feed_list_applies_the_fields_it_spells_out_and_keeps_the_others(home, tmp_path):
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feed]]\nid = "a"\nurl = "https://a.example/rss"\ntier = 1\ntags = ["wire"]\n')
    invoke(home, "feeds", "import-opml", str(feeds))
    invoke(home, "feeds", "disable", "a")
    feeds.write_text('[[feed]]\nid = "a"\nurl = "https://a.example/feed"\nname = "A"\n')
    invoke(home, "feeds", "import-opml", str(feeds))
    feed = listed(home)["a"]
    assert (feed["url"], feed["name"], feed["tier"], feed["tags"], feed["enabled"]) == (
        "https://a.example/feed", "A", 1, ["wire"], False), "a list that says nothing of enabled keeps it"
    feeds.write_text('[[feed]]\nid = "a"\nurl = "https://a.example/feed"\nenabled = true\n')
    invoke(home, "feeds", "import-opml", str(feeds))
    assert listed(home)["a"]["enabled"] is True


def test_an_outlet_name_beyond_the_basic_plane_is_kept_as_given(home):
    """`feeds add` wrote its options into TOML through json.dumps, whose surrogate-pair escapes TOML refuses:
    "not valid TOML: Escaped character is not a Unicode scalar value"."""
    invoke(home, "feeds", "add", "https://news.example.org/feed.xml", "--id", "wire", "--outlet", "Wire 𝕏 📰")
    assert listed(home)["wire"]["outlet"] == "Wire 𝕏 📰"


def test_another_readers_opml_adds_a_feed_under_a_stored_feeds_title_apart(home, tmp_path):
    """The id made up from the title, "bbc-world", was the stored feed's: that feed's URL and name were replaced."""
    invoke(home, "feeds", "add", "https://feeds.bbci.co.uk/news/world/rss.xml", "--id", "bbc-world", "--name", "BBC")
    invoke(home, "feeds", "add", "https://www.nknews.org/feed/", "--id", "nk-news")
    opml = tmp_path / "reader.opml"
    opml.write_text('<opml version="2.0"><body><outline text="BBC World" xmlUrl="https://www.bbc.com/world.rss"/>'
                    '<outline text="NK News" xmlUrl="https://www.nknews.org/feed/"/></body></opml>')
    invoke(home, "feeds", "import-opml", str(opml))
    feeds = listed(home)
    assert (feeds["bbc-world"]["url"], feeds["bbc-world"]["name"]) == ("https://feeds.bbci.co.uk/news/world/rss.xml", "BBC")
    assert feeds["bbc-world-2"]["url"] == "https://www.bbc.com/world.rss"


def test_a_readers_opml_whose_feed_moved_names_the_stored_feed_still_polling_the_old_url(home, tmp_path):
    """A reader's export after an outlet moved its feed added `dw-english-2` beside `dw-english`, which went on
    polling the old URL (failing, counted by `status --check`), without a word."""
    opml = tmp_path / "reader.opml"
    opml.write_text('<opml><body><outline text="DW English" xmlUrl="https://rss.dw.com/rdf/rss-en-all"/>'
                    '<outline text="NK News" xmlUrl="https://www.nknews.org/feed/"/></body></opml>')
    assert "warning" not in invoke(home, "feeds", "import-opml", str(opml))
    assert "warning" not in invoke(home, "feeds", "import-opml", str(opml)), "the same list again: all refreshed"
    opml.write_text(opml.read_text().replace("rss-en-all", "rss-en-world"))
    said = invoke(home, "feeds", "import-opml", str(opml))
    assert "warning: dw-english-2 is new, at another URL than dw-english" in said
    assert "`pactwatch feeds disable dw-english`" in said and "nk-news" not in said.split("warning", 1)[1]
    invoke(home, "feeds", "disable", "dw-english")
    opml.write_text(opml.read_text().replace("rss-en-world", "rss-en-top"))
    assert "warning" not in invoke(home, "feeds", "import-opml", str(opml)), "dw-english is polled no more"


def test_import_opml_says_how_many_feeds_were_new_and_which_were_refreshed(home, tmp_path):
    """It said "imported 8 feeds" whether it added them or refreshed known ones."""
    opml = tmp_path / "reader.opml"
    outlines = "".join(f'<outline text="Feed {n}" xmlUrl="https://a.example/{n}.rss"/>' for n in range(1, 8))
    opml.write_text(f"<opml><body>{outlines}</body></opml>")
    assert invoke(home, "feeds", "import-opml", str(opml)).strip() == "imported 7 feeds: 7 new, 0 refreshed"
    opml.write_text(f'<opml><body>{outlines}<outline text="Feed 8" xmlUrl="https://a.example/8.rss"/></body></opml>')
    assert invoke(home, "feeds", "import-opml", str(opml)).strip() == (
        "imported 8 feeds: 1 new, 7 refreshed (feed-1, feed-2, feed-3, feed-4, feed-5, …)")


@pytest.mark.parametrize("options, said", [
    (["ftp://x", "--id", "a"], "url must be an absolute http(s) or file URL"),
    (["https://a.example/rss", "--id", "A b"], "id must be lower-case"),
    (["https://a.example/rss", "--id", "a", "--language", "not a tag!"], "language must be a language tag"),
    (["https://a.example/rss", "--id", "a", "--country", "XXX"], "XXX")])
def test_feeds_add_refuses_each_bad_value_as_a_usage_error(tmp_path, options, said):
    """An unknown --country exited 2 (click's usage error), a bad --language, --id or URL 1: one kind of mistake, the
    command line's, gets one exit code, and no home is made for it."""
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "h"), "feeds", "add", *options])
    assert result.exit_code == 2 and said in result.output, result.output
    assert not (tmp_path / "h").exists()


@pytest.mark.parametrize("name", ["ev\x01il", "ev\x9b2Jil", "ev\u202eli"])
def test_a_name_with_a_control_character_is_refused_by_feeds_add(home, name):
    """It was stored, and `feeds export-opml` then wrote XML that `feeds import-opml` refused. A C1 control (U+009B
    is a terminal's CSI) or a bidi override was stored too, and `feeds list --json` printed it."""
    result = CliRunner().invoke(cli, ["--home", str(home), "feeds", "add", "https://a.example/rss", "--id", "a",
                                      "--name", name])
    assert result.exit_code == 2 and "name must be a non-empty string without control characters" in result.output


def test_the_feeds_table_holds_every_field_of_a_feed_spec_in_its_order():
    """The store keeps its own column list (it imports no feeds code); FeedSpec.as_row fills exactly those."""
    spec_fields = tuple(f.name for f in dataclasses.fields(FeedSpec) if f.name != "stated")
    assert spec_fields == SPEC_FIELDS == FEED_SPEC_COLUMNS
    assert tuple(FeedSpec(*("x",) * 4, None, None, 2, (), True).as_row()) == FEED_SPEC_COLUMNS


def test_a_servers_control_characters_reach_no_terminal(home, http_server):
    """A reason phrase or a Location header holding C1 controls (U+009B is a CSI of its own) was stored in
    fetches.error and feeds.last_error as sent, and the ingest log and `feeds list` printed it to the terminal."""
    http_server.routes["/reason.xml"] = Response(500, reason="Oops \x9b2J\x9b31m red")  # httpx drops its non-ASCII
    http_server.routes["/moved.xml"] = Response(302, headers={"Location": "ftp://x.example/\x9b2J\x85feed"})
    invoke(home, "feeds", "add", http_server.url("/reason.xml"), "--id", "reason")
    invoke(home, "feeds", "add", http_server.url("/moved.xml"), "--id", "moved")
    ingest = CliRunner().invoke(cli, ["--home", str(home), "ingest"])
    feeds_list = invoke(home, "feeds", "list")
    with open_snapshot(Home.resolve(home)) as con:
        stored = [row[0] for row in con.execute(
            "SELECT error FROM fetches UNION ALL SELECT last_error FROM feeds").fetchall() if row[0]]
    assert "Oops 2J31m red" in feeds_list and "ftp://x.example/ 2J feed" in ingest.output + feeds_list
    for shown in (ingest.output, feeds_list, *stored):
        assert not any(0x7f <= ord(char) <= 0x9f or char == "\x1b" for char in shown), repr(shown)


HOSTILE = "\x1b]0;owned\x07 \x9b2J \u202etxt.exe"  # retitles the window, clears the screen, shows "exe.txt"


def write_old_home(home) -> None:
    """A feed as an older version stored it: name, outlet and last error with the controls it no longer lets in."""
    now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    spec = FeedSpec("old", "https://a.example/rss", f"name {HOSTILE}", f"outlet {HOSTILE}", None, None, 2, (), True)
    state = {"feed_id": "old", "url": spec.url, "last_status": "error", "last_error": f"HTTP 500 {HOSTILE}",
             "consecutive_failures": 1, "last_checked_at": now, "next_check_at": now, "gone": False, "key_mode": "guid"}
    run = {"run_id": 1, "kind": "ingest", "started_at": now, "finished_at": now, "status": "completed",
           **dict.fromkeys(("feeds_polled", "failures", "not_modified", "new_articles", "duplicates", "seconds"), 0)}
    with Warehouse(Home.resolve(home).ensure().writer_db) as warehouse:
        warehouse.register_feeds([spec.as_row()], now)
        warehouse.write_run({column: run.get(column) for column in RUN_COLUMNS},
                            feed_states=[{column: state.get(column) for column in FEED_STATE_COLUMNS}])
        publish(warehouse.con, Home.resolve(home))


def test_feeds_list_escapes_the_controls_an_older_version_stored(home):
    """A last error (or, in --json, a name or outlet) stored before they were cleaned reached the terminal with its
    bidi override raw; the table and --json now escape every control (C0, DEL, C1, bidi) as they print it."""
    write_old_home(home)
    table, as_json = invoke(home, "feeds", "list"), invoke(home, "feeds", "list", "--json")
    for shown in (table, as_json):
        assert not any(char in shown for char in "\x1b\x07\x9b\u202e"), repr(shown)
    assert "HTTP 500 \\x1b]0;owned\\x07 \\x9b2J \\u202etxt.exe" in table
    feed, = json.loads(as_json)
    assert (feed["name"], feed["outlet"], feed["last_error"]) == (
        f"name {HOSTILE}", f"outlet {HOSTILE}", f"HTTP 500 {HOSTILE}")  # escaped, not lost


def test_a_moved_feed_named_again_by_its_listed_or_its_new_url_keeps_its_move_and_its_id(home, tmp_path, http_server):
    """`feeds add` of the URL a 301 moved put it back and reset the feed; a reader's OPML (no ids) naming the new URL
    made up a second feed polling it."""
    http_server.routes["/old.xml"] = Response(301, headers={"Location": http_server.url("/new.xml")})
    http_server.routes["/new.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]),
                                              {"ETag": '"v1"'})
    invoke(home, "feeds", "add", http_server.url("/old.xml"), "--id", "nk", "--name", "NK News")
    invoke(home, "ingest", "--interval", "1h")
    assert invoke(home, "feeds", "add", http_server.url("/old.xml"), "--id", "nk").strip() == "refreshed nk"
    opml = tmp_path / "reader.opml"
    opml.write_text(f'<opml><body><outline text="NK News" xmlUrl="{http_server.url("/new.xml")}"/></body></opml>')
    assert invoke(home, "feeds", "import-opml", str(opml)).strip() == "imported 1 feeds: 0 new, 1 refreshed (nk)"
    with open_snapshot(Home.resolve(home)) as con:
        assert con.execute("SELECT feed_id, url, etag, next_check_at IS NOT NULL FROM feeds").fetchall() == [
            ("nk", http_server.url("/new.xml"), '"v1"', True)]


def test_enabling_a_gone_feed_gives_it_another_try_at_the_next_run(home, http_server):
    """A feed that answered 410 was never polled again, and `feeds enable` on it said "enabled" and changed nothing:
    only a new URL cleared gone."""
    http_server.routes["/back.xml"] = Response(410)
    invoke(home, "feeds", "add", http_server.url("/back.xml"), "--id", "back")
    invoke(home, "ingest", "--interval", "1h")
    assert listed(home)["back"]["health"] == "gone"
    said = invoke(home, "feeds", "enable", "back")
    assert said.strip() == "enabled back; it had answered 410 Gone: no longer gone, polled again at the next run"
    assert listed(home)["back"]["gone"] is False
    http_server.routes["/back.xml"] = Response(200, rss([Item("Talks in Seoul", "Korea and Japan met.", guid="g1")]))
    invoke(home, "ingest", "--interval", "1h")
    assert [path for path, _ in http_server.requests] == ["/back.xml", "/back.xml"]
    assert listed(home)["back"]["health"] == "healthy"
    assert invoke(home, "feeds", "enable", "back").strip() == "enabled back", "nothing more said of a feed not gone"


def logged(home, args: list[str], event: str) -> list[str]:
    """The `event` lines (without their time) a successful command logs."""
    result = CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [line for line in without_ts(result.stderr) if line.startswith(f"event={event} ")]


@pytest.mark.parametrize("command", [("ingest", "--interval", "0s", "--feeds"), ("feeds", "import-opml")])
def test_a_feed_list_enabling_a_disabled_feed_again_says_so_once_per_feed(home, tmp_path, http_server, command):
    """The list spells `enabled = true` out, so it wins; a cron job's list undid `feeds disable` silently."""
    http_server.routes["/a.xml"] = http_server.routes["/b.xml"] = Response(200, rss([]))
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("".join(f'[[feed]]\nid = "{name}"\nurl = "{http_server.url(f"/{name}.xml")}"\nenabled = true\n'
                             for name in ("a", "b")))
    run = [*command, str(feeds)]

    def enabled_again() -> list[str]:
        return logged(home, run, "feed_enabled")

    assert enabled_again() == []  # new feeds, enabled as listed
    invoke(home, "feeds", "disable", "b")
    reason = "feeds-file" if command[0] == "ingest" else "import-opml"
    assert enabled_again() == [f"event=feed_enabled feed=b reason={reason}"]
    assert listed(home)["b"]["enabled"] is True
    assert enabled_again() == []  # enabled already: nothing to say


def test_a_feed_added_without_an_outlet_is_warned_of_and_its_outlet_listed(home):
    """Its articles are cited under its id ("codehollow-feedreader-rss20reuters-xml" in evidence and exports), which
    nothing said; nor did `feeds list` show any feed's outlet."""
    said = invoke(home, "feeds", "add", "https://a.example/rss", "--id", "reuters-world")
    assert "warning: reuters-world has no outlet: its articles are cited under its id; add it again with --outlet " \
           "NAME" in said
    assert "warning" not in invoke(home, "feeds", "add", "https://a.example/rss", "--id", "reuters-world", "--outlet",
                                   "Reuters")
    assert "warning" not in invoke(home, "feeds", "add", "https://b.example/rss", "--id", "b", "--name", "B News")
    header, *rows = [line.split("\t") for line in invoke(home, "feeds", "list").splitlines()]
    assert {row[0]: dict(zip(header, row))["outlet"] for row in rows} == {"reuters-world": "Reuters", "b": "B News"}


def test_a_name_given_later_to_a_feed_cited_under_its_id_becomes_its_outlet(home):
    """Added again with --name alone, it kept its id as the outlet its articles are cited under, and the name
    silenced the warning that says so. A feed that has an outlet keeps it: the name is not its outlet."""
    invoke(home, "feeds", "add", "https://a.example/rss", "--id", "reuters-world")
    invoke(home, "feeds", "add", "https://b.example/rss", "--id", "b", "--outlet", "B Daily")
    assert "warning" not in invoke(home, "feeds", "add", "https://a.example/rss", "--id", "reuters-world", "--name",
                                   "Reuters World")
    invoke(home, "feeds", "add", "https://b.example/rss", "--id", "b", "--name", "B Daily: Asia")
    assert {feed_id: (row["name"], row["outlet"]) for feed_id, row in listed(home).items()} == {
        "reuters-world": ("Reuters World", "Reuters World"), "b": ("B Daily: Asia", "B Daily")}


@pytest.mark.parametrize("command", [("ingest", "--interval", "0s", "--feeds"), ("feeds", "import-opml")])
def test_a_feed_list_names_each_feed_it_adds_without_an_outlet_once(home, tmp_path, http_server, command):
    """A cron job registers its list at every run: the feeds it adds without an outlet are named when added. An
    outlet given as the id is the operator's choice."""
    http_server.routes["/a.xml"] = http_server.routes["/b.xml"] = http_server.routes["/c.xml"] = Response(200, rss([]))
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nid = "a"\nurl = "{http_server.url("/a.xml")}"\noutlet = "A News"\n'
                     f'[[feed]]\nid = "b"\nurl = "{http_server.url("/b.xml")}"\n'
                     f'[[feed]]\nid = "c"\nurl = "{http_server.url("/c.xml")}"\noutlet = "c"\n')
    reason = "feeds-file" if command[0] == "ingest" else "import-opml"
    assert logged(home, [*command, str(feeds)], "no_outlet") == [f"event=no_outlet feed=b reason={reason}"]
    assert logged(home, [*command, str(feeds)], "no_outlet") == []


def test_feeds_check_reads_a_list_as_ingest_would_without_a_home(tmp_path):
    """An organisation's list is checked before a cron job reads it: every problem named (exit 1), else its feeds
    counted and those without an outlet named. No home is made or needed."""
    good = tmp_path / "feeds.toml"
    good.write_text('[[feed]]\nid = "a"\nurl = "https://a.example/rss"\noutlet = "A News"\n'
                    '[[feed]]\nid = "b"\nurl = "https://b.example/rss"\nenabled = false\n'
                    '[[feed]]\nid = "c"\nurl = "https://c.example/rss"\nname = "C Daily"\n')
    home = tmp_path / "home"
    result = CliRunner().invoke(cli, ["--home", str(home), "feeds", "check", str(good)])
    assert result.exit_code == 0 and result.stdout == f"{good}: 3 feeds, 2 enabled\n"
    assert result.stderr.splitlines() == [
        'warning: b has no outlet: its articles would be cited under its id; give it outlet = "NAME"']
    said = json.loads(CliRunner().invoke(cli, ["--home", str(home), "feeds", "check", str(good), "--json"]).stdout)
    assert said == {"path": str(good), "feeds": 3, "enabled": 2, "without_outlet": ["b"]}
    opml = tmp_path / "reader.opml"
    opml.write_text('<opml version="2.0"><body><outline text="Alpha" type="rss" xmlUrl="https://a.example/rss"/>'
                    '</body></opml>')
    assert CliRunner().invoke(cli, ["feeds", "check", str(opml)]).stdout == f"{opml}: 1 feeds, 1 enabled\n"
    bad = tmp_path / "bad.toml"
    bad.write_text('[[feed]]\nid = "A b"\nurl = "ftp://x"\n[[feed]]\nid = "a"\nurl = "https://a.example/rss"\n')
    refused = CliRunner().invoke(cli, ["--home", str(home), "feeds", "check", str(bad)])
    assert refused.exit_code == 1 and "id must be lower-case" in refused.stderr and "url must be" in refused.stderr
    assert not home.exists()

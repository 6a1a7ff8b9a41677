"""article_stories on real warehouses: copies of one story run by several outlets under their own addresses stay
articles, each with the story of the first stored copy, decided by ingest and import and rebuilt alike by retag."""
from __future__ import annotations

import json

import pytest

import pipeline.store.warehouse
from tests.test_archive import invoke, query

TITLE = "Iran, Russia link banking systems"
TEXT = ("TEHRAN (AP) — Iran and Russia have connected their interbank payment systems, the central banks said on "
        "Thursday, a step that lets banks of both countries settle trade without the dollar.")
OTHER = ("Iranian and Russian central bank officials met in Moscow to discuss payment settlement, and agreed to "
         "meet again next month to review the first transfers.")


def record(number: int, outlet: str, day: str, title: str = TITLE, text: str = TEXT) -> dict:
    return {"id": f"r{number}", "title": title, "text": text, "source": outlet, "published": f"{day}T10:00:00Z",
            "url": f"https://{outlet}.example/world/{number}"}


def imported(home, tmp_path, name: str, records: list[dict]) -> None:
    archive = tmp_path / f"{name}.jsonl"
    archive.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    invoke(home, "import", str(archive))


def stories(home) -> dict[str, str]:
    """url -> the url of its story's first stored copy."""
    return dict(query(home, "SELECT a.url, f.url FROM article_stories s JOIN articles a USING (article_id, day) "
                            "JOIN articles f ON f.article_id = s.story_id"))


def test_copies_run_by_several_outlets_are_one_story_within_seven_days(home, tmp_path):
    """J's review: one AP story run by 12 outlets counted as 12 articles everywhere, and nothing said they were one."""
    imported(home, tmp_path, "wire", [
        record(1, "outlet0", "2026-10-28"), record(2, "outlet1", "2026-10-28"),
        record(3, "outlet2", "2026-10-29", text=TEXT.replace("TEHRAN (AP) — ", "")),  # its dateline dropped
        record(4, "outlet3", "2026-10-28", title="Iran and Russia open talks on payments", text=OTHER),
        record(5, "outlet4", "2026-11-06"),  # 9 days after the first: run again, a story of its own
        record(6, "outlet5", "2026-10-28", title="Payments", text="Iran links banks."),  # too short for a key
    ])
    found = stories(home)
    first = found["https://outlet0.example/world/1"]
    assert first in ("https://outlet0.example/world/1", "https://outlet1.example/world/2")  # one run: by day, then id
    assert {found[f"https://outlet{n}.example/world/{n + 1}"] for n in range(3)} == {first}
    assert found["https://outlet3.example/world/4"] == "https://outlet3.example/world/4"
    assert found["https://outlet4.example/world/5"] == "https://outlet4.example/world/5"
    assert found["https://outlet5.example/world/6"] == "https://outlet5.example/world/6"
    assert query(home, "SELECT count(*), count(story_key) FROM article_stories") == [(6, 5)]
    assert query(home, "SELECT count(*), count(DISTINCT story_id) FROM v_article_stories") == [(6, 4)]
    assert query(home, "SELECT copies, story_outlets FROM v_article_stories JOIN articles USING (article_id) "
                       "WHERE url = 'https://outlet2.example/world/3'") == [(3, 3)]


def test_a_copy_stored_later_joins_the_story_stored_first_whatever_its_date(home, tmp_path):
    """The first stored copy is the story, as a run decides it: a later run's copy dated a day earlier does not take
    the story over, nor change what was stored before."""
    imported(home, tmp_path, "first", [record(1, "outlet0", "2026-10-28")])
    imported(home, tmp_path, "second", [record(2, "outlet1", "2026-10-27"), record(3, "outlet2", "2026-11-03")])
    found = stories(home)
    assert set(found.values()) == {"https://outlet0.example/world/1"}


@pytest.mark.parametrize("articles_a_query", [100_000, 2, 1])
def test_retag_rebuilds_the_stories_ingest_decided(home, tmp_path, monkeypatch, articles_a_query):
    """Also when the retag resolves the stories of a share of the articles' keys at a time (a 1M warehouse's in one
    query ran out of memory): each key's copies are in one share."""
    monkeypatch.setattr(pipeline.store.warehouse, "RETAG_ARTICLES_A_QUERY", articles_a_query)
    imported(home, tmp_path, "first", [record(1, "outlet0", "2026-10-28"), record(2, "outlet1", "2026-10-21")])
    imported(home, tmp_path, "second", [record(3, "outlet2", "2026-10-27"), record(4, "outlet3", "2026-11-03"),
                                        record(5, "outlet4", "2026-10-14")])
    before = query(home, "SELECT * FROM article_stories ORDER BY ALL")
    # the story's first copy is dated 10-21, the first run's earlier one; 11-03 is 13 days after it: a story of its own
    assert set(stories(home).values()) == {"https://outlet1.example/world/2", "https://outlet3.example/world/4"}
    invoke(home, "retag")
    assert query(home, "SELECT * FROM article_stories ORDER BY ALL") == before


def test_articles_stored_before_stories_were_kept_ask_for_a_retag_and_count_as_stories_of_their_own(home, tmp_path):
    from pipeline.home import Home
    from pipeline.store.snapshot import publish
    from pipeline.store.warehouse import Warehouse

    imported(home, tmp_path, "wire", [record(1, "outlet0", "2026-10-28"), record(2, "outlet1", "2026-10-28")])
    assert json.loads(invoke(home, "status", "--json").stdout)["articles_without_stories"] == 0
    with Warehouse(Home.resolve(home).writer_db) as warehouse:  # what migration 0060 leaves of an older home
        warehouse.con.execute("DELETE FROM article_stories")
        publish(warehouse.con, Home.resolve(home))
    report = json.loads(invoke(home, "status", "--json").stdout)
    assert report["articles_without_stories"] == 2 and report["retag_needed"]
    assert "run `pactwatch retag`" in invoke(home, "status").stdout
    assert query(home, "SELECT count(DISTINCT story_id), max(copies) FROM v_article_stories") == [(2, 1)]
    invoke(home, "retag")
    report = json.loads(invoke(home, "status", "--json").stdout)
    assert report["articles_without_stories"] == 0 and not report["retag_needed"]
    assert query(home, "SELECT count(DISTINCT story_id), max(copies) FROM v_article_stories") == [(1, 2)]


def test_a_snapshot_published_before_stories_were_kept_counts_each_article_as_a_story(home, tmp_path):
    """A reader (the dashboard, `alerts`) may open a snapshot an older version published, without article_stories."""
    from datetime import date

    from pipeline.home import Home
    from pipeline.store.indicators import Window, window_stories
    from pipeline.store.queries import Scope, pair_stories
    from pipeline.store.reader import open_snapshot
    from pipeline.store.snapshot import publish
    from pipeline.store.warehouse import Warehouse

    imported(home, tmp_path, "wire", [record(1, "outlet0", "2026-10-28"), record(2, "outlet1", "2026-10-28")])
    window, scope = Window("IRN", "RUS", None, date(2026, 10, 22), date(2026, 10, 28)), Scope(date(2026, 10, 1),
                                                                                              date(2026, 10, 31))
    with open_snapshot(Home.resolve(home)) as con:
        assert [(w.articles, w.stories) for w in window_stories(con, [window])] == [(2, 1)]
        assert pair_stories(con, scope, "IRN-RUS") == {"articles": 2, "stories": 1, "copied_stories": 1, "copies": 2}
    with Warehouse(Home.resolve(home).writer_db) as warehouse:
        warehouse.con.execute("DROP VIEW v_article_stories")
        warehouse.con.execute("DROP TABLE article_stories")
        publish(warehouse.con, Home.resolve(home))
    with open_snapshot(Home.resolve(home)) as con:
        assert [(w.articles, w.stories) for w in window_stories(con, [window])] == [(2, 2)]
        assert pair_stories(con, scope, "IRN-RUS") == {"articles": 2, "stories": 2, "copied_stories": 0, "copies": 0}

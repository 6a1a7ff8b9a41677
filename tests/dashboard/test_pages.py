"""AppTest on every page of the real entry script, asserting the numbers the factory guarantees."""
from __future__ import annotations

import json
import re
import shlex
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from urllib.parse import parse_qsl

import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.proto.Block_pb2 import Block as BlockProto
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from pipeline.article_day import NO_DATE_GIVEN, STORED_DAY, WRITTEN_SHOWN
from pipeline.dashboard import filters
from pipeline.dashboard.transforms import TITLE_SHOWN
from pipeline.dashboard.charts import CELL_PICK, DAY_PICK, PICKED_DAY, TOPIC_COLORS
from pipeline.dashboard.routes import ROUTES
from pipeline.home import Home

from pipeline.store.queries import DEMO_STATE, LEVELS, SEARCH_LIMIT
from pipeline.store.reader import open_snapshot
from pipeline.store import snapshot
from pipeline.store.snapshot import publish
from pipeline.store.warehouse import Warehouse
from tests.conftest import downloaded_csv, seeds_that_do_not_load

from .conftest import CROWDED_BRIEFINGS, CURRENT_PARAMS, ROOT, UNDATED, as_drawn, history_run, open_page
from .factory import (CURRENT, EXPECTED, PAYLOADS, PREVIOUS, FEEDS, STORIES, Story, briefings, build_home,
                      feed_specs, quiet_week, write_empty_fetches, write_revisions, write_stories)

ROUTE = {route.name: route for route in ROUTES}


def frame(app, index: int = 0):
    return app.dataframe[index].value


def chart_frames(app) -> list:
    """The data of every Altair chart on the page, as the browser receives it (Arrow IPC)."""
    charts = [element for element in app.main if getattr(element, "type", "") == "vega_lite_chart"]
    return [pa.ipc.open_stream(dataset.data.data).read_pandas() for chart in charts for dataset in chart.proto.datasets]


def test_overview_kpis_compare_with_the_previous_period(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], CURRENT_PARAMS)
    shown = {m.label.lower(): (int(m.value), int(m.delta)) for m in app.metric}
    assert shown == {metric: (EXPECTED["current"][metric], EXPECTED["current"][metric] - EXPECTED["previous"][metric])
                     for metric in EXPECTED["current"]}
    # signed, and against what: a screen reader (the arrow is hidden from it) read "49"
    assert all(m.delta[0] in "+-" or m.delta == "0" for m in app.metric)
    assert {m.proto.delta_description for m in app.metric} == {"vs before"}
    # "Active feeds 20" here read against the Feeds page's "Disabled 20": the demo's feeds are registered disabled
    feeds = next(m for m in app.metric if m.label == "Feeds with articles")
    assert "disabled ones too" in feeds.proto.help
    assert any("Demo data" in w.value for w in app.warning)
    assert any("Data as of 2025-03-14 11:00 UTC" in c.value for c in app.caption)
    # a change is news, not good or bad: no red "↓ -2"
    assert {m.proto.color for m in app.metric} == {MetricProto.MetricColor.GRAY}
    # PRK–RUS 1 → 4 and IRN–RUS 0 → 1 are under the rising pairs' floor, which the page states
    assert any(i.value == "No pair rose beyond chance against the previous period." for i in app.info)
    assert any(c.value.startswith("Listed: pairs with at least 5 articles in this period that gained more than chance")
               for c in app.caption)


def test_overview_names_the_pairs_of_the_chosen_country_apart(monkeypatch, third_countries_home):
    """Under Countries = PRK, "Pairs" counts every pair of the articles naming it; "Pairs naming PRK" those of PRK."""
    app = open_page(monkeypatch, third_countries_home, ROUTE["overview"], {**CURRENT_PARAMS, "countries": "PRK"})
    shown = {m.label: int(m.value) for m in app.metric}
    assert 0 < shown["Pairs naming PRK"] < shown["Pairs"], shown
    assert "theirs or not" in next(m for m in app.metric if m.label == "Pairs").proto.help


def test_overview_lists_the_pairs_that_rose_beyond_chance(monkeypatch, pair_crowded_home):
    """A pair going 0 → 1 ranked beside pairs gaining hundreds of mentions: IRN–RUS (0 → 1) is not listed now."""
    app = open_page(monkeypatch, pair_crowded_home, ROUTE["overview"], CURRENT_PARAMS)
    rising = frame(app)
    assert rising[["pair", "current", "previous", "change"]].values.tolist() == [["PRK–RUS", 654, 1, 653]]
    # which topic rose with it: military (p2 → c1, c2, c7) and sanctions (none → c2, c3) both gained 2; military,
    # with more articles now, leads
    assert rising.iloc[0]["grew_most"] == "military +2"
    # the list says it is capped
    assert any(c.value.startswith("The 1 pair(s) that grew most (at most 10).") for c in app.caption)
    # against as many articles the week before (Japan's economy): the pair's rise is its own
    assert not any("more articles than the one before" in c.value for c in app.caption)
    assert any("gained more than chance makes once in a hundred" in c.value for c in app.caption)


def test_a_rising_pair_opens_from_the_keyboard_too(monkeypatch, pair_crowded_home):
    """Review R: the rising pairs' bars take no focus, and their table opens nothing: a reader without a mouse could
    not open a rising pair. A choice under the chart opens it, once (the way back to the Overview stays on it)."""
    app = open_page(monkeypatch, pair_crowded_home, ROUTE["overview"], CURRENT_PARAMS)
    chooser = next(box for box in app.selectbox if box.label == "Open a rising pair")
    assert chooser.options == ["PRK-RUS"] and chooser.value is None
    chooser.select("PRK-RUS").run()
    assert [h.value for h in app.main.header] == ["PRK–RUS"] and app.query_params["pair"] == "PRK-RUS"
    assert "rising_by_keyboard" not in app.session_state


def test_a_days_articles_open_from_the_keyboard_as_a_bars_click_opens_them(monkeypatch, factory_home):
    """Review S: the Overview's bars take no focus, and its caption said "Click a bar": a screen-reader user could not
    list a day's articles. A choice under the chart, the newest day first with its count, opens them, once."""
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], CURRENT_PARAMS)
    chooser = next(box for box in app.selectbox if box.label == "List a day's articles")
    assert chooser.options[0].startswith(f"{CURRENT[1]:%Y-%m-%d} (") and chooser.value is None
    chooser.select(chooser.options[1]).run()  # Streamlit's testing selects an option by its label
    day = (CURRENT[1] - timedelta(days=1)).isoformat()
    assert [t.value for t in app.title] == ["Articles"]
    assert (app.query_params["from"], app.query_params["to"]) == (day, day)
    assert "volume_by_keyboard" not in app.session_state


def test_a_pair_of_the_cooccurrence_matrix_opens_from_the_keyboard_as_a_click_opens_it(monkeypatch, factory_home):
    """Review R: neither the heatmap's cells nor the network's edges take focus. The choice under them opens the pair
    on the page's topic and level, as a click does."""
    params = {**CURRENT_PARAMS, "topic": "military", "level": "sentence"}
    app = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], params)
    chooser = next(box for box in app.selectbox if box.label == "Open a pair of the matrix")
    assert "PRK-RUS" in chooser.options
    chooser.select("PRK-RUS").run()
    assert [h.value for h in app.main.header] == ["PRK–RUS · military"]
    assert (app.query_params["pair"], app.query_params["topic"], app.query_params["level"]) == (
        "PRK-RUS", "military", "sentence")


def test_a_demo_published_before_its_end_says_it_is_loaded_in_part(monkeypatch, tmp_path):
    """A demo stopped on the way (or still loading) shows a part of its articles and spikes under the plain demo
    banner; the demo records how far it got, and a finished one reads as before."""
    home = build_home(tmp_path / "home", demo=True)
    for state, partial in (("started", True), ("finished", False)):
        with Warehouse(home.writer_db) as warehouse:
            warehouse.set_meta(DEMO_STATE, state)
            publish(warehouse.con, home)
        app = open_page(monkeypatch, home, ROUTE["overview"], CURRENT_PARAMS)
        [banner] = [w.value for w in app.warning if "Demo data" in w.value]
        assert ("loaded in part" in banner and "`make run` builds it again" in banner) == partial, (state, banner)


def test_every_page_says_when_publishing_failed_and_the_warehouse_holds_newer_runs(monkeypatch, tmp_path):
    """While publishing fails (a full disk), the writer stores runs the pages never see: "Data as of" read as the
    latest news. Simulated as a directory where the staging copy must go, which refuses it even for root."""
    import os

    home = build_home(tmp_path / "home")
    refused = home.snapshots / f".staging-{os.getpid()}.duckdb"
    refused.mkdir()
    with Warehouse(home.writer_db) as warehouse, pytest.raises(snapshot.PublishError):
        warehouse.set_meta("note", "a run the readers miss")
        publish(warehouse.con, home)
    for route in ("overview", "pair"):
        app = open_page(monkeypatch, home, ROUTE[route], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
        [warning] = [w.value for w in app.warning if "Publishing failed" in w.value]
        assert "the warehouse holds newer runs" in warning and "could not publish snapshot to" in warning
    refused.rmdir()
    with Warehouse(home.writer_db) as warehouse:
        publish(warehouse.con, home)
    app = open_page(monkeypatch, home, ROUTE["overview"], CURRENT_PARAMS)
    assert not [w.value for w in app.warning if "Publishing failed" in w.value]


def test_overview_says_how_many_articles_are_filed_under_the_day_first_seen(monkeypatch, tmp_path):
    """Undated items of captured feeds are counted on the day they were stored: 208 of 238 articles of a home's last
    90 days sat on one bar and drove every KPI up, with no word on the page; the rising pairs rose on them."""
    talks = Story("c8", CURRENT[1], ("wire",), "Talks", "North Korea and Russia hold talks.")  # PRK–RUS 1 → 5 rose
    home = build_home(tmp_path / "home", stories=[*STORIES, talks, *quiet_week(20)])
    app = open_page(monkeypatch, home, ROUTE["overview"], CURRENT_PARAMS)
    assert not [c for c in app.caption if "no usable publication date" in c.value]
    with Warehouse(home.writer_db) as warehouse:
        warehouse.con.execute("UPDATE articles SET date_quality = 'missing' WHERE article_id IN ('c6', 'c7')")
        warehouse.con.execute("UPDATE articles SET date_quality = 'future' WHERE article_id = 'p1'")  # previous period
        publish(warehouse.con, home)
    app.run()
    assert any(c.value.startswith("2 of the 8 articles in these dates and filters (25%) have no usable publication") for c in app.caption)
    rising = frame(app).set_index("pair")  # c7, undated, is one of PRK–RUS's five articles; c6 names one country
    assert rising.at["PRK–RUS", "undated"] == 1 and rising["undated"].sum() == 1
    assert any("`undated`: how many of its articles have no usable publication date" in c.value for c in app.caption)


def test_filters_that_match_nothing_say_so(monkeypatch, factory_home):
    """Overview showed four zeros over an empty chart, Trends flat zero lines, and neither said why."""
    nothing = {**CURRENT_PARAMS, "outlets": "Flaky", "topics": "trade"}  # Flaky's one article is about energy
    overview = open_page(monkeypatch, factory_home, ROUTE["overview"], nothing)
    assert any("No article in this date range passes these filters" in i.value for i in overview.info)
    assert not [e for e in overview.main if getattr(e, "type", "") == "vega_lite_chart"]
    quiet = open_page(monkeypatch, factory_home, ROUTE["overview"], {"from": "2025-01-01", "to": "2025-01-31"})
    assert any(i.value == "No article in this date range: widen the dates." for i in quiet.info)
    trends = open_page(monkeypatch, factory_home, ROUTE["trends"], {**nothing, "series_countries": ["RUS", "IRN"]})
    assert any("No article that passes these filters names any of these countries" in i.value for i in trends.info)
    assert not trends.dataframe


def test_cooccurrence_says_why_it_has_no_pair(monkeypatch, factory_home):
    """Before the data it said "with these filters", where no filter was set."""
    before = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], {"from": "2023-01-01", "to": "2023-03-31"})
    assert [i.value for i in before.info] == ["No article in this date range: the home holds articles from 2025-03-02 to "
                                              f"{CURRENT[1]}."]
    filtered = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"],
                         {**CURRENT_PARAMS, "outlets": "Flaky", "topics": "trade"})
    assert [i.value for i in filtered.info] == ["No two countries are mentioned together in the articles that pass these "
                                                "filters."]


@pytest.mark.parametrize("kind, series, named", [("countries", "RUS", "this country"), ("pairs", "PRK-RUS", "this pair"),
                                                 ("topics", "trade", "this topic")])
def test_trends_names_a_single_series_that_matches_nothing_in_the_singular(monkeypatch, factory_home, kind, series,
                                                                           named):
    """It wrote the kind minus its last letter: "No article ... names this countrie"."""
    nothing = {**CURRENT_PARAMS, "outlets": "Flaky", "topics": "trade", "kind": kind, f"series_{kind}": series}
    trends = open_page(monkeypatch, factory_home, ROUTE["trends"], nothing)
    assert any(f"No article that passes these filters names {named} in this date range" in i.value
               for i in trends.info), [i.value for i in trends.info]


def test_a_new_snapshot_shows_up_on_the_next_run_without_restart(monkeypatch, tmp_path):
    home = build_home(tmp_path / "home")
    app = open_page(monkeypatch, home, ROUTE["overview"], CURRENT_PARAMS)
    assert int(app.metric[0].value) == EXPECTED["current"]["articles"]
    assert not app.warning  # not a demo home: no banner
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [Story("late", CURRENT[1], ("wire",), "Late", "Iran and China talk.")],
                      CURRENT[1])
    app.run()
    assert int(app.metric[0].value) == EXPECTED["current"]["articles"] + 1


def test_tags_from_another_tagger_version_are_flagged_until_a_retag(monkeypatch, tmp_path):
    from . import factory

    home = build_home(tmp_path / "home")
    app = open_page(monkeypatch, home, ROUTE["overview"], CURRENT_PARAMS)
    assert not app.warning  # every tag from this code's version
    monkeypatch.setattr(factory, "TAGGER", "0.9+old")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [Story("old", CURRENT[1], ("wire",), "Old", "Iran and China talk.")],
                      CURRENT[1])
    app.run()
    tagged = sum(1 for story in factory.STORIES if story.countries) + 1
    [warning] = app.warning
    assert f"1 of {tagged} tagged articles" in warning.value and "(`0.9+old`: 1)" in warning.value
    assert "`pactwatch retag`" in warning.value and "Counts mix rule sets" in warning.value
    old = build_home(tmp_path / "old")  # every article by the older version: not a mix
    app = open_page(monkeypatch, old, ROUTE["overview"], CURRENT_PARAMS)
    [warning] = app.warning
    assert f"{tagged - 1} of {tagged - 1} tagged articles" in warning.value
    assert "Counts follow the older rules until `pactwatch retag`" in warning.value


def test_a_retag_the_seed_files_cannot_make_is_named_with_their_mistake(monkeypatch, tmp_path):
    """Tags of the bundled seeds beside an edit of them that does not load: the banner advised a retag, which fails
    on that edit. Once the edit is fixed (and a publish since), the advice is the retag alone."""
    home = build_home(tmp_path / "home")
    rules = seeds_that_do_not_load(tmp_path, monkeypatch)
    app = open_page(monkeypatch, home, ROUTE["overview"], CURRENT_PARAMS)
    [warning] = app.warning
    assert ("Counts follow the older rules until `pactwatch retag` rebuilds every tag, which it cannot while the "
            f"seed files do not load (`{rules}:") in warning.value and warning.value.endswith("): fix them first.")
    fixed = rules.read_text(encoding="utf-8").removesuffix("[unclosed\n").replace('"mt"]', '"mt", "mts"]', 1)
    rules.write_text(fixed, encoding="utf-8")  # an edit that loads, and still differs from the stored tags' seeds
    with Warehouse(home.writer_db) as warehouse:
        publish(warehouse.con, home)
    [warning] = app.run().warning
    assert warning.value.endswith("until `pactwatch retag` rebuilds every tag."), warning.value


def test_a_retag_to_edited_seeds_is_not_flagged_as_stale_the_minute_after(monkeypatch, tmp_path):
    """The code's tagger version was kept a minute: a retag to edited seeds, published, read as every article "tagged
    by another tagger version than this code's" (the old seeds') until the minute was over."""
    from pipeline import seeds

    home = build_home(tmp_path / "home")
    app = open_page(monkeypatch, home, ROUTE["overview"], CURRENT_PARAMS)
    assert not app.warning
    monkeypatch.setattr(seeds, "tagger_version", lambda: "9.9+edited")  # the seeds edited, then `pactwatch retag`
    with Warehouse(home.writer_db) as warehouse:
        for table in ("article_countries", "article_topics"):
            warehouse.con.execute(f"UPDATE {table} SET tagger_version = '9.9+edited'")
        publish(warehouse.con, home)
    app.run()
    assert not app.warning, [warning.value for warning in app.warning]


def test_sidebar_filters_come_from_the_url_and_narrow_every_number(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], {**CURRENT_PARAMS, "countries": "CHN"})
    assert app.sidebar.multiselect[0].value == ["CHN"]
    shown = {m.label.lower(): int(m.value) for m in app.metric}
    assert shown == {"articles": 1, "feeds with articles": 1, "countries": 2, "pairs": 1,  # c4: China and Russia, Daily
                     "pairs naming chn": 1}


def test_changing_a_filter_updates_the_url(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], CURRENT_PARAMS)
    app.sidebar.multiselect[0].select("IRN").run()
    assert app.query_params["countries"] == ["IRN"] or app.query_params["countries"] == "IRN"
    assert int(app.metric[0].value) == 1


def test_overview_says_when_the_range_runs_past_the_data(monkeypatch, factory_home):
    later = CURRENT[1] + timedelta(days=6)
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], {**CURRENT_PARAMS, "to": later.isoformat()})
    assert any(f"No articles after {CURRENT[1]}: the last 6 days of this range are empty" in c.value
               for c in app.caption)
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], CURRENT_PARAMS)
    assert not any("No articles after" in c.value for c in app.caption)
    after = {"from": (CURRENT[1] + timedelta(days=3)).isoformat(), "to": (CURRENT[1] + timedelta(days=3)).isoformat()}
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], after)
    assert any(f"No articles after {CURRENT[1]}: 1 day of this range is empty" in c.value for c in app.caption)


def test_overview_says_when_the_previous_period_starts_before_the_data(monkeypatch, factory_home):
    """Over all the data, the previous period lay before the first article and every count "rose" from nothing."""
    first = PREVIOUS[0] + timedelta(days=1)  # the factory's first story
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], {"from": first.isoformat(), "to": CURRENT[1].isoformat()})
    assert any(f"No articles before {first}: 13 of the previous period's 13 days are empty" in c.value
               for c in app.caption)
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], CURRENT_PARAMS)
    assert any(f"No articles before {first}: 1 of the previous period's 7 days is empty" in c.value for c in app.caption)
    later = {"from": (CURRENT[0] + timedelta(days=1)).isoformat(), "to": CURRENT[1].isoformat()}
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], later)
    assert not any("No articles before" in c.value for c in app.caption)


def test_overview_fades_today_and_says_why(monkeypatch, tmp_path):
    """Today's few articles so far were a whole bar, and a "low volume" ingest gap."""
    today = datetime.now(timezone.utc).date()
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [Story("now", today, ("wire",), "Talks", "Iran and Russia talk.")], today)
    app = open_page(monkeypatch, home, ROUTE["overview"],
                    {"from": (today - timedelta(days=2)).isoformat(), "to": today.isoformat()})
    assert any("Today's articles are still arriving" in c.value for c in app.caption)
    daily = [f for f in chart_frames(app) if "note" in f.columns][-1]  # the bars, drawn over the gap shading
    assert daily.set_index("day")["note"].to_dict() == {
        pd.Timestamp(today - timedelta(days=2)): "", pd.Timestamp(today - timedelta(days=1)): "",
        pd.Timestamp(today): "not over yet: holds today (UTC)"}


def test_overview_judges_ingest_gaps_on_every_article_of_the_sources_in_scope(monkeypatch, tmp_path):
    """With Countries = PRK, a day PRK was not in the news was shaded "low volume" and counted among the days with "no
    ingest run that day, or far below the usual volume", though ingest ran and stored articles that day. A day without
    a run is still a gap under the filter; and a day an outlet brought nothing is one under an Outlets filter: the
    outlet's feed, not the news, fell silent."""
    home = build_home(tmp_path / "home")
    days = [CURRENT[1] + timedelta(days=n) for n in range(1, 8)]
    quiet_day, no_run_day = days[2], days[4]  # on the quiet day, four articles of Daily name Russia alone
    with Warehouse(home.writer_db) as warehouse:
        for day in (day for day in days if day != no_run_day):
            feed, text = (("daily",), "Russia holds a briefing.") if day == quiet_day \
                else (("wire",), "North Korea and Russia hold talks.")
            write_stories(warehouse, home, [Story(f"{day:%m%d}-{n}", day, feed, "News", text) for n in range(4)], day)

    def opened(params: dict) -> tuple[dict, pd.Series, list[str]]:
        """The shaded days and their kinds, the bars, the captions."""
        app = open_page(monkeypatch, home, ROUTE["overview"], {"from": days[0].isoformat(),
                                                               "to": days[-1].isoformat(), **params})
        [shading] = [f for f in chart_frames(app) if "reason" in f.columns]
        bars = [f for f in chart_frames(app) if "articles" in f.columns][-1]
        return (dict(zip(shading["day"].dt.date, shading["reason"].str.replace(r" \(.*", "", regex=True))),
                bars.set_index(bars["day"].dt.date)["articles"], [c.value for c in app.caption])

    shaded, bars, captions = opened({"countries": "PRK"})
    assert shaded == {no_run_day: "no ingest run"}
    assert any("Flagged: 1 day(s) without an ingest run of the outlets and languages in scope, whatever their articles "
               "name." in caption for caption in captions), captions
    assert bars[quiet_day] == 0 and bars[days[0]] == 4  # the bars count PRK's articles still
    assert opened({"outlets": "Wire"})[0] == {quiet_day: "low volume", no_run_day: "no ingest run"}


def test_the_pair_explorer_of_a_warehouse_without_pairs_says_why_and_what_to_do(monkeypatch, tmp_path):
    """Articles, none naming two countries together: the page stopped under its title with "No two countries have been
    mentioned together yet.", no control in sight nor a word on what would bring a pair. Its pair box is drawn, empty,
    and the note says why whatever the dates, and what to run. A link's pair is named as not available."""
    home = build_home(tmp_path / "home", stories=briefings(5))  # each names Russia alone
    app = open_page(monkeypatch, home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    assert app.title[0].value == "Pair explorer" and app.sidebar.date_input[0].value == CURRENT
    [box] = app.main.selectbox
    assert box.label == "Pair" and box.options == [] and box.disabled
    [note] = [info.value for info in app.info]
    assert "None of the 5 stored articles names two countries together" in note and "pactwatch ingest" in note, note
    assert "whatever the dates" in note
    assert any("PRK-RUS" in toast.value and "not available" in toast.value for toast in app.toast)
    assert "pair" not in app.query_params


@pytest.mark.parametrize("home, start, said", [
    ("today_home", "today", True),  # a click on today's faded bar: its list read as the day's whole
    ("today_home", CURRENT[0], True),  # today's articles first, then March 2025's
    ("today_home", None, False),  # March 2025's articles alone
    # The range holds today, its page no article of today: said on almost every default view, the note went unread
    ("factory_home", CURRENT[0], False),
], ids=["today", "from-march-to-today", "march", "range-holding-today-without-its-articles"])
def test_articles_of_today_say_the_day_is_not_over(request, monkeypatch, today, home, start, said):
    """The note that today (UTC) is not over shows with a page listing an article of today, whose day's list may grow,
    and not for a range merely holding today."""
    dates = CURRENT_PARAMS if start is None else \
        {"from": (today if start == "today" else start).isoformat(), "to": today.isoformat()}
    app = open_page(monkeypatch, request.getfixturevalue(home), ROUTE["articles"], dates)
    assert len(frame(app)) and any("Today (UTC) is not over" in c.value for c in app.caption) == said


def test_two_topics_keep_the_articles_of_either_or_on_request_of_both(monkeypatch, factory_home):
    """Topics = finance and sanctions kept 188 captured articles, one of them about both, and nothing said so."""
    either = {**CURRENT_PARAMS, "topics": ["military", "sanctions"]}
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], either)
    topics = next(widget for widget in app.sidebar.multiselect if widget.label == "Topics")
    assert "the articles of either" in topics.help and "Sentence topic" in topics.help
    shown = {m.label.lower(): int(m.value) for m in app.metric}
    assert shown["articles"] == 4  # c1, c2, c3, c7: either topic; only c2 has both
    # and an analyst can ask for both: the payments that dodge sanctions are finance *and* sanctions
    [every] = [widget for widget in app.sidebar.toggle if widget.label == "Only articles with all of these topics"]
    every.set_value(True).run()
    assert {m.label.lower(): int(m.value) for m in app.metric}["articles"] == 1
    assert app.query_params.get("all_topics") in ("1", ["1"])
    articles = open_page(monkeypatch, factory_home, ROUTE["articles"], {**either, "all_topics": "1"})
    assert frame(articles)["title"].tolist() == ["Sanctions"]
    # a click through to one topic's articles keeps the sidebar's other parameters: "all" of one topic means nothing,
    # and the URL no longer says it
    one = open_page(monkeypatch, factory_home, ROUTE["overview"], {**CURRENT_PARAMS, "topics": "military",
                                                                   "all_topics": "1"})
    assert not [widget for widget in one.sidebar.toggle if widget.label.startswith("Only articles with all")]
    assert "all_topics" not in one.query_params


def test_trends_share_of_articles_mentioning_either_country(monkeypatch, factory_home):
    params = {**CURRENT_PARAMS, "kind": "pairs", "series_pairs": "RUS-PRK", "norm": "share_either"}
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], params)
    trend = frame(app)
    assert set(trend["series"]) == {"PRK–RUS"}
    assert trend["articles"].sum() == 4
    # every current-period article mentions Russia, so the share is the pair's count of that day (0 or 1)
    assert trend["share_either"].tolist() == trend["articles"].astype(float).tolist()
    # the table holds what the share divides by (it showed articles and all_articles, which do not give it)
    counted = trend[trend["naming_either"] > 0]
    assert (counted["share_either"] == counted["articles"] / counted["naming_either"]).all()
    assert trend["naming_either"].sum() == 7  # the current period's 7 articles all name Russia


def test_a_trend_line_keeps_its_colour_as_others_are_added_or_removed(monkeypatch, factory_home):
    """The lines took tableau10's hues by their alphabetical position among the series chosen: RUS, blue beside USA,
    turned orange when CHN was added. Each keeps its colour for the session, and the legend follows the picks."""
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], {**CURRENT_PARAMS, "series_countries": ["RUS", "PRK"]})

    def colours() -> dict[str, str]:
        [chart] = [json.loads(element.proto.spec) for element in app.main
                   if getattr(element, "type", "") == "vega_lite_chart"]
        scale = chart["layer"][0]["layer"][0]["encoding"]["color"]["scale"]
        return dict(zip(scale["domain"], scale["range"]))

    [series] = [widget for widget in app.multiselect if widget.label.startswith("Countries (up to")]
    first = colours()
    assert list(first) == ["RUS", "PRK"]
    series.select("CHN").run()
    assert colours() == {**first, "CHN": colours()["CHN"]} and colours()["CHN"] not in first.values()
    held = colours()
    series.unselect("RUS").run()
    assert colours() == {"PRK": held["PRK"], "CHN": held["CHN"]}


def test_a_trend_points_tooltip_says_what_its_line_and_bucket_are(monkeypatch, factory_home):
    """A point's tooltip read "series RUS" and "bucket 2025-03-10": now "country RUS" and "week of 2025-03-10"."""
    for route, params, title in ((ROUTE["trends"], {"series_countries": "RUS"}, "country"),
                                 (ROUTE["trends"], {"kind": "pairs", "series_pairs": "PRK-RUS"}, "pair"),
                                 (ROUTE["topics"], {}, "topic")):
        app = open_page(monkeypatch, factory_home, route, {**CURRENT_PARAMS, "grain": "week", **params})
        lines = [chart for chart in (json.loads(element.proto.spec) for element in app.main
                                     if getattr(element, "type", "") == "vega_lite_chart") if "layer" in chart][-1]
        points = lines["layer"][0]["layer"][-1]
        assert [row["title"] for row in points["encoding"]["tooltip"][:2]] == [title, "week of"], route.name


def test_trends_tell_a_day_no_feed_covered_from_a_day_without_the_series(monkeypatch, factory_home):
    """On the captured feeds CHN-USA trade fell to a solid zero for the eight months after the WSJ and NYT captures
    end, with nothing stored at all: such a bucket is now hollow, with a note, and the table counts all articles."""
    params = {"from": "2025-03-01", "to": "2025-03-06", "series_countries": "PRK", "grain": "day"}
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], params)
    trend = frame(app).set_index(pd.to_datetime(frame(app)["bucket"]).dt.strftime("%m-%d"))
    gap = "no article at all stored for this day: a gap in the feeds, not a zero"
    assert trend["note"].to_dict() == {"03-01": gap, "03-02": "", "03-03": "", "03-04": gap, "03-05": "", "03-06": gap}
    assert trend["articles"].to_dict() == {"03-01": 0, "03-02": 0, "03-03": 1, "03-04": 0, "03-05": 0, "03-06": 0}
    assert trend["all_articles"].to_dict() == {"03-01": 0, "03-02": 1, "03-03": 1, "03-04": 0, "03-05": 1, "03-06": 0}
    assert any("no article at all is stored" in caption.value for caption in app.caption)


def test_trends_smoothed_share_table_says_what_it_shows(monkeypatch, factory_home):
    params = {**CURRENT_PARAMS, "series_countries": ["RUS", "IRN"], "norm": "share_all", "rolling": "3", "grain": "week"}
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], params)
    trend = frame(app)
    assert {"share_all", "share_all_over_3_weeks", "days_in_range", "note"} <= set(trend.columns)
    # the window's articles over the window's articles stored, not a mean of the weeks' shares; the window of the range's
    # first weeks reaches the two whole weeks before it (the home's first articles are of 2025-03-01): it was that
    # week's share alone, drawn as if of three
    before = frame(open_page(monkeypatch, factory_home, ROUTE["trends"],
                             {**params, "from": "2025-02-17", "to": "2025-03-02", "rolling": "1"}))
    assert before["articles"].sum() > 0
    pooled = pd.concat([before, trend]).groupby("series")[["articles", "all_articles"]].cumsum().iloc[len(before):]
    assert trend["share_all_over_3_weeks"].tolist() == (pooled["articles"] / pooled["all_articles"]).tolist()
    # Saturday to Friday: both weeks are cut by the range, and the chart says so
    assert trend["note"].tolist() == ["partial: 2 of 7 days"] * 2 + ["partial: 5 of 7 days"] * 2
    assert any("Hollow points on a dashed line" in caption.value for caption in app.caption)


def test_trends_share_of_all_articles_is_not_of_the_filtered_ones(monkeypatch, factory_home):
    """With Countries = IRN, IRN's share of "all articles" was of the articles naming IRN: 100 % every week."""
    params = {**CURRENT_PARAMS, "series_countries": ["IRN"], "norm": "share_all", "grain": "week", "countries": "IRN"}
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], params)
    trend = frame(app)
    counted = trend[trend["all_articles"] > 0]
    assert (counted["share_all"] == counted["articles"] / counted["all_articles"]).all()
    assert (counted["share_all"] < 1).any() and (counted["articles"] > 0).any()
    assert any("Its share is of all the articles of its bucket from the outlets and languages in scope" in caption.value
               for caption in app.caption)


def test_trends_weekly_countries(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], {**CURRENT_PARAMS,
                                                                  "series_countries": ["RUS", "IRN"], "grain": "week"})
    totals = frame(app).groupby("series")["articles"].sum().to_dict()
    assert totals == {"RUS": 7, "IRN": 1}


def click_on_chart(monkeypatch, chart_key: str, selection: str, point: dict) -> None:
    """From the next run on, the chart `chart_key` hands back `point` as clicked on `selection`, as the browser does:
    AppTest draws no chart to click."""
    draw = st.altair_chart

    def clicked(chart, key=None, **kwargs):
        event = draw(chart, key=key, **kwargs)
        return SimpleNamespace(selection={selection: [point]}) if key == chart_key else event
    monkeypatch.setattr(st, "altair_chart", clicked)


@pytest.mark.parametrize("kind, series, key, norm", [("countries", "RUS", "RUS", "raw"),
                                                      ("pairs", "PRK–RUS", "PRK-RUS", "share_either")])
def test_a_click_on_a_trend_point_lists_the_points_articles(monkeypatch, factory_home, kind, series, key, norm):
    """Trends' points were a dead end. A click opens the Articles page on the point's articles: the days of its week
    within the range (the week of Mar 3 holds only Mar 8 and 9 of it), the sidebar's list of its kind set to its series
    alone, the other filters kept; as many articles as the point counts, whatever share the line plots."""
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], {**CURRENT_PARAMS, "kind": kind, "grain": "week",
                                                                  "norm": norm, "dated_only": "1",
                                                                  "countries": ["PRK", "RUS"], f"series_{kind}": key})
    counted = frame(app).set_index(["bucket", "series"])["articles"][(pd.Timestamp("2025-03-03"), series)]
    click_on_chart(monkeypatch, "trend", DAY_PICK, {PICKED_DAY: "2025-03-03", "series": series})
    app.run()
    assert not app.exception and app.title[0].value == "Articles"
    assert (app.query_params["from"], app.query_params["to"], app.query_params[kind], app.query_params["dated_only"]) \
        == ("2025-03-08", "2025-03-09", key, "1")
    listed = frame(app)
    assert counted and len(listed) == counted and listed["day"].between(pd.Timestamp("2025-03-08"),
                                                                        pd.Timestamp("2025-03-09")).all()


def test_a_click_where_two_lines_meet_lists_the_articles_of_both(monkeypatch, factory_home):
    """CHN's and IRN's lines meet at 1 in the week of Mar 10, one point drawn over the other: a click hands back the
    top one alone, and the articles of the line under it were out of reach. The list holds both lines' articles."""
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], {**CURRENT_PARAMS, "grain": "week",
                                                                  "series_countries": ["CHN", "IRN"]})
    week = frame(app).set_index(["bucket", "series"])["articles"][pd.Timestamp("2025-03-10")]
    assert week.to_dict() == {"CHN": 1, "IRN": 1}
    assert any("alone (where lines meet, to theirs); without a mouse, the Articles page" in c.value for c in app.caption)
    click_on_chart(monkeypatch, "trend", DAY_PICK, {PICKED_DAY: "2025-03-10", "series": "IRN"})
    app.run()
    assert app.title[0].value == "Articles" and app.query_params["countries"] == ["CHN", "IRN"]
    assert sorted(frame(app)["title"]) == ["Energie", "Trade"]


def test_back_from_a_click_through_shows_the_page_as_it_was_left(monkeypatch, factory_home):
    """Streamlit writes a switch's URL onto the page left, an entry of the browser's history of its own, before it opens
    the new page: the first Back from a Trends point's articles showed Trends on the point's days and country, a view
    that never was, and a second Back was needed."""
    clicked = {**CURRENT_PARAMS, "grain": "week", "countries": ["PRK", "RUS"]}
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], clicked)
    left = dict(app.query_params)
    draw = st.altair_chart
    click_on_chart(monkeypatch, "trend", DAY_PICK, {PICKED_DAY: "2025-03-10", "series": "RUS"})
    app.run()
    opened = dict(app.query_params)
    assert app.title[0].value == "Articles" and opened["countries"] == "RUS"
    monkeypatch.setattr(st, "altair_chart", draw)  # no click on the way back
    app.switch_page(str(ROUTE["trends"].path.relative_to(ROOT)))
    app.query_params.clear()
    app.query_params.update(opened)  # the entry the switch left: Trends on the Articles page's URL
    history_run(monkeypatch, app)
    assert app.title[0].value == "Trends" and dict(app.query_params) == left
    assert app.sidebar.multiselect[0].value == ["PRK", "RUS"]


def test_back_restores_the_pages_left_by_the_last_click_throughs_only(monkeypatch, factory_home):
    """The session keeps the URL each click-through left for Back: the newest filters.LEFT_VIEWS_KEPT, not one per click
    for as long as the session lives."""
    monkeypatch.setattr(filters, "LEFT_VIEWS_KEPT", 1)
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], {**CURRENT_PARAMS, "countries": ["PRK", "RUS"]})
    left = dict(app.query_params)
    draw = st.altair_chart
    trends = str(ROUTE["trends"].path.relative_to(ROOT))
    opened = []
    for day in ("2025-03-11", "2025-03-12"):  # RUS's points apart from PRK's (on Mar 10 both lines are at 1)
        click_on_chart(monkeypatch, "trend", DAY_PICK, {PICKED_DAY: day, "series": "RUS"})
        app.run()
        opened.append(dict(app.query_params))
        monkeypatch.setattr(st, "altair_chart", draw)
        app.switch_page(trends)
        app.query_params.clear()
        app.query_params.update(left)
        app.run()
    for url, kept in zip(opened, (False, True), strict=True):  # the first click-through's view left was let go
        app.switch_page(trends)
        app.query_params.clear()
        app.query_params.update(url)
        history_run(monkeypatch, app)
        assert (dict(app.query_params) == left) is kept


def test_a_click_through_empties_the_articles_search_kept_from_an_earlier_visit(monkeypatch, factory_home):
    """The Articles page keeps its search for the session: "Trade" searched there before hid the one article of RUS on
    Mar 10 that a click on its point opened ("No article matches these filters")."""
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], CURRENT_PARAMS)
    app.text_input[0].set_value("Trade").run()
    app.switch_page(str(ROUTE["trends"].path.relative_to(ROOT)))
    app.query_params.pop("q")  # the navigation keeps the sidebar's parameters, not the page's
    app.run()
    click_on_chart(monkeypatch, "trend", DAY_PICK, {PICKED_DAY: "2025-03-10", "series": "RUS"})
    app.run()
    assert app.title[0].value == "Articles" and app.text_input[0].value == "" and "q" not in app.query_params
    assert frame(app)["title"].tolist() == ["Warning"]


def test_trends_says_when_a_clicked_points_list_holds_more_than_the_point(monkeypatch, factory_home):
    """With Countries = PRK, CHN's line counts its articles naming PRK too; a click sets Countries to CHN alone."""
    note = "The line of a country not among the sidebar's Countries counts only its articles that pass that filter"
    app = open_page(monkeypatch, factory_home, ROUTE["trends"],
                    {**CURRENT_PARAMS, "countries": "PRK", "series_countries": ["PRK", "CHN"]})
    assert any(note in c.value for c in app.caption)
    app.main.multiselect[0].set_value(["PRK"]).run()
    assert any("Click a point (or near it) to list its articles: its day" in c.value for c in app.caption)
    assert not any(note in c.value for c in app.caption)


def test_a_click_on_a_topics_point_lists_the_points_articles(monkeypatch, factory_home):
    """The Topics page's lines were a dead end. A click opens the Articles page as Trends' does: the days of its week
    within the range, the sidebar's Topics set to its topic, the other filters kept; as many articles as it counts."""
    app = open_page(monkeypatch, factory_home, ROUTE["topics"], {**CURRENT_PARAMS, "grain": "week", "dated_only": "1",
                                                                  "countries": "RUS"})
    lines = next(data for data in chart_frames(app) if {"bucket", "series", "articles"} <= set(data.columns))
    counted = lines.set_index(["bucket", "series"])["articles"][(pd.Timestamp("2025-03-03"), "military")]
    assert any("Click a point (or near it) to list its articles: the days of its week" in c.value for c in app.caption)
    click_on_chart(monkeypatch, "topic_trend", DAY_PICK, {PICKED_DAY: "2025-03-03", "series": "military"})
    app.run()
    assert not app.exception and app.title[0].value == "Articles"
    assert (app.query_params["from"], app.query_params["to"], app.query_params["topics"],
            app.query_params["countries"], app.query_params["dated_only"]) == ("2025-03-08", "2025-03-09", "military",
                                                                               "RUS", "1")
    assert counted == 2 and len(frame(app)) == counted


@pytest.mark.parametrize("sidebar, note", [
    ({"topics": "sanctions"}, "The line of a topic not among the sidebar's Topics counts only its articles that pass"),
    ({"topics": ["military", "sanctions"], "all_topics": "1"},
     "Each line counts only its articles with all of the sidebar's Topics; the list a click opens holds all")])
def test_topics_says_when_a_clicked_points_list_holds_more_than_the_point(monkeypatch, factory_home, sidebar, note):
    """Under the sidebar's Topics, a line counts its topic's articles that pass that filter (military's week of Mar 3:
    the one with sanctions too, of two), and a click sets Topics to its topic alone (both listed): here to military
    and sanctions, whose lines meet there, the switch to articles with all of them left off (it listed one)."""
    app = open_page(monkeypatch, factory_home, ROUTE["topics"], {**CURRENT_PARAMS, "grain": "week", **sidebar})
    assert any(note in c.value for c in app.caption)
    lines = next(data for data in chart_frames(app) if {"bucket", "series", "articles"} <= set(data.columns))
    assert lines.set_index(["bucket", "series"])["articles"][(pd.Timestamp("2025-03-03"), "military")] == 1
    click_on_chart(monkeypatch, "topic_trend", DAY_PICK, {PICKED_DAY: "2025-03-03", "series": "military"})
    app.run()
    assert app.title[0].value == "Articles" and len(frame(app)) == 2
    assert app.query_params["topics"] == ["military", "sanctions"] and "all_topics" not in app.query_params


def test_trends_keeps_each_kinds_series_when_switching_back_and_forth(monkeypatch, factory_home):
    """Switching to pairs and back reset the countries picked to the top three."""
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], {**CURRENT_PARAMS, "series_countries": ["IRN"]})
    app.radio[0].set_value("pairs").run()
    assert app.multiselect[0].value == ["PRK-RUS", "CHN-RUS", "IRN-RUS"]
    app.multiselect[0].set_value(["IRN-RUS"]).run()
    app.radio[0].set_value("countries").run()
    assert app.multiselect[0].value == ["IRN"] and set(frame(app)["series"]) == {"IRN"}
    app.radio[0].set_value("pairs").run()
    assert app.multiselect[0].value == ["IRN-RUS"]
    assert (app.query_params["series_countries"], app.query_params["series_pairs"]) == ("IRN", "IRN-RUS")  # a link keeps both


def test_trends_starts_from_the_sidebars_countries_and_says_lines_are_filtered(monkeypatch, factory_home):
    """With Countries = PRK in the sidebar, Trends drew RUS, CHN and IRN: lines of articles naming PRK too, with
    nothing saying so, which read as each country's own coverage."""
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], {**CURRENT_PARAMS, "countries": "PRK"})
    assert app.main.multiselect[0].value == ["PRK"]
    assert set(frame(app)["series"]) == {"PRK"}
    assert any("pass the sidebar's filters (countries `PRK`)" in c.value for c in app.caption)
    unfiltered = open_page(monkeypatch, factory_home, ROUTE["trends"], CURRENT_PARAMS)
    assert not [c for c in unfiltered.caption if "sidebar's filters" in c.value]


def test_trends_keeps_its_controls_after_a_visit_to_another_page(monkeypatch, factory_home):
    """Streamlit forgets a page's widgets while another page is shown: Trends came back on its defaults."""
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], CURRENT_PARAMS)
    app.radio[0].set_value("pairs").run()
    app.multiselect[0].set_value(["IRN-RUS"]).run()
    app.switch_page(str(ROUTE["overview"].path.relative_to(ROOT))).run()
    for name in ("kind", "series_pairs"):  # the navigation keeps the sidebar's parameters, not the page's
        app.query_params.pop(name, None)
    app.switch_page(str(ROUTE["trends"].path.relative_to(ROOT))).run()
    assert (app.radio[0].value, app.multiselect[0].value) == ("pairs", ["IRN-RUS"])


def test_new_sidebar_countries_win_over_the_series_kept_from_an_earlier_visit(monkeypatch, factory_home):
    """Trends kept IRN from a visit before; Countries = PRK set since then is the new default series, and it won
    only when no series had been kept."""
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], CURRENT_PARAMS)
    app.multiselect[0].set_value(["IRN"]).run()
    app.query_params.pop("series_countries", None)
    app.switch_page(str(ROUTE["overview"].path.relative_to(ROOT))).run()
    app.sidebar.multiselect[0].set_value(["PRK"]).run()
    app.switch_page(str(ROUTE["trends"].path.relative_to(ROOT))).run()
    assert app.multiselect[0].value == ["PRK"]


def test_a_url_changed_under_the_controls_sets_them(monkeypatch, factory_home):
    """The browser's Back reruns the page on the earlier URL: the controls kept the values chosen since and wrote them
    back over it, so Back showed the same view. The URL changed under them is the view (this is what a Back sends)."""
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS", "grain": "week"})
    app.radio[0].set_value("day").run()
    app.sidebar.multiselect[0].set_value(["IRN"]).run()
    assert "grain" not in app.query_params and app.query_params["countries"] == "IRN"
    app.query_params.pop("countries")  # Back, to before the country was chosen
    history_run(monkeypatch, app)
    assert app.sidebar.multiselect[0].value == [] and "countries" not in app.query_params
    app.query_params.update({"grain": "week", "from": PREVIOUS[0].isoformat()})  # Back, to before the grain was
    history_run(monkeypatch, app)
    [dates] = [widget for widget in app.sidebar.date_input if widget.label == "Dates"]
    assert "UTC days" in dates.help  # an analyst in Seoul took them for her own
    assert app.radio[0].value == "week" and app.query_params["grain"] == "week"
    assert dates.value == (PREVIOUS[0], CURRENT[1]) and app.query_params["from"] == PREVIOUS[0].isoformat()


def test_a_run_on_an_older_url_than_the_last_run_wrote_keeps_the_controls(monkeypatch, factory_home):
    """A click's run carries the URL the browser had at the click, which need not yet hold what the run before wrote:
    the controls took that URL as an earlier view, undoing the change before, while the browser showed its URL."""
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    app.radio[0].set_value("week").run()
    app.sidebar.multiselect[0].set_value(["IRN"]).run()
    for name in ("grain", "countries"):  # the URL before those runs wrote it: no Back, so no earlier view
        app.query_params.pop(name)
    app.run()
    assert (app.radio[0].value, app.sidebar.multiselect[0].value) == ("week", ["IRN"])
    assert (app.query_params["grain"], app.query_params["countries"]) == ("week", "IRN")


def test_a_url_without_the_dates_keeps_the_controls(monkeypatch, factory_home):
    """A link of the navigation menu drops every parameter this app writes: that is no earlier view, and the controls
    keep their values (and write them back)."""
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    app.radio[0].set_value("week").run()
    app.sidebar.multiselect[0].set_value(["IRN"]).run()
    app.query_params.clear()
    app.run()
    assert (app.radio[0].value, app.sidebar.multiselect[0].value) == ("week", ["IRN"])
    assert (app.query_params["grain"], app.query_params["countries"], app.query_params["from"]) == (
        "week", "IRN", CURRENT_PARAMS["from"])


def test_back_closes_and_forward_reopens_an_articles_why_panel(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], CURRENT_PARAMS)
    app.selectbox[0].select("c4").run()
    assert app.text[0].value == "Trade"
    app.query_params.pop("article")
    history_run(monkeypatch, app)
    assert app.selectbox[0].value is None and not app.text
    app.query_params["article"] = "c4"
    history_run(monkeypatch, app)
    assert app.selectbox[0].value == "c4" and app.text[0].value == "Trade"


def test_trends_over_years_opens_weekly_unless_the_link_names_a_grain(monkeypatch, factory_home):
    """15 years of days drew 16,500 points and took 7 s in the browser."""
    years = {"from": "2023-01-01", "to": CURRENT[1].isoformat()}
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], years)
    assert app.radio[1].value == "week" and "grain" not in app.query_params
    app = open_page(monkeypatch, factory_home, ROUTE["trends"], {**years, "grain": "day"})
    assert app.radio[1].value == "day"


def test_the_pair_explorer_opens_weekly_past_four_months(monkeypatch, factory_home):
    """Its daily stacked bars sit in half the page: ten months of them were hairlines on real news."""
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], {"from": "2024-09-01", "to": CURRENT[1].isoformat()})
    assert app.radio[0].value == "week"
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], CURRENT_PARAMS)
    assert app.radio[0].value == "day"
    # and monthly past a year: 140 weekly bars of 2.7 years were 1 px each at 800 px, drawn as nothing
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], {"from": "2023-03-01", "to": CURRENT[1].isoformat()})
    assert app.radio[0].value == "month"


def test_a_control_kept_on_one_page_does_not_set_another_pages_control_of_the_same_name(monkeypatch, factory_home):
    """Both pages have "Top countries" (`top`): 30 chosen on Co-occurrence came back as Topics' 30."""
    app = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], CURRENT_PARAMS)
    app.number_input[0].set_value(30).run()
    app.query_params.pop("top", None)  # the navigation keeps the sidebar's parameters, not the page's
    app.switch_page(str(ROUTE["topics"].path.relative_to(ROOT))).run()
    assert app.number_input[0].value == 12
    app.query_params.pop("top", None)
    app.switch_page(str(ROUTE["cooccurrence"].path.relative_to(ROOT))).run()
    assert app.number_input[0].value == 30


def test_topics_show_the_words_behind_a_topic(monkeypatch, factory_home):
    """The warehouse kept a count of topic words per article, not the words: nothing showed why an article counts
    under a topic."""
    app = open_page(monkeypatch, factory_home, ROUTE["topics"], {**CURRENT_PARAMS, "evidence_topic": "trade"})
    evidence = app.dataframe[-1].value
    assert evidence["sentence"].tolist() == ["China and Russia sign a ⟦trade⟧ deal."]
    assert any(c.value.startswith("1 article, newest first. Each comes with the sentence") for c in app.caption)
    app = open_page(monkeypatch, factory_home, ROUTE["topics"], {**CURRENT_PARAMS, "evidence_topic": "military"})
    assert [sentence.count("⟦military⟧") for sentence in app.dataframe[-1].value["sentence"]] == [1, 1]
    app = open_page(monkeypatch, factory_home, ROUTE["topics"], {**CURRENT_PARAMS, "evidence_topic": "energy"})
    assert any("No topic words are stored for these `energy` articles" in i.value for i in app.info)


def test_topic_evidence_narrows_to_a_cell_of_the_matrix(monkeypatch, factory_home):
    """The topic × country matrix was a dead end: its cells counted articles no table listed. A click on a cell (or a
    link naming it) picks the evidence's topic and country; the caption counts the cell's articles."""
    cell = {**CURRENT_PARAMS, "evidence_topic": "trade", "evidence_country": "CHN"}
    app = open_page(monkeypatch, factory_home, ROUTE["topics"], cell)
    assert app.dataframe[-1].value["sentence"].tolist() == ["China and Russia sign a ⟦trade⟧ deal."]
    assert [s.value for s in app.main.selectbox][-2:] == ["trade", "CHN"]
    assert any(c.value.startswith("1 article, newest first.") for c in app.caption)
    app = open_page(monkeypatch, factory_home, ROUTE["topics"], {**cell, "evidence_country": "PRK"})
    assert any("No `trade` article names PRK under these filters." in i.value for i in app.info)
    assert any("(or choose its topic and country under Evidence)" in c.value for c in app.caption)
    # the matrix's numbers under its own heading: a screen reader, going by headings, found them under the trend's
    kinds = [(element.type, getattr(element, "value", None)) for element in app.main
             if element.type in ("header", "arrow_data_frame", "dataframe")]
    headings = [value for kind, value in kinds if kind == "header"]
    first_table = next(index for index, (kind, _) in enumerate(kinds) if kind != "header")
    assert kinds[first_table - 1] == ("header", "Articles by topic and country") and "Topics over time" in headings


def test_the_evidence_topic_picked_by_default_is_kept_in_the_url(monkeypatch, factory_home):
    """The default is the scope's most frequent topic, which the next ingest can change: a link shared without it
    would show another topic's evidence."""
    app = open_page(monkeypatch, factory_home, ROUTE["topics"], CURRENT_PARAMS)
    picked = next(s for s in app.selectbox if s.label == "Why articles count under").value
    assert picked and app.query_params.get("evidence_topic") in (picked, [picked])


def test_topic_evidence_marks_the_longest_of_the_words_starting_together(tmp_path):
    """"trade" and "trade deal" both start at the first topic word: which one was marked was up to the row order."""
    from pipeline.store.queries import Scope, topic_evidence

    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        article_id, day, text, start = warehouse.con.execute(
            "SELECT a.article_id, a.day, a.text, h.start_offset FROM topic_hits h JOIN articles a USING (article_id) "
            "WHERE h.topic = 'trade' AND a.text LIKE '%trade deal%'").fetchone()
        warehouse.con.execute("DELETE FROM topic_hits WHERE article_id = ?", [article_id])
        for end in (start + 5, start + 10):  # the shorter one stored first
            warehouse.con.execute("INSERT INTO topic_hits VALUES (?, ?, 'trade', 'text', ?, ?, ?, 'test')",
                                  [article_id, day, start, end, text[start:end]])
        found = topic_evidence(warehouse.con, Scope(day, day), "trade")
    assert found.set_index("title")["surface"].tolist() == ["trade deal"]


def published_without(tmp_path, table: str) -> Home:
    """The factory's home, published without `table`: as a snapshot of the code before the table's migration has it."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        warehouse.con.execute(f"DROP TABLE {table}")
        publish(warehouse.con, home)
    return home


def test_topics_page_reads_a_snapshot_published_before_topic_words_were_kept(monkeypatch, tmp_path):
    home = published_without(tmp_path, "topic_hits")  # migration 0021
    app = open_page(monkeypatch, home, ROUTE["topics"], {**CURRENT_PARAMS, "evidence_topic": "trade"})
    assert any("No topic words are stored for these `trade` articles" in i.value for i in app.info)


def test_cooccurrence_counts_pairs_and_links_to_the_pair(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], CURRENT_PARAMS)
    pairs = frame(app).set_index("pair")["together"].to_dict()
    assert pairs == {"PRK–RUS": 4, "CHN–RUS": 1, "IRN–RUS": 1}


def test_cooccurrence_names_the_top_countries_neither_chart_can_draw(monkeypatch, tmp_path):
    """A top country named with none of the others has no cell and no node: only the network's caption said so."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [Story("alone", CURRENT[1], ("wire",), "Vote", "Japan holds an election.")],
                      CURRENT[1])
    app = open_page(monkeypatch, home, ROUTE["cooccurrence"], CURRENT_PARAMS)
    assert any(c.value.startswith("Top countries in neither the matrix nor the network") and c.value.endswith("JPN")
               for c in app.caption)


@pytest.mark.parametrize("route, ranked_by", [("cooccurrence", "articles"), ("topics", "articles with a topic")])
def test_a_tie_at_the_top_countries_cut_off_is_named(monkeypatch, factory_home, route, ranked_by):
    """CHN and IRN are named once each: "Top countries 3" showed CHN and said nothing of IRN. The Topics page ranks
    by the articles with a topic, and says so (India, named in 216 articles, read as named in 214)."""
    app = open_page(monkeypatch, factory_home, ROUTE[route], {**CURRENT_PARAMS, "top": "3"})
    assert any(c.value.startswith(f"Named in as many {ranked_by} (1) as CHN") and "cut-off: IRN." in c.value
               for c in app.caption)
    wider = open_page(monkeypatch, factory_home, ROUTE[route], {**CURRENT_PARAMS, "top": "4"})
    assert not any(c.value.startswith("Named in as many") for c in wider.caption)


@pytest.mark.parametrize("level", LEVELS)
def test_cooccurrence_table_gives_each_pair_its_count_in_the_period_before(monkeypatch, factory_home, level):
    """An analyst saw 4 PRK–RUS articles together and no way to tell a new link from an old one."""
    app = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], {**CURRENT_PARAMS, "level": level})
    table = "pair_sentences" if level == "sentence" else "article_pairs"
    con = open_snapshot(factory_home)
    try:
        before = dict(con.execute(f"SELECT iso_a || '–' || iso_b, count(DISTINCT article_id) FROM {table} "
                                  "WHERE day BETWEEN ? AND ? GROUP BY ALL", list(PREVIOUS)).fetchall())
    finally:
        con.close()
    rows = frame(app).set_index("pair")["together_before"].to_dict()
    assert rows == {pair: before.get(pair, 0) for pair in rows} and rows["PRK–RUS"] == 1 and rows["IRN–RUS"] == 0
    assert any(c.value.startswith(f"Together before: together in {PREVIOUS[0]} → {PREVIOUS[1]}") for c in app.caption)
    # headers in words: a screen reader spelled "named underscore both"
    [grid] = [table for table in app.dataframe if "together_before" in table.value.columns]
    labels = {column: config.get("label") for column, config in json.loads(grid.proto.columns).items()}
    assert labels["named_both"] == "naming both"
    assert all(label and "_" not in label for column, label in labels.items() if "_" in column.strip("_"))


def test_cooccurrence_table_gives_the_value_the_cells_are_coloured_by(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], {**CURRENT_PARAMS, "metric": "share"})
    rows = frame(app).set_index("pair")
    # together in 4 articles, under the floor every share and lift needs: none, and the page says why
    assert rows.loc["PRK–RUS", "together"] == 4 and pd.isna(rows.loc["PRK–RUS", "share"])
    assert any("needs at least 5 articles together" in caption.value for caption in app.caption)
    # with the counts it comes from, so a download can be checked
    prk_rus = rows.loc["PRK–RUS"]
    assert {"articles_a", "articles_b", "named_both"} <= set(rows.columns) and sorted(prk_rus[["articles_a", "articles_b"]]) == [4, 7]
    counts = frame(open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], CURRENT_PARAMS))
    assert not {"count", "articles_a", "articles_in_scope"} & set(counts.columns)
    lift = frame(open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], {**CURRENT_PARAMS, "metric": "pmi"}))
    assert {"articles_a", "articles_b", "articles_in_scope", "pmi"} <= set(lift.columns)



@pytest.mark.parametrize("metric", ["count", "share", "pmi"])
def test_cooccurrence_table_opens_with_the_pair_and_names_it_once(monkeypatch, factory_home, metric):
    """The table gave iso_a and iso_b, then the pair they make, last: an analyst reads the pair first, once."""
    table = frame(open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], {**CURRENT_PARAMS, "metric": metric}))
    assert table.columns[0] == "pair" and not {"iso_a", "iso_b"} & set(table.columns), list(table.columns)
    assert table["pair"].iloc[0] == "PRK–RUS"


def wrapping_row_labels(app) -> list[list[str]]:
    """The labels of the widgets and metrics in each horizontal row that wraps (st.container(horizontal=True)): on a
    narrow window such a row wraps where fixed columns squeeze each label into a sliver."""
    rows, blocks = [], [app.main]
    while blocks:
        block = blocks.pop()
        children = list(block.children.values())
        blocks.extend(child for child in children if hasattr(child, "children"))
        if getattr(block, "type", "") == "flex_container" and block.proto.flex_container.wrap \
                and block.proto.flex_container.direction == BlockProto.FlexContainer.Direction.HORIZONTAL:
            rows.append([child.label for child in children if hasattr(child, "label")])
    return rows


@pytest.mark.parametrize("route, labels", [
    ("cooccurrence", ["Top countries", "Metric", "Together in one", "Topic"]),
    ("feeds", ["Healthy", "Degraded", "Failing", "Empty", "Stale", "Gone"]),
    ("articles", ["Search", "Search text too"])])
def test_a_row_of_controls_or_cards_wraps_on_a_narrow_window(monkeypatch, factory_home, route, labels):
    """At 900 px four fixed columns broke Co-occurrence's "sentence" into "sentenc/e" and hid the steppers of "Top
    countries"; six fixed columns cut the Feeds page's cards to "H…", "D…", "Fa…"; a quarter column cut the
    Articles page's "Search text too" to "Sear…"."""
    app = open_page(monkeypatch, factory_home, ROUTE[route], CURRENT_PARAMS)
    assert labels in wrapping_row_labels(app)


def test_the_rising_pairs_table_spans_the_page(monkeypatch, pair_crowded_home):
    """In the rising pairs chart's column (two fifths of the page) a 900 px window showed the table's `pair` and
    `change`, and hid `grew_most`, what the list says of each pair, past a scroll."""
    app = open_page(monkeypatch, pair_crowded_home, ROUTE["overview"], CURRENT_PARAMS)
    page_wide = [child for child in app.main.children.values() if getattr(child, "type", "") == "dataframe"]
    assert [table.value.columns[-1] for table in page_wide] == ["grew_most"]


def test_cooccurrence_topic_filter(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], {**CURRENT_PARAMS, "topic": "sanctions"})
    assert frame(app).set_index("pair")["together"].to_dict() == {"PRK–RUS": 2}


@pytest.mark.parametrize(("params", "said"), [
    ({"topics": "sanctions"}, "whose own topics include sanctions (the sidebar's Topics)"),
    ({"topics": ["military", "sanctions"], "all_topics": "1"}, "include military and sanctions"),
    ({"topics": "sanctions", "topic": "military"}, "The Topic above narrows them to the pairs whose sentences"),
])
def test_cooccurrence_filtered_by_the_articles_topics_says_so(monkeypatch, factory_home, params, said):
    """Russia's sanctions-and-finance partners by the sidebar's Topics (articles) were 6, by sentences 9: nothing on the
    page said which it counted."""
    app = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], {**CURRENT_PARAMS, **params})
    assert [c.value for c in app.caption if said in c.value]
    plain = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], CURRENT_PARAMS)
    assert not [c.value for c in plain.caption if "sidebar's Topics" in c.value]


def test_the_pair_explorer_on_a_topic_shows_what_the_cooccurrence_page_counts_for_it(monkeypatch, factory_home):
    """The Co-occurrence page counts a pair for a topic by its sentences' topics, and its clicks opened the Pair
    explorer on every sentence of the pair: on real news a cell of 103 CHN–USA trade articles opened on 273, and the
    sidebar's Topics filter (the articles' own topics) gave 58 articles with non-trade sentences among them."""
    cooccurrence = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], {**CURRENT_PARAMS, "topic": "sanctions"})
    together = frame(cooccurrence).set_index("pair")["together"]["PRK–RUS"]
    params = {**CURRENT_PARAMS, "pair": "PRK-RUS", "topic": "sanctions"}
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], params)
    assert app.selectbox[1].value == "sanctions"
    evidence, articles = frame(app, 0), frame(app, 1)
    assert len(evidence) == len(articles) == together == 2
    assert all("sanctions" in topics for topics in evidence["topics"])
    assert [h.value for h in app.main.header] == ["PRK–RUS · sanctions"]
    outlets = next(chart for chart in chart_frames(app) if "outlet" in chart.columns)
    assert outlets["articles"].sum() == 2
    # the chart counts the topic's sentences, not their other topics stacked on top (one is military too)
    sentence_topics = next(chart for chart in chart_frames(app) if "topic" in chart.columns)
    assert set(sentence_topics["topic"]) == {"sanctions"} and sentence_topics["sentences"].sum() == 2


def test_a_shared_link_cannot_put_markdown_into_the_toast(monkeypatch, factory_home):
    """The toast renders Markdown: a crafted link showed a phishing link and loaded a remote image."""
    payload = "[Session expired: log in](https://evil.example/login) ![x](https://evil.example/pixel.png)"
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], {**CURRENT_PARAMS, "countries": payload})
    assert [toast.value for toast in app.toast] == [
        f"Countries: `{payload[:60]}…` is not available with this data; showing the default."]  # inline code: inert


@pytest.mark.parametrize(("route", "params", "shown"), [
    ("pair", {"pair": "FIN-VNM"}, lambda app: app.selectbox[0].value == "PRK-RUS"),
    ("trends", {"series_countries": "ZZZ"}, lambda app: app.multiselect[0].value == ["RUS", "PRK", "CHN"]),
    ("articles", {"article": "not-listed"}, lambda app: app.selectbox[0].value is None and not app.text),
    ("articles", {"list_from": "last-week"}, lambda app: "list_from" not in app.query_params and len(frame(app)) == 7),
    # a page starting at no article of the list: it hid the articles of its day, or started at the newest, silently
    ("articles", {"list_from": "2025-03-12~zz"}, lambda app: "list_from" not in app.query_params and len(frame(app)) == 7),
    ("articles", {"list_from": "2025-03-20~zz"}, lambda app: "list_from" not in app.query_params and len(frame(app)) == 7),
    ("articles", {"list_from": "2025-03-08~c4"}, lambda app: "list_from" not in app.query_params and len(frame(app)) == 7),
])
def test_a_link_asking_for_what_is_not_there_says_so_and_shows_the_default(monkeypatch, factory_home, route,
                                                                           params, shown):
    app = open_page(monkeypatch, factory_home, ROUTE[route], {**CURRENT_PARAMS, **params})
    [asked] = params.values()
    assert any(asked in toast.value for toast in app.toast), [t.value for t in app.toast]
    assert shown(app)


NO_ARTICLE_DAYS = {"from": "2025-04-01", "to": "2025-04-02"}  # after the factory's last article


@pytest.mark.parametrize(("route", "params", "label"), [
    ("alerts", {**CURRENT_PARAMS, "alert": "junk"}, "Evidence for"),
    ("alerts", {**CURRENT_PARAMS, "all_columns": "1"}, "Show all columns"),
    ("topics", {**NO_ARTICLE_DAYS, "evidence_topic": "military"}, "Why articles count under"),
    ("topics", {**NO_ARTICLE_DAYS, "evidence_country": "PRK"}, "Naming"),
    ("articles", {**CURRENT_PARAMS, "q": "zzzz", "article": "c4"}, "Open an article of the list"),
    ("pair", {**NO_ARTICLE_DAYS, "pair": "PRK-RUS", "lists": "0"},
     "Hide sentences that only list the two among other countries"),
])
def test_a_link_to_a_control_the_page_has_nothing_for_says_so_and_leaves_the_url(monkeypatch, factory_home, route,
                                                                                   params, label):
    """A page that stops before one of its controls (no alert in the dates, no article listed) left the link's value
    in the URL, unread and unmentioned: `alert=junk` stayed there as if it were shown."""
    app = open_page(monkeypatch, factory_home, ROUTE[route], params)
    [(name, asked)] = [(name, value) for name, value in params.items() if name not in ("from", "to", "q", "pair")]
    assert [toast.value for toast in app.toast] == [
        f"{label}: `{asked}` is not available with this data; showing none."]
    assert name not in app.query_params and app.query_params["from"] == params["from"]


def test_a_feed_link_to_a_home_without_feeds_says_so_and_leaves_the_url(monkeypatch, empty_home):
    app = open_page(monkeypatch, empty_home, ROUTE["feeds"], {"feed": "wire"})
    assert [toast.value for toast in app.toast] == ["Feed: `wire` is not available with this data; showing none."]
    assert "feed" not in app.query_params


@pytest.mark.parametrize("back", [
    {"alerts_from": "garbage", "alerts_to": CURRENT[1].isoformat(), "alert": "junk"}, {"alert": "junk"},
])
def test_a_way_back_to_alerts_the_pair_explorer_cannot_read_says_so_and_leaves_the_url(monkeypatch, factory_home,
                                                                                        back):
    """alerts_from/alerts_to that are no dates, or an alert without them, offered no way back and stayed in the URL,
    carried along by every widening of the dates, unmentioned."""
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS", **back})
    asked = ", ".join(f"`{value}`" for value in back.values())
    assert [toast.value for toast in app.toast] == [
        f"Back to the alerts: {asked} is not available with this data; showing none."]
    assert not set(back) & set(app.query_params) and not [b for b in app.button if b.label.startswith("Back to")]


def test_a_control_whose_choices_go_away_leaves_the_url_without_a_toast(monkeypatch, factory_home):
    """The value the control itself wrote is no link's: a search that lists nothing drops the opened article quietly
    (the page says no article matches)."""
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], CURRENT_PARAMS)
    app.selectbox[0].select("c4").run()
    app.text_input[0].input("zzzz").run()
    assert "article" not in app.query_params and not app.toast
    assert any(i.value.startswith("No article matches these filters.") for i in app.info)


def test_a_link_naming_known_and_unknown_countries_keeps_the_known_and_says_which_were_left_out(monkeypatch,
                                                                                                factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], {**CURRENT_PARAMS, "countries": ["ZZZ", "PRK"]})
    assert app.sidebar.multiselect[0].value == ["PRK"]
    assert [toast.value for toast in app.toast] == ["Countries: `ZZZ` is not available with this data; left out."]


def test_a_link_may_write_country_codes_in_lower_case(monkeypatch, factory_home):
    """`countries=prk` was "not available with this data" while `pairs=prk-rus` was read (the CLI reads both)."""
    app = open_page(monkeypatch, factory_home, ROUTE["trends"],
                    {**CURRENT_PARAMS, "countries": "prk", "outlet_countries": " usa", "series_countries": ["rus", "Irn"]})
    sidebar = {widget.label: widget.value for widget in app.sidebar.multiselect}
    assert sidebar["Countries"] == ["PRK"] and sidebar["Outlet countries"] == ["USA"] and not app.toast
    assert app.main.multiselect[0].value == ["RUS", "IRN"] and app.query_params["countries"] == "PRK"


@pytest.mark.parametrize(("route", "name", "written", "on"), [
    ("overview", "dated_only", "yes", True), ("overview", "dated_only", " TRUE", True),
    ("overview", "dated_only", "off", False), ("articles", "body", "On", True), ("pair", "lists", "Yes", True),
    ("cooccurrence", "unlisted_only", "on", True), ("cooccurrence", "unlisted_only", "False", False),
    ("pair", "lists", "no", False),
])
def test_a_link_may_write_a_switch_as_yes_or_no_true_or_false_on_or_off(monkeypatch, undated_home, route, name,
                                                                         written, on):
    """Only `1` turned a switch on: `dated_only=yes` left the undated articles in and `lists=yes` showed the listing
    sentences, the opposite of what the link said, and nothing said so."""
    app = open_page(monkeypatch, undated_home, ROUTE[route], {**CURRENT_PARAMS, "pair": "PRK-RUS", name: written})
    [switch] = [widget for widget in app.toggle if widget.key.endswith(f".{name}")]
    assert switch.value is on and not app.toast
    default = name == "lists"  # hidden unless asked: the only switch that starts on
    assert param(app, name) == (None if on is default else str(int(on)))  # written as 1 or 0, the default left out


@pytest.mark.parametrize(("route", "name", "label"), [
    ("overview", "dated_only", "Leave out undated articles"), ("articles", "body", "Search text too"),
    ("pair", "lists", "Hide sentences that only list the two among other countries"),
    ("cooccurrence", "unlisted_only", "Leave out list-only pairs"),
])
def test_a_link_whose_switch_is_neither_on_nor_off_says_so_and_shows_the_default(monkeypatch, undated_home, route,
                                                                                 name, label):
    app = open_page(monkeypatch, undated_home, ROUTE[route], {**CURRENT_PARAMS, "pair": "PRK-RUS", name: "maybe"})
    assert [toast.value for toast in app.toast] == [
        f"{label}: `maybe` is not available with this data; showing the default."]
    assert name not in app.query_params


def test_a_link_with_a_date_that_is_no_date_says_so_and_keeps_the_other_end(monkeypatch, factory_home):
    """A bad `from` silently replaced the whole range by the default 90 days, good `to` included."""
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], {"from": "2025-02-30", "to": CURRENT[1].isoformat()})
    [dates] = [widget for widget in app.sidebar.date_input if widget.label == "Dates"]
    assert dates.value[1] == CURRENT[1] and app.query_params["to"] == CURRENT[1].isoformat()
    [toast] = [toast.value for toast in app.toast]
    assert toast.startswith("From: `2025-02-30` is no date (YYYY-MM-DD); showing ")


def test_a_link_to_the_first_days_of_the_calendar_is_brought_within_reach(monkeypatch, factory_home):
    """from=0001-01-01 put the period before it ahead of year 1: Overview and Co-occurrence raised OverflowError."""
    far = {"from": "0001-01-01", "to": "0001-01-03"}
    app = open_page(monkeypatch, factory_home, ROUTE["overview"], far)
    [dates] = [widget for widget in app.sidebar.date_input if widget.label == "Dates"]
    low = dates.value[0]
    assert low.year > 2000 and dates.value[1] == low and app.query_params["from"] == low.isoformat()
    assert [toast.value for toast in app.toast if toast.value.startswith("From")] == [
        f"From: 0001-01-01 is further from today than a link can reach; showing {low}."]
    open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], far)  # no OverflowError


def test_a_link_asking_for_too_many_countries_gets_the_most_there_are(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["cooccurrence"], {**CURRENT_PARAMS, "top": "100000"})
    assert app.number_input[0].value == 40 and app.query_params["top"] == "40"
    assert [toast.value for toast in app.toast] == ["Top countries: 100000 is outside 3–40; showing 40."]


def test_a_link_naming_more_series_than_allowed_shows_the_first_ones():
    """Trends takes up to six series: a link naming seven seeded the widget with seven, and Streamlit raised
    StreamlitSelectionCountExceedsMaxError on every run until the URL was edited by hand."""
    def script():
        import streamlit as st

        from pipeline.dashboard import filters
        filters.read_url()  # as the entry script does around its pages
        st.session_state["picked"] = filters.multichoice(st.multiselect, "Series", "series", list("ABCDEFGH"),
                                                         max_selections=3)
        filters.write_url()

    app = AppTest.from_function(script)
    app.query_params["series"] = ["B", "A", "ZZ", "C", "D"]
    app.run()
    assert not app.exception
    assert app.multiselect[0].value == ["B", "A", "C"] and app.session_state["picked"] == ("B", "A", "C")
    assert [toast.value for toast in app.toast] == [
        "Series: `ZZ` is not available with this data; left out.", "Series: the link names 4; showing the first 3."]
    assert app.query_params["series"] == ["B", "A", "C"]


def test_pair_explorer_from_a_shared_link(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "RUS–PRK"})
    assert app.selectbox[0].value == "PRK-RUS"
    assert [h.value for h in app.main.header] == ["PRK–RUS"]
    evidence, articles = frame(app, 0), frame(app, 1)
    assert len(evidence) == 4 and len(articles) == 4
    assert any(c.value.startswith("4 sentences, newest first.") for c in app.caption)
    assert any(c.value == "4 articles, newest first." for c in app.caption)
    assert "⟦Russia⟧ warns ⟦North Korea⟧ over sanctions." in evidence["sentence"].tolist()
    assert evidence["cue"].value_counts().to_dict() == {"cooperation": 3, "confrontation": 1}
    assert any("A cue counts cooperation and confrontation words" in caption.value for caption in app.caption)
    assert any("A sentence's topics are the topic words in it" in caption.value for caption in app.caption)
    assert any("counts once under each" in caption.value for caption in app.caption)
    assert articles["outlet"].value_counts().to_dict() == {"Daily": 2, "Wire": 2}


def test_a_link_to_a_pair_past_the_listed_ones_opens_it(monkeypatch, many_pairs_home):
    """The pair lists hold the 500 pairs with most articles: a link to a rarer pair (IRN–RUS, one article, behind 500
    pairs of two: a new_pair alert's) opened the Pair explorer on another pair."""
    home = many_pairs_home
    app = open_page(monkeypatch, home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "IRN-RUS"})
    assert not app.toast and app.selectbox[0].value == "IRN-RUS" and app.query_params["pair"] == "IRN-RUS"
    assert [h.value for h in app.main.header] == ["IRN–RUS"]
    sidebar = open_page(monkeypatch, home, ROUTE["overview"], {**CURRENT_PARAMS, "pairs": "IRN-RUS"})
    assert sidebar.sidebar.multiselect[1].value == ["IRN-RUS"] and sidebar.metric[0].value == "1"


def test_a_pair_past_the_listed_ones_is_reached_through_its_countries(monkeypatch, many_pairs_home):
    """The pair lists hold the 500 pairs with most articles, and an analyst could not choose a rarer one (IRN–RUS,
    behind 528 pairs of two) without a link naming it: the sidebar's Countries now bring every pair of theirs."""
    app = open_page(monkeypatch, many_pairs_home, ROUTE["pair"], CURRENT_PARAMS)
    assert "IRN-RUS" not in app.selectbox[0].options and "IRN-RUS" not in app.sidebar.multiselect[1].options
    app.sidebar.multiselect[0].set_value(["IRN"]).run()
    assert app.selectbox[0].options.count("IRN-RUS") == 1 and "IRN-RUS" in app.sidebar.multiselect[1].options
    app.selectbox[0].select("IRN-RUS").run()
    assert [h.value for h in app.main.header] == ["IRN–RUS"] and frame(app, 1)["title"].tolist() == ["Energie"]
    opened = open_page(monkeypatch, many_pairs_home, ROUTE["pair"], {**CURRENT_PARAMS, "countries": "IRN"})
    assert opened.selectbox[0].value == "IRN-RUS"  # the busiest pair of the sidebar's country, as before the 500
    # a pair chosen so stays when the country goes: its link names it, as a link past the list does
    app.sidebar.multiselect[1].set_value(["IRN-RUS"]).run()
    app.sidebar.multiselect[0].set_value([]).run()
    assert app.selectbox[0].value == "IRN-RUS" and app.sidebar.multiselect[1].value == ["IRN-RUS"]
    assert not app.toast and not app.exception


def test_pair_explorer_opens_on_a_pair_of_the_sidebars_countries(monkeypatch, factory_home):
    """With Countries = IRN in the sidebar and no pair in the link, the page opened on the busiest pair, PRK-RUS."""
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "countries": "IRN"})
    assert app.selectbox[0].value == "IRN-RUS"
    assert open_page(monkeypatch, factory_home, ROUTE["pair"], CURRENT_PARAMS).selectbox[0].value == "PRK-RUS"


def test_the_pair_shown_gives_way_to_countries_it_names_neither_of(monkeypatch, factory_home):
    """The pair is kept in the URL: Countries = CHN chosen on PRK–RUS went on showing PRK–RUS, contrary to the filter.
    It gives way to the busiest pair naming a chosen country; a pair naming one stays, as does one a link opened, and
    Back shows a view as it was."""
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], CURRENT_PARAMS)
    assert app.selectbox[0].value == "PRK-RUS"
    app.sidebar.multiselect[0].set_value(["CHN"]).run()
    assert app.selectbox[0].value == "CHN-RUS" and app.query_params["pair"] == "CHN-RUS"
    assert [h.value for h in app.main.header] == ["CHN–RUS"]
    for countries in (["CHN", "PRK"], []):  # CHN–RUS names CHN (PRK–RUS is the busier pair of the two); none chosen
        app.sidebar.multiselect[0].set_value(countries).run()
        assert app.selectbox[0].value == "CHN-RUS"
    linked = {**CURRENT_PARAMS, "countries": "IRN", "pair": "PRK-RUS"}
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], linked)
    assert app.selectbox[0].value == "PRK-RUS" and not app.toast  # as the link asks
    app.sidebar.multiselect[0].set_value(["IRN", "PRK"]).run()
    assert app.selectbox[0].value == "PRK-RUS"
    app.query_params.clear()
    app.query_params.update(linked)  # Back to the link: not the IRN pair its Countries alone would give way to
    history_run(monkeypatch, app)
    assert (app.sidebar.multiselect[0].value, app.selectbox[0].value) == (["IRN"], "PRK-RUS")
    app.sidebar.multiselect[0].set_value(["CHN"]).run()
    assert app.selectbox[0].value == "CHN-RUS"


def test_who_covers_the_pair_colours_an_outlet_country_alike_on_every_pair(monkeypatch, factory_home):
    """A pair's outlet countries took the hues in their own alphabetical order: USA's Daily was orange beside GBR's
    Wire on PRK–RUS and blue on CHN–RUS, which in these dates only Daily covers."""
    def colours(pair: str) -> dict[str, str]:
        app = open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": pair})
        specs = [json.loads(element.proto.spec) for element in app.main
                 if getattr(element, "type", "") == "vega_lite_chart"]
        outlets = next(chart["encoding"] for chart in specs if chart.get("encoding", {}).get("y", {}).get("field")
                       == "outlet")
        scale = outlets["color"]["scale"]
        return dict(zip(scale["domain"], scale["range"]))

    prk_rus, chn_rus, irn_rus = colours("PRK-RUS"), colours("CHN-RUS"), colours("IRN-RUS")
    assert set(prk_rus) == {"GBR", "USA"} and set(chn_rus) == {"USA"} and set(irn_rus) == {"DEU"}
    assert chn_rus["USA"] == prk_rus["USA"] and irn_rus["DEU"] not in prk_rus.values()


def test_pages_name_an_unknown_outlet_country(monkeypatch, tmp_path):
    """Imports carry no outlet country: the legend of "Who covers the pair" read "null"."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        warehouse.con.execute("UPDATE articles SET outlet_country = NULL WHERE outlet = 'Daily'")
        publish(warehouse.con, home)
    app = open_page(monkeypatch, home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    outlets = next(frame for frame in chart_frames(app) if "outlet" in frame.columns)
    assert dict(zip(outlets["outlet"], outlets["outlet_country"])) == {"Daily · (unknown)": "(unknown)",
                                                                       "Wire · GBR": "GBR"}
    articles = frame(app, 1)  # the table below said "None" where the chart says "(unknown)"
    assert set(zip(articles["outlet"], articles["outlet_country"])) == {("Daily", "(unknown)"), ("Wire", "GBR")}
    listed = frame(open_page(monkeypatch, home, ROUTE["articles"], CURRENT_PARAMS), 0)  # the Articles page too
    assert ("Daily", "(unknown)") in set(zip(listed["outlet"], listed["outlet_country"]))


def test_who_covers_the_pair_ranks_the_busiest_outlets_and_counts_the_rest(monkeypatch, tmp_path):
    """An archive of 3,000 sources drew one bar per outlet, 84,000 px: a broken image with the evidence below it
    out of reach. Fifty more PRK–RUS articles from thirty outlets: Outlet 00..19 carry two each, 20..29 one."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, briefings(50, "North Korea and Russia hold talks."), CURRENT[1])
        warehouse.con.execute("UPDATE articles SET outlet = printf('Outlet %02d', CAST(substr(article_id, 2) AS INT) "
                              "% 30) WHERE article_id LIKE 'b%'")
        publish(warehouse.con, home)
    app = open_page(monkeypatch, home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    outlets = next(frame for frame in chart_frames(app) if "outlet" in frame.columns)
    # Daily's and Wire's two each tie with Outlet 00..19's: by name, Daily and Outlet 00..18 make the twenty, and
    # Outlet 19, Wire and the ten one-article outlets are left out (14 of the pair's 54 articles)
    assert outlets["outlet"].tolist() == ["Daily · USA"] + [f"Outlet {n:02d} · GBR" for n in range(19)]
    assert "The 20 outlets with most articles (ties in name order), and 12 more outlet(s) with 14 article(s)." in [
        caption.value for caption in app.caption]
    few = open_page(monkeypatch, home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "CHN-RUS"})  # one outlet: no note
    assert len(next(frame for frame in chart_frames(few) if "outlet" in frame.columns)) == 1
    assert not [caption.value for caption in few.caption if "more outlet" in caption.value]


# About Iran and China, with no sentence naming both: a pair of its focus countries only
GAS_TALKS = Story("f1", CURRENT[1], ("wire",), "Gas talks", "Iran hosts a summit. China sends a delegation.",
                  ("energy",), one_sentence=False)


def home_with_focus_only_story(tmp_path, story: Story):
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [story], CURRENT[1])
    return home


def test_a_pair_without_a_sentence_naming_both_still_lists_its_articles(monkeypatch, tmp_path):
    """An article can pair two countries it is about without one sentence naming both (the Co-occurrence page's
    "in one article", the Overview's pairs count it): the Pair explorer said only "No sentence names both
    countries" and stopped, hiding who covers the pair and its articles."""
    home = home_with_focus_only_story(tmp_path, GAS_TALKS)
    app = open_page(monkeypatch, home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "CHN-IRN"})
    assert any("No sentence names both countries" in info.value and "1 article(s)" in info.value for info in app.info)
    assert [s.value for s in app.main.subheader] == ["Who covers the pair", "Articles"]  # no empty Evidence table
    outlets = next(frame for frame in chart_frames(app) if "outlet" in frame.columns)
    assert outlets["outlet"].tolist() == ["Wire · GBR"]
    assert frame(app)["title"].tolist() == ["Gas talks"]
    in_sentence = open_page(monkeypatch, home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "CHN-IRN", "level": "sentence"})
    assert [info.value for info in in_sentence.info] == [  # it said no article pairs them
        "No sentence names both countries with these filters; 1 article(s) are about both: choose Articles → also "
        "those about both."]


def test_a_cooccurrence_cell_in_sentence_mode_opens_on_the_articles_it_counted(monkeypatch, tmp_path):
    """An article about North Korea and Russia with no sentence naming both pairs them with its own topics: the
    military cell "together in one sentence" said 2 articles and the Pair explorer it opened listed 3."""
    home = home_with_focus_only_story(tmp_path, Story(
        "f2", CURRENT[1], ("wire",), "Arms output", "Russia expands military production. North Korea holds a party "
        "congress.", ("military",), one_sentence=False))
    params = {**CURRENT_PARAMS, "topic": "military"}
    cell = frame(open_page(monkeypatch, home, ROUTE["cooccurrence"], params)).set_index("pair")["together"]["PRK–RUS"]
    in_sentence = open_page(monkeypatch, home, ROUTE["pair"], {**params, "pair": "PRK-RUS", "level": "sentence"})
    about_both = open_page(monkeypatch, home, ROUTE["pair"], {**params, "pair": "PRK-RUS"})
    assert len(frame(in_sentence, 1)) == cell and "Arms output" not in frame(in_sentence, 1)["title"].tolist()
    assert len(frame(about_both, 1)) == cell + 1 and "Arms output" in frame(about_both, 1)["title"].tolist()
    outlets = next(chart for chart in chart_frames(in_sentence) if "outlet" in chart.columns)
    assert outlets["articles"].sum() == cell


def test_an_article_says_which_pairs_it_makes_without_a_sentence_naming_both(monkeypatch, tmp_path):
    """Its "why" panel said only "No sentence names two of its countries" while the article counted as a CHN–IRN
    energy pair in the Pair explorer and the pair × topic series."""
    home = home_with_focus_only_story(tmp_path, GAS_TALKS)
    app = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": GAS_TALKS.key})
    [note] = [c.value for c in app.caption if c.value.startswith("Also paired as two of the countries it is about")]
    assert ": CHN–IRN (energy)." in note  # as stored in article_pairs
    paired = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "c1"})  # PRK–RUS in a sentence
    assert not [c for c in paired.caption if c.value.startswith("Also paired as")]


def test_pair_explorer_articles_link_to_why_each_is_tagged(monkeypatch, factory_home):
    """The Pair explorer's articles had no way to the Articles page's "why" panel (an alert's: test_alerts_page)."""
    articles = frame(open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"}), 1)
    assert list(articles.columns)[:4] == ["day", "dated", "title", "why"]  # beside the title, not off screen
    assert "article_id" in articles.columns  # for the downloads: the link means nothing outside the app
    c1 = articles.set_index("title").loc["Military pact", "why"]
    assert c1 == "articles?article=c1&from=2025-03-08&to=2025-03-08"
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], dict(parse_qsl(c1.partition("?")[2])))
    assert app.selectbox[0].value == "c1" and [t.value for t in app.text][0] == "Military pact"


@pytest.mark.parametrize(("route", "params"), [("pair", {"pair": "PRK-RUS"}), ("topics", {"evidence_topic": "military"})])
def test_evidence_sentences_link_to_why_their_article_is_tagged(monkeypatch, factory_home, route, params):
    """The evidence sentences of the Pair explorer and the Topics page ended on a plain article_id: the way to the
    Articles page's "why" panel went through the articles table, or a copied id."""
    app = open_page(monkeypatch, factory_home, ROUTE[route], {**CURRENT_PARAMS, **params})
    [evidence] = [table.value for table in app.dataframe if "sentence" in table.value.columns]
    assert len(evidence) and evidence["why"].tolist() == [
        f"articles?article={article_id}&from={day:%Y-%m-%d}&to={day:%Y-%m-%d}"
        for article_id, day in zip(evidence["article_id"], evidence["day"])]
    linked = open_page(monkeypatch, factory_home, ROUTE["articles"],
                       dict(parse_qsl(evidence["why"].iloc[0].partition("?")[2])))
    assert linked.selectbox[0].value == evidence["article_id"].iloc[0]


def test_a_linked_article_opens_though_its_list_holds_it_on_a_later_page(monkeypatch, crowded_home):
    """The list shows 500 articles a page: a link naming an older one said "not available"."""
    oldest = open_page(monkeypatch, crowded_home, ROUTE["articles"], {**CURRENT_PARAMS, "q": "Briefing 0"})
    old_id = frame(oldest).sort_values("day")["article_id"].iloc[0]
    app = open_page(monkeypatch, crowded_home, ROUTE["articles"], {**CURRENT_PARAMS, "article": old_id})
    assert old_id not in frame(app)["article_id"].tolist()  # not on the first page of the list
    assert app.selectbox[0].value == old_id and not app.toast
    assert app.selectbox[0].options[-1].endswith("(linked)")


def test_pair_explorer_marks_weeks_cut_by_the_range(monkeypatch, factory_home):
    """Saturday to Friday: both weeks are partial, and their bars say so (they looked like whole weeks)."""
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS", "grain": "week"})
    topics, cues = chart_frames(app)[:2]
    for bars in (topics, cues):
        assert set(bars["note"]) == {"partial: 2 of 7 days", "partial: 5 of 7 days"}
    assert topics.groupby("bucket")["bucket_sentences"].first().sum() == len(frame(app, 0))


def test_topics_matrix(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["topics"], CURRENT_PARAMS)
    matrix = frame(app).set_index("topic")
    assert matrix.loc["military", "PRK"] == 3 and matrix.loc["military", "RUS"] == 3
    assert all(dtype.kind == "i" for dtype in matrix.dtypes), matrix.dtypes  # counts, not 3.0 in the CSV
    assert matrix.loc["energy", "IRN"] == 1
    language = {feed[0]: feed[3] for feed in FEEDS}  # an article takes its first feed's language
    foreign = sum(1 for story in STORIES if CURRENT[0] <= story.day <= CURRENT[1] and language[story.feeds[0]] != "en")
    assert foreign and any(f"{foreign:,} of the {EXPECTED['current']['articles']:,} articles in scope are in another "
                          "language" in caption.value for caption in app.caption)


def test_a_topic_matrix_click_picks_the_evidence_until_back(monkeypatch, factory_home):
    """A click on a cell sets the evidence's topic and country, and a run on the URL from before the click (the browser
    had not yet received the click's) keeps them: it took that URL as an earlier view and undid the click, while the
    browser showed the click's URL. Back, to that URL, is the view before the click."""
    app = open_page(monkeypatch, factory_home, ROUTE["topics"], CURRENT_PARAMS)
    before = [box.value for box in app.main.selectbox[-2:]]
    click_on_chart(monkeypatch, "topic_matrix", CELL_PICK, {"topic": "energy", "iso3": "IRN"})
    app.run()
    assert [box.value for box in app.main.selectbox[-2:]] == ["energy", "IRN"] != before
    assert (app.query_params["evidence_topic"], app.query_params["evidence_country"]) == ("energy", "IRN")
    app.query_params.pop("evidence_country")
    app.query_params["evidence_topic"] = before[0]
    app.run()
    assert [box.value for box in app.main.selectbox[-2:]] == ["energy", "IRN"]
    assert (app.query_params["evidence_topic"], app.query_params["evidence_country"]) == ("energy", "IRN")
    app.query_params.pop("evidence_country")
    app.query_params["evidence_topic"] = before[0]
    history_run(monkeypatch, app)
    assert [box.value for box in app.main.selectbox[-2:]] == before


def test_topics_of_articles_naming_no_country_are_still_charted(monkeypatch, tmp_path):
    """A day whose only topical article names no country read "No topics assigned to articles with these filters" and
    hid the topic trend and its evidence, while Trends counted the article."""
    day = CURRENT[1] + timedelta(days=30)
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [Story("nc", day, ("wire",), "Tariffs rise", "Tariffs rise on steel.",
                                              ("trade",))], day)
    app = open_page(monkeypatch, home, ROUTE["topics"], {"from": day.isoformat(), "to": day.isoformat()})
    assert not app.exception
    assert any(i.value == "No article with a topic names a country with these filters." for i in app.info)
    assert "Topics over time" in [s.value for s in app.main.header]
    trend = next(chart for chart in chart_frames(app) if "series" in chart.columns)
    assert trend.groupby("series")["articles"].sum().to_dict().get("trade") == 1
    nothing = open_page(monkeypatch, home, ROUTE["topics"], {"from": day.isoformat(), "to": day.isoformat(),
                                                             "topics": "energy"})
    assert any(i.value.startswith(f"No article from {day} to {day} has a topic among those these filters keep: topics `energy`")
               for i in nothing.info), [i.value for i in nothing.info]


def test_topics_of_a_warehouse_without_any_topic_say_so(monkeypatch, tmp_path):
    """With no topic in the warehouse (articles in other languages than English get none), Topics raised "You are
    trying to merge on float64 and str columns" filling in a trend of no series."""
    home = Home.resolve(tmp_path / "home").ensure()
    with Warehouse(home.writer_db) as warehouse:
        warehouse.register_feeds(feed_specs(), datetime(2025, 3, 1, tzinfo=timezone.utc))
        write_stories(warehouse, home, [Story("de", CURRENT[1], ("flaky",), "Wetter", "Russland und China reden.")],
                      CURRENT[1])
    app = open_page(monkeypatch, home, ROUTE["topics"], CURRENT_PARAMS)
    assert any(i.value == f"No article from {CURRENT[0]} to {CURRENT[1]} has a topic." for i in app.info)


def test_topics_trend_is_weekly_over_long_ranges(monkeypatch, factory_home):
    """Eleven daily lines over 90 days were unreadable."""
    week = open_page(monkeypatch, factory_home, ROUTE["topics"], {"from": "2025-01-01", "to": "2025-03-14"})
    assert week.radio[0].value == "week"
    # its first and last weeks are cut by the dates: drawn hollow, which only Trends explained
    assert any(c.value.startswith("Hollow points on a dashed line") for c in week.caption)
    assert open_page(monkeypatch, factory_home, ROUTE["topics"], CURRENT_PARAMS).radio[0].value == "day"


def test_topics_over_time_draws_the_busiest_few_and_the_ones_added(monkeypatch, factory_home):
    """Eleven lines at once were unreadable: the four topics with most articles in scope are drawn (military 3,
    sanctions 2, then those of one article by name), the others a pick away, each in its topic's own colour."""
    app = open_page(monkeypatch, factory_home, ROUTE["topics"], CURRENT_PARAMS)

    def drawn_lines() -> tuple[list[str], list[tuple[str, str]]]:
        """The topics of the lines drawn, and the legend's topics (in its order) with their colours."""
        trend = next(element for element in app.main if getattr(element, "type", "") == "vega_lite_chart"
                     and "topic_trend" in element.proto.id)
        series = pa.ipc.open_stream(trend.proto.datasets[0].data.data).read_pandas()["series"]
        scale = json.loads(trend.proto.spec)["layer"][0]["layer"][0]["encoding"]["color"]["scale"]
        return sorted(set(series)), list(zip(scale["domain"], as_drawn(scale["range"])))

    picks = app.main.multiselect[0]
    assert picks.label == "Topics drawn" and picks.value == ["military", "sanctions", "diplomacy", "energy"]
    assert picks.options[-1] == "trade" and app.query_params["drawn"] == picks.value
    # the legend in the order of the picks (the busiest first), as on the Trends page
    assert drawn_lines() == (sorted(picks.value), [(topic, TOPIC_COLORS[topic]) for topic in picks.value])
    picks.select("trade").run()
    assert drawn_lines()[0] == ["diplomacy", "energy", "military", "sanctions", "trade"]
    assert drawn_lines()[1][-1] == ("trade", TOPIC_COLORS["trade"])
    app.main.multiselect[0].set_value([]).run()
    assert any(i.value == "Pick a topic to draw its line." for i in app.info) and not app.exception


def test_alerts_is_a_clean_empty_state(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["alerts"], CURRENT_PARAMS)
    assert any("No alerts in this date range" in i.value for i in app.info)


def test_alerts_names_a_broken_rules_file(monkeypatch, factory_home, alerts_file):
    path = alerts_file("[[rule]]\nid = ")
    app = open_page(monkeypatch, factory_home, ROUTE["alerts"], CURRENT_PARAMS)
    [error] = [e.value for e in app.error]
    assert error.startswith(f"The alert rules cannot be used (fix the file and reload this page): `{path}: ")
    assert error.endswith("`") and not app.code and not app.dataframe  # whole, where it is read out


def test_alerts_lists_each_mistake_of_the_rules_file_on_its_own_line(monkeypatch, factory_home, alerts_file):
    path = alerts_file('[gate]\nx = 1\n[[rule]]\nid = "a"\nkind = "surge"\nlevel = "pair"\nmin_z = 0\n')
    app = open_page(monkeypatch, factory_home, ROUTE["alerts"], CURRENT_PARAMS)
    [block] = app.code
    assert [line.split(": ")[0] for line in block.value.splitlines()] == [f"{path}:2", f"{path}:7"]
    assert block.proto.wrap_lines, "each mistake read whole, not scrolled across"
    [error] = [e.value for e in app.error]  # the first mistake short: the alert's inline text is cut at 200 characters
    assert f"`{path}:2: [gate]: unknown field 'x'; {str(path)[:10]}" in error, "in the alert, '; '-separated"


def test_articles_search_titles_then_text(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], CURRENT_PARAMS)
    assert len(frame(app)) == 7
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], {**CURRENT_PARAMS, "q": "gas"})
    assert not app.dataframe and any("Try also searching article text" in i.value for i in app.info)
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], {**CURRENT_PARAMS, "q": "gas", "body": "1"})
    assert frame(app)["title"].tolist() == ["Energie"]


def test_articles_never_link_javascript_urls(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], {**CURRENT_PARAMS, "q": "warn*"})
    found = frame(app)
    assert len(found) == 2
    assert found["url"].isna().sum() == 1  # the javascript: link of the XSS story is dropped
    assert all(url.startswith("https://") for url in found["url"].dropna())
    # and its "None" says why, in the column's help (it read as a fault)
    assert "javascript:, data: and malformed links are not shown" in app.dataframe[0].proto.columns


def param(app, name: str) -> str | None:
    """One URL parameter of the page as a shared link carries it."""
    value = app.query_params.get(name)
    return value[-1] if isinstance(value, list) else value


def test_articles_past_the_newest_500_are_a_click_away(monkeypatch, crowded_home):
    """The list showed "(the newest 500)" of a longer list, and nothing older could be listed or opened."""
    total = CROWDED_BRIEFINGS + EXPECTED["current"]["articles"]
    app = open_page(monkeypatch, crowded_home, ROUTE["articles"], CURRENT_PARAMS)
    first = frame(app)
    assert len(first) == SEARCH_LIMIT
    assert any(c.value.startswith(f"Articles 1–{SEARCH_LIMIT} of {total} matching") for c in app.caption)
    assert app.button(key="articles.newer").disabled and app.button(key="articles.newest").disabled
    app.button(key="articles.older").click().run()
    second = frame(app)
    assert any(c.value.startswith(f"Articles {SEARCH_LIMIT + 1}–{total} of {total} matching") for c in app.caption)
    assert len(second) == total - SEARCH_LIMIT and not set(second["article_id"]) & set(first["article_id"])
    assert second["day"].max() <= first["day"].min() and app.button(key="articles.older").disabled
    assert param(app, "list_from") == f"{second['day'].iloc[0]:%Y-%m-%d}~{second['article_id'].iloc[0]}"
    app.selectbox[0].select("c1").run()  # the oldest day's story, listed on the second page only
    assert app.text[0].value == "Military pact" and param(app, "article") == "c1"
    shared = open_page(monkeypatch, crowded_home, ROUTE["articles"], {name: param(app, name) for name in app.query_params})
    assert frame(shared)["article_id"].tolist() == second["article_id"].tolist()
    assert shared.selectbox[0].value == "c1" and shared.text[0].value == "Military pact"
    shared.button(key="articles.newer").click().run()
    assert frame(shared)["article_id"].tolist() == first["article_id"].tolist() and "list_from" not in shared.query_params


def test_the_article_list_starts_at_its_newest_again_when_the_search_changes(monkeypatch, crowded_home):
    app = open_page(monkeypatch, crowded_home, ROUTE["articles"], CURRENT_PARAMS)
    app.button(key="articles.oldest").click().run()
    assert "list_from" in app.query_params
    app.text_input[0].input("briefing").run()
    assert "list_from" not in app.query_params and len(frame(app)) == 500
    assert any(c.value.startswith("Articles 1–500 of 600 matching") for c in app.caption)
    app.text_input[0].input("pact").run()  # one page: the count is the list's length
    assert [c.value for c in app.caption if "newest first" in c.value] == ["1 article(s), newest first"]
    assert not app.button
    past_the_end = open_page(monkeypatch, crowded_home, ROUTE["articles"], {**CURRENT_PARAMS, "list_from": "2025-03-01~a"})
    assert len(frame(past_the_end)) == 500 and "list_from" not in past_the_end.query_params


def why(app) -> dict[str, pd.DataFrame]:
    """The tables under "Why is an article tagged as it is?", by the name of their downloads."""
    names = [button.proto.id.rpartition("csv.")[2] for button in app.get("download_button")
             if "csv." in button.proto.id]
    return {name: table.value for name, table in zip(names, app.dataframe) if name.startswith("article_")}


def test_an_article_of_the_list_opens_with_the_evidence_behind_each_tag(monkeypatch, factory_home):
    """An analyst asked why an article is tagged as it is: the Articles page was a list, with no way to see its
    countries' words, its pair sentences or its topics' words."""
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "c2"})
    title, facts = (text.value for text in app.text)
    assert title == "Sanctions" and facts.startswith(
        "Wire · 2025-03-09 (“2025-03-09T08:00:00+00:00” taken as 2025-03-09 08:00 UTC) · in en (declared) · tagged by 1.")
    assert facts.endswith(" · id c2")  # the list shows its focus where the id stood
    assert app.get("link_button")[0].proto.url == "https://news.example/c2"
    listed = app.dataframe[0].value.set_index("article_id")
    assert listed.loc["c2", "focus"] == "PRK, RUS", "the countries it is about, in the list opened from a chart"
    tables = why(app)
    countries = tables["article_countries"].set_index("iso3")
    assert countries["focus"].to_dict() == {"PRK": True, "RUS": True}
    assert countries["words"].to_dict() == {"PRK": "North Korea (name, text)", "RUS": "Russia (name, text)"}
    [sentence] = tables["article_pair_sentences"].to_dict("records")
    assert sentence == {"pair": "PRK–RUS", "field": "text", "cue": "cooperation", "cue_words": "evade sanctions",
                        "topics": "military, sanctions", "listed": "",
                        "sentence": "⟦North Korea⟧ and ⟦Russia⟧ evade sanctions together."}
    # military has no word of its own in the text: a topic without stored words shows an empty cell, not another's
    assert tables["article_topics"].set_index("topic")["words"].to_dict() == {"military": "", "sanctions": "sanctions"}
    assert tables["article_topic_words"].to_dict("records") == [
        {"topic": "sanctions", "word": "sanctions", "field": "text",
         "sentence": "North Korea and Russia evade ⟦sanctions⟧ together."}]
    assert any("the article's topics need the topic's threshold" in c.value and "are not stored" in c.value
               for c in app.caption)
    # a screen reader's list of the page's buttons read "CSV, Parquet" five times over
    labels = [button.label for button in app.get("download_button")]
    assert "CSV · article pair sentences" in labels and "Parquet · article topics" in labels
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize("gap_days, expected_end", [(200, CURRENT[1]), (30, CURRENT[1] + timedelta(days=30))])
def test_the_default_dates_end_at_the_last_dated_article_when_only_undated_ones_follow_far_after(
        monkeypatch, tmp_path, gap_days, expected_end):
    """A replay of old captures files its undated items under the replay day: the default 90 days ended there and
    every chart opened empty. When the default range would hold no dated article, it ends at the last one."""
    home = build_home(tmp_path / "home")
    undated = Story("u1", CURRENT[1] + timedelta(days=gap_days), ("wire",), "Undated brief", "Russia and China.",
                    undated=True)
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [undated], undated.day)
    app = open_page(monkeypatch, home, ROUTE["overview"])
    [dates] = [widget for widget in app.sidebar.date_input if widget.label == "Dates"]
    first_day = min(story.day for story in STORIES)
    assert dates.value == (max(first_day, expected_end - timedelta(days=89)), expected_end)
    moved = [c.value for c in app.sidebar.caption if "the last day of an article with a usable date" in c.value]
    assert bool(moved) == (expected_end != undated.day)


# heise declares no language: the tagger reads its German from the words
READ_GERMAN = Story("g1", CURRENT[1], ("wire",), "Was war. Was wird.", "Russia und China: die Woche im Rückblick.",
                    read_language="de")


@pytest.fixture()
def read_german_home(tmp_path):
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [READ_GERMAN], CURRENT[1])
    return home


def test_an_article_read_in_an_undeclared_language_says_so(monkeypatch, read_german_home):
    """heise declares no language: its German articles carry no topics, and the page must say why, and the Topics
    page count them among the articles in another language."""
    home = read_german_home
    app = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "g1"})
    facts = app.text[1].value
    assert facts.startswith("Wire · 2025-03-14 (“") and " UTC) · read as de (none declared) · tagged by 1." in facts
    assert any("the tagger read it as `de` from its words" in element.value for element in app.info)
    topics = open_page(monkeypatch, home, ROUTE["topics"], CURRENT_PARAMS)
    declared_german = sum(s.feeds[0] == "flaky" and CURRENT[0] <= s.day <= CURRENT[1] for s in STORIES)
    assert any(c.value.startswith(f"Topics are tagged in English articles only: {declared_german + 1} of the")
               for c in topics.caption)


@pytest.mark.parametrize("route, params, kept", [
    ("trends", {"kind": "topics"}, "in scope"),
    ("topics", {"topics": "military"}, "in scope before the Topics filter"),
    *((page, {"topics": "military"}, "in scope before the Topics filter")
      for page in ("overview", "cooccurrence", "articles", "pair")),
])
def test_topic_counts_say_how_many_articles_in_scope_no_topic_is_read_in(monkeypatch, factory_home, route, params,
                                                                        kept):
    """Only the Topics page said that topics are read in English articles only: Trends' topic lines and a page
    filtered by topic (which keeps no article in another language) read as the whole coverage's. The Topics page
    filtered by topic said nothing, having counted the articles in other languages among those of the topic."""
    german = sum(s.feeds[0] == "flaky" and CURRENT[0] <= s.day <= CURRENT[1] for s in STORIES)
    app = open_page(monkeypatch, factory_home, ROUTE[route], {**CURRENT_PARAMS, **params})
    assert (f"Topics are tagged in English articles only: {german} of the {EXPECTED['current']['articles']} articles "
            f"{kept} are in another language, declared or read from their words (they carry countries, not topics), "
            "and are not counted here." in [c.value for c in app.caption])
    topics = next(widget for widget in app.sidebar.multiselect if widget.label == "Topics")
    assert "Topics are tagged in English articles only" in topics.help
    unfiltered = open_page(monkeypatch, factory_home, ROUTE[route], {**CURRENT_PARAMS, "kind": "countries"})
    assert route == "topics" or not [c.value for c in unfiltered.caption if "English articles only" in c.value]


@pytest.mark.parametrize("link", ["de", "de-AT"])
def test_the_articles_list_filters_and_shows_the_language_an_article_was_read_in(monkeypatch, read_german_home, link):
    """heise's German articles (no language declared) could not be picked with the Languages filter, and the list
    showed them with no language while their own view said "read as de". A link may name a region: its language."""
    app = open_page(monkeypatch, read_german_home, ROUTE["articles"], {**CURRENT_PARAMS, "languages": link})
    listed = frame(app).set_index("title")
    assert listed["language"].to_dict() == {READ_GERMAN.title: "de", "Energie": "de"}
    assert listed["language_read"].to_dict() == {READ_GERMAN.title: True, "Energie": False}
    languages = next(widget for widget in app.sidebar.multiselect if widget.label == "Languages")
    assert languages.value == ["de"] and "read from its words" in languages.help


def test_the_articles_list_heads_the_outlets_country_as_where_the_article_is_from(monkeypatch, factory_home):
    """Headed "country", the outlet's country read as the article's: "Indian exports to Russia hit record high", CHL."""
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], CURRENT_PARAMS)
    column = json.loads(app.dataframe[0].proto.columns)["outlet_country"]
    assert column["label"] == "from" and column["help"].startswith("The outlet's country")


def test_english_articles_declaring_no_language_are_listed_under_en(monkeypatch, tmp_path):
    """The tagger reads an article declaring no language as English when it finds no other, and stores no language
    for it: the Languages filter's `en` left those out, though every page tagged them in English."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        warehouse.con.execute("UPDATE articles SET language = NULL WHERE outlet = 'Daily'")
        publish(warehouse.con, home)
    everything = frame(open_page(monkeypatch, home, ROUTE["articles"], CURRENT_PARAMS))
    english = frame(open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "languages": "en"}))
    daily = everything[everything["outlet"] == "Daily"]
    assert len(daily) and set(daily["title"]) <= set(english["title"])
    assert set(english["language"]) == {"en"} and english.set_index("title")["language_read"][daily["title"]].all()


def test_the_pair_explorer_hides_sentences_that_only_list_the_pair(monkeypatch, tmp_path):
    """"Trump's Military Parade Set Beside Those of France, Russia and North Korea" was PRK-RUS evidence: sentences
    listing the two among other countries are hidden by default, said so, and shown on request."""
    home = build_home(tmp_path / "home")
    parade = Story("l1", CURRENT[1], ("daily",), "Parades", "Parades in North Korea, Russia and Mali.", listed=True)
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [parade], CURRENT[1])
    app = open_page(monkeypatch, home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    evidence = next(table.value for table in app.dataframe if "sentence" in table.value.columns)
    assert len(evidence) == 4 and "listed" not in evidence.columns
    assert evidence.set_index("sentence")["cue_words"].to_dict()[
        "⟦North Korea⟧ and ⟦Russia⟧ evade sanctions together."] == "evade sanctions"
    assert not any("Mali" in sentence for sentence in evidence["sentence"])
    assert any(c.value.startswith("4 sentences, newest first, 1 listing the two among other countries hidden")
               for c in app.caption)
    app.toggle[0].set_value(False).run()
    evidence = next(table.value for table in app.dataframe if "sentence" in table.value.columns)
    listed = {sentence: flag for sentence, flag in zip(evidence["sentence"], evidence["listed"])}
    assert listed["Parades in ⟦North Korea⟧, ⟦Russia⟧ and Mali."] is True and sum(listed.values()) == 1
    assert len(evidence) == 5
    assert app.query_params.get("lists") in ("0", ["0"])
    article = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "l1"})
    assert why(article)["article_pair_sentences"]["listed"].tolist() == ["yes"]


# Pair sentences in languages whose topics and cues are not read, tagged as the tagger tags them: no topic, no cue
NOT_READ = [Story("ru1", CURRENT[0], ("wire",), "Dogovor", "North Korea i Russia podpisali dogovor.", declared="ru"),
            Story("ru2", CURRENT[1], ("wire",), "Vojska", "Russia i North Korea: vojska.", declared="ru-RU"),
            Story("de1", CURRENT[1], ("wire",), "Gespräche", "Russia und North Korea führen Gespräche.",
                  read_language="de"),
            Story("de2", CURRENT[0], ("wire",), "Handel", "China und Japan reden über Handel.", declared="de"),
            Story("de3", CURRENT[1], ("wire",), "Treffen", "Japan und China: ein Treffen.", declared="de")]


@pytest.fixture()
def not_read_home(tmp_path):
    """The factory's articles and NOT_READ: PRK-RUS has 4 English sentences in the current period, 2 Russian and 1
    German; CHN-JPN has only its 2 German ones."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, NOT_READ, CURRENT[1])
    return home


def test_the_pair_explorer_says_which_sentences_no_topic_or_cue_could_be_read_in(monkeypatch, not_read_home):
    """A reader of non-English news found "No cooperation or confrontation cue words in these sentences." under five
    German sentences about talks: "none" where the product had not read them. The charts say how many it did not
    read, in which languages, and the evidence names each sentence's language."""
    app = open_page(monkeypatch, not_read_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    note = ("3 of these 7 sentences are in languages whose topics and cues are not read (`ru` 2, `de` 1): they count "
            "here with no topic and no cue.")
    assert [c.value for c in app.caption].count(note) == 1, "once, under both charts"
    evidence = next(table.value for table in app.dataframe if "sentence" in table.value.columns)
    languages = evidence.set_index("sentence")["language"].to_dict()
    assert languages["⟦Russia⟧ und ⟦North Korea⟧ führen Gespräche."] == "de"
    assert languages["⟦North Korea⟧ i ⟦Russia⟧ podpisali dogovor."] == "ru"
    assert languages["⟦Russia⟧ warns ⟦North Korea⟧ over sanctions."] == "en"

    military = open_page(monkeypatch, not_read_home, ROUTE["pair"],
                         {**CURRENT_PARAMS, "pair": "PRK-RUS", "topic": "military"})
    assert [c.value for c in military.caption if "not read" in c.value] == [
        "3 of the pair's 7 sentences with these filters are in languages whose topics and cues are not read "
        "(`ru` 2, `de` 1): they carry no topic and no cue, so none counts under `military` here."]

    german = open_page(monkeypatch, not_read_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "CHN-JPN"})
    assert [i.value for i in german.info if "cue" in i.value] == [
        "No cue could be read: all 2 of these sentences are in languages whose topics and cues are not read (`de` 2)."]
    assert [c.value for c in german.caption if "not read" in c.value] == [
        "All 2 sentences are in languages whose topics and cues are not read (`de` 2): they count here with no topic "
        "and no cue."], "under the topic chart; the cue chart's message says it"
    german_trade = open_page(monkeypatch, not_read_home, ROUTE["pair"],
                             {**CURRENT_PARAMS, "pair": "CHN-JPN", "topic": "trade"})
    assert [i.value for i in german_trade.info if "not read" in i.value] == [
        "No article pairs these two countries with these filters in a sentence of the topic `trade`. All 2 of the pair's "
        "sentences with these filters are in languages whose topics and cues are not read (`de` 2): they carry no "
        "topic and no cue, so none counts under `trade` here."]
    english = open_page(monkeypatch, not_read_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "CHN-RUS"})
    assert not [c.value for c in english.caption if "not read" in c.value]


def test_the_opened_article_is_kept_in_the_url(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], CURRENT_PARAMS)
    assert app.selectbox[0].value is None and not app.text and "article" not in app.query_params
    app.selectbox[0].select("c4").run()
    assert app.query_params.get("article") in ("c4", ["c4"]) and app.text[0].value == "Trade"
    shared = open_page(monkeypatch, factory_home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "c4"})
    assert shared.selectbox[0].value == "c4" and shared.text[0].value == "Trade"


def test_an_opened_articles_hostile_text_is_shown_as_text(monkeypatch, factory_home):
    """Titles and sentences carry HTML, script and Markdown links: they reach the page as plain text only."""
    title, sentence = next(s for s in STORIES if s.key == "c6"), next(s for s in STORIES if s.key == "c7")
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "c6"})
    assert app.text[0].value == title.title
    assert not app.get("link_button")  # its javascript: URL is no link
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "c7"})
    assert why(app)["article_pair_sentences"]["sentence"].tolist() == [
        sentence.text.replace("North Korea", "⟦North Korea⟧").replace("Russia", "⟦Russia⟧")]
    rendered = [element.value for element in (*app.markdown, *app.caption, *app.header, *app.subheader, *app.info)]
    assert not [value for value in rendered if any(marker in value for marker in ("<script", "<img", "javascript:"))]
    assert [code.value for code in app.code] == [sentence.text]  # its text, in a code block: never HTML or Markdown


def test_an_opened_article_shows_the_text_its_tags_were_read_in_with_its_paragraphs(monkeypatch, tmp_path):
    """The why panel quoted a tag's sentence, never the text around it: to see what a sentence followed, an analyst
    had to open the link (if it still worked, and the outlet had not changed the article)."""
    briefing = Story("p1", CURRENT[1], ("wire",), "Briefing", "Russia moves troops to the border\n\nChina warns Taiwan",
                     countries=("RUS", "CHN", "TWN"), one_sentence=False)
    untitled = Story("p2", CURRENT[1], ("wire",), "Headline alone", "", countries=("FRA",))
    home = build_home(tmp_path / "home", stories=[*STORIES, briefing, untitled])
    app = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "p1"})
    assert [(expander.label, [code.value for code in expander.code]) for expander in app.expander] == [
        ("Its text, as first captured and tagged", [briefing.text])]
    app = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "p2"})
    assert app.text[0].value == "Headline alone" and not app.expander  # no text: no box to open


def test_an_article_its_feed_later_changed_says_so_with_each_version(monkeypatch, tmp_path):
    """A feed corrected an entry under its GUID: the why panel showed the first capture's title and tags with nothing
    saying that the feed later served another version, and an analyst cited it uncorrected."""
    home = build_home(tmp_path / "home")
    sanctions = next(s for s in STORIES if s.key == "c2")
    corrected = f"CORRECTED: Iran and Russia evade sanctions together, a partner misnamed {PAYLOADS[0]} " + "x" * 100
    revisions = [{"article_id": "c2", "day": sanctions.day, "feed_id": "wire", "title": title, "text": text,
                  "url": f"https://news.example/c2?v={n}", "content_hash": f"h{n}"}
                 for n, (title, text) in enumerate([("Sanctions (updated)", "More."), (corrected, "Iran, not North Korea.")])]
    with Warehouse(home.writer_db) as warehouse:
        write_revisions(warehouse, home, revisions[:1], CURRENT[1] - timedelta(days=2))
        write_revisions(warehouse, home, revisions[1:], CURRENT[1])
    app = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "c2"})
    assert app.text[0].value == "Sanctions"  # the first capture, which is what is tagged
    [said] = [text.value for text in app.text if text.value.startswith("Its feed later changed it")]
    assert said == ("Its feed later changed it 2 time(s): latest seen 2025-03-14 09:00 UTC, titled "
                    f"“{corrected[:TITLE_SHOWN - 1]}…”. The title, text and tags shown here are its first capture's.")
    assert "\n" not in said
    shown = why(app)["article_revisions"]
    assert shown["title"].tolist() == ["Sanctions (updated)", corrected]
    assert shown["url"].tolist() == ["https://news.example/c2?v=0", "https://news.example/c2?v=1"]
    unchanged = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "c4"})
    assert not [text.value for text in unchanged.text if text.value.startswith("Its feed later")]
    assert "article_revisions" not in why(unchanged)


def test_an_article_opens_from_a_snapshot_published_before_versions_were_kept(monkeypatch, tmp_path):
    home = published_without(tmp_path, "article_revisions")  # migration 0057
    app = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "c2"})
    assert app.text[0].value == "Sanctions" and "article_countries" in why(app)
    assert not [text.value for text in app.text if text.value.startswith("Its feed later")]


def test_feeds_health(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["feeds"])
    assert {m.label: int(m.value) for m in app.metric} == {"Healthy": 2, "Degraded": 0, "Failing": 1, "Empty": 0,
                                                          "Stale": 0, "Gone": 1}
    assert frame(app)["health"].tolist()[:2] == ["failing", "gone"]  # the ones needing attention come first


def test_feeds_cards_count_every_feed_listed_disabled_ones_too(monkeypatch, tmp_path):
    """The demo's 20 feeds are registered disabled: the cards read six zeros over a list of 20 feeds, where the
    Overview counted 20 active feeds."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        warehouse.set_feed_enabled("wire", False)
        publish(warehouse.con, home)
    app = open_page(monkeypatch, home, ROUTE["feeds"])
    cards = {m.label: int(m.value) for m in app.metric}
    assert cards["Disabled"] == 1 and "Never polled" not in cards  # a card for a state only when a feed is in it
    assert sum(cards.values()) == len(frame(app))
    with Warehouse(home.writer_db) as warehouse:  # the demo's and an import's homes: no feed polled
        for feed_id in frame(app)["feed_id"]:
            warehouse.set_feed_enabled(feed_id, False)
        publish(warehouse.con, home)
    app = open_page(monkeypatch, home, ROUTE["feeds"])
    states = frame(app)["health"].value_counts()  # disabled ones, and a gone one (gone first, disabled or not)
    assert {m.label: int(m.value) for m in app.metric} == {state.capitalize(): n for state, n in states.items()}


def test_feeds_show_a_feed_that_answers_without_entries_as_empty_after_the_failing_ones(monkeypatch, tmp_path):
    """A feed that answered every poll with an empty channel read "healthy", among the working feeds."""
    home = build_home(tmp_path / "home")
    hollow = {**feed_specs()[0], "feed_id": "hollow", "url": "https://feeds.example/hollow.xml", "name": "hollow feed"}
    with Warehouse(home.writer_db) as warehouse:
        warehouse.register_feeds([hollow], datetime(2025, 3, 1, tzinfo=timezone.utc))
        write_empty_fetches(warehouse, hollow, 3, CURRENT[1] + timedelta(days=1))
        publish(warehouse.con, home)
    app = open_page(monkeypatch, home, ROUTE["feeds"])
    assert not app.exception
    assert {m.label: int(m.value) for m in app.metric}["Empty"] == 1
    feeds = frame(app)
    assert feeds["health"].tolist() == ["failing", "gone", "empty", "healthy", "healthy"]
    assert feeds.set_index("feed_id").loc["hollow", "health_reason"] == "no entries in the last 3 successful fetches"
    assert any("Empty: its last successful fetches" in caption.value for caption in app.caption)


def test_feeds_show_the_worst_feeds_fetch_history_newest_first(monkeypatch, factory_home):
    """Only a feed's last error was shown: when it began failing, and how, was in `fetches`, out of sight."""
    app = open_page(monkeypatch, factory_home, ROUTE["feeds"])
    assert app.selectbox[0].value == "flaky"  # the worst feed, first in the health table
    history = frame(app, 1)
    assert len(history) == 2 and history["fetched_at"].is_monotonic_decreasing  # one fetch in each of the two runs
    assert list(history.columns)[:4] == ["fetched_at", "outcome", "status_code", "error"]
    app.selectbox[0].set_value("wire").run()
    assert app.query_params["feed"] == "wire" and len(frame(app, 1)) == 2


def test_feeds_show_every_feed_url_and_what_went_wrong_up_front(monkeypatch, tmp_path):
    """The link filter of `url` columns blanked every file:// feed (all 20 of the demo's) on the Feeds page, whose
    url column is text: an operator could not tell which saved feed was missing."""
    home = build_home(tmp_path / "home")
    saved = {**feed_specs()[0], "feed_id": "saved", "url": "file:///srv/feeds/saved.xml", "name": "saved feed",
             "outlet_country": None}
    with Warehouse(home.writer_db) as warehouse:
        warehouse.register_feeds([saved], datetime(2025, 3, 1, tzinfo=timezone.utc))
        publish(warehouse.con, home)
    feeds = frame(open_page(monkeypatch, home, ROUTE["feeds"])).set_index("feed_id")
    assert feeds.loc["saved", "url"] == "file:///srv/feeds/saved.xml" and feeds["url"].notna().all()
    assert feeds.loc["saved", "outlet_country"] == "(unknown)"  # it read "None"
    assert list(feeds.columns)[:6] == ["health", "name", "health_reason", "last_status", "consecutive_failures",
                                       "last_error"]


def test_feeds_show_a_feed_url_without_its_credentials(monkeypatch, tmp_path):
    """The page reads the snapshot, which masks a feed URL's password and secret parameters; the poller's stay in
    the writer file."""
    home = build_home(tmp_path / "home")
    keyed = {**feed_specs()[0], "feed_id": "keyed", "url": "https://reader:pw-s3cret@feeds.example/rss?apikey=k-s3cret"}
    with Warehouse(home.writer_db) as warehouse:
        warehouse.register_feeds([keyed], datetime(2025, 3, 1, tzinfo=timezone.utc))
        publish(warehouse.con, home)
    app = open_page(monkeypatch, home, ROUTE["feeds"])
    assert frame(app).set_index("feed_id").loc["keyed", "url"] == "https://reader:***@feeds.example/rss?apikey=***"
    assert "s3cret" not in frame(app).to_csv()


def test_sql_runs_in_the_sandbox(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["sql"])
    assert "comment" in frame(app).columns  # the data dictionary, opened on the articles table
    assert app.selectbox[0].value == "articles" and "article_id" in frame(app)["column"].tolist()
    app.button[0].click().run()
    assert not app.exception
    assert frame(app, 0)["pair"].iloc[0] == "PRK-RUS"
    app.text_area[0].set_value("SELECT count(*) AS n FROM articles")
    app.button[0].click().run()  # a second query in the same process, where the page's cached reader stays open
    assert not app.exception and not app.error
    assert frame(app, 0)["n"].iloc[0] == len(STORIES)
    app.text_area[0].set_value("SELECT [1, 2] AS offsets, ['a', NULL] AS words")  # lists of numbers, a NULL item
    app.button[0].click().run()  # the table shows a list as 'a, b': joining raised on anything but text
    assert not app.exception and frame(app, 0).iloc[0].tolist() == ["1, 2", "a, "]


def test_the_sql_page_names_a_pair_key_written_in_reverse_order(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["sql"])
    app.text_area[0].set_value("SELECT count(*) AS n FROM v_pair_daily WHERE pair = 'RUS-PRK'")
    app.button[0].click().run()
    assert frame(app, 0)["n"].iloc[0] == 0
    assert [i.value for i in app.info] == [
        "Pair keys are stored in alphabetical order: RUS-PRK matches nothing, PRK-RUS does."]
    app.text_area[0].set_value("SELECT count(*) AS n FROM v_pair_daily WHERE pair = 'PRK-RUS'")
    app.button[0].click().run()
    assert frame(app, 0)["n"].iloc[0] > 0 and not app.info


def test_a_cut_query_result_says_its_downloads_are_cut_too_and_how_to_get_all_of_it(monkeypatch, factory_home):
    """The page said "Showing the first 5,000 rows." and its CSV held those alone, where every other page's downloads
    hold all the rows. It says so, and gives the command for the whole result, the query quoted for the shell and
    shown as code, never as Markdown; that command, run, writes every row."""
    from click.testing import CliRunner

    from pipeline.cli import cli

    sql = "SELECT n, 'it''s *not* [bold](javascript:x) $(rm -rf ~)' AS t\nFROM range(5001) r(n) ORDER BY n"
    app = open_page(monkeypatch, factory_home, ROUTE["sql"])
    app.text_area[0].set_value(sql)
    app.button[0].click().run()
    assert len(frame(app, 0)) == 5_000
    assert any(w.value.startswith("Showing the first 5,000 rows, and the CSV and Parquet downloads below hold these "
                                  "5,000 too, not the whole result.") for w in app.warning), app.warning
    [command] = [code.value for code in app.code if code.value.startswith("pactwatch ")]
    words = shlex.split(command)
    assert words[:4] == ["pactwatch", "sql", "--csv", "--max-rows"] and words[5:] == [sql, ">", "query_result.csv"]
    assert not [element for element in (*app.markdown, *app.caption, *app.warning) if "bold" in element.value]
    written = CliRunner().invoke(cli, ["--home", str(factory_home.root), *words[1:5], words[5]])
    assert written.exit_code == 0, written.output
    assert len(written.stdout.splitlines()) == 1 + 5_001  # the header and every row



def test_the_command_for_a_whole_result_carries_the_querys_values(monkeypatch, factory_home):
    from click.testing import CliRunner

    from pipeline.cli import cli

    app = open_page(monkeypatch, factory_home, ROUTE["sql"])
    app.text_area[0].set_value("SELECT n FROM range(CAST($rows AS INTEGER)) r(n)")
    app.button[0].click().run()
    app.text_input[0].set_value("5001")
    app.button[0].click().run()
    [command] = [code.value for code in app.code if code.value.startswith("pactwatch ")]
    words = shlex.split(command)
    assert words[6:] == ["-p", "rows", "5001", ">", "query_result.csv"], words
    written = CliRunner().invoke(cli, ["--home", str(factory_home.root), *words[1:-2]])
    assert written.exit_code == 0 and len(written.stdout.splitlines()) == 1 + 5_001, written.output

def test_a_query_cannot_make_a_script_link(monkeypatch, factory_home):
    """Only the pages' own `why` and `url` columns are links: those of a (shared) SQL query are text, as written (a
    `url` column had its file:// feed urls blanked to "None" and was retitled "link")."""
    app = open_page(monkeypatch, factory_home, ROUTE["sql"])
    app.text_area[0].set_value("SELECT 'javascript:alert(1)' AS why, 'javascript:alert(2)' AS url, "
                               "'file:///feeds/a.xml' AS feed_url")
    app.button[0].click().run()
    config = json.loads(app.dataframe[0].proto.columns)
    assert "why" not in config and config["url"]["type_config"]["type"] == "text"
    assert frame(app, 0).iloc[0].tolist() == ["javascript:alert(1)", "javascript:alert(2)", "file:///feeds/a.xml"]


def test_a_query_with_two_columns_of_one_name_is_shown(monkeypatch, factory_home):
    """`SELECT *` over a join has them: the page crashed ("Duplicate column names found")."""
    app = open_page(monkeypatch, factory_home, ROUTE["sql"])
    app.text_area[0].set_value("SELECT * FROM (SELECT 1 AS x, 2 AS y) a JOIN (SELECT 1 AS x, 3 AS y, 4 AS x_2) b "
                               "ON a.x = b.x")
    app.button[0].click().run()
    assert not app.exception
    shown = frame(app, 0)
    assert list(shown.columns) == ["x", "y", "x_2", "y_2", "x_2_2"] and shown.iloc[0].tolist() == [1, 2, 1, 3, 4]


def test_a_link_carries_the_query_which_runs_only_on_run(monkeypatch, factory_home):
    """The SQL box was not in the URL: an analyst could not send a colleague a query."""
    app = open_page(monkeypatch, factory_home, ROUTE["sql"])
    app.text_area[0].set_value("SELECT count(*) AS n FROM articles")
    app.button[0].click().run()
    link = app.query_params["query"]
    assert link == "SELECT count(*) AS n FROM articles"
    shared = open_page(monkeypatch, factory_home, ROUTE["sql"], {"query": link})
    assert shared.text_area[0].value == link and len(shared.dataframe) == 1  # the dictionary only: not run yet
    shared.button[0].click().run()
    assert frame(shared, 0)["n"].iloc[0] == len(STORIES)
    assert open_page(monkeypatch, factory_home, ROUTE["sql"]).query_params.get("query") is None  # the example


@pytest.mark.parametrize(("name", "param", "limit", "box"), [("articles", "q", 200, "text_input"),
                                                              ("sql", "query", 4_000, "text_area")])
def test_a_links_text_past_its_box_says_it_was_cut(monkeypatch, factory_home, name, param, limit, box):
    """A link's search past 200 characters, or query past 4,000, was cut to them without a word: a search ran on words
    the reader never saw go, a query stopped mid-clause. A warning under the box names the limit while its text is the
    cut one."""
    long = ("sanctions " * limit)[:limit + 50]

    def cut_notes(app) -> list[str]:
        return [warning.value for warning in app.warning if "cut" in warning.value]

    app = open_page(monkeypatch, factory_home, ROUTE[name], {**CURRENT_PARAMS, param: long})
    assert getattr(app, box)[0].value == long[:limit]
    [note] = cut_notes(app)
    assert f"{limit + 50:,} characters" in note and f"first {limit:,}" in note, note
    getattr(app, box)[0].set_value("sanctions")
    if name == "sql":  # a form's box takes its text on Run
        app.button[0].click()
    assert cut_notes(app.run()) == []
    assert cut_notes(open_page(monkeypatch, factory_home, ROUTE[name], {**CURRENT_PARAMS, param: long[:limit]})) == []


def test_a_querys_named_parameters_get_a_box_each_kept_in_the_link(monkeypatch, factory_home):
    """A query with $first failed on the page with "no value for $first (pactwatch sql takes each value as -p NAME
    VALUE)": advice for the CLI, and no way to give one here. Each parameter gets a box on the query's first Run;
    the values given are bound (as the CLI binds them), kept in the link, and a shared link fills the boxes."""
    query = "SELECT count(*) AS n FROM articles WHERE day BETWEEN CAST($first AS DATE) AND CAST($last AS DATE)"
    first, last = (day.isoformat() for day in CURRENT)
    app = open_page(monkeypatch, factory_home, ROUTE["sql"])
    app.text_area[0].set_value(query.replace("$first", f"'{first}'").replace("$last", f"'{last}'"))
    app.button[0].click().run()
    written_in = frame(app, 0)["n"].iloc[0]
    app.text_area[0].set_value(query)
    app.button[0].click().run()
    [error] = [e.value for e in app.error]
    assert "no value for $first, $last (give each a value in its box under the query)" in error, error
    assert [box.label for box in app.text_input] == ["`$first`", "`$last`"]  # inline code: a name is the query's
    app.text_input[0].set_value(first)
    app.text_input[1].set_value(last)
    app.button[0].click().run()
    assert not app.error and frame(app, 0)["n"].iloc[0] == written_in
    assert 0 < written_in < len(STORIES)
    shared = open_page(monkeypatch, factory_home, ROUTE["sql"], dict(app.query_params))
    assert [box.value for box in shared.text_input] == [first, last]
    shared.button[0].click().run()
    assert frame(shared, 0)["n"].iloc[0] == written_in
    app.text_area[0].set_value("SELECT $1 AS n")
    app.button[0].click().run()
    [error] = [e.value for e in app.error]
    assert "not their positions" in error and "in its box" not in error and not app.text_input, error


def test_a_shared_querys_parameter_names_cannot_put_markdown_on_the_page(monkeypatch, factory_home):
    """A parameter's name is the link's query's, and DuckDB takes any quoted one ($"..."): a crafted link labelled
    its box with a remote image (labels render images as icons) and put a link into the warning that a value was
    cut. Both name it as inline code."""
    name = "![x](https://evil.example/p.png) [a](https://evil.example)"
    app = open_page(monkeypatch, factory_home, ROUTE["sql"],
                    {**CURRENT_PARAMS, "query": f'SELECT $"{name}" AS v', f"param_{name}": "x" * 250})
    assert [box.label for box in app.text_input] == [f"`${name}`"]
    [cut] = [warning.value for warning in app.warning if "cut" in warning.value]
    assert cut.startswith(f"The link's `${name}` ran to 250 characters"), cut


def test_sql_refusal_is_shown_as_plain_text(monkeypatch, factory_home):
    app = open_page(monkeypatch, factory_home, ROUTE["sql"])
    app.text_area[0].set_value("COPY articles TO '/tmp/x.csv'")
    app.button[0].click().run()
    # the reason inside the alert a screen reader announces: in a block beside it, it was never read out
    [error] = [e.value for e in app.error]
    assert error.startswith("The query was refused or failed: `") and "SELECT" in error
    app.text_area[0].set_value("SELECT no_such_column FROM articles")
    app.button[0].click().run()
    [error] = [e.value for e in app.error]
    assert "no_such_column" in error


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("which", ["bare_home", "empty_home"])
def test_every_page_survives_a_home_without_data(monkeypatch, request, route, which):
    home = request.getfixturevalue(which)
    app = open_page(monkeypatch, home, route)
    assert not app.error
    if not (which == "empty_home" and route.name in {"feeds", "sql"}):
        assert any("pactwatch demo" in i.value for i in app.info), [i.value for i in app.info]
        says = str(home.root) if which == "bare_home" else "the Feeds page shows what each feed returned"
        assert any(says in i.value for i in app.info), [i.value for i in app.info]  # where to look next
    # Alerts said "Widen the dates to look further back" to a home without a single article, and Feeds and SQL that
    # "These filters apply to the other pages" under a sidebar without filters
    assert not any("Widen the dates" in i.value for i in app.info)
    assert not app.sidebar.caption


def test_a_snapshot_locked_by_another_process_is_explained(monkeypatch, tmp_path, read_write_holder):
    from pipeline.store.reader import current_version

    home = build_home(tmp_path / "home")
    read_write_holder(current_version(home)[1])
    app = open_page(monkeypatch, home, ROUTE["overview"], CURRENT_PARAMS)
    assert [e.value[:43] for e in app.error] == ["The published warehouse cannot be opened: `"]
    assert "Conflicting lock" in app.code[0].value


def test_a_published_link_whose_file_is_gone_is_explained_not_shown_as_an_empty_home(monkeypatch, tmp_path):
    """The page said "run pactwatch demo" to a home whose writer held every article."""
    home = build_home(tmp_path / "home")
    home.published_db.resolve().unlink()
    app = open_page(monkeypatch, home, ROUTE["overview"], CURRENT_PARAMS)
    assert [e.value[:43] for e in app.error] == ["The published warehouse cannot be opened: `"]
    assert "which is gone; `pactwatch ingest` (or `retag`) publishes" in app.code[0].value
    assert not any("pactwatch demo" in i.value for i in app.info)


def test_trends_of_topics_for_a_pair_say_they_count_article_topics_not_the_pairs_sentences(monkeypatch, factory_home):
    """On the captured real feeds, Trends (topics, pair CHN–USA) showed 14 trade articles for May 2025 and the Pair
    explorer and v_pair_topic_daily 22: article topics against the pair's sentence topics, and neither page said so."""
    params = {**CURRENT_PARAMS, "kind": "topics", "series_topics": "military"}
    note = "the Pair explorer and `v_pair_topic_daily` count the topics of the pair's own sentences"
    for picked, shown in (({"pairs": "PRK-RUS"}, True), ({}, False)):
        app = open_page(monkeypatch, factory_home, ROUTE["trends"], {**params, **picked})
        assert any(note in caption.value for caption in app.caption) is shown, picked
        # the Topics page counts the same way (on the demo, PRK–RUS technology 35 there, no such sentence)
        app = open_page(monkeypatch, factory_home, ROUTE["topics"], {**CURRENT_PARAMS, **picked})
        assert any(note in caption.value for caption in app.caption) is shown, picked


@pytest.mark.parametrize("name", ["feeds", "sql"])
def test_pages_that_read_no_filter_say_so_under_them(monkeypatch, factory_home, name):
    """The Feeds and SQL pages showed the sidebar's filters as if they narrowed what they list."""
    note = "These filters apply to the other pages, not to this one."
    assert note in [c.value for c in open_page(monkeypatch, factory_home, ROUTE[name], CURRENT_PARAMS).sidebar.caption]
    assert note not in [c.value for c in open_page(monkeypatch, factory_home, ROUTE["overview"], CURRENT_PARAMS).sidebar.caption]


def test_a_search_past_ten_words_says_the_rest_do_not_count(monkeypatch, factory_home):
    words = " ".join(f"word{n}" for n in range(12))
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], {**CURRENT_PARAMS, "q": words})
    assert "Only the first 10 different words of the search count." in [c.value for c in app.caption]
    app = open_page(monkeypatch, factory_home, ROUTE["articles"], {**CURRENT_PARAMS, "q": "korea russia"})
    assert not any("different words" in c.value for c in app.caption)


def test_every_table_marks_the_rows_filed_under_the_day_first_stored(monkeypatch, undated_home):
    """An old story without a date, filed under the day a replay stored it, read as that day's news everywhere but on
    the Overview: "Tokyo stocks likely to rise moderately in 2017" was JPN–USA evidence of 2026-12-01."""
    pair = open_page(monkeypatch, undated_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    topics = open_page(monkeypatch, undated_home, ROUTE["topics"], {**CURRENT_PARAMS, "evidence_topic": "military"})
    articles = open_page(monkeypatch, undated_home, ROUTE["articles"], {**CURRENT_PARAMS, "article": UNDATED.key})
    for table in (frame(pair), frame(pair, 1), frame(topics, 1), frame(articles)):
        assert table.loc[~table["dated"], "day"].tolist() == [pd.Timestamp(UNDATED.day)]
        assert table["dated"].sum() == len(table) - 1
        assert list(table.columns).index("dated") == list(table.columns).index("day") + 1  # read together
    [config] = [json.loads(element.proto.columns)["dated"] for element in pair.dataframe[:1]]
    assert "the day PactWatch first stored it" in config["help"] and config["type_config"]["type"] == "checkbox"
    assert f"{UNDATED.day} (first stored; no date given)" in articles.text[1].value
    dated = open_page(monkeypatch, undated_home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "c7"})
    assert "first stored" not in dated.text[1].value


def test_the_articles_list_and_an_articles_day_say_why_it_is_undated(monkeypatch, tmp_path, downloads):
    """A reviewer rebuilding a timeline saw an unticked `dated` box and the first-stored time, and the panel said
    "(first stored; no usable publication date)": not whether the feed gave no date, an unreadable one or one ahead of
    when stored, whose date (published_at: 2028-01-01) appeared nowhere; nor the date as the feed wrote it, unread or
    read."""
    home = build_home(tmp_path / "home")
    claimed = datetime(2028, 1, 1, 9, tzinfo=timezone.utc)
    unreadable = "**19/06/2024** <b>" + "9" * 300  # feed text: neither Markdown nor HTML, and cut short where shown
    with Warehouse(home.writer_db) as warehouse:
        for article_id, quality, published, written in (
                ("c7", "missing", None, None), ("c6", "unparseable", None, unreadable),
                ("c5", "future", claimed, "2028-01-01T09:00:00Z"),
                ("c4", "ok", datetime(2024, 6, 18, 23, 30, tzinfo=timezone.utc), "Wed, 19 Jun 2024 08:30:00 KST")):
            warehouse.con.execute("UPDATE articles SET date_quality = ?, published_at = ?, published_as_written = ? "
                                  "WHERE article_id = ?", [quality, published, written, article_id])
        publish(warehouse.con, home)
    ahead = "dated 2028-01-01 09:00 UTC, ahead of when stored: “2028-01-01T09:00:00Z”"
    unread = f"date unreadable: “{unreadable[:WRITTEN_SHOWN - 1]}…”"
    app = open_page(monkeypatch, home, ROUTE["articles"], CURRENT_PARAMS)
    listed = frame(app).set_index("article_id")
    assert listed["why_undated"].to_dict() == {"c7": "no date given", "c6": unread, "c5": ahead,
                                                "c4": "", "c3": "", "c2": "", "c1": ""}
    shown = list(app.dataframe[0].proto.column_order)
    assert shown.index("why_undated") == shown.index("day") + 1  # its blank says dated, its words the rest
    assert not {"dated", "claimed", "published_as_written"} & set(shown)
    config = json.loads(app.dataframe[0].proto.columns)["why_undated"]
    assert config["width"] == 120 and "ahead of when it was stored" in config["help"]
    # the downloads hold the words, the claimed date itself and the date as written, whole
    downloaded = downloaded_csv(downloads, "articles").set_index("article_id")
    assert downloaded.at["c5", "why_undated"] == ahead and downloaded.at["c5", "claimed"].startswith("2028-01-01 09:00")
    assert downloaded.loc[["c7", "c6", "c4"], "claimed"].tolist() == ["", "", ""]
    assert downloaded.loc[["c7", "c6", "c4"], "published_as_written"].tolist() == [
        "", unreadable, "Wed, 19 Jun 2024 08:30:00 KST"]
    # a list of dated articles alone spares its width (the page fits 1366 px with no column to spare)
    assert {"dated", "why_undated"} <= set(downloaded.columns)
    dated = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "q": "trade"})
    assert frame(dated)["why_undated"].tolist() == [""] and "why_undated" not in dated.dataframe[0].proto.column_order
    # a dated article's panel says its date as written beside the reading, to check it by
    opened = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "c4"})
    assert (f"{listed.at['c4', 'day']:%Y-%m-%d} (“Wed, 19 Jun 2024 08:30:00 KST” taken as 2024-06-18 23:30 UTC) · "
            in opened.text[1].value), opened.text[1].value
    for article_id, why in (("c7", "no date given"), ("c6", unread), ("c5", ahead)):
        opened = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": article_id})
        day = listed.at[article_id, "day"]
        said = f"{day:%Y-%m-%d} (first stored; {why}) · "
        assert said in opened.text[1].value, opened.text[1].value
        assert [label for label in app.selectbox[0].options if label.startswith(said)], app.selectbox[0].options


def test_every_evidence_table_wraps_its_sentences(monkeypatch, factory_home):
    """On one line a sentence cell showed ~65 characters at 1366 px: in half the real evidence, not the second country.
    Every table with a `sentence` column (the Pair explorer's, the Topics evidence, an article's pair sentences and
    topic words) has rows tall enough for Streamlit to wrap it (it wraps past 64 px); the others keep one line."""
    from pipeline.dashboard.ui import SENTENCE_ROW_PX

    pages = [open_page(monkeypatch, factory_home, ROUTE[route], {**CURRENT_PARAMS, **params}) for route, params in (
        ("pair", {"pair": "PRK-RUS"}), ("topics", {"evidence_topic": "military"}), ("articles", {"article": "c2"}))]
    tables = [table for app in pages for table in app.dataframe]
    wrapped = [table for table in tables if "sentence" in table.value.columns]
    assert len(wrapped) == 4 and len(tables) > len(wrapped)
    assert SENTENCE_ROW_PX > 64 and {table.proto.row_height for table in wrapped} == {SENTENCE_ROW_PX}
    assert {json.loads(table.proto.columns)["sentence"]["width"] for table in wrapped} == {"large"}
    assert not [table for table in tables if table not in wrapped and table.proto.row_height]


def test_the_pair_evidence_shows_the_cue_and_its_words_beside_the_sentence(monkeypatch, factory_home):
    """Review R (a 1366 px window, 150 % zoom): in the query's order the cue words came after the outlet, the
    sentence, the topics and the cue, cut to three letters, and off the screen when zoomed. Every column stays."""
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    evidence = next(table for table in app.dataframe if "cue_words" in table.value.columns)
    shown = list(evidence.proto.column_order)
    assert shown[:5] == ["day", "sentence", "cue", "cue_words", "topics"]
    assert sorted(shown) == sorted(evidence.value.columns)
    # and as text to quote: the grid copies nothing (.streamlit/config.toml), a paragraph per sentence shown, in the
    # source's words (the table's ⟦ ⟧ are not)
    quoted = next(block.value for block in app.code if " · article " in block.value).split("\n\n")
    first = evidence.value.iloc[0]
    assert len(quoted) == len(evidence.value) and "⟦" in first["sentence"]
    assert quoted[0].split("\n")[1] == first["sentence"].replace("⟦", "").replace("⟧", "")
    assert quoted[0].startswith(f"{first['day']:%Y-%m-%d} · {first['outlet']} · body · ")


def test_the_text_to_quote_says_that_the_outlet_later_changed_an_article(monkeypatch, tmp_path, downloads):
    """Review J: a WSJ headline later corrected ("…Kills at Least 21", then 39) was quotable as evidence with no hint
    of the correction; the evidence download lacked the time as written and the field too."""
    home = build_home(tmp_path / "home")
    sanctions = next(s for s in STORIES if s.key == "c2")
    with Warehouse(home.writer_db) as warehouse:
        write_revisions(warehouse, home, [{"article_id": "c2", "day": sanctions.day, "feed_id": "wire",
                                           "title": "Sanctions (corrected)", "text": "Iran and Russia evade sanctions.",
                                           "url": None, "content_hash": "h1"}], CURRENT[1])
    app = open_page(monkeypatch, home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    quoted = next(block.value for block in app.code if " · article " in block.value).split("\n\n")
    [revised] = [paragraph for paragraph in quoted if "Revised later" in paragraph]
    assert revised.split("\n")[1:] == [sanctions.text, "Revised later: its feed changed it 1 time(s): latest seen "
                                        "2025-03-14 09:00 UTC; the words above are its first capture's.",
                                        sanctions.url]
    # and the downloads a citation is made from: where the words stand, when published (as the feed wrote it), and
    # the later versions
    cited = ["published_at", "published_as_written", "revisions", "last_revision_seen_at"]
    evidence = downloaded_csv(downloads, "evidence_PRK-RUS").set_index("article_id")
    articles = downloaded_csv(downloads, "articles_PRK-RUS").set_index("article_id")
    for table in (evidence, articles):
        assert table.loc["c2", cited].tolist() == ["2025-03-09 08:00:00.000000Z", "2025-03-09T08:00:00+00:00", "1",
                                                   "2025-03-14 09:00:00.000000Z"]  # times as `export` writes them
        assert table.loc["c1", cited[2:]].tolist() == ["0", ""]
    assert set(evidence["field"]) == {"text"}


def test_the_pair_explorer_says_when_one_outlet_supplies_most_articles_or_its_bars_are_too_few(monkeypatch,
                                                                                              factory_home,
                                                                                              pair_crowded_home,
                                                                                              tmp_path):
    """Review J: PRK–RUS military on a real home was 11 articles in 10 months, all from WSJ, drawn as monthly bars of
    0–2 that invite "tripled"; nothing on the page said that one outlet supplied all of them, nor that such counts
    cannot be compared. The Overview's rising pairs and the alerts had rules for both."""
    home = build_home(tmp_path / "home")
    months = [date(2024, month, 5) for month in (3, 4, 4, 5, 6, 7, 8, 8, 9, 10, 12)]
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [Story(f"m{n}", day, ("wire",), f"Drills {n}", "North Korea and Russia hold "
                                              "military drills.", ("military",)) for n, day in enumerate(months)],
                      CURRENT[1])
    params = {"from": "2024-03-01", "to": "2024-12-31", "pair": "PRK-RUS", "grain": "month"}
    captions = [caption.value for caption in open_page(monkeypatch, home, ROUTE["pair"], params).caption]
    assert ("All 11 articles are from `Wire`: these charts show what one outlet ran, not how coverage moved."
            in captions)
    assert ("Too few to compare periods: the busiest month here holds 2 article(s), under 5. Chance alone moves a "
            "count by about its square root (2 against 4 is no rise), and the Overview lists no rising pair on fewer "
            "than 5 articles. Widen the dates.") in captions
    # Wire and Daily two each of the factory's four: half is no majority; a day holds one at most
    captions = [caption.value for caption in open_page(monkeypatch, factory_home, ROUTE["pair"],
                                                       {**CURRENT_PARAMS, "pair": "PRK-RUS"}).caption]
    assert not [caption for caption in captions if "are from" in caption]
    assert [caption for caption in captions if caption.startswith("Too few to compare periods: the busiest day here "
                                                                  "holds 1 article(s), under 5.")]
    assert [caption for caption in captions if caption.endswith("Widen the dates, or count per month.")]
    # 650 briefings from Wire: most from one outlet, and plenty a day
    captions = [caption.value for caption in open_page(monkeypatch, pair_crowded_home, ROUTE["pair"],
                                                       {**CURRENT_PARAMS, "pair": "PRK-RUS"}).caption]
    assert ("652 of the 654 articles are from `Wire`: these charts show mostly what one outlet ran, not how "
            "coverage moved across outlets.") in captions
    assert not [caption for caption in captions if caption.startswith("Too few")]


def test_the_article_picker_says_which_days_are_first_stored(monkeypatch, undated_home):
    """The list marked the undated article (`dated`) but its choice under "Open an article of the list" read
    "2025-03-14 · Daily · Old accord", that day's news like the others."""
    stored = f"{UNDATED.day} ({STORED_DAY}; {NO_DATE_GIVEN}) · Daily · {UNDATED.title}"
    listed = open_page(monkeypatch, undated_home, ROUTE["articles"], CURRENT_PARAMS).selectbox[0].options
    assert [label for label in listed if STORED_DAY in label] == [stored] and len(listed) == 8
    # a link to it from another page, while the list's search leaves it out
    linked = open_page(monkeypatch, undated_home, ROUTE["articles"],
                       {**CURRENT_PARAMS, "q": "pact", "article": UNDATED.key}).selectbox[0].options
    assert linked[-1] == f"{stored} (linked)" and not [label for label in linked[:-1] if STORED_DAY in label]


def test_undated_articles_can_be_left_out_of_every_number_and_table(monkeypatch, undated_home):
    app = open_page(monkeypatch, undated_home, ROUTE["overview"], CURRENT_PARAMS)
    [leave_out] = [widget for widget in app.sidebar.toggle if widget.label == "Leave out undated articles"]
    assert not leave_out.value and "dated_only" not in app.query_params  # existing links keep their numbers
    assert {m.label.lower(): int(m.value) for m in app.metric}["articles"] == 8
    assert any(c.value.startswith("1 of the 8 articles in these dates and filters (12%) have no usable publication") for c in app.caption)
    leave_out.set_value(True).run()
    assert app.query_params["dated_only"] == "1"
    assert {m.label.lower(): int(m.value) for m in app.metric}["articles"] == 7
    assert not [c for c in app.caption if "no usable publication date" in c.value]
    linked = {**CURRENT_PARAMS, "pair": "PRK-RUS", "dated_only": "1"}
    pair = open_page(monkeypatch, undated_home, ROUTE["pair"], linked)
    assert [widget.value for widget in pair.sidebar.toggle if widget.label == "Leave out undated articles"] == [True]
    assert frame(pair)["dated"].all() and len(frame(pair)) == 4 and frame(pair, 1)["dated"].all()


def test_list_only_pairs_can_be_left_out_of_cooccurrence_trends_and_rising_pairs(monkeypatch, list_only_home):
    """Iran–Russia had 4 articles on a home of real feeds, 2 of them lists of countries ("Russia, China, Iran and
    North Korea are ..."), and no page could leave those out. IRN–JPN is named only in lists (6 articles) and is the
    pair of one article about both without a sentence naming both, which still counts; CHN–JPN's 6 sentences relate
    the two, and the factory's pairs stand."""
    switch_label = "Leave out list-only pairs"
    kept = {"CHN–JPN": 6, "PRK–RUS": 4, "CHN–RUS": 1, "IRN–RUS": 1}
    # off, each page says how many of its article-pair counts only lists make; on, what it leaves out
    notes = {False: "6 of the 19 articles counted for a pair in these dates and filters (32%, an article once per "
                    "pair) name the two countries only in lists of countries",
             True: "List-only pairs left out (sidebar)"}

    def says(app, on, said=notes):
        return [any(c.value.startswith(said[state]) for c in app.caption) for state in (on, not on)] == [True, False]

    for on, rising, sentence, article, trend in (
            (False, {"IRN–JPN": 7, "CHN–JPN": 6}, {**kept, "IRN–JPN": 6}, {**kept, "IRN–JPN": 7}, 7),
            (True, {"CHN–JPN": 6}, kept, {**kept, "IRN–JPN": 1}, 1)):
        params = {**CURRENT_PARAMS, **({"unlisted_only": "1"} if on else {})}
        overview = open_page(monkeypatch, list_only_home, ROUTE["overview"], params)
        assert [toggle.value for toggle in overview.sidebar.toggle if toggle.label == switch_label] == [on]
        assert frame(overview).set_index("pair")["current"].to_dict() == rising, on
        assert says(overview, on)
        for level, together in (("sentence", sentence), ("article", article)):
            matrix = open_page(monkeypatch, list_only_home, ROUTE["cooccurrence"], {**params, "level": level})
            assert frame(matrix).set_index("pair")["together"].to_dict() == together, (on, level)
            # of its cells, at its level: IRN–JPN's 6 lists, and at the article level its article about both
            assert says(matrix, on, {**notes, False: f"6 of the {sum(together.values())} articles counted for the "
                                                     "pairs drawn in these dates"})
            heatmap, edges = chart_frames(matrix)[:2]  # the network draws the pairs the matrix has cells for
            for drawn in (heatmap, edges):
                assert dict(zip(drawn["pair"].str.replace("-", "–"), drawn["together"])) == together, (on, level)
        trends = open_page(monkeypatch, list_only_home, ROUTE["trends"], {
            **params, "kind": "pairs", "grain": "month", "series_pairs": ["IRN-JPN", "CHN-JPN"]})
        assert frame(trends).groupby("series")["articles"].sum().to_dict() == {"IRN–JPN": trend, "CHN–JPN": 6}
        # of the two lines drawn: IRN–JPN's 6 lists and its article about both, CHN–JPN's 6
        assert says(trends, on, {**notes, False: "6 of the 13 articles counted for the pairs drawn in these dates"})


def test_the_cooccurrence_list_only_note_is_of_the_topic_chosen(monkeypatch, list_only_home):
    """On a topic the note counts the cells drawn for it: on trade, CHN–JPN alone, whose sentences relate the two; the
    note of every pair's lists (IRN–JPN's, which carry no topic) read as the trade pairs'."""
    for topic, said in ((None, True), ("trade", False)):
        app = open_page(monkeypatch, list_only_home, ROUTE["cooccurrence"],
                        {**CURRENT_PARAMS, **({"topic": topic} if topic else {})})
        assert any("only in lists of countries" in c.value for c in app.caption) == said, topic


@pytest.mark.parametrize("drawn, note", [
    (["CHN-JPN"], None),
    (["IRN-JPN"], "6 of the 7 articles counted for the pairs drawn in these dates and filters (86%")])
def test_the_trends_list_only_note_counts_the_pairs_drawn_not_every_pair(monkeypatch, list_only_home, drawn, note):
    """Trends of CHN–JPN, whose 6 sentences relate the two, said 6 of 19 articles counted for a pair (32%) named it
    only in lists: those were IRN–JPN's, a line not drawn; the note is of the lines drawn."""
    app = open_page(monkeypatch, list_only_home, ROUTE["trends"],
                    {**CURRENT_PARAMS, "kind": "pairs", "series_pairs": drawn})
    said = [c.value for c in app.caption if "only in lists of countries" in c.value]
    assert [note is not None and text.startswith(note) for text in said] == ([True] if note else [])


def test_leaving_list_only_pairs_out_is_kept_in_the_url_and_carried_to_other_pages(monkeypatch, list_only_home):
    """Switched on, it is in the URL, and a click through to another page keeps it: the Articles page a Trends point
    opens lists the articles the point counted, those connecting the pair not only in lists."""
    app = open_page(monkeypatch, list_only_home, ROUTE["trends"], {**CURRENT_PARAMS, "kind": "pairs", "grain": "week",
                                                                   "series_pairs": "IRN-JPN"})
    [switch] = [toggle for toggle in app.sidebar.toggle if toggle.label == "Leave out list-only pairs"]
    assert not switch.value and "unlisted_only" not in app.query_params  # existing links keep their numbers
    switch.set_value(True).run()
    assert app.query_params["unlisted_only"] == "1"
    counted = frame(app).set_index(["bucket", "series"])["articles"][(pd.Timestamp("2025-03-10"), "IRN–JPN")]
    click_on_chart(monkeypatch, "trend", DAY_PICK, {PICKED_DAY: "2025-03-10", "series": "IRN–JPN"})
    switched = []  # the URL the other page opens on, as the browser gets it (AppTest's session keeps the toggle anyway)
    switch_page = st.switch_page
    monkeypatch.setattr(st, "switch_page", lambda page, query_params: switched.append(query_params)
                        or switch_page(page, query_params=query_params))
    app.run()
    assert not app.exception and app.title[0].value == "Articles"
    assert [params.get("unlisted_only") for params in switched] == [["1"]]
    assert (app.query_params["pairs"], app.query_params["unlisted_only"]) == ("IRN-JPN", "1")
    assert counted == 1 and frame(app)["title"].tolist() == ["Oil talks"]  # the article about both, no list
    assert [toggle.value for toggle in app.sidebar.toggle if toggle.label == "Leave out list-only pairs"] == [True]
    [switch] = [toggle for toggle in app.sidebar.toggle if toggle.label == "Leave out list-only pairs"]
    switch.set_value(False).run()
    # 4 lists of the days and the one about both
    assert "unlisted_only" not in app.query_params and len(frame(app)) == 5


@pytest.mark.parametrize("last_day, level, empty_state", [
    (CURRENT[1], "article", "No sentence names both countries with these filters. 1 article(s) pair them as two"),
    (CURRENT[1], "sentence", "No sentence names both countries with these filters; 1 article(s) are about both"),
    # the lists' days without the article about both
    (CURRENT[1] - timedelta(days=1), "article", "No article pairs these two countries with these filters.")])
def test_the_pair_explorer_says_how_many_articles_leaving_out_list_only_pairs_hides(monkeypatch, list_only_home,
                                                                                    last_day, level, empty_state):
    """IRN–JPN, named in 6 lists of countries, read "No sentence names both countries with these filters" with the
    sidebar's "Leave out list-only pairs" on: true, and silent on the 6 articles it hid and on the way to them."""
    hidden = ("6 article(s) name IRN and JPN only in lists of countries; turn off \"Leave out list-only pairs\" in "
              "the sidebar to see them.")
    params = {**CURRENT_PARAMS, "to": last_day.isoformat(), "pair": "IRN-JPN", "level": level}
    on = open_page(monkeypatch, list_only_home, ROUTE["pair"], {**params, "unlisted_only": "1"})
    [said] = [i.value for i in on.info if i.value.startswith(empty_state)]
    assert said.endswith(f". {hidden}")
    off = open_page(monkeypatch, list_only_home, ROUTE["pair"], params)
    assert not [i.value for i in off.info if "only in lists" in i.value]


@pytest.mark.parametrize("route, params", [("overview", {}), ("cooccurrence", {}),
                                           ("trends", {"kind": "pairs", "series_pairs": ["IRN-JPN", "CHN-JPN"]})])
@pytest.mark.parametrize("on", [False, True])
def test_the_list_only_note_sits_above_the_charts_as_the_undated_note_does(monkeypatch, list_only_home, route,
                                                                           params, on):
    """The undated note stands under the page's title, the list-only note stood under the charts (on the Overview, in
    the rising pairs' column): one place for both, before the first chart they speak of."""
    note = "List-only pairs left out (sidebar)" if on else "name the two countries only in lists of countries"
    app = open_page(monkeypatch, list_only_home, ROUTE[route],
                    {**CURRENT_PARAMS, **params, **({"unlisted_only": "1"} if on else {})})
    kinds = [(getattr(element, "type", ""), getattr(element, "value", "")) for element in app.main]
    first_chart = next(at for at, (kind, _) in enumerate(kinds) if kind == "vega_lite_chart")
    [said] = [at for at, (kind, value) in enumerate(kinds) if kind == "caption" and note in str(value)]
    assert said < first_chart


COUNTING_PAGES = ("overview", "trends", "cooccurrence", "pair", "topics", "articles")


@pytest.mark.parametrize("route", COUNTING_PAGES)
def test_every_page_counting_articles_says_when_many_are_undated(monkeypatch, undated_home, factory_home, route):
    """Only the Overview said that 208 of a home's 238 articles sat on the day a replay stored them: a bookmarked
    Co-occurrence page drew that backlog as the quarter's most connected pair without a word."""
    params = {**CURRENT_PARAMS, "pair": "PRK-RUS"}
    app = open_page(monkeypatch, undated_home, ROUTE[route], params)
    [note] = [c.value for c in app.main.caption if "of them or more" in c.value]
    assert note.startswith("1 of the 8 articles in these dates and filters (12%) have no usable publication date")
    assert 'the sidebar\'s "Leave out undated articles"' in note and "when they are 10% of them or more" in note
    left_out = open_page(monkeypatch, undated_home, ROUTE[route], {**params, "dated_only": "1"})
    undated_free = open_page(monkeypatch, factory_home, ROUTE[route], params)
    for app in (left_out, undated_free):
        assert not [c for c in app.caption if "of them or more" in c.value]


def test_the_pair_explorer_says_since_when_and_offers_the_dates_its_range_leaves_out(monkeypatch, undated_home):
    """PRK-RUS on default dates said only "No article pairs these two countries with these filters." although 16
    articles from 2025-05-05 to 2026-02-06 paired them: a dead end for "since when?"."""
    quiet = {"from": "2025-03-11", "to": "2025-03-13", "pair": "PRK-RUS", "dated_only": "1"}
    app = open_page(monkeypatch, undated_home, ROUTE["pair"], quiet)
    assert any(i.value.startswith("No article pairs these two countries") for i in app.info)
    assert "5 article(s) pair them with these filters outside these dates, from 2025-03-03 to 2025-03-14." in [
        i.value for i in app.info]  # p2, c1, c2, c3, c7: u1, undated, is left out as the sidebar asks
    # none listed here: the button moves to their dates, which hold none of these ("Widen" read as a bug)
    assert [b.label for b in app.button if b.key == "pair.widen"] == ["Show their dates, 2025-03-03 – 2025-03-14"]
    app.button(key="pair.widen").click().run()
    assert not app.exception
    assert (app.query_params["from"], app.query_params["to"], app.query_params["dated_only"]) == (
        "2025-03-03", "2025-03-14", "1")
    assert "5 article(s) with these filters: the first on 2025-03-03, the last on 2025-03-14." in [
        c.value for c in app.caption]
    assert "pair.widen" not in [b.key for b in app.button]  # nothing of the pair is left out any more
    some = open_page(monkeypatch, undated_home, ROUTE["pair"], {**quiet, "from": "2025-03-08", "to": "2025-03-10"})
    assert "3 article(s) with these filters: the first on 2025-03-08, the last on 2025-03-10." in [
        c.value for c in some.caption]
    assert "2 more article(s) pair them with these filters outside these dates, from 2025-03-03 to 2025-03-14." in [
        i.value for i in some.info]
    assert [b.label for b in some.button if b.key == "pair.widen"] == ["Widen the dates to 2025-03-03 – 2025-03-14"]


def test_the_pair_explorer_says_how_many_stories_its_articles_are_when_copies_are_many(monkeypatch, copies_home,
                                                                                      factory_home):
    """Review J: a wire story run by twelve outlets read as twelve outlets' own coverage, in the article count and in
    "Who covers the pair". Three copies of one story among PRK-RUS's seven articles are said to be so."""
    params = {"from": CURRENT[0].isoformat(), "to": CURRENT[1].isoformat(), "pair": "PRK-RUS"}
    app = open_page(monkeypatch, copies_home, ROUTE["pair"], params)
    assert not app.exception
    assert ("7 articles are 5 stories: 3 are copies of 1 story run under several addresses, most often a wire story "
            "run by several outlets. Each copy counts as an article here, and for its outlet below.") in [
        c.value for c in app.caption]
    without = open_page(monkeypatch, factory_home, ROUTE["pair"], params)
    assert not [c for c in without.caption if "stories" in c.value]


def test_the_pair_explorers_topic_chart_titles_its_axis_in_one_line(monkeypatch, factory_home):
    """"Sentence–topic mentions" broke into two lines beside the axis even at 1440 px, where the plot has room for
    one: "Topic mentions", under the heading "Topics of the sentences", needs no break."""
    app = open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    specs = [json.loads(element.proto.spec) for element in app.main if getattr(element, "type", "") == "vega_lite_chart"]
    topics = next(layer for chart in specs for layer in chart.get("layer", [chart])
                  if layer["encoding"].get("color", {}).get("field") == "topic")
    title = topics["encoding"]["y"]["title"]
    assert isinstance(title, str), title  # Vega draws a list as one line each


def test_the_articles_link_column_names_the_host_a_click_opens(monkeypatch, tmp_path):
    """A feed's `https://www.reuters.com@evil.example/…` showed "www.reuters.com" in the link column and opened
    evil.example, and a Cyrillic-е www.reutеrs.com read as the real one: the text is the host the link opens, in
    ASCII, and the article's "Open the article" button opens that same link."""
    spoofs = {"userinfo": ("https://www.reuters.com@evil.example/world/russia-china",
                           "https://evil.example/world/russia-china"),
              "homograph": ("https://www.reut\u0435rs.com/world/homograph/",
                            "https://www.xn--reutrs-6of.com/world/homograph/")}
    stories = [Story(key, CURRENT[1], ("wire",), f"Spoof {key}", "Russia holds a briefing.", url=stored)
               for key, (stored, _) in spoofs.items()]
    home = build_home(tmp_path / "home", stories=stories)
    app = open_page(monkeypatch, home, ROUTE["articles"], CURRENT_PARAMS)
    links = frame(app).set_index("article_id")["url"]
    assert links.to_dict() == {key: opened for key, (_, opened) in spoofs.items()}
    link_text = json.loads(app.dataframe[0].proto.columns)["url"]["type_config"]["display_text"]
    shown = {key: re.search(link_text, link)[1] for key, link in links.items()}  # as the browser's column shows it
    assert shown == {"userinfo": "evil.example", "homograph": "www.xn--reutrs-6of.com"}
    app = open_page(monkeypatch, home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "userinfo"})
    assert app.get("link_button")[0].proto.url == "https://evil.example/world/russia-china"

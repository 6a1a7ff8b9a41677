"""The dashboard's Alerts page shows what `pactwatch alerts` finds, with its evidence (AppTest, real warehouse)."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.dashboard import ui
from pipeline.dashboard.transforms import pair_label
from pipeline.dashboard.routes import ROUTES
from pipeline.home import Home
from pipeline.signals import current_alerts, load_alert_config
from pipeline.store.reader import open_snapshot
from tests.conftest import downloaded_csv
from tests.dashboard.conftest import open_page
from tests.dashboard.test_browser import CHROMIUM, SHOTS, TABLE, query, serve, settle
from tests.dashboard.test_browser import browser, page  # noqa: F401 (fixtures: Chromium and a tab of it)

from .conftest import END, FLOOD, SPIKE
from .test_copies import wire_home

ALERTS = next(route for route in ROUTES if route.name == "alerts")
RANGE = {"from": (END - timedelta(days=90)).isoformat(), "to": END.isoformat()}
HELD_COLUMNS = ["day", "pair", "topic", "rule", "firings", "gate", "reason"]


def alert_tables(app) -> list:
    """The page's alert overviews (the rises a floor kept out have a table of their own below, with no signal)."""
    return [frame for frame in app.dataframe if "kind" in frame.value.columns]


def held_table(app):
    return next(frame.value for frame in app.dataframe if list(frame.value.columns) == HELD_COLUMNS)


def test_alerts_page_lists_the_injected_spike_and_its_evidence(monkeypatch, demo_home):
    app = open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    overview = app.dataframe[0].value
    spike = overview[(overview["pair"] == "CHN–USA") & (overview["topic"] == SPIKE.topic)]
    assert len(spike) == 1 and spike.iloc[0]["current"] > 2 * spike.iloc[0]["baseline"]
    position = list(overview.index).index(spike.index[0])
    app.selectbox[0].select_index(position).run()
    assert app.selectbox[0].format_func(app.selectbox[0].value).startswith(f"CHN–USA {SPIKE.topic}")  # as everywhere
    sentences, articles = app.dataframe[1].value, app.dataframe[2].value
    assert len(sentences) > 0 and sentences["sentence"].str.contains("China|Chinese|Beijing").all()
    # the countries are marked as on the Pair explorer: ⟦China⟧ ... ⟦U.S.⟧, each naming one of the pair
    assert sentences["sentence"].str.count("⟦").ge(2).all() and "spans" not in sentences.columns
    assert len(articles) > 0 and articles["outlet"].nunique() > 1
    # each article, and each sentence's, links to the Articles page's "why" panel, on its own day
    for table in (articles, sentences):
        assert all(link.startswith(f"articles?article={article_id}&") and f"&from={day:%Y-%m-%d}&to={day:%Y-%m-%d}"
                   in link for link, article_id, day in zip(table["why"], table["article_id"], table["day"]))


def test_alerts_page_keeps_to_the_sidebar_dates(monkeypatch, demo_home):
    app = open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    assert app.dataframe[0].value["day"].between(RANGE["from"], RANGE["to"]).all()
    first = date.fromisoformat(demo_home.manifest.first_day)  # rules need a baseline: nothing fires at the start
    quiet = {"from": first.isoformat(), "to": (first + timedelta(days=10)).isoformat()}
    app = open_page(monkeypatch, demo_home.home, ALERTS, quiet)
    assert not app.dataframe and any("No alerts in this date range" in i.value for i in app.info)


def test_alerts_page_keeps_to_the_sidebar_countries_pairs_and_topics(monkeypatch, demo_home):
    # from the Trump-Xi meeting of October 2025 (trade, technology and diplomacy alerts) to the injected trade spike
    since_october = {**RANGE, "from": (END - timedelta(days=240)).isoformat()}
    everything = open_page(monkeypatch, demo_home.home, ALERTS, since_october).dataframe[0].value
    assert set(everything["pair"]) == {"CHN–USA"}
    for kept in ({"pairs": "CHN-USA"}, {"countries": "USA"}):
        shown = open_page(monkeypatch, demo_home.home, ALERTS, {**since_october, **kept}).dataframe[0].value
        assert shown.equals(everything), kept
    topic = open_page(monkeypatch, demo_home.home, ALERTS, {**since_october, "topics": SPIKE.topic}).dataframe[0].value
    assert set(topic["topic"]) == {SPIKE.topic} and len(topic) < len(everything)
    for dropped in ({"pairs": "PRK-RUS"}, {"countries": "IND"}, {"topics": "tourism"}):
        app = open_page(monkeypatch, demo_home.home, ALERTS, {**since_october, **dropped})
        assert not alert_tables(app), dropped
        alerts = everything["alerts"].sum()  # a row per episode
        assert any(f"({alerts} without the country, pair and topic filters)" in i.value for i in app.info)


def test_open_this_pair_lands_on_the_alerts_pair_after_another_pair_was_viewed(monkeypatch, demo_home):
    """The button had no test; since controls are kept per page, the state key open_pair set was the Alerts
    page's own ('url.alerts.pair'), a stray entry the Pair explorer never read: the URL parameter does the work."""
    from tests.dashboard.conftest import ROOT

    pair_page = next(route for route in ROUTES if route.name == "pair")
    alerted = open_page(monkeypatch, demo_home.home, ALERTS, RANGE).dataframe[0].value["pair"].iloc[0]
    app = open_page(monkeypatch, demo_home.home, pair_page, RANGE)
    viewed = next(key for key in app.selectbox[0].options if pair_label(key) != alerted)  # the picker lists PRK-RUS
    app.selectbox[0].set_value(viewed).run()
    app.radio[1].set_value("sentence").run()  # as a click on a Co-occurrence cell "in one sentence" leaves it
    assert app.header[0].value == pair_label(viewed)
    app.switch_page(str(ALERTS.path.relative_to(ROOT))).run()
    app.button[0].click().run()
    assert "url.alerts.pair" not in app.session_state  # open_pair wrote the Pair explorer's key under the Alerts page
    assert pair_label(app.selectbox[0].value) == alerted
    assert app.radio[1].value == "article"  # the alert counts every article pairing the two, so does its page


def test_open_this_pair_of_a_pair_topic_alert_shows_that_topics_sentences(monkeypatch, demo_home):
    """An alert on CHN-USA trade opened the Pair explorer on every CHN-USA sentence, most of them about other
    topics: the page now opens on the alert's topic, the sentences the alert counted."""
    app = open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    overview = app.dataframe[0].value
    spike = overview[(overview["pair"] == "CHN–USA") & (overview["topic"] == SPIKE.topic)]
    app.selectbox[0].select_index(list(overview.index).index(spike.index[0])).run()
    app.button[0].click().run()
    assert app.selectbox[0].value == "CHN-USA" and app.selectbox[1].value == SPIKE.topic
    assert app.dataframe[0].value["topics"].str.contains(SPIKE.topic).all()


def test_the_evidence_says_of_how_many_sentences_it_is_a_sample(monkeypatch, demo_home):
    """"5 sentence(s) ... a sample" did not say of how many: the caption counts the window's sentences as the Pair
    explorer, opened on the alert's window and topic, lists them (with those naming the two in a list of countries
    it hides)."""
    app = open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    overview = app.dataframe[0].value
    spike = overview[(overview["pair"] == "CHN–USA") & (overview["topic"] == SPIKE.topic)]
    app.selectbox[0].select_index(list(overview.index).index(spike.index[0])).run()
    sample = len(app.dataframe[1].value)
    caption = next(c.value for c in app.caption if " sentences of " in c.value)
    shown, total = map(int, re.match(r"(\d+) of the ([\d,]+) sentences", caption).groups())
    assert shown == sample and total > sample and caption.endswith("a sample; the Pair explorer lists them all.")
    app.button[0].click().run()
    listed = next(c.value for c in app.caption if "newest first" in c.value)
    counted = re.match(r"([\d,]+) sentences, newest first(?:, ([\d,]+) listing the two among other countries hidden)?",
                       listed)
    assert int(counted[1]) + int(counted[2] or 0) == total, listed


def test_the_evidence_shows_the_words_that_decided_each_sentence_s_cue(monkeypatch, demo_home):
    """An analyst reading "RUS–USA cooperation" could not see that the cue came from "helped … evade sanctions": the
    evidence shows each sentence's cue words next to its cue, under the Pair explorer's column label and help."""
    with open_snapshot(demo_home.home) as con:
        alert = next(alert for alert in current_alerts(con, date.fromisoformat(RANGE["from"]))
                     if any(item["cue_words"] for item in alert.sentences))
    app = open_page(monkeypatch, demo_home.home, ALERTS, {**RANGE, "alert": alert.key})
    sentences = app.dataframe[1].value
    assert sentences["cue_words"].tolist() == [", ".join(item["cue_words"]) for item in alert.sentences]
    assert list(sentences.columns).index("cue_words") == list(sentences.columns).index("cue") + 1
    shown = json.loads(app.dataframe[1].proto.columns)["cue_words"]
    assert (shown["label"], shown["help"]) == (ui.CUE_WORDS_COLUMN["label"], ui.CUE_WORDS_COLUMN["help"])


def test_an_evidence_sentence_without_a_cue_shows_a_blank_cue_as_the_pair_explorer_does(monkeypatch, demo_home):
    """An alert's evidence read "None" in `cue` for a sentence without one, where the Pair explorer and an article's
    pair sentences show a blank cell (the cue words' help: "Blank: no cue")."""
    since_october = {**RANGE, "from": (END - timedelta(days=240)).isoformat()}  # the alerts of the Trump-Xi meeting
    with open_snapshot(demo_home.home) as con:
        alert = next(alert for alert in current_alerts(con, date.fromisoformat(since_october["from"]))
                     if any(item["cue"] is None for item in alert.sentences))
    app = open_page(monkeypatch, demo_home.home, ALERTS, {**since_october, "alert": alert.key})
    cues = app.dataframe[1].value["cue"].tolist()
    assert cues == [item["cue"] or "" for item in alert.sentences] and "" in cues


def test_an_empty_alerts_page_names_the_series_a_gate_held_back(monkeypatch, demo_home):
    """With one outlet's real feeds the page said "no pair or pair × topic series crossed a rule" while the
    source-diversity gate had held back a new pair: the page now names it and the gate."""
    app = open_page(monkeypatch, demo_home.home, ALERTS, {**RANGE, "pairs": "-".join(FLOOD.pair)})
    assert not alert_tables(app)
    message = next(i.value for i in app.info if "No alerts in this date range" in i.value)
    assert "crossed a rule" not in message and "held every firing back" in message
    assert f"{FLOOD.pair[0]}–{FLOOD.pair[1]}" in message and "held back by the sources gate: 1 outlet(s) < 2" in message


def test_a_held_back_storys_title_cannot_put_markdown_into_the_empty_alerts_page(monkeypatch, tmp_path):
    """The copies gate names the most copied story by its feed's title, and the empty page's message (an alert,
    which renders Markdown) lists the series held back: a title loaded a remote image there. Each is inline code."""
    payload = "![x](https://evil.example/pixel.png)"
    home, last = wire_home(tmp_path, title=payload + " Iran, Russia link banking, story {n}")
    app = open_page(monkeypatch, Home.resolve(home), ALERTS,
                    {"from": (last - timedelta(days=3)).isoformat(), "to": last.isoformat(), "pairs": "IRN-RUS"})
    message = next(i.value for i in app.info if "No alerts in this date range" in i.value)
    [held] = re.findall(r"`IRN–RUS finance [^`]*`", message)
    assert f"the most copied \u201c{payload} Iran, Russia" in held, message


def test_open_this_pair_shows_the_alerts_window(monkeypatch, demo_home):
    """The button kept the sidebar's 90 days, where the alert's articles were a few among hundreds: it opens the
    Pair explorer on the alert's window, whose articles are the ones the alert counted."""
    app = open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    overview = app.dataframe[0].value
    spike = overview[(overview["pair"] == "CHN–USA") & (overview["topic"] == SPIKE.topic)].iloc[0]
    app.selectbox[0].select_index(list(overview.index).index(spike.name)).run()
    app.button[0].click().run()
    window = (app.query_params["from"], app.query_params["to"])
    assert window[1] == str(spike["day"]) and window[0] < window[1] and window != (RANGE["from"], RANGE["to"])
    assert app.selectbox[0].value == "CHN-USA"
    # and a way back: on Alerts by the sidebar, only the window's alerts were listed
    back = f"Back to the alerts of {RANGE['from']} – {RANGE['to']}"
    assert not [b for b in open_page(monkeypatch, demo_home.home, next(r for r in ROUTES if r.name == "pair"),
                                     RANGE).button if b.label == back]  # opened any other way: no alert to go back to
    next(b for b in app.button if b.label == back).click().run()
    # on that alert (the dates come back in a browser, checked in Chromium; AppTest keeps the sidebar's widget state
    # across a switch, where a browser session re-seeds it from the URL)
    assert [t.value for t in app.title] == ["Alerts"]
    assert app.selectbox[0].value == f"CHN-USA.{SPIKE.topic}.{spike['day']}.{spike['rule']}"


def test_a_link_names_the_alert_whose_evidence_it_shows(monkeypatch, demo_home):
    """The chosen alert was not in the URL: a shared link opened on the newest alert instead."""
    since_october = {**RANGE, "from": (END - timedelta(days=240)).isoformat()}  # several alerts
    app = open_page(monkeypatch, demo_home.home, ALERTS, since_october)
    overview = app.dataframe[0].value
    oldest = overview.iloc[-1]  # an episode's row, its alerts listed together in the picker, its strongest first
    assert len(overview) > 1  # so the newest, which a link without the alert opens on, is another one
    app.selectbox[0].select_index(len(app.selectbox[0].options) - oldest["alerts"]).run()
    link = app.query_params["alert"]
    assert link.startswith(f"{oldest['pair'].replace('–', '-')}.{oldest['topic'] or 'all'}.{oldest['day']}.")
    shared = open_page(monkeypatch, demo_home.home, ALERTS, {**since_october, "alert": link})
    assert shared.selectbox[0].value == link
    assert shared.dataframe[2].value["title"].tolist() == app.dataframe[2].value["title"].tolist()
    assert open_page(monkeypatch, demo_home.home, ALERTS, since_october).selectbox[0].index == 0


def test_a_series_a_gate_held_back_is_listed_beside_the_alerts(monkeypatch, demo_home):
    """One outlet's flood of BRA–NOR trade articles was named only on an empty page: beside the CHN–USA alerts an
    analyst never saw that rules had fired on it."""
    app = open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    assert len(app.dataframe[0].value) > 0  # alerts listed
    assert any("a gate held back: listed at the bottom" in c.value for c in app.caption)
    held = held_table(app)
    flood = held[held["pair"] == f"{FLOOD.pair[0]}–{FLOOD.pair[1]}"]
    assert len(flood) == 1 and flood.iloc[0]["gate"] == "sources" and flood.iloc[0]["reason"] == "1 outlet(s) < 2"
    assert held["day"].is_monotonic_decreasing
    overview = app.dataframe[0].value  # each alert's window, both ends
    assert (overview["window_start"] <= overview["day"]).all()


def test_an_edit_to_the_rules_reaches_an_open_page_at_its_next_rerun(monkeypatch, demo_home, alerts_file):
    """The rules were cached for the life of the process: an analyst raising a threshold saw the old alerts until
    the dashboard was restarted."""
    from pipeline.signals.config import DEFAULT_ALERTS_FILE

    bundled = DEFAULT_ALERTS_FILE.read_text(encoding="utf-8")
    path = alerts_file(bundled)
    app = open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    assert {"surge_4w", "burst_weekday"} & set(app.dataframe[0].value["rule"])
    path.write_text(bundled.replace("min_z = 4.0", "min_z = 400.0"), encoding="utf-8")
    app.run()
    still = app.dataframe[0].value["rule"] if app.dataframe and "rule" in app.dataframe[0].value else []
    assert set(still) <= {"new_pair"}, "every rule with a z threshold is now out of reach"


def test_a_held_back_series_opens_in_the_pair_explorer_on_its_week(monkeypatch, demo_home):
    """The held-back table was text: the flood's BRA–NOR rise could be read, not opened."""
    app = open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    held = app.dataframe[3].value if len(app.dataframe) > 3 else app.dataframe[-1].value
    flood = f"{FLOOD.pair[0]}–{FLOOD.pair[1]}"
    day = str(held[held["pair"] == flood].iloc[0]["day"])
    picker = next(box for box in app.selectbox if box.label == "Open one in the Pair explorer, on its days")
    picker.select_index(next(i for i, option in enumerate(picker.options) if option.startswith(flood))).run()
    assert [t.value for t in app.title] == ["Pair explorer"]
    assert app.query_params["pair"] == "-".join(FLOOD.pair) and app.query_params["to"] == day
    assert app.query_params["from"] == (date.fromisoformat(day) - timedelta(days=6)).isoformat()
    from tests.dashboard.conftest import ROOT

    app.switch_page(str(ALERTS.path.relative_to(ROOT))).run()  # back on Alerts, the pick does not switch again
    assert [t.value for t in app.title] == ["Alerts"]


def test_a_series_a_gate_held_back_in_the_sidebar_dates_is_named_though_it_was_held_back_again_later(monkeypatch,
                                                                                                     demo_home):
    """The page took each series' latest held-back firing over every day up to the data's last, then dropped it when
    that day fell after the sidebar's last: the flood's new pair, held back on its first days, vanished from dates
    ending before surge_pair's firing a week later, and the page read "no series crossed a rule"."""
    flood_days = {"from": (FLOOD.start - timedelta(days=5)).isoformat(),
                  "to": (FLOOD.start + timedelta(days=FLOOD.days - 1)).isoformat()}
    app = open_page(monkeypatch, demo_home.home, ALERTS, {**flood_days, "pairs": "-".join(FLOOD.pair)})
    message = next(i.value for i in app.info if "No alerts in this date range" in i.value)
    assert f"{FLOOD.pair[0]}–{FLOOD.pair[1]}" in message and "[new_pair" in message
    assert "held back by the sources gate" in message


def test_the_alerts_download_keys_each_alert_as_alerts_json_does(monkeypatch, demo_home, downloads):
    """The CSV said it kept the `alerts --json` keys, but wrote its pairs CHN–USA (the table's en dash) where the CLI
    writes CHN-USA: a lookup of one in the other matched nothing. Its rows are the CLI's alerts of the same days."""
    open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    listed = CliRunner().invoke(cli, ["--home", str(demo_home.root), "alerts", "--since", RANGE["from"], "--json"],
                                catch_exceptions=False)
    series = ["pair", "topic", "window_start", "day", "rule"]
    by_cli = {tuple(alert[column] or "" for column in series) for alert in json.loads(listed.stdout)}
    downloaded = downloaded_csv(downloads, "alerts")
    assert by_cli and set(downloaded[series].itertuples(index=False, name=None)) == by_cli
    held = downloaded_csv(downloads, "alerts_held_back")
    assert "-".join(FLOOD.pair) in set(held["pair"])


def test_an_alert_opens_with_the_days_its_expected_count_came_from(monkeypatch, demo_home):
    """"Open this pair ... on the alert's days" showed its 4 days alone: the baseline the rise was held against was
    out of sight, and the only way to widen was a jump to the whole history. A second button opens the window with
    its rule's baseline days before it and the week after, and the Pair explorer names the alert's window."""
    app = open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    overview = app.dataframe[0].value
    spike = overview[(overview["pair"] == "CHN–USA") & (overview["topic"] == SPIKE.topic)].iloc[0]
    app.selectbox[0].select_index(list(overview.index).index(spike.name)).run()
    rule = next(rule for rule in load_alert_config().rules if rule.id == spike["rule"])
    before = rule.baseline_weeks * 7  # the rule's expected count comes from these days (signals/rules.py)
    start, day = date.fromisoformat(str(spike["window_start"])), date.fromisoformat(str(spike["day"]))
    next(b for b in app.button if b.label == f"… with the {before} days before it and the week after").click().run()
    assert [t.value for t in app.title] == ["Pair explorer"] and app.selectbox[0].value == "CHN-USA"
    assert (app.query_params["from"], app.query_params["to"]) == (
        (start - timedelta(days=before)).isoformat(), (day + timedelta(days=7)).isoformat())
    assert f"The alert's window: {start} → {day}; the {before} days before it" in " ".join(c.value for c in app.caption)
    next(b for b in app.button if b.label == f"Back to the alerts of {RANGE['from']} – {RANGE['to']}").click().run()
    assert app.selectbox[0].value == f"CHN-USA.{SPIKE.topic}.{day}.{spike['rule']}"  # back on the alert


# the `alerts --json` keys the alerts' downloads hold, in this order, whatever the table shows
DOWNLOADED_COLUMNS = ["window_start", "day", "pair", "topics", "alerts", "topic", "kind", "rule", "current", "baseline", "ratio", "z",
                      "outlets", "undated", "stories", "top_outlet_share", "top_outlet_rise_share", "coverage",
                      "day_over", "continues", "episode"]
# what an alert is judged by: its series and window, how far it rose over what was expected, what to trust it by
SHOWN_FIRST = ["pair", "topics", "window_start", "day", "current", "baseline", "ratio", "z", "outlets", "undated",
               "coverage", "day_over"]


def test_the_alerts_table_shows_what_an_alert_is_judged_by_on_a_laptop_screen(monkeypatch, demo_home, downloads):
    """The 15 columns scrolled sideways at 1366 px: the rise's size and its outlets were out of sight beside its pair
    (checked in Chromium). The table shows the columns an alert is judged by, in reading order; the downloads hold
    every column."""
    app = open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    table = app.dataframe[0]
    assert list(table.proto.column_order) == SHOWN_FIRST
    assert not app.toggle[0].value and app.toggle[0].label == "Show all columns"
    assert list(downloaded_csv(downloads, "alerts").columns) == DOWNLOADED_COLUMNS


def test_show_all_columns_shows_every_alert_column_and_leaves_the_downloads_as_they_were(monkeypatch, demo_home,
                                                                                        downloads):
    """The columns left out by default are one switch away, after the others, and kept in the URL; the downloads hold
    the same columns under the same names either way (a switch that changes no row names no other file)."""
    import io

    import pandas as pd

    app = open_page(monkeypatch, demo_home.home, ALERTS, RANGE)
    downloads.clear()
    app.run()  # on the URL the first run wrote (the alert shown), as the switch's run starts from
    named = set(downloads)
    csv = downloaded_csv(downloads, "alerts")
    app.toggle[0].set_value(True).run()
    shown = list(app.dataframe[0].proto.column_order)
    assert shown[:len(SHOWN_FIRST)] == SHOWN_FIRST and sorted(shown) == sorted(DOWNLOADED_COLUMNS)
    assert app.query_params["all_columns"] == "1"
    assert set(downloads) == named
    assert downloaded_csv(downloads, "alerts").equals(csv)
    parquet = next(data for name, data in downloads.items() if re.fullmatch(r"pactwatch-alerts-[\w-]+\.parquet", name))
    assert list(pd.read_parquet(io.BytesIO(parquet())).columns) == DOWNLOADED_COLUMNS
    linked = open_page(monkeypatch, demo_home.home, ALERTS, {**RANGE, "all_columns": "1"})
    assert list(linked.dataframe[0].proto.column_order) == shown


@pytest.fixture(scope="module")
def demo_server(demo_home, tmp_path_factory):
    yield from serve(demo_home.home, tmp_path_factory)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"browser tests need Debian chromium at {CHROMIUM}")
def test_the_alerts_table_fits_a_1366_px_window(demo_server, page):  # noqa: F811 (page: the fixture imported)
    """At 1366 px, the sidebar open, the alerts' 15 columns scrolled sideways from "undated" on. Checked at 1280 px, as
    the Pair explorer's headings are: a real browser's scrollbar, which headless Chromium hides, takes some of 1366."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{demo_server}/alerts?{query(RANGE)}")
    settle(page, TABLE)
    page.screenshot(path=str(SHOTS / "alerts_1280.png"))
    scroller = page.locator("[data-testid='stDataFrame'] .dvn-scroller").first
    assert scroller.evaluate("grid => grid.scrollWidth <= grid.clientWidth"), scroller.evaluate(
        "grid => [grid.scrollWidth, grid.clientWidth]")

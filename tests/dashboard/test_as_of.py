"""A view pinned to a run (`as_of`): a link that fixes the data as well as the dates, so a number quoted with it can
be checked again after later runs stored articles dated inside its range (review J, finding 9). AppTest runs of the
real pages on homes of real DuckDB files."""
from __future__ import annotations

import random
from datetime import date
from urllib.parse import parse_qsl

import pytest
import streamlit as st
from click.testing import CliRunner

from pipeline.cli import cli

from pipeline.dashboard import filters, transforms
from pipeline.dashboard.routes import ROUTES
from pipeline.store import queries
from pipeline.store.reader import open_snapshot
from pipeline.store.snapshot import publish
from pipeline.store.warehouse import Warehouse

from .conftest import CURRENT_PARAMS, open_page
from .factory import CURRENT, EXPECTED, TAGGER, _run, build_home, write_revisions
from .test_downloads import cli_csv, downloaded_parquet

ROUTE = {route.name: route for route in ROUTES}
PINNED = "As of run 2 (finished 2025-03-14 11:00 UTC): articles stored later are left out."


def articles_shown(app) -> int:
    return int(next(metric.value for metric in app.metric if metric.label == "Articles"))


def notices(app) -> list[str]:
    return [info.value for info in app.info if info.value.startswith("As of run")]


def test_a_link_pinned_to_a_run_counts_what_that_run_had_stored_and_says_so(monkeypatch, copies_home):
    """Run 3 of this home stored three copies of a wire story dated inside the factory's current period: the same link
    went from 7 articles to 10 without a word. Pinned to run 2, it counts the 7 that run 2 left, says so, and keeps
    the pin in its URL."""
    latest = open_page(monkeypatch, copies_home, ROUTE["overview"], CURRENT_PARAMS)
    assert articles_shown(latest) == EXPECTED["current"]["articles"] + 3 and not notices(latest)
    assert "as_of" not in latest.query_params
    pinned = open_page(monkeypatch, copies_home, ROUTE["overview"], {**CURRENT_PARAMS, "as_of": "2"})
    assert articles_shown(pinned) == EXPECTED["current"]["articles"]
    assert notices(pinned) == [PINNED] and not pinned.toast
    assert pinned.query_params["as_of"] == "2"
    assert pinned.selectbox(key="url.as_of").value == 2
    pair = open_page(monkeypatch, copies_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS", "as_of": "2"})
    assert not [caption for caption in pair.caption if "stories" in caption.value]  # run 3's copies are left out
    assert pair.query_params["as_of"] == "2"


def test_the_sidebar_pins_the_view_to_a_run_it_lists(monkeypatch, copies_home):
    app = open_page(monkeypatch, copies_home, ROUTE["overview"], CURRENT_PARAMS)
    control = app.selectbox(key="url.as_of")
    assert control.value == filters.LATEST_RUN  # was None, which the box showed as "Choose an option"
    assert control.options == ["latest (every article stored)", "run 3 · 2025-03-14 11:00 UTC · ingest",
                               "run 2 · 2025-03-14 11:00 UTC · ingest", "run 1 · 2025-03-07 11:00 UTC · ingest"]
    control.set_value(2).run()
    assert articles_shown(app) == EXPECTED["current"]["articles"] and notices(app) == [PINNED]
    assert app.query_params["as_of"] == "2"
    app.selectbox(key="url.as_of").set_value(filters.LATEST_RUN).run()
    assert articles_shown(app) == EXPECTED["current"]["articles"] + 3 and "as_of" not in app.query_params


@pytest.mark.parametrize("asked", ["abc", "-1", "99999", "9" * 40, "2.0", " "])
def test_a_link_naming_no_run_shows_the_latest_data_and_says_so(monkeypatch, copies_home, asked):
    """URL parameters are untrusted: a run id that is no number, negative, unknown or past a BIGINT is named in a
    toast, and the latest data shown, unpinned."""
    app = open_page(monkeypatch, copies_home, ROUTE["overview"], {**CURRENT_PARAMS, "as_of": asked})
    assert articles_shown(app) == EXPECTED["current"]["articles"] + 3 and not notices(app)
    assert [toast.value for toast in app.toast] == [
        f"Data as of run: {transforms.inline_code(asked)} is not available with this data; showing the latest data."]
    assert "as_of" not in app.query_params


def test_a_download_of_a_pinned_view_names_its_run(monkeypatch, copies_home, downloads):
    """The Parquet metadata's view opens the pinned view again, `as_of` names the run, `data_as_of` is when it
    finished; unpinned, `as_of` is empty."""
    params = {**CURRENT_PARAMS, "pair": "PRK-RUS", "as_of": "2"}
    open_page(monkeypatch, copies_home, ROUTE["pair"], params)
    said = {key.decode(): value.decode() for key, value in downloaded_parquet(downloads, "evidence_PRK-RUS")
            .schema.metadata.items() if key.startswith(b"pactwatch.")}
    assert dict(parse_qsl(said["pactwatch.view"].partition("?")[2]))["as_of"] == "2"
    assert (said["pactwatch.as_of"], said["pactwatch.data_as_of"]) == ("2", "2025-03-14T11:00:00+00:00 (ingest run)")
    assert downloaded_parquet(downloads, "evidence_PRK-RUS").num_rows == 4
    downloads.clear()
    open_page(monkeypatch, copies_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    metadata = downloaded_parquet(downloads, "evidence_PRK-RUS").schema.metadata
    assert metadata[b"pactwatch.as_of"] == b"" and downloaded_parquet(downloads, "evidence_PRK-RUS").num_rows == 7


def test_a_pin_to_a_run_whose_tags_a_retag_re_derived_says_the_numbers_may_differ(monkeypatch, tmp_path):
    """A retag since run 2 gave its articles tags of another tagger version: the pinned view counts by other rules
    than run 2's own view did, and says so; pinned to the retag itself, it does not."""
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        warehouse.write_run({**_run(3, CURRENT[1], 0), "kind": "retag", "tagger_version": "2.0+retag"})
        for table in ("article_countries", "article_topics"):
            warehouse.con.execute(f"UPDATE {table} SET tagger_version = ?", ["2.0+retag"])
        publish(warehouse.con, home)
    with open_snapshot(home) as con:
        assert [queries.run_facts(con, run)["rederived"] for run in (1, 2, 3)] == [["2.0+retag"]] * 2 + [[]]
        assert queries.run_facts(con, 4) is None
    app = open_page(monkeypatch, home, ROUTE["overview"], {**CURRENT_PARAMS, "as_of": "2"})
    assert notices(app) == [f"{PINNED} Tags were re-derived since: they now carry tagger version `2.0+retag`, where "
                            f"this run stored {transforms.inline_code(TAGGER)}, so numbers may differ from what that "
                            "run showed."]
    retag = open_page(monkeypatch, home, ROUTE["overview"], {**CURRENT_PARAMS, "as_of": "3"})
    assert notices(retag) == ["As of run 3 (finished 2025-03-14 11:00 UTC): articles stored later are left out."]


def rederived_by_the_rule(con, run: int) -> list[str]:
    """run_facts' `rederived` read off the rows in Python: the tag versions of the articles stored up to `run` that
    differ from the version of their storing run, or of the last retag up to `run` when that came later."""
    runs = dict(con.execute("SELECT run_id, tagger_version FROM runs").fetchall())
    retags = [run_id for (run_id,) in con.execute("SELECT run_id FROM runs WHERE kind = 'retag'").fetchall()]
    last_retag = max((run_id for run_id in retags if run_id <= run), default=0)
    stored_by = {(article_id, day): run_id for article_id, day, run_id in
                 con.execute("SELECT article_id, day, run_id FROM articles").fetchall()}
    tags = con.execute("SELECT article_id, day, tagger_version FROM article_countries "
                       "UNION ALL SELECT article_id, day, tagger_version FROM article_topics").fetchall()
    return sorted({version for article_id, day, version in tags if stored_by[article_id, day] <= run
                   and version != runs[max(stored_by[article_id, day], last_retag)]})


@pytest.mark.parametrize("seed", range(4))
def test_what_a_pin_calls_re_derived_follows_the_rule_through_runs_and_retags(tmp_path, seed):
    """Two retags and an ingest between them, each article stored by one of the ingest runs and its tags of any
    version (some a retag left behind): run_facts says of every run what the rule read in Python says."""
    rng = random.Random(seed)
    home = build_home(tmp_path / "home")
    versions = [TAGGER, "2.0+retag", "3.0+new", "4.0+retag"]
    with Warehouse(home.writer_db) as warehouse:
        for run_id, kind, version in ((3, "retag", versions[1]), (4, "ingest", versions[2]), (5, "retag", versions[3])):
            warehouse.write_run({**_run(run_id, CURRENT[1], 0), "kind": kind, "tagger_version": version})
        for article_id, day in warehouse.con.execute("SELECT article_id, day FROM articles").fetchall():
            warehouse.con.execute("UPDATE articles SET run_id = ? WHERE article_id = ? AND day = ?",
                                  [rng.choice([1, 2, 4]), article_id, day])
            for table in ("article_countries", "article_topics"):
                warehouse.con.execute(f"UPDATE {table} SET tagger_version = ? WHERE article_id = ? AND day = ?",
                                      [rng.choice(versions), article_id, day])
        publish(warehouse.con, home)
    with open_snapshot(home) as con:
        said = {run: queries.run_facts(con, run)["rederived"] for run in range(1, 6)}
        assert said == {run: rederived_by_the_rule(con, run) for run in range(1, 6)}
    assert len({tuple(answer) for answer in said.values()}) > 1, said  # runs differ: the pin's run matters


def test_a_pinned_view_opens_other_pages_pinned(monkeypatch, copies_home):
    """A click through (here the keyboard's way to a bar's day) carries the sidebar's parameters: without the pin, the
    Articles page it opened listed run 3's copies under a pinned Overview's count."""
    app = open_page(monkeypatch, copies_home, ROUTE["overview"], {**CURRENT_PARAMS, "as_of": "2"})
    switched = []  # the URL the other page opens on, as the browser gets it (AppTest's session keeps the sidebar)
    switch_page = st.switch_page
    monkeypatch.setattr(st, "switch_page", lambda page, query_params: switched.append(query_params)
                        or switch_page(page, query_params=query_params))
    chooser = next(box for box in app.selectbox if box.label == "List a day's articles")
    chooser.select(chooser.options[0]).run()
    assert [title.value for title in app.title] == ["Articles"]
    assert [params.get("as_of") for params in switched] == [["2"]]
    assert app.query_params["as_of"] == "2" and notices(app) == [PINNED]


def test_export_as_of_a_run_writes_the_rows_that_run_had(copies_home, factory_home, tmp_path):
    """`export --as-of RUN` is the dashboard's pin: run 3's copies and a later revision are left out, and the file is
    the one an export of a home holding runs 1 and 2 alone writes."""
    period = ["--since", CURRENT_PARAMS["from"], "--until", CURRENT_PARAMS["to"], "--format", "csv", "--output", "-"]
    for table in ("articles", "article_pairs"):
        then = cli_csv(factory_home, "export", "--table", table, *period)
        assert cli_csv(copies_home, "export", "--table", table, "--as-of", "2", *period).equals(then), table
        assert len(cli_csv(copies_home, "export", "--table", table, *period)) == len(then) + 3, table
    home = build_home(tmp_path / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_revisions(warehouse, home, [{"article_id": "c2", "day": date(2025, 3, 9), "feed_id": "wire",
                                           "title": "Corrected", "text": "Iran, not North Korea.", "url": None,
                                           "content_hash": "h1"}], CURRENT[1])
    for as_of, revisions in ((["--as-of", "2"], 0), ([], 1)):
        assert len(cli_csv(home, "export", "--table", "article_revisions", *as_of, *period)) == revisions
        sentences = cli_csv(home, "export", "--table", "pair_sentences", "--pair", "PRK-RUS", *as_of, *period)
        assert sentences.set_index("article_id").at["c2", "revisions"] == str(revisions)


@pytest.mark.parametrize("asked, code, said", [("99", 1, "--as-of 99: no such run in the published snapshot"),
                                               ("0", 2, "Invalid value for '--as-of'"),
                                               ("abc", 2, "Invalid value for '--as-of'"),
                                               ("9" * 30, 2, "Invalid value for '--as-of'")])
def test_export_as_of_no_run_of_the_home_is_refused(factory_home, asked, code, said):
    result = CliRunner().invoke(cli, ["--home", str(factory_home.root), "export", "--as-of", asked, "--format", "csv",
                                      "--output", "-"])
    assert result.exit_code == code and said in result.output and not result.stdout.startswith("article_id")


def test_a_caption_naming_the_filters_names_the_pin():
    """Trends and Topics say which filters their counts pass: a pinned view's lines leave later articles out too."""
    pinned = queries.Scope(*CURRENT, countries=("PRK",), as_of=2)
    assert transforms.filters_in_words(pinned) == "countries `PRK` · articles stored after run 2 left out"


def test_the_alerts_page_says_a_pin_does_not_apply_to_alerts(monkeypatch, copies_home):
    """Alerts are screened over every stored article: a pinned link must not pass them off as the run's."""
    app = open_page(monkeypatch, copies_home, ROUTE["alerts"], {**CURRENT_PARAMS, "as_of": "2"})
    assert [caption.value for caption in app.caption if "Data as of run" in caption.value] == [
        "Alerts are computed over every article stored, also after run 2: \"Data as of run\" does not apply to them "
        "(nor to their evidence)."]
    assert app.query_params["as_of"] == "2"

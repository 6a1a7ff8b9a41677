"""Fixtures for the dashboard: factory homes (real DuckDB files) and AppTest runs of the real entry script."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path

import pytest
from streamlit.runtime.scriptrunner import RerunData
from streamlit.testing.v1 import AppTest, local_script_runner
from streamlit.util import calc_hash

from pipeline.dashboard.routes import ROUTES, Route
from pipeline.home import Home
from pipeline.store.snapshot import publish
from pipeline.store.warehouse import RUN_COLUMNS, Warehouse

from .factory import CURRENT, STORIES, Story, briefings, build_home, quiet_week, write_stories

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "streamlit_app.py"
CURRENT_PARAMS = {"from": CURRENT[0].isoformat(), "to": CURRENT[1].isoformat()}
CROWDED_BRIEFINGS = 600  # crowded_home's briefings on top of the factory's articles: more than a page of the list


@pytest.fixture(scope="session")
def factory_home(tmp_path_factory) -> Home:
    return build_home(tmp_path_factory.mktemp("factory") / "home", demo=True)


@pytest.fixture(scope="session")
def today() -> date:
    return datetime.now(timezone.utc).date()


@pytest.fixture(scope="session")
def today_home(tmp_path_factory, today) -> Home:
    """The factory's articles and its current period's stories again, dated `today` (UTC): a range of today alone
    holds one bucket, not over yet."""
    home = build_home(tmp_path_factory.mktemp("today") / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [replace(story, key=f"t{story.key}", day=today) for story in STORIES
                                        if story.day >= CURRENT[0]], today)
    return home


# An item of an old capture without a usable date, filed under the day it was stored: the current period's last day
UNDATED = Story("u1", CURRENT[1], ("daily",), "Old accord", "North Korea and Russia sign a 2017 military accord.",
                ("military",), "cooperation", undated=True)


@pytest.fixture(scope="session")
def undated_home(tmp_path_factory) -> Home:
    """The factory's articles and UNDATED: PRK-RUS has 5 articles in the current period, 4 of them dated (1 -> 5 rises
    against a busier week before)."""
    home = build_home(tmp_path_factory.mktemp("undated") / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [UNDATED, *quiet_week(20)], CURRENT[1])
    return home


# A pair named only in lists of countries (IRN-JPN, in 6 articles of the current period) and one its sentences relate
# (CHN-JPN, 6): the first is what "Leave out list-only pairs" drops. One more article is about Iran and Japan with no
# sentence naming both: it is no list, and it still pairs them with the switch on.
LIST_ONLY = [Story(f"l{n}", CURRENT[0] + timedelta(days=n), ("wire",), f"Buyers {n}", "Japan, Iran and Peru buy oil.",
                   listed=True) for n in range(6)]
RELATED = [Story(f"j{n}", CURRENT[0] + timedelta(days=n), ("daily",), f"Deal {n}", "China and Japan sign a trade deal.",
                 ("trade",), "cooperation") for n in range(6)]
ABOUT_BOTH = Story("ab", CURRENT[1], ("wire",), "Oil talks", "Japan talks. Iran listens.", one_sentence=False)


@pytest.fixture(scope="session")
def list_only_home(tmp_path_factory) -> Home:
    """The factory's articles, LIST_ONLY, RELATED and ABOUT_BOTH, against a busier week before (0 -> 7 rises)."""
    home = build_home(tmp_path_factory.mktemp("list_only") / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [*LIST_ONLY, *RELATED, ABOUT_BOTH, *quiet_week(40)], CURRENT[1])
    return home


# North Korea named in a sentence that pairs China and Japan too: under Countries = PRK, CHN-JPN is a pair of the
# articles naming PRK that names neither PRK nor the filter's other countries
THIRD_COUNTRIES = Story("t1", CURRENT[0], ("wire",), "Summit", "North Korea, China and Japan hold a summit.",
                        ("diplomacy",), "cooperation")


@pytest.fixture(scope="session")
def third_countries_home(tmp_path_factory) -> Home:
    """The factory's articles and THIRD_COUNTRIES."""
    home = build_home(tmp_path_factory.mktemp("third_countries") / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [THIRD_COUNTRIES], CURRENT[1])
    return home


# One wire story on North Korea and Russia run by three outlets under their own addresses: three articles, one story
WIRE_COPIES = [Story(f"w{n}", CURRENT[0] + timedelta(days=n), (feed,), "Kim visits Moscow",
                     "North Korea and Russia sign a defence pact.", ("military",), "cooperation", story_key="wire-1")
               for n, feed in enumerate(("wire", "daily", "flaky"))]


@pytest.fixture(scope="session")
def copies_home(tmp_path_factory) -> Home:
    """The factory's articles and WIRE_COPIES: PRK-RUS has 7 articles in the current period, 5 stories."""
    home = build_home(tmp_path_factory.mktemp("copies") / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, WIRE_COPIES, CURRENT[1])
    return home


@pytest.fixture(scope="session")
def crowded_home(tmp_path_factory) -> Home:
    """The factory's articles and 600 briefings: more articles in the current period than a page of the list."""
    home = build_home(tmp_path_factory.mktemp("crowded") / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, briefings(CROWDED_BRIEFINGS), CURRENT[1])
    return home


@pytest.fixture(scope="session")
def pair_crowded_home(tmp_path_factory) -> Home:
    """The factory's articles and 650 naming North Korea and Russia in one sentence: more evidence sentences and
    articles than the Pair explorer lists; and as many of the week before naming Japan alone, so that the period holds
    no more articles than the one before and the pair's rise is its own (queries.RISING_Z)."""
    home = build_home(tmp_path_factory.mktemp("pair_crowded") / "home")
    with Warehouse(home.writer_db) as warehouse:
        write_stories(warehouse, home, [*briefings(650, "North Korea and Russia hold talks."), *quiet_week(650)],
                      CURRENT[1])
    return home


@pytest.fixture(scope="session")
def many_pairs_home(tmp_path_factory) -> Home:
    """The factory's articles and 528 pairs of unused codes with two articles each (on 2024-01-01): more than the
    pair lists' 500 busiest, and all busier than the factory's IRN–RUS (one article)."""
    home = build_home(tmp_path_factory.mktemp("many_pairs") / "home")
    codes = [f"Q{chr(65 + n // 26)}{chr(65 + n % 26)}" for n in range(33)]
    with Warehouse(home.writer_db) as warehouse:
        warehouse.con.execute(
            "INSERT INTO article_pairs SELECT 'x' || a.c || b.c || n, DATE '2024-01-01', a.c, b.c, 1, [], 'test' "
            "FROM unnest(?::VARCHAR[]) a(c), unnest(?::VARCHAR[]) b(c), range(2) t(n) WHERE a.c < b.c",
            [codes, codes])
        publish(warehouse.con, home)
    return home


@pytest.fixture()
def empty_home(tmp_path) -> Home:
    """A published snapshot with feeds' schema but not a single article (a first run that found nothing)."""
    home = Home.resolve(tmp_path / "empty").ensure()
    now = datetime(2025, 3, 1, tzinfo=timezone.utc)
    with Warehouse(home.writer_db) as warehouse:
        run = {column: None for column in RUN_COLUMNS} | {
            "run_id": 1, "kind": "ingest", "started_at": now, "finished_at": now, "status": "completed",
            "feeds_polled": 0, "not_modified": 0, "failures": 0, "new_articles": 0, "duplicates": 0}
        warehouse.write_run(run)
        publish(warehouse.con, home)
    return home


@pytest.fixture()
def bare_home(tmp_path) -> Home:
    """A home nobody has ingested into: no snapshot at all."""
    return Home.resolve(tmp_path / "bare").ensure()


def open_page(monkeypatch, home: Home, route: Route, params: dict | None = None, entry: Path = ENTRY) -> AppTest:
    """Run the real entry script (`make run`'s, or `entry`) on `route` with the given URL parameters."""
    monkeypatch.setenv("PACTWATCH_HOME", str(home.root))
    app = AppTest.from_file(str(entry), default_timeout=60)
    app.query_params.update(params or {})
    if route != ROUTES[0]:
        # a link to the page itself, as a browser opens it: AppTest.switch_page only works after a run of the
        # default page, which would also rewrite the link before the page reads it (the hash is st.Page's)
        app._page_hash = calc_hash(route.name)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def history_run(monkeypatch, app: AppTest) -> AppTest:
    """Run `app` on the URL the test set, as the browser's Back or Forward runs it. AppTest has no history: the run it
    starts carries no `is_history_navigation`, which the browser sends, and a page takes a URL as an earlier view only
    in such a run."""
    with monkeypatch.context() as patched:
        patched.setattr(local_script_runner, "RerunData", partial(RerunData, is_history_navigation=True))
        return app.run()


def as_drawn(looks: list, page: str = "light") -> list:
    """A scale's range as drawn on a light or a dark page: a colour of charts.ON_DARK is an expression choosing."""
    choices = [re.fullmatch(r"0\.5 > luminance\(background\) \? '(#\w{6})' : '(#\w{6})'", look["expr"]).groups()
               if isinstance(look, dict) else (look, look) for look in looks]
    return [on_light if page == "light" else on_dark for on_dark, on_light in choices]

"""The pair views' unlisted counts (migration 0045) are the Pair explorer's: with "Hide sentences that only list
the two among other countries" on (its default), its evidence holds the sentences the views count as unlisted, and
hides the rest, on the demo and on a feed's home with undated and listed-only articles."""
from __future__ import annotations

import re

import pytest

from pipeline.dashboard.routes import ROUTES
from pipeline.store.queries import EVIDENCE_LIMIT
from pipeline.store.reader import open_snapshot

from tests.store.test_daily_views import BUILT

from .conftest import open_page

ROUTE = {route.name: route for route in ROUTES}
BUSIEST = 3  # pairs (or pair topics) with the most listing sentences, each opened in the Pair explorer
LISTS_WITH_A_TOPIC = {"demo": False, "feed": True}  # the demo's listing sentences carry no topic word: no pair topic
VIEWS = {"v_pair_indicators_daily": "pair", "v_pair_daily": "pair topic"}
CASES = [pytest.param(name, view, id=f"{name}-{VIEWS[view]}") for name in sorted(BUILT) for view in VIEWS
         if view != "v_pair_daily" or LISTS_WITH_A_TOPIC[name]]


@pytest.fixture(scope="module")
def home(request, tmp_path_factory):
    return BUILT[request.param](tmp_path_factory.mktemp("pair_views") / "home")


def most_listed(con, by_topic: bool) -> list[tuple[str, str | None]]:
    """The BUSIEST pairs (pair topics) in sentences listing the two, chosen from pair_sentences, not the views under
    test: those with sentences of both kinds first."""
    topic = "unnest(CASE WHEN len(topics) = 0 THEN ['(none)'] ELSE topics END)" if by_topic else "NULL"
    return con.execute(f"""
        SELECT pair, topic FROM (SELECT iso_a || '-' || iso_b AS pair, {topic} AS topic, listed FROM pair_sentences)
        WHERE topic IS DISTINCT FROM '(none)' GROUP BY ALL HAVING bool_or(listed)
        ORDER BY least(count(*) FILTER (WHERE listed), count(*) FILTER (WHERE NOT listed)) DESC,
                 count(*) FILTER (WHERE listed) DESC, pair, topic LIMIT ?""", [BUSIEST]).fetchall()


def view_sums(con, view: str, pair: str, topic: str | None) -> tuple:
    """sentences, unlisted sentences, first and last day of `pair` (in sentences of `topic`) in `view`."""
    return con.execute(f"SELECT sum(sentences), sum(unlisted_sentences), min(day), max(day) FROM {view} "
                       f"WHERE pair = ? AND {'topic = ?' if topic else '? IS NULL'}", [pair, topic]).fetchone()


def evidence_counts(app) -> tuple[int, int]:
    """(sentences the evidence holds, downloads included; listing sentences hidden) as its caption says them."""
    caption = next(c.value for c in app.caption if re.match(r"(The newest [\d,]+ of )?[\d,]+ sentences?\b", c.value))
    held = re.match(r"(?:The newest [\d,]+ of )?([\d,]+)", caption).group(1)
    hidden = re.search(r"([\d,]+) listing the two among other countries hidden", caption)
    return int(held.replace(",", "")), int(hidden.group(1).replace(",", "")) if hidden else 0


def evidence(app):
    """The evidence table (each row a sentence)."""
    return next(table.value for table in app.dataframe if "sentence" in table.value.columns)


def opened(monkeypatch, home, pair: str, topic: str | None, first, last):
    params = {"from": first.isoformat(), "to": last.isoformat(), "pair": pair}
    return open_page(monkeypatch, home, ROUTE["pair"], params | ({"topic": topic} if topic else {}))


@pytest.mark.parametrize(("home", "view"), CASES, indirect=["home"])
def test_the_pair_explorer_hides_the_sentences_the_views_leave_out(monkeypatch, home, view):
    """Per pair, v_pair_indicators_daily counts each sentence once; per pair topic, v_pair_daily (the sentences of
    the topic), as the explorer narrowed to that sentence topic does."""
    by_topic = view == "v_pair_daily"
    with open_snapshot(home) as con:
        chosen = most_listed(con, by_topic)
        sums = [view_sums(con, view, pair, topic) for pair, topic in chosen]
    assert len(chosen) == BUSIEST
    for (pair, topic), (sentences, unlisted, first, last) in zip(chosen, sums):
        app = opened(monkeypatch, home, pair, topic, first, last)
        assert evidence_counts(app) == (unlisted, sentences - unlisted), (pair, topic)
        assert len(evidence(app)) == min(unlisted, EVIDENCE_LIMIT)

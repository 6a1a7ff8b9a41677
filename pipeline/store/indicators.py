"""SQL for monitoring signals: daily series for the alert rules, coverage health, alert evidence, indicators.

Everything aggregates in DuckDB and returns small results. The alert engine reads article_pairs (not
v_pair_topic_daily) for its series so they skip the joins the view needs for outlets and cues.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

import duckdb
import pandas as pd

ARTICLE_DAY = "CAST(COALESCE(published_at, first_seen_at) AT TIME ZONE 'UTC' AS DATE)"
NO_TOPIC = "(none)"

# Which rows one series level counts: (key columns, FROM clause). Each row is one article of the series.
LEVEL_SOURCES = {
    "pair_topic": ("p.iso_a, p.iso_b, t.topic", "article_pairs p, unnest(p.topics) AS t(topic)"),
    "pair": ("p.iso_a, p.iso_b, CAST(NULL AS VARCHAR) AS topic", "article_pairs p"),
}
SERIES_COLUMNS = ("iso_a", "iso_b", "topic", "day", "articles")


@dataclass(frozen=True)
class Window:
    """The articles of one series over [first_day, last_day] (topic None: any topic)."""
    iso_a: str
    iso_b: str
    topic: str | None
    first_day: date
    last_day: date


@dataclass(frozen=True)
class Sources:
    """Who published a window's articles: the source-diversity gate's input."""
    articles: int
    outlets: int
    top_outlet: str | None
    top_outlet_articles: int


def day_range(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """First and last article day in the warehouse (None, None when it is empty)."""
    return con.execute(f"SELECT min({ARTICLE_DAY}), max({ARTICLE_DAY}) FROM articles").fetchone()


def coverage_daily(con: duckdb.DuckDBPyConnection, start: date, end: date) -> pd.DataFrame:
    """day, articles, outlets, feeds for every day in [start, end] that has articles."""
    return con.execute("SELECT day, articles, outlets, feeds FROM v_coverage_daily WHERE day BETWEEN ? AND ? "
                       "ORDER BY day", [start, end]).df()


def series_counts(con: duckdb.DuckDBPyConnection, level: str, start: date, end: date, *,
                  active_from: date, min_active: int) -> pd.DataFrame:
    """Daily article counts over [start, end] of every `level` series with >= min_active articles since active_from.

    Only days with articles appear (the caller fills the zeros). Columns: SERIES_COLUMNS.
    """
    keys, source = LEVEL_SOURCES[level]
    return con.execute(
        f"""WITH s AS (SELECT {keys}, p.day FROM {source} WHERE p.day BETWEEN ? AND ?),
        active AS (SELECT iso_a, iso_b, topic FROM s WHERE day >= ? GROUP BY ALL HAVING count(*) >= ?)
        SELECT s.iso_a, s.iso_b, s.topic, s.day, count(*) AS articles
        FROM s JOIN active ON s.iso_a = active.iso_a AND s.iso_b = active.iso_b
                          AND s.topic IS NOT DISTINCT FROM active.topic
        GROUP BY ALL ORDER BY ALL""", [start, end, active_from, min_active]).df()


def pair_articles_before(con: duckdb.DuckDBPyConnection, day: date,
                         pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Articles co-mentioning each pair before `day` (the new-pair rule's history)."""
    if not pairs:
        return {}
    rows = con.execute(
        """WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS iso_a, unnest(?::VARCHAR[]) AS iso_b)
        SELECT w.iso_a, w.iso_b, count(p.article_id) FROM wanted w
        LEFT JOIN article_pairs p ON p.iso_a = w.iso_a AND p.iso_b = w.iso_b AND p.day < ?
        GROUP BY ALL""", [[a for a, _ in pairs], [b for _, b in pairs], day]).fetchall()
    return {(a, b): n for a, b, n in rows}


_WINDOW_ARRAYS = """WITH w AS (
    SELECT unnest(?::INTEGER[]) AS idx, unnest(?::VARCHAR[]) AS iso_a, unnest(?::VARCHAR[]) AS iso_b,
           unnest(?::VARCHAR[]) AS topic, unnest(?::DATE[]) AS first_day, unnest(?::DATE[]) AS last_day)"""
_WINDOW_JOIN = """JOIN article_pairs p ON p.iso_a = w.iso_a AND p.iso_b = w.iso_b
        AND p.day BETWEEN w.first_day AND w.last_day AND (w.topic IS NULL OR list_contains(p.topics, w.topic))"""


def _window_params(windows: Sequence[Window]) -> list:
    return [list(range(len(windows))), [w.iso_a for w in windows], [w.iso_b for w in windows],
            [w.topic for w in windows], [w.first_day for w in windows], [w.last_day for w in windows]]


def window_sources(con: duckdb.DuckDBPyConnection, windows: Sequence[Window]) -> list[Sources]:
    """Article and outlet counts (and the biggest outlet) of each window, in one query."""
    if not windows:
        return []
    rows = con.execute(
        f"""{_WINDOW_ARRAYS},
        per_outlet AS (SELECT w.idx, a.outlet, count(*) AS n FROM w {_WINDOW_JOIN}
                       JOIN articles a USING (article_id) GROUP BY ALL)
        SELECT idx, sum(n)::INTEGER, count(*)::INTEGER, first(outlet ORDER BY n DESC, outlet), max(n)::INTEGER
        FROM per_outlet GROUP BY idx""",
        _window_params(windows)).fetchall()
    found = {idx: Sources(articles, outlets, top, top_n) for idx, articles, outlets, top, top_n in rows}
    return [found.get(i, Sources(0, 0, None, 0)) for i in range(len(windows))]


def evidence_articles(con: duckdb.DuckDBPyConnection, window: Window, limit: int) -> list[dict]:
    """The window's articles, one per outlet first (then a second per outlet, ...), most pair sentences first."""
    return _records(con.execute(
        f"""{_WINDOW_ARRAYS}
        SELECT a.title, a.url, a.outlet, p.day, p.sentences FROM w {_WINDOW_JOIN} JOIN articles a USING (article_id)
        ORDER BY row_number() OVER (PARTITION BY a.outlet ORDER BY p.sentences DESC, p.day DESC, a.article_id),
                 p.sentences DESC, p.day DESC, a.article_id
        LIMIT ?""", _window_params([window]) + [limit]))


def evidence_sentences(con: duckdb.DuckDBPyConnection, window: Window, limit: int) -> list[dict]:
    """Sentences naming both countries in the window (on the topic when there is one), cued ones first."""
    return _records(con.execute(
        """SELECT s.sentence, s.cue, a.outlet, s.day, a.url FROM pair_sentences s JOIN articles a USING (article_id)
        WHERE s.iso_a = ? AND s.iso_b = ? AND s.day BETWEEN ? AND ?
          AND (?::VARCHAR IS NULL OR list_contains(s.topics, ?::VARCHAR))
        ORDER BY s.cue IS NULL, s.day DESC, s.article_id, s.sentence_index
        LIMIT ?""", [window.iso_a, window.iso_b, window.first_day, window.last_day, window.topic, window.topic,
                     limit]))


def _records(result: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [column[0] for column in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


# --- indicators for the dashboard: small frames over a day range ------------------------------------------
def _pair_filter(pairs: Sequence[str]) -> tuple[str, list]:
    return ("(len(?::VARCHAR[]) = 0 OR pair IN (SELECT unnest(?::VARCHAR[])))", [list(pairs), list(pairs)])


def pair_indicators(con: duckdb.DuckDBPyConnection, start: date, end: date, pairs: Sequence[str] = ()) -> pd.DataFrame:
    """Pair x day: articles, sentences, outlets, share of the day, share of either country, lift, PMI, balance."""
    where, params = _pair_filter(pairs)
    return con.execute(
        f"SELECT * FROM v_pair_indicators_daily WHERE day BETWEEN ? AND ? AND {where} ORDER BY day, pair",
        [start, end, *params]).df()


def pair_topic_indicators(con: duckdb.DuckDBPyConnection, start: date, end: date, pairs: Sequence[str] = (),
                          topics: Sequence[str] = ()) -> pd.DataFrame:
    """Pair x topic x day: articles, sentences, outlets, cues and balance, share of the day's articles."""
    where, params = _pair_filter(pairs)
    return con.execute(
        f"""WITH totals AS (SELECT {ARTICLE_DAY} AS day, count(*) AS all_articles FROM articles
                            WHERE {ARTICLE_DAY} BETWEEN ? AND ? GROUP BY ALL)
        SELECT v.*, v.articles / t.all_articles AS share_of_day,
               (v.cooperation - v.confrontation) / nullif(v.cooperation + v.confrontation, 0) AS balance
        FROM v_pair_topic_daily v JOIN totals t USING (day)
        WHERE v.day BETWEEN ? AND ? AND {where}
          AND (len(?::VARCHAR[]) = 0 OR v.topic IN (SELECT unnest(?::VARCHAR[])))
        ORDER BY v.day, v.pair, v.topic""",
        [start, end, start, end, *params, list(topics), list(topics)]).df()


def country_indicators(con: duckdb.DuckDBPyConnection, start: date, end: date,
                       countries: Sequence[str] = ()) -> pd.DataFrame:
    """Country x day: articles, focus articles, distinct outlets, share of the day's articles."""
    return con.execute(
        f"""WITH totals AS (SELECT {ARTICLE_DAY} AS day, count(*) AS all_articles FROM articles
                            WHERE {ARTICLE_DAY} BETWEEN ? AND ? GROUP BY ALL)
        SELECT c.iso3, c.day, count(*) AS articles, count(*) FILTER (WHERE c.is_focus) AS focus_articles,
               count(DISTINCT a.outlet) AS outlets, count(*) / any_value(t.all_articles) AS share_of_day
        FROM article_countries c JOIN articles a USING (article_id) JOIN totals t ON t.day = c.day
        WHERE c.day BETWEEN ? AND ?
          AND (len(?::VARCHAR[]) = 0 OR c.iso3 IN (SELECT unnest(?::VARCHAR[])))
        GROUP BY c.iso3, c.day ORDER BY c.day, c.iso3""",
        [start, end, start, end, list(countries), list(countries)]).df()

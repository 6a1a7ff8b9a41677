"""SQL for monitoring signals: daily series for the alert rules, coverage health, alert evidence, indicators.

Everything aggregates in DuckDB and returns small results. The alert engine reads article_pairs (not
v_pair_topic_daily) for its series so they skip the joins the view needs for outlets and cues.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

import duckdb
import numpy as np
import pandas as pd

from .queries import DATED, cue_words_sql, mention_spans_sql, story_of

# Where the data can start, as v_coverage_daily's calendar has it: a day before is no news day but a legacy "no date"
# (.NET's 0001-01-01), filed as given before migration 0009; as the first day it voided the warm-up and made every
# day since a healthy day without articles.
EARLIEST_DAY = date(1900, 1, 1)
EVIDENCE_POOL = 4  # evidence articles are picked for outlet variety among the top 4 x limit of a window
# The rows one series level counts, one per article of the series (topic NULL at pair level). unnest in
# the select list, not as a lateral join: 25x faster on article_pairs at 1M articles.
LEVEL_ROWS = {
    "pair_topic": "SELECT iso_a, iso_b, unnest(topics) AS topic, day FROM article_pairs",
    "pair": "SELECT iso_a, iso_b, CAST(NULL AS VARCHAR) AS topic, day FROM article_pairs",
}


@dataclass(frozen=True)
class WindowStories:
    """The stories a window's articles are (article_stories): copies of one story count once."""
    articles: int
    stories: int
    top_story_title: str | None = None  # the story of most articles in the window (a tie: the larger story_id)
    top_story_articles: int = 0
    top_story_outlets: int = 0

    @property
    def copies(self) -> int:
        """Articles beyond each story's first: what counting stories instead of articles takes away."""
        return self.articles - self.stories


@dataclass(frozen=True)
class Window:
    """The articles of one series over [first_day, last_day] (topic None: any topic)."""
    iso_a: str
    iso_b: str
    topic: str | None
    first_day: date
    last_day: date


def day_range(con: duckdb.DuckDBPyConnection, stray_days: int | None = None) -> tuple[date | None, date | None]:
    """First and last article day in the warehouse from EARLIEST_DAY on (None, None when it holds none); with
    `stray_days`, days with articles fewer than that, followed by a silence longer than that (days without an
    article), are not where the data starts: one old item of an archive, years before the rest. A silence after more
    days than that is an outage of the data, whose days before stay its history."""
    if stray_days is None:
        return con.execute("SELECT min(day), max(day) FROM articles WHERE day >= ?", [EARLIEST_DAY]).fetchone()
    return con.execute(
        "SELECT coalesce(max(day) FILTER (WHERE day - previous > ? + 1 AND days_before < ?), min(day)), max(day) "
        "FROM (SELECT day, lag(day) OVER (ORDER BY day) AS previous, "
        "             row_number() OVER (ORDER BY day) - 1 AS days_before "
        "      FROM (SELECT DISTINCT day FROM articles WHERE day >= ?))",
        [stray_days, stray_days, EARLIEST_DAY]).fetchone()


def coverage_daily(con: duckdb.DuckDBPyConnection, start: date, end: date) -> pd.DataFrame:
    """day_index (days since `start`), articles, outlets, feeds for the days in [start, end] that
    v_coverage_daily lists (from the first article day to the last run's, with 0 for a day without articles)."""
    return con.execute(
        """SELECT (day - ?::DATE)::INTEGER AS day_index, articles, outlets, feeds FROM v_coverage_daily
        WHERE day BETWEEN ? AND ? ORDER BY day""", [start, start, end]).df()


def series_counts(con: duckdb.DuckDBPyConnection, level: str, start: date, end: date, *,
                  active_from: date, min_active: int) -> pd.DataFrame:
    """Daily article counts over [start, end] of every `level` series with >= min_active articles since active_from.

    Columns iso_a, iso_b, topic, day_index (days since `start`), articles; only days with articles appear.
    """
    return con.execute(
        f"""WITH s AS (SELECT * FROM ({LEVEL_ROWS[level]}) WHERE day BETWEEN ? AND ?),
        active AS (SELECT iso_a, iso_b, topic FROM s WHERE day >= ? GROUP BY ALL HAVING count(*) >= ?)
        SELECT s.iso_a, s.iso_b, s.topic, (s.day - ?::DATE)::INTEGER AS day_index, count(*) AS articles
        FROM s JOIN active ON s.iso_a = active.iso_a AND s.iso_b = active.iso_b
                          AND s.topic IS NOT DISTINCT FROM active.topic
        GROUP BY ALL ORDER BY ALL""", [start, end, active_from, min_active, start]).df()


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


def series_outlet_days(con: duckdb.DuckDBPyConnection, keys: Sequence[tuple[str, str, str | None]], start: date,
                       end: date) -> dict[str, np.ndarray]:
    """Each series' articles per day and outlet over [start, end], as columns `series` (index into `keys`),
    `day` (days since `start`), `outlet`, `articles`, sorted by series and day.

    One pass for every window the source gate judges (and the days before them), instead of a join per window.
    """
    return con.execute(
        """WITH k AS (SELECT unnest(range(len(?::VARCHAR[])))::INTEGER AS series, unnest(?::VARCHAR[]) AS iso_a,
                             unnest(?::VARCHAR[]) AS iso_b, unnest(?::VARCHAR[]) AS topic)
        SELECT k.series, (p.day - ?::DATE)::INTEGER AS day, a.outlet, count(*)::INTEGER AS articles FROM k
        JOIN article_pairs p ON p.iso_a = k.iso_a AND p.iso_b = k.iso_b
            AND (k.topic IS NULL OR list_contains(p.topics, k.topic))
        JOIN articles a ON a.article_id = p.article_id AND a.day = p.day
        WHERE p.day BETWEEN ? AND ? AND a.day BETWEEN ? AND ? GROUP BY ALL ORDER BY k.series, day""",
        [[key[0] for key in keys], [key[0] for key in keys], [key[1] for key in keys], [key[2] for key in keys],
         start, start, end, start, end],
    ).fetchnumpy()


def undated_and_outlets(con: duckdb.DuckDBPyConnection, windows: Sequence[Window]) -> list[tuple[int, int]]:
    """Per window, (its articles without a usable publication date of their own, its distinct outlets). The first
    are filed on the day they were first stored, so a backlog (a feed added, a replay of old captures) can make a
    rise that no news of those days made; one outlet can make one too."""
    found = {index: (undated, outlets) for index, undated, outlets in con.execute(
        f"""{_WINDOW_ARRAYS}
        SELECT w.idx, count(*) FILTER (WHERE NOT ({DATED.format("a")})), count(DISTINCT a.outlet) FROM w {_WINDOW_JOIN}
        JOIN articles a ON a.article_id = p.article_id AND a.day = p.day
        GROUP BY w.idx""", _window_params(windows)).fetchall()}
    return [found.get(index, (0, 0)) for index in range(len(windows))]


def window_stories(con: duckdb.DuckDBPyConnection, windows: Sequence[Window]) -> list[WindowStories]:
    """Per window, the stories its articles are, and the story most of them are copies of."""
    join, story = story_of(con, "p")
    found = {row[0]: WindowStories(*row[1:]) for row in con.execute(
        f"""{_WINDOW_ARRAYS},
        copies AS (SELECT w.idx, {story} AS story_id, a.outlet, a.title FROM w {_WINDOW_JOIN} {join}
                   JOIN articles a ON a.article_id = p.article_id AND a.day = p.day),
        per_story AS (SELECT idx, story_id, count(*) AS articles, count(DISTINCT outlet) AS outlets,
                             min(title) AS title FROM copies GROUP BY ALL)
        SELECT idx, sum(articles)::BIGINT, count(*), arg_max(title, (articles, story_id)),
               max(articles), arg_max(outlets, (articles, story_id))
        FROM per_story GROUP BY idx""", _window_params(windows)).fetchall()}
    return [found.get(index, WindowStories(0, 0)) for index in range(len(windows))]


# The order in which a sample visits the days of a window holding evidence: its first, its last (the day the alert
# fired), then back from the last. From the first day alone, a 7-day window's five items would never reach its peak;
# from the last alone, none would show how the rise began.
_DAY_TURN = "CASE WHEN day = first_seen THEN 0 WHEN day = last_seen THEN 1 ELSE 2 + (last_seen - day) END"
_SEEN_DAYS = "min({day}) OVER (PARTITION BY w.idx) AS first_seen, max({day}) OVER (PARTITION BY w.idx) AS last_seen"


def evidence_articles(con: duckdb.DuckDBPyConnection, windows: Sequence[Window], limit: int) -> list[list[dict]]:
    """Per window, its articles: one per outlet first (then a second per outlet, ...), and among those the window's
    days in turn (`_DAY_TURN`), the one with the most pair sentences first within a day.

    The pool comes from article_pairs alone; titles and outlets are then fetched for those articles only.
    """
    pool = con.execute(
        f"""{_WINDOW_ARRAYS},
        ranked AS (SELECT w.idx, p.article_id, p.day, p.sentences, {_SEEN_DAYS.format(day="p.day")}, row_number() OVER (
                       PARTITION BY w.idx, p.day ORDER BY p.sentences DESC, p.article_id) AS day_rank
                   FROM w {_WINDOW_JOIN}),
        turned AS (SELECT *, {_DAY_TURN} AS turn FROM ranked)
        SELECT idx, article_id, day, sentences FROM turned
        QUALIFY row_number() OVER (PARTITION BY idx ORDER BY day_rank, turn, article_id) <= ?
        ORDER BY idx, day_rank, turn, article_id""",
        _window_params(windows) + [limit * EVIDENCE_POOL]).fetchall()
    about = _articles_by_id(con, {article_id: day for _, article_id, day, _ in pool})
    grouped: list[list[dict]] = [[] for _ in windows]
    for idx, article_id, day, sentences in pool:
        grouped[idx].append({**about[article_id], "day": day, "sentences": sentences, "article_id": article_id})
    return [_one_per_outlet_first(found)[:limit] for found in grouped]


def _one_per_outlet_first(articles: list[dict]) -> list[dict]:
    seen: dict[str, int] = {}
    ranked = []
    for rank, article in enumerate(articles):
        seen[article["outlet"]] = seen.get(article["outlet"], 0) + 1
        ranked.append((seen[article["outlet"]], rank, article))
    return [article for _, _, article in sorted(ranked, key=lambda item: item[:2])]


def evidence_sentences(con: duckdb.DuckDBPyConnection, windows: Sequence[Window], limit: int) -> list[list[dict]]:
    """Per window, sentences naming both countries (on the window's topic when it has one): the window's days in turn
    (`_DAY_TURN`), a cued sentence first within a day; with `cue_words`: the words that decided its cue (none when it
    has none, or was tagged before migration 0042), `spans`: the two countries' mentions as [start, end) offsets
    in the sentence, for highlighting, and `article_id`: its article's, as the evidence articles name theirs (a quoted
    sentence is joined back to its article by it, not by its URL)."""
    found = con.execute(
        f"""{_WINDOW_ARRAYS},
        ranked AS (
            SELECT w.idx, s.*, {_SEEN_DAYS.format(day="s.day")}, row_number() OVER (PARTITION BY w.idx, s.day
                       ORDER BY s.cue IS NULL, s.article_id, s.field, s.sentence_index) AS day_rank
            FROM w JOIN pair_sentences s ON s.iso_a = w.iso_a AND s.iso_b = w.iso_b
                AND s.day BETWEEN w.first_day AND w.last_day AND (w.topic IS NULL OR list_contains(s.topics, w.topic))),
        chosen AS (SELECT *, {_DAY_TURN} AS turn FROM ranked QUALIFY row_number() OVER (
                       PARTITION BY idx ORDER BY day_rank, turn, article_id, field, sentence_index) <= ?)
        SELECT c.idx, c.article_id, c.sentence, c.cue, coalesce({cue_words_sql(con, "c")}, []) AS cue_words, c.day,
               {mention_spans_sql("c", "mentions")} AS spans
        FROM chosen c ORDER BY c.idx, c.day_rank, c.turn, c.article_id, c.field, c.sentence_index""",
        _window_params(windows) + [limit]).fetchall()
    about = _articles_by_id(con, {article_id: day for _, article_id, _, _, _, day, _ in found})
    grouped: list[list[dict]] = [[] for _ in windows]
    for idx, article_id, sentence, cue, cue_words, day, spans in found:
        grouped[idx].append({"sentence": sentence, "cue": cue, "cue_words": cue_words,
                             "outlet": about[article_id]["outlet"], "day": day, "dated": about[article_id]["dated"],
                             "url": about[article_id]["url"], "spans": spans, "article_id": article_id})
    return grouped


def _articles_by_id(con: duckdb.DuckDBPyConnection, days_by_id: dict[str, date]) -> dict[str, dict]:
    """title, url, outlet and `dated` (queries.DATED: its day is its publication day) of a few articles, given their
    days. Articles are stored roughly in day order, so the day range lets DuckDB skip most row groups (articles has
    no key index: see migration 0005): 8 ms for 80 articles over 3 months at 931k articles, against 46 ms without
    it."""
    if not days_by_id:
        return {}
    ids = sorted(days_by_id)
    rows = con.execute(f"SELECT article_id, title, url, outlet, {DATED.format('articles')} FROM articles "
                       "WHERE day BETWEEN ? AND ? "
                       f"AND article_id IN ({', '.join('?' * len(ids))})",
                       [min(days_by_id.values()), max(days_by_id.values()), *ids]).fetchall()
    return {article_id: {"title": title, "url": url, "outlet": outlet, "dated": dated}
            for article_id, title, url, outlet, dated in rows}

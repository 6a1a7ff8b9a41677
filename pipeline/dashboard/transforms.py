"""Pure pandas shaping between the query layer and the charts: no Streamlit, no SQL, unit-testable."""
from __future__ import annotations

import hashlib
import ipaddress
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlencode

import idna
import numpy as np
import pandas as pd

from pipeline.dashboard.routes import ARTICLE, ARTICLES
# the pages word an article's day through these
from pipeline.article_day import day_filed, is_dated, quoted, taken_as, why_undated
from pipeline.controls import one_line
from pipeline.revisions import REVISIONS_KEPT
from pipeline.pairs import pair_codes, parse_code, parse_pair, reversed_pairs_note  # noqa: F401  (the pages parse through transforms)
from pipeline.csv_cells import csv_cell
from pipeline.signals.rules import WEEK, Rule
from pipeline.tagging.text import is_english, sentence_spans

if TYPE_CHECKING:
    from pipeline.store.queries import Scope

PAIR_DASH = "–"  # pairs are displayed as ISO_A–ISO_B (DEVELOPERS.md), keyed as ISO_A-ISO_B in data, URLs and downloads
PAIR_LABEL = re.compile(f"[A-Z]{{3}}{PAIR_DASH}[A-Z]{{3}}")
NORMALIZATIONS = {
    "raw": "Articles",
    "share_all": "Share of all articles",
    "share_either": "Share of articles mentioning either country",
}
METRICS = ("count", "share", "pmi")
_FREQUENCIES = {"day": "D", "week": "W-MON", "month": "MS"}
UNKNOWN = "(unknown)"  # a value the data does not have, shown as such rather than as null
LINK_TEXT = r"^https?://([^/?#]+)"  # the text of a link column: the host (and port) of a `safe_link`
# A link as browsers read it: leading and trailing controls and spaces, and every tab and newline, are dropped; any
# slashes after "https://" lead to the authority, which ends at the first / \ ? or #.
_AUTHORITY = re.compile(r"^(https?)://[/\\]*([^/\\?#]*)([^?#]*)(.*)$", re.IGNORECASE | re.DOTALL)
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_TAB_NEWLINE = dict.fromkeys(map(ord, "\t\n\r"))
_FORBIDDEN_IN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")  # WHATWG's forbidden domain code points


# --- pairs ------------------------------------------------------------------------------------------
def pair_label(key: str) -> str:
    return key.replace("-", PAIR_DASH)


def with_pair_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """A table's columns of pair labels (PRK–RUS) holding the pairs' keys (PRK-RUS), as its downloads write them: the
    CLI (`sql`, `export`, `alerts --json`) and the views key pairs so, and a spreadsheet lookup between a download
    and CLI output matched nothing. A label reads back exactly; a column of other text is left as it is."""
    labelled = [column for column in frame.columns if _holds_pair_labels(frame[column])]
    return frame.assign(**{column: frame[column].str.replace(PAIR_DASH, "-") for column in labelled})


def with_days_as_dates(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`columns` (days: `day`, a trend's `bucket`) as dates, as `export` writes them: a query's DATE arrives as a
    midnight timestamp, which a download's Parquet kept, and a join on `day` with the export's matched nothing."""
    stamped = [column for column in columns if pd.api.types.is_datetime64_any_dtype(frame[column])]
    return frame.assign(**{column: frame[column].dt.date for column in stamped})


def _holds_pair_labels(column: pd.Series) -> bool:
    cells = column.dropna()
    return len(cells) > 0 and cells.map(lambda cell: isinstance(cell, str) and bool(PAIR_LABEL.fullmatch(cell))).all()


# --- time buckets -------------------------------------------------------------------------------------
MONTHLY_AFTER_DAYS = 3 * 366
# Bars in a half-width column (the Pair explorer's two charts, 250 px at 1400 px and 150 px at 800 px) open monthly
# past a year: 140 weekly bars of a 2.7-year range were 1 px each at 800 px, drawn as nothing.
HALF_WIDTH_MONTHLY_AFTER_DAYS = 366
# Time charts open weekly past this many days: daily stacked bars in a half-width column are under 4 px each (ten
# months of them are hairlines), and ten months of daily lines a comb of 0/1 spikes for a country seldom named.
WEEKLY_AFTER_DAYS = 120


def starting_grain(days: int, weekly_after: int = WEEKLY_AFTER_DAYS, monthly_after: int = MONTHLY_AFTER_DAYS) -> str:
    """The grain a time chart opens at for a range of `days`: thousands of daily points take seconds to draw and
    read as noise (15 years of days: 7 s in the browser). A link that names its grain keeps it."""
    return "month" if days > monthly_after else "week" if days > weekly_after else "day"


def buckets(start: date, end: date, grain: str) -> pd.DatetimeIndex:
    """Every bucket start between start and end, aligned like DuckDB's date_trunc (weeks start Monday)."""
    first = pd.Timestamp(start)
    if grain == "week":
        first -= pd.Timedelta(days=first.weekday())
    elif grain == "month":
        first = first.replace(day=1)
    return pd.date_range(first, pd.Timestamp(end), freq=_FREQUENCIES[grain])


def bucket_ends(starts, grain: str) -> pd.DatetimeIndex:
    """The start of the bucket after each of `starts` (a bucket's exclusive end)."""
    return pd.DatetimeIndex(starts) + pd.tseries.frequencies.to_offset(_FREQUENCIES[grain])


def lead_in_days(start: date, rolling: int, grain: str, first_day: date | None) -> tuple[date, date] | None:
    """The days before the range a trailing window of `rolling` buckets reaches into from the range's first bucket:
    the `rolling` - 1 whole buckets before it, from `first_day` (the first day the home holds) on; None when there are
    none. The first bucket itself stays as the range cuts it."""
    if rolling <= 1 or first_day is None:
        return None
    first_bucket = buckets(start, start, grain)[0]
    reached = first_bucket - (rolling - 1) * pd.tseries.frequencies.to_offset(_FREQUENCIES[grain])
    days = (max(reached.date(), first_day), first_bucket.date() - timedelta(days=1))
    return days if days[0] <= days[1] else None


def bucket_days(start: date, grain: str, within: tuple[date, date] | None = None) -> tuple[date, date]:
    """The first and last day of the day, week or month starting `start`, cut to `within` (the date range) when
    given: a bucket the range cuts counts only its days inside it."""
    last = bucket_ends([start], grain)[0].date() - timedelta(days=1)
    return (max(start, within[0]), min(last, within[1])) if within else (start, last)


def years_from(day: date, years: int) -> date:
    """`day` moved by whole calendar years, as Streamlit's date picker counts its reach (29 February to the 28th): a
    count of days is a day short of ten years whenever the decade holds three leap days."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def bucket_coverage(start: date, end: date, grain: str, today: date | None = None) -> pd.DataFrame:
    """bucket, days_in_range, days_in_bucket: how many of each bucket's days the date range covers whole.

    The first and last buckets are cut by the range (a month holding only Aug 31): their counts are not
    comparable with whole buckets, and the charts mark them instead of drawing them as real values. So is the
    bucket holding `today` (UTC), when given: today's articles are still arriving, and later days have none yet.
    """
    starts = buckets(start, end, grain)
    ends = bucket_ends(starts, grain)
    first, last = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    now = pd.Timestamp(today) if today is not None else last
    covered = [max((min(stop, last, now) - max(begin, first)).days, 0) for begin, stop in zip(starts, ends)]
    holds_today = [begin <= now < stop and now < last for begin, stop in zip(starts, ends)]
    return pd.DataFrame({"bucket": starts, "days_in_range": covered, "days_in_bucket": (ends - starts).days,
                         "holds_today": holds_today})


def partial_note(days_in_range: int, days_in_bucket: int, holds_today: bool = False) -> str:
    """Why a bucket is not comparable with whole ones ('' when it is whole)."""
    if holds_today:
        return "not over yet: holds today (UTC)"
    if days_in_range == 0:
        return "not begun yet (UTC)"
    return f"partial: {days_in_range} of {days_in_bucket} days" if days_in_range < days_in_bucket else ""


def coverage_notes(coverage: pd.DataFrame) -> list[str]:
    """partial_note for each row of a frame carrying bucket_coverage's columns."""
    return [partial_note(days, of_days, today) for days, of_days, today in
            zip(coverage["days_in_range"], coverage["days_in_bucket"], coverage["holds_today"])]


def with_partial_notes(frame: pd.DataFrame, start: date, end: date, grain: str,
                       today: date | None = None) -> pd.DataFrame:
    """Add `note` to rows per `bucket`: why the bucket is not whole (`bucket_coverage`, `partial_note`), else ''."""
    coverage = bucket_coverage(start, end, grain, today)
    notes = coverage.assign(note=coverage_notes(coverage))[["bucket", "note"]]
    merged = frame.assign(bucket=pd.to_datetime(frame["bucket"])).merge(notes, on="bucket", how="left")
    return merged.assign(note=merged["note"].fillna(""))


def complete(frame: pd.DataFrame, start: date, end: date, grain: str, time_col: str, value_col: str,
             group_col: str | None = None, groups: list[str] | None = None, today: date | None = None) -> pd.DataFrame:
    """Add the missing buckets (per group) with value 0, so lines drop to zero instead of bridging gaps,
    and how many of each bucket's days the range covers (`bucket_coverage`)."""
    coverage = bucket_coverage(start, end, grain, today).rename(columns={"bucket": time_col})
    keys = groups if groups is not None else (sorted(frame[group_col].unique()) if group_col else None)
    data = frame.assign(**{time_col: pd.to_datetime(frame[time_col])})
    if group_col is None:
        full = coverage
        on = [time_col]
    else:
        # typed as text: no keys (a warehouse without topics) made a float column the merge below refused
        full = coverage.merge(pd.DataFrame({group_col: pd.Series(keys, dtype=object)}), how="cross")
        on = [time_col, group_col]
    merged = full[on].merge(data[on + [value_col]], on=on, how="left")
    merged[value_col] = merged[value_col].fillna(0).astype(int)
    return merged.merge(coverage, on=time_col)


LOW_VOLUME_SHARE = 0.25  # a day under this share of the median day is flagged "low volume"
LOW_VOLUME_MIN_MEDIAN = 4  # below this median, a day of one article against two is noise, not a gap


def ingest_gaps(volume: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """day, reason: days inside the ingest history with no run, or with far fewer articles than usual.

    `volume` is complete (day, articles). Days before the first or after the last run are not gaps:
    backfilled articles predate the first run.
    """
    gaps = []
    run_days = set(pd.to_datetime(runs["day"])) if len(runs) else set()
    median = volume["articles"].median() if len(volume) else 0
    for day, articles in zip(pd.to_datetime(volume["day"]), volume["articles"]):
        if run_days and min(run_days) < day < max(run_days) and day not in run_days:
            gaps.append((day, "no ingest run"))
        elif median >= LOW_VOLUME_MIN_MEDIAN and articles < LOW_VOLUME_SHARE * median:
            gaps.append((day, f"low volume ({articles} vs median {median:g})"))
    return pd.DataFrame(gaps, columns=["day", "reason"])


def ingest_gaps_note(gaps: pd.DataFrame) -> str:
    """How many flagged days are of each kind ("1 day(s) without an ingest run and 2 far below the usual volume"): the
    caption said "no ingest run that day, or far below the usual volume", and only the shading's colour told which."""
    kinds = gaps["reason"].str.replace(r" \(.*", "", regex=True).value_counts()
    said = {"no ingest run": "without an ingest run", "low volume": "far below the usual volume"}
    present = [(kinds[kind], words) for kind, words in said.items() if kind in kinds]
    return " and ".join(f"{count} {'' if index else 'day(s) '}{words}" for index, (count, words) in enumerate(present))


# --- trends -------------------------------------------------------------------------------------------
def normalize(counts: pd.DataFrame, denominators: pd.DataFrame | None, mode: str) -> pd.DataFrame:
    """bucket, series, value: counts as raw numbers or as a share of the matching denominator.

    A share with nothing to divide by (no article in the bucket, or none naming either country) is NaN, not 0 %:
    drawn as 0 it would read as a collapse, and pull a rolling mean down (`smooth` averages the buckets that have
    one). A denominator per series (a pair's articles naming either country) is kept as `naming_either`, so the table
    shows what the share divides by: `articles` and `all_articles` do not give it.
    """
    if mode == "raw" or denominators is None:
        return counts.assign(value=counts["articles"].astype(float))
    per_series = "series" in denominators.columns
    on = ["bucket", "series"] if per_series else ["bucket"]
    merged = counts.merge(denominators.rename(columns={"articles": "total"}), on=on, how="left")
    share = merged["articles"] / merged["total"].where(merged["total"] > 0)
    if per_series:
        return merged.assign(value=share, total=merged["total"].fillna(0).astype(int)).rename(
            columns={"total": "naming_either"})
    return merged.drop(columns="total").assign(value=share)


def with_all_articles(counts: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Add `all_articles` to a trend frame (from `complete`): the articles stored in each bucket whatever they name
    (`stored`: bucket, articles), 0 where nothing was stored, so `smooth` can tell a gap in coverage from a zero."""
    per_bucket = stored.assign(bucket=pd.to_datetime(stored["bucket"])).rename(columns={"articles": "all_articles"})
    merged = counts.merge(per_bucket, on="bucket", how="left")
    return merged.assign(all_articles=merged["all_articles"].fillna(0).astype(int))


# What each share divides by, as the trend frame holds it (`data.trend`): a rolling share is the window's articles
# over the window's denominators, not a mean of the buckets' shares, where a bucket of 2 articles would weigh as much
# as one of 40.
SHARE_OF = {"share_all": "all_articles", "share_either": "naming_either"}


def smooth(trend: pd.DataFrame, rolling: int, grain: str, share_of: str | None = None) -> pd.DataFrame:
    """Add `plotted` (per series, over the trailing `rolling` buckets: the mean of `value`, or for a share, the
    buckets' `articles` over their `share_of` column summed) and `note`, which says why a point is not comparable with
    the others ('' when it is): its bucket is cut by the date range or holds no article at all (`all_articles` 0, when
    the frame has it: no feed covered it, so its zero is no news of a fall), or its window covers fewer than `rolling`
    buckets or such a bucket.

    `trend` comes from `complete` (bucket, series, value, days_in_range, days_in_bucket).
    """
    ordered = trend.sort_values(["series", "bucket"], kind="stable")

    def trailing(column: pd.Series, how: str) -> pd.Series:
        return column.groupby(ordered["series"]).transform(
            lambda values: getattr(values.rolling(rolling, min_periods=1), how)())

    cut = coverage_notes(ordered)
    uncovered = ordered["all_articles"].eq(0) if "all_articles" in ordered else pd.Series(False, index=ordered.index)
    whole = pd.Series([note == "" for note in cut], index=ordered.index).astype(int)
    averaged, whole_averaged, uncovered_averaged = (
        trailing(ordered["value"], "count"), trailing(whole, "sum"), trailing(uncovered.astype(int), "sum"))
    window = "mean" if share_of is None else "share"
    notes = []
    for cut_note, empty, buckets_averaged, whole_buckets, empty_buckets in zip(
            cut, uncovered, averaged, whole_averaged, uncovered_averaged):
        if cut_note:
            notes.append(cut_note)
        elif empty:
            notes.append(f"no article at all stored for this {grain}: a gap in the feeds, not a zero")
        elif not buckets_averaged:
            notes.append("no article to take a share of")
        elif buckets_averaged < rolling:
            notes.append(f"{window} of {buckets_averaged:g} of {rolling} {grain}s")
        elif whole_buckets < rolling:
            notes.append(f"{window} includes a partial {grain}")
        elif empty_buckets:
            notes.append(f"{window} includes a {grain} without any article stored")
        else:
            notes.append("")
    return ordered.assign(plotted=_trailing_value(ordered, trailing, share_of), note=notes).sort_index()


def _trailing_value(ordered: pd.DataFrame, trailing: Callable[[pd.Series, str], pd.Series],
                    share_of: str | None) -> pd.Series:
    if share_of is None:
        return trailing(ordered["value"], "mean")
    shared = ordered["value"].notna()  # a bucket with nothing to divide by adds nothing to either sum
    denominators = trailing(ordered[share_of].where(shared, 0).astype(float), "sum")
    return trailing(ordered["articles"].where(shared, 0).astype(float), "sum") / denominators.where(denominators > 0)


def series_meeting(trend: pd.DataFrame, start: date, series: str) -> list[str]:
    """The series of `trend` (from `smooth`) whose point of the bucket starting `start` is where `series`' is (the
    same `plotted` value), `series` among them, in the frame's order. Points drawn one over the other are clicked as
    the top one alone (Vega's nearest point), and the lines under it were out of reach."""
    at = trend[trend["bucket"] == pd.Timestamp(start)]
    picked = at.loc[at["series"] == series, "plotted"]
    meeting = at.loc[np.isclose(at["plotted"], picked.iloc[0]), "series"] if len(picked) else []
    return list(dict.fromkeys([*meeting, series]))


def trend_table(trend: pd.DataFrame, normalization: str, rolling: int, grain: str) -> tuple[pd.DataFrame, list[str]]:
    """(the table under a trend chart, its columns holding shares): each column named for what it holds.

    Shares stay fractions (exact in the downloads) and are shown as percentages, like the chart's axis; a
    rolling window (`smooth`: a mean of counts, a share of the window's articles) gets a column of its own beside the
    bucket's value.
    """
    value_column = "articles" if normalization == "raw" else normalization
    mean_column = f"{value_column}_{'mean_of' if normalization == 'raw' else 'over'}_{rolling}_{grain}s"
    shown = trend.drop(columns="holds_today")  # the note says so
    shown = shown.drop(columns="value") if normalization == "raw" else shown.rename(columns={"value": value_column})
    shown = shown.rename(columns={"plotted": mean_column}) if rolling > 1 else shown.drop(columns="plotted")
    shares = [] if normalization == "raw" else [c for c in (value_column, mean_column) if c in shown.columns]
    return shown, shares


def stack_spans(frame: pd.DataFrame, value: str, group: str) -> pd.DataFrame:
    """Add stack_start and stack_end: each row's span in its bucket's stack, groups in alphabetical order
    from the bottom (bars drawn from a bucket's start to its end are ranged marks, which Vega-Lite does not
    stack itself)."""
    ordered = frame.sort_values(["bucket", group], kind="stable")
    end = ordered.groupby("bucket", sort=False)[value].cumsum()
    return ordered.assign(stack_start=end - ordered[value], stack_end=end).sort_index()


# --- co-occurrence ------------------------------------------------------------------------------------
def matched(rows: pd.DataFrame, other: pd.DataFrame, keys: list[str], value: str) -> pd.Series:
    """`other`'s `value` for each of `rows` by `keys`, 0 where `other` has no such row."""
    found = rows[keys].merge(other[[*keys, value]], on=keys, how="left")[value]
    return found.fillna(0).astype("int64").set_axis(rows.index)


def cut_at(ranked: pd.DataFrame, top_n: int) -> tuple[pd.DataFrame, list[str]]:
    """The first `top_n` countries of a ranking with ties (queries.top_countries), and those tied with the last of
    them that the cut-off leaves out: alphabetical order decided which, so a caption names them."""
    return ranked.head(top_n), list(ranked["iso3"].iloc[top_n:])


TIED_OUT_NAMED = 12  # a narrow filter can tie dozens of countries named once: the caption names the first


def tied_out_note(kept: pd.DataFrame, tied_out: list[str], ranked_by: str = "articles") -> str | None:
    """The countries a tie at the cut-off left out, and the count they tie on: of `ranked_by` ("articles with a
    topic", on the Topics page: an India named in 216 articles read as named in 214)."""
    if not tied_out:
        return None
    last = kept.iloc[-1]
    more = len(tied_out) - TIED_OUT_NAMED
    named = ", ".join(tied_out[:TIED_OUT_NAMED]) + (f" and {more} more" if more > 0 else "")
    return (f"Named in as many {ranked_by} ({last['articles']:,}) as {last['iso3']}, the last of the top {len(kept)}, "
            f"and left out by the cut-off: {named}. Raise \"Top countries\" to include them.")


# Lift from one or two articles together is noise, and the largest there is: two rarely named countries in one
# story would outscore every established pair and set the colour scale for the whole matrix.
MIN_TOGETHER = 5


def cooccurrence_cells(pairs: pd.DataFrame, totals: pd.DataFrame, universe: int, metric: str,
                       min_together: int = MIN_TOGETHER) -> pd.DataFrame:
    """row, col, pair, together, value: a symmetric matrix of count, share (of articles naming either) or PMI.

    `pairs` has iso_a, iso_b, together and named_both (queries.cooccurrence); articles naming either country
    are n_a + n_b - named_both, not - together: an article can name both without putting them together.

    PMI = log2(P(a,b) / (P(a) P(b))) over articles that mention any country; > 0 means more often together
    than chance would predict. A share and a PMI are NaN (none) for a pair together in fewer than `min_together`
    articles: named together once or twice, a pair's share is 100 % and its lift the matrix's largest by chance (a
    methodologist's review: CHL-NZL, together twice, topped a 30-day matrix at 100 % above CHN-USA's 140 articles).
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}")
    articles = dict(zip(totals["iso3"], totals["articles"]))
    rows = []
    for iso_a, iso_b, together, named_both in pairs[["iso_a", "iso_b", "together", "named_both"]].itertuples(
            index=False):
        n_a, n_b = articles.get(iso_a, 0), articles.get(iso_b, 0)
        if metric == "count":
            value = float(together)
        elif together < min_together:
            value = math.nan
        elif metric == "share":
            value = together / max(n_a + n_b - named_both, 1)
        else:
            value = math.log2(together * universe / (n_a * n_b)) if n_a and n_b else math.nan
        key = f"{iso_a}-{iso_b}"
        rows += [(iso_a, iso_b, key, together, value), (iso_b, iso_a, key, together, value)]
    return pd.DataFrame(rows, columns=["row", "col", "pair", "together", "value"])


# --- alerts -------------------------------------------------------------------------------------------
def alerts_in_scope(alerts: list[dict], scope: Scope) -> list[dict]:
    """The alerts the sidebar's country, pair and topic filters keep: a country filter keeps the pairs naming
    one of its countries, a topic filter the pair × topic alerts of its topics (pair alerts span all topics)."""
    return [alert for alert in alerts
            if (not scope.countries or {alert["iso_a"], alert["iso_b"]} & set(scope.countries))
            and (not scope.pairs or alert["pair"] in scope.pairs)
            and (not scope.topics or alert["topic"] in scope.topics)]


def episode_rows(alerts: list[dict]) -> list[dict]:
    """One row per episode (a pair's alerts whose windows overlap: data.alerts gives them together, the strongest
    first): the strongest alert's, with `topics` naming each topic of the episode, strongest first ("all topics" for
    an alert on the whole pair), and `alerts` counting them."""
    rows: dict[str, dict] = {}
    for alert in alerts:
        row = rows.setdefault(alert["episode"], {**alert, "topics": [], "alerts": 0})
        row["alerts"] += 1
        if (topic := alert["topic"] or "all topics") not in row["topics"]:
            row["topics"].append(topic)
    return [{**row, "topics": ", ".join(row["topics"])} for row in rows.values()]


def alerts_caption(shown: int, raised: int, since: date | None, until: date | None) -> str:
    dates = f"from {since} to {until}" if since and until else "in the last week"
    if shown < raised:
        return f"{shown} of the {raised} alerts raised {dates} pass the filters, newest first."
    return f"{raised} alert{'s' if raised != 1 else ''} raised {dates}, newest first."


def episodes_note(episodes: int, alerts: int) -> str:
    """How many rows the alerts shown make, when a pair's overlapping alerts made fewer ("They are 1 episodes" read
    the page of one)."""
    if episodes >= alerts:
        return ""
    rows = "one episode, one row" if episodes == 1 else f"{episodes} episodes, a row each"
    return f" They are {rows}: a pair's alerts whose windows overlap are one."


# A held series' line whole, as inline code: the copies gate's reason quotes its story's feed title (up to 80
# characters), and the message is an alert, which renders Markdown
HELD_LABEL_CHARS = 300


def no_pairs_message(scope: Scope, topic: str | None, held: tuple[date, date]) -> str:
    """Why the Co-occurrence page has no pair: the range misses the days the home holds (`held`: its first and last),
    or nothing in it names two countries together (the filters were named as the cause where none was set)."""
    if scope.end < held[0] or scope.start > held[1]:
        return f"No article in this date range: the home holds articles from {held[0]} to {held[1]}."
    articles = f"the articles about {topic}" if topic else "the articles"
    where = f"in {articles} that pass these filters" if scope.filtered else f"in {articles} of this date range"
    return f"No two countries are mentioned together {where}."


def no_alerts_message(raised: int, held: list[dict], narrowed: bool, shown: int = 5, kept_out: int = 0) -> str:
    """Why the Alerts page is empty: no series crossed a rule, or a gate held every firing back (as the
    source-diversity gate does on a corpus with one outlet); the firings held back are named, so an analyst can check
    them. `narrowed`: the sidebar names countries, pairs or topics (else there are no filters to count without).
    `kept_out`: series whose rise a rule's floor kept from being tested (listed below the message)."""
    message = (f"No alerts in this date range with these filters ({raised} without the country, pair and topic "
               "filters): " if narrowed else "No alerts in this date range: ")
    below = (f" {kept_out} series rose past a rule's ratio and z but below one of its floors, so no rule tested "
             "them: listed below." if kept_out else "")
    if not held:
        return message + ("no pair or pair × topic series crossed a rule of seeds/alerts.toml. "
                          "Widen the dates to look further back.") + below
    listed = "; ".join(inline_code(alert_label(item), HELD_LABEL_CHARS) for item in held[:shown]) + (
        " …" if len(held) > shown else "")
    return message + (f"rules fired on {len(held)} series but a gate of seeds/alerts.toml held every firing back "
                      f"(too few outlets, one outlet dominating, copies of a few stories, or a coverage gap), so "
                      f"they are not alerts: {listed}.") + below


def alert_label(alert: dict) -> str:
    """The alert's summary with its pair written as everywhere on the dashboard ("CHN–USA", not "CHN-USA")."""
    return alert["summary"].replace(alert["pair"], pair_label(alert["pair"]), 1)


NO_BASELINE_DAYS_SHOWN = 28  # before a new pair's window: its rule holds it against a year of the pair (prior_days)


def days_before_alert(rule: Rule | None) -> int | None:
    """The days before an alert's window its rule's expected count comes from, its baseline weeks (signals/rules.py:
    the weeks right before the window); None for a new pair, whose rule counts the pair's articles over its look-back
    (prior_days), and for a rule the file has dropped since."""
    return rule.baseline_weeks * WEEK if rule is not None and rule.kind != "new_pair" else None


def alert_context(window: tuple[date, date], before: int, stored: tuple[date, date]) -> tuple[date, date]:
    """The days to open an alert's pair on: its window, the `before` days ahead of it (what it rose from) and up to a
    week after it (whether the rise held), within the `stored` days (the first and last with articles), the window
    whole whatever they say."""
    return (min(max(window[0] - timedelta(days=before), stored[0]), window[0]),
            max(min(window[1] + timedelta(days=WEEK), stored[1]), window[1]))


def alert_window_note(alert: dict, before: int | None) -> str:
    """Over the Pair explorer opened from an alert: which of its days the alert counted, and which it was held
    against; opened on more days than the window, the window was nowhere to be seen."""
    window = f"The alert's window: {alert['window_start']} → {alert['day']}"
    if before is None:
        return f"{window} ({alert['rule']})."
    return (f"{window}; the {before} days before it are the baseline its expected count came from "
            f"({alert['current']} articles against {alert['baseline']:.1f} expected, {alert['rule']}).")


# The share of a page's articles without a date of their own past which every page says so: a tenth of the counts
# can move a chart's bar or a pair's rank, and a replay's backlog was 87 % of a home's 90 days
UNDATED_NOTE_SHARE = 0.1


def undated_note(undated: int, total: int) -> str | None:
    """What a page counting articles says when a notable share of them (UNDATED_NOTE_SHARE) sit on the day
    PactWatch first stored them, not the day published; None below it."""
    if not total or undated / total < UNDATED_NOTE_SHARE:
        return None
    return (f"{undated:,} of the {total:,} articles in these dates and filters ({undated / total:.0%}) have no usable "
            "publication date (none, unreadable or in the future): each is counted on the day PactWatch first stored "
            "it, so a new feed's backlog or a replay of old captures can stand out on that day as news. Switch on "
            "the sidebar's \"Leave out undated articles\" to count dated articles only. Said on every page counting "
            f"articles when they are {UNDATED_NOTE_SHARE:.0%} of them or more.")


def english_only_note(other_language: int, total: int, topic_filtered: bool) -> str | None:
    """What a page counting topics, or filtered by topic, says of the articles no topic is read in (in another
    language than English: the lexicons are English), when there are any; None without."""
    if not other_language:
        return None
    kept = "in scope before the Topics filter" if topic_filtered else "in scope"
    return (f"Topics are tagged in English articles only: {other_language:,} of the {total:,} articles {kept} are in "
            "another language, declared or read from their words (they carry countries, not topics), and are not "
            "counted here.")


def article_topics_note(topics: tuple[str, ...], all_topics: bool, pair_topic_chosen: bool) -> str:
    """On the Co-occurrence page filtered by the sidebar's Topics: that it counts by the articles' own topics, where an
    analyst asking for a pair on a topic meant its sentences' (the two lists of partners differ: a review found Turkey
    among Russia's sanctions and finance partners by sentences, and gone by articles)."""
    which = " and ".join(topics) if all_topics else " or ".join(topics)
    pair_topic = ("The Topic above narrows them to the pairs whose sentences carry it" if pair_topic_chosen else
                  "The Topic above counts the pairs by their sentences' topic instead, one topic at a time")
    return (f"Counted among the articles whose own topics include {which} (the sidebar's Topics): a pair named in a "
            f"sentence carrying the topic, in an article about something else, is left out. {pair_topic}.")


def list_only_note(listed: int, total: int, counted_for: str = "a pair") -> str | None:
    """What a page counting pairs says when a notable share (UNDATED_NOTE_SHARE, as of undated articles) of the
    articles it counts for pairs (`counted_for`: "a pair", or the pairs drawn) name the pair only in lists of
    countries; None below it."""
    if not total or listed / total < UNDATED_NOTE_SHARE:
        return None
    return (f"{listed:,} of the {total:,} articles counted for {counted_for} in these dates and filters "
            f"({listed / total:.0%}, an article once per pair) name the two countries only in lists of countries "
            "(\"Russia, China, Iran and North Korea are ...\"), which in hand-labelled news relate the two once in 25. "
            "Switch on the sidebar's \"Leave out list-only pairs\" to count the others only. Said on every page "
            f"counting pairs when they are {UNDATED_NOTE_SHARE:.0%} of them or more.")


def undated_alert_warning(alert: dict) -> str:
    """Under an alert whose window holds articles without a date of their own: they sit on the day first stored."""
    return (f"{alert['undated']:,} of the window's {alert['current']:,} articles have no date of their own: they are "
            "filed on the day PactWatch first stored them, so a new feed's backlog or a replay of old captures, not "
            "news of these days, can make this rise. The evidence's `dated` column leaves them unticked.")


def alert_evidence_captions(alert: dict, articles: int, sentences: int, all_sentences: int) -> tuple[str, str]:
    """(sentences caption, articles caption) under an alert: the evidence is a sample of the window (the rules'
    `evidence_*` settings), which a table of 5 rows under "31 articles" would not say; `all_sentences` the window
    holds."""
    window = f"{alert['window_start']} → {alert['day']}"
    topic = f" about {alert['topic']}" if alert.get("topic") else ""
    sample = ": a sample; the Pair explorer lists them all." if sentences < all_sentences else "."
    return (f"{sentences:,} of the {all_sentences:,} sentences of {window} naming both countries{topic}, a day at a "
            "time (the first, the last, then back from the last), cooperation or confrontation cues first within a day"
            + sample,
            f"{articles:,} of the {alert['current']:,} articles of {window}: one per outlet first, a day at a time as "
            "the sentences, the one with the most sentences naming both countries first within a day.")


# --- evidence -----------------------------------------------------------------------------------------
def mark_spans(sentence: str, spans) -> str:
    """Wrap each [start, end) span in ⟦ ⟧: plain-text highlighting that no renderer can turn into markup.
    Of spans starting together the longest is marked ("freeze assets", not its "freeze")."""
    out, position = [], 0
    for start, end in sorted(((int(s), int(e)) for s, e in (spans if spans is not None else [])),
                             key=lambda span: (span[0], -span[1])):
        if start < position or end > len(sentence):
            continue  # overlapping or stale offsets: skip rather than garble the sentence
        out += [sentence[position:start], "⟦", sentence[start:end], "⟧"]
        position = end
    return "".join(out + [sentence[position:]])


FIELD_QUOTED = {"title": "headline", "text": "body"}  # pair_sentences.field, as a quote says where its words stand


def evidence_as_text(evidence: pd.DataFrame) -> str:
    """Evidence sentences as plain text to paste into a note, a paragraph each: day · outlet · headline or body · cue
    (its words) · article id, the sentence in the source's words, a line when its feed later changed the article, the
    link. The grid's own copy is off (.streamlit/config.toml: it wrote feed text as live spreadsheet formulas), and a
    CSV was a detour for quoting two sentences. The sentence is unmarked (with_unmarked_sentences): a quote pasted from
    it carried the table's ⟦ ⟧, which are not the source's."""
    return "\n\n".join(map(_evidence_paragraph, lists_as_text(with_unmarked_sentences(evidence)).to_dict("records")))


def _evidence_paragraph(row: dict) -> str:
    text = {column: "" if pd.isna(value) else str(value) for column, value in row.items()}  # lists joined already
    cue = text.get("cue") or "no cue"
    said = " · ".join([pd.Timestamp(row["day"]).date().isoformat(), text.get("outlet") or UNKNOWN,
                       *([FIELD_QUOTED[text["field"]]] if text.get("field") in FIELD_QUOTED else []),
                       f"{cue} ({text['cue_words']})" if text.get("cue_words") else cue,
                       *([f"article {text['article_id']}"] if text.get("article_id") else [])])
    return "\n".join(line for line in (said, text["sentence"], _revised_later(row), text.get("url")) if line)


def _revised_later(row: dict) -> str:
    """A quote's line saying that the outlet later changed its article (queries.article_revisions); '' when it did
    not, or when that is unknown (a snapshot published before migration 0057)."""
    count = row.get("revisions")
    if pd.isna(count) or not count:
        return ""
    return (f"Revised later: its feed {changed_later(int(count), row['last_revision_seen_at'])}; the words above are "
            "its first capture's.")


EVIDENCE_CONTEXT = 300  # characters kept on each side of the marked words in a sentence longer than a table cell


def sentence_marked_at(body: str, start: int, end: int, context: int = EVIDENCE_CONTEXT) -> str:
    """The sentence of `body` holding [start, end), that span marked ⟦like this⟧ (plain text, never markup).
    A sentence longer than the span and `context` characters each side (a feed's text without a full stop) is cut
    to them, at spaces where there are, with "…": the whole of it would hide the mark deep inside one table cell."""
    first, last = next(((s, e) for s, e in reversed(sentence_spans(body, until=start)) if s <= start < e),
                       (0, len(body)))
    head = tail = ""
    if start - first > context:
        cut = body.find(" ", start - context, start)
        first, head = (cut + 1 if cut >= 0 else start - context), "…"
    if last - end > context:
        cut = body.rfind(" ", end, end + context)
        last, tail = (cut if cut >= 0 else end + context), "…"
    return head + mark_spans(body[first:last], [(start - first, end - first)]) + tail


def marked_sentences(found: pd.DataFrame) -> pd.DataFrame:
    """`sentence` with the two countries' mentions (`spans`) wrapped in ⟦ ⟧ (plain text, never markup), without
    `spans`."""
    marked = [mark_spans(s, spans) for s, spans in zip(found["sentence"], found["spans"])]
    return found.assign(sentence=marked).drop(columns="spans")


def with_unmarked_sentences(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its marked `sentence` (⟦ ⟧, mark_spans) as the CLI's export writes it, without marks, and the
    marked one beside it as `sentence_marked`: a quoted sentence read "⟦North Korean⟧ leader ⟦Kim Jong Un⟧ …", and a
    screen reader spelled out each bracket. (A ⟦ of the feed's own text goes too.)"""
    if "sentence" not in frame.columns or not frame["sentence"].astype(str).str.contains("⟦", regex=False).any():
        return frame
    at = frame.columns.get_loc("sentence")
    unmarked = frame["sentence"].str.replace("⟦", "", regex=False).str.replace("⟧", "", regex=False)
    return pd.concat([frame.iloc[:, :at], unmarked.rename("sentence"),
                      frame["sentence"].rename("sentence_marked"), frame.iloc[:, at + 1:]], axis=1)


def topic_evidence(found: pd.DataFrame) -> pd.DataFrame:
    """day, dated, outlet, sentence (the one holding the topic's first word, marked), title, url, article_id."""
    sentences = [sentence_marked_at(body or "", int(start), int(end))
                 for body, start, end in zip(found["body"], found["start_offset"], found["end_offset"])]
    return found.assign(sentence=sentences)[["day", "dated", "outlet", "sentence", "title", "url", "article_id"]]


def undated_because(date_quality: str, claimed, written) -> str:
    """why_undated of an article's date_quality, claimed (queries.CLAIMED) and published_as_written, each NaT, NaN or
    None when NULL."""
    return why_undated(date_quality, None if pd.isna(claimed) else claimed, text_or_none(written))


def with_why_undated(articles: pd.DataFrame) -> pd.DataFrame:
    """The Articles list (`queries.search_articles`) with `why_undated` (undated_because: '' when dated) in place of
    its date_quality, beside `dated`; `claimed` and `published_as_written` stay, whole, for the downloads."""
    because = list(map(undated_because, articles["date_quality"], articles["claimed"],
                       articles["published_as_written"]))
    shown = articles.copy()
    shown.insert(shown.columns.get_loc("date_quality"), "why_undated", pd.Series(because, index=articles.index,
                                                                                  dtype=object))
    return shown.drop(columns="date_quality")


# The Articles list on screen, in this order: its link beside its title (at 1366 px the link and the id scrolled off
# the right), never `dated`, `claimed` nor `published_as_written` (why_undated says them, empty when dated). Its focus
# took the place of `article_id` (1366 px hold one of them): the column menu shows the id, and so does an article's
# panel. The downloads hold every column.
ARTICLES_ON_SCREEN = ("day", "why_undated", "time", "title", "url", "focus", "outlet", "outlet_country", "language",
                      "language_read")


def articles_shown(articles: pd.DataFrame) -> list[str]:
    """The columns of the Articles list (with_why_undated) on screen (ARTICLES_ON_SCREEN): why_undated only when some
    article is undated, `language_read` only when some article's language was read. A column of blanks or of
    unticked boxes took the list past a 1366 px window."""
    shown = [column for column in ARTICLES_ON_SCREEN if column in articles.columns]
    blank = [column for column in ("why_undated", "language_read") if column in shown and not articles[column].any()]
    return [column for column in shown if column not in blank]


# --- one article ----------------------------------------------------------------------------------------
TITLE_SHOWN = 80  # characters of a later version's title the why panel quotes, on one line


@dataclass(frozen=True, eq=False)
class ArticleWhy:
    """One article and the evidence behind each of its tags, as tables of plain text (marks are ⟦ ⟧)."""

    title: str
    text: str  # as first captured and tagged ('' when the entry had none): paragraphs parted by a blank line
    outlet: str | None
    day: date
    why_undated: str  # why `day` is the day it was first stored, not its publication day ('' when it is: dated)
    taken_as: str  # a dated one's date as its feed wrote it and as read (article_day.taken_as; '' when not kept)
    url: str | None  # a safe_link: http(s) only, no user part, an ASCII host
    language: str | None  # as declared (articles.language)
    read_language: str | None  # the language the tagger read it in when none was declared (article_languages)
    tagger_version: str | None  # of its country or topic rows; None when neither was found (nothing is stored)
    countries: pd.DataFrame  # iso3, focus, words, mentions, salience
    sentences: pd.DataFrame  # pair, sentence, topics, cue, field
    topics: pd.DataFrame  # topic, score, hits, words, given_by
    words: pd.DataFrame  # topic, word, sentence, field
    about_both: list[str]  # "CHN–IRN (energy)": pairs of two focus countries no sentence names together, with topics
    revisions: pd.DataFrame  # seen_at, title, url, feed_id, text: the versions its feeds served later, oldest first


def article_why(tags: dict[str, pd.DataFrame]) -> ArticleWhy | None:
    """Shape `queries.article_tags` for the Articles page; None when the article is not in the snapshot."""
    if tags["article"].empty:
        return None
    article = tags["article"].iloc[0]
    countries, topics = tags["countries"], tags["topics"]
    # an article naming no country has no country rows, but its topics are stored all the same
    versions = [*countries["tagger_version"], *topics["tagger_version"]]
    return ArticleWhy(
        title=text_or_none(article["title"]) or "", text=text_or_none(article["text"]) or "",
        outlet=text_or_none(article["outlet"]),
        day=pd.Timestamp(article["day"]).date(), url=safe_link(article["url"]),
        why_undated=undated_because(article["date_quality"], article["claimed"], article["published_as_written"]),
        taken_as=dated_as_written(article),
        language=text_or_none(article["language"]), read_language=next(iter(tags["read_language"]["language"]), None),
        tagger_version=versions[0] if versions else None,
        countries=countries_with_mentions(countries, tags["mentions"]),
        sentences=article_sentences(tags["pair_sentences"]),
        topics=topics_with_words(topics, tags["topic_hits"]),
        words=topic_words(tags["topic_hits"], list(topics["topic"]), article["title"], article["text"]),
        about_both=[f"{pair_label(f'{a}-{b}')} ({comma_joined(pair_topics) or 'no topic'})"
                    for a, b, pair_topics in tags["pairs_about_both"].itertuples(index=False)],
        revisions=tags["revisions"])


def revisions_said(revisions: pd.DataFrame) -> str:
    """How often an article's feeds served it changed after its first capture, and the latest version kept, as one
    line of plain text (the title is feed text); '' when never. At REVISIONS_KEPT, it may have changed more often."""
    if revisions.empty:
        return ""
    latest = revisions.iloc[-1]
    return (f"Its feed later {changed_later(len(revisions), latest['seen_at'])}, titled "
            f"{quoted(latest['title'], TITLE_SHOWN)}. The title, text and tags shown here are its first capture's.")


def changed_later(count: int, latest) -> str:
    """'changed it 2 time(s): latest seen 2025-03-14 09:00 UTC' of an article whose feeds served `count` later
    versions, the latest first seen at `latest`. At REVISIONS_KEPT, it may have changed more often."""
    times = (f"{count} times or more (the first {REVISIONS_KEPT} versions are kept): latest kept"
             if count >= REVISIONS_KEPT else f"{count} time(s): latest")
    return f"changed it {times} seen {pd.Timestamp(latest).tz_convert('UTC'):%Y-%m-%d %H:%M} UTC"


def dated_as_written(article: pd.Series) -> str:
    """taken_as of a dated article's row (`queries.article_tags`); '' for an undated one, whose why_undated says it."""
    if not is_dated(article["date_quality"]) or pd.isna(article["published_at"]):
        return ""
    return taken_as(article["published_at"], text_or_none(article["published_as_written"]))


def text_or_none(value) -> str | None:
    """A text cell of a frame row: None for SQL NULL, which pandas may hand over as NaN (a float, and truthy)."""
    return value if isinstance(value, str) else None


def countries_with_mentions(countries: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """iso3, focus, words, mentions, salience: each country with the words that named it, in reading order (title
    first), each (surface, kind, field) once: 'Pyongyang (capital, title); North Korea (name, text) ×2'."""
    said = {}
    for iso3, own in mentions.groupby("iso3", sort=False):
        counts = own.groupby(["surface", "kind", "field"], sort=False).size()
        said[iso3] = "; ".join(f"{surface} ({kind}, {field})" + (f" ×{n}" if n > 1 else "")
                               for (surface, kind, field), n in counts.items())
    return pd.DataFrame({"iso3": countries["iso3"], "focus": countries["is_focus"].astype(bool),
                         "words": countries["iso3"].map(said).fillna(""), "mentions": countries["mentions"],
                         "salience": countries["salience"]})


def article_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """pair, sentence (the pair's two countries marked ⟦ ⟧), topics, cue ('' for none, not "None"), cue_words (the
    words that decided it; none when unknown: tagged before migration 0042), listed (the two are items of one list of
    countries; '' when unknown: tagged before migration 0025), field."""
    marked = with_blank_cues(marked_sentences(sentences))
    in_list = marked["listed"].map({True: "yes", False: ""}).fillna("") if "listed" in marked else ""
    return pd.DataFrame({"pair": (marked["iso_a"] + "-" + marked["iso_b"]).map(pair_label),
                         "sentence": marked["sentence"], "topics": marked["topics"],
                         "cue": marked["cue"], "cue_words": marked["cue_words"], "listed": in_list,
                         "field": marked["field"]})


def with_blank_cues(sentences: pd.DataFrame) -> pd.DataFrame:
    """Pair sentences as every evidence table shows them: no cue a blank cell, not "None" (the cue words' column help
    says what a blank means), and cue_words an empty list where unknown (no column, or NULL: tagged before migration
    0042)."""
    words = sentences["cue_words"] if "cue_words" in sentences else pd.Series(None, sentences.index, object)
    return sentences.assign(cue=sentences["cue"].fillna(""), cue_words=lists_or_empty(words))


def topics_with_words(topics: pd.DataFrame, hits: pd.DataFrame) -> pd.DataFrame:
    """topic, score, hits, words, given_by: each topic's words as written, each once, in reading order (['sanctions',
    'embargo']; [] when none is stored), and what gave the article the topic: its score, or a pair sentence carrying
    it when the score fell short ('' when unknown: tagged before migration 0028)."""
    words = hits.drop_duplicates(["topic", "surface"]).groupby("topic", sort=False)["surface"].agg(list)
    given_by = topics["raised"].map({True: GIVEN_BY_PAIR, False: GIVEN_BY_SCORE}).fillna("") \
        if "raised" in topics else ""
    return pd.DataFrame({"topic": topics["topic"], "score": topics["score"], "hits": topics["hits"],
                         "words": [words.get(topic, []) for topic in topics["topic"]], "given_by": given_by})


GIVEN_BY_SCORE, GIVEN_BY_PAIR = "its score", "a pair sentence"


def topic_words(hits: pd.DataFrame, topic_order: list[str], title: str | None, text: str | None) -> pd.DataFrame:
    """topic, word, sentence, field: every word behind the article's topics (topics in `topic_order`), with the
    sentence it stands in, the word marked ⟦ ⟧."""
    rank = {topic: position for position, topic in enumerate(topic_order)}
    ordered = hits.assign(rank=hits["topic"].map(rank)).sort_values("rank", kind="stable", na_position="last")
    bodies = {"title": title or "", "text": text or ""}
    sentences = [sentence_marked_at(bodies.get(field, ""), int(start), int(end))
                 for field, start, end in zip(ordered["field"], ordered["start_offset"], ordered["end_offset"])]
    return pd.DataFrame({"topic": ordered["topic"], "word": ordered["surface"], "sentence": sentences,
                         "field": ordered["field"]}).reset_index(drop=True)


def with_why_links(frame: pd.DataFrame, after: str = "title") -> pd.DataFrame:
    """A `why` link beside the column `after` (past the link column it would be off screen) to the article's "why"
    panel on the Articles page, on the list of its day: the way there from the articles and evidence sentences of the
    Pair explorer, the Topics page and the alerts. A link relative to the page, as the app may be served under a
    path; `article_id` stays for downloads."""
    links = [f"{ARTICLES.name}?{urlencode({ARTICLE: article_id, 'from': f'{day:%Y-%m-%d}', 'to': f'{day:%Y-%m-%d}'})}"
             for article_id, day in zip(frame["article_id"], pd.to_datetime(frame["day"]))]
    shown = frame.copy()
    shown.insert(list(shown.columns).index(after) + 1, "why", pd.Series(links, index=frame.index, dtype=object))
    return shown


def article_label(day, undated: str, outlet: str | None, title: str | None, limit: int = 140) -> str:
    """A choice in the list of articles: 'YYYY-MM-DD · outlet · title', on one line and cut to `limit`; an undated
    article's day says it is the day first stored, and why (`undated`: its why_undated; day_filed), before the cut
    can reach it."""
    flat = one_line(f"{day_filed(pd.Timestamp(day), undated)} · {outlet or UNKNOWN} · {title or ''}")
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def day_said(why: ArticleWhy) -> str:
    """An opened article's day: day_filed, a dated one's with its date as its feed wrote it and as read."""
    filed = day_filed(why.day, why.why_undated)
    return f"{filed} ({why.taken_as})" if why.taken_as else filed


def language_read(why: ArticleWhy) -> str:
    """The language an article was tagged in, and where that came from, as plain text."""
    if why.language:
        return f"in {one_line(why.language)} (declared)"
    if why.read_language:
        return f"read as {why.read_language} (none declared)"
    return "read as English (none declared)"


def no_topic_reason(language: str | None, read_language: str | None = None) -> str:
    """Why an article has no topic: none reached its threshold, or it is in another language than English, as
    declared or as the tagger read it (`read_language`: no language was declared)."""
    if read_language:
        return (f"No topics: no language was declared for this article, and the tagger read it as "
                f"{inline_code(read_language)} from its words; topics and cues are tagged in English articles only "
                "(the topic words are English). Its countries and pairs are tagged.")
    if language and not is_english(language):
        return (f"No topics: the article is in {inline_code(language)}, and topics and cues are tagged in English "
                "articles only (the topic words are English). Its countries and pairs are tagged.")
    return "No topic reached its threshold in this article."


NOT_READ = "in languages whose topics and cues are not read"  # the lexicons are English


def per_language(counts: dict[str, int]) -> str:
    """"`de` 5, `ru` 2": the busiest language first (codes as inline code: an archive's record names its own)."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{inline_code(language)} {n:,}" for language, n in ordered)


def pair_not_read_note(not_read: dict[str, int], sentences: int, topic: str | None) -> str:
    """Under the Pair explorer's topic and cue charts: how many of the pair's `sentences` in scope are in a language
    whose topics and cues are not read, '' when none. Without it, German sentences about talks read as no cue."""
    if not (unread := sum(not_read.values())):
        return ""
    every = unread == sentences
    if topic:  # such a sentence never carries the topic, so it is not among those the charts count
        share = f"All {sentences:,} of the pair's" if every else f"{unread:,} of the pair's {sentences:,}"
        return (f"{share} sentences with these filters are {NOT_READ} ({per_language(not_read)}): they carry no "
                f"topic and no cue, so none counts under {inline_code(topic)} here.")
    share = f"All {sentences:,}" if every else f"{unread:,} of these {sentences:,}"
    return f"{share} sentences are {NOT_READ} ({per_language(not_read)}): they count here with no topic and no cue."


def no_cue_note(not_read: dict[str, int], sentences: int) -> str:
    """The empty cue chart's message: no cue word in sentences that were read, or none of them could be read."""
    if sentences and sum(not_read.values()) == sentences:
        return (f"No cue could be read: all {sentences:,} of these sentences are {NOT_READ} "
                f"({per_language(not_read)}).")
    return "No cooperation or confrontation cue words in these sentences."


def third_country_note(cues: pd.DataFrame, pair: str) -> str:
    """How many of the cued sentences name a third country too: their cue words are often about it, and on a partner
    pair of a sanctioned state the error runs one way ("Trump Doubles the Tariff on India, Citing Its Russian Oil
    Purchases" is India–Russia confrontation), so the chart's trend can point opposite to the news. "" when none."""
    others, cued = int(cues["naming_others"].sum()), int(cues["sentences"].sum())
    if not others:
        return ""
    return (f"{others:,} of these {cued:,} cued sentences name a third country too: their cue words may be about its "
            f"relations with either side of {pair_label(pair)} (a tariff on a buyer of sanctioned oil reads as "
            "confrontation between buyer and seller). Read their evidence before trusting the trend.")


def article_notes(why: ArticleWhy, current_version: str) -> list[str]:
    """What the tables of one article cannot say themselves (captions: feed values only as inline code)."""
    if why.tagger_version is None:
        return ["No country was found in this article, so it carries no tags at all: no pairs, no topics."]
    notes = []
    if why.tagger_version != current_version:
        notes.append(f"Tagged by {inline_code(why.tagger_version)}, not by this code's {inline_code(current_version)}: "
                     "`pactwatch retag` would tag it anew.")
    if len(why.topics) and not len(why.words):
        notes.append("Its topics' words are not stored: it was tagged before the warehouse kept them (migration "
                     "0021). `pactwatch retag` adds them.")
    if not len(why.countries):
        notes.append("No country was found in this article, so it has no pairs: only topics.")
    return notes


# --- filters ------------------------------------------------------------------------------------------
SIDEBAR_LISTS = (  # (URL name = Scope field, label): the sidebar's list filters, and how captions name them
    ("countries", "Countries"),
    ("pairs", "Pairs"),
    ("topics", "Topics"),
    ("outlets", "Outlets"),
    ("outlet_countries", "Outlet countries"),
    ("languages", "Languages"),
)


SINGULAR = {"countries": "country", "pairs": "pair", "topics": "topic"}  # a kind minus its 's' would read "countrie"


def point_click_caption(kind: str, keys: tuple[str, ...], scope: Scope, grain: str, rolling: int) -> str:
    """What a click on a point of `keys` opens (ui.lines_opening_articles), and when that list holds more than the
    point counts (the sidebar's list of this kind narrowed the line)."""
    chosen = getattr(scope, kind)
    filter_label = dict(SIDEBAR_LISTS)[kind]
    days = "its day" if grain == "day" else f"the days of its {grain} within these dates"
    caption = (f"Click a point (or near it) to list its articles: {days}, with the sidebar's {filter_label} set to "
               f"its {SINGULAR[kind]} alone (where lines meet, to theirs)"
               + (f" (the {grain}'s own articles, not those of the rolling mean)" if rolling > 1 else "")
               + "; without a mouse, the Articles page lists them by its sidebar's dates and lists.")
    if kind == "topics" and scope.all_topics and len(chosen) > 1:  # the click keeps one topic: "all" is it alone
        caption += (" Each line counts only its articles with all of the sidebar's Topics; the list a click opens "
                    "holds all the articles of its topic.")
    elif chosen and not set(keys) <= set(chosen):  # there, the filter it stood under is gone
        caption += (f" The line of a {SINGULAR[kind]} not among the sidebar's {filter_label} counts only its articles "
                    f"that pass that filter; the list a click opens holds all its articles.")
    return caption


def filters_in_words(scope: Scope) -> str:
    """The sidebar filters beyond the dates, for a caption: 'countries `PRK` · outlets `Wire`, `Daily`'. Every
    value is inline code: an outlet's name comes from a feed list or an imported archive."""
    lists = [f"{label.lower()} " + ", ".join(inline_code(pair_label(v) if field == "pairs" else v, limit=40)
                                             for v in getattr(scope, field))
             + (" (all of them)" if field == "topics" and scope.all_topics and len(scope.topics) > 1 else "")
             + (" (not only in lists)" if field == "pairs" and scope.unlisted_only else "")
             for field, label in SIDEBAR_LISTS if getattr(scope, field)]
    pinned = [f"articles stored after run {scope.as_of} left out"] if scope.as_of is not None else []
    return " · ".join(lists + (["undated articles left out"] if scope.dated_only else []) + pinned)


def run_label(run: dict) -> str:
    """A run as the sidebar's "Data as of run" lists it: 'run 42 · 2026-12-03 14:05 UTC · ingest'."""
    return f"run {run['run_id']} · {run['finished_at']:%Y-%m-%d %H:%M} UTC · {run['kind']}"


def pinned_note(run: dict) -> str:
    """What a view pinned to `run` (queries.run_facts) counts, and when a retag since gave those articles tags of
    another tagger version: the same link then counts by other rules than the run's own view did."""
    note = (f"As of run {run['run_id']} (finished {run['finished_at']:%Y-%m-%d %H:%M} UTC): articles stored later are "
            "left out.")
    if run["rederived"]:
        versions = ", ".join(inline_code(version) for version in run["rederived"])
        note += (f" Tags were re-derived since: they now carry tagger version {versions}, where this run stored "
                 f"{inline_code(str(run['tagger_version']))}, so numbers may differ from what that run showed.")
    return note


# --- safety -------------------------------------------------------------------------------------------
def inline_code(text: str, limit: int = 60) -> str:
    """`text` as Markdown inline code, whatever it holds: a value from a shared link or the environment must not
    become a link, an image or markup where Streamlit renders Markdown (toasts, captions, alerts). Backticks
    become ', control characters spaces, and long text is cut."""
    cleaned = one_line(text.replace("`", "'"))
    return f"`{cleaned[:limit]}{'…' if len(cleaned) > limit else ''}`"


def safe_link(url) -> str | None:
    """An http(s) link whose text names the host a click opens, else None (LinkColumn must never get javascript: or
    data: links). A feed's link `https://www.reuters.com@evil.example/` showed "www.reuters.com" and opened
    evil.example, and a Cyrillic-е "www.reutеrs.com" read as the real one: the user part goes (a news link needs no
    credentials) and a host not in ASCII becomes its punycode (`xn--`), as browsers' address bars show it. The URL
    is split as browsers split it (WHATWG): the authority ends at / \\ ? or #, the user part at its last @. A host
    a browser would refuse (U+2215 in it, a bad IPv6 address or port) gives None. A plain link is kept as written."""
    parts = _AUTHORITY.match(url.strip(_C0_AND_SPACE).translate(_TAB_NEWLINE)) if isinstance(url, str) else None
    if not parts:
        return None
    scheme, authority, path, query = parts.groups()
    host, port = _host_and_port(authority.rpartition("@")[2])
    if host is None or not re.fullmatch("[0-9]*", port):
        return None
    path = path.replace("\\", "/") or ("/" if query else "")  # a browser reads \ in a path as /
    return f"{scheme.lower()}://{host}{':' + port if port else ''}{path}{query}"


def _host_and_port(host_port: str) -> tuple[str | None, str]:
    """The host as a browser opens it (ASCII, punycode where it was not) and the port; None when a browser refuses
    the host."""
    if host_port.startswith("["):
        address, _, port = host_port[1:].partition("]")
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            return None, ""
        return (f"[{address}]", port[1:]) if port[:1] in ("", ":") else (None, "")
    host, _, port = host_port.rpartition(":") if ":" in host_port else (host_port, "", "")
    host = unquote(host)
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError:
            return None, ""
    return (host, port) if host and not _FORBIDDEN_IN_HOST.search(host) else (None, "")


def with_safe_links(frame: pd.DataFrame, column: str = "url") -> pd.DataFrame:
    if column not in frame.columns:
        return frame
    return frame.assign(**{column: frame[column].map(safe_link)})


def with_unknown_outlet_country(frame: pd.DataFrame) -> pd.DataFrame:
    """An article or feed without an outlet country (imports, feeds listed without one) says '(unknown)' on every
    page, where a legend would read "null" and the Articles table "None"."""
    return frame.assign(outlet_country=frame["outlet_country"].fillna(UNKNOWN))


def outlets_and_rest(ranked: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
    """A capped ranking of outlets (queries.pair_outlets: each row carries the totals, `all_outlets` and
    `all_articles`) as (its rows, how many outlets it leaves out, with how many articles)."""
    shown = ranked.drop(columns=["all_outlets", "all_articles"])
    if ranked.empty:
        return shown, 0, 0
    return (shown, int(ranked["all_outlets"].iat[0]) - len(ranked),
            int(ranked["all_articles"].iat[0]) - int(ranked["articles"].sum()))


ONE_OUTLET_SHARE = 0.5  # of a page's articles, past which one outlet's choices, not the news, shape its charts


def one_outlet_note(outlets: pd.DataFrame, articles: int) -> str:
    """When one outlet supplies more than half of the `articles` a page draws (`outlets`: outlet, articles, busiest
    first, as queries.pair_outlets ranks them), a caption saying so; '' otherwise. Eleven PRK–RUS military articles in
    ten months, all from WSJ, drew monthly bars of 0–2 that read as the news's rises and falls. (An alert is held back
    for the same reason.)"""
    if outlets.empty or not articles:
        return ""
    per_outlet = outlets.groupby(outlets["outlet"].fillna(UNKNOWN), sort=False)["articles"].sum()
    outlet, most = per_outlet.idxmax(), int(per_outlet.max())
    if most <= articles * ONE_OUTLET_SHARE:
        return ""
    if most < articles:
        return (f"{most:,} of the {articles:,} articles are from {inline_code(outlet)}: these charts show mostly what "
                "one outlet ran, not how coverage moved across outlets.")
    counted = f"All {articles:,} articles are" if articles > 1 else "The one article is"
    return f"{counted} from {inline_code(outlet)}: these charts show what one outlet ran, not how coverage moved."


def few_articles_note(busiest: int, grain: str, floor: int) -> str:
    """When no bar of a page's charts (a day, week or month: `grain`) stands for `floor` articles (the Overview's
    floor for a rising pair, queries.RISING_MIN_ARTICLES), a caption saying its bars are too few to compare: chance
    alone moves a count by about its square root (one standard deviation of a Poisson count), which at 2 against 4
    is all of the difference. '' for busier charts, or none."""
    if not busiest or busiest >= floor:
        return ""
    return (f"Too few to compare periods: the busiest {grain} here holds {busiest:,} article(s), under {floor}. Chance "
            f"alone moves a count by about its square root (2 against 4 is no rise), and the Overview lists no rising "
            f"pair on fewer than {floor} articles. Widen the dates" + (", or count per month." if grain != "month"
                                                                        else "."))


# The share of the articles drawn that copies of one story (several addresses, most often a wire story run by several
# outlets) must reach for the Pair explorer to say so: below it, counting stories would not change the reading.
COPIES_NOTED_SHARE = 0.1


def copies_note(told: dict) -> str:
    """How many stories the articles drawn are, when copies of one story are a notable share of them (`told`:
    queries.pair_stories); '' when not. Without it, a wire story run by twelve outlets reads as twelve outlets' own
    coverage, in the articles and in who covers the pair."""
    if not told["articles"] or told["copies"] < COPIES_NOTED_SHARE * told["articles"]:
        return ""
    stories = told["copied_stories"]
    return (f"{told['articles']:,} articles are {told['stories']:,} stories: {told['copies']:,} are copies of "
            f"{stories:,} {'story' if stories == 1 else 'stories'} run under several addresses, most often a wire "
            "story run by several outlets. Each copy counts as an article here, and for its outlet below.")


def outlets_left_out_note(shown: int, outlets: int, articles: int) -> str:
    """Under a chart of the `shown` busiest outlets: how many more cover the pair, with how many articles; '' for
    none. Without it, the busiest twenty of 3,000 outlets read as all of them."""
    if not outlets:
        return ""
    return (f"The {shown} outlets with most articles (ties in name order), and {outlets:,} more outlet(s) with "
            f"{articles:,} article(s).")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as `export` writes them to CSV: a list joined with ';' (the store's queries hand lists over as numpy
    arrays), a would-be formula (CSV injection) prefixed with an apostrophe, true/false, a time as "... .000000Z"."""
    columns = [c for c in frame.columns if _written_by_cell(frame[c])]
    return frame.assign(**{c: frame[c].map(lambda value: value if value is pd.NaT else csv_cell(_as_list(value)))
                           for c in columns})


def _written_by_cell(column: pd.Series) -> bool:
    """Whether pandas would write the column otherwise than `export` does: text, lists, truth values and times."""
    return (column.dtype == object or pd.api.types.is_string_dtype(column) or pd.api.types.is_bool_dtype(column)
            or pd.api.types.is_datetime64_any_dtype(column))


def lists_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """List cells (a sentence's topics) as 'a, b', as the tables show them; the downloads join them as the CLI does
    (`spreadsheet_safe`). A list is kept a list up to here: text joined with ', ' cannot be split again (a word may
    hold a comma)."""
    listed = [c for c in frame.columns if frame[c].dtype == object and frame[c].map(_is_list).any()]
    return frame.assign(**{c: frame[c].map(lambda value: comma_joined(value) if _is_list(value) else value)
                           for c in listed})


def lists_or_empty(values: pd.Series) -> pd.Series:
    """A list column whose NULL cells (a column a later migration added: unknown on older rows) read as empty lists."""
    return values.map(lambda value: value if _is_list(value) else [])


def _is_list(value) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def _as_list(value):
    return value.tolist() if isinstance(value, np.ndarray) else value


UNSAFE_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9_-]")  # dots too: no hidden file, no second extension
TABLE_NAME_CHARS = 40  # of a download's name: a feed's id can be long
ARTICLE_ID_CHARS = 40  # the hex digits of an article's id (a SHA-1)


def _file_name_part(text: str, limit: int) -> str:
    """`text` in a download's name: letters, digits, "_" and "-" only, cut to `limit` characters."""
    return UNSAFE_IN_FILE_NAMES.sub("_", text)[:limit]


def download_name(table: str, days: tuple[date, date] | tuple[()], view: dict[str, list[str]],
                  in_name: tuple[str, ...] = ()) -> str:
    """A table's download name, without its extension: pactwatch-<table>-<first day>_<last day> (one day: that day;
    no `days`: none), then, when the page's `view` (its URL parameters but the dates: filters and controls) holds
    any, 6 hex digits of it. Every download was "articles.csv" or so whatever the view, and a second overwrote the
    first. The table's name keeps letters, digits, "_" and "-" only: a feed's id in it is the operator's text.

    The parameters `in_name` names, which the table's name carries (the Pair explorer's pair in "evidence_PRK-RUS"),
    are left out of the hash while the name holds their values whole: the hash then stands for the rest of the view,
    one for the tables of every pair seen with the same filters."""
    name = _file_name_part(table, TABLE_NAME_CHARS)
    parts = ["pactwatch", name]
    if days:
        first, last = days
        parts.append(f"{first}" if first == last else f"{first}_{last}")
    held = {key for key in in_name if all(UNSAFE_IN_FILE_NAMES.sub("_", value) in name for value in view.get(key, []))}
    rest = {key: values for key, values in view.items() if key not in held}
    if rest:
        parts.append(hashlib.sha256(json.dumps(sorted(rest.items())).encode()).hexdigest()[:6])
    return "-".join(parts)


def article_download_name(table: str, article_id: str) -> str:
    """The download name of a table of one article's tags (the Articles page's "why"): pactwatch-<table>-<its id>,
    the `article_id` of the other downloads. The sidebar's dates and a hash of the page's view named them, which say
    nothing of one article."""
    return "-".join(["pactwatch", _file_name_part(table, TABLE_NAME_CHARS),
                     _file_name_part(article_id, ARTICLE_ID_CHARS)])


def shown_of(shown: int, total: int, what: str) -> str:
    """A capped table's count, saying when the cap hides older rows (its downloads hold them all: `ui.table`'s
    `complete`)."""
    if shown < total:
        return (f"The newest {shown:,} of {total:,} {what} (the downloads hold all {total:,}): narrow the dates or "
                "filters to see the older ones here")
    return f"{total:,} {what if total != 1 else what.removesuffix('s')}, newest first"  # not "1 articles"


def unique_names(names: list[str]) -> list[str]:
    """Column names with a repeated one numbered ("x", "x_2"): a table cannot show two columns of one name, and
    `SELECT *` over a join has them."""
    taken: set[str] = set()
    unique = []
    for name in names:
        candidate, count = name, 1
        while candidate in taken:  # "x_2" may itself be a column of the query
            count += 1
            candidate = f"{name}_{count}"
        taken.add(candidate)
        unique.append(candidate)
    return unique


# A period's articles this much above or below the previous period's make every pair rise or fall with them.
VOLUME_CHANGE_NOTED = 0.25


def volume_change_note(current: int, previous: int) -> str:
    """Said beside the rising pairs when the whole corpus grew or shrank by VOLUME_CHANGE_NOTED or more (captures taken
    daily after weekly ones, feeds added): a pair's gain in articles is then partly the corpus's. "" otherwise."""
    if not previous or abs(current - previous) < VOLUME_CHANGE_NOTED * previous:
        return ""
    change = (current - previous) / previous
    return (f" The period holds {abs(change):.0%} {'more' if change > 0 else 'fewer'} articles than the one before "
            "(more feeds or captures, or fewer): part of every pair's change is the corpus's own, so a pair is listed "
            "only when it outgrew the corpus; the Trends page's share of articles compares like with like.")


def matrix_cell(matrix: pd.DataFrame, topic: str, iso3: str) -> int:
    """The articles of one topic × country cell (queries.topic_country_matrix), 0 where the matrix has none."""
    found = matrix.loc[(matrix["topic"] == topic) & (matrix["iso3"] == iso3), "articles"]
    return int(found.iloc[0]) if len(found) else 0


def rising_table(rising: pd.DataFrame) -> pd.DataFrame:
    """queries.rising_pairs as the Overview lists it: the pair labelled, and the topic that grew most with its rise
    in one narrow column, `grew_most` ("military +43": as two columns, they would be cut off the Overview's right half);
    `undated` only when some pair has undated articles (a column of zeros is one more to cut off). `change`, which
    ranks the pairs, comes right after the pair: at 800 px the column holds two columns and cut it off."""
    # int(): a column holding a NULL arrives as floats through Arrow ("diplomacy +3.0")
    grew_most = [f"{topic} +{int(change)}" if isinstance(topic, str) else ""
                 for topic, change in zip(rising["top_topic"], rising["top_topic_change"])]
    unused = ["top_topic", "top_topic_change"] + ([] if rising["undated"].any() else ["undated"])
    table = rising.assign(pair=rising["pair"].map(pair_label), grew_most=grew_most).drop(columns=unused)
    return table[["pair", "change", *(column for column in table if column not in ("pair", "change"))]]


def dates_holding(dates: tuple[date, date], days: tuple[date, date], keep: bool) -> tuple[date, date]:
    """Dates that hold `days` (first, last): widened around `dates` when `keep` (what they list stays listed), else
    `days` alone (with nothing to keep, the months between would only squeeze the charts)."""
    return (min(dates[0], days[0]), max(dates[1], days[1])) if keep else days


def comma_joined(values) -> str:
    """A list cell (topics; a SQL result's list of numbers or with NULL items too) as plain 'a, b' text."""
    return ", ".join("" if item is None else str(item) for item in values) if values is not None and len(values) else ""

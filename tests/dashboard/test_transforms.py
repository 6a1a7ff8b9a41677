"""Pure shaping helpers: pairs, buckets, gaps, normalisation, co-occurrence metrics, highlighting, safety."""
from __future__ import annotations

import itertools
import math
import re
from datetime import date
from urllib.parse import urlsplit

import pandas as pd
import pytest

from pipeline import article_day
from pipeline.dashboard import network, transforms
from pipeline.signals.rules import Rule
from pipeline.revisions import REVISIONS_KEPT


@pytest.mark.parametrize("text, expected", [
    ("RUS-PRK", "PRK-RUS"), ("prk–rus", "PRK-RUS"), ("PRK RUS", "PRK-RUS"),
    ("RUS-RUS", None), ("RUS", None), ("RUS-PRK-CHN", None), ("<script>", None), (None, None),
])
def test_parse_pair(text, expected):
    assert transforms.parse_pair(text) == expected


@pytest.mark.parametrize(("query", "values", "said"), [
    ("SELECT * FROM v_pair_daily WHERE pair = 'RUS-PRK'", [], "RUS-PRK matches nothing, PRK-RUS does"),
    ("SELECT * FROM v_pair_daily WHERE pair IN ('USA-CHN', 'PRK-RUS')", [], "USA-CHN matches nothing, CHN-USA does"),
    ("SELECT * FROM v_pair_daily WHERE pair = $pair", ["USA-IRN", "military"], "USA-IRN matches nothing, IRN-USA does"),
    ("SELECT * FROM v_pair_daily WHERE pair = 'PRK-RUS'", ["IRN-USA"], ""),
    ("SELECT 'rus-prk', 'RUS-PRK-CHN', \"RUS-PRK\"", [], ""),  # not a key as stored, nor a quoted text
    ("-- 'RUS-PRK' matches nothing\nSELECT 1 /* nor 'USA-CHN' */", [], ""),  # what a comment says of one
])
def test_a_pair_key_written_in_reverse_order_is_named(query, values, said):
    """Pairs are stored alphabetically: 'RUS-PRK' in a query matched nothing and read as "never paired"."""
    note = transforms.reversed_pairs_note(query, values)
    assert note == (f"pair keys are stored in alphabetical order: {said}" if said else "")


@pytest.mark.parametrize("text, expected", [
    ("RUS", "RUS"), (" prk ", "PRK"), ("Irn", "IRN"), ("RU", None), ("RUSS", None), ("R1S", None), ("", None), (None, None),
])
def test_parse_code(text, expected):
    assert transforms.parse_code(text) == expected


def test_buckets_align_like_date_trunc():
    assert list(transforms.buckets(date(2025, 3, 12), date(2025, 3, 20), "week")) == \
        [pd.Timestamp("2025-03-10"), pd.Timestamp("2025-03-17")]
    assert list(transforms.buckets(date(2025, 2, 12), date(2025, 3, 1), "month")) == \
        [pd.Timestamp("2025-02-01"), pd.Timestamp("2025-03-01")]


def test_a_links_reach_is_ten_calendar_years_as_the_date_picker_counts_them():
    """3,652 days fell a day short of ten years over a decade of three leap days (2023-03-01 to 2033-03-01)."""
    from streamlit.time_util import adjust_years

    for day in (date(2033, 3, 1), date(2026, 12, 6), date(2028, 2, 29), date(2024, 2, 29), date(2031, 1, 1)):
        for years in (-10, 10):
            assert transforms.years_from(day, years) == adjust_years(day, years), (day, years)
    assert transforms.years_from(date(2033, 3, 1), -10) == date(2023, 3, 1)


def test_a_buckets_days_are_cut_to_the_date_range():
    """A clicked point of the week of Mar 3 in a range from Mar 8 counts only Mar 8 and 9: its articles are those."""
    assert transforms.bucket_days(date(2025, 3, 3), "week") == (date(2025, 3, 3), date(2025, 3, 9))
    assert transforms.bucket_days(date(2025, 3, 3), "week", (date(2025, 3, 8), date(2025, 3, 14))) == \
        (date(2025, 3, 8), date(2025, 3, 9))
    assert transforms.bucket_days(date(2025, 2, 1), "month", (date(2025, 1, 1), date(2025, 2, 10))) == \
        (date(2025, 2, 1), date(2025, 2, 10))
    assert transforms.bucket_days(date(2025, 2, 1), "day") == (date(2025, 2, 1), date(2025, 2, 1))


def test_complete_fills_missing_buckets_per_series():
    counts = pd.DataFrame({"bucket": [date(2025, 3, 2)], "series": ["RUS"], "articles": [3]})
    full = transforms.complete(counts, date(2025, 3, 1), date(2025, 3, 3), "day", "bucket", "articles", "series",
                               ["RUS", "PRK"])
    assert len(full) == 6 and full["articles"].sum() == 3
    assert full[full["series"] == "PRK"]["articles"].tolist() == [0, 0, 0]


def test_complete_says_how_much_of_each_bucket_the_range_covers():
    """A 90-day range ending Nov 28 starts on Aug 31: its August bucket holds one day of 31."""
    monthly = transforms.complete(pd.DataFrame({"bucket": [], "articles": []}), date(2026, 8, 31),
                                  date(2026, 11, 28), "month", "bucket", "articles")
    assert monthly[["days_in_range", "days_in_bucket"]].values.tolist() == [[1, 31], [30, 30], [31, 31], [28, 30]]
    weekly = transforms.bucket_coverage(date(2026, 10, 7), date(2026, 10, 25), "week")  # Wednesday to Sunday
    assert weekly["bucket"].dt.day_name().unique().tolist() == ["Monday"]
    assert weekly[["days_in_range", "days_in_bucket"]].values.tolist() == [[5, 7], [7, 7], [7, 7]]


def test_the_bucket_holding_today_is_not_whole():
    """Today's articles are still arriving: its day, week or month was drawn as a comparable value."""
    today = date(2026, 11, 25)  # a Wednesday
    days = transforms.bucket_coverage(date(2026, 11, 20), date(2026, 11, 26), "day", today)
    assert days["days_in_range"].tolist() == [1, 1, 1, 1, 1, 0, 0]
    assert transforms.coverage_notes(days)[-3:] == ["", "not over yet: holds today (UTC)", "not begun yet (UTC)"]
    weeks = transforms.with_partial_notes(pd.DataFrame({"bucket": [date(2026, 11, 16), date(2026, 11, 23)]}),
                                          date(2026, 11, 16), date(2026, 11, 29), "week", today)
    assert weeks["note"].tolist() == ["", "not over yet: holds today (UTC)"]  # not cut by the range: still filling
    today_only = transforms.with_partial_notes(pd.DataFrame({"bucket": [date(2026, 11, 25)]}), today, today, "day",
                                               today)
    assert today_only["note"].tolist() == ["not over yet: holds today (UTC)"]
    assert transforms.bucket_coverage(date(2026, 11, 1), date(2026, 11, 24), "day", today)["days_in_range"].eq(1).all()


def test_with_partial_notes_marks_the_buckets_the_range_cuts():
    """The Pair explorer's bars: a month holding only Aug 31 of a 90-day range is a bucket, not a value."""
    rows = pd.DataFrame({"bucket": [date(2026, 8, 1), date(2026, 9, 1), date(2026, 11, 1), date(2026, 11, 1)],
                         "cue": ["cooperation", "cooperation", "cooperation", "confrontation"],
                         "sentences": [1, 5, 2, 3]})
    noted = transforms.with_partial_notes(rows, date(2026, 8, 31), date(2026, 11, 28), "month")
    assert noted["note"].tolist() == ["partial: 1 of 31 days", "", "partial: 28 of 30 days", "partial: 28 of 30 days"]
    assert noted["sentences"].tolist() == [1, 5, 2, 3]


def trend_frame(days_in_range: list[int], values: list[float], grain_days: int = 7) -> pd.DataFrame:
    return pd.DataFrame({"bucket": pd.date_range("2026-10-05", periods=len(values), freq="W-MON"), "series": "CHN",
                         "articles": [int(v) for v in values], "value": values, "days_in_range": days_in_range,
                         "days_in_bucket": grain_days, "holds_today": False})


def test_smooth_notes_points_not_comparable_with_the_others():
    plain = transforms.smooth(trend_frame([5, 7, 7, 6], [30.0, 65.0, 61.0, 50.0]), 1, "week")
    assert plain["plotted"].tolist() == [30.0, 65.0, 61.0, 50.0]
    assert plain["note"].tolist() == ["partial: 5 of 7 days", "", "", "partial: 6 of 7 days"]
    rolling = transforms.smooth(trend_frame([7, 7, 7, 7, 7], [10.0, 20.0, 30.0, 40.0, 50.0]), 3, "week")
    assert rolling["plotted"].tolist() == [10.0, 15.0, 20.0, 30.0, 40.0]
    assert rolling["note"].tolist() == ["mean of 1 of 3 weeks", "mean of 2 of 3 weeks", "", "", ""]
    cut = transforms.smooth(trend_frame([5, 7, 7, 7], [10.0, 20.0, 30.0, 40.0]), 2, "week")
    assert cut["note"].tolist() == ["partial: 5 of 7 days", "mean includes a partial week", "", ""]


def test_smooth_notes_a_bucket_with_no_article_stored_and_a_mean_over_one():
    """A week no feed covered is no week without news: it and the means over it are not comparable."""
    stored = pd.DataFrame({"bucket": pd.date_range("2026-10-05", periods=3, freq="W-MON"), "articles": [40, 0, 35]})
    trend = transforms.with_all_articles(trend_frame([7, 7, 7, 7], [3.0, 0.0, 2.0, 4.0]), stored)
    assert trend["all_articles"].tolist() == [40, 0, 35, 0]  # the fourth week: nothing stored at all
    gap = "no article at all stored for this week: a gap in the feeds, not a zero"
    assert transforms.smooth(trend, 1, "week")["note"].tolist() == ["", gap, "", gap]
    assert transforms.smooth(trend.iloc[:3], 2, "week")["note"].tolist() == [
        "mean of 1 of 2 weeks", gap, "mean includes a week without any article stored"]


def test_a_clicked_point_is_every_series_whose_point_lies_there():
    """Two lines of one value at a point are drawn one over the other, and a click hands back the top one alone: the
    one below could not be reached. Rolling means meet too (1.5 of 1 and 2, of 2 and 1, of 3 and 0)."""
    values = {"CHN": [1.0, 2.0, 3.0], "IRN": [2.0, 1.0, 3.0], "RUS": [3.0, 0.0, 5.0]}
    three = pd.concat([trend_frame([7] * 3, points).assign(series=series) for series, points in values.items()],
                      ignore_index=True)
    smoothed = transforms.smooth(three, 2, "week")  # means: CHN 1, 1.5, 2.5; IRN 2, 1.5, 2; RUS 3, 1.5, 2.5
    weeks = [date(2026, 10, 5), date(2026, 10, 12), date(2026, 10, 19)]
    assert transforms.series_meeting(smoothed, weeks[0], "IRN") == ["IRN"]
    assert transforms.series_meeting(smoothed, weeks[1], "IRN") == ["CHN", "IRN", "RUS"]
    assert transforms.series_meeting(smoothed, weeks[2], "RUS") == ["CHN", "RUS"]
    assert transforms.series_meeting(smoothed.assign(plotted=float("nan")), weeks[2], "RUS") == ["RUS"]


def test_smooth_keeps_each_series_apart_and_the_row_order():
    two = pd.concat([trend_frame([7, 7], [1.0, 3.0]), trend_frame([7, 7], [10.0, 30.0]).assign(series="RUS")])
    interleaved = two.sort_values("bucket", kind="stable").reset_index(drop=True)
    smoothed = transforms.smooth(interleaved, 2, "week")
    assert smoothed["series"].tolist() == ["CHN", "RUS", "CHN", "RUS"]
    assert smoothed["plotted"].tolist() == [1.0, 10.0, 2.0, 20.0]


def test_trend_table_names_each_column_for_what_it_holds():
    """The table under a smoothed share chart showed unsmoothed fractions under the mode's name only."""
    shares_of = trend_frame([7, 7], [0.25, 0.5]).assign(articles=[1, 20], all_articles=[4, 40])
    table, shares = transforms.trend_table(transforms.smooth(shares_of, 2, "week", "all_articles"), "share_all", 2,
                                           "week")
    assert shares == ["share_all", "share_all_over_2_weeks"]
    assert table["share_all_over_2_weeks"].tolist() == [0.25, 21 / 44] and "value" not in table.columns
    raw, no_shares = transforms.trend_table(transforms.smooth(trend_frame([7], [3.0]), 1, "week"), "raw", 1, "week")
    assert no_shares == [] and {"value", "plotted"}.isdisjoint(raw.columns) and "note" in raw.columns


@pytest.mark.parametrize(("start", "rolling", "grain", "first_day", "lead_in"), [
    (date(2025, 3, 8), 7, "day", date(2024, 1, 1), (date(2025, 3, 2), date(2025, 3, 7))),
    (date(2025, 3, 8), 3, "week", date(2024, 1, 1), (date(2025, 2, 17), date(2025, 3, 2))),  # a Saturday: its week stays cut
    (date(2025, 3, 8), 2, "month", date(2024, 1, 1), (date(2025, 2, 1), date(2025, 2, 28))),
    (date(2025, 3, 8), 7, "day", date(2025, 3, 5), (date(2025, 3, 5), date(2025, 3, 7))),  # from the home's first day
    (date(2025, 3, 8), 7, "day", date(2025, 3, 8), None), (date(2025, 3, 8), 1, "day", date(2024, 1, 1), None),
    (date(2025, 3, 8), 3, "week", date(2025, 3, 4), None), (date(2025, 3, 8), 7, "day", None, None)])
def test_a_rolling_window_reaches_the_whole_buckets_before_the_range(start, rolling, grain, first_day, lead_in):
    assert transforms.lead_in_days(start, rolling, grain, first_day) == lead_in


def test_a_rolling_share_is_the_share_of_the_windows_articles_not_a_mean_of_shares():
    """A methodologist's review: a day of 2 articles, both naming the pair, drew 100 % into a 7-day mean of daily
    shares, 14.3 % for a week whose articles named it 2.0 % of the time (the weekly grain's share)."""
    days = pd.DataFrame({"bucket": pd.date_range("2026-10-20", periods=7), "series": "EGY–ISR",
                         "articles": [2, 0, 0, 0, 0, 0, 0], "all_articles": [2, 17, 17, 17, 17, 17, 17],
                         "days_in_range": 1, "days_in_bucket": 1, "holds_today": False})
    days = days.assign(value=days["articles"] / days["all_articles"])
    assert transforms.smooth(days, 7, "day", "all_articles")["plotted"].iloc[-1] == 2 / 104
    assert transforms.smooth(days, 7, "day")["plotted"].iloc[-1] == 1 / 7  # counts' mean: each day's value alike
    # a day with nothing to divide by adds to neither sum; a window with nothing at all has no share
    either = days.assign(naming_either=[2, 0, 0, 5, 0, 0, 0])
    either = either.assign(value=(either["articles"] / either["naming_either"].where(either["naming_either"] > 0)))
    plotted = transforms.smooth(either, 2, "day", "naming_either")["plotted"]
    assert plotted[[0, 1, 3]].tolist() == [1.0, 1.0, 0.0] and pd.isna(plotted[2])


def test_stack_spans_stack_groups_alphabetically_per_bucket():
    frame = pd.DataFrame({"bucket": [1, 1, 2], "topic": ["trade", "military", "trade"], "n": [2, 3, 4]})
    spans = transforms.stack_spans(frame, "n", "topic")
    assert spans[["stack_start", "stack_end"]].values.tolist() == [[3, 5], [0, 3], [0, 4]]


def test_ingest_gaps_flag_days_without_runs_inside_the_history_and_low_volume():
    days = pd.date_range("2025-03-01", periods=8)
    volume = pd.DataFrame({"day": days, "articles": [10, 10, 10, 1, 10, 10, 10, 10]})
    runs = pd.DataFrame({"day": [d for d in days if d != days[5]]})
    gaps = transforms.ingest_gaps(volume, runs)
    assert gaps["day"].tolist() == [days[3], days[5]]
    assert gaps["reason"].tolist() == ["low volume (1 vs median 10)", "no ingest run"]


def test_ingest_gaps_ignore_backfilled_days_before_the_first_run():
    volume = pd.DataFrame({"day": pd.date_range("2025-03-01", periods=3), "articles": [2, 2, 2]})
    runs = pd.DataFrame({"day": [pd.Timestamp("2025-03-03")]})
    assert transforms.ingest_gaps(volume, runs).empty


def test_normalize_shares_and_leaves_a_share_of_nothing_undefined():
    """A bucket without articles was a share of 0 %: drawn as a collapse, and a 3-week mean of 0.35, 0.35 and
    that 0 read 0.23."""
    counts = pd.DataFrame({"bucket": [1, 2], "series": ["A", "A"], "articles": [2, 0]})
    totals = pd.DataFrame({"bucket": [1, 2], "articles": [8, 0]})
    shares = transforms.normalize(counts, totals, "share_all")["value"]
    assert shares.iloc[0] == 0.25 and pd.isna(shares.iloc[1])
    assert transforms.normalize(counts, None, "raw")["value"].tolist() == [2.0, 0.0]
    smoothed = transforms.smooth(trend_frame([7, 7, 7], [0.35, 0.35, 0.0]).assign(value=[0.35, 0.35, float("nan")]),
                                 3, "week")
    assert smoothed["plotted"].tolist()[-1] == pytest.approx(0.35)
    assert smoothed["note"].tolist()[-1] == "mean of 2 of 3 weeks"
    alone = transforms.smooth(trend_frame([7, 7], [0.35, 0.0]).assign(value=[0.35, float("nan")]), 1, "week")
    assert alone["note"].tolist() == ["", "no article to take a share of"]


def test_cooccurrence_metrics():
    pairs = pd.DataFrame({"iso_a": ["PRK"], "iso_b": ["RUS"], "together": [4], "named_both": [4]})
    totals = pd.DataFrame({"iso3": ["RUS", "PRK"], "articles": [8, 4]})
    share = transforms.cooccurrence_cells(pairs, totals, 10, "share", min_together=4)
    assert share["value"].tolist() == [0.5, 0.5] and set(share["row"]) == {"PRK", "RUS"}  # 4 / (8 + 4 - 4)
    apart = transforms.cooccurrence_cells(pairs.assign(named_both=6), totals, 10, "share", min_together=4)
    assert apart["value"].tolist() == [4 / 6] * 2  # 6 articles name either: 8 + 4 - 6
    pmi = transforms.cooccurrence_cells(pairs, totals, 10, "pmi", min_together=4)["value"].iloc[0]
    assert pmi == pytest.approx(math.log2(4 * 10 / (8 * 4)))


def test_no_share_or_lift_from_too_few_articles_together():
    """Two countries named together once got the matrix's largest lift (log2 N) and set its colour scale; twice,
    a share of 100 %, above CHN-USA's 140 articles (a methodologist's review)."""
    totals = pd.DataFrame({"iso3": ["NRU", "TUV", "RUS"], "articles": [1, 1, 40]})
    pairs = pd.DataFrame({"iso_a": ["NRU", "RUS"], "iso_b": ["TUV", "TUV"], "together": [1, 5], "named_both": [1, 5]})
    cells = transforms.cooccurrence_cells(pairs, totals, 1000, "pmi").drop_duplicates("pair").set_index("pair")
    assert transforms.MIN_TOGETHER == 5
    assert math.isnan(cells.loc["NRU-TUV", "value"])
    assert cells.loc["RUS-TUV", "value"] == pytest.approx(math.log2(5 * 1000 / (40 * 1)))
    shares = transforms.cooccurrence_cells(pairs, totals, 1000, "share").drop_duplicates("pair").set_index("pair")
    assert math.isnan(shares.loc["NRU-TUV", "value"]) and shares.loc["RUS-TUV", "value"] == 5 / (40 + 1 - 5)
    counts = transforms.cooccurrence_cells(pairs, totals, 1000, "count")
    assert counts["value"].tolist() == [1.0, 1.0, 5.0, 5.0]  # counts need no minimum


@pytest.mark.parametrize(("text", "expected"), [
    ("RUS", "`RUS`"),
    ("a`](javascript:x)`", "`a'](javascript:x)'`"),  # no backtick can close the code span
    ("line\nbreak \u202egpj.exe", "`line break gpj.exe`"),  # the override gone, not a second space
    ("\u200f\u05e9\u05dc\u05d5\u05dd \U0001f469\u200d\U0001f4bb", "`\u200f\u05e9\u05dc\u05d5\u05dd \U0001f469\u200d\U0001f4bb`"),
    ("x" * 70, "`" + "x" * 60 + "…`"),
])
def test_inline_code_keeps_any_text_inert(text, expected):
    """Every format character (category C) was a space: an emoji's zero-width joiner and a right-to-left mark, which
    reorder nothing, split what they join; the controls of pipeline.controls go, and the rest reads as written."""
    assert transforms.inline_code(text) == expected


def test_mark_spans_is_plain_text():
    sentence = "Russia and North Korea <b>sign</b>."
    assert transforms.mark_spans(sentence, [[11, 22], [0, 6]]) == "⟦Russia⟧ and ⟦North Korea⟧ <b>sign</b>."
    assert transforms.mark_spans(sentence, [[0, 6], [3, 8], [30, 99]]) == "⟦Russia⟧ and North Korea <b>sign</b>."
    assert transforms.mark_spans(sentence, [[11, 16], [11, 22]]) == "Russia and ⟦North Korea⟧ <b>sign</b>."
    assert transforms.mark_spans(sentence, None) == sentence


@pytest.mark.parametrize("url, kept", [
    ("https://a.example/x", True), ("HTTP://a.example", True), ("javascript:alert(1)", False),
    (" javascript:alert(1)", False), ("data:text/html,<script>", False), ("//evil.example", False), (None, False),
])
def test_only_http_links_survive(url, kept):
    assert (transforms.safe_link(url) is not None) is kept


@pytest.mark.parametrize("url, shown", [
    ("https://news.example/world/a?b=1#c", "https://news.example/world/a?b=1#c"),  # a normal link, as written
    ("https://www.reuters.com@evil.example/world/russia-china", "https://evil.example/world/russia-china"),
    ("https://www.bbc.co.uk:443@evil.example/news", "https://evil.example/news"),
    ("https://reader:pw@feeds.example:8080/x", "https://feeds.example:8080/x"),
    ("https://www.reuters.com\u2215world@evil.example/", "https://evil.example/"),
    ("https://www.reuters.com\u2215world.evil.example/", None),  # U+2215 in a host: a browser refuses it
    ("https://www.reut\u0435rs.com/world/homograph/", "https://www.xn--reutrs-6of.com/world/homograph/"),
    ("https://fa\u00df.de/", "https://xn--fa-hia.de/"),  # as browsers open it (not fass.de)
    ("https://[2001:db8::1]:8443/a", "https://[2001:db8::1]:8443/a"),
    ("https://[2001:db8::zz]/", None),
    ("https://evil.example\\@www.reuters.com/", "https://evil.example/@www.reuters.com/"),  # \ ends the host
    ("https://evil.example?@www.reuters.com", "https://evil.example/?@www.reuters.com"),
    ("https:///evil.example/x", "https://evil.example/x"),
    ("https://evil%2Eexample/", "https://evil.example/"),
    ("https://a.example:x/", None), ("https://a.example:\u0664\u0664\u0663/", None),  # Arabic-Indic digits
])
def test_a_links_text_names_the_host_it_opens(url, shown):
    """A feed's link showed "www.reuters.com" in the link column and opened evil.example: the user part goes, a host
    is as a browser reads it, in ASCII (punycode) when it is not, and the column's text is that host."""
    assert transforms.safe_link(url) == shown
    if shown:
        assert re.match(transforms.LINK_TEXT, shown)[1] == urlsplit(shown).netloc


def test_spreadsheet_formulas_are_defused_in_csv():
    frame = pd.DataFrame({"title": ["=HYPERLINK(\"http://x\")", "plain", "@SUM(A1)"], "n": [1, -2, 3]})
    safe = transforms.spreadsheet_safe(frame)
    assert safe["title"].tolist() == ["'=HYPERLINK(\"http://x\")", "plain", "'@SUM(A1)"]
    assert safe["n"].tolist() == [1, -2, 3]


def test_a_download_writes_truth_values_and_times_as_export_does():
    """pandas wrote True and "2024-06-19 00:30:00+00:00" where `export` writes true and "2024-06-19 00:30:00.000000Z"."""
    frame = pd.DataFrame({"listed": [True, False],
                          "published_at": pd.to_datetime(["2024-06-19 09:30+09:00", None], utc=True)})
    written = transforms.spreadsheet_safe(frame).to_csv(index=False)
    assert written.splitlines() == ["listed,published_at", "true,2024-06-19 00:30:00.000000Z", "false,"]


def test_network_layout_is_deterministic_and_bounded():
    nodes = ["RUS", "PRK", "CHN", "IRN", "USA"]
    edges = [("PRK", "RUS", 4.0), ("CHN", "RUS", 2.0), ("IRN", "RUS", 1.0)]
    first, second = network.layout(nodes, edges), network.layout(nodes, edges)
    assert first == second
    assert all(-1.0001 <= v <= 1.0001 for xy in first.values() for v in xy)
    distance = {b: math.dist(first["RUS"], first[b]) for b in ("PRK", "USA")}
    assert distance["PRK"] < distance["USA"]  # co-mentioned countries end up closer


def test_a_separate_pair_does_not_squeeze_the_main_cluster():
    edges = [("CHN", "USA", 464.0), ("PRK", "RUS", 255.0), ("CHN", "RUS", 166.0), ("IND", "RUS", 107.0),
             ("IRN", "USA", 92.0), ("JPN", "KOR", 87.0), ("IRN", "RUS", 85.0), ("CHN", "THA", 82.0),
             ("KOR", "PRK", 40.0), ("RUS", "UKR", 60.0), ("CHL", "NZL", 40.0), ("FIN", "KEN", 30.0)]
    position = network.layout(sorted({code for edge in edges for code in edge[:2]}), edges)
    main = sorted({code for edge in edges[:10] for code in edge[:2]})
    assert min(math.dist(position[a], position[b]) for a, b in itertools.combinations(main, 2)) > 0.3


def test_a_capped_table_says_what_it_hides():
    assert transforms.shown_of(300, 7384, "sentences") == (
        "The newest 300 of 7,384 sentences (the downloads hold all 7,384): narrow the dates or filters to see the older "
        "ones here")
    assert transforms.shown_of(4, 4, "articles") == "4 articles, newest first"
    assert transforms.shown_of(1, 1, "articles") == "1 article, newest first"  # the Pair explorer said "1 articles"


def test_a_download_is_named_by_its_table_days_and_view():
    """Every download was "articles.csv" (or so) whatever the page's dates and filters: a second overwrote the first."""
    days = (date(2025, 3, 1), date(2025, 5, 29))
    assert transforms.download_name("articles", days, {}) == "pactwatch-articles-2025-03-01_2025-05-29"
    assert transforms.download_name("feed_health", (days[1], days[1]), {}) == "pactwatch-feed_health-2025-05-29"
    filtered = transforms.download_name("articles", days, {"countries": ["RUS", "PRK"]})
    assert re.fullmatch(r"pactwatch-articles-2025-03-01_2025-05-29-[0-9a-f]{6}", filtered), filtered
    assert filtered != transforms.download_name("articles", days, {"countries": ["RUS"]})
    assert filtered == transforms.download_name("articles", days, {"countries": ["RUS", "PRK"]})  # a view, a name
    # a feed's id is the operator's text: no path, no dot, no space in a file name
    hostile = transforms.download_name("fetches_../../x y.exe" + "z" * 60, (), {})
    assert hostile == "pactwatch-fetches_______x_y_exe" + "z" * 19, hostile  # 40 characters of the table name



def test_a_download_names_what_its_table_name_carries_once():
    """The Pair explorer's names carried the pair twice: in "evidence_PRK-RUS" and in the hash of the page's view, so
    one view of two pairs hashed apart. A parameter the name holds whole is left out of the hash."""
    days = (date(2025, 3, 8), date(2025, 3, 14))
    view = {"pair": ["PRK-RUS"], "level": ["article"]}
    named = transforms.download_name("evidence_PRK-RUS", days, view, in_name=("pair",))
    assert named == transforms.download_name("evidence_PRK-RUS", days, {"level": ["article"]})
    other = transforms.download_name("evidence_CHN-RUS", days, {**view, "pair": ["CHN-RUS"]}, in_name=("pair",))
    assert named[-6:] == other[-6:] and named != transforms.download_name("evidence_PRK-RUS", days, view)
    assert transforms.download_name("evidence_PRK-RUS", days, {"pair": ["PRK-RUS"]}, in_name=("pair",)) == \
        "pactwatch-evidence_PRK-RUS-2025-03-08_2025-03-14"  # nothing else to tell apart: no hash
    # a feed's id past the name's 40 characters is cut there: the hash keeps it, or two feeds' names would be one
    long_id = "feed_" + "x" * 40
    cut = transforms.download_name(f"fetches_{long_id}", days, {"feed": [long_id]}, in_name=("feed",))
    assert re.fullmatch(r"pactwatch-fetches_feed_x{27}-2025-03-08_2025-03-14-[0-9a-f]{6}", cut), cut


def test_one_articles_tables_are_named_by_the_article():
    """An article's "why" tables were named by the sidebar's dates and a hash of the page's view, which say nothing
    of one article: by its id, as the other downloads' article_id gives it."""
    article_id = "5f1d0c8e4b2a79d3e6f0a1b2c3d4e5f60718293a"
    assert transforms.article_download_name("article_countries", article_id) == \
        f"pactwatch-article_countries-{article_id}"
    assert transforms.article_download_name("article_topics", "../x y.csv" + "z" * 60) == \
        "pactwatch-article_topics-___x_y_csv" + "z" * 30  # letters, digits, "_" and "-" only; 40 of them


def test_alert_evidence_says_it_is_a_sample_of_the_window():
    """Under "PRK-RUS diplomacy: 31 articles 2026-11-10..2026-11-13" the Alerts page listed 5 articles and 5 sentences
    without a word: they read as everything the window holds. "5 sentence(s) ... a sample" then did not say of how
    many."""
    alert = {"window_start": "2026-11-10", "day": "2026-11-13", "topic": "diplomacy", "current": 31}
    sentences, articles = transforms.alert_evidence_captions(alert, 5, 5, 48)
    assert sentences.startswith("5 of the 48 sentences of 2026-11-10 → 2026-11-13 naming both countries about "
                                "diplomacy")
    assert sentences.endswith(": a sample; the Pair explorer lists them all.")
    assert articles.startswith("5 of the 31 articles of 2026-11-10 → 2026-11-13: one per outlet first, a day at a time")
    assert "(the first, the last, then back from the last)" in sentences
    whole_pair, _ = transforms.alert_evidence_captions({**alert, "topic": None}, 5, 3, 1200)
    assert "3 of the 1,200 sentences of 2026-11-10 → 2026-11-13 naming both countries, " in whole_pair
    every_one, _ = transforms.alert_evidence_captions(alert, 5, 3, 3)
    assert every_one.startswith("3 of the 3 sentences") and "sample" not in every_one


def test_filters_in_words_quote_every_value():
    """An outlet's name comes from a feed list or an archive: in a caption (Markdown) it must stay text."""
    from pipeline.store.queries import Scope

    scope = Scope(date(2025, 3, 1), date(2025, 3, 2), countries=("PRK",), pairs=("PRK-RUS",),
                  outlets=("[x](javascript:alert(1))",))
    assert transforms.filters_in_words(scope) == ("countries `PRK` · pairs `PRK–RUS` · outlets "
                                                  "`[x](javascript:alert(1))`")
    assert transforms.filters_in_words(Scope(date(2025, 3, 1), date(2025, 3, 2))) == ""
    both = Scope(date(2025, 3, 1), date(2025, 3, 2), topics=("finance", "sanctions"), all_topics=True)
    assert transforms.filters_in_words(both) == "topics `finance`, `sanctions` (all of them)"


def test_long_ranges_open_at_a_coarser_grain():
    assert [transforms.starting_grain(days) for days in (90, 120, 121, 3 * 366, 3 * 366 + 1)] == [
        "day", "day", "week", "week", "month"]
    assert transforms.starting_grain(32, weekly_after=31) == "week"


def test_the_sentence_around_a_topic_word_is_cut_out_and_marked():
    body = "Talks resumed in Geneva. Both sides agreed to lift sanctions on banks. More talks follow."
    start = body.index("sanctions")
    assert transforms.sentence_marked_at(body, start, start + 9) == "Both sides agreed to lift ⟦sanctions⟧ on banks."
    assert transforms.sentence_marked_at("Sanctions", 0, 9) == "⟦Sanctions⟧"


def test_a_very_long_sentence_is_cut_around_its_marked_word():
    """A 20,000-character text without a full stop was one 20,000-character cell, the mark deep inside it."""
    body = "word " * 3000 + "sanctions " + "word " * 1000
    start = body.index("sanctions")
    marked = transforms.sentence_marked_at(body, start, start + 9)
    assert "⟦sanctions⟧" in marked and len(marked) <= 2 * transforms.EVIDENCE_CONTEXT + 20
    assert marked.startswith("…word") and marked.endswith("word…")
    unbroken = "x" * 5000 + "sanctions" + "y" * 5000
    assert transforms.sentence_marked_at(unbroken, 5000, 5009) == "…" + "x" * 300 + "⟦sanctions⟧" + "y" * 300 + "…"
    assert transforms.sentence_marked_at("Sanctions", 0, 9) == "⟦Sanctions⟧"


def test_a_countrys_words_are_listed_once_each_in_reading_order():
    countries = pd.DataFrame({"iso3": ["PRK", "RUS"], "is_focus": [True, False], "salience": [0.9, 0.2],
                              "mentions": [3, 1]})
    mentions = pd.DataFrame({"iso3": ["PRK", "PRK", "RUS", "PRK"], "field": ["title", "text", "text", "text"],
                             "surface": ["Pyongyang", "North Korea", "Russia", "North Korea"],
                             "kind": ["capital", "name", "name", "name"]})
    shaped = transforms.countries_with_mentions(countries, mentions)
    assert shaped[["iso3", "focus", "words"]].values.tolist() == [
        ["PRK", True, "Pyongyang (capital, title); North Korea (name, text) ×2"],
        ["RUS", False, "Russia (name, text)"]]


def test_topic_words_follow_the_topics_order_with_their_sentence_marked():
    title, text = "Sanctions bite", "Talks stall. Oil exports fall under the embargo. Sanctions widen."
    embargo = text.index("embargo")
    hits = pd.DataFrame({"topic": ["energy", "sanctions", "sanctions"], "field": ["text", "title", "text"],
                         "start_offset": [13, 0, embargo], "end_offset": [16, 9, embargo + 7],
                         "surface": ["Oil", "Sanctions", "embargo"]})
    words = transforms.topic_words(hits, ["sanctions", "energy"], title, text)
    assert words[["topic", "word", "field", "sentence"]].values.tolist() == [
        ["sanctions", "Sanctions", "title", "⟦Sanctions⟧ bite"],
        ["sanctions", "embargo", "text", "Oil exports fall under the ⟦embargo⟧."],
        ["energy", "Oil", "text", "⟦Oil⟧ exports fall under the embargo."]]
    topics = pd.DataFrame({"topic": ["sanctions", "energy", "trade"], "score": [2.0, 1.0, 1.0], "hits": [2, 1, 1]})
    assert transforms.topics_with_words(topics, hits)["words"].tolist() == [["Sanctions", "embargo"], ["Oil"], []]
    assert transforms.topics_with_words(topics, hits)["given_by"].tolist() == ["", "", ""]  # before migration 0028
    raised = topics.assign(raised=[False, None, True])  # None: 1.17 rows written before the migration
    assert transforms.topics_with_words(raised, hits)["given_by"].tolist() == ["its score", "", "a pair sentence"]


def test_an_article_choice_is_one_line_of_plain_text():
    label = transforms.article_label(pd.Timestamp("2025-03-09"), "", None, "Line\nbreak " + "x" * 200)
    assert label.startswith("2025-03-09 · (unknown) · Line break x") and len(label) == 140 and label.endswith("…")


def test_an_undated_articles_choice_says_why_before_its_title():
    label = transforms.article_label(pd.Timestamp("2026-12-04"), "date unreadable", "Daily", "x" * 200)
    assert label.startswith("2026-12-04 (first stored; date unreadable) · Daily · x") and len(label) == 140


def test_an_undated_article_says_why_in_words_and_a_future_one_the_date_it_claims():
    """A reviewer rebuilding a timeline saw only an unticked `dated` box: not whether the feed gave no date, one that
    cannot be read, or one ahead of when it was stored (2028-01-01), which the Articles page showed nowhere."""
    claimed = pd.Timestamp("2028-01-01 09:00", tz="UTC")
    articles = pd.DataFrame({"day": pd.to_datetime(["2026-12-04"] * 5), "dated": [True, False, False, False, False],
                             "date_quality": ["ok", "missing", "unparseable", "future", "unparseable"],
                             "time": pd.to_datetime(["2026-12-04 08:00"] * 5, utc=True), "title": list("abcde"),
                             "claimed": [pd.NaT, pd.NaT, pd.NaT, claimed, pd.NaT],
                             "published_as_written": ["2026-12-04T08:00:00Z", None, "19/06/2024",
                                                      "2028-01-01T09:00:00Z", None]})  # e: stored before 0056
    shown = transforms.with_why_undated(articles)
    assert shown["why_undated"].tolist() == ["", "no date given", "date unreadable: “19/06/2024”",
                                             "dated 2028-01-01 09:00 UTC, ahead of when stored: “2028-01-01T09:00:00Z”",
                                             "date unreadable"]
    # a timestamp and the whole text to download
    assert list(shown.columns) == ["day", "dated", "why_undated", "time", "title", "claimed", "published_as_written"]
    assert transforms.with_why_undated(articles.iloc[:0])["why_undated"].tolist() == []
    assert transforms.articles_shown(shown) == ["day", "why_undated", "time", "title"]  # its blank says dated
    assert transforms.articles_shown(shown.iloc[:1]) == ["day", "time", "title"]  # all dated: no width spent
    read = shown.assign(language_read=[False, True, False, False, False])
    assert "language_read" in transforms.articles_shown(read)
    assert "language_read" not in transforms.articles_shown(read.assign(language_read=False))  # unticked boxes
    # a claimed date is said in UTC, however it comes; one a future article lacks is no crash
    in_seoul = claimed.tz_convert("Asia/Seoul")
    assert transforms.undated_because("future", in_seoul, None).startswith("dated 2028-01-01 09:00 UTC")
    assert transforms.undated_because("future", None, float("nan")) == "no usable publication date"
    assert transforms.day_filed(date(2026, 12, 4), "") == "2026-12-04"
    assert transforms.day_filed(date(2026, 12, 4), "no date given") == "2026-12-04 (first stored; no date given)"


def test_a_date_as_written_is_said_on_one_line_and_cut_short():
    """Feed text of any length or shape: a 5,000-character "date" or one with a line break or a bidi override must not
    stretch the narrow why-undated column, the picker or the article's panel."""
    said = transforms.undated_because("unparseable", None, "\u202e19/06\n/2024 " + "9" * 5000)
    assert said.startswith("date unreadable: “19/06 /2024 999") and said.endswith("…”")
    assert len(said) == len("date unreadable: “”") + article_day.WRITTEN_SHOWN


def test_an_opened_dated_article_says_its_date_as_written_and_as_read():
    """Is this date right? A Seoul feed's "08:30 KST" is read as 23:30 UTC the day before: the panel says both."""
    article = pd.Series({"date_quality": "ok", "published_at": pd.Timestamp("2024-06-18 23:30", tz="UTC"),
                         "published_as_written": "Wed, 19 Jun 2024 08:30:00 KST"})
    assert transforms.dated_as_written(article) == "“Wed, 19 Jun 2024 08:30:00 KST” taken as 2024-06-18 23:30 UTC"
    assert transforms.dated_as_written(article.replace({"Wed, 19 Jun 2024 08:30:00 KST": None})) == ""  # before 0056
    assert transforms.dated_as_written(pd.Series({**article, "date_quality": "future"})) == ""  # why_undated says it


def test_an_article_in_another_language_says_why_it_has_no_topic():
    assert "`de`" in transforms.no_topic_reason("de") and "English articles only" in transforms.no_topic_reason("de")
    assert transforms.no_topic_reason("en-US") == transforms.no_topic_reason(None) == (
        "No topic reached its threshold in this article.")
    read = transforms.no_topic_reason(None, "fr")
    assert "no language was declared" in read and "read it as `fr`" in read and "English articles only" in read


def test_an_articles_language_says_where_it_came_from():
    def why(language, read_language):
        return transforms.ArticleWhy(title="t", text="", outlet="o", day=date(2025, 3, 9), why_undated="", taken_as="",
                                     url=None,
                                     language=language, read_language=read_language, tagger_version="1.14+x",
                                     countries=pd.DataFrame(), sentences=pd.DataFrame(), topics=pd.DataFrame(),
                                     words=pd.DataFrame(), about_both=[], revisions=pd.DataFrame())
    assert transforms.language_read(why("de-AT\n", None)) == "in de-AT (declared)"  # the break gone, no space left
    assert transforms.language_read(why(None, "fr")) == "read as fr (none declared)"
    assert transforms.language_read(why(None, None)) == "read as English (none declared)"


def test_an_article_whose_versions_reached_the_cap_says_it_may_have_changed_more_often():
    """Only the first REVISIONS_KEPT versions are kept: "changed it 10 time(s)" would read as a count."""
    seen = pd.date_range("2024-06-13 09:00", periods=REVISIONS_KEPT, freq="h", tz="UTC")
    revisions = pd.DataFrame({"seen_at": seen, "title": [f"Take {n}\nof the pact" for n in range(REVISIONS_KEPT)]})
    assert transforms.revisions_said(revisions) == (
        f"Its feed later changed it {REVISIONS_KEPT} times or more (the first {REVISIONS_KEPT} versions are kept): "
        f"latest kept seen {seen[-1]:%Y-%m-%d %H:%M} UTC, titled “Take {REVISIONS_KEPT - 1} of the pact”. The title, "
        "text and tags shown here are its first capture's.")
    assert transforms.revisions_said(revisions.head(1)).startswith(
        "Its feed later changed it 1 time(s): latest seen 2024-06-13 09:00 UTC, titled “Take 0 of the pact”.")
    assert transforms.revisions_said(revisions.head(0)) == ""


def test_an_articles_notes_say_what_its_tables_cannot():
    empty = pd.DataFrame()
    tagged = transforms.ArticleWhy(title="t", text="", outlet="o", day=date(2025, 3, 9), why_undated="", taken_as="", url=None,
                                   language="en", read_language=None, tagger_version="1.0+old", countries=empty, sentences=empty,
                                   topics=pd.DataFrame({"topic": ["trade"]}), words=pd.DataFrame(), about_both=[],
                                   revisions=pd.DataFrame())
    notes = transforms.article_notes(tagged, "1.13+new")
    assert "Tagged by `1.0+old`, not by this code's `1.13+new`" in notes[0] and "migration 0021" in notes[1]
    assert transforms.article_notes(tagged.__class__(**{**tagged.__dict__, "tagger_version": None}), "1.13+new") == [
        "No country was found in this article, so it carries no tags at all: no pairs, no topics."]


def test_the_episodes_note_counts_one_episode_in_words():
    """"They are 1 episodes" read the Alerts page whose alerts were all one pair's overlapping ones (stop 75)."""
    assert transforms.episodes_note(1, 3) == " They are one episode, one row: a pair's alerts whose windows overlap are one."
    assert transforms.episodes_note(2, 3).startswith(" They are 2 episodes, a row each:")
    assert transforms.episodes_note(3, 3) == ""  # a row per alert says nothing


def test_the_alerts_caption_counts_in_words_and_names_both_ends():
    """It read "1 alerts raised since 2026-11-12" for a range that also has an end."""
    assert transforms.alerts_caption(1, 1, date(2026, 11, 12), date(2026, 11, 29)) == \
        "1 alert raised from 2026-11-12 to 2026-11-29, newest first."
    assert transforms.alerts_caption(2, 5, date(2026, 11, 12), date(2026, 11, 29)).startswith("2 of the 5 alerts")
    assert transforms.alerts_caption(0, 0, None, None) == "0 alerts raised in the last week, newest first."


def test_an_empty_alerts_page_names_filters_only_when_the_sidebar_sets_some():
    """It said "(0 without the country, pair and topic filters)" on a page no such filter narrowed."""
    assert transforms.no_alerts_message(0, [], narrowed=False).startswith(
        "No alerts in this date range: no pair or pair × topic series crossed a rule")
    assert transforms.no_alerts_message(3, [], narrowed=True).startswith(
        "No alerts in this date range with these filters (3 without the country, pair and topic filters): ")


def test_the_rising_pairs_table_puts_the_topic_and_its_rise_in_one_column():
    rising = pd.DataFrame({"pair": ["PRK-RUS", "CHN-USA"], "current": [9, 4], "previous": [2, 3], "change": [7, 1],
                           "top_topic": ["military", None],
                           "top_topic_change": [5.0, float("nan")],  # as Arrow hands DuckDB's INTEGER with a NULL
                           "undated": [0, 0]})
    table = transforms.rising_table(rising)
    assert table["grew_most"].tolist() == ["military +5", ""]
    assert table["pair"].tolist() == [transforms.pair_label("PRK-RUS"), transforms.pair_label("CHN-USA")]
    assert "top_topic" not in table and "top_topic_change" not in table and "undated" not in table
    assert transforms.rising_table(rising.assign(undated=[0, 3]))["undated"].tolist() == [0, 3]
    assert list(table.columns[:2]) == ["pair", "change"], "what ranks them first: at 800 px two columns show"


def test_the_dates_that_hold_a_pairs_other_articles_keep_those_shown_or_fit_them_alone():
    shown, elsewhere = (date(2025, 3, 8), date(2025, 3, 10)), (date(2025, 3, 3), date(2025, 3, 14))
    assert transforms.dates_holding(shown, elsewhere, keep=True) == elsewhere
    assert transforms.dates_holding(shown, (date(2025, 3, 3), date(2025, 3, 5)), keep=True) == (
        date(2025, 3, 3), date(2025, 3, 10))
    assert transforms.dates_holding((date(2026, 9, 3), date(2026, 12, 1)), (date(2025, 5, 5), date(2026, 2, 6)),
                                    keep=False) == (date(2025, 5, 5), date(2026, 2, 6))  # no 10 months of nothing


def test_filters_in_words_say_when_undated_articles_are_left_out():
    from pipeline.store.queries import Scope

    assert transforms.filters_in_words(Scope(date(2025, 3, 8), date(2025, 3, 10), countries=("PRK",),
                                             dated_only=True)) == "countries `PRK` · undated articles left out"
    # the Pairs filter follows "Leave out list-only pairs"; with no pair chosen, the switch narrows no article
    assert transforms.filters_in_words(Scope(date(2025, 3, 8), date(2025, 3, 10), pairs=("IRN-JPN",),
                                             unlisted_only=True)) == "pairs `IRN–JPN` (not only in lists)"
    assert transforms.filters_in_words(Scope(date(2025, 3, 8), date(2025, 3, 10), unlisted_only=True)) == ""


def test_a_corpus_that_grew_or_shrank_is_named_beside_the_rising_pairs():
    """A real home's January held 496 articles against December's 269 (captures taken daily after weekly ones):
    every pair "rose", and the Overview ranked them by raw gain without a word."""
    assert "84% more articles" in transforms.volume_change_note(496, 269)
    assert "50% fewer articles" in transforms.volume_change_note(50, 100)
    assert transforms.volume_change_note(110, 100) == "" and transforms.volume_change_note(5, 0) == ""


def test_a_download_keys_a_column_of_pair_labels_and_leaves_other_text():
    """A download's pairs are keys (PRK-RUS), as the CLI writes them; only a column holding pair labels alone is one
    of pairs: a title may read "USA–CHN" among other titles."""
    shown = pd.DataFrame({"pair": ["PRK–RUS", "CHN–USA"], "title": ["USA–CHN", "Talks – day 2"],
                          "series": ["RUS", None], "articles": [3, 1]})
    keyed = transforms.with_pair_keys(shown)
    assert keyed["pair"].tolist() == ["PRK-RUS", "CHN-USA"]
    assert keyed.drop(columns="pair").equals(shown.drop(columns="pair"))


def test_an_alert_opens_on_the_days_its_rule_held_it_against_within_the_stored_days():
    """The Alerts page opened an alert's 4 days alone; its second button adds the rule's baseline before them and a
    week after, no further than the stored days reach."""
    window = (date(2026, 5, 10), date(2026, 5, 13))
    stored = (date(2024, 5, 2), date(2026, 6, 1))
    assert transforms.alert_context(window, 84, stored) == (date(2026, 2, 15), date(2026, 5, 20))
    assert transforms.alert_context(window, 364, (date(2026, 1, 1), date(2026, 5, 13))) == (date(2026, 1, 1),
                                                                                             date(2026, 5, 13))
    # stored days starting inside the window (its first days' articles deleted) leave the window whole
    assert transforms.alert_context(window, 84, (date(2026, 5, 12), date(2026, 6, 1)))[0] == window[0]
    assert transforms.days_before_alert(Rule("surge_52w", "surge", "pair_topic", baseline_weeks=52)) == 364
    # a new pair is held against its whole history, and a rule the file dropped says nothing
    assert transforms.days_before_alert(Rule("new_pair", "new_pair", "pair")) is None
    assert transforms.days_before_alert(None) is None


@pytest.mark.parametrize("undated, total, shown", [(1, 10, True), (1, 11, False), (0, 5, False), (0, 0, False),
                                                   (208, 238, True)])
def test_the_undated_note_is_said_from_a_tenth_of_the_articles_on(undated, total, shown):
    """A note on every page for 2 undated articles of 2,000 is one nobody reads; 208 of 238 must not go unsaid."""
    note = transforms.undated_note(undated, total)
    assert (note is not None) == shown
    if shown:
        assert note.startswith(f"{undated:,} of the {total:,} articles in these dates and filters")


def test_the_cue_chart_says_how_many_cued_sentences_name_a_third_country():
    cues = pd.DataFrame({"bucket": [date(2025, 8, 1)] * 2, "cue": ["confrontation", "cooperation"],
                         "sentences": [12, 3], "naming_others": [11, 0]})
    note = transforms.third_country_note(cues, "IND-RUS")
    assert note.startswith("11 of these 15 cued sentences name a third country too: their cue words may be about its "
                           "relations with either side of IND–RUS"), note
    assert transforms.third_country_note(cues.assign(naming_others=0), "IND-RUS") == ""


def test_evidence_reads_as_paragraphs_to_quote():
    """Review R: the grid copies nothing (its copy is off: formulas), so a briefing's two quoted sentences took a CSV."""
    evidence = pd.DataFrame({
        "day": [date(2024, 6, 19), date(2024, 6, 18)], "dated": [True, True], "outlet": ["Wire", None],
        "sentence": ["⟦Putin⟧ and ⟦Kim⟧ signed a pact.", "⟦Seoul⟧ condemned ⟦Pyongyang⟧ and =HYPERLINK(\"x\")."],
        "topics": [["military"], []], "cue": ["cooperation", None], "cue_words": [["signed", "pact"], []],
        "url": ["https://wire.example/a", None], "article_id": ["9b4ce256", None]})
    assert transforms.evidence_as_text(evidence) == (  # the id an auditor finds the article by
        "2024-06-19 · Wire · cooperation (signed, pact) · article 9b4ce256\nPutin and Kim signed a pact.\n"
        "https://wire.example/a\n\n"
        "2024-06-18 · (unknown) · no cue\nSeoul condemned Pyongyang and =HYPERLINK(\"x\").")


def test_the_text_to_quote_is_the_source_s_words_with_its_field_and_later_versions():
    """Review J: the box "to quote" printed "⟦Moscow⟧ and ⟦North Korea⟧ pledge …": the brackets are not the source's
    words, and a pasted quote carried them. Nor did it say whether the words were a headline or the body, nor that
    the outlet later changed the article ("…Kills at Least 21", then 39)."""
    seen = pd.Timestamp("2026-01-20 10:05", tz="UTC")
    evidence = pd.DataFrame({
        "day": [date(2026, 1, 19), date(2026, 1, 18), date(2026, 1, 17)], "outlet": ["WSJ", "Wire", "Wire"],
        "sentence": ["⟦Moscow⟧ and ⟦North Korea⟧ pledge mutual assistance.", "⟦Russia⟧ thanks ⟦Pyongyang⟧.",
                     "⟦Russia⟧ and ⟦Iran⟧ talk."],
        "cue": ["cooperation", None, None], "cue_words": [["pledge"], [], []], "field": ["title", "text", "text"],
        "url": [None] * 3, "article_id": ["a1", "a2", "a3"], "revisions": [2, 0, 10],
        "last_revision_seen_at": [seen, pd.NaT, seen]})
    first, second, third = transforms.evidence_as_text(evidence).split("\n\n")
    assert "⟦" not in first + second + third
    assert first == ("2026-01-19 · WSJ · headline · cooperation (pledge) · article a1\n"
                     "Moscow and North Korea pledge mutual assistance.\n"
                     "Revised later: its feed changed it 2 time(s): latest seen 2026-01-20 10:05 UTC; the words above "
                     "are its first capture's.")
    assert second == "2026-01-18 · Wire · body · no cue · article a2\nRussia thanks Pyongyang."
    assert "changed it 10 times or more (the first 10 versions are kept)" in third
    # a snapshot published before versions were kept (migration 0057) knows none: nothing is said
    unknown = evidence.assign(revisions=[None] * 3, last_revision_seen_at=[pd.NaT] * 3)
    assert "Revised later" not in transforms.evidence_as_text(unknown)


def test_one_outlet_is_named_when_it_supplies_more_than_half_of_the_articles_whatever_its_countries():
    outlets = pd.DataFrame({"outlet": ["WSJ", "Wire", "WSJ", None], "articles": [3, 2, 1, 1]})
    assert transforms.one_outlet_note(outlets, 7).startswith("4 of the 7 articles are from `WSJ`: these charts show "
                                                             "mostly what one outlet ran")
    assert transforms.one_outlet_note(outlets, 8) == ""  # half is no majority
    assert transforms.one_outlet_note(pd.DataFrame({"outlet": [None], "articles": [1]}), 1) == (
        "The one article is from `(unknown)`: these charts show what one outlet ran, not how coverage moved.")
    assert transforms.one_outlet_note(outlets.head(0), 0) == ""


def test_bars_are_too_few_to_compare_while_the_busiest_holds_fewer_articles_than_the_floor():
    assert transforms.few_articles_note(4, "week", 5).startswith("Too few to compare periods: the busiest week here "
                                                                 "holds 4 article(s), under 5.")
    assert transforms.few_articles_note(5, "week", 5) == transforms.few_articles_note(0, "week", 5) == ""


def test_the_ingest_gaps_note_counts_each_kind_of_flagged_day():
    """Review R: the caption said "no ingest run that day, or far below the usual volume"; only the shading's colour
    told which day was which."""
    gaps = pd.DataFrame({"day": pd.to_datetime(["2024-06-01", "2024-06-02", "2024-06-05"]),
                         "reason": ["low volume (1 vs median 12)", "no ingest run", "low volume (0 vs median 12)"]})
    assert transforms.ingest_gaps_note(gaps) == "1 day(s) without an ingest run and 2 far below the usual volume"
    assert transforms.ingest_gaps_note(gaps[gaps["reason"] != "no ingest run"]) == (
        "2 day(s) far below the usual volume")


@pytest.mark.parametrize("articles, stories, copied_stories, copies, said", [
    (36, 14, 2, 24, "36 articles are 14 stories: 24 are copies of 2 stories run under several addresses"),
    (20, 19, 1, 2, "20 articles are 19 stories: 2 are copies of 1 story run under several addresses"),
    (21, 20, 1, 2, ""),  # copies under a tenth of the articles: counting stories would not change the reading
    (5, 5, 0, 0, ""),
    (0, 0, 0, 0, ""),
])
def test_the_copies_note_is_said_from_a_tenth_of_the_articles_on(articles, stories, copied_stories, copies, said):
    note = transforms.copies_note({"articles": articles, "stories": stories, "copied_stories": copied_stories,
                                   "copies": copies})
    assert note.startswith(said) and bool(note) == bool(said)

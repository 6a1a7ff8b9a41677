"""The rule kernels on small hand-built daily series (pure functions: arrays in, metrics out)."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from pipeline.signals.rules import (
    CoverageRule, DiversityGate, Metrics, Rule, _spread, _window_days, cooldown, coverage_gaps, diversity_block,
    evaluate, floors_missed, rise_share, rolling_sum, rose_past_thresholds, shifted,
)

SURGE = Rule("surge_4w", "surge", "pair_topic", window_days=7, baseline_weeks=4, min_baseline=5.0, min_current=10,
             min_ratio=2.0, min_z=3.0, overdispersion=0.25)
ZSCORE = Rule("burst", "weekday_zscore", "pair_topic", window_days=3, baseline_weeks=8, min_baseline=2.0,
              min_current=8, min_ratio=2.0, min_z=3.25, overdispersion=0.25)
NEW_PAIR = Rule("new_pair", "new_pair", "pair", window_days=7, min_current=5, max_prior=0)
WEEKDAYS = np.array([10, 11, 11, 10, 9, 5, 4], dtype=float)  # Monday .. Sunday: weekends are quiet


def steady(days: int, per_day: float = 2.0) -> np.ndarray:
    return np.full(days, per_day)


def fired_days(metrics) -> list[int]:
    return np.flatnonzero(metrics.fires[0]).tolist()


def test_rolling_sum_needs_a_full_window():
    assert rolling_sum(np.arange(5.0), 3).tolist()[2:] == [3.0, 6.0, 9.0]
    assert np.isnan(rolling_sum(np.arange(5.0), 3)[:2]).all()


def test_surge_fires_when_the_week_doubles_its_four_week_average():
    counts = steady(60)
    counts[50:54] = 8.0  # 4 days at 4x: the 7-day window reaches 38 vs 14 expected
    metrics = evaluate(SURGE, counts)
    assert fired_days(metrics)[0] == 53, "day 52 doubles (32 vs 14) but is not yet surprising enough"
    assert metrics.baseline[0, 53] == pytest.approx(14.0)
    assert metrics.ratio[0, 53] == pytest.approx(38 / 14)
    assert metrics.z[0, 52] < SURGE.min_z <= metrics.z[0, 53]


def test_surge_stays_quiet_on_a_steady_series_and_a_small_rise():
    assert fired_days(evaluate(SURGE, steady(60))) == []
    counts = steady(60)
    counts[50:54] = 3.0  # +50% for four days
    assert fired_days(evaluate(SURGE, counts)) == []


def test_surge_floor_ignores_doubling_of_a_sparse_series():
    counts = steady(60, 0.5)  # 3.5 a week: under the 5-a-week floor
    counts[53:57] = 4.0
    assert evaluate(SURGE, counts).ratio[0, 56] > 2
    assert fired_days(evaluate(SURGE, counts)) == []


def test_surge_needs_history():
    counts = steady(20)
    counts[15:19] = 10.0
    assert fired_days(evaluate(SURGE, counts)) == [], "13 days of baseline is under half of 28"


def test_unhealthy_days_are_left_out_of_the_baseline():
    counts = steady(60)
    counts[30:44] = 0.0  # two weeks of outage would halve the baseline and fake a surge
    counts[50:54] = 4.0  # 22 in the week vs 14 usual: x1.6
    healthy = np.ones(60, dtype=bool)
    assert fired_days(evaluate(SURGE, counts)), "the outage-depressed baseline makes a small rise look big"
    healthy[30:44] = False
    assert fired_days(evaluate(SURGE, counts, healthy)) == []


def test_weekday_zscore_does_not_call_every_monday_a_surge():
    weeks = np.tile(WEEKDAYS, 12)
    assert fired_days(evaluate(ZSCORE, weeks)) == []
    flat = Rule("flat", "weekday_zscore", "pair_topic", window_days=1, baseline_weeks=8, min_z=2.0)
    assert fired_days(evaluate(flat, weeks)) == []


def test_weekday_zscore_fires_on_a_weekend_burst_a_flat_baseline_would_miss():
    counts = np.tile(WEEKDAYS, 12)
    counts[75:77] = 16.0  # Saturday and Sunday of week 11 at 3-4x their norm, still only 1.5x a Tuesday
    metrics = evaluate(ZSCORE, counts)
    assert fired_days(metrics)[0] == 76
    assert metrics.baseline[0, 76] == pytest.approx(9 + 5 + 4)
    flat = Rule("flat", "surge", "pair_topic", window_days=3, baseline_weeks=4, min_ratio=2.0)
    assert fired_days(evaluate(flat, counts)) == [], "against the plain daily mean the weekend looks ordinary"


def test_weekday_zscore_respects_its_floor():
    counts = np.tile(WEEKDAYS / 30, 12)  # ~0.3 a day: under 2 expected in any 3 days
    counts[75:78] = 4.0
    assert fired_days(evaluate(ZSCORE, counts)) == []


def test_weekday_zscore_follows_the_corpus_rhythm_not_its_own_few_articles():
    quiet = np.tile(WEEKDAYS / 5, 12)  # ~2 a weekday, ~1 at weekends
    corpus = np.tile(WEEKDAYS * 10, 12)
    metrics = evaluate(ZSCORE, quiet, volume=corpus)
    weekend, midweek = 83, 80  # Friday..Sunday vs Tuesday..Thursday of week 12
    assert metrics.baseline[0, weekend] == pytest.approx(quiet[weekend - 2:weekend + 1].sum())
    assert metrics.baseline[0, midweek] == pytest.approx(quiet[midweek - 2:midweek + 1].sum())
    assert fired_days(metrics) == []


def test_a_burst_is_left_out_of_later_baselines():
    counts = np.tile(WEEKDAYS / 2, 16)  # ~5 a day
    counts[70:73] *= 4  # week 11: a burst
    counts[98:101] *= 3  # week 15: another, inside the first one's 8-week baseline
    metrics = evaluate(ZSCORE, counts, volume=np.tile(WEEKDAYS * 10, 16))
    assert 72 in fired_days(metrics) and 100 in fired_days(metrics)
    assert metrics.baseline[0, 100] == pytest.approx(counts[91:94].sum()), "the baseline is the usual level"


def test_new_pair_fires_once_history_is_empty_and_the_week_has_enough_articles():
    counts = np.zeros(40)
    counts[30:33] = 2.0
    metrics = evaluate(NEW_PAIR, counts)
    assert fired_days(metrics) == [32, 33, 34, 35, 36]  # while the window still holds >= 5 and nothing before it
    assert fired_days(evaluate(NEW_PAIR, counts, prior=np.array([3.0]))) == [], "co-mentioned before the data"


def test_new_pair_does_not_fire_for_an_old_pair_or_a_thin_week():
    counts = np.zeros(40)
    counts[5] = 1.0
    counts[30:33] = 2.0
    assert fired_days(evaluate(NEW_PAIR, counts)) == []
    thin = np.zeros(40)
    thin[30:32] = 2.0
    assert fired_days(evaluate(NEW_PAIR, thin)) == []


def test_rules_run_on_many_series_at_once():
    many = np.stack([steady(60), steady(60)])
    many[1, 50:54] = 8.0
    fires = evaluate(SURGE, many).fires
    assert not fires[0].any() and fires[1].any()


def test_cooldown_keeps_one_alert_per_window():
    assert cooldown([10, 11, 12, 16, 17, 30], 7) == [True, False, False, False, True, True]
    assert cooldown([], 7) == []


@pytest.mark.parametrize("articles, outlets, top, blocked", [
    (20, 6, 5, False),
    (20, 1, 20, True),  # one outlet
    (20, 3, 15, True),  # one outlet supplies 75%
    (20, 2, 10, False),  # exactly half
])
def test_diversity_gate(articles, outlets, top, blocked):
    assert (diversity_block(DiversityGate(), articles, outlets, top) is not None) == blocked


def test_rise_share_discounts_the_outlets_usual_part():
    # 60 articles vs 20 expected: an outlet that usually has a tenth of the series and now has 12 supplied
    # (12 - 2) / 40 of the rise; one that supplied 30 of them drove three quarters of it
    assert rise_share(60, 20, 12, 0.1) == pytest.approx(0.25)
    assert rise_share(60, 20, 32, 0.1) == pytest.approx(0.75)
    assert rise_share(15, 20, 5, 0.1) == 0.0  # no rise: nothing for one outlet to have driven
    assert rise_share(20, 20, 5, 0.1) == 0.0  # nor a window exactly as expected (no division by its zero rise)


@pytest.mark.parametrize("top, usual, blocked", [
    (12, 0.1, False),  # a broad rise: its biggest outlet a quarter of it
    (28, 0.1, True),  # a flood on a busy series: under half the window, but 65% of the rise
    (24, 0.4, False),  # an outlet that always carries 40% of the series, rising with the rest
    (22, 0.1, False),  # exactly half the rise: max_rise_share is the most one outlet may supply
])
def test_diversity_gate_blocks_a_rise_one_outlet_supplies(top, usual, blocked):
    gate = DiversityGate(max_rise_share=0.5)
    share = rise_share(60, 20, top, usual)
    assert (diversity_block(gate, 60, 12, top, share) is not None) == blocked
    assert diversity_block(DiversityGate(), 60, 12, top, share) is None  # off by default


def test_the_bundled_gate_holds_back_the_measured_flooding_outlet():
    """seeds/alerts.toml: the flooding outlet was measured at 0.64 of the rise, under half of its window's articles, so
    only max_rise_share catches it; set above 0.64 (0.7), its flood would alert as news. 70 articles against 20
    expected, the outlet's 34 of them (49 %) where it usually has a tenth: (34 - 2) / 50 = 0.64."""
    from pipeline.signals import load_alert_config

    gate = load_alert_config().gate
    share = rise_share(70, 20, 34, 0.1)
    assert share == pytest.approx(0.64)
    assert diversity_block(gate, 70, 12, 34, share) == "one outlet supplies 64% of the rise > 50%"


def test_coverage_gaps_flag_an_outage_but_not_weekends():
    volume = np.tile(WEEKDAYS * 10, 6)
    feeds = np.full(42, 20.0)
    rule = CoverageRule(baseline_weeks=4, min_volume_ratio=0.6, min_feeds_ratio=0.7)
    assert not coverage_gaps(volume, feeds, rule).any()
    volume[30:33] *= 0.2  # three days of outage
    feeds[30:33] = 2
    assert np.flatnonzero(coverage_gaps(volume, feeds, rule)).tolist() == [30, 31, 32]


def test_coverage_gaps_flag_lost_feeds_even_if_volume_holds():
    volume = np.tile(WEEKDAYS * 10, 6)
    feeds = np.full(42, 20.0)
    feeds[35] = 5  # a few big feeds kept publishing
    assert np.flatnonzero(coverage_gaps(volume, feeds, CoverageRule())).tolist() == [35]


def test_a_quiet_day_inside_an_outage_joins_it():
    volume = np.tile(WEEKDAYS * 2, 6)  # ~20 a weekday, ~8 at weekends
    feeds = np.full(42, 10.0)
    volume[32:35] = 1.0  # Thursday to Saturday dark; Saturday's drop alone is too small to prove
    feeds[32:35] = 1.0
    rule = CoverageRule()
    alone = coverage_gaps(np.where(np.arange(42) == 34, 1.0, np.tile(WEEKDAYS * 2, 6)), np.full(42, 10.0), rule)
    assert not alone[34]
    assert np.flatnonzero(coverage_gaps(volume, feeds, rule)).tolist() == [32, 33, 34]


def test_z_is_honest_at_small_counts_and_plain_at_large_ones():
    plain = Rule("z", "surge", "pair_topic", window_days=1, baseline_weeks=4)
    small = np.r_[np.full(28, 2.1), 10.0]  # 10 vs 2.1: a plain z says 5.5, the Poisson tail ~1 in 7,000
    assert 3.5 < evaluate(plain, small).z[0, -1] < 4.0
    large = np.r_[np.full(28, 400.0), 460.0]  # 3 sd above, in a series large enough to be normal
    assert evaluate(plain, large).z[0, -1] == pytest.approx(60 / np.sqrt(400 * (1 + 1 / 28)), rel=0.05)


def test_shocks_multiply_a_busy_series_so_doubling_and_halving_are_equally_surprising():
    shocked = Rule("z", "surge", "pair_topic", window_days=1, baseline_weeks=4, overdispersion=0.2)
    busy = np.full(28, 100_000.0)  # Poisson noise negligible: only the 20 % day shock matters
    doubled = evaluate(shocked, np.r_[busy, 200_000.0]).z[0, -1]
    halved = evaluate(shocked, np.r_[busy, 50_000.0]).z[0, -1]
    expected = np.log(2) / np.sqrt(np.log1p(0.2 ** 2))  # log-normal: 3.5, where a normal tail would say 5
    assert doubled == pytest.approx(expected, rel=0.01) and halved == pytest.approx(-expected, rel=0.01)


def test_shifted_fills_only_the_days_before_the_data():
    assert np.array_equal(shifted(np.array([1.0, 2.0, 3.0]), 2), [np.nan, np.nan, 1.0], equal_nan=True)
    assert shifted(np.array([1.0, 2.0, 3.0]), 3, 0.0).tolist() == [0.0, 0.0, 0.0]


def test_every_day_of_a_fired_window_is_left_out():
    """A window is dated by its last day; a mutation test found its first day untested (it stayed in later
    baselines)."""
    assert _window_days(np.array([[False, False, False, True]]), 3).tolist() == [[False, True, True, True]]


def test_a_low_day_joins_a_gap_on_either_side_even_at_the_series_edges():
    """A mutation test found the first day never joined the gap after it."""
    assert _spread(np.array([False, True]), np.array([True, True])).tolist() == [True, True]
    assert _spread(np.array([True, False]), np.array([True, True])).tolist() == [True, True]


def test_a_rise_needs_a_week_of_history_and_an_article_to_be_listed():
    """Against less than a week everything looks new, and a window without articles rose past nothing, whatever
    min_articles asks (0 included): a mutation test found both untested."""
    rule = Rule("r", "surge", "pair")  # ratio and z thresholds off
    everywhere = np.full(3, np.inf)
    metrics = Metrics(current=np.array([5.0, 5.0, 0.0]), baseline=np.zeros(3), ratio=everywhere, z=everywhere,
                      fires=np.zeros(3, dtype=bool), history=np.array([7.0, 6.0, 7.0]))
    assert rose_past_thresholds(rule, metrics, 0).tolist() == [True, False, False]


@pytest.mark.parametrize("rule", [SURGE, ZSCORE, replace(NEW_PAIR, max_prior=1, prior_days=30)],
                         ids=lambda rule: rule.kind)
def test_a_day_is_evaluated_alike_from_its_history_days_alone(rule):
    """history_days tells a caller how much history to load: too little would silently change replayed alerts. Noisy
    series with bursts, so that first passes leave windows out of the baselines."""
    generator = np.random.default_rng(7)
    counts = generator.poisson(generator.uniform(0.2, 4.0, (40, 1)), (40, 400)).astype(float)
    for series, start in zip(np.repeat(np.arange(40), 6), generator.integers(0, 400, 240)):
        counts[series, start:start + generator.integers(1, 8)] += generator.integers(2, 15)
    full = evaluate(rule, counts)
    for last in range(rule.history_days, 400, 25):
        alone = evaluate(rule, counts[:, last - rule.history_days:last + 1])
        for name in ("current", "baseline", "ratio", "z", "fires", "history"):
            if getattr(full, name) is not None:
                np.testing.assert_allclose(getattr(alone, name)[:, -1], getattr(full, name)[:, last], rtol=1e-9,
                                           err_msg=f"{name} on day {last}")


def test_new_pair_looks_back_exactly_prior_days_before_its_window():
    """A mutation test found the look-back's length untested by a day."""
    rule = Rule("n", "new_pair", "pair", window_days=7, min_current=5, prior_days=30)
    counts = np.zeros(60)
    counts[53:56] = 2.0  # day 59's window: days 53-59; its look-back: days 23-52
    for seen, new in ((22, True), (23, False)):
        before = counts.copy()
        before[seen] = 1.0
        assert evaluate(rule, before).fires[0, 59] == new, seen


def test_a_window_exactly_at_every_floor_fires():
    """min_baseline, min_current, min_ratio and min_z are what a window must reach (seeds/alerts.toml): a mutation
    test found each tested only away from its boundary."""
    counts = np.r_[np.ones(28), np.full(7, 2.0)]  # the last week: 14 articles, twice the 7 expected
    exact = Rule("exact", "surge", "pair", min_baseline=7.0, min_current=14, min_ratio=2.0)
    metrics = evaluate(exact, counts)
    assert (metrics.current[0, -1], metrics.baseline[0, -1], metrics.ratio[0, -1]) == (14, 7, 2)
    assert fired_days(metrics) == [34]
    assert fired_days(evaluate(replace(exact, min_z=metrics.z[0, -1]), counts)) == [34]


def test_a_window_exactly_at_its_floors_is_said_to_miss_none():
    rule = Rule("r", "surge", "pair", min_current=3, min_baseline=1.0, min_history=0.5)
    assert floors_missed(rule, 3, 1.0, 14) == []  # 14 days: half the 28-day baseline


def test_a_sparse_series_that_explodes_below_the_floor_is_named_with_the_floor_it_missed():
    """A quiet series that explodes fits no rule: its window clears the ratio and z, and the floor that kept it
    from being tested is said in the rule's own units."""
    counts = steady(60, 0.3)
    counts[53:60] = 3.0  # 21 articles in a week against ~2.1 expected
    metrics = evaluate(SURGE, counts)
    assert not metrics.fires.any()  # below min_baseline 5 a week
    rose = rose_past_thresholds(SURGE, metrics, min_articles=5)
    assert rose[0, 59] and not rose[0, :53].any()
    assert floors_missed(SURGE, metrics.current[0, 59], metrics.baseline[0, 59], metrics.history[0, 59]) == [
        f"expected {metrics.baseline[0, 59]:.2f} articles in 7 days, below the floor of 5.0"]
    # 8 healthy days of the 28 before day 59: day 52, of the rise's own earlier windows (untested too), is left out of
    # the level but counts as history (else a rise under min_history kept itself under it)
    young = evaluate(SURGE, counts, healthy=np.arange(60) >= 45)
    assert floors_missed(SURGE, young.current[0, 59], young.baseline[0, 59], young.history[0, 59])[0] == (
        "8 healthy days of history in the 28 before the window, below min_history 0.5 (14 days)")
    assert not rose_past_thresholds(SURGE, metrics, min_articles=25)[0].any()  # fewer than a handful: not listed


def test_a_small_corpus_total_outage_is_a_gap():
    """8 articles a day from 3 feeds, then 10 silent days: 0 against a median of 8 (or 3 feeds) is under 3 normal
    deviations, so none was a gap; its Poisson tail (negative binomial, 15 % day shocks) is 6e-4 alone."""
    volume, feeds = np.full(70, 8.0), np.full(70, 3.0)
    volume[40:50] = feeds[40:50] = 0
    assert np.flatnonzero(coverage_gaps(volume, feeds, CoverageRule(min_volume_ratio=0.6, min_feeds_ratio=0.7))
                          ).tolist() == list(range(40, 50))


def test_silent_days_too_few_to_prove_an_outage_alone_do_together():
    """3 articles a day: a silent day is chance (p = 0.06), three in a row are not (p = 2e-4)."""
    rule = CoverageRule(min_volume_ratio=0.6, min_feeds_ratio=0.7)
    volume, feeds = np.full(70, 3.0), np.full(70, 3.0)
    one, three = volume.copy(), volume.copy()
    one[45] = 0
    three[45:48] = 0
    assert not coverage_gaps(one, feeds, rule).any()
    assert np.flatnonzero(coverage_gaps(three, feeds, rule)).tolist() == [45, 46, 47]


def test_a_low_day_of_a_busy_corpus_is_no_gap_when_within_its_day_to_day_noise():
    """49 articles against a median of 85 (0.58) is 3.9 Poisson deviations, and was a gap on four bench corpora; the
    corpus's own day shocks (15 %) make it 2.3 deviations, as often as their days run that low."""
    volume, feeds = np.full(70, 85.0), np.full(70, 18.0)
    volume[45] = 49
    assert coverage_gaps(volume, feeds, CoverageRule(min_volume_ratio=0.6, overdispersion=0.0))[45]
    assert not coverage_gaps(volume, feeds, CoverageRule(min_volume_ratio=0.6, overdispersion=0.15)).any()


def test_count_log_cdf_is_the_exact_lower_tail():
    from pipeline.signals.rules import count_log_cdf

    counts, means = np.array([0.0, 3.0, 50.0]), np.array([8.0, 9.0, 100.0])
    poisson = np.exp(count_log_cdf(counts, means, np.full(3, np.inf)))
    assert poisson == pytest.approx([np.exp(-8), np.exp(-9) * (1 + 9 + 81 / 2 + 729 / 6), 2.4016e-8], rel=1e-4)
    size = 2.0  # negative binomial of mean 8, size 2: P(0) = (2 / 10)^2
    assert np.exp(count_log_cdf(np.array([0.0]), np.array([8.0]), np.array([size])))[0] == pytest.approx(0.04)
    # P(k) = C(k + 1, k) 0.2^2 0.8^k: 0.04 x (1 + 2 x 0.8 + 3 x 0.64) (a mutation test found only P(0) tested)
    assert np.exp(count_log_cdf(np.array([2.0]), np.array([8.0]), np.array([size])))[0] == pytest.approx(0.1808)


PAIR_SURGE = Rule("surge_pair", "surge", "pair", window_days=7, baseline_weeks=12, min_history=0.67,
                  min_baseline=0.5, min_current=15, min_ratio=4.0, min_z=4.0, overdispersion=0.25)


def test_a_burst_under_the_floor_is_no_baseline_for_itself():
    """A quiet pair (nothing for 12 weeks) runs 3 articles a day for a week: under the floor of 0.5 expected on its
    last day, it fired two days after it ended, 15 against the 0.5 its own first two days had made."""
    counts = np.zeros(130)
    counts[110:117] = 3.0
    metrics = evaluate(PAIR_SURGE, counts)
    assert fired_days(metrics) == []
    assert metrics.baseline[0, 118] == 0.0 and metrics.current[0, 116] == 21



BURST_WEEKDAY = Rule("burst_weekday", "weekday_zscore", "pair_topic", window_days=4, baseline_weeks=12,
                     min_baseline=2.0, min_current=8, min_ratio=2.0, min_z=4.0, overdispersion=0.25)


def test_a_long_burst_under_the_weekday_floor_is_no_baseline_for_itself():
    """A quiet series (nothing for 14 weeks) runs 10 articles a day for 9 days: under the floor of 2 expected in
    4 days, its windows were kept out for a week, then it fired on its 8th day, 40 against the 2.0 its own first
    four days had made, and went on firing after it ended."""
    counts = np.zeros(120)
    counts[100:109] = 10.0
    metrics = evaluate(BURST_WEEKDAY, counts, volume=np.tile(WEEKDAYS * 10, 18)[:120])
    assert fired_days(metrics) == []
    assert metrics.baseline[0, 107] == 0.0 and metrics.current[0, 107] == 40


def test_new_pair_with_a_look_back_is_new_again_after_years_apart():
    """A pair named together in 10 articles three years ago (one a week), then 6 in a week: new to an analyst, who has
    not seen it since, with prior_days 365; over the whole history (prior_days 0) it never is."""
    counts = np.zeros(1200)
    counts[50:120:7] = 1.0
    counts[1150:1153] = 2.0
    lately = Rule("new_pair", "new_pair", "pair", window_days=7, min_current=5, max_prior=1, prior_days=365)
    metrics = evaluate(lately, counts)
    assert fired_days(metrics) == [1152, 1153, 1154, 1155, 1156]
    assert metrics.baseline[0, 1152] == 0.0
    assert fired_days(evaluate(replace(lately, prior_days=0), counts)) == []
    assert fired_days(evaluate(replace(lately, prior_days=1100), counts)) == [], "10 articles within 1,100 days"
    assert lately.history_days == 7 + 365, "the look-back is read with the window: nothing older matters"


def test_new_pair_with_a_look_back_ignores_articles_before_the_days_read():
    counts = np.zeros(400)
    counts[390:393] = 2.0
    lately = Rule("new_pair", "new_pair", "pair", window_days=7, min_current=5, max_prior=1, prior_days=365)
    assert fired_days(evaluate(lately, counts, prior=np.array([40.0])))[0] == 392


def test_a_rise_left_out_of_the_level_still_counts_as_history():
    """The default demo's Pyongyang summit: its first 4-day windows rose one healthy day short of burst_weekday's
    min_history, and, their days (three of them before the summit) left out of the history too, every later window
    fell short again: the summit never alerted. Left out of the level only, it alerts once 42 days are behind it."""
    n, start = 160, 90  # no data before day 90, no weekday rhythm before 97: 42 days of history behind day 142's window
    counts = np.tile(WEEKDAYS / 2, 23)[:n]
    counts[139:145] *= 5
    metrics = evaluate(BURST_WEEKDAY, counts, healthy=np.arange(n) >= start, volume=np.tile(WEEKDAYS * 10, 23)[:n])
    assert metrics.history[0, 141] == 41 and metrics.history[0, 142] == 42
    assert fired_days(metrics)[0] == 142


def profile_deviance_z(count: float, mean: float, relative_variance: float) -> float:
    """z as docs/accuracy.md "## Alerting" defines it, by bisection rather than the rules' Newton steps: the log shock
    s of variance v = log(1 + relative_variance) minimising D(s) = 2 (x log(x / m e^s) - (x - m e^s)) + s^2 / v
    solves m e^s - x + s / v = 0, whose left side rises with s; z = sign(x - m) sqrt(D)."""
    v = math.log1p(relative_variance)
    low, high = -50.0, 50.0
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (low, middle) if mean * math.exp(middle) - count + middle / v > 0 else (middle, high)
    scaled = mean * math.exp(low)
    poisson = 2 * ((count * math.log(count / scaled) if count else 0.0) - (count - scaled))
    return math.copysign(math.sqrt(poisson + low ** 2 / v), count - mean)


@pytest.mark.parametrize("per_day, last_day, overdispersion", [
    (5.0, 20.0, 1.0),  # shocks as large as the level: Newton's step under 1e-2 is still 1e-4 off the shock
    (1.0, 70.0, 0.25),  # a quiet series' burst: one Newton step from the start is far off
    (1.0, 5000.0, 1.0),  # a 700-fold day: the best shock is e^6.5, past a clip at e^5
])
def test_surge_z_is_the_documented_deviance_against_a_week_of_a_noisy_baseline(per_day, last_day, overdispersion):
    """A steady series, its last day high: expected = 7 x the 28-day mean; its relative variance = the day shock's
    CV^2 + the baseline's own: a mean of 28 Poisson days of mean c has variance c / 28, relative 1 / (28 c). A mutation
    test found z pinned nowhere (Newton cut short, the baseline's noise without window_days)."""
    rule = Rule("z", "surge", "pair", window_days=7, baseline_weeks=4, min_ratio=np.inf, overdispersion=overdispersion)
    metrics = evaluate(rule, np.r_[np.full(34, per_day), last_day])
    assert metrics.baseline[0, -1] == 7 * per_day
    expected = profile_deviance_z(6 * per_day + last_day, 7 * per_day, overdispersion ** 2 + 1 / (28 * per_day))
    assert metrics.z[0, -1] == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("volume", [np.full(38, 100.0), np.tile(WEEKDAYS * 10, 6)[:38]], ids=["flat", "weekly"])
def test_weekday_z_pays_for_the_day_shocks_and_the_levels_own_noise(volume):
    """A series at a twentieth of the corpus (whose weeks are all alike: each day's usual volume is its own), its last
    day 4x. The level: days 7-34, the 28 with a rhythm before day 37's 3-day window. The shocks' CV^2
    (docs/accuracy.md "## Alerting"): independent days, 0.25^2 x sum(u^2) / sum(u)^2 over the window's usual
    volumes u (0.25^2 / 3 when flat), + the level's own, 1 / its articles + 0.25^2 / its 28 days. A mutation test
    found no overdispersion term pinned."""
    rule = Rule("z", "weekday_zscore", "pair", window_days=3, baseline_weeks=4, min_ratio=np.inf, overdispersion=0.25)
    counts = volume / 20
    counts[-1] *= 4
    metrics = evaluate(rule, counts, volume=volume)
    usual = volume[-3:]
    assert (metrics.baseline[0, -1], metrics.history[0, -1]) == (pytest.approx(usual.sum() / 20), 28)
    variance = 0.25 ** 2 * (usual ** 2).sum() / usual.sum() ** 2 + 1 / counts[7:35].sum() + 0.25 ** 2 / 28
    assert metrics.z[0, -1] == pytest.approx(profile_deviance_z(counts[-3:].sum(), usual.sum() / 20, variance),
                                             rel=1e-10)


@pytest.mark.parametrize("rule", [SURGE, ZSCORE], ids=lambda rule: rule.kind)
def test_no_z_before_a_full_window_and_0_for_a_window_as_expected(rule):
    """A steady 0.1 a day: a window exactly as expected is z = 0, though its sum and the baseline's mean round apart
    (the deviance a hair under 0). A mutation test found both untested: a z (against nothing) on days without a
    window, and a NaN z without the deviance's clamp at 0."""
    metrics = evaluate(rule, steady(90, 0.1))
    assert np.isnan(metrics.z[0, :rule.window_days - 1]).all()
    assert not np.isnan(metrics.z[0, rule.window_days - 1:]).any()
    assert metrics.z[0, -1] == pytest.approx(0.0, abs=1e-6)


def test_a_surge_that_fired_stays_in_later_surge_baselines():
    """Surge rules average every healthy day (ACLED-style): only rises a floor kept untested are left out (rules.py
    surge, docs/accuracy.md "## Alerting"), unlike weekday_zscore's bursts. A mutation test found that untested."""
    counts = steady(80)
    counts[50:54] = 8.0
    metrics = evaluate(SURGE, counts)
    assert fired_days(metrics) == [53, 54, 55, 56]
    assert metrics.baseline[0, 70] == pytest.approx(7 * counts[36:64].mean())  # day 70's 28 days: 36-63


NORMAL_3_SD = math.erfc(3 / math.sqrt(2)) / 2  # P(Z <= -3): min_drop_z 3's tail


def poisson_cdf(count: int, mean: float) -> float:
    return sum(math.exp(k * math.log(mean) - mean - math.lgamma(k + 1)) for k in range(count + 1))


def test_a_day_exactly_at_the_low_share_is_not_low():
    """Low is below the share of the median: 5 against a median of 10 at 0.5 is not, and does not join the outage
    beside it. A mutation test found the boundary untested."""
    volume = np.full(56, 10.0)
    volume[40], volume[41] = 0.0, 5.0
    assert np.flatnonzero(coverage_gaps(volume, np.full(56, 10.0), CoverageRule(min_volume_ratio=0.5))).tolist() == [40]


@pytest.mark.parametrize("as_likely, gap", [(1.0, True), (1.5, False)])
def test_a_silent_day_exactly_as_unlikely_as_min_drop_z_is_a_gap(as_likely, gap):
    """"At most that of min_drop_z normal deviations" (one-sided, 3: 0.00135): a Poisson day of mean m is 0 with
    probability e^-m, so at m = -log P(Z <= -3) the tail is exactly the bound, and 1.5 times as likely is above it. A
    mutation test found the boundary untested, and a two-sided bound (0.0027)."""
    volume = np.full(42, -math.log(as_likely * NORMAL_3_SD))
    volume[35] = 0.0
    gaps = coverage_gaps(volume, np.full(42, 10.0), CoverageRule(overdispersion=0.0))
    assert np.flatnonzero(gaps).tolist() == ([35] if gap else [])


def test_a_run_as_long_as_the_baseline_counts_as_one_stretch():
    """A stretch of at most baseline_weeks x 7 days is tested together. One week's baseline, 7 days of 15 articles
    against 20: six of them together are not improbable enough, all seven are. A mutation test found the longest
    stretch untested."""
    assert poisson_cdf(6 * 15, 6 * 20) > NORMAL_3_SD >= poisson_cdf(7 * 15, 7 * 20)
    volume = np.full(35, 20.0)
    volume[14:21] = 15.0
    rule = CoverageRule(baseline_weeks=1, min_volume_ratio=0.8, overdispersion=0.0)
    assert np.flatnonzero(coverage_gaps(volume, np.full(35, 10.0), rule)).tolist() == list(range(14, 21))


def test_feeds_are_a_poisson_count_whatever_the_articles_overdispersion():
    """CoverageRule: "Feeds: a Poisson count". 7 feeds against 20 is a Poisson tail under 3 deviations' (with the
    articles' 50 % day shocks it would not be). A mutation test found feeds given the articles' overdispersion."""
    assert poisson_cdf(7, 20.0) <= NORMAL_3_SD
    feeds = np.full(56, 20.0)
    feeds[40] = 7.0
    gaps = coverage_gaps(np.full(56, 100.0), feeds, CoverageRule(overdispersion=0.5))
    assert np.flatnonzero(gaps).tolist() == [40]


def test_the_weekday_median_ignores_one_busy_week():
    """The median of the same weekday over baseline_weeks: 7 articles after 10, 100 and 10 on its weekday is above 0.6
    of the median 10 (not of the mean 40), and no day around it is low. A mutation test found median and mean alike
    in every test."""
    volume = np.full(42, 10.0)
    volume[14], volume[28] = 100.0, 7.0
    assert not coverage_gaps(volume, np.full(42, 10.0), CoverageRule(baseline_weeks=3, min_volume_ratio=0.6)).any()


def test_a_window_one_outlet_short_of_min_outlets_is_blocked():
    """2 outlets, half the articles each, against min_outlets 3: blocked by the outlets alone. A mutation test found
    min_outlets tested only where the outlet share blocks too."""
    assert diversity_block(DiversityGate(min_outlets=3), 20, 2, 10) == "2 outlet(s) < 3"


def test_min_history_is_said_in_whole_days_enough_to_reach_it():
    """min_history 0.67 of 84 days is 56.28: a window needs 57 healthy days, and one with 56 is told so. A mutation test
    found the rounding untested (every test's share made whole days)."""
    rule = Rule("r", "surge", "pair", baseline_weeks=12, min_history=0.67)
    assert floors_missed(rule, 20, 5.0, 56) == [
        "56 healthy days of history in the 84 before the window, below min_history 0.67 (57 days)"]


def negative_binomial_cdf(count: int, mean: float, size: float) -> float:
    return sum(math.exp(math.lgamma(k + size) - math.lgamma(size) - math.lgamma(k + 1)
                        + size * math.log(size / (size + mean)) + k * math.log(mean / (size + mean)))
               for k in range(count + 1))


def test_the_days_of_a_low_run_are_shocked_apart():
    """CoverageRule: each day's median shocked apart by overdispersion. 3 days of 10 against 20: their sum's mean 60,
    its shock's variance 0.15^2 x 3 x 20^2, a negative binomial of size 60^2 / that = 3 / 0.15^2, is improbable; one
    shock for all three days (size 1 / 0.15^2) would not be, nor is one day alone. A mutation test found no test of a
    run of days with day shocks on."""
    one_shock, shocked_apart = 1 / 0.15 ** 2, 3 / 0.15 ** 2
    assert negative_binomial_cdf(10, 20.0, one_shock) > NORMAL_3_SD
    assert negative_binomial_cdf(30, 60.0, one_shock) > NORMAL_3_SD >= negative_binomial_cdf(30, 60.0, shocked_apart)
    volume = np.full(35, 20.0)
    volume[14:17] = 10.0  # low: under 0.6 x 20
    rule = CoverageRule(baseline_weeks=1, min_volume_ratio=0.6, overdispersion=0.15)
    gaps = coverage_gaps(volume, np.full(35, 10.0), rule)
    assert np.flatnonzero(gaps).tolist() == [14, 15, 16]


@pytest.mark.parametrize("rule", [SURGE, ZSCORE], ids=lambda rule: rule.kind)
def test_a_baseline_rule_without_a_floor_measures_no_rise_against_nothing(rule):
    """min_baseline 0 (a rule's default) let a first article after silent weeks fire on a z set by _z's 1e-9 floor of
    the expected count (a review found it). It passes the thresholds, is kept out, and says why; new_pair flags it."""
    floorless = replace(rule, min_baseline=0.0, min_current=1)
    counts = np.r_[np.zeros(90), rule.min_ratio * 5]
    metrics = evaluate(floorless, counts, volume=np.full(91, 100.0))
    assert metrics.baseline[0, -1] == 0 and not metrics.fires.any()
    assert rose_past_thresholds(floorless, metrics, 1)[0, -1]
    assert floors_missed(floorless, counts[-1], 0.0, metrics.history[0, -1]) == [
        f"expected no articles in {rule.window_days} days: a rise against nothing is not measured"]

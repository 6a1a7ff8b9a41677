"""The alert rules as pure functions over daily counts: no I/O, no dates, day indexes only.

Every kernel takes a (series x days) count matrix and returns the same-shaped Metrics, so one call
evaluates a rule for every series on every day. "As of day t" only ever looks at days <= t: replaying
history gives exactly the alerts a daily run would have raised.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

WEEK = 7


@dataclass(frozen=True)
class Rule:
    """One row of seeds/alerts.toml. Thresholds a kind does not use keep their neutral defaults."""
    id: str
    kind: str  # surge | weekday_zscore | new_pair
    level: str  # pair_topic | pair
    window_days: int = WEEK
    baseline_weeks: int = 4
    min_history: float = 0.5  # share of the baseline days that must be healthy and inside the data
    min_ratio: float = 0.0
    min_z: float = -np.inf
    min_baseline: float = 0.0
    min_current: int = 1
    overdispersion: float = 0.0  # news varies more than Poisson: each day's mean is shocked by this CV (log-normal)
    max_prior: int = 0  # new_pair: articles the pair may have had before the window
    prior_days: int = 0  # new_pair: days before the window those articles are counted over, 0 for all history
    pairs: tuple[str, ...] = ()  # the series it watches, "PRK-RUS": () for every pair
    topics: tuple[str, ...] = ()  # pair_topic: the topics it watches ("(none)" too): () for every topic

    @property
    def scoped(self) -> bool:
        return bool(self.pairs or self.topics)

    def covers(self, key: tuple) -> bool:
        """Whether the rule watches the series `key`, (iso_a, iso_b, topic or None)."""
        return ((not self.pairs or f"{key[0]}-{key[1]}" in self.pairs)
                and (not self.topics or key[2] in self.topics))

    @property
    def history_days(self) -> int:
        """Days of counts the rule reads before an evaluated day (new_pair gets older history as `prior`)."""
        if self.kind == "new_pair":  # with no look-back, older history comes summed as `prior`
            return self.window_days + self.prior_days
        baseline = self.baseline_weeks * WEEK
        if self.kind == "weekday_zscore":  # + the first pass's windows over the baseline, + their weekday rhythm
            return 2 * self.window_days + 3 * baseline
        return 2 * (self.window_days + baseline)  # + the first pass's windows over the baseline, + their baselines


@dataclass(frozen=True)
class Metrics:
    """Per series and day: the window's articles, what was expected, and whether the rule fires."""
    current: np.ndarray
    baseline: np.ndarray
    ratio: np.ndarray
    z: np.ndarray
    fires: np.ndarray
    history: np.ndarray | None = None  # healthy baseline days behind each window (min_history's count)


def rolling_sum(values: np.ndarray, window: int) -> np.ndarray:
    """Sum of the `window` days ending at each day (NaN until a full window exists)."""
    values = np.asarray(values, dtype=float)
    padded = np.concatenate([np.zeros(values.shape[:-1] + (1,)), np.cumsum(values, axis=-1)], axis=-1)
    out = np.full(values.shape, np.nan)
    out[..., window - 1:] = padded[..., window:] - padded[..., :-window]
    return out


def shifted(values: np.ndarray, lag: int, fill: float = np.nan) -> np.ndarray:
    """values[t - lag] at t (`fill` before the data starts)."""
    out = np.full(values.shape, fill, dtype=float)
    if lag < values.shape[-1]:
        out[..., lag:] = values[..., :values.shape[-1] - lag]
    return out


_NEWTON_STEPS = 50  # the deviance is convex in the shock: Newton converges, in ~5 steps from the start below
_MAX_SHOCK = 20.0  # e^20: keeps a diverging first step finite


def trailing_mean(counts: np.ndarray, healthy: np.ndarray, lag: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean daily count over the healthy days of [t - lag - length + 1, t - lag], and how many there were."""
    mask = np.broadcast_to(healthy, counts.shape).astype(float)
    total = shifted(rolling_sum(counts * mask, length), lag)
    days = shifted(rolling_sum(mask, length), lag)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / days, days


def _z(current: np.ndarray, expected: np.ndarray, relative_variance: np.ndarray) -> np.ndarray:
    """Signed root of the profile deviance of `current` against a Poisson mean that is itself uncertain by a
    factor: `relative_variance` is the squared coefficient of variation of the expected count (day-to-day
    shocks, the baseline's own estimate), taken as log-normal.

    At small counts the Poisson deviance keeps tail probabilities honest where (x - mean) / sd overstates
    surprise (10 articles against 2.1 expected reads 5.5 sd but happens once in 7,000 windows). At large
    counts the shocks dominate, and news shocks multiply coverage rather than add to it: a normal tail on
    the count makes 1.6-2.2x windows of busy series read z > 4 (docs/accuracy.md "## Alerting"). The log-
    normal shock that best explains `current` is found by Newton's method and paid for at its normal cost.
    """
    mean = np.maximum(np.nan_to_num(expected), 1e-9)
    count = np.nan_to_num(current)
    shock_var = np.log1p(np.maximum(np.nan_to_num(relative_variance), 0.0))
    inverse = np.divide(1.0, shock_var, out=np.zeros_like(shock_var), where=shock_var > 0)  # 0: no shock
    shock = _best_shock(mean.ravel(), count.ravel(), shock_var.ravel(), inverse.ravel()).reshape(mean.shape)
    scaled = mean * np.exp(shock)
    with np.errstate(invalid="ignore", divide="ignore"):
        poisson = 2 * (np.where(count > 0, count * np.log(count / scaled), 0.0) - (count - scaled))
    deviance = np.maximum(poisson + shock ** 2 * inverse, 0.0)
    return np.where(np.isnan(current), np.nan, np.sign(count - mean) * np.sqrt(deviance))


def _best_shock(mean: np.ndarray, count: np.ndarray, shock_var: np.ndarray, inverse: np.ndarray) -> np.ndarray:
    """The log shock minimising the profile deviance (0 where the shock has no variance), by Newton's method
    on mean * e^shock - count + shock / shock_var = 0, iterating only on the entries not yet converged."""
    # Start where a normal approximation puts the shock: the log ratio, weighted by how much of the
    # window's variance the shock carries (all of it for busy series, little for sparse ones).
    weight = shock_var * mean / (1 + shock_var * mean)
    shock = np.where(inverse > 0, np.log((count + 0.5) / (mean + 0.5)) * weight, 0.0)
    active = np.flatnonzero(inverse > 0)
    for _ in range(_NEWTON_STEPS):
        if not active.size:
            break
        at, scaled = shock[active], mean[active] * np.exp(shock[active])
        step = (scaled - count[active] + at * inverse[active]) / (scaled + inverse[active])
        shock[active] = np.clip(at - step, -_MAX_SHOCK, _MAX_SHOCK)
        active = active[np.abs(step) >= 1e-9]
    return shock


def _ratio(current: np.ndarray, expected: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(expected > 0, current / expected, np.inf)


def _fires(rule: Rule, current, expected, ratio, z, enough) -> np.ndarray:
    # Against an expected 0 (min_baseline 0, a rule's default) z measures the 1e-9 floor of _z, not a rise: a first
    # appearance is new_pair's to flag.
    with np.errstate(invalid="ignore"):
        return (enough & (expected > 0) & (expected >= rule.min_baseline) & (current >= rule.min_current)
                & (ratio >= rule.min_ratio) & (z >= rule.min_z))


def surge(counts: np.ndarray, healthy: np.ndarray, rule: Rule, prior: np.ndarray, volume: np.ndarray) -> Metrics:
    """ACLED-style: the latest window vs the average window of the trailing `baseline_weeks` weeks.

    A rise a floor kept from being tested is not the baseline: a first pass finds the windows that rose past the
    rule's ratio and z with the articles it needs but under its expected-count or history floor, and their days are
    left out of the baselines of the second (as weekday_zscore leaves out its bursts). Else a burst on a quiet pair
    lifts its own baseline over the floor and alerts days after it ended, against itself (21 articles vs 0 expected
    kept out on its last day, then 15 vs 0.6 "expected" two days later: the burst's own first days).
    """
    return _two_passes(lambda mask: _surge_window(counts, mask, rule), np.broadcast_to(healthy, counts.shape), rule,
                       lambda first: _untested_rises(rule, first))


def _two_passes(window_metrics: Callable[[np.ndarray], Metrics], mask: np.ndarray, rule: Rule,
                left_out: Callable[[Metrics], np.ndarray]) -> Metrics:
    """The second of two passes of `window_metrics`: its levels leave out the days of the windows `left_out` finds in
    the first. Its history still counts those days: a rise's days are healthy data, and left out of the history too, a
    rise one day under min_history kept itself under it (the default demo's Pyongyang summit of 2024-06-19: its first
    windows untested, their days, three of them before the summit, out of the history, it never alerted)."""
    first = window_metrics(mask)
    second = window_metrics(mask & ~_window_days(left_out(first), rule.window_days))
    enough = np.nan_to_num(first.history) >= rule.min_history * rule.baseline_weeks * WEEK
    fires = _fires(rule, second.current, second.baseline, second.ratio, second.z, enough)
    return Metrics(second.current, second.baseline, second.ratio, second.z, fires, first.history)


def _surge_window(counts: np.ndarray, mask: np.ndarray, rule: Rule) -> Metrics:
    length = rule.baseline_weeks * WEEK
    current = rolling_sum(counts, rule.window_days)
    mean, days = trailing_mean(counts, mask, rule.window_days, length)
    expected = mean * rule.window_days
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate_noise = rule.window_days / (days * expected)  # the baseline is itself a noisy estimate
    relative_variance = np.nan_to_num(estimate_noise, posinf=0.0) + rule.overdispersion ** 2
    ratio, z = _ratio(current, expected), _z(current, expected, relative_variance)
    enough = np.nan_to_num(days) >= rule.min_history * length
    return Metrics(current, expected, ratio, z, _fires(rule, current, expected, ratio, z, enough), days)


def _untested_rises(rule: Rule, metrics: Metrics) -> np.ndarray:
    """Windows that rose past the rule's ratio and z with its articles, but did not fire: a floor kept them out."""
    return rose_past_thresholds(rule, metrics, rule.min_current) & ~metrics.fires


def weekday_zscore(counts: np.ndarray, healthy: np.ndarray, rule: Rule, prior: np.ndarray,
                   volume: np.ndarray) -> Metrics:
    """The window against the series' usual level, scaled by the weekday rhythm of the whole corpus.

    News halves at weekends, so a plain trailing mean would call every Monday a surge. The rhythm comes from
    the corpus volume (`_weekday_volume`), the level from every healthy day of the series' trailing
    `baseline_weeks` weeks: many days estimate it far better than a few same-weekday samples, whose noise
    makes the expected count of a quiet series swing by half. A burst is not the baseline: days of windows
    this rule flags, or that rose past its ratio and z under a floor, are left out of later baselines (two
    passes), so one spike does not hide the next, and a long burst on a quiet series does not lift its own
    baseline over the floor (10 articles a day for 9 days fired on its 8th day, 40 against the 2.0 expected
    that its own first four days made).
    """
    usual = np.broadcast_to(_weekday_volume(volume, healthy, rule.baseline_weeks), counts.shape)
    return _two_passes(lambda mask: _weekday_burst(counts, mask, usual, rule), np.broadcast_to(healthy, counts.shape),
                       rule, lambda first: first.fires | _untested_rises(rule, first))


def _weekday_volume(volume: np.ndarray, healthy: np.ndarray, weeks: int) -> np.ndarray:
    """Each day's usual corpus volume: the mean of its weekday over the previous `weeks` weeks' healthy days."""
    usual = np.where(healthy, volume, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN at the start: no history, no verdict
        return np.nan_to_num(np.nanmean(np.stack([shifted(usual, WEEK * k) for k in range(1, weeks + 1)]), axis=0))


def _weekday_burst(counts: np.ndarray, mask: np.ndarray, usual: np.ndarray, rule: Rule) -> Metrics:
    """expected = share x usual volume of the window's days; share = the series' articles / usual volume
    over the baseline days in `mask`. Noise: Poisson counts around a mean shocked by `overdispersion` each day
    (independent days partly cancel over the window) and by the noise of the share itself (fewer baseline
    articles, a less certain level)."""
    length, window = rule.baseline_weeks * WEEK, rule.window_days
    taken = (mask & (usual > 0)).astype(float)  # a day whose weekday has no history yet has no known rhythm
    base_articles = shifted(rolling_sum(counts * taken, length), window)
    base_volume = shifted(rolling_sum(usual * taken, length), window)
    days = shifted(rolling_sum(taken, length), window)
    phi = rule.overdispersion ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(base_volume > 0, base_articles / base_volume, 0.0)
        level_noise = 1 / np.fmax(base_articles, 1) + phi / np.fmax(days, 1)
    window_volume = rolling_sum(usual, window)
    expected = share * window_volume
    with np.errstate(invalid="ignore", divide="ignore"):  # independent day shocks partly cancel over the window
        day_shocks = np.where(window_volume > 0, phi * rolling_sum(usual ** 2, window) / window_volume ** 2, 0.0)
    current = rolling_sum(counts, window)
    ratio, z = _ratio(current, expected), _z(current, expected, day_shocks + level_noise)
    enough = np.nan_to_num(days) >= rule.min_history * length
    return Metrics(current, expected, ratio, z, _fires(rule, current, expected, ratio, z, enough), days)


def _window_days(fires: np.ndarray, window: int) -> np.ndarray:
    """True on every day of a `window`-day window that fired (a window is dated by its last day)."""
    days = np.zeros(fires.shape, dtype=bool)
    for lag in range(window):
        days[..., :fires.shape[-1] - lag] |= fires[..., lag:]
    return days


def new_pair(counts: np.ndarray, healthy: np.ndarray, rule: Rule, prior: np.ndarray, volume: np.ndarray) -> Metrics:
    """A pair named together in >= min_current articles within the window, never (<= max_prior) before it: over the
    `prior_days` before it, or all history (`prior`: the articles before the days given) when that is 0."""
    current = rolling_sum(counts, rule.window_days)
    total = np.cumsum(counts, axis=-1)
    if rule.prior_days:  # a pair last seen together years ago is new again to an analyst
        total -= shifted(total, rule.prior_days, 0.0)
    else:
        total += np.asarray(prior, dtype=float)[..., None]
    before = shifted(total, rule.window_days, 0.0)
    nothing = np.full(current.shape, np.nan)
    with np.errstate(invalid="ignore"):
        fires = (current >= rule.min_current) & (before <= rule.max_prior)
    return Metrics(current, before, nothing, nothing, fires)


def rose_past_thresholds(rule: Rule, metrics: Metrics, min_articles: int) -> np.ndarray:
    """Windows whose ratio and z clear the rule's own thresholds with >= min_articles articles, floors aside:
    the rises a floor (min_baseline, min_current, min_history) may have kept from being tested."""
    with np.errstate(invalid="ignore"):  # a week of history at least: against none, everything looks new
        return ((metrics.ratio >= rule.min_ratio) & (metrics.z >= rule.min_z)
                & (metrics.current >= max(min_articles, 1)) & (np.nan_to_num(metrics.history) >= WEEK))


def floors_missed(rule: Rule, current: float, expected: float, history_days: float) -> list[str]:
    """Each floor of `rule` a window falls below, in the rule's own words and units."""
    length, missed = rule.baseline_weeks * WEEK, []
    needed = rule.min_history * length
    if np.nan_to_num(history_days) < needed:
        missed.append(f"{np.nan_to_num(history_days):.0f} healthy days of history in the {length} before the window, "
                      f"below min_history {rule.min_history:g} ({math.ceil(needed)} days)")
    if expected < rule.min_baseline:
        missed.append(f"expected {expected:.2f} articles in {rule.window_days} days, below the floor of "
                      f"{rule.min_baseline:.1f}")
    elif expected <= 0:
        missed.append(f"expected no articles in {rule.window_days} days: a rise against nothing is not measured")
    if current < rule.min_current:
        missed.append(f"{current:.0f} articles in {rule.window_days} days, below the floor of {rule.min_current}")
    return missed


KERNELS: dict[str, Callable[[np.ndarray, np.ndarray, Rule, np.ndarray, np.ndarray], Metrics]] = {
    "surge": surge, "weekday_zscore": weekday_zscore, "new_pair": new_pair,
}


def evaluate(rule: Rule, counts: np.ndarray, healthy: np.ndarray | None = None,
             prior: np.ndarray | None = None, volume: np.ndarray | None = None) -> Metrics:
    """Run `rule` over counts (series x days, or one series); healthy: days with normal coverage;
    volume: the corpus's articles per day (default: the series given, summed), whose weekday rhythm
    weekday_zscore follows."""
    counts = np.atleast_2d(np.asarray(counts, dtype=float))
    healthy = np.ones(counts.shape[-1], dtype=bool) if healthy is None else np.asarray(healthy, dtype=bool)
    prior = np.zeros(counts.shape[0]) if prior is None else np.asarray(prior, dtype=float)
    volume = counts.sum(axis=0) if volume is None else np.asarray(volume, dtype=float)
    return KERNELS[rule.kind](counts, healthy, rule, prior, volume)


# --- coverage, diversity, cooldown -------------------------------------------------------------------------
@dataclass(frozen=True)
class CoverageRule:
    """A day is a coverage gap when volume or active feeds fall below a share of the same weekday's median, and
    improbably so: in a small warehouse a quiet Sunday easily halves by chance, and calling that an outage would
    silence real alerts.

    "Improbably": the count's lower tail P(X <= x) is at most that of `min_drop_z` normal deviations (3: 0.00135),
    for a day alone or for a stretch of consecutive low days together. 0 articles against a median of 8 is
    p = 6e-4 alone; three silent days against 3 a day are p = 2e-4 together, though none is alone (p = 0.06).
    Articles: a Poisson count around the median, itself shocked by `overdispersion` (a negative binomial: news days
    vary more than Poisson). Feeds: a Poisson count, a cautious bound for sources that each publish most days
    (their count varies less than Poisson's).
    """
    baseline_weeks: int = 4  # the defaults are the bundled seeds/alerts.toml's: a [coverage] left out means them
    min_volume_ratio: float = 0.6
    min_feeds_ratio: float = 0.7
    min_drop_z: float = 3.0
    overdispersion: float = 0.15  # the day volume's coefficient of variation around its median, beyond Poisson
    on_gap: str = "suppress"  # suppress | mark
    # A new pair's look-back could see it only where the corpus then ran at this share of the window's articles a day:
    # feeds added (17 where there were 2) make every pair they name, and the old ones did not, look new.
    min_prior_volume_share: float = 0.25


def coverage_gaps(volume: Sequence[float], feeds: Sequence[float], rule: CoverageRule) -> np.ndarray:
    """True on days whose article volume or count of active feeds dropped (an outage, not a news lull)."""
    low, deep = np.zeros(len(volume), dtype=bool), np.zeros(len(volume), dtype=bool)
    most_unlikely = _normal_lower_tail(rule.min_drop_z)
    for series, share, overdispersion in ((volume, rule.min_volume_ratio, rule.overdispersion),
                                          (feeds, rule.min_feeds_ratio, 0.0)):
        series = np.asarray(series, dtype=float)
        history = np.stack([shifted(series, WEEK * k) for k in range(1, rule.baseline_weeks + 1)])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN at the very start: no history, no verdict
            median = np.nanmedian(history, axis=0)
        with np.errstate(invalid="ignore"):
            below = series < share * median
        low |= below
        deep |= _improbable_runs(series, median, below, overdispersion, most_unlikely, rule.baseline_weeks * WEEK)
    return _spread(deep, low)


def _normal_lower_tail(deviations: float) -> float:
    """The probability of falling `deviations` standard deviations below a normal mean (3: 0.00135)."""
    return 0.5 * math.erfc(deviations / math.sqrt(2))


def _improbable_runs(counts: np.ndarray, medians: np.ndarray, below: np.ndarray, overdispersion: float,
                     most_unlikely: float, longest: int) -> np.ndarray:
    """True on each run of consecutive `below` days in which a stretch of at most `longest` days (one day alone, or
    several) holds so few counts that its total falls that low with probability <= `most_unlikely`: the stretch's
    medians summed as the mean, each day shocked apart by `overdispersion`. A longer stretch is left out: by then
    the median is made of the low days themselves."""
    deep = np.zeros(len(counts), dtype=bool)
    if most_unlikely <= 0:
        return deep
    edges = np.flatnonzero(np.diff(np.r_[0, below.astype(np.int8), 0]))
    for start, stop in zip(edges[::2], edges[1::2]):
        counted, expected, squares = (np.r_[0.0, np.cumsum(values[start:stop])]
                                      for values in (counts, medians, medians ** 2))
        first, last = np.triu_indices(stop - start + 1, k=1)
        short = last - first <= longest
        first, last = first[short], last[short]
        mean = expected[last] - expected[first]
        with np.errstate(divide="ignore"):  # days shocked apart: the size of the sum's negative binomial
            size = mean ** 2 / (overdispersion ** 2 * (squares[last] - squares[first]))
        tail = count_log_cdf(counted[last] - counted[first], mean, size)
        deep[start:stop] = (tail <= math.log(most_unlikely)).any()
    return deep


_LOG_GAMMA = np.frompyfunc(math.lgamma, 1, 1)


def _log_gamma(values: np.ndarray) -> np.ndarray:
    return _LOG_GAMMA(values).astype(float)


def count_log_cdf(count: np.ndarray, mean: np.ndarray, size: np.ndarray) -> np.ndarray:
    """log P(X <= count) for integer counts below positive means: X negative binomial with that mean and `size`
    (variance mean + mean^2 / size), Poisson where size is inf. Exact where a normal approximation of the lower tail
    fails, at small means: P(X <= x) = P(X = x) * (1 + P(X = x-1) / P(X = x) + ...), whose terms shrink by at
    most about x / mean < 1, so a few dozen of them do for the low counts asked about."""
    count, mean = np.asarray(count, dtype=float), np.asarray(mean, dtype=float)
    poisson = np.isinf(size)
    size = np.where(poisson, 1.0, size)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_pmf = np.where(poisson, count * np.log(mean) - mean,
                           _log_gamma(count + size) - _log_gamma(size) + size * np.log(size / (size + mean))
                           + count * np.log(mean / (size + mean))) - _log_gamma(count + 1)
        term, total = np.ones(count.shape), np.ones(count.shape)
        for k in range(int(count.max(initial=0))):
            step = np.where(poisson, 1.0, (size + mean) / (size + count - k - 1))
            term *= np.where(count > k, (count - k) / mean * step, 0.0)
            total += term
            if (term <= 1e-17 * total).all():
                break
        return log_pmf + np.log(total)


def _spread(gaps: np.ndarray, low: np.ndarray) -> np.ndarray:
    """Outages are contiguous: a low day next to a gap is part of it, even when too quiet to prove it alone."""
    gaps = gaps.copy()
    for order in (range(1, len(gaps)), range(len(gaps) - 2, -1, -1)):
        for t in order:
            neighbour = t - 1 if order.step == 1 else t + 1
            gaps[t] |= low[t] and gaps[neighbour]
    return gaps


@dataclass(frozen=True)
class DiversityGate:
    """Enough independent sources: a rise one outlet supplies is that outlet's behaviour, not news."""
    min_outlets: int = 2
    max_outlet_share: float = 0.5  # of the window's articles
    max_rise_share: float = math.inf  # of the window's rise above expected, beyond the outlet's usual share
    usual_days: int = 84  # the days before the window that give an outlet's usual share of the series
    # of the window's rise, the copies of its stories beyond the series' usual share of copies (signals/copies.py)
    max_copy_rise_share: float = math.inf


def rise_share(current: float, expected: float, top_outlet_articles: int, top_outlet_usual_share: float) -> float:
    """How much of the window's rise above `expected` its biggest outlet supplied, beyond its usual share.

    A busy series hides a flooding outlet from the window share (6 extra articles a day among 20 others
    is a quarter of the window), but not from this: the rise is nearly all that outlet's.
    """
    rise = current - expected
    if rise <= 0:
        return 0.0  # no rise, nothing for one outlet to have driven (only when a rule's thresholds are off)
    return (top_outlet_articles - expected * top_outlet_usual_share) / rise


def diversity_block(gate: DiversityGate, articles: int, outlets: int, top_outlet_articles: int,
                    top_rise_share: float = 0.0) -> str | None:
    """Why the gate blocks a window, or None when it passes."""
    if outlets < gate.min_outlets:
        return f"{outlets} outlet(s) < {gate.min_outlets}"
    share = top_outlet_articles / articles if articles else 1.0
    if share > gate.max_outlet_share:
        return f"one outlet supplies {share:.0%} > {gate.max_outlet_share:.0%}"
    if top_rise_share > gate.max_rise_share:
        return f"one outlet supplies {top_rise_share:.0%} of the rise > {gate.max_rise_share:.0%}"
    return None


def cooldown(days: Sequence[int], cooldown_days: int) -> list[bool]:
    """Which of the ascending firing `days` raise an alert: none within cooldown_days of the last one raised."""
    kept, last = [], None
    for day in days:
        keep = last is None or day - last >= cooldown_days
        kept.append(keep)
        last = day if keep else last
    return kept

"""The best recall any detector could reach on the injected spikes: the yardstick for the alert scores.

The oracle knows what no rule can: each spiked series' true daily mean and its noise law (Poisson counts
around a mean shocked log-normally every day, as pipeline.demo draws them). It puts one count threshold on
every window, set so that the false-alert budget is spent in full on independent windows, and reports the
chance that each spike's window clears it. Real rules estimate the level from history and replay every
day, so they can only do worse: where the oracle misses a recall target, the corpus cannot show that target.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

DRAWS = 400_000  # per spike and hypothesis: ~50 null draws beyond a 1-in-7,000 threshold


def per_window_budget(false_per_1000_pair_weeks: float, pair_weeks: float, series: int, weeks: int,
                      window_days: int) -> float:
    """The chance a null window may cross the threshold: the allowed false alerts spread over the
    independent (non-overlapping) windows of every series, the most generous way to spend them."""
    windows = series * weeks * 7 / window_days
    return false_per_1000_pair_weeks * pair_weeks / 1000 / windows if windows else 0.0


def window_counts(daily_mean: float, days: int, sigma: float, rng: np.random.Generator,
                  draws: int = DRAWS) -> np.ndarray:
    """`draws` window totals: each day Poisson around `daily_mean` times a log-normal shock of mean 1."""
    shocks = np.exp(rng.normal(-sigma ** 2 / 2, sigma, (draws, days)))
    return rng.poisson(daily_mean * shocks).sum(axis=1)


def detection_chance(daily_mean: float, multiplier: float, days: int, sigma: float, budget: float,
                     rng: np.random.Generator, draws: int = DRAWS) -> float:
    """The chance a spike's window clears the lowest threshold a null window crosses at most `budget` of the time."""
    null = np.sort(window_counts(daily_mean, days, sigma, rng, draws))
    threshold = null[min(int(np.ceil((1 - budget) * draws)), draws - 1)] + 1
    return float((window_counts(daily_mean * multiplier, days, sigma, rng, draws) >= threshold).mean())


def oracle_recall(spikes: Iterable[tuple[float, float]], days: int, sigma: float, budget: float,
                  seed: int = 0) -> float | None:
    """Expected share of `spikes` ((daily mean, multiplier) each) the oracle detects."""
    rng = np.random.default_rng(seed)
    chances = [detection_chance(mean, multiplier, days, sigma, budget, rng) for mean, multiplier in spikes]
    return sum(chances) / len(chances) if chances else None

"""The oracle recall bound (bench/alert_oracle.py) on cases whose answer is known in closed form."""
from __future__ import annotations

import math

import numpy as np
import pytest

from bench.alert_oracle import detection_chance, oracle_recall, per_window_budget


def poisson_tail(k: int, mean: float) -> float:
    return 1 - sum(math.exp(-mean) * mean ** i / math.factorial(i) for i in range(k))


def test_budget_spreads_the_allowed_false_alerts_over_independent_windows():
    # 1 per 1,000 pair-weeks over 884 pair-weeks = 0.884 alerts; 68 series x 52 weeks x 7 days / 4-day windows
    assert per_window_budget(1.0, 884, 68, 52, 4) == pytest.approx(0.884 / (68 * 52 * 7 / 4))
    assert per_window_budget(1.0, 884, 0, 52, 4) == 0.0


def test_without_day_noise_the_threshold_is_the_poisson_one():
    # 1.5 a day over 4 days: mean 6, and P(X >= 14) = 0.0036 is the first tail under 0.005
    budget = 0.005
    threshold = next(k for k in range(60) if poisson_tail(k, 6.0) <= budget)
    expected = poisson_tail(threshold, 18.0)  # a 3x spike
    found = detection_chance(1.5, 3.0, 4, 0.0, budget, np.random.default_rng(1), draws=200_000)
    assert found == pytest.approx(expected, abs=0.01)


def test_day_noise_costs_recall_and_big_spikes_are_always_found():
    rng = np.random.default_rng(2)
    quiet = detection_chance(1.5, 3.0, 4, 0.0, 1e-3, rng, draws=100_000)
    noisy = detection_chance(1.5, 3.0, 4, 0.6, 1e-3, rng, draws=100_000)
    assert noisy < quiet
    assert detection_chance(20.0, 5.0, 4, 0.23, 1e-4, rng, draws=100_000) == 1.0


def test_oracle_recall_averages_the_spikes():
    assert oracle_recall([], 4, 0.2, 1e-4) is None
    both = oracle_recall([(20.0, 5.0), (0.2, 1.5)], 4, 0.0, 1e-4, seed=3)
    assert 0.5 <= both < 0.6  # the big spike always, the tiny one almost never

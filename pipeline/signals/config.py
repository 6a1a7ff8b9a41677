"""Load and validate seeds/alerts.toml: the alert rules, coverage health, source gate and engine settings."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from .rules import KERNELS, WEEK, CoverageRule, DiversityGate, Rule

DEFAULT_ALERTS_FILE = Path(__file__).resolve().parents[2] / "seeds" / "alerts.toml"
LEVELS = ("pair_topic", "pair")
ON_GAP = ("suppress", "mark")
_COMMON_KEYS = {"id", "kind", "level", "window_days", "min_current"}
_BASELINE_KEYS = {"baseline_weeks", "min_history", "min_ratio", "min_z", "min_baseline", "overdispersion"}
KIND_KEYS = {"surge": _COMMON_KEYS | _BASELINE_KEYS, "weekday_zscore": _COMMON_KEYS | _BASELINE_KEYS,
             "new_pair": _COMMON_KEYS | {"max_prior"}}


class AlertConfigError(ValueError):
    """seeds/alerts.toml (or the file given) is malformed or inconsistent."""


@dataclass(frozen=True)
class Settings:
    lookback_days: int = WEEK  # `pactwatch alerts` without --since shows the alerts of the latest week
    cooldown_days: int = WEEK  # one alert per series within this many days; the first rule listed wins
    warmup_days: int = 28  # no alerts before the data has this much history (everything looks new)
    evidence_articles: int = 5
    evidence_sentences: int = 5


@dataclass(frozen=True)
class AlertConfig:
    settings: Settings
    coverage: CoverageRule
    gate: DiversityGate
    rules: tuple[Rule, ...]

    @property
    def history_days(self) -> int:
        """Days of data before an evaluated day that the rules (and coverage health) look at."""
        return max([rule.history_days for rule in self.rules] + [self.coverage.baseline_weeks * WEEK])

    def rules_for(self, level: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.level == level)


def load_alert_config(path: Path | None = None) -> AlertConfig:
    """The alert configuration from `path` (default: the bundled seeds/alerts.toml), cached per file."""
    return _cached((path or DEFAULT_ALERTS_FILE).resolve())


@cache
def _cached(path: Path) -> AlertConfig:
    try:
        table = tomllib.loads(path.read_bytes().decode("utf-8-sig"))  # the BOM some Windows editors write is no slip
    except UnicodeDecodeError as error:  # UTF-16 from an editor's "Unicode": tomllib's own error names no file
        raise AlertConfigError(f"{path}: not UTF-8 text (byte {error.start}): save it as UTF-8") from error
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise AlertConfigError(f"{path}: {error}") from error
    try:
        return parse_alert_config(table)
    except AlertConfigError as error:
        raise AlertConfigError(f"{path}: {error}") from error


def parse_alert_config(table: dict) -> AlertConfig:
    unknown = set(table) - {"settings", "coverage", "gate", "rule"}
    if unknown:
        raise AlertConfigError(f"unknown sections {sorted(unknown)}")
    coverage = _section(CoverageRule, table.get("coverage", {}), "coverage")
    if coverage.on_gap not in ON_GAP:
        raise AlertConfigError(f"coverage.on_gap must be one of {ON_GAP}, got {coverage.on_gap!r}")
    rules = tuple(_rule(entry) for entry in table.get("rule", []))
    if not rules:
        raise AlertConfigError("no [[rule]] defined")
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        raise AlertConfigError(f"duplicate rule ids in {ids}")
    return AlertConfig(_section(Settings, table.get("settings", {}), "settings"), coverage,
                       _section(DiversityGate, table.get("gate", {}), "gate"), rules)


def _section(cls, values: dict, name: str):
    known = {f.name: f.type for f in fields(cls)}
    unknown = set(values) - set(known)
    if unknown:
        raise AlertConfigError(f"[{name}] unknown keys {sorted(unknown)}")
    return cls(**values)


def _rule(entry: dict) -> Rule:
    name = entry.get("id", "?")
    kind = entry.get("kind")
    if kind not in KERNELS:
        raise AlertConfigError(f"rule {name!r}: kind must be one of {sorted(KERNELS)}, got {kind!r}")
    unknown = set(entry) - KIND_KEYS[kind]
    if unknown:
        raise AlertConfigError(f"rule {name!r}: keys {sorted(unknown)} do not apply to kind {kind!r}")
    if entry.get("level") not in LEVELS or (kind == "new_pair" and entry["level"] != "pair"):
        raise AlertConfigError(f"rule {name!r}: level must be one of {LEVELS} (new_pair: pair)")
    if not 1 <= entry.get("window_days", WEEK) <= WEEK:
        raise AlertConfigError(f"rule {name!r}: window_days must be 1..{WEEK} (the weekday baseline needs it)")
    if "id" not in entry:
        raise AlertConfigError("a rule has no id")
    return Rule(**entry)

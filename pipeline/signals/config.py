"""Load and validate seeds/alerts.toml: the alert rules, coverage health, source gate and engine settings."""
from __future__ import annotations

import difflib
import math
import re
import reprlib
import tomllib
from dataclasses import MISSING, dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Callable, NamedTuple

from ..pairs import pair_codes, parse_pair
from ..paths import SEEDS
from ..tagging.model import NO_TOPIC, TOPIC_ID
from ..toml_lines import line_in, line_index, located, syntax_error
from .rules import KERNELS, WEEK, CoverageRule, DiversityGate, Rule

DEFAULT_ALERTS_FILE = SEEDS / "alerts.toml"
LEVELS = ("pair_topic", "pair")
ON_GAP = ("suppress", "mark")
_COMMON_KEYS = {"id", "kind", "level", "window_days", "min_current", "pairs", "topics"}
_BASELINE_KEYS = {"baseline_weeks", "min_history", "min_ratio", "min_z", "min_baseline", "overdispersion"}
KIND_KEYS = {"surge": _COMMON_KEYS | _BASELINE_KEYS, "weekday_zscore": _COMMON_KEYS | _BASELINE_KEYS,
             "new_pair": _COMMON_KEYS | {"max_prior", "prior_days"}}
MAX_DAYS = 3650  # ten years, for a span of days: longer than any archive worth replaying; dates stay in range
# Five years (five times the bundled rules' year) for a baseline: the rules hold its days in memory for every
# series, three times over for weekday_zscore, whether or not the data reaches back that far.
MAX_WEEKS = 260
MAX_ARTICLES = 1_000_000  # more than one series gets in a week, and within the store's integers
MAX_EVIDENCE = 1000  # evidence per alert is a sample to read, not the window's listing


class Field(NamedTuple):
    """What one key of alerts.toml takes: its type, bounds (inclusive, the lower exclusive where low_open; NaN is
    within none) or choices, and what it means. A bool is no number here: TOML `true` for one is a slip."""
    type: type  # int, float (an integer will do) or str
    low: float
    high: float
    meaning: str
    low_open: bool = False
    choices: tuple[str, ...] = ()
    pattern: re.Pattern | None = None  # a string field's form, matched whole; a list's: each item's
    items: str = ""  # a list's items, as `wanted` names them
    item_form: Callable[[str], str] = str  # a list item as the rules compare it

    def accepts(self, value) -> bool:
        if self.type is tuple:  # a non-empty list of strings of `pattern`
            return isinstance(value, list) and bool(value) and all(
                isinstance(item, str) and self.pattern.fullmatch(item) and self.item_form(item) for item in value)
        if isinstance(value, bool) or not isinstance(value, (int, float) if self.type is float else self.type):
            return False
        if self.type is str:
            if self.pattern:
                return bool(self.pattern.fullmatch(value))
            return value in self.choices if self.choices else bool(value.strip())
        return (self.low < value if self.low_open else self.low <= value) and value <= self.high

    def wanted(self) -> str:
        if self.type is tuple:
            return f"a non-empty list of {self.items}"
        if self.type is str:
            if self.pattern:
                return f"a name of {_NAME_CHARACTERS}"
            return f"one of {', '.join(map(repr, self.choices))}" if self.choices else "a non-empty string"
        above = f"> {self.low}" if self.low_open else f">= {self.low}"
        noun = "an integer" if self.type is int else "a number"
        return f"{noun} {above}" if self.high == math.inf else f"{noun} {above} and <= {self.high}"

    def converted(self, value):
        """A number field's integer as a float: numpy refuses an integer past float's range, which is infinite. A list
        as a tuple of its items in the rules' form, each once."""
        if self.type is tuple:
            return tuple(dict.fromkeys(map(self.item_form, value)))
        if self.type is not float:
            return value
        try:
            return float(value)
        except OverflowError:
            return math.inf


def _text(meaning: str, choices: tuple[str, ...] = ()) -> Field:
    return Field(str, -math.inf, math.inf, meaning, choices=choices)


# A rule's id ends up in one-line CLI summaries, logfmt, webhook payloads and URLs: a line break or a space in it
# would split or garble them, so it takes the characters of a feed id.
_NAME_CHARACTERS = "lower-case letters, digits, '.', '_' or '-' (at most 64)"
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def _name(meaning: str) -> Field:
    return Field(str, -math.inf, math.inf, meaning, pattern=_NAME)


# The fields of each section and of a [[rule]]: types, ranges and meanings. A number's range keeps every value
# the code can use meaningfully; `inf` is accepted where it means "no limit" or "never".
SETTINGS_FIELDS = {
    "lookback_days": Field(int, 1, MAX_DAYS, "days of alerts shown when no first day is given"),
    "cooldown_days": Field(int, 0, MAX_DAYS, "days after an alert in which its series raises no other, 0 or 1 "
                                             "for an alert each firing day"),
    "warmup_days": Field(int, 0, MAX_DAYS, "days of data before the first alert"),
    "evidence_articles": Field(int, 1, MAX_EVIDENCE, "articles shown per alert"),
    "evidence_sentences": Field(int, 1, MAX_EVIDENCE, "sentences shown per alert"),
    "kept_out_min_articles": Field(int, 1, MAX_ARTICLES, "articles a window a rule's floor kept untested needs "
                                                         "to be listed as such"),
    "kept_out_listed": Field(int, 0, MAX_EVIDENCE, "series listed whose rise a rule's floor kept untested, "
                                                   "biggest rise first, 0 for none"),
}
COVERAGE_FIELDS = {
    "baseline_weeks": Field(int, 1, MAX_WEEKS, "weeks of the same weekday whose median a day is held against"),
    "min_volume_ratio": Field(float, 0, 1, "share of that median under which a day's articles are low"),
    "min_feeds_ratio": Field(float, 0, 1, "share of that median under which a day's active feeds are low"),
    "min_drop_z": Field(float, 0, math.inf, "how unlikely a low day, or a run of them, must be to be a gap: as "
                                            "unlikely as this many normal deviations below the mean, inf for never"),
    "overdispersion": Field(float, 0, 10, "the day volume's coefficient of variation around its median beyond "
                                          "Poisson, 0 for Poisson"),
    "on_gap": _text("what becomes of a window touching a coverage gap", ON_GAP),
    "min_prior_volume_share": Field(float, 0, 1, "share of a new pair's window's articles a day (all the corpus's) "
                                                 "that its look-back (prior_days, not 0) must have averaged, 0 for any"),
}
GATE_FIELDS = {
    "min_outlets": Field(int, 1, math.inf, "outlets a window needs"),
    "max_outlet_share": Field(float, 0, 1, "most of a window's articles one outlet may supply"),
    "max_rise_share": Field(float, 0, math.inf, "most of a window's rise one outlet may supply beyond its usual "
                                                "share, which can pass 1, inf for no limit"),
    "usual_days": Field(int, 0, MAX_DAYS, "days before a window that give an outlet's usual share, 0 for none"),
    "max_copy_rise_share": Field(float, 0, math.inf, "most of a window's rise that copies of its stories (articles "
                                                     "beyond each story's first) may make beyond the series' usual "
                                                     "share of copies, which can pass 1, inf for no limit"),
}
RULE_FIELDS = {
    "id": _name("the rule's name in alerts"),
    "kind": _text("the rule's test", tuple(KERNELS)),
    "level": _text("the series the rule runs on, pair for new_pair", LEVELS),
    "window_days": Field(int, 1, WEEK, "days in the window: weekday_zscore's rhythm is a week's"),
    "baseline_weeks": Field(int, 1, MAX_WEEKS, "weeks of history the window is held against"),
    "min_history": Field(float, 0, 1, "share of the baseline days that must be healthy and inside the data"),
    "min_ratio": Field(float, 0, math.inf, "times expected the window must reach"),
    "min_z": Field(float, 0, math.inf, "the signed deviance the window must reach", low_open=True),
    "min_baseline": Field(float, 0, math.inf,
                          "expected articles under which the rule stays silent (at 0 too: a first appearance is new_pair's)"),
    "min_current": Field(int, 1, MAX_ARTICLES, "articles the window needs"),
    # At a CV of 1,000% a hundredfold rise is z = 2: beyond, nothing alerts. Squared past float's range (1e154)
    # it crashed, or switched the shock off and alerted more.
    "overdispersion": Field(float, 0, 10, "the expected count's day-to-day coefficient of variation, 0 for Poisson"),
    "max_prior": Field(int, 0, MAX_ARTICLES, "articles the pair may have had before the window"),
    # A baseline's five years at most: the rule reads these days for every pair, as a baseline's
    "prior_days": Field(int, 0, MAX_WEEKS * WEEK, "days before the window whose articles max_prior counts, 0 for "
                                                 "all the warehouse's"),
    # a watch: a rule testing these series alone, with thresholds of its own; it adds to the other rules, which
    # still test them (seeds/alerts.toml)
    "pairs": Field(tuple, -math.inf, math.inf, "the only pairs the rule watches (all when left out)",
                   pattern=re.compile(r"\s*[A-Za-z]{3}[-–\s,]+[A-Za-z]{3}\s*"),  # as parse_pair reads
                   items="pairs of two different ISO3 codes such as 'PRK-RUS'", item_form=parse_pair),
    "topics": Field(tuple, -math.inf, math.inf, "the only topics the rule watches, level pair_topic (all when left "
                                                "out)", pattern=re.compile(f"{TOPIC_ID}|{re.escape(NO_TOPIC)}"),
                    items="topic ids such as 'military' (or '(none)')"),
}


class Problem(NamedTuple):
    """One mistake in alerts.toml: what is wrong, and where, as the path of names and indexes into the parsed file
    (("settings", "lookback_days"), ("rule", 2, "min_z"), ("rule", 2) for the third rule as a whole)."""
    keys: tuple
    text: str


class AlertConfigError(ValueError):
    """seeds/alerts.toml (or the file given) is malformed or inconsistent. Its message says every mistake on one line,
    "; "-separated (for a cron log and the CLI); `mistakes` holds them apart (for the Alerts page), and `problems`,
    when the file parsed, where in it each one is."""

    def __init__(self, *mistakes: str, problems: tuple[Problem, ...] = ()):
        super().__init__("; ".join(mistakes))
        self.mistakes, self.problems = mistakes, problems


@dataclass(frozen=True)
class Settings:
    lookback_days: int = WEEK  # `pactwatch alerts` without --since shows the alerts of the latest week
    cooldown_days: int = WEEK  # one alert per series within this many days; the first rule listed wins
    warmup_days: int = 28  # no alerts before the data has this much history (everything looks new)
    evidence_articles: int = 5
    evidence_sentences: int = 5
    kept_out_min_articles: int = 5  # a rise of fewer articles is not worth an analyst's look, whatever its z
    kept_out_listed: int = 10


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
    """The alert configuration from `path` (default: the bundled seeds/alerts.toml), cached per file as it stands:
    a running dashboard takes an edit at its next rerun."""
    path = (path or DEFAULT_ALERTS_FILE).resolve()
    try:
        stat = path.stat()
    except OSError as error:
        raise AlertConfigError(f"{path}: {error}") from error
    return _cached(path, stat.st_mtime_ns, stat.st_size, _watched_seeds_state())


def _watched_seeds_state() -> tuple:
    """The state of the seed files a watch's pairs and topics are checked against: an edit of them checks it again."""
    return tuple(map(_file_state, (SEEDS / "topics" / "topics.toml", SEEDS / "gazetteer" / "iso_countries.csv")))


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=8)
def _cached(path: Path, mtime_ns: int, size: int, _seeds: tuple) -> AlertConfig:  # the files' state is the key
    try:
        text = path.read_bytes().decode("utf-8-sig")  # the BOM some Windows editors write is no slip
        table = tomllib.loads(text)
    except UnicodeDecodeError as error:  # UTF-16 from an editor's "Unicode": tomllib's own error names no file
        raise AlertConfigError(f"{path}: not UTF-8 text (byte {error.start}): save it as UTF-8") from error
    except OSError as error:
        raise AlertConfigError(f"{path}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise AlertConfigError(syntax_error(path, error)) from error
    try:
        return parse_alert_config(table)
    except AlertConfigError as error:
        raise AlertConfigError(*_in_file_order(path, text, error.problems), problems=error.problems) from error


def _in_file_order(path: Path, text: str, problems: tuple[Problem, ...]) -> list[str]:
    """The problems, each with its line ("alerts.toml:63: rule 'x': ..."), from the top of the file down; those of no
    one line (no rule at all) last."""
    index = line_index(text)
    lines = [line_in(index, problem.keys) for problem in problems]
    ordered = sorted(zip(lines, problems), key=lambda found: found[0] or math.inf)
    return [located(path, problem.text, line) for line, problem in ordered]


SECTIONS = {"settings": (Settings, SETTINGS_FIELDS), "coverage": (CoverageRule, COVERAGE_FIELDS),
            "gate": (DiversityGate, GATE_FIELDS)}


def parse_alert_config(table: dict) -> AlertConfig:
    """The configuration in a parsed alerts.toml; AlertConfigError names every problem found, "; "-separated
    (so no meaning in the field tables holds one)."""
    problems: list[Problem] = []
    unknown = sorted(set(table) - set(SECTIONS) - {"rule"})
    if unknown:
        problems.append(Problem((unknown[0],), f"unknown sections {unknown} (known: {', '.join(SECTIONS)}, rule)"))
    sections = {name: _section(name, table.get(name, {}), problems) for name in SECTIONS}
    rules = _rules(table.get("rule", []), problems)
    if problems:
        raise AlertConfigError(*(problem.text for problem in problems), problems=tuple(problems))
    return AlertConfig(rules=rules, **sections)


def _section(name: str, values, problems: list[Problem]) -> Settings | CoverageRule | DiversityGate | None:
    cls, spec = SECTIONS[name]
    if not isinstance(values, dict):  # [[settings]] is an array of tables
        problems.append(Problem((name,), f"[{name}] must be one table, got {_kind_of(values)}"))
        return None
    return cls(**_checked(cls, spec, values, (name,), f"[{name}]", problems))


def _rules(entries, problems: list[Problem]) -> tuple[Rule, ...]:
    if not isinstance(entries, list):  # a [rule] header, or rule = ... at the top
        problems.append(Problem(("rule",), f"rule must be an array of tables, one [[rule]] each, got "
                                           f"{_kind_of(entries)}"))
        return ()
    if not entries:
        problems.append(Problem((), "no [[rule]] defined"))
    rules = tuple(rule for index, entry in enumerate(entries) if (rule := _rule(entry, index, problems)))
    # of every [[rule]], whatever else is wrong in it: the file says all its mistakes at once
    ids = [entry["id"] for entry in entries if isinstance(entry, dict) and isinstance(entry.get("id"), str)]
    if len(set(ids)) != len(ids):
        problems.append(Problem(("rule", _first_repeat(entries), "id"), f"duplicate rule ids in {ids}"))
    return rules


def _first_repeat(entries: list) -> int | None:
    """The index of the first [[rule]] whose id an earlier one has."""
    seen = set()
    for index, entry in enumerate(entries):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            if entry["id"] in seen:
                return index
            seen.add(entry["id"])
    return None


def _rule(entry, index: int, problems: list[Problem]) -> Rule | None:
    """The rule of the [[rule]] table at `index`, or None when it has problems (added to `problems`)."""
    at = ("rule", index)
    if not isinstance(entry, dict):
        problems.append(Problem(at, f"[[rule]] #{index + 1} must be a table, got {_kind_of(entry)}"))
        return None
    found, kind = len(problems), entry.get("kind")
    where = f"rule {entry['id']!r}" if RULE_FIELDS["id"].accepts(entry.get("id")) else f"[[rule]] #{index + 1}"
    spec = {key: RULE_FIELDS[key] for key in KIND_KEYS[kind]} if RULE_FIELDS["kind"].accepts(kind) else RULE_FIELDS
    misplaced = sorted(set(entry) & set(RULE_FIELDS) - set(spec))
    if misplaced:
        problems.append(Problem((*at, misplaced[0]), f"{where}: kind {kind!r} takes no {', '.join(misplaced)}"))
    checked = _checked(Rule, spec, {key: entry[key] for key in entry if key not in misplaced}, at, where, problems)
    if checked.get("kind") == "new_pair" and checked.get("level", "pair") != "pair":
        problems.append(Problem((*at, "level"),
                                f"{where}: level must be 'pair' for kind 'new_pair' (a pair is new, not a topic)"))
    _check_watch(checked, at, where, problems)
    return Rule(**checked) if len(problems) == found else None


def _check_watch(checked: dict, at: tuple, where: str, problems: list[Problem]) -> None:
    """A rule's pairs and topics must be ones a series can have: a typo would watch nothing, silently."""
    from ..seeds import SeedError, country_codes, topic_ids

    if "topics" in checked and checked.get("level", "pair_topic") != "pair_topic":  # no level: a problem of its own
        problems.append(Problem((*at, "topics"), f"{where}: topics need level 'pair_topic' (a pair's series has none)"))
    if not (checked.get("pairs") or checked.get("topics")):
        return
    try:
        codes, known = country_codes(), {*topic_ids(), NO_TOPIC}
    except SeedError:  # the tagger's own error says what is wrong with its files (status, ingest, retag)
        return
    if unknown := [pair for pair in checked.get("pairs", ()) if not set(pair_codes(pair)) <= codes]:
        problems.append(Problem((*at, "pairs"), f"{where}: pairs {unknown} name a code of no country"))
    if unknown := [topic for topic in checked.get("topics", ()) if topic not in known]:
        problems.append(Problem((*at, "topics"), f"{where}: topics {unknown} are none of the seeds' "
                                                 f"({', '.join(sorted(known))})"))


def _checked(cls, spec: dict[str, Field], values: dict, at: tuple, where: str, problems: list[Problem]) -> dict:
    """The values `spec` accepts, ready for `cls`; a problem for each other key, and for each one `cls` requires.
    `at` is the table's place in the file, `where` its name in a message."""
    checked = {}
    for key, value in values.items():
        field = spec.get(key)
        if field is None:
            guess = difflib.get_close_matches(key, spec, n=1)
            problems.append(Problem((*at, key), f"{where}: unknown field {key!r}"
                                                + (f" (did you mean {guess[0]!r}?)" if guess else "")))
        elif field.accepts(value):
            checked[key] = field.converted(value)
        else:
            problems.append(Problem((*at, key), f"{where}: {key} must be {field.wanted()}, got {reprlib.repr(value)} "
                                                f"({field.meaning})"))
    problems += [Problem(at, f"{where}: {f.name} is required ({spec[f.name].meaning})") for f in fields(cls)
                 if f.default is MISSING and f.name not in values]
    return checked


def _kind_of(value) -> str:
    """A TOML value's kind, as a reader of the file would name it."""
    kinds = {dict: "a table", list: "an array", str: "a string", bool: "a boolean", int: "an integer", float: "a float"}
    return kinds.get(type(value), "a date or time")

"""What each value of a seed file must be, declared once per file and checked when it is read (pipeline.seeds).

A string where a list is expected iterates as its letters: `demonyms = "Czechs"` made every "s" a Czech demonym.
A shape names the kind of value, and for numbers the range the code reading it assumes. Keys a shape does not
declare are left to the loader (it names them as unknown with the keys it knows)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.tagging import model
from pipeline.tagging.model import MENTION_KINDS
from pipeline.tagging.text import phrase_key


class Shape:
    """A kind of seed value; `problem` says what is wrong with a value as (keys leading to it, message) or None."""

    def describe(self) -> str:
        raise NotImplementedError

    def describe_many(self) -> str:
        return _plural(self.describe())

    def problem(self, value: object, keys: tuple) -> tuple[tuple, str] | None:
        return None if self.fits(value) else (keys, f"must be {self.describe()}, not {_shown(value)}")

    def fits(self, value: object) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Shape):
    def describe(self) -> str:
        return "a non-empty string"

    def fits(self, value: object) -> bool:
        return isinstance(value, str) and bool(value.strip())


@dataclass(frozen=True)
class Term(Text):
    """A topic term as the matcher reads it: words, and a "*" at its end alone for any ending. "hack(er|ing)" or
    "*ware" loaded and matched only their own letters, never "hacker" or "malware": the matcher has no regex."""

    def describe(self) -> str:
        return 'a phrase of words, "*" only at its end (no regex)'

    def describe_many(self) -> str:
        return 'phrases of words, "*" only at their end (no regex)'

    def fits(self, value: object) -> bool:
        return (super().fits(value) and not _REGEX.search(value)
                and bool(phrase_key(value.removesuffix("*")).strip()))  # ".*" folds to nothing: it matched nothing


# a regex's characters, and a "*" anywhere but at the end; "+" is punctuation to the matcher ("OPEC+", "P5+1")
_REGEX = re.compile(r"[|()\[\]{}\\?^]|\*(?!$)")


@dataclass(frozen=True)
class Boolean(Shape):
    def describe(self) -> str:
        return "true or false"

    def fits(self, value: object) -> bool:
        return isinstance(value, bool)


@dataclass(frozen=True)
class Number(Shape):
    """A number (`whole`: an integer) of at least `least`, above `above`, at most `most` (None: no such bound).
    A boolean is no number, though Python counts True as 1."""
    whole: bool = False
    least: float | None = None
    above: float | None = None
    most: float | None = None

    def describe(self) -> str:
        bounds = [f"{word} {bound:g}" for word, bound in (("of at least", self.least), ("above", self.above),
                                                          ("at most", self.most)) if bound is not None]
        return ("a whole number" if self.whole else "a number") + (" " + " and ".join(bounds) if bounds else "")

    def fits(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int,) if self.whole else (int, float)):
            return False
        return ((self.least is None or value >= self.least) and (self.above is None or value > self.above)
                and (self.most is None or value <= self.most))


@dataclass(frozen=True)
class ListOf(Shape):
    item: Shape

    def describe(self) -> str:
        return f"a list of {self.item.describe_many()}"

    def problem(self, value: object, keys: tuple) -> tuple[tuple, str] | None:
        if not isinstance(value, list):
            return keys, f"must be {self.describe()}, not {_shown(value)}"
        return next(filter(None, (self.item.problem(item, (*keys, index)) for index, item in enumerate(value))), None)


@dataclass(frozen=True)
class Table(Shape):
    """A TOML table: `required` and `optional` keys with their shapes, and `other`, the shape of any other key's value
    that `other_keys` matches (None: other keys are not checked here)."""
    required: dict[str, Shape] = field(default_factory=dict)
    optional: dict[str, Shape] = field(default_factory=dict)
    other: Shape | None = None
    other_keys: re.Pattern = re.compile(".*")

    def describe(self) -> str:
        return "a table"

    def problem(self, value: object, keys: tuple) -> tuple[tuple, str] | None:
        if not isinstance(value, dict):
            return keys, f"must be a table, not {_shown(value)}"
        if missing := [key for key in self.required if key not in value]:
            return (*keys, missing[0]), "is required and missing"  # at its table's line: "[tourism] threshold ..."
        for key, item in value.items():
            shape = self.required.get(key) or self.optional.get(key) \
                or (self.other if self.other_keys.fullmatch(key) else None)
            if shape is not None and (found := shape.problem(item, (*keys, key))):
                return found
        return None


@dataclass(frozen=True)
class Either(Shape):
    shapes: tuple[Shape, ...]

    def describe(self) -> str:
        return " or ".join(shape.describe() for shape in self.shapes)

    def fits(self, value: object) -> bool:
        return any(shape.problem(value, ()) is None for shape in self.shapes)


def MapOf(value: Shape) -> Table:
    """A table whose keys are names (country codes, languages) and whose values all have one shape."""
    return Table(other=value)


TEXT = Text()
WORDS = ListOf(TEXT)
BOOLEAN = Boolean()
AT_LEAST_0 = Number(least=0)
WHOLE_AT_LEAST_1 = Number(whole=True, least=1)


def entry_name(keys: tuple) -> str:
    """Keys leading to a value as the file reads: ("CZE", "demonyms") is "[CZE] demonyms", a list's item "…[2]"."""
    last = max((index for index, key in enumerate(keys) if not isinstance(key, int)), default=-1)
    table = "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in keys[:max(last, 0)]).lstrip(".")
    leaf = (str(keys[last]) if last >= 0 else "") + "".join(f"[{key}]" for key in keys[last + 1:])
    return f"[{table}] {leaf}" if table else leaf


def _plural(description: str) -> str:
    return description.removeprefix("a ").removeprefix("an ") + "s" if description.startswith("a") else description


def _shown(value: object) -> str:
    """A value as the message quotes it, cut short: a list of 20,000 terms is not printed whole."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


_COUNTRY_WORDS = Table(optional={key: WORDS for key in ("names", "historical", "demonyms", "capitals", "cities")})
_EXONYM_WORDS = Table(optional={key: WORDS for key in ("names", "capitals", "demonyms", "cities")})
_RULE_LISTS = ("given_names", "titles", "offices", "place_prefixes", "first_name_surfaces", "title_case_countries",
               "country_followers", "country_prefixes", "blockers", "us_state_abbreviations")
TOPIC_ID = re.compile(model.TOPIC_ID)
_TOPIC_NUMBERS = {"title_weight": AT_LEAST_0, "max_hits_per_term": WHOLE_AT_LEAST_1, "full_length": WHOLE_AT_LEAST_1}


# A threshold of 0 or less would give the topic to every article; the short thresholds are checked against it
# (pipeline.seeds, `_short_curve`).
_TOPIC = Table(required={"threshold": Number(above=0)},
               optional={**{key: ListOf(Term()) for key in ("strong", "weak", "pair", "exclude")}, **_TOPIC_NUMBERS,
                         "short_threshold": AT_LEAST_0, "strong_short_threshold": AT_LEAST_0,
                         "strong_full_length": WHOLE_AT_LEAST_1, "raised_by_pair_sentence": BOOLEAN})

# Seed file name -> the shape of its content. languages/lists.toml is checked word by word where it is read.
FILE_SHAPES: dict[str, Shape] = {
    "countries.toml": MapOf(_COUNTRY_WORDS),
    "actors.toml": MapOf(WORDS),
    "rules.toml": Table(required={
        **{key: WORDS for key in _RULE_LISTS},
        "ambiguous": ListOf(Table(required={"surface": TEXT, "default": TEXT},
                                  optional={"kind": TEXT, "cues": MapOf(WORDS), "place_for": WORDS})),
        "venues": Table(required={key: WORDS for key in ("always", "before", "meetings", "joints")}),
        "heritage": Table(required={key: WORDS for key in ("nationalities", "nationals", "people")})}),
    "exonyms.toml": MapOf(Table(optional={
        **{key: WORDS for key in ("skip", "name_endings", "optional_marks", "blockers", "prefixes",
                                  "pair_followers", "pair_particles", "pair_counters")},
        "unspaced": BOOLEAN, "whole_words": BOOLEAN, "demonym_endings": MapOf(WORDS),
        "initial_forms": MapOf(TEXT), "leaders": MapOf(TEXT), "letter_variants": MapOf(TEXT),
        "pairs": MapOf(WORDS), "pairs_if_followed": MapOf(WORDS)},
        other=_EXONYM_WORDS, other_keys=re.compile("[A-Z]{3}"))),  # a country code; the loader names other keys
    # the fixed topics (pipeline.tagging.TOPICS) and any added: the loader names a key that is no topic id
    "topics.toml": Table(optional={"defaults": Table(optional=_TOPIC_NUMBERS)}, other=_TOPIC, other_keys=TOPIC_ID),
    "cues.toml": Table(required={"cooperation": WORDS, "confrontation": WORDS,
                                 "endings": Table(required={key: WORDS for key in (
                                     "verbs", "between", "after", "negations", "not_negating", "finishing", "events")})},
                       optional={"neutral": WORDS}),
    "focus.toml": Table(required={
        # salience is a sum of these, normalised by the largest: never negative
        "kind_weights": Table(required={kind: AT_LEAST_0 for kind in MENTION_KINDS}),
        "position": Table(required={"title_multiplier": AT_LEAST_0, "lead_multiplier": AT_LEAST_0,
                                    "lead_chars": Number(whole=True, least=0), "dateline_weight": AT_LEAST_0}),
        "cutoff": Table(required={"min_salience": AT_LEAST_0,
                                  "relative_to_top": Number(least=0, most=1),  # a share of the top salience
                                  "max_focus": WHOLE_AT_LEAST_1, "title_is_focus": BOOLEAN,
                                  "dateline_is_focus": BOOLEAN, "roster_size": WHOLE_AT_LEAST_1,
                                  "roster_max_size": WHOLE_AT_LEAST_1},
                        optional={"anchored_min_salience": AT_LEAST_0, "sure_salience": AT_LEAST_0,
                                  # a ratio of the top salience to the next one
                                  "roster_max_dominance": Number(least=1)})}),
    "guess.toml": Table(required={"sample_words": WHOLE_AT_LEAST_1, "sample_chars": WHOLE_AT_LEAST_1,
                                  "min_words": WHOLE_AT_LEAST_1, "english_ratio": Number(above=0),
                                  "function_words": MapOf(WORDS)},
                        optional={"english_markers": WORDS,
                                  "scripts": MapOf(Either((Table(), ListOf(Table()))))}),
}

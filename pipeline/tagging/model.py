"""Result types of the tagger (the contract other layers code against).

Mentions, topic hits and scores, and pair sentences are plain classes with fixed fields, compared by value:
compiled with mypyc they are native classes, built in ≈ 90 ns against ≈ 260 ns for a NamedTuple (whose own
`__new__` runs in the interpreter) and ≈ 310 ns for a dataclass, and `tag` builds a dozen or more per feed
item. Their fields are Final: read-only once compiled (and to mypy). They are not tuples: read fields by
name. ArticleTags, one per article, stays a NamedTuple built with `record`."""
from __future__ import annotations

from typing import ClassVar, Final, NamedTuple, TypeVar

_Record = TypeVar("_Record", bound=tuple)


def record(kind: type[_Record], values: tuple) -> _Record:
    """`kind(*values)` for a NamedTuple, skipping its own __new__: that runs in the interpreter even when
    this package is compiled (~2,700 instructions a record, 6 % of the compiled tagger's time)."""
    return _TUPLE_NEW(kind, values)


# tuple.__new__, looked up once: compiled, `tuple.__new__(...)` looks the method up on the type at every call.
_TUPLE_NEW: Final = tuple.__new__


# round(value, 3) of the scores seen so far. Float rounding is a correctly rounded decimal conversion (~2,000
# instructions, a fifth of building an output row), and salience ratios and topic scores are sums of a few
# seed weights: 92-99 % of them repeat. Bounded, so that odd corpora cannot grow it without limit.
_ROUNDED: Final[dict[float, float]] = {}
_ROUNDED_MAX: Final = 1 << 16


def rounded(value: float) -> float:
    """round(value, 3), as reported in output rows."""
    if value == 1.0:  # an article's top salience, always
        return value
    cached = _ROUNDED.get(value)
    if cached is not None:
        return cached
    result = round(value, 3)
    if len(_ROUNDED) < _ROUNDED_MAX:
        _ROUNDED[value] = result
    return result


TOPICS = ("military", "nuclear", "sanctions", "trade", "finance", "energy", "technology", "tourism",
          "education_culture", "diplomacy", "humanitarian")
TOPIC_ID = "[a-z][a-z_]*"  # a topic's id, fixed or added in seeds/topics/topics.toml, as views, the CLI and URLs carry it
NO_TOPIC = "(none)"  # the topic the pair views and the alert series give a pair sentence without one
MENTION_KINDS = ("name", "demonym", "capital", "leader", "place")
FIELDS = ("title", "text")
# Final, as the constants below: compiled, a module global that is not is a dictionary lookup at every use (the cue
# families are compared once a cue hit).
COOPERATION: Final = "cooperation"
CONFRONTATION: Final = "confrontation"
CUES: Final = (COOPERATION, CONFRONTATION)
# cues.toml's phrases that hold a cue word but are no cue ("Rapid Support Forces", "sanctioned goods"): the longer
# hit swallows the word, and counts for neither family
NEUTRAL: Final = "neutral"
# cues.toml [endings]'s verbs, found as cue phrases: a verb that ends the cooperation word after it ("ended its pact")
ENDING: Final = "ending"


class _Fields:
    """Equality, hash and repr by value over the subclass's `_fields`, as a NamedTuple has them (compiled
    classes have no __slots__ to read them from)."""
    _fields: ClassVar[tuple[str, ...]] = ()
    __slots__ = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Fields) and type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self._values()!r}"


class Mention(_Fields):
    _fields: ClassVar[tuple[str, ...]] = ("iso3", "start", "end", "field", "surface", "kind")
    __slots__ = _fields

    def __init__(self, iso3: str, start: int, end: int, field: str, surface: str, kind: str) -> None:
        self.iso3: Final = iso3
        self.start: Final = start
        self.end: Final = end
        self.field: Final = field
        self.surface: Final = surface
        self.kind: Final = kind


class TopicHit(_Fields):
    _fields: ClassVar[tuple[str, ...]] = ("topic", "field", "start", "end", "surface")
    __slots__ = _fields

    def __init__(self, topic: str, field: str, start: int, end: int, surface: str) -> None:
        self.topic: Final = topic
        self.field: Final = field
        self.start: Final = start
        self.end: Final = end
        self.surface: Final = surface


class TopicScore(_Fields):
    _fields: ClassVar[tuple[str, ...]] = ("topic", "score", "hits", "raised")
    __slots__ = _fields

    def __init__(self, topic: str, score: float, hits: int, raised: bool = False) -> None:
        self.topic: Final = topic
        self.score: Final = score
        self.hits: Final = hits
        self.raised: Final = raised  # a pair sentence gave the article the topic: its score did not reach the threshold


class PairSentence(_Fields):
    _fields: ClassVar[tuple[str, ...]] = ("a", "b", "field", "sentence_index", "start", "end", "sentence", "topics",
                                          "cue", "listed", "cue_words")
    __slots__ = _fields

    def __init__(self, a: str, b: str, field: str, sentence_index: int, start: int, end: int, sentence: str,
                 topics: tuple[str, ...], cue: str | None, listed: bool, cue_words: tuple[str, ...]) -> None:
        self.a: Final = a
        self.b: Final = b
        self.field: Final = field
        self.sentence_index: Final = sentence_index
        self.start: Final = start
        self.end: Final = end
        self.sentence: Final = sentence
        self.topics: Final = topics
        self.cue: Final = cue
        self.listed: Final = listed  # the two are items of one list of countries in the sentence (pairs.listed_pairs)
        self.cue_words: Final = cue_words  # the words that decided the cue, as written (pairs.cue_words)


class ArticleTags(NamedTuple):
    mentions: tuple[Mention, ...]
    countries: tuple[str, ...]
    focus: tuple[str, ...]
    salience: dict[str, float]
    pair_sentences: tuple[PairSentence, ...]
    article_pairs: tuple[tuple[str, str], ...]
    topics: tuple[TopicScore, ...]
    topic_hits: tuple[TopicHit, ...]
    actors: tuple[str, ...] = ()
    # The primary subtag the text was read in ("de"): declared, or guessed when `language_guessed`. None: English,
    # the reading of a text that declares no language and shows none other.
    language: str | None = None
    language_guessed: bool = False

    @property
    def topic_ids(self) -> tuple[str, ...]:
        return tuple(score.topic for score in self.topics)

    def to_json(self, row_id: object, version: str) -> dict:
        """The `pactwatch tag` output row for input row `row_id`, tagged by tagger `version` (output_row)."""
        return output_row(self, row_id, version)


def output_row(tags: ArticleTags, row_id: object, version: str) -> dict:
    """The `pactwatch tag` output row of `tags` for input row `row_id`, tagged by tagger `version`. A function, not
    only the method: compiled, calling it is native, where a NamedTuple's method is looked up and called through the
    interpreter (Tagger.tag_row makes one a row). Sequences stay tuples where they are tuples: they serialize as JSON
    arrays, and copying them into lists would be work."""
    return {
        "id": row_id,
        "countries": tags.countries,
        "focus": tags.focus,
        "pairs": tags.article_pairs,
        "topics": [score.topic for score in tags.topics],
        "topic_scores": [{"topic": s.topic, "score": rounded(s.score), "hits": s.hits, "raised": s.raised}
                         for s in tags.topics],
        "actors": tags.actors,
        "salience": {iso3: rounded(value) for iso3, value in tags.salience.items()},
        # Each item's fields written out inline: this runs for every tagged row.
        "mentions": [{"iso3": m.iso3, "start": m.start, "end": m.end, "field": m.field, "surface": m.surface,
                      "kind": m.kind} for m in tags.mentions],
        "pair_sentences": [{"a": p.a, "b": p.b, "field": p.field, "sentence_index": p.sentence_index,
                            "start": p.start, "end": p.end, "sentence": p.sentence, "topics": p.topics,
                            "cue": p.cue, "cue_words": p.cue_words, "listed": p.listed}
                           for p in tags.pair_sentences],
        "topic_hits": [{"topic": h.topic, "field": h.field, "start": h.start, "end": h.end,
                        "surface": h.surface} for h in tags.topic_hits],
        "language": tags.language,
        "language_guessed": tags.language_guessed,
        "tagger_version": version,
    }

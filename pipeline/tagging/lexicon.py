"""Validated seed content handed to the Tagger (built by pipeline.seeds; plain data, no I/O here)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """One surface form that names a country (or an actor, when `code` is an actor code)."""
    surface: str
    code: str
    kind: str  # name | demonym | capital | leader | place
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    language: str | None = None  # a word of this language only ("Russland", "Moscou"); None: English, or any

    def valid_on(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True, slots=True)
class AmbiguousSurface:
    """A surface whose country is decided by cue phrases elsewhere in the article."""
    surface: str
    default: str
    cues: dict[str, tuple[str, ...]]
    kind: str = "name"  # mention kind for the country candidates ("demonym" for "Korean")
    place_for: tuple[str, ...] = ()  # candidates for which the mention is a place (Georgia -> USA)


@dataclass(frozen=True, slots=True)
class TopicLexicon:
    topic: str
    threshold: float
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    exclude: tuple[str, ...]
    title_weight: float = 2.0
    max_hits_per_term: int = 3
    pair: tuple[str, ...] = ()  # terms that count only in a pair sentence (weight 0 in the article's score)
    # A short article's threshold is `threshold` scaled by its title and text's length over `full_length`, but never
    # below `short_threshold` (a feed item's headline and one-line summary hold fewer words than a wire story).
    # None: every article needs `threshold`.
    short_threshold: float | None = None
    full_length: int = 500
    # The same for an article with one of the topic's strong words, where it asks less: one strong word in a one-line
    # summary can make the topic that one weak word in a headline ("Food Prices", "Team Trump") does not.
    strong_short_threshold: float | None = None
    strong_full_length: int = 500
    # An article with a pair sentence that carries this topic (two countries and one of its words, pair words
    # included, in one sentence that is not a list of countries) has the topic, whatever its score.
    raised_by_pair_sentence: bool = False

    def threshold_for(self, length: int, has_strong: bool = False) -> float:
        """The score an article of `length` characters (title and text), with one of the strong words or not, needs."""
        least = _scaled(self.threshold, self.short_threshold, length, self.full_length)
        if has_strong:
            return min(least, _scaled(self.threshold, self.strong_short_threshold, length, self.strong_full_length))
        return least


def _scaled(threshold: float, short_threshold: float | None, length: int, full_length: int) -> float:
    """`threshold` times `length` over `full_length`, at least `short_threshold` (None: `threshold` whatever the length)."""
    if short_threshold is None or length >= full_length:
        return threshold
    return max(short_threshold, threshold * length / full_length)


@dataclass(frozen=True, slots=True)
class FocusRule:
    """How mentions add up to salience, and which salience makes a country a focus."""
    kind_weights: dict[str, float]
    title_multiplier: float
    lead_multiplier: float
    lead_chars: int
    dateline_weight: float
    min_salience: float
    relative_to_top: float
    max_focus: int
    title_is_focus: bool = True
    dateline_is_focus: bool = True
    roster_size: int = 8
    # With a headline/dateline/roster anchor, the other countries must reach this salience (a country
    # named once or twice in passing beside the story's subject is not what it is about).
    anchored_min_salience: float | None = None
    # A roster whose top country has this many times the salience of the next one is that country's list
    # (partners, destinations, suppliers), not a group of countries the article is about; None: no such test.
    roster_max_dominance: float | None = None
    # A country with this salience is focus however far the top one is ahead (the relative cut-off waived).
    sure_salience: float | None = None
    # A list of more countries than this (a UN vote's 140) is about none of them in particular: no roster; and no
    # more countries than this are anchored (a headline naming dozens keeps its most salient).
    roster_max_size: int = 24


@dataclass(frozen=True, slots=True)
class PairWord:
    """Two one-letter abbreviations run together for a pair of countries, as Korean, Japanese and Chinese headlines
    write them ("북러", PRK and RUS): its first letter names `first`, its last `second` (a sign may stand between:
    "북·러"). With `followers`, only right before one of them (after a space or none): "朝露" is also morning dew."""
    surface: str
    first: PlaceEntry
    second: PlaceEntry
    followers: tuple[str, ...] = ()
    # The language's particles, one letter each, that may end a run of pairs ("한미일이"): no other letter may.
    particles: str = ""
    # With `followers`: counters that, after the number of countries of the pair's run, stand for a word of relations
    # ("남북미 3자", "한미일중 4국"; "북미 3국", North America's three, counts three of two).
    counters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OwnScan:
    """How a language's country words are found inside runs of letters (seeds/gazetteer/exonyms.toml)."""
    # Phrases that contain a country word and name no country ("中国地方", the Chūgoku region).
    blockers: tuple[str, ...] = ()
    # A word must begin and end a word (letters, digits and combining marks continue one: Hindi "रूसी" holds no
    # "रूस" word), or, with `prefixes`, follow only one of them ("و", and; "بال", in the).
    whole_words: bool = False
    prefixes: tuple[str, ...] = ()
    # Letters written interchangeably, each read as the other ("أ" as "ا"): one character for one.
    letter_variants: dict[str, str] = field(default_factory=dict)
    pairs: tuple[PairWord, ...] = ()


@dataclass(frozen=True, slots=True)
class ScriptRule:
    """A language told by its letters: `letters` (a regular expression's character class) make up at least `share`
    of a sample's characters other than spaces, `also_letters`, when given, at least `also_share` of them, and none
    of `none_of` is there."""
    language: str
    letters: str
    share: float
    also_letters: str = ""
    also_share: float = 0.0
    none_of: str = ""


@dataclass(frozen=True, slots=True)
class LanguageGuide:
    """How to tell the language of a text that declares none (seeds/languages/guess.toml explains each field)."""
    function_words: dict[str, tuple[str, ...]]  # language -> its words, folded; "en" among them
    scripts: tuple[ScriptRule, ...]  # tried in order
    sample_words: int
    sample_chars: int
    min_words: int
    english_ratio: float
    english_markers: tuple[str, ...] = ()  # English words that end the guess of a plain-ASCII text


@dataclass(frozen=True, slots=True)
class ListWords:
    """How one language joins the countries of a list (seeds/languages/lists.toml explains each field)."""
    joints: tuple[str, ...]
    articles: tuple[str, ...]
    others: tuple[str, ...]  # spelled out; one with a leading comma counts only after a comma
    commas: tuple[str, ...] = (",",)
    unspaced: bool = False  # no spaces between words (Chinese, Japanese): no word boundary is asked for


@dataclass(frozen=True, slots=True)
class PartyWords:
    """Ways of naming a country that relate it to no other (seeds/gazetteer/rules.toml [venues] and [heritage])."""
    venues: frozenset[str]  # as written: a meeting's place wherever named ("Davos")
    before: frozenset[str]  # lower case: a word putting a city as a meeting's place ("in")
    meetings: frozenset[str]  # lower case: words of a meeting ("talks", "summit")
    joints: frozenset[str]  # lower case: words that start another clause ("and", "but")
    nationalities: frozenset[str]  # as written: "American" in "Indian-American actor"
    nationals: frozenset[str]  # as written: "Americans" in "Indian-Americans"
    people: frozenset[str]  # lower case: a word after a nationality naming a person ("actor")


@dataclass(frozen=True, slots=True)
class CueEndings:
    """Verbs that end what a cooperation word after them names ("ended its defence pact"), and the words deciding
    whether they do (seeds/topics/cues.toml [endings]). Lower case."""
    verbs: frozenset[str]  # one or more words: "ended", "withdrew from"
    between: frozenset[str]  # one word each: "its", "defence"
    after: frozenset[str]  # a word that may follow the ended word: "with" ("ended its pact with France")
    negations: frozenset[str]  # one or two words before the verb denying the ending ("would not end its pact"), or
    #                            before a cooperation word denying it ("rules out talks")
    not_negating: frozenset[str]  # two words that start with a negation and deny nothing: "not only"
    finishing: frozenset[str]  # verbs that finish an event as often: "ended" ("ended his visit")
    events: frozenset[str]  # the events they finish: "visit", "talks"


@dataclass(frozen=True, slots=True)
class TaggerData:
    places: tuple[PlaceEntry, ...]
    actor_codes: frozenset[str]
    blockers: tuple[str, ...]
    ambiguous: tuple[AmbiguousSurface, ...]
    given_names: frozenset[str]
    first_name_surfaces: frozenset[str]
    title_case_countries: frozenset[str]  # of first_name_surfaces: the country in a title-case field
    titles: frozenset[str]
    offices: frozenset[str]
    place_prefixes: frozenset[str]
    country_prefixes: frozenset[str]  # "air india": a word making the first_name_surfaces word after it the country's
    country_followers: frozenset[str]
    us_state_abbreviations: tuple[str, ...]
    topics: tuple[TopicLexicon, ...]
    cues: dict[str, tuple[str, ...]]
    cue_endings: CueEndings
    focus: FocusRule
    languages: LanguageGuide
    list_words: dict[str, ListWords]  # language -> its list words; "en" among them, read for any other
    parties: PartyWords
    # Languages whose country words are found by an automaton of their own, inside runs of letters: those
    # written without spaces (Japanese), that join particles (Korean) or prefixes (Arabic) to a word, or whose
    # vowel signs folding would blank (Hindi).
    own_scans: dict[str, OwnScan] = field(default_factory=dict)
    # Languages matched like English -> the English gazetteer's words that name no country in their articles
    # (Portuguese "Colombo", a town in Paraná and Columbus, not Sri Lanka's capital).
    language_blockers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    version: str = "dev"

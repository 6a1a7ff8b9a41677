"""Topic evidence filtering, and cooperation/confrontation cues for pair sentences (scores: tagger.py)."""
from __future__ import annotations

import re
from typing import Final

from .lexicon import CueEndings
from .matcher import Hit, Pattern
from .model import CONFRONTATION, COOPERATION, CUES, ENDING, Mention
from .ordered import count_at_most
from .payloads import CueTerm, TopicExclude, TopicTerm

# How far either side of a pair's mentions (characters, about five words) a cue word is read as the pair's own
# ("U.S. and China dig in on the trade war; no talks are planned": the war, not the talks). Words further away
# count only when none is that near: in a long sentence they mostly describe a third party.
CUE_REACH: Final = 30
# How many `between` words may stand between an ending verb and the cooperation word it ends ("withdrew from the
# defence cooperation agreement": three), and how many words before the verb may deny it ("denied reports it would
# suspend")
ENDING_REACH: Final = 5
NEGATION_REACH: Final = 4
_CLAUSE_MARKS: Final = ".,;:!?()\"“”"  # not an apostrophe: "won't"
_WORD: Final = re.compile(r"\S+")


def keep_unexcluded(hits: list[tuple[str, int, int, TopicTerm]],
                    excludes: list[tuple[str, int, int, TopicExclude]]) -> list[tuple[str, int, int, TopicTerm]]:
    """Topic hits (field, start, end, term) not inside an exclude phrase of the same topic.

    Containment, not overlap: "price war" cancels "war", but "deficit reduction" does not cancel
    the longer "trade deficit" in "trade deficit reduction"."""
    if not excludes or not hits:  # most fields: no index to build (a field's pair-only words are mostly none)
        return hits
    excluded = span_index([(field, exclude.topic, start, end) for field, start, end, exclude in excludes])
    return [hit for hit in hits if not covered(excluded, hit[0], hit[3].topic, hit[1], hit[2])]


# Spans grouped by (field, topic): their starts in order, and the furthest end reached by any span starting at or
# before each (`span_index`, `covered`).
SpanIndex = dict[tuple[str, str], tuple[list[int], list[int]]]


def span_index(spans: list[tuple[str, str, int, int]]) -> SpanIndex:
    """The index of (field, topic, start, end) spans (they may overlap or nest) that `covered` asks."""
    grouped: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for field, topic, start, end in spans:
        grouped.setdefault((field, topic), []).append((start, end))
    index: SpanIndex = {}
    for key, group in grouped.items():
        group.sort()
        reach: list[int] = []
        furthest = group[0][1]
        for _start, end in group:
            furthest = max(furthest, end)
            reach.append(furthest)
        index[key] = ([start for start, _end in group], reach)
    return index


def covered(index: SpanIndex, field: str, topic: str, start: int, end: int) -> bool:
    """Whether a span of `field` and `topic` starts at or before `start` and ends at or after `end`: one bisect,
    where comparing each word with every span grew with the square of a long text's pair sentences."""
    found = index.get((field, topic))
    if found is None:
        return False
    starts, reach = found
    before = count_at_most(starts, start)
    return before > 0 and reach[before - 1] >= end


NO_CUE: Final[tuple[str | None, list[Hit]]] = (None, [])  # never appended to


class EndingRule:
    """cues.toml [endings] (lexicon.CueEndings): when a verb ends the cooperation word after it, whose hits make one
    confrontation (its verbs are cue phrases of the ENDING family). A plain class: compiled, a native one (see
    model.py)."""

    def __init__(self, endings: CueEndings) -> None:
        self.between: Final = endings.between
        self.after: Final = endings.after
        self.negations: Final = endings.negations
        self.not_negating: Final = endings.not_negating
        self._negation_ends: Final = _negation_word_ends(endings.negations)
        self._negation_firsts: Final = frozenset(self._negation_ends)
        self.finishing: Final = endings.finishing
        self.events: Final = endings.events

    def ends(self, text: str, verb: Hit, word: Hit) -> bool:
        """Whether `verb` ends the cooperation `word` after it: only `between` words between them ("ended with an
        agreement" does not), no hyphen before the verb ("year-end talks"), no negation before it ("would not end its
        pact"), a mark, the clause's end or an `after` word after the word ("end joint military drills": the drills
        end), and no event a `finishing` verb finishes ("ended his visit")."""
        if verb.end > word.start or not self._joins(text[verb.end:word.start]):
            return False
        if verb.start > 0 and text[verb.start - 1] == "-":
            return False
        if text[verb.start:verb.end].lower() in self.finishing and text[word.start:word.end].lower() in self.events:
            return False
        return self._closes(text, word.end) and not self._denied(text, verb.start)

    def _joins(self, gap: str) -> bool:
        words = gap.lower().split()
        return len(words) <= ENDING_REACH and all(word in self.between for word in words)

    def _closes(self, text: str, end: int) -> bool:
        following = text[end:end + 40].split(maxsplit=1)
        if not following or not following[0][0].isalnum():
            return True
        return following[0].lower().strip(_CLAUSE_MARKS + "'’") in self.after

    def _denied(self, text: str, start: int) -> bool:
        return self.negation_before(text, start) >= 0

    def denies(self, text: str, word: Hit, hits: list[Hit]) -> bool:
        """Whether a negation denies the cooperation `word` ("rules out talks with Iran", "No Ukraine Cease-Fire",
        "will not negotiate with Ankara"), but not across an ending verb of `hits` ("won't end its partnership": the
        ending is denied, the partnership stands)."""
        negation = self.negation_before(text, word.start)
        return negation >= 0 and not any(negation < hit.start < word.start and _family(hit) == ENDING for hit in hits)

    def negation_before(self, text: str, start: int) -> int:
        """Where the last negation among the NEGATION_REACH words before `start`, in its clause, begins: one of
        `negations` (or their two-word ones, "rules out"), a word ending in "n't", not one of `not_negating` ("not
        only"); -1 when there is none."""
        window = max(0, start - 60)
        before = text[window:start].lower().replace("’", "'")
        if not self._may_be_negated(before):  # most words: no clause marks to find, no words to list
            return -1
        found = self.last_negation(before)
        return window + found if found >= 0 else -1

    def last_negation(self, before: str) -> int:
        """`negation_before` in `before`, lower case, its apostrophes "'": where the negation begins, or -1."""
        clause = max(before.rfind(mark) for mark in _CLAUSE_MARKS) + 1
        words = [(match.start(), match.group()) for match in _WORD.finditer(before, clause)][-NEGATION_REACH:]
        found = -1
        for index, (offset, word) in enumerate(words):
            following = words[index + 1][1] if index + 1 < len(words) else ""
            if (word in self.negations or word.endswith("n't") or f"{word} {following}" in self.negations) \
                    and f"{word} {following}" not in self.not_negating:
                found = offset
        return found

    def _may_be_negated(self, before: str) -> bool:
        """Whether one of the last NEGATION_REACH words of `before` may be read as a negation, or a two-word one's
        first word: never False where `negation_before` finds one, whose words are these words or, after a clause mark,
        their ends (a word of letters alone is looked up whole; only another may end so)."""
        for word in before.rsplit(None, NEGATION_REACH)[-NEGATION_REACH:]:
            if word in self._negation_firsts or (not word.isalnum() and word.endswith(self._negation_ends)):
                return True
        return False


def _negation_word_ends(negations: frozenset[str]) -> tuple[str, ...]:
    """The ends of a word `EndingRule.negation_before` may read as a negation: each of `negations`, a two-word one's
    first word, and "n't"."""
    return tuple(sorted({negation.split()[0] for negation in negations} | {"n't"}))


def ended(hits: list[Hit], text: str, rule: EndingRule) -> list[Hit]:
    """`hits` without the ENDING verbs, and, for each cooperation hit one of them ends (`EndingRule.ends`), a
    confrontation hit from the verb to it, which swallows both (`outermost`): "ended its defence cooperation
    agreement", "withdrew from the pact", "halted aid". Most sentences have no ending verb: they cost one pass."""
    verbs = [hit for hit in hits if _family(hit) == ENDING]
    if not verbs:
        return hits
    kept = [hit for hit in hits if _family(hit) != ENDING]
    for hit in [hit for hit in kept if _family(hit) == COOPERATION]:
        for verb in verbs:
            if rule.ends(text, verb, hit):
                kept.append(Hit(verb.start, hit.end, Pattern("(an ending)", (), False,
                                                             CueTerm(CONFRONTATION, hit.start))))
                break
    return kept


def pair_cues(hits: list[Hit], mentions: list[Mention], pairs: list[tuple[str, str]], listed: list[bool], text: str,
              endings: EndingRule) -> list[tuple[str | None, list[Hit]]]:
    """The cue of each pair (a, b) of one sentence, of its cue `hits` and country `mentions` (in text order), with
    the hits that decided it, its evidence: the family with more hits, None (and no hits) on a tie. A hit inside a
    longer one does not count ("ties" in "cut ties"; "agree*" and "agreement*" both reading "agreement"), nor does a
    NEUTRAL one ("Support" in "Rapid Support Forces"); a cooperation word an ending verb ends is a confrontation
    (`ended`, in `text`).

    None for a pair that is `listed` (items of one list, `lists.country_lists`): the sentence's words are about the
    list, not between its items ("Spain, Ireland and Slovenia protest ..."). Otherwise the words from CUE_REACH before
    the pair's first mention to CUE_REACH after its last decide; the whole sentence's only when none is there."""
    counted = [hit for hit in outermost(ended(hits, text, endings)) if _family(hit) in CUES
               and not (_family(hit) == COOPERATION and endings.denies(text, hit, hits))]
    if not counted:
        return [NO_CUE] * len(pairs)
    return [NO_CUE if in_list else _near_cue(counted, mentions, a, b) for (a, b), in_list in zip(pairs, listed)]


def _near_cue(hits: list[Hit], mentions: list[Mention], a: str, b: str) -> tuple[str | None, list[Hit]]:
    first = last = -1
    for mention in mentions:
        if mention.iso3 == a or mention.iso3 == b:
            if first < 0:
                first = mention.start
            last = mention.end
    near = [hit for hit in hits if first - CUE_REACH <= _read_from(hit) and hit.end <= last + CUE_REACH]
    deciding = near if near else hits
    cue = _majority(deciding)
    return (cue, [hit for hit in deciding if _family(hit) == cue]) if cue is not None else NO_CUE


def _read_from(hit: Hit) -> int:
    """Where the pair's window reads a hit from: an ending's verb may stand further off than the word it ends."""
    cue: CueTerm = hit.pattern.payload  # typed: read natively (a payload is Any, its attribute a generic lookup)
    start = cue.reach_from
    return start if start >= 0 else hit.start


def _family(hit: Hit) -> str:
    """The family of a cue hit (a CueTerm's), read natively: a pattern's payload is Any, and reading an attribute of
    Any is a generic lookup compiled, made several times a cue hit here."""
    cue: CueTerm = hit.pattern.payload
    return cue.family


def _majority(hits: list[Hit]) -> str | None:
    cooperation = confrontation = 0
    for hit in hits:
        if _family(hit) == COOPERATION:
            cooperation += 1
        else:
            confrontation += 1
    if cooperation == confrontation:
        return None
    return COOPERATION if cooperation > confrontation else CONFRONTATION


def outermost(hits: list[Hit]) -> list[Hit]:
    """Hits not inside another hit (of two with the same span, the first)."""
    if len(hits) < 2:
        return hits
    kept: list[Hit] = []
    for hit in hits if _widest_first_already(hits) else sorted(hits, key=_widest_first):
        if not kept or hit.end > kept[-1].end:
            kept.append(hit)
    return kept


def _widest_first(hit: Hit) -> tuple[int, int]:
    return hit.start, -hit.end


def _widest_first_already(hits: list[Hit]) -> bool:
    """Whether `hits` are in _widest_first order, as most are: the sort calls its key function through the
    interpreter's call protocol, once a hit."""
    for index in range(1, len(hits)):
        before, hit = hits[index - 1], hits[index]
        if hit.start < before.start or (hit.start == before.start and hit.end > before.end):
            return False
    return True

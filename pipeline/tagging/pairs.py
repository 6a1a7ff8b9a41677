"""Country pairs at sentence level, each with its sentence as evidence. (Article-level pairs are the pairs of
the focus countries: the tagger builds them.)"""
from __future__ import annotations

from itertools import combinations
from typing import Final

from .matcher import Hit
from .model import Mention, PairSentence
from .ordered import count_at_most, in_order
from .payloads import TopicTerm
from .text import sentence_spans, splits_between
from .lists import ListRule, country_lists
from .parties import PartyRule, heritage_pairs, without_venues
from .topics import EndingRule, pair_cues


# A feed item is split whole: finding first whether any sentence holds two countries costs more than splitting
# its few sentences. A long story is checked first: most hold no such sentence.
SPLIT_WHOLE_BELOW: Final = 1000
# A sentence naming more countries holds a roster (a UN vote, a visa-free list), whose pairs relate nothing: only the
# countries outside its lists pair ("Russia expelled diplomats from [12 countries]"), with every other, and none when
# more than this many are. Its n countries would make n(n-1)/2 rows, each with the sentence: one 1.6 KB sentence of
# 144 made 10,296 (15 MB). The captured feeds' pair sentences name 5 countries at most.
MAX_PAIRED_COUNTRIES: Final = 12
# A field's pair sentences stop at this many characters of evidence (the sentence, once per pair), so that no row
# costs more than its length allows whatever it holds: natural text stays far under it (the captured feeds' most is
# 2,398 characters an article), a 3 MB row of twelve-country sentences made 498 MB of output.
MAX_EVIDENCE_CHARS: Final = 1_000_000


def pair_sentences(field: str, text: str, mentions: list[Mention],
                   topic_hits: list[tuple[str, int, int, TopicTerm]], cue_hits: list[Hit], lists: ListRule,
                   parties: PartyRule, endings: EndingRule) -> list[PairSentence]:
    """Every pair of distinct countries mentioned in the same sentence of one field, with the topics and the
    cue (cooperation or confrontation, `topics.pair_cues`) of the topic and cue hits inside that sentence (all
    of that field), and whether the two are items of one list of countries joined as `lists` (the text's language)
    joins them. A city where the others meet and a person's heritage are no party (`parties`); `endings` turn a
    cooperation word they end into a confrontation.
    `mentions` are in text order, as the tagger resolves them."""
    if not mentions or all(mention.iso3 == mentions[0].iso3 for mention in mentions):  # fewer than two countries
        return []
    if len(text) <= SPLIT_WHOLE_BELOW:
        spans = sentence_spans(text)
    else:
        until = last_shared_mention(text, mentions)
        if until is None:
            return []
        # Sentences after the last one holding two countries are not needed (nor split).
        spans = sentence_spans(text, until=until)
        last_end = spans[-1][1] if spans else 0
        mentions = [mention for mention in mentions if mention.start < last_end]
    pairs: list[PairSentence] = []
    topics_in: list[list[int]] | None = None
    cues_in: list[list[int]] = []
    evidence = 0
    for index, sentence_mentions in mentions_by_sentence(spans, mentions):
        if len(sentence_mentions) < 2:
            continue
        codes = {mention.iso3 for mention in sentence_mentions}
        if len(codes) < 2:
            continue
        start, end = spans[index]
        sentence_mentions, codes_pairs, found_lists = _parties(text, start, sentence_mentions, codes, lists, parties)
        if not codes_pairs:
            continue
        evidence += (end - start) * len(codes_pairs)
        if evidence > MAX_EVIDENCE_CHARS:
            break
        if topics_in is None:  # at the first pair sentence: most fields have none
            topics_in = starts_by_span(spans, [hit[1] for hit in topic_hits])
            cues_in = starts_by_span(spans, [hit.start for hit in cue_hits])
        topics = _topics_of(topic_hits, topics_in[index])
        listed = listed_pairs(codes_pairs, found_lists)
        # A hit starting in the sentence counts if it also ends there (not if it runs on into the next one).
        cues = pair_cues([cue_hits[item] for item in cues_in[index] if cue_hits[item].end <= end],
                         sentence_mentions, codes_pairs, listed, text, endings)
        sentence = text[start:end]  # one string for all its pairs
        pairs += [PairSentence(a, b, field, index, start, end, sentence, topics, cue, in_list, cue_words(text, deciding))
                  for (a, b), (cue, deciding), in_list in zip(codes_pairs, cues, listed)]
    return pairs


def _topics_of(topic_hits: list[tuple[str, int, int, TopicTerm]], items: list[int]) -> tuple[str, ...]:
    """The topics, in order, of the `topic_hits` at `items` (a sentence's): most sentences hold none or one, which need
    no set."""
    if not items:
        return ()
    if len(items) == 1:
        return (topic_hits[items[0]][3].topic,)
    return in_order({topic_hits[item][3].topic for item in items})


def _parties(text: str, start: int, mentions: list[Mention], codes: set[str], lists: ListRule, parties: PartyRule
             ) -> tuple[list[Mention], list[tuple[str, str]], list[set[str]]]:
    """One sentence's (from `start`) mentions that are parties, the pairs they make and its lists of countries: no
    city where the others meet, no pair of a person's heritage (`parties`), and above MAX_PAIRED_COUNTRIES only the
    pairs of the countries outside its lists."""
    parties_only = without_venues(text, start, mentions, codes, parties)
    if parties_only is not mentions:
        mentions, codes = parties_only, {mention.iso3 for mention in parties_only}
    found_lists = country_lists(text, mentions, lists)
    codes_pairs = code_pairs(codes) if len(codes) <= MAX_PAIRED_COUNTRIES else _outsiders_pairs(codes, found_lists)
    unrelated = heritage_pairs(text, mentions, parties)
    if unrelated:
        codes_pairs = [pair for pair in codes_pairs if pair not in unrelated]
    return mentions, codes_pairs, found_lists


def code_pairs(codes: set[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """combinations(sorted(codes), 2): most sentences and articles pair two countries, paired here without the sort
    and itertools (calls into the interpreter's functions when compiled, ~2,500 instructions)."""
    if len(codes) < 2:
        return []
    if len(codes) == 2:
        first, second = codes
        return [(first, second) if first < second else (second, first)]
    return list(combinations(sorted(codes), 2))


def _outsiders_pairs(codes: set[str], found_lists: list[set[str]]) -> list[tuple[str, str]]:
    """The pairs of each country outside the lists (sorted codes), with every other: none when more than
    MAX_PAIRED_COUNTRIES are outside, as in a roster no list structure marks."""
    outsiders = codes.difference(*found_lists)
    if len(outsiders) > MAX_PAIRED_COUNTRIES:
        return []
    return sorted({(min(code, other), max(code, other)) for code in outsiders for other in codes if other != code})


def cue_words(text: str, hits: list[Hit]) -> tuple[str, ...]:
    """The words of the hits that decided a pair's cue, as written, each once, in text order: the cue's evidence."""
    if len(hits) < 2:  # most: none or one
        return (text[hits[0].start:hits[0].end],) if hits else ()
    return tuple(dict.fromkeys([text[hit.start:hit.end] for hit in hits]))


def listed_pairs(pairs: list[tuple[str, str]], lists: list[set[str]]) -> list[bool]:
    """Whether each pair's two countries are items of one of the sentence's `lists` of countries ("Trump's Military
    Parade Set Beside Those of France, Russia and North Korea"): hand labels of real news find such a pair
    relating its two countries in 1 sentence of 25 (eval/README.md)."""
    if not lists:
        return [False] * len(pairs)
    return [any(a in items and b in items for items in lists) for a, b in pairs]


def starts_by_span(spans: list[tuple[int, int]], starts: list[int]) -> list[list[int]]:
    """For each span, the indices of the `starts` it holds (span start <= start < span end), in their order (a list
    by span index: a dict of the spans holding any cost a lookup and an insert per hit). `spans` ascend and are
    disjoint (sentences), so the one span that can hold a start is the last starting at or before it: one bisect per
    hit, where scanning every hit for each pair sentence grew with the square of a long text (as many pair
    sentences as hits: 5 minutes for 900 KB)."""
    grouped: list[list[int]] = [[] for _ in spans]
    if not starts:  # a field without topic or cue hits
        return grouped
    firsts = [span[0] for span in spans]
    for item, start in enumerate(starts):
        index = count_at_most(firsts, start) - 1
        if index >= 0 and start < spans[index][1]:
            grouped[index].append(item)
    return grouped


def mentions_by_sentence(spans: list[tuple[int, int]], mentions: list[Mention]) -> list[tuple[int, list[Mention]]]:
    """(sentence index, its mentions) for each sentence with a mention, in order. Mentions and spans both
    ascend, so one walk matches them: a mention belongs to the last sentence starting at or before it (the first
    sentence, if none does)."""
    grouped: list[tuple[int, list[Mention]]] = []
    index, last = 0, len(spans) - 1
    for mention in mentions:
        while index < last and spans[index + 1][0] <= mention.start:
            index += 1
        if grouped and grouped[-1][0] == index:
            grouped[-1][1].append(mention)
        else:
            grouped.append((index, [mention]))
    return grouped


def last_shared_mention(text: str, mentions: list[Mention]) -> int | None:
    """Start of the last mention that shares a sentence with a mention of another country, or None.

    Splitting a whole text into sentences is the costly part of pair finding, and most articles have
    no such sentence: if any sentence holds two countries, two of its mentions with different codes
    are adjacent, so only the gaps between adjacent mentions of different countries are checked."""
    last = None
    previous = mentions[0]
    for mention in mentions[1:]:
        if mention.iso3 != previous.iso3 and not splits_between(text, previous.start, mention.start):
            last = mention.start
        previous = mention
    return last


"""Country pairs at sentence level, each with its sentence as evidence. (Article-level pairs are the pairs of
the focus countries: the tagger builds them.)"""
from __future__ import annotations

from bisect import bisect_right
from itertools import combinations

from .matcher import Hit
from .model import Mention, PairSentence
from .payloads import TopicTerm
from .text import sentence_spans, splits_between
from .topics import cue_of


def pair_sentences(field: str, text: str, mentions: list[Mention],
                   topic_hits: list[tuple[str, int, int, TopicTerm]], cue_hits: list[Hit]) -> list[PairSentence]:
    """Every pair of distinct countries mentioned in the same sentence of one field, with the topics and the
    cue (cooperation or confrontation) of the topic and cue hits inside that sentence (all of that field)."""
    if len({mention.iso3 for mention in mentions}) < 2:
        return []
    until = last_shared_mention(text, mentions)
    if until is None:
        return []
    # Sentences after the last one holding two countries are not needed (nor split).
    spans = sentence_spans(text, until=until)
    last_end = spans[-1][1] if spans else 0
    mentions = [mention for mention in mentions if mention.start < last_end]
    starts = [start for start, _end in spans]
    codes_by_sentence: dict[int, set[str]] = {}
    for mention in mentions:
        index = bisect_right(starts, mention.start) - 1
        codes_by_sentence.setdefault(max(index, 0), set()).add(mention.iso3)
    pairs: list[PairSentence] = []
    for index, codes in sorted(codes_by_sentence.items()):
        if len(codes) < 2:
            continue
        start, end = spans[index]
        topics = tuple(sorted({term.topic for _field, hit_start, _e, term in topic_hits if start <= hit_start < end}))
        cue = cue_of([hit for hit in cue_hits if start <= hit.start and hit.end <= end])
        pairs += [PairSentence(a, b, field, index, start, end, text[start:end], topics, cue)
                  for a, b in combinations(sorted(codes), 2)]
    return pairs


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


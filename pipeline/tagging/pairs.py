"""Country pairs at sentence level (with the sentence as evidence) and article level."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from itertools import combinations

from .model import Mention, PairSentence
from .payloads import CueTerm, TopicTerm
from .text import sentence_spans
from .topics import cue_of


def pair_sentences(field: str, text: str, mentions: list[Mention],
                   topic_hits: list[tuple[str, int, int, TopicTerm]],
                   cues_in: Callable[[str], list[CueTerm]]) -> list[PairSentence]:
    """Every pair of distinct countries mentioned in the same sentence of one field."""
    if len({mention.iso3 for mention in mentions}) < 2:
        return []
    spans = sentence_spans(text, until=max(mention.start for mention in mentions))
    starts = [start for start, _end in spans]
    codes_by_sentence: dict[int, set[str]] = {}
    for mention in mentions:
        index = bisect_right(starts, mention.start) - 1
        codes_by_sentence.setdefault(max(index, 0), set()).add(mention.iso3)
    pairs = []
    for index, codes in sorted(codes_by_sentence.items()):
        if len(codes) < 2:
            continue
        start, end = spans[index]
        topics = tuple(sorted({term.topic for hit_field, hit_start, _e, term in topic_hits
                               if hit_field == field and start <= hit_start < end}))
        cue = cue_of(cues_in(text[start:end]))
        pairs += [PairSentence(a, b, field, index, start, end, text[start:end], topics, cue)
                  for a, b in combinations(sorted(codes), 2)]
    return pairs


def article_pairs(focus: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Pairs of focus countries: the relations the article as a whole is about."""
    return tuple(combinations(sorted(focus), 2))

"""Topic scores with evidence spans, and cooperation/confrontation cues for pair sentences."""
from __future__ import annotations

from collections import Counter

from .lexicon import TopicLexicon
from .model import TopicHit, TopicScore
from .payloads import CueTerm, TopicExclude, TopicTerm


def keep_unexcluded(hits: list[tuple[str, int, int, TopicTerm]],
                    excludes: list[tuple[str, int, int, TopicExclude]]) -> list[tuple[str, int, int, TopicTerm]]:
    """Topic hits (field, start, end, term) not overlapping an exclude phrase of the same topic."""
    if not excludes:
        return hits
    blocked = [(field, start, end, exclude.topic) for field, start, end, exclude in excludes]
    return [hit for hit in hits if not any(
        field == hit[0] and topic == hit[3].topic and start < hit[2] and hit[1] < end
        for field, start, end, topic in blocked)]


def score_topics(hits: list[tuple[str, int, int, TopicTerm]],
                 lexicons: dict[str, TopicLexicon]) -> tuple[TopicScore, ...]:
    """Article-level scores of the topics that reach their threshold, in lexicon (TOPICS) order."""
    per_term = Counter((term, field) for field, _start, _end, term in hits)
    scores: Counter = Counter()
    counts: Counter = Counter()
    for (term, field), count in per_term.items():
        lexicon = lexicons[term.topic]
        # Repeating one word is weak evidence, so each term counts at most max_hits_per_term times.
        used = min(count, lexicon.max_hits_per_term)
        scores[term.topic] += used * term.weight * (lexicon.title_weight if field == "title" else 1.0)
        counts[term.topic] += count
    return tuple(TopicScore(topic, scores[topic], counts[topic])
                 for topic, lexicon in lexicons.items() if scores[topic] >= lexicon.threshold)


def topic_hits(text_by_field: dict[str, str], hits: list[tuple[str, int, int, TopicTerm]]) -> tuple[TopicHit, ...]:
    return tuple(TopicHit(term.topic, field, start, end, text_by_field[field][start:end])
                 for field, start, end, term in sorted(hits, key=lambda hit: (hit[0] != "title", hit[1])))


def cue_of(cues: list[tuple[int, CueTerm]], start: int, end: int) -> str | None:
    """The cue family with more hits inside [start, end); None on a tie."""
    counts = Counter(cue.family for position, cue in cues if start <= position < end)
    cooperation, confrontation = counts["cooperation"], counts["confrontation"]
    if cooperation == confrontation:
        return None
    return "cooperation" if cooperation > confrontation else "confrontation"

"""Topic scores with evidence spans, and cooperation/confrontation cues for pair sentences."""
from __future__ import annotations

from .lexicon import TopicLexicon
from .model import TopicHit, TopicScore
from .payloads import CueTerm, TopicExclude, TopicTerm


def keep_unexcluded(hits: list[tuple[str, int, int, TopicTerm]],
                    excludes: list[tuple[str, int, int, TopicExclude]]) -> list[tuple[str, int, int, TopicTerm]]:
    """Topic hits (field, start, end, term) not inside an exclude phrase of the same topic.

    Containment, not overlap: "price war" cancels "war", but "deficit reduction" does not cancel
    the longer "trade deficit" in "trade deficit reduction"."""
    if not excludes:
        return hits
    return [hit for hit in hits if not any(
        field == hit[0] and exclude.topic == hit[3].topic and start <= hit[1] and hit[2] <= end
        for field, start, end, exclude in excludes)]


def score_topics(hits: list[tuple[str, int, int, TopicTerm]],
                 lexicons: dict[str, TopicLexicon]) -> tuple[TopicScore, ...]:
    """Article-level scores of the topics that reach their threshold, in lexicon (TOPICS) order."""
    per_term: dict[tuple[TopicTerm, str], int] = {}
    for field, _start, _end, term in hits:
        per_term[(term, field)] = per_term.get((term, field), 0) + 1
    scores: dict[str, float] = {}
    counts: dict[str, int] = {}
    for (term, field), count in per_term.items():
        lexicon = lexicons[term.topic]
        # Repeating one word is weak evidence, so each term counts at most max_hits_per_term times.
        used = min(count, lexicon.max_hits_per_term)
        scores[term.topic] = scores.get(term.topic, 0.0) + used * term.weight * (
            lexicon.title_weight if field == "title" else 1.0)
        counts[term.topic] = counts.get(term.topic, 0) + count
    return tuple(TopicScore(topic, scores[topic], counts[topic])
                 for topic, lexicon in lexicons.items() if topic in scores and scores[topic] >= lexicon.threshold)


def topic_hits(bodies: dict[str, str], hits: list[tuple[str, int, int, TopicTerm]],
               reported: set[str]) -> tuple[TopicHit, ...]:
    """Evidence spans of the reported topics, title first then by position."""
    return tuple(TopicHit(term.topic, field, start, end, bodies[field][start:end])
                 for field, start, end, term in sorted(hits, key=lambda hit: (hit[0] != "title", hit[1]))
                 if term.topic in reported)


def cue_of(cues: list[CueTerm]) -> str | None:
    """The cue family with more hits in a sentence; None on a tie."""
    cooperation = sum(cue.family == "cooperation" for cue in cues)
    confrontation = len(cues) - cooperation
    if cooperation == confrontation:
        return None
    return "cooperation" if cooperation > confrontation else "confrontation"

"""Topic evidence filtering, and cooperation/confrontation cues for pair sentences (scores: tagger.py)."""
from __future__ import annotations

from .matcher import Hit
from .payloads import TopicExclude, TopicTerm


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


def cue_of(hits: list[Hit]) -> str | None:
    """The cue family with more hits in a sentence; None on a tie. A hit inside a longer one does not count
    ("ties" in "cut ties"; "agree*" and "agreement*" both reading "agreement")."""
    cooperation = confrontation = 0
    for hit in outermost(hits):
        if hit.pattern.payload.family == "cooperation":
            cooperation += 1
        else:
            confrontation += 1
    if cooperation == confrontation:
        return None
    return "cooperation" if cooperation > confrontation else "confrontation"


def outermost(hits: list[Hit]) -> list[Hit]:
    """Hits not inside another hit (of two with the same span, the first)."""
    if len(hits) < 2:
        return hits
    kept: list[Hit] = []
    for hit in sorted(hits, key=_widest_first):
        if not kept or hit.end > kept[-1].end:
            kept.append(hit)
    return kept


def _widest_first(hit: Hit) -> tuple[int, int]:
    return hit.start, -hit.end

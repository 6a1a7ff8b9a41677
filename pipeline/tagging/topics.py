"""Topic evidence filtering, and cooperation/confrontation cues for pair sentences (scores: tagger.py)."""
from __future__ import annotations

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


def cue_of(cues: list[CueTerm]) -> str | None:
    """The cue family with more hits in a sentence; None on a tie."""
    cooperation = sum(cue.family == "cooperation" for cue in cues)
    confrontation = len(cues) - cooperation
    if cooperation == confrontation:
        return None
    return "cooperation" if cooperation > confrontation else "confrontation"

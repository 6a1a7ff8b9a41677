"""Flatten ArticleTags into the column lists of the derived warehouse tables."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "mentions": ("article_id", "day", "iso3", "field", "start_offset", "end_offset", "surface", "kind",
                 "tagger_version"),
    "article_countries": ("article_id", "day", "iso3", "mentions", "salience", "is_focus", "tagger_version"),
    "article_topics": ("article_id", "day", "topic", "score", "hits", "raised", "tagger_version"),
    "topic_hits": ("article_id", "day", "topic", "field", "start_offset", "end_offset", "surface", "tagger_version"),
    "pair_sentences": ("article_id", "day", "iso_a", "iso_b", "field", "sentence_index", "start_offset",
                       "end_offset", "sentence", "topics", "cue", "listed", "cue_words", "tagger_version"),
    "article_pairs": ("article_id", "day", "iso_a", "iso_b", "sentences", "topics", "tagger_version"),
    "article_languages": ("article_id", "day", "language", "tagger_version"),
    # story_id starts as the article's own: the store makes it the first stored copy's (Warehouse._resolve_stories)
    "article_stories": ("article_id", "day", "story_key", "story_id", "tagger_version"),
}


class DerivedRows:
    """Accumulates derived rows for a batch of articles, column by column (ready for Arrow)."""

    def __init__(self, tagger_version: str):
        self.version = tagger_version
        self.tables = {table: {column: [] for column in columns} for table, columns in DERIVED_COLUMNS.items()}

    def add(self, article_id: str, day: date, tags) -> None:
        common = (article_id, day)
        for m in tags.mentions:
            self._append("mentions", *common, m.iso3, m.field, m.start, m.end, m.surface, m.kind)
        counts = _mention_counts(tags.mentions)
        focus = set(tags.focus)
        for iso3 in tags.countries:
            self._append("article_countries", *common, iso3, counts[iso3], float(tags.salience.get(iso3, 0.0)),
                         iso3 in focus)
        for topic in tags.topics:
            self._append("article_topics", *common, topic.topic, float(topic.score), topic.hits, topic.raised)
        for h in tags.topic_hits:
            self._append("topic_hits", *common, h.topic, h.field, h.start, h.end, h.surface)
        for s in tags.pair_sentences:
            self._append("pair_sentences", *common, s.a, s.b, s.field, s.sentence_index, s.start, s.end,
                         s.sentence, list(s.topics), s.cue, s.listed, list(s.cue_words))
        self._add_article_pairs(common, tags)
        if tags.language_guessed:
            self._append("article_languages", *common, tags.language)

    def add_story(self, article_id: str, day: date, story_key: str | None) -> None:
        """The article's story key (tagging.stories), itself as its story until the store finds an earlier copy."""
        self._append("article_stories", article_id, day, story_key, article_id)

    def _add_article_pairs(self, common: tuple, tags) -> None:
        sentences: dict[tuple[str, str], int] = defaultdict(int)
        topics: dict[tuple[str, str], set[str]] = defaultdict(set)
        for s in tags.pair_sentences:
            sentences[(s.a, s.b)] += 1
            topics[(s.a, s.b)].update(s.topics)
        # A topic a pair sentence raised belongs to that sentence's pair, not to a focus pair sharing no sentence.
        article_topics = sorted(t.topic for t in tags.topics if not t.raised)
        # A pair named in one sentence is a pair of the article too, focus countries or not.
        for a, b in sorted(set(tags.article_pairs) | set(sentences)):
            pair_topics = sorted(topics[(a, b)]) if sentences[(a, b)] else article_topics
            self._append("article_pairs", *common, a, b, sentences[(a, b)], pair_topics)

    def _append(self, table: str, *values) -> None:
        columns = self.tables[table]
        for column, value in zip(columns, values + (self.version,)):
            columns[column].append(value)


def _mention_counts(mentions) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        counts[m.iso3] += 1
    return counts

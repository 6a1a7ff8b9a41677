"""The Tagger: one automaton scan per field, then pure resolution steps (no I/O)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from . import focus as focus_rules
from .dateline import Dateline, DatelineReader
from .lexicon import AmbiguousSurface, PlaceEntry, TaggerData
from .matcher import Hit, Pattern, PhraseMatcher, make_pattern
from .model import ArticleTags, Mention
from .pairs import article_pairs, pair_sentences
from .payloads import Blocker, ContextCue, CueTerm, TopicExclude, TopicTerm
from .places import PersonFilter, PlaceSpan, place_spans, resolve
from .text import is_all_caps, padded_fold, phrase_key
from .topics import keep_unexcluded, score_topics, topic_hits

CODE_VERSION = "1.0"


@dataclass(slots=True)
class _FieldScan:
    """Hits of one field, sorted by what they stand for."""
    places: list[Hit] = field(default_factory=list)
    topics: list[tuple[str, int, int, TopicTerm]] = field(default_factory=list)
    excludes: list[tuple[str, int, int, TopicExclude]] = field(default_factory=list)
    cues: list[tuple[int, CueTerm]] = field(default_factory=list)
    votes: list[ContextCue] = field(default_factory=list)


class Tagger:
    def __init__(self, data: TaggerData):
        self.version = data.version
        self._data = data
        self._matcher = PhraseMatcher(_patterns(data))
        self._people = PersonFilter(data)
        self._lexicons = {lexicon.topic: lexicon for lexicon in data.topics}
        self._datelines = DatelineReader(_dateline_codes(data), data.us_state_abbreviations)

    def tag(self, title: str, text: str, published: dt.date | None = None) -> ArticleTags:
        title, text = title or "", text or ""
        scans = {"title": self._scan("title", title), "text": self._scan("text", text)}
        votes = _votes(scans)
        dateline = self._datelines.read(text)
        mentions, actors = [], set()
        for name, body in (("title", title), ("text", text)):
            spans = place_spans(body, scans[name].places, published, is_all_caps(body), self._people)
            if name == "text" and dateline is not None:
                spans = [span for span in spans if span.start >= dateline.end]
            for span in spans:
                self._collect(span, name, votes, mentions, actors)
        dateline_mention = _dateline_mention(dateline, text)
        all_mentions = sorted(mentions + ([dateline_mention] if dateline_mention else []),
                              key=lambda mention: (mention.field != "title", mention.start))
        return self._assemble(title, text, scans, all_mentions, mentions, dateline_mention, actors)

    def _assemble(self, title, text, scans, all_mentions, body_mentions, dateline_mention, actors) -> ArticleTags:
        rule = self._data.focus
        totals = focus_rules.salience(body_mentions, dateline_mention, rule)
        focus = focus_rules.focus_of(totals, focus_rules.anchors(body_mentions, dateline_mention, rule), rule)
        topic_evidence = {name: keep_unexcluded(scan.topics, scan.excludes) for name, scan in scans.items()}
        all_topic_hits = topic_evidence["title"] + topic_evidence["text"]
        pairs = []
        for name, body in (("title", title), ("text", text)):
            field_mentions = [mention for mention in body_mentions if mention.field == name]
            pairs += pair_sentences(name, body, field_mentions, topic_evidence[name], scans[name].cues)
        return ArticleTags(
            mentions=tuple(all_mentions),
            countries=tuple(sorted({mention.iso3 for mention in all_mentions})),
            focus=focus,
            salience=focus_rules.normalised(totals),
            pair_sentences=tuple(pairs),
            article_pairs=article_pairs(focus),
            topics=score_topics(all_topic_hits, self._lexicons),
            topic_hits=topic_hits({"title": title, "text": text}, all_topic_hits),
            actors=tuple(sorted(actors)),
        )

    def _collect(self, span: PlaceSpan, field_name: str, votes: dict[str, Counter],
                 mentions: list[Mention], actors: set[str]) -> None:
        mention = resolve(span, field_name, votes)
        if mention.iso3 in self._data.actor_codes:
            actors.add(mention.iso3)
        else:
            mentions.append(mention)

    def _scan(self, field_name: str, body: str) -> _FieldScan:
        scan = _FieldScan()
        if not body:
            return scan
        for hit in self._matcher.scan(body, padded_fold(body)):
            payload = hit.pattern.payload
            if isinstance(payload, (PlaceEntry, AmbiguousSurface, Blocker)):
                scan.places.append(hit)
            elif isinstance(payload, TopicTerm):
                scan.topics.append((field_name, hit.start, hit.end, payload))
            elif isinstance(payload, TopicExclude):
                scan.excludes.append((field_name, hit.start, hit.end, payload))
            elif isinstance(payload, CueTerm):
                scan.cues.append((hit.start, payload))
            else:
                scan.votes.append(payload)
        return scan


def _votes(scans: dict[str, _FieldScan]) -> dict[str, Counter]:
    votes: dict[str, Counter] = {}
    for scan in scans.values():
        for cue in scan.votes:
            votes.setdefault(cue.surface, Counter())[cue.code] += 1
    return votes


def _dateline_mention(dateline: Dateline | None, text: str) -> Mention | None:
    if dateline is None:
        return None
    return Mention(dateline.code, dateline.start, dateline.stop, "text", text[dateline.start:dateline.stop], "place")


def _patterns(data: TaggerData) -> list[tuple[str, Pattern]]:
    patterns = [make_pattern(entry.surface, entry, case_sensitive=True) for entry in data.places]
    patterns += [make_pattern(phrase, Blocker(phrase), case_sensitive=True) for phrase in data.blockers]
    for rule in data.ambiguous:
        patterns.append(make_pattern(rule.surface, rule, case_sensitive=True))
        patterns += [make_pattern(cue, ContextCue(rule.surface, code), case_sensitive=True)
                     for code, cues in rule.cues.items() for cue in cues]
    for lexicon in data.topics:
        patterns += [make_pattern(term, TopicTerm(lexicon.topic, 2.0, term), case_sensitive=False)
                     for term in lexicon.strong]
        patterns += [make_pattern(term, TopicTerm(lexicon.topic, 1.0, term), case_sensitive=False)
                     for term in lexicon.weak]
        patterns += [make_pattern(term, TopicExclude(lexicon.topic), case_sensitive=False)
                     for term in lexicon.exclude]
    patterns += [make_pattern(term, CueTerm(family), case_sensitive=False)
                 for family, terms in data.cues.items() for term in terms]
    return patterns


def _dateline_codes(data: TaggerData) -> dict[str, str]:
    """Folded place name -> ISO3 for dateline lookup (first entry wins; leaders and actors excluded)."""
    codes: dict[str, str] = {}
    for entry in data.places:
        if entry.kind in ("name", "capital", "place") and entry.code not in data.actor_codes:
            codes.setdefault(phrase_key(entry.surface), entry.code)
    return codes

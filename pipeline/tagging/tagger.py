"""The Tagger: one automaton scan per field, then pure resolution steps (no I/O)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from . import focus as focus_rules
from .dateline import Dateline, DatelineReader
from .lexicon import TaggerData
from .matcher import Hit, Pattern, PhraseMatcher, make_pattern
from .model import FIELDS, ArticleTags, Mention, PairSentence
from .pairs import article_pairs, pair_sentences
from .payloads import Blocker, ContextCue, CueTerm, TopicExclude, TopicTerm
from .places import PersonFilter, place_spans, resolve
from .text import padded_fold, phrase_key
from .topics import keep_unexcluded, score_topics, topic_hits

# Bump when tagging logic changes; the seed-file hash is appended by pipeline.seeds.
CODE_VERSION = "1.0"


@dataclass(slots=True)
class _FieldScan:
    """Hits of one field, sorted by what they stand for."""
    places: list[Hit] = field(default_factory=list)
    topics: list[tuple[str, int, int, TopicTerm]] = field(default_factory=list)
    excludes: list[tuple[str, int, int, TopicExclude]] = field(default_factory=list)
    context: list[ContextCue] = field(default_factory=list)


class Tagger:
    def __init__(self, data: TaggerData):
        self.version = data.version
        self._data = data
        self._matcher = PhraseMatcher(_main_patterns(data))
        # Pair cues matter only inside pair sentences (a small share of the text), so they live in
        # their own automaton and are scanned on demand.
        self._cue_matcher = PhraseMatcher(make_pattern(term, CueTerm(family), case_sensitive=False)
                                          for family, terms in data.cues.items() for term in terms)
        self._people = PersonFilter(data)
        self._lexicons = {lexicon.topic: lexicon for lexicon in data.topics}
        self._datelines = DatelineReader(_dateline_codes(data), data.us_state_abbreviations)

    def tag(self, title: str, text: str, published: dt.date | None = None) -> ArticleTags:
        if isinstance(published, dt.datetime):  # a datetime cannot be compared with term dates
            published = published.date()
        bodies = dict(zip(FIELDS, (title or "", text or "")))
        scans = {name: self._scan(name, body) for name, body in bodies.items()}
        mentions, actors, dateline_mention = self._mentions(bodies, scans, published)
        evidence = {name: keep_unexcluded(scan.topics, scan.excludes) for name, scan in scans.items()}
        all_evidence = evidence["title"] + evidence["text"]
        topics = score_topics(all_evidence, self._lexicons) if all_evidence else ()
        rule = self._data.focus
        totals = focus_rules.salience(mentions, dateline_mention, rule)
        focus = focus_rules.focus_of(totals, focus_rules.anchors(mentions, dateline_mention, rule), rule)
        every_mention = mentions + [dateline_mention] if dateline_mention else mentions
        return ArticleTags(
            mentions=tuple(sorted(every_mention, key=lambda mention: (mention.field != "title", mention.start))),
            countries=tuple(sorted({mention.iso3 for mention in every_mention})),
            focus=focus,
            salience=focus_rules.normalised(totals),
            pair_sentences=self._pair_sentences(bodies, mentions, evidence),
            article_pairs=article_pairs(focus),
            topics=topics,
            topic_hits=topic_hits(bodies, all_evidence, {score.topic for score in topics}) if topics else (),
            actors=tuple(sorted(actors)),
        )

    def _mentions(self, bodies: dict[str, str], scans: dict[str, _FieldScan], published: dt.date | None
                  ) -> tuple[list[Mention], set[str], Mention | None]:
        """Country mentions of both fields (dateline apart), the actors named, the dateline mention."""
        dateline = self._datelines.read(bodies["text"])
        mentions: list[Mention] = []
        actors: set[str] = set()
        votes = _votes(scans.values())
        for name, body in bodies.items():
            if not scans[name].places:
                continue
            spans = place_spans(body, scans[name].places, published, self._people)
            if name == "text" and dateline is not None:
                spans = [span for span in spans if span.start >= dateline.end]
            for hit in spans:
                self._collect(resolve(hit, body, name, votes), mentions, actors)
        return mentions, actors, _dateline_mention(dateline, bodies["text"])

    def _pair_sentences(self, bodies: dict[str, str], mentions: list[Mention],
                        evidence: dict[str, list]) -> tuple[PairSentence, ...]:
        if len(mentions) < 2:
            return ()
        pairs: list[PairSentence] = []
        for name, body in bodies.items():
            field_mentions = [mention for mention in mentions if mention.field == name]
            pairs += pair_sentences(name, body, field_mentions, evidence[name], self._cues_in)
        return tuple(pairs)

    def _collect(self, mention: Mention, mentions: list[Mention], actors: set[str]) -> None:
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
            if isinstance(payload, TopicTerm):
                scan.topics.append((field_name, hit.start, hit.end, payload))
            elif isinstance(payload, TopicExclude):
                scan.excludes.append((field_name, hit.start, hit.end, payload))
            elif isinstance(payload, ContextCue):
                scan.context.append(payload)
            else:
                scan.places.append(hit)
        return scan

    def _cues_in(self, sentence: str) -> list[CueTerm]:
        return [hit.pattern.payload for hit in self._cue_matcher.scan(sentence, padded_fold(sentence))]


def _votes(scans) -> dict[str, Counter]:
    """Context-cue counts per ambiguous surface over the whole article."""
    votes: dict[str, Counter] = {}
    for scan in scans:
        for cue in scan.context:
            votes.setdefault(cue.surface, Counter())[cue.code] += 1
    return votes


def _dateline_mention(dateline: Dateline | None, text: str) -> Mention | None:
    if dateline is None:
        return None
    return Mention(dateline.code, dateline.start, dateline.stop, "text", text[dateline.start:dateline.stop], "place")


def _main_patterns(data: TaggerData) -> list[tuple[str, Pattern]]:
    patterns = [make_pattern(entry.surface, entry, case_sensitive=True) for entry in data.places]
    patterns += [make_pattern(phrase, Blocker(phrase), case_sensitive=True) for phrase in data.blockers]
    for rule in data.ambiguous:
        patterns.append(make_pattern(rule.surface, rule, case_sensitive=True))
        patterns += [make_pattern(cue, ContextCue(rule.surface, code), case_sensitive=True)
                     for code, cues in rule.cues.items() for cue in cues]
    for lexicon in data.topics:
        for terms, weight in ((lexicon.strong, 2.0), (lexicon.weak, 1.0)):
            patterns += [make_pattern(term, TopicTerm(lexicon.topic, weight, term), case_sensitive=False)
                         for term in terms]
        patterns += [make_pattern(term, TopicExclude(lexicon.topic), case_sensitive=False)
                     for term in lexicon.exclude]
    return patterns


def _dateline_codes(data: TaggerData) -> dict[str, str]:
    """Folded place name -> ISO3 for dateline lookup (first entry wins; leaders and actors excluded)."""
    codes: dict[str, str] = {}
    for entry in data.places:
        if entry.kind in ("name", "capital", "place") and entry.code not in data.actor_codes:
            codes.setdefault(phrase_key(entry.surface), entry.code)
    return codes

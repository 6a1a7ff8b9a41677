"""The Tagger: one automaton scan per field, then pure resolution steps (no I/O).

Speed notes (the hot path is `tag`, ≈ 9 automaton hits per Reuters story): each automaton key carries
its precomputed entries (category, case letters, prefix flag, payload), so a hit is sorted into its
list in the scan loop itself; the case check is one slice comparison with the original text in the usual
case; sentence splitting runs only when two different countries may share a sentence; datelines are
cached per head ("NEW YORK, March 3"); results are built once, already in output order.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any, Final

import ahocorasick

from . import focus as focus_rules
from .dateline import Dateline, DatelineReader
from .language import LanguageGuesser
from .lexicon import OwnScan, PairWord, PlaceEntry, TaggerData, TopicLexicon
from .lists import ListRule
from .matcher import Hit, Pattern, make_pattern
from .model import ENDING, ArticleTags, Mention, PairSentence, TopicHit, TopicScore, output_row, record
from .ordered import keys_in_order
from .pairs import code_pairs, pair_sentences
from .parties import PartyRule
from .payloads import PAIR_ONLY, STRONG, WEAK, Blocker, ContextCue, CueTerm, TopicExclude, TopicTerm
from .places import (LEADER_BY_OFFICE, NAMESAKE, NOT_A_NAME, SURNAME, PersonFilter, longest_matches,
                     reading_priority, resolve)
from .text import (ENGLISH_SUBTAGS, STORED_PARAGRAPH_BREAK, continues_word, end_before_squeeze, has_paragraph_break,
                   is_hangul, is_katakana, is_upper, may_squeeze, name_words, one_line_length, one_line_offset,
                   padded_fold, phrase_key, primary_subtag, spans_paragraph_break, squeezed, start_before_squeeze)
from .topics import EndingRule, covered, keep_unexcluded, span_index

# Bump when tagging logic changes; the seed-file hash is appended by pipeline.seeds.
CODE_VERSION = "1.49"
_NONE_RAISED: Final[frozenset[str]] = frozenset()

# Final: mypyc inlines them (a plain module global is a dict lookup in compiled code, at every hit).
_PLACE: Final = 0
_TOPIC: Final = 1
_EXCLUDE: Final = 2
_CONTEXT: Final = 3
_DATED_PLACE: Final = 4
_CUE: Final = 5
# A country word of one language other than English, or a blocker of that language's articles: in its language only.
_ONE_LANGUAGE: Final = 6
_PAIR_TOPIC: Final = 7  # a topic term that counts only in a pair sentence (payloads.PAIR_ONLY)
# An automaton value: (key length, entries); an entry: (category, phrase, upper-case positions, is_prefix,
# payload, pattern). Typed so that the compiled scan unpacks them as C structs, not generic objects.
_Entry = tuple[int, str, tuple[int, ...], bool, Any, Pattern]
_KeyValue = tuple[int, tuple[_Entry, ...]]
_OwnScanValue = tuple[int, tuple[Pattern, ...]]  # (word length, its readings) in a language's own automaton
_BY_START: Final = itemgetter(1)  # of a (field, start, end, payload) hit


def _category(payload) -> int:
    if isinstance(payload, TopicTerm):
        return _PAIR_TOPIC if payload.weight == PAIR_ONLY else _TOPIC
    if isinstance(payload, TopicExclude):
        return _EXCLUDE
    if isinstance(payload, ContextCue):
        return _CONTEXT
    if isinstance(payload, CueTerm):
        return _CUE
    if isinstance(payload, (PlaceEntry, Blocker)) and payload.language is not None:
        return _ONE_LANGUAGE
    if isinstance(payload, PlaceEntry) and (payload.valid_from is not None or payload.valid_to is not None):
        return _DATED_PLACE  # a leader's term of office: checked against the publication day in the scan
    return _PLACE


class FieldHits:
    """One field's scan: place hits, topic hits, exclude hits, pair-cue hits, and the hits of topic terms that count
    only in pair sentences. A plain class: compiled, a native one (see model.py)."""

    def __init__(self, places: list[Hit], topics: list, excludes: list, cues: list[Hit], pair_topics: list) -> None:
        self.places: Final = places
        self.topics: Final = topics
        self.excludes: Final = excludes
        self.cues: Final = cues
        self.pair_topics: Final = pair_topics


class Tagger:
    def __init__(self, data: TaggerData):
        self.version = data.version
        self._automaton = _compiled(_main_patterns(data))
        self._own_scans = {language: (_own_automaton(data, language, scan), scan.whole_words, scan.prefixes,
                                      str.maketrans(scan.letter_variants) if scan.letter_variants else None)
                           for language, scan in data.own_scans.items()}
        self._people = PersonFilter(data)
        self._languages = LanguageGuesser(data.languages)
        self._lexicons = data.topics  # a TopicTerm's index points into it
        self._least_cap = min((lexicon.max_hits_per_term for lexicon in data.topics), default=0)
        self._raising = frozenset(lexicon.topic for lexicon in data.topics if lexicon.raised_by_pair_sentence)
        self._datelines = DatelineReader(_dateline_codes(data), data.us_state_abbreviations, _dateline_cities(data))
        self._actor_codes = data.actor_codes
        self._focus_rule = data.focus
        self._list_words = data.list_words
        self._english_lists = ListRule(data.list_words["en"])
        self._parties = PartyRule(data.parties)
        self._endings = EndingRule(data.cue_endings)
        # Other languages' patterns are built at their first article: all of them cost a fifth of building the Tagger
        # (the "and others" alternations: 20-80 phrases each), and a process mostly reads one or two languages.
        self._list_rules: dict[str, ListRule] = {"en": self._english_lists}

    def tag(self, title: str, text: str, published: dt.date | None = None, language: str | None = None
            ) -> ArticleTags:
        """`language`: the BCP 47 tag of the text, when known. Country words of that language ("Russland",
        "Moscou") are matched besides the English gazetteer, which holds the words most languages share.
        The topic lexicons and pair cues are English: in another language their words are homographs at best
        (German "war" = was, French "j'ai"), so an article known not to be English gets countries, focus
        and pairs but no topics and no cues."""
        # A datetime cannot be compared with term dates. (None first: isinstance against a class from outside the
        # compiled modules is a generic API call, ~250 instructions, and a row without a date needs none.)
        if published is not None and isinstance(published, dt.datetime):
            published = published.date()
        title, text = title or "", text or ""
        folded_title, folded_text = padded_fold(title), padded_fold(text)
        primary = primary_subtag(language) if language else self._languages.guess(folded_title, folded_text)
        context: list = []
        title_hits = self._field_hits("title", title, folded_title, context, published, primary)
        text_hits = self._field_hits("text", text, folded_text, context, published, primary)
        # A paragraph break counts as the one space it was on one line (text.STORED_PARAGRAPH_BREAK): where a rule
        # reads a position or a length. Most texts hold none.
        paragraphed = STORED_PARAGRAPH_BREAK in text
        dateline = self._datelines.read(text, paragraphed) if text else None
        # Country mentions (dateline apart) and actors, then pair sentences and topics (a pair sentence can raise one).
        actors: list[str] = []  # a list, deduplicated at the end: most articles have none, and a set costs more to build
        title_mentions, text_mentions = self._mentions(title, text, title_hits, text_hits, context, dateline, actors)
        title_evidence = keep_unexcluded(title_hits.topics, title_hits.excludes)
        text_evidence = keep_unexcluded(text_hits.topics, text_hits.excludes)
        pairs: list[PairSentence] = []
        pair_only: list = []  # hits of the topic words that count only in a pair sentence
        lists = self._list_rule(primary)
        _add_field_pairs("title", title, title_mentions, title_hits, title_evidence, lists, self._parties,
                         self._endings, pairs, pair_only)
        _add_field_pairs("text", text, text_mentions, text_hits, text_evidence, lists, self._parties, self._endings,
                         pairs, pair_only)
        if len(pairs) > 1:
            pairs = _each_sentence_once(pairs)
        raised = self._raised_topics(pairs) if pairs and self._raising else _NONE_RAISED
        length = len(title) + (one_line_length(text) if paragraphed else len(text))
        topics = self._score_topics(title_evidence, text_evidence, length, raised) \
            if title_evidence or text_evidence or raised else ()
        topic_hits = _topic_hits(title, text, title_evidence, text_evidence, topics,
                                 _raising_words(pairs, pair_only, topics, title_evidence + text_evidence)
                                 if raised else []) if topics else ()
        mentions = title_mentions + text_mentions
        lead_end = one_line_offset(text, self._focus_rule.lead_chars) if paragraphed else self._focus_rule.lead_chars
        dateline_mention = dateline.mention if dateline is not None else None
        totals, top, focus = focus_rules.salience_and_focus(mentions + list(dateline.others) if dateline else mentions,
                                                       dateline_mention, self._focus_rule, lead_end)
        every_mention = (title_mentions + [dateline.mention, *dateline.others] + text_mentions) \
            if dateline is not None else mentions
        countries = keys_in_order(totals)  # every mention's country has a salience: the same codes
        return record(ArticleTags, (  # positional, in field order: keyword arguments build through the interpreter
            tuple(every_mention),  # mentions
            countries,
            focus,
            focus_rules.normalised(totals, top, countries),  # salience
            tuple(pairs),  # pair_sentences
            tuple(code_pairs(focus)) if len(focus) > 1 else (),  # article_pairs
            topics,
            topic_hits,
            tuple(sorted(set(actors))) if actors else (),  # actors (sorted(): a generic call, skipped)
            primary,  # language
            primary is not None and not language,  # language_guessed
        ))

    def _field_hits(self, name: str, body: str, folded: str, context: list, published: dt.date | None,
                    language: str | None) -> FieldHits:
        """The field's hits (`_scan`), with those of its language's own scan where it has one, and without topic
        and cue hits where it is not English."""
        hits = self._scan(name, body, folded, context, published, language)
        if language is None:
            return hits
        if language in self._own_scans:
            automaton, whole_words, prefixes, variants = self._own_scans[language]
            # Scanned with its letter variants read as one (one character for one, so offsets hold); mentions
            # and sentences keep the text as written.
            hits.places.extend(_own_scan_hits(automaton, whole_words, prefixes,
                                              body.translate(variants) if variants else body, published))
        return hits if language in ENGLISH_SUBTAGS else FieldHits(hits.places, [], [], [], [])

    def _list_rule(self, language: str | None) -> ListRule:
        """The list words of `language` (a primary subtag; None: English); English's for a language without its
        own, as every language was read before 1.30."""
        if language is None:
            return self._english_lists
        rule = self._list_rules.get(language)
        if rule is None:
            words = self._list_words.get(language)
            rule = self._english_lists if words is None else ListRule(words)
            self._list_rules[language] = rule
        return rule

    def _mentions(self, title: str, text: str, title_hits: FieldHits, text_hits: FieldHits, context: list,
                  dateline: Dateline | None, actors: list[str]) -> tuple[list[Mention], list[Mention]]:
        """Both fields' country mentions, read as one article (a surname or a namesake in the title holds in the
        text); the text's dateline is read apart. Actors go to `actors`."""
        votes = _votes(context) if context else _NO_VOTES
        surnames: set[str] = set()
        namesakes: dict[str, bool] = {}
        title_mentions = self._resolve_field(title, "title", title_hits.places, votes, actors, surnames,
                                             namesakes, 0)
        text_mentions = self._resolve_field(text, "text", text_hits.places, votes, actors, surnames,
                                            namesakes, dateline.end if dateline is not None else 0)
        return title_mentions, text_mentions

    def tag_row(self, row: dict) -> dict:
        """`pactwatch tag`'s output row for an input row {id, title, text, published?, language?}. Here, not in
        the caller's loop, so that the per-row work runs compiled. A title, text or language that is not a
        string (or null) is a ValueError; a published value that is not an ISO date means an unknown day."""
        return output_row(self.tag(_field_text(row, "title"), _field_text(row, "text"),
                                   _published_day(row.get("published")), _field_text(row, "language")),
                          row.get("id"), self.version)

    def _resolve_field(self, body: str, name: str, places: list[Hit], votes: dict[str, dict[str, int]],
                       actors: list[str], surnames: set[str], namesakes: dict[str, bool],
                       skip_before: int) -> list[Mention]:
        """Longest-match hits resolved to mentions (places.resolve inlined for the common cases): hits
        before `skip_before` (the dateline) are dropped first, then blockers, currencies and people's names.
        `surnames`: the article's country words read as a person's surname so far ("Ron English", "Mr
        Jordan"), dropped wherever they recur. `namesakes`: leaders' surnames seen so far -> whether the leader
        is named (by an office or the full name), or only another person of that name ("Oscar Pistorius"),
        in which case the surname is that person too ("Mr. Pistorius's petition"). The leader's family is in
        the news with the leader ("Michael Reagan, son of President Reagan"), hence the office's say."""
        if not places:
            return []
        # Leaders out of office on the article's day were dropped by the scan already.
        selected = longest_matches(places, None) if len(places) > 1 else places
        mentions: list[Mention] = []
        actor_codes = self._actor_codes
        people = self._people  # called as people.reading: compiled, a native call (a bound method is not)
        for hit in selected:
            start, end, pattern = hit.start, hit.end, hit.pattern
            if start < skip_before:
                continue
            payload = pattern.payload
            kind = type(payload)
            if kind is Blocker or (end < len(body) and body[end] == "$") or _is_ticker(body, start, end) \
                    or (surnames and body[start:end] in surnames):
                continue  # "US$", "HK$", "A$" name currencies, "<ROK>" (Rockwell) a stock ticker: not countries
            reading = people.reading(body, hit, selected, mentions[-1].end if mentions else -1)
            if reading == NAMESAKE:
                namesakes.setdefault(body[start:end], False)
                continue
            if reading == LEADER_BY_OFFICE:
                namesakes[body[start:end]] = True
            elif reading != NOT_A_NAME:
                # "Sheila Oliver New Jersey voters": a name of several words (wrapped or not) is that person's here only
                if reading == SURNAME and len(name_words(body[start:end])) == 1:
                    surnames.add(body[start:end])
                continue
            if kind is PlaceEntry:
                entry: PlaceEntry = payload  # typed, its fields are read natively (payload is Any)
                surface = body[start:end]  # once: a slice is a copy
                if entry.kind == "leader":
                    # a line break parts them as a space does (wire copy wraps), and so does a zero-width space
                    words = name_words(surface)
                    if len(words) > 1:  # the full name: the leader
                        namesakes[words[-1]] = True
                    elif not namesakes.get(words[0], True):
                        continue
                code = entry.code
                if code in actor_codes:
                    actors.append(code)
                else:
                    mentions.append(Mention(code, start, end, name, surface, entry.kind))
                continue
            mention = resolve(hit, body, name, votes)
            if mention.iso3 in actor_codes:
                actors.append(mention.iso3)
            else:
                mentions.append(mention)
        return mentions

    def _score_topics(self, title_evidence: list, text_evidence: list, length: int, raised: frozenset[str]
                      ) -> tuple[TopicScore, ...]:
        """Article-level scores of the topics that reach their threshold (lower in a short article) or that a pair
        sentence raises (`raised`), in lexicon (TOPICS) order.
        Repeating one word is weak evidence: a term counts at most max_hits_per_term times per field.
        Tallied in a list by the term's lexicon index, for the lexicons with evidence only (most articles have one or
        two of eleven): this runs for every article."""
        lexicons = self._lexicons
        tallies: list[_Tally | None] = [None] * len(lexicons)  # a list: indexed natively, in lexicon order
        _tally(title_evidence, lexicons, self._least_cap, True, tallies)
        _tally(text_evidence, lexicons, self._least_cap, False, tallies)
        reported = []
        any_raised = bool(raised)  # once: the truth of a frozenset is a generic call compiled
        for index, tally in enumerate(tallies):  # a raised topic may have no evidence
            lexicon = lexicons[index]
            if tally is not None and tally.score >= lexicon.threshold_for(length, tally.strong):
                reported.append(TopicScore(lexicon.topic, tally.score, tally.hits, False))
            elif any_raised and lexicon.topic in raised:
                reported.append(TopicScore(lexicon.topic, tally.score if tally is not None else 0.0,
                                           tally.hits if tally is not None else 0, True))
        return tuple(reported)

    def _raised_topics(self, pairs: list[PairSentence]) -> frozenset[str]:
        """The topics (`raised_by_pair_sentence`) that a pair sentence, not a list of countries, carries."""
        found = {topic for pair in pairs if not pair.listed for topic in pair.topics}
        return self._raising & found if found else _NONE_RAISED

    def _scan(self, name: str, body: str, folded: str, context: list, published: dt.date | None = None,
              language: str | None = None) -> FieldHits:
        """The field's hits (place hits valid on `published`, in English or `language`: a primary subtag);
        context cues are appended to `context`. `folded`: padded_fold(body). A field holding what a reader sees as one
        word gap or one letter but folding does not (a line break of two characters, a double space, a soft hyphen, a
        decomposed letter: text.squeezed) is scanned as typed, where a name over it ("New\r\nYork", "North  Korea")
        folds to its key, and its hits are moved back to the field's offsets. A phrase over a paragraph break of one
        character (a form feed, the paragraph separator) is no hit."""
        typed, drops = squeezed(body) if may_squeeze(body) else (body, [])
        if not drops:
            hits = self._scan_folded(name, body, folded, context, published, language)
        else:
            hits = _at_offsets_before_squeeze(
                self._scan_folded(name, typed, padded_fold(typed), context, published, language), body, drops)
        return _within_paragraphs(hits, body) if has_paragraph_break(body) else hits

    def _scan_folded(self, name: str, body: str, folded: str, context: list, published: dt.date | None,
                     language: str | None) -> FieldHits:
        """`_scan` of a field, `folded` being padded_fold(body)."""
        places: list[Hit] = []
        topics: list = []
        excludes: list = []
        cues: list[Hit] = []
        pair_topics: list = []
        if not body:
            return FieldHits(places, topics, excludes, cues, pair_topics)
        length = len(body)
        automaton_hits: Iterator[tuple[int, _KeyValue]] = self._automaton.iter(folded)
        for last, (key_length, entries) in automaton_hits:
            start = last - key_length + 1  # key's leading space sits at the char before the phrase
            for category, core, uppers, is_prefix, payload, pattern in entries:
                if uppers and body[start:start + len(core)] != core:
                    for position in uppers:
                        if not is_upper(body[start + position]):
                            break
                    else:
                        uppers = ()
                    if uppers:
                        continue
                if is_prefix:
                    end = start + key_length - 1
                    while end < length and body[end].isalnum():
                        end += 1
                else:
                    end = start + key_length - 2
                if category == _TOPIC:
                    if not _is_ticker(body, start, end):  # "<USTR>" is United Stationers, not the trade office
                        topics.append((name, start, end, payload))
                elif category == _EXCLUDE:
                    excludes.append((name, start, end, payload))
                elif category == _CONTEXT:
                    context.append(payload)
                elif category == _CUE:
                    cues.append(Hit(start, end, pattern))
                elif category == _PAIR_TOPIC:
                    if not _is_ticker(body, start, end):
                        pair_topics.append((name, start, end, payload))
                elif category == _ONE_LANGUAGE:
                    if payload.language == language and (published is None or type(payload) is Blocker
                                                         or _valid_on(payload, published)):
                        places.append(Hit(start, end, pattern))
                        break
                elif category == _PLACE or published is None or _valid_on(payload, published):
                    places.append(Hit(start, end, pattern))
                    break  # the key's other place readings (listed after it) would lose to it in longest_matches
        return FieldHits(places, topics, excludes, cues, pair_topics)

    def cue_hits(self, sentence: str) -> list[Hit]:
        """Every cue phrase in `sentence`, nested ones included (topics.pair_cues counts the outermost)."""
        return self._scan("text", sentence, padded_fold(sentence), []).cues


class _Tally:
    """One topic's evidence in an article: its score, its hits, and whether one of them is a strong term. A plain
    class: compiled, its fields are unboxed (a list of floats holds boxed ones)."""

    def __init__(self) -> None:
        self.score = 0.0
        self.hits = 0
        self.strong = False


def _tally(evidence: list[tuple[str, int, int, TopicTerm]], lexicons: tuple[TopicLexicon, ...], least_cap: int,
           in_title: bool, tallies: list[_Tally | None]) -> None:
    """Adds a field's topic hits to `tallies` (by lexicon index); a term counts at most max_hits_per_term times
    (`least_cap`: the least of them)."""
    if not evidence:
        return
    # A field with no more hits than any term may count (most fields) needs no count per term.
    seen: dict[TopicTerm, int] | None = {} if len(evidence) > least_cap else None
    for _, _, _, term in evidence:
        index = term.index
        lexicon = lexicons[index]
        tally = tallies[index]
        if tally is None:
            tally = tallies[index] = _Tally()
        tally.hits += 1
        tally.strong = tally.strong or term.weight == STRONG
        if seen is not None:
            times = seen[term] = seen.get(term, 0) + 1
            if times > lexicon.max_hits_per_term:
                continue
        tally.score += term.weight * lexicon.title_weight if in_title else term.weight


def _add_field_pairs(name: str, body: str, mentions: list[Mention], hits: FieldHits, evidence: list, lists: ListRule,
                     parties: PartyRule, endings: EndingRule, pairs: list[PairSentence], pair_only: list) -> None:
    """Appends the field's pair sentences to `pairs`, and the hits of the topic words that count only in them to
    `pair_only` (appended, not returned: most fields have none, and tag runs for every feed item)."""
    if len(mentions) < 2:
        return
    field_pair_only = keep_unexcluded(hits.pair_topics, hits.excludes)
    pair_only.extend(field_pair_only)
    pairs.extend(pair_sentences(name, body, mentions, evidence + field_pair_only, hits.cues, lists, parties, endings))


def _each_sentence_once(pairs: list[PairSentence]) -> list[PairSentence]:
    """The first of an article's pair sentences that say the same words of the same pair (spacing and case aside): a
    live blog's boilerplate or a text that repeats itself is evidence once, and one article repeating a sentence
    fifty times no longer makes a spike of fifty sentences (stop 75's dashboard audit)."""
    first_of: dict[tuple[str, str], PairSentence] = {}
    wordings: dict[tuple[str, str], set[str]] = {}  # of each pair named again: the wordings kept
    kept: list[PairSentence] = []
    for pair in pairs:
        codes = (pair.a, pair.b)
        first = first_of.get(codes)
        if first is None:  # most pairs: no sentence to compare
            first_of[codes] = pair
            kept.append(pair)
            continue
        said = wordings.get(codes)
        if said is None:
            said = wordings[codes] = {wording(first.sentence)}
        words = wording(pair.sentence)
        if words not in said:
            said.add(words)
            kept.append(pair)
    return kept


def wording(sentence: str) -> str:
    """A sentence's words, case and spacing aside: `" ".join(sentence.split()).casefold()`, without the split and
    join where the sentence is spaced so already (most are: printable text holds no whitespace but the ASCII space,
    and no case folding makes or unmakes whitespace)."""
    folded = sentence.casefold()
    if folded.isprintable() and "  " not in folded and not folded.startswith(" ") and not folded.endswith(" "):
        return folded
    return " ".join(folded.split())


def _at_offsets_before_squeeze(hits: FieldHits, body: str, drops: list[int]) -> FieldHits:
    """The hits of a field scanned as typed (text.squeezed) at the field's own offsets."""
    return _rebuilt(hits, lambda found: [_hit_moved_back(hit, body, drops) for hit in found],
                    lambda spans: [_span_moved_back(span, body, drops) for span in spans])


def _within_paragraphs(hits: FieldHits, body: str) -> FieldHits:
    """The hits that span no paragraph break of one character (text.spans_paragraph_break)."""
    return _rebuilt(hits, lambda found: [hit for hit in found if not spans_paragraph_break(body, hit.start, hit.end)],
                    lambda spans: [span for span in spans if not spans_paragraph_break(body, span[1], span[2])])


def _rebuilt(hits: FieldHits, hit_lists: Callable[[list[Hit]], list[Hit]], span_lists: Callable[[list], list]
             ) -> FieldHits:
    """`hits` with its lists of place and cue hits passed through `hit_lists`, its lists of (field, start, end,
    payload) spans through `span_lists`."""
    return FieldHits(hit_lists(hits.places), span_lists(hits.topics), span_lists(hits.excludes), hit_lists(hits.cues),
                     span_lists(hits.pair_topics))


def _hit_moved_back(hit: Hit, body: str, drops: list[int]) -> Hit:
    return Hit(start_before_squeeze(body, drops, hit.start), end_before_squeeze(body, drops, hit.end), hit.pattern)


def _span_moved_back(span: tuple, body: str, drops: list[int]) -> tuple:
    """A (field, start, end, payload) hit."""
    return (span[0], start_before_squeeze(body, drops, span[1]), end_before_squeeze(body, drops, span[2]),
            span[3])


def _valid_on(entry: PlaceEntry, day: dt.date) -> bool:
    """entry.valid_on(day), called natively: the scan's payloads are untyped, and a method call on an untyped
    object goes through the interpreter."""
    return entry.valid_on(day)


def _compiled(patterns: list[tuple[str, Pattern]]) -> ahocorasick.Automaton:
    """One automaton; each key's value is (key length, entries), an entry being
    (category, phrase, upper-case positions, is_prefix, payload, pattern). Place entries come last,
    in the order longest_matches ranks readings of one span, so the scan keeps only the first that
    passes its case and date checks."""
    grouped: dict[str, list[Pattern]] = {}
    for key, pattern in patterns:
        if key.strip():
            grouped.setdefault(key, []).append(pattern)
    automaton = ahocorasick.Automaton()
    for key, group in grouped.items():
        entries = sorted(((_category(p.payload), p.phrase, p.upper_positions, p.is_prefix, p.payload, p)
                          for p in group), key=_scan_order)
        automaton.add_word(key, (len(key), tuple(entries)))
    automaton.make_automaton()
    return automaton


def _scan_order(entry: tuple) -> tuple[int, int]:
    """Other entries first (their order kept), then place entries by reading priority (stable)."""
    category, payload = entry[0], entry[4]
    if category in (_PLACE, _DATED_PLACE, _ONE_LANGUAGE):
        return 1, reading_priority(payload)
    return 0, 0


def _topic_hits(title: str, text: str, title_evidence: list, text_evidence: list, topics: tuple[TopicScore, ...],
                raising_words: list) -> tuple[TopicHit, ...]:
    """Evidence spans of the reported topics, title first then by position; `raising_words`: the pair-only words
    inside the pair sentences that raised a topic."""
    reported = [score.topic for score in topics]  # one or two: a list is built and searched for less than a set
    found: list[TopicHit] = []
    _add_field_topic_hits(found, "title", title, title_evidence, raising_words, reported)
    _add_field_topic_hits(found, "text", text, text_evidence, raising_words, reported)
    return tuple(found)


def _add_field_topic_hits(found: list[TopicHit], field: str, body: str, evidence: list, raising_words: list,
                          reported: list[str]) -> None:
    extra = [hit for hit in raising_words if hit[0] == field] if raising_words else None
    if evidence or extra:
        _add_topic_hits(found, body, evidence + extra if extra else evidence, reported)


def _raising_words(pairs: list[PairSentence], pair_only: list, topics: tuple[TopicScore, ...], scored: list) -> list:
    """The pair-only words of each topic a pair sentence raised (its score fell short) inside an unlisted pair sentence
    of their field that carries it, but none already inside a scored word of that topic ("partner*" in
    "partnership")."""
    raised = {score.topic for score in topics if score.raised}
    candidates = [hit for hit in pair_only if hit[3].topic in raised] if raised else []
    if not candidates:
        return []
    carrying = span_index([(pair.field, topic, pair.start, pair.end)
                           for pair in pairs if not pair.listed for topic in pair.topics if topic in raised])
    words = span_index([(word[0], word[3].topic, word[1], word[2]) for word in scored if word[3].topic in raised])
    # A sentence holds the word's start (start <= hit start < end, i.e. its end reaches start + 1); a scored word
    # holds the whole word.
    return [hit for hit in candidates if covered(carrying, hit[0], hit[3].topic, hit[1], hit[1] + 1)
            and not covered(words, hit[0], hit[3].topic, hit[1], hit[2])]


def _add_topic_hits(found: list[TopicHit], body: str, evidence: list[tuple[str, int, int, TopicTerm]],
                    reported: list[str]) -> None:
    # Typed parameters: compiled, slicing a known str and unpacking a known tuple are native operations.
    # The automaton reports hits by end: nearly always also by start, and then the sort call is skipped.
    for field, start, end, term in evidence if _starts_ascend(evidence) else sorted(evidence, key=_BY_START):
        topic = term.topic
        if topic in reported:
            found.append(TopicHit(topic, field, start, end, body[start:end]))


def _starts_ascend(hits: list[tuple[str, int, int, TopicTerm]]) -> bool:
    previous = -1
    for hit in hits:
        if hit[1] < previous:
            return False
        previous = hit[1]
    return True


def _field_text(row: dict, name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{name} is a JSON {_JSON_TYPES.get(type(value), type(value).__name__)}, not a string")
    return value


_JSON_TYPES: Final = {int: "number", float: "number", bool: "boolean", list: "array", dict: "object"}


def _published_day(value: object) -> dt.date | None:
    """The day of 'YYYY-MM-DD' or an ISO timestamp; None (an unknown day) for anything else."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    head = value[:10]
    # The rows of a run share a few hundred days: each is read once (date.fromisoformat, a generic call that builds a
    # date, cost ~1,000 instructions a row more than the lookup).
    if head in _DAYS:
        return _DAYS[head]
    if len(_DAYS) > 65536:
        _DAYS.clear()
    try:
        day: dt.date | None = dt.date.fromisoformat(head)
    except ValueError:
        day = None
    _DAYS[head] = day
    return day


_DAYS: Final[dict[str, dt.date | None]] = {}


def _is_ticker(body: str, start: int, end: int) -> bool:
    """Reuters names a company by its ticker in angle brackets: "<ROK>", "<UK>" are not countries, "<USTR>" is no
    topic word."""
    return start > 0 and body[start - 1] == "<" and body[end:end + 1] == ">"


_NO_VOTES: Final[dict[str, dict[str, int]]] = {}  # an article without context cues: read, never written


def _votes(context: list[ContextCue]) -> dict[str, dict[str, int]]:
    """Context-cue counts per ambiguous surface over the whole article (plain dicts: a Counter is built by
    interpreted code, even in the compiled tagger)."""
    votes: dict[str, dict[str, int]] = {}
    for cue in context:
        counts = votes.setdefault(cue.surface, {})
        counts[cue.code] = counts.get(cue.code, 0) + 1
    return votes


def _own_automaton(data: TaggerData, language: str, scan: OwnScan) -> ahocorasick.Automaton:
    """The country words and blockers of a language with a scan of its own; keys are the words themselves (no
    case to fold; letter variants read as one), so they match inside longer runs of text."""
    variants = str.maketrans(scan.letter_variants)
    readings: dict[str, list[Pattern]] = {}
    for entry in data.places:
        if entry.language == language:  # a leader's name has one reading per term of office
            key = entry.surface.translate(variants)
            readings.setdefault(key, []).append(Pattern(entry.surface, (), False, entry))
    for pair in scan.pairs:
        readings.setdefault(pair.surface.translate(variants), []).append(Pattern(pair.surface, (), False, pair))
    for phrase in scan.blockers:  # a blocker spelt as a place replaces it
        readings[phrase.translate(variants)] = [Pattern(phrase, (), False, Blocker(phrase))]
    automaton = ahocorasick.Automaton()
    for word, patterns in readings.items():
        automaton.add_word(word, (len(word), tuple(patterns)))
    automaton.make_automaton()
    return automaton


def _own_scan_hits(automaton: ahocorasick.Automaton, whole_words: bool, prefixes: tuple[str, ...], body: str,
                   published: dt.date | None) -> list[Hit]:
    """Place hits of a language with a scan of its own (the first reading valid on `published`) in `body`, its
    letter variants already read as one. A word in katakana must not run on into more katakana: "タイ" is
    Thailand, "タイヤ" a tyre and "ネクタイ" a necktie. A word in hangul must begin a word (particles follow
    it): "러시아는" is Russia, "리차드" holds no Chad. With `whole_words`, a word must be one, after one of
    `prefixes` if any: "وروسيا" (and Russia) holds Russia, "تركيز" (focus) no Turkish, "प्राचीन" (ancient) no
    China. A pair abbreviation ("북러") is a hit on each of its two letters (`_pair_letters`)."""
    hits: list[Hit] = []
    if not body:
        return hits
    pairs = _PairRuns(body)
    found: Iterator[tuple[int, _OwnScanValue]] = automaton.iter(body)
    for last, (length, patterns) in found:
        start, end = last - length + 1, last + 1
        if (start > 0 and is_katakana(body[start]) and is_katakana(body[start - 1])) \
                or (end < len(body) and is_katakana(body[end - 1]) and is_katakana(body[end])) \
                or (start > 0 and is_hangul(body[start]) and is_hangul(body[start - 1])
                    and not pairs.continues(start, patterns)) \
                or (whole_words and not _is_whole_word(body, start, end, prefixes)):
            continue
        for pattern in patterns:
            payload = pattern.payload
            if isinstance(payload, PairWord):
                pairs.add(Hit(start, end, pattern))
                break
            if not isinstance(payload, PlaceEntry) or payload.valid_on(published):
                hits.append(Hit(start, end, pattern))
                break
    if kept := pairs.close():
        hits += _pair_letters(kept, hits)
    return hits


class _PairRuns:
    """The pair abbreviations of one scan, in text order, read a run at a time. Three countries run together share
    their middle letter ("한미일" is 한미 and 미일); a run must end a word, but for one of the language's particles
    ("한미일이"): "북미·중동" (North America, the Middle East) and "북미일본" hold no run, only their first pair. A
    pair that asks for a word of relations finds it after its run ("남북미 정상회담": 남북 and 북미 both do)."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.kept: list[Hit] = []
        self.run: list[Hit] = []  # the pairs of the current run, read when it ends

    def continues(self, start: int, patterns: tuple[Pattern, ...]) -> bool:
        """Whether a pair abbreviation starts on the last letter of the run's last pair, though a word starting
        inside a run of hangul is otherwise none."""
        return bool(self.run) and self.run[-1].end == start + 1 and any(isinstance(pattern.payload, PairWord)
                                                                        for pattern in patterns)

    def add(self, pair: Hit) -> None:
        if self.run and self.run[-1].end != pair.start + 1:
            self._read_run()
        self.run.append(pair)

    def close(self) -> list[Hit]:
        """The pairs that count, once the scan is over."""
        if self.run:
            self._read_run()
        return self.kept

    def _read_run(self) -> None:
        run, self.run = self.run, []
        last: PairWord = run[-1].pattern.payload
        if len(run) > 1 and not _ends_a_word(self.body, run[-1].end, last.particles):
            run = run[:1]
        end, countries = run[-1].end, len(run) + 1
        self.kept += [pair for pair in run if _is_confirmed(self.body, end, pair.pattern.payload, countries)]


def _ends_a_word(body: str, end: int, particles: str) -> bool:
    """Whether no letter of hangul follows `end`, but one of `particles` that ends the word."""
    after = body[end:end + 2]
    return not (after and is_hangul(after[0])) or (after[0] in particles and not (len(after) > 1 and is_hangul(after[1])))


def _is_confirmed(body: str, end: int, pair: PairWord, countries: int) -> bool:
    """Whether `pair` asks for no word after its run (which ends at `end` and names `countries`), or one comes right
    after it or after one space: one of its followers ("북미 정상회담", "日中首脳"), or, for a run of three countries or
    more, their count as a word of its own ("남북미 3자 회담", "한미일중 4국은"). A pair alone is not confirmed by a
    count: "북미 2개국" is the US and Canada; nor is a longer word: "3자녀" is three children."""
    if not pair.followers:
        return True
    at = end + 1 if body[end:end + 1] == " " else end
    return body.startswith(pair.followers, at) or (countries > 2 and _is_counted(body, at, pair, countries))


def _is_counted(body: str, at: int, pair: PairWord, countries: int) -> bool:
    for counter in pair.counters:
        word = f"{countries}{counter}"
        if body.startswith(word, at) and _ends_a_word(body, at + len(word), pair.particles):
            return True
    return False


def _pair_letters(pairs: list[Hit], words: list[Hit]) -> list[Hit]:
    """Two hits for each pair abbreviation that no other word of the scan crosses, one on each country's letter, so
    each is a mention of its own, as if written apart; a word it crosses takes its letters ("来日韓国人" holds 韓国, a
    Korean visiting Japan, no 日韓). Pairs that overlap share the letter between them: "日米韓" names three."""
    # A word crosses a pair where it starts inside the pair and ends after it, or ends inside and starts before:
    # the furthest end of the words starting at each offset, and the earliest start of those ending there, tell in
    # one look per letter of the pair (not one per word: a long text has many of both).
    reach: dict[int, int] = {}
    back: dict[int, int] = {}
    for word in words:
        reach[word.start] = max(reach.get(word.start, 0), word.end)
        back[word.end] = min(back.get(word.end, word.start), word.start)
    letters: list[Hit] = []
    for pair in pairs:
        start, end = pair.start, pair.end
        if any(reach.get(inside, 0) > end or back.get(inside, start) < start for inside in range(start + 1, end)):
            continue
        abbreviation: PairWord = pair.pattern.payload
        for at, entry in ((start, abbreviation.first), (end - 1, abbreviation.second)):
            letters.append(Hit(at, at + 1, Pattern(entry.surface, (), False, entry)))
    return letters


def _is_whole_word(body: str, start: int, end: int, prefixes: tuple[str, ...]) -> bool:
    """Whether body[start:end] ends a word and begins one, or follows nothing but one of `prefixes`."""
    if end < len(body) and continues_word(body[end]):
        return False
    begin = start
    while begin > 0 and continues_word(body[begin - 1]):
        begin -= 1
    return begin == start or body[begin:start] in prefixes


def _main_patterns(data: TaggerData) -> list[tuple[str, Pattern]]:
    patterns = [make_pattern(entry.surface, entry, case_sensitive=True)
                for entry in data.places if entry.language not in data.own_scans]
    patterns += [make_pattern(phrase, Blocker(phrase), case_sensitive=True) for phrase in data.blockers]
    patterns += [make_pattern(phrase, Blocker(phrase, language), case_sensitive=True)
                 for language, phrases in data.language_blockers.items() for phrase in phrases]
    patterns += [make_pattern(term, CueTerm(family), case_sensitive=False)
                 for family, terms in data.cues.items() for term in terms]
    patterns += [make_pattern(verb, CueTerm(ENDING), case_sensitive=False) for verb in data.cue_endings.verbs]
    for rule in data.ambiguous:
        patterns.append(make_pattern(rule.surface, rule, case_sensitive=True))
        patterns += [make_pattern(cue, ContextCue(rule.surface, code), case_sensitive=True)
                     for code, cues in rule.cues.items() for cue in cues]
    for index, lexicon in enumerate(data.topics):
        for terms, weight in ((lexicon.strong, STRONG), (lexicon.weak, WEAK), (lexicon.pair, PAIR_ONLY)):
            # case-sensitive: only a capital in the term must match one ("AI" is not the French "j'ai")
            patterns += [make_pattern(term, TopicTerm(lexicon.topic, weight, term, index), case_sensitive=True)
                         for term in terms]
        patterns += [make_pattern(term, TopicExclude(lexicon.topic), case_sensitive=True)
                     for term in lexicon.exclude]
    return patterns


def _dateline_cities(data: TaggerData) -> frozenset[str]:
    """The folded names of cities (places and capitals) among `_dateline_codes`: a dateline of several names only."""
    return frozenset(phrase_key(entry.surface) for entry in data.places
                     if entry.kind in ("capital", "place") and entry.language is None)


def _dateline_codes(data: TaggerData) -> dict[str, str]:
    """Folded place name -> ISO3 for dateline lookup (first entry wins; leaders, actors and the words of other
    languages excluded: a dateline is read the Reuters way)."""
    codes: dict[str, str] = {}
    for entry in data.places:
        if entry.kind in ("name", "capital", "place") and entry.code not in data.actor_codes \
                and entry.language is None:
            codes.setdefault(phrase_key(entry.surface), entry.code)
    return codes

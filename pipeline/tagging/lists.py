"""Lists of countries in one sentence ("France, Russia and North Korea"): their pairs are marked `listed` and get no
cue between them. What joins a list's items is each language's words (seeds/languages/lists.toml), made patterns
once per language. A language's comma is data too: Chinese and Japanese "、", Arabic "،", Arabic "و" (and) written onto
each item."""
from __future__ import annotations

import re
from typing import Final

from .lexicon import ListWords
from .model import Mention

_WORD_CHARACTER: Final = re.compile(r"\w")
_NEVER: Final = "(?!)"  # the pattern of an empty alternation: matches nothing


class ListRule:
    """One language's list words as patterns. A plain class: compiled, a native one (see model.py)."""

    def __init__(self, words: ListWords) -> None:
        self.commas: Final = words.commas  # a list has one of them among its gaps
        # no word boundary between Chinese or Japanese words: "俄罗斯等国" ends a list
        whole = not words.unspaced
        # The gap between two items: commas and joints (after an abbreviation's full stop: "the U.K., France and
        # Germany"), then perhaps an article ("Ireland, the Netherlands"; "la France, l'Allemagne").
        self.joint: Final = re.compile(rf"\.?(?:\s*(?:{_alternation((*words.commas, *words.joints), whole)})\s*)+"
                                       f"{_article(words.articles, whole)}", re.IGNORECASE)
        # A longer gap is no joint: not worth slicing and matching ("., and the  " in English).
        self.longest_joint: Final = (len(".") + max(map(len, words.commas)) + len(" ")
                                     + max(map(len, words.joints), default=0) + len(" ")
                                     + max(map(len, words.articles), default=0) + len("  "))
        # A list of two that stands for more: "Mexico, Chile and other countries"; "Rusia, China, otros países".
        # Compiled when first asked (`others_follow`): a language's phrases take a millisecond or two to compile,
        # as long as tagging a few hundred feed entries, and most articles in a language have no list of two.
        self._others_pattern: Final = _others(words.others, words.commas, whole)
        self._others: re.Pattern[str] | None = None

    def others_follow(self, text: str, end: int) -> bool:
        """Whether one of the "and others" phrases follows a list's last item, which ends at `end`."""
        if self._others is None:
            self._others = re.compile(self._others_pattern, re.IGNORECASE)
        return self._others.match(text, end) is not None


def country_lists(text: str, mentions: list[Mention], rule: ListRule) -> list[set[str]]:
    """The codes of each list of countries among `mentions` (one sentence's, in text order): mentions joined
    only by commas and the joints of `rule`, with a comma among them, and naming three countries or more, or two
    followed by one of its "and others" phrases. A list of two without one is read as a pair that acts together or
    against each other ("Trump, Sheinbaum spar"; "Russia and Ukraine keep fighting")."""
    lists: list[set[str]] = []
    if len(mentions) < 2 or not _has_comma(text, mentions[0].end, mentions[-1].start, rule.commas):
        return lists  # no list without a comma between its items
    items: set[str] = set()
    comma = False
    previous: Mention | None = None
    for mention in mentions:
        near = previous is not None and mention.start - previous.end <= rule.longest_joint
        joint = text[previous.end:mention.start] if previous is not None and near else ""
        if joint and rule.joint.fullmatch(joint):
            items.add(mention.iso3)
            comma = comma or _has_comma(joint, 0, len(joint), rule.commas)
        else:
            if previous is not None and _is_list(text, previous.end, items, comma, rule):
                lists.append(items)
            items, comma = {mention.iso3}, False
        previous = mention
    if previous is not None and _is_list(text, previous.end, items, comma, rule):
        lists.append(items)
    return lists


def _has_comma(text: str, start: int, end: int, commas: tuple[str, ...]) -> bool:
    """Whether text[start:end] holds one of `commas` (searched in place: a sentence without two mentions and a comma
    between them, nearly every one, costs a search per comma of its language, one in most)."""
    for comma in commas:
        if text.find(comma, start, end) >= 0:
            return True
    return False


def _is_list(text: str, end: int, items: set[str], comma: bool, rule: ListRule) -> bool:
    return comma and (len(items) >= 3 or (len(items) == 2 and rule.others_follow(text, end)))


def _as_written(phrase: str, whole: bool) -> str:
    """`phrase` as a pattern: its words whole when `whole` (a word character at either end may not go on into a word:
    "y" is no joint inside "you"), any spaces between them, an apostrophe typed either way ("d'autres", "d’autres")."""
    body = r"\s+".join(re.escape(word).replace("'", "['’]") for word in phrase.split())
    starts = r"\b" if whole and _WORD_CHARACTER.match(phrase[0]) else ""
    ends = r"\b" if whole and _WORD_CHARACTER.match(phrase[-1]) else ""
    return starts + body + ends


def _alternation(phrases: tuple[str, ...] | list[str], whole: bool) -> str:
    return "|".join([_as_written(phrase, whole) for phrase in phrases]) if phrases else _NEVER


def _article(articles: tuple[str, ...], whole: bool) -> str:
    """An optional article before an item: a space after it, or none after one that ends in an apostrophe."""
    spaced = [article for article in articles if not article.endswith("'")]
    elided = [article for article in articles if article.endswith("'")]
    options = ([rf"(?:{_alternation(spaced, whole)})\s+"] if spaced else []) \
        + ([_alternation(elided, whole)] if elided else [])
    return f"(?:{'|'.join(options)})?" if options else ""


def _others(phrases: tuple[str, ...], commas: tuple[str, ...], whole: bool) -> str:
    """The pattern of the "and others" phrases, read right after a list's last item: a comma before each allowed,
    required before those written with one."""
    after_comma = [phrase[1:] for phrase in phrases if phrase.startswith(",")]
    anywhere = [phrase for phrase in phrases if not phrase.startswith(",")]
    comma = _alternation(commas, whole)
    return (rf"\.?(?:(?:{comma})?\s*(?:{_alternation(anywhere, whole)})"
            rf"|\s*(?:{comma})\s*(?:{_alternation(after_comma, whole)}))")

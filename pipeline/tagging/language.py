"""The language of a text that declares none: its function words, or the script it is written in.

Read on folded text (text.fold): lower-case words between spaces, and plain ASCII when the text holds no letter
beyond ASCII (English stories, curly quotes and all; Italian or Spanish headlines without an accent). A plain-ASCII
text holding one of a few English words is English at once, which is how English stories skip the guess.
"""
from __future__ import annotations

import re
from typing import Final

from .lexicon import LanguageGuide
from .text import is_ascii

ENGLISH: Final = "en"


class LanguageGuesser:
    def __init__(self, guide: LanguageGuide):
        self._languages = tuple(guide.function_words)
        self._english = self._languages.index(ENGLISH)
        words: dict[str, list[int]] = {}
        for index, language in enumerate(self._languages):
            for word in guide.function_words[language]:
                words.setdefault(word, []).append(index)
        self._words = {word: tuple(indexes) for word, indexes in words.items()}
        self._word_set = frozenset(self._words)
        self._scripts = tuple((rule, re.compile(f"[{rule.letters}]"), _letters(rule.also_letters),
                               _letters(rule.none_of)) for rule in guide.scripts)
        # most samples that reach the scripts (a short Latin or Cyrillic headline) hold none of their letters
        self._any_script = re.compile("[" + "".join(rule.letters for rule in guide.scripts) + "]") \
            if guide.scripts else None
        self._markers = tuple(f" {word} " for word in guide.english_markers)
        self._guide = guide

    def guess(self, folded_title: str, folded_text: str) -> str | None:
        """The language read in a title and text (both folded), or None: English, the reading of an undeclared
        text that shows no other. Only a language other than English is ever returned."""
        guide = self._guide
        chars = guide.sample_chars  # a title or text of any length costs one sample
        text_chars = max(chars - len(folded_title), 0)
        plain = is_ascii(folded_title) and is_ascii(folded_text)
        if plain and (self._has_marker(folded_text, text_chars) or self._has_marker(folded_title, chars)):
            return None  # nearly every English story, before any copy of its text is made
        sample = folded_title[:chars] + folded_text[:text_chars]
        if plain:
            return self._plain(sample)
        counts = self._function_word_counts(self._sample_words(sample))
        if sum(counts) >= guide.min_words:
            language = self._by_function_words(counts)
            # English leading, the text stays English; words that did not decide leave it to the script: "з" and
            # "у" of a Ukrainian headline count for Russian too
            if language is not None or counts[self._english] == max(counts):
                return language
        return self._by_script(sample)

    def _has_marker(self, folded: str, chars: int) -> bool:
        """Whether folded[:chars] holds an English marker (searched in place: no slice is copied)."""
        for marker in self._markers:
            if folded.find(marker, 0, chars) >= 0:
                return True
        return False

    def _plain(self, sample: str) -> str | None:
        """A plain-ASCII sample without an English marker: read by its function words, each counted once (a price
        table's "per" and "no", again and again, are no Italian or Portuguese). No script decides: the scripts have
        letters beyond ASCII."""
        # frozenset.intersection looks each word up in C: a comprehension's loop compiled costs more a word
        counts = self._function_word_counts(list(self._word_set.intersection(self._sample_words(sample))))
        return self._by_function_words(counts) if sum(counts) >= self._guide.min_words else None

    def _sample_words(self, sample: str) -> list[str]:
        """The sample's first `sample_words` words."""
        limit = self._guide.sample_words
        return sample.split(None, limit)[:limit]

    def _function_word_counts(self, words: list[str]) -> list[int]:
        counts = [0] * len(self._languages)
        for word in words:
            for index in self._words.get(word, ()):
                counts[index] += 1
        return counts

    def _by_function_words(self, counts: list[int]) -> str | None:
        most = max(counts)
        best = counts.index(most)
        guide = self._guide
        if best == self._english or most < guide.min_words or counts.count(most) > 1 \
                or most < guide.english_ratio * counts[self._english]:
            return None
        return self._languages[best]

    def _by_script(self, sample: str) -> str | None:
        if self._any_script is None or not self._any_script.search(sample):
            return None
        characters = len(sample) - sample.count(" ")
        if not characters:
            return None
        for rule, letters, also, excluded in self._scripts:
            if len(letters.findall(sample)) >= rule.share * characters and (
                    also is None or len(also.findall(sample)) >= rule.also_share * characters) and (
                    excluded is None or not excluded.search(sample)):
                return rule.language
        return None


def _letters(letters: str) -> re.Pattern | None:
    """A character class of `letters`, or None for none."""
    return re.compile(f"[{letters}]") if letters else None

"""The language of a text that declares none: its function words, or the script it is written in.

Read on folded text (text.fold): lower-case words between spaces, and plain ASCII when the text holds no letter
beyond ASCII, which is how English stories (curly quotes and all) skip the whole guess at no cost.
"""
from __future__ import annotations

import re

from .lexicon import LanguageGuide

ENGLISH = "en"


class LanguageGuesser:
    def __init__(self, guide: LanguageGuide):
        self._languages = tuple(guide.function_words)
        self._english = self._languages.index(ENGLISH)
        words: dict[str, list[int]] = {}
        for index, language in enumerate(self._languages):
            for word in guide.function_words[language]:
                words.setdefault(word, []).append(index)
        self._words = {word: tuple(indexes) for word, indexes in words.items()}
        self._scripts = tuple((language, re.compile(f"[{letters}]"), share) for language, letters, share in guide.scripts)
        # most samples that reach the scripts (a short Latin or Cyrillic headline) hold none of their letters
        self._any_script = re.compile("[" + "".join(letters for _, letters, _ in guide.scripts) + "]") \
            if guide.scripts else None
        self._guide = guide

    def guess(self, folded_title: str, folded_text: str) -> str | None:
        """The language read in a title and text (both folded), or None: English, as an undeclared text always
        was. Only a language other than English is ever returned."""
        if folded_title.isascii() and folded_text.isascii():
            return None
        guide = self._guide
        chars = guide.sample_chars  # a title or text of any length costs one sample
        sample = folded_title[:chars] + folded_text[:max(chars - len(folded_title), 0)]
        counts = self._function_word_counts(sample.split(None, guide.sample_words)[:guide.sample_words])
        if sum(counts) >= guide.min_words:
            language = self._by_function_words(counts)
            # English leading, the text stays English; words that did not decide leave it to the script: "з" and
            # "у" of a Ukrainian headline count for Russian too
            if language is not None or counts[self._english] == max(counts):
                return language
        return self._by_script(sample)

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
        for language, letters, share in self._scripts:
            if characters and len(letters.findall(sample)) >= share * characters:
                return language
        return None

"""HTML/markup -> plain text (titles and summaries are untrusted markup)."""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

# Elements whose content is never readable text.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "math", "head"})
# Elements that separate words: without a space "<p>a</p><p>b</p>" would read "ab".
_BREAKING = frozenset({
    "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd", "dt", "pre",
})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff]")
# Bidi embeddings, overrides and isolates reorder what a reader sees ("\u202egpj.exe" shows as "exe.jpg"):
# feed text never needs them, so they go, where a plain direction mark (U+200E, U+200F) stays.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"\s+")


def plain_text(markup: str | None, max_chars: int) -> str:
    """Tags stripped (script/style content dropped), entities decoded, whitespace collapsed."""
    if not markup:
        return ""
    markup = markup[: max_chars * 4]  # bound the parsing work; markup is rarely 4x its text
    if "<" in markup:
        text = _strip_tags(markup)
    else:
        text = unescape(markup)
    text = _WHITESPACE.sub(" ", _CONTROL.sub(" ", BIDI_CONTROLS.sub("", text))).strip()
    return text[:max_chars].rstrip()


def _strip_tags(markup: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return "".join(extractor.parts)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag in _BREAKING:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BREAKING:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)

"""HTML/markup -> plain text (titles and summaries are untrusted markup)."""
from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser
from typing import NamedTuple

import ftfy

from pipeline.controls import one_line

# Elements whose content is never readable text.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "math", "head"})
# Elements that part paragraphs (and words: "<p>a</p><p>b</p>" is no "ab"). A line break too: feeds list headlines
# one per line, "Russia sends troops<br>China warns Taiwan".
_BREAKING = frozenset({
    "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd", "dt", "pre",
})
# Text is markup only when it holds a tag of HTML's own (an element named here, its attributes written name=value
# or one of the boolean ones) or a comment. Plain text keeps what it writes between "<" and ">": Reuters names
# companies "<Sedio N.V.>", and "if a<b then Brazil" is no bold text; HTMLParser would drop both, and a country
# named inside with them. A one-letter element opened without attributes counts only closed somewhere: "<S>",
# "<A>" are tickers too.
_ELEMENTS = _SKIPPED | _BREAKING | frozenset({
    "a", "abbr", "address", "area", "aside", "audio", "b", "base", "bdi", "bdo", "big", "body", "button", "canvas",
    "caption", "center", "cite", "code", "col", "colgroup", "data", "del", "details", "dfn", "dialog", "dl", "em",
    "embed", "fieldset", "font", "form", "html", "i", "img", "input", "ins", "kbd", "label", "legend", "link", "main",
    "mark", "meta", "nav", "picture", "q", "s", "samp", "select", "small", "source", "span", "strike", "strong", "sub",
    "summary", "sup", "tbody", "textarea", "tfoot", "thead", "time", "title", "tt", "u", "var", "video", "wbr",
})
_BOOLEAN_ATTRIBUTES = "|".join(("allowfullscreen", "async", "autoplay", "checked", "controls", "defer", "disabled",
                                 "hidden", "itemscope", "loop", "multiple", "muted", "nowrap", "open", "readonly",
                                 "required", "selected"))
_NAMES = "|".join(sorted(_ELEMENTS, key=len, reverse=True))
_ATTRIBUTE = (r"""[A-Za-z_:][-\w:.]*\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
              rf"|(?:{_BOOLEAN_ATTRIBUTES})(?![-\w])")
_HTML_TAG = re.compile(rf"<(?:(?P<opened>{_NAMES})(?P<attributes>(?:\s+(?:{_ATTRIBUTE}))*)\s*/?>"
                       rf"|/(?:{_NAMES})\s*>|!--)", re.IGNORECASE)
# A zero-width space, or a byte order mark inside the text, parts words unseen: as a space "a\u200bb" stays two
# words. (Control characters are pipeline.controls' to define.)
_INVISIBLE_BREAKS = re.compile("[\u200b\ufeff]")
# UTF-8 read as windows-1252 or Latin-1 somewhere upstream ("Ã–sterreich", "Indiaâ€™s", Cyrillic as "ÐœÐ¾Ñ\x81ÐºÐ²Ð°")
# shows a lead byte (Â to ô) before a continuation byte (0x80-0xBF as either encoding shows it). Text without such a
# pair, nearly all text, skips ftfy's slower check. The repair must come before control characters become spaces:
# Latin-1 shows some continuation bytes as C1 controls.
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
                            "\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
                            "\u20ac\u2122]")


# How stored text parts paragraphs: a blank line, which the tagger's sentence splitter reads as a paragraph's end, so
# that no sentence (no pair's evidence) runs from one paragraph, list item or heading into the next.
PARAGRAPH_BREAK = "\n\n"
# Where plain text parts paragraphs: where the tagger's sentence splitter reads one in text given as it is
# (tagging.text.sentence_spans), so that `import` then `retag` reads an archive's sentences as `tag` does: a blank line,
# a line break before an indent of two spaces or tabs (a wire story's paragraphs), a form feed or U+2029, the paragraph
# separator; other line breaks wrap one paragraph. HTML's paragraphs are its block elements alone (_TextExtractor): its
# blank lines are layout, as a browser shows them.
_LINE_BREAK = "(?:\r\n?+|\n\r?+|[\v\x85\u2028])"  # "\r\n" and "\n\r" one break each, as the splitter reads them
_PLAIN_PARAGRAPH_ENDS = re.compile(f"{_LINE_BREAK}(?:[ \t]*{_LINE_BREAK}|[ \t]{{2,}})|[\f\u2029]")


def plain_text(markup: str | None, max_chars: int) -> str:
    """HTML's tags stripped (script/style content dropped) when it holds any (else plain text, kept as written),
    entities decoded, mojibake undone, each paragraph on one line (`_joined`)."""
    return _joined(_plain(markup, max_chars, _is_html), max_chars)


def plain_title(markup: str | None, max_chars: int) -> str:
    """A title or name read as plain_text reads text, on one line."""
    return _one_line(_plain(markup, max_chars, _is_html), max_chars)


def stored_text(text: str | None, max_chars: int) -> str:
    """Text PactWatch stored (plain_text's output) read back as it is: plain_text again would read its words about
    markup as tags and decode its "&amp;" as an entity. Cut and parted into paragraphs as stored text is, whatever the
    file says."""
    return _joined(_PLAIN_PARAGRAPH_ENDS.split(text or ""), max_chars)


def stored_title(title: str | None, max_chars: int) -> str:
    """A title PactWatch stored, read back as it is (stored_text's reason): cut and on one line."""
    return one_line_text(title or "")[:max_chars].rstrip()


def plain_text_stripping_every_tag(markup: str | None, max_chars: int) -> str:
    """`markup` read as every version before migration 0055 read all text: anything between "<" and ">" a tag, so
    that a record they stored ("STANDARD OIL TO FORM FINANCIAL UNIT" of "STANDARD OIL <SRD> TO …") is known again.
    On one line, as they stored it."""
    return _one_line(_plain(markup, max_chars, lambda text: "<" in text), max_chars)


class Reading(NamedTuple):
    """How a source's titles and texts are read: as feeds write them (FEED), or as PactWatch stored them (STORED)."""
    title: Callable[[str | None, int], str]
    text: Callable[[str | None, int], str]


FEED = Reading(plain_title, plain_text)
STORED = Reading(stored_title, stored_text)


def _plain(markup: str | None, max_chars: int, is_markup: Callable[[str], bool]) -> list[str]:
    """The paragraphs of `markup` as written, markup stripped when `is_markup` says it is."""
    if not markup:
        return []
    markup = markup[: max_chars * 4]  # bound the parsing work; markup is rarely 4x its text
    if is_markup(markup):
        return _repaired(_strip_tags(markup))
    text = unescape(markup)
    return _PLAIN_PARAGRAPH_ENDS.split(ftfy.fix_encoding(text) if _MOJIBAKE_HINT.search(text) else text)


def _repaired(paragraphs: list[str]) -> list[str]:
    """HTML's `paragraphs` with mojibake undone as versions before migration 0071 undid it, over the text with a space
    at each paragraph's edge (content_hash relies on it): each paragraph repaired alone, or, when that reads otherwise
    (ftfy reads a garbled character at an edge with the space after it: "peaceâ€</p>"), the text as one paragraph."""
    spaced = " ".join(paragraphs)
    if not _MOJIBAKE_HINT.search(spaced):
        return paragraphs
    repaired, whole = [ftfy.fix_encoding(paragraph) for paragraph in paragraphs], ftfy.fix_encoding(spaced)
    return repaired if " ".join(repaired) == whole else [whole]


def _one_line(paragraphs: list[str], max_chars: int) -> str:
    return one_line_text(" ".join(paragraphs))[:max_chars].rstrip()


def _joined(paragraphs: list[str], max_chars: int) -> str:
    """`paragraphs`, each on one line (one_line_text), parted by PARAGRAPH_BREAK, empty ones dropped; cut where the
    one-line form, a space for each break, reaches `max_chars`. So that form is what every version before migration
    0071 stored, which kept no paragraphs: content_hash reads it, and an article they stored is no other version of
    itself when a feed gives it again."""
    kept: list[str] = []
    room = max_chars
    for paragraph in paragraphs:
        line = one_line_text(paragraph)[:room - bool(kept)].rstrip()
        if line:
            kept.append(line)
            room -= len(line) + (len(kept) > 1)
            if room <= 1:  # no room for a break and a letter
                break
    return PARAGRAPH_BREAK.join(kept)


def _is_html(text: str) -> bool:
    return any(len(tag["opened"] or "--") > 1 or tag["attributes"] for tag in _HTML_TAG.finditer(text))


def one_line_text(text: str) -> str:
    """`text` on one line with no control character (controls.one_line), zero-width spaces as spaces. For feed
    text, and for what a server said (a reason phrase, a Location header) in an error that logs and `pactwatch feeds
    list` print."""
    return one_line(_INVISIBLE_BREAKS.sub(" ", text))


def _strip_tags(markup: str) -> list[str]:
    """The text of each paragraph of `markup` (a block element's edge parts two)."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return ["".join(parts) for parts in extractor.paragraphs]


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[]]
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag in _BREAKING:
            self.paragraphs.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BREAKING:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.paragraphs[-1].append(data)

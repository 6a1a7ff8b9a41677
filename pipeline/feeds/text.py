"""HTML/markup -> plain text (titles and summaries are untrusted markup)."""
from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser

import ftfy

from pipeline.controls import one_line

# Elements whose content is never readable text.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "math", "head"})
# Elements that separate words: without a space "<p>a</p><p>b</p>" would read "ab".
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


def plain_text(markup: str | None, max_chars: int) -> str:
    """HTML's tags stripped (script/style content dropped) when it holds any (else plain text, kept as written),
    entities decoded, mojibake undone, whitespace collapsed."""
    return _plain(markup, max_chars, _is_html)


def stored_text(text: str | None, max_chars: int) -> str:
    """Text PactWatch stored (plain_text's output) read back as it is: plain_text again would read its words about
    markup as tags and decode its "&amp;" as an entity. Cut and on one line as stored text is, whatever the file says."""
    return one_line_text(text or "")[:max_chars].rstrip()


def plain_text_stripping_every_tag(markup: str | None, max_chars: int) -> str:
    """`markup` read as every version before migration 0055 read all text: anything between "<" and ">" a tag, so
    that a record they stored ("STANDARD OIL TO FORM FINANCIAL UNIT" of "STANDARD OIL <SRD> TO …") is known again."""
    return _plain(markup, max_chars, lambda text: "<" in text)


def _plain(markup: str | None, max_chars: int, is_markup: Callable[[str], bool]) -> str:
    if not markup:
        return ""
    markup = markup[: max_chars * 4]  # bound the parsing work; markup is rarely 4x its text
    if is_markup(markup):
        text = _strip_tags(markup)
    else:
        text = unescape(markup)
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_encoding(text)
    return one_line_text(text)[:max_chars].rstrip()


def _is_html(text: str) -> bool:
    return any(len(tag["opened"] or "--") > 1 or tag["attributes"] for tag in _HTML_TAG.finditer(text))


def one_line_text(text: str) -> str:
    """`text` on one line with no control character (controls.one_line), zero-width spaces as spaces. For feed
    text, and for what a server said (a reason phrase, a Location header) in an error that logs and `pactwatch feeds
    list` print."""
    return one_line(_INVISIBLE_BREAKS.sub(" ", text))


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

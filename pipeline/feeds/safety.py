"""Refuse hostile XML before feedparser sees it.

feedparser blocks billion-laughs and external entities, but it keeps any entity whose value has no
`&` and its loose parser expands it: one 127 KB "quadratic blowup" document costs 3.1 GB and 31 s.
A news feed never needs a DTD internal subset or an entity declaration, so any document that has
one in its prolog (where both feedparser and expat honour them) is rejected outright.
"""
from __future__ import annotations

import re

PROLOG_SCAN_BYTES = 1 << 20  # a legitimate prolog is a few hundred bytes

_EBCDIC_XML_DECL = b"\x4c\x6f\xa7\x94"  # "<?xm" in cp037
_DOCTYPE_END = re.compile(r"""<!DOCTYPE(?:[^>\['"]|"[^"]*"|'[^']*')*([>\[])""", re.IGNORECASE)
_ENTITY_DECL = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_NAME_START = re.compile(r"[A-Za-z_:\u0080-\U0010ffff]")


def rejection_reason(body: bytes) -> str | None:
    """Why `body` must not be parsed, or None when its prolog is harmless."""
    text = _prolog_text(body)
    root_at, reason = _find_root(text)
    if reason:
        return reason
    if root_at is None and len(body) > PROLOG_SCAN_BYTES:  # a root whose "<" and name straddle the limit is past it
        return f"no root element in the first {PROLOG_SCAN_BYTES} bytes"
    # Checked over the whole prolog, comments included: feedparser's own DOCTYPE rewriting is
    # regex-based and would pick up a declaration hidden in a comment.
    if _ENTITY_DECL.search(text, 0, len(text) if root_at is None else root_at):
        return "ENTITY declaration in the XML prolog"
    return None


def _prolog_text(body: bytes) -> str:
    """The scanned prefix as text in which ASCII markup is recognisable, whatever the encoding.

    Dropping NUL bytes turns UTF-16/UTF-32 (with or without a BOM) into its ASCII skeleton, and
    latin-1 maps every other byte 1:1, so `<!DOCTYPE` and `<!ENTITY` are found in UTF-8, any
    single-byte charset and the UTF-16/32 families alike. Non-ASCII text becomes noise, which is
    harmless here: we only look for ASCII markup.
    """
    prefix = body[:PROLOG_SCAN_BYTES]
    if prefix.startswith(_EBCDIC_XML_DECL):
        return prefix.decode("cp037", errors="replace")
    return prefix.replace(b"\x00", b"").decode("latin-1")


def _find_root(text: str) -> tuple[int | None, str | None]:
    """(offset of the root element or None if not in `text`, rejection reason or None)."""
    pos = 0
    while (lt := text.find("<", pos)) >= 0:
        if text.startswith("<?", lt):
            pos = _skip_past(text, lt, "<?", "?>")
        elif text.startswith("<!--", lt):
            pos = _skip_past(text, lt, "<!--", "-->")
        elif text[lt + 2:lt + 9].upper() == "DOCTYPE" and text[lt + 1] == "!":
            match = _DOCTYPE_END.match(text, lt)
            if match is None:
                return None, "unterminated DOCTYPE declaration"
            if match.group(1) == "[":
                return None, "DOCTYPE with an internal subset"
            pos = match.end()
        elif _NAME_START.match(text, lt + 1):
            return lt, None
        else:
            pos = lt + 1  # stray "<" or another declaration: keep scanning
        if pos < 0:
            return None, "unterminated comment or processing instruction in the XML prolog"
    return None, None


def _skip_past(text: str, start: int, opener: str, terminator: str) -> int:
    """Offset just past `terminator`, or -1. Searched from the end of `opener`: "<!-->" opens a comment, and read as
    one closed it let the markup inside pass for the root element and a DOCTYPE after it go unchecked."""
    end = text.find(terminator, start + len(opener))
    return -1 if end < 0 else end + len(terminator)


_CHAR_REF = re.compile(rb"&#([xX][0-9A-Fa-f]+|[0-9]+);")
_REPLACEMENT_REF = b"&#xFFFD;"


def repair_char_refs(body: bytes) -> bytes:
    """Numeric character references feedparser cannot decode, made decodable. An emoji written as its UTF-16
    surrogate pair ("&#55357;&#56832;", a common CMS bug) becomes the one character it means; a lone surrogate
    or a code point past U+10FFFF becomes U+FFFD. Left as they are, one such reference would fail the whole feed."""
    if b"&#" not in body:
        return body
    matches = list(_CHAR_REF.finditer(body))
    pieces, position, index = [], 0, 0
    while index < len(matches):
        match, code = matches[index], _ref_code(matches[index])
        index += 1
        if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            continue
        pieces.append(body[position:match.start()])
        following = matches[index] if index < len(matches) else None
        low = _ref_code(following) if following and following.start() == match.end() else None
        if code <= 0xDBFF and low is not None and 0xDC00 <= low <= 0xDFFF:
            pieces.append(b"&#x%X;" % (0x10000 + ((code - 0xD800) << 10) + low - 0xDC00))
            position, index = following.end(), index + 1
        else:
            pieces.append(_REPLACEMENT_REF)
            position = match.end()
    return b"".join(pieces + [body[position:]]) if pieces else body


def _ref_code(match: re.Match) -> int:
    digits = match.group(1)
    hexadecimal = digits[:1] in b"xX"
    digits = (digits[1:] if hexadecimal else digits).lstrip(b"0")  # leading zeros are no part of the value
    return int(digits or b"0", 16 if hexadecimal else 10) if len(digits) <= 12 else 0x110000  # longer: out of range

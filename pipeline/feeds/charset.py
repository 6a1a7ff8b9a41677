"""Which bytes are UTF-8 whatever their document declares (feeds and OPML feed lists alike)."""
from __future__ import annotations


def is_utf8_beyond_ascii(body: bytes) -> bool:
    """Whether `body` is valid UTF-8 holding more than ASCII: such a document is UTF-8, whatever charset it declares.

    Publishers and feed readers declare a single-byte charset (windows-1251, windows-1252, ISO-8859-1, KOI8-R) over
    UTF-8, and a single-byte codec decodes almost any bytes, so nothing fails: "Москва" is stored as "РњРѕСЃРєРІР°",
    "é" as "Ã©". The opposite mistake does not happen in practice. UTF-8 allows a byte from 0x80 up only as a lead
    byte (0xC2-0xF4) followed by one to three continuation bytes (0x80-0xBF), while legacy text puts its letters side
    by side: Cyrillic letters are 0xC0-0xFF in windows-1251 and KOI8-R (all but ё and a few Ukrainian and Serbian
    ones), so any two letters in a row break the pattern; an accented Latin letter (0xC0-0xFF in windows-1252 and
    ISO-8859-1) before a space or an ASCII letter breaks it too, and 0xF5-0xFF never occurs in UTF-8. A whole
    document of real legacy text is therefore practically never valid UTF-8, while the same text in UTF-8 always is.
    Plain ASCII is left to its declaration (it reads the same in every ASCII-compatible charset), and so is a body
    holding NUL: UTF-16 and UTF-32 can be valid UTF-8 (NUL beside ASCII)."""
    if body.isascii() or b"\x00" in body:
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True

"""Text normalisation for phrase matching, and sentence splitting.

Matching runs on a *folded* copy of each field: lower-cased, every punctuation character replaced by
a space, padded with one space on each side. Folding is 1:1 in length, so offsets in the folded text
are offsets in the original (shifted by the pad), and word boundaries become plain spaces that the
phrase keys carry themselves (" u s " matches "U.S." and "US" but never "bus"). A line break of two
characters (Windows' "\r\n", or "\n\r") would fold to two spaces, which no key of a name wrapped over it
("New\r\nYork") holds, and so would other text a reader sees as one gap or one letter: such a text is read as typed
(`squeezed`), and offsets in that are moved back (`start_before_squeeze`, `end_before_squeeze`).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from typing import Final

# Every ASCII character that is not a letter, digit or space is a word boundary (punctuation, "_" and
# control characters). One bytes.translate pass over a 256-byte table lower-cases and blanks them at
# once: ~4x str.lower + str.translate.
_ASCII_BOUNDARIES: Final = bytes([code for code in range(128) if not (chr(code).isalnum() or code == 32)])
_ASCII_FOLD_TABLE: Final = bytes.maketrans(_ASCII_BOUNDARIES + b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                           b" " * len(_ASCII_BOUNDARIES) + b"abcdefghijklmnopqrstuvwxyz")
# Outside ASCII, str.translate is slow (per-character dict lookups), and so is a regex substitution
# at every punctuation mark. A field whose only non-ASCII characters are symbols (’ “ — €) never reaches
# either (fold's fast path). For the rest, the table above also folds the ASCII characters of UTF-8 bytes (a
# multi-byte sequence holds no ASCII byte), which leaves the regex only the non-ASCII symbols to blank.
_NON_ASCII_NON_WORD: Final = re.compile(r"[^\x00-\x7f\w]")
# A letter to Unicode, but written as the apostrophe ("Russiaʼs", "Côte dʼIvoire"; Ukrainian uses it so). Blanked by
# str.replace: as a second branch of the pattern it made the regex try both at every character (2.4x the time).
_MODIFIER_APOSTROPHE: Final = "\u02bc"


# str.isascii, its descriptor called: compiled, `text.isascii()` is looked up on the type at each call, a method call
# (~210 instructions; mypyc has no native one), where the descriptor is called at once. It reads a flag: no scan.
_IS_ASCII: Final = str.isascii


def is_ascii(text: str) -> bool:
    """text.isascii(), for the compiled tagger: fields are asked several times each."""
    return _IS_ASCII(text)


def fold(text: str) -> str:
    """Lower-case and blank punctuation, keeping the length (and so every offset) unchanged."""
    if is_ascii(text):
        return text.encode("ascii").translate(_ASCII_FOLD_TABLE).decode("ascii")
    # English with curly quotes and dashes: each non-ASCII character becomes "?", which the table blanks like any
    # punctuation (0.9 µs for a captured feed entry's field; str.lower and the regex take 2.2).
    replaced = text.encode("ascii", "replace")
    if _symbols_only_beyond_ascii(text, replaced):
        return replaced.translate(_ASCII_FOLD_TABLE).decode("ascii")
    lowered = text.lower()
    if len(lowered) != len(text):  # only "İ" (Turkish) lower-cases to two code points: "i" and a combining dot
        lowered = text.replace("İ", "i").lower()
    utf8 = lowered.encode("utf-8", "surrogatepass")  # a lone surrogate is text too: keep its offset
    ascii_folded = utf8.translate(_ASCII_FOLD_TABLE).decode("utf-8", "surrogatepass")
    if _MODIFIER_APOSTROPHE in ascii_folded:
        ascii_folded = ascii_folded.replace(_MODIFIER_APOSTROPHE, " ")
    return _NON_ASCII_NON_WORD.sub(" ", ascii_folded)


def _symbols_only_beyond_ascii(text: str, replaced: bytes) -> bool:
    """Whether no non-ASCII character of `text` is a letter or a digit. `replaced`: `text` encoded as ASCII with "?"
    for each of those (one byte per character): they are few, and looked at where a "?" stands."""
    marked = replaced.decode("ascii")  # str.find is a native call compiled, bytes.find a method call
    at = marked.find("?")
    while at >= 0:
        if text[at].isalnum():
            return False
        at = marked.find("?", at + 1)
    return True


def padded_fold(text: str) -> str:
    return f" {fold(text)} "  # one copy: " " + folded + " " made two


# A line break of two characters is one break: Windows' "\r\n", and "\n\r" (the RISC OS order, and what a
# converter leaves of "\r\n" lines). Read from the left, so "\r\n\r\n" is two breaks, never "\r", "\n\r", "\n".
TWO_CHAR_BREAKS: Final = ("\r\n", "\n\r")
_TWO_CHAR_BREAK: Final = re.compile("|".join(TWO_CHAR_BREAKS))
# A line break of one character: "\n", the old Mac "\r", the vertical tab (a line break inside a paragraph in word
# processors' text), NEL and the Unicode line separator; as with "\n", a blank line of them ends a paragraph.
LINE_BREAKS: Final = "\n\r\v\x85\u2028"
# A paragraph break of one character: the form feed (a page break) and the Unicode paragraph separator.
PARAGRAPH_BREAKS: Final = "\f\u2029"


# What a reader sees as one word gap or one letter but folding would not (`squeezed`):
# * a line break of two characters, as one ("New\r\nYork");
# * a gap of two or three characters holding at most one line break: a typist's double space, a no-break or zero-width
#   space beside a space, a space before a line break ("North  Korea", "North \nKorea"), as one; a longer gap is
#   layout (a table's columns, a wire story's "\n    " before a paragraph), which parts names as it did;
# * a soft hyphen, which shows nothing where no line ends ("Rus\u00adsia"), as nothing;
# * a letter written as its base and combining marks (Unicode's decomposed form, as some systems store text:
#   "Curac\u0327ao"), as the letter they compose (NFC), marks that compose none dropped (the stress of "Росси\u0301я";
#   a letter NFC would spell in several characters, such as U+FB2C, stays as written).
_ASCII_GAP: Final = " \t\n\r\v"
_GAP_BEYOND_ASCII: Final = "\x85\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200c))) + "\u2028\u202f\u205f\u2060\u3000\ufeff"
_COMBINING_MARK_CHARACTERS: Final = "".join(map(chr, range(0x0300, 0x0370)))
_GAP: Final = _ASCII_GAP + _GAP_BEYOND_ASCII
_SQUEEZABLE: Final = re.compile(f"[{_GAP}][{_GAP}]+|\u00ad|[{_COMBINING_MARK_CHARACTERS}]+")
# Where a gap of ASCII text may start: each run of two or more _ASCII_GAP characters holds one of these.
_GAP_SEEDS: Final = ("\n", "\r", "\t", "\v", "  ")
# Beyond ASCII, what a text needs besides ASCII gaps to be squeezed (a feed entry's text, its white space made single
# spaces by parsing, seldom holds any), as a character set and as the set's characters.
_SQUEEZABLE_CHARACTERS_BEYOND_ASCII: Final = frozenset(_GAP_BEYOND_ASCII + "\u00ad" + _COMBINING_MARK_CHARACTERS)
_SQUEEZABLE_BEYOND_ASCII: Final = re.compile(f"[{''.join(sorted(_SQUEEZABLE_CHARACTERS_BEYOND_ASCII))}]")
_COMBINING_MARKS: Final = re.compile(f"[{_COMBINING_MARK_CHARACTERS}]")
_MOST_IN_ONE_GAP: Final = 3


def may_squeeze(text: str) -> bool:
    """Whether `squeezed` may change `text`, cheaply: a few searches for one character or two (a single space between
    words is the rule), then one of a character set beyond ASCII. A line break matters beside a space only: alone it is
    no gap of two, and with other line breaks it is a blank line, which stays (stored text parts its paragraphs so)."""
    if "  " in text or "\t" in text or "\r" in text or "\v" in text:
        return True
    if "\n" in text and (" \n" in text or "\n " in text):
        return True
    return not is_ascii(text) and _squeezable_beyond_ascii(text)


def _squeezable_beyond_ascii(text: str) -> bool:
    """Whether `text` holds a character beyond ASCII that `squeezed` reads. English with curly quotes and dashes has a
    few characters beyond ASCII among hundreds: each is looked at where a "?" stands in an ASCII copy, a fifth of the
    cost of a search of the character set (~30 instructions a character); text in another script is searched."""
    marked = text.encode("ascii", "replace").decode("ascii")
    if marked.count("?") > len(text) >> 3:
        return _SQUEEZABLE_BEYOND_ASCII.search(text) is not None
    at = marked.find("?")
    while at >= 0:
        if text[at] in _SQUEEZABLE_CHARACTERS_BEYOND_ASCII:
            return True
        at = marked.find("?", at + 1)
    return False


def squeezed(text: str) -> tuple[str, list[int]]:
    """`text` read as typed (see above), and for each character it dropped, how many characters of the typed text stand
    before it, ascending: what `start_before_squeeze` and `end_before_squeeze` need to move an offset back."""
    parts: list[str] = []
    drops: list[int] = []
    kept = copied = 0
    for start, end in _ascii_gaps(text) if is_ascii(text) else [match.span() for match in _SQUEEZABLE.finditer(text)]:
        if end - start > _MOST_IN_ONE_GAP and text.find("\r", start, end) < 0:
            continue  # layout (most such gaps: a wire story's "\n    " before each paragraph)
        if start > copied and text[start - 1].isalpha() and "\u0300" <= text[start] <= "\u036f":
            start -= 1  # the letter the marks compose with
        found = text[start:end]
        typed = _as_typed(found)
        if typed == found:
            continue
        parts.append(text[copied:start])
        parts.append(typed)
        kept += start - copied + len(typed)
        drops.extend([kept] * (len(found) - len(typed)))
        copied = end
    if not drops:
        return text, drops
    parts.append(text[copied:])
    return "".join(parts), drops


def _ascii_gaps(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of two or more _ASCII_GAP characters in `text`, in order, grown from each of _GAP_SEEDS
    found by str.find: what a regex of the runs finds (a test holds the two alike), where the regex tried a match at
    every character (78 k instructions a Reuters story, whose every wrapped line is such a run)."""
    seeds: list[int] = []
    for needle in _GAP_SEEDS:
        at = text.find(needle)
        while at >= 0:
            seeds.append(at)
            at = text.find(needle, at + 1)
    seeds.sort()
    gaps: list[tuple[int, int]] = []
    end = 0
    for seed in seeds:
        if seed < end:
            continue  # inside the run found last
        start, end = seed, seed + 1
        while start > 0 and text[start - 1] in _ASCII_GAP:
            start -= 1
        while end < len(text) and text[end] in _ASCII_GAP:
            end += 1
        if end - start >= 2:
            gaps.append((start, end))
    return gaps


def _as_typed(found: str) -> str:
    """What a reader sees of `found` (a soft hyphen, a letter and its marks, or a gap), never longer than `found`."""
    if found == "\u00ad":
        return ""
    if "\u0300" <= found[-1] <= "\u036f":
        composed = unicodedata.normalize("NFC", found)
        if len(composed) == 1 and not _COMBINING_MARKS.match(composed):
            return composed
        return _COMBINING_MARKS.sub("", found)  # marks that compose no letter, on the letter as written
    gap = _TWO_CHAR_BREAK.sub("\n", found) if "\r" in found else found
    breaks = [at for at, char in enumerate(gap) if char in LINE_BREAKS]
    if len(gap) > _MOST_IN_ONE_GAP or len(breaks) > 1 or (breaks and _indent(gap[breaks[0] + 1:]) >= 2):
        return gap  # layout, a blank line, or a paragraph's indent (as sentence_spans reads "\n  "): breaks count once
    return gap[0]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def start_before_squeeze(text: str, drops: list[int], offset: int) -> int:
    """The offset in `text` of a word's start at `offset` in squeezed's text: past the characters dropped before it
    (a gap's, a soft hyphen, marks on no letter)."""
    moved = offset + bisect_left(drops, offset)
    while moved < len(text) and (parts_words(text[moved]) or text[moved] == "\u00ad"
                                 or "\u0300" <= text[moved] <= "\u036f"):
        moved += 1
    return moved


def end_before_squeeze(text: str, drops: list[int], offset: int) -> int:
    """The offset in `text` of a word's end at `offset` in squeezed's text: before the gap or soft hyphen dropped after
    it, after the marks of its last letter."""
    moved = offset + bisect_left(drops, offset)
    while moved < len(text) and "\u0300" <= text[moved] <= "\u036f":
        moved += 1
    return moved


# How stored feed text parts its paragraphs since migration 0071 (a blank line), where it held one space before. A rule
# that reads a position (a story's lead, the reach of its dateline) or a length counts it as that one space, so a text
# stored on one line and the same text stored in paragraphs read alike.
STORED_PARAGRAPH_BREAK: Final = "\n\n"


def one_line_offset(text: str, reach: int) -> int:
    """The offset in `text` that stands `reach` characters in once each STORED_PARAGRAPH_BREAK counts as one: each
    break starting before it moves it one further."""
    end = reach
    at = text.find(STORED_PARAGRAPH_BREAK, 0, end + 1)
    while at >= 0:
        end += 1
        at = text.find(STORED_PARAGRAPH_BREAK, at + 2, end + 1)
    return end


def one_line_length(text: str) -> int:
    """`text`'s length with each STORED_PARAGRAPH_BREAK counted as one character."""
    return len(text) - text.count(STORED_PARAGRAPH_BREAK)


def as_one_line(text: str) -> str:
    """`text` with each STORED_PARAGRAPH_BREAK as two spaces: read as one gap, at the same offsets."""
    return text.replace(STORED_PARAGRAPH_BREAK, "  ") if STORED_PARAGRAPH_BREAK in text else text


def has_paragraph_break(text: str) -> bool:
    # No test of isascii() first (a method call compiled): a search for "\u2029" in a text of narrower characters
    # answers at once.
    return "\f" in text or "\u2029" in text


def spans_paragraph_break(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a paragraph break of one character, which folds to one space as a word gap does:
    a phrase over it ("Chad\fSmith") spans two paragraphs, as none over a blank line ("\n\n": two spaces) can."""
    return text.find("\f", start, end) >= 0 or text.find("\u2029", start, end) >= 0


def line_break_end(text: str, at: int, stop: int) -> int:
    """Where the line break at `at` (a character of LINE_BREAKS) ends: past a two-character one as one break."""
    return at + 2 if at + 1 < stop and text[at:at + 2] in TWO_CHAR_BREAKS else at + 1


# Invisible characters that stand between words in text copied from the web: the zero-width space, the word joiner
# and the zero-width no-break space (BOM). Not the zero-width (non-)joiner: it shapes letters inside a Persian or
# Indic word, or an emoji.
_ZERO_WIDTH_SPACES: Final = "\u200b\u2060\ufeff"
_ZERO_WIDTH_AS_SPACE: Final = str.maketrans(_ZERO_WIDTH_SPACES, "   ")


def parts_words(char: str) -> bool:
    """Whether `char` stands between two words: whitespace, or a zero-width space (folding blanks it, so a phrase
    matches over it as over a space)."""
    return char.isspace() or (not char.isalnum() and char in _ZERO_WIDTH_SPACES)  # letters skip the search


def is_word_gap(char: str) -> bool:
    """Whether `char` parts two words of one name, as a space does: any whitespace (a tab, a no-break space, one line
    break: wire copy wraps names) but a paragraph break, or a zero-width space."""
    return parts_words(char) and char not in PARAGRAPH_BREAKS


def name_words(surface: str) -> list[str]:
    """The words of a name as written: parted by whitespace of any kind ("Anthony\nAlbanese") or a zero-width space
    ("Vladimir\u200bPutin", which folding reads as a space too)."""
    if is_ascii(surface):  # no zero-width space, and no translating (a lookup per character)
        return surface.split()
    return surface.translate(_ZERO_WIDTH_AS_SPACE).split()


def phrase_key(phrase: str) -> str:
    """The folded form of a lexicon phrase. Inner spaces are kept as folded, so "N. Korea" becomes
    "n  korea" and matches the text "N. Korea" exactly; edge punctuation ("U.S.") is dropped."""
    return fold(phrase).strip()


_UPPER: Final = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER: Final = b"abcdefghijklmnopqrstuvwxyz"


def is_all_caps(text: str) -> bool:
    """Reuters-style upper-case headline: case carries no information there (ASCII letters counted,
    so the other characters are dropped first: bytes.translate is a table lookup, str.translate a dict
    lookup per character once the text holds one non-ASCII character)."""
    sample = text[:400].encode("ascii", "ignore")
    upper = len(sample) - len(sample.translate(None, _UPPER))
    lower = len(sample) - len(sample.translate(None, _LOWER))
    return upper >= 4 and upper >= 9 * lower


def is_title_case(text: str) -> bool:
    """A headline with its words capitalised ("Israel Expands Ground Operation Near the Border"): there, the capital
    of the word after a first name says nothing of a person. Words of four letters or more are counted (that style
    leaves "the", "in" and "of" in lower case)."""
    words = capitalised = 0
    for word in text[:400].split():
        if len(word) >= 4 and is_letter(word[0]):
            words += 1
            if is_upper(word[0]):
                capitalised += 1
    return words >= 2 and 4 * capitalised >= 3 * words


ENGLISH_SUBTAGS: Final = ("en", "eng")  # ISO 639-1 and 639-2


def is_english(language: str) -> bool:
    """Whether a BCP 47 tag ("en", "en-GB", "EN_us", ISO 639-2 "eng") names English."""
    return primary_subtag(language) in ENGLISH_SUBTAGS


def primary_subtag(language: str) -> str:
    """The language of a BCP 47 tag, lower-cased: "fr-FR" -> "fr", "DE_at" -> "de"."""
    return language.strip().lower().replace("_", "-").split("-", 1)[0]


def is_katakana(char: str) -> bool:
    """Full-width katakana, its long-vowel mark ー, or half-width katakana; not the middle dot ・, which
    separates words."""
    return "\u30a1" <= char <= "\u30fa" or char == "\u30fc" or "\uff66" <= char <= "\uff9f"


def is_hangul(char: str) -> bool:
    """A precomposed hangul syllable (Korean writes each syllable as one character)."""
    return "\uac00" <= char <= "\ud7a3"


def continues_word(char: str) -> bool:
    """A letter, a digit or a combining mark: Devanagari vowel signs ("रूसी") and Arabic vowel marks are part
    of the word they sit in, though not alphanumeric."""
    return char.isalnum() or unicodedata.category(char)[0] == "M"


def is_letter(char: str) -> bool:
    """char.isalpha(), read off the code point for ASCII: compiled, ord() is native and str.isalpha a method call
    (~250 instructions), made for the word before every country name."""
    code = ord(char)
    if code < 128:
        return 65 <= code <= 90 or 97 <= code <= 122
    return char.isalpha()


def is_upper(char: str) -> bool:
    """char.isupper(), read off the code point for ASCII (as is_letter)."""
    code = ord(char)
    if code < 128:
        return 65 <= code <= 90
    return char.isupper()


def word_at(text: str, start: int) -> str:
    """The run of letters that starts at `start` ('' when `start` holds no letter)."""
    index = start
    while index < len(text) and is_letter(text[index]):
        index += 1
    return text[start:index]


# A sentence ends at . ! ? (or the Arabic-script ؟, Urdu ۔ and Devanagari ।, plus closing quotes/brackets)
# followed by whitespace and, after an optional opening quote, a digit or a letter that is not lower-case (a
# capital, or hangul, CJK, Arabic script and Devanagari, which have no case); at a paragraph break (a blank
# line, a line break followed by two or more spaces or tabs, as in Reuters bodies, or one of PARAGRAPH_BREAKS); or
# at the full-width 。！？ of Japanese and Chinese (plus closing brackets), which no space follows. A line break is
# one of two characters ("\r\n" or "\n\r": one break, not a blank line) or one of LINE_BREAKS: `pactwatch tag`
# rows arrive as written. As a regex (tests/tagging/test_text.py checks the code below against it; the regex cannot
# name non-ASCII lower case, so the test drops those matches after it; "\n?+" and "\r?+" are possessive, so a
# two-character break never splits into two):
#   [。！？][」』）"'”’)\]]*|[.!?؟۔।]["'”’)\]]*(?=\s+["“‘(\[]?([0-9]|[^\W\d_a-z]))
#   |(?:\r\n?+|\n\r?+|[\v\x85\u2028])(?:[ \t]*(?:\r\n?+|\n\r?+|[\v\x85\u2028])|[ \t]{2,})|[\f\u2029]
# Written out because feed items hold one or two candidate marks: finding them with str.find and checking
# the few characters after each costs a fraction of the regex engine's walk over every character.
# Tuples of one-character strings: compiled, iterating a str builds each character as a string, a tuple hands out its
# items (the sentence splitter searches each mark in turn).
_ASCII_MARKS: Final = tuple(".!?\n\r\v\f")
_FULL_WIDTH_MARKS: Final = "。！？"
# Arabic question mark, Urdu full stop, Devanagari danda; the line and paragraph breaks beyond ASCII
_MARKS: Final = _ASCII_MARKS + tuple("؟۔।" + _FULL_WIDTH_MARKS + "\x85\u2028\u2029")
_CLOSERS: Final = "\"'”’)]"
_FULL_WIDTH_CLOSERS: Final = "」』）" + _CLOSERS
_OPENERS: Final = "\"“‘(["
_SENTENCE_STARTS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# The US states' abbreviations with a full stop (seeds/gazetteer/rules.toml us_state_abbreviations; a test keeps the
# two alike). After a town and a comma a sentence ends on one before a word, "in Kenosha, Wis. The company",
# "Harrisburg, Pa. Smith said" (Reuters-21578, geoparsing_news), except a date's: a dateline ("RICHMOND, Va. Feb 26 -"),
# a day ("met in Washington, D.C. Tuesday");
# elsewhere it goes on ("former Del. Brian Moran").
_STATE_ABBREVIATIONS: Final = frozenset(
    "ala ariz ark calif colo conn d.c del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nebr nev "
    "n.h n.j n.m n.y n.c n.d okla ore pa penn r.i s.c s.d tenn tex va vt wash w.va wis wisc wyo".split()
)
# Words after which a period does not end a sentence.
_ABBREVIATIONS: Final = frozenset(
    "mr mrs ms dr st sen sens rep reps gov gen lt col maj capt sgt adm cmdr brig cpl pvt amb sec asst prof jr sr inc "
    "corp co ltd bros no vs vol jan feb mar apr aug sep sept oct nov dec "
    "u.s u.k u.n e.u d.c st u.s.a mt ft pres messrs rev hon est approx ca".split()
) | _STATE_ABBREVIATIONS
# Of the states', those that are words too ("iron ore.", "is ill.", "wash."): abbreviations only written with a capital.
_STATES_ONLY: Final = _STATE_ABBREVIATIONS - (_ABBREVIATIONS - _STATE_ABBREVIATIONS)
# Of those, the ones a sentence also ends on ("... are at odds with the U.S. That is not to say they will go to war"):
# there, a word that opens sentences and names no one starts the next sentence. Not "In", "On", "This" or "An": they
# go on a sentence about a country as often ("talks with the U.S. on trade"; Reuters-21578, converted from capitals,
# writes "compromise with the U.S. On economic policy").
_ENDING_ABBREVIATIONS: Final = frozenset("u.s u.k u.n e.u d.c u.s.a inc corp co ltd jr sr".split())
_SENTENCE_OPENERS: Final = frozenset(
    "The It He She They That These Those But We Its Their His Her Our Meanwhile However".split()
)
_LONGEST_OPENER: Final = max(len(word) for word in _SENTENCE_OPENERS)
_PROSE_FOLLOWS: Final = re.compile(r"(?:['’][a-z]+)?,?[ \t]+[a-z]")  # the opener's own word ends, a lower-case one

_LONGEST_ABBREVIATION: Final = max(len(word) for word in _ABBREVIATIONS)
# the words of a date, which go on a dateline ("RICHMOND, Va. Feb 26 -", "Washington, D.C. Tuesday")
_DATE_WORDS: Final = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec "
    "january february march april june july august september october november december "
    "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday".split()
)

_WORD_BREAKS: Final = "-–—"  # besides whitespace: "Minneapolis-St. Paul" abbreviates "St."


def _abbreviation(text: str, period: int) -> str | None:
    """The word ending at the full stop at `period`, lower case, when it is an abbreviation; else None."""
    # The word starts after any whitespace, not only a space (wire copy wraps lines, tables hold tabs: "sold to\nS.
    # Africa"), or after a hyphen; and at most 12 characters back: an abbreviation is short, and a text without
    # spaces must not be copied from its start at every full stop.
    if period > _LONGEST_ABBREVIATION and text[period - _LONGEST_ABBREVIATION - 1:period].isalnum():
        return None  # most full stops: a word longer than any abbreviation, and no dot in it
    start, floor = period, max(period - 12, 0)
    space = text.rfind(" ", floor, period)
    if period > 0 and text[period - 1].isdigit():
        return None  # a number ends sentences ("invoke Article 5.", "measured 6.1.", "passed 13-0.")
    if space >= 0:  # most others: a word of letters and digits after a space, found without the walk below
        word = text[space + 1:period]
        if word.isalnum():
            return _known(word, len(word) == 1)
    while start > floor:
        char = text[start - 1]
        if not char.isalnum() and (char.isspace() or char in _WORD_BREAKS):  # letters skip the search
            break
        start -= 1
    word = text[start:period].lstrip("(\"'“‘")
    return _known(word, len(word) - word.rfind(".") <= 2)  # one letter: an initial, "e.g"


def _known(word: str, initial: bool) -> str | None:
    """`word` lower-cased when it is an abbreviation (or `initial`), but a state's that is also a word written in lower
    case."""
    lowered = word.lower()
    if initial or lowered in _ABBREVIATIONS:
        return None if lowered in _STATES_ONLY and not word[0].isupper() else lowered
    return None


def _opens_sentence(text: str, at: int) -> bool:
    """Whether prose's next sentence starts at `at` (after whitespace): one of _SENTENCE_OPENERS, then a word in lower
    case ("That doesn't mean", "He'll go"; not a title-case headline's "Putin Tells U.S. He'll Halt War")."""
    while at < len(text) and text[at].isspace():
        at += 1
    end = at
    while end < len(text) and end - at <= _LONGEST_OPENER and text[end].isalpha():
        end += 1
    return text[at:end] in _SENTENCE_OPENERS and _PROSE_FOLLOWS.match(text, end) is not None


def _ends_on_abbreviation(text: str, period: int, end: int, stop: int, word: str) -> bool:
    """Whether the sentence ends on the abbreviation `word` before the break ending at `end`: one of
    _ENDING_ABBREVIATIONS before prose's opening word, or a state's after a town ("Kenosha, Wis.") before a word that
    names no month or weekday (a ZIP code goes on the address, a date on the dateline or the sentence)."""
    if word in _STATE_ABBREVIATIONS and text[period - len(word) - 2:period - len(word)] == ", ":
        index = end
        while index < stop and not text[index].isalnum():
            index += 1
        after = index
        while after < len(text) and text[after].isalpha():  # the whole word, as _opens_sentence reads one
            after += 1
        return after > index and text[index:after].lower() not in _DATE_WORDS
    if word == "no":  # a number's ("No. 1"), else the word: "Russia voted no. China abstained."
        index = end
        while index < stop and text[index].isspace():
            index += 1
        return index < stop and not text[index].isdigit()
    return word in _ENDING_ABBREVIATIONS and _opens_sentence(text, end)


def sentence_spans(text: str, until: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence, leading/trailing whitespace excluded; with `until`, only the
    sentences up to the one containing that offset (callers need no more)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end in _breaks(text, 0, len(text), len(text) if until is None else until):
        _append_trimmed(spans, text, start, end)
        start = end
    if until is None or start <= until:
        _append_trimmed(spans, text, start, len(text))
    return spans


def splits_between(text: str, start: int, stop: int) -> bool:
    """Whether sentence_spans puts a sentence start in (start, stop], where `start` and `stop` are the
    first characters of two words. A boundary match holds only punctuation and whitespace, so it
    never straddles `start`, and its look-ahead reaches no further than `stop`: searching the slice
    gives the same boundaries as splitting the whole text."""
    return bool(_breaks(text, start, stop + 1, start))


def _breaks(text: str, start: int, stop: int, enough_after: int) -> list[int]:
    """End offsets of the sentence breaks in text[start:stop] (nothing after `stop` is looked at), up to
    the first one past `enough_after` (callers need no more)."""
    found: list[int] = []
    # The marks the text holds, and the next offset of each (-1: none left): most texts hold one or two of them, and
    # each break found looks at every one.
    marks: list[str] = []
    upcoming: list[int] = []
    for candidate in _ASCII_MARKS if is_ascii(text) else _MARKS:
        offset = text.find(candidate, start, stop)
        if offset >= 0:
            marks.append(candidate)
            upcoming.append(offset)
    position = start
    while True:
        mark = -1
        for index in range(len(marks)):
            offset = upcoming[index]
            if 0 <= offset < position:
                offset = upcoming[index] = text.find(marks[index], position, stop)
            if offset >= 0 and (mark < 0 or offset < mark):
                mark = offset
        if mark < 0:
            return found
        end = _break_end(text, mark, stop)
        if end < 0:
            position = mark + 1
            continue
        position = end
        if text[mark] == "." and (word := _abbreviation(text, mark)) is not None \
                and not _ends_on_abbreviation(text, mark, end, stop, word):
            continue
        found.append(end)
        if end > enough_after:
            return found


def _break_end(text: str, mark: int, stop: int) -> int:
    """Where the break starting with the mark at `mark` ends, or -1 when it is none."""
    char = text[mark]
    if char == "." or char == "!" or char == "?":  # most: none of the searches below
        return _punctuation_break_end(text, mark, stop)
    if char in _FULL_WIDTH_MARKS:
        end = mark + 1
        while end < stop and text[end] in _FULL_WIDTH_CLOSERS:
            end += 1
        return end
    if char in PARAGRAPH_BREAKS:
        return mark + 1
    if char in LINE_BREAKS:
        line_start = line_break_end(text, mark, stop)
        index = line_start
        while index < stop and text[index] in " \t":
            index += 1
        if index < stop and text[index] in LINE_BREAKS:
            return line_break_end(text, index, stop)
        return index if index - line_start >= 2 else -1
    return _punctuation_break_end(text, mark, stop)


def _punctuation_break_end(text: str, mark: int, stop: int) -> int:
    """Where the break at a full stop, question or exclamation mark (of any script) ends: past its closing quotes and
    brackets, when whitespace and the start of a sentence follow; else -1."""
    end = mark + 1
    while end < stop and text[end] in _CLOSERS:
        end += 1
    index = end
    while index < stop and text[index].isspace():
        index += 1
    if index == end:
        return -1
    if index < stop and text[index] in _OPENERS:
        index += 1
    return end if index < stop and _starts_sentence(text[index]) else -1


def _starts_sentence(char: str) -> bool:
    """A capital or a digit; or, beyond ASCII, any letter that is not lower-case: "État", "Über", and the
    scripts without case ("미국은", "中国")."""
    return char in _SENTENCE_STARTS or (not char.isascii() and char.isalpha() and not char.islower())


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """text[start:end] without its edge whitespace, unless nothing is left (indices, not str.strip: a sentence
    has a character or two of it, and strip copies the whole sentence twice)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))

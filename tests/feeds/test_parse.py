"""parse_feed: hostile XML refused before parsing, plain text out, links/dates/keys normalised."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime

import re
from itertools import product

import feedparser
import pytest

from pipeline.feeds import dates
from pipeline.feeds.dates import normalize_date
from pipeline.feeds.parse import MAX_DATE_CHARS, MAX_ENTRIES, article_from_record, declared_language, parse_feed
from pipeline.feeds.safety import PROLOG_SCAN_BYTES, rejection_reason, repair_char_refs
from tests.feeds.conftest import FIXTURES, NOW, item, rss

BASE = "https://example.org/feeds/world.xml"


def parse_fixture(name: str, base: str = BASE, **kwargs) -> object:
    return parse_feed((FIXTURES / name).read_bytes(), base, NOW, **kwargs)


def by_guid(parsed) -> dict:
    return {entry.guid: entry for entry in parsed.entries}


@pytest.mark.parametrize("name", [
    "bomb_billion_laughs.xml", "bomb_quadratic.xml", "bomb_external_entity.xml",
    "bomb_parameter_entity.xml", "bomb_entity_in_comment.xml",
])
def test_xml_bombs_are_rejected_before_parsing(name):
    parsed = parse_fixture(name)
    assert parsed.entries == ()
    assert parsed.error.startswith("rejected: ")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_bombs_are_recognised_in_any_unicode_encoding(encoding):
    text = (FIXTURES / "bomb_quadratic.xml").read_text().replace('<?xml version="1.0"?>', "")
    assert rejection_reason(text.encode(encoding)) == "DOCTYPE with an internal subset"


def test_public_doctype_without_internal_subset_is_accepted():
    parsed = parse_fixture("rss091_public_doctype.xml")
    assert parsed.error is None
    assert [entry.title for entry in parsed.entries] == ["Café & bar"]


def test_doctype_after_the_root_element_is_not_the_prolog():
    body = rss(item("g1", title="mentions &lt;!DOCTYPE x [ in text"))
    assert parse_feed(body, BASE, NOW).error is None


BOMB_PROLOG = '<!DOCTYPE rss [<!ENTITY a "xxxxxxxxxx">]>'


@pytest.mark.parametrize("opener, closer", [("<!-->", "-->"), ("<!--->", "-->"), ("<?>", "?>")])
def test_a_comment_opened_as_it_closes_does_not_hide_a_doctype(opener, closer):
    """In XML "<!-->" and "<!--->" open a comment and do not close it, and "<?>" a processing instruction. Read as
    closed, the markup inside was taken for the root element, and a DOCTYPE with an entity after the real end of the
    comment reached feedparser, expanded."""
    body = f'<?xml version="1.0"?>{opener}<x>{closer}{BOMB_PROLOG}<rss version="2.0"><channel>&a;</channel></rss>'
    assert rejection_reason(body.encode()) == "DOCTYPE with an internal subset"


@pytest.mark.parametrize("before", ["<", "<!ATTLIST rss version CDATA '2.0'>"])
def test_markup_that_is_not_an_element_does_not_end_the_prolog(before):
    """A stray "<" or a declaration other than DOCTYPE is skipped one character at a time: skipped further, or read as
    the root element, it let the markup after it pass for the root and the DOCTYPE behind that go unchecked."""
    body = f'<?xml version="1.0"?>{before}<!-- <x> -->{BOMB_PROLOG}<rss version="2.0">&a;</rss>'
    assert rejection_reason(body.encode()) == "DOCTYPE with an internal subset"


@pytest.mark.parametrize("doctype", ["", '<!DOCTYPE rss SYSTEM "http://example.org/<rss>.dtd">'])
def test_an_entity_declared_outside_a_doctype_subset_is_refused(doctype):
    """A declaration at the very first byte, or after a DOCTYPE whose quoted system id holds markup: the entity scan
    starts at offset 0 and the root element is looked for after the DOCTYPE's end, not inside its quotes."""
    body = f'{doctype}<!ENTITY a "xx"><rss version="2.0">&a;</rss>'
    assert rejection_reason(body.encode()) == "ENTITY declaration in the XML prolog"


@pytest.mark.parametrize("keyword", ["doctype", "DocType"])
def test_a_doctype_in_any_case_is_read_as_one(keyword):
    """feedparser's loose parser is more lenient than expat about case: an internal subset refused as `DOCTYPE` is
    refused in any case, entity or not."""
    assert rejection_reason(f'<!{keyword} rss [ ]><rss version="2.0"/>'.encode()) == "DOCTYPE with an internal subset"


def test_a_doctype_with_a_single_quoted_system_id_is_accepted():
    """XML quotes a literal with either quote; a "[" or ">" inside one is not the DOCTYPE's end."""
    assert rejection_reason(b"<!DOCTYPE rss SYSTEM 'http://example.org/rss[1]>.dtd'><rss version=\"2.0\"/>") is None


@pytest.mark.parametrize("unclosed", ["<!-- never closed <rss/>", "<?pi never closed <rss/>"])
def test_a_comment_or_processing_instruction_never_closed_is_refused(unclosed):
    """Where the prolog ends is unknown, so whatever follows might be a declaration feedparser honours."""
    reason = rejection_reason(f'<?xml version="1.0"?>{unclosed}'.encode())
    assert reason == "unterminated comment or processing instruction in the XML prolog"


def test_a_doctype_whose_quote_never_closes_is_refused():
    """Its end, and so whether an internal subset follows, cannot be told from the prolog."""
    body = b'<!DOCTYPE rss SYSTEM "unclosed [<!ENTITY a "x">]><rss/>'
    assert rejection_reason(body) == "unterminated DOCTYPE declaration"


@pytest.mark.parametrize("declaration", ['<!entity a "x">', '<! ENTITY a "x">', '<!\nENTITY a "x">'])
def test_an_entity_declaration_in_another_case_or_spacing_is_refused(declaration):
    """feedparser's loose parser and its regex-based DOCTYPE rewriting are more lenient than expat; the check matches
    any case and spacing rather than trust each of them to ignore it."""
    body = f'<?xml version="1.0"?><!-- {declaration} --><rss version="2.0"/>'
    assert rejection_reason(body.encode()) == "ENTITY declaration in the XML prolog"


@pytest.mark.parametrize("declaration", ['<?xml version="1.0"?>', ""])
@pytest.mark.parametrize("root", ["rss", "_feed", ":feed", "évènements", "a", "xDOCTYPE"])
def test_declarations_in_the_content_after_the_root_are_not_the_prolog(declaration, root):
    """A CDATA section quoting markup is text: an article about XML must not fail its feed. The root is any XML name
    (a name starts with a letter, "_", ":" or a non-ASCII character), at any offset, the first one too."""
    body = f'{declaration}<{root}><![CDATA[<!ENTITY a "x"> <!DOCTYPE b [ ]]></{root}>'
    assert rejection_reason(body.encode()) is None


def test_a_bomb_in_ebcdic_is_recognised():
    """A document declaring itself in cp037 has no ASCII "<" at all: read as latin-1 it hid every declaration."""
    body = f'<?xml version="1.0" encoding="cp037"?>{BOMB_PROLOG}<rss version="2.0">&a;</rss>'.encode("cp037")
    assert rejection_reason(body) == "DOCTYPE with an internal subset"


def padded_prolog(size: int) -> bytes:
    """A prolog of `size` bytes of comments and blank space, with no root element."""
    comment = b"<!-- licence text -->"
    return comment + b"\n" * (size - len(comment))


def test_a_prolog_longer_than_the_scan_is_refused_and_one_as_long_is_read():
    """Past the scanned prefix a DOCTYPE could hide; a prolog that ends exactly at the limit was scanned whole. A root
    element must be found within the limit, its name too: one just past it is refused, and the reason says so (it
    said "XML prolog longer than" the limit of a prolog as long as the limit, a review found)."""
    assert rejection_reason(padded_prolog(PROLOG_SCAN_BYTES)) is None
    beyond = f"no root element in the first {PROLOG_SCAN_BYTES} bytes"
    longer = padded_prolog(PROLOG_SCAN_BYTES + 1)
    assert rejection_reason(longer) == beyond
    hidden = padded_prolog(PROLOG_SCAN_BYTES) + BOMB_PROLOG.encode() + b"<rss>&a;</rss>"
    assert rejection_reason(hidden) == beyond
    for prolog in (PROLOG_SCAN_BYTES - 1, PROLOG_SCAN_BYTES):
        assert rejection_reason(padded_prolog(prolog) + b'<rss version="2.0"/>') == beyond
    assert rejection_reason(padded_prolog(PROLOG_SCAN_BYTES - 2) + b'<rss version="2.0"/>') is None
    closing_on_the_last_byte = b"<!--" + b" " * (PROLOG_SCAN_BYTES - len(b"<!---->")) + b"-->"
    assert len(closing_on_the_last_byte) == PROLOG_SCAN_BYTES and rejection_reason(closing_on_the_last_byte) is None


def test_a_long_feed_whose_prolog_is_short_or_has_a_long_comment_is_accepted():
    """Only the prolog is capped: a feed of many megabytes, or one opening with a few kilobytes of licence text."""
    long_feed = rss(*(item(f"g{number}", title="x" * 200) for number in range(6000)))
    assert len(long_feed) > PROLOG_SCAN_BYTES and rejection_reason(long_feed) is None
    assert rejection_reason(padded_prolog(5000) + b'<rss version="2.0"/>') is None


@pytest.mark.parametrize("written, repaired", [
    ("&#x10FFFF;", "&#x10FFFF;"),  # the last code point is one
    ("&#xDFFF;", "&#xFFFD;"),  # the last surrogate, alone
    ("&#XD800;", "&#xFFFD;"),  # "X" is hexadecimal too
    ("&#xD800;&#xDC00;", "&#x10000;"),  # the first pair
    ("&#xDBFF;&#xDFFF;", "&#x10FFFF;"),  # the last pair
    ("&#xD83D; &#xDE00;", "&#xFFFD; &#xFFFD;"),  # not adjacent: two lone halves
    ("&#xDC00;&#xDC00;", "&#xFFFD;&#xFFFD;"),  # a low half first is no pair: it cannot start one
    ("&#x110000;&#xDC00;", "&#xFFFD;&#xFFFD;"),  # nor can a code point past the last
    ("&#000000000065;", "&#000000000065;"),  # zeros first: still "A", whatever their number
    ("&#" + "0" * 20 + "65;", "&#" + "0" * 20 + "65;"),  # leading zeros do not count: "A", as feedparser reads it
    ("&#x" + "0" * 20 + "41;", "&#x" + "0" * 20 + "41;"),
    ("&#" + "9" * 5000 + ";", "&#xFFFD;"),  # past int()'s 4300-digit limit: out of range, not an exception
])
def test_character_references_at_the_edges_of_unicode(written, repaired):
    """Each edge of the surrogate and code point ranges, and the digit cap that keeps int() from raising on a
    reference thousands of digits long."""
    assert repair_char_refs(written.encode()) == repaired.encode()


def test_titles_are_plain_text():
    entries = by_guid(parse_fixture("xss_titles_links.xml"))
    assert entries["x1"].title == "Sanctions announced"  # script content dropped, whitespace collapsed
    assert entries["x2"].title == "Pact signed"
    assert entries["x5"].title == "AT&T & Tom's"  # double-escaped entities decoded


def test_feed_title_is_plain_text():
    assert parse_fixture("xss_titles_links.xml").title == "XSS feed"


@pytest.mark.parametrize("declared, language", [
    ("de-DE", "de-DE"), ("en_us", "en-us"), (" fr, en ", "fr"), ("pt-BR; en", "pt-BR"),
    ("English", None), ("<script>", None), ("", None), (None, None),
])
def test_a_feeds_declared_language_is_kept_only_when_it_is_a_language_tag(declared, language):
    assert declared_language(declared) == language
    assert parse_feed(rss(item(guid="g1"), language=declared), "https://example.org/", NOW).language == language


def test_links_are_http_only_resolved_and_canonical():
    entries = by_guid(parse_fixture("xss_titles_links.xml"))
    assert entries["x1"].url == "https://example.org/1"
    assert entries["x2"].url is None  # javascript:
    assert entries["x3"].url is None  # data:
    assert entries["x4"].url == "https://example.org/world/story-4?id=4"  # relative, tracking + fragment gone
    assert entries["x5"].url == "https://example.org/5"
    assert entries["x6"].url is None  # ftp:


def test_summary_becomes_plain_text_without_scripts_or_styles():
    text = by_guid(parse_fixture("xss_titles_links.xml"))["x5"].text
    assert text == "First\n\nsecond & third\n\nend"  # its paragraphs kept apart


def test_an_untitled_entry_in_paragraphs_keeps_the_key_its_text_on_one_line_gave():
    """An entry with neither title nor link is keyed by its text's first 1,000 characters: counted in the text with
    its paragraphs (a break of two characters where versions before 0071 stored one space), the key differed from the
    one such a version stored it under, and the entry was stored a second time."""
    words = [f"Item {n} of the briefing: Russia and China hold talks." for n in range(40)]
    in_paragraphs, on_one_line = (parse_feed(rss(item(title="", pub="Wed, 19 Jun 2024 10:00:00 GMT", description=text)),
                                             BASE, NOW).entries[0]
                                  for text in ("".join(f"&lt;p&gt;{line}&lt;/p&gt;" for line in words), " ".join(words)))
    assert in_paragraphs.text.count("\n\n") == 39 and len(in_paragraphs.text) > 1_000
    assert in_paragraphs.key == on_one_line.key and in_paragraphs.key.startswith("hash:")


def test_atom_content_and_xml_base():
    parsed = parse_fixture("atom_relative.xml")
    [entry] = parsed.entries
    assert parsed.title == "World desk"
    assert entry.title == "Alliance & treaty"
    assert entry.url == "https://news.example.org/world/story-1.html"
    assert entry.text == "Heading\n\nFull text here."  # a heading, then a paragraph; "&nbsp;" a space
    assert entry.published_at == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_bozo_feed_still_yields_recovered_entries():
    parsed = parse_fixture("bozo_recoverable.xml")
    assert parsed.bozo_reason
    assert parsed.error is None
    assert {entry.guid for entry in parsed.entries} == {"b1", "b2"}


def test_a_document_cut_short_with_no_entry_read_is_an_error():
    """Not the "bozo" feed above: nothing could be read from it, and an empty healthy feed is what it looked like."""
    parsed = parse_fixture("truncated.xml")
    assert parsed.entries == ()
    assert parsed.error.startswith("XML cut short and no entries read: SAXParseException")


@pytest.mark.parametrize("cut_before", ["<pubDate>", "</item>"])
def test_a_document_cut_short_inside_an_entry_keeps_none_of_them(cut_before):
    """Its entries were kept, the last one cut (no date: filed under the poll's day; or a title without link or text),
    and stored again as another article once the whole feed came back."""
    body = rss(item("g1", "https://example.org/a", pub="Fri, 27 Nov 2026 10:00:00 GMT"),
               item("g2", "https://example.org/b", pub="Fri, 27 Nov 2026 11:00:00 GMT"))
    parsed = parse_feed(body[:body.rindex(cut_before.encode())], BASE, NOW)
    assert parsed.entries == ()
    assert parsed.error.startswith("XML cut short inside an entry, after 2 entries: nothing stored: SAXParseException")


@pytest.mark.parametrize("slip", ["a&nbsp;b", "a & b", "<media:thumbnail url='x'/>"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_document_cut_inside_an_entry_after_another_slip_keeps_none_of_them(slip, encoding):
    """After an earlier slip (an HTML entity, a bare "&", an undeclared prefix) feedparser reads on loosely and reports
    no cut: the cut entry was stored without its text and date, and, keyed by its GUID, never mended."""
    whole = rss(item("g1", "https://example.org/a", description=slip, pub="Fri, 27 Nov 2026 10:00:00 GMT"),
                item("g2", "https://example.org/b", description="The full text", pub="Fri, 27 Nov 2026 11:00:00 GMT"))
    whole = whole.replace(b'encoding="UTF-8"', f'encoding="{encoding}"'.encode()).decode().encode(encoding)
    assert [entry.guid for entry in parse_feed(whole, BASE, NOW).entries] == ["g1", "g2"]  # whole, it is read
    cut = whole[:whole.rindex("full text".encode(encoding).removeprefix(b"\xff\xfe"))]  # without a BOM of its own
    parsed = parse_feed(cut, BASE, NOW)
    assert parsed.entries == () and parsed.error.startswith("XML cut short or broken: 1 of the 2 entries read never close")


RUSSIAN = "Санкции против России"


@pytest.mark.parametrize(("declaration", "encoding", "http_charset", "expected"), [
    ("", "koi8-r", "koi8-r", RUSSIAN),  # no declaration, not UTF-8: the server's charset decodes it
    ('<?xml version="1.0" encoding="utf-8"?>', "koi8-r", "koi8-r", RUSSIAN),  # a declaration the bytes belie
    ('<?xml version="1.0" encoding="windows-1251"?>', "cp1251", "koi8-r", RUSSIAN),  # a wrong header loses to it
    ("", "utf-8", "iso-8859-1", RUSSIAN),  # a server default that is wrong: UTF-8 that decodes stays UTF-8
    ("", "koi8-r", None, "óÁÎËÃÉÉ ÐÒÏÔÉ× òÏÓÓÉÉ"),  # no charset anywhere: feedparser's windows-1252 guess
    ("", "koi8-r", "koi8-r\r\nX-Evil: 1", "óÁÎËÃÉÉ ÐÒÏÔÉ× òÏÓÓÉÉ"),  # no charset name
])
@pytest.mark.parametrize("feed_title", ["Test feed", "AT&T news"])  # with an XML slip too
def test_the_servers_charset_decodes_a_document_its_own_declaration_cannot(declaration, encoding, http_charset, expected,
                                                                           feed_title):
    """A KOI8-R feed served with "charset=koi8-r" and no XML declaration was stored as mojibake, the charset ignored."""
    whole = rss(item("g1", "https://example.org/a", title=RUSSIAN), title=feed_title).decode()
    body = (declaration + whole.split("?>", 1)[1]).encode(encoding)
    parsed = parse_feed(body, BASE, NOW, http_charset=http_charset)
    assert [entry.title for entry in parsed.entries] == [expected]


LATIN = "Zürich: café «naïve»"


def declared_feed(declaration: str, encoding: str, title: str, text: str) -> bytes:
    """A feed whose title and one item carry `title` and `text`, in `encoding`'s bytes under `declaration`."""
    whole = rss(item("g1", "https://example.org/a", title=title, description=text), title=title).decode()
    return (declaration + whole.split("?>", 1)[1]).encode(encoding)


@pytest.mark.parametrize(("charset", "http_charset"), [
    ("windows-1251", None),  # was "РњРѕСЃРєРІР°" for "Москва"
    ("koi8-r", None),  # was "п°п╬я│п╨п╡п╟"
    ("windows-1252", None),
    ("iso-8859-1", None),
    ("windows-1251", "windows-1251"),  # the server repeats the wrong declaration
    ("windows-1251", "utf-8"),  # the server is right, the declaration is not
    ("Shift_JIS", None),  # a multi-byte legacy charset is no likelier to be valid UTF-8
    (None, "windows-1251"),  # no declaration, a wrong server default: UTF-8 that decodes stays UTF-8
])
def test_utf8_under_a_legacy_declaration_is_read_as_utf8(charset, http_charset):
    """Single-byte codecs decode any bytes, so a declaration of windows-1251 or KOI8-R over UTF-8 never failed: every
    Cyrillic title and text was stored as mojibake, which neither the tagger nor a reader could use. Where the
    declared codec did fail (windows-1252 has no byte 0x81, the end of "с" in UTF-8), feedparser fell back to UTF-8
    but complained, and each fetch of the feed was stored with "CharacterEncodingOverride" as its error."""
    declaration = f'<?xml version="1.0" encoding="{charset}"?>' if charset else ""
    parsed = parse_feed(declared_feed(declaration, "utf-8", RUSSIAN, LATIN), BASE, NOW, http_charset=http_charset)
    read = [(entry.title, entry.text) for entry in parsed.entries]
    assert (parsed.error, parsed.bozo_reason, parsed.title, read) == (None, None, RUSSIAN, [(RUSSIAN, LATIN)])


@pytest.mark.parametrize(("charset", "title", "text"), [
    ("windows-1251", RUSSIAN, "Ёлка и Україна — «їжак»"),  # ё and Ukrainian letters lie where UTF-8 continues
    ("koi8-r", RUSSIAN, "Ёлка и ёж"),
    ("iso-8859-1", LATIN, "Le «CAFÉ»"),  # "É»" alone is valid UTF-8 ("ɻ"), the document is not
    ("windows-1252", LATIN, "€5 – “Œuvre” naïve"),
    ("utf-7", RUSSIAN, "Café"),  # plain ASCII ("+BCEEMAQ9-...") stays with its declaration, valid UTF-8 though it is
])
@pytest.mark.parametrize("http_charset", [None, "utf-8", "koi8-u"])  # none, a wrong default, a wrong other charset
def test_a_document_in_its_declared_legacy_charset_is_read_by_it(charset, title, text, http_charset):
    """Real legacy text is practically never valid UTF-8 as a whole, so reading UTF-8 first misreads none of it."""
    body = declared_feed(f'<?xml version="1.0" encoding="{charset}"?>', charset, title, text)
    parsed = parse_feed(body, BASE, NOW, http_charset=http_charset)
    assert (parsed.error, parsed.title, [(entry.title, entry.text) for entry in parsed.entries]) == (
        None, title, [(title, text)])


# Of each kind of key one beyond ASCII (a URL GUID, an opaque GUID, a link, a title hash), and one in ASCII.
KEYED_ITEMS = (item("https://example.org/новости/1", "https://example.org/a", title=RUSSIAN),
               item("мск-2", "https://example.org/b", title="Москва"),
               item(link="https://example.org/пекин", title="Пекин"),
               item(title="Только заголовок", pub="Fri, 27 Nov 2026 10:00:00 GMT"),
               item("ascii-5", "https://example.org/c", title="Москва и Пекин"))


def keyed_feed(declared: str) -> bytes:
    """KEYED_ITEMS in UTF-8 under a declaration of `declared`."""
    return rss(*KEYED_ITEMS).replace(b'encoding="UTF-8"', f'encoding="{declared}"'.encode())


@pytest.mark.parametrize(("declared", "http_charset", "read_by"), [
    ("windows-1251", None, "windows-1251"),
    ("koi8-r", None, "koi8-r"),
    ("windows-1251", "utf-8", "windows-1251"),  # the declaration decoded it: the server's charset was not asked
    ("windows-1252", "windows-1251", "windows-1251"),  # windows-1252 has no 0x81 (in "с"): the server's charset read it
])
def test_utf8_under_a_legacy_declaration_carries_the_key_its_article_was_stored_under(declared, http_charset, read_by):
    """Read by its declaration, "guid:мск-2" was "guid:РјСЃРє-2", and so were its links and title hashes: read as UTF-8
    today, its entries came back under new keys and were stored again. Each carries the key that reading gave, the key
    of the same entry today in a document holding the text as that charset decoded it; the ASCII one has none."""
    body = keyed_feed(declared)
    as_stored = body.decode(read_by).replace(f'encoding="{declared}"', 'encoding="UTF-8"').encode()
    parsed, stored = (parse_feed(document, BASE, NOW, http_charset=http_charset) for document in (body, as_stored))
    assert [entry.title for entry in parsed.entries][:2] == [RUSSIAN, "Москва"]
    assert [entry.legacy_key for entry in parsed.entries] == [entry.key for entry in stored.entries[:4]] + [None]
    assert {entry.key for entry in parsed.entries}.isdisjoint(entry.key for entry in stored.entries[:4])


@pytest.mark.parametrize(("declared", "encoding", "http_charset"), [
    ("UTF-8", "utf-8", "windows-1251"),  # the declaration is right and decodes it: the server's charset never counted
    ("windows-1252", "utf-8", None),  # it fails on 0x81: feedparser fell back to UTF-8
    ("iso-8859-1", "utf-8", None),  # feedparser itself mends UTF-8 read as Latin-1
    ("windows-1251", "windows-1251", None),  # real legacy text, read by its declaration today too
    ("koi8-r", "koi8-r", "utf-8"),
])
def test_a_document_read_as_before_carries_no_legacy_key(declared, encoding, http_charset):
    body = keyed_feed(declared).decode().encode(encoding)
    parsed = parse_feed(body, BASE, NOW, http_charset=http_charset)
    assert [(entry.title, entry.legacy_key) for entry in parsed.entries][:2] == [(RUSSIAN, None), ("Москва", None)]
    assert len(parsed.entries) == 5 and not [entry for entry in parsed.entries if entry.legacy_key]


@pytest.mark.parametrize(("declared", "encoding", "parses"), [
    ("UTF-8", "utf-8", 1), ("windows-1251", "windows-1251", 1), ("windows-1251", "utf-8", 2), ("koi8-r", "utf-8", 2)])
def test_only_utf8_under_another_declaration_is_parsed_twice(declared, encoding, parses, monkeypatch):
    """The legacy reading costs a second parse, and nearly every feed declares what it is."""
    calls = []
    real_parse = feedparser.parse
    monkeypatch.setattr(feedparser, "parse", lambda *args, **kwargs: calls.append(args) or real_parse(*args, **kwargs))
    assert len(parse_feed(keyed_feed(declared).decode().encode(encoding), BASE, NOW).entries) == 5
    assert len(calls) == parses


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32"])
@pytest.mark.parametrize("declaration", ["", '<?xml version="1.0" encoding="UTF-8"?>\n',
                                         "<?xml version='1.0' encoding='utf-16'?>\n"])
def test_a_document_in_utf16_or_utf32_is_read_with_or_without_a_byte_order_mark_or_a_declaration(encoding, declaration):
    """SimplePie's UTF-16 test feeds, without a byte order mark or a declaration, were "not a recognisable RSS/Atom
    feed"; XML tells their encoding by how "<" is written. A declaration naming another encoding does not mislead."""
    whole = rss(item("g1", "https://example.org/a", title=RUSSIAN), title="Лента").decode()
    body = (declaration + whole.split("?>\n", 1)[1]).encode(encoding)
    parsed = parse_feed(body, BASE, NOW)
    assert (parsed.error, parsed.title, [entry.title for entry in parsed.entries]) == (None, "Лента", [RUSSIAN])


@pytest.mark.parametrize("cut_before", ["</channel>", "</rss>"])
def test_a_document_cut_short_after_its_last_entry_keeps_them_all(cut_before):
    """A generator that never writes `</channel></rss>`: every item is whole, and the feed was refused for good."""
    body = rss(item("g1", "https://example.org/a", pub="Fri, 27 Nov 2026 10:00:00 GMT"),
               item("g2", "https://example.org/b", pub="Fri, 27 Nov 2026 11:00:00 GMT"))
    parsed = parse_feed(body[:body.rindex(cut_before.encode())], BASE, NOW)
    assert parsed.error is None and [entry.url for entry in parsed.entries] == ["https://example.org/a",
                                                                                "https://example.org/b"]
    assert parsed.bozo_reason.startswith("SAXParseException")  # the slip is still recorded


@pytest.mark.parametrize("title", ["Quiet today", "News & Views", "News&nbsp;Today"])
def test_a_whole_feed_without_entries_is_no_error_even_with_an_xml_slip(title):
    """A quiet feed whose title holds a bare "&" or an HTML entity is not cut short: it was marked failing."""
    body = f'<rss version="2.0"><channel><title>{title}</title></channel></rss>'.encode()
    parsed = parse_feed(body, BASE, NOW)
    assert (parsed.entries, parsed.error) == ((), None)
    assert (parsed.bozo_reason is None) == (title == "Quiet today")


@pytest.mark.parametrize(("guid", "expected", "quality"), [
    ("rfc822-gmt", datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("rfc822-plus0530", datetime(2026, 7, 27, 8, 51, 32, tzinfo=UTC), "ok"),
    ("rfc822-minus0800", datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("rfc822-no-zone", datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),  # taken as UTC
    ("iso-z", datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("iso-offset", datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("missing", None, "missing"),
    ("garbage", None, "unparseable"),
    ("european", None, "unparseable"),
    ("far-future", datetime(2100, 1, 1, tzinfo=UTC), "future"),  # kept, but flagged
    ("tomorrow-ish", datetime(2026, 11, 28, 23, 0, tzinfo=UTC), "ok"),  # within a day: clock skew
    ("dotnet-min", None, "unparseable"),  # .NET's DateTime.MinValue: a feed with no date, not the year 1
    ("year-9999", datetime(9999, 12, 31, 23, 0, tzinfo=UTC), "future"),  # a "no date" placeholder of exports
    ("iso-year-1", None, "unparseable"),
    ("victorian", None, "unparseable"),  # before any newspaper archive a feed could carry
    # a zone no place has is read as no zone (feedparser applied +9999: four days back)
    ("impossible-zone", datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("impossible-minutes", datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("iso-impossible-zone", datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("kiribati", datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),  # the extremes are real places
    ("baker-island", datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
])
def test_dates(guid, expected, quality):
    entry = by_guid(parse_fixture("dates.xml"))[guid]
    assert (entry.published_at, entry.date_quality) == (expected, quality)
    assert entry.published_at is None or entry.published_at.tzinfo is UTC


def atom_entry(dates: str) -> bytes:
    return (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            b'<entry><id>urn:1</id><title>A</title><link href="https://example.org/a"/>%s</entry></feed>' % dates.encode())


@pytest.mark.parametrize(("dates", "expected", "quality"), [
    ("<published>sometime last week</published><updated>2026-07-27T14:21:32Z</updated>",
     datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("<published>0001-01-01T00:00:00Z</published><updated>2026-07-27T14:21:32Z</updated>",  # .NET's "no date"
     datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("<published>soon</published><updated>never</updated><created>2026-07-26T10:00:00Z</created>",
     datetime(2026, 7, 26, 10, tzinfo=UTC), "ok"),
    ("<published>2026-07-25T10:00:00Z</published><updated>2026-07-27T14:21:32Z</updated>",  # published first
     datetime(2026, 7, 25, 10, tzinfo=UTC), "ok"),
    ("<published>2100-01-01T00:00:00Z</published><updated>2026-07-27T14:21:32Z</updated>",  # read: kept, flagged
     datetime(2100, 1, 1, tzinfo=UTC), "future"),
    ("<published>soon</published><updated>never</updated>", None, "unparseable"),
    ("<published> </published>", None, "missing"),
    # PHP's date('r') of MySQL's zero date: read as a two-digit year, it was 2000-11-30 00:01, "ok"
    ("<published>Wed, 30 Nov -0001 00:00:00 +0000</published><updated>2026-07-27T14:21:32Z</updated>",
     datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("<published>Mon, 01 Jan 0000 00:00:00 GMT</published>", None, "unparseable"),  # was 2000-01-01, "ok"
    ("<published>Sat, 01 Jan 0099 00:00:00 GMT</published>", None, "unparseable"),  # was 1999-01-01
    ("<published>-0001-01-01T00:00:00Z</published>", None, "unparseable"),  # feedparser: 2000-01-01
    ("<published>Fri, 01 Jan 99 00:00:00 GMT</published>", datetime(1999, 1, 1, tzinfo=UTC), "ok"),  # two digits
    # Unix time 0, a zero or NULL timestamp written out as a date: it was "ok", and the coverage began in 1970
    ("<published>Thu, 01 Jan 1970 00:00:00 GMT</published><updated>2026-07-27T14:21:32Z</updated>",
     datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("<published>1970-01-01T01:00:00+01:00</published>", None, "unparseable"),
    ("<published>1970-01-01T00:00:01Z</published>", datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC), "ok"),
])
def test_the_first_readable_date_of_an_entry_is_its_date(dates, expected, quality):
    [entry] = parse_feed(atom_entry(dates), BASE, NOW).entries
    assert (entry.published_at, entry.date_quality) == (expected, quality)


@pytest.mark.parametrize(("written", "expected", "quality"), [
    # feedparser's ISO 8601 reader took a date written with "/" or "." for December 1st of its year, "ok"
    ("2026/07/27 14:21", datetime(2026, 7, 27, 14, 21, tzinfo=UTC), "ok"),
    ("2026.07.27", datetime(2026, 7, 27, tzinfo=UTC), "ok"),
    ("2026/07/27 2:21 PM", None, "unparseable"),
    # ... rolled fields out of range into the next (2027-01-01, 2026-07-01, 2026-07-28 01:00) ...
    ("2026-13-01T00:00:00Z", None, "unparseable"),
    ("2026-06-31T00:00:00Z", None, "unparseable"),
    ("2026-07-27T25:00:00Z", None, "unparseable"),
    ("2026-07-27T14:60:00Z", None, "unparseable"),
    ("2026-07-27T24:30:00Z", None, "unparseable"),  # only 24:00:00 is a time of day (it was 2026-07-28 00:30)
    ("2016.12.31T23:59:60Z", None, "unparseable"),  # our reader refuses its leap second; feedparser's: 2016-12-01
    # ... misread week dates (2026-12-01), a year past 9999 (2012-01-24) and a zone without its colon (as +05:00),
    # and dropped the time of a basic one
    ("2026-W31-1", datetime(2026, 7, 27, tzinfo=UTC), "ok"),
    ("2025-W53-1", None, "unparseable"),  # 2025 has 52 weeks
    ("12026-07-27T00:00:00Z", None, "unparseable"),
    ("20260727T142132Z", datetime(2026, 7, 27, 14, 21, 32, tzinfo=UTC), "ok"),
    ("2026-07-27T14:21:32+0530", datetime(2026, 7, 27, 8, 51, 32, tzinfo=UTC), "ok"),
    # what it read right stays so: a leap second, the day's end, unpadded fields, a space before the zone
    ("2016-12-31T23:59:60Z", datetime(2017, 1, 1, tzinfo=UTC), "ok"),
    ("2026-07-27T24:00:00Z", datetime(2026, 7, 28, tzinfo=UTC), "ok"),
    ("2026-7-27", datetime(2026, 7, 27, tzinfo=UTC), "ok"),
    ("2026-07-27T14:21:32.5 +05:30", datetime(2026, 7, 27, 8, 51, 32, tzinfo=UTC), "ok"),
])
def test_a_date_written_year_first_is_read_as_written_or_not_at_all(written, expected, quality):
    [entry] = parse_feed(rss(item("g1", "https://example.org/a", pub=written)), BASE, NOW).entries
    assert (entry.published_at, entry.date_quality) == (expected, quality)



def read_by_feed_and_import(written: str) -> list[tuple]:
    """(published_at, date_quality) of one date as an RSS <pubDate>, then as an archive record's `published`."""
    [entry] = parse_feed(rss(item("g1", "https://example.org/a", pub=written)), BASE, NOW).entries
    record = article_from_record({"id": "r1", "title": "A", "url": "https://example.org/a", "published": written},
                                 BASE, NOW)
    return [(entry.published_at, entry.date_quality), (record.published_at, record.date_quality)]


@pytest.mark.parametrize("written", [
    # feedparser's ISO 8601 reader read their beginning and dropped the rest, all "ok": "2024" alone (then the 1st of
    # the month they were read in) ...
    "2024년 6월 19일 08:30", "2024년 06월 19일 23:30:00",
    "1718753400",  # ... day 187 of 2017 in Unix seconds (2024-06-19 23:30 UTC), 2017-07-06 ...
    "2024-06-19 오후 11:30:00",  # ... and the day without its afternoon time, 00:00
    "2024",  # a number, no day: it was 2024-01-01
    "2024-06",  # a month names no day: it was June 1st
    "2024-171",  # nor did feedparser read the ordinal day 171 right: 2025-05-01
])
def test_a_date_whose_text_goes_on_past_what_feedparser_read_is_unparseable(written):
    assert read_by_feed_and_import(written) == [(None, "unparseable")] * 2


@pytest.mark.parametrize(("written", "expected"), [
    # Read as UTC, all "ok": nine hours off, three, eleven
    ("Thu, 20 Jun 2024 00:30:00 KST", datetime(2024, 6, 19, 15, 30, tzinfo=UTC)),
    ("Thu, 20 Jun 2024 00:30:00 MSK", datetime(2024, 6, 19, 21, 30, tzinfo=UTC)),
    ("Thu, 20 Jun 2024 00:30 aedt", datetime(2024, 6, 19, 13, 30, tzinfo=UTC)),
    ("2024-06-19T08:30:00 KST", datetime(2024, 6, 18, 23, 30, tzinfo=UTC)),  # after ISO 8601 too (it was 08:30)
    ("2024-06-19 08:30 KST", datetime(2024, 6, 18, 23, 30, tzinfo=UTC)),  # it was the day alone, 00:00
])
def test_a_zone_written_by_its_name_is_read_from_the_table(written, expected):
    assert read_by_feed_and_import(written) == [(expected, "ok")] * 2


@pytest.mark.parametrize("written", [
    "Thu, 20 Jun 2024 00:30:00 XYZ",  # no zone: it was read as UTC, "ok"
    "Thu, 20 Jun 2024 00:30:00 IST",  # India's, Ireland's or Israel's?
    "Sat, Dec 16 2023 02:02:33 PM",  # NBC New York's (../shared/data/feeds/real): it was 02:02 UTC, twelve hours off
    "Thu, 20 Jun 2024 00:30:00 +0000 KST",  # a zone the name contradicts: it was the offset's, the name ignored
])
def test_a_word_after_the_time_that_names_no_zone_of_the_table_leaves_the_date_unparseable(written):
    assert read_by_feed_and_import(written) == [(None, "unparseable")] * 2


@pytest.mark.parametrize(("dates", "written"), [
    ("<published>2026-07-25T10:00:00+09:00</published><updated>2026-07-27T14:21:32Z</updated>",
     "2026-07-25T10:00:00+09:00"),
    ("<published>sometime last week</published><updated>2026-07-27T14:21:32Z</updated>", "2026-07-27T14:21:32Z"),
    ("<published>19/06/2024</published><updated>never</updated>", "19/06/2024"),  # unread: the first unread one
    ("<published>2100-01-01T00:00:00Z</published>", "2100-01-01T00:00:00Z"),  # future: the date it claims
    ("<published> </published>", None),
    ("", None),
])
def test_an_entry_keeps_the_text_its_date_was_read_from(dates, written):
    [entry] = parse_feed(atom_entry(dates), BASE, NOW).entries
    assert entry.published_as_written == written


@pytest.mark.parametrize("written", ["2024년 6월 19일 08:30", "Wed, 19 Jun 2024 08:30:00 KST", "1718753400"])
def test_feeds_and_archives_keep_the_date_as_written(written):
    [entry] = parse_feed(rss(item("g1", "https://example.org/a", pub=written)), BASE, NOW).entries
    record = article_from_record({"id": "r1", "title": "A", "url": "https://example.org/a", "published": written},
                                 BASE, NOW)
    assert entry.published_as_written == record.published_as_written == written


def test_a_date_as_written_is_one_line_without_controls_and_cut_short():
    """Feed text, shown on the Articles page and printed by export: no bidi override to reorder it, no line break
    or escape, and no more than a date's length whatever the feed sends."""
    hostile = "\u202e19/06/2024\t\n&#x1b;[31m " + "9" * 5000
    [entry] = parse_feed(rss(item("g1", "https://example.org/a", pub=hostile)), BASE, NOW).entries
    assert entry.date_quality == "unparseable"
    assert entry.published_as_written == ("19/06/2024 [31m " + "9" * 5000)[:MAX_DATE_CHARS]


def test_the_names_of_rfc_822_are_read_as_email_utils_reads_them():
    """The table holds RFC 822's names too, the one list of what is read: CST is US Central (-06:00), not China's."""
    offsets = dates.zone_offsets()
    for name in ("UT", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"):
        written = f"Thu, 20 Jun 2024 00:30:00 {name}"
        assert name in offsets and read_by_feed_and_import(written) == [(parsedate_to_datetime(written), "ok")] * 2


@pytest.mark.parametrize(("text", "problem"), [
    ("", "needs an \\[offsets\\] table"),
    ("[offsets]\nKST = '+09:00'\n[names]\nKST = 'Korea'", "and no other key"),
    ("[offsets]\nkst = '+09:00'", "offsets.kst = '\\+09:00': needs a name of 1 to 5 capital letters"),
    ("[offsets]\nKST = '+0900'", "needs a name"),
    ("[offsets]\nKST = 9", "needs a name"),
    ("[offsets]\nXST = '+15:00'", "offsets.XST = '\\+15:00': no place has it"),
    ("[offsets]\nXST = '+05:60'", "no place has it"),
    ("[offsets]\nKST = '+09:00", "time_zones.toml: "),
    ("[offsets]\nKST = = '+09:00'", "time_zones.toml:2:7: Invalid value"),  # where, as a compiler says
    ("[offsets]\n", "needs an \\[offsets\\] table"),  # an empty one: every named zone would be unreadable
])
def test_a_malformed_time_zone_table_is_refused_with_its_reason(tmp_path, text, problem):
    path = tmp_path / "time_zones.toml"
    path.write_text(text)
    with pytest.raises(dates.TimeZoneSeedError, match=problem):
        dates.zone_offsets(path)


def test_the_zones_at_the_ends_of_the_earth_are_accepted_in_the_table(tmp_path):
    path = tmp_path / "time_zones.toml"
    path.write_text("[offsets]\nLINT = '+14:00'\nBIT = '-12:00'")
    assert dates.zone_offsets(path) == {"LINT": timezone(timedelta(hours=14)), "BIT": timezone(timedelta(hours=-12))}

def test_keys_use_guid_when_unique_else_link_else_title_hash():
    body = rss(
        item("dup", "https://example.org/a?utm_source=x", "A"),
        item("dup", "https://example.org/b", "B"),
        item(None, None, "No guid, no link", "Mon, 27 Jul 2026 12:00:00 GMT"),
        item("solo", "https://example.org/c", "C"),
    )
    keys = [entry.key for entry in parse_feed(body, BASE, NOW).entries]
    assert keys[:2] == ["url:https://example.org/a", "url:https://example.org/b"]
    assert keys[2].startswith("hash:")
    assert keys[3] == "guid:solo"
    assert parse_feed(body, BASE, NOW).entries[2].key == keys[2]  # stable across parses


def test_stories_of_a_single_page_site_keep_their_routes():
    body = rss(item(None, "https://example.org/#/news/1", "Story one"), item(None, "https://example.org/#!/news/2",
                                                                            "Story two"))
    assert [(entry.key, entry.title) for entry in parse_feed(body, BASE, NOW).entries] == [
        ("url:https://example.org/#/news/1", "Story one"), ("url:https://example.org/#!/news/2", "Story two")]


def test_relative_guid_is_not_resolved_against_the_feed_url():
    [entry] = parse_feed(rss(item("12345", "https://example.org/a")), BASE, NOW).entries
    assert entry.guid == "12345"


def test_link_key_mode_ignores_guids():
    [entry] = parse_feed(rss(item("g1", "https://example.org/a")), BASE, NOW, key_mode="link").entries
    assert (entry.key, entry.guid) == ("url:https://example.org/a", "g1")


def test_entries_repeating_an_earlier_ones_guid_and_link_are_dropped_and_counted():
    """A live blog's updates under one GUID and one link: the first is read, and the fetch said nothing of the rest
    (an outside audit). A GUID repeated over other links keys each entry by its link: none is dropped."""
    live = [item("live", "https://example.org/live", title=f"Update {n}") for n in range(4)]
    parsed = parse_feed(rss(*live, item("g2", "https://example.org/a"), item("g2", "https://example.org/b")), BASE, NOW)
    assert parsed.entries[0].title == "Update 0"
    assert [entry.url for entry in parsed.entries] == ["https://example.org/live", "https://example.org/a",
                                                       "https://example.org/b"]
    assert parsed.bozo_reason == ("3 entries dropped as repeats of an earlier one (the same GUID and link, link, or "
                                  "title and date): the first read")


def test_entries_are_capped_and_the_cut_is_recorded():
    body = rss(*(item(f"g{n}", title=f"t{n}") for n in range(MAX_ENTRIES + 50)))
    parsed = parse_feed(body, BASE, NOW)
    assert [entry.guid for entry in parsed.entries] == [f"g{n}" for n in range(MAX_ENTRIES)]  # undated: the first
    assert parsed.bozo_reason == f"50 entries dropped: the first {MAX_ENTRIES} read"


@pytest.mark.parametrize("oldest_first", [True, False])
def test_a_long_document_keeps_its_newest_entries_in_whichever_order_it_lists_them(oldest_first):
    """An archive listing its oldest item first, past the cap, lost every new item at every poll: the cut kept the
    first 5,000 (an outside audit). Undated entries count as the oldest; those kept stay in document order."""
    start = datetime(2020, 1, 1, tzinfo=UTC)
    days = [start + timedelta(hours=n) for n in range(MAX_ENTRIES + 50)]
    listed = days if oldest_first else days[::-1]
    body = rss(item("undated"), *(item(f"g{day:%Y%m%d%H}", pub=format_datetime(day)) for day in listed))
    parsed = parse_feed(body, BASE, NOW)
    newest = sorted(days)[-MAX_ENTRIES:]
    assert [entry.guid for entry in parsed.entries] == [f"g{day:%Y%m%d%H}" for day in
                                                        (newest if oldest_first else newest[::-1])]
    assert parsed.bozo_reason == f"51 entries dropped: the newest {MAX_ENTRIES} read"


def test_fields_are_capped():
    [entry] = parse_feed(rss(item("g", title="w " * 5000, description="x " * 200_000)), BASE, NOW).entries
    assert len(entry.title) <= 1_000 and len(entry.text) <= 50_000


@pytest.mark.parametrize("body", [
    b"", b"\x00\xff\xfe garbage", b'{"version": "https://jsonfeed.org/version/1"}',
    b"<html><body>not a feed</body></html>", b"/etc/passwd", b"<!--", b"<?xml", b"<!DOCTYPE",
])
def test_garbage_never_raises(body):
    parsed = parse_feed(body, BASE, NOW)
    assert parsed.entries == ()
    assert parsed.error


def test_a_body_naming_a_local_file_is_not_opened(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss(item("leak", title="local secret")))
    assert parse_feed(str(secret).encode(), BASE, NOW).entries == ()


def test_undecodable_character_references_cost_one_character_not_the_feed():
    """A surrogate pair written as two references is one emoji; a lone surrogate or a code point past U+10FFFF
    is U+FFFD. Each once failed the whole document in feedparser ("surrogates not allowed")."""
    parsed = parse_fixture("char_refs.xml")
    assert parsed.error is None
    assert {guid: entry.title for guid, entry in by_guid(parsed).items()} == {
        "pair": "Seoul and Tokyo agree \U0001F600 a deal", "lone": "Lone \ufffd surrogate in Kyiv",
        "beyond": "Past the last code point \ufffd in Hanoi", "plain": "Ordinary \u00e9lan and \u2014 dash in Paris"}


def test_bidi_overrides_cannot_reorder_titles_or_links():
    """U+202E shows "gpj.exe" as "exe.jpg": dropped from text, percent-encoded in links (a direction mark stays)."""
    [entry] = parse_fixture("bidi_controls.xml").entries
    assert entry.title == "Invoice gpj.exe from Moscow"
    assert entry.url == "https://example.org/%E2%80%AEgpj.exe"
    assert entry.text == "Isolated text and a mark \u200f stay readable."


@pytest.mark.parametrize("written", ["https://example.org/a&#27;]0;owned&#7;b", "https://example.org/a\x1b]0;owned\x07b"])
def test_control_characters_never_reach_a_link(written):
    """A link is printed (`pactwatch alerts`) where a title's control characters are long gone: an escape in it set
    the terminal's title. feedparser's loose parser, reading on after the XML slip, and a well-formed C1 control
    (U+009B, CSI) gave them through; they are percent-encoded like the bidi controls, and a host with one is no link."""
    body = rss(item("g0", written), item("g1", "https://exa&#27;mple.org/a"))
    urls = {entry.guid: entry.url for entry in parse_feed(body, BASE, NOW).entries}
    assert urls == {"g0": "https://example.org/a%1B]0;owned%07b", "g1": None}
    atom = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            b'<entry><id>g0</id><title>A</title><link href="https://example.org/a&#x9b;31m"/></entry></feed>')
    assert [entry.url for entry in parse_feed(atom, BASE, NOW).entries] == ["https://example.org/a%C2%9B31m"]


def test_text_encoded_twice_upstream_is_repaired():
    """UTF-8 read as windows-1252 or Latin-1 before it reached the feed ("Indiaâ€™s", "ÐœÐ¾Ñ\x81ÐºÐ²Ðµ"): 224 titles
    and summaries of 22 captured feeds (Japan Today, Yandex, FAZ, Le Monde, ...) showed it, and the tagger found no India in "Indiaâ€™s" ("â" continues the word)
    and no Moscow at all. Text with real accents, guillemets and Cyrillic is left as it is."""
    from pipeline.seeds import load_tagger

    parsed = parse_fixture("mojibake.xml")
    entries = by_guid(parsed)
    assert parsed.title == "Zürich Nachrichten"
    assert entries["m1"].title == "Pakistan’s army chief rejects India’s claim – “no strikes”"
    assert entries["m1"].text == "Gespräche über Öl in Österreich"
    assert (entries["m2"].title, entries["m2"].text) == ("В Москве открылся саммит", "Россия и Китай подписали соглашение.")
    assert (entries["ok"].title, entries["ok"].text) == ("Café «Le Monde» à Paris — €5, naïve Ægir",
                                                         "Москва и Пекин. Straße, São Paulo, İstanbul.")
    tagger = load_tagger()
    assert tagger.tag(entries["m1"].title, "").countries == ("IND", "PAK")
    assert tagger.tag(entries["m2"].title, entries["m2"].text, language="ru").countries == ("CHN", "RUS")


@pytest.mark.parametrize("written, read", [
    ("26-FEB-1987 15:01:01.79", datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC)),  # Reuters-21578's own
    ("26-Feb-1987", datetime(1987, 2, 26, tzinfo=UTC)),  # its "-1987" is no zone: no time before it
    ("May 1, 2024", datetime(2024, 5, 1, tzinfo=UTC)), ("1 May 2024", datetime(2024, 5, 1, tzinfo=UTC)),
    ("01 May 2024", datetime(2024, 5, 1, tzinfo=UTC)),
    ("2024-05-01T09:18:02 UTC", datetime(2024, 5, 1, 9, 18, 2, tzinfo=UTC)),
    ("2024-05-01T09:18:02+02:00 UTC", None), ("01/05/2024", None),  # two zones; day or month first?
])
def test_archive_dates_with_the_month_in_words_are_read_and_ambiguous_ones_are_not(written, read):
    assert normalize_date(written, None, NOW)[0] == read


@pytest.mark.parametrize(("written", "expected", "quality"), [
    ("2026-11-29T12:00:00Z", datetime(2026, 11, 29, 12, tzinfo=UTC), "ok"),  # a day ahead of NOW: still clock skew
    ("2026-11-29T13:00:00Z", datetime(2026, 11, 29, 13, tzinfo=UTC), "future"),
    ("1900-01-01T00:00:00Z", datetime(1900, 1, 1, tzinfo=UTC), "ok"),  # the earliest plausible date is one
    ("Mon, 01 Jan 1900 12:00:00 GMT", datetime(1900, 1, 1, 12, tzinfo=UTC), "ok"),
    ("2024-06-19T08:30:00-12:00", datetime(2024, 6, 19, 20, 30, tzinfo=UTC), "ok"),  # Baker Island's zone
    ("2024-06-19T08:30:00-12:01", datetime(2024, 6, 19, 8, 30, tzinfo=UTC), "ok"),  # no place's: read as no zone
    ("2024-06-01T12:00:00z", datetime(2024, 6, 1, 12, tzinfo=UTC), "ok"),  # without feedparser's reading
    ("   ", None, "missing"),
])
def test_each_date_limit_holds_at_its_edge(written, expected, quality):
    """The module docstring's limits (a day ahead, 1900, UTC-12:00) are inclusive; a mutation test found each tested
    only far from its edge, and the record path (no feedparser struct) untested for a lower-case "z"."""
    assert normalize_date(written, None, NOW) == (expected, quality)


def test_a_date_in_another_zone_is_filed_on_its_utc_day():
    tokyo = timezone(timedelta(hours=9))
    assert dates.filing_date(datetime(2026, 12, 1, 1, 0, tzinfo=tokyo), "ok", NOW + timedelta(days=3)) == date(2026, 11, 30)


def plain_iso_dates() -> list[str]:
    """Dates of the plain ISO 8601 form, with every field at and past its bounds: years before 1900 and Unix time 0,
    month 13, day 32, hour 24, a leap second, fractions, zones no place has."""
    days = ["-".join(fields) for fields in product(["0001", "1899", "1900", "1970", "2024", "2026", "9999"],
                                                    ["00", "01", "02", "12", "13"], ["00", "01", "28", "29", "31", "32"])]
    times = ["T00:00:00", "T23:59:59", "T24:00:00", "T23:59:60", "T12:60:00", "T12:00:00.5", "T12:00:00.123456"]
    zones = ["", "Z", "+00:00", "-00:00", "+14:00", "+14:01", "-12:00", "-12:01", "+05:30", "+05:75", "-23:59"]
    return days + [day + clock + zone for day in days for clock in times for zone in zones]


def test_plain_iso_dates_are_read_as_the_general_path_reads_them(monkeypatch):
    """The shortcut for the form most feeds write changes no date, quality or refusal: each one is read again with the
    shortcut matching nothing."""
    written = plain_iso_dates()
    shortcut = [normalize_date(text, None, NOW) for text in written]
    taken = sum(dates._read_plain_iso(text) is not None for text in written)
    monkeypatch.setattr(dates, "_PLAIN_ISO", re.compile(r"(?!)"))
    assert shortcut == [normalize_date(text, None, NOW) for text in written]
    assert taken > len(written) / 10 and {quality for _, quality in shortcut} == {"ok", "future", "unparseable"}

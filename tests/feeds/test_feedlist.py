"""Feed lists: the shipped seeds, TOML validation, OPML import/export round trips."""
from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.feeds.feedlist import (OPML_NS, SEED_FEEDS, FeedListError, export_opml, load_feed_list,
                                     parse_feed_list, parse_opml, parse_toml, settle_made_up_ids)
from pipeline.feeds.models import FeedSpec
from tests.feeds.conftest import FIXTURES

SPEC = FeedSpec("bbc-world", "https://feeds.bbci.co.uk/news/world/rss.xml", "BBC – World \"quoted\" & <b>",
                "BBC", "GBR", "en", 1, ("broadcaster", "world"), True)
BARE = FeedSpec("imported", "https://example.org/feed", "imported", "imported", None, None, 2, (), False)


def test_seed_feeds_are_valid():
    specs = load_feed_list()
    assert len(specs) >= 40
    assert all(spec.url.startswith(("http://", "https://")) for spec in specs)
    assert {"GBR", "QAT", "DEU", "FRA", "JPN", "KOR", "RUS", "UKR", "HKG", "IND", "PAK"} <= \
        {spec.outlet_country for spec in specs}


def test_round_trip():
    specs = [SPEC, BARE]
    assert parse_feed_list(export_opml(specs)[0].encode()) == specs


def test_seed_round_trip_through_opml():
    specs = load_feed_list(SEED_FEEDS)
    assert parse_opml(export_opml(specs)[0].encode()) == specs


def test_local_feeds_are_left_out_of_opml_which_may_not_carry_them():
    """OPML import refuses file: URLs, so an export holding an import's or a replay's feed could not be read back."""
    local = replace(BARE, feed_id="import-archive", url="file:///srv/archive.jsonl")
    document, left_out = export_opml([SPEC, local, BARE])
    assert left_out == [local] and parse_opml(document.encode()) == [SPEC, BARE]


def test_a_name_stored_with_a_control_character_is_exported_as_xml_that_imports():
    """Names stored before they were checked: the document held \\x01, and no parser read it."""
    document, _ = export_opml([replace(SPEC, name="ev\x01il", outlet="A\x0bB")])
    spec, = parse_opml(document.encode())
    assert (spec.name, spec.outlet) == ("ev\ufffdil", "A\ufffdB")


def test_a_title_over_lines_imports_as_one_line():
    """A tab or line break is a control character, which a name may no longer hold: another reader's title written
    over two lines is read as one rather than refusing the file."""
    opml = (f'<opml xmlns:pactwatch="{OPML_NS}"><body><outline text="Yonhap&#10;  North Korea&#9;news" '
            'pactwatch:outlet="Yonhap&#13;&#10;News" xmlUrl="https://en.yna.co.kr/RSS/nk.xml"/></body></opml>')
    spec, = parse_opml(opml.encode())
    assert (spec.name, spec.outlet) == ("Yonhap North Korea news", "Yonhap News")


def test_an_opml_title_or_outlet_loses_its_c1_and_bidi_controls():
    """Only C0 and DEL were taken out: a title holding U+009B (a terminal's CSI) or a bidi override became a feed's
    name or outlet as written, and `feeds list --json` printed it."""
    opml = (f'<opml xmlns:pactwatch="{OPML_NS}"><body><outline text="Yonhap&#x9b;2J News&#x85;" '
            'pactwatch:outlet="&#x202e;Yonhap&#x2069;" xmlUrl="https://en.yna.co.kr/RSS/nk.xml"/></body></opml>')
    spec, = parse_opml(opml.encode())
    assert (spec.name, spec.outlet) == ("Yonhap 2J News", "Yonhap")


def test_load_detects_opml_by_content(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text(export_opml([SPEC])[0], encoding="utf-8")
    assert load_feed_list(path) == [SPEC]


def test_foreign_opml_folders_become_tags_and_ids_are_derived():
    text = """<?xml version="1.0"?>
<opml version="1.0"><head><title>My reader</title></head><body>
  <outline text="World News">
    <outline text="Al Jazeera" type="rss" xmlUrl="https://www.aljazeera.com/xml/rss/all.xml"/>
    <outline title="Al Jazeera" text="dup name" type="rss" xmlUrl="https://www.aljazeera.com/xml/rss/other.xml"/>
  </outline>
  <outline type="rss" xmlUrl="https://example.org/rss"/>
</body></opml>"""
    specs = parse_opml(text.encode())
    assert [spec.feed_id for spec in specs] == ["al-jazeera", "al-jazeera-2", "example-org-rss"]
    assert specs[0].tags == ("world-news",) and specs[2].tags == ()
    assert specs[0].outlet_country is None and specs[0].enabled and specs[0].tier == 2


@pytest.mark.parametrize(("title", "url", "feed_id"), [
    ("Лента.ру", "https://lenta.ru/rss/news", "lenta-ru-rss-news"),
    ("人民网 时政", "http://www.people.com.cn/rss/politics.xml", "www-people-com-cn-rss-politics-xml"),
])
def test_a_title_without_latin_letters_takes_its_id_from_the_url(title, url, feed_id):
    """Its slug was empty, and "id must be lower-case letters…" refused the whole file."""
    spec, = parse_opml(f'<opml><body><outline text="{title}" xmlUrl="{url}"/></body></opml>'.encode())
    assert (spec.feed_id, spec.name) == (feed_id, title)


def test_a_folder_name_longer_than_a_tag_makes_a_tag_cut_to_fit():
    """Its 45-character slug failed tag validation, and the whole file was refused."""
    opml = ('<opml><body><outline text="Sanctions, export controls and alliances: daily">'
            '<outline text="A" xmlUrl="https://a.example/rss"/></outline></body></opml>')
    spec, = parse_opml(opml.encode())
    assert spec.tags == ("sanctions-export-controls-and-alliances",)  # cut at 40, on a hyphen, which goes


@pytest.mark.parametrize("outline", [
    '<outline text="NK News" xmlurl="https://www.nknews.org/feed/"/>',
    '<outline TEXT="NK News" XMLURL="https://www.nknews.org/feed/"/>',
    '<outline text="NK News" type="rss" url="https://www.nknews.org/feed/"/>',
    '<outline text="NK News" type="Atom" URL="https://www.nknews.org/feed/"/>',
])
def test_other_readers_spellings_of_the_feed_url_are_read(outline):
    """Each was taken for an empty folder and skipped in silence ("imported 1 feeds" of 4)."""
    spec, = parse_opml(f"<opml><body>{outline}</body></opml>".encode())
    assert (spec.url, spec.name) == ("https://www.nknews.org/feed/", "NK News")


def test_a_url_on_an_outline_of_another_type_is_a_web_link_not_a_feed():
    opml = '<opml><body><outline text="NK News site" type="link" url="https://www.nknews.org/"/></body></opml>'
    assert parse_opml(opml.encode()) == []


def test_an_id_the_file_states_is_kept_and_a_made_up_one_yields_to_it():
    """The made-up "al-jazeera" came first and pushed the stated id to "al-jazeera-2", which would then refresh
    another feed (or add one) while the file named the stored "al-jazeera"."""
    opml = (f'<opml xmlns:pactwatch="{OPML_NS}"><body><outline text="Al Jazeera" xmlUrl="https://a.example/rss"/>'
            '<outline pactwatch:id="al-jazeera" xmlUrl="https://www.aljazeera.com/xml/rss/all.xml"/></body></opml>')
    assert [spec.feed_id for spec in parse_opml(opml.encode())] == ["al-jazeera-2", "al-jazeera"]


STORED = {"bbc-world": "https://feeds.bbci.co.uk/news/world/rss.xml", "nk-news": "https://www.nknews.org/feed/",
          "le-monde-dition": "https://www.lemonde.fr/rss/une.xml"}


@pytest.mark.parametrize(("outline", "feed_id"), [
    # another feed under a stored feed's title: it took that feed's id, and replaced its URL and name
    ('text="BBC World" xmlUrl="https://www.bbc.com/news/world/rss.xml"', "bbc-world-2"),
    # the stored feed itself (canonically the same URL): it refreshes it, as before
    ('text="NK News" xmlUrl="https://WWW.nknews.org/feed/?utm_source=reader"', "nk-news"),
    # the stored feed under another title: it refreshes it rather than polling its URL twice
    ('text="NK News – All" xmlUrl="https://www.nknews.org/feed/"', "nk-news"),
    ('text="Yonhap" xmlUrl="https://en.yna.co.kr/RSS/nk.xml"', "yonhap"),
    # imported before accents were kept as letters (`le-monde-dition`): the stored feed keeps its id
    ('text="Le Monde édition" xmlUrl="https://www.lemonde.fr/rss/une.xml"', "le-monde-dition"),
    # an id the file states is the feed it refreshes, whatever its URL
    ('pactwatch:id="bbc-world" text="BBC World" xmlUrl="https://www.bbc.com/news/world/rss.xml"', "bbc-world"),
])
def test_a_made_up_id_takes_no_stored_feeds_id_unless_it_is_that_feed(outline, feed_id):
    opml = f'<opml xmlns:pactwatch="{OPML_NS}"><body><outline {outline}/></body></opml>'
    spec, = settle_made_up_ids(parse_opml(opml.encode()), STORED)
    assert spec.feed_id == feed_id


def test_a_stated_id_keeps_its_stored_feed_from_a_made_up_one_of_the_same_url():
    """The list moves "nk-news" to a new URL and lists the old one apart: that one is a new feed."""
    opml = (f'<opml xmlns:pactwatch="{OPML_NS}"><body>'
            '<outline pactwatch:id="nk-news" text="NK News" xmlUrl="https://www.nknews.org/rss/all"/>'
            '<outline text="NK News (old)" xmlUrl="https://www.nknews.org/feed/"/></body></opml>')
    assert [spec.feed_id for spec in settle_made_up_ids(parse_opml(opml.encode()), STORED)] == [
        "nk-news", "nk-news-old"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_opml_with_entities_is_refused(encoding):
    bomb = (FIXTURES / "bomb_billion_laughs.xml").read_text().replace("<rss", "<opml").replace("</rss>", "</opml>")
    with pytest.raises(FeedListError, match="refused OPML"):
        parse_feed_list(bomb.encode(encoding))


@pytest.mark.parametrize("name", ["opml_iso_8859_1.opml", "opml_utf16_bom.opml", "opml_utf8_declaring_latin1.opml"])
def test_opml_in_any_encoding_is_read_as_written(name):
    """The first two failed ("'utf-8' codec can't decode"); the last, UTF-8 under a reader's ISO-8859-1 declaration,
    imported as "Le Monde Ã©dition"."""
    spec, = load_feed_list(FIXTURES / name)
    assert spec.name == "Le Monde édition"
    assert spec.feed_id == "le-monde-edition", "an accented letter keeps its base letter in the made-up id"


@pytest.mark.parametrize("encoding", ["Shift_JIS", "x-no-such-charset"])
def test_opml_in_an_encoding_the_parser_cannot_read_is_a_clear_error(encoding):
    """A ValueError ("multi-byte encodings are not supported") or LookupError, not a FeedListError: a traceback."""
    opml = f'<?xml version="1.0" encoding="{encoding}"?><opml><body/></opml>'
    with pytest.raises(FeedListError, match="OPML in an encoding that cannot be read .*; save it as UTF-8"):
        parse_feed_list(opml.encode())


def test_a_toml_list_must_be_utf8(tmp_path):
    path = tmp_path / "feeds.toml"
    path.write_bytes('[[feed]]\nid = "a"\nurl = "https://a.example/rss"\nname = "Édition"\n'.encode("latin-1"))
    with pytest.raises(FeedListError, match="not UTF-8, as a TOML feed list must be"):
        load_feed_list(path)


@pytest.mark.parametrize("url", ["file:///etc/hostname", " FILE:///home/me/secret.xml", "fi&#9;le:///tmp/x.xml",
                                 "file&#10;:///tmp/x.xml"])
def test_opml_from_elsewhere_cannot_point_ingest_at_local_files(url):
    opml = ('<opml version="2.0"><body><outline text="innocent news" xmlUrl="https://news.example.org/rss"/>'
            f'<outline text="also innocent" xmlUrl="{url}"/></body></opml>')
    with pytest.raises(FeedListError, match=r"feed #2 \('also-innocent'\): url must be an absolute http\(s\) URL \(a "
                                            "file: URL would read a local file"):
        parse_opml(opml.encode())


def test_an_opml_files_problems_are_named_all_at_once():
    """`feeds check x.opml` named its first problem only (a file: URL), where a TOML list's check names them all."""
    opml = ('<opml version="2.0" xmlns:pactwatch="urn:pactwatch:opml:1"><body>'
            '<outline text="a" xmlUrl="file:///etc/hostname"/>'
            '<outline text="b" xmlUrl="https://b.example/rss" pactwatch:country="XXX"/></body></opml>')
    with pytest.raises(FeedListError) as raised:
        parse_opml(opml.encode())
    assert [line.split(": ", 1)[1] for line in str(raised.value).splitlines()] == [
        "feed #1 ('a'): url must be an absolute http(s) URL (a file: URL would read a local file: list local feeds in a "
        "feeds TOML), got 'file:///etc/hostname'",
        "feed #2 ('b'): outlet_country must be the ISO 3166-1 alpha-3 code of a country PactWatch tags, such as 'GBR', "
        "got 'XXX'"]


def test_toml_errors_are_all_reported_clearly():
    text = """
[[feed]]
id = "Bad Id"
url = "javascript:alert(1)"
outlet_country = "UK"
tier = 7
contry = "GBR"

[[feed]]
id = "ok"
url = "https://example.org/a"

[[feed]]
id = "ok"
url = "https://EXAMPLE.org/a#x"
"""
    with pytest.raises(FeedListError) as raised:
        parse_toml(text, "feeds.toml")
    message = str(raised.value)
    for expected in ("feeds.toml:2: feed #1 ('Bad Id'): unknown field 'contry'", "id must be lower-case",
                     "url must be an absolute http(s) or file URL", "outlet_country must be the ISO 3166-1 alpha-3 code",
                     "tier must be 1, 2 or 3", "feeds.toml:13: feed #3 ('ok'): duplicate id 'ok'", "duplicate url"):
        assert expected in message


@pytest.mark.parametrize(("text", "message"), [
    ("[[feed]]\nurl = 'https://e.org'\n", "missing required field 'id'"),
    ("[[feed]\n", "not valid TOML"),
    ('[[feed]]\nid = "a"\nurl = = "https://e.org"\n', "<feed list>:3:7: not valid TOML: Invalid value"),
    ("title = 'x'\n", "expected only [[feed]] tables"),
    ("<opml><body><outline", "not valid OPML/XML"),
    ("<rss/>", "not an OPML document"),
    # a final newline is no part of a valid value (`$` would let it through, into logfmt lines and filters)
    ('[[feed]]\nid = "bbc\\n"\nurl = "https://e.org"\n', "id must be lower-case"),
    ('[[feed]]\nid = "bbc"\nurl = "https://e.org"\noutlet_country = "GBR\\n"\n', "outlet_country must be the ISO"),
    ('[[feed]]\nid = "bbc"\nurl = "https://e.org"\ntags = ["world\\n"]\n', "tags must be a list"),
    # shaped like a code, but no country's: the outlet would be filed under a country no tag or filter knows
    ('[[feed]]\nid = "bbc"\nurl = "https://e.org"\noutlet_country = "XXX"\n', "outlet_country must be the ISO"),
    ('<opml xmlns:pactwatch="urn:pactwatch:opml:1"><body><outline xmlUrl="https://e.org" pactwatch:country="GBX"/>'
     '</body></opml>', "outlet_country must be the ISO"),
    ('[[feed]]\nid = "bbc"\nurl = "https://e.org"\nlanguage = "en\\n"\n', "language must be a language tag"),
    # a control character in a name: export-opml wrote it into XML, which cannot carry it
    ('[[feed]]\nid = "bbc"\nurl = "https://e.org"\nname = "ev\\u0001il"\n', "name must be a non-empty string without"),
    ('[[feed]]\nid = "bbc"\nurl = "https://e.org"\noutlet = "BBC\\tWorld"\n', "outlet must be a non-empty string without"),
    # a C1 control (U+009B is a terminal's CSI) or a bidi override: stored, `feeds list --json` printed it
    ('[[feed]]\nid = "bbc"\nurl = "https://e.org"\nname = "ev\\u009b2Jil"\n', "name must be a non-empty string without"),
    ('[[feed]]\nid = "bbc"\nurl = "https://e.org"\noutlet = "\\u202eCBB"\n', "outlet must be a non-empty string without"),
    # a digit to str.isdigit(), not to int(): "ValueError: invalid literal for int()"
    (f'<opml xmlns:pactwatch="{OPML_NS}"><body><outline xmlUrl="https://e.org" pactwatch:tier="²"/></body></opml>',
     "tier must be 1, 2 or 3, got '²'"),
    # an id stated twice: the second was renamed "a-2" in silence
    (f'<opml xmlns:pactwatch="{OPML_NS}"><body><outline pactwatch:id="a" xmlUrl="https://a.example/rss"/>'
     '<outline pactwatch:id="a" xmlUrl="https://a.example/atom"/></body></opml>', "duplicate id 'a'"),
    # folders in folders, each a level of recursion: RecursionError
    ('<opml><body>' + '<outline text="f">' * 3000 + '<outline xmlUrl="https://e.org"/>' + '</outline>' * 3000
     + '</body></opml>', "outlines nested more than 50 deep"),
])
def test_invalid_lists(text, message):
    with pytest.raises(FeedListError, match=message.replace("[", r"\[")):
        parse_feed_list(text.encode())


def test_missing_file(tmp_path):
    with pytest.raises(FeedListError, match="cannot read"):
        load_feed_list(tmp_path / "nope.toml")


def _fifo(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "feeds.opml")
    return tmp_path / "feeds.opml"


@pytest.mark.parametrize("special_file", [_fifo, lambda tmp_path: Path("/dev/zero")], ids=["fifo", "device"])
def test_only_a_regular_file_is_read(tmp_path, special_file):
    """`feeds import-opml /dev/zero` grew memory until MemoryError, and a FIFO blocked until something wrote to it
    (here: until the suite's timeout)."""
    with pytest.raises(FeedListError, match="not a regular file"):
        load_feed_list(special_file(tmp_path))


def test_a_file_past_the_size_cap_is_refused(tmp_path):
    path = tmp_path / "feeds.toml"
    with path.open("wb") as sparse:
        sparse.truncate(65 << 20)  # past the 64 MiB cap, on disk as good as nothing
    with pytest.raises(FeedListError, match="larger than 67,108,864 bytes"):
        load_feed_list(path)


@pytest.mark.parametrize("url", ["http://a.example/\nfeed", "http://exa mple.org/feed", "http://a.example/f\x00",
                                 "http://a.example:99999/feed", "https://a.example:0x50/feed", "fi\tle:///tmp/x.xml",
                                 "file:///tmp/x\x01.xml", "https://a.example/\x9b2Jfeed",
                                 "https://a.example/\u202elmx.feed"])
def test_a_url_no_request_can_be_made_to_is_refused_when_listed(url):
    """Listed, such a URL was only refused at every poll, as an 'internal error' ('\\n': httpx's InvalidURL) or a
    port out of range: `feeds add` said 'added'. A file: URL with a control character was accepted too."""
    with pytest.raises(FeedListError, match="url must be an absolute http"):
        parse_toml(f'[[feed]]\nid = "a"\nurl = {json.dumps(url)}\n')


@pytest.mark.parametrize("url", ["http://a.example/news feed.xml", "https://a.example/rss?q=North Korea",
                                 "http://a.example/\u00a0rss"])
def test_a_space_in_the_path_or_query_is_listed(url):
    """httpx sends it percent-encoded and such feeds were polled fine; refusing it refused the whole list."""
    spec, = parse_toml(f'[[feed]]\nid = "a"\nurl = {json.dumps(url)}\n')
    assert spec.url == url

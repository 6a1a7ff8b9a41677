"""plain_text: markup in, readable plain text out."""
from __future__ import annotations

import pytest

import random
from html import unescape

import ftfy

from pipeline.feeds.text import (_MOJIBAKE_HINT, _is_html, _strip_tags, one_line_text, plain_text,
                                 plain_text_stripping_every_tag, plain_title, stored_text)
from pipeline.tagging.text import sentence_spans


@pytest.mark.parametrize(("markup", "expected"), [
    ("Growth < 2% & rising > expected", "Growth < 2% & rising > expected"),
    ("Q&A: AT&amp;T &#8212; &eacute;t&eacute;", "Q&A: AT&T — été"),
    ("<p>One</p><p>Two<br>Three</p>", "One\n\nTwo\n\nThree"),
    ("a<script>var x = '<p>';</script>b<style>p {}</style>c", "abc"),
    ("<svg><text>drawn</text></svg>visible", "visible"),
    ("tab\tand\nnew  lines\u200b and\x00controls", "tab and new lines and controls"),
    ("", ""), (None, ""),
    # mojibake: UTF-8 read as windows-1252 (the ” shows its undefined byte 0x9D) or as Latin-1 (C1 controls)
    ("Indiaâ€™s claim â€“ â€œno strikesâ€\x9d", "India’s claim – “no strikes”"),
    ("&lt;b&gt;Ã–sterreich&lt;/b&gt; fÃ¼r", "<b>Österreich</b> für"),
    ("<p>ÐœÐ¾Ñ\x81ÐºÐ²Ð°</p>", "Москва"),
    ("Café «Le Monde» — €5, naïve Ægir, Москва, São Paulo", "Café «Le Monde» — €5, naïve Ægir, Москва, São Paulo"),
    # plain text is no markup: what it writes between "<" and ">" stays (Reuters' company names, a comparison)
    ("to <Sedio N.V.> of Lugano", "to <Sedio N.V.> of Lugano"),
    ("if a<b then Brazil", "if a<b then Brazil"),
    ("Sprint <S> and <A> rose, a<b c>d", "Sprint <S> and <A> rose, a<b c>d"),
    ("<i>Tickers</i> such as <S>", "Tickers such as"),  # HTML: what it does not close is no element either
    ("<p class=lead>Hello", "Hello"),
])
def test_plain_text(markup, expected):
    assert plain_text(markup, 1_000) == expected


@pytest.mark.parametrize(("markup", "expected"), [
    # HTML: its block elements part paragraphs, not its own blank lines (layout, which a browser shows as a space)
    ("<ul><li>Russia sends troops</li>\n<li>China warns Taiwan</li></ul>", "Russia sends troops\n\nChina warns Taiwan"),
    ("<h2>Asia</h2>Kim visits <b>Moscow</b>", "Asia\n\nKim visits Moscow"),
    ("<p>Russia\n\nand <i>China</i> met.</p>", "Russia and China met."),
    ("<div><p> </p><p>One</p>\n<br/><br/></div><table><tr><td>Two</td><td>Three</td></tr></table>",
     "One\n\nTwo\n\nThree"),
    # plain text: a blank line (of spaces, or Windows' line breaks) or U+2029 parts paragraphs; a line break wraps one
    ("Russia sends troops\nto the border\n \t\nChina warns Taiwan", "Russia sends troops to the border\n\nChina warns Taiwan"),
    ("One\r\n\r\n\r\nTwo\u2029Three\n", "One\n\nTwo\n\nThree"),
])
def test_paragraphs_are_kept_apart_by_a_blank_line(markup, expected):
    """Joined on one line, a list's two headlines were one sentence to the tagger, and a pair of countries."""
    assert plain_text(markup, 1_000) == expected
    assert stored_text(expected, 1_000) == expected  # an exported article imported again keeps them
    assert plain_title(markup, 1_000) == one_line_text(expected)  # a title stays on one line


def stored_before_0071(markup: str, limit: int) -> str:
    """What versions before migration 0071 stored of `markup`: a space at each block element's edge, mojibake repaired
    over the whole text, then on one line and cut."""
    if not markup:
        return ""
    markup = markup[:limit * 4]
    text = " ".join(_strip_tags(markup)) if _is_html(markup) else unescape(markup)
    return one_line_text(ftfy.fix_encoding(text) if _MOJIBAKE_HINT.search(text) else text)[:limit].rstrip()


@pytest.mark.parametrize(("markup", "limit", "before"), [
    # ftfy reads a garbled character at a paragraph's edge with the space after it (a quote's last byte lost)
    ("<p>Moscow said â€œpeaceâ€</p><p>Kyiv disagreed.</p>", 1_000, "Moscow said “peace† Kyiv disagreed."),
    ("<p>Ã</p> Ã©", 1_000, "à é"),
    ("â€</p>", 3, "†"),
    ("<p>ÐœÐ¾Ñ\x81ÐºÐ²Ð°</p><p>Ã–sterreich</p>", 1_000, "Москва Österreich"),
])
def test_garbled_text_at_a_paragraphs_edge_reads_on_one_line_as_before(markup, limit, before):
    """A review of 0071: repaired paragraph by paragraph, "peaceâ€" stayed garbled, and an article stored before
    (and an untitled entry's key) was another version of itself."""
    assert stored_before_0071(markup, limit) == before
    assert one_line_text(plain_text(markup, limit)) == plain_title(markup, limit) == before


def test_text_on_one_line_is_what_versions_before_paragraphs_stored_cut_included():
    """content_hash reads text on one line: for an article a version before migration 0071 stored (one line, cut at
    the limit) to be the same version polled again, that line must come back whatever the markup and the cut."""
    pieces = ["<p>", "</p>", "<li>", "<br>", "\n\n", "\n", " ", "\u2029", "Russia", "China", "a", "<b>", "&amp;", ".",
              "\r\n", "\t", "Ã", "©", "â€", "œ", "\x9d", "Ð", "\x81"]
    chooser = random.Random(71)
    for _ in range(5_000):
        markup = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 14)))
        limit = chooser.randint(1, 40)
        as_stored = plain_text(markup, limit)
        before = stored_before_0071(markup, limit)
        assert one_line_text(as_stored) == plain_title(markup, limit) == before, (markup, limit)
        assert "\n\n\n" not in as_stored and as_stored == as_stored.strip()
        assert stored_text(as_stored, limit) == as_stored


def test_plain_text_parts_paragraphs_where_the_tagger_reads_them_in_text_given_as_it_is():
    """`import` stores an archive's text in paragraphs and `retag` reads them; `tag` reads the same text as given: both
    must find its sentences alike, or the warehouse and a user's own tagging of one archive would pair countries apart
    (a wire story's paragraphs are a line break and an indent; "\r\n" and "\n\r" are one break each)."""
    pieces = ["Russia", "China", "Mr", ".", " ", "  ", "\t", "\n", "\r", "\r\n", "\n\r", "\v", "\f", "\u2029",
              "\u2028", "\x85", "said", "The"]
    chooser = random.Random(2029)
    for _ in range(5_000):
        text = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 16)))
        stored = plain_text(text, 1_000)
        read = [one_line_text(text[start:end]) for start, end in sentence_spans(text)]
        assert [s for s in read if s] == [stored[start:end] for start, end in sentence_spans(stored)], repr(text)


def test_the_reading_of_versions_before_0055_stays_on_one_line():
    """import compares a record with what those versions stored, on one line."""
    assert plain_text_stripping_every_tag("<p>STANDARD OIL <SRD></p><p>said</p>", 100) == "STANDARD OIL said"


def test_plain_text_is_capped():
    assert plain_text("word " * 1_000, 20) == "word word word word"


@pytest.mark.parametrize("element", ["script", "style", "noscript", "template", "iframe", "object", "svg", "math",
                                     "head"])
def test_the_content_of_an_element_that_is_no_text_is_dropped(element):
    """Kept, a <noscript> or <iframe> fallback ("Please enable JavaScript…") would be stored as the article's text, and
    the tagger would read "Iran" in it (a mutation audit, stop 76: no test held the list)."""
    markup = f"<p>Sanctions eased.</p><{element}>Please enable JavaScript to read Iran news</{element}>"
    assert plain_text(markup, 1_000) == "Sanctions eased."


def test_a_byte_order_mark_inside_the_text_parts_words():
    """Left in, a U+FEFF between "Russia" and "China" would be stored unseen: one word, which neither a search nor the
    tagger would find as Russia or China."""
    assert plain_text("Russia\ufeffChina", 100) == "Russia China"


def test_a_stray_closing_script_tag_hides_nothing():
    """A </script> with none open must not hide every later word: a hostile feed could blank each article."""
    assert plain_text("</script>Iran and Russia signed a pact.", 1_000) == "Iran and Russia signed a pact."

"""plain_text: markup in, readable plain text out."""
from __future__ import annotations

import pytest

from pipeline.feeds.text import plain_text


@pytest.mark.parametrize(("markup", "expected"), [
    ("Growth < 2% & rising > expected", "Growth < 2% & rising > expected"),
    ("Q&A: AT&amp;T &#8212; &eacute;t&eacute;", "Q&A: AT&T — été"),
    ("<p>One</p><p>Two<br>Three</p>", "One Two Three"),
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

"""Canonical URLs and article keys."""
from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest

from pipeline.feeds.identity import (article_key, canonical_url, detect_unstable_guids, earlier_tracking_rules,
                                     earlier_url_keys, guid_keys_by_link, normalized_title, same_slug, same_story_text,
                                     tracking_generations, tracking_rules, url_key)
from pipeline.feeds.models import ParsedArticle
from pipeline.feeds.parse import parse_feed
from tests.feeds.conftest import NOW, assert_url_seed_refused, item, rss


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTPS://WWW.Example.COM/Path?b=2&a=1#frag", "https://www.example.com/Path?a=1&b=2"),
    ("http://example.com:80/x", "http://example.com/x"),
    ("https://example.com:443/x", "https://example.com/x"),
    ("https://example.com:8443/x", "https://example.com:8443/x"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x&id=7", "https://example.com/a?id=7"),
    ("https://example.com/a?fbclid=1&gclid=2&msclkid=3&mc_cid=4&id=7", "https://example.com/a?id=7"),
    ("https://www.bbc.com/news/articles/c1?at_campaign=rss&at_medium=RSS", "https://www.bbc.com/news/articles/c1"),
    ("https://www.dw.com/en/story/a-1?maca=en-rss-en-all-1573-rdf", "https://www.dw.com/en/story/a-1"),
    ("https://archive.is/newest/https://www.wsj.com/world/story-1?mod=rss", "https://www.wsj.com/world/story-1?mod=rss"),
    ("  https://example.com/a  ", "https://example.com/a"),
    ("https://example.com/a?q=", "https://example.com/a?q="),
    ("https://Example.com/#/news/1?utm_source=x", "https://example.com/#/news/1?utm_source=x"),  # a route
    ("https://example.com/?utm_source=x#!/news/1", "https://example.com/#!/news/1"),
    ("https://example.com/a#section-2", "https://example.com/a"),
    ("https://archive.fo/newest/https://e.org/a", "https://e.org/a"),  # each of the mirror's domains ...
    ("HTTPS://ARCHIVE.IS/newest/https://e.org/a", "https://e.org/a"),  # ... in any case
    ("https://example.com./a", "https://example.com/a"),  # a fully qualified host is the same host
    ("https://user@example.com/x", "https://user@example.com/x"),  # another user may see another page
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


# The parameters added after the first keys were stored, as the captured real feeds carry them (each its outlet's),
# and parameters of the same links or names that name the document, kept.
@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.lemonde.fr/international/article/2024/06/19/a_1.html?xtor=RSS-3208",
     "https://www.lemonde.fr/international/article/2024/06/19/a_1.html"),
    ("https://www.heise.de/news/Sanktionen-9876543.html?wt_mc=rss.red.ho.ho.atom.beitrag.beitrag",
     "https://www.heise.de/news/Sanktionen-9876543.html"),
    ("https://www.nytimes.com/2024/06/19/world/pact.html?emc=rss&partner=rss",
     "https://www.nytimes.com/2024/06/19/world/pact.html"),
    ("https://www.aljazeera.com/news/2024/6/19/pact?traffic_source=rss", "https://www.aljazeera.com/news/2024/6/19/pact"),
    ("https://derstandard.at/3000000123/sanktionen?ref=RSS", "https://derstandard.at/3000000123/sanktionen"),
    ("https://e.org/a?XTOR=x&Wt_Mc=y&EMC=z&Traffic_Source=w", "https://e.org/a"),  # names ignore case
    ("https://e.org/read?ref=42&partner=acme", "https://e.org/read?partner=acme&ref=42"),  # other values: kept
    ("https://e.org/?p=1609&id=7&story=3&article=9&page=2&xtor=RSS-1",
     "https://e.org/?article=9&id=7&p=1609&page=2&story=3"),
    ("https://feeds.washingtonpost.com/c/34656/f/636547/s/1/l/0/story01.htm?i=cc0c5fb0",
     "https://feeds.washingtonpost.com/c/34656/f/636547/s/1/l/0/story01.htm?i=cc0c5fb0"),
    ("http://www.reuters.com/article/us-example-story-idUSKBN00X0A0?feedType=RSS&feedName=worldNews",
     "http://www.reuters.com/article/us-example-story-idUSKBN00X0A0"),
    ("http://www.washingtonpost.com/lifestyle/wellness/a_story.html?wprss=rss_wellness",
     "http://www.washingtonpost.com/lifestyle/wellness/a_story.html"),
])
def test_canonical_url_drops_the_added_tracking_parameters_only(url, expected):
    assert canonical_url(url) == expected


def test_earlier_rules_keep_the_added_parameters():
    link = "https://www.nytimes.com/a.html?emc=rss&partner=rss&utm_source=x&wprss=rss_world"
    assert [canonical_url(link, rules) for rules in earlier_tracking_rules()] == [
        "https://www.nytimes.com/a.html?wprss=rss_world",
        "https://www.nytimes.com/a.html?emc=rss&partner=rss&wprss=rss_world"]


def test_the_bundled_tracking_list_is_what_canonical_url_drops():
    rules = tracking_rules()
    assert {"fbclid", "smid", "xtor"} <= rules.names and "utm_" in rules.prefixes and ("ref", "rss") in rules.values
    dropped = "&".join([*(f"{name}=1" for name in sorted(rules.names)), *(f"{prefix}x=1" for prefix in rules.prefixes),
                        *(f"{name}={value}" for name, value in sorted(rules.values))])
    assert canonical_url(f"https://example.com/a?{dropped}&id=7") == "https://example.com/a?id=7"


@pytest.mark.parametrize(("text", "problem"), [
    ("parameters = ['fbclid']", "tracking.toml: `prefixes` must be a non-empty list"),  # left out: no line
    ("parameters = ['FBCLID']\nprefixes = ['utm_']", "tracking.toml:1: `parameters`: not a lower-case parameter name: 'FBCLID'"),
    ("parameters = ['fbclid']\nprefixes = ['utm_']\nhosts = ['x']", "tracking.toml:3: unknown key"),
    ("parameters = [", "tracking.toml"),
    ("parameters = ['a']\nprefixes = ['b_']\nadded = 'xtor'", "tracking.toml:3: `added` must be"),
    ("parameters = ['a']\nprefixes = ['b_']\n[[added]]\n", r"tracking.toml:3: \[\[added\]\] table 1: needs one or more"),
    ("parameters = ['a']\nprefixes = ['b_']\n[[added]]\nparameters = ['x']\nhosts = ['y']", "tracking.toml:3: .*no other"),
    ("parameters = ['a']\nprefixes = ['b_']\n[[added]]\nparameters = ['x']\n[[added]]\nvalues = ['ref']",
     r"tracking.toml:6: \[\[added\]\] table 2: `values`: not a lower-case name=value: 'ref'"),
    ("parameters = ['a']\nprefixes = ['b_']\n[[added]]\nvalues = ['ref=RSS']", "tracking.toml:4: .*not a lower-case name=value"),
    ("parameters = ['a']\nprefixes = ['b_']\n[[added]]\nprefixes = []", "tracking.toml:4: .*table 1: `prefixes` must be a non-empty"),
])
def test_a_malformed_tracking_list_is_refused_with_its_reason(tmp_path, text, problem):
    assert_url_seed_refused(tmp_path, "tracking.toml", text, tracking_generations, problem)


def test_each_added_table_is_one_generation_of_rules_the_latest_first(tmp_path):
    path = tmp_path / "tracking.toml"
    path.write_text("parameters = ['a']\nprefixes = ['b_']\n[[added]]\nparameters = ['x']\n"
                    "[[added]]\nprefixes = ['y_']\nvalues = ['ref=rss']\n")
    today, before_second, first = tracking_generations(path)
    link = "https://e.org/s?a=1&b_c=2&x=3&y_z=4&ref=rss"
    assert [canonical_url(link, rules) for rules in (today, before_second, first)] == [
        "https://e.org/s", "https://e.org/s?ref=rss&y_z=4", "https://e.org/s?ref=rss&x=3&y_z=4"]


def test_canonical_url_survives_malformed_input():
    assert canonical_url("http://[::1/x") == "http://[::1/x"
    assert canonical_url("http://example.com:99999/") == "http://example.com:99999/"


def test_normalized_title_of_ascii_text_matches_the_unicode_rule():
    def by_category(title: str) -> str:
        letters = "".join(ch if unicodedata.category(ch)[0] not in "PSC" else " " for ch in title.casefold())
        return " ".join(letters.split())
    every_ascii = "".join(map(chr, range(128)))
    samples = [every_ascii, every_ascii[::-1], "U.S.-KOREA\tTalks\x7f(Update 2) $5bn +3%", "  a__b--c  "]
    for title in samples:
        assert normalized_title(title) == by_category(title)


def test_normalized_title():
    assert normalized_title("  U.S. Sanctions — Russia’s Banks!  ") == normalized_title("u s sanctions russia s banks")
    assert normalized_title("ＡＢＣ News") == "abc news"  # NFKC
    assert normalized_title("Zürich\u00adtalks") == "zürich talks"  # a soft hyphen (a format character) splits


def test_article_key_preference_order():
    when = datetime(2026, 7, 27, tzinfo=UTC)
    assert article_key(" g1 ", "https://e.org/a", "T", when) == "guid:g1"
    assert article_key(" \n", "https://e.org/a", "T", when) == "url:https://e.org/a"  # else all blank GUIDs: one key
    assert article_key(None, "https://E.org/a?utm_source=x#c", "T", when) == "url:https://e.org/a"
    title_key = article_key(None, None, "Pact Signed!", when)
    assert title_key.startswith("hash:") and len(title_key) == 37
    assert title_key == article_key("", None, "pact   signed", when)
    assert title_key != article_key(None, None, "Pact Signed!", None)


def article(link: str | None, guid: str) -> ParsedArticle:
    return ParsedArticle(key=f"guid:{guid}", guid=guid, url=link, title="t", text="", published_at=None,
                         date_quality="missing")


def test_detect_unstable_guids():
    before = guid_keys_by_link([article("https://e.org/a", "t=1"), article("https://e.org/b", "t=2"),
                                article("https://e.org/c", "t=3"), article(None, "t=0")])
    regenerated = {"https://e.org/a": {"guid:t=4"}, "https://e.org/b": {"guid:t=5"}, "https://e.org/c": {"guid:t=6"}}
    stable_plus_new = {"https://e.org/a": {"guid:t=1"}, "https://e.org/b": {"guid:t=2"}, "https://e.org/d": {"guid:t=9"}}
    assert detect_unstable_guids(before, regenerated)
    assert not detect_unstable_guids(before, stable_plus_new)
    assert not detect_unstable_guids(before, {"https://e.org/a": {"x"}})  # too little overlap to judge


def test_half_the_shared_links_under_new_guids_is_not_most():
    assert not detect_unstable_guids({"a": {"g1"}, "b": {"g2"}}, {"a": {"g1"}, "b": {"g3"}})
    assert detect_unstable_guids({"a": {"g1"}, "b": {"g2"}, "c": {"g4"}}, {"a": {"g1"}, "b": {"g3"}, "c": {"g5"}})


def test_only_linked_items_keyed_by_their_guid_are_counted_for_guid_stability():
    """A link-keyed item is stable by construction and would dilute a real GUID churn; an item without a link has
    nothing to compare by. A mutation test found both conditions untested."""
    linked = ParsedArticle(key="url:https://e.org/b", guid=None, url="https://e.org/b", title="t", text="",
                           published_at=None, date_quality="missing")
    entries = [article("https://e.org/a", "g1"), linked, article(None, "g0")]
    assert guid_keys_by_link(entries) == {"https://e.org/a": {"guid:g1"}}


def test_a_link_shared_by_items_changed_only_when_none_of_its_guids_came_back():
    before = guid_keys_by_link([article("https://e.org/tokyo", "p0"), article("https://e.org/seoul", "p1"),
                                article("https://e.org/tokyo", "p2"), article("https://e.org/seoul", "p3")])
    assert before == {"https://e.org/tokyo": {"guid:p0", "guid:p2"}, "https://e.org/seoul": {"guid:p1", "guid:p3"}}
    grown = guid_keys_by_link([article("https://e.org/tokyo", "p4"), article("https://e.org/seoul", "p5"),
                               article("https://e.org/tokyo", "p2"), article("https://e.org/seoul", "p3")])
    assert not detect_unstable_guids(before, grown)
    assert detect_unstable_guids(before, {"https://e.org/tokyo": {"guid:p6"}, "https://e.org/seoul": {"guid:p7"}})


def test_unstable_guid_feed_keeps_its_keys_once_switched_to_link_mode():
    """The ingest flow: detect between two fetches, then parse with key_mode="link"."""
    def fetch_at(stamp: int) -> bytes:  # Al Jazeera style: a fresh timestamp GUID on every request
        return rss(*(item(f"https://example.org/?t={stamp + n}", f"https://example.org/story-{n}", f"S{n}")
                     for n in range(3)))

    first, second = (parse_feed(fetch_at(stamp), "https://example.org/rss", NOW) for stamp in (1000, 2000))
    assert {e.key for e in first.entries}.isdisjoint({e.key for e in second.entries})  # looks all-new
    assert detect_unstable_guids(guid_keys_by_link(first.entries), guid_keys_by_link(second.entries))
    relinked = [parse_feed(fetch_at(stamp), "https://example.org/rss", NOW, key_mode="link") for stamp in (1000, 2000)]
    assert [e.key for e in relinked[0].entries] == [e.key for e in relinked[1].entries]


@pytest.mark.parametrize(("key", "expected"), [
    ("url:https://e.org/a", "url:https://e.org/a"),
    ("guid:https://E.org/a?utm_source=rss", "url:https://e.org/a"),  # a permalink GUID names the linked document
    ("guid:http://e.org/#/news/1", "url:http://e.org/#/news/1"),
    ("guid:https://e.org/live#entry-2", "guid:https://e.org/live#entry-2"),  # live blog entries stay apart
    ("guid:wire-0001", None), ("guid:HTTPS://e.org/a", None), ("hash:0123", None),
])
def test_url_key(key, expected):
    assert url_key(key) == expected


def test_earlier_url_keys_are_the_forms_stored_before_url_guids_were_canonical():
    assert earlier_url_keys("guid:https://e.org/a?utm_source=x", "url:https://e.org/a") == [
        "guid:https://e.org/a?utm_source=x", "guid:https://e.org/a"]
    assert earlier_url_keys("url:https://e.org/a", "url:https://e.org/a") == ["guid:https://e.org/a"]


def test_earlier_url_keys_of_a_url_guid_include_its_form_before_the_added_tracking_parameters():
    assert earlier_url_keys("guid:https://e.org/a?xtor=RSS-1&utm_source=x", "url:https://e.org/a") == [
        "guid:https://e.org/a?xtor=RSS-1&utm_source=x", "guid:https://e.org/a", "url:https://e.org/a?xtor=RSS-1"]


def test_a_link_key_carries_its_forms_before_the_added_tracking_parameters():
    body = rss(item(None, "https://www.lemonde.fr/a.html?xtor=RSS-3208&amp;utm_source=x", "A"),
               item(None, "https://www.lemonde.fr/b.html?utm_source=x", "B"),
               item("https://www.lemonde.fr/c.html?xtor=RSS-3208", "https://www.lemonde.fr/c.html?xtor=RSS-3208", "C"))
    entries = parse_feed(body, "https://www.lemonde.fr/rss", NOW).entries
    assert [(entry.key, entry.earlier_link_keys) for entry in entries] == [
        ("url:https://www.lemonde.fr/a.html", ("url:https://www.lemonde.fr/a.html?xtor=RSS-3208",)),
        ("url:https://www.lemonde.fr/b.html", ()),
        ("guid:https://www.lemonde.fr/c.html?xtor=RSS-3208", ())]  # a URL GUID's: earlier_url_keys
    assert earlier_url_keys("guid:https://e.org/live#entry-2", "guid:https://e.org/live#entry-2") == []


@pytest.mark.parametrize(("text", "other", "same"), [
    ("South Korea and Japan agreed on a student exchange.", "South Korea and Japan agreed on a student exchange "
     "on Monday.", True),
    ("Russia and North Korea sign a defence pact.", "China and the United States resume tariff talks.", False),
    ("The following offerings were filed: Audiotronics Corp, shelf offering of 2 mln shares.",
     "The following offerings were filed: Bio-Technology General Corp, offering of 1.5 mln units.", False),
    ("", None, False),  # no text: a title alone recurs over other stories
    ("Updated.", "", False),
    # SAME_STORY_WORD_SHARE is inclusive: 3 of 5 words shared is the same story, 4 of 7 is not
    ("Seoul and Tokyo agree", "Seoul and Tokyo disagree", True),
    ("Seoul and Tokyo sign a pact", "Seoul and Tokyo sign deal", False),
])
def test_same_story_text(text, other, same):
    assert same_story_text(text, other) is same


@pytest.mark.parametrize(("url", "other", "same"), [
    ("https://x.org/articles/yuan-fixing-e9", "https://x.org/finance/yuan-fixing-e9/", True),  # another section
    ("https://x.org/news/story-1", "https://x.org/news/story-2", False),
    ("https://x.org/world/ban-laws-d6f961de", "https://x.org/world/eases-liquor-rules-d6f961de", True),  # its id
    ("https://x.org/world/ban-laws-d6f961de", "https://x.org/world/ban-laws-a7e0c2bb", False),
    ("https://x.org/news/story-12345", "https://x.org/news/other-12346", False),
    ("https://x.org/news/round-up", "https://x.org/news/other-up", False),  # a word, no id
    ("https://x.org/news/d6f961de", "https://x.org/world/q-d6f961de", False),  # no words before it
    ("https://x.org/article.php?id=1", "https://x.org/world/article.php?id=2", False),  # the query names the page
    ("https://x.org/", "https://y.org/", False),  # no page name
    ("https://x.org/a", "http://[::1/a", False),  # unreadable
])
def test_same_slug_is_the_last_path_segment_and_the_query(url, other, same):
    assert same_slug(url, other) is same

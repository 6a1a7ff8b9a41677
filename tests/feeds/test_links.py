"""Entry links stored as the publisher's address (feeds/links.py, seeds/redirectors.toml): feed proxies, click
trackers and redirectors unwrapped only to a public http(s) page, and the relative links of a replayed document
resolved against the address it names as its own."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from xml.sax.saxutils import escape

import pytest

from pipeline.feeds.identity import article_key
from pipeline.feeds.links import redirector_rules, safe_link
from pipeline.feeds.parse import parse_feed
from tests.feeds.conftest import FIXTURES, NOW, assert_url_seed_refused, item, rss

BASE = "https://feeds.example.org/world.xml"
KEPT = "1 entry link(s) kept as the feed gave them, the address carried refused: "


def parse_fixture(name: str, base: str = BASE, replace: tuple[str, str] = ("", "")):
    return parse_feed((FIXTURES / name).read_text().replace(*replace).encode(), base, NOW)


def by_title(parsed) -> dict:
    return {entry.title: entry for entry in parsed.entries}


def test_a_proxied_or_redirected_entry_is_stored_at_the_publishers_address():
    parsed = parse_fixture("redirector_links.xml")
    assert {title: entry.url for title, entry in by_title(parsed).items()} == {
        "Proxied, no GUID": "https://news.example.org/world/story-1",  # feedburner:origLink, the feed's name dropped
        "Click tracker": "http://www.example.com/lifestyle/wellness/a_story.html",  # pheedo:origLink
        "Google Alert": "https://www.example.net/report/",
        "Google Alert, target percent-encoded": "https://www.example.net/b?id=7",
        "Yandex News, target without a scheme": "https://ria.example/society/20170107/1485236822.html",
        "A link of the publisher's own": "https://news.example.org/world/story-2"}
    assert parsed.bozo_reason is None


def test_an_entry_keyed_by_its_unwrapped_link_carries_the_keys_its_proxy_link_gave_it():
    """Versions before keyed it by the proxy's link: ingest looks it up under that key too, so a stored article is
    found, not stored again. A GUID's key is the GUID's, whatever the link."""
    entries = by_title(parse_fixture("redirector_links.xml"))
    proxied = entries["Proxied, no GUID"]
    assert proxied.key == "url:https://news.example.org/world/story-1"
    assert proxied.earlier_link_keys == ("url:http://feeds.example.org/~r/World/~3/xROvFa03AOc/story-1",
                                         "url:https://news.example.org/world/story-1?feedName=worldNews&feedType=RSS")
    yandex = entries["Yandex News, target without a scheme"]
    assert (yandex.key, yandex.earlier_link_keys) == (
        "guid:https://news.yandex.ru/yandsearch?cl4url=ria.example%2Fsociety%2F20170107%2F1485236822.html", ())


@pytest.mark.parametrize(("length", "kept"), [(2_048, True), (2_049, False)])
def test_a_link_longer_than_2048_characters_is_refused(length, kept):
    """A link is at most 2,048 characters: without the cap, a hostile feed's link of megabytes would be stored, and
    printed by every alert naming it."""
    link = "https://example.org/" + "a" * (length - len("https://example.org/"))
    assert safe_link(link, BASE) == (link if kept else None)


def google(target: str) -> str:
    return "https://www.google.com/url?" + urlencode({"rct": "j", "url": target, "usg": "AFQj"})


@pytest.mark.parametrize(("target", "reason"), [
    ("javascript:alert(1)", "not an absolute http(s) URL (javascript:)"),
    ("data:text/html,<script>x</script>", "not an absolute http(s) URL (data:)"),
    ("/report/", "not an absolute http(s) URL (no scheme)"),
    ("notaurl", "not an absolute http(s) URL (no scheme)"),
    ("http://", "not an absolute http(s) URL (http:)"),
    ("http://127.0.0.1:8080/admin", "not a public host (127.0.0.1)"),
    ("http://localhost/x", "not a public host (localhost)"),
    ("http://router.localhost/x", "not a public host (router.localhost)"),
    ("http://10.0.0.5/", "not a public host (10.0.0.5)"),
    ("http://169.254.169.254/latest/meta-data/", "not a public host (169.254.169.254)"),
    ("http://[::ffff:127.0.0.1]/", "not a public host (::ffff:127.0.0.1)"),
    ("http://2130706433/", "not a public host (2130706433)"),  # each of these three opens 127.0.0.1 in a browser
    ("http://127.1/", "not a public host (127.1)"),
    ("http://0x7f.0.0.1/", "not a public host (0x7f.0.0.1)"),
    ("http://intranet/wiki", "not a public host (intranet)"),
])
def test_a_redirector_whose_target_is_no_public_page_keeps_its_link_and_says_why(target, reason):
    parsed = parse_feed(rss(item("g1", escape(google(target)), "Alert")), BASE, NOW)
    [entry] = parsed.entries
    assert entry.url.startswith("https://www.google.com/url?rct=j&url=")
    assert parsed.bozo_reason == KEPT + reason


def test_an_original_link_that_is_no_public_page_leaves_the_link_as_given():
    proxied = ('<item><title>Hostile</title><link>https://feeds.example.org/~r/x/~3/a/</link>'
               '<feedburner:origLink>javascript:alert(2)</feedburner:origLink></item>')
    body = rss(proxied, item("g2", escape(google("http://192.168.1.1/")), "Alert")).replace(
        b'<rss version="2.0">', b'<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">')
    parsed = parse_feed(body, BASE, NOW)
    assert [entry.url for entry in parsed.entries] == ["https://feeds.example.org/~r/x/~3/a/",
                                                      "https://www.google.com/url?rct=j&url=http%3A%2F%2F192.168.1.1%2F"
                                                      "&usg=AFQj"]
    assert parsed.bozo_reason == ("2 entry link(s) kept as the feed gave them, the address carried refused: not an "
                                  "absolute http(s) URL (javascript:)")


def test_a_yandex_target_with_a_scheme_of_its_own_is_read_as_written():
    links = [f"https://news.yandex.ru/yandsearch?cl4url={target}" for target in
             ("http%3A%2F%2Fria.example%2Fa.html", "javascript%3Aalert(1)")]
    parsed = parse_feed(rss(*(item(f"y{n}", link, f"T{n}") for n, link in enumerate(links))), BASE, NOW)
    assert [entry.url for entry in parsed.entries] == [
        "http://ria.example/a.html", "https://news.yandex.ru/yandsearch?cl4url=javascript%3Aalert%281%29"]
    assert parsed.bozo_reason == KEPT + "not an absolute http(s) URL (javascript:)"


REPLAYED = ["https://news.example.org/livewire/alliance-signed", "https://news.example.org/account/feed/next-steps"]


@pytest.mark.parametrize("base", ["file:///srv/captures/all.atom", "http://127.0.0.1:8765/captures/all.atom",
                                  "http://localhost:8765/all.atom", "http://[::1]:8765/all.atom"])
def test_a_replayed_document_resolves_relative_links_against_the_address_it_names_as_its_own(base):
    """From a file the links were lost (20 of 20 of a replayed TPM feed had none); from a loopback server they were
    the replay's ("http://127.0.0.1:8765/livewire/…"). rel="self" first: a poll of the real host resolved them so."""
    assert [entry.url for entry in parse_fixture("atom_relative_replayed.xml", base).entries] == REPLAYED


def test_a_document_served_by_its_real_host_resolves_relative_links_against_that_address():
    assert [entry.url for entry in parse_fixture("atom_relative_replayed.xml", "https://feeds.example.com/all").entries
            ] == ["https://feeds.example.com/livewire/alliance-signed", "https://feeds.example.com/next-steps"]


@pytest.mark.parametrize("self_link", ["", "http://127.0.0.1:8765/all.atom", "file:///srv/all.atom", "/feed/all"])
def test_a_replay_without_a_remote_self_link_resolves_against_its_site(self_link):
    parsed = parse_fixture("atom_relative_replayed.xml", "file:///srv/all.atom",
                           ("https://news.example.org/account/feed/all", self_link))
    assert [entry.url for entry in parsed.entries] == ["https://news.example.org/livewire/alliance-signed",
                                                      "https://news.example.org/next-steps"]


@pytest.mark.parametrize(("base", "urls"), [
    ("file:///srv/all.atom", [None, None]),
    ("http://127.0.0.1:8765/captures/all.atom", ["http://127.0.0.1:8765/livewire/alliance-signed",
                                                 "http://127.0.0.1:8765/captures/next-steps"]),
])
def test_a_replay_naming_no_remote_address_resolves_as_before(base, urls):
    lines = (FIXTURES / "atom_relative_replayed.xml").read_text().splitlines()
    body = "\n".join(line for line in lines if 'href="https://news.example.org' not in line)  # its own two links
    assert [entry.url for entry in parse_feed(body.encode(), base, NOW).entries] == urls


def test_a_replayed_entry_keyed_by_its_title_before_carries_that_key():
    """Without a GUID, an entry whose relative link a file replay lost was keyed by its title and date: linked now,
    it carries that key, so the article stored then is found."""
    published = datetime(2026, 7, 27, 12, 0, tzinfo=UTC)
    body = rss(item(None, "/world/pact", "Pact signed", "Mon, 27 Jul 2026 12:00:00 GMT"))  # its channel: example.org
    [entry] = parse_feed(body, "file:///srv/captures/world.xml", NOW).entries
    assert (entry.url, entry.key) == ("https://example.org/world/pact", "url:https://example.org/world/pact")
    assert entry.earlier_link_keys == (article_key(None, None, "Pact signed", published),)


@pytest.mark.parametrize(("text", "problem"), [
    ("original_links = ['feedburner:origLink']\n[[redirectors]]\nhosts = ['www.google.com']\npath = '/url'\n",
     r"redirectors.toml:2: \[\[redirectors\]\] table 1: needs hosts, path and parameters"),
    ("original_links = ['origLink']", "redirectors.toml:1: `original_links`: not a prefix:name element name"),
    ("original_links = ['a:b']\n[[redirectors]]\nhosts = ['Google.com']\npath = '/url'\nparameters = ['url']",
     "redirectors.toml:3: .*`hosts`: not a lower-case host name"),
    ("original_links = ['a:b']\n[[redirectors]]\nhosts = ['google.com']\npath = 'url'\nparameters = ['url']",
     "redirectors.toml:4: .*`path` must be a URL path"),
    ("original_links = ['a:b']\n[[redirectors]]\nhosts = ['google.com']\npath = '/url'\nparameters = ['url']\n"
     "scheme = 'ftp'", "redirectors.toml:6: .*`scheme` must be http or https"),
    ("original_links = ['a:b']\nredirectors = 'google'", "redirectors.toml:2: `redirectors` must be"),
    ("original_links = ['a:b']\nhosts = []", "redirectors.toml:2: unknown key"),
])
def test_a_malformed_redirector_list_is_refused_with_its_reason(tmp_path, text, problem):
    assert_url_seed_refused(tmp_path, "redirectors.toml", text, redirector_rules, problem)


def test_the_bundled_redirector_list_reads_the_links_of_the_captured_feeds():
    rules = redirector_rules()
    assert rules.original_links == ("feedburner_origlink", "pheedo_origlink")  # as feedparser names the fields
    assert {host for redirector in rules.redirectors for host in redirector.hosts} >= {"www.google.com",
                                                                                       "news.yandex.ru"}


# Links that are no publisher's address, as the review found them among the stored links of a replay
REDIRECTED = re.compile(r"/~r/|click\.phdo|ads\.pheedo|//(127\.0\.0\.1|localhost)[:/]|google\.[a-z.]+/url\?|"
                        r"yandsearch\?cl4url=|redir\.folha")


@pytest.mark.corpus
@pytest.mark.parametrize("replayed_from", ["loopback", "file"])
def test_the_captured_real_feeds_link_their_entries_at_the_publishers_address(shared_data, replayed_from):
    """A review of a replay found 164 of 4,240 stored links to be redirectors, and a file replay of TPM's feed stored
    none of its 20 links. Of the 7,879 entries of every captured feed, 165 were linked through a feed proxy, a click
    tracker, a redirector or the replay's own address (from files: 145, and 20 without a link). Left: Pheedo's 3 ad
    items, which carry no publisher's address, and a Folha redirect, which carries it in its path (one link)."""
    root = shared_data / "feeds" / "real"
    if not root.is_dir():
        pytest.skip(f"{root} not found")
    links = [entry.url for path in sorted(path for path in root.rglob("*.*") if path.suffix in (".xml", ".atom", ".rss"))
             for entry in parse_feed(path.read_bytes(), _replay_address(root, path, replayed_from), NOW).entries]
    assert len(links) == 7_879 and None not in links
    assert sorted(urlsplit(link).hostname for link in links if REDIRECTED.search(link)) == [
        "ads.pheedo.com", "ads.pheedo.com", "ads.pheedo.com", "redir.folha.com.br"]


def _replay_address(root: Path, path: Path, replayed_from: str) -> str:
    return path.as_uri() if replayed_from == "file" else f"http://127.0.0.1:8765/{path.relative_to(root).as_posix()}"

"""Credentials in URLs: masked wherever a URL is shown, everything else byte-identical, never raising."""
from __future__ import annotations

import random

import pytest

from pipeline.redact import (MASK, CredentialSeedError, carries_credentials, redact_text, redact_url,
                             secret_parameters)

CASES = [
    # userinfo: the password goes, the user name stays; a user name standing alone is often a token
    ("https://user:secret@host.example/feed.xml", "https://user:***@host.example/feed.xml"),
    ("https://ghp_token123@host.example/feed.xml", "https://***@host.example/feed.xml"),
    ("https://user:p%40ss:w0rd@host.example:8443/x", "https://user:***@host.example:8443/x"),
    ("https://user:pa@ss@host.example/", "https://user:***@host.example/"),  # the last "@" ends the userinfo
    ("https://user:@host.example/", "https://user:@host.example/"),  # an empty password hides nothing
    ("https://@host.example/", "https://@host.example/"),
    ("//user:secret@host.example/feed", "//user:***@host.example/feed"),  # scheme-relative
    ("HTTPS://User:Secret@Host.Example/Feed", "HTTPS://User:***@Host.Example/Feed"),
    # secret query and fragment parameters, matched whole, whatever their case or percent-encoding
    ("https://h.example/rss?apikey=abc123&lang=en", "https://h.example/rss?apikey=***&lang=en"),
    ("https://h.example/rss?lang=en&Token=abc&ACCESS_TOKEN=x", "https://h.example/rss?lang=en&Token=***&ACCESS_TOKEN=***"),
    ("https://h.example/rss?api%5Fkey=abc", "https://h.example/rss?api%5Fkey=***"),
    ("https://h.example/rss?a=1;sig=abc;b=2", "https://h.example/rss?a=1;sig=***;b=2"),
    ("https://h.example/rss?key=a=b&x=1", "https://h.example/rss?key=***&x=1"),
    ("https://h.example/rss?keyword=sanctions&monkey=1", "https://h.example/rss?keyword=sanctions&monkey=1"),
    ("https://h.example/rss?key=&token", "https://h.example/rss?key=&token"),  # no value, nothing to hide
    ("https://h.example/app#access_token=abc&state=1", "https://h.example/app#access_token=***&state=1"),
    ("https://h.example/app#/news?token=abc", "https://h.example/app#/news?token=abc"),  # a route, not parameters
    ("https://h.example/a?token=abc#section", "https://h.example/a?token=***#section"),
    ("https://u:p@h.example/a?password=x", "https://u:***@h.example/a?password=***"),
    # nothing secret: byte-identical, even where a parser would normalise
    ("https://h.example/rss?b=2&a=1&utm_source=x#frag", "https://h.example/rss?b=2&a=1&utm_source=x#frag"),
    ("https://h.example/path/@user:name/feed", "https://h.example/path/@user:name/feed"),  # "@" past the authority
    ("https://[2001:db8::1]:8080/feed?x=1", "https://[2001:db8::1]:8080/feed?x=1"),
    ("file:///srv/demo/feed.xml", "file:///srv/demo/feed.xml"),
    ("https://h.example/%E2%82%AC?q=%ZZ", "https://h.example/%E2%82%AC?q=%ZZ"),
    # hostile input: malformed, bracketed, control characters, non-ASCII, lone surrogates
    ("https://[::1/x?token=abc", "https://[::1/x?token=***"),
    ("https://u:p@[::1]:99999/?key=1", "https://u:***@[::1]:99999/?key=***"),
    ("ht\ttps://u:secret@h.example/", "ht\ttps://u:***@h.example/"),  # urlsplit drops the tab: still a userinfo
    ("https://u:se\ncret@h.example/?tok\x00en=1&token=\x7f", "https://u:***@h.example/?tok\x00en=1&token=***"),
    ("https://ユーザー:秘密@例え.jp/フィード?キー=1&key=値", "https://ユーザー:***@例え.jp/フィード?キー=1&key=***"),
    ("https://u:\udcff@h.example/?token=\ud800", "https://u:***@h.example/?token=***"),
    ("", ""),
    ("@:?#&;=", "@:?#&;="),
    ("not a url at all", "not a url at all"),
    ("https://", "https://"),
    ("?token=abc", "?token=***"),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_redact_url(url, expected):
    assert redact_url(url) == expected
    assert redact_url(expected) == expected, "redacting twice changes nothing"
    assert carries_credentials(url) == (url != expected)


def test_a_very_long_url_is_redacted_in_linear_time():
    url = "https://u:" + "p" * 1_000_000 + "@h.example/?" + "&".join(f"token={i}" for i in range(100_000))
    redacted = redact_url(url)
    assert redacted.startswith("https://u:***@h.example/?token=***&token=***") and "p" * 10 not in redacted


def test_random_text_never_raises_and_keeps_what_holds_no_secret():
    alphabet = "htps:/@?#&;=%[]:.-_ keytoknpasswrdAPI\t\n\x00é€\udcff"
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(40)))
        redacted = redact_url(text)
        assert redact_url(redacted) == redacted
        if "@" not in text and "=" not in text:
            assert redacted == text


def test_urls_inside_an_error_message_are_redacted():
    message = ("ProxyError: http://proxy-user:hunter2@proxy.example:3128 refused "
               "https://h.example/rss?apikey=abc123; redirect loop at https://h.example/rss?token=t0k")
    redacted = redact_text(message)
    assert "hunter2" not in redacted and "abc123" not in redacted and "t0k" not in redacted
    assert redacted == ("ProxyError: http://proxy-user:***@proxy.example:3128 refused "
                        "https://h.example/rss?apikey=***; redirect loop at https://h.example/rss?token=***")
    assert redact_text("HTTP 404 Not Found") == "HTTP 404 Not Found"
    # a quoted URL: the quote and what follows it stay (they were swallowed with the secret)
    assert redact_text("bad feed at 'https://h.example/rss?apikey=abc123', got <html>") == (
        "bad feed at 'https://h.example/rss?apikey=***', got <html>")


@pytest.mark.parametrize("name", ["access-token", "auth-token", "client-secret", "private-token", "refresh-token"])
def test_names_spelled_with_a_hyphen_are_secrets_too(name):
    assert redact_url(f"https://h.example/rss?{name}=s3cr3t&page=2") == f"https://h.example/rss?{name}=***&page=2"


def test_the_bundled_parameter_list_is_valid():
    names = secret_parameters()
    assert {"apikey", "api_key", "token", "access_token", "key", "auth", "password", "secret", "sig",
            "signature"} <= names
    assert MASK not in names


@pytest.mark.parametrize(("text", "problem"), [
    ("parameters = []", "non-empty list"),
    ("parameters = ['Token']", "not a lower-case parameter name"),
    ("parameters = ['token', 3]", "not a lower-case parameter name"),
    ("parameters = ['token']\nheaders = ['x']", "unknown key"),
    ("parameters = [", "credentials.toml"),
])
def test_a_malformed_parameter_list_is_refused_with_its_reason(tmp_path, text, problem):
    path = tmp_path / "credentials.toml"
    path.write_text(text)
    with pytest.raises(CredentialSeedError, match=problem):
        secret_parameters(path)

"""Credentials in URLs: masked wherever a URL is shown, everything else byte-identical, never raising."""
from __future__ import annotations

import random
from urllib.parse import urlsplit

import pytest

from pipeline.redact import (MASK, CredentialSeedError, carries_credentials, credential_rules, redact_text,
                             redact_url, secret_parameters)

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


# secrets in the path, where seeds/credentials.toml says a service keeps them: the host and the parts that tell which
# hook or feed it is stay
PATH_CASES = [
    ("https://hooks.slack.com/services/T000/B000/XXXXXXXX", "https://hooks.slack.com/services/T000/B000/***"),
    ("https://hooks.slack.com/workflows/T01/A02/123/abcDEF", "https://hooks.slack.com/workflows/T01/A02/123/***"),
    ("https://hooks.slack.com/triggers/T01/123/abcDEF", "https://hooks.slack.com/triggers/T01/123/***"),
    ("https://HOOKS.Slack.com./Services/T0/B0/XXX", "https://HOOKS.Slack.com./Services/T0/B0/***"),  # any case
    ("https://u:pw@hooks.slack.com:443/services/T0/B0/XXX?x=1", "https://u:***@hooks.slack.com:443/services/T0/B0/***?x=1"),
    ("https://discord.com/api/webhooks/1234/tok-EN_9", "https://discord.com/api/webhooks/1234/***"),
    ("https://discordapp.com/api/webhooks/1234/tok/slack?wait=true",
     "https://discordapp.com/api/webhooks/1234/***/slack?wait=true"),
    ("https://canary.discord.com/api/v10/webhooks/1234/tok", "https://canary.discord.com/api/v10/webhooks/1234/***"),
    ("https://api.telegram.org/bot123456:ABC-def/sendMessage", "https://api.telegram.org/bot***/sendMessage"),
    ("https://api.telegram.org/file/bot123456:ABC-def/photos/1.jpg", "https://api.telegram.org/file/bot***/photos/1.jpg"),
    ("https://acme.webhook.office.com/webhookb2/g1@t1/IncomingWebhook/abc/g2/V2sig",
     "https://acme.webhook.office.com/webhookb2/g1@t1/IncomingWebhook/***"),
    ("https://outlook.office.com/webhook/g1@t1/IncomingWebhook/abc/g2", "https://outlook.office.com/webhook/g1@t1/IncomingWebhook/***"),
    ("https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k3y&token=t0k",
     "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=***&token=***"),
    ("https://maker.ifttt.com/trigger/feed_down/with/key/k3y", "https://maker.ifttt.com/trigger/feed_down/with/key/***"),
    ("https://maker.ifttt.com/trigger/feed_down/json/with/key/k3y",
     "https://maker.ifttt.com/trigger/feed_down/json/with/key/***"),
    ("https://maker.ifttt.com/use/k3y", "https://maker.ifttt.com/use/***"),
    ("https://hooks.zapier.com/hooks/catch/123456/abcdef/", "https://hooks.zapier.com/hooks/catch/123456/***/"),
    ("https://chat.example.org/hooks/xi3bz6ncdpfw3dq7", "https://chat.example.org/hooks/***"),  # Mattermost
    ("https://rocket.example.org/hooks/ID123/TOKEN456", "https://rocket.example.org/hooks/***"),  # Rocket.Chat
    ("https://chat.example.org/hooks/abc?channel=town#top", "https://chat.example.org/hooks/***?channel=town#top"),
    ("https://feeds.pinboard.in/rss/secret:abc123/u:someone/", "https://feeds.pinboard.in/rss/secret:***/u:someone/"),
    ("https://calendar.google.com/calendar/ical/me%40x.example/private-0123abcd/basic.ics",
     "https://calendar.google.com/calendar/ical/me%40x.example/private-***/basic.ics"),
    # the pattern must match from the path's start, whole segments, on a host of the service
    ("https://example.com/services/T000/B000/XXXXXXXX", "https://example.com/services/T000/B000/XXXXXXXX"),
    ("https://hooks.slack.com.evil.example/x", "https://hooks.slack.com.evil.example/x"),
    ("https://hooks.slack.com/services/T000", "https://hooks.slack.com/services/T000"),
    ("https://hooks.slack.com/services/T0/B0?next=/XXX", "https://hooks.slack.com/services/T0/B0?next=/XXX"),
    ("https://discord.com/api/webhooksX/1234/tok", "https://discord.com/api/webhooksX/1234/tok"),
    ("https://notdiscord.com/api/webhooks/1234/tok", "https://notdiscord.com/api/webhooks/1234/tok"),
    ("https://api.telegram.org/getMe", "https://api.telegram.org/getMe"),
    ("https://blog.example/hookshot/feed.xml", "https://blog.example/hookshot/feed.xml"),
    ("https://blog.example/news/hooks/feed.xml", "https://blog.example/news/hooks/feed.xml"),
    ("https://blog.example/hooks/", "https://blog.example/hooks/"),
    ("https://blog.example/x?next=/hooks/abc", "https://blog.example/x?next=/hooks/abc"),  # a query, not the path
]


@pytest.mark.parametrize(("url", "expected"), CASES + PATH_CASES)
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


def test_every_bundled_path_rule_is_exercised_by_a_case():
    masked_paths = [urlsplit(url).path for url, expected in PATH_CASES if url != expected]
    for rule in credential_rules().paths:
        for pattern in rule.patterns:
            assert any(pattern.match(path) for path in masked_paths), f"no case for {rule.service}: {pattern.pattern}"


@pytest.mark.parametrize(("text", "problem"), [
    ("parameters = []", "non-empty list"),
    ("parameters = ['Token']", "not a lower-case parameter name"),
    ("parameters = ['token', 3]", "not a lower-case parameter name"),
    ("parameters = ['token']\nheaders = ['x']", "unknown key"),
    ("parameters = [", "credentials.toml"),
    ("parameters = ['token']\npaths = '/a/{secret}'", r"`paths` must be \[\[paths\]\] entries"),
])
def test_a_malformed_seed_file_is_refused_with_its_reason(tmp_path, text, problem):
    path = tmp_path / "credentials.toml"
    path.write_text(text)
    with pytest.raises(CredentialSeedError, match=problem):
        secret_parameters(path)


GOOD_PATHS = "parameters = ['token']\n[[paths]]\n"


@pytest.mark.parametrize(("entry", "problem"), [
    ("service = 'x'\nhosts = ['h.example']", "needs exactly the keys hosts, paths, service"),
    ("service = 'x'\nhosts = ['h.example']\npaths = ['/a/{secret}']\nhost = 'y'", "needs exactly the keys"),
    ("service = ''\nhosts = ['h.example']\npaths = ['/a/{secret}']", "`service` must name the service"),
    ("service = 'x'\nhosts = ['H.example']\npaths = ['/a/{secret}']", "`hosts` must list lower-case host names"),
    ("service = 'x'\nhosts = ['https://h.example']\npaths = ['/a/{secret}']", "`hosts` must list"),
    ("service = 'x'\nhosts = []\npaths = ['/a/{secret}']", "`hosts` must list"),
    ("service = 'x'\nhosts = ['h.example']\npaths = []", "`paths` must list path patterns"),
    ("service = 'x'\nhosts = ['h.example']\npaths = ['a/{secret}']", "must start with \"/\""),
    ("service = 'x'\nhosts = ['h.example']\npaths = ['/a/{secret}?b=1']", r'hold no "\?" or "#"'),
    ("service = 'x'\nhosts = ['h.example']\npaths = ['/a/b']", "has no {secret} part"),
    ("service = 'x'\nhosts = ['h.example']\npaths = ['/a/{token}']", "unknown placeholder"),
    ("service = 'x'\nhosts = ['h.example']\npaths = ['/a/*{secret}']", "one {secret} and no \"\\*\""),
    ("service = 'x'\nhosts = ['h.example']\npaths = ['/a/{secret}{secret}']", "one {secret}"),
    ("service = 'x'\nhosts = ['h.example']\npaths = ['/{secret...}/b']", "must be its last segment"),
    ("service = 'x'\nhosts = ['*']\npaths = ['/*/{secret}']", "for any host: it must start with a literal segment"),
])
def test_a_malformed_path_rule_is_refused_naming_its_entry(tmp_path, entry, problem):
    path = tmp_path / "credentials.toml"
    path.write_text(GOOD_PATHS + entry)
    with pytest.raises(CredentialSeedError, match=r"\[\[paths\]\] entry 1.*" + problem.replace("{", "\\{")):
        credential_rules(path)

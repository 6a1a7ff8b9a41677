"""Credentials in URLs, hidden from whatever a reader sees.

A feed or webhook URL may carry a credential: a password in its userinfo ("https://user:secret@host/feed"), a secret
query parameter ("?apikey=…") or a secret part of its path ("https://hooks.slack.com/services/T0/B0/SECRET"), the
last two described in seeds/credentials.toml. The poller needs the real URL, so the writer's `feeds.url` keeps it;
everything shown or published (the snapshot, `feeds list`, the dashboard, the ingest log, stored fetch URLs and
errors) goes through `redact_url` or `redact_text` first. Shared by feeds/, ingest, the CLI and store/ (which
publishes the snapshot), as csv_cells is: pure string work, no I/O but the seed file's one read.

The redaction works on the text as written, never on a parsed and re-joined URL: what it leaves is byte-identical,
and no input (malformed, bracketed IPv6, percent-encoded, control characters) can make it raise. Where parsers
disagree it masks more: the userinfo ends at the authority's last "@", as in urllib and httpx.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from .paths import SEEDS
from .url_seeds import SeedPlace, parameter_names, read_url_seed

MASK = "***"
CREDENTIAL_SEEDS = SEEDS / "credentials.toml"
# The authority follows the first "//" with no "/", "?" or "#" before it ("https://", a scheme-relative "//", or a
# scheme with tabs in it, which urlsplit and browsers drop) and ends at the next of them.
_AUTHORITY = re.compile(r"\A[^/?#]*//([^/?#]*)")
_PARAMETER_SEPARATORS = re.compile(r"([&;])")
# A URL inside free text (an error message): a scheme, "://", and everything up to whitespace or a quote or angle
# bracket around it ("… at 'https://…?apikey=…', got …"), which masking would otherwise swallow. Not a comma or a
# parenthesis: a URL may hold them, and a secret's tail after one would stay readable. A scheme starts where no
# scheme character stands before it (a match would begin at the run's start anyway): tried from every letter of a
# long run ("aaaa…", a hostile server's header echoed in an error), the search took quadratic time.
_URL_IN_TEXT = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*://[^\s'\"<>]+")
# Punctuation after a masked URL in text belongs to the sentence ("… at https://h/hooks/***; loop: …", errors joined
# by "; "): a path rule masking to the URL's end swallowed it, so an already-masked text was masked again, and a
# publish took it for a credential (a masked copy at every publish). After a secret it may be the secret's own
# ("?token=abc!", "?password=!!!"), and is masked with it.
_SENTENCE_PUNCTUATION = ".,;:!?)"
# A parameter's value may be a URL, raw ("?url=https://…") or percent-encoded, once or more
# ("?url=https%3A%2F%2F…"): its credentials are masked too, this many levels deep (a nesting or a decoding each;
# deeper ones cost more than they find). Only a value with a "/", "?" or "%" can be one.
_NESTED_LEVELS = 3
_MAYBE_NESTED = re.compile(r"[/?%]")
_NAME_SEPARATORS = str.maketrans("", "", "_-. \t\n\r\f\v")
_HOST_PATTERN = re.compile(r"\A(\*|(\*\.)?[a-z0-9\-]+(\.[a-z0-9\-]+)*)\Z")
SECRET, SECRET_TO_END = "{secret}", "{secret...}"
_SEED_KEYS = {"parameters", "paths"}
_PATH_RULE_KEYS = {"service", "hosts", "paths"}


@dataclass(frozen=True)
class PathRule:
    """One service whose URLs carry a secret in their path: the hosts it answers on and one pattern per URL form,
    whose groups are the secret parts."""
    service: str
    hosts: tuple[str, ...]  # "hooks.slack.com"; "*.discord.com" (the domain and its subdomains); "*" (any host)
    templates: tuple[str, ...]  # as the seed file writes them ("/services/*/*/{secret}")
    patterns: tuple[re.Pattern, ...]  # one each

    def answers_on(self, host: str) -> bool:
        return any(_host_matches(pattern, host) for pattern in self.hosts)


@dataclass(frozen=True)
class CredentialRules:
    """What seeds/credentials.toml says: the secret parameters' names and the services keeping a secret in the path."""
    parameters: frozenset[str]  # as listed
    paths: tuple[PathRule, ...]

    @functools.cached_property
    def folded_parameters(self) -> frozenset[str]:
        return frozenset(map(_folded, self.parameters))


def redact_url(url: str) -> str:
    """`url` with the password of its userinfo (or a user name standing alone, often a token), the secret parts of
    its path and the values of its secret query and fragment parameters replaced by "***"; every other character
    as it was. A URL in a parameter's value is redacted likewise (re-encoded with its credentials masked, when it
    was percent-encoded)."""
    return _redacted(url, _NESTED_LEVELS)


def _redacted(url: str, levels: int) -> str:
    """`url` redacted, and the URLs nested in its parameters' values `levels` deep."""
    authority = _AUTHORITY.match(url)
    if authority is None:
        return _redact_parameters(url, levels)
    start, end = authority.span(1)
    rest = _masked_path(_host(authority.group(1)), url[end:])
    return url[:start] + _redact_userinfo(authority.group(1)) + _redact_parameters(rest, levels)


def redact_text(text: str) -> str:
    """Free text (an error message) with every URL in it redacted: masked text stays as it is."""
    return _URL_IN_TEXT.sub(_redacted_in_text, text)


def _redacted_in_text(found: re.Match) -> str:
    url = found.group()
    body = url.rstrip(_SENTENCE_PUNCTUATION)
    if body != url and body.endswith(MASK) and redact_url(body) == body:  # masked already: the rest is the sentence's
        return url
    return redact_url(url)


def carries_credentials(url: str) -> bool:
    return redact_url(url) != url


def credential_markers() -> tuple[str, ...]:
    """Lower-case strings one of which any text holding a credential contains, in some case: "@" (a userinfo), "="
    (a parameter), a host of a path rule, the literal start of a path rule for any host. The publish reads only the
    stored values holding one."""
    rules = credential_rules().paths
    hosts = {host.removeprefix("*.") for rule in rules for host in rule.hosts if host != "*"}
    starts = {_marker(template) for rule in rules if "*" in rule.hosts for template in rule.templates}
    return ("@", "=", *sorted(hosts | starts))


def _redact_userinfo(authority: str) -> str:
    userinfo, at, host = authority.rpartition("@")
    if not userinfo:
        return authority
    user, colon, password = userinfo.partition(":")
    if colon:  # "user:@host" has no password to hide
        return f"{user}:{MASK}@{host}" if password else authority
    return f"{MASK}@{host}"  # a user name standing alone is often a token (https://TOKEN@host/)


def _host(authority: str) -> str:
    """The authority's host as the path rules name it: lower case, without userinfo, port or a final dot."""
    host = authority.rpartition("@")[2]
    host = host[:host.find("]") + 1] if host.startswith("[") else host.partition(":")[0]
    return host.rstrip(".").lower()


def _host_matches(pattern: str, host: str) -> bool:
    if pattern.startswith("*"):
        return pattern == "*" or host == pattern[2:] or host.endswith(pattern[1:])
    return host == pattern


def _masked_path(host: str, rest: str) -> str:
    """What follows the authority, with the secret parts of its path masked when a path rule of its host says so
    (the patterns stop at the query or fragment)."""
    for rule in _rules_for_host(host):
        for pattern in rule.patterns:
            if found := pattern.match(rest):
                return _masked_groups(rest, found)
    return rest


@functools.lru_cache(maxsize=4096)
def _rules_for_host(host: str) -> tuple[PathRule, ...]:
    """The path rules that apply on `host`, in the seed file's order: a few hosts recur in every fetch row."""
    return tuple(rule for rule in credential_rules().paths if rule.answers_on(host))


def _masked_groups(text: str, found: re.Match) -> str:
    pieces, at = [], 0
    for group in range(1, found.re.groups + 1):
        start, end = found.span(group)
        pieces += [text[at:start], MASK]
        at = end
    return "".join(pieces) + text[at:]


def _redact_parameters(rest: str, levels: int) -> str:
    """What follows the authority, with the secret values of its query and fragment parameters masked (a fragment
    can carry them too: "#access_token=…")."""
    fragment_at = rest.find("#")
    fragment_at = len(rest) if fragment_at < 0 else fragment_at
    query_at = rest.find("?", 0, fragment_at)
    query_at = fragment_at if query_at < 0 else query_at
    query, fragment = rest[query_at:fragment_at], rest[fragment_at:]
    return rest[:query_at] + _masked_parameters(query, levels) + _masked_parameters(fragment, levels)


def _masked_parameters(part: str, levels: int) -> str:
    """A query ("?a=1&b=2") or fragment ("#a=1") with the values of its secret parameters masked."""
    if "=" not in part:  # most fragments, and the query of many a feed URL
        return part
    pieces = _PARAMETER_SEPARATORS.split(part[1:])
    return part[:1] + "".join(_masked(piece, levels) for piece in pieces)


def _masked(piece: str, levels: int) -> str:
    name, equals, value = piece.partition("=")
    if not (equals and value):
        return piece
    if _is_secret(name):
        return f"{name}={MASK}"
    shown = _nested_url_masked(value, levels)
    return piece if shown == value else f"{name}={shown}"


def _nested_url_masked(value: str, levels: int) -> str:
    """A parameter's value that may be a URL, raw or percent-encoded (once or more), with its credentials masked.
    One that was encoded is encoded again once masked: all but letters, digits, "-._~" and the mask's "*" (its
    original spelling cannot be kept, and an outer parser must not split it)."""
    if levels == 0 or not _MAYBE_NESTED.search(value):
        return value
    shown = _redacted(value, levels - 1)
    decoded = unquote(shown, errors="replace") if "%" in shown else shown
    if decoded == shown:
        return shown
    masked = _nested_url_masked(decoded, levels - 1)
    return shown if masked == decoded else quote(masked, safe=MASK[0], errors="surrogatepass")


def _is_secret(name: str) -> bool:
    return _folded(unquote(name.replace("+", " "), errors="replace")) in credential_rules().folded_parameters


def _folded(name: str) -> str:
    """A parameter name as compared: "api_key", "API-KEY", "apiKey", " api.key " and "apikey\t" are one name."""
    return name.lower().translate(_NAME_SEPARATORS)


@functools.lru_cache(maxsize=1)
def credential_rules(path: Path = CREDENTIAL_SEEDS) -> CredentialRules:
    """The secret parameter names and path rules seeds/credentials.toml lists, checked once per process."""
    document = read_url_seed(path, _SEED_KEYS)
    entries = document.get("paths", [])
    if not isinstance(entries, list):
        raise SeedPlace(path, ("paths",)).error("`paths` must be [[paths]] entries")
    rules = tuple(_path_rule(SeedPlace(path).at("paths", index, entry=f"[[paths]] entry {index + 1}"), entry)
                  for index, entry in enumerate(entries))
    return CredentialRules(parameter_names(SeedPlace(path), document, "parameters"), rules)


def _path_rule(place: SeedPlace, entry: object) -> PathRule:
    """One [[paths]] entry, checked: a wrong one says which entry it is, its line and what is wrong with it."""
    if not isinstance(entry, dict) or set(entry) != _PATH_RULE_KEYS:
        raise place.error(f"needs exactly the keys {', '.join(sorted(_PATH_RULE_KEYS))}")
    service, hosts, templates = entry["service"], entry["hosts"], entry["paths"]
    place = place.at(entry=f"{place.entry} ({service!r})")
    if not isinstance(service, str) or not service.strip():
        raise place.at("service").error("`service` must name the service")
    if not _is_list_of_strings(hosts) or not all(_HOST_PATTERN.match(host) for host in hosts):
        raise place.at("hosts").error("`hosts` must list lower-case host names, \"*.domain\" or \"*\"")
    if not _is_list_of_strings(templates):
        raise place.at("paths").error("`paths` must list path patterns")
    try:
        patterns = tuple(_path_pattern(template, any_host="*" in hosts) for template in templates)
    except ValueError as exc:
        raise place.at("paths").error(str(exc)) from exc
    return PathRule(service, tuple(hosts), tuple(templates), patterns)


def _is_list_of_strings(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, str) for item in value)


def _path_pattern(template: str, any_host: bool) -> re.Pattern:
    """The regular expression of a path pattern ("/services/*/*/{secret}"), one group per secret part, matched from
    the path's start and never past it; the pattern's last segment ends at a "/" or the path's end."""
    if not template.startswith("/") or "?" in template or "#" in template:
        raise ValueError(f"path pattern {template!r} must start with \"/\" and hold no \"?\" or \"#\"")
    segments = template[1:].split("/")
    if any_host and _marker(template) in ("", "/"):
        raise ValueError(f"path pattern {template!r} is for any host: it must start with a literal segment")
    parts = [_segment_pattern(template, segment, last=number == len(segments))
             for number, segment in enumerate(segments, start=1)]
    if not any(SECRET[:-1] in segment for segment in segments):
        raise ValueError(f"path pattern {template!r} has no {SECRET} part")
    # "//" between segments reaches the same resource on most servers ("hooks.slack.com//services/…")
    return re.compile("/+" + "/+".join(parts) + r"(?=[/?#]|\Z)", re.IGNORECASE)


def _segment_pattern(template: str, segment: str, last: bool) -> str:
    if segment == SECRET_TO_END:
        if not last:
            raise ValueError(f"path pattern {template!r}: {SECRET_TO_END} must be its last segment")
        return "([^?#]+)"
    before, secret, after = segment.partition(SECRET)
    if not secret:
        if "{" in segment or "}" in segment:
            raise ValueError(f"path pattern {template!r}: unknown placeholder in {segment!r}")
        return "[^/?#]*".join(map(re.escape, segment.split("*")))
    if any(char in before + after for char in "{}*"):
        raise ValueError(f"path pattern {template!r}: a segment holds one {SECRET} and no \"*\"")
    return f"{re.escape(before)}([^/?#]+){re.escape(after)}"


def _marker(template: str) -> str:
    """The literal start of a path pattern, up to its first "*" or placeholder."""
    return re.split(r"[*{]", template, maxsplit=1)[0]

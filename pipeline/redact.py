"""Credentials in URLs, hidden from whatever a reader sees.

A feed URL may carry a credential: a password in its userinfo ("https://user:secret@host/feed") or a secret query
parameter ("?apikey=…", named in seeds/credentials.toml). The poller needs the real URL, so the writer's
`feeds.url` keeps it; everything shown or published (the snapshot, `feeds list`, the dashboard, the ingest log,
stored fetch URLs and errors) goes through `redact_url` or `redact_text` first. Shared by feeds/, ingest, the
CLI and store/ (which publishes the snapshot), as csv_cells is: pure string work, no I/O but the seed file's one
read.

The redaction works on the text as written, never on a parsed and re-joined URL: what it leaves is byte-identical,
and no input (malformed, bracketed IPv6, percent-encoded, control characters) can make it raise. Where parsers
disagree it masks more: the userinfo ends at the authority's last "@", as in urllib and httpx.
"""
from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from urllib.parse import unquote

MASK = "***"
CREDENTIAL_SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "credentials.toml"
# The authority follows the first "//" with no "/", "?" or "#" before it ("https://", a scheme-relative "//", or a
# scheme with tabs in it, which urlsplit and browsers drop) and ends at the next of them.
_AUTHORITY = re.compile(r"\A[^/?#]*//([^/?#]*)")
_PARAMETER_SEPARATORS = re.compile(r"([&;])")
# A URL inside free text (an error message): a scheme, "://", and everything up to whitespace or a quote or angle
# bracket around it ("… at 'https://…?apikey=…', got …"), which masking would otherwise swallow. Not a comma or a
# parenthesis: a URL may hold them, and a secret's tail after one would stay readable.
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s'\"<>]+")
_PARAMETER_NAME = re.compile(r"\A[a-z0-9][a-z0-9_.\-]*\Z")


class CredentialSeedError(ValueError):
    """seeds/credentials.toml is missing or malformed."""


def redact_url(url: str) -> str:
    """`url` with the password of its userinfo (or a user name standing alone, often a token) and the values of its
    secret query and fragment parameters replaced by "***"; every other character as it was."""
    authority = _AUTHORITY.match(url)
    if authority is None:
        return _redact_parameters(url)
    start, end = authority.span(1)
    return url[:start] + _redact_userinfo(authority.group(1)) + _redact_parameters(url[end:])


def redact_text(text: str) -> str:
    """Free text (an error message) with every URL in it redacted."""
    return _URL_IN_TEXT.sub(lambda found: redact_url(found.group()), text)


def carries_credentials(url: str) -> bool:
    return redact_url(url) != url


def _redact_userinfo(authority: str) -> str:
    userinfo, at, host = authority.rpartition("@")
    if not userinfo:
        return authority
    user, colon, password = userinfo.partition(":")
    if colon:  # "user:@host" has no password to hide
        return f"{user}:{MASK}@{host}" if password else authority
    return f"{MASK}@{host}"  # a user name standing alone is often a token (https://TOKEN@host/)


def _redact_parameters(rest: str) -> str:
    """What follows the authority, with the secret values of its query and fragment parameters masked (a fragment
    can carry them too: "#access_token=…")."""
    fragment_at = rest.find("#")
    fragment_at = len(rest) if fragment_at < 0 else fragment_at
    query_at = rest.find("?", 0, fragment_at)
    query_at = fragment_at if query_at < 0 else query_at
    return rest[:query_at] + _masked_parameters(rest[query_at:fragment_at]) + _masked_parameters(rest[fragment_at:])


def _masked_parameters(part: str) -> str:
    """A query ("?a=1&b=2") or fragment ("#a=1") with the values of its secret parameters masked."""
    pieces = _PARAMETER_SEPARATORS.split(part[1:])
    return part[:1] + "".join(_masked(piece) for piece in pieces)


def _masked(piece: str) -> str:
    name, equals, value = piece.partition("=")
    return f"{name}={MASK}" if equals and value and _is_secret(name) else piece


def _is_secret(name: str) -> bool:
    return unquote(name.replace("+", " "), errors="replace").strip().lower() in secret_parameters()


@functools.lru_cache(maxsize=1)
def secret_parameters(path: Path = CREDENTIAL_SEEDS) -> frozenset[str]:
    """The parameter names seeds/credentials.toml lists, checked once per process."""
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CredentialSeedError(f"{path}: {exc}") from exc
    names = document.get("parameters")
    unknown = sorted(set(document) - {"parameters"})
    if unknown:
        raise CredentialSeedError(f"{path}: unknown key(s) {', '.join(unknown)}")
    if not isinstance(names, list) or not names:
        raise CredentialSeedError(f"{path}: `parameters` must be a non-empty list of names")
    wrong = [name for name in names if not isinstance(name, str) or not _PARAMETER_NAME.match(name)]
    if wrong:
        raise CredentialSeedError(f"{path}: not a lower-case parameter name: {', '.join(map(repr, wrong[:5]))}")
    return frozenset(names)

"""The seed files of URL rules (seeds/credentials.toml, seeds/tracking.toml, seeds/redirectors.toml): read and
checked alike.

They list query parameter names, which feeds/ and redact.py compare in lower case; a mistake in any file must
stop the process with the file and the entry named, not silently keep a credential or a click id in a URL."""
from __future__ import annotations

import re
from pathlib import Path

from pipeline.toml_lines import read_toml

_PARAMETER_NAME = re.compile(r"\A[a-z0-9_][a-z0-9_.\-]*\Z")
_PARAMETER_VALUE = re.compile(r"\A[a-z0-9_][a-z0-9_.\-]*=[a-z0-9_.\-]+\Z")
_HOST_NAME = re.compile(r"\A[a-z0-9\-]+(\.[a-z0-9\-]+)+\Z")
_ELEMENT_NAME = re.compile(r"\A[A-Za-z_][\w.\-]*:[A-Za-z_][\w.\-]*\Z")  # prefix:name, as a feed writes it


class UrlSeedError(ValueError):
    """A URL rules seed file is missing or malformed."""


def read_url_seed(path: Path, keys: set[str]) -> dict:
    """The TOML document at `path`, which may hold only `keys`."""
    document = read_toml(path, UrlSeedError)
    unknown = sorted(set(document) - keys)
    if unknown:
        raise UrlSeedError(f"{path}: unknown key(s) {', '.join(unknown)}")
    return document


def parameter_names(path: Path | str, document: dict, key: str) -> frozenset[str]:
    """The non-empty list of lower-case query parameter names (or name prefixes) under `key` (`path` names the file,
    or the part of it, errors name)."""
    return _checked_list(path, document, key, _PARAMETER_NAME, "lower-case parameter name")


def parameter_values(path: Path | str, document: dict, key: str) -> frozenset[tuple[str, str]]:
    """The non-empty list of lower-case "name=value" entries under `key`, as (name, value): a parameter that names
    the document with other values ("ref=42") is dropped only with this one ("ref=rss")."""
    entries = _checked_list(path, document, key, _PARAMETER_VALUE, "lower-case name=value")
    return frozenset((name, value) for name, _, value in (entry.partition("=") for entry in entries))


def host_names(path: Path | str, document: dict, key: str) -> frozenset[str]:
    """The non-empty list of lower-case host names under `key` ("www.google.com"; no wildcard)."""
    return _checked_list(path, document, key, _HOST_NAME, "lower-case host name")


def element_names(path: Path | str, document: dict, key: str) -> frozenset[str]:
    """The non-empty list of namespaced XML element names under `key` ("feedburner:origLink")."""
    return _checked_list(path, document, key, _ELEMENT_NAME, "prefix:name element name")


def _checked_list(path: Path | str, document: dict, key: str, pattern: re.Pattern, what: str) -> frozenset[str]:
    entries = document.get(key)
    if not isinstance(entries, list) or not entries:
        raise UrlSeedError(f"{path}: `{key}` must be a non-empty list")
    wrong = [entry for entry in entries if not isinstance(entry, str) or not pattern.match(entry)]
    if wrong:
        raise UrlSeedError(f"{path}: `{key}`: not a {what}: {', '.join(map(repr, wrong[:5]))}")
    return frozenset(entries)

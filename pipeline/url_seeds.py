"""The seed files of URL rules (seeds/credentials.toml, seeds/tracking.toml, seeds/redirectors.toml): read and
checked alike.

They list query parameter names, which feeds/ and redact.py compare in lower case; a mistake in any file must
stop the process with the file, its line and the entry named, not silently keep a credential or a click id in a
URL."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.toml_lines import line_in_file, located, read_toml

_PARAMETER_NAME = re.compile(r"\A[a-z0-9_][a-z0-9_.\-]*\Z")
_PARAMETER_VALUE = re.compile(r"\A[a-z0-9_][a-z0-9_.\-]*=[a-z0-9_.\-]+\Z")
_HOST_NAME = re.compile(r"\A[a-z0-9\-]+(\.[a-z0-9\-]+)+\Z")
_ELEMENT_NAME = re.compile(r"\A[A-Za-z_][\w.\-]*:[A-Za-z_][\w.\-]*\Z")  # prefix:name, as a feed writes it


class UrlSeedError(ValueError):
    """A URL rules seed file is missing or malformed."""


@dataclass(frozen=True)
class SeedPlace:
    """Where a value of a URL rules file is: the file, the keys that lead to the value in its document, and the name
    of the entry holding it ("[[paths]] entry 3 ('slack')"). Its error names the line that sets the value, as a
    compiler's does ("credentials.toml:57: [[paths]] entry 3 ('slack'): `hosts` must ...")."""
    path: Path
    keys: tuple = ()
    entry: str = ""

    def at(self, *keys: str | int, entry: str | None = None) -> SeedPlace:
        """The place of the value at `keys` under this one, in the entry `entry` names (else in this one's)."""
        return SeedPlace(self.path, (*self.keys, *keys), self.entry if entry is None else entry)

    def error(self, problem: str) -> UrlSeedError:
        """`problem` of the value here; the file is read again for its line, which only a mistake needs."""
        named = f"{self.entry}: {problem}" if self.entry else problem
        return UrlSeedError(located(self.path, named, line_in_file(self.path, self.keys)))


def read_url_seed(path: Path, keys: set[str]) -> dict:
    """The TOML document at `path`, which may hold only `keys`."""
    document = read_toml(path, UrlSeedError)
    unknown = sorted(set(document) - keys)
    if unknown:
        raise SeedPlace(path, (unknown[0],)).error(f"unknown key(s) {', '.join(unknown)}")
    return document


def parameter_names(place: SeedPlace, document: dict, key: str) -> frozenset[str]:
    """The non-empty list of lower-case query parameter names (or name prefixes) under `key` of `document`, the
    table at `place`."""
    return _checked_list(place, document, key, _PARAMETER_NAME, "lower-case parameter name")


def parameter_values(place: SeedPlace, document: dict, key: str) -> frozenset[tuple[str, str]]:
    """The non-empty list of lower-case "name=value" entries under `key`, as (name, value): a parameter that names
    the document with other values ("ref=42") is dropped only with this one ("ref=rss")."""
    entries = _checked_list(place, document, key, _PARAMETER_VALUE, "lower-case name=value")
    return frozenset((name, value) for name, _, value in (entry.partition("=") for entry in entries))


def host_names(place: SeedPlace, document: dict, key: str) -> frozenset[str]:
    """The non-empty list of lower-case host names under `key` ("www.google.com"; no wildcard)."""
    return _checked_list(place, document, key, _HOST_NAME, "lower-case host name")


def element_names(place: SeedPlace, document: dict, key: str) -> frozenset[str]:
    """The non-empty list of namespaced XML element names under `key` ("feedburner:origLink")."""
    return _checked_list(place, document, key, _ELEMENT_NAME, "prefix:name element name")


def _checked_list(place: SeedPlace, document: dict, key: str, pattern: re.Pattern, what: str) -> frozenset[str]:
    entries = document.get(key)
    if not isinstance(entries, list) or not entries:
        raise place.at(key).error(f"`{key}` must be a non-empty list")
    wrong = [entry for entry in entries if not isinstance(entry, str) or not pattern.match(entry)]
    if wrong:
        raise place.at(key).error(f"`{key}`: not a {what}: {', '.join(map(repr, wrong[:5]))}")
    return frozenset(entries)

"""An entry's link as the publisher's address.

A feed may link its entries through a feed proxy or a click tracker (FeedBurner's feedproxy.google.com/~r/…, Google
Alerts' google.com/url?url=…, Yandex News' cl4url=…): the link stored is then the publisher's address the entry
carries, by the rules of seeds/redirectors.toml, when that is an http(s) URL of a public host; else the link as the
feed gave it, and the document's record says why. A saved document replayed from a file or a loopback server resolves
its relative links against the address it names as its own, as a poll of its real host did."""
from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qsl, quote, urljoin, urlsplit

from pipeline.controls import CONTROLS
from pipeline.feeds.addresses import is_loopback_host, is_public_host
from pipeline.feeds.identity import TrackingRules, canonical_url, earlier_tracking_rules
from pipeline.paths import SEEDS
from pipeline.url_seeds import SeedPlace, element_names, host_names, parameter_names, read_url_seed

MAX_URL_CHARS = 2_048
REDIRECTOR_SEEDS = SEEDS / "redirectors.toml"
_WEB_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_SHOWN_HOST_CHARS = 100


def safe_link(link: Any, base_url: str, rules: TrackingRules | None = None) -> str | None:
    """The canonical absolute http(s) URL of `link`, resolved against `base_url` (without today's tracking
    parameters, else those of `rules`); else None."""
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        absolute = urljoin(base_url, link.strip())
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in _WEB_SCHEMES or not parts.hostname or CONTROLS.search(parts.hostname):
        return None
    # no control in a link's text (`pactwatch alerts` prints links, where an escape drives the terminal):
    # percent-encoded, as browsers send them
    url = CONTROLS.sub(lambda control: quote(control.group()), canonical_url(absolute, rules))
    return url if len(url) <= MAX_URL_CHARS else None


@dataclass(frozen=True, slots=True)
class Redirector:
    """A redirector that carries its target in a query parameter."""

    hosts: frozenset[str]
    path: str
    parameters: tuple[str, ...]  # the first present is the target
    scheme: str | None = None  # given to a target written without one ("ria.ru/…")

    def target(self, parts: SplitResult) -> str | None:
        """The address a link (`parts`, of a safe_link) redirects to, as written; None when it is not this
        redirector's or names none."""
        if parts.hostname not in self.hosts or parts.path != self.path:
            return None
        values: dict[str, str] = {}
        for name, value in parse_qsl(parts.query):
            values.setdefault(name.lower(), value)
        target = next((values[name] for name in self.parameters if values.get(name)), None)
        if target and self.scheme and not _SCHEME.match(target):
            return f"{self.scheme}://{target}"
        return target


@dataclass(frozen=True)
class RedirectorRules:
    original_links: tuple[str, ...]  # the item fields holding the publisher's link, as feedparser names them
    redirectors: tuple[Redirector, ...]

    @functools.cached_property
    def hosts(self) -> frozenset[str]:
        return frozenset().union(*(redirector.hosts for redirector in self.redirectors))

    def may_carry_an_address(self, entry: Mapping[str, Any]) -> bool:
        """Whether an entry has an original-link element or a link to a redirector's host (most have neither: their
        link is read as it is, and cheaply)."""
        link = entry.get("link")
        return bool(self._originals(entry)) or (isinstance(link, str) and _host(safe_link(link, "")) in self.hosts)

    def addresses_carried(self, entry: Mapping[str, Any], link: str | None) -> list[str]:
        """The publisher's addresses an entry carries beside its link (`link`, its safe_link), as written, the
        preferred first: its original-link elements, then the target of a redirector link."""
        parts = urlsplit(link) if _host(link) in self.hosts else None
        targets = (redirector.target(parts) for redirector in self.redirectors) if parts else ()
        return self._originals(entry) + [target for target in targets if target][:1]

    def _originals(self, entry: Mapping[str, Any]) -> list[str]:
        values = (entry.get(name) for name in self.original_links)
        return [value for value in values if isinstance(value, str) and value.strip()]


def _host(link: str | None) -> str | None:
    """The host of a safe_link (canonical: "scheme://host/…"), or of none; with a user part or a port it names no
    redirector."""
    return link.split("/", 3)[2] if link else None


@functools.lru_cache(maxsize=1)
def redirector_rules(path: Path = REDIRECTOR_SEEDS) -> RedirectorRules:
    """The rules of seeds/redirectors.toml, checked: a mistake stops the process with the file, line and entry named."""
    document = read_url_seed(path, {"original_links", "redirectors"})
    elements = _listed(SeedPlace(path), document, "original_links", element_names)
    tables = document.get("redirectors", [])
    if not isinstance(tables, list):
        raise SeedPlace(path, ("redirectors",)).error("`redirectors` must be [[redirectors]] tables")
    return RedirectorRules(
        tuple(element.lower().replace(":", "_") for element in elements),
        tuple(_redirector(SeedPlace(path).at("redirectors", index, entry=f"[[redirectors]] table {index + 1}"), table)
              for index, table in enumerate(tables)))


def _redirector(place: SeedPlace, table: object) -> Redirector:
    required, known = {"hosts", "path", "parameters"}, {"hosts", "path", "parameters", "scheme"}
    if not isinstance(table, dict) or not required <= set(table) or set(table) - known:
        raise place.error("needs hosts, path and parameters, may give scheme, and no other key")
    if not isinstance(table["path"], str) or not table["path"].startswith("/"):
        raise place.at("path").error("`path` must be a URL path, starting with /")
    if table.get("scheme", "https") not in _WEB_SCHEMES:
        raise place.at("scheme").error("`scheme` must be http or https")
    return Redirector(host_names(place, table, "hosts"), table["path"],
                      _listed(place, table, "parameters", parameter_names), table.get("scheme"))


def _listed(place: SeedPlace, table: dict, key: str, check: Callable[[SeedPlace, dict, str], object]
            ) -> tuple[str, ...]:
    """The entries of `table[key]` that `check` (a url_seeds reader) accepts, in the file's order: the first wins."""
    check(place, table, key)
    return tuple(dict.fromkeys(table[key]))


def _address_problem(written: str, url: str | None) -> str | None:
    """Why an address an entry carries (`written`; `url`, its safe_link) is no page to store for it; None when it is
    one: an absolute http(s) URL of a public host. Its host is judged by its name (feeds/addresses.py), never looked
    up."""
    if url is None:
        scheme = _SCHEME.match(written.strip())
        return f"not an absolute http(s) URL ({scheme.group() if scheme else 'no scheme'})"
    host = urlsplit(url).hostname or ""
    return None if is_public_host(host) else f"not a public host ({host[:_SHOWN_HOST_CHARS]})"


def _relative_link_base(base_url: str, feed: Mapping[str, Any]) -> str:
    """What an entry's relative link is resolved against: the address the document came from (RFC 3986), unless that
    is a file or a loopback host, a replay of a saved document: then the address the document names as its own
    (rel="self"), else its site's (rel="alternate", RSS's channel <link>), so that a replay links and keys its entries
    as a poll of the real host did; without either, the address it came from (a file's relative links give none)."""
    if not _served_locally(base_url):
        return base_url
    own = [link.get("href") for link in feed.get("links") or () if link.get("rel") == "self"]
    return next((address for address in (*own, feed.get("link")) if _remote_address(address)), base_url)


def _served_locally(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() == "file" or is_loopback_host(parts.hostname or "")


def _remote_address(address: Any) -> bool:
    return isinstance(address, str) and bool(safe_link(address, "")) and not _served_locally(address.strip())


class DocumentLinks:
    """How the entries of one document (fetched from `base_url`; `feed`, feedparser's channel) are linked, and why it
    kept some links as given although they carry another address (`kept`: for the fetch's record)."""

    def __init__(self, base_url: str, feed: Mapping[str, Any]):
        self.base_url = base_url
        self.relative_base = _relative_link_base(base_url, feed)
        self.rules = redirector_rules()
        self.kept: list[str] = []

    def apart(self) -> DocumentLinks:
        """The same reading of links with a record of its own (for another reading of the document's entries)."""
        twin = copy.copy(self)
        twin.kept = []
        return twin

    def publisher_link(self, entry: Mapping[str, Any]) -> str | None:
        """The entry's link as stored: the publisher's address it carries, else its own link."""
        url, problem = self._publisher_reading(entry, None)
        if problem:
            self.kept.append(problem)
        return url

    def earlier_keys(self, entry: Mapping[str, Any], key: str, key_of: Callable[[str | None], str]) -> tuple[str, ...]:
        """The keys other than `key` that the entry's links gave it before (`key_of`: the key of a link, or of none):
        under the tracking rules before each [[added]] table of seeds/tracking.toml, the latest first, and as versions
        before read its link (its own, never the publisher's address it carries; a relative one against the address
        fetched), so that an article stored under one of them is found, not stored again."""
        read_otherwise = self.relative_base != self.base_url or self.rules.may_carry_an_address(entry)
        readings = (self._publisher_reading, self._link_as_before) if read_otherwise else (self._publisher_reading,)
        links = (read(entry, rules)[0] for rules in (None, *earlier_tracking_rules()) for read in readings)
        return tuple(dict.fromkeys(other for other in map(key_of, links) if other != key))

    def _publisher_reading(self, entry: Mapping[str, Any],
                           rules: TrackingRules | None) -> tuple[str | None, str | None]:
        """(the link to store, why the publisher's address the entry carries was refused, or None)."""
        link = safe_link(entry.get("link"), self.relative_base, rules)
        refused = []
        for written in self.rules.addresses_carried(entry, link):
            address = safe_link(written, "", rules)  # absolute, or none: a redirector's target has no base
            if (problem := _address_problem(written, address)) is None:
                return address, None
            refused.append(problem)
        return link, next(iter(refused), None)

    def _link_as_before(self, entry: Mapping[str, Any], rules: TrackingRules | None) -> tuple[str | None, None]:
        """(its link as versions before read it, None): a reading as _publisher_reading gives one."""
        return safe_link(entry.get("link"), self.base_url, rules), None

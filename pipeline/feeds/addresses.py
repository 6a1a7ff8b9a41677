"""Which addresses are the public internet's: the poller's redirect checks (feeds/http.py) and the parser's checks of
the links it stores (feeds/links.py) judge them alike; and which port is a scheme's own. Standard library only: parse workers import it."""
from __future__ import annotations

import ipaddress
import re

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # the well-known prefix: its last 32 bits are the IPv4 address reached
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # the local-use prefix (RFC 8215): a network's own translator
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated "::127.0.0.1", still routed to the IPv4 one by some stacks
DEFAULT_PORTS = {"http": 80, "https": 443}  # the port a URL of the scheme reaches when it names none


def is_default_port(scheme: str, port: int | None) -> bool:
    """Whether `port` is none or the scheme's own: left out of a name, "host" and "host:443" are one server."""
    return port is None or DEFAULT_PORTS.get(scheme.lower()) == port


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Globally reachable unicast. An IPv6 address that carries an IPv4 one (mapped ::ffff:127.0.0.1, 6to4
    2002:7f00:1::, NAT64 64:ff9b::7f00:1, IPv4-compatible ::127.0.0.1) is judged as that IPv4 address: Python calls the
    last three global, and a host whose stack or network translates them would reach the loopback."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in _LOCAL_NAT64:
            return False
        address = _carried_ipv4(address) or address
    return address.is_global and not address.is_multicast


def _carried_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if address in _NAT64 or address in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


# A host name ending so is an IPv4 address to a browser (WHATWG URL): "127.1", "0x7f.0.0.1" and "2130706433" all
# open 127.0.0.1, though Python reads none of them as an address.
_IPV4_TAIL = re.compile(r"[0-9]+|0x[0-9a-f]*")


def is_public_host(host: str) -> bool:
    """Whether a URL's host (as urlsplit gives it: lower case, an IPv6 address without brackets) can be a public web
    server's, told without asking DNS (a stored link is never fetched, but a reader's browser opens it): a public
    address, or a name of two labels or more that is not localhost's and does not end as an IPv4 address does."""
    try:
        return is_public(ipaddress.ip_address(host))
    except ValueError:
        pass
    labels = host.split(".")
    return len(labels) > 1 and labels[-1] != "localhost" and not _IPV4_TAIL.fullmatch(labels[-1])


def is_loopback_host(host: str) -> bool:
    """Whether a URL's host is this machine: localhost (or a name under it) or a loopback address."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    if not host[:1].isdigit() and ":" not in host:  # a name, most often: no address to read (raising costs)
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    carried = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return (carried or address).is_loopback

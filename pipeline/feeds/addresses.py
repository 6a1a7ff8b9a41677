"""Which addresses are the public internet's: the poller's redirect checks (feeds/http.py) and the parser's checks of
the links it stores (feeds/links.py) judge them alike. Standard library only: parse workers import it."""
from __future__ import annotations

import ipaddress

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # the well-known prefix: its last 32 bits are the IPv4 address reached
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # the local-use prefix (RFC 8215): a network's own translator
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated "::127.0.0.1", still routed to the IPv4 one by some stacks


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

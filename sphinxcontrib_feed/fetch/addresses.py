"""No step from a public address to a private one.

A source the author wrote may be on any address (a feed served on the
intranet, a test server on 127.0.0.1). But once an exchange has reached a
public address, a redirect, or the feed an HTML page advertises, may not
lead on to a private, loopback or link-local one (a cloud metadata endpoint,
a service on the build machine), unless ``feed_allowed_hosts`` names that
host. The address checked is the one the socket is connected to
(:func:`check_peer`, called by the connections of :mod:`.inflight` before a
request is sent on them), so no second name lookup comes between the check
and the connection. Behind a proxy, the proxy connects, and this check does
not apply.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from sphinxcontrib_feed.errors import FetchError
from sphinxcontrib_feed.settings.config import host_allowed

if TYPE_CHECKING:
    import socket

#: FOR TESTS ONLY: addresses treated as public (a test cannot reach a real
#: public host, so it declares one of its local servers public, e.g.
#: ``127.0.0.2``). The extension never sets it; no setting or environment
#: variable reaches it.
TREAT_AS_PUBLIC: frozenset[str] = frozenset()


def is_public(ip: str) -> bool:
    """Whether *ip* is a global address (not private, loopback, link-local, reserved...)."""
    if ip in TREAT_AS_PUBLIC:
        return True
    try:
        address = ipaddress.ip_address(ip.partition("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global


class Hops:
    """The public address an exchange has reached, if any, and the author's allowed hosts."""

    def __init__(
        self, allowed_hosts: tuple[str, ...] | None = None, origin: str | None = None
    ) -> None:
        self.allowed_hosts = allowed_hosts
        #: The last public address reached ("host (ip)"), from this exchange or the
        #: page that advertised its feed.
        self.origin = origin


def check_peer(hops: Hops | None, host: str, sock: socket.socket) -> None:
    """Refuse (:class:`.FetchError`) a connection that steps from public to private."""
    if hops is None:
        return
    try:
        ip = str(sock.getpeername()[0])
    except (OSError, IndexError):
        return  # not connected (a closed socket fails on its own), or no address
    here = ip if host.strip("[]") == ip else f"{host} ({ip})"
    if is_public(ip):
        hops.origin = here
        return
    if hops.origin is None:
        return  # the author's own source, on a private address
    allowed = hops.allowed_hosts
    if allowed is not None and host_allowed(f"http://{host}/", allowed):
        return
    raise FetchError(
        f"refused to go on from {hops.origin}, a public address, to {here}, a private, "
        f"loopback or link-local one; name {host} in feed_allowed_hosts to allow it"
    )

"""Upstreams scripted in memory: urllib3 connections that reach a ``ReplayServer`` through a
socket pair instead of the network.

The whole client stack runs as it does in production (requests, urllib3's pool and ``Retry``,
``upstream``'s deadline and body reading, timeouts on a real socket), and the server answers as
the loopback one does, but nothing connects anywhere, so unit tests (which refuse connections)
can script upstreams, and each exchange takes a fraction of a millisecond.
"""

from __future__ import annotations

import socket
from typing import ClassVar

from hotpapers.local.replay import ReplayServer
from urllib3.connection import HTTPConnection


class PairedConnection(HTTPConnection):
    """An HTTP connection to ``server`` (set on a subclass), whatever host the URL names."""

    server: ClassVar[ReplayServer]

    def _new_conn(self) -> socket.socket:
        sock = self.server.connect_pair()
        if isinstance(self.timeout, int | float):
            sock.settimeout(self.timeout)
        return sock


def connection_to(server: ReplayServer) -> type[PairedConnection]:
    """The connection class a pool uses to reach ``server``."""
    return type("ConnectionToReplay", (PairedConnection,), {"server": server})

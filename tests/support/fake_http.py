"""``ReplayServer`` reached in memory, for unit tests (which refuse connections).

Two ways in, one fake: the routes, the 404 and the record are ``ReplayServer``'s.

- ``connection_to(server)``: urllib3 connections for ``http://`` URLs that reach the server
  through a socket pair. The whole client stack runs as in production (timeouts on a real
  socket, the body read from it), so a reply's delay, cut or trickle is felt as it would be.
- ``mount(server, session)``: a session's connection pools answered by ``server.answer`` with no
  socket at all, for ``https://`` URLs; an exception in a route's replies is raised where the
  socket would fail (``ConnectionResetError``, a timeout), and each request records its timeout.

Either way everything above the socket is the real code: requests, urllib3's retry loop with
``upstream.PoliteRetry`` (its waits recorded, never slept, by the ``waits`` fixture of
``tests/unit/conftest.py``) and ``upstream.send``'s reading of the body.
"""

from __future__ import annotations

import io
import socket
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar

import requests
from hotpapers.config import load_settings
from hotpapers.offline.replay import ReplayServer, request_of
from hotpapers.schedule import window_for
from hotpapers.sources import FetchRequest, Source
from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPResponse, HTTPSConnectionPool
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
    """The connection class a pool uses to reach ``server`` through a socket pair."""
    return type("ConnectionToReplay", (PairedConnection,), {"server": server})


def mount(server: ReplayServer, session: requests.Session) -> requests.Session:
    """Answer ``session``'s requests from ``server`` without a socket, keeping its adapters' retry policies."""
    answering = {"_server": server}
    pools = {
        "http": type("AnsweringPool", (_Answering, HTTPConnectionPool), answering),
        "https": type("AnsweringTlsPool", (_Answering, HTTPSConnectionPool), answering),
    }
    for adapter in session.adapters.values():
        assert isinstance(adapter, HTTPAdapter)
        adapter.poolmanager.pool_classes_by_scheme = pools
        adapter.poolmanager.clear()
    return session


class _Answering:
    """A connection pool whose requests are answered by a ``ReplayServer`` instead of a socket."""

    _server: ReplayServer
    scheme: str
    host: str
    port: int | None

    def _make_request(self, conn: Any, method: str, url: str, body: Any = None, headers: Any = None, **kw: Any) -> Any:
        default_port = {"http": 80, "https": 443}[self.scheme]
        netloc = self.host if self.port in (None, default_port) else f"{self.host}:{self.port}"
        request = request_of(
            method,
            f"{self.scheme}://{netloc}{url}",
            dict(headers or {}),
            body.encode() if isinstance(body, str) else body or b"",
            kw["timeout"].read_timeout,
        )
        reply = self._server.answer(request)
        response = HTTPResponse(
            body=io.BytesIO(reply.body),
            headers=reply.headers,
            status=reply.status,
            preload_content=False,
            decode_content=False,
            request_method=method,
            request_url=url,
            retries=kw.get("retries"),
        )
        # What urllib3's own _make_request sets: the connection goes back to this pool once read.
        response._connection = kw.get("response_conn")
        response._pool = self  # type: ignore[assignment]
        return response


# The day of ``tests/support/sources_day.py``: the digest of 2026-06-02, fetched the next morning.
DAY = date(2026, 6, 2)
NOW = datetime(2026, 6, 3, 7, 46, 45, tzinfo=UTC)
ANNOUNCED = datetime(2026, 6, 2, 0, 0, tzinfo=UTC)
"""Where the day's post searches start (20:00 EDT on 2026-06-01)."""

SourceT = TypeVar("SourceT", bound=Source)


def fetch_request(now: datetime = NOW, day: date = DAY, env: dict[str, str] | None = None) -> FetchRequest:
    """The request of ``day``'s fetch run at ``now``, with ``env`` as its ``HOTPAPERS_*`` settings."""
    return FetchRequest(window=window_for(day), now=now, settings=load_settings(env or {}))


def connected(source: type[SourceT], upstreams: ReplayServer, request: FetchRequest) -> SourceT:
    """``source`` with the session its settings give it, answered by ``upstreams`` in memory."""
    found = source.connect(request.settings)
    mount(upstreams, found.session)
    assert isinstance(found, source)
    return found

"""Upstream HTTP APIs answered in-process, for unit tests of the sources' fetches.

``FakeUpstreams.mount`` swaps the connection pools of a real ``upstream.make_session`` session
for pools that answer from scripted replies instead of a socket. Everything above the socket is
the real code: requests, urllib3's retry loop with ``upstream.PoliteRetry`` (its waits are
recorded, never slept, by the ``upstreams`` fixture of ``tests/unit/conftest.py``), and
``upstream.send``'s reading of the body. So a test can script "429 with a reset header, then
200" and see what the source asked, with which headers, and how long it would have waited,
in milliseconds. Replies reuse ``hotpapers.local.replay.Reply``; an exception instance in a
route's replies is raised where the socket would fail (``ConnectionResetError``, a timeout).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

import requests
from hotpapers.config import load_settings
from hotpapers.local.replay import Reply
from hotpapers.schedule import window_for
from hotpapers.sources import FetchRequest, Source
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3 import HTTPConnectionPool, HTTPResponse, HTTPSConnectionPool

Answer = Reply | BaseException | Callable[["Asked"], Reply]


@dataclass(frozen=True)
class Asked:
    """One request as upstream would have received it."""

    method: str
    url: str
    """Scheme, host and path, without the query."""
    query: dict[str, str]
    headers: CaseInsensitiveDict[str]
    body: bytes
    timeout: float | None
    """The attempt's read timeout, in seconds."""


@dataclass
class _Route:
    url: str
    answers: list[Answer]
    query: dict[str, str]
    served: int = 0


@dataclass
class FakeUpstreams:
    """Scripted answers by URL (scheme, host and path), each route's list consumed in order, the
    last repeating; a request no route takes is answered 404, as an unknown API path would be."""

    routes: list[_Route] = field(default_factory=list)
    asked: list[Asked] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)

    def add(self, url: str, *answers: Answer, query: dict[str, str] | None = None) -> None:
        """Answer requests for ``url`` (whose query holds ``query``, if given) with ``answers``;
        a route added later wins over an earlier one for the same request."""
        self.routes.insert(0, _Route(url, list(answers), query or {}))

    def to(self, url: str) -> list[Asked]:
        """The requests sent to ``url``, in order."""
        return [asked for asked in self.asked if asked.url == url]

    def mount(self, session: requests.Session) -> requests.Session:
        """Answer ``session``'s requests here, keeping its adapters' retry policies."""
        answering = {"_upstreams": self}
        pools = {
            "http": type("AnsweringPool", (_Answering, HTTPConnectionPool), answering),
            "https": type("AnsweringTlsPool", (_Answering, HTTPSConnectionPool), answering),
        }
        for adapter in session.adapters.values():
            assert isinstance(adapter, HTTPAdapter)
            adapter.poolmanager.pool_classes_by_scheme = pools
            adapter.poolmanager.clear()
        return session

    def answer(self, asked: Asked) -> Reply:
        self.asked.append(asked)
        for route in self.routes:
            if route.url == asked.url and all(asked.query.get(k) == v for k, v in route.query.items()):
                found = route.answers[min(route.served, len(route.answers) - 1)]
                route.served += 1
                if isinstance(found, BaseException):
                    raise found
                return found(asked) if callable(found) else found
        return Reply(404, b'{"message": "Not Found"}', {"Content-Type": "application/json"})


class _Answering:
    """A connection pool whose requests are answered by ``FakeUpstreams`` instead of a socket."""

    _upstreams: FakeUpstreams
    scheme: str
    host: str
    port: int | None

    def _make_request(self, conn: Any, method: str, url: str, body: Any = None, headers: Any = None, **kw: Any) -> Any:
        parts = urlsplit(url)
        default_port = {"http": 80, "https": 443}[self.scheme]
        netloc = self.host if self.port in (None, default_port) else f"{self.host}:{self.port}"
        asked = Asked(
            method=method,
            url=f"{self.scheme}://{netloc}{parts.path}",
            query=dict(parse_qsl(parts.query)),
            headers=CaseInsensitiveDict(headers or {}),
            body=body.encode() if isinstance(body, str) else body or b"",
            timeout=kw["timeout"].read_timeout,
        )
        reply = self._upstreams.answer(asked)
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


# The day of ``tests/sources_day.py``: the digest of 2026-06-02, fetched the next morning.
DAY = date(2026, 6, 2)
NOW = datetime(2026, 6, 3, 7, 46, 45, tzinfo=UTC)
ANNOUNCED = datetime(2026, 6, 2, 0, 0, tzinfo=UTC)
"""Where the day's post searches start (20:00 EDT on 2026-06-01)."""

SourceT = TypeVar("SourceT", bound=Source)


def fetch_request(now: datetime = NOW, day: date = DAY, env: dict[str, str] | None = None) -> FetchRequest:
    """The request of ``day``'s fetch run at ``now``, with ``env`` as its ``HOTPAPERS_*`` settings."""
    return FetchRequest(window=window_for(day), now=now, settings=load_settings(env or {}))


def connected(source: type[SourceT], upstreams: FakeUpstreams, request: FetchRequest) -> SourceT:
    """``source`` with the session its settings give it, answered by ``upstreams``."""
    found = source.connect(request.settings)
    upstreams.mount(found.session)
    assert isinstance(found, source)
    return found

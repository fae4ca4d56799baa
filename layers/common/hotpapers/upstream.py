"""HTTP to upstream services: one session factory with timeouts and retries for every client.

Retries are urllib3's ``Retry``: 429 and 5xx answers (honouring ``Retry-After``), connection
errors and read timeouts, with exponential backoff. ``PoliteRetry`` adds a floor so that a
retry never comes sooner than the upstream's politeness delay (arXiv asks for 3 s), and on a
429 without ``Retry-After`` waits for the rate limit's reset, read as the upstream writes it
(``RateLimitReset``: X and GitHub send an epoch instant, Reddit the seconds remaining).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3 import BaseHTTPResponse
from urllib3.util.retry import Retry

from hotpapers import __version__

USER_AGENT = f"HotPapers/{__version__} (daily digest of the arXiv papers people discuss; python-requests)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
_SECONDS = re.compile(r"\s*\d+(?:\.\d+)?\s*")


@dataclass(frozen=True)
class RateLimitReset:
    """Where an upstream says when its rate-limit window ends, and how: APIs that often throttle
    with a 429 carrying only this header, no ``Retry-After``."""

    header: str
    epoch: bool
    """``True``: the header holds the instant (Unix seconds); ``False``: the seconds remaining."""

    def wait(self, value: str, now: float) -> float | None:
        """Seconds until the reset, or ``None`` if the value is not a number of seconds."""
        if not _SECONDS.fullmatch(value):
            return None
        # An instant is on upstream's clock; the local clock is the best guess at it.
        return float(value) - now if self.epoch else float(value)


# Each source's convention, from its API documentation (see docs/sources.md).
X_RESET = RateLimitReset("x-rate-limit-reset", epoch=True)
GITHUB_RESET = RateLimitReset("x-ratelimit-reset", epoch=True)
REDDIT_RESET = RateLimitReset("x-ratelimit-reset", epoch=False)


class UpstreamError(Exception):
    """An upstream failed after its retries, or answered something we cannot use."""

    def __init__(self, source: str, message: str, status: int | None = None, rate_limited: bool = False) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.status = status  # the final answer's HTTP status, when there was an answer
        self.rate_limited = rate_limited
        """The final answer was a rate limit (still in force after the waits the session allows)."""


class PoliteRetry(Retry):
    """A ``Retry`` whose every wait, ``Retry-After`` included, lasts at least ``min_wait`` seconds,
    and which waits out a 429's rate-limit reset header when there is no ``Retry-After``."""

    def __init__(
        self,
        *args: Any,
        min_wait: float = 0.0,
        max_retry_after: float = 300.0,
        reset: RateLimitReset | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.min_wait = min_wait
        self.max_retry_after = max_retry_after
        self.reset = reset

    def new(self, **kw: Any) -> PoliteRetry:
        retry = super().new(**kw)
        retry.min_wait = self.min_wait
        retry.max_retry_after = self.max_retry_after
        retry.reset = self.reset
        return retry

    def get_backoff_time(self) -> float:
        return max(self.min_wait, super().get_backoff_time())

    def parse_retry_after(self, retry_after: str) -> float:
        return min(self.max_retry_after, max(self.min_wait, super().parse_retry_after(retry_after)))

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        """Seconds to wait as the answer asks: its ``Retry-After``, else, on a 429, until the rate
        limit's reset instant, bounded like ``Retry-After``.

        The reset header is read only on a 429: GitHub sends it on every answer, and a 5xx an
        hour before the window ends must still be retried after the usual backoff.
        """
        retry_after = super().get_retry_after(response)
        if retry_after is not None or response.status != 429 or self.reset is None:
            return retry_after
        value = response.headers.get(self.reset.header)
        wait = None if value is None else self.reset.wait(value, time.time())
        if wait is None:
            return None  # nothing usable to wait for: the exponential backoff applies
        return min(self.max_retry_after, max(self.min_wait, wait))


def make_session(
    *,
    retries: int = 4,
    backoff: float = 1.0,
    min_wait: float = 0.0,
    max_retry_after: float = 300.0,
    headers: dict[str, str] | None = None,
    reset: RateLimitReset | None = None,
) -> requests.Session:
    """A session that retries idempotent requests on throttling, server errors and timeouts;
    ``reset`` is how the upstream says when its rate limit ends, if it does."""
    retry = PoliteRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,
        min_wait=min_wait,
        max_retry_after=max_retry_after,
        reset=reset,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, **(headers or {})})
    return session


def get(
    session: requests.Session,
    source: str,
    url: str,
    *,
    params: dict[str, Any] | None = None,
    timeout: float = 30.0,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    """GET with retries; a final error status or transport failure becomes ``UpstreamError``."""
    return send(session, source, "GET", url, params=params, timeout=timeout, headers=headers)


def send(
    session: requests.Session,
    source: str,
    method: str,
    url: str,
    *,
    timeout: float = 30.0,
    **kwargs: Any,
) -> requests.Response:
    """Any request (``kwargs`` as for ``requests``); errors become ``UpstreamError`` as for ``get``.

    The session retries only idempotent methods, so a POST is tried once.
    """
    try:
        response = session.request(method, url, timeout=timeout, **kwargs)
    except requests.RequestException as exc:
        raise UpstreamError(source, f"request to {url} failed after retries: {type(exc).__name__}") from exc
    if response.status_code >= 400:
        # Status and reason only: an error body may echo the request, credentials included, and
        # this text reaches logs, the manifest and the CLI.
        raise UpstreamError(
            source,
            f"HTTP {response.status_code} from {url}: {_reason(response.status_code)}",
            status=response.status_code,
            rate_limited=_rate_limited(response),
        )
    return response


def _rate_limited(response: requests.Response) -> bool:
    """A 429, or a 403 that says it is a rate limit (GitHub answers its limits with either, with
    ``x-ratelimit-remaining: 0`` or a ``Retry-After``)."""
    headers = response.headers
    return response.status_code == 429 or (
        response.status_code == 403 and (headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers)
    )


def _reason(status: int) -> str:
    """The standard reason phrase of ``status`` (never the upstream's own words)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "unknown status"


def endpoint(base: str, path: str) -> str:
    """A configured base URL joined with an API path, tolerant of how much of the path the base
    already holds: ``https://h/api`` or ``https://h/api/query`` with ``/api/query`` both give
    ``https://h/api/query``, and ``http://127.0.0.1:8000`` gives ``http://127.0.0.1:8000/api/query``.
    """
    parts = urlsplit(base)
    have = [segment for segment in parts.path.split("/") if segment]
    want = [segment for segment in path.split("/") if segment]
    overlap = next((n for n in range(min(len(have), len(want)), 0, -1) if have[-n:] == want[:n]), 0)
    joined = "/".join(have + want[overlap:])
    return urlunsplit((parts.scheme, parts.netloc, f"/{joined}" if joined else "", parts.query, ""))

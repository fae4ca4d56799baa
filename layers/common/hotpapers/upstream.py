"""HTTP to upstream services: one session factory with timeouts and retries for every client.

Retries are urllib3's ``Retry``: 429 and 5xx answers (honouring ``Retry-After``), connection
errors and read timeouts, with exponential backoff. ``PoliteRetry`` adds a floor so that a
retry never comes sooner than the upstream's politeness delay (arXiv asks for 3 s), and on a
429 without ``Retry-After`` waits for the rate limit's reset, read as the upstream writes it
(``RateLimitReset``, which each source's client declares: X and GitHub send an epoch instant, Reddit
the seconds remaining).

A rate limit is waited out whole or not at all: retrying before its reset only asks again inside
the same window (and GitHub may ban an integration that keeps asking while limited). A 429 whose
reset falls within what is left of the deadline (or, outside one, the session's longest wait) is
waited until the reset; a later one raises ``RateLimitedError`` at once, so that the caller can
keep what it has read.

Time is bounded too. ``time_limit`` sets a deadline for every request made inside it (in that
thread): each attempt's timeouts shrink to what is left, a retry whose wait (``Retry-After``
included) would end past it fails at once saying how long it was asked to wait, and a body is
read piece by piece so that a server trickling bytes cannot hold a request past the deadline.
A body that breaks off before its end is ``IncompleteBodyError``, never a shorter answer.

Size is bounded as well: every session has a body limit (``make_session(max_body=...)``), and a
body, a redirect's included, is counted as it is read, decompressed, a piece at a time (urllib3
decompresses no more than the piece asked for), so that a gzip bomb or an endless answer is
``BodyTooLargeError`` once it passes the limit, never a body held whole.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3 import BaseHTTPResponse
from urllib3.util import Timeout
from urllib3.util.retry import Retry

from hotpapers import __version__

USER_AGENT = f"HotPapers/{__version__} (daily digest of the arXiv papers people discuss; python-requests)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
BODY_CHUNK = 64 * 1024
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BODY = 8 * 2**20
"""The body limit of a session made without one (and of a plain ``requests.Session``)."""
# The shortest timeout an attempt gets near its deadline: time enough to fail cleanly.
MIN_TIMEOUT = 0.05
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


class UpstreamError(Exception):
    """An upstream failed after its retries, or answered something we cannot use."""

    def __init__(self, source: str, message: str, status: int | None = None, rate_limited: bool = False) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.status = status  # the final answer's HTTP status, when there was an answer
        self.rate_limited = rate_limited
        """The final answer was a rate limit (still in force after the waits the session allows)."""


class RateLimitedError(UpstreamError):
    """A rate limit whose reset falls past what the caller may wait: asked at once, never retried."""

    def __init__(self, source: str, message: str, wait: float) -> None:
        super().__init__(source, message, status=HTTPStatus.TOO_MANY_REQUESTS, rate_limited=True)
        self.wait = wait
        """Seconds until the reset, as upstream said."""


class IncompleteBodyError(UpstreamError):
    """The answer's body broke off: the connection closed, reset or stalled before its end."""


class BodyTooLargeError(UpstreamError):
    """The answer's body, decompressed, is larger than the session's limit: it was not read further."""


class DeadlineExceededError(UpstreamError):
    """The step's deadline or the source's budget ran out, or a retry was asked to wait past it."""


@dataclass(frozen=True)
class Deadline:
    """An instant on the monotonic clock that requests must end by, and what sets it."""

    at: float
    what: str
    """For messages: e.g. "the fetch's 600 s deadline" or "x's 300 s budget"."""

    def remaining(self) -> float:
        return self.at - time.monotonic()


_DEADLINE: ContextVar[Deadline | None] = ContextVar("hotpapers_deadline", default=None)


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[Deadline]:
    """Bound every request made inside the block (in this thread or context) to end within
    ``seconds``, or fail with ``DeadlineExceededError``; an enclosing, earlier limit still stands."""
    outer = _DEADLINE.get()
    limit = Deadline(time.monotonic() + seconds, what)
    if outer is not None and outer.at < limit.at:
        limit = outer
    token = _DEADLINE.set(limit)
    try:
        yield limit
    finally:
        _DEADLINE.reset(token)


class _OutOfTimeError(Exception):
    """Raised inside urllib3's retry loop, which does not know the source's name; ``send`` turns it
    into ``DeadlineExceededError``."""


class _RateLimitTooLongError(Exception):
    """Raised inside urllib3's retry loop for a rate limit not to be waited; ``send`` turns it into
    ``RateLimitedError``."""

    def __init__(self, message: str, wait: float) -> None:
        super().__init__(message)
        self.wait = wait


class _BoundedTimeout(Timeout):
    """Each attempt's connect and read timeouts, never longer than what is left of the deadline."""

    def __init__(self, seconds: float, deadline: Deadline) -> None:
        super().__init__(connect=seconds, read=seconds)
        self.seconds = seconds
        self.deadline = deadline

    def clone(self) -> _BoundedTimeout:
        return _BoundedTimeout(self.seconds, self.deadline)

    @property
    def connect_timeout(self) -> float:
        return max(MIN_TIMEOUT, min(self.seconds, self.deadline.remaining()))

    @property
    def read_timeout(self) -> float:
        return self.connect_timeout


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

    def increment(self, *args: Any, **kwargs: Any) -> PoliteRetry:
        retry: PoliteRetry = super().increment(*args, **kwargs)
        deadline = _DEADLINE.get()
        if deadline is not None and deadline.remaining() <= 0:
            raise _OutOfTimeError(f"{deadline.what} ran out after {len(retry.history)} attempts")
        return retry

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        """Wait before the next attempt, unless the wait would end past the deadline: then fail at
        once, saying how long upstream asked to wait. A rate limit (429) that says when it resets
        is waited until then if that fits (``_fits``), else ends the request at once."""
        deadline = _DEADLINE.get()
        if response is not None and response.status == HTTPStatus.TOO_MANY_REQUESTS:
            asked = self._asked_wait(response)
            if asked is not None:
                self._fits(asked, deadline)
        if deadline is not None:
            asked = self._asked_wait(response) if response is not None else None
            wait = asked if asked is not None else self.get_backoff_time()
            left = deadline.remaining()
            if wait >= left:
                raise _OutOfTimeError(
                    f"asked to wait {wait:.0f} s before retrying, longer than the {max(left, 0):.0f} s "
                    f"left of {deadline.what}"
                )
        super().sleep(response)

    def _fits(self, asked: float, deadline: Deadline | None) -> None:
        """Nothing, if a rate limit's reset ``asked`` seconds ahead may be waited for: within what is
        left of ``deadline`` (a source's budget, the run's deadline), or without one within
        ``max_retry_after``; else ``_RateLimitTooLongError`` at once."""
        left, what = (
            (deadline.remaining(), deadline.what)
            if deadline is not None
            else (self.max_retry_after, "the longest wait this session allows")
        )
        if asked >= left:
            raise _RateLimitTooLongError(
                f"rate limited for {asked:.0f} s more, longer than the {max(left, 0):.0f} s left of {what}", asked
            )

    def parse_retry_after(self, retry_after: str) -> float:
        return min(self.max_retry_after, max(self.min_wait, super().parse_retry_after(retry_after)))

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        """Seconds to wait as the answer asks: its ``Retry-After``, else, on a 429, until the rate
        limit's reset instant. A 429's wait is whole (``sleep`` has checked that it fits); any
        other's is bounded by ``max_retry_after``.

        The reset header is read only on a 429: GitHub sends it on every answer, and a 5xx an
        hour before the window ends must still be retried after the usual backoff.
        """
        asked = self._asked_wait(response)
        if asked is None:
            return None
        whole = max(self.min_wait, asked)
        return whole if response.status == HTTPStatus.TOO_MANY_REQUESTS else min(self.max_retry_after, whole)

    def _asked_wait(self, response: BaseHTTPResponse) -> float | None:
        """The wait the answer asks for, unbounded: ``Retry-After``, else a 429's reset header."""
        header = response.headers.get("Retry-After")
        if header is not None and self.respect_retry_after_header:
            return Retry.parse_retry_after(self, header)
        if response.status != 429 or self.reset is None:
            return None
        value = response.headers.get(self.reset.header)
        # None: nothing usable to wait for, so the exponential backoff applies.
        return None if value is None else self.reset.wait(value, time.time())


class BoundedSession(requests.Session):
    """A session whose every answer's body may hold at most ``max_body`` bytes, decompressed."""

    def __init__(self, max_body: int) -> None:
        super().__init__()
        self.max_body = max_body
        # requests reads a redirect's body whole before following it: read it here first, bounded.
        self.hooks["response"].append(self._bounded_redirect)

    def _bounded_redirect(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        if response.is_redirect:
            timeout = kwargs.get("timeout")
            seconds = timeout.read_timeout if isinstance(timeout, Timeout) else timeout
            response._content = _read(response, self.max_body, float(seconds or DEFAULT_TIMEOUT))
        return response


def make_session(
    *,
    retries: int = 4,
    backoff: float = 1.0,
    min_wait: float = 0.0,
    max_retry_after: float = 300.0,
    headers: dict[str, str] | None = None,
    reset: RateLimitReset | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> BoundedSession:
    """A session that retries idempotent requests on throttling, server errors and timeouts;
    ``reset`` is how the upstream says when its rate limit ends, if it does; ``max_body`` is the
    most bytes an answer's body may hold, decompressed."""
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
    session = BoundedSession(max_body)
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

    The session retries only idempotent methods, so a POST is tried once. Inside ``time_limit``,
    the request ends by the deadline or raises ``DeadlineExceededError``; a body that breaks off raises
    ``IncompleteBodyError``.
    """
    deadline = _DEADLINE.get()
    if deadline is not None and deadline.remaining() <= 0:
        raise DeadlineExceededError(source, f"{deadline.what} ran out before asking {url}")
    bounded: float | Timeout = timeout if deadline is None else _BoundedTimeout(timeout, deadline)
    limit = session.max_body if isinstance(session, BoundedSession) else DEFAULT_MAX_BODY
    try:
        # requests hands a urllib3 ``Timeout`` to urllib3 as it is; its stubs know only numbers.
        response = session.request(method, url, timeout=bounded, stream=True, **kwargs)  # type: ignore[arg-type]
        _read_body(response, timeout, limit)
    except _BrokenOffError as exc:
        raise IncompleteBodyError(source, str(exc)) from exc
    except _OutOfTimeError as exc:
        raise DeadlineExceededError(source, f"{url}: {exc}") from exc
    except _RateLimitTooLongError as exc:
        raise RateLimitedError(source, f"{url}: {exc}", exc.wait) from exc
    except _TooLargeError as exc:
        raise BodyTooLargeError(source, f"the answer from {url} {exc}") from exc
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


class _TooLargeError(Exception):
    """Raised where the source's name is not known (a redirect's hook); ``send`` turns it into
    ``BodyTooLargeError``."""


def _read_body(response: requests.Response, timeout: float, limit: int) -> None:
    """Read the whole body into ``response.content`` (``_read``), and free the connection."""
    response._content = _read(response, limit, timeout)
    response.raw.release_conn()


class _BrokenOffError(Exception):
    """A body's read failed part-way; ``send`` turns it into ``IncompleteBodyError``."""

    def __init__(self, url: str, received: int, reason: str) -> None:
        super().__init__(f"the answer from {url} broke off after {received} bytes: {reason}")


def _read(response: requests.Response, limit: int, timeout: float) -> bytes:
    """The whole body, decompressed, read a piece at a time.

    ``requests`` would read it in one call whose every socket read may take ``timeout``, so a
    server sending a byte every few seconds could hold it for ever; here each read may take only
    what is left of the deadline, which is checked between reads. urllib3 decompresses no more
    than the piece asked for, so the decompressed bytes are counted as they come, and past
    ``limit`` the answer is closed unread (``_TooLargeError``).
    """
    deadline = _DEADLINE.get()
    raw = response.raw
    chunks: list[bytes] = []
    received = 0
    try:
        while True:
            if deadline is not None:
                left = deadline.remaining()
                if left <= 0:
                    response.close()
                    raise _OutOfTimeError(f"{deadline.what} ran out while the answer was arriving")
                sock = getattr(raw.connection, "sock", None)
                if sock is not None:
                    sock.settimeout(max(MIN_TIMEOUT, min(timeout, left)))
            chunk = raw.read1(BODY_CHUNK, decode_content=True)
            if not chunk:
                break
            received += len(chunk)
            if received > limit:
                response.close()
                raise _TooLargeError(f"is larger than the {limit}-byte limit (read {received} bytes, decompressed)")
            chunks.append(chunk)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        response.close()
        if deadline is not None and deadline.remaining() <= 0:
            raise _OutOfTimeError(f"{deadline.what} ran out while the answer was arriving") from exc
        raise _BrokenOffError(response.url, received, type(exc).__name__) from exc
    # What requests itself does once it has read a body; ``content`` then returns these bytes.
    return b"".join(chunks)


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

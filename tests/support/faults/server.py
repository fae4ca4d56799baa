"""The demo day's upstreams with one fault: a ``ReplayServer`` of the recording whose fault hook
answers as the demo day did, except where the case says to fail."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from http import HTTPStatus
from urllib.parse import quote

from hotpapers.offline.replay import Exchange, ReplayServer, Reply

from support.faults.bodies import (
    REDIRECT_MARK,
    Listing,
    bomb,
    empty_answer,
    malformed,
    with_text,
    without_entries,
    without_figures,
)
from support.faults.catalogue import (
    CUT,
    LONG_RETRY_AFTER,
    OVERSIZE,
    RATE_EXCEEDED_PAGE,
    RECORDING,
    SHORT_RETRY_AFTER,
    TRICKLE_INTERVAL,
    Case,
    Fault,
)

LISTING = Listing.of_recording()
ARXIV = "/api/query"


def token(exchange: Exchange) -> str:
    """The credential the request carries (its Authorization's, without the scheme), if any."""
    found = next((value for name, value in exchange.request.headers.items() if name.lower() == "authorization"), "")
    return found.partition(" ")[2]


def echo(exchange: Exchange) -> bytes:
    """What a careless upstream puts in an error page: the whole request, credentials first (so
    that an excerpt of the page still holds them)."""
    headers = exchange.request.headers.items()
    lines = [
        "Unauthorized request:",
        *(f"{name}: {value}" for name, value in headers if name.lower() == "authorization"),
        exchange.request.body.decode("utf-8", "replace"),
        *(f"{name}: {value}" for name, value in headers if name.lower() != "authorization"),
        exchange.request_line,
    ]
    return "\n".join(lines).encode()


def redirect_with_token(exchange: Exchange, reply: Reply) -> None:
    """Redirect to the same address with the caller's token in its query, as a careless upstream's
    login wall or load balancer may; that address answers as recorded."""
    target = exchange.target
    if f"{REDIRECT_MARK}=" in target:
        exchange.send(reply)
        return
    joiner = "&" if "?" in target else "?"
    location = f"{target}{joiner}{REDIRECT_MARK}={quote(token(exchange) or 'none', safe='')}"
    exchange.send(Reply(302, b"", {"Location": location}))


def oversized(exchange: Exchange, reply: Reply) -> None:
    """The right answer followed by ``OVERSIZE`` bytes of whitespace (still valid JSON or XML),
    sent a MiB at a time, announced by its Content-Length."""
    exchange.head(reply.status, reply.headers, len(reply.body) + OVERSIZE)
    exchange.write(reply.body)
    padding = b" " * 2**20
    for _ in range(OVERSIZE // len(padding)):
        if not exchange.write(padding):
            return


def _status(status: int, **headers: str) -> Callable[[Exchange, Reply], None]:
    phrase = HTTPStatus(status).phrase
    page = f"<html><body><h1>{status} {phrase}</h1></body></html>\n".encode()
    return lambda exchange, reply: exchange.send(Reply(status, page, {"Content-Type": "text/html", **headers}))


def _echoing(status: int) -> Callable[[Exchange, Reply], None]:
    return lambda exchange, reply: exchange.send(Reply(status, echo(exchange), {"Content-Type": "text/plain"}))


def _body(rewrite: Callable[[Exchange, Reply], bytes]) -> Callable[[Exchange, Reply], None]:
    """The recorded status and headers, with ``rewrite``'s body."""
    return lambda exchange, reply: exchange.send(replace(reply, body=rewrite(exchange, reply)))


def _paging(query: dict[str, str]) -> tuple[int, int]:
    """The ``start`` and ``max_results`` an arXiv request asks for."""
    return int(query.get("start", "0")), int(query.get("max_results", "10"))


ANSWERS: dict[str, Callable[[Exchange, Reply], None]] = {
    "429-short": _status(429, **{"Retry-After": str(SHORT_RETRY_AFTER)}),
    "429-long": _status(429, **{"Retry-After": str(LONG_RETRY_AFTER)}),
    "500": _status(500),
    "502": _status(502),
    "503": _status(503),
    "401-echo": _echoing(401),
    "403-echo": _echoing(403),
    "timeout": lambda exchange, reply: exchange.hold(),
    "reset": lambda exchange, reply: exchange.reset(),
    "trickle": lambda exchange, reply: exchange.send(replace(reply, trickle=TRICKLE_INTERVAL)),
    "truncated-length": lambda exchange, reply: exchange.send(replace(reply, cut=CUT)),
    "truncated-close": lambda exchange, reply: exchange.send(
        replace(reply, headers={**reply.headers, "Connection": "close"}, cut=CUT, length=False)
    ),
    "malformed": _body(lambda exchange, reply: malformed(reply.body)),
    "html-200": lambda exchange, reply: exchange.send(
        Reply(200, RATE_EXCEEDED_PAGE, {"Content-Type": "text/html; charset=utf-8"})
    ),
    "wrong-type": lambda exchange, reply: exchange.send(
        replace(reply, headers={**reply.headers, "Content-Type": "text/html; charset=utf-8"})
    ),
    "empty": lambda exchange, reply: exchange.send(
        Reply(200, empty_answer(exchange.request.path, reply.body), reply.headers)
    ),
    "empty-page": lambda exchange, reply: exchange.send(Reply(200, without_entries(reply.body), reply.headers)),
    "gzip-bomb": lambda exchange, reply: exchange.send(
        replace(reply, body=bomb(), headers={**reply.headers, "Content-Encoding": "gzip"})
    ),
    "oversized": oversized,
    "redirect-token": redirect_with_token,
    "reflect-secret": _body(
        lambda exchange, reply: (
            with_text(reply.body, f"{token(exchange)} ".encode(), b"") if token(exchange) else reply.body
        )
    ),
    "lone-surrogate": _body(lambda exchange, reply: with_text(reply.body, b"\\ud83d ", b"&#xD83D; ")),
    "thinner": lambda exchange, reply: exchange.send(
        Reply(200, LISTING.thinner().page(*_paging(exchange.request.query)), reply.headers)
    ),
    "no-figures": _body(lambda exchange, reply: without_figures(exchange.request.path, reply.body)),
}


class DayWithFault:
    """The fault hook of the demo day's server: every upstream as recorded (arXiv as the trimmed
    listing, from the ``start`` asked), but ``case``'s upstream answering ``case``'s fault."""

    def __init__(self, case: Case | None, *, skipped: bool = False) -> None:
        self.case = case
        self.skipped = skipped
        """Answer arXiv as on a skipped evening: nothing announced yet."""
        self.faulted = 0
        self._lock = threading.Lock()

    def __call__(self, exchange: Exchange) -> None:
        reply = self.as_recorded(exchange)
        fault = self.fault_for(exchange.request.path)
        if fault is None:
            exchange.send(reply)
        else:
            ANSWERS[fault.key](exchange, reply)

    def as_recorded(self, exchange: Exchange) -> Reply:
        """As recorded, except arXiv: the trimmed listing, from the ``start`` asked."""
        if exchange.request.path != ARXIV:
            return exchange.reply
        query = exchange.request.query
        listing = LISTING
        if self.case is not None and self.case.fault.kind == "calendar":
            announced = Listing(LISTING.head, (), LISTING.recorded) if self.skipped else LISTING.held_back()
            listing = announced.submitted(query.get("search_query", ""))
        return Reply(200, listing.page(*_paging(query)), {"Content-Type": "application/atom+xml"})

    def fault_for(self, path: str) -> Fault | None:
        """The fault this request gets: every one of the upstream's when persistent, else its first."""
        case = self.case
        if case is None or case.fault.kind == "calendar" or not case.upstream.serves(path, case.fault):
            return None
        with self._lock:
            self.faulted += 1
            first = self.faulted == 1
        return case.fault if case.persistent or first else None


def demo_day(case: Case | None, *, skipped: bool = False) -> tuple[ReplayServer, dict[str, str]]:
    """The demo day's server with ``case`` (``None``: no fault), and the environment the recording expects."""
    server, env = ReplayServer.from_recording(RECORDING)
    server.fault = DayWithFault(case, skipped=skipped)
    return server, env

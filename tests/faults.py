"""The fault matrix: every upstream answering every fault, through the real ``hotpapers run``.

A daily job is judged by its worst day, so each cell of the matrix is one such day: one upstream
(arXiv, X, X oEmbed, Hacker News, Hugging Face, Bluesky, Reddit, GitHub) answers one fault, on
its first request only (transient) or on every request (persistent), with an earlier good digest
of the day already published or none. Every other upstream answers as on the bundled demo day.

Each case runs ``hotpapers run`` (``hotpapers.cli.main``) in a child process of its own: a hung
case can then be killed and still judged, a traceback that escapes ``main`` reaches stderr as it
would from the console script, and the child's stdout and stderr are exactly what an operator
reads. Children are forked from a ``forkserver`` that has already imported the package, so a case
costs the chain's own time, not the imports'.

``judge`` gives each case exactly one outcome (recovered, degraded, refused or kept) and lists
every "never" it broke (a traceback, a secret in any output or written file, a corrupt or emptier
digest over a better one, a run past its deadline). ``render_matrix`` writes the result as
``docs/reliability_matrix.md``.
"""

from __future__ import annotations

import base64
import functools
import gzip
import json
import multiprocessing
import os
import re
import select
import shutil
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, urlsplit

from hotpapers import config
from hotpapers.catalogue import CATALOGUE
from hotpapers.cli import main
from hotpapers.local.replay import ReplayServer, Reply

ROOT = Path(__file__).resolve().parent.parent
DAY = "2026-06-02"
RECORDING = ROOT / "demo" / "recordings" / DAY
DOC = ROOT / "docs" / "reliability_matrix.md"
NOW_EARLIER = "2026-06-03T07:46:45Z"
"""When the earlier, good digest was published."""
NOW = "2026-06-03T09:46:45Z"
"""When every case runs: later, so a case never shares the earlier fetch's second."""

# Timing, small so that the whole matrix runs in minutes, yet loose enough for a loaded 2-core
# machine (several cases run at once): a fault-free request never comes near REQUEST_TIMEOUT. A
# case must end within DEADLINE seconds; one still running at HARD_LIMIT is killed as hung.
REQUEST_TIMEOUT = 5.0
FETCH_DEADLINE = 15.0
SOURCE_BUDGET = 12.0
DEADLINE = 30.0
HARD_LIMIT = 35.0
TRICKLE_INTERVAL = 0.5
SHORT_RETRY_AFTER = 1
LONG_RETRY_AFTER = 3600
CUT = 0.55
"""A truncated body keeps this share of its bytes."""
EXTRA_PAPERS = 9
THINNER = 10
"""A thinner arXiv answer holds one paper in this many, consistently paged (as arXiv's API has
answered 60 of a day's 715)."""
"""Papers no post mentions, kept from the day's 715 beside the 51 that are discussed."""
"""Entries per arXiv page, so that the day takes two pages."""

# Distinctive fake credentials: finding one anywhere a case wrote is a leak.
CREDENTIALS = {
    "HOTPAPERS_X_BEARER_TOKEN": "hpmatrix-x-bearer-3f9c2a7e51d4",
    "HOTPAPERS_BLUESKY_APP_PASSWORD": "hpmatrix-bsky-password-8d41b6c2",
    "HOTPAPERS_REDDIT_CLIENT_ID": "hpmatrix-reddit-id-60f1",
    "HOTPAPERS_REDDIT_CLIENT_SECRET": "hpmatrix-reddit-secret-c07e93a5",
    "HOTPAPERS_GITHUB_TOKEN": "hpmatrix-github-token-5a2fd0e8",
}
BOMB_UNPACKED = 1536 * 2**20
"""What the gzip bomb unpacks to: 1.5 GiB (about 1.6 MB on the wire), as an attacker's answer did."""
OVERSIZE = 300 * 2**20
"""How much whitespace the oversized answer adds to the right body: 300 MiB, valid JSON and XML still."""
TRACEBACK = "Traceback (most recent call last)"
RATE_EXCEEDED_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Rate exceeded</title></head>\n"
    b"<body><h1>Rate exceeded.</h1><p>Please slow down and try again later.</p></body></html>\n"
)


@dataclass(frozen=True)
class Upstream:
    """One upstream service, as the requests the demo day sends it."""

    key: str
    label: str
    source: str | None
    """The source a digest names when this upstream fails; ``None`` for arXiv, which no digest can do without."""
    prefixes: tuple[str, ...]
    """Request paths this upstream serves."""
    logins: tuple[str, ...] = ()
    """Paths that are logins: bad-body faults spare them, so that they reach the listings."""

    def serves(self, path: str, fault: Fault) -> bool:
        if fault.kind in ("body", "text") and path in self.logins:
            return False
        return path.startswith(self.prefixes)


@dataclass(frozen=True)
class Fault:
    key: str
    label: str
    kind: str
    """``http`` and ``connection`` faults hit every request of the upstream; ``body`` faults its
    content requests; ``text`` faults too, answering the right body with hostile text in it."""
    only: str | tuple[str, ...] | None = None
    """The upstream, or upstreams, this fault exists for, if not every one."""
    shown: str = ""
    """What a ``text`` fault's insertion shows as once made safe, before the text it was put in."""
    variants: tuple[tuple[bool, bool], ...] | None = None
    """The (persistent, earlier) cells it has, if not all four."""

    def exists_for(self, upstream: Upstream) -> bool:
        return self.only is None or upstream.key in ((self.only,) if isinstance(self.only, str) else self.only)


def _source(name: str, prefixes: tuple[str, ...], logins: tuple[str, ...] = ()) -> Upstream:
    """A source's own upstream, labelled with the name readers know it by."""
    return Upstream(name, CATALOGUE[name].display_name, name, prefixes, logins)


UPSTREAMS = (
    Upstream("arxiv", "arXiv", None, ("/api/query",)),
    _source("x", ("/2/",)),
    Upstream("x-oembed", f"{CATALOGUE['x'].display_name} oEmbed", "x", ("/oembed",)),
    _source("hackernews", ("/hn/",)),
    _source("huggingface", ("/api/daily_papers",)),
    _source("bluesky", ("/bsky/",), ("/bsky/xrpc/com.atproto.server.createSession",)),
    _source("reddit", ("/reddit/",), ("/reddit/api/v1/access_token",)),
    _source("github", ("/gh/",)),
)
EVERY_SOURCE = Upstream(
    "sources",
    "every attention source",
    None,
    tuple(prefix for upstream in UPSTREAMS if upstream.source for prefix in upstream.prefixes),
    tuple(login for upstream in UPSTREAMS for login in upstream.logins),
)
"""Not a matrix row: every attention source at once, for the fetch's memory bound."""
FAULTS = (
    Fault("429-short", f"429, Retry-After {SHORT_RETRY_AFTER} s", "http"),
    Fault("429-long", f"429, Retry-After {LONG_RETRY_AFTER} s", "http"),
    Fault("500", "500", "http"),
    Fault("502", "502", "http"),
    Fault("503", "503", "http"),
    Fault("401-echo", "401 echoing the request", "http"),
    Fault("403-echo", "403 echoing the request", "http"),
    Fault("timeout", "no answer (timeout)", "connection"),
    Fault("reset", "connection reset", "connection"),
    Fault("trickle", f"1 byte every {TRICKLE_INTERVAL} s", "connection"),
    Fault("truncated-length", f"cut at {CUT:.0%}, Content-Length of the whole", "body"),
    Fault("truncated-close", f"cut at {CUT:.0%}, no Content-Length", "body"),
    Fault("malformed", "malformed (closing marks dropped from the middle on)", "body"),
    Fault("html-200", "an HTML page, status 200", "body"),
    Fault("wrong-type", "the right body as text/html", "body"),
    Fault("empty", "a valid empty answer", "body"),
    Fault("empty-page", "the empty-page glitch", "body", only="arxiv"),
    Fault("gzip-bomb", "a gzip bomb: 1.6 MB unpacking to 1.5 GiB", "body"),
    Fault("oversized", "the right body and 300 MiB of whitespace", "body"),
    Fault("redirect-token", "a redirect to a URL carrying the caller's token", "body"),
    Fault("reflect-secret", "the caller's credential reflected in every text, status 200", "text", shown="[REDACTED] "),
    Fault("lone-surrogate", "a lone surrogate escape opening every text", "text", shown="\ufffd "),
    Fault("thinner", f"a consistent but smaller set (1 paper in {THINNER})", "body", only="arxiv"),
    Fault(
        "no-figures",
        "every post without its figures",
        "body",
        only=("x", "hackernews", "huggingface", "bluesky", "reddit"),
    ),
    # arXiv skips Sunday's announcement, which no setting names: the evening's papers come with
    # Monday's. The skipped day is run first, on Monday afternoon, and finds nothing.
    Fault(
        "unlisted-holiday",
        "the evening before skipped, named by no setting",
        "calendar",
        only="arxiv",
        variants=((True, False),),
    ),
)
SKIPPED_DAY = "2026-06-01"
SKIPPED_RUN_AT = "2026-06-01T20:00:00Z"
"""The skipped evening's digest, run after that evening and before the next announcement."""
HELD_BACK = "2026-05-29T12:00:00Z"
"""When half the day's papers were submitted: in the skipped evening's window (Thursday to Friday)."""
PRIOR_STATES = {False: "no earlier digest", True: "earlier digest"}
SPELLS = {False: "transient", True: "persistent"}


@dataclass(frozen=True)
class Case:
    upstream: Upstream
    fault: Fault
    persistent: bool
    earlier: bool
    """Whether a good digest of the day was published before this run."""

    @property
    def id(self) -> str:
        return "-".join(
            (self.upstream.key, self.fault.key, SPELLS[self.persistent], "earlier" if self.earlier else "fresh")
        )

    @property
    def believed(self) -> bool:
        """A source answering, validly, that it has nothing, with no earlier digest to doubt it by:
        nobody can tell that from a quiet day, so publishing the day as answered is right."""
        return self.fault.key == "empty" and not self.earlier and self.upstream.source is not None

    @property
    def believed_thinner(self) -> bool:
        """arXiv answering a consistent but smaller set, with no earlier snapshot to doubt it by:
        nobody can tell it from a smaller day, so publishing the day as answered is right."""
        return self.fault.key == "thinner" and not self.earlier

    @property
    def legitimately_empty(self) -> bool:
        """arXiv saying, every time it is asked, that the window holds no paper: a real empty day."""
        return self.upstream.key == "arxiv" and self.fault.key == "empty" and self.persistent


def all_cases() -> list[Case]:
    return [
        Case(upstream, fault, persistent, earlier)
        for upstream in UPSTREAMS
        for fault in FAULTS
        if fault.exists_for(upstream)
        for persistent in (False, True)
        for earlier in (False, True)
        if fault.variants is None or (persistent, earlier) in fault.variants
    ]


# ---------------------------------------------------------------- the demo day's answers, and faulty ones

_ENTRY = re.compile(rb"  <entry>\n.*?  </entry>\n", re.DOTALL)
_ENTRY_ID = re.compile(rb"<id>http://arxiv\.org/abs/(\d{4}\.\d{4,5})v\d+</id>")
_ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}")


def _feed_head(head: bytes, total: int, start: int) -> bytes:
    head = re.sub(rb"<opensearch:totalResults>\d+<", b"<opensearch:totalResults>%d<" % total, head)
    return re.sub(rb"<opensearch:startIndex>\d+<", b"<opensearch:startIndex>%d<" % start, head)


@dataclass(frozen=True)
class Listing:
    """The day's arXiv answer, trimmed to the papers posts mention plus ``EXTRA_PAPERS`` others
    (parsing all 715 entries three times would triple every case), served from whatever ``start``
    is asked, ``max_results`` to a page, as arXiv pages it."""

    head: bytes
    entries: tuple[bytes, ...]
    recorded: int
    """How many papers the recorded answer held."""

    @classmethod
    def of_recording(cls, recording: Path = RECORDING) -> Listing:
        routes = json.loads((recording / "routes.json").read_text(encoding="utf-8"))["routes"]
        feed = (recording / next(route["body"] for route in routes if route["path"] == "/api/query")).read_bytes()
        mentioned = {
            paper_id
            for route in routes
            if route["path"] != "/api/query"
            for paper_id in _ARXIV_ID.findall((recording / route["body"]).read_text(encoding="utf-8"))
        }
        entries = _ENTRY.findall(feed)
        kept = [entry for number, entry in enumerate(entries) if number < EXTRA_PAPERS or _entry_id(entry) in mentioned]
        return cls(feed[: feed.index(b"  <entry>")], tuple(kept), len(entries))

    def page(self, start: int, size: int) -> bytes:
        entries = self.entries[start : start + size]
        return _feed_head(self.head, len(self.entries), start) + b"".join(entries) + b"</feed>\n"

    def thinner(self) -> Listing:
        """One entry in ``THINNER``: a smaller answer, whole and consistent in itself."""
        return Listing(self.head, self.entries[::THINNER], self.recorded)

    def held_back(self) -> Listing:
        """The listing with every other paper submitted at ``HELD_BACK``, a window earlier."""
        moved = re.compile(rb"<published>[^<]*</published>")
        entries = tuple(
            moved.sub(b"<published>" + HELD_BACK.encode() + b"</published>", entry) if number % 2 else entry
            for number, entry in enumerate(self.entries)
        )
        return Listing(self.head, entries, self.recorded)

    def submitted(self, query: str) -> Listing:
        """Only the papers submitted in the query's ``submittedDate`` range (both ends included)."""
        found = _SUBMITTED.search(query)
        if found is None:
            return self
        low, high = (f"{b[:4]}-{b[4:6]}-{b[6:8]}T{b[8:10]}:{b[10:12]}:00Z" for b in found.groups())
        kept = tuple(entry for entry in self.entries if low <= _published(entry) <= high)
        return Listing(self.head, kept, self.recorded)


_SUBMITTED = re.compile(r"submittedDate:\[(\d{12}) TO (\d{12})\]")
_PUBLISHED = re.compile(rb"<published>([^<]*)</published>")


def _published(entry: bytes) -> str:
    match = _PUBLISHED.search(entry)
    return match[1].decode() if match else ""


def _entry_id(entry: bytes) -> str:
    match = _ENTRY_ID.search(entry)
    return match[1].decode() if match else ""


def without_entries(feed: bytes, *, total: int | None = None) -> bytes:
    """An arXiv page with its entries removed: the empty-page glitch keeps ``totalResults``;
    a valid empty answer (``total=0``) says the window holds nothing."""
    head = feed[: feed.index(b"  <entry>")] if b"  <entry>" in feed else feed.removesuffix(b"</feed>\n")
    if total is not None:
        head = _feed_head(head, total, 0)
    return head + b"</feed>\n"


# A valid answer holding nothing, for each content request (by path ending).
_EMPTY_JSON: dict[str, Any] = {
    "/2/tweets/search/recent": {"meta": {"result_count": 0}},
    "/search_by_date": {"hits": [], "nbHits": 0, "page": 0, "nbPages": 0, "hitsPerPage": 100},
    "/api/daily_papers": [],
    "/app.bsky.feed.searchPosts": {"hitsTotal": 0, "posts": []},
    "/reddit/oauth/search": {"kind": "Listing", "data": {"after": None, "before": None, "children": [], "dist": 0}},
    "/stargazers": [],
}


def empty_answer(path: str, body: bytes) -> bytes:
    """A well-formed answer saying there is nothing; ``{}`` for a single object (an oEmbed, a repository)."""
    if path == "/api/query":
        return without_entries(body, total=0)
    return json.dumps(next((doc for end, doc in _EMPTY_JSON.items() if path.endswith(end)), {})).encode()


def gzip_bomb(unpacked: int = BOMB_UNPACKED) -> bytes:
    """A gzip stream of ``unpacked`` zero bytes: one member of a MiB of zeros (about 1 KB packed),
    repeated; a gzip stream may hold many members, and every decoder reads them all."""
    return gzip.compress(bytes(2**20), mtime=0) * (unpacked // 2**20)


@functools.cache
def _bomb() -> bytes:
    return gzip_bomb()


# Where a JSON answer holds text people wrote or read (posts, titles, names), and where an arXiv
# entry does: what the text faults write into.
_JSON_TEXT = re.compile(rb'("(?:text|title|name|displayName|selftext)":\s*")')
_XML_TEXT = re.compile(rb"(<title>)")
REDIRECT_MARK = "hp_token"


def with_text(body: bytes, insertion: bytes, xml_insertion: bytes) -> bytes:
    """``body`` with ``insertion`` opening every text of a JSON answer (``xml_insertion`` every
    title of an Atom feed)."""
    if body.lstrip().startswith(b"<"):
        return _XML_TEXT.sub(lambda match: match[1] + xml_insertion, body)
    return _JSON_TEXT.sub(lambda match: match[1] + insertion, body)


def _without(items: Iterable[Any], *figures: str, under: str | None = None) -> None:
    for item in items:
        for figure in figures:
            (item[under] if under else item).pop(figure, None)


def without_figures(path: str, body: bytes) -> bytes:
    """A source's answer with every post's engagement figures left out (X's ``public_metrics``,
    Hacker News points, Bluesky's counts, Reddit's score, Hugging Face's upvotes); other answers
    as they are."""
    if not path.endswith(("/search/recent", "/search_by_date", "/daily_papers", ".searchPosts", "/oauth/search")):
        return body
    answer = json.loads(body)
    if path.endswith("/search/recent"):
        _without(answer.get("data", []), "public_metrics")
    elif path.endswith("/search_by_date"):
        for hit in answer["hits"]:
            hit["points"] = None
    elif path.endswith("/daily_papers"):
        _without(answer, "upvotes", under="paper")
    elif path.endswith(".searchPosts"):
        _without(answer["posts"], "likeCount", "repostCount", "quoteCount", "replyCount")
    else:
        _without(answer["data"]["children"], "score", under="data")
    return json.dumps(answer).encode()


def malformed(body: bytes) -> bytes:
    """The body with its closing marks (``>``, ``}``, ``]``) dropped from the middle on: neither
    well-formed XML nor JSON, and too broken for a lenient parser to mend."""
    middle = len(body) // 2
    return body[:middle] + body[middle:].translate(None, b">}]")


class FaultHandler(BaseHTTPRequestHandler):
    """Answers as the demo day did, except where the server's case says to fail."""

    fault_server: ClassVar[FaultServer]
    request_body = b""

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.request_body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: ``ReplayServer.requests`` keeps the record."""

    def _answer(self) -> None:
        server = self.fault_server
        reply = server._answer(self.command, self.path, dict(self.headers.items()))
        fault = server.fault_for(urlsplit(self.path).path)
        try:
            if fault is None:
                self.send(reply.status, reply.headers, reply.body)
            else:
                ANSWERS[fault.key](self, reply)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should on a trickle or a timeout
        self.close_connection = True

    def send(self, status: int, headers: Mapping[str, str], body: bytes, *, length: int | None = -1) -> None:
        """Answer with ``body``, announcing ``length`` bytes (by default the body's; ``None``: no
        ``Content-Length``, the connection's close ends the body)."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if length is None:
            self.send_header("Connection", "close")
        else:
            self.send_header("Content-Length", str(len(body) if length == -1 else length))
        self.end_headers()
        self.wfile.write(body)

    def token(self) -> str:
        """The credential the request carries (its Authorization's, without the scheme), if any."""
        return self.headers.get("Authorization", "").partition(" ")[2]

    def redirect_with_token(self, reply: Reply) -> None:
        """Redirect to the same address with the caller's token in its query, as a careless
        upstream's login wall or load balancer may; that address answers as recorded."""
        if f"{REDIRECT_MARK}=" in self.path:
            self.send(reply.status, reply.headers, reply.body)
            return
        joiner = "&" if "?" in self.path else "?"
        location = f"{self.path}{joiner}{REDIRECT_MARK}={quote(self.token() or 'none', safe='')}"
        self.send(302, {"Location": location}, b"")

    def echo(self) -> bytes:
        """What a careless upstream puts in an error page: the whole request, credentials first
        (so that an excerpt of the page still holds them)."""
        credentials = [f"{name}: {value}" for name, value in self.headers.items() if name.lower() == "authorization"]
        others = [f"{name}: {value}" for name, value in self.headers.items() if name.lower() != "authorization"]
        lines = [
            "Unauthorized request:",
            *credentials,
            self.request_body.decode("utf-8", "replace"),
            *others,
            f"{self.command} {self.path} {self.request_version}",
        ]
        return "\n".join(lines).encode()

    def hold(self) -> None:
        """Never answer: wait until the client gives up (its timeout) or the case ends."""
        while not self.fault_server.stopping.is_set():
            ready, _, _ = select.select([self.connection], [], [], 0.2)
            if ready and not self.connection.recv(1, socket.MSG_PEEK):
                return

    def reset(self) -> None:
        """Close with a TCP RST instead of an answer."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.wfile.close()
        self.connection.close()

    def oversized(self, reply: Reply) -> None:
        """The right answer followed by ``OVERSIZE`` bytes of whitespace (still valid JSON or XML),
        sent a MiB at a time, announced by its Content-Length."""
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body) + OVERSIZE))
        self.end_headers()
        self.wfile.write(reply.body)
        padding = b" " * 2**20
        for _ in range(OVERSIZE // len(padding)):
            if self.fault_server.stopping.is_set():
                return
            self.wfile.write(padding)

    def trickle(self, reply: Reply) -> None:
        """The right answer, one byte every ``TRICKLE_INTERVAL`` seconds: never slow enough for a read timeout."""
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        for offset in range(len(reply.body)):
            if self.fault_server.stopping.wait(TRICKLE_INTERVAL):
                return
            self.wfile.write(reply.body[offset : offset + 1])


def _status(status: int, **headers: str) -> Callable[[FaultHandler, Reply], None]:
    phrase = HTTPStatus(status).phrase
    page = f"<html><body><h1>{status} {phrase}</h1></body></html>\n".encode()
    return lambda handler, reply: handler.send(status, {"Content-Type": "text/html", **headers}, page)


def _echoing(status: int) -> Callable[[FaultHandler, Reply], None]:
    return lambda handler, reply: handler.send(status, {"Content-Type": "text/plain"}, handler.echo())


def _cut(body: bytes) -> bytes:
    return body[: int(len(body) * CUT)]


def _path(handler: FaultHandler) -> str:
    return urlsplit(handler.path).path


def _paging(target: str) -> tuple[int, int]:
    """The ``start`` and ``max_results`` an arXiv request asks for."""
    query = parse_qs(urlsplit(target).query)
    return int(query.get("start", ["0"])[-1]), int(query.get("max_results", ["10"])[-1])


ANSWERS: dict[str, Callable[[FaultHandler, Reply], None]] = {
    "429-short": _status(429, **{"Retry-After": str(SHORT_RETRY_AFTER)}),
    "429-long": _status(429, **{"Retry-After": str(LONG_RETRY_AFTER)}),
    "500": _status(500),
    "502": _status(502),
    "503": _status(503),
    "401-echo": _echoing(401),
    "403-echo": _echoing(403),
    "timeout": lambda handler, reply: handler.hold(),
    "reset": lambda handler, reply: handler.reset(),
    "trickle": lambda handler, reply: handler.trickle(reply),
    "truncated-length": lambda handler, reply: handler.send(
        reply.status, reply.headers, _cut(reply.body), length=len(reply.body)
    ),
    "truncated-close": lambda handler, reply: handler.send(reply.status, reply.headers, _cut(reply.body), length=None),
    "malformed": lambda handler, reply: handler.send(reply.status, reply.headers, malformed(reply.body)),
    "html-200": lambda handler, reply: handler.send(
        200, {"Content-Type": "text/html; charset=utf-8"}, RATE_EXCEEDED_PAGE
    ),
    "wrong-type": lambda handler, reply: handler.send(
        reply.status, {**reply.headers, "Content-Type": "text/html; charset=utf-8"}, reply.body
    ),
    "empty": lambda handler, reply: handler.send(200, reply.headers, empty_answer(_path(handler), reply.body)),
    "empty-page": lambda handler, reply: handler.send(200, reply.headers, without_entries(reply.body)),
    "gzip-bomb": lambda handler, reply: handler.send(
        reply.status, {**reply.headers, "Content-Encoding": "gzip"}, _bomb()
    ),
    "oversized": lambda handler, reply: handler.oversized(reply),
    "redirect-token": lambda handler, reply: handler.redirect_with_token(reply),
    "reflect-secret": lambda handler, reply: handler.send(
        reply.status,
        reply.headers,
        with_text(reply.body, f"{handler.token()} ".encode(), b"") if handler.token() else reply.body,
    ),
    "lone-surrogate": lambda handler, reply: handler.send(
        reply.status, reply.headers, with_text(reply.body, b"\\ud83d ", b"&#xD83D; ")
    ),
    "thinner": lambda handler, reply: handler.send(200, reply.headers, LISTING.thinner().page(*_paging(handler.path))),
    "no-figures": lambda handler, reply: handler.send(
        reply.status, reply.headers, without_figures(_path(handler), reply.body)
    ),
}


class FaultServer(ReplayServer):
    """The demo day's upstreams on 127.0.0.1, with ``case``'s upstream answering ``case``'s fault."""

    def __init__(self) -> None:
        super().__init__()
        self.case: Case | None = None
        self.skipped = False
        """Answer arXiv as on a skipped evening: nothing announced yet."""
        self.faulted = 0
        self.stopping = threading.Event()

    @classmethod
    def demo_day(cls, case: Case | None) -> tuple[FaultServer, dict[str, str]]:
        """The server for ``case`` (``None``: no fault) and the environment the recording expects."""
        server, env = cls.from_recording(RECORDING)
        server.case = case
        return server, env

    def _answer(self, method: str, target: str, headers: dict[str, str]) -> Reply:
        """As recorded, except arXiv: the trimmed listing, from the ``start`` asked."""
        reply = super()._answer(method, target, headers)
        if urlsplit(target).path != "/api/query":
            return reply
        listing = LISTING
        if self.case is not None and self.case.fault.kind == "calendar":
            query = parse_qs(urlsplit(target).query)
            announced = Listing(LISTING.head, (), LISTING.recorded) if self.skipped else LISTING.held_back()
            listing = announced.submitted(query.get("search_query", [""])[-1])
        return Reply(200, listing.page(*_paging(target)), {"Content-Type": "application/atom+xml"})

    def fault_for(self, path: str) -> Fault | None:
        """The fault this request gets: every one of the upstream's when persistent, else its first."""
        case = self.case
        if case is None or case.fault.kind == "calendar" or not case.upstream.serves(path, case.fault):
            return None
        with self._lock:
            self.faulted += 1
            first = self.faulted == 1
        return case.fault if case.persistent or first else None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        return type("BoundFaultHandler", (FaultHandler,), {"fault_server": self})

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        super().__exit__(None, None, None)


LISTING = Listing.of_recording()


# ---------------------------------------------------------------- running one case


def timing_env(settings_source: str | None = None) -> dict[str, str]:
    """Short delays, retries and timeouts; any deadline or budget setting the configuration knows is set small.

    The names are read from ``hotpapers/config.py`` itself (literal ``HOTPAPERS_*`` names, and
    per-source suffixes joined to ``HOTPAPERS_<SOURCE>_``), so a setting added later is used
    without editing this list.
    """
    text = settings_source if settings_source is not None else Path(config.__file__).read_text(encoding="utf-8")
    env = {"HOTPAPERS_ARXIV_DELAY": "0.05", "HOTPAPERS_HTTP_RETRIES": "2", "HOTPAPERS_HTTP_BACKOFF": "0.05"}

    def value(name: str) -> str | None:
        if "DEADLINE" in name:
            return f"{FETCH_DEADLINE:g}"
        if "BUDGET" in name:
            return f"{SOURCE_BUDGET:g}"
        if "TIMEOUT" in name:
            return f"{REQUEST_TIMEOUT:g}"
        return None

    literal = set(re.findall(r"HOTPAPERS_[A-Z0-9_]*[A-Z0-9]", text))
    suffixes = set(re.findall(r'(?:\+ "|\})_?([A-Z][A-Z0-9_]*)', text))
    per_source = {f"HOTPAPERS_{source.upper()}_{suffix}" for source in CATALOGUE for suffix in suffixes}
    for name in sorted(literal | per_source):
        setting = value(name)
        if setting is not None:
            env[name] = setting
    return env


def case_env(recording_env: Mapping[str, str], now: str) -> dict[str, str]:
    """The environment of one run: the recording's, fake credentials, short timings, a fixed clock."""
    inherited = {key: value for key, value in os.environ.items() if not key.startswith(("HOTPAPERS_", "AWS_"))}
    return {
        **inherited,
        **recording_env,
        **CREDENTIALS,
        **timing_env(),
        "HOTPAPERS_NOW": now,
        "HOTPAPERS_PROJECT": str(ROOT),
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }


def secrets(recording: Path = RECORDING) -> frozenset[str]:
    """Every credential a run holds: the configured ones, Reddit's Basic form of its pair, and the
    tokens the recorded logins hand out."""
    pair = f"{CREDENTIALS['HOTPAPERS_REDDIT_CLIENT_ID']}:{CREDENTIALS['HOTPAPERS_REDDIT_CLIENT_SECRET']}"
    handed_out = set()
    for name in recording.glob("*.json"):
        document = json.loads(name.read_text(encoding="utf-8"))
        if isinstance(document, dict):
            handed_out |= {str(document[key]) for key in ("accessJwt", "refreshJwt", "access_token") if key in document}
    secret_names = ("TOKEN", "PASSWORD", "SECRET")
    configured = {value for key, value in CREDENTIALS.items() if key.endswith(secret_names)}
    return frozenset({*configured, base64.b64encode(pair.encode()).decode(), *handed_out})


@dataclass(frozen=True)
class Result:
    status: int | None
    """The exit status; ``None`` when the run was killed at ``HARD_LIMIT``."""
    stdout: str
    stderr: str
    seconds: float


def _cli_child(argv: list[str], env: dict[str, str], folder: str) -> None:
    """Run ``hotpapers`` as its console script would, its output and exit status going to files
    in ``folder`` (the status too: a forkserver child's own exit code can come back unread)."""
    os.environ.clear()
    os.environ.update(env)
    for fd, name in ((1, "stdout.txt"), (2, "stderr.txt")):
        target = os.open(os.path.join(folder, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    Path(folder, "status.txt").write_text(str(status), encoding="utf-8")
    os._exit(status)


@functools.cache
def _context() -> Any:
    """The forkserver context, its server importing the package once for every child it forks."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["faults"])
    return context


def run_cli(argv: list[str], env: dict[str, str], folder: Path, limit: float = HARD_LIMIT) -> Result:
    """``hotpapers <argv>`` in a child process, killed if it runs past ``limit`` seconds."""
    child = _context().Process(target=_cli_child, args=(argv, env, str(folder)), daemon=True)
    started = time.monotonic()
    child.start()
    child.join(limit)
    killed = child.is_alive()
    if killed:
        child.kill()
        child.join()
    seconds = time.monotonic() - started
    written = _text(folder / "status.txt")
    status = int(written) if written else None if killed else child.exitcode
    return Result(status, _text(folder / "stdout.txt"), _text(folder / "stderr.txt"), seconds)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


Tree = dict[str, bytes]


def tree(folder: Path) -> Tree:
    """Every file under ``folder``, by relative path."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


@dataclass(frozen=True)
class State:
    data: Tree
    site: Tree

    @classmethod
    def of(cls, folder: Path) -> State:
        return cls(tree(folder / "data"), tree(folder / "site"))

    def digest(self) -> dict[str, Any] | None:
        body = self.site.get(DIGEST_KEY)
        return json.loads(body) if body is not None else None


DIGEST_KEY = f"digests/{DAY}.json"
KEPT_KEYS = (f"raw/{DAY}/manifest.json", f"scored/{DAY}.json")
"""Data keys that stand for the published digest: a refused or kept run leaves them as they were."""


def run_day(
    folder: Path, case: Case | None, now: str = NOW, day: str = DAY, skipped: bool = False
) -> tuple[Result, State]:
    """``hotpapers run`` of ``day`` (the demo day) into ``folder``/data and ``folder``/site,
    ``case`` injected (``skipped``: as on the evening arXiv skipped)."""
    server, recording_env = FaultServer.demo_day(case)
    server.skipped = skipped
    argv = ["run", "--date", day, "--data", str(folder / "data"), "--site", str(folder / "site")]
    with server:
        result = run_cli(argv, case_env(recording_env, now), folder)
    return result, State.of(folder)


# ---------------------------------------------------------------- judging


@dataclass(frozen=True)
class Baseline:
    """The fault-free day: the earlier digest's folder, and what a fault-free run at ``NOW`` publishes."""

    earlier: Path
    earlier_state: State
    reference: Mapping[bool, State]
    """By whether an earlier digest existed."""
    secrets: frozenset[str]


def build_baseline(workdir: Path) -> Baseline:
    """Publish the earlier digest, then run the fault-free day at ``NOW`` from both prior states."""
    earlier = workdir / "earlier"
    earlier.mkdir(parents=True)
    result, earlier_state = run_day(earlier, None, NOW_EARLIER)
    if result.status != 0:
        raise RuntimeError(f"the fault-free day failed (exit {result.status}):\n{result.stderr}")
    reference = {}
    for prior in (False, True):
        folder = workdir / f"reference-{PRIOR_STATES[prior].replace(' ', '-')}"
        _prepare(folder, earlier if prior else None)
        result, state = run_day(folder, None)
        if result.status != 0:
            raise RuntimeError(f"the fault-free rerun failed (exit {result.status}):\n{result.stderr}")
        reference[prior] = state
    return Baseline(earlier, earlier_state, reference, secrets())


def _prepare(folder: Path, earlier: Path | None) -> None:
    if earlier is None:
        folder.mkdir(parents=True)
        return
    folder.mkdir(parents=True)
    for part in ("data", "site"):
        shutil.copytree(earlier / part, folder / part)


@dataclass(frozen=True)
class Verdict:
    case: Case
    outcome: str | None
    """recovered, degraded, refused or kept; ``None`` when the run fits none of them."""
    broken: tuple[str, ...]
    """Every "never" the run broke, in fixed words."""
    seconds: float
    status: int | None
    detail: str = field(default="", compare=False)
    """The run's stderr tail, for the failure message (never written to the document)."""

    @property
    def passed(self) -> bool:
        return self.outcome is not None and not self.broken


def run_case(case: Case, baseline: Baseline, workdir: Path) -> Verdict:
    folder = workdir / case.id
    _prepare(folder, baseline.earlier if case.earlier else None)
    if case.fault.kind == "calendar":
        skipped, _ = run_day(folder, case, SKIPPED_RUN_AT, SKIPPED_DAY, skipped=True)
        if skipped.status != 0:
            raise RuntimeError(f"the skipped evening's run failed (exit {skipped.status}):\n{skipped.stderr}")
    before = State.of(folder)
    result, after = run_day(folder, case)
    return judge(case, before, after, result, baseline)


def named(digest: Mapping[str, Any]) -> set[str]:
    """The sources a digest says failed, or tells readers their counts may be low (degraded,
    capped: a page cap or a rate limit stopped it, suspect: far below its recent days, or items left
    out as unreadable)."""
    return {
        name
        for name, info in digest.get("sources", {}).items()
        if info.get("status") != "ok"
        or info.get("degraded")
        or info.get("capped")
        or info.get("suspect")
        or info.get("skipped")
    }


def _worse(digest: Mapping[str, Any], earlier: Mapping[str, Any]) -> list[str]:
    """How ``digest`` is emptier than ``earlier`` without saying why: attention only grows, so an
    unnamed source may not lose posts, nor a paper listed in both any of that source's counts."""
    said = named(digest)
    papers = {entry["paper"]["id"]: entry.get("counts", {}) for entry in digest.get("papers", [])}
    problems = []
    for source, info in sorted(earlier.get("sources", {}).items()):
        if info.get("status") != "ok" or source in said:
            continue
        lost_posts = digest.get("sources", {}).get(source, {}).get("posts", 0) < info.get("posts", 0)
        lost_counts = any(
            papers[entry["paper"]["id"]].get(source, {}).get(metric, 0) < value
            for entry in earlier.get("papers", [])
            if entry["paper"]["id"] in papers
            for metric, value in entry.get("counts", {}).get(source, {}).items()
        )
        if lost_posts or lost_counts:
            problems.append(f"an emptier digest over a better one ({source} lost attention, unnamed)")
    if len(papers) < len(earlier.get("papers", [])) and not said:
        problems.append("an emptier digest over a better one (fewer papers, no source named)")
    return problems


def _corrupt(digest: Mapping[str, Any], reference: Mapping[str, Any], moved: bool = False) -> list[str]:
    """Papers whose arXiv metadata differs from the fault-free day's (``moved``: but for the
    submission times the case moved)."""

    def shown(paper: Mapping[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in paper.items() if not (moved and key == "published")}

    known = {entry["paper"]["id"]: shown(entry["paper"]) for entry in reference["papers"]}
    for entry in digest.get("papers", []):
        paper = shown(entry.get("paper", {}))
        if known.get(paper.get("id")) != paper:
            return ["a corrupt digest (papers differ from arXiv's)"]
    return []


def _same_papers(digest: Mapping[str, Any], reference: Mapping[str, Any]) -> bool:
    """Whether ``digest`` lists the fault-free day's papers, with the same scores, out of as many."""

    def listed(day: Mapping[str, Any]) -> list[tuple[str, int]]:
        return [(entry["paper"]["id"], entry["score"]) for entry in day.get("papers", [])]

    return listed(digest) == listed(reference) and digest.get("papers_fetched") == reference.get("papers_fetched")


def _as_answered(digest: Mapping[str, Any], reference: Mapping[str, Any], source: str) -> bool:
    """Whether ``digest`` is the fault-free day with nothing from ``source``: every other source's
    posts as fault-free, none from ``source`` (the papers listed may differ, as attention did)."""
    posts = {name: info.get("posts", 0) for name, info in digest.get("sources", {}).items()}
    expected = {name: info.get("posts", 0) for name, info in reference.get("sources", {}).items()}
    return posts == {**expected, source: 0}


def _readable(body: bytes) -> str:
    """A written file as text, a raw pack unpacked (gzip members one after the other)."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    return body.decode("utf-8", "replace")


def _made_safe(digest: Any, shown: str) -> Any:
    """``digest`` with every text's opening ``shown`` taken out: a text fault's insertion, made safe."""
    if isinstance(digest, str):
        return digest.replace(shown, "")
    if isinstance(digest, list):
        return [_made_safe(item, shown) for item in digest]
    if isinstance(digest, dict):
        return {key: _made_safe(item, shown) for key, item in digest.items()}
    return digest


def _papers_as_answered(digest: Mapping[str, Any], reference: Mapping[str, Any]) -> bool:
    """Whether ``digest`` lists fewer papers than the fault-free day, each with its counts and
    score there: the day as a smaller arXiv answer gave it."""
    known = {entry["paper"]["id"]: entry for entry in reference.get("papers", [])}
    listed = digest.get("papers", [])
    return len(listed) < len(known) and all(
        entry["paper"]["id"] in known
        and (entry["counts"], entry["score"])
        == (known[entry["paper"]["id"]]["counts"], known[entry["paper"]["id"]]["score"])
        for entry in listed
    )


def _leaks(secrets: Iterable[str], result: Result, after: State) -> list[str]:
    places = {
        "the output": [result.stdout, result.stderr],
        "the data store": [_readable(body) for body in after.data.values()],
        "the site": [body.decode("utf-8", "replace") for body in after.site.values()],
    }
    return [
        f"a secret in {place}"
        for place, texts in places.items()
        if any(secret in text for secret in secrets for text in texts)
    ]


def judge(case: Case, before: State, after: State, result: Result, baseline: Baseline) -> Verdict:
    """The case's one outcome, and every "never" it broke."""
    broken: list[str] = []
    if result.status is None:
        broken.append(f"hung (killed at {HARD_LIMIT:.0f} s)")
    elif result.seconds > DEADLINE:
        broken.append(f"past its deadline ({DEADLINE:.0f} s)")
    if TRACEBACK in result.stdout + result.stderr:
        broken.append("a traceback")
    broken += _leaks(baseline.secrets, result, after)
    said_empty = "No digest for" in result.stdout
    if said_empty and not case.legitimately_empty:
        broken.append("a failure reported as a day with no announcement")

    site_changed = after.site != before.site
    data_kept = all(after.data.get(key) == before.data.get(key) for key in KEPT_KEYS)
    warned = any(line.startswith("warning: ") for line in result.stderr.splitlines())
    errored = any(line.startswith("error: ") for line in result.stderr.splitlines())
    digest = after.digest() if after.site.get(DIGEST_KEY) != before.site.get(DIGEST_KEY) else None
    reference = baseline.reference[case.earlier]
    if digest is not None:
        broken += _corrupt(digest, reference.digest() or {}, moved=case.fault.kind == "calendar")
        earlier = before.digest()
        if earlier is not None:
            broken += _worse(digest, earlier)

    outcome: str | None = None
    if result.status is None:
        pass
    elif result.status != 0:
        if site_changed or not data_kept:
            broken.append("a failed run that changed the published digest")
        elif not errored:
            broken.append("a failed run without a clear error")
        else:
            outcome = "refused"
    elif not site_changed:
        if not data_kept:
            broken.append("the digest's sealed data changed but nothing was published")
        elif warned or said_empty:
            outcome = "kept"
        else:
            broken.append("nothing published and no warning")
    elif (
        after.site == reference.site
        or (
            digest is not None
            and case.believed
            and _as_answered(digest, reference.digest() or {}, str(case.upstream.source))
        )
        or (
            digest is not None
            and case.fault.kind == "text"
            and _made_safe(digest, case.fault.shown) == reference.digest()
        )
        or (digest is not None and case.believed_thinner and _papers_as_answered(digest, reference.digest() or {}))
        or (digest is not None and case.fault.kind == "calendar" and _same_papers(digest, reference.digest() or {}))
    ):
        outcome = "recovered"
    elif digest is not None and case.upstream.source in named(digest):
        outcome = "degraded"
    else:
        broken.append("a digest unlike the fault-free one that names no failed source")
    tail = "\n".join(result.stderr.splitlines()[-12:])
    return Verdict(case, outcome, tuple(dict.fromkeys(broken)), result.seconds, result.status, tail)


# ---------------------------------------------------------------- the document


def cell(verdict: Verdict) -> str:
    """The outcome, and what the run broke. No duration: on a shared machine only the deadline
    itself is a bucket every run falls into the same way, and missing it is a broken never."""
    if verdict.passed:
        return str(verdict.outcome)
    return f"**✗ {verdict.outcome or 'no outcome'}**: " + "; ".join(verdict.broken)


COLUMNS = [(persistent, earlier) for persistent in (False, True) for earlier in (False, True)]


def render_matrix(verdicts: Iterable[Verdict], settings: Mapping[str, str] | None = None) -> str:
    """``docs/reliability_matrix.md``: the same verdicts always give the same bytes."""
    by_id = {verdict.case.id: verdict for verdict in verdicts}
    cases = [case for case in all_cases() if case.id in by_id]
    settings = dict(sorted((settings if settings is not None else timing_env()).items()))
    outcomes = ("recovered", "degraded", "refused", "kept")
    passed = [by_id[case.id] for case in cases if by_id[case.id].passed]
    failing = [by_id[case.id] for case in cases if not by_id[case.id].passed]
    lines = [
        "# Reliability: the fault matrix",
        "",
        "<!-- Generated by tests/integration/test_fault_matrix.py; do not edit. "
        "Regenerate with `HOTPAPERS_UPDATE_DOCS=1 make matrix`. -->",
        "",
        f"Each cell is one run of `hotpapers run` for the demo day ({DAY}) in which one upstream answers one "
        "fault, on its first request only (transient) or on every request (persistent), with or without an "
        "earlier good digest of the day already published. Every other upstream answers as recorded in "
        f"`demo/recordings/{DAY}`; the arXiv answer is trimmed to {len(LISTING.entries)} of its "
        f"{LISTING.recorded} papers (every paper a post mentions, and the first {EXTRA_PAPERS}) and paged "
        "as arXiv pages it. HTTP and connection faults hit every request of the upstream, logins included; "
        "bad bodies hit its content requests (not the Bluesky and Reddit logins).",
        "",
        "Outcomes, exactly one per cell:",
        "",
        "- **recovered**: the published site is byte-identical to the fault-free run's; or, for a valid empty "
        "answer with no earlier digest (which no one can tell from a quiet day), the day as answered: every "
        "other source's posts as fault-free and none from the emptied one; or, for a smaller arXiv answer with "
        "no earlier digest (which no one can tell from a smaller day), the papers as answered: fewer, each "
        "with its fault-free counts and score; or, for hostile text in a valid answer, the fault-free day with "
        "that text made safe (each lone surrogate a replacement character, each reflected credential masked).",
        "- **degraded**: a digest is published and names the failed source, or tells readers its counts may be "
        "low (items left out as unreadable among them).",
        "- **refused**: non-zero exit; every published file and the day's sealed data byte-identical; an "
        "`error:` line.",
        "- **kept**: exit 0; nothing published or sealed; a `warning:` line (or a real day without "
        "announcement); the earlier digest, if any, stands.",
        "",
        "A cell fails (✗) when the run fits none of these or breaks a never: a traceback; a secret (the "
        "configured fake credentials, Reddit's Basic credential, the tokens the logins hand out) in stdout, "
        "stderr or any file written (raw packs unpacked); a corrupt digest, or an emptier one over a better "
        "one without naming the "
        f"source; a failure reported as a day with no announcement; a run past its {DEADLINE:.0f} s deadline "
        f"(a run still going at {HARD_LIMIT:.0f} s is killed). That deadline is the only duration bucket: "
        "several cases run at once on a shared 2-core machine, so finer timings would differ from run to run.",
        "",
        "Settings of every run:",
        "",
        "| setting | value |",
        "| --- | --- |",
        *(f"| `{name}` | {value} |" for name, value in settings.items()),
        "",
        "## Summary",
        "",
        "| outcome | cells |",
        "| --- | --- |",
        *(f"| {outcome} | {sum(v.outcome == outcome for v in passed)} |" for outcome in outcomes),
        f"| ✗ failing | {len(failing)} |",
        f"| total | {len(cases)} |",
        "",
    ]
    header = " | ".join(f"{SPELLS[persistent]}, {PRIOR_STATES[earlier]}" for persistent, earlier in COLUMNS)
    for upstream in UPSTREAMS:
        rows = []
        for fault in FAULTS:
            row = [by_id.get(Case(upstream, fault, p, e).id) for p, e in COLUMNS]
            if any(row):
                rows.append(f"| {fault.label} | " + " | ".join(cell(v) if v else "" for v in row) + " |")
        if rows:
            lines += [f"## {upstream.label}", "", f"| fault | {header} |", "| --- " * 5 + "|", *rows, ""]
    if failing:
        lines += ["## Failing cells", ""]
        lines += [f"- `{verdict.case.id}`: {'; '.join(verdict.broken)}" for verdict in failing]
        lines.append("")
    return "\n".join(lines)


def committed_cell(text: str, case: Case) -> str | None:
    """The cell ``case`` has in a rendered matrix, or ``None``."""
    section = text.split(f"\n## {case.upstream.label}\n", 1)
    if len(section) < 2:
        return None
    for line in section[1].split("\n## ", 1)[0].splitlines():
        cells = [part.strip() for part in line.strip().strip("|").split(" | ")]
        if cells and cells[0] == case.fault.label and len(cells) == 5:
            return cells[1 + COLUMNS.index((case.persistent, case.earlier))]
    return None

"""A stand-in for upstream HTTP APIs: recorded answers, and scripted faults.

``ReplayServer`` is the one fake upstream of the demo and of every test tier. Routes answer by
path (or by whole URL, where hosts must be told apart); when several accept a request, the one
that names the most of its query answers, and of equals the one added first. Each route answers
from a list, consumed in order (the last one repeats), so a test can script "503 with
Retry-After, then 200"; a request no route accepts is answered 404. Every request is recorded in
``requests``.

It is reached three ways: on 127.0.0.1 (a free port, a daemon thread, stopped when its ``with``
block ends), through a socket pair (``connect_pair``, for tests that refuse connections), or
without any socket (``answer``, called by an in-memory connection pool). ``fault``, when set,
answers each request on a socket in place of the routed reply (the fault matrix's hook).
``from_recording`` loads a folder with ``routes.json``, the bundled day of ``make demo``.
"""

from __future__ import annotations

import io
import json
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (longer than a client's timeout makes a timeout)."""
    cut: float | None = None
    """Send only this share of the body (0.55: the first 55%), then close the connection."""
    length: bool = True
    """Declare ``Content-Length`` (of the whole body, even when it is cut); without it, the
    connection's close ends the body."""
    trickle: float = 0.0
    """Seconds between the body's bytes, sent one at a time."""
    keep_alive: bool = False
    """Answer as HTTP/1.1, which keeps the connection open after the body (most upstreams do;
    the client then reads the body on the connection's own socket). Else HTTP/1.0, which closes it."""

    @classmethod
    def json(cls, document: Any, status: int = 200, **headers: str) -> Reply:
        return cls(status, json.dumps(document).encode(), {"Content-Type": "application/json", **headers})


@dataclass(frozen=True)
class Request:
    """One request as upstream received it."""

    method: str
    url: str
    """Scheme, host and path, without the query."""
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""
    timeout: float | None = None
    """The client's read timeout, in seconds, where the in-memory pool can see it."""
    at: float = field(default_factory=time.monotonic)


Answer = Reply | BaseException | Callable[[Request], Reply]
"""What a route answers: a reply; an exception, raised where the socket would fail (a reset
connection on a socket); or a function of the request."""


@dataclass
class Route:
    path: str
    """A path, or a whole URL (scheme, host and path) to tell hosts apart."""
    replies: list[Answer]
    query: dict[str, str] = field(default_factory=dict)
    served: int = 0

    def accepts(self, request: Request) -> bool:
        return self.path in (request.path, request.url) and all(
            request.query.get(key) == value for key, value in self.query.items()
        )

    def next_reply(self) -> Answer:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


def request_of(
    method: str, url: str, headers: dict[str, str], body: bytes = b"", timeout: float | None = None
) -> Request:
    """The record of a request for ``url`` (a whole URL, query included)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    return Request(method, f"{parts.scheme}://{parts.netloc}{parts.path}", parts.path, query, headers, body, timeout)


class Exchange:
    """One request on a socket, being answered: what was asked, what the routes would answer, and
    the means to answer it otherwise (a fault hook's tools)."""

    def __init__(self, handler: BaseHTTPRequestHandler, request: Request, reply: Reply, stopping: threading.Event):
        self.request = request
        self.reply = reply
        self.stopping = stopping
        """Set when the server closes: a fault that holds the connection lets go then."""
        self._handler = handler

    @property
    def target(self) -> str:
        """The request line's target: the path and query as sent."""
        return self._handler.path

    @property
    def request_line(self) -> str:
        return self._handler.requestline

    def send(self, reply: Reply) -> None:
        """Answer with ``reply``, honouring its delay, cut, length, trickle and keep-alive."""
        if reply.delay and self.stopping.wait(reply.delay):
            return
        body = reply.body if reply.cut is None else reply.body[: int(len(reply.body) * reply.cut)]
        if reply.keep_alive:
            self._handler.protocol_version = "HTTP/1.1"
        self.head(reply.status, reply.headers, len(reply.body) if reply.length else None)
        if reply.trickle:
            for offset in range(len(body)):
                if not self.write(body[offset : offset + 1]) or self.stopping.wait(reply.trickle):
                    return
        else:
            self._handler.wfile.write(body)

    def head(self, status: int, headers: dict[str, str], length: int | None) -> None:
        """The status line and headers, with ``Content-Length: length`` unless ``None``."""
        self._handler.send_response(status)
        for name, value in headers.items():
            self._handler.send_header(name, value)
        if length is not None:
            self._handler.send_header("Content-Length", str(length))
        self._handler.end_headers()

    def write(self, chunk: bytes) -> bool:
        """Send ``chunk`` of a long body, unless the server is closing (then ``False``: a client
        reading slowly, or not at all, must not keep a closed server's thread writing)."""
        if self.stopping.is_set():
            return False
        self._handler.wfile.write(chunk)
        self._handler.wfile.flush()
        return True

    def hold(self) -> None:
        """Never answer: wait until the client gives up (closes) or the server closes."""
        connection = self._handler.connection
        while not self.stopping.is_set():
            ready, _, _ = select.select([connection], [], [], 0.2)
            if ready and not connection.recv(1, socket.MSG_PEEK):
                return

    def reset(self) -> None:
        """Close with a TCP RST instead of an answer."""
        connection = self._handler.connection
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._handler.rfile.close()
        self._handler.wfile.close()
        connection.close()
        # The handler flushes its output after every request: with the connection gone, into nothing.
        self._handler.wfile = io.BytesIO()


FaultHook = Callable[[Exchange], None]


class ReplayServer:
    """Serve scripted replies on http://127.0.0.1:<free port>, a socket pair, or in memory."""

    def __init__(self, fault: FaultHook | None = None) -> None:
        self.routes: list[Route] = []
        self.requests: list[Request] = []
        self.fault = fault
        """Answers each request on a socket in place of ``Exchange.send`` of the routed reply."""
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="replay", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, path: str, *replies: Answer, query: dict[str, str] | None = None) -> Route:
        """Answer requests for ``path`` (or a whole URL) whose query includes ``query`` with
        ``replies`` in turn; of routes accepting a request, the one naming more of its query
        answers, and of equals the one added first."""
        route = Route(path=path, replies=list(replies), query=query or {})
        self.routes.append(route)
        return route

    def answer(self, request: Request) -> Reply:
        """Record ``request`` and give the next answer of the route it reaches (404 if none)."""
        with self._lock:
            self.requests.append(request)
            accepting = [route for route in self.routes if route.accepts(request)]
            if not accepting:
                return Reply.json({"error": f"no recorded answer for {request.method} {request.path}"}, status=404)
            # max keeps the first of equals: the earliest-added of the most specific routes.
            found = max(accepting, key=lambda route: len(route.query)).next_reply()
        if isinstance(found, BaseException):
            raise found
        return found(request) if callable(found) else found

    def connect_pair(self) -> socket.socket:
        """A connection to this server that needs no network: one end of a socket pair, whose
        other end is served like an accepted connection (unit tests refuse real connections)."""
        client, served = socket.socketpair()
        self._server.process_request(served, ("socketpair", 0))
        return client

    def requests_to(self, path: str) -> list[Request]:
        """The requests for ``path`` (or a whole URL), in order."""
        return [request for request in self.requests if path in (request.path, request.url)]

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop listening (and serving, if the server was started); held answers let go."""
        self.stopping.set()
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._serve(b"")

            def do_POST(self) -> None:
                self._serve(self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def _serve(self, body: bytes) -> None:
                headers = dict(self.headers.items())
                request = request_of(self.command, f"http://{headers.get('Host', '')}{self.path}", headers, body)
                try:
                    try:
                        reply = replay.answer(request)
                    except Exception:  # a scripted failure: on a socket, the connection's reset
                        Exchange(self, request, Reply(), replay.stopping).reset()
                        return
                    exchange = Exchange(self, request, reply, replay.stopping)
                    if replay.fault is None:
                        exchange.send(reply)
                    else:
                        replay.fault(exchange)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test); nothing is owed to it
                # Each connection answers one request; a client that kept it open asks anew.
                self.close_connection = True

            def log_message(self, format: str, *args: Any) -> None:
                """Silence per-request logging; ``ReplayServer.requests`` keeps the record."""

        return Handler

    @classmethod
    def from_recording(cls, folder: Path) -> tuple[ReplayServer, dict[str, str]]:
        """A server answering from ``folder/routes.json``, and the environment the recording expects:
        its ``settings`` (those it was published with) and its ``env`` (how its fetch reaches it).

        ``{url}`` in the recording's environment values stands for the server's address.
        """
        recording = json.loads((folder / "routes.json").read_text(encoding="utf-8"))
        server = cls()
        for route in recording["routes"]:
            body = (folder / route["body"]).read_bytes()
            reply = Reply(route.get("status", 200), body, {"Content-Type": route["content_type"]})
            server.add(route["path"], reply, query=route.get("query"))
        env = {
            key: value.replace("{url}", server.url)
            for key, value in {**recording.get("settings", {}), **recording["env"]}.items()
        }
        return server, env

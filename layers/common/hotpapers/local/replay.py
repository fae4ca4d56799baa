"""A loopback stand-in for upstream HTTP APIs: recorded answers, and scripted faults.

``ReplayServer`` listens on 127.0.0.1 only, on a free port, in a daemon thread, and stops when
its ``with`` block ends. Each route answers from a list of replies, consumed in order (the
last one repeats), so a test can script "503 with Retry-After, then 200". It records every
request it receives. ``from_recording`` loads a folder with ``routes.json``, the bundled day
of ``make demo``.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit


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


@dataclass
class Route:
    path: str
    replies: list[Reply]
    query: dict[str, str] = field(default_factory=dict)
    served: int = 0

    def accepts(self, path: str, query: dict[str, str]) -> bool:
        return path == self.path and all(query.get(key) == value for key, value in self.query.items())

    def next_reply(self) -> Reply:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float


class ReplayServer:
    """Serve scripted replies on http://127.0.0.1:<free port>."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[Request] = []
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

    def add(self, path: str, *replies: Reply, query: dict[str, str] | None = None) -> Route:
        """Answer GETs of ``path`` (whose query includes ``query``) with ``replies`` in turn."""
        route = Route(path=path, replies=list(replies), query=query or {})
        self.routes.append(route)
        return route

    def connect_pair(self) -> socket.socket:
        """A connection to this server that needs no network: one end of a socket pair, whose
        other end is served like an accepted connection (unit tests refuse real connections)."""
        client, served = socket.socketpair()
        self._server.process_request(served, ("socketpair", 0))
        return client

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop listening (and serving, if the server was started)."""
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def _answer(self, method: str, target: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(target)
        query = {key: values[-1] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
        with self._lock:
            self.requests.append(Request(method, parts.path, query, headers, time.monotonic()))
            for route in self.routes:
                if route.accepts(parts.path, query):
                    return route.next_reply()
        return Reply.json({"error": f"no recorded answer for {method} {parts.path}"}, status=404)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._reply(replay._answer("GET", self.path, dict(self.headers.items())))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                self.rfile.read(length)
                self._reply(replay._answer("POST", self.path, dict(self.headers.items())))

            def _reply(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body if reply.cut is None else reply.body[: int(len(reply.body) * reply.cut)]
                if reply.keep_alive:
                    self.protocol_version = "HTTP/1.1"
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if reply.trickle:
                        for byte in body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(body)
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

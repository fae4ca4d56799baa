"""The one fake upstream (``ReplayServer``): one routing rule, one 404 and one record, whichever way
a test reaches it: through a socket pair (``http://``) or through a session's pools with no socket
(``fake_http.mount``, any scheme)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from hotpapers.offline.replay import ReplayServer, Reply, Request
from support.fake_http import mount

Ask = Callable[[ReplayServer, str], requests.Response]


def over_a_socket_pair(server: ReplayServer, target: str) -> requests.Response:
    # The upstreams fixture has every http:// connection reach ``server`` through a socket pair.
    return requests.get(f"http://api.test{target}", timeout=5)


def without_a_socket(server: ReplayServer, target: str) -> requests.Response:
    return mount(server, requests.Session()).get(f"https://api.test{target}", timeout=5)


WAYS = pytest.mark.parametrize("ask", [over_a_socket_pair, without_a_socket])


@WAYS
def test_the_route_naming_most_of_the_query_answers_and_of_equals_the_first_added(
    upstreams: ReplayServer, ask: Ask
) -> None:
    # Given a catch-all route, two routes naming one key each, and one naming two
    upstreams.add("/search", Reply(200, b"any"))
    upstreams.add("/search", Reply(200, b"day"), query={"until": "D"})
    upstreams.add("/search", Reply(200, b"page"), query={"cursor": "2"})
    upstreams.add("/search", Reply(200, b"day page"), query={"until": "D", "cursor": "2"})
    # When asked with more and more of the query / Then the most specific route answers
    assert ask(upstreams, "/search?q=x").content == b"any"
    assert ask(upstreams, "/search?q=x&until=D").content == b"day"
    assert ask(upstreams, "/search?q=x&until=D&cursor=2").content == b"day page"
    # And of two routes naming as much of it, the one added first
    upstreams.routes.pop()
    assert ask(upstreams, "/search?q=x&until=D&cursor=2").content == b"day"


@WAYS
def test_a_route_answers_in_turn_the_last_repeating_and_a_whole_url_routes_by_host(
    upstreams: ReplayServer, ask: Ask
) -> None:
    # Given a route by path with two replies, and one by a whole URL on another host
    upstreams.add("/api", Reply(503, b"busy"), Reply(200, b"ok"))
    upstreams.add("https://other.test/api", Reply(200, b"other"))
    # When asked three times / Then the replies come in turn, the last repeating
    assert [ask(upstreams, "/api").status_code for _ in range(3)] == [503, 200, 200]


@WAYS
def test_an_unknown_route_is_the_same_404_either_way(upstreams: ReplayServer, ask: Ask) -> None:
    # Given no route / When asked / Then the one 404, naming what was asked
    answer = ask(upstreams, "/nowhere?x=1")
    assert (answer.status_code, answer.json()) == (404, {"error": "no recorded answer for GET /nowhere"})


@WAYS
def test_every_request_is_recorded_once_in_the_same_shape(upstreams: ReplayServer, ask: Ask) -> None:
    # Given a route / When asked with a query and a header
    upstreams.add("/api", Reply(200, b"ok"))
    ask(upstreams, "/api?q=a+b&empty=")
    # Then one request is recorded, its path, whole URL, query and headers read alike
    (request,) = upstreams.requests
    assert isinstance(request, Request)
    assert (request.method, request.path, request.query) == ("GET", "/api", {"q": "a b", "empty": ""})
    assert request.url.endswith("api.test/api")
    assert upstreams.requests_to("/api") == upstreams.requests_to(request.url) == [request]


def test_a_route_may_answer_with_a_function_of_the_request_or_fail_like_a_socket(upstreams: ReplayServer) -> None:
    # Given one route answering by the request, and one raising where the socket would fail
    upstreams.add("/echo", lambda request: Reply(200, request.query["say"].encode()))
    upstreams.add("/reset", ConnectionResetError("reset by peer"))
    session = mount(upstreams, requests.Session())
    # When asked / Then the function's reply comes back, and the failure reaches the client
    assert session.get("https://api.test/echo?say=hi", timeout=5).content == b"hi"
    with pytest.raises(requests.ConnectionError):
        session.get("https://api.test/reset", timeout=5)
    # And over a socket pair, the same failure is a reset connection
    with pytest.raises(requests.ConnectionError):
        requests.get("http://api.test/reset", timeout=5)

"""Retries, Retry-After, timeouts and arXiv's politeness delay, over real HTTP on loopback."""

from __future__ import annotations

import contextlib
import gzip
import itertools
import time
from datetime import date

import pytest
from hotpapers import arxiv
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.schedule import window_for
from hotpapers.upstream import (
    BodyTooLargeError,
    DeadlineExceededError,
    IncompleteBodyError,
    UpstreamError,
    get,
    make_session,
    time_limit,
)
from support.builders import atom_entry, atom_feed
from support.faults.bodies import gzip_bomb

pytestmark = pytest.mark.integration
WINDOW = window_for(date(2020, 7, 9))


def gaps(server: ReplayServer, path: str) -> list[float]:
    times = [request.at for request in server.requests_to(path)]
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def test_arxiv_pages_are_spaced_by_the_politeness_delay(replay: ReplayServer) -> None:
    # Given three papers served one per page
    for start, paper_id in enumerate(["2007.00001", "2007.00002", "2007.00003"]):
        replay.add(
            "/api/query",
            Reply(200, atom_feed([atom_entry(paper_id)], total=3, start=start)),
            query={"start": str(start)},
        )
    # When the window is fetched with a 0.4 s delay
    pages = arxiv.fetch_window(make_session(), f"{replay.url}/api/query", WINDOW, ["cs.LG"], delay=0.4, page_size=1)
    # Then each page was asked once, never sooner than the delay after the previous
    assert len(pages) == 3
    assert all(gap >= 0.4 for gap in gaps(replay, "/api/query")), gaps(replay, "/api/query")


def test_retry_after_is_honoured_on_429_and_503(replay: ReplayServer) -> None:
    # Given arXiv throttling, then unavailable, each asking to come back in 1 s, then answering
    replay.add(
        "/api/query",
        Reply(429, b"slow down", {"Retry-After": "1"}),
        Reply(503, b"busy", {"Retry-After": "1"}),
        Reply(200, atom_feed([atom_entry("2007.00001")])),
    )
    # When fetched with no politeness delay of its own
    pages = arxiv.fetch_window(make_session(backoff=0.01), f"{replay.url}/api/query", WINDOW, ["cs.LG"], delay=0)
    # Then it got through on the third request, each retry waiting as asked
    assert pages[0].document.meta["entries"] == 1
    assert [round(gap) for gap in gaps(replay, "/api/query")] == [1, 1]


def test_retries_of_arxiv_never_come_sooner_than_the_delay(replay: ReplayServer) -> None:
    # Given a 502 without Retry-After (urllib3 would retry at once)
    replay.add("/api/query", Reply(502, b"bad gateway"), Reply(200, atom_feed([atom_entry("2007.00001")])))
    # When fetched through the arXiv session (min_wait = delay)
    arxiv.fetch_window(
        make_session(min_wait=0.4, backoff=0.01), f"{replay.url}/api/query", WINDOW, ["cs.LG"], delay=0.4
    )
    # Then the retry still waited the politeness delay
    assert gaps(replay, "/api/query")[0] >= 0.4


def test_a_read_timeout_is_retried(replay: ReplayServer) -> None:
    # Given an upstream whose first answer comes after the client gave up
    replay.add("/slow", Reply(200, b"late", delay=1.0), Reply(200, b"on time"))
    # When asked with a 0.3 s timeout
    response = get(make_session(backoff=0.01), "test", f"{replay.url}/slow", timeout=0.3)
    # Then the retry's answer is returned
    assert response.content == b"on time"
    assert len(replay.requests_to("/slow")) == 2


def test_giving_up_names_the_source_and_the_status(replay: ReplayServer) -> None:
    replay.add("/down", Reply(503, b"<html>Service Unavailable: Bearer echoed-token</html>"))
    with pytest.raises(UpstreamError, match=r"^test: HTTP 503 from .*/down: Service Unavailable$") as raised:
        get(make_session(retries=2, backoff=0.01), "test", f"{replay.url}/down")
    assert raised.value.source == "test"
    assert len(replay.requests_to("/down")) == 3


def test_client_errors_are_not_retried(replay: ReplayServer) -> None:
    replay.add("/api/query", Reply(400, b"<feed>incorrect id format for abc</feed>"))
    with pytest.raises(arxiv.ArxivError, match="HTTP 400"):
        arxiv.fetch_window(make_session(backoff=0.01), f"{replay.url}/api/query", WINDOW, ["cs.LG"], delay=0)
    assert len(replay.requests_to("/api/query")) == 1


def test_a_body_short_of_its_content_length_is_an_incomplete_body(replay: ReplayServer) -> None:
    # Given an answer that declares its length but closes after half of it
    replay.add("/cut", Reply(200, b"x" * 1000, cut=0.5))
    # When / Then the shorter body is never returned as if it were the answer
    with pytest.raises(IncompleteBodyError, match="broke off after 500 bytes"):
        get(make_session(backoff=0.01), "test", f"{replay.url}/cut")


def test_a_trickling_body_ends_at_the_deadline(replay: ReplayServer) -> None:
    # Given a server sending a byte every 0.2 s, each read well within the 30 s timeout
    replay.add("/slow", Reply(200, b"x" * 100, trickle=0.2))
    # When asked within a 1 s limit
    began = time.monotonic()
    with (
        pytest.raises(DeadlineExceededError, match="test's 1 s budget ran out while the answer was arriving"),
        time_limit(1, "test's 1 s budget"),
    ):
        get(make_session(), "test", f"{replay.url}/slow", timeout=30)
    # Then the request ended at the limit, not after the 20 s the body would take
    assert time.monotonic() - began < 6


def test_a_retry_after_within_the_limit_is_waited(replay: ReplayServer) -> None:
    # Given a 503 asking for 1 s, then an answer, within a 5 s limit
    replay.add("/busy", Reply(503, b"busy", {"Retry-After": "1"}), Reply(200, b"ok"))
    with time_limit(5, "a 5 s limit"):
        assert get(make_session(backoff=0.01), "test", f"{replay.url}/busy").content == b"ok"


def test_a_retry_after_past_the_limit_fails_at_once_naming_the_wait(replay: ReplayServer) -> None:
    replay.add("/busy", Reply(503, b"busy", {"Retry-After": "60"}), Reply(200, b"ok"))
    began = time.monotonic()
    with (
        pytest.raises(DeadlineExceededError, match=r"asked to wait 60 s before retrying, longer than the \d+ s left"),
        time_limit(30, "a 30 s limit"),
    ):
        get(make_session(backoff=0.01), "test", f"{replay.url}/busy")
    # At once: not after waiting out the 30 s limit
    assert time.monotonic() - began < 10
    assert len(replay.requests_to("/busy")) == 1


def test_retries_stop_at_the_limit(replay: ReplayServer) -> None:
    # Given an upstream that answers only after 0.6 s, and a 1 s limit with many retries allowed
    replay.add("/late", Reply(200, b"late", delay=0.6))
    began = time.monotonic()
    with pytest.raises(DeadlineExceededError), time_limit(1, "a 1 s limit"):
        get(make_session(retries=10, backoff=0.01), "test", f"{replay.url}/late", timeout=0.5)
    # Then the retries stopped at the limit, not after the 5.5 s that eleven attempts would take
    assert time.monotonic() - began < 3.5


@pytest.mark.parametrize("limited", [False, True], ids=["no-limit", "within-a-limit"])
def test_a_compressed_answer_is_decoded(replay: ReplayServer, limited: bool) -> None:
    # Given an upstream answering gzip-compressed, as most do when asked (requests asks)
    body = b'{"papers": ["2007.00001"]}' * 100
    replay.add("/gz", Reply(200, gzip.compress(body), {"Content-Encoding": "gzip"}))
    # When asked, with or without a time limit
    with time_limit(5, "a 5 s limit") if limited else contextlib.nullcontext():
        response = get(make_session(), "test", f"{replay.url}/gz")
    # Then the answer is the decoded body
    assert response.content == body


MIB = 2**20


def test_a_gzip_bomb_is_refused_once_its_decompressed_bytes_pass_the_limit(replay: ReplayServer) -> None:
    # Given an upstream answering 1.6 MB of gzip that unpacks to 1.5 GiB
    replay.add("/bomb", Reply(200, gzip_bomb(), {"Content-Encoding": "gzip", "Content-Type": "application/json"}))
    began = time.monotonic()
    # When it is asked by a session whose bodies may hold 2 MiB
    with pytest.raises(BodyTooLargeError, match="2097152-byte limit"):
        get(make_session(max_body=2 * MIB), "test", f"{replay.url}/bomb")
    # Then it was given up long before 1.5 GiB could be unpacked
    assert time.monotonic() - began < 5


def test_an_answer_longer_than_the_limit_is_refused_and_one_at_the_limit_is_read(replay: ReplayServer) -> None:
    # Given an answer of exactly 1 MiB, and one a byte longer
    replay.add("/exact", Reply(200, b" " * MIB))
    replay.add("/over", Reply(200, b" " * (MIB + 1)))
    session = make_session(max_body=MIB)
    # Then the first is read whole, the second refused
    assert len(get(session, "test", f"{replay.url}/exact").content) == MIB
    with pytest.raises(BodyTooLargeError):
        get(session, "test", f"{replay.url}/over")


def test_a_redirects_own_body_is_bounded_too(replay: ReplayServer) -> None:
    # Given a redirect whose own body is a gzip bomb (requests reads a redirect's body before following it)
    headers = {"Location": f"{replay.url}/fine", "Content-Encoding": "gzip"}
    replay.add("/moved", Reply(302, gzip_bomb(256 * MIB), headers))
    replay.add("/fine", Reply(200, b"{}"))
    # When it is asked by a session whose bodies may hold 1 MiB
    with pytest.raises(BodyTooLargeError):
        get(make_session(max_body=MIB), "test", f"{replay.url}/moved")
    # And an ordinary redirect is still followed
    replay.add("/small-move", Reply(302, b"moved", {"Location": f"{replay.url}/fine"}))
    assert get(make_session(max_body=MIB), "test", f"{replay.url}/small-move").content == b"{}"

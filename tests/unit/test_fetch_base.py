"""What every source's requests share (``Source.get_json``, ``post_json``, ``connect``), seen
through real sources against upstreams answered in-process: the stored document is the answer
as received, timeouts are the source's, retries follow the session's limits, and an answer that
is not JSON fails the source with the project's own error."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hotpapers.models import Paper, Post
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.sources import Day, MalformedDocumentError, Source
from hotpapers.sources.bluesky import Bluesky
from hotpapers.sources.hackernews import HackerNews
from hotpapers.sources.huggingface import HuggingFace
from hotpapers.sources.reddit import Reddit
from hotpapers.sources.x import X
from hotpapers.upstream import USER_AGENT, UpstreamError
from support.fake_http import connected, fetch_request

HN = "https://hn.algolia.com/api/v1/search_by_date"
PAGE = b'{"hits": [], "nbHits": 0, "nbPages": 1}'


def test_a_document_is_the_answer_as_received_with_where_it_came_from(upstreams: ReplayServer) -> None:
    # Given an answer sent as text/plain with its own spacing
    upstreams.add(HN, Reply(200, PAGE, {"Content-Type": "text/plain"}))
    request = fetch_request()
    # When fetched
    (document,) = connected(HackerNews, upstreams, request).fetch(request)
    # Then the stored document keeps the exact bytes, the URL asked (query included), the status, and is JSON
    assert document.body == PAGE
    assert document.url.startswith(HN + "?query=arxiv.org&")
    assert (document.status, document.content_type) == (200, "application/json")


def test_each_request_has_the_sources_timeout_and_the_projects_user_agent(upstreams: ReplayServer) -> None:
    upstreams.add(HN, Reply(200, PAGE))
    request = fetch_request(env={"HOTPAPERS_HACKERNEWS_TIMEOUT": "7"})
    connected(HackerNews, upstreams, request).fetch(request)
    (asked,) = upstreams.requests
    assert asked.timeout == 7.0
    assert asked.headers["User-Agent"] == USER_AGENT


def test_server_errors_are_retried_as_often_as_the_source_allows_then_fail_it(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    # Given an upstream that keeps answering 503, and two retries with a 0.5 s backoff
    upstreams.add(HN, Reply(503))
    request = fetch_request(env={"HOTPAPERS_HACKERNEWS_RETRIES": "2", "HOTPAPERS_HACKERNEWS_BACKOFF": "0.5"})
    # When fetched
    with pytest.raises(UpstreamError, match=f"^hackernews: HTTP 503 from {HN}: Service Unavailable$") as failure:
        connected(HackerNews, upstreams, request).fetch(request)
    # Then it was asked three times, waiting longer each time, and the error says it was no rate limit
    assert len(upstreams.requests) == 3
    assert waits == [1.0]
    assert (failure.value.status, failure.value.rate_limited) == (503, False)


def test_a_long_retry_after_on_a_server_error_is_waited_at_most_a_minute(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    upstreams.add(HN, Reply(503, b"", {"Retry-After": "3600"}), Reply(200, PAGE))
    request = fetch_request()
    connected(HackerNews, upstreams, request).fetch(request)
    assert waits == [60.0]


def test_a_rate_limit_longer_than_a_minute_is_not_waited_in_part(upstreams: ReplayServer, waits: list[float]) -> None:
    # Given a 429 asking for an hour, outside any budget (a source's longest wait is a minute)
    upstreams.add(HN, Reply(429, b"", {"Retry-After": "3600"}), Reply(200, PAGE))
    request = fetch_request()
    # When fetched / Then it stopped at once: a retry after a minute would fall in the same window
    with pytest.raises(UpstreamError, match="rate limited for 3600 s more") as raised:
        connected(HackerNews, upstreams, request).fetch(request)
    assert raised.value.rate_limited
    assert waits == []


@pytest.mark.parametrize("body", [b"<html>Rate exceeded</html>", b'{"hits": [', b""])
def test_an_answer_that_is_not_json_fails_the_source(upstreams: ReplayServer, body: bytes) -> None:
    upstreams.add(HN, Reply(200, body))
    request = fetch_request()
    with pytest.raises(UpstreamError, match=f"^hackernews: {HN} answered with malformed JSON$") as failure:
        connected(HackerNews, upstreams, request).fetch(request)
    assert failure.value.status is None


@pytest.mark.usefixtures("credentials")
def test_a_login_answer_that_is_not_json_fails_the_source(upstreams: ReplayServer) -> None:
    session = "https://bsky.social/xrpc/com.atproto.server.createSession"
    upstreams.add(session, Reply(200, b"<html>"))
    request = fetch_request()
    with pytest.raises(UpstreamError, match=f"{session} answered with malformed JSON"):
        connected(Bluesky, upstreams, request).fetch(request)


def test_an_oembed_request_waits_at_most_15_seconds(upstreams: ReplayServer) -> None:
    # Given X's own timeout of 40 s, and a post worth showing
    paper = Paper("2606.01001", 1, "A", ("A",), ("cs.LG",), "An abstract.", "", "")
    post = Post("x", "1", "https://twitter.com/a/status/1", "A", "a", "", "", {"likes": 99}, (paper.abs_url,))
    upstreams.add("https://publish.twitter.com/oembed", Reply.json({"html": "<blockquote></blockquote>"}))
    request = fetch_request(now=datetime(2026, 6, 3, tzinfo=UTC), env={"HOTPAPERS_X_TIMEOUT": "40"})
    # When its oEmbed markup is asked for
    connected(X, upstreams, request).enrich(request, Day({paper.id: paper}, (post,), {}))
    # Then the request may take 15 s, not 40
    assert [a.timeout for a in upstreams.requests] == [15.0]


def test_the_page_cap_and_each_malformed_item_are_logged_naming_the_source(
    upstreams: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a search of five pages, one story malformed, and a cap of two pages
    hits = [
        {"objectID": "44100001", "points": 1, "num_comments": 0},
        {"objectID": "44100002", "points": "60 points", "num_comments": 0},
    ]
    upstreams.add(HN, Reply.json({"hits": hits, "nbHits": 450, "nbPages": 5}))
    request = fetch_request(env={"HOTPAPERS_HACKERNEWS_MAX_PAGES": "2"})
    # When fetched
    connected(HackerNews, upstreams, request).fetch(request)
    # Then the operator is told which source stopped after how many pages, and which dropped items
    logged = [
        (r.getMessage(), getattr(r, "source", None), getattr(r, "pages", None), getattr(r, "errors", None))
        for r in caplog.records
    ]
    assert ("search stopped at the page limit", "hackernews", 2, None) in logged
    assert logged.count(("malformed item skipped", "hackernews", None, 1)) == 2


@pytest.mark.parametrize(
    ("source", "document"),
    [
        (HackerNews, {"hits": [{"objectID": "not digits"}]}),
        (HuggingFace, [{"paper": {}}]),
        (Reddit, {"data": {"children": [{"kind": 3}]}}),
        (Bluesky, {"posts": [{"uri": 1}]}),
        (X, {"data": [{"id": "1/../manifest"}], "meta": {}}),
    ],
    ids=lambda value: getattr(value, "name", ""),
)
def test_a_dropped_item_is_logged_under_its_sources_name(
    source: type[Source], document: object, caplog: pytest.LogCaptureFixture
) -> None:
    parsed = source.read({"search-0000.json": json.dumps(document).encode()})
    assert parsed.skipped == 1
    assert [getattr(r, "source", None) for r in caplog.records if r.getMessage() == "malformed item skipped"] == [
        source.name
    ]


@pytest.mark.parametrize(
    ("source", "name", "body", "message"),
    [
        (HuggingFace, "daily_papers-2026-06-02-000.json", b"<html>", "has no JSON"),
        (HuggingFace, "daily_papers-2026-06-02-000.json", b"{}", "has no list of items"),
        (Reddit, "search-0000.json", b"<html>", "has no JSON"),
        (Reddit, "search-0000.json", b'{"data": {"children": {}}}', "has no list of data.children"),
        (Bluesky, "search-0000.json", b"<html>", "has no JSON"),
        (Bluesky, "search-0000.json", b'{"cursor": "x"}', "has no list of posts"),
    ],
)
def test_a_stored_document_that_is_garbage_as_a_whole_is_named(
    source: type[Source], name: str, body: bytes, message: str
) -> None:
    with pytest.raises(MalformedDocumentError) as failure:
        source.read({name: body})
    assert str(failure.value) == f"{name} {message}"

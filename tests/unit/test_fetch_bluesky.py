"""Bluesky fetch against createSession and searchPosts answered in-process: the login, the
search by domain over the day's range, the cursor, the page cap, and answers of the wrong shape."""

from __future__ import annotations

import io
import json
import re
import secrets
from typing import Any

import pytest
from hotpapers import redaction
from hotpapers.observability import logger
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.sources.bluesky import Bluesky
from hotpapers.upstream import UpstreamError
from support.fake_http import connected, fetch_request
from support.sources_day import fixture, fixture_json

SESSION = "https://bsky.social/xrpc/com.atproto.server.createSession"
SEARCH = "https://bsky.social/xrpc/app.bsky.feed.searchPosts"
LOGIN = fixture_json("bluesky_createSession_DOCUMENTED_SHAPE.json")
PAGE = fixture_json("bluesky_searchPosts_DOCUMENTED_SHAPE.json")
DAY_SLICE = {"until": "2026-06-03T00:00:00Z"}
"""The day's own slice of the search: up to the next announcement."""


pytestmark = pytest.mark.usefixtures("credentials")


def fetch(upstreams: ReplayServer, **env: str) -> tuple[Bluesky, list[Any]]:
    request = fetch_request(env=env)
    source = connected(Bluesky, upstreams, request)
    return source, source.fetch(request)


def search_page(cursor: str | None, posts: list[Any] | None = None) -> Reply:
    answer: dict[str, Any] = {"posts": PAGE["posts"] if posts is None else posts}
    if cursor is not None:
        answer["cursor"] = cursor
    return Reply.json(answer)


def test_it_logs_in_then_searches_posts_linking_arxiv_in_the_days_range(upstreams: ReplayServer) -> None:
    # Given Bluesky accepting the app password and answering one page, then none, for each slice
    upstreams.add(SESSION, Reply.json(LOGIN))
    upstreams.add(SEARCH, Reply(200, fixture("bluesky_searchPosts_DOCUMENTED_SHAPE.json")))
    upstreams.add(SEARCH, search_page(None, []), query={"cursor": "25"})
    # When the day is fetched the next morning
    source, documents = fetch(upstreams)
    # Then the session was created with the handle and app password, as JSON in a POST
    login, search, last, later, _ = upstreams.requests
    assert (login.method, login.url) == ("POST", SESSION)
    assert json.loads(login.body) == {"identifier": "hotpapers.example.org", "password": "test-app-password"}
    # And the search filtered by domain from the announcement to now, newest first, with the session's token
    assert (search.method, search.url) == ("GET", SEARCH)
    # (any text: the domain parameter is the filter, so that a post linking a paper only by its card counts)
    assert search.query == {
        "q": "*",
        "domain": "arxiv.org",
        "sort": "latest",
        "since": "2026-06-02T00:00:00Z",
        "until": "2026-06-03T00:00:00Z",
        "limit": "100",
    }
    assert search.headers["Authorization"] == f"Bearer {LOGIN['accessJwt']}"
    # And the cursor led to a last, empty page
    assert last.query["cursor"] == "25"
    # And then the posts after the next announcement were searched on their own
    assert (later.query["since"], later.query["until"]) == ("2026-06-03T00:00:00Z", "2026-06-03T07:46:45Z")
    assert [d.name for d in documents] == [f"search-{n:04d}.json" for n in range(4)]
    assert source.capped is False


def test_the_sessions_tokens_are_masked_in_what_is_logged_and_kept_out_of_what_is_stored(
    upstreams: ReplayServer,
) -> None:
    # Given tokens new to this process (the registry of secrets lives as long as the process does)
    access, refresh = f"access-{secrets.token_hex(8)}", f"refresh-{secrets.token_hex(8)}"
    upstreams.add(SESSION, Reply.json({**LOGIN, "accessJwt": access, "refreshJwt": refresh}))
    upstreams.add(SEARCH, search_page(None))
    printed = io.StringIO()
    logger.registered_handler.stream = printed  # type: ignore[attr-defined] # restored by conftest
    # When the day is fetched, and a log line then carries the tokens
    _, documents = fetch(upstreams)
    logger.warning("bluesky answered", extra={"authorization": f"Bearer {access} and {refresh}"})
    # Then both are registered secrets, masked in the log line
    assert redaction.redact(f"Bearer {access} and {refresh}") == "Bearer [REDACTED] and [REDACTED]"
    assert access not in printed.getvalue()
    assert refresh not in printed.getvalue()
    assert "Bearer [REDACTED] and [REDACTED]" in printed.getvalue()
    # And no document the fetch stores holds them: the login answer was read, not kept (only the
    # day's slice and the later one are)
    assert [document.name for document in documents] == ["search-0000.json", "search-0001.json"]
    stored = b"".join(document.body + document.url.encode() for document in documents)
    assert access.encode() not in stored
    assert refresh.encode() not in stored


@pytest.mark.parametrize("answer", [{"did": "did:plc:x"}, {"accessJwt": ""}, ["accessJwt"]])
def test_a_login_answer_without_a_token_fails_the_source_before_any_search(
    upstreams: ReplayServer, answer: Any
) -> None:
    upstreams.add(SESSION, Reply.json(answer))
    with pytest.raises(UpstreamError, match="createSession answered JSON without an accessJwt"):
        fetch(upstreams)
    assert [a.url for a in upstreams.requests] == [SESSION]


def test_a_refused_login_is_not_retried(upstreams: ReplayServer) -> None:
    upstreams.add(SESSION, Reply.json({"error": "AuthenticationRequired"}, 401))
    with pytest.raises(UpstreamError, match=f"^bluesky: HTTP 401 from {SESSION}: Unauthorized$"):
        fetch(upstreams)
    assert len(upstreams.requests) == 1


def test_the_cursor_is_followed_page_after_page(upstreams: ReplayServer) -> None:
    upstreams.add(SESSION, Reply.json(LOGIN))
    upstreams.add(SEARCH, search_page(None, []))
    upstreams.add(SEARCH, search_page("a"), query=DAY_SLICE)
    upstreams.add(SEARCH, search_page("b"), query={**DAY_SLICE, "cursor": "a"})
    upstreams.add(SEARCH, search_page(None), query={**DAY_SLICE, "cursor": "b"})
    _, documents = fetch(upstreams)
    assert [a.query.get("cursor") for a in upstreams.requests_to(SEARCH)] == [None, "a", "b", None]
    assert len(documents) == 4


def test_an_empty_page_ends_the_search_even_with_a_cursor(upstreams: ReplayServer) -> None:
    upstreams.add(SESSION, Reply.json(LOGIN))
    upstreams.add(SEARCH, search_page("again", []))
    source, documents = fetch(upstreams)
    # one page for each slice: the day's own, then the later one
    assert len(documents) == 2
    assert source.capped is False


def test_paging_stops_at_the_page_cap_and_says_so(upstreams: ReplayServer, caplog: pytest.LogCaptureFixture) -> None:
    upstreams.add(SESSION, Reply.json(LOGIN))
    upstreams.add(SEARCH, search_page("more"))
    source, documents = fetch(upstreams, HOTPAPERS_BLUESKY_MAX_PAGES="3")
    assert len(documents) == len(upstreams.requests_to(SEARCH)) == 3
    assert source.capped
    capped = [(r.source, r.pages) for r in caplog.records if r.getMessage() == "search stopped at the page limit"]
    assert capped == [("bluesky", 3)]


@pytest.mark.parametrize(("answer", "expected"), [([], "an object"), ({"cursor": "x"}, "list of posts")])
def test_a_search_answer_of_another_shape_fails_the_source(upstreams: ReplayServer, answer: Any, expected: str) -> None:
    upstreams.add(SESSION, Reply.json(LOGIN))
    upstreams.add(SEARCH, Reply.json(answer))
    with pytest.raises(UpstreamError, match=f"^bluesky: {re.escape(SEARCH)}\\?\\S+ answered JSON without {expected}$"):
        fetch(upstreams)


def test_a_malformed_post_is_dropped_and_counted(upstreams: ReplayServer) -> None:
    # Given a page whose second post has a like count that is text
    posts = json.loads(json.dumps(PAGE["posts"]))
    posts[1]["likeCount"] = "many"
    upstreams.add(SESSION, Reply.json(LOGIN))
    upstreams.add(SEARCH, search_page(None, []))
    upstreams.add(SEARCH, search_page(None, posts), query=DAY_SLICE)
    # When fetched and read
    _, documents = fetch(upstreams)
    parsed = Bluesky.read({d.name: d.body for d in documents})
    # Then the others are posts and one is counted as skipped
    assert len(parsed.posts) == len(posts) - 1
    assert parsed.skipped == 1

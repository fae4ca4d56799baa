"""Reddit fetch against its OAuth token endpoint and /search answered in-process: the
application-only grant, the User-Agent Reddit asks for, paging newest first back to the
announcement, its rate-limit reset header, the page cap, and answers of the wrong shape."""

from __future__ import annotations

import base64
import io
import json
import re
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest
from hotpapers import redaction
from hotpapers.observability import logger
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.sources.reddit import Reddit, user_agent
from hotpapers.upstream import UpstreamError, time_limit
from support.fake_http import ANNOUNCED, connected, fetch_request
from support.sources_day import fixture_json

TOKEN = "https://www.reddit.com/api/v1/access_token"
SEARCH = "https://oauth.reddit.com/search"
GRANT = fixture_json("reddit_access_token_DOCUMENTED_SHAPE.json")
HOUR = 3600


pytestmark = pytest.mark.usefixtures("credentials")


def thread(thread_id: str, created: float) -> dict[str, Any]:
    """A link post (``t3``) of a search Listing, in Reddit's shape."""
    return {
        "kind": "t3",
        "data": {
            "id": thread_id,
            "name": f"t3_{thread_id}",
            "title": "A paper",
            "url": "https://arxiv.org/abs/2606.01002",
            "permalink": f"/r/MachineLearning/comments/{thread_id}/a_paper/",
            "created_utc": created,
            "score": 10,
            "num_comments": 2,
            "subreddit": "MachineLearning",
        },
    }


def listing(after: str | None, *children: dict[str, Any]) -> Reply:
    return Reply.json({"kind": "Listing", "data": {"after": after, "children": list(children)}})


def fetch(upstreams: ReplayServer, **env: str) -> tuple[Reddit, list[Any]]:
    request = fetch_request(env=env)
    source = connected(Reddit, upstreams, request)
    return source, source.fetch(request)


NEW = ANNOUNCED.timestamp() + HOUR
OLD = ANNOUNCED.timestamp() - HOUR


def test_it_gets_an_application_token_then_searches_arxiv_links_newest_first(upstreams: ReplayServer) -> None:
    # Given Reddit granting a token and answering one page that reaches back past the announcement
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, listing("t3_b", thread("a", NEW), thread("b", OLD)))
    # When the day is fetched
    source, documents = fetch(upstreams)
    grant, search = upstreams.requests
    # Then the token came from the client-credentials grant, with the app's id and secret as basic auth
    assert (grant.method, grant.url) == ("POST", TOKEN)
    assert dict(parse_qsl(grant.body.decode())) == {"grant_type": "client_credentials"}
    assert grant.headers["Authorization"] == "Basic " + base64.b64encode(b"test-client-id:test-client-secret").decode()
    # And the search asked for link posts to arxiv.org, newest first, within a week, with the token
    assert search.query == {
        "q": "site:arxiv.org",
        "sort": "new",
        "t": "week",
        "type": "link",
        "limit": "100",
        "raw_json": "1",
    }
    assert search.headers["Authorization"] == f"bearer {GRANT['access_token']}"
    # And every request carried the User-Agent Reddit asks for, naming the app's account
    assert {a.headers["User-Agent"] for a in upstreams.requests} == {user_agent("hotpapers-bot")}
    # And the page, whose oldest thread predates the announcement, was the last
    assert [d.name for d in documents] == ["search-0000.json"]
    assert source.capped is False


def test_a_configured_user_agent_is_sent_instead(upstreams: ReplayServer) -> None:
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, listing(None))
    fetch(upstreams, HOTPAPERS_REDDIT_USER_AGENT="web:example:1.0 (by /u/someone)")
    assert {a.headers["User-Agent"] for a in upstreams.requests} == {"web:example:1.0 (by /u/someone)"}


def test_the_token_is_masked_in_what_is_logged_and_kept_out_of_what_is_stored(upstreams: ReplayServer) -> None:
    # Given a token new to this process (the registry of secrets lives as long as the process does)
    token = f"reddit-{secrets.token_hex(8)}"
    upstreams.add(TOKEN, Reply.json({**GRANT, "access_token": token}))
    upstreams.add(SEARCH, listing(None))
    printed = io.StringIO()
    logger.registered_handler.stream = printed  # type: ignore[attr-defined] # restored by conftest
    # When the day is fetched, and a log line then carries the token
    _, documents = fetch(upstreams)
    logger.warning("reddit answered", extra={"authorization": f"bearer {token}"})
    # Then the token is a registered secret, masked in the log line
    assert redaction.redact(f"bearer {token}") == "bearer [REDACTED]"
    assert token not in printed.getvalue()
    assert "bearer [REDACTED]" in printed.getvalue()
    # And no document the fetch stores holds it: the grant that carried it was read, not kept
    assert [document.name for document in documents] == ["search-0000.json"]
    assert [document for document in documents if token in document.url or token.encode() in document.body] == []


def test_pages_are_followed_until_one_reaches_past_the_announcement(upstreams: ReplayServer) -> None:
    # Given two pages of new threads, then a page whose oldest thread is older than the announcement
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, listing("t3_a", thread("a", NEW)))
    upstreams.add(SEARCH, listing("t3_b", thread("b", NEW)), query={"after": "t3_a"})
    upstreams.add(SEARCH, listing("t3_d", thread("c", NEW), thread("d", OLD)), query={"after": "t3_b"})
    # When fetched
    _, documents = fetch(upstreams)
    # Then the three pages are read, following "after", and no fourth
    assert [a.query.get("after") for a in upstreams.requests_to(SEARCH)] == [None, "t3_a", "t3_b"]
    assert len(documents) == 3


def test_a_thread_posted_at_the_announcement_itself_does_not_end_the_search(upstreams: ReplayServer) -> None:
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, listing("t3_a", thread("a", ANNOUNCED.timestamp())))
    upstreams.add(SEARCH, listing(None), query={"after": "t3_a"})
    _, documents = fetch(upstreams)
    assert len(documents) == 2


@pytest.mark.parametrize("page", [listing(None, thread("a", NEW)), listing("t3_z")])
def test_no_next_page_or_no_thread_ends_the_search(upstreams: ReplayServer, page: Reply) -> None:
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, page)
    _, documents = fetch(upstreams)
    assert len(documents) == 1


def test_paging_stops_at_the_page_cap_and_says_so(upstreams: ReplayServer, caplog: pytest.LogCaptureFixture) -> None:
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, listing("t3_a", thread("a", NEW)))
    source, documents = fetch(upstreams, HOTPAPERS_REDDIT_MAX_PAGES="2")
    assert len(documents) == len(upstreams.requests_to(SEARCH)) == 2
    assert source.capped
    capped = [(r.source, r.pages) for r in caplog.records if r.getMessage() == "search stopped at the page limit"]
    assert capped == [("reddit", 2)]


def test_a_throttled_search_waits_the_seconds_its_reset_header_gives(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    # Given a 429 without Retry-After whose x-ratelimit-reset says 12 seconds remain (Reddit's convention)
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, Reply(429, b"{}", {"x-ratelimit-reset": "12"}), listing(None))
    # When fetched
    _, documents = fetch(upstreams)
    # Then the search was asked again after 12 s
    assert waits == [12.0]
    assert len(documents) == 1


@pytest.mark.parametrize(
    ("grant", "expected"),
    [
        ({"error": "invalid_grant"}, "error: invalid_grant"),
        ({"error": "Bearer secret-echo"}, "error: none given"),
        ({"error": 401}, "error: none given"),
        (["access_token"], "error: none given"),
        ({"access_token": ""}, "error: none given"),
    ],
)
def test_a_refused_grant_fails_the_source_with_oauths_code_only(
    upstreams: ReplayServer, grant: Any, expected: str
) -> None:
    upstreams.add(TOKEN, Reply.json(grant))
    with pytest.raises(
        UpstreamError, match=f"^reddit: {re.escape(TOKEN)} answered JSON without an access_token \\({expected}\\)$"
    ):
        fetch(upstreams)
    assert [a.url for a in upstreams.requests] == [TOKEN]


@pytest.mark.parametrize("answer", [[], {"kind": "Listing"}, {"data": []}])
def test_a_search_answer_that_is_no_listing_fails_the_source(upstreams: ReplayServer, answer: Any) -> None:
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, Reply.json(answer))
    with pytest.raises(UpstreamError, match=f"^reddit: {re.escape(SEARCH)}\\?\\S+ answered JSON without a Listing$"):
        fetch(upstreams)


def test_a_malformed_thread_is_dropped_and_counted(upstreams: ReplayServer) -> None:
    upstreams.add(TOKEN, Reply.json(GRANT))
    bad = thread("b", NEW)
    bad["data"]["score"] = "12 points"
    upstreams.add(SEARCH, listing(None, thread("a", NEW), bad, {"kind": "t1", "data": {"id": "c1"}}))
    _, documents = fetch(upstreams)
    parsed = Reddit.read({d.name: d.body for d in documents})
    # The good thread stays, the bad one is counted, and a comment is no post and no fault
    assert [p.id for p in parsed.posts] == ["t3_a"]
    assert parsed.skipped == 1
    assert json.loads(documents[0].body)["data"]["children"][1]["data"]["score"] == "12 points"


def test_a_listing_that_ends_at_searchs_ceiling_before_the_announcement_is_capped(upstreams: ReplayServer) -> None:
    # Given Reddit's search listing 250 threads, all newer than the announcement, then no more
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, listing("t3_p1", *(thread(f"a{n}", NEW + n) for n in range(100))))
    upstreams.add(SEARCH, listing("t3_p2", *(thread(f"b{n}", NEW + n) for n in range(100))), query={"after": "t3_p1"})
    upstreams.add(SEARCH, listing(None, *(thread(f"c{n}", NEW + n) for n in range(50))), query={"after": "t3_p2"})
    # When the day is fetched
    source, documents = fetch(upstreams)
    # Then the end of the listing is not taken for the end of the day's threads: the counts may be low
    assert len(documents) == 3
    assert source.capped
    assert source.cuts == [
        "search ceiling: the listing ended after 250 threads (Reddit lists about 250), before reaching the announcement"
    ]


def test_a_short_listing_that_ends_is_the_end_of_the_threads(upstreams: ReplayServer) -> None:
    # Given a listing of 239 threads, all newer than the announcement, then no more
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, listing("t3_p1", *(thread(f"a{n}", NEW + n) for n in range(200))))
    upstreams.add(SEARCH, listing(None, *(thread(f"b{n}", NEW + n) for n in range(39))), query={"after": "t3_p1"})
    # When the day is fetched / Then nothing was cut
    source, _ = fetch(upstreams)
    assert not source.capped


def test_a_listing_that_reaches_the_announcement_at_the_ceiling_is_complete(upstreams: ReplayServer) -> None:
    # Given 250 threads whose oldest is older than the announcement
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, listing("t3_p1", *(thread(f"a{n}", NEW + n) for n in range(200))))
    upstreams.add(
        SEARCH,
        listing(None, *(thread(f"b{n}", NEW + n) for n in range(49)), thread("old", OLD)),
        query={"after": "t3_p1"},
    )
    # When the day is fetched / Then nothing was cut
    source, _ = fetch(upstreams)
    assert not source.capped


def test_a_rate_limit_resetting_past_the_budget_keeps_the_pages_read(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    # Given a first page of new threads, then a 429 whose window ends in 10 minutes, with 5 left of the budget
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, listing("t3_a", thread("a", NEW)))
    upstreams.add(SEARCH, Reply(429, b"{}", {"x-ratelimit-reset": "600"}), query={"after": "t3_a"})
    request = fetch_request()
    source = connected(Reddit, upstreams, request)
    # When the day is fetched within its budget
    with time_limit(300.0, "reddit's 300 s budget"):
        documents = source.fetch(request)
    # Then the 429 was not retried nor waited, the first page is kept, and the source is capped with the reason
    assert len(upstreams.requests_to(SEARCH)) == 2
    assert waits == []
    assert [document.name for document in documents] == ["search-0000.json"]
    (reason,) = source.cuts
    assert reason.startswith("reddit: ")
    assert "rate limited for 600 s more" in reason
    assert reason.endswith("longer than the 300 s left of reddit's 300 s budget")


def test_a_rate_limit_before_anything_was_read_fails_the_source(upstreams: ReplayServer) -> None:
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, Reply(429, b"{}", {"x-ratelimit-reset": "600"}))
    request = fetch_request()
    source = connected(Reddit, upstreams, request)
    with time_limit(300.0, "reddit's 300 s budget"), pytest.raises(UpstreamError) as raised:
        source.fetch(request)
    assert raised.value.rate_limited


def test_a_backfill_records_where_its_posts_end_as_the_search_cannot_stop_there(upstreams: ReplayServer) -> None:
    # Given a day fetched a month later, whose posts count for 7 days after the announcement
    upstreams.add(TOKEN, Reply.json(GRANT))
    upstreams.add(SEARCH, listing(None, thread("a", NEW)))
    request = fetch_request(now=ANNOUNCED + timedelta(days=30))
    source = connected(Reddit, upstreams, request)
    # When fetched / Then the source says where the day's posts end
    source.fetch(request)
    assert source.counts_until == ANNOUNCED + timedelta(days=7)
    # And a run the morning after, whose search ends now, records no such end
    morning = connected(Reddit, upstreams, fetch_request())
    morning.fetch(fetch_request())
    assert morning.counts_until is None

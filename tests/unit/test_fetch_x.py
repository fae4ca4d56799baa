"""X fetch against API v2 search and oEmbed answered in-process: the query and fields asked for,
the bearer token, the time range (recent search's 7-day reach, full-archive search), paging by
``next_token``, the page cap, X's rate-limit reset header, answers of the wrong shape, and which
posts get their oEmbed markup."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hotpapers import markup
from hotpapers.linking import DOI_PREFIX, LINK_FORMS, TEXT_FORMS, find_arxiv_ids
from hotpapers.models import Paper, Post
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.sources import Day, FetchRequest, MalformedDocumentError, OutOfReachError
from hotpapers.sources.x import NOT_ASKED, QUERY, QUERY_LIMIT, X
from hotpapers.upstream import UpstreamError, time_limit
from support.builders import tweet, x_page
from support.fake_http import connected, fetch_request

RECENT = "https://api.x.com/2/tweets/search/recent"
ALL = "https://api.x.com/2/tweets/search/all"
OEMBED = "https://publish.twitter.com/oembed"
PAPER = "2606.01001"
DAY_SLICE = {"end_time": "2026-06-03T00:00:00Z"}
"""The day's own slice of the search: up to the next announcement."""


pytestmark = pytest.mark.usefixtures("credentials")


def page(*ids: str, next_token: str | None = None) -> Reply:
    return Reply.json(x_page([tweet(i, "7", f"https://arxiv.org/abs/{PAPER}") for i in ids], next_token))


def fetch(upstreams: ReplayServer, request: FetchRequest | None = None) -> tuple[X, list[Any]]:
    request = request or fetch_request()
    source = connected(X, upstreams, request)
    return source, source.fetch(request)


def test_recent_search_asks_for_posts_linking_arxiv_with_every_field_read(upstreams: ReplayServer) -> None:
    # Given X answering one page
    upstreams.add(RECENT, page("1900000000000000001"))
    # When the day is fetched the next morning
    source, documents = fetch(upstreams)
    # Then the posts whose URLs are arXiv's were searched from the announcement to 10 s before now,
    # in two slices: the day's own, to the next announcement, then the later posts
    day, later = upstreams.requests
    assert (later.query["start_time"], later.query["end_time"]) == ("2026-06-03T00:00:00Z", "2026-06-03T07:46:35Z")
    asked = day
    assert asked.query == {
        "query": QUERY,
        "max_results": "100",
        "start_time": "2026-06-02T00:00:00Z",
        "end_time": "2026-06-03T00:00:00Z",
        "tweet.fields": "created_at,public_metrics,entities,author_id,referenced_tweets,lang,note_tweet",
        "expansions": "author_id",
        "user.fields": "name,username",
    }
    # And it carried the app's bearer token
    assert asked.headers["Authorization"] == "Bearer test-x-token"
    assert [d.name for d in documents] == ["search-0000.json", "search-0001.json"]
    assert source.capped is False


def test_next_token_is_followed_until_the_last_page(upstreams: ReplayServer) -> None:
    upstreams.add(RECENT, page())
    upstreams.add(RECENT, page("1900000000000000001", next_token="b"), query=DAY_SLICE)
    upstreams.add(RECENT, page("1900000000000000002", next_token="c"), query={**DAY_SLICE, "next_token": "b"})
    upstreams.add(RECENT, page("1900000000000000003"), query={**DAY_SLICE, "next_token": "c"})
    source, documents = fetch(upstreams)
    assert [a.query.get("next_token") for a in upstreams.requests] == [None, "b", "c", None]
    assert [d.name for d in documents] == [f"search-{n:04d}.json" for n in range(4)]
    assert len(X.parse({d.name: d.body for d in documents})) == 3
    assert source.capped is False


def test_paging_stops_at_the_page_cap_and_says_so(upstreams: ReplayServer, caplog: pytest.LogCaptureFixture) -> None:
    upstreams.add(RECENT, page("1900000000000000001", next_token="more"))
    source, documents = fetch(upstreams, fetch_request(env={"HOTPAPERS_X_MAX_PAGES": "2"}))
    assert len(documents) == len(upstreams.requests) == 2
    assert source.capped
    assert [(r.source, r.pages) for r in caplog.records if r.getMessage() == "search stopped at the page limit"] == [
        ("x", 2)
    ]


def test_a_search_with_no_match_is_an_empty_page_not_a_failure(upstreams: ReplayServer) -> None:
    # X leaves data and includes out when nothing matched
    upstreams.add(RECENT, Reply.json({"meta": {"result_count": 0}}))
    _, documents = fetch(upstreams)
    assert X.read({d.name: d.body for d in documents}) == ([], 0)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [([], "a meta object"), ({"data": []}, "a meta object"), ({"meta": {}, "data": {}}, "list of data")],
)
def test_an_answer_of_another_shape_fails_the_source(upstreams: ReplayServer, answer: Any, expected: str) -> None:
    upstreams.add(RECENT, Reply.json(answer))
    with pytest.raises(UpstreamError, match=f"^x: {re.escape(RECENT)}\\?\\S+ answered JSON without {expected}$"):
        fetch(upstreams)


def test_a_throttled_search_waits_until_the_instant_its_reset_header_gives(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    # Given a 429 without Retry-After whose x-rate-limit-reset is an instant 30 s away (X's convention)
    reset = str(int(time.time()) + 30)
    upstreams.add(RECENT, Reply(429, b"{}", {"x-rate-limit-reset": reset}), page("1900000000000000001"))
    # When fetched
    _, documents = fetch(upstreams)
    # Then the search was asked again about 30 s later, not after seconds' worth of an epoch
    (waited,) = waits
    assert 27 <= waited <= 31
    assert len(documents) == 2  # the day's slice, then the later one


def test_a_start_beyond_recent_searchs_reach_is_moved_to_it(upstreams: ReplayServer) -> None:
    # Given a backfill of a day whose posts run from 6 to 13 days before now
    now = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
    upstreams.add(RECENT, page("1900000000000000001"))
    # When fetched
    fetch(upstreams, fetch_request(now=now, day=date(2026, 6, 2)))
    # Then it searches from 7 days before now (plus a margin) to the end of the days its posts count
    (asked,) = upstreams.requests
    assert asked.query["start_time"] == "2026-06-08T12:15:00Z"
    assert asked.query["end_time"] == "2026-06-09T00:00:00Z"


def test_a_backfill_wholly_beyond_the_reach_asks_nothing(upstreams: ReplayServer) -> None:
    now = datetime(2026, 6, 30, tzinfo=UTC)
    with pytest.raises(
        OutOfReachError, match=r"; full-archive search \(HOTPAPERS_X_SEARCH=all\) reaches them$"
    ) as reach:
        fetch(upstreams, fetch_request(now=now))
    assert reach.value.source == "x"
    assert upstreams.requests == []


def test_full_archive_search_reaches_any_day(upstreams: ReplayServer) -> None:
    now = datetime(2026, 6, 30, tzinfo=UTC)
    upstreams.add(ALL, page("1900000000000000001"))
    fetch(upstreams, fetch_request(now=now, env={"HOTPAPERS_X_SEARCH": "all"}))
    assert {asked.url for asked in upstreams.requests} == {ALL}
    assert [(asked.query["start_time"], asked.query["end_time"]) for asked in upstreams.requests] == [
        ("2026-06-02T00:00:00Z", "2026-06-03T00:00:00Z"),
        ("2026-06-03T00:00:00Z", "2026-06-09T00:00:00Z"),
    ]


def test_a_range_ending_a_minute_inside_the_reach_is_searched_from_the_reach(upstreams: ReplayServer) -> None:
    # Given a day whose posts count for one day, fetched when that day's end is a minute inside the reach
    now = datetime(2026, 6, 3, tzinfo=UTC) + timedelta(days=7, minutes=-16)
    upstreams.add(RECENT, page("1900000000000000001"))
    # When fetched
    fetch(upstreams, fetch_request(now=now, env={"HOTPAPERS_POSTS_DAYS": "1"}))
    # Then it is searched from the reach to the day's end
    (asked,) = upstreams.requests
    assert (asked.query["start_time"], asked.query["end_time"]) == ("2026-06-02T23:59:00Z", "2026-06-03T00:00:00Z")


def test_a_range_ending_exactly_at_the_reach_is_out_of_reach(upstreams: ReplayServer) -> None:
    now = datetime(2026, 6, 3, tzinfo=UTC) + timedelta(days=7, minutes=-15)
    with pytest.raises(OutOfReachError):
        fetch(upstreams, fetch_request(now=now, env={"HOTPAPERS_POSTS_DAYS": "1"}))
    assert upstreams.requests == []


# oEmbed: which posts get X's own markup


def post(post_id: str, likes: int, *, links: tuple[str, ...] = (f"https://arxiv.org/abs/{PAPER}",)) -> Post:
    return Post(
        "x", post_id, f"https://twitter.com/ada/status/{post_id}", "Ada", "ada", "Look", "", {"likes": likes}, links
    )


def day(*posts: Post) -> Day:
    paper = Paper(PAPER, 1, "Paper A", ("A",), ("cs.LG",), "An abstract.", "", "")
    return Day(papers={PAPER: paper}, posts=posts, attention={})


def embed(post_id: str) -> Reply:
    return Reply.json({"html": f"<blockquote>{post_id}</blockquote>", "type": "rich"})


def enrich(upstreams: ReplayServer, the_day: Day) -> list[Any]:
    request = fetch_request()
    return connected(X, upstreams, request).enrich(request, the_day)


def test_a_shown_post_gets_its_oembed_markup_asked_as_oembed_documents(upstreams: ReplayServer) -> None:
    upstreams.add(OEMBED, embed("1"))
    (document,) = enrich(upstreams, day(post("1", 25)))
    (asked,) = upstreams.requests
    assert asked.query == {"url": "https://twitter.com/ada/status/1", "dnt": "true", "omit_script": "false"}
    assert document.name == "oembed-1.json"
    assert "Authorization" not in asked.headers


def test_posts_that_cannot_be_shown_get_no_oembed(upstreams: ReplayServer) -> None:
    # Given a post under the engagement threshold, a repost, a post of another day's paper, and another source's post
    repost = Post(
        "x", "2", "u", "A", "a", "RT @ada: Look", "", {"likes": 90}, (f"https://arxiv.org/abs/{PAPER}",), True
    )
    other_source = Post("bluesky", "3", "u", "A", "a", "", "", {"likes": 90}, (f"https://arxiv.org/abs/{PAPER}",))
    upstreams.add(OEMBED, embed("x"))
    documents = enrich(
        upstreams, day(post("1", 24), repost, post("4", 90, links=("https://arxiv.org/abs/2601.00001",)), other_source)
    )
    # Then none is asked for
    assert documents == []
    assert upstreams.requests == []


def test_an_oembed_answer_without_markup_costs_only_that_post(upstreams: ReplayServer) -> None:
    upstreams.add(OEMBED, Reply.json({"type": "rich"}), query={"url": "https://twitter.com/ada/status/1"})
    upstreams.add(OEMBED, Reply.json({"html": ""}), query={"url": "https://twitter.com/ada/status/2"})
    upstreams.add(OEMBED, embed("3"), query={"url": "https://twitter.com/ada/status/3"})
    documents = enrich(upstreams, day(post("1", 30), post("2", 30), post("3", 30)))
    assert [d.name for d in documents] == ["oembed-3.json"]


def test_a_post_oembed_refuses_costs_only_that_post(upstreams: ReplayServer) -> None:
    upstreams.add(OEMBED, Reply.json({"error": "gone"}, 404), query={"url": "https://twitter.com/ada/status/1"})
    upstreams.add(OEMBED, embed("2"), query={"url": "https://twitter.com/ada/status/2"})
    documents = enrich(upstreams, day(post("1", 30), post("2", 30)))
    assert [d.name for d in documents] == ["oembed-2.json"]


@pytest.mark.parametrize("failure", [Reply(500), Reply(503), Reply(429), ConnectionResetError("reset")])
def test_oembed_down_or_throttling_is_not_asked_again_for_the_other_posts(
    upstreams: ReplayServer, failure: Reply | BaseException
) -> None:
    upstreams.add(OEMBED, failure)
    documents = enrich(upstreams, day(post("1", 30), post("2", 30)))
    assert documents == []
    assert {a.query["url"] for a in upstreams.requests} == {"https://twitter.com/ada/status/1"}


def oembed_markup(text: str) -> str:
    """oEmbed's markup of a post saying ``text``, in its documented shape."""
    return (
        f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">{text}</p>&mdash; Ada (@ada) '
        '<a href="https://twitter.com/ada/status/1?ref_src=twsrc%5Etfw">June 2, 2026</a></blockquote>\n'
        f"{markup.WIDGETS}\n"
    )


def test_stored_oembed_markup_is_the_posts_and_a_search_page_is_read_once_per_post() -> None:
    # Given a search page, the same page again, and the stored oEmbed answer of its post
    search = json.dumps(x_page([tweet("1900000000000000001", "7", f"https://arxiv.org/abs/{PAPER}")])).encode()
    documents = {
        "search-0000.json": search,
        "search-0001.json": search,
        "oembed-1900000000000000001.json": json.dumps({"html": oembed_markup("from X")}).encode(),
    }
    # When read
    parsed = X.read(documents)
    # Then the post is there once, with oEmbed's markup (built again from its parts, the same)
    assert [(p.id, p.html) for p in parsed.posts] == [("1900000000000000001", oembed_markup("from X"))]
    assert parsed.skipped == 0


def test_malformed_posts_and_authors_are_dropped_and_counted() -> None:
    # Given a page with a good post, one whose id is a path, one whose likes are null, and an author without id
    answer = x_page([tweet("1900000000000000001", "7", f"https://arxiv.org/abs/{PAPER}")])
    answer["data"].append({**answer["data"][0], "id": "1/../../manifest"})
    answer["data"].append({**answer["data"][0], "id": "1900000000000000003", "public_metrics": {"like_count": None}})
    answer["includes"]["users"].append({"name": "no id"})
    # When read
    parsed = X.read({"search-0000.json": json.dumps(answer).encode()})
    # Then the good post stays and the three malformed items are counted
    assert [p.id for p in parsed.posts] == ["1900000000000000001"]
    assert parsed.skipped == 3


def test_a_post_with_only_its_id_and_figures_is_a_post_with_nothing_made_up() -> None:
    figures = {"retweet_count": 0, "like_count": 0}
    page = {"data": [{"id": "1900000000000000001", "public_metrics": figures}], "meta": {"result_count": 1}}
    (post,) = X.parse({"search-0000.json": json.dumps(page).encode()})
    assert (post.text, post.author_handle, post.author_name, post.lang, post.links) == ("", "", "", None, ())
    assert post.created_at == ""
    assert post.metrics == {"retweets": 0, "likes": 0, "replies": 0, "quotes": 0}
    assert post.url == "https://twitter.com/i/web/status/1900000000000000001"


def test_an_author_without_a_display_name_is_named_by_handle_and_language_and_counts_are_kept() -> None:
    found = {**tweet("1900000000000000001", "7", f"https://arxiv.org/abs/{PAPER}"), "lang": "de"}
    found["public_metrics"] = {"retweet_count": 1, "like_count": 2, "reply_count": 3, "quote_count": 4}
    page = {"data": [found], "includes": {"users": [{"id": "7", "username": "ada"}]}, "meta": {}}
    (post,) = X.parse({"search-0000.json": json.dumps(page).encode()})
    assert (post.author_handle, post.author_name, post.lang) == ("ada", "ada", "de")
    assert post.metrics == {"retweets": 1, "likes": 2, "replies": 3, "quotes": 4}


@pytest.mark.parametrize("answer", [b"<html>", b"[]", b"{}", b'{"html": ""}', b'{"html": 7}'])
def test_a_stored_oembed_answer_without_markup_is_not_taken_for_markup(answer: bytes) -> None:
    search = json.dumps(x_page([tweet("1900000000000000001", "7", f"https://arxiv.org/abs/{PAPER}")])).encode()
    (post,) = X.parse({"search-0000.json": search, "oembed-1900000000000000001.json": answer})
    # (None once the markup is rebuilt where it is shown, not where the post is read)
    assert post.html is None or post.html.startswith('<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Look')


def test_stored_oembed_markup_belongs_to_its_own_post_only() -> None:
    tweets = [tweet(i, "7", f"https://arxiv.org/abs/{PAPER}") for i in ("1900000000000000001", "1900000000000000002")]
    documents = {
        "search-0000.json": json.dumps(x_page(tweets)).encode(),
        "oembed-1900000000000000002.json": json.dumps({"html": oembed_markup("two")}).encode(),
    }
    html = {post.id: post.html for post in X.parse(documents)}
    assert html["1900000000000000002"] == oembed_markup("two")
    assert html["1900000000000000001"] != oembed_markup("two")


def test_a_post_that_cannot_be_shown_does_not_stop_the_oembeds_of_the_next(upstreams: ReplayServer) -> None:
    upstreams.add(OEMBED, embed("3"))
    repost = Post(
        "x", "2", "u", "A", "a", "RT @ada: Look", "", {"likes": 90}, (f"https://arxiv.org/abs/{PAPER}",), True
    )
    elsewhere = post("4", 90, links=("https://arxiv.org/abs/2601.00001",))
    documents = enrich(upstreams, day(post("1", 24), repost, elsewhere, post("3", 30)))
    assert [d.name for d in documents] == ["oembed-3.json"]


def test_what_oembed_left_out_is_logged_per_post(upstreams: ReplayServer, caplog: pytest.LogCaptureFixture) -> None:
    # Given oEmbed answering the first post without markup, refusing the second, and down for the third
    upstreams.add(OEMBED, Reply.json({"type": "rich"}), query={"url": "https://twitter.com/ada/status/1"})
    upstreams.add(OEMBED, Reply(404), query={"url": "https://twitter.com/ada/status/2"})
    upstreams.add(OEMBED, Reply(503), query={"url": "https://twitter.com/ada/status/3"})
    # When enriched, with retries spent at once
    request = fetch_request(env={"HOTPAPERS_X_RETRIES": "0"})
    connected(X, upstreams, request).enrich(request, day(post("1", 30), post("2", 30), post("3", 30), post("4", 30)))
    # Then the operator reads which post lacked what, and that the rest were skipped
    logged = [
        (r.getMessage(), getattr(r, "post_id", None), getattr(r, "error", None), getattr(r, "skipped", None))
        for r in caplog.records
    ]
    assert logged == [
        ("x oembed answer has no html", "1", None, None),
        ("x oembed unavailable", "2", f"x: HTTP 404 from {OEMBED}: Not Found", None),
        ("x oembed unavailable", "3", f"x: HTTP 503 from {OEMBED}: Service Unavailable", None),
        ("x oembed skipped for the remaining posts", None, None, "remaining"),
    ]


@pytest.mark.parametrize(("minutes", "logged"), [(16, ["2026-06-02T00:00:00Z"]), (15, [])])
def test_a_start_moved_to_the_reach_is_logged_with_the_start_asked(
    upstreams: ReplayServer, caplog: pytest.LogCaptureFixture, minutes: int, logged: list[str]
) -> None:
    # Given a fetch whose search would start a minute before the reach, or exactly at it
    now = datetime(2026, 6, 8, 23, 30, tzinfo=UTC) + timedelta(minutes=minutes)
    upstreams.add(RECENT, page("1900000000000000001"))
    fetch(upstreams, fetch_request(now=now))
    # Then only a moved start is logged, with what was asked
    assert [r.asked for r in caplog.records if r.getMessage() == "x search starts at its 7-day reach"] == logged
    assert upstreams.requests[0].query["start_time"] == ("2026-06-02T00:01:00Z" if logged else "2026-06-02T00:00:00Z")


def test_malformed_items_of_every_page_are_counted() -> None:
    bad = {"data": [{"id": "not digits"}], "meta": {}}
    parsed = X.read({"search-0000.json": json.dumps(bad).encode(), "search-0001.json": json.dumps(bad).encode()})
    assert parsed.skipped == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>", "search-0001.json has no JSON"),
        (b"[]", "search-0001.json has no object holding includes"),
        (b'{"includes": [], "meta": {}}', "search-0001.json has no object holding includes.users"),
        (b'{"data": {}, "meta": {}}', "search-0001.json has no list of data"),
    ],
)
def test_a_stored_page_that_is_garbage_is_named(body: bytes, message: str) -> None:
    with pytest.raises(MalformedDocumentError) as failure:
        X.read({"search-0001.json": body})
    assert str(failure.value) == message


def test_a_link_x_did_not_expand_is_kept_as_its_short_url() -> None:
    found = tweet("1900000000000000001", "7")
    found["entities"] = {"urls": [{"url": "https://t.co/abc"}, {"display_url": "nothing"}]}
    (post,) = X.parse({"search-0000.json": json.dumps({"data": [found], "meta": {}}).encode()})
    assert post.links == ("https://t.co/abc",)


def test_the_query_asks_for_every_form_of_link_the_linker_recognises_or_says_why_not() -> None:
    # Given the forms of a paper's link the linker recognises (each finds the paper)
    for form in LINK_FORMS:
        link = f"https://doi.org/{form}.{PAPER}" if form == DOI_PREFIX.rstrip(".") else f"https://{form}/{PAPER}"
        assert find_arxiv_ids([link]) == [PAPER], form
    # When the query is read
    asked = set(re.findall(r'url:"([^"]+)"', QUERY))
    # Then each form, and each form of the words, is asked for or listed with the reason it is not
    assert {*LINK_FORMS, *TEXT_FORMS} == asked | set(NOT_ASKED)
    assert not asked & set(NOT_ASKED)
    assert all(NOT_ASKED.values())
    # And the query fits recent search's length limit
    assert len(QUERY) <= QUERY_LIMIT == 512


def test_a_rate_limit_resetting_past_the_budget_ends_xs_day_keeping_what_was_read(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    # Given a first page, then a 429 whose window resets in 15 minutes, with 5 minutes left of X's budget
    upstreams.add(RECENT, page("1900000000000000001", next_token="b"))
    upstreams.add(
        RECENT, Reply(429, b"{}", {"x-rate-limit-reset": str(int(time.time()) + 900)}), query={"next_token": "b"}
    )
    source = connected(X, upstreams, fetch_request())
    # When the day is fetched within the budget
    with time_limit(300.0, "x's 300 s budget"):
        documents = source.fetch(fetch_request())
    # Then the 429 was neither retried nor waited, and nothing else was asked (the later slice neither)
    assert len(upstreams.requests) == 2
    assert waits == []
    # And the page read is kept, the source capped with the reason, naming the slice it cut
    assert [document.name for document in documents] == ["search-0000.json"]
    (reason,) = source.cuts
    assert re.fullmatch(rf"day: x: {RECENT}: rate limited for (899|900) s more, .* of x's 300 s budget", reason)
    assert [(record.name, record.pages, record.capped) for record in source.slices] == [("day", 1, True)]


def test_a_rate_limit_resetting_within_the_budget_is_waited_out_once(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    # Given a 429 whose window resets in 2 minutes, with 5 minutes left of X's budget
    upstreams.add(
        RECENT, Reply(429, b"{}", {"x-rate-limit-reset": str(int(time.time()) + 120)}), page("1900000000000000001")
    )
    source = connected(X, upstreams, fetch_request())
    # When the day is fetched within the budget
    with time_limit(300.0, "x's 300 s budget"):
        source.fetch(fetch_request())
    # Then it waited until the reset, whole (not the 60 s a Retry-After is cut to), and went on
    (waited,) = waits
    assert 117 <= waited <= 121
    assert source.cuts == []


@pytest.mark.parametrize(
    "figures",
    [None, {"like_count": 2}, {"retweet_count": 2}, {"retweet_count": None, "like_count": 2}],
    ids=["no public_metrics", "no retweets", "no likes", "null retweets"],
)
def test_a_post_without_its_figures_is_malformed_never_scored_zero(figures: dict[str, Any] | None) -> None:
    # Given a post whose public_metrics are missing, or lack a figure its engagement sums
    found = tweet("1900000000000000001", "7", f"https://arxiv.org/abs/{PAPER}")
    found.pop("public_metrics", None)
    if figures is not None:
        found["public_metrics"] = figures
    # When parsed / Then it is no post: skipped and counted
    parsed = X.read({"search-0000.json": json.dumps(x_page([found])).encode()})
    assert (parsed.posts, parsed.skipped) == ([], 1)

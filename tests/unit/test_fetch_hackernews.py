"""Hacker News fetch against Algolia's search_by_date answered in-process: the query, paging,
the split of a range over Algolia's 1000-hit cap, the page cap, and answers of the wrong shape."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.sources.hackernews import HackerNews
from hotpapers.upstream import UpstreamError
from support.fake_http import ANNOUNCED, NOW, connected, fetch_request
from support.sources_day import fixture

SEARCH = "https://hn.algolia.com/api/v1/search_by_date"
SINCE, UNTIL = int(ANNOUNCED.timestamp()), int(NOW.timestamp())


def answer(nb_hits: int, nb_pages: int, *ids: str, number: int = 0) -> dict[str, Any]:
    """An Algolia answer page in its documented shape."""
    hits = [
        {
            "objectID": i,
            "title": f"Story {i}",
            "url": f"https://arxiv.org/abs/2606.0{i[-4:]}",
            "points": 1,
            "num_comments": 0,
        }
        for i in ids
    ]
    return {"hits": hits, "nbHits": nb_hits, "nbPages": nb_pages, "page": number, "hitsPerPage": 100}


def page(nb_hits: int, nb_pages: int, *ids: str, number: int = 0) -> Reply:
    return Reply.json(answer(nb_hits, nb_pages, *ids, number=number))


def filters(start: int, end: int) -> str:
    return f"created_at_i>={start},created_at_i<{end}"


def fetch(upstreams: ReplayServer, **env: str) -> tuple[HackerNews, list[Any]]:
    source = connected(HackerNews, upstreams, fetch_request(env=env))
    return source, source.fetch(fetch_request(env=env))


def test_stories_linking_arxiv_are_searched_from_the_announcement_to_now(upstreams: ReplayServer) -> None:
    # Given Algolia answering one page
    upstreams.add(SEARCH, Reply(200, fixture("hackernews_search_by_date_DOCUMENTED_SHAPE.json")))
    # When the day is fetched
    source, documents = fetch(upstreams)
    # Then one search asked for stories whose URL holds arxiv.org, created in [announcement, now)
    (asked,) = upstreams.requests
    assert asked.query == {
        "query": "arxiv.org",
        "restrictSearchableAttributes": "url",
        "tags": "story",
        "numericFilters": filters(SINCE, UNTIL),
        "hitsPerPage": "100",
        "page": "0",
    }
    # And the page is kept as received, named after its range and page
    assert [d.name for d in documents] == [f"search-{SINCE}-{UNTIL}-000.json"]
    assert documents[0].body == fixture("hackernews_search_by_date_DOCUMENTED_SHAPE.json")
    assert source.capped is False


def test_pages_are_read_until_algolias_page_count(upstreams: ReplayServer) -> None:
    # Given a search of three pages
    for number in range(3):
        upstreams.add(SEARCH, page(250, 3, f"4410000{number}", number=number), query={"page": str(number)})
    # When fetched
    source, documents = fetch(upstreams)
    # Then pages 0, 1 and 2 are read and kept, and no more
    assert [a.query["page"] for a in upstreams.requests] == ["0", "1", "2"]
    assert [d.name[-8:] for d in documents] == ["000.json", "001.json", "002.json"]
    assert source.capped is False


def test_an_answer_without_a_page_count_is_one_page(upstreams: ReplayServer) -> None:
    upstreams.add(SEARCH, Reply.json({"hits": [], "nbHits": 0}))
    _, documents = fetch(upstreams)
    assert len(documents) == 1


def test_a_range_over_the_hit_cap_is_split_into_halves_oldest_first(upstreams: ReplayServer) -> None:
    # Given the whole range matching 1500 stories, and each half 750
    middle = (SINCE + UNTIL) // 2
    upstreams.add(SEARCH, page(1500, 15, "44100001"), query={"numericFilters": filters(SINCE, UNTIL)})
    upstreams.add(SEARCH, page(750, 1, "44100002"), query={"numericFilters": filters(SINCE, middle)})
    upstreams.add(SEARCH, page(750, 1, "44100003"), query={"numericFilters": filters(middle, UNTIL)})
    # When fetched
    _, documents = fetch(upstreams)
    # Then the halves are read, older first, and the first page of the whole range is kept too
    assert [a.query["numericFilters"] for a in upstreams.requests] == [
        filters(SINCE, UNTIL),
        filters(SINCE, middle),
        filters(middle, UNTIL),
    ]
    assert [d.name for d in documents] == [
        f"search-{SINCE}-{UNTIL}-000.json",
        f"search-{SINCE}-{middle}-000.json",
        f"search-{middle}-{UNTIL}-000.json",
    ]
    assert {p.id for p in HackerNews.parse({d.name: d.body for d in documents})} == {
        "44100001",
        "44100002",
        "44100003",
    }


def test_exactly_the_hit_cap_is_paged_not_split(upstreams: ReplayServer) -> None:
    upstreams.add(SEARCH, page(1000, 1, "44100001"))
    fetch(upstreams)
    assert len(upstreams.requests) == 1


@pytest.mark.parametrize(("seconds", "ranges"), [(1, [(0, 1)]), (2, [(0, 2), (0, 1), (1, 2)])])
def test_a_range_is_split_down_to_single_seconds_never_further(
    upstreams: ReplayServer, seconds: int, ranges: list[tuple[int, int]]
) -> None:
    # Given a fetch run one or two seconds after the announcement, every second matching 5000 stories
    now = ANNOUNCED + timedelta(seconds=seconds)
    upstreams.add(SEARCH, page(5000, 1, "44100001"))
    # When fetched
    source = connected(HackerNews, upstreams, fetch_request(now=now))
    source.fetch(fetch_request(now=now))
    # Then a two-second range is split in two, and a one-second range is read as it is
    assert [a.query["numericFilters"] for a in upstreams.requests] == [filters(SINCE + a, SINCE + b) for a, b in ranges]


def test_paging_stops_at_the_page_cap_and_says_so(upstreams: ReplayServer) -> None:
    # Given a search of five pages and a cap of two
    upstreams.add(SEARCH, page(450, 5, "44100001"))
    # When fetched
    source, documents = fetch(upstreams, HOTPAPERS_HACKERNEWS_MAX_PAGES="2")
    # Then two pages are read and the counts are marked as possibly incomplete
    assert len(documents) == len(upstreams.requests) == 2
    assert source.capped


def test_the_cap_also_bounds_the_split_ranges(upstreams: ReplayServer) -> None:
    upstreams.add(SEARCH, page(1500, 15, "44100001"))
    upstreams.add(SEARCH, page(5, 1, "44100002"), query={"numericFilters": filters(SINCE, (SINCE + UNTIL) // 2)})
    source, documents = fetch(upstreams, HOTPAPERS_HACKERNEWS_MAX_PAGES="2")
    assert len(documents) == 2
    assert source.capped


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ([], "nbHits"),
        ({"hits": []}, "nbHits"),
        ({"hits": [], "nbHits": "4"}, "nbHits"),
        ({"hits": {}, "nbHits": 4, "nbPages": 1}, "list of hits"),
    ],
)
def test_an_answer_of_another_shape_fails_the_source(upstreams: ReplayServer, body: Any, expected: str) -> None:
    upstreams.add(SEARCH, Reply.json(body))
    with pytest.raises(
        UpstreamError, match=f"^hackernews: {re.escape(SEARCH)}\\?\\S+ answered JSON without (a )?{expected}$"
    ):
        fetch(upstreams)


def test_a_malformed_story_is_dropped_and_counted(upstreams: ReplayServer) -> None:
    # Given a page with a story whose points are text
    body = answer(2, 1, "44100001", "44100002")
    body["hits"][1]["points"] = "60 points"
    # When the fetched page is read
    upstreams.add(SEARCH, Reply.json(body))
    _, documents = fetch(upstreams)
    parsed = HackerNews.read({d.name: d.body for d in documents})
    # Then the good story stays and the bad one is counted
    assert [p.id for p in parsed.posts] == ["44100001"]
    assert parsed.skipped == 1


def test_a_half_still_over_the_cap_is_split_again_before_the_other_half(upstreams: ReplayServer) -> None:
    # Given 1500 stories in the range, 1200 of them in its older half
    middle = (SINCE + UNTIL) // 2
    quarter = (SINCE + middle) // 2
    upstreams.add(SEARCH, page(5, 1, "44100001"))
    upstreams.add(SEARCH, page(1500, 15, "44100002"), query={"numericFilters": filters(SINCE, UNTIL)})
    upstreams.add(SEARCH, page(1200, 12, "44100003"), query={"numericFilters": filters(SINCE, middle)})
    # When fetched
    fetch(upstreams)
    # Then the older half's quarters are read, then the newer half: no range is lost
    assert [a.query["numericFilters"] for a in upstreams.requests] == [
        filters(SINCE, UNTIL),
        filters(SINCE, middle),
        filters(SINCE, quarter),
        filters(quarter, middle),
        filters(middle, UNTIL),
    ]


def test_an_answer_past_the_sources_body_limit_fails_the_source(upstreams: ReplayServer) -> None:
    # Given Hacker News answering a page padded far past a body limit of 64 KiB
    padded = fixture("hackernews_search_by_date_DOCUMENTED_SHAPE.json") + b" " * 2**20
    upstreams.add(SEARCH, Reply(200, padded))

    # When its fetch runs with that limit
    with pytest.raises(UpstreamError, match="larger than the 65536-byte limit"):
        fetch(upstreams, HOTPAPERS_HACKERNEWS_MAX_BODY_MB="0.0625")

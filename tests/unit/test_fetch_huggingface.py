"""Hugging Face fetch against the Daily Papers API answered in-process: which days' lists are
read, each paged to its end, the page cap, and lists of the wrong shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.sources.huggingface import HuggingFace
from hotpapers.upstream import UpstreamError
from support.fake_http import connected, fetch_request
from support.sources_day import hf_daily_papers

DAILY = "https://huggingface.co/api/daily_papers"


def entry(paper_id: str, upvotes: int = 3) -> dict[str, Any]:
    """A daily list entry in the documented shape."""
    return {"paper": {"id": paper_id, "title": f"Paper {paper_id}", "upvotes": upvotes}, "numComments": 1}


def fetch(upstreams: ReplayServer, now: datetime, **env: str) -> tuple[HuggingFace, list[Any]]:
    request = fetch_request(now=now, env=env)
    source = connected(HuggingFace, upstreams, request)
    return source, source.fetch(request)


def test_each_days_list_from_the_digest_date_to_today_is_read(upstreams: ReplayServer) -> None:
    # Given the lists answering the sample day's papers
    upstreams.add(DAILY, Reply.json(hf_daily_papers()))
    # When the digest of 2026-06-02 is fetched on 2026-06-04
    source, documents = fetch(upstreams, datetime(2026, 6, 4, 7, 0, tzinfo=UTC))
    # Then the lists of June 2, 3 and 4 are asked, one page of up to 100 each
    assert [a.query for a in upstreams.requests] == [
        {"date": day, "p": "0", "limit": "100"} for day in ("2026-06-02", "2026-06-03", "2026-06-04")
    ]
    assert [d.name for d in documents] == [
        "daily_papers-2026-06-02-000.json",
        "daily_papers-2026-06-03-000.json",
        "daily_papers-2026-06-04-000.json",
    ]
    assert source.capped is False


def test_lists_are_read_at_most_hf_days_after_the_digest_date(upstreams: ReplayServer) -> None:
    # Given a backfill a month later, reading two days after the date
    upstreams.add(DAILY, Reply.json([]))
    fetch(upstreams, datetime(2026, 7, 2, tzinfo=UTC), HOTPAPERS_HF_DAYS="2")
    # Then the lists of June 2, 3 and 4 are read, and no later one
    assert [a.query["date"] for a in upstreams.requests] == ["2026-06-02", "2026-06-03", "2026-06-04"]


def test_a_full_page_is_followed_by_the_next_until_a_short_one(upstreams: ReplayServer) -> None:
    # Given June 2's list holding 150 papers: a full page, then 50
    upstreams.add(DAILY, Reply.json([entry(f"2606.{n:05d}") for n in range(100)]), query={"p": "0"})
    upstreams.add(DAILY, Reply.json([entry(f"2606.{n:05d}") for n in range(100, 150)]), query={"p": "1"})
    # When it is fetched the same day
    _, documents = fetch(upstreams, datetime(2026, 6, 2, 12, 0, tzinfo=UTC))
    # Then both pages are read, and every paper is a post
    assert [a.query["p"] for a in upstreams.requests] == ["0", "1"]
    assert len(HuggingFace.parse({d.name: d.body for d in documents})) == 150


def test_paging_stops_at_the_page_cap_and_says_so(upstreams: ReplayServer, caplog: pytest.LogCaptureFixture) -> None:
    upstreams.add(DAILY, Reply.json([entry(f"2606.{n:05d}") for n in range(100)]))
    source, documents = fetch(upstreams, datetime(2026, 6, 2, 12, 0, tzinfo=UTC), HOTPAPERS_HUGGINGFACE_MAX_PAGES="2")
    assert len(documents) == len(upstreams.requests) == 2
    assert source.capped
    capped = [(r.source, r.pages) for r in caplog.records if r.getMessage() == "search stopped at the page limit"]
    assert capped == [("huggingface", 2)]


@pytest.mark.parametrize("body", [{"papers": []}, "[", {"error": "x"}, "null"])
def test_an_answer_that_is_no_list_of_papers_fails_the_source(upstreams: ReplayServer, body: Any) -> None:
    upstreams.add(DAILY, Reply(200, body.encode() if isinstance(body, str) else json.dumps(body).encode()))
    with pytest.raises(UpstreamError, match="huggingface"):
        fetch(upstreams, datetime(2026, 6, 2, 12, 0, tzinfo=UTC))


def test_a_paper_seen_in_two_lists_has_its_latest_upvotes() -> None:
    # Given a paper listed on June 2 with 3 upvotes and again on June 3 with 9
    documents = {
        "daily_papers-2026-06-02-000.json": json.dumps([entry("2606.01001", 3)]).encode(),
        "daily_papers-2026-06-03-000.json": json.dumps([entry("2606.01001", 9), {"paper": {}}]).encode(),
    }
    # When read
    parsed = HuggingFace.read(documents)
    # Then it is one post with the later count, and the entry with no paper id is counted as skipped
    assert [(p.id, p.metrics["upvotes"]) for p in parsed.posts] == [("2606.01001", 9)]
    assert parsed.skipped == 1


def read_one(item: dict[str, Any]) -> Any:
    """The post of one entry, its paper's upvotes (its engagement) set to 0 where it has none."""
    entry = {**item, "paper": {"upvotes": 0, **item["paper"]}}
    (post,) = HuggingFace.parse({"daily_papers-2026-06-02-000.json": json.dumps([entry]).encode()})
    return post


@pytest.mark.parametrize("upvotes", [None, "missing"])
def test_a_paper_page_without_its_upvotes_is_malformed_never_scored_zero(upvotes: Any) -> None:
    # Given an entry whose paper lacks its upvotes, or holds null for them
    paper: dict[str, Any] = {"id": "2606.01001"} if upvotes == "missing" else {"id": "2606.01001", "upvotes": upvotes}
    # When read / Then it is no post: skipped and counted
    parsed = HuggingFace.read({"daily_papers-2026-06-02-000.json": json.dumps([{"paper": paper}]).encode()})
    assert (parsed.posts, parsed.skipped) == ([], 1)


def test_a_paper_page_is_a_post_by_its_submitter_at_its_page() -> None:
    # Given an entry whose paper names who submitted it to the daily list, and the entry another submitter
    post = read_one(
        {
            "paper": {
                "id": "2606.01001",
                "title": "A  title\n on two lines",
                "upvotes": 5,
                "submittedOnDailyAt": "2026-06-02T09:00:00.000Z",
                "submittedOnDailyBy": {"name": "ada", "fullname": "Ada L"},
            },
            "title": "The entry's title",
            "publishedAt": "2026-06-01T00:00:00.000Z",
            "submittedBy": {"name": "bob", "fullname": "Bob"},
        }
    )
    # Then the paper's own fields win, and the post is its Hugging Face page
    assert (post.author_name, post.author_handle) == ("Ada L", "ada")
    assert post.url == "https://huggingface.co/papers/2606.01001"
    assert (post.text, post.created_at) == ("A title on two lines", "2026-06-02T09:00:00.000Z")


def test_what_the_paper_lacks_is_taken_from_its_entry() -> None:
    post = read_one(
        {
            "paper": {"id": "2606.01001"},
            "title": "The entry's  title",
            "publishedAt": "2026-06-01T00:00:00.000Z",
            "submittedBy": {"name": "bob", "fullname": None},
        }
    )
    assert (post.author_name, post.author_handle) == ("bob", "bob")
    assert (post.text, post.created_at) == ("The entry's title", "2026-06-01T00:00:00.000Z")


def test_an_empty_title_is_kept_and_a_page_without_submitter_is_hugging_faces() -> None:
    assert read_one({"paper": {"id": "2606.01001"}}).text == ""
    post = read_one({"paper": {"id": "2606.01001", "title": ""}, "title": "Not this one"})
    assert (post.author_name, post.author_handle, post.text, post.created_at) == ("Hugging Face", "", "", "")
    nameless = read_one({"paper": {"id": "2606.01001", "submittedOnDailyBy": {"name": "", "fullname": ""}}})
    assert nameless.author_name == "Hugging Face"

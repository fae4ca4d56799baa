"""Reddit: the real search Listing shape (a PRAW recording) becomes threads; crossposts are reposts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hotpapers.sources.reddit import Reddit, time_filter, user_agent
from support.sources_day import fixture

REAL = "reddit_search_listing_REAL_praw_cassette_2016.json"
ARXIV = "reddit_search_listing_arxiv_REAL_FIELDS_REPOINTED.json"


def test_the_real_listing_parses_into_its_threads() -> None:
    # Given a real search answer recorded by PRAW (six threads, none about arXiv)
    listing = json.loads(fixture(REAL))
    # When it is parsed
    posts = Reddit.parse({"search-0000.json": fixture(REAL)})
    # Then every thread is a post with its score and comments, where it was posted, and its link
    assert [post.id for post in posts] == [child["data"]["name"] for child in listing["data"]["children"]]
    first = posts[0]
    assert first.url == (
        "https://www.reddit.com/r/redditdev/comments/3gpbiu/prawoauth2util_problem_using_get_banned_raise/"
        "?ref=search_posts"
    )
    assert first.venue == "r/redditdev"
    assert first.metrics == {"score": 0, "comments": 21}
    assert first.created_at == "2015-08-12T09:08:34Z"
    assert not any(post.is_repost for post in posts)


def test_a_self_post_links_the_urls_written_in_it_and_a_crosspost_is_a_repost() -> None:
    by_id = {post.id: post for post in Reddit.parse({"search-0000.json": fixture(ARXIV)})}
    link, self_post, crosspost = by_id["t3_1l2b0a1"], by_id["t3_1l2b0a2"], by_id["t3_1l2b0a3"]
    assert link.links == ("https://arxiv.org/abs/2606.01002",)
    assert Reddit.engagement(link) == 62
    assert self_post.links == (
        "https://www.reddit.com/r/compsci/comments/1l2b0a2/discussion_paper_b/",
        "https://arxiv.org/pdf/2606.01002.pdf",
        "https://arxiv.org/abs/2606.01002v1",
    )
    assert crosspost.is_repost
    assert not link.is_repost


def test_the_user_agent_is_in_reddits_form_with_the_apps_account() -> None:
    assert user_agent("hotpapers-bot") == "python:hotpapers:0.1.0 (by /u/hotpapers-bot)"
    assert user_agent("/u/hotpapers-bot") == "python:hotpapers:0.1.0 (by /u/hotpapers-bot)"


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (timedelta(hours=12), "week"),
        (timedelta(days=7), "week"),
        (timedelta(days=7, hours=1), "month"),
        (timedelta(days=40), "year"),
        (timedelta(days=400), "all"),
    ],
)
def test_the_time_filter_reaches_back_to_the_announcement(age: timedelta, expected: str) -> None:
    # Given posts searched since an announcement ``age`` ago, Reddit's t= still holds them
    assert time_filter(age) == expected


def test_a_thread_without_optional_fields_is_a_post_with_nothing_made_up(tokyo_machine: None) -> None:
    # Given a thread with only its id and time, read on a machine in Tokyo
    thread = {"id": "abc", "created_utc": 1780369500.0, "score": 0, "num_comments": 0}
    listing = {"data": {"children": [{"kind": "t3", "data": thread}]}}
    # When parsed
    (post,) = Reddit.parse({"search-0000.json": json.dumps(listing).encode()})
    # Then its id is Reddit's fullname, its time UTC, and it has no author, link or venue
    assert post.id == "t3_abc"
    assert post.created_at == "2026-06-02T03:05:00Z"
    assert (post.author_name, post.author_handle, post.links, post.venue) == ("", "", (), None)
    assert post.metrics == {"score": 0, "comments": 0}


def test_a_thread_without_its_figures_is_malformed_never_scored_zero() -> None:
    # Given threads lacking their score or comments, or holding null for them
    threads = [{"id": "a", "num_comments": 1}, {"id": "b", "score": 1}, {"id": "c", "score": None, "num_comments": 1}]
    listing = {"data": {"children": [{"kind": "t3", "data": thread} for thread in threads]}}
    # When parsed / Then none is a post: each is skipped and counted
    parsed = Reddit.read({"search-0000.json": json.dumps(listing).encode()})
    assert (parsed.posts, parsed.skipped) == ([], 3)


@pytest.mark.parametrize("username", ["u/hotpapers-bot", "/u/hotpapers-bot", " hotpapers-bot "])
def test_the_user_agent_names_the_account_once_however_it_is_written(username: str) -> None:
    assert user_agent(username).endswith("(by /u/hotpapers-bot)")

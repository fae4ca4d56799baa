"""Hacker News: Algolia's documented search_by_date shape becomes stories with points and comments."""

from __future__ import annotations

import json

import pytest
from hotpapers.sources import MalformedDocumentError
from hotpapers.sources.hackernews import HackerNews
from support.sources_day import fixture

PAGE = "hackernews_search_by_date_DOCUMENTED_SHAPE.json"


def test_each_hit_becomes_a_story_post() -> None:
    # Given a page of stories as Algolia answers search_by_date
    # When it is parsed
    posts = {post.id: post for post in HackerNews.parse({"search-1780358400-1780472805-000.json": fixture(PAGE)})}
    # Then every story with its figures is a post linking its URL, with its points and comments
    # (44100003, with null points and comments, is none: it would score 0 where it has no figures)
    assert list(posts) == ["44100001", "44100002", "44100004"]
    story = posts["44100001"]
    assert story.url == "https://news.ycombinator.com/item?id=44100001"
    assert story.links == ("https://arxiv.org/abs/2606.01001",)
    assert story.text == "Paper A: attention from every place"
    assert (story.author_handle, story.created_at) == ("hn_alice", "2026-06-02T03:05:00Z")
    assert story.metrics == {"points": 100, "comments": 40}
    assert HackerNews.engagement(story) == 140


def test_stories_without_their_figures_are_skipped_and_counted_never_scored_zero() -> None:
    # Given the documented page, whose story 44100003 has null points and comments, and stories
    # lacking one figure, or holding null for it
    document = json.loads(fixture(PAGE))
    document["hits"] += [
        {"objectID": "44100010", "num_comments": 3},
        {"objectID": "44100011", "points": 3},
        {"objectID": "44100012", "points": None, "num_comments": 3},
    ]
    # When parsed
    parsed = HackerNews.read({"p.json": json.dumps(document).encode()})
    # Then none of them is a post: each is counted as malformed
    assert not {"44100003", "44100010", "44100011", "44100012"} & {post.id for post in parsed.posts}
    assert parsed.skipped == 4


def test_a_story_on_two_pages_counts_once() -> None:
    # Given two slices of the window that both hold the same stories (Algolia's boundaries overlap)
    posts = HackerNews.parse({"a.json": fixture(PAGE), "b.json": fixture(PAGE)})
    # Then each story is there once (the documented page's story without figures is none)
    assert len(posts) == 3


def test_a_story_with_only_an_id_is_a_post_with_empty_fields() -> None:
    # Given a hit that has nothing but its id (Algolia sends null for what a story lacks)
    document = {
        "hits": [{"objectID": "44100009", "title": None, "url": None, "author": None, "points": 0, "num_comments": 0}]
    }
    # When parsed
    (story,) = HackerNews.parse({"p.json": json.dumps(document).encode()})
    # Then it is a post with nothing made up: no author, title, time or link
    assert (story.author_name, story.author_handle, story.text, story.created_at) == ("", "", "", "")
    assert story.links == ()
    assert story.metrics == {"points": 0, "comments": 0}


def test_a_storys_time_is_utc_whatever_the_machines_zone(tokyo_machine: None) -> None:
    # Given a story created at Unix second 1780369500, and another with only its ISO time
    hits = [
        {"objectID": "1", "created_at_i": 1780369500, "created_at": "ignored", "points": 1, "num_comments": 0},
        {"objectID": "2", "created_at": "2026-06-02T03:05:00.000Z", "points": 1, "num_comments": 0},
    ]
    # When parsed on a machine in Tokyo
    posts = HackerNews.parse({"p.json": json.dumps({"hits": hits}).encode()})
    # Then the first reads as UTC, the second as sent
    assert [p.created_at for p in posts] == ["2026-06-02T03:05:00Z", "2026-06-02T03:05:00.000Z"]


def test_a_document_that_is_garbage_as_a_whole_is_named() -> None:
    with pytest.raises(MalformedDocumentError, match=r"^search-7\.json has no JSON$"):
        HackerNews.read({"search-7.json": b"<html>"})
    with pytest.raises(MalformedDocumentError, match=r"^search-8\.json has no list of hits$"):
        HackerNews.read({"search-8.json": b'{"hits": null}'})

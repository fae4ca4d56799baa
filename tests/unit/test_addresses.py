"""Links to a source's own site, built from parts: ``hotpapers.addresses``."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hotpapers.addresses import page_on, path_on
from hotpapers.sources.bluesky import Bluesky
from hotpapers.sources.hackernews import HackerNews
from hotpapers.sources.huggingface import HuggingFace
from hotpapers.sources.reddit import Reddit
from hotpapers.sources.x import X
from support.sources_day import stored_documents

HOSTILE = ["@evil.example/x", "//evil.example/x", "evil.example\\@x", "..", "a/../../b", "?q#f", "%2F"]


@pytest.mark.parametrize("value", HOSTILE)
def test_upstream_data_never_leaves_its_segment_or_names_the_host(value: str) -> None:
    # Given a hostile value in each place a link takes upstream data
    built = [page_on("bsky.app", "profile", value), path_on("www.reddit.com", value)]
    # Then every link's host is the site's, and a segment stays one segment
    assert {urlsplit(link).hostname for link in built} == {"bsky.app", "www.reddit.com"}
    assert page_on("bsky.app", "profile", value, "post", "1").count("/") == 6


def test_ordinary_paths_and_queries_read_as_upstream_wrote_them() -> None:
    permalink = "/r/MachineLearning/comments/hm2s1w/r_nvae_a_deep_hierarchical/?ref=search_posts"
    assert path_on("www.reddit.com", permalink) == f"https://www.reddit.com{permalink}"
    assert page_on("news.ycombinator.com", "item", query={"id": "23775425"}) == (
        "https://news.ycombinator.com/item?id=23775425"
    )
    assert page_on("twitter.com", "i", "web", "status", "12") == "https://twitter.com/i/web/status/12"


def test_a_reddit_permalink_naming_another_host_still_links_reddit() -> None:
    # Given a thread whose permalink starts "@evil.example/"
    listing = stored_documents()["reddit"]["search-0000.json"].decode()
    first = Reddit.parse({"search-0000.json": listing.encode()})[0]
    permalink = urlsplit(first.url).path
    poisoned = listing.replace(f'"permalink": "{permalink}"', '"permalink": "@evil.example/x"', 1)
    assert poisoned != listing

    # When it is parsed
    post = next(post for post in Reddit.parse({"search-0000.json": poisoned.encode()}) if post.id == first.id)

    # Then its link is on Reddit
    assert urlsplit(post.url).hostname == "www.reddit.com"
    assert post.url == "https://www.reddit.com/@evil.example/x"


SITES = {
    X: "twitter.com",
    HackerNews: "news.ycombinator.com",
    Bluesky: "bsky.app",
    Reddit: "www.reddit.com",
    HuggingFace: "huggingface.co",
}


@pytest.mark.parametrize("source", list(SITES), ids=lambda source: source.name)
def test_every_sources_post_links_its_own_site(source: type) -> None:
    posts = source.parse(stored_documents()[source.name])
    assert posts
    assert {urlsplit(post.url).hostname for post in posts} == {SITES[source]}

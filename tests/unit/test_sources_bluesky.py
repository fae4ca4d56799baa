"""Bluesky: searchPosts' documented postView shape; the paper link may be in a facet or an embed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hotpapers.models import Post
from hotpapers.sources.bluesky import Bluesky
from support.sources_day import fixture

PAGE = "bluesky_searchPosts_DOCUMENTED_SHAPE.json"


def test_a_shortened_link_in_the_text_is_read_from_its_facet() -> None:
    # Given a post whose text shows "arxiv.org/abs/2606.0100..." and whose facet holds the full URL
    post = Bluesky.parse({"search-0000.json": fixture(PAGE)})[0]
    # Then the post links the facet's URL, not the shortened text
    assert post.links == ("https://arxiv.org/abs/2606.01001",)
    assert "2606.0100..." in post.text
    assert post.url == "https://bsky.app/profile/alice.bsky.social/post/3lqaaaaaaaa2a"
    assert post.id == "at://did:plc:alice0000000000000000001/app.bsky.feed.post/3lqaaaaaaaa2a"
    assert post.metrics == {"likes": 30, "reposts": 5, "quotes": 1, "replies": 2}
    assert Bluesky.engagement(post) == 38


def test_links_in_an_embed_card_and_under_media_are_read() -> None:
    by_handle = {post.author_handle: post for post in Bluesky.parse({"search-0000.json": fixture(PAGE)})}
    # A link card only, the text has no URL
    assert by_handle["bob.example.org"].links == ("https://arxiv.org/abs/2606.01001v1",)
    # A quote post with its own link card as media: the quoted post's card is not this post's link
    assert by_handle["carol.bsky.social"].links == ("https://arxiv.org/pdf/2606.01002",)
    assert by_handle["carol.bsky.social"].lang == "de"


def test_a_client_time_that_is_no_date_falls_back_to_the_index_time() -> None:
    by_handle = {post.author_handle: post for post in Bluesky.parse({"search-0000.json": fixture(PAGE)})}
    assert by_handle["arxiv-mirror-bot.bsky.social"].created_at == "2026-06-02T01:00:00.000Z"
    assert by_handle["alice.bsky.social"].created_at == "2026-06-02T08:00:00.000Z"


COUNTS = {"likeCount": 0, "repostCount": 0, "quoteCount": 0, "replyCount": 0}
"""The figures every post view carries (its engagement)."""


def one(view: dict[str, Any]) -> Post:
    (post,) = Bluesky.parse({"search-0000.json": json.dumps({"posts": [{**COUNTS, **view}]}).encode()})
    return post


URI = "at://did:plc:alice0000000000000000001/app.bsky.feed.post/3lqaaaaaaaa2a"


def test_a_post_view_with_only_its_uri_and_figures_is_a_post_with_nothing_made_up() -> None:
    post = one({"uri": URI})
    assert (post.text, post.created_at, post.links, post.lang, post.author_handle) == ("", "", (), None, "")
    assert post.metrics == {"likes": 0, "reposts": 0, "quotes": 0, "replies": 0}


@pytest.mark.parametrize("figure", sorted(COUNTS))
def test_a_post_view_missing_a_figure_is_malformed_never_scored_zero(figure: str) -> None:
    # Given a view whose counts lack one, or hold null for it
    views = [{"uri": URI, **{k: 3 for k in COUNTS if k != figure}}, {"uri": URI, **COUNTS, figure: None}]
    # When parsed / Then neither is a post: each is skipped and counted
    parsed = Bluesky.read({"search-0000.json": json.dumps({"posts": views}).encode()})
    assert (parsed.posts, parsed.skipped) == ([], 2)


def test_facets_without_a_link_add_none() -> None:
    # Given a link facet without its uri, a facet without features, and a mention facet
    facets = [
        {"features": [{"$type": "app.bsky.richtext.facet#link"}]},
        {},
        {"features": [{"$type": "app.bsky.richtext.facet#mention", "uri": "did:plc:bob"}]},
    ]
    # Then the post links nothing
    assert one({"uri": URI, "record": {"text": "hi", "facets": facets}}).links == ()


@pytest.mark.parametrize("where", ["record", "view"])
def test_a_link_card_is_read_from_the_record_or_from_the_view(where: str) -> None:
    card = {"$type": "app.bsky.embed.external", "external": {"uri": "https://arxiv.org/abs/2606.01001"}}
    view: dict[str, Any] = {"uri": URI, "record": {"text": "a card"}}
    if where == "record":
        view["record"]["embed"] = card
    else:
        view["embed"] = card
    assert one(view).links == ("https://arxiv.org/abs/2606.01001",)


def test_a_client_time_that_is_missing_or_no_date_gives_way_to_the_index_time() -> None:
    indexed = "2026-06-02T08:00:01.000Z"
    assert one({"uri": URI, "record": {"createdAt": "yesterday"}, "indexedAt": indexed}).created_at == indexed
    assert one({"uri": URI, "record": {}, "indexedAt": indexed}).created_at == indexed
    assert one({"uri": URI, "record": {"createdAt": "2026-06-02T08:00:00Z"}}).created_at == "2026-06-02T08:00:00Z"


def test_an_author_without_a_handle_is_known_by_their_did() -> None:
    post = one({"uri": URI, "author": {"did": "did:plc:alice0000000000000000001"}})
    assert (post.author_handle, post.author_name) == ("did:plc:alice0000000000000000001",) * 2
    assert post.url == "https://bsky.app/profile/did:plc:alice0000000000000000001/post/3lqaaaaaaaa2a"


def test_a_display_name_of_a_lone_surrogate_escape_is_read_as_valid_text() -> None:
    # Given a post view whose author's display name is half an emoji, as JSON may write it
    page = fixture(PAGE).decode()
    name = json.loads(page)["posts"][0]["author"]["displayName"]
    poisoned = page.replace(json.dumps(name), '"\\ud83d ' + name + '"', 1).encode()

    # When it is parsed
    post = next(post for post in Bluesky.parse({"search-0000.json": poisoned}) if post.author_name.endswith(name))

    # Then the name is valid Unicode, the lone half shown as the replacement character
    assert post.author_name == f"\ufffd {name}"
    post.author_name.encode()

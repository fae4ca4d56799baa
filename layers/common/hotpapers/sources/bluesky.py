"""Bluesky: ``app.bsky.feed.searchPosts`` for posts linking arxiv.org, after logging in.

Public search is unreliable without auth, so the source first creates a session
(``com.atproto.server.createSession``) with a handle and an app password; the session's
tokens are used and never stored. The search filters by ``domain`` (links in facets or
embeds), so a post whose text shows only a shortened link is still found, and its paper is
read from the facet or the embed card. Search answers posts only: reposts are separate
records it never returns. Engagement is likes, reposts, quotes and replies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from hotpapers import redaction
from hotpapers.credentials import credential
from hotpapers.models import Post, RawDocument, iso_utc
from hotpapers.observability import logger
from hotpapers.sources.base import FetchRequest, Source
from hotpapers.upstream import endpoint

SESSION_PATH = "/xrpc/com.atproto.server.createSession"
SEARCH_PATH = "/xrpc/app.bsky.feed.searchPosts"
DOMAIN = "arxiv.org"
PAGE_SIZE = 100
LINK_FACET = "app.bsky.richtext.facet#link"


class Bluesky(Source):
    name = "bluesky"
    tag = "Bluesky"
    counts = (("likes", "bluesky likes"), ("reposts", "bluesky reposts"))
    engagement_metrics = ("likes", "reposts", "quotes", "replies")

    def fetch(self, request: FetchRequest) -> list[RawDocument]:
        settings = request.settings
        base = settings.urls["bluesky_api"]
        login = self.post_json(
            endpoint(base, SESSION_PATH),
            json={
                "identifier": credential(settings, "bluesky_handle"),
                "password": credential(settings, "bluesky_app_password"),
            },
        )
        if not isinstance(login, dict) or not login.get("accessJwt"):
            raise self.malformed(endpoint(base, SESSION_PATH), "an accessJwt")
        redaction.register(str(login["accessJwt"]), str(login.get("refreshJwt") or ""))
        headers = {"Authorization": f"Bearer {login['accessJwt']}"}
        params: dict[str, Any] = {
            "q": DOMAIN,
            "domain": DOMAIN,
            "sort": "latest",
            "since": iso_utc(request.posts_since),
            "until": iso_utc(request.posts_until),
            "limit": PAGE_SIZE,
        }
        documents: list[RawDocument] = []
        for page in range(self.limits.max_pages):
            document = self.get_json(
                endpoint(base, SEARCH_PATH), params=params, name=f"search-{page:04d}.json", headers=headers
            )
            documents.append(document)
            answer = json.loads(document.body)
            if not isinstance(answer, dict):
                raise self.malformed(document.url, "an object")
            self.require_items(document.url, answer.get("posts"), "uri", "posts")
            if not answer.get("cursor") or not answer["posts"]:
                break
            params["cursor"] = answer["cursor"]
        else:
            logger.warning("bluesky search stopped at the page limit", extra={"pages": len(documents)})
        return documents

    @classmethod
    def parse(cls, documents: Mapping[str, bytes]) -> list[Post]:
        posts: dict[str, Post] = {}
        for name in sorted(documents):
            for view in json.loads(documents[name])["posts"]:
                posts.setdefault(view["uri"], _post(view))
        return list(posts.values())


def links_of(view: dict[str, Any]) -> list[str]:
    """Every URL a post links: its link facets, its embed card (also under media), and the view's card."""
    record = view.get("record", {})
    found = [
        str(feature.get("uri", ""))
        for facet in record.get("facets", [])
        for feature in facet.get("features", [])
        if feature.get("$type") == LINK_FACET
    ]
    for embed in (record.get("embed"), view.get("embed")):
        for part in (embed, (embed or {}).get("media")):
            external = (part or {}).get("external")
            if isinstance(external, dict) and external.get("uri"):
                found.append(str(external["uri"]))
    return list(dict.fromkeys(link for link in found if link))


def _created(record: dict[str, Any], view: dict[str, Any]) -> str:
    """The post's own time; its ``createdAt`` is set by the client, so the index time stands in if it
    is not a date-time."""
    created = str(record.get("createdAt") or "")
    try:
        datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return str(view.get("indexedAt", ""))
    return created


def _post(view: dict[str, Any]) -> Post:
    author = view.get("author", {})
    handle = str(author.get("handle") or author.get("did") or "")
    record = view.get("record", {})
    rkey = str(view["uri"]).rsplit("/", 1)[-1]
    langs = record.get("langs") or []
    return Post(
        source="bluesky",
        id=str(view["uri"]),
        url=f"https://bsky.app/profile/{handle}/post/{rkey}",
        author_name=str(author.get("displayName") or handle),
        author_handle=handle,
        text=str(record.get("text", "")),
        created_at=_created(record, view),
        metrics={
            "likes": int(view.get("likeCount") or 0),
            "reposts": int(view.get("repostCount") or 0),
            "quotes": int(view.get("quoteCount") or 0),
            "replies": int(view.get("replyCount") or 0),
        },
        links=tuple(links_of(view)),
        lang=str(langs[0]) if langs else None,
    )

"""Bluesky: ``app.bsky.feed.searchPosts`` for posts linking arxiv.org, after logging in.

Unauthenticated full-text search has been switched off, so the source first creates a session
(``com.atproto.server.createSession``) with a handle and an app password; the session's
tokens are used and never stored. The ``domain`` parameter is the filter: it selects posts
linking arxiv.org in a facet or an embed card. ``q`` is required and is passed to the search
backend as text, so it must match every post: Lucene's ``*``. A text term ("arxiv.org") would
drop every post whose only link is a card, its text naming no URL; the former
``q=domain:arxiv.org`` was a filter only to the search service Bluesky has since retired. The
paper is then read from the facet or the embed card. Search answers posts only: reposts are
separate records it never returns. Engagement is likes, reposts, quotes and replies. The
evidence is in docs/sources.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from hotpapers import redaction
from hotpapers.addresses import page_on
from hotpapers.catalogue import CATALOGUE
from hotpapers.credentials import credential
from hotpapers.documents import load_json
from hotpapers.models import Post, RawDocument, iso_utc
from hotpapers.sources.base import FetchRequest, Item, Parsed, Slice, Source, items_in, json_document, parse_items
from hotpapers.upstream import endpoint

SESSION_PATH = "/xrpc/com.atproto.server.createSession"
SEARCH_PATH = "/xrpc/app.bsky.feed.searchPosts"
DOMAIN = "arxiv.org"
# searchPosts requires a non-empty q; the filter is ``domain`` (see the module's docstring).
QUERY = "*"
PAGE_SIZE = 100
LINK_FACET = "app.bsky.richtext.facet#link"


class Bluesky(Source):
    entry = CATALOGUE["bluesky"]

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

        def search(part: Slice, documents: list[RawDocument], pages: int) -> bool:
            params: dict[str, Any] = {
                "q": QUERY,
                "domain": DOMAIN,
                "sort": "latest",
                "since": iso_utc(part.since),
                "until": iso_utc(part.until),
                "limit": PAGE_SIZE,
            }
            for _ in range(pages):
                document = self.get_json(
                    endpoint(base, SEARCH_PATH),
                    params=params,
                    name=f"search-{len(documents):04d}.json",
                    headers=headers,
                )
                documents.append(document)
                answer = load_json(document.body)
                if not isinstance(answer, dict):
                    raise self.malformed(document.url, "an object")
                self.check(document)
                if not answer.get("cursor") or not answer["posts"]:
                    return False
                params["cursor"] = answer["cursor"]
            return True

        return self.search_slices(request.slices(request.posts_since, request.posts_until), search)

    @classmethod
    def read(cls, documents: Mapping[str, bytes]) -> Parsed:
        views = (
            view for name in sorted(documents) for view in items_in(json_document(documents[name], name), name, "posts")
        )
        return parse_items(PostView, views, lambda view, raw: _post(raw), cls.name)


class _Feature(Item):
    type: str = Field("", alias="$type")
    uri: str = ""


class _Facet(Item):
    features: list[_Feature] = Field(default_factory=list)


class _External(Item):
    uri: str = ""


class _Media(Item):
    external: _External | None = None


class _Embed(Item):
    external: _External | None = None
    media: _Media | None = None


class _Record(Item):
    text: str = ""
    createdAt: Any = None  # noqa: N815 - set by the client: any value, checked where read
    langs: list[str] = Field(default_factory=list)
    facets: list[_Facet] = Field(default_factory=list)
    embed: _Embed | None = None


class _Author(Item):
    handle: str | None = None
    did: str | None = None
    displayName: str | None = None  # noqa: N815 - the lexicon's names


class PostView(Item):
    """An ``app.bsky.feed.defs#postView`` as ``_post`` reads it."""

    uri: Annotated[str, StringConstraints(pattern=r"^at://\S+/\S+$")]
    author: _Author = Field(default_factory=_Author)
    record: _Record = Field(default_factory=_Record)
    embed: _Embed | None = None
    indexedAt: str = ""  # noqa: N815
    # Its engagement: a view without these is malformed, never a post scored 0.
    likeCount: int  # noqa: N815
    repostCount: int  # noqa: N815
    quoteCount: int  # noqa: N815
    replyCount: int  # noqa: N815


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
        url=page_on("bsky.app", "profile", handle, "post", rkey),
        author_name=str(author.get("displayName") or handle),
        author_handle=handle,
        text=str(record.get("text", "")),
        created_at=_created(record, view),
        metrics={
            "likes": int(view["likeCount"]),
            "reposts": int(view["repostCount"]),
            "quotes": int(view["quoteCount"]),
            "replies": int(view["replyCount"]),
        },
        links=tuple(links_of(view)),
        lang=str(langs[0]) if langs else None,
    )

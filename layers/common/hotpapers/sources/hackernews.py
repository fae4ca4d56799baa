"""Hacker News through its Algolia search API (``search_by_date``, no auth).

Stories whose URL contains ``arxiv.org``, created since the window's announcement.
Algolia serves at most 1000 hits per query however it is paged, so a query that matches more
is split into two halves of its time range, recursively, until each part fits; every page
read is kept. A story's engagement is its points plus its comments.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from hotpapers.addresses import page_on
from hotpapers.catalogue import CATALOGUE
from hotpapers.documents import load_json
from hotpapers.models import Post, RawDocument
from hotpapers.sources.base import FetchRequest, Item, Parsed, Source, items_in, json_document, parse_items
from hotpapers.upstream import endpoint

SEARCH_PATH = "/api/v1/search_by_date"
PAGE_SIZE = 100
# Algolia's paginationLimitedTo: hits beyond the first 1000 of a query cannot be paged to.
HIT_CAP = 1000


class HackerNews(Source):
    entry = CATALOGUE["hackernews"]

    def fetch(self, request: FetchRequest) -> list[RawDocument]:
        url = endpoint(request.settings.urls["hn_api"], SEARCH_PATH)
        documents: list[RawDocument] = []
        # Time ranges still to read, [start, end) in Unix seconds, oldest first.
        ranges = [(int(request.posts_since.timestamp()), int(request.posts_until.timestamp()))]
        while ranges:
            start, end = ranges.pop(0)
            page = 0
            while True:
                if len(documents) >= self.limits.max_pages:
                    self.stopped_at_cap(len(documents))
                    return documents
                document = self.get_json(
                    url,
                    params={
                        "query": "arxiv.org",
                        "restrictSearchableAttributes": "url",
                        "tags": "story",
                        "numericFilters": f"created_at_i>={start},created_at_i<{end}",
                        "hitsPerPage": PAGE_SIZE,
                        "page": page,
                    },
                    name=f"search-{start}-{end}-{page:03d}.json",
                )
                documents.append(document)
                answer = load_json(document.body)
                if not isinstance(answer, dict) or not isinstance(answer.get("nbHits"), int):
                    raise self.malformed(document.url, "nbHits")
                self.check(document)
                if page == 0 and answer["nbHits"] > HIT_CAP and end - start > 1:
                    middle = (start + end) // 2
                    ranges[:0] = [(start, middle), (middle, end)]
                    break
                page += 1
                if page >= int(answer.get("nbPages", 0)):
                    break
        return documents

    @classmethod
    def read(cls, documents: Mapping[str, bytes]) -> Parsed:
        hits = (
            hit for name in sorted(documents) for hit in items_in(json_document(documents[name], name), name, "hits")
        )
        return parse_items(Hit, hits, _post, cls.name)


class Hit(Item):
    """A story as Algolia sends it. Points and comments are its engagement: a story without them
    (null, or absent) is malformed, skipped and counted, never scored 0."""

    objectID: Annotated[str, StringConstraints(pattern=r"^\d{1,12}$")]  # noqa: N815 - Algolia's name
    title: str | None = None
    url: str | None = None
    author: str | None = None
    points: int
    num_comments: int
    created_at_i: Annotated[int, Field(ge=0, lt=2**37)] | None = None
    created_at: str | None = None


def _post(hit: Hit, raw: Any) -> Post:
    author = hit.author or ""
    return Post(
        source="hackernews",
        id=hit.objectID,
        url=page_on("news.ycombinator.com", "item", query={"id": hit.objectID}),
        author_name=author,
        author_handle=author,
        text=" ".join((hit.title or "").split()),
        created_at=(
            datetime.fromtimestamp(hit.created_at_i, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            if hit.created_at_i is not None
            else hit.created_at or ""
        ),
        metrics={"points": hit.points, "comments": hit.num_comments},
        links=(hit.url,) if hit.url else (),
    )

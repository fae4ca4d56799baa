"""Hacker News through its Algolia search API (``search_by_date``, no auth).

Stories whose URL contains ``arxiv.org``, created since the window's announcement.
Algolia serves at most 1000 hits per query however it is paged, so a query that matches more
is split into two halves of its time range, recursively, until each part fits; every page
read is kept. A story's engagement is its points plus its comments.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from hotpapers.models import Post, RawDocument
from hotpapers.observability import logger
from hotpapers.sources.base import FetchRequest, Source
from hotpapers.upstream import endpoint

SEARCH_PATH = "/api/v1/search_by_date"
PAGE_SIZE = 100
# Algolia's paginationLimitedTo: hits beyond the first 1000 of a query cannot be paged to.
HIT_CAP = 1000


class HackerNews(Source):
    name = "hackernews"
    tag = "Hacker News"
    counts = (("points", "hn points"), ("comments", "hn comments"))
    engagement_metrics = ("points", "comments")

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
                    logger.warning("hackernews search stopped at the page limit", extra={"pages": len(documents)})
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
                answer = json.loads(document.body)
                if not isinstance(answer, dict) or not isinstance(answer.get("nbHits"), int):
                    raise self.malformed(document.url, "nbHits")
                self.require_items(document.url, answer.get("hits"), "objectID", "hits")
                if page == 0 and answer["nbHits"] > HIT_CAP and end - start > 1:
                    middle = (start + end) // 2
                    ranges[:0] = [(start, middle), (middle, end)]
                    break
                page += 1
                if page >= int(answer.get("nbPages", 0)):
                    break
        return documents

    @classmethod
    def parse(cls, documents: Mapping[str, bytes]) -> list[Post]:
        posts: dict[str, Post] = {}
        for name in sorted(documents):
            for hit in json.loads(documents[name])["hits"]:
                posts.setdefault(str(hit["objectID"]), _post(hit))
        return list(posts.values())


def _post(hit: dict[str, Any]) -> Post:
    story_id = str(hit["objectID"])
    author = str(hit.get("author") or "")
    created = hit.get("created_at_i")
    return Post(
        source="hackernews",
        id=story_id,
        url=f"https://news.ycombinator.com/item?id={story_id}",
        author_name=author,
        author_handle=author,
        text=" ".join(str(hit.get("title") or "").split()),
        created_at=(
            datetime.fromtimestamp(int(created), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            if created is not None
            else str(hit.get("created_at", ""))
        ),
        # Algolia sends null points or comments for stories it has not counted yet.
        metrics={"points": int(hit.get("points") or 0), "comments": int(hit.get("num_comments") or 0)},
        links=(str(hit["url"]),) if hit.get("url") else (),
    )

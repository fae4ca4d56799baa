"""Hugging Face Daily Papers: community upvotes for the papers of a day (no auth).

A paper's page counts as one post whose engagement is its upvotes. ``githubRepo`` and
``githubStars`` are kept in the raw snapshot as received; the post carries them as a link and a
``github_stars`` metric, for the GitHub source to use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from hotpapers.models import Post, RawDocument
from hotpapers.sources.base import FetchRequest, Source
from hotpapers.upstream import endpoint

PAGE_SIZE = 100


class HuggingFace(Source):
    name = "huggingface"
    tag = "Hugging Face"
    counts = (("upvotes", "hf upvotes"),)
    engagement_metrics = ("upvotes",)
    # Upvotes come from many readers, not from the account that submitted the page.
    engagement_is_the_authors = False

    def fetch(self, request: FetchRequest) -> list[RawDocument]:
        day = request.window.digest_date.isoformat()
        url = endpoint(request.settings.urls["hf_api"], "/api/daily_papers")
        document = self.get_json(url, params={"date": day, "limit": PAGE_SIZE}, name=f"daily_papers-{day}.json")
        items = self.require_items(document.url, json.loads(document.body), "paper", "a list of daily papers")
        self.require_items(document.url, [item["paper"] for item in items], "id", "papers")
        return [document]

    @classmethod
    def parse(cls, documents: Mapping[str, bytes]) -> list[Post]:
        posts: dict[str, Post] = {}
        for name in sorted(documents):
            for item in json.loads(documents[name]):
                post = _post(item)
                posts.setdefault(post.id, post)
        return list(posts.values())


def _post(item: dict[str, Any]) -> Post:
    paper = item["paper"]
    submitter = paper.get("submittedOnDailyBy") or item.get("submittedBy") or {}
    url = f"https://huggingface.co/papers/{paper['id']}"
    metrics = {"upvotes": int(paper.get("upvotes", 0)), "comments": int(item.get("numComments", 0))}
    if isinstance(paper.get("githubStars"), int):
        metrics["github_stars"] = paper["githubStars"]
    return Post(
        source="huggingface",
        id=paper["id"],
        url=url,
        author_name=submitter.get("fullname") or submitter.get("name") or "Hugging Face",
        author_handle=submitter.get("name", ""),
        text=" ".join(str(paper.get("title", item.get("title", ""))).split()),
        created_at=paper.get("submittedOnDailyAt") or item.get("publishedAt", ""),
        metrics=metrics,
        links=(url, *([str(paper["githubRepo"])] if paper.get("githubRepo") else [])),
    )

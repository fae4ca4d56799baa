"""Hugging Face Daily Papers: community upvotes for the papers of a day (no auth).

A paper's page counts as one post whose engagement is its upvotes. ``githubRepo`` and
``githubStars`` are kept in the raw snapshot as received; the post carries them as a link and a
``github_stars`` metric, for the GitHub source to use.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from itertools import count
from typing import Annotated, Any

from pydantic import StringConstraints

from hotpapers.addresses import page_on
from hotpapers.catalogue import CATALOGUE
from hotpapers.documents import load_json
from hotpapers.models import Post, RawDocument
from hotpapers.sources.base import FetchRequest, Item, Parsed, Source, items_in, json_document, parse_items
from hotpapers.upstream import endpoint

PAGE_SIZE = 100


class HuggingFace(Source):
    entry = CATALOGUE["huggingface"]

    def fetch(self, request: FetchRequest) -> list[RawDocument]:
        """The daily lists from the digest date D to the earlier of today and D + ``HOTPAPERS_HF_DAYS``,
        each paged (``p``, ``limit``) to its end: a paper is often listed days after its announcement."""
        url = endpoint(request.settings.urls["hf_api"], "/api/daily_papers")
        first = request.window.digest_date
        last = min(request.now.date(), first + timedelta(days=request.settings.hf_days))
        documents: list[RawDocument] = []
        for offset in range((last - first).days + 1):
            day = (first + timedelta(days=offset)).isoformat()
            for page in count():
                if len(documents) >= self.limits.max_pages:
                    self.stopped_at_cap(len(documents))
                    return documents
                document = self.get_json(
                    url, params={"date": day, "p": page, "limit": PAGE_SIZE}, name=f"daily_papers-{day}-{page:03d}.json"
                )
                documents.append(document)
                self.check(document)
                if len(load_json(document.body)) < PAGE_SIZE:
                    break
        return documents

    @classmethod
    def read(cls, documents: Mapping[str, bytes]) -> Parsed:
        """Each paper once, from the latest list that has it: its upvotes as last seen."""
        items = (
            item
            for name in sorted(documents, reverse=True)
            for item in items_in(json_document(documents[name], name), name)
        )
        return parse_items(DailyPaper, items, _post, cls.name)


class _User(Item):
    name: str = ""
    fullname: str | None = None


class _Paper(Item):
    id: Annotated[str, StringConstraints(pattern=r"^[\w.\-/]{1,40}$")]
    title: str | None = None
    upvotes: int
    """Its engagement: a paper page without it is malformed, never a post scored 0."""
    githubRepo: str | None = None  # noqa: N815 - Hugging Face's names
    projectPage: str | None = None  # noqa: N815
    githubStars: int | None = None  # noqa: N815
    submittedOnDailyAt: str | None = None  # noqa: N815
    submittedOnDailyBy: _User | None = None  # noqa: N815


class DailyPaper(Item):
    """An entry of a daily list as ``_post`` reads it."""

    paper: _Paper
    title: str | None = None
    numComments: int = 0  # noqa: N815
    publishedAt: str | None = None  # noqa: N815
    submittedBy: _User | None = None  # noqa: N815


def _post(item: DailyPaper, raw: Any) -> Post:
    paper = item.paper
    submitter = paper.submittedOnDailyBy or item.submittedBy or _User()
    url = page_on("huggingface.co", "papers", paper.id)
    metrics = {"upvotes": paper.upvotes, "comments": item.numComments}
    if paper.githubStars is not None:
        metrics["github_stars"] = paper.githubStars
    return Post(
        source="huggingface",
        id=paper.id,
        url=url,
        author_name=submitter.fullname or submitter.name or "Hugging Face",
        author_handle=submitter.name,
        text=" ".join((paper.title if paper.title is not None else item.title or "").split()),
        created_at=paper.submittedOnDailyAt or item.publishedAt or "",
        metrics=metrics,
        links=(url, *(link for link in (paper.githubRepo, paper.projectPage) if link)),
    )

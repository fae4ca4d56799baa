"""GitHub: the stars of a paper's code repository, a paper-level signal.

A paper's repository is the one Hugging Face names for it (``githubRepo``) or else the first
GitHub repository linked from its arXiv comment or abstract. Where Hugging Face also gives
the stars (``githubStars``), that figure is used as is: a total. Otherwise the REST API is
asked (a token is optional; without one GitHub allows 60 requests an hour): the repository's
``stargazers_count``, then its newest stargazer pages (``starred_at``), back to the window's
start, to count the stars gained in the window. If those pages do not reach back that far, the
total is shown and labelled as one.

Stars are shown in the counts line but add nothing to a paper's score: a total is not
attention of the day, and a repository can be shared by several papers. So repositories are
asked for only for papers whose posts could list them.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from pydantic import Field

from hotpapers.catalogue import CATALOGUE
from hotpapers.config import Settings
from hotpapers.credentials import MissingCredentialError, credential
from hotpapers.documents import load_json
from hotpapers.linking import find_github_repos, link_posts
from hotpapers.models import Paper, Post, RawDocument
from hotpapers.observability import logger
from hotpapers.sources.base import (
    Day,
    FetchRequest,
    Instant,
    Item,
    MalformedDocumentError,
    PaperSignal,
    instant,
    is_valid,
    items_in,
    json_document,
)
from hotpapers.upstream import RateLimitReset, UpstreamError, endpoint

PER_PAGE = 100
# Asking it "does not count against your REST API rate limit" (docs.github.com/en/rest/rate-limit).
RATE_LIMIT_PATH = "/rate_limit"
# GitHub refuses stargazer pages past the 400th ("pagination is limited for this resource").
LAST_LISTABLE_PAGE = 400
STAR_MEDIA_TYPE = "application/vnd.github.star+json"
# A repository that is gone, private, or blocked is a fact about it, not a failure of GitHub.
UNAVAILABLE = (404, 410, 451)
# GitHub's longest repository name: a longer one in a link is no repository, and its name, which
# names the stored documents, would pass no store's key limits.
MAX_NAME = 100


@dataclass(frozen=True)
class CodeRepository:
    """A paper's repository as chosen from its links, with Hugging Face's star count if it gave one."""

    name: str
    """``owner/name``, lower case."""
    hf_stars: int | None = None


def repository_of(paper: Paper, posts: list[Post]) -> CodeRepository | None:
    """The paper's code repository: Hugging Face's, else the first linked from its comment or abstract."""
    for post in posts:
        if post.source == "huggingface":
            for name in _named(find_github_repos(post.links)):
                return CodeRepository(name, post.metrics.get("github_stars"))
    for name in _named(find_github_repos([paper.comment or "", paper.abstract])):
        return CodeRepository(name)
    return None


def _named(repositories: list[str]) -> list[str]:
    """The repositories whose name GitHub could have given (owners are already at most 39 letters)."""
    return [repository for repository in repositories if len(repository.split("/", 1)[1]) <= MAX_NAME]


def _key(repository: str) -> str:
    # Account names cannot hold "_", so the first "__" always separates owner from name.
    return repository.replace("/", "__", 1)


def _repository(key: str) -> str:
    return key.replace("__", "/", 1)


class GitHub(PaperSignal):
    entry = CATALOGUE["github"]
    # GitHub's reset header holds the instant the window resets, in Unix seconds.
    rate_limit_reset = RateLimitReset("x-ratelimit-reset", epoch=True)

    @classmethod
    def session_headers(cls, settings: Settings) -> dict[str, str]:
        return {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}

    def fetch(self, request: FetchRequest) -> list[RawDocument]:
        """Nothing yet: which repositories matter is known only once the day's papers are."""
        return []

    def enrich(self, request: FetchRequest, day: Day) -> list[RawDocument]:
        settings = request.settings
        linked = link_posts(day.posts, set(day.papers))
        wanted: dict[str, None] = {}
        for paper_id in sorted(day.attention, key=lambda paper_id: (-day.attention[paper_id], paper_id)):
            # Stars never add to a score, so a paper whose posts cannot list it needs none.
            if day.attention[paper_id] < settings.min_score:
                continue
            chosen = repository_of(day.papers[paper_id], linked.get(paper_id, []))
            if chosen is not None and chosen.hf_stars is None:
                wanted.setdefault(chosen.name)
        if len(wanted) > settings.github_max_repos:
            logger.warning(
                "github stopped at the repository limit",
                extra={"wanted": len(wanted), "read": settings.github_max_repos},
            )
        headers = self._authorization(settings)
        fetched: list[RawDocument] = []
        for repository in list(wanted)[: settings.github_max_repos]:
            try:
                self._repository(request, repository, headers, fetched)
            except UpstreamError as exc:
                if not exc.rate_limited:
                    raise
                # A rate limit outlasting the session's waits costs the remaining repositories
                # their figures, never the source: what was read stands, partial stargazer pages
                # show as labelled totals, and the counts are marked as possibly incomplete.
                logger.warning("github rate limit: repositories left unread", extra={"from": repository})
                self.cut_short(f"rate limit: repositories from {repository} left unread")
                break
        return fetched

    def probe(self, request: FetchRequest) -> list[RawDocument]:
        """The rate-limit status, with the token if there is one: the fetch asks nothing until a
        day's papers are known, and this request counts against no limit."""
        url = endpoint(request.settings.urls["github_api"], RATE_LIMIT_PATH)
        return [self.get_json(url, params={}, name="rate_limit.json", headers=self._authorization(request.settings))]

    def _authorization(self, settings: Settings) -> dict[str, str]:
        try:
            return {"Authorization": f"Bearer {credential(settings, 'github_token')}"}
        except MissingCredentialError:
            # The token only raises GitHub's rate limit; without it the source still works.
            return {}

    def _repository(
        self, request: FetchRequest, repository: str, headers: dict[str, str], documents: list[RawDocument]
    ) -> None:
        """The repository's document and its newest stargazer pages, back to the window's start,
        added to ``documents`` as they arrive (so that a rate limit keeps what was read)."""
        api = endpoint(request.settings.urls["github_api"], f"/repos/{repository}")
        try:
            document = self.get_json(api, params={}, name=f"repo-{_key(repository)}.json", headers=headers)
        except UpstreamError as exc:
            if exc.status not in UNAVAILABLE:
                raise
            logger.warning("github repository unavailable", extra={"repository": repository, "status": exc.status})
            return
        if not is_valid(RepositoryDocument, load_json(document.body)):
            raise self.malformed(document.url, "stargazers_count")
        documents.append(document)
        stars = RepositoryDocument.model_validate(load_json(document.body)).stargazers_count
        last = math.ceil(stars / PER_PAGE)
        if last > LAST_LISTABLE_PAGE:
            return
        for page in range(last, max(0, last - self.limits.max_pages), -1):
            stargazers = self.get_json(
                api + "/stargazers",
                params={"per_page": PER_PAGE, "page": page},
                name=f"stargazers-{_key(repository)}-{page:04d}.json",
                headers={**headers, "Accept": STAR_MEDIA_TYPE},
            )
            documents.append(stargazers)
            try:
                starred = _star_times(stargazers.body, stargazers.name)
            except MalformedDocumentError as exc:
                raise self.malformed(stargazers.url, exc.expected) from exc
            if any(moment < request.window.start for moment in starred):
                break

    @classmethod
    def paper_counts(
        cls,
        documents: Mapping[str, bytes],
        since: datetime,
        papers: Mapping[str, Paper],
        linked: Mapping[str, list[Post]],
    ) -> dict[str, dict[str, int]]:
        stars = _stars(documents, since)
        counts: dict[str, dict[str, int]] = {}
        for paper_id, posts in linked.items():
            repository = repository_of(papers[paper_id], posts)
            if repository is None:
                continue
            if repository.name in stars:
                total, gained = stars[repository.name]
                counts[paper_id] = {"stars": gained} if gained is not None else {"stars_total": total}
            elif repository.hf_stars is not None:
                counts[paper_id] = {"stars_total": repository.hf_stars}
        return counts


class RepositoryDocument(Item):
    stargazers_count: Annotated[int, Field(ge=0)]


class Star(Item):
    starred_at: Instant


def _star_times(body: bytes, name: str) -> list[datetime]:
    """When each star of a stargazer page was given; malformed stars are left out."""
    stars = items_in(json_document(body, name), name)
    return [instant(star["starred_at"]) for star in stars if is_valid(Star, star)]


_STARGAZER_PAGE = re.compile(r"stargazers-(?P<key>.+)-(?P<page>\d{1,6})\.json")


def _stars(documents: Mapping[str, bytes], since: datetime) -> dict[str, tuple[int, int | None]]:
    """Each stored repository's total stars, and the stars gained since ``since`` if the stored
    stargazer pages reach back that far (``None`` if they do not)."""
    pages: dict[str, dict[int, list[datetime]]] = defaultdict(dict)
    # By name first: each stored document is read once (a snapshot reads them from the store).
    for name in documents:
        page = _STARGAZER_PAGE.fullmatch(name)
        if page:
            pages[_repository(page["key"])][int(page["page"])] = _star_times(documents[name], name)
    stars: dict[str, tuple[int, int | None]] = {}
    for name in documents:
        if not name.startswith("repo-"):
            continue
        repository = _repository(name.removeprefix("repo-").removesuffix(".json"))
        answer = json_document(documents[name], name)
        if not is_valid(RepositoryDocument, answer):
            raise MalformedDocumentError(name, "stargazers_count")
        total = RepositoryDocument.model_validate(answer).stargazers_count
        starred = [moment for moments in pages[repository].values() for moment in moments]
        complete = total == 0 or 1 in pages[repository] or any(moment < since for moment in starred)
        stars[repository] = (total, sum(moment >= since for moment in starred) if complete else None)
    return stars

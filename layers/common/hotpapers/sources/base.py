"""The interface every attention source implements.

A source fetches what its upstream says, untouched (``fetch``, then optionally ``enrich``
once the day's papers are known), and later turns those stored documents into ``Post``s
(``parse``). Interpretation (linking, counting, ranking) belongs to the score step.

Most sources are posts about papers. A ``PaperSignal`` source instead describes papers
themselves (the stars of their code): its figures join a paper's counts line, but it has no
posts and adds nothing to the score.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

import requests

from hotpapers.config import Settings, SourceLimits
from hotpapers.models import Paper, Post, RawDocument
from hotpapers.schedule import Window
from hotpapers.upstream import UpstreamError, make_session, send

# The longest Retry-After a source waits for; a longer one is waited this long, then retried.
MAX_RETRY_AFTER = 60.0


@dataclass(frozen=True)
class FetchRequest:
    """What a source needs to know to fetch one digest's attention."""

    window: Window
    now: datetime
    settings: Settings

    @property
    def posts_since(self) -> datetime:
        """Where every post search starts: the window's announcement. arXiv assigns a paper its id
        (and its abs page) only when it announces it, so no earlier post can link it; reading
        earlier only spends page caps, and X's billed reads, on posts about other days."""
        return min(self.window.announced, self.now)

    @property
    def posts_until(self) -> datetime:
        """Where every post search ends: now, or ``HOTPAPERS_POSTS_DAYS`` after the announcement
        for a backfill, so that an old day counts the posts of its own first days."""
        return min(self.now, self.window.announced + timedelta(days=self.settings.posts_days))


class OutOfReach(Exception):  # noqa: N818 - reads as the condition it names
    """The whole time range asked for lies beyond what the source's API can search: not a
    failure of the source, and no request was sent."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


@dataclass(frozen=True)
class Day:
    """What the fetch step knows once arXiv has answered, for ``enrich``."""

    papers: Mapping[str, Paper]
    """The day's papers by id."""
    posts: tuple[Post, ...]
    """Every post the post sources fetched (reposts included, as upstream sent them)."""
    attention: Mapping[str, int]
    """Each discussed paper's summed post engagement, before any per-account cap."""


class Source(ABC):
    """One upstream of posts about papers."""

    name: ClassVar[str]
    """Short id used in ``HOTPAPERS_SOURCES``, raw keys and metrics."""
    tag: ClassVar[str]
    """How the digest's front matter names the source."""
    counts: ClassVar[tuple[tuple[str, str], ...]]
    """(metric, label) pairs summed into the Markdown counts line, in order."""
    engagement_metrics: ClassVar[tuple[str, ...]]
    """Metrics whose sum is a post's engagement."""
    engagement_is_the_authors: ClassVar[bool] = True
    """Whether a post's engagement follows from its author posting it. The per-account cap applies
    only then: a Hugging Face paper page's upvotes are not its submitter's doing."""

    def __init__(self, session: requests.Session, limits: SourceLimits) -> None:
        self.session = session
        self.limits = limits

    @classmethod
    def connect(cls, settings: Settings) -> Source:
        """The source with its own session: its retries, backoff and headers."""
        limits = settings.limits[cls.name]
        session = make_session(
            retries=limits.retries,
            backoff=limits.backoff,
            max_retry_after=MAX_RETRY_AFTER,
            headers=cls.session_headers(settings),
        )
        return cls(session, limits)

    @classmethod
    def session_headers(cls, settings: Settings) -> dict[str, str]:
        """Headers every request of this source carries (beyond the project's User-Agent)."""
        return {}

    @abstractmethod
    def fetch(self, request: FetchRequest) -> list[RawDocument]:
        """Everything upstream said about arXiv papers in the request's window."""

    def enrich(self, request: FetchRequest, day: Day) -> list[RawDocument]:
        """Further documents worth keeping once the day's papers and posts are known (e.g. embeds)."""
        return []

    @classmethod
    @abstractmethod
    def parse(cls, documents: Mapping[str, bytes]) -> list[Post]:
        """The posts in stored documents (keyed by document name), each once."""

    @classmethod
    def engagement(cls, post: Post) -> int:
        return sum(post.metrics.get(metric, 0) for metric in cls.engagement_metrics)

    def get_json(self, url: str, *, params: Mapping[str, Any], name: str, **kwargs: Any) -> RawDocument:
        """GET a JSON document, checked to parse, kept as the exact bytes received."""
        response = send(
            self.session, self.name, "GET", url, params=dict(params), **{"timeout": self.limits.timeout, **kwargs}
        )
        self.decode(response, url)
        return RawDocument(
            name=name,
            body=response.content,
            url=response.url,
            status=response.status_code,
            content_type="application/json",
        )

    def post_json(self, url: str, **kwargs: Any) -> Any:
        """POST (once: the session retries only idempotent requests) and decode the JSON answer.

        For logins and tokens, whose answers hold secrets: they are read, never stored.
        """
        response = send(self.session, self.name, "POST", url, **{"timeout": self.limits.timeout, **kwargs})
        return self.decode(response, url)

    def decode(self, response: requests.Response, url: str) -> Any:
        """The JSON in ``response``, or ``UpstreamError`` if it is malformed."""
        try:
            return json.loads(response.content)
        except ValueError as exc:
            raise UpstreamError(self.name, f"{url} answered with malformed JSON") from exc

    def malformed(self, url: str, expected: str) -> UpstreamError:
        """The error for a well-formed answer that is not the documented shape."""
        return UpstreamError(self.name, f"{url} answered JSON without {expected}")

    def require_items(self, url: str, items: Any, key: str, what: str) -> list[dict[str, Any]]:
        """``items`` if it is a list of objects that all have ``key``; else ``malformed``, so that
        ``parse`` can rely on what a fetch stored."""
        if not isinstance(items, list) or not all(isinstance(item, dict) and key in item for item in items):
            raise self.malformed(url, f"{what}, each with {key}")
        return items


class PaperSignal(Source):
    """A source that describes papers rather than posting about them.

    Its figures are shown in the counts line of papers listed for their posts; they add nothing
    to a score and no post is shown for them.
    """

    engagement_metrics = ()

    @classmethod
    def parse(cls, documents: Mapping[str, bytes]) -> list[Post]:
        """A paper signal has no posts."""
        return []

    @classmethod
    @abstractmethod
    def paper_counts(
        cls,
        documents: Mapping[str, bytes],
        since: datetime,
        papers: Mapping[str, Paper],
        linked: Mapping[str, list[Post]],
    ) -> dict[str, dict[str, int]]:
        """Each linked paper's figures (metric: value) from stored documents, given its posts;
        ``since`` is the start of the window whose gains are counted."""

"""The interface every attention source implements.

A source fetches what its upstream says, untouched (``fetch``, then optionally ``enrich``
once the day's paper ids are known), and later turns those stored documents into ``Post``s
(``parse``). Interpretation (linking, counting, ranking) belongs to the score step.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

import requests

from hotpapers.config import Settings
from hotpapers.models import Post, RawDocument
from hotpapers.schedule import Window
from hotpapers.upstream import UpstreamError, get


@dataclass(frozen=True)
class FetchRequest:
    """What a source needs to know to fetch one digest's attention."""

    window: Window
    now: datetime
    settings: Settings


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

    def __init__(self, session: requests.Session) -> None:
        self.session = session

    @abstractmethod
    def fetch(self, request: FetchRequest) -> list[RawDocument]:
        """Everything upstream said about arXiv papers in the request's window."""

    def enrich(
        self, request: FetchRequest, documents: list[RawDocument], paper_ids: set[str]
    ) -> list[RawDocument]:
        """Further documents worth keeping once the day's papers are known (e.g. embeds)."""
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
        response = get(self.session, self.name, url, params=dict(params), **kwargs)
        try:
            json.loads(response.content)
        except ValueError as exc:
            raise UpstreamError(self.name, f"{url} answered with malformed JSON") from exc
        return RawDocument(
            name=name,
            body=response.content,
            url=response.url,
            status=response.status_code,
            content_type="application/json",
        )

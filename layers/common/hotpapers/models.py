"""The nouns every stage shares: a paper, a post, and a raw upstream document."""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False, sort_keys=True)


def json_bytes(document: Any) -> bytes:
    """A document as every stored and published JSON file is written: sorted keys, indented, UTF-8,
    one final newline, so the same document always gives the same bytes.

    Written piece by piece: ``json.dumps`` with an indent joins a list of all its pieces, which
    for a big day's 8 MB scored document held some 40 MB at once, the score step's peak.
    """
    written = io.BytesIO()
    for piece in _ENCODER.iterencode(document):
        written.write(piece.encode())
    written.write(b"\n")
    return written.getvalue()


def iso_utc(moment: datetime) -> str:
    """An instant as the pipeline writes it everywhere: ISO 8601, UTC, to the second, with ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Paper:
    """One arXiv paper, normalised: id without version, whitespace collapsed, primary category first."""

    id: str
    version: int
    title: str
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    abstract: str
    published: str
    updated: str
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.id}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = list(self.authors)
        data["categories"] = list(self.categories)
        return data


@dataclass(frozen=True, slots=True)
class Entities:
    """What of a post's text its markup makes links of: each link as written (X's t.co address)
    with the label it shows, and the mentioned accounts and hashtags it links (lower case).

    Kept instead of the markup itself, which is built only for the few posts a digest shows
    (``Source.shown``): a big day has 80,000 X posts and shows at most ten a paper.
    """

    links: tuple[tuple[str, str], ...] = ()
    mentions: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Post:
    """One post about papers, as an attention source reported it.

    ``links`` holds every URL the upstream resolved for the post (never the shortened ones),
    ``metrics`` the raw counters (retweets, likes, upvotes, ...), ``html`` the post's embed
    markup, rebuilt from the parts of the upstream's oEmbed answer or from its API fields
    (``markup.rebuilt``: never the upstream's markup as sent), ``venue`` where in
    its source the post appeared when that matters to a reader (a subreddit), and ``entities``
    what the source needs to build the post's markup once the post is shown; they are not part of
    the post as a digest stores it (``to_dict``). Slotted: a big day holds tens of thousands.
    """

    source: str
    id: str
    url: str
    author_name: str
    author_handle: str
    text: str
    created_at: str
    metrics: dict[str, int]
    links: tuple[str, ...] = ()
    is_repost: bool = False
    html: str | None = None
    lang: str | None = None
    venue: str | None = None
    entities: Entities | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(replace(self, entities=None))
        del data["entities"]
        data["links"] = list(self.links)
        return data


@dataclass(frozen=True)
class RawDocument:
    """An upstream response body kept byte for byte, with where and when it came from."""

    name: str
    body: bytes
    url: str
    status: int
    content_type: str = "application/octet-stream"
    meta: dict[str, Any] = field(default_factory=dict)

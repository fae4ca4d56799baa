"""The arXiv API: query one announcement window, page through it politely, parse the Atom feed.

arXiv asks for at most one request every three seconds, so pages (and retries) are spaced by
``delay`` seconds. The API sometimes answers a valid page with no entries although
``totalResults`` says more remain; such a page is asked for again.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import requests

from hotpapers.models import Paper, RawDocument, iso_utc
from hotpapers.observability import logger
from hotpapers.schedule import Window
from hotpapers.upstream import UpstreamError, get

PAGE_SIZE = 2000
API_PATH = "/api/query"
EMPTY_PAGE_RETRIES = 3
# Only id characters: an id lands in URLs and Markdown links.
_VERSIONED_ID = re.compile(r"arxiv\.org/abs/(?P<id>[A-Za-z0-9.\-/]+?)(?:v(?P<version>\d+))?$")


class ArxivError(UpstreamError):
    """The arXiv API failed or answered with an error feed."""

    def __init__(self, message: str) -> None:
        super().__init__("arxiv", message)


@dataclass(frozen=True)
class Feed:
    """One parsed page: its papers and the paging counters arXiv reported."""

    papers: list[Paper]
    total: int
    start: int


def search_query(window: Window, categories: Iterable[str]) -> str:
    """``submittedDate:[start TO end] AND (cat:a OR cat:b ...)``; arXiv's range is inclusive by minute."""
    last_minute = window.end - timedelta(minutes=1)
    cats = " OR ".join(f"cat:{category}" for category in categories)
    return f"submittedDate:[{window.start:%Y%m%d%H%M} TO {last_minute:%Y%m%d%H%M}] AND ({cats})"


def fetch_window(
    session: requests.Session,
    api_url: str,
    window: Window,
    categories: Iterable[str],
    *,
    delay: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    page_size: int = PAGE_SIZE,
) -> list[RawDocument]:
    """Every page of the window's query, as fetched; raises ``ArxivError`` when arXiv fails."""
    query = search_query(window, list(categories))
    pages: list[RawDocument] = []
    start, total, empty_retries = 0, 0, 0
    last_request: float | None = None
    while True:
        if last_request is not None:
            sleep(max(0.0, delay - (clock() - last_request)))
        params = {
            "search_query": query,
            "start": start,
            "max_results": page_size,
            "sortBy": "submittedDate",
            "sortOrder": "ascending",
        }
        try:
            response = get(session, "arxiv", api_url, params=params, timeout=120)
        except UpstreamError as exc:
            raise ArxivError(str(exc).removeprefix("arxiv: ")) from exc
        # Counted from the answer, not the question, so no two requests ever arrive closer.
        last_request = clock()
        feed = parse_feed(response.content)
        # A glitching page may also report totalResults=0; the largest total seen stands.
        total = max(total, feed.total)
        if not feed.papers and (start < total or start == 0):
            empty_retries += 1
            if empty_retries <= EMPTY_PAGE_RETRIES:
                logger.warning("arxiv page came back empty; asking again", extra={"start": start, "total": total})
                continue
            if start < total:
                raise ArxivError(f"page at start={start} stayed empty although totalResults={total}")
            break  # asked again and again: the window really holds no paper
        empty_retries = 0
        pages.append(
            RawDocument(
                name=f"page-{start:06d}.xml",
                body=response.content,
                url=response.url,
                status=response.status_code,
                content_type="application/atom+xml",
                meta={"start": start, "entries": len(feed.papers), "total": total},
            )
        )
        logger.info("arxiv page fetched", extra={"start": start, "entries": len(feed.papers), "total": total})
        start += len(feed.papers)
        if start >= total:
            return pages
    return pages


def parse_feed(body: bytes) -> Feed:
    """Parse one Atom page of the late-2025 API format; an error feed raises ``ArxivError``."""
    parsed: Any = feedparser.parse(body)
    if parsed.bozo and not parsed.entries and "opensearch_totalresults" not in parsed.feed:
        raise ArxivError(f"unreadable Atom feed: {parsed.get('bozo_exception')!r}")
    for entry in parsed.entries:
        if entry.get("title") == "Error" and "/api/errors" in entry.get("id", ""):
            raise ArxivError(f"API error: {entry.get('summary', '').strip()}")
    total = int(parsed.feed.get("opensearch_totalresults", 0))
    start = int(parsed.feed.get("opensearch_startindex", 0))
    return Feed(papers=[_paper(entry) for entry in parsed.entries], total=total, start=start)


def parse_pages(bodies: Iterable[bytes]) -> list[Paper]:
    """All papers of a snapshot's pages, each once (cross-lists and page overlaps removed)."""
    papers: dict[str, Paper] = {}
    for body in bodies:
        for paper in parse_feed(body).papers:
            papers.setdefault(paper.id, paper)
    return list(papers.values())


def _title(text: str) -> str:
    """A title on one line, its spacing otherwise as arXiv has it.

    The seed's titles keep arXiv's doubled spaces ("Foresight in  Artificial Intelligence"):
    the digest joins wrapped title lines without touching their indentation, and so do we, so a
    day's titles read exactly as in the seed format. Abstracts and names are collapsed.
    """
    return text.replace("\r", "").replace("\n", "").strip()


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _paper(entry: Any) -> Paper:
    match = _VERSIONED_ID.search(entry.id)
    if match is None:
        raise ArxivError(f"entry id {entry.id!r} is not an arXiv abs URL")
    primary = entry.get("arxiv_primary_category", {}).get("term")
    categories = [tag["term"] for tag in entry.get("tags", [])]
    if primary:
        categories = [primary, *(term for term in categories if term != primary)]
    return Paper(
        id=match["id"],
        version=int(match["version"] or 1),
        title=_title(entry.title),
        authors=tuple(_collapse(author["name"]) for author in entry.get("authors", [])),
        categories=tuple(dict.fromkeys(categories)),
        abstract=_collapse(entry.get("summary", "")),
        published=_utc(entry.get("published_parsed")),
        updated=_utc(entry.get("updated_parsed")),
        comment=_optional(entry.get("arxiv_comment")),
        journal_ref=_optional(entry.get("arxiv_journal_ref")),
        doi=_optional(entry.get("arxiv_doi")),
    )


def _optional(value: str | None) -> str | None:
    return _collapse(value) if value else None


def _utc(parsed: time.struct_time | None) -> str:
    if parsed is None:
        return ""
    return iso_utc(datetime(*parsed[:6], tzinfo=UTC))

"""The arXiv API: query one announcement window, page through it politely, parse the Atom feed.

arXiv asks for at most one request every three seconds, so pages (and retries) are spaced by
``delay`` seconds. No answer is used before it is proven whole: the API sometimes answers a valid
page with no entries although ``totalResults`` says more remain, a connection may close half-way
through a body, and a throttled client may get an HTML page with status 200. Each is asked again,
and a page that stays unusable fails the fetch rather than thin out a digest.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests

from hotpapers.models import Paper, RawDocument, iso_utc
from hotpapers.observability import logger
from hotpapers.schedule import Window, parse_utc
from hotpapers.upstream import IncompleteBodyError, UpstreamError, get

PAGE_SIZE = 2000
API_PATH = "/api/query"
REQUEST_TIMEOUT = 120.0
# How many times a page that cannot be used as it stands (truncated, malformed, not Atom, fewer
# entries than its counters promise, or empty) is asked again before the fetch gives up.
PAGE_RETRIES = 3
# Only id characters: an id lands in URLs and Markdown links.
_VERSIONED_ID = re.compile(r"arxiv\.org/abs/(?P<id>[A-Za-z0-9.\-/]+?)(?:v(?P<version>\d+))?$")


class ArxivError(UpstreamError):
    """The arXiv API failed or answered with an error feed."""

    def __init__(self, message: str) -> None:
        super().__init__("arxiv", message)


class UnusableAnswerError(ArxivError):
    """An answer that cannot be used as it stands: asking again may give a complete one."""


@dataclass(frozen=True)
class Feed:
    """One parsed page: its papers and the paging counters arXiv reported."""

    papers: list[Paper]
    total: int
    start: int


@dataclass(frozen=True)
class Page:
    """A fetched page as stored, and what it was parsed into when it was proven whole."""

    document: RawDocument
    feed: Feed


def search_query(window: Window, categories: Iterable[str]) -> str:
    """``submittedDate:[start TO end] AND (cat:a OR cat:b ...)``, both bounds on the minute.

    arXiv's API backend (arXiv/arxiv-search, ``search/services/index/prepare.py``,
    ``_query_submittedDate``, read at 764d7ebd of 2026-07-01) turns ``[A TO B]`` into the range
    ``gte A:00, lte B:00`` on ``submitted_date_first``, which carries seconds. Asking up to
    ``end`` therefore includes 13:59:00-13:59:59 ET (and a paper at exactly 14:00:00), where
    ``end - 1 min`` lost that busy last minute; ``parse_pages`` keeps exactly ``start <= published
    < end``, so a paper at 14:00:00 ET belongs to the next day's window.
    """
    cats = " OR ".join(f"cat:{category}" for category in categories)
    return f"submittedDate:[{window.start:%Y%m%d%H%M} TO {window.end:%Y%m%d%H%M}] AND ({cats})"


class Pacer:
    """When arXiv last answered this process, so that no request follows an answer sooner than the
    delay: across pages and retries, and across calls too (a backfill's days one after the other, a
    warm Lambda container's next invocation)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._last: float | None = None
        self._lock = threading.Lock()

    def wait(self, delay: float, sleep: Callable[[float], None]) -> None:
        """Sleep out what is left of ``delay`` since the last answer."""
        with self._lock:
            last = self._last
        if last is not None:
            sleep(max(0.0, delay - (self.clock() - last)))

    def answered(self) -> None:
        """Counted from the answer, not the question, so no two requests ever arrive closer: a
        request's own latency may be shorter than its predecessor's."""
        with self._lock:
            self._last = self.clock()


PACER = Pacer()


def fetch_window(
    session: requests.Session,
    api_url: str,
    window: Window,
    categories: Iterable[str],
    *,
    delay: float,
    sleep: Callable[[float], None] = time.sleep,
    pacer: Pacer = PACER,
    page_size: int = PAGE_SIZE,
    name: str = "page",
) -> list[Page]:
    """Every page of the window's query, each proven complete, as fetched and as parsed; each
    stored document is named ``<name>-<start>.xml``.

    A page is used only when it is a well-formed Atom feed whose entries are all whole and number
    what ``totalResults``, ``startIndex`` and the page size promise. Anything else (a truncated
    body, an HTML page, a short page, arXiv's empty-page glitch) is asked again, ``delay`` after
    the previous answer, up to ``PAGE_RETRIES`` times, then the fetch fails with ``ArxivError``.
    An empty window (no announcement) is believed only when at least two well-formed answers say
    ``totalResults`` 0 and the last ask says so too.
    """
    query = search_query(window, list(categories))
    pages: list[Page] = []
    start, total, retries, empty_answers = 0, 0, 0, 0
    while True:
        pacer.wait(delay, sleep)
        params = {
            "search_query": query,
            "start": start,
            "max_results": page_size,
            "sortBy": "submittedDate",
            "sortOrder": "ascending",
        }
        try:
            try:
                response = _ask(session, api_url, params)
            finally:
                # The delay runs from the answer (or the failure), so the page is parsed and
                # checked while it runs, not before it.
                pacer.answered()
            feed = parse_feed(response.content)
            # A glitching page may report totalResults=0; the largest total seen stands.
            _check_page(feed, start, max(total, feed.total), page_size)
        except UnusableAnswerError as exc:
            problem: str = str(exc).removeprefix("arxiv: ")
            said_empty = False
        else:
            total = max(total, feed.total)
            if feed.papers:
                retries = 0
                pages.append(Page(_document(response, feed, start, total, name), feed))
                logger.info("arxiv page fetched", extra={"start": start, "entries": len(feed.papers), "total": total})
                start += len(feed.papers)
                if start >= total:
                    return pages
                continue
            empty_answers += 1
            problem, said_empty = "a well-formed answer with no paper (totalResults 0)", True
        retries += 1
        if retries > PAGE_RETRIES:
            # The last ask said the window is empty, as an earlier one did: that is believed.
            if said_empty and empty_answers >= 2:
                return pages  # asked again and again: the window really holds no paper
            raise ArxivError(f"page at start={start} stayed unusable after {retries} asks: {problem}")
        logger.warning("arxiv page unusable; asking again", extra={"start": start, "problem": problem})


def _ask(session: requests.Session, api_url: str, params: dict[str, Any]) -> requests.Response:
    """One request for one page, read whole; ``UnusableAnswerError`` when it is cut short or not Atom."""
    try:
        response = get(session, "arxiv", api_url, params=params, timeout=REQUEST_TIMEOUT)
    except IncompleteBodyError as exc:
        raise UnusableAnswerError(str(exc).removeprefix("arxiv: ")) from exc
    except UpstreamError as exc:
        raise ArxivError(str(exc).removeprefix("arxiv: ")) from exc
    content_type = response.headers.get("Content-Type", "")
    if content_type and "xml" not in content_type.lower():
        raise UnusableAnswerError(f"answered {content_type.split(';')[0].strip()!r}, not an Atom feed")
    return response


def ask_once(session: requests.Session, api_url: str, params: dict[str, Any]) -> Feed:
    """One page, asked once and parsed (``hotpapers doctor``'s small request); any fault raises."""
    return parse_feed(_ask(session, api_url, params).content)


def _check_page(feed: Feed, start: int, total: int, page_size: int) -> None:
    """``UnusableAnswerError`` unless the page holds exactly the entries its counters promise."""
    if feed.start != start:
        raise UnusableAnswerError(f"asked for start={start}, answered startIndex={feed.start}")
    if start == 0 and total == 0:
        return  # claims an empty window: the caller asks again to confirm
    expected = min(page_size, total - start)
    if expected <= 0 or len(feed.papers) != expected:
        raise UnusableAnswerError(
            f"page at start={start} holds {len(feed.papers)} entries where totalResults={total} "
            f"and max_results={page_size} promise {max(expected, 0)}"
        )


def _document(response: requests.Response, feed: Feed, start: int, total: int, name: str) -> RawDocument:
    return RawDocument(
        name=f"{name}-{start:06d}.xml",
        body=response.content,
        url=response.url,
        status=response.status_code,
        content_type="application/atom+xml",
        meta={"start": start, "entries": len(feed.papers), "total": total},
    )


def parse_feed(body: bytes) -> Feed:
    """Parse one Atom page of the late-2025 API format.

    An error feed raises ``ArxivError``; anything that is not a well-formed arXiv Atom feed with
    whole entries (id, title, authors, categories, published) raises ``UnusableAnswerError``.
    """
    # Imported when a page is parsed: the score handler reaches this module (through scoring)
    # but reads the papers the fetch step sealed, and parses pages only for a snapshot sealed
    # without them (or with an older papers format); feedparser would be a fifth of its cold
    # start's imports.
    import feedparser

    try:
        # One trusted dialect whose fields are text: nothing to sanitise or resolve, and the
        # render step escapes everything it shows.
        parsed: Any = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    except (ValueError, LookupError) as exc:  # feedparser's own, on a garbled encoding declaration
        raise UnusableAnswerError(f"unreadable Atom feed: {type(exc).__name__}") from exc
    if parsed.get("bozo"):
        raise UnusableAnswerError(f"unreadable Atom feed: {parsed.get('bozo_exception')!r}")
    feed = parsed.get("feed", {})
    if parsed.get("version") != "atom10" or "opensearch_totalresults" not in feed:
        raise UnusableAnswerError("unreadable Atom feed: not an arXiv API answer (no Atom feed with totalResults)")
    entries = parsed.get("entries", [])
    for entry in entries:
        if entry.get("title") == "Error" and "/api/errors" in entry.get("id", ""):
            raise ArxivError(f"API error: {_collapse(str(entry.get('summary', '')))}")
    try:
        total = int(feed["opensearch_totalresults"])
        start = int(feed.get("opensearch_startindex", 0))
    except (TypeError, ValueError) as exc:
        raise UnusableAnswerError("unreadable Atom feed: paging counters are not numbers") from exc
    if total < 0 or start < 0:
        raise UnusableAnswerError("unreadable Atom feed: negative paging counters")
    return Feed(papers=[_paper(number, entry) for number, entry in enumerate(entries)], total=total, start=start)


def parse_pages(bodies: Iterable[bytes], window: Window, also: Collection[str] = ()) -> list[Paper]:
    """The window's papers in a snapshot's pages, each once (cross-lists and page overlaps removed).

    Exactly ``window.start <= published < window.end``: the query's end bound is inclusive (see
    ``search_query``), and a paper submitted at the cutoff itself belongs to the next window.
    ``also`` names papers kept wherever they were submitted (announced late, ``hotpapers.late``).
    """
    return window_papers((parse_feed(body) for body in bodies), window, also)


PAPERS_FORMAT = 1
"""The format of a sealed papers document (``papers_document``). Raised whenever a change to the
parsing above would make other papers of the same pages: a day sealed with another format is
then parsed again from its pages when it is scored."""


def papers_document(papers: Iterable[Paper]) -> bytes:
    """The window's papers as the fetch step parsed them, to seal beside the pages they came from:
    the score step reads them instead of parsing a big day's pages again (feedparser over 3,000
    entries was a quarter of its time, docs/performance.md)."""
    return json.dumps({"format": PAPERS_FORMAT, "papers": [paper.to_dict() for paper in papers]}).encode()


def sealed_papers(body: bytes) -> list[Paper] | None:
    """The papers of a ``papers_document``, or ``None`` when another format of the parser wrote it."""
    document = json.loads(body)
    if document.get("format") != PAPERS_FORMAT:
        return None
    return [
        Paper(**{**fields, "authors": tuple(fields["authors"]), "categories": tuple(fields["categories"])})
        for fields in document["papers"]
    ]


def snapshot_papers(
    sealed: bytes | None, pages: Iterable[bytes], window: Window, late: Collection[str] = ()
) -> list[Paper]:
    """A snapshot's papers and those announced ``late``: as the fetch step sealed them (``sealed``),
    or parsed from its pages for a snapshot sealed without them or by another format of the parser."""
    papers = sealed_papers(sealed) if sealed is not None else None
    return papers if papers is not None else parse_pages(pages, window, late)


def window_papers(feeds: Iterable[Feed], window: Window, also: Collection[str] = ()) -> list[Paper]:
    """The window's papers in parsed pages, each once (see ``parse_pages``)."""
    papers: dict[str, Paper] = {}
    for feed in feeds:
        for paper in feed.papers:
            if paper.id in also or window.start <= parse_utc(paper.published) < window.end:
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


def _paper(number: int, entry: Any) -> Paper:
    """A whole entry as a ``Paper``; ``UnusableAnswerError`` names what a cut or garbled entry lacks."""
    match = _VERSIONED_ID.search(str(entry.get("id", "")))
    if match is None:
        raise UnusableAnswerError(f"entry {number}: id {entry.get('id')!r} is not an arXiv abs URL")
    title = _title(str(entry.get("title", "")))
    authors = tuple(_collapse(str(author.get("name", ""))) for author in entry.get("authors", []))
    primary = entry.get("arxiv_primary_category", {}).get("term")
    categories = [str(tag.get("term")) for tag in entry.get("tags", []) if tag.get("term")]
    if primary:
        categories = [str(primary), *(term for term in categories if term != primary)]
    published = entry.get("published_parsed")
    missing = [
        name
        for name, value in (
            ("title", title),
            ("authors", authors and all(authors)),
            ("categories", categories),
            ("published", published),
        )
        if not value
    ]
    if missing:
        raise UnusableAnswerError(f"entry {number} ({match['id']}) has no {', '.join(missing)}")
    return Paper(
        id=match["id"],
        version=int(match["version"] or 1),
        title=title,
        authors=authors,
        categories=tuple(dict.fromkeys(categories)),
        abstract=_collapse(str(entry.get("summary", ""))),
        published=_utc(published),
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

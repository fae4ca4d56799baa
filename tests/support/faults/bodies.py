"""The demo day's answers, and faulty ones: the arXiv listing (trimmed, paged, thinned, held
back) and rewritten bodies (empty, without figures, malformed, hostile text, a gzip bomb)."""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support.faults.catalogue import BOMB_UNPACKED, EXTRA_PAPERS, HELD_BACK, RECORDING, THINNER

_ENTRY = re.compile(rb"  <entry>\n.*?  </entry>\n", re.DOTALL)
_ENTRY_ID = re.compile(rb"<id>http://arxiv\.org/abs/(\d{4}\.\d{4,5})v\d+</id>")
_ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}")


def _feed_head(head: bytes, total: int, start: int) -> bytes:
    head = re.sub(rb"<opensearch:totalResults>\d+<", b"<opensearch:totalResults>%d<" % total, head)
    return re.sub(rb"<opensearch:startIndex>\d+<", b"<opensearch:startIndex>%d<" % start, head)


@dataclass(frozen=True)
class Listing:
    """The day's arXiv answer, trimmed to the papers posts mention plus ``EXTRA_PAPERS`` others
    (parsing all 715 entries three times would triple every case), served from whatever ``start``
    is asked, ``max_results`` to a page, as arXiv pages it."""

    head: bytes
    entries: tuple[bytes, ...]
    recorded: int
    """How many papers the recorded answer held."""

    @classmethod
    def of_recording(cls, recording: Path = RECORDING) -> Listing:
        routes = json.loads((recording / "routes.json").read_text(encoding="utf-8"))["routes"]
        feed = (recording / next(route["body"] for route in routes if route["path"] == "/api/query")).read_bytes()
        mentioned = {
            paper_id
            for route in routes
            if route["path"] != "/api/query"
            for paper_id in _ARXIV_ID.findall((recording / route["body"]).read_text(encoding="utf-8"))
        }
        entries = _ENTRY.findall(feed)
        kept = [entry for number, entry in enumerate(entries) if number < EXTRA_PAPERS or _entry_id(entry) in mentioned]
        return cls(feed[: feed.index(b"  <entry>")], tuple(kept), len(entries))

    def page(self, start: int, size: int) -> bytes:
        entries = self.entries[start : start + size]
        return _feed_head(self.head, len(self.entries), start) + b"".join(entries) + b"</feed>\n"

    def thinner(self) -> Listing:
        """One entry in ``THINNER``: a smaller answer, whole and consistent in itself."""
        return Listing(self.head, self.entries[::THINNER], self.recorded)

    def held_back(self) -> Listing:
        """The listing with every other paper submitted at ``HELD_BACK``, a window earlier."""
        moved = re.compile(rb"<published>[^<]*</published>")
        entries = tuple(
            moved.sub(b"<published>" + HELD_BACK.encode() + b"</published>", entry) if number % 2 else entry
            for number, entry in enumerate(self.entries)
        )
        return Listing(self.head, entries, self.recorded)

    def submitted(self, query: str) -> Listing:
        """Only the papers submitted in the query's ``submittedDate`` range (both ends included)."""
        found = _SUBMITTED.search(query)
        if found is None:
            return self
        low, high = (f"{b[:4]}-{b[4:6]}-{b[6:8]}T{b[8:10]}:{b[10:12]}:00Z" for b in found.groups())
        kept = tuple(entry for entry in self.entries if low <= _published(entry) <= high)
        return Listing(self.head, kept, self.recorded)


_SUBMITTED = re.compile(r"submittedDate:\[(\d{12}) TO (\d{12})\]")
_PUBLISHED = re.compile(rb"<published>([^<]*)</published>")


def _published(entry: bytes) -> str:
    match = _PUBLISHED.search(entry)
    return match[1].decode() if match else ""


def _entry_id(entry: bytes) -> str:
    match = _ENTRY_ID.search(entry)
    return match[1].decode() if match else ""


def without_entries(feed: bytes, *, total: int | None = None) -> bytes:
    """An arXiv page with its entries removed: the empty-page glitch keeps ``totalResults``;
    a valid empty answer (``total=0``) says the window holds nothing."""
    head = feed[: feed.index(b"  <entry>")] if b"  <entry>" in feed else feed.removesuffix(b"</feed>\n")
    if total is not None:
        head = _feed_head(head, total, 0)
    return head + b"</feed>\n"


# A valid answer holding nothing, for each content request (by path ending).
_EMPTY_JSON: dict[str, Any] = {
    "/2/tweets/search/recent": {"meta": {"result_count": 0}},
    "/search_by_date": {"hits": [], "nbHits": 0, "page": 0, "nbPages": 0, "hitsPerPage": 100},
    "/api/daily_papers": [],
    "/app.bsky.feed.searchPosts": {"hitsTotal": 0, "posts": []},
    "/reddit/oauth/search": {"kind": "Listing", "data": {"after": None, "before": None, "children": [], "dist": 0}},
    "/stargazers": [],
}


def empty_answer(path: str, body: bytes) -> bytes:
    """A well-formed answer saying there is nothing; ``{}`` for a single object (an oEmbed, a repository)."""
    if path == "/api/query":
        return without_entries(body, total=0)
    return json.dumps(next((doc for end, doc in _EMPTY_JSON.items() if path.endswith(end)), {})).encode()


def gzip_bomb(unpacked: int = BOMB_UNPACKED) -> bytes:
    """A gzip stream of ``unpacked`` zero bytes: one member of a MiB of zeros (about 1 KB packed),
    repeated; a gzip stream may hold many members, and every decoder reads them all."""
    return gzip.compress(bytes(2**20), mtime=0) * (unpacked // 2**20)


@functools.cache
def bomb() -> bytes:
    """The matrix's gzip bomb, built once."""
    return gzip_bomb()


# Where a JSON answer holds text people wrote or read (posts, titles, names), and where an arXiv
# entry does: what the text faults write into.
_JSON_TEXT = re.compile(rb'("(?:text|title|name|displayName|selftext)":\s*")')
_XML_TEXT = re.compile(rb"(<title>)")
REDIRECT_MARK = "hp_token"


def with_text(body: bytes, insertion: bytes, xml_insertion: bytes) -> bytes:
    """``body`` with ``insertion`` opening every text of a JSON answer (``xml_insertion`` every
    title of an Atom feed)."""
    if body.lstrip().startswith(b"<"):
        return _XML_TEXT.sub(lambda match: match[1] + xml_insertion, body)
    return _JSON_TEXT.sub(lambda match: match[1] + insertion, body)


def _without(items: Iterable[Any], *figures: str, under: str | None = None) -> None:
    for item in items:
        for figure in figures:
            (item[under] if under else item).pop(figure, None)


def without_figures(path: str, body: bytes) -> bytes:
    """A source's answer with every post's engagement figures left out (X's ``public_metrics``,
    Hacker News points, Bluesky's counts, Reddit's score, Hugging Face's upvotes); other answers
    as they are."""
    if not path.endswith(("/search/recent", "/search_by_date", "/daily_papers", ".searchPosts", "/oauth/search")):
        return body
    answer = json.loads(body)
    if path.endswith("/search/recent"):
        _without(answer.get("data", []), "public_metrics")
    elif path.endswith("/search_by_date"):
        for hit in answer["hits"]:
            hit["points"] = None
    elif path.endswith("/daily_papers"):
        _without(answer, "upvotes", under="paper")
    elif path.endswith(".searchPosts"):
        _without(answer["posts"], "likeCount", "repostCount", "quoteCount", "replyCount")
    else:
        _without(answer["data"]["children"], "score", under="data")
    return json.dumps(answer).encode()


def malformed(body: bytes) -> bytes:
    """The body with its closing marks (``>``, ``}``, ``]``) dropped from the middle on: neither
    well-formed XML nor JSON, and too broken for a lenient parser to mend."""
    middle = len(body) // 2
    return body[:middle] + body[middle:].translate(None, b">}]")

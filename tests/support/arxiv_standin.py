"""A stand-in for arXiv's API over weeks: each submission is listed only once arXiv has announced it.

arXiv's API answers a ``submittedDate`` range with the announced papers submitted in it; a paper
submitted but not yet announced (a skipped evening, a paper held in moderation) is not listed.
``ArxivStandIn`` answers so at its ``now``, which a test moves as the days go by, and gives each
paper its id when it is announced, in announcement order, as arXiv does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from hotpapers.announcements import window_announcing
from hotpapers.models import iso_utc
from hotpapers.offline.replay import ReplayServer, Reply, Request
from urllib3.connectionpool import HTTPConnectionPool

from support.builders import atom_entry, atom_feed
from support.fake_http import connection_to

ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
HN = "/api/v1/search_by_date"
ENV = {
    "HOTPAPERS_ARXIV_API_URL": "http://arxiv.test/api/query",
    "HOTPAPERS_HN_API_URL": "http://hn.test",
    "HOTPAPERS_SOURCES": "hackernews",
    "HOTPAPERS_ARXIV_DELAY": "0",
    "HOTPAPERS_HTTP_RETRIES": "0",
}
"""The settings of a run against the stand-in: arXiv, and Hacker News answering with nothing."""
_RANGE = re.compile(r"submittedDate:\[(\d{12}) TO (\d{12})\]")


@dataclass(frozen=True)
class Submission:
    paper_id: str
    submitted: datetime
    announced: datetime


def announce(
    submitted: list[datetime], holidays: frozenset[date], held: dict[int, datetime] | None = None
) -> list[Submission]:
    """Each submission announced as arXiv's real schedule (``holidays``) announces it, or at the
    time ``held`` gives for its position (a paper held in moderation); ids in announcement order."""
    held = held or {}
    timed = [
        (held.get(n) or window_announcing(moment, holidays).announced, moment) for n, moment in enumerate(submitted)
    ]
    numbered: list[Submission] = []
    for number, (announced, moment) in enumerate(sorted(timed), start=1):
        numbered.append(Submission(f"{announced:%y%m}.{number:05d}", moment, announced))
    return numbered


class ArxivStandIn(ReplayServer):
    """``ReplayServer`` whose ``/api/query`` answers from ``submissions`` as arXiv would at ``now``."""

    def __init__(self, submissions: list[Submission]) -> None:
        super().__init__()
        self.submissions = submissions
        self.now = datetime.min.replace(tzinfo=UTC)
        self.add("/api/query", lambda request: self.listing(request))

    def listing(self, request: Request) -> Reply:
        """The answer to an arXiv search of a ``submittedDate`` range, as of ``now``."""
        query = request.query
        found = _RANGE.search(query["search_query"])
        assert found is not None, query
        low, high = (datetime.strptime(bound, "%Y%m%d%H%M").replace(tzinfo=UTC) for bound in found.groups())
        # As the API's range: both ends included (hotpapers.arxiv.search_query).
        listed = [s for s in self.submissions if s.announced <= self.now and low <= s.submitted <= high]
        first, size = int(query.get("start", 0)), int(query.get("max_results", 2000))
        entries = [atom_entry(s.paper_id, published=iso_utc(s.submitted)) for s in listed[first : first + size]]
        return Reply(200, atom_feed(entries, total=len(listed), start=first), ATOM)


def serve(monkeypatch: pytest.MonkeyPatch, submissions: list[Submission]) -> ArxivStandIn:
    """A stand-in answering every request of the test, in memory (tests/support/fake_http.py), with Hacker News
    answering that nobody posted; the caller closes it."""
    server = ArxivStandIn(submissions)
    server.add(HN, Reply.json({"hits": [], "nbHits": 0, "nbPages": 0}))
    monkeypatch.setattr(HTTPConnectionPool, "ConnectionCls", connection_to(server))
    return server

"""Papers arXiv announces late: held in moderation, announced days after their submission.

A late paper's submission time falls in a window some earlier digest already fetched, so the
window's own query never lists it again. arXiv assigns a paper its id when it announces it
(https://info.arxiv.org/help/availability.html, "A note about arXiv-id assignments"), so a late
paper's id is above every id announced before it. The fetch of digest D therefore also reads the
submission windows of a look-back span before D's (``HOTPAPERS_ARXIV_LOOKBACK_DAYS``) and adds
each paper that was submitted in a window an earlier sealed digest covers, that no sealed digest
holds, and whose id is above the highest id of the sealed day before D. Each such paper is
listed once, by the first digest whose fetch sees it, marked late in its manifest; a day fetched
again later leaves out the papers a later digest lists as late.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from hotpapers import arxiv, layout, snapshot
from hotpapers.models import Paper
from hotpapers.observability import logger
from hotpapers.schedule import Window, parse_utc
from hotpapers.store import Store

_NEW_STYLE_ID = re.compile(r"(\d{4})\.(\d{4,5})")


def id_order(paper_id: str) -> tuple[int, int] | None:
    """Where an id stands in arXiv's order of announcement (its month, then its number); ``None``
    for an id of the old style (``hep-th/9901001``), which no new paper has."""
    match = _NEW_STYLE_ID.fullmatch(paper_id)
    return (int(match[1]), int(match[2])) if match else None


@dataclass(frozen=True)
class SealedDay:
    """An earlier or later digest as its sealed snapshot holds it."""

    digest_date: date
    window: Window
    papers: frozenset[str]
    """Every paper it lists as announced, late ones included."""
    late: frozenset[str]


@dataclass(frozen=True)
class Settled:
    """A window's papers once late papers are accounted for."""

    papers: list[Paper]
    """The window's own papers, less those a later digest lists as late."""
    late: list[Paper]
    """Papers announced late, added to this digest."""
    pages: list[arxiv.Page]
    """The look-back's pages, as fetched (kept in the snapshot with the window's)."""


def sealed_days(store: Store, first: date, last: date) -> list[SealedDay]:
    """Each sealed digest dated ``first`` to ``last``, oldest first."""
    found = []
    day = first
    while day <= last:
        key = layout.manifest_key(day)
        if key in store.keys(key):
            found.append(_sealed_day(store, key))
        day += timedelta(days=1)
    return found


def _sealed_day(store: Store, key: str) -> SealedDay:
    sealed = snapshot.read(store, key)
    late = frozenset(sealed.manifest["arxiv"].get("late", ()))
    parsed = arxiv.sealed_papers(sealed.papers) if sealed.papers is not None else None
    if parsed is None:
        parsed = arxiv.parse_pages(sealed.arxiv, sealed.window, also=late)
    return SealedDay(
        digest_date=date.fromisoformat(sealed.digest_date),
        window=sealed.window,
        papers=frozenset(paper.id for paper in parsed),
        late=late,
    )


def lookback(window: Window, days: int) -> Window:
    """The submission span read back for late papers: the ``days`` before ``window`` opens."""
    return Window(window.digest_date, window.start - timedelta(days=days), window.start, window.announced)


def late_papers(candidates: Iterable[Paper], earlier: list[SealedDay]) -> list[Paper]:
    """The ``candidates`` announced late: submitted in a window an ``earlier`` digest covers, held
    by none of them, and with an id above the highest of the latest of them. None without an
    earlier digest: a paper of a day never fetched is that day's, not late."""
    if not earlier:
        return []
    previous = max(earlier, key=lambda day: day.digest_date)
    ranked = [order for order in map(id_order, previous.papers) if order is not None]
    if not ranked:
        return []
    highest = max(ranked)
    held = frozenset().union(*(day.papers for day in earlier))
    found = []
    for paper in candidates:
        order = id_order(paper.id)
        submitted = parse_utc(paper.published)
        covered = any(day.window.start <= submitted < day.window.end for day in earlier)
        if order is not None and order > highest and covered and paper.id not in held:
            found.append(paper)
    return found


def unclaimed(papers: Iterable[Paper], later: list[SealedDay]) -> list[Paper]:
    """``papers`` less those a ``later`` digest lists as announced late: each paper in one digest."""
    claimed = frozenset().union(*(day.late for day in later))
    return [paper for paper in papers if paper.id not in claimed]


def settle(
    store: Store,
    window: Window,
    papers: list[Paper],
    days: int,
    read_back: Callable[[Window], list[arxiv.Page]],
) -> Settled:
    """The window's papers and the late ones, reading the look-back (``read_back``, arXiv's pages
    of a span) only when an earlier digest could have missed one. A look-back arXiv fails to
    answer adds nothing: the window's papers stand, and the next day's look-back finds the late
    ones."""
    if days <= 0:
        return Settled(papers, [], [])
    digest_date = window.digest_date
    later = sealed_days(store, digest_date + timedelta(days=1), digest_date + timedelta(days=days))
    own = unclaimed(papers, later)
    span = lookback(window, days)
    earlier = sealed_days(store, span.start.date(), digest_date - timedelta(days=1))
    if not earlier:
        return Settled(own, [], [])
    try:
        pages = read_back(span)
    except arxiv.ArxivError as exc:
        # The day's own window is whole; its late papers wait for the next day's look-back.
        logger.warning("arxiv look-back failed; no late paper added", extra={"error": str(exc)})
        return Settled(own, [], [])
    # A later digest that already lists a paper late keeps it, whichever day is fetched again.
    found = unclaimed(late_papers(arxiv.window_papers((page.feed for page in pages), span), earlier), later)
    return Settled(own, found, pages)

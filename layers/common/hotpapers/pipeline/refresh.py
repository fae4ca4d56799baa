"""Refreshing a recent digest: its attention sources counted again, sealed beside its first snapshot.

A day's digest is published the morning after arXiv announces it, when its papers have had a few
hours of attention. A refresh asks the attention sources again (never arXiv: the day's papers are
those of its sealed snapshot) over the same window, with posts searched up to now, and seals a new
snapshot at ``layout.refresh_key``; its arrival starts the score step as the first one's did, which
scores every snapshot of the day and keeps each paper's history (``pipeline.score``).

A refresh is never thinner than what it follows: a source excluded (``HOTPAPERS_REFRESH_EXCLUDE``),
failed, or thinner than the day's newest snapshot (``fetch.thinner``'s rule, source by source)
keeps that snapshot's entry, packs and counts. A refresh with nothing new from any source seals
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hotpapers import arxiv, layout, snapshot
from hotpapers.alerts import alert
from hotpapers.config import Settings
from hotpapers.observability import logger
from hotpapers.pipeline.fetch import gather, source_flags, start, thinner
from hotpapers.sources import KNOWN_SOURCES, FetchRequest
from hotpapers.store import Store
from hotpapers.upstream import time_limit

REFRESHED, UNCHANGED, FAILED, NO_SNAPSHOT = "refreshed", "unchanged", "failed", "no-snapshot"
RECENT = "refreshed-recently"
REFRESH_MARGIN = 60.0
"""Seconds a refresh must have left to start (its sources' budgets are cut to what is left)."""
REFRESH_SPACING = timedelta(hours=12)
"""How long after a day's last refresh the schedule's ticks leave it alone: a tick delivered again
(Lambda retries a failed invocation, twice) does not count the same day again minutes later."""


class NoSnapshotError(LookupError):
    """The day to refresh has no sealed snapshot: there is nothing to count again."""


@dataclass(frozen=True)
class RefreshResult:
    date: str
    status: str
    """``refreshed`` (a refresh sealed at ``manifest_key``), or ``unchanged`` (nothing new)."""
    manifest_key: str
    refreshed_sources: list[str] = field(default_factory=list)
    carried_sources: dict[str, str] = field(default_factory=dict)
    """Each source whose earlier entry the refresh keeps, and why."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def due_days(settings: Settings) -> list[date]:
    """The digest days a run today refreshes, oldest first: those announced ``HOTPAPERS_REFRESH_AGES``
    days before the day it publishes (today less ``HOTPAPERS_DIGEST_LAG_DAYS``), so that age 1 is
    the day before, counted again a day after its own first count."""
    published = settings.clock().date() - timedelta(days=settings.digest_lag_days)
    return [published - timedelta(days=age) for age in sorted(settings.refresh_ages, reverse=True)]


def refresh_day(digest_date: date, settings: Settings, store: Store, *, seconds: float | None = None) -> RefreshResult:
    """Count the day's attention again and seal it as a refresh (see the module's text)."""
    keys = snapshot.day_manifests(store, digest_date)
    if not keys:
        raise NoSnapshotError(f"{digest_date} has no sealed snapshot to refresh; fetch it first (hotpapers run)")
    first = snapshot.read(store, keys[0])
    newest = snapshot.read(store, keys[-1])
    now = settings.clock()
    request = FetchRequest(window=first.window, now=now, settings=settings)
    late = frozenset(first.manifest["arxiv"].get("late", ()))
    papers = arxiv.snapshot_papers(first.papers, first.arxiv, first.window, late)
    carried = {name: "not asked again (excluded)" for name in settings.sources if name in settings.refresh_exclude}
    asked = [name for name in settings.sources if name not in settings.refresh_exclude]
    sources = {name: KNOWN_SOURCES[name].connect(settings) for name in asked}
    budget = settings.fetch_deadline if seconds is None else seconds
    pool = ThreadPoolExecutor(max_workers=max(1, len(sources)), thread_name_prefix="refresh")
    try:
        with time_limit(max(budget, 0.0), f"the refresh's {budget:g} s budget") as deadline:
            pending = start(pool, {name: s.fetch for name, s in sources.items()}, (request,), settings, deadline)
            answers = gather(pool, sources, pending, request, papers, settings, deadline)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    fetched, read = answers.fetched, answers.read
    carried.update(answers.failures)
    carried.update(answers.out_of_reach)
    degraded = thinner(newest, len(papers), {name: read[name] for name in read if name in fetched}, settings)
    carried.update(degraded)
    fresh = {name: documents for name, documents in fetched.items() if name not in carried}
    # Only what the newest snapshot has can be carried: a source it lacks stays out.
    kept = [name for name in carried if newest.manifest["sources"].get(name, {}).get("status") == "ok"]
    if not fresh:
        logger.info("refresh found nothing new", extra={"date": digest_date.isoformat(), "carried": carried})
        return RefreshResult(digest_date.isoformat(), UNCHANGED, keys[-1], [], carried)
    key = snapshot.write_refresh(
        store,
        newest.manifest,
        now,
        fresh,
        {
            name: {
                **source_flags(sources[name], read.get(name), False),
                **({"posts": len(read[name].posts)} if name in read else {}),
            }
            for name in fresh
        },
        kept,
    )
    logger.info("refresh sealed", extra={"manifest": key, "refreshed": sorted(fresh), "carried": carried})
    return RefreshResult(digest_date.isoformat(), REFRESHED, key, sorted(fresh), carried)


def refreshed_recently(store: Store, digest_date: date, now: datetime) -> datetime | None:
    """When the day was last refreshed (its newest refresh's key names the time), if that was
    less than ``REFRESH_SPACING`` before ``now``; otherwise None."""
    keys = snapshot.day_manifests(store, digest_date)[1:]
    named = layout.REFRESH_MANIFEST.fullmatch(keys[-1]) if keys else None
    if named is None:
        return None
    last = datetime.strptime(named["stamp"], snapshot.STAMP).replace(tzinfo=UTC)
    return last if now - last < REFRESH_SPACING else None


def refresh_due(settings: Settings, store: Store, time_left: Callable[[], float] | None = None) -> list[dict[str, Any]]:
    """Refresh each day due (``due_days``), oldest first, each while time is left (``time_left``,
    seconds, a Lambda's remaining time), and say what became of each. A day without a sealed
    snapshot (a weekend, say) is passed over, and so is a day refreshed less than
    ``REFRESH_SPACING`` ago; a refresh that fails is logged and alerted, and costs neither the
    others nor the day's published digest (nothing is sealed, so nothing is scored again)."""
    outcomes: list[dict[str, Any]] = []
    for day in due_days(settings):
        last = refreshed_recently(store, day, settings.clock())
        if last is not None:
            outcomes.append({"date": day.isoformat(), "status": RECENT, "refreshed_at": snapshot.stamp(last)})
            continue
        left = None if time_left is None else time_left() - REFRESH_MARGIN
        if left is not None and left <= 0:
            logger.warning("no time left to refresh", extra={"date": day.isoformat()})
            outcomes.append({"date": day.isoformat(), "status": FAILED, "reason": "no time left"})
            continue
        seconds = settings.fetch_deadline if left is None else min(settings.fetch_deadline, left)
        try:
            outcomes.append(refresh_day(day, settings, store, seconds=seconds).to_dict())
        except NoSnapshotError:
            outcomes.append({"date": day.isoformat(), "status": NO_SNAPSHOT})
        except Exception as exc:
            logger.exception("refresh failed", extra={"date": day.isoformat()})
            alert("refresh failed", date=day.isoformat(), error=f"{type(exc).__name__}: {exc}")
            outcomes.append({"date": day.isoformat(), "status": FAILED, "reason": type(exc).__name__})
    return outcomes

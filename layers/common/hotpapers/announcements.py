"""A digest's window as arXiv really announced it: the calendar's, mended by what the data store saw.

The calendar (``schedule.window_for``) knows the weekly rhythm and the holidays it is told of. An
evening arXiv skips that no list names shows only in what arXiv answers: the next morning's fetch
finds the window empty, and the papers it should have held are announced with the next evening's.
Such a confirmed-empty day is recorded (``record_empty``), and the next digest's window then starts
where the last non-empty one ended, read from that day's sealed manifest: no paper falls between two
digests. The same record read the other way keeps a day fetched again later from taking papers a
later sealed digest already holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hotpapers.layout import empty_key, manifest_key
from hotpapers.models import iso_utc
from hotpapers.schedule import NoAnnouncementError, Window, window_for
from hotpapers.store import Store

REACH = 14
"""How many calendar days a window may reach back over confirmed-empty days, or forward to the next
sealed one: longer than arXiv's longest closure (a year end's)."""


def record_empty(store: Store, window: Window, fetched_at: datetime) -> None:
    """Record that arXiv, asked after the announcement, listed nothing for ``window``."""
    body = {"window": window.to_dict(), "fetched_at": iso_utc(fetched_at)}
    store.put(empty_key(window.digest_date), json.dumps(body, indent=2, sort_keys=True).encode(), "application/json")


def announced_window(digest_date: date, holidays: frozenset[date], store: Store) -> Window:
    """The calendar's window of ``digest_date``, its start moved back over the announcing days arXiv
    was confirmed to skip, to the end of the last sealed one, and its end moved back to the start of
    the next sealed digest when that digest already holds part of it. ``NoAnnouncementError`` when
    nothing of it is left (or the calendar has no announcement that day)."""
    window = window_for(digest_date, holidays)
    start, end = window.start, window.end
    for earlier in _announcing(digest_date, holidays, -1):
        sealed = _sealed_window(store, earlier)
        if sealed is not None:
            start = sealed.end
            break
        if not _exists(store, empty_key(earlier)):
            break
        start = window_for(earlier, holidays).start
    later = next(_announcing(digest_date, holidays, 1), None)
    sealed_later = _sealed_window(store, later) if later is not None else None
    if sealed_later is not None:
        end = min(end, sealed_later.start)
    if end <= start:
        raise NoAnnouncementError(digest_date, f"its submissions were announced in the digest of {later}")
    return replace(window, start=start, end=end)


def window_announcing(submitted: datetime, holidays: frozenset[date]) -> Window:
    """The calendar's window that announces a submission made at ``submitted``."""
    day = submitted.astimezone(UTC).date()
    for later in (day, *_announcing(day, holidays, 1)):
        try:
            window = window_for(later, holidays)
        except NoAnnouncementError:
            continue
        if window.start <= submitted < window.end:
            return window
    raise NoAnnouncementError(day, f"no window within {REACH} days announces a submission of {iso_utc(submitted)}")


def _announcing(digest_date: date, holidays: frozenset[date], step: int) -> Iterator[date]:
    """The calendar's announcing digest dates before (``step`` -1) or after (1) ``digest_date``,
    nearest first, within ``REACH`` days."""
    for offset in range(1, REACH + 1):
        day = digest_date + timedelta(days=step * offset)
        try:
            window_for(day, holidays)
        except NoAnnouncementError:
            continue
        yield day


def _exists(store: Store, key: str) -> bool:
    # Listed rather than read blind: S3 answers a missing key with 403 unless the role may list it.
    return key in store.keys(key)


def _sealed_window(store: Store, digest_date: date) -> Window | None:
    key = manifest_key(digest_date)
    if not _exists(store, key):
        return None
    return Window.from_dict(json.loads(store.get(key))["window"])

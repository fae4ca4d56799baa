"""The dates an operator types: checked before any work, so a bad one costs no request.

A digest is named after the UTC day of arXiv's 20:00 ET announcement, which falls on the next
UTC day: the Sunday-to-Thursday announcements give digests dated Monday to Friday.
"""

from __future__ import annotations

import argparse
import re
from datetime import date, timedelta

from hotpapers.schedule import ARXIV_FIRST_DAY, NoAnnouncementError, window_for

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# How far to look for the nearest digest date: past any weekend and a long holiday break.
_SEARCH_DAYS = 31


class BadDateError(ValueError):
    """A date that cannot name a digest (wrong form, in the future, before arXiv)."""


def parse(value: str) -> date:
    """``YYYY-MM-DD`` and nothing else (``date.fromisoformat`` also takes ``20260602``)."""
    try:
        if not _ISO_DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form, e.g. 2026-06-02") from exc


def check(day: date, today: date) -> None:
    """Refuse a digest date that is not announced yet or older than arXiv."""
    if day > today:
        raise BadDateError(f"{day} is in the future (today is {today} UTC); arXiv has not announced it yet")
    if day < ARXIV_FIRST_DAY:
        raise BadDateError(f"{day} is before arXiv's first announcement ({ARXIV_FIRST_DAY})")


def check_range(first: date, last: date, today: date) -> None:
    check(first, today)
    check(last, today)
    if first > last:
        raise BadDateError(f"--from {first} is after --to {last}")


def announces(day: date, holidays: frozenset[date]) -> bool:
    try:
        window_for(day, holidays)
    except NoAnnouncementError:
        return False
    return True


def digest_dates(first: date, last: date, holidays: frozenset[date]) -> list[date]:
    """Every digest date from ``first`` to ``last`` (both included), oldest first."""
    days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return [day for day in days if announces(day, holidays)]


def nearest(day: date, holidays: frozenset[date]) -> tuple[date | None, date | None]:
    """The digest dates just before and just after ``day``."""
    before = digest_dates(day - timedelta(days=_SEARCH_DAYS), day - timedelta(days=1), holidays)
    after = digest_dates(day + timedelta(days=1), day + timedelta(days=_SEARCH_DAYS), holidays)
    return (before[-1] if before else None), (after[0] if after else None)


def no_digest(day: date, holidays: frozenset[date]) -> str:
    """Why ``day`` has no digest, in terms of the date typed, and which dates do."""
    if day in holidays:
        why = f"{day} is an arXiv holiday (its published schedule, or HOTPAPERS_ARXIV_HOLIDAYS)"
    else:
        why = (
            f"{day} is a {day:%A}; digests are dated Monday to Friday, the UTC day after arXiv's "
            "20:00 ET announcements on Sunday to Thursday evenings"
        )
    before, after = nearest(day, holidays)
    near = " and ".join(f"{d} ({d:%A})" for d in (before, after) if d is not None)
    return f"No digest for {day}: {why}. Nearest digest dates: {near}."

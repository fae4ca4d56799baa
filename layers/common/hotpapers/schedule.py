"""arXiv's announcement calendar: which submissions a digest date covers.

A digest is named after the UTC date of its announcement. arXiv announces at 20:00
America/New_York from Sunday to Thursday, each time releasing the submissions received up to
the 14:00 ET cutoff; Thursday-to-Friday submissions wait for Sunday, Friday-to-Monday ones
for Monday. All arithmetic is done on Eastern wall-clock times so daylight-saving changes
fall out of ``zoneinfo``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hotpapers.models import iso_utc

EASTERN = ZoneInfo("America/New_York")
CUTOFF = time(14, 0)
ANNOUNCEMENT = time(20, 0)

FRIDAY, SATURDAY, SUNDAY = 4, 5, 6  # date.weekday()
HOLIDAY_REASON = "an arXiv holiday (its published schedule, or HOTPAPERS_ARXIV_HOLIDAYS)"

# arXiv's first announcement (hep-th, August 1991); no digest can be older.
ARXIV_FIRST_DAY = date(1991, 8, 14)
# The last digest date whose 20:00 ET announcement is still on the calendar in UTC.
LAST_DAY = date.max - timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """Submissions in ``[start, end)`` (aware UTC datetimes) are announced at ``announced``."""

    digest_date: date
    start: datetime
    end: datetime
    announced: datetime

    def to_dict(self) -> dict[str, str]:
        return {
            "digest_date": self.digest_date.isoformat(),
            "start": iso_utc(self.start),
            "end": iso_utc(self.end),
            "announced": iso_utc(self.announced),
        }

    @classmethod
    def from_dict(cls, stored: dict[str, str]) -> Window:
        """The window ``to_dict`` wrote (as a manifest holds it)."""
        return cls(
            digest_date=date.fromisoformat(stored["digest_date"]),
            start=parse_utc(stored["start"]),
            end=parse_utc(stored["end"]),
            announced=parse_utc(stored["announced"]),
        )


def parse_utc(text: str) -> datetime:
    """An instant as ``iso_utc`` writes it (``...Z``), as an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


class NoAnnouncementError(Exception):
    """arXiv announces nothing on this digest date."""

    def __init__(self, digest_date: date, reason: str) -> None:
        super().__init__(f"arXiv makes no announcement for {digest_date.isoformat()}: {reason}")
        self.digest_date = digest_date
        self.reason = reason


def _eastern(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=EASTERN)


def _cutoff(digest_date: date) -> datetime:
    """The submission cutoff of an announcing digest date, in UTC."""
    announced_on = digest_date - timedelta(days=1)
    # Sunday's announcement carries the Thursday-to-Friday submissions.
    cutoff_day = announced_on - timedelta(days=2) if announced_on.weekday() == SUNDAY else announced_on
    return _eastern(cutoff_day, CUTOFF).astimezone(UTC)


def _announces(digest_date: date, holidays: frozenset[date]) -> bool:
    return (digest_date - timedelta(days=1)).weekday() not in (FRIDAY, SATURDAY) and digest_date not in holidays


def window_for(digest_date: date, holidays: frozenset[date] = frozenset()) -> Window:
    """The submission window announced on ``digest_date`` (UTC), or ``NoAnnouncementError``.

    The 20:00 ET announcement always falls on the next UTC day, so the Eastern announcement day
    is the day before the digest date. A window opens at the cutoff of the previous digest date
    that announced: Monday's cutoff closes the window that opened on Friday, and after a
    holiday (``holidays``, digest dates arXiv skipped) the next window covers both days.
    """
    if (digest_date - timedelta(days=1)).weekday() in (FRIDAY, SATURDAY):
        raise NoAnnouncementError(digest_date, "arXiv does not announce on Friday or Saturday evenings")
    if digest_date in holidays:
        raise NoAnnouncementError(digest_date, HOLIDAY_REASON)
    previous = digest_date - timedelta(days=1)
    while not _announces(previous, holidays):
        previous -= timedelta(days=1)
    return Window(
        digest_date=digest_date,
        start=_cutoff(previous),
        end=_cutoff(digest_date),
        announced=_eastern(digest_date - timedelta(days=1), ANNOUNCEMENT).astimezone(UTC),
    )


def digest_date_for(moment: datetime, lag_days: int = 1) -> date:
    """The digest a run at ``moment`` builds: by default yesterday's announcement, as the seed does."""
    return moment.astimezone(UTC).date() - timedelta(days=lag_days)

"""What every source's illustrative answers share: the day they answer for, where files go, post times."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

RECORDINGS = Path(__file__).parent.parent / "recordings"
# The real announcement: arXiv's listing of 2026-06-02, the only day recorded whole.
REAL_DAY = date(2026, 6, 2)


@dataclass(frozen=True)
class Day:
    """One demo day: the digest date, its window's start, arXiv's announcement and the fetch's moment.

    The real day's window opens at the 2026-05-29 14:00 ET cutoff; arXiv announces it on
    2026-06-01 at 20:00 ET, and only from then can a post link its papers; the fetch runs the next
    morning. A re-dated day is the same moments ``shift`` days on.
    """

    shift: int = 0

    @property
    def date(self) -> str:
        return (REAL_DAY + timedelta(days=self.shift)).isoformat()

    @property
    def window_start(self) -> datetime:
        return datetime(2026, 5, 29, 18, 0, tzinfo=UTC) + timedelta(days=self.shift)

    @property
    def announced(self) -> datetime:
        return datetime(2026, 6, 2, 0, 0, tzinfo=UTC) + timedelta(days=self.shift)

    @property
    def now(self) -> datetime:
        return datetime(2026, 6, 3, 7, 46, 45, tzinfo=UTC) + timedelta(days=self.shift)

    @property
    def out(self) -> Path:
        return RECORDINGS / self.date

    def moment(self, rng: random.Random, start: datetime | None = None, end: datetime | None = None) -> datetime:
        first, last = start or self.window_start, end or self.now
        return first + timedelta(seconds=rng.randint(0, int((last - first).total_seconds()) - 1))

    def posted(self, rng: random.Random) -> datetime:
        """A post's time, between the announcement and the fetch."""
        return self.moment(rng, self.announced, self.now)

    def write(self, name: str, document: Any) -> str:
        (self.out / name).write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return name


def iso(moment: datetime, millis: bool = True) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z" if millis else "%Y-%m-%dT%H:%M:%SZ")


def long_date(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"

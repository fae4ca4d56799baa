"""What every source's sample shares: the demo day, where files go, and sample times."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DAY = "2026-06-02"
FETCHED_AT = "2026-06-03T07:46:45Z"
OUT = Path(__file__).parent.parent / "recordings" / DAY
ARXIV_FILE = f"arxiv_api_{DAY}_BUILT_FROM_REAL_LISTING.xml"
HF_FILE = f"hf_daily_papers_{DAY}_SAMPLE_REPOINTED_FROM_REAL_2026-06-12.json"
HN_FILE = "hn_search_by_date_SAMPLE_DOCUMENTED_SHAPE.json"
REDDIT_FILE = "reddit_search_SAMPLE_REPOINTED_FROM_REAL_praw_cassette.json"
# The window of 2026-06-02 opens at the 2026-05-29 14:00 ET cutoff; arXiv announces it on
# 2026-06-01 at 20:00 ET, and only from then can a post link its papers; the fetch runs at FETCHED_AT.
WINDOW_START = datetime(2026, 5, 29, 18, 0, tzinfo=UTC)
ANNOUNCED = datetime(2026, 6, 2, 0, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 3, 7, 46, 45, tzinfo=UTC)
IGNORED_BOT = "arxiv-sample-bot.bsky.social"


def iso(moment: datetime, millis: bool = True) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z" if millis else "%Y-%m-%dT%H:%M:%SZ")


def moment(rng: random.Random, start: datetime = WINDOW_START, end: datetime = NOW) -> datetime:
    return start + timedelta(seconds=rng.randint(0, int((end - start).total_seconds()) - 1))


def posted(rng: random.Random) -> datetime:
    """A post's time, between the announcement and the fetch. Drawn as ``moment`` draws (the
    seeded sequence, and so every other sample, stays as it was), then scaled into that span."""
    drawn = moment(rng) - WINDOW_START
    return ANNOUNCED + drawn * ((NOW - ANNOUNCED) / (NOW - WINDOW_START))


def write(name: str, document: Any) -> str:
    (OUT / name).write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return name

"""X's search reach: recent search goes back 7 days, the full archive as far as posts go."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hotpapers.config import ConfigError, load_settings
from hotpapers.schedule import window_for
from hotpapers.sources import FetchRequest, OutOfReachError
from hotpapers.sources.x import X

DAY = date(2026, 6, 2)
ANNOUNCED = datetime(2026, 6, 2, 0, 0, tzinfo=UTC)


def request(now: datetime, **env: str) -> FetchRequest:
    return FetchRequest(window=window_for(DAY), now=now, settings=load_settings(env))


def test_a_next_morning_run_searches_from_the_announcement_to_now() -> None:
    now = datetime(2026, 6, 3, 7, 46, 45, tzinfo=UTC)
    assert X._time_range(request(now)) == (ANNOUNCED, now - timedelta(seconds=10))


def test_a_start_beyond_seven_days_is_clamped_to_the_reach_with_a_margin() -> None:
    # Given a run 7 days and 2 hours after the announcement
    now = ANNOUNCED + timedelta(days=7, hours=2)
    # When the range is asked
    start, end = X._time_range(request(now, HOTPAPERS_POSTS_DAYS="8"))
    # Then it starts inside the 7 days, by the margin, and ends at now
    assert start == now - timedelta(days=7) + timedelta(minutes=15)
    assert end == now - timedelta(seconds=10)


def test_a_backfill_wholly_beyond_the_reach_is_out_of_reach_not_failed() -> None:
    # Given a backfill a month later, its posts searched for the 7 days after the announcement
    now = ANNOUNCED + timedelta(days=30)
    # Then X is out of reach, saying what would reach it
    with pytest.raises(OutOfReachError, match="HOTPAPERS_X_SEARCH=all"):
        X._time_range(request(now))
    # And the full-archive endpoint searches those 7 days as they were
    assert X._time_range(request(now, HOTPAPERS_X_SEARCH="all")) == (ANNOUNCED, ANNOUNCED + timedelta(days=7))


def test_the_search_endpoint_is_a_checked_setting() -> None:
    assert load_settings({}).x_search == "recent"
    assert load_settings({"HOTPAPERS_X_SEARCH": "All"}).x_search == "all"
    with pytest.raises(ConfigError, match="HOTPAPERS_X_SEARCH"):
        load_settings({"HOTPAPERS_X_SEARCH": "archive"})
    with pytest.raises(ConfigError, match="HOTPAPERS_POSTS_DAYS"):
        load_settings({"HOTPAPERS_POSTS_DAYS": "0"})

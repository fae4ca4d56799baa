"""Where the post searches of a digest start: no post can link a paper before arXiv announces it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hotpapers.config import load_settings
from hotpapers.schedule import window_for
from hotpapers.sources import FetchRequest


def test_post_searches_start_at_the_announcement_not_the_submission_window() -> None:
    # Given Tuesday 2026-06-02's digest, whose submissions opened on Friday 2026-05-29 at 14:00 EDT
    window = window_for(date(2026, 6, 2))
    request = FetchRequest(window=window, now=datetime(2026, 6, 3, 7, 46, 45, tzinfo=UTC), settings=load_settings({}))
    # Then its posts are searched from the announcement, 20:00 EDT on Monday 2026-06-01
    assert window.start == datetime(2026, 5, 29, 18, 0, tzinfo=UTC)
    assert request.posts_since == datetime(2026, 6, 2, 0, 0, tzinfo=UTC)


def test_a_fetch_before_the_announcement_searches_an_empty_range_not_a_reversed_one() -> None:
    # Given a fetch run an hour before the announcement
    window = window_for(date(2026, 6, 2))
    now = datetime(2026, 6, 1, 23, 0, tzinfo=UTC)
    # Then the searches start no later than now
    assert FetchRequest(window=window, now=now, settings=load_settings({})).posts_since == now

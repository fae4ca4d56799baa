import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hotpapers.schedule import NoAnnouncementError, Window, digest_date_for, window_for


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_seed_day_covers_tuesday_to_wednesday_submissions() -> None:
    # Given the seed's digest date, Thursday 2020-07-09 (announced Wednesday 20:00 EDT)
    # When its window is worked out
    window = window_for(date(2020, 7, 9))
    # Then it runs from Tuesday 14:00 EDT to Wednesday 14:00 EDT
    assert window.start == utc(2020, 7, 7, 18, 0)
    assert window.end == utc(2020, 7, 8, 18, 0)
    assert window.announced == utc(2020, 7, 9, 0, 0)


def test_monday_digest_holds_thursday_to_friday_submissions() -> None:
    # Given Monday 2026-06-08 (UTC), i.e. arXiv's Sunday-evening announcement
    window = window_for(date(2026, 6, 8))
    # Then the window is Thursday 14:00 to Friday 14:00 EDT
    assert window.start == utc(2026, 6, 4, 18, 0)
    assert window.end == utc(2026, 6, 5, 18, 0)


def test_tuesday_digest_holds_friday_to_monday_submissions() -> None:
    # Given Tuesday 2026-06-02, the bundled demo day (Monday-evening announcement)
    window = window_for(date(2026, 6, 2))
    # Then the window spans the weekend: Friday 14:00 to Monday 14:00 EDT
    assert window.start == utc(2026, 5, 29, 18, 0)
    assert window.end == utc(2026, 6, 1, 18, 0)
    assert window.announced == utc(2026, 6, 2, 0, 0)


@pytest.mark.parametrize("day", [date(2026, 6, 6), date(2026, 6, 7)])
def test_weekend_dates_have_no_announcement(day: date) -> None:
    # Given a Saturday or Sunday (UTC): Friday and Saturday evenings announce nothing
    # When / Then asking for its window says so, as an outcome rather than a failure
    with pytest.raises(NoAnnouncementError) as raised:
        window_for(day)
    assert raised.value.digest_date == day
    assert "Friday or Saturday" in raised.value.reason


def test_window_across_spring_forward_mixes_est_and_edt() -> None:
    # Given Tuesday 2026-03-10: its window opens Friday 03-06 (EST) and closes Monday 03-09 (EDT)
    window = window_for(date(2026, 3, 10))
    # Then each end keeps 14:00 Eastern wall time, so the UTC hours differ
    assert window.start == utc(2026, 3, 6, 19, 0)
    assert window.end == utc(2026, 3, 9, 18, 0)
    # And the Monday 20:00 EDT announcement is Tuesday 00:00 UTC
    assert window.announced == utc(2026, 3, 10, 0, 0)


def test_window_across_fall_back_mixes_edt_and_est() -> None:
    # Given Tuesday 2026-11-03: opens Friday 10-30 (EDT), closes Monday 11-02 (EST)
    window = window_for(date(2026, 11, 3))
    # Then
    assert window.start == utc(2026, 10, 30, 18, 0)
    assert window.end == utc(2026, 11, 2, 19, 0)
    assert window.announced == utc(2026, 11, 3, 1, 0)


def test_consecutive_windows_tile_the_week_without_gaps() -> None:
    # Given the five announcement dates of one week (Monday to Friday, UTC)
    days = [date(2026, 6, d) for d in range(8, 13)]
    # When their windows are laid end to end
    windows = [window_for(day) for day in days]
    # Then each starts where the previous ended
    assert all(earlier.end == later.start for earlier, later in itertools.pairwise(windows))


def test_the_daily_run_builds_yesterdays_digest() -> None:
    # Given the seed's own run time (the next morning, UTC)
    # Then the default lag of one day names the seed's date
    assert digest_date_for(utc(2020, 7, 10, 7, 46, 45)) == date(2020, 7, 9)
    assert digest_date_for(utc(2020, 7, 10, 7, 46, 45), lag_days=0) == date(2020, 7, 10)


def test_a_holiday_announces_nothing_and_the_next_window_covers_it() -> None:
    # Given arXiv skipping the announcement of Wednesday 2026-12-23 evening (digest 2026-12-24)
    holidays = frozenset({date(2026, 12, 24)})
    # Then that digest date has no announcement
    with pytest.raises(NoAnnouncementError, match="holiday"):
        window_for(date(2026, 12, 24), holidays)
    # And the next digest's window opens where the last announced one closed (Tuesday 14:00 ET)
    window = window_for(date(2026, 12, 25), holidays)
    assert window.start == window_for(date(2026, 12, 23)).end == utc(2026, 12, 22, 19, 0)
    assert window.end == utc(2026, 12, 24, 19, 0)


@pytest.mark.usefixtures("tokyo_machine")
def test_a_run_time_in_another_zone_is_dated_in_utc_whatever_the_machines_zone() -> None:
    # Given a run at 16:00 New York time on July 10th: 20:00 UTC, already July 11th in Tokyo
    moment = datetime(2020, 7, 10, 16, 0, tzinfo=ZoneInfo("America/New_York"))

    # When its digest date is worked out / Then it is the day before the UTC date
    assert digest_date_for(moment) == date(2020, 7, 9)
    assert digest_date_for(moment, lag_days=0) == date(2020, 7, 10)


@pytest.mark.usefixtures("tokyo_machine")
def test_window_times_are_utc_whatever_the_machines_zone() -> None:
    # Given a machine in Tokyo / When a window is worked out
    window = window_for(date(2020, 7, 9))

    # Then it is for that date, and its times are in UTC (and print as such)
    assert window.digest_date == date(2020, 7, 9)
    assert {moment.utcoffset() for moment in (window.start, window.end, window.announced)} == {timedelta(0)}
    assert window.to_dict() == {
        "digest_date": "2020-07-09",
        "start": "2020-07-07T18:00:00Z",
        "end": "2020-07-08T18:00:00Z",
        "announced": "2020-07-09T00:00:00Z",
    }


def test_no_announcement_says_why_in_words() -> None:
    # Given a Saturday and a holiday / When their windows are asked for / Then each says why not
    with pytest.raises(NoAnnouncementError) as weekend:
        window_for(date(2026, 6, 6))
    with pytest.raises(NoAnnouncementError) as holiday:
        window_for(date(2026, 6, 9), frozenset({date(2026, 6, 9)}))
    assert weekend.value.reason == "arXiv does not announce on Friday or Saturday evenings"
    assert holiday.value.reason == "an arXiv holiday (its published schedule, or HOTPAPERS_ARXIV_HOLIDAYS)"
    assert str(holiday.value) == (
        "arXiv makes no announcement for 2026-06-09: an arXiv holiday (its published schedule, or "
        "HOTPAPERS_ARXIV_HOLIDAYS)"
    )


def test_a_window_reads_back_from_its_stored_form() -> None:
    # Given the seed's window as a manifest stores it
    window = window_for(date(2020, 7, 9))
    # When read back, then it is the same window, in UTC
    assert Window.from_dict(window.to_dict()) == window
    assert Window.from_dict(window.to_dict()).end.utcoffset() == timedelta(0)


def test_a_non_utc_moment_is_converted_before_taking_its_date() -> None:
    # Given 2020-07-09 22:00 in New York, already 2020-07-10 02:00 in UTC
    moment = datetime(2020, 7, 9, 22, 0, tzinfo=ZoneInfo("America/New_York"))
    # Then the day's digest is the UTC day's yesterday, 2020-07-09
    assert digest_date_for(moment) == date(2020, 7, 9)

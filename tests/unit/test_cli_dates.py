"""The dates the CLI accepts, and what it says of a date no digest carries."""

from __future__ import annotations

import argparse
from datetime import date

import pytest
from hotpapers.cli.dates import BadDateError, check, check_range, digest_dates, nearest, no_digest, parse


@pytest.mark.parametrize("value", ["20260602", "2026-6-2", "2026-06-02T00:00", "02/06/2026", "2026-02-30", ""])
def test_only_yyyy_mm_dd_is_a_date(value: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="YYYY-MM-DD"):
        parse(value)


def test_a_well_formed_date_parses() -> None:
    assert parse("2026-06-02") == date(2026, 6, 2)


def test_future_and_pre_arxiv_dates_are_refused_and_today_is_not() -> None:
    today = date(2026, 6, 10)
    check(today, today)
    check(date(1991, 8, 14), today)
    with pytest.raises(BadDateError, match="in the future"):
        check(date(2026, 6, 11), today)
    with pytest.raises(BadDateError, match="before arXiv"):
        check(date(1991, 8, 13), today)
    with pytest.raises(BadDateError, match="after --to"):
        check_range(date(2026, 6, 5), date(2026, 6, 1), today)


def test_digest_dates_are_monday_to_friday_without_holidays() -> None:
    # Given a fortnight with a holiday on Wednesday 2026-06-03
    days = digest_dates(date(2026, 5, 30), date(2026, 6, 9), frozenset({date(2026, 6, 3)}))
    # Then weekends and the holiday are left out, oldest first
    assert [d.isoformat() for d in days] == [
        "2026-06-01", "2026-06-02", "2026-06-04", "2026-06-05", "2026-06-08", "2026-06-09",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("day", "before", "after"),
    [
        (date(2026, 6, 6), date(2026, 6, 5), date(2026, 6, 8)),  # Saturday
        (date(2026, 6, 7), date(2026, 6, 5), date(2026, 6, 8)),  # Sunday
        (date(2026, 6, 3), date(2026, 6, 2), date(2026, 6, 4)),  # a holiday Wednesday
    ],
)
def test_nearest_digest_dates(day: date, before: date, after: date) -> None:
    assert nearest(day, frozenset({date(2026, 6, 3)})) == (before, after)


def test_a_sunday_is_explained_as_the_date_typed() -> None:
    message = no_digest(date(2026, 6, 7), frozenset())
    assert message.startswith("No digest for 2026-06-07: 2026-06-07 is a Sunday; digests are dated Monday to Friday")
    assert "Friday or Saturday evenings" not in message
    assert message.endswith("Nearest digest dates: 2026-06-05 (Friday) and 2026-06-08 (Monday).")


def test_a_holiday_names_its_setting() -> None:
    assert "arXiv holiday (its published schedule, or HOTPAPERS_ARXIV_HOLIDAYS)" in no_digest(
        date(2026, 6, 3), frozenset({date(2026, 6, 3)})
    )

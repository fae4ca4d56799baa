from datetime import date

from hotpapers.holidays import PUBLISHED_CLOSURES, PUBLISHED_HOLIDAYS, digest_dates


def test_a_deferred_evening_skips_the_digest_dated_the_next_day() -> None:
    # Given Thanksgiving evening 2026 (Thursday) and New Year's Eve 2026 (Thursday)
    # Then the digests they would have made are Friday's and New Year's Day's
    assert digest_dates((date(2026, 11, 26), date(2026, 12, 31))) == {date(2026, 11, 27), date(2027, 1, 1)}


def test_the_published_schedule_holds_every_year_arxiv_published_and_only_dates() -> None:
    # Given the shipped schedule / Then it covers 2023 to 2026, each entry once, in order
    assert {day.year for day in PUBLISHED_CLOSURES} == {2023, 2024, 2025, 2026}
    assert list(PUBLISHED_CLOSURES) == sorted(set(PUBLISHED_CLOSURES))
    assert len(PUBLISHED_HOLIDAYS) == len(PUBLISHED_CLOSURES) == 36
    # And arXiv's 2026 closures are there: Thanksgiving, and the year end's three
    assert {date(2026, 11, 26), date(2026, 12, 25), date(2026, 12, 29), date(2026, 12, 31)} <= set(PUBLISHED_CLOSURES)
    assert date(2026, 12, 24) not in PUBLISHED_CLOSURES

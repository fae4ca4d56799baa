"""arXiv's published holiday schedule: the evenings it deferred, or will defer, an announcement.

arXiv lists them on its "Availability of submissions" page (https://info.arxiv.org/help/availability.html,
section "On Deferred Mailings"; its source is arXiv/arxiv-docs, ``source/help/availability.md``).
The page shows only the current year, so earlier years are read from that file's history
(docs/schedule.md names the commits). Each entry is the Eastern weekday whose 20:00 announcement
is deferred; the digest it would have made is dated the next UTC day (``schedule``). A Friday
or Saturday entry changes nothing here: those evenings never announce.
"""

from __future__ import annotations

from datetime import date, timedelta

PUBLISHED_CLOSURES: tuple[date, ...] = (
    # 2023 (arxiv-docs 13add154^, its last list of 2023)
    date(2023, 1, 16),
    date(2023, 6, 14),
    date(2023, 6, 19),
    date(2023, 7, 4),
    date(2023, 8, 17),
    date(2023, 9, 4),
    date(2023, 11, 23),
    date(2023, 12, 25),
    date(2023, 12, 27),
    # 2024 (arxiv-docs 5fd226c4^)
    date(2024, 1, 15),
    date(2024, 5, 22),
    date(2024, 6, 19),
    date(2024, 7, 4),
    date(2024, 9, 2),
    date(2024, 10, 8),
    date(2024, 11, 28),
    date(2024, 12, 25),
    date(2024, 12, 26),
    date(2024, 12, 31),
    # 2025 (arxiv-docs 574c5a44^)
    date(2025, 1, 1),
    date(2025, 1, 20),
    date(2025, 6, 19),
    date(2025, 7, 6),
    date(2025, 9, 1),
    date(2025, 11, 27),
    date(2025, 12, 25),
    date(2025, 12, 30),
    # 2026 (arxiv-docs 8332d7e6, 2026-07-24)
    date(2026, 1, 1),
    date(2026, 1, 19),
    date(2026, 6, 19),
    date(2026, 7, 3),
    date(2026, 9, 7),
    date(2026, 11, 26),
    date(2026, 12, 25),
    date(2026, 12, 29),
    date(2026, 12, 31),
)
"""Each deferred announcement evening (Eastern date), as arXiv published it."""


def digest_dates(closures: tuple[date, ...]) -> frozenset[date]:
    """The digest dates the deferred evenings would have made: each the UTC day after its evening."""
    return frozenset(evening + timedelta(days=1) for evening in closures)


PUBLISHED_HOLIDAYS = digest_dates(PUBLISHED_CLOSURES)
"""The digest dates arXiv's published schedule skips: ``HOTPAPERS_ARXIV_HOLIDAYS``'s default."""

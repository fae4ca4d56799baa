"""Holidays nobody configured: arXiv's published schedule by default, and windows mended by what
arXiv was seen to announce, over whole weeks of scheduled runs against a stand-in arXiv."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hotpapers import arxiv, layout, snapshot
from hotpapers.announcements import announced_window, record_empty, window_announcing
from hotpapers.config import load_settings
from hotpapers.holidays import PUBLISHED_HOLIDAYS
from hotpapers.layout import empty_key
from hotpapers.pipeline.fetch import fetch_day
from hotpapers.schedule import NoAnnouncementError, window_for
from support.arxiv_standin import ENV, ArxivStandIn, Submission, announce, serve
from support.memory_store import MemoryStore

RUN_AT = time(7, 45)
"""The scheduled run's time (UTC): the morning after the announcement it builds."""


def submissions(first: date, last: date) -> list[datetime]:
    """A submission every three hours through the windows of digests ``first`` to ``last``."""
    start, end = window_for(first).start, window_for(last).end
    return [start + timedelta(hours=3 * n) for n in range(int((end - start) / timedelta(hours=3)))]


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[list[Submission]], ArxivStandIn]]:
    """Serves whichever submissions the test gives, closed after it."""
    servers: list[ArxivStandIn] = []

    def connect(submitted: list[Submission]) -> ArxivStandIn:
        servers.append(serve(monkeypatch, submitted))
        return servers[-1]

    yield connect
    for server in servers:
        server.close()


def scheduled_runs(server: ArxivStandIn, store: MemoryStore, first: date, last: date, **env: str) -> None:
    """The daily run from ``first`` to ``last``: each morning it builds yesterday's digest."""
    day = first
    while day <= last:
        moment = datetime.combine(day + timedelta(days=1), RUN_AT, tzinfo=UTC)
        server.now = moment
        settings = load_settings({**ENV, "HOTPAPERS_NOW": moment.isoformat(), **env})
        with contextlib.suppress(NoAnnouncementError):
            fetch_day(day, settings, store)
        day += timedelta(days=1)


def digests(store: MemoryStore) -> dict[str, list[str]]:
    """Each sealed digest's papers, by digest date."""
    found = {}
    for key in store.keys("raw/"):
        if key.endswith("/" + layout.MANIFEST_NAME):
            sealed = snapshot.read(store, key)
            assert sealed.papers is not None
            found[sealed.digest_date] = [paper.id for paper in arxiv.sealed_papers(sealed.papers) or []]
    return found


WEEKS = {
    "the 2026 Thanksgiving week": (date(2026, 11, 23), date(2026, 12, 4)),
    "the 2026-27 year end": (date(2026, 12, 21), date(2027, 1, 8)),
}


@pytest.mark.parametrize("weeks", list(WEEKS), ids=list(WEEKS))
@pytest.mark.parametrize(
    "holidays", [{}, {"HOTPAPERS_ARXIV_HOLIDAYS": "none"}], ids=["published schedule", "no holiday at all"]
)
def test_every_paper_submitted_in_a_holiday_week_lands_in_exactly_one_digest(
    standin: Callable[[list[Submission]], ArxivStandIn], weeks: str, holidays: dict[str, str]
) -> None:
    # Given arXiv skipping the evenings its published schedule names (Thanksgiving, the year end),
    # and nothing configured: the schedule shipped, or even no holiday at all
    first, last = WEEKS[weeks]
    submitted = announce(submissions(first, last), PUBLISHED_HOLIDAYS)
    server = standin(submitted)
    store = MemoryStore()
    # When the scheduled run builds every day of those weeks, each the morning after
    scheduled_runs(server, store, first, last, **holidays)
    # Then every paper submitted in those weeks is in exactly one digest
    listed = [paper_id for papers in digests(store).values() for paper_id in papers]
    assert sorted(listed) == sorted(s.paper_id for s in submitted)


def test_the_friday_after_thanksgiving_is_confirmed_empty_and_monday_covers_wednesday_to_friday(
    standin: Callable[[list[Submission]], ArxivStandIn],
) -> None:
    # Given arXiv skipping Thanksgiving evening (2026-11-26), which no setting names
    first, last = date(2026, 11, 23), date(2026, 12, 4)
    submitted = announce(submissions(first, last), PUBLISHED_HOLIDAYS)
    server = standin(submitted)
    store = MemoryStore()
    # When the scheduled runs build the week with no holiday at all
    scheduled_runs(server, store, first, date(2026, 11, 30), HOTPAPERS_ARXIV_HOLIDAYS="none")
    # Then Friday's digest was found empty on Saturday morning, and recorded so
    assert layout.manifest_key(date(2026, 11, 27)) not in store.objects
    recorded = json.loads(store.get(empty_key(date(2026, 11, 27))))
    assert recorded["fetched_at"] == "2026-11-28T07:45:00Z"
    # And Monday's window starts where Thursday's digest ended: Wednesday 14:00 ET
    monday = snapshot.read(store, layout.manifest_key(date(2026, 11, 30))).window
    assert monday.start == window_for(date(2026, 11, 26)).end == datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
    assert monday.end == window_for(date(2026, 11, 30)).end


def test_a_day_asked_before_its_announcement_is_not_recorded_empty(
    standin: Callable[[list[Submission]], ArxivStandIn],
) -> None:
    # Given a day whose announcement has not happened yet when it is fetched
    day = date(2026, 11, 24)
    server = standin(announce(submissions(day, day), frozenset()))
    store = MemoryStore()
    moment = window_for(day).announced - timedelta(seconds=1)
    server.now = moment
    settings = load_settings({**ENV, "HOTPAPERS_NOW": moment.isoformat()})
    # When it is fetched / Then there is nothing, and nothing is recorded: the next window stays the calendar's
    with pytest.raises(NoAnnouncementError):
        fetch_day(day, settings, store)
    assert store.objects == {}


# ---------------------------------------------------------------- the window's rules, one by one

MON, TUE, WED, THU, FRI = (date(2026, 11, d) for d in (23, 24, 25, 26, 27))
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def seal(store: MemoryStore, day: date, start: datetime | None = None) -> None:
    """A sealed manifest for ``day`` (its calendar window, or one starting at ``start``)."""
    window = window_for(day)
    if start is not None:
        window = window.__class__(window.digest_date, start, window.end, window.announced)
    store.put(layout.manifest_key(day), json.dumps({"window": window.to_dict()}).encode())


def test_with_nothing_stored_the_window_is_the_calendars() -> None:
    assert announced_window(WED, frozenset(), MemoryStore()) == window_for(WED)


def test_a_window_starts_where_the_sealed_day_before_it_ended() -> None:
    # Given Tuesday sealed with a window that ended an hour before the calendar says
    store = MemoryStore()
    tuesday = window_for(TUE)
    seal(store, TUE)
    store.put(
        layout.manifest_key(TUE),
        json.dumps({"window": {**tuesday.to_dict(), "end": "2026-11-23T18:00:00Z"}}).encode(),
    )
    # Then Wednesday's window starts there
    assert announced_window(WED, frozenset(), store).start == datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def test_confirmed_empty_days_are_reached_over_to_the_last_sealed_one() -> None:
    # Given Monday sealed, then Tuesday and Wednesday confirmed empty
    store = MemoryStore()
    seal(store, MON)
    record_empty(store, window_for(TUE), NOW)
    record_empty(store, window_for(WED), NOW)
    # Then Thursday's window starts where Monday's ended, and ends as the calendar says
    window = announced_window(THU, frozenset(), store)
    assert (window.start, window.end) == (window_for(MON).end, window_for(THU).end)


def test_confirmed_empty_days_with_nothing_sealed_before_reach_back_to_their_own_start() -> None:
    # Given Wednesday confirmed empty, and nothing stored before it
    store = MemoryStore()
    record_empty(store, window_for(WED), NOW)
    # Then Thursday's window covers Wednesday's too
    assert announced_window(THU, frozenset(), store).start == window_for(WED).start


def test_a_day_never_fetched_stops_the_reach_back() -> None:
    # Given Monday sealed, Tuesday never fetched, Wednesday confirmed empty
    store = MemoryStore()
    seal(store, MON, start=datetime(2026, 11, 19, 0, 0, tzinfo=UTC))
    record_empty(store, window_for(WED), NOW)
    # Then Thursday reaches back over Wednesday only: Tuesday's papers are Tuesday's digest's
    assert announced_window(THU, frozenset(), store).start == window_for(WED).start


def test_the_reach_back_is_bounded() -> None:
    # Given every announcing day of three weeks confirmed empty
    store = MemoryStore()
    day = THU - timedelta(days=21)
    while day < THU:
        with contextlib.suppress(NoAnnouncementError):
            record_empty(store, window_for(day), NOW)
        day += timedelta(days=1)
    # Then the window reaches back no further than two weeks of calendar
    start = announced_window(THU, frozenset(), store).start
    assert start == window_for(date(2026, 11, 12)).start


def test_a_window_a_later_sealed_digest_already_covers_announces_nothing() -> None:
    # Given Monday's digest sealed with a window reaching back over Friday's (Thanksgiving)
    store = MemoryStore()
    seal(store, date(2026, 11, 30), start=window_for(FRI).start)
    # When Friday is fetched again later / Then it has nothing of its own, and says where its papers are
    with pytest.raises(NoAnnouncementError, match="announced in the digest of 2026-11-30"):
        announced_window(FRI, frozenset(), store)


def test_a_window_ends_where_a_later_sealed_digest_begins() -> None:
    # Given Thursday sealed with a window starting an hour into Wednesday's
    store = MemoryStore()
    seal(store, THU, start=window_for(WED).start + timedelta(hours=1))
    # Then Wednesday's window ends there
    window = announced_window(WED, frozenset(), store)
    assert (window.start, window.end) == (window_for(WED).start, window_for(WED).start + timedelta(hours=1))


def test_holidays_still_skip_days_in_both_directions() -> None:
    # Given Wednesday a holiday and Tuesday and Thursday sealed as the calendar says
    holidays = frozenset({WED})
    store = MemoryStore()
    seal(store, TUE)
    seal(store, THU, start=window_for(TUE).end)
    # Then Wednesday has no announcement, and Thursday's window is unchanged
    with pytest.raises(NoAnnouncementError):
        announced_window(WED, holidays, store)
    assert announced_window(THU, holidays, store) == window_for(THU, holidays)


def test_a_submission_is_announced_by_the_calendar_window_holding_it() -> None:
    # Given a submission on Thanksgiving Thursday 2026, 13:00 ET, with and without the holiday
    submitted = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
    # Then Friday's digest announces it, or Monday's when Thursday evening is skipped
    assert window_announcing(submitted, frozenset()) == window_for(FRI)
    assert window_announcing(submitted, PUBLISHED_HOLIDAYS).digest_date == date(2026, 11, 30)
    # And a calendar with no announcement for weeks says so rather than guess
    closed = frozenset(FRI + timedelta(days=n) for n in range(30))
    with pytest.raises(NoAnnouncementError, match="no window within 14 days"):
        window_announcing(submitted, closed)

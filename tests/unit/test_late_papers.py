"""Papers arXiv announces late (held in moderation): each listed once, by the first digest whose
fetch sees it, marked late; against a stand-in arXiv that lists a paper only once it is announced."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hotpapers import arxiv, layout, snapshot, website
from hotpapers.config import load_settings
from hotpapers.late import SealedDay, id_order, late_papers, lookback, sealed_days, unclaimed
from hotpapers.models import Paper, RawDocument
from hotpapers.offline.replay import Reply, Request
from hotpapers.pipeline.fetch import fetch_day
from hotpapers.schedule import NoAnnouncementError, window_for
from hotpapers.scoring import Rules, score_snapshot
from hotpapers.snapshot import Snapshot
from support.arxiv_standin import ENV, ArxivStandIn, announce, serve
from support.builders import atom_entry, atom_feed, tweet, x_page
from support.memory_store import MemoryStore

# Four digests of an ordinary week: the held paper is submitted in the first one's window.
D3, D2, D1, D = date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 12)
HELD_AT = window_for(D3).start + timedelta(hours=13)


@pytest.fixture
def week(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ArxivStandIn, str]]:
    """A submission every three hours through the four windows, one of them (submitted in D-3's
    window) held in moderation until the evening after D's announcement, so that D's fetch, the
    next morning, is the first to see it; and that paper's id."""
    start, end = window_for(D3).start, window_for(D).end
    moments = [start + timedelta(hours=3 * n) for n in range(int((end - start) / timedelta(hours=3)))]
    moments.append(HELD_AT + timedelta(minutes=1))
    submitted = announce(moments, frozenset(), held={len(moments) - 1: window_for(D + timedelta(days=1)).announced})
    (held,) = [s for s in submitted if s.submitted == HELD_AT + timedelta(minutes=1)]
    server = serve(monkeypatch, submitted)
    yield server, held.paper_id
    server.close()


def run(server: ArxivStandIn, store: MemoryStore, day: date, moment: datetime, **env: str) -> None:
    server.now = moment
    with contextlib.suppress(NoAnnouncementError):
        fetch_day(day, load_settings({**ENV, "HOTPAPERS_NOW": moment.isoformat(), **env}), store)


def scheduled(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(7, 45), tzinfo=UTC)


def listed(store: MemoryStore) -> dict[str, tuple[list[str], list[str]]]:
    """Each sealed digest's papers and the ones its manifest marks late."""
    found = {}
    for key in store.keys("raw/"):
        if key.endswith("/manifest.json"):
            sealed = snapshot.read(store, key)
            assert sealed.papers is not None
            papers = [paper.id for paper in arxiv.sealed_papers(sealed.papers) or []]
            found[sealed.digest_date] = (papers, sealed.manifest["arxiv"].get("late", []))
    return found


def holding(store: MemoryStore, paper_id: str) -> list[str]:
    return [day for day, (papers, _) in listed(store).items() if paper_id in papers]


def test_a_paper_announced_days_late_is_listed_once_in_the_first_digest_that_sees_it(
    week: tuple[ArxivStandIn, str],
) -> None:
    # Given a paper submitted in D-3's window but held until after D's announcement
    server, held = week
    store = MemoryStore()
    # When each day is fetched the morning after its announcement
    for day in (D3, D2, D1, D):
        run(server, store, day, scheduled(day))
    # Then the paper is in D's digest alone, marked announced late
    assert holding(store, held) == [D.isoformat()]
    assert listed(store)[D.isoformat()][1] == [held]
    # And no other digest marks anything late
    assert [day for day, (_, late) in listed(store).items() if late] == [D.isoformat()]
    # And D's snapshot keeps the look-back's pages as arXiv sent them, beside the window's
    manifest = json.loads(store.get(layout.manifest_key(D)))
    names = [entry["name"] for entry in manifest["arxiv"]["files"]]
    assert names == ["page-000000.xml", "lookback-000000.xml"]


def test_a_backfill_of_those_days_afterwards_never_lists_it_twice(week: tuple[ArxivStandIn, str]) -> None:
    # Given the four days fetched as they happened, the held paper listed late in D
    server, held = week
    store = MemoryStore()
    for day in (D3, D2, D1, D):
        run(server, store, day, scheduled(day))
    # When the same days are fetched again a week later, when arXiv lists the paper in D-3's window
    later = scheduled(D) + timedelta(days=7)
    for day in (D3, D2, D1, D):
        run(server, store, day, later)
    # Then it is still in D's digest alone, and still marked late there
    assert holding(store, held) == [D.isoformat()]
    assert listed(store)[D.isoformat()][1] == [held]


def test_a_first_backfill_after_the_fact_lists_it_once_in_its_own_window(week: tuple[ArxivStandIn, str]) -> None:
    # Given nothing fetched while it happened / When the days are backfilled a week later
    server, held = week
    store = MemoryStore()
    for day in (D3, D2, D1, D):
        run(server, store, day, scheduled(D) + timedelta(days=7))
    # Then the paper is listed once, in the window it was submitted in, and nothing is late
    assert holding(store, held) == [D3.isoformat()]
    assert all(not late for _, late in listed(store).values())


def test_without_an_earlier_sealed_day_nothing_is_read_back(week: tuple[ArxivStandIn, str]) -> None:
    # Given nothing sealed before D / When D is fetched
    server, _ = week
    run(server, MemoryStore(), D, scheduled(D))
    # Then arXiv was asked for D's window alone
    assert len(server.requests_to("/api/query")) == 1


def test_a_look_back_of_zero_days_reads_nothing_back(week: tuple[ArxivStandIn, str]) -> None:
    # Given the days before D sealed, and the look-back set to 0
    server, held = week
    store = MemoryStore()
    for day in (D3, D2, D1):
        run(server, store, day, scheduled(day))
    asked = len(server.requests_to("/api/query"))
    # When D is fetched / Then one request only, and the held paper is in no digest
    run(server, store, D, scheduled(D), HOTPAPERS_ARXIV_LOOKBACK_DAYS="0")
    assert len(server.requests_to("/api/query")) == asked + 1
    assert holding(store, held) == []


def test_a_look_back_arxiv_fails_to_answer_costs_the_day_nothing_and_the_next_day_finds_the_paper(
    week: tuple[ArxivStandIn, str], caplog: pytest.LogCaptureFixture
) -> None:
    # Given the days before D sealed, and arXiv failing every request for a span before D's window
    server, held = week
    store = MemoryStore()
    for day in (D3, D2, D1):
        run(server, store, day, scheduled(day))
    listing = server.listing
    opens = window_for(D).start.strftime("%Y%m%d%H%M")

    def failing(request: Request) -> Reply:
        if f"TO {opens}]" in request.query["search_query"]:
            return Reply(503, b"")
        return listing(request)

    server.listing = failing  # type: ignore[method-assign]
    # When D is fetched / Then it is sealed with its own window, nothing late, and a warning
    run(server, store, D, scheduled(D))
    assert listed(store)[D.isoformat()][1] == []
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"][-1] == (
        "arxiv look-back failed; no late paper added"
    )
    # And the next day's look-back, answered, lists the held paper late there
    server.listing = listing  # type: ignore[method-assign]
    following = D + timedelta(days=1)
    run(server, store, following, scheduled(following))
    assert holding(store, held) == [following.isoformat()]


def test_the_look_back_reads_the_days_before_the_window_and_stops_where_it_opens() -> None:
    # Given D's window / When its look-back of 7 days is worked out
    window = window_for(D)
    span = lookback(window, 7)
    # Then it covers the 7 days before the window opens, for the same digest
    assert (span.start, span.end) == (window.start - timedelta(days=7), window.start)
    assert (span.digest_date, span.announced) == (D, window.announced)


# ---------------------------------------------------------------- which papers are late, one rule at a time


def paper(paper_id: str, submitted: datetime) -> Paper:
    published = submitted.strftime("%Y-%m-%dT%H:%M:%SZ")
    return Paper(paper_id, 1, "T", ("A",), ("cs.LG",), "", published, published)


def sealed(day: date, *papers: str, late: tuple[str, ...] = ()) -> SealedDay:
    return SealedDay(day, window_for(day), frozenset(papers), frozenset(late))


IN_D3 = window_for(D3).start + timedelta(hours=1)
EARLIER = [sealed(D3, "2611.00010", "2611.00011"), sealed(D2, "2611.00020", "2611.00021")]


def test_a_paper_above_the_last_sealed_days_ids_submitted_in_a_covered_window_is_late() -> None:
    assert late_papers([paper("2611.00030", IN_D3)], EARLIER) == [paper("2611.00030", IN_D3)]


@pytest.mark.parametrize(
    ("candidate", "why"),
    [
        (paper("2611.00021", IN_D3), "its id is not above the last sealed day's highest"),
        (paper("2611.00011", IN_D3), "a sealed digest holds it"),
        (paper("2611.00030", window_for(D3).start - timedelta(minutes=1)), "no sealed digest covers its window"),
        (paper("2611.00030", window_for(D2).end), "submitted after every sealed window"),
        (paper("hep-th/0101001", IN_D3), "an old-style id is never a new paper's"),
    ],
)
def test_a_paper_is_not_late_when(candidate: Paper, why: str) -> None:
    assert late_papers([candidate], EARLIER) == [], why


def test_without_an_earlier_digest_or_an_id_in_it_nothing_is_late() -> None:
    assert late_papers([paper("2611.00030", IN_D3)], []) == []
    assert late_papers([paper("2611.00030", IN_D3)], [sealed(D3, "hep-th/0101001")]) == []


def test_the_last_sealed_day_sets_the_bar_whatever_the_order_given() -> None:
    # Given the later day first / Then its ids are still the bar
    assert late_papers([paper("2611.00015", IN_D3)], list(reversed(EARLIER))) == []


def test_a_paper_a_later_digest_lists_late_is_left_out_of_an_earlier_days_refetch() -> None:
    papers = [paper("2611.00010", IN_D3), paper("2611.00030", IN_D3)]
    assert unclaimed(papers, [sealed(D, "2611.00030", late=("2611.00030",))]) == papers[:1]
    assert unclaimed(papers, [sealed(D, "2611.00010")]) == papers


@pytest.mark.parametrize(
    ("paper_id", "order"), [("2611.00030", (2611, 30)), ("0704.0001", (704, 1)), ("hep-th/0101001", None)]
)
def test_ids_are_ordered_by_month_then_number(paper_id: str, order: tuple[int, int] | None) -> None:
    assert id_order(paper_id) == order


def test_a_snapshot_sealed_without_its_papers_still_lists_its_late_ones() -> None:
    # Given a manifest marking a paper late, its page listing it outside the window, and no papers document
    window = window_for(D)
    store = MemoryStore()
    entries = [atom_entry("2611.00100", published="2026-11-11T12:00:00Z"), atom_entry("2611.00030")]
    page = atom_feed(entries)
    document = RawDocument("lookback-000000.xml", page, "http://arxiv.test", 200, "application/atom+xml")
    snapshot.write(store, window, scheduled(D), ("cs.LG",), [document], {}, {}, late=["2611.00030"])
    # When it is read back as an earlier digest / Then both are its papers, one of them late
    (day,) = sealed_days(store, D, D)
    assert day.papers == {"2611.00100", "2611.00030"}
    assert day.late == {"2611.00030"}


def test_a_late_paper_is_scored_and_shown_as_announced_late_and_the_others_are_not() -> None:
    # Given a day whose manifest marks a paper submitted a week before its window as announced late,
    # both papers discussed, and no sealed papers document (so the pages are parsed)
    window = window_for(date(2020, 7, 9))
    posts = [
        tweet(f"{n}", "a", f"https://arxiv.org/abs/{paper_id}", likes=60)
        for n, paper_id in enumerate(("2007.00001", "2007.09999"), start=1)
    ]
    day = Snapshot(
        manifest={
            "date": "2020-07-09",
            "fetched_at": "2020-07-10T07:46:45Z",
            "window": window.to_dict(),
            "arxiv": {"files": [], "late": ["2007.09999"]},
            "sources": {"x": {"status": "ok", "error": None, "files": []}},
        },
        arxiv=[atom_feed([atom_entry("2007.00001"), atom_entry("2007.09999", published="2020-07-01T12:00:00Z")])],
        sources={"x": {"search-0000.json": json.dumps(x_page(posts)).encode()}},
    )
    # When it is scored and rendered
    scored = score_snapshot(day, Rules())
    # Then both are listed, the late one marked so
    assert {entry["paper"]["id"]: entry.get("late", False) for entry in scored["papers"]} == {
        "2007.00001": False,
        "2007.09999": True,
    }
    # And the page and the Markdown say it once, with the submission date
    page, markdown = website.page(scored), website.markdown(scored)
    assert page.count("Announced late: submitted July 1, 2020") == 1
    assert markdown.count("- announced late (submitted July 1, 2020)\n") == 1

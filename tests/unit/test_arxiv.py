from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
import requests
import urllib3
from conftest import arxivpy_golden, real_fixture
from hotpapers import arxiv
from hotpapers.schedule import Window, window_for
from requests.structures import CaseInsensitiveDict
from support.builders import atom_entry, atom_feed

# Every instant a test paper may carry, so that parse_pages keeps them all.
ALWAYS = Window(date(2020, 7, 9), datetime(1990, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC), datetime.now(UTC))
SEED = window_for(date(2020, 7, 9))  # 2020-07-07T18:00Z to 2020-07-08T18:00Z
NICOTINE = "arxiv_api_new_format_2026-07-17_all-nicotine_10entries.xml"
EXCERPT = "arxiv_api_new_format_2026-08-05_submittedDate_excerpt.xml"
TRANSFORMER = "arxiv_api_new_format_2026-06-14_all-transformer_cs.LG_5entries.xml"


def test_parses_the_late_2025_format() -> None:
    # Given a real submittedDate query answer in the new API format
    feed = arxiv.parse_feed(real_fixture(EXCERPT))
    # Then paging counters and the first paper are read, id and version apart
    assert (feed.total, feed.start, len(feed.papers)) == (556, 0, 5)
    paper = feed.papers[0]
    assert (paper.id, paper.version) == ("2608.04005", 1)
    assert paper.title.startswith("Cosmology in the Einstein Telescope era")
    assert paper.authors[:2] == ("Giovanni Antinozzi", "Guillermo Franco Abellán")
    assert paper.abs_url == "https://arxiv.org/abs/2608.04005"
    assert paper.pdf_url == "https://arxiv.org/pdf/2608.04005"
    assert paper.comment is not None
    assert paper.comment.startswith("28 pages, 8 figures")
    # And the entry without arxiv:comment has none
    assert feed.papers[4].comment is None


def test_primary_category_comes_first_then_arxiv_order() -> None:
    # Given the nicotine answer, whose entries list several categories
    papers = {paper.id: paper for paper in arxiv.parse_feed(real_fixture(NICOTINE)).papers}
    # Then the primary leads and the rest keep arXiv's order
    assert papers["1509.01687"].categories == ("cond-mat.mes-hall", "physics.comp-ph")
    assert papers["0901.0089"].categories == ("q-bio.NC", "q-bio.CB", "q-bio.QM", "q-bio.SC")
    assert papers["2511.17570"].categories == ("physics.soc-ph", "cs.CY")


def test_edge_cases_journal_ref_doi_versions_and_old_ids() -> None:
    papers = {paper.id: paper for paper in arxiv.parse_feed(real_fixture(NICOTINE)).papers}
    # Then journal_ref and doi are kept, versions split off, old-style ids kept whole
    assert papers["1509.01687"].journal_ref == "Journal of Applied Physics 116, 244307 (2014)"
    assert papers["1509.01687"].doi == "10.1063/1.4904358"
    assert papers["1206.3474"].version == 2
    old = papers["q-bio/0509018"]
    assert old.version == 2
    assert old.abs_url == "https://arxiv.org/abs/q-bio/0509018"


def test_whitespace_is_collapsed_in_abstracts_and_names_and_titles_are_one_line() -> None:
    # Given every paper of three real answers
    papers = [p for name in (NICOTINE, EXCERPT, TRANSFORMER) for p in arxiv.parse_feed(real_fixture(name)).papers]
    # Then no abstract or author keeps a newline or a double space, and no title a line break
    for paper in papers:
        for text in (paper.abstract, *paper.authors):
            assert "\n" not in text
            assert "  " not in text
            assert text == text.strip()
        assert "\n" not in paper.title
        assert paper.title == paper.title.strip()


def test_a_wrapped_title_joins_as_the_seed_shows_it() -> None:
    # Given an entry whose title arXiv wrapped, as the seed's second paper was
    feed = atom_feed(
        [
            atom_entry(
                "2007.04068",
                "Decolonial AI: Decolonial Theory as Sociotechnical Foresight in\n  Artificial Intelligence",
            )
        ]
    )
    # When parsed
    (paper,) = arxiv.parse_feed(feed).papers
    # Then the line break goes and the indentation stays, exactly as in the seed
    assert paper.title == "Decolonial AI: Decolonial Theory as Sociotechnical Foresight in  Artificial Intelligence"


def test_error_feed_with_http_400_is_an_error() -> None:
    # Given arXiv's real answer to a malformed id
    status, body = arxivpy_golden("arxivpy_golden_id_abc_s0_m100_b79c8dcf6bc3.json")
    assert status == 400
    # When / Then parsing it raises, quoting arXiv's message
    with pytest.raises(arxiv.ArxivError, match="incorrect id format for abc"):
        arxiv.parse_feed(body)


def test_empty_result_is_zero_papers_not_an_error() -> None:
    status, body = arxivpy_golden("arxivpy_golden_id_0000.0000_s0_m100_8b51d9633a68.json")
    feed = arxiv.parse_feed(body)
    assert (status, feed.total, feed.papers) == (200, 0, [])


def test_garbage_is_an_error() -> None:
    with pytest.raises(arxiv.ArxivError, match="unreadable"):
        arxiv.parse_feed(b"<html><body>Service Unavailable")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>Rate exceeded.</body></html>",  # well-formed, but not the Atom we asked for
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
        real_fixture(EXCERPT)[: len(real_fixture(EXCERPT)) * 55 // 100],  # cut at 55%
        atom_feed([atom_entry("2007.00001")], total=1).replace(b"<opensearch:totalResults>1", b"<x>1</x><y>"),
        atom_feed([]).replace(b"<opensearch:totalResults>0<", b"<opensearch:totalResults>many<"),
        # an entry with no id, where the parser used to raise AttributeError
        atom_feed(["<entry><title>T</title></entry>"], total=1),
    ],
    ids=["empty", "html-page", "rss", "truncated", "no-total", "total-not-a-number", "entry-without-id"],
)
def test_what_is_not_a_whole_arxiv_feed_is_an_unusable_answer(body: bytes) -> None:
    # Given an answer that is not a whole, well-formed arXiv Atom page
    # When / Then parsing it raises the project's typed error, never AttributeError or the like
    with pytest.raises(arxiv.UnusableAnswerError):
        arxiv.parse_feed(body)


@pytest.mark.parametrize(
    ("entry", "lacks"),
    [
        (atom_entry("2007.00001", authors=()), "authors"),
        (atom_entry("2007.00001", categories=("",)), "categories"),
        (atom_entry("2007.00001", title=" "), "title"),
        (atom_entry("2007.00001").replace("<title>A paper</title>", ""), "title"),
        (atom_entry("2007.00001").replace("<name>A. Author</name>", ""), "authors"),
        (re.sub(r"<(category|arxiv:primary_category) [^>]*/>", "", atom_entry("2007.00001")), "categories"),
        (atom_entry("2007.00001").replace("<published>2020-07-08T17:59:59Z</published>", ""), "published"),
        (atom_entry("2007.00001", title=" ", authors=()), "title, authors"),
    ],
    ids=["no-authors", "blank-category", "blank-title", "no-title", "nameless-author", "no-category", "no-date", "two"],
)
def test_an_entry_missing_what_a_digest_shows_makes_the_page_unusable(entry: str, lacks: str) -> None:
    # Given a page with one whole entry and one that lacks something (as a cut body would)
    body = atom_feed([atom_entry("2007.00002"), entry])
    # When / Then the page is refused, naming the entry and all it lacks
    with pytest.raises(arxiv.UnusableAnswerError) as refused:
        arxiv.parse_feed(body)
    assert str(refused.value) == f"arxiv: entry 1 (2007.00001) has no {lacks}"


def test_an_entry_whose_id_is_no_arxiv_abs_url_is_named_with_its_id() -> None:
    entry = atom_entry("2007.00001").replace("http://arxiv.org/abs/", "http://example.org/")
    with pytest.raises(arxiv.UnusableAnswerError) as refused:
        arxiv.parse_feed(atom_feed([entry]))
    assert str(refused.value) == "arxiv: entry 0: id 'http://example.org/2007.00001v1' is not an arXiv abs URL"


def test_what_an_entry_may_leave_out_is_read_as_absent() -> None:
    # Given an entry with no version in its id, no summary and no primary category
    entry = re.sub(
        r"<summary>[^<]*</summary>|<arxiv:primary_category [^>]*/>",
        "",
        atom_entry("2007.00001", categories=("cs.LG", "stat.ML")).replace("2007.00001v1", "2007.00001"),
    )
    # When parsed
    (paper,) = arxiv.parse_feed(atom_feed([entry])).papers
    # Then it is version 1 with no abstract, its categories in arXiv's order
    assert (paper.version, paper.abstract) == (1, "")
    assert paper.categories == ("cs.LG", "stat.ML")


def test_dates_are_read_as_utc_whatever_the_machines_zone(tokyo_machine: None) -> None:
    # Given a revised paper, on a machine whose local zone is Tokyo
    papers = {paper.id: paper for paper in arxiv.parse_feed(real_fixture(NICOTINE)).papers}
    # Then its first submission and its last revision are the instants arXiv wrote, in UTC
    assert (papers["1206.3474"].published, papers["1206.3474"].updated) == (
        "2012-06-15T14:07:14Z",
        "2013-07-09T09:20:29Z",
    )


def test_a_carriage_return_in_a_title_does_not_break_its_line() -> None:
    # Given a title wrapped with a carriage return written as a character reference
    entry = atom_entry("2007.00001", "Part one").replace("Part one", "Part one&#13;\n  part two")
    # Then the title is one line, its indentation kept as arXiv has it
    (paper,) = arxiv.parse_feed(atom_feed([entry])).papers
    assert paper.title == "Part one  part two"


def test_an_unreadable_body_is_refused_saying_what_the_reader_found() -> None:
    # Given a body cut mid-tag, and one whose encoding declaration holds a NUL
    for body, found in (
        (atom_feed([atom_entry("2007.00001")])[:300], "unclosed token"),
        (b'<?xml version="1.0" encoding="x-mac-\x00"?><feed/>', "ValueError"),
    ):
        # When / Then each is refused as an unusable answer naming the reader's complaint
        with pytest.raises(arxiv.UnusableAnswerError) as refused:
            arxiv.parse_feed(body)
        assert str(refused.value).startswith("arxiv: unreadable Atom feed: ")
        assert found in str(refused.value)


def test_a_real_paper_titled_error_is_a_paper_not_an_api_error() -> None:
    # Given a real paper whose title is "Error" (its id is an abs URL, not /api/errors)
    (paper,) = arxiv.parse_feed(atom_feed([atom_entry("2007.00001", "Error")])).papers
    # Then it is read like any other
    assert (paper.id, paper.title) == ("2007.00001", "Error")


def test_an_error_entry_with_status_200_is_still_an_api_error() -> None:
    # Given arXiv's error feed (title Error, id under /api/errors) served with status 200
    _, body = arxivpy_golden("arxivpy_golden_id_abc_s0_m100_b79c8dcf6bc3.json")
    # Then it is an error, and not one worth asking again
    with pytest.raises(arxiv.ArxivError, match="incorrect id format") as raised:
        arxiv.parse_feed(body)
    assert not isinstance(raised.value, arxiv.UnusableAnswerError)


def test_consecutive_pages_parse_and_deduplicate() -> None:
    # Given the two real consecutive pages of one query, with one page repeated
    pages = [
        arxivpy_golden(f"arxivpy_golden_q_testing_s{s}_m10_{h}.json")[1]
        for s, h in (("0", "bc5a6c384fe9"), ("10", "34e56e15aaac"))
    ]
    # When all are parsed together
    papers = arxiv.parse_pages([pages[0], pages[1], pages[0]], ALWAYS)
    # Then each paper appears once
    assert len(papers) == len({paper.id for paper in papers}) == 20


def test_query_asks_up_to_the_cutoff_minute_itself() -> None:
    # Given the seed's window, 2020-07-07T18:00Z to 2020-07-08T18:00Z
    query = arxiv.search_query(SEED, ["cs.*", "stat.ML"])
    # Then both bounds are the window's own minutes: arXiv compares gte start:00 and lte end:00,
    # so ending at 17:59 would lose every paper submitted in 17:59:01-17:59:59
    assert query == "submittedDate:[202007071800 TO 202007081800] AND (cat:cs.* OR cat:stat.ML)"


def test_the_window_keeps_the_last_minute_and_gives_the_cutoff_instant_to_the_next_day() -> None:
    # Given papers at the window's bounds and in its last minute
    stamps = {
        "2007.00001": "2020-07-07T17:59:59Z",  # just before the start: the previous day's
        "2007.00002": "2020-07-07T18:00:00Z",  # exactly at the start: this day's
        "2007.00003": "2020-07-08T17:59:00Z",  # the last minute
        "2007.00004": "2020-07-08T17:59:59Z",  # the last second
        "2007.00005": "2020-07-08T18:00:00Z",  # exactly at the cutoff: the next day's
    }
    body = atom_feed([atom_entry(paper_id, published=at) for paper_id, at in stamps.items()])
    # When the day's pages are read
    papers = arxiv.parse_pages([body], SEED)
    # Then exactly start <= published < end is kept
    assert [paper.id for paper in papers] == ["2007.00002", "2007.00003", "2007.00004"]


def test_a_real_paper_of_the_last_minute_belongs_to_its_day() -> None:
    # Given the real answer holding a paper published 2026-06-11T17:59:49Z, and the window that
    # closed at 14:00 EDT that day (2026-06-12's digest)
    window = window_for(date(2026, 6, 12))
    assert window.end == datetime(2026, 6, 11, 18, 0, tzinfo=UTC)
    # When read as that day's page
    papers = arxiv.parse_pages([real_fixture(TRANSFORMER)], window)
    # Then the 13:59:49 EDT paper is in the digest (the old query ended at 13:59:00 and lost it)
    assert "2606.13677" in {paper.id for paper in papers}
    assert "202606111800]" in arxiv.search_query(window, ["cs.LG"])


def test_a_real_paper_of_the_last_minute_in_a_submitted_date_answer() -> None:
    # Given the real submittedDate answer whose first paper was published 2026-08-04T17:59:09Z
    window = window_for(date(2026, 8, 5))
    # When read as 2026-08-05's page (window closing 2026-08-04 14:00 EDT)
    papers = arxiv.parse_pages([real_fixture(EXCERPT)], window)
    # Then that paper is kept with the rest of the window's
    assert papers[0].id == "2608.04005"


class FakeArxiv:
    """A session answering arXiv GETs from a list of bodies on a clock it advances.

    Each answer takes ``latency`` seconds of the shared clock; ``sleep`` moves the clock on. The
    instant each request arrived is recorded, so politeness is measured, not assumed.
    """

    def __init__(
        self, answers: list[bytes | tuple[bytes, str]], latency: float = 0.0, status: int = 200, declared: int = 0
    ) -> None:
        self.answers = answers
        self.latency = latency
        self.status = status
        # A Content-Length longer than the bodies: each answer breaks off before its end.
        self.declared = declared
        self.now = 1000.0
        self.params: list[dict[str, Any]] = []
        self.urls: list[str] = []
        self.arrivals: list[float] = []
        self.sleeps: list[float] = []
        self.timeouts: list[Any] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def request(self, method: str, url: str, params: dict[str, Any], **kwargs: Any) -> requests.Response:
        assert method == "GET"
        self.params.append(dict(params))
        self.urls.append(url)
        self.timeouts.append(kwargs.get("timeout"))
        self.arrivals.append(self.now)
        self.now += self.latency
        answer = self.answers[min(len(self.params), len(self.answers)) - 1]
        body, content_type = answer if isinstance(answer, tuple) else (answer, "application/atom+xml; charset=utf-8")
        headers = {"Content-Type": content_type} if content_type else {}
        if self.declared:
            headers["Content-Length"] = str(self.declared)
        response = requests.Response()
        response.status_code = self.status
        response.raw = urllib3.HTTPResponse(body=io.BytesIO(body), headers=headers, preload_content=False)
        response.headers = CaseInsensitiveDict(headers)
        response.url = url
        return response


def feed_page(start: int, total: int, ids: list[str]) -> bytes:
    return atom_feed([atom_entry(paper_id) for paper_id in ids], total=total, start=start)


def fetch(
    session: FakeArxiv, page_size: int = arxiv.PAGE_SIZE, delay: float = 0.0, pacer: arxiv.Pacer | None = None
) -> list[Any]:
    """The window fetched from ``session``, paced on its clock (by a pacer of its own unless given)."""
    return arxiv.fetch_window(
        session,  # type: ignore[arg-type]
        "http://arxiv.invalid/api/query",
        SEED,
        ["cs.LG"],
        delay=delay,
        sleep=session.sleep,
        pacer=pacer or arxiv.Pacer(session.clock),
        page_size=page_size,
    )


def test_pages_until_total_waiting_the_delay_and_retrying_an_empty_page() -> None:
    # Given three papers served two per page, with the second page first coming back empty
    session = FakeArxiv(
        [feed_page(0, 3, ["2007.00001", "2007.00002"]), feed_page(2, 3, []), feed_page(2, 3, ["2007.00003"])]
    )
    # When the window is fetched with a 3 s politeness delay, answers taking no time
    pages = fetch(session, page_size=2, delay=3.0)
    # Then the empty page was asked again and two pages were kept
    assert [p["start"] for p in session.params] == [0, 2, 2]
    assert [page.document.meta["entries"] for page in pages] == [2, 1]
    # And every request after the first waited the full delay
    assert session.sleeps == [3.0, 3.0]
    assert {p["max_results"] for p in session.params} == {2}


def test_the_wait_counts_from_the_answer_not_the_question() -> None:
    # Given answers that take 0.5 s each, on a moving clock
    session = FakeArxiv(
        [feed_page(0, 3, ["2007.00001"]), feed_page(1, 3, ["2007.00002"]), feed_page(2, 3, ["2007.00003"])],
        latency=0.5,
    )
    # When fetched one paper per page with a 3 s delay
    fetch(session, page_size=1, delay=3.0)
    # Then each wait is the full delay, counted from the answer (the clock is read after it)...
    assert session.sleeps == [3.0, 3.0]
    # ...and no two requests came within the delay of each other
    gaps = [later - earlier for earlier, later in zip(session.arrivals, session.arrivals[1:], strict=False)]
    assert gaps == [3.5, 3.5]


def test_a_page_is_parsed_within_the_wait_that_follows_its_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given answers that take 0.5 s each, and a parse that takes 1 s of the same clock
    session = FakeArxiv(
        [feed_page(0, 3, ["2007.00001"]), feed_page(1, 3, ["2007.00002"]), feed_page(2, 3, ["2007.00003"])],
        latency=0.5,
    )
    parse_feed = arxiv.parse_feed

    def slow_parse(body: bytes) -> arxiv.Feed:
        session.now += 1.0
        return parse_feed(body)

    monkeypatch.setattr(arxiv, "parse_feed", slow_parse)
    # When fetched one paper per page with a 3 s delay
    fetch(session, page_size=1, delay=3.0)
    # Then the wait counts from the answer, before the parse: the parse's second is not added to it
    assert session.sleeps == [2.0, 2.0]
    # ...and still no two requests came within the delay of each other
    gaps = [later - earlier for earlier, later in zip(session.arrivals, session.arrivals[1:], strict=False)]
    assert gaps == [3.5, 3.5]


def test_the_delay_holds_across_fetches_as_a_backfill_makes_them() -> None:
    # Given two days fetched one after the other by one process (one pacer), answers taking no time
    session = FakeArxiv([feed_page(0, 1, ["2007.00001"]), feed_page(0, 1, ["2007.00002"])])
    pacer = arxiv.Pacer(session.clock)
    for _ in range(2):
        fetch(session, delay=3.0, pacer=pacer)
    # Then the second day's first request waited the delay after the first day's last answer
    assert session.sleeps == [3.0]
    assert session.arrivals[1] - session.arrivals[0] == pytest.approx(3.0)


def test_a_request_that_failed_outright_also_starts_the_delay() -> None:
    # Given one process (one pacer) whose first ask of arXiv fails without an answer
    session = FakeArxiv([feed_page(0, 1, ["2007.00001"])])
    pacer = arxiv.Pacer(session.clock)
    answer = session.request

    def refused(*args: Any, **kwargs: Any) -> requests.Response:
        session.arrivals.append(session.now)
        raise requests.ConnectionError("connection reset by peer")

    session.request = refused  # type: ignore[method-assign]
    with pytest.raises(arxiv.ArxivError):
        fetch(session, delay=3.0, pacer=pacer)

    # When the process asks again (a backfill's next day, a warm container's next event)
    session.request = answer  # type: ignore[method-assign]
    fetch(session, delay=3.0, pacer=pacer)

    # Then that ask waited the full delay after the failed one: arXiv may have received it
    assert session.sleeps == [3.0]
    assert session.arrivals[1] - session.arrivals[0] == pytest.approx(3.0)


def test_time_already_passed_since_the_last_answer_is_not_waited_again() -> None:
    # Given a clock that moves 1 s between the answer and the next ask (the caller's own work)
    session = FakeArxiv([feed_page(0, 2, ["2007.00001"]), feed_page(1, 2, ["2007.00002"])])
    ticking: Callable[[], float] = session.clock

    def clock() -> float:
        session.now += 0.5
        return ticking()

    # When fetched with a 3 s delay
    fetch(session, page_size=1, delay=3.0, pacer=arxiv.Pacer(clock))
    # Then the wait is the delay less the 0.5 s that already passed since the first answer
    # (read at 1000.5), so the second request comes exactly the delay after it
    assert session.sleeps == [2.5]
    assert session.arrivals[1] - 1000.5 == pytest.approx(3.0)


def test_a_truncated_page_is_asked_again_and_never_used() -> None:
    # Given a page cut at 55% (no Content-Length: the connection's close ended it), then whole
    whole = feed_page(0, 2, ["2007.00001", "2007.00002"])
    session = FakeArxiv([whole[: len(whole) * 55 // 100], whole])
    # When fetched
    pages = fetch(session)
    # Then the cut page was asked again and only the whole one kept
    assert len(session.params) == 2
    assert [page.document.body for page in pages] == [whole]


def test_a_page_that_stays_truncated_refuses_the_fetch() -> None:
    whole = feed_page(0, 2, ["2007.00001", "2007.00002"])
    session = FakeArxiv([whole[: len(whole) * 55 // 100]])
    with pytest.raises(arxiv.ArxivError, match="stayed unusable after 4 asks: unreadable Atom feed"):
        fetch(session)
    assert len(session.params) == arxiv.PAGE_RETRIES + 1


def test_a_page_with_fewer_entries_than_promised_is_asked_again() -> None:
    # Given a first page holding 1 entry where totalResults=3 and max_results=2 promise 2
    session = FakeArxiv(
        [
            feed_page(0, 3, ["2007.00001"]),
            feed_page(0, 3, ["2007.00001", "2007.00002"]),
            feed_page(2, 3, ["2007.00003"]),
        ]
    )
    pages = fetch(session, page_size=2)
    # Then the short page was asked again, and the window is whole
    assert [p["start"] for p in session.params] == [0, 0, 2]
    assert sum(page.document.meta["entries"] for page in pages) == 3


def test_a_page_answering_another_start_is_asked_again() -> None:
    session = FakeArxiv([feed_page(5, 2, ["2007.00001", "2007.00002"]), feed_page(0, 2, ["2007.00001", "2007.00002"])])
    assert len(fetch(session)) == 1
    assert len(session.params) == 2


def test_a_page_that_stays_empty_fails_the_fetch() -> None:
    session = FakeArxiv([feed_page(0, 5, [])])
    with pytest.raises(arxiv.ArxivError, match="stayed unusable"):
        fetch(session)


def test_an_empty_first_page_claiming_no_results_is_asked_again() -> None:
    # Given arXiv's glitch: a valid first page with no entries and totalResults=0, then the real one
    session = FakeArxiv([feed_page(0, 0, []), feed_page(0, 2, ["2007.00001", "2007.00002"])])
    # When the window is fetched
    pages = fetch(session)
    # Then the first page was asked again and both papers kept
    assert [p["start"] for p in session.params] == [0, 0]
    assert [page.document.meta["entries"] for page in pages] == [2]


def test_a_later_page_claiming_no_results_does_not_end_the_window_early() -> None:
    # Given a second page that glitches with totalResults=0 before answering properly
    session = FakeArxiv(
        [feed_page(0, 3, ["2007.00001", "2007.00002"]), feed_page(2, 0, []), feed_page(2, 3, ["2007.00003"])]
    )
    pages = fetch(session, page_size=2)
    # Then it was asked again and the window is complete
    assert [p["start"] for p in session.params] == [0, 2, 2]
    assert sum(page.document.meta["entries"] for page in pages) == 3


def test_each_page_gets_its_own_retries() -> None:
    # Given a first page that glitches once, and a second that glitches as often as allowed
    glitches = [feed_page(2, 3, [])] * arxiv.PAGE_RETRIES
    session = FakeArxiv(
        [feed_page(0, 0, []), feed_page(0, 3, ["2007.00001", "2007.00002"]), *glitches, feed_page(2, 3, ["2007.00003"])]
    )
    # When fetched
    pages = fetch(session, page_size=2)
    # Then the second page's retries did not count the first page's
    assert sum(page.document.meta["entries"] for page in pages) == 3
    assert len(session.params) == 2 + arxiv.PAGE_RETRIES + 1


def test_a_window_that_stays_empty_has_no_papers() -> None:
    # Given a window arXiv keeps answering with nothing (a holiday's)
    session = FakeArxiv([feed_page(0, 0, [])])
    # When fetched, then after asking again it is taken as empty, not as a failure
    assert fetch(session) == []
    assert len(session.params) == arxiv.PAGE_RETRIES + 1


def test_one_empty_answer_among_unusable_ones_is_not_an_empty_day() -> None:
    # Given three cut answers and one that says totalResults 0: nothing confirms the empty day
    whole = feed_page(0, 2, ["2007.00001", "2007.00002"])
    cut = whole[: len(whole) // 2]
    session = FakeArxiv([cut, cut, cut, feed_page(0, 0, [])])
    # When / Then the fetch is refused rather than taken as "no announcement", naming the last answer
    with pytest.raises(arxiv.ArxivError) as refused:
        fetch(session)
    assert str(refused.value) == (
        "arxiv: page at start=0 stayed unusable after 4 asks: a well-formed answer with no paper (totalResults 0)"
    )


@pytest.mark.parametrize(
    "answer",
    [
        (b"<html><body><h1>Rate exceeded.</h1></body></html>", "text/html; charset=utf-8"),
        (b"<html><body><h1>Rate exceeded.</h1></body></html>", "application/xml"),
        (feed_page(0, 0, []), "text/html"),  # an empty feed under a wrong content type proves nothing
    ],
    ids=["html-page", "html-page-as-xml", "wrong-content-type"],
)
def test_a_200_that_is_not_atom_is_a_failure_never_an_empty_day(answer: tuple[bytes, str]) -> None:
    # Given arXiv answering 200 with something other than the Atom feed asked for
    session = FakeArxiv([answer])
    # When / Then it is asked again, then refused: not "no announcement"
    with pytest.raises(arxiv.ArxivError, match="stayed unusable"):
        fetch(session)
    assert len(session.params) == arxiv.PAGE_RETRIES + 1


def test_an_html_page_then_the_feed_recovers() -> None:
    session = FakeArxiv([(b"<html>Rate exceeded.</html>", "text/html"), feed_page(0, 1, ["2007.00001"])])
    assert [page.document.meta["entries"] for page in fetch(session)] == [1]


def test_an_abstract_is_kept_as_arxiv_wrote_it_even_when_typed_html() -> None:
    # Given an entry whose summary is typed html and holds markup and a relative link, in a feed
    # that names a base address the link could be resolved against
    abstract = 'We show <script>x()</script> a <a href="/abs/2401.00001">result</a>.'
    entry = atom_entry("2401.00002", abstract=abstract).replace("<summary>", '<summary type="html">')
    body = atom_feed([entry]).replace(b"<feed ", b'<feed xml:base="https://arxiv.org/api/" ')
    # When the page is parsed
    (paper,) = arxiv.parse_feed(body).papers
    # Then the text is arXiv's, unsanitised and unresolved: escaping is the render step's job
    assert paper.abstract == abstract


def test_each_page_is_asked_for_the_windows_query_in_submission_order_and_stored_as_answered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given three papers served two per page
    session = FakeArxiv([feed_page(0, 3, ["2007.00001", "2007.00002"]), feed_page(2, 3, ["2007.00003"])])

    # When the window is fetched
    pages = fetch(session, page_size=2)

    # Then each request asks the window's query at the API's address, oldest submissions first
    assert session.urls == ["http://arxiv.invalid/api/query"] * 2
    assert session.params[0] == {
        "search_query": arxiv.search_query(SEED, ["cs.LG"]),
        "start": 0,
        "max_results": 2,
        "sortBy": "submittedDate",
        "sortOrder": "ascending",
    }
    # And each page is stored under its start, with where it came from and what it holds
    first = pages[0].document
    assert (first.name, first.url, first.status, first.content_type) == (
        "page-000000.xml",
        "http://arxiv.invalid/api/query",
        200,
        "application/atom+xml",
    )
    assert [page.document.meta for page in pages] == [
        {"start": 0, "entries": 2, "total": 3},
        {"start": 2, "entries": 1, "total": 3},
    ]
    # And each page fetched is logged with its counts
    fetched = [record for record in caplog.records if record.getMessage() == "arxiv page fetched"]
    assert [(vars(r)["start"], vars(r)["entries"], vars(r)["total"]) for r in fetched] == [(0, 2, 3), (2, 1, 3)]


def test_with_no_politeness_delay_nothing_is_waited() -> None:
    session = FakeArxiv([feed_page(0, 2, ["2007.00001"]), feed_page(1, 2, ["2007.00002"])])
    fetch(session, page_size=1, delay=0.0)
    assert session.sleeps == [0.0]


def test_two_empty_answers_at_the_end_of_the_retries_are_an_empty_day() -> None:
    # Given two cut answers, then two well-formed ones saying totalResults 0
    whole = feed_page(0, 2, ["2007.00001", "2007.00002"])
    cut = whole[: len(whole) // 2]
    session = FakeArxiv([cut, cut, feed_page(0, 0, [])])
    # When fetched / Then two empty answers, the last ask's among them, confirm the empty window
    assert fetch(session) == []
    assert len(session.params) == arxiv.PAGE_RETRIES + 1


def test_an_answer_without_a_content_type_is_read_as_the_feed_it_is() -> None:
    session = FakeArxiv([(feed_page(0, 1, ["2007.00001"]), "")])
    assert [page.document.meta["entries"] for page in fetch(session)] == [1]


def test_an_unusable_page_is_logged_and_the_refusal_says_what_was_wrong(caplog: pytest.LogCaptureFixture) -> None:
    # Given arXiv answering an HTML page every time
    session = FakeArxiv([(b"<html>Rate exceeded.</html>", "text/html; charset=utf-8")])
    # When fetched / Then the refusal names the content type it got
    with pytest.raises(arxiv.ArxivError, match="answered 'text/html', not an Atom feed"):
        fetch(session)
    # And each ask again was logged with the page and the problem
    again = [record for record in caplog.records if record.getMessage() == "arxiv page unusable; asking again"]
    assert len(again) == arxiv.PAGE_RETRIES
    assert vars(again[0])["start"] == 0
    assert "not an Atom feed" in vars(again[0])["problem"]


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (feed_page(0, 3, ["2007.00001"]), "asked for start=2, answered startIndex=0"),
        (feed_page(2, 3, []), "page at start=2 holds 0 entries where totalResults=3 and max_results=2 promise 1"),
    ],
    ids=["other-start", "short"],
)
def test_a_second_page_that_stays_wrong_is_refused_naming_its_problem(answer: bytes, problem: str) -> None:
    session = FakeArxiv([feed_page(0, 3, ["2007.00001", "2007.00002"]), answer])
    with pytest.raises(arxiv.ArxivError, match=re.escape(problem)):
        fetch(session, page_size=2)


def test_pages_follow_each_other_until_the_total_and_keep_what_each_page_holds() -> None:
    # Given five papers served two per page
    session = FakeArxiv(
        [
            feed_page(0, 5, ["2007.00001", "2007.00002"]),
            feed_page(2, 5, ["2007.00003", "2007.00004"]),
            feed_page(4, 5, ["2007.00005"]),
        ]
    )
    # When the window is fetched
    pages = fetch(session, page_size=2)
    # Then each page starts where the one before ended
    assert [p["start"] for p in session.params] == [0, 2, 4]
    # And each page keeps its parsed papers beside the stored body
    assert [[paper.id for paper in page.feed.papers] for page in pages] == [
        ["2007.00001", "2007.00002"],
        ["2007.00003", "2007.00004"],
        ["2007.00005"],
    ]


def test_each_request_may_take_as_long_as_arxiv_needs_for_a_big_window() -> None:
    session = FakeArxiv([feed_page(0, 1, ["2007.00001"])])
    fetch(session)
    assert session.timeouts == [arxiv.REQUEST_TIMEOUT]


def test_an_error_status_refuses_the_fetch_with_status_and_reason_only() -> None:
    # Given arXiv answering 503 (the session's own retries already spent), its body echoing the request
    session = FakeArxiv([(b"GET /api/query?search_query=... Authorization: secret", "text/plain")], status=503)
    # When fetched / Then the fetch is refused at once, saying status and reason, once prefixed
    with pytest.raises(arxiv.ArxivError) as refused:
        fetch(session)
    assert str(refused.value) == "arxiv: HTTP 503 from http://arxiv.invalid/api/query: Service Unavailable"
    assert len(session.params) == 1


def test_a_body_that_keeps_breaking_off_is_refused_saying_where_it_broke() -> None:
    # Given a page whose body always ends before its Content-Length
    whole = feed_page(0, 1, ["2007.00001"])
    session = FakeArxiv([whole], declared=len(whole) + 100)
    # When fetched / Then it was asked again like any unusable page, then refused naming the break
    with pytest.raises(arxiv.ArxivError) as refused:
        fetch(session)
    assert str(refused.value) == (
        f"arxiv: page at start=0 stayed unusable after 4 asks: the answer from http://arxiv.invalid/api/query "
        f"broke off after {len(whole)} bytes: ProtocolError"
    )
    assert len(session.params) == arxiv.PAGE_RETRIES + 1


def test_an_empty_day_said_earlier_is_not_believed_when_the_last_asks_are_unusable() -> None:
    # Given two answers saying totalResults 0, then cut ones until the retries are spent
    whole = feed_page(0, 2, ["2007.00001", "2007.00002"])
    session = FakeArxiv([feed_page(0, 0, []), feed_page(0, 0, []), whole[: len(whole) // 2]])
    # When / Then the last ask did not confirm the empty window: the fetch is refused
    with pytest.raises(arxiv.ArxivError, match="stayed unusable after 4 asks: unreadable Atom feed"):
        fetch(session)


NOT_ARXIV = "not an arXiv API answer (no Atom feed with totalResults)"
NO_NUMBERS = "paging counters are not numbers"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<html><body>Rate exceeded.</body></html>", NOT_ARXIV),
        (atom_feed([]).replace(b"<opensearch:totalResults>0</opensearch:totalResults>", b""), NOT_ARXIV),
        (atom_feed([]).replace(b">0</opensearch:totalResults>", b">many</opensearch:totalResults>"), NO_NUMBERS),
        (atom_feed([], total=-1), "negative paging counters"),
        (atom_feed([], start=-1), "negative paging counters"),
    ],
    ids=["html-page", "atom-without-total", "total-not-a-number", "negative-total", "negative-start"],
)
def test_an_answer_without_usable_paging_counters_is_refused_saying_why(body: bytes, problem: str) -> None:
    with pytest.raises(arxiv.UnusableAnswerError) as refused:
        arxiv.parse_feed(body)
    assert str(refused.value) == f"arxiv: unreadable Atom feed: {problem}"


def test_a_page_without_a_start_index_starts_at_zero() -> None:
    body = atom_feed([atom_entry("2007.00001")]).replace(b"<opensearch:startIndex>0</opensearch:startIndex>", b"")
    assert arxiv.parse_feed(body).start == 0


def test_an_entry_titled_error_without_an_id_is_a_broken_entry_not_an_api_error() -> None:
    entry = re.sub(r"<id>[^<]*</id>", "", atom_entry("2007.00001", "Error"))
    with pytest.raises(arxiv.UnusableAnswerError, match="entry 0: id None is not an arXiv abs URL"):
        arxiv.parse_feed(atom_feed([entry]))


def test_an_api_error_without_a_message_is_still_an_api_error() -> None:
    # Given arXiv's error entry with its summary left out
    entry = (
        "<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_abc</id><title>Error</title>"
        "<updated>2020-07-09T00:00:00Z</updated></entry>"
    )
    # When / Then it is refused as an API error, with no message to quote
    with pytest.raises(arxiv.ArxivError) as refused:
        arxiv.parse_feed(atom_feed([entry]))
    assert str(refused.value) == "arxiv: API error: "
    assert not isinstance(refused.value, arxiv.UnusableAnswerError)

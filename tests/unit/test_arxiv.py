from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import requests
from builders import atom_entry, atom_feed
from conftest import arxivpy_golden, real_fixture
from hotpapers import arxiv
from hotpapers.schedule import window_for

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


def test_consecutive_pages_parse_and_deduplicate() -> None:
    # Given the two real consecutive pages of one query, with one page repeated
    pages = [
        arxivpy_golden(f"arxivpy_golden_q_testing_s{s}_m10_{h}.json")[1]
        for s, h in (("0", "bc5a6c384fe9"), ("10", "34e56e15aaac"))
    ]
    # When all are parsed together
    papers = arxiv.parse_pages([pages[0], pages[1], pages[0]])
    # Then each paper appears once
    assert len(papers) == len({paper.id for paper in papers}) == 20


def test_query_names_the_window_in_utc_minutes_and_the_categories() -> None:
    # Given the seed's window
    query = arxiv.search_query(window_for(date(2020, 7, 9)), ["cs.*", "stat.ML"])
    # Then the inclusive minute range ends one minute before the cutoff
    assert query == "submittedDate:[202007071800 TO 202007081759] AND (cat:cs.* OR cat:stat.ML)"


class FakeSession:
    """Answers GETs from a list of (status, body), recording the params of each."""

    def __init__(self, answers: list[bytes]) -> None:
        self.answers = answers
        self.params: list[dict[str, Any]] = []

    def request(self, method: str, url: str, params: dict[str, Any], **kwargs: Any) -> requests.Response:
        assert method == "GET"
        self.params.append(dict(params))
        response = requests.Response()
        response.status_code = 200
        response._content = self.answers[len(self.params) - 1]
        response.url = url
        return response


def feed_page(start: int, total: int, ids: list[str]) -> bytes:
    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/{i}v1</id><title>Paper {i}</title><summary>About {i}</summary>"
        f'<author><name>A. Author</name></author><arxiv:primary_category term="cs.LG"/>'
        f'<category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/></entry>'
        for i in ids
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<opensearch:totalResults>{total}</opensearch:totalResults><opensearch:startIndex>{start}</opensearch:startIndex>"
        f"{entries}</feed>"
    ).encode()


def test_pages_until_total_waiting_the_delay_and_retrying_an_empty_page() -> None:
    # Given three papers served two per page, with the second page first coming back empty
    session = FakeSession(
        [feed_page(0, 3, ["2007.00001", "2007.00002"]), feed_page(2, 3, []), feed_page(2, 3, ["2007.00003"])]
    )
    sleeps: list[float] = []
    # When the window is fetched with a 3 s politeness delay (on a frozen clock)
    pages = arxiv.fetch_window(
        session,  # type: ignore[arg-type]
        "http://arxiv.invalid/api/query",
        window_for(date(2020, 7, 9)),
        ["cs.LG"],
        delay=3.0,
        sleep=sleeps.append,
        clock=lambda: 100.0,
        page_size=2,
    )
    # Then the empty page was asked again and two pages were kept
    assert [p["start"] for p in session.params] == [0, 2, 2]
    assert [page.meta["entries"] for page in pages] == [2, 1]
    # And every request after the first waited the full delay
    assert sleeps == [3.0, 3.0]
    assert {p["max_results"] for p in session.params} == {2}


def test_a_page_that_stays_empty_fails_the_fetch() -> None:
    session = FakeSession([feed_page(0, 5, [])] * (arxiv.EMPTY_PAGE_RETRIES + 1))
    with pytest.raises(arxiv.ArxivError, match="stayed empty"):
        fetch(session)


def test_an_empty_first_page_claiming_no_results_is_asked_again() -> None:
    # Given arXiv's glitch: a valid first page with no entries and totalResults=0, then the real one
    session = FakeSession([feed_page(0, 0, []), feed_page(0, 2, ["2007.00001", "2007.00002"])])
    # When the window is fetched
    pages = fetch(session)
    # Then the first page was asked again and both papers kept
    assert [p["start"] for p in session.params] == [0, 0]
    assert [page.meta["entries"] for page in pages] == [2]


def test_a_later_page_claiming_no_results_does_not_end_the_window_early() -> None:
    # Given a second page that glitches with totalResults=0 before answering properly
    session = FakeSession(
        [feed_page(0, 3, ["2007.00001", "2007.00002"]), feed_page(2, 0, []), feed_page(2, 3, ["2007.00003"])]
    )
    pages = fetch(session, page_size=2)
    # Then it was asked again and the window is complete
    assert [p["start"] for p in session.params] == [0, 2, 2]
    assert sum(page.meta["entries"] for page in pages) == 3


def test_a_window_that_stays_empty_has_no_papers() -> None:
    # Given a window arXiv keeps answering with nothing (a holiday's)
    session = FakeSession([feed_page(0, 0, [])] * (arxiv.EMPTY_PAGE_RETRIES + 1))
    # When fetched, then after asking again it is taken as empty, not as a failure
    assert fetch(session) == []
    assert len(session.params) == arxiv.EMPTY_PAGE_RETRIES + 1


def fetch(session: FakeSession, page_size: int = arxiv.PAGE_SIZE) -> list[Any]:
    return arxiv.fetch_window(
        session,  # type: ignore[arg-type]
        "http://arxiv.invalid/api/query",
        window_for(date(2020, 7, 9)),
        ["cs.LG"],
        delay=0,
        sleep=lambda _: None,
        page_size=page_size,
    )

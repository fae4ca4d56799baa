"""The fetch step against a misbehaving arXiv or source, over real HTTP on loopback.

Each case ends one way: recovered (the whole digest), refused (exit 1, every published file as
it was, a clear error), or kept (the earlier digest stands, with a warning); never a thinner
digest over a better one, and never past the fetch's deadline.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import serve_seed_day, serve_x_pages
from hotpapers import arxiv
from hotpapers.cli import main
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.schedule import window_for
from hotpapers.upstream import make_session
from support.builders import atom_entry, atom_feed
from support.seed_day import DATE, SeedDay

pytestmark = pytest.mark.integration
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
LATER = "2020-07-10T09:00:00Z"


def run(tmp_path: Path) -> int:
    return main(["run", "--date", DATE, "--data", str(tmp_path / "data"), "--site", str(tmp_path / "site")])


def tree(base: Path) -> dict[str, bytes]:
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


@pytest.fixture
def published(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, bytes]:
    """The seed day published once; then the upstreams are cleared for a later rerun.

    Returns the site as published, and the sealed manifest, to compare after the rerun."""
    serve_seed_day(upstream_env, seed_day)
    assert run(tmp_path) == 0
    capsys.readouterr()
    upstream_env.routes.clear()
    upstream_env.requests.clear()
    monkeypatch.setenv("HOTPAPERS_NOW", LATER)
    return as_published(tmp_path)


def as_published(tmp_path: Path) -> dict[str, bytes]:
    """Every published file, and the day's sealed manifest."""
    return {**tree(tmp_path / "site"), "manifest": (tmp_path / "data" / "raw" / DATE / "manifest.json").read_bytes()}


@pytest.mark.parametrize("length", [False, True], ids=["closed-early", "short-of-content-length"])
def test_an_arxiv_answer_that_stays_cut_is_refused_and_the_digest_stands(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    published: dict[str, bytes],
    capsys: pytest.CaptureFixture[str],
    length: bool,
) -> None:
    # Given arXiv's answer cut at 55%, ended by the connection's close (or short of its length)
    upstream_env.add("/api/query", Reply(200, seed_day.arxiv_feed(), ATOM, cut=0.55, length=length))
    serve_x_pages(upstream_env, seed_day.x_pages())
    # When the day is fetched again
    status = run(tmp_path)
    # Then it was asked again, then refused with a clear error, and nothing published changed
    err = capsys.readouterr().err
    assert status == 1
    assert "error: arxiv: page at start=0 stayed unusable after 4 asks" in err
    assert "Traceback" not in err
    assert len(upstream_env.requests_to("/api/query")) == arxiv.PAGE_RETRIES + 1
    assert as_published(tmp_path) == published


def test_an_arxiv_answer_cut_once_is_asked_again_and_the_digest_is_whole(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    published: dict[str, bytes],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given arXiv's first answer cut at 55%, the next whole
    feed = seed_day.arxiv_feed()
    upstream_env.add("/api/query", Reply(200, feed, ATOM, cut=0.55, length=False), Reply(200, feed, ATOM))
    serve_seed_day(upstream_env, seed_day)
    # When the day is fetched again
    status = run(tmp_path)
    # Then the digest is whole: every paper with its authors
    assert status == 0
    assert "7 papers listed" in capsys.readouterr().out
    digest = json.loads((tmp_path / "site" / "digests" / f"{DATE}.json").read_text())
    assert all(entry["paper"]["authors"] for entry in digest["papers"])


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, b"<html><body><h1>Rate exceeded.</h1></body></html>", {"Content-Type": "text/html"}),
        Reply(200, b"<html><body><h1>Rate exceeded.</h1></body></html>"),
        Reply(200, b'{"error": "Rate exceeded"}', {"Content-Type": "application/json"}),
    ],
    ids=["html", "html-without-content-type", "json"],
)
def test_a_200_that_is_not_atom_fails_rather_than_reading_as_a_holiday(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    published: dict[str, bytes],
    capsys: pytest.CaptureFixture[str],
    reply: Reply,
) -> None:
    # Given arXiv answering 200 with a throttling page instead of the Atom feed
    upstream_env.add("/api/query", reply)
    serve_x_pages(upstream_env, seed_day.x_pages())
    # When the day is fetched again
    status = run(tmp_path)
    # Then it is a failure (exit 1), not "no announcement", and the digest stands
    out, err = capsys.readouterr()
    assert status == 1
    assert "No digest" not in out
    assert "stayed unusable" in err
    assert as_published(tmp_path) == published


def test_no_announcement_is_believed_only_after_a_second_well_formed_answer(
    tmp_path: Path, upstream_env: ReplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a well-formed feed saying totalResults 0, then the real page
    window = window_for(date(2020, 7, 9))
    empty, whole = atom_page([], total=0), atom_page(["2007.00001"], total=1)
    upstream_env.add("/api/query", Reply(200, empty, ATOM), Reply(200, whole, ATOM))
    # When fetched
    pages = arxiv.fetch_window(make_session(), f"{upstream_env.url}/api/query", window, ["cs.LG"], delay=0)
    # Then the empty answer was not believed: the second ask found the paper
    assert [page.document.meta["entries"] for page in pages] == [1]


def atom_page(ids: list[str], *, total: int, start: int = 0) -> bytes:
    return atom_feed([atom_entry(paper_id) for paper_id in ids], total=total, start=start)


def gaps(server: ReplayServer) -> list[float]:
    times = [request.at for request in server.requests_to("/api/query")]
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def test_arxiv_never_gets_two_requests_within_the_delay(upstream_env: ReplayServer) -> None:
    # Given a 3-paper window served 2 per page, where the first page is first refused with a
    # 503 (a urllib3 retry), then cut (an arXiv-level retry), and the second page is whole
    delay = 0.3
    first, second = atom_page(["2007.00001", "2007.00002"], total=3), atom_page(["2007.00003"], total=3, start=2)
    upstream_env.add(
        "/api/query",
        Reply(503, b"busy"),
        Reply(200, first, ATOM, cut=0.5, length=False),
        Reply(200, first, ATOM),
        query={"start": "0"},
    )
    upstream_env.add("/api/query", Reply(200, second, ATOM), query={"start": "2"})
    # When fetched as the fetch step does (the session's retries wait at least the delay)
    session = make_session(min_wait=delay, backoff=0.01)
    pages = arxiv.fetch_window(
        session, f"{upstream_env.url}/api/query", window_for(date(2020, 7, 9)), ["cs.LG"], delay=delay, page_size=2
    )
    # Then the window is whole, after four requests that arXiv saw at least the delay apart
    assert sum(page.document.meta["entries"] for page in pages) == 3
    assert len(upstream_env.requests_to("/api/query")) == 4
    assert all(gap >= delay for gap in gaps(upstream_env)), gaps(upstream_env)


def test_the_confirmation_ask_keeps_the_delay(upstream_env: ReplayServer) -> None:
    # Given a window arXiv keeps answering as empty (a holiday)
    delay = 0.3
    upstream_env.add("/api/query", Reply(200, atom_page([], total=0), ATOM))
    # When fetched
    session = make_session(min_wait=delay, backoff=0.01)
    pages = arxiv.fetch_window(
        session, f"{upstream_env.url}/api/query", window_for(date(2020, 7, 9)), ["cs.LG"], delay=delay
    )
    # Then it is empty, confirmed by asks spaced by the delay
    assert pages == []
    assert len(upstream_env.requests_to("/api/query")) == arxiv.PAGE_RETRIES + 1
    assert all(gap >= delay for gap in gaps(upstream_env)), gaps(upstream_env)


@pytest.mark.parametrize(
    "fault",
    [{"delay": 30.0}, {"trickle": 0.25}],
    ids=["answers-after-30-s", "trickles-a-byte-every-quarter-second"],
)
def test_an_arxiv_too_slow_for_the_deadline_fails_the_step_by_it(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    published: dict[str, bytes],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fault: dict[str, float],
) -> None:
    # Given a 2 s fetch deadline and an arXiv that answers after 30 s, or sends its answer a byte
    # every 0.25 s (each read is quick, so no per-read timeout fires), every time
    monkeypatch.setenv("HOTPAPERS_FETCH_DEADLINE", "2")
    upstream_env.add("/api/query", Reply(200, seed_day.arxiv_feed(), ATOM, **fault))
    serve_x_pages(upstream_env, seed_day.x_pages())
    # When the day is fetched again
    began = time.monotonic()
    status = run(tmp_path)
    elapsed = time.monotonic() - began
    # Then the step fails at its deadline, saying so, and the digest stands
    assert status == 1
    assert "the fetch's 2 s deadline ran out" in capsys.readouterr().err
    # (by the deadline, with seconds to spare on a loaded machine, long before arXiv's answer)
    assert elapsed < 12, elapsed
    assert as_published(tmp_path) == published


def test_a_retry_after_beyond_the_deadline_fails_at_once_stating_the_wait(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    published: dict[str, bytes],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given arXiv throttling with Retry-After: 3600 (the default deadline is 600 s)
    upstream_env.add("/api/query", Reply(429, b"slow down", {"Retry-After": "3600"}))
    serve_x_pages(upstream_env, seed_day.x_pages())
    # When the day is fetched again
    began = time.monotonic()
    status = run(tmp_path)
    # Then it fails at once, naming the wait, and the digest stands
    assert status == 1
    assert "rate limited for 3600 s more, longer than the" in capsys.readouterr().err
    # (at once: not after the 60 s a Retry-After is waited at most)
    assert time.monotonic() - began < 15
    assert len(upstream_env.requests_to("/api/query")) == 1
    assert as_published(tmp_path) == published


def test_a_source_trickling_its_answer_is_abandoned_at_its_budget_and_named(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a 1.5 s source budget, X sending its answer a byte every 0.25 s, and Hugging Face well
    monkeypatch.setenv("HOTPAPERS_SOURCE_BUDGET", "1.5")
    monkeypatch.setenv("HOTPAPERS_SOURCES", "x,huggingface")
    upstream_env.add("/api/query", Reply(200, seed_day.arxiv_feed(), ATOM))
    page = json.dumps(seed_day.x_pages()[0]).encode()
    upstream_env.add("/2/tweets/search/recent", Reply(200, page, {"Content-Type": "application/json"}, trickle=0.25))
    hf = [{"paper": {"id": "2007.03898", "title": "NVAE", "upvotes": 77}, "numComments": 3}]
    upstream_env.add("/api/daily_papers", Reply.json(hf))
    # When the day runs
    began = time.monotonic()
    status = run(tmp_path)
    # Then X is named failed for its budget, the day is published from the rest, in time
    err = capsys.readouterr().err
    assert status == 0
    assert "warning: source x failed" in err
    assert "x's 1.5 s budget ran out" in err
    # (X's page, a byte every 0.25 s, would take minutes)
    assert time.monotonic() - began < 20
    manifest = json.loads((tmp_path / "data" / "raw" / DATE / "manifest.json").read_text())
    assert manifest["sources"]["x"]["status"] == "failed"
    assert manifest["sources"]["huggingface"]["status"] == "ok"


def test_a_source_that_ignores_its_budget_is_abandoned(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a source stuck for 30 s in work that makes no request (nothing to time out), and a 0.5 s budget
    from hotpapers.sources import KNOWN_SOURCES

    release = threading.Event()

    def stuck(*args: object) -> list[object]:
        release.wait(30)
        return []

    monkeypatch.setattr(KNOWN_SOURCES["huggingface"], "fetch", stuck)
    monkeypatch.setenv("HOTPAPERS_SOURCE_BUDGET", "0.5")
    monkeypatch.setenv("HOTPAPERS_SOURCES", "x,huggingface")
    serve_seed_day(upstream_env, seed_day)
    # When the day runs
    began = time.monotonic()
    try:
        status = run(tmp_path)
    finally:
        release.set()
    # Then it is not waited for: named as failed, the rest published (well before the 30 s)
    assert status == 0
    assert "warning: source huggingface failed" in capsys.readouterr().err
    assert time.monotonic() - began < 15
    manifest = json.loads((tmp_path / "data" / "raw" / DATE / "manifest.json").read_text())
    assert manifest["sources"]["huggingface"]["error"].startswith("huggingface: abandoned")


def test_a_rerun_whose_source_lost_its_posts_keeps_the_better_digest(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    published: dict[str, bytes],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given the seed day published with X, and X now answering, validly, with no post at all
    upstream_env.add("/api/query", Reply(200, seed_day.arxiv_feed(), ATOM))
    upstream_env.add("/2/tweets/search/recent", Reply.json({"meta": {"result_count": 0}}))
    # When the day is fetched again
    status = run(tmp_path)
    # Then nothing is republished, and the fetch is kept unsealed with X marked degraded
    assert status == 0
    assert as_published(tmp_path) == published
    (attempt,) = (tmp_path / "data" / "raw" / DATE).glob("20200710T090000Z-*/attempt.json")
    x = json.loads(attempt.read_text())["sources"]["x"]
    assert (x["status"], x["degraded"]) == ("ok", True)
    assert "was not republished" in capsys.readouterr().err


def test_a_rerun_with_a_few_posts_fewer_is_sealed(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    published: dict[str, bytes],
) -> None:
    # Given X answering the rerun with one post fewer than before (a deletion)
    pages = seed_day.x_pages()
    pages[0]["data"].pop()
    upstream_env.add("/api/query", Reply(200, seed_day.arxiv_feed(), ATOM))
    serve_x_pages(upstream_env, pages)
    serve_seed_day(upstream_env, seed_day)
    # When the day is fetched again
    assert run(tmp_path) == 0
    # Then the new snapshot is sealed, with nothing marked degraded
    manifest = json.loads((tmp_path / "data" / "raw" / DATE / "manifest.json").read_text())
    assert manifest["fetched_at"] == LATER
    assert "degraded" not in manifest["sources"]["x"]

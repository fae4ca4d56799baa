"""The fetch step's orchestration (sources in a pool, budgets, abandonment, degraded reruns,
manifest flags, refusals) against upstreams scripted in memory (tests/support/fake_http.py) and a store in
memory: each case runs in milliseconds, so mutation testing can afford them."""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import date
from typing import Any

import pytest
from hotpapers import snapshot
from hotpapers.config import load_settings
from hotpapers.models import RawDocument
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.pipeline import fetch
from hotpapers.pipeline.fetch import FetchResult, NoSourceConfiguredError, NoUsableSourceError, fetch_day
from hotpapers.schedule import NoAnnouncementError
from hotpapers.sources import KNOWN_SOURCES, Day
from hotpapers.upstream import UpstreamError
from support.builders import atom_entry, atom_feed
from support.memory_store import MemoryStore

DAY = date(2020, 7, 9)
HOT, WARM = "2007.04001", "2007.04002"
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
HF = "/api/daily_papers"
HN = "/api/v1/search_by_date"
ENV = {
    "HOTPAPERS_NOW": "2020-07-09T07:00:00Z",
    "HOTPAPERS_ARXIV_API_URL": "http://arxiv.test/api/query",
    "HOTPAPERS_HF_API_URL": "http://hf.test",
    "HOTPAPERS_HN_API_URL": "http://hn.test",
    "HOTPAPERS_X_API_URL": "http://x.test",
    "HOTPAPERS_SOURCES": "huggingface,hackernews",
    "HOTPAPERS_ARXIV_DELAY": "0",
    "HOTPAPERS_HTTP_BACKOFF": "0",
    "HOTPAPERS_HTTP_RETRIES": "0",
}


def settings(**env: str) -> Any:
    return load_settings({**ENV, **env})


def hf(*upvotes: int) -> Reply:
    """A Hugging Face daily list: one paper page per count, the first about HOT."""
    papers = [HOT, WARM, *(f"2007.0{4100 + n}" for n in range(len(upvotes)))]
    return Reply.json(
        [
            {"paper": {"id": paper, "title": "T", "upvotes": count}, "numComments": 0}
            for paper, count in zip(papers, upvotes, strict=False)
        ]
    )


def hn(*points: Any) -> Reply:
    """A Hacker News search answer: one story about HOT per entry of ``points``."""
    hits = [
        {
            "objectID": str(n),
            "title": "A story",
            "url": f"https://arxiv.org/abs/{HOT}",
            "points": value,
            "num_comments": 1,
            "author": f"user{n}",
            "created_at_i": 1594270000,
        }
        for n, value in enumerate(points)
    ]
    return Reply.json({"hits": hits, "nbHits": len(hits), "nbPages": 1})


def arxiv_day(server: ReplayServer) -> None:
    server.add("/api/query", Reply(200, atom_feed([atom_entry(HOT), atom_entry(WARM)]), ATOM))


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials are read from the process environment: none unless a test sets one."""
    for name in ("HOTPAPERS_X_BEARER_TOKEN", "HOTPAPERS_GITHUB_TOKEN", "HOTPAPERS_SSM_PREFIX"):
        monkeypatch.delenv(name, raising=False)


def logged(caplog: pytest.LogCaptureFixture, message: str) -> list[dict[str, Any]]:
    """The fields of each log line with ``message``: what an operator reads, and alarms match."""
    return [record.__dict__ for record in caplog.records if record.getMessage() == message]


def manifest(store: MemoryStore, key: str) -> dict[str, Any]:
    return json.loads(store.get(key))


@pytest.fixture
def day(upstreams: ReplayServer) -> ReplayServer:
    """arXiv announcing two papers, Hugging Face with both, Hacker News with two stories on one."""
    arxiv_day(upstreams)
    upstreams.add(HF, hf(5, 3))
    upstreams.add(HN, hn(10, 20))
    return upstreams


def test_a_day_whose_sources_answer_is_sealed_with_every_source(
    day: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Given arXiv and both sources answering / When the day is fetched
    store = MemoryStore()
    result = fetch_day(DAY, settings(), store)
    # Then the snapshot is sealed under the day, with both sources' documents and no failure
    assert result.status == "sealed"
    assert result.manifest_key == "raw/2020-07-09/manifest.json"
    assert (result.date, result.papers) == ("2020-07-09", 2)
    assert set(result.documents) == {"huggingface", "hackernews"}
    assert all(count >= 1 for count in result.documents.values())
    assert (result.failed_sources, result.out_of_reach, result.degraded_sources) == ({}, {}, {})
    sources = manifest(store, result.manifest_key)["sources"]
    assert {name: entry["status"] for name, entry in sources.items()} == {"huggingface": "ok", "hackernews": "ok"}
    assert "capped" not in sources["hackernews"]
    assert "skipped" not in sources["hackernews"]
    assert "degraded" not in sources["hackernews"]
    # And the summary reads as the handler returns it
    assert result.to_dict()["manifest_key"] == result.manifest_key
    assert FetchResult(**result.to_dict()) == result
    # And the log says what was asked, within which deadline, and what was sealed
    (started,) = logged(caplog, "fetching")
    assert started["sources"] == ["huggingface", "hackernews"]
    assert started["deadline"] == 600.0
    assert started["window"]["digest_date"] == "2020-07-09"
    (sealed,) = logged(caplog, "snapshot sealed")
    assert (sealed["manifest"], sealed["papers"], sealed["failed_sources"]) == (result.manifest_key, 2, {})
    fetched = logged(caplog, "source fetched")
    assert sorted((line["source"], line["stage"]) for line in fetched) == [
        ("hackernews", "enrich"),
        ("hackernews", "fetch"),
        ("huggingface", "enrich"),
        ("huggingface", "fetch"),
    ]
    assert {line["documents"] for line in fetched if line["stage"] == "fetch"} == {1}


def test_a_failing_source_costs_only_itself(upstreams: ReplayServer, caplog: pytest.LogCaptureFixture) -> None:
    # Given Hacker News failing and Hugging Face answering
    arxiv_day(upstreams)
    upstreams.add(HF, hf(5))
    upstreams.add(HN, Reply(503, b"busy"))
    store = MemoryStore()
    # When the day is fetched
    result = fetch_day(DAY, settings(), store)
    # Then it is sealed, naming Hacker News failed with its status, in the result and the manifest
    assert result.status == "sealed"
    assert list(result.documents) == ["huggingface"]
    assert list(result.failed_sources) == ["hackernews"]
    assert "HTTP 503" in result.failed_sources["hackernews"]
    entry = manifest(store, result.manifest_key)["sources"]["hackernews"]
    assert entry["status"] == "failed"
    assert "HTTP 503" in entry["error"]
    # And the log warns of it, naming the source and the stage it failed in
    (warning,) = logged(caplog, "source failed")
    assert (warning["levelname"], warning["source"], warning["stage"]) == ("WARNING", "hackernews", "fetch")
    assert "HTTP 503" in warning["error"]
    assert logged(caplog, "snapshot sealed")[0]["failed_sources"] == result.failed_sources


def test_when_every_source_fails_nothing_is_written_and_each_is_named(
    upstreams: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Given both sources failing
    arxiv_day(upstreams)
    upstreams.add(HF, Reply(500, b""))
    upstreams.add(HN, Reply(401, b""))
    store = MemoryStore()
    # When the day is fetched / Then it is refused, naming both, and nothing is stored
    with pytest.raises(NoUsableSourceError) as raised:
        fetch_day(DAY, settings(), store)
    assert set(raised.value.failures) == {"huggingface", "hackernews"}
    assert "HTTP 500" in raised.value.failures["huggingface"]
    assert store.objects == {}
    (error,) = logged(caplog, "no usable attention source")
    assert error["levelname"] == "ERROR"
    assert set(error["failed_sources"]) == {"huggingface", "hackernews"}


def test_a_source_whose_answer_is_garbage_as_a_whole_fails_alone(
    upstreams: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Given Hacker News answering in the documented shape but with hits that are not a list
    arxiv_day(upstreams)
    upstreams.add(HF, hf(5))
    upstreams.add(HN, Reply.json({"hits": "none", "nbHits": 1, "nbPages": 1}))
    store = MemoryStore()
    # When the day is fetched
    result = fetch_day(DAY, settings(), store)
    # Then Hacker News is failed for it, and the rest sealed
    assert result.status == "sealed"
    assert result.failed_sources["hackernews"].startswith("hackernews: ")
    assert list(result.documents) == ["huggingface"]
    assert manifest(store, result.manifest_key)["sources"]["hackernews"]["status"] == "failed"
    assert "without list of hits" in result.failed_sources["hackernews"]


def test_enrichment_sees_the_days_papers_every_post_and_each_papers_attention(
    day: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given sources that record the day their enrichment is shown
    seen: list[Day] = []

    def record(self: object, request: object, shown: Day) -> list[object]:
        seen.append(shown)
        return []

    monkeypatch.setattr(KNOWN_SOURCES["hackernews"], "enrich", record)
    # When the day is fetched
    fetch_day(DAY, settings(), MemoryStore())
    # Then it holds both papers, the posts of both sources, and HOT's attention summed over them
    (shown,) = seen
    assert set(shown.papers) == {HOT, WARM}
    assert sorted(post.source for post in shown.posts) == ["hackernews", "hackernews", "huggingface", "huggingface"]
    # Hacker News: (10 + 1) + (20 + 1); Hugging Face: 5 on HOT, 3 on WARM
    assert shown.attention == {HOT: 37, WARM: 3}


def test_a_source_whose_stored_documents_cannot_be_read_fails_alone(
    day: ReplayServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given Hacker News handing over a document that is not JSON (it checks its answers; a
    # source that did not would be caught when the day is read)
    garbage = RawDocument("search.json", b"<html>", "http://hn.test/search", 200)
    monkeypatch.setattr(KNOWN_SOURCES["hackernews"], "fetch", lambda self, request: [garbage])
    seen: list[Day] = []
    monkeypatch.setattr(KNOWN_SOURCES["huggingface"], "enrich", lambda self, request, shown: seen.append(shown) or [])
    store = MemoryStore()
    # When the day is fetched (Hacker News read first)
    result = fetch_day(DAY, settings(HOTPAPERS_SOURCES="hackernews,huggingface"), store)
    # Then Hacker News is failed for it, its documents dropped, the rest sealed
    assert result.status == "sealed"
    assert list(result.documents) == ["huggingface"]
    assert result.failed_sources["hackernews"].startswith("hackernews: ")
    assert "search.json" in result.failed_sources["hackernews"]
    assert manifest(store, result.manifest_key)["sources"]["hackernews"]["status"] == "failed"
    # And the sources read after it still count
    assert [post.source for post in seen[0].posts] == ["huggingface", "huggingface"]
    (warning,) = logged(caplog, "source unreadable")
    assert (warning["levelname"], warning["source"]) == ("WARNING", "hackernews")
    assert warning["error"] == result.failed_sources["hackernews"]


def test_malformed_items_are_dropped_and_counted(upstreams: ReplayServer) -> None:
    # Given Hacker News with one story whose points are words
    arxiv_day(upstreams)
    upstreams.add(HF, hf(5))
    upstreams.add(HN, hn(10, "60 points", 30))
    store = MemoryStore()
    # When the day is fetched / Then the story is dropped and counted, the source ok
    result = fetch_day(DAY, settings(), store)
    entry = manifest(store, result.manifest_key)["sources"]["hackernews"]
    assert (entry["status"], entry["skipped"]) == ("ok", 1)
    assert "skipped" not in manifest(store, result.manifest_key)["sources"]["huggingface"]


def test_a_source_stopped_by_its_page_cap_is_flagged(upstreams: ReplayServer) -> None:
    # Given Hacker News with more pages than its cap of one
    arxiv_day(upstreams)
    upstreams.add(HF, hf(5))
    upstreams.add(HN, Reply.json({"hits": [], "nbHits": 300, "nbPages": 3}))
    store = MemoryStore()
    # When the day is fetched / Then its entry says its counts may be incomplete
    result = fetch_day(DAY, settings(HOTPAPERS_HACKERNEWS_MAX_PAGES="1"), store)
    sources = manifest(store, result.manifest_key)["sources"]
    assert sources["hackernews"]["capped"] == "page cap"
    assert "capped" not in sources["huggingface"]


@pytest.mark.usefixtures("credentials")
def test_the_manifest_records_each_slice_of_a_search_and_names_the_one_the_cap_cut(upstreams: ReplayServer) -> None:
    # Given X fetched the morning after the next announcement, whose later posts fill every page
    arxiv_day(upstreams)
    x_search = "/2/tweets/search/recent"
    later = {"meta": {"result_count": 0, "next_token": "more"}}
    upstreams.add(x_search, Reply.json({"meta": {"result_count": 0}}), query={"end_time": "2020-07-10T00:00:00Z"})
    upstreams.add(x_search, Reply.json(later))
    env = {"HOTPAPERS_NOW": "2020-07-10T07:00:00Z", "HOTPAPERS_SOURCES": "x"}
    store = MemoryStore()
    # When the day is fetched with a cap of 4 pages
    result = fetch_day(DAY, settings(**env, HOTPAPERS_X_MAX_PAGES="4"), store)
    # Then the manifest gives each slice's pages, and its cap names the later slice
    entry = manifest(store, result.manifest_key)["sources"]["x"]
    assert entry["slices"] == [
        {"name": "day", "since": "2020-07-09T00:00:00Z", "until": "2020-07-10T00:00:00Z", "pages": 1, "capped": False},
        {"name": "later", "since": "2020-07-10T00:00:00Z", "until": "2020-07-10T06:59:50Z", "pages": 3, "capped": True},
    ]
    assert entry["capped"] == "later: page cap"


def test_a_source_that_crashes_is_recorded_as_failed_and_the_others_go_on(
    day: ReplayServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given Hacker News failing with an error of no known kind
    def broken(self: object, request: object) -> list[object]:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(KNOWN_SOURCES["hackernews"], "fetch", broken)
    # When the day is fetched / Then the fault is Hacker News's failure, named with its kind
    result = fetch_day(DAY, settings(), MemoryStore())
    assert result.failed_sources == {"hackernews": "hackernews: unexpected ZeroDivisionError: division by zero"}
    assert result.status == "sealed"
    # And the log keeps its traceback for whoever mends it
    (crash,) = logged(caplog, "source crashed")
    assert (crash["levelname"], crash["source"], crash["stage"]) == ("ERROR", "hackernews", "fetch")
    assert crash["exc_info"] is not None


def test_a_source_that_ignores_its_budget_is_abandoned_not_waited_for(
    day: ReplayServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given Hacker News stuck in work that makes no request, and a 0.2 s budget
    release = threading.Event()

    def stuck(self: object, request: object) -> list[object]:
        release.wait(10)
        return []

    monkeypatch.setattr(KNOWN_SOURCES["hackernews"], "fetch", stuck)
    monkeypatch.setattr(fetch, "ABANDON_GRACE", 0.1)
    began = time.monotonic()
    try:
        # When the day is fetched
        result = fetch_day(
            DAY, settings(HOTPAPERS_SOURCE_BUDGET="0.2", HOTPAPERS_SOURCES="hackernews,huggingface"), MemoryStore()
        )
    finally:
        release.set()
    # Then it is named abandoned at its budget, the rest sealed, without waiting for it
    assert result.failed_sources == {
        "hackernews": "hackernews: abandoned: still working when hackernews's 0.2 s budget ran out"
    }
    assert result.status == "sealed"
    assert list(result.documents) == ["huggingface"]
    # (waiting for it would take 10 s; the bound leaves a loaded machine seconds to spare)
    assert time.monotonic() - began < 5.0
    (warning,) = logged(caplog, "source abandoned")
    assert (warning["levelname"], warning["source"], warning["stage"]) == ("WARNING", "hackernews", "fetch")
    assert warning["limit"] == "hackernews's 0.2 s budget"


def test_a_source_is_given_the_budget_it_may_spend(day: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given Hacker News taking 0.3 s without a request, a 0.5 s budget, and no grace past it
    def slow(self: object, request: object) -> list[object]:
        time.sleep(0.3)
        raise UpstreamError("hackernews", "answered late, as planned")

    monkeypatch.setattr(KNOWN_SOURCES["hackernews"], "fetch", slow)
    monkeypatch.setattr(fetch, "ABANDON_GRACE", 0.0)
    # When the day is fetched / Then its own failure is heard, not an abandonment
    result = fetch_day(DAY, settings(HOTPAPERS_SOURCE_BUDGET="0.5"), MemoryStore())
    assert result.failed_sources == {"hackernews": "hackernews: answered late, as planned"}


def test_a_budget_longer_than_the_deadline_is_cut_to_it_and_says_so(
    day: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a Lambda with 30.2 s left (30 s kept back), and Hacker News stuck
    release = threading.Event()
    monkeypatch.setattr(KNOWN_SOURCES["hackernews"], "fetch", lambda self, request: release.wait(10) and [])
    monkeypatch.setattr(fetch, "ABANDON_GRACE", 0.05)
    try:
        result = fetch_day(DAY, settings(), MemoryStore(), time_left=30.2)
    finally:
        release.set()
    # Then the step's own 0.2 s deadline, shorter than the budget, is what the source was stopped by
    assert result.failed_sources == {
        "hackernews": "hackernews: abandoned: still working when the fetch's 0.2 s deadline ran out"
    }


def test_a_lambda_with_no_time_left_asks_nothing(upstreams: ReplayServer) -> None:
    # Given a Lambda with less time left than the margin kept for writing
    arxiv_day(upstreams)
    upstreams.add(HF, hf(5))
    upstreams.add(HN, hn(1))
    store = MemoryStore()
    # When the day is fetched / Then arXiv is never asked, and nothing is stored
    with pytest.raises(UpstreamError, match="deadline ran out before asking"):
        fetch_day(DAY, settings(), store, time_left=10.0)
    assert upstreams.requests_to("/api/query") == []
    assert store.objects == {}


def test_the_fetch_deadline_setting_bounds_the_step_without_a_lambda(
    upstreams: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given arXiv answering after 5 s, retried, and a 0.2 s deadline set locally
    upstreams.add("/api/query", Reply(200, atom_feed([atom_entry(HOT)]), ATOM, delay=5.0))
    upstreams.add(HF, hf(5))
    upstreams.add(HN, hn(1))
    began = time.monotonic()
    with pytest.raises(UpstreamError, match=r"the fetch's 0\.2 s deadline"):
        fetch_day(DAY, settings(HOTPAPERS_FETCH_DEADLINE="0.2", HOTPAPERS_HTTP_RETRIES="2"), MemoryStore())
    # Then the step ended by it, not with arXiv's answer; a Lambda with more time left changes nothing
    assert time.monotonic() - began < 3.0
    with pytest.raises(UpstreamError, match=r"the fetch's 0\.2 s deadline"):
        fetch_day(
            DAY, settings(HOTPAPERS_FETCH_DEADLINE="0.2", HOTPAPERS_HTTP_RETRIES="2"), MemoryStore(), time_left=900.0
        )


def test_a_day_arxiv_announced_nothing_on_is_no_announcement(upstreams: ReplayServer) -> None:
    # Given arXiv confirming, twice, a well-formed empty feed
    upstreams.add("/api/query", Reply(200, atom_feed([], total=0), ATOM))
    upstreams.add(HF, hf(5))
    upstreams.add(HN, hn(1))
    store = MemoryStore()
    # When the day is fetched / Then it is no announcement, and nothing is stored but that record
    with pytest.raises(NoAnnouncementError) as raised:
        fetch_day(DAY, settings(), store)
    assert raised.value.reason == "arXiv lists no new papers for its window (a holiday?)"
    assert list(store.objects) == ["raw/2020-07-09/announced-empty.json"]


def test_with_no_credentials_for_any_source_nothing_is_asked(upstreams: ReplayServer) -> None:
    # Given only X and Reddit named, without their credentials
    store = MemoryStore()
    # When the day is fetched / Then it is refused, saying what X lacks, before any request
    with pytest.raises(NoSourceConfiguredError) as raised:
        fetch_day(DAY, settings(HOTPAPERS_SOURCES="x,reddit"), store)
    assert str(raised.value) == (
        "no configured attention source can count posts (x: HOTPAPERS_X_BEARER_TOKEN is not set (see "
        "docs/sources.md); reddit: HOTPAPERS_REDDIT_CLIENT_ID is not set (see docs/sources.md)); set their "
        "credentials or choose sources with HOTPAPERS_SOURCES (see docs/sources.md)"
    )
    assert upstreams.requests == []
    assert store.objects == {}


def test_a_source_lacking_credentials_is_left_out_when_another_can_count(
    day: ReplayServer,
) -> None:
    # Given Hacker News and X named, X without its token (it would fail anyway)
    result = fetch_day(DAY, settings(HOTPAPERS_SOURCES="hackernews,x"), MemoryStore())
    # Then Hacker News is fetched, and X fails for its credential without being asked
    assert "hackernews" in result.documents
    assert "HOTPAPERS_X_BEARER_TOKEN is not set" in result.failed_sources["x"]
    assert day.requests_to("/2/tweets/search/recent") == []


def test_a_paper_signal_is_fetched_and_stored_with_the_sources_of_posts(
    day: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given GitHub (a paper signal, which the day's reading skips) answering with a document
    stars = RawDocument("repos.json", b"[]", "http://github.test/repos", 200)
    monkeypatch.setattr(KNOWN_SOURCES["github"], "fetch", lambda self, request: [])
    monkeypatch.setattr(KNOWN_SOURCES["github"], "enrich", lambda self, request, shown: [stars])
    monkeypatch.setenv("HOTPAPERS_GITHUB_TOKEN", "t")
    store = MemoryStore()
    # When the day is fetched
    result = fetch_day(DAY, settings(HOTPAPERS_SOURCES="hackernews,github"), store)
    # Then GitHub is stored, ok, with no flag it has no reading for
    assert result.documents == {"hackernews": 1, "github": 1}
    entry = manifest(store, result.manifest_key)["sources"]["github"]
    assert (entry["status"], entry["error"]) == ("ok", None)
    assert not {"capped", "skipped", "degraded"} & set(entry)


def test_a_paper_signal_alone_does_not_count_as_a_source_of_posts(
    day: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given GitHub (a paper signal) answering, and every source of posts failing
    day.routes.clear()
    arxiv_day(day)
    day.add(HN, Reply(500, b""))
    monkeypatch.setattr(KNOWN_SOURCES["github"], "fetch", lambda self, request: [])
    monkeypatch.setenv("HOTPAPERS_GITHUB_TOKEN", "t")
    # When the day is fetched / Then it is refused: nobody who counts posts could be asked
    with pytest.raises(NoUsableSourceError):
        fetch_day(DAY, settings(HOTPAPERS_SOURCES="hackernews,github"), MemoryStore())


def test_a_source_that_cannot_reach_the_day_is_named_out_of_reach(
    day: ReplayServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given X (recent search reaches 7 days back) asked for a day a month ago
    monkeypatch.setenv("HOTPAPERS_X_BEARER_TOKEN", "t")
    store = MemoryStore()
    later = settings(
        HOTPAPERS_SOURCES="hackernews,x", HOTPAPERS_X_BEARER_TOKEN="t", HOTPAPERS_NOW="2020-08-09T07:00:00Z"
    )
    # When the day is fetched
    result = fetch_day(DAY, later, store)
    # Then X is out of reach (not failed, not asked), and the rest sealed
    assert list(result.out_of_reach) == ["x"]
    assert "older than recent search's 7 days" in result.out_of_reach["x"]
    assert "x" not in result.failed_sources
    assert manifest(store, result.manifest_key)["sources"]["x"]["status"] == "out-of-reach"
    (warning,) = logged(caplog, "source out of reach")
    assert (warning["levelname"], warning["source"], warning["stage"]) == ("WARNING", "x", "fetch")
    assert warning["reason"] == result.out_of_reach["x"]


def test_when_every_source_is_out_of_reach_the_refusal_names_them(
    upstreams: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTPAPERS_X_BEARER_TOKEN", "t")
    arxiv_day(upstreams)
    later = settings(HOTPAPERS_SOURCES="x", HOTPAPERS_NOW="2020-08-09T07:00:00Z")
    with pytest.raises(NoUsableSourceError) as raised:
        fetch_day(DAY, later, MemoryStore())
    assert list(raised.value.failures) == ["x"]


def test_an_enrichment_that_crashes_fails_its_source(
    day: ReplayServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given Hacker News fetched well, then failing while enriching
    def broken(self: object, request: object, papers: object) -> list[object]:
        raise UpstreamError("hackernews", "enrichment refused")

    monkeypatch.setattr(KNOWN_SOURCES["hackernews"], "enrich", broken)
    store = MemoryStore()
    # When the day is fetched / Then Hacker News is failed, its documents not stored as fetched
    result = fetch_day(DAY, settings(), store)
    assert result.failed_sources == {"hackernews": "hackernews: enrichment refused"}
    assert "hackernews" not in result.documents
    assert manifest(store, result.manifest_key)["sources"]["hackernews"]["status"] == "failed"
    assert [line["stage"] for line in logged(caplog, "source failed")] == ["enrich"]


def test_an_enrichment_adds_its_documents_to_its_source(day: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given Hacker News returning one more document when enriching
    extra = RawDocument("extra.json", b"{}", "http://hn.test/extra", 200)
    monkeypatch.setattr(KNOWN_SOURCES["hackernews"], "enrich", lambda self, request, papers: [extra])
    store = MemoryStore()
    # When the day is fetched / Then it is stored with Hacker News's search page
    result = fetch_day(DAY, settings(), store)
    assert result.documents["hackernews"] == 2
    assert snapshot.read(store, result.manifest_key).sources["hackernews"]["extra.json"] == b"{}"


# Reruns of a day that already has a sealed snapshot


def rerun(upstreams: ReplayServer, hf_reply: Reply, hn_reply: Reply) -> tuple[MemoryStore, FetchResult]:
    """The day sealed with Hugging Face listing 4 papers and Hacker News 4 stories, then fetched
    again an hour later with the given answers."""
    store = MemoryStore()
    arxiv_day(upstreams)
    upstreams.add(HF, hf(5, 3, 2, 1))
    upstreams.add(HN, hn(1, 2, 3, 4))
    assert fetch_day(DAY, settings(), store).status == "sealed"
    upstreams.routes.clear()
    arxiv_day(upstreams)
    upstreams.add(HF, hf_reply)
    upstreams.add(HN, hn_reply)
    return store, fetch_day(DAY, settings(HOTPAPERS_NOW="2020-07-09T08:00:00Z"), store)


def test_a_rerun_that_lost_a_source_keeps_the_sealed_snapshot(upstreams: ReplayServer) -> None:
    # Given Hacker News failing on the rerun
    store, result = rerun(upstreams, hf(5, 3, 2, 1), Reply(503, b""))
    # Then the sealed snapshot stands, and the rerun is stored unsealed, for the record
    assert result.status == "kept-previous"
    assert result.manifest_key.endswith("/attempt.json")
    assert result.manifest_key.startswith("raw/2020-07-09/20200709T080000Z")
    assert manifest(store, "raw/2020-07-09/manifest.json")["fetched_at"] == "2020-07-09T07:00:00Z"
    assert result.degraded_sources == {}
    assert result.failed_sources["hackernews"].startswith("hackernews: HTTP 503")


def test_a_rerun_with_fewer_than_half_the_posts_is_degraded(
    upstreams: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Given Hacker News answering the rerun with one story of the four
    store, result = rerun(upstreams, hf(5, 3, 2, 1), hn(9))
    # Then the sealed snapshot stands, and the rerun marks Hacker News degraded, saying by how much
    assert result.status == "kept-previous"
    assert result.degraded_sources == {"hackernews": "hackernews: 1 posts where the sealed snapshot has 4"}
    attempt = manifest(store, result.manifest_key)["sources"]
    assert attempt["hackernews"]["degraded"] is True
    assert "degraded" not in attempt["huggingface"]
    (kept,) = logged(caplog, "previous snapshot kept")
    assert (kept["levelname"], kept["attempt"], kept["lost_sources"]) == ("WARNING", result.manifest_key, [])
    assert kept["degraded"] == result.degraded_sources


def test_a_rerun_with_half_the_posts_is_sealed(upstreams: ReplayServer) -> None:
    # Given both sources answering the rerun with exactly half their posts (deletions happen)
    store, result = rerun(upstreams, hf(5, 3), hn(7, 8))
    # Then the rerun is sealed in the day's place
    assert result.status == "sealed"
    assert result.degraded_sources == {}
    assert manifest(store, "raw/2020-07-09/manifest.json")["fetched_at"] == "2020-07-09T08:00:00Z"


def test_the_window_asked_of_arxiv_skips_the_holidays_set(day: ReplayServer) -> None:
    # Given Wednesday 8 July set as a day arXiv announced nothing
    store = MemoryStore()
    # When Thursday is fetched
    result = fetch_day(DAY, settings(HOTPAPERS_ARXIV_HOLIDAYS="2020-07-08"), store)
    # Then its window reaches back over the holiday, to Monday's cut-off
    assert manifest(store, result.manifest_key)["window"]["start"] == "2020-07-06T18:00:00Z"


def test_arxiv_is_retried_as_the_settings_say_never_sooner_than_its_delay(
    upstreams: ReplayServer, waits: list[float]
) -> None:
    # Given arXiv unavailable twice, then answering; two retries, a 4 s backoff and a 3 s politeness delay
    upstreams.add("/api/query", Reply(503, b""), Reply(503, b""), Reply(200, atom_feed([atom_entry(HOT)]), ATOM))
    upstreams.add(HF, hf(5))
    upstreams.add(HN, hn(1))
    env = {"HOTPAPERS_HTTP_RETRIES": "2", "HOTPAPERS_HTTP_BACKOFF": "4", "HOTPAPERS_ARXIV_DELAY": "3"}
    # When the day is fetched
    result = fetch_day(DAY, settings(**env), MemoryStore())
    # Then arXiv was asked three times, the first retry after the delay, the second after the backoff
    assert result.papers == 1
    assert len(upstreams.requests_to("/api/query")) == 3
    assert waits == [3.0, 8.0]


def test_arxiv_is_given_up_on_after_the_retries_set(upstreams: ReplayServer, waits: list[float]) -> None:
    upstreams.add("/api/query", Reply(503, b""))
    upstreams.add(HF, hf(5))
    upstreams.add(HN, hn(1))
    with pytest.raises(UpstreamError, match="HTTP 503"):
        fetch_day(DAY, settings(HOTPAPERS_HTTP_RETRIES="1"), MemoryStore())
    assert len(upstreams.requests_to("/api/query")) == 2


def test_a_source_whose_answer_outlasts_its_budget_is_stopped_by_it(upstreams: ReplayServer) -> None:
    # Given Hacker News sending its answer a byte every 0.1 s, and a 0.3 s budget
    arxiv_day(upstreams)
    upstreams.add(HF, hf(5))
    upstreams.add(HN, Reply(200, b"{" + b" " * 100 + b"}", {"Content-Type": "application/json"}, trickle=0.1))
    # When the day is fetched / Then Hacker News fails, naming its budget
    result = fetch_day(DAY, settings(HOTPAPERS_SOURCE_BUDGET="0.3"), MemoryStore())
    assert "hackernews's 0.3 s budget ran out while the answer was arriving" in result.failed_sources["hackernews"]


def test_every_source_is_fetched_at_once_however_few_processors_there_are(
    upstreams: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given one processor, and six sources that each finish only once all six have started
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    monkeypatch.setattr(os, "process_cpu_count", lambda: 1, raising=False)
    together = threading.Barrier(6, timeout=2)

    def meet(self: object, request: object) -> list[object]:
        together.wait()
        return []

    names = ("x", "hackernews", "bluesky", "reddit", "huggingface", "github")
    for name in names:
        monkeypatch.setattr(KNOWN_SOURCES[name], "fetch", meet)
    for variable in (
        "X_BEARER_TOKEN",
        "BLUESKY_HANDLE",
        "BLUESKY_APP_PASSWORD",
        "REDDIT_CLIENT_ID",
        "REDDIT_CLIENT_SECRET",
        "REDDIT_USERNAME",
        "GITHUB_TOKEN",
    ):
        monkeypatch.setenv(f"HOTPAPERS_{variable}", "t")
    arxiv_day(upstreams)
    # When the day is fetched / Then none failed waiting for a free worker
    result = fetch_day(DAY, settings(HOTPAPERS_SOURCES=",".join(names)), MemoryStore())
    assert result.failed_sources == {}
    assert set(result.documents) == set(names)


def arxiv_papers(server: ReplayServer, count: int) -> None:
    """arXiv announcing HOT, WARM and papers no post mentions, ``count`` in all."""
    others = [atom_entry(f"2007.0{4200 + n}") for n in range(count - 2)]
    server.add("/api/query", Reply(200, atom_feed([atom_entry(HOT), atom_entry(WARM), *others])), ATOM)


def rerun_arxiv(
    upstreams: ReplayServer, before: int, now: int, *, force: bool = False, **env: str
) -> tuple[MemoryStore, FetchResult]:
    """The day sealed with ``before`` papers, then fetched again an hour later with ``now`` (and
    ``force``), every source answering the same both times (``env``: settings of both runs)."""
    store = MemoryStore()
    for count, clock, forced in ((before, "2020-07-09T07:00:00Z", False), (now, "2020-07-09T08:00:00Z", force)):
        upstreams.routes.clear()
        arxiv_papers(upstreams, count)
        upstreams.add(HF, hf(5, 3))
        upstreams.add(HN, hn(10, 20))
        result = fetch_day(DAY, settings(HOTPAPERS_NOW=clock, **env), store, force=forced)
    return store, result


def test_a_rerun_with_fewer_than_half_the_papers_keeps_the_sealed_snapshot(upstreams: ReplayServer) -> None:
    # Given a day sealed with 8 papers, fetched again while arXiv answers a consistent set of 3
    store, result = rerun_arxiv(upstreams, 8, 3)
    # Then the sealed snapshot stands, and the rerun names arXiv's papers as what shrank, and by how much
    assert result.status == "kept-previous"
    assert result.degraded_sources == {"arxiv": "arxiv: 3 papers where the sealed snapshot has 8"}
    assert not result.forced
    assert manifest(store, "raw/2020-07-09/manifest.json")["fetched_at"] == "2020-07-09T07:00:00Z"


def test_a_rerun_with_half_the_papers_is_sealed(upstreams: ReplayServer) -> None:
    store, result = rerun_arxiv(upstreams, 8, 4)
    assert (result.status, result.degraded_sources) == ("sealed", {})
    assert manifest(store, "raw/2020-07-09/manifest.json")["fetched_at"] == "2020-07-09T08:00:00Z"


def test_the_share_a_rerun_must_keep_is_a_setting(upstreams: ReplayServer) -> None:
    # Given a rerun with 6 papers of 8, where 0.8 of them must stay
    _, result = rerun_arxiv(upstreams, 8, 6, HOTPAPERS_DEGRADED_SHARE="0.8")
    # Then it is thinner
    assert result.degraded_sources == {"arxiv": "arxiv: 6 papers where the sealed snapshot has 8"}
    # And with a share of 0, no rerun is held back
    _, result = rerun_arxiv(upstreams, 8, 1, HOTPAPERS_DEGRADED_SHARE="0")
    assert (result.status, result.degraded_sources) == ("sealed", {})


def test_a_forced_rerun_thinner_than_the_sealed_snapshot_is_sealed_and_says_so(
    upstreams: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a rerun with 3 papers of 8, forced
    store, result = rerun_arxiv(upstreams, 8, 3, force=True)
    # Then it is sealed in the day's place, saying what shrank and that it was forced
    assert (result.status, result.forced) == ("sealed", True)
    assert result.degraded_sources == {"arxiv": "arxiv: 3 papers where the sealed snapshot has 8"}
    assert manifest(store, "raw/2020-07-09/manifest.json")["fetched_at"] == "2020-07-09T08:00:00Z"
    (forced,) = logged(caplog, "thinner snapshot sealed, as forced")
    assert (forced["levelname"], forced["degraded"]) == ("WARNING", result.degraded_sources)


def test_a_forced_rerun_that_shrank_nothing_is_not_called_forced(upstreams: ReplayServer) -> None:
    _, result = rerun_arxiv(upstreams, 8, 8, force=True)
    assert (result.status, result.forced, result.degraded_sources) == ("sealed", False, {})


def test_a_rerun_that_lost_a_source_and_is_forced_is_sealed_without_it(upstreams: ReplayServer) -> None:
    store = MemoryStore()
    arxiv_day(upstreams)
    upstreams.add(HF, hf(5, 3))
    upstreams.add(HN, hn(10, 20))
    fetch_day(DAY, settings(), store)
    upstreams.routes.clear()
    arxiv_day(upstreams)
    upstreams.add(HF, hf(5, 3))
    upstreams.add(HN, Reply(503, b""))
    result = fetch_day(DAY, settings(HOTPAPERS_NOW="2020-07-09T08:00:00Z"), store, force=True)
    assert (result.status, result.forced) == ("sealed", True)
    assert manifest(store, "raw/2020-07-09/manifest.json")["sources"]["hackernews"]["status"] == "failed"


def test_a_rerun_whose_posts_lost_their_engagement_is_degraded(upstreams: ReplayServer) -> None:
    # Given Hacker News answering the rerun with its four stories, every one now at 0 points
    store, result = rerun(upstreams, hf(5, 3, 2, 1), hn(0, 0, 0, 0))
    # Then the posts are all there but the engagement is not: the sealed snapshot stands
    assert result.status == "kept-previous"
    assert result.degraded_sources == {"hackernews": "hackernews: engagement 4 where the sealed snapshot has 14"}
    assert manifest(store, result.manifest_key)["sources"]["hackernews"]["degraded"] is True


def test_a_rerun_with_half_the_engagement_is_sealed(upstreams: ReplayServer) -> None:
    # Given the four stories now at 14 / 2 = 7 in all (4 comments, 3 points)
    _, result = rerun(upstreams, hf(5, 3, 2, 1), hn(3, 0, 0, 0))
    assert (result.status, result.degraded_sources) == ("sealed", {})


def test_a_rerun_that_lost_posts_and_engagement_names_both(upstreams: ReplayServer) -> None:
    _, result = rerun(upstreams, hf(5, 3, 2, 1), hn(0))
    assert result.degraded_sources == {
        "hackernews": "hackernews: 1 posts where the sealed snapshot has 4, "
        "engagement 1 where the sealed snapshot has 14"
    }


def test_a_rerun_whose_stories_lost_their_points_skips_them_as_malformed(upstreams: ReplayServer) -> None:
    # Given Hacker News answering the rerun with its four stories, their points null
    store, result = rerun(upstreams, hf(5, 3, 2, 1), hn(None, None, None, None))
    # Then none is scored 0: each is counted as malformed, and the source is thinner than it was
    assert result.status == "kept-previous"
    attempt = manifest(store, result.manifest_key)["sources"]["hackernews"]
    assert (attempt["skipped"], attempt["degraded"]) == (4, True)
    assert result.degraded_sources["hackernews"].startswith("hackernews: 0 posts where the sealed snapshot has 4")

"""Refreshing a recent digest: the attention sources asked again, a snapshot sealed beside the
first, each listed paper's history scored, against upstreams scripted in memory."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hotpapers.config import ConfigError, load_settings
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.pipeline.fetch import fetch_day
from hotpapers.pipeline.refresh import REFRESH_MARGIN, NoSnapshotError, due_days, refresh_day, refresh_due
from hotpapers.pipeline.score import score_day
from support.memory_store import MemoryStore

from tests.unit.test_pipeline_fetch import DAY, ENV, HF, HN, HOT, arxiv_day, hf, hn

FIRST = "raw/2020-07-09/manifest.json"


def settings(**env: str) -> Any:
    return load_settings({**ENV, "HOTPAPERS_MIN_SCORE": "0", **env})


def sealed_day(upstreams: ReplayServer) -> MemoryStore:
    """The day sealed at 07:00 with Hugging Face's upvotes 5, 3 and Hacker News' stories of 1 and 2 points on HOT."""
    store = MemoryStore()
    upstreams.routes.clear()
    arxiv_day(upstreams)
    upstreams.add(HF, hf(5, 3))
    upstreams.add(HN, hn(1, 2))
    assert fetch_day(DAY, settings(), store).status == "sealed"
    upstreams.routes.clear()
    return store


def answers(upstreams: ReplayServer, hf_reply: Reply, hn_reply: Reply) -> None:
    """The sources' next answers; the requests asked so far forgotten."""
    upstreams.routes.clear()
    upstreams.requests.clear()
    upstreams.add(HF, hf_reply)
    upstreams.add(HN, hn_reply)


def refreshed(store: MemoryStore, now: str, **env: str) -> Any:
    result = refresh_day(DAY, settings(HOTPAPERS_NOW=now, **env), store)
    return result


def scored(store: MemoryStore, key: str) -> dict[str, Any]:
    score_day(key, settings(), store)
    return json.loads(store.get("scored/2020-07-09.json"))


def paper(day: dict[str, Any], paper_id: str) -> dict[str, Any]:
    return next(entry for entry in day["papers"] if entry["paper"]["id"] == paper_id)


def test_two_refreshes_keep_each_papers_history_and_leave_the_first_snapshot_untouched(
    upstreams: ReplayServer,
) -> None:
    # Given a sealed day, its objects as they are
    store = sealed_day(upstreams)
    before = {key: store.get(key) for key in store.keys("raw/")}
    # When it is refreshed a day later and again three days later, with more attention each time
    answers(upstreams, hf(8, 3), hn(10, 20))
    one = refreshed(store, "2020-07-10T07:00:00Z")
    answers(upstreams, hf(9, 4), hn(30, 20))
    two = refreshed(store, "2020-07-12T07:00:00Z")
    # Then each refresh is sealed beside the first, which stays byte for byte, and no arXiv is asked
    assert (one.status, two.status) == ("refreshed", "refreshed")
    assert one.manifest_key == "raw/2020-07-09/refreshes/20200710T070000Z/manifest.json"
    assert {key: store.get(key) for key in before} == before
    assert not upstreams.requests_to("/api/query")
    # And the scored day has the newest counts, the time of them, and a point per snapshot
    day = scored(store, two.manifest_key)
    hot = paper(day, HOT)
    assert (day["fetched_at"], day["counts_as_of"]) == ("2020-07-09T07:00:00Z", "2020-07-12T07:00:00Z")
    assert [point["as_of"] for point in hot["history"]] == [
        "2020-07-09T07:00:00Z",
        "2020-07-10T07:00:00Z",
        "2020-07-12T07:00:00Z",
    ]
    assert [point["score"] for point in hot["history"]] == [5 + 1 + 2 + 2, 8 + 30 + 2, 9 + 50 + 2]
    assert hot["history"][-1]["score"] == hot["score"]
    assert hot["history"][-1]["counts"] == hot["counts"]
    # And whichever manifest starts the score step, the scored day is the same bytes
    first = store.get("scored/2020-07-09.json")
    scored(store, FIRST)
    assert store.get("scored/2020-07-09.json") == first


def test_a_source_thinner_than_the_newest_snapshot_keeps_its_earlier_counts(upstreams: ReplayServer) -> None:
    # Given a sealed day, refreshed with Hacker News answering one story where it had two
    store = sealed_day(upstreams)
    answers(upstreams, hf(8, 3), hn(1))
    result = refreshed(store, "2020-07-10T07:00:00Z")
    # Then Hugging Face is counted again and Hacker News keeps the first snapshot's entry and packs
    assert result.refreshed_sources == ["huggingface"]
    assert result.carried_sources["hackernews"].startswith("hackernews: engagement 2 where")
    first, refresh = (json.loads(store.get(key)) for key in (FIRST, result.manifest_key))
    assert refresh["sources"]["hackernews"] == first["sources"]["hackernews"]
    assert refresh["arxiv"] == first["arxiv"]
    assert paper(scored(store, result.manifest_key), HOT)["counts"]["hackernews"]["points"] == 3


def test_an_excluded_source_is_not_asked_and_keeps_its_counts(upstreams: ReplayServer) -> None:
    # Given a sealed day, and Hacker News left out of refreshes
    store = sealed_day(upstreams)
    answers(upstreams, hf(8, 3), hn(50, 50))
    # When the day is refreshed
    result = refreshed(store, "2020-07-10T07:00:00Z", HOTPAPERS_REFRESH_EXCLUDE="hackernews")
    # Then Hacker News was never asked, and its counts are the first snapshot's
    assert not upstreams.requests_to(HN)
    assert result.carried_sources == {"hackernews": "not asked again (excluded)"}
    assert paper(scored(store, result.manifest_key), HOT)["counts"]["hackernews"]["points"] == 3


def test_a_failed_source_keeps_its_counts_and_a_refresh_with_nothing_new_seals_nothing(
    upstreams: ReplayServer,
) -> None:
    # Given a sealed day whose sources both fail when asked again
    store = sealed_day(upstreams)
    before = sorted(store.keys("raw/"))
    answers(upstreams, Reply(503, b""), Reply(503, b""))
    # When it is refreshed
    result = refreshed(store, "2020-07-10T07:00:00Z")
    # Then nothing is written, and the day's newest snapshot stands
    assert (result.status, result.manifest_key) == ("unchanged", FIRST)
    assert sorted(store.keys("raw/")) == before


def test_the_same_answers_at_the_same_time_give_the_same_bytes(upstreams: ReplayServer) -> None:
    # Given two copies of a sealed day, each refreshed with the same answers at the same time
    stores = []
    for _ in range(2):
        store = sealed_day(upstreams)
        answers(upstreams, hf(8, 3), hn(10, 20))
        scored(store, refreshed(store, "2020-07-10T07:00:00Z").manifest_key)
        stores.append(store)
    # Then both hold the same keys and bytes
    one, two = ({key: store.get(key) for key in store.keys("")} for store in stores)
    assert one == two


def test_a_day_with_no_sealed_snapshot_cannot_be_refreshed() -> None:
    with pytest.raises(NoSnapshotError, match="2020-07-09 has no sealed snapshot"):
        refresh_day(DAY, settings(), MemoryStore())


def test_the_days_due_are_those_of_the_ages_set_and_none_when_empty() -> None:
    # Given a run on 10 July, which publishes 9 July: the days announced 1, 3 and 6 days before it
    assert due_days(settings(HOTPAPERS_NOW="2020-07-10T07:00:00Z")) == [
        date(2020, 7, 3),
        date(2020, 7, 6),
        date(2020, 7, 8),
    ]
    assert due_days(settings(HOTPAPERS_NOW="2020-07-10T07:00:00Z", HOTPAPERS_DIGEST_LAG_DAYS="0"))[-1] == date(
        2020, 7, 9
    )
    assert due_days(settings(HOTPAPERS_REFRESH_AGES="")) == []
    with pytest.raises(ConfigError, match="HOTPAPERS_REFRESH_AGES"):
        settings(HOTPAPERS_REFRESH_AGES="0")


def test_the_days_due_are_refreshed_a_missing_one_passed_over_and_a_failing_one_alerted(
    upstreams: ReplayServer, alert_queue: Callable[[], list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given 9 July sealed, a run on 11 July (publishing 10 July) refreshing the days 1, 2 and 3 before
    store = sealed_day(upstreams)
    answers(upstreams, hf(8, 3), hn(10, 20))
    run = settings(HOTPAPERS_NOW="2020-07-11T07:00:00Z", HOTPAPERS_REFRESH_AGES="1,2,3")

    def broken(day: date, *args: Any, **kwargs: Any) -> Any:
        if day == date(2020, 7, 8):
            raise RuntimeError("disk full")
        return refresh_day(day, *args, **kwargs)

    monkeypatch.setattr("hotpapers.pipeline.refresh.refresh_day", broken)
    # When the due days are refreshed
    outcomes = refresh_due(run, store, lambda: 900.0)
    # Then 9 July is refreshed, 7 July (no snapshot) passed over, 8 July's failure alerted
    assert [(each["date"], each["status"]) for each in outcomes] == [
        ("2020-07-07", "no-snapshot"),
        ("2020-07-08", "failed"),
        ("2020-07-09", "refreshed"),
    ]
    assert alert_queue() == [{"kind": "refresh failed", "date": "2020-07-08", "error": "RuntimeError: disk full"}]


def test_no_refresh_starts_without_the_time_to_finish_it(upstreams: ReplayServer) -> None:
    # Given a sealed day due, and a Lambda with less than the margin left
    store = sealed_day(upstreams)
    before = sorted(store.keys(""))
    run = settings(HOTPAPERS_NOW="2020-07-11T07:00:00Z", HOTPAPERS_REFRESH_AGES="1")
    # Then nothing is asked nor written
    outcomes = refresh_due(run, store, lambda: REFRESH_MARGIN)
    assert outcomes == [{"date": "2020-07-09", "status": "failed", "reason": "no time left"}]
    assert sorted(store.keys("")) == before


def test_a_tick_delivered_again_does_not_refresh_a_day_it_refreshed_minutes_before(upstreams: ReplayServer) -> None:
    # Given a sealed day due, refreshed by a tick at 07:00
    store = sealed_day(upstreams)
    answers(upstreams, hf(8, 3), hn(10, 20))
    tick = {"HOTPAPERS_REFRESH_AGES": "1"}
    assert [each["status"] for each in refresh_due(settings(HOTPAPERS_NOW="2020-07-11T07:00:00Z", **tick), store)] == [
        "refreshed"
    ]
    refreshes = store.keys("raw/2020-07-09/refreshes/")
    # When the same tick is delivered again minutes later (Lambda retrying a failed invocation)
    answers(upstreams, hf(9, 3), hn(11, 20))
    again = refresh_due(settings(HOTPAPERS_NOW="2020-07-11T07:04:00Z", **tick), store)
    # Then the day is left as it is, and no source is asked
    assert again == [{"date": "2020-07-09", "status": "refreshed-recently", "refreshed_at": "20200711T070000Z"}]
    assert store.keys("raw/2020-07-09/refreshes/") == refreshes
    assert upstreams.requests == []
    # And the next day's tick, twelve hours on or more, refreshes it again (at its age 2, say)
    later = refresh_due(settings(HOTPAPERS_NOW="2020-07-12T07:00:00Z", HOTPAPERS_REFRESH_AGES="2"), store)
    assert [each["status"] for each in later] == ["refreshed"]

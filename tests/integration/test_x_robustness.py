"""X against a loopback fake: answers of the wrong shape, throttling by rate-limit reset, and which
posts are asked of oEmbed. Each runs the real fetch step, as a user would see it."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hotpapers.config import load_settings
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.pipeline.fetch import FetchResult, fetch_day
from hotpapers.store import LocalStore
from hotpapers.upstream import RateLimitedError, RateLimitReset, get, make_session
from support.builders import tweet, x_page
from support.sources_day import DATE, NEXT_ANNOUNCED, PATHS, environment, serve, x_search_page

pytestmark = pytest.mark.integration
SEARCH = PATHS["x"]
# The conventions of docs/sources.md: X and GitHub send the reset's instant, Reddit the seconds left.
X_RESET = RateLimitReset("x-rate-limit-reset", epoch=True)
GITHUB_RESET = RateLimitReset("x-ratelimit-reset", epoch=True)
REDDIT_RESET = RateLimitReset("x-ratelimit-reset", epoch=False)
X_DAY_SLICE = {"end_time": NEXT_ANNOUNCED}
"""The day's own slice of X's search, up to the next announcement."""


@pytest.fixture(autouse=True)
def _clean_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials come from the environment each test sets, never the caller's."""
    for name in ("HOTPAPERS_SSM_PREFIX", "HOTPAPERS_SECRET_ARN"):
        monkeypatch.delenv(name, raising=False)


def fetch_x(
    tmp_path: Path, server: ReplayServer, monkeypatch: pytest.MonkeyPatch, **overrides: str
) -> tuple[FetchResult, Any]:
    """Run the fetch step with X on, and Hacker News answering beside it (a day whose every source
    fails is refused); return its result and the sealed manifest."""
    for name, value in {**environment(server, "x,hackernews"), **overrides}.items():
        monkeypatch.setenv(name, value)
    store = LocalStore(tmp_path / "data")
    result = fetch_day(date.fromisoformat(DATE), load_settings(), store)
    return result, json.loads(store.get(result.manifest_key))


def gap(server: ReplayServer, path: str) -> float:
    first, second = (request.at for request in server.requests_to(path)[:2])
    return second - first


def reset_in(seconds: int) -> int:
    """A rate-limit reset header's value: the epoch second ``seconds`` from now."""
    return int(time.time()) + seconds


def retried_at(server: ReplayServer, path: str) -> float:
    """When the second request to ``path`` arrived, on the wall clock (epoch seconds)."""
    return server.requests_to(path)[1].at + time.time() - time.monotonic()


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"meta": None},
        {"data": [], "includes": {}},
        {"meta": {"result_count": 1}, "data": {"id": "1900000000000000001"}},
        {"meta": {"result_count": 1}, "data": [], "includes": []},
    ],
    ids=["a-list", "null-meta", "no-meta", "data-not-a-list", "includes-not-an-object"],
)
def test_an_answer_of_the_wrong_shape_fails_x_not_the_fetch(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch, body: Any
) -> None:
    # Given X answering well-formed JSON that is not a search page
    replay.add(SEARCH, Reply.json(body))
    serve(replay)
    # When the day is fetched
    result, manifest = fetch_x(tmp_path, replay, monkeypatch)
    # Then X is recorded as failed, saying what was missing, and the snapshot is still sealed
    assert "answered JSON without" in result.failed_sources["x"]
    assert manifest["sources"]["x"]["status"] == "failed"
    assert manifest["arxiv"]["files"]


def test_a_search_with_no_results_is_no_failure(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given X answering that nothing matched (no data, no includes)
    replay.add(SEARCH, Reply.json({"meta": {"result_count": 0}}))
    serve(replay)
    # When the day is fetched
    result, manifest = fetch_x(tmp_path, replay, monkeypatch)
    # Then X is ok with one page stored for each slice of its search (the day's own, then the later)
    assert result.failed_sources == {}
    assert manifest["sources"]["x"]["status"] == "ok"
    assert result.documents["x"] == 2


@pytest.mark.parametrize("convention", [X_RESET, GITHUB_RESET], ids=["x", "github"])
def test_a_429_without_retry_after_waits_for_the_rate_limit_reset(
    replay: ReplayServer, convention: RateLimitReset
) -> None:
    # Given an upstream throttling with only the instant its window resets, 1 to 2 s ahead
    reset = reset_in(2)
    replay.add("/limited", Reply(429, b"Too Many Requests", {convention.header: str(reset)}), Reply(200, b"ok"))
    # When asked with a backoff far shorter than that
    response = get(make_session(backoff=0.01, reset=convention), "test", f"{replay.url}/limited")
    # Then the retry came once the window had reset, no sooner and not much later, and got through
    assert response.content == b"ok"
    assert retried_at(replay, "/limited") >= reset - 0.05
    assert gap(replay, "/limited") < 10.0


def test_a_distant_rate_limit_reset_is_not_waited_in_part(replay: ReplayServer) -> None:
    # Given an upstream whose rate-limit window resets in an hour
    replay.add(
        "/limited", Reply(429, b"Too Many Requests", {"x-rate-limit-reset": str(reset_in(3600))}), Reply(200, b"ok")
    )
    # When asked by a session that waits at most 20 s
    began = time.monotonic()
    with pytest.raises(RateLimitedError):
        get(make_session(backoff=0.01, max_retry_after=20, reset=X_RESET), "test", f"{replay.url}/limited")
    # Then it stopped at once, not after waiting part of the window, asking nothing more inside it
    assert time.monotonic() - began < 10
    assert len(replay.requests_to("/limited")) == 1


def test_a_rate_limit_reset_waits_at_least_the_politeness_floor(replay: ReplayServer) -> None:
    # Given a 429 whose window reset a moment ago (clocks disagree)
    replay.add(
        "/limited", Reply(429, b"Too Many Requests", {"x-rate-limit-reset": str(reset_in(-5))}), Reply(200, b"ok")
    )
    # When asked by a session with a 0.4 s politeness floor
    get(make_session(backoff=0.01, min_wait=0.4, reset=X_RESET), "test", f"{replay.url}/limited")
    # Then the retry still waited the floor
    assert gap(replay, "/limited") >= 0.4


def test_a_server_error_is_not_held_to_the_rate_limit_reset(replay: ReplayServer) -> None:
    # Given a 503 carrying a reset an hour ahead, as GitHub sends the header on every answer
    replay.add("/flaky", Reply(503, b"busy", {"x-ratelimit-reset": str(reset_in(3600))}), Reply(200, b"ok"))
    # When asked with a short backoff and a long cap
    get(make_session(backoff=0.01, max_retry_after=60, reset=GITHUB_RESET), "test", f"{replay.url}/flaky")
    # Then the retry came after the backoff, not the 60 s cap
    assert gap(replay, "/flaky") < 10.0


def test_x_throttling_with_its_reset_header_is_waited_out(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given X throttling the search once with x-rate-limit-reset 1 to 2 s ahead and no Retry-After
    reset = reset_in(2)
    throttled = Reply.json({"title": "Too Many Requests"}, status=429, **{"x-rate-limit-reset": str(reset)})
    replay.add(SEARCH, throttled, Reply.json(x_search_page()))
    serve(replay)
    # When the day is fetched
    result, _ = fetch_x(tmp_path, replay, monkeypatch)
    # Then X got through once the window had reset, within its retries
    assert result.failed_sources == {}
    assert retried_at(replay, SEARCH) >= reset - 0.05
    assert gap(replay, SEARCH) < 10.0


def test_a_post_linking_its_paper_only_in_text_gets_its_oembed(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a well-liked post whose URL is a blog and whose text names paper B
    by_text = tweet("1900000000000000021", "3", "https://example.org/blog", likes=40, text="Read arXiv:2606.01002")
    replay.add(SEARCH, Reply.json(x_page([by_text])))
    serve(replay)
    # When the day is fetched
    result, _ = fetch_x(tmp_path, replay, monkeypatch)
    # Then oEmbed was asked for it, as the score step will link it to paper B
    assert result.failed_sources == {}
    asked = {request.query["url"] for request in replay.requests_to("/oembed")}
    assert asked == {"https://twitter.com/user3/status/1900000000000000021"}


def test_a_long_posts_paper_past_280_characters_is_found(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a well-liked long post whose paper link is only in its note_tweet
    long_post = tweet("1900000000000000022", "3", "https://example.org/blog", likes=40)
    long_post["note_tweet"] = {
        "text": "A thread ... https://t.co/paper",
        "entities": {"urls": [{"url": "https://t.co/paper", "expanded_url": "https://arxiv.org/abs/2606.01002"}]},
    }
    replay.add(SEARCH, Reply.json(x_page([long_post])), query=X_DAY_SLICE)
    serve(replay)
    # When the day is fetched
    result, _ = fetch_x(tmp_path, replay, monkeypatch)
    # Then the search asked for the long form, and oEmbed was asked for the post that links paper B
    assert result.failed_sources == {}
    search = replay.requests_to(SEARCH)[0]
    assert "note_tweet" in search.query["tweet.fields"].split(",")
    asked = {request.query["url"] for request in replay.requests_to("/oembed")}
    assert asked == {"https://twitter.com/user3/status/1900000000000000022"}


def test_a_backfill_beyond_recent_search_marks_x_out_of_reach_without_asking(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given every upstream answering, and the day fetched a month after its announcement
    serve(replay)
    # When fetched with recent search
    result, manifest = fetch_x(tmp_path, replay, monkeypatch, HOTPAPERS_NOW="2026-07-02T08:00:00Z")
    # Then X was not asked, and the manifest says out of reach, distinct from a failure
    assert replay.requests_to(SEARCH) == []
    assert manifest["sources"]["x"]["status"] == "out-of-reach"
    assert "HOTPAPERS_X_SEARCH=all" in manifest["sources"]["x"]["error"]
    assert result.failed_sources == {}
    assert set(result.out_of_reach) == {"x"}
    assert manifest["sources"]["hackernews"]["status"] == "ok"


def test_full_archive_search_reaches_a_backfill(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given X's full-archive endpoint answering, and a month-old day
    replay.add("/2/tweets/search/all", Reply.json(x_search_page()))
    serve(replay)
    # When fetched
    _, manifest = fetch_x(tmp_path, replay, monkeypatch, HOTPAPERS_NOW="2026-07-02T08:00:00Z", HOTPAPERS_X_SEARCH="all")
    # Then the archive was searched over the 7 days after the announcement, the day's own slice first
    searches = replay.requests_to("/2/tweets/search/all")
    assert [(search.query["start_time"], search.query["end_time"]) for search in searches] == [
        ("2026-06-02T00:00:00Z", NEXT_ANNOUNCED),
        (NEXT_ANNOUNCED, "2026-06-09T00:00:00Z"),
    ]
    assert manifest["sources"]["x"]["status"] == "ok"


def test_a_crafted_post_id_cannot_write_outside_its_folder(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a day already sealed, and a refetch whose X page holds a popular post with a crafted id
    serve(replay)
    fetch_x(tmp_path, replay, monkeypatch)
    manifest_path = tmp_path / "data" / "raw" / DATE / "manifest.json"
    crafted = tweet("1/../../../manifest", "9", "https://arxiv.org/abs/2606.01001", retweets=50, likes=500)
    page = x_search_page()
    page["data"].append(crafted)
    page["includes"]["users"].append({"id": "9", "name": "Mallory", "username": "mallory"})
    replay.routes.clear()
    replay.add(SEARCH, Reply.json(page))
    replay.add("/oembed", Reply.json({"html": '{"format": 1, "date": "forged"}'}))
    serve(replay)
    # When fetched again
    result, manifest = fetch_x(tmp_path, replay, monkeypatch, HOTPAPERS_NOW="2026-06-03T09:00:00Z")
    # Then oEmbed was never asked for the crafted post, the day sealed anew, and the manifest is the fetch's own
    assert all("manifest" not in request.query.get("url", "") for request in replay.requests_to("/oembed"))
    assert result.status == "sealed"
    assert json.loads(manifest_path.read_text()) == manifest
    assert manifest["date"] == DATE
    assert not any(".." in name for name in stored_names(manifest))


def stored_names(manifest: dict[str, Any]) -> list[str]:
    return [entry["name"] for info in manifest["sources"].values() for entry in info["files"]]


@pytest.mark.parametrize(
    ("bad_tweet", "bad_user"),
    [
        ({"text": "an id is missing"}, None),
        ("1900000000000000009", None),
        ({"id": "1900000000000000009", "public_metrics": {"like_count": None}}, None),
        ({"id": "1900000000000000009", "created_at": "yesterday"}, None),
        (None, {"username": "anon"}),
    ],
    ids=["tweet-without-id", "tweet-not-an-object", "null-like-count", "garbled-date", "user-without-id"],
)
def test_a_malformed_post_is_skipped_and_counted_not_fatal(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch, bad_tweet: Any, bad_user: Any
) -> None:
    # Given X's page with its good posts and one malformed post or author
    page = x_search_page()
    if bad_tweet is not None:
        page["data"].append(bad_tweet)
    if bad_user is not None:
        page["includes"]["users"].append(bad_user)
    replay.add(SEARCH, Reply.json(page), query=X_DAY_SLICE)
    serve(replay)
    # When the day is fetched
    result, manifest = fetch_x(tmp_path, replay, monkeypatch)
    # Then X is ok, its good posts kept, and the one malformed item counted as skipped
    assert result.failed_sources == {}
    assert manifest["sources"]["x"]["status"] == "ok"
    assert manifest["sources"]["x"]["skipped"] == 1


def test_reddits_reset_header_is_seconds_remaining_not_an_instant(replay: ReplayServer) -> None:
    # Given Reddit throttling with x-ratelimit-reset: 1, the seconds until its window ends
    replay.add("/reddit", Reply(429, b"Too Many Requests", {"x-ratelimit-reset": "1"}), Reply(200, b"ok"))
    # When asked with Reddit's convention and a backoff far shorter than a second
    get(make_session(backoff=0.01, reset=REDDIT_RESET), "test", f"{replay.url}/reddit")
    # Then the retry waited that second (read as an epoch instant, it would have been long past)
    assert 0.95 <= gap(replay, "/reddit") < 10.0


def test_each_source_declares_its_reset_convention() -> None:
    from hotpapers.sources import KNOWN_SOURCES

    assert {name: source.rate_limit_reset for name, source in KNOWN_SOURCES.items() if source.rate_limit_reset} == {
        "x": X_RESET,
        "reddit": REDDIT_RESET,
        "github": GITHUB_RESET,
    }

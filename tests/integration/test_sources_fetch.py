"""Each attention source against a loopback fake upstream: paging, auth, throttling, errors, timeouts, garbage.

Every test runs the real fetch step (``pipeline.fetch.fetch_day``), so a failing source is seen as a user
would see it: the snapshot is sealed anyway, and its manifest names the source and why.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hotpapers import arxiv, snapshot
from hotpapers.config import load_settings
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.pipeline.fetch import FetchResult, fetch_day
from hotpapers.scoring import Rules, score_snapshot
from hotpapers.sources import KNOWN_SOURCES
from hotpapers.store import LocalStore
from support.sources_day import DATE, NEXT_ANNOUNCED, PATHS, answer, environment, fixture, serve, stargazer_pages

pytestmark = pytest.mark.integration
NOW_TS = 1780472805  # HOTPAPERS_NOW, 2026-06-03T07:46:45Z
# The day's own slice of a sliced post search (up to the next announcement), by source.
DAY_SLICES = {"bluesky": {"until": NEXT_ANNOUNCED}}
SINCE_TS = 1780358400  # 2026-06-01 20:00 EDT: where post searches start


@dataclass(frozen=True)
class Case:
    source: str
    path: str
    """Where faults are injected: the source's listing, or GitHub's repository."""
    sources: str
    """What is switched on: GitHub needs posts that discuss a paper with code."""


CASES = [
    Case("hackernews", PATHS["hackernews"], "hackernews"),
    Case("bluesky", PATHS["bluesky"], "bluesky"),
    Case("reddit", PATHS["reddit"], "reddit"),
    Case("huggingface", PATHS["huggingface"], "huggingface"),
    Case("github", PATHS["github"], "hackernews,github"),
]
IDS = [case.source for case in CASES]


@pytest.fixture(autouse=True)
def _clean_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials come from the environment each test sets through ``fetch``, never the caller's."""
    for name in ("HOTPAPERS_SSM_PREFIX", "HOTPAPERS_SECRET_ARN"):
        monkeypatch.delenv(name, raising=False)


def fetch(
    tmp_path: Path, server: ReplayServer, sources: str, monkeypatch: pytest.MonkeyPatch, **overrides: str
) -> tuple[FetchResult, dict[str, Any]]:
    """Run the fetch step for the day with ``sources`` on, and X answering beside them (a day whose
    every source fails is refused, see test_sources_chain); return its result and the sealed manifest."""
    for name, value in {**environment(server, f"x,{sources}"), **overrides}.items():
        monkeypatch.setenv(name, value)
    store = LocalStore(tmp_path / "data")
    result = fetch_day(date.fromisoformat(DATE), load_settings(), store)
    return result, json.loads(store.get(result.manifest_key))


def stored(manifest: dict[str, Any], source: str) -> list[str]:
    return [entry["name"] for entry in manifest["sources"][source]["files"]]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_429_is_retried_after_the_time_upstream_asks(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch, case: Case
) -> None:
    # Given an upstream throttling once, asking to come back in 1 s
    replay.add(case.path, Reply(429, b'{"error": "rate limited"}', {"Retry-After": "1"}), answer(case.path))
    serve(replay)
    # When the source is fetched
    result, manifest = fetch(tmp_path, replay, case.sources, monkeypatch)
    # Then it got through after waiting as asked, and nothing failed
    assert result.failed_sources == {}
    first, second = (request.at for request in replay.requests_to(case.path)[:2])
    assert 1.0 <= second - first < 10.0
    assert manifest["sources"][case.source]["status"] == "ok"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_source_down_after_its_retries_is_named_in_the_sealed_manifest(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch, case: Case
) -> None:
    # Given an upstream answering 503 every time
    replay.add(case.path, Reply(503, b"<html>Service Unavailable</html>"))
    serve(replay)
    # When fetched with two retries
    result, manifest = fetch(tmp_path, replay, case.sources, monkeypatch)
    # Then it was asked three times, and the snapshot is sealed naming the source and the answer
    assert len(replay.requests_to(case.path)) == 3
    assert result.failed_sources[case.source].startswith(f"{case.source}: HTTP 503 from ")
    assert manifest["sources"][case.source] == {
        "status": "failed",
        "error": result.failed_sources[case.source],
        "files": [],
    }
    assert manifest["arxiv"]["files"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_timeout_is_retried_then_fails_the_source(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch, case: Case
) -> None:
    # Given an upstream answering later than the source's own timeout, every time
    replay.add(case.path, Reply(200, answer(case.path).body, delay=0.6))
    serve(replay)
    # When fetched with a 0.2 s timeout and one retry for that source only
    overrides = {f"HOTPAPERS_{case.source.upper()}_TIMEOUT": "0.2", f"HOTPAPERS_{case.source.upper()}_RETRIES": "1"}
    result, _ = fetch(tmp_path, replay, case.sources, monkeypatch, **overrides)
    # Then it tried twice and failed as timed out; the other sources were not held to that timeout
    assert len(replay.requests_to(case.path)) == 2
    assert result.failed_sources[case.source].startswith(f"{case.source}: request to {replay.url}{case.path}")
    assert "failed after retries" in result.failed_sources[case.source]
    assert set(result.failed_sources) == {case.source}


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize(
    ("body", "message"),
    [(b"<html>Oops</html>", "answered with malformed JSON"), (b'{"unexpected": []}', "answered JSON without")],
    ids=["not-json", "wrong-shape"],
)
def test_garbage_fails_the_source_not_the_fetch(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch, case: Case, body: bytes, message: str
) -> None:
    replay.add(case.path, Reply(200, body, {"Content-Type": "application/json"}))
    serve(replay)
    result, manifest = fetch(tmp_path, replay, case.sources, monkeypatch)
    assert message in result.failed_sources[case.source]
    assert manifest["sources"][case.source]["status"] == "failed"


@pytest.mark.parametrize(
    ("source", "path", "refusal"),
    [
        ("bluesky", PATHS["bluesky_session"], Reply.json({"error": "AuthenticationRequired"}, status=401)),
        ("reddit", PATHS["reddit_token"], Reply.json({"message": "Unauthorized", "error": 401}, status=401)),
        ("reddit", PATHS["reddit_token"], Reply.json({"error": "invalid_grant"})),
        ("github", PATHS["github"], Reply.json({"message": "Bad credentials"}, status=401)),
    ],
    ids=["bluesky-401", "reddit-401", "reddit-refused-grant", "github-bad-token"],
)
def test_refused_credentials_fail_the_source_once_without_retrying(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch, source: str, path: str, refusal: Reply
) -> None:
    # Given an upstream refusing the credentials
    replay.add(path, refusal)
    serve(replay)
    # When fetched
    result, _ = fetch(tmp_path, replay, "hackernews," + source, monkeypatch)
    # Then the source failed after one request, saying why; its listing was never asked for
    assert len(replay.requests_to(path)) == 1
    assert ("HTTP 401" if refusal.status == 401 else "invalid_grant") in result.failed_sources[source]
    if source != "github":
        assert replay.requests_to(PATHS[source]) == []
    # And the credentials are in no message
    assert "test-app-password" not in json.dumps(result.to_dict())
    assert "test-client-secret" not in json.dumps(result.to_dict())


@pytest.mark.parametrize(
    ("source", "variable"),
    [
        ("bluesky", "HOTPAPERS_BLUESKY_APP_PASSWORD"),
        ("reddit", "HOTPAPERS_REDDIT_CLIENT_SECRET"),
        ("reddit", "HOTPAPERS_REDDIT_USERNAME"),
        ("x", "HOTPAPERS_X_BEARER_TOKEN"),
    ],
)
def test_a_missing_credential_fails_only_its_source_and_says_where_to_put_it(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch, source: str, variable: str
) -> None:
    serve(replay)
    result, _ = fetch(tmp_path, replay, f"hackernews,{source}", monkeypatch, **{variable: ""})
    assert result.failed_sources == {source: f"{variable} is not set (see docs/sources.md)"}


def test_credentials_are_sent_as_each_api_documents(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(replay)
    result, _ = fetch(tmp_path, replay, "bluesky,reddit,hackernews,github", monkeypatch)
    assert result.failed_sources == {}
    # Bluesky: the session's access token on every search
    search = replay.requests_to(PATHS["bluesky"])[0]
    assert search.headers["Authorization"] == "Bearer eyJhbGciOiJFUzI1NksifQ.test-access.signature"
    assert replay.requests_to(PATHS["bluesky_session"])[0].method == "POST"
    # Reddit: the app's id and secret as Basic auth for the token, the token as bearer, its own User-Agent
    (token,) = replay.requests_to(PATHS["reddit_token"])
    assert token.headers["Authorization"] == "Basic " + base64.b64encode(b"test-client-id:test-client-secret").decode()
    (listing,) = replay.requests_to(PATHS["reddit"])
    assert listing.headers["Authorization"].startswith("bearer eyJhbGciOiJSUzI1NiIs")
    assert (
        token.headers["User-Agent"] == listing.headers["User-Agent"] == "python:hotpapers:0.1.0 (by /u/hotpapers-bot)"
    )
    assert listing.query["t"] == "week"
    assert listing.query["q"] == "site:arxiv.org"
    # GitHub: the optional token
    assert replay.requests_to(PATHS["github"])[0].headers["Authorization"] == "Bearer test-github-token"


def test_github_works_without_a_token(tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    serve(replay)
    result, manifest = fetch(tmp_path, replay, "hackernews,github", monkeypatch, HOTPAPERS_GITHUB_TOKEN="")
    assert result.failed_sources == {}
    assert "Authorization" not in replay.requests_to(PATHS["github"])[0].headers
    assert stored(manifest, "github")[0] == "repo-hp-sample__paper-a.json"


def test_hacker_news_slices_a_window_over_algolias_1000_hit_cap(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a window matching 1500 stories, each half of it 150 on two pages of 100
    middle = (SINCE_TS + NOW_TS) // 2
    story = json.loads(fixture("hackernews_search_by_date_DOCUMENTED_SHAPE.json"))["hits"][0]

    def page(ids: range, pages: int) -> Reply:
        hits = [{**story, "objectID": str(n)} for n in ids]
        return Reply.json({"hits": hits, "nbHits": 150, "nbPages": pages, "hitsPerPage": 100, "page": 0})

    def filters(start: int, end: int) -> str:
        return f"created_at_i>={start},created_at_i<{end}"

    replay.add(
        PATHS["hackernews"],
        Reply.json({"hits": [story], "nbHits": 1500, "nbPages": 10}),
        query={"numericFilters": filters(SINCE_TS, NOW_TS)},
    )
    replay.add(
        PATHS["hackernews"],
        page(range(0, 100), 2),
        query={"numericFilters": filters(SINCE_TS, middle), "page": "0"},
    )
    replay.add(
        PATHS["hackernews"],
        page(range(100, 150), 2),
        query={"numericFilters": filters(SINCE_TS, middle), "page": "1"},
    )
    replay.add(PATHS["hackernews"], page(range(150, 250), 1), query={"numericFilters": filters(middle, NOW_TS)})
    serve(replay)
    # When fetched
    result, manifest = fetch(tmp_path, replay, "hackernews", monkeypatch)
    # Then the window was asked whole, then in halves, each half paged to its end; every page is kept
    asked = [
        (request.query["numericFilters"], request.query["page"]) for request in replay.requests_to(PATHS["hackernews"])
    ]
    assert asked == [
        (filters(SINCE_TS, NOW_TS), "0"),
        (filters(SINCE_TS, middle), "0"),
        (filters(SINCE_TS, middle), "1"),
        (filters(middle, NOW_TS), "0"),
    ]
    assert result.documents["hackernews"] == 4
    assert stored(manifest, "hackernews")[1] == f"search-{SINCE_TS}-{middle}-000.json"
    # And the query asks Algolia for stories whose URL has arxiv.org
    assert replay.requests_to(PATHS["hackernews"])[0].query | {"numericFilters": "", "page": ""} == {
        "query": "arxiv.org",
        "restrictSearchableAttributes": "url",
        "tags": "story",
        "hitsPerPage": "100",
        "numericFilters": "",
        "page": "",
    }


@pytest.mark.parametrize(
    ("source", "path", "endless"),
    [
        (
            "hackernews",
            PATHS["hackernews"],
            Reply(
                200,
                fixture("hackernews_search_by_date_DOCUMENTED_SHAPE.json").replace(b'"nbPages": 1', b'"nbPages": 9'),
            ),
        ),
        ("bluesky", PATHS["bluesky"], answer(PATHS["bluesky"])),
    ],
)
def test_paging_stops_at_the_sources_page_limit(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch, source: str, path: str, endless: Reply
) -> None:
    # Given an upstream that always has a next page (for Bluesky, in the day's own slice)
    replay.add(path, endless, query=DAY_SLICES.get(source))
    serve(replay)
    # When fetched with a limit of 4 pages
    result, manifest = fetch(tmp_path, replay, source, monkeypatch, **{f"HOTPAPERS_{source.upper()}_MAX_PAGES": "4"})
    # Then it read 4 pages, kept them, did not fail, and the manifest says counts may be incomplete
    # (Bluesky's search is sliced: the day's own posts took 3 pages, the one kept back went to the later slice)
    assert len(replay.requests_to(path)) == 4
    assert len(stored(manifest, source)) == 4
    assert result.failed_sources == {}
    assert manifest["sources"][source]["capped"] == ("page cap" if source == "hackernews" else "day: page cap")
    assert "capped" not in manifest["sources"]["x"]


def test_bluesky_follows_the_cursor_and_searches_the_window_by_domain(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(replay)
    _, manifest = fetch(tmp_path, replay, "bluesky", monkeypatch)
    first, second, later = replay.requests_to(PATHS["bluesky"])
    # (q matches any text: a post whose only link is a card, its text naming no URL, must match)
    assert first.query == {
        "q": "*",
        "domain": "arxiv.org",
        "sort": "latest",
        "since": "2026-06-02T00:00:00Z",
        "until": NEXT_ANNOUNCED,
        "limit": "100",
    }
    assert second.query["cursor"] == "25"
    # And the posts after the next announcement were searched on their own
    assert (later.query["since"], later.query["until"]) == (NEXT_ANNOUNCED, "2026-06-03T07:46:45Z")
    assert stored(manifest, "bluesky") == ["search-0000.json", "search-0001.json", "search-0002.json"]


def test_reddit_pages_newest_first_until_it_passes_the_announcement(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a first page of recent threads, and a second reaching back before the window
    listing = json.loads(fixture("reddit_search_listing_arxiv_REAL_FIELDS_REPOINTED.json"))
    older = json.loads(json.dumps(listing))
    older["data"]["children"][-1]["data"]["created_utc"] = SINCE_TS - 60
    # (the replay answers from the first route whose query matches, so later pages come first)
    replay.add(PATHS["reddit"], Reply(500, b"a third page must not be asked for"), query={"after": "t3_page3"})
    replay.add(
        PATHS["reddit"],
        Reply.json({**older, "data": {**older["data"], "after": "t3_page3"}}),
        query={"after": "t3_page2"},
    )
    replay.add(PATHS["reddit"], Reply.json({**listing, "data": {**listing["data"], "after": "t3_page2"}}))
    serve(replay)
    # When fetched
    result, manifest = fetch(tmp_path, replay, "reddit", monkeypatch)
    # Then it read two pages and stopped
    assert result.failed_sources == {}
    assert [request.query.get("after") for request in replay.requests_to(PATHS["reddit"])] == [None, "t3_page2"]
    assert stored(manifest, "reddit") == ["search-0000.json", "search-0001.json"]


def test_github_reads_stargazers_newest_first_back_to_the_window(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a repository of 450 stars whose newest page (5) already reaches before the window
    repository = {**json.loads(fixture("github_repo_DOCUMENTED_SHAPE.json")), "stargazers_count": 450}
    replay.add(PATHS["github"], Reply.json(repository))
    for number, stars in enumerate(stargazer_pages(450, 49), start=1):
        replay.add(PATHS["github_stargazers"], Reply.json(stars), query={"page": str(number)})
    serve(replay)
    # When fetched
    _, manifest = fetch(tmp_path, replay, "hackernews,github", monkeypatch)
    # Then only that page was read, with the media type that carries starred_at
    (request,) = replay.requests_to(PATHS["github_stargazers"])
    assert request.query == {"per_page": "100", "page": "5"}
    assert request.headers["Accept"] == "application/vnd.github.star+json"
    assert stored(manifest, "github") == ["repo-hp-sample__paper-a.json", "stargazers-hp-sample__paper-a-0005.json"]


def test_a_repository_that_is_gone_is_skipped_not_a_failure(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    replay.add(PATHS["github"], Reply.json({"message": "Not Found"}, status=404))
    serve(replay)
    result, manifest = fetch(tmp_path, replay, "hackernews,github", monkeypatch)
    assert result.failed_sources == {}
    assert stored(manifest, "github") == []
    assert replay.requests_to(PATHS["github_stargazers"]) == []


def test_github_asks_only_for_papers_whose_posts_could_list_them(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given paper A discussed with 293 engagement (201 on HN, 92 on X), and a listing threshold above it
    serve(replay)
    # When fetched
    fetch(tmp_path, replay, "hackernews,github", monkeypatch, HOTPAPERS_MIN_SCORE="294")
    # Then GitHub was not asked: its stars could not list the paper
    assert replay.requests_to(PATHS["github"]) == []


def test_every_known_source_has_a_case() -> None:
    assert {case.source for case in CASES} | {"x"} == set(KNOWN_SOURCES)


def with_malformed_item(path: str) -> Reply:
    """The day's answer at ``path`` with one more item, malformed the way upstreams have been seen to."""
    body = json.loads(answer(path).body)
    if path == PATHS["hackernews"]:
        body["hits"].append({**body["hits"][0], "objectID": "44100999", "points": "60 points"})
    elif path == PATHS["huggingface"]:
        body.append({**body[0], "numComments": "3 comments"})
    elif path == PATHS["bluesky"]:
        body["posts"].append({**body["posts"][0], "uri": "at://did:plc:x/app.bsky.feed.post/9", "likeCount": True})
        body.pop("cursor")  # this route answers every page: one is enough
    else:
        child = body["data"]["children"][0]
        body["data"]["children"].append({**child, "data": {**child["data"], "id": "zz9", "created_utc": "soon"}})
    return Reply.json(body)


@pytest.mark.parametrize("case", [case for case in CASES if case.source != "github"], ids=IDS[:-1])
def test_a_malformed_item_is_dropped_and_counted_not_fatal(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch, case: Case
) -> None:
    # Given the source answering its usual items plus one malformed item (Hugging Face: on one day's list)
    replay.add(
        case.path,
        with_malformed_item(case.path),
        query={"date": DATE} if case.source == "huggingface" else DAY_SLICES.get(case.source),
    )
    serve(replay)
    # When the day is fetched
    result, manifest = fetch(tmp_path, replay, case.sources, monkeypatch)
    # Then the source is ok, and the manifest counts the one item dropped (Hacker News: and the
    # documented page's story with null points and comments, which has no figures to score)
    assert result.failed_sources == {}
    assert manifest["sources"][case.source]["status"] == "ok"
    assert manifest["sources"][case.source]["skipped"] == (2 if case.source == "hackernews" else 1)


def test_hugging_face_reads_the_lists_from_the_digest_date_to_now_each_paged_to_its_end(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given paper A on the digest date's list with 33 upvotes, and the next day's list holding
    # a full page of other papers, then paper A again (40 upvotes) and paper C on its second page
    paper_a, paper_c = json.loads(answer(PATHS["huggingface"]).body)
    others = [{**paper_c, "paper": {**paper_c["paper"], "id": f"2605.{n:05d}"}} for n in range(100)]
    later_a = {**paper_a, "paper": {**paper_a["paper"], "upvotes": 40}}
    path = PATHS["huggingface"]
    replay.add(path, Reply.json([paper_a]), query={"date": "2026-06-02", "p": "0"})
    replay.add(path, Reply.json(others), query={"date": "2026-06-03", "p": "0"})
    replay.add(path, Reply.json([later_a, paper_c]), query={"date": "2026-06-03", "p": "1"})
    serve(replay)
    # When fetched the morning after (HOTPAPERS_NOW 2026-06-03)
    result, manifest = fetch(tmp_path, replay, "huggingface", monkeypatch)
    # Then the lists of the digest date and of today were read, page by page, 100 a page
    asked = [
        (request.query["date"], request.query["p"], request.query["limit"]) for request in replay.requests_to(path)
    ]
    assert asked == [("2026-06-02", "0", "100"), ("2026-06-03", "0", "100"), ("2026-06-03", "1", "100")]
    assert stored(manifest, "huggingface") == [
        "daily_papers-2026-06-02-000.json",
        "daily_papers-2026-06-03-000.json",
        "daily_papers-2026-06-03-001.json",
    ]
    # And each paper counts once, with its latest upvotes
    documents = snapshot.read(LocalStore(tmp_path / "data"), result.manifest_key).sources["huggingface"]
    posts = {post.id: post for post in KNOWN_SOURCES["huggingface"].parse(documents)}
    assert posts["2606.01001"].metrics["upvotes"] == 40
    assert "2606.01003" in posts
    assert result.failed_sources == {}


def test_hugging_face_reads_at_most_hf_days_of_lists(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a backfill a month after the day, with HOTPAPERS_HF_DAYS=2
    serve(replay)
    fetch(tmp_path, replay, "huggingface", monkeypatch, HOTPAPERS_NOW="2026-07-02T08:00:00Z", HOTPAPERS_HF_DAYS="2")
    # Then the lists of D, D+1 and D+2 were read
    dates = [request.query["date"] for request in replay.requests_to(PATHS["huggingface"])]
    assert dates == ["2026-06-02", "2026-06-03", "2026-06-04"]


@pytest.mark.parametrize(
    ("path", "query", "headers", "kept"),
    [
        (
            PATHS["github_stargazers"],
            # The newest page, asked first; naming its page as the day's own answers do makes this
            # route the one that answers (of equally specific routes, the first added).
            {"page": str(len(stargazer_pages()))},
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1"},
            ["repo-hp-sample__paper-a.json"],
        ),
        (PATHS["github"], None, {"retry-after": "3600"}, []),
    ],
    ids=["primary-limit-on-stargazers", "secondary-limit-on-the-repository"],
)
def test_a_github_rate_limit_costs_the_unread_figures_not_the_source(
    tmp_path: Path,
    replay: ReplayServer,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    query: dict[str, str] | None,
    headers: dict[str, str],
    kept: list[str],
) -> None:
    # Given GitHub answering 403 with rate-limit headers (after the repository, or at once)
    replay.add(path, Reply(403, b'{"message": "API rate limit exceeded"}', headers), query=query)
    serve(replay)
    # When fetched
    result, manifest = fetch(tmp_path, replay, "hackernews,github", monkeypatch)
    # Then GitHub is not failed: what was read is kept, and its counts are marked possibly incomplete
    assert result.failed_sources == {}
    github = manifest["sources"]["github"]
    assert github["status"] == "ok"
    assert github["capped"] == "rate limit: repositories from hp-sample/paper-a left unread"
    assert stored(manifest, "github") == kept
    # And the 403 was not retried: a rate limit is waited only when GitHub says for how long, with a 429
    assert len(replay.requests_to(path)) == 1


def test_each_arxiv_page_is_parsed_once(tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the day's answers, and arXiv's pages watched as they are parsed
    serve(replay)
    parsed: list[bytes] = []
    parse_feed = arxiv.parse_feed
    monkeypatch.setattr(arxiv, "parse_feed", lambda body: parsed.append(body) or parse_feed(body))
    # When the day is fetched
    result, manifest = fetch(tmp_path, replay, "hackernews", monkeypatch)
    # Then each stored page was parsed once: proving it whole gave the day's papers
    assert result.papers > 0
    assert len(parsed) == len(manifest["arxiv"]["files"]) == len(set(parsed))


def test_the_fetch_seals_its_parsed_papers_and_the_score_step_parses_no_page_again(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a fetched day
    serve(replay)
    result, manifest = fetch(tmp_path, replay, "hackernews", monkeypatch)
    store = LocalStore(tmp_path / "data")
    sealed = snapshot.read(store, result.manifest_key)
    # When it is scored with the arXiv pages' parser out of reach
    monkeypatch.setattr(arxiv, "parse_feed", lambda body: pytest.fail("an arXiv page was parsed again"))
    scored = score_snapshot(sealed, Rules(min_score=0, min_post_engagement=0))
    # Then the papers are those the pages hold, as the fetch sealed them beside the pages
    monkeypatch.undo()
    assert sealed.papers is not None
    assert arxiv.sealed_papers(sealed.papers) == arxiv.parse_pages(sealed.arxiv, sealed.window)
    assert manifest["arxiv"]["papers"]["key"].endswith("/arxiv/papers/pack-0000.gz")
    assert scored["papers_fetched"] == result.papers


def test_a_reddit_backfill_counts_no_thread_past_the_days_post_window(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the day fetched a month late (X out of recent search's reach), Reddit listing from now
    serve(replay)
    result, manifest = fetch(tmp_path, replay, "reddit", monkeypatch, HOTPAPERS_NOW="2026-07-02T08:00:00Z")
    # Then Reddit's entry says where the day's posts end: 7 days after the announcement
    assert manifest["sources"]["reddit"]["counts_until"] == "2026-06-09T00:00:00Z"
    # And the same fetch the morning after has no such end, its search ending now
    _, morning = fetch(tmp_path / "morning", replay, "reddit", monkeypatch, HOTPAPERS_NOW="2026-06-03T07:46:45Z")
    assert "counts_until" not in morning["sources"]["reddit"]
    assert result.failed_sources == {}

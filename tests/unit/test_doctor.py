"""``hotpapers doctor`` against upstreams scripted in memory (tests/support/fake_http.py): one small request each,
a table, the canary search, and exit 0 / 1 / 2; never a secret printed."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hotpapers.cli import main
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.schedule import window_for
from support.builders import atom_entry, atom_feed, tweet, x_page

ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
TOKEN = "doctor-secret-token-5c1e"
HOT = "2606.01234"
DAY = window_for(date(2026, 6, 2))
RECENT = "/2/tweets/search/recent"
HN = "/api/v1/search_by_date"
X_LIMITS = {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "449", "x-rate-limit-reset": "1780380000"}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """X and Hacker News configured, every upstream in memory, the clock the day after the demo day;
    the data store an empty directory."""
    for name, value in {
        "HOTPAPERS_NOW": "2026-06-03T07:45:00Z",
        "HOTPAPERS_ARXIV_API_URL": "http://arxiv.test/api/query",
        "HOTPAPERS_X_API_URL": "http://x.test",
        "HOTPAPERS_HN_API_URL": "http://hn.test",
        "HOTPAPERS_GITHUB_API_URL": "http://gh.test",
        "HOTPAPERS_SOURCES": "x,hackernews",
        "HOTPAPERS_X_BEARER_TOKEN": TOKEN,
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("HOTPAPERS_SSM_PREFIX", "HOTPAPERS_SECRET_ARN", "HOTPAPERS_GITHUB_TOKEN", "HOTPAPERS_X_SEARCH"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def hn_story(paper_id: str) -> Reply:
    hit = {
        "objectID": "1",
        "title": "A paper",
        "url": f"https://arxiv.org/abs/{paper_id}",
        "points": 10,
        "num_comments": 2,
        "author": "someone",
        "created_at_i": 1780362000,
    }
    return Reply.json({"hits": [hit], "nbHits": 1, "nbPages": 1})


def healthy(upstreams: ReplayServer, **instead: Reply) -> None:
    """arXiv, X and Hacker News answering well; ``instead`` replaces an upstream's answer, by path."""
    for path, reply in instead.items():
        upstreams.add(path, reply)
    upstreams.add("/api/query", Reply(200, atom_feed([atom_entry(HOT, published="2026-06-01T12:00:00Z")]), ATOM))
    page = x_page(
        [
            tweet("100", "7", f"https://arxiv.org/abs/{HOT}", likes=90),
            tweet("101", "8", "https://arxiv.org/abs/2606.00001"),
        ]
    )
    upstreams.add(RECENT, Reply.json(page, **X_LIMITS))
    upstreams.add(HN, hn_story(HOT))


def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, list[str]], str]:
    """The exit status, the table's rows by upstream, and everything printed."""
    status = main(["doctor", *args])
    out, err = capsys.readouterr()
    rows = {line.split()[0]: re.split(r"\s{2,}", line) for line in out.splitlines()[1:]}
    return status, rows, out + err


def test_every_upstream_answering_is_a_table_of_what_each_said_and_exit_0(
    upstreams: ReplayServer, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given arXiv, X and Hacker News answering, and the canary paper named
    healthy(upstreams)
    # When the doctor runs
    status, rows, printed = doctor(capsys, "--data", str(env), "--paper", HOT)
    # Then it exits 0 with one row per upstream, arXiv first
    assert status == 0, printed
    assert list(rows) == ["arxiv", "x", "hackernews"]
    assert printed.splitlines()[0].split() == [
        "upstream",
        "reachable",
        "credentials",
        "rate",
        "limit",
        "reach",
        "canary",
        "status",
    ]
    # And X's row: reached, the token accepted, its rate-limit figures, its 7-day reach, the canary found
    x = rows["x"]
    assert x[1:3] == ["yes", "accepted"]
    assert x[3] == "x-rate-limit-limit=450, x-rate-limit-remaining=449, x-rate-limit-reset=1780380000"
    assert x[4:] == ["7 days", f"1 of 2 posts on {HOT}", "ok"]
    assert rows["hackernews"][1:3] == ["yes", "none needed"]
    assert rows["hackernews"][4] == "no horizon"
    assert rows["hackernews"][-2:] == [f"1 of 1 posts on {HOT}", "ok"]
    assert rows["arxiv"][-2:] == [f"found {HOT}", "ok"]
    # And each upstream was asked once, X over the canary's first day, with no retry
    assert (
        len(upstreams.requests_to(RECENT))
        == len(upstreams.requests_to(HN))
        == len(upstreams.requests_to("/api/query"))
        == 1
    )
    (asked,) = upstreams.requests_to(RECENT)
    assert asked.query["start_time"] == "2026-06-02T00:00:00Z"
    assert upstreams.requests_to("/api/query")[0].query["id_list"] == HOT
    # And the token is nowhere in what was printed
    assert TOKEN not in printed


def test_an_expired_token_is_credentials_refused_and_exit_1(
    upstreams: ReplayServer, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given X answering 401 (an expired token), echoing it
    healthy(upstreams, **{RECENT: Reply(401, f"Unauthorized: Bearer {TOKEN}".encode(), {"Content-Type": "text/plain"})})
    # When the doctor runs
    status, rows, printed = doctor(capsys, "--data", str(env), "--paper", HOT)
    # Then X is reachable, its credentials refused, and the exit status is 1
    assert status == 1
    assert rows["x"][1:3] == ["yes", "refused"]
    assert rows["x"][-1] == "credentials refused"
    assert rows["hackernews"][-1] == "ok"
    assert TOKEN not in printed


def test_a_rate_limit_is_named_with_the_figures_it_carried_and_exit_1(
    upstreams: ReplayServer, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given X answering 429 with its reset time
    limited = {**X_LIMITS, "x-rate-limit-remaining": "0"}
    healthy(upstreams, **{RECENT: Reply.json({"title": "Too Many Requests"}, status=429, **limited)})
    # When the doctor runs
    status, rows, _ = doctor(capsys, "--data", str(env), "--paper", HOT)
    # Then X is rate limited, its figures shown, asked once (no retry), and the exit status 1
    assert status == 1
    assert rows["x"][-1] == "rate limited"
    assert "x-rate-limit-remaining=0" in rows["x"][3]
    assert len(upstreams.requests_to(RECENT)) == 1


def test_a_search_that_finds_nothing_fails_the_canary_and_exit_1(
    upstreams: ReplayServer, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given Hacker News answering well-formed, with nothing
    healthy(upstreams, **{HN: Reply.json({"hits": [], "nbHits": 0, "nbPages": 0})})
    # When the doctor runs
    status, rows, _ = doctor(capsys, "--data", str(env), "--paper", HOT)
    # Then Hacker News answered, but its search found nothing: a collapse, exit 1
    assert status == 1
    assert rows["hackernews"][1] == "yes"
    assert rows["hackernews"][-2:] == ["search found nothing", "search found nothing"]


def test_the_canary_is_the_latest_scored_days_top_paper(
    upstreams: ReplayServer, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given two scored days in the data store, the latest with HOT on top
    healthy(upstreams)
    (env / "scored").mkdir()
    older = {
        "window": window_for(date(2026, 6, 1)).to_dict(),
        "papers": [{"paper": {"id": "2606.00001"}}],
    }
    latest = {"window": DAY.to_dict(), "papers": [{"paper": {"id": HOT}}, {"paper": {"id": "2606.00002"}}]}
    (env / "scored" / "2026-06-01.json").write_text(json.dumps(older))
    (env / "scored" / "2026-06-02.json").write_text(json.dumps(latest))
    # When the doctor runs without --paper
    status, rows, _ = doctor(capsys, "--data", str(env))
    # Then the canary is HOT, searched over its day
    assert status == 0
    assert rows["x"][-2] == f"1 of 2 posts on {HOT}"
    assert upstreams.requests_to(RECENT)[0].query["start_time"] == "2026-06-02T00:00:00Z"


def test_with_no_paper_known_each_source_is_asked_for_the_last_hour(
    upstreams: ReplayServer, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an empty data store and no --paper
    healthy(upstreams)
    # When the doctor runs / Then each search reads the hour before now, and counts its posts
    status, rows, _ = doctor(capsys, "--data", str(env))
    assert status == 0
    assert rows["x"][-2] == "2 posts"
    assert upstreams.requests_to(RECENT)[0].query["start_time"] == "2026-06-03T06:45:00Z"
    assert upstreams.requests_to("/api/query")[0].query["search_query"] == "cat:cs.*"


def test_x_full_archive_search_is_said_as_its_reach(
    upstreams: ReplayServer, env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTPAPERS_X_SEARCH", "all")
    healthy(upstreams)
    upstreams.add("/2/tweets/search/all", Reply.json(x_page([tweet("100", "7", f"https://arxiv.org/abs/{HOT}")])))
    _, rows, _ = doctor(capsys, "--data", str(env), "--paper", HOT)
    assert rows["x"][4] == "full archive"


def test_github_is_asked_its_rate_limit_with_the_token(
    upstreams: ReplayServer, env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given GitHub configured with a token
    monkeypatch.setenv("HOTPAPERS_SOURCES", "hackernews,github")
    monkeypatch.setenv("HOTPAPERS_GITHUB_TOKEN", "gh-secret-77aa")
    healthy(upstreams)
    limits = {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999"}
    upstreams.add("/rate_limit", Reply.json({"resources": {}}, **limits))
    # When the doctor runs / Then GitHub's row has its figures, and the token went as a bearer, unprinted
    status, rows, printed = doctor(capsys, "--data", str(env), "--paper", HOT)
    assert status == 0
    assert rows["github"][1:4] == ["yes", "token", "x-ratelimit-limit=5000, x-ratelimit-remaining=4999"]
    assert upstreams.requests_to("/rate_limit")[0].headers["Authorization"] == "Bearer gh-secret-77aa"
    assert "gh-secret-77aa" not in printed


def test_arxiv_unreachable_or_the_paper_unknown_fails(
    upstreams: ReplayServer, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given arXiv answering without the paper asked for
    healthy(upstreams, **{"/api/query": Reply(200, atom_feed([]), ATOM)})
    status, rows, _ = doctor(capsys, "--data", str(env), "--paper", HOT)
    assert status == 1
    assert rows["arxiv"][-2:] == [f"{HOT} not found", "canary paper not found"]


@pytest.mark.parametrize(
    ("setting", "args", "says"),
    [
        ({"HOTPAPERS_X_BEARER_TOKEN": ""}, (), "x: HOTPAPERS_X_BEARER_TOKEN is not set"),
        ({"HOTPAPERS_SOURCES": "myspace"}, (), "unknown sources"),
        ({}, ("--paper", "not-an-id"), "is not an arXiv id"),
    ],
)
def test_a_configuration_it_cannot_check_is_refused_with_exit_2_before_any_request(
    upstreams: ReplayServer,
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    setting: dict[str, str],
    args: tuple[str, ...],
    says: str,
) -> None:
    for name, value in setting.items():
        monkeypatch.setenv(name, value)
    status, _, printed = doctor(capsys, "--data", str(env), *args)
    assert status == 2
    assert says in printed
    assert upstreams.requests == []

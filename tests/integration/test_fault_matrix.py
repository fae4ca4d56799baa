"""The fault matrix (``tests/support/faults/``): every upstream, every fault, transient or persistent,
with or without an earlier digest, through the real ``hotpapers run``.

The matrix tests carry the ``matrix`` mark. The normal suite runs them on ``QUICK``, one cell per
upstream (each already ending well before the retry and partial-day fixes), and checks those cells against
``docs/reliability_matrix.md``; ``pytest -m matrix`` (``make matrix``) or ``HOTPAPERS_MATRIX=full``
runs every cell and checks the whole document, rewriting it instead when ``HOTPAPERS_UPDATE_DOCS=1``.
The tests after those check the harness itself: the fault server, the listing, and the judge.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from support.faults.bodies import empty_answer, without_entries, without_figures
from support.faults.catalogue import (
    DAY,
    DEADLINE,
    DOC,
    FAULTS,
    FETCH_DEADLINE,
    HARD_LIMIT,
    REQUEST_TIMEOUT,
    SOURCE_BUDGET,
    THINNER,
    TRICKLE_INTERVAL,
    UPSTREAMS,
    Case,
    all_cases,
)
from support.faults.judge import Baseline, Verdict, build_baseline, judge, named, run_case
from support.faults.report import cell, committed_cell, render_matrix
from support.faults.runner import DIGEST_KEY, Result, State, timing_env
from support.faults.server import LISTING, demo_day

pytestmark = pytest.mark.integration

# One cell per upstream, each already ending well on today's code, so the normal suite stays quick.
QUICK = (
    "arxiv-500-persistent-earlier",
    "x-503-transient-fresh",
    "x-oembed-reset-persistent-earlier",
    "hackernews-html-200-persistent-earlier",
    "huggingface-malformed-persistent-fresh",
    "bluesky-500-persistent-fresh",
    "reddit-reset-transient-earlier",
    "github-429-short-transient-fresh",
    "arxiv-unlisted-holiday-persistent-fresh",
)
WORKERS = int(os.environ.get("HOTPAPERS_MATRIX_WORKERS", "0")) or 3 * (os.cpu_count() or 2)


def full_matrix(config: pytest.Config) -> bool:
    """Every cell when asked for by ``-m matrix`` (not ``-m "not matrix"``) or ``HOTPAPERS_MATRIX=full``."""
    expression = config.getoption("markexpr") or ""
    asked = re.search(r"(?<!not )\bmatrix\b", expression) is not None
    return asked or os.environ.get("HOTPAPERS_MATRIX") == "full"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        cases = [case for case in all_cases() if full_matrix(metafunc.config) or case.id in QUICK]
        metafunc.parametrize("case", cases, ids=[case.id for case in cases])


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    return build_baseline(tmp_path_factory.mktemp("fault-matrix"))


@pytest.fixture(scope="module")
def verdicts(request: pytest.FixtureRequest, baseline: Baseline) -> dict[str, Verdict]:
    """Every selected cell, run at once, ``WORKERS`` at a time (most of a faulty run is waiting)."""
    cases: list[Case] = [
        item.callspec.params["case"]
        for item in request.session.items
        if item.path == request.path and hasattr(item, "callspec") and "case" in item.callspec.params
    ]
    workdir = baseline.earlier.parent
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="cell") as pool:
        return {verdict.case.id: verdict for verdict in pool.map(lambda case: run_case(case, baseline, workdir), cases)}


@pytest.mark.matrix
def test_the_fault_free_day_is_complete_and_leaks_nothing(baseline: Baseline) -> None:
    # Given the demo day served without a fault, published once before and rerun later
    earlier, rerun = baseline.earlier_state, baseline.reference[True]
    # Then the digest lists many papers from all six sources
    digest = rerun.digest()
    assert digest is not None
    assert len(digest["papers"]) >= 20
    assert sorted(digest["sources"]) == ["bluesky", "github", "hackernews", "huggingface", "reddit", "x"]
    assert named(digest) == set()
    # And a rerun publishes the same site whether or not the day had a digest
    assert rerun.site == baseline.reference[False].site
    assert (rerun.site.keys()) == earlier.site.keys()
    # And no credential is anywhere in what either run wrote
    for state in (earlier, rerun):
        for name, body in {**state.data, **state.site}.items():
            assert not [secret for secret in baseline.secrets if secret.encode() in body], name


@pytest.mark.matrix
def test_cell(case: Case, verdicts: dict[str, Verdict]) -> None:
    # Given one upstream answering one fault (see the case id), when the day runs,
    # then it ends in exactly one outcome and breaks no "never"
    verdict = verdicts[case.id]
    if not verdict.passed:
        summary = f"{case.id}: {cell(verdict)} (exit {verdict.status}, {verdict.seconds:.1f} s)"
        pytest.fail(f"{summary}\nstderr ends:\n{verdict.detail}")


@pytest.mark.matrix
def test_the_matrix_document_matches_the_run(request: pytest.FixtureRequest, verdicts: dict[str, Verdict]) -> None:
    # Given every selected cell's verdict
    committed = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if not full_matrix(request.config):
        # Then, on the quick subset, each cell reads as the committed document says
        for verdict in verdicts.values():
            assert committed_cell(committed, verdict.case) == cell(verdict), verdict.case.id
        return
    # When the document is generated from the whole matrix
    generated = render_matrix(verdicts.values())
    if os.environ.get("HOTPAPERS_UPDATE_DOCS") == "1":
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(generated, encoding="utf-8")
        return
    # Then it is the committed one, so the document cannot drift from the code
    assert generated == committed, "docs/reliability_matrix.md is stale: rerun with HOTPAPERS_UPDATE_DOCS=1 make matrix"


# ---------------------------------------------------------------- the harness itself can fail


def _huggingface(fault_key: str, persistent: bool = False) -> Case:
    return Case(
        next(u for u in UPSTREAMS if u.key == "huggingface"),
        next(f for f in FAULTS if f.key == fault_key),
        persistent,
        earlier=False,
    )


HF_PATH = "/api/daily_papers"


@pytest.mark.parametrize(
    ("fault_key", "expected"),
    [
        ("429-short", (429, "1")),
        ("429-long", (429, "3600")),
        ("503", (503, None)),
        ("wrong-type", (200, None)),
        ("html-200", (200, None)),
    ],
)
def test_the_fault_server_answers_the_fault_once_when_transient(
    fault_key: str, expected: tuple[int, str | None]
) -> None:
    # Given Hugging Face answering a transient fault
    server, _ = demo_day(_huggingface(fault_key))
    with server:
        # When it is asked twice
        first = requests.get(server.url + HF_PATH, timeout=5)
        second = requests.get(server.url + HF_PATH, timeout=5)
    # Then the first answer is the fault, the second the recorded day
    assert (first.status_code, first.headers.get("Retry-After")) == expected
    assert first.content != second.content or fault_key == "wrong-type"
    assert second.status_code == 200
    assert second.headers["Content-Type"] == "application/json"
    assert json.loads(second.content)


def test_the_fault_server_breaks_connections_as_asked() -> None:
    # Given Hugging Face persistently resetting, never answering, or cutting its answer
    def ask(fault_key: str, **kwargs: float) -> requests.Response:
        server, _ = demo_day(_huggingface(fault_key, persistent=True))
        with server:
            return requests.get(server.url + HF_PATH, timeout=kwargs.get("timeout", 5))

    # Then each reaches the client as that failure
    with pytest.raises(requests.ConnectionError):
        ask("reset")
    with pytest.raises(requests.ReadTimeout):
        ask("timeout", timeout=0.5)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        ask("truncated-length")
    cut = ask("truncated-close")
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(ask("malformed").content)
    assert json.loads(ask("empty").content) == []


def test_the_fault_server_trickles_without_tripping_a_read_timeout() -> None:
    # Given Hugging Face trickling its answer
    server, _ = demo_day(_huggingface("trickle"))
    with server:
        # When a client with a read timeout longer than the trickle's interval reads for a while
        response = requests.get(server.url + HF_PATH, timeout=TRICKLE_INTERVAL * 3, stream=True)
        got = b"".join(itertools.islice(response.iter_content(1), 3))
        response.close()
    # Then bytes keep coming, one at a time
    assert len(got) == 3


def test_the_fault_server_echoes_credentials_first() -> None:
    # Given X refusing the bearer token and echoing the request
    case = Case(UPSTREAMS[1], next(f for f in FAULTS if f.key == "401-echo"), persistent=True, earlier=False)
    server, _ = demo_day(case)
    with server:
        answer = requests.get(
            server.url + "/2/tweets/search/recent", headers={"Authorization": "Bearer s3cret"}, timeout=5
        )
    # Then the answer's first 60 characters already hold the token
    assert answer.status_code == 401
    assert "Bearer s3cret" in answer.text[:60]


def test_the_arxiv_listing_pages_from_any_start() -> None:
    # Given the trimmed listing
    total = len(LISTING.entries)
    # Then pages cover it from any start, max_results at most, each saying the whole total
    assert LISTING.page(0, 50).count(b"<entry>") == 50 < total
    assert LISTING.page(7, 2000).count(b"<entry>") == total - 7
    assert b"<opensearch:totalResults>%d<" % total in LISTING.page(7, 50)
    assert b"<opensearch:startIndex>7<" in LISTING.page(7, 50)
    assert without_entries(LISTING.page(0, 50)).count(b"<entry>") == 0
    assert b"<opensearch:totalResults>0<" in empty_answer("/api/query", LISTING.page(0, 50))


def test_a_thinner_listing_is_a_smaller_answer_whole_in_itself() -> None:
    # Given the listing and its thinner answer
    thinner = LISTING.thinner()
    # Then it holds one entry in THINNER, says so as its total, and pages like the whole one
    assert len(thinner.entries) == -(-len(LISTING.entries) // THINNER) < len(LISTING.entries)
    assert set(thinner.entries) < set(LISTING.entries)
    assert b"<opensearch:totalResults>%d<" % len(thinner.entries) in thinner.page(0, 50)
    assert thinner.page(0, 2000).count(b"<entry>") == len(thinner.entries)


@pytest.mark.parametrize(
    ("path", "answer", "figures_left"),
    [
        (
            "/2/tweets/search/recent",
            {"data": [{"id": "1", "public_metrics": {"like_count": 3}}]},
            {"data": [{"id": "1"}]},
        ),
        (
            "/hn/api/v1/search_by_date",
            {"hits": [{"objectID": "1", "points": 3}]},
            {"hits": [{"objectID": "1", "points": None}]},
        ),
        ("/api/daily_papers", [{"paper": {"id": "1", "upvotes": 3}}], [{"paper": {"id": "1"}}]),
        (
            "/bsky/xrpc/app.bsky.feed.searchPosts",
            {"posts": [{"uri": "u", "likeCount": 1, "repostCount": 1, "quoteCount": 1, "replyCount": 1}]},
            {"posts": [{"uri": "u"}]},
        ),
        (
            "/reddit/oauth/search",
            {"data": {"children": [{"kind": "t3", "data": {"id": "a", "score": 3}}]}},
            {"data": {"children": [{"kind": "t3", "data": {"id": "a"}}]}},
        ),
        ("/reddit/api/v1/access_token", {"access_token": "t"}, {"access_token": "t"}),
    ],
)
def test_posts_without_figures_lose_exactly_their_engagement(path: str, answer: Any, figures_left: Any) -> None:
    assert json.loads(without_figures(path, json.dumps(answer).encode())) == figures_left


def test_a_fault_exists_for_the_upstreams_it_names() -> None:
    kinds = {fault.key: fault for fault in FAULTS}
    by_key = {upstream.key: upstream for upstream in UPSTREAMS}
    assert kinds["thinner"].exists_for(by_key["arxiv"])
    assert not kinds["thinner"].exists_for(by_key["x"])
    assert kinds["no-figures"].exists_for(by_key["reddit"])
    assert not kinds["no-figures"].exists_for(by_key["x-oembed"])
    assert kinds["500"].exists_for(by_key["github"])


def test_timing_settings_are_found_in_the_configuration() -> None:
    # Given a configuration that knows a deadline, a per-source budget and a per-source timeout
    source = 'env.get("HOTPAPERS_FETCH_DEADLINE")\nprefix + "BUDGET"\nprefix + "TIMEOUT"\nprefix + "RETRIES"\n'
    # When the matrix's timings are chosen
    env = timing_env(source)
    # Then each is set small, and nothing else is invented
    assert env["HOTPAPERS_FETCH_DEADLINE"] == f"{FETCH_DEADLINE:g}"
    assert env["HOTPAPERS_X_BUDGET"] == f"{SOURCE_BUDGET:g}"
    assert env["HOTPAPERS_GITHUB_TIMEOUT"] == f"{REQUEST_TIMEOUT:g}"
    assert "HOTPAPERS_X_RETRIES" not in env


def _published(baseline: Baseline, digest: dict[str, Any]) -> State:
    earlier = baseline.earlier_state
    return State(earlier.data, {**earlier.site, DIGEST_KEY: json.dumps(digest).encode()})


def test_the_judge_names_every_never(baseline: Baseline) -> None:
    # Given a run after an earlier digest that printed a credential and a traceback, overran,
    # and republished the digest with a paper's authors lost and X's attention gone, unnamed
    case = Case(UPSTREAMS[0], FAULTS[0], persistent=True, earlier=True)
    digest = copy.deepcopy(baseline.earlier_state.digest())
    assert digest is not None
    digest["papers"][0]["paper"]["authors"] = []
    digest["sources"]["x"]["posts"] = 0
    secret = sorted(baseline.secrets)[0]
    result = Result(0, "", f"Traceback (most recent call last):\n  Bearer {secret}\n", DEADLINE + 1)
    # When it is judged
    verdict = judge(case, baseline.earlier_state, _published(baseline, digest), result, baseline)
    # Then it has no outcome, and each broken never is named
    assert verdict.outcome is None
    assert verdict.broken == (
        f"past its deadline ({DEADLINE:.0f} s)",
        "a traceback",
        "a secret in the output",
        "a corrupt digest (papers differ from arXiv's)",
        "an emptier digest over a better one (x lost attention, unnamed)",
        "a digest unlike the fault-free one that names no failed source",
    )


def test_the_judge_accepts_a_named_loss_and_refuses_an_unnamed_one(baseline: Baseline) -> None:
    # Given X failing on a day with an earlier digest, and a rerun that drops X's posts
    case = Case(UPSTREAMS[1], FAULTS[2], persistent=True, earlier=True)
    digest = copy.deepcopy(baseline.earlier_state.digest())
    assert digest is not None
    digest["sources"]["x"] = {"status": "ok", "posts": 0}
    quiet = judge(case, baseline.earlier_state, _published(baseline, digest), Result(0, "", "", 1.0), baseline)
    # When the digest says X failed
    digest["sources"]["x"] = {"status": "failed", "posts": 0}
    said = judge(case, baseline.earlier_state, _published(baseline, digest), Result(0, "", "", 1.0), baseline)
    # Then only the named loss is an outcome: degraded
    assert quiet.outcome is None
    assert "an emptier digest over a better one (x lost attention, unnamed)" in quiet.broken
    assert (said.outcome, said.broken) == ("degraded", ())


def test_the_judge_believes_an_empty_answer_only_without_an_earlier_digest(baseline: Baseline) -> None:
    # Given Hacker News answering validly with nothing, and a digest published without its posts
    empty = next(f for f in FAULTS if f.key == "empty")
    hn = next(u for u in UPSTREAMS if u.key == "hackernews")
    digest = copy.deepcopy(baseline.earlier_state.digest())
    assert digest is not None
    digest["sources"]["hackernews"]["posts"] = 0
    fresh, earlier = State({}, {}), baseline.earlier_state

    def judged(before: State, case: Case, published: dict[str, Any]) -> tuple[str | None, tuple[str, ...]]:
        after = State(before.data, {**before.site, DIGEST_KEY: json.dumps(published).encode()})
        verdict = judge(case, before, after, Result(0, "", "", 1.0), baseline)
        return verdict.outcome, verdict.broken

    # Then with no earlier digest the day is published as answered
    assert judged(fresh, Case(hn, empty, True, earlier=False), digest) == ("recovered", ())
    # But not if another source lost posts too
    digest["sources"]["x"]["posts"] -= 1
    assert judged(fresh, Case(hn, empty, True, earlier=False), digest)[0] is None
    digest["sources"]["x"]["posts"] += 1
    # And over an earlier digest it is an emptier digest, unnamed
    assert (
        "an emptier digest over a better one (hackernews lost attention, unnamed)"
        in judged(earlier, Case(hn, empty, True, earlier=True), digest)[1]
    )


def test_the_judge_believes_a_smaller_arxiv_answer_only_without_an_earlier_digest(baseline: Baseline) -> None:
    # Given arXiv answering a smaller set, and a digest of some of the fault-free day's papers
    thinner = next(f for f in FAULTS if f.key == "thinner")
    reference = baseline.reference[False].digest()
    assert reference is not None
    digest = {**copy.deepcopy(reference), "papers": copy.deepcopy(reference["papers"][1:3])}

    def judged(before: State, earlier: bool, published: dict[str, Any]) -> str | None:
        after = State(before.data, {**before.site, DIGEST_KEY: json.dumps(published).encode()})
        return judge(
            Case(UPSTREAMS[0], thinner, True, earlier), before, after, Result(0, "", "", 1.0), baseline
        ).outcome

    # Then with no earlier digest the papers as answered are the day
    assert judged(State({}, {}), False, digest) == "recovered"
    # But not with a paper's counts unlike the fault-free day's
    digest["papers"][0]["score"] += 1
    assert judged(State({}, {}), False, digest) is None
    digest["papers"][0]["score"] -= 1
    # Nor over an earlier digest
    assert judged(baseline.earlier_state, True, digest) is None


def test_the_judge_tells_refused_kept_and_hung(baseline: Baseline) -> None:
    # Given runs that changed nothing: one failing with an error, one warning, one killed, one silent
    case = Case(UPSTREAMS[0], FAULTS[2], persistent=True, earlier=True)
    same = baseline.earlier_state

    def outcome(result: Result) -> tuple[str | None, tuple[str, ...]]:
        verdict = judge(case, same, same, result, baseline)
        return verdict.outcome, verdict.broken

    # Then each is told apart
    assert outcome(Result(1, "", "error: arxiv: HTTP 500\n", 1.0)) == ("refused", ())
    assert outcome(Result(0, "", "warning: kept\n", 1.0)) == ("kept", ())
    assert outcome(Result(None, "", "", HARD_LIMIT)) == (None, (f"hung (killed at {HARD_LIMIT:.0f} s)",))
    assert outcome(Result(0, "", "", 1.0)) == (None, ("nothing published and no warning",))
    assert outcome(Result(1, "", "", 1.0)) == (None, ("a failed run without a clear error",))
    assert outcome(Result(0, f"No digest for {DAY}: a holiday?\n", "", 1.0)) == (
        "kept",
        ("a failure reported as a day with no announcement",),
    )


def test_the_matrix_document_is_deterministic_and_readable() -> None:
    # Given two verdicts, in either order
    cases = all_cases()
    verdicts = [
        Verdict(cases[0], "refused", (), 1.234, 1),
        Verdict(cases[1], None, ("a traceback",), 25.0, 0),
    ]
    # When the document is rendered
    text = render_matrix(verdicts)
    # Then order and exact timings do not matter, and each cell reads back
    assert text == render_matrix(reversed(verdicts))
    assert text == render_matrix([Verdict(cases[0], "refused", (), 2.5, 1), verdicts[1]])
    assert committed_cell(text, cases[0]) == "refused"
    assert committed_cell(text, cases[1]) == "**✗ no outcome**: a traceback"
    assert committed_cell(text, cases[2]) == ""


def test_the_fault_server_sends_hostile_answers_as_asked() -> None:
    # Given X answering each hostile fault to a request that carries a bearer token
    def ask(fault_key: str, **options: Any) -> requests.Response:
        case = Case(UPSTREAMS[1], next(f for f in FAULTS if f.key == fault_key), persistent=True, earlier=False)
        server, _ = demo_day(case)
        with server:
            return requests.get(
                server.url + "/2/tweets/search/recent",
                headers={"Authorization": "Bearer s3cret-token"},
                timeout=5,
                **options,
            )

    # Then a redirect carries the token to an address that answers as recorded
    moved = ask("redirect-token", allow_redirects=False)
    assert moved.status_code == 302
    assert "hp_token=s3cret-token" in moved.headers["Location"]
    assert ask("redirect-token").json()["data"]
    # And the reflecting answer is valid JSON with the token opening every post's text
    texts = [post["text"] for post in ask("reflect-secret").json()["data"]]
    assert texts
    assert all(text.startswith("s3cret-token ") for text in texts)
    # And the lone surrogate opens every text as JSON's escape
    texts = [post["text"] for post in json.loads(ask("lone-surrogate").content)["data"]]
    assert texts
    assert all(text.startswith("\ud83d ") for text in texts)
    # And the bomb and the oversized answer announce what they are, read no further than needed
    bomb = ask("gzip-bomb", stream=True)
    assert bomb.headers["Content-Encoding"] == "gzip"
    assert len(bomb.raw.read(2**20, decode_content=True)) == 2**20
    bomb.close()
    oversized = ask("oversized", stream=True)
    assert int(oversized.headers["Content-Length"]) > 300 * 2**20
    oversized.close()

"""GitHub's stars against the REST API answered in-process: which repositories are asked for,
the headers GitHub documents, the stargazer pages read newest first back to the window, the
page and repository limits, unavailable repositories, rate limits, and answers of the wrong shape."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aws_lambda_powertools.utilities import parameters
from hotpapers.models import Paper, Post
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.sources import Day
from hotpapers.sources.github import GitHub
from hotpapers.upstream import UpstreamError
from support.fake_http import connected, fetch_request
from support.sources_day import fixture_json, stargazer_pages

API = "https://api.github.com/repos"
REPOSITORY = fixture_json("github_repo_DOCUMENTED_SHAPE.json")


pytestmark = pytest.mark.usefixtures("credentials")


def paper(number: int, repository: str | None = None) -> Paper:
    abstract = f"Code: https://github.com/{repository}." if repository else "No code."
    return Paper(f"2606.0100{number}", 1, f"Paper {number}", ("A",), ("cs.LG",), abstract, "", "")


def story(of: Paper, points: int) -> Post:
    """A Hacker News story linking ``of``."""
    return Post("hackernews", f"44{of.id[-4:]}", "u", "a", "a", "t", "", {"points": points}, (of.abs_url,))


def day(*discussed: tuple[Paper, int], extra: tuple[Post, ...] = ()) -> Day:
    """The papers with their attention, each discussed in one story."""
    return Day(
        papers={p.id: p for p, _ in discussed},
        posts=tuple(story(p, attention) for p, attention in discussed) + extra,
        attention={p.id: attention for p, attention in discussed},
    )


def repository(name: str, stars: int) -> Reply:
    return Reply.json({**REPOSITORY, "full_name": name, "stargazers_count": stars})


def serve_stars(upstreams: ReplayServer, name: str, total: int = 250, in_window: int = 210) -> None:
    upstreams.add(f"{API}/{name}", repository(name, total))
    for number, stars in enumerate(stargazer_pages(total, in_window), start=1):
        upstreams.add(f"{API}/{name}/stargazers", Reply.json(stars), query={"page": str(number)})


def enrich(upstreams: ReplayServer, the_day: Day, **env: str) -> tuple[GitHub, list[Any]]:
    request = fetch_request(env=env)
    source = connected(GitHub, upstreams, request)
    assert source.fetch(request) == []
    return source, source.enrich(request, the_day)


def test_stargazer_pages_are_read_newest_first_back_to_the_windows_start(
    upstreams: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a repository of 250 stars, 210 of them in the window, and a token
    monkeypatch.setenv("HOTPAPERS_GITHUB_TOKEN", "test-github-token")
    serve_stars(upstreams, "hp-sample/paper-a")
    # When the stars of the paper linking it are fetched
    source, documents = enrich(upstreams, day((paper(1, "hp-sample/paper-a"), 60)))
    # Then the repository, then pages 3, 2 and 1 (the first holding a star from before the window) were read
    repo, *pages = upstreams.requests
    assert repo.url == f"{API}/hp-sample/paper-a"
    assert [(a.url, a.query) for a in pages] == [
        (f"{API}/hp-sample/paper-a/stargazers", {"per_page": "100", "page": str(n)}) for n in (3, 2, 1)
    ]
    # And every request carried the API version and the token; the pages asked for star times
    assert {(a.headers["X-GitHub-Api-Version"], a.headers["Authorization"]) for a in upstreams.requests} == {
        ("2022-11-28", "Bearer test-github-token")
    }
    assert repo.headers["Accept"] == "application/vnd.github+json"
    assert {a.headers["Accept"] for a in pages} == {"application/vnd.github.star+json"}
    assert [d.name for d in documents] == [
        "repo-hp-sample__paper-a.json",
        *(f"stargazers-hp-sample__paper-a-{n:04d}.json" for n in (3, 2, 1)),
    ]
    assert source.capped is False


def test_reading_stops_at_the_first_page_reaching_before_the_window(upstreams: ReplayServer) -> None:
    # Given 250 stars of which 120 are in the window: page 2 already holds older ones
    serve_stars(upstreams, "hp-sample/paper-a", 250, 120)
    enrich(upstreams, day((paper(1, "hp-sample/paper-a"), 60)))
    assert [a.query.get("page") for a in upstreams.requests] == [None, "3", "2"]


def test_without_a_token_github_is_asked_anonymously(upstreams: ReplayServer) -> None:
    serve_stars(upstreams, "hp-sample/paper-a")
    enrich(upstreams, day((paper(1, "hp-sample/paper-a"), 60)))
    assert all("Authorization" not in a.headers for a in upstreams.requests)


def test_stargazer_pages_stop_at_the_page_cap(upstreams: ReplayServer) -> None:
    serve_stars(upstreams, "hp-sample/paper-a")
    enrich(upstreams, day((paper(1, "hp-sample/paper-a"), 60)), HOTPAPERS_GITHUB_MAX_PAGES="2")
    assert [a.query.get("page") for a in upstreams.requests] == [None, "3", "2"]


@pytest.mark.parametrize(("stars", "pages"), [(0, []), (40000, ["400", "399", "398"]), (40001, [])])
def test_stargazer_pages_are_read_only_where_github_lists_them(
    upstreams: ReplayServer, stars: int, pages: list[str]
) -> None:
    # GitHub lists no stargazer page past the 400th; a repository without stars has none
    upstreams.add(f"{API}/big/repo", repository("big/repo", stars))
    upstreams.add(f"{API}/big/repo/stargazers", Reply.json(stargazer_pages(100, 100)[0]))
    _, documents = enrich(upstreams, day((paper(1, "big/repo"), 60)))
    assert [a.query["page"] for a in upstreams.requests[1:]] == pages
    assert len(documents) == 1 + len(pages)


def test_papers_are_asked_for_by_attention_above_the_minimum_each_repository_once(upstreams: ReplayServer) -> None:
    # Given papers of attention 50, 90, 49 and 90 (the last sharing the second's repository), and one without code
    for name in ("o/fifty", "o/ninety", "o/below"):
        upstreams.add(f"{API}/{name}", repository(name, 0))
    the_day = day(
        (paper(1, "o/fifty"), 50),
        (paper(2, "o/ninety"), 90),
        (paper(3, "o/below"), 49),
        (paper(4, "o/ninety"), 90),
        (paper(5), 500),
    )
    # When enriched
    enrich(upstreams, the_day)
    # Then the repositories are asked most-discussed first, each once, none under the minimum score
    assert [a.url for a in upstreams.requests] == [f"{API}/o/ninety", f"{API}/o/fifty"]


def test_at_most_github_max_repos_repositories_are_asked_for(upstreams: ReplayServer) -> None:
    for name in ("o/a", "o/b", "o/c"):
        upstreams.add(f"{API}/{name}", repository(name, 0))
    enrich(
        upstreams,
        day((paper(1, "o/a"), 70), (paper(2, "o/b"), 80), (paper(3, "o/c"), 60)),
        HOTPAPERS_GITHUB_MAX_REPOS="2",
    )
    assert [a.url for a in upstreams.requests] == [f"{API}/o/b", f"{API}/o/a"]


def test_a_repository_whose_stars_hugging_face_gave_is_not_asked_for(upstreams: ReplayServer) -> None:
    # Given a paper whose Hugging Face page names its repository and stars
    the_paper = paper(1, "o/other")
    links = (f"https://huggingface.co/papers/{the_paper.id}", "https://github.com/o/hf-named")
    hf = Post("huggingface", the_paper.id, links[0], "HF", "hf", "t", "", {"upvotes": 9, "github_stars": 7}, links)
    # When enriched
    _, documents = enrich(upstreams, day((the_paper, 60), extra=(hf,)))
    # Then GitHub is not asked at all
    assert (documents, upstreams.requests) == ([], [])


@pytest.mark.parametrize("status", [404, 410, 451])
def test_a_repository_that_is_gone_is_skipped_and_the_next_read(upstreams: ReplayServer, status: int) -> None:
    upstreams.add(f"{API}/o/gone", Reply.json({"message": "Not Found"}, status))
    serve_stars(upstreams, "o/next")
    source, documents = enrich(upstreams, day((paper(1, "o/gone"), 90), (paper(2, "o/next"), 60)))
    assert documents[0].name == "repo-o__next.json"
    assert source.capped is False


def test_a_server_error_fails_the_source(upstreams: ReplayServer) -> None:
    upstreams.add(f"{API}/o/a", Reply(500))
    with pytest.raises(UpstreamError, match="HTTP 500"):
        enrich(upstreams, day((paper(1, "o/a"), 90)))


@pytest.mark.parametrize("limit", [Reply(403, b"{}", {"x-ratelimit-remaining": "0"}), Reply(429, b"{}")])
def test_a_rate_limit_keeps_what_was_read_and_marks_the_counts_incomplete(
    upstreams: ReplayServer, limit: Reply
) -> None:
    # Given a first repository read in full, then GitHub refusing for its rate limit
    serve_stars(upstreams, "o/first")
    upstreams.add(f"{API}/o/second", limit)
    upstreams.add(f"{API}/o/third", repository("o/third", 0))
    # When enriched (retries spent)
    source, documents = enrich(
        upstreams,
        day((paper(1, "o/first"), 90), (paper(2, "o/second"), 80), (paper(3, "o/third"), 70)),
        HOTPAPERS_GITHUB_RETRIES="0",
    )
    # Then the first repository's documents stand, the rest are not asked, and the counts are marked
    assert [d.name for d in documents] == [
        "repo-o__first.json",
        *(f"stargazers-o__first-{n:04d}.json" for n in (3, 2, 1)),
    ]
    assert f"{API}/o/third" not in {a.url for a in upstreams.requests}
    assert source.capped


@pytest.mark.parametrize("answer", [{"full_name": "o/a"}, {"stargazers_count": -1}, {"stargazers_count": "9"}, []])
def test_a_repository_answer_without_its_star_count_fails_the_source(upstreams: ReplayServer, answer: Any) -> None:
    upstreams.add(f"{API}/o/a", Reply.json(answer))
    with pytest.raises(UpstreamError, match=f"^github: {re.escape(API)}/o/a answered JSON without stargazers_count$"):
        enrich(upstreams, day((paper(1, "o/a"), 90)))


def test_a_stargazer_page_that_is_no_list_fails_the_source(upstreams: ReplayServer) -> None:
    upstreams.add(f"{API}/o/a", repository("o/a", 5))
    upstreams.add(f"{API}/o/a/stargazers", Reply.json({"message": "Moved"}))
    message = f"^github: {re.escape(API)}/o/a/stargazers\\?per_page=100&page=1 answered JSON without list of items$"
    with pytest.raises(UpstreamError, match=message):
        enrich(upstreams, day((paper(1, "o/a"), 90)))


def test_a_malformed_star_is_left_out_and_the_pages_read_on(upstreams: ReplayServer) -> None:
    # Given 150 stars, the newest page holding one star of the window and one without a time
    older, newer = stargazer_pages(150, 50)
    upstreams.add(f"{API}/o/a", repository("o/a", 150))
    upstreams.add(f"{API}/o/a/stargazers", Reply.json([newer[-1], {"user": {"login": "x"}}]), query={"page": "2"})
    upstreams.add(f"{API}/o/a/stargazers", Reply.json(older), query={"page": "1"})
    # When enriched
    _, documents = enrich(upstreams, day((paper(1, "o/a"), 90)))
    # Then the malformed star neither fails the source nor ends the reading: page 1 is read too
    assert [a.query.get("page") for a in upstreams.requests] == [None, "2", "1"]
    assert len(documents) == 3


def test_stored_star_documents_hold_no_posts_and_nothing_skipped(upstreams: ReplayServer) -> None:
    # Given the documents of a repository's stars
    serve_stars(upstreams, "hp-sample/paper-a")
    _, documents = enrich(upstreams, day((paper(1, "hp-sample/paper-a"), 60)))
    # When read as posts
    parsed = GitHub.read({d.name: d.body for d in documents})
    # Then there are none, and nothing was dropped: stars are figures of papers, not posts
    assert parsed == ([], 0)


def test_a_paper_whose_attention_no_post_links_is_asked_for_by_its_abstract(upstreams: ReplayServer) -> None:
    # Given a paper with attention but no post linking it (its attention came from posts naming it in text)
    the_paper = paper(1, "o/a")
    upstreams.add(f"{API}/o/a", repository("o/a", 0))
    # When enriched
    enrich(upstreams, Day(papers={the_paper.id: the_paper}, posts=(), attention={the_paper.id: 90}))
    # Then its abstract's repository is asked for
    assert [a.url for a in upstreams.requests] == [f"{API}/o/a"]


def test_the_operator_is_told_what_github_left_unread_and_why(
    upstreams: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Given three repositories wanted, two allowed, the first gone and the second rate limited
    upstreams.add(f"{API}/o/a", Reply(404))
    upstreams.add(f"{API}/o/b", Reply(429))
    the_day = day((paper(1, "o/a"), 90), (paper(2, "o/b"), 80), (paper(3, "o/c"), 70))
    # When enriched
    enrich(upstreams, the_day, HOTPAPERS_GITHUB_MAX_REPOS="2", HOTPAPERS_GITHUB_RETRIES="0")
    # Then each is logged with what it concerns
    logged = {
        r.getMessage(): {k: getattr(r, k, None) for k in ("wanted", "read", "repository", "status", "from")}
        for r in caplog.records
    }
    assert logged["github stopped at the repository limit"] == {
        "wanted": 3,
        "read": 2,
        "repository": None,
        "status": None,
        "from": None,
    }
    assert logged["github repository unavailable"] == {
        "wanted": None,
        "read": None,
        "repository": "o/a",
        "status": 404,
        "from": None,
    }
    assert logged["github rate limit: repositories left unread"] == {
        "wanted": None,
        "read": None,
        "repository": None,
        "status": None,
        "from": "o/b",
    }


def test_as_many_repositories_as_allowed_is_no_limit_reached(
    upstreams: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    upstreams.add(f"{API}/o/a", repository("o/a", 0))
    enrich(upstreams, day((paper(1, "o/a"), 90)), HOTPAPERS_GITHUB_MAX_REPOS="1")
    assert "github stopped at the repository limit" not in [r.getMessage() for r in caplog.records]


def test_the_token_may_come_from_the_secret(upstreams: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the token only in the Secrets Manager secret (read through Powertools, replaced by a dictionary)
    monkeypatch.setattr(parameters, "get_secret", lambda arn, **kwargs: {"github_token": "gh-from-secret"})
    upstreams.add(f"{API}/o/a", repository("o/a", 0))
    # When enriched
    enrich(upstreams, day((paper(1, "o/a"), 90)), HOTPAPERS_SECRET_ARN="arn:aws:secretsmanager:us-east-1:1:secret:s")
    # Then GitHub is asked with it
    assert upstreams.requests[0].headers["Authorization"] == "Bearer gh-from-secret"

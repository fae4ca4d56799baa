"""A day discussed on every attention source, built from the fixtures in ``fixtures/sources``.

The fixtures follow each API's documented shape (``DOCUMENTED_SHAPE`` in the name) or are real
recordings (``REAL``; see ``fixtures/sources/README.md``). The day's papers:

- 2606.01001 "Paper A": on X (12 retweets, 80 likes), two HN stories (140 points, 61 comments),
  two Bluesky posts (45 likes, 9 reposts) plus a mirror bot's, on Hugging Face (33 upvotes) with
  its code at github.com/hp-sample/paper-a (250 stars, 210 of them in the window). Its counts
  line is ``EXAMPLE_LINE``.
- 2606.01002 "Paper B": an alphaXiv story on HN, a Bluesky quote post carrying its link as media,
  a Reddit link thread and a self post (plus a crosspost, which never counts).
- 2606.01003 "Paper C": on Hugging Face only, whose githubStars is a total.
- 2606.01004 "Paper D": discussed nowhere.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.snapshot import Snapshot

from support.builders import atom_entry, atom_feed, tweet, x_page

SOURCES_FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
REAL_FIXTURES = Path(__file__).parent.parent / "fixtures" / "real"
DATE = "2026-06-02"
NOW = "2026-06-03T07:46:45Z"
NEXT_ANNOUNCED = "2026-06-03T00:00:00Z"
"""The next digest's announcement (20:00 EDT on 2026-06-02), where the later slice of a post search starts."""
WINDOW_START = datetime(2026, 5, 29, 18, 0, tzinfo=UTC)
ALL_SOURCES = "x,hackernews,bluesky,reddit,huggingface,github"
BOT = "arxiv-mirror-bot.bsky.social"
EXAMPLE_LINE = (
    "retweets: 12, favorites: 80, hn points: 140, hn comments: 61, bluesky likes: 45, bluesky reposts: 9, "
    "bluesky quotes: 1, bluesky replies: 2, hf upvotes: 33, github new stars: 210"
)
PATHS = {
    "arxiv": "/api/query",
    "x": "/2/tweets/search/recent",
    "hackernews": "/hn/api/v1/search_by_date",
    "bluesky_session": "/bsky/xrpc/com.atproto.server.createSession",
    "bluesky": "/bsky/xrpc/app.bsky.feed.searchPosts",
    "reddit_token": "/reddit/api/v1/access_token",
    "reddit": "/reddit/oauth/search",
    "huggingface": "/hf/api/daily_papers",
    "github": "/gh/repos/hp-sample/paper-a",
    "github_stargazers": "/gh/repos/hp-sample/paper-a/stargazers",
}


def fixture(name: str) -> bytes:
    return (SOURCES_FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Any:
    return json.loads(fixture(name))


def arxiv_page() -> bytes:
    return atom_feed(
        [
            atom_entry(
                "2606.01001",
                "Paper A",
                abstract="We count attention honestly. Code: https://github.com/hp-sample/paper-a.",
                published="2026-06-01T17:00:00Z",
            ),
            atom_entry("2606.01002", "Paper B", published="2026-06-01T17:00:00Z"),
            atom_entry("2606.01003", "Paper C", published="2026-06-01T17:00:00Z"),
            atom_entry("2606.01004", "Paper D", published="2026-06-01T17:00:00Z"),
        ]
    )


def x_search_page() -> dict[str, Any]:
    return x_page(
        [
            tweet("1900000000000000001", "1", "https://arxiv.org/abs/2606.01001", retweets=8, likes=50),
            tweet("1900000000000000002", "2", "https://arxiv.org/pdf/2606.01001v1", retweets=4, likes=30),
        ]
    )


def hf_daily_papers() -> list[dict[str, Any]]:
    """Two items of the real Hugging Face answer, re-pointed to papers A and C."""
    real = json.loads((REAL_FIXTURES / "hf_daily_papers_2026-06-12_default.json").read_bytes())
    with_code = [item for item in real if item["paper"].get("githubRepo")]
    paper_a, paper_c = copy.deepcopy(with_code[0]), copy.deepcopy(with_code[1])
    paper_a["paper"].update(id="2606.01001", upvotes=33, githubRepo="https://github.com/hp-sample/paper-a")
    # Without githubStars, the GitHub API is asked for the stars of paper A's repository.
    del paper_a["paper"]["githubStars"]
    paper_c["paper"].update(id="2606.01003", upvotes=60, githubStars=77)
    return [paper_a, paper_c]


def stargazer_pages(total: int = 250, in_window: int = 210) -> list[list[dict[str, Any]]]:
    """GitHub's stargazer pages (100 a page, oldest first), in the documented star+json shape."""
    shape = fixture_json("github_stargazers_star_json_DOCUMENTED_SHAPE.json")[0]
    before = [WINDOW_START - timedelta(days=1, minutes=n) for n in range(total - in_window, 0, -1)]
    during = [WINDOW_START + timedelta(minutes=10 * n) for n in range(in_window)]
    stars = [{**shape, "starred_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ")} for moment in before + during]
    return [stars[start : start + 100] for start in range(0, total, 100)]


def answers() -> list[tuple[str, Reply, dict[str, str] | None]]:
    """(path, reply, query) for every upstream answer of the day, most specific query first."""
    found: list[tuple[str, Reply, dict[str, str] | None]] = [
        (PATHS["arxiv"], Reply(200, arxiv_page(), {"Content-Type": "application/atom+xml"}), None),
        # The posts after the next announcement (a slice searched on its own): none this morning.
        (PATHS["x"], Reply.json(x_page([])), {"start_time": NEXT_ANNOUNCED}),
        (PATHS["bluesky"], Reply.json({"posts": []}), {"since": NEXT_ANNOUNCED}),
        (PATHS["x"], Reply.json(x_search_page()), None),
        (PATHS["hackernews"], Reply(200, fixture("hackernews_search_by_date_DOCUMENTED_SHAPE.json")), None),
        (PATHS["bluesky_session"], Reply(200, fixture("bluesky_createSession_DOCUMENTED_SHAPE.json")), None),
        # Bluesky's second page is empty and has no cursor.
        (PATHS["bluesky"], Reply.json({"posts": []}), {"cursor": "25"}),
        (PATHS["bluesky"], Reply(200, fixture("bluesky_searchPosts_DOCUMENTED_SHAPE.json")), None),
        (PATHS["reddit_token"], Reply(200, fixture("reddit_access_token_DOCUMENTED_SHAPE.json")), None),
        (PATHS["reddit"], Reply(200, fixture("reddit_search_listing_arxiv_REAL_FIELDS_REPOINTED.json")), None),
        (PATHS["huggingface"], Reply.json(hf_daily_papers()), None),
        (PATHS["github"], Reply(200, fixture("github_repo_DOCUMENTED_SHAPE.json")), None),
    ]
    for page, stars in enumerate(stargazer_pages(), start=1):
        found.append((PATHS["github_stargazers"], Reply.json(stars), {"page": str(page)}))
    return found


def answer(path: str) -> Reply:
    """The day's answer at ``path`` (its first page, where it has pages)."""
    return next(reply for at, reply, query in answers() if at == path and query is None)


def serve(server: ReplayServer) -> None:
    """Answer like every upstream did on the day."""
    for path, reply, query in answers():
        server.add(path, reply, query=query)


# The test credentials of every source that needs one (GitHub's token is optional).
CREDENTIALS = {
    "HOTPAPERS_X_BEARER_TOKEN": "test-x-token",
    "HOTPAPERS_BLUESKY_HANDLE": "hotpapers.example.org",
    "HOTPAPERS_BLUESKY_APP_PASSWORD": "test-app-password",
    "HOTPAPERS_REDDIT_CLIENT_ID": "test-client-id",
    "HOTPAPERS_REDDIT_CLIENT_SECRET": "test-client-secret",
    "HOTPAPERS_REDDIT_USERNAME": "hotpapers-bot",
}


def environment(server: ReplayServer, sources: str = ALL_SOURCES) -> dict[str, str]:
    """Every upstream on ``server``, test credentials, the bot ignored, and tiny retry waits."""
    return {
        "HOTPAPERS_NOW": NOW,
        "HOTPAPERS_SOURCES": sources,
        "HOTPAPERS_ARXIV_DELAY": "0",
        "HOTPAPERS_HTTP_BACKOFF": "0.01",
        "HOTPAPERS_HTTP_RETRIES": "2",
        "HOTPAPERS_ARXIV_API_URL": server.url + PATHS["arxiv"],
        "HOTPAPERS_X_API_URL": server.url,
        "HOTPAPERS_X_OEMBED_URL": server.url + "/oembed",
        "HOTPAPERS_HN_API_URL": server.url + "/hn/api/v1",
        "HOTPAPERS_BLUESKY_API_URL": server.url + "/bsky",
        "HOTPAPERS_REDDIT_AUTH_URL": server.url + PATHS["reddit_token"],
        "HOTPAPERS_REDDIT_API_URL": server.url + "/reddit/oauth",
        "HOTPAPERS_HF_API_URL": server.url + "/hf/api",
        "HOTPAPERS_GITHUB_API_URL": server.url + "/gh",
        **CREDENTIALS,
        "HOTPAPERS_GITHUB_TOKEN": "test-github-token",
        "HOTPAPERS_IGNORED_ACCOUNTS": f"bluesky:{BOT}",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }


def stored_documents() -> dict[str, dict[str, bytes]]:
    """Each source's documents as a fetch of the day stores them (what ``serve`` answers)."""
    stars = stargazer_pages()
    return {
        "x": {"search-0000.json": json.dumps(x_search_page()).encode()},
        "hackernews": {
            "search-1780358400-1780472805-000.json": fixture("hackernews_search_by_date_DOCUMENTED_SHAPE.json")
        },
        "bluesky": {
            "search-0000.json": fixture("bluesky_searchPosts_DOCUMENTED_SHAPE.json"),
            "search-0001.json": b'{"posts": []}',
        },
        "reddit": {"search-0000.json": fixture("reddit_search_listing_arxiv_REAL_FIELDS_REPOINTED.json")},
        "huggingface": {f"daily_papers-{DATE}.json": json.dumps(hf_daily_papers()).encode()},
        "github": {
            "repo-hp-sample__paper-a.json": fixture("github_repo_DOCUMENTED_SHAPE.json"),
            **{
                f"stargazers-hp-sample__paper-a-{page:04d}.json": json.dumps(stars[page - 1]).encode()
                for page in (3, 2, 1)
            },
        },
    }


def snapshot(
    sources: str = ALL_SOURCES,
    failed: dict[str, str] | None = None,
    documents: dict[str, dict[str, bytes]] | None = None,
) -> Snapshot:
    """The day's sealed snapshot with ``sources`` fetched and ``failed`` failing."""
    stored = documents or stored_documents()
    names = sources.split(",")
    manifest_sources: dict[str, Any] = {name: {"status": "ok", "error": None, "files": []} for name in names}
    manifest_sources.update(
        {name: {"status": "failed", "error": error, "files": []} for name, error in (failed or {}).items()}
    )
    return Snapshot(
        manifest={
            "date": DATE,
            "fetched_at": NOW,
            "window": {
                "digest_date": DATE,
                "start": "2026-05-29T18:00:00Z",
                "end": "2026-06-01T18:00:00Z",
                "announced": "2026-06-02T00:00:00Z",
            },
            "sources": manifest_sources,
        },
        arxiv=[arxiv_page()],
        sources={name: stored[name] for name in names if name not in (failed or {})},
    )

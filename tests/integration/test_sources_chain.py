"""``hotpapers run`` with every attention source on, over real HTTP on loopback: all answering, and one failing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hotpapers.cli import main
from hotpapers.offline.replay import ReplayServer, Reply
from support.sources_day import BOT, DATE, EXAMPLE_LINE, PATHS, environment, serve

pytestmark = pytest.mark.integration


def run(tmp_path: Path) -> int:
    return main(["run", "--date", DATE, "--data", str(tmp_path / "data"), "--site", str(tmp_path / "site")])


def digest(tmp_path: Path) -> str:
    return (tmp_path / "site" / "digests" / f"{DATE}.md").read_text(encoding="utf-8")


def manifest(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "data" / "raw" / DATE / "manifest.json").read_text())


@pytest.fixture
def all_sources(monkeypatch: pytest.MonkeyPatch, replay: ReplayServer) -> ReplayServer:
    for name, value in environment(replay).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HOTPAPERS_SSM_PREFIX", raising=False)
    monkeypatch.delenv("HOTPAPERS_SECRET_ARN", raising=False)
    return replay


def test_all_sources_side_by_side(
    tmp_path: Path, all_sources: ReplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given every source answering about the day
    serve(all_sources)
    # When the day is run
    status = run(tmp_path)
    # Then it succeeds without a warning
    out, err = capsys.readouterr()
    assert status == 0
    assert "warning" not in err
    assert "Hot Papers 2026-06-02: 3 papers listed" in out
    # And paper A's counts line is EXAMPLE_LINE: each source after X, in the registry's order
    markdown = digest(tmp_path)
    assert f"\n- {EXAMPLE_LINE} (06/03/2026 07:46:45)\n" in markdown
    # And paper B has Bluesky and Reddit (its crosspost not counted; its HN story, with null
    # points and comments, is no post), paper C Hugging Face's total stars
    assert (
        "- retweets: 0, favorites: 0, bluesky likes: 20, bluesky reposts: 2, "
        "bluesky quotes: 3, bluesky replies: 4, reddit score: 60, reddit comments: 15 (" in markdown
    )
    assert "hn points: 0" not in markdown
    assert "- retweets: 0, favorites: 0, hf upvotes: 60, github stars: 77 (" in markdown
    # And the front matter names every source present
    for tag in ("Twitter", "Hacker News", "Bluesky", "Reddit", "Hugging Face", "GitHub"):
        assert f'  - "{tag}"\n' in markdown
    # And the posts shown are drawn from every source, each as what it is
    assert '<blockquote class="hn-story"><p><a href="https://arxiv.org/abs/2606.01001">' in markdown
    assert '<a href="https://news.ycombinator.com/item?id=44100001">40 comments</a> on Hacker News' in markdown
    assert '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:alice' in markdown
    assert "12 comments in r/MachineLearning, posted by u/r_alice" in markdown
    assert '<blockquote class="hf-paper">' in markdown
    assert "twitter-tweet" in markdown
    # And the mirror bot, ignored, is neither shown nor counted
    assert BOT not in markdown
    # And each source's posts are kept as fetched in the raw snapshot; no login answer is stored
    sources = manifest(tmp_path)["sources"]
    assert {name: info["status"] for name, info in sources.items()} == dict.fromkeys(sources, "ok")
    assert [entry["name"] for entry in sources["bluesky"]["files"]] == [f"search-{n:04d}.json" for n in range(3)]
    assert [entry["name"] for entry in sources["github"]["files"]] == [
        "repo-hp-sample__paper-a.json",
        "stargazers-hp-sample__paper-a-0003.json",
        "stargazers-hp-sample__paper-a-0002.json",
        "stargazers-hp-sample__paper-a-0001.json",
    ]
    raw = b"".join(path.read_bytes() for path in (tmp_path / "data" / "raw").rglob("*.json"))
    assert b"accessJwt" not in raw
    assert b"access_token" not in raw


def test_one_source_failing_still_publishes_says_so_and_warns(
    tmp_path: Path, all_sources: ReplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given Reddit refusing the app's credentials, and every other source answering
    all_sources.add(PATHS["reddit_token"], Reply.json({"message": "Unauthorized", "error": 401}, status=401))
    serve(all_sources)
    # When the day is run
    status = run(tmp_path)
    # Then the digest is published and the run ends with a warning naming the source
    out, err = capsys.readouterr()
    assert status == 0
    assert "warning: source reddit failed; the digest says so and leaves it out: reddit: HTTP 401" in err
    assert "Hot Papers 2026-06-02: 2 papers listed" in out
    # And the manifest names the failed source and why, with nothing stored for it
    reddit = manifest(tmp_path)["sources"]["reddit"]
    assert (reddit["status"], reddit["files"]) == ("failed", [])
    assert reddit["error"].startswith("reddit: HTTP 401 from ")
    # And the digest says visibly that Reddit is missing, and counts everything else as before:
    # paper A as in the example, paper B (whose attention was mostly on Reddit) below the threshold
    markdown = digest(tmp_path)
    assert "> Missing sources: Reddit (no data for this day)." in markdown
    assert "HTTP 401" not in markdown
    assert f"\n- {EXAMPLE_LINE} (06/03/2026 07:46:45)\n" in markdown
    assert "Paper B" not in markdown
    assert "- retweets: 0, favorites: 0, hf upvotes: 60, github stars: 77 (" in markdown
    assert '"Reddit"' not in markdown
    # And no credential appears in the output, the logs or the digest
    for secret in ("test-client-secret", "test-app-password", "test-github-token", "test-x-token"):
        assert secret not in out + err + markdown


@pytest.mark.parametrize(
    ("sources", "broken", "exit_status", "said"),
    [
        # Refused as configuration, before arXiv is asked: X without its token (GitHub counts no
        # posts), or no source that counts posts at all
        ("x,github", {}, 2, "error: no configured attention source can count posts (x: HOTPAPERS_X_BEARER_TOKEN"),
        ("github", {}, 2, "error: no configured attention source can count posts (HOTPAPERS_SOURCES names only"),
        # Every source asked, and every one failed
        (
            "hackernews,huggingface",
            {PATHS["hackernews"]: 503, PATHS["huggingface"]: 401},
            1,
            "error: no attention source could count posts",
        ),
    ],
)
def test_no_usable_source_publishes_nothing_and_fails_clearly(
    tmp_path: Path,
    all_sources: ReplayServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    sources: str,
    broken: dict[str, int],
    exit_status: int,
    said: str,
) -> None:
    # Given the day published once with every source
    serve(all_sources)
    assert run(tmp_path) == 0
    published = {path: path.read_bytes() for path in (tmp_path / "site").rglob("*") if path.is_file()}
    sealed = (tmp_path / "data" / "raw" / DATE / "manifest.json").read_bytes()
    capsys.readouterr()
    # When it runs again with no source that can count posts: unconfigured, failing, or none
    monkeypatch.setenv("HOTPAPERS_SOURCES", sources)
    monkeypatch.delenv("HOTPAPERS_X_BEARER_TOKEN")
    for path, status in broken.items():
        all_sources.routes.insert(0, all_sources.add(path, Reply.json({"message": "down"}, status=status)))
        all_sources.routes.pop()
    asked_before = len(all_sources.requests)
    status = run(tmp_path)
    # Then the step is refused or fails with a clear message, and nothing is published or sealed
    err = capsys.readouterr().err
    assert status == exit_status
    assert said in err
    assert "Traceback" not in err
    # And a configuration refused is refused before any request
    assert exit_status == 1 or len(all_sources.requests) == asked_before
    assert {path: path.read_bytes() for path in (tmp_path / "site").rglob("*") if path.is_file()} == published
    assert (tmp_path / "data" / "raw" / DATE / "manifest.json").read_bytes() == sealed


def test_an_upstream_echoing_the_token_leaks_it_nowhere(
    tmp_path: Path, all_sources: ReplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given X refusing the token with a body that echoes the request's Authorization header
    echo = b'{"title": "Unauthorized", "detail": "bad header Authorization: Bearer test-x-token"}'
    all_sources.add(PATHS["x"], Reply(401, echo, {"Content-Type": "application/json"}))
    serve(all_sources)
    # When the day is run
    status = run(tmp_path)
    # Then it is published without X, and the error kept is X's status and reason
    out, err = capsys.readouterr()
    assert status == 0
    assert manifest(tmp_path)["sources"]["x"]["error"] == (
        f"x: HTTP 401 from {all_sources.url}{PATHS['x']}: Unauthorized"
    )
    # And the token is in no output, no stored object and no published file
    written = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert b"test-x-token" not in written
    assert "test-x-token" not in out + err

"""``hotpapers run`` end to end against loopback fake upstreams (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import serve_seed_day, serve_x_pages
from hotpapers.cli import main
from hotpapers.local.replay import ReplayServer, Reply
from seed_day import DATE, SeedDay

pytestmark = pytest.mark.integration


def run(tmp_path: Path, day: str = DATE) -> int:
    return main(["run", "--date", day, "--data", str(tmp_path / "data"), "--site", str(tmp_path / "site")])


def publish_seed_day(tmp_path: Path, server: ReplayServer, day: SeedDay) -> tuple[Path, Path]:
    """The seed day served and published once: the paths of its sealed manifest and its digest."""
    serve_seed_day(server, day)
    assert run(tmp_path) == 0
    return tmp_path / "data" / "raw" / DATE / "manifest.json", tmp_path / "site" / "digests" / f"{DATE}.md"


def test_run_publishes_the_site_and_says_where(
    tmp_path: Path, upstream_env: ReplayServer, seed_day: SeedDay, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the seed day's upstreams
    serve_seed_day(upstream_env, seed_day)
    # When the CLI runs the day
    status = run(tmp_path)
    # Then it succeeds, reports each step and where the site is
    out, err = capsys.readouterr()
    assert status == 0
    assert "Hot Papers 2020-07-09: 7 papers listed" in out
    assert str(tmp_path / "site" / "index.html") in out
    assert "-> FetchFunction" in err
    assert "-> ScoreFunction (raw/2020-07-09/manifest.json)" in err
    assert "-> RenderFunction (scored/2020-07-09.json)" in err
    # And the site holds the digest in all its forms, the index and the feeds
    site = tmp_path / "site"
    for name in ("index.html", "feed.xml", "feed.json", f"digests/{DATE}.md", f"digests/{DATE}.html"):
        assert (site / name).stat().st_size > 0, name
    assert json.loads((site / "digests" / f"{DATE}.json").read_text())["papers"][0]["paper"]["id"] == "2007.03898"
    assert f'href="digests/{DATE}.html"' in (site / "index.html").read_text()


def test_same_snapshot_and_clock_give_byte_identical_output(
    tmp_path: Path, upstream_env: ReplayServer, seed_day: SeedDay
) -> None:
    # Given two runs of the same day with the same HOTPAPERS_NOW into separate directories
    serve_seed_day(upstream_env, seed_day)
    assert run(tmp_path / "one") == 0
    assert run(tmp_path / "two") == 0

    # Then every file of data and site is identical
    def tree(base: Path) -> dict[str, bytes]:
        return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}

    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_weekend_date_is_reported_not_failed(
    tmp_path: Path, upstream_env: ReplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a Saturday, on which arXiv announces nothing
    # When the CLI runs it
    status = run(tmp_path, "2020-07-11")
    # Then it says so, succeeds, asks no upstream and publishes nothing
    assert status == 0
    assert "No digest for 2020-07-11: arXiv does not announce on Friday or Saturday evenings" in capsys.readouterr().out
    assert upstream_env.requests == []
    assert not (tmp_path / "site").exists()


def test_a_holiday_with_no_papers_is_reported_not_published(
    tmp_path: Path, upstream_env: ReplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given arXiv answering a weekday with zero papers (a holiday), as its real empty answer looks
    empty = (
        Path(__file__).parents[1] / "fixtures/real/arxivpy_golden_id_0000.0000_s0_m100_8b51d9633a68.json"
    ).read_text()
    upstream_env.add("/api/query", Reply(200, json.loads(empty)["body"].encode("latin-1")))
    upstream_env.add("/2/tweets/search/recent", Reply.json({"meta": {"result_count": 0}}))
    # When / Then
    assert run(tmp_path, "2020-12-25") == 0
    assert "arXiv lists no new papers" in capsys.readouterr().out
    assert not (tmp_path / "data" / "raw").exists()
    assert not (tmp_path / "site").exists()


def test_arxiv_failing_fails_the_run_and_keeps_the_last_good_digest(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a published digest for the seed day
    manifest_path, digest_path = publish_seed_day(tmp_path, upstream_env, seed_day)
    published, manifest = digest_path.read_bytes(), manifest_path.read_bytes()
    capsys.readouterr()
    # When a later run meets an arXiv that keeps answering 500
    upstream_env.routes.clear()
    upstream_env.add("/api/query", Reply(500, b"Internal Server Error"))
    serve_x_pages(upstream_env, seed_day.x_pages())
    monkeypatch.setenv("HOTPAPERS_NOW", "2020-07-10T09:00:00Z")
    status = run(tmp_path)
    # Then the run fails with a clear message, after retrying
    assert status == 1
    err = capsys.readouterr().err
    assert "error: arxiv: HTTP 500" in err
    assert "Nothing was published; the previous digest stays." in err
    assert len(upstream_env.requests_to("/api/query")) > 1
    # And the sealed snapshot and the published digest are untouched
    assert manifest_path.read_bytes() == manifest
    assert digest_path.read_bytes() == published


def test_x_refusing_the_token_still_publishes_and_warns(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given X refusing the bearer token, and Hugging Face working
    monkeypatch.setenv("HOTPAPERS_SOURCES", "x,huggingface")
    upstream_env.add("/api/query", Reply(200, seed_day.arxiv_feed()))
    upstream_env.add("/2/tweets/search/recent", Reply.json({"title": "Unauthorized", "status": 401}, status=401))
    hf = [{"paper": {"id": "2007.03898", "title": "NVAE", "upvotes": 77}, "numComments": 3}]
    upstream_env.add("/api/daily_papers", Reply.json(hf))
    # When the day runs
    status = run(tmp_path)
    # Then the digest is published from what worked, says what is missing, and the CLI warns
    out, err = capsys.readouterr()
    assert status == 0
    assert "warning: source x failed" in err
    assert "HTTP 401" in err
    markdown = (tmp_path / "site" / "digests" / f"{DATE}.md").read_text()
    assert "> Missing sources: x (x: HTTP 401" in markdown
    assert "- hf upvotes: 77 (07/10/2020 07:46:45)" in markdown
    manifest = json.loads((tmp_path / "data" / "raw" / DATE / "manifest.json").read_text())
    assert manifest["sources"]["x"]["status"] == "failed"
    # And the token never reached the logs or the output
    assert "test-token" not in out + err + markdown


def test_missing_x_token_is_named(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HOTPAPERS_X_BEARER_TOKEN")
    upstream_env.add("/api/query", Reply(200, seed_day.arxiv_feed()))
    assert run(tmp_path) == 0
    assert "HOTPAPERS_X_BEARER_TOKEN is not set" in capsys.readouterr().err
    assert upstream_env.requests_to("/2/tweets/search/recent") == []


def test_bad_configuration_stops_before_any_request(
    tmp_path: Path, upstream_env: ReplayServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTPAPERS_SOURCES", "x,friendster")
    assert run(tmp_path) == 2
    assert "error: HOTPAPERS_SOURCES names unknown sources ['friendster']" in capsys.readouterr().err
    assert upstream_env.requests == []


def test_bad_date_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run(tmp_path, "09/07/2020")
    assert exited.value.code == 2
    assert "'09/07/2020' is not a date in YYYY-MM-DD form" in capsys.readouterr().err


def test_a_source_that_crashes_costs_only_itself(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given X working and Hugging Face's module failing in a way nobody planned for
    from hotpapers.sources import KNOWN_SOURCES

    def broken(*args: object) -> None:
        raise KeyError("paper")

    monkeypatch.setattr(KNOWN_SOURCES["huggingface"], "fetch", broken)
    monkeypatch.setenv("HOTPAPERS_SOURCES", "x,huggingface")
    serve_seed_day(upstream_env, seed_day)
    # When the day runs
    status = run(tmp_path)
    # Then the digest is published from X, naming the failed source, and the CLI warns
    assert status == 0
    assert "warning: source huggingface failed" in capsys.readouterr().err
    markdown = (tmp_path / "site" / "digests" / f"{DATE}.md").read_text()
    assert "> Missing sources: huggingface (huggingface: unexpected KeyError: 'paper')" in markdown
    assert "# 1. NVAE: A Deep Hierarchical Variational Autoencoder" in markdown


def test_a_rerun_that_loses_a_source_keeps_the_better_digest(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the seed day published with X
    manifest, digest = publish_seed_day(tmp_path, upstream_env, seed_day)
    sealed, published = manifest.read_bytes(), digest.read_bytes()
    capsys.readouterr()
    # When the day is fetched again later and X now refuses the token
    upstream_env.routes.clear()
    upstream_env.add("/api/query", Reply(200, seed_day.arxiv_feed()))
    upstream_env.add("/2/tweets/search/recent", Reply.json({"title": "Unauthorized", "status": 401}, status=401))
    monkeypatch.setenv("HOTPAPERS_NOW", "2020-07-10T09:00:00Z")
    status = run(tmp_path)
    # Then nothing is republished, the CLI says why, and the fetch is kept unsealed for the record
    assert status == 0
    assert f"warning: {DATE} was not republished: x (x: HTTP 401" in capsys.readouterr().err
    assert manifest.read_bytes() == sealed
    assert digest.read_bytes() == published
    (attempt,) = (tmp_path / "data" / "raw" / DATE).glob("20200710T090000Z-*/attempt.json")
    assert json.loads(attempt.read_text())["sources"]["x"]["status"] == "failed"


def test_a_complete_rerun_replaces_the_digest(
    tmp_path: Path, upstream_env: ReplayServer, seed_day: SeedDay, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the seed day published, then fetched again an hour later with every source answering
    serve_seed_day(upstream_env, seed_day)
    assert run(tmp_path) == 0
    monkeypatch.setenv("HOTPAPERS_NOW", "2020-07-10T08:46:45Z")
    assert run(tmp_path) == 0
    # Then the newer snapshot is sealed and its fetch time is the digest's
    manifest = json.loads((tmp_path / "data" / "raw" / DATE / "manifest.json").read_text())
    assert manifest["fetched_at"] == "2020-07-10T08:46:45Z"
    assert "(07/10/2020 08:46:45)" in (tmp_path / "site" / "digests" / f"{DATE}.md").read_text()

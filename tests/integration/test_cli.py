"""``hotpapers run`` end to end against loopback fake upstreams (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
import shutil
import socket
import warnings
from datetime import date
from pathlib import Path

import pytest
from conftest import serve_seed_day, serve_x_pages
from hotpapers import arxiv
from hotpapers.cli import main
from hotpapers.config import load_settings
from hotpapers.models import iso_utc
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.schedule import window_for
from support.builders import atom_entry, atom_feed
from support.seed_day import DATE, SeedDay

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


def test_weekend_date_names_the_nearest_digest_dates(
    tmp_path: Path, upstream_env: ReplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a Sunday, a date no digest carries (arXiv does not announce on Saturday evenings)
    # When the CLI runs it
    status = run(tmp_path, "2020-07-05")
    # Then it says so in terms of the date typed, names the digest dates around it, and succeeds
    assert status == 0
    out = capsys.readouterr().out
    assert "No digest for 2020-07-05: 2020-07-05 is a Sunday; digests are dated Monday to Friday" in out
    assert "Nearest digest dates: 2020-07-03 (Friday) and 2020-07-06 (Monday)." in out
    # And it asks no upstream and publishes nothing
    assert upstream_env.requests == []
    assert not (tmp_path / "site").exists()


def test_a_holiday_with_no_papers_is_reported_not_published(
    tmp_path: Path, upstream_env: ReplayServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given arXiv answering a weekday with zero papers (a holiday), as its real empty answer looks
    empty = (
        Path(__file__).parents[1] / "fixtures/real/arxivpy_golden_id_0000.0000_s0_m100_8b51d9633a68.json"
    ).read_text()
    upstream_env.add("/api/query", Reply(200, json.loads(empty)["body"].encode("latin-1")))
    upstream_env.add("/2/tweets/search/recent", Reply.json({"meta": {"result_count": 0}}))
    monkeypatch.setenv("HOTPAPERS_NOW", "2020-12-26T08:00:00Z")
    # When the day runs, every warning recorded
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status = run(tmp_path, "2020-12-25")
    # Then it is reported, nothing is sealed or published, only the day recorded as confirmed
    # empty (the next window reaches back over it), and no library warning reaches the terminal
    assert status == 0
    assert "arXiv lists no new papers" in capsys.readouterr().out
    recorded = [path.relative_to(tmp_path / "data").as_posix() for path in (tmp_path / "data").rglob("*.*")]
    assert recorded == ["raw/2020-12-25/announced-empty.json"]
    assert not (tmp_path / "site").exists()
    assert [str(w.message) for w in caught] == []


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
    assert "> Missing sources: X (no data for this day)." in markdown
    assert "HTTP 401" not in markdown
    assert "- retweets: 0, favorites: 0, hf upvotes: 77 (07/10/2020 07:46:45)" in markdown
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
    # Given X as the only source, without its token
    monkeypatch.delenv("HOTPAPERS_X_BEARER_TOKEN")
    upstream_env.add("/api/query", Reply(200, seed_day.arxiv_feed()))
    # Then the run is refused as configuration naming the token, asks nobody anything (arXiv
    # included), and publishes no empty digest
    assert run(tmp_path) == 2
    err = capsys.readouterr().err
    assert "HOTPAPERS_X_BEARER_TOKEN is not set" in err
    # And before any progress line
    assert "->" not in err
    assert err.startswith("error: ")
    assert upstream_env.requests == []
    assert not (tmp_path / "site").exists()


def test_a_source_out_of_reach_is_a_warning_line(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the seed day run a month late, with X (7 days back) and Hugging Face
    serve_seed_day(upstream_env, seed_day)
    upstream_env.add("/api/daily_papers", Reply.json([]))
    monkeypatch.setenv("HOTPAPERS_SOURCES", "x,huggingface")
    monkeypatch.setenv("HOTPAPERS_NOW", "2020-08-10T08:00:00Z")
    # When run / Then the digest is published and the terminal says X was not asked, and why
    assert run(tmp_path) == 0
    assert "warning: source x was not asked, the day is beyond its reach: x: " in capsys.readouterr().err
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
    assert "> Missing sources: Hugging Face (no data for this day)." in markdown
    assert "KeyError" not in markdown
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
    # Then, X being the only source, the step fails, saying why, and nothing is republished
    assert status == 1
    assert "x: HTTP 401" in capsys.readouterr().err
    assert manifest.read_bytes() == sealed
    assert digest.read_bytes() == published


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


def main_in(tmp_path: Path, *args: str) -> int:
    return main([*args, "--data", str(tmp_path / "data"), "--site", str(tmp_path / "site")])


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("20200709", "'20200709' is not a date in YYYY-MM-DD form"),
        ("2020-7-9", "'2020-7-9' is not a date in YYYY-MM-DD form"),
        ("2020-07-13", "2020-07-13 is in the future (today is 2020-07-10 UTC)"),
        ("1990-01-02", "1990-01-02 is before arXiv's first announcement (1991-08-14)"),
    ],
)
def test_dates_no_digest_can_have_are_refused_at_once(
    tmp_path: Path, upstream_env: ReplayServer, capsys: pytest.CaptureFixture[str], day: str, message: str
) -> None:
    # Given a malformed, a future or a pre-arXiv date (the clock is the seed day's morning after)
    # When the CLI is asked to run it
    try:
        status = run(tmp_path, day)
    except SystemExit as exited:  # argparse refuses the malformed ones itself
        status = int(exited.code or 0)
    # Then it is refused with exit 2, saying why, before any request
    assert status == 2
    assert message in capsys.readouterr().err
    assert upstream_env.requests == []


def test_the_terminal_shows_people_lines_and_the_logs_only_when_asked(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the seed day with no embeds recorded for its posts, and metrics switched on
    serve_seed_day(upstream_env, seed_day, oembed=False)
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED")
    # When it runs plainly
    assert run(tmp_path / "plain") == 0
    out, err = capsys.readouterr()
    # Then the terminal holds the steps and the result, no metrics JSON and no log warnings
    assert "Hot Papers 2020-07-09: 7 papers listed" in out
    assert "_aws" not in out + err
    assert "WARNING" not in err
    assert "oembed unavailable" not in err
    # When it runs with --verbose
    assert main_in(tmp_path / "verbose", "run", "--date", DATE, "--verbose") == 0
    err = capsys.readouterr().err
    # Then the structured logs are shown, the missing embeds among them
    assert "snapshot sealed (digest_date=2020-07-09" in err
    assert "oembed unavailable" in err
    assert "_aws" not in err


def test_log_format_json_prints_the_logs_and_metrics_as_lambda_does(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the seed day, metrics switched on
    serve_seed_day(upstream_env, seed_day)
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED")
    # When it runs with --log-format json
    assert main_in(tmp_path, "run", "--date", DATE, "--log-format", "json") == 0
    err = capsys.readouterr().err
    records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    # Then stderr holds Powertools' JSON records and the EMF metrics lines
    assert {"level": "INFO", "message": "snapshot sealed"}.items() <= next(
        r for r in records if r.get("message") == "snapshot sealed"
    ).items()
    assert any("PapersListed" in r and "_aws" in r for r in records)


def test_rescore_scores_the_sealed_snapshot_again_without_network(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the seed day published (7 papers listed), then every upstream gone and sockets refused
    _, digest = publish_seed_day(tmp_path, upstream_env, seed_day)
    upstream_env.routes.clear()
    upstream_env.requests.clear()
    capsys.readouterr()

    def no_network(*args: object) -> None:
        raise AssertionError(f"rescore opened a connection: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    # When it is rescored with a higher bar
    monkeypatch.setenv("HOTPAPERS_MIN_SCORE", "500")
    status = main_in(tmp_path, "rescore", "--date", DATE)
    # Then the digest is republished from the snapshot under the new rule, with no request made
    out, err = capsys.readouterr()
    assert status == 0
    assert "-> ScoreFunction (raw/2020-07-09/manifest.json)" in err
    assert "-> RenderFunction (scored/2020-07-09.json)" in err
    assert "FetchFunction" not in err
    listed = json.loads((tmp_path / "site" / "digests" / f"{DATE}.json").read_text())["papers"]
    assert 0 < len(listed) < 7
    assert f"# {len(listed)}. " in digest.read_text()
    assert f"# {len(listed) + 1}. " not in digest.read_text()
    assert out.splitlines()[1].split() == [DATE, "7", str(len(listed)), "1", "ok", "published"]
    assert upstream_env.requests == []


def test_rescore_and_render_refuse_a_day_without_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], upstream_env: ReplayServer
) -> None:
    # Given empty stores
    # When a day is rescored or rendered
    # Then each is refused with exit 2, naming what is missing
    assert main_in(tmp_path, "rescore", "--date", DATE) == 2
    assert f"raw/{DATE}/manifest.json does not exist" in capsys.readouterr().err
    assert main_in(tmp_path, "render", "--date", DATE) == 2
    assert f"scored/{DATE}.json does not exist" in capsys.readouterr().err
    # And --all finds nothing to do, which is no failure
    assert main_in(tmp_path, "render", "--all") == 0


def test_render_all_publishes_again_from_scored(
    tmp_path: Path, upstream_env: ReplayServer, seed_day: SeedDay, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the seed day published, then its site lost
    _, digest = publish_seed_day(tmp_path, upstream_env, seed_day)
    published = digest.read_bytes()
    shutil.rmtree(tmp_path / "site")
    upstream_env.requests.clear()
    capsys.readouterr()
    # When every day is rendered again
    assert main_in(tmp_path, "render", "--all") == 0
    # Then the same digest is back, from scored/ alone
    assert digest.read_bytes() == published
    assert upstream_env.requests == []
    assert "-> ScoreFunction" not in capsys.readouterr().err


def test_backfill_runs_each_digest_date_then_resumes(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given upstreams that answer the seed day as it was and list a paper of its own for each later
    # day (arXiv is asked for each day's window), and a clock after the weekend
    for later in (date(2020, 7, 10), date(2020, 7, 13)):
        window = window_for(later)
        entry = atom_entry(f"2007.9{later.day:04d}", f"A paper of {later}", published=iso_utc(window.start))
        query = arxiv.search_query(window, load_settings().categories)
        upstream_env.add("/api/query", Reply(200, atom_feed([entry])), query={"search_query": query})
    serve_seed_day(upstream_env, seed_day)
    monkeypatch.setenv("HOTPAPERS_NOW", "2020-07-14T08:00:00Z")
    # When Thursday to Monday is backfilled
    status = main_in(tmp_path, "backfill", "--from", "2020-07-09", "--to", "2020-07-13")
    out, err = capsys.readouterr()
    # Then the three digest dates run oldest first, the weekend is left out, with progress per step
    assert status == 0
    assert "[1/3] 2020-07-09: FetchFunction (time left: estimating)" in err
    assert "[2/3] 2020-07-10: ScoreFunction (about " in err
    assert "[3/3] 2020-07-13: RenderFunction" in err
    assert "2020-07-11" not in out + err
    assert sorted(p.name for p in (tmp_path / "site" / "digests").glob("*.md")) == [
        "2020-07-09.md",
        "2020-07-10.md",
        "2020-07-13.md",
    ]
    # And a summary table: day, papers, listed, sources, status
    lines = out.splitlines()
    assert lines[0].split() == ["day", "papers", "listed", "sources", "status"]
    assert lines[1].split()[0] == "2020-07-09"
    assert lines[1].split()[-1] == "published"
    # When it runs again, with no day due a refresh
    requests = len(upstream_env.requests)
    monkeypatch.setenv("HOTPAPERS_REFRESH_AGES", "")
    assert main_in(tmp_path, "backfill", "--from", "2020-07-09", "--to", "2020-07-13") == 0
    out, err = capsys.readouterr()
    # Then every published day is skipped, with no request
    assert len(upstream_env.requests) == requests
    assert "[1/3] 2020-07-09: published before, skipped" in err
    assert [line.split()[-1] for line in out.splitlines()[1:]] == ["skipped"] * 3
    # And when it runs again with the default ages, the day due today (the 10th, three days before
    # the 13th, which a run on the 14th publishes) is refreshed, with no request to arXiv
    monkeypatch.delenv("HOTPAPERS_REFRESH_AGES")
    assert main_in(tmp_path, "backfill", "--from", "2020-07-09", "--to", "2020-07-13") == 0
    out, err = capsys.readouterr()
    assert "2020-07-10: published before and due a refresh: refreshing" in err
    statuses = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert statuses["2020-07-09"].split()[-1] == statuses["2020-07-13"].split()[-1] == "skipped"
    assert "refreshed (x): " in statuses["2020-07-10"]
    assert [r for r in upstream_env.requests[requests:] if r.path == "/api/query"] == []
    assert (tmp_path / "data" / "raw" / "2020-07-10" / "refreshes").is_dir()
    requests = len(upstream_env.requests)
    # And run at once again, it leaves the day it has just refreshed as it is
    assert main_in(tmp_path, "backfill", "--from", "2020-07-09", "--to", "2020-07-13") == 0
    out, err = capsys.readouterr()
    assert [line.split()[-1] for line in out.splitlines()[1:]] == ["skipped"] * 3
    assert len(upstream_env.requests) == requests
    # And with --force they are fetched again
    assert main_in(tmp_path, "backfill", "--from", "2020-07-09", "--to", "2020-07-09", "--force") == 0
    assert len(upstream_env.requests_to("/api/query")) > len(
        [r for r in upstream_env.requests[:requests] if r.path == "/api/query"]
    )


def test_backfill_goes_on_past_a_failed_day_and_exits_1(
    tmp_path: Path, upstream_env: ReplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an arXiv that keeps answering 500
    upstream_env.add("/api/query", Reply(500, b"Internal Server Error"))
    upstream_env.add("/2/tweets/search/recent", Reply.json({"meta": {"result_count": 0}}))
    # When two days are backfilled
    status = main_in(tmp_path, "backfill", "--from", "2020-07-09", "--to", "2020-07-10")
    # Then both were tried, both are reported failed, and the exit status is 1
    out = capsys.readouterr().out
    assert status == 1
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["2020-07-09", "2020-07-10"]
    assert out.count("failed: arxiv: HTTP 500") == 2


def test_status_shows_what_exists_and_which_sources_failed(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the seed day published with Hugging Face failing, and a later day only sealed
    monkeypatch.setenv("HOTPAPERS_SOURCES", "x,huggingface")
    serve_seed_day(upstream_env, seed_day)
    upstream_env.add("/api/daily_papers", Reply(503, b"busy"))
    assert run(tmp_path) == 0
    manifest = tmp_path / "data" / "raw" / DATE / "manifest.json"
    later = tmp_path / "data" / "raw" / "2020-07-10" / "manifest.json"
    later.parent.mkdir()
    sealed = json.loads(manifest.read_text())
    sealed["sources"]["huggingface"]["status"] = "out-of-reach"
    later.write_text(json.dumps(sealed))
    capsys.readouterr()
    # When the status is asked for the week
    assert main_in(tmp_path, "status", "--from", "2020-07-06", "--to", "2020-07-10") == 0
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()}
    # Then each digest date has a row: what exists, papers, listed, and the sources' fate
    assert rows["day"] == ["day", "snapshot", "scored", "digest", "papers", "listed", "sources"]
    assert rows[DATE] == [DATE, "yes", "yes", "yes", "7", "7", "1", "ok,", "huggingface", "failed"]
    assert rows["2020-07-10"] == ["2020-07-10", "yes", "-", "-", "-", "-", "1", "ok,", "huggingface", "out-of-reach"]
    assert rows["2020-07-06"][1:] == ["-"] * 6
    # And with --to alone, the days the stores know up to it
    assert main_in(tmp_path, "status", "--to", "2020-07-09") == 0
    days = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert days == [DATE]


def test_a_source_far_below_its_recent_days_is_a_warning_line_and_a_reader_caveat(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given three sealed days before the seed day with X at 5,000 posts each
    for day in ("2020-07-06", "2020-07-07", "2020-07-08"):
        manifest = {
            "date": day,
            "window": window_for(date.fromisoformat(day), frozenset()).to_dict(),
            "arxiv": {"files": [{"name": "page-0000.xml", "entries": 1}]},
            "sources": {"x": {"status": "ok", "posts": 5000}},
        }
        folder = tmp_path / "data" / "raw" / day
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text(json.dumps(manifest))
    # And the seed day, whose X answers a few hundred posts at most
    serve_seed_day(upstream_env, seed_day)
    monkeypatch.setenv("HOTPAPERS_SOURCES", "x")
    # (the sealed days here are manifests alone: no look-back for late papers reads them)
    monkeypatch.setenv("HOTPAPERS_ARXIV_LOOKBACK_DAYS", "0")
    # When run
    assert run(tmp_path) == 0
    # Then the terminal names X with both figures
    err = capsys.readouterr().err
    assert "warning: source x looks incomplete, far below its recent days: x: " in err
    assert " posts where its median over the last 3 sealed days is 5000" in err
    # And the page tells readers, in their words, that X's counts look incomplete
    page = (tmp_path / "site" / "digests" / f"{DATE}.html").read_text()
    assert "far fewer posts than on recent days; its counts look incomplete" in page


def test_a_rerun_with_far_fewer_papers_keeps_the_digest_and_force_replaces_it(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the seed day published, then arXiv answering a consistent set of one paper of them
    manifest, digest = publish_seed_day(tmp_path, upstream_env, seed_day)
    sealed, published = manifest.read_bytes(), digest.read_bytes()
    announced = len(seed_day.atom_entries())
    answer_instead(upstream_env, "/api/query", Reply(200, atom_feed(seed_day.atom_entries()[:1])))
    monkeypatch.setenv("HOTPAPERS_NOW", "2020-07-10T09:00:00Z")
    capsys.readouterr()
    # When the day is run again
    status = run(tmp_path)
    # Then the digest stays, with a warning naming what shrank, and the exit status is 0
    err = capsys.readouterr().err
    assert status == 0
    assert f"warning: {DATE} was not republished: arxiv: 1 papers where the sealed snapshot has {announced}" in err
    assert "the previous digest stays" in err
    assert "--force publishes it instead" in err
    assert (manifest.read_bytes(), digest.read_bytes()) == (sealed, published)
    # When it is run again with --force
    status = main_in(tmp_path, "run", "--date", DATE, "--force")
    # Then the thinner fetch replaces the digest, and the run says so
    err = capsys.readouterr().err
    assert status == 0
    assert f"warning: {DATE} was replaced, as --force asked, by a fetch thinner than the snapshot it replaces" in err
    assert digest.read_bytes() != published


def answer_instead(server: ReplayServer, path: str, reply: Reply) -> None:
    server.routes[:] = [route for route in server.routes if route.path != path]
    server.add(path, reply)


def unpublish(tmp_path: Path, *, scored: bool) -> None:
    """The state a kill leaves: after the fetch's seal (``scored``: after the score step too)."""
    shutil.rmtree(tmp_path / "site")
    if not scored:
        shutil.rmtree(tmp_path / "data" / "scored")


@pytest.mark.parametrize("scored", [False, True], ids=["sealed only", "sealed and scored"])
def test_backfill_finishes_what_a_sealed_day_lacks_without_fetching(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    scored: bool,
) -> None:
    # Given the seed day sealed (and scored), then killed before it was published
    _, digest = publish_seed_day(tmp_path, upstream_env, seed_day)
    published = digest.read_bytes()
    unpublish(tmp_path, scored=scored)
    requests = len(upstream_env.requests)
    capsys.readouterr()
    assert main_in(tmp_path, "status") == 0
    assert capsys.readouterr().out.splitlines()[1].split()[1:4] == ["yes", "yes" if scored else "-", "-"]
    # When the day is backfilled
    status = main_in(tmp_path, "backfill", "--from", DATE, "--to", DATE)
    out, err = capsys.readouterr()
    # Then what it lacked is done from what it has, with no request, and the day is published
    assert status == 0
    assert len(upstream_env.requests) == requests
    assert ("-> ScoreFunction" in err or "ScoreFunction (" in err) is not scored
    assert f"{DATE}: RenderFunction" in err
    assert "sealed before, skipped" not in err
    assert out.splitlines()[1].split()[-2:] == ["published", "(resumed)"]
    assert digest.read_bytes() == published
    # And a second backfill has nothing left to do
    assert main_in(tmp_path, "backfill", "--from", DATE, "--to", DATE) == 0
    out, err = capsys.readouterr()
    assert f"[1/1] {DATE}: published before, skipped" in err
    assert out.splitlines()[1].split()[-1] == "skipped"


def test_a_rerun_kept_back_publishes_a_sealed_day_that_never_was(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the seed day sealed with X and Hugging Face, killed before its score step
    monkeypatch.setenv("HOTPAPERS_SOURCES", "x,huggingface")
    serve_seed_day(upstream_env, seed_day)
    upstream_env.add("/api/daily_papers", Reply.json([]))
    assert run(tmp_path) == 0
    published = (tmp_path / "site" / "digests" / f"{DATE}.md").read_bytes()
    unpublish(tmp_path, scored=False)
    capsys.readouterr()
    # When a run of the day meets Hugging Face failing
    answer_instead(upstream_env, "/api/daily_papers", Reply(503, b"busy"))
    monkeypatch.setenv("HOTPAPERS_NOW", "2020-07-10T09:00:00Z")
    status = run(tmp_path)
    # Then the sealed snapshot it kept is published, and no message claims an earlier digest
    err = capsys.readouterr().err
    assert status == 0
    assert "that snapshot had not been published, and now is" in err
    assert "previous digest" not in err
    assert (tmp_path / "site" / "digests" / f"{DATE}.md").read_bytes() == published


def test_a_failed_run_of_a_day_never_published_claims_no_previous_digest(
    tmp_path: Path, upstream_env: ReplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given no digest of the day, and an arXiv answering 500
    upstream_env.add("/api/query", Reply(500, b"Internal Server Error"))
    # When the day is run
    status = run(tmp_path)
    # Then it fails saying nothing was published, and nothing of a previous digest
    err = capsys.readouterr().err
    assert status == 1
    assert "Nothing was published." in err
    assert "previous digest" not in err


def test_an_over_long_category_term_publishes_the_whole_day_without_a_page_for_it(
    tmp_path: Path, upstream_env: ReplayServer, seed_day: SeedDay, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given arXiv answering the seed day with a 260-letter category term on every paper
    long = "a" * 260
    entries = [
        entry.replace("<arxiv:primary_category", f'<category term="{long}"/>\n    <arxiv:primary_category')
        for entry in seed_day.atom_entries()
    ]
    serve_seed_day(upstream_env, seed_day)
    answer_instead(upstream_env, "/api/query", Reply(200, atom_feed(entries)))
    # When the day is run
    status = run(tmp_path)
    # Then the day is published whole, with no page, feed or link for that term, and no temporary file
    assert status == 0, capsys.readouterr().err
    site = tmp_path / "site"
    assert (site / "feed.xml").is_file()
    assert (site / "digests" / f"{DATE}.json").is_file()
    assert [path for path in site.rglob("*") if long in path.name or path.name.startswith(".")] == []
    assert long in json.loads((site / "digests" / f"{DATE}.json").read_text())["papers"][0]["paper"]["categories"]
    assert f"{long}.html" not in (site / "digests" / f"{DATE}.html").read_text()


def site_bytes(tmp_path: Path) -> dict[str, bytes]:
    site = tmp_path / "site"
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_refresh_publishes_the_latest_counts_beside_the_first_snapshot_and_again_the_same_bytes(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the seed day published
    manifest, digest = publish_seed_day(tmp_path, upstream_env, seed_day)
    sealed = manifest.read_bytes()
    upstream_env.requests.clear()
    capsys.readouterr()
    # When it is refreshed two days later
    monkeypatch.setenv("HOTPAPERS_NOW", "2020-07-12T07:00:00Z")
    assert main_in(tmp_path, "refresh", "--date", DATE) == 0
    # Then arXiv is not asked, the first snapshot stays, and the digest's counts are the refresh's
    out, err = capsys.readouterr()
    assert not upstream_env.requests_to("/api/query")
    assert manifest.read_bytes() == sealed
    assert "-> ScoreFunction (raw/2020-07-09/refreshes/20200712T070000Z/manifest.json)" in err
    assert f"{DATE}: refreshed (x)" in out
    assert "(07/12/2020 07:00:00)" in digest.read_text()
    scored = json.loads((tmp_path / "site" / "digests" / f"{DATE}.json").read_text())
    assert scored["counts_as_of"] == "2020-07-12T07:00:00Z"
    assert [point["as_of"] for point in scored["papers"][0]["history"]] == [
        "2020-07-10T07:46:45Z",
        "2020-07-12T07:00:00Z",
    ]
    # And the same refresh again publishes the same bytes
    published = site_bytes(tmp_path)
    assert main_in(tmp_path, "refresh", "--date", DATE) == 0
    assert site_bytes(tmp_path) == published


def test_a_refresh_whose_sources_fail_keeps_the_published_digest(
    tmp_path: Path,
    upstream_env: ReplayServer,
    seed_day: SeedDay,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the seed day published, then X refusing the token
    publish_seed_day(tmp_path, upstream_env, seed_day)
    published = site_bytes(tmp_path)
    capsys.readouterr()
    answer_instead(upstream_env, "/2/tweets/search/recent", Reply.json({"status": 401}, status=401))
    # When the day is refreshed
    monkeypatch.setenv("HOTPAPERS_NOW", "2020-07-12T07:00:00Z")
    assert main_in(tmp_path, "refresh", "--date", DATE) == 0
    # Then it says X keeps its counts, and the site is as it was
    out, err = capsys.readouterr()
    assert "warning: 2020-07-09: source x keeps its earlier counts: x: HTTP 401" in err
    assert "nothing new from any source" in out
    assert site_bytes(tmp_path) == published


def test_refresh_refuses_a_day_with_no_sealed_snapshot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main_in(tmp_path, "refresh", "--date", DATE) == 2
    assert f"{DATE} has no sealed snapshot under" in capsys.readouterr().err

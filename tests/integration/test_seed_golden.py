"""The pipeline reproduces the seed digest from the upstream answers behind it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import SEED_LATER_SLICE, serve_seed_day
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.offline.runner import run_chain
from hotpapers.snapshot import sealed_documents
from hotpapers.store import LocalStore
from support.seed_day import DATE, SeedDay

pytestmark = pytest.mark.integration

_COUNTS_TIME = re.compile(r"^(- retweets: .*) \(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d\)$", re.MULTILINE)
_SOCIAL_IMAGE = re.compile(r'^socialImage: ".*"$', re.MULTILINE)


def comparable(markdown: str) -> str:
    """The seed fetched each paper's counts a second or so apart; we fetch all of them at one
    instant (HOTPAPERS_NOW), so that time is normalised before comparing. And the seed's
    ``socialImage`` names an image of the blog it was written for; ours names the site's own."""
    return _SOCIAL_IMAGE.sub('socialImage: ""', _COUNTS_TIME.sub(r"\1 (07/10/2020 07:46:45)", markdown))


@pytest.mark.parametrize("oembed", [True, False], ids=["with-oembed", "oembed-unreachable"])
def test_seed_day_renders_as_the_seed(
    tmp_path: Path, upstream_env: ReplayServer, seed_day: SeedDay, oembed: bool
) -> None:
    # Given loopback arXiv and X answering with the seed day's papers and posts
    serve_seed_day(upstream_env, seed_day, oembed=oembed)
    # When the chain runs for the seed's date
    run = run_chain({"date": DATE}, tmp_path / "data", tmp_path / "site")
    # Then every step ran once, in order
    assert [invocation.function for invocation in run.invocations] == [
        "FetchFunction",
        "ScoreFunction",
        "RenderFunction",
        "IndexFunction",
    ]
    # And the raw documents written before the manifest started nothing, nor the search documents
    # the index step keeps
    raw = [key for key in run.unrouted if key.startswith(f"raw/{DATE}/")]
    assert raw
    assert not [key for key in raw if key.endswith("/manifest.json")]
    assert sorted(set(run.unrouted) - set(raw)) == ["search/published.json", "search/records/recent.json.gz"]
    # And the Markdown matches the seed paper by paper, byte for byte
    produced = (tmp_path / "site" / "digests" / f"{DATE}.md").read_text(encoding="utf-8")
    assert comparable(produced) == comparable(seed_day.text)


def test_seed_day_asks_upstream_the_right_questions(
    tmp_path: Path, upstream_env: ReplayServer, seed_day: SeedDay
) -> None:
    # Given the seed day's upstreams
    serve_seed_day(upstream_env, seed_day)
    # When the chain runs
    run_chain({"date": DATE}, tmp_path / "data", tmp_path / "site")
    # Then arXiv was asked once, for the seed's submission window and categories
    (arxiv_request,) = upstream_env.requests_to("/api/query")
    assert arxiv_request.query["search_query"] == (
        "submittedDate:[202007071800 TO 202007081800] AND (cat:cs.* OR cat:stat.ML)"
    )
    assert arxiv_request.query["max_results"] == "2000"
    # And X was searched page by page with the bearer token and the fields the digest needs
    # (the day's own slice of the search; the later one, after the next announcement, comes last)
    *searches, later = upstream_env.requests_to("/2/tweets/search/recent")
    assert later.query["start_time"] == SEED_LATER_SLICE["start_time"]
    assert len(searches) == len(seed_day.x_pages())
    assert all(request.headers["Authorization"] == "Bearer test-token" for request in searches)
    assert [request.query.get("next_token") for request in searches][1:] == [
        f"seed-page-{n}" for n in range(1, len(searches))
    ]
    fields = set(searches[0].query["tweet.fields"].split(","))
    assert {"public_metrics", "entities", "created_at", "referenced_tweets"} <= fields
    assert searches[0].query["expansions"] == "author_id"
    # from the announcement (20:00 EDT on 2020-07-08): no earlier post can link the day's papers
    assert searches[0].query["start_time"] == "2020-07-09T00:00:00Z"
    # And oEmbed was asked only for posts that could be shown (engagement of at least 25)
    asked = {request.query["url"] for request in upstream_env.requests_to("/oembed")}
    assert asked == set(seed_day.oembeds())


def test_an_oembed_outage_costs_one_post_not_every_post(
    tmp_path: Path, upstream_env: ReplayServer, seed_day: SeedDay
) -> None:
    # Given an oEmbed endpoint that is down (503 after every retry)
    serve_seed_day(upstream_env, seed_day, oembed=False)
    upstream_env.add("/oembed", Reply(503, b"Service Unavailable"))
    # When the chain runs
    run_chain({"date": DATE}, tmp_path / "data", tmp_path / "site")
    # Then oEmbed was given up after the first post's retries
    asked = [request.query["url"] for request in upstream_env.requests_to("/oembed")]
    assert len(set(asked)) == 1
    assert len(asked) > 1
    # And the digest is still the seed's, from the markup rebuilt out of the stored posts
    produced = (tmp_path / "site" / "digests" / f"{DATE}.md").read_text(encoding="utf-8")
    assert comparable(produced) == comparable(seed_day.text)


def test_an_oembed_answer_without_html_costs_only_its_post(
    tmp_path: Path, upstream_env: ReplayServer, seed_day: SeedDay
) -> None:
    # Given oEmbed answering the seed's first post with JSON that is no oEmbed answer
    first = next(iter(seed_day.oembeds()))
    upstream_env.add("/oembed", Reply.json([]), query={"url": first})
    serve_seed_day(upstream_env, seed_day)
    # When the chain runs
    run_chain({"date": DATE}, tmp_path / "data", tmp_path / "site")
    # Then every other post still got its oEmbed answer, and the digest is still the seed's
    asked = {request.query["url"] for request in upstream_env.requests_to("/oembed")}
    assert asked == set(seed_day.oembeds())
    produced = (tmp_path / "site" / "digests" / f"{DATE}.md").read_text(encoding="utf-8")
    assert comparable(produced) == comparable(seed_day.text)
    stored = [
        name
        for name in sealed_documents(LocalStore(tmp_path / "data"), date.fromisoformat(DATE))["x"]
        if name.startswith("oembed-")
    ]
    assert len(stored) == len(seed_day.oembeds()) - 1

"""Shared fixtures: recorded responses, the seed day, and loopback fake upstreams."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hotpapers.observability import logger
from hotpapers.offline.replay import ReplayServer, Reply
from hypothesis import settings
from support.builders import atom_feed
from support.seed_day import NOW, SeedDay

pytest_plugins = ["support.fuzz_report"]

# Under mutation testing (tools/mutation.py sets HOTPAPERS_HYPOTHESIS_PROFILE), every mutant of a
# function reruns each property test that reaches it: fewer examples, the same ones for every
# mutant (derandomized, no example database), and no per-example deadline, which a mutant's
# slower trampolines could fail and so count as killed. Fewer examples can only let more mutants
# survive, never fewer: the score stays a lower bound. Tests that set their own ``max_examples``
# (the fuzz tests) keep it.
settings.register_profile("mutation", max_examples=20, derandomize=True, database=None, deadline=None)
if os.environ.get("HOTPAPERS_HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HOTPAPERS_HYPOTHESIS_PROFILE"])

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
# The tiers, each a folder of tests/ and, but for unit, a marker: `make test-<tier>` selects by
# folder, `pytest -m <marker>` by marker, and the two must select the same tests.
TIER_MARKERS = {"unit": set(), "integration": {"integration"}, "e2e": {"e2e"}}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse a test whose tier marker is not its folder's (a template test in integration/
    without the ``integration`` mark would run with ``-m "not integration"``, the fast tier)."""
    misplaced = []
    for item in items:
        tier = item.path.relative_to(Path(__file__).parent).parts[0]
        marked = {marker for marker in ("integration", "e2e") if item.get_closest_marker(marker)}
        if tier in TIER_MARKERS and marked != TIER_MARKERS[tier]:
            misplaced.append(f"{item.nodeid} (in {tier}/, marked {sorted(marked) or 'as no tier'})")
    if misplaced:
        raise pytest.UsageError("tests marked for another tier than their folder's:\n" + "\n".join(misplaced))


@pytest.fixture(autouse=True)
def _logger_as_it_was() -> Iterator[None]:
    """The package logger's level, formatter and stream restored after each test: a CLI run sets
    them for the terminal, and later tests in the same process read the logs."""
    handler = logger.registered_handler
    level, formatter, stream = logger.log_level, handler.formatter, handler.stream  # type: ignore[attr-defined]
    yield
    logger.setLevel(level)
    handler.setFormatter(formatter)
    handler.stream = stream  # type: ignore[attr-defined]


def real_fixture(name: str) -> bytes:
    """A real recorded upstream response (see tests/fixtures/real/SOURCES.md)."""
    return (FIXTURES / "real" / name).read_bytes()


def arxivpy_golden(name: str) -> tuple[int, bytes]:
    """Status and body of an arxiv.py golden file (bodies were stored decoded as latin-1)."""
    golden = json.loads(real_fixture(name))
    return golden["status_code"], golden["body"].encode("latin-1")


@pytest.fixture(scope="session")
def seed_day() -> SeedDay:
    return SeedDay.load()


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    """A loopback fake upstream, stopped after the test."""
    with ReplayServer() as server:
        yield server


SEED_LATER_SLICE = {"start_time": "2020-07-10T00:00:00Z"}
"""The later slice of the seed day's post searches: from the next announcement (20:00 EDT on 2020-07-09)."""


def serve_x_pages(server: ReplayServer, pages: list[dict[str, Any]]) -> None:
    """Answer X recent search with ``pages``, chained by their ``next_token`` (``seed-page-N``), for
    the seed day's own slice; the later slice (after the next announcement) finds nothing."""
    server.add("/2/tweets/search/recent", Reply.json({"meta": {"result_count": 0}}), query=SEED_LATER_SLICE)
    for number, page in reversed(list(enumerate(pages))):
        query = {"next_token": f"seed-page-{number}"} if number else {}
        server.add("/2/tweets/search/recent", Reply.json(page), query=query)


def serve_seed_day(
    server: ReplayServer,
    day: SeedDay,
    *,
    oembed: bool = True,
    extra_entries: tuple[str, ...] = (),
    extra_tweets: tuple[dict[str, Any], ...] = (),
) -> None:
    """Make ``server`` answer like arXiv and X did for the seed day, plus extra papers and posts
    (posted by the seed's first author)."""
    server.add("/api/query", Reply(200, atom_feed([*day.atom_entries(), *extra_entries])))
    pages = day.x_pages()
    author = pages[0]["data"][0]["author_id"]
    pages[0]["data"].extend({**tweet, "author_id": author} for tweet in extra_tweets)
    serve_x_pages(server, pages)
    if oembed:
        for url, markup in day.oembeds().items():
            server.add("/oembed", Reply.json({"url": url, "html": markup, "type": "rich"}), query={"url": url})


@pytest.fixture
def upstream_env(monkeypatch: pytest.MonkeyPatch, replay: ReplayServer) -> ReplayServer:
    """Point every upstream at the loopback fake, with the seed day's clock and no politeness wait."""
    for name, value in {
        "HOTPAPERS_NOW": NOW,
        "HOTPAPERS_ARXIV_API_URL": f"{replay.url}/api/query",
        "HOTPAPERS_X_API_URL": replay.url,
        "HOTPAPERS_X_OEMBED_URL": f"{replay.url}/oembed",
        "HOTPAPERS_HF_API_URL": f"{replay.url}/api",
        "HOTPAPERS_X_BEARER_TOKEN": "test-token",
        "HOTPAPERS_SOURCES": "x",
        "HOTPAPERS_ARXIV_DELAY": "0",
        "HOTPAPERS_HTTP_BACKOFF": "0.05",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HOTPAPERS_SSM_PREFIX", raising=False)
    return replay

"""A refreshed digest as readers see it: the latest counts, the time of them, and each paper's
growth since the digest was first published; a day scored before refreshes renders as before."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from hotpapers import website
from hotpapers.pipeline.score import with_history
from hotpapers.schedule import window_for
from hotpapers.scoring import Rules, score_snapshot
from hotpapers.snapshot import Snapshot
from support.builders import atom_entry, atom_feed, tweet, x_page

FIXTURE = Path(__file__).parents[1] / "fixtures" / "scored" / "2026-06-02.json"


def scoring(fetched_at: str, likes: int) -> dict[str, Any]:
    """The 9 July 2020 digest as a snapshot fetched at ``fetched_at`` scores it: one paper, one post."""
    post = tweet("1", "a", "https://arxiv.org/abs/2007.00001", likes=likes)
    return score_snapshot(
        Snapshot(
            manifest={
                "date": "2020-07-09",
                "fetched_at": fetched_at,
                "window": window_for(date(2020, 7, 9)).to_dict(),
                "sources": {"x": {"status": "ok", "error": None, "files": []}},
            },
            arxiv=[atom_feed([atom_entry("2007.00001")])],
            sources={"x": {"search-0000.json": json.dumps(x_page([post])).encode()}},
        ),
        Rules(),
    )


def refreshed() -> dict[str, Any]:
    """Published at 07:46 on 10 July with 60 likes, counted again on 12 July with 180."""
    return with_history([scoring("2020-07-10T07:46:45Z", 60), scoring("2020-07-12T07:00:00Z", 180)])


def test_a_refreshed_digest_shows_its_latest_counts_their_time_and_each_papers_growth() -> None:
    # Given a day refreshed two days after it was published
    day = refreshed()
    # When its page and Markdown are rendered
    page, markdown = website.page(day), website.markdown(day)
    # Then the page gives the latest score, when it was counted, and the growth since publication
    assert "counts as of July 12, 2020, 07:00 UTC" in page
    assert '<strong>180</strong><small>score</small><small class="growth">+120 since July 10, 2020</small>' in page
    # And the Markdown keeps the seed's lines, with the latest counts and their time
    assert "\n- retweets: 0, favorites: 180 (07/12/2020 07:00:00)\n\n" in markdown
    assert markdown.startswith("---\ntitle: Hot Papers 2020-07-09\ndate: 2020-07-10T07:46:45.Z\n")


def test_a_day_never_refreshed_shows_no_growth_and_is_scored_as_before() -> None:
    # Given a day scored once
    day = with_history([scoring("2020-07-10T07:46:45Z", 60)])
    # Then its scored document has no history, and its page no growth
    assert day == scoring("2020-07-10T07:46:45Z", 60)
    page = website.page(day)
    assert "counts as of July 10, 2020, 07:46 UTC" in page
    assert "growth" not in page


def test_a_refresh_older_than_the_days_first_snapshot_counts_no_more() -> None:
    # Given a day fetched again after a refresh of its earlier fetch
    day = with_history([scoring("2020-07-12T07:00:00Z", 60), scoring("2020-07-11T07:00:00Z", 180)])
    # Then the newer first snapshot alone is the day
    assert day == scoring("2020-07-12T07:00:00Z", 60)


def test_a_day_scored_before_histories_were_kept_still_renders() -> None:
    # Given a scored day written before refreshes
    day = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert "counts_as_of" not in day
    # When rendered / Then its counts are as of its fetch, and no paper shows growth
    page = website.page(day)
    assert "counts as of June 3, 2026" in page
    assert 'class="growth"' not in page
    assert website.markdown(day)

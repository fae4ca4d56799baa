"""Counting honestly across sources: in the score step, from what the fetchers stored as upstream said it."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from hotpapers.scoring import Rules, before, score_snapshot
from hotpapers.sources import KNOWN_SOURCES
from hotpapers.website import counts_line
from support.builders import tweet, x_page
from support.sources_day import BOT, EXAMPLE_LINE, snapshot, stored_documents

IGNORE_BOT = Rules(ignored_accounts=frozenset({("bluesky", BOT)}))


def by_id(scored: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["paper"]["id"]: entry for entry in scored["papers"]}


def with_x(*tweets: dict[str, Any]) -> dict[str, dict[str, bytes]]:
    documents = stored_documents()
    documents["x"] = {"search-0000.json": json.dumps(x_page(list(tweets))).encode()}
    return documents


def test_each_source_follows_x_in_the_registry_order_each_figure_under_one_label() -> None:
    # Given the day fetched from every source
    # When it is scored (the mirror bot ignored)
    papers = by_id(score_snapshot(snapshot(), IGNORE_BOT))
    # Then paper A's counts line has every figure that scores, Bluesky's quotes and replies too
    assert counts_line(papers["2606.01001"]) == EXAMPLE_LINE
    # And a paper without X posts starts with X's zeros; a source with nothing for it adds nothing
    assert counts_line(papers["2606.01003"]) == "retweets: 0, favorites: 0, hf upvotes: 60, github stars: 77"


def test_the_score_sums_post_engagement_and_github_stars_add_nothing() -> None:
    # Given paper A: X 92, HN 201, Bluesky 38 + 19, HF 33, and 210 stars gained on GitHub
    with_github = by_id(score_snapshot(snapshot(), IGNORE_BOT))["2606.01001"]
    without_github = by_id(score_snapshot(snapshot("x,hackernews,bluesky,reddit,huggingface"), IGNORE_BOT))[
        "2606.01001"
    ]
    # Then the stars are shown but the score is the posts' engagement alone
    assert with_github["score"] == without_github["score"] == 92 + 201 + 38 + 19 + 33
    assert "github" not in without_github["counts"]


def test_a_paper_with_stars_and_no_posts_above_the_threshold_is_not_listed() -> None:
    # Given paper A discussed only by a post of 10 likes on X, with 210 stars gained on GitHub
    documents = with_x(tweet("1", "1", "https://arxiv.org/abs/2606.01001", likes=10))
    scored = score_snapshot(snapshot("x,github", documents=documents), Rules())
    # Then the stars do not lift it to the list
    assert scored["papers"] == []


def test_crossposts_and_retweets_are_not_posts() -> None:
    # Given a Reddit thread, its self-post discussion and a crosspost copying the thread's counts
    papers = by_id(score_snapshot(snapshot("reddit"), Rules()))
    # Then the crosspost counts nowhere: 50 + 10 score, 12 + 3 comments
    assert papers["2606.01002"]["counts"] == {"reddit": {"score": 60, "comments": 15}}
    assert papers["2606.01002"]["score"] == 75
    assert "t3_1l2b0a3" not in [post["id"] for post in papers["2606.01002"]["posts"]]


def test_ignored_accounts_are_not_counted_not_shown_and_matched_without_case() -> None:
    # Given the mirror bot's post about paper A (70 likes, 10 reposts), as Bluesky stored it
    counted = by_id(score_snapshot(snapshot("bluesky"), Rules()))["2606.01001"]
    ignored = by_id(
        score_snapshot(snapshot("bluesky"), Rules(ignored_accounts=frozenset({("bluesky", BOT)}), min_score=1))
    )["2606.01001"]
    # Then without the ignore list it counts, and with it (handles compared in lower case) it does not
    assert counted["counts"]["bluesky"] == {"likes": 115, "reposts": 19, "quotes": 1, "replies": 2}
    assert ignored["counts"]["bluesky"] == {"likes": 45, "reposts": 9, "quotes": 1, "replies": 2}
    assert BOT not in [post["author_handle"] for post in ignored["posts"]]
    # And the same handle on another source is another account
    other_source = Rules(ignored_accounts=frozenset({("x", BOT)}))
    assert by_id(score_snapshot(snapshot("bluesky"), other_source))["2606.01001"]["counts"] == counted["counts"]


def test_the_account_cap_limits_one_accounts_share_of_the_score_not_the_counts() -> None:
    # Given one account posting paper A three times (40 likes each) and another once (30 likes)
    documents = with_x(
        *(tweet(str(n), "7", "https://arxiv.org/abs/2606.01001", likes=40) for n in (1, 2, 3)),
        tweet("4", "8", "https://arxiv.org/abs/2606.01001", likes=30),
    )
    day = snapshot("x", documents=documents)
    # When scored without a cap, and with a cap of 50 per account
    uncapped = by_id(score_snapshot(day, Rules()))["2606.01001"]
    capped = by_id(score_snapshot(day, Rules(account_cap=50)))["2606.01001"]
    # Then the first account adds at most 50, the second its 30; the counts line keeps the raw sums
    assert uncapped["score"] == 150
    assert capped["score"] == 80
    assert capped["counts"] == uncapped["counts"] == {"x": {"retweets": 0, "likes": 150}}
    assert len(capped["posts"]) == 4


def test_the_cap_leaves_hugging_face_pages_alone() -> None:
    # Given paper C's Hugging Face page with 60 upvotes, and a cap of 25
    scored = score_snapshot(snapshot("huggingface"), Rules(account_cap=25))
    # Then its upvotes, which are many readers' and not the submitter's, all count
    assert by_id(scored)["2606.01003"]["score"] == 60


def test_the_scored_day_records_the_counting_rules() -> None:
    rules = score_snapshot(snapshot("x"), Rules(account_cap=40, ignored_accounts=frozenset({("bluesky", BOT)})))[
        "rules"
    ]
    assert rules["account_cap"] == 40
    assert rules["ignored_accounts"] == [f"bluesky:{BOT}"]


def test_the_scored_day_carries_each_sources_flags_but_not_a_missing_one() -> None:
    # Given a snapshot whose X hit its page cap and whose HN dropped two malformed stories
    # (the manifest saying why, for the operator), a collapsed Reddit, and a degraded Bluesky
    day = snapshot()
    day.manifest["sources"]["x"]["capped"] = "day: x: https://api.x.com/2/tweets/search/recent: rate limited"
    day.manifest["sources"]["hackernews"]["skipped"] = 2
    day.manifest["sources"]["reddit"]["suspect"] = "reddit: 2 posts where its median over the last 9 sealed days is 40"
    day.manifest["sources"]["bluesky"]["degraded"] = True
    # When scored
    sources = score_snapshot(day, Rules())["sources"]
    # Then the published day says that a source is capped or suspect, never the operator's why
    assert sources["x"]["capped"] is True
    assert sources["reddit"]["suspect"] is True
    assert sources["bluesky"]["degraded"] is True
    # And the count of dropped items as it is, and a source without flags has none
    assert sources["hackernews"]["skipped"] == 2
    assert not {"capped", "skipped", "suspect", "degraded"} & set(sources["huggingface"])


def test_posts_after_the_end_a_source_recorded_for_its_search_do_not_count() -> None:
    # Given Reddit's threads at 02:06 and 10:06 on the day, and a backfill whose posts end at 10:00
    day = snapshot("reddit")
    day.manifest["sources"]["reddit"]["counts_until"] = "2026-06-02T10:00:00Z"
    # When scored / Then only the thread before that end counts
    papers = by_id(score_snapshot(day, Rules()))
    assert papers["2606.01002"]["counts"] == {"reddit": {"score": 50, "comments": 12}}


def test_the_end_of_a_sources_posts_is_exclusive_and_optional() -> None:
    # Given a post at 10:06:40
    (post,) = [p for p in KNOWN_SOURCES["reddit"].parse(stored_documents()["reddit"]) if p.id == "t3_1l2b0a2"]
    # Then it counts before an end after it, or with no end, and not at or after an end at its time
    assert before(post, None)
    assert before(post, "2026-06-02T10:06:41Z")
    assert not before(post, "2026-06-02T10:06:40Z")
    assert not before(post, "2026-06-02T10:00:00Z")
    # And a post whose time cannot be read is kept, as its search found it
    assert before(replace(post, created_at="soon"), "2026-06-02T10:00:00Z")

"""Counting rules that the mutation run found untested: the shown-post limit, case-blind account
keys, one count per post, metrics a post lacks, and the order papers are found in."""

from __future__ import annotations

import json
from typing import Any

from hotpapers import arxiv
from hotpapers.models import Post
from hotpapers.scoring import Rules, _scored_paper, score, score_snapshot
from hotpapers.snapshot import Snapshot
from hotpapers.sources.x import X
from support.builders import SEED_WINDOW, atom_entry, atom_feed, tweet, x_page

PAPER = "2007.00001"


def day(pages: list[dict[str, Any]]) -> Snapshot:
    return Snapshot(
        manifest={
            "date": "2020-07-09",
            "fetched_at": "2020-07-10T07:46:45Z",
            "window": SEED_WINDOW,
            "sources": {"x": {"status": "ok", "error": None, "files": []}},
        },
        arxiv=[atom_feed([atom_entry(PAPER, "Paper")])],
        sources={"x": {f"search-{n:04d}.json": json.dumps(page).encode() for n, page in enumerate(pages)}},
    )


def with_users(page: dict[str, Any], **handles: str) -> dict[str, Any]:
    """``page`` with its authors' handles as given (author id: handle)."""
    page["includes"]["users"] = [{"id": key, "name": value, "username": value} for key, value in handles.items()]
    return page


def test_at_most_max_posts_are_shown_of_more_eligible() -> None:
    # Given 12 posts each above the engagement floor
    posts = [tweet(str(n), str(n), f"https://arxiv.org/abs/{PAPER}", likes=30 + n) for n in range(1, 13)]
    # When scored with the default of 10
    (entry,) = score_snapshot(day([x_page(posts)]), Rules())["papers"]
    # Then exactly the 10 most engaged are shown
    assert [post["id"] for post in entry["posts"]] == [str(n) for n in range(12, 2, -1)]


def test_an_ignored_account_matches_whatever_the_case_of_its_handle() -> None:
    # Given a post by "ArxivBot", ignored as x:arxivbot
    page = with_users(x_page([tweet("1", "a", f"https://arxiv.org/abs/{PAPER}", likes=90)]), a="ArxivBot")
    # When scored
    scored = score_snapshot(day([page]), Rules(ignored_accounts=frozenset({("x", "arxivbot")})))
    # Then the post counts for nothing
    assert scored["papers"] == []


def test_the_account_cap_takes_one_account_whatever_the_case_of_its_handle() -> None:
    # Given two posts by the same account, its handle written in two cases, 40 likes each
    posts = [tweet("1", "a", f"https://arxiv.org/abs/{PAPER}", likes=40), tweet("2", "b", f"arxiv.org/abs/{PAPER}")]
    posts[1]["public_metrics"]["like_count"] = 40
    page = with_users(x_page(posts), a="Alice", b="alice")
    # When scored with a cap of 50 per account
    (entry,) = score_snapshot(day([page]), Rules(account_cap=50, min_score=1))["papers"]
    # Then the account added 50, not 80
    assert entry["score"] == 50


def test_a_post_listed_on_two_pages_counts_once() -> None:
    # Given the same post on two search pages
    page = x_page([tweet("1", "a", f"https://arxiv.org/abs/{PAPER}", likes=60)])
    # When scored
    (entry,) = score_snapshot(day([page, page]), Rules())["papers"]
    # Then it counted once
    assert entry["score"] == 60
    assert entry["counts"] == {"x": {"retweets": 0, "likes": 60}}


def test_a_metric_a_post_lacks_counts_as_zero() -> None:
    # Given a post (built elsewhere than a parser) with likes but no retweets
    post = Post("x", "1", "u", "A", "a", f"https://arxiv.org/abs/{PAPER}", "", metrics={"likes": 60})
    # Then its engagement and score are its likes alone
    assert X.engagement(post) == 60
    assert score([post], Rules()) == 60


def test_the_counts_line_takes_a_missing_metric_as_zero() -> None:
    # Given a paper's only X post, with likes and no retweets
    (paper,) = arxiv.parse_feed(atom_feed([atom_entry(PAPER, "Paper")])).papers
    post = Post("x", "1", "u", "A", "a", f"https://arxiv.org/abs/{PAPER}", "", metrics={"likes": 60})
    # When its entry is made
    entry = _scored_paper(paper, [post], ["x"], Rules(), {})
    # Then the line shows 0 retweets
    assert entry["counts"] == {"x": {"retweets": 0, "likes": 60}}

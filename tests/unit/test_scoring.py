"""Scoring with the seed's defaults: what counts, what is listed, what is shown."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hotpapers import arxiv
from hotpapers.scoring import Rules, score_snapshot
from hotpapers.snapshot import Snapshot
from hotpapers.sources import x as x_source
from support.builders import SEED_WINDOW, atom_entry, atom_feed, tweet, x_page


def snapshot(tweets: list[dict[str, Any]], *paper_ids: str, failed: dict[str, str] | None = None) -> Snapshot:
    sources: dict[str, Any] = {"x": {"status": "ok", "error": None, "files": []}}
    for name, error in (failed or {}).items():
        sources[name] = {"status": "failed", "error": error, "files": []}
    return Snapshot(
        manifest={
            "date": "2020-07-09",
            "fetched_at": "2020-07-10T07:46:45Z",
            "window": SEED_WINDOW,
            "sources": sources,
        },
        arxiv=[atom_feed([atom_entry(paper_id, f"Paper {paper_id}") for paper_id in paper_ids])],
        sources={"x": {"search-0000.json": json.dumps(x_page(tweets)).encode()}},
    )


def abs_url(paper_id: str) -> str:
    return f"https://arxiv.org/abs/{paper_id}"


def test_retweets_never_count_even_with_the_originals_counts_copied_on() -> None:
    # Given an original post with 40 likes and two retweets carrying the same copied counts
    original = tweet("1", "a", abs_url("2007.00001"), retweets=10, likes=40)
    copies = [tweet(str(n), "b", abs_url("2007.00001"), retweets=10, likes=40, retweet_of="1") for n in (2, 3)]
    # When the day is scored
    scored = score_snapshot(snapshot([original, *copies], "2007.00001"), Rules())
    # Then the paper's score and counts are the original's alone
    (entry,) = scored["papers"]
    assert entry["score"] == 50
    assert entry["counts"] == {"x": {"retweets": 10, "likes": 40}}
    assert [post["id"] for post in entry["posts"]] == ["1"]
    assert scored["sources"]["x"]["posts"] == 1


def test_a_post_linking_a_paper_twice_counts_once() -> None:
    # Given one post whose abs, pdf and versioned pdf links all name the same paper
    post = tweet("1", "a", abs_url("2007.00001"), "https://arxiv.org/pdf/2007.00001v2.pdf", retweets=20, likes=40)
    # When scored
    (entry,) = score_snapshot(snapshot([post], "2007.00001"), Rules())["papers"]
    # Then it counted once
    assert entry["score"] == 60


def test_a_post_about_two_papers_counts_for_each() -> None:
    post = tweet("1", "a", abs_url("2007.00001"), abs_url("2007.00002"), retweets=20, likes=40)
    scored = score_snapshot(snapshot([post], "2007.00001", "2007.00002"), Rules())
    assert [(e["paper"]["id"], e["score"]) for e in scored["papers"]] == [("2007.00001", 60), ("2007.00002", 60)]


def test_threshold_order_and_ties() -> None:
    # Given papers scoring 49, 50, 80 and 80
    tweets = [
        tweet("1", "a", abs_url("2007.00001"), likes=49),
        tweet("2", "a", abs_url("2007.00002"), likes=50),
        tweet("3", "a", abs_url("2007.00004"), likes=80),
        tweet("4", "a", abs_url("2007.00003"), likes=80),
    ]
    # When scored with the default threshold of 50
    scored = score_snapshot(snapshot(tweets, "2007.00001", "2007.00002", "2007.00003", "2007.00004"), Rules())
    # Then 49 is left out, the rest go highest first, and the tie is broken by arXiv id
    assert [(e["rank"], e["paper"]["id"], e["score"]) for e in scored["papers"]] == [
        (1, "2007.00003", 80),
        (2, "2007.00004", 80),
        (3, "2007.00002", 50),
    ]


def test_posts_for_papers_outside_the_day_are_ignored() -> None:
    scored = score_snapshot(snapshot([tweet("1", "a", abs_url("1706.03762"), likes=900)], "2007.00001"), Rules())
    assert scored["papers"] == []
    assert scored["papers_fetched"] == 1


def test_shows_at_most_ten_posts_of_at_least_25_highest_first() -> None:
    # Given 14 posts with engagement 20..33 about one paper
    tweets = [tweet(str(100 + n), "a", abs_url("2007.00001"), likes=20 + n) for n in range(14)]
    # When scored
    (entry,) = score_snapshot(snapshot(tweets, "2007.00001"), Rules())["papers"]
    # Then all 14 count towards the score, but only the ten best of 25 or more are shown
    assert entry["score"] == sum(range(20, 34))
    assert [post["engagement"] for post in entry["posts"]] == list(range(33, 25 - 1, -1))[:10]


def test_failed_sources_are_carried_into_the_scored_day_without_their_operator_text() -> None:
    # Given a snapshot whose Hugging Face fetch failed / When scored
    scored = score_snapshot(snapshot([], "2007.00001", failed={"huggingface": "HTTP 503"}), Rules())
    # Then the day says it failed, but not upstream's answer: the scored day is published as it is
    assert scored["sources"]["huggingface"] == {"status": "failed", "posts": 0}
    assert scored["present_sources"] == ["x"]


def test_source_weights_scale_what_a_source_adds_and_default_to_the_seed() -> None:
    # Given a paper with 40 likes and 20 retweets on X
    day = snapshot([tweet("1", "a", abs_url("2007.00001"), retweets=20, likes=40)], "2007.00001")
    # When scored with the default weights, and with X weighted 0.5
    seed = score_snapshot(day, Rules(min_score=0))["papers"][0]
    halved = score_snapshot(day, Rules(min_score=0, weights={"x": 0.5}))["papers"][0]
    # Then the default is the seed's plain sum, and the weight scales X's part of the score
    assert (seed["score"], seed["points"]) == (60, {"x": 60})
    assert (halved["score"], halved["points"]) == (30, {"x": 30})
    # And the weights in force are recorded for the about page
    assert score_snapshot(day, Rules(weights={"x": 0.5}))["rules"]["weights"] == {"x": 0.5}


def test_a_day_whose_papers_were_sealed_parsed_scores_as_one_parsed_from_its_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a day, and the same day with its pages' papers sealed by the fetch
    post = tweet("1", "a", abs_url("2007.00001"), retweets=20, likes=40)
    pages = snapshot([post], "2007.00001", "2007.00002")
    papers = arxiv.papers_document(arxiv.parse_pages(pages.arxiv, pages.window))
    sealed = replace(pages, papers=papers)
    # When both are scored, the sealed one with the pages' parser out of reach
    from_pages = score_snapshot(pages, Rules())
    monkeypatch.setattr(arxiv, "parse_feed", lambda body: pytest.fail("an arXiv page was parsed again"))
    from_papers = score_snapshot(sealed, Rules())
    # Then they are the same scored day
    assert from_papers == from_pages


def test_papers_sealed_by_another_parser_format_are_parsed_again_from_the_pages() -> None:
    # Given a day whose sealed papers were written by another format of the parser
    pages = snapshot([tweet("1", "a", abs_url("2007.00001"), retweets=20, likes=40)], "2007.00001")
    stale = json.dumps({"format": arxiv.PAPERS_FORMAT + 1, "papers": []}).encode()
    # When it is scored
    scored = score_snapshot(replace(pages, papers=stale), Rules())
    # Then its papers come from its pages
    assert [entry["paper"]["id"] for entry in scored["papers"]] == ["2007.00001"]


def test_x_markup_is_built_only_for_the_posts_a_digest_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given 30 posts about one paper, none answered by oEmbed, and a digest showing 10 posts a paper
    posts = [tweet(f"19000000000001{n:04d}", "7", abs_url("2007.00001"), likes=100 + n) for n in range(30)]
    built: list[str] = []
    real_embed_html = x_source.embed_html
    monkeypatch.setattr(x_source, "embed_html", lambda post: built.append(post.id) or real_embed_html(post))
    # When the day is scored
    (entry,) = score_snapshot(snapshot(posts, "2007.00001"), Rules(max_posts=10))["papers"]
    # Then markup was built for the 10 shown posts alone, and each shown post carries it
    assert sorted(built) == sorted(post["id"] for post in entry["posts"])
    assert len(built) == 10
    assert all(post["html"].startswith('<blockquote class="twitter-tweet">') for post in entry["posts"])

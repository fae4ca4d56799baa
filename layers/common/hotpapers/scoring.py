"""The score step's logic: link posts to papers, count, score, rank and pick the posts to show.

Seed defaults: a post's engagement is its source's engagement metrics summed (X: retweets +
likes; Hugging Face: upvotes); a paper's score is the sum over its posts; papers scoring at
least ``min_score`` are listed highest first, ties broken by arXiv id; up to ``max_posts``
posts with engagement of at least ``min_post_engagement`` are shown per paper.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from hotpapers import arxiv
from hotpapers.linking import find_arxiv_ids
from hotpapers.models import Paper, Post
from hotpapers.snapshot import Snapshot
from hotpapers.sources import KNOWN_SOURCES

FORMAT = 1


@dataclass(frozen=True)
class Rules:
    """The thresholds of a digest."""

    min_score: int = 50
    min_post_engagement: int = 25
    max_posts: int = 10


def source_order(names: list[str] | tuple[str, ...]) -> list[str]:
    """Sources in the canonical order of the counts line (the registry's order)."""
    return [name for name in KNOWN_SOURCES if name in names]


def link(posts: list[Post], paper_ids: set[str]) -> dict[str, list[Post]]:
    """Each paper's posts; a post counts once per paper however many of its URLs point there."""
    by_paper: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if post.is_repost:
            continue
        for paper_id in find_arxiv_ids((*post.links, post.text)):
            if paper_id in paper_ids:
                by_paper[paper_id].append(post)
    return by_paper


def score_snapshot(snapshot: Snapshot, rules: Rules) -> dict[str, Any]:
    """The scored document for one snapshot: every listed paper with its counts and posts."""
    papers = {paper.id: paper for paper in arxiv.parse_pages(snapshot.arxiv)}
    manifest_sources = snapshot.manifest["sources"]
    present = source_order([name for name, info in manifest_sources.items() if info["status"] == "ok"])

    posts: list[Post] = []
    posts_per_source: dict[str, int] = {}
    for name in present:
        parsed = [post for post in KNOWN_SOURCES[name].parse(snapshot.sources[name]) if not post.is_repost]
        posts_per_source[name] = len(parsed)
        posts.extend(parsed)
    # One post, one count: a source may list the same post on two pages.
    posts = list({(post.source, post.id): post for post in posts}.values())

    listed = []
    for paper_id, paper_posts in link(posts, set(papers)).items():
        entry = _scored_paper(papers[paper_id], paper_posts, present, rules)
        if entry["score"] >= rules.min_score:
            listed.append(entry)
    listed.sort(key=lambda entry: (-entry["score"], entry["paper"]["id"]))
    for rank, entry in enumerate(listed, start=1):
        entry["rank"] = rank

    return {
        "format": FORMAT,
        "date": snapshot.digest_date,
        "fetched_at": snapshot.manifest["fetched_at"],
        "window": snapshot.manifest["window"],
        "rules": {
            "min_score": rules.min_score,
            "min_post_engagement": rules.min_post_engagement,
            "max_posts": rules.max_posts,
        },
        "sources": {
            name: {
                "status": info["status"],
                "error": info["error"],
                "posts": posts_per_source.get(name, 0),
            }
            for name, info in sorted(manifest_sources.items())
        },
        "present_sources": present,
        "papers_fetched": len(papers),
        "papers": listed,
    }


def _scored_paper(paper: Paper, posts: list[Post], present: list[str], rules: Rules) -> dict[str, Any]:
    engagement = {(post.source, post.id): KNOWN_SOURCES[post.source].engagement(post) for post in posts}
    counts: dict[str, dict[str, int]] = {}
    for name in present:
        source_posts = [post for post in posts if post.source == name]
        if source_posts:
            counts[name] = {
                metric: sum(post.metrics.get(metric, 0) for post in source_posts)
                for metric, _ in KNOWN_SOURCES[name].counts
            }
    shown = sorted(
        (post for post in posts if engagement[(post.source, post.id)] >= rules.min_post_engagement),
        key=lambda post: (-engagement[(post.source, post.id)], post.source, post.id),
    )[: rules.max_posts]
    return {
        "rank": 0,
        "score": sum(engagement.values()),
        "paper": {**paper.to_dict(), "abs_url": paper.abs_url, "pdf_url": paper.pdf_url},
        "counts": counts,
        "posts": [{**post.to_dict(), "engagement": engagement[(post.source, post.id)]} for post in shown],
    }

"""The score step's logic: link posts to papers, count, score, rank and pick the posts to show.

Seed defaults: a post's engagement is its source's engagement metrics summed (X: retweets +
likes; Hugging Face: upvotes; Hacker News: points + comments; Bluesky: likes + reposts +
quotes + replies; Reddit: score + comments); a paper's score is the sum over its posts; papers
scoring at least ``min_score`` are listed highest first, ties broken by arXiv id; up to
``max_posts`` posts with engagement of at least ``min_post_engagement`` are shown per paper.

Counting is honest here, not in the fetchers, which store what upstream said: reposts are not
posts; a post counts once per paper however many of its links point there; posts by ignored
accounts do not count at all; and, when a cap is set, one account's posts add at most the cap
to one paper's score. The counts line always shows the raw sums. A paper signal (GitHub stars)
is shown in the counts line and adds nothing to the score.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from hotpapers import arxiv
from hotpapers.catalogue import figures, source_order
from hotpapers.linking import link_posts
from hotpapers.models import Paper, Post
from hotpapers.rules import Rules
from hotpapers.schedule import parse_utc
from hotpapers.snapshot import Snapshot
from hotpapers.sources import KNOWN_SOURCES, PaperSignal

FORMAT = 1


def counted(post: Post, rules: Rules) -> bool:
    """Whether a post counts at all: reposts and posts by ignored accounts do not."""
    return not post.is_repost and (post.source, post.author_handle.lower()) not in rules.ignored_accounts


def before(post: Post, until: str | None) -> bool:
    """Whether a post is older than ``until``, the end of its day's posts that a source recorded
    because its search could not stop there (a backfill's Reddit search lists from now); a post
    whose time cannot be read is kept, as its search found it."""
    if until is None:
        return True
    try:
        return parse_utc(post.created_at) < parse_utc(until)
    except ValueError:
        return True


def points(posts: list[Post], rules: Rules) -> dict[str, float]:
    """What each source's posts add to a paper's score: engagement summed, each account's share
    capped if a cap is set, times the source's weight.

    The cap applies to sources whose engagement is the author's doing; a post without a known
    author is its own account.
    """
    cap = rules.account_cap
    by_account: dict[tuple[str, str], int] = defaultdict(int)
    for post in posts:
        source = KNOWN_SOURCES[post.source]
        account = post.author_handle.lower() if cap is not None and source.engagement_is_the_authors else ""
        by_account[(post.source, account or f"post {post.id}")] += source.engagement(post)
    by_source: dict[str, float] = defaultdict(float)
    for (name, _), total in by_account.items():
        by_source[name] += (
            min(total, cap) if cap is not None and KNOWN_SOURCES[name].engagement_is_the_authors else total
        )
    return {name: by_source[name] * rules.weight(name) for name in source_order(list(by_source))}


def score(posts: list[Post], rules: Rules) -> int:
    """A paper's score: the sum of what its sources add, rounded to a whole number."""
    return round(sum(points(posts, rules).values()))


def score_snapshot(snapshot: Snapshot, rules: Rules) -> dict[str, Any]:
    """The scored document for one snapshot: every listed paper with its counts and posts."""
    late = frozenset(snapshot.manifest.get("arxiv", {}).get("late", ()))
    papers = {paper.id: paper for paper in _papers(snapshot, late)}
    manifest_sources = snapshot.manifest["sources"]
    present = source_order([name for name, info in manifest_sources.items() if info["status"] == "ok"])

    paper_ids = set(papers)
    linked: dict[str, list[Post]] = {}
    posts_per_source: dict[str, int] = {}
    # Source by source, keeping only the posts that link a paper of the day: a big day's other
    # posts are counted and dropped rather than held to the end. One post, one count: each
    # source's reader keeps a post listed on two pages once.
    for name in present:
        until = manifest_sources[name].get("counts_until")
        parsed = [
            post
            for post in KNOWN_SOURCES[name].parse(snapshot.sources[name])
            if counted(post, rules) and before(post, until)
        ]
        posts_per_source[name] = len(parsed)
        for paper_id, paper_posts in link_posts(parsed, paper_ids).items():
            linked.setdefault(paper_id, []).extend(paper_posts)
    signals = _paper_signals(snapshot, present, papers, linked)

    listed = []
    for paper_id, paper_posts in linked.items():
        paper_signals = {name: counts[paper_id] for name, counts in signals.items() if paper_id in counts}
        entry = _scored_paper(papers[paper_id], paper_posts, present, rules, paper_signals)
        if paper_id in late:
            entry["late"] = True
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
        "rules": rules.describe(manifest_sources),
        # Each source's state in reader terms; its operator error text stays in the manifest, as
        # this day is published as it is (digests/<D>.json).
        "sources": {
            name: {
                "status": info["status"],
                "posts": posts_per_source.get(name, 0),
                # The manifest says why a source is capped or suspect, for the operator; the
                # published day says only that it is.
                **{flag: True for flag in ("capped", "degraded", "suspect") if info.get(flag)},
                **({"skipped": info["skipped"]} if "skipped" in info else {}),
            }
            for name, info in sorted(manifest_sources.items())
        },
        "present_sources": present,
        "papers_fetched": len(papers),
        "papers": listed,
    }


def _papers(snapshot: Snapshot, late: frozenset[str]) -> list[Paper]:
    """The window's papers and those announced ``late`` (``arxiv.snapshot_papers``)."""
    return arxiv.snapshot_papers(snapshot.papers, snapshot.arxiv, snapshot.window, late)


def _paper_signals(
    snapshot: Snapshot, present: list[str], papers: dict[str, Paper], linked: dict[str, list[Post]]
) -> dict[str, dict[str, dict[str, int]]]:
    """Each present paper signal's figures per paper, for the papers that have posts."""
    signals: dict[str, dict[str, dict[str, int]]] = {}
    for name in present:
        source = KNOWN_SOURCES[name]
        if issubclass(source, PaperSignal):
            since = parse_utc(snapshot.manifest["window"]["start"])
            signals[name] = source.paper_counts(snapshot.sources[name], since, papers, linked)
    return signals


def _scored_paper(
    paper: Paper, posts: list[Post], present: list[str], rules: Rules, signals: dict[str, dict[str, int]]
) -> dict[str, Any]:
    engagement = {(post.source, post.id): KNOWN_SOURCES[post.source].engagement(post) for post in posts}
    counts: dict[str, dict[str, int]] = {}
    for name in present:
        source_posts = [post for post in posts if post.source == name]
        if source_posts:
            counts[name] = {
                metric: sum(post.metrics.get(metric, 0) for post in source_posts) for metric in figures(name)
            }
        elif name in signals:
            counts[name] = signals[name]
    shown = sorted(
        (post for post in posts if engagement[(post.source, post.id)] >= rules.min_post_engagement),
        key=lambda post: (-engagement[(post.source, post.id)], post.source, post.id),
    )[: rules.max_posts]
    return {
        "rank": 0,
        "score": score(posts, rules),
        "points": {name: round(value, 2) for name, value in points(posts, rules).items()},
        "paper": {**paper.to_dict(), "abs_url": paper.abs_url, "pdf_url": paper.pdf_url},
        "counts": counts,
        "posts": [
            {**KNOWN_SOURCES[post.source].shown(post).to_dict(), "engagement": engagement[(post.source, post.id)]}
            for post in shown
        ],
    }

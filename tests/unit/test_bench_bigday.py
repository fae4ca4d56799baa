"""The big day of ``make bench``: seeded, in each source's shape, and read by the pipeline as a real day."""

from __future__ import annotations

from pathlib import Path

from hotpapers import arxiv, scoring, snapshot
from hotpapers.store import LocalStore

from bench import bigday

SMALL = bigday.Size(papers=40, posts=600)


def _files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def test_the_same_seed_builds_the_same_bytes(tmp_path: Path) -> None:
    # Given two stores
    first, second = tmp_path / "first", tmp_path / "second"
    # When the same small day is built in each
    bigday.build(LocalStore(first), SMALL)
    bigday.build(LocalStore(second), SMALL)
    # Then every stored document is byte for byte the same
    assert _files(first) == _files(second)
    # And another seed gives another day
    other = tmp_path / "other"
    bigday.build(LocalStore(other), SMALL, seed=bigday.SEED + 1)
    assert _files(other) != _files(first)


def test_the_posts_add_up_to_the_size() -> None:
    # Given the full and the quick sizes
    for size in (bigday.FULL, bigday.QUICK, SMALL):
        # When the posts are shared out among the sources
        counts = bigday.post_counts(size)
        # Then they add up to the size, X has most and Hugging Face lists at most its page
        assert sum(counts.values()) == size.posts
        assert max(counts, key=lambda name: counts[name]) == "x"
        assert counts["huggingface"] <= bigday.HF_LIMIT


def test_arxiv_pages_hold_real_entries_under_new_ids() -> None:
    # Given more papers than the real entries at hand
    count = len(bigday.real_entries()) + 5
    # When their API pages are built two thousand a page, and parsed by the project's parser
    pages = bigday.arxiv_pages(count)
    papers = [paper for page in pages for paper in arxiv.parse_feed(page).papers]
    # Then there is a page per two thousand, every paper is there once, under its new id
    assert len(pages) == -(-count // arxiv.PAGE_SIZE)
    assert [paper.id for paper in papers] == [f"2606.{n:05d}" for n in range(1, count + 1)]
    # And each keeps its real entry's title and authors
    assert papers[0].title.split()[0] == bigday.real_entries()[0][1].split()[0]
    assert all(paper.authors for paper in papers)


def test_the_score_step_reads_the_day_as_a_real_one(tmp_path: Path) -> None:
    # Given a sealed small day
    store = LocalStore(tmp_path)
    day = bigday.build(store, SMALL)
    # When the score step scores its snapshot
    scored = scoring.score_snapshot(snapshot.read(store, day.manifest_key), scoring.Rules())
    # Then it finds every paper, every source and every post but the reposts
    assert scored["papers_fetched"] == SMALL.papers
    assert set(scored["present_sources"]) == set(bigday.SOURCES)
    counted = {name: info["posts"] for name, info in scored["sources"].items()}
    for name in ("hackernews", "bluesky", "huggingface"):
        assert counted[name] == day.posts[name]
    for name in ("x", "reddit"):
        assert 0.85 * day.posts[name] <= counted[name] < day.posts[name]
    # And papers are listed, with posts to show from several sources
    assert scored["papers"]
    shown = {post["source"] for entry in scored["papers"] for post in entry["posts"]}
    assert {"x", "hackernews", "bluesky", "reddit"} <= shown

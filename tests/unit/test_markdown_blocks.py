"""The Markdown digest stays parseable by what parses the seed: one paper block of each shape, pinned."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hotpapers import website
from hotpapers.scoring import Rules, score_snapshot
from hotpapers.website.assets import assets
from support.builders import tweet, x_page
from support.sources_day import BOT, snapshot, stored_documents

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "markdown"
# The seed's attention line, as a parser written for the seed reads it.
SEED_LINE = re.compile(r"^- retweets: (\d+), favorites: (\d+)(, [a-z ]+: \d+)* \(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d\)$")


def every_shape() -> dict[str, Any]:
    """The day discussed on every source, with paper D on X only and paper A on Reddit too."""
    documents = stored_documents()
    x = json.loads(documents["x"]["search-0000.json"])
    x_only = x_page([tweet("9", "9", "https://arxiv.org/abs/2606.01004", retweets=7, likes=70)])
    x["data"] += x_only["data"]
    x["includes"]["users"] += x_only["includes"]["users"]
    documents["x"]["search-0000.json"] = json.dumps(x).encode()
    day = score_snapshot(
        snapshot("x,hackernews,bluesky,reddit,huggingface,github", documents=documents),
        Rules(ignored_accounts=frozenset({("bluesky", BOT)})),
    )
    papers = {entry["paper"]["id"]: entry for entry in day["papers"]}
    # Reddit discussed paper B only; its thread is moved onto paper A, so that one block has them all.
    a, b = papers["2606.01001"], papers["2606.01002"]
    a["counts"]["reddit"] = b["counts"].pop("reddit")
    a["posts"] += [post for post in b["posts"] if post["source"] == "reddit"]
    b["posts"] = [post for post in b["posts"] if post["source"] != "reddit"]
    return day


def blocks(markdown: str) -> dict[str, str]:
    """arXiv id -> the paper's block, from its ``# N.`` heading to the next."""
    parts = re.split(r"(?m)^(?=# \d+\. )", markdown.split("\n---\n", 1)[1])
    return {re.search(r"arxiv\.org/abs/([\d.]+)\)", part)[1]: part for part in parts if part.startswith("# ")}  # type: ignore[index]


@pytest.mark.parametrize(
    ("paper", "shape"),
    [("2606.01004", "x-only"), ("2606.01003", "no-x"), ("2606.01001", "every-source")],
)
def test_a_paper_block_of_each_shape_is_as_pinned(paper: str, shape: str) -> None:
    # Given the day with papers discussed on X only, not on X, and on every source
    # When its Markdown is rendered
    block = blocks(website.markdown(every_shape()))[paper]
    # Then the paper's block is exactly the one pinned for its shape
    assert block == (GOLDEN / f"{shape}.md").read_text(encoding="utf-8")


def test_every_papers_attention_line_starts_with_the_seeds_retweets_and_favorites() -> None:
    # Given the day with papers of every shape
    markdown = website.markdown(every_shape())
    # Then every paper's attention line reads as the seed's, other sources' figures after X's
    lines = [line for line in markdown.splitlines() if line.startswith("- ") and not line.startswith("- links:")]
    lines = [line for line in lines if not line.startswith("- [")]
    assert len(lines) == len(blocks(markdown)) == 4
    assert all(SEED_LINE.match(line) for line in lines), lines


def test_the_social_image_is_a_file_the_site_publishes() -> None:
    # Given a day's Markdown
    markdown = website.markdown(every_shape())
    # Then its socialImage names, from the site's root, an image the site publishes
    named = re.search(r'^socialImage: "/(.+)"$', markdown, re.MULTILINE)
    assert named is not None
    assert named[1] in assets().files
    assert assets().files[named[1]].startswith(b"\x89PNG")

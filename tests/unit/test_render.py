"""Rendering: upstream text is inert everywhere, and the page says what is missing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from builders import atom_entry, atom_feed, tweet, x_page
from hotpapers import render
from hotpapers.models import Post
from hotpapers.schedule import window_for
from hotpapers.scoring import Rules, score_snapshot
from hotpapers.snapshot import Snapshot

EVIL = '<script>alert("x")</script>'


def scored_day(*, failed: dict[str, str] | None = None, **entry: Any) -> dict[str, Any]:
    post = tweet("1", "a", "https://arxiv.org/abs/2007.00001", likes=60, text=f"Wow {EVIL} & more")
    sources: dict[str, Any] = {"x": {"status": "ok", "error": None, "files": []}}
    sources.update({name: {"status": "failed", "error": error, "files": []} for name, error in (failed or {}).items()})
    day = Snapshot(
        manifest={
            "date": "2020-07-09",
            "fetched_at": "2020-07-10T07:46:45Z",
            "window": window_for(date(2020, 7, 9)).to_dict(),
            "sources": sources,
        },
        arxiv=[atom_feed([atom_entry("2007.00001", **entry)])],
        sources={"x": {"search-0000.json": json.dumps(x_page([post])).encode()}},
    )
    return score_snapshot(day, Rules())


def test_upstream_text_is_escaped_in_markdown_and_html() -> None:
    # Given a paper and a post whose upstream text carries markup
    day = scored_day(title=f"Title {EVIL}", abstract=f"Abstract {EVIL}", authors=(f"Eve {EVIL}",))
    # When both documents are rendered
    for document in (render.markdown(day), render.page(day)):
        # Then no upstream tag survives, in the paper or in the post built from the API's fields
        assert "<script>alert" not in document
        assert "&lt;script" in document


def test_markdown_keeps_upstream_text_as_written_where_it_is_inert() -> None:
    # Given an abstract with quotes, ampersands and comparisons, and one with an entity and a tag
    plain = 'Raven\'s "Progressive" Matrices, R&D at p > 0.05 & more'
    day = scored_day(abstract=plain, title="Tags <b>bold</b> and &lt;entities&gt;")
    # When rendered to Markdown
    markdown = render.markdown(day)
    # Then plain text is untouched, as the seed has it ("Raven's Progressive Matrices")
    assert f"\n{plain}\n" in markdown
    # And what could become markup is shown as text
    assert "# 1. Tags &lt;b>bold&lt;/b> and &amp;lt;entities&amp;gt;\n" in markdown


def test_counts_line_front_matter_and_links_follow_the_seed_format() -> None:
    markdown = render.markdown(scored_day(categories=("stat.ML", "cs.LG")))
    assert markdown.startswith("---\ntitle: Hot Papers 2020-07-09\ndate: 2020-07-10T07:46:45.Z\n")
    assert '  - "Twitter"\n' in markdown
    assert "\n- retweets: 0, favorites: 60 (07/10/2020 07:46:45)\n\n" in markdown
    assert "- links: [abs](https://arxiv.org/abs/2007.00001) | [pdf](https://arxiv.org/pdf/2007.00001)\n" in markdown
    assert (
        "- [stat.ML](https://arxiv.org/list/stat.ML/recent) | [cs.LG](https://arxiv.org/list/cs.LG/recent)\n"
        in markdown
    )


def test_missing_sources_are_said_visibly() -> None:
    # Given a day on which Hugging Face failed
    day = scored_day(failed={"huggingface": "huggingface: HTTP 503"})
    # Then both the Markdown and the page name it, and the tags leave it out
    markdown, page = render.markdown(day), render.page(day)
    assert "> Missing sources: huggingface (huggingface: HTTP 503)" in markdown
    assert '"Hugging Face"' not in markdown
    assert 'role="alert"' in page
    assert "<strong>huggingface</strong>" in page


def test_a_day_without_listed_papers_says_so() -> None:
    day = scored_day()
    day["papers"] = []
    assert "No paper reached the attention threshold on 2020-07-09." in render.markdown(day)
    assert "No paper reached the attention threshold" in render.page(day)


def test_index_lists_digests_newest_first() -> None:
    page = render.index(["2020-07-08", "2020-07-10", "2020-07-09"])
    positions = [page.index(f'href="digests/{d}.html"') for d in ("2020-07-10", "2020-07-09", "2020-07-08")]
    assert positions == sorted(positions)


def test_feeds_are_valid_atom_and_json_feed() -> None:
    import xml.etree.ElementTree as ET

    day = scored_day()
    atom, json_feed = render.feeds([day], "https://papers.example", "2020-07-10T07:46:45Z")
    root = ET.fromstring(atom)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:entry/a:title", ns).text == "Hot Papers 2020-07-09"  # type: ignore[union-attr]
    feed = json.loads(json_feed)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][0]["url"] == "https://papers.example/digests/2020-07-09.html"


def test_only_http_links_from_upstream_become_hrefs() -> None:
    # Given a Hacker News story whose URL is a script, beside an ordinary one
    day = scored_day()
    story = Post(
        "hackernews",
        "1",
        "javascript:alert(1)",
        "a",
        "a",
        "Story",
        "not a date",
        {"points": 30, "comments": 3},
        links=("javascript:alert(2)",),
    )
    thread = Post(
        "reddit",
        "2",
        "https://www.reddit.com/r/MachineLearning/comments/2/",
        "b",
        "b",
        "Thread",
        "2020-07-09T10:00:00Z",
        {"score": 30, "comments": 3},
    )
    day["papers"][0]["posts"] = [story.to_dict(), thread.to_dict()]
    # When rendered
    markdown, page = render.markdown(day), render.page(day)
    # Then the script URLs are neutralised, the ordinary one is kept, and a garbled date is left out
    for document in (markdown, page):
        assert "javascript:" not in document
        assert 'href="https://www.reddit.com/r/MachineLearning/comments/2/"' in document
        assert "submitted by a on </blockquote>" in document
        assert "posted by u/b on July 9, 2020" in document


def test_tags_name_the_sources_the_digest_shows() -> None:
    # Given a day scored with X and Hugging Face asked, but only X saying anything
    day = scored_day()
    day["present_sources"] = ["x", "huggingface"]
    day["sources"]["huggingface"] = {"status": "ok", "error": None, "posts": 0}
    # Then the front matter tags X (as the seed does) and not Hugging Face
    markdown = render.markdown(day)
    assert 'tags:\n  - "arXiv"\n  - "Twitter"\n  - "Machine Learning"\n  - "Computer Science"\n' in markdown

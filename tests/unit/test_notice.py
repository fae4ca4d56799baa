"""A day's notice: what its pages say of where its data came from, carried with its snapshot."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hotpapers.config import ConfigError, load_settings
from hotpapers.layout import notice_key
from hotpapers.notice import NoticeError, reserved
from hotpapers.offline import settings as kept_settings
from hotpapers.pipeline.render import render_day
from hotpapers.pipeline.score import score_day
from support.memory_store import MemoryStore

from tests.unit.test_pipeline import HOT, sealed

# Every post shown, so each post's address is on the pages.
SETTINGS = load_settings({"HOTPAPERS_SOURCES": "x", "HOTPAPERS_MIN_POST_ENGAGEMENT": "0"})
BANNER = "Demo site. Real: the arXiv announcement. Illustrative: the posts and their figures."
DAY_NOTE = "Re-dated: real papers, shown as this day."
DAY = "2020-07-09"


def published(notice: dict[str, object] | None) -> tuple[dict[str, object], MemoryStore]:
    """The day scored and rendered, with ``notice`` stored beside its snapshot (none if ``None``)."""
    data, site = MemoryStore(), MemoryStore()
    manifest = sealed(data)
    if notice is not None:
        data.put(notice_key(DAY), json.dumps(notice).encode(), "application/json")
    scored = score_day(manifest, SETTINGS, data)
    render_day(scored["key"], SETTINGS, data, site)
    return scored, site


def test_a_notice_stored_with_the_snapshot_is_on_every_page_type_the_markdown_and_the_feeds() -> None:
    # Given a day whose snapshot carries a notice with a banner and a note of its own
    # When it is scored and rendered
    scored, site = published({"banner": BANNER, "day": DAY_NOTE, "posts": "illustrative"})

    # Then every HTML page says the banner, in one place above the page's own content
    pages = {key: body.decode() for key, body in site.objects.items() if key.endswith(".html")}
    kinds = {"index.html", "about.html", f"digests/{DAY}.html", "top/2020-W28.html", "top/2020-07.html"}
    assert kinds <= set(pages)
    assert any(key.startswith("categories/") for key in pages)
    for key, page in pages.items():
        assert page.count('class="wrap site-notice"') == 1, key
        assert page.index("site-notice") < page.index('<main id="main"'), key
        assert "Illustrative: the posts and their figures." in page, key
    # And the day's own note is on its digest page only
    assert DAY_NOTE in pages[f"digests/{DAY}.html"]
    assert DAY_NOTE not in pages["index.html"] + pages["about.html"]
    # And the Markdown says both, once, before the first paper
    markdown = site.objects[f"digests/{DAY}.md"].decode()
    assert markdown.count(f"> {BANNER} {DAY_NOTE}\n") == 1
    assert markdown.index(BANNER) < markdown.index("# 1. ")
    # And the feeds say the banner as their subtitle and description
    assert f"<subtitle>{BANNER}</subtitle>" in site.objects["feed.xml"].decode()
    assert json.loads(site.objects["feed.json"])["description"] == BANNER
    assert "<subtitle>" in site.objects["feeds/cs.LG.xml"].decode()
    # And the scored day keeps the notice, so a render from it alone says it again
    assert scored["notice"] == {"banner": BANNER, "day": DAY_NOTE, "posts": "illustrative"}


def test_a_day_without_a_notice_says_nothing_of_one() -> None:
    # Given a real day: no notice beside its snapshot
    # When it is scored and rendered
    scored, site = published(None)

    # Then no page, Markdown or feed has a notice, and the scored day has no such field
    assert "notice" not in scored
    for key, body in site.objects.items():
        assert b"site-notice" not in body, key
        assert b"<subtitle>" not in body, key
    assert "description" not in json.loads(site.objects["feed.json"])


def test_illustrative_posts_link_their_own_address_on_the_reserved_domain_only() -> None:
    # Given a notice that says the day's posts are illustrative
    # When the day is scored and rendered
    scored, site = published({"banner": BANNER, "posts": "illustrative"})

    # Then each post's own address is on .example, never on the real service
    (entry,) = scored["papers"]
    assert entry["paper"]["id"] == HOT
    urls = [post["url"] for post in entry["posts"]]
    assert len(urls) == 3
    assert all(re.match(r"https://twitter\.example/user\d/status/1\d$", url) for url in urls)
    for key, body in site.objects.items():
        assert b"twitter.com/user" not in body, key
    # And what the posts link to (the paper) is kept as it is
    assert all(f"https://arxiv.org/abs/{HOT}" in post["links"] for post in entry["posts"])


def test_posts_of_a_notice_that_does_not_call_them_illustrative_keep_their_addresses() -> None:
    scored, _ = published({"banner": BANNER})
    assert all(post["url"].startswith("https://twitter.com/") for post in scored["papers"][0]["posts"])


@pytest.mark.parametrize(
    ("url", "moved"),
    [
        ("https://twitter.com/lena/status/18", "https://twitter.example/lena/status/18"),
        ("https://news.ycombinator.com/item?id=4417", "https://news.ycombinator.example/item?id=4417"),
        ("https://bsky.app/profile/theo.example/post/3l", "https://bsky.example/profile/theo.example/post/3l"),
        ("https://www.reddit.com/r/ml/comments/1l/a/", "https://www.reddit.example/r/ml/comments/1l/a/"),
        ("https://huggingface.co/papers/2606.00001", "https://huggingface.example/papers/2606.00001"),
        ("https://bsky.example/profile/a", "https://bsky.example/profile/a"),
        ("", ""),
    ],
)
def test_reserved_moves_an_address_to_the_same_name_on_the_example_domain(url: str, moved: str) -> None:
    assert reserved(url) == moved


@pytest.mark.parametrize(
    "notice",
    [b"not json", b'{"day": "no banner"}', b'{"banner": ""}', b'{"banner": "b", "posts": "made up"}', b"[]"],
)
def test_a_stored_notice_that_is_not_one_stops_the_score_step(notice: bytes) -> None:
    # Given a notice that cannot be read as one
    data = MemoryStore()
    manifest = sealed(data)
    data.put(notice_key(DAY), notice, "application/json")

    # When the day is scored, Then the step fails naming it: publishing without it would hide what it says
    with pytest.raises(NoticeError, match=notice_key(DAY)):
        score_day(manifest, SETTINGS, data)


def test_a_data_directory_keeps_its_settings_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a data directory that keeps two settings, one of which the environment also sets
    kept_settings.keep(tmp_path, {"HOTPAPERS_SOURCES": "x,reddit"})
    kept_settings.keep(tmp_path, {"HOTPAPERS_MIN_SCORE": "20"})
    monkeypatch.setenv("HOTPAPERS_MIN_SCORE", "7")
    monkeypatch.delenv("HOTPAPERS_SOURCES", raising=False)

    # Then both are kept, and only the one the environment does not set is applied
    assert kept_settings.kept(tmp_path) == {"HOTPAPERS_SOURCES": "x,reddit", "HOTPAPERS_MIN_SCORE": "20"}
    assert kept_settings.unset(tmp_path) == {"HOTPAPERS_SOURCES": "x,reddit"}
    # And a directory without the file keeps nothing
    assert kept_settings.kept(tmp_path / "elsewhere") == {}


@pytest.mark.parametrize("body", ["{", '["HOTPAPERS_SOURCES"]', '{"SOURCES": "x"}', '{"HOTPAPERS_MIN_SCORE": 20}'])
def test_a_kept_settings_file_that_is_not_one_is_refused(tmp_path: Path, body: str) -> None:
    (tmp_path / kept_settings.NAME).write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"settings\.json"):
        kept_settings.kept(tmp_path)

"""Publishing the site: the pages a day touches, their headers, feeds, and days rendered at once."""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
import random
import re
import shutil
import signal
import threading
import time
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from hotpapers import store as store_module
from hotpapers import website
from hotpapers.cli.report import lacking
from hotpapers.config import load_settings
from hotpapers.models import json_bytes
from hotpapers.pipeline.render import render_day
from hotpapers.scoring import Rules, score_snapshot
from hotpapers.snapshot import Snapshot
from hotpapers.store import LocalStore, NotFoundError, UnsafeKeyError
from hotpapers.website import archive, paper, words
from hotpapers.website.assets import assets
from support.builders import SEED_WINDOW, atom_entry, atom_feed, tweet, x_page
from support.sources_day import BOT, snapshot

OPTIONS = website.SiteOptions(sources=("x",), categories=("cs.*",))


class MemoryStore:
    """A bucket in memory that keeps each object's headers, as S3 does."""

    bucket = "site"

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.headers: dict[str, tuple[str | None, str | None]] = {}
        self.writes: list[str] = []
        self.lock = threading.Lock()

    def put(self, key: str, body: bytes, content_type: str | None = None, cache_control: str | None = None) -> None:
        with self.lock:
            self.objects[key] = body
            self.headers[key] = (content_type, cache_control)
            self.writes.append(key)

    def get(self, key: str) -> bytes:
        with self.lock:
            try:
                return self.objects[key]
            except KeyError:
                raise NotFoundError(key) from None

    def keys(self, prefix: str) -> list[str]:
        return sorted(self.versions(prefix))

    def versions(self, prefix: str) -> dict[str, str]:
        with self.lock:
            return {
                key: hashlib.md5(body).hexdigest()
                for key, body in sorted(self.objects.items())
                if key.startswith(prefix)
            }


class InterleavingStore(MemoryStore):
    """Every call yields to the other threads first, so two renders' puts and gets interleave."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.random = random.Random(seed)

    def _pause(self) -> None:
        time.sleep(self.random.random() / 2000)

    def put(self, key: str, body: bytes, content_type: str | None = None, cache_control: str | None = None) -> None:
        self._pause()
        super().put(key, body, content_type, cache_control)

    def get(self, key: str) -> bytes:
        self._pause()
        return super().get(key)

    def versions(self, prefix: str) -> dict[str, str]:
        self._pause()
        return super().versions(prefix)


def scored(day: str, *titles: str, categories: tuple[str, ...] = ("cs.LG",)) -> dict[str, Any]:
    """A scored day with one paper per title, the first with the most attention."""
    ids = [f"{day[2:4]}{day[5:7]}.{day[8:10]}{n:03d}" for n in range(len(titles))]
    posts = [tweet(str(n + 1), "a", f"https://arxiv.org/abs/{i}", likes=100 - n) for n, i in enumerate(ids)]
    snapshot = Snapshot(
        manifest={
            "date": day,
            "fetched_at": f"{day}T07:46:45Z",
            "window": SEED_WINDOW,
            "sources": {"x": {"status": "ok", "error": None, "files": []}},
        },
        arxiv=[atom_feed([atom_entry(i, t, categories=categories) for i, t in zip(ids, titles, strict=True)])],
        sources={"x": {"search-0000.json": json.dumps(x_page(posts)).encode()}},
    )
    return score_snapshot(snapshot, Rules())


def test_a_day_is_published_with_every_page_type_and_their_headers() -> None:
    # Given an empty site
    site = MemoryStore()
    # When a day is published
    keys = website.publish_day(scored("2026-06-02", "Paper A", "Paper B"), OPTIONS, site)
    # Then every page type the day touches is there
    for key in (
        "digests/2026-06-02.md",
        "digests/2026-06-02.html",
        "digests/2026-06-02.json",
        "index.html",
        "about.html",
        "categories/cs.LG.html",
        "feeds/cs.LG.xml",
        "top/2026-W23.html",
        "top/2026-06.html",
        "feed.xml",
        "feed.json",
    ):
        assert key in keys
        assert site.objects[key]
    # And every object has its content type (charset for text) and a cache policy by kind
    assert site.headers["index.html"] == ("text/html; charset=utf-8", "public, max-age=300")
    assert site.headers["feed.json"] == ("application/feed+json; charset=utf-8", "public, max-age=300")
    assert site.headers["feed.xml"] == ("application/atom+xml; charset=utf-8", "public, max-age=300")
    assert site.headers["digests/2026-06-02.md"] == ("text/markdown; charset=utf-8", "public, max-age=3600")
    assets = [key for key in site.objects if key.startswith("assets/")]
    assert any(key.endswith(".css") for key in assets)
    assert all(site.headers[key][1] == "public, max-age=31536000, immutable" for key in assets)
    assert all(site.headers[key][0] for key in site.objects)


def with_posts(entry: dict[str, Any], many: int) -> None:
    """Give a scored paper ``many`` posts, each its own, numbered in its text."""
    rank = entry["rank"]
    entry["posts"] = [{**entry["posts"][0], "id": f"{rank}-{n}", "text": f"Post {rank}-{n}."} for n in range(many)]


def test_every_listed_paper_gets_a_page_with_every_field_and_the_digests_headers() -> None:
    # Given a day whose first paper has math in its title and abstract, two categories, a late
    # announcement and five posts, and whose second has one post
    site = MemoryStore()
    day = scored("2026-06-02", "Bounds for $x^2$", "Plain", categories=("cs.LG", "math.AG"))
    first = day["papers"][0]
    first["paper"]["abstract"] = "We bound $\\alpha^2$. " + "Long words. " * 60 + "The end."
    first["paper"]["authors"] = [f"Author {n}" for n in range(9)]
    first["late"] = True
    with_posts(first, 5)
    # When it is published
    keys = website.publish_day(day, OPTIONS, site)
    # Then each listed paper has its page, with the digests' content type and cache policy
    assert {"papers/2606.02000.html", "papers/2606.02001.html"} <= set(keys)
    assert site.headers["papers/2606.02000.html"] == ("text/html; charset=utf-8", "public, max-age=3600")
    page = site.objects["papers/2606.02000.html"].decode()
    # And it has the title with its math typeset, every author, the categories and the links
    assert "<h1>Bounds for <math" in page
    assert all(f"Author {n}" in page for n in range(9))
    assert '<a href="../categories/cs.LG.html">cs.LG</a><a href="../categories/math.AG.html">math.AG</a>' in page
    for link in (
        "https://arxiv.org/abs/2606.02000",
        "https://arxiv.org/pdf/2606.02000",
        "https://arxiv.org/html/2606.02000",
    ):
        assert f'href="{link}"' in page
    assert "Announced late" in page
    # And the whole abstract, its math as MathML
    assert "<mi>α</mi>" in page
    assert "Long words. " * 60 + "The end." in page
    # And every post, with the badge per source the digest shows
    assert re.findall(r"Post 1-(\d)\.", page) == ["0", "1", "2", "3", "4"]
    assert '<span class="b-x"><b>X</b> +100: 0 reposts, 100 likes</span>' in page
    # And the digest day, week and month pages that list it, with its rank there
    assert '<a href="../digests/2026-06-02.html">Hot Papers June 2, 2026</a>, #1' in page
    assert '<a href="../top/2026-W23.html">Top papers of week 23 of 2026</a>, #1' in page
    assert '<a href="../top/2026-06.html">Top papers of June 2026</a>, #1' in page
    # And it loads nothing but the stylesheet
    assert "<script" not in page
    assert re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', page.split("<main")[0]) == []


def test_a_paper_listed_on_two_days_names_both_and_its_rank_on_each() -> None:
    # Given a paper listed on June 1 at #1 and again, second, on June 2
    site = MemoryStore()
    website.publish_day(scored("2026-06-01", "Again"), OPTIONS, site)
    second = scored("2026-06-02", "New", "Again")
    second["papers"][1]["paper"]["id"] = "2606.01000"
    # When June 2 is rendered
    website.publish_day(second, OPTIONS, site)
    # Then the paper's page names both days, oldest first, with its rank on each
    page = site.objects["papers/2606.01000.html"].decode()
    listed = re.findall(r'<li><a href="../(digests/[^"]+)">[^<]+</a>, #(\d+)</li>', page)
    assert listed == [("digests/2026-06-01.html", "1"), ("digests/2026-06-02.html", "2")]


def test_a_papers_page_is_the_same_when_its_day_is_rendered_again_after_later_days() -> None:
    # Given June 1 published, its paper first of the week and the month so far
    site = MemoryStore()
    first = scored("2026-06-01", "Early")
    website.publish_day(first, OPTIONS, site)
    page = site.objects["papers/2606.01000.html"]
    assert b'<a href="../top/2026-W23.html">Top papers of week 23 of 2026</a>, #1' in page
    # And later days of its week, whose papers score higher
    for day in ("2026-06-02", "2026-06-03"):
        later = scored(day, "Later")
        later["papers"][0]["score"] = 500
        website.publish_day(later, OPTIONS, site)
    # When June 1 is rendered again
    website.publish_day(first, OPTIONS, site)
    # Then its paper's page is byte for byte what it was: ranks count the days up to June 1
    assert site.objects["papers/2606.01000.html"] == page
    # And a later day's paper's page counts the days up to its own (June 2's ties it and is older)
    assert b"Top papers of week 23 of 2026</a>, #2" in site.objects["papers/2606.03000.html"]
    assert b"Top papers of week 23 of 2026</a>, #1" in site.objects["papers/2606.02000.html"]


def test_the_attention_chart_draws_each_point_of_the_history_and_a_table_holds_the_same_points() -> None:
    # Given a paper counted three times: on its day, a day later, and three days later
    site = MemoryStore()
    day = scored("2026-06-02", "Growing")
    entry = day["papers"][0]
    entry["history"] = [
        {"as_of": "2026-06-02T07:46:45Z", "score": 60, "counts": {"x": {"retweets": 1, "likes": 59}}},
        {"as_of": "2026-06-03T07:46:45Z", "score": 80, "counts": {"x": {"retweets": 2, "likes": 78}}},
        {"as_of": "2026-06-05T07:46:45Z", "score": entry["score"], "counts": entry["counts"]},
    ]
    # When it is published
    website.publish_day(day, OPTIONS, site)
    page = site.objects["papers/2606.02000.html"].decode()
    # Then the chart is inline SVG, named for a screen reader, with one dot per point, later ones
    # further right and higher scores higher up
    svg = page.split("<svg")[1].split("</svg>")[0]
    assert 'role="img" aria-label="Score over time, from 60 on June 2, 2026 to 100 on June 5, 2026' in svg
    dots = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)]
    assert len(dots) == 3
    assert dots[0][0] < dots[1][0] < dots[2][0]
    assert dots[0][1] > dots[1][1] > dots[2][1]
    # And the days between points are to scale: two days after the second is twice one day after the first
    assert dots[2][0] - dots[1][0] == pytest.approx(2 * (dots[1][0] - dots[0][0]), abs=0.2)
    # And a table holds the same points: each count's time, score and figures
    rows = re.findall(
        r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", page.split('<table class="history">')[1]
    )
    assert rows == [
        ("June 2, 2026, 07:46 UTC", "60", "X: 1 repost, 59 likes"),
        ("June 3, 2026, 07:46 UTC", "80", "X: 2 reposts, 78 likes"),
        ("June 5, 2026, 07:46 UTC", "100", "X: 0 reposts, 100 likes"),
    ]
    assert "<caption>" in page.split('<table class="history">')[1]


def test_a_scored_day_without_history_is_one_point_of_its_fetch_time_score_and_counts() -> None:
    # Given a day scored before histories were kept
    day = scored("2026-06-02", "Once")
    entry = day["papers"][0]
    assert "history" not in entry
    # When its history is read
    points = paper.history(entry, day)
    # Then it is one point: the day's fetch time, the paper's score and counts
    assert points == [{"as_of": "2026-06-02T07:46:45Z", "score": 100, "counts": {"x": {"retweets": 0, "likes": 100}}}]
    # And the page draws that one dot, and one row
    site = MemoryStore()
    website.publish_day(day, OPTIONS, site)
    page = site.objects["papers/2606.02000.html"].decode()
    assert page.count("<circle ") == 1
    assert "<polyline" not in page
    assert page.count("<tr><td>June 2, 2026, 07:46 UTC</td><td>100</td>") == 1


def meta(page: str) -> dict[str, str]:
    """A page's meta tags (property or name -> content) and its canonical link."""
    found = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', page))
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page)
    return {**found, **({"canonical": canonical[1]} if canonical else {})}


def test_a_paper_page_carries_its_canonical_url_and_card_meta_tags_with_the_score() -> None:
    # Given a site with a public URL
    site = MemoryStore()
    options = website.SiteOptions(site_url="https://papers.example", sources=("x",), categories=("cs.*",))
    # When a day is published
    website.publish_day(scored("2026-06-02", "Bounds for $x^2$ & more"), options, site)
    tags = meta(site.objects["papers/2606.02000.html"].decode())
    # Then the page names its absolute canonical URL, and the cards of OpenGraph and X show its title and score
    assert tags["canonical"] == tags["og:url"] == "https://papers.example/papers/2606.02000.html"
    assert tags["og:title"] == tags["twitter:title"] == "Bounds for x^2 &amp; more"
    assert tags["og:description"].startswith("Score 100 on Hot Papers June 2, 2026. ")
    assert tags["twitter:description"] == tags["og:description"] == tags["description"]
    assert tags["og:description"] == "Score 100 on Hot Papers June 2, 2026. An abstract."
    # And a long abstract is cut to its opening, and says so
    long = scored("2026-06-02", "Long")["papers"][0]
    long["paper"]["abstract"] = "Many words here. " * 40
    said = paper.description(long, "2026-06-02")
    assert said.endswith(" words…")
    assert len(said) < 400
    assert tags["twitter:card"] == "summary"
    assert re.fullmatch(r"https://papers\.example/assets/social\.[0-9a-f]+\.png", tags["og:image"])
    # And without a public URL, the canonical link is relative to the page, and no absolute URL is made up
    website.publish_day(scored("2026-06-02", "Bounds"), OPTIONS, site)
    tags = meta(site.objects["papers/2606.02000.html"].decode())
    assert tags["canonical"] == "2606.02000.html"
    assert "og:url" not in tags
    assert "og:image" not in tags
    assert tags["og:description"].startswith("Score 100 on Hot Papers June 2, 2026. ")


def test_every_digest_card_links_its_papers_page_and_a_busy_card_its_posts_there() -> None:
    # Given a day whose first paper has five posts and whose second has one
    site = MemoryStore()
    day = scored("2026-06-02", "Paper A", "Paper B")
    with_posts(day["papers"][0], 5)
    # When it is published
    keys = website.publish_day(day, OPTIONS, site)
    digest = site.objects["digests/2026-06-02.html"].decode()
    # Then each card's title links the paper's page, from where the site serves the digest
    assert '<h2><a href="../papers/2606.02000.html">Paper A</a></h2>' in digest
    assert '<h2><a href="../papers/2606.02001.html">Paper B</a></h2>' in digest
    # And the busy card's "All 5 posts" leads to the posts on that page, which holds them all
    assert '<p class="more-posts"><a href="../papers/2606.02000.html#posts">All 5 posts</a></p>' in digest
    assert digest.count("more-posts") == 1
    assert 'id="posts"' in site.objects["papers/2606.02000.html"].decode()
    # And no posts page is written for a day that never had one
    assert not [key for key in keys if key.startswith("digests/2026-06-02/")]


def test_an_old_posts_page_address_leads_to_each_of_its_papers_pages() -> None:
    # Given a day published when busy papers' posts were on pages of twenty, with two such pages
    site = MemoryStore()
    day = scored("2026-06-02", *(f"Paper {n}" for n in range(25)))
    for entry in day["papers"]:
        with_posts(entry, 5)
    for old in ("digests/2026-06-02/posts-1.html", "digests/2026-06-02/posts-2.html"):
        site.put(old, b"<p>every post</p>", "text/html; charset=utf-8")
    # When the day is rendered again
    keys = website.publish_day(day, OPTIONS, site)
    # Then each old address still answers, with the digests' headers
    first, second = (site.objects[f"digests/2026-06-02/posts-{k}.html"].decode() for k in (1, 2))
    assert {"digests/2026-06-02/posts-1.html", "digests/2026-06-02/posts-2.html"} <= set(keys)
    assert site.headers["digests/2026-06-02/posts-2.html"] == ("text/html; charset=utf-8", "public, max-age=3600")
    # And each paper's old anchor there links its page's posts, from where the old page is served
    for rank in range(1, 26):
        page = first if rank <= 20 else second
        pid = f"2606.02{rank - 1:03d}"
        assert (
            f'<li id="paper-{rank}"><a href="../../papers/{pid}.html#posts">#{rank} Paper {rank - 1}: all 5 posts</a>'
            in page
        )
    assert 'id="paper-21"' not in first
    # And the page is small: a list of links, not the cards
    assert len(second) < 3000
    assert "Post " not in first


def test_the_sitemap_lists_the_days_digest_and_paper_pages_through_a_sitemap_per_month() -> None:
    # Given a day of May and two of June published
    site = MemoryStore()
    website.publish_day(scored("2026-05-29", "May paper"), OPTIONS, site)
    website.publish_day(scored("2026-06-01", "First of June"), OPTIONS, site)
    site.writes.clear()
    # When another June day is rendered
    website.publish_day(scored("2026-06-02", "Paper A", "Paper B"), OPTIONS, site)
    # Then sitemap.xml is an index of every month's sitemap
    index = site.objects["sitemap.xml"].decode()
    assert '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' in index
    assert re.findall(r"<loc>([^<]+)</loc>", index) == ["sitemaps/2026-06.xml", "sitemaps/2026-05.xml"]
    # And June's lists each June digest and its papers' pages, with their day's counts time
    june = site.objects["sitemaps/2026-06.xml"].decode()
    assert re.findall(r"<loc>([^<]+)</loc><lastmod>([^<]+)</lastmod>", june) == [
        ("../digests/2026-06-01.html", "2026-06-01T07:46:45Z"),
        ("../papers/2606.01000.html", "2026-06-01T07:46:45Z"),
        ("../digests/2026-06-02.html", "2026-06-02T07:46:45Z"),
        ("../papers/2606.02000.html", "2026-06-02T07:46:45Z"),
        ("../papers/2606.02001.html", "2026-06-02T07:46:45Z"),
    ]
    # And only the rendered day's month's sitemap and the index were written
    assert sorted(key for key in set(site.writes) if "sitemap" in key) == ["sitemap.xml", "sitemaps/2026-06.xml"]
    assert site.headers["sitemap.xml"][0] == "application/xml; charset=utf-8"
    # And with the site's URL every address is absolute, as crawlers need
    options = website.SiteOptions(site_url="https://papers.example", sources=("x",), categories=("cs.*",))
    website.publish_day(scored("2026-06-02", "Paper A", "Paper B"), options, site)
    assert "<loc>https://papers.example/sitemaps/2026-06.xml</loc>" in site.objects["sitemap.xml"].decode()
    assert "<loc>https://papers.example/papers/2606.02001.html</loc>" in site.objects["sitemaps/2026-06.xml"].decode()


def test_rendering_again_gives_byte_identical_files_and_writes_no_asset_twice() -> None:
    # Given a published day
    site = MemoryStore()
    day = scored("2026-06-02", "Paper A")
    website.publish_day(day, OPTIONS, site)
    before = dict(site.objects)
    site.writes.clear()
    # When it is rendered again
    website.publish_day(day, OPTIONS, site)
    # Then every file is byte for byte the same, and the assets were not written again
    assert site.objects == before
    assert not [key for key in site.writes if key.startswith("assets/")]


def test_a_day_updates_its_neighbours_and_only_the_pages_it_appears_on() -> None:
    # Given three published days, two weeks apart at the ends
    site = MemoryStore()
    for day in ("2026-05-20", "2026-06-01"):
        website.publish_day(
            scored(day, f"Paper of {day}", categories=("math.AG",) if day < "2026-06" else ("cs.LG",)), OPTIONS, site
        )
    site.writes.clear()
    # When a day between them is rendered
    website.publish_day(scored("2026-05-25", "Paper of 2026-05-25", categories=("cs.CL",)), OPTIONS, site)
    # Then its page links both neighbours, and both neighbours now link it
    page = site.objects["digests/2026-05-25.html"].decode()
    assert 'rel="prev" href="2026-05-20.html"' in page
    assert 'rel="next" href="2026-06-01.html"' in page
    assert 'rel="next" href="2026-05-25.html"' in site.objects["digests/2026-05-20.html"].decode()
    # And it links the best of its week and month
    assert '<a href="../top/2026-W22.html">the week</a>, <a href="../top/2026-05.html">the month</a>' in page
    assert 'rel="prev" href="2026-05-25.html"' in site.objects["digests/2026-06-01.html"].decode()
    # And nothing of another day's week, month or categories was written
    written = set(site.writes)
    assert "top/2026-W21.html" not in written
    assert "top/2026-06.html" not in written
    assert "categories/math.AG.html" not in written
    assert "categories/cs.LG.html" not in written
    assert "digests/2026-05-20.md" not in written
    assert {"top/2026-W22.html", "top/2026-05.html", "categories/cs.CL.html", "index.html"} <= written


def test_the_index_shows_the_latest_top_ten_an_archive_by_month_and_the_next_digest() -> None:
    # Given two days, the latest a Friday with twelve papers
    site = MemoryStore()
    website.publish_day(scored("2026-05-29", "Old paper"), OPTIONS, site)
    website.publish_day(scored("2026-06-05", *(f"Paper {n}" for n in range(12))), OPTIONS, site)
    # When the index is read
    index = site.objects["index.html"].decode()
    # Then it shows the latest day's first ten papers only
    assert "Paper 9" in index
    assert "Paper 10" not in index
    # And each month with each day's paper count
    assert '<a href="top/2026-06.html">June 2026</a>' in index
    assert '<a href="digests/2026-05-29.html">May 29, 2026</a><span class="muted">1 paper</span>' in index
    assert "12 papers" in index
    # And, as arXiv does not announce on Friday or Saturday evenings, the next digest is Monday's
    assert 'The next digest is expected for <span class="nowrap">June 8, 2026</span>' in index


def test_top_and_category_pages_rank_papers_of_their_days() -> None:
    # Given two days of one week
    site = MemoryStore()
    website.publish_day(scored("2026-06-02", "Quiet", "Quieter"), OPTIONS, site)
    website.publish_day(scored("2026-06-03", "Loud"), OPTIONS, site)
    # Then the week page ranks all three by score, and the category page lists them all
    week = site.objects["top/2026-W23.html"].decode()
    assert week.index("Loud") < week.index("Quieter")
    assert all(title in site.objects["categories/cs.LG.html"].decode() for title in ("Loud", "Quiet", "Quieter"))


def test_about_explains_the_active_formula_and_thresholds() -> None:
    # Given a day scored with X weighted 2 and a score threshold of 70
    day = scored("2026-06-02", "Paper")
    day["rules"].update(min_score=70, weights={"x": 2.0})
    site = MemoryStore()
    website.publish_day(day, website.SiteOptions(sources=("x", "hackernews"), categories=("cs.*",)), site)
    # Then the about page says so in words
    about = site.objects["about.html"].decode()
    assert "<strong>X</strong>: reposts + likes, weight 2." in about
    assert "<strong>Hacker News</strong>: points + comments, weight 1." in about
    assert (
        "<strong>GitHub</strong>: new stars + stars; shown, not scored (not read by this site at the moment)." in about
    )
    assert "A paper is listed when its score reaches <strong>70</strong>" in about


def test_about_states_the_rules_in_force_whichever_day_is_rendered() -> None:
    # Given a day scored under a threshold of 50, and settings that now ask for 200
    data, site = MemoryStore(), MemoryStore()
    data.put("scored/2026-06-02.json", json.dumps(scored("2026-06-02", "Paper")).encode())
    settings = load_settings({"HOTPAPERS_MIN_SCORE": "200", "HOTPAPERS_SOURCES": "x"})
    # When that day is rendered again
    render_day("scored/2026-06-02.json", settings, data, site)
    # Then the about page states the threshold in force, not the day's
    assert "A paper is listed when its score reaches <strong>200</strong>" in site.objects["about.html"].decode()


@pytest.mark.parametrize("site_url", ["", "https://papers.example"])
def test_every_feed_entry_links_its_digest_with_or_without_a_site_url(site_url: str) -> None:
    # Given two published days, with or without a site URL
    site = MemoryStore()
    options = website.SiteOptions(site_url=site_url)
    website.publish_day(scored("2026-06-02", "A <b>bold</b> & title"), options, site)
    website.publish_day(scored("2026-06-03", "Another"), options, site)
    # When every Atom feed is parsed back, as a reader fetching it from the site would
    for key in ("feed.xml", "feeds/cs.LG.xml"):
        location = f"{site_url or 'http://localhost:8000'}/{key}"
        headers = {"content-location": location, "content-type": "application/atom+xml"}
        parsed = feedparser.parse(site.objects[key], response_headers=headers)
        # Then it is well formed, with absolute ids, and links itself and its page
        assert not parsed.bozo, (key, parsed.get("bozo_exception"))
        assert parsed.feed.id.startswith("tag:")
        page = "index.html" if key == "feed.xml" else "categories/cs.LG.html"
        root = site_url or "http://localhost:8000"
        assert {(link.rel, link.href) for link in parsed.feed.links} == {
            ("alternate", f"{root}/{page}"),
            ("self", f"{root}/{key}"),
        }
        # And every entry links its digest, on the site
        assert parsed.entries
        for entry in parsed.entries:
            assert entry.id.startswith(("tag:hotpapers,2026:site/", "tag:papers.example,2026:"))
            assert entry.link.startswith(f"{root}/digests/2026-06-0"), (key, entry.link)
    assert feedparser.parse(site.objects["feeds/cs.LG.xml"]).entries[-1].title == "A <b>bold</b> & title"
    # And the JSON Feed has version 1.1's required fields, and links the site and each digest
    feed = json.loads(site.objects["feed.json"])
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"]
    prefix = f"{site_url}/" if site_url else ""
    assert (feed["home_page_url"], feed["feed_url"]) == (f"{prefix}index.html", f"{prefix}feed.json")
    for item in feed["items"]:
        assert isinstance(item["id"], str)
        assert item["id"].startswith("tag:")
        assert item.get("content_html") or item.get("content_text")
        assert item["url"] in (f"{prefix}digests/2026-06-02.html", f"{prefix}digests/2026-06-03.html")


def test_deployments_without_a_site_url_do_not_share_feed_ids() -> None:
    # Given the same day published by two deployments without a site URL, in two buckets
    ids = []
    for bucket in ("hotpapers-site-a1", "hotpapers-site-b2"):
        site = MemoryStore()
        site.bucket = bucket
        website.publish_day(scored("2026-06-02", "Paper"), website.SiteOptions(), site)
        ids.append({entry.id for entry in feedparser.parse(site.objects["feed.xml"]).entries})
    # Then their entries' ids differ, each stable under its site's name
    assert ids[0] == {"tag:hotpapers,2026:hotpapers-site-a1/digest/2026-06-02"}
    assert ids[1] == {"tag:hotpapers,2026:hotpapers-site-b2/digest/2026-06-02"}


def test_feeds_show_math_as_readable_text() -> None:
    # Given a paper whose title has math
    site = MemoryStore()
    website.publish_day(
        scored("2026-06-02", r"Sampling in $\mathcal{O}(n^2)$ for $256\times256$ images"), OPTIONS, site
    )
    # Then its title reads as text in every feed, no TeX left
    title = "Sampling in 𝒪(n^2) for 256×256 images"
    assert feedparser.parse(site.objects["feeds/cs.LG.xml"]).entries[0].title == title
    assert title in feedparser.parse(site.objects["feed.xml"]).entries[0].content[0].value
    assert title in json.loads(site.objects["feed.json"])["items"][0]["content_html"]
    for key in ("feed.xml", "feeds/cs.LG.xml", "feed.json"):
        assert b"\\times" not in site.objects[key], key


def test_every_page_links_its_feeds_for_autodiscovery() -> None:
    site = MemoryStore()
    website.publish_day(scored("2026-06-02", "Paper"), OPTIONS, site)
    for key in [key for key in site.objects if key.endswith(".html")]:
        assert b'rel="alternate" type="application/atom+xml"' in site.objects[key]
        assert b'rel="alternate" type="application/feed+json"' in site.objects[key]
    assert b'href="../feeds/cs.LG.xml"' in site.objects["categories/cs.LG.html"]


def test_next_digest_skips_weekends_and_holidays() -> None:
    from hotpapers.website.archive import next_expected

    assert next_expected("2026-06-04", frozenset()) == "2026-06-05"
    assert next_expected("2026-06-05", frozenset()) == "2026-06-08"
    assert next_expected("2026-06-05", frozenset({date(2026, 6, 8)})) == "2026-06-09"


def test_two_days_rendered_at_once_both_stay_in_the_index_over_100_trials() -> None:
    for trial in range(100):
        # Given a site with one day, and a store whose calls interleave between threads
        site = InterleavingStore(seed=trial)
        website.publish_day(scored("2026-06-01", "First"), OPTIONS, site)
        days = [scored("2026-06-02", "Second"), scored("2026-06-03", "Third")]
        start = threading.Barrier(2)
        errors: list[BaseException] = []

        def publish_one(
            day: dict[str, Any],
            site: InterleavingStore = site,
            start: threading.Barrier = start,
            errors: list[BaseException] = errors,
        ) -> None:
            start.wait()
            try:
                website.publish_day(day, OPTIONS, site)
            except BaseException as exc:  # the test reports it below
                errors.append(exc)

        # When two days are rendered at the same moment
        threads = [threading.Thread(target=publish_one, args=(day,)) for day in days]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # Then both days are in the index, the feeds and each other's links
        assert not errors
        index = site.objects["index.html"].decode()
        assert "digests/2026-06-02.html" in index, trial
        assert "digests/2026-06-03.html" in index, trial
        assert len(json.loads(site.objects["feed.json"])["items"]) == 3, trial
        assert 'rel="next" href="2026-06-03.html"' in site.objects["digests/2026-06-02.html"].decode(), trial


def test_every_page_listing_a_title_with_math_shows_it_as_mathml_and_loads_no_script() -> None:
    # Given a day whose first paper's title has math
    site = MemoryStore()
    day = scored("2026-06-02", "Bounds for $x^2$", "Plain")
    # When it is published
    website.publish_day(day, OPTIONS, site)
    # Then every page listing it shows the math as MathML, typeset when the site was built
    mathml = b"Bounds for <math"
    pages = ("index.html", "top/2026-06.html", "categories/cs.LG.html", "digests/2026-06-02.html")
    for key in (*pages, "papers/2606.02000.html"):
        assert mathml in site.objects[key], key
    # And no page of the site loads a script but the search page, which runs the reader's search;
    # the assets are the package's
    assert [key for key, body in site.objects.items() if key.endswith(".html") and b"<script" in body] == [
        "search.html"
    ]
    assert sorted(key for key in site.objects if key.startswith("assets/")) == sorted(assets().files)


def test_the_sites_settings_reach_every_page_the_day_touches() -> None:
    # Given a site with a URL, official embeds on, and a holiday on the Monday after a Friday
    site = MemoryStore()
    options = website.SiteOptions(
        site_url="https://papers.example", embeds=True, holidays=frozenset({date(2026, 6, 8)}), categories=("cs.*",)
    )
    website.publish_day(scored("2026-06-04", "Thursday paper"), options, site)
    # When the Friday is published
    website.publish_day(scored("2026-06-05", "Friday paper"), options, site)
    # Then its page and its neighbour's (rebuilt) show the posts as X's official embeds
    for day in ("2026-06-04", "2026-06-05"):
        assert b"https://platform.twitter.com/widgets.js" in site.objects[f"digests/{day}.html"], day
    # And the about page says embeds are on
    assert b"except the official embeds of posts" in site.objects["about.html"]
    # And the index expects the next digest after the holiday
    assert 'expected for <span class="nowrap">June 9, 2026</span>' in site.objects["index.html"].decode()
    # And the category feed names itself and its entries by the site's address
    category = feedparser.parse(site.objects["feeds/cs.LG.xml"])
    assert category.feed.id == "tag:papers.example,2026:category/cs.LG"
    assert (category.feed.title, category.feed.updated) == ("Hot Papers: cs.LG", "2026-06-05T07:46:45Z")
    assert "on June 5, 2026 (A. Author).</p>" in category.entries[0].content[0].value
    assert {link.href for link in category.feed.links} == {
        "https://papers.example/categories/cs.LG.html",
        "https://papers.example/feeds/cs.LG.xml",
    }
    assert [entry.id for entry in category.entries] == [
        "tag:papers.example,2026:paper/2606.05000/2026-06-05",
        "tag:papers.example,2026:paper/2606.04000/2026-06-04",
    ]


class RivalStore(MemoryStore):
    """A store where another render writes its days' files each time this one writes the index,
    as a render running at the same moment may, between this one's listing and its writes."""

    def __init__(self, rivals: list[dict[str, Any]]) -> None:
        super().__init__()
        self.rivals = rivals

    def put(self, key: str, body: bytes, content_type: str | None = None, cache_control: str | None = None) -> None:
        super().put(key, body, content_type, cache_control)
        if key == "index.html" and self.rivals:
            rival = self.rivals.pop(0)
            super().put(f"digests/{rival['date']}.json", json_bytes(rival))
            super().put(f"archive/months/{rival['date'][:7]}.json", json_bytes({"month": rival["date"][:7]}))
            super().put(f"archive/{rival['date']}.json", json_bytes(website.summary(rival)))


def test_a_day_written_by_another_render_meanwhile_is_added_to_the_shared_pages(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given another render writing the next day just after this one first writes the index
    site = RivalStore([scored("2026-06-03", "Rival paper")])
    # When a day is published
    keys = website.publish_day(scored("2026-06-02", "Own paper"), OPTIONS, site)
    # Then the shared pages were built again and now show both days
    index = site.objects["index.html"].decode()
    assert "digests/2026-06-02.html" in index
    assert "digests/2026-06-03.html" in index
    assert 'rel="next" href="2026-06-03.html"' in site.objects["digests/2026-06-02.html"].decode()
    assert len(json.loads(site.objects["feed.json"])["items"]) == 2
    # And the log says which pages changed under the render, then that the site is published
    [changed] = [record for record in caplog.records if record.getMessage() == "shared pages changed under this render"]
    assert vars(changed)["date"] == "2026-06-02"
    assert {"index.html", "feed.json", "digests/2026-06-03.html"} <= set(vars(changed)["keys"])
    [published] = [record for record in caplog.records if record.getMessage() == "site published"]
    assert (vars(published)["date"], vars(published)["keys"]) == ("2026-06-02", len(keys))


def test_shared_pages_that_never_settle_fail_the_render() -> None:
    # Given other renders that write a new day every time this one writes the index
    rivals = [scored(f"2026-05-{n:02d}", f"Rival {n}") for n in range(1, 31)]
    site = RivalStore(rivals)
    # When a day is published / Then it gives up after its rounds, saying so
    with pytest.raises(website.publish.RenderConflictError, match="did not settle in 25 rounds"):
        website.publish_day(scored("2026-06-02", "Own paper"), OPTIONS, site)
    assert len(rivals) == 30 - 1 - website.publish.SETTLE_ROUNDS


def test_ranked_pages_name_three_authors_then_et_al() -> None:
    # Given a day with a four-author paper and a three-author one
    day = scored("2026-06-02", "Four authors", "Three authors")
    day["papers"][0]["paper"]["authors"] = ["Ann One", "Bob Two", "Cy Three", "Dee Four"]
    day["papers"][1]["paper"]["authors"] = ["Eve One", "Fay Two", "Gus Three"]
    site = MemoryStore()
    # When it is published
    website.publish_day(day, OPTIONS, site)
    # Then the week's and the category's pages name the first three, and "et al." only for more
    for key in ("top/2026-W23.html", "categories/cs.LG.html"):
        page = site.objects[key].decode()
        assert "Ann One, Bob Two, Cy Three, et al." in page, key
        assert "Dee Four" not in page, key
        assert "Eve One, Fay Two, Gus Three<" in page, key


def test_an_empty_site_has_an_index_that_says_so() -> None:
    # Given no published day
    chrome = website.Chrome(stylesheet="assets/site.0123456789.css")
    # When the index is built
    index = archive.index(archive.Archive(days=()), chrome)
    # Then it says no digest is out yet, and links its stylesheet from the site's root
    assert "No digest has been published yet." in index
    assert 'href="assets/site.0123456789.css"' in index


def heading(page: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page, flags=re.DOTALL)
    assert found, page
    return found[1].strip()


def test_ranked_pages_say_what_they_rank_and_only_category_pages_offer_a_feed() -> None:
    # Given a day of the week before, and two days of one week in two categories
    site = MemoryStore()
    website.publish_day(scored("2026-05-29", "Older paper"), OPTIONS, site)
    website.publish_day(scored("2026-06-02", "Learning paper"), OPTIONS, site)
    website.publish_day(scored("2026-06-03", "Language paper", categories=("cs.CL",)), OPTIONS, site)
    # Then a category page names its category, lists its papers only and offers its feed
    category = site.objects["categories/cs.CL.html"].decode()
    assert heading(category) == "Hot papers in cs.CL"
    assert "Papers listed in cs.CL in 3 digests (May 29, 2026 to June 3, 2026)." in category
    assert "Language paper" in category
    assert "Learning paper" not in category
    assert "../feeds/cs.CL.xml" in category
    assert "Atom feed of cs.CL" in category
    # And the week's and the month's pages name their period and count their days, with no feed
    week, month = (site.objects[key].decode() for key in ("top/2026-W23.html", "top/2026-06.html"))
    assert heading(week) == "Top papers of week 23 of 2026"
    assert heading(month) == "Top papers of June 2026"
    assert "The highest scores of 2 digest days." in week
    assert "The highest scores of 1 digest day." in site.objects["top/2026-W22.html"].decode()
    assert "feeds/" not in week
    assert "feeds/" not in month


def test_about_counts_the_ignored_accounts_and_states_the_cap() -> None:
    # Given rules ignoring two accounts, or one, with a cap of 100 per account
    for ignored, said in (
        ([["x", "bot1"], ["x", "bot2"]], "2 accounts known to be automated do not count at all"),
        ([["x", "bot1"]], "1 account known to be automated does not count at all"),
    ):
        day = scored("2026-06-02", "Paper")
        day["rules"].update(ignored_accounts=ignored, account_cap=100)
        site = MemoryStore()
        # When the day is published
        website.publish_day(day, OPTIONS, site)
        # Then the about page says so, and links the stylesheet from the site's root
        about = site.objects["about.html"].decode()
        assert said in about
        assert "One account's posts add at most 100 to a paper's score." in about
        assert re.search(r'href="assets/site\.[0-9a-f]{10}\.css"', about)
        assert "except the official embeds" not in about


def test_the_site_feeds_give_each_day_its_entry_with_its_papers() -> None:
    # Given a site with an address, a day with a paper whose title holds markup, and a day without
    site = MemoryStore()
    options = website.SiteOptions(site_url="https://papers.example")
    paper_day = scored("2026-06-02", "A <b>bold</b> & title")
    website.publish_day(paper_day, options, site)
    website.publish_day(scored("2026-06-03"), options, site)
    score = website.words.number(paper_day["papers"][0]["score"])
    # When the Atom feed is read
    atom = feedparser.parse(site.objects["feed.xml"])
    # Then it names itself by the site's address, updated with its newest day
    assert (atom.feed.title, atom.feed.id, atom.feed.updated) == (
        "Hot Papers",
        "tag:papers.example,2026:feed",
        "2026-06-03T07:46:45Z",
    )
    assert {(link.rel, link.href) for link in atom.feed.links} == {
        ("alternate", "https://papers.example/index.html"),
        ("self", "https://papers.example/feed.xml"),
    }
    # And each day is an entry, newest first, listing its papers or saying there were none
    assert [(entry.id, entry.title, entry.link, entry.updated) for entry in atom.entries] == [
        ("tag:papers.example,2026:digest/2026-06-03", "Hot Papers June 3, 2026: 0 papers",
         "https://papers.example/digests/2026-06-03.html", "2026-06-03T07:46:45Z"),
        ("tag:papers.example,2026:digest/2026-06-02", "Hot Papers June 2, 2026: 1 paper",
         "https://papers.example/digests/2026-06-02.html", "2026-06-02T07:46:45Z"),
    ]  # fmt: skip
    empty = "<p>No paper reached the attention threshold.</p>"
    listed = (
        '<ol><li><a href="https://arxiv.org/abs/2606.02000">A &lt;b&gt;bold&lt;/b&gt; &amp; title</a>'
        f" ({score})</li></ol>"
    )
    assert [entry.content[0].value for entry in atom.entries] == [empty, listed]
    # And the JSON Feed says the same, with the site's pages
    feed = json.loads(site.objects["feed.json"])
    assert feed == {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Hot Papers",
        "home_page_url": "https://papers.example/index.html",
        "feed_url": "https://papers.example/feed.json",
        "items": [
            {
                "id": entry.id,
                "url": entry.link,
                "title": entry.title,
                "date_published": entry.updated,
                "content_html": html,
            }
            for entry, html in zip(atom.entries, [empty, listed], strict=True)
        ],
    }


def test_feeds_of_an_empty_archive_have_no_entry_and_the_epoch_as_their_date() -> None:
    atom, json_feed = archive.feeds(archive.Archive(days=()), archive.FeedPlace())
    parsed = feedparser.parse(atom)
    assert (parsed.feed.updated, parsed.entries) == ("1970-01-01T00:00:00Z", [])
    assert json.loads(json_feed) == {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Hot Papers",
        "home_page_url": "index.html",
        "feed_url": "feed.json",
        "items": [],
    }


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
OTHER_DATE_STYLES = re.compile(r"\b\d\d/\d\d/\d{4}\b|\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}\b")
PROSE_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}\b"
)


def visible(page: bytes) -> str:
    """What a reader sees of a page: its text, without tags, attributes or scripts."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page.decode()))


def every_source_day() -> dict[str, Any]:
    return score_snapshot(snapshot(), Rules(ignored_accounts=frozenset({("bluesky", BOT)})))


def test_every_figure_of_every_source_is_shown_in_reader_words() -> None:
    # Given the day fetched from every source, and every figure its posts and counts carry
    day = every_source_day()
    metrics = {metric for entry in day["papers"] for post in entry["posts"] for metric in post["metrics"]}
    metrics |= {metric for entry in day["papers"] for counts in entry["counts"].values() for metric in counts}
    assert {"retweets", "likes", "points", "comments", "reposts", "quotes", "replies", "score", "upvotes"} <= metrics
    assert {"github_stars", "stars", "stars_total"} <= metrics
    # Then each reads as words, in the singular and the plural, never as a field name
    for metric in metrics:
        for value in (1, 2):
            said = words.figure(value, metric)
            assert "_" not in said, said
            assert re.fullmatch(r"\d+ [A-Za-z][A-Za-z ]*", said), said
    # And the pages show no field name
    site = MemoryStore()
    website.publish_day(day, OPTIONS, site)
    for key, body in site.objects.items():
        if key.endswith(".html"):
            assert not re.search(r"\d [a-z]+_[a-z]+", visible(body)), key


def test_every_page_writes_dates_one_way_and_times_another() -> None:
    # Given four published days, one with a busy paper
    site = MemoryStore()
    for day in ("2026-06-01", "2026-06-02", "2026-06-03"):
        website.publish_day(scored(day, f"Paper of {day[-2:]}"), OPTIONS, site)
    busy = scored("2026-06-04", "Busy")
    busy["papers"][0]["posts"] = [{**busy["papers"][0]["posts"][0], "id": f"b-{n}"} for n in range(5)]
    website.publish_day(busy, OPTIONS, site)
    # Then no page shows a date in another style than "June 2, 2026"
    pages = {key: visible(body) for key, body in site.objects.items() if key.endswith(".html")}
    assert "papers/2606.04000.html" in pages
    for key, seen in pages.items():
        assert not ISO_DATE.search(seen), (key, ISO_DATE.search(seen))
        assert not OTHER_DATE_STYLES.search(seen), (key, OTHER_DATE_STYLES.search(seen))
    assert PROSE_DATE.search(pages["digests/2026-06-02.html"])
    # And a moment is that date with its UTC time
    assert "counts as of June 2, 2026, 07:46 UTC" in pages["digests/2026-06-02.html"]


def test_a_digest_has_its_day_navigation_at_the_end_too() -> None:
    # Given three published days
    site = MemoryStore()
    for day in ("2026-06-01", "2026-06-02", "2026-06-03"):
        website.publish_day(scored(day, f"Paper of {day[-2:]}"), OPTIONS, site)
    page = site.objects["digests/2026-06-02.html"].decode()
    # Then after the last paper the reader can go to the day before and the day after
    end = page[page.rindex('class="paper"') :]
    assert re.search(r'<nav class="daynav" aria-label="[^"]+">\s*<a href="2026-06-01.html">', end)
    assert '<a href="2026-06-03.html"><span class="nowrap">June 3, 2026</span> →</a>' in end
    # And the two navigations are told apart
    labels = re.findall(r'<nav class="daynav" aria-label="([^"]+)"', page)
    assert len(labels) == len(set(labels)) == 2


def test_a_category_page_says_which_digests_it_covers() -> None:
    # Given three published days
    site = MemoryStore()
    for day in ("2026-06-01", "2026-06-02", "2026-06-03"):
        website.publish_day(scored(day, f"Paper of {day[-2:]}"), OPTIONS, site)
    # Then the category page covers those three, not "the last 30"
    page = visible(site.objects["categories/cs.LG.html"])
    assert "Papers listed in cs.LG in 3 digests (June 1, 2026 to June 3, 2026)." in page
    assert "30" not in page
    # And with more days than it shows, it says which 30 it shows
    for n in range(4, 32):
        day = f"2026-07-{n:02d}" if n <= 31 else ""
        website.publish_day(scored(day, f"Paper {n}"), OPTIONS, site)
    page = visible(site.objects["categories/cs.LG.html"])
    assert "Papers listed in cs.LG in 30 digests (June 2, 2026 to July 31, 2026)." in page


def test_a_category_page_is_the_same_whatever_days_without_it_were_rendered_since() -> None:
    # Given a day listing cs.CL, published before and after a later day that lists none of it
    early, later = scored("2026-06-01", "Language paper", categories=("cs.CL",)), scored("2026-06-02", "Other")
    site = MemoryStore()
    website.publish_day(early, OPTIONS, site)
    first = site.objects["categories/cs.CL.html"]
    website.publish_day(later, OPTIONS, site)
    # When the early day is rendered again (a rescore, or render --all)
    website.publish_day(early, OPTIONS, site)
    # Then its category page says the same of what it covers
    assert site.objects["categories/cs.CL.html"] == first
    assert "Papers listed in cs.CL in 1 digest (June 1, 2026)." in visible(first)


class _Links(HTMLParser):
    """Every page-relative ``href`` and ``src`` of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and not re.match(r"^([a-z]+:|//|#)", value):
                self.found.append(value.split("#")[0].split("?")[0])


def broken_links(root: Path) -> list[str]:
    """Each link of each page under ``root`` to a file that is not there, as ``page -> target``."""
    broken = []
    for page in sorted(root.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.found:
            if not (page.parent / link).resolve().is_file():
                broken.append(f"{page.relative_to(root)} -> {link}")
    return broken


def temporary_files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob(".*") if path.is_file())


class CountingLocalStore(LocalStore):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.writes = 0

    def put(self, key: str, body: bytes, content_type: str | None = None, cache_control: str | None = None) -> None:
        self.writes += 1
        super().put(key, body, content_type, cache_control)


def killed_at(write: int, day: dict[str, Any], site: Path) -> bool:
    """Render ``day`` into ``site`` in a child process killed (SIGKILL) at its ``write``-th write,
    its bytes in a temporary file, not yet in place; whether it was killed (else it finished)."""
    pid = os.fork()
    if pid == 0:  # the child: nothing of the test's machinery runs past here
        writes = itertools.count(1)
        rename = os.replace

        def replace(source: Any, target: Any) -> None:
            if next(writes) == write:
                os.kill(os.getpid(), signal.SIGKILL)
            rename(source, target)

        os.replace = replace
        try:
            website.publish_day(day, OPTIONS, LocalStore(site))
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status)


def test_a_render_killed_at_any_write_leaves_no_temporary_file_and_a_rerun_mends_every_link(tmp_path: Path) -> None:
    # Given a site with a day published, the next day's render to come, and what it publishes whole
    earlier, day = scored("2026-06-01", "Earlier paper"), scored("2026-06-02", "Paper A", categories=("cs.IR",))
    before = tmp_path / "before" / "site"
    website.publish_day(earlier, OPTIONS, LocalStore(before))
    whole = tmp_path / "whole" / "site"
    shutil.copytree(before, whole)
    counted = CountingLocalStore(whole)
    website.publish_day(day, OPTIONS, counted)
    data = LocalStore(tmp_path / "data")
    data.put("raw/2026-06-02/manifest.json", json.dumps({"fetched_at": day["fetched_at"]}).encode())
    data.put("scored/2026-06-02.json", json_bytes(day))
    kills = 0
    for write in itertools.count(1):
        # (each site in a folder of the same name: a feed's ids name it)
        site = tmp_path / f"run-{write}" / "site"
        shutil.copytree(before, site)
        # When the render is killed at that write
        if not killed_at(write, day, site):
            break
        kills += 1
        # Then no temporary file is in the published folder, and the day is not taken for done:
        # resuming renders it again
        assert temporary_files(site) == [], write
        assert lacking(data, LocalStore(site), date(2026, 6, 2)) == "scored/2026-06-02.json", write
        # When it is rendered again, once
        website.publish_day(day, OPTIONS, LocalStore(site))
        # Then every link resolves, no temporary file is left, and the site is the one never killed
        assert broken_links(site) == [], write
        assert temporary_files(site) == [], write
        assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == {
            p.relative_to(whole): p.read_bytes() for p in whole.rglob("*") if p.is_file()
        }, write
    # And every write of the render was a place it was killed
    assert kills == counted.writes > 10


@pytest.mark.parametrize(
    ("category", "paged"),
    [
        ("cs.LG", True),
        ("cond-mat.stat-mech", True),
        (f"{'a' * 32}.{'b' * 32}", True),
        ("a" * 33, False),
        ("a" * 260, False),
        (f"cs.{'b' * 33}", False),
    ],
)
def test_only_a_category_of_bounded_parts_gets_a_page_and_a_feed(category: str, paged: bool) -> None:
    # Given a day whose paper is in that category
    site = MemoryStore()
    # When it is published
    website.publish_day(scored("2026-06-02", "Paper A", categories=(category,)), OPTIONS, site)
    # Then the category has its page, its feed and the digest's link to it only when each part is
    # at most 32 letters: no file name comes near a file system's or S3's limits
    assert (f"categories/{category}.html" in site.objects) is paged
    assert (f"feeds/{category}.xml" in site.objects) is paged
    assert (f"../categories/{category}.html" in site.objects["digests/2026-06-02.html"].decode()) is paged
    assert "feed.xml" in site.objects


def test_a_page_whose_key_no_store_takes_fails_the_render_before_anything_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given stores that take no name segment longer than 50 bytes, and a day in cs.IR and in a
    # category whose page name is longer
    monkeypatch.setattr(store_module, "MAX_SEGMENT_BYTES", 50)
    longest = f"{'a' * 32}.{'b' * 32}"
    site = MemoryStore()
    # When it is published / Then the render fails on the key, and nothing at all was written
    with pytest.raises(UnsafeKeyError, match=f"categories/{longest}"):
        website.publish_day(scored("2026-06-02", "Paper A", categories=("cs.IR", longest)), OPTIONS, site)
    assert site.writes == []


def test_each_page_is_written_after_the_pages_it_links_and_the_days_json_digest_last() -> None:
    # Given a site with a day published
    site = MemoryStore()
    website.publish_day(scored("2026-06-01", "Earlier"), OPTIONS, site)
    site.writes.clear()
    # When the next day is published
    website.publish_day(scored("2026-06-02", "Paper A", "Paper B", categories=("cs.IR",)), OPTIONS, site)
    order = site.writes
    # Then its category feed comes before its category page, that before its digest page, the
    # digest page before the summary that lists the day for other renders, and that before the
    # shared pages; the JSON digest, the mark of a finished render, is the last write
    place = {key: order.index(key) for key in order}
    assert place["feeds/cs.IR.xml"] < place["categories/cs.IR.html"] < place["digests/2026-06-02.html"]
    assert place["digests/2026-06-02.md"] < place["digests/2026-06-02.html"]
    assert place["digests/2026-06-02.html"] < place["archive/2026-06-02.json"]
    for shared in ("index.html", "digests/2026-06-01.html", "top/2026-W23.html", "feed.xml", "feed.json"):
        assert place["archive/2026-06-02.json"] < place[shared] < place["digests/2026-06-02.json"], shared
    assert order[-1] == "digests/2026-06-02.json"
    assert len(order) == len(set(order))


class CountingStore(MemoryStore):
    """A store that counts its listings and reads, as S3 would bill them."""

    def __init__(self) -> None:
        super().__init__()
        self.lists = self.reads = 0

    def get(self, key: str) -> bytes:
        self.reads += 1
        return super().get(key)

    def versions(self, prefix: str) -> dict[str, str]:
        self.lists += 1
        return super().versions(prefix)


def archive_of(days: int, last: date) -> CountingStore:
    """A site that has published a digest on each of the ``days`` weekdays before ``last``, as
    renders leave them: each day's JSON digest, its summary and its month's mark."""
    site = CountingStore()
    template = scored("2026-01-05", "Paper A", "Paper B")
    day = last
    published = 0
    while published < days:
        day -= timedelta(days=1)
        if day.weekday() > 4:
            continue
        one = {**template, "date": day.isoformat(), "fetched_at": f"{day.isoformat()}T07:46:45Z"}
        site.objects[f"digests/{day.isoformat()}.json"] = json_bytes(one)
        site.objects[f"archive/months/{day.isoformat()[:7]}.json"] = json_bytes({"month": day.isoformat()[:7]})
        site.objects[f"archive/{day.isoformat()}.json"] = json_bytes(website.summary(one))
        published += 1
    return site


def test_rendering_a_day_reads_as_much_of_a_long_archive_as_of_a_short_one() -> None:
    # Given archives of 40 and 600 digest days before 2 June 2026 (past the window both)
    short, long = archive_of(40, date(2026, 6, 2)), archive_of(600, date(2026, 6, 2))
    # When the same new day is published into each
    for site in (short, long):
        site.lists = site.reads = 0
        website.publish_day(scored("2026-06-02", "Own paper"), OPTIONS, site)
    # Then each render listed and read the same number of objects, and wrote the same pages
    assert (long.lists, long.reads) == (short.lists, short.reads)
    assert long.reads <= 2 * (website.archive.WINDOW + 1) + 4
    # And the long archive's index names its older months as links to their top pages, not days
    index = long.objects["index.html"].decode()
    assert index.count('href="digests/') == short.objects["index.html"].decode().count('href="digests/')
    assert 'href="top/2024-06.html"' in index


class CountingReads(CountingStore):
    """A ``CountingStore`` that also counts the reads of each key."""

    def __init__(self) -> None:
        super().__init__()
        self.reads_of: dict[str, int] = {}

    def get(self, key: str) -> bytes:
        self.reads_of[key] = self.reads_of.get(key, 0) + 1
        return super().get(key)


def test_the_settle_round_reads_no_summary_again_that_no_one_rewrote() -> None:
    # Given an archive of 40 digest days
    site = CountingReads()
    site.objects.update(archive_of(40, date(2026, 6, 2)).objects)

    # When a new day is published (a build, its writes, and a settle round that finds nothing new)
    website.publish_day(scored("2026-06-02", "Own paper"), OPTIONS, site)

    # Then each summary it shows was read once, not once a round
    summaries = {key: n for key, n in site.reads_of.items() if key.startswith("archive/") and key.endswith(".json")}
    assert len(summaries) >= website.archive.WINDOW
    assert set(summaries.values()) == {1}


class RivalWrite(MemoryStore):
    """A site where, the moment this render writes its own summary, another render writes
    ``key`` (once): what a render running beside this one would write between its looks."""

    def __init__(self, own: str, key: str, body: bytes) -> None:
        super().__init__()
        self.own, self.rival = own, {key: body}

    def put(self, key: str, body: bytes, content_type: str | None = None, cache_control: str | None = None) -> None:
        super().put(key, body, content_type, cache_control)
        if key == f"archive/{self.own}.json":
            for theirs, their_body in self.rival.items():
                super().put(theirs, their_body)
            self.rival = {}


def test_a_summary_another_render_rewrites_during_this_one_is_read_again_and_shown() -> None:
    # Given a published day, and a render of the next day during which the first is rendered
    # again with a new title
    first = scored("2026-06-01", "Old title")
    renamed = website.summary(scored("2026-06-01", "New title"))
    site = RivalWrite("2026-06-02", "archive/2026-06-01.json", json_bytes(renamed))
    website.publish_day(first, OPTIONS, site)

    # When the next day is published
    website.publish_day(scored("2026-06-02", "Own paper"), OPTIONS, site)

    # Then its settle round saw the rewritten summary (its version changed): the month shows it
    month = site.objects["top/2026-06.html"].decode()
    assert "New title" in month
    assert "Old title" not in month


def test_a_neighbour_digest_replaced_during_this_render_is_what_its_page_shows() -> None:
    # Given a published day, whose JSON digest is replaced, with a later time, during the render
    # of the next day (the listing of summaries does not change)
    first = scored("2026-06-01", "Old title")
    site = RivalWrite(
        "2026-06-02", "digests/2026-06-01.json", json_bytes({**first, "fetched_at": "2026-06-01T23:59:00Z"})
    )
    website.publish_day(first, OPTIONS, site)

    # When the next day is published
    website.publish_day(scored("2026-06-02", "Own paper"), OPTIONS, site)

    # Then the neighbour's page, which this render rewrites to link it, is built from its new digest
    page = site.objects["digests/2026-06-01.html"].decode()
    assert "11:59" in page or "23:59" in page
    assert 'href="2026-06-02.html"' in page


def test_an_old_day_rendered_again_reads_its_month_and_week_and_links_its_neighbours() -> None:
    # Given a long archive, and a day in it two years back
    site = archive_of(600, date(2026, 6, 2))
    day = json.loads(site.objects["digests/2024-06-12.json"])
    # When that day is rendered again
    site.reads = 0
    website.publish_day(day, OPTIONS, site)
    # Then its month's top page has every digest of that month, its neighbours' links are right,
    # and the reads stayed bounded (the window, the month, the two neighbours' digests)
    month = site.objects["top/2024-06.html"].decode()
    assert "20 digest days" in month
    page = site.objects["digests/2024-06-12.html"].decode()
    assert 'rel="prev" href="2024-06-11.html"' in page
    assert 'rel="next" href="2024-06-13.html"' in page
    assert site.reads <= 2 * (website.archive.WINDOW + 23 + 1) + 4

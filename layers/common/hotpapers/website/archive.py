"""The pages built from many days: the index, category and top pages, the about page and the feeds.

They are built from the days' summaries (``archive/<D>.json``), never from the days' full data,
so rendering one day reads small files and writes only the pages that day appears on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import escape

from hotpapers import layout
from hotpapers.catalogue import CATALOGUE
from hotpapers.schedule import NoAnnouncementError, window_for
from hotpapers.website import text
from hotpapers.website.assets import assets
from hotpapers.website.digest import Chrome, week_key
from hotpapers.website.environment import CATEGORY, from_template
from hotpapers.website.words import count, metric_word, number, source_name

FEED_DAYS = 20
CATEGORY_DAYS = 30
CATEGORY_FEED_PAPERS = 50
TOP_PAPERS = 50
TAG_DATE = "2026"


# The newest digests every render reads, whatever day it renders: the index, the feeds and the
# category pages show them.
WINDOW = max(CATEGORY_DAYS, FEED_DAYS)


@dataclass(frozen=True)
class Archive:
    """The published days a render needs, newest first: the newest ``WINDOW`` digests and the
    days of the rendered day's week and month (their summaries, ``days``); the dates around it
    (``listed``, for the neighbours' links); and every month with a digest (``months``)."""

    days: tuple[dict[str, Any], ...]
    listed: tuple[str, ...] = ()
    """Dates published, newest first, at least two on each side of the rendered day where there
    are; empty: the dates of ``days``."""
    months: tuple[str, ...] = ()
    """Every month with a digest (``YYYY-MM``), newest first; empty: the months of ``days``."""

    def dates(self) -> list[str]:
        return list(self.listed) or [summary["date"] for summary in self.days]

    def newest(self) -> tuple[dict[str, Any], ...]:
        """The newest ``WINDOW`` digests' summaries."""
        return self.days[:WINDOW]

    def neighbours(self, day: str) -> tuple[str | None, str | None]:
        """The published days just before and just after ``day``."""
        older = [d for d in self.dates() if d < day]
        newer = [d for d in self.dates() if d > day]
        return (older[0] if older else None, newer[-1] if newer else None)


def categories(summary: dict[str, Any]) -> list[str]:
    """The day's categories that may name a page."""
    return sorted({c for paper in summary["papers"] for c in paper["categories"] if CATEGORY.match(c)})


def next_expected(latest: str, holidays: frozenset[date]) -> str:
    """The first digest date after ``latest`` on which arXiv announces."""
    candidate = date.fromisoformat(latest)
    for _ in range(14):
        candidate += timedelta(days=1)
        try:
            window_for(candidate, holidays)
        except NoAnnouncementError:
            continue
        return candidate.isoformat()
    raise NoAnnouncementError(candidate, "no announcement within two weeks")


def index(archive: Archive, chrome: Chrome, holidays: frozenset[date] = frozenset()) -> str:
    """The front page: the latest digest's top ten, the newest digests by month with their paper
    counts, and every earlier month as a link to its top page (so the page, and what a render
    reads to build it, stays the same size however long the archive grows)."""
    months: dict[str, list[dict[str, Any]]] = {}
    for summary in archive.newest():
        months.setdefault(summary["date"][:7], []).append(summary)
    earlier = [month for month in archive.months if month not in months and month < min(months, default="")]
    latest = archive.days[0] if archive.days else None
    return from_template(
        "index.html.j2",
        root="",
        chrome=chrome,
        latest=latest,
        expected=next_expected(latest["date"], holidays) if latest else None,
        months=[(_month(key), summaries) for key, summaries in months.items()],
        earlier=[_month(key) for key in earlier],
    )


def _month(key: str) -> dict[str, str]:
    return {"key": key, "label": f"{date.fromisoformat(key + '-01'):%B %Y}"}


def _ranked(summaries: Iterable[dict[str, Any]], keep: Any = lambda paper: True) -> list[dict[str, Any]]:
    rows = [
        {"date": summary["date"], "paper": paper} for summary in summaries for paper in summary["papers"] if keep(paper)
    ]
    rows.sort(key=lambda row: (-row["paper"]["score"], row["date"], row["paper"]["id"]))
    return rows


def _ranked_page(chrome: Chrome, heading: str, intro: str, rows: list[dict[str, Any]], category: str | None) -> str:
    """A table of papers, highest score first: the one shape of category and top pages."""
    return from_template(
        "ranked.html.j2",
        root="../",
        chrome=chrome,
        heading=heading,
        intro=intro,
        rows=rows,
        category=category,
        feed=layout.category_feed(category) if category else None,
    )


def category_page(archive: Archive, category: str, chrome: Chrome) -> str:
    """The best papers of a category over the newest digests: the ``TOP_PAPERS`` highest, like
    a top page, so that a busy category's page (and its render) is as long in a big archive
    as in a small one."""
    summaries = archive.newest()[:CATEGORY_DAYS]
    rows = _ranked(summaries, lambda paper: category in paper["categories"])[:TOP_PAPERS]
    return _ranked_page(chrome, f"Hot papers in {category}", _coverage(category, summaries), rows, category)


def _coverage(category: str, summaries: tuple[dict[str, Any], ...]) -> str:
    """What a category page covers: its digests up to the newest that lists the category.

    Newer digests that list none of its papers leave the page unwritten, so what it says of its
    span must not depend on them: the same summaries give the same page whatever was rendered since."""
    listing = [
        index for index, summary in enumerate(summaries) if any(category in p["categories"] for p in summary["papers"])
    ]
    covered = summaries[listing[0] :] if listing else summaries
    newest, oldest = text.long_date(covered[0]["date"]), text.long_date(covered[-1]["date"])
    span = newest if newest == oldest else f"{oldest} to {newest}"
    return f"Papers listed in {category} in {count(len(covered), 'digest')} ({span})."


def _period_days(archive: Archive, period: str) -> list[dict[str, Any]]:
    """The summaries of an ISO week (``2026-W23``) or a month (``2026-06``)."""
    is_week = "-W" in period
    return [
        summary for summary in archive.days if (week_key(summary["date"]) if is_week else summary["date"][:7]) == period
    ]


def top_title(period: str) -> str:
    """``Top papers of week 23 of 2026``, ``Top papers of June 2026``."""
    label = (
        f"week {int(period[-2:])} of {period[:4]}" if "-W" in period else f"{date.fromisoformat(period + '-01'):%B %Y}"
    )
    return f"Top papers of {label}"


def top_rows(archive: Archive, period: str) -> list[dict[str, Any]]:
    """The rows of a week's or a month's top page, best first: its ``TOP_PAPERS`` highest scores."""
    return _ranked(_period_days(archive, period))[:TOP_PAPERS]


def top_page(archive: Archive, period: str, chrome: Chrome) -> str:
    """The best papers of an ISO week (``2026-W23``) or a month (``2026-06``)."""
    intro = f"The highest scores of {count(len(_period_days(archive, period)), 'digest day')}."
    return _ranked_page(chrome, top_title(period), intro, top_rows(archive, period), None)


def search_page(chrome: Chrome) -> str:
    """The page that runs a search of every listed paper (``hotpapers.search``'s index) in the browser."""
    return from_template("search.html.j2", root="", chrome=chrome, script=assets().search_script)


def about(rules: dict[str, Any], active: Iterable[str], categories_read: Iterable[str], chrome: Chrome) -> str:
    """The page that explains the score, generated from the settings in force."""
    active = set(active)
    sources = []
    for name, source in CATALOGUE.items():
        scored = not source.paper_signal
        metrics = source.engagement or tuple(metric for metric, _ in source.counts)
        sources.append(
            {
                "name": source_name(name),
                "engagement": " + ".join(metric_word(metric) for metric in metrics),
                "weight": rules["weights"].get(name, 1.0) if scored else None,
                "active": name in active,
            }
        )
    return from_template(
        "about.html.j2",
        root="",
        chrome=chrome,
        sources=sources,
        categories=list(categories_read),
        ignored=len(rules["ignored_accounts"]),
        account_cap=rules["account_cap"],
        min_score=rules["min_score"],
        min_post_engagement=rules["min_post_engagement"],
        max_posts=rules["max_posts"],
        embeds=chrome.embeds,
    )


@dataclass(frozen=True)
class FeedPlace:
    """Where the feeds are read from: the site's URL, or without one the site's own name.

    Every link in a feed points into the site: absolute under the site's URL, otherwise relative to
    the feed's own location (a relative reference resolves against the document's URI, RFC 4287
    and RFC 3986), so a feed opened where the site is (a local folder, a bucket's website) links
    its pages. Ids are ``tag:`` URIs (RFC 4151) that stay the same if the site moves: under the
    site's host, or under ``hotpapers`` with the site's bucket (or folder) name, so that two
    deployments without a URL do not share ids.
    """

    site_url: str = ""
    site_name: str = ""

    def tag(self, specific: str) -> str:
        if self.site_url:
            return f"tag:{urlsplit(self.site_url).hostname},{TAG_DATE}:{specific}"
        return f"tag:hotpapers,{TAG_DATE}:{quote(self.site_name or 'site', safe='')}/{specific}"

    def link(self, key: str, feed_key: str) -> str:
        """Site key ``key`` as linked from the feed at ``feed_key``."""
        return f"{self.site_url}/{key}" if self.site_url else "../" * feed_key.count("/") + key


def _day_html(summary: dict[str, Any]) -> str:
    items = "".join(
        f'<li><a href="https://arxiv.org/abs/{escape(paper["id"])}">{escape(text.plain(paper["title"]))}</a>'
        f" ({number(paper['score'])})</li>"
        for paper in summary["papers"]
    )
    return f"<ol>{items}</ol>" if items else "<p>No paper reached the attention threshold.</p>"


def _updated(summaries: list[dict[str, Any]]) -> str:
    return max((summary["fetched_at"] for summary in summaries), default="1970-01-01T00:00:00Z")


def feeds(archive: Archive, place: FeedPlace, notice: str = "") -> tuple[str, str]:
    """The site's Atom feed and JSON Feed 1.1: one item per digest day, newest first, each linking
    its digest; ``notice`` (where the site's data came from) as their subtitle and description."""
    summaries = list(archive.newest()[:FEED_DAYS])
    entries = [
        {
            "id": place.tag(f"digest/{summary['date']}"),
            "title": f"Hot Papers {text.long_date(summary['date'])}: {count(len(summary['papers']), 'paper')}",
            "url": place.link(layout.digest_page(summary["date"]), layout.FEED_XML),
            "updated": summary["fetched_at"],
            "html": _day_html(summary),
        }
        for summary in summaries
    ]
    atom = from_template(
        "feed.xml.j2",
        title="Hot Papers",
        feed_id=place.tag("feed"),
        page=place.link(layout.INDEX, layout.FEED_XML),
        self_path=place.link(layout.FEED_XML, layout.FEED_XML),
        notice=notice,
        updated=_updated(summaries),
        entries=entries,
    )
    json_feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Hot Papers",
        **({"description": notice} if notice else {}),
        "home_page_url": place.link(layout.INDEX, layout.FEED_JSON),
        "feed_url": place.link(layout.FEED_JSON, layout.FEED_JSON),
        "items": [
            {
                "id": entry["id"],
                "url": entry["url"],
                "title": entry["title"],
                "date_published": entry["updated"],
                "content_html": entry["html"],
            }
            for entry in entries
        ],
    }
    return atom, json.dumps(json_feed, indent=2, ensure_ascii=False) + "\n"


def category_feed(archive: Archive, category: str, place: FeedPlace, notice: str = "") -> str:
    """An Atom feed of one category: one entry per paper, newest day first, each linking the
    paper's card on its digest (and the paper on arXiv)."""
    summaries = archive.newest()[:CATEGORY_DAYS]
    papers = [
        (summary, paper) for summary in summaries for paper in summary["papers"] if category in paper["categories"]
    ]
    papers = papers[:CATEGORY_FEED_PAPERS]
    key = layout.category_feed(category)
    entries = [
        {
            "id": place.tag(f"paper/{paper['id']}/{summary['date']}"),
            "title": text.plain(paper["title"]),
            "url": place.link(f"{layout.digest_page(summary['date'])}#paper-{paper['rank']}", key),
            "related": f"https://arxiv.org/abs/{paper['id']}",
            "updated": summary["fetched_at"],
            "html": (
                f"<p>Score {number(paper['score'])} on {text.long_date(summary['date'])}"
                f" ({escape(', '.join(paper['authors']))}).</p>"
            ),
        }
        for summary, paper in papers
    ]
    return from_template(
        "feed.xml.j2",
        title=f"Hot Papers: {category}",
        feed_id=place.tag(f"category/{category}"),
        page=place.link(layout.category_page(category), key),
        self_path=place.link(key, key),
        notice=notice,
        updated=_updated([summary for summary, _ in papers]),
        entries=entries,
    )


def month_sitemap(archive: Archive, month: str, place: FeedPlace) -> str:
    """The sitemap of ``month``: its top page, and each of its digests with its papers' pages,
    from the month's summaries, which every render of one of its days holds. Each page's last
    change is its day's counts time."""
    key = layout.month_sitemap(month)
    urls: list[dict[str, str]] = []
    for summary in sorted((s for s in archive.days if s["date"][:7] == month), key=lambda s: str(s["date"])):
        lastmod = summary["fetched_at"]
        pages = [
            layout.digest_page(summary["date"]),
            *filter(None, (layout.paper_page(p["id"]) for p in summary["papers"])),
        ]
        urls.extend({"loc": place.link(page, key), "lastmod": lastmod} for page in pages)
    return from_template("sitemap.xml.j2", urls=urls)


def sitemap_index(archive: Archive, place: FeedPlace) -> str:
    """``sitemap.xml``: the index of every month's sitemap, from the month marks a render lists."""
    months = archive.months or tuple(sorted({s["date"][:7] for s in archive.days}, reverse=True))
    return from_template(
        "sitemapindex.xml.j2", sitemaps=[place.link(layout.month_sitemap(m), layout.SITEMAP) for m in months]
    )

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
from urllib.parse import urlsplit

from markupsafe import escape

from hotpapers.render.digest import Chrome, week_key
from hotpapers.render.environment import CATEGORY, render, short_date
from hotpapers.render.text import has_math
from hotpapers.render.words import count, metric_word, number, source_name
from hotpapers.schedule import NoAnnouncement, window_for
from hotpapers.sources import KNOWN_SOURCES, PaperSignal

FEED_DAYS = 20
CATEGORY_DAYS = 30
CATEGORY_FEED_PAPERS = 50
TOP_PAPERS = 50
TAG_DATE = "2026"


@dataclass(frozen=True)
class Archive:
    """Every published day's summary, newest first."""

    days: tuple[dict[str, Any], ...]

    def dates(self) -> list[str]:
        return [day["date"] for day in self.days]

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
        except NoAnnouncement:
            continue
        return candidate.isoformat()
    raise NoAnnouncement(candidate, "no announcement within two weeks")


def index(archive: Archive, chrome: Chrome, holidays: frozenset[date] = frozenset()) -> str:
    """The front page: the latest digest's top ten, then every day by month with its paper count."""
    months: dict[str, list[dict[str, Any]]] = {}
    for day in archive.days:
        months.setdefault(day["date"][:7], []).append(day)
    latest = archive.days[0] if archive.days else None
    return render(
        "index.html.j2",
        root="",
        chrome=chrome,
        math=any(has_math(paper["title"]) for paper in (latest or {"papers": []})["papers"][:10]),
        latest=latest,
        expected=next_expected(latest["date"], holidays) if latest else None,
        months=[
            ({"key": key, "label": f"{date.fromisoformat(key + '-01'):%B %Y}"}, days) for key, days in months.items()
        ],
    )


def _ranked(days: Iterable[dict[str, Any]], keep: Any = lambda paper: True) -> list[dict[str, Any]]:
    rows = [{"date": day["date"], "paper": paper} for day in days for paper in day["papers"] if keep(paper)]
    rows.sort(key=lambda row: (-row["paper"]["score"], row["date"], row["paper"]["id"]))
    return rows


def _ranked_page(chrome: Chrome, heading: str, intro: str, rows: list[dict[str, Any]], category: str | None) -> str:
    """A table of papers, highest score first: the one shape of category and top pages."""
    return render(
        "ranked.html.j2",
        root="../",
        chrome=chrome,
        math=any(has_math(row["paper"]["title"]) for row in rows),
        heading=heading,
        intro=intro,
        rows=rows,
        category=category,
        feed=f"feeds/{category}.xml" if category else None,
    )


def category_page(archive: Archive, category: str, chrome: Chrome) -> str:
    rows = _ranked(archive.days[:CATEGORY_DAYS], lambda paper: category in paper["categories"])
    intro = f"Papers listed in {category} over the last {CATEGORY_DAYS} digests."
    return _ranked_page(chrome, f"Hot papers in {category}", intro, rows, category)


def top_page(archive: Archive, period: str, chrome: Chrome) -> str:
    """The best papers of an ISO week (``2026-W23``) or a month (``2026-06``)."""
    is_week = "-W" in period
    days = [day for day in archive.days if (week_key(day["date"]) if is_week else day["date"][:7]) == period]
    label = f"week {int(period[-2:])} of {period[:4]}" if is_week else f"{date.fromisoformat(period + '-01'):%B %Y}"
    intro = f"The highest scores of {count(len(days), 'digest day')}."
    return _ranked_page(chrome, f"Top papers of {label}", intro, _ranked(days)[:TOP_PAPERS], None)


def about(rules: dict[str, Any], active: Iterable[str], categories_read: Iterable[str], chrome: Chrome) -> str:
    """The page that explains the score, generated from the settings in force."""
    active = set(active)
    sources = []
    for name, source in KNOWN_SOURCES.items():
        scored = not issubclass(source, PaperSignal)
        metrics = source.engagement_metrics or tuple(metric for metric, _ in source.counts)
        sources.append(
            {
                "name": source_name(name),
                "engagement": " + ".join(metric_word(metric) for metric in metrics),
                "weight": rules["weights"].get(name, 1.0) if scored else None,
                "active": name in active,
            }
        )
    return render(
        "about.html.j2",
        root="",
        chrome=chrome,
        math=False,
        sources=sources,
        categories=list(categories_read),
        ignored=len(rules["ignored_accounts"]),
        account_cap=rules["account_cap"],
        min_score=rules["min_score"],
        min_post_engagement=rules["min_post_engagement"],
        max_posts=rules["max_posts"],
        embeds=chrome.embeds,
    )


def _tag(site_url: str, specific: str) -> str:
    """A stable, absolute id (RFC 4151) that does not change if the site moves."""
    authority = urlsplit(site_url).hostname if site_url else None
    return f"tag:{authority or 'hotpapers'},{TAG_DATE}:{specific}"


def _day_html(day: dict[str, Any]) -> str:
    items = "".join(
        f'<li><a href="https://arxiv.org/abs/{escape(paper["id"])}">{escape(paper["title"])}</a>'
        f" ({number(paper['score'])})</li>"
        for paper in day["papers"]
    )
    return f"<ol>{items}</ol>" if items else "<p>No paper reached the attention threshold.</p>"


def _updated(days: list[dict[str, Any]]) -> str:
    return max((day["fetched_at"] for day in days), default="1970-01-01T00:00:00Z")


def feeds(archive: Archive, site_url: str, notice: str = "") -> tuple[str, str]:
    """The site's Atom feed and JSON Feed 1.1: one item per digest day, newest first; ``notice``
    (where the site's data came from) as their subtitle and description."""
    days = list(archive.days[:FEED_DAYS])
    entries = [
        {
            "id": _tag(site_url, f"digest/{day['date']}"),
            "title": f"Hot Papers {day['date']}: {count(len(day['papers']), 'paper')}",
            "url": f"{site_url}/digests/{day['date']}.html" if site_url else None,
            "updated": day["fetched_at"],
            "html": _day_html(day),
        }
        for day in days
    ]
    atom = render(
        "feed.xml.j2",
        title="Hot Papers",
        feed_id=_tag(site_url, "feed"),
        site_url=site_url,
        page="index.html",
        self_path="feed.xml",
        notice=notice,
        updated=_updated(days),
        entries=entries,
    )
    json_feed: dict[str, Any] = {"version": "https://jsonfeed.org/version/1.1", "title": "Hot Papers"}
    if notice:
        json_feed["description"] = notice
    if site_url:
        json_feed.update(home_page_url=f"{site_url}/", feed_url=f"{site_url}/feed.json")
    json_feed["items"] = [
        {
            "id": entry["id"],
            **({"url": entry["url"]} if entry["url"] else {}),
            "title": entry["title"],
            "date_published": entry["updated"],
            "content_html": entry["html"],
        }
        for entry in entries
    ]
    return atom, json.dumps(json_feed, indent=2, ensure_ascii=False) + "\n"


def category_feed(archive: Archive, category: str, site_url: str, notice: str = "") -> str:
    """An Atom feed of one category: one entry per paper, newest day first."""
    days = archive.days[:CATEGORY_DAYS]
    papers = [(day, paper) for day in days for paper in day["papers"] if category in paper["categories"]]
    papers = papers[:CATEGORY_FEED_PAPERS]
    entries = [
        {
            "id": _tag(site_url, f"paper/{paper['id']}/{day['date']}"),
            "title": paper["title"],
            "url": f"https://arxiv.org/abs/{paper['id']}",
            "updated": day["fetched_at"],
            "html": (
                f"<p>Score {number(paper['score'])} on {short_date(day['date'])}"
                f" ({escape(', '.join(paper['authors']))}).</p>"
            ),
        }
        for day, paper in papers
    ]
    return render(
        "feed.xml.j2",
        title=f"Hot Papers: {category}",
        feed_id=_tag(site_url, f"category/{category}"),
        site_url=site_url,
        page=f"categories/{category}.html",
        self_path=f"feeds/{category}.xml",
        notice=notice,
        updated=_updated([day for day, _ in papers]),
        entries=entries,
    )

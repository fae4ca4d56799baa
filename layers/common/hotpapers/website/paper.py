"""A page for every listed paper: ``papers/<arXiv id>.html``, with its whole abstract, every post,
the days and top pages it was listed on, and its attention history drawn as an inline SVG chart
with the same points as a table.

The render of a day writes the pages of the day's papers from what that render already holds:
the scored day and the summaries of its week and month (``publish._archive``, a bounded part of
the archive). A paper page names the days and top pages of those, up to its day; the render of a
later day that lists the paper again writes its page again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hotpapers import layout
from hotpapers.website import archive, text
from hotpapers.website.assets import assets
from hotpapers.website.digest import Chrome, badges, cards_context, chrome_for, day_note, summary, week_key
from hotpapers.website.environment import from_template, opening
from hotpapers.website.words import number

CHART_WIDTH = 320
CHART_HEIGHT = 120
# Room for the score labels on the left and the dates under the line.
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 44, 12, 10, 26


def history(entry: dict[str, Any], scored: dict[str, Any]) -> list[dict[str, Any]]:
    """The paper's attention history, oldest first: each snapshot's time, score and figures per
    source. A scored day written before histories were kept is one point, its first figures."""
    kept: list[dict[str, Any]] | None = entry.get("history")
    if kept:
        return kept
    return [{"as_of": scored["fetched_at"], "score": entry["score"], "counts": entry["counts"]}]


@dataclass(frozen=True)
class Chart:
    """The history drawn: each point's place in the SVG, and the axis labels."""

    points: tuple[tuple[str, str], ...]
    """(x, y) of each point, as written in the SVG."""
    top: str
    """The score at the top of the scale."""
    first: str
    last: str
    """The first and last points' dates, under the line."""
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = CHART_LEFT
    right: int = CHART_WIDTH - CHART_RIGHT
    base: int = CHART_HEIGHT - CHART_BOTTOM
    """Where the scale starts and ends, across and up."""


def chart(points: list[dict[str, Any]]) -> Chart:
    """Where each point of ``points`` (a history) falls: time across, score up from zero.

    Coordinates are written with one decimal, so the same history draws the same bytes."""
    times = [text.when(point["as_of"]) for point in points]
    span = (times[-1] - times[0]).total_seconds()
    top = max(1, *(int(point["score"]) for point in points))
    width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM

    def x(moment: datetime) -> float:
        share = (moment - times[0]).total_seconds() / span if span else 0.5
        return CHART_LEFT + share * width

    def y(score: int) -> float:
        return CHART_TOP + height * (1 - score / top)

    return Chart(
        points=tuple(
            (f"{x(moment):.1f}", f"{y(int(point['score'])):.1f}") for moment, point in zip(times, points, strict=True)
        ),
        top=number(top),
        first=text.long_date(points[0]["as_of"]),
        last=text.long_date(points[-1]["as_of"]),
    )


@dataclass(frozen=True)
class Listing:
    """Where a page of the site listed the paper: its title, its path from the site's root and the
    paper's rank there."""

    title: str
    path: str
    rank: int


def listings(now: archive.Archive, day: str) -> dict[str, list[Listing]]:
    """Paper id -> the digest days (oldest first) of ``day``'s week and month, up to ``day``, that
    list the paper, and the top pages of that week and month where it is among their best
    counting those days, with its rank on each: for every paper at once, each top page ranked once.

    Only the days up to ``day`` count, and only of its week and month, which every render of
    ``day`` reads: so rendering ``day`` again, however many days were published since, writes the
    same page (a later day that lists the paper writes its page again, from its own days)."""
    week = week_key(day)
    upto = archive.Archive(
        days=tuple(
            summary
            for summary in sorted(now.days, key=lambda summary: str(summary["date"]))
            if summary["date"] <= day and (week_key(summary["date"]) == week or summary["date"][:7] == day[:7])
        )
    )
    found: dict[str, list[Listing]] = defaultdict(list)
    for listed in upto.days:
        title, path = f"Hot Papers {text.long_date(listed['date'])}", layout.digest_page(listed["date"])
        for paper in listed["papers"]:
            found[paper["id"]].append(Listing(title, path, paper["rank"]))
    for period in (week, day[:7]):
        ranked: dict[str, int] = {}
        for rank, row in enumerate(archive.top_rows(upto, period), start=1):
            ranked.setdefault(row["paper"]["id"], rank)
        for paper_id, rank in ranked.items():
            found[paper_id].append(Listing(archive.top_title(period), layout.top_page(period), rank))
    return found


def description(entry: dict[str, Any], day: str) -> str:
    """What a shared link shows under the title: the score, the day, the abstract's opening."""
    abstract = entry["paper"]["abstract"]
    shown = opening(abstract)
    cut = "…" if len(shown) < len(abstract) else ""
    return f"Score {number(entry['score'])} on Hot Papers {text.long_date(day)}. {text.plain(shown)}{cut}"


def page(
    entry: dict[str, Any], scored: dict[str, Any], listed: list[Listing], chrome: Chrome, site_url: str = ""
) -> str:
    """The page of one listed paper of ``scored``'s day, ``listed`` where (``listings``)."""
    day = scored["date"]
    paper = entry["paper"]
    path = layout.paper_page(paper["id"])
    assert path is not None, "only a paper with a page is rendered"
    points = history(entry, scored)
    return from_template(
        "paper.html.j2",
        root="../",
        entry=entry,
        date=day,
        title=text.plain(paper["title"]),
        description=description(entry, day),
        # Without the site's URL the canonical link is relative (to this page), and the card has
        # no image: OpenGraph wants absolute URLs.
        canonical=layout.absolute(path, site_url) if site_url else f"{paper['id']}.html",
        image=layout.absolute(assets().social_image, site_url) if site_url else None,
        listings=listed,
        history=[{**point, "figures": badges({"counts": point["counts"]})} for point in points],
        chart=chart(points),
        day_note=day_note(scored),
        **cards_context(chrome),
    )


def pages(
    scored: dict[str, Any], now: archive.Archive | None = None, chrome: Chrome | None = None, site_url: str = ""
) -> dict[str, str]:
    """Site path -> page, for every listed paper of the day that has a page; ``now``, what the
    render holds of the archive (by default the day alone)."""
    now = now or archive.Archive(days=(summary(scored),))
    chrome = chrome or chrome_for()
    where = listings(now, scored["date"])
    return {
        path: page(entry, scored, where.get(entry["paper"]["id"], []), chrome, site_url)
        for entry in scored["papers"]
        if (path := layout.paper_page(entry["paper"]["id"]))
    }

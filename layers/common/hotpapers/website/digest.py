"""One day's digest: the seed-format Markdown, the HTML page, and the small summary the archive
pages are built from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from hotpapers import layout, markup
from hotpapers.catalogue import CATALOGUE, figures
from hotpapers.website import words
from hotpapers.website.assets import assets
from hotpapers.website.environment import from_template

FRONT_MATTER_TAGS = ("Machine Learning", "Computer Science")
BLUESKY_EMBED = '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'
X_EMBED = '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
SHOWN_POSTS = 3
# Papers a posts page held, when there were posts pages: the same groups find each old anchor.
PAPERS_PER_POSTS_PAGE = 20
SHOWN_AUTHORS = 5


@dataclass(frozen=True)
class Chrome:
    """What every HTML page shares: its assets and its settings."""

    stylesheet: str = "assets/site.css"
    embeds: bool = False
    """Official X and Bluesky embeds (third-party scripts) instead of static posts."""
    notice: str = ""
    """What every page must say of where the site's data came from (a notice's banner), or nothing."""


def chrome_for(embeds: bool = False, notice: str = "") -> Chrome:
    """The chrome of the site as published: its content-hashed stylesheet.

    Pages link each other and their assets by relative paths, so the site's own URL is no part
    of it: only the feeds, read away from the site, carry it."""
    return Chrome(stylesheet=assets().stylesheet, embeds=embeds, notice=notice)


def banner(scored: dict[str, Any]) -> str:
    """The day's notice for every page of the site (``hotpapers.notice``), or nothing."""
    return str(scored.get("notice", {}).get("banner", ""))


def day_note(scored: dict[str, Any]) -> str:
    """What the day's own pages must add of its data (a re-dated day says so), or nothing."""
    return str(scored.get("notice", {}).get("day", ""))


def _x_markup(post: dict[str, Any]) -> str | None:
    """An X post's embed markup as the seed has it, built again from its parsed parts: a scored day
    is data, and whatever markup it holds is never copied into a page."""
    return markup.rebuilt(post["html"], post["url"]) if post["source"] == "x" and post.get("html") else None


def _markdown_post(post: dict[str, Any]) -> str:
    """The post in the Markdown: X's oEmbed markup (or the X source's rebuild of it) as the seed has
    it; the others built from their fields, every upstream value escaped."""
    return _x_markup(post) or from_template("post.html.j2", post=post, bluesky_embed=BLUESKY_EMBED)


def _tags(scored: dict[str, Any]) -> list[str]:
    # A source is tagged when the digest shows something of it, not merely because it was asked.
    shown = {name for entry in scored["papers"] for name in entry["counts"]}
    shown |= {post["source"] for entry in scored["papers"] for post in entry["posts"]}
    return ["arXiv", *(source.tag for name, source in CATALOGUE.items() if name in shown), *FRONT_MATTER_TAGS]


def markdown(scored: dict[str, Any]) -> str:
    """The digest in the seed's Markdown format."""
    return from_template(
        "digest.md.j2",
        digest=scored,
        date=scored["date"],
        tags=_tags(scored),
        missing=words.missing(scored["sources"]),
        notice=" ".join(filter(None, (banner(scored), day_note(scored)))),
        post_markdown=_markdown_post,
        social_image=assets().social_image,
    )


def code_url(entry: dict[str, Any]) -> str | None:
    """The paper's code repository, where a source named one (Hugging Face's paper page does)."""
    for post in entry["posts"]:
        for link in post.get("links", ()):
            parts = urlsplit(link)
            if parts.scheme == "https" and parts.hostname == "github.com" and parts.path.count("/") >= 2:
                return str(link)
    return None


def project_url(entry: dict[str, Any]) -> str | None:
    """The paper's project page, where its Hugging Face paper page names one: any other post's links
    are what its author chose to link, not the paper's own pages."""
    for post in entry["posts"]:
        if post["source"] != "huggingface":
            continue
        for link in post.get("links", ()):
            if urlsplit(link).hostname not in ("huggingface.co", "github.com"):
                return str(link)
    return None


def badges(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Per source, what it added to the score and its figures, in the catalogue's order."""
    points = entry.get("points", {})
    return [
        {
            "source": name,
            "points": points.get(name),
            "figures": [
                (metric, entry["counts"][name][metric]) for metric in figures(name) if metric in entry["counts"][name]
            ],
        }
        for name in CATALOGUE
        if name in entry["counts"]
    ]


def week_key(day: str) -> str:
    """``2026-W23``: the ISO week of a digest date, as its top page is named."""
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def cards_context(chrome: Chrome) -> dict[str, Any]:
    """What the paper cards and posts of a page need, the same on the digest and on paper pages."""
    return {
        "chrome": chrome,
        "badges": badges,
        "code_url": code_url,
        "project_url": project_url,
        "shown_authors": SHOWN_AUTHORS,
        "official_embed": lambda post: _official_embed(post) if chrome.embeds else None,
    }


def posts_groups(scored: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The papers with more posts than a card shows, by rank, in groups of at most
    ``PAPERS_PER_POSTS_PAGE``: the groups the retired posts pages held, one page each."""
    busy = [entry for entry in scored["papers"] if len(entry["posts"]) > SHOWN_POSTS]
    return [busy[start : start + PAPERS_PER_POSTS_PAGE] for start in range(0, len(busy), PAPERS_PER_POSTS_PAGE)]


def page_href(entry: dict[str, Any], root: str) -> str | None:
    """The paper's own page, from a page ``root`` below the site, where it has one."""
    path = layout.paper_page(entry["paper"]["id"])
    return f"{root}{path}" if path else None


def page(
    scored: dict[str, Any],
    chrome: Chrome | None = None,
    previous: str | None = None,
    following: str | None = None,
) -> str:
    """The digest as a readable HTML page, with links to the neighbouring digest days. Each card
    shows its paper's first posts and links the paper's page, which has them all: a busy day's
    every post would more than double the page."""
    chrome = chrome or chrome_for()
    day = scored["date"]
    return from_template(
        "digest.html.j2",
        root="../",
        digest=scored,
        date=day,
        week=week_key(day),
        missing=words.missing(scored["sources"]),
        caveats=words.caveats(scored["sources"]),
        previous=previous,
        following=following,
        shown_posts=SHOWN_POSTS,
        page_href=lambda entry: page_href(entry, "../"),
        day_note=day_note(scored),
        **cards_context(chrome),
    )


def posts_pages(scored: dict[str, Any], chrome: Chrome | None = None) -> dict[str, str]:
    """``<D>/posts-<k>.html`` (under ``digests/``) -> what stands at a retired posts page's address:
    each paper it held, under the anchor its card had there (``#paper-<rank>``), as a link to the
    paper's page, which now has every post. Old links to a paper's posts keep leading to them."""
    chrome = chrome or chrome_for()
    day = scored["date"]
    return {
        f"{day}/{layout.posts_page_name(number)}": from_template(
            "posts.html.j2",
            root="../../",
            chrome=chrome,
            date=day,
            entries=group,
            page_href=lambda entry: page_href(entry, "../../"),
            day_note=day_note(scored),
        )
        for number, group in enumerate(posts_groups(scored), start=1)
    }


def _official_embed(post: dict[str, Any]) -> Markup | None:
    """The platform's own embed (its script included), only where the site turned embeds on."""
    if x_markup := _x_markup(post):
        return Markup(x_markup + X_EMBED)  # noqa: S704 - built from escaped parts
    if post["source"] == "bluesky":
        return Markup(from_template("post.html.j2", post=post, bluesky_embed=BLUESKY_EMBED))  # noqa: S704 - autoescaped
    return None


def summary(scored: dict[str, Any]) -> dict[str, Any]:
    """What the index, category, top pages and feeds need of a day, without its posts and abstracts."""
    return {
        "format": 1,
        "date": scored["date"],
        "fetched_at": scored["fetched_at"],
        "papers": [
            {
                "rank": entry["rank"],
                "id": entry["paper"]["id"],
                "title": entry["paper"]["title"],
                "authors": entry["paper"]["authors"][:3] + (["et al."] if len(entry["paper"]["authors"]) > 3 else []),
                "categories": entry["paper"]["categories"],
                "score": entry["score"],
            }
            for entry in scored["papers"]
        ],
    }

"""The render step's logic: a scored day becomes the digest's Markdown, HTML and JSON, the index
and the feeds.

The Markdown follows the seed format byte for byte. Upstream text is escaped everywhere it is
not trusted HTML: the HTML templates autoescape, and the Markdown template passes every
upstream string through the ``text`` filter. The only markup taken as is comes from X's own
oEmbed endpoint. Posts from other sources are rendered as what they are: an HN story with its
points and comment link, a Bluesky post (in Bluesky's embed markup), a Reddit thread.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from hotpapers.sources import KNOWN_SOURCES

FRONT_MATTER_TAGS = ("Machine Learning", "Computer Science")
BLUESKY_EMBED = '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'


def _when(iso_instant: str) -> datetime:
    return datetime.fromisoformat(iso_instant.replace("Z", "+00:00"))


_ENTITY_START = re.compile(r"&(?=#?\w+;)")


def _text(value: str | None) -> str:
    """Upstream text made inert in Markdown, otherwise left exactly as written.

    No tag can open (every ``<`` is escaped) and no entity is read into it (an ``&`` that would
    start one is escaped); "R&D", "p > 0.05" and quotes stay as the authors wrote them, as the
    seed format has them.
    """
    return _ENTITY_START.sub("&amp;", value or "").replace("<", "&lt;")


def _href(url: str | None) -> str:
    """An upstream URL fit for ``href``: http(s) only, so no ``javascript:`` or ``data:`` link runs."""
    return url if url and urlsplit(url).scheme.lower() in ("http", "https") else "#"


def _long_date(iso_instant: str | None) -> str:
    """``July 9, 2020``, as X's embeds write dates; nothing for a date upstream left out or garbled."""
    try:
        moment = _when(iso_instant or "")
    except ValueError:
        return ""
    return f"{moment:%B} {moment.day}, {moment.year}"


def _post_html(post: dict[str, Any]) -> Markup:
    """The post as HTML: X posts carry their markup (oEmbed's, or oEmbed's rebuilt from the API's
    fields by the X source); the others are built here, every upstream value autoescaped."""
    if post["source"] == "x" and post.get("html"):
        return Markup(post["html"])  # noqa: S704 - X's oEmbed markup, or built from escaped fields
    template = _environment().get_template("post.html.j2")
    return Markup(template.render(post=post, bluesky_embed=BLUESKY_EMBED))  # noqa: S704


def counts_line(entry: dict[str, Any]) -> str:
    """``retweets: R, favorites: F, hn points: P, ...``: each source with figures for the paper, in the
    registry's order, each with the figures it has (GitHub gives stars gained or a total)."""
    return ", ".join(
        f"{label}: {entry['counts'][name][metric]}"
        for name, source in KNOWN_SOURCES.items()
        if name in entry["counts"]
        for metric, label in source.counts
        if metric in entry["counts"][name]
    )


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hotpapers", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2", "xml.j2")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        text=_text,
        post_html=_post_html,
        counts_line=counts_line,
        seed_time=lambda iso: _when(iso).strftime("%m/%d/%Y %H:%M:%S"),
        front_matter_time=lambda iso: _when(iso).strftime("%Y-%m-%dT%H:%M:%S.Z"),
        long_date=_long_date,
        href=_href,
    )
    return env


def _context(scored: dict[str, Any], site_url: str) -> dict[str, Any]:
    # A source is tagged when the digest shows something of it, not merely because it was asked.
    shown = {name for entry in scored["papers"] for name in entry["counts"]}
    shown |= {post["source"] for entry in scored["papers"] for post in entry["posts"]}
    missing = {name: info["error"] for name, info in scored["sources"].items() if info["status"] != "ok"}
    return {
        "digest": scored,
        "date": scored["date"],
        "tags": ["arXiv", *(source.tag for name, source in KNOWN_SOURCES.items() if name in shown), *FRONT_MATTER_TAGS],
        "missing": missing,
        "site_url": site_url,
    }


def markdown(scored: dict[str, Any]) -> str:
    """The digest in the seed's Markdown format."""
    return _environment().get_template("digest.md.j2").render(_context(scored, ""))


def page(scored: dict[str, Any], site_url: str = "") -> str:
    """The digest as a readable HTML page."""
    return _environment().get_template("digest.html.j2").render(_context(scored, site_url))


def index(dates: list[str]) -> str:
    """The site's front page: every published digest, newest first."""
    return _environment().get_template("index.html.j2").render(dates=sorted(dates, reverse=True))


def feeds(digests: list[dict[str, Any]], site_url: str, updated: str) -> tuple[str, str]:
    """Atom and JSON Feed 1.1 documents for the newest digests (each a scored document)."""
    atom = _environment().get_template("feed.xml.j2").render(digests=digests, site_url=site_url, updated=updated)
    json_feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Hot Papers",
        "home_page_url": f"{site_url}/",
        "feed_url": f"{site_url}/feed.json",
        "items": [
            {
                "id": f"hot-papers-{digest['date']}",
                "url": f"{site_url}/digests/{digest['date']}.html",
                "title": f"Hot Papers {digest['date']}",
                "date_published": digest["fetched_at"],
                "content_text": "\n".join(f"{entry['rank']}. {entry['paper']['title']}" for entry in digest["papers"]),
            }
            for digest in digests
        ],
    }
    return atom, json.dumps(json_feed, indent=2, ensure_ascii=False) + "\n"

"""Publishing one day: its own files first, then every shared page it appears on, settled.

Shared pages (the index, the neighbours' links, the week, month and category pages, the feeds)
are rebuilt from a fresh listing of the day summaries *after* the day's own files are written.
Two days rendered at the same moment could still write a shared page from listings that each
miss the other day, so after writing, each render builds its shared pages again from a new
listing and writes whatever changed, until a build matches what it wrote. Whichever render
writes a page last has then seen every day whose files were written before that last look.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from hotpapers.models import json_bytes
from hotpapers.observability import logger
from hotpapers.render import archive, digest
from hotpapers.render.assets import assets
from hotpapers.store import Store, content_type_for

SUMMARIES = "archive/"
SETTLE_ROUNDS = 25
SHORT = "public, max-age=300"
DAY = "public, max-age=3600"
IMMUTABLE = "public, max-age=31536000, immutable"


class RenderConflictError(RuntimeError):
    """The shared pages kept changing under this render: other renders never stopped writing."""


@dataclass(frozen=True)
class SiteOptions:
    """The settings rendering reads."""

    site_url: str = ""
    embeds: bool = False
    holidays: frozenset[date] = frozenset()
    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    rules: dict[str, Any] | None = None
    """The scoring rules in force, for the about page; ``None``: the rendered day's own."""


def headers(key: str) -> tuple[str, str]:
    """(Content-Type, Cache-Control) of a site key: hashed assets forever, digests an hour, the rest minutes."""
    content_type = content_type_for(key)
    if key == "feed.json":
        content_type = "application/feed+json; charset=utf-8"
    if key.startswith("assets/"):
        return content_type, IMMUTABLE
    if key.startswith("digests/"):
        return content_type, DAY
    return content_type, SHORT


def _put(site: Store, key: str, body: bytes) -> None:
    content_type, cache_control = headers(key)
    site.put(key, body, content_type, cache_control=cache_control)


def _chrome(options: SiteOptions, scored: dict[str, Any]) -> digest.Chrome:
    return digest.chrome_for(options.embeds, digest.banner(scored))


def _archive(site: Store) -> archive.Archive:
    keys = [key for key in site.keys(SUMMARIES) if key.endswith(".json")]
    return archive.Archive(days=tuple(json.loads(site.get(key)) for key in sorted(keys, reverse=True)))


def _shared(site: Store, scored: dict[str, Any], options: SiteOptions) -> dict[str, bytes]:
    """Every page ``scored``'s day appears on, built from the archive as it stands now."""
    chrome = _chrome(options, scored)
    now = _archive(site)
    day = scored["date"]
    previous, following = now.neighbours(day)
    pages = {f"digests/{day}.html": digest.page(scored, chrome, previous, following)}
    for neighbour in (previous, following):
        if neighbour:
            theirs = json.loads(site.get(f"digests/{neighbour}.json"))
            pages[f"digests/{neighbour}.html"] = digest.page(theirs, chrome, *now.neighbours(neighbour))
    pages["index.html"] = archive.index(now, chrome, options.holidays)
    for period in (digest.week_key(day), day[:7]):
        pages[f"top/{period}.html"] = archive.top_page(now, period, chrome)
    place = archive.FeedPlace(options.site_url, site.bucket)
    for category in archive.categories(digest.summary(scored)):
        pages[f"categories/{category}.html"] = archive.category_page(now, category, chrome)
        pages[f"feeds/{category}.xml"] = archive.category_feed(now, category, place, chrome.notice)
    pages["feed.xml"], pages["feed.json"] = archive.feeds(now, place, chrome.notice)
    return {key: body.encode() for key, body in pages.items()}


def publish_day(scored: dict[str, Any], options: SiteOptions, site: Store) -> list[str]:
    """Write the day's own files, the assets it needs, and settle the shared pages; the keys written."""
    day = scored["date"]
    own = {
        f"digests/{day}.md": digest.markdown(scored).encode(),
        f"digests/{day}.json": json_bytes(scored),
        f"{SUMMARIES}{day}.json": json_bytes(digest.summary(scored)),
        "about.html": archive.about(
            options.rules or scored["rules"], options.sources, options.categories, _chrome(options, scored)
        ).encode(),
    }
    own.update(
        {
            f"digests/{name}": body.encode()
            for name, body in digest.posts_pages(scored, _chrome(options, scored)).items()
        }
    )
    present = set(site.keys("assets/"))
    own.update({key: body for key, body in assets().files.items() if key not in present})
    for key, body in own.items():
        _put(site, key, body)

    written = _shared(site, scored, options)
    for key, body in written.items():
        _put(site, key, body)
    for _ in range(SETTLE_ROUNDS):
        again = _shared(site, scored, options)
        changed = {key: body for key, body in again.items() if written.get(key) != body}
        if not changed:
            logger.info("site published", extra={"date": day, "keys": len(own) + len(written)})
            return sorted({*own, *written})
        logger.info("shared pages changed under this render", extra={"date": day, "keys": sorted(changed)})
        for key, body in changed.items():
            _put(site, key, body)
        written.update(again)
    raise RenderConflictError(f"the shared pages of {day} did not settle in {SETTLE_ROUNDS} rounds")

"""Publishing one day: every page it appears on, built first, then written in an order that a
crash cannot turn into a broken site.

Every page the day touches is built before the first is written, and every key checked
(``store.checked_key``), so a page that cannot be published fails the render before anything
is. The pages are then written leaves first (``write_rank``): the assets, the day's own files,
its category feeds and pages, its digest page, then its summary (which puts it in other renders'
listings), the shared pages, and last the day's JSON digest, which marks every page of the day
written: a render cut short leaves a day without it, which resuming renders again (``hotpapers
backfill``, Lambda's retries), and no other day's render lists a day whose digest page was
never written.

Shared pages (the index, the neighbours' links, the week, month and category pages, the feeds)
are built from the summaries they show (``_archive``: the newest digests and the day's week and
month, a bounded part of the archive however long it grows), with this day's in it. Two days
rendered at the same moment could still write a shared page from listings that each miss the
other day, so after writing, each render builds its shared pages again from a new listing and
writes whatever changed, until a build matches what it wrote. Whichever render writes a page last has then seen
every day whose files were written before that last look.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hotpapers.models import json_bytes
from hotpapers.observability import logger
from hotpapers.store import NotFoundError, Store, checked_key, content_type_for
from hotpapers.website import archive, digest
from hotpapers.website.assets import assets

SUMMARIES = "archive/"
MONTHS = "archive/months/"
# Summaries read at once: each is a round trip to the bucket.
READERS = 8
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


def summary_key(day: str) -> str:
    return f"{SUMMARIES}{day}.json"


def month_key(month: str) -> str:
    """The mark of a month with a digest (``YYYY-MM``): listing them is one request a thousand months."""
    return f"{MONTHS}{month}.json"


def _archive(site: Store, day: str, summary: dict[str, Any] | None = None) -> archive.Archive:
    """What the pages ``day`` appears on are built from, with ``summary`` (``day``'s, not yet
    written) in it: the summaries of the newest digests (``archive.WINDOW``) and of ``day``'s week
    and month, the dates around ``day`` and every month with a digest.

    It lists the month marks and then only the months it needs (a month's summaries share the
    prefix ``archive/YYYY-MM-``), and reads at most ``WINDOW`` plus a month's and a week's
    summaries: a bounded number of requests, whatever the archive's size. The reads run in
    parallel, as a browser's would, each a round trip to the bucket."""
    months = sorted({*(key[len(MONTHS) : -len(".json")] for key in site.keys(MONTHS)), day[:7]}, reverse=True)
    listed: dict[str, list[str]] = {}

    def dates(month: str) -> list[str]:
        if month not in listed:
            keys = site.keys(f"{SUMMARIES}{month}-")
            listed[month] = [key[len(SUMMARIES) : -len(".json")] for key in keys if key.endswith(".json")]
        return listed[month]

    known = {day} if summary else set()
    for month in months:  # newest first, until the window is full
        if len(known) >= archive.WINDOW:
            break
        known.update(dates(month))
    monday = date.fromisoformat(day) - timedelta(days=date.fromisoformat(day).weekday())
    for month in {day[:7], monday.isoformat()[:7], (monday + timedelta(days=6)).isoformat()[:7]}:
        known.update(dates(month))
    # Two published days on each side: the neighbours, and the neighbours' own neighbours.
    for side in (sorted((m for m in months if m < day[:7]), reverse=True), sorted(m for m in months if m > day[:7])):
        for month in side:
            if sum(1 for d in known if (d < day) == (month < day[:7]) and d != day) >= 2:
                break
            known.update(dates(month))
    newest = sorted(known, reverse=True)[: archive.WINDOW]
    week = digest.week_key(day)
    wanted = sorted({*newest, *(d for d in known if d[:7] == day[:7] or digest.week_key(d) == week)} - {day})
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        summaries = dict(zip(wanted, pool.map(lambda d: _summary(site, d), wanted), strict=True))
    if summary is not None:
        summaries[day] = summary
    elif day in known:
        summaries[day] = _summary(site, day)
    found = {d: found for d, found in summaries.items() if found is not None}
    return archive.Archive(
        days=tuple(found[d] for d in sorted(found, reverse=True)),
        listed=tuple(sorted(known, reverse=True)),
        months=tuple(months),
    )


def _summary(site: Store, day: str) -> dict[str, Any] | None:
    try:
        summary: dict[str, Any] = json.loads(site.get(summary_key(day)))
    except NotFoundError:
        return None  # listed, then replaced: the next render lists it again
    return summary


def _shared(site: Store, scored: dict[str, Any], options: SiteOptions, now: archive.Archive) -> dict[str, bytes]:
    """Every page ``scored``'s day appears on, built from the listing ``now``."""
    chrome = _chrome(options, scored)
    day = scored["date"]
    previous, following = now.neighbours(day)
    pages = {f"digests/{day}.html": digest.page(scored, chrome, previous, following)}
    for neighbour in (previous, following):
        if neighbour:
            try:
                theirs = json.loads(site.get(f"digests/{neighbour}.json"))
            except NotFoundError:
                # Its render was cut short before its last write: resuming it rebuilds its page.
                continue
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


def write_rank(key: str, day: str) -> int:
    """Where ``key`` comes in the writes of ``day``'s render: each page after those it links to
    (a category page links its feed, the digest page its categories and posts pages), the
    summary once the digest page exists, and the day's JSON digest, the mark of a finished
    render, last. The digest page and its category and posts pages link each other; those are
    written first, and a crash between them is mended by rendering the day again."""
    if key.startswith("assets/"):
        return 0
    if key == f"digests/{day}.json":
        return 6
    if key in (summary_key(day), month_key(day[:7])):
        return 4
    if key == f"digests/{day}.html":
        return 3
    if key.startswith("categories/"):
        return 2
    if key.startswith(("feeds/", f"digests/{day}")) or key in ("about.html", "search.html"):
        return 1
    return 5


def publish_day(scored: dict[str, Any], options: SiteOptions, site: Store) -> list[str]:
    """Build every page ``scored``'s day touches, write them (``write_rank``'s order), and settle
    the shared pages; the keys written."""
    day = scored["date"]
    summary = digest.summary(scored)
    own = {
        f"digests/{day}.md": digest.markdown(scored).encode(),
        f"digests/{day}.json": json_bytes(scored),
        # The month's mark before the summary (``write_rank`` keeps this order): a render that
        # lists the months finds every month whose summaries it could list.
        month_key(day[:7]): json_bytes({"month": day[:7]}),
        summary_key(day): json_bytes(summary),
        "about.html": archive.about(
            options.rules or scored["rules"], options.sources, options.categories, _chrome(options, scored)
        ).encode(),
        "search.html": archive.search_page(_chrome(options, scored)).encode(),
    }
    own.update(
        {
            f"digests/{name}": body.encode()
            for name, body in digest.posts_pages(scored, _chrome(options, scored)).items()
        }
    )
    present = set(site.keys("assets/"))
    own.update({key: body for key, body in assets().files.items() if key not in present})
    written = _shared(site, scored, options, _archive(site, day, summary))
    pages = {**own, **written}
    for key in pages:
        checked_key(key)
    for key in sorted(pages, key=lambda key: write_rank(key, day)):
        _put(site, key, pages[key])
    for _ in range(SETTLE_ROUNDS):
        again = _shared(site, scored, options, _archive(site, day))
        changed = {key: body for key, body in again.items() if written.get(key) != body}
        if not changed:
            keys = sorted({*pages, *written})
            logger.info("site published", extra={"date": day, "keys": len(keys)})
            return keys
        logger.info("shared pages changed under this render", extra={"date": day, "keys": sorted(changed)})
        for key, body in sorted(changed.items(), key=lambda item: write_rank(item[0], day)):
            _put(site, key, body)
        written.update(again)
    raise RenderConflictError(f"the shared pages of {day} did not settle in {SETTLE_ROUNDS} rounds")

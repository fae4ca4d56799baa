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
other day, so after writing, each render lists again and, if the listing or a neighbour's digest
changed, builds its shared pages again and writes whatever changed, until a build matches what
it wrote. Whichever render writes a page last has then seen every day whose files were written
before that last look. A listing names each summary's version (``Store.versions``), so a settle
round reads again only the summaries that changed, and builds nothing when none did.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hotpapers import layout
from hotpapers.layout import month_key, summary_key
from hotpapers.models import json_bytes
from hotpapers.observability import logger
from hotpapers.schemas import DaySummary, ScoredDay, dump, load
from hotpapers.store import NotFoundError, Store, checked_key, content_type_for
from hotpapers.website import archive, digest, paper
from hotpapers.website.assets import assets

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
    if key == layout.FEED_JSON:
        content_type = "application/feed+json; charset=utf-8"
    if key == layout.SITEMAP or key.startswith(layout.SITEMAPS):
        content_type = "application/xml; charset=utf-8"
    if key.startswith(layout.ASSETS):
        return content_type, IMMUTABLE
    if key.startswith((layout.DIGESTS, layout.PAPERS)):
        return content_type, DAY
    return content_type, SHORT


def _put(site: Store, key: str, body: bytes) -> None:
    content_type, cache_control = headers(key)
    site.put(key, body, content_type, cache_control=cache_control)


def _chrome(options: SiteOptions, scored: dict[str, Any]) -> digest.Chrome:
    return digest.chrome_for(options.embeds, digest.banner(scored))


class _Summaries:
    """The day summaries one render has read, each with the version it was listed at: a settle
    round reads again only those another render rewrote since (its version changed), not the
    whole window, so its cost is what changed, not the archive's window."""

    def __init__(self, site: Store) -> None:
        self.site = site
        self.listed: dict[str, str] = {}
        self.read: dict[str, tuple[str, dict[str, Any] | None]] = {}

    def days(self, month: str) -> list[str]:
        """The days of ``month`` with a summary, and their versions noted for ``get``."""
        versions = self.site.versions(layout.month_summaries(month))
        self.listed.update(versions)
        return [layout.summarised_day(key) for key in versions if key.endswith(".json")]

    def get(self, day: str) -> dict[str, Any] | None:
        key = summary_key(day)
        version = self.listed.get(key)
        kept = self.read.get(key)
        if kept is not None and version is not None and kept[0] == version:
            return kept[1]
        try:
            found: dict[str, Any] | None = load(DaySummary, self.site.get(key), key)
        except NotFoundError:
            found = None  # listed, then replaced: the next render lists it again
        if version is not None:
            # Kept under the version listed before the read: if the object changed in between,
            # the next listing differs from it and the summary is read again.
            self.read[key] = (version, found)
        return found


def _archive(
    site: Store, day: str, summary: dict[str, Any] | None = None, summaries: _Summaries | None = None
) -> archive.Archive:
    """What the pages ``day`` appears on are built from, with ``summary`` (``day``'s, not yet
    written) in it: the summaries of the newest digests (``archive.WINDOW``) and of ``day``'s week
    and month, the dates around ``day`` and every month with a digest.

    It lists the month marks and then only the months it needs (a month's summaries share the
    prefix ``archive/YYYY-MM-``), and reads at most ``WINDOW`` plus a month's and a week's
    summaries: a bounded number of requests, whatever the archive's size. The reads run in
    parallel, as a browser's would, each a round trip to the bucket; given the ``summaries`` of an
    earlier build, only those whose listed version changed are read again."""
    summaries = summaries or _Summaries(site)
    months = sorted({*(layout.marked_month(key) for key in site.keys(layout.MONTHS)), day[:7]}, reverse=True)
    listed: dict[str, list[str]] = {}

    def dates(month: str) -> list[str]:
        if month not in listed:
            listed[month] = summaries.days(month)
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
        read = dict(zip(wanted, pool.map(summaries.get, wanted), strict=True))
    if summary is not None:
        read[day] = summary
    elif day in known:
        read[day] = summaries.get(day)
    found = {d: found for d, found in read.items() if found is not None}
    return archive.Archive(
        days=tuple(found[d] for d in sorted(found, reverse=True)),
        listed=tuple(sorted(known, reverse=True)),
        months=tuple(months),
    )


def _neighbours(site: Store, day: str, now: archive.Archive) -> dict[str, dict[str, Any]]:
    """The published JSON digests of ``day``'s neighbours in ``now``, whose pages link to it."""
    found: dict[str, dict[str, Any]] = {}
    for neighbour in now.neighbours(day):
        if neighbour:
            key = layout.digest_json(neighbour)
            try:
                found[neighbour] = load(ScoredDay, site.get(key), key)
            except NotFoundError:
                continue  # its render was cut short before its last write: resuming it rebuilds its page
    return found


def _shared(
    site: Store,
    scored: dict[str, Any],
    options: SiteOptions,
    now: archive.Archive,
    neighbours: dict[str, dict[str, Any]],
) -> dict[str, bytes]:
    """Every page ``scored``'s day appears on, built from the listing ``now`` and the
    ``neighbours``' digests: nothing else, so the same inputs give the same pages."""
    chrome = _chrome(options, scored)
    day = scored["date"]
    pages = {layout.digest_page(day): digest.page(scored, chrome, *now.neighbours(day))}
    for neighbour, theirs in neighbours.items():
        pages[layout.digest_page(neighbour)] = digest.page(theirs, chrome, *now.neighbours(neighbour))
    pages[layout.INDEX] = archive.index(now, chrome, options.holidays)
    for period in (digest.week_key(day), day[:7]):
        pages[layout.top_page(period)] = archive.top_page(now, period, chrome)
    place = archive.FeedPlace(options.site_url, site.bucket)
    for category in archive.categories(digest.summary(scored)):
        pages[layout.category_page(category)] = archive.category_page(now, category, chrome)
        pages[layout.category_feed(category)] = archive.category_feed(now, category, place, chrome.notice)
    pages[layout.FEED_XML], pages[layout.FEED_JSON] = archive.feeds(now, place, chrome.notice)
    pages[layout.month_sitemap(day[:7])] = archive.month_sitemap(now, day[:7], place)
    pages[layout.SITEMAP] = archive.sitemap_index(now, place)
    return {key: body.encode() for key, body in pages.items()}


def write_rank(key: str, day: str) -> int:
    """Where ``key`` comes in the writes of ``day``'s render: each page after those it links to
    (a category page links its feed, the digest page its categories and paper pages, a retired
    posts page the paper pages), the summary once the digest page exists, and the day's JSON
    digest, the mark of a finished render, last. The digest page and its category and paper pages
    link each other; those are written first, and a crash between them is mended by rendering the
    day again."""
    if key.startswith(layout.ASSETS):
        return 0
    if key == layout.digest_json(day):
        return 6
    if key in (summary_key(day), month_key(day[:7])):
        return 4
    if key == layout.digest_page(day):
        return 3
    if key.startswith((layout.CATEGORIES, f"{layout.digest_stem(day)}/")):
        return 2
    if key.startswith((layout.FEEDS, layout.PAPERS, layout.digest_stem(day))) or key in (
        layout.ABOUT,
        layout.SEARCH_PAGE,
    ):
        return 1
    return 5


def publish_day(scored: dict[str, Any], options: SiteOptions, site: Store) -> list[str]:
    """Build every page ``scored``'s day touches, write them (``write_rank``'s order), and settle
    the shared pages; the keys written."""
    day = scored["date"]
    summary = digest.summary(scored)
    own = {
        layout.digest_markdown(day): digest.markdown(scored).encode(),
        layout.digest_json(day): dump(ScoredDay, scored, layout.digest_json(day)),
        # The month's mark before the summary (``write_rank`` keeps this order): a render that
        # lists the months finds every month whose summaries it could list.
        month_key(day[:7]): json_bytes({"month": day[:7]}),
        summary_key(day): dump(DaySummary, summary, summary_key(day)),
        layout.ABOUT: archive.about(
            options.rules or scored["rules"], options.sources, options.categories, _chrome(options, scored)
        ).encode(),
        layout.SEARCH_PAGE: archive.search_page(_chrome(options, scored)).encode(),
    }
    # A posts page of the day published before papers had pages becomes the list of links to
    # them; a day rendered since never had one, and gets none.
    retired = set(site.keys(layout.posts_pages(day)))
    own.update(
        {
            layout.DIGESTS + name: body.encode()
            for name, body in digest.posts_pages(scored, _chrome(options, scored)).items()
            if layout.DIGESTS + name in retired
        }
    )
    present = set(site.keys(layout.ASSETS))
    own.update({key: body for key, body in assets().files.items() if key not in present})
    summaries = _Summaries(site)
    now = _archive(site, day, summary, summaries)
    own.update(
        {
            key: body.encode()
            for key, body in paper.pages(scored, now, _chrome(options, scored), options.site_url).items()
        }
    )
    built_from = (now, _neighbours(site, day, now))
    written = _shared(site, scored, options, *built_from)
    pages = {**own, **written}
    for key in pages:
        checked_key(key)
    for key in sorted(pages, key=lambda key: write_rank(key, day)):
        _put(site, key, pages[key])
    for _ in range(SETTLE_ROUNDS):
        now = _archive(site, day, summaries=summaries)
        latest = (now, _neighbours(site, day, now))
        # The same inputs build the same pages: only a listing or a neighbour that changed is
        # worth building the shared pages again for.
        again = written if latest == built_from else _shared(site, scored, options, *latest)
        built_from = latest
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

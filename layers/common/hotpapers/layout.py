"""Where everything is kept: every key of the data store, every path of the published site, and
the S3 key patterns that start a step.

Two stores, one layout each:

- **The data store** (``HOTPAPERS_DATA_STORE``), written by fetch and score (and the search
  records, by render and index)::

      raw/<D>/manifest.json                the sealed snapshot of digest day D (starts score)
      raw/<D>/<stamp>-<fingerprint>/...    a snapshot's packs, named by its manifest
      raw/<D>/<stamp>-<fingerprint>/attempt.json   a fetch that must not replace the sealed one
      raw/<D>/refreshes/<stamp>/manifest.json   a later count of the day's attention (starts score)
      raw/<D>/announced-empty.json         arXiv confirmed the day empty
      raw/<D>/notice.json                  the operator's word on the day
      scored/<D>.json                      the scored day (starts render)
      search/days/<D>.json                 the day's search records, written by render (starts index)
      search/records/<bundle>.json.gz      an index bundle's records (the index step's own)
      search/published.json                what the site's index holds (the index step's own)

- **The site** (``HOTPAPERS_SITE_STORE``), written by render; every page links to the others
  relative to its own folder (the templates' ``root``; the feeds through ``archive.FeedPlace``)::

      index.html  about.html  feed.xml  feed.json
      digests/<D>.html .md .json           the digest day D (digests/<D>/posts-<n>.html: retired)
      papers/<arXiv id>.html               a listed paper's page
      sitemap.xml  sitemaps/<YYYY-MM>.xml  the sitemap index, a sitemap per month
      search.html  pagefind/<bundle>/...   the search page, and the index it queries
      top/<YYYY-Www>.html  top/<YYYY-MM>.html
      categories/<category>.html  feeds/<category>.xml
      archive/<D>.json                     the day's summary, what shared pages are built from
      archive/months/<YYYY-MM>.json        a month that has digests
      assets/<name>.<hash>.<ext>

Dates are ``YYYY-MM-DD`` text here, as in the keys; callers pass a ``date`` or its text.
"""

from __future__ import annotations

import re
from datetime import date

DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

# --- The data store ----------------------------------------------------------------------------

RAW = "raw/"
SCORED = "scored/"
MANIFEST_NAME = "manifest.json"
ATTEMPT_NAME = "attempt.json"
EMPTY_NAME = "announced-empty.json"
NOTICE_NAME = "notice.json"
REFRESHES = "refreshes"

SEALED_MANIFEST = re.compile(
    rf"{RAW}(?P<date>{DATE_PATTERN})/(?:{REFRESHES}/[0-9]{{8}}T[0-9]{{6}}Z/)?{re.escape(MANIFEST_NAME)}"
)
"""A sealed manifest's key, the day's own or a refresh's: the raw keys that start the score step
(never ``attempt.json`` nor a raw document)."""
REFRESH_MANIFEST = re.compile(
    rf"{RAW}(?P<date>{DATE_PATTERN})/{REFRESHES}/(?P<stamp>[0-9]{{8}}T[0-9]{{6}}Z)/{re.escape(MANIFEST_NAME)}"
)
"""A refresh's manifest, its time in its key."""
SCORED_DAY = re.compile(rf"{SCORED}(?P<date>{DATE_PATTERN})\.json")
"""A scored day's key: what starts the render step."""

SEALED_MANIFEST_RULE = f"{RAW}*/{MANIFEST_NAME}"
"""``SEALED_MANIFEST`` as the EventBridge rule's ``wildcard`` in template.yaml states it."""
SCORED_DAY_RULE = f"{SCORED}*.json"
"""``SCORED_DAY`` as the EventBridge rule's ``wildcard`` in template.yaml states it."""

SEARCH_DAYS = "search/days/"
SEARCH_RECORDS = "search/records/"
"""The listed papers' search records, by day, a document per index bundle (``search_records``):
what the index step builds each bundle from."""
SEARCH_ALL_RECORDS = "search/records.json.gz"
"""Every day's records in one document, as the first index steps kept them: split into bundles'
documents by the next step, and not read again."""
SEARCH_PUBLISHED = "search/published.json"
"""The index files the site holds and the bundles they were built from."""
SEARCH_DAY = re.compile(rf"{SEARCH_DAYS}(?P<date>{DATE_PATTERN})\.json")
"""A day's search records, which the render writes last: what starts the index step."""
SEARCH_DAY_RULE = f"{SEARCH_DAYS}*.json"
"""``SEARCH_DAY`` as the EventBridge rule's ``wildcard`` in template.yaml states it."""


def raw_prefix(day: date | str) -> str:
    """Everything fetch keeps of digest day ``day``."""
    return f"{RAW}{day}/"


def manifest_key(day: date | str) -> str:
    return raw_prefix(day) + MANIFEST_NAME


def refreshes_prefix(day: date | str) -> str:
    """Every refresh manifest of digest day ``day``."""
    return f"{raw_prefix(day)}{REFRESHES}/"


def refresh_key(day: date | str, stamp: str) -> str:
    """A refresh's manifest: beside the day's first snapshot, which it never replaces."""
    return f"{refreshes_prefix(day)}{stamp}/{MANIFEST_NAME}"


def attempt_key(snapshot_prefix: str) -> str:
    """Where a fetch that must not replace the sealed snapshot keeps its manifest, beside its packs."""
    return f"{snapshot_prefix}/{ATTEMPT_NAME}"


def empty_key(day: date | str) -> str:
    return raw_prefix(day) + EMPTY_NAME


def notice_key(day: date | str) -> str:
    return raw_prefix(day) + NOTICE_NAME


def snapshot_prefix(day: date | str, stamp: str, fingerprint: str) -> str:
    """The folder of one snapshot's packs: its time and a fingerprint of its contents."""
    return f"{raw_prefix(day)}{stamp}-{fingerprint}"


def scored_key(day: date | str) -> str:
    return f"{SCORED}{day}.json"


def search_records(bundle: str) -> str:
    """The search records of one index bundle (``search.bundle_of``), gzip-compressed JSON."""
    return f"{SEARCH_RECORDS}{bundle}.json.gz"


def search_day(day: date | str) -> str:
    return f"{SEARCH_DAYS}{day}.json"


def starts_score(key: str) -> bool:
    """Whether a data-store key's "Object Created" event is the score step's (else the render's)."""
    return key.startswith(RAW)


# --- The site ----------------------------------------------------------------------------------

INDEX = "index.html"
ABOUT = "about.html"
FEED_XML = "feed.xml"
FEED_JSON = "feed.json"
SEARCH_PAGE = "search.html"
SEARCH_INDEX = "pagefind/"
"""Pagefind's files, a folder per bundle of days (``search.bundle_of``)."""
SITEMAP = "sitemap.xml"
SITEMAPS = "sitemaps/"
DIGESTS = "digests/"
PAPERS = "papers/"
TOP = "top/"
CATEGORIES = "categories/"
FEEDS = "feeds/"
ASSETS = "assets/"
SUMMARIES = "archive/"
MONTHS = "archive/months/"


def digest_stem(day: date | str) -> str:
    """``digests/<D>``: the digest's page, Markdown and JSON are this with their suffix."""
    return f"{DIGESTS}{day}"


def digest_page(day: date | str) -> str:
    return f"{digest_stem(day)}.html"


def digest_markdown(day: date | str) -> str:
    return f"{digest_stem(day)}.md"


def digest_json(day: date | str) -> str:
    return f"{digest_stem(day)}.json"


def posts_page_name(number: int) -> str:
    """``posts-2.html``: the second of a day's retired posts pages, in its day's folder."""
    return f"posts-{number}.html"


def posts_pages(day: date | str) -> str:
    """The prefix of a day's retired posts pages (``digests/<D>/posts-``)."""
    return f"{digest_stem(day)}/posts-"


PAPER_ID = re.compile(r"^\d{4}\.\d{4,5}$")
"""New-style arXiv ids (``2606.00001``): the only ones that name a page. An old-style id
(``q-bio/0509018``) would be a folder, and no announcement since 2007 carries one."""


def paper_page(paper_id: str) -> str | None:
    """``papers/2606.00001.html``: a paper's page (digest cards, the retired posts pages, the
    sitemap and search link it); ``None`` for an id that names no page."""
    return f"{PAPERS}{paper_id}.html" if PAPER_ID.match(paper_id) else None


def month_sitemap(month: str) -> str:
    """``sitemaps/2026-06.xml``: the sitemap of a month's digests and paper pages."""
    return f"{SITEMAPS}{month}.xml"


def absolute(path: str, site_url: str) -> str:
    """A site path under the site's public URL."""
    return f"{site_url.rstrip('/')}/{path}"


def top_page(period: str) -> str:
    """A week's (``2026-W23``) or a month's (``2026-06``) best papers."""
    return f"{TOP}{period}.html"


def category_page(category: str) -> str:
    return f"{CATEGORIES}{category}.html"


def category_feed(category: str) -> str:
    return f"{FEEDS}{category}.xml"


def summary_key(day: date | str) -> str:
    """The day's summary: one per day, so overlapping renders never lose an entry."""
    return f"{SUMMARIES}{day}.json"


def month_key(month: str) -> str:
    """The mark that ``month`` (``YYYY-MM``) has digests, so a render lists months, not days."""
    return f"{MONTHS}{month}.json"


def month_summaries(month: str) -> str:
    """The prefix of ``month``'s day summaries (``archive/2026-06-``), which never names a mark."""
    return f"{SUMMARIES}{month}-"


def marked_month(key: str) -> str:
    """The month a ``month_key`` names."""
    return key[len(MONTHS) : -len(".json")]


def summarised_day(key: str) -> str:
    """The day a ``summary_key`` names."""
    return key[len(SUMMARIES) : -len(".json")]

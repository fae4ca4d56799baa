"""A source whose day collapsed: answers well formed, and far fewer posts than it usually has.

A changed search backend, a revoked token served as anonymous, or a region block can each make a
source answer an empty or tiny list with no error, which alone would pass as ``ok``. So each
source's posts of the day are compared with the median of its posts over the last sealed days
(their manifests record them), and a day below ``HOTPAPERS_COLLAPSE_SHARE`` of that median is
``suspect``, unless arXiv's own volume is light that day too (fewer papers, fewer posts). Reading
the history is bounded: at most ``TRAILING_DAYS`` manifests, looked for over ``LOOKBACK_DAYS``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any

from hotpapers.layout import manifest_key
from hotpapers.store import Store

TRAILING_DAYS = 10
"""How many sealed days the day is compared with."""
LOOKBACK_DAYS = 21
"""How many calendar days back they are looked for (weekends and holidays have none)."""
MIN_HISTORY = 3
"""Fewer sealed days with a source's figure than this: too little to judge it by."""
LIGHT_ARXIV_SHARE = 0.5
"""A day whose arXiv volume is below this share of its trailing median is light: few posts are
then expected, and no source is judged."""


@dataclass(frozen=True)
class History:
    """What the last sealed days' manifests say: arXiv's entries and each source's posts, a figure
    per day that has one."""

    entries: list[int] = field(default_factory=list)
    posts: Mapping[str, list[int]] = field(default_factory=dict)


def arxiv_entries(arxiv: Mapping[str, Any]) -> int | None:
    """The entries arXiv's pages held, from a manifest's ``arxiv`` entry (``None`` if it lacks them)."""
    counts = [entry.get("entries") for entry in arxiv.get("files", [])]
    return sum(counts) if counts and all(isinstance(count, int) for count in counts) else None


def history(store: Store, digest_date: date) -> History:
    """The figures of the sealed days before ``digest_date``: at most ``TRAILING_DAYS`` manifests,
    within ``LOOKBACK_DAYS``, each asked for by its key (never a listing of the archive). A source
    flagged ``suspect`` on a day is left out of that day's figures, so that a lasting collapse
    does not become the norm it is judged by."""
    entries: list[int] = []
    posts: dict[str, list[int]] = defaultdict(list)
    read = 0
    for back in range(1, LOOKBACK_DAYS + 1):
        key = manifest_key(digest_date - timedelta(days=back))
        if key not in store.keys(key):
            continue
        manifest = json.loads(store.get(key))
        if (count := arxiv_entries(manifest.get("arxiv", {}))) is not None:
            entries.append(count)
        for name, info in manifest.get("sources", {}).items():
            if info.get("status") == "ok" and isinstance(info.get("posts"), int) and not info.get("suspect"):
                posts[name].append(info["posts"])
        read += 1
        if read == TRAILING_DAYS:
            break
    return History(entries, dict(posts))


def suspects(past: History, entries: int | None, posts: Mapping[str, int], share: float) -> dict[str, str]:
    """Each source of ``posts`` (the day's count of each) below ``share`` of its trailing median,
    with both figures; none on a light arXiv day (``entries`` against the trailing entries)."""
    if entries is not None and past.entries and entries < LIGHT_ARXIV_SHARE * median(past.entries):
        return {}
    found = {}
    for name, count in sorted(posts.items()):
        figures = past.posts.get(name, [])
        if len(figures) < MIN_HISTORY:
            continue
        usual = median(figures)
        if count < share * usual:
            found[name] = (
                f"{name}: {count} posts where its median over the last {len(figures)} sealed days is {usual:g}"
            )
    return found

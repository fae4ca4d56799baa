"""The index step: a day's search records become part of the site's search over every day.

It runs after each render (the render writes ``search/days/<D>.json`` last), on its own, so the
render's work stays bounded whatever the archive's size. It reads the day's records, the list of
what the site holds (``search/published.json``) and the records of the bundles the day changes:
the day's own bundle, and, when the newest day enters a new month, the recent bundle and those its
oldest days move into (``search.bundle_of``). It builds those bundles again, publishes the files
that changed (``hotpapers.search``) and writes their records back, so a day's step reads and
writes the recent days' records, not the archive's.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from hotpapers import layout, search
from hotpapers.models import json_bytes
from hotpapers.observability import logger
from hotpapers.store import Store

Days = dict[str, list[dict[str, Any]]]


class _Bundles:
    """The records of the bundles one step reads, each read once, from its own document."""

    def __init__(self, data: Store) -> None:
        self.data = data
        self.read: dict[str, Days] = {}
        self.split_from_all = False

    def __getitem__(self, name: str) -> Days:
        if name not in self.read:
            self.read[name] = search.stored(self.data, layout.search_records(name), {})
        return self.read[name]

    def split(self, cumulative: Days) -> None:
        """Take every bundle's records from ``cumulative``, one document of every day's records
        (``layout.SEARCH_ALL_RECORDS``, as the first steps kept them), to be written as their own."""
        self.read.update(search.bundled(cumulative))
        self.split_from_all = bool(cumulative)


def index_day(day_object_key: str, data: Store, site: search.PrunableStore) -> dict[str, Any]:
    """Merge the records at ``day_object_key`` into their bundle's and publish the search index again."""
    found = json.loads(data.get(day_object_key))
    day = found["date"]
    before = search.stored(data, layout.SEARCH_PUBLISHED, {"files": {}, "bundles": {}})
    bundles = _Bundles(data)
    sizes: dict[str, list[int]] = dict(before.get("sizes", {}))
    previous = before.get("newest")
    if previous is None:
        # The first step, or the first since steps kept every day in one document: split it, once.
        bundles.split(search.stored(data, layout.SEARCH_ALL_RECORDS, {}))
        previous = max((d for days in bundles.read.values() for d in days), default=None)
    newest = max(day, previous or day)
    if previous is not None and search.bundle_of(previous, newest) != search.RECENT:
        # The newest day entered a new month: the recent days before the month before it move to
        # their two-year bundles.
        recent = bundles[search.RECENT]
        for moving in [d for d in recent if search.bundle_of(d, newest) != search.RECENT]:
            bundles[search.bundle_of(moving, newest)][moving] = recent.pop(moving)
    home = search.bundle_of(day, newest)
    bundles.read[home] = search.merged(bundles[home], day, found["records"])
    for name, days in bundles.read.items():
        bundles.read[name] = {d: days[d] for d in sorted(days)}  # the moved days among the others
        sizes[name] = [len(days), sum(len(records) for records in days.values())]
    fingerprints = {**before["bundles"], **{name: search.fingerprint(days) for name, days in bundles.read.items()}}
    names = search.in_order(name for name in fingerprints if sizes.get(name, [0])[0])
    built = [name for name in names if name in bundles.read and before["bundles"].get(name) != fingerprints[name]]
    files = {search.BUNDLES: json_bytes({"bundles": names})}
    for name in built:
        files.update(search.build(bundles.read[name], name))
    kept = {
        key: digest
        for key, digest in before["files"].items()
        if key.split("/")[1] in names and key.split("/")[1] not in built
    }
    published = search.publish(files, before["files"], site, kept)
    # Written after the site's files: a step that fails before this publishes again next time,
    # comparing with what the site held before (a file written twice is the same file).
    # Level 6, not gzip's 9: a few seconds less for tens of megabytes, hardly bigger.
    for name, days in bundles.read.items():
        if bundles.split_from_all or before["bundles"].get(name) != fingerprints[name]:
            body = gzip.compress(json_bytes(days), compresslevel=6, mtime=0)
            data.put(layout.search_records(name), body, "application/gzip")
    data.put(
        layout.SEARCH_PUBLISHED,
        json_bytes(
            {
                "files": published,
                "bundles": {name: fingerprints[name] for name in names},
                "sizes": {name: sizes[name] for name in names},
                "newest": newest,
            }
        ),
        "application/json",
    )
    papers = sum(sizes[name][1] for name in names)
    logger.info("search index published", extra={"date": day, "papers": papers, "built": built})
    return {"date": day, "days": sum(sizes[name][0] for name in names), "papers": papers, "built": built}

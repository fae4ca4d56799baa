"""The index step: a day's search records become part of the site's search over every day.

It runs after each render (the render writes ``search/days/<D>.json`` last), on its own, so the
render's work stays bounded whatever the archive's size: this step reads one day's records and
the cumulative document, writes the cumulative document back, builds again only the index
bundles whose records changed, and publishes the files that changed (``hotpapers.search``).
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from hotpapers import layout, search
from hotpapers.models import json_bytes
from hotpapers.observability import logger
from hotpapers.store import Store


def index_day(day_object_key: str, data: Store, site: search.PrunableStore) -> dict[str, Any]:
    """Merge the records at ``day_object_key`` into the archive's and publish the search index again."""
    found = json.loads(data.get(day_object_key))
    day = found["date"]
    cumulative = search.merged(search.stored(data, layout.SEARCH_RECORDS, {}), day, found["records"])
    before = search.stored(data, layout.SEARCH_PUBLISHED, {"files": {}, "bundles": {}})
    bundles = search.bundled(cumulative)
    fingerprints = {name: search.fingerprint(days) for name, days in bundles.items()}
    built = [name for name in bundles if before["bundles"].get(name) != fingerprints[name]]
    files = {search.BUNDLES: json_bytes({"bundles": list(bundles)})}
    for name in built:
        files.update(search.build(bundles[name], name))
    kept = {
        key: digest
        for key, digest in before["files"].items()
        if key.split("/")[1] in bundles and key.split("/")[1] not in built
    }
    published = search.publish(files, before["files"], site, kept)
    # Written after the site's files: a step that fails before this publishes again next time,
    # comparing with what the site held before (a file written twice is the same file).
    # Level 6, not gzip's 9: a few seconds less for tens of megabytes, hardly bigger.
    data.put(layout.SEARCH_RECORDS, gzip.compress(json_bytes(cumulative), compresslevel=6, mtime=0), "application/gzip")
    data.put(layout.SEARCH_PUBLISHED, json_bytes({"files": published, "bundles": fingerprints}), "application/json")
    papers = sum(len(records) for records in cumulative.values())
    logger.info("search index published", extra={"date": day, "papers": papers, "built": built})
    return {"date": day, "days": len(cumulative), "papers": papers, "built": built}

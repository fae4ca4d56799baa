"""The render step: ``scored/<D>.json`` becomes the published digest and the pages it appears on."""

from __future__ import annotations

from typing import Any

from hotpapers import layout, search, website
from hotpapers.config import Settings
from hotpapers.models import json_bytes
from hotpapers.observability import logger
from hotpapers.rules import Rules
from hotpapers.schemas import ScoredDay, load
from hotpapers.store import Store


def render_day(scored_object_key: str, settings: Settings, data: Store, site: Store) -> dict[str, Any]:
    """Publish the digest of ``scored/<D>.json`` and every shared page its day appears on, then
    write the day's search records."""
    scored = load(ScoredDay, data.get(scored_object_key), scored_object_key)
    options = website.SiteOptions(
        site_url=settings.site_url,
        embeds=settings.embeds,
        holidays=settings.arxiv_holidays,
        sources=settings.sources,
        categories=settings.categories,
        # The about page states the rules in force, whichever day is rendered.
        rules=Rules.from_settings(settings).describe(settings.sources),
    )
    keys = website.publish_day(scored, options, site)
    # Last, once the day is published: this object starts the index step (its own, unbounded by
    # the render's budget), which adds the day to the search over every day.
    records = {"date": scored["date"], "records": search.records(scored)}
    data.put(layout.search_day(scored["date"]), json_bytes(records), "application/json")
    logger.info("digest published", extra={"date": scored["date"], "papers": len(scored["papers"])})
    return {"date": scored["date"], "papers": len(scored["papers"]), "keys": keys}

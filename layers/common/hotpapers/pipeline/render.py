"""The render step: ``scored/<D>.json`` becomes the published digest and the pages it appears on."""

from __future__ import annotations

from typing import Any

from hotpapers import website
from hotpapers.config import Settings
from hotpapers.observability import logger
from hotpapers.rules import Rules
from hotpapers.schemas import ScoredDay, load
from hotpapers.store import Store


def render_day(scored_object_key: str, settings: Settings, data: Store, site: Store) -> dict[str, Any]:
    """Publish the digest of ``scored/<D>.json`` and every shared page its day appears on."""
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
    logger.info("digest published", extra={"date": scored["date"], "papers": len(scored["papers"])})
    return {"date": scored["date"], "papers": len(scored["papers"]), "keys": keys}

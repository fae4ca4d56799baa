"""The render step: ``scored/<D>.json`` becomes the published digest and the pages it appears on."""

from __future__ import annotations

import json
from typing import Any

from hotpapers import website
from hotpapers.config import Settings
from hotpapers.observability import logger
from hotpapers.rules import Rules
from hotpapers.schemas import ScoredDay
from hotpapers.store import Store


def render_day(scored_object_key: str, settings: Settings, data: Store, site: Store) -> dict[str, Any]:
    """Publish the digest of ``scored/<D>.json`` and every shared page its day appears on."""
    scored = json.loads(data.get(scored_object_key))
    # Checked at the step boundary; the site is still built from the document as read, so the
    # published digests/<D>.json keeps its bytes.
    day = ScoredDay.model_validate(scored)
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
    logger.info("digest published", extra={"date": day.date, "papers": len(day.papers)})
    return {"date": day.date, "papers": len(day.papers), "keys": keys}

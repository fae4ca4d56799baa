"""The score step: a sealed raw snapshot becomes ``scored/<D>.json``."""

from __future__ import annotations

import json
from typing import Any

from hotpapers import scoring, snapshot
from hotpapers.config import Settings
from hotpapers.observability import logger
from hotpapers.store import Store


def score_day(manifest_key: str, settings: Settings, store: Store) -> dict[str, Any]:
    """Score the snapshot sealed at ``manifest_key`` and write ``scored/<D>.json``."""
    sealed = snapshot.read(store, manifest_key)
    rules = scoring.Rules(
        min_score=settings.min_score,
        min_post_engagement=settings.min_post_engagement,
        max_posts=settings.max_posts,
        account_cap=settings.account_cap,
        ignored_accounts=settings.ignored_accounts,
        weights=settings.weights,
    )
    scored = scoring.score_snapshot(sealed, rules)
    key = scored_key(scored["date"])
    store.put(key, _json(scored), "application/json")
    logger.info("scored", extra={"key": key, "listed": len(scored["papers"])})
    return {"key": key, **scored}


def scored_key(digest_date: str) -> str:
    return f"scored/{digest_date}.json"


def _json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()

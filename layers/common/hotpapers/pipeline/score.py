"""The score step: a sealed raw snapshot becomes ``scored/<D>.json``."""

from __future__ import annotations

from typing import Any

from hotpapers import scoring, snapshot
from hotpapers.config import Settings
from hotpapers.models import json_bytes
from hotpapers.observability import logger
from hotpapers.store import Store


def score_day(manifest_key: str, settings: Settings, store: Store) -> dict[str, Any]:
    """Score the snapshot sealed at ``manifest_key`` and write ``scored/<D>.json``."""
    sealed = snapshot.read(store, manifest_key)
    scored = scoring.score_snapshot(sealed, scoring.Rules.from_settings(settings))
    key = scored_key(scored["date"])
    store.put(key, json_bytes(scored), "application/json")
    logger.info("scored", extra={"key": key, "listed": len(scored["papers"])})
    return {"key": key, **scored}


def scored_key(digest_date: str) -> str:
    return f"scored/{digest_date}.json"

"""The score step: a sealed raw snapshot becomes ``scored/<D>.json``."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hotpapers import notice, scoring, snapshot
from hotpapers.config import Settings
from hotpapers.layout import scored_key
from hotpapers.observability import logger
from hotpapers.rules import Rules
from hotpapers.schemas import ScoredDay, dump
from hotpapers.store import Store


def score_day(manifest_key: str, settings: Settings, store: Store) -> dict[str, Any]:
    """Score the snapshot sealed at ``manifest_key`` and write ``scored/<D>.json``."""
    with _collector_paused():
        sealed = snapshot.read(store, manifest_key)
        scored = scoring.score_snapshot(sealed, Rules.from_settings(settings))
    # What the day's pages must say of its data travels with the snapshot, never with the settings.
    said = notice.read(store, scored["date"])
    if said:
        scored = notice.apply(said, scored)
    key = scored_key(scored["date"])
    store.put(key, dump(ScoredDay, scored, key), "application/json")
    logger.info("scored", extra={"key": key, "listed": len(scored["papers"])})
    return {"key": key, **scored}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused, then resumed as it was, whatever happens.

    Scoring a big day makes some million objects that live to its end (every post read) and
    almost no reference cycle (32 objects of cyclic garbage on the 100,000-post day), so the
    collector's passes over them found nothing and cost about a quarter of the step
    (docs/performance.md); what plain reference counting frees is freed all the same.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

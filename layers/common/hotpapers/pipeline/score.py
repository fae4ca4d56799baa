"""The score step: a sealed raw snapshot becomes ``scored/<D>.json``."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hotpapers import notice, scoring, snapshot
from hotpapers.config import Settings
from hotpapers.layout import SEALED_MANIFEST, scored_key
from hotpapers.observability import logger
from hotpapers.rules import Rules
from hotpapers.schemas import ScoredDay, dump
from hotpapers.store import Store


def score_day(manifest_key: str, settings: Settings, store: Store) -> dict[str, Any]:
    """Score the day whose snapshot (its first, or a refresh) is sealed at ``manifest_key`` and
    write ``scored/<D>.json``: the newest snapshot's scoring, and, once the day is refreshed,
    ``counts_as_of`` and each listed paper's ``history`` (a point per snapshot that scored it)."""
    rules = Rules.from_settings(settings)
    with _collector_paused():
        # The day is named by the key itself: the manifest is read once, with the day's others.
        named = SEALED_MANIFEST.fullmatch(manifest_key)
        keys = (snapshot.day_manifests(store, named["date"]) if named else []) or [manifest_key]
        scorings = [scoring.score_snapshot(snapshot.read(store, key), rules) for key in keys]
    scored = with_history(scorings)
    # What the day's pages must say of its data travels with the snapshot, never with the settings.
    said = notice.read(store, scored["date"])
    if said:
        scored = notice.apply(said, scored)
    key = scored_key(scored["date"])
    store.put(key, dump(ScoredDay, scored, key), "application/json")
    logger.info("scored", extra={"key": key, "listed": len(scored["papers"])})
    return {"key": key, **scored}


def with_history(scorings: list[dict[str, Any]]) -> dict[str, Any]:
    """The newest of a day's scorings (oldest first), with its history when it has more than one.

    Refreshes older than the day's first snapshot (the day fetched again since) count no more.
    A day never refreshed is written as before; its readers take it as one point."""
    first, *later = scorings
    kept = [first, *(each for each in later if each["fetched_at"] > first["fetched_at"])]
    newest = kept[-1]
    if len(kept) == 1:
        return newest
    points: dict[str, list[dict[str, Any]]] = {}
    for each in kept:
        for paper in each["papers"]:
            points.setdefault(paper["paper"]["id"], []).append(
                {"as_of": each["fetched_at"], "score": paper["score"], "counts": paper["counts"]}
            )
    return {
        **newest,
        # The digest was published with the first fetch; its counts are the newest's.
        "fetched_at": first["fetched_at"],
        "counts_as_of": newest["fetched_at"],
        "papers": [{**paper, "history": points[paper["paper"]["id"]]} for paper in newest["papers"]],
    }


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

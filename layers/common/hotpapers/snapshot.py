"""The raw snapshot: upstream documents exactly as fetched, and the manifest that seals them.

Each fetch writes its documents under ``raw/<D>/<fetched-at>/`` and only then the manifest
``raw/<D>/manifest.json``, which names them. The manifest's arrival is what starts the score
step, so a fetch that fails half-way leaves the previous snapshot (and digest) in force.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hotpapers.models import RawDocument, iso_utc
from hotpapers.schedule import Window
from hotpapers.store import Store

MANIFEST_NAME = "manifest.json"
ATTEMPT_NAME = "attempt.json"
FORMAT = 1


def manifest_key(digest_date: date | str) -> str:
    return f"raw/{digest_date}/{MANIFEST_NAME}"


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Snapshot:
    """A sealed snapshot read back: the manifest and every document it names."""

    manifest: dict[str, Any]
    arxiv: list[bytes]
    sources: dict[str, dict[str, bytes]]

    @property
    def digest_date(self) -> str:
        return str(self.manifest["date"])


def write(
    store: Store,
    window: Window,
    fetched_at: datetime,
    categories: tuple[str, ...],
    arxiv_documents: list[RawDocument],
    source_documents: Mapping[str, list[RawDocument]],
    failures: Mapping[str, str],
    *,
    seal: bool = True,
    out_of_reach: Mapping[str, str] | None = None,
    flags: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """Store every document, then the manifest; returns the manifest's key.

    ``out_of_reach`` names sources not asked because the day is beyond their API's reach (not a
    failure); ``flags`` adds to a fetched source's entry (``capped``, ``skipped``). Unsealed
    (``seal=False``), the manifest is written beside the documents as ``attempt.json``, a key no
    rule starts anything on, and the day's sealed manifest is left as it was.
    """
    prefix = f"raw/{window.digest_date}/{stamp(fetched_at)}"

    def put_all(folder: str, documents: list[RawDocument]) -> list[dict[str, Any]]:
        entries = []
        for document in documents:
            key = f"{prefix}/{folder}/{document.name}"
            store.put(key, document.body, document.content_type)
            entries.append(
                {
                    "name": document.name,
                    "key": key,
                    "url": document.url,
                    "status": document.status,
                    **document.meta,
                }
            )
        return entries

    sources: dict[str, Any] = {}
    for name, error in failures.items():
        sources[name] = {"status": "failed", "error": error, "files": []}
    for name, reason in (out_of_reach or {}).items():
        sources[name] = {"status": "out-of-reach", "error": reason, "files": []}
    for name, documents in source_documents.items():
        sources[name] = {
            "status": "ok",
            "error": None,
            "files": put_all(name, documents),
            **(flags or {}).get(name, {}),
        }
    manifest = {
        "format": FORMAT,
        "date": window.digest_date.isoformat(),
        "window": window.to_dict(),
        "fetched_at": iso_utc(fetched_at),
        "categories": list(categories),
        "arxiv": {"files": put_all("arxiv", arxiv_documents)},
        "sources": sources,
    }
    key = manifest_key(window.digest_date) if seal else f"{prefix}/{ATTEMPT_NAME}"
    store.put(key, json.dumps(manifest, indent=2, sort_keys=True).encode(), "application/json")
    return key


def sealed_sources(store: Store, digest_date: date) -> set[str]:
    """The sources the day's sealed snapshot has (empty when the day has none yet)."""
    key = manifest_key(digest_date)
    # Listed rather than read blind: S3 answers a missing key with 403, not 404, unless the
    # role may list that very key, so existence is asked the way the role is sure to allow.
    if key not in store.keys(key):
        return set()
    manifest = json.loads(store.get(key))
    return {name for name, info in manifest["sources"].items() if info["status"] == "ok"}


def read(store: Store, key: str) -> Snapshot:
    """The snapshot sealed by the manifest at ``key``."""
    manifest = json.loads(store.get(key))
    return Snapshot(
        manifest=manifest,
        arxiv=[store.get(entry["key"]) for entry in manifest["arxiv"]["files"]],
        sources={
            name: {entry["name"]: store.get(entry["key"]) for entry in info["files"]}
            for name, info in manifest["sources"].items()
            if info["status"] == "ok"
        },
    )

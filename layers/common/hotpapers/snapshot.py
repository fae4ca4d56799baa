"""The raw snapshot: upstream documents exactly as fetched, and the manifest that seals them.

Each fetch writes its documents under ``raw/<D>/<fetched-at>-<fingerprint>/`` and only then the
manifest ``raw/<D>/manifest.json``, which names them. The manifest's arrival is what starts the
score step, so a fetch that fails half-way leaves the previous snapshot (and digest) in force.

A snapshot folder is written once. Its name ends with a fingerprint of everything the fetch
stored (each document's name, bytes and provenance, the failures, sealed or not), so two fetches
in the same second that differ get different folders, and the same fetch twice gets the same
folder with the same bytes; an object already in a folder is never written again. A manifest
event delivered late therefore always finds the documents its manifest named.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hotpapers.models import RawDocument, iso_utc
from hotpapers.schedule import Window
from hotpapers.store import Store

MANIFEST_NAME = "manifest.json"
ATTEMPT_NAME = "attempt.json"
PAPERS_NAME = "papers.json"
FORMAT = 1
FINGERPRINT_LENGTH = 12


def manifest_key(digest_date: date | str) -> str:
    return f"raw/{digest_date}/{MANIFEST_NAME}"


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


class StoredDocuments(Mapping[str, bytes]):
    """A source's documents (by name) in a snapshot, each read from the store when asked for and
    not kept: a reader holds one page at a time, never a big day's 85 MB of documents at once."""

    def __init__(self, store: Store, keys: Mapping[str, str]) -> None:
        self._store = store
        self._keys = dict(keys)

    def __getitem__(self, name: str) -> bytes:
        return self._store.get(self._keys[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@dataclass(frozen=True)
class Snapshot:
    """A sealed snapshot read back: the manifest and every document it names."""

    manifest: dict[str, Any]
    arxiv: list[bytes]
    sources: Mapping[str, Mapping[str, bytes]]
    papers: bytes | None = None
    """The pages' papers as the fetch step parsed them (``arxiv.papers_document``); ``None`` for
    a snapshot sealed before fetches sealed them."""

    @property
    def digest_date(self) -> str:
        return str(self.manifest["date"])

    @property
    def window(self) -> Window:
        return Window.from_dict(self.manifest["window"])


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
    papers: bytes | None = None,
) -> str:
    """Store every document, then the manifest; returns the manifest's key.

    ``out_of_reach`` names sources not asked because the day is beyond their API's reach (not a
    failure). Unsealed (``seal=False``), the manifest is written beside the documents as
    ``attempt.json``, a key no rule starts anything on, and the day's sealed manifest is left as it
    was. ``flags`` adds fields to a source's manifest entry (``capped``, ``skipped``, ``degraded``).
    ``papers`` (``arxiv.papers_document``) is sealed beside the pages it was parsed from, as
    ``arxiv/papers.json``, the manifest's ``arxiv.papers``: derived, not fetched, so that the score
    step need not parse the pages again; the pages stay the record.
    """

    def described(documents: list[RawDocument]) -> list[dict[str, Any]]:
        return [
            {"name": document.name, "url": document.url, "status": document.status, **document.meta}
            for document in documents
        ]

    sources: dict[str, Any] = {}
    for name, error in failures.items():
        sources[name] = {"status": "failed", "error": error, "files": []}
    for name, reason in (out_of_reach or {}).items():
        sources[name] = {"status": "out-of-reach", "error": reason, "files": []}
    for name, documents in source_documents.items():
        sources[name] = {"status": "ok", "error": None, "files": described(documents)}
    for name, extra in (flags or {}).items():
        sources[name].update(extra)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "date": window.digest_date.isoformat(),
        "window": window.to_dict(),
        "fetched_at": iso_utc(fetched_at),
        "categories": list(categories),
        "arxiv": {"files": described(arxiv_documents)},
        "sources": sources,
    }
    everything = {"arxiv": arxiv_documents, **source_documents}
    prefix = f"raw/{window.digest_date}/{stamp(fetched_at)}-{_fingerprint(manifest, everything, seal, papers)}"
    present = set(store.keys(f"{prefix}/"))
    if papers is not None:
        papers_key = f"{prefix}/arxiv/{PAPERS_NAME}"
        manifest["arxiv"]["papers"] = {"key": papers_key}
        if papers_key not in present:
            store.put(papers_key, papers, "application/json")
    for folder, documents in everything.items():
        entries = manifest["arxiv"]["files"] if folder == "arxiv" else sources[folder]["files"]
        for entry, document in zip(entries, documents, strict=True):
            entry["key"] = f"{prefix}/{folder}/{document.name}"
            # Same folder, same fingerprint, same bytes: what is there already stays untouched.
            if entry["key"] not in present:
                store.put(entry["key"], document.body, document.content_type)
    key = manifest_key(window.digest_date) if seal else f"{prefix}/{ATTEMPT_NAME}"
    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
    if key not in present:
        store.put(key, body, "application/json")
    return key


def _fingerprint(
    manifest: Mapping[str, Any], documents: Mapping[str, list[RawDocument]], seal: bool, papers: bytes | None
) -> str:
    """A short digest of everything a fetch stores, to name its folder."""
    digest = hashlib.sha256(json.dumps({"seal": seal, "manifest": manifest}, sort_keys=True).encode())
    if papers is not None:
        digest.update(f"\0arxiv/{PAPERS_NAME}\0".encode())
        digest.update(hashlib.sha256(papers).digest())
    for folder, batch in sorted(documents.items()):
        for document in batch:
            digest.update(f"\0{folder}/{document.name}\0".encode())
            digest.update(hashlib.sha256(document.body).digest())
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def sealed_documents(store: Store, digest_date: date) -> dict[str, StoredDocuments]:
    """Each source's documents in the day's sealed snapshot, for the sources it has (status
    ``ok``); empty when the day has no sealed snapshot yet."""
    key = manifest_key(digest_date)
    # Listed rather than read blind: S3 answers a missing key with 403, not 404, unless the
    # role may list that very key, so existence is asked the way the role is sure to allow.
    if key not in store.keys(key):
        return {}
    return _source_documents(store, json.loads(store.get(key)))


def read(store: Store, key: str) -> Snapshot:
    """The snapshot sealed by the manifest at ``key``."""
    manifest = json.loads(store.get(key))
    return Snapshot(
        manifest=manifest,
        arxiv=[store.get(entry["key"]) for entry in manifest["arxiv"]["files"]],
        sources=_source_documents(store, manifest),
        papers=store.get(manifest["arxiv"]["papers"]["key"]) if "papers" in manifest["arxiv"] else None,
    )


def _source_documents(store: Store, manifest: Mapping[str, Any]) -> dict[str, StoredDocuments]:
    return {
        name: StoredDocuments(store, {entry["name"]: entry["key"] for entry in info["files"]})
        for name, info in manifest["sources"].items()
        if info["status"] == "ok"
    }

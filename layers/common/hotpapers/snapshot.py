"""The raw snapshot: upstream documents exactly as fetched, and the manifest that seals them.

Each fetch writes its documents under ``raw/<D>/<fetched-at>-<fingerprint>/`` and only then the
manifest ``raw/<D>/manifest.json``, which names them. The manifest's arrival is what starts the
score step, so a fetch that fails half-way leaves the previous snapshot (and digest) in force.

A snapshot folder is written once. Its name ends with a fingerprint of everything the fetch
stored (each document's name, bytes and provenance, the failures, sealed or not), so two fetches
in the same second that differ get different folders, and the same fetch twice gets the same
folder with the same bytes; an object already in a folder is never written again. A manifest
event delivered late therefore always finds the documents its manifest named.

Documents are stored in packs (format 2), not one object each: a big day is some 1,800 upstream
answers, and S3 bills every PUT and every GB-month. Each document is one gzip member of its
source's pack ``<folder>/<source>/pack-NNNN.gz``; a pack grows to ``PACK_BYTES`` compressed, then
the next begins. The manifest gives each document's pack, the member's place in it (``offset``,
``length``), its size and content type, so a document reads back byte for byte, and a reader holds
one pack at a time, never a source's whole answer. A pack is itself a valid gzip file: ``gunzip``
gives its documents one after the other. Format 1 snapshots (each document its own object, as
fetched) read back as before.

Byte for byte, but for one thing: every secret the process knows is masked (``redaction``), in
each document's body and URL, before anything is stored. An upstream may redirect to a URL that
carries the caller's token, or reflect credentials in the text of a 200 answer; the score and
render steps read what is stored, so the scored day and the site are masked with it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from hotpapers.layout import attempt_key, manifest_key, refresh_key, refreshes_prefix, snapshot_prefix
from hotpapers.models import RawDocument, iso_utc
from hotpapers.redaction import redact, redact_bytes, redact_value
from hotpapers.schedule import Window
from hotpapers.schemas import Manifest, checked, load
from hotpapers.store import Store

PAPERS_NAME = "papers.json"
FORMAT = 2
FINGERPRINT_LENGTH = 12
PACK_BYTES = 4 * 2**20
"""How large a pack may grow, compressed, before the next begins (a lone larger document has a
pack of its own): what a reader of the snapshot holds at once besides the document it reads."""
PACK_TYPE = "application/gzip"
COMPRESSION = 6
"""zlib's own default: raw JSON and Atom shrink about 7 times at a fifth of level 9's CPU time."""


STAMP = "%Y%m%dT%H%M%SZ"
"""How a key names the time of a fetch (``stamp``)."""


def stamp(moment: datetime) -> str:
    return moment.strftime(STAMP)


class Packs:
    """A snapshot's documents read from its store, holding nothing but the pack last read (at
    most ``PACK_BYTES`` compressed), whichever source it is of: a reader going through the
    documents in their order reads each pack once, and never holds a big day's 85 MB of
    documents at once, nor a pack per source."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pack: tuple[str, bytes] = ("", b"")

    def document(self, entry: Mapping[str, Any]) -> bytes:
        """The document a manifest entry names, byte for byte as fetched."""
        if "offset" not in entry:
            # Format 1: the document is an object of its own, stored as fetched.
            return self._store.get(entry["key"])
        key, pack = self._pack
        if key != entry["key"]:
            key, pack = self._pack = entry["key"], self._store.get(entry["key"])
        start = entry["offset"]
        return gzip.decompress(pack[start : start + entry["length"]])


class StoredDocuments(Mapping[str, bytes]):
    """A source's documents (by name) in a snapshot, each read when asked for (``Packs``)."""

    def __init__(self, packs: Packs, entries: Mapping[str, Mapping[str, Any]]) -> None:
        self._packs = packs
        self._entries = dict(entries)

    def __getitem__(self, name: str) -> bytes:
        return self._packs.document(self._entries[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True)
class Snapshot:
    """A sealed snapshot read back: the manifest and every document it names."""

    manifest: dict[str, Any]
    arxiv: Collection[bytes]
    """The pages, in order; read back from a store, each page is read when iterated: the score
    step reads them only for a snapshot sealed without its papers."""
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
    late: Collection[str] = (),
) -> str:
    """Store every document, then the manifest; returns the manifest's key.

    ``out_of_reach`` names sources not asked because the day is beyond their API's reach (not a
    failure). Unsealed (``seal=False``), the manifest is written beside the documents as
    ``attempt.json``, a key no rule starts anything on, and the day's sealed manifest is left as it
    was. ``flags`` adds fields to a source's manifest entry (``capped``, ``skipped``, ``degraded``).
    ``papers`` (``arxiv.papers_document``) is sealed beside the pages it was parsed from, in a pack
    of its own under ``arxiv/papers/``, the manifest's ``arxiv.papers``: derived, not fetched, so
    that the score step need not parse the pages again; the pages stay the record. ``late`` names
    the papers announced late (``hotpapers.late``), the manifest's ``arxiv.late``.
    """

    arxiv_documents = [_masked(document) for document in arxiv_documents]
    source_documents = {
        name: [_masked(document) for document in documents] for name, documents in source_documents.items()
    }

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
        "arxiv": {"files": described(arxiv_documents), **({"late": sorted(late)} if late else {})},
        "sources": sources,
    }
    everything = {"arxiv": arxiv_documents, **source_documents}
    prefix = snapshot_prefix(window.digest_date, stamp(fetched_at), _fingerprint(manifest, everything, seal, papers))
    present = set(store.keys(f"{prefix}/"))
    if papers is not None:
        # Packed like the pages beside them, in a pack of their own: the score step reads them
        # instead of the pages, and never needs both.
        ((papers_key, pack, (place,)),) = _packs(f"{prefix}/arxiv/papers", [papers])
        manifest["arxiv"]["papers"] = place
        if papers_key not in present:
            store.put(papers_key, pack, PACK_TYPE)
    for folder, documents in everything.items():
        entries = manifest["arxiv"]["files"] if folder == "arxiv" else sources[folder]["files"]
        places: list[dict[str, Any]] = []
        for key, pack, placed in _packs(f"{prefix}/{folder}", [document.body for document in documents]):
            # Same folder, same fingerprint, same bytes: what is there already stays untouched.
            if key not in present:
                store.put(key, pack, PACK_TYPE)
            places.extend(placed)
        for entry, place in zip(entries, places, strict=True):
            entry.update(place)
    key = manifest_key(window.digest_date) if seal else attempt_key(prefix)
    body = json.dumps(checked(Manifest, manifest, key), indent=2, sort_keys=True).encode()
    if key not in present:
        store.put(key, body, "application/json")
    return key


def write_refresh(
    store: Store,
    previous: Mapping[str, Any],
    fetched_at: datetime,
    source_documents: Mapping[str, list[RawDocument]],
    flags: Mapping[str, Mapping[str, Any]],
    carried: Collection[str],
) -> str:
    """Seal a refresh of the day ``previous`` (the manifest of its newest snapshot) describes:
    the attention sources' new documents packed in a folder of their own, and a manifest at
    ``refresh_key`` that names them, keeps ``previous``'s arXiv entry (its packs, as they are)
    and, for each source ``carried``, ``previous``'s entry (the same packs: nothing is copied).
    The first snapshot and every earlier refresh stay untouched; the same answers at the same
    time give the same keys and bytes. Returns the manifest's key."""
    source_documents = {
        name: [_masked(document) for document in documents] for name, documents in source_documents.items()
    }
    sources: dict[str, Any] = {name: dict(previous["sources"][name]) for name in carried}
    for name, documents in source_documents.items():
        sources[name] = {
            "status": "ok",
            "error": None,
            "files": described(documents),
            **flags.get(name, {}),
        }
    manifest: dict[str, Any] = {
        **previous,
        "fetched_at": iso_utc(fetched_at),
        "sources": dict(sorted(sources.items())),
        "refresh_of": previous["fetched_at"],
    }
    day = str(previous["date"])
    prefix = snapshot_prefix(day, stamp(fetched_at), _fingerprint(manifest, dict(source_documents), True, None))
    present = set(store.keys(f"{prefix}/"))
    for folder, documents in source_documents.items():
        places: list[dict[str, Any]] = []
        for key, pack, placed in _packs(f"{prefix}/{folder}", [document.body for document in documents]):
            if key not in present:
                store.put(key, pack, PACK_TYPE)
            places.extend(placed)
        for entry, place in zip(sources[folder]["files"], places, strict=True):
            entry.update(place)
    key = refresh_key(day, stamp(fetched_at))
    body = json.dumps(checked(Manifest, manifest, key), indent=2, sort_keys=True).encode()
    if key not in store.keys(key) or store.get(key) != body:
        store.put(key, body, "application/json")
    return key


def day_manifests(store: Store, digest_date: date | str) -> list[str]:
    """The keys of the day's sealed snapshot and of each refresh of it, oldest first (a refresh's
    key names its time); empty when the day has no sealed snapshot."""
    first = manifest_key(digest_date)
    if not _listed(store, first):
        return []
    refreshes = sorted(key for key in store.keys(refreshes_prefix(digest_date)) if key.endswith("/manifest.json"))
    return [first, *refreshes]


def described(documents: list[RawDocument]) -> list[dict[str, Any]]:
    """The manifest's entries for ``documents``, before their places in the packs are known."""
    return [
        {
            "name": document.name,
            "url": document.url,
            "status": document.status,
            "content_type": document.content_type,
            **document.meta,
        }
        for document in documents
    ]


def _masked(document: RawDocument) -> RawDocument:
    """``document`` with every known secret masked in its body, URL and details."""
    return replace(
        document, body=redact_bytes(document.body), url=redact(document.url), meta=redact_value(document.meta)
    )


def _packs(folder: str, bodies: Iterable[bytes]) -> Iterator[tuple[str, bytes, list[dict[str, Any]]]]:
    """Each pack of a folder's documents (their bodies, in order) as (key, bytes, where each of
    its documents is in it).

    Each document is compressed on its own (a gzip member, with no timestamp, so the same
    documents give the same bytes), so that one can be read without the others before it."""
    number, pack = 0, bytearray()
    placed: list[dict[str, Any]] = []
    for body in bodies:
        member = gzip.compress(body, compresslevel=COMPRESSION, mtime=0)
        if pack and len(pack) + len(member) > PACK_BYTES:
            yield placed[0]["key"], bytes(pack), placed
            number, pack, placed = number + 1, bytearray(), []
        key = f"{folder}/pack-{number:04d}.gz"
        placed.append({"key": key, "offset": len(pack), "length": len(member), "size": len(body)})
        pack += member
    if placed:
        yield placed[0]["key"], bytes(pack), placed


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
    if not _listed(store, key):
        return {}
    return _source_documents(Packs(store), json.loads(store.get(key)))


def sealed(store: Store, digest_date: date) -> Snapshot | None:
    """The day's sealed snapshot, or ``None`` when it has none yet."""
    key = manifest_key(digest_date)
    return read(store, key) if _listed(store, key) else None


def _listed(store: Store, key: str) -> bool:
    # Listed rather than read blind: S3 answers a missing key with 403, not 404, unless the
    # role may list that very key, so existence is asked the way the role is sure to allow.
    return key in store.keys(key)


def read(store: Store, key: str) -> Snapshot:
    """The snapshot sealed by the manifest at ``key``."""
    manifest = load(Manifest, store.get(key), key)
    packs = Packs(store)
    return Snapshot(
        manifest=manifest,
        arxiv=StoredDocuments(packs, {entry["name"]: entry for entry in manifest["arxiv"]["files"]}).values(),
        sources=_source_documents(packs, manifest),
        papers=packs.document(manifest["arxiv"]["papers"]) if "papers" in manifest["arxiv"] else None,
    )


def _source_documents(packs: Packs, manifest: Mapping[str, Any]) -> dict[str, StoredDocuments]:
    return {
        name: StoredDocuments(packs, {entry["name"]: entry for entry in info["files"]})
        for name, info in manifest["sources"].items()
        if info["status"] == "ok"
    }

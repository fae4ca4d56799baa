"""The raw snapshot on its own: what is written where, sealed or not, and never written twice."""

from __future__ import annotations

import gzip
import json
import random
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hotpapers import layout, redaction, scoring, snapshot
from hotpapers.models import RawDocument
from hotpapers.schedule import window_for
from hotpapers.store import LocalStore, Store
from support.memory_store import MemoryStore

WINDOW = window_for(date(2020, 7, 9))
AT = datetime(2020, 7, 10, 7, 46, 45, tzinfo=UTC)
CATEGORIES = ("cs.*",)
# The seed day as the fetch sealed it before snapshots were packed (format 1).
FORMAT_1 = Path(__file__).resolve().parents[1] / "fixtures" / "raw-format-1"


class RecordingStore(LocalStore):
    """A directory store that remembers every key it was asked to write."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.puts: list[str] = []

    def put(self, key: str, body: bytes, content_type: str | None = None) -> None:
        self.puts.append(key)
        super().put(key, body, content_type)


@pytest.fixture
def store(tmp_path: Path) -> RecordingStore:
    return RecordingStore(tmp_path / "data")


def page(body: bytes = b"<feed>papers</feed>") -> RawDocument:
    return RawDocument(
        name="page-000000.xml",
        body=body,
        url="https://export.arxiv.org/api/query?start=0",
        status=200,
        content_type="application/atom+xml",
        meta={"start": 0, "entries": 1, "total": 1},
    )


def posts(body: bytes = b'{"data": []}') -> list[RawDocument]:
    return [RawDocument("search-0000.json", body, "https://api.x.com/2/tweets/search/recent", 200, "application/json")]


def write(store: RecordingStore, *, x: bytes = b'{"data": []}', seal: bool = True, **kwargs: object) -> str:
    return snapshot.write(
        store,
        WINDOW,
        AT,
        CATEGORIES,
        [page()],
        {"x": posts(x)},
        {"reddit": "reddit: HTTP 503 from https://oauth.reddit.com/search"},
        seal=seal,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_sealed_snapshot_reads_back_as_written(store: RecordingStore) -> None:
    # Given a fetch with one arXiv page, one X page, and Reddit failed
    key = write(store)
    # When it is read back through its manifest
    sealed = snapshot.read(store, key)
    # Then the manifest is the day's, and every document is there byte for byte
    assert key == "raw/2020-07-09/manifest.json"
    assert sealed.digest_date == "2020-07-09"
    assert sealed.window == WINDOW
    assert list(sealed.arxiv) == [b"<feed>papers</feed>"]
    assert sealed.sources == {"x": {"search-0000.json": b'{"data": []}'}}
    # And the failed source is recorded with its reason, and no documents
    assert sealed.manifest["sources"]["reddit"] == {
        "status": "failed",
        "error": "reddit: HTTP 503 from https://oauth.reddit.com/search",
        "files": [],
    }
    assert sealed.manifest["fetched_at"] == "2020-07-10T07:46:45Z"
    assert sealed.manifest["arxiv"]["files"][0]["total"] == 1
    # And the manifest was written last, after every document it names
    assert store.puts[-1] == key
    assert len(store.puts) == 3


def test_documents_live_in_a_folder_named_for_the_fetch_time_and_its_content(store: RecordingStore) -> None:
    key = write(store)
    (entry,) = json.loads(store.get(key))["arxiv"]["files"]
    folder = entry["key"].split("/")[2]
    stamp, fingerprint = folder.split("-")
    assert stamp == "20200710T074645Z"
    assert len(fingerprint) == snapshot.FINGERPRINT_LENGTH
    assert entry["key"] == f"raw/2020-07-09/{folder}/arxiv/pack-0000.gz"


def test_an_unsealed_attempt_leaves_the_sealed_manifest_alone(store: RecordingStore) -> None:
    # Given a sealed snapshot
    sealed_key = write(store)
    sealed = store.get(sealed_key)
    # When a later fetch is stored unsealed
    key = write(store, x=b'{"data": ["other"]}', seal=False)
    # Then it sits beside its documents as attempt.json, and the day's manifest is unchanged
    assert key.startswith("raw/2020-07-09/20200710T074645Z-")
    assert key.endswith("/attempt.json")
    assert store.get(sealed_key) == sealed
    assert json.loads(store.get(key))["sources"]["x"]["status"] == "ok"


def test_a_second_fetch_in_the_same_second_gets_its_own_folder(store: RecordingStore) -> None:
    # Given a snapshot sealed at 07:46:45
    first = json.loads(store.get(write(store)))
    first_folder = first["sources"]["x"]["files"][0]["key"].rsplit("/", 2)[0]
    first_files = {key: store.get(key) for key in store.keys(first_folder)}
    store.puts.clear()
    # When another fetch in the same second, with other answers, is sealed
    second = json.loads(store.get(write(store, x=b'{"data": [1, 2, 3]}')))
    # Then it went to a new folder, and not one write landed in the sealed one
    second_folder = second["sources"]["x"]["files"][0]["key"].rsplit("/", 2)[0]
    assert second_folder != first_folder
    assert not [key for key in store.puts if key.startswith(f"{first_folder}/")]
    assert {key: store.get(key) for key in store.keys(first_folder)} == first_files


def test_the_same_fetch_twice_writes_nothing_into_its_sealed_folder(store: RecordingStore) -> None:
    # Given a sealed snapshot
    key = write(store)
    manifest = store.get(key)
    store.puts.clear()
    # When exactly the same fetch is stored again (same clock, same answers)
    assert write(store) == key
    # Then only the day's manifest, with the same bytes, was written again
    assert store.puts == [key]
    assert store.get(key) == manifest


def test_sealed_and_unsealed_fetches_of_the_same_answers_do_not_share_a_folder(store: RecordingStore) -> None:
    sealed = json.loads(store.get(write(store)))
    attempt = write(store, seal=False)
    assert not attempt.startswith(sealed["arxiv"]["files"][0]["key"].rsplit("/", 2)[0])


def test_flags_are_added_to_a_source_entry(store: RecordingStore) -> None:
    key = write(store, seal=False, flags={"x": {"degraded": True}})
    assert json.loads(store.get(key))["sources"]["x"]["degraded"] is True


def test_papers_announced_late_are_named_in_the_manifest_in_order_and_only_when_there_are_some(
    store: RecordingStore,
) -> None:
    # Given a fetch with two papers announced late, and one with none
    late = json.loads(store.get(write(store, late=["2611.00031", "2611.00030"])))["arxiv"]
    none = json.loads(store.get(write(store, seal=False)))["arxiv"]
    # Then the first names them, sorted, beside its pages; the second has no such field
    assert late["late"] == ["2611.00030", "2611.00031"]
    assert [entry["name"] for entry in late["files"]] == ["page-000000.xml"]
    assert "late" not in none


def test_sealed_documents_are_the_ok_sources_of_the_day(store: RecordingStore) -> None:
    # Given no snapshot yet, then a sealed one where X worked and Reddit failed
    assert snapshot.sealed_documents(store, WINDOW.digest_date) == {}
    write(store)
    # Then only X's documents are the sealed snapshot's
    assert snapshot.sealed_documents(store, WINDOW.digest_date) == {"x": {"search-0000.json": b'{"data": []}'}}
    # And an unsealed attempt changes nothing
    write(store, x=b'{"data": [1]}', seal=False)
    assert snapshot.sealed_documents(store, WINDOW.digest_date) == {"x": {"search-0000.json": b'{"data": []}'}}
    assert snapshot.sealed_documents(store, date(2020, 7, 10)) == {}


def test_the_sealed_snapshot_of_a_day_is_read_whole_or_is_none(store: RecordingStore) -> None:
    # Given no snapshot yet, and a key that only begins like the day's manifest
    store.put(f"{layout.manifest_key(WINDOW.digest_date)}.bak", b"{}")
    assert snapshot.sealed(store, WINDOW.digest_date) is None
    # When one is sealed, then an unsealed attempt written after it
    write(store)
    write(store, x=b'{"data": [1]}', seal=False)
    # Then the day's snapshot is the sealed one, with its papers, pages and sources
    found = snapshot.sealed(store, WINDOW.digest_date)
    assert found is not None
    assert found.digest_date == WINDOW.digest_date.isoformat()
    assert dict(found.sources["x"]) == {"search-0000.json": b'{"data": []}'}
    assert list(found.arxiv) == [b"<feed>papers</feed>"]
    assert snapshot.sealed(store, date(2020, 7, 10)) is None


class CountingStore(RecordingStore):
    """A directory store that counts the reads of each key."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.gets: dict[str, int] = {}

    def get(self, key: str) -> bytes:
        self.gets[key] = self.gets.get(key, 0) + 1
        return super().get(key)


def test_a_snapshots_source_documents_are_read_when_asked_for_holding_one_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a sealed snapshot whose X documents fill two packs
    store = CountingStore(tmp_path / "data")
    bodies, key = sealed_in_packs(store, monkeypatch, pack_bytes=600, documents=2, size=500)
    # When it is read back
    sealed = snapshot.read(store, key)
    # Then no source document is read until a reader asks for it
    assert not [read for read in store.gets if "/x/" in read]
    # And asking again for a document of the pack last read reads nothing more
    assert sealed.sources["x"]["search-0000.json"] == bodies["search-0000.json"]
    assert sealed.sources["x"]["search-0000.json"] == bodies["search-0000.json"]
    assert [count for read, count in store.gets.items() if "/x/" in read] == [1]
    # And a document of another pack replaces it: only one pack is held at a time
    assert sealed.sources["x"]["search-0001.json"] == bodies["search-0001.json"]
    assert sealed.sources["x"]["search-0000.json"] == bodies["search-0000.json"]
    assert sorted(count for read, count in store.gets.items() if "/x/" in read) == [1, 2]


def test_a_snapshots_arxiv_pages_are_read_only_when_iterated(tmp_path: Path) -> None:
    # Given a snapshot sealed with its parsed papers beside its page
    store = CountingStore(tmp_path / "data")
    key = write(store, papers=b'{"format": 1, "papers": []}')
    # When it is read back, as the score step does
    sealed = snapshot.read(store, key)
    # Then the page is not read (the score step reads the papers instead)
    page_pack = sealed.manifest["arxiv"]["files"][0]["key"]
    assert page_pack not in store.gets
    # And iterating the pages reads it
    assert list(sealed.arxiv) == [b"<feed>papers</feed>"]
    assert store.gets[page_pack] == 1


def test_a_snapshot_holds_one_pack_whatever_source_it_is_of(tmp_path: Path) -> None:
    # Given a sealed snapshot with a pack for X and one for Hacker News
    store = CountingStore(tmp_path / "data")
    key = write_documents(store, {"x": {"search-0000.json": b"x"}, "hackernews": {"search-0000.json": b"hn"}})
    sealed = snapshot.read(store, key)
    # When a reader reads the arXiv pages (sealed without papers, they are parsed), then X's
    # document, then Hacker News's, then X's again
    assert list(sealed.arxiv)
    read = [sealed.sources[name]["search-0000.json"] for name in ("x", "hackernews", "x")]
    # Then reading Hacker News's pack let X's go: it was read twice, and no more than one pack
    # (whichever source it is of) is held while the score step holds its posts
    assert read == [b"x", b"hn", b"x"]
    sources = {name.split("/")[3]: count for name, count in store.gets.items() if "/pack-" in name}
    assert sources == {"arxiv": 1, "x": 2, "hackernews": 1}


def member(body: bytes) -> bytes:
    """``body`` as a pack holds it: one gzip member."""
    return gzip.compress(body, compresslevel=snapshot.COMPRESSION, mtime=0)


def noise(seed: int, size: int) -> bytes:
    """Bytes that gzip cannot shrink, so that a test knows how large its packs grow."""
    return random.Random(seed).randbytes(size)


def sealed_in_packs(
    store: Store, monkeypatch: pytest.MonkeyPatch, *, pack_bytes: int, documents: int, size: int
) -> tuple[dict[str, bytes], str]:
    """X documents of ``size`` bytes gzip cannot shrink, sealed in packs of ``pack_bytes``: their
    bodies by name, and the manifest's key."""
    monkeypatch.setattr(snapshot, "PACK_BYTES", pack_bytes)
    bodies = {f"search-{n:04d}.json": noise(n, size) for n in range(documents)}
    return bodies, write_documents(store, {"x": bodies})


def write_documents(store: Store, bodies: dict[str, dict[str, bytes]]) -> str:
    """Seal one arXiv page and, for each source, documents of the given names and bytes."""
    documents = {
        source: [
            RawDocument(name, body, f"https://{source}.example/{name}", 200, "application/json")
            for name, body in named.items()
        ]
        for source, named in bodies.items()
    }
    return snapshot.write(store, WINDOW, AT, CATEGORIES, [page()], documents, {})


def test_a_sources_documents_are_stored_compressed_in_one_pack(store: RecordingStore) -> None:
    # Given an X search of sixty pages of JSON (a big day has eight hundred)
    bodies = {
        f"search-{n:04d}.json": json.dumps(
            {"data": [{"id": str(n * 100 + i), "text": "arXiv paper " * 20} for i in range(50)]}
        ).encode()
        for n in range(60)
    }
    # When the fetch is sealed
    key = write_documents(store, {"x": bodies})
    # Then three objects were written: the arXiv pack, the X pack and the manifest
    folder = json.loads(store.get(key))["arxiv"]["files"][0]["key"].rsplit("/", 2)[0]
    assert store.puts == [f"{folder}/arxiv/pack-0000.gz", f"{folder}/x/pack-0000.gz", key]
    # And the X pack is a gzip file of the sixty pages one after the other, a tenth of their size or less
    pack = store.get(f"{folder}/x/pack-0000.gz")
    assert gzip.decompress(pack) == b"".join(bodies.values())
    assert len(pack) * 10 < sum(len(body) for body in bodies.values())
    # And each page reads back byte for byte
    assert dict(snapshot.read(store, key).sources["x"]) == bodies


def test_a_pack_grows_to_pack_bytes_then_the_next_begins(
    store: RecordingStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given packs of at most 1,000 compressed bytes, and documents gzip cannot shrink
    monkeypatch.setattr(snapshot, "PACK_BYTES", 1000)
    bodies = {f"search-{n:04d}.json": noise(n, 300) for n in range(7)} | {"search-0007.json": noise(7, 2500)}
    # When they are sealed
    key = write_documents(store, {"x": bodies})
    # Then they fill packs of at most 1,000 bytes in their order, and the one larger document has its own
    files = json.loads(store.get(key))["sources"]["x"]["files"]
    packs = [entry["key"].rsplit("/", 1)[1] for entry in files]
    assert packs == ["pack-0000.gz"] * 3 + ["pack-0001.gz"] * 3 + ["pack-0002.gz", "pack-0003.gz"]
    folder = files[0]["key"].rsplit("/", 1)[0]
    sizes = [len(store.get(pack)) for pack in store.keys(f"{folder}/")]
    assert max(sizes[:3]) <= 1000 < sizes[3]
    # And each document's place in its pack, and its size, are in the manifest
    assert [entry["size"] for entry in files] == [len(body) for body in bodies.values()]
    assert [entry["offset"] for entry in files[:3]] == [0, files[0]["length"], files[0]["length"] + files[1]["length"]]
    # And every document reads back byte for byte
    assert dict(snapshot.read(store, key).sources["x"]) == bodies


def test_reading_a_sources_documents_in_order_reads_each_pack_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given ten documents sealed in packs of about three
    store = CountingStore(tmp_path / "data")
    bodies, key = sealed_in_packs(store, monkeypatch, pack_bytes=1000, documents=10, size=300)
    # When a reader goes through them in their order
    read = [body for _, body in snapshot.read(store, key).sources["x"].items()]
    # Then it had every document from four reads of the store, one per pack
    assert read == list(bodies.values())
    packs = sorted({entry["key"] for entry in json.loads(store.get(key))["sources"]["x"]["files"]})
    assert len(packs) == 4
    assert {read: count for read, count in store.gets.items() if "/x/" in read} == dict.fromkeys(packs, 1)


def test_a_day_sealed_before_packs_still_reads_and_scores_as_when_sealed_now(tmp_path: Path) -> None:
    # Given the seed day as the fetch sealed it in format 1 (each document an object of its own,
    # uncompressed), before snapshots were packed
    old = LocalStore(FORMAT_1)
    key = layout.manifest_key(date(2020, 7, 9))
    manifest = json.loads(old.get(key))
    assert manifest["format"] == 1
    # When it is read back
    sealed = snapshot.read(old, key)
    # Then every document is the object it names, byte for byte
    assert list(sealed.arxiv) == [old.get(entry["key"]) for entry in manifest["arxiv"]["files"]]
    assert dict(sealed.sources["x"]) == {
        entry["name"]: old.get(entry["key"]) for entry in manifest["sources"]["x"]["files"]
    }
    # And it scores as the same documents sealed now, in packs
    new = LocalStore(tmp_path / "data")
    resealed = snapshot.write(
        new,
        sealed.window,
        datetime.fromisoformat(manifest["fetched_at"]),
        tuple(manifest["categories"]),
        [
            RawDocument(
                entry["name"],
                body,
                entry["url"],
                entry["status"],
                "application/atom+xml",
                {k: entry[k] for k in ("start", "entries", "total")},
            )
            for entry, body in zip(manifest["arxiv"]["files"], sealed.arxiv, strict=True)
        ],
        {
            "x": [
                RawDocument(
                    entry["name"], sealed.sources["x"][entry["name"]], entry["url"], entry["status"], "application/json"
                )
                for entry in manifest["sources"]["x"]["files"]
            ]
        },
        {},
    )
    assert json.loads(new.get(resealed))["format"] == snapshot.FORMAT == 2
    rules = scoring.Rules()
    assert scoring.score_snapshot(snapshot.read(new, resealed), rules) == scoring.score_snapshot(sealed, rules)


def test_the_manifest_records_every_source_state_and_document_in_stable_json() -> None:
    # Given a fetch with X fetched, Reddit failed and Bluesky out of reach, sealed by default
    store = MemoryStore()
    key = snapshot.write(
        store,
        WINDOW,
        AT,
        CATEGORIES,
        [page()],
        {"x": posts()},
        {"reddit": "reddit: HTTP 503"},
        out_of_reach={"bluesky": "bluesky: the day is past its search reach"},
    )

    # Then the day's manifest holds each source's state, and each document's provenance, content
    # type, and place in its pack
    assert key == "raw/2020-07-09/manifest.json"
    manifest = json.loads(store.objects[key])
    folder = manifest["arxiv"]["files"][0]["key"].rsplit("/", 2)[0]
    assert manifest == {
        "format": snapshot.FORMAT,
        "date": "2020-07-09",
        "window": WINDOW.to_dict(),
        "fetched_at": "2020-07-10T07:46:45Z",
        "categories": ["cs.*"],
        "arxiv": {
            "files": [
                {
                    "name": "page-000000.xml",
                    "url": "https://export.arxiv.org/api/query?start=0",
                    "status": 200,
                    "content_type": "application/atom+xml",
                    "start": 0,
                    "entries": 1,
                    "total": 1,
                    "key": f"{folder}/arxiv/pack-0000.gz",
                    "offset": 0,
                    "length": len(member(b"<feed>papers</feed>")),
                    "size": len(b"<feed>papers</feed>"),
                }
            ]
        },
        "sources": {
            "x": {
                "status": "ok",
                "error": None,
                "files": [
                    {
                        "name": "search-0000.json",
                        "url": "https://api.x.com/2/tweets/search/recent",
                        "status": 200,
                        "content_type": "application/json",
                        "key": f"{folder}/x/pack-0000.gz",
                        "offset": 0,
                        "length": len(member(b'{"data": []}')),
                        "size": len(b'{"data": []}'),
                    }
                ],
            },
            "reddit": {"status": "failed", "error": "reddit: HTTP 503", "files": []},
            "bluesky": {"status": "out-of-reach", "error": "bluesky: the day is past its search reach", "files": []},
        },
    }
    # And it is stored as indented JSON with sorted keys, the packs as gzip files
    assert store.objects[key] == json.dumps(manifest, indent=2, sort_keys=True).encode()
    assert store.types[key] == "application/json"
    assert store.types[f"{folder}/arxiv/pack-0000.gz"] == "application/gzip"


def test_fetches_of_the_same_documents_with_other_failures_get_their_own_folders() -> None:
    # Given the same documents at the same second, once with Reddit failed and once without
    store = MemoryStore()
    failed = snapshot.write(store, WINDOW, AT, CATEGORIES, [page()], {"x": posts()}, {"reddit": "down"}, seal=False)
    whole = snapshot.write(store, WINDOW, AT, CATEGORIES, [page()], {"x": posts()}, {}, seal=False)
    # Then the manifests differ, and so do their folders
    assert failed.rsplit("/", 1)[0] != whole.rsplit("/", 1)[0]


def test_the_papers_parsed_by_the_fetch_are_sealed_beside_the_pages(store: RecordingStore) -> None:
    # Given a fetch that hands over its parsed papers
    key = write(store, papers=b'{"format": 1, "papers": []}')
    # When the snapshot is read back
    sealed = snapshot.read(store, key)
    # Then they are there byte for byte, in a pack of their own in the arXiv folder, and the
    # manifest names them
    assert sealed.papers == b'{"format": 1, "papers": []}'
    entry = sealed.manifest["arxiv"]["papers"]
    pages_pack = sealed.manifest["arxiv"]["files"][0]["key"]
    assert entry["key"] == pages_pack.rsplit("/", 1)[0] + "/papers/pack-0000.gz"
    assert entry["size"] == len(sealed.papers)
    assert store.puts[-1] == key


def test_a_snapshot_sealed_without_parsed_papers_reads_back_without_them(store: RecordingStore) -> None:
    # Given a snapshot sealed by a fetch that did not seal its papers (as before they were)
    key = write(store)
    # When it is read back
    sealed = snapshot.read(store, key)
    # Then it has none, and its pages are there to parse
    assert sealed.papers is None
    assert "papers" not in sealed.manifest["arxiv"]
    assert list(sealed.arxiv) == [b"<feed>papers</feed>"]


def test_the_parsed_papers_are_part_of_the_folders_fingerprint(store: RecordingStore) -> None:
    # Given the same fetch sealed with two different parsed papers (a parser changed in between)
    first = json.loads(store.get(write(store, papers=b'{"format": 1, "papers": []}')))
    second = json.loads(store.get(write(store, papers=b'{"format": 2, "papers": []}')))
    # Then each went to a folder of its own
    assert first["arxiv"]["papers"]["key"] != second["arxiv"]["papers"]["key"]


def test_a_known_secret_is_masked_in_every_stored_url_and_answer(store: RecordingStore) -> None:
    # Given a token the process knows, in the URL an upstream redirected to, and reflected by the
    # answer in a post's text: as it is, JSON-escaped, and percent-encoded in a link
    token = "snapshot-test/token+9f3e"
    redaction.register(token)
    reflected = json.dumps({"data": [{"text": f"{token} and https://x.example/?t=snapshot-test%2Ftoken%2B9f3e"}]})
    redirected = RawDocument(
        "search-0000.json",
        reflected.replace("/", "\\/").encode() + f" {token}".encode(),
        "https://api.x.com/2/tweets/search/recent?token=snapshot-test%2Ftoken%2B9f3e",
        200,
    )

    # When the fetch is sealed
    key = snapshot.write(store, WINDOW, AT, CATEGORIES, [page()], {"x": [redirected]}, {})

    # Then no stored object holds the token in any form, and each place says it was masked
    written = [path.read_bytes() for path in store.root.rglob("*") if path.is_file()]
    unpacked = [gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body for body in written]
    forms = (token, token.replace("/", "\\/"), "snapshot-test%2Ftoken%2B9f3e")
    assert not [body for body in unpacked for form in forms if form.encode() in body]
    sealed = snapshot.read(store, key)
    assert sealed.manifest["sources"]["x"]["files"][0]["url"].endswith("?token=[REDACTED]")
    assert sealed.sources["x"]["search-0000.json"].count(b"[REDACTED]") == 3


REFRESHED_AT = datetime(2020, 7, 12, 7, 0, 0, tzinfo=UTC)


def refresh(store: RecordingStore, previous: dict[str, object], body: bytes) -> str:
    """A refresh of the day with a new X page (flagged capped) and Hacker News carried over."""
    document = RawDocument(
        "search-0000.json", body, "https://api.x.com/2/tweets/search/recent", 200, "application/json", {"page": 1}
    )
    return snapshot.write_refresh(store, previous, REFRESHED_AT, {"x": [document]}, {"x": {"capped": True}}, ["reddit"])


def test_a_refresh_is_sealed_beside_the_first_snapshot_which_it_names_and_leaves_as_it_was(
    store: RecordingStore,
) -> None:
    # Given a sealed day (its arXiv page, an X page, Reddit failed)
    first = write(store)
    sealed_bytes = store.get(first)
    previous = json.loads(sealed_bytes)
    store.puts.clear()

    # When a refresh brings a new X page and carries Reddit's entry over
    key = refresh(store, previous, b'{"data": [{"id": "2"}]}')

    # Then it is sealed at the day's refresh key for its time, and the first manifest is untouched
    assert key == layout.refresh_key("2020-07-09", "20200712T070000Z") == store.puts[-1]
    assert store.get(first) == sealed_bytes
    manifest = json.loads(store.get(key))
    # ... it keeps the first snapshot's arXiv entry and window, and states whose refresh it is
    assert manifest["arxiv"] == previous["arxiv"]
    assert manifest["window"] == previous["window"]
    assert manifest["date"] == "2020-07-09"
    assert manifest["fetched_at"] == "2020-07-12T07:00:00Z"
    assert manifest["refresh_of"] == previous["fetched_at"]
    assert list(manifest["sources"]) == ["reddit", "x"]
    # ... the carried source is the earlier entry as it was, the refreshed one is new and flagged
    assert manifest["sources"]["reddit"] == previous["sources"]["reddit"]
    x = manifest["sources"]["x"]
    assert (x["status"], x["error"], x["capped"]) == ("ok", None, True)
    [entry] = x["files"]
    assert {k: entry[k] for k in ("name", "url", "status", "content_type", "page")} == {
        "name": "search-0000.json",
        "url": "https://api.x.com/2/tweets/search/recent",
        "status": 200,
        "content_type": "application/json",
        "page": 1,
    }
    # ... its new packs are in a folder of its own, under the day, named by its time
    packs = [put for put in store.puts if put != key]
    assert packs
    assert all(put.startswith("raw/2020-07-09/20200712T070000Z-") and "/x/" in put for put in packs)
    # And it reads back with the new X page and the first snapshot's arXiv page
    read = snapshot.read(store, key)
    assert dict(read.sources["x"]) == {"search-0000.json": b'{"data": [{"id": "2"}]}'}
    assert list(read.arxiv) == [b"<feed>papers</feed>"]
    assert snapshot.day_manifests(store, "2020-07-09") == [first, key]


def test_the_same_refresh_again_writes_nothing_and_another_answer_another_folder(store: RecordingStore) -> None:
    # Given a sealed day refreshed once
    previous = json.loads(store.get(write(store)))
    key = refresh(store, previous, b'{"data": [{"id": "2"}]}')
    written = store.get(key)
    store.puts.clear()

    # When the same refresh runs again / Then it writes nothing, and its manifest keeps its bytes
    assert refresh(store, previous, b'{"data": [{"id": "2"}]}') == key
    assert store.puts == []
    assert store.get(key) == written

    # When the same time brings another answer / Then its packs go to another folder
    refresh(store, previous, b'{"data": [{"id": "3"}]}')
    folders = {put.split("/")[2] for put in store.puts if "/x/" in put}
    assert len(folders) == 1
    assert folders.isdisjoint({entry["key"].split("/")[2] for entry in json.loads(written)["sources"]["x"]["files"]})


def test_a_refresh_masks_every_known_secret_in_what_it_stores(store: RecordingStore) -> None:
    # Given a sealed day, and a refreshed X page that echoes a registered secret
    previous = json.loads(store.get(write(store)))
    token = "refresh-secret-0123456789"
    redaction.register(token)

    # When it is refreshed
    key = refresh(store, previous, f'{{"data": [], "echo": "{token}"}}'.encode())

    # Then the secret is in no stored object
    read = snapshot.read(store, key)
    assert token.encode() not in b"".join(read.sources["x"].values())
    stored = [store.get(put) for put in store.keys("raw/")]
    assert all(token.encode() not in (gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body) for body in stored)


def test_a_day_without_a_sealed_snapshot_has_no_manifests_to_score(store: RecordingStore) -> None:
    assert snapshot.day_manifests(store, "2020-07-09") == []

import gzip
import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hotpapers.store import (
    LocalStore,
    NotFoundError,
    S3Store,
    UnsafeKeyError,
    checked_key,
    content_type_for,
    encoded,
    open_store,
)


def test_local_store_round_trips_and_lists_by_prefix(tmp_path: Path) -> None:
    # Given a directory store with objects under two prefixes
    store = LocalStore(tmp_path / "bucket")
    store.put("raw/2020-07-09/a.json", b"{}")
    store.put("raw/2020-07-09/b.json", b"[]")
    store.put("scored/2020-07-09.json", b"{}")
    # Then keys read back and list like S3 prefixes, sorted
    assert store.get("raw/2020-07-09/b.json") == b"[]"
    assert store.keys("raw/") == ["raw/2020-07-09/a.json", "raw/2020-07-09/b.json"]
    assert store.bucket == "bucket"


def test_local_store_overwrites_atomically_and_reports_missing_keys(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put("index.html", b"old")
    store.put("index.html", b"new")
    assert store.get("index.html") == b"new"
    assert store.keys("") == ["index.html"]  # no temporary file left behind
    assert (tmp_path / "index.html").stat().st_mode & 0o777 == 0o644  # readable, as a bucket's objects are
    with pytest.raises(NotFoundError):
        store.get("missing.html")


@pytest.mark.parametrize(
    "key",
    [
        "../outside.txt",
        "raw/2026-06-02/20260603T074645Z/x/oembed-1/../../../manifest.json",
        "raw/2026-06-02/./manifest.json",
        "/etc/passwd",
        "raw//manifest.json",
        "raw\\..\\manifest.json",
        "raw/2026-06-02/x\n.json",
        "",
    ],
)
def test_both_stores_refuse_keys_that_are_not_plain_relative_paths(tmp_path: Path, key: str) -> None:
    # Given a directory store holding a sealed manifest, and an S3 store whose client must not be called
    local = LocalStore(tmp_path / "data")
    local.put("raw/2026-06-02/manifest.json", b"sealed")
    s3 = S3Store("bucket", client=object())
    # When a key with a dot segment, an absolute or empty part, or a control character is written
    for store in (local, s3):
        with pytest.raises(UnsafeKeyError, match="not a plain relative path"):
            store.put(key, b"overwritten")
    # Then nothing was overwritten
    assert local.get("raw/2026-06-02/manifest.json") == b"sealed"


@pytest.mark.usefixtures("aws")
def test_open_store_picks_the_adapter(tmp_path: Path) -> None:
    assert isinstance(open_store(str(tmp_path)), LocalStore)
    s3 = open_store("s3://hotpapers-data")
    assert isinstance(s3, S3Store)
    assert s3.bucket == "hotpapers-data"
    assert open_store("s3://hotpapers-data/").bucket == "hotpapers-data"  # a trailing slash is not a prefix
    with pytest.raises(ValueError, match="s3://<bucket>"):
        open_store("s3://bucket/with/prefix")


def test_s3_store_sends_content_type_and_cache_control_when_given() -> None:
    # Given an S3 store over a client that records its calls
    class Client:
        def __init__(self) -> None:
            self.calls: list[dict[str, object]] = []

        def put_object(self, **kwargs: object) -> None:
            self.calls.append(kwargs)

    client = Client()
    store = S3Store("site", client=client)
    # When one object is written with a cache policy and one without
    store.put(
        "assets/site.abc.css", b"x", "text/css; charset=utf-8", cache_control="public, max-age=31536000, immutable"
    )
    store.put("digests/2026-06-02.md", b"y")
    # Then both have their content type, and only the first carries Cache-Control
    first, second = client.calls
    assert first["CacheControl"] == "public, max-age=31536000, immutable"
    assert first["ContentType"] == "text/css; charset=utf-8"
    assert "CacheControl" not in second
    assert second["ContentType"] == "text/markdown; charset=utf-8"
    # And each went to the store's bucket under its key, with its bytes
    assert [(call["Bucket"], call["Key"], call["Body"]) for call in client.calls] == [
        ("site", "assets/site.abc.css", b"x"),
        ("site", "digests/2026-06-02.md", b"y"),
    ]


def test_a_key_of_no_known_kind_is_stored_as_plain_bytes() -> None:
    # Given keys with a known suffix and with none / Then the unknown ones are octet streams
    assert content_type_for("digests/2020-07-09.html") != "application/octet-stream"
    assert content_type_for("raw/2020-07-09/blob.bin") == "application/octet-stream"
    assert content_type_for("raw/2020-07-09/noext") == "application/octet-stream"


def test_a_key_with_spaces_is_a_plain_key(tmp_path: Path) -> None:
    # Given a key with a space (32, the first character past the control characters)
    store = LocalStore(tmp_path / "data")
    # When written and listed / Then it is stored and found like any other
    store.put("raw/2020-07-09/a b.json", b"{}")
    assert store.keys("raw/") == ["raw/2020-07-09/a b.json"]


def test_a_missing_key_is_not_found_by_its_name(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"raw/2020-07-09/manifest\.json"):
        LocalStore(tmp_path / "data").get("raw/2020-07-09/manifest.json")


def test_a_write_in_progress_is_never_listed_and_leaves_nothing_behind(tmp_path: Path) -> None:
    # Given a directory store after a write, with a temporary file another write left in the folder
    store = LocalStore(tmp_path / "data")
    store.put("raw/2020-07-09/manifest.json", b"{}")
    (tmp_path / "data" / "raw" / "2020-07-09" / ".tmp-unfinished").write_bytes(b"half")
    # When the folder is listed / Then only the finished object is there
    assert store.keys("raw/") == ["raw/2020-07-09/manifest.json"]
    # And the write itself left no temporary file, in the folder or anywhere else in the store
    assert sorted(path.name for path in (tmp_path / "data").rglob("*") if path.is_file()) == [
        ".tmp-unfinished",
        "manifest.json",
    ]


class FakeS3:
    """An S3 client in memory for one bucket: objects, ``NoSuchKey``, and listings paged two keys
    at a time, as S3 pages them (a page of nothing has no ``Contents``)."""

    class NoSuchKeyError(Exception):
        pass

    exceptions = SimpleNamespace(NoSuchKey=NoSuchKeyError)

    def __init__(self, bucket: str, objects: dict[str, bytes]) -> None:
        self.name = bucket
        self.objects = objects

    def get_object(self, *, Bucket: str, Key: str) -> dict[str, object]:  # noqa: N803 - boto3's names
        if Bucket != self.name or Key not in self.objects:
            raise self.NoSuchKeyError(Key)
        return {"Body": io.BytesIO(self.objects[Key])}

    def put_object(self, *, Bucket: str, Key: str, Body: bytes, **headers: object) -> None:  # noqa: N803
        assert Bucket == self.name
        self.objects[Key] = Body

    def get_paginator(self, operation: str) -> SimpleNamespace:
        assert operation == "list_objects_v2"
        return SimpleNamespace(paginate=self._pages)

    def _pages(self, *, Bucket: str, Prefix: str) -> Iterator[dict[str, object]]:  # noqa: N803
        found = sorted(key for key in self.objects if Bucket == self.name and key.startswith(Prefix))
        if not found:
            yield {"KeyCount": 0}
        for start in range(0, len(found), 2):
            yield {
                "Contents": [
                    {"Key": key, "ETag": f'"{hashlib.md5(self.objects[key]).hexdigest()}"'}
                    for key in reversed(found[start : start + 2])
                ]
            }


def test_s3_store_reads_objects_and_reports_missing_ones_as_not_found() -> None:
    # Given a bucket holding one manifest
    store = S3Store("data", client=FakeS3("data", {"raw/2020-07-09/manifest.json": b"{}"}))
    # Then it reads back, and a missing key is NotFoundError by its name, like a directory store's
    assert store.get("raw/2020-07-09/manifest.json") == b"{}"
    with pytest.raises(NotFoundError, match=r"scored/2020-07-09\.json"):
        store.get("scored/2020-07-09.json")


def test_s3_store_lists_every_page_of_a_prefix_in_order() -> None:
    # Given five objects under raw/ (three pages) and one elsewhere
    objects = {f"raw/2020-07-09/{name}.json": b"" for name in "edcba"} | {"scored/2020-07-09.json": b""}
    store = S3Store("data", client=FakeS3("data", objects))
    # When raw/ is listed / Then every key under it comes back, sorted, and nothing else
    assert store.keys("raw/") == [f"raw/2020-07-09/{name}.json" for name in "abcde"]
    # And an empty prefix lists nothing, not an error
    assert store.keys("digests/") == []


def test_both_stores_agree_on_what_they_hold(tmp_path: Path) -> None:
    # Given the same objects in a directory store and an S3 store
    objects = {"raw/2020-07-09/manifest.json": b"{}", "raw/2020-07-10/a.json": b"[]", "index.html": b"<p>"}
    local = LocalStore(tmp_path / "data")
    for key, body in objects.items():
        local.put(key, body)
    s3 = S3Store("data", client=FakeS3("data", dict(objects)))
    # Then listing and reading give the same answers
    for prefix in ("", "raw/", "raw/2020-07-10/", "none/"):
        assert local.keys(prefix) == s3.keys(prefix)
    assert all(local.get(key) == s3.get(key) == body for key, body in objects.items())


def test_each_store_lists_a_version_that_changes_with_the_content_and_only_with_it(tmp_path: Path) -> None:
    # Given the same two objects in a directory store and an S3 store, and one elsewhere
    objects = {"archive/2026-06-01.json": b"{}", "archive/2026-06-02.json": b"[]", "index.html": b"<p>"}
    local = LocalStore(tmp_path / "site")
    for key, body in objects.items():
        local.put(key, body)
    s3 = S3Store("site", client=FakeS3("site", dict(objects)))
    for store in (local, s3):
        # When one is listed, written again with the same bytes, then with others
        before = store.versions("archive/")
        store.put("archive/2026-06-01.json", b"{}")
        same = store.versions("archive/")
        store.put("archive/2026-06-01.json", b'{"a": 1}')
        after = store.versions("archive/")

        # Then the listing names exactly the keys under the prefix, in order, as keys() does
        assert list(before) == store.keys("archive/") == ["archive/2026-06-01.json", "archive/2026-06-02.json"]
        # ... and only a change of content changes a version
        assert same == before
        assert after["archive/2026-06-01.json"] != before["archive/2026-06-01.json"]
        assert after["archive/2026-06-02.json"] == before["archive/2026-06-02.json"]
        assert store.versions("none/") == {}


def test_a_directory_store_not_yet_written_lists_nothing(tmp_path: Path) -> None:
    assert LocalStore(tmp_path / "never-written").keys("") == []


def test_a_temporary_file_at_the_top_of_the_store_is_never_listed(tmp_path: Path) -> None:
    # Given a directory store with one object, and a write's leftover at its top level
    store = LocalStore(tmp_path / "site")
    store.put("index.html", b"<p>")
    (tmp_path / "site" / ".tmp-abc").write_bytes(b"half")
    # Then only the object is listed
    assert store.keys("") == ["index.html"]


def test_a_key_that_reaches_outside_the_directory_through_a_link_is_refused(tmp_path: Path) -> None:
    # Given a directory store in which a folder is a link to somewhere outside it
    outside = tmp_path / "outside"
    outside.mkdir()
    store = LocalStore(tmp_path / "data")
    store.put("raw/keep.json", b"{}")
    (tmp_path / "data" / "linked").symlink_to(outside)
    # When a key through the link is written or read / Then it is refused, and nothing lands outside
    with pytest.raises(ValueError, match="escapes the store"):
        store.put("linked/evil.json", b"x")
    with pytest.raises(ValueError, match="escapes the store"):
        store.get("linked/evil.json")
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("character", [chr(0), chr(9), chr(31)])
def test_a_key_with_any_control_character_is_refused(character: str) -> None:
    with pytest.raises(UnsafeKeyError):
        checked_key(f"raw/2020-07-09/a{character}b.json")


def test_a_plain_key_is_accepted_as_it_is() -> None:
    assert checked_key("raw/2020-07-09/x/oembed-123.json") == "raw/2020-07-09/x/oembed-123.json"
    assert checked_key("a..b/.hidden") == "a..b/.hidden"  # dots inside a name are not segments


@pytest.mark.parametrize(
    ("key", "served_as"),
    [
        ("digests/2020-07-09.html", "text/html; charset=utf-8"),
        ("digests/2020-07-09.md", "text/markdown; charset=utf-8"),
        ("digests/2020-07-09.json", "application/json; charset=utf-8"),
        ("feed.xml", "application/atom+xml; charset=utf-8"),
        ("assets/site.abc.css", "text/css; charset=utf-8"),
        ("assets/site.abc.js", "text/javascript; charset=utf-8"),
        ("assets/font.abc.woff2", "font/woff2"),
    ],
)
def test_each_kind_of_page_the_site_serves_has_its_content_type(key: str, served_as: str) -> None:
    # Given an object written without a type / Then browsers are told what it is, by its ending
    client = SimpleNamespace(calls=[])
    client.put_object = lambda **kwargs: client.calls.append(kwargs)
    S3Store("site", client=client).put(key, b"")
    assert client.calls[0]["ContentType"] == content_type_for(key) == served_as


@pytest.mark.parametrize("location", ["s3://", "s3:///"])
def test_an_s3_location_without_a_bucket_is_refused(location: str) -> None:
    with pytest.raises(ValueError, match="is not s3://<bucket>"):
        open_store(location)


def test_a_write_cut_short_leaves_the_old_object_and_nothing_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a directory store holding a page
    store = LocalStore(tmp_path / "site")
    store.put("index.html", b"old")

    # When a new version's write stops after its bytes are written, before it takes the page's place
    def power_cut(source: object, target: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError, match="power cut"):
        store.put("index.html", b"new")

    # Then the page is the old one, and the listing shows nothing of the unfinished write, whose
    # temporary file is outside the store's directory
    assert store.get("index.html") == b"old"
    assert store.keys("") == ["index.html"]
    assert [path.name for path in (tmp_path / "site").iterdir()] == ["index.html"]
    assert len(list((tmp_path / ".site.partial").glob(".tmp-*"))) == 1


def test_a_directory_store_needs_no_system_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a system temporary directory that does not exist (a read-only or full /tmp)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-tmp"))
    store = LocalStore(tmp_path / "data")
    # When an object is written / Then it is stored all the same, within the store
    store.put("raw/2020-07-09/manifest.json", b"{}")
    assert store.get("raw/2020-07-09/manifest.json") == b"{}"


@pytest.mark.parametrize(
    ("key", "stored"),
    [
        ("categories/" + "a" * 255, True),
        ("categories/" + "a" * 256, False),
        ("categories/" + "é" * 127 + "a", True),
        ("categories/" + "é" * 128, False),
        ("/".join(["a" * 200] * 5) + "/" + "a" * 19, True),
        ("/".join(["a" * 200] * 5) + "/" + "a" * 20, False),
        ("/".join(["é" * 100] * 5) + "/" + "a" * 19, True),
        ("/".join(["é" * 100] * 5) + "/" + "a" * 20, False),
    ],
)
def test_a_key_longer_than_every_store_takes_is_refused_before_any_write(key: str, stored: bool) -> None:
    # Given a key whose segments (in UTF-8 bytes) reach a file name's 255, or whose whole S3's 1024
    # When it is checked / Then it passes only within both bounds, and is named when refused
    if stored:
        assert checked_key(key) == key
    else:
        with pytest.raises(
            UnsafeKeyError, match=r"^key '.{0,80}'\.\.\. is longer than a store takes \(1024 bytes, 255 a segment\)"
        ):
            checked_key(key)


def test_a_write_keeps_its_temporary_file_beside_the_store_never_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a directory store, and every rename a write makes recorded
    store = LocalStore(tmp_path / "site")
    renames: list[tuple[Path, Path]] = []
    rename = os.replace

    def recorded(source: str, target: str) -> None:
        renames.append((Path(source), Path(target)))
        rename(source, target)

    monkeypatch.setattr(os, "replace", recorded)
    # When a page is written
    store.put("digests/2026-06-02.html", b"<p>")
    # Then its bytes were written in a folder beside the store, outside what it publishes
    ((source, target),) = renames
    assert source.parent == tmp_path / ".site.partial"
    assert source.name.startswith(".tmp-")
    assert target == tmp_path / "site" / "digests" / "2026-06-02.html"
    assert [path.name for path in (tmp_path / "site").rglob("*")] == ["digests", "2026-06-02.html"]
    assert list((tmp_path / ".site.partial").iterdir()) == []


def test_a_store_at_a_mount_point_keeps_its_temporary_files_in_a_folder_it_never_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a directory store that is a mount point (its parent another file system)
    monkeypatch.setattr(Path, "is_mount", lambda path: path == tmp_path / "site")
    store = LocalStore(tmp_path / "site")

    # When a write is cut short after its bytes are written
    def power_cut(source: object, target: object) -> None:
        raise OSError("power cut")

    store.put("index.html", b"old")
    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError, match="power cut"):
        store.put("index.html", b"new")
    # Then its temporary file is in the store's .partial folder, which no listing shows
    assert [path.parent.name for path in (tmp_path / "site").rglob(".tmp-*")] == [".partial"]
    assert store.keys("") == ["index.html"]
    assert store.keys(".") == []
    assert not (tmp_path / ".site.partial").exists()


def test_a_store_whose_folder_and_its_parent_are_not_there_yet_is_written_all_the_same(tmp_path: Path) -> None:
    # Given a directory store two levels below anything that exists
    store = LocalStore(tmp_path / "new" / "site")
    # When an object is written / Then the folders are made, its temporary file's beside the store too
    store.put("index.html", b"<p>")
    assert store.get("index.html") == b"<p>"
    assert (tmp_path / "new" / ".site.partial").is_dir()


@pytest.fixture
def buckets(aws: None) -> Any:
    """An in-memory S3 with a site bucket; its client."""
    import boto3

    client = boto3.client("s3")
    client.create_bucket(Bucket="site")
    return client


def test_a_site_bucket_stores_text_compressed_and_reads_it_back_as_put(buckets: Any) -> None:
    # Given the site's bucket, opened as readers download from it
    site = open_store("s3://site", compressed=True)
    page = b"<!doctype html><title>Hot Papers</title>" + b"<p>the same words again and again</p>" * 200
    # When a page and an image are published
    site.put("digests/2026-06-02.html", page)
    site.put("assets/social.0123456789.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    # Then the page is stored gzip-compressed, saying so, and decodes to the page
    stored = buckets.get_object(Bucket="site", Key="digests/2026-06-02.html")
    body = stored["Body"].read()
    assert stored["ContentEncoding"] == "gzip"
    assert stored["ContentType"] == "text/html; charset=utf-8"
    assert gzip.decompress(body) == page
    assert len(body) < len(page) / 10
    # And the image is stored as it is, with no encoding
    image = buckets.get_object(Bucket="site", Key="assets/social.0123456789.png")
    assert "ContentEncoding" not in image
    # And the store reads both back as they were put
    assert site.get("digests/2026-06-02.html") == page
    assert site.get("assets/social.0123456789.png").startswith(b"\x89PNG")


def test_the_same_page_compresses_to_the_same_object_and_a_data_bucket_stays_plain(buckets: Any) -> None:
    # Given a page encoded twice, a moment apart / Then the bytes are the same (no time stamp)
    first, encoding = encoded(b"<p>x</p>" * 50, "text/html; charset=utf-8")
    assert encoding == "gzip"
    assert encoded(b"<p>x</p>" * 50, "text/html; charset=utf-8") == (first, "gzip")
    assert encoded(b"PK\x03\x04", "application/gzip") == (b"PK\x03\x04", None)
    # And a bucket not opened for readers (the data bucket) stores JSON as it is
    buckets.create_bucket(Bucket="data")
    open_store("s3://data").put("scored/2026-06-02.json", b'{"date": "2026-06-02"}')
    stored = buckets.get_object(Bucket="data", Key="scored/2026-06-02.json")
    assert "ContentEncoding" not in stored
    assert stored["Body"].read() == b'{"date": "2026-06-02"}'


def test_a_local_listing_finds_every_key_under_its_prefix_and_nothing_beside_it(tmp_path: Path) -> None:
    # Given a store with keys in, beside and above the folder a prefix names
    store = LocalStore(tmp_path / "site")
    for key in ("archive/2026-06-01.json", "archive/2026-07-01.json", "archive/sub/x.json", "archived.json", "a.json"):
        store.put(key, b"{}")
    # When keys are listed by a folder, by part of a name in it, by nothing, and by paths that
    # lead out or nowhere / Then each listing holds exactly the keys that start with its prefix
    assert store.keys("archive/") == ["archive/2026-06-01.json", "archive/2026-07-01.json", "archive/sub/x.json"]
    assert store.keys("archive/2026-06") == ["archive/2026-06-01.json"]
    assert store.keys("archive") == [
        "archive/2026-06-01.json",
        "archive/2026-07-01.json",
        "archive/sub/x.json",
        "archived.json",
    ]
    assert len(store.keys("")) == 5
    assert store.keys("missing/") == []
    assert store.keys("../") == []

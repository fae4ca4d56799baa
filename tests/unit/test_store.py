from pathlib import Path

import pytest
from hotpapers.store import LocalStore, NotFound, S3Store, UnsafeKey, content_type_for, open_store


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
    with pytest.raises(NotFound):
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
        with pytest.raises(UnsafeKey, match="not a plain relative path"):
            store.put(key, b"overwritten")
    # Then nothing was overwritten
    assert local.get("raw/2026-06-02/manifest.json") == b"sealed"


def test_open_store_picks_the_adapter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }.items():
        monkeypatch.setenv(name, value)
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
    with pytest.raises(NotFound, match=r"raw/2020-07-09/manifest\.json"):
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

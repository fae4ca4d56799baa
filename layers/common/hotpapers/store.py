"""Where the pipeline keeps its objects: an S3 bucket on AWS, a directory locally.

Keys are the same in both (``raw/<D>/...``, ``scored/<D>.json``, ``digests/<D>.md``).
``open_store("s3://bucket")`` gives the S3 adapter, any other value a local directory.

A bucket that readers download from (the site's: ``open_store(location, compressed=True)``)
stores its text gzip-compressed, with ``Content-Encoding: gzip``: S3 serves an object as it is
stored, so that is the only way a reader of the plain bucket website gets a page compressed (a
46 KB digest downloads as 10 KB). Every browser, feed reader and HTTP library accepts it; a
client that asks for no encoding still gets it (``curl`` needs ``--compressed``). A directory
keeps plain files, readable from disk, and ``get`` always returns the bytes as they were put.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

# By a key's ending: what the site serves, and what a document stored without its own type is.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "application/atom+xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".woff2": "font/woff2",
}


class NotFoundError(KeyError):
    """The key is not in the store."""


# The longest key S3 stores, and the longest file name most file systems take (NAME_MAX), in
# UTF-8 bytes: a key within both is stored alike in a bucket and a directory.
MAX_KEY_BYTES = 1024
MAX_SEGMENT_BYTES = 255


class UnsafeKeyError(ValueError):
    """A key that could reach outside the place its parts name, or too long to store: keys are
    built partly from upstream data (post ids, repository names, categories), so a crafted one
    must never overwrite another object, nor fail a write half-way through a publish."""


def checked_key(key: str) -> str:
    """``key`` if it is a plain relative path of named segments, within the lengths every store
    takes (``MAX_KEY_BYTES``, ``MAX_SEGMENT_BYTES``); else ``UnsafeKeyError``.

    S3 itself would store ``raw/D/x/oembed-1/../../manifest.json`` verbatim, but a local
    directory resolves it onto ``raw/D/manifest.json``, and a reader treats both alike: so no
    ``.`` or ``..`` segment, empty segment, leading slash, backslash or control character passes.
    """
    segments = key.split("/")
    if (
        not key
        or "\\" in key
        or any(ord(character) < 32 for character in key)
        or any(segment in ("", ".", "..") for segment in segments)
    ):
        raise UnsafeKeyError(f"key {key!r} is not a plain relative path; refused")
    if len(key.encode()) > MAX_KEY_BYTES or any(len(segment.encode()) > MAX_SEGMENT_BYTES for segment in segments):
        raise UnsafeKeyError(
            f"key {key[:80]!r}... is longer than a store takes ({MAX_KEY_BYTES} bytes, "
            f"{MAX_SEGMENT_BYTES} a segment); refused"
        )
    return key


def content_type_for(key: str) -> str:
    return CONTENT_TYPES.get(Path(key).suffix, "application/octet-stream")


# Types sent compressed: text, which gzip shrinks four to six times; images and fonts are
# compressed already.
COMPRESSED_TYPES = ("text/", "application/json", "application/atom+xml", "application/feed+json", "image/svg+xml")


def encoded(body: bytes, content_type: str) -> tuple[bytes, str | None]:
    """``body`` as a reader downloads it, and its ``Content-Encoding``: text gzip-compressed (with
    no time stamp, so the same page is always the same object), anything else as it is."""
    if content_type.startswith(COMPRESSED_TYPES):
        return gzip.compress(body, compresslevel=9, mtime=0), "gzip"
    return body, None


PARTIAL = ".partial"
"""Where a ``LocalStore`` at a mount point keeps its temporary files, inside it."""


class Store(Protocol):
    @property
    def bucket(self) -> str:
        """The bucket name events carry for this store."""

    def put(self, key: str, body: bytes, content_type: str | None = None, cache_control: str | None = None) -> None:
        """Write ``body`` at ``key``; ``cache_control`` is the object's Cache-Control where the store keeps headers."""

    def get(self, key: str) -> bytes: ...

    def keys(self, prefix: str) -> list[str]:
        """Every key that starts with ``prefix``, sorted."""

    def versions(self, prefix: str) -> dict[str, str]:
        """Every key that starts with ``prefix`` -> a token of its content (S3's ETag), from one
        listing: a reader that kept what it read compares them to read again only what changed."""


class LocalStore:
    """A directory standing in for a bucket; writes are atomic, like S3 puts.

    Each write goes to a temporary file first, then is renamed into place. The temporary files
    are kept outside the directory (in ``.<name>.partial`` beside it), so that one a crash leaves
    is never where the directory's readers (a web server over a site) can fetch it; inside it,
    only when the directory is a mount point, whose parent is another file system.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self.scratch = (
            self.root / PARTIAL if self.root.is_mount() else self.root.with_name(f".{self.root.name}.partial")
        )

    @property
    def bucket(self) -> str:
        return self.root.name

    def _path(self, key: str) -> Path:
        path = (self.root / checked_key(key)).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"key {key!r} escapes the store")
        return path

    def put(self, key: str, body: bytes, content_type: str | None = None, cache_control: str | None = None) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Its parent is the store's, or the store: made just above.
        self.scratch.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.scratch, delete=False, prefix=".tmp-") as handle:
            handle.write(body)
        # Temporary files are private (0600); a published site must be readable by a web server.
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise NotFoundError(key) from exc

    def keys(self, prefix: str) -> list[str]:
        return sorted(self._files(prefix))

    def versions(self, prefix: str) -> dict[str, str]:
        # A digest of the content, not the file's time: two writes within the file system's clock
        # tick (milliseconds) must not look alike. Locally that reads each listed file: a month's
        # summaries, small and on disk.
        found: dict[str, str] = {}
        for key, path in sorted(self._files(prefix).items()):
            try:
                found[key] = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            except FileNotFoundError:
                continue  # removed since the listing, as on S3
        return found

    def _files(self, prefix: str) -> dict[str, Path]:
        # Only what the prefix names is walked: the names in its folder, and the files under those
        # that match (``archive/2026-06-`` reads one folder's names, not the whole site), so that
        # a listing costs about what it finds, as on S3, however many other files there are.
        folder, _, start = prefix.rpartition("/")
        base = self.root / folder
        if not base.is_dir() or not base.resolve().is_relative_to(self.root):
            return {}
        found = (
            path
            for entry in base.iterdir()
            if entry.name.startswith(start)
            for path in ([entry] if entry.is_file() else entry.rglob("*"))
            if path.is_file()
        )
        return {
            key: path
            for path in found
            if (key := path.relative_to(self.root).as_posix()).startswith(prefix)
            and "/.tmp-" not in f"/{key}"
            and not key.startswith(f"{PARTIAL}/")
        }

    def delete(self, key: str) -> None:
        """Remove ``key``; a key already gone is no error, as on S3."""
        self._path(key).unlink(missing_ok=True)


class S3Store:
    """An S3 bucket through boto3."""

    def __init__(self, bucket: str, client: Any = None, compressed: bool = False) -> None:
        import boto3

        self._bucket = bucket
        self.client = client or boto3.client("s3")
        self.compressed = compressed
        """Store text gzip-compressed, as readers download it (``encoded``)."""

    @property
    def bucket(self) -> str:
        return self._bucket

    def put(self, key: str, body: bytes, content_type: str | None = None, cache_control: str | None = None) -> None:
        key = checked_key(key)
        content_type = content_type or content_type_for(key)
        extra: dict[str, Any] = {"CacheControl": cache_control} if cache_control else {}
        if self.compressed:
            body, encoding = encoded(body, content_type)
            if encoding:
                extra["ContentEncoding"] = encoding
        self.client.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType=content_type, **extra)

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self._bucket, Key=key)
        except self.client.exceptions.NoSuchKey as exc:
            raise NotFoundError(key) from exc
        body = bytes(response["Body"].read())
        return gzip.decompress(body) if response.get("ContentEncoding") == "gzip" else body

    def keys(self, prefix: str) -> list[str]:
        return sorted(self.versions(prefix))

    def versions(self, prefix: str) -> dict[str, str]:
        paginator = self.client.get_paginator("list_objects_v2")
        found: dict[str, str] = {}
        for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
            found.update((item["Key"], item["ETag"]) for item in page.get("Contents", []))
        return dict(sorted(found.items()))

    def delete(self, key: str) -> None:
        """Remove ``key`` (S3 answers a delete of a missing key as done)."""
        self.client.delete_object(Bucket=self._bucket, Key=checked_key(key))


def open_store(location: str, compressed: bool = False) -> LocalStore | S3Store:
    """``s3://bucket`` opens the bucket (its text stored compressed if ``compressed``: readers
    download from it); anything else is a local directory."""
    if location.startswith("s3://"):
        bucket = location.removeprefix("s3://").strip("/")
        if not bucket or "/" in bucket:
            raise ValueError(f"{location!r} is not s3://<bucket>")
        return S3Store(bucket, compressed=compressed)
    return LocalStore(location)

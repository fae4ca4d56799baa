"""A store in memory for unit tests: what was written, and as which content type."""

from __future__ import annotations

import hashlib

from hotpapers.store import NotFoundError, content_type_for


class MemoryStore:
    """A store in a dict, remembering each object's content type."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.types: dict[str, str | None] = {}

    @property
    def bucket(self) -> str:
        return "memory"

    def put(self, key: str, body: bytes, content_type: str | None = None, cache_control: str | None = None) -> None:
        self.objects[key] = body
        self.types[key] = content_type or content_type_for(key)

    def get(self, key: str) -> bytes:
        try:
            return self.objects[key]
        except KeyError:
            raise NotFoundError(key) from None

    def keys(self, prefix: str) -> list[str]:
        return sorted(self.versions(prefix))

    def versions(self, prefix: str) -> dict[str, str]:
        """As S3 lists them, with each object's ETag (the MD5 of its bytes)."""
        return {
            key: hashlib.md5(self.objects[key], usedforsecurity=False).hexdigest()
            for key in sorted(self.objects)
            if key.startswith(prefix)
        }

    def delete(self, key: str) -> None:
        self.objects.pop(key, None)
        self.types.pop(key, None)

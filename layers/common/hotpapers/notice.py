"""A day's notice: what its pages must say of where its data came from.

A day whose snapshot is not all real (the bundled demo's: a real arXiv announcement with
illustrative posts and figures) carries ``raw/<D>/notice.json`` beside its sealed snapshot. The
score step copies it into the scored day, so a rescore or a render publishes it as the first run
did, whatever the settings of the machine that runs them:

- ``banner``: shown at the top of every page, and in the Markdown and feeds;
- ``day`` (optional): shown on that day's own pages only (a re-dated day says so);
- ``posts: "illustrative"`` (optional): the posts are made up, so each post's own address is
  moved to the same name on the reserved ``.example`` domain (RFC 2606), which leads nowhere:
  never an invented id on a real service.
"""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hotpapers.layout import notice_key
from hotpapers.store import Store

RESERVED_TLD = "example"


class NoticeError(ValueError):
    """A stored notice that is not one: publishing the day without it would hide what it says."""


class Notice(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    banner: str = Field(min_length=1)
    day: str | None = None
    posts: Literal["illustrative"] | None = None


def read(store: Store, digest_date: str) -> Notice | None:
    """The day's notice, or ``None`` when it has none (every real day)."""
    key = notice_key(digest_date)
    # Listed, not read blind: S3 answers a read of a missing key with 403 to a role that may not list it.
    if key not in store.keys(key):
        return None
    try:
        return Notice.model_validate(json.loads(store.get(key)))
    except (ValueError, ValidationError) as exc:
        raise NoticeError(f"{key} is not a notice: {exc}") from exc


def reserved(url: str) -> str:
    """``url`` on the reserved domain: ``https://bsky.app/profile/a`` -> ``https://bsky.example/profile/a``."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host or host.endswith(f".{RESERVED_TLD}"):
        return url
    moved = host.rsplit(".", 1)[0] + f".{RESERVED_TLD}"
    return urlunsplit(parts._replace(netloc=moved))


def apply(notice: Notice, scored: dict[str, Any]) -> dict[str, Any]:
    """The scored day carrying ``notice``, its posts' own addresses reserved when they are illustrative."""
    papers = scored["papers"]
    if notice.posts == "illustrative":
        papers = [{**entry, "posts": [_illustrative(post) for post in entry["posts"]]} for entry in papers]
    return {**scored, "papers": papers, "notice": notice.model_dump(exclude_none=True)}


def _illustrative(post: dict[str, Any]) -> dict[str, Any]:
    own = post["url"]
    moved = reserved(own)
    # X's embed markup links the post's own address too (its date); a Reddit self post and a
    # Hugging Face page list it among their links, which are what the post points to, not itself.
    html = post.get("html")
    links = [link for link in post.get("links", ()) if link != own]
    return {**post, "url": moved, "links": links, **({"html": html.replace(own, moved)} if html else {})}

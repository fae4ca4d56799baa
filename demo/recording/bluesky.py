"""Bluesky: sample ``searchPosts`` pages, readers' posts and a sample bot's."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from recording.common import IGNORED_BOT, iso, posted


def _bluesky_post(n: int, paper: dict, rng: random.Random, handle: str, name: str, form: str) -> dict:
    did = f"did:plc:hpsample{sum(map(ord, handle)) % 10**6:06d}"
    rkey = f"3lq{n:04d}sample"
    created = posted(rng)
    abs_url = f"https://arxiv.org/abs/{paper['id']}"
    shown = f"arxiv.org/abs/{paper['id'][:6]}..."
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "createdAt": iso(created), "langs": ["en"]}
    view_embed = None
    if form == "facet":
        # The text shows a shortened link; the full URL is only in the facet.
        record["text"] = f"SAMPLE POST. Worth a read: {paper['title'][:80]} {shown}"
        start = len(record["text"].encode()) - len(shown.encode())
        record["facets"] = [
            {
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": abs_url}],
                "index": {"byteEnd": start + len(shown.encode()), "byteStart": start},
            }
        ]
    else:
        # A link card only: the text has no URL at all.
        record["text"] = f"SAMPLE POST. New paper we liked: {paper['title'][:100]}"
        external = {"uri": abs_url, "title": paper["title"], "description": paper["summary"][:200]}
        record["embed"] = {"$type": "app.bsky.embed.external", "external": external}
        view_embed = {"$type": "app.bsky.embed.external#view", "external": external}
    view: dict[str, Any] = {
        "uri": f"at://{did}/app.bsky.feed.post/{rkey}",
        "cid": f"bafyreisample{n:04d}",
        "author": {
            "did": did,
            "handle": handle,
            "displayName": name,
            "avatar": f"https://cdn.bsky.app/img/avatar/plain/{did}/sample@jpeg",
            "labels": [],
            "createdAt": "2024-11-20T10:00:00.000Z",
        },
        "record": record,
        "replyCount": rng.randint(0, 12),
        "repostCount": rng.randint(0, 30),
        "likeCount": rng.randint(4, 140),
        "quoteCount": rng.randint(0, 6),
        "indexedAt": iso(created + timedelta(seconds=2)),
        "labels": [],
    }
    if view_embed:
        view["embed"] = view_embed
    return view


def sample_bluesky(picked: list[dict], bot_picked: list[dict], rng: random.Random) -> list[dict]:
    """Two ``searchPosts`` pages: sample readers' posts, and a sample bot's that the demo ignores."""
    readers = [(f"hp-sample-{n:02d}.bsky.social", f"Sample Skeeter {n:02d}") for n in range(6)]
    views = [
        _bluesky_post(n, paper, rng, *rng.choice(readers), rng.choice(["facet", "card"]))
        for n, paper in enumerate(picked)
    ]
    views += [
        _bluesky_post(100 + n, paper, rng, IGNORED_BOT, "arXiv sample bot", "card")
        for n, paper in enumerate(bot_picked)
    ]
    views.sort(key=lambda view: view["indexedAt"], reverse=True)
    half = len(views) // 2
    return [
        {"cursor": "demo-cursor-2", "hitsTotal": len(views), "posts": views[:half]},
        {"hitsTotal": len(views), "posts": views[half:]},
    ]

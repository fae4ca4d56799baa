"""Bluesky: illustrative ``searchPosts`` pages, by fictional accounts with handles on a reserved domain."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from recording.common import Day, iso
from recording.people import persona, remark


def _bluesky_post(day: Day, n: int, paper: dict, rng: random.Random, form: str) -> dict:
    name, nick = persona(rng)
    handle = f"{nick.replace('_', '-')}.example"
    did = f"did:plc:demo{sum(map(ord, handle)) % 10**6:06d}"
    rkey = f"3lq{day.shift}{n:03d}demo"
    created = day.posted(rng)
    abs_url = f"https://arxiv.org/abs/{paper['id']}"
    shown = f"arxiv.org/abs/{paper['id'][:6]}..."
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "createdAt": iso(created), "langs": ["en"]}
    view_embed = None
    if form == "facet":
        # The text shows a shortened link; the full URL is only in the facet.
        record["text"] = f"{remark(rng, paper['title'], 200)} {shown}"
        start = len(record["text"].encode()) - len(shown.encode())
        record["facets"] = [
            {
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": abs_url}],
                "index": {"byteEnd": start + len(shown.encode()), "byteStart": start},
            }
        ]
    else:
        # A link card only: the text has no URL at all.
        record["text"] = remark(rng, paper["title"], 200)
        external = {"uri": abs_url, "title": paper["title"], "description": paper["summary"][:200]}
        record["embed"] = {"$type": "app.bsky.embed.external", "external": external}
        view_embed = {"$type": "app.bsky.embed.external#view", "external": external}
    view: dict[str, Any] = {
        "uri": f"at://{did}/app.bsky.feed.post/{rkey}",
        "cid": f"bafyreidemo{day.shift}{n:03d}",
        "author": {
            "did": did,
            "handle": handle,
            "displayName": name,
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


def illustrative_bluesky(day: Day, picked: list[dict], rng: random.Random) -> list[dict]:
    """Two ``searchPosts`` pages of fictional readers' posts about the picked papers."""
    views = [_bluesky_post(day, n, paper, rng, rng.choice(["facet", "card"])) for n, paper in enumerate(picked)]
    views.sort(key=lambda view: view["indexedAt"], reverse=True)
    half = len(views) // 2
    return [
        {"cursor": "demo-cursor-2", "hitsTotal": len(views), "posts": views[:half]},
        {"hitsTotal": len(views), "posts": views[half:]},
    ]

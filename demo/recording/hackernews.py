"""Hacker News: one illustrative Algolia ``search_by_date`` page."""

from __future__ import annotations

import random

from recording.common import Day, iso
from recording.people import persona


def illustrative_hackernews(day: Day, picked: list[dict], rng: random.Random) -> dict:
    """One ``search_by_date`` page of stories linking the picked papers, submitted by fictional accounts."""
    hits = []
    for n, paper in enumerate(picked):
        story_id = str(44170000 + 100000 * day.shift + 1913 * n)
        author = persona(rng)[1]
        created = day.posted(rng)
        url = rng.choice(["https://arxiv.org/abs/{}", "https://arxiv.org/pdf/{}", "https://arxiv.org/abs/{}v1"])
        title = paper["title"]
        hits.append(
            {
                "_highlightResult": {
                    "author": {"matchLevel": "none", "matchedWords": [], "value": author},
                    "title": {"matchLevel": "none", "matchedWords": [], "value": title},
                    "url": {
                        "fullyHighlighted": False,
                        "matchLevel": "full",
                        "matchedWords": ["arxiv", "org"],
                        "value": url.format(paper["id"]).replace("arxiv.org", "<em>arxiv.org</em>"),
                    },
                },
                "_tags": ["story", f"author_{author}", f"story_{story_id}"],
                "author": author,
                "children": [int(story_id) + k for k in range(1, 4)],
                "created_at": iso(created),
                "created_at_i": int(created.timestamp()),
                "num_comments": rng.randint(2, 140),
                "objectID": story_id,
                "points": rng.randint(8, 420),
                "story_id": int(story_id),
                "title": title,
                "updated_at": iso(day.now),
                "url": url.format(paper["id"]),
            }
        )
    hits.sort(key=lambda hit: -hit["created_at_i"])
    return {
        "exhaustive": {"nbHits": True, "typo": True},
        "exhaustiveNbHits": True,
        "exhaustiveTypo": True,
        "hits": hits,
        "hitsPerPage": 100,
        "nbHits": len(hits),
        "nbPages": 1,
        "page": 0,
        "params": "query=arxiv.org&restrictSearchableAttributes=url&tags=story&hitsPerPage=100&page=0",
        "processingTimeMS": 2,
        "query": "arxiv.org",
        "serverTimeMS": 3,
    }

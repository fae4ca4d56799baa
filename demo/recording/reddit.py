"""Reddit: illustrative threads in the field set of a real search Listing (recorded by PRAW)."""

from __future__ import annotations

import json
import random

from recording.common import Day
from recording.people import persona


def illustrative_reddit(day: Day, real_listing: dict, picked: list[dict], rng: random.Random) -> dict:
    """Threads about the picked papers by fictional accounts (one a crosspost, one a self post), each
    with every field of a real Listing's thread."""
    templates = [child for child in real_listing["data"]["children"] if child["kind"] == "t3"]
    subreddits = [("MachineLearning", "t5_2r3gv"), ("compsci", "t5_2qhmr"), ("LocalLLaMA", "t5_81eyvm")]
    children = []
    for n, paper in enumerate(picked):
        thread = json.loads(json.dumps(templates[n % len(templates)]["data"]))
        subreddit, subreddit_id = rng.choice(subreddits)
        thread_id = f"1l{day.shift}{n:03d}s"
        slug = "_".join(paper["title"].lower().split()[:6])
        created = day.posted(rng)
        is_self = n == 1
        thread.update(
            author=persona(rng)[1],
            created=created.timestamp() + 28800,
            created_utc=created.timestamp(),
            domain=f"self.{subreddit}" if is_self else "arxiv.org",
            id=thread_id,
            is_self=is_self,
            name=f"t3_{thread_id}",
            num_comments=rng.randint(1, 90),
            permalink=f"/r/{subreddit}/comments/{thread_id}/{slug}/",
            score=rng.randint(3, 320),
            selftext=(
                f"Has anyone tried [this paper](https://arxiv.org/abs/{paper['id']}) yet? {paper['title']}"
                if is_self
                else ""
            ),
            selftext_html=None,
            subreddit=subreddit,
            subreddit_id=subreddit_id,
            thumbnail="self" if is_self else "default",
            title=f"[R] {paper['title']}",
            url=(
                f"https://www.reddit.com/r/{subreddit}/comments/{thread_id}/{slug}/"
                if is_self
                else f"https://arxiv.org/abs/{paper['id']}"
            ),
        )
        thread["ups"] = thread["score"]
        children.append({"kind": "t3", "data": thread})
    # A crosspost copies its parent's link into another subreddit; it is a repost and never counts.
    crosspost = json.loads(json.dumps(children[0]["data"]))
    crosspost.update(
        id=f"1l{day.shift}999x",
        name=f"t3_1l{day.shift}999x",
        subreddit="singularity",
        crosspost_parent=children[0]["data"]["name"],
    )
    crosspost["permalink"] = crosspost["permalink"].replace(children[0]["data"]["subreddit"], "singularity")
    children.append({"kind": "t3", "data": crosspost})
    children.sort(key=lambda child: -child["data"]["created_utc"])
    return {"kind": "Listing", "data": {**real_listing["data"], "children": children, "after": None, "before": None}}

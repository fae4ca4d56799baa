"""Reddit: the real PRAW listing, its threads re-pointed to papers of the demo day."""

from __future__ import annotations

import json
import random

from recording.common import posted


def sample_reddit(real_listing: dict, picked: list[dict], rng: random.Random) -> dict:
    """The real PRAW listing, its threads re-pointed to the picked papers (one a crosspost, one a self post)."""
    templates = [child for child in real_listing["data"]["children"] if child["kind"] == "t3"]
    subreddits = [("MachineLearning", "t5_2r3gv"), ("compsci", "t5_2qhmr"), ("LocalLLaMA", "t5_81eyvm")]
    children = []
    for n, paper in enumerate(picked):
        thread = json.loads(json.dumps(templates[n % len(templates)]["data"]))
        subreddit, subreddit_id = rng.choice(subreddits)
        thread_id = f"1l{n:04d}s"
        slug = "_".join(paper["title"].lower().split()[:6])
        created = posted(rng)
        is_self = n == 1
        thread.update(
            author=f"hp_sample_redditor_{n % 4}",
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
                f"SAMPLE POST. Discussion of [the paper](https://arxiv.org/abs/{paper['id']})." if is_self else ""
            ),
            selftext_html=None,
            subreddit=subreddit,
            subreddit_id=subreddit_id,
            thumbnail="self" if is_self else "default",
            title=f"[R] {paper['title']} (SAMPLE)",
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
        id="1l9999x", name="t3_1l9999x", subreddit="singularity", crosspost_parent=children[0]["data"]["name"]
    )
    crosspost["permalink"] = crosspost["permalink"].replace(children[0]["data"]["subreddit"], "singularity")
    children.append({"kind": "t3", "data": crosspost})
    children.sort(key=lambda child: -child["data"]["created_utc"])
    return {"kind": "Listing", "data": {**real_listing["data"], "children": children, "after": None, "before": None}}

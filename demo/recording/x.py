"""X: sample recent-search pages and oEmbed answers in the documented API v2 shape."""

from __future__ import annotations

import random
from xml.sax.saxutils import escape


def sample_x(papers: list[dict], rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Two pages of sample recent-search results and the oEmbed answers for the posts worth showing."""
    picked = rng.sample(papers, 16)
    users = [
        {"id": str(9000 + n), "name": f"Sample Reader {n:02d}", "username": f"hp_sample_{n:02d}"} for n in range(12)
    ]
    tweets, embeds = [], []
    tweet_id = 1800000000000000000
    for rank, paper in enumerate(picked):
        for n in range(rng.randint(1, 4)):
            tweet_id += rng.randint(1000, 90000)
            user = rng.choice(users)
            scale = max(1, 12 - rank)
            likes = rng.randint(2, 30) * scale // (n + 1)
            retweets = likes // rng.randint(3, 6)
            form = rng.choice(
                [
                    "https://arxiv.org/abs/{}",
                    "https://arxiv.org/pdf/{}",
                    "http://arxiv.org/abs/{}v1",
                    "https://arxiv.org/pdf/{}v1.pdf",
                ]
            )
            tco = f"https://t.co/s{tweet_id % 10**8:08d}"
            text = f"SAMPLE POST. New on arXiv: {paper['title']} {tco}"
            tweets.append(
                {
                    "id": str(tweet_id),
                    "text": text,
                    "author_id": user["id"],
                    "created_at": f"2026-06-02T0{rng.randint(0, 9)}:{rng.randint(10, 59)}:00.000Z",
                    "lang": "en",
                    "public_metrics": {
                        "retweet_count": retweets,
                        "reply_count": rng.randint(0, 9),
                        "like_count": likes,
                        "quote_count": rng.randint(0, 3),
                        "bookmark_count": 0,
                        "impression_count": likes * 40,
                    },
                    "entities": {
                        "urls": [
                            {
                                "start": len(text) - len(tco),
                                "end": len(text),
                                "url": tco,
                                "expanded_url": form.format(paper["id"]),
                                "display_url": "arxiv.org/abs/" + paper["id"],
                            }
                        ]
                    },
                    "edit_history_tweet_ids": [str(tweet_id)],
                }
            )
            if likes + retweets >= 25 and rng.random() < 0.85:
                url = f"https://twitter.com/{user['username']}/status/{tweet_id}"
                html = (
                    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">'
                    f"SAMPLE POST. New on arXiv: {escape(paper['title'])} "
                    f'<a href="{tco}">{tco}</a></p>&mdash; {user["name"]} (@{user["username"]}) '
                    f'<a href="{url}?ref_src=twsrc%5Etfw">June 2, 2026</a></blockquote>\n'
                    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n'
                )
                embeds.append(
                    {
                        "url": url,
                        "author_name": user["name"],
                        "author_url": f"https://twitter.com/{user['username']}",
                        "html": html,
                        "width": 550,
                        "height": None,
                        "type": "rich",
                        "cache_age": "3153600000",
                        "provider_name": "Twitter",
                        "provider_url": "https://twitter.com",
                        "version": "1.0",
                    }
                )
    # A retweet: the API copies the original's counts onto it; it must never count.
    original = max(tweets, key=lambda tweet: tweet["public_metrics"]["like_count"])
    tweet_id += 7
    tweets.append(
        {
            **original,
            "id": str(tweet_id),
            "author_id": users[-1]["id"],
            "text": "RT @" + users[0]["username"] + ": " + original["text"],
            "referenced_tweets": [{"type": "retweeted", "id": original["id"]}],
        }
    )
    return tweets, embeds

"""X: illustrative recent-search pages and oEmbed answers in the documented API v2 shape."""

from __future__ import annotations

import random
from xml.sax.saxutils import escape

from recording.common import Day, iso, long_date
from recording.people import PERSONAS, remark


def x_users() -> list[dict]:
    """The fictional accounts, as the answer's ``includes.users`` lists them."""
    return [{"id": str(9000 + n), "name": name, "username": handle} for n, (name, handle) in enumerate(PERSONAS)]


def illustrative_x(day: Day, papers: list[dict], rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Two pages' worth of recent-search results and the oEmbed answers for the posts worth showing.

    A post's text links the paper's own arXiv address, not a shortened one: a made-up ``t.co``
    code would be an invented address on a real service.
    """
    picked = rng.sample(papers, 16)
    users = x_users()
    tweets, embeds = [], []
    tweet_id = 1800000000000000000 + day.shift * 10**12
    for rank, paper in enumerate(picked):
        for n in range(rng.randint(1, 4)):
            tweet_id += rng.randint(1000, 90000)
            user = rng.choice(users)
            scale = max(1, 12 - rank)
            likes = rng.randint(2, 30) * scale // (n + 1)
            retweets = likes // rng.randint(3, 6)
            link = rng.choice(
                [
                    "https://arxiv.org/abs/{}",
                    "https://arxiv.org/pdf/{}",
                    "http://arxiv.org/abs/{}v1",
                    "https://arxiv.org/pdf/{}v1.pdf",
                ]
            ).format(paper["id"])
            words = remark(rng, paper["title"], 200)
            text = f"{words} {link}"
            created = day.posted(rng)
            tweets.append(
                {
                    "id": str(tweet_id),
                    "text": text,
                    "author_id": user["id"],
                    "created_at": iso(created),
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
                                "start": len(text) - len(link),
                                "end": len(text),
                                "url": link,
                                "expanded_url": link,
                                "display_url": link.split("://", 1)[1],
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
                    f'{escape(words)} <a href="{escape(link)}">{escape(link)}</a></p>&mdash; {escape(user["name"])} '
                    f'(@{user["username"]}) <a href="{url}?ref_src=twsrc%5Etfw">{long_date(created)}</a></blockquote>\n'
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
    # A repost: the API copies the original's counts onto it; it must never count.
    original = max(tweets, key=lambda tweet: tweet["public_metrics"]["like_count"])
    author = next(user for user in users if user["id"] == original["author_id"])
    reposter = next(user for user in users if user["id"] != original["author_id"])
    tweet_id += 7
    tweets.append(
        {
            **original,
            "id": str(tweet_id),
            "author_id": reposter["id"],
            "text": "RT @" + author["username"] + ": " + original["text"],
            "referenced_tweets": [{"type": "retweeted", "id": original["id"]}],
        }
    )
    return tweets, embeds

"""Build the bundled demo day (``demo/recordings/2026-06-02``) from the real recordings in ../shared.

Run once, from the project root: ``python demo/build_recording.py ../shared/fixtures/real``.
What is real and what is sample is said in each file's name and in the folder's README:

* arXiv: the real 715-paper announcement of 2026-06-02 (a daily listing dump), re-encoded as
  the late-2025 API Atom format. Real ids, titles, authors, categories, comments, abstracts.
* Hugging Face: the real daily_papers response of 2026-06-12, with each item re-pointed to a
  paper of the demo day. Upvotes, comments and submitters are the real ones.
* X: no real recording exists; sample posts in the documented API v2 shape, by sample accounts.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

DAY = "2026-06-02"
FETCHED_AT = "2026-06-03T07:46:45Z"
OUT = Path(__file__).parent / "recordings" / DAY
ARXIV_FILE = f"arxiv_api_{DAY}_BUILT_FROM_REAL_LISTING.xml"
HF_FILE = f"hf_daily_papers_{DAY}_SAMPLE_REPOINTED_FROM_REAL_2026-06-12.json"


def load_papers(real: Path) -> list[dict]:
    papers: dict[str, dict] = {}
    for line in (real / "daily_arxiv_dump_2026-06-02.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        papers.setdefault(row["id"], row)
    return sorted(papers.values(), key=lambda row: row["id"])


def atom(papers: list[dict]) -> str:
    query = "submittedDate:[202605291800 TO 202606011759] AND (cat:cs.* OR cat:stat.ML)"
    head = f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/hotpapers-demo-{DAY}</id>
  <title>arXiv Query: search_query={escape(query)}&amp;id_list=&amp;start=0&amp;max_results=2000</title>
  <updated>2026-06-02T00:00:00Z</updated>
  <opensearch:itemsPerPage>2000</opensearch:itemsPerPage>
  <opensearch:totalResults>{len(papers)}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
"""
    entries = []
    for paper in papers:
        lines = [
            "  <entry>",
            f"    <id>http://arxiv.org/abs/{paper['id']}v1</id>",
            f"    <title>{escape(paper['title'])}</title>",
            # The listing dump has no timestamps: the window's last minute stands in for them.
            "    <updated>2026-06-01T17:59:00Z</updated>",
            f'    <link href="https://arxiv.org/abs/{paper["id"]}v1" rel="alternate" type="text/html"/>',
            f'    <link href="https://arxiv.org/pdf/{paper["id"]}v1" rel="related" '
            'type="application/pdf" title="pdf"/>',
            f"    <summary>{escape(paper['summary'])}</summary>",
            *(
                f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>'
                for c in paper["categories"]
            ),
            "    <published>2026-06-01T17:59:00Z</published>",
            *(
                [f"    <arxiv:comment>{escape(paper['comment'])}</arxiv:comment>"]
                if paper.get("comment")
                else []
            ),
            f"    <arxiv:primary_category term={quoteattr(paper['categories'][0])}/>",
            *(f"    <author>\n      <name>{escape(name)}</name>\n    </author>" for name in paper["authors"]),
            "  </entry>",
        ]
        entries.append("\n".join(lines))
    return head + "\n".join(entries) + "\n</feed>\n"


def sample_x(papers: list[dict], rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Two pages of sample recent-search results and the oEmbed answers for the posts worth showing."""
    picked = rng.sample(papers, 16)
    users = [
        {"id": str(9000 + n), "name": f"Sample Reader {n:02d}", "username": f"hp_sample_{n:02d}"}
        for n in range(12)
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
                    f'SAMPLE POST. New on arXiv: {escape(paper["title"])} '
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


def main(real: Path) -> None:
    rng = random.Random(20260602)
    papers = load_papers(real)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / ARXIV_FILE).write_text(atom(papers), encoding="utf-8")

    tweets, embeds = sample_x(papers, rng)
    half = len(tweets) // 2
    routes = [{"path": "/api/query", "body": ARXIV_FILE, "content_type": "application/atom+xml"}]
    user_list = [
        {"id": str(9000 + n), "name": f"Sample Reader {n:02d}", "username": f"hp_sample_{n:02d}"}
        for n in range(12)
    ]
    pages = [tweets[:half], tweets[half:]]
    for number, page in enumerate(pages, start=1):
        meta = {"result_count": len(page), "newest_id": page[-1]["id"], "oldest_id": page[0]["id"]}
        if number < len(pages):
            meta["next_token"] = f"demo-page-{number + 1}"
        authors = {tweet["author_id"] for tweet in page}
        body = {
            "data": page,
            "includes": {"users": [u for u in user_list if u["id"] in authors]},
            "meta": meta,
        }
        name = f"x_recent_search_SAMPLE_DOCUMENTED_SHAPE_page{number}.json"
        (OUT / name).write_text(json.dumps(body, indent=1), encoding="utf-8")
        route = {"path": "/2/tweets/search/recent", "body": name, "content_type": "application/json"}
        if number > 1:
            route["query"] = {"next_token": f"demo-page-{number}"}
        routes.insert(1, route)  # the more specific (paged) route first
    for n, embed in enumerate(embeds):
        name = f"x_oembed_SAMPLE_DOCUMENTED_SHAPE_{n:02d}.json"
        (OUT / name).write_text(json.dumps(embed, indent=1), encoding="utf-8")
        routes.append(
            {
                "path": "/oembed",
                "query": {"url": embed["url"]},
                "body": name,
                "content_type": "application/json",
            }
        )

    hf = json.loads((real / "hf_daily_papers_2026-06-12_default.json").read_text(encoding="utf-8"))
    for item, paper in zip(hf, rng.sample(papers, len(hf)), strict=True):
        item["paper"].update(
            id=paper["id"],
            title=paper["title"],
            summary=paper["summary"],
            submittedOnDailyAt="2026-06-02T00:00:00.000Z",
        )
        item.update(title=paper["title"], summary=paper["summary"])
    (OUT / HF_FILE).write_text(json.dumps(hf, indent=1, ensure_ascii=False), encoding="utf-8")
    routes.append({"path": "/api/daily_papers", "body": HF_FILE, "content_type": "application/json"})

    env = {
        "HOTPAPERS_NOW": FETCHED_AT,
        "HOTPAPERS_SOURCES": "x,huggingface",
        "HOTPAPERS_ARXIV_API_URL": "{url}/api/query",
        "HOTPAPERS_X_API_URL": "{url}",
        "HOTPAPERS_X_OEMBED_URL": "{url}/oembed",
        "HOTPAPERS_HF_API_URL": "{url}/api",
        "HOTPAPERS_X_BEARER_TOKEN": "demo-token-not-a-secret",
    }
    (OUT / "routes.json").write_text(
        json.dumps({"date": DAY, "env": env, "routes": routes}, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/fixtures/real"))

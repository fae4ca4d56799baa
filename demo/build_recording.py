"""Build the bundled demo day (``demo/recordings/2026-06-02``) from the real recordings in ../shared.

Run once, from the project root: ``python demo/build_recording.py ../shared/fixtures/real``.
What is real and what is sample is said in each file's name and in the folder's README:

* arXiv: the real 715-paper announcement of 2026-06-02 (a daily listing dump), re-encoded as
  the late-2025 API Atom format. Real ids, titles, authors, categories, comments, abstracts.
* Hugging Face: the real daily_papers response of 2026-06-12, with each item re-pointed to a
  paper of the demo day. Upvotes, comments and submitters are the real ones.
* X: no real recording exists; sample posts in the documented API v2 shape, by sample accounts.
* Hacker News, Bluesky, GitHub: no real recording exists; sample stories, posts and repositories
  in the documented shapes (Algolia ``search_by_date``, ``app.bsky.feed.searchPosts``, the
  GitHub REST repository and stargazer answers), by sample accounts.
* Reddit: the real search Listing recorded by PRAW (2016), its threads re-pointed to papers of
  the demo day with sample titles, scores and accounts; the field set is the real one.

Several sources discuss the same papers, so the digest shows them side by side. One Bluesky
account is a sample bot that the demo's ``HOTPAPERS_IGNORED_ACCOUNTS`` leaves out.
"""

from __future__ import annotations

import json
import math
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from hotpapers.linking import find_arxiv_ids, find_github_repos

DAY = "2026-06-02"
FETCHED_AT = "2026-06-03T07:46:45Z"
OUT = Path(__file__).parent / "recordings" / DAY
ARXIV_FILE = f"arxiv_api_{DAY}_BUILT_FROM_REAL_LISTING.xml"
HF_FILE = f"hf_daily_papers_{DAY}_SAMPLE_REPOINTED_FROM_REAL_2026-06-12.json"
HN_FILE = "hn_search_by_date_SAMPLE_DOCUMENTED_SHAPE.json"
REDDIT_FILE = "reddit_search_SAMPLE_REPOINTED_FROM_REAL_praw_cassette.json"
# The window of 2026-06-02 opens at the 2026-05-29 14:00 ET cutoff; the fetch runs at FETCHED_AT.
WINDOW_START = datetime(2026, 5, 29, 18, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 3, 7, 46, 45, tzinfo=UTC)
IGNORED_BOT = "arxiv-sample-bot.bsky.social"


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
            *([f"    <arxiv:comment>{escape(paper['comment'])}</arxiv:comment>"] if paper.get("comment") else []),
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


def _iso(moment: datetime, millis: bool = True) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z" if millis else "%Y-%m-%dT%H:%M:%SZ")


def _moment(rng: random.Random, start: datetime = WINDOW_START, end: datetime = NOW) -> datetime:
    return start + timedelta(seconds=rng.randint(0, int((end - start).total_seconds()) - 1))


def _write(name: str, document: Any) -> str:
    (OUT / name).write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return name


def sample_hackernews(picked: list[dict], rng: random.Random) -> dict:
    """One Algolia ``search_by_date`` page of sample stories linking the picked papers."""
    hits = []
    for n, paper in enumerate(picked):
        story_id = str(44170000 + 1913 * n)
        author = f"hn_sample_{n % 5:02d}"
        created = _moment(rng)
        url = rng.choice(["https://arxiv.org/abs/{}", "https://arxiv.org/pdf/{}", "https://arxiv.org/abs/{}v1"])
        title = f"{paper['title']} [SAMPLE]"
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
                "created_at": _iso(created),
                "created_at_i": int(created.timestamp()),
                "num_comments": rng.randint(2, 140),
                "objectID": story_id,
                "points": rng.randint(8, 420),
                "story_id": int(story_id),
                "title": title,
                "updated_at": _iso(NOW),
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


def _bluesky_post(n: int, paper: dict, rng: random.Random, handle: str, name: str, form: str) -> dict:
    did = f"did:plc:hpsample{sum(map(ord, handle)) % 10**6:06d}"
    rkey = f"3lq{n:04d}sample"
    created = _moment(rng)
    abs_url = f"https://arxiv.org/abs/{paper['id']}"
    shown = f"arxiv.org/abs/{paper['id'][:6]}..."
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "createdAt": _iso(created), "langs": ["en"]}
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
        "indexedAt": _iso(created + timedelta(seconds=2)),
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
        created = _moment(rng)
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


def sample_github(papers: list[dict], hf: list[dict], rng: random.Random, fast: str) -> list[dict]:
    """Routes answering for the repositories of discussed papers that Hugging Face gives no stars for."""
    hf_by_id = {item["paper"]["id"]: item["paper"] for item in hf}
    wanted = []
    for paper in papers:
        hf_paper = hf_by_id.get(paper["id"], {})
        if isinstance(hf_paper.get("githubStars"), int):
            continue
        found = find_github_repos([hf_paper.get("githubRepo") or ""]) or find_github_repos(
            [paper.get("comment") or "", paper["summary"]]
        )
        if found:
            wanted.append((paper, found[0]))
    routes = []
    for number, (paper, repository) in enumerate(wanted):
        owner, name = repository.split("/")
        # One starred so fast that three pages do not reach back to the window: shown as a total.
        stars = 480 if paper["id"] == fast else rng.randint(0, 300)
        gained = 420 if stars == 480 else rng.randint(0, stars)
        older = sorted(_moment(rng, datetime(2025, 9, 1, tzinfo=UTC), WINDOW_START) for _ in range(stars - gained))
        starred = older + sorted(_moment(rng) for _ in range(gained))
        key = repository.replace("/", "__", 1)
        created = older[0] if older else WINDOW_START
        routes.append(
            _github_route(
                f"/gh/repos/{repository}",
                f"github_repo_{key}_SAMPLE_DOCUMENTED_SHAPE.json",
                {
                    "id": 990000000 + number,
                    "node_id": f"R_kgSAMPLE{number:04d}",
                    "name": name,
                    "full_name": f"{owner}/{name}",
                    "private": False,
                    "owner": {"login": owner, "id": 70000000 + number, "type": "User", "site_admin": False},
                    "html_url": f"https://github.com/{owner}/{name}",
                    "description": f"SAMPLE. Code for {paper['title'][:90]}",
                    "fork": False,
                    "url": f"https://api.github.com/repos/{owner}/{name}",
                    "created_at": _iso(created - timedelta(days=3), millis=False),
                    "updated_at": _iso(NOW, millis=False),
                    "pushed_at": _iso(NOW - timedelta(hours=5), millis=False),
                    "homepage": None,
                    "size": rng.randint(100, 90000),
                    "stargazers_count": stars,
                    "watchers_count": stars,
                    "language": "Python",
                    "forks_count": stars // 9,
                    "open_issues_count": rng.randint(0, 12),
                    "license": None,
                    "topics": [],
                    "visibility": "public",
                    "default_branch": "main",
                    "subscribers_count": max(1, stars // 30),
                },
            )
        )
        for page in range(1, math.ceil(stars / 100) + 1):
            routes.append(
                _github_route(
                    f"/gh/repos/{repository}/stargazers",
                    f"github_stargazers_{key}_p{page}_SAMPLE_DOCUMENTED_SHAPE.json",
                    [
                        {
                            "starred_at": _iso(moment, millis=False),
                            "user": {
                                "login": f"hp-sample-stargazer-{n}",
                                "id": 80000000 + n,
                                "type": "User",
                                "site_admin": False,
                            },
                        }
                        for n, moment in enumerate(starred[(page - 1) * 100 : page * 100], start=(page - 1) * 100)
                    ],
                    query={"page": str(page)},
                )
            )
    return routes


def _github_route(path: str, name: str, document: Any, query: dict[str, str] | None = None) -> dict:
    route = {"path": path, "body": _write(name, document), "content_type": "application/json"}
    if query:
        route["query"] = query
    return route


def main(real: Path) -> None:
    rng = random.Random(20260602)
    papers = load_papers(real)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / ARXIV_FILE).write_text(atom(papers), encoding="utf-8")

    tweets, embeds = sample_x(papers, rng)
    half = len(tweets) // 2
    routes = [{"path": "/api/query", "body": ARXIV_FILE, "content_type": "application/atom+xml"}]
    user_list = [
        {"id": str(9000 + n), "name": f"Sample Reader {n:02d}", "username": f"hp_sample_{n:02d}"} for n in range(12)
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

    # The other sources draw from their own generator, so the X and Hugging Face samples stay as they were.
    others = random.Random(4)
    by_id = {paper["id"]: paper for paper in papers}
    on_x = sorted(
        {paper_id for tweet in tweets for paper_id in find_arxiv_ids([tweet["entities"]["urls"][0]["expanded_url"]])}
    )
    x_papers = [by_id[paper_id] for paper_id in on_x]
    not_on_x = [paper for paper in papers if paper["id"] not in on_x]
    with_code = [paper for paper in not_on_x if find_github_repos([paper.get("comment") or "", paper["summary"]])]
    fresh = others.sample(not_on_x, 6)
    # Discussed on both HN and Bluesky, with code on GitHub starred faster than three pages reach back.
    fresh[2] = others.choice([paper for paper in with_code if paper not in fresh])
    hn_picked = others.sample(x_papers, 7) + fresh[:3]
    routes.append(
        {
            "path": "/hn/api/v1/search_by_date",
            "body": _write(HN_FILE, sample_hackernews(hn_picked, others)),
            "content_type": "application/json",
        }
    )

    bluesky_picked = others.sample(x_papers, 6) + fresh[2:5]
    session = {
        "accessJwt": "demo-access-jwt-not-a-secret",
        "refreshJwt": "demo-refresh-jwt-not-a-secret",
        "handle": "hotpapers-demo.bsky.social",
        "did": "did:plc:hotpapersdemo",
        "active": True,
    }
    routes.append(
        {
            "path": "/bsky/xrpc/com.atproto.server.createSession",
            "body": _write("bluesky_createSession_SAMPLE_DOCUMENTED_SHAPE.json", session),
            "content_type": "application/json",
        }
    )
    bluesky_pages = sample_bluesky(bluesky_picked, others.sample(x_papers, 5), others)
    for number, page in reversed(list(enumerate(bluesky_pages, start=1))):
        route = {
            "path": "/bsky/xrpc/app.bsky.feed.searchPosts",
            "body": _write(f"bluesky_searchPosts_SAMPLE_DOCUMENTED_SHAPE_page{number}.json", page),
            "content_type": "application/json",
        }
        if number > 1:
            route["query"] = {"cursor": f"demo-cursor-{number}"}
        routes.append(route)

    reddit_picked = others.sample(x_papers, 4) + fresh[4:]
    real_listing = json.loads((real / "reddit_search_listing_praw_cassette_body.json").read_text(encoding="utf-8"))
    token = {
        "access_token": "demo-reddit-token-not-a-secret",
        "token_type": "bearer",
        "expires_in": 86400,
        "scope": "*",
    }
    routes.append(
        {
            "path": "/reddit/api/v1/access_token",
            "body": _write("reddit_access_token_SAMPLE_DOCUMENTED_SHAPE.json", token),
            "content_type": "application/json",
        }
    )
    routes.append(
        {
            "path": "/reddit/oauth/search",
            "body": _write(REDDIT_FILE, sample_reddit(real_listing, reddit_picked, others)),
            "content_type": "application/json",
        }
    )

    hf_ids = {item["paper"]["id"] for item in hf}
    discussed = sorted({paper["id"] for paper in [*x_papers, *hn_picked, *bluesky_picked, *reddit_picked]} | hf_ids)
    routes += sample_github([by_id[paper_id] for paper_id in discussed], hf, others, fast=fresh[2]["id"])

    env = {
        "HOTPAPERS_NOW": FETCHED_AT,
        "HOTPAPERS_SOURCES": "x,hackernews,bluesky,reddit,huggingface,github",
        "HOTPAPERS_ARXIV_API_URL": "{url}/api/query",
        "HOTPAPERS_X_API_URL": "{url}",
        "HOTPAPERS_X_OEMBED_URL": "{url}/oembed",
        "HOTPAPERS_HF_API_URL": "{url}/api",
        "HOTPAPERS_HN_API_URL": "{url}/hn/api/v1",
        "HOTPAPERS_BLUESKY_API_URL": "{url}/bsky",
        "HOTPAPERS_REDDIT_AUTH_URL": "{url}/reddit/api/v1/access_token",
        "HOTPAPERS_REDDIT_API_URL": "{url}/reddit/oauth",
        "HOTPAPERS_GITHUB_API_URL": "{url}/gh",
        "HOTPAPERS_X_BEARER_TOKEN": "demo-token-not-a-secret",
        "HOTPAPERS_BLUESKY_HANDLE": "hotpapers-demo.bsky.social",
        "HOTPAPERS_BLUESKY_APP_PASSWORD": "demo-app-password-not-a-secret",
        "HOTPAPERS_REDDIT_CLIENT_ID": "demo-client-id-not-a-secret",
        "HOTPAPERS_REDDIT_CLIENT_SECRET": "demo-client-secret-not-a-secret",
        "HOTPAPERS_IGNORED_ACCOUNTS": f"bluesky:{IGNORED_BOT}",
    }
    (OUT / "routes.json").write_text(
        json.dumps({"date": DAY, "env": env, "routes": routes}, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/fixtures/real"))

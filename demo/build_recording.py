"""Build the bundled demo day (``demo/recordings/2026-06-02``) from the real recordings in ../shared.

Run once, from the project root: ``python demo/build_recording.py ../shared/fixtures/real``; each
source's sample is built by its module in ``demo/recording/``.
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
import random
import sys
from pathlib import Path

from hotpapers.catalogue import CATALOGUE
from hotpapers.linking import find_arxiv_ids, find_github_repos
from recording.arxiv import atom, load_papers
from recording.bluesky import sample_bluesky
from recording.common import ARXIV_FILE, DAY, FETCHED_AT, HF_FILE, HN_FILE, IGNORED_BOT, OUT, REDDIT_FILE, write
from recording.github import sample_github
from recording.hackernews import sample_hackernews
from recording.redate import redate
from recording.reddit import sample_reddit
from recording.x import sample_x


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
            "body": write(HN_FILE, sample_hackernews(hn_picked, others)),
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
            "body": write("bluesky_createSession_SAMPLE_DOCUMENTED_SHAPE.json", session),
            "content_type": "application/json",
        }
    )
    bluesky_pages = sample_bluesky(bluesky_picked, others.sample(x_papers, 5), others)
    for number, page in reversed(list(enumerate(bluesky_pages, start=1))):
        route = {
            "path": "/bsky/xrpc/app.bsky.feed.searchPosts",
            "body": write(f"bluesky_searchPosts_SAMPLE_DOCUMENTED_SHAPE_page{number}.json", page),
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
            "body": write("reddit_access_token_SAMPLE_DOCUMENTED_SHAPE.json", token),
            "content_type": "application/json",
        }
    )
    routes.append(
        {
            "path": "/reddit/oauth/search",
            "body": write(REDDIT_FILE, sample_reddit(real_listing, reddit_picked, others)),
            "content_type": "application/json",
        }
    )

    hf_ids = {item["paper"]["id"] for item in hf}
    discussed = sorted({paper["id"] for paper in [*x_papers, *hn_picked, *bluesky_picked, *reddit_picked]} | hf_ids)
    routes += sample_github([by_id[paper_id] for paper_id in discussed], hf, others, fast=fresh[2]["id"])

    env = {
        "HOTPAPERS_NOW": FETCHED_AT,
        # Every source, so that the demo shows each as a real day can.
        "HOTPAPERS_SOURCES": ",".join(CATALOGUE),
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
        "HOTPAPERS_REDDIT_USERNAME": "hotpapers-demo",
        "HOTPAPERS_IGNORED_ACCOUNTS": f"bluesky:{IGNORED_BOT}",
    }
    (OUT / "routes.json").write_text(
        json.dumps({"date": DAY, "env": env, "routes": routes}, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    real = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/fixtures/real")
    main(real)
    # Two later days, re-dated from this one, so the demo site has an archive to browse.
    for shift in (1, 2):
        redate(OUT, load_papers(real), shift, seed=20260602 + shift)

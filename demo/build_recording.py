"""Build the bundled demo days (``demo/recordings/2026-06-0{2,3,4}``) from the real recordings in ../shared.

Run from the project root: ``python demo/build_recording.py ../shared/fixtures/real``. Every file
is derived from a seeded generator, so a rebuild writes the same bytes. What is real and what is
illustrative is said in each file's name, in each folder's README and, on the site, by the
``notice.json`` every day carries:

* arXiv: the real 715-paper announcement of 2026-06-02 (a daily listing dump), re-encoded as
  the late-2025 API Atom format. Real ids, titles, authors, categories, comments, abstracts.
  The two later days are re-dated slices of it: 240 other real papers each, moved on one and
  two days, and labelled so on their pages.
* X, Hacker News, Bluesky, Reddit, Hugging Face, GitHub: illustrative answers in the documented
  shapes (Reddit's in the field set of a real PRAW recording, Hugging Face's in that of a real
  ``daily_papers`` answer), by fictional accounts (``recording/people.py``), with figures drawn
  for each day from its own seed. A post links the paper's real arXiv address; its own address is
  shown on a reserved ``.example`` domain. A GitHub repository is one a paper names itself.

Several sources discuss the same papers, so the digest shows them side by side.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from hotpapers.catalogue import CATALOGUE
from hotpapers.linking import find_arxiv_ids, find_github_repos
from recording.arxiv import atom, load_papers
from recording.bluesky import illustrative_bluesky
from recording.common import Day, iso
from recording.github import illustrative_github
from recording.hackernews import illustrative_hackernews
from recording.huggingface import illustrative_huggingface
from recording.reddit import illustrative_reddit
from recording.x import illustrative_x, x_users

SLICE = 240
SEED = 20260602
# How the posts and figures are shown: the same statement on every page of the demo site.
BANNER = (
    "Demo site. Real: arXiv's announcement of June 2, 2026, every paper with its title, authors and abstract. "
    "Illustrative: the posts, their fictional accounts and all attention figures; a post's own link goes to "
    "a reserved .example address, which leads nowhere."
)
REDATED = (
    "Re-dated: real papers of arXiv's announcement of June 2, 2026, shown as the digest of {long}; "
    "their posts and figures are illustrative, drawn for this day."
)
# Settings that shape the published site: they travel with the demo's data (``settings.json``),
# so ``hotpapers rescore`` and ``render`` there publish what the demo published.
SITE_SETTINGS = {"HOTPAPERS_SOURCES": ",".join(CATALOGUE)}
# How the fetch reaches the recording: ``{url}`` is the replay server's address. Fetch only.
FETCH_ENV = {
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
    "HOTPAPERS_BLUESKY_HANDLE": "hotpapers-demo.example",
    "HOTPAPERS_BLUESKY_APP_PASSWORD": "demo-app-password-not-a-secret",
    "HOTPAPERS_REDDIT_CLIENT_ID": "demo-client-id-not-a-secret",
    "HOTPAPERS_REDDIT_CLIENT_SECRET": "demo-client-secret-not-a-secret",
    "HOTPAPERS_REDDIT_USERNAME": "hotpapers-demo",
}
README = """# The demo day {date}

`routes.json` maps each upstream path the pipeline asks to the file that answers it, the
settings the day's site is published with (`settings`, which `make demo` keeps beside the data)
and how the fetch reaches the recording (`env`: the replay server's address and credentials that
are not secrets). `notice.json` is what the site says of the day on every page. `make demo`
stores it with the day's data, so a rescore publishes it too. `demo/build_recording.py` rebuilds
every file here from `shared/fixtures/real/`.

Each file's name says what it is:

{arxiv}
- `ILLUSTRATIVE`: made-up answers in the shape each API documents (X recent search and oEmbed,
  Hacker News `search_by_date`, Bluesky `createSession` and `searchPosts`, Reddit's token and
  search answers in the field set of a real PRAW recording, Hugging Face `daily_papers` in the
  field set of a real answer, GitHub repositories and stargazers), drawn for this day from its
  own seed. Every account is fictional; a post links the paper's real arXiv address. GitHub
  repositories are those the papers name themselves; their stars are illustrative.
"""
REAL_ARXIV = """- `REAL_LISTING`: arXiv's real announcement of 2026-06-02 ({count} papers), re-encoded as an
  arXiv API answer."""
SLICE_ARXIV = """- `REAL_LISTING_SLICE_REDATED`: {count} real papers of arXiv's real announcement of 2026-06-02,
  not discussed on the other demo days, presented as this day's announcement."""


def _clear(day: Day) -> None:
    day.out.mkdir(parents=True, exist_ok=True)
    for old in day.out.iterdir():
        old.unlink()


def build_day(day: Day, papers: list[dict], real: Path) -> set[str]:
    """Write the day's recording; the ids of the papers its attention discusses."""
    _clear(day)
    rng = random.Random(SEED + day.shift)
    redated = day.shift != 0
    arxiv_file = f"arxiv_api_{day.date}_{'REAL_LISTING_SLICE_REDATED' if redated else 'REAL_LISTING'}.xml"
    (day.out / arxiv_file).write_text(atom(papers, day), encoding="utf-8")
    routes = [{"path": "/api/query", "body": arxiv_file, "content_type": "application/atom+xml"}]

    tweets, embeds = illustrative_x(day, papers, rng)
    half = len(tweets) // 2
    pages = [tweets[:half], tweets[half:]]
    for number, page in enumerate(pages, start=1):
        meta = {"result_count": len(page), "newest_id": page[-1]["id"], "oldest_id": page[0]["id"]}
        if number < len(pages):
            meta["next_token"] = f"demo-page-{number + 1}"
        authors = {tweet["author_id"] for tweet in page}
        body = {"data": page, "includes": {"users": [u for u in x_users() if u["id"] in authors]}, "meta": meta}
        route = {
            "path": "/2/tweets/search/recent",
            "body": day.write(f"x_recent_search_ILLUSTRATIVE_page{number}.json", body),
            "content_type": "application/json",
        }
        if number > 1:
            route["query"] = {"next_token": f"demo-page-{number}"}
        routes.insert(1, route)  # the more specific (paged) route first
    for n, embed in enumerate(embeds):
        routes.append(
            {
                "path": "/oembed",
                "query": {"url": embed["url"]},
                "body": day.write(f"x_oembed_ILLUSTRATIVE_{n:02d}.json", embed),
                "content_type": "application/json",
            }
        )

    by_id = {paper["id"]: paper for paper in papers}
    on_x = sorted(
        {paper_id for tweet in tweets for paper_id in find_arxiv_ids([tweet["entities"]["urls"][0]["expanded_url"]])}
    )
    x_papers = [by_id[paper_id] for paper_id in on_x]
    not_on_x = [paper for paper in papers if paper["id"] not in on_x]
    with_code = [paper for paper in not_on_x if find_github_repos([paper.get("comment") or "", paper["summary"]])]
    fresh = rng.sample(not_on_x, 6)
    # Discussed on both HN and Bluesky, with code on GitHub starred faster than three pages reach back.
    fresh[2] = rng.choice([paper for paper in with_code if paper not in fresh])

    # Hugging Face's daily list holds some of the papers people post about, and others.
    hf_picked = rng.sample(x_papers, 4) + rng.sample(not_on_x, round(len(papers) / 24) - 4)
    hf = illustrative_huggingface(day, hf_picked, rng)
    hf_file = day.write(f"hf_daily_papers_{day.date}_ILLUSTRATIVE.json", hf)
    routes.append({"path": "/api/daily_papers", "body": hf_file, "content_type": "application/json"})

    hn_picked = rng.sample(x_papers, 7) + fresh[:3]
    routes.append(
        {
            "path": "/hn/api/v1/search_by_date",
            "body": day.write("hn_search_by_date_ILLUSTRATIVE.json", illustrative_hackernews(day, hn_picked, rng)),
            "content_type": "application/json",
        }
    )

    bluesky_picked = rng.sample(x_papers, 6) + fresh[2:5]
    session = {
        "accessJwt": "demo-access-jwt-not-a-secret",
        "refreshJwt": "demo-refresh-jwt-not-a-secret",
        "handle": "hotpapers-demo.example",
        "did": "did:plc:hotpapersdemo",
        "active": True,
    }
    routes.append(
        {
            "path": "/bsky/xrpc/com.atproto.server.createSession",
            "body": day.write("bluesky_createSession_ILLUSTRATIVE.json", session),
            "content_type": "application/json",
        }
    )
    for number, page in reversed(list(enumerate(illustrative_bluesky(day, bluesky_picked, rng), start=1))):
        route = {
            "path": "/bsky/xrpc/app.bsky.feed.searchPosts",
            "body": day.write(f"bluesky_searchPosts_ILLUSTRATIVE_page{number}.json", page),
            "content_type": "application/json",
        }
        if number > 1:
            route["query"] = {"cursor": f"demo-cursor-{number}"}
        routes.append(route)

    reddit_picked = rng.sample(x_papers, 4) + fresh[4:]
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
            "body": day.write("reddit_access_token_ILLUSTRATIVE.json", token),
            "content_type": "application/json",
        }
    )
    routes.append(
        {
            "path": "/reddit/oauth/search",
            "body": day.write(
                "reddit_search_ILLUSTRATIVE_REAL_FIELD_SET.json",
                illustrative_reddit(day, real_listing, reddit_picked, rng),
            ),
            "content_type": "application/json",
        }
    )

    hf_ids = {item["paper"]["id"] for item in hf}
    discussed = {paper["id"] for paper in [*x_papers, *hn_picked, *bluesky_picked, *reddit_picked]} | hf_ids
    routes += illustrative_github(day, [by_id[paper_id] for paper_id in sorted(discussed)], hf, rng, fresh[2]["id"])

    env = {"HOTPAPERS_NOW": iso(day.now, millis=False), **FETCH_ENV}
    recording = {"date": day.date, "settings": SITE_SETTINGS, "env": env, "routes": routes}
    (day.out / "routes.json").write_text(json.dumps(recording, indent=1) + "\n", encoding="utf-8")
    long = f"{day.announced:%B} {day.announced.day}, {day.announced.year}"
    notice = {"banner": BANNER, "posts": "illustrative", **({"day": REDATED.format(long=long)} if redated else {})}
    day.write("notice.json", notice)
    arxiv = (SLICE_ARXIV if redated else REAL_ARXIV).format(count=len(papers))
    (day.out / "README.md").write_text(README.format(date=day.date, arxiv=arxiv), encoding="utf-8")
    return discussed


def main(real: Path) -> None:
    listing = load_papers(real)
    taken = build_day(Day(0), listing, real)
    # Two later days, so the demo site has an archive, neighbours and a week: each a slice of the
    # same real listing that no other day discusses, re-dated, with attention drawn afresh.
    for shift in (1, 2):
        rng = random.Random(SEED + 100 + shift)
        chosen = rng.sample([paper for paper in listing if paper["id"] not in taken], SLICE)
        taken |= {paper["id"] for paper in chosen}
        build_day(Day(shift), sorted(chosen, key=lambda paper: paper["id"]), real)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/fixtures/real"))

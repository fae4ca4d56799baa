"""The big day: a seeded raw snapshot as large as arXiv and the social networks can make one.

Papers are real arXiv entries (the demo day's 715, built from the real listing of 2026-06-02,
and the recorded API answers in ``tests/fixtures/real``), re-identified (``2606.00001`` ...)
until the day has as many as asked. Posts take the documented shape of each source, starting
from the demo recording's own records (``demo/recordings/2026-06-02``): X recent-search pages
with their ``includes.users`` and some oEmbed answers, Hacker News (Algolia) pages split into
time ranges of at most 1,000 hits, Bluesky ``searchPosts`` pages, Reddit Listings, Hugging Face
daily papers, and GitHub repositories with their newest stargazers.

Attention follows a Zipf law over the day's papers, engagement a log-normal one, and a share of
posts link papers of other days, retweets and crossposts included, as on a real day. Everything
comes from one ``random.Random(seed)``: the same size and seed give byte-identical documents.
The snapshot is sealed with the project's own ``snapshot.write``, so the score and render steps
run on it unchanged.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import random
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from hotpapers import arxiv, layout, snapshot
from hotpapers.arxiv import PAGE_SIZE
from hotpapers.catalogue import CATALOGUE
from hotpapers.models import RawDocument, iso_utc
from hotpapers.schedule import window_for
from hotpapers.store import Store

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "recordings" / "2026-06-02"
REAL = ROOT / "tests" / "fixtures" / "real"

DIGEST_DATE = date(2026, 6, 2)
NOW = datetime(2026, 6, 3, 7, 46, 45, tzinfo=UTC)
CATEGORIES = ("cs.*", "stat.ML")
SEED = 10
SOURCES = tuple(CATALOGUE)

ATOM = "http://www.w3.org/2005/Atom"
NAMESPACES = {"": ATOM, "arxiv": "http://arxiv.org/schemas/atom", "opensearch": "http://a9.com/-/spec/opensearch/1.1/"}
_ABS_ID = re.compile(r"/abs/(?P<id>.+?)(?:v\d+)?$")
_GITHUB_REPO = re.compile(r"github\.com/(?P<owner>[A-Za-z\d-]+)/(?P<name>[\w.-]*\w)")

# Shares of the posts that are not Hugging Face's: X dominates a real day.
POST_SHARES = {"x": 0.80, "bluesky": 0.10, "hackernews": 0.05, "reddit": 0.05}
HF_LIMIT = 100  # the daily papers page the source asks for
GITHUB_REPOS = 50  # the source's default HOTPAPERS_GITHUB_MAX_REPOS
PAGE = 100  # every post source pages by 100
HN_RANGE = 1000  # Algolia's hit cap per query: the source splits the time range below it
OTHER_DAYS = 0.15  # share of posts about papers of other days
RETWEETS = 0.05
CROSSPOSTS = 0.03
OEMBED_ANSWERED = 0.10  # share of the posts oEmbed is asked for that keep an answer
MIN_POST_ENGAGEMENT = 25  # the default threshold for asking oEmbed


@dataclass(frozen=True)
class Size:
    """How big a day: arXiv papers, and posts (every source's, reposts included)."""

    papers: int
    posts: int


FULL = Size(papers=3000, posts=100_000)
QUICK = Size(papers=300, posts=10_000)
# A typical day, for the bill (``p6``): as many papers as the real recorded day of
# tests/fixtures/real (715), with posts enough to list about 50 of them, twice what the demo's
# recorded days list (21 to 24).
TYPICAL = Size(papers=715, posts=1_000)


@dataclass(frozen=True)
class BigDay:
    """What was sealed: the manifest's key and the day's figures."""

    manifest_key: str
    papers: int
    posts: dict[str, int]
    documents: dict[str, int]
    raw_bytes: int
    """The documents' bytes as fetched."""
    raw_objects: tuple[int, ...]
    """The size of each object the sealed snapshot stores (its packs and its manifest)."""
    seal_seconds: float
    """CPU time of sealing the snapshot (compressing every document)."""
    refresh_objects: tuple[int, ...] = ()
    """The size of each object a refresh would store: ``raw_objects`` less arXiv's."""


@dataclass(frozen=True)
class _Paper:
    id: str
    title: str
    entry: str


def _load(name: str) -> Any:
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


@cache
def real_entries() -> tuple[tuple[str, str, str], ...]:
    """Every real arXiv entry at hand as (id, title, entry XML), the demo day's first."""
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    entries = []
    for path in [*sorted(DEMO.glob("arxiv_api_*.xml")), *sorted(REAL.glob("arxiv_api_*.xml"))]:
        for entry in ET.parse(path).getroot().findall(f"{{{ATOM}}}entry"):
            match = _ABS_ID.search(entry.findtext(f"{{{ATOM}}}id", ""))
            if match is None:
                continue
            entry.tail = "\n  "
            title = " ".join(entry.findtext(f"{{{ATOM}}}title", "").split())
            entries.append((match["id"], title, ET.tostring(entry, encoding="unicode")))
    return tuple(entries)


def papers_of(count: int) -> list[_Paper]:
    """``count`` papers, each a real entry under a new id of the digest's month."""
    entries = real_entries()
    papers = []
    for index in range(count):
        old, title, xml = entries[index % len(entries)]
        new = f"2606.{index + 1:05d}"
        papers.append(
            _Paper(new, title, xml.replace(f"/abs/{old}", f"/abs/{new}").replace(f"/pdf/{old}", f"/pdf/{new}"))
        )
    return papers


def arxiv_pages(count: int, page_size: int = PAGE_SIZE) -> list[bytes]:
    """The arXiv API's answer pages for a window of ``count`` papers, ``page_size`` a page."""
    papers = papers_of(count)
    return [_page(papers[start : start + page_size], start, count) for start in range(0, count, page_size)]


def _page(papers: Sequence[_Paper], start: int, total: int) -> bytes:
    header = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<feed xmlns:opensearch="{NAMESPACES["opensearch"]}" xmlns:arxiv="{NAMESPACES["arxiv"]}" xmlns="{ATOM}">\n'
        f"  <id>https://arxiv.org/api/hotpapers-bench-{DIGEST_DATE}</id>\n"
        "  <title>arXiv Query: hotpapers bench day</title>\n"
        f"  <updated>{DIGEST_DATE}T00:00:00Z</updated>\n"
        f"  <opensearch:itemsPerPage>{PAGE_SIZE}</opensearch:itemsPerPage>\n"
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n  "
    )
    return (header + "".join(paper.entry for paper in papers) + "</feed>\n").encode()


class _Day:
    """The seeded choices every source draws from: which paper a post is about, and how loud."""

    def __init__(self, papers: list[_Paper], rng: random.Random) -> None:
        self.rng = rng
        self.papers = papers
        ranked = papers[:]
        rng.shuffle(ranked)
        self.ranked = ranked
        self.weights = list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(ranked))))
        self.start = window_for(DIGEST_DATE).start
        self.span = int((NOW - self.start).total_seconds())

    def paper(self) -> tuple[str, str, bool]:
        """(id, title, of the day) of the paper the next post links."""
        if self.rng.random() < OTHER_DAYS:
            return f"2605.{self.rng.randrange(1, 30000):05d}", "A paper of another day", False
        chosen = self.rng.choices(self.ranked, cum_weights=self.weights)[0]
        return chosen.id, chosen.title, True

    def engagement(self) -> int:
        return int(self.rng.lognormvariate(1.5, 1.6))

    def moment(self) -> datetime:
        return self.start + timedelta(seconds=self.rng.randrange(self.span))

    def link(self, paper_id: str) -> str:
        """The paper's URL in one of the forms people post it in."""
        forms = (
            "https://arxiv.org/abs/{}",
            "https://arxiv.org/abs/{}v1",
            "http://arxiv.org/abs/{}v2",
            "https://arxiv.org/pdf/{}",
            "https://arxiv.org/pdf/{}v1.pdf",
            "https://arxiv.org/html/{}v1",
            "https://www.alphaxiv.org/abs/{}",
            "https://huggingface.co/papers/{}",
            "https://doi.org/10.48550/arXiv.{}",
        )
        return self.rng.choice(forms).format(paper_id)


def _iso_ms(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _json_document(name: str, document: Any, url: str) -> RawDocument:
    return RawDocument(
        name=name, body=json.dumps(document).encode(), url=url, status=200, content_type="application/json"
    )


def _pages(items: list[Any], size: int = PAGE) -> Iterator[tuple[int, list[Any], bool]]:
    """(page number, items, is last) for ``items`` in pages of ``size``."""
    count = max(1, math.ceil(len(items) / size))
    for page in range(count):
        yield page, items[page * size : (page + 1) * size], page == count - 1


def _x(day: _Day, count: int) -> list[RawDocument]:
    rng = day.rng
    users = [
        {"id": str(700000 + k), "name": f"Bench Reader {k:05d}", "username": f"bench_reader_{k:05d}"}
        for k in range(max(1, count // 5))
    ]
    tweets, authors, embeds = [], [], []
    for n in range(count):
        paper_id, title, of_the_day = day.paper()
        user = rng.choice(users)
        tweet_id = str(1800000000000000000 + n * 7919)
        short = f"https://t.co/b{n:08d}"
        text = f"SAMPLE POST. New on arXiv: {title[:90]} {short}"
        urls = [
            {
                "start": len(text) - len(short),
                "end": len(text),
                "url": short,
                "expanded_url": day.link(paper_id),
                "display_url": f"arxiv.org/abs/{paper_id}",
            }
        ]
        entities: dict[str, Any] = {"urls": urls}
        if rng.random() < 0.2:
            other = rng.choice(users)["username"]
            at = len(text) + len(" via ")
            text += f" via @{other} #MachineLearning"
            entities["mentions"] = [{"start": at, "end": at + len(other) + 1, "username": other}]
            entities["hashtags"] = [
                {"start": len(text) - len("#MachineLearning"), "end": len(text), "tag": "MachineLearning"}
            ]
        retweets, likes = divmod(day.engagement(), 5)
        tweet: dict[str, Any] = {
            "id": tweet_id,
            "text": text,
            "author_id": user["id"],
            "created_at": _iso_ms(day.moment()),
            "lang": "en",
            "public_metrics": {
                "retweet_count": retweets,
                "reply_count": likes // 7,
                "like_count": likes + 3 * retweets,
                "quote_count": retweets // 4,
                "bookmark_count": 0,
                "impression_count": 40 * likes,
            },
            "entities": entities,
            "edit_history_tweet_ids": [tweet_id],
        }
        is_retweet = rng.random() < RETWEETS
        if is_retweet:
            tweet["text"] = f"RT @{rng.choice(users)['username']}: {text}"
            tweet["referenced_tweets"] = [{"type": "retweeted", "id": str(1700000000000000000 + n)}]
        elif rng.random() < 0.03:
            tweet["note_tweet"] = {"text": text + " A longer thread follows." * 8, "entities": {"urls": urls}}
        tweets.append(tweet)
        authors.append(user)
        engagement = tweet["public_metrics"]["retweet_count"] + tweet["public_metrics"]["like_count"]
        if of_the_day and not is_retweet and engagement >= MIN_POST_ENGAGEMENT and rng.random() < OEMBED_ANSWERED:
            embeds.append(_oembed(tweet, user))
    documents = []
    for page, chunk, last in _pages(tweets):
        page_users = {author["id"]: author for author in authors[page * PAGE : page * PAGE + len(chunk)]}
        meta = {"result_count": len(chunk), "newest_id": chunk[-1]["id"], "oldest_id": chunk[0]["id"]}
        if not last:
            meta["next_token"] = f"bench-page-{page + 2}"
        document = {"data": chunk, "includes": {"users": list(page_users.values())}, "meta": meta}
        documents.append(
            _json_document(f"search-{page:04d}.json", document, "https://api.x.com/2/tweets/search/recent")
        )
    return documents + embeds


def _oembed(tweet: dict[str, Any], user: dict[str, str]) -> RawDocument:
    """X's oEmbed answer for a post, as ``x_oembed_ILLUSTRATIVE_*.json`` has it."""
    answer = _load("x_oembed_ILLUSTRATIVE_00.json")
    url = f"https://twitter.com/{user['username']}/status/{tweet['id']}"
    short = tweet["entities"]["urls"][0]["url"]
    body = tweet["text"].replace(short, f'<a href="{short}">{short}</a>')
    answer.update(
        url=url,
        author_name=user["name"],
        author_url=f"https://twitter.com/{user['username']}",
        html=(
            f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">{body}</p>&mdash; {user["name"]} '
            f'(@{user["username"]}) <a href="{url}?ref_src=twsrc%5Etfw">June 2, 2026</a></blockquote>\n'
            '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n'
        ),
    )
    return _json_document(f"oembed-{tweet['id']}.json", answer, "https://publish.twitter.com/oembed")


def _hackernews(day: _Day, count: int) -> list[RawDocument]:
    template = _load("hn_search_by_date_ILLUSTRATIVE.json")
    hit_template = template["hits"][0]
    hits = []
    for n in range(count):
        paper_id, title, _ = day.paper()
        story = 44000000 + n * 13
        author = f"bench_hn_{day.rng.randrange(count // 3 + 1):05d}"
        url = day.link(paper_id)
        created = day.moment()
        engagement = day.engagement() * 3
        hit = copy.deepcopy(hit_template)
        hit.update(
            _tags=["story", f"author_{author}", f"story_{story}"],
            author=author,
            children=[story + 1, story + 2],
            created_at=_iso_ms(created),
            created_at_i=int(created.timestamp()),
            num_comments=engagement // 3,
            objectID=str(story),
            points=engagement - engagement // 3,
            story_id=story,
            title=f"{title} [SAMPLE]",
            url=url,
        )
        hit["_highlightResult"]["author"]["value"] = author
        hit["_highlightResult"]["title"]["value"] = hit["title"]
        hit["_highlightResult"]["url"]["value"] = url.replace("arxiv.org", "<em>arxiv.org</em>")
        hits.append(hit)
    hits.sort(key=lambda hit: hit["created_at_i"])
    documents = []
    start = int(day.start.timestamp())
    for chunk_start in range(0, max(1, count), HN_RANGE):
        chunk = hits[chunk_start : chunk_start + HN_RANGE]
        end = chunk[-1]["created_at_i"] + 1 if chunk_start + HN_RANGE < count else int(NOW.timestamp())
        pages = max(1, math.ceil(len(chunk) / PAGE))
        for page, page_hits, _ in _pages(chunk):
            document = {key: value for key, value in template.items() if key != "hits"}
            document.update(hits=page_hits, nbHits=len(chunk), nbPages=pages, page=page)
            documents.append(
                _json_document(
                    f"search-{start}-{end}-{page:03d}.json", document, "https://hn.algolia.com/api/v1/search_by_date"
                )
            )
        start = end
    return documents


def _bluesky(day: _Day, count: int) -> list[RawDocument]:
    template = _load("bluesky_searchPosts_ILLUSTRATIVE_page1.json")["posts"][0]
    rng = day.rng
    views = []
    for n in range(count):
        paper_id, title, _ = day.paper()
        did = f"did:plc:bench{rng.randrange(count // 4 + 1):06d}"
        view = copy.deepcopy(template)
        view["uri"] = f"at://{did}/app.bsky.feed.post/3bench{n:07d}"
        view["cid"] = f"bafybench{n:07d}"
        view["author"].update(
            did=did, handle=f"{did.rsplit(':', 1)[-1]}.bsky.social", displayName=f"Bench Skeeter {did[-6:]}"
        )
        engagement = day.engagement()
        view.update(
            likeCount=engagement, repostCount=engagement // 6, quoteCount=engagement // 20, replyCount=engagement // 8
        )
        created = _iso_ms(day.moment())
        view["indexedAt"] = created
        record = view["record"]
        record["createdAt"] = created
        url = day.link(paper_id)
        text = f"SAMPLE POST. New paper we liked: {title[:100]}"
        form = rng.random()
        if form < 0.4:  # a link card
            card = {"uri": url, "title": title, "description": "SAMPLE"}
            record["embed"] = {"$type": "app.bsky.embed.external", "external": card}
            view["embed"] = {"$type": "app.bsky.embed.external#view", "external": card}
        else:
            record.pop("embed", None)
            view.pop("embed", None)
            if form < 0.8:  # a shortened link in the text, whole in a facet
                shown = url.removeprefix("https://")[:20] + "..."
                start = len(text.encode()) + 1
                text = f"{text} {shown}"
                record["facets"] = [
                    {
                        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}],
                        "index": {"byteStart": start, "byteEnd": len(text.encode())},
                    }
                ]
            else:  # only the id, in the text
                text = f"{text} arXiv:{paper_id}"
        record["text"] = text
        views.append(view)
    return [
        _json_document(
            f"search-{page:04d}.json",
            {**({} if last else {"cursor": f"bench-cursor-{page + 2}"}), "hitsTotal": count, "posts": chunk},
            "https://bsky.social/xrpc/app.bsky.feed.searchPosts",
        )
        for page, chunk, last in _pages(views)
    ]


def _reddit(day: _Day, count: int) -> list[RawDocument]:
    template = _load("reddit_search_ILLUSTRATIVE_REAL_FIELD_SET.json")["data"]["children"][0]["data"]
    rng = day.rng
    threads: list[dict[str, Any]] = []
    for n in range(count):
        paper_id, title, _ = day.paper()
        thread = dict(template)
        thread_id = f"b{n:06d}"
        url = day.link(paper_id)
        subreddit = rng.choice(("MachineLearning", "LocalLLaMA", "compsci", "statistics"))
        engagement = day.engagement() * 2
        created = day.moment().timestamp()
        is_self = rng.random() < 0.2
        thread.update(
            id=thread_id,
            name=f"t3_{thread_id}",
            author=f"bench_redditor_{rng.randrange(count // 3 + 1):05d}",
            title=f"[R] {title} (SAMPLE)",
            subreddit=subreddit,
            permalink=f"/r/{subreddit}/comments/{thread_id}/bench/",
            score=engagement - engagement // 5,
            ups=engagement - engagement // 5,
            num_comments=engagement // 5,
            created_utc=created,
            created=created + 28800,
            is_self=is_self,
            url=f"https://www.reddit.com/r/{subreddit}/comments/{thread_id}/bench/" if is_self else url,
            domain=f"self.{subreddit}" if is_self else "arxiv.org",
            selftext=f"SAMPLE. Worth a read: {url} (and the code)." if is_self else "",
        )
        if rng.random() < CROSSPOSTS and threads:
            thread["crosspost_parent"] = threads[-1]["name"]
        threads.append(thread)
    threads.sort(key=lambda thread: -thread["created_utc"])
    return [
        _json_document(
            f"search-{page:04d}.json",
            {
                "kind": "Listing",
                "data": {
                    "after": None if last else chunk[-1]["name"],
                    "before": None,
                    "children": [{"kind": "t3", "data": thread} for thread in chunk],
                    "dist": len(chunk),
                    "facets": {},
                    "modhash": "",
                },
            },
            "https://oauth.reddit.com/search",
        )
        for page, chunk, last in _pages(threads)
    ]


def _huggingface(day: _Day, count: int) -> list[RawDocument]:
    templates = _load("hf_daily_papers_2026-06-02_ILLUSTRATIVE.json")
    items = []
    for n, paper in enumerate(day.ranked[:count]):
        item = copy.deepcopy(templates[n % len(templates)])
        item["paper"].update(id=paper.id, title=paper.title, upvotes=day.engagement() * 2)
        item.update(title=paper.title, numComments=day.rng.randrange(6))
        items.append(item)
    url = f"https://huggingface.co/api/daily_papers?date={DIGEST_DATE}&limit={HF_LIMIT}"
    return [_json_document(f"daily_papers-{DIGEST_DATE}.json", items, url)]


def _github(day: _Day) -> list[RawDocument]:
    repo_template = _load("github_repo_aidenzhao__prism_ILLUSTRATIVE.json")
    star_template = _load("github_stargazers_aidenzhao__prism_p1_ILLUSTRATIVE.json")[0]
    repositories = dict.fromkeys(
        f"{match['owner']}/{match['name']}".lower()
        for paper in day.papers
        for match in _GITHUB_REPO.finditer(paper.entry)
    )
    documents = []
    for repository in list(repositories)[:GITHUB_REPOS]:
        owner, name = repository.split("/", 1)
        key = f"{owner}__{name}"
        stars = day.rng.randrange(1, 400)
        answer = dict(repo_template, name=name, full_name=repository, stargazers_count=stars, watchers_count=stars)
        answer.update(html_url=f"https://github.com/{repository}", url=f"https://api.github.com/repos/{repository}")
        api = f"https://api.github.com/repos/{repository}"
        documents.append(_json_document(f"repo-{key}.json", answer, api))
        last = math.ceil(stars / PAGE)
        newest = [NOW - timedelta(hours=day.rng.randrange(1, 24 * 30)) for _ in range(stars - (last - 1) * PAGE)]
        gazers = [
            {
                **star_template,
                "starred_at": iso_utc(moment),
                "user": {**star_template["user"], "login": f"bench-gazer-{i}", "id": 81000000 + i},
            }
            for i, moment in enumerate(sorted(newest))
        ]
        documents.append(_json_document(f"stargazers-{key}-{last:04d}.json", gazers, f"{api}/stargazers?page={last}"))
    return documents


def post_counts(size: Size) -> dict[str, int]:
    """How many posts each source has on a day of ``size``."""
    hf = min(HF_LIMIT, size.papers, max(1, size.posts // 1000))
    rest = size.posts - hf
    counts = {name: int(rest * share) for name, share in POST_SHARES.items()}
    counts["x"] += rest - sum(counts.values())
    return {**counts, "huggingface": hf}


def build(store: Store, size: Size = FULL, seed: int = SEED) -> BigDay:
    """Seal the big day of ``size`` in ``store`` and say what it holds."""
    rng = random.Random(seed)
    papers = papers_of(size.papers)
    day = _Day(papers, rng)
    counts = post_counts(size)
    makers: dict[str, Callable[[], list[RawDocument]]] = {
        "x": lambda: _x(day, counts["x"]),
        "hackernews": lambda: _hackernews(day, counts["hackernews"]),
        "bluesky": lambda: _bluesky(day, counts["bluesky"]),
        "reddit": lambda: _reddit(day, counts["reddit"]),
        "huggingface": lambda: _huggingface(day, counts["huggingface"]),
        "github": lambda: _github(day),
    }
    sources = {name: makers[name]() for name in SOURCES}
    arxiv_documents = [
        RawDocument(
            name=f"page-{start:06d}.xml",
            body=body,
            url=f"https://export.arxiv.org/api/query?start={start}",
            status=200,
            content_type="application/atom+xml",
            meta={"start": start, "entries": min(PAGE_SIZE, size.papers - start), "total": size.papers},
        )
        for start, body in zip(range(0, size.papers, PAGE_SIZE), arxiv_pages(size.papers), strict=True)
    ]
    window = window_for(DIGEST_DATE)
    # Sealed as the fetch step seals a day: with the papers it parsed from the pages.
    papers_document = arxiv.papers_document(arxiv.parse_pages([document.body for document in arxiv_documents], window))
    started = time.process_time()
    key = snapshot.write(store, window, NOW, CATEGORIES, arxiv_documents, sources, {}, papers=papers_document)
    sealed = time.process_time() - started
    raw_bytes = len(papers_document) + sum(
        len(document.body) for documents in (arxiv_documents, *sources.values()) for document in documents
    )
    documents = {name: len(batch) for name, batch in {"arxiv": arxiv_documents, **sources}.items()}
    documents["arxiv"] += 1  # the papers parsed from the pages, beside them
    stored_keys = store.keys(layout.raw_prefix(DIGEST_DATE))
    return BigDay(
        manifest_key=key,
        papers=size.papers,
        posts=counts,
        documents=documents,
        raw_bytes=raw_bytes,
        raw_objects=tuple(len(store.get(stored)) for stored in stored_keys),
        seal_seconds=sealed,
        refresh_objects=tuple(len(store.get(stored)) for stored in stored_keys if "/arxiv/" not in stored),
    )

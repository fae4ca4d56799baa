"""Upstream answers in their documented shapes, built from a few fields, for tests."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

# The seed's announcement window as a manifest stores it: ``atom_entry``'s default submission time
# falls in it, so the score step keeps such papers whatever day a test dates its manifest.
SEED_WINDOW = {
    "digest_date": "2020-07-09",
    "start": "2020-07-07T18:00:00Z",
    "end": "2020-07-08T18:00:00Z",
    "announced": "2020-07-09T00:00:00Z",
}


def atom_entry(
    paper_id: str,
    title: str = "A paper",
    *,
    authors: tuple[str, ...] = ("A. Author",),
    categories: tuple[str, ...] = ("cs.LG",),
    abstract: str = "An abstract.",
    version: int = 1,
    published: str = "2020-07-08T17:59:59Z",
) -> str:
    """One ``<entry>`` of the late-2025 arXiv API format; the first category is the primary."""
    lines = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{paper_id}v{version}</id>",
        f"    <title>{escape(title)}</title>",
        f"    <updated>{published}</updated>",
        f'    <link href="https://arxiv.org/abs/{paper_id}v{version}" rel="alternate" type="text/html"/>',
        f"    <summary>{escape(abstract)}</summary>",
        *(f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>' for c in sorted(categories)),
        f"    <published>{published}</published>",
        f"    <arxiv:primary_category term={quoteattr(categories[0])}/>",
        *(f"    <author>\n      <name>{escape(author)}</name>\n    </author>" for author in authors),
        "  </entry>",
    ]
    return "\n".join(lines)


def atom_feed(entries: list[str], *, total: int | None = None, start: int = 0) -> bytes:
    """An arXiv API answer page holding ``entries``."""
    head = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        "  <id>https://arxiv.org/api/test</id>\n  <title>arXiv Query: test</title>\n"
        "  <updated>2020-07-09T00:00:00Z</updated>\n"
        "  <opensearch:itemsPerPage>2000</opensearch:itemsPerPage>\n"
        f"  <opensearch:totalResults>{len(entries) if total is None else total}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
    )
    return (head + "\n".join(entries) + "\n</feed>\n").encode()


def tweet(
    tweet_id: str,
    author_id: str,
    *urls: str,
    retweets: int = 0,
    likes: int = 0,
    text: str = "Look",
    retweet_of: str | None = None,
) -> dict[str, Any]:
    """An X API v2 tweet with ``public_metrics`` and ``entities.urls`` expanded to ``urls``."""
    links = [
        {
            "url": f"https://t.co/{tweet_id[-4:]}{n}",
            "expanded_url": url,
            "display_url": url.split("//")[-1][:25],
        }
        for n, url in enumerate(urls)
    ]
    found: dict[str, Any] = {
        "id": tweet_id,
        "author_id": author_id,
        "text": " ".join([text, *(link["url"] for link in links)]),
        "created_at": "2020-07-09T12:00:00.000Z",
        "lang": "en",
        "public_metrics": {
            "retweet_count": retweets,
            "like_count": likes,
            "reply_count": 0,
            "quote_count": 0,
        },
        "entities": {"urls": links},
    }
    if retweet_of:
        found["referenced_tweets"] = [{"type": "retweeted", "id": retweet_of}]
    return found


def x_page(tweets: list[dict[str, Any]], next_token: str | None = None) -> dict[str, Any]:
    """A recent-search page: ``data``, the authors in ``includes.users``, and ``meta``."""
    authors = sorted({t["author_id"] for t in tweets})
    meta: dict[str, Any] = {"result_count": len(tweets)}
    if next_token:
        meta["next_token"] = next_token
    return {
        "data": tweets,
        "includes": {"users": [{"id": a, "name": f"User {a}", "username": f"user{a}"} for a in authors]},
        "meta": meta,
    }

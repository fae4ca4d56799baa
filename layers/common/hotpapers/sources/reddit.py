"""Reddit: threads linking arxiv.org, through the OAuth API with application-only credentials.

The source gets a bearer token with the client-credentials grant (client id and secret of a
Reddit "script" or "web" app), then pages ``/search`` newest first until it passes the
window's announcement. Reddit asks every client for a descriptive User-Agent; it is sent on every
request. A crosspost is Reddit's repost: kept as fetched, never counted. Engagement is the
thread's score plus its comments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from hotpapers import redaction
from hotpapers.config import Settings
from hotpapers.credentials import credential
from hotpapers.linking import urls_in
from hotpapers.models import Post, RawDocument
from hotpapers.observability import logger
from hotpapers.sources.base import FetchRequest, Source
from hotpapers.upstream import endpoint

SEARCH_PATH = "/search"
TOKEN_PATH = "/api/v1/access_token"  # noqa: S105 - a URL path, not a secret
QUERY = "site:arxiv.org"
_OAUTH_ERROR = re.compile(r"[a-z_]{1,40}")
PAGE_SIZE = 100


class Reddit(Source):
    name = "reddit"
    tag = "Reddit"
    counts = (("score", "reddit score"), ("comments", "reddit comments"))
    engagement_metrics = ("score", "comments")

    @classmethod
    def session_headers(cls, settings: Settings) -> dict[str, str]:
        return {"User-Agent": settings.reddit_user_agent}

    def fetch(self, request: FetchRequest) -> list[RawDocument]:
        settings = request.settings
        token_url = endpoint(settings.urls["reddit_auth"], TOKEN_PATH)
        grant = self.post_json(
            token_url,
            data={"grant_type": "client_credentials"},
            auth=(credential(settings, "reddit_client_id"), credential(settings, "reddit_client_secret")),
        )
        # Reddit can refuse a grant with 200 and {"error": ...} instead of a token.
        if not isinstance(grant, dict) or not grant.get("access_token"):
            refusal = grant.get("error") if isinstance(grant, dict) else None
            # OAuth's error codes (invalid_grant, ...) say why; any other text is upstream's, not kept.
            code = refusal if isinstance(refusal, str) and _OAUTH_ERROR.fullmatch(refusal) else "none given"
            raise self.malformed(token_url, f"an access_token (error: {code})")
        redaction.register(str(grant["access_token"]))
        headers = {"Authorization": f"bearer {grant['access_token']}"}
        url = endpoint(settings.urls["reddit_api"], SEARCH_PATH)
        params: dict[str, Any] = {
            "q": QUERY,
            "sort": "new",
            "t": "week",
            "type": "link",
            "limit": PAGE_SIZE,
            "raw_json": 1,
        }
        since = request.posts_since.timestamp()
        documents: list[RawDocument] = []
        for page in range(self.limits.max_pages):
            document = self.get_json(url, params=params, name=f"search-{page:04d}.json", headers=headers)
            documents.append(document)
            listing = json.loads(document.body)
            data = listing.get("data") if isinstance(listing, dict) else None
            if not isinstance(data, dict):
                raise self.malformed(document.url, "a Listing")
            children = self.require_items(document.url, data.get("children"), "data", "children")
            threads = self.require_items(document.url, [child["data"] for child in children], "id", "threads")
            after = data.get("after")
            times = [float(thread.get("created_utc", 0)) for thread in threads]
            if not after or not times or min(times) < since:
                break
            params["after"] = after
        else:
            logger.warning("reddit search stopped at the page limit", extra={"pages": len(documents)})
        return documents

    @classmethod
    def parse(cls, documents: Mapping[str, bytes]) -> list[Post]:
        posts: dict[str, Post] = {}
        for name in sorted(documents):
            for child in json.loads(documents[name])["data"]["children"]:
                if child.get("kind") == "t3":
                    post = _post(child["data"])
                    posts.setdefault(post.id, post)
        return list(posts.values())


def _post(thread: dict[str, Any]) -> Post:
    author = str(thread.get("author") or "")
    links = [str(thread["url"])] if thread.get("url") else []
    return Post(
        source="reddit",
        id=str(thread.get("name") or f"t3_{thread['id']}"),
        url="https://www.reddit.com" + str(thread.get("permalink", "")),
        author_name=author,
        author_handle=author,
        text=" ".join(str(thread.get("title", "")).split()),
        created_at=datetime.fromtimestamp(float(thread.get("created_utc", 0)), UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        metrics={"score": int(thread.get("score") or 0), "comments": int(thread.get("num_comments") or 0)},
        links=tuple(dict.fromkeys([*links, *urls_in(str(thread.get("selftext") or ""))])),
        is_repost=bool(thread.get("crosspost_parent")),
        venue=f"r/{thread['subreddit']}" if thread.get("subreddit") else None,
    )

"""Reddit: threads linking arxiv.org, through the OAuth API with application-only credentials.

The source gets a bearer token with the client-credentials grant (client id and secret of a
Reddit "script" or "web" app), then pages ``/search`` newest first until it passes the
window's announcement. Reddit asks every client for a descriptive User-Agent; it is sent on every
request. A crosspost is Reddit's repost: kept as fetched, never counted. Engagement is the
thread's score plus its comments.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from hotpapers import __version__, redaction
from hotpapers.addresses import page_on, path_on
from hotpapers.catalogue import CATALOGUE
from hotpapers.config import Settings
from hotpapers.credentials import credential
from hotpapers.documents import load_json
from hotpapers.linking import urls_in
from hotpapers.models import Post, RawDocument
from hotpapers.sources.base import FetchRequest, Item, Parsed, Source, items_in, json_document, parse_items
from hotpapers.upstream import RateLimitReset, UpstreamError, endpoint

SEARCH_PATH = "/search"
TOKEN_PATH = "/api/v1/access_token"  # noqa: S105 - a URL path, not a secret
QUERY = "site:arxiv.org"
_OAUTH_ERROR = re.compile(r"[a-z_]{1,40}")
PAGE_SIZE = 100
# Reddit's search lists about 250 results for a query, however it is paged; a listing that ends
# near that many has been cut by the ceiling, not by running out of threads.
SEARCH_CEILING = 250
SEARCH_CEILING_NEAR = 240
SITE = "www.reddit.com"


class Reddit(Source):
    entry = CATALOGUE["reddit"]
    # Reddit's reset header holds the seconds left in the window (its API rules, docs/sources.md).
    rate_limit_reset = RateLimitReset("x-ratelimit-reset", epoch=False)

    @classmethod
    def session_headers(cls, settings: Settings) -> dict[str, str]:
        return {"User-Agent": settings.reddit_user_agent} if settings.reddit_user_agent else {}

    def fetch(self, request: FetchRequest) -> list[RawDocument]:
        settings = request.settings
        if not settings.reddit_user_agent:
            # Reddit's API rules: a unique, descriptive User-Agent naming the app's Reddit account.
            self.session.headers["User-Agent"] = user_agent(credential(settings, "reddit_username"))
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
            "t": time_filter(request.now - request.posts_since),
            "type": "link",
            "limit": PAGE_SIZE,
            "raw_json": 1,
        }
        since = request.posts_since.timestamp()
        if request.posts_until < request.now:
            # Search has no end time: a backfill's pages begin at now, so its later posts are read
            # and must not count (the score step drops them).
            self.counts_until = request.posts_until
        documents: list[RawDocument] = []
        listed = 0
        for page in range(self.limits.max_pages):
            try:
                document = self.get_json(url, params=params, name=f"search-{page:04d}.json", headers=headers)
            except UpstreamError as exc:
                self.keep_at_rate_limit(exc, documents)
                return documents
            documents.append(document)
            listing = load_json(document.body)
            data = listing.get("data") if isinstance(listing, dict) else None
            if not isinstance(data, dict):
                raise self.malformed(document.url, "a Listing")
            times = [datetime.fromisoformat(post.created_at).timestamp() for post in self.check(document).posts]
            children = data.get("children")
            listed += len(children) if isinstance(children, list) else 0
            after = data.get("after")
            reached_since = bool(times) and min(times) < since
            if not after and not reached_since and listed >= SEARCH_CEILING_NEAR:
                # The listing ended at search's ceiling, not at the announcement: older threads exist.
                self.cut_short(
                    f"search ceiling: the listing ended after {listed} threads (Reddit lists about "
                    f"{SEARCH_CEILING}), before reaching the announcement"
                )
            if not after or not times or reached_since:
                break
            params["after"] = after
        else:
            self.stopped_at_cap(len(documents))
        return documents

    @classmethod
    def read(cls, documents: Mapping[str, bytes]) -> Parsed:
        children = (
            child
            for name in sorted(documents)
            for child in items_in(json_document(documents[name], name), name, "data", "children")
        )
        return parse_items(Child, children, _post, cls.name)


def user_agent(username: str) -> str:
    """The User-Agent in the form Reddit asks for: ``<platform>:<app id>:<version> (by /u/<username>)``."""
    return f"python:hotpapers:{__version__} (by /u/{username.strip().removeprefix('/u/').removeprefix('u/')})"


# Reddit's search ``t`` values (besides hour and day), each with the age it reaches back to.
_TIME_FILTERS = ((timedelta(days=7), "week"), (timedelta(days=31), "month"), (timedelta(days=365), "year"))


def time_filter(age: timedelta) -> str:
    """The narrowest ``t`` that still holds posts ``age`` old, so a backfill finds its threads."""
    return next((name for reach, name in _TIME_FILTERS if age <= reach), "all")


class Thread(Item):
    """A link or self post (``t3``) as ``_post`` reads it."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{1,16}$")]
    name: str | None = None
    author: str | None = None
    url: str | None = None
    permalink: str = ""
    title: str = ""
    selftext: str | None = None
    created_utc: Annotated[float, Field(ge=0, lt=2**37)] = 0.0
    # Its engagement: a thread without these is malformed, never a post scored 0.
    score: int
    num_comments: int
    crosspost_parent: str | None = None
    subreddit: str | None = None


class Child(Item):
    kind: str
    data: dict[str, Any]


def _post(child: Child, raw: Any) -> Post | None:
    """A thread's post; other kinds of listing entries (comments, ads) are none."""
    if child.kind != "t3":
        return None
    thread = Thread.model_validate(child.data)
    author = thread.author or ""
    links = [thread.url] if thread.url else []
    return Post(
        source="reddit",
        id=thread.name or f"t3_{thread.id}",
        url=path_on(SITE, thread.permalink) if thread.permalink else page_on(SITE, "comments", thread.id),
        author_name=author,
        author_handle=author,
        text=" ".join(thread.title.split()),
        created_at=datetime.fromtimestamp(thread.created_utc, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        metrics={"score": thread.score, "comments": thread.num_comments},
        links=tuple(dict.fromkeys([*links, *urls_in(thread.selftext or "")])),
        is_repost=bool(thread.crosspost_parent),
        venue=f"r/{thread.subreddit}" if thread.subreddit else None,
    )

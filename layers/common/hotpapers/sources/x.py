"""X (Twitter) API v2 search, recent (or full-archive: ``HOTPAPERS_X_SEARCH=all``), plus the oEmbed
HTML of the posts a digest may show.

Posts are found by the URLs X resolved for them (``entities.urls[].expanded_url``), never by
the t.co links in their text; a long post's URLs past its first 280 characters are only in
``note_tweet.entities``. The API returns only the fields asked for, so the request names them
all. Retweets are kept in the raw snapshot if upstream sends them, but marked: the API copies
the original's counts onto every retweet, so they must never be counted. A retweet is known by
its ``referenced_tweets``, or by the "RT @" its text starts with, which still tells where that
field is left out.
"""

from __future__ import annotations

import html as html_module
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from hotpapers import markup
from hotpapers.addresses import page_on
from hotpapers.catalogue import CATALOGUE
from hotpapers.credentials import credential
from hotpapers.documents import load_json
from hotpapers.linking import LINK_FORMS, TEXT_FORMS, paper_ids_of
from hotpapers.models import Entities, Post, RawDocument, iso_utc
from hotpapers.observability import logger
from hotpapers.sources.base import (
    Day,
    FetchRequest,
    Instant,
    Item,
    OutOfReachError,
    Parsed,
    Slice,
    Source,
    is_valid,
    items_in,
    json_document,
    parse_items,
)
from hotpapers.upstream import RateLimitReset, UpstreamError, endpoint

SEARCH_PATHS = {"recent": "/2/tweets/search/recent", "all": "/2/tweets/search/all"}
# Recent search refuses a start_time older than its reach (the catalogue's, 7 days: HTTP 400).
# The margin keeps a start taken at the first page inside the reach while the later pages are read.
REACH_MARGIN = timedelta(minutes=15)
OEMBED_PATH = "/oembed"
# Forms of a paper's link that the linker accepts but the query leaves out, and why: the query
# must fit recent search's 512 characters (docs.x.com, "Build a query").
NOT_ASKED = {
    **{
        form: "arXiv's host name before 1999, rarely linked today; its five forms do not fit beside the others"
        for form in LINK_FORMS
        if form.startswith("xxx.lanl.gov/")
    },
    **{
        form: "written in a post's words, not linked: X matches words by token, so asking for it would "
        "read (and bill) every post that names arXiv"
        for form in TEXT_FORMS
    },
}
QUERY_LIMIT = 512


def search_query(forms: Iterable[str]) -> str:
    """X's query for posts whose URLs take any of ``forms``: ``url:`` is a tokenized match on a
    post's expanded URLs, so each form matches whatever subdomain or scheme a link has."""
    return "(" + " OR ".join(f'url:"{form}"' for form in forms) + ") -is:retweet"


QUERY = search_query(form for form in LINK_FORMS if form not in NOT_ASKED)
PAGE_SIZE = 100
TWEET_FIELDS = "created_at,public_metrics,entities,author_id,referenced_tweets,lang,note_tweet"
USER_FIELDS = "name,username"
# X rejects an end_time closer than 10 s to its own clock.
END_TIME_MARGIN = timedelta(seconds=10)


class X(Source):
    entry = CATALOGUE["x"]
    # X's reset header holds the instant the window resets, in Unix seconds.
    rate_limit_reset = RateLimitReset("x-rate-limit-reset", epoch=True)

    def fetch(self, request: FetchRequest) -> list[RawDocument]:
        start, end = self._time_range(request)
        token = credential(request.settings, "x_bearer_token")
        url = endpoint(request.settings.urls["x_api"], SEARCH_PATHS[request.settings.x_search])
        headers = {"Authorization": f"Bearer {token}"}

        def search(part: Slice, documents: list[RawDocument], pages: int) -> bool:
            params: dict[str, Any] = {
                "query": QUERY,
                "max_results": PAGE_SIZE,
                "start_time": iso_utc(part.since),
                "end_time": iso_utc(part.until),
                "tweet.fields": TWEET_FIELDS,
                "expansions": "author_id",
                "user.fields": USER_FIELDS,
            }
            for _ in range(pages):
                document = self.get_json(url, params=params, name=f"search-{len(documents):04d}.json", headers=headers)
                documents.append(document)
                next_token = self._checked_page(document)["meta"].get("next_token")
                if not next_token:
                    return False
                params["next_token"] = next_token
            return True

        return self.search_slices(request.slices(start, end), search)

    @staticmethod
    def _time_range(request: FetchRequest) -> tuple[datetime, datetime]:
        """The posts' range as X accepts it: recent search's start clamped to its 7-day reach, or
        ``OutOfReachError`` when the whole range is older (a backfill) and no request would help."""
        start, end = request.posts_since, min(request.posts_until, request.now - END_TIME_MARGIN)
        if request.settings.x_search == "recent" and X.entry.reach is not None:
            reach = request.now - X.entry.reach + REACH_MARGIN
            if end <= reach:
                raise OutOfReachError(
                    "x",
                    f"posts from {iso_utc(start)} to {iso_utc(end)} are older than recent search's 7 days; "
                    "full-archive search (HOTPAPERS_X_SEARCH=all) reaches them",
                )
            if start < reach:
                logger.warning("x search starts at its 7-day reach", extra={"asked": iso_utc(start)})
                start = reach
        return start, end

    def _checked_page(self, document: RawDocument) -> dict[str, Any]:
        """A search page, checked to be the documented shape ``parse`` relies on; else ``malformed``."""
        page = load_json(document.body)
        if not isinstance(page, dict) or not isinstance(page.get("meta"), dict):
            raise self.malformed(document.url, "a meta object")
        # X leaves ``data`` (and ``includes``) out when nothing matched.
        self.check(document)
        return page

    def enrich(self, request: FetchRequest, day: Day) -> list[RawDocument]:
        """oEmbed HTML for each post that links a paper of the day and could be shown."""
        threshold = request.settings.min_post_engagement
        embeds: list[RawDocument] = []
        for post in day.posts:
            if post.source != self.name or post.is_repost or self.engagement(post) < threshold:
                continue
            if not day.papers.keys() & set(paper_ids_of(post)):
                continue
            try:
                embed = self.get_json(
                    endpoint(request.settings.urls["x_oembed"], OEMBED_PATH),
                    params={"url": post.url, "dnt": "true", "omit_script": "false"},
                    name=f"oembed-{post.id}.json",
                    timeout=min(15.0, self.limits.timeout),
                )
                if _embed_html(embed.body) is None:
                    # A stray answer costs this post its oEmbed markup, not the others theirs.
                    logger.warning("x oembed answer has no html", extra={"post_id": post.id})
                    continue
                embeds.append(embed)
            except UpstreamError as exc:
                # The digest falls back to oEmbed's markup rebuilt from the stored post.
                logger.warning("x oembed unavailable", extra={"post_id": post.id, "error": str(exc)})
                if exc.status is None or exc.status == 429 or exc.status >= 500:
                    # Down or throttling after retries: every later ask would wait as long, for nothing.
                    logger.warning("x oembed skipped for the remaining posts", extra={"skipped": "remaining"})
                    break
        return embeds

    @classmethod
    def shown(cls, post: Post) -> Post:
        """The post with oEmbed's markup, or that markup rebuilt from its fields when oEmbed gave none."""
        return post if post.html is not None else replace(post, html=embed_html(post))

    @classmethod
    def read(cls, documents: Mapping[str, bytes]) -> Parsed:
        embeds = {
            name.removeprefix("oembed-").removesuffix(".json"): _embed_html(documents[name])
            for name in documents
            if name.startswith("oembed-")
        }
        posts: dict[str, Post] = {}
        skipped = 0
        for name in sorted(documents):
            if not name.startswith("search-"):
                continue
            page = json_document(documents[name], name)
            raw_users = items_in(page, name, "includes", "users", optional=True)
            valid_users = [raw for raw in raw_users if is_valid(XUser, raw)]
            users = {raw["id"]: raw for raw in valid_users}
            build = partial(_build, users=users, embeds=embeds)
            found = parse_items(XTweet, items_in(page, name, "data", optional=True), build, "x")
            skipped += found.skipped + len(raw_users) - len(valid_users)
            for post in found.posts:
                posts.setdefault(post.id, post)
        return Parsed(list(posts.values()), skipped)


class _Url(Item):
    url: str = ""
    expanded_url: str = ""
    unwound_url: str = ""
    display_url: str = ""


class _Mention(Item):
    username: str


class _Tag(Item):
    tag: str


class _Entities(Item):
    urls: list[_Url] = Field(default_factory=list)
    mentions: list[_Mention] = Field(default_factory=list)
    hashtags: list[_Tag] = Field(default_factory=list)


class _Note(Item):
    entities: _Entities = Field(default_factory=_Entities)


class _Metrics(Item):
    """A post's figures: those its engagement sums are required, as a post without them would
    count 0 where it has none to tell."""

    retweet_count: int
    like_count: int
    reply_count: int = 0
    quote_count: int = 0


class _Reference(Item):
    type: str = ""


class XTweet(Item):
    """A post as ``_post`` and ``_entities`` read it. Its id names its stored oEmbed answer, so
    only X's own ids (decimal digits) pass."""

    id: Annotated[str, StringConstraints(pattern=r"^\d{1,20}$")]
    text: str = ""
    author_id: str = ""
    created_at: Instant | None = None
    lang: str | None = None
    public_metrics: _Metrics
    entities: _Entities = Field(default_factory=_Entities)
    note_tweet: _Note = Field(default_factory=_Note)
    referenced_tweets: list[_Reference] = Field(default_factory=list)


class XUser(Item):
    id: str
    name: str = ""
    username: str = ""


def _build(
    tweet: XTweet, raw: dict[str, Any], users: Mapping[str, dict[str, Any]], embeds: Mapping[str, str | None]
) -> Post:
    return _post(raw, users, embeds.get(tweet.id))


def _embed_html(body: bytes) -> str | None:
    """The ``html`` of an oEmbed answer, or ``None`` when the answer is not one."""
    try:
        answer = load_json(body)
    except ValueError:
        return None
    html = answer.get("html") if isinstance(answer, dict) else None
    return html if isinstance(html, str) and html else None


def _post(tweet: dict[str, Any], users: Mapping[str, dict[str, Any]], html: str | None) -> Post:
    user = users.get(tweet.get("author_id", ""), {})
    handle = user.get("username", "")
    metrics = tweet.get("public_metrics", {})
    text = tweet.get("text", "")
    url = _status_url(handle, tweet["id"])
    # oEmbed's markup is never kept as it came: rebuilt from its parsed parts (``hotpapers.markup``).
    shown_html = markup.rebuilt(html, url) if html else None
    return Post(
        source="x",
        id=tweet["id"],
        url=url,
        author_name=user.get("name", handle),
        author_handle=handle,
        text=text,
        created_at=tweet.get("created_at", ""),
        metrics={
            "retweets": int(metrics.get("retweet_count", 0)),
            "likes": int(metrics.get("like_count", 0)),
            "replies": int(metrics.get("reply_count", 0)),
            "quotes": int(metrics.get("quote_count", 0)),
        },
        links=_links(tweet),
        is_repost=text.startswith("RT @")
        or any(ref.get("type") == "retweeted" for ref in tweet.get("referenced_tweets", [])),
        html=shown_html,
        lang=tweet.get("lang"),
        entities=None if shown_html else _entities(tweet.get("entities", {})),
    )


def _entities(entities: dict[str, Any]) -> Entities:
    """What ``embed_html`` makes links of: each t.co link with its label (a media link shows its
    ``pic.twitter.com`` name, as oEmbed's markup does), and the mentions and hashtags."""
    links = {link["url"]: link.get("display_url", "") for link in entities.get("urls", []) if link.get("url")}
    return Entities(
        links=tuple((url, display if display.startswith("pic.") else url) for url, display in links.items()),
        mentions=tuple(mention["username"].lower() for mention in entities.get("mentions", [])),
        hashtags=tuple(tag["tag"].lower() for tag in entities.get("hashtags", [])),
    )


def _links(tweet: dict[str, Any]) -> tuple[str, ...]:
    """Every URL X resolved for a post, those of its long form (``note_tweet``) included, each once."""
    found = (
        link.get("unwound_url") or link.get("expanded_url") or link.get("url", "")
        for entities in (tweet.get("entities", {}), tweet.get("note_tweet", {}).get("entities", {}))
        for link in entities.get("urls", [])
    )
    # A long post's note repeats the URLs of its first 280 characters.
    return tuple(dict.fromkeys(link for link in found if link))


def _status_url(handle: str, tweet_id: str) -> str:
    """A post's address; ``i/web`` stands in for the handle of an author the answer did not include."""
    return page_on("twitter.com", *([handle] if handle else ["i", "web"]), "status", tweet_id)


_MENTION_OR_TAG = re.compile(r"[@#]\w+")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})
REF = "ref_src=twsrc%5Etfw"


def _escape(text: str) -> str:
    # The API sends &, < and > already as entities; undo that first so nothing is escaped twice.
    return html_module.unescape(text).translate(_ESCAPES)


def _tokens(text: str, links: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Each link, mention or hashtag in ``text``, left to right, with where it starts.

    Links are the API's own t.co strings, looked for as they are, so links written back to back
    still split; where two tokens start at one place the longer link wins, and a link wins over
    a mention or hashtag. ``str.find`` rather than a pattern of the post's links: compiling one
    per post was half of the score step on a big day (docs/performance.md).
    """
    ordered = sorted(links, key=len, reverse=True)
    position = 0
    while True:
        found = [(text.find(url, position), rank, url) for rank, url in enumerate(ordered)]
        if tag := _MENTION_OR_TAG.search(text, position):
            found.append((tag.start(), len(ordered), tag.group()))
        starts = [token for token in found if token[0] >= 0]
        if not starts:
            return
        start, _, token = min(starts)
        yield start, token
        position = start + len(token)


def embed_html(post: Post) -> str:
    """The markup X's oEmbed endpoint gives for a post, rebuilt from the API's own fields.

    Used when oEmbed does not answer. Links (http(s) only), mentions and hashtags become anchors
    as oEmbed makes them; everything else is escaped.
    """
    entities = post.entities or Entities()
    labels = dict(entities.links)
    text = post.text
    parts, position = [], 0
    for start, token in _tokens(text, labels):
        if token in labels:
            anchor = markup.link(html_module.unescape(token), _escape(labels[token]))
        elif token.startswith("@") and token[1:].lower() in entities.mentions:
            anchor = f'<a href="https://twitter.com/{token[1:]}?{REF}">{token}</a>'
        elif token.startswith("#") and token[1:].lower() in entities.hashtags:
            anchor = f'<a href="https://twitter.com/hashtag/{token[1:]}?src=hash&amp;{REF}">{token}</a>'
        else:
            continue
        parts += [_escape(text[position:start]), anchor]
        position = start + len(token)
    parts.append(_escape(text[position:]))
    body = "".join(parts).replace("\n", "<br>")
    handle, name = post.author_handle, post.author_name
    # An author missing from ``includes.users`` leaves no name or handle to show: the byline
    # keeps what it has rather than an empty "(@)".
    byline = (f"{_escape(name)} " if name else "") + (f"(@{_escape(handle)}) " if handle else "")
    created = datetime.fromisoformat((post.created_at or "1970-01-01T00:00:00+00:00").replace("Z", "+00:00"))
    return markup.tweet(
        html_module.unescape(post.lang or "en"),
        body,
        byline,
        f"{post.url}?{REF}",
        f"{created:%B} {created.day}, {created.year}",
    )

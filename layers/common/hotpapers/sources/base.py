"""The interface every attention source implements.

A source fetches what its upstream says, untouched (``fetch``, then optionally ``enrich``
once the day's papers are known), and turns those documents into ``Post``s (``parse``). What is
stored is always the upstream's own answer, never a parse of it. The fetch step parses and links
them too, for its own decisions only: which repositories ``enrich`` asks about (each paper's
linked engagement), which posts X fetches the embed markup of, each source's post count (whether
a rerun is thinner than the sealed snapshot, whether a day looks collapsed); the digest's
figures, ranks and scores come from the score step alone, which parses the sealed documents
again.

Most sources are posts about papers. A ``PaperSignal`` source instead describes papers
themselves (the stars of their code): its figures join a paper's counts line, but it has no
posts and adds nothing to the score.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, ClassVar, NamedTuple, TypeVar

import requests
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from hotpapers.catalogue import SourceEntry
from hotpapers.config import Settings, SourceLimits
from hotpapers.documents import load_json
from hotpapers.models import Paper, Post, RawDocument, iso_utc
from hotpapers.observability import logger
from hotpapers.schedule import NoAnnouncementError, Window, window_for
from hotpapers.upstream import RateLimitReset, UpstreamError, make_session, send

# The longest a source waits for a server error's Retry-After (a longer one is waited this long,
# then retried), and, outside a fetch's budget, for a rate limit's reset (a later one ends the
# request at once: ``upstream.RateLimitedError``).
MAX_RETRY_AFTER = 60.0


class MalformedDocumentError(ValueError):
    """A stored document that is not the shape its source documents as a whole (not JSON, or no
    list of items where one belongs): that source fails, never the day."""

    def __init__(self, name: str, expected: str) -> None:
        super().__init__(f"{name} has no {expected}")
        self.expected = expected


class Parsed(NamedTuple):
    """The posts in a source's documents, and how many malformed items were dropped."""

    posts: list[Post]
    skipped: int


class Item(BaseModel):
    """An upstream item checked before use: every field the source reads, of the type it reads.

    Strict, so that ``"60 points"`` or ``true`` is never taken for a number; unknown fields are
    ignored, as upstreams add them. A malformed item is dropped and counted, not fatal.
    """

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


def instant(value: str) -> datetime:
    """An ISO 8601 date-time with its offset (``Z`` included), as upstreams write them."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return moment


def _instant_text(value: str) -> str:
    instant(value)
    return value


Instant = Annotated[str, AfterValidator(_instant_text)]
"""An ISO 8601 date-time, kept as the text upstream sent."""


def json_document(body: bytes, name: str) -> Any:
    """The JSON in a stored document, or ``MalformedDocumentError``."""
    try:
        return load_json(body)
    except ValueError as exc:
        raise MalformedDocumentError(name, "JSON") from exc


def items_in(answer: Any, name: str, *path: str, optional: bool = False) -> list[Any]:
    """The list at ``path`` (object keys) in a decoded document, or ``MalformedDocumentError``;
    ``optional``: missing keys mean an empty list (X leaves ``data`` out when nothing matched)."""
    found = answer
    for depth, key in enumerate(path):
        if not isinstance(found, dict):
            raise MalformedDocumentError(name, f"object holding {'.'.join(path[: depth + 1])}")
        found = found.get(key, ([] if depth == len(path) - 1 else {}) if optional else None)
    if not isinstance(found, list):
        raise MalformedDocumentError(name, f"list of {'.'.join(path) or 'items'}")
    return found


ItemT = TypeVar("ItemT", bound=Item)


def is_valid(model: type[Item], raw: Any) -> bool:
    """Whether ``raw`` is a well-formed ``model``."""
    try:
        model.model_validate(raw)
    except ValidationError:
        return False
    return True


def parse_items(
    model: type[ItemT], raw_items: Iterable[Any], build: Callable[[ItemT, Any], Post | None], source: str
) -> Parsed:
    """Each raw item validated by ``model`` and made a ``Post`` by ``build`` (which may decline it,
    e.g. a Reddit comment), first occurrence of an id first; malformed items counted, not fatal."""
    posts: dict[str, Post] = {}
    skipped = 0
    for raw in raw_items:
        try:
            post = build(model.model_validate(raw), raw)
        except ValidationError as exc:
            skipped += 1
            logger.warning("malformed item skipped", extra={"source": source, "errors": exc.error_count()})
            continue
        if post is not None:
            posts.setdefault(post.id, post)
    return Parsed(list(posts.values()), skipped)


@dataclass(frozen=True)
class FetchRequest:
    """What a source needs to know to fetch one digest's attention."""

    window: Window
    now: datetime
    settings: Settings

    @property
    def posts_since(self) -> datetime:
        """Where every post search starts: the window's announcement. arXiv assigns a paper its id
        (and its abs page) only when it announces it, so no earlier post can link it; reading
        earlier only spends page caps, and X's billed reads, on posts about other days."""
        return min(self.window.announced, self.now)

    @property
    def posts_until(self) -> datetime:
        """Where every post search ends: now, or ``HOTPAPERS_POSTS_DAYS`` after the announcement
        for a backfill, so that an old day counts the posts of its own first days."""
        return min(self.now, self.window.announced + timedelta(days=self.settings.posts_days))

    @property
    def next_announcement(self) -> datetime:
        """When arXiv announces the next digest after this one: where the day's own posts end and
        the next day's papers begin to take the searches' pages."""
        following = self.window.digest_date
        for _ in range(NEXT_ANNOUNCEMENT_SEARCH_DAYS):
            following += timedelta(days=1)
            try:
                return window_for(following, self.settings.arxiv_holidays).announced
            except NoAnnouncementError:
                continue
        # No announcement in that long: the whole range is the day's own.
        return self.window.announced + timedelta(days=NEXT_ANNOUNCEMENT_SEARCH_DAYS)

    def slices(self, since: datetime, until: datetime) -> list[Slice]:
        """``[since, until)`` cut at the next announcement: the day's own posts, then the later
        ones. A source paged newest-first searches each on its own, so that the next day's posts
        cannot spend the pages that the day's first hours need."""
        cut = self.next_announcement
        if since < cut < until:
            return [Slice(DAY_SLICE, since, cut), Slice(LATER_SLICE, cut, until)]
        return [Slice(DAY_SLICE if since < cut else LATER_SLICE, since, until)]


# How far past a digest date the next announcement is looked for (arXiv's longest closure, the
# year's end, is about a week).
NEXT_ANNOUNCEMENT_SEARCH_DAYS = 14
DAY_SLICE = "day"
"""The slice from the day's announcement to the next one."""
LATER_SLICE = "later"
"""The slice after the next announcement, shared with the next day's papers."""
# The share of a source's page cap kept for the later slice: the day's own slice comes first and
# may take the rest; what it leaves unused goes to the later slice too.
LATER_SHARE = 0.25


@dataclass(frozen=True)
class Slice:
    """A part of the posts' time range, searched on its own with its own share of the page cap."""

    name: str
    since: datetime
    until: datetime


@dataclass
class SliceRecord:
    """What the search of one slice read, for the manifest."""

    name: str
    since: datetime
    until: datetime
    pages: int = 0
    capped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "since": iso_utc(self.since),
            "until": iso_utc(self.until),
            "pages": self.pages,
            "capped": self.capped,
        }


class OutOfReachError(Exception):
    """The whole time range asked for lies beyond what the source's API can search: not a
    failure of the source, and no request was sent."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


@dataclass(frozen=True)
class Day:
    """What the fetch step knows once arXiv has answered, for ``enrich``."""

    papers: Mapping[str, Paper]
    """The day's papers by id."""
    posts: tuple[Post, ...]
    """Every post the post sources fetched (reposts included, as upstream sent them)."""
    attention: Mapping[str, int]
    """Each discussed paper's summed post engagement, before any per-account cap."""


class Source(ABC):
    """One upstream of posts about papers: the client of its API.

    A client names its catalogue entry (``entry = CATALOGUE["x"]``), which says what the source
    is; ``name``, ``engagement_metrics`` and ``engagement_is_the_authors`` are taken from it.
    """

    entry: ClassVar[SourceEntry]
    """The source as the catalogue describes it."""
    name: ClassVar[str]
    """Short id used in ``HOTPAPERS_SOURCES``, raw keys and the manifest (the entry's)."""
    engagement_metrics: ClassVar[tuple[str, ...]]
    """Metrics whose sum is a post's engagement (the entry's)."""
    engagement_is_the_authors: ClassVar[bool]
    """Whether the per-account cap applies to its posts (the entry's)."""
    rate_limit_reset: ClassVar[RateLimitReset | None] = None
    """How the upstream says when a rate limit ends, if it does (``upstream.RateLimitReset``)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "entry" in cls.__dict__:
            cls.name = cls.entry.name
            cls.engagement_metrics = cls.entry.engagement
            cls.engagement_is_the_authors = cls.entry.engagement_is_the_authors

    def __init__(self, session: requests.Session, limits: SourceLimits) -> None:
        self.session = session
        self.limits = limits
        self.cuts: list[str] = []
        """Why a fetch read less than upstream had (a page cap, a rate limit), each naming the
        slice it cut where there are slices: its counts may be incomplete."""
        self.slices: list[SliceRecord] = []
        """What each slice of a sliced search read (``search_slices``)."""
        self.counts_until: datetime | None = None
        """The end of the posts' range, where the source's search could not stop there itself
        (Reddit lists newest first from now): the score step counts no post from then on."""

    @property
    def capped(self) -> bool:
        """Whether a fetch stopped with more to read upstream: its counts may be incomplete."""
        return bool(self.cuts)

    def cut_short(self, reason: str) -> None:
        """Note that the fetch stopped with more upstream, and why."""
        self.cuts.append(reason)
        logger.warning("source cut short", extra={"source": self.name, "reason": reason})

    def stopped_at_cap(self, pages: int, part: str | None = None) -> None:
        """Note that paging stopped at the cap (of ``part``, a slice), with more pages upstream."""
        logger.warning("search stopped at the page limit", extra={"source": self.name, "pages": pages})
        self.cut_short(f"{part}: page cap" if part else "page cap")

    def keep_at_rate_limit(self, exc: UpstreamError, documents: list[RawDocument], part: str | None = None) -> None:
        """End the source's day at a rate limit it may not wait out, keeping ``documents`` (read so
        far) and recording why, as ``capped``; re-raise any other error, or a rate limit before
        anything was read (the source then failed: it has nothing to show)."""
        if not exc.rate_limited or not documents:
            raise exc
        self.cut_short(f"{part}: {exc}" if part else str(exc))

    def search_slices(
        self, slices: list[Slice], search: Callable[[Slice, list[RawDocument], int], bool]
    ) -> list[RawDocument]:
        """The documents of each slice's search, the day's own slice first, each within its share of
        ``HOTPAPERS_<SOURCE>_MAX_PAGES``: the day's slice may take all but ``LATER_SHARE`` of it,
        the later slice what is left. ``search(slice, documents, pages)`` appends at most ``pages``
        documents and says whether more were left upstream.

        A rate limit that cannot be waited out ends the source's day at once, keeping what was
        read (``capped``, with the reason); one before anything was read fails the source.
        """
        documents: list[RawDocument] = []
        cap = self.limits.max_pages
        for index, part in enumerate(slices):
            kept_back = int(cap * LATER_SHARE) if index < len(slices) - 1 else 0
            pages = max(0, cap - len(documents) - kept_back)
            record = SliceRecord(part.name, part.since, part.until)
            self.slices.append(record)
            if pages == 0:
                record.capped = True
                self.cut_short(f"{part.name}: no pages left of the page cap")
                continue
            first = len(documents)
            try:
                more = search(part, documents, pages)
            except UpstreamError as exc:
                self.keep_at_rate_limit(exc, documents, part.name)
                record.pages, record.capped = len(documents) - first, True
                return documents
            record.pages = len(documents) - first
            if more:
                record.capped = True
                self.stopped_at_cap(len(documents), part.name)
        return documents

    @classmethod
    def connect(cls, settings: Settings) -> Source:
        """The source with its own session: its retries, backoff and headers."""
        limits = settings.limits[cls.name]
        session = make_session(
            retries=limits.retries,
            backoff=limits.backoff,
            max_retry_after=MAX_RETRY_AFTER,
            headers=cls.session_headers(settings),
            reset=cls.rate_limit_reset,
            max_body=limits.max_body,
        )
        return cls(session, limits)

    @classmethod
    def session_headers(cls, settings: Settings) -> dict[str, str]:
        """Headers every request of this source carries (beyond the project's User-Agent)."""
        return {}

    @abstractmethod
    def fetch(self, request: FetchRequest) -> list[RawDocument]:
        """Everything upstream said about arXiv papers in the request's window."""

    def enrich(self, request: FetchRequest, day: Day) -> list[RawDocument]:
        """Further documents worth keeping once the day's papers and posts are known (e.g. embeds)."""
        return []

    def probe(self, request: FetchRequest) -> list[RawDocument]:
        """One small live exchange with the upstream, as ``hotpapers doctor`` makes it: the fetch
        itself, which a doctor's limits hold to one page."""
        return self.fetch(request)

    @classmethod
    def parse(cls, documents: Mapping[str, bytes]) -> list[Post]:
        """The posts in stored documents (keyed by document name), each once."""
        return cls.read(documents).posts

    @classmethod
    @abstractmethod
    def read(cls, documents: Mapping[str, bytes]) -> Parsed:
        """The posts in stored documents, and the malformed items dropped; ``MalformedDocumentError``
        if a document is garbage as a whole."""

    @classmethod
    def shown(cls, post: Post) -> Post:
        """The post as a digest shows it. Called for the shown posts alone, so a source builds
        costly parts (X's markup) for the few posts a digest shows, not for every post it read."""
        return post

    @classmethod
    def engagement(cls, post: Post) -> int:
        return sum(post.metrics.get(metric, 0) for metric in cls.engagement_metrics)

    def get_json(self, url: str, *, params: Mapping[str, Any], name: str, **kwargs: Any) -> RawDocument:
        """GET a JSON document, checked to parse, kept as the exact bytes received."""
        response = send(
            self.session, self.name, "GET", url, params=dict(params), **{"timeout": self.limits.timeout, **kwargs}
        )
        self.decode(response, url)
        return RawDocument(
            name=name,
            body=response.content,
            url=response.url,
            status=response.status_code,
            content_type="application/json",
        )

    def post_json(self, url: str, **kwargs: Any) -> Any:
        """POST (once: the session retries only idempotent requests) and decode the JSON answer.

        For logins and tokens, whose answers hold secrets: they are read, never stored.
        """
        response = send(self.session, self.name, "POST", url, **{"timeout": self.limits.timeout, **kwargs})
        return self.decode(response, url)

    def decode(self, response: requests.Response, url: str) -> Any:
        """The JSON in ``response``, or ``UpstreamError`` if it is malformed."""
        try:
            return load_json(response.content)
        except ValueError as exc:
            raise UpstreamError(self.name, f"{url} answered with malformed JSON") from exc

    def malformed(self, url: str, expected: str) -> UpstreamError:
        """The error for a well-formed answer that is not the documented shape."""
        return UpstreamError(self.name, f"{url} answered JSON without {expected}")

    def check(self, document: RawDocument) -> Parsed:
        """What ``read`` makes of a fetched document, so that a fetch stores only what the score
        step can read; a document that is garbage as a whole is ``malformed`` (malformed items are
        dropped by ``read`` and counted)."""
        try:
            return self.read({document.name: document.body})
        except MalformedDocumentError as exc:
            raise self.malformed(document.url, exc.expected) from exc


class PaperSignal(Source):
    """A source that describes papers rather than posting about them.

    Its figures are shown in the counts line of papers listed for their posts; they add nothing
    to a score and no post is shown for them.
    """

    @classmethod
    def read(cls, documents: Mapping[str, bytes]) -> Parsed:
        """A paper signal has no posts."""
        return Parsed([], 0)

    @classmethod
    @abstractmethod
    def paper_counts(
        cls,
        documents: Mapping[str, bytes],
        since: datetime,
        papers: Mapping[str, Paper],
        linked: Mapping[str, list[Post]],
    ) -> dict[str, dict[str, int]]:
        """Each linked paper's figures (metric: value) from stored documents, given its posts;
        ``since`` is the start of the window whose gains are counted."""

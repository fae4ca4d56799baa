"""The fetch step: the day's arXiv papers and every configured source, sealed as a raw snapshot."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from hotpapers import arxiv, collapse, late, snapshot
from hotpapers.alerts import alert
from hotpapers.announcements import announced_window, record_empty
from hotpapers.config import SOURCE_CREDENTIALS, ConfigError, Settings
from hotpapers.credentials import MissingCredentialError, credential
from hotpapers.linking import link_posts
from hotpapers.models import Paper, Post, RawDocument, iso_utc
from hotpapers.observability import logger
from hotpapers.redaction import redact
from hotpapers.schedule import NoAnnouncementError
from hotpapers.sources import (
    KNOWN_SOURCES,
    Day,
    FetchRequest,
    MalformedDocumentError,
    OutOfReachError,
    PaperSignal,
    Source,
)
from hotpapers.sources.base import Parsed
from hotpapers.store import Store
from hotpapers.upstream import Deadline, UpstreamError, endpoint, make_session, time_limit

# Kept back from a Lambda invocation's remaining time, for writing the snapshot and returning.
LAMBDA_MARGIN = 30.0
# How long past its budget a source may take to notice (its next read fails) before it is
# abandoned and left running.
ABANDON_GRACE = 2.0


class NoUsableSourceError(Exception):
    """Every attention source that counts posts failed: a digest would say that nobody discussed
    anything when nobody could be asked, so nothing is published."""

    def __init__(self, failures: dict[str, str]) -> None:
        reasons = "; ".join(failures.values())  # each names its source
        super().__init__(
            f"no attention source could count posts ({reasons}); "
            "see docs/sources.md, or choose sources with HOTPAPERS_SOURCES"
        )
        self.failures = failures


class NoSourceConfiguredError(ConfigError):
    """No configured attention source can count posts before a request is sent: none is named, or
    each lacks a credential. A configuration to mend, refused before arXiv is asked."""


def _post_sources(names: Iterable[str]) -> list[str]:
    return [name for name in names if not issubclass(KNOWN_SOURCES[name], PaperSignal)]


def _configured_post_sources(settings: Settings) -> list[str]:
    """The configured sources that count posts and have every credential they need; else
    ``NoSourceConfiguredError`` saying what each lacks."""
    lacking: dict[str, str] = {}
    for name in _post_sources(settings.sources):
        try:
            for needed in SOURCE_CREDENTIALS[name]:
                credential(settings, needed)
        except MissingCredentialError as exc:
            lacking[name] = f"{name}: {exc}"
    usable = [name for name in _post_sources(settings.sources) if name not in lacking]
    if not usable:
        named = "; ".join(lacking.values()) or f"HOTPAPERS_SOURCES names only {', '.join(settings.sources) or 'none'}"
        raise NoSourceConfiguredError(
            f"no configured attention source can count posts ({named}); set their credentials or choose "
            "sources with HOTPAPERS_SOURCES (see docs/sources.md)"
        )
    return usable


def refuse_unusable_configuration(settings: Settings) -> None:
    """What the fetch step refuses before any request, checked by a caller before it starts the
    step (the CLI, so that a refusal comes before any progress line)."""
    _configured_post_sources(settings)


@dataclass(frozen=True)
class FetchResult:
    date: str
    status: str
    """``sealed``, or ``kept-previous`` when sources the sealed snapshot has failed this time, or
    this fetch is thinner than it (``degraded_sources``)."""
    manifest_key: str
    papers: int
    documents: dict[str, int]
    failed_sources: dict[str, str] = field(default_factory=dict)
    out_of_reach: dict[str, str] = field(default_factory=dict)
    """Sources not asked, because the posts' time range is beyond what their API can search."""
    degraded_sources: dict[str, str] = field(default_factory=dict)
    """What shrank against the day's sealed snapshot, and by how much: a source's posts or
    engagement, or (as ``arxiv``) the papers."""
    forced: bool = False
    """Sealed over a sealed snapshot it is thinner than, or has sources this fetch lost, because
    the caller forced it."""
    suspect_sources: dict[str, str] = field(default_factory=dict)
    """Sources far below their usual posts, with both figures (``collapse``): recorded, not refused."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def fetch_day(
    digest_date: date,
    settings: Settings,
    store: Store,
    *,
    time_left: float | None = None,
    force: bool = False,
) -> FetchResult:
    """Fetch the day's arXiv papers and every configured source, and seal a raw snapshot.

    arXiv failing fails the step (nothing is sealed, so the last good digest stays). A source
    failing (in its fetch or its enrichment, after its own retries, or past its budget) is
    recorded in the manifest and the step goes on, unless the day already has a sealed snapshot
    with that source, or this fetch is thinner than it (``thinner``): then, unless ``force``, the
    new documents are kept unsealed and the previous snapshot stands. Raises ``NoAnnouncementError``
    for a date arXiv announced nothing on.

    The step ends by ``HOTPAPERS_FETCH_DEADLINE`` or, when ``time_left`` (seconds, a Lambda's
    remaining time) is shorter, by ``time_left`` less a margin; each source's fetch and its
    enrichment may take ``HOTPAPERS_SOURCE_BUDGET`` of it.
    """
    window = announced_window(digest_date, settings.arxiv_holidays, store)
    now = settings.clock()
    request = FetchRequest(window=window, now=now, settings=settings)
    seconds = settings.fetch_deadline if time_left is None else min(settings.fetch_deadline, time_left - LAMBDA_MARGIN)

    _configured_post_sources(settings)
    sources = {name: KNOWN_SOURCES[name].connect(settings) for name in settings.sources}
    logger.info("fetching", extra={"window": window.to_dict(), "sources": list(sources), "deadline": seconds})

    # Sources are fetched while the arXiv pages (and their politeness waits) run. A source past
    # its budget is abandoned, not waited for: the pool is shut down without joining it.
    pool = ThreadPoolExecutor(max_workers=max(1, len(sources)), thread_name_prefix="source")
    try:
        with time_limit(max(seconds, 0.0), f"the fetch's {seconds:g} s deadline") as deadline:
            fetches = {name: source.fetch for name, source in sources.items()}
            pending = start(pool, fetches, (request,), settings, deadline)
            arxiv_session = make_session(
                retries=settings.http_retries,
                backoff=settings.http_backoff,
                min_wait=settings.arxiv_delay,
                max_body=settings.arxiv_max_body,
            )
            api_url = endpoint(settings.urls["arxiv_api"], arxiv.API_PATH)
            arxiv_pages = arxiv.fetch_window(
                arxiv_session, api_url, window, settings.categories, delay=settings.arxiv_delay
            )
            # Each page was parsed once, to prove it whole; its papers are used as they are.
            settled = late.settle(
                store,
                window,
                arxiv.window_papers((page.feed for page in arxiv_pages), window),
                settings.arxiv_lookback_days,
                lambda span: arxiv.fetch_window(
                    arxiv_session, api_url, span, settings.categories, delay=settings.arxiv_delay, name="lookback"
                ),
            )
            papers = [*settled.papers, *settled.late]
            if not papers:
                if now >= window.announced:
                    # Asked after the announcement: an evening arXiv skipped, which the next window covers.
                    record_empty(store, window, now)
                raise NoAnnouncementError(digest_date, "arXiv lists no new papers for its window (a holiday?)")
            answers = gather(pool, sources, pending, request, papers, settings, deadline)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    fetched, failures, out_of_reach, read = answers.fetched, answers.failures, answers.out_of_reach, answers.read
    if not _post_sources(fetched):
        logger.error("no usable attention source", extra={"failed_sources": failures})
        raise NoUsableSourceError({**failures, **out_of_reach})

    # A partial fetch never replaces a better one unless forced: losing a source the sealed
    # snapshot has, or being thinner than it, keeps that snapshot (and its digest); this fetch is
    # stored, unsealed, for the record, with the thinned sources marked ``degraded``.
    sealed = snapshot.sealed(store, digest_date)
    previous = sealed.sources if sealed else {}
    lost = sorted(set(previous) - set(fetched))
    degraded = thinner(sealed, len(papers), {name: read[name] for name in read if name in fetched}, settings)
    seal = force or (not lost and not degraded)
    posts = {name: len(parsed.posts) for name, parsed in read.items() if name in fetched}
    suspect = _suspect(store, digest_date, settings, arxiv_pages, posts)
    key = snapshot.write(
        store,
        window,
        now,
        settings.categories,
        [page.document for page in [*arxiv_pages, *settled.pages]],
        fetched,
        failures,
        seal=seal,
        out_of_reach=out_of_reach,
        flags={
            name: {
                **source_flags(sources[name], read.get(name), name in degraded),
                **({"posts": posts[name]} if name in posts else {}),
                **({"suspect": suspect[name]} if name in suspect else {}),
            }
            for name in fetched
        },
        papers=arxiv.papers_document(papers),
        late=[paper.id for paper in settled.late],
    )
    forced = seal and bool(lost or degraded)
    if forced:
        logger.warning("thinner snapshot sealed, as forced", extra={"lost_sources": lost, "degraded": degraded})
    if seal:
        logger.info(
            "snapshot sealed",
            extra={"manifest": key, "papers": len(papers), "late": len(settled.late), "failed_sources": failures},
        )
    else:
        logger.warning("previous snapshot kept", extra={"attempt": key, "lost_sources": lost, "degraded": degraded})
    return FetchResult(
        date=digest_date.isoformat(),
        status="sealed" if seal else "kept-previous",
        manifest_key=key,
        papers=len(papers),
        documents={name: len(documents) for name, documents in fetched.items()},
        failed_sources=failures,
        out_of_reach=out_of_reach,
        degraded_sources=degraded,
        suspect_sources=suspect,
        forced=forced,
    )


@dataclass
class Answers:
    """What the sources asked for a day answered (``gather``)."""

    fetched: dict[str, list[RawDocument]]
    """Each source's documents, its enrichment's included."""
    failures: dict[str, str]
    """Each source that failed (its fetch, its reading or its enrichment), and how."""
    out_of_reach: dict[str, str]
    """Each source whose API cannot reach the day, and why."""
    read: dict[str, Parsed]
    """What each post source's documents held (``_day``); read before enrichment, so a source
    whose enrichment failed may be here and not in ``fetched``."""


def gather(
    pool: ThreadPoolExecutor,
    sources: Mapping[str, Source],
    pending: dict[str, tuple[Future[list[RawDocument]], float, str]],
    request: FetchRequest,
    papers: list[Paper],
    settings: Settings,
    deadline: Deadline,
) -> Answers:
    """The sources' fetches (``pending``, from ``start``) collected, read against the day's
    ``papers``, and each fetched source's enrichment run in ``pool`` within its budget and added to
    its documents. A source failing at any stage costs only itself. Shared by the fetch step and a
    refresh (``pipeline.refresh``)."""
    fetched, failures, out_of_reach = _collect(pending)
    day, read = _day(papers, fetched, failures)
    enriching = start(pool, {name: sources[name].enrich for name in fetched}, (request, day), settings, deadline)
    enriched, enrich_failures, _ = _collect(enriching, "enrich")
    for name, documents in enriched.items():
        fetched[name].extend(documents)
    for name, error in enrich_failures.items():
        del fetched[name]
        failures[name] = error
    return Answers(fetched, failures, out_of_reach, read)


def _suspect(
    store: Store, digest_date: date, settings: Settings, pages: list[arxiv.Page], posts: Mapping[str, int]
) -> dict[str, str]:
    """The sources whose day looks collapsed next to the sealed days before it (``collapse``), each
    logged with both figures, and all reported to the operator (``alerts``): the day is sealed
    and published anyway, so nothing else would tell them."""
    entries = collapse.arxiv_entries({"files": [page.document.meta for page in pages]})
    found = collapse.suspects(collapse.history(store, digest_date), entries, posts, settings.collapse_share)
    for name, reason in found.items():
        logger.warning("source looks collapsed", extra={"source": name, "reason": reason})
    if found:
        alert("sources look collapsed", date=digest_date.isoformat(), sources=found)
    return found


def thinner(
    sealed: snapshot.Snapshot | None, papers: int, read: Mapping[str, Parsed], settings: Settings
) -> dict[str, str]:
    """What this fetch has less of than the day's ``sealed`` snapshot, below
    ``HOTPAPERS_DEGRADED_SHARE`` of it, and by how much: ``arxiv`` for its ``papers`` (arXiv's API
    is known to answer a consistent but smaller set), and each source read (``read``, as ``_day``
    read it) for its posts or its engagement (the figures gone, the posts kept)."""
    if sealed is None:
        return {}
    share = settings.degraded_share
    thinner = {}
    before = len(arxiv.snapshot_papers(sealed.papers, sealed.arxiv, sealed.window))
    if papers < before * share:
        thinner["arxiv"] = f"arxiv: {papers} papers where the sealed snapshot has {before}"
    previous = sealed.sources
    for name in sorted(previous.keys() & read.keys()):
        source = KNOWN_SOURCES[name]
        posts_before, posts_now = source.parse(previous[name]), read[name].posts
        engagement_before, engagement_now = _engagement(source, posts_before), _engagement(source, posts_now)
        shrank = []
        if len(posts_now) < len(posts_before) * share:
            shrank.append(f"{len(posts_now)} posts where the sealed snapshot has {len(posts_before)}")
        if engagement_now < engagement_before * share:
            shrank.append(f"engagement {engagement_now} where the sealed snapshot has {engagement_before}")
        if shrank:
            thinner[name] = f"{name}: {', '.join(shrank)}"
    return thinner


def _engagement(source: type[Source], posts: Iterable[Post]) -> int:
    return sum(source.engagement(post) for post in posts)


Job = Callable[..., list[RawDocument]]


def start(
    pool: ThreadPoolExecutor, jobs: dict[str, Job], args: tuple[Any, ...], settings: Settings, deadline: Deadline
) -> dict[str, tuple[Future[list[RawDocument]], float, str]]:
    """Run each source's job in the pool within its budget: each future, when it must be done
    by (monotonic), and what limits it (for messages)."""
    started = {}
    for name, job in jobs.items():
        seconds = min(settings.source_budget, deadline.remaining())
        what = f"{name}'s {settings.source_budget:g} s budget" if seconds == settings.source_budget else deadline.what
        future = pool.submit(_within, seconds, what, job, *args)
        started[name] = (future, time.monotonic() + seconds, what)
    return started


def _within(seconds: float, what: str, job: Job, *args: Any) -> list[RawDocument]:
    """``job(*args)`` with every request it makes bounded by ``seconds`` (in the pool's thread)."""
    with time_limit(seconds, what):
        return job(*args)


def _day(
    papers: list[Paper], fetched: dict[str, list[RawDocument]], failures: dict[str, str]
) -> tuple[Day, dict[str, Parsed]]:
    """The day as ``enrich`` sees it (its papers, every fetched post, each paper's attention), and
    what each post source's documents held (its posts, the malformed items dropped). A source whose
    documents cannot be read as a whole moves from ``fetched`` to ``failures``: it costs only itself."""
    posts: list[Post] = []
    read: dict[str, Parsed] = {}
    for name in _post_sources(list(fetched)):
        try:
            parsed = KNOWN_SOURCES[name].read({document.name: document.body for document in fetched[name]})
        except MalformedDocumentError as exc:
            del fetched[name]
            failures[name] = redact(f"{name}: {exc}")
            logger.warning("source unreadable", extra={"source": name, "error": failures[name]})
            continue
        posts.extend(parsed.posts)
        read[name] = parsed
    by_id = {paper.id: paper for paper in papers}
    attention = {
        paper_id: sum(KNOWN_SOURCES[post.source].engagement(post) for post in linked)
        for paper_id, linked in link_posts(posts, set(by_id)).items()
    }
    return Day(papers=by_id, posts=tuple(posts), attention=attention), read


def source_flags(source: Source, read: Parsed | None, degraded: bool) -> dict[str, Any]:
    """A fetched source's manifest flags: what cut its fetch short (a page cap, naming the slice it
    cut, or a rate limit), what each slice of its search read, the malformed items it dropped (as
    ``_day`` read it; a paper signal is not read there), thinner than the sealed snapshot (``thinner``)."""
    skipped = read.skipped if read else 0
    return {
        **({"capped": "; ".join(source.cuts)} if source.cuts else {}),
        **({"slices": [record.to_dict() for record in source.slices]} if source.slices else {}),
        **({"counts_until": iso_utc(source.counts_until)} if source.counts_until else {}),
        **({"skipped": skipped} if skipped else {}),
        **({"degraded": True} if degraded else {}),
    }


def _collect(
    pending: dict[str, tuple[Future[list[RawDocument]], float, str]], stage: str = "fetch"
) -> tuple[dict[str, list[RawDocument]], dict[str, str], dict[str, str]]:
    """Each source's documents, failures, and sources whose API cannot reach the day."""
    fetched: dict[str, list[RawDocument]] = {}
    failures: dict[str, str] = {}
    out_of_reach: dict[str, str] = {}
    for name, (future, ends_at, what) in pending.items():
        try:
            fetched[name] = future.result(timeout=max(0.0, ends_at - time.monotonic()) + ABANDON_GRACE)
            logger.info("source fetched", extra={"source": name, "stage": stage, "documents": len(fetched[name])})
        except OutOfReachError as exc:
            out_of_reach[name] = redact(str(exc))
            logger.warning("source out of reach", extra={"source": name, "stage": stage, "reason": str(exc)})
        except (UpstreamError, MissingCredentialError) as exc:
            # The message names the URL and upstream's status; redacted all the same, as it is stored.
            failures[name] = redact(str(exc))
            logger.warning("source failed", extra={"source": name, "stage": stage, "error": str(exc)})
        except Exception as exc:
            if not future.done():
                # Past its budget and not noticing (no request to fail): left running, unheard.
                failures[name] = f"{name}: abandoned: still working when {what} ran out"
                logger.warning("source abandoned", extra={"source": name, "stage": stage, "limit": what})
                continue
            # A fault inside one source must not cost the day the others: it is recorded as that
            # source's failure (manifest, digest, metric) and logged with its traceback.
            failures[name] = redact(f"{name}: unexpected {type(exc).__name__}: {exc}")
            logger.exception("source crashed", extra={"source": name, "stage": stage})
    return fetched, failures, out_of_reach

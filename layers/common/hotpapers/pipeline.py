"""The three steps the Lambda handlers call: fetch -> raw, score -> scored, render -> site.

Each step takes plain values (a date or a key, the settings, its stores) and returns a small
summary for the handler to log and return. None knows about Lambda or events.
"""

from __future__ import annotations

import json
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from hotpapers import arxiv, render, scoring, snapshot
from hotpapers.config import Settings
from hotpapers.credentials import MissingCredential
from hotpapers.linking import link_posts
from hotpapers.models import Paper, RawDocument
from hotpapers.observability import logger
from hotpapers.schedule import NoAnnouncement, window_for
from hotpapers.sources import KNOWN_SOURCES, Day, FetchRequest, PaperSignal
from hotpapers.store import Store
from hotpapers.upstream import UpstreamError, endpoint, make_session


@dataclass(frozen=True)
class FetchResult:
    date: str
    status: str
    """``sealed``, or ``kept-previous`` when sources the sealed snapshot has failed this time."""
    manifest_key: str
    papers: int
    documents: dict[str, int]
    failed_sources: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def fetch_day(
    digest_date: date,
    settings: Settings,
    store: Store,
) -> FetchResult:
    """Fetch the day's arXiv papers and every configured source, and seal a raw snapshot.

    arXiv failing fails the step (nothing is sealed, so the last good digest stays). A source
    failing (in its fetch or its enrichment, after its own retries) is recorded in the manifest
    and the step goes on, unless the day already has a sealed snapshot with that source: then
    the new documents are kept unsealed and the previous snapshot stands. Raises
    ``NoAnnouncement`` for a date arXiv announced nothing on.
    """
    window = window_for(digest_date, settings.arxiv_holidays)
    now = settings.clock()
    request = FetchRequest(window=window, now=now, settings=settings)

    sources = {name: KNOWN_SOURCES[name].connect(settings) for name in settings.sources}
    logger.info("fetching", extra={"window": window.to_dict(), "sources": list(sources)})

    # Sources are fetched while the arXiv pages (and their politeness waits) run.
    with ThreadPoolExecutor(max_workers=max(1, len(sources)), thread_name_prefix="source") as pool:
        pending = {name: pool.submit(source.fetch, request) for name, source in sources.items()}
        arxiv_documents = arxiv.fetch_window(
            make_session(retries=settings.http_retries, backoff=settings.http_backoff, min_wait=settings.arxiv_delay),
            endpoint(settings.urls["arxiv_api"], arxiv.API_PATH),
            window,
            settings.categories,
            delay=settings.arxiv_delay,
        )
        fetched, failures = _collect(pending)

        papers = arxiv.parse_pages(document.body for document in arxiv_documents)
        if not papers:
            raise NoAnnouncement(digest_date, "arXiv lists no new papers for its window (a holiday?)")
        day = _day(papers, fetched)
        enriching = {name: pool.submit(sources[name].enrich, request, day) for name in fetched}
        enriched, enrich_failures = _collect(enriching, "enrich")
    for name, documents in enriched.items():
        fetched[name].extend(documents)
    for name, error in enrich_failures.items():
        del fetched[name]
        failures[name] = error

    # A partial fetch never replaces a better one: losing a source the sealed snapshot has keeps
    # that snapshot (and its digest); this fetch is stored, unsealed, for the record.
    lost = sorted(snapshot.sealed_sources(store, digest_date) - set(fetched))
    seal = not lost
    key = snapshot.write(store, window, now, settings.categories, arxiv_documents, fetched, failures, seal=seal)
    if seal:
        logger.info("snapshot sealed", extra={"manifest": key, "papers": len(papers), "failed_sources": failures})
    else:
        logger.warning("previous snapshot kept", extra={"attempt": key, "lost_sources": lost})
    return FetchResult(
        date=digest_date.isoformat(),
        status="sealed" if seal else "kept-previous",
        manifest_key=key,
        papers=len(papers),
        documents={name: len(documents) for name, documents in fetched.items()},
        failed_sources=failures,
    )


def _day(papers: list[Paper], fetched: dict[str, list[RawDocument]]) -> Day:
    """The day as ``enrich`` sees it: its papers, every fetched post, and each paper's attention."""
    posts = tuple(
        post
        for name, documents in fetched.items()
        if not issubclass(KNOWN_SOURCES[name], PaperSignal)
        for post in KNOWN_SOURCES[name].parse({document.name: document.body for document in documents})
    )
    by_id = {paper.id: paper for paper in papers}
    attention = {
        paper_id: sum(KNOWN_SOURCES[post.source].engagement(post) for post in linked)
        for paper_id, linked in link_posts(posts, set(by_id)).items()
    }
    return Day(papers=by_id, posts=posts, attention=attention)


def _collect(
    pending: dict[str, Future[list[RawDocument]]], stage: str = "fetch"
) -> tuple[dict[str, list[RawDocument]], dict[str, str]]:
    fetched: dict[str, list[RawDocument]] = {}
    failures: dict[str, str] = {}
    for name, future in pending.items():
        try:
            fetched[name] = future.result()
            logger.info("source fetched", extra={"source": name, "stage": stage, "documents": len(fetched[name])})
        except (UpstreamError, MissingCredential) as exc:
            # The message names the URL and upstream's answer, never a credential.
            failures[name] = str(exc)
            logger.warning("source failed", extra={"source": name, "stage": stage, "error": str(exc)})
        except Exception as exc:
            # A fault inside one source must not cost the day the others: it is recorded as that
            # source's failure (manifest, digest, metric) and logged with its traceback.
            failures[name] = f"{name}: unexpected {type(exc).__name__}: {exc}"
            logger.exception("source crashed", extra={"source": name, "stage": stage})
    return fetched, failures


def score_day(manifest_key: str, settings: Settings, store: Store) -> dict[str, Any]:
    """Score the snapshot sealed at ``manifest_key`` and write ``scored/<D>.json``."""
    sealed = snapshot.read(store, manifest_key)
    rules = scoring.Rules(
        min_score=settings.min_score,
        min_post_engagement=settings.min_post_engagement,
        max_posts=settings.max_posts,
        account_cap=settings.account_cap,
        ignored_accounts=settings.ignored_accounts,
        weights=settings.weights,
    )
    scored = scoring.score_snapshot(sealed, rules)
    key = scored_key(scored["date"])
    store.put(key, _json(scored), "application/json")
    logger.info("scored", extra={"key": key, "listed": len(scored["papers"])})
    return {"key": key, **scored}


def scored_key(digest_date: str) -> str:
    return f"scored/{digest_date}.json"


def render_day(scored_object_key: str, settings: Settings, data: Store, site: Store) -> dict[str, Any]:
    """Publish the digest of ``scored/<D>.json`` and every shared page its day appears on."""
    scored = json.loads(data.get(scored_object_key))
    options = render.SiteOptions(
        site_url=settings.site_url,
        embeds=settings.embeds,
        holidays=settings.arxiv_holidays,
        sources=settings.sources,
        categories=settings.categories,
    )
    keys = render.publish_day(scored, options, site)
    logger.info("digest published", extra={"date": scored["date"], "papers": len(scored["papers"])})
    return {"date": scored["date"], "papers": len(scored["papers"]), "keys": keys}


def _json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()

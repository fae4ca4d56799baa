"""``hotpapers doctor``: one small live request to arXiv and to each configured source.

Run before the first deployment and at any time after it, it says for each upstream whether it
answered, whether the configured credentials were accepted, the rate-limit figures the answer
carried and how far back the source's search reaches. It then checks that each post source's own
search (the query a digest uses) finds posts over the first day of a recent, widely discussed
paper: a search that comes back empty there has collapsed (a changed backend, a query it no longer
understands), which nothing else would show before a day's counts do.

Every request is the source client's own (``Source.probe``, ``arxiv.ask_once``), with no retry and
one page; answers are read, never stored. Nothing printed holds a secret: error texts are redacted
and only rate-limit headers are shown.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import requests

from hotpapers import arxiv, layout
from hotpapers.announcements import window_announcing
from hotpapers.config import SOURCE_CREDENTIALS, ConfigError, Settings
from hotpapers.credentials import MissingCredentialError, credential
from hotpapers.linking import link_posts
from hotpapers.redaction import redact
from hotpapers.schedule import Window, parse_utc
from hotpapers.sources import KNOWN_SOURCES, FetchRequest, OutOfReachError, PaperSignal
from hotpapers.store import Store
from hotpapers.upstream import UpstreamError, endpoint, make_session

REQUEST_TIMEOUT = 15.0
# Headers that carry rate-limit figures, by prefix (X: x-rate-limit-*, GitHub and Reddit:
# x-ratelimit-*, the IETF draft's ratelimit-*), and Retry-After.
RATE_HEADERS = ("x-rate-limit-", "x-ratelimit-", "ratelimit-", "retry-after")
# How far back each source's search reaches, as docs/sources.md states it ("Reach and backfill").
REACH = {
    "arxiv": "every paper",
    "x": "7 days",
    "hackernews": "no horizon",
    "bluesky": "none documented",
    "reddit": "about 250 results a search",
    "huggingface": "daily lists",
    "github": "current figures",
}
X_FULL_ARCHIVE = "full archive"
OK, FAILED = 0, 1


class DoctorConfigError(ConfigError):
    """A configured source lacks a credential: refused before any request."""


@dataclass(frozen=True)
class Canary:
    """A recent, widely discussed paper and the window that announced it."""

    paper_id: str
    window: Window


@dataclass
class Check:
    """What one upstream answered."""

    name: str
    reachable: bool = False
    credentials: str = "-"
    rate_limit: str = "-"
    reach: str = "-"
    canary: str = "-"
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    def row(self) -> tuple[str, ...]:
        return (
            self.name,
            "yes" if self.reachable else "no",
            self.credentials,
            self.rate_limit,
            self.reach,
            self.canary,
            "ok" if self.ok else self.problem,
        )


HEADERS = ("upstream", "reachable", "credentials", "rate limit", "reach", "canary", "status")


def refuse_missing_credentials(settings: Settings) -> None:
    """``DoctorConfigError`` naming each configured source that lacks a credential it needs."""
    lacking = []
    for name in settings.sources:
        for needed in SOURCE_CREDENTIALS[name]:
            if name == "github":
                continue  # optional: GitHub answers without a token, with a lower limit
            try:
                credential(settings, needed)
            except MissingCredentialError as exc:
                lacking.append(f"{name}: {exc}")
    if lacking:
        raise DoctorConfigError("; ".join(lacking))


def latest_canary(store: Store) -> Canary | None:
    """The top paper of the latest scored day in the data store, with its window."""
    scored = sorted(store.keys(layout.SCORED))
    for key in reversed(scored):
        day = json.loads(store.get(key))
        if day.get("papers"):
            return Canary(day["papers"][0]["paper"]["id"], Window.from_dict(day["window"]))
    return None


def doctor_settings(settings: Settings) -> Settings:
    """The settings with every source held to one page, no retry and a short timeout."""
    limits = {
        name: replace(limit, retries=0, max_pages=1, timeout=min(limit.timeout, REQUEST_TIMEOUT))
        for name, limit in settings.limits.items()
    }
    return replace(settings, limits=limits, posts_days=1, hf_days=0, http_retries=0)


class _RateFigures:
    """A response hook keeping the rate-limit headers of the last answer."""

    def __init__(self) -> None:
        self.figures: dict[str, str] = {}

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        found = {
            name.lower(): value
            for name, value in response.headers.items()
            if name.lower().startswith(RATE_HEADERS) and len(value) < 40
        }
        if found:
            self.figures = found
        return response

    def text(self) -> str:
        return ", ".join(f"{name}={value}" for name, value in sorted(self.figures.items())) or "-"


def _failed(check: Check, exc: UpstreamError, needs_credentials: bool) -> Check:
    check.reachable = exc.status is not None
    if exc.rate_limited:
        check.problem = "rate limited"
    elif exc.status in (401, 403):
        check.credentials = "refused" if needs_credentials else check.credentials
        check.problem = "credentials refused" if needs_credentials else "refused"
    else:
        check.problem = redact(str(exc))
    return check


def check_arxiv(settings: Settings, paper_id: str | None) -> tuple[Check, datetime | None]:
    """arXiv: the canary paper (``id_list``), or the newest paper of the first category; and when
    the canary paper was submitted, if it was asked for and found."""
    check = Check("arxiv", credentials="none needed", reach=REACH["arxiv"])
    session = make_session(retries=0)
    figures = _RateFigures()
    session.hooks["response"].append(figures)
    params: dict[str, Any] = (
        {"id_list": paper_id, "max_results": 1}
        if paper_id
        else {"search_query": f"cat:{settings.categories[0]}", "max_results": 1, "sortBy": "submittedDate"}
    )
    try:
        feed = arxiv.ask_once(session, endpoint(settings.urls["arxiv_api"], arxiv.API_PATH), params)
    except UpstreamError as exc:
        return _failed(check, exc, needs_credentials=False), None
    finally:
        check.rate_limit = figures.text()
    check.reachable = True
    if paper_id is None:
        return check, None
    found = [paper for paper in feed.papers if paper.id == paper_id]
    if not found:
        check.canary = f"{paper_id} not found"
        check.problem = "canary paper not found"
        return check, None
    check.canary = f"found {paper_id}"
    return check, parse_utc(found[0].published)


def recent_window(now: datetime) -> Window:
    """The hour before ``now``, as a window whose posts a search reads: the probe of a source
    when no canary paper is known, or when the canary's day is beyond the source's reach."""
    hour_ago = now - timedelta(hours=1)
    return Window(hour_ago.date(), hour_ago, now, hour_ago)


def check_source(name: str, settings: Settings, canary: Canary | None, now: datetime) -> Check:
    """One source: its probe over the canary's first day (or the last hour), and the canary."""
    source_class = KNOWN_SOURCES[name]
    needs_credentials = bool(SOURCE_CREDENTIALS[name]) and name != "github"
    reach = REACH[name]
    if name == "x" and settings.x_search == "all":
        reach = X_FULL_ARCHIVE
    check = Check(name, reach=reach, credentials="-" if needs_credentials else "none needed")
    if name == "github":
        check.credentials = "token" if _has(settings, "github_token") else "anonymous"
    source = source_class.connect(settings)
    figures = _RateFigures()
    source.session.hooks["response"].append(figures)
    window = canary.window if canary else recent_window(now)
    try:
        try:
            documents = source.probe(FetchRequest(window=window, now=now, settings=settings))
        except OutOfReachError:
            check.canary = "day beyond reach"
            documents = source.probe(FetchRequest(window=recent_window(now), now=now, settings=settings))
            canary = None
    except UpstreamError as exc:
        return _failed(check, exc, needs_credentials)
    except MissingCredentialError as exc:
        check.problem = redact(str(exc))
        return check
    finally:
        check.rate_limit = figures.text()
    check.reachable = True
    if needs_credentials:
        check.credentials = "accepted"
    if issubclass(source_class, PaperSignal):
        return check
    posts = source_class.read({document.name: document.body for document in documents}).posts
    if not posts:
        check.canary = "search found nothing"
        check.problem = "search found nothing"
        return check
    if canary is not None:
        linked = link_posts(posts, {canary.paper_id}).get(canary.paper_id, [])
        check.canary = f"{len(linked)} of {len(posts)} posts on {canary.paper_id}"
    elif check.canary == "-":
        check.canary = f"{len(posts)} posts"
    return check


def _has(settings: Settings, name: str) -> bool:
    try:
        credential(settings, name)
    except MissingCredentialError:
        return False
    return True


def diagnose(settings: Settings, store: Store | None, paper_id: str | None) -> list[Check]:
    """arXiv and every configured source, checked live, in order."""
    refuse_missing_credentials(settings)
    limited = doctor_settings(settings)
    now = settings.clock()
    canary = latest_canary(store) if paper_id is None and store is not None else None
    arxiv_check, submitted = check_arxiv(limited, paper_id or (canary.paper_id if canary else None))
    if paper_id is not None and submitted is not None:
        canary = Canary(paper_id, window_announcing(submitted, settings.arxiv_holidays))
    return [arxiv_check, *(check_source(name, limited, canary, now) for name in settings.sources)]


def report(checks: list[Check], table: Callable[[tuple[str, ...], list[tuple[str, ...]]], str]) -> int:
    """The table, and the exit status: 0 when every upstream answered well, else 1."""
    print(table(HEADERS, [check.row() for check in checks]))
    return OK if all(check.ok for check in checks) else FAILED


def deployed_environment(function: str, client: Any) -> Mapping[str, str]:
    """The environment the deployed function runs with (its configuration's variables)."""
    configuration = client.get_function_configuration(FunctionName=function)
    variables: Mapping[str, str] = configuration.get("Environment", {}).get("Variables", {})
    return variables

"""Configuration, read once from the environment into a typed, validated model.

Every variable is documented in docs/configuration.md. Optional settings have documented defaults; a
required one that is missing, or any value that does not parse, raises ``ConfigError``
naming the variable, before any work starts.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from hotpapers import redaction
from hotpapers.catalogue import CATALOGUE, KNOWN_SOURCE_NAMES, SECRET_CREDENTIALS
from hotpapers.holidays import PUBLISHED_HOLIDAYS

# Every upstream's base URL by key, each overridden by ``HOTPAPERS_<KEY>_URL``: arXiv's, and each
# source's own from the catalogue.
DEFAULT_URLS = {
    "arxiv_api": "https://export.arxiv.org/api/query",
    **{key: url for entry in CATALOGUE.values() for key, url in entry.urls.items()},
}
# Each source's credentials by name, as the catalogue declares them: all present puts a source in
# the default set; a post source cannot fetch without them.
SOURCE_CREDENTIALS: dict[str, tuple[str, ...]] = {
    name: tuple(credential.name for credential in entry.credentials) for name, entry in CATALOGUE.items()
}
DEFAULT_CATEGORIES = ("cs.*", "stat.ML")
# Page limits per source: X and Bluesky pages hold 100 posts, HN 100 stories, Reddit 100 threads;
# GitHub's limit is the stargazer pages read per repository (to count the stars of the window).
DEFAULT_MAX_PAGES = {"x": 50, "hackernews": 20, "bluesky": 20, "reddit": 10, "github": 3}
DEFAULT_SOURCE_TIMEOUT = 30.0
# The most one answer's body may hold, decompressed, in MiB: a source's page is mostly well under
# a MiB, and some 3 MiB at most (100 long X posts or Reddit threads with their text), an arXiv
# page of 2,000 entries about 5 MiB. Past it the answer is not read further: the source fails
# (arXiv: the fetch fails), and the fetch step's memory stays bounded (docs/reliability.md).
DEFAULT_MAX_BODY_MB = 8.0
DEFAULT_ARXIV_MAX_BODY_MB = 32.0
MIB = 2**20
# X's two search endpoints: recent (every project, the last 7 days) and full-archive (plans with
# access to it).
X_SEARCH_ENDPOINTS = ("recent", "all")
# The fetch step's own deadline (on Lambda, the invocation's remaining time may be shorter), and
# the most one source's fetch, then its enrichment, may take within it.
DEFAULT_FETCH_DEADLINE = 600.0
DEFAULT_SOURCE_BUDGET = 300.0
# A source whose day holds fewer posts than this share of its trailing median is ``suspect``.
DEFAULT_COLLAPSE_SHARE = 0.1
# A rerun with fewer than this share of the papers, or of a source's posts or engagement, that
# the day's sealed snapshot has is thinner: the sealed snapshot (and its digest) is kept.
DEFAULT_DEGRADED_SHARE = 0.5


@dataclass(frozen=True)
class SourceLimits:
    """How hard one attention source is tried: ``HOTPAPERS_<SOURCE>_TIMEOUT|RETRIES|BACKOFF|MAX_PAGES|MAX_BODY_MB``."""

    timeout: float
    """Seconds per request (connect and read)."""
    retries: int
    """Retries of a GET after throttling (429, ``Retry-After`` honoured), 5xx or a timeout."""
    backoff: float
    """Exponential backoff factor between retries, in seconds."""
    max_pages: int
    """The most listing pages read in one fetch."""
    max_body: int = int(DEFAULT_MAX_BODY_MB * MIB)
    """The most bytes one answer's body may hold, decompressed (``..._MAX_BODY_MB``)."""


class ConfigError(ValueError):
    """A required setting is missing or a setting does not parse."""


DEFAULT_REFRESH_AGES = (1, 3, 6)


@dataclass(frozen=True)
class Settings:
    """Everything the three steps read from the environment."""

    data_store: str | None
    site_store: str | None
    sources: tuple[str, ...]
    categories: tuple[str, ...]
    arxiv_holidays: frozenset[date]
    urls: Mapping[str, str]
    arxiv_delay: float
    now: datetime | None
    digest_lag_days: int
    min_score: int
    min_post_engagement: int
    max_posts: int
    http_retries: int
    http_backoff: float
    ssm_prefix: str | None
    secret_arn: str | None
    site_url: str
    limits: Mapping[str, SourceLimits]
    """Per attention source, every known one (configured or not)."""
    account_cap: int | None
    """The most one account's posts may add to one paper's score; ``None``: no cap."""
    ignored_accounts: frozenset[tuple[str, str]]
    """(source, lower-case handle) pairs whose posts are not counted at all."""
    github_max_repos: int
    reddit_user_agent: str | None
    """A User-Agent for Reddit replacing the one built from ``HOTPAPERS_REDDIT_USERNAME``."""
    posts_days: int
    """How many days after its announcement a day's posts are searched (a backfill's end)."""
    x_search: str
    """``recent`` (7 days back) or ``all`` (the full archive), X's search endpoint."""
    hf_days: int
    """How many days after the digest date Hugging Face's daily lists are read."""
    fetch_deadline: float
    """Seconds the fetch step may take: arXiv past it fails the step."""
    arxiv_max_body: int
    """The most bytes one arXiv answer's body may hold, decompressed (``HOTPAPERS_ARXIV_MAX_BODY_MB``)."""
    source_budget: float
    """Seconds one source's fetch (and, separately, its enrichment) may take before it is abandoned."""
    weights: Mapping[str, float] = field(default_factory=dict)
    """``HOTPAPERS_WEIGHTS``: per source, what one unit of its engagement adds to a score (default 1)."""
    embeds: bool = False
    """``HOTPAPERS_EMBEDS``: official X and Bluesky embeds (their scripts) instead of static posts."""
    collapse_share: float = DEFAULT_COLLAPSE_SHARE
    """``HOTPAPERS_COLLAPSE_SHARE``: below this share of its trailing median of posts, a source's
    day is ``suspect`` (0: never)."""
    degraded_share: float = DEFAULT_DEGRADED_SHARE
    """``HOTPAPERS_DEGRADED_SHARE``: a rerun below this share of the sealed snapshot's papers, or of
    a source's posts or engagement, keeps the sealed snapshot; 0 keeps none."""
    arxiv_lookback_days: int = 7
    """``HOTPAPERS_ARXIV_LOOKBACK_DAYS``: how many days of submission windows before a digest's own
    are read back for papers arXiv announced late (0: none)."""
    refresh_ages: tuple[int, ...] = ()
    """``HOTPAPERS_REFRESH_AGES``: the digest days counted again each day, by their age in days
    before today's run (default 1, 3, 6; empty: none)."""
    refresh_exclude: frozenset[str] = frozenset()
    """``HOTPAPERS_REFRESH_EXCLUDE``: sources never asked again by a refresh (their counts carried)."""

    def clock(self) -> datetime:
        """``HOTPAPERS_NOW`` when set (deterministic runs), otherwise the wall clock, in UTC."""
        return self.now or datetime.now(UTC).replace(microsecond=0)

    def required(self, name: str) -> str:
        """A setting the caller cannot work without, or ``ConfigError`` naming its variable."""
        value = getattr(self, name)
        if not value:
            raise ConfigError(f"HOTPAPERS_{name.upper()} is not set (see docs/configuration.md)")
        return str(value)


def _list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name)
    if raw is None:
        return default
    items = tuple(item.strip() for item in raw.split(",") if item.strip())
    return items


def _ages(env: Mapping[str, str], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    try:
        ages = tuple(sorted({int(item) for item in _list(env, name, tuple(map(str, default)))}))
    except ValueError as exc:
        raise ConfigError(f"{name} must list whole numbers of days, e.g. 1,3,6: {exc}") from exc
    if any(age < 1 for age in ages):
        raise ConfigError(f"{name} must list ages of at least 1 day, e.g. 1,3,6")
    return ages


def _number(env: Mapping[str, str], name: str, default: float, kind: type[float] | type[int]) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a valid {kind.__name__}") from exc
    if value < 0:
        raise ConfigError(f"{name}={raw!r} must not be negative")
    return value


def _positive(env: Mapping[str, str], name: str, default: float, kind: type[float] | type[int] = float) -> float:
    value = _number(env, name, default, kind)
    if value == 0:
        raise ConfigError(f"{name} must be positive")
    return value


def _share(env: Mapping[str, str], name: str, default: float) -> float:
    """A share from 0 to 1."""
    value = float(_number(env, name, default, float))
    if not value <= 1:  # not NaN either
        raise ConfigError(f"{name}={env[name]!r} is not a share from 0 to 1")
    return value


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """One of ``choices``, the first by default."""
    value = (env.get(name) or choices[0]).strip().lower()
    if value not in choices:
        raise ConfigError(f"{name}={env[name]!r} is not one of {', '.join(choices)}")
    return value


def _limits(env: Mapping[str, str], name: str, retries: int, backoff: float) -> SourceLimits:
    """A source's limits; its retries and backoff default to ``HOTPAPERS_HTTP_RETRIES|BACKOFF``."""
    prefix = f"HOTPAPERS_{name.upper()}_"
    limits = SourceLimits(
        timeout=float(_number(env, prefix + "TIMEOUT", DEFAULT_SOURCE_TIMEOUT, float)),
        retries=int(_number(env, prefix + "RETRIES", retries, int)),
        backoff=float(_number(env, prefix + "BACKOFF", backoff, float)),
        max_pages=int(_number(env, prefix + "MAX_PAGES", DEFAULT_MAX_PAGES.get(name, 20), int)),
        max_body=int(_positive(env, prefix + "MAX_BODY_MB", DEFAULT_MAX_BODY_MB) * MIB),
    )
    if limits.timeout == 0 or limits.max_pages == 0:
        raise ConfigError(f"{prefix}TIMEOUT and {prefix}MAX_PAGES must be positive")
    return limits


def _accounts(env: Mapping[str, str], known: Iterable[str]) -> frozenset[tuple[str, str]]:
    """``HOTPAPERS_IGNORED_ACCOUNTS``: ``source:handle`` entries, comma-separated."""
    accounts = set()
    for entry in _list(env, "HOTPAPERS_IGNORED_ACCOUNTS", ()):
        source, _, handle = entry.partition(":")
        handle = handle.strip().removeprefix("@").lower()
        if source.strip() not in known or not handle:
            raise ConfigError(
                f"HOTPAPERS_IGNORED_ACCOUNTS entry {entry!r} is not <source>:<handle> "
                f"with a source among {', '.join(sorted(known))}"
            )
        accounts.add((source.strip(), handle))
    return frozenset(accounts)


def _weights(env: Mapping[str, str], known: Iterable[str]) -> dict[str, float]:
    """``HOTPAPERS_WEIGHTS``: ``source:weight`` entries, comma-separated, e.g. ``x:1,hackernews:0.5``."""
    weights = {}
    for entry in _list(env, "HOTPAPERS_WEIGHTS", ()):
        source, _, raw = entry.partition(":")
        try:
            weight = float(raw)
        except ValueError:
            weight = -1.0
        if source.strip() not in known or not weight >= 0:
            raise ConfigError(
                f"HOTPAPERS_WEIGHTS entry {entry!r} is not <source>:<non-negative number> "
                f"with a source among {', '.join(sorted(known))}"
            )
        weights[source.strip()] = weight
    return weights


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw not in ("", "0", "1", "true", "false", "yes", "no", "on", "off"):
        raise ConfigError(f"{name}={env[name]!r} is not a yes/no value (1, 0, true, false)")
    return raw in ("1", "true", "yes", "on")


def _dates(env: Mapping[str, str], name: str) -> frozenset[date]:
    try:
        return frozenset(date.fromisoformat(item) for item in _list(env, name, ()))
    except ValueError as exc:
        raise ConfigError(f"{name}={env[name]!r} is not a comma-separated list of YYYY-MM-DD dates") from exc


def _holidays(env: Mapping[str, str]) -> frozenset[date]:
    """``HOTPAPERS_ARXIV_HOLIDAYS``: unset or blank, arXiv's published schedule; ``none``, no holiday
    at all; otherwise the dates listed, in place of the published ones."""
    name = "HOTPAPERS_ARXIV_HOLIDAYS"
    if not (env.get(name) or "").strip():
        return PUBLISHED_HOLIDAYS
    if env[name].strip().lower() == "none":
        return frozenset()
    return _dates(env, name)


def parse_now(raw: str) -> datetime:
    """An ISO 8601 instant; naive values are taken as UTC."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ConfigError(f"HOTPAPERS_NOW={raw!r} is not an ISO 8601 date-time (e.g. 2020-07-10T07:46:45Z)") from exc
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def default_sources(env: Mapping[str, str]) -> tuple[str, ...]:
    """Every source that needs no credentials, plus each whose credentials are all in ``env``."""
    return tuple(
        name
        for name, needed in SOURCE_CREDENTIALS.items()
        if all(env.get(f"HOTPAPERS_{credential.upper()}") for credential in needed)
    )


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the ``HOTPAPERS_*`` variables."""
    env = os.environ if env is None else env
    redaction.register_from(env, SECRET_CREDENTIALS)
    # Unset or blank: the default set (the template passes a blank parameter through).
    sources = _list(env, "HOTPAPERS_SOURCES", ()) or default_sources(env)
    unknown = sorted(set(sources) - set(KNOWN_SOURCE_NAMES))
    if unknown:
        raise ConfigError(
            f"HOTPAPERS_SOURCES names unknown sources {unknown}; known: {', '.join(sorted(KNOWN_SOURCE_NAMES))}"
        )
    categories = _list(env, "HOTPAPERS_CATEGORIES", DEFAULT_CATEGORIES)
    if not categories:
        raise ConfigError("HOTPAPERS_CATEGORIES is empty; name at least one arXiv category, e.g. cs.*")
    urls = {key: env.get(f"HOTPAPERS_{key.upper()}_URL") or default for key, default in DEFAULT_URLS.items()}
    if env.get("HOTPAPERS_X_API_URL") and not env.get("HOTPAPERS_X_OEMBED_URL"):
        # X pointed at a stand-in: its posts' embeds are asked there too, never of the real X.
        urls["x_oembed"] = urls["x_api"]
    now = env.get("HOTPAPERS_NOW")
    http_retries = int(_number(env, "HOTPAPERS_HTTP_RETRIES", 4, int))
    http_backoff = float(_number(env, "HOTPAPERS_HTTP_BACKOFF", 1.0, float))
    return Settings(
        data_store=env.get("HOTPAPERS_DATA_STORE") or None,
        site_store=env.get("HOTPAPERS_SITE_STORE") or None,
        sources=sources,
        categories=categories,
        arxiv_holidays=_holidays(env),
        urls=urls,
        arxiv_delay=float(_number(env, "HOTPAPERS_ARXIV_DELAY", 3.0, float)),
        arxiv_lookback_days=int(_number(env, "HOTPAPERS_ARXIV_LOOKBACK_DAYS", 7, int)),
        now=parse_now(now) if now else None,
        digest_lag_days=int(_number(env, "HOTPAPERS_DIGEST_LAG_DAYS", 1, int)),
        min_score=int(_number(env, "HOTPAPERS_MIN_SCORE", 50, int)),
        min_post_engagement=int(_number(env, "HOTPAPERS_MIN_POST_ENGAGEMENT", 25, int)),
        max_posts=int(_number(env, "HOTPAPERS_MAX_POSTS", 10, int)),
        http_retries=http_retries,
        http_backoff=http_backoff,
        ssm_prefix=env.get("HOTPAPERS_SSM_PREFIX") or None,
        secret_arn=env.get("HOTPAPERS_SECRET_ARN") or None,
        site_url=(env.get("HOTPAPERS_SITE_URL") or "").rstrip("/"),
        limits={name: _limits(env, name, http_retries, http_backoff) for name in KNOWN_SOURCE_NAMES},
        # 0, like unset, means no cap: the seed's counting.
        account_cap=int(_number(env, "HOTPAPERS_ACCOUNT_CAP", 0, int)) or None,
        ignored_accounts=_accounts(env, KNOWN_SOURCE_NAMES),
        github_max_repos=int(_number(env, "HOTPAPERS_GITHUB_MAX_REPOS", 50, int)),
        reddit_user_agent=env.get("HOTPAPERS_REDDIT_USER_AGENT") or None,
        posts_days=int(_positive(env, "HOTPAPERS_POSTS_DAYS", 7, int)),
        x_search=_choice(env, "HOTPAPERS_X_SEARCH", X_SEARCH_ENDPOINTS),
        hf_days=int(_number(env, "HOTPAPERS_HF_DAYS", 7, int)),
        weights=_weights(env, KNOWN_SOURCE_NAMES),
        embeds=_flag(env, "HOTPAPERS_EMBEDS"),
        fetch_deadline=_positive(env, "HOTPAPERS_FETCH_DEADLINE", DEFAULT_FETCH_DEADLINE),
        arxiv_max_body=int(_positive(env, "HOTPAPERS_ARXIV_MAX_BODY_MB", DEFAULT_ARXIV_MAX_BODY_MB) * MIB),
        source_budget=_positive(env, "HOTPAPERS_SOURCE_BUDGET", DEFAULT_SOURCE_BUDGET),
        collapse_share=_share(env, "HOTPAPERS_COLLAPSE_SHARE", DEFAULT_COLLAPSE_SHARE),
        degraded_share=_share(env, "HOTPAPERS_DEGRADED_SHARE", DEFAULT_DEGRADED_SHARE),
        refresh_ages=_ages(env, "HOTPAPERS_REFRESH_AGES", DEFAULT_REFRESH_AGES),
        refresh_exclude=frozenset(_list(env, "HOTPAPERS_REFRESH_EXCLUDE", ())),
    )

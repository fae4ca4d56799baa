"""Configuration, read once from the environment into a typed, validated model.

Every variable is documented in README.md. Optional settings have documented defaults; a
required one that is missing, or any value that does not parse, raises ``ConfigError``
naming the variable, before any work starts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

DEFAULT_URLS = {
    "arxiv_api": "https://export.arxiv.org/api/query",
    "x_api": "https://api.x.com",
    "x_oembed": "https://publish.twitter.com/oembed",
    "hf_api": "https://huggingface.co/api",
}
DEFAULT_SOURCES = ("x", "huggingface")
DEFAULT_CATEGORIES = ("cs.*", "stat.ML")


class ConfigError(ValueError):
    """A required setting is missing or a setting does not parse."""


@dataclass(frozen=True)
class Settings:
    """Everything the three steps read from the environment."""

    data_store: str | None
    site_store: str | None
    sources: tuple[str, ...]
    categories: tuple[str, ...]
    urls: Mapping[str, str]
    arxiv_delay: float
    now: datetime | None
    digest_lag_days: int
    min_score: int
    min_post_engagement: int
    max_posts: int
    x_max_pages: int
    http_retries: int
    http_backoff: float
    ssm_prefix: str | None
    site_url: str

    def clock(self) -> datetime:
        """``HOTPAPERS_NOW`` when set (deterministic runs), otherwise the wall clock, in UTC."""
        return self.now or datetime.now(UTC).replace(microsecond=0)

    def required(self, name: str) -> str:
        """A setting the caller cannot work without, or ``ConfigError`` naming its variable."""
        value = getattr(self, name)
        if not value:
            raise ConfigError(f"HOTPAPERS_{name.upper()} is not set (see README.md, 'Configuration')")
        return str(value)


def _list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name)
    if raw is None:
        return default
    items = tuple(item.strip() for item in raw.split(",") if item.strip())
    return items


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


def parse_now(raw: str) -> datetime:
    """An ISO 8601 instant; naive values are taken as UTC."""
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ConfigError(f"HOTPAPERS_NOW={raw!r} is not an ISO 8601 date-time (e.g. 2020-07-10T07:46:45Z)") from exc
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the ``HOTPAPERS_*`` variables."""
    from hotpapers.sources import KNOWN_SOURCES  # the registry lives with the sources

    env = os.environ if env is None else env
    sources = _list(env, "HOTPAPERS_SOURCES", DEFAULT_SOURCES)
    unknown = sorted(set(sources) - set(KNOWN_SOURCES))
    if unknown:
        raise ConfigError(
            f"HOTPAPERS_SOURCES names unknown sources {unknown}; known: {', '.join(sorted(KNOWN_SOURCES))}"
        )
    categories = _list(env, "HOTPAPERS_CATEGORIES", DEFAULT_CATEGORIES)
    if not categories:
        raise ConfigError("HOTPAPERS_CATEGORIES is empty; name at least one arXiv category, e.g. cs.*")
    urls = {key: env.get(f"HOTPAPERS_{key.upper()}_URL") or default for key, default in DEFAULT_URLS.items()}
    now = env.get("HOTPAPERS_NOW")
    return Settings(
        data_store=env.get("HOTPAPERS_DATA_STORE") or None,
        site_store=env.get("HOTPAPERS_SITE_STORE") or None,
        sources=sources,
        categories=categories,
        urls=urls,
        arxiv_delay=float(_number(env, "HOTPAPERS_ARXIV_DELAY", 3.0, float)),
        now=parse_now(now) if now else None,
        digest_lag_days=int(_number(env, "HOTPAPERS_DIGEST_LAG_DAYS", 1, int)),
        min_score=int(_number(env, "HOTPAPERS_MIN_SCORE", 50, int)),
        min_post_engagement=int(_number(env, "HOTPAPERS_MIN_POST_ENGAGEMENT", 25, int)),
        max_posts=int(_number(env, "HOTPAPERS_MAX_POSTS", 10, int)),
        x_max_pages=int(_number(env, "HOTPAPERS_X_MAX_PAGES", 50, int)),
        http_retries=int(_number(env, "HOTPAPERS_HTTP_RETRIES", 4, int)),
        http_backoff=float(_number(env, "HOTPAPERS_HTTP_BACKOFF", 1.0, float)),
        ssm_prefix=env.get("HOTPAPERS_SSM_PREFIX") or None,
        site_url=(env.get("HOTPAPERS_SITE_URL") or "").rstrip("/"),
    )

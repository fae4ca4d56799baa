"""Each source is switched on, pointed and limited by its own settings, validated before any work."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hotpapers.config import KNOWN_SOURCE_NAMES, ConfigError, load_settings
from hotpapers.sources import KNOWN_SOURCES


def test_the_registry_is_the_counts_lines_order_and_the_settings_names() -> None:
    assert list(KNOWN_SOURCES) == ["x", "hackernews", "bluesky", "reddit", "huggingface", "github"]
    assert tuple(KNOWN_SOURCES) == KNOWN_SOURCE_NAMES


def test_the_settings_load_without_the_source_registry() -> None:
    # Given a fresh interpreter
    # When the settings are loaded
    code = (
        "import sys; from hotpapers.config import load_settings; load_settings({}); "
        "print('hotpapers.sources' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Then the sources were never imported: config does not depend on them
    assert loaded.stdout.strip() == "False"


def test_the_default_sources_need_no_credentials_plus_those_whose_credentials_are_set() -> None:
    # Given no HOTPAPERS_SOURCES and no credentials
    # Then the credential-free post sources are used
    assert load_settings({}).sources == ("hackernews", "huggingface")
    assert load_settings({"HOTPAPERS_SOURCES": " "}).sources == ("hackernews", "huggingface")
    # Given an X token, complete Bluesky credentials, and Reddit's without its username
    env = {
        "HOTPAPERS_X_BEARER_TOKEN": "t",
        "HOTPAPERS_BLUESKY_HANDLE": "me.bsky.social",
        "HOTPAPERS_BLUESKY_APP_PASSWORD": "p",
        "HOTPAPERS_REDDIT_CLIENT_ID": "id",
        "HOTPAPERS_REDDIT_CLIENT_SECRET": "s",
        "HOTPAPERS_GITHUB_TOKEN": "g",
    }
    # Then X, Bluesky and GitHub join, Reddit does not, in the counts line's order
    assert load_settings(env).sources == ("x", "hackernews", "bluesky", "huggingface", "github")
    # And the seed's X-only day is one setting away
    assert load_settings({**env, "HOTPAPERS_SOURCES": "x"}).sources == ("x",)


def test_every_source_is_switched_on_by_name_and_its_base_url_overridable() -> None:
    settings = load_settings(
        {
            "HOTPAPERS_SOURCES": "hackernews,bluesky,reddit,github",
            "HOTPAPERS_HN_API_URL": "http://127.0.0.1:9/hn",
            "HOTPAPERS_BLUESKY_API_URL": "http://127.0.0.1:9/bsky",
            "HOTPAPERS_REDDIT_AUTH_URL": "http://127.0.0.1:9/token",
            "HOTPAPERS_REDDIT_API_URL": "http://127.0.0.1:9/reddit",
            "HOTPAPERS_GITHUB_API_URL": "http://127.0.0.1:9/gh",
        }
    )
    assert settings.sources == ("hackernews", "bluesky", "reddit", "github")
    assert [settings.urls[key] for key in ("hn_api", "bluesky_api", "reddit_auth", "reddit_api", "github_api")] == [
        "http://127.0.0.1:9/hn",
        "http://127.0.0.1:9/bsky",
        "http://127.0.0.1:9/token",
        "http://127.0.0.1:9/reddit",
        "http://127.0.0.1:9/gh",
    ]


def test_limits_default_to_the_http_settings_and_each_source_can_have_its_own() -> None:
    # Given global retry settings, and Reddit and HN with their own
    settings = load_settings(
        {
            "HOTPAPERS_HTTP_RETRIES": "3",
            "HOTPAPERS_HTTP_BACKOFF": "0.5",
            "HOTPAPERS_REDDIT_RETRIES": "1",
            "HOTPAPERS_REDDIT_BACKOFF": "0",
            "HOTPAPERS_HACKERNEWS_TIMEOUT": "2.5",
            "HOTPAPERS_HACKERNEWS_MAX_PAGES": "4",
            "HOTPAPERS_X_MAX_PAGES": "7",
        }
    )
    # Then each source has its own, falling back to the global ones
    reddit, hn, bluesky = (settings.limits[name] for name in ("reddit", "hackernews", "bluesky"))
    assert (reddit.retries, reddit.backoff) == (1, 0.0)
    assert (hn.timeout, hn.max_pages, hn.retries, hn.backoff) == (2.5, 4, 3, 0.5)
    assert (bluesky.timeout, bluesky.retries, bluesky.max_pages) == (30.0, 3, 20)
    assert settings.limits["x"].max_pages == 7


def test_a_sources_session_carries_its_limits_and_headers() -> None:
    settings = load_settings(
        {"HOTPAPERS_REDDIT_RETRIES": "2", "HOTPAPERS_REDDIT_BACKOFF": "0.1", "HOTPAPERS_REDDIT_USER_AGENT": "ua/1"}
    )
    reddit = KNOWN_SOURCES["reddit"].connect(settings)
    retry = reddit.session.get_adapter("https://oauth.reddit.com").max_retries  # type: ignore[attr-defined]
    assert (retry.total, retry.backoff_factor, retry.respect_retry_after_header) == (2, 0.1, True)
    assert reddit.session.headers["User-Agent"] == "ua/1"
    github = KNOWN_SOURCES["github"].connect(settings)
    assert github.session.headers["Accept"] == "application/vnd.github+json"


def test_ignored_accounts_name_their_source_and_the_cap_is_off_unless_set() -> None:
    settings = load_settings({"HOTPAPERS_IGNORED_ACCOUNTS": "x:@ArxivBot, bluesky:Mirror.bsky.social"})
    assert settings.ignored_accounts == frozenset({("x", "arxivbot"), ("bluesky", "mirror.bsky.social")})
    assert settings.account_cap is None
    assert load_settings({"HOTPAPERS_ACCOUNT_CAP": "0"}).account_cap is None
    assert load_settings({"HOTPAPERS_ACCOUNT_CAP": "40"}).account_cap == 40


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HOTPAPERS_IGNORED_ACCOUNTS": "arxivbot"}, "is not <source>:<handle>"),
        ({"HOTPAPERS_IGNORED_ACCOUNTS": "myspace:tom"}, "is not <source>:<handle>"),
        ({"HOTPAPERS_IGNORED_ACCOUNTS": "x:"}, "is not <source>:<handle>"),
        ({"HOTPAPERS_GITHUB_TIMEOUT": "0"}, "HOTPAPERS_GITHUB_TIMEOUT"),
        ({"HOTPAPERS_BLUESKY_MAX_PAGES": "many"}, "HOTPAPERS_BLUESKY_MAX_PAGES"),
        ({"HOTPAPERS_ACCOUNT_CAP": "-5"}, "HOTPAPERS_ACCOUNT_CAP"),
    ],
)
def test_bad_source_settings_name_their_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env)

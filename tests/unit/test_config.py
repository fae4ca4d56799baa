import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hotpapers.config import ConfigError, load_settings
from hotpapers.holidays import PUBLISHED_HOLIDAYS
from hotpapers.upstream import endpoint


def test_defaults_reproduce_the_seed() -> None:
    settings = load_settings({})
    assert settings.categories == ("cs.*", "stat.ML")
    assert settings.arxiv_delay == 3.0
    assert (settings.min_score, settings.min_post_engagement, settings.max_posts) == (50, 25, 10)
    assert settings.urls["arxiv_api"] == "https://export.arxiv.org/api/query"


def test_every_upstream_url_can_be_overridden() -> None:
    settings = load_settings(
        {"HOTPAPERS_X_OEMBED_URL": "http://127.0.0.1:9/oembed", "HOTPAPERS_HF_API_URL": "http://h"}
    )
    assert settings.urls["x_oembed"] == "http://127.0.0.1:9/oembed"
    assert settings.urls["hf_api"] == "http://h"


def test_oembed_follows_an_overridden_x_api_unless_set_itself() -> None:
    # Given X pointed at a loopback stand-in, and nothing said of oEmbed
    settings = load_settings({"HOTPAPERS_X_API_URL": "http://127.0.0.1:9"})
    # Then oEmbed is asked of the stand-in as well, never of the real publish.twitter.com
    assert endpoint(settings.urls["x_oembed"], "/oembed") == "http://127.0.0.1:9/oembed"
    both = load_settings({"HOTPAPERS_X_API_URL": "http://127.0.0.1:9", "HOTPAPERS_X_OEMBED_URL": "http://o/oembed"})
    assert both.urls["x_oembed"] == "http://o/oembed"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HOTPAPERS_SOURCES": "x,myspace"}, "unknown sources"),
        ({"HOTPAPERS_ARXIV_DELAY": "soon"}, "HOTPAPERS_ARXIV_DELAY"),
        ({"HOTPAPERS_ARXIV_DELAY": "-1"}, "must not be negative"),
        ({"HOTPAPERS_NOW": "yesterday"}, "HOTPAPERS_NOW"),
        ({"HOTPAPERS_CATEGORIES": " , "}, "HOTPAPERS_CATEGORIES"),
        ({"HOTPAPERS_ARXIV_HOLIDAYS": "2026-12-24,Christmas"}, "HOTPAPERS_ARXIV_HOLIDAYS"),
    ],
)
def test_bad_values_name_their_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_a_missing_store_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="HOTPAPERS_DATA_STORE is not set"):
        load_settings({}).required("data_store")


def test_now_is_read_as_utc() -> None:
    assert load_settings({"HOTPAPERS_NOW": "2020-07-10T07:46:45Z"}).clock().isoformat() == "2020-07-10T07:46:45+00:00"
    assert load_settings({"HOTPAPERS_NOW": "2020-07-10T09:46:45+02:00"}).clock().hour == 7


@pytest.mark.parametrize(
    ("base", "path", "expected"),
    [
        ("https://export.arxiv.org/api/query", "/api/query", "https://export.arxiv.org/api/query"),
        ("http://127.0.0.1:8000", "/api/query", "http://127.0.0.1:8000/api/query"),
        ("http://127.0.0.1:8000/", "/api/query", "http://127.0.0.1:8000/api/query"),
        ("https://huggingface.co/api", "/api/daily_papers", "https://huggingface.co/api/daily_papers"),
        ("https://api.x.com", "/2/tweets/search/recent", "https://api.x.com/2/tweets/search/recent"),
        ("http://127.0.0.1:9/2", "/2/tweets/search/recent", "http://127.0.0.1:9/2/tweets/search/recent"),
        ("http://127.0.0.1:9/stand-in", "/oembed", "http://127.0.0.1:9/stand-in/oembed"),
    ],
)
def test_base_urls_join_api_paths_however_much_of_the_path_they_hold(base: str, path: str, expected: str) -> None:
    assert endpoint(base, path) == expected


def test_weights_and_embeds_are_read_and_checked() -> None:
    # Given weights for two sources and embeds turned on
    settings = load_settings({"HOTPAPERS_WEIGHTS": "x:1, hackernews:0.5", "HOTPAPERS_EMBEDS": "yes"})
    # Then both are read, and the defaults are the seed's (no weight set, no embeds)
    assert settings.weights == {"x": 1.0, "hackernews": 0.5}
    assert settings.embeds is True
    assert (load_settings({}).weights, load_settings({}).embeds) == ({}, False)
    # And unknown sources, negative or unreadable weights and odd flags are refused, naming the variable
    for env in ({"HOTPAPERS_WEIGHTS": "mastodon:1"}, {"HOTPAPERS_WEIGHTS": "x:-1"}, {"HOTPAPERS_WEIGHTS": "x:lots"}):
        with pytest.raises(ConfigError, match="HOTPAPERS_WEIGHTS"):
            load_settings(env)
    with pytest.raises(ConfigError, match="HOTPAPERS_EMBEDS"):
        load_settings({"HOTPAPERS_EMBEDS": "maybe"})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[("", False), ("0", False), ("false", False), ("No", False), ("OFF", False)],
        *[("1", True), ("TRUE", True), ("yes", True), (" On ", True)],
    ],
)
def test_every_yes_no_spelling_is_read_for_what_it_says(raw: str, expected: bool) -> None:
    # Given a yes/no setting in any documented spelling / When read / Then it means what it says
    assert load_settings({"HOTPAPERS_EMBEDS": raw}).embeds is expected


def test_a_yes_no_setting_in_no_known_spelling_is_refused() -> None:
    with pytest.raises(ConfigError, match="HOTPAPERS_EMBEDS='maybe' is not a yes/no value"):
        load_settings({"HOTPAPERS_EMBEDS": "maybe"})


@pytest.mark.usefixtures("tokyo_machine")
def test_the_clock_is_utc_whole_seconds_whatever_the_machines_zone() -> None:
    # Given the wall clock (no HOTPAPERS_NOW) / When read
    now = load_settings({}).clock()
    # Then it is an aware UTC instant without fractions of a second
    assert now.utcoffset() == timedelta(0)
    assert now.microsecond == 0
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


@pytest.mark.usefixtures("tokyo_machine")
def test_hotpapers_now_naive_is_utc_and_aware_is_converted_to_utc_whatever_the_machines_zone() -> None:
    # Given HOTPAPERS_NOW naive, and with an offset / When read
    naive = load_settings({"HOTPAPERS_NOW": "2020-07-10T07:46:45"}).clock()
    offset = load_settings({"HOTPAPERS_NOW": "2020-07-10T09:46:45+02:00"}).clock()
    # Then both are the same UTC instant, in UTC
    assert naive == offset == datetime(2020, 7, 10, 7, 46, 45, tzinfo=UTC)
    assert naive.utcoffset() == offset.utcoffset() == UTC.utcoffset(None)
    assert (naive.hour, offset.hour) == (7, 7)


def test_settings_are_read_from_the_environment_when_none_are_given(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a setting in the process environment / When settings are loaded without a mapping
    monkeypatch.setenv("HOTPAPERS_MIN_SCORE", "7")
    # Then the environment's value is used
    assert load_settings().min_score == 7


def test_a_required_setting_is_returned_when_set_and_named_when_not() -> None:
    # Given a site address set, and settings without one
    settings = load_settings({"HOTPAPERS_SITE_URL": "https://papers.example"})
    # Then the set one is returned as it is, and the missing one is named
    assert settings.required("site_url") == "https://papers.example"
    with pytest.raises(ConfigError, match="HOTPAPERS_SITE_URL is not set"):
        load_settings({}).required("site_url")


def test_an_empty_number_setting_takes_its_default() -> None:
    assert load_settings({"HOTPAPERS_MIN_SCORE": ""}).min_score == 50


def test_each_source_has_its_own_page_cap_and_a_zero_cap_is_refused() -> None:
    # Given no page caps set / Then each source has its own default, 20 for one without
    limits = load_settings({}).limits
    assert (limits["x"].max_pages, limits["reddit"].max_pages, limits["huggingface"].max_pages) == (50, 10, 20)
    # And a cap of one page is allowed, none is not
    assert load_settings({"HOTPAPERS_X_MAX_PAGES": "1"}).limits["x"].max_pages == 1
    with pytest.raises(ConfigError, match="HOTPAPERS_X_TIMEOUT and HOTPAPERS_X_MAX_PAGES must be positive"):
        load_settings({"HOTPAPERS_X_MAX_PAGES": "0"})


def test_an_ignored_account_may_be_a_bluesky_did_with_colons() -> None:
    # Given a Bluesky account named by its DID / When read / Then the handle is everything after the source
    settings = load_settings({"HOTPAPERS_IGNORED_ACCOUNTS": "bluesky:did:plc:abc123"})
    assert settings.ignored_accounts == frozenset({("bluesky", "did:plc:abc123")})


@pytest.mark.parametrize(
    ("name", "value"),
    [("HOTPAPERS_IGNORED_ACCOUNTS", "mastodon:a"), ("HOTPAPERS_WEIGHTS", "mastodon:1")],
)
def test_an_entry_for_an_unknown_source_is_refused_with_the_known_ones_listed(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match="with a source among bluesky, github, hackernews, huggingface, reddit, x"):
        load_settings({name: value})


def test_a_zero_weight_is_allowed_and_mutes_a_source() -> None:
    assert load_settings({"HOTPAPERS_WEIGHTS": "x:0"}).weights == {"x": 0.0}


def test_a_choice_outside_its_list_is_refused_with_the_list() -> None:
    with pytest.raises(ConfigError, match=r"HOTPAPERS_X_SEARCH='old' is not one of recent, all"):
        load_settings({"HOTPAPERS_X_SEARCH": "old"})


def test_every_single_valued_default_is_the_one_docs_configuration_states() -> None:
    # Given the rows of docs/configuration.md whose default is one value, for a setting of that name
    docs = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `HOTPAPERS_(\w+)` \| `([^`]+)` \|", docs, flags=re.MULTILINE)
    settings = load_settings({})
    documented = {name.lower(): value for name, value in rows if hasattr(settings, name.lower())}
    assert {"digest_lag_days", "http_retries", "http_backoff", "github_max_repos", "hf_days"} <= set(documented)
    # Then each setting read from an empty environment is that value
    for name, value in documented.items():
        actual = getattr(settings, name)
        shown = ",".join(map(str, actual)) if isinstance(actual, tuple | list) else actual
        assert shown == value if isinstance(shown, str) else shown == float(value), name


def test_every_setting_is_read_from_its_own_variable() -> None:
    # Given every plain setting set to a value none has by default
    settings = load_settings(
        {
            "HOTPAPERS_DATA_STORE": "s3://data-bucket",
            "HOTPAPERS_SITE_STORE": "/srv/site",
            "HOTPAPERS_SSM_PREFIX": "/hotpapers",
            "HOTPAPERS_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:hp",
            "HOTPAPERS_SITE_URL": "https://papers.example/",
            "HOTPAPERS_DIGEST_LAG_DAYS": "2",
            "HOTPAPERS_HTTP_RETRIES": "6",
            "HOTPAPERS_HTTP_BACKOFF": "0.5",
            "HOTPAPERS_GITHUB_MAX_REPOS": "9",
            "HOTPAPERS_POSTS_DAYS": "3",
            "HOTPAPERS_HF_DAYS": "4",
            "HOTPAPERS_FETCH_DEADLINE": "120.5",
            "HOTPAPERS_SOURCE_BUDGET": "60.5",
        }
    )
    # Then each is read, numbers as their type, the site URL without its trailing slash
    assert (settings.data_store, settings.site_store) == ("s3://data-bucket", "/srv/site")
    assert (settings.ssm_prefix, settings.secret_arn) == ("/hotpapers", "arn:aws:secretsmanager:us-east-1:1:secret:hp")
    assert settings.site_url == "https://papers.example"
    read = (settings.digest_lag_days, settings.http_retries, settings.github_max_repos)
    assert read == (2, 6, 9)
    assert (settings.posts_days, settings.hf_days) == (3, 4)
    assert all(isinstance(value, int) for value in (*read, settings.posts_days, settings.hf_days))
    assert (settings.http_backoff, settings.fetch_deadline, settings.source_budget) == (0.5, 120.5, 60.5)
    # And the stores and AWS names left blank are unset, not empty
    names = ("HOTPAPERS_DATA_STORE", "HOTPAPERS_SITE_STORE", "HOTPAPERS_SSM_PREFIX", "HOTPAPERS_SECRET_ARN")
    blank = load_settings(dict.fromkeys(names, ""))
    assert (blank.data_store, blank.site_store, blank.ssm_prefix, blank.secret_arn) == (None, None, None, None)


def test_a_refused_source_list_or_an_empty_category_list_says_what_to_write() -> None:
    with pytest.raises(ConfigError) as unknown:
        load_settings({"HOTPAPERS_SOURCES": "x,myspace"})
    assert str(unknown.value) == (
        "HOTPAPERS_SOURCES names unknown sources ['myspace']; "
        "known: bluesky, github, hackernews, huggingface, reddit, x"
    )
    with pytest.raises(ConfigError) as empty:
        load_settings({"HOTPAPERS_CATEGORIES": " , "})
    assert str(empty.value) == "HOTPAPERS_CATEGORIES is empty; name at least one arXiv category, e.g. cs.*"


def test_every_answer_has_a_body_limit_per_source_and_for_arxiv_in_mib() -> None:
    # Given no limit set / When read / Then 8 MiB per source answer and 32 MiB per arXiv answer
    defaults = load_settings({})
    assert {limits.max_body for limits in defaults.limits.values()} == {8 * 2**20}
    assert defaults.arxiv_max_body == 32 * 2**20
    # And each is set on its own, fractions of a MiB included, never to nothing
    settings = load_settings({"HOTPAPERS_HACKERNEWS_MAX_BODY_MB": "0.5", "HOTPAPERS_ARXIV_MAX_BODY_MB": "64"})
    assert settings.limits["hackernews"].max_body == 2**19
    assert settings.limits["x"].max_body == 8 * 2**20
    assert settings.arxiv_max_body == 64 * 2**20
    with pytest.raises(ConfigError, match="HOTPAPERS_X_MAX_BODY_MB must be positive"):
        load_settings({"HOTPAPERS_X_MAX_BODY_MB": "0"})


@pytest.mark.parametrize(("raw", "expected"), [(None, 0.5), ("0", 0.0), ("0.8", 0.8), ("1", 1.0)])
def test_the_share_a_rerun_must_keep_is_read_from_0_to_1(raw: str | None, expected: float) -> None:
    env = {} if raw is None else {"HOTPAPERS_DEGRADED_SHARE": raw}
    assert load_settings(env).degraded_share == expected


@pytest.mark.parametrize("raw", ["1.01", "nan", "-0.1", "half"])
def test_a_share_a_rerun_must_keep_outside_0_to_1_is_refused(raw: str) -> None:
    with pytest.raises(ConfigError, match="HOTPAPERS_DEGRADED_SHARE"):
        load_settings({"HOTPAPERS_DEGRADED_SHARE": raw})


def test_arxivs_published_holidays_are_the_default_and_a_setting_replaces_them() -> None:
    # Given no holiday setting, a blank one (as the template passes it), "none", and a list
    published, blank = load_settings({}), load_settings({"HOTPAPERS_ARXIV_HOLIDAYS": " "})
    none = load_settings({"HOTPAPERS_ARXIV_HOLIDAYS": " None "})
    listed = load_settings({"HOTPAPERS_ARXIV_HOLIDAYS": "2026-06-09,2026-06-10"})
    # Then the first two are arXiv's published schedule: Thanksgiving 2026's Friday digest and the
    # year end's skipped evenings among them, as the digest dates they would have made
    assert published.arxiv_holidays == blank.arxiv_holidays == PUBLISHED_HOLIDAYS
    assert {date(2026, 11, 27), date(2026, 12, 30), date(2027, 1, 1)} <= published.arxiv_holidays
    # And "none" is no holiday at all, a list exactly its dates
    assert none.arxiv_holidays == frozenset()
    assert listed.arxiv_holidays == {date(2026, 6, 9), date(2026, 6, 10)}

import pytest
from hotpapers.config import ConfigError, load_settings
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

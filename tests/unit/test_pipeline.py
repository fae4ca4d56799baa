"""The score and render steps on a store in memory, and the fetch step's refusal before any work."""

from __future__ import annotations

import gc
import json
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hotpapers import scoring, snapshot
from hotpapers.config import load_settings
from hotpapers.layout import scored_key
from hotpapers.models import RawDocument
from hotpapers.pipeline.fetch import NoSourceConfiguredError, NoUsableSourceError, fetch_day
from hotpapers.pipeline.render import render_day
from hotpapers.pipeline.score import score_day
from hotpapers.schedule import Window
from support.builders import SEED_WINDOW, atom_entry, atom_feed, tweet, x_page
from support.memory_store import MemoryStore

WINDOW = Window.from_dict(SEED_WINDOW)
HOT = "2007.04001"
COLD = "2007.04002"


def sealed(store: MemoryStore) -> str:
    """A sealed snapshot: two papers, X posts giving one of them 60 points (seed weights)."""
    tweets = [tweet(f"1{n}", f"{n}", f"https://arxiv.org/abs/{HOT}", retweets=10, likes=10) for n in range(3)]
    return snapshot.write(
        store,
        WINDOW,
        datetime(2020, 7, 9, 7, 0, tzinfo=UTC),
        ("cs.*",),
        [
            RawDocument(
                "page-000000.xml",
                atom_feed([atom_entry(HOT, "Hot & <new>"), atom_entry(COLD, "Nobody")]),
                "https://export.arxiv.org/api/query",
                200,
                "application/atom+xml",
            )
        ],
        {"x": [RawDocument("search-0000.json", json.dumps(x_page(tweets)).encode(), "https://x", 200)]},
        {"reddit": "reddit: HTTP 503"},
    )


SETTINGS = load_settings({"HOTPAPERS_SOURCES": "x,reddit", "HOTPAPERS_SITE_URL": "https://papers.example/"})


def test_score_day_writes_the_scored_day_under_its_date_and_returns_its_key_and_contents() -> None:
    # Given a sealed snapshot in which one paper is discussed
    store = MemoryStore()
    manifest = sealed(store)

    # When the score step runs on its manifest
    result = score_day(manifest, SETTINGS, store)

    # Then scored/<D>.json holds the scored day, as JSON, and the summary repeats it with its key
    key = "scored/2020-07-09.json"
    assert result["key"] == key == scored_key("2020-07-09")
    written = json.loads(store.objects[key])
    assert store.types[key] == "application/json"
    assert store.objects[key].endswith(b"}\n")
    assert written == {name: value for name, value in result.items() if name != "key"}
    assert [paper["paper"]["id"] for paper in written["papers"]] == [HOT]
    assert written["papers"][0]["paper"]["title"] == "Hot & <new>"
    assert written["sources"]["reddit"]["status"] == "failed"
    # And the settings' rules are the ones applied and recorded
    assert written["rules"]["min_score"] == SETTINGS.min_score
    assert written["rules"]["max_posts"] == SETTINGS.max_posts


def test_score_day_applies_every_rule_from_the_settings() -> None:
    # Given settings whose threshold no paper reaches
    store = MemoryStore()
    manifest = sealed(store)
    strict = load_settings(
        {
            "HOTPAPERS_SOURCES": "x",
            "HOTPAPERS_MIN_SCORE": "61",
            "HOTPAPERS_MIN_POST_ENGAGEMENT": "1",
            "HOTPAPERS_MAX_POSTS": "2",
            "HOTPAPERS_ACCOUNT_CAP": "3",
            "HOTPAPERS_IGNORED_ACCOUNTS": "x:nobody",
            "HOTPAPERS_WEIGHTS": "x:2",
        }
    )

    # When the score step runs
    rules = score_day(manifest, strict, store)["rules"]

    # Then each rule the settings name is the one recorded
    assert rules["min_score"] == 61
    assert rules["min_post_engagement"] == 1
    assert rules["max_posts"] == 2
    assert rules["account_cap"] == 3
    assert rules["ignored_accounts"] == ["x:nobody"]
    assert rules["weights"]["x"] == 2


def test_score_day_keeps_characters_beyond_ascii_as_they_are() -> None:
    # Given a paper titled with a character beyond ASCII
    store = MemoryStore()
    tweets = [tweet(f"1{n}", f"{n}", f"https://arxiv.org/abs/{HOT}", retweets=10, likes=10) for n in range(3)]
    manifest = snapshot.write(
        store,
        WINDOW,
        datetime(2020, 7, 9, 7, 0, tzinfo=UTC),
        ("cs.*",),
        [RawDocument("page-000000.xml", atom_feed([atom_entry(HOT, "Schrödinger")]), "https://a", 200)],
        {"x": [RawDocument("search-0000.json", json.dumps(x_page(tweets)).encode(), "https://x", 200)]},
        {},
    )

    # When it is scored
    score_day(manifest, SETTINGS, store)

    # Then the stored JSON holds the character itself, indented, keys sorted
    body = store.objects["scored/2020-07-09.json"].decode()
    assert "Schrödinger" in body
    assert body.startswith('{\n  "')
    keys = list(json.loads(body))
    assert keys == sorted(keys)


def test_render_day_publishes_the_scored_day_and_says_what_it_wrote() -> None:
    # Given a scored day in the data store
    data, site = MemoryStore(), MemoryStore()
    key = score_day(sealed(data), SETTINGS, data)["key"]

    # When the render step runs on it
    result = render_day(key, SETTINGS, data, site)

    # Then the day's pages are in the site store, and the summary names the day, its papers and keys
    assert result["date"] == "2020-07-09"
    assert result["papers"] == 1
    assert result["keys"] == sorted(site.objects)
    assert "digests/2020-07-09.md" in result["keys"]
    page = site.objects["digests/2020-07-09.html"].decode()
    assert "Hot &amp; &lt;new&gt;" in page
    # And the site's address and sources come from the settings
    assert "https://papers.example/digests/2020-07-09.html" in site.objects["feed.xml"].decode()
    assert "Reddit" in site.objects["about.html"].decode()
    # And last it wrote the day's search records to the data store, where they start the index step
    records = json.loads(data.objects["search/days/2020-07-09.json"])
    assert records["date"] == "2020-07-09"
    assert [record["id"] for record in records["records"]] == [
        entry["paper"]["id"] for entry in json.loads(data.objects[key])["papers"]
    ]
    assert records["records"][0]["title"] == "Hot & <new>"
    assert data.types["search/days/2020-07-09.json"] == "application/json"
    assert list(data.objects)[-1] == "search/days/2020-07-09.json"


def test_the_fetch_step_with_no_source_that_counts_posts_refuses_before_any_request() -> None:
    # Given settings naming only a source that signals papers but counts no posts
    settings = load_settings({"HOTPAPERS_SOURCES": "github"})
    store = MemoryStore()

    # When the fetch step runs (unit tests refuse any network connection)
    with pytest.raises(NoSourceConfiguredError) as raised:
        fetch_day(date(2020, 7, 9), settings, store)

    # Then it says none is configured and how to configure one, and nothing was written
    assert "no configured attention source can count posts (HOTPAPERS_SOURCES names only github)" in str(raised.value)
    assert store.objects == {}


def test_no_usable_source_names_every_failure() -> None:
    # Given two sources' failures / When the refusal is raised
    refusal = NoUsableSourceError({"x": "x: HTTP 401", "reddit": "reddit: HTTP 503"})

    # Then its message lists both, and keeps them for the handler
    assert str(refusal) == (
        "no attention source could count posts (x: HTTP 401; reddit: HTTP 503); "
        "see docs/sources.md, or choose sources with HOTPAPERS_SOURCES"
    )
    assert refusal.failures == {"x": "x: HTTP 401", "reddit": "reddit: HTTP 503"}


def text_of(page: bytes) -> str:
    return re.sub(r"<[^>]+>", "", page.decode())


def render_site_without_embeds() -> bytes:
    data, site = MemoryStore(), MemoryStore()
    render_day(score_day(sealed(data), SETTINGS, data)["key"], SETTINGS, data, site)
    return site.objects["about.html"]


def test_render_day_states_the_settings_in_force_not_the_rendered_days_own(caplog: pytest.LogCaptureFixture) -> None:
    # Given a day scored with a threshold of 50, and settings now saying 7, with their own
    # categories, and a holiday on the next weekday
    data, site = MemoryStore(), MemoryStore()
    key = score_day(sealed(data), SETTINGS, data)["key"]
    now = load_settings(
        {
            "HOTPAPERS_SOURCES": "x",
            "HOTPAPERS_MIN_SCORE": "7",
            "HOTPAPERS_CATEGORIES": "cs.LG,math.ST",
            "HOTPAPERS_ARXIV_HOLIDAYS": "2020-07-10",
            "HOTPAPERS_EMBEDS": "true",
        }
    )

    plain_about = render_site_without_embeds()
    caplog.clear()

    # When the day is rendered with them
    render_day(key, now, data, site)

    # Then the about page states today's threshold and categories
    about = text_of(site.objects["about.html"])
    assert "listed when its score reaches 7;" in about
    assert "math.ST" in about
    # And it says which sources the site reads now (Reddit, read for that day, no longer is)
    assert "X: reposts + likes, weight 1." in about
    assert "Reddit: points + comments, weight 1 (not read by this site at the moment)." in about
    # And it says that posts' official embeds are turned on (the only things loaded from elsewhere)
    assert "except the official embeds of posts" in about
    assert "except the official embeds" not in text_of(plain_about)
    # And the front page skips the holiday when saying when the next digest is due
    assert "next digest is expected for July 13, 2020" in text_of(site.objects["index.html"])
    # And the log says which day was published, with how many papers
    (published,) = [record.__dict__ for record in caplog.records if record.getMessage() == "digest published"]
    assert (published["date"], published["papers"]) == ("2020-07-09", 1)


def test_score_day_logs_where_the_scored_day_went(caplog: pytest.LogCaptureFixture) -> None:
    store = MemoryStore()
    score_day(sealed(store), SETTINGS, store)
    (scored,) = [record.__dict__ for record in caplog.records if record.getMessage() == "scored"]
    assert (scored["key"], scored["listed"]) == ("scored/2020-07-09.json", 1)


def test_the_score_step_pauses_the_cyclic_collector_and_resumes_it_whatever_happens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a sealed day, and the scoring watched
    store = MemoryStore()
    key = sealed(store)
    collecting: list[bool] = []
    real_score_snapshot = scoring.score_snapshot

    def score_snapshot(*args: Any) -> dict[str, Any]:
        collecting.append(gc.isenabled())
        return real_score_snapshot(*args)

    monkeypatch.setattr(scoring, "score_snapshot", score_snapshot)
    # When the day is scored
    score_day(key, SETTINGS, store)
    # Then it was scored with the collector paused, and the collector runs again after
    assert collecting == [False]
    assert gc.isenabled()
    # And a scoring that fails resumes it too
    monkeypatch.setattr(scoring, "score_snapshot", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        score_day(key, SETTINGS, store)
    assert gc.isenabled()


def poisoned_x_page() -> bytes:
    """An X search page as JSON's grammar allows it: a post's text and its author's name holding
    lone surrogate escapes (half an emoji each), written as the escapes upstream sends."""
    tweets = [
        tweet(f"1{n}", f"{n}", f"https://arxiv.org/abs/{HOT}", retweets=10, likes=20, text="LONE_HIGH great paper")
        for n in range(3)
    ]
    page = json.dumps(x_page(tweets)).replace("LONE_HIGH", "\\ud83d")
    return page.replace('"User 0"', '"\\ude00 User 0"').encode()


def test_a_post_with_lone_surrogates_sealed_as_sent_is_scored_and_rendered_with_replacement_characters() -> None:
    # Given a snapshot sealed with an X page whose post texts and author name hold lone surrogates
    store, site = MemoryStore(), MemoryStore()
    manifest = snapshot.write(
        store,
        WINDOW,
        datetime(2020, 7, 9, 7, 0, tzinfo=UTC),
        ("cs.*",),
        [RawDocument("page-000000.xml", atom_feed([atom_entry(HOT, "Hot")]), "https://a", 200)],
        {"x": [RawDocument("search-0000.json", poisoned_x_page(), "https://x", 200)]},
        {},
    )

    # When it is scored and rendered (again and again: a rescore reads the same sealed bytes)
    for _ in range(2):
        score_day(manifest, SETTINGS, store)
        render_day(scored_key("2020-07-09"), SETTINGS, store, site)

    # Then every text is valid Unicode, each lone half shown as the replacement character
    scored = json.loads(store.objects["scored/2020-07-09.json"])
    posts = scored["papers"][0]["posts"]
    assert {post["text"].split(" ")[0] for post in posts} == {"\ufffd"}
    assert "\ufffd User 0" in {post["author_name"] for post in posts}
    assert "\ufffd great paper" in site.objects["digests/2020-07-09.md"].decode()

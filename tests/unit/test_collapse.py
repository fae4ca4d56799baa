"""A collapse cannot pass unseen: a source answering well formed but far below its usual posts is
``suspect`` next to the sealed days before it, read from a bounded number of their manifests."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hotpapers import collapse
from hotpapers.collapse import History, history, suspects
from hotpapers.config import load_settings
from hotpapers.layout import manifest_key
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.pipeline.fetch import fetch_day
from hotpapers.schedule import window_for
from support.builders import atom_entry, atom_feed
from support.memory_store import MemoryStore

DAY = date(2020, 7, 9)


def sealed(store: MemoryStore, day: date, entries: int = 600, **posts: Any) -> None:
    """A sealed day's manifest as the fetch step writes it: arXiv's pages' entries, each source's posts."""
    manifest = {
        "date": day.isoformat(),
        "arxiv": {"files": [{"name": "page-0000.xml", "entries": entries}]},
        "sources": {
            name: ({"status": "ok", "posts": count} if isinstance(count, int) else count)
            for name, count in posts.items()
        },
    }
    if day.weekday() < 5:  # a digest date (arXiv announces Monday to Friday) has its window (the next fetch reads it)
        manifest["window"] = window_for(day, frozenset()).to_dict()
    store.put(manifest_key(day), json.dumps(manifest).encode(), "application/json")


def usual_week(store: MemoryStore) -> None:
    """Five sealed days before ``DAY``, X at its usual 400 to 480 posts."""
    for back, count in zip((1, 2, 3, 6, 7), (400, 480, 450, 420, 460), strict=True):
        sealed(store, DAY - timedelta(days=back), x=count, hackernews=30)


def test_a_source_going_from_its_usual_volume_to_two_posts_is_suspect_with_both_figures() -> None:
    # Given a week of X at about 450 posts a day
    store = MemoryStore()
    usual_week(store)
    # When the day has 2 X posts and the usual arXiv volume
    found = suspects(history(store, DAY), 600, {"x": 2, "hackernews": 28}, share=0.1)
    # Then X is suspect, with the day's figure and its median; Hacker News, near its usual, is not
    assert found == {"x": "x: 2 posts where its median over the last 5 sealed days is 450"}


def test_the_share_is_a_strict_bound_and_zero_judges_nothing() -> None:
    past = History(entries=[600], posts={"x": [100, 100, 100]})
    assert suspects(past, 600, {"x": 9}, share=0.1) == {
        "x": "x: 9 posts where its median over the last 3 sealed days is 100"
    }
    assert suspects(past, 600, {"x": 10}, share=0.1) == {}
    assert suspects(past, 600, {"x": 0}, share=0.0) == {}


def test_a_light_arxiv_day_judges_no_source() -> None:
    # Given X at 100 posts on days of 600 papers
    past = History(entries=[600, 600, 600], posts={"x": [100, 100, 100]})
    # Then a day of 299 papers is light, and X's 2 posts are not suspect; on a day of 300 they are
    assert suspects(past, 299, {"x": 2}, share=0.1) == {}
    assert suspects(past, 300, {"x": 2}, share=0.1) != {}
    # And a day whose volume is not known is judged
    assert suspects(past, None, {"x": 2}, share=0.1) != {}


def test_too_little_history_judges_nothing() -> None:
    assert suspects(History(posts={"x": [100, 100]}), 600, {"x": 2}, share=0.1) == {}
    assert suspects(History(posts={"x": [100, 100, 100]}), 600, {"x": 2}, share=0.1) != {}


def test_the_history_leaves_out_failed_and_suspect_days_and_reads_arxivs_entries() -> None:
    # Given sealed days where X was ok, failed, already suspect, or recorded no figure
    store = MemoryStore()
    sealed(store, DAY - timedelta(days=1), entries=500, x=400)
    sealed(store, DAY - timedelta(days=2), entries=700, x={"status": "failed", "posts": 0})
    sealed(store, DAY - timedelta(days=3), x={"status": "ok", "posts": 3, "suspect": "x: 3 posts ..."})
    sealed(store, DAY - timedelta(days=4), x={"status": "ok"})
    # When read / Then only the ok figure counts, and every day's arXiv entries do
    past = history(store, DAY)
    assert past.posts == {"x": [400]}
    assert past.entries == [500, 700, 600, 600]


def test_the_history_reads_a_bounded_number_of_recent_days() -> None:
    # Given a sealed day on every one of the 40 days before, and one the same day
    store = MemoryStore()
    for back in range(0, 41):
        sealed(store, DAY - timedelta(days=back), x=back)
    # When read / Then the last ten days before it, newest first, and nothing older or later
    assert history(store, DAY).posts == {"x": list(range(1, 11))}


def test_the_history_looks_back_a_bounded_number_of_days() -> None:
    # Given sealed days only 21 and 22 days before
    store = MemoryStore()
    sealed(store, DAY - timedelta(days=collapse.LOOKBACK_DAYS), x=1)
    sealed(store, DAY - timedelta(days=collapse.LOOKBACK_DAYS + 1), x=2)
    # Then only the one within the look-back is read
    assert history(store, DAY).posts == {"x": [1]}


def test_arxiv_entries_need_every_pages_figure() -> None:
    assert collapse.arxiv_entries({"files": [{"entries": 2}, {"entries": 3}]}) == 5
    assert collapse.arxiv_entries({"files": [{"entries": 2}, {}]}) is None
    assert collapse.arxiv_entries({"files": []}) is None
    assert collapse.arxiv_entries({}) is None


@pytest.mark.usefixtures("credentials")
def test_the_fetch_flags_a_collapsed_source_suspect_in_the_manifest_and_its_result_and_alerts(
    upstreams: ReplayServer, alert_queue: Callable[[], list[dict[str, Any]]]
) -> None:
    # Given a week of Hacker News at about 40 stories a day, and a day it answers 2
    store = MemoryStore()
    for back in (1, 2, 3):
        sealed(store, DAY - timedelta(days=back), entries=1, hackernews=40)
    upstreams.add(
        "/api/query", Reply(200, atom_feed([atom_entry("2007.04001")]), {"Content-Type": "application/atom+xml"})
    )
    hits = [
        {
            "objectID": str(n),
            "url": "https://arxiv.org/abs/2007.04001",
            "created_at_i": 1594270000,
            "points": 30,
            "num_comments": 4,
        }
        for n in range(2)
    ]
    upstreams.add("/api/v1/search_by_date", Reply.json({"hits": hits, "nbHits": 2, "nbPages": 1}))
    settings = load_settings(
        {
            "HOTPAPERS_NOW": "2020-07-09T07:00:00Z",
            "HOTPAPERS_ARXIV_API_URL": "http://arxiv.test/api/query",
            "HOTPAPERS_HN_API_URL": "http://hn.test",
            "HOTPAPERS_SOURCES": "hackernews",
            "HOTPAPERS_ARXIV_DELAY": "0",
            # The sealed days here are manifests alone: no look-back for late papers reads them.
            "HOTPAPERS_ARXIV_LOOKBACK_DAYS": "0",
        }
    )
    # When the day is fetched, with the operator's alert queue configured
    result = fetch_day(DAY, settings, store)
    # Then it is sealed (a suspect source is recorded, not refused), and flagged with both figures
    assert result.status == "sealed"
    reason = "hackernews: 2 posts where its median over the last 3 sealed days is 40"
    assert result.suspect_sources == {"hackernews": reason}
    # And the operator is told, once, with the day and the reason
    assert alert_queue() == [
        {"kind": "sources look collapsed", "date": "2020-07-09", "sources": {"hackernews": reason}}
    ]
    entry = json.loads(store.get(result.manifest_key))["sources"]["hackernews"]
    assert (entry["status"], entry["posts"], entry["suspect"]) == ("ok", 2, reason)
    # And its own figures are there for the days after it
    assert json.loads(store.get(result.manifest_key))["arxiv"]["files"][0]["entries"] == 1

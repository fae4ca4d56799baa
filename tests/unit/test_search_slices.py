"""The day's own posts before the page cap runs out: X and Bluesky page newest first, so a search
from the day's announcement to the next morning would spend its pages on the next announcement's
posts. Each source searches the day's own slice first, then the later one, each with its share of
the page cap, against stand-ins that answer newest first as the live searches do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hotpapers.models import iso_utc
from hotpapers.offline.replay import ReplayServer, Reply, Request
from hotpapers.schedule import parse_utc
from hotpapers.sources import FetchRequest
from hotpapers.sources.bluesky import Bluesky
from hotpapers.sources.x import X
from support.builders import tweet, x_page
from support.fake_http import ANNOUNCED, connected, fetch_request

pytestmark = pytest.mark.usefixtures("credentials")

RECENT = "https://api.x.com/2/tweets/search/recent"
SESSION = "https://bsky.social/xrpc/com.atproto.server.createSession"
SEARCH = "https://bsky.social/xrpc/app.bsky.feed.searchPosts"
NEXT_ANNOUNCED = datetime(2026, 6, 3, 0, 0, tzinfo=UTC)
"""20:00 EDT on 2026-06-02: the next digest's announcement, before the morning run."""
PAGE = 100


def day_posts() -> list[datetime]:
    """A stand-in day: 40 posts in the day's first hour, 60 later that day, and 450 posts of
    the next announcement's first hours, more than a cap of 4 pages reads."""
    first_hour = [ANNOUNCED + timedelta(seconds=90 * n) for n in range(40)]
    later_that_day = [ANNOUNCED + timedelta(hours=2, minutes=15 * n) for n in range(60)]
    next_day = [NEXT_ANNOUNCED + timedelta(seconds=50 * n) for n in range(450)]
    return first_hour + later_that_day + next_day


def newest_first(times: list[datetime], since: datetime, until: datetime, offset: int) -> tuple[list[int], int | None]:
    """The indexes of the posts in ``[since, until)``, newest first, a page from ``offset``, and
    the next page's offset if there is one: how both live searches page."""
    found = sorted((i for i, t in enumerate(times) if since <= t < until), key=lambda i: times[i], reverse=True)
    page = found[offset : offset + PAGE]
    return page, offset + PAGE if offset + PAGE < len(found) else None


def x_search(times: list[datetime]) -> Any:
    def answer(asked: Request) -> Reply:
        since, until = parse_utc(asked.query["start_time"]), parse_utc(asked.query["end_time"])
        found, following = newest_first(times, since, until, int(asked.query.get("next_token", "0")))
        tweets = [
            {
                **tweet(str(1900000000000000000 + i), "7", "https://arxiv.org/abs/2606.01001"),
                "created_at": iso_utc(times[i]),
            }
            for i in found
        ]
        return Reply.json(x_page(tweets, None if following is None else str(following)))

    return answer


def bluesky_search(times: list[datetime]) -> Any:
    def answer(asked: Request) -> Reply:
        since, until = parse_utc(asked.query["since"]), parse_utc(asked.query["until"])
        found, following = newest_first(times, since, until, int(asked.query.get("cursor", "0")))
        views = [
            {
                "uri": f"at://did:plc:alice/app.bsky.feed.post/{i:06d}",
                "author": {"did": "did:plc:alice", "handle": "alice.bsky.social"},
                "record": {"text": "https://arxiv.org/abs/2606.01001", "createdAt": iso_utc(times[i])},
                "indexedAt": iso_utc(times[i]),
                "likeCount": 3,
                "repostCount": 1,
                "quoteCount": 0,
                "replyCount": 0,
            }
            for i in found
        ]
        return Reply.json({"posts": views, **({} if following is None else {"cursor": str(following)})})

    return answer


def first_hour(times: list[datetime]) -> set[str]:
    return {iso_utc(t) for t in times if t < ANNOUNCED + timedelta(hours=1)}


def request() -> FetchRequest:
    return fetch_request(env={"HOTPAPERS_X_MAX_PAGES": "4", "HOTPAPERS_BLUESKY_MAX_PAGES": "4"})


def test_x_counts_every_post_of_the_days_first_hour_when_the_next_day_alone_exceeds_the_cap(
    upstreams: ReplayServer,
) -> None:
    # Given an X search whose next-announcement posts alone fill more than the 4-page cap
    times = day_posts()
    upstreams.add(RECENT, x_search(times))
    # When the day is fetched the next morning
    source = connected(X, upstreams, request())
    documents = source.fetch(request())
    # Then every post of the day's first hour was read
    posts = X.parse({document.name: document.body for document in documents})
    assert first_hour(times) <= {post.created_at for post in posts}
    # And the day's own slice was searched first, then the later one, within the cap
    assert [asked.query["start_time"] for asked in upstreams.requests] == [
        "2026-06-02T00:00:00Z",
        *["2026-06-03T00:00:00Z"] * 3,
    ]
    # And the cut is named: the later slice, not the day's
    assert [record.to_dict() for record in source.slices] == [
        {"name": "day", "since": "2026-06-02T00:00:00Z", "until": "2026-06-03T00:00:00Z", "pages": 1, "capped": False},
        {"name": "later", "since": "2026-06-03T00:00:00Z", "until": "2026-06-03T07:46:35Z", "pages": 3, "capped": True},
    ]
    assert source.cuts == ["later: page cap"]


def test_bluesky_counts_every_post_of_the_days_first_hour_when_the_next_day_alone_exceeds_the_cap(
    upstreams: ReplayServer,
) -> None:
    # Given a Bluesky search whose next-announcement posts alone fill more than the 4-page cap
    times = day_posts()
    upstreams.add(SESSION, Reply.json({"accessJwt": "a-session-token", "refreshJwt": "r"}))
    upstreams.add(SEARCH, bluesky_search(times))
    # When the day is fetched the next morning
    source = connected(Bluesky, upstreams, request())
    documents = source.fetch(request())
    # Then every post of the day's first hour was read
    posts = Bluesky.parse({document.name: document.body for document in documents})
    assert first_hour(times) <= {post.created_at for post in posts}
    # And the later slice is the one the cap cut
    assert [(record.name, record.pages, record.capped) for record in source.slices] == [
        ("day", 1, False),
        ("later", 3, True),
    ]
    assert source.cuts == ["later: page cap"]


def test_the_day_slice_keeps_a_share_of_the_cap_for_the_later_slice(upstreams: ReplayServer) -> None:
    # Given a day whose own posts alone exceed the cap (8 pages: 2 kept for the later slice)
    times = [ANNOUNCED + timedelta(seconds=30 * n) for n in range(1000)] + [
        NEXT_ANNOUNCED + timedelta(minutes=n) for n in range(50)
    ]
    upstreams.add(RECENT, x_search(times))
    fetch = fetch_request(env={"HOTPAPERS_X_MAX_PAGES": "8"})
    # When the day is fetched
    source = connected(X, upstreams, fetch)
    source.fetch(fetch)
    # Then the day's slice read 6 pages and was cut, and the later slice still read its posts
    assert [(record.name, record.pages, record.capped) for record in source.slices] == [
        ("day", 6, True),
        ("later", 1, False),
    ]
    assert source.cuts == ["day: page cap"]


def test_a_run_before_the_next_announcement_searches_one_slice(upstreams: ReplayServer) -> None:
    # Given a run at 23:00 UTC, before the next announcement
    upstreams.add(RECENT, x_search(day_posts()))
    early = fetch_request(now=datetime(2026, 6, 2, 23, 0, tzinfo=UTC))
    # When the day is fetched
    source = connected(X, upstreams, early)
    source.fetch(early)
    # Then the one slice is the day's own
    assert [(record.name, record.pages, record.capped) for record in source.slices] == [("day", 1, False)]
    assert source.cuts == []


def test_the_next_announcement_skips_the_weekend_and_holidays() -> None:
    # Given Thursday's announcement (digest of Friday 2026-06-05)
    friday = fetch_request(day=datetime(2026, 6, 5).date())
    # Then the next is Sunday evening's (digest of Monday 2026-06-08), at 20:00 EDT
    assert friday.next_announcement == datetime(2026, 6, 8, 0, 0, tzinfo=UTC)
    # And with Monday a holiday, Monday evening's (digest of Tuesday)
    closed = fetch_request(day=datetime(2026, 6, 5).date(), env={"HOTPAPERS_ARXIV_HOLIDAYS": "2026-06-08"})
    assert closed.next_announcement == datetime(2026, 6, 9, 0, 0, tzinfo=UTC)

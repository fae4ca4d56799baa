"""Events: what each handler accepts, and the typed refusal of everything else."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hotpapers.events import (
    CreatedObject,
    EventError,
    fetch_date,
    forced,
    object_created,
    refusing,
    scheduled,
    scored_day,
    sealed_manifest,
    search_day,
    stored,
)
from support.memory_store import MemoryStore

BUCKET = "hotpapers-data"
WHEN = datetime(2020, 7, 10, tzinfo=UTC)


def created(key: str, bucket: str = BUCKET, **changes: Any) -> dict[str, Any]:
    event = object_created(bucket, key, b"{}", when=WHEN)
    event.update(changes)
    return event


def test_manual_event_names_the_date() -> None:
    assert fetch_date({"date": "2020-07-09"}, lag_days=1) == date(2020, 7, 9)


def test_scheduled_event_builds_the_previous_days_digest() -> None:
    event = {"version": "0", "detail-type": "Scheduled Event", "source": "aws.events", "time": "2020-07-10T07:45:00Z"}
    assert fetch_date(event, lag_days=1) == date(2020, 7, 9)


def test_a_scheduled_time_with_an_offset_is_read_in_utc() -> None:
    # Given a schedule time 23:30 in New York on July 9th, which is July 10th in UTC
    event = {"detail-type": "Scheduled Event", "source": "aws.scheduler", "time": "2020-07-09T23:30:00-04:00"}

    # When the digest date is asked for / Then it is the day before the UTC date
    assert fetch_date(event, lag_days=1) == date(2020, 7, 9)


@pytest.mark.parametrize(
    "event",
    [
        {"date": "09/07/2020"},
        {"date": "2020-07-09", "extra": 1},
        {"date": 1594252800},
        {},
        {"detail-type": "x"},
        {"detail-type": "Scheduled Event", "source": "aws.events", "time": "2020-07-10T07:45:00"},
        {"detail-type": "Scheduled Event", "source": "aws.events", "time": "0001-01-01T00:00:00Z"},
        {"detail-type": "Scheduled Event", "source": "aws.s3", "time": "2020-07-10T07:45:00Z"},
        ["date"],
        "date",
        None,
        7,
    ],
)
def test_other_fetch_events_are_refused_with_the_accepted_shapes(event: Any) -> None:
    with pytest.raises(EventError, match="Scheduled Event"):
        fetch_date(event, lag_days=1)


def test_the_sealed_manifest_of_the_data_bucket_is_accepted() -> None:
    event = created("raw/2020-07-09/manifest.json")
    assert sealed_manifest(event, BUCKET) == CreatedObject(BUCKET, "raw/2020-07-09/manifest.json", date(2020, 7, 9))


def test_a_refresh_manifest_of_the_data_bucket_is_accepted_as_its_days() -> None:
    key = "raw/2020-07-09/refreshes/20200712T070000Z/manifest.json"
    assert sealed_manifest(created(key), BUCKET) == CreatedObject(BUCKET, key, date(2020, 7, 9))


def test_only_the_schedules_tick_refreshes_the_recent_days() -> None:
    assert scheduled({"detail-type": "Scheduled Event", "source": "aws.events", "time": "2020-07-10T07:45:00Z"})
    assert not scheduled({"date": "2020-07-09"})


def test_the_scored_day_of_the_data_bucket_is_accepted() -> None:
    event = created("scored/2020-07-09.json")
    assert scored_day(event, BUCKET) == CreatedObject(BUCKET, "scored/2020-07-09.json", date(2020, 7, 9))


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (created("raw/2020-07-09/manifest.json", **{"detail-type": "Object Deleted"}), "Object Created"),
        (created("raw/2020-07-09/manifest.json", source="aws.events"), "Object Created"),
        (created("raw/2020-07-09/manifest.json", bucket="someone-else"), "'someone-else', not the data bucket"),
        (created("raw/2020-07-09/20200710T074500Z/attempt.json"), "is not raw/<YYYY-MM-DD>/manifest.json"),
        (created("raw/2020-07-09/20200710T074500Z/manifest.json"), "is not raw/<YYYY-MM-DD>/manifest.json"),
        (created("raw/2020-07-09/refreshes/latest/manifest.json"), "is not raw/<YYYY-MM-DD>/manifest.json"),
        (created("raw/2020-07-09/refreshes/20200712T070000Z/attempt.json"), "is not raw/<YYYY-MM-DD>/manifest.json"),
        (created("raw/2020-07-09/manifest.json.tmp"), "is not raw/<YYYY-MM-DD>/manifest.json"),
        (created("xraw/2020-07-09/manifest.json"), "is not raw/<YYYY-MM-DD>/manifest.json"),
        (created("raw/latest/manifest.json"), "is not raw/<YYYY-MM-DD>/manifest.json"),
        (created("scored/2020-07-09.json"), "is not raw/<YYYY-MM-DD>/manifest.json"),
        (created("raw/2020-02-30/manifest.json"), "names no real date"),
        ({"Records": [{"s3": {"bucket": {"name": BUCKET}}}]}, "not an S3 Object Created event"),
        ("{not json", "not an S3 Object Created event"),
        (None, "not an S3 Object Created event"),
    ],
)
def test_score_refuses_every_other_event(event: Any, reason: str) -> None:
    with pytest.raises(EventError, match=reason):
        sealed_manifest(event, BUCKET)


@pytest.mark.parametrize(
    "key", ["raw/2020-07-09/manifest.json", "scored/2020-07-09.json.tmp", "scored/2020-07-9.json", "scored/x.json"]
)
def test_render_refuses_every_key_but_a_scored_day(key: str) -> None:
    with pytest.raises(EventError, match=r"is not scored/<YYYY-MM-DD>\.json"):
        scored_day(created(key), BUCKET)


def test_render_refuses_a_foreign_bucket() -> None:
    with pytest.raises(EventError, match="not the data bucket"):
        scored_day(created("scored/2020-07-09.json", bucket="someone-else"), BUCKET)


def test_a_days_search_records_of_the_data_bucket_are_accepted_by_the_index_step() -> None:
    event = created("search/days/2020-07-09.json")
    assert search_day(event, BUCKET) == CreatedObject(BUCKET, "search/days/2020-07-09.json", date(2020, 7, 9))


@pytest.mark.parametrize(
    "key",
    [
        "scored/2020-07-09.json",
        "search/records.json.gz",
        "search/records/recent.json.gz",
        "search/published.json",
        "search/days/2020-07-09.json.tmp",
        "search/days/2020-07-9.json",
        "xsearch/days/2020-07-09.json",
        "search/days/x/2020-07-09.json",
    ],
)
def test_the_index_step_refuses_every_key_but_a_days_search_records(key: str) -> None:
    with pytest.raises(EventError, match=r"is not search/days/<YYYY-MM-DD>\.json"):
        search_day(created(key), BUCKET)


def test_the_index_step_refuses_a_foreign_bucket_and_a_date_that_does_not_exist() -> None:
    with pytest.raises(EventError, match="not the data bucket"):
        search_day(created("search/days/2020-07-09.json", bucket="someone-else"), BUCKET)
    with pytest.raises(EventError, match="names no real date"):
        search_day(created("search/days/2020-02-30.json"), BUCKET)


def test_a_refused_event_is_answered_not_raised_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    # Given a handler that refuses its event
    def handler(event: Any, context: Any) -> dict[str, Any]:
        return {"key": sealed_manifest(event, BUCKET).key}

    # When it is invoked through ``refusing``
    answer = refusing(handler)({"detail-type": "Object Deleted"}, None)

    # Then the refusal is the answer, with the reason, and logged (test_alerts: and reported)
    assert answer["status"] == "refused"
    assert "not an S3 Object Created event" in answer["reason"]
    assert [record.message for record in caplog.records] == ["event refused"]


def test_an_accepted_event_passes_through_refusing() -> None:
    def handler(event: Any, context: Any) -> dict[str, Any]:
        return {"key": sealed_manifest(event, BUCKET).key}

    assert refusing(handler)(created("raw/2020-07-09/manifest.json"), None) == {"key": "raw/2020-07-09/manifest.json"}


def test_other_errors_still_fail_the_invocation() -> None:
    def handler(event: Any, context: Any) -> dict[str, Any]:
        raise KeyError("boom")

    with pytest.raises(KeyError):
        refusing(handler)({}, None)


def test_object_created_events_round_trip_through_the_powertools_model() -> None:
    event = object_created("data", "raw/2020-07-09/manifest.json", b"{}", when=WHEN)
    assert sealed_manifest(event, "data").key == "raw/2020-07-09/manifest.json"


def test_a_numeric_date_is_refused_as_not_text() -> None:
    with pytest.raises(EventError, match=r"the date must be text, YYYY-MM-DD"):
        fetch_date({"date": 1594252800}, lag_days=1)


def test_the_refusal_names_the_accepted_shapes_first() -> None:
    with pytest.raises(EventError) as refused:
        fetch_date({}, lag_days=1)
    assert str(refused.value).startswith(
        'fetch takes {"date": "YYYY-MM-DD"} or an EventBridge "Scheduled Event"; this event does not parse: '
    )


def test_a_scheduled_event_is_dated_with_the_lag_asked_for() -> None:
    event = {"detail-type": "Scheduled Event", "source": "aws.scheduler", "time": "2020-07-10T07:45:00Z"}
    assert fetch_date(event, lag_days=2) == date(2020, 7, 8)
    assert fetch_date(event, lag_days=0) == date(2020, 7, 10)


def test_object_created_builds_the_event_s3_sends_through_eventbridge() -> None:
    # Given an object put at 03:45 New York time (07:45 UTC)
    when = datetime(2020, 7, 10, 3, 45, 3, tzinfo=ZoneInfo("America/New_York"))

    # When its event is built
    event = object_created(BUCKET, "scored/2020-07-09.json", b"hello", when=when, region="eu-west-1", account="1")

    # Then it is the documented S3 "Object Created" event, its id derived from where and what was put
    etag = "5d41402abc4b2a76b9719d911017c592"  # MD5 of b"hello"
    assert event == {
        "version": "0",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"s3://{BUCKET}/scored/2020-07-09.json#{etag}")),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": "1",
        "time": "2020-07-10T07:45:03Z",
        "region": "eu-west-1",
        "resources": [f"arn:aws:s3:::{BUCKET}"],
        "detail": {
            "version": "0",
            "bucket": {"name": BUCKET},
            "object": {
                "key": "scored/2020-07-09.json",
                "size": 5,
                "etag": etag,
                "sequencer": event["id"].replace("-", "")[:18].upper(),
            },
            "request-id": event["id"].replace("-", "")[:16].upper(),
            "requester": "1",
            "source-ip-address": "127.0.0.1",
            "reason": "PutObject",
        },
    }
    # ... so the same bytes give the same event id, and other bytes another
    defaults = object_created(BUCKET, "scored/2020-07-09.json", b"hello", when=when)
    assert (defaults["region"], defaults["account"]) == ("us-east-1", "000000000000")
    assert object_created(BUCKET, "scored/2020-07-09.json", b"hello", when=when)["id"] == event["id"]
    assert object_created(BUCKET, "scored/2020-07-09.json", b"other", when=when)["id"] != event["id"]


@pytest.mark.usefixtures("tokyo_machine")
def test_the_event_time_is_utc_whatever_the_machines_zone() -> None:
    # Given a machine whose local zone is Tokyo, and an object put at 07:45 UTC
    when = datetime(2020, 7, 10, 7, 45, 3, tzinfo=UTC)
    # When its event is built / Then its time is written in UTC, not in the machine's zone
    assert object_created(BUCKET, "scored/2020-07-09.json", b"hello", when=when)["time"] == "2020-07-10T07:45:03Z"


@pytest.mark.parametrize("day", ["0001-01-01", "1991-08-13", "9999-12-31"])
def test_a_date_off_the_calendar_of_announcements_is_refused(day: str) -> None:
    # Given a manual fetch of a date before arXiv's first announcement, or so late that its
    # announcement time in UTC falls past the calendar's end
    # When it is parsed / Then it is refused, not left to overflow in the window's arithmetic
    with pytest.raises(EventError, match="not a digest date"):
        fetch_date({"date": day}, lag_days=1)


@pytest.mark.parametrize("day", ["1991-08-14", "9999-12-30"])
def test_the_first_and_last_dates_with_an_announcement_time_are_accepted(day: str) -> None:
    assert fetch_date({"date": day}, lag_days=1) == date.fromisoformat(day)


def test_a_schedule_on_the_calendars_last_day_is_refused_not_overflowed() -> None:
    # Given a schedule's tick on the last day, with no lag: a digest date with no UTC announcement time
    event = {"detail-type": "Scheduled Event", "source": "aws.events", "time": "9999-12-31T07:45:00Z"}

    # When it is parsed / Then it is refused
    with pytest.raises(EventError, match="not a digest date"):
        fetch_date(event, lag_days=0)


def test_an_event_for_an_object_in_the_store_is_accepted() -> None:
    # Given a store holding the scored day an event announces
    store = MemoryStore()
    store.put("scored/2020-07-09.json", b"{}")
    accepted = scored_day(created("scored/2020-07-09.json"), BUCKET)

    # When its object is looked for / Then the event stands as it was
    assert stored(accepted, store) is accepted


def test_an_event_for_an_object_not_in_the_store_is_refused() -> None:
    # Given a store holding only keys that begin like the announced one
    store = MemoryStore()
    store.put("raw/2020-07-09/manifest.json.bak", b"{}")
    store.put("raw/2020-07-09/manifest.jso", b"{}")
    announced = sealed_manifest(created("raw/2020-07-09/manifest.json"), BUCKET)

    # When its object is looked for / Then the event is refused, naming the key and the bucket,
    # so that refusing answers it rather than every retry failing on a missing object
    with pytest.raises(EventError, match=r"'raw/2020-07-09/manifest.json' is not in bucket 'hotpapers-data'"):
        stored(announced, store)


def test_a_manual_fetch_may_ask_to_be_sealed_even_when_thinner() -> None:
    # Given a manual event with "force": true / Then it names its date and is forced
    event = {"date": "2020-07-09", "force": True}
    assert (fetch_date(event, lag_days=1), forced(event)) == (date(2020, 7, 9), True)


@pytest.mark.parametrize(
    "event",
    [
        {"date": "2020-07-09"},
        {"date": "2020-07-09", "force": False},
        {"detail-type": "Scheduled Event", "source": "aws.events", "time": "2020-07-10T07:45:00Z"},
    ],
)
def test_a_fetch_is_not_forced_unless_it_says_so(event: dict[str, Any]) -> None:
    assert forced(event) is False


@pytest.mark.parametrize("force", ["true", 1, None])
def test_force_is_a_json_boolean_or_the_event_is_refused(force: Any) -> None:
    with pytest.raises(EventError, match="force"):
        fetch_date({"date": "2020-07-09", "force": force}, lag_days=1)

from datetime import UTC, date, datetime

import pytest
from hotpapers.events import EventError, created_object, fetch_date, object_created


def test_manual_event_names_the_date() -> None:
    assert fetch_date({"date": "2020-07-09"}, lag_days=1) == date(2020, 7, 9)


def test_scheduled_event_builds_the_previous_days_digest() -> None:
    event = {"version": "0", "detail-type": "Scheduled Event", "source": "aws.events", "time": "2020-07-10T07:45:00Z"}
    assert fetch_date(event, lag_days=1) == date(2020, 7, 9)


@pytest.mark.parametrize(
    "event", [{"date": "09/07/2020"}, {"date": "2020-07-09", "extra": 1}, {}, {"detail-type": "x"}]
)
def test_other_fetch_events_are_refused_with_the_accepted_shapes(event: dict[str, object]) -> None:
    with pytest.raises(EventError, match="Scheduled Event"):
        fetch_date(event, lag_days=1)


def test_object_created_events_round_trip_through_the_powertools_model() -> None:
    event = object_created("data", "raw/2020-07-09/manifest.json", b"{}", when=datetime(2020, 7, 10, tzinfo=UTC))
    assert created_object(event) == ("data", "raw/2020-07-09/manifest.json")


def test_an_s3_notification_of_another_shape_is_refused() -> None:
    with pytest.raises(EventError, match="Object Created"):
        created_object({"Records": [{"s3": {"bucket": {"name": "data"}}}]})

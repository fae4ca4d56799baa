"""Alerts: what the operator must hear of goes to the stack's one queue, whose alarm mails them."""

from __future__ import annotations

from typing import Any

import pytest
from hotpapers.alerts import QUEUE, alert
from hotpapers.events import EventError, refusing


def test_an_alert_is_one_message_in_the_queue_with_its_kind_and_detail(alert_queue: Any) -> None:
    # When a function reports a collapsed source
    sent = alert("sources look collapsed", date="2026-06-02", sources={"x": "3 posts, median 400"})
    # Then the queue holds exactly that, once
    assert sent is True
    assert alert_queue() == [
        {"kind": "sources look collapsed", "date": "2026-06-02", "sources": {"x": "3 posts, median 400"}}
    ]


def test_without_a_queue_an_alert_sends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given no queue configured (this machine) / When an alert is raised / Then nothing is sent
    monkeypatch.delenv(QUEUE, raising=False)
    assert alert("event refused", reason="r") is False


def test_a_queue_that_cannot_be_reached_is_logged_not_raised(
    alert_queue: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a queue URL that names no queue
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(QUEUE, "https://sqs.us-east-1.amazonaws.com/123456789012/gone")
        # When an alert is raised / Then the work goes on, and the log says the alert was lost
        assert alert("event refused", reason="r") is False
    assert [record.message for record in caplog.records] == ["alert not sent"]


def test_a_refused_event_is_answered_and_reported_to_the_operator(alert_queue: Any) -> None:
    # Given a handler that refuses its event
    def handler(event: Any, context: Any) -> dict[str, Any]:
        raise EventError("not an S3 Object Created event")

    # When it is invoked through ``refusing``
    answer = refusing(handler)({"id": "e-1", "detail-type": "Object Deleted"}, None)

    # Then the refusal is the answer, and the queue has it with the event's id
    assert answer == {"status": "refused", "reason": "not an S3 Object Created event"}
    assert alert_queue() == [{"kind": "event refused", "reason": "not an S3 Object Created event", "event_id": "e-1"}]

"""Lambda events in and out: the adapter between AWS's event shapes and plain values.

Score and render receive S3 "Object Created" notifications delivered by EventBridge, parsed
with Powertools' model. Fetch receives either a manual ``{"date": "YYYY-MM-DD"}`` or a
schedule's event, whose time decides the date. ``object_created`` builds the same S3 event
AWS sends, for the local runner and the tests.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, date, datetime
from typing import Any, Literal

from aws_lambda_powertools.utilities.parser import ValidationError, parse
from aws_lambda_powertools.utilities.parser.models import S3EventNotificationEventBridgeModel
from pydantic import BaseModel, ConfigDict, Field

from hotpapers.schedule import digest_date_for

_DATE_IN_KEY = re.compile(r"(?<![0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")


class EventError(ValueError):
    """The event is not one this handler accepts."""


class ManualFetch(BaseModel):
    """``{"date": "2020-07-09"}``: build the digest of that announcement date."""

    model_config = ConfigDict(extra="forbid")
    date: date


class ScheduledFetch(BaseModel):
    """An EventBridge schedule's event (rule or Scheduler): the date follows from its time."""

    model_config = ConfigDict(populate_by_name=True)
    detail_type: Literal["Scheduled Event"] = Field(alias="detail-type")
    time: datetime


def fetch_date(event: dict[str, Any], lag_days: int) -> date:
    """The digest date a fetch event asks for."""
    try:
        if "date" in event:
            return ManualFetch.model_validate(event).date
        scheduled = ScheduledFetch.model_validate(event)
    except ValueError as exc:
        raise EventError(
            'fetch takes {"date": "YYYY-MM-DD"} or an EventBridge "Scheduled Event"; '
            f"this event does not parse: {exc}"
        ) from exc
    return digest_date_for(scheduled.time, lag_days)


def created_object(event: dict[str, Any]) -> tuple[str, str]:
    """``(bucket, key)`` of an S3 "Object Created" event delivered by EventBridge."""
    try:
        parsed = parse(event=event, model=S3EventNotificationEventBridgeModel)
    except ValidationError as exc:
        raise EventError(f"not an S3 Object Created event from EventBridge: {exc}") from exc
    return parsed.detail.bucket.name, parsed.detail.object.key


def key_date(key: str) -> str:
    """The digest date a data key belongs to (``raw/<D>/manifest.json``, ``scored/<D>.json``)."""
    found = _DATE_IN_KEY.search(key)
    if not found:
        raise EventError(f"{key!r} names no digest date (YYYY-MM-DD)")
    return found.group(1)


def object_created(
    bucket: str,
    key: str,
    body: bytes,
    *,
    when: datetime,
    region: str = "us-east-1",
    account: str = "000000000000",
) -> dict[str, Any]:
    """The EventBridge event S3 emits for a put of ``body`` at ``key`` (as AWS documents it)."""
    digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
    stable = uuid.uuid5(uuid.NAMESPACE_URL, f"s3://{bucket}/{key}#{digest}")
    return {
        "version": "0",
        "id": str(stable),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": account,
        "time": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": {"key": key, "size": len(body), "etag": digest, "sequencer": stable.hex[:18].upper()},
            "request-id": stable.hex[:16].upper(),
            "requester": account,
            "source-ip-address": "127.0.0.1",
            "reason": "PutObject",
        },
    }

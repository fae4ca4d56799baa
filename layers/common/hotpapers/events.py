"""Lambda events in and out: the adapter between AWS's event shapes and plain values.

Score and render receive S3 "Object Created" notifications delivered by EventBridge, parsed
with Powertools' model and then held to what the step may act on: an object created in the
configured data bucket, under the one key shape that step reads. Fetch receives either a manual
``{"date": "YYYY-MM-DD"}`` or a schedule's event, whose time decides the date. Anything else is
an ``EventError`` before any work. ``object_created`` builds the same S3 event AWS sends, for
the local runner and the tests.
"""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, Strict

from hotpapers import layout
from hotpapers.alerts import alert
from hotpapers.observability import logger
from hotpapers.schedule import ARXIV_FIRST_DAY, LAST_DAY, digest_date_for
from hotpapers.store import Store

Handler = Callable[[Any, Any], dict[str, Any]]


class EventError(ValueError):
    """The event is not one this handler accepts."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("the date must be text, YYYY-MM-DD")
    return value


class ManualFetch(BaseModel):
    """``{"date": "2020-07-09"}``: build the digest of that announcement date; with ``"force":
    true``, seal the fetch even when it is thinner than the day's sealed snapshot."""

    model_config = ConfigDict(extra="forbid")
    # Text only: pydantic would otherwise read a number as seconds since 1970.
    date: Annotated[date, BeforeValidator(_text)]
    force: Annotated[bool, Strict()] = False


class ScheduledFetch(BaseModel):
    """An EventBridge schedule's event (rule or Scheduler): the date follows from its time."""

    model_config = ConfigDict(populate_by_name=True)
    detail_type: Literal["Scheduled Event"] = Field(alias="detail-type")
    source: Literal["aws.events", "aws.scheduler"]
    # A time without an offset would be read in the machine's zone, and could name another day.
    time: AwareDatetime


def fetch_date(event: Any, lag_days: int) -> date:
    """The digest date a fetch event asks for."""
    try:
        if isinstance(event, dict) and "date" in event:
            day = ManualFetch.model_validate(event).date
        else:
            day = digest_date_for(ScheduledFetch.model_validate(event).time, lag_days)
    except (ValueError, OverflowError) as exc:
        # OverflowError: a schedule time so near date.min that the lag runs off the calendar.
        raise EventError(
            'fetch takes {"date": "YYYY-MM-DD"} or an EventBridge "Scheduled Event"; '
            f"this event does not parse: {exc}"
        ) from exc
    # Outside these, no announcement exists, and the window's own arithmetic runs off the calendar.
    if not ARXIV_FIRST_DAY <= day <= LAST_DAY:
        raise EventError(f"{day} is not a digest date: arXiv announced from {ARXIV_FIRST_DAY} on")
    return day


def scheduled(event: Any) -> bool:
    """Whether a fetch event (accepted by ``fetch_date``) is the schedule's tick, which also
    refreshes the recent days; a manual one (a backfill's day) fetches its day alone."""
    return not (isinstance(event, dict) and "date" in event)


def forced(event: Any) -> bool:
    """Whether a fetch event (accepted by ``fetch_date``) is a manual one with ``"force": true``."""
    return isinstance(event, dict) and "date" in event and ManualFetch.model_validate(event).force


@dataclass(frozen=True)
class CreatedObject:
    """An accepted S3 "Object Created" event: where the object is, and the digest day it belongs to."""

    bucket: str
    key: str
    digest_date: date


def sealed_manifest(event: Any, bucket: str) -> CreatedObject:
    """The sealed ``raw/<D>/manifest.json`` of ``bucket`` that ``event`` announces, or ``EventError``."""
    return _created(event, bucket, layout.SEALED_MANIFEST, layout.manifest_key("<YYYY-MM-DD>"))


def scored_day(event: Any, bucket: str) -> CreatedObject:
    """The ``scored/<D>.json`` of ``bucket`` that ``event`` announces, or ``EventError``."""
    return _created(event, bucket, layout.SCORED_DAY, layout.scored_key("<YYYY-MM-DD>"))


def search_day(event: Any, bucket: str) -> CreatedObject:
    """The ``search/days/<D>.json`` of ``bucket`` that ``event`` announces, or ``EventError``."""
    return _created(event, bucket, layout.SEARCH_DAY, layout.search_day("<YYYY-MM-DD>"))


def stored(created: CreatedObject, store: Store) -> CreatedObject:
    """``created`` if its object is in ``store``, else ``EventError``: an event for an object that
    is not there (never written, or deleted since) would fail the same way on every retry."""
    # Listed, not read: S3 answers a read of a missing key with 403 to a role that may not list it.
    if created.key not in store.keys(created.key):
        raise EventError(f"{created.key!r} is not in bucket {created.bucket!r}")
    return created


def _created(event: Any, bucket: str, key_shape: re.Pattern[str], shape: str) -> CreatedObject:
    # Imported here: Powertools' parser and its S3 event model cost about 25 ms of a cold start,
    # and the fetch function, started by a schedule or a date, never reads an S3 event.
    from aws_lambda_powertools.utilities.parser import ValidationError, parse
    from aws_lambda_powertools.utilities.parser.exceptions import InvalidModelTypeError
    from aws_lambda_powertools.utilities.parser.models import S3EventNotificationEventBridgeModel

    try:
        parsed = parse(event=event, model=S3EventNotificationEventBridgeModel)
    except (ValidationError, InvalidModelTypeError) as exc:
        raise EventError(f"not an S3 Object Created event from EventBridge: {exc}") from exc
    if parsed.source != "aws.s3" or parsed.detail_type != "Object Created":
        raise EventError(f"only S3 'Object Created' starts work, not {parsed.source!r} {parsed.detail_type!r}")
    if parsed.detail.bucket.name != bucket:
        raise EventError(f"the object is in bucket {parsed.detail.bucket.name!r}, not the data bucket {bucket!r}")
    key = parsed.detail.object.key
    found = key_shape.fullmatch(key)
    if not found:
        raise EventError(f"{key!r} is not {shape}")
    try:
        digest_date = date.fromisoformat(found.group("date"))
    except ValueError as exc:
        raise EventError(f"{key!r} names no real date: {exc}") from exc
    return CreatedObject(bucket=bucket, key=key, digest_date=digest_date)


def refusing(handler: Handler) -> Handler:
    """Answer an event the handler refuses (``EventError``) with a refusal, not a failure.

    A malformed or foreign event fails the same way on every retry, so raising would only spend
    Lambda's retries. It is logged, reported to the operator (``alerts.alert``, whose queue has
    the stack's alarm) and answered ``{"status": "refused"}``.
    """

    @functools.wraps(handler)
    def handle(event: Any, context: Any) -> dict[str, Any]:
        try:
            return handler(event, context)
        except EventError as exc:
            logger.warning("event refused", extra={"reason": str(exc)})
            alert("event refused", reason=str(exc), event_id=event.get("id") if isinstance(event, dict) else None)
            return {"status": "refused", "reason": str(exc)}

    return handle


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

"""Fuzzing the event parsing: whatever arrives, the only exception that leaves is ``EventError``.

``HOTPAPERS_FUZZ_EXAMPLES`` sets the examples per test (default 200); CI runs ``-m fuzz`` with more.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

import pytest
from hotpapers.events import EventError, fetch_date, object_created, scored_day, sealed_manifest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("HOTPAPERS_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BUCKET = "hotpapers-data"
PARSERS = [sealed_manifest, scored_day]

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
)
keys = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"(raw|scored|x)/[0-9-]{1,12}(/[A-Za-z0-9.]{0,12})?(\.json|/manifest\.json)?", fullmatch=True),
)
dates = st.text(alphabet="0123456789-:TZ+. ", max_size=30) | st.datetimes().map(datetime.isoformat) | json_values


def _replace(event: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """``event`` with the value at ``path`` replaced (or removed, for the sentinel ``...``)."""
    copy = dict(event)
    if len(path) == 1:
        if value is ...:
            copy.pop(path[0], None)
        else:
            copy[path[0]] = value
        return copy
    inner = copy.get(path[0])
    copy[path[0]] = _replace(inner if isinstance(inner, dict) else {}, path[1:], value)
    return copy


PATHS = [
    ("version",),
    ("id",),
    ("detail-type",),
    ("source",),
    ("time",),
    ("resources",),
    ("detail",),
    ("detail", "bucket"),
    ("detail", "bucket", "name"),
    ("detail", "object"),
    ("detail", "object", "key"),
    ("detail", "object", "size"),
]


@st.composite
def s3_events(draw: st.DrawFn) -> Any:
    """A real S3 event for a drawn key and bucket, with some fields replaced by anything at all."""
    event = object_created(
        draw(st.sampled_from([BUCKET, "other"])), draw(keys), b"{}", when=datetime(2020, 7, 10, tzinfo=UTC)
    )
    for path in draw(st.lists(st.sampled_from(PATHS), max_size=3)):
        event = _replace(event, path, draw(json_values | st.just(...)))
    return event


@FUZZ
@given(event=s3_events() | json_values)
def test_s3_event_parsing_raises_only_event_error(event: Any) -> None:
    for parse in PARSERS:
        try:
            accepted = parse(event, BUCKET)
        except EventError:
            continue
        # Whatever is accepted is exactly what the step may act on
        assert accepted.bucket == BUCKET
        assert accepted.key in (f"raw/{accepted.digest_date}/manifest.json", f"scored/{accepted.digest_date}.json")


@FUZZ
@given(
    event=st.fixed_dictionaries({"date": dates})
    | st.fixed_dictionaries(
        {
            "detail-type": st.sampled_from(["Scheduled Event", "x"]) | json_values,
            "source": st.sampled_from(["aws.scheduler", "aws.events"]) | json_values,
            "time": dates,
        }
    )
    | json_values,
    lag=st.integers(min_value=0, max_value=30),
)
def test_fetch_event_parsing_raises_only_event_error(event: Any, lag: int) -> None:
    try:
        fetch_date(event, lag)
    except EventError:
        return

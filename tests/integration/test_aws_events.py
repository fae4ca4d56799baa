"""events/: the samples `sam local invoke -e` takes are the shapes AWS (and `sam local generate-event`) send.

SAM CLI generates the EventBridge envelope (`cloudwatch scheduled-event`) but has no generator for
S3 notifications delivered by EventBridge; those samples are checked against that envelope, the
Powertools model the handlers parse them with, and (in test_aws_wiring) the events moto delivers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import UTC, date, datetime
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import S3EventNotificationEventBridgeModel
from hotpapers.events import EventError, fetch_date, scored_day, sealed_manifest, search_day
from hotpapers.offline import wiring
from support.aws_support import ROOT, TEMPLATE, Stack, expand, load_event, shape, tool

# They run sam and cfn-lint, and the SAM translator: tools, not the fast unit tier.
pytestmark = pytest.mark.integration
DAY = date(2026, 6, 2)
S3_SAMPLES = {
    "score-raw-manifest.json": "ScoreFunction",
    "render-scored-day.json": "RenderFunction",
    "index-search-records.json": "IndexFunction",
}
SAMPLE_BUCKET = "hotpapers-data-example"


@pytest.fixture(scope="module")
def generated_scheduled_event() -> dict[str, Any]:
    """What `sam local generate-event cloudwatch scheduled-event` prints."""
    result = subprocess.run(
        [tool("sam"), "local", "generate-event", "cloudwatch", "scheduled-event"],
        env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    event: dict[str, Any] = json.loads(result.stdout)
    return event


def test_the_scheduled_sample_and_the_schedules_input_have_the_generated_shape(
    generated_scheduled_event: dict[str, Any],
) -> None:
    # Given the sample, and what the template's schedule sends when it fires
    sample = load_event("fetch-schedule.json")
    sent = Stack(expand()).scheduled_event("FetchFunction", datetime(2026, 6, 3, 7, 45, tzinfo=UTC))

    # When their shapes are compared with SAM CLI's
    generated = shape(generated_scheduled_event)

    # Then all three are the same shape, and the sample is what the schedule sends at that time
    assert shape(sample) == generated
    assert shape(sent) == generated
    assert {key: value for key, value in sent.items() if key not in ("id", "resources")} == {
        key: value for key, value in sample.items() if key not in ("id", "resources")
    }


def test_the_fetch_samples_build_the_recorded_day() -> None:
    # Given the template's digest lag
    lag = int(expand()["Parameters"]["DigestLagDays"]["Default"])

    # When the fetch samples are read as the handler reads them
    scheduled = fetch_date(load_event("fetch-schedule.json"), lag)
    manual = fetch_date(load_event("fetch-date.json"), lag)

    # Then both ask for the bundled recording's day (the schedule's, the morning after)
    assert scheduled == manual == DAY


def test_the_s3_samples_are_eventbridge_events_that_powertools_parses(
    generated_scheduled_event: dict[str, Any],
) -> None:
    for name in S3_SAMPLES:
        # Given an S3 sample
        sample = load_event(name)

        # When it is parsed with the Powertools model the handlers use
        parsed = parse(event=sample, model=S3EventNotificationEventBridgeModel)

        # Then it has the EventBridge envelope SAM CLI generates (plus "version", which every
        # EventBridge event carries), and its function accepts it as a day of the data bucket
        assert set(sample) == set(generated_scheduled_event) | {"version"}
        assert parsed.detail_type == "Object Created"
        assert parsed.detail.bucket.name == sample["resources"][0].removeprefix("arn:aws:s3:::") == SAMPLE_BUCKET
        accept = {"ScoreFunction": sealed_manifest, "RenderFunction": scored_day, "IndexFunction": search_day}[
            S3_SAMPLES[name]
        ]
        assert accept(sample, SAMPLE_BUCKET).digest_date == DAY


def test_each_s3_sample_starts_its_function_under_the_templates_rules() -> None:
    # Given the template's rules, with the samples' bucket as the data bucket
    rules = wiring.rules(wiring.load_template(TEMPLATE), {"DataBucket": SAMPLE_BUCKET, "SiteBucket": "site"})

    for name, function in S3_SAMPLES.items():
        # When the sample is matched against them
        targets = [rule.function for rule in rules if rule.matches(load_event(name))]

        # Then it starts exactly its function
        assert targets == [function]


def test_an_s3_event_for_a_key_naming_no_day_is_refused_before_any_work() -> None:
    # Given an S3 sample re-pointed at a key without a date
    event = load_event("score-raw-manifest.json")
    event["detail"]["object"]["key"] = "raw/latest/manifest.json"

    # When score reads it / Then the event is refused, naming the key
    with pytest.raises(EventError, match=re.escape("raw/latest/manifest.json")):
        sealed_manifest(event, SAMPLE_BUCKET)

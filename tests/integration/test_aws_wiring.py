"""The template's wiring, proven in moto server: fetch -> S3 -> EventBridge -> score -> ... -> site.

Buckets and rules come from the SAM translator's expansion of template.yaml, created in moto
on loopback; an SQS inbox stands where each rule's Lambda target is. The test plays Lambda: it
invokes the targeted handler with each event its inbox received, exactly as delivered.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from hotpapers.events import object_created
from hotpapers.offline.replay import ReplayServer
from hotpapers.offline.wiring import load_template
from support.aws_support import (
    RECORDING,
    TEMPLATE,
    Function,
    S3Calls,
    Stack,
    Wiring,
    aws_environment,
    deploy_wiring,
    expand,
    load_event,
    load_function,
    moto_server,
    objects,
    reset,
    shape,
)

pytestmark = pytest.mark.integration

DAY = "2026-06-02"
MORNING_AFTER = datetime(2026, 6, 3, 7, 45, tzinfo=UTC)


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def account(moto: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty moto account, boto3 pointed at it, and no settings from the caller's shell."""
    for name in list(os.environ):
        if name.startswith(("HOTPAPERS_", "AWS_", "POWERTOOLS_")):
            monkeypatch.delenv(name)
    for name, value in aws_environment(moto).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    reset(moto)
    parameters.clear_caches()
    return moto


@pytest.fixture
def upstreams() -> Iterator[tuple[ReplayServer, dict[str, str]]]:
    """The recorded day's upstreams on loopback, and the settings that point at them."""
    server, env = ReplayServer.from_recording(RECORDING)
    # Credentials come from where the template says, not from the recording's environment.
    env.pop("HOTPAPERS_X_BEARER_TOKEN")
    with server:
        yield server, env


@dataclass
class Deployment:
    stack: Stack
    wiring: Wiring
    functions: dict[str, Function]

    def bucket(self, logical: str) -> str:
        return self.wiring.buckets[logical]


def deploy(upstream_env: dict[str, str], chosen: dict[str, str] | None = None) -> Deployment:
    stack = Stack(expand(parameters=chosen), chosen)
    wiring = deploy_wiring(stack)
    source = load_template(TEMPLATE)
    functions = {
        logical: load_function(source, stack, logical, upstream_env)
        for logical in stack.of_type("AWS::Lambda::Function")
    }
    return Deployment(stack, wiring, functions)


def keys(events: list[dict[str, Any]]) -> list[str]:
    return [event["detail"]["object"]["key"] for event in events]


def test_the_schedule_starts_a_chain_that_publishes_the_day(
    account: str, upstreams: tuple[ReplayServer, dict[str, str]]
) -> None:
    # Given the template deployed to moto, and the X token in SSM under the template's CredentialsPath
    server, env = upstreams
    boto3.client("ssm").put_parameter(Name="/hotpapers/x_bearer_token", Value="token-from-ssm", Type="SecureString")
    aws = deploy(env)

    # When the schedule fires the morning after the recorded day
    fetched = aws.functions["FetchFunction"](aws.stack.scheduled_event("FetchFunction", MORNING_AFTER))
    after_fetch = aws.wiring.drain()
    # ... and each function is invoked with what its rule delivered
    scored = [aws.functions["ScoreFunction"](event) for event in after_fetch["ScoreFunction"]]
    after_score = aws.wiring.drain()
    published = [aws.functions["RenderFunction"](event) for event in after_score["RenderFunction"]]
    after_render = aws.wiring.drain()
    indexed = [aws.functions["IndexFunction"](event) for event in after_render["IndexFunction"]]
    after_index = aws.wiring.drain()

    # Then fetch sealed the day before the run, reading its token from SSM
    assert fetched["status"] == "sealed"
    assert fetched["date"] == DAY
    searches = server.requests_to("/2/tweets/search/recent")
    assert searches
    assert {request.headers["Authorization"] for request in searches} == {"Bearer token-from-ssm"}
    # ... S3 sent an event for every raw object, and only the manifest, written last, reached score
    raw_written = keys(after_fetch["witness"])
    assert len(raw_written) > 1
    assert raw_written[-1] == f"raw/{DAY}/manifest.json"
    assert all(key.startswith(f"raw/{DAY}/") for key in raw_written)
    assert keys(after_fetch["ScoreFunction"]) == [f"raw/{DAY}/manifest.json"]
    assert after_fetch["RenderFunction"] == []
    assert after_fetch["IndexFunction"] == []
    # ... score's one write reached render only
    assert [result["key"] for result in scored] == [f"scored/{DAY}.json"]
    assert keys(after_score["witness"]) == [f"scored/{DAY}.json"]
    assert keys(after_score["RenderFunction"]) == [f"scored/{DAY}.json"]
    assert after_score["ScoreFunction"] == []
    # ... render published the digest to the site bucket, which starts nothing, and last wrote
    # the day's search records, which reached the index step only
    site = objects(aws.bucket("SiteBucket"))
    [digest] = published
    assert digest["date"] == DAY
    assert set(digest["keys"]) <= set(site)
    assert site[f"digests/{DAY}.md"].decode().startswith(f"---\ntitle: Hot Papers {DAY}\n")
    assert keys(after_render["witness"]) == [f"search/days/{DAY}.json"]
    assert keys(after_render["IndexFunction"]) == [f"search/days/{DAY}.json"]
    assert after_render["ScoreFunction"] == after_render["RenderFunction"] == []
    # ... and the index step published the search index of the day, its own writes starting nothing
    [index] = indexed
    assert index["date"] == DAY
    site = objects(aws.bucket("SiteBucket"))
    assert json.loads(site["pagefind/bundles.json"]) == {"bundles": ["recent"]}
    assert "pagefind/recent/pagefind-entry.json" in site
    assert keys(after_index.pop("witness")) == ["search/records/recent.json.gz", "search/published.json"]
    assert after_index == {"ScoreFunction": [], "RenderFunction": [], "IndexFunction": []}


def test_the_events_eventbridge_delivers_have_the_shape_of_the_sample_events(
    account: str, upstreams: tuple[ReplayServer, dict[str, str]]
) -> None:
    # Given the template deployed to moto
    _, env = upstreams
    aws = deploy(env)
    data = aws.bucket("DataBucket")

    # When the three objects that start a function are written
    s3 = boto3.client("s3")
    s3.put_object(Bucket=data, Key=f"raw/{DAY}/manifest.json", Body=b"{}")
    s3.put_object(Bucket=data, Key=f"scored/{DAY}.json", Body=b"{}")
    s3.put_object(Bucket=data, Key=f"search/days/{DAY}.json", Body=b"{}")
    delivered = aws.wiring.drain()

    # Then what reaches each function is shaped like its sample in events/ (moto spells etag eTag)
    [manifest_event] = delivered["ScoreFunction"]
    [scored_event] = delivered["RenderFunction"]
    assert shape(manifest_event, moto=True) == shape(load_event("score-raw-manifest.json"))
    assert shape(scored_event, moto=True) == shape(load_event("render-scored-day.json"))
    [records_event] = delivered["IndexFunction"]
    assert shape(records_event, moto=True) == shape(load_event("index-search-records.json"))


def test_each_rule_starts_its_function_on_its_own_objects_only(
    account: str, upstreams: tuple[ReplayServer, dict[str, str]]
) -> None:
    # Given the template deployed to moto, and EventBridge notifications turned on for the site
    # bucket too, so that only the rules' own filters can keep site writes from starting anything
    _, env = upstreams
    aws = deploy(env)
    data, site = aws.bucket("DataBucket"), aws.bucket("SiteBucket")
    s3 = boto3.client("s3")
    s3.put_bucket_notification_configuration(Bucket=site, NotificationConfiguration={"EventBridgeConfiguration": {}})
    writes = [
        (data, f"raw/{DAY}/20260603T074645Z/arxiv/page-0000.xml"),
        (data, f"raw/{DAY}/20260603T074645Z/x/search-0000.json"),
        (data, f"raw/{DAY}/manifest.json"),
        (data, "raw/manifest.json"),
        (data, f"scored/{DAY}.json"),
        (data, f"scored/{DAY}.json.tmp"),
        (data, f"search/days/{DAY}.json"),
        (data, "search/records.json.gz"),
        (data, "search/records/recent.json.gz"),
        (data, "search/published.json"),
        (site, f"raw/{DAY}/manifest.json"),
        (site, f"search/days/{DAY}.json"),
        (site, "pagefind/recent/pagefind-entry.json"),
        (site, f"scored/{DAY}.json"),
        (site, f"digests/{DAY}.json"),
        (site, "index.html"),
        (site, "feed.xml"),
    ]

    # When each object is written
    routed = {}
    for bucket, key in writes:
        s3.put_object(Bucket=bucket, Key=key, Body=b"{}")
        delivered = aws.wiring.drain()
        assert keys(delivered.pop("witness")) == [key], "S3 did not send the event at all"
        routed[(bucket, key)] = sorted(function for function, events in delivered.items() if events)

    # Then only a raw manifest, a scored day and a day's search records, in the data bucket, start anything
    assert routed == {
        (data, f"raw/{DAY}/20260603T074645Z/arxiv/page-0000.xml"): [],
        (data, f"raw/{DAY}/20260603T074645Z/x/search-0000.json"): [],
        (data, f"raw/{DAY}/manifest.json"): ["ScoreFunction"],
        (data, "raw/manifest.json"): [],
        (data, f"scored/{DAY}.json"): ["RenderFunction"],
        (data, f"scored/{DAY}.json.tmp"): [],
        (data, f"search/days/{DAY}.json"): ["IndexFunction"],
        (data, "search/records.json.gz"): [],
        (data, "search/records/recent.json.gz"): [],
        (data, "search/published.json"): [],
        (site, f"raw/{DAY}/manifest.json"): [],
        (site, f"search/days/{DAY}.json"): [],
        (site, "pagefind/recent/pagefind-entry.json"): [],
        (site, f"scored/{DAY}.json"): [],
        (site, f"digests/{DAY}.json"): [],
        (site, "index.html"): [],
        (site, "feed.xml"): [],
    }


def test_repeated_deliveries_publish_nothing_twice(
    account: str, upstreams: tuple[ReplayServer, dict[str, str]]
) -> None:
    # Given a day published through the chain (with the recording's fixed clock)
    _, env = upstreams
    boto3.client("ssm").put_parameter(Name="/hotpapers/x_bearer_token", Value="t", Type="SecureString")
    aws = deploy(env)
    tick = aws.stack.scheduled_event("FetchFunction", MORNING_AFTER)
    run_chain(aws, tick)
    data_before = objects(aws.bucket("DataBucket"))
    site_before = objects(aws.bucket("SiteBucket"))

    # When the scheduler delivers the same tick again and EventBridge repeats every event
    deliveries = run_chain(aws, tick)
    for function, events in deliveries.items():
        for event in events:
            aws.functions[function](event)

    # Then every object holds the same bytes as after the first delivery, and the day is listed once
    assert objects(aws.bucket("DataBucket")) == data_before
    assert objects(aws.bucket("SiteBucket")) == site_before
    feed = json.loads(site_before["feed.json"])
    assert [item for item in feed["items"] if DAY in json.dumps(item)] == feed["items"][:1]


def run_chain(aws: Deployment, first: dict[str, Any], calls: S3Calls | None = None) -> dict[str, list[dict[str, Any]]]:
    """Invoke fetch with ``first`` and then every function its writes start; returns what each received."""
    calls = calls or S3Calls()
    received: dict[str, list[dict[str, Any]]] = {"ScoreFunction": [], "RenderFunction": [], "IndexFunction": []}
    with calls.acting_as("FetchFunction"):
        aws.functions["FetchFunction"](first)
    pending = aws.wiring.drain()
    while any(pending[function] for function in received):
        for function in received:
            for event in pending[function]:
                received[function].append(event)
                with calls.acting_as(function):
                    aws.functions[function](event)
        pending = aws.wiring.drain()
    return received


def test_each_function_asks_s3_only_for_what_its_role_grants(
    account: str, upstreams: tuple[ReplayServer, dict[str, str]]
) -> None:
    # Given every S3 request recorded (moto enforces no IAM), from the handlers' cold start on
    _, env = upstreams
    boto3.client("ssm").put_parameter(Name="/hotpapers/x_bearer_token", Value="t", Type="SecureString")
    with S3Calls().recording() as calls:
        aws = deploy(env)

        # When a scheduled day runs through the chain
        run_chain(aws, aws.stack.scheduled_event("FetchFunction", MORNING_AFTER), calls)

    # Then every function used S3, and its role grants each of its requests
    assert {call.function for call in calls.calls} == set(aws.functions)
    assert [call for call in calls.calls if not call.allowed_by(aws.stack)] == []
    # ... among them fetch's look for a sealed manifest on a day that had none: a listing of that
    # very key, which its role allows, rather than a blind read (on AWS a 403 unless listable),
    # ... and the first index step's reads of the search documents no step has written yet (the
    # one document of every day's records earlier steps kept among them), which its role may list
    # (search/), so that S3 answers 404 there too
    data = aws.bucket("DataBucket")
    assert calls.missing == [
        ("IndexFunction", f"{data}/search/published.json"),
        ("IndexFunction", f"{data}/search/records.json.gz"),
        ("IndexFunction", f"{data}/search/records/recent.json.gz"),
    ]
    assert all(call.allowed_by(aws.stack) for call in calls.calls if call.function == "IndexFunction")
    manifest = f"raw/{DAY}/manifest.json"
    assert any(
        call.function == "FetchFunction" and call.action == "s3:ListBucket" and ("s3:prefix", manifest) in call.context
        for call in calls.calls
    )


def test_credentials_come_from_the_secret_when_the_stack_names_one(
    account: str, upstreams: tuple[ReplayServer, dict[str, str]]
) -> None:
    # Given a Secrets Manager secret holding the credentials, and a stack deployed with its ARN
    server, env = upstreams
    secret = boto3.client("secretsmanager").create_secret(
        Name="hotpapers/credentials", SecretString=json.dumps({"x_bearer_token": "token-from-secret"})
    )
    aws = deploy(env, {"CredentialsSecretArn": secret["ARN"]})

    # When fetch runs for a date given by hand
    fetched = aws.functions["FetchFunction"](load_event("fetch-date.json"))

    # Then X was called with the secret's token, and SSM was not configured at all
    assert fetched["status"] == "sealed"
    searches = server.requests_to("/2/tweets/search/recent")
    assert {request.headers["Authorization"] for request in searches} == {"Bearer token-from-secret"}
    assert "HOTPAPERS_SSM_PREFIX" not in aws.functions["FetchFunction"].env
    assert aws.functions["FetchFunction"].env["HOTPAPERS_SECRET_ARN"] == secret["ARN"]


def versions(bucket: str) -> list[tuple[str, str]]:
    """Every version of every object in ``bucket``: a rewrite with the same bytes still adds one."""
    pages = boto3.client("s3").get_paginator("list_object_versions").paginate(Bucket=bucket)
    return sorted((item["Key"], item["VersionId"]) for page in pages for item in page.get("Versions", []))


@pytest.fixture
def published(account: str, upstreams: tuple[ReplayServer, dict[str, str]]) -> tuple[Deployment, dict[str, Any]]:
    """The recorded day published through the chain; the events each function received."""
    _, env = upstreams
    boto3.client("ssm").put_parameter(Name="/hotpapers/x_bearer_token", Value="t", Type="SecureString")
    aws = deploy(env)
    received = run_chain(aws, aws.stack.scheduled_event("FetchFunction", MORNING_AFTER))
    return aws, received


def refused_events(aws: Deployment, received: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Events each function must refuse, by name, built from the ones it really received."""
    [manifest_event] = received["ScoreFunction"]
    [scored_event] = received["RenderFunction"]
    [records_event] = received["IndexFunction"]
    data = aws.bucket("DataBucket")
    # A worse fetch kept beside the sealed one (its sources lost), as an unsealed fetch leaves it
    s3 = boto3.client("s3")
    manifest = json.loads(s3.get_object(Bucket=data, Key=f"raw/{DAY}/manifest.json")["Body"].read())
    attempt_key = f"raw/{DAY}/20260603T090000Z/attempt.json"
    attempt = json.dumps({**manifest, "sources": {}}).encode()
    s3.put_object(Bucket=data, Key=attempt_key, Body=attempt)
    aws.wiring.drain()

    def changed(event: dict[str, Any], *path_and_value: Any) -> dict[str, Any]:
        copy = json.loads(json.dumps(event))
        *path, last, value = path_and_value
        target = copy
        for step in path:
            target = target[step]
        if value is ...:
            del target[last]
        else:
            target[last] = value
        return copy

    return {
        "score: Object Deleted": changed(manifest_event, "detail-type", "Object Deleted"),
        "score: foreign bucket": changed(manifest_event, "detail", "bucket", "name", "someone-elses-bucket"),
        "score: unsealed attempt": object_created(data, attempt_key, attempt, when=MORNING_AFTER),
        "score: no object key": changed(manifest_event, "detail", "object", "key", ...),
        "score: no detail": changed(manifest_event, "detail", ...),
        "score: a scored day": scored_event,
        "render: Object Deleted": changed(scored_event, "detail-type", "Object Deleted"),
        "render: foreign bucket": changed(scored_event, "detail", "bucket", "name", "someone-elses-bucket"),
        "render: a manifest": manifest_event,
        "render: a temporary key": changed(scored_event, "detail", "object", "key", f"scored/{DAY}.json.tmp"),
        "render: a day's search records": records_event,
        "index: foreign bucket": changed(records_event, "detail", "bucket", "name", "someone-elses-bucket"),
        "index: a scored day": scored_event,
        "index: records of a day that does not exist": changed(
            records_event, "detail", "object", "key", "search/days/2026-05-29.json"
        ),
        "fetch: an S3 event calling itself scheduled": changed(manifest_event, "detail-type", "Scheduled Event"),
        "fetch: the first day of the calendar": {"date": "0001-01-01"},
        "score: a manifest that does not exist": changed(
            manifest_event, "detail", "object", "key", "raw/2026-05-29/manifest.json"
        ),
        "render: a scored day that does not exist": changed(
            scored_event, "detail", "object", "key", "scored/2026-05-29.json"
        ),
    }


def test_malformed_and_foreign_events_are_refused_with_no_writes(published: tuple[Deployment, dict[str, Any]]) -> None:
    # Given a published day, and events each function must refuse
    aws, received = published
    refused = refused_events(aws, received)
    buckets = [aws.bucket("DataBucket"), aws.bucket("SiteBucket")]
    before = {bucket: versions(bucket) for bucket in buckets}

    for name, event in refused.items():
        # When the function the name starts with receives it
        function = {
            "score": "ScoreFunction",
            "render": "RenderFunction",
            "fetch": "FetchFunction",
            "index": "IndexFunction",
        }[name.split(":")[0]]
        answer = aws.functions[function](event)

        # Then it answers with a refusal (no retry could make it acceptable) and writes nothing anywhere
        assert answer.get("status") == "refused", name
        assert {bucket: versions(bucket) for bucket in buckets} == before, name
    assert aws.wiring.drain() == {"ScoreFunction": [], "RenderFunction": [], "IndexFunction": [], "witness": []}


def test_the_same_events_concurrently_and_out_of_order_publish_the_same_bytes_once(
    published: tuple[Deployment, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a published day, the events that published it, and every function's settings in place
    # (so that concurrent invocations do not set and restore the environment under each other)
    aws, received = published
    for function in aws.functions.values():
        for name, value in function.env.items():
            monkeypatch.setenv(name, value)
    data_before = objects(aws.bucket("DataBucket"))
    site_before = objects(aws.bucket("SiteBucket"))
    deliveries = [(function, event) for function, events in received.items() for event in events]

    # When every event is delivered four times at once, then once more in reverse order
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda delivery: aws.functions[delivery[0]](delivery[1]), deliveries * 4))
    answers += [aws.functions[function](event) for function, event in reversed(deliveries)]

    # Then every delivery was accepted, every object holds the same bytes, and the day is published once
    assert all(answer.get("status") != "refused" for answer in answers)
    assert objects(aws.bucket("DataBucket")) == data_before
    site = objects(aws.bucket("SiteBucket"))
    assert site == site_before
    feed = json.loads(site["feed.json"])
    assert [item for item in feed["items"] if DAY in json.dumps(item)] == feed["items"][:1]
    # (the index links the day from its archive list once, besides its "latest" heading and top ten)
    assert site["index.html"].decode().count(f'<li><a href="digests/{DAY}.html">') == 1


def test_a_later_tick_refreshes_a_recent_day_through_the_templates_rules_to_a_rerendered_digest(
    account: str, upstreams: tuple[ReplayServer, dict[str, str]]
) -> None:
    # Given the day published through the chain by its morning's tick
    _, env = upstreams
    boto3.client("ssm").put_parameter(Name="/hotpapers/x_bearer_token", Value="t", Type="SecureString")
    aws = deploy(env)
    run_chain(aws, aws.stack.scheduled_event("FetchFunction", MORNING_AFTER))
    first = objects(aws.bucket("DataBucket"))[f"raw/{DAY}/manifest.json"]
    # When the schedule ticks two days later, the day being 2 days older than the one it publishes
    later = {**env, "HOTPAPERS_NOW": "2026-06-05T07:46:45Z", "HOTPAPERS_REFRESH_AGES": "2"}
    aws.functions["FetchFunction"] = load_function(load_template(TEMPLATE), aws.stack, "FetchFunction", later)
    received = run_chain(aws, aws.stack.scheduled_event("FetchFunction", datetime(2026, 6, 5, 7, 45, tzinfo=UTC)))
    # Then the refresh's manifest, beside the untouched first, started score, and score started render
    refresh = f"raw/{DAY}/refreshes/20260605T074645Z/manifest.json"
    assert refresh in keys(received["ScoreFunction"])
    assert f"scored/{DAY}.json" in keys(received["RenderFunction"])
    assert objects(aws.bucket("DataBucket"))[f"raw/{DAY}/manifest.json"] == first
    # ... and the digest published again carries the latest counts, their time and each paper's history
    digest = json.loads(objects(aws.bucket("SiteBucket"))[f"digests/{DAY}.json"])
    assert digest["counts_as_of"] == "2026-06-05T07:46:45Z"
    assert [point["as_of"] for point in digest["papers"][0]["history"]] == [
        "2026-06-03T07:46:45Z",
        "2026-06-05T07:46:45Z",
    ]

"""``backfill --stack`` and ``status --stack`` against a stack in moto server.

The stack is created through CloudFormation with the template's own output names for the
buckets and the fetch function. moto runs Lambda without Docker here: each invoke answers with
the next result queued through moto's API, as the deployed FetchFunction would answer; what
the CLI sent is recorded from boto3's own request events.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from hotpapers.cli import main
from hotpapers.cli.aws import OUTPUTS
from hotpapers.offline.replay import ReplayServer, Reply
from hotpapers.offline.wiring import load_template
from support.aws_support import REGION, TEMPLATE, aws_environment, moto_server, reset
from support.builders import atom_entry, atom_feed

pytestmark = pytest.mark.integration

FUNCTION = "hotpapers-FetchFunction-1A2B3C"
HOT = "2606.01234"
STACK_TEMPLATE = {
    "Resources": {"DataBucket": {"Type": "AWS::S3::Bucket"}, "SiteBucket": {"Type": "AWS::S3::Bucket"}},
    "Outputs": {
        "DataBucketName": {"Value": {"Ref": "DataBucket"}},
        "SiteBucketName": {"Value": {"Ref": "SiteBucket"}},
        "FetchFunctionName": {"Value": FUNCTION},
    },
}


def test_the_outputs_the_cli_reads_are_the_templates() -> None:
    assert set(OUTPUTS.values()) <= set(load_template(TEMPLATE)["Outputs"])


@pytest.fixture(scope="module")
def moto() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def stack(moto: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, str]]:
    """An empty moto account with the stack deployed, Lambda without Docker; its URL and its outputs."""
    for name in list(os.environ):
        if name.startswith(("HOTPAPERS_", "AWS_", "POWERTOOLS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOTPAPERS_NOW", "2026-06-10T08:00:00Z")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # the test's event hooks leave with it
    for name, value in aws_environment(moto).items():
        monkeypatch.setenv(name, value)
    reset(moto)
    requests.post(f"{moto}/moto-api/config", json={"lambda": {"use_docker": False}}, timeout=10).raise_for_status()
    cloudformation = boto3.client("cloudformation")
    cloudformation.create_stack(StackName="hotpapers", TemplateBody=json.dumps(STACK_TEMPLATE))
    outputs = cloudformation.describe_stacks(StackName="hotpapers")["Stacks"][0]["Outputs"]
    return moto, {output["OutputKey"]: output["OutputValue"] for output in outputs}


def answer(endpoint: str, result: dict[str, Any]) -> None:
    """Queue what the next invoke answers (moto's Lambda without Docker)."""
    body = {"results": [json.dumps(result)], "region": REGION}
    requests.post(f"{endpoint}/moto-api/static/lambda-simple/response", json=body, timeout=10).raise_for_status()


def seal(bucket: str, day: str, sources: dict[str, str]) -> None:
    manifest = {"date": day, "sources": {name: {"status": status} for name, status in sources.items()}}
    boto3.client("s3").put_object(Bucket=bucket, Key=f"raw/{day}/manifest.json", Body=json.dumps(manifest).encode())


def publish(outputs: dict[str, str], day: str) -> None:
    """The day scored and its digest published, as the score and render steps leave them."""
    scored = json.dumps({"date": day, "papers_fetched": 700, "papers": []}).encode()
    boto3.client("s3").put_object(Bucket=outputs["DataBucketName"], Key=f"scored/{day}.json", Body=scored)
    boto3.client("s3").put_object(Bucket=outputs["SiteBucketName"], Key=f"digests/{day}.json", Body=scored)


def test_backfill_on_aws_sends_one_fetch_event_per_day_and_skips_the_published(
    stack: tuple[str, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint, outputs = stack
    # Given Tuesday already sealed and published, and the deployed function answering each day it is sent
    seal(outputs["DataBucketName"], "2026-06-02", {"x": "ok"})
    publish(outputs, "2026-06-02")
    for day in ("2026-06-01", "2026-06-03"):
        answer(endpoint, {"date": day, "status": "sealed", "papers": 700, "failed_sources": {}})
    sent: list[dict[str, Any]] = []
    boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None

    def record(params: dict[str, Any], **_: Any) -> None:
        sent.append({key: params[key] for key in ("FunctionName", "InvocationType", "Payload")})

    session.events.register("provide-client-params.lambda.Invoke", record)
    # When Monday to Wednesday is backfilled on the stack
    status = main(["backfill", "--from", "2026-06-01", "--to", "2026-06-03", "--stack", "hotpapers"])
    # Then the function got one synchronous {"date": D} event per day not sealed, oldest first
    out, err = capsys.readouterr()
    assert status == 0, err
    assert [(s["FunctionName"], s["InvocationType"], json.loads(s["Payload"])) for s in sent] == [
        (FUNCTION, "RequestResponse", {"date": "2026-06-01"}),
        (FUNCTION, "RequestResponse", {"date": "2026-06-03"}),
    ]
    assert "[2/3] 2026-06-02: published before, skipped" in err
    rows = {line.split()[0]: line for line in out.splitlines()}
    assert rows["2026-06-01"].endswith("sealed, 700 papers; score and render follow on AWS")
    assert rows["2026-06-02"].endswith("skipped")


@pytest.mark.parametrize("scored", [False, True], ids=["sealed only", "sealed and scored"])
def test_backfill_on_aws_resumes_a_sealed_day_by_creating_its_last_object_again(
    stack: tuple[str, dict[str, str]], capsys: pytest.CaptureFixture[str], scored: bool
) -> None:
    _, outputs = stack
    # Given Tuesday sealed (and scored) but never published: a step killed on the way
    seal(outputs["DataBucketName"], "2026-06-02", {"x": "ok"})
    if scored:
        key = "scored/2026-06-02.json"
        scored_day = json.dumps({"date": "2026-06-02", "papers_fetched": 700, "papers": []}).encode()
        boto3.client("s3").put_object(Bucket=outputs["DataBucketName"], Key=key, Body=scored_day)
    else:
        key = "raw/2026-06-02/manifest.json"
    before = boto3.client("s3").get_object(Bucket=outputs["DataBucketName"], Key=key)["Body"].read()
    boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None
    sent: list[str] = []
    session.events.register("provide-client-params.lambda.Invoke", lambda params, **_: sent.append("invoke"))
    session.events.register("provide-client-params.s3.PutObject", lambda params, **_: sent.append(params["Key"]))
    # When the day is backfilled on the stack
    status = main(["backfill", "--from", "2026-06-02", "--to", "2026-06-02", "--stack", "hotpapers"])
    # Then no fetch is sent: the object its unfinished step starts from is written again, byte for
    # byte, so that S3's "Object Created" starts that step on AWS
    out, err = capsys.readouterr()
    assert status == 0, err
    assert sent == [key]
    assert boto3.client("s3").get_object(Bucket=outputs["DataBucketName"], Key=key)["Body"].read() == before
    step = "RenderFunction" if scored else "ScoreFunction"
    assert f"[1/1] 2026-06-02: sealed before, not published: writing {key} again" in err
    assert out.splitlines()[1].endswith(f"resumed: {key} written again; {step} and what follows run on AWS")


def test_backfill_on_aws_reports_a_failed_invoke_and_exits_1(
    stack: tuple[str, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the function failing: Lambda's answer carries FunctionError and the handler's error
    endpoint, outputs = stack
    answer(endpoint, {"errorType": "UpstreamError", "errorMessage": "arxiv: HTTP 503"})
    boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None

    def handler_failed(parsed: dict[str, Any], **_: Any) -> None:
        parsed["FunctionError"] = "Unhandled"

    session.events.register("after-call.lambda.Invoke", handler_failed)
    # When a day is backfilled through --function and the buckets
    data, site = f"s3://{outputs['DataBucketName']}", f"s3://{outputs['SiteBucketName']}"
    status = main(
        [
            "backfill",
            "--from",
            "2026-06-01",
            "--to",
            "2026-06-01",
            "--function",
            FUNCTION,
            "--data",
            data,
            "--site",
            site,
        ]
    )
    # Then the day is reported failed and the exit status is 1
    assert status == 1
    assert "failed: UpstreamError: arxiv: HTTP 503" in capsys.readouterr().out


def test_status_on_aws_reads_the_stacks_buckets(
    stack: tuple[str, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a day sealed with Reddit out of reach, and its digest published
    _, outputs = stack
    seal(outputs["DataBucketName"], "2026-06-02", {"x": "ok", "reddit": "out-of-reach"})
    boto3.client("s3").put_object(Bucket=outputs["SiteBucketName"], Key="digests/2026-06-02.json", Body=b"{}")
    # When the stack's status is asked
    assert main(["status", "--stack", "hotpapers"]) == 0
    # Then the day's row says what exists and which source was out of reach
    row = capsys.readouterr().out.splitlines()[1].split()
    assert row == ["2026-06-02", "yes", "-", "yes", "-", "-", "1", "ok,", "reddit", "out-of-reach"]


def test_an_unknown_stack_or_a_function_without_its_bucket_is_refused_with_exit_2(
    stack: tuple[str, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--stack", "nonesuch"]) == 2
    assert "error: cannot read stack nonesuch" in capsys.readouterr().err
    assert main(["backfill", "--from", "2026-06-01", "--to", "2026-06-01", "--function", FUNCTION]) == 2
    assert "--function needs --data s3://" in capsys.readouterr().err


def test_doctor_on_aws_checks_the_deployed_functions_configuration_not_this_shells(
    stack: tuple[str, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    replay: ReplayServer,
) -> None:
    # Given the deployed fetch function configured for Hacker News at a stand-in, and this shell for X
    monkeypatch.setenv("HOTPAPERS_SOURCES", "x")
    hit = {"objectID": "1", "title": "t", "url": f"https://arxiv.org/abs/{HOT}", "points": 3, "num_comments": 0}
    hit.update({"author": "a", "created_at_i": 1780362000})
    replay.add("/api/query", Reply(200, atom_feed([atom_entry(HOT, published="2026-06-01T12:00:00Z")])))
    replay.add(
        "/api/v1/search_by_date",
        Reply.json({"hits": [hit], "nbHits": 1, "nbPages": 1}),
    )
    role = boto3.client("iam").create_role(RoleName="fetch", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    deployed = {
        "HOTPAPERS_SOURCES": "hackernews",
        "HOTPAPERS_NOW": "2026-06-03T07:45:00Z",
        "HOTPAPERS_ARXIV_API_URL": f"{replay.url}/api/query",
        "HOTPAPERS_HN_API_URL": replay.url,
    }
    boto3.client("lambda").create_function(
        FunctionName=FUNCTION,
        Runtime="python3.12",
        Role=role,
        Handler="app.lambda_handler",
        Code={"ZipFile": zipped_handler()},
        Environment={"Variables": deployed},
    )
    # When the doctor checks the stack
    status = main(["doctor", "--stack", "hotpapers", "--paper", HOT])
    # Then it asked arXiv and Hacker News, as the function is configured, and both answered
    out, err = capsys.readouterr()
    assert status == 0, out + err
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["arxiv", "hackernews"]
    assert len(replay.requests_to("/api/v1/search_by_date")) == 1


def zipped_handler() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def lambda_handler(event, context):\n    return {}\n")
    return buffer.getvalue()

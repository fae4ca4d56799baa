"""The deployed stack, driven from the CLI: backfill through FetchFunction, status from the buckets.

A backfill sends FetchFunction the manual event ``{"date": D}`` for each day, one at a time,
and waits for each answer (a synchronous invoke). arXiv must not see two fetchers at once:
the function's reserved concurrency of 1 guarantees that when the stack reserves it, but a
stack deployed with ``ReserveFetchConcurrency=false`` has no such guard, and asynchronous
invokes that meet the reservation are throttled and retried by Lambda for hours, in no
promised order. Waiting on each day keeps arXiv's pace either way, keeps the days oldest
first, and gives each day's outcome for the summary. Score and render then follow on AWS,
started by EventBridge; ``status --stack`` shows when they are done.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from hotpapers.cli.local import FAILED, KEPT, NOTHING, each_day, fetch_event, starts
from hotpapers.cli.report import DayReport
from hotpapers.cli.terminal import Progress
from hotpapers.config import Settings, load_settings
from hotpapers.store import S3Store, Store, open_store

# The template's outputs (template.yaml, Outputs) the CLI reads.
OUTPUTS = {"function": "FetchFunctionName", "data": "DataBucketName", "site": "SiteBucketName"}
# FetchFunction may run for its whole 900 s timeout; the invoke waits a little longer.
INVOKE_READ_TIMEOUT = 960


class StackError(ValueError):
    """The stack or its outputs cannot be found, or AWS refuses the caller."""


@dataclass(frozen=True)
class Deployment:
    function: str | None
    data: Store
    site: Store


def resolve(stack: str | None, function: str | None, data: str, site: str) -> Deployment:
    """The fetch function and the buckets: from the stack's outputs, else from the options."""
    if not stack:
        if function and not data.startswith("s3://"):
            raise StackError("--function needs --data s3://<data bucket> (to skip the sealed days), or use --stack")
        return Deployment(function, open_store(data), open_store(site))
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        described = boto3.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
    except (ClientError, BotoCoreError) as exc:
        raise StackError(f"cannot read stack {stack}: {exc}") from exc
    outputs = {output["OutputKey"]: output["OutputValue"] for output in described.get("Outputs", [])}
    missing = sorted(set(OUTPUTS.values()) - set(outputs))
    if missing:
        raise StackError(f"stack {stack} has no output {', '.join(missing)}; is it a Hot Papers stack?")
    return Deployment(
        function or outputs[OUTPUTS["function"]], S3Store(outputs[OUTPUTS["data"]]), S3Store(outputs[OUTPUTS["site"]])
    )


def deployed_settings(deployment: Deployment) -> Settings:
    """The settings the deployed fetch function runs with, read from its configuration."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    from hotpapers.doctor import deployed_environment

    if not deployment.function:
        raise StackError("the stack names no fetch function")
    try:
        environment = deployed_environment(deployment.function, boto3.client("lambda"))
    except (ClientError, BotoCoreError) as exc:
        raise StackError(f"cannot read the configuration of {deployment.function}: {exc}") from exc
    return load_settings(environment)


def invoke_fetch(client: Any, function: str, day: date, force: bool = False) -> str:
    """Invoke FetchFunction for ``day`` (``force``: sealing even a thinner fetch), wait, and say
    what it answered."""
    response = client.invoke(
        FunctionName=function, InvocationType="RequestResponse", Payload=json.dumps(fetch_event(day, force))
    )
    answer = json.loads(response["Payload"].read() or b"{}")
    if response.get("FunctionError"):
        return f"{FAILED}: {answer.get('errorType', 'error')}: {answer.get('errorMessage', '')}"
    if answer.get("status") == "sealed":
        replacing = ", replacing a fuller snapshot (--force)" if answer.get("forced") else ""
        return f"sealed, {answer.get('papers')} papers{replacing}; score and render follow on AWS"
    if answer.get("status") == "kept-previous":
        return KEPT
    return f"{NOTHING}: {answer.get('reason')}" if answer.get("status") == "no-announcement" else f"answered {answer}"


def backfill(deployment: Deployment, days: list[date], force: bool) -> list[tuple[DayReport, str]]:
    """Send each day to the deployed FetchFunction, oldest first, one after another."""
    import boto3
    from botocore.config import Config

    function = deployment.function
    if not function:
        raise StackError("a backfill on AWS needs --stack NAME or --function NAME")
    client = boto3.client("lambda", config=Config(read_timeout=INVOKE_READ_TIMEOUT, retries={"max_attempts": 0}))

    def fetch(day: date, progress: Progress) -> str:
        progress.step(day, f"invoking {function}")
        return invoke_fetch(client, function, day, force)

    def resume(day: date, key: str, progress: Progress) -> str:
        # The object written again, byte for byte, is created again: its event starts on AWS
        # the step that never finished, as it did the first time.
        progress.step(day, f"sealed before, not published: writing {key} again")
        deployment.data.put(key, deployment.data.get(key), "application/json")
        return f"resumed: {key} written again; {starts(key)} and what follows run on AWS"

    return each_day(days, deployment.data, deployment.site, force, fetch, resume)

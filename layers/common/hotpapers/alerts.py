"""Telling the operator what failed or looks wrong, without a fixed monthly fee.

On AWS everything the operator must hear of lands in the stack's one ``Alerts`` queue, watched by
one alarm that emails its topic: Lambda's on-failure destinations and the triggers' dead letters
put there the events given up, and the functions put there, through ``alert``, what they answer
rather than fail on (a refused event) or publish anyway (a source whose day collapsed). One
alarm of one metric is $0.10 a month; an alarm and a custom metric per condition cost ten times
that (docs/deploy.md, "What it costs").

``HOTPAPERS_ALERT_QUEUE`` (the queue's URL, set by the template) turns it on; without it, as on
this machine, the log line each caller writes is the whole of the alert. Sending is best effort:
the work is done and logged either way, so a queue that cannot be reached is logged, never raised.
"""

from __future__ import annotations

import json
import os
from typing import Any

from hotpapers.observability import logger

QUEUE = "HOTPAPERS_ALERT_QUEUE"


def alert(kind: str, **detail: Any) -> bool:
    """Put one message ``{"kind": kind, **detail}`` in the alert queue; whether it was sent."""
    queue = os.environ.get(QUEUE)
    if not queue:
        return False
    # Imported here: only a function with something to report pays for an SQS client.
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    body = json.dumps({"kind": kind, **detail}, sort_keys=True, default=str)
    try:
        boto3.client("sqs").send_message(QueueUrl=queue, MessageBody=body)
    except (BotoCoreError, ClientError) as exc:
        logger.error("alert not sent", extra={"kind": kind, "error": f"{type(exc).__name__}: {exc}"})
        return False
    return True

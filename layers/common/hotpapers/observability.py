"""Logger, Metrics and Tracer, created once and configured by the ``POWERTOOLS_*`` variables.

The service and namespace below are the template's; ``POWERTOOLS_LOG_LEVEL``,
``POWERTOOLS_METRICS_DISABLED``, ``POWERTOOLS_TRACE_DISABLED`` and the like still apply.

Metrics are few on purpose: CloudWatch bills each custom metric by the hours it is sent in, so
a run a day sends the day's three figures (papers fetched, papers listed, digest published) and
a source-failure count only on a day a source failed. Everything else a run knows is in its log
lines, the manifest and the scored day; what the operator must act on goes to ``alerts``.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

from hotpapers.redaction import RedactingFilter

SERVICE = "hotpapers"
NAMESPACE = "HotPapers"

logger = Logger(service=SERVICE)
# On the handler, so that whichever formatter prints the record (JSON on Lambda, lines in the
# CLI) gets it with every secret masked.
logger.registered_handler.addFilter(RedactingFilter())
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
# Only what every function uses (S3, through botocore) is patched: patching a library loads it,
# and each costs cold start. The fetch function adds ``requests`` (``trace_upstream_calls``).
tracer = Tracer(service=SERVICE, patch_modules=("botocore",))


def trace_upstream_calls() -> None:
    """Trace each upstream HTTP call (``requests``) too: the fetch function's, the one that makes them."""
    tracer.patch(("requests",))


def processing(digest_date: str, **keys: str) -> None:
    """Tag every later log line, and the trace, with the digest date being worked on."""
    logger.append_keys(digest_date=digest_date, **keys)
    tracer.put_annotation(key="digest_date", value=digest_date)

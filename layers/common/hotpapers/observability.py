"""Logger, Metrics and Tracer, created once and configured by the ``POWERTOOLS_*`` variables.

The service and namespace below are the template's; ``POWERTOOLS_LOG_LEVEL``,
``POWERTOOLS_METRICS_DISABLED``, ``POWERTOOLS_TRACE_DISABLED`` and the like still apply.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

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


def count_per_source(name: str, counts: Mapping[str, int]) -> None:
    """Publish ``name`` once per source, with a ``source`` dimension.

    The handler's ``metrics`` share one set of dimensions, so each source gets its own EMF
    record here, flushed at once.
    """
    for source, value in counts.items():
        per_source = EphemeralMetrics(namespace=NAMESPACE, service=SERVICE)
        per_source.add_dimension(name="source", value=source)
        per_source.add_metric(name=name, unit=MetricUnit.Count, value=value)
        per_source.flush_metrics()

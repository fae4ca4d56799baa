"""RenderFunction: ``scored/<D>.json`` (its S3 event) becomes the published digest on the site bucket."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from hotpapers.config import load_settings
from hotpapers.events import refusing, scored_day, stored
from hotpapers.observability import logger, metrics, processing, tracer
from hotpapers.pipeline.render import render_day
from hotpapers.store import open_store

# Cold start: configuration is validated once, and fails the init on anything missing.
SETTINGS = load_settings()
DATA = open_store(SETTINGS.required("data_store"))
SITE = open_store(SETTINGS.required("site_store"), compressed=True)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE, clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
@refusing
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    scored = stored(scored_day(event, DATA.bucket), DATA)
    processing(scored.digest_date.isoformat(), scored=scored.key)
    published = render_day(scored.key, SETTINGS, DATA, SITE)
    metrics.add_metric(name="DigestPublished", unit=MetricUnit.Count, value=1)
    return published

"""ScoreFunction: a sealed raw snapshot (its manifest's S3 event) becomes ``scored/<D>.json``."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from hotpapers.config import load_settings
from hotpapers.events import refusing, sealed_manifest, stored
from hotpapers.observability import logger, metrics, processing, tracer
from hotpapers.pipeline.score import score_day
from hotpapers.store import open_store

# Cold start: configuration is validated once, and fails the init on anything missing.
SETTINGS = load_settings()
DATA = open_store(SETTINGS.required("data_store"))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE, clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
@refusing
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    manifest = stored(sealed_manifest(event, DATA.bucket), DATA)
    processing(manifest.digest_date.isoformat(), manifest=manifest.key)
    scored = score_day(manifest.key, SETTINGS, DATA)
    metrics.add_metric(name="PapersListed", unit=MetricUnit.Count, value=len(scored["papers"]))
    return {"date": scored["date"], "key": scored["key"], "listed": len(scored["papers"])}

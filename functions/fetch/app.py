"""FetchFunction: a schedule's tick (or a manual date) becomes a sealed raw snapshot."""

from datetime import date
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from hotpapers.config import load_settings
from hotpapers.events import fetch_date, forced, refusing, scheduled
from hotpapers.observability import logger, metrics, processing, trace_upstream_calls, tracer
from hotpapers.pipeline.fetch import fetch_day
from hotpapers.pipeline.refresh import refresh_due
from hotpapers.schedule import NoAnnouncementError
from hotpapers.store import open_store

# Cold start: configuration is validated once, and fails the init on anything missing.
SETTINGS = load_settings()
DATA = open_store(SETTINGS.required("data_store"))
trace_upstream_calls()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE, clear_state=True)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
@refusing
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    day = fetch_date(event, SETTINGS.digest_lag_days)
    processing(day.isoformat())
    try:
        return _fetch(event, day, context)
    finally:
        # The schedule's tick refreshes the recent days whatever became of its own day's fetch.
        if scheduled(event):
            refresh_due(SETTINGS, DATA, lambda: context.get_remaining_time_in_millis() / 1000)


def _fetch(event: dict[str, Any], day: date, context: LambdaContext) -> dict[str, Any]:
    try:
        result = fetch_day(
            day, SETTINGS, DATA, time_left=context.get_remaining_time_in_millis() / 1000, force=forced(event)
        )
    except NoAnnouncementError as exc:
        logger.info("no announcement", extra={"reason": exc.reason})
        return {"date": day.isoformat(), "status": "no-announcement", "reason": exc.reason}
    metrics.add_metric(name="PapersFetched", unit=MetricUnit.Count, value=result.papers)
    if result.failed_sources:
        metrics.add_metric(name="SourceFailures", unit=MetricUnit.Count, value=len(result.failed_sources))
    return result.to_dict()

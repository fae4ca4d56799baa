"""IndexFunction: a day's search records (their S3 event) join the site's search over every day."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from hotpapers.config import load_settings
from hotpapers.events import refusing, search_day, stored
from hotpapers.observability import logger, processing, tracer
from hotpapers.pipeline.index import index_day
from hotpapers.store import open_store

# Cold start: configuration is validated once, and fails the init on anything missing.
SETTINGS = load_settings()
DATA = open_store(SETTINGS.required("data_store"))
SITE = open_store(SETTINGS.required("site_store"), compressed=True)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.EVENT_BRIDGE, clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@refusing
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = stored(search_day(event, DATA.bucket), DATA)
    processing(records.digest_date.isoformat(), records=records.key)
    # No custom metric: each is billed by the hour it is sent in, and the log line says as much.
    return index_day(records.key, DATA, SITE)

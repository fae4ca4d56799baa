"""What a month of daily runs costs on AWS, from measured figures, the template and stated prices.

The model bills, per day: the three invocations (fetch, score, render), each for its measured
duration plus its cold start (Lambda bills the INIT phase of managed runtimes since August
2025) at the memory the template gives it; the S3 requests the steps make; and the raw
snapshots kept for ``RawSnapshotRetentionDays`` (steady state: a full retention's worth). The
free tier is left out, so the figure holds for an account that has used it up.

Lambda gives a function CPU in proportion to its memory, a whole vCPU at 1,769 MB, so work
measured on one local core takes ``1769 / memory`` times as long there; the fetch's politeness
waits do not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# Public list prices, US East (N. Virginia), as stated on 2026-06 (AWS's pricing pages as quoted
# by third-party guides found through the search tool's docs and pages corpora, dated March and
# June 2026; AWS's own pages render these figures client-side, so they could not be read there):
#   Lambda arm64: $0.0000133334 per GB-second (first 7.5 billion GB-s a month), $0.20 per 1M requests
#   S3 Standard: $0.023 per GB-month (first 50 TB), PUT/COPY/POST/LIST $0.005 per 1,000, GET $0.0004 per 1,000
#   EventBridge: AWS service events on the default bus (S3 "Object Created") are free; Scheduler
#   invocations $1.00 per million (14 million a month free, left out here like every free tier)
PRICES_DATE = "2026-06"
PRICES = {
    "lambda_arm64_gb_second": 0.0000133334,
    "lambda_request": 0.20 / 1_000_000,
    "s3_gb_month": 0.023,
    "s3_put_or_list": 0.005 / 1000,
    "s3_get": 0.0004 / 1000,
    "eventbridge_s3_event": 0.0,
    "scheduler_invocation": 1.00 / 1_000_000,
}
FULL_VCPU_MB = 1769
DAYS_PER_MONTH = 365 / 12
FUNCTIONS = {"fetch": "FetchFunction", "score": "ScoreFunction", "render": "RenderFunction"}
# The render step reads back the newest digests for the feeds (render.archive.FEED_DAYS).
FEED_LENGTH = 20
SITE_WRITES = 6  # digest .md, .html, .json, feed.xml, feed.json, index.html


class _TemplateLoader(yaml.SafeLoader):
    """Reads a CloudFormation template, its short-form functions (``!Ref``, ``!Sub``...) as None."""


_TemplateLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Template:
    """What the bill needs from ``template.yaml``."""

    memory_mb: dict[str, int]
    """Each function's MemorySize (its own, else the Globals')."""
    raw_retention_days: int


def read_template(path: Path) -> Template:
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_TemplateLoader)  # noqa: S506 - SafeLoader subclass
    default = int(document["Globals"]["Function"]["MemorySize"])
    resources = document["Resources"]
    memory = {step: int(resources[name]["Properties"].get("MemorySize", default)) for step, name in FUNCTIONS.items()}
    retention = int(document["Parameters"]["RawSnapshotRetentionDays"]["Default"])
    return Template(memory_mb=memory, raw_retention_days=retention)


@dataclass(frozen=True)
class Day:
    """The measured figures of one day's run."""

    seconds: Mapping[str, float]
    """CPU-bound seconds of each step on one local core (fetch: besides its waits)."""
    waits: Mapping[str, float]
    """Seconds each step spends waiting (arXiv's politeness delays): the same on Lambda."""
    init_seconds: Mapping[str, float]
    """Each function's cold import on one local core."""
    peak_mb: Mapping[str, float]
    raw_documents: int
    raw_bytes: int


def monthly(day: Day, template: Template) -> dict[str, Any]:
    """The month's bill, in dollars, with its parts."""
    gb_seconds: dict[str, float] = {}
    for step, memory in template.memory_mb.items():
        slowdown = max(1.0, FULL_VCPU_MB / memory)
        billed = (day.seconds[step] + day.init_seconds[step]) * slowdown + day.waits.get(step, 0.0)
        gb_seconds[step] = billed * memory / 1024
    # Fetch lists raw/ and reads the manifest; score reads the manifest and every document; render
    # reads the scored day and the feed's digests, and lists digests/.
    puts = day.raw_documents + 1 + 1 + SITE_WRITES
    gets = 1 + (1 + day.raw_documents) + (1 + FEED_LENGTH)
    lists = 2
    daily = {
        "lambda_compute": sum(gb_seconds.values()) * PRICES["lambda_arm64_gb_second"],
        "lambda_requests": len(template.memory_mb) * PRICES["lambda_request"],
        "s3_requests": (puts + lists) * PRICES["s3_put_or_list"] + gets * PRICES["s3_get"],
        "events": 2 * PRICES["eventbridge_s3_event"] + PRICES["scheduler_invocation"],
    }
    parts = {name: value * DAYS_PER_MONTH for name, value in daily.items()}
    parts["s3_storage"] = day.raw_bytes * template.raw_retention_days / 1e9 * PRICES["s3_gb_month"]
    return {
        "usd_month": sum(parts.values()),
        "parts": parts,
        "gb_seconds_per_day": gb_seconds,
        "fits_memory": {step: peak < template.memory_mb[step] for step, peak in day.peak_mb.items()},
        "memory_mb": template.memory_mb,
        "prices": PRICES,
        "prices_date": PRICES_DATE,
    }

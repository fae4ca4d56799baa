"""What a month of daily runs costs on AWS, from measured figures, the template and stated prices.

The model bills, per day: the three invocations (fetch, score, render), and the search index
step's (``Index``: its build at the archive's measured size, its records read and written, the
index files that changed), and the refreshes of earlier days each run makes
(``refreshes_month``), each for its measured
duration plus its cold start (Lambda bills the INIT phase of managed runtimes since August
2025) at the memory the template gives it; the S3 requests the steps make, counted from the
objects the day's snapshot actually stores (its packs and its manifest); and those objects kept,
at steady state, as the template's lifecycle keeps them: in S3 Standard, then (from
``RawSnapshotColdDays``, for objects of 128 KiB or more, as S3's lifecycle does by default) in
Glacier Instant Retrieval with one transition request each, until ``RawSnapshotRetentionDays``
and the data bucket's ``NoncurrentDays`` after it (the bucket is versioned: an expired object is
kept as a noncurrent version that long). The free tier is left out, so the figure holds for an
account that has used it up.

The bill is the whole of it: besides the runs, what the stack costs whether it runs or not, read
from the template (``fixed``: each resource type's monthly fee, ``MONTHLY_FEES``; every type
without one is named in ``FREE_TYPES`` with why, and a type in neither fails the tests), and the
custom metrics the handlers send (``METRICS_PER_RUN``), which CloudWatch bills by the hours they
are sent in.

Lambda gives a function CPU in proportion to its memory, a whole vCPU at 1,769 MB, so work
measured on one local core takes ``1769 / memory`` times as long there; the fetch's politeness
waits do not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

# Public list prices, US East (N. Virginia), as stated on 2026-06 (AWS's pricing pages as quoted
# by third-party guides found through the search tool's docs and pages corpora, dated March to
# June 2026; AWS's own pages render these figures client-side, so they could not be read there):
#   Lambda arm64: $0.0000133334 per GB-second (first 7.5 billion GB-s a month), $0.20 per 1M requests
#   S3 Standard: $0.023 per GB-month (first 50 TB), PUT/COPY/POST/LIST $0.005 per 1,000, GET $0.0004 per 1,000
#   S3 Glacier Instant Retrieval: $0.004 per GB-month (90 days at least, objects billed as 128 KB at
#   least), lifecycle transitions into it $0.02 per 1,000, reads $0.03 per GB (only to re-score an
#   old day: not part of the daily runs)
#   EventBridge: AWS service events on the default bus (S3 "Object Created") are free; Scheduler
#   invocations $1.00 per million (14 million a month free, left out here like every free tier)
#   CloudWatch: $0.10 per alarm metric a month (standard resolution); custom metrics $0.30 per
#   metric a month, prorated by the hour (a metric sent in one hour of a day pays 1/730 of it)
#   KMS: $1.00 per customer-managed key a month; Secrets Manager: $0.40 per secret a month
# A GB of S3 storage is 2**30 bytes.
PRICES_DATE = "2026-06"
PRICES = {
    "lambda_arm64_gb_second": 0.0000133334,
    "lambda_request": 0.20 / 1_000_000,
    "s3_gb_month": 0.023,
    "s3_put_or_list": 0.005 / 1000,
    "s3_get": 0.0004 / 1000,
    "glacier_ir_gb_month": 0.004,
    "glacier_ir_transition": 0.02 / 1000,
    "eventbridge_s3_event": 0.0,
    "scheduler_invocation": 1.00 / 1_000_000,
    "alarm_metric_month": 0.10,
    "custom_metric_month": 0.30,
    "kms_key_month": 1.00,
    "secret_month": 0.40,
}
HOURS_PER_MONTH = 730
# The custom metrics the runs send, once each (functions/*/app.py), and on which days: the fetch's
# on digest dates (``SourceFailures`` only on a day a source failed: billed here as if every day
# had one), the score's and the render's on every day's tick, whose refreshes of earlier days run
# them on a day with no digest of its own too.
METRICS_PER_RUN = {
    "PapersFetched": "digest date",
    "SourceFailures": "digest date",
    "PapersListed": "tick",
    "DigestPublished": "tick",
}
# Resource types with a monthly fee whatever the stack does: the fee of one such resource.
MONTHLY_FEES: dict[str, Callable[[dict[str, Any]], float]] = {
    # An alarm pays per metric it watches: one, or each MetricStat of its metric math.
    "AWS::CloudWatch::Alarm": lambda properties: (
        PRICES["alarm_metric_month"]
        * max(1, sum(1 for metric in properties.get("Metrics", ()) if "MetricStat" in metric))
    ),
    "AWS::KMS::Key": lambda properties: PRICES["kms_key_month"],
    "AWS::SecretsManager::Secret": lambda properties: PRICES["secret_month"],
}
# Resource types that cost nothing while the stack is idle, and why; what they cost when used is
# the runs' part of the bill (or, for readers' traffic, docs/deploy.md).
FREE_TYPES = {
    "AWS::Serverless::Function": "billed per request and duration: the runs",
    "AWS::Serverless::LayerVersion": "its zip counts against Lambda's free code storage (75 GB)",
    "AWS::S3::Bucket": "billed per request and stored GB: the runs and the site",
    "AWS::S3::BucketPolicy": "no charge",
    "AWS::SQS::Queue": "billed per request; an idle queue costs nothing",
    "AWS::SQS::QueuePolicy": "no charge",
    "AWS::SNS::Topic": "billed per message published and email sent: a few a month at most",
    "AWS::SNS::Subscription": "no charge",
    "AWS::Logs::LogGroup": "billed per GB ingested and stored: a few MB a month",
    "AWS::CloudFront::Distribution": "pay-as-you-go: billed per request and GB sent to readers",
    "AWS::CloudFront::OriginAccessControl": "no charge",
    "AWS::CloudFront::CachePolicy": "no charge",
}
GB = 2**30
GLACIER_IR_MIN_DAYS = 90
# S3's lifecycle leaves objects under 128 KiB where they are (its default since September 2024).
TRANSITION_MIN_BYTES = 128 * 1024
FULL_VCPU_MB = 1769
DAYS_PER_MONTH = 365 / 12
SCHEDULE_YEAR = 2025


def digests_a_month(year: int = SCHEDULE_YEAR) -> float:
    """The digest dates of an average month of ``year``: the days arXiv announces on (weekdays, less
    the holidays of its published schedule, ``hotpapers.holidays``), a twelfth of the year's."""
    from hotpapers.config import load_settings
    from hotpapers.schedule import NoAnnouncementError, window_for

    holidays = load_settings({}).arxiv_holidays
    announced = 0
    for offset in range((date(year + 1, 1, 1) - date(year, 1, 1)).days):
        try:
            window_for(date(year, 1, 1) + timedelta(days=offset), holidays)
        except NoAnnouncementError:
            continue
        announced += 1
    return announced / 12


# The schedule ticks every day (``DAYS_PER_MONTH``), but the chain runs on digest dates only: a
# tick on another day finds no announcement and stops (its fetch's cold start is billed). Refreshes
# come with digest dates too: each is refreshed once at each of its ages.
DIGESTS_PER_MONTH = digests_a_month()
FUNCTIONS = {"fetch": "FetchFunction", "score": "ScoreFunction", "render": "RenderFunction"}
# What the render step reads of the archive, whatever its size: the summaries of the newest
# digests and of the day's week and month, its neighbours' digests, and the listings of the months
# it needs (``make bench``'s ``p7``: 61 reads and 9 listings for a new day at 1,500 days), and one
# listing more: the day's folder, for posts pages published before papers had pages.
RENDER_READS = 61
RENDER_LISTS = 10


class _TemplateLoader(yaml.SafeLoader):
    """Reads a CloudFormation template, its short-form functions (``!Ref``, ``!Sub``...) as None."""


_TemplateLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Template:
    """What the bill needs from ``template.yaml``."""

    memory_mb: dict[str, int]
    """Each function's MemorySize (its own, else the Globals')."""
    raw_retention_days: int
    raw_cold_days: int = 0
    """Days in S3 Standard before Glacier Instant Retrieval; 0: never."""
    noncurrent_days: int = 0
    """Days an expired (noncurrent) version of an object is kept in the versioned data bucket."""
    resources: Mapping[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    """Each resource's type and properties, by logical id."""
    index_memory_mb: int = 0
    """IndexFunction's MemorySize (billed with ``Index``)."""


def read_template(path: Path) -> Template:
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_TemplateLoader)  # noqa: S506 - SafeLoader subclass
    default = int(document["Globals"]["Function"]["MemorySize"])
    resources = document["Resources"]
    memory = {step: int(resources[name]["Properties"].get("MemorySize", default)) for step, name in FUNCTIONS.items()}
    parameters = document["Parameters"]
    rules = resources["DataBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    noncurrent = [
        rule["NoncurrentVersionExpiration"]["NoncurrentDays"] for rule in rules if "NoncurrentVersionExpiration" in rule
    ]
    return Template(
        memory_mb=memory,
        index_memory_mb=int(resources["IndexFunction"]["Properties"].get("MemorySize", default)),
        raw_retention_days=int(parameters["RawSnapshotRetentionDays"]["Default"]),
        raw_cold_days=int(parameters["RawSnapshotColdDays"]["Default"]),
        noncurrent_days=max(noncurrent, default=0),
        resources={name: (resource["Type"], resource.get("Properties") or {}) for name, resource in resources.items()},
    )


class UnknownResourceError(ValueError):
    """A resource type the bill knows neither the fee of nor as free."""


def fixed(template: Template) -> dict[str, float]:
    """The stack's monthly fees, by resource type; ``UnknownResourceError`` for a type in neither
    ``MONTHLY_FEES`` nor ``FREE_TYPES``, so that no new fee goes unbilled."""
    fees: dict[str, float] = {}
    for name, (kind, properties) in sorted(template.resources.items()):
        if kind in MONTHLY_FEES:
            fees[kind] = fees.get(kind, 0.0) + MONTHLY_FEES[kind](properties)
        elif kind not in FREE_TYPES:
            raise UnknownResourceError(
                f"{name}: {kind} is neither billed (MONTHLY_FEES) nor known to be free (FREE_TYPES)"
            )
    return fees


def metrics_month(per_run: Mapping[str, str] = METRICS_PER_RUN) -> float:
    """The custom metrics a month of runs sends: each for one hour of each day it is sent on."""
    days = {"digest date": DIGESTS_PER_MONTH, "tick": DAYS_PER_MONTH}
    return sum(days[when] for when in per_run.values()) * PRICES["custom_metric_month"] / HOURS_PER_MONTH


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
    raw_objects: tuple[int, ...]
    """The size in bytes of each object the day's snapshot stores (its packs, its manifest)."""
    site_writes: int = 0
    """The objects the render step writes (``render_day``'s keys; the hashed assets, written once
    for a deployment, left out): the day's own files and the shared pages it appears on."""
    site_day_bytes: int = 0
    """The bytes of the day's own site files (``digests/<D>...``, ``archive/<D>.json``), which
    stay published; the shared pages are rewritten in place."""
    refresh_objects: tuple[int, ...] = ()
    """The size of each object a refresh of the day stores: the attention sources' packs and a
    manifest (arXiv's pages are not fetched again)."""


@dataclass(frozen=True)
class Index:
    """The measured figures of the search index step, on an archive of ``days`` digest days:
    daily, the recent days' bundle built again; once a month, the two-year bundle the oldest
    recent month moves into (``hotpapers.search``)."""

    seconds: float
    """A day's build (the recent bundle) on one local core."""
    peak_mb: float
    """The largest build's peak (the monthly one), Pagefind's binary included."""
    writes: int
    """Index files a new day changes, each one PUT (stale ones are deleted, which S3 does not bill)."""
    days: int
    monthly_seconds: float = 0.0
    monthly_writes: int = 0
    init_seconds: float = 0.5
    """Its cold start (``p4``'s import of the handler)."""


# The index step reads the day's records, the cumulative records and the list of published
# files, and writes the last two back; the render writes the day's records.
INDEX_GETS = 3
INDEX_PUTS = 3


def index_month(index: Index, memory_mb: int) -> dict[str, float]:
    """A month of daily index steps and one monthly move: Lambda time at ``memory_mb``, and S3 requests."""
    slowdown = max(1.0, FULL_VCPU_MB / memory_mb)
    seconds = (index.seconds + index.init_seconds) * DIGESTS_PER_MONTH + index.monthly_seconds
    writes = (INDEX_PUTS + index.writes) * DIGESTS_PER_MONTH + index.monthly_writes
    return {
        "index_compute": seconds * slowdown * memory_mb / 1024 * PRICES["lambda_arm64_gb_second"],
        "index_requests": writes * PRICES["s3_put_or_list"]
        + (INDEX_GETS * PRICES["s3_get"] + PRICES["lambda_request"]) * DIGESTS_PER_MONTH,
    }


def refreshes_month(day: Day, template: Template, count: int, index: Index | None = None) -> dict[str, float]:
    """A month of ``count`` refreshes of earlier days a day (``HOTPAPERS_REFRESH_AGES``), each of a
    day like ``day``. A refresh asks the attention sources again within the day's FetchFunction
    invocation (billed as the fetch's CPU again: no arXiv wait, no cold start of its own), stores
    ``day.refresh_objects``, scores the day again from each of its snapshots (the k-th refresh of
    a day reads and scores k + 1), and renders and indexes it again as a first run does."""
    if count == 0:
        return {}
    scored = sum(refresh + 1 for refresh in range(1, count + 1))
    seconds = {
        "fetch": day.seconds["fetch"] * count,
        "score": day.seconds["score"] * scored + day.init_seconds["score"] * count,
        "render": (day.seconds["render"] + day.init_seconds["render"]) * count,
    }
    gb_seconds = sum(
        seconds[step] * max(1.0, FULL_VCPU_MB / memory) * memory / 1024 for step, memory in template.memory_mb.items()
    )
    # Each refresh writes its objects, the scored day and the site; the score step lists the
    # day's snapshots and reads each one's objects (billed at the first's count), the render
    # reads what a first render reads.
    puts = count * (len(day.refresh_objects) + 1 + day.site_writes)
    gets = scored * len(day.raw_objects) + count * (1 + RENDER_READS)
    lists = count * (1 + RENDER_LISTS)
    daily = {
        "refresh_lambda_compute": gb_seconds * PRICES["lambda_arm64_gb_second"],
        "refresh_requests": (puts + lists) * PRICES["s3_put_or_list"]
        + gets * PRICES["s3_get"]
        + count * (len(template.memory_mb) - 1) * PRICES["lambda_request"],
    }
    if index is not None:
        slowdown = max(1.0, FULL_VCPU_MB / template.index_memory_mb)
        index_seconds = count * (index.seconds + index.init_seconds) * slowdown
        daily["refresh_lambda_compute"] += (
            index_seconds * template.index_memory_mb / 1024 * PRICES["lambda_arm64_gb_second"]
        )
        daily["refresh_requests"] += count * (
            (INDEX_PUTS + index.writes) * PRICES["s3_put_or_list"]
            + INDEX_GETS * PRICES["s3_get"]
            + PRICES["lambda_request"]
        )
    parts = {name: value * DIGESTS_PER_MONTH for name, value in daily.items()}
    kept = storage(day.refresh_objects * count, template)
    parts["refresh_storage"] = kept["s3_storage"] + kept["s3_transitions"]
    return parts


def storage(objects: tuple[int, ...], template: Template) -> dict[str, float]:
    """A month of the raw snapshots at steady state: each digest date's objects, for the days they
    are kept in each storage class, and their transitions."""
    kept = template.raw_retention_days + template.noncurrent_days
    cold = template.raw_cold_days if 0 < template.raw_cold_days < template.raw_retention_days else 0
    standard_gb_days = glacier_gb_days = 0.0
    transitions = 0
    for size in objects:
        if cold and size >= TRANSITION_MIN_BYTES:
            standard_gb_days += size / GB * cold
            glacier_gb_days += size / GB * max(kept - cold, GLACIER_IR_MIN_DAYS)
            transitions += 1
        else:
            standard_gb_days += size / GB * kept
    # Kept ``kept`` days, a digest date's objects are there ``kept`` times the share of days that
    # are digest dates.
    share = DIGESTS_PER_MONTH / DAYS_PER_MONTH
    return {
        "s3_storage": share
        * (standard_gb_days * PRICES["s3_gb_month"] + glacier_gb_days * PRICES["glacier_ir_gb_month"]),
        "s3_transitions": transitions * DIGESTS_PER_MONTH * PRICES["glacier_ir_transition"],
    }


def monthly(day: Day, template: Template, index: Index | None = None, refreshes: int = 0) -> dict[str, Any]:
    """The month's bill, in dollars, with its parts (the search index step's, given ``index``, and
    ``refreshes`` a day's, ``refreshes_month``)."""
    gb_seconds: dict[str, float] = {}
    for step, memory in template.memory_mb.items():
        slowdown = max(1.0, FULL_VCPU_MB / memory)
        billed = (day.seconds[step] + day.init_seconds[step]) * slowdown + day.waits.get(step, 0.0)
        gb_seconds[step] = billed * memory / 1024
    # Fetch lists raw/, reads the manifest and writes the snapshot's objects; score reads them
    # (each pack once, the manifest first) and writes the scored day; render reads the scored
    # day and what it needs of the archive, and writes the site.
    objects = len(day.raw_objects)
    puts = objects + 1 + day.site_writes
    gets = 1 + objects + RENDER_READS
    lists = 1 + RENDER_LISTS
    daily = {
        "lambda_compute": sum(gb_seconds.values()) * PRICES["lambda_arm64_gb_second"],
        "lambda_requests": len(template.memory_mb) * PRICES["lambda_request"],
        "s3_requests": (puts + lists) * PRICES["s3_put_or_list"] + gets * PRICES["s3_get"],
        "events": 2 * PRICES["eventbridge_s3_event"] + PRICES["scheduler_invocation"],
    }
    parts = {name: value * DIGESTS_PER_MONTH for name, value in daily.items()}
    # The other ticks: the scheduler's invocation and the fetch's cold start, finding no announcement.
    idle = DAYS_PER_MONTH - DIGESTS_PER_MONTH
    idle_gb_seconds = day.init_seconds["fetch"] * max(1.0, FULL_VCPU_MB / template.memory_mb["fetch"])
    parts["lambda_compute"] += (
        idle * idle_gb_seconds * template.memory_mb["fetch"] / 1024 * PRICES["lambda_arm64_gb_second"]
    )
    parts["lambda_requests"] += idle * PRICES["lambda_request"]
    parts["events"] += idle * PRICES["scheduler_invocation"]
    parts["custom_metrics"] = metrics_month()
    parts["fixed"] = sum(fixed(template).values())
    parts.update(storage(day.raw_objects, template))
    # The month's digests stay published: written through the month, they are kept half of it
    # on average. Every month of digests kept adds twice this to each later month's bill.
    site_gb_month = day.site_day_bytes * DIGESTS_PER_MONTH / GB
    parts["s3_site_storage"] = site_gb_month / 2 * PRICES["s3_gb_month"]
    if index is not None:
        parts.update(index_month(index, template.index_memory_mb))
    parts.update(refreshes_month(day, template, refreshes, index))
    return {
        "usd_month": sum(parts.values()),
        "parts": parts,
        "gb_seconds_per_day": gb_seconds,
        "fixed": fixed(template),
        "raw_objects_per_day": objects,
        "raw_mb_per_day": sum(day.raw_objects) / 2**20,
        "site_writes_per_day": day.site_writes,
        "refreshes_per_day": refreshes,
        "site_gb_added_per_month": site_gb_month,
        "fits_memory": {step: peak < template.memory_mb[step] for step, peak in day.peak_mb.items()}
        | ({"index": index.peak_mb < template.index_memory_mb} if index else {}),
        "memory_mb": template.memory_mb,
        "raw_days": {
            "retention": template.raw_retention_days,
            "cold_after": template.raw_cold_days,
            "noncurrent": template.noncurrent_days,
        },
        "prices": PRICES,
        "prices_date": PRICES_DATE,
    }

"""p7: one day rendered into archives of 10, 100 and 1,500 digest days, through the S3 store.

The archives are built in moto server (on 127.0.0.1, in this process) from the big day's own
scored document: each earlier weekday gets a copy of a typical day (the big day's top
``TYPICAL_PAPERS`` papers), re-dated, as renders leave it (its JSON digest, its summary, its
month's mark). Then the newest day, typical or the whole big day, is rendered into each archive
by a fresh interpreter (``measures._step("growth")``), which counts its S3 requests and measures
its CPU time and peak memory, so that the server's own work is not counted as the render's.
Sizes alternate and each figure is the median of ``repeats`` renders.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hotpapers import layout

from bench import bigday, measures

SIZES = (10, 100, 1500)
QUICK_SIZES = (10, 100)
TYPICAL_PAPERS = 25
REGION = "us-east-1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": REGION}


@contextmanager
def moto_server() -> Iterator[str]:
    """An S3 endpoint on loopback for the length of the block."""
    import logging

    from moto.server import ThreadedMotoServer

    # Its request log would drown the bench's progress lines.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _client(endpoint: str) -> Any:
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **_keys())


def _keys() -> dict[str, str]:
    return {
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }


def redated(scored: Mapping[str, Any], day: date) -> dict[str, Any]:
    return {**scored, "date": day.isoformat(), "fetched_at": f"{day + timedelta(days=1)}T07:46:45Z"}


def build_archive(endpoint: str, bucket: str, typical: Mapping[str, Any], days: int, newest: date) -> None:
    """``days`` digest days before ``newest`` in ``bucket``, as renders leave them."""
    from hotpapers.models import json_bytes
    from hotpapers.store import S3Store
    from hotpapers.website import summary

    client = _client(endpoint)
    client.create_bucket(Bucket=bucket)
    site = S3Store(bucket, client=client, compressed=True)
    dates: list[date] = []
    day = newest
    while len(dates) < days:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            dates.append(day)

    def publish(day: date) -> None:
        one = redated(typical, day)
        site.put(layout.digest_json(day), json_bytes(one))
        site.put(layout.month_key(day.isoformat()[:7]), json_bytes({"month": day.isoformat()[:7]}))
        site.put(layout.summary_key(day), json_bytes(summary(one)))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(publish, dates))


def render_once(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """In a fresh interpreter: render the scored day of ``arguments["scored"]`` into the bucket,
    counting each S3 request by its operation."""
    from hotpapers.store import S3Store
    from hotpapers.website import SiteOptions, publish_day

    os.environ.update(CREDENTIALS)
    client = _client(arguments["endpoint"])
    requests: dict[str, int] = {}

    def count(model: Any, **_: Any) -> None:
        requests[model.name] = requests.get(model.name, 0) + 1

    client.meta.events.register("before-call.s3", count)
    scored = json.loads(Path(arguments["scored"]).read_text(encoding="utf-8"))
    site = S3Store(arguments["bucket"], client=client, compressed=True)
    options = SiteOptions(site_url=measures.SITE_URL, sources=bigday.SOURCES, categories=("cs.*",))
    before = measures._peak_mb()
    cpu, wall = measures.clocks()
    publish_day(scored, options, site)
    cpu_after, wall_after = measures.clocks()
    return {
        "seconds": cpu_after - cpu,
        "wall_s": wall_after - wall,
        "peak_mb": measures._peak_mb(),
        "peak_before_mb": before,
        "requests": requests,
    }


def p7(data: Path, work: Path, quick: bool, repeats: int) -> dict[str, Any]:
    """Time, peak memory and S3 requests of one render at each archive size, and their growth."""
    from hotpapers.store import LocalStore

    sizes = QUICK_SIZES if quick else SIZES
    big = json.loads(LocalStore(data).get(layout.scored_key(bigday.DIGEST_DATE)))
    typical = {**big, "papers": big["papers"][:TYPICAL_PAPERS]}
    days = {"typical": typical, "big": big}
    files = {}
    for name, scored in days.items():
        files[name] = work / f"p7-{name}.json"
        files[name].write_text(json.dumps(redated(scored, bigday.DIGEST_DATE)), encoding="utf-8")
    runs: dict[tuple[str, int], list[dict[str, Any]]] = {}
    with moto_server() as endpoint:
        for size in sizes:
            print(f"p7: archive of {size} days", flush=True)
            build_archive(endpoint, f"site-{size}", typical, size, bigday.DIGEST_DATE)
        for _ in range(repeats):
            for name in days:
                for size in sizes:
                    arguments = {"endpoint": endpoint, "bucket": f"site-{size}", "scored": str(files[name])}
                    runs.setdefault((name, size), []).append(measures.in_fresh_interpreter("growth", arguments))
    smallest, largest = sizes[0], sizes[-1]
    figures: dict[str, Any] = {}
    for name in days:
        seconds = {size: measures.median([run["seconds"] for run in runs[(name, size)]]) for size in sizes}
        peaks = {size: max(run["peak_mb"] for run in runs[(name, size)]) for size in sizes}
        figures[name] = {
            "seconds": seconds,
            "wall_s": {size: measures.median([run["wall_s"] for run in runs[(name, size)]]) for size in sizes},
            "peak_mb": peaks,
            "requests": {size: sum(runs[(name, size)][-1]["requests"].values()) for size in sizes},
            "by_operation": runs[(name, largest)][-1]["requests"],
        }
        figures[name]["ratios"] = {
            "time": seconds[largest] / seconds[smallest],
            "memory": peaks[largest] / peaks[smallest],
        }
    middle = sizes[-2]
    return {
        "p7_growth_ratio": max(figure["ratios"]["time"] for figure in figures.values()),
        # From the archive the window fills on: below it a render reads every day there is.
        "p7_requests_ratio": max(
            figure["requests"][largest] / figure["requests"][middle] for figure in figures.values()
        ),
        "p7_memory_ratio": max(figure["ratios"]["memory"] for figure in figures.values()),
        "p7_requests_per_render": {
            name: {str(size): count for size, count in figure["requests"].items()} for name, figure in figures.items()
        },
        "p7_sizes": list(sizes),
        "p7": {
            name: {
                key: {str(size): value for size, value in value.items()} if key != "by_operation" else value
                for key, value in figure.items()
                if isinstance(value, dict)
            }
            for name, figure in figures.items()
        },
    }

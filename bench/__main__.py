"""``make bench`` (``python -m bench``): build the big day, take every measure, write the figures.

A full run builds the 3,000-paper, 100,000-post day, takes each measure several times, and
writes ``bench/results.json`` and the tables of ``docs/performance.md``; ``--baseline`` also
stores the figures as ``bench/baseline.json``, the "before" column; ``--docs`` measures nothing and
rewrites the page from ``bench/results.json``. ``--quick`` (CI) builds a
day a tenth the size, repeats less, waits 0.5 s instead of arXiv's 3 s, and writes only
``bench/results-quick.json``: it shows the harness works, its figures are not the goals'.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hotpapers.config import DEFAULT_REFRESH_AGES
from hotpapers.observability import logger

from bench import bigday, cost, growth, measures, report, search

BENCH = Path(__file__).resolve().parent
DOCS = bigday.ROOT / "docs" / "performance.md"
CACHE = bigday.ROOT / ".bench-cache"


def run(quick: bool) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Every figure of one run, and the profile of the score and render steps."""
    from hotpapers import snapshot
    from hotpapers.store import LocalStore

    size = bigday.QUICK if quick else bigday.FULL
    repeats = {"p1": 2, "p2": 3, "p3": 1, "p4": 2, "p7": 1} if quick else {"p1": 3, "p2": 5, "p3": 3, "p4": 5, "p7": 5}
    delay = 0.5 if quick else measures.ARXIV_DELAY
    started = time.monotonic()
    load = os.getloadavg()[0]
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hotpapers-bench-") as folder:
        work = Path(folder)
        data = work / "data"
        store = LocalStore(data)
        day = bigday.build(store, size)
        results["day"] = {
            "papers": day.papers,
            "posts": day.posts,
            "documents": day.documents,
            "raw_mb": day.raw_bytes / 2**20,
            "stored_objects": len(day.raw_objects),
            "stored_mb": sum(day.raw_objects) / 2**20,
            "seal_s": day.seal_seconds,
        }
        print(
            f"big day: {day.papers} papers, {sum(day.posts.values())} posts, {day.raw_bytes / 2**20:.0f} MB raw,"
            f" stored as {len(day.raw_objects)} objects of {sum(day.raw_objects) / 2**20:.1f} MB"
        )
        typical_data = work / "typical-data"
        typical = bigday.build(LocalStore(typical_data), bigday.TYPICAL)
        steps: tuple[tuple[str, Callable[[], dict[str, Any]]], ...] = (
            ("p1", lambda: measures.p1(day, data, work, repeats["p1"])),
            ("p6", lambda: measures.typical(typical, typical_data, work / "typical", repeats["p1"])),
            ("p2", lambda: measures.p2(list(snapshot.read(store, day.manifest_key).arxiv), repeats["p2"])),
            ("p5", lambda: measures.p5(data, work)),
            ("p7", lambda: growth.p7(data, work, quick, repeats["p7"])),
            # Quick: 20 days (one bundle); full: 1,500 days, every bundle built.
            ("p8", lambda: search.p8(work, quick)),
            ("p3", lambda: measures.p3(delay, repeats["p3"])),
            ("p4", lambda: measures.p4(CACHE, repeats["p4"])),
        )
        for name, step in steps:
            step_started = time.monotonic()
            results.update(step())
            print(f"{name}: done in {time.monotonic() - step_started:.0f} s", flush=True)
        profile = measures.profile(day, data, work)
    template = cost.read_template(bigday.ROOT / "template.yaml")
    index = cost.Index(
        seconds=results["p8_build_s"],
        peak_mb=results["p8_build_peak_mb"],
        writes=results["p8_writes_per_day"],
        days=results["p8_days"],
        monthly_seconds=results["p8_monthly_build_s"],
        monthly_writes=results["p8_writes_per_month"],
        init_seconds=results["p4_import_s"]["index"],
    )
    # p3's fetch is a 3-page arXiv day (the typical day's 715 papers are one page); each day's
    # sources add their sealing.
    fetch = results["p3_fetch_s"] - results["p3_floor_s"]
    days = {
        "typical": (results["p6_typical"], typical, "p6_usd_month", "p6_cost"),
        "big": (
            {key.removeprefix("p1_"): value for key, value in results.items() if key.startswith("p1_")},
            day,
            "p6_big_usd_month",
            "p6_big_cost",
        ),
    }
    for figures, measured, total, parts in days.values():
        bill = cost.monthly(
            cost.Day(
                seconds={
                    "fetch": fetch + measured.seal_seconds,
                    "score": figures["score_s"],
                    "render": figures["render_s"],
                },
                waits={"fetch": results["p3_floor_s"]},
                init_seconds={step: results["p4_import_s"][step] for step in measures.HANDLERS},
                peak_mb={"score": figures["score_peak_mb"], "render": figures["render_peak_mb"]},
                raw_objects=measured.raw_objects,
                site_writes=figures["site_writes"],
                site_day_bytes=figures["site_day_bytes"],
                refresh_objects=measured.refresh_objects,
            ),
            template,
            index,
            refreshes=len(DEFAULT_REFRESH_AGES),
        )
        results[total] = bill.pop("usd_month")
        results[parts] = bill
    results["run"] = {
        "mode": "quick" if quick else "full",
        "repeats": repeats,
        "seconds": time.monotonic() - started,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load": {"start": load, "end": os.getloadavg()[0]},
    }
    return results, profile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small day and few repeats (CI)")
    parser.add_argument("--baseline", action="store_true", help="also store the figures as bench/baseline.json")
    parser.add_argument("--docs", action="store_true", help="measure nothing: rewrite the page from bench/results.json")
    args = parser.parse_args(argv)
    # Steps run here too (p3, p5): their progress lines would drown the figures.
    logger.setLevel("ERROR")

    target = BENCH / ("results-quick.json" if args.quick else "results.json")
    if args.docs:
        stored = report.read_results(target)
        if stored is None:
            parser.error(f"{target} does not exist yet: run the bench first")
        results = stored
    else:
        results, profile = run(args.quick)
        results["profile"] = profile
        report.write_results(target, results)
        if args.baseline:
            report.write_results(BENCH / "baseline.json", results)
    if not args.quick:
        report.write_docs(DOCS, report.rounded(results), report.read_results(BENCH / "baseline.json"))
    print("\n".join(report.verdicts(results)))
    print(f"\n{target.relative_to(bigday.ROOT)}: a {results['run']['mode']} run of {results['run']['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

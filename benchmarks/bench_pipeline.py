"""How the score and render steps scale with a real day, as ratios to parsing its arXiv answer.

Run with ``make bench``. It builds the bundled demo day (715 papers, six sources) through the
real chain on loopback, then times, on the sealed snapshot, parsing the arXiv pages, the whole
score step and the whole render step. Each is the median of several runs, and each is given
relative to the parse, measured in the same run, so the goals hold on any machine. It exits
non-zero when a goal is missed.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hotpapers import arxiv, render, scoring, snapshot
from hotpapers.local.demo import run_demo
from hotpapers.store import LocalStore

REPEATS = 7
# Score parses the arXiv answer itself, then links every post to the day's papers: all it adds
# to the parse should stay below one more parse. Render writes the Markdown and the page of the
# listed papers only: a fraction of a parse. A quadratic slip in either shows at once.
GOALS = {"score": 2.0, "render": 0.25}


def median_seconds(work: Callable[[], object]) -> float:
    runs = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> int:
    os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
    with tempfile.TemporaryDirectory() as folder:
        data, site = Path(folder) / "data", Path(folder) / "site"
        from hotpapers.cli import run

        if run_demo(data, site, run) != 0:
            print("the demo day did not build", file=sys.stderr)
            return 1
        store = LocalStore(data)
        sealed = snapshot.read(store, snapshot.manifest_key("2026-06-02"))
        rules = scoring.Rules()
        scored = scoring.score_snapshot(sealed, rules)
        timings = {
            "parse": median_seconds(lambda: arxiv.parse_pages(sealed.arxiv)),
            "score": median_seconds(lambda: scoring.score_snapshot(sealed, rules)),
            "render": median_seconds(lambda: (render.markdown(scored), render.page(scored))),
        }
    papers, listed = scored["papers_fetched"], len(scored["papers"])
    print(f"\nday: {papers} papers, {listed} listed; median of {REPEATS} runs each")
    missed = []
    for step, seconds in timings.items():
        ratio = seconds / timings["parse"]
        goal = GOALS.get(step)
        verdict = "" if goal is None else (f"goal <= {goal:g}x: " + ("met" if ratio <= goal else "MISSED"))
        print(f"{step:>7}: {seconds * 1000:8.1f} ms  {ratio:5.2f}x parse  {verdict}")
        if goal is not None and ratio > goal:
            missed.append(step)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The figures of a run against their targets, as ``bench/results.json`` and a Markdown table.

``bench/baseline.json`` holds the figures measured before the performance work ("before");
``bench/results.json`` those of the latest full run ("after"). ``docs/performance.md`` shows
both, between markers this module rewrites; the prose around them is left alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Figure:
    key: str
    what: str
    target: float | None
    unit: str = "×"
    """How the value reads: ``×`` (a ratio), ``MB``, ``KB``, ``$`` or nothing (a count)."""
    below: bool = False
    """The target is strict (``<``) rather than ``≤``."""

    def met(self, value: float | None) -> bool | None:
        if self.target is None or value is None:
            return None
        return value < self.target if self.below else value <= self.target

    def shown(self, value: float | None) -> str:
        if value is None:
            return "—"
        if self.unit == "$":
            return f"${value:.3f}"
        if self.unit == "":
            return f"{value:g}"
        return f"{value:.2f}{'×' if self.unit == '×' else ' ' + self.unit}"

    def goal(self) -> str:
        if self.target is None:
            return "reported"
        return f"{'<' if self.below else '≤'} {self.shown(self.target)}"


FIGURES = (
    Figure("p1_ratio", "score + render of the big day ÷ JSON load + dump of its raw posts", 2.0),
    Figure("p1_peak_mb", "peak memory of the score or the render step (fresh process, RSS)", 256, "MB"),
    Figure("p2_vs_etree", "parse of the arXiv pages ÷ `xml.etree.ElementTree.iterparse`", None),
    Figure("p2_vs_arxiv_client", "parse of the arXiv pages ÷ the `arxiv` client's parse", None),
    Figure("p3_ratio", "fetch of a 3-page arXiv day (200 ms latency) ÷ the politeness floor", 1.2),
    Figure("p4_ratio_max", "cold import of the slowest handler ÷ `import boto3`", 1.5),
    Figure(
        "p5_page_kb",
        "bytes a reader downloads for a 25-paper digest, with all it loads (compressed as stored)",
        40,
        "KB",
    ),
    Figure("p5_third_party", "third-party `<script>`, `<iframe>`, `<img>` on that page", 0, ""),
    Figure(
        "p7_growth_ratio",
        "render of a day into 1,500 digest days ÷ into 10 (S3 on moto, the worse of a typical and the big day)",
        1.2,
    ),
    Figure("p7_memory_ratio", "its peak memory at 1,500 days ÷ at 10", 1.2),
    Figure(
        "p7_requests_ratio", "its S3 requests at 1,500 days ÷ at 100 (the newest digests' window full at both)", 1.0
    ),
    Figure("p8_build_s", "a day's search index step on 1,500 digest days (37,500 papers), one local core", None, "s"),
    Figure("p8_monthly_build_s", "the monthly build of the largest two-year bundle", None, "s"),
    Figure("p8_build_peak_mb", "the index step's peak memory, Pagefind's binary included", None, "MB"),
    Figure("p8_writes_per_day", "index files a day's index step writes (changed ones only)", None, ""),
    Figure("p8_writes_per_month", "index files the monthly move writes", None, ""),
    Figure("p8_query_kb", "bytes one search query downloads once search.html has loaded (as stored)", 150, "KB"),
    Figure("p8_first_load_kb", "bytes of search.html's first load: page, scripts, Pagefind's metadata", None, "KB"),
    Figure(
        "p6_usd_month",
        "the whole AWS bill of a month of a typical deployment: a typical day daily, refreshed three times, "
        "fixed fees, metrics",
        0.25,
        "$",
        below=True,
    ),
    Figure("p6_big_usd_month", "the same bill with the big day every day (a page for each listed paper)", None, "$"),
)
MARKERS = {
    "figures": ("<!-- bench:figures -->", "<!-- /bench:figures -->"),
    "profile": ("<!-- bench:profile -->", "<!-- /bench:profile -->"),
    "cost": ("<!-- bench:cost -->", "<!-- /bench:cost -->"),
}
COST_PARTS = {
    "lambda_compute": "Lambda duration (INIT and run)",
    "lambda_requests": "Lambda requests",
    "s3_requests": "S3 requests",
    "s3_storage": "S3 storage of the raw snapshots",
    "s3_transitions": "S3 lifecycle transitions to Glacier Instant Retrieval",
    "s3_site_storage": "S3 storage of the month's digests",
    "index_compute": "the search index step's Lambda duration (1,500 digest days)",
    "index_requests": "the search index step's S3 requests (changed index files, records)",
    "events": "EventBridge and Scheduler",
    "refresh_lambda_compute": "refreshes' Lambda duration (fetch CPU, a score of each snapshot, render, index)",
    "refresh_requests": "refreshes' S3 and Lambda requests",
    "refresh_storage": "S3 storage of the refreshes' snapshots",
    "custom_metrics": "CloudWatch custom metrics (each billed for the hours it is sent in)",
    "fixed": "fixed fees of the stack (alarms, keys, secrets)",
}


def rounded(value: Any) -> Any:
    """Figures to four significant digits, so that a run's JSON diff shows what changed."""
    if isinstance(value, float):
        return float(f"{value:.4g}")
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


def write_results(path: Path, results: dict[str, Any]) -> None:
    path.write_text(json.dumps(rounded(results), indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def read_results(path: Path) -> dict[str, Any] | None:
    return dict(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else None


def figures_table(after: dict[str, Any], before: dict[str, Any] | None) -> str:
    """Each figure with its target, before (the baseline) and after (this run), and whether it is met."""
    lines = ["| Figure | What | Target | Before | After | Met |", "|---|---|---|---|---|---|"]
    for figure in FIGURES:
        now = after.get(figure.key)
        then = before.get(figure.key) if before else None
        verdict = {True: "yes", False: "**no**", None: ""}[figure.met(now)]
        cells = [f"`{figure.key}`", figure.what, figure.goal(), figure.shown(then), figure.shown(now), verdict]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def profile_table(profile: dict[str, list[dict[str, Any]]]) -> str:
    """The profile as two tables: time spent in a function itself, and under each project function."""
    lines = ["Own time (the function itself, callees excluded):", ""]
    lines += ["| Own time | Share | Calls | Function |", "|---:|---:|---:|---|"]
    for row in profile["own"]:
        lines.append(f"| {row['own_s']:.2f} s | {row['own_share']:.0%} | {row['calls']} | `{row['function']}` |")
    lines += ["", "Time under each project function (callees included):", ""]
    lines += ["| Cumulative | Share | Calls | Function |", "|---:|---:|---:|---|"]
    for row in profile["project"]:
        lines.append(
            f"| {row['cumulative_s']:.2f} s | {row['cumulative_share']:.0%} | {row['calls']} | `{row['function']}` |"
        )
    return "\n".join(lines)


def cost_table(bill: dict[str, Any], big: dict[str, Any] | None = None) -> str:
    """The month's bill, part by part, and beside it the ``big`` day's, when given."""
    bills = [bill, big] if big else [bill]
    header = "| Part | typical day, $ a month | big day, $ a month |" if big else "| Part | $ a month |"
    lines = [header, "|---|---:|---:|" if big else "|---|---:|"]
    # A run from before a part was billed (the stored results of an older run) lacks it.
    lines += [
        f"| {label} | " + " | ".join(f"{each['parts'].get(part, 0.0):.4f}" for each in bills) + " |"
        for part, label in COST_PARTS.items()
        if part in bill["parts"]
    ]
    lines.append("| **Total** | " + " | ".join(f"**{sum(each['parts'].values()):.4f}**" for each in bills) + " |")
    notes = []
    for name, each in zip(("typical day", "big day"), bills, strict=False):
        seconds = ", ".join(f"{step} {value:.1f}" for step, value in each["gb_seconds_per_day"].items())
        notes.append(f"{name.capitalize()}: GB-seconds a digest date: {seconds}.")
        if "site_writes_per_day" in each:
            notes.append(
                f"Objects written a digest date: {each['raw_objects_per_day']} raw,"
                f" {each['site_writes_per_day']} by the render step, each again at each of"
                f" {each.get('refreshes_per_day', 0)} refreshes; the site grows by"
                f" {each['site_gb_added_per_month'] * 1024:.0f} MB a month."
            )
    return "\n".join([*lines, "", *notes])


def write_docs(path: Path, results: dict[str, Any], before: dict[str, Any] | None) -> None:
    """Rewrite the figures, the bill and the profile of ``path`` from a full run's results."""
    text = path.read_text(encoding="utf-8")
    text = replace_between(text, "figures", figures_table(results, before))
    text = replace_between(text, "cost", cost_table(results["p6_cost"], results.get("p6_big_cost")))
    path.write_text(replace_between(text, "profile", profile_table(results["profile"])), encoding="utf-8")


def replace_between(text: str, name: str, content: str) -> str:
    """``text`` with what lies between the ``name`` markers replaced by ``content``."""
    start, end = MARKERS[name]
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{start} ... {end} not found")
    return pattern.sub(lambda _: f"{start}\n{content}\n{end}", text)


def verdicts(results: dict[str, Any]) -> list[str]:
    """One line per figure, for the console."""
    lines = []
    for figure in FIGURES:
        met = figure.met(results.get(figure.key))
        verdict = "" if met is None else ("met" if met else "MISSED")
        lines.append(
            f"{figure.key:>20}: {figure.shown(results.get(figure.key)):>10}  target {figure.goal():<10} {verdict}"
        )
    return lines

"""``hotpapers``: run the pipeline on this machine.

``hotpapers run --date D`` chains the three Lambda handlers in-process with local directories
for buckets. ``hotpapers demo`` does the same for the bundled recorded day, against a loopback
replay of its upstream responses, so it needs no network and no credentials.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from hotpapers.config import ConfigError, load_settings
from hotpapers.events import EventError
from hotpapers.local.runner import Invocation, ProjectNotFoundError, run_chain
from hotpapers.upstream import UpstreamError

EXIT_FAILED = 1
EXIT_USAGE = 2


class _HumanFormatter(LambdaPowertoolsFormatter):
    """Powertools' structured record, printed as one readable line: message, then its keys."""

    HIDDEN = frozenset(
        {
            "level",
            "location",
            "message",
            "timestamp",
            "service",
            "cold_start",
            "sampling_rate",
            "xray_trace_id",
        }
    )

    def format(self, record: logging.LogRecord) -> str:
        structured = json.loads(super().format(record))
        detail = " ".join(
            f"{key}={value}"
            for key, value in structured.items()
            if key not in self.HIDDEN and not key.startswith("function_") and value is not None
        )
        level = "" if record.levelno == logging.INFO else f"{record.levelname}: "
        return f"   {level}{structured.get('message', '')}" + (f" ({detail})" if detail else "")


class _CurrentStderr:
    """Writes to whatever ``sys.stderr`` is at the time (it may be swapped, as tests do)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def _human_logs(verbose: bool) -> None:
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    from hotpapers.observability import logger

    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.registered_handler.setFormatter(_HumanFormatter())
    logger.registered_handler.stream = _CurrentStderr()  # type: ignore[attr-defined]


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from exc


def _announce(invocation: Invocation) -> None:
    subject = invocation.event.get("detail", {}).get("object", {}).get("key") or invocation.event.get("date")
    print(f"-> {invocation.function} ({subject})", file=sys.stderr)


def run(day: date, data: Path, site: Path) -> int:
    """Run the chain for ``day``; print what happened and return the exit status."""
    settings = load_settings()  # fail on bad configuration before any request
    run_result = run_chain({"date": day.isoformat()}, data, site, on_invoke=_announce)
    results: dict[str, Any] = {inv.function: inv.result for inv in run_result.invocations}
    fetched = results.get("FetchFunction") or {}
    if fetched.get("status") == "no-announcement":
        print(f"No digest for {day}: {fetched['reason']}.")
        return 0
    if fetched.get("status") == "kept-previous":
        failed = ", ".join(f"{name} ({reason})" for name, reason in fetched["failed_sources"].items())
        print(
            f"warning: {day} was not republished: {failed} failed, and the day's sealed snapshot has "
            f"them; the previous digest stays. This fetch is kept at {fetched['manifest_key']}.",
            file=sys.stderr,
        )
        return 0
    published = results.get("RenderFunction")
    if not published:
        print(f"error: the chain stopped before rendering: {list(results)}", file=sys.stderr)
        return EXIT_FAILED
    failed = fetched.get("failed_sources", {})
    for name, reason in failed.items():
        print(f"warning: source {name} failed; the digest says so and leaves it out: {reason}", file=sys.stderr)
    print(f"Hot Papers {day}: {published['papers']} papers listed (sources: {', '.join(settings.sources)})")
    print(f"Site: {site.resolve() / 'index.html'}")
    print(f"Digest: {site.resolve() / 'digests' / f'{day}.md'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hotpapers", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="fetch, score and render one digest locally")
    run_parser.add_argument("--date", type=_date, required=True, help="arXiv announcement date (UTC), YYYY-MM-DD")
    run_parser.add_argument("--data", type=Path, default=Path("data"), help="data store directory (default: data)")
    run_parser.add_argument("--site", type=Path, default=Path("site"), help="site directory (default: site)")
    demo_parser = commands.add_parser("demo", help="build the bundled recorded day offline")
    demo_parser.add_argument("--data", type=Path, default=Path("demo-output/data"))
    demo_parser.add_argument("--site", type=Path, default=Path("demo-output/site"))
    args = parser.parse_args(argv)

    _human_logs(args.verbose)
    try:
        if args.command == "demo":
            from hotpapers.local.demo import run_demo

            return run_demo(args.data, args.site, run)
        return run(args.date, args.data, args.site)
    except (ConfigError, EventError, ProjectNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UpstreamError as exc:
        print(f"error: {exc}. Nothing was published; the previous digest stays.", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())

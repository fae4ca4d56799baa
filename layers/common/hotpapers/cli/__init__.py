"""hotpapers: build the daily digest of the arXiv papers people discuss, on this machine or on AWS.

The local commands chain the three Lambda handlers in-process, with directories for buckets.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from functools import partial
from typing import TextIO

from hotpapers import layout
from hotpapers.cli import dates, local
from hotpapers.cli.dates import BadDateError
from hotpapers.cli.local import InputError, run
from hotpapers.cli.report import exists
from hotpapers.cli.terminal import HUMAN, JSON, configure
from hotpapers.config import ConfigError
from hotpapers.events import EventError
from hotpapers.offline import demo
from hotpapers.offline.runner import ProjectNotFoundError
from hotpapers.pipeline.fetch import NoUsableSourceError
from hotpapers.store import LocalStore, open_store
from hotpapers.upstream import UpstreamError

__all__ = ["main", "run"]

DATA, SITE = "data", "site"
EXIT_FAILED = 1
PAPER_ID = re.compile(r"\d{4}\.\d{4,5}")
EXIT_USAGE = 2

EXIT_CODES = """exit codes:
  0  published, or nothing to publish (no announcement that day, or a better digest kept)
  1  a step failed; nothing was published and the previous digest stays
  2  bad input or configuration, refused before any network call"""

SETTINGS_NOTE = """Settings come from HOTPAPERS_* environment variables (docs/configuration.md).
Sources: HOTPAPERS_SOURCES lists them; credentials such as HOTPAPERS_X_BEARER_TOKEN are read
from the environment (docs/sources.md)."""

COMMANDS = {
    "run": (
        "fetch, score and render one digest here",
        "Fetch the day's arXiv announcement and every configured attention source, seal the raw\n"
        "snapshot under --data, score it and publish the digest under --site. A fetch thinner than\n"
        "the day's sealed snapshot (HOTPAPERS_DEGRADED_SHARE) keeps the published digest, with a\n"
        "warning, unless --force.\n\n" + SETTINGS_NOTE,
        "hotpapers run --date 2026-06-02\n"
        "  HOTPAPERS_SOURCES=hackernews,huggingface hotpapers run --date 2026-06-02 --site /tmp/site",
    ),
    "backfill": (
        "run every digest date in a range, oldest first",
        "Run each digest date from --from to --to (weekends and HOTPAPERS_ARXIV_HOLIDAYS are not\n"
        "digest dates and are left out), with a progress line per step and a summary table at the end.\n"
        "A day with a sealed snapshot is not fetched again unless --force: what it lacks (its scored\n"
        "file, its digest) is finished, and a published day is skipped, so a second run resumes;\n"
        "locally, a published day due a refresh today (HOTPAPERS_REFRESH_AGES) is refreshed instead.\n"
        "With --stack or --function, each day is sent to the deployed FetchFunction instead,\n"
        "one at a time (docs/deploy.md).\n\n" + SETTINGS_NOTE,
        "hotpapers backfill --from 2026-06-01 --to 2026-06-30\n"
        "  hotpapers backfill --from 2026-06-01 --to 2026-06-05 --force\n"
        "  hotpapers backfill --from 2026-06-01 --to 2026-06-30 --stack hotpapers",
    ),
    "rescore": (
        "score and render again from sealed snapshots, without network",
        "Score the sealed raw snapshot again with the current settings (HOTPAPERS_MIN_SCORE and the\n"
        "like) and publish the digest again. Nothing is fetched.",
        "hotpapers rescore --date 2026-06-02\n  HOTPAPERS_MIN_SCORE=20 hotpapers rescore --all",
    ),
    "refresh": (
        "count a recent digest's attention again and publish its latest counts",
        "Ask the day's attention sources again (not arXiv) with posts up to now, seal the answers as a\n"
        "new snapshot beside the day's first (which stays as it was), then score the day's snapshots\n"
        "and publish its digest with the latest counts, the time of them and each paper's growth.\n"
        "A source in HOTPAPERS_REFRESH_EXCLUDE, or one that fails or answers with less than before,\n"
        "keeps its earlier counts. With --due, the days HOTPAPERS_REFRESH_AGES names (days before the\n"
        "day a run today publishes), as the deployed schedule does after each day's fetch.\n\n" + SETTINGS_NOTE,
        "hotpapers refresh --date 2026-06-02\n  HOTPAPERS_REFRESH_EXCLUDE=x hotpapers refresh --due",
    ),
    "render": (
        "render digests again from scored/",
        "Publish the digest again from the day's scored file (after a template change, say).\n"
        "Nothing is fetched or scored.",
        "hotpapers render --date 2026-06-02\n  hotpapers render --all --site /tmp/site",
    ),
    "status": (
        "show which days have a snapshot, a scored file and a digest",
        "One line per day: sealed snapshot, scored file, digest, papers announced and listed, and\n"
        "each source that failed or was out of reach. Without --from, every day the stores hold (up to\n"
        "--to, if given). With nothing stored in the default directories, the demo's days are shown.\n"
        "With --stack, the deployed stack's buckets are read.",
        "hotpapers status\n  hotpapers status --from 2026-06-01 --to 2026-06-30\n  hotpapers status --stack hotpapers",
    ),
    "doctor": (
        "check arXiv and each configured source live, before a first run and at any time",
        "Make one small live request to arXiv and to each configured source, with the configured\n"
        "credentials, and print a table: reachable or not, credentials accepted, the rate-limit figures\n"
        "the answer carried, how far back the source searches, and whether its search finds posts about\n"
        "a recent, widely discussed paper (the latest scored day's top paper under --data, or --paper).\n"
        "With --stack, the deployed fetch function's configuration is checked instead of this\n"
        "environment. No secret is printed. Exit 0: every upstream answered; 1: one failed.\n\n" + SETTINGS_NOTE,
        "hotpapers doctor\n  hotpapers doctor --paper 2606.01234\n  hotpapers doctor --stack hotpapers",
    ),
    "demo": (
        "build the bundled recorded days offline",
        "Replay every recording in demo/recordings, oldest first, from a loopback server and run the\n"
        "chain on each: no network, no credentials. This is what `make demo` runs. The data and the\n"
        "settings it was published with go to --data, the site to --site.",
        "hotpapers demo\n  hotpapers demo --site /tmp/demo-site",
    ),
}


def _common(parser: argparse.ArgumentParser, data: str, site: str, *, s3: bool = False) -> None:
    where = "directory, or s3://<bucket>," if s3 else "directory"
    parser.add_argument(
        "--data", default=data, metavar="DIR", help=f"{where} of raw snapshots and scored days (default: {data})"
    )
    parser.add_argument("--site", default=site, metavar="DIR", help=f"{where} of the published site (default: {site})")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show the structured logs (debug level) as the steps run"
    )
    parser.add_argument(
        "--log-format",
        choices=(HUMAN, JSON),
        default=HUMAN,
        help="human: readable lines (default); json: the logs and metrics lines exactly as Lambda writes them",
    )


def _one_or_all(parser: argparse.ArgumentParser, what: str) -> None:
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--date", type=dates.parse, metavar="YYYY-MM-DD", help=f"the digest date to {what}")
    chosen.add_argument("--all", action="store_true", help=f"{what} every day that has what it needs")


def _aws(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stack", metavar="NAME", help="a deployed CloudFormation stack: its outputs name the function and buckets"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotpapers",
        description=__doc__,
        epilog=EXIT_CODES
        + "\n\nexamples:\n  make demo\n  hotpapers run --date 2026-06-02\n  hotpapers <command> --help",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    sub = {}
    for name, (summary, description, examples) in COMMANDS.items():
        sub[name] = commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog=f"{EXIT_CODES}\n\nexamples:\n  {examples}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
    for name in ("run", "backfill", "rescore", "refresh", "render", "status"):
        _common(sub[name], DATA, SITE, s3=name in ("backfill", "status"))
    _common(sub["demo"], str(demo.DATA), str(demo.SITE))
    sub["run"].add_argument(
        "--date", type=dates.parse, required=True, metavar="YYYY-MM-DD", help="the digest date (UTC) to build"
    )
    for name in ("backfill", "status"):
        sub[name].add_argument("--from", dest="first", type=dates.parse, metavar="YYYY-MM-DD", help="first day")
        sub[name].add_argument("--to", dest="last", type=dates.parse, metavar="YYYY-MM-DD", help="last day (included)")
        _aws(sub[name])
    sub["status"].set_defaults(first=None, last=None)
    sub["run"].add_argument(
        "--force", action="store_true", help="publish this fetch even when thinner than the day's sealed snapshot"
    )
    sub["backfill"].add_argument(
        "--force",
        action="store_true",
        help="fetch again the days already sealed, and publish each fetch even when thinner than the day's sealed one",
    )
    sub["backfill"].add_argument(
        "--function", metavar="NAME", help="the deployed FetchFunction's name (with --data s3://<data bucket>)"
    )
    _common(sub["doctor"], "data", "site", s3=True)
    _aws(sub["doctor"])
    sub["doctor"].add_argument(
        "--paper", metavar="ID", help="the arXiv id of a recent, widely discussed paper to search for (e.g. 2606.01234)"
    )
    _one_or_all(sub["rescore"], "rescore")
    chosen = sub["refresh"].add_mutually_exclusive_group(required=True)
    chosen.add_argument("--date", type=dates.parse, metavar="YYYY-MM-DD", help="the digest date to refresh")
    chosen.add_argument("--due", action="store_true", help="every day HOTPAPERS_REFRESH_AGES names")
    _one_or_all(sub["render"], "render")
    return parser


def _dispatch(args: argparse.Namespace, handler_stdout: TextIO) -> int:
    if args.command == "demo":
        return demo.run_demo(
            local.directory(args.data), local.directory(args.site), partial(run, handler_stdout=handler_stdout)
        )
    if args.command == "run":
        return run(args.date, local.directory(args.data), local.directory(args.site), handler_stdout, args.force)
    if args.command == "doctor":
        return _doctor(args)
    if args.command == "refresh":
        return local.refresh(args.date, args.data, args.site, handler_stdout)
    if args.command in ("rescore", "render"):
        redo = local.rescore if args.command == "rescore" else local.render
        return redo(args.date, args.all, args.data, args.site, handler_stdout)
    if args.command == "backfill":
        if args.first is None or args.last is None:
            raise BadDateError("backfill needs --from and --to")
        if args.stack or args.function:
            from hotpapers.cli import aws

            _, days = local.settings_and_range(args.first, args.last)
            deployment = aws.resolve(args.stack, args.function, args.data, args.site)
            return local.finish(aws.backfill(deployment, days, args.force), args.first, args.last)
        return local.backfill(args.first, args.last, args.data, args.site, args.force, handler_stdout)
    from hotpapers.cli import aws

    deployment = aws.resolve(args.stack, None, args.data, args.site)
    demo_stores = None
    if not args.stack and (args.data, args.site) == (DATA, SITE):
        # After `make demo` alone, the default directories are empty: the demo's days are shown.
        demo_stores = (LocalStore(demo.DATA), LocalStore(demo.SITE))
    return local.status(args.first, args.last, deployment.data, deployment.site, demo_stores)


def _doctor(args: argparse.Namespace) -> int:
    from hotpapers import doctor
    from hotpapers.cli.report import table
    from hotpapers.config import load_settings

    if args.paper is not None and not PAPER_ID.fullmatch(args.paper):
        raise InputError(f"--paper {args.paper!r} is not an arXiv id such as 2606.01234")
    if args.stack:
        from hotpapers.cli import aws

        deployment = aws.resolve(args.stack, None, args.data, args.site)
        settings, store = aws.deployed_settings(deployment), deployment.data
    else:
        settings, store = load_settings(), open_store(args.data)
    return doctor.report(doctor.diagnose(settings, store, args.paper), table)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler_stdout = configure(args.verbose, args.log_format)
    from hotpapers.cli.aws import StackError

    with warnings.catch_warnings():
        # Powertools warns when a handler ends with no metric (a day with no announcement);
        # that is expected, and no reader of the terminal can act on it.
        warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)
        try:
            return _dispatch(args, handler_stdout)
        except (ConfigError, EventError, ProjectNotFoundError, BadDateError, InputError, StackError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except (UpstreamError, NoUsableSourceError) as exc:
            print(f"error: {exc}. Nothing was published{_what_stays(args)}.", file=sys.stderr)
            return EXIT_FAILED


def _what_stays(args: argparse.Namespace) -> str:
    """Whether the day ``run`` failed on has a digest that stays: said only when it has one."""
    if args.command == "run" and exists(LocalStore(args.site), layout.digest_json(args.date)):
        return "; the previous digest stays"
    return ""


if __name__ == "__main__":
    sys.exit(main())

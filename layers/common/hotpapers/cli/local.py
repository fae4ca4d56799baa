"""The commands that run the chain on this machine: run, backfill, rescore, render, status.

Each starts the real handlers through the local runner (``run_chain``) with the event AWS
would send, so a rescore is ScoreFunction receiving its manifest's "Object Created" event and
a render is RenderFunction receiving its scored file's: the one path the deployed stack takes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from hotpapers import layout
from hotpapers.cli import dates
from hotpapers.cli.report import DayReport, day_report, exists, known_days, lacking, status_table, table
from hotpapers.cli.terminal import Progress
from hotpapers.config import Settings, load_settings
from hotpapers.events import object_created
from hotpapers.layout import manifest_key, scored_key, starts_score
from hotpapers.offline import demo
from hotpapers.offline import settings as kept_settings
from hotpapers.offline.runner import Invocation, environment, run_chain
from hotpapers.pipeline.fetch import NoUsableSourceError, refuse_unusable_configuration
from hotpapers.pipeline.refresh import REFRESHED, NoSnapshotError, due_days, refresh_day, refreshed_recently
from hotpapers.store import LocalStore, Store
from hotpapers.upstream import UpstreamError

PUBLISHED, NOTHING, KEPT, FAILED, SKIPPED = "published", "no announcement", "previous digest kept", "failed", "skipped"


class InputError(ValueError):
    """What a command would start from is not there, or is not of a kind it works on."""


@dataclass
class Outcome:
    """One day's chain, as the CLI reports it."""

    day: date
    status: str
    reason: str = ""
    papers: int | None = None
    listed: int | None = None
    failed_sources: dict[str, str] = field(default_factory=dict)
    degraded_sources: dict[str, str] = field(default_factory=dict)
    """What shrank against the day's sealed snapshot (why the rerun was kept back)."""
    out_of_reach: dict[str, str] = field(default_factory=dict)
    """Sources not asked: the day is beyond what their API can search."""
    suspect_sources: dict[str, str] = field(default_factory=dict)
    """Sources that answered, but far below their trailing days: the day looks collapsed."""
    manifest_key: str = ""
    forced: bool = False
    """Sealed over a fuller snapshot because the run was forced."""


def _announce(invocation: Invocation) -> None:
    subject = invocation.event.get("detail", {}).get("object", {}).get("key") or invocation.event.get("date")
    print(f"-> {invocation.function} ({subject})", file=sys.stderr)


def _chain(
    day: date,
    data: Path,
    site: Path,
    first_function: str,
    event: dict[str, Any],
    on_invoke: Callable[[Invocation], None],
    handler_stdout: TextIO | None,
) -> Outcome:
    run = run_chain(
        event, data, site, on_invoke=on_invoke, first_function=first_function, handler_stdout=handler_stdout
    )
    results: dict[str, Any] = {inv.function: inv.result for inv in run.invocations}
    fetched = results.get("FetchFunction") or {}
    if fetched.get("status") == "no-announcement":
        return Outcome(day, NOTHING, reason=fetched["reason"])
    scored, published = results.get("ScoreFunction") or {}, results.get("RenderFunction")
    outcome = Outcome(
        day,
        PUBLISHED if published else FAILED,
        papers=fetched.get("papers"),
        listed=scored.get("listed", published["papers"] if published else None),
        failed_sources=fetched.get("failed_sources", {}),
        degraded_sources=fetched.get("degraded_sources", {}),
        out_of_reach=fetched.get("out_of_reach", {}),
        suspect_sources=fetched.get("suspect_sources", {}),
        manifest_key=fetched.get("manifest_key", ""),
        forced=fetched.get("forced", False),
    )
    if fetched.get("status") == "kept-previous":
        outcome.status = KEPT
    elif not published:
        outcome.reason = f"the chain stopped after {', '.join(results)}"
    return outcome


def fetch_event(day: date, force: bool) -> dict[str, Any]:
    """FetchFunction's manual event; ``force`` seals even a fetch thinner than the day's sealed one."""
    return {"date": day.isoformat(), **({"force": True} if force else {})}


def _fetch_day(
    day: date,
    data: Path,
    site: Path,
    on_invoke: Callable[[Invocation], None],
    out: TextIO | None,
    force: bool = False,
) -> Outcome:
    return _chain(day, data, site, "FetchFunction", fetch_event(day, force), on_invoke, out)


def _from_object(
    function: str,
    day: date,
    data: Path,
    site: Path,
    key: str,
    out: TextIO | None,
    on_invoke: Callable[[Invocation], None] = _announce,
) -> Outcome:
    """Start ``function`` with the "Object Created" event of the stored ``key``, as S3 would."""
    store = LocalStore(data)
    if not exists(store, key):
        raise InputError(f"{data / key} does not exist")
    event = object_created(store.bucket, key, store.get(key), when=datetime.now(UTC))
    return _chain(day, data, site, function, event, on_invoke, out)


def starts(key: str) -> str:
    """The function a stored key's "Object Created" event starts: a sealed manifest (``raw/``) the
    score step, a scored day the render."""
    return "ScoreFunction" if starts_score(key) else "RenderFunction"


def _resume(
    day: date, data: Path, site: Path, key: str, out: TextIO | None, on_invoke: Callable[[Invocation], None]
) -> Outcome:
    """Finish what a sealed day lacks, from ``key`` (``report.lacking``)."""
    return _from_object(starts(key), day, data, site, key, out, on_invoke)


def directory(location: str) -> Path:
    """A local store's directory; ``s3://`` locations are for backfill and status only."""
    if location.startswith("s3://"):
        raise InputError(f"{location}: this command works on local directories; only backfill and status reach AWS")
    return Path(location)


def run(day: date, data: Path, site: Path, handler_stdout: TextIO | None = None, force: bool = False) -> int:
    """Run the chain for ``day``; print what happened and return the exit status."""
    settings = load_settings()  # fail on bad configuration before any request
    dates.check(day, settings.clock().date())
    if not dates.announces(day, settings.arxiv_holidays):
        print(dates.no_digest(day, settings.arxiv_holidays))
        return 0
    refuse_unusable_configuration(settings)
    outcome = _fetch_day(day, data, site, _announce, handler_stdout, force)
    if outcome.status == NOTHING:
        print(f"No digest for {day}: {outcome.reason}.")
        return 0
    thinner = [f"{name} failed ({reason})" for name, reason in outcome.failed_sources.items()]
    thinner += list(outcome.degraded_sources.values())
    if outcome.status == KEPT:
        stands, published = _kept(day, data, site, handler_stdout)
        print(
            f"{'warning' if published else 'error'}: {day} was not republished: {'; '.join(thinner)}, and the "
            f"day's sealed snapshot has more; {stands}. This fetch is kept at {outcome.manifest_key}; "
            "--force publishes it instead.",
            file=sys.stderr,
        )
        return 0 if published else 1
    if outcome.status == FAILED:
        print(f"error: {outcome.reason}; nothing was published", file=sys.stderr)
        return 1
    if outcome.forced:
        print(
            f"warning: {day} was replaced, as --force asked, by a fetch thinner than the snapshot it "
            f"replaces: {'; '.join(thinner)}",
            file=sys.stderr,
        )
    for name, reason in outcome.failed_sources.items():
        print(f"warning: source {name} failed; the digest says so and leaves it out: {reason}", file=sys.stderr)
    for name, reason in outcome.out_of_reach.items():
        print(f"warning: source {name} was not asked, the day is beyond its reach: {reason}", file=sys.stderr)
    for name, reason in outcome.suspect_sources.items():
        print(f"warning: source {name} looks incomplete, far below its recent days: {reason}", file=sys.stderr)
    print(f"Hot Papers {day}: {outcome.listed} papers listed (sources: {', '.join(settings.sources)})")
    print(f"Site: {site.resolve() / layout.INDEX}")
    print(f"Digest: {site.resolve() / 'digests' / f'{day}.md'}")
    return 0


def _kept(day: date, data: Path, site: Path, out: TextIO | None) -> tuple[str, bool]:
    """What stands of ``day`` once a thinner fetch is kept back: its published digest, or the
    sealed snapshot it kept, published now if it never was; and whether a digest of it stands."""
    key = lacking(LocalStore(data), LocalStore(site), day)
    if key is None:
        return "the previous digest stays", True
    resumed = _resume(day, data, site, key, out, _announce)
    if resumed.status != PUBLISHED:
        return f"that snapshot was never published, and publishing it failed ({resumed.reason}); nothing was", False
    return "that snapshot had not been published, and now is", True


def settings_and_range(first: date, last: date) -> tuple[Settings, list[date]]:
    settings = load_settings()
    dates.check_range(first, last, settings.clock().date())
    return settings, dates.digest_dates(first, last, settings.arxiv_holidays)


def summary(rows: list[tuple[DayReport, str]]) -> str:
    return table(
        ("day", "papers", "listed", "sources", "status"),
        ((r.day, r.papers, r.listed, r.sources_text(), status) for r, status in rows),
    )


Work = Callable[[date, Progress], str]
Resume = Callable[[date, str, Progress], str]


def each_day(
    days: list[date], data: Store, site: Store, force: bool, work: Work, resume: Resume
) -> list[tuple[DayReport, str]]:
    """``work`` on each day, oldest first, with progress; a day already sealed is finished rather
    than fetched again, unless ``force``: ``resume`` from what it lacks (``report.lacking``), or
    skipped when it lacks nothing.

    Returns each day's report (read back from the stores) with the status ``work`` gave it.
    """
    progress = Progress(len(days))
    rows = []
    for day in days:
        if not force and exists(data, manifest_key(day)):
            key = lacking(data, site, day)
            if key is None:
                progress.step(day, "published before, skipped")
                progress.finish_day(worked=False)
                rows.append((day_report(data, site, day), SKIPPED))
                continue
            status = resume(day, key, progress)
        else:
            status = work(day, progress)
        progress.finish_day(worked=True)
        rows.append((day_report(data, site, day), status))
    return rows


def finish(rows: list[tuple[DayReport, str]], first: date, last: date) -> int:
    """Print the summary table; exit status 1 when a day failed."""
    print(summary(rows) if rows else f"No digest dates from {first} to {last}.")
    return 1 if any(status.startswith(FAILED) for _, status in rows) else 0


def backfill(first: date, last: date, data_dir: str, site_dir: str, force: bool, out: TextIO | None) -> int:
    """Run every digest date from ``first`` to ``last``; a day whose fetch fails does not stop the
    rest. A day published before that is due a refresh today (``HOTPAPERS_REFRESH_AGES``) is
    refreshed instead of skipped, as the deployed schedule's tick would, unless it was refreshed
    less than ``REFRESH_SPACING`` ago."""
    data, site = directory(data_dir), directory(site_dir)
    settings, days = settings_and_range(first, last)
    due = set(due_days(settings))

    def fetch(day: date, progress: Progress) -> str:
        try:
            outcome = _fetch_day(day, data, site, lambda inv: progress.step(day, inv.function), out, force)
        except (UpstreamError, NoUsableSourceError) as exc:
            return f"{FAILED}: {exc}"
        return _said(outcome)

    def resume(day: date, key: str, progress: Progress) -> str:
        progress.step(day, f"sealed before, not published: resumed from {key}")
        outcome = _resume(day, data, site, key, out, lambda inv: progress.step(day, inv.function))
        return f"{_said(outcome)} (resumed)"

    rows = each_day(days, LocalStore(data), LocalStore(site), force, fetch, resume)
    for index, (report, status) in enumerate(rows):
        due_now = status == SKIPPED and report.day in due
        if due_now and refreshed_recently(LocalStore(data), report.day, settings.clock()) is None:
            print(f"{report.day}: published before and due a refresh: refreshing", file=sys.stderr)
            said = _refresh(report.day, settings, data, site, out)
            rows[index] = (day_report(LocalStore(data), LocalStore(site), report.day), said)
    return finish(rows, first, last)


def _said(outcome: Outcome) -> str:
    if outcome.reason:
        return f"{outcome.status}: {outcome.reason}"
    return f"{outcome.status}, replacing a fuller snapshot (--force)" if outcome.forced else outcome.status


def _days_with(store: LocalStore, day: date | None, key: Callable[[date], str], every: bool) -> list[date]:
    if not every:
        assert day is not None  # the parser requires --date or --all
        return [day]
    return [d for d in known_days(store, store) if exists(store, key(d))]


def _redo(
    function: str,
    key: Callable[[date], str],
    day: date | None,
    every: bool,
    data_dir: str,
    site_dir: str,
    out: TextIO | None,
) -> int:
    data, site = directory(data_dir), directory(site_dir)
    # The settings the directory was published with fill in what the environment does not set.
    with environment(kept_settings.unset(data)):
        load_settings()  # bad configuration is refused before anything runs
        days = _days_with(LocalStore(data), day, key, every)
        if not days:
            print(f"Nothing to do: no day in {data} has what {function} starts from.")
            return 0
        rows = []
        for d in days:
            outcome = _from_object(function, d, data, site, key(d), out)
            rows.append((day_report(LocalStore(data), LocalStore(site), d), outcome.status))
    print(summary(rows))
    return 1 if any(status == FAILED for _, status in rows) else 0


def rescore(day: date | None, every: bool, data_dir: str, site_dir: str, out: TextIO | None) -> int:
    """Score and render again from the sealed snapshot(s), with the current settings; no network."""
    return _redo("ScoreFunction", manifest_key, day, every, data_dir, site_dir, out)


def render(day: date | None, every: bool, data_dir: str, site_dir: str, out: TextIO | None) -> int:
    """Render again from ``scored/``."""
    return _redo("RenderFunction", lambda d: scored_key(d.isoformat()), day, every, data_dir, site_dir, out)


def refresh(day: date | None, data_dir: str, site_dir: str, out: TextIO | None) -> int:
    """Refresh ``day`` (or, without one, each day due) and publish what changed: the refresh's
    manifest starts the score step, as its "Object Created" event does on AWS."""
    data, site = directory(data_dir), directory(site_dir)
    with environment(kept_settings.unset(data)):
        settings = load_settings()
        store = LocalStore(data)
        days = [day] if day is not None else due_days(settings)
        if day is not None and not exists(store, manifest_key(day)):
            raise InputError(f"{day} has no sealed snapshot under {data} to refresh; run it first (hotpapers run)")
        said = []
        for each in days:
            said.append(_refresh(each, settings, data, site, out))
            print(f"{each}: {said[-1]}", flush=True)
    return 1 if any(status.startswith(FAILED) for status in said) else 0


def _refresh(day: date, settings: Settings, data: Path, site: Path, out: TextIO | None) -> str:
    """Refresh ``day`` and, when a source had something new, score and publish it again; what
    became of it, in a word and a reason. A source keeping its earlier counts is warned of."""
    try:
        result = refresh_day(day, settings, LocalStore(data))
    except NoSnapshotError:
        return "no sealed snapshot; nothing to refresh"
    for name, why in result.carried_sources.items():
        print(f"warning: {day}: source {name} keeps its earlier counts: {why}", file=sys.stderr)
    if result.status != REFRESHED:
        return "counts unchanged: nothing new from any source; the digest stays as it is"
    outcome = _from_object("ScoreFunction", day, data, site, result.manifest_key, out)
    if outcome.status != PUBLISHED:
        return f"{FAILED}: refreshed ({result.manifest_key}) but not published: {outcome.reason}"
    return f"refreshed ({', '.join(result.refreshed_sources)}): {site.resolve() / layout.digest_page(day)}"


def status(
    first: date | None, last: date | None, data: Store, site: Store, demo_stores: tuple[Store, Store] | None = None
) -> int:
    """Print what exists for each day: the range given, or every day the stores know.

    With nothing stored and ``demo_stores`` (the demo's, when the default directories were asked),
    the demo's days are shown instead, saying where they are.
    """
    settings = load_settings()
    if first:
        last = last or settings.clock().date()
        dates.check_range(first, last, settings.clock().date())
        days = dates.digest_dates(first, last, settings.arxiv_holidays)
    else:
        # Without --from: every day the stores know, up to --to when given.
        days = [day for day in known_days(data, site) if last is None or day <= last]
    if not days and demo_stores and known_days(*demo_stores):
        print(f"Nothing stored yet here. The demo's days, in {demo.DATA} and {demo.SITE}:")
        return status(first, last, *demo_stores)
    if not days:
        print("Nothing stored yet.")
        return 0
    print(status_table(day_report(data, site, day) for day in days))
    return 0

"""Each case run and judged against the fault-free day: exactly one outcome (recovered,
degraded, refused or kept) and every "never" it broke."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support.faults.catalogue import (
    DEADLINE,
    HARD_LIMIT,
    NOW_EARLIER,
    PRIOR_STATES,
    SKIPPED_DAY,
    SKIPPED_RUN_AT,
    TRACEBACK,
    Case,
)
from support.faults.runner import DIGEST_KEY, KEPT_KEYS, Result, State, run_day, secrets


@dataclass(frozen=True)
class Baseline:
    """The fault-free day: the earlier digest's folder, and what a fault-free run at ``NOW`` publishes."""

    earlier: Path
    earlier_state: State
    reference: Mapping[bool, State]
    """By whether an earlier digest existed."""
    secrets: frozenset[str]


def build_baseline(workdir: Path) -> Baseline:
    """Publish the earlier digest, then run the fault-free day at ``NOW`` from both prior states."""
    earlier = workdir / "earlier"
    earlier.mkdir(parents=True)
    result, earlier_state = run_day(earlier, None, NOW_EARLIER)
    if result.status != 0:
        raise RuntimeError(f"the fault-free day failed (exit {result.status}):\n{result.stderr}")
    reference = {}
    for prior in (False, True):
        folder = workdir / f"reference-{PRIOR_STATES[prior].replace(' ', '-')}"
        _prepare(folder, earlier if prior else None)
        result, state = run_day(folder, None)
        if result.status != 0:
            raise RuntimeError(f"the fault-free rerun failed (exit {result.status}):\n{result.stderr}")
        reference[prior] = state
    return Baseline(earlier, earlier_state, reference, secrets())


def _prepare(folder: Path, earlier: Path | None) -> None:
    if earlier is None:
        folder.mkdir(parents=True)
        return
    folder.mkdir(parents=True)
    for part in ("data", "site"):
        shutil.copytree(earlier / part, folder / part)


@dataclass(frozen=True)
class Verdict:
    case: Case
    outcome: str | None
    """recovered, degraded, refused or kept; ``None`` when the run fits none of them."""
    broken: tuple[str, ...]
    """Every "never" the run broke, in fixed words."""
    seconds: float
    status: int | None
    detail: str = field(default="", compare=False)
    """The run's stderr tail, for the failure message (never written to the document)."""

    @property
    def passed(self) -> bool:
        return self.outcome is not None and not self.broken


def run_case(case: Case, baseline: Baseline, workdir: Path) -> Verdict:
    folder = workdir / case.id
    _prepare(folder, baseline.earlier if case.earlier else None)
    if case.fault.kind == "calendar":
        skipped, _ = run_day(folder, case, SKIPPED_RUN_AT, SKIPPED_DAY, skipped=True)
        if skipped.status != 0:
            raise RuntimeError(f"the skipped evening's run failed (exit {skipped.status}):\n{skipped.stderr}")
    before = State.of(folder)
    result, after = run_day(folder, case)
    return judge(case, before, after, result, baseline)


def named(digest: Mapping[str, Any]) -> set[str]:
    """The sources a digest says failed, or tells readers their counts may be low (degraded,
    capped: a page cap or a rate limit stopped it, suspect: far below its recent days, or items left
    out as unreadable)."""
    return {
        name
        for name, info in digest.get("sources", {}).items()
        if info.get("status") != "ok"
        or info.get("degraded")
        or info.get("capped")
        or info.get("suspect")
        or info.get("skipped")
    }


def _worse(digest: Mapping[str, Any], earlier: Mapping[str, Any]) -> list[str]:
    """How ``digest`` is emptier than ``earlier`` without saying why: attention only grows, so an
    unnamed source may not lose posts, nor a paper listed in both any of that source's counts."""
    said = named(digest)
    papers = {entry["paper"]["id"]: entry.get("counts", {}) for entry in digest.get("papers", [])}
    problems = []
    for source, info in sorted(earlier.get("sources", {}).items()):
        if info.get("status") != "ok" or source in said:
            continue
        lost_posts = digest.get("sources", {}).get(source, {}).get("posts", 0) < info.get("posts", 0)
        lost_counts = any(
            papers[entry["paper"]["id"]].get(source, {}).get(metric, 0) < value
            for entry in earlier.get("papers", [])
            if entry["paper"]["id"] in papers
            for metric, value in entry.get("counts", {}).get(source, {}).items()
        )
        if lost_posts or lost_counts:
            problems.append(f"an emptier digest over a better one ({source} lost attention, unnamed)")
    if len(papers) < len(earlier.get("papers", [])) and not said:
        problems.append("an emptier digest over a better one (fewer papers, no source named)")
    return problems


def _corrupt(digest: Mapping[str, Any], reference: Mapping[str, Any], moved: bool = False) -> list[str]:
    """Papers whose arXiv metadata differs from the fault-free day's (``moved``: but for the
    submission times the case moved)."""

    def shown(paper: Mapping[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in paper.items() if not (moved and key == "published")}

    known = {entry["paper"]["id"]: shown(entry["paper"]) for entry in reference["papers"]}
    for entry in digest.get("papers", []):
        paper = shown(entry.get("paper", {}))
        if known.get(paper.get("id")) != paper:
            return ["a corrupt digest (papers differ from arXiv's)"]
    return []


def _same_papers(digest: Mapping[str, Any], reference: Mapping[str, Any]) -> bool:
    """Whether ``digest`` lists the fault-free day's papers, with the same scores, out of as many."""

    def listed(day: Mapping[str, Any]) -> list[tuple[str, int]]:
        return [(entry["paper"]["id"], entry["score"]) for entry in day.get("papers", [])]

    return listed(digest) == listed(reference) and digest.get("papers_fetched") == reference.get("papers_fetched")


def _as_answered(digest: Mapping[str, Any], reference: Mapping[str, Any], source: str) -> bool:
    """Whether ``digest`` is the fault-free day with nothing from ``source``: every other source's
    posts as fault-free, none from ``source`` (the papers listed may differ, as attention did)."""
    posts = {name: info.get("posts", 0) for name, info in digest.get("sources", {}).items()}
    expected = {name: info.get("posts", 0) for name, info in reference.get("sources", {}).items()}
    return posts == {**expected, source: 0}


def _readable(body: bytes) -> str:
    """A written file as text, a raw pack unpacked (gzip members one after the other)."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    return body.decode("utf-8", "replace")


def _made_safe(digest: Any, shown: str) -> Any:
    """``digest`` with every text's opening ``shown`` taken out: a text fault's insertion, made safe."""
    if isinstance(digest, str):
        return digest.replace(shown, "")
    if isinstance(digest, list):
        return [_made_safe(item, shown) for item in digest]
    if isinstance(digest, dict):
        return {key: _made_safe(item, shown) for key, item in digest.items()}
    return digest


def _papers_as_answered(digest: Mapping[str, Any], reference: Mapping[str, Any]) -> bool:
    """Whether ``digest`` lists fewer papers than the fault-free day, each with its counts and
    score there: the day as a smaller arXiv answer gave it."""
    known = {entry["paper"]["id"]: entry for entry in reference.get("papers", [])}
    listed = digest.get("papers", [])
    return len(listed) < len(known) and all(
        entry["paper"]["id"] in known
        and (entry["counts"], entry["score"])
        == (known[entry["paper"]["id"]]["counts"], known[entry["paper"]["id"]]["score"])
        for entry in listed
    )


def _leaks(secrets: Iterable[str], result: Result, after: State) -> list[str]:
    places = {
        "the output": [result.stdout, result.stderr],
        "the data store": [_readable(body) for body in after.data.values()],
        "the site": [body.decode("utf-8", "replace") for body in after.site.values()],
    }
    return [
        f"a secret in {place}"
        for place, texts in places.items()
        if any(secret in text for secret in secrets for text in texts)
    ]


def judge(case: Case, before: State, after: State, result: Result, baseline: Baseline) -> Verdict:
    """The case's one outcome, and every "never" it broke."""
    broken: list[str] = []
    if result.status is None:
        broken.append(f"hung (killed at {HARD_LIMIT:.0f} s)")
    elif result.seconds > DEADLINE:
        broken.append(f"past its deadline ({DEADLINE:.0f} s)")
    if TRACEBACK in result.stdout + result.stderr:
        broken.append("a traceback")
    broken += _leaks(baseline.secrets, result, after)
    said_empty = "No digest for" in result.stdout
    if said_empty and not case.legitimately_empty:
        broken.append("a failure reported as a day with no announcement")

    site_changed = after.site != before.site
    data_kept = all(after.data.get(key) == before.data.get(key) for key in KEPT_KEYS)
    warned = any(line.startswith("warning: ") for line in result.stderr.splitlines())
    errored = any(line.startswith("error: ") for line in result.stderr.splitlines())
    digest = after.digest() if after.site.get(DIGEST_KEY) != before.site.get(DIGEST_KEY) else None
    reference = baseline.reference[case.earlier]
    if digest is not None:
        broken += _corrupt(digest, reference.digest() or {}, moved=case.fault.kind == "calendar")
        earlier = before.digest()
        if earlier is not None:
            broken += _worse(digest, earlier)

    outcome: str | None = None
    if result.status is None:
        pass
    elif result.status != 0:
        if site_changed or not data_kept:
            broken.append("a failed run that changed the published digest")
        elif not errored:
            broken.append("a failed run without a clear error")
        else:
            outcome = "refused"
    elif not site_changed:
        if not data_kept:
            broken.append("the digest's sealed data changed but nothing was published")
        elif warned or said_empty:
            outcome = "kept"
        else:
            broken.append("nothing published and no warning")
    elif (
        after.site == reference.site
        or (
            digest is not None
            and case.believed
            and _as_answered(digest, reference.digest() or {}, str(case.upstream.source))
        )
        or (
            digest is not None
            and case.fault.kind == "text"
            and _made_safe(digest, case.fault.shown) == reference.digest()
        )
        or (digest is not None and case.believed_thinner and _papers_as_answered(digest, reference.digest() or {}))
        or (digest is not None and case.fault.kind == "calendar" and _same_papers(digest, reference.digest() or {}))
    ):
        outcome = "recovered"
    elif digest is not None and case.upstream.source in named(digest):
        outcome = "degraded"
    else:
        broken.append("a digest unlike the fault-free one that names no failed source")
    tail = "\n".join(result.stderr.splitlines()[-12:])
    return Verdict(case, outcome, tuple(dict.fromkeys(broken)), result.seconds, result.status, tail)

"""What exists for each digest date: sealed snapshot, scored file, digest, and each source's fate.

It reads the stores through the ``Store`` port only, so a local directory and a deployed
stack's buckets are reported by the same code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from hotpapers.layout import DIGESTS, RAW, SCORED, digest_json, manifest_key, scored_key
from hotpapers.store import Store


@dataclass
class DayReport:
    day: date
    sealed: bool = False
    scored: bool = False
    digest: bool = False
    papers: int | None = None
    """Papers arXiv announced (from the scored file)."""
    listed: int | None = None
    sources: dict[str, str] = field(default_factory=dict)
    """Each source's ``status`` in the sealed manifest (``ok``, ``failed`` or ``out-of-reach``)
    and its flags, e.g. ``ok capped``."""

    def sources_text(self) -> str:
        ok = [name for name, status in self.sources.items() if status == "ok"]
        trouble = [f"{name} {status}" for name, status in self.sources.items() if status != "ok"]
        return ", ".join([f"{len(ok)} ok", *trouble]) if self.sources else "-"


def exists(store: Store, key: str) -> bool:
    """Whether ``key`` is stored."""
    # Listed, not read blind: S3 answers a read of a missing key with 403 to a role that may not list it.
    return key in store.keys(key)


def known_days(data: Store, site: Store) -> list[date]:
    """Every date with a snapshot, a scored file or a digest."""
    found = set()
    for store, prefix in ((data, RAW), (data, SCORED), (site, DIGESTS)):
        for key in store.keys(prefix):
            name = key.removeprefix(prefix).split("/")[0].removesuffix(".json")
            try:
                found.add(date.fromisoformat(name))
            except ValueError:
                continue  # not a day's object (e.g. a stray file); it is not reported
    return sorted(found)


def lacking(data: Store, site: Store, day: date) -> str | None:
    """The key a sealed day's unfinished chain resumes from, as its "Object Created" event would
    start it: the sealed manifest when no scored file of that snapshot exists (a crash between the
    fetch's seal and the score step), the scored file when the site's digest is not that file (a
    crash before or during the render); ``None`` when nothing is sealed, or everything is done."""
    manifest, scored = manifest_key(day), scored_key(day.isoformat())
    if not exists(data, manifest):
        return None
    if not exists(data, scored) or _fetched_at(data.get(scored)) != _fetched_at(data.get(manifest)):
        return manifest
    # The render writes the day's JSON digest (the scored file as published) after every other page.
    published = digest_json(day)
    if not exists(site, published) or site.get(published) != data.get(scored):
        return scored
    return None


def _fetched_at(document: bytes) -> object:
    return json.loads(document).get("fetched_at")


# Manifest flags, set by the fetch step, that make an "ok" source's counts doubtful.
FLAGS = ("capped", "degraded", "suspect")


def _fate(info: dict[str, object]) -> str:
    """A source's ``status``, with the flags that qualify it: ``ok``, ``ok capped``, ``failed``."""
    return " ".join([str(info["status"]), *(flag for flag in FLAGS if info.get(flag))])


def day_report(data: Store, site: Store, day: date) -> DayReport:
    report = DayReport(day)
    if exists(data, manifest_key(day)):
        report.sealed = True
        manifest = json.loads(data.get(manifest_key(day)))
        report.sources = {name: _fate(info) for name, info in sorted(manifest["sources"].items())}
    if exists(data, scored_key(day.isoformat())):
        report.scored = True
        scored = json.loads(data.get(scored_key(day.isoformat())))
        report.papers, report.listed = scored["papers_fetched"], len(scored["papers"])
    # Written last by the render: a render cut short leaves no digest.
    report.digest = exists(site, digest_json(day))
    return report


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain text table, columns padded to their widest cell."""
    cells = [[str(cell) for cell in headers], *([("-" if c is None else str(c)) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells
    )


def status_table(reports: Iterable[DayReport]) -> str:
    def mark(flag: bool) -> str:
        return "yes" if flag else "-"

    return table(
        ("day", "snapshot", "scored", "digest", "papers", "listed", "sources"),
        (
            (r.day, mark(r.sealed), mark(r.scored), mark(r.digest), r.papers, r.listed, r.sources_text())
            for r in reports
        ),
    )

"""What ``hotpapers status`` reads from the stores, on an in-memory store."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hotpapers.cli.report import day_report, known_days, lacking, status_table


class MemoryStore:
    def __init__(self, objects: dict[str, bytes] | None = None) -> None:
        self.objects = dict(objects or {})

    @property
    def bucket(self) -> str:
        return "memory"

    def put(self, key: str, body: bytes, content_type: str | None = None) -> None:
        self.objects[key] = body

    def get(self, key: str) -> bytes:
        return self.objects[key]

    def keys(self, prefix: str) -> list[str]:
        return sorted(key for key in self.objects if key.startswith(prefix))


def manifest(sources: dict[str, dict[str, object]]) -> bytes:
    return json.dumps({"date": "2026-06-02", "sources": sources}).encode()


def test_a_day_reports_its_objects_and_each_sources_fate_with_its_flags() -> None:
    # Given a sealed day with X capped, Reddit out of reach and Bluesky degraded, scored, not rendered
    data = MemoryStore(
        {
            "raw/2026-06-02/manifest.json": manifest(
                {
                    "x": {"status": "ok", "capped": True},
                    "reddit": {"status": "out-of-reach", "error": "secret detail"},
                    "bluesky": {"status": "ok", "degraded": True},
                    "hackernews": {"status": "ok", "capped": False},
                    "huggingface": {"status": "ok", "suspect": "huggingface: 2 posts where its median ... is 40"},
                }
            ),
            "scored/2026-06-02.json": json.dumps({"papers_fetched": 715, "papers": [{}, {}]}).encode(),
        }
    )
    # When it is reported
    report = day_report(data, MemoryStore(), date(2026, 6, 2))
    # Then what exists, the counts, and the sources' fate are read, never the error text
    assert (report.sealed, report.scored, report.digest, report.papers, report.listed) == (True, True, False, 715, 2)
    assert report.sources_text() == (
        "1 ok, bluesky ok degraded, huggingface ok suspect, reddit out-of-reach, x ok capped"
    )
    assert "secret detail" not in status_table([report])
    assert "median" not in status_table([report])


def test_known_days_come_from_every_store_and_ignore_stray_keys() -> None:
    data = MemoryStore({"raw/2026-06-01/manifest.json": b"{}", "scored/2026-06-03.json": b"{}", "raw/notes.txt": b""})
    site = MemoryStore({"digests/2026-06-04.md": b"", "digests/2026-06-04.json": b"{}", "index.html": b""})
    assert known_days(data, site) == [date(2026, 6, 1), date(2026, 6, 3), date(2026, 6, 4)]


def test_a_day_with_nothing_is_all_dashes() -> None:
    line = status_table([day_report(MemoryStore(), MemoryStore(), date(2026, 6, 5))]).splitlines()[1]
    assert line.split() == ["2026-06-05", "-", "-", "-", "-", "-", "-"]


MANIFEST, SCORED, DIGEST = "raw/2026-06-02/manifest.json", "scored/2026-06-02.json", "digests/2026-06-02.json"
SEALED = json.dumps({"fetched_at": "2026-06-03T07:00:00Z"}).encode()
OF_IT = json.dumps({"fetched_at": "2026-06-03T07:00:00Z", "papers": []}).encode()
OF_ANOTHER = json.dumps({"fetched_at": "2026-06-03T06:00:00Z", "papers": []}).encode()


@pytest.mark.parametrize(
    ("data", "site", "resumes_from"),
    [
        ({}, {}, None),
        ({SCORED: OF_IT}, {}, None),
        ({MANIFEST: SEALED}, {}, MANIFEST),
        ({MANIFEST: SEALED, SCORED: OF_ANOTHER}, {DIGEST: OF_ANOTHER}, MANIFEST),
        ({MANIFEST: SEALED, SCORED: OF_IT}, {}, SCORED),
        ({MANIFEST: SEALED, SCORED: OF_IT}, {DIGEST: OF_ANOTHER}, SCORED),
        ({MANIFEST: SEALED, SCORED: OF_IT}, {DIGEST: OF_IT}, None),
    ],
    ids=[
        "nothing",
        "scored but not sealed",
        "sealed only",
        "scored from an older snapshot",
        "scored, not rendered",
        "rendered from an older scored file",
        "published",
    ],
)
def test_a_sealed_day_resumes_from_what_it_lacks(
    data: dict[str, bytes], site: dict[str, bytes], resumes_from: str | None
) -> None:
    assert lacking(MemoryStore(data), MemoryStore(site), date(2026, 6, 2)) == resumes_from


def test_a_day_has_a_digest_once_its_render_wrote_its_last_file() -> None:
    # Given a render cut short after the Markdown, then one that finished
    site = MemoryStore({"digests/2026-06-02.md": b"# a"})
    assert day_report(MemoryStore(), site, date(2026, 6, 2)).digest is False
    site.objects[DIGEST] = OF_IT
    assert day_report(MemoryStore(), site, date(2026, 6, 2)).digest is True

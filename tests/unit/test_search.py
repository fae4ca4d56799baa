"""Search over every day: the records a render writes, the bundles' records the index step keeps,
and the index files it publishes (only what changed, stale ones deleted, the entry last)."""

from __future__ import annotations

import gzip
import json
from typing import Any

from hotpapers import layout, search
from hotpapers.models import json_bytes
from hotpapers.pipeline.index import index_day
from support.memory_store import MemoryStore


def scored(day: str, *papers: tuple[str, str], score: int = 120) -> dict[str, Any]:
    """A scored day listing ``papers`` (arXiv id, title), as the score step writes it."""
    return {
        "date": day,
        "papers": [
            {
                "rank": n + 1,
                "score": score - n,
                "paper": {
                    "id": paper_id,
                    "title": title,
                    "authors": ["Ada Lovelace", "Alan Turing"],
                    "abstract": f"We study {title.lower()} at scale.",
                    "categories": ["cs.LG", "stat.ML"],
                },
            }
            for n, (paper_id, title) in enumerate(papers)
        ],
    }


class Site(MemoryStore):
    """The site bucket, counting what the index step writes and deletes."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[str] = []
        self.deleted: list[str] = []

    def put(self, key: str, body: bytes, content_type: str | None = None, cache_control: str | None = None) -> None:
        self.written.append(key)
        super().put(key, body, content_type, cache_control)

    def delete(self, key: str) -> None:
        self.deleted.append(key)
        super().delete(key)


def test_a_days_records_hold_what_search_finds_and_shows_of_each_listed_paper() -> None:
    # Given a scored day listing a new-style and an old-style arXiv id
    day = scored("2026-06-02", ("2606.00001", "Sparse Attention"), ("hep-th/9901001", "Old Strings"))
    # When its search records are made
    found = search.records(day)
    # Then each has the paper's fields, its score and day, and the page a result links to
    assert found[0] == {
        "id": "2606.00001",
        "title": "Sparse Attention",
        "authors": ["Ada Lovelace", "Alan Turing"],
        "abstract": "We study sparse attention at scale.",
        "categories": ["cs.LG", "stat.ML"],
        "score": 120,
        "day": "2026-06-02",
        "url": "papers/2606.00001.html",
    }
    # And an old-style id, which has no page of its own, links to its day's digest
    assert found[1]["url"] == "digests/2026-06-02.html"
    assert found[1]["score"] == 119


def test_merging_a_day_replaces_only_that_days_records_and_keeps_days_in_order() -> None:
    # Given records of two days
    cumulative = {"2026-06-03": [{"id": "b"}], "2026-06-02": [{"id": "a"}]}
    # When the first day is rendered again, and an earlier day for the first time
    again = search.merged(cumulative, "2026-06-02", [{"id": "a2"}])
    earlier = search.merged(again, "2026-06-01", [])
    # Then the day's records are replaced, the others kept, and days come oldest first
    assert again == {"2026-06-02": [{"id": "a2"}], "2026-06-03": [{"id": "b"}]}
    assert list(earlier) == ["2026-06-01", "2026-06-02", "2026-06-03"]


def test_publishing_writes_only_changed_files_the_entry_last_and_deletes_stale_ones() -> None:
    # Given a site holding an index of three files
    site = Site()
    first = {
        "pagefind/recent/pagefind-entry.json": b"1",
        "pagefind/recent/fragment/en_aaaaaaa.pf_fragment": b"a",
        "pagefind/recent/index/en_bbbbbbb.pf_index": b"b",
    }
    published = search.publish(first, {}, site)
    assert site.written[-1] == "pagefind/recent/pagefind-entry.json"
    site.written.clear()
    # When a new build keeps one file, changes the entry and replaces a chunk
    second = {
        "pagefind/recent/pagefind-entry.json": b"2",
        "pagefind/recent/fragment/en_aaaaaaa.pf_fragment": b"a",
        "pagefind/recent/index/en_ccccccc.pf_index": b"c",
    }
    now = search.publish(second, published, site)
    # Then only the new chunk and the entry are written, the entry last, and the stale chunk deleted
    assert site.written == ["pagefind/recent/index/en_ccccccc.pf_index", "pagefind/recent/pagefind-entry.json"]
    assert site.deleted == ["pagefind/recent/index/en_bbbbbbb.pf_index"]
    assert sorted(site.objects) == sorted(second)
    assert set(now) == set(second)
    # And hashed chunks are cached for good, the entry only for minutes
    assert search._cache_control("pagefind/recent/index/en_ccccccc.pf_index").endswith("immutable")
    assert search._cache_control("pagefind/recent/pagefind-entry.json") == "public, max-age=300"


def test_the_index_step_merges_each_day_once_and_publishes_a_pagefind_index_of_every_day() -> None:
    # Given two rendered days' records in the data store
    data, site = MemoryStore(), Site()
    for day, paper in (("2026-06-02", ("2606.00001", "Sparse Attention")), ("2026-06-03", ("2606.00500", "Graphs"))):
        data.put(layout.search_day(day), json_bytes({"date": day, "records": search.records(scored(day, paper))}))
    # When the index step runs for each, and again for the first (a refresh)
    index_day(layout.search_day("2026-06-02"), data, site)
    index_day(layout.search_day("2026-06-03"), data, site)
    site.written.clear()
    site.deleted.clear()
    result = index_day(layout.search_day("2026-06-02"), data, site)
    # Then the recent bundle's records hold both days once, compressed
    cumulative = json.loads(gzip.decompress(data.get(layout.search_records("recent"))))
    assert [record["id"] for records in cumulative.values() for record in records] == ["2606.00001", "2606.00500"]
    assert result == {"date": "2026-06-02", "days": 2, "papers": 2, "built": []}
    # And the site holds Pagefind's index of the recent days, listed as the one bundle, and none
    # of Pagefind's unused user interfaces
    keys = set(site.objects)
    assert {"pagefind/recent/pagefind.js", "pagefind/recent/pagefind-entry.json", search.BUNDLES} <= keys
    assert json.loads(site.objects[search.BUNDLES]) == {"bundles": ["recent"]}
    assert any(key.startswith("pagefind/recent/fragment/") for key in keys)
    assert not [key for key in keys if "-ui." in key or "highlight" in key]
    # And the same records again build nothing and write nothing: every file is the same
    assert site.written == []
    assert site.deleted == []


def test_days_are_bundled_recent_from_the_month_before_the_newest_and_two_years_each_before() -> None:
    # Given an archive whose newest day is in March 2026
    newest = "2026-03-04"
    # Then the days since February 1 are recent, and older days go by two-year spans
    assert search.bundle_of("2026-02-01", newest) == "recent"
    assert search.bundle_of("2026-01-30", newest) == "2026"
    assert search.bundle_of("2025-12-31", newest) == "2024"
    assert search.bundle_of("2024-01-01", newest) == "2024"
    assert search.bundle_of("2023-12-31", newest) == "2022"
    # And in January, recent starts on December 1
    assert search.bundle_of("2025-12-01", "2026-01-05") == "recent"
    assert search.bundle_of("2025-11-28", "2026-01-05") == "2024"
    # And bundles come recent first, then the newest years
    days = {d: [] for d in ("2022-05-02", "2025-06-02", "2026-03-04", "2023-01-02")}
    assert list(search.bundled(days)) == ["recent", "2024", "2022"]


def test_a_new_day_builds_only_the_recent_bundle_and_a_month_later_moves_its_days_once() -> None:
    # Given an archive of a day in 2024 and a day in May 2026, indexed
    data, site = MemoryStore(), Site()
    days = {"2024-03-04": ("2403.00001", "Old Graphs"), "2026-05-04": ("2605.00001", "Sparse Attention")}
    days |= {"2026-05-05": ("2605.00002", "Dense Attention"), "2026-07-01": ("2607.00001", "Late Attention")}
    for day, paper in days.items():
        data.put(layout.search_day(day), json_bytes({"date": day, "records": search.records(scored(day, paper))}))
    index_day(layout.search_day("2024-03-04"), data, site)
    index_day(layout.search_day("2026-05-04"), data, site)
    # When the next day is indexed
    site.written.clear()
    result = index_day(layout.search_day("2026-05-05"), data, site)
    # Then only the recent bundle is built and written, the 2024 bundle left as it is
    assert result["built"] == ["recent"]
    assert {key.split("/")[1] for key in site.written} == {"recent"}
    assert json.loads(site.objects[search.BUNDLES]) == {"bundles": ["recent", "2024"]}
    # When a day of July comes, May leaves the recent days: its two days move to the 2026 bundle
    site.written.clear()
    site.deleted.clear()
    result = index_day(layout.search_day("2026-07-01"), data, site)
    assert result["built"] == ["recent", "2026"]
    assert json.loads(site.objects[search.BUNDLES]) == {"bundles": ["recent", "2026", "2024"]}
    assert site.written[-1] == search.BUNDLES
    # And the recent bundle's files of May are deleted, the 2024 bundle untouched
    assert site.deleted
    assert all(key.startswith("pagefind/recent/") for key in site.deleted)
    assert not [key for key in site.written if key.startswith("pagefind/2024/")]


class Data(MemoryStore):
    """The data store, noting each key the index step reads."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []

    def get(self, key: str) -> bytes:
        self.reads.append(key)
        return super().get(key)


def test_a_days_index_step_reads_and_writes_the_records_of_the_bundles_it_builds_and_no_others() -> None:
    # Given an archive of a day in 2022, one in 2024 and one in May 2026, indexed
    data, site = Data(), Site()
    days = {"2022-03-01": ("2203.00001", "Older"), "2024-03-04": ("2403.00001", "Old Graphs")}
    days |= {"2026-05-04": ("2605.00001", "Sparse Attention"), "2026-05-05": ("2605.00002", "Dense Attention")}
    for day, paper in days.items():
        data.put(layout.search_day(day), json_bytes({"date": day, "records": search.records(scored(day, paper))}))
    for day in ("2022-03-01", "2024-03-04", "2026-05-04"):
        index_day(layout.search_day(day), data, site)
    # When the next day is indexed
    data.reads.clear()
    written = len(data.objects)
    before = {key: data.get(key) for key in data.objects}
    data.reads.clear()
    result = index_day(layout.search_day("2026-05-05"), data, site)
    # Then it reads the day's records, what the site holds and the recent days' records, no older bundle's
    assert sorted(data.reads) == sorted(
        [layout.search_day("2026-05-05"), layout.SEARCH_PUBLISHED, layout.search_records("recent")]
    )
    # And writes back the recent records and the list of what the site holds only
    changed = {key for key in data.objects if before.get(key) != data.objects[key]}
    assert changed == {layout.search_records("recent"), layout.SEARCH_PUBLISHED}
    assert len(data.objects) == written
    # And still counts every day and paper of the archive
    assert result == {"date": "2026-05-05", "days": 4, "papers": 4, "built": ["recent"]}


def test_records_kept_in_one_document_by_earlier_steps_are_split_into_their_bundles_once() -> None:
    # Given an index published by a step that kept every day's records in one document
    data, site = Data(), Site()
    days = {"2024-03-04": ("2403.00001", "Old Graphs"), "2026-05-04": ("2605.00001", "Sparse Attention")}
    cumulative = {day: search.records(scored(day, paper)) for day, paper in days.items()}
    data.put(layout.SEARCH_ALL_RECORDS, gzip.compress(json_bytes(cumulative), mtime=0))
    built = {name: search.fingerprint(bundle) for name, bundle in search.bundled(cumulative).items()}
    files = {}
    for name, bundle in search.bundled(cumulative).items():
        files.update(search.build(bundle, name))
    files[search.BUNDLES] = json_bytes({"bundles": list(built)})
    published = search.publish(files, {}, site)
    data.put(layout.SEARCH_PUBLISHED, json_bytes({"files": published, "bundles": built}))
    site.written.clear()
    # When the next day is indexed
    day = "2026-05-05"
    data.put(
        layout.search_day(day), json_bytes({"date": day, "records": search.records(scored(day, ("2605.2", "New")))})
    )
    result = index_day(layout.search_day(day), data, site)
    # Then each bundle's records are in their own document, the new day among the recent ones,
    # and only the recent bundle is built again: the 2024 one is the same
    stored = {name: json.loads(gzip.decompress(data.get(layout.search_records(name)))) for name in ("recent", "2024")}
    assert sorted(stored["recent"]) == ["2026-05-04", "2026-05-05"]
    assert list(stored["2024"]) == ["2024-03-04"]
    assert result == {"date": day, "days": 3, "papers": 3, "built": ["recent"]}
    assert not [key for key in site.written if key.startswith("pagefind/2024/")]
    # And the next step reads the recent bundle's document, not the one document
    data.reads.clear()
    index_day(layout.search_day(day), data, site)
    assert layout.SEARCH_ALL_RECORDS not in data.reads

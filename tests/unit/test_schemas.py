"""The typed documents: each step reads and writes them through their models, a document written
by earlier code is still read, and one of another shape fails at the boundary that meets it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hotpapers import layout, snapshot
from hotpapers.config import load_settings
from hotpapers.pipeline.render import render_day
from hotpapers.pipeline.score import score_day
from hotpapers.schemas import DaySummary, InvalidDocumentError, Manifest, ScoredDay, dump, json_schemas, load
from hotpapers.website import publish_day, summary
from hotpapers.website.publish import SiteOptions
from support.memory_store import MemoryStore

FIXTURES = Path(__file__).parents[1] / "fixtures"
STORED = FIXTURES / "scored" / "2026-06-02.json"
SETTINGS = load_settings({"HOTPAPERS_SOURCES": "x,reddit"})


def stored() -> dict[str, Any]:
    return json.loads(STORED.read_text())


def test_a_scored_day_written_by_earlier_code_is_still_read_and_rendered() -> None:
    # Given the scored day the score step wrote at an earlier commit
    data, site = MemoryStore(), MemoryStore()
    data.put(layout.scored_key("2026-06-02"), STORED.read_bytes())

    # When the model reads it, and the render step publishes it
    day = ScoredDay.model_validate(stored())
    render_day(layout.scored_key("2026-06-02"), SETTINGS, data, site)

    # Then every paper is there in rank order, and the day is published with its summary
    assert day.date == "2026-06-02"
    assert [paper.rank for paper in day.papers] == list(range(1, len(day.papers) + 1))
    assert layout.digest_page("2026-06-02") in site.objects
    published = load(DaySummary, site.objects[layout.summary_key("2026-06-02")])
    assert published["format"] == 1
    assert len(published["papers"]) == len(day.papers)


def test_a_refreshed_days_history_is_read_and_written_unlost_and_a_broken_point_refused() -> None:
    # Given a scored day with the fields a refreshed day carries
    document = stored()
    document["counts_as_of"] = "2026-06-03T00:00:00Z"
    point = {"as_of": "2026-06-03T00:00:00Z", "score": 1, "counts": {"x": {"likes": 1}}}
    document["papers"][0]["history"] = [point]

    # When the model reads it / Then they are read, and written back unlost
    day = ScoredDay.model_validate(document)
    assert day.counts_as_of == "2026-06-03T00:00:00Z"
    assert day.papers[0].history is not None
    assert day.papers[0].history[0].score == 1
    assert json.loads(dump(ScoredDay, document)) == document
    # And a point without its time is refused, naming where
    document["papers"][0]["history"] = [{"score": 1, "counts": {}}]
    with pytest.raises(InvalidDocumentError, match=r"papers\.0\.history\.0\.as_of"):
        dump(ScoredDay, document)


@pytest.mark.parametrize(
    ("change", "named"),
    [({"format": 2}, "format"), ({"papers": [{"rank": 1}]}, "papers.0.score"), ({"date": None}, "date")],
)
def test_the_render_step_refuses_a_scored_day_of_another_shape_naming_it_and_writing_nothing(
    change: dict[str, Any], named: str
) -> None:
    # Given a scored day of another format, or with a broken paper
    data, site = MemoryStore(), MemoryStore()
    key = layout.scored_key("2026-06-02")
    data.put(key, json.dumps({**stored(), **change}).encode())

    # When the render step reads it / Then it fails naming the key and the field, before any write
    with pytest.raises(InvalidDocumentError, match=rf"{key} is not a ScoredDay: {named}"):
        render_day(key, SETTINGS, data, site)
    assert site.objects == {}


def test_a_stored_document_that_is_not_json_is_refused_naming_it() -> None:
    with pytest.raises(InvalidDocumentError, match=r"scored/x\.json is not JSON"):
        load(ScoredDay, b"{", "scored/x.json")


def test_a_writer_cannot_hand_on_a_document_its_reader_would_refuse() -> None:
    # Given a scored day with a paper without its score
    broken = stored()
    broken["papers"][0].pop("score")

    # When it is written (as the score and render steps write) / Then it is refused, naming it
    with pytest.raises(InvalidDocumentError, match=r"scored/2026-06-02.json is not a ScoredDay: papers.0.score"):
        dump(ScoredDay, broken, "scored/2026-06-02.json")


def test_the_score_step_writes_a_scored_day_its_reader_takes() -> None:
    # Given the seed day sealed in format 1
    data = MemoryStore()
    manifest = seal_from_format_1(data)

    # When it is scored / Then the stored day is one the render step reads
    score_day(manifest, SETTINGS, data)
    assert load(ScoredDay, data.objects[layout.scored_key("2020-07-09")])["date"] == "2020-07-09"


def seal_from_format_1(store: MemoryStore) -> str:
    """The seed day's format-1 snapshot copied into ``store``; its manifest's key."""
    raw = FIXTURES / "raw-format-1"
    for path in raw.rglob("*"):
        if path.is_file():
            store.put(path.relative_to(raw).as_posix(), path.read_bytes())
    return layout.manifest_key("2020-07-09")


def test_a_manifest_of_either_format_is_read_and_a_third_is_refused_where_the_score_step_reads_it() -> None:
    # Given the seed day sealed in format 1
    data = MemoryStore()
    key = seal_from_format_1(data)

    # When it is read / Then it reads; the same manifest claiming format 3 fails naming the key
    assert Manifest.model_validate_json(data.objects[key]).format == 1
    assert snapshot.read(data, key).manifest["format"] == 1
    data.put(key, json.dumps({**json.loads(data.objects[key]), "format": 3}).encode())
    with pytest.raises(InvalidDocumentError, match=rf"{key} is not a Manifest: format"):
        snapshot.read(data, key)


def test_a_day_summary_written_before_it_carried_its_format_is_read_as_format_1() -> None:
    # Given a summary as renders wrote it before summaries carried their format
    old = {key: value for key, value in summary(stored()).items() if key != "format"}

    # When the model reads it / Then it is format 1, and today's summary says so itself
    assert DaySummary.model_validate(old).format == 1
    assert summary(stored())["format"] == 1


def test_a_render_reading_an_older_summary_lists_its_day() -> None:
    # Given a site whose neighbouring day's summary has no format field
    site = MemoryStore()
    earlier = {**stored(), "date": "2026-06-01"}
    old = {key: value for key, value in summary(earlier).items() if key != "format"}
    site.put(layout.summary_key("2026-06-01"), json.dumps(old).encode())
    site.put(layout.month_key("2026-06"), b"{}")

    # When the next day is published
    publish_day(stored(), SiteOptions(), site)

    # Then the older day is on the index
    assert 'href="digests/2026-06-01.html"' in site.objects[layout.INDEX].decode()


def test_the_committed_json_schemas_are_current() -> None:
    committed = Path(__file__).parents[2] / "docs" / "schemas"
    assert {path.stem for path in committed.glob("*.json")} == set(json_schemas())
    for name, schema in json_schemas().items():
        path = committed / f"{name}.json"
        assert path.read_bytes() == schema, f"run: python -m hotpapers.schemas ({path} is stale)"

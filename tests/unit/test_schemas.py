"""The typed documents: a scored day written by today's code is still read, a wrong one is not."""

import json
from pathlib import Path

import pytest
from hotpapers.schemas import Manifest, ScoredDay, json_schemas
from pydantic import ValidationError

STORED = Path(__file__).parents[1] / "fixtures" / "scored" / "2026-06-02.json"


def stored() -> dict:
    return json.loads(STORED.read_text())


def test_a_stored_scored_day_is_read():
    day = ScoredDay.model_validate(stored())
    assert day.date == "2026-06-02"
    assert [paper.rank for paper in day.papers] == list(range(1, len(day.papers) + 1))


def test_fields_a_later_version_adds_pass_through():
    document = stored()
    document["counts_as_of"] = "2026-06-03T00:00:00Z"
    document["papers"][0]["history"] = [{"score": 1}]
    day = ScoredDay.model_validate(document)
    assert day.model_extra == {"counts_as_of": "2026-06-03T00:00:00Z"}
    assert day.papers[0].model_extra == {"history": [{"score": 1}]}


@pytest.mark.parametrize("change", [{"format": 2}, {"papers": [{"rank": 1}]}])
def test_another_format_or_a_broken_paper_is_refused(change):
    with pytest.raises(ValidationError):
        ScoredDay.model_validate({**stored(), **change})


def test_a_manifest_of_either_format_is_read():
    raw = Path(__file__).parents[1] / "fixtures" / "raw-format-1"
    manifests = list(raw.rglob("manifest.json"))
    assert manifests
    for path in manifests:
        assert Manifest.model_validate_json(path.read_bytes()).format == 1
    with pytest.raises(ValidationError):
        Manifest.model_validate({**json.loads(manifests[0].read_bytes()), "format": 3})


def test_the_committed_json_schemas_are_current():
    committed = Path(__file__).parents[2] / "docs" / "schemas"
    for name, schema in json_schemas().items():
        path = committed / f"{name}.json"
        assert path.read_bytes() == schema, f"run: python -m hotpapers.schemas ({path} is stale)"

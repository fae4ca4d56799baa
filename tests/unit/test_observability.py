"""Observability: log lines and traces name the day being worked on; metrics carry their source."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hotpapers import observability
from hotpapers.observability import count_per_source, logger, processing


@pytest.fixture
def trace(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, object]]:
    """The trace's annotations (the tracer itself is off outside Lambda), and log keys removed after."""
    found: dict[str, object] = {}
    monkeypatch.setattr(observability.tracer, "put_annotation", lambda key, value: found.__setitem__(key, value))
    yield found
    logger.remove_keys(["digest_date", "scored"])


def test_the_digest_date_tags_later_log_lines_and_the_trace(trace: dict[str, object]) -> None:
    # When the render step starts working on a day's scored file
    processing("2026-06-02", scored="scored/2026-06-02.json")
    # Then every later log line carries the date and the key, and the trace is searchable by date
    keys = logger.get_current_keys()
    assert (keys["digest_date"], keys["scored"]) == ("2026-06-02", "scored/2026-06-02.json")
    assert trace == {"digest_date": "2026-06-02"}


def test_each_source_gets_its_own_metric_record_with_a_source_dimension(capsys: pytest.CaptureFixture[str]) -> None:
    # When the posts of two sources are counted
    count_per_source("Posts", {"x": 3, "bluesky": 0})
    # Then one EMF record per source is printed at once, in the service's namespace
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(record["source"], record["Posts"]) for record in records] == [("x", [3.0]), ("bluesky", [0.0])]
    for record in records:
        [directive] = record["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == "HotPapers"
        assert directive["Dimensions"] == [["source", "service"]]
        assert directive["Metrics"] == [{"Name": "Posts", "Unit": "Count"}]
        assert record["service"] == "hotpapers"

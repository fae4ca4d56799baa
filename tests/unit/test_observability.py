"""Observability: log lines and traces name the day being worked on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hotpapers import observability
from hotpapers.observability import logger, processing


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

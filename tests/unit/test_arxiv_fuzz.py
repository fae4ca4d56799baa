"""Fuzzing the arXiv parser: whatever the bytes, the only way out is a result or ``ArxivError``."""

from __future__ import annotations

import os

import pytest
from conftest import arxivpy_golden, real_fixture
from hotpapers import arxiv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("HOTPAPERS_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

REAL_FEEDS = [
    real_fixture("arxiv_api_new_format_2026-08-05_submittedDate_excerpt.xml"),
    real_fixture("arxiv_api_new_format_2026-06-14_all-transformer_cs.LG_5entries.xml"),
    real_fixture("arxiv_api_new_format_2026-07-17_all-nicotine_10entries.xml"),
    arxivpy_golden("arxivpy_golden_q_testing_s0_m10_bc5a6c384fe9.json")[1],
    arxivpy_golden("arxivpy_golden_id_abc_s0_m100_b79c8dcf6bc3.json")[1],
    arxivpy_golden("arxivpy_golden_id_0000.0000_s0_m100_8b51d9633a68.json")[1],
]

MARKUP = [b"<entry>", b"</entry>", b"<id>", b"<title>Error</title>", b"&amp;", b"<![CDATA[", b"<!--", b"\x00"]


def parses_or_refuses(body: bytes) -> None:
    try:
        feed = arxiv.parse_feed(body)
    except arxiv.ArxivError:
        return
    # What is accepted is whole: every paper has what a digest shows
    for paper in feed.papers:
        assert all((paper.id, paper.title, paper.authors, paper.categories, paper.published))


@st.composite
def mutated_feeds(draw: st.DrawFn) -> bytes:
    """A real feed, cut, with a slice removed, bytes replaced, or text inserted."""
    body = bytearray(draw(st.sampled_from(REAL_FEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(body)))
        kind = draw(st.sampled_from(["cut", "delete", "replace", "insert", "tag"]))
        if kind == "cut":
            del body[at:]
        elif kind == "delete":
            del body[at : at + draw(st.integers(1, 400))]
        elif kind == "replace" and at < len(body):
            body[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            body[at:at] = draw(st.binary(max_size=40))
        else:
            body[at:at] = draw(st.sampled_from(MARKUP))
    return bytes(body)


@pytest.mark.fuzz
@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_parse_or_raise_arxiv_error(body: bytes) -> None:
    parses_or_refuses(body)


@pytest.mark.fuzz
@FUZZ
@given(mutated_feeds())
def test_mutated_real_feeds_parse_or_raise_arxiv_error(body: bytes) -> None:
    parses_or_refuses(body)

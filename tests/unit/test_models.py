"""The shared nouns: how every stored and published JSON document is written."""

from __future__ import annotations

import json
import tracemalloc
from typing import Any

from hotpapers.models import json_bytes
from hypothesis import given
from hypothesis import strategies as st

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(document=JSON)
def test_a_document_is_written_sorted_indented_in_utf8_with_one_final_newline(document: Any) -> None:
    # Given any JSON document
    # When it is written
    written = json_bytes(document)
    # Then it is exactly json.dumps's text with those settings, then a newline, in UTF-8
    assert written == (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def test_a_big_document_is_written_without_holding_its_pieces_all_at_once() -> None:
    # Given a scored day's worth of papers (some 2 MB written)
    document = {"papers": [{"id": f"2606.{n:05d}", "abstract": "é" * 200, "authors": ["A", "B"]} for n in range(5000)]}
    # When it is written, its memory watched
    tracemalloc.start()
    try:
        written = json_bytes(document)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Then at most about twice its bytes were held at once (a big day's scored document is 8 MB)
    assert peak < 2.5 * len(written)

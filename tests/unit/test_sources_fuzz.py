"""Fuzzing every source parser and the linker: whatever upstream sends, the only exception is the
project's own typed one (``MalformedDocumentError``: a document that is garbage as a whole).

Examples per test: ``HOTPAPERS_FUZZ_EXAMPLES`` (default 200). Three kinds of input: arbitrary JSON,
each source's real-shaped documents with one value anywhere replaced by arbitrary JSON, which
reaches past the outer checks into every field a parser reads, and real-shaped documents with one
string written as arbitrary JSON string escapes and bytes (lone surrogates, invalid UTF-8), as
upstream's JSON text may hold them and no decoded text can.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from hotpapers import arxiv
from hotpapers.linking import find_arxiv_ids, find_github_repos, link_posts
from hotpapers.models import json_bytes
from hotpapers.sources import KNOWN_SOURCES, MalformedDocumentError, PaperSignal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.sources_day import arxiv_page, stored_documents

pytestmark = pytest.mark.fuzz
EXAMPLES = int(os.environ.get("HOTPAPERS_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
DOCUMENTS = stored_documents()
SITES = {
    "x": "twitter.com",
    "hackernews": "news.ycombinator.com",
    "bluesky": "bsky.app",
    "reddit": "www.reddit.com",
    "huggingface": "huggingface.co",
}
PAPERS = {paper.id: paper for paper in arxiv.parse_feed(arxiv_page()).papers}


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a decoded document a value sits, the whole document first."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(document))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return copy


@st.composite
def mutated(draw: st.DrawFn, source: str) -> dict[str, bytes]:
    """The source's documents of the sources day, one value somewhere replaced by arbitrary JSON."""
    documents = dict(DOCUMENTS[source])
    name = draw(st.sampled_from(sorted(documents)))
    decoded = json.loads(documents[name])
    path = draw(st.sampled_from(paths(decoded)))
    documents[name] = json.dumps(replaced(decoded, path, draw(JSON))).encode()
    return documents


# One piece of a JSON string as upstream may write it: any \u escape (lone surrogate halves
# included), the short escapes, plain text, or bytes that are not UTF-8.
ESCAPED = st.lists(
    (st.integers(0xD800, 0xDFFF) | st.integers(0, 0xFFFF)).map(lambda code: f"\\u{code:04x}".encode())
    | st.sampled_from([b'\\"', b"\\\\", b"\\/", b"\\n", b"\\t", b"\\b"])
    | st.text(max_size=4).map(lambda text: json.dumps(text)[1:-1].encode())
    | st.binary(max_size=3).filter(lambda raw: b'"' not in raw and b"\\" not in raw and all(b >= 32 for b in raw)),
    max_size=8,
).map(b"".join)
PLACEHOLDER = "\x00escaped\x00"


@st.composite
def escaped(draw: st.DrawFn, source: str) -> dict[str, bytes]:
    """The source's documents of the sources day, one string somewhere written as ``ESCAPED``."""
    documents = dict(DOCUMENTS[source])
    name = draw(st.sampled_from(sorted(documents)))
    decoded = json.loads(documents[name])
    strings = [path for path in paths(decoded) if isinstance(value_at(decoded, path), str)]
    if not strings:
        return documents
    text = json.dumps(replaced(decoded, draw(st.sampled_from(strings)), PLACEHOLDER)).encode()
    documents[name] = text.replace(json.dumps(PLACEHOLDER).encode(), b'"' + draw(ESCAPED) + b'"')
    return documents


def value_at(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


def read_all(source: str, documents: dict[str, bytes]) -> None:
    """Everything the score step does with a source's documents; only ``MalformedDocumentError`` may escape."""
    kind = KNOWN_SOURCES[source]
    try:
        if issubclass(kind, PaperSignal):
            posts = [post for name in ("huggingface",) for post in KNOWN_SOURCES[name].parse(DOCUMENTS[name])]
            since = datetime(2026, 5, 29, 18, tzinfo=UTC)
            kind.paper_counts(documents, since, PAPERS, link_posts(posts, set(PAPERS)))
        else:
            parsed = kind.read(documents)
            assert parsed.skipped >= 0
            for post in parsed.posts:
                kind.engagement(post)
                # The score step stores every post it reads as UTF-8: any text must encode.
                json_bytes(kind.shown(post).to_dict())
                # And a post's link is on its source's site, whatever the data says.
                assert urlsplit(post.url).hostname == SITES[source], post.url
            link_posts(parsed.posts, set(PAPERS))
    except MalformedDocumentError:
        pass


@pytest.mark.parametrize("source", list(KNOWN_SOURCES))
@FUZZ
@given(data=st.data())
def test_a_real_shaped_document_with_any_value_anywhere_never_crashes_a_parser(
    source: str, data: st.DataObject
) -> None:
    read_all(source, data.draw(mutated(source)))


@pytest.mark.parametrize("source", list(KNOWN_SOURCES))
@FUZZ
@given(data=st.data())
def test_a_real_shaped_document_with_any_string_escapes_never_crashes_a_parser_nor_a_writer(
    source: str, data: st.DataObject
) -> None:
    read_all(source, data.draw(escaped(source)))


@pytest.mark.parametrize("source", list(KNOWN_SOURCES))
@FUZZ
@given(body=JSON | st.binary(max_size=40).map(lambda raw: raw.decode("latin-1")))
def test_any_json_or_bytes_never_crashes_a_parser(source: str, body: Any) -> None:
    name = {"github": "repo-a__b.json", "x": "search-0000.json"}.get(source, "search-0000.json")
    encoded = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else json.dumps(body).encode()
    read_all(source, {name: encoded, "stargazers-a__b-0001.json": encoded})


@FUZZ
@given(
    texts=st.lists(
        st.text(max_size=80)
        | st.from_regex(r"(https?://)?(www\.)?(arxiv\.org|xxx\.lanl\.gov|alphaxiv\.org|github\.com)/[\w/.:-]{0,30}"),
        max_size=4,
    )
)
def test_the_linker_takes_any_text(texts: list[str]) -> None:
    ids = find_arxiv_ids(texts)
    assert len(ids) == len(set(ids))
    repos = find_github_repos(texts)
    assert all(repo == repo.lower() and repo.count("/") == 1 for repo in repos)

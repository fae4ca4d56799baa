"""Search over every listed paper of the archive: Pagefind's static index, built from records.

The render writes each day's search records (``records``: a listed paper's title, authors,
abstract, categories and id, with its score, day and page) as one small object,
``search/days/<D>.json`` in the data store. The index step (``pipeline.index``) merges them into
a document per bundle, ``search/records/<bundle>.json.gz``, and publishes Pagefind's index of them
under ``pagefind/`` on the site.

The index is split into bundles (``bundle_of``): ``recent``, the days since the first of the
month before the newest day's, and one per two calendar years before that. Only a bundle whose
records changed is built again: daily, the recent one (a new day, or a refresh of a day under a
week old); once a month, the bundle the oldest recent month moves into. Pagefind holds the whole
index it builds in memory (about 125 KB a paper) and a new day changes every index chunk of its
bundle, so bundles keep a day's build, its memory and its writes small however long the archive
grows, and the step reads and writes only the records of the bundles it builds. ``search.html``
merges them in the browser (Pagefind's ``mergeIndex``), as listed in ``pagefind/bundles.json``.

Pagefind splits each bundle into chunks by word and a fragment per record, under content-hashed
names: a reader's browser downloads only the chunks and fragments a query needs. ``publish``
writes only the files whose bytes changed and deletes those no longer part of the index.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from hotpapers import layout
from hotpapers.store import NotFoundError, Store

if TYPE_CHECKING:
    # Only the index step talks to Pagefind; the render, which writes the day's records, does not
    # load it (pagefind.service brings asyncio: some 50 ms of a cold start).
    from pagefind.service.types import InternalAddRecordRequest, InternalGetFilesRequest, InternalNewIndexRequest

INDEX = layout.SEARCH_INDEX
BUNDLES = f"{INDEX}bundles.json"
"""The bundles search.html merges, the primary (``recent``) first."""
RECENT = "recent"
YEARS_PER_BUNDLE = 2
# Pagefind's own user interfaces are not used: search.html asks pagefind.js and shows its results.
UNUSED = re.compile(r"pagefind/[^/]+/pagefind-(ui|modular-ui|component-ui|highlight)\.")
LANGUAGE = "en"


class SearchIndexError(RuntimeError):
    """Pagefind refused a request or stopped answering."""


class PrunableStore(Store, Protocol):
    """A store that can also delete: the site, whose index files go stale."""

    def delete(self, key: str) -> None: ...


def paper_page(paper_id: str, day: str) -> str:
    """The site path a search result links to: the paper's own page (new-style ids), else its day's card."""
    return layout.paper_page(paper_id) or layout.digest_page(day)


def records(scored: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What search finds of each paper ``scored`` lists, in rank order."""
    day = str(scored["date"])
    return [
        {
            "id": entry["paper"]["id"],
            "title": entry["paper"]["title"],
            "authors": list(entry["paper"]["authors"]),
            "abstract": entry["paper"].get("abstract", ""),
            "categories": list(entry["paper"]["categories"]),
            "score": entry["score"],
            "day": day,
            "url": paper_page(entry["paper"]["id"], day),
        }
        for entry in scored["papers"]
    ]


def bundle_of(day: str, newest: str) -> str:
    """The bundle ``day``'s records are indexed in, the archive's newest day being ``newest``:
    ``recent`` from the first of the month before ``newest``'s (every day a refresh can reach),
    else the first year of its two-year span (``2024`` holds 2024 and 2025)."""
    year, month = int(newest[:4]), int(newest[5:7])
    start = f"{year - 1}-12-01" if month == 1 else f"{year}-{month - 1:02d}-01"
    if day >= start:
        return RECENT
    first = int(day[:4])
    return str(first - first % YEARS_PER_BUNDLE)


def bundled(cumulative: Mapping[str, list[dict[str, Any]]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``cumulative``'s days by bundle (``bundle_of``), the bundles in the order search merges them:
    ``recent`` first, then the newest years."""
    newest = max(cumulative, default="")
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for day in sorted(cumulative):
        found.setdefault(bundle_of(day, newest), {})[day] = cumulative[day]
    return {name: found[name] for name in in_order(found)}


def in_order(names: Iterable[str]) -> list[str]:
    """Bundle names in the order search merges them: ``recent`` first, then the newest years."""
    return sorted(names, key=lambda name: (name != RECENT, -int(name) if name != RECENT else 0))


def fingerprint(days: Mapping[str, list[dict[str, Any]]]) -> str:
    """What decides a bundle's index: its records, as stored."""
    return hashlib.sha256(json.dumps(days, sort_keys=True).encode()).hexdigest()


def merged(cumulative: Mapping[str, list[dict[str, Any]]], day: str, found: list[dict[str, Any]]) -> dict[str, Any]:
    """``cumulative`` (day -> its records) with ``day``'s replaced by ``found``; days in order."""
    days = {**cumulative, day: found}
    return {d: days[d] for d in sorted(days)}


def _content(record: Mapping[str, Any]) -> str:
    """The text Pagefind indexes: everything search finds a paper by. The id comes twice, as
    written and as one word, since Pagefind splits words at the dot."""
    return "\n".join(
        [
            record["title"],
            ", ".join(record["authors"]),
            record["abstract"],
            " ".join(record["categories"]),
            record["id"],
            re.sub(r"[^0-9A-Za-z]", "", record["id"]),
        ]
    )


class _Service:
    """Pagefind's binary in its service mode, spoken to one message at a time.

    The ``pagefind`` package finds the binary and names the messages; its own transport waits a
    tenth of a second before reading each answer (an hour for a 37,500-paper archive), so this one
    reads each answer as soon as it comes."""

    def __init__(self) -> None:
        from pagefind.service import get_executable

        executable = get_executable()
        if executable is None:
            raise SearchIndexError("Pagefind's binary is not installed (pip install pagefind-bin)")
        self.process = subprocess.Popen(  # noqa: S603 - the binary the pagefind-bin package ships
            [str(_runnable(executable)), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0
        )
        self.sent = 0
        self.buffer = b""

    def ask(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}).encode()
        self.process.stdin.write(base64.b64encode(message) + b",")
        self.process.stdin.flush()
        while b"," not in self.buffer:
            # Unbuffered (bufsize=0): a read returns what the pipe holds, without waiting for more.
            chunk = self.process.stdout.read(1 << 16)
            if not chunk:
                raise SearchIndexError("Pagefind stopped answering")
            self.buffer += chunk
        answer, _, self.buffer = self.buffer.partition(b",")
        reply: dict[str, Any] = json.loads(base64.b64decode(answer))["payload"]
        if reply.get("type") == "Error":
            raise SearchIndexError(f"Pagefind refused {payload['type']}: {reply.get('message')}")
        return reply

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.terminate()
        self.process.wait()


def _runnable(executable: Path) -> Path:
    """The binary, or a copy that may run: a layer's files can arrive without their execute bit."""
    if os.access(executable, os.X_OK):
        return executable
    copy = Path(tempfile.gettempdir()) / "pagefind"
    if not copy.exists():
        shutil.copyfile(executable, copy)
        copy.chmod(0o755)
    return copy


def build(days: Mapping[str, Iterable[Mapping[str, Any]]], bundle: str) -> dict[str, bytes]:
    """Pagefind's index of every record in ``days``: its site keys (``pagefind/<bundle>/...``) and
    bodies, Pagefind's unused user interfaces left out.

    The files come back in Pagefind's answer, not written to disk: its writes may still be under
    way when it answers, and a file read then can be cut short."""
    service = _Service()
    try:
        new: InternalNewIndexRequest = {"type": "NewIndex", "config": {"force_language": LANGUAGE}}
        index = service.ask(new)["index_id"]
        for day in sorted(days):
            for record in days[day]:
                add: InternalAddRecordRequest = {
                    "type": "AddRecord",
                    "index_id": index,
                    "url": record["url"],
                    "content": _content(record),
                    "language": LANGUAGE,
                    "meta": {
                        "title": record["title"],
                        "score": str(record["score"]),
                        "day": record["day"],
                        "page": record["url"],
                    },
                    "filters": None,
                    "sort": None,
                }
                service.ask(add)
        files: InternalGetFilesRequest = {"type": "GetFiles", "index_id": index}
        written = service.ask(files)["files"]
    finally:
        service.close()
    found = {f"{INDEX}{bundle}/{file['path']}": file["content"] for file in written}
    return {key: base64.b64decode(body) for key, body in sorted(found.items()) if not UNUSED.match(key)}


def publish(
    files: Mapping[str, bytes], published: Mapping[str, str], site: PrunableStore, kept: Mapping[str, str] = {}
) -> dict[str, str]:
    """Write the index ``files`` whose content differs from what ``published`` says the site holds,
    keep the published files ``kept`` (bundles not built again), and delete every other key; what
    the site holds now (key -> SHA-256).

    Each bundle's entry file, which names its other files, comes after them, and the list of
    bundles last: a reader never gets an entry whose chunks are not there yet. Stale files go
    only after it, so a reader mid-query keeps finding the chunks the previous entry named."""
    now = {**kept, **{key: hashlib.sha256(body).hexdigest() for key, body in files.items()}}
    changed = sorted(
        (key for key in files if published.get(key) != now[key]),
        key=lambda key: (key == BUNDLES, key.endswith("entry.json")),
    )
    for key in changed:
        site.put(key, files[key], cache_control=_cache_control(key))
    for key in sorted(set(published) - set(now)):
        site.delete(key)
    return now


def _cache_control(key: str) -> str:
    """Hashed chunks and fragments never change; the entry, the script and the WebAssembly are
    named alike from one build to the next, so readers check them again after minutes."""
    if re.search(r"_[0-9a-f]{6,}\.pf_", key):
        return "public, max-age=31536000, immutable"
    return "public, max-age=300"


def stored(data: Store, key: str, default: Any) -> Any:
    """The JSON document at ``key`` (gzip-compressed if its key says so), or ``default`` where there is none yet."""
    try:
        body = data.get(key)
    except NotFoundError:
        return default
    return json.loads(gzip.decompress(body) if key.endswith(".gz") else body)

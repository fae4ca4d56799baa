"""Search over every listed paper of the archive: Pagefind's static index, built from records.

The render writes each day's search records (``records``: a listed paper's title, authors,
abstract, categories and id, with its score, day and page) as one small object,
``search/days/<D>.json`` in the data store. The index step (``pipeline.index``) merges them into
one cumulative document, ``search/records.json`` (one read, one write, however long the archive),
builds Pagefind's index from it (``build``), and publishes the index under ``pagefind/`` on the
site, writing only the files that changed and deleting those no longer part of it (``publish``).

Pagefind splits its index into chunks and a fragment per record, under content-hashed names: a
reader's browser downloads the entry file, its WebAssembly and only the chunks and fragments a
query needs, so one query costs tens of kilobytes whatever the archive's size, and a day's
rebuild changes a small part of the files.
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
from typing import Any, Protocol

from pagefind.service import get_executable
from pagefind.service.types import InternalAddRecordRequest, InternalNewIndexRequest, InternalWriteFilesRequest

from hotpapers.store import NotFoundError, Store

DAYS = "search/days/"
RECORDS = "search/records.json.gz"
"""Every day's records (day -> its records), gzip-compressed: abstracts make it tens of megabytes."""
PUBLISHED = "search/published.json"
"""The index files on the site and each one's SHA-256: what the next publish compares against."""
INDEX = "pagefind/"
# Pagefind's own user interfaces are not used: search.html asks pagefind.js and shows its results.
UNUSED = re.compile(r"pagefind/pagefind-(ui|modular-ui|component-ui|highlight)\.")
NEW_STYLE_ID = re.compile(r"[0-9]{4}\.[0-9]{4,5}")
LANGUAGE = "en"


class SearchIndexError(RuntimeError):
    """Pagefind refused a request or stopped answering."""


class PrunableStore(Store, Protocol):
    """A store that can also delete: the site, whose index files go stale."""

    def delete(self, key: str) -> None: ...


def day_key(day: str) -> str:
    return f"{DAYS}{day}.json"


def paper_page(paper_id: str, day: str) -> str:
    """The site path a search result links to: the paper's own page (new-style ids), else its day's card."""
    if NEW_STYLE_ID.fullmatch(paper_id):
        return f"papers/{paper_id}.html"
    return f"digests/{day}.html"


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


def build(cumulative: Mapping[str, Iterable[Mapping[str, Any]]], folder: Path) -> dict[str, bytes]:
    """Pagefind's index of every record in ``cumulative``, written under ``folder``; its site keys
    (``pagefind/...``) and bodies, Pagefind's unused user interfaces left out."""
    service = _Service()
    try:
        new: InternalNewIndexRequest = {"type": "NewIndex", "config": {"force_language": LANGUAGE}}
        index = service.ask(new)["index_id"]
        for day in sorted(cumulative):
            for record in cumulative[day]:
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
        write: InternalWriteFilesRequest = {"type": "WriteFiles", "index_id": index, "output_path": str(folder)}
        service.ask(write)
    finally:
        service.close()
    files = {f"{INDEX}{path.relative_to(folder).as_posix()}": path for path in folder.rglob("*") if path.is_file()}
    return {key: path.read_bytes() for key, path in sorted(files.items()) if not UNUSED.match(key)}


def publish(files: Mapping[str, bytes], published: Mapping[str, str], site: PrunableStore) -> dict[str, str]:
    """Write the index ``files`` whose content differs from what ``published`` says the site holds,
    then delete the keys no longer part of it; what the site holds now (key -> SHA-256).

    The entry file, which names every other, is written last: a reader never gets an entry whose
    chunks are not there yet. Stale files go only after it, so a reader mid-query keeps finding
    the chunks the previous entry named."""
    now = {key: hashlib.sha256(body).hexdigest() for key, body in files.items()}
    changed = sorted(
        (key for key in files if published.get(key) != now[key]), key=lambda key: key.endswith("entry.json")
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

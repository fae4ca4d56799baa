"""The documents the steps hand each other, as pydantic models with their schema versions.

- The fetch step seals a **manifest** (``raw/<D>/manifest.json``); the score step reads it.
- The score step writes the **scored day** (``scored/<D>.json``); the render step reads it, and
  publishes it as ``digests/<D>.json``, where the next renders read it again for the neighbours.
- The render step writes the **day summary** (``archive/<D>.json``); every later render reads the
  summaries its shared pages show.

Each step reads and writes them through their models (``load`` and ``dump``; the manifest is
checked, then written with its own encoding, so sealed bytes stay as they were), so a document of
another shape fails at the boundary that meets it, naming it, rather than halfway through a page,
and a writer cannot hand on what its reader would refuse. The operator's tools (``status``,
``doctor``, the collapse check) read a field or two of them as stored, and never refuse a day for
a field they do not read. The steps keep working on
the document as read (a dict): the check costs no copy of a big day's 100,000 posts, and what is
published is byte for byte what was scored. Fields a later version may add (a paper's ``history``,
the day's ``counts_as_of``) pass through: ``extra="allow"``. ``python -m hotpapers.schemas``
writes each model's JSON Schema into ``docs/schemas/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from hotpapers.models import json_bytes


class ManifestSource(BaseModel):
    """One source's state in a manifest; what else the fetch step records of it passes through."""

    model_config = ConfigDict(extra="allow", frozen=True)

    status: str
    files: list[dict[str, Any]] = []


class Manifest(BaseModel):
    """A sealed raw snapshot's manifest (``snapshot.py``): format 1 (an object per answer) still reads."""

    model_config = ConfigDict(extra="allow", frozen=True)

    format: Literal[1, 2]
    date: str
    fetched_at: str
    window: dict[str, str]
    categories: list[str]
    arxiv: dict[str, Any]
    sources: dict[str, ManifestSource]


class HistoryPoint(BaseModel):
    """A paper's score and counts as one snapshot of its day had them."""

    model_config = ConfigDict(extra="allow", frozen=True)

    as_of: str
    score: int
    counts: dict[str, dict[str, int]]


class ScoredPaper(BaseModel):
    """One listed paper of a scored day."""

    model_config = ConfigDict(extra="allow", frozen=True)

    rank: int
    score: int
    points: dict[str, float]
    paper: dict[str, Any]
    counts: dict[str, dict[str, int]]
    posts: list[dict[str, Any]]
    late: bool = False
    # Oldest first, the last the paper's score and counts; absent for a day never refreshed,
    # which reads as one point (``fetched_at``, ``score``, ``counts``).
    history: list[HistoryPoint] | None = None


class ScoredDay(BaseModel):
    """The scored document of one digest day (``scoring.score_snapshot``)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    format: Literal[1]
    date: str
    fetched_at: str
    window: dict[str, str]
    rules: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    present_sources: list[str]
    papers_fetched: int
    papers: list[ScoredPaper]
    # The operator's word on the day (``notice.apply``), as the site shows it.
    notice: dict[str, str] | None = None
    # When the newest snapshot scored was fetched; absent for a day never refreshed (``fetched_at``).
    counts_as_of: str | None = None


class SummaryPaper(BaseModel):
    """A listed paper as the shared pages show it: no posts, no abstract, three authors at most."""

    model_config = ConfigDict(extra="allow", frozen=True)

    rank: int
    id: str
    title: str
    authors: list[str]
    categories: list[str]
    score: int


class DaySummary(BaseModel):
    """What the index, the top and category pages and the feeds need of one digest day
    (``website.digest.summary``). Summaries written before it carried its format are format 1."""

    model_config = ConfigDict(extra="allow", frozen=True)

    format: Literal[1] = 1
    date: str
    fetched_at: str
    papers: list[SummaryPaper]


DOCUMENTS: dict[str, type[BaseModel]] = {"manifest": Manifest, "scored-day": ScoredDay, "day-summary": DaySummary}


class InvalidDocumentError(ValueError):
    """A stored document that is not the shape its model states."""


def checked(model: type[BaseModel], document: Any, name: str = "") -> dict[str, Any]:
    """``document`` itself, once ``model`` accepts it; else ``InvalidDocumentError`` naming the
    document (``name``, its key) and the first thing wrong with it."""
    try:
        model.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the document"
        raise InvalidDocumentError(
            f"{name or 'a document'} is not a {model.__name__}: {where}: {first['msg']}"
        ) from error
    return dict(document)


def load(model: type[BaseModel], body: bytes | str, name: str = "") -> dict[str, Any]:
    """A stored document read, and checked against ``model``."""
    try:
        document = json.loads(body)
    except ValueError as error:
        raise InvalidDocumentError(f"{name or 'a document'} is not JSON: {error}") from error
    return checked(model, document, name)


def dump(model: type[BaseModel], document: dict[str, Any], name: str = "") -> bytes:
    """``document`` checked against ``model``, as every stored JSON document is written (``json_bytes``)."""
    return json_bytes(checked(model, document, name))


def json_schemas() -> dict[str, bytes]:
    """Each document's JSON Schema as committed under ``docs/schemas/<name>.json``."""
    return {name: json_bytes(model.model_json_schema()) for name, model in DOCUMENTS.items()}


if __name__ == "__main__":
    # python -m hotpapers.schemas, from the repository's root: rewrites docs/schemas/.
    target = Path("docs/schemas")
    target.mkdir(parents=True, exist_ok=True)
    for name, schema in json_schemas().items():
        (target / f"{name}.json").write_bytes(schema)

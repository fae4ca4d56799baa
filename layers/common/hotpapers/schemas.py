"""The documents the steps hand each other, as pydantic models with their schema versions.

The fetch step seals a manifest (``raw/<D>/manifest.json``) and the score step reads it; the score
step writes the scored day (``scored/<D>.json``) and the render step reads it. Each model checks its
document at that boundary, so a document written by another version of the code fails loudly there
rather than halfway through a page. Fields a later version may add (a paper's ``history``, the
day's ``counts_as_of``) pass through: ``extra="allow"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

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


DOCUMENTS: dict[str, type[BaseModel]] = {"manifest": Manifest, "scored-day": ScoredDay}


def json_schemas() -> dict[str, bytes]:
    """Each document's JSON Schema as committed under ``docs/schemas/<name>.json``."""
    return {name: json_bytes(model.model_json_schema()) for name, model in DOCUMENTS.items()}


if __name__ == "__main__":
    # python -m hotpapers.schemas, from the repository's root: rewrites docs/schemas/.
    target = Path("docs/schemas")
    target.mkdir(parents=True, exist_ok=True)
    for name, schema in json_schemas().items():
        (target / f"{name}.json").write_bytes(schema)

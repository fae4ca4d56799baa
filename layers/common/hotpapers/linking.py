"""Finding arXiv papers in the URLs and text of posts.

One function, ``find_arxiv_ids``, recognises every form a paper is linked by: arxiv.org
abs/pdf/html pages (any version, ``.pdf``, ``export.`` and ``www.`` hosts, http or https),
old-style ids such as ``hep-th/9901001``, alphaxiv, ar5iv, Hugging Face paper pages, the
arXiv DOI ``10.48550/arXiv.<id>``, and ``arXiv:<id>`` written in text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NEW_ID = r"\d{4}\.\d{4,5}(?!\d)"
# Old-style ids: archive, optional subject class, then YYMMNNN (e.g. hep-th/9901001, math.AG/0601001).
_OLD_ID = r"[a-z]+(?:-[a-z]+)?(?:\.[a-z]{2})?/\d{7}(?!\d)"
_ID = rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?:v\d+)?"
_HOST_START = r"(?<![\w-])(?:[\w-]+\.)*"

_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"{_HOST_START}(?:arxiv|ar5iv)\.org/(?:abs|pdf|html|format|ps)/{_ID}",
        rf"{_HOST_START}alphaxiv\.org/(?:abs|overview|pdf)/{_ID}",
        rf"{_HOST_START}huggingface\.co/papers/(?P<id>{_NEW_ID})",
        rf"10\.48550/arxiv\.{_ID}",
        rf"(?<![\w/.])arxiv:\s?{_ID}",
    )
)
_SUBJECT_CLASS = re.compile(r"^([a-z-]+)\.[a-z]{2}/", re.IGNORECASE)


def normalise_id(raw_id: str) -> str:
    """An arXiv id without version or old-style subject class, archive in lower case."""
    raw_id = re.sub(r"v\d+$", "", raw_id)
    if "/" in raw_id:
        raw_id = _SUBJECT_CLASS.sub(r"\1/", raw_id)
        archive, number = raw_id.split("/", 1)
        return f"{archive.lower()}/{number}"
    return raw_id


def find_arxiv_ids(texts: Iterable[str]) -> list[str]:
    """Every arXiv id linked from ``texts`` (URLs or prose), versionless, first appearance first."""
    ids: dict[str, None] = {}
    for text in texts:
        matches = sorted(
            (match.start(), normalise_id(match["id"]))
            for pattern in _PATTERNS
            for match in pattern.finditer(text)
        )
        ids.update(dict.fromkeys(paper_id for _, paper_id in matches))
    return list(ids)

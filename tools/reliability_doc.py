"""One generated section of docs/reliability.md, replaced in place between its markers.

Tools and tests that measure something (the template scan, mutation testing) write their
result here, so the document cannot drift from what was measured. A section's markers are
``<!-- generated:<name> -->`` and ``<!-- /generated:<name> -->``; a section not yet in the
file is appended under its heading.
"""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "reliability.md"


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- generated:{name} -->", f"<!-- /generated:{name} -->"


def read_section(name: str, doc: Path = DOC) -> str:
    """The generated text of section ``name`` (empty when it has not been written yet)."""
    start, end = _markers(name)
    found = re.search(re.escape(start) + r"\n(.*?)" + re.escape(end), doc.read_text(encoding="utf-8"), re.S)
    return found.group(1) if found else ""


def write_section(name: str, heading: str, body: str, doc: Path = DOC) -> None:
    """Replace section ``name`` by ``body`` (a Markdown block ending in a newline)."""
    start, end = _markers(name)
    block = f"{start}\n{body}{end}"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Reliability\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = f"{text.rstrip()}\n\n## {heading}\n\n{block}\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")

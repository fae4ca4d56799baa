"""Later demo days, re-dated from the built day: the real listing and the day's samples moved on.

Only one real arXiv announcement day is recorded. So that the demo site has an archive, previous
and next links and a week page, each later day is the built day's recording moved ``shift`` days
on: its arXiv answer is a slice of the same real listing (real papers, re-dated), and its
attention samples are the built day's, every discussed paper swapped for another real paper of
the slice and every date and timestamp moved on. Every file's name ends in ``_REDATED``.
"""

from __future__ import annotations

import json
import random
import re
from datetime import date, timedelta
from html import escape as html_escape
from pathlib import Path
from typing import Any

from hotpapers.linking import find_github_repos

from recording.arxiv import atom

SLICE = 240
README = """# The demo day {day}: REDATED from {base}

Only one real arXiv announcement day is recorded, so this day is built from it by
`demo/recording/redate.py` (run by `demo/build_recording.py`). Every file name ends in `_REDATED`:

- `arxiv_api_{day}_REAL_LISTING_SLICE_REDATED.xml`: {slice} real papers of the real announcement of
  {base} (real ids, titles, authors, abstracts), presented as this day's announcement.
- Every other file: the {base} recording's samples (see `../{base}/README.md`), with each
  discussed paper swapped for a paper of this slice and every date and timestamp moved on. They
  stay samples: accounts, posts and figures are not real.
"""
SECONDS_PER_DAY = 86400
EPOCH_KEYS = ("created_at_i", "created_utc", "created")
DATE = re.compile(r"20\d\d-\d\d-\d\d")
LONG_DATE = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (20\d\d)"
)


def _moved(text: str, shift: int, swaps: list[tuple[str, str]]) -> str:
    for old, new in swaps:
        text = text.replace(old, new)
    text = DATE.sub(lambda m: (date.fromisoformat(m[0]) + timedelta(days=shift)).isoformat(), text)
    return LONG_DATE.sub(lambda m: _long(m, shift), text)


def _long(match: re.Match[str], shift: int) -> str:
    day = date(int(match[3]), list(_MONTHS).index(match[1]) + 1, int(match[2])) + timedelta(days=shift)
    return f"{day:%B} {day.day}, {day.year}"


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _walk(value: Any, shift: int, swaps: list[tuple[str, str]], key: str = "") -> Any:
    if isinstance(value, str):
        return _moved(value, shift, swaps)
    if isinstance(value, list):
        return [_walk(item, shift, swaps) for item in value]
    if isinstance(value, dict):
        return {name: _walk(item, shift, swaps, name) for name, item in value.items()}
    if key in EPOCH_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
        return value + shift * SECONDS_PER_DAY
    return value


def _moved_listing(listing: str, shift: int) -> str:
    """The listing's own dates moved on (its header and the entries' stand-in timestamps), never an abstract's."""
    head, first, entries = listing.partition("  <entry>")
    stamp = "2026-06-01T17:59:00Z"
    moved_stamp = _moved(stamp, shift, [])
    return _moved(head, shift, []) + first + entries.replace(f">{stamp}<", f">{moved_stamp}<")


def redate(base: Path, papers: list[dict], shift: int, seed: int) -> Path:
    """Write the recording of the day ``shift`` days after ``base``'s, and return its folder."""
    routes = json.loads((base / "routes.json").read_text(encoding="utf-8"))
    day = (date.fromisoformat(routes["date"]) + timedelta(days=shift)).isoformat()
    out = base.parent / day
    out.mkdir(exist_ok=True)
    bodies = {route["body"]: (base / route["body"]).read_text(encoding="utf-8") for route in routes["routes"]}
    attention = "\n".join(body for name, body in bodies.items() if not name.startswith("arxiv_"))
    discussed = [paper for paper in papers if paper["id"] in attention]
    rng = random.Random(seed)
    # Papers naming no repository: the built day's GitHub samples answer for its own papers only.
    quiet = [
        paper
        for paper in papers
        if paper["id"] not in attention and not find_github_repos([paper.get("comment") or "", paper["summary"]])
    ]
    chosen = rng.sample(quiet, SLICE)
    swaps: list[tuple[str, str]] = []
    for old, new in zip(discussed, chosen, strict=False):
        swaps += [
            (old["id"], new["id"]),
            (old["title"], new["title"]),
            (str(html_escape(old["title"])), str(html_escape(new["title"]))),
        ]
        swaps += [
            (old["title"][:100], new["title"][:100]),
            (old["title"][:80], new["title"][:80]),
            (old["summary"], new["summary"]),
        ]
    names = {}
    for route in routes["routes"]:
        name = route["body"]
        # Only the day's own date moves in a name; "FROM_REAL_<date>" keeps naming the real recording.
        stem, dot, suffix = name.replace(routes["date"], day).rpartition(".")
        names[name] = f"{stem}_REDATED{dot}{suffix}".replace("BUILT_FROM_REAL_LISTING", "REAL_LISTING_SLICE")
    for name, body in bodies.items():
        if name.startswith("arxiv_"):
            text = _moved_listing(atom(sorted(chosen, key=lambda paper: paper["id"])), shift)
        else:
            text = json.dumps(_walk(json.loads(body), shift, swaps), indent=1, ensure_ascii=False) + "\n"
        (out / names[name]).write_text(text, encoding="utf-8")
    moved = _walk({**routes, "routes": []}, shift, [])
    moved["routes"] = [{**route, "body": names[route["body"]]} for route in routes["routes"]]
    (out / "routes.json").write_text(json.dumps(moved, indent=1) + "\n", encoding="utf-8")
    (out / "README.md").write_text(README.format(day=day, base=routes["date"], slice=SLICE), encoding="utf-8")
    return out

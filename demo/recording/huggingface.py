"""Hugging Face: an illustrative ``daily_papers`` list, each entry submitted by a fictional account.

Built in the field set of the real answer of 2026-06-12 (``shared/fixtures/real``), from the demo
paper's own fields only: its id, title, abstract and authors, and the repository it names itself.
No real entry is re-pointed, so no real submitter or summary is ever attached to another paper.
"""

from __future__ import annotations

import hashlib
import random

from hotpapers.linking import find_github_repos

from recording.common import Day, iso
from recording.people import persona


def _object_id(*parts: str) -> str:
    """A 24-hex-digit id, as Hugging Face's are, derived from ``parts``."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:24]


def illustrative_huggingface(day: Day, papers: list[dict], rng: random.Random) -> list[dict]:
    items = []
    for paper in papers:
        name, handle = persona(rng)
        submitter = {"_id": _object_id("user", handle), "fullname": name, "name": handle, "type": "user"}
        submitted = day.posted(rng)
        repos = find_github_repos([paper.get("comment") or "", paper["summary"]])
        hf_paper = {
            "id": paper["id"],
            "authors": [
                {"_id": _object_id(paper["id"], author), "name": author, "hidden": False} for author in paper["authors"]
            ],
            "publishedAt": iso(day.window_start),
            "submittedOnDailyAt": iso(submitted),
            "title": paper["title"],
            "submittedOnDailyBy": submitter,
            "summary": paper["summary"],
            # Most entries get a few upvotes, a few get many: the shape of a real day's list.
            "upvotes": min(160, int(rng.expovariate(1 / 14))),
            "discussionId": _object_id("discussion", paper["id"]),
        }
        if repos:
            hf_paper["githubRepo"] = f"https://github.com/{repos[0]}"
        items.append(
            {
                "paper": hf_paper,
                "publishedAt": iso(day.window_start),
                "title": paper["title"],
                "summary": paper["summary"],
                "numComments": rng.randint(1, 5),
                "submittedBy": submitter,
                "isAuthorParticipating": False,
            }
        )
    items.sort(key=lambda item: -item["paper"]["upvotes"])
    return items

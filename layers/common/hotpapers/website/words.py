"""Reader words: how the site names sources, their figures and their state on a day.

Operator detail (setting names, HTTP codes, upstream error texts) lives in the manifest and the
logs; public pages and feeds only say what a reader can act on, from a source's ``status`` and
flags (``capped``, ``skipped``, ``degraded``, ``suspect``).
"""

from __future__ import annotations

from typing import Any

from hotpapers.catalogue import CATALOGUE, is_paper_signal

# The catalogue's words for its metrics, whichever source a figure is of.
METRIC_WORDS = {metric: word for entry in CATALOGUE.values() for metric, word in entry.metric_words.items()}
SINGULAR = {"replies": "reply", "new stars": "new star", "GitHub stars": "GitHub star"}
STATUS_WORDS = {
    "failed": "no data for this day",
    "out-of-reach": "its posts are too old to search",
}


def source_name(name: str) -> str:
    """``X``, ``Hacker News``, ``Bluesky``: a source as readers call it."""
    return CATALOGUE[name].display_name if name in CATALOGUE else name


def number(value: float) -> str:
    """``1,421`` or ``12.5``: a figure as a reader reads it."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def count(value: int, noun: str) -> str:
    """``1 paper``, ``3 papers``: a count with its noun in the number it needs."""
    return f"{value} {noun}{'' if value == 1 else 's'}"


def metric_word(metric: str) -> str:
    return METRIC_WORDS.get(metric, metric)


def figure(value: float, metric: str) -> str:
    """``1 reply``, ``3 replies``, ``1,204 likes``: a figure with its word, in the number it needs."""
    word = metric_word(metric)
    if value == 1:
        word = SINGULAR.get(word, word.removesuffix("s"))
    return f"{number(value)} {word}"


def missing(sources: dict[str, Any]) -> list[tuple[str, str]]:
    """(reader's name, what happened) for each source that gave nothing on the day."""
    return sorted(
        (source_name(name), STATUS_WORDS.get(info["status"], "no data for this day"))
        for name, info in sources.items()
        if info["status"] != "ok"
    )


def caveats(sources: dict[str, Any]) -> list[tuple[str, str]]:
    """(reader's name, caveat) for each source whose figures may be short of the truth."""
    said = []
    for name, info in sorted(sources.items()):
        if info["status"] != "ok":
            continue
        if info.get("capped"):
            # A paper signal (GitHub) stops at a rate limit, a post source at its page cap.
            short = (
                "not every figure could be read; some may be missing"
                if is_paper_signal(name)
                else "more posts than we read"
            )
            said.append((source_name(name), f"{short}; its counts may be low"))
        if info.get("degraded"):
            said.append((source_name(name), "fewer posts than earlier today; some may be missing"))
        if info.get("suspect"):
            said.append((source_name(name), "far fewer posts than on recent days; its counts look incomplete"))
        if info.get("skipped"):
            said.append((source_name(name), f"{count(int(info['skipped']), 'unreadable item')} left out"))
    return said

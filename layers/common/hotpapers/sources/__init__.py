"""Attention sources: where people talk about papers. Each is one module behind ``Source``.

The registry's order is the canonical order of the sources in a digest's counts line, the
order ``config.SOURCE_CREDENTIALS`` names them in.
"""

from hotpapers.sources.base import Day, FetchRequest, MalformedDocument, OutOfReach, PaperSignal, Source
from hotpapers.sources.bluesky import Bluesky
from hotpapers.sources.github import GitHub
from hotpapers.sources.hackernews import HackerNews
from hotpapers.sources.huggingface import HuggingFace
from hotpapers.sources.reddit import Reddit
from hotpapers.sources.x import X

KNOWN_SOURCES: dict[str, type[Source]] = {
    source.name: source for source in (X, HackerNews, Bluesky, Reddit, HuggingFace, GitHub)
}

__all__ = ["KNOWN_SOURCES", "Day", "FetchRequest", "MalformedDocument", "OutOfReach", "PaperSignal", "Source"]

"""Attention sources: where people talk about papers. Each is one module behind ``Source``."""

from hotpapers.sources.base import FetchRequest, Source
from hotpapers.sources.huggingface import HuggingFace
from hotpapers.sources.x import X

KNOWN_SOURCES: dict[str, type[Source]] = {source.name: source for source in (X, HuggingFace)}

__all__ = ["KNOWN_SOURCES", "FetchRequest", "Source"]

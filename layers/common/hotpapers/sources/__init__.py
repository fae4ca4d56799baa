"""Attention sources' API clients: where people talk about papers. Each is one module behind ``Source``.

What each source is (its name, words, credentials) is the catalogue's (``hotpapers.catalogue``);
the client of source ``name`` is the class its entry names in ``hotpapers.sources.<name>``, so
``KNOWN_SOURCES`` has the catalogue's order, the canonical order of a digest's counts line.
"""

from importlib import import_module

from hotpapers.catalogue import CATALOGUE, SourceEntry
from hotpapers.sources.base import Day, FetchRequest, MalformedDocumentError, OutOfReachError, PaperSignal, Source


def _client(entry: SourceEntry) -> type[Source]:
    client: type[Source] = getattr(import_module(f"hotpapers.sources.{entry.name}"), entry.client)
    return client


KNOWN_SOURCES: dict[str, type[Source]] = {name: _client(entry) for name, entry in CATALOGUE.items()}

__all__ = ["KNOWN_SOURCES", "Day", "FetchRequest", "MalformedDocumentError", "OutOfReachError", "PaperSignal", "Source"]

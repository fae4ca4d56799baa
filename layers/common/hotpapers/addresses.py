"""Addresses of pages on a source's own site, built from parts (``urllib.parse``), never by
pasting upstream data after a host name: ``"https://www.reddit.com" + "@evil.example/x"`` names
the host evil.example. Here the host is always the site's, and each piece of upstream data stays
inside the path segment or query value it was given for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

# What a path segment may hold as it is (RFC 3986 ``pchar``, with escapes kept as written); every
# other character, "/", "?", "#" and "\\" included, is percent-encoded.
_SEGMENT_SAFE = "!$&'()*+,;=:@%"


def _segment(value: str) -> str:
    # "." and ".." would be resolved away by a browser: written encoded, they stay a name.
    return "%2E" * len(value) if value in (".", "..") else quote(value, safe=_SEGMENT_SAFE)


def page_on(
    site: str,
    *segments: str,
    query: Mapping[str, str] | Sequence[tuple[str, str]] = (),
    trailing_slash: bool = False,
) -> str:
    """``https://<site>/<segment>/.../?<query>``: ``site`` is the host whatever the segments hold."""
    path = "/" + "/".join(_segment(segment) for segment in segments) + ("/" if trailing_slash and segments else "")
    return urlunsplit(("https", site, path, urlencode(query), ""))


def path_on(site: str, path: str) -> str:
    """A path an upstream gave for a page on its own ``site`` (Reddit's ``permalink``), on that site:
    parsed, its path's segments and its query rebuilt (a host or fragment it names is dropped)."""
    parts = urlsplit(path)
    segments = [segment for segment in parts.path.split("/") if segment]
    query = parse_qsl(parts.query, keep_blank_values=True)
    return page_on(site, *segments, query=query, trailing_slash=parts.path.endswith("/"))

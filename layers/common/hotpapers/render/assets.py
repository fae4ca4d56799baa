"""The site's shared file (its stylesheet) under a content-hashed name.

A name changes whenever its content does, so browsers and CDNs may keep an asset forever. Math
needs no asset: it is typeset as MathML when the site is built, and browsers show it natively.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

STATIC = "static"


@dataclass(frozen=True)
class Assets:
    files: dict[str, bytes]
    """Site key -> body."""
    stylesheet: str


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:10]


@cache
def assets() -> Assets:
    css = (files("hotpapers") / STATIC / "site.css").read_bytes()
    stylesheet = f"assets/site.{_digest(css)}.css"
    return Assets(files={stylesheet: css}, stylesheet=stylesheet)

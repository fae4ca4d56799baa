"""The site's shared files (stylesheet, math starter, vendored KaTeX) under content-hashed names.

A name changes whenever its content does, so browsers and CDNs may keep an asset forever.
KaTeX keeps its own file names inside a folder named after the hash of all its files, because
its stylesheet finds its fonts by relative path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

STATIC = "static"


@dataclass(frozen=True)
class Assets:
    files: dict[str, bytes]
    """Site key -> body."""
    stylesheet: str
    math: tuple[str, ...]
    """KaTeX's stylesheet, KaTeX, its auto-render extension and the starter, in load order."""


def _digest(*bodies: bytes) -> str:
    hasher = hashlib.sha256()
    for body in bodies:
        hasher.update(hashlib.sha256(body).digest())
    return hasher.hexdigest()[:10]


def _walk(folder: Traversable, prefix: str = "") -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.is_dir():
            found.update(_walk(item, f"{prefix}{item.name}/"))
        else:
            found[prefix + item.name] = item.read_bytes()
    return found


@cache
def assets() -> Assets:
    static = files("hotpapers") / STATIC
    css = (static / "site.css").read_bytes()
    starter = (static / "math.js").read_bytes()
    katex = _walk(static / "katex")
    katex_folder = f"assets/katex-{_digest(*(katex[name] for name in sorted(katex)))}"
    stylesheet = f"assets/site.{_digest(css)}.css"
    starter_key = f"assets/math.{_digest(starter)}.js"
    return Assets(
        files={
            stylesheet: css,
            starter_key: starter,
            **{f"{katex_folder}/{name}": body for name, body in katex.items()},
        },
        stylesheet=stylesheet,
        math=(
            f"{katex_folder}/katex.min.css",
            f"{katex_folder}/katex.min.js",
            f"{katex_folder}/auto-render.min.js",
            starter_key,
        ),
    )

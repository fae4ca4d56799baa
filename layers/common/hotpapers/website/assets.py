"""The site's shared files (its stylesheet, the image that stands for it where a page is
shared, and the search page's script) under content-hashed names.

A name changes whenever its content does, so browsers and CDNs may keep an asset forever. Math
needs no asset: it is typeset as MathML when the site is built, and browsers show it natively.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from hotpapers import layout

STATIC = "static"


@dataclass(frozen=True)
class Assets:
    files: dict[str, bytes]
    """Site key -> body."""
    stylesheet: str
    social_image: str
    """The image a Markdown digest names in its front matter (``socialImage``)."""
    search_script: str
    """The script of search.html, the one page that loads one."""


def _hashed(name: str) -> tuple[str, bytes]:
    body = (files("hotpapers") / STATIC / name).read_bytes()
    stem, suffix = name.rsplit(".", 1)
    return f"{layout.ASSETS}{stem}.{hashlib.sha256(body).hexdigest()[:10]}.{suffix}", body


@cache
def assets() -> Assets:
    stylesheet, css = _hashed("site.css")
    social_image, png = _hashed("social.png")
    search_script, js = _hashed("search.js")
    return Assets(
        files={stylesheet: css, social_image: png, search_script: js},
        stylesheet=stylesheet,
        social_image=social_image,
        search_script=search_script,
    )

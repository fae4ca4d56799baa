"""Where a paper's page is on the site: the one place its path is spelled."""

from __future__ import annotations

import re

# New-style arXiv ids (``2606.00001``): the only ones that name a page. An old-style id
# (``q-bio/0509018``) would be a folder, and no announcement since 2007 carries one.
PAPER_ID = re.compile(r"^\d{4}\.\d{4,5}$")


def paper_path(paper_id: str) -> str | None:
    """``papers/2606.00001.html``: the site path of a paper's page (digest cards, the retired posts
    pages, the sitemap and search link it); ``None`` for an id that names no page."""
    return f"papers/{paper_id}.html" if PAPER_ID.match(paper_id) else None


def absolute(path: str, site_url: str) -> str:
    """A site path under the site's public URL."""
    return f"{site_url.rstrip('/')}/{path}"

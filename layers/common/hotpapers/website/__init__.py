"""The render step: a scored day becomes the site's pages, feeds and assets.

``digest`` renders one day (the seed-format Markdown, the HTML page, the day's summary);
``paper`` the page of each of its papers (``paths`` spells where it is);
``archive`` the pages built from many days' summaries (index, categories, top, about, feeds);
``assets`` the stylesheet and the social image under content-hashed names; ``publish`` writes
them with their headers and keeps the shared pages right when days render at the same moment.
``environment`` is the one jinja2 environment, ``text`` and ``mathml`` make upstream text safe
and typeset its math (MathML, at build time: no script, no font), ``words`` the reader words.
Upstream text is escaped everywhere: the templates autoescape (the Markdown's posts are the
escaped ``post.html.j2`` markup), titles and abstracts pass through ``text.inert`` or ``text.tex``,
and no upstream markup is copied: X's oEmbed markup is rebuilt from its parsed parts
(``markup.rebuilt``), when fetched and again when rendered.
"""

from hotpapers.website.digest import BLUESKY_EMBED, Chrome, markdown, page, posts_pages, summary
from hotpapers.website.environment import counts_line
from hotpapers.website.paper import pages as paper_pages
from hotpapers.website.publish import SiteOptions, headers, publish_day

__all__ = [
    "BLUESKY_EMBED",
    "Chrome",
    "SiteOptions",
    "counts_line",
    "headers",
    "markdown",
    "page",
    "paper_pages",
    "posts_pages",
    "publish_day",
    "summary",
]

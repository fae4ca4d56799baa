"""X's embed markup (oEmbed's ``twitter-tweet`` blockquote), only ever built from parts.

oEmbed answers with HTML, and the digest shows it (the Markdown as the seed has it, the pages
when embeds are on): copied as it came, whatever it held would run where it is shown. So an
answer's markup is parsed into its parts (the paragraph's text, line breaks and links, the byline,
the post's own link and date) and built again from them, every part escaped, only http(s) links
made links; anything else it held (scripts, handlers, other tags) is left behind as text or not
at all. The X source builds the same markup from the API's fields when oEmbed gave none.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

WIDGETS = '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
# As oEmbed escapes text and attributes alike.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def text(value: str) -> str:
    """Text escaped for an element's content or a quoted attribute's value."""
    return value.translate(_ESCAPES)


def is_web_link(url: str) -> bool:
    """Whether ``url`` is http(s): no other scheme (``javascript:``, ``data:``) is ever a link."""
    return urlsplit(url.strip()).scheme.lower() in ("http", "https")


def link(url: str, label_html: str) -> str:
    """An anchor to ``url`` showing ``label_html`` (already escaped); just the label unless http(s)."""
    return f'<a href="{text(url)}">{label_html}</a>' if is_web_link(url) else label_html


def tweet(lang: str, body_html: str, byline_html: str, status_url: str, date: str) -> str:
    """The blockquote X's widgets script turns into an embedded post, from escaped ``body_html``
    and ``byline_html`` (name and handle), and plain ``lang``, ``status_url`` and ``date``."""
    return (
        f'<blockquote class="twitter-tweet"><p lang="{text(lang)}" dir="ltr">{body_html}</p>'
        f"&mdash; {byline_html}{link(status_url, text(date))}</blockquote>\n{WIDGETS}\n"
    )


class _Parts(HTMLParser):
    """The parts of a ``twitter-tweet`` blockquote, as ``rebuilt`` uses them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.where = "before"
        """before the paragraph, in it, after it (the byline and the post's link), or done."""
        self.lang = ""
        self.body: list[str] = []
        self.byline: list[str] = []
        self.anchor: list[str] | None = None
        self.status: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and self.where == "before":
            self.where, self.lang = "paragraph", dict(attrs).get("lang") or ""
        elif tag == "br" and self.where == "paragraph":
            self.body.append("<br>")
        elif tag == "a" and self.where in ("paragraph", "after"):
            self.anchor = [dict(attrs).get("href") or "", ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.anchor is not None:
            href, label = self.anchor
            self.anchor = None
            if self.where == "paragraph":
                self.body.append(link(href, text(label)))
            elif self.status is None:
                self.status = (href, label)
        elif tag == "p" and self.where == "paragraph":
            self.where = "after"
        elif tag == "blockquote" and self.where != "before":
            self.where = "done"

    def handle_data(self, data: str) -> None:
        if self.anchor is not None:
            self.anchor[1] += data
        elif self.where == "paragraph":
            self.body.append(text(data))
        elif self.where == "after" and self.status is None:
            self.byline.append(data)


def rebuilt(html: str, status_url: str) -> str | None:
    """oEmbed's markup built again from its parsed parts (its own link to the post only if that is
    http(s), else ``status_url``); ``None`` when it holds no post's paragraph."""
    parts = _Parts()
    parts.feed(html)
    parts.close()
    if parts.where not in ("after", "done"):
        return None
    href, date = parts.status or (status_url, "")
    byline = "".join(parts.byline).strip().removeprefix("\u2014").lstrip()
    return tweet(
        parts.lang or "en",
        "".join(parts.body),
        f"{text(byline)} " if byline else "",
        href if is_web_link(href) else status_url,
        date,
    )

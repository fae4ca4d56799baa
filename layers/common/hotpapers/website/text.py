"""Upstream text made safe and readable: inert in Markdown, escaped and typeset in HTML.

Every function here takes untrusted upstream text. The HTML ones escape first and only then add
their own markup, so nothing upstream wrote can open a tag.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from hotpapers.website import mathml

_ENTITY_START = re.compile(r"&(?=#?\w+;)")
# What CommonMark reads as the start of raw HTML or an autolink: a tag, a closing tag, a comment,
# a declaration or a processing instruction. Any other ``<`` ("p < 0.05") is text already.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
# Math in titles and abstracts: $$...$$, $...$, \(...\) and \[...\]; the first and last are display math.
_MATH = re.compile(r"(\$\$.+?\$\$|(?<!\\)\$.+?(?<!\\)\$|\\\(.+?\\\)|\\\[.+?\\\])", re.DOTALL)
# Text-mode TeX arXiv abstracts are full of, read as the text it stands for.
_TEXT_COMMANDS = re.compile(r"\\(emph|textit|textbf|texttt|textsc|underline)\{([^{}$]*)\}")
_TEXT_MARKUP = {"emph": "em", "textit": "i", "textbf": "b", "texttt": "code", "textsc": "span", "underline": "u"}
_TEXT_REPLACEMENTS = (
    ("``", "\u201c"),
    ("&#39;&#39;", "\u201d"),
    ("---", "\u2014"),
    ("--", "\u2013"),
    ("\\%", "%"),
    ("\\&amp;", "&amp;"),
    ("\\_", "_"),
    ("\\#", "#"),
    ("~", "\u00a0"),
)
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


def decoded(value: str | None) -> str:
    """arXiv text as its authors meant it: the HTML entities some abstracts carry (``&lt;``) read
    as the characters they stand for."""
    return html.unescape(value or "")


def inert(value: str | None) -> str:
    """Upstream text made inert in Markdown, otherwise left as written.

    Its entities are read as the characters they stand for (``$\\rho&lt; 0.95$`` is ``$\\rho< 0.95$``);
    then no tag can open (a ``<`` that would start one is escaped) and no entity, named or numeric,
    is read into it (an ``&`` that would start one is escaped); "R&D", "p > 0.05", "p < 0.05" and
    quotes stay as the authors wrote them, as the seed format has them, except TeX's quotes outside
    math, which read as the typeset quotes the pages show.
    """
    parts = _MATH.split(_TAG_START.sub("&lt;", _ENTITY_START.sub("&amp;", decoded(value))))
    return "".join(part if index % 2 else _quotes(part) for index, part in enumerate(parts))


def _quotes(prose: str) -> str:
    """TeX's quotes (````…''``) as the typeset quotes they stand for, as the pages show them."""
    return prose.replace("``", "\u201c").replace("''", "\u201d")


def href(url: str | None) -> str:
    """An upstream URL fit for ``href``: http(s) only, so no ``javascript:`` or ``data:`` link runs."""
    return url if url and urlsplit(url).scheme.lower() in ("http", "https") else "#"


def opening(value: str | None, limit: int) -> str:
    """The first words of a long text, about ``limit`` characters, for a card that shows only
    its first lines: cut at a space, never inside math or a text-mode command (typesetting and
    the prose rules need them whole). A text not much longer than ``limit`` is kept whole: the reader
    would follow a link to read a few more words."""
    value = value or ""
    if len(value) <= limit + limit // 4:
        return value
    whole = [m.span() for pattern in (_MATH, _TEXT_COMMANDS) for m in pattern.finditer(value)]
    cut = limit
    while cut > 0:
        cut = max(value.rfind(space, 0, cut) for space in " \n\t")
        around = [start for start, end in whole if start < cut < end]
        if not around:
            break
        cut = min(around)
    return value[:cut].rstrip(" ,;:.") if cut > 0 else value


def _prose(escaped: str) -> str:
    """Text-mode TeX in already escaped text turned into what it means."""
    for source, target in _TEXT_REPLACEMENTS:
        escaped = escaped.replace(source, target)
    return _TEXT_COMMANDS.sub(lambda m: f"<{_TEXT_MARKUP[m[1]]}>{m[2]}</{_TEXT_MARKUP[m[1]]}>", escaped)


def _math_parts(span: str) -> tuple[str, bool]:
    """(the TeX inside a math span's delimiters, whether it is display math)."""
    if span.startswith("$$") or span.startswith("\\["):
        return span[2:-2], True
    if span.startswith("\\("):
        return span[2:-2], False
    return span[1:-1], False


def tex(value: str | None) -> Markup:
    """A title or abstract for HTML: escaped, text-mode TeX read as text, math typeset as MathML."""
    parts = _MATH.split(decoded(value))
    typeset = "".join(
        str(mathml.mathml(*_math_parts(part)) or escape(part)) if index % 2 else _prose(str(escape(part)))
        for index, part in enumerate(parts)
    )
    return Markup(typeset)  # noqa: S704 - built from escaped parts and sanitised MathML


def _plain_prose(part: str) -> str:
    return html.unescape(_prose(_TEXT_COMMANDS.sub(r"\2", str(escape(part)))))


def plain(value: str | None) -> str:
    """A title or abstract as plain text, for feeds: text-mode TeX and math read as text."""
    parts = _MATH.split(decoded(value))
    return "".join(
        (mathml.plain(_math_parts(part)[0]) or part) if index % 2 else _plain_prose(part)
        for index, part in enumerate(parts)
    )


def linked(value: str | None) -> Markup:
    """A post's text for HTML: escaped, its URLs made links, its line breaks kept."""
    escaped = str(escape(value or ""))
    with_links = _URL.sub(lambda m: f'<a href="{m[0]}">{m[0].split("://", 1)[1]}</a>', escaped)
    return Markup(with_links.replace("\n", "<br>"))  # noqa: S704 - built from escaped text


def when(iso_instant: str) -> datetime:
    return datetime.fromisoformat(iso_instant)


def long_date(iso: str | None) -> str:
    """``July 9, 2020`` for a date or an instant: the site's one way to write a date in prose, as X's
    embeds write them; nothing for a date upstream left out or garbled."""
    try:
        moment = when(iso or "")
    except ValueError:
        return ""
    return f"{moment:%B} {moment.day}, {moment.year}"


def long_time(iso_instant: str) -> str:
    """``July 10, 2020, 07:46 UTC``: the site's one way to write a moment."""
    moment = when(iso_instant)
    return f"{long_date(iso_instant)}, {moment:%H:%M} UTC"

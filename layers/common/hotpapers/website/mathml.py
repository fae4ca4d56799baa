"""Math in titles and abstracts, typeset when the site is built: MathML that browsers show
natively, and plain text where MathML cannot go (feed titles and readers).

The TeX is converted by ``latex2mathml``, then rebuilt element by element from a list of MathML
Core's presentation elements and the attributes that only change how they look: whatever TeX
asked for beyond that (``\\href``, ``\\style``, colours) is dropped, so nothing an abstract
says can make a link, run a script or restyle the page. TeX the converter cannot read, or whose
output does not parse, is left to the caller to show as the TeX it is.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache

from latex2mathml.converter import convert
from markupsafe import Markup, escape

NAMESPACE = "{http://www.w3.org/1998/Math/MathML}"
# MathML Core's presentation elements, and the attributes that only change how they look.
ELEMENTS = frozenset(
    {
        *("math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup"),
        *("munder", "mover", "munderover", "mfrac", "msqrt", "mroot", "mtable", "mtr", "mtd"),
        *("mstyle", "mpadded", "mphantom", "menclose", "merror"),
    }
)
ATTRIBUTES = frozenset(
    {
        *("display", "mathvariant", "stretchy", "fence", "separator", "accent", "accentunder"),
        *("movablelimits", "largeop", "symmetric", "lspace", "rspace", "minsize", "maxsize"),
        *("linethickness", "displaystyle", "scriptlevel", "columnalign", "rowalign", "width", "height"),
        *("depth", "notation"),
    }
)
# How the plain-text reading of a structure joins its parts.
_PLAIN_JOINS = {"msup": "^", "msub": "_", "mfrac": "/", "mover": "", "munder": ""}
CACHE = 4096


class UnreadableTeXError(ValueError):
    """TeX that cannot become MathML."""


def _tree(tex: str) -> ET.Element:
    try:
        return ET.fromstring(convert(tex))  # noqa: S314 - the converter's output, built from escaped tokens
    except Exception as exc:
        # The converter raises a dozen unrelated types for TeX it cannot read (unbalanced
        # braces, a lone ``^``); all of them mean the same to a reader: show the TeX.
        raise UnreadableTeXError(tex) from exc


def _markup(element: ET.Element) -> str:
    name = element.tag.removeprefix(NAMESPACE)
    children = "".join(_markup(child) for child in element)
    inner = str(escape(element.text or "")) + children
    if name not in ELEMENTS:
        return inner
    attributes = "".join(
        f' {key}="{escape(value)}"' for key, value in sorted(element.attrib.items()) if key in ATTRIBUTES
    )
    return f"<{name}{attributes}>{inner}</{name}>"


@lru_cache(maxsize=CACHE)
def mathml(tex: str, display: bool = False) -> Markup | None:
    """``<math>…</math>`` for the TeX between one pair of math delimiters; ``None`` if unreadable."""
    try:
        root = _tree(tex)
    except UnreadableTeXError:
        return None
    if display:
        root.set("display", "block")
    return Markup(_markup(root))  # noqa: S704 - rebuilt from allowed elements, text and attributes escaped


def _plain(element: ET.Element) -> str:
    parts = [_plain(child) for child in element]
    name = element.tag.removeprefix(NAMESPACE)
    if name in _PLAIN_JOINS and len(parts) == 2:
        return _PLAIN_JOINS[name].join(parts)
    if name == "msqrt":
        return "√(" + "".join(parts) + ")"
    return (element.text or "") + "".join(parts)


@lru_cache(maxsize=CACHE)
def plain(tex: str) -> str | None:
    """The TeX as a reader would say it in text: ``256×256``, ``ρ<0.95``, ``n^2``; ``None`` if unreadable."""
    try:
        return _plain(_tree(tex))
    except UnreadableTeXError:
        return None

"""X's embed markup built again from its parsed parts: ``hotpapers.markup``."""

from __future__ import annotations

import os
from html.parser import HTMLParser

import pytest
from hotpapers.markup import WIDGETS, rebuilt
from hypothesis import given, settings
from hypothesis import strategies as st

ORIGINAL = (
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">NVAE &amp; more<br>pdf: '
    '<a href="https://t.co/7rCHQUb57O">https://t.co/7rCHQUb57O</a> I&#39;m &quot;in&quot;</p>&mdash; AK (@ak92501) '
    '<a href="https://twitter.com/ak92501/status/1?ref_src=twsrc%5Etfw">July 9, 2020</a></blockquote>\n'
    f"{WIDGETS}\n"
)


def test_markup_in_oembeds_shape_is_rebuilt_byte_for_byte() -> None:
    assert rebuilt(ORIGINAL, "https://twitter.com/ak92501/status/1") == ORIGINAL


def test_markup_without_a_posts_paragraph_is_none() -> None:
    assert rebuilt("<script>alert(1)</script>", "https://twitter.com/a/status/1") is None


class Elements(HTMLParser):
    """Every element and attribute of some markup."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVaScRiPt:alert(1)" onclick="alert(1)">y</a>',
        "<svg onload=alert(1)>",
        "<br>",
        "&lt;b&gt;",
        '<a href="https://t.co/x">https://t.co/x</a>',
        "</p>",
        "<p lang='\"><script>'>",
        "</blockquote>",
        "&mdash;",
    ]
) | st.text(max_size=12)


@pytest.mark.fuzz
@settings(max_examples=int(os.environ.get("HOTPAPERS_FUZZ_EXAMPLES", "200")), deadline=None)
@given(inside=st.lists(PIECES, max_size=6).map("".join), after=st.lists(PIECES, max_size=4).map("".join))
def test_whatever_an_oembed_answer_holds_the_rebuilt_markup_has_only_its_own_elements(inside: str, after: str) -> None:
    # Given oEmbed markup with anything in its paragraph and after its byline
    html = f'<blockquote class="twitter-tweet"><p lang="en">{inside}</p>&mdash; A {after}</blockquote>{after}'
    # When it is built again
    markup = rebuilt(html, "https://twitter.com/a/status/1")
    # Then it holds only the embed's own elements and attributes, every link http(s)
    if markup is None:
        return
    elements = Elements()
    elements.feed(markup)
    allowed = {"blockquote": {"class"}, "p": {"lang", "dir"}, "a": {"href"}, "br": set()}
    for tag, attributes in elements.found:
        if tag == "script":
            assert attributes == {"async": None, "src": "https://platform.twitter.com/widgets.js", "charset": "utf-8"}
            continue
        assert set(attributes) <= allowed[tag], (tag, attributes)
        assert str(attributes.get("href", "https://")).startswith(("https://", "http://")), attributes
    assert markup.count("<script") == 1

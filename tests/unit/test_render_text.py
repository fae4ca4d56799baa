"""Upstream text for pages: post texts escaped, their links and line breaks kept."""

from __future__ import annotations

from hotpapers.render import text


def test_a_posts_urls_become_links_shown_without_their_scheme_and_line_breaks_are_kept() -> None:
    # Given a post on two lines, one of its links an archived page holding another URL
    post = "Read <this>:\nhttps://web.archive.org/web/2020/https://example.org/paper and http://a.example/x."
    # When it is made HTML
    html = str(text.linked(post))
    # Then its text is escaped, each URL is a link shown from its host on, and its lines stay apart
    assert html == (
        "Read &lt;this&gt;:<br>"
        '<a href="https://web.archive.org/web/2020/https://example.org/paper">'
        "web.archive.org/web/2020/https://example.org/paper</a>"
        ' and <a href="http://a.example/x">a.example/x</a>.'
    )


def test_a_post_without_text_shows_nothing() -> None:
    assert str(text.linked(None)) == ""
    assert str(text.linked("")) == ""

"""Upstream text for pages: post texts escaped, their links and line breaks kept."""

from __future__ import annotations

from hotpapers.render import text, words


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


def test_missing_text_is_empty_in_markdown_and_html() -> None:
    assert text.inert(None) == ""
    assert str(text.tex(None)) == ""


def test_only_http_and_https_urls_are_links_whatever_their_case() -> None:
    assert text.href("http://a.example/x") == "http://a.example/x"
    assert text.href("HTTPS://a.example/x") == "HTTPS://a.example/x"
    assert text.href("javascript:alert(1)") == "#"
    assert text.href(None) == "#"


def test_text_mode_tex_is_read_around_math_and_never_inside_it() -> None:
    # Given dashes before, inside and after inline math
    html = str(text.tex("a -- $x--y$ -- b"))
    # Then the text's dashes become en dashes and the math's stay TeX
    assert html == "a \u2013 $x--y$ \u2013 b"


def test_figures_are_read_as_numbers_with_their_words() -> None:
    assert (words.number(1421), words.number(12.5)) == ("1,421", "12.5")
    assert [words.figure(1, metric) for metric in ("replies", "stars", "likes", "score")] == [
        "1 reply",
        "1 new star",
        "1 like",
        "1 point",
    ]
    assert words.figure(3, "replies") == "3 replies"


def test_a_source_name_readers_would_not_know_is_shown_as_it_is() -> None:
    assert (words.source_name("x"), words.source_name("bluesky")) == ("X", "Bluesky")
    assert words.source_name("mastodon") == "mastodon"


def test_a_source_in_a_state_readers_have_no_words_for_gave_no_data() -> None:
    assert words.missing({"x": {"status": "ok"}, "reddit": {"status": "paused"}}) == [
        ("Reddit", "no data for this day")
    ]
